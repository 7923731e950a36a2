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

/// The print styles built into samizdat, by name (`styles/NAME.toml`).
pub const BUILTIN_STYLES: &[(&str, &str)] = &[
    ("pamphlet", include_str!("../styles/pamphlet.toml")),
    ("large-print", include_str!("../styles/large-print.toml")),
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

/// The most bleed a page may have: printers ask for 3 to 5 mm.
const MAX_BLEED_MM: f64 = 25.0;

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

fn resolve_one(
    project: &Project,
    out_dir: &Path,
    name: &EditionName,
    table: &toml::Table,
) -> Result<Edition> {
    // Split the edition's own keys from style overrides.
    let own_names = edition_keys();
    let (own, mut overrides): (toml::Table, toml::Table) = table
        .clone()
        .into_iter()
        .partition(|(k, _)| own_names.contains(&k.as_str()));
    let format = own
        .get("format")
        .and_then(|f| f.as_str())
        .map(str::to_string);
    let keys: EditionKeys =
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
                let key = mentioned_key(&message, &own_names)
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
            })?;
    let slug = &project.book.meta.slug;
    let output = out_dir.join(crate::output::file_name(
        slug,
        name,
        keys.format.extension(),
    ));
    let wrong: &[&str] = match keys.format {
        Format::Epub => PDF_KEYS,
        Format::Pdf => EPUB_KEYS,
    };
    for key in wrong {
        if table.contains_key(*key) {
            let other = if keys.format == Format::Epub {
                "a PDF"
            } else {
                "an EPUB"
            };
            return Err(Error::config(at_key(
                project,
                name,
                key,
                format!(
                    "`{key}` is {other} setting; edition `{name}` is {}",
                    format.unwrap_or_default()
                ),
            )));
        }
    }
    let settings = match keys.format {
        Format::Epub => {
            if let Some((key, _)) = overrides.iter().next() {
                let valid: Vec<&str> = [COMMON_KEYS, EPUB_KEYS].concat();
                let mut d = at_key(
                    project,
                    name,
                    key,
                    format!("unknown key `{key}` in an EPUB edition"),
                );
                if let Some(h) = config::unknown_field_hint(&format!(
                    "unknown field `{key}`, expected one of {}",
                    valid
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )) {
                    d = d.hint(h);
                }
                return Err(Error::config(d));
            }
            // Root-relative; checked here through the book's files, read
            // through them when built.
            let stylesheet = keys.style.as_ref().map(PathBuf::from);
            if let Some(rel) = &stylesheet
                && let Err(why) = project.files.resolve_root(rel)
            {
                let style = config::shown(keys.style.as_deref().unwrap_or_default());
                let mut d = at_key(
                    project,
                    name,
                    "style",
                    format!("the EPUB stylesheet {}", why.message(&style)),
                )
                .hint("an EPUB edition's `style` is a CSS file relative to the book; print styles are for PDF editions");
                if let Some(h) = why.hint() {
                    d = d.hint(h);
                }
                return Err(Error::config(d));
            }
            Settings::Epub(EpubSettings {
                stylesheet,
                note_numbering: keys.note_numbering.unwrap_or(NoteNumbering::PerChapter),
                embed_fonts: keys.embed_fonts.unwrap_or(false),
                soft_hyphens: keys.soft_hyphens.unwrap_or(false),
                page_source: keys.page_source.map(|edition| PageSource {
                    edition,
                    style: Box::default(),
                }),
            })
        }
        Format::Pdf => {
            // Note numbering is the style's business in print.
            if let Some(n) = table.get("note-numbering") {
                overrides.insert("note-numbering".into(), n.clone());
            }
            let style = print_style(project, name, keys.style.as_deref(), overrides)?;
            let mut problems = Vec::new();
            let booklet = match keys.imposition.unwrap_or(Imposition::None) {
                Imposition::None => None,
                Imposition::Booklet => Some(Booklet {
                    sheet: keys.sheet.map(|s| {
                        let (w, h) = s.dimensions();
                        // Sheets are printed landscape, two pages side by side.
                        if w.0 >= h.0 { (w, h) } else { (h, w) }
                    }),
                    // 0: the whole book is one signature.
                    signature_sheets: keys.signature_sheets.filter(|&n| n > 0),
                    creep: keys.creep.unwrap_or(Pt(0.0)),
                }),
            };
            if let Some(b) = &booklet {
                for p in b.check(style.page.dimensions(), style.margins.inner) {
                    problems.push(at_key(project, name, p.key, p.message));
                }
            }
            for key in ["sheet", "signature-sheets", "creep"] {
                if booklet.is_none() && table.contains_key(key) {
                    problems.push(
                        at_key(
                            project,
                            name,
                            key,
                            format!("`{key}` is for a booklet; edition `{name}` is not imposed"),
                        )
                        .hint("add `imposition = \"booklet\"`, or remove the key"),
                    );
                }
            }
            if let Some(bleed) = keys.bleed
                && !(0.0..=Pt::mm(MAX_BLEED_MM).0).contains(&bleed.0)
            {
                problems.push(at_key(
                    project,
                    name,
                    "bleed",
                    format!("`bleed` is {bleed}; it must be between 0 and {MAX_BLEED_MM}mm"),
                ));
            }
            // 3 mm is the usual bleed asked for by printers.
            let crop_marks = keys
                .crop_marks
                .unwrap_or(false)
                .then(|| keys.bleed.unwrap_or(Pt::mm(3.0)));
            if let Some(bleed) =
                crop_marks.filter(|b| (0.0..=Pt::mm(MAX_BLEED_MM).0).contains(&b.0))
            {
                // The marked page (or sheet) grows by a slug on each side.
                let (w, h) = booklet.as_ref().and_then(|b| b.sheet).unwrap_or_else(|| {
                    let (w, h) = style.page.dimensions();
                    if booklet.is_some() {
                        (w * 2.0, h)
                    } else {
                        (w, h)
                    }
                });
                let grow = crate::marks::slug(bleed) * 2.0;
                let side = (w + grow).max(h + grow);
                if side.0 > *crate::style::PDF_PAGE_SIDE.end() {
                    problems.push(at_key(
                        project,
                        name,
                        "crop-marks",
                        format!(
                            "with crop marks the page is {side} a side, more than PDF's {}pt",
                            crate::style::PDF_PAGE_SIDE.end()
                        ),
                    ));
                }
            }
            if !problems.is_empty() {
                return Err(Error::Config(problems));
            }
            // Tagging gives the pages a reading order; an imposed sheet
            // holds pages out of order, for the printer.
            let tagged = keys.tagged.unwrap_or(false);
            if tagged && booklet.is_some() {
                return Err(Error::config(
                    at_key(
                        project,
                        name,
                        "tagged",
                        "a tagged PDF cannot be imposed: the sheets hold the pages out of reading order".into(),
                    )
                    .hint("tag the unimposed edition and keep the booklet for the printer"),
                ));
            }
            Settings::Pdf(Box::new(PdfSettings {
                style,
                booklet,
                crop_marks,
                tagged,
                pdf_a: keys.pdf_a,
            }))
        }
    };
    Ok(Edition {
        // Always a valid `EditionName`: nothing else gets here.
        name: name.to_string(),
        format: keys.format,
        output,
        settings,
    })
}

