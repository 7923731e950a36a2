//! `book.toml` → [`Config`]: the raw, typed configuration of one book.
//!
//! Strict where the keys are ours: an unknown key or a wrong type is an error
//! naming the file, line and column, with the closest valid key for a
//! misspelling. mdBook's own tables (`[output.*]`, `[preprocessor.*]`,
//! `[build]`, `[rust]`) are accepted and left alone so that unchanged mdBook
//! books build. Defaults are filled in later by `edition.rs` and the loader,
//! after ripgrep's split between low-level and high-level arguments.

//!
//! The schema and the checks of `[book]` live here; the value checks
//! (language tags, dates) in `values.rs`, the spans of keys and the
//! wording of serde's errors in `toml_doc.rs`.

mod toml_doc;
mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::DeValue;

use crate::diag::{Diagnostic, Error, Result};

use toml_doc::entry;
pub(crate) use toml_doc::unknown_field_hint;
pub use toml_doc::{TomlDoc, edit_distance, explain};
pub use values::{check_date, check_language, date_ymd, shown};

/// The whole `book.toml`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// `[book]`: metadata.
    #[serde(default)]
    pub book: BookTable,
    /// `[contents]`: the ordered chapter list. Absent in an mdBook project,
    /// whose `SUMMARY.md` gives the order instead.
    pub contents: Option<Contents>,
    /// `[edition.NAME]` tables, by name, raw: an edition's keys depend on
    /// its format and style, so `edition.rs` checks them.
    #[serde(default)]
    pub edition: BTreeMap<EditionName, toml::Table>,
    /// mdBook's `[output.*]`: accepted, ignored.
    pub output: Option<toml::Value>,
    /// mdBook's `[preprocessor.*]`: accepted, ignored.
    pub preprocessor: Option<toml::Value>,
    /// mdBook's `[build]`: accepted, ignored.
    pub build: Option<toml::Value>,
    /// mdBook's `[rust]`: accepted, ignored.
    pub rust: Option<toml::Value>,
}

/// The `[book]` table.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookTable {
    /// Title (required unless the first chapter gives one).
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Authors, in order.
    #[serde(default)]
    pub authors: Vec<String>,
    /// BCP 47 language tag; `en` when absent.
    pub language: Option<String>,
    /// Stable identifier; derived from the title when absent.
    pub identifier: Option<String>,
    /// Publication date (ISO 8601), from a string or a TOML date literal
    /// (`date = 2024-05-01`), kept as its ISO 8601 text.
    #[serde(default, deserialize_with = "date_text")]
    pub date: Option<String>,
    /// Short description.
    pub description: Option<String>,
    /// Subject keywords.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Rights statement.
    pub rights: Option<String>,
    /// Cover image, relative to the book directory.
    pub cover: Option<PathBuf>,
    /// The heading level that starts chapters: every chapter file is cut
    /// at its headings of this level or higher into several chapters
    /// (pandoc's `--split-level`); unset, a file is one chapter.
    pub split_level: Option<i64>,
    /// mdBook: the source directory (default `src`).
    pub src: Option<PathBuf>,
    /// mdBook: multilingual flag (deprecated there); accepted, ignored.
    pub multilingual: Option<bool>,
    /// mdBook: text direction; accepted, ignored.
    pub text_direction: Option<String>,
}

/// The `[contents]` table: front matter, parts or chapters, back matter.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Contents {
    /// Front-matter chapter files.
    #[serde(default)]
    pub front: Vec<PathBuf>,
    /// Body chapters outside parts (before any part).
    #[serde(default)]
    pub chapters: Vec<PathBuf>,
    /// Parts, in order.
    #[serde(default)]
    pub parts: Vec<PartTable>,
    /// Back-matter chapter files.
    #[serde(default)]
    pub back: Vec<PathBuf>,
}

/// One `[[contents.parts]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PartTable {
    /// The part's title.
    pub title: String,
    /// A file whose text is printed under the part title.
    pub intro: Option<PathBuf>,
    /// The part's chapter files.
    #[serde(default)]
    pub chapters: Vec<PathBuf>,
}

