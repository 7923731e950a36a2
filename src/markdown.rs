//! Markdown → the shared tree. The only module that imports pulldown-cmark.
//!
//! One source file is parsed at a time into blocks ([`parse`]); the loader
//! then cuts files into chapters and calls [`resolve_links`] once every
//! file's ids are known. Every node keeps its source span, read through
//! pulldown-cmark's offset iterator. Footnote references get the blocks of
//! their definition (Pandoc's `Note [Block]`); a reference without a
//! definition is an error, an unused or doubled definition a warning.
//!
//! The tree is built with an explicit stack, never by recursion over the
//! input, and nesting deeper than [`MAX_DEPTH`] is refused, so that hostile
//! input (ten thousand `>`) cannot overflow the stack here or in a backend.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::diag::{Diagnostic, Warnings};
use crate::doc::{self, Align, Block, Definition, Inline, ListItem, NoteId, Target};
use crate::source::{FileId, Span};

/// Deepest nesting of blocks or inlines accepted. Real books stay under ten;
/// the limit only stops pathological input before it can exhaust the stack
/// of a recursive backend.
pub const MAX_DEPTH: usize = 64;

/// The extensions samizdat reads: footnotes, smart punctuation, tables,
/// strikethrough, heading attributes, definition lists and task lists.
fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_TASKLISTS
}

/// Book-wide state shared by the parses of all files.
#[derive(Debug, Default)]
pub struct Context {
    /// Ids already taken in the book.
    used_ids: HashSet<String>,
    /// For each id wanted more than once, the suffix to try next, so that
    /// thousands of equal headings are numbered in linear time.
    next_suffix: HashMap<String, usize>,
    /// The next note id to hand out.
    next_note: u32,
    /// Errors found so far (the build stops after the whole book is read).
    pub errors: Vec<Diagnostic>,
    /// Warnings found so far.
    pub warnings: Warnings,
}

impl Context {
    /// A fresh context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes `wanted` as an id, or the first free `wanted-N`. A clash of an
    /// id the author gave explicitly is a warning at `span`.
    pub fn claim_id(&mut self, wanted: &str, explicit: bool, span: Option<Span>) -> String {
        if self.used_ids.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        // The first free `wanted-N`, N from where the last search for the
        // same id stopped (an author's own `wanted-3` is skipped over).
        let mut n = self.next_suffix.get(wanted).copied().unwrap_or(1);
        let id = loop {
            let candidate = format!("{wanted}-{n}");
            n += 1;
            if self.used_ids.insert(candidate.clone()) {
                break candidate;
            }
        };
        self.next_suffix.insert(wanted.to_string(), n);
        if explicit {
            let mut d = Diagnostic::warning(format!(
                "id `{wanted}` is already used in this book; this one becomes `{id}`"
            ));
            if let Some(span) = span {
                d = d.at(span);
            }
            self.warnings.push(d);
        }
        id
    }
}

/// One parsed file.
#[derive(Debug)]
pub struct Parsed {
    /// Its blocks, notes filled in, links not yet resolved.
    pub blocks: Vec<Block>,
    /// Ids as the author wrote them (explicit or derived from the heading
    /// text) → the ids they got, for links into this file.
    pub anchors: HashMap<String, String>,
}

