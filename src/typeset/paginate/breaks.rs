//! The page-break search: where the galley's pages break, by total fit.
//!
//! Breaks are chosen by total fit, as Knuth & Plass break lines and as
//! Plass's thesis (*Optimal pagination techniques for automatic typesetting
//! systems*, Stanford 1981) breaks pages: every legal breakpoint is a node,
//! a page between two nodes costs its badness plus the penalty of its break,
//! and a shortest-path search finds the cheapest set of pages. A page start
//! (a chapter's, a part's) is a forced break that every path goes through,
//! with the notes referenced before it all placed, so the search runs on
//! each stretch between page starts alone: the same pages as over the whole
//! galley, and a chapter can be paginated again without the rest.
//! Footnotes make this harder (Plass shows the general problem is
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
//! A page's badness weighs how far its spaces must stretch to reach the
//! foot (see `place.rs` for the filling itself).

use std::collections::BTreeMap;
use std::ops::Range;

use super::{Geometry, Plan, Segment};
use crate::doc::NoteId;
use crate::typeset::galley::{Flow, FlowLine};
use crate::typeset::page::Pt;
use std::collections::HashMap;

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
pub(super) const PAR_STRETCH: Pt = Pt(1.0);
/// Largest stretch ratio ever set (a space at most trebled): beyond it a
/// page is left short, on the grid, rather than gappy, and costs as much
/// as an underfull page (badness is 800 at this ratio).
pub(super) const MAX_RATIO: f64 = 2.0;

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

