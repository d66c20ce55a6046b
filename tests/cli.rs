//! The command line: exit statuses, what is written and what is not, help, --library.

mod common;
use common::*;

#[test]
fn render_writes_the_named_output_and_exits_zero() {
    let out = temp_dir("cli-render");
    let o = run(&["render", "fixtures/exhibit-1.4.yaml", "--format", "md", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("exhibit-1.4.md").is_file());
    assert_eq!(stderr(&o), format!("wrote {}\n", out.join("exhibit-1.4.md").display()));
}

#[test]
fn check_validates_without_writing() {
    let dir = temp_dir("cli-check");
    std::fs::copy(root().join("fixtures/exhibit-1.4.yaml"), dir.join("deal.yaml")).unwrap();
    let o = run_in(&dir, &["check", "deal.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "deal.yaml: ok\n");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), 1, "check wrote something");
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        vec!["render"],
        vec!["render", "fixtures/exhibit-1.4.yaml", "--format", "rtf"],
        vec!["render", "fixtures/exhibit-1.4.yaml", "--shard", "3/2"],
        vec!["frobnicate"],
        vec!["render", "fixtures/invalid/../../src"],
        vec!["render", "fixtures/exhibit-1.4.yaml", "--library", "no-such-folder"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_missing_input_fails_with_exit_one() {
    let out = temp_dir("cli-missing");
    let o = run(&["render", "fixtures/no-such-deal.yaml", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fixtures/no-such-deal.yaml"), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot read the deal sheet"), "{}", stderr(&o));
}

#[test]
fn help_teaches_by_example() {
    for cmd in ["render", "check"] {
        let o = run(&[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0));
        let help = stdout(&o);
        assert!(help.contains("Examples:") && help.contains(&format!("clausewright {cmd} ")), "{help}");
    }
    let o = run(&["--help"]);
    assert!(stdout(&o).contains("Exit status"));
}

#[test]
fn list_shows_agreements_sections_and_alternatives() {
    let o = run(&["list"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for needle in ["financial-consulting", "3. finder", "competition", "permitted | restricted", "expenses_cap"] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn a_user_library_replaces_embedded_templates() {
    let lib = temp_dir("cli-library");
    std::fs::create_dir_all(lib.join("clauses")).unwrap();
    std::fs::write(
        lib.join("clauses/governing-law.md.tera"),
        "**{{ number[\"governing-law\"] }}\\.** The courts of {{ governing_law | the_state }} decide.\n",
    )
    .unwrap();
    let out = temp_dir("cli-library-out");
    let o = run(&[
        "render",
        "fixtures/exhibit-1.4.yaml",
        "--library",
        lib.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("exhibit-1.4.md")).unwrap();
    assert!(md.contains("**7\\.** The courts of the State of Florida decide."));
    assert!(md.contains("**6\\.** All final decisions"), "other clauses still come from the embedded library");
}

#[test]
fn a_broken_user_template_is_a_usage_error_with_its_position() {
    let lib = temp_dir("cli-library-broken");
    std::fs::create_dir_all(lib.join("clauses")).unwrap();
    std::fs::write(lib.join("clauses/fees.md.tera"), "{{ fee.monthly | money \n").unwrap();
    let o = run(&["check", "fixtures/exhibit-1.4.yaml", "--library", lib.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("clauses/fees.md.tera"), "{}", stderr(&o));
}

// ---- issue 12: the command line as users expect it ----

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SHEET: &str = "fixtures/exhibit-1.4.yaml";

fn exhibit() -> Vec<u8> {
    std::fs::read(root().join(SHEET)).unwrap()
}

/// Runs the binary in `dir` with `input` piped to its standard input.
fn run_piped(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausewright"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn dash_o_names_the_file_itself_with_the_format_from_its_extension() {
    let dir = temp_dir("cli-o-file");
    std::fs::write(dir.join("acme.yaml"), exhibit()).unwrap();
    let o = run_in(&dir, &["render", "acme.yaml", "-o", "acme-final.pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(dir.join("acme-final.pdf")).unwrap().starts_with(b"%PDF-"), "not a PDF file");
    assert_eq!(stderr(&o), "wrote acme-final.pdf\n");
    let o = run_in(&dir, &["render", "acme.yaml", "--output", "notes/acme.MD"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(dir.join("notes/acme.MD")).unwrap().starts_with("EXHIBIT 1.4"));
    // --format wins over the extension; an unknown extension needs --format.
    let o = run_in(&dir, &["render", "acme.yaml", "-o", "acme.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot tell the format of acme.txt"), "{}", stderr(&o));
    let o = run_in(&dir, &["render", "acme.yaml", "-o", "acme.txt", "--format", "md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(dir.join("acme.txt")).unwrap().starts_with("EXHIBIT 1.4"));
}

#[test]
fn dash_o_is_a_folder_when_it_exists_or_ends_in_a_slash_and_never_becomes_one_by_accident() {
    let dir = temp_dir("cli-o-folder");
    std::fs::write(dir.join("a.yaml"), exhibit()).unwrap();
    std::fs::write(dir.join("b.yaml"), exhibit()).unwrap();
    std::fs::create_dir(dir.join("existing")).unwrap();
    let o = run_in(&dir, &["render", "a.yaml", "-o", "existing"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&dir.join("existing")), ["a.md"]);
    let o = run_in(&dir, &["render", "a.yaml", "b.yaml", "-o", "new/", "-f", "md,pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&dir.join("new")), ["a.md", "a.pdf", "b.md", "b.pdf"]);
    // Several inputs, or several formats, and a file name: a usage error, no folder made.
    for args in
        [vec!["render", "a.yaml", "b.yaml", "-o", "x.pdf"], vec!["render", "a.yaml", "-o", "x.pdf", "-f", "md,pdf"]]
    {
        let o = run_in(&dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("-o x.pdf names one document"), "{}", stderr(&o));
        assert!(!dir.join("x.pdf").exists());
    }
    // --out and --out-dir are always folders, as before.
    for flag in ["--out", "--out-dir"] {
        let o = run_in(&dir, &["render", "a.yaml", flag, &format!("folder{flag}.pdf")]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(names(&dir.join(format!("folder{flag}.pdf"))), ["a.md"]);
    }
    let o = run_in(&dir, &["render", "a.yaml", "-o", "x.md", "--out-dir", "y"]);
    assert_eq!(o.status.code(), Some(2), "-o and --out-dir together");
}

#[test]
fn dash_o_dash_writes_the_document_to_standard_output() {
    let dir = temp_dir("cli-o-stdout");
    std::fs::write(dir.join("a.yaml"), exhibit()).unwrap();
    let o = run_in(&dir, &["render", "a.yaml", "-o", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("EXHIBIT 1.4"), "{}", stdout(&o));
    assert_eq!(stderr(&o), "");
    assert_eq!(names(&dir), ["a.yaml"], "a file or folder named - was made");
    let o = run_in(&dir, &["render", "a.yaml", "-o", "-", "-f", "pdf"]);
    assert!(o.stdout.starts_with(b"%PDF-"));
}

#[test]
fn standard_input_is_read_as_a_deal_sheet_named_stdin() {
    let dir = temp_dir("cli-stdin");
    let o = run_piped(&dir, &["check", "-"], &exhibit());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "<stdin>: ok\n");
    // Piped with no INPUT.
    let o = run_piped(&dir, &["check"], &exhibit());
    assert_eq!(stdout(&o), "<stdin>: ok\n", "{}", stderr(&o));
    let bad = String::from_utf8(exhibit()).unwrap().replace("months: 18", "months: 0");
    let o = run_piped(&dir, &["check"], bad.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--> <stdin>:19:11"), "{}", stderr(&o));
    // render: to standard output by default, to a file with -o, never to a guessed name.
    let o = run_piped(&dir, &["render"], &exhibit());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("EXHIBIT 1.4"));
    let o = run_piped(&dir, &["render", "-", "-o", "deal.pdf"], &exhibit());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(dir.join("deal.pdf")).unwrap().starts_with(b"%PDF-"));
    let o = run_piped(&dir, &["render", "-", "--out-dir", "out"], &exhibit());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("standard input has no file name"), "{}", stderr(&o));
    // No INPUT and nothing piped (standard input is /dev/null here): a usage error.
    let o = run_in(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no INPUT given"), "{}", stderr(&o));
}

#[test]
fn render_names_what_it_wrote_and_check_closes_with_a_summary() {
    let dir = temp_dir("cli-summaries");
    for name in ["a", "b", "c"] {
        std::fs::write(dir.join(format!("{name}.yaml")), exhibit()).unwrap();
    }
    std::fs::copy(root().join("fixtures/invalid/months-zero.yaml"), dir.join("d.yaml")).unwrap();
    let o = run_in(&dir, &["render", "a.yaml", "-f", "md,pdf", "--out-dir", "out"]);
    assert_eq!(stderr(&o), "wrote out/a.md and out/a.pdf\n");
    let o = run_in(&dir, &["render", "a.yaml", "b.yaml", "c.yaml", "-f", "md,pdf", "--out-dir", "out"]);
    assert!(stderr(&o).ends_with("rendered 3 of 3 deal sheets (6 files in out)\n"), "{}", stderr(&o));
    let o = run_in(&dir, &["render", "a.yaml", "d.yaml", "--out-dir", "out"]);
    assert!(stderr(&o).ends_with("wrote out/a.md; 1 of 2 deal sheets failed\n"), "{}", stderr(&o));
    let o = run_in(&dir, &["check", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).ends_with("1 of 4 deal sheets invalid\n"), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 3);
    let o = run_in(&dir, &["check", "--quiet", "."]);
    assert_eq!(stdout(&o), "");
    assert!(!stderr(&o).contains("invalid\n") && stderr(&o).contains("d.yaml:19:11"), "{}", stderr(&o));
    let o = run_in(&dir, &["check", "a.yaml", "b.yaml"]);
    assert!(stderr(&o).ends_with("all 2 deal sheets valid\n"), "{}", stderr(&o));
    let o = run_in(&dir, &["check", "a.yaml"]);
    assert_eq!((stdout(&o).as_str(), stderr(&o).as_str()), ("a.yaml: ok\n", ""), "one sheet needs no count");
}

#[test]
fn check_format_md_accepts_names_the_pdf_font_cannot_print() {
    let dir = temp_dir("cli-check-format");
    let greek = String::from_utf8(exhibit()).unwrap().replace("Dr. Alvin J. Glasky", "Μιχάλης Παπαδόπουλος");
    std::fs::write(dir.join("greek.yaml"), greek).unwrap();
    let o = run_in(&dir, &["check", "greek.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run_in(&dir, &["check", "greek.yaml", "--format", "md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn json_messages_are_all_json_and_end_with_a_summary() {
    let dir = temp_dir("cli-json");
    std::fs::write(dir.join("a.yaml"), exhibit()).unwrap();
    std::fs::copy(root().join("fixtures/invalid/months-zero.yaml"), dir.join("b.yaml")).unwrap();
    for args in [
        vec!["render", ".", "--out-dir", "out", "--message-format", "json"],
        vec!["check", ".", "missing.yaml", "--message-format", "json"],
        vec!["render", "a.yaml", "b.yaml", "-o", "x.pdf", "--message-format", "json"],
    ] {
        let o = run_in(&dir, &args);
        let usage = args.contains(&"x.pdf");
        assert_eq!(o.status.code(), Some(if usage { 2 } else { 1 }));
        let lines: Vec<serde_json::Value> = stderr(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: not JSON: {l}: {e}")))
            .collect();
        let last = lines.last().unwrap();
        if usage {
            assert!(last["message"].as_str().unwrap().contains("-o x.pdf names one document"), "{last}");
            continue;
        }
        assert!(last["summary"].is_object(), "{args:?}: {last}");
        assert_eq!(stdout(&o), "", "{args:?}");
        if args[0] == "check" {
            assert_eq!(last["summary"]["invalid"], 2);
            let missing = lines.iter().find(|l| l["file"] == "missing.yaml").unwrap();
            assert!(missing["pos"].is_null(), "a made-up position: {missing}");
        }
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = temp_dir("cli-pipe");
    generate::write_batch(&dir, 50);
    for args in [vec!["check", "."], vec!["render", ".", "-o", "-"], vec!["man"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clausewright"))
            .args(&args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before the first line
        let o = child.wait_with_output().unwrap();
        assert_ne!(o.status.code(), Some(101), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn completions_and_the_man_page_come_from_the_clap_definitions() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let text = stdout(&o);
        assert!(text.contains("clausewright") && text.contains("out-dir") && text.contains("render"), "{shell}");
    }
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{}", &page[..80]);
    assert!(page.contains(".TH clausewright") && page.contains("CLAUSEWRIGHT RENDER") && page.contains("out\\-dir"));
}

#[test]
fn color_is_asked_for_and_no_color_is_honoured() {
    let args = ["check", "fixtures/invalid/months-zero.yaml"];
    let plain = run(&args);
    assert!(!stderr(&plain).contains('\x1b'), "colour when not a terminal");
    let always = run(&[&args[..], &["--color", "always"]].concat());
    assert!(stderr(&always).contains("\x1b["), "{}", stderr(&always));
    let never = run(&[&args[..], &["--color", "never"]].concat());
    assert_eq!(stderr(&never), stderr(&plain));
    let o = Command::new(env!("CARGO_BIN_EXE_clausewright"))
        .args(args)
        .arg("--color=auto")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stderr(&o).contains('\x1b'));
}

#[test]
fn values_of_flags_are_taken_in_any_letter_case() {
    let out = temp_dir("cli-case");
    let o = run(&["render", SHEET, "--paper", "A4", "--format", "PDF", "--out-dir", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn folders_recurse_on_request_skip_hidden_files_and_take_any_case_of_yaml() {
    let dir = temp_dir("cli-folders");
    std::fs::create_dir_all(dir.join("in/sub/deep")).unwrap();
    std::fs::create_dir_all(dir.join("in/.git")).unwrap();
    for name in
        ["in/top.yaml", "in/UPPER.YAML", "in/mixed.Yml", "in/sub/deep/nested.yaml", "in/.hidden.yaml", "in/.git/x.yaml"]
    {
        std::fs::write(dir.join(name), exhibit()).unwrap();
    }
    let o = run_in(&dir, &["render", "in", "--out-dir", "flat"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&dir.join("flat")), ["UPPER.md", "mixed.md", "top.md"]);
    let o = run_in(&dir, &["render", "in", "--recursive", "--out-dir", "tree"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&dir.join("tree")), ["UPPER.md", "mixed.md", "sub", "top.md"]);
    assert_eq!(names(&dir.join("tree/sub/deep")), ["nested.md"], "the tree is mirrored");
    let o = run_in(&dir, &["check", "-r", "in", "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn an_input_is_never_overwritten_by_its_own_output() {
    let dir = temp_dir("cli-self");
    std::fs::write(dir.join("deal.md"), exhibit()).unwrap();
    std::fs::write(dir.join("deal"), exhibit()).unwrap();
    let o = run_in(&dir, &["render", "deal.md", "--out-dir", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("./deal.md: the output of deal.md would overwrite that deal sheet itself"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(dir.join("deal.md")).unwrap(), exhibit());
    // Any name is a deal sheet when given explicitly.
    let o = run_in(&dir, &["render", "deal", "-o", "out/"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("out/deal.md").is_file());
}

#[test]
fn outputs_are_checked_against_inputs_the_manifest_and_each_other_before_writing() {
    let dir = temp_dir("cli-plan");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::write(dir.join("in/a.yaml"), exhibit()).unwrap();
    std::fs::write(dir.join("in/b.yaml"), exhibit()).unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--out-dir", "out", "--manifest", "out/a.md"],
            "out/a.md: the manifest would overwrite the output of in/a.yaml",
        ),
        (
            &["--out-dir", "out", "--manifest", "in/b.yaml"],
            "in/b.yaml: the manifest would overwrite the deal sheet in/b.yaml",
        ),
        (
            &["--out-dir", "in/../out", "--manifest", "out/./b.md"],
            "/b.md: the manifest would overwrite the output of in/b.yaml",
        ),
        (
            &["--out-dir", "in", "-f", "md", "--manifest", "x/../in/a.yaml"],
            "the manifest would overwrite the deal sheet in/a.yaml",
        ),
    ];
    for (extra, message) in cases {
        let o = run_in(&dir, &[&["render", "in"], extra].concat());
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{extra:?}: {}", stderr(&o));
        assert!(!dir.join("out").exists(), "{extra:?}: something was written");
        assert_eq!(names(&dir.join("in")), ["a.yaml", "b.yaml"]);
    }
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_keep_their_own_outputs() {
    use std::os::unix::ffi::OsStrExt;
    let dir = temp_dir("cli-non-utf8");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let sheet = String::from_utf8(exhibit()).unwrap();
    for (byte, months) in [(0xFFu8, "18"), (0xFE, "24")] {
        let bytes = [byte, b'.', b'y', b'a', b'm', b'l'];
        let name = std::ffi::OsStr::from_bytes(&bytes);
        std::fs::write(dir.join("in").join(name), sheet.replace("months: 18", &format!("months: {months}"))).unwrap();
    }
    let o = run_in(&dir, &["render", "in", "--out-dir", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut texts: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(texts.len(), 2, "one output overwrote the other");
    texts.sort();
    assert_ne!(texts[0], texts[1]);
}

#[test]
fn a_sheet_whose_pdf_cannot_be_written_leaves_no_markdown_and_a_bad_manifest_is_found_first() {
    let dir = temp_dir("cli-all-or-none");
    std::fs::write(dir.join("a.yaml"), exhibit()).unwrap();
    std::fs::create_dir_all(dir.join("out/a.pdf/blocker")).unwrap();
    let o = run_in(&dir, &["render", "a.yaml", "-f", "md,pdf", "--out-dir", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(names(&dir.join("out")), ["a.pdf"], "the Markdown was left without its PDF");
    std::fs::write(dir.join("file"), "").unwrap();
    let o = run_in(&dir, &["render", "a.yaml", "--out-dir", "out2", "--manifest", "file/manifest.json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--manifest file/manifest.json: cannot be written"), "{}", stderr(&o));
    assert!(!dir.join("out2").exists(), "rendered before finding the manifest unwritable");
}

#[cfg(unix)]
#[test]
fn inputs_that_are_not_files_are_refused_without_reading_them() {
    let dir = temp_dir("cli-not-files");
    let fifo = dir.join("pipe.yaml");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for input in [fifo.to_str().unwrap(), "/dev/zero"] {
        let o = run_in(&dir, &["check", input]);
        assert_eq!(o.status.code(), Some(1), "{input}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("it is a FIFO (named pipe), not a file") || stderr(&o).contains("it is a device"),
            "{input}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn bad_jobs_empty_folders_and_an_out_dir_that_is_a_file_are_single_usage_errors() {
    let dir = temp_dir("cli-usage");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    std::fs::write(dir.join("a.yaml"), exhibit()).unwrap();
    std::fs::write(dir.join("b.yaml"), exhibit()).unwrap();
    std::fs::write(dir.join("afile"), "").unwrap();
    for args in [
        vec!["render", "a.yaml", "--jobs", "0"],
        vec!["render", "a.yaml", "--jobs", "30000"],
        vec!["render", "empty"],
        vec!["render", "empty", "--shard", "1/2"],
        vec!["check", "empty"],
    ] {
        let o = run_in(&dir, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let o = run_in(&dir, &["render", "a.yaml", "b.yaml", "--out-dir", "afile"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o), "error: --out-dir afile: it is a file, not a folder\n");
}

#[test]
fn an_agreement_template_that_renders_nothing_is_an_error() {
    let lib = temp_dir("cli-empty-template");
    std::fs::create_dir_all(lib.join("templates")).unwrap();
    std::fs::write(lib.join("templates/financial-consulting.md.tera"), "  \n").unwrap();
    let out = temp_dir("cli-empty-template-out");
    let o =
        run(&["render", SHEET, "--library", lib.to_str().unwrap(), "-f", "md,pdf", "--out-dir", out.to_str().unwrap()]);
    // A broken library is the library's problem, found before the deal sheet is read: exit 2.
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("the template `financial-consulting.md.tera` rendered nothing"), "{}", stderr(&o));
    assert!(names(&out).is_empty());
}

#[test]
fn thousands_of_errors_in_one_file_are_capped_with_a_count() {
    let dir = temp_dir("cli-many-errors");
    // 260,000 bytes, under the size limit: 51,999 duplicate keys.
    let junk = "a: 1\n".repeat(52_000);
    std::fs::write(dir.join("junk.yaml"), junk).unwrap();
    let o = run_in(&dir, &["check", "junk.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.len() < 100_000, "{} bytes of messages", err.len());
    assert!(err.contains("more problems in junk.yaml (--message-format json lists them all)"), "{err}");
    assert_eq!(err.matches("--> junk.yaml:").count(), 50);
    let o = run_in(&dir, &["check", "junk.yaml", "--message-format", "json"]);
    assert!(stderr(&o).lines().count() >= 52_000);
}

#[test]
fn glyphs_are_checked_on_the_printed_capitals_at_the_key_by_check_and_render() {
    let dir = temp_dir("cli-capital-glyph");
    let sheet = String::from_utf8(exhibit()).unwrap().replace("NeoTherapeutics, Inc.", "\u{b5}Tech Instruments, Inc.");
    std::fs::write(dir.join("micro.yaml"), sheet).unwrap();
    for args in [vec!["check", "micro.yaml"], vec!["render", "micro.yaml", "-f", "pdf", "--out-dir", "out"]] {
        let o = run_in(&dir, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("client.name: the PDF font has no glyph for 'Μ' (U+039C), which 'µ' (U+00B5) becomes when printed in capitals"), "{args:?}: {err}");
        assert!(err.contains("--> micro.yaml:7:9"), "{args:?}: {err}");
    }
    assert!(!dir.join("out").exists());
    // Markdown prints µ as it is.
    let o = run_in(&dir, &["check", "micro.yaml", "--format", "md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_character_the_pdf_cannot_print_in_a_user_template_is_reported_at_the_template_line_once() {
    let lib = temp_dir("cli-template-glyph");
    std::fs::create_dir_all(lib.join("clauses")).unwrap();
    let clause = "{# a comment may hold → #}\n**{{ number[\"governing-law\"] }}\\.** Florida law → applies.\n";
    std::fs::write(lib.join("clauses/governing-law.md.tera"), clause).unwrap();
    let dir = temp_dir("cli-template-glyph-in");
    generate::write_batch(&dir, 3);
    let lib_arg = lib.to_str().unwrap();
    let o = run_in(&dir, &["render", ".", "--library", lib_arg, "-f", "pdf", "--out-dir", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(err.contains("clauses/governing-law.md.tera:2:49: the PDF font has no glyph for '→' (U+2192)"), "{err}");
    assert!(!dir.join("out").exists());
    // Markdown prints it.
    let o = run_in(&dir, &["render", ".", "--library", lib_arg, "--out-dir", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
