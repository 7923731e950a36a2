//! GitHub's alerts (`> [!NOTE]`…) in print: a ruled block. A rule across
//! the measure above, the alert's title (“Note”, “Warning”… in the book's
//! language) in bold small capitals, the content indented both sides at
//! the body size, and a rule below; an alert of a few lines is kept on one
//! page. Rules above and below rather than one down the left side, because
//! a galley rule is horizontal and the block may be broken across pages
//! (the boxed "admonitions" of LaTeX's `mdframed`/`tcolorbox` are drawn
//! the same way when they break: an open frame, rule at top and bottom).

use std::rc::Rc;

use super::{Builder, Frame, Place};
use crate::doc::{AlertKind, Block};
use crate::source::Span;
use crate::typeset::galley::Flow;
use crate::typeset::inline::{TextStyle, Token};
use crate::typeset::page::{Pt, TagKind};

/// An alert of this many set lines or fewer (its title counted) is kept
/// whole on one page.
const KEEP_WHOLE: usize = 6;

impl Builder<'_, '_> {
    /// Sets an alert as a ruled block: rule, title, indented content, rule.
    pub(super) fn alert(&mut self, kind: AlertKind, blocks: &[Block], frame: &Frame) {
        let half = frame.leading * 0.5;
        let indent = self.style.body_size;
        let inner = Frame {
            x: frame.x + indent,
            measure: frame.measure - indent * 2.0,
            ..*frame
        };
        let rule = self.rule_width(frame);
        self.flow.push(Flow::Space(half));
        let at = self.flow.len();
        self.open(TagKind::BlockQuote);
        // The top rule, straight before the title: the page breaker keeps
        // a rule with the kept line right after it, so it is never left
        // alone at a page's foot.
        self.flow.push(self.rule(rule));
        let mut title = TextStyle {
            hyphenate: false,
            ..self.text_style(frame)
        };
        title.variant.bold = true;
        title.features.small_caps = true;
        let tokens = Token::plain(
            self.labels.alert(kind).to_string(),
            Rc::new(title),
            Span::default(),
        );
        let tag = self.tag(TagKind::Paragraph);
        let place = Place::kept(inner.x, frame.leading, frame.size);
        self.set_ragged(&tokens, &inner, place, None, &tag);
        self.blocks(blocks, &inner);
        self.close();
        let lines: Vec<usize> = (at..self.flow.len())
            .filter(|&i| matches!(self.flow[i], Flow::Line(_)))
            .collect();
        if lines.len() <= KEEP_WHOLE {
            for &i in lines.iter().rev().skip(1) {
                if let Flow::Line(l) = &mut self.flow[i] {
                    l.keep_with_next = true;
                }
            }
        }
        self.flow.push(Flow::Space(half));
        self.flow.push(self.rule(rule));
        self.flow.push(Flow::Space(half));
    }

    /// The width of a rule across `frame`: galley rules are centred on the
    /// text block's measure, so the widest one that stays inside the
    /// frame.
    /// A rule `width` long, centred on the page's measure.
    fn rule(&self, width: Pt) -> Flow {
        Flow::Rule {
            x: (self.style.measure() - width) * 0.5,
            width,
        }
    }

    fn rule_width(&self, frame: &Frame) -> Pt {
        let centre = self.style.measure() * 0.5;
        let left = centre - frame.x;
        let right = frame.x + frame.measure - centre;
        (left.min(right) * 2.0).max(Pt::ZERO)
    }
}
