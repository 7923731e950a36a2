//! `book.toml` → [`Config`]: the raw, typed configuration of one book.
//!
//! Strict where the keys are ours: an unknown key or a wrong type is an error
//! naming the file, line and column, with the closest valid key for a
//! misspelling. mdBook's own tables (`[output.*]`, `[preprocessor.*]`,
//! `[build]`, `[rust]`) are accepted and left alone so that unchanged mdBook
//! books build. Defaults are filled in later by `edition.rs` and the loader,
//! after ripgrep's split between low-level and high-level arguments.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

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

/// Checks that `tag` is a well-formed BCP 47 language tag (the syntax of
/// RFC 5646, section 2.1; whether its subtags are registered is not
/// checked). The error says what is wrong and what to write instead.
pub fn check_language(tag: &str) -> std::result::Result<(), String> {
    if is_language_tag(tag) {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a BCP 47 language tag (write e.g. `en`, `en-GB`, `pt-BR`, `zh-Hant`)",
            shown(tag)
        ))
    }
}

/// RFC 5646, section 2.1: `langtag / privateuse / grandfathered`, read
/// subtag by subtag (case does not matter, section 2.1.1).
fn is_language_tag(tag: &str) -> bool {
    // The grandfathered tags of section 2.2.8 (some of which do not match
    // the `langtag` production).
    const GRANDFATHERED: &[&str] = &[
        "en-gb-oed",
        "i-ami",
        "i-bnn",
        "i-default",
        "i-enochian",
        "i-hak",
        "i-klingon",
        "i-lux",
        "i-mingo",
        "i-navajo",
        "i-pwn",
        "i-tao",
        "i-tay",
        "i-tsu",
        "sgn-be-fr",
        "sgn-be-nl",
        "sgn-ch-de",
        "art-lojban",
        "cel-gaulish",
        "no-bok",
        "no-nyn",
        "zh-guoyu",
        "zh-hakka",
        "zh-min",
        "zh-min-nan",
        "zh-xiang",
    ];
    if tag.is_empty() || tag.len() > 128 || !tag.is_ascii() {
        return false;
    }
    let lower = tag.to_ascii_lowercase();
    if GRANDFATHERED.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    let alpha = |s: &str, len: Range<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
    };
    let alnum = |s: &str, len: Range<usize>| {
        len.contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    // privateuse = "x" 1*("-" (1*8alphanum))
    let privateuse = |rest: &[&str]| !rest.is_empty() && rest.iter().all(|s| alnum(s, 1..9));
    let at = |i: usize| subtags.get(i).copied();
    if at(0) == Some("x") {
        return privateuse(&subtags[1..]);
    }
    // language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA. The longer
    // forms are well-formed but reserved (section 2.2.1): the registry has
    // no such subtag, and `english` or `french` is a mistake, so they are
    // refused.
    let Some(language) = at(0) else { return false };
    if !alpha(language, 2..4) {
        return false;
    }
    let mut i = 1;
    if language.len() <= 3 {
        // extlang = 3ALPHA *2("-" 3ALPHA)
        let mut n = 0;
        while n < 3 && at(i).is_some_and(|s| alpha(s, 3..4)) {
            i += 1;
            n += 1;
        }
    }
    // ["-" script], script = 4ALPHA
    if at(i).is_some_and(|s| alpha(s, 4..5)) {
        i += 1;
    }
    // ["-" region], region = 2ALPHA / 3DIGIT
    if at(i).is_some_and(|s| alpha(s, 2..3) || digits(s, 3)) {
        i += 1;
    }
    // *("-" variant), variant = 5*8alphanum / (DIGIT 3alphanum)
    while at(i)
        .is_some_and(|s| alnum(s, 5..9) || (alnum(s, 4..5) && s.as_bytes()[0].is_ascii_digit()))
    {
        i += 1;
    }
    // *("-" extension), extension = singleton 1*("-" (2*8alphanum))
    while let Some(s) = at(i) {
        if s == "x" || !alnum(s, 1..2) {
            break;
        }
        i += 1;
        let first = i;
        while at(i).is_some_and(|s| alnum(s, 2..9)) {
            i += 1;
        }
        if i == first {
            return false;
        }
    }
    // ["-" privateuse]
    match at(i) {
        None => true,
        Some("x") => privateuse(&subtags[i + 1..]),
        Some(_) => false,
    }
}

/// Checks that `date` is a real ISO 8601 date as EPUB's `dc:date` takes it
/// (the W3C profile of ISO 8601: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a date
/// and time `YYYY-MM-DDThh:mm[:ss[.f]]` with `Z` or an offset).
/// `2023-02-30` is refused.
pub fn check_date(date: &str) -> std::result::Result<(), String> {
    date_ymd(date).map(|_| ())
}

