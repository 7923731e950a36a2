//! `book.toml` → [`Config`]: the raw, typed configuration of one book.
//!
//! Strict where the keys are ours: an unknown key or a wrong type is an error
//! naming the file, line and column, with the closest valid key for a
//! misspelling. mdBook's own tables (`[output.*]`, `[preprocessor.*]`,
//! `[build]`, `[rust]`) are accepted and left alone so that unchanged mdBook
//! books build. Defaults are filled in later by `edition.rs` and the loader,
//! after ripgrep's split between low-level and high-level arguments.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Error, Result};

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
    pub edition: BTreeMap<String, toml::Table>,
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
    /// Publication date (ISO 8601).
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

/// Reads and checks `book.toml`.
pub fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(path, &text)
}

/// Parses the text of a `book.toml`; `path` is only used in diagnostics.
pub fn parse(path: &Path, text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|e| Error::config(toml_diagnostic(path, text, &e)))
}

/// Turns a TOML or serde error into a diagnostic at the right line, with a
/// "did you mean" hint for an unknown key.
fn toml_diagnostic(path: &Path, text: &str, err: &toml::de::Error) -> Diagnostic {
    let (line, col) = match err.span() {
        Some(range) => line_col(text, range.start),
        None => (0, 0),
    };
    let message = err.message().trim().to_string();
    let mut diag = Diagnostic::error(message.clone()).at_path(path, line, col);
    if let Some(hint) = unknown_field_hint(&message) {
        diag = diag.hint(hint);
    }
    diag
}

/// For serde's "unknown field `titel`, expected one of `title`, …" returns
/// "did you mean `title`?" when some valid key is close enough.
pub(crate) fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = expected
        .iter()
        .map(|cand| (edit_distance(unknown, cand), *cand))
        .min()?;
    // More than a third of the word changed is not a misspelling any more.
    (best.0 <= unknown.chars().count().div_ceil(3).max(1))
        .then(|| format!("did you mean `{}`?", best.1))
}

/// Levenshtein distance between two short strings.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
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
    fn far_off_key_gets_no_hint() {
        let d = err("[book]\nzzzzzzzz = 1\n");
        assert!(d.hints.is_empty());
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("subtitel", "subtitle"), 2);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
