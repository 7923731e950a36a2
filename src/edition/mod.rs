//! `Config` → the resolved [`Edition`]s of a book. Every default is filled
//! in here, so that backends never guess.
//!
//! An `[edition.NAME]` table holds the edition's own keys (`format`,
//! `style`, imposition, …) and, for a PDF edition, any key of the print
//! style, which overrides the style's value. The style is a built-in one by
//! name (`pamphlet`, `large-print`) or a TOML file relative to the book.
//! Everything is checked strictly: an unknown key or a bad value is an error
//! at its line of `book.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::{self, EditionName, Format, NoteNumbering, TomlDoc};
use crate::diag::{Diagnostic, Error, Result};
use crate::impose::Booklet;
use crate::load::Project;
use crate::style::{PageSize, PrintStyle};
use crate::units::Pt;

mod dates;
mod epub;
mod pdf;
mod print_style;
#[cfg(test)]
mod tests;

pub use dates::{build_time, civil_from_days, iso8601};

/// The print styles built into samizdat, by name (`styles/NAME.toml`).
pub const BUILTIN_STYLES: &[(&str, &str)] = &[
    ("pamphlet", include_str!("../../styles/pamphlet.toml")),
    ("large-print", include_str!("../../styles/large-print.toml")),
];

/// One edition, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    /// The name from `[edition.NAME]`.
    pub name: String,
    /// EPUB or PDF.
    pub format: Format,
    /// Where the output goes: `<out>/<book-slug>-<name>.<ext>`.
    pub output: PathBuf,
    /// The format's settings.
    pub settings: Settings,
}

/// Settings by format.
#[derive(Debug, Clone, PartialEq)]
pub enum Settings {
    /// An EPUB edition.
    Epub(EpubSettings),
    /// A PDF edition.
    Pdf(Box<PdfSettings>),
}

/// An EPUB edition's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct EpubSettings {
    /// A stylesheet file replacing the default one, if given.
    pub stylesheet: Option<PathBuf>,
    /// Note numbering.
    pub note_numbering: NoteNumbering,
    /// Embed the bundled fonts.
    pub embed_fonts: bool,
    /// Insert soft hyphens from the hyphenation patterns.
    pub soft_hyphens: bool,
    /// A PDF edition whose page breaks become the EPUB's page list.
    pub page_source: Option<PageSource>,
}

/// The print edition an EPUB takes its page numbers from.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSource {
    /// The PDF edition's name.
    pub edition: String,
    /// Its print style (set before imposition: the pages a reader cites).
    pub style: Box<PrintStyle>,
}

/// A PDF edition's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfSettings {
    /// The print style, with the edition's overrides applied.
    pub style: PrintStyle,
    /// Booklet imposition, if asked for.
    pub booklet: Option<Booklet>,
    /// Crop marks around each (imposed) page, with this bleed.
    pub crop_marks: Option<Pt>,
    /// Write a tagged PDF, checked against PDF/UA-1.
    pub tagged: bool,
    /// Conform to this PDF/A level, if any.
    pub pdf_a: Option<PdfA>,
}

/// A PDF/A conformance level (ISO 19005) a PDF edition can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PdfA {
    /// PDF/A-2b (ISO 19005-2, level b: the pages' appearance is kept).
    #[serde(rename = "2b")]
    A2b,
}

/// The keys an edition table may hold besides style keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct EditionKeys {
    format: Format,
    style: Option<String>,
    note_numbering: Option<NoteNumbering>,
    embed_fonts: Option<bool>,
    soft_hyphens: Option<bool>,
    page_source: Option<String>,
    imposition: Option<Imposition>,
    sheet: Option<PageSize>,
    signature_sheets: Option<usize>,
    creep: Option<Pt>,
    crop_marks: Option<bool>,
    bleed: Option<Pt>,
    tagged: Option<bool>,
    pdf_a: Option<PdfA>,
}

