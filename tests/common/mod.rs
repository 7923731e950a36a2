//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the samizdat binary with `args` from the repository root.
pub fn samizdat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samizdat"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("the samizdat binary runs")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Compares `actual` with the golden file at `path`; `UPDATE_GOLDEN=1`
/// rewrites the golden instead.
pub fn golden(path: &Path, actual: &str) {
    let mut goldens = Goldens::default();
    goldens.check(path, actual);
    goldens.finish();
}

/// Golden comparisons over many cases: every mismatch is collected, and
/// [`Goldens::finish`] reports them all at once rather than the first.
#[derive(Default)]
pub struct Goldens {
    checked: usize,
    mismatches: Vec<String>,
}

impl Goldens {
    /// Compares `actual` with the golden at `path` (or, with
    /// `UPDATE_GOLDEN=1`, writes it there).
    pub fn check(&mut self, path: &Path, actual: &str) {
        self.checked += 1;
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, actual).unwrap();
            return;
        }
        match std::fs::read_to_string(path) {
            Err(_) => self
                .mismatches
                .push(format!("no golden file {}", path.display())),
            Ok(expected) if expected != actual => self.mismatches.push(format!(
                "{} differs from the output\n{}",
                path.display(),
                first_difference(&expected, actual)
            )),
            Ok(_) => {}
        }
    }

    /// Records a failure that is not a golden's (a case that did not build).
    pub fn fail(&mut self, message: String) {
        self.checked += 1;
        self.mismatches.push(message);
    }

    /// Panics naming every mismatch, if there was one.
    pub fn finish(self) {
        assert!(
            self.mismatches.is_empty(),
            "{} of {} goldens differ (run with UPDATE_GOLDEN=1 to accept, and review the diff):\n\n{}",
            self.mismatches.len(),
            self.checked,
            self.mismatches.join("\n\n")
        );
    }
}

/// The first line where two texts part, with a line of context each side.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = at.saturating_sub(1);
    let show = |lines: &[&str]| lines[from.min(lines.len())..(at + 2).min(lines.len())].join("\n");
    format!(
        "at line {}:\n--- expected\n{}\n--- actual\n{}",
        at + 1,
        show(&e),
        show(&a)
    )
}

/// The shared corpus beside the repository, if it is there. Under `CI=true`
/// its absence is a failure; elsewhere the caller skips loudly.
pub fn corpus(name: &str) -> Option<PathBuf> {
    let path = root().join("..").join("shared").join("corpus").join(name);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing, and CI=true", path.display());
    }
    eprintln!("SKIPPED: {} is not there", path.display());
    None
}

/// A fresh scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A scratch directory `name` holding `files`, each (path, contents), with
/// the folders their paths need.
pub fn book_of(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = scratch(name);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Whether an outside tool is installed. A missing one skips loudly, and
/// fails under `CI=true`.
pub fn tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .or_else(|_| Command::new(name).arg("-v").output())
        .is_ok();
    if !found {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("`{name}` is missing, and CI=true (run scripts/install-test-deps.sh)");
        }
        eprintln!(
            "\n*** SKIPPED: `{name}` is not installed; run scripts/install-test-deps.sh ***\n"
        );
    }
    found
}

/// Runs a tool that must succeed; its standard output.
pub fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub mod books;
pub mod commonmark;
pub mod pipeline;
pub mod xml;

/// The files of a zip archive (an EPUB), in order: (name, bytes).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}
