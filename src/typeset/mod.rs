//! Typesetting: the shared book tree → our page model ([`page::Page`]).
//!
//! The steps, each in its own module: `fonts` (faces and coverage), `shape`
//! (text → glyphs, cached per word), `hyphenate` (break points in words),
//! `linebreak` (Knuth–Plass), `inline` (paragraphs → set lines), `build`
//! (blocks → a galley of lines; `family` groups mdBook's sub-chapters
//! with their parent into one print chapter), `fill` (looser or tighter paragraphs for
//! short pages), `contents` (the contents' page numbers, to a fixed point),
//! `paginate` (galley → pages). `set_book` reads as that pipeline. Nothing
//! here knows PDF: `pdf.rs` translates the pages. The public surface is
//! [`typeset`], the page model and the font collection.

mod build;
mod contents;
mod family;
mod fill;
pub mod fonts;
mod galley;
pub mod hyphenate;
mod inline;
pub mod linebreak;
mod links;
pub mod page;
mod paginate;
pub mod shape;

use std::collections::HashMap;
use std::rc::Rc;

pub use fonts::Fonts;
pub use page::Page;

use crate::diag::{Result, Warnings};
use crate::doc::Book;
use crate::files::BookFiles;
use crate::style::PrintStyle;
use contents::contents_entries;
use family::Family;
use fill::{How, PARALLEL_MIN_BYTES};
use galley::{ChapterRecord, Galley};
use inline::{ParStyle, TextStyle, Token};
use page::{Numbering, Pt};

/// Sets `book` in `style` with `fonts` and returns its pages. Images are
/// read through `assets` (the book's files, which the loader has read); `date`
/// (seconds since 1970, from `SOURCE_DATE_EPOCH`) goes on the colophon.
/// Overfull lines, missing glyphs and unreadable images are warnings, each
/// at its place in the sources.
///
/// The contents page needs the page numbers of what follows it, which
/// depend on how long the contents is: the page breaks are planned, the
/// numbers read off the plan, and the front matter alone set again until
/// they no longer change (once in practice: the contents takes the same
/// lines whatever its numbers, so its page breaks stay; at most four).
/// Only then are the pages set, once.
pub fn typeset(
    book: &Book,
    style: &PrintStyle,
    fonts: &Fonts,
    assets: &BookFiles,
    date: Option<i64>,
    warnings: &mut Warnings,
) -> Result<Vec<Page>> {
    typeset_with_threads(book, style, fonts, assets, date, 1, warnings)
}

/// [`typeset`] on up to `threads` threads (two at most for now: a long
/// book's second half is set ahead on a second thread while the first sets
/// the first half; the pages are the same, byte for byte).
pub fn typeset_with_threads(
    book: &Book,
    style: &PrintStyle,
    fonts: &Fonts,
    assets: &BookFiles,
    date: Option<i64>,
    threads: usize,
    warnings: &mut Warnings,
) -> Result<Vec<Page>> {
    let input = Input {
        book,
        style,
        assets,
        date,
    };
    let ahead = if threads > 1 {
        PARALLEL_MIN_BYTES
    } else {
        usize::MAX
    };
    let how = How { ahead, alone: true };
    set_book(&input, fonts, how, warnings)
}

/// A book's galley, set and ready to be broken into pages: what the page
/// breaker works on, for measuring it alone (`cargo bench`).
pub struct SetGalley {
    galley: Galley,
    geo: paginate::Geometry,
}

impl SetGalley {
    /// Sets the galley of `book` in `style`.
    pub fn new(book: &Book, style: &PrintStyle, fonts: &Fonts, assets: &BookFiles) -> Result<Self> {
        let mut layout = inline::InlineLayout::new(fonts, style, language(book, style))?;
        let input = Input {
            book,
            style,
            assets,
            date: None,
        };
        let mut warnings = Warnings::new();
        let entries = contents_entries(book);
        let galley = galley(
            &mut layout,
            &input,
            &entries,
            &HashMap::new(),
            &mut warnings,
            None,
        );
        let geo = geometry(style, &book.meta);
        Ok(SetGalley { galley, geo })
    }

    /// Chooses the page breaks; returns the number of pages.
    pub fn break_pages(&self) -> usize {
        let g = &self.galley;
        paginate::assess(&g.flow, &g.notes, &self.geo)
            .segments
            .iter()
            .map(|s| s.pages())
            .sum()
    }
}

