//! Pandoc's bracketed spans (the manual's "Extension: `bracketed_spans`"):
//! `[some *text*]{.smallcaps lang=fr}` → [`Inline::Span`].
//!
//! pulldown-cmark reads a bracket that opens no link as text, so the span
//! is made after the build, by a pass over each list of inlines (notes'
//! included): brackets are paired as a link's would be (innermost first,
//! across the other inlines of the same list, never into or out of
//! emphasis or a link), and a `]` followed at once by a well-formed
//! attribute block ([`super::attrs`]) closes a span holding what lies
//! between. A real link (`[a](b){.c}`) has no bracket left in its text and
//! is never a span; a bracket escaped in the source (`\[`) opens none.
//! A span's id becomes a link target, as a div's does.

use std::collections::HashMap;

use super::{Context, MAX_DEPTH, attrs, divs};
use crate::doc::{Attrs, Block, Inline};
use crate::source::Span;

/// Most brackets waiting for their `]` in one list of inlines: more are
/// text (this keeps the pass linear on hostile input; prose opens one or
/// two at a time).
const MAX_OPEN: usize = 32;

/// Makes the spans of `blocks`, whose source is `source`, and claims their
/// ids.
pub(super) fn make_spans(
    blocks: &mut [Block],
    source: &str,
    cx: &mut Context,
    anchors: &mut HashMap<String, String>,
) {
    let mut pass = Pass {
        source,
        cx,
        anchors,
    };
    pass.blocks(blocks, 0);
}

struct Pass<'a> {
    source: &'a str,
    cx: &'a mut Context,
    anchors: &'a mut HashMap<String, String>,
}

impl Pass<'_> {
    fn blocks(&mut self, blocks: &mut [Block], depth: usize) {
        let depth = depth + 1;
        for block in blocks {
            match block {
                Block::Para { content, .. } | Block::Heading { content, .. } => {
                    self.inlines(content, depth)
                }
                Block::Figure { caption, .. } => self.inlines(caption, depth),
                Block::BlockQuote { blocks, .. }
                | Block::Div { blocks, .. }
                | Block::Alert { blocks, .. } => self.blocks(blocks, depth),
                Block::List { items, .. } => {
                    for item in items {
                        self.blocks(&mut item.blocks, depth + 1);
                    }
                }
                Block::DefinitionList { items, .. } => {
                    for item in items {
                        self.inlines(&mut item.term, depth + 1);
                        for def in &mut item.definitions {
                            self.blocks(def, depth + 1);
                        }
                    }
                }
                Block::Table { head, rows, .. } => {
                    for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                        self.inlines(cell, depth + 2);
                    }
                }
                Block::CodeBlock { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
            }
        }
    }

    /// Makes the spans of one list, `depth` deep, then of the lists inside.
    fn inlines(&mut self, list: &mut Vec<Inline>, depth: usize) {
        if list
            .iter()
            .any(|i| matches!(i, Inline::Text { text, .. } if text.contains('[')))
        {
            pair(list, self.source, depth);
        }
        for inline in list.iter_mut() {
            if let Inline::Span { attrs, span, .. } = inline {
                divs::claim_id(attrs, *span, self.cx, self.anchors);
            }
        }
        for inline in list {
            match inline {
                Inline::Emph { content, .. }
                | Inline::Strong { content, .. }
                | Inline::Strikeout { content, .. }
                | Inline::Span { content, .. }
                | Inline::Link { content, .. } => self.inlines(content, depth + 1),
                Inline::Note { blocks, .. } => self.blocks(blocks, depth + 1),
                _ => {}
            }
        }
    }
}

/// Pairs the brackets of one list's text nodes and makes the spans they
/// close.
pub(super) fn pair(list: &mut Vec<Inline>, source: &str, depth: usize) {
    // Open brackets: (index of the text node, byte offset of the `[`).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let mut from = 0;
    while i < list.len() {
        let Inline::Text { text, span } = &list[i] else {
            i += 1;
            from = 0;
            continue;
        };
        let node = NodeText::new(text, *span, source);
        // The first `]{attrs}` closing an open bracket in this node.
        let mut found = None;
        for (at, c) in text[from..].char_indices() {
            let at = from + at;
            match c {
                '[' if open.len() < MAX_OPEN && !node.escaped(at, '[') => open.push((i, at)),
                ']' if !node.escaped(at, ']') => {
                    let Some(start) = open.pop() else { continue };
                    if let Some((attrs, end)) = node.attrs_after(at) {
                        found = Some((start, at, end, attrs));
                        break;
                    }
                }
                _ => {}
            }
        }
        match found {
            Some((start, at, end, attrs)) => {
                match make(list, start, (i, at, end), attrs, source, depth) {
                    // Brackets still open lie before the span: their places
                    // are unchanged.
                    Some(next) => (i, from) = (next, 0),
                    None => from = end,
                }
            }
            None => (i, from) = (i + 1, 0),
        }
    }
}

/// A text node's text beside its source, to find where a bracket or brace
/// of the text was written.
struct NodeText<'a> {
    text: &'a str,
    /// The node's source bytes.
    start: usize,
    end: usize,
    source: &'a str,
    /// For `[`, `]` and `}`: their offsets in the text and in the source,
    /// where both hold them equally often (smart punctuation and entities
    /// change other characters), else `None`.
    marks: [Option<(Vec<usize>, Vec<usize>)>; 3],
}

/// The characters [`NodeText`] finds in the source.
const MARKS: [char; 3] = ['[', ']', '}'];

