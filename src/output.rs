//! Stage 5: the only code that writes files.
//!
//! Every file is written to a temporary file in the same folder and renamed over its
//! final name, so a reader (or a killed run) sees the old file or the new one, never a
//! truncated one. Temporary files get an unpredictable name and are created with
//! `O_EXCL` (`create_new`), so a file or symbolic link planted in a shared output folder
//! can never receive the write. The files of one deal sheet are written all or none.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Writes `bytes` to `path` atomically, creating its folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_all_atomic(&[(path, bytes)]).map_err(|(_, e)| e)
}

/// Writes several files, all or none: each is first written whole to a temporary file
/// beside it; only when every one is written are they renamed into place. On failure
/// (a full disk, a read-only folder) the temporary files are removed, and so are any
/// files already renamed, so no output of the set is left behind. Returns the path that
/// failed with its error.
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Result<(), (PathBuf, io::Error)> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let tmp = stage(path, bytes).map_err(|e| (path.to_path_buf(), e))?;
        staged.push((tmp, *path));
    }
    let mut placed: Vec<&Path> = Vec::with_capacity(files.len());
    for (tmp, path) in staged {
        if let Err(e) = tmp.persist(path) {
            for done in placed {
                let _ = fs::remove_file(done);
            }
            return Err((path.to_path_buf(), e.error));
        }
        placed.push(path);
    }
    Ok(())
}

/// Writes `bytes` to a new temporary file in `path`'s folder (created if missing).
/// The file is removed when the value is dropped without being persisted.
fn stage(path: &Path, bytes: &[u8]) -> io::Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".clausewright-").suffix(".tmp");
    // The mode a plain `File::create` gives (0666 less the umask), not tempfile's private 0600:
    // the agreements are the user's ordinary files.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let new = || builder.tempfile_in(&dir);
    // The folder usually exists (a batch writes thousands of files into one): create it
    // only when the first attempt says it is missing.
    let mut file = match new() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(&dir)?;
            new()?
        }
        other => other?,
    };
    file.write_all(bytes)?;
    file.flush()?;
    Ok(file)
}

/// Checks, before anything is rendered, that a file can be created in `path`'s folder
/// (creating the folder if missing): a temporary file is created and removed again.
pub fn check_writable(path: &Path) -> io::Result<()> {
    stage(path, b"").map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cw-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn writes_whole_files_and_leaves_no_temporaries() {
        let dir = temp("whole");
        let path = dir.join("sub/a.md");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(&dir.join("sub")), ["a.md"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_at_the_old_predictable_temp_name_is_not_followed() {
        let dir = temp("symlink");
        fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        // The names the old code used: `.NAME.PID-N.tmp`.
        for n in 0..64 {
            let planted = dir.join(format!(".a.md.{}-{n}.tmp", std::process::id()));
            std::os::unix::fs::symlink(&victim, planted).unwrap();
        }
        write_atomic(&dir.join("a.md"), b"agreement").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert!(!fs::symlink_metadata(dir.join("a.md")).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(dir.join("a.md")).unwrap(), "agreement");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn outputs_get_the_mode_of_an_ordinary_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp("mode");
        write_atomic(&dir.join("a.md"), b"x").unwrap();
        fs::File::create(dir.join("plain")).unwrap();
        let mode = |n: &str| fs::metadata(dir.join(n)).unwrap().permissions().mode();
        assert_eq!(mode("a.md"), mode("plain"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temporary_names_are_short_and_unpredictable() {
        let dir = temp("names");
        fs::create_dir_all(&dir).unwrap();
        let long = "M".repeat(250) + ".md";
        let a = stage(&dir.join(&long), b"x").unwrap();
        let b = stage(&dir.join(&long), b"x").unwrap();
        assert_ne!(a.path(), b.path());
        assert!(a.path().file_name().unwrap().len() < 40, "{:?}", a.path());
        drop((a, b));
        assert!(names(&dir).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_set_of_files_is_written_all_or_none() {
        let dir = temp("all-or-none");
        fs::create_dir_all(dir.join("ok")).unwrap();
        // A folder where a file is expected: the second file of the set cannot be staged.
        fs::write(dir.join("not-a-folder"), "").unwrap();
        let first = dir.join("ok/a.md");
        let second = dir.join("not-a-folder/a.pdf");
        let err = write_all_atomic(&[(&first, b"md"), (&second, b"pdf")]).unwrap_err();
        assert_eq!(err.0, second);
        assert!(names(&dir.join("ok")).is_empty(), "the Markdown was left behind");
        // A rename that fails after the first one succeeded: a folder at the second name.
        fs::create_dir_all(dir.join("ok/b.pdf/inside")).unwrap();
        let (md, pdf) = (dir.join("ok/b.md"), dir.join("ok/b.pdf"));
        assert!(write_all_atomic(&[(&md, b"md"), (&pdf, b"pdf")]).is_err());
        assert_eq!(names(&dir.join("ok")), ["b.pdf"], "b.md was left behind, or a temporary");
        fs::remove_dir_all(&dir).unwrap();
    }
}
