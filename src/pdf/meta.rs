//! What the document says about itself and which standards it claims: the
//! serialisation settings (PDF/UA-1 and PDF/A-2b validators, tagging), the
//! info dictionary and XMP (title, authors, language, date, id), and
//! krilla's validation errors turned into diagnostics at the source line of
//! the content at fault.

use krilla::SerializeSettings;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, ValidationError};
use krilla::error::KrillaError;
use krilla::metadata::{DateTime, Metadata};

use super::{PdfMeta, bad};
use crate::diag::{Diagnostic, Error, Result};
use crate::edition::PdfA;
use crate::source::Span;

/// The serialisation settings: compressed, with XMP, tagged and validated
/// as `meta` asks.
pub(super) fn settings(meta: &PdfMeta) -> Result<SerializeSettings> {
    let mut configuration = ConfigurationBuilder::new();
    if meta.tagged {
        configuration = configuration.with_accessibility_validator(Accessibility::UA1);
    }
    if let Some(PdfA::A2b) = meta.pdf_a {
        configuration = configuration.with_archival_validator(Archival::A2_B);
    }
    let configuration = configuration
        .finish()
        .map_err(|e| bad(&format!("PDF standards that cannot be met together: {e:?}")))?;
    Ok(SerializeSettings {
        compress_content_streams: true,
        ascii_compatible: false,
        xmp_metadata: true,
        enable_tagging: meta.tagged,
        configuration,
        ..SerializeSettings::default()
    })
}

/// The document information (info dictionary and XMP).
pub(super) fn metadata(meta: &PdfMeta) -> Metadata {
    let mut metadata = Metadata::new()
        .title(meta.title.clone())
        .language(meta.language.clone())
        .creator("samizdat".into())
        .producer(format!("samizdat {}", env!("CARGO_PKG_VERSION")));
    if !meta.authors.is_empty() {
        metadata = metadata.authors(meta.authors.clone());
    }
    if let Some(d) = &meta.description {
        metadata = metadata.description(d.clone());
    }
    if !meta.keywords.is_empty() {
        metadata = metadata.keywords(meta.keywords.clone());
    }
    if !meta.identifier.is_empty() {
        metadata = metadata.document_id(meta.identifier.clone());
    }
    if let Some(epoch) = meta.date {
        metadata = metadata.creation_date(date_time(epoch));
    }
    metadata
}

/// krilla's failure to finish the document as our error; `spans` are the
/// content's source spans, by validation location.
pub(super) fn finish_error(e: KrillaError, spans: &[Span]) -> Error {
    match e {
        KrillaError::Validation(errors) => validation_errors(&errors, spans),
        e => bad(&format!("krilla could not write the PDF: {e:?}")),
    }
}

/// krilla's validation errors → diagnostics, each once, at the source line
/// of the content at fault where there is one.
fn validation_errors(
    errors: &[(ValidationError, krilla::configure::Validators)],
    spans: &[Span],
) -> Error {
    let mut out: Vec<Diagnostic> = Vec::new();
    for (error, validators) in errors {
        let standards: Vec<&str> = validators
            .archival()
            .map(|a| a.as_str())
            .into_iter()
            .chain(validators.accessibility().map(|a| a.as_str()))
            .collect();
        let (what, location, hint) = describe(error);
        let mut d = Diagnostic::error(format!(
            "PDF output: {what}, which {} forbids",
            standards.join(" and ")
        ));
        if let Some(span) = location
            .and_then(|l| usize::try_from(l.get()).ok())
            .and_then(|i| spans.get(i - 1))
        {
            d = d.at(*span);
        }
        if let Some(h) = hint {
            d = d.hint(h);
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Error::Build(out)
}

/// A validation error in words, where it is, and what to do.
fn describe(
    error: &ValidationError,
) -> (
    String,
    Option<krilla::surface::Location>,
    Option<&'static str>,
) {
    let edition = Some("or switch `tagged` / `pdf-a` off for this edition");
    match error {
        ValidationError::ContainsNotDefGlyph(_, loc, text) => (
            format!("a character no font has ({text:?}) is set as a blank box"),
            *loc,
            Some("use a character the edition's fonts cover"),
        ),
        ValidationError::NoCodepointMapping(_, _, loc)
        | ValidationError::InvalidCodepointMapping(_, _, _, loc)
        | ValidationError::UnicodePrivateArea(_, _, _, loc) => (
            "a glyph maps to no usable character (private-use or control)".into(),
            *loc,
            Some("avoid private-use and control characters in the text"),
        ),
        ValidationError::NoDocumentTitle => (
            "the book has no title".into(),
            None,
            Some("set `title` in book.toml"),
        ),
        ValidationError::NoDocumentLanguage => (
            "the book has no language".into(),
            None,
            Some("set `language` in book.toml"),
        ),
        ValidationError::MissingDocumentDate => (
            "the PDF has no date".into(),
            None,
            Some("set SOURCE_DATE_EPOCH or build without it being empty"),
        ),
        ValidationError::MissingAltText(loc) => (
            "an image has no alternative text".into(),
            *loc,
            Some("describe the image: ![what it shows](file.png)"),
        ),
        ValidationError::RestrictedLicense(_) => (
            "a font's licence forbids embedding it".into(),
            None,
            edition,
        ),
        other => (format!("{other:?}"), None, edition),
    }
}

/// Seconds since 1970 → a UTC date and time.
fn date_time(epoch: i64) -> DateTime {
    let (y, m, d) = crate::edition::civil_from_days(epoch.div_euclid(86_400));
    let secs = epoch.rem_euclid(86_400);
    DateTime::new(y.clamp(0, 9999) as u16)
        .month(m as u8)
        .day(d as u8)
        .hour((secs / 3600) as u8)
        .minute((secs / 60 % 60) as u8)
        .second((secs % 60) as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_from_epoch() {
        // 2024-02-29T12:34:56Z
        let d = date_time(1_709_210_096);
        assert_eq!(
            format!("{d:?}"),
            format!(
                "{:?}",
                DateTime::new(2024)
                    .month(2)
                    .day(29)
                    .hour(12)
                    .minute(34)
                    .second(56)
                    .utc_offset_hour(0)
                    .utc_offset_minute(0)
            )
        );
    }
}
