//! Raw-text elements across Markdown: what lies between `<script>` and
//! `</script>` (or `style`, `textarea`, `title`, `xmp`, `iframe`, `noembed`,
//! `noframes`, `noscript`, and after `<plaintext>`) belongs to the element,
//! never to the book's text.
//!
//! CommonMark reads an inline `<script>` as one raw HTML inline and goes on
//! reading Markdown after it: `a <script>alert(1) *x*</script>` gives the
//! text `alert(1) `, an emphasis, then `</script>` as another inline. A
//! browser given the CommonMark HTML would run all of it as script. So the
//! event stream is rewritten before the tree is built: from a raw HTML piece
//! that leaves the HTML tokenizer inside a raw-text element ([`html::State`])
//! up to the piece that ends it, every event is folded into one raw HTML
//! event, whose text is the pieces as written and the Markdown text escaped
//! (what the CommonMark HTML would hold, so the tokenizer reads it the same).
//! Both backends then see one raw HTML node: the EPUB sanitiser drops it
//! with its content, print leaves raw HTML out.
//!
//! Where the element is not closed, it ends with the Markdown block that
//! holds it (a paragraph, heading or cell for an inline piece; the list item,
//! quote or document for an HTML block), not at the end of the file as in a
//! browser: one unclosed `<script>` should not swallow the rest of a book.
//! An inline container (emphasis, link) that closes inside the element is
//! kept, and the element goes on after it in a piece that reopens it
//! ([`html::State::reopen`]). A footnote definition inside an element
//! folded at block level is passed through, since it is written elsewhere.
//! Content after the end tag but inside an inline container or a block
//! opened within the element is folded too: more is dropped, never less.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::html::{self, State};

type Item<'a> = (Event<'a>, Range<usize>);

/// Folds raw-text elements in `events` (see the module comment).
pub(super) fn fold<'a, I>(events: I) -> impl Iterator<Item = Item<'a>>
where
    I: Iterator<Item = Item<'a>>,
{
    Fold {
        inner: events,
        out: VecDeque::new(),
    }
}

struct Fold<'a, I> {
    inner: I,
    out: VecDeque<Item<'a>>,
}

impl<'a, I: Iterator<Item = Item<'a>>> Iterator for Fold<'a, I> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if let Some(item) = self.out.pop_front() {
            return Some(item);
        }
        let (event, range) = self.inner.next()?;
        match event {
            Event::InlineHtml(piece) => {
                let state = html::state_after(&piece, State::Data);
                if state == State::Data {
                    return Some((Event::InlineHtml(piece), range));
                }
                self.inline(piece.to_string(), range, state);
            }
            Event::Start(Tag::HtmlBlock) => self.block(range),
            other => return Some((other, range)),
        }
        self.out.pop_front()
    }
}

/// A raw HTML piece being folded.
struct Piece {
    text: String,
    range: Range<usize>,
    /// Whether anything but a reopening prefix is in it.
    filled: bool,
}

impl Piece {
    fn new(text: String, range: Range<usize>) -> Self {
        Piece {
            text,
            range,
            filled: true,
        }
    }

    fn take(&mut self, range: &Range<usize>) {
        self.range.end = self.range.end.max(range.end);
        self.filled = true;
    }

    /// Adds a Markdown event's text as the CommonMark HTML would hold it.
    fn swallow(&mut self, event: &Event, range: &Range<usize>) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                for c in t.chars() {
                    match c {
                        '&' => self.text.push_str("&amp;"),
                        '<' => self.text.push_str("&lt;"),
                        '>' => self.text.push_str("&gt;"),
                        c => self.text.push(c),
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => self.text.push('\n'),
            _ => {}
        }
        self.take(range);
    }
}

