//! The CLI's output planning: arbitrary inputs, formats, `-o`/`--out-dir` and manifest
//! paths over an arbitrary small file system -> `cli::plan::plan`. A plan that comes back
//! must never write one path twice, never write over an input or the manifest, and must
//! follow `cp`'s rule for `-o`; a refusal must say why. Any panic is a bug.
#![no_main]

use arbitrary::Arbitrary;
use clausewright::batch::{Dest, Found, Input};
use clausewright::cli::plan::{plan, FileSystem, OutputArg};
use clausewright::Format;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Component, Path, PathBuf};

/// Path pieces that exercise the rules: extensions in any case, `.`, `..`, `-`, a
/// trailing slash, names that differ only in case or only in invalid UTF-8.
const PIECES: &[&[u8]] = &[
    b"a.yaml", b"a.md", b"a.pdf", b"a.YML", b"a", b"A.yaml", b"b.yaml", b"out", b"out/", b".", b"..", b"-",
    b"x.pdf", b"x.Md", b"x.txt", b"m.json", b"\xff.yaml", b"\xfe.yaml", b"\xef\xbf\xbd.yaml", b".hidden.yaml", b"d",
];

#[derive(Arbitrary, Debug)]
struct Case {
    inputs: Vec<(Vec<u8>, bool, Vec<u8>)>,
    formats: Vec<bool>,
    output: Option<(bool, Vec<u8>)>,
    manifest: Option<Vec<u8>>,
    dirs: Vec<Vec<u8>>,
}

fn path(pieces: &[u8]) -> PathBuf {
    let mut bytes = Vec::new();
    for (i, p) in pieces.iter().take(4).enumerate() {
        if i > 0 && !bytes.ends_with(b"/") {
            bytes.push(b'/');
        }
        bytes.extend_from_slice(PIECES[*p as usize % PIECES.len()]);
    }
    if bytes.is_empty() {
        bytes.extend_from_slice(b"a.yaml");
    }
    PathBuf::from(OsString::from_vec(bytes))
}

/// The oracle's own idea of one file: `/cwd` joined, `.` dropped, `..` taken lexically.
fn key(p: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in Path::new("/cwd").join(p).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

struct Fake {
    dirs: BTreeSet<PathBuf>,
    files: BTreeSet<PathBuf>,
}

impl FileSystem for Fake {
    fn is_dir(&self, p: &Path) -> bool {
        self.dirs.contains(&key(p))
    }
    fn exists(&self, p: &Path) -> bool {
        self.dirs.contains(&key(p)) || self.files.contains(&key(p))
    }
    fn keys(&self, p: &Path, _follow: bool) -> Vec<PathBuf> {
        vec![key(p)]
    }
}

fuzz_target!(|case: Case| {
    let found: Vec<Found> = case
        .inputs
        .iter()
        .take(8)
        .map(|(p, stdin, under)| Found {
            input: if *stdin { Input::Stdin } else { Input::File(path(p)) },
            under: if under.is_empty() { PathBuf::new() } else { path(under) },
        })
        .collect();
    let formats: Vec<Format> =
        case.formats.iter().take(3).map(|pdf| if *pdf { Format::Pdf } else { Format::Markdown }).collect();
    let output = match &case.output {
        None => OutputArg::Default,
        Some((true, p)) => OutputArg::Dir(path(p)),
        Some((false, p)) => OutputArg::Path(path(p)),
    };
    let manifest = case.manifest.as_ref().map(|m| path(m));
    let mut fs = Fake { dirs: case.dirs.iter().take(4).map(|d| key(&path(d))).collect(), files: BTreeSet::new() };
    fs.dirs.insert(PathBuf::from("/cwd"));
    for f in &found {
        if let Input::File(p) = &f.input {
            if !fs.dirs.contains(&key(p)) {
                fs.files.insert(key(p));
            }
        }
    }
    let result = plan(&found, &formats, &output, manifest.as_deref(), &fs);
    let plan = match result {
        Err(problems) => {
            assert!(!problems.is_empty() && problems.iter().all(|p| !p.is_empty()), "a refusal without a reason");
            return;
        }
        Ok(plan) => plan,
    };
    assert_eq!(plan.jobs.len(), found.len(), "an input was dropped or added");
    assert!(!plan.formats.is_empty());
    let inputs: BTreeSet<PathBuf> =
        found.iter().filter_map(|f| if let Input::File(p) = &f.input { Some(key(p)) } else { None }).collect();
    let mut written = BTreeSet::new();
    for job in &plan.jobs {
        assert_eq!(job.outputs.len(), plan.formats.len());
        for (format, dest) in &job.outputs {
            assert!(plan.formats.contains(format));
            match dest {
                Dest::Stdout => assert!(plan.jobs.len() == 1 && job.outputs.len() == 1, "several documents to stdout"),
                Dest::File(p) => {
                    let k = key(p);
                    assert!(!inputs.contains(&k), "{p:?} overwrites an input");
                    assert!(manifest.as_deref().is_none_or(|m| key(m) != k), "{p:?} is the manifest");
                    assert!(written.insert(k), "{p:?} is written twice");
                    if let Some(folder) = &plan.folder {
                        assert!(p.starts_with(folder), "{p:?} outside {folder:?}");
                    }
                }
            }
        }
    }
    // cp's rule: a PATH that is not an existing folder and does not end in / is the file.
    if let OutputArg::Path(p) = &output {
        let slash = p.as_os_str().as_encoded_bytes().ends_with(b"/");
        if p.as_os_str() != "-" && !slash && !fs.is_dir(p) {
            assert_eq!(plan.jobs[0].outputs, [(plan.formats[0], Dest::File(p.clone()))], "-o {p:?} not the file itself");
        }
    }
});
