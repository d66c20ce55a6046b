//! Batch runs: many deal sheets, rendered in parallel, each written atomically.
//!
//! Inputs are gathered and sorted by path first, so shards (`--shard K/N`), output names
//! and the manifest do not depend on the file system's order or on thread timing. Each
//! deal sheet is read, rendered and written by one worker; only failures (and, for a
//! manifest, a hash per file) are kept, so memory stays flat however many there are.

use crate::output::write_all_atomic;
use crate::{Diagnostic, Format, Pipeline};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
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

/// Where a deal sheet comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// Standard input (`-`, or piped with no INPUT); named `<stdin>` in messages.
    Stdin,
    /// A file as the user named it (or as found in a folder).
    File(PathBuf),
}

impl Input {
    /// The name printed in messages and the manifest.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// A deal sheet found on the command line or in a folder, with the sub-folder (relative
/// to the folder searched) it was found in: a recursive render mirrors it under `--out`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub input: Input,
    pub under: PathBuf,
}

/// True for a deal sheet's file name in a folder: `*.yaml` or `*.yml` in any letter case.
pub fn is_deal_sheet_name(name: &std::ffi::OsStr) -> bool {
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or_default();
    ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")
}

/// True for names that folder searches skip, as ripgrep and fd do: `.hidden`.
fn hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// The deal sheets named by `paths`: `-` is standard input, files are taken as given
/// (whatever their name), folders for their `*.yaml`/`*.yml` files (any letter case),
/// hidden files and folders skipped, sub-folders searched when `recursive` (symbolic links
/// to folders are not followed). Sorted, without repeats.
pub fn gather(paths: &[PathBuf], recursive: bool) -> Result<Vec<Found>, PlanError> {
    let mut found = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            found.push(Found { input: Input::Stdin, under: PathBuf::new() });
        } else if path.is_dir() {
            search(path, Path::new(""), recursive, &mut found)?;
        } else {
            found.push(Found { input: Input::File(path.clone()), under: PathBuf::new() });
        }
    }
    found.sort();
    found.dedup_by(|a, b| a.input == b.input);
    Ok(found)
}

fn search(dir: &Path, under: &Path, recursive: bool, found: &mut Vec<Found>) -> Result<(), PlanError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| PlanError(format!("cannot read folder {}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if hidden(&name) {
            continue;
        }
        let p = entry.path();
        // The directory entry's type costs no system call; a link to a file is followed.
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if recursive {
                search(&p, &under.join(&name), recursive, found)?;
            }
        } else if is_deal_sheet_name(&name) && (kind.is_file() || (kind.is_symlink() && p.is_file())) {
            found.push(Found { input: Input::File(p), under: under.to_path_buf() });
        }
    }
    Ok(())
}

/// Keeps shard `index` of `count`: every count-th input of the sorted list.
pub fn shard<T>(inputs: Vec<T>, shard: Option<Shard>) -> Vec<T> {
    match shard {
        None => inputs,
        Some(s) => inputs.into_iter().enumerate().filter(|(i, _)| i % s.count == s.index - 1).map(|(_, p)| p).collect(),
    }
}

/// Reads a deal sheet. A file that is not a regular file (a FIFO, a device, a socket) is
/// refused without opening it, and one larger than [`crate::deal::MAX_BYTES`] without
/// reading it; at most one byte more than the limit is ever read, from any input.
pub fn read(input: &Input) -> Result<Vec<u8>, Diagnostic> {
    let file_level = |message: String| Diagnostic::error(Default::default(), "", message);
    let limit = crate::deal::MAX_BYTES as u64;
    let mut bytes = Vec::new();
    match input {
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| file_level(format!("cannot read standard input: {e}")))?;
            if bytes.len() as u64 > limit {
                return Err(file_level(format!(
                    "standard input has more than the {limit} bytes a deal sheet may have"
                ))
                .with_help("a deal sheet is a short YAML file; check that this is the right input"));
            }
        }
        Input::File(path) => {
            let meta = std::fs::metadata(path).map_err(|e| file_level(format!("cannot read the deal sheet: {e}")))?;
            if !meta.is_file() {
                return Err(file_level(format!("cannot read the deal sheet: it is {}, not a file", kind(&meta)))
                    .with_help("name a deal sheet's file (or `-` for standard input)"));
            }
            if meta.len() > limit {
                return Err(crate::deal::too_big(usize::try_from(meta.len()).unwrap_or(usize::MAX)));
            }
            let file = std::fs::File::open(path).map_err(|e| file_level(format!("cannot read the deal sheet: {e}")))?;
            // Room for the whole file and the end: two reads, as `fs::read` does.
            bytes.reserve_exact(meta.len() as usize + 1);
            file.take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| file_level(format!("cannot read the deal sheet: {e}")))?;
        }
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, for messages.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Where one output goes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dest {
    /// Standard output (`-o -`).
    Stdout,
    /// A file, written atomically.
    File(PathBuf),
}

