//! A PDF edition's settings: its print style with the edition's overrides,
//! booklet imposition, crop marks and bleed, tagging and PDF/A — each
//! problem an error at its key of `book.toml`.

use super::print_style::print_style;
use super::{EditionKeys, Imposition, PdfSettings, Settings, at_key};
use crate::diag::{Diagnostic, Error, Result};
use crate::impose::Booklet;
use crate::load::Project;
use crate::style::PrintStyle;
use crate::units::Pt;

/// The most bleed a page may have: printers ask for 3 to 5 mm.
const MAX_BLEED_MM: f64 = 25.0;

/// The settings of PDF edition `name`: `table` is its whole table,
/// `overrides` the keys of it that belong to the print style.
pub(super) fn settings(
    project: &Project,
    name: &str,
    keys: &EditionKeys,
    table: &toml::Table,
    mut overrides: toml::Table,
) -> Result<Settings> {
    // Note numbering is the style's business in print.
    if let Some(n) = table.get("note-numbering") {
        overrides.insert("note-numbering".into(), n.clone());
    }
    let style = print_style(project, name, keys.style.as_deref(), overrides)?;
    let booklet = booklet(keys);
    let mut problems = Vec::new();
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
    let crop_marks = crop_marks(project, name, keys, &style, booklet.as_ref(), &mut problems);
    if !problems.is_empty() {
        return Err(Error::Config(problems));
    }
    // Tagging gives the pages a reading order; an imposed sheet holds pages
    // out of order, for the printer.
    let tagged = keys.tagged.unwrap_or(false);
    if tagged && booklet.is_some() {
        return Err(Error::config(
            at_key(
                project,
                name,
                "tagged",
                "a tagged PDF cannot be imposed: the sheets hold the pages out of reading order"
                    .into(),
            )
            .hint("tag the unimposed edition and keep the booklet for the printer"),
        ));
    }
    Ok(Settings::Pdf(Box::new(PdfSettings {
        style,
        booklet,
        crop_marks,
        tagged,
        pdf_a: keys.pdf_a,
    })))
}

/// The booklet the edition asks for, if any (checked by the caller).
fn booklet(keys: &EditionKeys) -> Option<Booklet> {
    match keys.imposition.unwrap_or(Imposition::None) {
        Imposition::None => None,
        Imposition::Booklet => Some(Booklet {
            sheet: keys.sheet.as_ref().map(|s| {
                let (w, h) = s.dimensions();
                // Sheets are printed landscape, two pages side by side.
                if w.0 >= h.0 { (w, h) } else { (h, w) }
            }),
            // 0: the whole book is one signature.
            signature_sheets: keys.signature_sheets.filter(|&n| n > 0),
            creep: keys.creep.unwrap_or(Pt(0.0)),
        }),
    }
}

/// The bleed of the crop marks, if the edition has them; a bleed out of
/// range, or a marked page larger than PDF allows, is a problem.
fn crop_marks(
    project: &Project,
    name: &str,
    keys: &EditionKeys,
    style: &PrintStyle,
    booklet: Option<&Booklet>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Pt> {
    let allowed = 0.0..=Pt::mm(MAX_BLEED_MM).0;
    if let Some(bleed) = keys.bleed
        && !allowed.contains(&bleed.0)
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
    if let Some(bleed) = crop_marks.filter(|b| allowed.contains(&b.0)) {
        // The marked page (or sheet) grows by a slug on each side.
        let (w, h) = booklet.and_then(|b| b.sheet).unwrap_or_else(|| {
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
    crop_marks
}
