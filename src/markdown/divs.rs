//! Pandoc's fenced divs (the manual's "Extension: `fenced_divs`"):
//!
//! ```text
//! ::: {#id .class lang=fr}     or     ::: warning
//! Blocks…
//! :::
//! ```
//!
//! An opening fence is three or more colons and attributes, in braces (see
//! [`super::attrs`]) or a single bare word taken as a class, optionally
//! followed by more colons; a closing fence is three or more colons alone.
//! Divs nest; a fence inside a code block or an HTML block is text.
//!
//! pulldown-cmark knows no divs, so they are made in two steps that keep
//! its byte offsets true. [`prepare`] finds the fence lines before parsing
//! and replaces each by a line of the same length that CommonMark reads as
//! a block boundary, a thematic break (`***` padded with spaces; a break
//! may interrupt a paragraph, CommonMark spec §4.1). After the build,
//! [`wrap`] removes those breaks and wraps the blocks between each
//! opening and closing fence in a [`Block::Div`]; an id becomes a link
//! target. An opening fence with no closing one is closed at the end of
//! the list of blocks it stands in (the document, a list item…), with a
//! warning at its line.
//!
//! Left out: fences inside block quotes (`> :::`) and fences indented by
//! four spaces or more (in list items nested that deep) are text.
//!
//! FIXME: whether an opening fence sits under a line of text is judged on a
//! parse of the text with its fences still in, where a `:::` line right
//! under a paragraph reads as a definition list's `:`; an indented line
//! after such a closing fence and a blank is then text in that parse, and
//! an opening fence under it stays text. Should the judging parse see the
//! closing fences replaced?

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Context, MAX_DEPTH, attrs, options};
use crate::diag::Diagnostic;
use crate::doc::{Attrs, Block};
use crate::source::{FileId, Span};

/// One fence line found by [`prepare`].
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fence {
    /// The line's bytes, its line end left out.
    pub line: Range<usize>,
    /// An opening fence's attributes; `None` for a closing fence.
    pub open: Option<Attrs>,
}

/// The text to parse, fences made thematic breaks, and the fences by the
/// byte offset their line starts at.
#[derive(Debug)]
pub(super) struct Prepared {
    /// The text with each fence line replaced (same length).
    pub text: String,
    /// The fences, by line start.
    pub fences: BTreeMap<usize, Fence>,
}

/// Finds the fence lines of `text` and replaces them, or `None` when it has
/// none (the common case, decided without parsing).
pub(super) fn prepare(text: &str) -> Option<Prepared> {
    let candidates: Vec<(Range<usize>, Option<Attrs>)> = lines(text)
        .filter_map(|line| fence_line(&text[line.clone()]).map(|open| (line, open)))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    // A fence inside a code block or an HTML block is text: ask the parser
    // where those are.
    // An opening fence needs a blank line, a heading, a code block or
    // another fence before it: one under a line of text would continue its paragraph and
    // is text, as in pandoc, whose paragraphs only a closing fence ends.
    let mut literal: Vec<Range<usize>> = Vec::new();
    let mut texts: Vec<Range<usize>> = Vec::new();
    // Text of headings and code blocks ends with its line.
    let mut own_line = false;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                literal.push(range);
                own_line = true;
            }
            Event::Start(Tag::Heading { .. }) => own_line = true,
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                own_line = false
            }
            Event::Text(_) | Event::Code(_) | Event::InlineHtml(_) if !own_line => {
                texts.push(range)
            }
            _ => {}
        }
    }
    // Both lists are in source order, their ranges apart (code blocks do
    // not nest, text events are the leaves).
    let meets = |ranges: &[Range<usize>], line: &Range<usize>| {
        let k = ranges.partition_point(|r| r.start < line.end.max(line.start + 1));
        k > 0 && ranges[k - 1].end > line.start
    };
    let mut fences = BTreeMap::new();
    let mut depth = 0usize;
    let mut last_end = None;
    for (line, open) in candidates {
        if meets(&literal, &(line.start..line.start + 1)) {
            continue;
        }
        let prev_start = text[..line.start.saturating_sub(1)]
            .rfind('\n')
            .map_or(0, |k| k + 1);
        let prev = prev_start..line.start.saturating_sub(1).max(prev_start);
        let after_fence = last_end.is_some_and(|end| end >= prev.start);
        if open.is_some()
            && line.start > 0
            && !after_fence
            && !text[prev.clone()].trim().is_empty()
            && meets(&texts, &prev)
        {
            continue;
        }
        // A closing fence with no div open is text (pandoc's reading).
        match open {
            Some(_) => depth += 1,
            None if depth == 0 => continue,
            None => depth -= 1,
        }
        last_end = Some(line.end);
        fences.insert(line.start, Fence { line, open });
    }
    if fences.is_empty() {
        return None;
    }
    let mut out = text.as_bytes().to_vec();
    for fence in fences.values() {
        let line = &mut out[fence.line.clone()];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        for (k, b) in line.iter_mut().enumerate().skip(indent) {
            *b = if k < indent + 3 { b'*' } else { b' ' };
        }
    }
    // Only whole lines were replaced, by ASCII: still UTF-8.
    let text = String::from_utf8(out).ok()?;
    Some(Prepared { text, fences })
}

