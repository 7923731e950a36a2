//! Typesetting: the shared book tree → our page model ([`page::Page`]).
//!
//! The steps, each in its own module: `fonts` (faces and coverage), `shape`
//! (text → glyphs, cached per word), `hyphenate` (break points in words),
//! `linebreak` (Knuth–Plass), `inline` (paragraphs → set lines), `block`
//! (blocks → a galley of lines), `paginate` (galley → pages). Nothing here
//! knows PDF: `pdf.rs` translates the pages. The public surface is
//! [`typeset`], the page model and the font collection.

mod build;
pub mod fonts;
mod galley;
pub mod hyphenate;
mod inline;
pub mod linebreak;
pub mod page;
mod paginate;
pub mod shape;

use std::collections::HashMap;
use std::rc::Rc;

pub use fonts::Fonts;
pub use page::Page;

use crate::diag::{Result, Warnings};
use crate::doc::{Book, Chapter, Division};
use crate::files::BookFiles;
use crate::style::PrintStyle;
use galley::{ChapterRecord, Checkpoint, Flow, Galley};
use inline::{ParStyle, TextStyle, Token};
use page::{Numbering, Pt};

/// Most settings tried, per chapter, while looking for looser or tighter
/// paragraphs that fill short pages (each costs the chapter set again and
/// its pages chosen again), and for the whole book where a chapter cannot
/// be set again alone (each then costs the book).
const MAX_LOOSENESS_TRIES: u32 = 32;

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

/// How [`set_book`] goes about it (the choices tests compare).
#[derive(Debug, Clone, Copy)]
struct How {
    /// Set the second half of the book ahead on a second thread if the
    /// book holds at least this many bytes of source text.
    ahead: usize,
    /// Try a looser or tighter paragraph by setting its chapter again
    /// alone (else the whole book).
    alone: bool,
}