/// The language whose hyphenation patterns a print edition uses.
fn language<'a>(book: &'a Book, style: &'a PrintStyle) -> &'a str {
    style
        .hyphenation_language
        .as_deref()
        .unwrap_or(&book.meta.language)
}

/// The typesetter proper, as a pipeline: the book's galley, its short
/// pages filled, the contents' page numbers settled, then the pages.
fn set_book(
    input: &Input<'_>,
    fonts: &Fonts,
    how: How,
    warnings: &mut Warnings,
) -> Result<Vec<Page>> {
    let Input { book, style, .. } = *input;
    let mut layout = inline::InlineLayout::new(fonts, style, language(book, style))?;
    let geo = geometry(style, &book.meta);
    let mut entries = contents_entries(book);
    let mut first_warnings = Warnings::new();
    let first = fill::first_galley(
        &mut layout,
        input,
        fonts,
        how,
        &entries,
        &mut first_warnings,
    );
    let mut filled = fill::fill(&mut layout, input, &geo, &entries, how, first);
    // Warnings of the first setting (the shaper reports a missing glyph
    // only the first time it meets it), then of the later ones, each once.
    warnings.extend(first_warnings);
    let plan = contents::fixed_point(
        &mut layout,
        input,
        &geo,
        &mut entries,
        &mut filled,
        warnings,
    );
    let mut pass_warnings = Warnings::new();
    let pages = set_pages(
        &mut layout,
        style,
        &geo,
        &filled.galley,
        &plan,
        &mut pass_warnings,
    );
    merge(pass_warnings, warnings);
    links::check(book, &pages, warnings);
    Ok(pages)
}

/// Adds the warnings of a later setting that an earlier one did not give.
fn merge(more: Warnings, warnings: &mut Warnings) {
    for w in more {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
}

/// What the galley is made from.
struct Input<'a> {
    book: &'a Book,
    style: &'a PrintStyle,
    assets: &'a BookFiles,
    date: Option<i64>,
}

impl Input<'_> {
    /// What the book's builders share; the words they add are in the
    /// book's language.
    fn setting(&self) -> build::BookSetting<'_> {
        build::BookSetting {
            style: self.style,
            assets: self.assets,
            labels: crate::labels::for_language(&self.book.meta.language),
        }
    }
}

/// The galley of the whole book: front matter, parts, chapters, notes.
/// With a `handoff` (k, memo), the paragraphs another builder set ahead
/// are taken before the k-th chapter.
fn galley<'f>(
    layout: &mut inline::InlineLayout<'f>,
    input: &Input<'_>,
    entries: &[build::ContentsEntry],
    looseness: &HashMap<u32, i32>,
    warnings: &mut Warnings,
    mut handoff: Option<Handoff<'_>>,
) -> Galley {
    let Input { book, .. } = *input;
    let mut b = build::Builder::new(layout, input.setting(), warnings);
    b.looseness = looseness.clone();
    front_matter(&mut b, input, entries);
    let front = b.checkpoint();
    let mut records = Vec::new();
    let mut chapter = |b: &mut build::Builder<'_, 'f>, c: family::Family<'_>, level, numbering| {
        let index = records.len();
        if let Some((at, _)) = &handoff
            && *at == index
            && let Some((_, take)) = handoff.take()
        {
            b.inline.adopt(take());
        }
        let resume = b.checkpoint();
        let start = b.flow.len();
        b.chapter(&c, level, numbering);
        records.push(ChapterRecord {
            index,
            level,
            numbering,
            resume,
            start,
            len: b.flow.len() - start,
            end: b.checkpoint(),
        });
    };
    for f in family::group(&book.front) {
        chapter(&mut b, f, 1, None);
    }
    let mut numbering = Some(Numbering::Arabic);
    for piece in family::body(book) {
        match piece {
            family::Piece::Part(part, families) => {
                b.part(part, numbering.take());
                for f in families {
                    chapter(&mut b, f, 2, None);
                }
                b.end_part();
            }
            family::Piece::Chapter(f) => chapter(&mut b, f, 1, numbering.take()),
        }
    }
    b.book_notes();
    for f in family::group(&book.back) {
        chapter(&mut b, f, 1, numbering.take());
    }
    let build::Parts {
        flow,
        notes,
        note_log,
        marked_log,
    } = b.into_parts();
    Galley {
        flow,
        notes,
        front,
        chapters: records,
        note_log,
        marked_log,
    }
}

