//! Line breaking: Knuth & Plass's total-fit algorithm over boxes, glue and
//! penalties ("Breaking paragraphs into lines", Software—Practice and
//! Experience 11, 1981), as TeX implements it (*TeX: The Program*, §813–890),
//! with pdfTeX's two microtypographic extensions from Hàn Thế Thành's thesis
//! ("Micro-typographic extensions to the TeX typesetting system", 2000):
//! character protrusion (margin kerning) and font expansion.
//!
//! The breaker knows nothing of fonts or text: it gets [`Item`]s with widths
//! and returns, for each line, where it ends and how much its glue and
//! glyphs must be stretched or shrunk. `inline.rs` builds the items and sets
//! the lines.
//!
//! The algorithm keeps a list of *active* breakpoints (places where a line
//! could start). For every legal breakpoint it computes, from every active
//! one, the adjustment ratio `r` of the line between them (how much of the
//! available stretch or shrink the line needs), the line's badness
//! `100·|r|³`, and the demerits of the line, and remembers the cheapest way
//! to reach the breakpoint for each of the four fitness classes. An active
//! breakpoint is dropped once the line from it would be overfull (`r < -1`).
//! The best path to the end of the paragraph is the answer. Like TeX we run
//! up to three passes: without hyphenation at a low tolerance, with
//! hyphenation at the style's tolerance, and a last one with emergency
//! stretch that accepts any line rather than none.
//!
//! Protrusion: a box may say how far its first glyph may hang into the left
//! margin and its last glyph into the right one; the line is measured as if
//! it were that much shorter, so the glyph ends up in the margin and the
//! optical edge stays straight. Expansion: each box may widen or narrow by
//! up to `expand` (2 % of its width by default); this adds to the line's
//! stretch and shrink exactly as pdfTeX adds font stretch to its
//! `active_width`, so a line spreads its adjustment over glyphs and spaces.

use crate::units::Pt;

/// One element of a paragraph, as in Knuth & Plass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Something that is set as is (a word fragment).
    Box {
        /// Natural width.
        width: Pt,
        /// How much it may widen or narrow by font expansion.
        expand: Pt,
        /// How far it may hang into the left margin when it starts a line.
        protrude_left: Pt,
        /// How far it may hang into the right margin when it ends a line.
        protrude_right: Pt,
    },
    /// Space between words: a legal break when it follows a box.
    Glue {
        /// Natural width.
        width: Pt,
        /// How much it may grow (at ratio 1).
        stretch: Pt,
        /// How much it may shrink (never more).
        shrink: Pt,
        /// Infinite stretch (TeX's `fil`), for the end of the paragraph.
        fil: bool,
    },
    /// A possible break with a cost; `width` is set only if the line breaks
    /// here (a hyphen).
    Penalty {
        /// Width added at the end of the line when broken here.
        width: Pt,
        /// Cost of breaking here; ≥ [`INFINITY`] forbids, ≤ -[`INFINITY`] forces.
        penalty: f64,
        /// A hyphen break: consecutive ones cost extra.
        flagged: bool,
        /// How far the added material may hang into the right margin.
        protrude_right: Pt,
    },
}

/// Penalty that forbids (or, negated, forces) a break; TeX's 10000.
pub const INFINITY: f64 = 10000.0;

