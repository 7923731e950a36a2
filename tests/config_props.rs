//! A property test over random book.toml values (issue 12): every key of
//! `[book]`, of an EPUB edition and of a PDF edition (with its style keys),
//! given values of the right kind, of the wrong kind and at the extremes
//! (0, negatives, 1e308, NaN and infinities as numbers and as strings,
//! huge strings, control characters, hostile edition names). The real
//! binary builds each book with `--out` in a temporary directory, and
//! must end by itself with status 0 or 2 (never a signal, a panic's 101 or
//! a build error's 1), writing nothing outside `--out`.
//!
//! Seeded and bounded: the same cases run every time, in a few seconds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Values of every kind, as TOML text.
const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "64",
    "1e308",
    "-1e308",
    "5e-324",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "\"nan\"",
    "\"NaN\"",
    "\"inf\"",
    "\"-inf\"",
    "\"1e308in\"",
    "\"-5mm\"",
    "\"0pt\"",
    "\"1e-300pt\"",
    "\"\"",
    "\" \"",
    "\"\\u0000\"",
    "\"a\\u001b[2Jb\"",
    "\"\\u202e\"",
    "\"../../escape\"",
    "\"/etc/hostname\"",
    "true",
    "false",
    "2024-05-01",
    "2024-05-01T10:00:00Z",
    "10:00:00",
    "[]",
    "[1, 2]",
    "[\"\", \"\\u0007\"]",
    "{}",
    "{ custom = { width = 1e308, height = 0 } }",
    "{ custom = { width = \"2pt\", height = \"20000pt\" } }",
    "{ top = nan }",
];

/// Values of the right kind for some key, so that many books get far.
const SANE: &[&str] = &[
    "\"11pt\"",
    "\"14pt\"",
    "\"15mm\"",
    "\"0.5in\"",
    "\"a5\"",
    "\"a4\"",
    "\"6x9\"",
    "\"en\"",
    "\"en-GB\"",
    "\"2024-05-01\"",
    "[\"Ada Lovelace\"]",
    "\"pamphlet\"",
    "\"large-print\"",
    "\"booklet\"",
    "\"none\"",
    "\"per-book\"",
    "\"chapter\"",
    "\"book-end\"",
    "\"outer\"",
    "\"2b\"",
    "\"Libertinus Serif\"",
    "\"0.1mm\"",
    "\"3mm\"",
    "200",
    "0.02",
    "4",
    "true",
];

const BOOK_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "authors",
    "language",
    "identifier",
    "date",
    "description",
    "subjects",
    "rights",
    "multilingual",
    "text-direction",
    "split-level",
    // `src` and `cover` name files: the loader's guarded paths decide
    // what a missing or outside file gets (a located error, status 1 or 2),
    // and robustness.rs tests them.
];

const EPUB_KEYS: &[&str] = &[
    "style",
    "note-numbering",
    "embed-fonts",
    "soft-hyphens",
    "page-source",
    "tagged",
    "soft-hyphen",
];

const PDF_KEYS: &[&str] = &[
    "style",
    "note-numbering",
    "imposition",
    "sheet",
    "signature-sheets",
    "creep",
    "crop-marks",
    "bleed",
    "tagged",
    "pdf-a",
    "page",
    "margins",
    "margins.top",
    "margins.bottom",
    "margins.inner",
    "margins.outer",
    "body-size",
    "leading",
    "paragraph-indent",
    "note-size",
    "note-leading",
    "quote-size",
    "quote-leading",
    "code-size",
    "code-leading",
    "fonts.body",
    "fonts.mono",
    "fonts.fallback",
    "justify",
    "hyphenate",
    "hyphen-min-before",
    "hyphen-min-after",
    "hyphenate-capitalised",
    "hyphenation-language",
    "protrusion",
    "expansion",
    "expansion-limit",
    "tolerance",
    "emergency-stretch",
    "looseness",
    "hyphen-penalty",
    "max-hyphen-run",
    "oldstyle-figures",
    "heading-small-caps",
    "note-placement",
    "running-head-verso",
    "running-head-recto",
    "folio-position",
    "opening-folio",
    "recto-chapters",
    "front-matter",
    "impositon",
];

/// Edition names, plain and hostile (as TOML keys).
const NAMES: &[&str] = &[
    "p",
    "print",
    "\"../up\"",
    "\"..\"",
    "\"a/b\"",
    "\"\"",
    "\".x\"",
    "\"a\\u0000b\"",
    "\"a b\"",
];

