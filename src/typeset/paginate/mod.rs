//! Pagination: the galley (a flow of set lines, spaces, images and page
//! starts made by `block.rs`) → pages of the page model, with footnotes at
//! the foot, running heads and folios. What goes on the lines, and what the
//! furniture says, is decided elsewhere; this module decides where pages
//! break and where everything sits on them.
//!
//! The stage, in order: [`assess`] runs the total-fit page-break search
//! (`breaks.rs`) on each stretch of the galley between page starts and
//! reports the pages it could only leave short; [`Assessment::plan`] joins
//! the stretches' pages into the galley's [`PagePlan`]; [`labels`] reads
//! every destination's page label off the plan without setting a page; and
//! [`paginate`] sets each planned page — its body lines, images and notes
//! spread to the foot (`place.rs`), then its running head and folio
//! (`furniture.rs`). [`same_breaks`] tells whether a galley set again (the
//! contents with their page numbers) keeps the plan it had.

mod breaks;
mod furniture;
mod place;

use std::collections::HashMap;

use super::galley::{Flow, FlowLine};
use super::page::{Numbering, Page, PageNumber, Pt};
use crate::doc::NoteId;
use crate::style::{FolioPosition, RunningHead};
use breaks::NoteSeq;

pub use furniture::{Furniture, FurnitureFn};
pub use place::line_width;

/// Page geometry and the furniture's places, resolved from the style.
#[derive(Debug, Clone)]
pub struct Geometry {
    /// Page size.
    pub size: (Pt, Pt),
    /// Binding-side margin (left on rectos, right on versos).
    pub inner: Pt,
    /// Top edge of the text block.
    pub top: Pt,
    /// Text block width.
    pub measure: Pt,
    /// Body leading: the grid.
    pub leading: Pt,
    /// From the top of the text block to the first baseline.
    pub topskip: Pt,
    /// Body lines per full page (the grid's rows).
    pub lines: u32,
    /// Leading of notes.
    pub note_leading: Pt,
    /// Size of notes.
    pub note_size: Pt,
    /// Natural space from the last body baseline to the first note
    /// baseline (the rule sits in it).
    pub note_skip: Pt,
    /// Baseline of running heads.
    pub head_y: Pt,
    /// Baseline of folios.
    pub folio_y: Pt,
    /// Where folios go.
    pub folio_position: FolioPosition,
    /// Folios on openings (chapter first pages).
    pub opening_folio: bool,
    /// The book's title, for the running heads that want it.
    pub book_title: Option<String>,
    /// Which running head goes on versos and rectos.
    pub heads: (RunningHead, RunningHead),
}

impl Geometry {
    /// The last baseline of a full page.
    pub fn bottom(&self) -> Pt {
        self.top + self.topskip + self.leading * (f64::from(self.lines) - 1.0)
    }

    /// Left edge of the text block on the page with this index (0 is a
    /// recto: inner margin on the left).
    pub fn left(&self, index: usize) -> Pt {
        if index.is_multiple_of(2) {
            self.inner
        } else {
            self.size.0 - self.inner - self.measure
        }
    }
}

/// How well the galley paginates, segment by segment: a page start (a
/// chapter's, a part's) is a forced break, so the cheapest pages of the
/// whole galley are the cheapest pages of each stretch between page starts,
/// found on their own. `typeset` asks a paragraph on a short page for a
/// line more or less and assesses its chapter alone again.
#[derive(Debug, Clone, Default)]
pub struct Assessment {
    /// The stretches between page starts, in order.
    pub segments: Vec<Segment>,
}

/// The pages chosen for one stretch of the galley that begins at a page
/// start (or the galley's start) and runs to the next.
#[derive(Debug, Clone, Default)]
pub struct Segment {
    /// Where it starts in the galley.
    pub start: usize,
    /// How many galley items it holds.
    pub len: usize,
    /// Total cost of its pages.
    pub cost: f64,
    /// Paragraphs on each short full page and the page before it:
    /// (serial, lines).
    pub short: Vec<Vec<(u32, u32)>>,
    /// Its pages, with galley positions from `start` and note lines from
    /// the first note line referenced in it.
    pages: Vec<Plan>,
}

impl Segment {
    /// How many pages it takes.
    pub fn pages(&self) -> usize {
        self.pages.len()
    }
}

impl Assessment {
    /// Total cost of the chosen pages.
    pub fn cost(&self) -> f64 {
        self.segments.iter().map(|s| s.cost).sum()
    }

    /// Every short page: (segment index, its paragraphs).
    pub fn short(&self) -> impl Iterator<Item = (usize, &Vec<(u32, u32)>)> {
        self.segments
            .iter()
            .enumerate()
            .flat_map(|(k, s)| s.short.iter().map(move |p| (k, p)))
    }

    /// Puts `segment` (assessed on its own) in place of segment `k`, whose
    /// galley items it replaces, shifting the later segments.
    pub fn replace(&mut self, k: usize, mut segment: Segment) {
        let old = &self.segments[k];
        let shift = segment.len as isize - old.len as isize;
        segment.start = old.start;
        self.segments[k] = segment;
        for later in &mut self.segments[k + 1..] {
            later.start = later.start.saturating_add_signed(shift);
        }
    }

