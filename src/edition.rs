//! `Config` → the resolved [`Edition`]s of a book, and the build that runs
//! them. Every default is filled in here, so that backends never guess.

use std::path::{Path, PathBuf};

use crate::config::{EditionTable, Format, NoteNumbering};
use crate::diag::{Diagnostic, Error, Result};
use crate::load::Project;

/// One edition, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    /// The name from `[edition.NAME]`.
    pub name: String,
    /// EPUB or PDF.
    pub format: Format,
    /// Where the output goes: `<out>/<book-slug>-<name>.<ext>`.
    pub output: PathBuf,
    /// The style file, resolved against the book directory, if one is given.
    pub style: Option<PathBuf>,
    /// Note numbering.
    pub note_numbering: NoteNumbering,
    /// EPUB: embed the fonts.
    pub embed_fonts: bool,
    /// EPUB: insert soft hyphens.
    pub soft_hyphens: bool,
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
    let mut tables: Vec<(String, EditionTable)> = project
        .config
        .edition
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if tables.is_empty() {
        for (name, format) in [("ereader", Format::Epub), ("pamphlet", Format::Pdf)] {
            tables.push((
                name.to_string(),
                EditionTable {
                    format,
                    style: None,
                    note_numbering: None,
                    embed_fonts: None,
                    soft_hyphens: None,
                },
            ));
        }
    }
    let mut errors = Vec::new();
    let mut editions = Vec::new();
    for (name, t) in tables {
        if t.format == Format::Pdf {
            for (key, set) in [
                ("embed-fonts", t.embed_fonts.is_some()),
                ("soft-hyphens", t.soft_hyphens.is_some()),
            ] {
                if set {
                    errors.push(config_error(
                        project,
                        &name,
                        key,
                        format!("`{key}` is an EPUB setting; edition `{name}` is a PDF"),
                    ));
                }
            }
        }
        let slug = &project.book.meta.slug;
        editions.push(Edition {
            output: out_dir.join(format!("{slug}-{name}.{}", t.format.extension())),
            style: t.style.as_ref().map(|s| project.root.join(s)),
            note_numbering: t.note_numbering.unwrap_or(NoteNumbering::PerChapter),
            embed_fonts: t.embed_fonts.unwrap_or(false),
            soft_hyphens: t.soft_hyphens.unwrap_or(false),
            format: t.format,
            name,
        });
    }
    if errors.is_empty() {
        Ok(editions)
    } else {
        Err(Error::Config(errors))
    }
}

/// An error about `key` in `[edition.NAME]`, at its line in book.toml.
fn config_error(project: &Project, edition: &str, key: &str, message: String) -> Diagnostic {
    let Some(path) = &project.config_path else {
        return Diagnostic::error(message);
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let header = format!("[edition.{edition}]");
    let line = text
        .lines()
        .enumerate()
        .skip_while(|(_, l)| l.trim() != header)
        .find(|(_, l)| l.trim_start().starts_with(key))
        .map_or(0, |(i, _)| i + 1);
    Diagnostic::error(message).at_path(path, line, 1)
}

/// The build time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else
/// the book's date at midnight UTC, else the Unix epoch. Never the clock, so
/// that the same input gives the same bytes.
pub fn build_time(project: &Project) -> Result<i64> {
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        return s.trim().parse().map_err(|_| {
            Error::config(Diagnostic::error(format!(
                "SOURCE_DATE_EPOCH must be a whole number of seconds, not `{s}`"
            )))
        });
    }
    Ok(project
        .book
        .meta
        .date
        .as_deref()
        .and_then(parse_date)
        .unwrap_or(0))
}

/// `YYYY-MM-DD` (or a longer ISO date starting so) → seconds since 1970.
fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
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

/// Seconds since 1970 → `YYYY-MM-DDThh:mm:ssZ`.
pub fn iso8601(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Inverse of days_from_civil (Hinnant's `civil_from_days`).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
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
        assert_eq!(parse_date("soon"), None);
    }
}