/// An edition name: a plain one mostly.
fn name() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => prop::sample::select(&NAMES[..2]),
        1 => prop::sample::select(NAMES),
    ]
}

/// A value of the right kind for `key` (most of the time, so that many
/// books get through), else anything: an extreme, a huge string, a string
/// of control characters.
fn value(key: &'static str) -> impl Strategy<Value = String> {
    // Titles as long as other strings: the loader cuts the slug made from
    // one to what a file name may hold.
    let longest = 200_000;
    prop_oneof![
        6 => prop::sample::select(sane_for(key)).prop_map(str::to_string),
        1 => prop::sample::select(SANE).prop_map(str::to_string),
        2 => prop::sample::select(EXTREMES).prop_map(str::to_string),
        1 => (1usize..longest).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
        1 => "[\\x00-\\x1f\\x7f a-z]{0,12}".prop_map(|s| toml_string(&s)),
    ]
}

/// Good values for a key, by what it takes.
fn sane_for(key: &str) -> Vec<&'static str> {
    let v: &[&str] = match key {
        "title" | "subtitle" | "identifier" | "description" | "rights" | "text-direction" => {
            &["\"A Title\"", "\"Ωμέγα\""]
        }
        "authors" | "subjects" => &["[\"Ada Lovelace\"]", "[]", "[\"A\", \"B\"]"],
        "language" | "hyphenation-language" => &["\"en\"", "\"en-GB\"", "\"en-US\""],
        "date" => &["2024-05-01", "\"2024\"", "\"2024-02-29\""],
        "multilingual"
        | "embed-fonts"
        | "soft-hyphens"
        | "tagged"
        | "crop-marks"
        | "justify"
        | "hyphenate"
        | "hyphenate-capitalised"
        | "protrusion"
        | "expansion"
        | "oldstyle-figures"
        | "heading-small-caps"
        | "opening-folio"
        | "recto-chapters"
        | "front-matter" => &["true", "false"],
        "style" => &["\"pamphlet\"", "\"large-print\"", "\"s.css\""],
        "note-numbering" => &["\"per-book\"", "\"chapter\""],
        "page-source" => &["\"p\"", "\"print\""],
        "imposition" => &["\"booklet\"", "\"none\""],
        "sheet" | "page" => &["\"a4\"", "\"a5\"", "\"letter\""],
        "signature-sheets" => &["1", "4"],
        "split-level" => &["1", "2"],
        "creep" => &["\"0.1mm\"", "0"],
        "bleed" => &["\"3mm\"", "\"5mm\""],
        "pdf-a" => &["\"2b\""],
        "margins.top" | "margins.bottom" | "margins.inner" | "margins.outer" => {
            &["\"20mm\"", "\"25mm\""]
        }
        "body-size" | "paragraph-indent" | "emergency-stretch" => &["\"11pt\"", "\"10pt\""],
        "leading" => &["\"14pt\"", "\"16pt\""],
        "note-size" | "quote-size" | "code-size" => &["\"9pt\"", "\"8pt\""],
        "note-leading" | "quote-leading" | "code-leading" => &["\"12pt\"", "\"11pt\""],
        "fonts.body" => &["\"Libertinus Serif\"", "\"DejaVu Serif\""],
        "fonts.mono" => &["\"DejaVu Sans Mono\""],
        "fonts.fallback" => &["[\"DejaVu Sans\"]", "[]"],
        "hyphen-min-before" | "hyphen-min-after" | "max-hyphen-run" => &["2", "3"],
        "expansion-limit" => &["0.02", "0"],
        "tolerance" | "hyphen-penalty" => &["200", "1000"],
        "looseness" => &["0", "1", "-1"],
        "note-placement" => &["\"page\"", "\"chapter-end\"", "\"book-end\""],
        "running-head-verso" | "running-head-recto" => &["\"book\"", "\"none\""],
        "folio-position" => &["\"outer\"", "\"centre\""],
        _ => SANE,
    };
    v.to_vec()
}

/// `s` as a TOML basic string, control characters escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Some keys of `keys`, each with a value.
fn entries(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let entry = prop::sample::select(keys).prop_flat_map(|k| (Just(k), value(k)));
    prop::collection::vec(entry, 0..4)
}