/// Output format of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// An EPUB 3 package.
    Epub,
    /// A typeset PDF.
    Pdf,
}

/// How notes are numbered (`per-chapter` or `per-book`; `chapter` and
/// `book` are accepted too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NoteNumbering {
    /// Restart at 1 in every chapter (and part introduction).
    #[default]
    #[serde(alias = "chapter")]
    PerChapter,
    /// Run through the whole book.
    #[serde(alias = "book")]
    PerBook,
}

/// The name of an `[edition.NAME]` table. It becomes part of the output's
/// file name (`<slug>-<NAME>.<ext>`), so it is a plain name: letters,
/// digits, `-`, `_` and `.` (not first, never two in a row), at most
/// [`EditionName::MAX_LEN`] bytes. No path separator, no `..`, no control
/// or invisible character can get into a file name through it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EditionName(String);

impl EditionName {
    /// The longest name, in bytes: with the slug and the extension the
    /// file name stays well under the 255 bytes file systems allow.
    pub const MAX_LEN: usize = 64;

    /// Checks `name`; the error says what is wrong with it.
    pub fn new(name: &str) -> std::result::Result<EditionName, String> {
        let shown = shown(name);
        if name.is_empty() {
            return Err("an edition name cannot be empty".into());
        }
        if name.len() > Self::MAX_LEN {
            return Err(format!(
                "the edition name `{}…` is longer than {} bytes",
                name.chars().take(16).collect::<String>().escape_debug(),
                Self::MAX_LEN
            ));
        }
        if let Some(c) = name
            .chars()
            .find(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            let what = match c {
                '/' | '\\' => "a path separator".to_string(),
                c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
                c if c.is_whitespace() => "a space".to_string(),
                c => format!("`{}`", c.escape_debug()),
            };
            return Err(format!(
                "the edition name `{shown}` holds {what}; use letters, digits, `-`, `_` and `.`"
            ));
        }
        if name.starts_with('.') || name.contains("..") {
            return Err(format!(
                "the edition name `{shown}` starts with `.` or holds `..`"
            ));
        }
        Ok(EditionName(name.to_string()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for EditionName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for EditionName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EditionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for EditionName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        EditionName::new(&s).map_err(serde::de::Error::custom)
    }
}

/// A date given as a string or as a TOML date literal, as ISO 8601 text.
fn date_text<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(Some(s)),
        toml::Value::Datetime(dt) if dt.date.is_some() => Ok(Some(dt.to_string())),
        _ => Err(serde::de::Error::custom(
            "`date` must be a date, e.g. `date = 2024-05-01` or `date = \"2024-05\"`",
        )),
    }
}

/// Reads and checks `book.toml`.
pub fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(path, &text)
}

/// Parses and checks the text of a `book.toml`; `path` is only used in
/// diagnostics. A leading byte-order mark is ignored. Every problem found
/// is reported, each at its key.
pub fn parse(path: &Path, text: &str) -> Result<Config> {
    let doc = TomlDoc::new(path, text);
    let root = match &doc.root {
        Ok(root) => root,
        Err(e) => return Err(Error::config(doc.serde_diagnostic(e, &[]))),
    };
    // Edition names first: they are map keys, which serde reports without
    // a place.
    let mut problems = Vec::new();
    if let Some((_, editions)) = entry(root.get_ref(), "edition")
        && let DeValue::Table(editions) = editions.get_ref()
    {
        for (name, _) in editions.iter() {
            if let Err(message) = EditionName::new(name.get_ref()) {
                problems.push(doc.diagnostic_at(name.span(), message));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Config(problems));
    }
    let config: Config =
        toml::from_str(text).map_err(|e| Error::config(doc.serde_diagnostic(&e, BOOK_EXPECTED)))?;
    problems.extend(check_book(&config.book, &doc));
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(Error::Config(problems))
    }
}

