//! A stable, readable dump of the shared tree, for goldens and debugging
//! (`samizdat tree`). Plays the role of Pandoc's `native` writer.
//!
//! One node per line, indented two spaces per level; text in double quotes
//! with Rust escapes. Spans are left out unless asked for, so that the same
//! content in different files dumps the same.

use std::fmt::Write as _;

use crate::doc::{Block, Book, Chapter, Division, Inline, Target};
use crate::source::{Sources, Span};

/// Dumps the whole book. With `sources`, every node shows `@path:line:col`.
pub fn dump(book: &Book, sources: Option<&Sources>) -> String {
    let mut d = Dumper {
        out: String::new(),
        sources,
    };
    d.book(book);
    d.out
}

struct Dumper<'a> {
    out: String,
    sources: Option<&'a Sources>,
}

impl Dumper<'_> {
    fn line(&mut self, depth: usize, text: &str, span: Option<Span>) {
        let _ = write!(self.out, "{:width$}{text}", "", width = depth * 2);
        if let (Some(sources), Some(span)) = (self.sources, span) {
            let file = sources.get(span.file);
            let (line, col) = file.line_col(span.start);
            let _ = write!(self.out, " @{}:{line}:{col}", file.path.display());
        }
        self.out.push('\n');
    }

    fn book(&mut self, book: &Book) {
        let m = &book.meta;
        self.line(0, &format!("Book {:?}", m.title), None);
        if let Some(s) = &m.subtitle {
            self.line(1, &format!("subtitle {s:?}"), None);
        }
        self.line(1, &format!("authors {:?}", m.authors), None);
        self.line(1, &format!("language {:?}", m.language), None);
        self.line(1, &format!("identifier {:?}", m.identifier), None);
        for c in &book.front {
            self.chapter(1, "Front", c);
        }
        for d in &book.body {
            match d {
                Division::Chapter(c) => self.chapter(1, "Chapter", c),
                Division::Part(p) => {
                    self.line(1, &format!("Part {} #{}", p.number, p.id), p.span);
                    self.inlines(2, "title", &p.title);
                    if !p.intro.is_empty() {
                        self.line(2, "intro", None);
                        self.blocks(3, &p.intro);
                    }
                    for c in &p.chapters {
                        self.chapter(2, "Chapter", c);
                    }
                }
            }
        }
        for c in &book.back {
            self.chapter(1, "Back", c);
        }
    }

    fn chapter(&mut self, depth: usize, kind: &str, c: &Chapter) {
        let number = c.number.map_or(String::new(), |n| format!(" {n}"));
        let nest = if c.depth > 1 {
            format!(" depth={}", c.depth)
        } else {
            String::new()
        };
        self.line(
            depth,
            &format!("{kind}{number} #{}{nest}", c.id),
            Some(c.span),
        );
        self.inlines(depth + 1, "title", &c.title);
        self.blocks(depth + 1, &c.blocks);
    }

    fn blocks(&mut self, depth: usize, blocks: &[Block]) {
        for b in blocks {
            let span = Some(b.span());
            match b {
                Block::Para { content, .. } => self.inlines(depth, "Para", content),
                Block::Heading {
                    level,
                    id,
                    classes,
                    lang,
                    content,
                    ..
                } => {
                    let mut cls: String = classes.iter().map(|c| format!(" .{c}")).collect();
                    if let Some(lang) = lang {
                        cls.push_str(&format!(" lang={lang}"));
                    }
                    self.line(depth, &format!("Heading {level} #{id}{cls}"), span);
                    self.inline_list(depth + 1, content);
                }
                Block::BlockQuote { blocks, .. } => {
                    self.line(depth, "BlockQuote", span);
                    self.blocks(depth + 1, blocks);
                }
                Block::List {
                    start,
                    tight,
                    items,
                    ..
                } => {
                    let kind = match start {
                        Some(n) => format!("OrderedList start={n}"),
                        None => "BulletList".to_string(),
                    };
                    let tight = if *tight { " tight" } else { "" };
                    self.line(depth, &format!("{kind}{tight}"), span);
                    for item in items {
                        let task = match item.task {
                            Some(true) => " [x]",
                            Some(false) => " [ ]",
                            None => "",
                        };
                        self.line(depth + 1, &format!("Item{task}"), None);
                        self.blocks(depth + 2, &item.blocks);
                    }
                }
                Block::DefinitionList { items, .. } => {
                    self.line(depth, "DefinitionList", span);
                    for item in items {
                        self.inlines(depth + 1, "Term", &item.term);
                        for def in &item.definitions {
                            self.line(depth + 2, "Definition", None);
                            self.blocks(depth + 3, def);
                        }
                    }
                }
                Block::CodeBlock { lang, text, .. } => {
                    let lang = lang.as_deref().map_or(String::new(), |l| format!(" {l}"));
                    self.line(depth, &format!("CodeBlock{lang} {text:?}"), span);
                }
                Block::Table {
                    align, head, rows, ..
                } => {
                    self.line(depth, &format!("Table {align:?}"), span);
                    self.line(depth + 1, "Head", None);
                    for cell in head {
                        self.inlines(depth + 2, "Cell", cell);
                    }
                    for row in rows {
                        self.line(depth + 1, "Row", None);
                        for cell in row {
                            self.inlines(depth + 2, "Cell", cell);
                        }
                    }
                }
                Block::Figure {
                    src,
                    alt,
                    caption,
                    id,
                    ..
                } => {
                    let id = id.as_deref().map_or(String::new(), |i| format!(" #{i}"));
                    self.line(depth, &format!("Figure{id} src={src:?} alt={alt:?}"), span);
                    self.inlines(depth + 1, "Caption", caption);
                }
                Block::Div { attrs, blocks, .. } => {
                    self.line(depth, &format!("Div{}", attrs_text(attrs)), span);
                    self.blocks(depth + 1, blocks);
                }
                Block::Alert { kind, blocks, .. } => {
                    self.line(depth, &format!("Alert {}", kind.name()), span);
                    self.blocks(depth + 1, blocks);
                }
                Block::ThematicBreak { .. } => self.line(depth, "ThematicBreak", span),
                Block::Html { html, .. } => self.line(depth, &format!("RawBlock {html:?}"), span),
            }
        }
    }

    /// A labelled list of inlines; all-text content stays on one line.
    fn inlines(&mut self, depth: usize, label: &str, inlines: &[Inline]) {
        if let [Inline::Text { text, span }] = inlines {
            self.line(depth, &format!("{label} {text:?}"), Some(*span));
        } else {
            self.line(depth, label, inlines.first().map(Inline::span));
            self.inline_list(depth + 1, inlines);
        }
    }

    fn inline_list(&mut self, depth: usize, inlines: &[Inline]) {
        for i in inlines {
            let span = Some(i.span());
            match i {
                Inline::Text { text, .. } => self.line(depth, &format!("Str {text:?}"), span),
                Inline::Emph { content, .. } => self.inlines(depth, "Emph", content),
                Inline::Strong { content, .. } => self.inlines(depth, "Strong", content),
                Inline::Strikeout { content, .. } => self.inlines(depth, "Strikeout", content),
                Inline::Span { attrs, content, .. } => {
                    self.inlines(depth, &format!("Span{}", attrs_text(attrs)), content)
                }
                Inline::Code { text, .. } => self.line(depth, &format!("Code {text:?}"), span),
                Inline::Link {
                    target,
                    title,
                    content,
                    ..
                } => {
                    let to = match target {
                        Target::External(url) => format!("url={url:?}"),
                        Target::Internal(id) => format!("to=#{id}"),
                    };
                    let title = title
                        .as_deref()
                        .map_or(String::new(), |t| format!(" title={t:?}"));
                    self.inlines(depth, &format!("Link {to}{title}"), content);
                }
                Inline::Image {
                    src, alt, title, ..
                } => {
                    let title = title
                        .as_deref()
                        .map_or(String::new(), |t| format!(" title={t:?}"));
                    self.line(depth, &format!("Image {src:?} alt={alt:?}{title}"), span);
                }
                Inline::Note {
                    id, label, blocks, ..
                } => {
                    self.line(depth, &format!("Note {} [^{label}]", id.0), span);
                    self.blocks(depth + 1, blocks);
                }
                Inline::SoftBreak { .. } => self.line(depth, "SoftBreak", span),
                Inline::LineBreak { .. } => self.line(depth, "LineBreak", span),
                Inline::Html { html, .. } => self.line(depth, &format!("RawInline {html:?}"), span),
            }
        }
    }
}

/// Attributes as pandoc writes them, after a space: ` #id .class lang=fr k=v`.
fn attrs_text(attrs: &crate::doc::Attrs) -> String {
    let mut out = String::new();
    if let Some(id) = &attrs.id {
        out.push_str(&format!(" #{id}"));
    }
    for c in &attrs.classes {
        out.push_str(&format!(" .{c}"));
    }
    if let Some(lang) = &attrs.lang {
        out.push_str(&format!(" lang={lang}"));
    }
    for (k, v) in &attrs.pairs {
        out.push_str(&format!(" {k}={v:?}"));
    }
    out
}
