//! Batch runs over folders: parallel, resilient, reproducible, atomic.

mod common;
use common::*;
use std::path::Path;

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    v.sort();
    v
}

#[test]
fn a_folder_with_good_and_bad_sheets_renders_the_good_and_names_the_bad() {
    let dir = temp_dir("batch-mixed");
    let input = dir.join("in");
    generate::write_batch(&input, 12);
    std::fs::copy(root().join("fixtures/invalid/months-zero.yaml"), input.join("bad-months.yaml")).unwrap();
    std::fs::copy(root().join("fixtures/invalid/state-misspelt.yaml"), input.join("bad-state.yml")).unwrap();
    std::fs::write(input.join("notes.txt"), "not a deal sheet").unwrap();
    let o = run_in(&dir, &["render", "in", "--format", "md", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("in/bad-months.yaml:19:11"), "{err}");
    assert!(err.contains("in/bad-state.yml:8:17"), "{err}");
    assert!(err.contains("rendered 12 of 14 deal sheets (12 files in out); 2 failed"), "{err}");
    let written = files(&dir.join("out"));
    assert_eq!(written.len(), 12);
    assert!(written.iter().all(|f| f.starts_with("deal-") && f.ends_with(".md")), "{written:?}");
}

#[test]
fn fail_fast_stops_early() {
    let dir = temp_dir("batch-fail-fast");
    let input = dir.join("in");
    generate::write_batch(&input, 200);
    std::fs::copy(root().join("fixtures/invalid/months-zero.yaml"), input.join("a-bad.yaml")).unwrap();
    let o = run_in(&dir, &["render", "in", "--out", "out", "--fail-fast", "--jobs", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not attempted after --fail-fast"), "{}", stderr(&o));
    assert!(!dir.join("out").exists() || files(&dir.join("out")).len() < 200);
}

#[test]
fn two_inputs_with_one_output_name_are_refused_before_writing() {
    let dir = temp_dir("batch-collision");
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("deal.yaml"), generate::deal_sheet(1)).unwrap();
    }
    let o = run_in(&dir, &["render", "a", "b", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a/deal.yaml and b/deal.yaml would both write out/deal.md"), "{}", stderr(&o));
    assert!(!dir.join("out").exists());
}

#[test]
fn output_and_manifest_are_the_same_for_any_number_of_jobs() {
    let dir = temp_dir("batch-jobs");
    generate::write_batch(&dir.join("in"), 40);
    let mut runs = Vec::new();
    for (name, jobs) in [("one", "1"), ("two", "2"), ("again", "2")] {
        let out = format!("out-{name}");
        let manifest = format!("{out}/manifest.json");
        let o =
            run_in(&dir, &["render", "in", "--format", "md", "--jobs", jobs, "--out", "out", "--manifest", &manifest]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let mut contents: Vec<(String, Vec<u8>)> = files(&dir.join("out"))
            .into_iter()
            .map(|f| (f.clone(), std::fs::read(dir.join("out").join(&f)).unwrap()))
            .collect();
        contents.sort();
        runs.push((contents, std::fs::read_to_string(dir.join(&manifest)).unwrap()));
        std::fs::remove_dir_all(dir.join("out")).unwrap();
    }
    assert_eq!(runs[0], runs[1], "--jobs 1 and --jobs 2 differ");
    assert_eq!(runs[1], runs[2], "two runs differ");
    let manifest: serde_json::Value = serde_json::from_str(&runs[0].1).unwrap();
    let entries = manifest.as_array().unwrap();
    assert_eq!(entries.len(), 40);
    assert_eq!(entries[0]["input"], "in/deal-00000.yaml");
    assert_eq!(entries[0]["outputs"][0]["path"], "out/deal-00000.md");
    let md = std::fs::read(dir.join("in/deal-00000.yaml")).unwrap();
    assert_eq!(entries[0]["sha256"].as_str().unwrap().len(), 64);
    assert_ne!(entries[0]["sha256"].as_str().unwrap(), entries[1]["sha256"].as_str().unwrap());
    assert!(!md.is_empty());
}

#[test]
fn shards_split_a_folder_without_overlap_or_gaps() {
    let dir = temp_dir("batch-shards");
    generate::write_batch(&dir.join("in"), 25);
    let mut all = Vec::new();
    for k in 1..=3 {
        let out = format!("out-{k}");
        let o = run_in(&dir, &["render", "in", "--shard", &format!("{k}/3"), "--out", &out]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let got = files(&dir.join(&out));
        assert!(got.len() == 8 || got.len() == 9, "{got:?}");
        all.extend(got);
    }
    all.sort();
    let expected: Vec<String> = (0..25).map(|i| format!("deal-{i:05}.md")).collect();
    assert_eq!(all, expected);
}

#[test]
fn a_killed_run_leaves_no_truncated_file() {
    let dir = temp_dir("batch-killed");
    generate::write_batch(&dir.join("in"), 3000);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clausewright"))
        .args(["render", "in", "--format", "md", "--out", "out", "--quiet"])
        .current_dir(&dir)
        .spawn()
        .unwrap();
    // Kill it as soon as the first outputs appear, in the middle of the batch.
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(20) {
        if dir.join("out").exists() && std::fs::read_dir(dir.join("out")).unwrap().count() > 20 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written: Vec<String> = files(&dir.join("out")).into_iter().filter(|f| f.ends_with(".md")).collect();
    assert!(!written.is_empty());
    // Every file under its final name is whole: it equals a fresh rendering of its deal sheet.
    let o = run_in(&dir, &["render", "in", "--format", "md", "--out", "fresh", "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    for f in &written {
        let partial = std::fs::read(dir.join("out").join(f)).unwrap();
        let whole = std::fs::read(dir.join("fresh").join(f)).unwrap();
        assert_eq!(partial, whole, "{f} is truncated");
    }
}

/// A batch larger than one reporting chunk (256 deal sheets) reports its failures and
/// warnings as it goes, still in input order, and counts them all.
#[test]
fn a_long_batch_reports_every_problem_in_input_order() {
    let dir = temp_dir("batch-long");
    let input = dir.join("in");
    generate::write_batch(&input, 600);
    let bad = std::fs::read_to_string(root().join("fixtures/invalid/months-zero.yaml")).unwrap();
    for i in [3, 255, 256, 257, 511, 599] {
        std::fs::write(input.join(format!("deal-{i:05}.yaml")), &bad).unwrap();
    }
    let o = run_in(&dir, &["render", "in", "--format", "md", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("rendered 594 of 600 deal sheets (594 files in out); 6 failed"), "{err}");
    // Every file named in a message, in the order of the messages: sorted, as the inputs are.
    let named: Vec<&str> = err
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> in/"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let mut sorted = named.clone();
    sorted.sort();
    assert_eq!(named, sorted, "messages out of input order");
    assert!(named.contains(&"deal-00599.yaml") && named.contains(&"deal-00256.yaml"), "{named:?}");
    let warned =
        named.iter().filter(|n| !["00003", "00255", "00256", "00257", "00511", "00599"].iter().any(|b| n.contains(b)));
    assert!(warned.count() > 100, "the generated sheets' warnings are reported too");
}

/// One batch of deal sheets of both shipped agreements, in any order: the embedded library
/// is read lazily (each template parsed when a deal first needs it), and every document is
/// the same as its golden Markdown, rendered alone.
#[test]
fn a_batch_mixing_agreements_renders_each_as_its_golden() {
    let dir = temp_dir("batch-mixed-agreements");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let mut goldens = Vec::new();
    for folder in ["fixtures/finder", "fixtures/variants", "fixtures"] {
        for entry in std::fs::read_dir(root().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let golden = path.with_extension("md");
            if path.extension().is_some_and(|e| e == "yaml") && golden.exists() {
                // Interleave the agreements: the finder's sheets sort between the variants.
                let name = format!("{}-{}", goldens.len() % 7, path.file_name().unwrap().to_str().unwrap());
                std::fs::copy(&path, input.join(&name)).unwrap();
                goldens.push((name, golden));
            }
        }
    }
    assert!(goldens.len() > 15, "{goldens:?}");
    let o = run_in(&dir, &["render", "in", "--format", "md", "--out", "out", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (name, golden) in goldens {
        let out = std::fs::read_to_string(dir.join("out").join(name.replace(".yaml", ".md"))).unwrap();
        assert_eq!(out, std::fs::read_to_string(&golden).unwrap(), "{name} differs from {}", golden.display());
    }
}
