//! The event builder: pulldown-cmark's events, with their offsets, onto a
//! stack of open frames that close into blocks and inlines with spans.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd,
};

use crate::diag::Diagnostic;
use crate::doc::{self, Align, Block, Definition, Inline, ListItem, NoteId, Target};
use crate::source::{FileId, Span};

use super::{Context, MAX_DEPTH, alerts, ids, options, pandoc_tables, rawtext};

/// What one file's events build: its blocks, and what the note and link
/// passes need of it.
pub(super) struct Built<'a> {
    pub blocks: Vec<Block>,
    pub cx: &'a mut Context,
    /// Label → note id, in order of first reference.
    pub notes: HashMap<String, (NoteId, Span)>,
    /// Label → definition blocks and span.
    pub defs: HashMap<String, (Vec<Block>, Span)>,
    /// Ids as written → ids given.
    pub anchors: HashMap<String, String>,
}

/// Builds one file's blocks from its text (raw-text elements folded first).
pub(super) fn build<'a>(file: FileId, text: &'a str, cx: &'a mut Context) -> Built<'a> {
    // pandoc's simple, multiline and grid tables, each left to pulldown-cmark
    // as an HTML comment of its size and taken back at that comment.
    let (masked, tables) = pandoc_tables::mask(file, text, &mut cx.warnings);
    let mut b = Builder {
        tables,
        file,
        text,
        cx,
        stack: vec![Frame::new(Kind::Root, 0..text.len())],
        notes: HashMap::new(),
        defs: HashMap::new(),
        anchors: HashMap::new(),
        wanted_seen: HashMap::new(),
        given: Vec::new(),
        too_deep: false,
        warned_controls: false,
    };
    let events = rawtext::fold(Parser::new_ext(&masked, options()).into_offset_iter());
    for (event, range) in events {
        if b.too_deep {
            break;
        }
        b.event(event, range);
    }
    let blocks = b.finish();
    let Builder {
        cx,
        notes,
        defs,
        mut anchors,
        given,
        ..
    } = b;
    for id in given {
        anchors.entry(id.clone()).or_insert(id);
    }
    Built {
        blocks,
        cx,
        notes,
        defs,
        anchors,
    }
}

/// What an open frame on the builder stack will become.
#[derive(Debug)]
enum Kind {
    Root,
    Para,
    Heading {
        level: u8,
        id: Option<String>,
        classes: Vec<String>,
        lang: Option<String>,
    },
    BlockQuote,
    Alert(doc::AlertKind),
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
        loose: bool,
    },
    Item {
        task: Option<bool>,
    },
    FootnoteDef {
        label: String,
    },
    DefList {
        items: Vec<Definition>,
        /// Items whose first description's `:` has no space after it:
        /// text, not a definition (pandoc and the extension both ask for
        /// the space).
        not_definitions: Vec<usize>,
    },
    DefTitle,
    DefBody {
        /// Whether its `:` is followed by white space.
        spaced: bool,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    Html {
        text: String,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    TableHead {
        cells: Vec<Vec<Inline>>,
    },
    TableRow {
        cells: Vec<Vec<Inline>>,
    },
    TableCell,
    Emph,
    Strong,
    Strike,
    Link {
        dest: String,
        title: Option<String>,
    },
    Image {
        src: String,
        title: Option<String>,
    },
    /// Superscript, subscript, metadata…: content kept, markup dropped.
    Transparent,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    range: Range<usize>,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// Whether a paragraph tag was seen directly inside (for list looseness).
    saw_para: bool,
}

impl Frame {
    fn new(kind: Kind, range: Range<usize>) -> Self {
        Frame {
            kind,
            range,
            blocks: Vec::new(),
            inlines: Vec::new(),
            saw_para: false,
        }
    }

    /// Whether the frame holds inlines (else blocks).
    fn holds_inlines(&self) -> bool {
        matches!(
            self.kind,
            Kind::Para
                | Kind::Heading { .. }
                | Kind::DefTitle
                | Kind::TableCell
                | Kind::Emph
                | Kind::Strong
                | Kind::Strike
                | Kind::Link { .. }
                | Kind::Image { .. }
                | Kind::Transparent
        )
    }

    /// Wraps loose inlines (tight list items) in a paragraph.
    fn flush_inlines(&mut self, file: FileId) {
        if !self.holds_inlines() && !self.inlines.is_empty() {
            let content = std::mem::take(&mut self.inlines);
            let start = content.first().map_or(0, |i| i.span().start);
            let end = content.last().map_or(0, |i| i.span().end);
            self.blocks.push(Block::Para {
                content,
                span: Span { file, start, end },
            });
        }
    }
}

struct Builder<'a> {
    file: FileId,
    /// The pandoc tables found in the file, taken at their placeholders.
    tables: pandoc_tables::Found,
    /// The file's text, for what the events do not carry.
    text: &'a str,
    cx: &'a mut Context,
    stack: Vec<Frame>,
    /// Label → note id, in order of first reference.
    notes: HashMap<String, (NoteId, Span)>,
    /// Label → definition blocks and span.
    defs: HashMap<String, (Vec<Block>, Span)>,
    anchors: HashMap<String, String>,
    /// How many headings of this file wanted each id so far.
    wanted_seen: HashMap<String, usize>,
    /// The ids headings got, in order: link targets too, where no id as
    /// written (which wins) spells the same.
    given: Vec<String>,
    too_deep: bool,
    /// Whether this file's control characters were reported already.
    warned_controls: bool,
}

