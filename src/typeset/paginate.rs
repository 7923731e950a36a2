//! Pagination: the galley (a flow of set lines, spaces, images and page
//! starts made by `block.rs`) → pages of the page model, with footnotes at
//! the foot, running heads and folios. What goes on the lines, and what the
//! furniture says, is decided elsewhere; this module decides where pages
//! break and where everything sits on them.
//!
//! # Page breaking
//!
//! Breaks are chosen by total fit, as Knuth & Plass break lines and as
//! Plass's thesis (*Optimal pagination techniques for automatic typesetting
//! systems*, Stanford 1981) breaks pages: every legal breakpoint is a node,
//! a page between two nodes costs its badness plus the penalty of its break,
//! and a shortest-path search finds the cheapest set of pages. A page start
//! (a chapter's, a part's) is a forced break that every path goes through,
//! with the notes referenced before it all placed, so the search runs on
//! each stretch between page starts alone: the same pages as over the whole
//! galley, and a chapter can be paginated again without the rest. Footnotes make this harder (Plass shows the general problem is
//! NP-complete); we follow Brüggemann-Klein, Klein & Wohlfeil (*On the
//! pagination of complex documents*, 2003) in keeping notes in the order of
//! their references, so the note lines placed so far are always a prefix of
//! one sequence and a node is just (galley position, note lines placed). A
//! page may carry the tail of a note over to the next page (TeX's `\vsplit`
//! of an insertion, *The TeXbook* ch. 15), but every note starts on the page
//! of its reference; a note longer than a page continues for as many pages
//! as it needs.
//!
//! Widows, orphans and headings at the foot are not breakpoints at all (a
//! page breaker that can look ahead has no need to patch them afterwards):
//! no break after a paragraph's first line or before its last; none after a
//! heading or after the first line that follows one; none inside a short
//! block quote. Only if no legal break exists is one of these taken, at a
//! prohibitive cost.
//!
//! # Filling
//!
//! Body lines sit on a grid: the first baseline is `topskip` below the top
//! of the text block and the block holds a whole number of body lines, so a
//! page of plain running text ends on the last baseline exactly. What is not
//! on the grid — headings, quotes in a smaller leading, the note area —
//! is compensated by stretching the space between blocks, between
//! paragraphs (a little, as plain TeX's `\parskip 0pt plus 1pt`) and above
//! the note rule (TeX's `\skip\footins`), never the leading, so that every
//! full page ends on the same baseline: its last note line where it has
//! notes. Badness is TeX's, 100·r³ of the stretch ratio r, and the break
//! search weighs it, so pages that would need ugly gaps are avoided.

use std::collections::{BTreeMap, HashMap};

use super::galley::{Flow, FlowLine};
use super::inline::SetLine;
use super::page::{Item, Numbering, Page, PageNumber, Point, Pt, Rect, Tag, TagKind};
use crate::doc::NoteId;
use crate::style::{FolioPosition, RunningHead};
use crate::typeset::page::WordPlace;

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

/// What the furniture needs set: a folio or a running head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// A page number.
    Folio,
    /// A running head.
    Head,
}

/// Sets furniture text as a line starting at x = 0.
pub type FurnitureFn<'a> = dyn FnMut(&str, Furniture) -> SetLine + 'a;

/// How much a page break between two paragraphs' lines costs beyond the
/// page's badness, for a line ending in a hyphen (TeX's `\brokenpenalty`).
const BROKEN_PENALTY: f64 = 100.0;
/// A note split over two pages (TeX's `\floatingpenalty` is of this order).
const SPLIT_NOTE_PENALTY: f64 = 200.0;
/// A note split so that its last line alone goes over to the next page.
const NOTE_WIDOW_PENALTY: f64 = 150.0;
/// A note whose first page holds a single line of it.
const LONELY_NOTE_LINE_PENALTY: f64 = 1000.0;
/// A page holding only the continuation of notes.
const NOTES_ONLY_PENALTY: f64 = 3000.0;
/// A break that breaks a rule (widow, orphan, heading at the foot): only
/// taken when nothing legal fits.
const FORBIDDEN_PENALTY: f64 = 100_000.0;
/// Every page costs a little, so among equal fills fewer pages win.
const PAGE_COST: f64 = 1.0;
/// Stretch between two paragraphs, after plain TeX's `\parskip 0pt plus 1pt`.
pub const PAR_STRETCH: Pt = Pt(1.0);
/// Largest stretch ratio ever set (a space at most trebled): beyond it a
/// page is left short, on the grid, rather than gappy, and costs as much
/// as an underfull page (badness is 800 at this ratio).
const MAX_RATIO: f64 = 2.0;

