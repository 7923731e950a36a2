//! book.toml and style values, one test per class of issue 12: edition
//! names that would leave `--out`, numbers out of range (in book.toml and in
//! a style file), `[book]` values, a byte-order mark and control
//! characters, the build time, and messages a person can act on. Each runs
//! the real binary on a small book made in a temporary directory.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{stderr, unzip};

/// A fresh directory holding a one-chapter book whose book.toml is
/// `[book]` with a title, then `book`, then `[contents]`, then `rest`.
fn book(name: &str, book: &str, rest: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("samizdat-cfg-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("c.md"), "# Chapter\n\nSome text.\n").unwrap();
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"T\"\n{book}\n[contents]\nchapters = [\"c.md\"]\n\n{rest}"),
    )
    .unwrap();
    dir
}

/// Runs samizdat with `args`; `epoch` is SOURCE_DATE_EPOCH, or none.
fn run(args: &[&str], epoch: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_samizdat"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    cmd.output().expect("the samizdat binary runs")
}

/// `samizdat build DIR --out DIR/out`, which must fail with status 2 and
/// print `expected` at `book.toml:LINE:` (or the file given in `expected`),
/// writing nothing at all.
fn refused(dir: &Path, expected: &str) -> String {
    let out = dir.join("out");
    let o = run(
        &[
            "build",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        Some("1700000000"),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    let written = std::fs::read_dir(&out).map_or(0, |d| d.count());
    assert_eq!(written, 0, "{err}");
    err
}

/// The place `book.toml:LINE:COL` of the book in `dir`, as printed.
fn at(dir: &Path, line: usize, col: usize) -> String {
    format!("{}:{line}:{col}: error: ", dir.join("book.toml").display())
}

#[test]
fn issue_12_edition_names_cannot_leave_the_out_directory() {
    for (i, name) in [
        "../escape",
        "..",
        "a/b",
        "a\\\\b",
        ".hidden",
        "",
        "a\\u0000b",
        "a\\u001b[31m",
        &"x".repeat(300),
    ]
    .iter()
    .enumerate()
    {
        let dir = book(
            &format!("name-{i}"),
            "",
            &format!("[edition.\"{name}\"]\nformat = \"epub\"\n"),
        );
        let err = refused(&dir, &at(&dir, 7, 10));
        assert!(err.contains("edition name"), "{name}: {err}");
        // Nothing beside the book either.
        let parent = dir.parent().unwrap();
        assert!(!parent.join("escape.epub").exists());
        assert!(!parent.join("t-escape.epub").exists());
    }
}

#[test]
fn issue_12_numbers_out_of_range_are_errors_at_their_key() {
    for (i, (key, value, needle)) in [
        ("body-size", "nan", "not a length"),
        ("body-size", "inf", "not a length"),
        ("body-size", "\"1e308in\"", "not a length"),
        ("body-size", "0", "`body-size`"),
        ("leading", "1e308", "`leading`"),
        ("note-leading", "-1", "`note-leading`"),
        ("paragraph-indent", "\"-2mm\"", "`paragraph-indent`"),
        ("tolerance", "nan", "`tolerance`"),
        ("emergency-stretch", "\"1km\"", "not a length"),
        ("looseness", "2147483647", "`looseness`"),
        ("expansion-limit", "1e308", "`expansion-limit`"),
        ("hyphen-penalty", "-inf", "`hyphen-penalty`"),
        ("hyphen-min-before", "0", "`hyphen-min-before`"),
        ("hyphen-min-after", "99999", "`hyphen-min-after`"),
        ("max-hyphen-run", "-1", "`max-hyphen-run`"),
        (
            "page",
            "{ custom = { width = \"1mm\", height = \"1mm\" } }",
            "PDF allows",
        ),
        (
            "page",
            "{ custom = { width = \"6m\", height = \"9in\" } }",
            "not a length",
        ),
        (
            "page",
            "{ custom = { width = 100000, height = 100000 } }",
            "PDF allows",
        ),
        ("margins", "{ top = \"-5mm\" }", "negative"),
        (
            "margins",
            "{ inner = \"80mm\", outer = \"80mm\" }",
            "three ems",
        ),
        ("margins", "{ top = \"1mm\" }", "running heads"),
        ("margins", "{ bottom = \"1mm\" }", "folios"),
    ]
    .iter()
    .enumerate()
    {
        let dir = book(
            &format!("range-{i}"),
            "",
            &format!("[edition.p]\nformat = \"pdf\"\n{key} = {value}\n"),
        );
        let err = refused(&dir, &format!("{}:9:", dir.join("book.toml").display()));
        assert!(err.contains(needle), "{key} = {value}: {err}");
    }
}

#[test]
fn issue_12_imposition_and_bleed_are_checked_as_a_whole() {
    for (i, (keys, line, needle)) in [
        (
            "imposition = \"booklet\"\nsheet = \"a5\"\n",
            10,
            "cannot hold two",
        ),
        (
            "imposition = \"booklet\"\nsheet = { custom = { width = 99999, height = 500 } }\n",
            10,
            "PDF allows",
        ),
        (
            "imposition = \"booklet\"\nsignature-sheets = 65\n",
            10,
            "between 1 and 64",
        ),
        (
            "imposition = \"booklet\"\nsignature-sheets = 1e9\n",
            10,
            "signature-sheets",
        ),
        ("imposition = \"booklet\"\ncreep = \"5cm\"\n", 10, "`creep`"),
        (
            "imposition = \"booklet\"\ncreep = nan\n",
            10,
            "not a length",
        ),
        ("crop-marks = true\nbleed = \"-3mm\"\n", 10, "`bleed`"),
        ("crop-marks = true\nbleed = 1e300\n", 10, "`bleed`"),
        ("sheet = \"a4\"\n", 9, "not imposed"),
    ]
    .iter()
    .enumerate()
    {
        let dir = book(
            &format!("impose-{i}"),
            "",
            &format!("[edition.p]\nformat = \"pdf\"\n{keys}"),
        );
        let err = refused(
            &dir,
            &format!("{}:{line}:", dir.join("book.toml").display()),
        );
        assert!(err.contains(needle), "{keys}: {err}");
    }
}

#[test]
fn issue_12_style_file_values_are_errors_in_the_style_file() {
    let dir = book(
        "style-file",
        "",
        "[edition.p]\nformat = \"pdf\"\nstyle = \"mine.toml\"\n",
    );
    std::fs::write(
        dir.join("mine.toml"),
        "\u{feff}justify = true\nleading = nan\n",
    )
    .unwrap();
    refused(
        &dir,
        &format!("{}:2:11: error: ", dir.join("mine.toml").display()),
    );
    std::fs::write(
        dir.join("mine.toml"),
        "\u{feff}justify = true\n[margins]\ntop = \"300mm\"\nbottom = \"1in\"\ninner = 40\nouter = 40\n",
    )
    .unwrap();
    refused(
        &dir,
        &format!(
            "{}:3:1: error: the top and bottom margins",
            dir.join("mine.toml").display()
        ),
    );
}

#[test]
fn issue_12_book_values_are_validated() {
    for (i, (line, needle)) in [
        ("language = \"english please\"", "BCP 47"),
        ("language = \"en_GB\"", "BCP 47"),
        ("language = \"\"", "BCP 47"),
        ("date = \"2023-02-30\"", "not a real date"),
        ("date = \"2024-13-01\"", "not a real date"),
        ("date = \"yesterday\"", "ISO 8601"),
        ("date = 12:00:00", "must be a date"),
        ("date = 3", "must be a date"),
        ("authors = [\"\"]", "author 1 of `authors` is empty"),
        ("authors = [\"A\", 3]", "`authors` must be a list of names"),
        ("authors = \"A\"", "`authors` must be a list of names"),
        ("subtitle = \"a\\u0007b\"", "control character U+0007"),
        ("language = 3", "`language` must be a BCP 47 language tag"),
    ]
    .iter()
    .enumerate()
    {
        let dir = book(&format!("book-{i}"), line, "");
        let err = refused(&dir, &format!("{}:3:", dir.join("book.toml").display()));
        assert!(err.contains(needle), "{line}: {err}");
        assert!(!err.contains("invalid type"), "{line}: {err}");
    }
}

#[test]
fn issue_12_toml_date_literals_are_dates() {
    for (i, (date, shown)) in [
        ("2024-05-01", "2024-05-01"),
        ("2024-05-01T10:30:00Z", "2024-05-01T10:30:00Z"),
        ("\"2024-05\"", "2024-05"),
    ]
    .iter()
    .enumerate()
    {
        let dir = book(
            &format!("date-{i}"),
            &format!("date = {date}"),
            "[edition.e]\nformat = \"epub\"\n",
        );
        let out = dir.join("out");
        let o = run(
            &[
                "build",
                dir.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            Some("1700000000"),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let files = unzip(&std::fs::read(out.join("t-e.epub")).unwrap());
        let opf = files
            .iter()
            .find(|(n, _)| n.ends_with(".opf"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap();
        assert!(
            opf.contains(&format!("<dc:date>{shown}</dc:date>")),
            "{date}: {opf}"
        );
    }
}

#[test]
fn issue_12_byte_order_mark_and_control_characters() {
    let dir = book("bom", "", "[edition.e]\nformat = \"epub\"\n");
    let text = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    std::fs::write(dir.join("book.toml"), format!("\u{feff}{text}")).unwrap();
    let o = run(&["check", dir.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A misspelt key after the mark is still at its place.
    std::fs::write(
        dir.join("book.toml"),
        format!("\u{feff}{}", text.replace("title", "titel")),
    )
    .unwrap();
    refused(&dir, &at(&dir, 2, 1));

    for (i, bytes) in [
        &b"[book]\ntitle = \"T\x00\"\n"[..],
        b"[book]\ntitle = \"T\x1b[2J\"\n",
        b"[book]\nti\x1btle = \"T\"\n",
        b"[book]\ntitle = \"T\"\n[edition.a\x00b]\nformat = \"epub\"\n",
    ]
    .iter()
    .enumerate()
    {
        let dir = book(&format!("control-{i}"), "", "");
        let mut all = bytes.to_vec();
        all.extend_from_slice(b"[contents]\nchapters = [\"c.md\"]\n");
        std::fs::write(dir.join("book.toml"), all).unwrap();
        let line = if i == 3 { 3 } else { 2 };
        refused(
            &dir,
            &format!("{}:{line}:", dir.join("book.toml").display()),
        );
    }
}

#[test]
fn issue_12_an_undated_book_is_dated_by_the_clock_and_builds_reproducibly() {
    let dir = book("clock", "", "[edition.e]\nformat = \"epub\"\n");
    let out = dir.join("out");
    let args = [
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let o = run(&args, None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let opf = |out: &Path| {
        unzip(&std::fs::read(out.join("t-e.epub")).unwrap())
            .into_iter()
            .find(|(n, _)| n.ends_with(".opf"))
            .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
            .unwrap()
    };
    let text = opf(&out);
    let modified = text
        .split("dcterms:modified\">")
        .nth(1)
        .and_then(|s| s.get(..4))
        .and_then(|y| y.parse::<u32>().ok())
        .unwrap();
    assert!(modified >= 2025, "{text}");
    // With SOURCE_DATE_EPOCH, two builds are the same bytes.
    let a = std::fs::read(out.join("t-e.epub")).unwrap();
    let o = run(&args, Some("1700000000"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let b = std::fs::read(out.join("t-e.epub")).unwrap();
    let o = run(&args, Some("1700000000"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = std::fs::read(out.join("t-e.epub")).unwrap();
    assert_eq!(b, c);
    assert_ne!(a, b);
    assert!(opf(&out).contains("2023-11-14T22:13:20Z"));
}

#[test]
fn issue_12_messages_name_the_key_and_what_it_takes() {
    for (i, (keys, line, needle)) in [
        (
            "format = \"pdf\"\nimpositon = \"booklet\"\n",
            9,
            "did you mean `imposition`?",
        ),
        (
            "format = \"pdf\"\nbody-sise = \"12pt\"\n",
            9,
            "did you mean `body-size`?",
        ),
        (
            "format = \"pdf\"\nrunning-head-verso = 3\n",
            9,
            "`running-head-verso` must be one of `book`, `chapter`, `none`",
        ),
        (
            "format = \"pdf\"\npage = \"custom\"\n",
            9,
            "`page` must be `a5`, `a4`",
        ),
        ("format = 3\n", 8, "`format` must be `epub` or `pdf`"),
        (
            "format = \"pdf\"\nhyphenation-language = \"fr\"\n",
            9,
            "no hyphenation patterns for `fr`",
        ),
        (
            "format = \"pdf\"\n[edition.p.fonts]\nbody = \"Comic Sans\"\n",
            10,
            "no font family `Comic Sans`",
        ),
        (
            "format = \"pdf\"\nfonts = { fallback = [\"Nope\"] }\n",
            9,
            "no font family `Nope`",
        ),
    ]
    .iter()
    .enumerate()
    {
        let dir = book(&format!("message-{i}"), "", &format!("[edition.p]\n{keys}"));
        let err = refused(
            &dir,
            &format!("{}:{line}:", dir.join("book.toml").display()),
        );
        assert!(err.contains(needle), "{keys}: {err}");
        assert!(
            !err.contains("variant") && !err.contains("invalid type"),
            "{keys}: {err}"
        );
    }
}
