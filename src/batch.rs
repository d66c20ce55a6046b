//! Batch runs: many deal sheets, rendered in parallel, each written atomically.
//!
//! Inputs are gathered and sorted by path first, so shards (`--shard K/N`), output names
//! and the manifest do not depend on the file system's order or on thread timing. Each
//! deal sheet is read, rendered and written by one worker; only failures (and, for a
//! manifest, a hash per file) are kept, so memory stays flat however many there are.

use crate::output::write_atomic;
use crate::{Diagnostic, Format, Pipeline};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A usage problem found before anything is rendered.
#[derive(Debug)]
pub struct PlanError(pub String);

/// Which slice of the sorted inputs this run renders: shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("expected K/N with 1 <= K <= N, e.g. 2/8, found `{s}`");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The deal sheets named by `paths`: files as given, folders for their `*.yaml`/`*.yml`
/// (not recursive), sorted and without repeats.
pub fn gather(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PlanError> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .map_err(|e| PlanError(format!("cannot read folder {}: {e}", path.display())))?;
            for entry in entries.flatten() {
                let p = entry.path();
                let yaml = matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
                // The directory entry's type costs no system call; a link is followed.
                let file = entry.file_type().is_ok_and(|t| t.is_file() || (t.is_symlink() && p.is_file()));
                if yaml && file {
                    inputs.push(p);
                }
            }
        } else {
            inputs.push(path.clone());
        }
    }
    inputs.sort();
    inputs.dedup();
    Ok(inputs)
}

/// Keeps shard `index` of `count`: every count-th input of the sorted list.
pub fn shard(inputs: Vec<PathBuf>, shard: Option<Shard>) -> Vec<PathBuf> {
    match shard {
        None => inputs,
        Some(s) => inputs.into_iter().enumerate().filter(|(i, _)| i % s.count == s.index - 1).map(|(_, p)| p).collect(),
    }
}

/// The output file of `input` in `format`: `OUT/<input stem>.<ext>`.
pub fn output_path(out: &Path, input: &Path, format: Format) -> PathBuf {
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    out.join(format!("{stem}.{}", format.extension()))
}

/// Refuses a plan in which two inputs would write the same file: every input writes
/// `OUT/<stem>.<ext>`, so that is two inputs with one file stem.
pub fn check_collisions(inputs: &[PathBuf], out: &Path, formats: &[Format]) -> Result<(), PlanError> {
    let mut stems: Vec<(&OsStr, &Path)> =
        inputs.iter().map(|p| (p.file_stem().unwrap_or_default(), p.as_path())).collect();
    stems.sort_unstable();
    for pair in stems.windows(2) {
        let ((stem, first), (next, second)) = (pair[0], pair[1]);
        if stem == next {
            let target = output_path(out, second, formats.first().copied().unwrap_or(Format::Markdown));
            return Err(PlanError(format!(
                "{} and {} would both write {}; rename one of them or render them into different --out folders",
                first.display(),
                second.display(),
                target.display()
            )));
        }
    }
    Ok(())
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    pub input: PathBuf,
    pub result: Result<Written, Vec<Diagnostic>>,
    /// The deal sheet's text when it has diagnostics, to show the lines they point at.
    pub source: Option<String>,
}

/// The files written for one input, with their SHA-256 (empty unless [`Run::hash`]).
#[derive(Debug, Serialize)]
pub struct Written {
    pub input_sha256: String,
    pub outputs: Vec<(PathBuf, String)>,
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// Options of a batch run.
pub struct Run<'a> {
    pub pipeline: &'a Pipeline,
    pub out: &'a Path,
    pub fail_fast: bool,
    /// Compute SHA-256 of inputs and outputs (for the manifest).
    pub hash: bool,
    /// Called once per finished input (progress).
    pub on_done: &'a (dyn Fn() + Sync),
}

/// The result of a batch run.
#[derive(Debug)]
pub struct Done {
    /// How many inputs were rendered and written.
    pub rendered: usize,
    /// How many inputs were attempted (fewer than given after a `fail_fast` stop).
    pub attempted: usize,
    /// The outcomes worth keeping, in input order: failures, renders with warnings, and
    /// (with [`Run::hash`]) every render, for the manifest. Plain successes are only
    /// counted, so memory does not grow with the size of the batch.
    pub kept: Vec<Outcome>,
}

