//! Output planning: where each format of each deal sheet goes, decided and checked
//! before anything is read, rendered or written.
//!
//! `-o/--output PATH` follows `cp`'s rule: an existing folder, or a path ending in `/`,
//! receives the outputs (named after the inputs); otherwise, with one input and one
//! format, PATH is the file itself (its format from the extension unless `--format`
//! says otherwise), and `-o -` is standard output. `--out-dir DIR` (alias `--out`) is
//! always a folder. Every output path is then checked against every input, the manifest
//! and every other output, after the file system's own resolution of the names
//! (`..`, symbolic links to folders), so no deal sheet is ever overwritten.
//!
//! [`plan`] is pure given a [`FileSystem`], so it can be tested and fuzzed without disk.

use crate::batch::{Dest, Found, Input, Job};
use crate::Format;
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// Where the user asked the outputs to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputArg {
    /// Nothing given: the current folder (standard output for standard input).
    Default,
    /// `--out-dir DIR` / `--out DIR`: always a folder.
    Dir(PathBuf),
    /// `-o/--output PATH`: a folder, a file or `-`, by `cp`'s rule.
    Path(PathBuf),
}

/// What [`plan`] needs to know about the file system.
pub trait FileSystem {
    /// True when `path` is an existing folder (following links).
    fn is_dir(&self, path: &Path) -> bool;
    /// True when something exists at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// The identities under which the file system reaches `path`: two paths with a
    /// common key name one file. An output's key is its folder's real path and its
    /// name (a write replaces a link, it does not follow it); an input that is a link
    /// also has the key of the file it points at.
    fn keys(&self, path: &Path, follow: bool) -> Vec<PathBuf>;
}

/// The planned run.
#[derive(Debug, PartialEq, Eq)]
pub struct Plan {
    pub jobs: Vec<Job>,
    /// The formats rendered, in [`Format`] order.
    pub formats: Vec<Format>,
    /// The folder receiving the outputs, when they go to a folder.
    pub folder: Option<PathBuf>,
}

/// Plans a run: `formats` as given on the command line (empty when not given).
/// Returns every problem, each naming the paths involved.
pub fn plan(
    found: &[Found],
    formats: &[Format],
    output: &OutputArg,
    manifest: Option<&Path>,
    fs: &dyn FileSystem,
) -> Result<Plan, Vec<String>> {
    let mut given = formats.to_vec();
    given.sort();
    given.dedup();
    let target = match output {
        OutputArg::Path(p) if p.as_os_str() == "-" => Target::Stdout,
        OutputArg::Path(p) if ends_with_separator(p) || fs.is_dir(p) => Target::Folder(p.clone()),
        OutputArg::Path(p) => Target::File(p.clone()),
        OutputArg::Dir(d) if fs.exists(d) && !fs.is_dir(d) => {
            return Err(vec![format!("--out-dir {}: it is a file, not a folder", d.display())]);
        }
        OutputArg::Dir(d) => Target::Folder(d.clone()),
        OutputArg::Default if found.len() == 1 && found[0].input == Input::Stdin => Target::Stdout,
        OutputArg::Default => Target::Folder(PathBuf::from(".")),
    };
    let one = |what: &str| -> Result<(), Vec<String>> {
        match found.len() {
            1 => Ok(()),
            n => Err(vec![format!(
                "{what} names one document, but {n} deal sheets were given; to write them into a folder, name an existing folder, end the name with /, or use --out-dir"
            )]),
        }
    };
    let (jobs, formats, folder) = match &target {
        Target::Stdout => {
            one("-o -")?;
            let format = single(&given, "-o -")?.unwrap_or(Format::Markdown);
            (vec![Job { input: found[0].input.clone(), outputs: vec![(format, Dest::Stdout)] }], vec![format], None)
        }
        Target::File(path) => {
            let what = format!("-o {}", path.display());
            one(&what)?;
            let format = match single(&given, &what)? {
                Some(f) => f,
                None => from_extension(path).ok_or_else(|| {
                    vec![format!(
                        "cannot tell the format of {} from its extension; name it .md or .pdf, or pass --format md or --format pdf",
                        path.display()
                    )]
                })?,
            };
            let job = Job { input: found[0].input.clone(), outputs: vec![(format, Dest::File(path.clone()))] };
            (vec![job], vec![format], None)
        }
        Target::Folder(dir) => {
            let formats = if given.is_empty() { vec![Format::Markdown] } else { given.clone() };
            let mut jobs = Vec::with_capacity(found.len());
            let mut problems = Vec::new();
            for f in found {
                let Input::File(path) = &f.input else {
                    problems.push(format!(
                        "standard input has no file name to name the output after; pass -o FILE (or -o - for standard output) instead of the folder {}",
                        dir.display()
                    ));
                    continue;
                };
                let stem = path.file_stem().unwrap_or(path.as_os_str());
                let outputs = formats
                    .iter()
                    .map(|format| {
                        let mut name = OsString::from(stem);
                        name.push(".");
                        name.push(format.extension());
                        (*format, Dest::File(dir.join(&f.under).join(name)))
                    })
                    .collect();
                jobs.push(Job { input: f.input.clone(), outputs });
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            (jobs, formats, Some(dir.clone()))
        }
    };
    collisions(&jobs, manifest, fs)?;
    Ok(Plan { jobs, formats, folder })
}

enum Target {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
}

/// The one format asked for a single output, if any was asked.
fn single(given: &[Format], what: &str) -> Result<Option<Format>, Vec<String>> {
    match given {
        [] => Ok(None),
        [f] => Ok(Some(*f)),
        _ => Err(vec![format!(
            "{what} names one document, but --format asks for several; use --out-dir DIR for all of them"
        )]),
    }
}

/// The format named by a file's extension, in any letter case.
pub fn from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" => Some(Format::Markdown),
        "pdf" => Some(Format::Pdf),
        _ => None,
    }
}