/// Where the galley's segments start: at 0 and at every page start after.
pub(super) fn segment_starts(flow: &[Flow]) -> Vec<usize> {
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

/// The cheapest pages of one segment, and its short pages.
pub(super) fn segment(
    flow: &[Flow],
    seq: &NoteSeq<'_>,
    forbid: &[bool],
    geo: &Geometry,
    range: Range<usize>,
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

/// The notes in the order of their first references, as one sequence of
/// lines. A note cited from inside another note (and only there, or there
/// first) follows the note that cites it, depth first, so that it is set
/// once, numbered in the order `block.rs` numbered it; the two together
/// are one *group*, placed as one note. A cycle (two notes citing each
/// other) ends at the note already placed.
pub(super) struct NoteSeq<'n> {
    /// The note lines, in order.
    pub lines: Vec<&'n FlowLine>,
    /// For each galley position k: the end of the notes referenced before k.
    pub ref_end: Vec<usize>,
    /// For each galley position k: the first line of the last group first
    /// referenced before k, and that group's length.
    last_start: Vec<(usize, usize)>,
    /// Where each note ends in `lines`, in order.
    ends: Vec<usize>,
    /// Where each group starts in `lines`, in order.
    groups: Vec<usize>,
}

impl<'n> NoteSeq<'n> {
    /// The notes `flow` cites, in order, from `notes`.
    pub fn new(flow: &[Flow], notes: &'n HashMap<NoteId, Vec<FlowLine>>) -> Self {
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
/// line after a heading, lines of a kept block, an image and its caption
/// but the caption's last line (a figure is kept whole, as LaTeX's
/// `figure` environment keeps its caption in its box), a rule right over a
/// kept line.
pub(super) fn forbidden(flow: &[Flow]) -> Vec<bool> {
    let mut out = vec![false; flow.len()];
    let mut after_heading = false;
    // Lines still to come of the caption of the last image.
    let mut caption = 0u32;
    for (i, item) in flow.iter().enumerate() {
        match item {
            Flow::Line(_) if caption > 0 => {
                caption -= 1;
                out[i] = caption > 0;
                after_heading = false;
            }
            Flow::Image { keep_lines, .. } => {
                caption = *keep_lines;
                out[i] = caption > 0;
                after_heading = false;
            }
            Flow::Line(l) => {
                let par_rule = l.par.is_some_and(|(k, n)| n >= 2 && (k == 0 || k + 2 == n));
                out[i] = l.keep_with_next || par_rule || after_heading;
                after_heading = l.keep_with_next;
            }
            Flow::Space(_) => {}
            // A rule right over a kept line (an alert's rule over its
            // title) goes with it.
            Flow::Rule { .. } => {
                out[i] = matches!(flow.get(i + 1), Some(Flow::Line(l)) if l.keep_with_next);
                after_heading = false;
            }
            _ => after_heading = false,
        }
    }
    out
}

/// The natural state of a page being filled.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Fill {
    /// Last baseline (or bottom of the last box) so far; None when nothing
    /// is on the page yet.
    pub y: Option<Pt>,
    /// Stretchable space so far (between blocks and paragraphs).
    pub stretch: Pt,
    /// Boxes (lines, rules, images, sinks) so far.
    pub boxes: u32,
    /// Whether the last item was a line (a paragraph's first line then
    /// adds [`PAR_STRETCH`]).
    prev_line: bool,
}

impl Fill {
    /// Adds `item` at its natural size.
    pub fn add(&mut self, item: &Flow, geo: &Geometry) {
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
            Flow::Rule { .. } => self.y = Some(self.y.unwrap_or(geo.top)),
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

/// A node of the search: (galley position, note lines placed).
type Node = (usize, usize);

/// The cheapest way found to a node: its cost, and the node before it with
/// the page between them (none at the segment's start).
type Reach = (f64, Option<(Node, Plan)>);

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
    range: Range<usize>,
) -> (Vec<Plan>, f64) {
    let mut search = Search {
        flow,
        seq,
        forbid,
        geo,
        end: range.end,
        bottom: geo.bottom(),
        open: BTreeMap::new(),
        done: Default::default(),
    };
    search
        .open
        .insert((range.start, seq.ref_end[range.start]), (0.0, None));
    let mut end_node: Option<Node> = None;
    while let Some((node, cost)) = search.next() {
        let (p0, q0) = node;
        let pending = seq.ref_end[p0] > q0;
        if p0 >= search.end && !pending {
            if end_node.is_none_or(|e| search.done[&e].0 > cost) {
                end_node = Some(node);
            }
            continue;
        }
        if pending && search.notes_only(node, cost) {
            continue;
        }
        search.pages_from(node, cost);
    }
    search.walk_back(end_node)
}

/// One segment's search: nodes are expanded in galley order (every page
/// goes forward, so a node's cost is final once the nodes before it are
/// expanded), each relaxing the nodes its possible pages reach.
struct Search<'a> {
    flow: &'a [Flow],
    seq: &'a NoteSeq<'a>,
    forbid: &'a [bool],
    geo: &'a Geometry,
    /// Where the segment ends (a page start or the galley's end).
    end: usize,
    /// The last baseline of a full page.
    bottom: Pt,
    /// Nodes reached but not yet expanded.
    open: BTreeMap<Node, Reach>,
    /// Nodes expanded, with their final cost.
    done: rustc_hash::FxHashMap<Node, Reach>,
}

/// A page considered from a node, ending before galley item `k`.
struct PageEnd {
    k: usize,
    /// Ends at a page start or the segment's end.
    forced: bool,
    /// The body's last baseline (or bottom of its last box).
    y: Pt,
    /// The body at its natural size.
    fill: Fill,
    /// The cost of breaking here (see [`Search::break_penalty`]).
    penalty: f64,
}

impl Search<'_> {
    /// The first node not yet expanded, now expanded, with its cost.
    fn next(&mut self) -> Option<(Node, f64)> {
        let (node, reach) = self.open.pop_first()?;
        self.done.insert(node, reach);
        Some((node, reach.0))
    }

    /// Records `page` from `from` (reached at `cost`) to `to`, costing `c`,
    /// if it is the cheapest way to `to` yet.
    fn relax(&mut self, from: Node, cost: f64, to: Node, c: f64, page: Plan) {
        let total = cost + c;
        if self.done.contains_key(&to) {
            return;
        }
        match self.open.get(&to) {
            Some((old, _)) if *old <= total => {}
            _ => {
                self.open.insert(to, (total, Some((from, page))));
            }
        }
    }

    /// A page that starts with the note lines carried from `node`. At a
    /// page start (a chapter ends), only notes may go on it: returns
    /// whether that is so, and no other page starts at `node`.
    fn notes_only(&mut self, node: Node, cost: f64) -> bool {
        let (p0, q0) = node;
        let geo = self.geo;
        let at_start = p0 >= self.end || matches!(self.flow[p0], Flow::PageStart(_));
        let room = ((self.bottom - geo.top - geo.topskip) / geo.note_leading).floor() as usize + 1;
        let q1 = self.seq.ref_end[p0].min(q0 + room.max(1));
        let page = Plan {
            body: (p0, p0),
            notes: (q0, q1),
            last: at_start,
        };
        self.relax(node, cost, (p0, q1), NOTES_ONLY_PENALTY, page);
        at_start
    }

    /// Every page with a body from `node`: ending before each legal
    /// breakpoint until the body overflows the page or a page start ends it.
    fn pages_from(&mut self, node: Node, cost: f64) {
        let (p0, _) = node;
        let (flow, n) = (self.flow, self.end);
        // Body from p0: skip the page start that opened it.
        let first = if p0 < n && matches!(flow[p0], Flow::PageStart(_)) {
            p0 + 1
        } else {
            p0
        };
        let mut fill = Fill::default();
        let mut k = first;
        // The fewest notes put off to a later page by any break from p0 so
        // far (see `break_before`).
        let mut fewest_late: Option<usize> = None;
        loop {
            // Consider ending the page before item k.
            let forced = k >= n || matches!(flow[k], Flow::PageStart(_));
            let legal =
                forced || (k > first && !matches!(flow[k - 1], Flow::Space(_)) && fill.boxes > 0);
            if legal && let Some(y) = fill.y {
                let end = PageEnd {
                    k,
                    forced,
                    y,
                    fill,
                    penalty: if forced {
                        0.0
                    } else {
                        self.break_penalty(first, k)
                    },
                };
                if !self.break_before(node, cost, &end, &mut fewest_late) {
                    break;
                }
            }
            if forced {
                break;
            }
            fill.add(&flow[k], self.geo);
            k += 1;
            if fill.y.is_some_and(|y| y > self.bottom + Pt(0.01)) && fill.boxes > 1 {
                break;
            }
        }
    }

    /// The penalty of a break before item `k` of a body from `first`: at
    /// the last box before it, a forbidden break (widow, orphan, heading)
    /// and a hyphen.
    fn break_penalty(&self, first: usize, k: usize) -> f64 {
        let mut p = 0.0;
        if let Some(j) = (first..k)
            .rev()
            .find(|&j| !matches!(self.flow[j], Flow::Space(_)))
        {
            if self.forbid[j] {
                p += FORBIDDEN_PENALTY;
            }
            if let Flow::Line(l) = &self.flow[j]
                && l.line.hyphenated
            {
                p += BROKEN_PENALTY;
            }
        }
        p
    }

    /// Relaxes the pages from `node` that end at `end`, with as many of
    /// the pending notes as fit and with one line fewer. Returns false when
    /// no later break from `node` can do better (the scan stops).
    fn break_before(
        &mut self,
        node: Node,
        cost: f64,
        end: &PageEnd,
        fewest_late: &mut Option<usize>,
    ) -> bool {
        let (p0, q0) = node;
        let (seq, geo) = (self.seq, self.geo);
        // Notes: all referenced so far if they fit, else as many as fit;
        // each group referenced here should start here, and one that cannot
        // (it follows a note longer than the page, or its marker is the
        // page's only box) starts on a later page at a prohibitive cost, so
        // the search takes that only when nothing else works. Never more
        // than fit: a note line below the foot would be drawn over the folio
        // or off the page.
        let want = seq.ref_end[end.k];
        let own = seq.ref_end[p0];
        // The most lines that fit under the body: the first at `note_skip`
        // below its last baseline, one per note leading after (counted, not
        // tried line by line: a page may have thousands pending).
        let room = self.bottom + Pt(0.01) - end.y - geo.note_skip;
        let fit = if room.0 < 0.0 {
            0
        } else {
            ((room / geo.note_leading).floor() as usize).saturating_add(1)
        };
        let m = (want - q0).min(fit);
        let base = PAGE_COST + end.penalty;
        let late_at_most = seq.groups_in((q0 + m).max(own), want);
        // A longer page only adds body and markers, so it puts off as many
        // notes or more: once a break puts off more than an earlier one from
        // the same start, no later break can do better (each put-off note
        // costs a forbidden penalty). Stopping here keeps the search linear
        // in the page's length, as it was before notes could be put off.
        let floor = *fewest_late.get_or_insert(late_at_most);
        if late_at_most > floor && end.fill.boxes > 1 && !end.forced {
            return false;
        }
        // The most note lines that fit, and one fewer: splitting a note one
        // line earlier may spare a lone line at the head of the next page
        // (but not by putting off a note's start).
        for take in [m, m.wrapping_sub(1)] {
            if take > m {
                continue;
            }
            let q1 = q0 + take;
            let late = seq.groups_in(q1.max(own), want);
            if late > late_at_most {
                continue;
            }
            let c = self.page_cost(q0, end, take, base + FORBIDDEN_PENALTY * late as f64);
            let page = Plan {
                body: (p0, end.k),
                notes: (q0, q1),
                last: end.forced,
            };
            self.relax(node, cost, (end.k, q1), c, page);
        }
        true
    }

    /// The cost `c` of a page's break and put-off notes, plus its fill
    /// with `take` note lines from `q0`: badness (unless it ends its
    /// segment with every note placed), a split note, a note's last line
    /// alone overleaf, a lone first line of the last note.
    fn page_cost(&self, q0: usize, end: &PageEnd, take: usize, mut c: f64) -> f64 {
        let (seq, geo) = (self.seq, self.geo);
        let want = seq.ref_end[end.k];
        let (ls, llen) = seq.last_start[end.k];
        let q1 = q0 + take;
        let last_y = if take > 0 {
            end.y + geo.note_skip + geo.note_leading * (take as f64 - 1.0)
        } else {
            end.y
        };
        let stretch = end.fill.stretch + if take > 0 { geo.leading } else { Pt::ZERO };
        if !end.forced || q1 < want {
            c += badness(self.bottom - last_y, stretch, geo.leading);
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
        c
    }

    /// The cheapest pages, walked back from the end node, and their cost.
    fn walk_back(&self, end_node: Option<Node>) -> (Vec<Plan>, f64) {
        let mut plans = Vec::new();
        let mut node = end_node.unwrap_or((self.end, self.seq.ref_end[self.end]));
        let cost = self.done.get(&node).map_or(f64::INFINITY, |d| d.0);
        while let Some(&(_, Some((prev, page)))) = self.done.get(&node) {
            plans.push(page);
            node = prev;
        }
        plans.reverse();
        (plans, cost)
    }
}
