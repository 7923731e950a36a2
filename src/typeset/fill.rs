//! Filling short pages: where the page breaker could only leave a full page
//! short (a widow avoided with nothing to stretch), a paragraph on that page
//! is asked to set one line looser or tighter (TeX's `\looseness`), one at a
//! time, and the change is kept when the page cost of its chapter falls
//! (chapters break into pages independently, so the book's falls as much).
//! A chapter is set again alone where it can be ([`Builder::resume`] from
//! its record), else the whole book. Also here: the book's first galley,
//! with a long book's second half set ahead on a second thread.
//!
//! [`Builder::resume`]: super::build::Builder::resume

use std::collections::HashMap;

use super::galley::{Checkpoint, Flow, Galley};
use super::{Family, Handoff, Input, build, chapters, galley, inline, paginate};
use crate::diag::Warnings;
use crate::doc::Chapter;
use crate::typeset::Fonts;

/// Most settings tried, per chapter, while looking for looser or tighter
/// paragraphs that fill short pages (each costs the chapter set again and
/// its pages chosen again), and for the whole book where a chapter cannot
/// be set again alone (each then costs the book).
const MAX_LOOSENESS_TRIES: u32 = 32;

/// Source bytes of a book below which one thread sets it alone: a second
/// layout (shaper, hyphenation patterns) costs more than it saves.
pub(super) const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// How the book is set and filled (the choices tests compare).
#[derive(Debug, Clone, Copy)]
pub(super) struct How {
    /// Set the second half of the book ahead on a second thread if the
    /// book holds at least this many bytes of source text.
    pub ahead: usize,
    /// Try a looser or tighter paragraph by setting its chapter again
    /// alone (else the whole book).
    pub alone: bool,
}

/// A galley filled as far as the search went: the galley, its page
/// breaks, and the looseness asked of its paragraphs (by serial number).
pub(super) struct Filled {
    pub galley: Galley,
    pub breaks: paginate::Assessment,
    pub looseness: HashMap<u32, i32>,
}

/// The book's first galley, with no looseness asked; with `how.ahead`
/// bytes of source or more, the second half's paragraphs are set on a
/// second thread meanwhile and taken when the first reaches them.
pub(super) fn first_galley(
    layout: &mut inline::InlineLayout<'_>,
    input: &Input<'_>,
    fonts: &Fonts,
    how: How,
    entries: &[build::ContentsEntry],
    warnings: &mut Warnings,
) -> Galley {
    let order = chapters(input.book);
    let language = super::language(input.book, input.style);
    let none = HashMap::new();
    match halfway(&order, how.ahead) {
        Some(k) => std::thread::scope(|scope| {
            let ahead = scope.spawn(|| set_ahead(fonts, input, language, &order[k..]));
            let take = move || {
                ahead
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            };
            let handoff: Handoff<'_> = (k, Box::new(take));
            galley(layout, input, entries, &none, warnings, Some(handoff))
        }),
        None => galley(layout, input, entries, &none, warnings, None),
    }
}