/// Paragraphs set ahead on another thread, taken before the chapter of
/// this index (counting the book's chapters in order).
type Handoff<'a> = (usize, Box<dyn FnOnce() -> inline::Memo + 'a>);

/// The book's print chapters in order (each with its sub-chapters,
/// [`family`]), with their outline levels.
fn chapters(book: &Book) -> Vec<(Family<'_>, u8)> {
    let mut out: Vec<_> = family::group(&book.front)
        .into_iter()
        .map(|f| (f, 1))
        .collect();
    for piece in family::body(book) {
        match piece {
            family::Piece::Part(_, families) => out.extend(families.into_iter().map(|f| (f, 2))),
            family::Piece::Chapter(f) => out.push((f, 1)),
        }
    }
    out.extend(family::group(&book.back).into_iter().map(|f| (f, 1)));
    out
}

/// The pages before the book's own chapters: half-title, title, colophon
/// and contents, or the title page alone.
fn front_matter(
    b: &mut build::Builder<'_, '_>,
    input: &Input<'_>,
    entries: &[build::ContentsEntry],
) {
    let meta = &input.book.meta;
    if input.style.front_matter {
        b.half_title(meta);
        b.title_page(meta);
        b.colophon(meta, input.date);
        b.contents(entries);
    } else {
        b.title_page(meta);
    }
}

/// Page geometry from the style: facing-page margins, a text block of a
/// whole number of body lines, head and folio positions.
fn geometry(style: &PrintStyle, meta: &crate::doc::Meta) -> paginate::Geometry {
    let (w, h) = style.page.dimensions();
    let m = &style.margins;
    // The first baseline sits one body size below the top of the block
    // (TeX's \topskip); the block holds as many whole lines as fit.
    let topskip = style.body_size;
    let room = h - m.top - m.bottom - topskip;
    let lines = (room / style.leading).floor().max(0.0) as u32 + 1;
    let mut geo = paginate::Geometry {
        size: (w, h),
        inner: m.inner,
        top: m.top,
        measure: style.measure(),
        leading: style.leading,
        topskip,
        lines,
        note_leading: style.note_leading,
        note_size: style.note_size,
        // A body line's leading plus half a note line: room for the rule.
        note_skip: style.leading + style.note_leading * 0.5,
        head_y: m.top - style.leading * 1.5,
        folio_y: Pt::ZERO,
        folio_position: style.folio_position,
        opening_folio: style.opening_folio,
        book_title: Some(meta.title.clone()),
        heads: (style.running_head_verso, style.running_head_recto),
    };
    geo.folio_y = geo.bottom() + style.leading * 2.0;
    geo
}

/// Paginates the galley, setting folios and running heads on the way.
fn set_pages(
    layout: &mut inline::InlineLayout<'_>,
    style: &PrintStyle,
    geo: &paginate::Geometry,
    galley: &Galley,
    plan: &paginate::PagePlan,
    warnings: &mut Warnings,
) -> Vec<Page> {
    let make = |size: Pt, italic: bool| {
        Rc::new(TextStyle {
            role: inline::Role::Body,
            variant: fonts::Variant {
                italic,
                bold: false,
            },
            size,
            features: shape::Features::default(),
            rise: Pt::ZERO,
            link: None,
            hyphenate: false,
            strike: false,
        })
    };
    let folio_style = make(style.body_size * 0.9, false);
    let head_style = make(style.body_size * 0.8, false);
    let par = ParStyle {
        measure: style.measure(),
        indent: Pt::ZERO,
        justify: false,
        center: false,
        hyphenate: false,
        looseness: 0,
    };
    let mut furniture = |label: &str, kind: paginate::Furniture| {
        let style = match kind {
            paginate::Furniture::Folio => folio_style.clone(),
            paginate::Furniture::Head => head_style.clone(),
        };
        // Running heads in capitals, a size down: furniture the eye tells
        // from a chapter's own title at once.
        let text = match kind {
            paginate::Furniture::Folio => label.to_string(),
            paginate::Furniture::Head => label.to_uppercase(),
        };
        let tokens = [Token::Text {
            text,
            style,
            span: crate::source::Span::default(),
            note: None,
        }];
        layout
            .layout(&tokens, &par, warnings)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    paginate::paginate(&galley.flow, &galley.notes, geo, plan, &mut furniture)
}

#[cfg(test)]
mod tests;