/// What the top-level tables and the `[book]` keys take, for messages
/// about a wrong value.
const BOOK_EXPECTED: &[(&str, &str)] = &[
    ("book", "a table"),
    ("contents", "a table"),
    ("edition", "a table of editions"),
    ("title", "a string"),
    ("subtitle", "a string"),
    (
        "authors",
        "a list of names, e.g. `authors = [\"Ada Lovelace\"]`",
    ),
    ("language", "a BCP 47 language tag such as `en` or `pt-BR`"),
    ("identifier", "a string"),
    ("description", "a string"),
    ("subjects", "a list of strings"),
    ("rights", "a string"),
    ("cover", "a file name"),
    ("src", "a directory name"),
    (
        "split-level",
        "a heading level, 1 to 6 (`split-level = 2` starts chapters at `##`)",
    ),
    ("multilingual", "`true` or `false`"),
    ("text-direction", "a string"),
    ("front", "a list of file names"),
    ("chapters", "a list of file names"),
    ("back", "a list of file names"),
    ("parts", "a list of `[[contents.parts]]` tables"),
    ("intro", "a file name"),
];

/// Checks the values of `[book]` that parse but are wrong.
fn check_book(b: &BookTable, doc: &TomlDoc) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut at = |key: &str, message: String| problems.push(doc.at(&["book", key], message));
    if let Some(lang) = &b.language
        && let Err(m) = check_language(lang)
    {
        at("language", m);
    }
    if let Some(date) = &b.date
        && let Err(m) = check_date(date)
    {
        at("date", m);
    }
    if let Some(n) = b.split_level
        && !u8::try_from(n).is_ok_and(|n| crate::load::SPLIT_LEVELS.contains(&n))
    {
        at(
            "split-level",
            format!("`split-level` is {n}, not a heading level: write 1 to 6"),
        );
    }
    for (i, a) in b.authors.iter().enumerate() {
        if a.trim().is_empty() {
            at("authors", format!("author {} of `authors` is empty", i + 1));
        }
    }
    let one_line = [
        ("title", b.title.as_deref()),
        ("subtitle", b.subtitle.as_deref()),
        ("identifier", b.identifier.as_deref()),
        ("language", b.language.as_deref()),
    ];
    let texts = [
        ("description", b.description.as_deref()),
        ("rights", b.rights.as_deref()),
    ];
    let strings = one_line
        .into_iter()
        .map(|(k, v)| (k, v, false))
        .chain(texts.into_iter().map(|(k, v)| (k, v, true)))
        .chain(
            b.authors
                .iter()
                .map(|a| ("authors", Some(a.as_str()), false)),
        )
        .chain(
            b.subjects
                .iter()
                .map(|s| ("subjects", Some(s.as_str()), false)),
        );
    let paths = [("cover", b.cover.as_deref()), ("src", b.src.as_deref())];
    let paths = paths
        .into_iter()
        .map(|(k, p)| (k, p.and_then(Path::to_str), false));
    // PDF/A caps a string at 32,767 bytes (ISO 19005-2, 6.1.13, after
    // ISO 32000-1 annex C), which the PDF's metadata holds as UTF-16 (two
    // bytes a unit): a text is at most 16,000 units, a one-line value (a
    // title, a name) at most 1,000; authors and subjects, each joined into
    // one metadata string, count together.
    let units = |s: &str| s.encode_utf16().count();
    let long = [
        ("title", b.title.as_deref().map_or(0, units), 1_000),
        ("subtitle", b.subtitle.as_deref().map_or(0, units), 1_000),
        (
            "identifier",
            b.identifier.as_deref().map_or(0, units),
            1_000,
        ),
        (
            "description",
            b.description.as_deref().map_or(0, units),
            16_000,
        ),
        ("rights", b.rights.as_deref().map_or(0, units), 16_000),
        (
            "authors",
            b.authors.iter().map(|a| units(a) + 2).sum(),
            16_000,
        ),
        (
            "subjects",
            b.subjects.iter().map(|a| units(a) + 2).sum(),
            16_000,
        ),
    ];
    for (key, len, max) in long {
        if len > max {
            at(
                key,
                format!("`{key}` is {len} characters long; at most {max} fit the book's metadata"),
            );
        }
    }
    for (key, value, newlines) in strings.chain(paths) {
        if let Some(c) = value.and_then(|v| control_char(v, newlines)) {
            at(
                key,
                format!("`{key}` holds the control character U+{:04X}", u32::from(c)),
            );
        }
    }
    problems
}