impl Dest {
    /// The name printed in messages and the manifest: the path, or `-`.
    pub fn name(&self) -> String {
        match self {
            Dest::Stdout => "-".to_string(),
            Dest::File(p) => slash(p),
        }
    }
}

/// One deal sheet and where each of its formats goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub input: Input,
    pub outputs: Vec<(Format, Dest)>,
}

/// What happened to one input.
#[derive(Debug)]
pub struct Outcome {
    pub input: Input,
    pub result: Result<Written, Vec<Diagnostic>>,
    /// The deal sheet's text when it has diagnostics, to show the lines they point at.
    pub source: Option<String>,
}

/// The files written for one input, with their SHA-256 (empty unless [`Run::hash`]).
#[derive(Debug)]
pub struct Written {
    pub input_sha256: String,
    pub outputs: Vec<(Dest, String)>,
    pub warnings: Vec<Diagnostic>,
}

/// Options of a batch run.
pub struct Run<'a> {
    pub pipeline: &'a Pipeline,
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
    /// How many inputs failed.
    pub failed: usize,
    /// What the end of the run still needs, in input order: the inputs that failed, and
    /// (with [`Run::hash`]) every render's hashes, for the manifest. Diagnostics and deal-sheet
    /// texts are handed to the caller's `report` as the run goes and not kept, so memory does
    /// not grow with the size of the batch.
    pub kept: Vec<Outcome>,
}

/// Inputs rendered (in parallel) before their outcomes are reported, in input order.
const CHUNK: usize = 256;

/// Renders and writes every input, in parallel on the current rayon pool. The outcomes
/// worth reporting (failures and renders with warnings, with the deal sheet's text) go to
/// `report` a chunk at a time, in input order.
pub fn run(jobs: &[Job], run: &Run, report: &mut dyn FnMut(&[Outcome])) -> Done {
    let stop = AtomicBool::new(false);
    let rendered = AtomicUsize::new(0);
    let attempted = AtomicUsize::new(0);
    let mut failed = 0;
    let mut kept = Vec::new();
    for chunk in jobs.chunks(CHUNK) {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .filter_map(|job| {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                attempted.fetch_add(1, Ordering::Relaxed);
                let (result, source) = one(job, run);
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
                Some(Outcome { input: job.input.clone(), result, source })
            })
            .collect();
        report(&outcomes);
        for mut o in outcomes {
            o.source = None;
            match &mut o.result {
                Ok(w) if run.hash => w.warnings = Vec::new(),
                Ok(_) => continue,
                Err(ds) => {
                    failed += 1;
                    *ds = Vec::new();
                }
            }
            kept.push(o);
        }
    }
    Done { rendered: rendered.into_inner(), attempted: attempted.into_inner(), failed, kept }
}

/// Reads, renders and writes one deal sheet, all its formats or none; on failure also
/// returns its text.
fn one(job: &Job, run: &Run) -> (Result<Written, Vec<Diagnostic>>, Option<String>) {
    let name = job.input.name();
    let fail = |message: String| vec![Diagnostic::error(Default::default(), "", message).in_file(&name)];
    let bytes = match read(&job.input) {
        Ok(b) => b,
        Err(d) => return (Err(vec![d.in_file(&name)]), None),
    };
    let rendered = match run.pipeline.run(&bytes, &name) {
        Ok(r) => r,
        Err(ds) => return (Err(ds), Some(String::from_utf8_lossy(&bytes).into_owned())),
    };
    let mut files = Vec::new();
    let mut outputs = Vec::new();
    for (format, data) in &rendered.outputs {
        let Some((_, dest)) = job.outputs.iter().find(|(f, _)| f == format) else { continue };
        match dest {
            Dest::File(path) => files.push((path.as_path(), data.as_slice())),
            Dest::Stdout => {
                let mut out = std::io::stdout().lock();
                if let Err(e) = out.write_all(data).and_then(|()| out.flush()) {
                    return (Err(fail(format!("cannot write to standard output: {e}"))), None);
                }
            }
        }
        outputs.push((dest.clone(), if run.hash { sha256(data) } else { String::new() }));
    }
    if let Err((path, e)) = write_all_atomic(&files) {
        let others = if files.len() > 1 { " (nothing was written for this deal sheet)" } else { "" };
        return (Err(fail(format!("cannot write {}: {e}{others}", path.display()))), None);
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
                input: match &o.input {
                    Input::File(p) => slash(p),
                    stdin => stdin.name(),
                },
                sha256: &w.input_sha256,
                outputs: w.outputs.iter().map(|(d, h)| File { path: d.name(), sha256: h }).collect(),
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
}
