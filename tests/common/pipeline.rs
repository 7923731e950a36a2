//! The whole pipeline in-process on one Markdown text: load (as a
//! single-file book), EPUB with every XML file of the package checked for
//! well-formedness, typesetting with every item of every page checked
//! against the page box, and the PDF writer. Shared by the generated-input
//! test, the CommonMark corpus tests and the fuzz target (which includes
//! this file by path).

#![allow(dead_code)]

use std::io::Read as _;
use std::path::Path;

use samizdat::diag::{Diagnostic, Location};
use samizdat::epub::{DEFAULT_STYLESHEET, EpubOptions, NoteNumbering};
use samizdat::style::PrintStyle;
use samizdat::typeset::page::{Item, Page, Rect};
use samizdat::typeset::{self, Fonts};

use super::xml;

/// What one run produced.
#[derive(Debug, Default)]
pub struct Ran {
    /// The loader refused the text (an undefined note, a missing image…):
    /// its first diagnostic. Nothing else ran.
    pub refused: Option<String>,
    /// Warnings of the loader and both backends.
    pub warnings: Vec<Diagnostic>,
    /// The EPUB's bytes.
    pub epub: Vec<u8>,
    /// The pages.
    pub pages: Vec<Page>,
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
}

/// EPUB settings for a book with these `files`, as an edition would
/// resolve them.
pub fn epub_options(files: std::sync::Arc<samizdat::files::BookFiles>) -> EpubOptions {
    EpubOptions {
        note_numbering: NoteNumbering::PerChapter,
        embed_fonts: false,
        soft_hyphens: true,
        stylesheet: DEFAULT_STYLESHEET.to_string(),
        stylesheet_resources: Vec::new(),
        fonts: Vec::new(),
        modified: "2025-01-01T00:00:00Z".to_string(),
        files,
        page_list: None,
    }
}

/// Writes `markdown` as the single-file book `dir/book.md` (with a title in
/// front matter) and runs it through everything. Panics propagate; an
/// ill-formed XML file or an item off its page is an `Err` naming it.
pub fn run_markdown(dir: &Path, markdown: &str, fonts: &Fonts) -> Result<Ran, String> {
    let file = dir.join("book.md");
    std::fs::write(&file, format!("---\ntitle: A Book\n---\n\n{markdown}"))
        .map_err(|e| e.to_string())?;
    run_book(&file, fonts, &PrintStyle::default())
}

/// Runs the book at `path` (any of the three forms) through everything.
pub fn run_book(path: &Path, fonts: &Fonts, style: &PrintStyle) -> Result<Ran, String> {
    let project = match samizdat::load::load(path) {
        Ok(p) => p,
        Err(e) => {
            let first = e.diagnostics().first().map(|d| d.message.clone());
            return Ok(Ran {
                refused: Some(first.unwrap_or_default()),
                ..Ran::default()
            });
        }
    };
    let mut ran = Ran {
        warnings: project.warnings.clone(),
        ..Ran::default()
    };
    let opts = epub_options(project.files.clone());
    ran.epub = match samizdat::epub::write(&project.book, &opts, &mut ran.warnings) {
        Ok(bytes) => bytes,
        // A refusal is an answer if it says where (an image in raw HTML
        // that does not exist is only found here).
        Err(e) => {
            let diags = e.diagnostics();
            if let Some(d) = diags.iter().find(|d| matches!(d.location, Location::None)) {
                return Err(format!("the EPUB writer failed without a place: {d:?}"));
            }
            ran.refused = diags.first().map(|d| d.message.clone());
            return Ok(ran);
        }
    };
    check_epub(&ran.epub)?;
    ran.pages = typeset::typeset(
        &project.book,
        style,
        fonts,
        &project.files,
        Some(0),
        &mut ran.warnings,
    )
    .map_err(|e| format!("typesetting failed: {:?}", e.diagnostics()))?;
    check_pages(&ran.pages)?;
    let meta = samizdat::pdf::PdfMeta {
        title: project.book.meta.title.clone(),
        language: project.book.meta.language.clone(),
        identifier: project.book.meta.identifier.clone(),
        ..Default::default()
    };
    ran.pdf = samizdat::pdf::write(&ran.pages, fonts, &meta)
        .map_err(|e| format!("PDF failed: {:?}", e.diagnostics()))?;
    if !ran.pdf.starts_with(b"%PDF-") {
        return Err("the PDF does not start with %PDF-".into());
    }
    Ok(ran)
}

/// Every XML file of the EPUB (XHTML, the package document, the container
/// and the NCX) is well-formed.
pub fn check_epub(epub: &[u8]) -> Result<(), String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(epub)).map_err(|e| format!("not a zip: {e}"))?;
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().unwrap_or_default().to_string();
        if ![".xhtml", ".opf", ".xml", ".ncx"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            continue;
        }
        let mut text = String::new();
        f.read_to_string(&mut text)
            .map_err(|e| format!("{name}: {e}"))?;
        xml::check(&text).map_err(|e| format!("{name} is not well-formed XML: {e}"))?;
    }
    Ok(())
}

/// Nothing is drawn outside its page: every glyph run, rule, image and link
/// area lies inside the page box (with a hundredth of a point for rounding).
pub fn check_pages(pages: &[Page]) -> Result<(), String> {
    const SLACK: f64 = 0.01;
    for (n, page) in pages.iter().enumerate() {
        let (w, h) = (page.size.0.0, page.size.1.0);
        let inside = |r: Rect| {
            r.x.0 >= -SLACK
                && r.y.0 >= -SLACK
                && r.x.0 + r.width.0 <= w + SLACK
                && r.y.0 + r.height.0 <= h + SLACK
                && r.width.0 >= 0.0
                && r.height.0 >= 0.0
        };
        for item in &page.items {
            let ok = match item {
                Item::Glyphs(run) => {
                    // The ink lies within the advances, give or take the
                    // glyphs' own offsets; the baseline is on the page.
                    let mut x = run.origin.x.0;
                    let mut ok = x >= -SLACK;
                    for g in run.glyphs.iter() {
                        let at = x + f64::from(g.x_offset);
                        ok &= at >= -SLACK && at + f64::from(g.advance).max(0.0) <= w + SLACK;
                        x += f64::from(g.advance);
                    }
                    ok && run.origin.y.0 > 0.0 && run.origin.y.0 < h
                }
                Item::Rule(r) | Item::Image { rect: r, .. } | Item::Link { rect: r, .. } => {
                    inside(*r)
                }
                Item::Dest { at, .. } => at.x.0 >= -SLACK && at.y.0 >= -SLACK && at.y.0 <= h,
            };
            if !ok {
                let what = match item {
                    Item::Glyphs(run) => format!(
                        "glyphs {:?} at x {:.1}, y {:.1}, {:.1} wide",
                        run.text.chars().take(40).collect::<String>(),
                        run.origin.x.0,
                        run.origin.y.0,
                        run.width().0
                    ),
                    other => format!("{other:?}"),
                };
                return Err(format!(
                    "page {} ({w:.1} × {h:.1} pt): {what} is outside the page",
                    n + 1
                ));
            }
        }
    }
    Ok(())
}