/// Parses one Markdown file into blocks.
pub fn parse(file: FileId, text: &str, cx: &mut Context) -> Parsed {
    let mut b = Builder {
        file,
        cx,
        stack: vec![Frame::new(Kind::Root, 0..text.len())],
        notes: HashMap::new(),
        defs: HashMap::new(),
        anchors: HashMap::new(),
        too_deep: false,
        warned_controls: false,
    };
    let events = rawtext::fold(Parser::new_ext(text, options()).into_offset_iter());
    for (event, range) in events {
        if b.too_deep {
            break;
        }
        b.event(event, range);
    }
    let mut blocks = b.finish();
    let Builder {
        cx,
        notes,
        defs,
        anchors,
        ..
    } = b;
    fill_notes(&mut blocks, &defs, &mut Vec::new(), &mut HashSet::new(), cx);
    find_undefined_refs(&mut blocks, file, text, cx);
    report_unused(&notes, &defs, cx);
    Parsed { blocks, anchors }
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
    },
    BlockQuote,
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
    },
    DefTitle,
    DefBody,
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
    cx: &'a mut Context,
    stack: Vec<Frame>,
    /// Label → note id, in order of first reference.
    notes: HashMap<String, (NoteId, Span)>,
    /// Label → definition blocks and span.
    defs: HashMap<String, (Vec<Block>, Span)>,
    anchors: HashMap<String, String>,
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
                    _ => self.push_block(Block::Html {
                        html: html.into_string(),
                        span,
                    }),
                }
            }
            Event::InlineHtml(html) => {
                let span = self.span(&range);
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
                level, id, classes, ..
            } => Kind::Heading {
                level: heading_level(level),
                id: id.map(|s| s.into_string()),
                classes: classes.into_iter().map(|c| c.into_string()).collect(),
            },
            Tag::BlockQuote(_) => Kind::BlockQuote,
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
            Tag::DefinitionList => Kind::DefList { items: Vec::new() },
            Tag::DefinitionListTitle => Kind::DefTitle,
            Tag::DefinitionListDefinition => Kind::DefBody,
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
        match frame.kind {
            Kind::Root => {}
            Kind::Para => self.push_block(Block::Para {
                content: frame.inlines,
                span,
            }),
            Kind::Heading { level, id, classes } => {
                let explicit = id.is_some();
                let wanted = id.unwrap_or_else(|| doc::slugify(&doc::plain_text(&frame.inlines)));
                let got = self.cx.claim_id(&wanted, explicit, Some(span));
                self.anchors.entry(wanted).or_insert_with(|| got.clone());
                self.push_block(Block::Heading {
                    level,
                    id: got,
                    classes,
                    content: frame.inlines,
                    span,
                });
            }
            Kind::BlockQuote => self.push_block(Block::BlockQuote {
                blocks: frame.blocks,
                span,
            }),
            Kind::List {
                start,
                items,
                loose,
            } => self.push_block(Block::List {
                start,
                tight: !loose,
                items,
                span,
            }),
            Kind::Item { task } => {
                let loose = frame.saw_para;
                if let Some(Frame {
                    kind:
                        Kind::List {
                            items, loose: l, ..
                        },
                    ..
                }) = self.stack.last_mut()
                {
                    *l |= loose;
                    items.push(ListItem {
                        task,
                        blocks: frame.blocks,
                    });
                }
            }
            Kind::FootnoteDef { label } => match self.defs.entry(label) {
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
                    e.insert((frame.blocks, span));
                }
            },
            Kind::DefList { items } => self.push_block(Block::DefinitionList { items, span }),
            Kind::DefTitle => {
                if let Some(Frame {
                    kind: Kind::DefList { items },
                    ..
                }) = self.stack.last_mut()
                {
                    items.push(Definition {
                        term: frame.inlines,
                        definitions: Vec::new(),
                    });
                }
            }
            Kind::DefBody => {
                if let Some(Frame {
                    kind: Kind::DefList { items },
                    ..
                }) = self.stack.last_mut()
                {
                    match items.last_mut() {
                        Some(item) => item.definitions.push(frame.blocks),
                        None => items.push(Definition {
                            term: Vec::new(),
                            definitions: vec![frame.blocks],
                        }),
                    }
                }
            }
            Kind::Code { lang, text } => self.push_block(Block::CodeBlock { lang, text, span }),
            Kind::Html { text } => self.push_block(Block::Html { html: text, span }),
            Kind::Table { align, head, rows } => self.push_block(Block::Table {
                align,
                head,
                rows,
                span,
            }),
            Kind::TableHead { cells } => {
                if let Some(Frame {
                    kind: Kind::Table { head, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    *head = cells;
                }
            }
            Kind::TableRow { cells } => {
                if let Some(Frame {
                    kind: Kind::Table { rows, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    rows.push(cells);
                }
            }
            Kind::TableCell => {
                if let Some(Kind::TableHead { cells } | Kind::TableRow { cells }) =
                    self.stack.last_mut().map(|f| &mut f.kind)
                {
                    cells.push(frame.inlines);
                }
            }
            Kind::Emph => self.push_inline(Inline::Emph {
                content: frame.inlines,
                span,
            }),
            Kind::Strong => self.push_inline(Inline::Strong {
                content: frame.inlines,
                span,
            }),
            Kind::Strike => self.push_inline(Inline::Strikeout {
                content: frame.inlines,
                span,
            }),
            Kind::Link { dest, title } => self.push_inline(Inline::Link {
                target: classify(&dest),
                title,
                content: frame.inlines,
                span,
            }),
            Kind::Image { src, title } => self.push_inline(Inline::Image {
                src,
                alt: doc::plain_text(&frame.inlines),
                title,
                span,
            }),
            Kind::Transparent => {
                for inline in frame.inlines {
                    self.push_inline(inline);
                }
            }
        }
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

/// A destination with a URL scheme goes outside the book; anything else
/// (`#id`, `other.md#id`, `other.md`) is resolved by [`resolve_links`].
/// Internal targets hold the raw destination until then.
fn classify(dest: &str) -> Target {
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

/// Notes cited from inside notes, deepest chain accepted: `[^a]` citing
/// `[^b]` citing `[^c]` is a chain of three. Each note in a chain may hold
/// [`MAX_DEPTH`] levels of blocks of its own, so the chain multiplies the
/// depth a recursive backend sees; four keeps it within 256 levels, where
/// real books need two.
pub const MAX_NOTE_DEPTH: usize = 4;

/// Gives the first reference to each note (in reading order, notes' own
/// text read where they are cited, as the typesetter numbers them) the
/// blocks of its definition; later references carry none, so a note cited
/// twice from a note cited twice… is copied once, not 2ⁿ times (backends
/// take a note's blocks from its first reference, or look them up with
/// [`doc::note_bodies`]). A missing definition is an error; a note that
/// cites itself, directly or through others, keeps that reference as a
/// marker only, with a warning; a chain of notes deeper than
/// [`MAX_NOTE_DEPTH`] is refused.
fn fill_notes(
    blocks: &mut [Block],
    defs: &HashMap<String, (Vec<Block>, Span)>,
    stack: &mut Vec<String>,
    filled: &mut HashSet<String>,
    cx: &mut Context,
) {
    visit_inlines_mut(blocks, &mut |inline| {
        if let Inline::Note {
            label,
            blocks: body,
            span,
            ..
        } = inline
        {
            match defs.get(label.as_str()) {
                Some(_) if stack.contains(label) => {
                    let message = if stack.last() == Some(label) {
                        format!("footnote [^{label}] refers to itself")
                    } else {
                        let at = stack.iter().position(|l| l == label).unwrap_or(0);
                        let through: Vec<String> =
                            stack[at + 1..].iter().map(|l| format!("[^{l}]")).collect();
                        format!(
                            "footnote [^{label}] refers to itself through {}",
                            through.join(" → ")
                        )
                    };
                    cx.warnings
                        .push(Diagnostic::warning(message).at(*span).hint(format!(
                            "the reference shows the number of [^{label}] and links to it"
                        )));
                }
                Some(_) if filled.contains(label.as_str()) => {}
                Some(_) if stack.len() >= MAX_NOTE_DEPTH => {
                    // Once per note: its later references are skipped.
                    filled.insert(label.clone());
                    cx.errors.push(
                        Diagnostic::error(format!(
                            "footnote [^{label}] would nest notes {} deep (a note cited from a note cited from …); at most {MAX_NOTE_DEPTH} are accepted", stack.len() + 1
                        ))
                        .at(*span)
                        .hint("cite it from the text, or merge the notes"),
                    );
                }
                Some((def, _)) => {
                    filled.insert(label.clone());
                    *body = def.clone();
                    stack.push(label.clone());
                    fill_notes(body, defs, stack, filled, cx);
                    stack.pop();
                }
                None => cx.errors.push(
                    Diagnostic::error(format!("footnote [^{label}] has no definition"))
                        .at(*span)
                        .hint(format!("define it with `[^{label}]: …` in the same file")),
                ),
            }
        }
    });
}

/// pulldown-cmark, like GitHub, leaves a reference to an undefined note as
/// literal text. Find `[^label]` in text (not in code, not escaped in the
/// source) and report it where it stands.
fn find_undefined_refs(blocks: &mut [Block], file: FileId, source: &str, cx: &mut Context) {
    let mut found = Vec::new();
    let mut check = |inline: &mut Inline| {
        let Inline::Text { span, .. } = inline else {
            return;
        };
        let range = span.start as usize..(span.end as usize).min(source.len());
        let Some(raw) = source.get(range.clone()) else {
            return;
        };
        let mut from = 0;
        while let Some(at) = raw[from..].find("[^") {
            let start = from + at;
            from = start + 2;
            let rest = &raw[from..];
            let Some(close) = rest.find(']') else { break };
            let label = &rest[..close];
            let escaped = raw[..start].ends_with('\\');
            if !label.is_empty() && !escaped && !label.contains(char::is_whitespace) {
                let span = Span::new(file, range.start + start..range.start + from + close + 1);
                found.push((span, label.to_string()));
            }
        }
    };
    visit_inlines_mut(blocks, &mut |inline| {
        if let Inline::Note { blocks, .. } = inline {
            visit_inlines_mut(blocks, &mut check);
        } else {
            check(inline);
        }
    });
    found.sort();
    found.dedup();
    for (span, label) in found {
        cx.errors.push(
            Diagnostic::error(format!("footnote [^{label}] has no definition"))
                .at(span)
                .hint(format!("define it with `[^{label}]: …` in the same file")),
        );
    }
}

fn report_unused(
    notes: &HashMap<String, (NoteId, Span)>,
    defs: &HashMap<String, (Vec<Block>, Span)>,
    cx: &mut Context,
) {
    let mut unused: Vec<_> = defs
        .iter()
        .filter(|(label, _)| !notes.contains_key(label.as_str()))
        .map(|(label, (_, span))| (span.start, label, *span))
        .collect();
    unused.sort();
    for (_, label, span) in unused {
        cx.warnings
            .push(Diagnostic::warning(format!("footnote [^{label}] is never referenced")).at(span));
    }
}

/// Calls `f` on every inline of `blocks`, depth first, notes' blocks
/// included only when `f` itself descends into them.
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    for block in blocks {
        match block {
            Block::Para { content, .. } | Block::Heading { content, .. } => inlines_mut(content, f),
            Block::BlockQuote { blocks, .. } => visit_inlines_mut(blocks, f),
            Block::List { items, .. } => {
                for item in items {
                    visit_inlines_mut(&mut item.blocks, f);
                }
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    inlines_mut(&mut item.term, f);
                    for def in &mut item.definitions {
                        visit_inlines_mut(def, f);
                    }
                }
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    inlines_mut(cell, f);
                }
            }
            Block::CodeBlock { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
        }
    }
}

fn inlines_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Link { content, .. } => inlines_mut(content, f),
            _ => {}
        }
    }
}