/// The print style named by `style` (a built-in name or a TOML file
/// relative to the book), with the edition's `overrides` merged in.
fn print_style(
    project: &Project,
    edition: &str,
    style: Option<&str>,
    overrides: toml::Table,
) -> Result<PrintStyle> {
    let name = style.unwrap_or("pamphlet");
    let (path, text) = match BUILTIN_STYLES.iter().find(|(n, _)| *n == name) {
        Some((n, text)) => (PathBuf::from(format!("styles/{n}.toml")), text.to_string()),
        None if name.ends_with(".toml") || name.contains('/') => {
            // Through the book's files: inside the book, a regular file,
            // capped.
            let files = &project.files;
            let read = files
                .resolve_root(Path::new(name))
                .and_then(|p| files.read_text(&p, crate::files::Cap::Text).map(|t| (p, t)));
            match read {
                Ok((p, text)) => (files.full(&p), text),
                Err(why) => {
                    let mut d = at_key(
                        project,
                        edition,
                        "style",
                        format!("style {}", why.message(name)),
                    );
                    if let Some(h) = why.hint() {
                        d = d.hint(h);
                    }
                    return Err(Error::config(d));
                }
            }
        }
        None => {
            let names: Vec<_> = BUILTIN_STYLES.iter().map(|(n, _)| *n).collect();
            return Err(Error::config(
                at_key(
                    project,
                    edition,
                    "style",
                    format!("no built-in style `{}`", config::shown(name)),
                )
                .hint(format!(
                    "built-in styles: {}; or give a .toml file",
                    names.join(", ")
                )),
            ));
        }
    };
    // The style alone first, so its own mistakes point into its file.
    PrintStyle::from_toml(&text, &path)?;
    let base: toml::Table = toml::from_str(&text).unwrap_or_default();
    let apply = |over: toml::Table| -> std::result::Result<PrintStyle, toml::de::Error> {
        let mut table = base.clone();
        merge(&mut table, over);
        toml::Value::Table(table).try_into()
    };
    let merged = apply(overrides.clone()).map_err(|e| {
        let raw = e.message().trim().to_string();
        // serde names an unknown key but not the key of a bad value: find
        // the override that fails on its own.
        let key = mentioned_key(&raw, &[])
            .and_then(|k| key_path(&overrides, k))
            .or_else(|| {
                overrides
                    .iter()
                    .find(|(k, v)| {
                        apply(toml::Table::from_iter([((*k).clone(), (*v).clone())])).is_err()
                    })
                    .map(|(k, _)| k.clone())
            })
            .unwrap_or_else(|| "style".into());
        let last = key.rsplit('.').next().unwrap_or(&key);
        let found = lookup(&overrides, &key).map(toml::Value::type_str);
        let wanted = crate::style::EXPECTED
            .iter()
            .find(|(k, _)| *k == last)
            .map(|(_, w)| *w);
        let message = if raw.starts_with("unknown field") {
            format!("unknown key `{last}` in a PDF edition")
        } else {
            config::explain(last, &raw, found, wanted)
        };
        let mut d = at_key(project, edition, &key, message);
        // A misspelt key may be meant for the style or for the edition.
        if let Some(h) = unknown_key_hint(&raw, last, &edition_keys()) {
            d = d.hint(h);
        }
        Error::config(d)
    })?;
    // Each problem is blamed on the first of its keys that the edition
    // sets, else on the style file, else on the edition's `style` key.
    let style_doc = TomlDoc::new(&path, &text);
    let problems: Vec<Diagnostic> = merged
        .problems()
        .into_iter()
        .map(|p| {
            if let Some(k) = p.keys.iter().find(|k| lookup(&overrides, k).is_some()) {
                at_key(project, edition, k, p.message)
            } else if let Some(k) = p
                .keys
                .iter()
                .find(|k| style_doc.has(&crate::style::split(k)))
            {
                style_doc.at(&crate::style::split(k), p.message)
            } else {
                at_key(project, edition, "style", p.message)
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(Error::Config(problems))
    }
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

/// The value at a dotted key path of a table.
fn lookup<'t>(table: &'t toml::Table, key: &str) -> Option<&'t toml::Value> {
    let mut parts = key.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// The dotted path of the first key named `name` in `table` or its
/// subtables.
fn key_path(table: &toml::Table, name: &str) -> Option<String> {
    if table.contains_key(name) {
        return Some(name.to_string());
    }
    table.iter().find_map(|(k, v)| {
        let sub = key_path(v.as_table()?, name)?;
        Some(format!("{k}.{sub}"))
    })
}

/// Merges `over` into `base`, table by table.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
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

/// The build time, in seconds since 1970: `SOURCE_DATE_EPOCH` when set
/// (reproducible builds: the same input gives the same bytes), else the
/// book's date at midnight UTC, else the clock. Never 1970 by accident.
pub fn build_time(project: &Project) -> Result<i64> {
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        return s
            .trim()
            .parse::<i64>()
            .ok()
            // Years 0 to 9999: what an ISO 8601 date and PDF's dates hold.
            .filter(|t| (-62_167_219_200..=253_402_300_799).contains(t))
            .ok_or_else(|| {
                Error::config(Diagnostic::error(format!(
                    "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (up to year 9999), not `{}`",
                    config::shown(&s)
                )))
            });
    }
    if let Some(t) = project.book.meta.date.as_deref().and_then(parse_date) {
        return Ok(t);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(i64::try_from(now).unwrap_or(i64::MAX))
}

/// An ISO 8601 date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD` or longer; see
/// [`config::check_date`]) → seconds since 1970 at its first midnight UTC.
fn parse_date(s: &str) -> Option<i64> {
    let (y, m, d) = config::date_ymd(s).ok()?;
    Some(days_from_civil(y, m, d) * 86_400)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil` algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date (year, month, day) of a count of days
/// since 1970-01-01 (Howard Hinnant's `civil_from_days`, the inverse of
/// [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Seconds since 1970 → `YYYY-MM-DDThh:mm:ssZ`.
pub fn iso8601(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        let d = parse_date("2024-02-29").unwrap();
        assert_eq!(iso8601(d), "2024-02-29T00:00:00Z");
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date("2024"), parse_date("2024-01-01"));
        assert_eq!(parse_date("2024-05-01T10:00:00Z"), parse_date("2024-05-01"));
    }
}

#[cfg(test)]
mod edition_tests {
    use super::*;
    use crate::diag::Location;

    /// Loads a one-chapter book whose book.toml ends with `editions`.
    fn project(editions: &str) -> Project {
        let dir = std::env::temp_dir().join(format!(
            "samizdat-ed-{}-{:x}",
            std::process::id(),
            editions.len() * 31 + editions.bytes().map(usize::from).sum::<usize>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("c.md"), "# C\n\nText.\n").unwrap();
        std::fs::write(
            dir.join("book.toml"),
            format!("[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"c.md\"]\n\n{editions}"),
        )
        .unwrap();
        crate::load::load(&dir).unwrap()
    }

    fn error(editions: &str) -> Diagnostic {
        let p = project(editions);
        match resolve(&p, Path::new("out")) {
            Err(Error::Config(d)) => d[0].clone(),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    fn line(d: &Diagnostic) -> usize {
        match d.location {
            Location::Path { line, .. } => line,
            _ => 0,
        }
    }

    #[test]
    fn defaults_are_ereader_and_pamphlet() {
        let p = project("");
        let e = resolve(&p, Path::new("out")).unwrap();
        let names: Vec<_> = e.iter().map(|e| (e.name.as_str(), e.format)).collect();
        assert_eq!(
            names,
            [("ereader", Format::Epub), ("pamphlet", Format::Pdf)]
        );
        assert_eq!(e[0].output, Path::new("out/t-ereader.epub"));
        let Settings::Pdf(pdf) = &e[1].settings else {
            panic!()
        };
        assert_eq!(
            pdf.style,
            PrintStyle::from_toml(BUILTIN_STYLES[0].1, Path::new("x")).unwrap()
        );
    }

    #[test]
    fn edition_values_override_the_style() {
        let p = project(
            "[edition.big]\nformat = \"pdf\"\nstyle = \"large-print\"\nbody-size = \"18pt\"\n\n[edition.big.margins]\ntop = \"30mm\"\n",
        );
        let e = resolve(&p, Path::new("out")).unwrap();
        let Settings::Pdf(pdf) = &e[0].settings else {
            panic!()
        };
        assert_eq!(pdf.style.body_size, Pt(18.0));
        assert_eq!(pdf.style.margins.top, Pt::mm(30.0));
        // Untouched keys keep the style's values.
        assert_eq!(pdf.style.margins.inner, Pt::mm(25.0));
        assert_eq!(pdf.style.page, PageSize::A4);
        assert!(pdf.booklet.is_none());
    }

    #[test]
    fn booklet_sheets_are_landscape() {
        let p = project(
            "[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsheet = \"a4\"\nsignature-sheets = 4\ncreep = \"0.1mm\"\n",
        );
        let e = resolve(&p, Path::new("out")).unwrap();
        let Settings::Pdf(pdf) = &e[0].settings else {
            panic!()
        };
        let b = pdf.booklet.unwrap();
        assert_eq!(b.sheet, Some((Pt::mm(297.0), Pt::mm(210.0))));
        assert_eq!(b.signature_sheets, Some(4));
        assert_eq!(b.creep, Pt::mm(0.1));
    }

    #[test]
    fn note_numbering_is_an_edition_key_in_both_formats() {
        let p = project(
            "[edition.e]\nformat = \"epub\"\nnote-numbering = \"per-book\"\n\n[edition.p]\nformat = \"pdf\"\nnote-numbering = \"book\"\n",
        );
        let e = resolve(&p, Path::new("out")).unwrap();
        let Settings::Epub(epub) = &e[0].settings else {
            panic!()
        };
        assert_eq!(epub.note_numbering, NoteNumbering::PerBook);
        let Settings::Pdf(pdf) = &e[1].settings else {
            panic!()
        };
        assert_eq!(pdf.style.note_numbering, NoteNumbering::PerBook);
    }

    #[test]
    fn crop_marks_take_a_bleed_of_3_mm_by_default() {
        let p = project(
            "[edition.a]\nformat = \"pdf\"\ncrop-marks = true\n\n[edition.b]\nformat = \"pdf\"\ncrop-marks = true\nbleed = \"5mm\"\n\n[edition.c]\nformat = \"pdf\"\n",
        );
        let e = resolve(&p, Path::new("out")).unwrap();
        let marks: Vec<_> = e
            .iter()
            .map(|e| match &e.settings {
                Settings::Pdf(pdf) => pdf.crop_marks,
                Settings::Epub(_) => panic!(),
            })
            .collect();
        assert_eq!(marks, [Some(Pt::mm(3.0)), Some(Pt::mm(5.0)), None]);
    }

    #[test]
    fn tagged_and_pdf_a_are_off_by_default_and_parsed_strictly() {
        let p = project(
            "[edition.a]\nformat = \"pdf\"\ntagged = true\npdf-a = \"2b\"\n\n[edition.b]\nformat = \"pdf\"\n",
        );
        let e = resolve(&p, Path::new("out")).unwrap();
        let got: Vec<_> = e
            .iter()
            .map(|e| match &e.settings {
                Settings::Pdf(pdf) => (pdf.tagged, pdf.pdf_a),
                Settings::Epub(_) => panic!(),
            })
            .collect();
        assert_eq!(got, [(true, Some(PdfA::A2b)), (false, None)]);
        let d = error("[edition.p]\nformat = \"pdf\"\npdf-a = \"3u\"\n");
        assert_eq!(line(&d), 9, "{d:?}");
        assert!(d.message.contains("3u"), "{}", d.message);
        let d = error("[edition.p]\nformat = \"pdf\"\ntagged = \"yes\"\n");
        assert_eq!(line(&d), 9, "{d:?}");
        let d = error("[edition.e]\nformat = \"epub\"\ntagged = true\n");
        assert!(
            d.message.contains("`tagged` is a PDF setting"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_tagged_booklet_is_refused_at_its_key() {
        let d = error("[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\ntagged = true\n");
        assert_eq!(line(&d), 10, "{d:?}");
        assert!(d.message.contains("cannot be imposed"), "{}", d.message);
    }

    #[test]
    fn unknown_style_key_is_an_error_at_its_line_with_a_hint() {
        let d = error("[edition.p]\nformat = \"pdf\"\nbody-sise = \"12pt\"\n");
        assert_eq!(line(&d), 9);
        assert!(d.message.contains("body-sise"), "{}", d.message);
        assert_eq!(d.hints, ["did you mean `body-size`?"]);
    }

    #[test]
    fn bad_values_are_errors_at_their_line() {
        let d = error("[edition.p]\nformat = \"docx\"\n");
        assert_eq!(line(&d), 8);
        assert!(d.message.contains("docx"), "{}", d.message);
        let d = error("[edition.p]\nformat = \"pdf\"\nleading = \"12 parsecs\"\n");
        assert_eq!(line(&d), 9, "{d:?}");
        let d = error("[edition.p]\nformat = \"pdf\"\nimposition = \"quarto\"\n");
        assert_eq!(line(&d), 9, "{d:?}");
    }

    #[test]
    fn settings_of_the_other_format_are_refused() {
        let d = error("[edition.e]\nformat = \"epub\"\nimposition = \"booklet\"\n");
        assert!(
            d.message.contains("`imposition` is a PDF setting"),
            "{}",
            d.message
        );
        let d = error("[edition.p]\nformat = \"pdf\"\nsoft-hyphens = true\n");
        assert!(
            d.message.contains("`soft-hyphens` is an EPUB setting"),
            "{}",
            d.message
        );
        let d = error("[edition.e]\nformat = \"epub\"\nsoft-hyphen = true\n");
        assert_eq!(d.hints, ["did you mean `soft-hyphens`?"]);
    }

    #[test]
    fn unknown_style_and_page_source_are_errors() {
        let d = error("[edition.p]\nformat = \"pdf\"\nstyle = \"glossy\"\n");
        assert!(d.message.contains("no built-in style `glossy`"));
        assert_eq!(line(&d), 9);
        let d = error("[edition.e]\nformat = \"epub\"\npage-source = \"nope\"\n");
        assert!(d.message.contains("names no PDF edition"), "{}", d.message);
    }

    fn col(d: &Diagnostic) -> usize {
        match d.location {
            Location::Path { col, .. } => col,
            _ => 0,
        }
    }

    #[test]
    fn overrides_out_of_range_are_errors_at_their_key() {
        for (key, value) in [
            ("body-size", "nan"),
            ("body-size", "1e308"),
            ("leading", "0"),
            ("tolerance", "-1"),
            ("looseness", "99"),
            ("hyphen-penalty", "1e20"),
            ("paragraph-indent", "\"-5mm\""),
        ] {
            let d = error(&format!("[edition.p]\nformat = \"pdf\"\n{key} = {value}\n"));
            assert_eq!((line(&d), col(&d)), (9, 1), "{key} = {value}: {d:?}");
            assert!(
                d.message.contains(key) || d.message.contains("length"),
                "{d:?}"
            );
        }
        let d = error("[edition.p]\nformat = \"pdf\"\n\n[edition.p.margins]\nouter = \"140mm\"\n");
        assert_eq!(line(&d), 11, "{d:?}");
        assert!(d.message.contains("three ems"), "{}", d.message);
        let d = error("[edition.p]\nformat = \"pdf\"\nmargins.top = \"-1mm\"\n");
        assert_eq!((line(&d), col(&d)), (9, 9), "{d:?}");
    }

    #[test]
    fn booklet_geometry_is_checked() {
        let d = error("[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsheet = \"a5\"\n");
        assert_eq!(line(&d), 10, "{d:?}");
        assert!(d.message.contains("cannot hold two"), "{}", d.message);
        let d = error(
            "[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsignature-sheets = 65\n",
        );
        assert_eq!(line(&d), 10, "{d:?}");
        let d = error(
            "[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsignature-sheets = 10\ncreep = \"2mm\"\n",
        );
        assert!(d.message.contains("inner margin"), "{}", d.message);
        assert_eq!(line(&d), 11, "{d:?}");
        let d =
            error("[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\ncreep = \"-1mm\"\n");
        assert_eq!(line(&d), 10, "{d:?}");
        let d = error("[edition.b]\nformat = \"pdf\"\nsheet = \"a4\"\n");
        assert!(d.message.contains("not imposed"), "{}", d.message);
        let d = error("[edition.b]\nformat = \"pdf\"\ncrop-marks = true\nbleed = \"-3mm\"\n");
        assert_eq!(line(&d), 10, "{d:?}");
        let d = error("[edition.b]\nformat = \"pdf\"\ncrop-marks = true\nbleed = \"1m\"\n");
        assert!(d.message.contains("length"), "{}", d.message);
    }

    #[test]
    fn misspelt_edition_keys_get_a_hint_in_pdf_editions() {
        let d = error("[edition.p]\nformat = \"pdf\"\nimpositon = \"booklet\"\n");
        assert_eq!(line(&d), 9);
        assert_eq!(d.hints, ["did you mean `imposition`?"]);
        let d = error("[edition.p]\nformat = \"pdf\"\n[edition.p.margins]\ntpo = 3\n");
        assert_eq!(line(&d), 10, "{d:?}");
        assert_eq!(d.hints, ["did you mean `top`?"]);
    }

    #[test]
    fn style_file_problems_point_into_the_style_file() {
        let p = project("[edition.p]\nformat = \"pdf\"\nstyle = \"bad.toml\"\n");
        std::fs::write(p.root.join("bad.toml"), "justify = true\nbody-size = 0\n").unwrap();
        let Err(Error::Config(d)) = resolve(&p, Path::new("out")) else {
            panic!()
        };
        assert_eq!(
            d[0].location,
            Location::Path {
                path: p.root.join("bad.toml"),
                line: 2,
                col: 1
            }
        );
    }
}
