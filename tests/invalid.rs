//! The bad-input corpus: every deal sheet in fixtures/invalid/ is refused with exactly the
//! message pinned in the `.stderr` file beside it, exit status 1, nothing written, no panic.
//! Re-accept changed messages with `CLAUSEWRIGHT_ACCEPT=1 cargo test`.

mod common;
use common::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn corpus() -> Vec<PathBuf> {
    yaml_files("fixtures/invalid").into_iter().map(|p| root().join(p)).collect()
}

#[test]
fn every_invalid_deal_sheet_is_refused_with_its_pinned_message() {
    let files = corpus();
    assert!(files.len() >= 40, "the corpus has {} deal sheets", files.len());
    let out = temp_dir("invalid");
    let mut failures = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(root()).unwrap().to_str().unwrap().to_string();
        let started = Instant::now();
        let o = run(&["render", &rel, "--quiet", "--format", "md", "--out", out.to_str().unwrap()]);
        let took = started.elapsed();
        let err = stderr(&o);
        if o.status.code() != Some(1) {
            failures.push(format!("{rel}: exit {:?}, expected 1\n{err}", o.status.code()));
        }
        if err.contains("panicked") {
            failures.push(format!("{rel}: panicked\n{err}"));
        }
        if took > Duration::from_secs(1) {
            failures.push(format!("{rel}: took {took:?}"));
        }
        if !err.contains(&format!("{rel}:")) || !err.contains("error") {
            failures.push(format!("{rel}: the message does not name the file and position\n{err}"));
        }
        failures.extend(golden(&file.with_extension("stderr"), err.as_bytes()));
    }
    let written: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert!(written.is_empty(), "files were written for invalid deal sheets: {written:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn check_reports_every_error_of_a_file_at_once_in_file_order() {
    let o = run(&["check", "fixtures/invalid/many-errors.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let lines: Vec<usize> = err
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> fixtures/invalid/many-errors.yaml:"))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect();
    assert!(lines.len() >= 9, "{err}");
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "not in file order: {lines:?}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_ten_megabyte_value_is_refused_quickly() {
    let dir = temp_dir("huge");
    let huge = format!("agreement: financial-consulting\nexhibit: \"{}\"\n", "9".repeat(10 * 1024 * 1024));
    std::fs::write(dir.join("huge.yaml"), huge).unwrap();
    let started = Instant::now();
    let o = run_in(&dir, &["check", "huge.yaml"]);
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("huge.yaml:1:1"), "{}", stderr(&o));
    assert!(stderr(&o).contains("more than the 262144 a deal sheet may have"), "{}", stderr(&o));
}

#[test]
fn json_messages_carry_file_position_path_and_help() {
    let o = run(&["check", "--message-format", "json", "fixtures/invalid/unknown-nested-key-misspelt.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let line = stderr(&o).lines().next().unwrap().to_string();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["file"], "fixtures/invalid/unknown-nested-key-misspelt.yaml");
    assert_eq!(v["pos"]["line"], 21);
    assert_eq!(v["pos"]["col"], 3);
    assert_eq!(v["path"], "fee.montly");
    assert_eq!(v["help"], "did you mean `monthly`?");
}