    /// The pages of the whole galley, for [`labels`] and [`paginate`].
    pub fn plan(&self, flow: &[Flow], notes: &HashMap<NoteId, Vec<FlowLine>>) -> PagePlan {
        let seq = NoteSeq::new(flow, notes);
        let mut pages = Vec::new();
        for s in &self.segments {
            let q = seq.ref_end[s.start];
            pages.extend(s.pages.iter().map(|p| Plan {
                body: (p.body.0 + s.start, p.body.1 + s.start),
                notes: (p.notes.0 + q, p.notes.1 + q),
                last: p.last,
            }));
        }
        PagePlan { pages }
    }
}

/// The page breaks chosen for a galley: what goes on each page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PagePlan {
    pages: Vec<Plan>,
}

/// Runs the break search, segment by segment, and reports on it.
pub fn assess(flow: &[Flow], notes: &HashMap<NoteId, Vec<FlowLine>>, geo: &Geometry) -> Assessment {
    let seq = NoteSeq::new(flow, notes);
    let forbid = breaks::forbidden(flow);
    let starts = breaks::segment_starts(flow);
    let mut segments = Vec::with_capacity(starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(flow.len());
        segments.push(breaks::segment(flow, &seq, &forbid, geo, start..end));
    }
    Assessment { segments }
}

/// One page as the break search chose it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Plan {
    /// Galley items on it.
    body: (usize, usize),
    /// Note lines (in the note sequence) on it.
    notes: (usize, usize),
    /// Ends at a page start or the end of the galley (not filled).
    last: bool,
}

/// Whether two galleys break into pages alike: the same items with the
/// same heights, keeps, paragraph places and note references (the text
/// on the lines may differ). The contents page set again with its page
/// numbers is such a galley, and keeps its plan.
pub fn same_breaks(a: &[Flow], b: &[Flow]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Flow::Line(l), Flow::Line(m)) => {
                l.leading == m.leading
                    && l.ascent == m.ascent
                    && l.keep_with_next == m.keep_with_next
                    && l.par == m.par
                    && l.line.hyphenated == m.line.hyphenated
                    && l.line.notes == m.line.notes
            }
            (Flow::Space(h), Flow::Space(k)) | (Flow::Sink(h), Flow::Sink(k)) => h == k,
            (Flow::Rule { .. }, Flow::Rule { .. }) => true,
            (
                Flow::Image {
                    height: h,
                    keep_lines: a,
                    ..
                },
                Flow::Image {
                    height: k,
                    keep_lines: b,
                    ..
                },
            ) => h == k && a == b,
            (Flow::PageStart(p), Flow::PageStart(q)) => p == q,
            _ => false,
        })
}

/// The page number of every planned page, and the number of a blank page
/// that goes before it (a recto opening after a recto page). The one rule
/// for both [`labels`] and [`paginate`].
fn numbers(flow: &[Flow], plan: &PagePlan) -> Vec<(Option<PageNumber>, PageNumber)> {
    let mut out = Vec::with_capacity(plan.pages.len());
    let mut count = 0usize;
    let mut numbering = Numbering::Roman;
    let mut number = 0;
    for page in &plan.pages {
        let (p0, p1) = page.body;
        let mut blank = None;
        if p0 < p1
            && let Flow::PageStart(start) = &flow[p0]
        {
            if start.recto && count % 2 == 1 {
                count += 1;
                number += 1;
                blank = Some(PageNumber {
                    numbering,
                    value: number,
                });
            }
            if let Some(n) = start.numbering {
                numbering = n;
                number = 0;
            }
        }
        count += 1;
        number += 1;
        out.push((
            blank,
            PageNumber {
                numbering,
                value: number,
            },
        ));
    }
    out
}

/// The page label of every destination's first page, read off the plan
/// without setting the pages.
pub fn labels<'f>(
    flow: &'f [Flow],
    notes: &'f HashMap<NoteId, Vec<FlowLine>>,
    plan: &PagePlan,
) -> HashMap<&'f str, String> {
    let seq = NoteSeq::new(flow, notes);
    let mut out = HashMap::new();
    for (page, (_, number)) in plan.pages.iter().zip(numbers(flow, plan)) {
        let (p0, p1) = page.body;
        let (q0, q1) = page.notes;
        let body = flow[p0..p1].iter().filter_map(|f| match f {
            Flow::Line(l) => Some(l),
            _ => None,
        });
        for line in body.chain(seq.lines[q0..q1].iter().copied()) {
            for (id, _) in &line.dests {
                out.entry(id.as_str()).or_insert_with(|| number.label());
            }
        }
    }
    out
}

/// Lays out the galley on pages.
pub fn paginate(
    flow: &[Flow],
    notes: &HashMap<NoteId, Vec<FlowLine>>,
    geo: &Geometry,
    plan: &PagePlan,
    furniture: &mut FurnitureFn<'_>,
) -> Vec<Page> {
    let seq = NoteSeq::new(flow, notes);
    let mut out = place::Render::new(geo, plan.pages.len());
    for (page, (blank, number)) in plan.pages.iter().zip(numbers(flow, plan)) {
        if let Some(blank) = blank {
            out.blank(blank);
        }
        out.page(flow, &seq, page, number, furniture);
    }
    out.finish()
}

#[cfg(test)]
mod tests;
