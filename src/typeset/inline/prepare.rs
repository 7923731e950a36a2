//! Preparing a paragraph for the line breaker: its tokens are cut into
//! words at breakable spaces, each word into fragments at its break points
//! (from `hyphenate.rs`), and each fragment is shaped; a fragment becomes a
//! box, each break point a penalty, each space a glue (Knuth & Plass's
//! boxes, glue and penalties). Beside every item goes what it came from, so
//! that `line.rs` can set the line.

use std::ops::Range;
use std::rc::Rc;

use super::{InlineLayout, ParStyle, Role, TextStyle, Token};
use crate::diag::{Diagnostic, Warnings};
use crate::doc::NoteId;
use crate::source::Span;
use crate::typeset::fonts::FaceId;
use crate::typeset::hyphenate::{BreakKind, WordBreak};
use crate::typeset::linebreak::{INFINITY, Item as KpItem};
use crate::typeset::page::Pt;
use crate::typeset::shape::ShapedText;

/// A paragraph as the line breaker sees it: its items, and beside each
/// (same index) what it came from.
#[derive(Default)]
pub(super) struct Items {
    pub(super) items: Vec<KpItem>,
    pub(super) sources: Vec<Source>,
}

impl Items {
    pub(super) fn len(&self) -> usize {
        self.items.len()
    }

    fn push(&mut self, item: KpItem, source: Source) {
        self.items.push(item);
        self.sources.push(source);
    }

    /// Whether nothing has been set since the paragraph began or since its
    /// last forced break.
    fn ends_line(&self) -> bool {
        match self.items.last() {
            None => true,
            Some(KpItem::Penalty { penalty, .. }) => *penalty <= -INFINITY,
            Some(_) => false,
        }
    }

    /// Ends a line or the paragraph as TeX's \parfillskip does: no break
    /// before it, then infinite stretch, then a forced break.
    fn push_end(&mut self) {
        self.push(
            KpItem::Penalty {
                width: Pt::ZERO,
                penalty: INFINITY,
                flagged: false,
                protrude_right: Pt::ZERO,
            },
            Source::Other,
        );
        self.push(
            KpItem::Glue {
                width: Pt::ZERO,
                stretch: Pt::ZERO,
                shrink: Pt::ZERO,
                fil: true,
            },
            Source::Other,
        );
        self.push(
            KpItem::Penalty {
                width: Pt::ZERO,
                penalty: -INFINITY,
                flagged: false,
                protrude_right: Pt::ZERO,
            },
            Source::Other,
        );
    }
}

/// What a Knuth–Plass item came from.
pub(super) enum Source {
    /// A word fragment's box.
    Frag(Frag),
    /// A space's glue, set with the space glyph of `face`.
    Space { face: FaceId },
    /// A hyphen break, whose hyphen is set in `style` and `face`.
    Hyphen { style: Rc<TextStyle>, face: FaceId },
    /// Nothing to set (an indent, the end of a line, an emergency break).
    Other,
}

/// A word fragment: its text in one or more styles, shaped.
pub(super) struct Frag {
    pub(super) parts: Vec<FragPart>,
}

/// The part of a fragment in one style and one face.
pub(super) struct FragPart {
    pub(super) shaped: Rc<ShapedText>,
    pub(super) style: Rc<TextStyle>,
    pub(super) span: Span,
    /// Byte offset of the part's text in its source text node.
    pub(super) offset: u32,
    pub(super) note: Option<NoteId>,
}

/// A piece of a word in one style: its text, the source text node it comes
/// from and the byte offset of the piece in that node's text.
struct WordPiece {
    style: Rc<TextStyle>,
    text: String,
    span: Span,
    note: Option<NoteId>,
    offset: u32,
}

/// The word being collected from the tokens, and the style of the space
/// before it, if there is one.
#[derive(Default)]
struct Word {
    pieces: Vec<WordPiece>,
    space_before: Option<Rc<TextStyle>>,
}

/// A whole word's text, with the byte range of each of its pieces in it.
struct WordText<'w> {
    pieces: &'w [WordPiece],
    text: String,
    bounds: Vec<(usize, usize)>,
}