/// Where to cut the book's chapters so that the two sides hold about as
/// much source text, or None if the book is shorter than `min_bytes`.
pub(super) fn halfway(chapters: &[(Family<'_>, u8)], min_bytes: usize) -> Option<usize> {
    let weight = |c: &Chapter| {
        c.blocks
            .iter()
            .map(|b| {
                let s = b.span();
                s.end.saturating_sub(s.start) as usize
            })
            .sum::<usize>()
    };
    let weights: Vec<usize> = chapters
        .iter()
        .map(|(f, _)| f.members().map(weight).sum())
        .collect();
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

/// Sets the paragraphs of `chapters` with a builder and a layout of their
/// own, for [`galley`] to take: what the second thread does while the
/// first sets the book's first half.
pub(super) fn set_ahead(
    fonts: &Fonts,
    input: &Input<'_>,
    language: &str,
    chapters: &[(Family<'_>, u8)],
) -> inline::Memo {
    let Ok(mut layout) = inline::InlineLayout::new(fonts, input.style, language) else {
        return inline::Memo::default();
    };
    let mut scratch = Warnings::new();
    let mut b = build::Builder::new(&mut layout, input.setting(), &mut scratch);
    for (f, level) in chapters {
        b.chapter(f, *level, None);
    }
    drop(b);
    layout.into_memo()
}

/// The search for looser or tighter paragraphs: what it sets with, and how
/// many tries it has made.
struct Search<'s, 'f> {
    layout: &'s mut inline::InlineLayout<'f>,
    input: &'s Input<'s>,
    geo: &'s paginate::Geometry,
    entries: &'s [build::ContentsEntry],
    order: Vec<(Family<'s>, u8)>,
    alone: bool,
    /// Warnings of the trials (those of the first setting are kept).
    scratch: Warnings,
    /// Tries per segment when a chapter is set again alone, and tries of
    /// the whole book when it cannot be (a part's intro, the book's notes).
    tries: Vec<u32>,
    whole_tries: u32,
}

/// Fills the short pages of `galley` (see the module's comment).
pub(super) fn fill<'s>(
    layout: &'s mut inline::InlineLayout<'_>,
    input: &'s Input<'s>,
    geo: &'s paginate::Geometry,
    entries: &'s [build::ContentsEntry],
    how: How,
    galley: Galley,
) -> Filled {
    let breaks = paginate::assess(&galley.flow, &galley.notes, geo);
    let mut search = Search {
        layout,
        input,
        geo,
        entries,
        order: chapters(input.book),
        alone: how.alone,
        scratch: Warnings::new(),
        tries: vec![0; breaks.segments.len()],
        whole_tries: 0,
    };
    let mut filled = Filled {
        galley,
        breaks,
        looseness: HashMap::new(),
    };
    let mut skip = 0;
    loop {
        let next = filled.breaks.short().nth(skip).map(|(k, p)| (k, p.clone()));
        let Some((k, page)) = next else { break };
        if search.try_page(&mut filled, k, page) {
            skip = 0;
        } else {
            skip += 1;
        }
    }
    filled
}

impl Search<'_, '_> {
    /// Tries the longer paragraphs (`serial`, lines) of a short page in
    /// segment `k`, each a line looser then tighter, until one improves
    /// the pages; returns whether one did.
    fn try_page(&mut self, filled: &mut Filled, k: usize, mut pars: Vec<(u32, u32)>) -> bool {
        let start = filled.breaks.segments[k].start;
        let local = filled.galley.chapter_at(start).filter(|_| self.alone);
        if local.is_some() && self.tries[k] >= MAX_LOOSENESS_TRIES
            || local.is_none() && self.whole_tries >= MAX_LOOSENESS_TRIES
        {
            return false;
        }
        // Longer paragraphs have more room to take or give a line.
        pars.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        for &(serial, n) in pars.iter().filter(|p| p.1 >= 3).take(5) {
            if filled.looseness.contains_key(&serial) {
                continue;
            }
            for delta in [1, -1] {
                let mut trial = filled.looseness.clone();
                trial.insert(serial, delta);
                let changes = |flow: &[Flow]| {
                    flow.iter().any(|f| {
                        matches!(f, Flow::Line(l)
                            if l.serial == Some(serial) && l.par.is_some_and(|(_, m)| m != n))
                    })
                };
                let kept = match local {
                    Some(c) => self.try_chapter(filled, k, c, &trial, &changes),
                    None => None,
                };
                let kept = match kept {
                    Some(kept) => kept,
                    None => self.try_book(filled, &trial, &changes),
                };
                if kept {
                    return true;
                }
            }
        }
        false
    }

    /// Sets chapter `c` (segment `k`) again alone with `trial` and keeps
    /// it if its pages cost less; None if it could not stand in for the
    /// chapter (then the whole book is tried).
    fn try_chapter(
        &mut self,
        filled: &mut Filled,
        k: usize,
        c: usize,
        trial: &HashMap<u32, i32>,
        changes: &dyn Fn(&[Flow]) -> bool,
    ) -> Option<bool> {
        self.tries[k] += 1;
        let set = rebuild_chapter(
            self.layout,
            self.input,
            &self.order,
            &filled.galley,
            c,
            trial,
            &mut self.scratch,
        )?;
        if !changes(&set.flow) {
            return Some(false);
        }
        let then = paginate::assess(&set.flow, &set.notes, self.geo);
        let [segment] = <[_; 1]>::try_from(then.segments).unwrap_or_default();
        let cheaper = segment.cost < filled.breaks.segments[k].cost - 1.0;
        if segment.len == set.flow.len() && cheaper {
            filled.galley.replace_chapter(c, set);
            filled.breaks.replace(k, segment);
            filled.looseness = trial.clone();
            return Some(true);
        }
        Some(false)
    }

    /// Sets the whole book again with `trial` and keeps it if its pages
    /// cost less.
    fn try_book(
        &mut self,
        filled: &mut Filled,
        trial: &HashMap<u32, i32>,
        changes: &dyn Fn(&[Flow]) -> bool,
    ) -> bool {
        self.whole_tries += 1;
        let set = galley(
            self.layout,
            self.input,
            self.entries,
            trial,
            &mut self.scratch,
            None,
        );
        if !changes(&set.flow) {
            return false;
        }
        let then = paginate::assess(&set.flow, &set.notes, self.geo);
        if then.cost() < filled.breaks.cost() - 1.0 {
            filled.looseness = trial.clone();
            self.tries.resize(then.segments.len(), 0);
            filled.breaks = then;
            filled.galley = set;
            return true;
        }
        false
    }
}

/// Sets chapter `c` of `galley` again alone, with `looseness`: a galley of
/// its items and notes, or None if it did not come out as the chapter did
/// in the book (its counters differ at its end), so that it cannot stand
/// in for it.
fn rebuild_chapter(
    layout: &mut inline::InlineLayout<'_>,
    input: &Input<'_>,
    order: &[(Family<'_>, u8)],
    galley: &Galley,
    c: usize,
    looseness: &HashMap<u32, i32>,
    warnings: &mut Warnings,
) -> Option<Galley> {
    let record = &galley.chapters[c];
    let mut b = build::Builder::resume(
        layout,
        input.setting(),
        warnings,
        &record.resume,
        &galley.note_log,
        &galley.marked_log,
    );
    b.looseness = looseness.clone();
    b.chapter(&order[record.index].0, record.level, record.numbering);
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