/// What each edition key takes, for messages about a wrong value.
const EDITION_EXPECTED: &[(&str, &str)] = &[
    ("format", "`epub` or `pdf`"),
    (
        "style",
        "a built-in style name (`pamphlet`, `large-print`) or a `.toml` file",
    ),
    ("note-numbering", "`per-chapter` or `per-book`"),
    ("embed-fonts", "`true` or `false`"),
    ("soft-hyphens", "`true` or `false`"),
    ("page-source", "the name of a PDF edition"),
    ("imposition", "`none` or `booklet`"),
    (
        "sheet",
        "a page size: `a4`, `a5`, `letter`, `6x9` or `{ custom = { width = \"…\", height = \"…\" } }`",
    ),
    (
        "signature-sheets",
        "a whole number of sheets from 0 (one signature) to 64",
    ),
    ("creep", "a length such as `0.1mm`"),
    ("crop-marks", "`true` or `false`"),
    ("bleed", "a length such as `3mm`"),
    ("tagged", "`true` or `false`"),
    ("pdf-a", "`\"2b\"`"),
];

/// Keys of [`EditionKeys`] that only EPUB editions take.
const EPUB_KEYS: &[&str] = &["embed-fonts", "soft-hyphens", "page-source"];
/// Keys of [`EditionKeys`] that editions of both formats take.
const COMMON_KEYS: &[&str] = &["format", "style", "note-numbering"];
/// Keys of [`EditionKeys`] that only PDF editions take.
const PDF_KEYS: &[&str] = &[
    "imposition",
    "sheet",
    "signature-sheets",
    "creep",
    "crop-marks",
    "bleed",
    "tagged",
    "pdf-a",
];

/// Page imposition of a PDF edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Imposition {
    /// One page per PDF page.
    None,
    /// Two-up printer's spreads for saddle stitching.
    Booklet,
}

impl Format {
    /// The output file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }

    /// The format's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Format::Epub => "EPUB",
            Format::Pdf => "PDF",
        }
    }
}