/// A whole book.toml: `[book]`, `[contents]`, an EPUB and a PDF edition.
fn book_toml() -> impl Strategy<Value = String> {
    (
        entries(BOOK_KEYS),
        name(),
        entries(EPUB_KEYS),
        name(),
        entries(PDF_KEYS),
    )
        .prop_map(|(book, epub_name, epub, pdf_name, pdf)| {
            let mut t = String::from("[book]\n");
            let mut seen = BTreeSet::new();
            let put =
                |t: &mut String, seen: &mut BTreeSet<String>, table: &str, k: &str, v: &str| {
                    // A key twice is a TOML syntax error: keep the first.
                    let root = k.split('.').next().unwrap_or(k);
                    if seen.insert(format!("{table}.{k}"))
                        && !seen.contains(&format!("{table}.{root}!"))
                    {
                        if k.contains('.') {
                            seen.insert(format!("{table}.{root}."));
                        } else if seen.contains(&format!("{table}.{root}.")) {
                            return;
                        } else {
                            seen.insert(format!("{table}.{root}!"));
                        }
                        t.push_str(&format!("{k} = {v}\n"));
                    }
                };
            if !book.iter().any(|(k, _)| *k == "title") {
                t.push_str("title = \"T\"\n");
            }
            for (k, v) in &book {
                put(&mut t, &mut seen, "book", k, v);
            }
            t.push_str("\n[contents]\nchapters = [\"c.md\"]\n");
            t.push_str(&format!("\n[edition.{epub_name}]\nformat = \"epub\"\n"));
            for (k, v) in &epub {
                put(&mut t, &mut seen, "e", k, v);
            }
            if pdf_name != epub_name {
                t.push_str(&format!("\n[edition.{pdf_name}]\nformat = \"pdf\"\n"));
                for (k, v) in &pdf {
                    put(&mut t, &mut seen, "p", k, v);
                }
            }
            t
        })
}

/// Every file and directory under `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(p.clone());
            }
            out.insert(p.strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out
}

/// Builds the book in `case/book` into `case/book/out`; returns the exit
/// status, or an error for a signal, a panic, a build error, a hang, or a
/// file written outside `out`.
fn build(case: &Path, toml: &str) -> Result<i32, String> {
    let _ = std::fs::remove_dir_all(case);
    let dir = case.join("book");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("c.md"),
        "# Chapter\n\nSome text, long enough to hyphenate.\n",
    )
    .unwrap();
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    std::fs::write(dir.join("s.css"), "p { margin: 0 }\n").unwrap();
    let before = tree(case);
    let out = dir.join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_samizdat"))
        .args([
            "build",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read standard error as it comes: a full pipe would stall the child.
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut err = String::new();
        use std::io::Read as _;
        let _ = pipe.read_to_string(&mut err);
        err
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            return Err("still running after a minute".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let err = reader.join().unwrap_or_default();
    let code = status
        .code()
        .ok_or_else(|| format!("killed by a signal: {status:?}\n{err}"))?;
    if code != 0 && code != 2 {
        return Err(format!("exit status {code}\n{err}"));
    }
    let outside: Vec<_> = tree(case)
        .difference(&before)
        .filter(|p| !p.starts_with("book/out"))
        .cloned()
        .collect();
    if !outside.is_empty() {
        return Err(format!("written outside --out: {outside:?}"));
    }
    Ok(code)
}

#[test]
fn random_book_toml_values_never_crash_or_escape() {
    let config = Config {
        cases: 400,
        failure_persistence: None,
        // Each shrinking step runs the binary: keep a failure's report quick.
        max_shrink_iters: 64,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let case = std::env::temp_dir().join(format!("samizdat-props-{}", std::process::id()));
    let counts = std::cell::Cell::new((0, 0));
    let result = runner.run(&book_toml(), |toml| match build(&case, &toml) {
        Ok(code) => {
            let (ok, refused) = counts.get();
            counts.set(if code == 0 {
                (ok + 1, refused)
            } else {
                (ok, refused + 1)
            });
            Ok(())
        }
        Err(e) => Err(TestCaseError::fail(format!("{e}\n--- book.toml\n{toml}"))),
    });
    let _ = std::fs::remove_dir_all(&case);
    if let Err(e) = result {
        panic!("{e}");
    }
    let (ok, refused) = counts.get();
    eprintln!("random book.toml: {ok} built, {refused} refused");
    // Both outcomes must occur, or the generator tests little.
    assert!(ok >= 10 && refused >= 10, "{ok} built, {refused} refused");
}