/// Settings for one paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// The line width.
    pub measure: Pt,
    /// Badness limit of the first pass, which tries no hyphenation (TeX's
    /// `\pretolerance`, plain TeX's 100: a line whose spaces stretch by
    /// their full stretch or less). A negative value skips the pass.
    pub pretolerance: f64,
    /// Badness limit of the second pass, with hyphenation (TeX's
    /// `\tolerance`; plain TeX says 200, i.e. stretch ratio ≈ 1.26).
    pub tolerance: f64,
    /// Stretch added to every line in the third pass (TeX's
    /// `\emergencystretch`); that pass accepts any line that is not overfull.
    pub emergency_stretch: Pt,
    /// Added to every line's badness before squaring (TeX's `\linepenalty`,
    /// 10): makes fewer lines preferable when all else is equal.
    pub line_penalty: f64,
    /// For two neighbouring lines whose fitness classes are not adjacent
    /// (a very loose line after a tight one): TeX's `\adjdemerits`, 10000.
    pub adj_demerits: f64,
    /// For two hyphenated lines in a row: TeX's `\doublehyphendemerits`,
    /// 10000 — as bad as a line of badness ~100.
    pub double_hyphen_demerits: f64,
    /// For a hyphen on the last full line of the paragraph: TeX's
    /// `\finalhyphendemerits`, 5000.
    pub final_hyphen_demerits: f64,
    /// Lines more (positive) or fewer than the optimum (TeX's `\looseness`).
    pub looseness: i32,
    /// Most hyphenated lines in a row. Not in TeX (whose double-hyphen
    /// demerits only discourage ladders); the Chicago Manual of Style and
    /// most house styles allow two, and so do we by default. Only the final
    /// pass may break it.
    pub max_hyphen_run: u8,
    /// Stretch added at the end of every line (ragged-right setting).
    pub line_end_stretch: Pt,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            measure: Pt(300.0),
            pretolerance: 100.0,
            tolerance: 200.0,
            emergency_stretch: Pt::ZERO,
            line_penalty: 10.0,
            adj_demerits: 10000.0,
            double_hyphen_demerits: 10000.0,
            final_hyphen_demerits: 5000.0,
            looseness: 0,
            max_hyphen_run: 2,
            line_end_stretch: Pt::ZERO,
        }
    }
}

/// One line chosen by the breaker.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// First item of the line (glue and penalties after the previous break
    /// already skipped).
    pub start: usize,
    /// The break item: the line holds `start..end`, plus the break's width
    /// if it is a penalty.
    pub end: usize,
    /// Glue adjustment: glue is set at `width + r·stretch` (r ≥ 0) or
    /// `width + r·shrink` (r < 0).
    pub glue_ratio: f64,
    /// Expansion: boxes are set at `width + e·expand`, `-1 ≤ e ≤ 1`.
    pub expand_ratio: f64,
    /// Protrusion taken at the left and right ends.
    pub protrusion: (Pt, Pt),
    /// The line ends in a hyphen break.
    pub hyphenated: bool,
    /// How far the line sticks out past the measure (zero if it fits).
    pub overfull: Pt,
    /// Badness of the line (0–10000).
    pub badness: f64,
}

/// Fitness classes (Knuth & Plass §"fitness"): very loose, loose, decent, tight.
fn fitness(r: f64) -> u8 {
    if r < -0.5 {
        3
    } else if r <= 0.5 {
        2
    } else if r <= 1.0 {
        1
    } else {
        0
    }
}

/// TeX's badness: 100·|r|³, capped at 10000 ("infinitely bad").
fn badness(r: f64) -> f64 {
    (100.0 * r.abs().powi(3)).min(INFINITY)
}

#[derive(Clone, Copy, Default)]
struct Sums {
    width: f64,
    stretch: f64,
    shrink: f64,
    expand: f64,
    fil: u32,
}

impl Sums {
    fn sub(self, o: Sums) -> Sums {
        Sums {
            width: self.width - o.width,
            stretch: self.stretch - o.stretch,
            shrink: self.shrink - o.shrink,
            expand: self.expand - o.expand,
            fil: self.fil - o.fil,
        }
    }
}

/// How the line between two breakpoints would be set: Knuth & Plass's
/// adjustment ratio and badness, with pdfTeX's expansion and protrusion.
#[derive(Clone, Copy)]
struct LineFit {
    /// Glue adjustment ratio (see [`Line::glue_ratio`]).
    glue_ratio: f64,
    /// Expansion ratio (see [`Line::expand_ratio`]).
    expand_ratio: f64,
    /// Protrusion taken at the left and right ends.
    protrusion: (f64, f64),
    /// How far the line sticks out past the measure.
    overfull: f64,
    /// Badness; above [`INFINITY`] for an overfull line.
    badness: f64,
    /// Fitness class (see [`fitness`]).
    fitness: u8,
}

impl LineFit {
    /// The empty line before the paragraph starts: decent, and costing nothing.
    const START: LineFit = LineFit {
        glue_ratio: 0.0,
        expand_ratio: 0.0,
        protrusion: (0.0, 0.0),
        overfull: 0.0,
        badness: 0.0,
        fitness: 2,
    };
}