/// TeX's badness: 100·r³ for a stretch ratio r, at most 10 000. Beyond
/// that (or beyond [`MAX_RATIO`]) TeX calls every page equally bad; we add 2 000 for the square of
/// the number of lines left empty, so that a page one line short still
/// beats a page five lines short, and two pages a line short each beat one
/// page two lines short (the total-fit search would otherwise happily
/// trade one very short page for two nearly full ones).
fn badness(short: Pt, stretch: Pt, leading: Pt) -> f64 {
    let beyond = || {
        let lines = short / leading;
        10_000.0 + 2_000.0 * lines * lines
    };
    if short.0 <= 0.01 {
        0.0
    } else if stretch.0 <= 0.0 {
        beyond()
    } else {
        let r = short / stretch;
        if r > MAX_RATIO {
            beyond()
        } else {
            100.0 * r.powi(3)
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

/// Where the galley's segments start: at 0 and at every page start after.
fn segment_starts(flow: &[Flow]) -> Vec<usize> {
    let mut out = vec![0];
    out.extend(
        flow.iter()
            .enumerate()
            .skip(1)
            .filter(|(_, f)| matches!(f, Flow::PageStart(_)))
            .map(|(k, _)| k),
    );
    out
}

/// Runs the break search, segment by segment, and reports on it.
pub fn assess(flow: &[Flow], notes: &HashMap<NoteId, Vec<FlowLine>>, geo: &Geometry) -> Assessment {
    let seq = NoteSeq::new(flow, notes);
    let forbid = forbidden(flow);
    let starts = segment_starts(flow);
    let mut segments = Vec::with_capacity(starts.len());
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(flow.len());
        segments.push(assess_segment(flow, &seq, &forbid, geo, start..end));
    }
    Assessment { segments }
}

/// The cheapest pages of one segment, and its short pages.
fn assess_segment(
    flow: &[Flow],
    seq: &NoteSeq<'_>,
    forbid: &[bool],
    geo: &Geometry,
    range: std::ops::Range<usize>,
) -> Segment {
    let (plans, cost) = plan(flow, seq, forbid, geo, range.clone());
    let bottom = geo.bottom();
    let mut short = Vec::new();
    let mut before: Vec<(u32, u32)> = Vec::new();
    for plan in &plans {
        let (p0, p1) = plan.body;
        let (q0, q1) = plan.notes;
        // The paragraphs on this page, after those on the page before: a
        // line more or less before the short page moves its break too.
        let mut pars: Vec<(u32, u32)> = Vec::new();
        for item in &flow[p0..p1] {
            if let Flow::Line(l) = item
                && let (Some(serial), Some((_, n))) = (l.serial, l.par)
                && !pars.iter().any(|p| p.0 == serial)
            {
                pars.push((serial, n));
            }
        }
        let prev = std::mem::replace(&mut before, pars.clone());
        if plan.last && q1 >= seq.ref_end[p1] {
            continue;
        }
        let mut fill = Fill::default();
        for item in &flow[p0..p1] {
            fill.add(item, geo);
        }
        let Some(y) = fill.y else { continue };
        let m = q1 - q0;
        let (last, stretch) = if m > 0 {
            (
                y + geo.note_skip + geo.note_leading * (m as f64 - 1.0),
                fill.stretch + geo.leading,
            )
        } else {
            (y, fill.stretch)
        };
        if last + stretch * MAX_RATIO < bottom - Pt(0.01) {
            for p in prev {
                if !pars.iter().any(|q| q.0 == p.0) {
                    pars.push(p);
                }
            }
            short.push(pars);
        }
    }
    let q = seq.ref_end[range.start];
    Segment {
        start: range.start,
        len: range.len(),
        cost,
        short,
        pages: plans
            .iter()
            .map(|p| Plan {
                body: (p.body.0 - range.start, p.body.1 - range.start),
                notes: (p.notes.0 - q, p.notes.1 - q),
                last: p.last,
            })
            .collect(),
    }
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
            (Flow::Rule(_), Flow::Rule(_)) => true,
            (Flow::Image { height: h, .. }, Flow::Image { height: k, .. }) => h == k,
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

/// The notes in the order of their first references, as one sequence of
/// lines. A note cited from inside another note (and only there, or there
/// first) follows the note that cites it, depth first, so that it is set
/// once, numbered in the order `block.rs` numbered it; the two together
/// are one *group*, placed as one note. A cycle (two notes citing each
/// other) ends at the note already placed.
struct NoteSeq<'n> {
    lines: Vec<&'n FlowLine>,
    /// For each galley position k: the end of the notes referenced before k.
    ref_end: Vec<usize>,
    /// For each galley position k: the first line of the last group first
    /// referenced before k, and that group's length.
    last_start: Vec<(usize, usize)>,
    /// Where each note ends in `lines`, in order.
    ends: Vec<usize>,
    /// Where each group starts in `lines`, in order.
    groups: Vec<usize>,
}

impl<'n> NoteSeq<'n> {
    fn new(flow: &[Flow], notes: &'n HashMap<NoteId, Vec<FlowLine>>) -> Self {
        let mut seen = std::collections::HashSet::new();
        let mut lines = Vec::new();
        let mut ref_end = Vec::with_capacity(flow.len() + 1);
        let mut last_start = Vec::with_capacity(flow.len() + 1);
        let mut last = (0, 0);
        let mut ends = Vec::new();
        let mut groups = Vec::new();
        // Notes still to place in this group, the next one last (an
        // explicit stack: nesting depth is the input's to choose).
        let mut stack: Vec<NoteId> = Vec::new();
        for item in flow {
            ref_end.push(lines.len());
            last_start.push(last);
            if let Flow::Line(l) = item {
                for id in &l.line.notes {
                    let start = lines.len();
                    stack.push(*id);
                    while let Some(id) = stack.pop() {
                        if !seen.insert(id) {
                            continue;
                        }
                        let Some(n) = notes.get(&id).filter(|n| !n.is_empty()) else {
                            continue;
                        };
                        lines.extend(n.iter());
                        ends.push(lines.len());
                        // Cited from this note: next, in the order cited.
                        let cited = n.iter().flat_map(|l| l.line.notes.iter());
                        let before = stack.len();
                        stack.extend(cited.filter(|c| !seen.contains(*c)));
                        stack[before..].reverse();
                    }
                    if lines.len() > start {
                        groups.push(start);
                        last = (start, lines.len() - start);
                    }
                }
            }
        }
        ref_end.push(lines.len());
        last_start.push(last);
        NoteSeq {
            lines,
            ref_end,
            last_start,
            ends,
            groups,
        }
    }

    /// The end of the note that line `q` belongs to.
    fn note_end(&self, q: usize) -> usize {
        let i = self.ends.partition_point(|&e| e <= q);
        self.ends.get(i).copied().unwrap_or(self.lines.len())
    }

    /// How many groups start in `from..to` of the lines.
    fn groups_in(&self, from: usize, to: usize) -> usize {
        if from >= to {
            return 0;
        }
        self.groups.partition_point(|&s| s < to) - self.groups.partition_point(|&s| s < from)
    }
}

/// Which lines may not end a page: widows, orphans, headings and the first
/// line after a heading, lines of a kept block.
fn forbidden(flow: &[Flow]) -> Vec<bool> {
    let mut out = vec![false; flow.len()];
    let mut after_heading = false;
    for (i, item) in flow.iter().enumerate() {
        match item {
            Flow::Line(l) => {
                let par_rule = l.par.is_some_and(|(k, n)| n >= 2 && (k == 0 || k + 2 == n));
                out[i] = l.keep_with_next || par_rule || after_heading;
                after_heading = l.keep_with_next;
            }
            Flow::Space(_) => {}
            _ => after_heading = false,
        }
    }
    out
}

/// The natural state of a page being filled.
#[derive(Debug, Clone, Copy, Default)]
struct Fill {
    /// Last baseline (or bottom of the last box) so far; None when nothing
    /// is on the page yet.
    y: Option<Pt>,
    stretch: Pt,
    boxes: u32,
    prev_line: bool,
}

impl Fill {
    fn add(&mut self, item: &Flow, geo: &Geometry) {
        match item {
            Flow::Space(h) => {
                if let Some(y) = self.y.as_mut() {
                    *y += *h;
                    self.stretch += *h;
                }
                self.prev_line = false;
                return;
            }
            Flow::Sink(h) => self.y = Some(self.y.unwrap_or(geo.top) + *h),
            Flow::Rule(_) => self.y = Some(self.y.unwrap_or(geo.top)),
            Flow::Image { height, .. } => self.y = Some(self.y.unwrap_or(geo.top) + *height),
            Flow::Line(l) => {
                self.y = Some(match self.y {
                    None => geo.top + geo.topskip.max(l.ascent),
                    Some(y) => y + l.leading,
                });
                if self.prev_line && l.par.is_some_and(|(k, _)| k == 0) {
                    self.stretch += PAR_STRETCH;
                }
                self.boxes += 1;
                self.prev_line = true;
                return;
            }
            Flow::PageStart(_) => {}
        }
        self.boxes += 1;
        self.prev_line = false;
    }
}

/// Chooses the page breaks of the galley items in `range`, which starts at
/// the galley's start or a page start and ends at the next page start or
/// the galley's end (with `forbid` from [`forbidden`] over the galley):
/// the cheapest sequence of pages (see the module comment). Positions in
/// the plans are the galley's.
fn plan(
    flow: &[Flow],
    seq: &NoteSeq<'_>,
    forbid: &[bool],
    geo: &Geometry,
    range: std::ops::Range<usize>,
) -> (Vec<Plan>, f64) {
    let bottom = geo.bottom();
    let nl = geo.note_leading;
    let n = range.end;
    // Nodes (position, note lines placed) → (cost, previous node, page).
    type Node = (usize, usize);
    let mut best: BTreeMap<Node, (f64, Option<(Node, Plan)>)> = BTreeMap::new();
    best.insert((range.start, seq.ref_end[range.start]), (0.0, None));
    let mut done: rustc_hash::FxHashMap<Node, (f64, Option<(Node, Plan)>)> = Default::default();
    let mut end_node: Option<Node> = None;

    while let Some((&node, &(cost, back))) = best.iter().next() {
        best.remove(&node);
        done.insert(node, (cost, back));
        let (p0, q0) = node;
        let pending = seq.ref_end[p0] > q0;
        if p0 >= n && !pending {
            if end_node.is_none_or(|e| done[&e].0 > cost) {
                end_node = Some(node);
            }
            continue;
        }
        let mut relax = |to: Node, c: f64, page: Plan| {
            let total = cost + c;
            if done.contains_key(&to) {
                return;
            }
            match best.get(&to) {
                Some((old, _)) if *old <= total => {}
                _ => {
                    best.insert(to, (total, Some((node, page))));
                }
            }
        };
        let at_start = p0 >= n || matches!(flow[p0], Flow::PageStart(_));
        if pending {
            // A page that starts with carried note lines. At a page start
            // (a chapter ends), only notes may go on it.
            let room = ((bottom - geo.top - geo.topskip) / nl).floor() as usize + 1;
            let q1 = seq.ref_end[p0].min(q0 + room.max(1));
            let page = Plan {
                body: (p0, p0),
                notes: (q0, q1),
                last: at_start,
            };
            relax((p0, q1), NOTES_ONLY_PENALTY, page);
            if at_start {
                continue;
            }
        }
        // Body from p0: skip the page start that opened it.
        let first = if p0 < n && matches!(flow[p0], Flow::PageStart(_)) {
            p0 + 1
        } else {
            p0
        };
        let mut fill = Fill::default();
        let mut k = first;
        // The fewest notes put off to a later page by any break from p0 so
        // far (see below).
        let mut fewest_late: Option<usize> = None;
        loop {
            // Consider ending the page before item k.
            let forced = k >= n || matches!(flow[k], Flow::PageStart(_));
            let legal =
                forced || (k > first && !matches!(flow[k - 1], Flow::Space(_)) && fill.boxes > 0);
            if legal && let Some(y) = fill.y {
                let penalty = if forced {
                    0.0
                } else {
                    let mut p = 0.0;
                    // The last box before the break.
                    if let Some(j) = (first..k)
                        .rev()
                        .find(|&j| !matches!(flow[j], Flow::Space(_)))
                    {
                        if forbid[j] {
                            p += FORBIDDEN_PENALTY;
                        }
                        if let Flow::Line(l) = &flow[j]
                            && l.line.hyphenated
                        {
                            p += BROKEN_PENALTY;
                        }
                    }
                    p
                };
                // Notes: all referenced so far if they fit, else as many as
                // fit; each group referenced here should start here, and
                // one that cannot (it follows a note longer than the page,
                // or its marker is the page's only box) starts on a later
                // page at a prohibitive cost, so the search takes that only
                // when nothing else works. Never more than fit: a note line
                // below the foot would be drawn over the folio or off the
                // page.
                let want = seq.ref_end[k];
                let (ls, llen) = seq.last_start[k];
                let own = seq.ref_end[p0];
                // The most lines that fit under the body: the first at
                // `note_skip` below its last baseline, one per note leading
                // after (counted, not tried line by line: a page may have
                // thousands pending).
                let room = bottom + Pt(0.01) - y - geo.note_skip;
                let fit = if room.0 < 0.0 {
                    0
                } else {
                    ((room / nl).floor() as usize).saturating_add(1)
                };
                let m = (want - q0).min(fit);
                let base = PAGE_COST + penalty;
                let late_at_most = seq.groups_in((q0 + m).max(own), want);
                // A longer page only adds body and markers, so it puts off
                // as many notes or more: once a break puts off more than an
                // earlier one from the same start, no later break can do
                // better (each put-off note costs a forbidden penalty).
                // Stopping here keeps the search linear in the page's
                // length, as it was before notes could be put off.
                let floor = *fewest_late.get_or_insert(late_at_most);
                if late_at_most > floor && fill.boxes > 1 && !forced {
                    break;
                }
                // The most note lines that fit, and one fewer: splitting a
                // note one line earlier may spare a lone line at the head
                // of the next page (but not by putting off a note's start).
                for take in [m, m.wrapping_sub(1)] {
                    if take > m {
                        continue;
                    }
                    let q1 = q0 + take;
                    let late = seq.groups_in(q1.max(own), want);
                    if late > late_at_most {
                        continue;
                    }
                    let mut c = base + FORBIDDEN_PENALTY * late as f64;
                    let last_y = if take > 0 {
                        y + geo.note_skip + nl * (take as f64 - 1.0)
                    } else {
                        y
                    };
                    let stretch = fill.stretch + if take > 0 { geo.leading } else { Pt::ZERO };
                    if !forced || q1 < want {
                        c += badness(bottom - last_y, stretch, geo.leading);
                    }
                    if q1 < want {
                        c += SPLIT_NOTE_PENALTY;
                        if seq.note_end(q1) == q1 + 1 {
                            c += NOTE_WIDOW_PENALTY;
                        }
                    }
                    if llen >= 2 && ls >= q0 && q1 == ls + 1 {
                        c += LONELY_NOTE_LINE_PENALTY;
                    }
                    let page = Plan {
                        body: (p0, k),
                        notes: (q0, q1),
                        last: forced,
                    };
                    relax((k, q1), c, page);
                }
            }
            if forced {
                break;
            }
            fill.add(&flow[k], geo);
            k += 1;
            if fill.y.is_some_and(|y| y > bottom + Pt(0.01)) && fill.boxes > 1 {
                break;
            }
        }
    }

    // Walk back from the end.
    let mut plans = Vec::new();
    let mut node = end_node.unwrap_or((n, seq.ref_end[n]));
    let cost = done.get(&node).map_or(f64::INFINITY, |d| d.0);
    while let Some(&(_, Some((prev, page)))) = done.get(&node) {
        plans.push(page);
        node = prev;
    }
    plans.reverse();
    (plans, cost)
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
    let mut out = Render {
        geo,
        pages: Vec::with_capacity(plan.pages.len()),
        head: None,
    };
    for (page, (blank, number)) in plan.pages.iter().zip(numbers(flow, plan)) {
        if let Some(blank) = blank {
            out.blank(blank);
        }
        out.page(flow, &seq, page, number, furniture);
    }
    if out.pages.is_empty() {
        out.blank(PageNumber {
            numbering: Numbering::Roman,
            value: 1,
        });
    }
    out.pages
}

struct Render<'g> {
    geo: &'g Geometry,
    pages: Vec<Page>,
    head: Option<String>,
}

impl Render<'_> {
    /// A blank page (before a recto opening): numbered, but nothing shows.
    fn blank(&mut self, number: PageNumber) {
        self.pages.push(Page {
            size: self.geo.size,
            number,
            items: Vec::new(),
            first_word: None,
        });
    }

    fn page(
        &mut self,
        flow: &[Flow],
        seq: &NoteSeq<'_>,
        plan: &Plan,
        number: PageNumber,
        furniture: &mut FurnitureFn<'_>,
    ) {
        let geo = self.geo;
        let (p0, p1) = plan.body;
        let mut opening = false;
        let mut no_folio = false;
        if p0 < p1
            && let Flow::PageStart(start) = &flow[p0]
        {
            opening = start.opening;
            no_folio = start.no_folio || (opening && !geo.opening_folio);
            self.head = start.head.clone();
        }
        let index = self.pages.len();
        let left = geo.left(index);
        let bottom = geo.bottom();

        // The stretch ratio that brings the last line to the bottom.
        let mut fill = Fill::default();
        for item in &flow[p0..p1] {
            fill.add(item, geo);
        }
        let (q0, q1) = plan.notes;
        let m = q1 - q0;
        let has_body = fill.y.is_some();
        let body_notes = m > 0 && has_body;
        let natural_last = match fill.y {
            Some(y) if m > 0 => y + geo.note_skip + geo.note_leading * (m as f64 - 1.0),
            Some(y) => y,
            None => bottom,
        };
        let stretch = fill.stretch + if body_notes { geo.leading } else { Pt::ZERO };
        let fills = !plan.last || q1 < seq.ref_end[p1];
        // A page that cannot reach the foot within MAX_RATIO keeps its
        // natural spacing: short by whole lines, but on the grid.
        let ratio = if fills && stretch.0 > 0.0 && natural_last < bottom {
            let r = (bottom - natural_last) / stretch;
            if r <= MAX_RATIO { r } else { 0.0 }
        } else {
            0.0
        };

        let mut items = Vec::new();
        let mut first_word: Option<WordPlace> = None;
        let mut y: Option<Pt> = None;
        let mut prev_line = false;
        for item in &flow[p0..p1] {
            match item {
                Flow::PageStart(_) => {}
                Flow::Space(h) => {
                    if let Some(y) = y.as_mut() {
                        *y += *h + *h * ratio;
                    }
                    prev_line = false;
                }
                Flow::Sink(h) => {
                    y = Some(y.unwrap_or(geo.top) + *h);
                    prev_line = false;
                }
                Flow::Rule(w) => {
                    let at = y.unwrap_or(geo.top);
                    items.push(Item::Rule(Rect {
                        x: left + (geo.measure - *w) / 2.0,
                        y: at - Pt(0.2),
                        width: *w,
                        height: Pt(0.4),
                    }));
                    y = Some(at);
                    prev_line = false;
                }
                Flow::Image {
                    width,
                    height,
                    picture,
                    alt,
                    tag,
                } => {
                    let at = y.unwrap_or(geo.top);
                    items.push(Item::Image {
                        rect: Rect {
                            x: left + (geo.measure - *width) / 2.0,
                            y: at,
                            width: *width,
                            height: *height,
                        },
                        picture: picture.clone(),
                        alt: alt.clone(),
                        tag: tag.clone(),
                    });
                    y = Some(at + *height);
                    prev_line = false;
                }
                Flow::Line(l) => {
                    let mut base = match y {
                        None => geo.top + geo.topskip.max(l.ascent),
                        Some(y) => y + l.leading,
                    };
                    if prev_line && l.par.is_some_and(|(k, _)| k == 0) {
                        base += PAR_STRETCH * ratio;
                    }
                    y = Some(base);
                    prev_line = true;
                    // The first word of body text that starts on this page:
                    // a paragraph line's first run.
                    if first_word.is_none() && l.par.is_some() {
                        first_word = l.line.runs.iter().find_map(|r| {
                            r.span.map(|span| WordPlace {
                                span,
                                offset: r.offset,
                            })
                        });
                    }
                    place_line(
                        &mut items,
                        l,
                        Point {
                            x: left + l.x,
                            y: base,
                        },
                    );
                }
            }
        }

        // The notes: bottom-aligned on full pages, under a short rule.
        if m > 0 {
            let note_lines = &seq.lines[q0..q1];
            // Notes sit at the foot even on a chapter's last, short page;
            // what stretch the body did not take opens above the rule.
            let last = if has_body {
                natural_last.max(bottom)
            } else if fills {
                bottom
            } else {
                geo.top + geo.topskip + geo.note_leading * (m as f64 - 1.0)
            };
            let first = last - geo.note_leading * (m as f64 - 1.0);
            if has_body {
                items.push(Item::Rule(Rect {
                    x: left,
                    y: first - geo.note_size - geo.note_leading * 0.45,
                    width: geo.measure * 0.3,
                    height: Pt(0.4),
                }));
            }
            for (k, l) in note_lines.iter().enumerate() {
                let base = first + geo.note_leading * k as f64;
                place_line(
                    &mut items,
                    l,
                    Point {
                        x: left + l.x,
                        y: base,
                    },
                );
            }
        }

        // Furniture.
        let recto = index.is_multiple_of(2);
        if !opening && has_body_or_notes(&items) {
            let what = if recto { geo.heads.1 } else { geo.heads.0 };
            let text = match what {
                RunningHead::Book => geo.book_title.clone(),
                RunningHead::Chapter => self.head.clone(),
                RunningHead::None => None,
            };
            if let Some(text) = text.filter(|t| !t.is_empty()) {
                let line = artifact(furniture(&text, Furniture::Head), TagKind::RunningHead);
                let w = line_width(&line);
                let x = left + (geo.measure - w) / 2.0;
                push_line(&mut items, &line, Point { x, y: geo.head_y });
            }
        }
        if !no_folio {
            let line = artifact(furniture(&number.label(), Furniture::Folio), TagKind::Folio);
            let w = line_width(&line);
            let x = match geo.folio_position {
                FolioPosition::Centre => left + (geo.measure - w) / 2.0,
                FolioPosition::Outer if recto => left + geo.measure - w,
                FolioPosition::Outer => left,
            };
            push_line(&mut items, &line, Point { x, y: geo.folio_y });
        }
        self.pages.push(Page {
            size: geo.size,
            number,
            items,
            first_word,
        });
    }
}