/// The year, month and day of an ISO 8601 date (see [`check_date`]; month
/// and day are 1 where the date leaves them out), or why it is not one.
pub fn date_ymd(date: &str) -> std::result::Result<(i64, i64, i64), String> {
    let bad = || {
        format!(
            "`{}` is not an ISO 8601 date (write e.g. `2024-05-01`, `2024-05` or `2024`)",
            shown(date)
        )
    };
    let number = |s: &str, n: usize| -> Option<i64> {
        (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (day_part, time) = match date.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (date, None),
    };
    let mut parts = day_part.split('-');
    let year = parts.next().and_then(|y| number(y, 4)).ok_or_else(bad)?;
    let month = parts
        .next()
        .map(|m| number(m, 2).ok_or_else(bad))
        .transpose()?;
    let day = parts
        .next()
        .map(|d| number(d, 2).ok_or_else(bad))
        .transpose()?;
    if parts.next().is_some() {
        return Err(bad());
    }
    let m = month.unwrap_or(1);
    if !(1..=12).contains(&m) {
        return Err(format!(
            "`{date}` is not a real date: there is no month {m}"
        ));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let d = day.unwrap_or(1);
    if !(1..=days_in_month).contains(&d) {
        return Err(format!(
            "`{}` is not a real date: month {m} of {year} has {days_in_month} days",
            shown(date)
        ));
    }
    if let Some(time) = time
        && (day.is_none() || !is_iso_time(time))
    {
        return Err(bad());
    }
    Ok((year, m, d))
}

/// `hh:mm[:ss[.fraction]]`, then nothing, `Z` or `±hh:mm`.
fn is_iso_time(t: &str) -> bool {
    let (clock, offset) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let num = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|v| v <= max)
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (clock, None),
    };
    let fields: Vec<&str> = hms.split(':').collect();
    let clock_ok = match fields.as_slice() {
        [h, m] => num(h, 23) && num(m, 59) && fraction.is_none(),
        // 60: a leap second.
        [h, m, s] => num(h, 23) && num(m, 59) && num(s, 60),
        _ => false,
    } && fraction
        .is_none_or(|f| !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()));
    let offset_ok = match offset {
        "" | "Z" | "z" => true,
        o => matches!(o[1..].split_once(':'), Some((h, m)) if num(h, 23) && num(m, 59)),
    };
    clock_ok && offset_ok
}

/// `s` as a message shows it: control characters escaped, and cut after
/// 40 characters so that a huge value does not flood the terminal.
pub fn shown(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// A TOML text parsed once with the places of its keys, so that a check
/// that runs after deserialising can still point at the key at fault.
pub struct TomlDoc<'a> {
    path: &'a Path,
    text: &'a str,
    root: std::result::Result<Spanned<DeTable<'a>>, toml::de::Error>,
}

impl<'a> TomlDoc<'a> {
    /// Parses `text` (the contents of `path`, which names it in messages).
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        TomlDoc {
            path,
            text,
            root: DeTable::parse(text),
        }
    }

    /// Whether the key at `keys` (a path of table names and a key) is set.
    pub fn has(&self, keys: &[&str]) -> bool {
        self.find(keys)
            .is_some_and(|(depth, _)| depth == keys.len())
    }

    /// How many keys of the path `keys` exist, and where the last of them
    /// is (for a table, its name in its header).
    fn find(&self, keys: &[&str]) -> Option<(usize, Range<usize>)> {
        let root = self.root.as_ref().ok()?;
        let mut table = root.get_ref();
        let mut found = None;
        for (depth, key) in keys.iter().enumerate() {
            let Some((k, v)) = entry(table, key) else {
                break;
            };
            found = Some((depth + 1, k.span()));
            match v.get_ref() {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
        found
    }

    /// A diagnostic at the key `keys`, or at the deepest table of that path
    /// which exists, or at the file's start.
    pub fn at(&self, keys: &[&str], message: impl Into<String>) -> Diagnostic {
        let span = self.find(keys).map_or(0..0, |(_, span)| span);
        self.diagnostic_at(span, message)
    }

    /// A diagnostic at a byte range of the text.
    pub fn diagnostic_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, col) = line_col(self.text, span.start);
        Diagnostic::error(message).at_path(self.path, line, col)
    }

    /// The dotted key whose value holds byte `offset`, and that value's
    /// TOML type.
    fn key_at(&self, offset: usize) -> Option<(String, &'static str)> {
        fn walk(table: &DeTable, offset: usize, path: &mut Vec<String>) -> Option<&'static str> {
            // A table's span may be its header only: look inside every
            // table, not just those whose span holds the offset.
            for (k, v) in table.iter() {
                path.push(k.get_ref().to_string());
                if let DeValue::Table(t) = v.get_ref()
                    && let Some(found) = walk(t, offset, path)
                {
                    return Some(found);
                }
                if v.span().contains(&offset) || k.span().contains(&offset) {
                    // In a list, the item at fault.
                    let item = v
                        .get_ref()
                        .as_array()
                        .and_then(|a| a.iter().find(|i| i.span().contains(&offset)));
                    return Some(item.unwrap_or(v).get_ref().type_str());
                }
                path.pop();
            }
            None
        }
        let root = self.root.as_ref().ok()?;
        let mut path = Vec::new();
        let ty = walk(root.get_ref(), offset, &mut path)?;
        Some((path.join("."), ty))
    }

    /// Turns a TOML or serde error into a diagnostic at its place: serde's
    /// raw wording ("invalid type: unit variant") gives way to the key and
    /// what it takes (from `expected`, key → what it takes, where known);
    /// an unknown key gets a "did you mean" hint.
    pub fn serde_diagnostic(&self, err: &toml::de::Error, expected: &[(&str, &str)]) -> Diagnostic {
        let raw = err.message().trim().to_string();
        let span = err.span().unwrap_or(0..0);
        let message = match self.key_at(span.start) {
            Some((key, found)) => {
                let last = key.rsplit('.').next().unwrap_or(&key);
                let wanted = expected
                    .iter()
                    .find(|(k, _)| *k == key || *k == last)
                    .map(|(_, w)| *w);
                explain(last, &raw, Some(found), wanted)
            }
            None => raw.clone(),
        };
        let mut d = self.diagnostic_at(span, message);
        if let Some(hint) = unknown_field_hint(&raw) {
            d = d.hint(hint);
        }
        d
    }
}