/// Renders and writes every input, in parallel on the current rayon pool.
pub fn run(inputs: &[PathBuf], run: &Run) -> Done {
    let stop = AtomicBool::new(false);
    let rendered = AtomicUsize::new(0);
    let attempted = AtomicUsize::new(0);
    let kept = inputs
        .par_iter()
        .filter_map(|input| {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            attempted.fetch_add(1, Ordering::Relaxed);
            let (result, source) = one(input, run);
            (run.on_done)();
            match &result {
                Err(_) if run.fail_fast => stop.store(true, Ordering::Relaxed),
                Ok(w) => {
                    rendered.fetch_add(1, Ordering::Relaxed);
                    if !run.hash && w.warnings.is_empty() {
                        return None;
                    }
                }
                Err(_) => {}
            }
            Some(Outcome { input: input.clone(), result, source })
        })
        .collect();
    Done { rendered: rendered.into_inner(), attempted: attempted.into_inner(), kept }
}

/// Reads, renders and writes one deal sheet; on failure also returns its text.
fn one(input: &Path, run: &Run) -> (Result<Written, Vec<Diagnostic>>, Option<String>) {
    let name = input.display().to_string();
    let fail = |message: String| vec![Diagnostic::error(Default::default(), "", message).in_file(&name)];
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => return (Err(fail(format!("cannot read the deal sheet: {e}"))), None),
    };
    let rendered = match run.pipeline.run(&bytes, &name) {
        Ok(r) => r,
        Err(ds) => return (Err(ds), Some(String::from_utf8_lossy(&bytes).into_owned())),
    };
    let mut outputs = Vec::new();
    for (format, data) in &rendered.outputs {
        let path = output_path(run.out, input, *format);
        if let Err(e) = write_atomic(&path, data) {
            return (Err(fail(format!("cannot write {}: {e}", path.display()))), None);
        }
        outputs.push((path, if run.hash { sha256(data) } else { String::new() }));
    }
    let source = (!rendered.warnings.is_empty()).then(|| String::from_utf8_lossy(&bytes).into_owned());
    let input_sha256 = if run.hash { sha256(&bytes) } else { String::new() };
    (Ok(Written { input_sha256, outputs, warnings: rendered.warnings }), source)
}

/// Lower-case hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest: one entry per rendered input, sorted by input path, as pretty JSON.
pub fn manifest(outcomes: &[Outcome]) -> String {
    #[derive(Serialize)]
    struct Entry<'a> {
        input: String,
        sha256: &'a str,
        outputs: Vec<File<'a>>,
    }
    #[derive(Serialize)]
    struct File<'a> {
        path: String,
        sha256: &'a str,
    }
    let mut entries: Vec<Entry> = outcomes
        .iter()
        .filter_map(|o| {
            let w = o.result.as_ref().ok()?;
            Some(Entry {
                input: slash(&o.input),
                sha256: &w.input_sha256,
                outputs: w.outputs.iter().map(|(p, h)| File { path: slash(p), sha256: h }).collect(),
            })
        })
        .collect();
    entries.sort_by(|a, b| a.input.cmp(&b.input));
    let mut json = serde_json::to_string_pretty(&entries).unwrap_or_default();
    json.push('\n');
    json
}

/// A path with `/` separators, the same on every system.
fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_sorted_inputs_without_overlap() {
        let inputs: Vec<PathBuf> = (0..10).map(|i| PathBuf::from(format!("{i}.yaml"))).collect();
        let parts: Vec<Vec<PathBuf>> =
            (1..=3).map(|k| shard(inputs.clone(), Some(Shard { index: k, count: 3 }))).collect();
        assert_eq!(parts.iter().map(Vec::len).sum::<usize>(), 10);
        let mut all: Vec<PathBuf> = parts.concat();
        all.sort();
        assert_eq!(all, inputs);
    }

    #[test]
    fn shard_syntax() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        assert!("0/8".parse::<Shard>().is_err());
        assert!("9/8".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn collisions_are_refused() {
        let inputs = [PathBuf::from("a/deal.yaml"), PathBuf::from("b/deal.yml")];
        assert!(check_collisions(&inputs, Path::new("out"), &[Format::Markdown]).is_err());
        assert!(check_collisions(&inputs[..1], Path::new("out"), &[Format::Markdown, Format::Pdf]).is_ok());
    }
}