/// A feasible breakpoint reached by some path (TeX's break node).
struct Node {
    /// Break position (item index); 0 for the paragraph start.
    pos: usize,
    /// Index of the first item of the line that starts here.
    start: usize,
    line: usize,
    hyphenated: bool,
    /// Hyphenated lines in a row ending here.
    hyphen_run: u8,
    demerits: f64,
    prev: Option<usize>,
    /// The line ending here, as measured when the node was made.
    fit: LineFit,
}
/// Breaks a paragraph into lines. The items must end with a forced break
/// (`Penalty` ≤ -[`INFINITY`]), normally after a `fil` glue; forced breaks
/// inside the paragraph (hard line breaks) are allowed too.
pub fn linebreak(items: &[Item], params: &Params) -> Vec<Line> {
    let prepared = Prepared::new(items);
    if params.pretolerance >= 0.0
        && let Some(lines) = prepared.run(params, Pass::First)
    {
        return lines;
    }
    if let Some(lines) = prepared.run(params, Pass::Second) {
        return lines;
    }
    prepared
        .run(params, Pass::Final)
        .expect("the final pass always finds breaks")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    First,
    Second,
    Final,
}

struct Prepared<'a> {
    items: &'a [Item],
    /// `sums[i]`: totals of items `0..i`.
    sums: Vec<Sums>,
    /// `start_of[i]`: first item of a line after a break at `i` (skips
    /// glue and penalties, as TeX discards them after a break).
    start_of: Vec<usize>,
    /// `left_prot[i]`: protrusion of the first box at or after `i`.
    left_prot: Vec<f64>,
    /// `right_prot[i]`: protrusion of the last box before `i`.
    right_prot: Vec<f64>,
}

impl<'a> Prepared<'a> {
    fn new(items: &'a [Item]) -> Self {
        let n = items.len();
        let mut sums = Vec::with_capacity(n + 1);
        let mut acc = Sums::default();
        sums.push(acc);
        let mut right_prot = Vec::with_capacity(n + 1);
        let mut last_right = 0.0;
        for item in items {
            right_prot.push(last_right);
            match *item {
                Item::Box {
                    width,
                    expand,
                    protrude_right,
                    ..
                } => {
                    acc.width += width.0;
                    acc.expand += expand.0;
                    last_right = protrude_right.0;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    fil,
                } => {
                    acc.width += width.0;
                    acc.stretch += stretch.0;
                    acc.shrink += shrink.0;
                    acc.fil += u32::from(fil);
                    last_right = 0.0;
                }
                Item::Penalty { .. } => {}
            }
            sums.push(acc);
        }
        right_prot.push(last_right);
        let mut start_of = vec![n; n + 1];
        let mut left_prot = vec![0.0; n + 1];
        let mut next_box = n;
        let mut next_left = 0.0;
        for i in (0..n).rev() {
            if let Item::Box { protrude_left, .. } = items[i] {
                next_box = i;
                next_left = protrude_left.0;
            }
            start_of[i] = next_box;
            left_prot[i] = next_left;
        }
        Prepared {
            items,
            sums,
            start_of,
            left_prot,
            right_prot,
        }
    }

    /// One pass over the paragraph: every legal breakpoint is tried against
    /// the active nodes (TeX's `try_break`, §829), the best ways to reach it
    /// become new active nodes, and the cheapest path to the last item is
    /// the answer. `None` if the pass runs out of active nodes.
    fn run(&self, params: &Params, pass: Pass) -> Option<Vec<Line>> {
        let rules = Rules::new(params, pass);
        let mut state = Active::new(self.start_of[0]);
        for b in 0..self.items.len() {
            let Some(brk) = self.breakpoint(b, pass) else {
                continue;
            };
            self.try_break(&rules, &brk, &mut state);
            if state.best.is_empty() {
                if state.active.is_empty() {
                    return None;
                }
                continue;
            }
            state.add_best(&brk, self.start_of[b + 1], params.adj_demerits);
        }
        let last = self.items.len().checked_sub(1)?;
        let chosen = state.choose(last, params.looseness)?;
        Some(state.lines(chosen))
    }