/// Where each file's ids went, for resolving links between files.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Book-relative file path → (the id a bare link to the file goes to,
    /// the file's anchors).
    pub files: HashMap<PathBuf, (String, HashMap<String, String>)>,
}

/// Resolves the internal links of one file's blocks: `#id` against the
/// file's own anchors, `other.md#id` against the other file's, `other.md`
/// to that file's first chapter. A link that goes nowhere is a warning and
/// keeps its text without the link.
pub fn resolve_links(
    blocks: &mut [Block],
    this_file: &Path,
    index: &LinkIndex,
    warnings: &mut Warnings,
) {
    visit_inlines_mut(blocks, &mut |inline| {
        // Notes hold their own copy of their blocks: resolve those too.
        if let Inline::Note { blocks, .. } = inline {
            resolve_links(blocks, this_file, index, warnings);
            return;
        }
        let Inline::Link {
            target: Target::Internal(dest),
            content,
            span,
            ..
        } = inline
        else {
            return;
        };
        match resolve(dest, this_file, index) {
            Some(id) => *dest = id,
            None => {
                warnings.push(
                    Diagnostic::warning(format!("link to `{dest}` goes nowhere in this book"))
                        .at(*span)
                        .hint("the link text is kept without the link"),
                );
                let kept = std::mem::take(content);
                *inline = unwrap_link(kept, *span);
            }
        }
    });
}