/// The typesetter proper.
fn set_book(
    input: &Input<'_>,
    fonts: &Fonts,
    how: How,
    warnings: &mut Warnings,
) -> Result<Vec<Page>> {
    let Input { book, style, .. } = *input;
    let language = language(book, style);
    let mut layout = inline::InlineLayout::new(fonts, style, language)?;
    let geo = geometry(style, &book.meta);
    let mut entries = contents_entries(book);

    // Fill: where the page breaker could only leave a full page short (a
    // widow avoided with nothing to stretch), ask a paragraph on that page
    // to set one line looser or tighter (TeX's \looseness), one at a
    // time, and keep the change when the page cost of its chapter falls
    // (chapters break into pages independently, so the book's falls as
    // much).
    let mut loose: HashMap<u32, i32> = HashMap::new();
    let mut scratch = Warnings::new();
    let mut first_warnings = Warnings::new();
    let order = chapters(book);
    let mut best = match halfway(&order, how.ahead) {
        Some(k) => std::thread::scope(|scope| {
            let ahead = scope.spawn(|| set_ahead(fonts, input, language, &order[k..]));
            let take = move || {
                ahead
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            };
            let handoff: Handoff<'_> = (k, Box::new(take));
            galley(
                &mut layout,
                input,
                &entries,
                &loose,
                &mut first_warnings,
                Some(handoff),
            )
        }),
        None => galley(
            &mut layout,
            input,
            &entries,
            &loose,
            &mut first_warnings,
            None,
        ),
    };
    let mut now = paginate::assess(&best.flow, &best.notes, &geo);
    // Tries per segment when a chapter is set again alone, and tries of
    // the whole book when it cannot be (a part's intro, the book's notes).
    let mut tries = vec![0; now.segments.len()];
    let mut whole_tries = 0;
    let mut skip = 0;
    loop {
        let next = now.short().nth(skip).map(|(k, p)| (k, p.clone()));
        let Some((k, page)) = next else { break };
        let local = best.chapter_at(now.segments[k].start).filter(|_| how.alone);
        if local.is_some() && tries[k] >= MAX_LOOSENESS_TRIES
            || local.is_none() && whole_tries >= MAX_LOOSENESS_TRIES
        {
            skip += 1;
            continue;
        }
        let mut pars = page;
        // Longer paragraphs have more room to take or give a line.
        pars.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        let mut improved = false;
        'pars: for &(serial, n) in pars.iter().filter(|p| p.1 >= 3).take(5) {
            if loose.contains_key(&serial) {
                continue;
            }
            for delta in [1, -1] {
                let mut trial = loose.clone();
                trial.insert(serial, delta);
                let changes = |flow: &[Flow]| {
                    flow.iter().any(|f| {
                        matches!(f, Flow::Line(l)
                            if l.serial == Some(serial) && l.par.is_some_and(|(_, m)| m != n))
                    })
                };
                // The chapter alone, if it can be set again alone.
                let mut rebuilt = None;
                if let Some(c) = local {
                    tries[k] += 1;
                    rebuilt =
                        rebuild_chapter(&mut layout, input, &order, &best, c, &trial, &mut scratch);
                }
                if let (Some(c), Some(set)) = (local, rebuilt) {
                    if !changes(&set.flow) {
                        continue;
                    }
                    let then = paginate::assess(&set.flow, &set.notes, &geo);
                    let [segment] = <[_; 1]>::try_from(then.segments).unwrap_or_default();
                    if segment.len == set.flow.len() && segment.cost < now.segments[k].cost - 1.0 {
                        best.replace_chapter(c, set);
                        now.replace(k, segment);
                        loose = trial;
                        improved = true;
                        break 'pars;
                    }
                    continue;
                }
                whole_tries += 1;
                let set = galley(&mut layout, input, &entries, &trial, &mut scratch, None);
                if !changes(&set.flow) {
                    continue;
                }
                let then = paginate::assess(&set.flow, &set.notes, &geo);
                if then.cost() < now.cost() - 1.0 {
                    loose = trial;
                    tries.resize(then.segments.len(), 0);
                    now = then;
                    best = set;
                    improved = true;
                    break 'pars;
                }
            }
        }
        if improved {
            skip = 0;
        } else {
            skip += 1;
        }
    }

    // Warnings of the first setting (the shaper reports a missing glyph
    // only the first time it meets it), then of the later ones, each once.
    warnings.extend(first_warnings);
    let merge = |more: Warnings, warnings: &mut Warnings| {
        for w in more {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    };
    let mut plan = now.plan(&best.flow, &best.notes);
    for _pass in 0..4 {
        if !style.front_matter {
            break;
        }
        let labels = paginate::labels(&best.flow, &best.notes, &plan);
        let mut changed = false;
        for e in &mut entries {
            let label = labels.get(e.id.as_str()).cloned();
            if label != e.page {
                e.page = label;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        let mut pass_warnings = Warnings::new();
        let front = front_galley(&mut layout, input, &entries, &loose, &mut pass_warnings);
        if front.front.same_place(&best.front) {
            // The body is the same: only the front matter is replaced.
            let n = best.front.flow;
            let same = paginate::same_breaks(&best.flow[..n], &front.flow);
            best.flow.splice(0..n, front.flow);
            if !same {
                plan =
                    paginate::assess(&best.flow, &best.notes, &geo).plan(&best.flow, &best.notes);
            }
        } else {
            best = galley(
                &mut layout,
                input,
                &entries,
                &loose,
                &mut pass_warnings,
                None,
            );
            plan = paginate::assess(&best.flow, &best.notes, &geo).plan(&best.flow, &best.notes);
        }
        merge(pass_warnings, warnings);
    }
    let mut pass_warnings = Warnings::new();
    let pages = set_pages(&mut layout, style, &geo, &best, &plan, &mut pass_warnings);
    merge(pass_warnings, warnings);
    Ok(pages)
}

/// What the galley is made from.
struct Input<'a> {
    book: &'a Book,
    style: &'a PrintStyle,
    assets: &'a BookFiles,
    date: Option<i64>,
}

/// Sets chapter `c` of `galley` again alone, with `looseness`: a galley of
/// its items and notes, or None if it did not come out as the chapter did
/// in the book (its counters differ at its end), so that it cannot stand
/// in for it.
fn rebuild_chapter(
    layout: &mut inline::InlineLayout<'_>,
    input: &Input<'_>,
    order: &[(&Chapter, u8)],
    galley: &Galley,
    c: usize,
    looseness: &HashMap<u32, i32>,
    warnings: &mut Warnings,
) -> Option<Galley> {
    let record = &galley.chapters[c];
    let mut b = build::Builder::resume(
        layout,
        input.style,
        input.assets,
        warnings,
        &record.resume,
        &galley.note_log,
        &galley.marked_log,
    );
    b.looseness = looseness.clone();
    b.chapter(order[record.index].0, record.level, record.numbering);
    let same = b.checkpoint().same_counters(&record.end);
    let build::Parts { flow, notes, .. } = b.into_parts();
    same.then(|| Galley {
        flow,
        notes,
        front: Checkpoint::default(),
        chapters: Vec::new(),
        note_log: Vec::new(),
        marked_log: Vec::new(),
    })
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
    let Input { book, style, .. } = *input;
    let mut b = build::Builder::new(layout, style, input.assets, warnings);
    b.looseness = looseness.clone();
    front_matter(&mut b, input, entries);
    let front = b.checkpoint();
    let mut records = Vec::new();
    let mut chapter = |b: &mut build::Builder<'_, 'f>, c, level, numbering| {
        let index = records.len();
        if let Some((at, _)) = &handoff
            && *at == index
            && let Some((_, take)) = handoff.take()
        {
            b.inline.adopt(take());
        }
        let resume = b.checkpoint();
        let start = b.flow.len();
        b.chapter(c, level, numbering);
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
    for c in &book.front {
        chapter(&mut b, c, 1, None);
    }
    let mut numbering = Some(Numbering::Arabic);
    for division in &book.body {
        match division {
            Division::Part(part) => {
                b.part(part, numbering.take());
                for c in &part.chapters {
                    chapter(&mut b, c, 2, None);
                }
                b.end_part();
            }
            Division::Chapter(c) => chapter(&mut b, c, 1, numbering.take()),
        }
    }
    b.book_notes();
    for c in &book.back {
        chapter(&mut b, c, 1, numbering.take());
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

/// The book's chapters in order, with their outline levels.
fn chapters(book: &Book) -> Vec<(&Chapter, u8)> {
    let mut out: Vec<_> = book.front.iter().map(|c| (c, 1)).collect();
    for division in &book.body {
        match division {
            Division::Part(part) => out.extend(part.chapters.iter().map(|c| (c, 2))),
            Division::Chapter(c) => out.push((c, 1)),
        }
    }
    out.extend(book.back.iter().map(|c| (c, 1)));
    out
}

/// Source bytes of a book below which one thread sets it alone: a second
/// layout (shaper, hyphenation patterns) costs more than it saves.
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// Where to cut the book's chapters so that the two sides hold about as
/// much source text, or None if the book is shorter than `min_bytes`.
fn halfway(chapters: &[(&Chapter, u8)], min_bytes: usize) -> Option<usize> {
    let weight = |c: &Chapter| {
        c.blocks
            .iter()
            .map(|b| {
                let s = b.span();
                s.end.saturating_sub(s.start) as usize
            })
            .sum::<usize>()
    };
    let weights: Vec<usize> = chapters.iter().map(|(c, _)| weight(c)).collect();
    let total: usize = weights.iter().sum();
    if total < min_bytes || chapters.len() < 2 {
        return None;
    }
    let mut sum = 0;
    for (k, w) in weights.iter().enumerate() {
        if sum + w / 2 >= total / 2 {
            return Some(k.max(1));
        }
        sum += w;
    }
    None
}

/// Sets the paragraphs of `chapters` with a builder of their own, for
/// [`galley`] to take: what the second thread does while the first sets
/// the book's first half.
fn set_ahead(
    fonts: &Fonts,
    input: &Input<'_>,
    language: &str,
    chapters: &[(&Chapter, u8)],
) -> inline::Memo {
    let Ok(mut layout) = inline::InlineLayout::new(fonts, input.style, language) else {
        return inline::Memo::default();
    };
    let mut scratch = Warnings::new();
    let mut b = build::Builder::new(&mut layout, input.style, input.assets, &mut scratch);
    for &(c, level) in chapters {
        b.chapter(c, level, None);
    }
    drop(b);
    layout.into_memo()
}

/// The galley of the front matter alone (for a contents with new page
/// numbers).
fn front_galley(
    layout: &mut inline::InlineLayout<'_>,
    input: &Input<'_>,
    entries: &[build::ContentsEntry],
    looseness: &HashMap<u32, i32>,
    warnings: &mut Warnings,
) -> Galley {
    let mut b = build::Builder::new(layout, input.style, input.assets, warnings);
    b.looseness = looseness.clone();
    front_matter(&mut b, input, entries);
    let front = b.checkpoint();
    let build::Parts { flow, notes, .. } = b.into_parts();
    Galley {
        flow,
        notes,
        front,
        chapters: Vec::new(),
        note_log: Vec::new(),
        marked_log: Vec::new(),
    }
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

/// What the contents lists: front chapters after it, parts, chapters,
/// back matter.
fn contents_entries(book: &Book) -> Vec<build::ContentsEntry> {
    let entry = |c: &crate::doc::Chapter, level: u8| build::ContentsEntry {
        title: match c.number {
            Some(n) => format!("{n}.\u{2002}{}", crate::doc::plain_text(&c.title)),
            None => crate::doc::plain_text(&c.title),
        },
        id: c.id.clone(),
        level,
        page: None,
    };
    let mut out: Vec<_> = book.front.iter().map(|c| entry(c, 0)).collect();
    for division in &book.body {
        match division {
            Division::Part(p) => {
                out.push(build::ContentsEntry {
                    title: format!("Part {}: {}", p.number, crate::doc::plain_text(&p.title)),
                    id: p.id.clone(),
                    level: 0,
                    page: None,
                });
                out.extend(p.chapters.iter().map(|c| entry(c, 1)));
            }
            Division::Chapter(c) => out.push(entry(c, 0)),
        }
    }
    out.extend(book.back.iter().map(|c| entry(c, 0)));
    out
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
    let head = |h: crate::style::RunningHead| match h {
        crate::style::RunningHead::Book => paginate::HeadContent::Book,
        crate::style::RunningHead::Chapter => paginate::HeadContent::Chapter,
        crate::style::RunningHead::None => paginate::HeadContent::None,
    };
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
        folio_place: match style.folio_position {
            crate::style::FolioPosition::Centre => paginate::FolioPlace::Centre,
            crate::style::FolioPosition::Outer => paginate::FolioPlace::Outer,
        },
        opening_folio: style.opening_folio,
        book_title: Some(meta.title.clone()),
        heads: (
            head(style.running_head_verso),
            head(style.running_head_recto),
        ),
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
