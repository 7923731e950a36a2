//! Writing outputs atomically: a build that fails or is killed never leaves
//! a half-written file where a good one was.
//!
//! The temporary file is `.NAME.PID.tmp` beside the output: hidden, and not
//! named like any output. A process killed mid-write (SIGKILL cannot be
//! caught) leaves its temporary behind; the next successful write of the
//! same output removes such leftovers of processes that no longer run.

use std::io::Write as _;
use std::path::Path;

use crate::diag::{Error, Result};

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// synced to disk and then renamed over the target, so readers see either
/// the old file or the whole new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // `create_new` (O_EXCL): a file or symbolic link already at the
    // temporary's name is never followed; a leftover is removed (the link
    // itself, not its target) and the temporary made afresh.
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
    };
    let result = (|| {
        let mut f = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::fs::remove_file(&tmp)?;
                create()?
            }
            other => other?,
        };
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })?;
    remove_stale_temporaries(dir, &name);
    Ok(())
}

/// Removes `.NAME.PID.tmp` files in `dir` whose process is gone. Whether a
/// process runs is read from `/proc`; where there is none, nothing is
/// removed (a temporary of a build still running must never be).
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|f| f.strip_suffix(".tmp"))
        else {
            continue;
        };
        if pid.bytes().all(|b| b.is_ascii_digit()) && !pid.is_empty() && !proc.join(pid).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("samizdat-out-{}", std::process::id()));
        let path = dir.join("book.epub");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new contents").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new contents");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let dir = std::env::temp_dir().join(format!("samizdat-stale-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // No process has a pid this high (Linux caps them at 2^22).
        let stale = dir.join(".book.epub.4999999.tmp");
        std::fs::write(&stale, b"half").unwrap();
        // A running process's temporary stays: pid 1 always runs.
        let live = dir.join(".book.epub.1.tmp");
        std::fs::write(&live, b"being written").unwrap();
        let other = dir.join(".other.pdf.4999999.tmp");
        std::fs::write(&other, b"half").unwrap();
        write_atomic(&dir.join("book.epub"), b"whole").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert!(live.exists(), "a running build's temporary was removed");
        assert!(
            other.exists(),
            "another output's temporary is not ours to remove"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