/// Each line's byte range, its line end (`\n`, `\r\n`) left out.
fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        let body = l.trim_end_matches('\n').trim_end_matches('\r');
        s..s + body.len()
    })
}

/// Whether `line` is a fence: `Some(Some(attrs))` an opening one,
/// `Some(None)` a closing one, `None` neither. Up to three spaces may
/// indent it (as a code fence, CommonMark spec §4.5).
fn fence_line(line: &str) -> Option<Option<Attrs>> {
    let body = line.trim_start_matches(' ');
    if line.len() - body.len() > 3 {
        return None;
    }
    let colons = body.len() - body.trim_start_matches(':').len();
    if colons < 3 {
        return None;
    }
    let rest = body[colons..].trim();
    if rest.is_empty() {
        return Some(None);
    }
    let (attrs, after) = if rest.starts_with('{') {
        let (attrs, used) = attrs::parse(rest)?;
        (attrs, &rest[used..])
    } else {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        if word.contains(['{', '}', ':']) {
            return None;
        }
        let attrs = Attrs {
            classes: vec![word.to_string()],
            ..Attrs::default()
        };
        (attrs, &rest[end..])
    };
    // Optionally more colons after the attributes, and nothing else.
    after
        .trim()
        .chars()
        .all(|c| c == ':')
        .then_some(Some(attrs))
}

/// Wraps the blocks between fences in divs, in `blocks` and the blocks they
/// hold; claims each div's id book-wide and records it in `anchors`.
pub(super) fn wrap(
    blocks: &mut Vec<Block>,
    fences: &BTreeMap<usize, Fence>,
    file: FileId,
    cx: &mut Context,
    anchors: &mut HashMap<String, String>,
) {
    let mut w = Wrapper {
        fences,
        file,
        cx,
        anchors,
        warned_deep: false,
    };
    w.wrap(blocks, 0);
}

struct Wrapper<'a> {
    fences: &'a BTreeMap<usize, Fence>,
    file: FileId,
    cx: &'a mut Context,
    anchors: &'a mut HashMap<String, String>,
    warned_deep: bool,
}

/// A div being gathered: its attributes, its opening fence, its blocks.
struct Open {
    attrs: Attrs,
    fence: Span,
    blocks: Vec<Block>,
}