/// The content of a dropped link as one inline: the single inline itself,
/// or else its plain text.
fn unwrap_link(mut content: Vec<Inline>, span: Span) -> Inline {
    if content.len() == 1 {
        return content.remove(0);
    }
    Inline::Text {
        text: doc::plain_text(&content),
        span,
    }
}

fn resolve(dest: &str, this_file: &Path, index: &LinkIndex) -> Option<String> {
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let file = if path.is_empty() {
        this_file.to_path_buf()
    } else {
        let base = this_file.parent().unwrap_or(Path::new(""));
        normalize(&base.join(path))?
    };
    let (first, anchors) = index.files.get(&file)?;
    match fragment {
        None | Some("") => Some(first.clone()),
        Some(f) => anchors.get(f).cloned(),
    }
}

/// Lexically normalises a relative path (`a/../b/./c` → `b/c`); `None` when
/// it climbs out of its root.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// An mdBook `SUMMARY.md`, read: prefix chapters, numbered chapters
/// (grouped under part titles, with nesting depth), suffix chapters.
/// See mdBook's `crates/mdbook-summary` for the format.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    /// Chapters before the numbered list: front matter.
    pub prefix: Vec<SummaryLink>,
    /// Numbered chapters, grouped by the `# Part` headings above them.
    pub parts: Vec<SummaryPart>,
    /// Chapters after the numbered list: back matter.
    pub suffix: Vec<SummaryLink>,
}

