//! Tables: columns as wide as the source's relative widths say (pandoc's
//! multiline and grid tables, wide simple tables: fractions of the measure,
//! as pandoc's LaTeX writer gives `p{}` columns), else at their natural
//! widths when they fit, else sharing the measure; each cell's lines set
//! flush left, right or centred in its column as the column's alignment
//! says; a bold header row kept with the first row and ruled off below.

use std::rc::Rc;

use super::{Builder, Frame, Place, set_tag};
use crate::doc::{Align, Inline};
use crate::typeset::galley::Flow;
use crate::typeset::inline::{ParStyle, SetLine, Token};
use crate::typeset::page::{Pt, TagKind};

/// A row of cells, and whether it is the header row.
type Row<'b> = (&'b [Vec<Inline>], bool);

impl Builder<'_, '_> {
    /// Sets a table of a `head` row and body `rows`, its columns `widths`
    /// of the measure when given (one per column).
    pub(super) fn table(
        &mut self,
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        align: &[Align],
        widths: &[f32],
        frame: &Frame,
    ) {
        let size = frame.size * 0.9;
        let tframe = Frame {
            size,
            leading: frame.leading * 0.9,
            justify: false,
            ..*frame
        };
        let ncols = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let gap = size;
        let all_rows: Vec<Row<'_>> = std::iter::once((head, true))
            .chain(rows.iter().map(|r| (r.as_slice(), false)))
            .collect();
        let avail = frame.measure - gap * (ncols as f64 - 1.0);
        let widths = match given_widths(widths, ncols, avail) {
            Some(given) => {
                let words = self.widest_words(&all_rows, ncols, &tframe);
                fit_words(given, &words, avail)
            }
            None => {
                let natural = self.natural_widths(&all_rows, ncols, &tframe);
                column_widths(natural, avail)
            }
        };
        self.flow.push(Flow::Space(frame.leading * 0.5));
        let rule_width = widths.iter().copied().sum::<Pt>() + gap * (ncols as f64 - 1.0);
        self.open(TagKind::Table);
        for (row, is_head) in all_rows {
            if row.is_empty() {
                continue;
            }
            let merged = self.table_row(row, is_head, align, &widths, gap, &tframe);
            let at = Place {
                keep: is_head,
                ..Place::new(frame.x, tframe.leading, size)
            };
            self.push_lines(merged, at, None, None, None);
            if is_head {
                self.flow.push(Flow::Space(tframe.leading * 0.3));
                // The rule spans the table, which stands flush left.
                self.flow.push(Flow::Rule {
                    x: frame.x,
                    width: rule_width,
                });
                self.flow.push(Flow::Space(tframe.leading * 0.2));
            }
        }
        self.close();
        self.flow.push(Flow::Space(frame.leading * 0.5));
    }

