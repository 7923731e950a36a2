//! Blocks and inlines of the shared tree → polyglot XHTML5 content documents.
//!
//! One [`Writer`] writes the body of one document: a part or a chapter.
//! Every text node and attribute value goes through [`escape_text`] or
//! [`escape_attr`]; raw HTML goes through the sanitiser; so the result is
//! always well-formed XML. Notes become a reference where they stand
//! (`<a epub:type="noteref" role="doc-noteref">` holding only the number,
//! no `<sup>`, which breaks Apple Books' popups; CSS raises it) and an
//! `<aside epub:type="footnote" role="doc-footnote">` at the end of the
//! document with a link back to every reference, the markup that Apple
//! Books, Kobo, Kindle and Thorium show as a popup
//! (<https://www.w3.org/TR/epub-ssv-11/#notes>,
//! <https://www.w3.org/TR/dpub-aria-1.1/#doc-noteref>).
//! Cross-document links are resolved from the id map made by the planner.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::NoteNumbering;
use super::media::Images;
use super::sanitize::{self, Context, Fragment, Resolve};
use crate::diag::{Diagnostic, Warnings};
use crate::doc::{Block, Inline, NoteId};
use crate::hyphenate::SoftHyphens;
use crate::labels::Labels;
use crate::source::Span;

mod blocks;
mod containers;
mod inline;
mod notes;

/// Appends `text` escaped for XML character data. Characters XML 1.0
/// forbids (C0 controls other than tab and newlines, U+FFFE/U+FFFF) are
/// dropped, since no reading system could parse them.
pub(super) fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Appends `text` escaped for a double-quoted attribute value. Newlines and
/// tabs become references so that attribute normalisation keeps them.
pub(super) fn escape_attr(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text` escaped for XML character data, as a new string.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_text(text, &mut out);
    out
}

/// `text` escaped for an attribute value, as a new string.
pub(super) fn escape_a(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_attr(text, &mut out);
    out
}

/// XML 1.0 `Char` production.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A whole XHTML content document around `body` (which holds the body's
/// content; `body_type` is the body's `epub:type`, if any).
pub(super) fn document(
    lang: &str,
    title: &str,
    stylesheets: &[&str],
    body_type: Option<&str>,
    body: &str,
) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    let lang = escape_a(lang);
    out.push_str(&format!(" xml:lang=\"{lang}\" lang=\"{lang}\">\n<head>\n"));
    out.push_str("<meta charset=\"UTF-8\"/>\n<title>");
    escape_text(title, &mut out);
    out.push_str("</title>\n");
    for css in stylesheets {
        out.push_str(&format!(
            "<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>\n",
            escape_a(css)
        ));
    }
    out.push_str("</head>\n<body");
    if let Some(t) = body_type {
        out.push_str(&format!(" epub:type=\"{t}\""));
    }
    out.push_str(">\n");
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

/// What every document's writer shares: the id map, the packaged images,
/// note numbers that run through the book, and the diagnostics.
#[derive(Debug)]
pub(super) struct Shared {
    /// Which file holds each id of the book.
    pub ids: HashMap<String, String>,
    /// Images copied into the package.
    pub images: Images,
    /// Soft hyphenation, when the edition asks for it and the language has it.
    pub hyphens: Option<SoftHyphens>,
    /// Per chapter or per book.
    pub numbering: NoteNumbering,
    /// Note numbers given so far, for per-book numbering.
    pub book_numbers: HashMap<NoteId, u32>,
    /// Prefix of the ids of notes and their references (`fn`, unless the
    /// book uses such ids itself).
    pub note_prefix: String,
    /// Words added by the writer.
    pub labels: &'static Labels,
    /// Warnings met so far.
    pub warnings: Warnings,
    /// Errors met so far; the build fails after every document is written,
    /// so that all of them are reported at once.
    pub errors: Vec<Diagnostic>,
    /// Whether some image has no alt text (the package then does not claim
    /// `alternativeText`).
    pub missing_alt: bool,
    /// Print page breaks by the text node they fall in: (byte offset,
    /// page number as printed), in page order.
    pub page_breaks: HashMap<Span, Vec<(u32, String)>>,
    /// The prefix of page-break ids, free of the book's ids.
    pub page_prefix: String,
    /// The page-break markers written, in reading order: (page number,
    /// `file#id`), for the page list.
    pub pages: Vec<(String, String)>,
}

/// A note met in the document, waiting to be written at its end.
#[derive(Debug)]
struct Pending<'b> {
    number: u32,
    blocks: &'b [Block],
    /// References to it so far in this document.
    refs: u32,
}