/// Marks a furniture line's runs as an artifact of `kind`.
fn artifact(mut line: SetLine, kind: TagKind) -> SetLine {
    for run in &mut line.runs {
        run.tag = Some(Tag::artifact(kind));
    }
    line
}

fn has_body_or_notes(items: &[Item]) -> bool {
    items.iter().any(|i| matches!(i, Item::Glyphs(_)))
}

/// The advance of a set line from its start.
pub fn line_width(line: &SetLine) -> Pt {
    line.runs
        .iter()
        .map(|r| r.origin.x + r.width())
        .fold(Pt::ZERO, Pt::max)
}

fn place_line(items: &mut Vec<Item>, l: &FlowLine, origin: Point) {
    for (id, outline) in &l.dests {
        items.push(Item::Dest {
            id: id.clone(),
            at: Point {
                x: origin.x,
                y: origin.y - l.ascent,
            },
            outline: outline.clone(),
        });
    }
    push_line(items, &l.line, origin);
}

/// Places a set line's runs and links at `origin` (its baseline start).
fn push_line(items: &mut Vec<Item>, line: &SetLine, origin: Point) {
    for run in &line.runs {
        let mut run = run.clone();
        run.origin.x += origin.x;
        run.origin.y += origin.y;
        items.push(Item::Glyphs(run));
    }
    for rect in &line.rules {
        items.push(Item::Rule(Rect {
            x: rect.x + origin.x,
            y: rect.y + origin.y,
            ..*rect
        }));
    }
    for (rect, target) in &line.links {
        items.push(Item::Link {
            rect: Rect {
                x: rect.x + origin.x,
                y: rect.y + origin.y,
                ..*rect
            },
            target: target.clone(),
        });
    }
}

#[cfg(test)]
mod tests;