impl Wrapper<'_> {
    /// The fence whose thematic break starts at `span`, if it is one.
    fn fence(&self, block: &Block) -> Option<&Fence> {
        let Block::ThematicBreak { span } = block else {
            return None;
        };
        let (_, fence) = self.fences.range(..=span.start as usize).next_back()?;
        ((span.start as usize) < fence.line.end).then_some(fence)
    }

    /// Wraps one list of blocks, `depth` containers deep.
    fn wrap(&mut self, blocks: &mut Vec<Block>, depth: usize) {
        let mut open: Vec<Open> = Vec::new();
        for mut block in std::mem::take(blocks) {
            if let Some(fence) = self.fence(&block) {
                let span = Span::new(self.file, fence.line.clone());
                match fence.open.clone() {
                    // Too deep to wrap (see `MAX_DEPTH`): the fence goes, its
                    // blocks stay where they are.
                    Some(_) if depth + open.len() + 1 >= MAX_DEPTH => self.too_deep(span),
                    Some(mut attrs) => {
                        self.claim(&mut attrs, span);
                        open.push(Open {
                            attrs,
                            fence: span,
                            blocks: Vec::new(),
                        });
                    }
                    // With no div open here (it opened in another container,
                    // a list item that ended first), the fence only goes.
                    None => {
                        if let Some(div) = open.pop() {
                            let div = close(div, span.end as usize);
                            push(&mut open, blocks, div);
                        }
                    }
                }
                continue;
            }
            self.wrap_inside(&mut block, depth + open.len() + 1);
            push(&mut open, blocks, block);
        }
        while let Some(div) = open.pop() {
            self.cx.warnings.push(
                Diagnostic::warning("this div has no closing fence; it ends with what holds it")
                    .at(div.fence)
                    .hint("close it with a line of three colons (`:::`)"),
            );
            let end = div.blocks.last().map_or(div.fence.end, |b| b.span().end) as usize;
            let div = close(div, end);
            push(&mut open, blocks, div);
        }
    }

    /// The containers inside `block`, `depth` deep.
    fn wrap_inside(&mut self, block: &mut Block, depth: usize) {
        match block {
            Block::BlockQuote { blocks, .. }
            | Block::Div { blocks, .. }
            | Block::Alert { blocks, .. } => self.wrap(blocks, depth),
            Block::List { items, .. } => {
                for item in items {
                    self.wrap(&mut item.blocks, depth + 1);
                }
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    for def in &mut item.definitions {
                        self.wrap(def, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// Claims a div's id book-wide (in reading order, at its opening
    /// fence), the id as written kept for links into the file.
    fn claim(&mut self, attrs: &mut Attrs, fence: Span) {
        claim_id(attrs, fence, self.cx, self.anchors);
    }

    fn too_deep(&mut self, span: Span) {
        if !self.warned_deep {
            self.warned_deep = true;
            self.cx.errors.push(
                Diagnostic::error(format!("divs nested deeper than {MAX_DEPTH} levels"))
                    .at(span)
                    .hint("samizdat refuses such input rather than risk running out of stack"),
            );
        }
    }
}

/// A finished div; it ends at `end`.
fn close(div: Open, end: usize) -> Block {
    let Open {
        attrs,
        fence,
        blocks,
    } = div;
    let span = Span {
        end: (end as u32).max(fence.end),
        ..fence
    };
    Block::Div {
        attrs,
        blocks,
        span,
    }
}

/// Claims the id in `attrs` book-wide (a clash with an id given elsewhere
/// is warned about at `span`), records it and the id as written in
/// `anchors` as link targets, and leaves the id given in `attrs`.
pub(super) fn claim_id(
    attrs: &mut Attrs,
    span: Span,
    cx: &mut Context,
    anchors: &mut HashMap<String, String>,
) {
    if let Some(wanted) = attrs.id.take() {
        let got = cx.claim_id(&wanted, true, Some(span));
        anchors.entry(wanted).or_insert_with(|| got.clone());
        anchors.entry(got.clone()).or_insert_with(|| got.clone());
        attrs.id = Some(got);
    }
}

/// Puts `block` into the innermost open div, else into `out`.
fn push(open: &mut [Open], out: &mut Vec<Block>, block: Block) {
    match open.last_mut() {
        Some(div) => div.blocks.push(block),
        None => out.push(block),
    }
}

#[cfg(test)]
mod tests;