/// Writes the body content of one document.
pub(super) struct Writer<'s, 'b> {
    shared: &'s mut Shared,
    /// This document's file name, to keep same-document links short.
    file: &'s str,
    /// The source file's directory, relative to the book: image paths are
    /// relative to it.
    base: &'s Path,
    /// The output so far.
    pub out: String,
    notes: Vec<Pending<'b>>,
    note_index: HashMap<NoteId, usize>,
    ids: HashSet<String>,
    /// Whether text gets soft hyphens here (not in headings or code).
    soften: bool,
    /// Depth of links being written: a note reference met inside a link
    /// waits until the link is closed (links do not nest).
    in_link: usize,
    deferred: Vec<(NoteId, &'b [Block])>,
    /// Every note's blocks, book-wide: the tree gives them at a note's
    /// first reference only, which this document may not hold or may meet
    /// later than another (notes are written breadth first).
    bodies: Option<&'s HashMap<NoteId, &'b [Block]>>,
}

impl<'s, 'b> Writer<'s, 'b> {
    /// A writer for the document `file`.
    pub(super) fn new(shared: &'s mut Shared, file: &'s str, base: &'s Path) -> Self {
        Writer {
            shared,
            file,
            base,
            out: String::new(),
            notes: Vec::new(),
            note_index: HashMap::new(),
            ids: HashSet::new(),
            soften: true,
            in_link: 0,
            deferred: Vec::new(),
            bodies: None,
        }
    }

    /// Where to find a note's blocks when its reference here has none
    /// ([`crate::doc::note_bodies`] over the book).
    pub(super) fn note_bodies(&mut self, bodies: &'s HashMap<NoteId, &'b [Block]>) {
        self.bodies = Some(bodies);
    }

    /// Records an id written by the caller (a section's or a heading's).
    pub(super) fn claim_id(&mut self, id: &str) {
        self.ids.insert(id.to_string());
    }

    /// Writes `<hN id="…">` with content, never soft-hyphenated; `prefix`
    /// is markup put before the content (a chapter number).
    pub(super) fn heading(
        &mut self,
        level: u8,
        id: Option<&str>,
        class: &str,
        prefix: &str,
        content: &'b [Inline],
    ) {
        self.heading_in(level, id, class, None, prefix, content);
    }

    /// A heading as [`Self::heading`] writes it, in language `lang`
    /// (`lang` and `xml:lang`, EPUB 3.3 §3.5.4) where it has one.
    fn heading_in(
        &mut self,
        level: u8,
        id: Option<&str>,
        class: &str,
        lang: Option<&str>,
        prefix: &str,
        content: &'b [Inline],
    ) {
        let level = level.clamp(1, 6);
        self.out.push_str(&format!("<h{level}"));
        if let Some(id) = id {
            self.claim_id(id);
            self.out.push_str(&format!(" id=\"{}\"", escape_a(id)));
        }
        if !class.is_empty() {
            self.out
                .push_str(&format!(" class=\"{}\"", escape_a(class)));
        }
        if let Some(lang) = lang {
            let lang = escape_a(lang);
            self.out
                .push_str(&format!(" lang=\"{lang}\" xml:lang=\"{lang}\""));
        }
        self.out.push('>');
        self.out.push_str(prefix);
        let soften = std::mem::replace(&mut self.soften, false);
        self.inlines(content);
        self.soften = soften;
        self.out.push_str(&format!("</h{level}>\n"));
    }