impl<'a> NodeText<'a> {
    fn new(text: &'a str, span: Span, source: &'a str) -> Self {
        let (start, end) = (span.start as usize, span.end as usize);
        let written = source.get(start..end).unwrap_or("");
        let marks = MARKS.map(|c| {
            let in_text: Vec<usize> = text.match_indices(c).map(|(k, _)| k).collect();
            let in_source: Vec<usize> = written.match_indices(c).map(|(k, _)| k).collect();
            (in_text.len() == in_source.len()).then_some((in_text, in_source))
        });
        NodeText {
            text,
            start,
            end,
            source,
            marks,
        }
    }

    fn written(&self) -> &str {
        self.source.get(self.start..self.end).unwrap_or("")
    }

    /// The source offset of the `c` (one of [`MARKS`]) at byte `at` of the
    /// text: the same occurrence of `c` in the node's source where the two
    /// hold it equally often; else a place clamped to the node.
    fn source_of(&self, at: usize, c: char) -> usize {
        let mark = MARKS.iter().position(|&m| m == c);
        if let Some(Some((in_text, in_source))) = mark.map(|k| &self.marks[k])
            && let Ok(nth) = in_text.binary_search(&at)
        {
            return self.start + in_source[nth];
        }
        (self.start + at).min(self.end)
    }

    /// The attribute block right after the `]` at byte `at` of the text, and
    /// the text offset it ends at. Read from the source where the text's
    /// braces can be found there, since smart punctuation turns an id's
    /// `--` into a dash and quotes into curly ones; else from the text.
    fn attrs_after(&self, at: usize) -> Option<(Attrs, usize)> {
        if !self.text[at + 1..].starts_with('{') {
            return None;
        }
        let close = self.source_of(at, ']');
        if let Some((in_text, in_source)) = &self.marks[2]
            && self.source.as_bytes().get(close) == Some(&b']')
            && let Some((attrs, used)) = self
                .source
                .get(close + 1..self.end)
                .and_then(attrs::parse)
            // The `}` ending the block in the source, and the same one in
            // the text.
            && let Ok(nth) = in_source.binary_search(&(close + used - self.start))
        {
            return Some((attrs, in_text[nth] + 1));
        }
        attrs::parse(&self.text[at + 1..]).map(|(attrs, used)| (attrs, at + 1 + used))
    }

    /// Whether the `c` at byte `at` of the text was written escaped (`\[`).
    fn escaped(&self, at: usize, c: char) -> bool {
        let k = self.source_of(at, c) - self.start;
        let written = self.written();
        if written.as_bytes().get(k) != Some(&(c as u8)) {
            return false;
        }
        let slashes = written[..k]
            .bytes()
            .rev()
            .take_while(|&b| b == b'\\')
            .count();
        // A backslash before the node (`\` then `[` as two events) counts too.
        let before = if slashes == k {
            self.source[..self.start]
                .bytes()
                .rev()
                .take_while(|&b| b == b'\\')
                .count()
        } else {
            0
        };
        (slashes + before) % 2 == 1
    }
}

/// Makes the span from the `[` at `open` (node, offset) to the `]` at
/// `close` (node, offset of `]`, offset after the attributes), unless it
/// would nest too deep. Returns the index of the node after the span.
fn make(
    list: &mut Vec<Inline>,
    open: (usize, usize),
    close: (usize, usize, usize),
    attrs: Attrs,
    source: &str,
    depth: usize,
) -> Option<usize> {
    let (oi, oat) = open;
    let (ci, cat, cend) = close;
    let (
        Inline::Text {
            text: otext,
            span: ospan,
        },
        Inline::Text {
            text: ctext,
            span: cspan,
        },
    ) = (&list[oi], &list[ci])
    else {
        return None;
    };
    let onode = NodeText::new(otext, *ospan, source);
    let cnode = NodeText::new(ctext, *cspan, source);
    let start = onode.source_of(oat, '[');
    let open_end = (start + 1).min(onode.end);
    let close_at = cnode.source_of(cat, ']');
    let brace = cnode.source_of(cend - 1, '}');
    let end = (brace + 1).clamp(close_at, cnode.end.max(close_at));
    let (os, oe, cs, ce) = (onode.start, onode.end, cnode.start, cnode.end);
    let (ospan, cspan) = (*ospan, *cspan);
    let (before, first) = (otext[..oat].to_string(), otext[oat + 1..].to_string());
    let (last, after) = (ctext[..cat].to_string(), ctext[cend..].to_string());

    let mut content: Vec<Inline> = Vec::new();
    if oi == ci {
        let inner = otext[oat + 1..cat].to_string();
        push_text(&mut content, inner, open_end, close_at, ospan);
    } else {
        push_text(&mut content, first, open_end, oe, ospan);
        content.extend(list[oi + 1..ci].iter().cloned());
        push_text(&mut content, last, cs, close_at, cspan);
    }
    if depth + 1 + depth_of(&content) > MAX_DEPTH {
        return None;
    }
    let node = Inline::Span {
        attrs,
        content,
        span: Span::new(ospan.file, start..end),
    };
    let mut replacement = Vec::new();
    push_text(&mut replacement, before, os, start, ospan);
    replacement.push(node);
    let next = oi + replacement.len();
    push_text(&mut replacement, after, end, ce, cspan);
    list.splice(oi..=ci, replacement);
    Some(next)
}

/// Pushes a text node unless it is empty, spanning `start..end` of
/// `within`'s file (or an empty place at `start` where the text has no
/// source of its own).
fn push_text(out: &mut Vec<Inline>, text: String, start: usize, end: usize, within: Span) {
    if text.is_empty() {
        return;
    }
    out.push(Inline::Text {
        text,
        span: Span::new(within.file, start..end.max(start)),
    });
}

/// How deeply `inlines` nest (1 for plain text), spans and links included;
/// notes' blocks are counted as one level, their own depth checked where
/// they were built.
fn depth_of(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => 1 + depth_of(content),
            _ => 1,
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
