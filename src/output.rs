//! Writing outputs atomically: a build that fails or is killed never leaves
//! a half-written file where a good one was.
//!
//! The temporary file is `.NAME.PID.tmp` beside the output: hidden, and not
//! named like any output. A process killed mid-write (SIGKILL cannot be
//! caught) leaves its temporary behind; the next successful write of the
//! same output removes such leftovers of processes that no longer run.
//!
//! The temporary is created with `create_new` (`O_CREAT | O_EXCL`), which
//! never follows a symlink: a link planted at its name (to `~/.bashrc`, say)
//! is removed, not written through. The rename replaces a link at the
//! output's name itself, not what it points to.
//!
//! Output names are made here ([`file_name`]), short enough that the
//! temporary's name fits a file system's 255-byte limit.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::{Error, Result};

/// The longest file name most file systems take (ext4, XFS, Btrfs, APFS;
/// NTFS counts UTF-16 units, which are never more than the UTF-8 bytes).
const NAME_MAX: usize = 255;

/// The longest output name: what is left of [`NAME_MAX`] once the
/// temporary's `.` before and `.PID.tmp` after are added, for a process id
/// of up to ten digits (any `u32`).
pub const MAX_OUTPUT_NAME: usize = NAME_MAX - ".".len() - ".4294967295.tmp".len();

/// The file name of an output, `SLUG-EDITION.EXT`, at most
/// [`MAX_OUTPUT_NAME`] bytes whatever the slug and edition name hold (the
/// loader and the configuration cap each, and this is the one place where
/// their sum is checked). A name that would be longer has its slug
/// shortened, at a character boundary, down to 16 bytes, and then the
/// edition name; two names shortened alike are caught by the build's check
/// that no two outputs are one file.
pub fn file_name(slug: &str, edition: &str, ext: &str) -> String {
    let full = format!("{slug}-{edition}.{ext}");
    if full.len() <= MAX_OUTPUT_NAME {
        return full;
    }
    let room = MAX_OUTPUT_NAME.saturating_sub("-.".len() + ext.len());
    let edition = truncate(edition, room.saturating_sub(slug.len().min(16)));
    let slug = truncate(slug, room - edition.len());
    format!(
        "{}-{}.{ext}",
        slug.trim_end_matches('-'),
        edition.trim_end_matches('-')
    )
}

/// The longest prefix of `text` of at most `max` bytes that ends at a
/// character boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The directory `path` is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The temporary of `path`: `.NAME.PID.tmp` beside it.
fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent(path).join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Creates the temporary `tmp` afresh with `create_new` (O_EXCL), never
/// through what is at its name: a leftover or a planted link is removed
/// first (the link itself, not its target), and if something is put back
/// in between, the write fails. Then writes and syncs it.
fn write_temporary(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let create = || OpenOptions::new().write(true).create_new(true).open(tmp);
    let mut f = match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(tmp)?;
            create()?
        }
        other => other?,
    };
    f.write_all(bytes)?;
    f.sync_all()
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// synced to disk and then renamed over the target, so readers see either
/// the old file or the whole new one; a failed write leaves the old one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent(path);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = temporary(path);
    let result = write_temporary(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })?;
    remove_stale_temporaries(dir, &name);
    Ok(())
}

/// Writes `bytes` to a new file at `path`, never replacing one that is
/// there, even one made a moment ago: the bytes go to a temporary, which is
/// hard-linked to `path` (a link fails when the name is taken) and removed,
/// so a reader never sees half a file. Where hard links are not supported
/// (some FAT and network file systems), the file is made with `create_new`
/// and written in place.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent(path);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = temporary(path);
    let result = write_temporary(&tmp, bytes).and_then(|()| {
        let linked = std::fs::hard_link(&tmp, path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
                f.write_all(bytes)?;
                f.sync_all()
            }
            other => other,
        }
    });
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
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
    fn a_link_planted_at_the_temporary_is_not_followed() {
        let dir = std::env::temp_dir().join(format!("samizdat-plant-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let out = dir.join("book.epub");
        std::os::unix::fs::symlink(&victim, temporary(&out)).unwrap();
        write_atomic(&out, b"the book").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert_eq!(std::fs::read(&out).unwrap(), b"the book");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_output() {
        let dir = std::env::temp_dir().join(format!("samizdat-fail-{}", std::process::id()));
        let out = dir.join("book.epub");
        write_atomic(&out, b"old").unwrap();
        // The temporary cannot be made: a directory is in its place.
        std::fs::create_dir_all(temporary(&out).join("x")).unwrap();
        assert!(write_atomic(&out, b"new").is_err());
        assert_eq!(std::fs::read(&out).unwrap(), b"old");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn write_new_never_replaces_a_file() {
        let dir = std::env::temp_dir().join(format!("samizdat-new-{}", std::process::id()));
        let path = dir.join("book.toml");
        write_new(&path, b"first").unwrap();
        let again = write_new(&path, b"second");
        assert!(again.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary was left");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn output_names_fit_with_their_temporary() {
        assert_eq!(
            file_name("my-book", "ereader", "epub"),
            "my-book-ereader.epub"
        );
        let cyrillic = "д".repeat(126);
        let name = file_name(&cyrillic, "ereader", "epub");
        assert!(name.len() <= MAX_OUTPUT_NAME, "{}", name.len());
        assert!(name.ends_with("д-ereader.epub"), "{name}");
        let long_edition = "e".repeat(300);
        let name = file_name(&cyrillic, &long_edition, "pdf");
        assert!(name.len() <= MAX_OUTPUT_NAME, "{}", name.len());
        assert!(
            name.starts_with("дддддддд-eee") && name.ends_with(".pdf"),
            "{name}"
        );
        let tmp = format!(".{name}.{}.tmp", u32::MAX);
        assert!(tmp.len() <= NAME_MAX);
        assert_eq!(truncate("aд", 2), "a");
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
