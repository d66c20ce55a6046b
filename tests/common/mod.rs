//! Helpers shared by the integration tests: run the real binary, compare with golden
//! files (re-accept with `CLAUSEWRIGHT_ACCEPT=1 cargo test`), compare words with the seed.
#![allow(dead_code)]

pub mod docx;
pub mod generate;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root; tests run the binary from here so paths in messages are stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `clausewright ARGS` in the repository root.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

/// Runs `clausewright ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clausewright"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Renders one deal sheet (a path from the root) to Markdown with the real binary in a
/// fresh folder named `case`, checks it succeeded, and returns the text.
pub fn render_markdown(sheet: &str, case: &str) -> String {
    let out = temp_dir(case);
    let o = run(&["render", sheet, "--format", "md", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{sheet}: {}", stderr(&o));
    let stem = Path::new(sheet).file_stem().unwrap().to_str().unwrap();
    std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap()
}

/// The deal sheets (`*.yaml`) of a fixtures folder, as sorted paths relative to the root.
pub fn yaml_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.strip_prefix(root()).unwrap().to_str().unwrap().to_string())
        .collect();
    files.sort();
    files
}

/// A fresh empty folder under the target dir, unique per test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// True when golden files are to be rewritten instead of checked.
pub fn accepting() -> bool {
    std::env::var_os("CLAUSEWRIGHT_ACCEPT").is_some_and(|v| v == "1")
}

/// Checks `actual` against the golden file `path`, or rewrites it when accepting.
/// Returns a description of the mismatch, if any.
pub fn golden(path: &Path, actual: &[u8]) -> Option<String> {
    if accepting() {
        std::fs::write(path, actual).unwrap();
        return None;
    }
    match std::fs::read(path) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => {
            let (e, a) = (String::from_utf8_lossy(&expected), String::from_utf8_lossy(actual));
            let diff = similar::TextDiff::from_lines(&e, &a).unified_diff().header("expected", "actual").to_string();
            Some(format!("{} differs (CLAUSEWRIGHT_ACCEPT=1 cargo test to accept):\n{diff}", path.display()))
        }
        Err(_) => Some(format!("{} is missing (CLAUSEWRIGHT_ACCEPT=1 cargo test to create it)", path.display())),
    }
}

/// The words of a Markdown text, its syntax removed (as a reader would see it).
pub fn markdown_words(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser};
    let mut text = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().map(str::to_string).collect()
}

/// The seed's words from "EXHIBIT" to the end.
pub fn seed_words() -> Vec<String> {
    let seed = std::fs::read_to_string(root().join("fixtures/exhibit-1.4.seed.txt")).unwrap();
    let start = seed.find("EXHIBIT").unwrap();
    seed[start..].split_whitespace().map(str::to_string).collect()
}

/// Word differences between the seed and rendered words, allowing the two freedoms:
/// a "Financial Consulting Agreement" title near the top, and a `By: ____` signature line
/// added in the signature blocks.
pub fn seed_differences(rendered: &[String]) -> Vec<String> {
    let seed = seed_words();
    let mut words: Vec<String> = rendered.iter().map(|w| normalise(w)).collect();
    let title = ["Financial", "Consulting", "Agreement"];
    if let Some(i) = (0..words.len().min(12)).find(|&i| words.get(i..i + 3).is_some_and(|w| w == title)) {
        words.drain(i..i + 3);
    }
    let signatures = seed.iter().position(|w| w == "WITNESS").unwrap_or(seed.len());
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &seed, &words);
    let mut out = Vec::new();
    for op in diff {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let added = &words[new.clone()];
        let signature_line = tag == similar::DiffTag::Insert
            && old.start >= signatures
            && added.iter().all(|w| w == "By:" || (!w.is_empty() && w.chars().all(|c| c == '_')));
        if !signature_line {
            out.push(format!("{tag:?}: seed {:?} -> rendered {:?}", &seed[old], added));
        }
    }
    out
}

/// Typographic quotes are a rendering choice, not a change of words.
fn normalise(word: &str) -> String {
    word.replace(['\u{2018}', '\u{2019}'], "'").replace(['\u{201C}', '\u{201D}'], "\"")
}

/// The words of a PDF's text, read back through its ToUnicode maps. A compound broken
/// after its hyphen at a line end is joined again, as a reader would.
pub fn pdf_words(pdf: &[u8]) -> Vec<String> {
    let text = clausewright::pdf::extract_text(pdf).expect("the PDF reads back");
    let mut joined = String::new();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    for (i, line) in lines.iter().enumerate() {
        joined.push_str(line);
        // A blank to sign or fill in (underscores) never continues a hyphenated word.
        let next_is_blank = lines.get(i + 1).is_some_and(|next| next.trim_start().starts_with('_'));
        if !line.ends_with('-') || next_is_blank {
            joined.push(' ');
        }
    }
    joined.split_whitespace().map(normalise).collect()
}

/// Words with every "word- next" pair written as "word-next", so a hyphen at a PDF line end
/// (joined by [`pdf_words`]) and the same hyphen before a space in Markdown compare equal.
pub fn hyphen_joined(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words {
        match out.last_mut() {
            Some(last) if last.ends_with('-') => last.push_str(w),
            _ => out.push(w.clone()),
        }
    }
    out
}

/// Renders each deal sheet of `sheets` (paths from the root) alone with `extra` arguments,
/// checks it renders with warnings and is still written, and compares its stderr with the
/// golden `.stderr` beside it. Returns the mismatches.
pub fn warned_sheets_match_their_goldens(sheets: &[String], case: &str, extra: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for sheet in sheets {
        let out = temp_dir(case);
        let mut args = vec!["render", sheet.as_str()];
        args.extend(extra);
        args.extend(["--quiet", "--out", out.to_str().unwrap()]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{sheet}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("warning: "), "{sheet}: {}", stderr(&o));
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "{sheet}: the agreement was not written");
        failures.extend(golden(&root().join(sheet).with_extension("stderr"), &o.stderr));
    }
    failures
}