/// Resolves the editions of a loaded book. Without `[edition.*]` tables a
/// book gets `ereader` (EPUB) and `pamphlet` (A5 PDF).
pub fn resolve(project: &Project, out_dir: &Path) -> Result<Vec<Edition>> {
    let mut tables: Vec<(EditionName, toml::Table)> = project
        .config
        .edition
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if tables.is_empty() {
        for (name, format) in [("ereader", "epub"), ("pamphlet", "pdf")] {
            let mut t = toml::Table::new();
            t.insert("format".into(), toml::Value::String(format.into()));
            if let Ok(name) = EditionName::new(name) {
                tables.push((name, t));
            }
        }
    }
    let mut errors = Vec::new();
    let mut editions = Vec::new();
    for (name, table) in &tables {
        match resolve_one(project, out_dir, name, table) {
            Ok(e) => editions.push(e),
            Err(e) => errors.extend(e.diagnostics()),
        }
    }
    // Give each page-source the style of the PDF edition it names.
    let styles: Vec<(String, PrintStyle)> = editions
        .iter()
        .filter_map(|e| match &e.settings {
            Settings::Pdf(pdf) => Some((e.name.clone(), pdf.style.clone())),
            Settings::Epub(_) => None,
        })
        .collect();
    for e in &mut editions {
        if let Settings::Epub(EpubSettings {
            page_source: Some(source),
            ..
        }) = &mut e.settings
        {
            match styles.iter().find(|(n, _)| *n == source.edition) {
                Some((_, style)) => *source.style = style.clone(),
                None => errors.push(at_key(
                    project,
                    &e.name,
                    "page-source",
                    format!(
                        "`page-source = \"{}\"` names no PDF edition of this book",
                        config::shown(&source.edition)
                    ),
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(editions)
    } else {
        Err(Error::Config(errors))
    }
}

/// One `[edition.NAME]` table → its [`Edition`]: the edition's own keys
/// read, keys of the other format refused, then the format's settings.
fn resolve_one(
    project: &Project,
    out_dir: &Path,
    name: &EditionName,
    table: &toml::Table,
) -> Result<Edition> {
    // Split the edition's own keys from style overrides.
    let own_names = edition_keys();
    let (own, overrides): (toml::Table, toml::Table) = table
        .clone()
        .into_iter()
        .partition(|(k, _)| own_names.contains(&k.as_str()));
    let keys = own_keys(project, name, &own)?;
    let output = out_dir.join(crate::output::file_name(
        &project.book.meta.slug,
        name,
        keys.format.extension(),
    ));
    let (wrong, other) = match keys.format {
        Format::Epub => (PDF_KEYS, "a PDF"),
        Format::Pdf => (EPUB_KEYS, "an EPUB"),
    };
    if let Some(key) = wrong.iter().find(|k| table.contains_key(**k)) {
        let format = own
            .get("format")
            .and_then(|f| f.as_str())
            .unwrap_or_default();
        return Err(Error::config(at_key(
            project,
            name,
            key,
            format!("`{key}` is {other} setting; edition `{name}` is {format}"),
        )));
    }
    let settings = match keys.format {
        Format::Epub => epub::settings(project, name, &keys, &overrides)?,
        Format::Pdf => pdf::settings(project, name, &keys, table, overrides)?,
    };
    Ok(Edition {
        // Always a valid `EditionName`: nothing else gets here.
        name: name.to_string(),
        format: keys.format,
        output,
        settings,
    })
}

/// The edition's own keys, typed; a wrong one is an error at its key.
fn own_keys(project: &Project, name: &EditionName, own: &toml::Table) -> Result<EditionKeys> {
    toml::Value::Table(own.clone())
        .try_into()
        .map_err(|e: toml::de::Error| {
            let message = e.message().trim().to_string();
            // Find the key at fault: named in the message, or the one that
            // fails beside a valid format.
            let alone = |k: &str, v: &toml::Value| {
                let mut t = toml::Table::new();
                t.insert("format".into(), toml::Value::String("pdf".into()));
                t.insert(k.to_string(), v.clone());
                toml::Value::Table(t).try_into::<EditionKeys>().is_err()
            };
            let key = mentioned_key(&message, &edition_keys())
                .map(str::to_string)
                .or_else(|| {
                    own.iter()
                        .find(|(k, v)| alone(k, v))
                        .map(|(k, _)| k.clone())
                })
                .unwrap_or_else(|| "format".into());
            let found = own.get(&key).map(toml::Value::type_str);
            let wanted = EDITION_EXPECTED
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, w)| *w);
            let message = config::explain(&key, &message, found, wanted);
            Error::config(at_key(project, name, &key, message))
        })
}
/// Every key an edition table may hold besides style keys.
fn edition_keys() -> Vec<&'static str> {
    [COMMON_KEYS, EPUB_KEYS, PDF_KEYS].concat()
}

/// "did you mean" for serde's "unknown field `x`, expected one of …",
/// choosing among serde's list and `more`.
fn unknown_key_hint(raw: &str, unknown: &str, more: &[&str]) -> Option<String> {
    if !raw.starts_with("unknown field") {
        return None;
    }
    let listed = raw.split_once("expected").map_or("", |(_, l)| l);
    let names = more
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    config::unknown_field_hint(&format!(
        "unknown field `{unknown}`, expected {listed}, {names}"
    ))
}

/// The key a serde message is about: the first backquoted word, if it is
/// one of `known` (or anything when `known` is empty).
fn mentioned_key<'a>(message: &'a str, known: &[&str]) -> Option<&'a str> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .find(|w| known.is_empty() || known.contains(w))
}

/// A diagnostic at `key` (a dotted path) inside `[edition.NAME]` of
/// book.toml, or at the table's header when the key is not there.
fn at_key(project: &Project, edition: &str, key: &str, message: String) -> Diagnostic {
    let Some(path) = &project.config_path else {
        return Diagnostic::error(message);
    };
    let doc = TomlDoc::new(path, &project.config_text);
    let mut keys = vec!["edition", edition];
    keys.extend(crate::style::split(key));
    doc.at(&keys, message)
}