impl<'a, I: Iterator<Item = Item<'a>>> Fold<'a, I> {
    /// Folds from an inline piece that opened a raw-text element.
    fn inline(&mut self, first: String, range: Range<usize>, mut state: State) {
        let mut piece = Piece::new(first, range);
        // Inline containers opened inside the element.
        let mut depth = 0usize;
        loop {
            let Some((event, range)) = self.inner.next() else {
                self.emit_inline(piece);
                return;
            };
            match event {
                Event::InlineHtml(h) => {
                    state = html::state_after(&h, state);
                    piece.text.push_str(&h);
                    piece.take(&range);
                    if state == State::Data && depth == 0 {
                        self.emit_inline(piece);
                        return;
                    }
                }
                Event::Start(ref tag) if inline_tag(tag) => {
                    depth += 1;
                    piece.take(&range);
                }
                Event::End(ref end) if depth > 0 && inline_end(end) => {
                    depth -= 1;
                    piece.take(&range);
                    if state == State::Data && depth == 0 {
                        self.emit_inline(piece);
                        return;
                    }
                }
                Event::End(end) if depth == 0 && inline_end(&end) => {
                    // The container holding the element closes: keep it
                    // closed, and go on outside it.
                    let at = range.end;
                    self.emit_inline(piece);
                    self.out.push_back((Event::End(end), range));
                    piece = Piece {
                        text: state.reopen(),
                        range: at..at,
                        filled: false,
                    };
                }
                Event::Start(_) | Event::End(_) | Event::Html(_) | Event::Rule => {
                    // A block boundary: the element ends with its block.
                    self.emit_inline(piece);
                    self.out.push_back((event, range));
                    return;
                }
                other => piece.swallow(&other, &range),
            }
        }
    }

    fn emit_inline(&mut self, piece: Piece) {
        if piece.filled {
            let event = Event::InlineHtml(CowStr::from(piece.text));
            self.out.push_back((event, piece.range));
        }
    }

    /// Reads an HTML block from just after its start; if it leaves a
    /// raw-text element open, folds the blocks after it until one ends it.
    fn block(&mut self, start: Range<usize>) {
        let mut piece = Piece::new(String::new(), start);
        let mut state = State::Data;
        let mut depth = 0usize;
        let mut in_html = true;
        loop {
            let Some((event, range)) = self.inner.next() else {
                self.emit_block(piece);
                return;
            };
            match event {
                Event::Html(h) | Event::InlineHtml(h) => {
                    state = html::state_after(&h, state);
                    piece.text.push_str(&h);
                    piece.take(&range);
                }
                Event::End(TagEnd::HtmlBlock) if in_html && depth == 0 => {
                    piece.take(&range);
                    in_html = false;
                    if state == State::Data {
                        self.emit_block(piece);
                        return;
                    }
                }
                Event::Start(Tag::HtmlBlock) if depth == 0 => {
                    in_html = true;
                    piece.take(&range);
                }
                Event::Start(Tag::FootnoteDefinition(_)) if depth == 0 => {
                    // Written elsewhere: pass it through, then go on.
                    let at = range.end;
                    self.emit_block(piece);
                    self.out.push_back((event, range));
                    self.pass_through();
                    piece = Piece {
                        text: state.reopen(),
                        range: at..at,
                        filled: false,
                    };
                }
                Event::Start(_) => {
                    depth += 1;
                    piece.take(&range);
                }
                Event::End(_) if depth > 0 => {
                    depth -= 1;
                    piece.take(&range);
                    if depth == 0 && state == State::Data {
                        self.emit_block(piece);
                        return;
                    }
                }
                Event::End(_) => {
                    // The container holding the element closes.
                    self.emit_block(piece);
                    self.out.push_back((event, range));
                    return;
                }
                other => piece.swallow(&other, &range),
            }
        }
    }

    fn emit_block(&mut self, piece: Piece) {
        if piece.filled {
            let at = piece.range.clone();
            self.out
                .push_back((Event::Start(Tag::HtmlBlock), at.clone()));
            self.out
                .push_back((Event::Html(CowStr::from(piece.text)), at.clone()));
            self.out.push_back((Event::End(TagEnd::HtmlBlock), at));
        }
    }

    /// Moves the events of a container just started to the output, up to
    /// its end.
    fn pass_through(&mut self) {
        let mut depth = 1usize;
        while depth > 0 {
            let Some((event, range)) = self.inner.next() else {
                return;
            };
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            self.out.push_back((event, range));
        }
    }
}

/// Inline containers: the ones that can open and close inside a paragraph.
fn inline_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    /// The events after folding, as short strings.
    fn folded(md: &str) -> Vec<String> {
        let parser = Parser::new_ext(md, Options::ENABLE_FOOTNOTES).into_offset_iter();
        fold(parser)
            .map(|(e, _)| match e {
                Event::Text(t) => format!("T{t}"),
                Event::InlineHtml(h) => format!("I{h}"),
                Event::Html(h) => format!("H{h}"),
                Event::Start(t) => format!("<{t:?}"),
                Event::End(t) => format!(">{t:?}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn texts(md: &str) -> String {
        folded(md)
            .iter()
            .filter_map(|e| e.strip_prefix('T'))
            .collect()
    }

    #[test]
    fn rawtext_folds_inline_script_with_its_markdown() {
        assert_eq!(
            folded("a <script>alert(1) *x* &lt;</script> b"),
            [
                "<Paragraph",
                "Ta ",
                "I<script>alert(1) x &lt;</script>",
                "T b",
                ">Paragraph"
            ]
        );
        // A self-contained piece and harmless HTML are left alone.
        assert_eq!(texts("a <b>x</b> <script>y</script> c"), "a x  c");
    }

    #[test]
    fn rawtext_reopens_after_an_inline_container() {
        assert_eq!(
            folded("*a <script>b* c</script> d"),
            [
                "<Paragraph",
                "<Emphasis",
                "Ta ",
                "I<script>b",
                ">Emphasis",
                "I<script> c</script>",
                "T d",
                ">Paragraph"
            ]
        );
    }

    #[test]
    fn rawtext_unclosed_element_ends_with_its_block() {
        assert_eq!(texts("a <style>p { x }\n\nnext"), "a next");
        assert_eq!(texts("a <plaintext>b *c* d\n\nnext"), "a next");
        // `</script>` written as text is escaped, so it ends nothing.
        assert_eq!(
            texts("a <script>&lt;/script&gt; alert(1)</script> b"),
            "a  b"
        );
    }

    #[test]
    fn rawtext_folds_blocks_inside_an_html_block_element() {
        let md = "<div><style>\n\np { color: red }\n\n# Heading\n\n</style></div>\n\nafter\n";
        assert_eq!(texts(md), "after");
        let events = folded(md);
        assert_eq!(events[0], "<HtmlBlock");
        assert!(events[1].starts_with("H<div><style>\n") && events[1].contains("</style>"));
        // A footnote definition inside passes through.
        let md = "<div><script>\n\n[^1]: note\n\nalert(1)\n\n</script></div>\n";
        assert_eq!(texts(md), "note");
    }

    #[test]
    fn rawtext_element_in_a_list_item_ends_with_the_item() {
        assert_eq!(texts("- <script>\n  alert(3)\n\n- x\n"), "x");
    }
}
