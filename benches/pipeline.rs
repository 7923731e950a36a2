//! Benchmarks of the build steps on the sample book and on a book ten times
//! longer (`cargo bench`). Speed is shown here and by `scripts/scale.sh`,
//! never by timed tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    divan::main();
}

/// The sample book, and a 10× copy made by `scripts/scale-book.py`.
fn books() -> [(&'static str, PathBuf); 2] {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ten = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-book-10x");
    if !ten.join("book.toml").exists() {
        let status = Command::new("python3")
            .arg(root.join("scripts/scale-book.py"))
            .arg(root.join("book"))
            .arg(&ten)
            .arg("10")
            .status()
            .expect("python3 runs scripts/scale-book.py");
        assert!(status.success());
    }
    [("1x", root.join("book")), ("10x", ten)]
}

/// Reading and parsing every chapter into the shared tree.
#[divan::bench(args = ["1x", "10x"])]
fn parse(bencher: divan::Bencher, which: &str) {
    let path = books().into_iter().find(|(n, _)| *n == which).unwrap().1;
    bencher.bench(|| samizdat::load::load(&path).unwrap());
}