/// Whether `c` cannot appear in a book: C0 and C1 controls other than tab
/// and line ends, and the noncharacters U+FFFE and U+FFFF, which XML 1.0
/// forbids and no font draws. NUL is among them.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

impl Builder<'_> {
    /// Drops control characters from `text`, warning once per file.
    fn clean(&mut self, text: pulldown_cmark::CowStr<'_>, range: &Range<usize>) -> String {
        if !text.contains(is_forbidden) {
            return text.into_string();
        }
        if !self.warned_controls {
            self.warned_controls = true;
            let span = self.span(range);
            self.cx.warnings.push(
                Diagnostic::warning("control characters removed from the text")
                    .at(span)
                    .hint("the file holds characters such as U+0007 that no reader can show"),
            );
        }
        text.chars().filter(|&c| !is_forbidden(c)).collect()
    }

    fn span(&self, range: &Range<usize>) -> Span {
        Span::new(self.file, range.clone())
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn push_inline(&mut self, inline: Inline) {
        let top = self.top();
        // Smart punctuation and entities split text into several events: merge them.
        if let (
            Some(Inline::Text { text, span }),
            Inline::Text {
                text: more,
                span: s2,
            },
        ) = (top.inlines.last_mut(), &inline)
            && span.end == s2.start
        {
            text.push_str(more);
            span.end = s2.end;
            return;
        }
        top.inlines.push(inline);
    }

    fn push_block(&mut self, block: Block) {
        let file = self.file;
        let top = self.top();
        top.flush_inlines(file);
        top.blocks.push(block);
    }

    fn open(&mut self, kind: Kind, range: Range<usize>) {
        if self.stack.len() > MAX_DEPTH {
            let d = Diagnostic::error(format!(
                "nesting deeper than {MAX_DEPTH} levels (block quotes, lists or emphasis)"
            ))
            .at(self.span(&range))
            .hint("samizdat refuses such input rather than risk running out of stack");
            self.cx.errors.push(d);
            self.too_deep = true;
            return;
        }
        self.stack.push(Frame::new(kind, range));
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                let span = self.span(&range);
                let text = self.clean(text, &range);
                let top = self.top();
                match &mut top.kind {
                    Kind::Code { text: code, .. } => code.push_str(&text),
                    Kind::Html { text: html } => html.push_str(&text),
                    _ => self.push_inline(Inline::Text { text, span }),
                }
            }
            Event::Code(text) => {
                let span = self.span(&range);
                let text = self.clean(text, &range);
                self.push_inline(Inline::Code { text, span });
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                let span = self.span(&range);
                self.push_inline(Inline::Code {
                    text: text.into_string(),
                    span,
                });
            }
            Event::Html(html) => {
                let span = self.span(&range);
                match &mut self.top().kind {
                    Kind::Html { text } => text.push_str(&html),
                    _ => {
                        ids::raw_html_ids(self.cx, &html, span, &mut self.anchors);
                        self.push_block(Block::Html {
                            html: html.into_string(),
                            span,
                        })
                    }
                }
            }
            Event::InlineHtml(html) => {
                let span = self.span(&range);
                ids::raw_html_ids(self.cx, &html, span, &mut self.anchors);
                self.push_inline(Inline::Html {
                    html: html.into_string(),
                    span,
                });
            }
            Event::FootnoteReference(label) => {
                let span = self.span(&range);
                let label = label.into_string();
                let next = NoteId(self.cx.next_note);
                let id = self.notes.entry(label.clone()).or_insert((next, span)).0;
                if id == next {
                    self.cx.next_note += 1;
                }
                self.push_inline(Inline::Note {
                    id,
                    label,
                    blocks: Vec::new(),
                    span,
                });
            }
            Event::SoftBreak => {
                let span = self.span(&range);
                self.push_inline(Inline::SoftBreak { span });
            }
            Event::HardBreak => {
                let span = self.span(&range);
                self.push_inline(Inline::LineBreak { span });
            }
            Event::Rule => {
                let span = self.span(&range);
                self.push_block(Block::ThematicBreak { span });
            }
            Event::TaskListMarker(done) => {
                for frame in self.stack.iter_mut().rev() {
                    if let Kind::Item { task } = &mut frame.kind {
                        *task = Some(done);
                        break;
                    }
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let kind = match tag {
            Tag::Paragraph => {
                self.top().saw_para = true;
                Kind::Para
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let mut classes: Vec<String> =
                    classes.into_iter().map(|c| c.into_string()).collect();
                // pandoc's `{-}`, short for `{.unnumbered}`, which
                // pulldown-cmark reads as no attribute at all.
                if short_unnumbered(self.text.get(range.clone()).unwrap_or_default()) {
                    classes.push("unnumbered".into());
                }
                Kind::Heading {
                    level: heading_level(level),
                    id: id.map(|s| s.into_string()),
                    classes,
                    // `{lang=fr}`: pandoc's language attribute.
                    lang: attrs
                        .into_iter()
                        .find(|(k, _)| k.as_ref() == "lang")
                        .and_then(|(_, v)| v.map(|v| v.into_string()))
                        .filter(|v| !v.is_empty()),
                }
            }
            Tag::BlockQuote(None) => Kind::BlockQuote,
            Tag::BlockQuote(Some(kind)) => Kind::Alert(alerts::kind(kind)),
            Tag::CodeBlock(kind) => Kind::Code {
                lang: match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(|l| l.trim_matches(['{', '}', '.']).to_string())
                        .filter(|l| !l.is_empty()),
                    CodeBlockKind::Indented => None,
                },
                text: String::new(),
            },
            Tag::HtmlBlock => Kind::Html {
                text: String::new(),
            },
            Tag::List(start) => Kind::List {
                start,
                items: Vec::new(),
                loose: false,
            },
            Tag::Item => Kind::Item { task: None },
            Tag::FootnoteDefinition(label) => Kind::FootnoteDef {
                label: label.into_string(),
            },
            Tag::DefinitionList => Kind::DefList {
                items: Vec::new(),
                not_definitions: Vec::new(),
            },
            Tag::DefinitionListTitle => Kind::DefTitle,
            Tag::DefinitionListDefinition => {
                let rest = self.text.get(range.start..).unwrap_or_default();
                let after = rest.strip_prefix(':').and_then(|r| r.chars().next());
                Kind::DefBody {
                    spaced: after.is_none_or(char::is_whitespace),
                }
            }
            Tag::Table(aligns) => Kind::Table {
                align: aligns
                    .into_iter()
                    .map(|a| match a {
                        Alignment::None => Align::None,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead => Kind::TableHead { cells: Vec::new() },
            Tag::TableRow => Kind::TableRow { cells: Vec::new() },
            Tag::TableCell => Kind::TableCell,
            Tag::Emphasis => Kind::Emph,
            Tag::Strong => Kind::Strong,
            Tag::Strikethrough => Kind::Strike,
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => Kind::Link {
                dest: match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                },
                title: Some(title.into_string()).filter(|t| !t.is_empty()),
            },
            Tag::Image {
                dest_url, title, ..
            } => Kind::Image {
                src: dest_url.into_string(),
                title: Some(title.into_string()).filter(|t| !t.is_empty()),
            },
            Tag::Superscript | Tag::Subscript | Tag::MetadataBlock(_) => Kind::Transparent,
        };
        self.open(kind, range);
    }

    fn end(&mut self, _tag: TagEnd) {
        if self.stack.len() <= 1 {
            return;
        }
        let file = self.file;
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        frame.flush_inlines(file);
        let span = Span::new(file, frame.range.clone());
        let Frame {
            kind,
            blocks,
            inlines,
            saw_para,
            ..
        } = frame;
        match kind {
            Kind::Root => {}
            Kind::Heading {
                level,
                id,
                classes,
                lang,
            } => {
                self.end_heading(level, id, (classes, lang), inlines, span);
            }
            Kind::FootnoteDef { label } => self.end_note_definition(label, blocks, span),
            Kind::Item { task } => self.end_item(task, blocks, saw_para),
            Kind::DefTitle | Kind::DefBody { .. } => {
                self.end_definition_part(&kind, blocks, inlines);
            }
            Kind::TableHead { .. } | Kind::TableRow { .. } | Kind::TableCell => {
                self.end_table_part(kind, inlines);
            }
            Kind::Emph
            | Kind::Strong
            | Kind::Strike
            | Kind::Link { .. }
            | Kind::Image { .. }
            | Kind::Transparent => self.end_inline(kind, inlines, span),
            kind => self.end_block(kind, blocks, inlines, span),
        }
    }

    /// A block that closes into its parent's blocks.
    fn end_block(&mut self, kind: Kind, blocks: Vec<Block>, inlines: Vec<Inline>, span: Span) {
        if let Kind::Html { .. } = kind
            && let Some(table) = self.tables.take(span.start as usize)
        {
            let file = self.file;
            for block in table.into_blocks(file, &mut |cell| self.parse_apart(cell)) {
                self.push_block(block);
            }
            return;
        }
        let block = match kind {
            Kind::Para => Block::Para {
                content: inlines,
                span,
            },
            Kind::BlockQuote => Block::BlockQuote { blocks, span },
            Kind::Alert(kind) => Block::Alert { kind, blocks, span },
            Kind::List {
                start,
                items,
                loose,
            } => Block::List {
                start,
                tight: !loose,
                items,
                span,
            },
            Kind::DefList {
                items,
                not_definitions,
            } => {
                if not_definitions.is_empty() {
                    Block::DefinitionList { items, span }
                } else {
                    return self.end_false_definitions(items, &not_definitions, span);
                }
            }
            Kind::Code { lang, text } => Block::CodeBlock { lang, text, span },
            Kind::Html { text } => {
                ids::raw_html_ids(self.cx, &text, span, &mut self.anchors);
                Block::Html { html: text, span }
            }
            Kind::Table { align, head, rows } => Block::Table {
                align,
                widths: Vec::new(),
                head,
                rows,
                span,
            },
            _ => return,
        };
        self.push_block(block);
    }

    /// A heading: its id claimed book-wide (the one written, else one made
    /// from its text), the id as written recorded for links into the file.
    fn end_heading(
        &mut self,
        level: u8,
        id: Option<String>,
        (classes, lang): (Vec<String>, Option<String>),
        mut content: Vec<Inline>,
        span: Span,
    ) {
        // Bracketed spans first, so that the id made from the text leaves
        // their attributes out.
        super::spans::pair(&mut content, self.text, self.stack.len());
        let got = ids::heading_id(
            self.cx,
            id,
            &content,
            span,
            &mut self.wanted_seen,
            &mut self.anchors,
        );
        self.given.push(got.clone());
        self.push_block(Block::Heading {
            level,
            id: got,
            classes,
            lang,
            content,
            span,
        });
    }

    /// A note's definition, kept for its references; a second one of the
    /// same label is a warning.
    fn end_note_definition(&mut self, label: String, blocks: Vec<Block>, span: Span) {
        match self.defs.entry(label) {
            std::collections::hash_map::Entry::Occupied(e) => {
                self.cx.warnings.push(
                    Diagnostic::warning(format!(
                        "footnote [^{}] is defined twice; the first definition is used",
                        e.key()
                    ))
                    .at(span),
                );
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((blocks, span));
            }
        }
    }

    /// A definition list some of whose items are not definitions (`:3 or
    /// so.` at a line start): those become the paragraph they were written
    /// as — the term, a line break, the `:` and the text after it — and the
    /// others stay definition lists around them.
    fn end_false_definitions(&mut self, items: Vec<Definition>, not: &[usize], span: Span) {
        let mut run = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            if !not.contains(&i) {
                run.push(item);
                continue;
            }
            if !run.is_empty() {
                let items = std::mem::take(&mut run);
                self.push_block(Block::DefinitionList { items, span });
            }
            let mut content = item.term;
            content.push(Inline::SoftBreak { span });
            content.push(Inline::Text {
                text: ":".into(),
                span,
            });
            let mut definitions = item.definitions.into_iter();
            let mut first = definitions.next().unwrap_or_default().into_iter();
            let mut rest: Vec<Block> = Vec::new();
            match first.next() {
                Some(Block::Para { content: more, .. }) => content.extend(more),
                Some(other) => rest.push(other),
                None => {}
            }
            rest.extend(first);
            self.push_block(Block::Para { content, span });
            for block in rest.into_iter().chain(definitions.flatten()) {
                self.push_block(block);
            }
        }
        if !run.is_empty() {
            self.push_block(Block::DefinitionList { items: run, span });
        }
    }

    /// A list item, into its list (which is loose if any item holds a
    /// paragraph tag).
    fn end_item(&mut self, task: Option<bool>, blocks: Vec<Block>, saw_para: bool) {
        if let Some(Frame {
            kind: Kind::List { items, loose, .. },
            ..
        }) = self.stack.last_mut()
        {
            *loose |= saw_para;
            items.push(ListItem { task, blocks });
        }
    }

    /// A definition list's term or definition, into its list (a definition
    /// before any term gets an empty one).
    fn end_definition_part(&mut self, kind: &Kind, blocks: Vec<Block>, term: Vec<Inline>) {
        let Some(Frame {
            kind:
                Kind::DefList {
                    items,
                    not_definitions,
                },
            ..
        }) = self.stack.last_mut()
        else {
            return;
        };
        if let (Kind::DefBody { spaced: false }, Some(item)) = (kind, items.last())
            && item.definitions.is_empty()
        {
            not_definitions.push(items.len() - 1);
        }
        match (kind, items.last_mut()) {
            (Kind::DefTitle, _) => items.push(Definition {
                term,
                definitions: Vec::new(),
            }),
            (_, Some(item)) => item.definitions.push(blocks),
            (_, None) => items.push(Definition {
                term: Vec::new(),
                definitions: vec![blocks],
            }),
        }
    }

    /// A table's head, row or cell, into what holds it.
    fn end_table_part(&mut self, kind: Kind, inlines: Vec<Inline>) {
        let parent = self.stack.last_mut().map(|f| &mut f.kind);
        match (kind, parent) {
            (Kind::TableHead { cells }, Some(Kind::Table { head, .. })) => *head = cells,
            (Kind::TableRow { cells }, Some(Kind::Table { rows, .. })) => rows.push(cells),
            (Kind::TableCell, Some(Kind::TableHead { cells } | Kind::TableRow { cells })) => {
                cells.push(inlines)
            }
            _ => {}
        }
    }

    /// An inline that closes into its parent's inlines (a transparent one
    /// gives them its content).
    fn end_inline(&mut self, kind: Kind, content: Vec<Inline>, span: Span) {
        let inline = match kind {
            Kind::Emph => Inline::Emph { content, span },
            Kind::Strong => Inline::Strong { content, span },
            Kind::Strike => Inline::Strikeout { content, span },
            Kind::Link { dest, title } => Inline::Link {
                target: classify(&dest),
                title,
                content,
                span,
            },
            Kind::Image { src, title } => Inline::Image {
                src,
                alt: doc::plain_text(&content),
                title,
                span,
            },
            _ => {
                for inline in content {
                    self.push_inline(inline);
                }
                return;
            }
        };
        self.push_inline(inline);
    }

    /// The blocks of `text` (a pandoc table's cell) read apart, with this
    /// file's notes, spans relative to `text`.
    fn parse_apart(&mut self, text: &str) -> Vec<Block> {
        let mut sub = Builder {
            file: self.file,
            tables: pandoc_tables::Found::default(),
            text,
            cx: &mut *self.cx,
            stack: vec![Frame::new(Kind::Root, 0..text.len())],
            notes: std::mem::take(&mut self.notes),
            defs: HashMap::new(),
            anchors: HashMap::new(),
            wanted_seen: HashMap::new(),
            given: Vec::new(),
            too_deep: false,
            warned_controls: self.warned_controls,
        };
        // The file's note labels and link definitions the cell may use,
        // after it, so pulldown-cmark resolves them (the notes' stand-in
        // bodies are dropped with `sub.defs`).
        let with_defs = self.tables.definitions_for(text);
        let events = Parser::new_ext(&with_defs, options()).into_offset_iter();
        for (event, range) in rawtext::fold(events) {
            if sub.too_deep {
                break;
            }
            sub.event(event, range);
        }
        let blocks = sub.finish();
        self.notes = std::mem::take(&mut sub.notes);
        self.warned_controls = sub.warned_controls;
        blocks
    }

    /// Closes whatever is still open (only after an error cut the input short).
    fn finish(&mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.end(TagEnd::Paragraph);
        }
        let file = self.file;
        let root = self.top();
        root.flush_inlines(file);
        std::mem::take(&mut root.blocks)
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Whether a heading's source ends in an attribute block holding `-`
/// alone among its words (`## Preface {-}`, `# Notes {#notes -}`).
fn short_unnumbered(heading: &str) -> bool {
    let line = heading.lines().next().unwrap_or_default().trim_end();
    let line = line.trim_end_matches('#').trim_end();
    line.strip_suffix('}')
        .and_then(|l| l.rsplit_once('{'))
        .is_some_and(|(_, attrs)| attrs.split_whitespace().any(|w| w == "-"))
}

/// A destination with a URL scheme goes outside the book; anything else
/// (`#id`, `other.md#id`, `other.md`) is resolved by [`resolve_links`].
/// Internal targets hold the raw destination until then.
pub(super) fn classify(dest: &str) -> Target {
    let scheme = dest.split_once(':').map(|(s, _)| s).filter(|s| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if scheme.is_some() || dest.starts_with("//") {
        Target::External(dest.to_string())
    } else {
        Target::Internal(dest.to_string())
    }
}