fn ends_with_separator(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.last().is_some_and(|b| *b == b'/' || (cfg!(windows) && *b == b'\\'))
}

/// What a key belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    Input(usize),
    Output(usize),
    Manifest,
}

/// Refuses a plan in which any path would be written twice or would replace an input:
/// outputs against inputs, against the manifest and against each other.
fn collisions(jobs: &[Job], manifest: Option<&Path>, fs: &dyn FileSystem) -> Result<(), Vec<String>> {
    // Every path read or written, by the hash of its key: a batch of 10,000 deal sheets
    // holds 20,000 hashes here, not 20,000 paths. Equal hashes are then compared by their
    // keys, so two files are one only when their keys are equal.
    let hash = |key: &Path| {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(key.as_os_str())
    };
    let mut claims: Vec<(u64, Owner, &Path, bool)> = Vec::with_capacity(jobs.len() * 2);
    for (i, job) in jobs.iter().enumerate() {
        if let Input::File(p) = &job.input {
            claims.extend(fs.keys(p, true).iter().map(|key| (hash(key), Owner::Input(i), p.as_path(), true)));
        }
        for (_, dest) in &job.outputs {
            if let Dest::File(p) = dest {
                claims.extend(fs.keys(p, false).iter().map(|key| (hash(key), Owner::Output(i), p.as_path(), false)));
            }
        }
    }
    if let Some(m) = manifest {
        claims.extend(fs.keys(m, false).iter().map(|key| (hash(key), Owner::Manifest, m, false)));
    }
    claims.sort_unstable_by_key(|c| (c.0, c.1));
    // The claims of one hash, grouped by their actual keys.
    let mut same_file: Vec<(PathBuf, Vec<(Owner, &Path)>)> = Vec::new();
    for run in claims.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        let mut by_key: Vec<(PathBuf, Vec<(Owner, &Path)>)> = Vec::new();
        for &(_, owner, path, follow) in run {
            for key in fs.keys(path, follow).into_iter().filter(|k| hash(k) == run[0].0) {
                match by_key.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, owners)) => owners.push((owner, path)),
                    None => by_key.push((key, vec![(owner, path)])),
                }
            }
        }
        same_file.extend(by_key.into_iter().filter(|(_, owners)| owners.len() > 1));
    }
    // Problems in the order of the paths.
    same_file.sort_by(|a, b| a.0.cmp(&b.0));
    let input = |i: usize| jobs[i].input.name();
    let mut problems = Vec::new();
    for (_, mut owners) in same_file {
        owners.sort();
        owners.dedup_by(|a, b| a.0 == b.0);
        let reader = owners.iter().find_map(|(o, _)| match o {
            Owner::Input(i) => Some(*i),
            _ => None,
        });
        let writers: Vec<(Owner, &Path)> =
            owners.iter().copied().filter(|(o, _)| !matches!(o, Owner::Input(_))).collect();
        let problem = match (writers.as_slice(), reader) {
            ([(Owner::Output(j), p), ..], Some(i)) if *j == i => format!(
                "{}: the output of {} would overwrite that deal sheet itself; write it to another folder (--out-dir) or give the deal sheet a .yaml name",
                p.display(),
                input(i)
            ),
            ([(Owner::Output(j), p), ..], Some(i)) => format!(
                "{}: the output of {} would overwrite the deal sheet {}; write it to another folder (--out-dir)",
                p.display(),
                input(*j),
                input(i)
            ),
            ([(_, p), ..], Some(i)) => {
                format!("{}: the manifest would overwrite the deal sheet {}; name the manifest differently", p.display(), input(i))
            }
            ([(Owner::Output(j), p), (Owner::Output(k), _), ..], None) => format!(
                "{} and {} would both write {}; rename one of them or render them into different --out-dir folders",
                input(*j),
                input(*k),
                p.display()
            ),
            ([(Owner::Output(j), p), (_, _), ..], None) => format!(
                "{}: the manifest would overwrite the output of {}; name the manifest differently",
                p.display(),
                input(*j)
            ),
            _ => continue,
        };
        problems.push(problem);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The file system as it is.
pub struct RealFs {
    cwd: PathBuf,
    /// Folders already resolved: a batch's outputs share one folder.
    dirs: std::cell::RefCell<HashMap<PathBuf, PathBuf>>,
    /// The folder asked last, and its real path: the inputs of a folder come one after another.
    last: std::cell::RefCell<Option<(PathBuf, PathBuf)>>,
}

impl RealFs {
    pub fn new() -> RealFs {
        RealFs { cwd: std::env::current_dir().unwrap_or_default(), dirs: Default::default(), last: Default::default() }
    }

    /// The real path of a folder, resolved once; a folder that does not exist yet is
    /// its nearest existing parent's real path with the rest appended.
    fn real_dir(&self, dir: &Path) -> PathBuf {
        if let Some((last, real)) = &*self.last.borrow() {
            if last == dir {
                return real.clone();
            }
        }
        let real = self.real_dir_uncached(dir);
        *self.last.borrow_mut() = Some((dir.to_path_buf(), real.clone()));
        real
    }

    fn real_dir_uncached(&self, dir: &Path) -> PathBuf {
        if let Some(real) = self.dirs.borrow().get(dir) {
            return real.clone();
        }
        let real = match std::fs::canonicalize(dir) {
            Ok(real) => real,
            Err(_) => match (dir.parent(), dir.file_name()) {
                (Some(parent), Some(name)) => self.real_dir(parent).join(name),
                _ => lexical(dir),
            },
        };
        self.dirs.borrow_mut().insert(dir.to_path_buf(), real.clone());
        real
    }
}

impl Default for RealFs {
    fn default() -> Self {
        RealFs::new()
    }
}

impl FileSystem for RealFs {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn exists(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok()
    }

    fn keys(&self, path: &Path, follow: bool) -> Vec<PathBuf> {
        let abs = lexical(&self.cwd.join(path));
        let own = match (abs.parent(), abs.file_name()) {
            (Some(parent), Some(name)) => self.real_dir(parent).join(name),
            _ => abs.clone(),
        };
        // macOS and Windows file systems ignore letter case by default: `A.md` and `a.md`
        // are one file there.
        let own = if cfg!(any(windows, target_os = "macos")) {
            PathBuf::from(own.to_string_lossy().to_lowercase())
        } else {
            own
        };
        let mut keys = vec![own];
        let is_link = || std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink());
        if follow && is_link() {
            if let Ok(target) = std::fs::canonicalize(&abs) {
                keys.push(target);
            }
        }
        keys
    }
}