    /// The item at `b` as a legal breakpoint: a penalty that does not forbid
    /// a break, or glue after a box. The first pass skips hyphen breaks.
    fn breakpoint(&self, b: usize, pass: Pass) -> Option<Break> {
        let (penalty, flagged, width, protrude_right) = match self.items[b] {
            Item::Penalty {
                width,
                penalty,
                flagged,
                protrude_right,
            } if penalty < INFINITY => {
                if pass == Pass::First && flagged && penalty > -INFINITY {
                    return None;
                }
                (penalty, flagged, width.0, protrude_right.0)
            }
            Item::Glue { .. } if b > 0 && matches!(self.items[b - 1], Item::Box { .. }) => {
                (0.0, false, 0.0, self.right_prot[b])
            }
            _ => return None,
        };
        Some(Break {
            pos: b,
            penalty,
            flagged,
            width,
            protrude_right,
            forced: penalty <= -INFINITY,
        })
    }

    /// Tries a break at `brk` after every active node: remembers the best
    /// line to it per fitness class in `state.best`, and deactivates the
    /// nodes from which the line is already too long, or which a forced
    /// break cuts off.
    fn try_break(&self, rules: &Rules, brk: &Break, state: &mut Active) {
        let (params, pass) = (rules.params, rules.pass);
        let mut k = 0;
        while k < state.active.len() {
            let from = state.active[k];
            let a = &state.nodes[from];
            if a.start >= brk.pos {
                // Nothing but discardable items since that break.
                k += 1;
                continue;
            }
            let fit = self.measure_line(a.start, brk, rules);
            let too_long = fit.badness > INFINITY;
            // A break here after node `from`, with `d` more demerits.
            let candidate = |d: f64| Candidate {
                line: if rules.by_line { a.line + 1 } else { 0 },
                demerits: a.demerits + d,
                from,
                fit,
            };
            if too_long || brk.forced {
                // The node can reach no later break: deactivate it, but
                // in the final pass keep the paragraph going through it
                // if it is the last hope (TeX §854, artificial demerits).
                // The last hope is the last node still able to set a line
                // here: a node after which only discardable items come
                // (a trailing space) sets none, so it does not count.
                let artificial = too_long
                    && pass == Pass::Final
                    && state.best.is_empty()
                    && state.active[k + 1..]
                        .iter()
                        .all(|&n| state.nodes[n].start >= brk.pos);
                if artificial {
                    push_best(&mut state.best, candidate(0.0));
                } else if !too_long && fit.badness <= rules.threshold {
                    let d = demerits(params, brk, &fit, a);
                    push_best(&mut state.best, candidate(d));
                }
                state.active.remove(k);
                continue;
            }
            let ladder =
                brk.flagged && a.hyphen_run >= params.max_hyphen_run && pass != Pass::Final;
            if fit.badness <= rules.threshold && !ladder {
                let d = demerits(params, brk, &fit, a);
                push_best(&mut state.best, candidate(d));
            }
            k += 1;
        }
    }

    /// The line from the item `start` to the break `brk`: how much its glue
    /// and glyphs must stretch or shrink to fill the measure, widened by
    /// the protrusion at its ends, and its badness.
    fn measure_line(&self, start: usize, brk: &Break, rules: &Rules) -> LineFit {
        let params = rules.params;
        let line = self.sums[brk.pos].sub(self.sums[start]);
        let left = self.left_prot[start];
        let right = if brk.width > 0.0 {
            brk.protrude_right
        } else {
            self.right_prot[brk.pos]
        };
        let natural = line.width + brk.width;
        let available = params.measure.0 + left + right;
        let diff = available - natural;
        let (glue_ratio, expand_ratio, bad, overfull);
        if diff >= 0.0 {
            let stretch = line.stretch + line.expand + params.line_end_stretch.0 + rules.emergency;
            if line.fil > 0 {
                (glue_ratio, expand_ratio, bad) = (0.0, 0.0, 0.0);
            } else if stretch <= 0.0 {
                let r = if diff < 1e-6 { 0.0 } else { f64::INFINITY };
                (glue_ratio, expand_ratio, bad) = (r, 0.0, badness(r));
            } else {
                let r = diff / stretch;
                // Glyphs widen at the same ratio as the glue, up to
                // their limit; the glue takes the rest.
                let e = r.min(1.0);
                let rest = diff - e * line.expand;
                let g = if line.stretch > 0.0 {
                    rest / line.stretch
                } else {
                    0.0
                };
                (glue_ratio, expand_ratio, bad) = (g, e, badness(r));
            }
            overfull = 0.0;
        } else {
            let shrink = line.shrink + line.expand;
            let r = if shrink > 0.0 {
                diff / shrink
            } else {
                f64::NEG_INFINITY
            };
            if r >= -1.0 {
                (glue_ratio, expand_ratio, bad) = (r, r, badness(r));
                overfull = 0.0;
            } else {
                (glue_ratio, expand_ratio, bad) = (-1.0, -1.0, INFINITY + 1.0);
                overfull = -diff - shrink;
            }
        }
        let r_for_fitness = if bad > INFINITY {
            -1.0
        } else {
            diff_ratio(glue_ratio)
        };
        LineFit {
            glue_ratio,
            expand_ratio,
            protrusion: (left, right),
            overfull,
            badness: bad,
            fitness: fitness(r_for_fitness),
        }
    }
}