/// The entry `key` of a spanned table.
type DeEntry<'t, 'i> = (&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>);

fn entry<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<DeEntry<'t, 'i>> {
    table.iter().find(|(k, _)| k.get_ref() == key)
}

/// A message a person can act on for a serde error about `key`: serde's
/// own text where it already names the key or the value, else the key and
/// what it takes (`wanted`, or serde's expectation when that is readable),
/// and what was `found` (a TOML type name).
pub fn explain(key: &str, raw: &str, found: Option<&str>, wanted: Option<&str>) -> String {
    if raw.starts_with("unknown field") || raw.starts_with('`') {
        return raw.to_string();
    }
    let opaque = raw.contains("unit variant")
        || raw.contains("struct variant")
        || raw.contains("did not match any variant")
        || raw.contains("string only");
    let serde_wanted = raw
        .split_once(", expected ")
        .map(|(_, w)| w.trim())
        .filter(|_| !opaque && raw.starts_with("invalid "));
    let found = found.map(|f| match f {
        "datetime" => "a date",
        "table" => "a table",
        "array" => "a list",
        "string" => "a string",
        "integer" => "a whole number",
        "float" => "a number",
        "boolean" => "`true` or `false`",
        other => other,
    });
    if let Some(rest) = raw.strip_prefix("unknown variant ") {
        return format!("`{key}`: unknown value {rest}");
    }
    match (wanted.or(serde_wanted), found) {
        (Some(w), _) if opaque => format!("`{key}` must be {w}"),
        (Some(w), Some(f)) if raw.starts_with("invalid type") => {
            format!("`{key}` must be {w}, not {f}")
        }
        (Some(w), _) => format!("`{key}` must be {w}"),
        (None, _) if opaque => format!("`{key}` has a value of the wrong kind"),
        (None, _) => format!("`{key}`: {raw}"),
    }
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

/// Edit distance between two short strings: insertions, deletions,
/// substitutions and swaps of two neighbours (`tpo` → `top`) cost one each
/// (the "optimal string alignment" variant of Damerau–Levenshtein).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j].
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost)
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// 1-based line and column (in characters) of a byte offset.
/// A leading byte-order mark is not counted: it is invisible.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &text[bom..];
    let mut offset = offset.saturating_sub(bom).min(text.len());
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
        assert_eq!(edit_distance("subtitel", "subtitle"), 1);
        assert_eq!(edit_distance("tpo", "top"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("same", "same"), 0);
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
    fn language_tags_follow_rfc_5646_syntax() {
        for ok in [
            "en",
            "en-GB",
            "EN-gb",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn",
            "es-419",
            "de-CH-1996",
            "sl-rozaj-biske",
            "en-US-x-twain",
            "x-private",
            "i-klingon",
            "zh-min-nan",
            "en-a-bbb-x-a-ccc",
            "yue-Hant-HK",
            "zh-cmn-Hans-CN",
        ] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "e",
            "english please",
            "en_GB",
            "en-",
            "-en",
            "en--GB",
            "123",
            "en-GB-",
            "toolonglanguage",
            "english",
            "fran",
            "en-a",
            "en-x",
            "a-DE",
            "en-ΓΒ",
            "en\u{0}",
        ] {
            assert!(check_language(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates_must_be_real() {
        for ok in [
            "2024",
            "2024-05",
            "2024-05-01",
            "2024-02-29",
            "2000-02-29",
            "2024-05-01T10:00:00Z",
            "1979-05-27T07:32:00-08:00",
            "2024-05-01T10:00",
            "2024-05-01T10:00:00.5+01:00",
        ] {
            assert!(check_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "soon",
            "2023-02-29",
            "1900-02-29",
            "2023-02-30",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-5-1",
            "24-05-01",
            "2024-05-01T25:00",
            "2024-05-01T10:00:00+1",
            "2024-05T10:00",
            "31/01/2025",
            "2024-05-01-02",
        ] {
            assert!(check_date(bad).is_err(), "{bad:?}");
        }
        assert_eq!(date_ymd("2024-05"), Ok((2024, 5, 1)));
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
        assert_eq!(line_col("\u{feff}ab", 4), (1, 2));
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
