//! The memo of set paragraphs: the galley is built several times per book
//! (looseness trials, the contents' fixed point), and a body paragraph sets
//! the same way every time, so each is set once under a key that says
//! everything its setting depends on. Builders of other editions with the
//! same style and fonts hand theirs over (`adopt`).

use rustc_hash::FxHashMap;

use super::{InlineLayout, ParStyle, SetLine, TextStyle, Token};
use crate::diag::Warnings;
use crate::source::Span;

/// Set paragraphs by key, with the warnings setting each raised.
pub type Memo = FxHashMap<ParKey, (Vec<SetLine>, Warnings)>;

/// What makes a body paragraph's setting: its source, its looseness, its
/// measure and indent (in bits, so that the key is hashable), and a
/// fingerprint of everything else in its tokens and paragraph style (the
/// text with its note numbers, styles, links), so that a paragraph set
/// ahead by another builder (see `typeset`) is only taken if it is the
/// very same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParKey {
    span: Span,
    looseness: i32,
    measure: u64,
    indent: u64,
    content: u64,
}

impl ParKey {
    /// The key of the paragraph `tokens` from the source at `span`, set
    /// with `par`.
    pub fn new(span: Span, par: &ParStyle, tokens: &[Token]) -> Self {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (par.justify, par.center, par.hyphenate).hash(&mut h);
        for token in tokens {
            match token {
                Token::Text {
                    text,
                    style,
                    span,
                    note,
                } => {
                    text.hash(&mut h);
                    span.hash(&mut h);
                    note.hash(&mut h);
                    let TextStyle {
                        role,
                        variant,
                        size,
                        features,
                        rise,
                        link,
                        hyphenate,
                        strike,
                    } = &**style;
                    (role, variant, size.0.to_bits(), features).hash(&mut h);
                    (rise.0.to_bits(), link, hyphenate, strike).hash(&mut h);
                }
                Token::LineBreak => 0xffu8.hash(&mut h),
            }
        }
        ParKey {
            span,
            looseness: par.looseness,
            measure: par.measure.0.to_bits(),
            indent: par.indent.0.to_bits(),
            content: h.finish(),
        }
    }
}

impl InlineLayout<'_> {
    /// The paragraphs set so far, with the warnings each raised.
    pub fn into_memo(self) -> Memo {
        self.memo
    }

    /// Takes paragraphs set by another layout of the same style and fonts,
    /// so that they need not be set here. Those that raised warnings are
    /// left to be set here (a missing glyph is reported only where this
    /// layout first meets it).
    pub fn adopt(&mut self, memo: Memo) {
        for (key, set) in memo {
            if set.1.is_empty() {
                self.memo.entry(key).or_insert(set);
            }
        }
    }

    /// Like [`InlineLayout::layout`], remembered under `key`: a second call
    /// with the same key gives the same lines (and the same warnings)
    /// without setting them again.
    pub fn layout_memo(
        &mut self,
        key: ParKey,
        tokens: &[Token],
        par: &ParStyle,
        warnings: &mut Warnings,
    ) -> Vec<SetLine> {
        if let Some((lines, raised)) = self.memo.get(&key) {
            self.memo_hits += 1;
            warnings.extend(raised.iter().cloned());
            return lines.clone();
        }
        let mut raised = Warnings::new();
        let lines = self.layout(tokens, par, &mut raised);
        warnings.extend(raised.iter().cloned());
        self.memo.insert(key, (lines.clone(), raised));
        lines
    }
}