/// The first control character of `s` (C0, DEL or C1), tabs and, where
/// `newlines` allows, line breaks excepted.
fn control_char(s: &str, newlines: bool) -> Option<char> {
    s.chars()
        .find(|&c| c.is_control() && !(c == '\t' || (newlines && matches!(c, '\n' | '\r'))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    fn err(text: &str) -> Diagnostic {
        match parse(Path::new("book.toml"), text) {
            Err(Error::Config(d)) => d[0].clone(),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn parses_the_full_schema() {
        let c = parse(
            Path::new("book.toml"),
            r#"
[book]
title = "T"
authors = ["A", "B"]
language = "en-GB"
[contents]
front = ["intro.md"]
[[contents.parts]]
title = "One"
intro = "one.md"
chapters = ["a.md", "b.md"]
[edition.ereader]
format = "epub"
soft-hyphens = true
[edition.pamphlet]
format = "pdf"
[output.html]
whatever = 1
"#,
        )
        .unwrap();
        assert_eq!(c.book.authors, ["A", "B"]);
        let contents = c.contents.unwrap();
        assert_eq!(contents.parts[0].chapters.len(), 2);
        assert_eq!(c.edition["ereader"]["format"].as_str(), Some("epub"));
        assert_eq!(c.edition["ereader"]["soft-hyphens"].as_bool(), Some(true));
        assert_eq!(c.edition["pamphlet"]["format"].as_str(), Some("pdf"));
    }

    #[test]
    fn misspelt_key_names_line_and_closest_key() {
        let d = err("[book]\ntitle = \"T\"\nsubtitel = \"S\"\n");
        assert_eq!(
            d.location,
            Location::Path {
                path: "book.toml".into(),
                line: 3,
                col: 1
            }
        );
        assert!(
            d.message.contains("unknown field `subtitel`"),
            "{}",
            d.message
        );
        assert_eq!(d.hints, ["did you mean `subtitle`?"]);
    }

    #[test]
    fn wrong_type_names_line() {
        let d = err("[book]\ntitle = 3\n");
        let Location::Path { line, .. } = d.location else {
            panic!()
        };
        assert_eq!(line, 2);
        assert!(d.message.contains("string"), "{}", d.message);
    }

    #[test]
    fn split_level_is_a_heading_level_checked_at_its_line() {
        let c = parse(
            Path::new("book.toml"),
            "[book]\ntitle = \"T\"\nsplit-level = 2\n",
        )
        .unwrap();
        assert_eq!(c.book.split_level, Some(2));
        for (text, says) in [
            ("split-level = 7", "`split-level` is 7"),
            ("split-level = 0", "`split-level` is 0"),
            ("split-level = -300", "`split-level` is -300"),
            ("split-level = \"two\"", "heading level, 1 to 6"),
        ] {
            let d = err(&format!("[book]\ntitle = \"T\"\n{text}\n"));
            let Location::Path { line, .. } = d.location else {
                panic!("{d:?}")
            };
            assert_eq!(line, 3, "{text}: {d:?}");
            assert!(d.message.contains(says), "{text}: {}", d.message);
        }
    }

    #[test]
    fn far_off_key_gets_no_hint() {
        let d = err("[book]\nzzzzzzzz = 1\n");
        assert!(d.hints.is_empty());
    }

    fn at(d: &Diagnostic) -> (usize, usize) {
        match d.location {
            Location::Path { line, col, .. } => (line, col),
            _ => (0, 0),
        }
    }

    #[test]
    fn edition_names_are_plain_names() {
        for ok in [
            "ereader",
            "large-print",
            "a5_v2",
            "v1.2",
            "Ausgabe",
            "издание",
            "x",
        ] {
            assert!(EditionName::new(ok).is_ok(), "{ok}");
        }
        let long = "a".repeat(EditionName::MAX_LEN + 1);
        for bad in [
            "",
            "../x",
            "..",
            ".",
            ".hidden",
            "a/b",
            "a\\b",
            "a..b",
            "a b",
            "a\u{0}b",
            "a\u{1b}b",
            "a\u{202e}b",
            "a:b",
            "a*b",
            &long,
        ] {
            assert!(EditionName::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bad_edition_name_is_an_error_at_its_header() {
        let d = err("[book]\ntitle = \"T\"\n\n[edition.\"../../etc/x\"]\nformat = \"epub\"\n");
        assert_eq!(at(&d), (4, 10));
        assert!(d.message.contains("path separator"), "{}", d.message);
        let d = err("[book]\ntitle = \"T\"\n[edition.\"\"]\nformat = \"epub\"\n");
        assert_eq!(at(&d).0, 3);
        assert!(d.message.contains("empty"), "{}", d.message);
    }

    #[test]
    fn book_values_are_checked_at_their_key() {
        let d = err("[book]\ntitle = \"T\"\nlanguage = \"english\"\n");
        assert_eq!(at(&d), (3, 1));
        assert!(d.message.contains("BCP 47"), "{}", d.message);
        let d = err("[book]\ntitle = \"T\"\ndate = \"2023-02-30\"\n");
        assert_eq!(at(&d), (3, 1));
        assert!(d.message.contains("28 days"), "{}", d.message);
        let d = err("[book]\ntitle = \"T\"\nauthors = [\"A\", \" \"]\n");
        assert!(d.message.contains("author 2"), "{}", d.message);
        let d = err(&format!(
            "[book]\ntitle = \"T\"\ndescription = \"{}\"\n",
            "x".repeat(16_001)
        ));
        assert_eq!(at(&d), (3, 1));
        assert!(d.message.contains("at most 16000"), "{}", d.message);
        let d = err("[book]\ntitle = \"T\\u001b[2J\"\n");
        assert_eq!(at(&d), (2, 1));
        assert!(d.message.contains("U+001B"), "{}", d.message);
    }

    #[test]
    fn toml_date_literals_are_dates() {
        let c = parse(
            Path::new("book.toml"),
            "[book]\ntitle = \"T\"\ndate = 2024-05-01\n",
        )
        .unwrap();
        assert_eq!(c.book.date.as_deref(), Some("2024-05-01"));
        let c = parse(
            Path::new("book.toml"),
            "[book]\ntitle = \"T\"\ndate = 2024-05-01T10:00:00Z\n",
        )
        .unwrap();
        assert_eq!(c.book.date.as_deref(), Some("2024-05-01T10:00:00Z"));
        let d = err("[book]\ntitle = \"T\"\ndate = 10:00:00\n");
        assert!(d.message.contains("must be a date"), "{}", d.message);
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let c = parse(Path::new("book.toml"), "\u{feff}[book]\ntitle = \"T\"\n").unwrap();
        assert_eq!(c.book.title.as_deref(), Some("T"));
        let d = err("\u{feff}[book]\ntitel = \"T\"\n");
        assert_eq!(at(&d), (2, 1));
        assert_eq!(crate::source::line_col("\u{feff}ab", 4), (1, 2));
    }

    #[test]
    fn raw_control_characters_are_errors_at_their_place() {
        let d = err("[book]\ntitle = \"T\u{0}\"\n");
        assert_eq!(at(&d).0, 2);
        let d = err("[book]\ntitle = \"T\"\n[edition.a\u{1b}b]\nformat = \"epub\"\n");
        assert_eq!(at(&d).0, 3);
    }

    #[test]
    fn serde_wording_is_replaced_by_the_key_and_what_it_takes() {
        let d = err("[book]\ntitle = \"T\"\nlanguage = 3\n");
        assert_eq!(
            d.message,
            "`language` must be a BCP 47 language tag such as `en` or `pt-BR`, not a whole number"
        );
        assert_eq!(
            explain(
                "page",
                "invalid type: unit variant, expected struct variant",
                Some("string"),
                Some("a page size")
            ),
            "`page` must be a page size"
        );
        assert_eq!(
            explain(
                "x",
                "data did not match any variant of untagged enum Raw",
                None,
                None
            ),
            "`x` has a value of the wrong kind"
        );
    }
}
