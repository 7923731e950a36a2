//! Typesetting: the shared book tree → our page model ([`page::Page`]).
//!
//! The steps, each in its own module: `fonts` (faces and coverage), `shape`
//! (text → glyphs, cached per word), `hyphenate` (break points in words),
//! `linebreak` (Knuth–Plass), `inline` (paragraphs → set lines), `block`
//! (blocks → a galley of lines), `paginate` (galley → pages). Nothing here
//! knows PDF: `pdf.rs` translates the pages. The public surface is
//! [`typeset`], the page model and the font collection.

mod block;
pub mod fonts;
pub mod hyphenate;
mod inline;
pub mod linebreak;
pub mod page;
mod paginate;
pub mod shape;

use std::path::Path;
use std::rc::Rc;

pub use fonts::Fonts;
pub use page::Page;

use crate::diag::{Result, Warnings};
use crate::doc::{Book, Division};
use crate::style::PrintStyle;
use inline::{ParStyle, TextStyle, Token};
use page::{Numbering, Pt};

/// Sets `book` in `style` with `fonts` and returns its pages. Image paths in
/// the book are resolved against `assets` (the book's directory). Overfull
/// lines, missing glyphs and unreadable images are warnings, each at its
/// place in the sources.
pub fn typeset(
    book: &Book,
    style: &PrintStyle,
    fonts: &Fonts,
    assets: &Path,
    warnings: &mut Warnings,
) -> Result<Vec<Page>> {
    let layout = inline::InlineLayout::new(fonts, style, &book.meta.language)?;
    let mut b = block::Builder::new(layout, style, assets, warnings);
    b.title_page(&book.meta);
    for chapter in &book.front {
        b.chapter(chapter, 1, None);
    }
    let mut numbering = Some(Numbering::Arabic);
    for division in &book.body {
        match division {
            Division::Part(part) => {
                b.part(part, numbering.take());
                for chapter in &part.chapters {
                    b.chapter(chapter, 2, None);
                }
            }
            Division::Chapter(chapter) => b.chapter(chapter, 1, numbering.take()),
        }
    }
    for chapter in &book.back {
        b.chapter(chapter, 1, numbering.take());
    }
    let (mut layout, flow, notes) = b.into_parts();

    let (w, h) = style.page.dimensions();
    let geo = paginate::Geometry {
        size: (w, h),
        // FIXME: facing pages (inner/outer swap on versos) are issue 5's.
        left: style.margins.inner,
        top: style.margins.top,
        bottom: h - style.margins.bottom,
        measure: style.measure(),
        note_leading: style.note_leading,
        note_gap: style.note_leading * 0.5,
    };
    let folio_style = Rc::new(TextStyle {
        role: inline::Role::Body,
        variant: fonts::Variant::default(),
        size: style.body_size * 0.9,
        features: shape::Features::default(),
        rise: Pt::ZERO,
        link: None,
        hyphenate: false,
    });
    let par = ParStyle {
        measure: style.measure(),
        indent: Pt::ZERO,
        justify: false,
        center: true,
        hyphenate: false,
    };
    let mut folio_warnings = Warnings::new();
    let mut folio = |label: &str| {
        let tokens = [Token::Text {
            text: label.to_string(),
            style: folio_style.clone(),
            span: crate::source::Span::default(),
            note: None,
        }];
        layout
            .layout(&tokens, &par, &mut folio_warnings)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let pages = paginate::paginate(&flow, &notes, &geo, &mut folio);
    warnings.extend(folio_warnings);
    Ok(pages)
}

#[cfg(test)]
mod tests;