impl<'w> WordText<'w> {
    fn new(pieces: &'w [WordPiece]) -> Self {
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        let mut bounds = Vec::with_capacity(pieces.len());
        let mut at = 0;
        for p in pieces {
            bounds.push((at, at + p.text.len()));
            at += p.text.len();
        }
        WordText {
            pieces,
            text,
            bounds,
        }
    }
}

/// How far a character may hang into the margin, as a fraction of its
/// advance: (left, right). Full stops and commas hang most because they
/// are small and leave a visible dent; hyphens a little over half; colons
/// and semicolons less (they are taller); dashes little (they are wide).
/// The right-side values are Typst's (`typst-layout`, `inline/shaping.rs`,
/// `overhang`), close to microtype's defaults; quotes follow microtype
/// (Hàn Thế Thành 2000, ch. 3; the `microtype` package's `default` set).
fn protrusion(c: char) -> (f64, f64) {
    match c {
        '.' | ',' => (0.0, 0.8),
        '-' | '\u{AD}' | '\u{2010}' => (0.0, 0.55),
        ':' | ';' => (0.0, 0.3),
        '–' | '—' => (0.0, 0.2),
        '!' | '?' => (0.0, 0.2),
        '’' | '”' | '\'' | '"' => (0.0, 0.5),
        '‘' | '“' => (0.5, 0.0),
        _ => (0.0, 0.0),
    }
}

/// The cost of breaking inside a word that is wider than the line, where
/// it has no break point. Half of [`INFINITY`]: dearer than any hyphen or
/// loose line, so such a break is only taken where nothing else fits, yet
/// finite, so the breaker prefers it to a line that sticks out of the page.
const EMERGENCY_PENALTY: f64 = INFINITY / 2.0;