/// `path` with `.` removed and `..` taken lexically (for paths that do not exist yet).
fn lexical(path: &Path) -> PathBuf {
    // Most paths are already in that form (a batch's thousands of `folder/name.yaml`):
    // kept as they are, without taking them apart.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let plain = bytes.first() == Some(&b'/')
            && !bytes.ends_with(b"/")
            && bytes[1..].split(|&b| b == b'/').all(|part| !matches!(part, b"" | b"." | b".."));
        if plain {
            return path.to_path_buf();
        }
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths_in_normal_form_are_kept_and_others_normalised() {
        for (path, want) in [
            ("/a/b.yaml", "/a/b.yaml"),
            ("/a//b.yaml", "/a/b.yaml"),
            ("/a/./b.yaml", "/a/b.yaml"),
            ("/a/x/../b.yaml", "/a/b.yaml"),
            ("/a/b/", "/a/b"),
            ("/a/.hidden.yaml", "/a/.hidden.yaml"),
            ("/a/..b.yaml", "/a/..b.yaml"),
            ("a/../b", "b"),
            ("/", "/"),
        ] {
            assert_eq!(lexical(Path::new(path)).as_os_str(), want, "{path}");
        }
    }

    /// A file system with the given folders; keys are lexical paths under `/cwd`.
    struct Fake(Vec<&'static str>);

    impl FileSystem for Fake {
        fn is_dir(&self, path: &Path) -> bool {
            self.0.iter().any(|d| lexical(Path::new(d)) == lexical(path))
        }
        fn exists(&self, path: &Path) -> bool {
            self.is_dir(path) || path.to_string_lossy().ends_with(".yaml")
        }
        fn keys(&self, path: &Path, _follow: bool) -> Vec<PathBuf> {
            vec![lexical(&Path::new("/cwd").join(path))]
        }
    }

    fn files(names: &[&str]) -> Vec<Found> {
        names.iter().map(|n| Found { input: Input::File(PathBuf::from(n)), under: PathBuf::new() }).collect()
    }

    fn dests(plan: &Plan) -> Vec<Dest> {
        plan.jobs.iter().flat_map(|j| j.outputs.iter().map(|(_, d)| d.clone())).collect()
    }

    fn file(p: &str) -> Dest {
        Dest::File(PathBuf::from(p))
    }

    #[test]
    fn dash_o_follows_cp() {
        let fs = Fake(vec!["out"]);
        let one = files(&["a.yaml"]);
        let path = |p: &str| OutputArg::Path(PathBuf::from(p));
        let p = plan(&one, &[], &path("x.pdf"), None, &fs).unwrap();
        assert_eq!((dests(&p), p.formats), (vec![file("x.pdf")], vec![Format::Pdf]));
        let p = plan(&one, &[Format::Markdown], &path("x.pdf"), None, &fs).unwrap();
        assert_eq!(p.formats, [Format::Markdown], "--format wins over the extension");
        let p = plan(&one, &[], &path("out"), None, &fs).unwrap();
        assert_eq!(dests(&p), [file("out/a.md")]);
        let p = plan(&files(&["a.yaml", "b.yaml"]), &[], &path("new/"), None, &fs).unwrap();
        assert_eq!(dests(&p), [file("new/a.md"), file("new/b.md")]);
        assert_eq!(dests(&plan(&one, &[], &path("-"), None, &fs).unwrap()), [Dest::Stdout]);
        assert!(plan(&files(&["a.yaml", "b.yaml"]), &[], &path("x.pdf"), None, &fs).is_err());
        assert!(plan(&one, &[Format::Markdown, Format::Pdf], &path("x.pdf"), None, &fs).is_err());
        assert!(plan(&one, &[], &path("x.txt"), None, &fs).is_err());
        let p = plan(&one, &[], &OutputArg::Dir(PathBuf::from("x.pdf")), None, &fs).unwrap();
        assert_eq!(dests(&p), [file("x.pdf/a.md")], "--out-dir is always a folder");
    }

    #[test]
    fn collisions_name_both_sides() {
        let fs = Fake(vec![]);
        let dir = OutputArg::Dir(PathBuf::from("out"));
        let e = plan(&files(&["a/deal.yaml", "b/deal.yml"]), &[], &dir, None, &fs).unwrap_err();
        assert_eq!(e, ["a/deal.yaml and b/deal.yml would both write out/deal.md; rename one of them or render them into different --out-dir folders"]);
        let e = plan(&files(&["deal.md"]), &[], &OutputArg::Dir(PathBuf::from(".")), None, &fs).unwrap_err();
        assert!(e[0].contains("the output of deal.md would overwrite that deal sheet itself"), "{e:?}");
        let e = plan(&files(&["a.yaml"]), &[], &dir, Some(Path::new("out/../out/a.md")), &fs).unwrap_err();
        assert!(e[0].contains("the manifest would overwrite the output of a.yaml"), "{e:?}");
        let e = plan(&files(&["a.yaml"]), &[], &dir, Some(Path::new("./a.yaml")), &fs).unwrap_err();
        assert!(e[0].contains("the manifest would overwrite the deal sheet a.yaml"), "{e:?}");
        let stdin = [Found { input: Input::Stdin, under: PathBuf::new() }];
        assert!(plan(&stdin, &[], &dir, None, &fs).unwrap_err()[0].contains("standard input has no file name"));
        assert_eq!(dests(&plan(&stdin, &[], &OutputArg::Default, None, &fs).unwrap()), [Dest::Stdout]);
    }
}