/// What one pass accepts.
struct Rules<'p> {
    params: &'p Params,
    pass: Pass,
    /// Highest badness of a feasible line.
    threshold: f64,
    /// Stretch added to every line (only in the final pass).
    emergency: f64,
    /// Keep nodes apart by line number, which only looseness needs
    /// (otherwise TeX's `easy_line`: all lines are alike).
    by_line: bool,
}

impl<'p> Rules<'p> {
    fn new(params: &'p Params, pass: Pass) -> Self {
        let threshold = match pass {
            Pass::First => params.pretolerance,
            Pass::Second => params.tolerance,
            // Any line that is not overfull: a loose line is a lesser evil
            // than one that runs into the margin.
            Pass::Final => f64::INFINITY,
        };
        let emergency = if pass == Pass::Final {
            params.emergency_stretch.0
        } else {
            0.0
        };
        Rules {
            params,
            pass,
            threshold,
            emergency,
            by_line: params.looseness != 0,
        }
    }
}

/// A legal breakpoint under consideration: what breaking there costs and
/// what it adds to the line that ends there.
struct Break {
    /// Item index.
    pos: usize,
    /// Penalty for breaking here (0 at glue).
    penalty: f64,
    /// A hyphen break.
    flagged: bool,
    /// Width added at the end of the line (a hyphen's).
    width: f64,
    /// How far that added material may hang into the right margin.
    protrude_right: f64,
    /// The break must be taken.
    forced: bool,
}

/// The best way found so far to reach the breakpoint under consideration
/// for one fitness class (and line number, if they are kept apart).
struct Candidate {
    /// Line number of the new line, or 0 when line numbers do not matter.
    line: usize,
    /// Total demerits of the path through `from` to the breakpoint.
    demerits: f64,
    /// The node the line starts at.
    from: usize,
    /// The line from `from` to the breakpoint.
    fit: LineFit,
}

/// The breaker's bookkeeping during one pass (TeX's active and passive
/// lists, §819–821, with `minimal_demerits` per fitness class, §833).
struct Active {
    /// Every node made in this pass: the arena that `Node::prev` points
    /// into, so that the chosen path can be recovered at the end.
    nodes: Vec<Node>,
    /// The nodes a line may still start from, in the order they were made.
    active: Vec<usize>,
    /// The best candidates for the breakpoint under consideration, per
    /// fitness class and line; empty between breakpoints.
    best: Vec<Candidate>,
}

impl Active {
    /// The state at the start of the paragraph: one active node, before
    /// the first item `start`.
    fn new(start: usize) -> Self {
        Active {
            nodes: vec![Node {
                pos: 0,
                start,
                line: 0,
                hyphenated: false,
                hyphen_run: 0,
                demerits: 0.0,
                prev: None,
                fit: LineFit::START,
            }],
            active: vec![0],
            best: Vec::new(),
        }
    }