/// A run of numbered chapters under one part title (`None` before any).
#[derive(Debug, Default, PartialEq)]
pub struct SummaryPart {
    /// The part title, if any.
    pub title: Option<String>,
    /// The chapters.
    pub chapters: Vec<SummaryLink>,
}

/// One chapter entry.
#[derive(Debug, PartialEq)]
pub struct SummaryLink {
    /// The link text.
    pub name: String,
    /// The file, relative to the source directory; `None` for a draft.
    pub path: Option<PathBuf>,
    /// 1 for a top-level entry, 2 for a nested one, …
    pub depth: u8,
    /// Where the entry is in SUMMARY.md.
    pub span: Span,
}

/// Reads an mdBook `SUMMARY.md`.
pub fn parse_summary(file: FileId, text: &str) -> Summary {
    let mut summary = Summary::default();
    let mut list_depth = 0u8;
    let mut seen_list = false;
    let mut heading: Option<String> = None;
    let mut seen_heading = false;
    let mut link: Option<(String, String, Span)> = None;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                seen_list = true;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) if list_depth == 0 => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let title = heading.take().unwrap_or_default();
                // The first heading titles the summary itself; later ones are parts.
                if seen_heading || seen_list {
                    summary.parts.push(SummaryPart {
                        title: Some(title.trim().to_string()),
                        chapters: Vec::new(),
                    });
                }
                seen_heading = true;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((
                    String::new(),
                    dest_url.into_string(),
                    Span::new(file, range),
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((name, _, _)) = &mut link {
                    name.push_str(&t);
                } else if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                let Some((name, dest, span)) = link.take() else {
                    continue;
                };
                let entry = SummaryLink {
                    name,
                    path: Some(PathBuf::from(dest)).filter(|p| !p.as_os_str().is_empty()),
                    depth: list_depth.max(1),
                    span,
                };
                if list_depth > 0 {
                    if summary.parts.is_empty() {
                        summary.parts.push(SummaryPart::default());
                    }
                    if let Some(part) = summary.parts.last_mut() {
                        part.chapters.push(entry);
                    }
                } else if seen_list {
                    summary.suffix.push(entry);
                } else {
                    summary.prefix.push(entry);
                }
            }
            _ => {}
        }
    }
    summary
}

mod rawtext;

#[cfg(test)]
mod tests;
