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

struct Node {
    /// Break position (item index); 0 for the paragraph start.
    pos: usize,
    /// Index of the first item of the line that starts here.
    start: usize,
    line: usize,
    fitness: u8,
    hyphenated: bool,
    /// Hyphenated lines in a row ending here.
    hyphen_run: u8,
    demerits: f64,
    prev: Option<usize>,
    /// The line ending here, as measured when the node was made.
    glue_ratio: f64,
    expand_ratio: f64,
    protrusion: (f64, f64),
    overfull: f64,
    badness: f64,
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

    fn run(&self, params: &Params, pass: Pass) -> Option<Vec<Line>> {
        let items = self.items;
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
        let measure = params.measure.0;
        let mut nodes: Vec<Node> = vec![Node {
            pos: 0,
            start: self.start_of[0],
            line: 0,
            fitness: 2,
            hyphenated: false,
            hyphen_run: 0,
            demerits: 0.0,
            prev: None,
            glue_ratio: 0.0,
            expand_ratio: 0.0,
            protrusion: (0.0, 0.0),
            overfull: 0.0,
            badness: 0.0,
        }];
        let mut active: Vec<usize> = vec![0];
        // Keep nodes apart by line number only when looseness needs it
        // (TeX's `easy_line`).
        let by_line = params.looseness != 0;

        for (b, item) in items.iter().enumerate() {
            let (penalty, flagged, break_width, break_prot) = match *item {
                Item::Penalty {
                    width,
                    penalty,
                    flagged,
                    protrude_right,
                } if penalty < INFINITY => {
                    if pass == Pass::First && flagged && penalty > -INFINITY {
                        continue;
                    }
                    (penalty, flagged, width.0, protrude_right.0)
                }
                Item::Glue { .. } if b > 0 && matches!(items[b - 1], Item::Box { .. }) => {
                    (0.0, false, 0.0, self.right_prot[b])
                }
                _ => continue,
            };
            let forced = penalty <= -INFINITY;
            // Candidates for a new node at b: best per (fitness, line).
            let mut best: Vec<Candidate> = Vec::new();
            let mut k = 0;
            while k < active.len() {
                let a = &nodes[active[k]];
                if a.start >= b {
                    // Nothing but discardable items since that break.
                    k += 1;
                    continue;
                }
                let line = self.sums[b].sub(self.sums[a.start]);
                let left = self.left_prot[a.start];
                let right = if break_width > 0.0 {
                    break_prot
                } else {
                    self.right_prot[b]
                };
                let natural = line.width + break_width;
                let available = measure + left + right;
                let diff = available - natural;
                let (glue_ratio, expand_ratio, bad, overfull);
                if diff >= 0.0 {
                    let stretch =
                        line.stretch + line.expand + params.line_end_stretch.0 + emergency;
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
                let ladder =
                    flagged && a.hyphen_run >= params.max_hyphen_run && pass != Pass::Final;
                let r_for_fitness = if bad > INFINITY {
                    -1.0
                } else {
                    diff_ratio(glue_ratio)
                };
                let too_long = bad > INFINITY;
                let fit = fitness(r_for_fitness);
                let line_number = if by_line { a.line + 1 } else { 0 };
                // A break here after node `k`, with `d` more demerits.
                let candidate = |d: f64| {
                    (
                        fit,
                        line_number,
                        a.demerits + d,
                        active[k],
                        glue_ratio,
                        expand_ratio,
                        (left, right),
                        overfull,
                        bad,
                    )
                };
                if too_long || forced {
                    // The node can reach no later break: deactivate it, but
                    // in the final pass keep the paragraph going through it
                    // if it is the last hope (TeX §854, artificial demerits).
                    let artificial =
                        too_long && pass == Pass::Final && best.is_empty() && active.len() == 1;
                    if artificial {
                        push_best(&mut best, candidate(0.0));
                    } else if !too_long && bad <= threshold {
                        let d = demerits(params, bad, penalty, flagged, a, fit, forced, &nodes);
                        push_best(&mut best, candidate(d));
                    }
                    active.remove(k);
                    continue;
                }
                if bad <= threshold && !ladder {
                    let d = demerits(params, bad, penalty, flagged, a, fit, forced, &nodes);
                    push_best(&mut best, candidate(d));
                }
                k += 1;
            }
            if best.is_empty() {
                if active.is_empty() {
                    return None;
                }
                continue;
            }
            // TeX keeps only classes within `adj_demerits` of the best one
            // (§855): the others can never win.
            let min = best.iter().map(|c| c.2).fold(f64::INFINITY, f64::min);
            for (fit, _, total, from, g, e, prot, over, bad) in best {
                if total > min + params.adj_demerits && !forced {
                    continue;
                }
                let line = nodes[from].line + 1;
                nodes.push(Node {
                    pos: b,
                    start: self.start_of[b + 1],
                    line,
                    fitness: fit,
                    hyphenated: flagged,
                    hyphen_run: if flagged {
                        nodes[from].hyphen_run.saturating_add(1)
                    } else {
                        0
                    },
                    demerits: total,
                    prev: Some(from),
                    glue_ratio: g,
                    expand_ratio: e,
                    protrusion: prot,
                    overfull: over,
                    badness: bad,
                });
                active.push(nodes.len() - 1);
            }
        }
        // The best node at the final break (the last item).
        let last = items.len().checked_sub(1)?;
        let finals: Vec<usize> = active
            .iter()
            .copied()
            .filter(|&i| nodes[i].pos == last)
            .collect();
        let best = *finals
            .iter()
            .min_by(|&&x, &&y| nodes[x].demerits.total_cmp(&nodes[y].demerits))?;
        let chosen = if params.looseness != 0 {
            let target = nodes[best].line as i64 + i64::from(params.looseness);
            *finals
                .iter()
                .min_by(|&&x, &&y| {
                    let dx = (nodes[x].line as i64 - target).abs();
                    let dy = (nodes[y].line as i64 - target).abs();
                    dx.cmp(&dy)
                        .then(nodes[x].demerits.total_cmp(&nodes[y].demerits))
                })
                .unwrap_or(&best)
        } else {
            best
        };
        let mut lines = Vec::new();
        let mut cur = chosen;
        while let Some(prev) = nodes[cur].prev {
            let n = &nodes[cur];
            lines.push(Line {
                start: nodes[prev].start,
                end: n.pos,
                glue_ratio: n.glue_ratio,
                expand_ratio: n.expand_ratio,
                protrusion: (Pt(n.protrusion.0), Pt(n.protrusion.1)),
                hyphenated: n.hyphenated,
                overfull: Pt(n.overfull),
                badness: n.badness,
            });
            cur = prev;
        }
        lines.reverse();
        Some(lines)
    }
}

fn diff_ratio(r: f64) -> f64 {
    if r.is_finite() { r } else { 10.0 }
}

type Candidate = (u8, usize, f64, usize, f64, f64, (f64, f64), f64, f64);

fn push_best(best: &mut Vec<Candidate>, c: Candidate) {
    match best.iter_mut().find(|o| o.0 == c.0 && o.1 == c.1) {
        Some(o) if o.2 <= c.2 => {}
        Some(o) => *o = c,
        None => best.push(c),
    }
}

/// Demerits of a line (Knuth & Plass, eq. for d; TeX §859): the square of
/// line penalty plus badness, plus (or minus) the square of the penalty,
/// plus the extra demerits for hyphens and clashing fitness classes.
#[allow(clippy::too_many_arguments)]
fn demerits(
    params: &Params,
    bad: f64,
    penalty: f64,
    flagged: bool,
    from: &Node,
    fit: u8,
    forced: bool,
    _nodes: &[Node],
) -> f64 {
    let base = (params.line_penalty + bad.min(INFINITY)).powi(2);
    let mut d = if penalty >= 0.0 {
        base + penalty * penalty
    } else if penalty > -INFINITY {
        base - penalty * penalty
    } else {
        base
    };
    if flagged && from.hyphenated {
        d += params.double_hyphen_demerits;
    }
    if forced && from.hyphenated {
        d += params.final_hyphen_demerits;
    }
    if fit.abs_diff(from.fitness) > 1 {
        d += params.adj_demerits;
    }
    d
}

#[cfg(test)]
mod tests;
