//! Code blocks: monospace, a size down, spaces kept exactly, each source
//! line set alone and over-long ones broken at the measure.

use std::rc::Rc;

use super::{Builder, Frame, Place};
use crate::source::Span;
use crate::typeset::fonts::Variant;
use crate::typeset::galley::Flow;
use crate::typeset::inline::{ParStyle, Role, TextStyle, Token};
use crate::typeset::page::{Pt, TagKind};
use crate::typeset::shape::Features;

impl Builder<'_, '_> {
    /// Sets a code block of `text`.
    pub(super) fn code(&mut self, text: &str, span: Span, frame: &Frame) {
        let size = if frame.in_note {
            frame.size * 0.9
        } else {
            self.style.code_size
        };
        let leading = if frame.in_note {
            frame.leading
        } else {
            self.style.code_leading
        };
        let style = Rc::new(TextStyle {
            role: Role::Mono,
            size,
            hyphenate: false,
            features: Features {
                no_ligatures: true,
                ..Features::default()
            },
            ..self.text_style(frame)
        });
        let indent = frame.size;
        let measure = frame.measure - indent;
        self.flow.push(Flow::Space(frame.leading * 0.5));
        // Monospace: the advance of one character decides how many fit.
        let chain = self.inline.chain(Role::Mono, Variant::default());
        let adv = self
            .inline
            .shaper
            .shape("0", chain[0], style.features)
            .width
            * size.0;
        let per_line = ((measure.0 / adv).floor() as usize).max(8);
        let tag = self.tag(TagKind::Code);
        for piece in code_lines(text, per_line) {
            // Spaces in code are kept exactly: no-break spaces never stretch.
            let text = piece.replace(' ', "\u{a0}");
            let tokens = Token::plain(
                if text.is_empty() {
                    "\u{a0}".into()
                } else {
                    text
                },
                style.clone(),
                span,
            );
            let par = ParStyle {
                measure: measure * 2.0,
                indent: Pt::ZERO,
                justify: false,
                center: false,
                hyphenate: false,
                looseness: 0,
            };
            let lines = self.inline.layout(&tokens, &par, self.warnings);
            let at = Place::new(frame.x + indent, leading, size);
            self.push_lines(lines, at, None, None, Some(&tag));
        }
        self.flow.push(Flow::Space(frame.leading * 0.5));
    }
}

/// The lines of a code block as set: tabs as four spaces, and lines longer
/// than `per_line` characters broken, each continuation led by a hooked
/// arrow so a reader knows the line goes on.
fn code_lines(text: &str, per_line: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    for source_line in text.trim_end_matches('\n').split('\n') {
        let expanded = source_line.replace('\t', "    ");
        let chars: Vec<char> = expanded.chars().collect();
        if chars.len() <= per_line {
            pieces.push(expanded);
            continue;
        }
        // Over-long lines break at the measure; continuations start
        // with a hooked arrow so a reader knows the line goes on.
        let mut rest = &chars[..];
        let mut first = true;
        while !rest.is_empty() {
            let room = if first { per_line } else { per_line - 2 };
            let take = rest.len().min(room);
            let mut line: String = if first { String::new() } else { "↪ ".into() };
            line.extend(&rest[..take]);
            pieces.push(line);
            rest = &rest[take..];
            first = false;
        }
    }
    pieces
}