    /// Natural width of each column: its widest cell on one line.
    fn natural_widths(&mut self, rows: &[Row<'_>], ncols: usize, tframe: &Frame) -> Vec<Pt> {
        self.widest_lines(rows, ncols, tframe, false)
    }

    /// Each column's widest word (its cells set a word to a line), the
    /// least it can be set in without breaking a word.
    fn widest_words(&mut self, rows: &[Row<'_>], ncols: usize, tframe: &Frame) -> Vec<Pt> {
        self.widest_lines(rows, ncols, tframe, true)
    }

    /// Each column's widest line, its cells set unbroken (or, with
    /// `by_word`, a word to a line and half a point to spare), header
    /// cells in bold.
    fn widest_lines(
        &mut self,
        rows: &[Row<'_>],
        ncols: usize,
        tframe: &Frame,
        by_word: bool,
    ) -> Vec<Pt> {
        let par = ParStyle {
            measure: Pt(1e5),
            indent: Pt::ZERO,
            justify: false,
            center: false,
            hyphenate: false,
            looseness: 0,
        };
        let mut widest = vec![Pt::ZERO; ncols];
        for (row, is_head) in rows {
            for (c, cell) in row.iter().enumerate() {
                let mut tokens = self.tokens(cell, tframe, false);
                if *is_head {
                    embolden(&mut tokens);
                }
                if by_word {
                    tokens = word_per_line(tokens);
                }
                let lines = self.inline.layout(&tokens, &par, self.warnings);
                let spare = if by_word { Pt(0.5) } else { Pt::ZERO };
                let w = lines.iter().map(line_width).fold(Pt::ZERO, Pt::max) + spare;
                widest[c] = widest[c].max(w);
            }
        }
        widest
    }

    /// Sets one row's cells in their columns and merges them into lines
    /// across the table, tagged as a row of (header) cells.
    fn table_row(
        &mut self,
        row: &[Vec<Inline>],
        is_head: bool,
        align: &[Align],
        widths: &[Pt],
        gap: Pt,
        tframe: &Frame,
    ) -> Vec<SetLine> {
        self.open(TagKind::TableRow);
        let mut cells: Vec<Vec<SetLine>> = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            let mut tokens = self.tokens(cell, tframe, true);
            if is_head {
                embolden(&mut tokens);
            }
            let par = ParStyle {
                measure: widths[c],
                indent: Pt::ZERO,
                justify: false,
                center: false,
                hyphenate: true,
                looseness: 0,
            };
            let mut lines = self.inline.layout(&tokens, &par, self.warnings);
            let tag = self.tag(if is_head {
                TagKind::HeaderCell
            } else {
                TagKind::Cell
            });
            set_tag(&mut lines, &tag);
            let align = align.get(c).copied().unwrap_or(Align::None);
            for line in &mut lines {
                line.shift(offset(align, widths[c], line_width(line)));
            }
            cells.push(lines);
        }
        self.close();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0);
        let mut merged = Vec::with_capacity(height);
        for k in 0..height {
            let mut line = SetLine::default();
            let mut x = Pt::ZERO;
            for (c, cell) in cells.iter().enumerate() {
                if let Some(l) = cell.get(k) {
                    line.append(l, x);
                }
                x += widths[c] + gap;
            }
            merged.push(line);
        }
        merged
    }
}

/// The tokens with a forced break at each space, so each line holds a word.
fn word_per_line(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    for token in tokens {
        match token {
            Token::Text {
                text,
                style,
                span,
                note,
            } if text.contains(char::is_whitespace) => {
                for (k, word) in text.split(char::is_whitespace).enumerate() {
                    if k > 0 {
                        out.push(Token::LineBreak);
                    }
                    if !word.is_empty() {
                        out.push(Token::Text {
                            text: word.to_string(),
                            style: style.clone(),
                            span,
                            note,
                        });
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The `given` widths with each column widened to its widest word where
/// they all fit in `avail` so, what a column gains taken from the others'
/// room over their own widest words; else `given` as it is.
fn fit_words(given: Vec<Pt>, words: &[Pt], avail: Pt) -> Vec<Pt> {
    let floor: Vec<Pt> = given.iter().zip(words).map(|(g, w)| g.max(*w)).collect();
    let need: Pt = floor.iter().copied().sum::<Pt>() - given.iter().copied().sum::<Pt>();
    if need <= Pt::ZERO {
        return given;
    }
    let spare: Pt = given
        .iter()
        .zip(words)
        .map(|(g, w)| (*g - *w).max(Pt::ZERO))
        .sum();
    // Take `need` from the columns with room, in proportion to their room
    // (any beyond it comes out of the measure the table leaves over).
    let from_others = need.min(spare);
    let fitted: Vec<Pt> = given
        .iter()
        .zip(words)
        .map(|(g, w)| {
            if *g < *w {
                *w
            } else if spare > Pt::ZERO {
                *g - from_others * ((*g - *w).0 / spare.0)
            } else {
                *g
            }
        })
        .collect();
    if fitted.iter().copied().sum::<Pt>() > avail + Pt(1e-6) {
        return given;
    }
    fitted
}

/// Sets a header cell's words in bold.
fn embolden(tokens: &mut [Token]) {
    for t in tokens {
        if let Token::Text { style, .. } = t {
            let mut s = (**style).clone();
            s.variant.bold = true;
            *style = Rc::new(s);
        }
    }
}

/// Where a set line's ink ends.
fn line_width(line: &SetLine) -> Pt {
    line.runs
        .iter()
        .map(|r| r.origin.x + r.width())
        .fold(Pt::ZERO, Pt::max)
}

/// How far right a line `used` wide goes in a column `width` wide, as the
/// column's alignment says (none and left: flush left).
fn offset(align: Align, width: Pt, used: Pt) -> Pt {
    let room = (width - used).max(Pt::ZERO);
    match align {
        Align::Right => room,
        Align::Center => room * 0.5,
        Align::None | Align::Left => Pt::ZERO,
    }
}

/// The columns' widths from the source's `fractions` of the space the
/// columns share, when there is one for each column and they are sane
/// (finite, positive, at most the whole in sum, as `doc::Block::Table` has
/// them); `None` otherwise.
fn given_widths(fractions: &[f32], ncols: usize, avail: Pt) -> Option<Vec<Pt>> {
    let sane = fractions.len() == ncols
        && fractions.iter().all(|f| f.is_finite() && *f > 0.0)
        && fractions.iter().sum::<f32>() <= 1.0 + 1e-3;
    sane.then(|| fractions.iter().map(|&f| avail * f64::from(f)).collect())
}

/// The columns' widths: their `natural` widths if they fit in `avail`,
/// else shares of it in proportion to the square root of the natural
/// widths, so one long column does not starve the others; a column whose
/// natural width is within its share keeps that width, and what it leaves
/// is shared among the others (so a column of short words is never set
/// narrower than they are because a long one is there).
fn column_widths(natural: Vec<Pt>, avail: Pt) -> Vec<Pt> {
    let total: Pt = natural.iter().copied().sum();
    if total <= avail {
        return natural;
    }
    let mut fixed = vec![false; natural.len()];
    loop {
        let kept: Pt = natural
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| **f)
            .map(|(w, _)| *w)
            .sum();
        let room = (avail - kept).max(Pt::ZERO);
        let weight = |w: Pt| w.0.max(1.0).sqrt();
        let sum: f64 = natural
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| !**f)
            .map(|(w, _)| weight(*w))
            .sum();
        let share = |w: Pt| room * (weight(w) / sum.max(1e-9));
        let mut changed = false;
        for (c, w) in natural.iter().enumerate() {
            if !fixed[c] && *w <= share(*w) {
                fixed[c] = true;
                changed = true;
            }
        }
        if !changed || fixed.iter().all(|f| *f) {
            return natural
                .iter()
                .zip(&fixed)
                .map(|(w, f)| if *f { *w } else { share(*w) })
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Align, column_widths, fit_words, given_widths, offset};
    use crate::typeset::page::Pt;

    #[test]
    fn given_fractions_share_the_measure() {
        let w = given_widths(&[0.25, 0.5], 2, Pt(400.0)).expect("sane");
        assert_eq!(w, vec![Pt(100.0), Pt(200.0)]);
        // One fraction per column, none negative, at most the whole.
        assert!(given_widths(&[0.5], 2, Pt(400.0)).is_none());
        assert!(given_widths(&[0.5, -0.1], 2, Pt(400.0)).is_none());
        assert!(given_widths(&[0.9, 0.9], 2, Pt(400.0)).is_none());
        assert!(given_widths(&[], 2, Pt(400.0)).is_none());
    }

    #[test]
    fn a_narrow_given_column_is_widened_to_its_widest_word() {
        // The second column's word needs 30 of its 20; the first has 40 of
        // room over its own widest word and gives the 10.
        let w = fit_words(vec![Pt(60.0), Pt(20.0)], &[Pt(20.0), Pt(30.0)], Pt(100.0));
        assert_eq!(w, vec![Pt(50.0), Pt(30.0)]);
        // Words that fit: the given widths as they are.
        let w = fit_words(vec![Pt(60.0), Pt(40.0)], &[Pt(20.0), Pt(30.0)], Pt(100.0));
        assert_eq!(w, vec![Pt(60.0), Pt(40.0)]);
        // Words that cannot all fit: the given widths too.
        let w = fit_words(vec![Pt(50.0), Pt(50.0)], &[Pt(80.0), Pt(80.0)], Pt(100.0));
        assert_eq!(w, vec![Pt(50.0), Pt(50.0)]);
    }

    #[test]
    fn cells_lines_sit_as_their_column_aligns() {
        let (w, used) = (Pt(100.0), Pt(40.0));
        assert_eq!(offset(Align::Right, w, used), Pt(60.0));
        assert_eq!(offset(Align::Center, w, used), Pt(30.0));
        assert_eq!(offset(Align::Left, w, used), Pt::ZERO);
        assert_eq!(offset(Align::None, w, used), Pt::ZERO);
        // A line wider than its column is not pushed left.
        assert_eq!(offset(Align::Right, w, Pt(120.0)), Pt::ZERO);
    }

    #[test]
    fn natural_widths_kept_when_they_fit() {
        let w = column_widths(vec![Pt(10.0), Pt(20.0)], Pt(100.0));
        assert_eq!(w, vec![Pt(10.0), Pt(20.0)]);
        let w = column_widths(vec![Pt(100.0), Pt(100.0)], Pt(100.0));
        assert_eq!(w, vec![Pt(50.0), Pt(50.0)]);
        // A short column keeps its width beside a long one; the long one
        // takes the rest.
        let w = column_widths(vec![Pt(20.0), Pt(400.0)], Pt(200.0));
        assert_eq!(w, vec![Pt(20.0), Pt(180.0)]);
    }
}