    /// Makes the best candidates for the break `brk` active nodes, the
    /// next line starting at item `start`. TeX keeps only classes within
    /// `adj_demerits` of the best one (§855): the others can never win.
    fn add_best(&mut self, brk: &Break, start: usize, adj_demerits: f64) {
        let min = self
            .best
            .iter()
            .map(|c| c.demerits)
            .fold(f64::INFINITY, f64::min);
        for c in self.best.drain(..) {
            if c.demerits > min + adj_demerits && !brk.forced {
                continue;
            }
            let from = &self.nodes[c.from];
            let node = Node {
                pos: brk.pos,
                start,
                line: from.line + 1,
                hyphenated: brk.flagged,
                hyphen_run: if brk.flagged {
                    from.hyphen_run.saturating_add(1)
                } else {
                    0
                },
                demerits: c.demerits,
                prev: Some(c.from),
                fit: c.fit,
            };
            self.nodes.push(node);
            self.active.push(self.nodes.len() - 1);
        }
    }

    /// The active node at the final break `last` with the fewest demerits
    /// (TeX §873), or, with a `looseness`, the one whose line count is
    /// nearest the optimum's plus the looseness (§875).
    fn choose(&self, last: usize, looseness: i32) -> Option<usize> {
        let nodes = &self.nodes;
        let finals: Vec<usize> = self
            .active
            .iter()
            .copied()
            .filter(|&i| nodes[i].pos == last)
            .collect();
        let best = *finals
            .iter()
            .min_by(|&&x, &&y| nodes[x].demerits.total_cmp(&nodes[y].demerits))?;
        if looseness == 0 {
            return Some(best);
        }
        let target = nodes[best].line as i64 + i64::from(looseness);
        let chosen = finals
            .iter()
            .min_by(|&&x, &&y| {
                let dx = (nodes[x].line as i64 - target).abs();
                let dy = (nodes[y].line as i64 - target).abs();
                dx.cmp(&dy)
                    .then(nodes[x].demerits.total_cmp(&nodes[y].demerits))
            })
            .unwrap_or(&best);
        Some(*chosen)
    }

    /// The lines of the path that ends at node `chosen`, first to last.
    fn lines(&self, chosen: usize) -> Vec<Line> {
        let nodes = &self.nodes;
        let mut lines = Vec::new();
        let mut cur = chosen;
        while let Some(prev) = nodes[cur].prev {
            let n = &nodes[cur];
            lines.push(Line {
                start: nodes[prev].start,
                end: n.pos,
                glue_ratio: n.fit.glue_ratio,
                expand_ratio: n.fit.expand_ratio,
                protrusion: (Pt(n.fit.protrusion.0), Pt(n.fit.protrusion.1)),
                hyphenated: n.hyphenated,
                overfull: Pt(n.fit.overfull),
                badness: n.fit.badness,
            });
            cur = prev;
        }
        lines.reverse();
        lines
    }
}

fn diff_ratio(r: f64) -> f64 {
    if r.is_finite() { r } else { 10.0 }
}

/// Keeps `c` if it is the cheapest candidate so far for its fitness class
/// and line.
fn push_best(best: &mut Vec<Candidate>, c: Candidate) {
    let same = |o: &&mut Candidate| o.fit.fitness == c.fit.fitness && o.line == c.line;
    match best.iter_mut().find(same) {
        Some(o) if o.demerits <= c.demerits => {}
        Some(o) => *o = c,
        None => best.push(c),
    }
}

/// Demerits of the line `fit` from the node `from` to the break `brk`
/// (Knuth & Plass, eq. for d; TeX §859): the square of line penalty plus
/// badness, plus (or minus) the square of the penalty, plus the extra
/// demerits for hyphens and clashing fitness classes.
fn demerits(params: &Params, brk: &Break, fit: &LineFit, from: &Node) -> f64 {
    let base = (params.line_penalty + fit.badness.min(INFINITY)).powi(2);
    let penalty = brk.penalty;
    let mut d = if penalty >= 0.0 {
        base + penalty * penalty
    } else if penalty > -INFINITY {
        base - penalty * penalty
    } else {
        base
    };
    if brk.flagged && from.hyphenated {
        d += params.double_hyphen_demerits;
    }
    if brk.forced && from.hyphenated {
        d += params.final_hyphen_demerits;
    }
    if fit.fitness.abs_diff(from.fit.fitness) > 1 {
        d += params.adj_demerits;
    }
    d
}

#[cfg(test)]
mod tests;