    /// Writes a sequence of blocks.
    pub(super) fn blocks(&mut self, blocks: &'b [Block]) {
        let mut raw = Fragment::new(Context::Flow);
        for block in blocks {
            if let Block::Html { html, span } = block {
                self.raw_html(&mut raw, html, *span);
            } else {
                raw.close_to_flow(&mut self.out);
                if !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.block(block);
            }
        }
        raw.finish(&mut self.out);
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn block(&mut self, block: &'b Block) {
        match block {
            Block::Para { content, .. } => {
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::Heading {
                level,
                id,
                classes,
                lang,
                content,
                ..
            } => {
                let class = classes
                    .iter()
                    .filter(|c| valid_class(c))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                self.heading_in(*level, Some(id), &class, lang.as_deref(), "", content);
            }
            Block::Figure {
                src,
                alt,
                caption,
                id,
                span,
            } => self.figure(src, alt, caption, id.as_deref(), *span),
            Block::Div { attrs, blocks, .. } => {
                self.out.push_str("<div");
                self.attrs(attrs, "");
                self.out.push_str(">\n");
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
            Block::Alert { kind, blocks, .. } => self.alert(*kind, blocks),
            Block::BlockQuote { blocks, .. } => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::List {
                start,
                tight,
                items,
                ..
            } => self.list(*start, *tight, items),
            Block::DefinitionList { items, .. } => self.definition_list(items),
            Block::CodeBlock { lang, text, .. } => self.code_block(lang.as_deref(), text),
            Block::Table {
                align,
                widths,
                head,
                rows,
                ..
            } => self.table(align, widths, head, rows),
            Block::ThematicBreak { .. } => self.out.push_str("<hr/>\n"),
            Block::Html { html, span } => {
                let mut raw = Fragment::new(Context::Flow);
                self.raw_html(&mut raw, html, *span);
                raw.finish(&mut self.out);
            }
        }
    }

    fn raw_html(&mut self, raw: &mut Fragment, html: &str, span: Span) {
        let mut resolver = Resolver {
            shared: self.shared,
            file: self.file,
            base: self.base,
            ids: &mut self.ids,
            span,
        };
        let removed = raw.feed(html, &mut self.out, &mut resolver);
        for message in removed {
            self.warn(span, format!("raw HTML: {message}"));
        }
    }

    fn warn(&mut self, span: Span, message: String) {
        self.shared
            .warnings
            .push(Diagnostic::warning(message).at(span));
    }

    fn warn_hint(&mut self, span: Span, message: String, hint: &str) {
        self.shared
            .warnings
            .push(Diagnostic::warning(message).at(span).hint(hint));
    }
}

/// Rewrites URLs and checks ids in raw HTML for the sanitiser.
struct Resolver<'a> {
    shared: &'a mut Shared,
    file: &'a str,
    base: &'a Path,
    ids: &'a mut HashSet<String>,
    span: Span,
}

impl Resolve for Resolver<'_> {
    fn href(&mut self, url: &str) -> Option<String> {
        if let Some(id) = url.strip_prefix('#') {
            let file = self.shared.ids.get(id)?;
            return Some(if file == self.file {
                url.to_string()
            } else {
                format!("{file}{url}")
            });
        }
        let scheme = url.split_once(':').map(|(s, _)| s);
        if scheme.is_some_and(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }) {
            return Some(url.to_string());
        }
        self.shared.warnings.push(
            Diagnostic::warning(format!(
                "raw HTML: removed link to `{url}`, which is not in the book"
            ))
            .at(self.span)
            .hint("link to a heading with `#id`, or to a full URL"),
        );
        None
    }

    fn image(&mut self, src: &str) -> Option<String> {
        match self.shared.images.add(self.base, src) {
            Ok(href) => {
                if let Some(removed) = self.shared.images.take_removed() {
                    let warning = Diagnostic::warning(removed).at(self.span);
                    self.shared.warnings.push(warning);
                }
                Some(href)
            }
            Err(e) => {
                let d = if e.is_error() {
                    &mut self.shared.errors
                } else {
                    &mut self.shared.warnings
                };
                let diag = if e.is_error() {
                    Diagnostic::error(e.message(src))
                } else {
                    Diagnostic::warning(e.message(src))
                };
                d.push(diag.at(self.span));
                None
            }
        }
    }

    fn id(&mut self, id: &str) -> bool {
        self.ids.insert(id.to_string())
    }
}

/// Class names we copy from the source: no spaces or markup characters.
fn valid_class(c: &str) -> bool {
    !c.is_empty()
        && c.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// A code language as a class name (`c++` → `c++`, `Rust!` → `rust`).
fn ascii_class(lang: &str) -> String {
    lang.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "+-_#".contains(*c))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Every id in some blocks: headings (also inside quotes, lists and notes)
/// and the `id` attributes of raw HTML.
pub(super) fn collect_ids(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Para { content, .. } => collect_inline_ids(content, out),
            Block::Heading { id, content, .. } => {
                out.push(id.clone());
                collect_inline_ids(content, out);
            }
            Block::BlockQuote { blocks, .. } | Block::Alert { blocks, .. } => {
                collect_ids(blocks, out)
            }
            Block::Div { attrs, blocks, .. } => {
                out.extend(attrs.id.clone());
                collect_ids(blocks, out);
            }
            Block::Figure { id, caption, .. } => {
                out.extend(id.clone());
                collect_inline_ids(caption, out);
            }
            Block::List { items, .. } => {
                for item in items {
                    collect_ids(&item.blocks, out);
                }
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    collect_inline_ids(&item.term, out);
                    for d in &item.definitions {
                        collect_ids(d, out);
                    }
                }
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    collect_inline_ids(cell, out);
                }
            }
            Block::Html { html, .. } => out.extend(sanitize::ids(html, Context::Flow)),
            Block::CodeBlock { .. } | Block::ThematicBreak { .. } => {}
        }
    }
}

fn collect_inline_ids(inlines: &[Inline], out: &mut Vec<String>) {
    for inline in inlines {
        match inline {
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Link { content, .. } => collect_inline_ids(content, out),
            Inline::Span { attrs, content, .. } => {
                out.extend(attrs.id.clone());
                collect_inline_ids(content, out);
            }
            Inline::Note { blocks, .. } => collect_ids(blocks, out),
            Inline::Html { html, .. } => out.extend(sanitize::ids(html, Context::Phrasing)),
            _ => {}
        }
    }
}