impl InlineLayout<'_> {
    /// The items of the paragraph `tokens` set with `par`.
    pub(super) fn items(
        &mut self,
        tokens: &[Token],
        par: &ParStyle,
        warnings: &mut Warnings,
    ) -> Items {
        let mut out = Items::default();
        if par.indent > Pt::ZERO {
            let indent = KpItem::Box {
                width: par.indent,
                expand: Pt::ZERO,
                protrude_left: Pt::ZERO,
                protrude_right: Pt::ZERO,
            };
            out.push(indent, Source::Other);
        }
        let mut word = Word::default();
        for token in tokens {
            match token {
                Token::Text {
                    text,
                    style,
                    span,
                    note,
                } => {
                    // Words are the runs between breakable spaces; each keeps
                    // its byte offset in the text node (for page-list places).
                    let piece = |range: Range<usize>| WordPiece {
                        style: style.clone(),
                        text: text[range.clone()].to_string(),
                        span: *span,
                        note: *note,
                        offset: range.start as u32,
                    };
                    let mut start = 0;
                    let spaces = text
                        .char_indices()
                        .filter(|&(_, c)| crate::hyphenate::is_breaking_space(c));
                    for (i, _) in spaces {
                        if i > start {
                            word.pieces.push(piece(start..i));
                        }
                        self.end_word(&mut word, par, &mut out, warnings);
                        word.space_before = Some(style.clone());
                        start = i + 1;
                    }
                    if start < text.len() {
                        word.pieces.push(piece(start..text.len()));
                    }
                }
                Token::LineBreak => {
                    self.end_word(&mut word, par, &mut out, warnings);
                    word.space_before = None;
                    // Breaks with nothing set since the last one (at the
                    // start, or twice in a row) would make empty lines the
                    // breaker cannot start: one break is enough.
                    if !out.ends_line() {
                        out.push_end();
                    }
                }
            }
        }
        self.end_word(&mut word, par, &mut out, warnings);
        // A hard line break as the last thing of the paragraph (CommonMark
        // keeps one inside a link or emphasis) has ended it already; a
        // second end after it would leave the breaker an empty last line
        // with no box to start it. An empty paragraph still gets its end.
        if !out.ends_line() || out.items.is_empty() {
            out.push_end();
        }
        out
    }

    /// Adds the word collected so far, after its space (none at the start
    /// of a line), and starts a new one.
    fn end_word(
        &mut self,
        word: &mut Word,
        par: &ParStyle,
        out: &mut Items,
        warnings: &mut Warnings,
    ) {
        if word.pieces.is_empty() {
            return;
        }
        if let Some(style) = word.space_before.take()
            && !out.items.is_empty()
            && !matches!(out.sources.last(), Some(Source::Other) | None)
        {
            self.push_space(&style, par, out);
        }
        self.push_word(&word.pieces, par, out, warnings);
        word.pieces.clear();
    }

    fn push_space(&mut self, style: &Rc<TextStyle>, par: &ParStyle, out: &mut Items) {
        let chain = self.chain(style.role, style.variant);
        let face = chain[0];
        let (_, adv) = self.space(face);
        let width = style.size * adv;
        // TeX's Computer Modern proportions: a space may stretch by half and
        // shrink by a third of its width. Ragged lines keep spaces fixed.
        let (stretch, shrink) = if par.justify && !par.center {
            (width / 2.0, width / 3.0)
        } else {
            (Pt::ZERO, Pt::ZERO)
        };
        let glue = KpItem::Glue {
            width,
            stretch,
            shrink,
            fil: false,
        };
        out.push(glue, Source::Space { face });
    }

    /// Adds a word: its fragments between its break points, with a penalty
    /// at each break point.
    fn push_word(
        &mut self,
        pieces: &[WordPiece],
        par: &ParStyle,
        out: &mut Items,
        warnings: &mut Warnings,
    ) {
        let word = WordText::new(pieces);
        let auto = par.hyphenate && pieces.iter().all(|p| p.style.hyphenate && p.note.is_none());
        let breaks = self.hyphenator.breaks(&word.text, auto);
        let mut cuts: Vec<usize> = breaks.iter().map(|b| b.at).collect();
        cuts.push(word.text.len());
        let mut from = 0;
        for (k, &to) in cuts.iter().enumerate() {
            if k > 0 {
                self.push_break(&word, from, breaks[k - 1], out);
            }
            let Some((item, frag)) = self.fragment(&word, from..to, warnings) else {
                from = to;
                continue;
            };
            let clusters = clusters(&word.text, from..to);
            from = to;
            if !matches!(item, KpItem::Box { width, .. } if width > par.measure)
                || clusters.len() < 2
            {
                out.push(item, Source::Frag(frag));
                continue;
            }
            let span = frag.parts.first().map(|part| part.span);
            self.push_unbreakable(&word, clusters, span, out, warnings);
        }
    }

    /// Adds the penalty for the break point `brk` of `word`, the fragment
    /// after it starting at byte `from`.
    fn push_break(&mut self, word: &WordText, from: usize, brk: WordBreak, out: &mut Items) {
        // The hyphen (if any) is set in the style of the letter before.
        let (pi, _) = word
            .bounds
            .iter()
            .enumerate()
            .find(|(_, b)| b.0 < from && from <= b.1)
            .unwrap_or((0, &(0, 0)));
        let style = word.pieces[pi].style.clone();
        let chain = self.chain(style.role, style.variant);
        let face = chain[0];
        let (width, prot) = match brk.kind {
            BreakKind::Hyphen => {
                let h = self.shaper.shape("-", face, style.features);
                let w = style.size * h.width;
                (w, w * protrusion('-').1)
            }
            BreakKind::Explicit => (Pt::ZERO, Pt::ZERO),
        };
        // The style's hyphen penalty (TeX's \hyphenpenalty and
        // \exhyphenpenalty, both 50 in plain TeX: a hyphen costs
        // about as much as a line of badness 40).
        let penalty = KpItem::Penalty {
            width,
            penalty: self.style.hyphen_penalty,
            flagged: true,
            protrude_right: if self.style.protrusion {
                prot
            } else {
                Pt::ZERO
            },
        };
        out.push(penalty, Source::Hyphen { style, face });
    }

    /// Adds a fragment wider than the whole line (a long URL, a word
    /// without break points), which could only stick out of the page: it
    /// may break between any two of its `clusters` instead, at a cost that
    /// makes any other break preferable (CSS's `overflow-wrap: anywhere`).
    /// Warns at `span`, the fragment's start.
    fn push_unbreakable(
        &mut self,
        word: &WordText,
        clusters: Vec<Range<usize>>,
        span: Option<Span>,
        out: &mut Items,
        warnings: &mut Warnings,
    ) {
        let chars = word.text[clusters[0].start..clusters[clusters.len() - 1].end]
            .chars()
            .filter(|&c| c != '\u{AD}')
            .count();
        let mut d = Diagnostic::warning(format!(
            "a {chars}-character word is wider than the line; it is broken where it must be, without a hyphen"
        ))
        .hint("allow breaks with soft hyphens (U+00AD), or rephrase");
        if let Some(span) = span {
            d = d.at(span);
        }
        warnings.push(d);
        // The pieces were shaped (and their glyphs checked) as a whole.
        let mut quiet = Warnings::new();
        for (k, cluster) in clusters.into_iter().enumerate() {
            let Some((item, frag)) = self.fragment(word, cluster, &mut quiet) else {
                continue;
            };
            if k > 0 {
                let penalty = KpItem::Penalty {
                    width: Pt::ZERO,
                    penalty: EMERGENCY_PENALTY,
                    flagged: false,
                    protrude_right: Pt::ZERO,
                };
                out.push(penalty, Source::Other);
            }
            out.push(item, Source::Frag(frag));
        }
    }

    /// Shapes the bytes `range` of `word` into one box.
    fn fragment(
        &mut self,
        word: &WordText,
        range: Range<usize>,
        warnings: &mut Warnings,
    ) -> Option<(KpItem, Frag)> {
        let (from, to) = (range.start, range.end);
        let mut parts = Vec::new();
        for (p, &(a, b)) in word.pieces.iter().zip(&word.bounds) {
            let (lo, hi) = (a.max(from), b.min(to));
            if lo >= hi {
                continue;
            }
            let piece: String = word.text[lo..hi]
                .chars()
                .filter(|&c| c != '\u{AD}')
                .collect();
            if piece.is_empty() {
                continue;
            }
            let chain = self.chain(p.style.role, p.style.variant);
            let shaped =
                self.shaper
                    .shape_with_fallback(&piece, &chain, p.style.features, p.span, warnings);
            for s in shaped {
                parts.push(FragPart {
                    shaped: s,
                    style: p.style.clone(),
                    span: p.span,
                    offset: p.offset + (lo - a) as u32,
                    note: p.note,
                });
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some((self.frag_box(&parts), Frag { parts }))
    }

    /// The box of a fragment made of `parts` (not empty): its width, how
    /// far its body text may expand, and how far its first and last glyphs
    /// may protrude.
    fn frag_box(&self, parts: &[FragPart]) -> KpItem {
        let width: Pt = parts.iter().map(|p| p.style.size * p.shaped.width).sum();
        let expandable: Pt = parts
            .iter()
            .filter(|p| p.style.role == Role::Body)
            .map(|p| p.style.size * p.shaped.width)
            .sum();
        let expand = if self.style.expansion {
            expandable * self.style.expansion_limit
        } else {
            Pt::ZERO
        };
        let (mut pl, mut pr) = (Pt::ZERO, Pt::ZERO);
        if self.style.protrusion {
            let first = &parts[0];
            if let (Some(c), Some(g)) = (
                first.shaped.text.chars().next(),
                first.shaped.glyphs.first(),
            ) {
                pl = first.style.size * (g.advance * protrusion(c).0);
            }
            let last = &parts[parts.len() - 1];
            if let (Some(c), Some(g)) = (last.shaped.text.chars().last(), last.shaped.glyphs.last())
            {
                pr = last.style.size * (g.advance * protrusion(c).1);
            }
        }
        KpItem::Box {
            width,
            expand,
            protrude_left: pl,
            protrude_right: pr,
        }
    }
}

/// The byte ranges of `text[range]` that must stay together: a character
/// with the combining marks, joiners and variation selectors after it (an
/// approximation of Unicode's grapheme clusters, enough for an emergency
/// break). Soft hyphens go with the character before them.
pub(in crate::typeset) fn clusters(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let joins = |c: char| {
        matches!(c,
            '\u{300}'..='\u{36F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{AD}'
            | '\u{E0100}'..='\u{E01EF}')
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut after_joiner = false;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        let end = at + c.len_utf8();
        match out.last_mut() {
            Some(last) if joins(c) || after_joiner => last.end = end,
            _ => out.push(at..end),
        }
        after_joiner = c == '\u{200D}';
    }
    out
}
