//! pandoc's simple, multiline and grid tables, which pulldown-cmark does not
//! read (its tables are the pipe tables, left to it).
//!
//! The rules are those of the pandoc manual, section "Tables" (extensions
//! `simple_tables`, `multiline_tables`, `grid_tables`, `table_captions`):
//! columns come from the dashed line (simple, multiline) or the `+` of the
//! borders (grid); alignment from where the header text sits over the
//! dashes, or from the colons of a grid's separator; relative widths as
//! pandoc's Markdown reader derives them (`widthsFromIndices`: each column's
//! share of the table's line length, or of 72 columns when the table is
//! narrower).
//!
//! Before pulldown-cmark sees a file, [`mask`] finds these tables (outside
//! fenced code) and writes over each one an HTML comment of the same bytes
//! and lines, so every offset after it stays true and pulldown-cmark sees one
//! HTML block (CommonMark's type 2) where the table stands. The builder,
//! meeting that block, takes the table read here ([`Found::take`]) and
//! [`Table::into_block`] parses each cell's text with the builder itself, so
//! emphasis, links and notes work in cells, spans mapped back to the lines
//! the cell's text came from. A block that looks like one of these tables
//! but cannot be read (a word across a column boundary, cells spanning rows
//! or columns, no closing line) is left as text, with a warning at its line.

use std::borrow::Cow;
use std::ops::Range;

use crate::diag::{Diagnostic, Warnings};
use crate::doc::{Align, Block, Inline};
use crate::source::{FileId, Span};

/// pandoc's default `--columns`: a simple table with a longer line gets
/// relative widths; narrower tables share this many columns.
const COLUMNS: usize = 72;

/// The tables of one file, in source order.
#[derive(Debug, Default)]
pub(super) struct Found {
    tables: Vec<Table>,
    /// The file's link reference definitions (label lowercased, source
    /// text), which a cell parsed apart needs to resolve `[text][label]`.
    links: Vec<(String, String)>,
}

impl Found {
    /// Keeps the file's link reference definitions, their text read from
    /// `source` at their spans (pulldown-cmark's first pass finds them).
    fn link_definitions(&mut self, source: &str) {
        let parser = pulldown_cmark::Parser::new_ext(source, super::options());
        for (label, def) in parser.reference_definitions().iter() {
            if let Some(text) = source.get(def.span.clone()) {
                self.links
                    .push((label.to_lowercase(), text.trim_end().to_string()));
            }
        }
    }

    /// A cell's `text` followed by what it refers to: a stand-in definition
    /// for each note it cites (`[^label]`), and the file's definitions of
    /// the link labels it names.
    pub(super) fn definitions_for(&self, text: &str) -> String {
        let mut out = text.to_string();
        let mut from = 0;
        while let Some(at) = text[from..].find("[^") {
            let start = from + at + 2;
            from = start;
            if let Some(len) = text[start..].find(']')
                && len > 0
                && !text[start..start + len].contains(char::is_whitespace)
            {
                out.push_str(&format!("\n\n[^{}]: .", &text[start..start + len]));
            }
        }
        if !self.links.is_empty() && text.contains('[') {
            let lower = text.to_lowercase();
            for (label, def) in &self.links {
                if lower.contains(label.as_str()) {
                    out.push_str("\n\n");
                    out.push_str(def);
                }
            }
        }
        out
    }

    /// The table whose placeholder holds byte `at`, taken out.
    pub(super) fn take(&mut self, at: usize) -> Option<Table> {
        let i = self
            .tables
            .iter()
            .position(|t| t.range.start <= at && at < t.range.end)?;
        Some(self.tables.remove(i))
    }
}

/// A cell's text as it will be parsed, and where its pieces came from.
#[derive(Debug, Default, Clone, PartialEq)]
struct Cell {
    text: String,
    /// (offset in `text`, offset in the source) at the start of each piece.
    map: Vec<(usize, usize)>,
}

impl Cell {
    fn push(&mut self, piece: &str, source_at: usize) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.map.push((self.text.len(), source_at));
        self.text.push_str(piece);
    }

    /// A piece of a simple or multiline table's cell, which pandoc reads as
    /// inlines only: a start that would open a block here (`- `, `1. `,
    /// `# `, `> `, a fence, a line of `=` or `-`) is escaped with a
    /// backslash (CommonMark's backslash escapes, section 2.4).
    fn push_inline(&mut self, piece: &str, source_at: usize) {
        match block_start(piece) {
            Some(at) => {
                if !self.text.is_empty() {
                    self.text.push('\n');
                }
                self.map.push((self.text.len(), source_at));
                self.text.push_str(&piece[..at]);
                self.text.push('\\');
                self.map.push((self.text.len(), source_at + at));
                self.text.push_str(&piece[at..]);
            }
            None => self.push(piece, source_at),
        }
    }

    /// The source offset of `at` in the cell's text.
    fn source(&self, at: usize) -> usize {
        match self.map.iter().rev().find(|(c, _)| *c <= at) {
            Some((c, s)) => s + (at - c),
            None => self.map.first().map_or(0, |(_, s)| *s),
        }
    }
}

/// A table read from the source, its cells not yet parsed.
#[derive(Debug)]
pub(super) struct Table {
    /// The bytes the placeholder covers (caption included).
    range: Range<usize>,
    caption: Option<Cell>,
    align: Vec<Align>,
    widths: Vec<f32>,
    head: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as blocks (its caption, when it has one, a paragraph before
    /// it), each cell parsed by `parse` (the builder, on the cell's text).
    pub(super) fn into_blocks(
        self,
        file: FileId,
        parse: &mut dyn FnMut(&str) -> Vec<Block>,
    ) -> Vec<Block> {
        let span = Span::new(file, self.range.clone());
        let mut cell = |c: &Cell| {
            let blocks = parse(&c.text);
            let mut inlines = flatten(blocks);
            for inline in &mut inlines {
                remap(inline, c, file);
            }
            inlines
        };
        let mut out = Vec::new();
        if let Some(caption) = &self.caption {
            out.push(Block::Para {
                content: cell(caption),
                span,
            });
        }
        let head = self.head.iter().map(&mut cell).collect();
        let rows = self
            .rows
            .iter()
            .map(|r| r.iter().map(&mut cell).collect())
            .collect();
        out.push(Block::Table {
            align: self.align,
            widths: self.widths,
            head,
            rows,
            span,
        });
        out
    }
}

/// A cell's blocks as the inlines a table cell holds: paragraphs one after
/// another on new lines, code a line of code each, list items marked.
fn flatten(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out = Vec::new();
    flatten_into(blocks, &mut out);
    out
}

fn flatten_into(blocks: Vec<Block>, out: &mut Vec<Inline>) {
    for block in blocks {
        let span = block.span();
        if !out.is_empty() {
            out.push(Inline::LineBreak { span });
        }
        match block {
            Block::Para { content, .. } | Block::Heading { content, .. } => out.extend(content),
            Block::CodeBlock { text, .. } => {
                for (k, line) in text.trim_end_matches('\n').lines().enumerate() {
                    if k > 0 {
                        out.push(Inline::LineBreak { span });
                    }
                    out.push(Inline::Code {
                        text: line.to_string(),
                        span,
                    });
                }
            }
            Block::List { start, items, .. } => {
                for (k, item) in items.into_iter().enumerate() {
                    if k > 0 {
                        out.push(Inline::LineBreak { span });
                    }
                    let mark = match start {
                        Some(n) => format!("{}. ", n + k as u64),
                        None => "• ".to_string(),
                    };
                    out.push(Inline::Text { text: mark, span });
                    let mut inner = Vec::new();
                    flatten_into(item.blocks, &mut inner);
                    out.extend(inner);
                }
            }
            Block::BlockQuote { blocks, .. }
            | Block::Div { blocks, .. }
            | Block::Alert { blocks, .. } => {
                let mut inner = Vec::new();
                flatten_into(blocks, &mut inner);
                out.extend(inner);
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    out.extend(item.term);
                    for def in item.definitions {
                        let mut inner = Vec::new();
                        flatten_into(def, &mut inner);
                        out.push(Inline::Text {
                            text: ": ".into(),
                            span,
                        });
                        out.extend(inner);
                    }
                }
            }
            Block::Figure { caption, .. } => out.extend(caption),
            Block::Html { html, .. } => out.push(Inline::Html { html, span }),
            Block::Table { .. } | Block::ThematicBreak { .. } => {
                // Nothing a cell's line can hold; the break pushed above
                // stays, so the cell's parts remain apart.
            }
        }
    }
    if matches!(out.last(), Some(Inline::LineBreak { .. })) {
        out.pop();
    }
}

/// Moves an inline's spans (parsed on a cell's own text) onto the source.
fn remap(inline: &mut Inline, cell: &Cell, file: FileId) {
    let fix = |span: &mut Span| {
        let start = cell.source(span.start as usize);
        let end = cell.source((span.end as usize).max(span.start as usize));
        *span = Span::new(file, start..end.max(start));
    };
    match inline {
        Inline::Emph { content, span }
        | Inline::Strong { content, span }
        | Inline::Strikeout { content, span }
        | Inline::Span { content, span, .. }
        | Inline::Link { content, span, .. } => {
            fix(span);
            for inner in content {
                remap(inner, cell, file);
            }
        }
        Inline::Text { span, .. }
        | Inline::Code { span, .. }
        | Inline::Image { span, .. }
        | Inline::Note { span, .. }
        | Inline::SoftBreak { span }
        | Inline::LineBreak { span }
        | Inline::Html { span, .. } => fix(span),
    }
}

/// One line of the source: where it starts and its text (no line end).
#[derive(Debug, Clone, Copy)]
struct Line<'t> {
    start: usize,
    text: &'t str,
}

impl<'t> Line<'t> {
    fn blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    /// The span of the whole line.
    fn span(&self, file: FileId) -> Span {
        Span::new(file, self.start..self.start + self.text.len())
    }

    /// Its characters with their byte offsets in the line.
    fn chars(&self) -> Vec<(usize, char)> {
        self.text.char_indices().collect()
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.strip_suffix('\n').unwrap_or(piece);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(Line { start, text: body });
        start += piece.len();
    }
    out
}

/// The text of characters `from..to` of a line (character columns), with
/// the byte offset in the source where it starts; `to` past the end takes
/// the rest of the line.
fn columns(line: &Line<'_>, chars: &[(usize, char)], from: usize, to: usize) -> (usize, String) {
    let byte = |col: usize| chars.get(col).map_or(line.text.len(), |(b, _)| *b);
    let (a, b) = (byte(from), byte(to.max(from)));
    (line.start + a, line.text[a..b].to_string())
}

/// The runs of `ch` in a line made only of them and spaces (at most three
/// spaces before the first), as character columns; `None` otherwise.
fn runs(line: &Line<'_>, ch: char) -> Option<Vec<Range<usize>>> {
    if line.indent() > 3 || line.blank() {
        return None;
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    for (col, c) in line.text.chars().enumerate() {
        match c {
            c if c == ch => match out.last_mut() {
                Some(r) if r.end == col => r.end = col + 1,
                _ => out.push(col..col + 1),
            },
            ' ' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// A dashed line of at least two runs: the columns of a simple or
/// multiline table.
fn column_line(line: &Line<'_>) -> Option<Vec<Range<usize>>> {
    // At least one run of three, so `- - -` stays a thematic break.
    runs(line, '-').filter(|r| r.len() >= 2 && r.iter().any(|c| c.len() >= 3))
}

/// A line of dashes alone (one run of at least three).
fn full_line(line: &Line<'_>) -> bool {
    runs(line, '-').is_some_and(|r| r.len() == 1 && r[0].len() >= 3)
}

fn blank_at(lines: &[Line<'_>], i: usize) -> bool {
    lines.get(i).is_none_or(Line::blank)
}

/// What an attempt at line `i` found.
enum Attempt {
    /// A table over lines `i..end`.
    Table(Table, usize),
    /// Something that looks like a table and cannot be read (warned).
    Refused,
    /// Not a table.
    No,
}

/// Finds the file's pandoc tables: the text pulldown-cmark should read
/// (each table written over by an HTML comment of the same length and
/// lines) and the tables. Warnings for table-like blocks that cannot be
/// read go to `warnings`.
pub(super) fn mask<'t>(
    file: FileId,
    text: &'t str,
    warnings: &mut Warnings,
) -> (Cow<'t, str>, Found) {
    let lines = lines(text);
    let mut found = Found::default();
    let mut fence: Option<(char, usize)> = None;
    let mut block_start = true;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((ch, len)) = fence {
            if fence_of(&line).is_some_and(|(c, l, info)| c == ch && l >= len && info.is_empty()) {
                fence = None;
            }
            i += 1;
            continue;
        }
        if let Some((ch, len, _)) = fence_of(&line) {
            fence = Some((ch, len));
            block_start = false;
            i += 1;
            continue;
        }
        // pandoc tries tables before indented code, so a simple table's
        // header may be indented further (its dashed line may not).
        if block_start && !line.blank() {
            match attempt(file, &lines, i, warnings) {
                Attempt::Table(table, end) => {
                    let after = found.tables.last().map_or(0, |t| t.range.end);
                    let (table, end) = with_captions(&lines, table, i, end, after);
                    found.tables.push(table);
                    i = end;
                    block_start = false;
                    continue;
                }
                Attempt::Refused | Attempt::No => {}
            }
        }
        block_start = line.blank() || line.text.trim_start().starts_with('#');
        i += 1;
    }
    if found.tables.is_empty() {
        return (Cow::Borrowed(text), found);
    }
    let mut bytes = text.as_bytes().to_vec();
    for table in &found.tables {
        placeholder(&mut bytes[table.range.clone()]);
    }
    // Only ASCII was written, over whole characters' bytes.
    let masked = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
    found.link_definitions(&masked);
    (Cow::Owned(masked), found)
}

/// Writes an HTML comment over `bytes`, keeping every line end and each
/// line's leading white space (so a table in a list item stays in it).
fn placeholder(bytes: &mut [u8]) {
    // A first line indented four or more (a simple table's header) gets
    // its comment opened at the fourth column, where an HTML block may.
    let indent = bytes.iter().take_while(|&&b| b == b' ').count();
    if indent > 3 {
        bytes[3..indent].fill(b'.');
    }
    let mut line_start = true;
    for b in bytes.iter_mut() {
        match *b {
            b'\n' => line_start = true,
            b' ' | b'\t' | b'\r' if line_start => {}
            b'\r' => {}
            _ => {
                line_start = false;
                *b = b'.';
            }
        }
    }
    // The table's first line holds at least four characters and its last
    // at least three (checked by `fits`).
    if let Some(at) = bytes.iter().position(|&b| b == b'.') {
        bytes[at..at + 4].copy_from_slice(b"<!--");
    }
    if let Some(at) = bytes.iter().rposition(|&b| b == b'.') {
        bytes[at - 2..=at].copy_from_slice(b"-->");
    }
}

/// Whether a table's lines leave room for the placeholder's `<!--` and `-->`.
fn fits(lines: &[Line<'_>]) -> bool {
    let first = lines.first().map_or(0, |l| l.text.trim().len());
    let last = lines.last().map_or(0, |l| l.text.trim().len());
    first >= 4 && last >= 3 && (lines.len() > 1 || first >= 7)
}

/// A code fence opening or closing line: its character, length and info.
fn fence_of<'t>(line: &Line<'t>) -> Option<(char, usize, &'t str)> {
    if line.indent() > 3 {
        return None;
    }
    let t = line.text.trim_start();
    let ch = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = t.len() - t.trim_start_matches(ch).len();
    let info = t[len..].trim();
    (len >= 3 && !(ch == '`' && info.contains('`'))).then_some((ch, len, info))
}

/// Tries each kind of table at line `i`, in pandoc's order (multiline with
/// a header, simple, multiline without, grid).
fn attempt(file: FileId, lines: &[Line<'_>], i: usize, warnings: &mut Warnings) -> Attempt {
    let line = &lines[i];
    if line.indent() > 3 {
        return match lines.get(i + 1) {
            Some(next) if column_line(next).is_some() => {
                simple(file, lines, i + 1, Some(i), warnings)
            }
            _ => Attempt::No,
        };
    }
    if line.text.trim_start().starts_with('+') {
        return grid(file, lines, i, warnings);
    }
    if full_line(line) {
        return multiline_headed(file, lines, i, warnings);
    }
    if column_line(line).is_some() {
        if blank_at(lines, i + 1) {
            return Attempt::No; // a thematic break
        }
        return match simple(file, lines, i, None, warnings) {
            Attempt::No => multiline(file, lines, i, None, warnings),
            other => other,
        };
    }
    if let Some(next) = lines.get(i + 1)
        && column_line(next).is_some()
    {
        return simple(file, lines, i + 1, Some(i), warnings);
    }
    Attempt::No
}

fn refuse(file: FileId, line: &Line<'_>, why: String, warnings: &mut Warnings) -> Attempt {
    warnings.push(
        Diagnostic::warning(format!(
            "this looks like a pandoc table but {why}; it stays text"
        ))
        .at(line.span(file))
        .hint("see the pandoc manual, \"Tables\", for how its columns must line up"),
    );
    Attempt::Refused
}

/// The first line among `rows` with a word across a column boundary (the
/// start of a column other than the first), so that cutting it would split
/// the word, as the column's character number.
fn crossing(lines: &[Line<'_>], cols: &[Range<usize>]) -> Option<(usize, usize)> {
    for (k, line) in lines.iter().enumerate() {
        let chars: Vec<char> = line.text.chars().collect();
        for col in cols.iter().skip(1) {
            let p = col.start;
            let before = p.checked_sub(1).and_then(|q| chars.get(q));
            if before.is_some_and(|c| !c.is_whitespace())
                && chars.get(p).is_some_and(|c| !c.is_whitespace())
            {
                return Some((k, p + 1));
            }
        }
    }
    None
}

/// The cells of `lines` cut at the columns' starts (the first column from
/// the line's start, the last to its end), each column's pieces joined.
fn cut(lines: &[Line<'_>], cols: &[Range<usize>]) -> Vec<Cell> {
    let mut cells = vec![Cell::default(); cols.len()];
    for line in lines {
        let chars = line.chars();
        for (c, cell) in cells.iter_mut().enumerate() {
            let from = if c == 0 { 0 } else { cols[c].start };
            let to = cols.get(c + 1).map_or(usize::MAX, |n| n.start);
            let (at, text) = columns(line, &chars, from, to);
            let lead = text.len() - text.trim_start().len();
            let piece = text.trim();
            if !piece.is_empty() {
                cell.push_inline(piece, at + lead);
            }
        }
    }
    cells
}

/// pandoc's `alignType`: from where the text of `lines` sits in each
/// column over its dashes.
fn alignments(lines: &[Line<'_>], cols: &[Range<usize>]) -> Vec<Align> {
    cols.iter()
        .enumerate()
        .map(|(c, col)| {
            let to = cols.get(c + 1).map_or(usize::MAX, |n| n.start);
            let mut left = false;
            let mut longest = 0;
            for line in lines {
                let chars = line.chars();
                let (_, text) = columns(line, &chars, col.start, to);
                let text = text.trim_end();
                if text.is_empty() {
                    continue;
                }
                left |= text.starts_with(char::is_whitespace);
                longest = longest.max(text.chars().count());
            }
            let right = longest < col.len();
            match (left, right) {
                (false, false) => Align::None,
                (true, false) => Align::Right,
                (false, true) => Align::Left,
                (true, true) => Align::Center,
            }
        })
        .collect()
}

/// pandoc's `widthsFromIndices`: each column's length (its dashes and the
/// spaces after them; the last its dashes, or the one before's length when
/// that is at most two more) over the table's, or over 72 when smaller.
fn relative_widths(cols: &[Range<usize>]) -> Vec<f32> {
    let mut lengths: Vec<usize> = cols
        .windows(2)
        .map(|w| w[1].start - w[0].start)
        .chain(cols.last().map(Range::len))
        .collect();
    let n = lengths.len();
    if n >= 2 && lengths[n - 1] < lengths[n - 2] && lengths[n - 2] - lengths[n - 1] <= 2 {
        lengths[n - 1] = lengths[n - 2];
    }
    let total: usize = lengths.iter().sum();
    let over = total.max(COLUMNS) as f32;
    lengths.iter().map(|&l| l as f32 / over).collect()
}

fn longest(lines: &[Line<'_>]) -> usize {
    lines
        .iter()
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0)
}

/// A simple table whose dashed line is line `d`, under the header line
/// `head` (or, without one, opening it).
fn simple(
    file: FileId,
    lines: &[Line<'_>],
    d: usize,
    head: Option<usize>,
    warnings: &mut Warnings,
) -> Attempt {
    let Some(cols) = column_line(&lines[d]) else {
        return Attempt::No;
    };
    let first = head.unwrap_or(d);
    let mut j = d + 1;
    // Rows run to a blank line, or to a dashed line followed by one (which
    // a table without a header must have).
    let mut closed = false;
    while j < lines.len() && !lines[j].blank() {
        if runs(&lines[j], '-').is_some() && blank_at(lines, j + 1) && j > d + 1 {
            closed = true;
            break;
        }
        j += 1;
    }
    let body = &lines[d + 1..j];
    if body.is_empty() || (head.is_none() && !closed) {
        return Attempt::No;
    }
    let end = if closed { j + 1 } else { j };
    let header: Vec<Line<'_>> = head.map(|h| lines[h]).into_iter().collect();
    let text_lines: Vec<Line<'_>> = header.iter().chain(body).copied().collect();
    if let Some((k, col)) = crossing(&text_lines, &cols) {
        let why = format!("a word crosses the start of a column (character {col})");
        return refuse(file, &text_lines[k], why, warnings);
    }
    if !fits(&lines[first..end]) {
        return Attempt::No;
    }
    let align = match head {
        Some(_) => alignments(&header, &cols),
        None => alignments(&body[..1], &cols),
    };
    let widths = if longest(&lines[first..end]) > COLUMNS {
        relative_widths(&cols)
    } else {
        Vec::new()
    };
    let table = Table {
        range: lines[first].start..line_end(&lines[end - 1]),
        caption: None,
        align,
        widths,
        head: head.map_or_else(Vec::new, |_| cut(&header, &cols)),
        rows: body.iter().map(|l| cut(&[*l], &cols)).collect(),
    };
    Attempt::Table(table, end)
}

/// Where a backslash would keep `piece` (one trimmed line) from opening a
/// block, if it would open one.
fn block_start(piece: &str) -> Option<usize> {
    let mut chars = piece.chars();
    let first = chars.next()?;
    let second = chars.next();
    let spaced = second.is_none_or(|c| c == ' ');
    let all_same = piece.chars().all(|c| c == first);
    match first {
        '-' | '+' | '*' | ':' if spaced => Some(0),
        '-' | '=' if all_same => Some(0),
        '#' if piece.trim_start_matches('#').is_empty()
            || piece.trim_start_matches('#').starts_with(' ') =>
        {
            Some(0)
        }
        '>' | '<' => Some(0),
        '`' | '~' if piece.starts_with("```") || piece.starts_with("~~~") => Some(0),
        '0'..='9' => {
            let digits = piece.len() - piece.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let rest = &piece[digits..];
            let marker = rest.starts_with(['.', ')']);
            let after = rest[marker as usize..].chars().next();
            (marker && digits <= 9 && after.is_none_or(|c| c == ' ')).then_some(digits)
        }
        _ => None,
    }
}

fn line_end(line: &Line<'_>) -> usize {
    line.start + line.text.len()
}

/// A multiline table opening with a line of dashes alone, then its header.
fn multiline_headed(
    file: FileId,
    lines: &[Line<'_>],
    i: usize,
    warnings: &mut Warnings,
) -> Attempt {
    let mut c = i + 1;
    while c < lines.len() && !lines[c].blank() && runs(&lines[c], '-').is_none() {
        c += 1;
    }
    if c == i + 1 || c >= lines.len() || column_line(&lines[c]).is_none() {
        return Attempt::No; // a thematic break and a paragraph
    }
    multiline(file, lines, c, Some(i), warnings)
}

/// A multiline table whose column line is `c`, under a header opened by
/// the dashes at `top` (or, without one, opening it): rows apart by blank
/// lines, closed by a dashed line and a blank line.
fn multiline(
    file: FileId,
    lines: &[Line<'_>],
    c: usize,
    top: Option<usize>,
    warnings: &mut Warnings,
) -> Attempt {
    let Some(cols) = column_line(&lines[c]) else {
        return Attempt::No;
    };
    let first = top.unwrap_or(c);
    let mut rows: Vec<Vec<Line<'_>>> = Vec::new();
    let mut current: Vec<Line<'_>> = Vec::new();
    let mut j = c + 1;
    let mut closed = false;
    while j < lines.len() {
        let line = lines[j];
        if runs(&line, '-').is_some() && blank_at(lines, j + 1) {
            closed = true;
            break;
        }
        if line.blank() {
            if !current.is_empty() {
                rows.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
        j += 1;
    }
    if !current.is_empty() {
        rows.push(current);
    }
    if !closed {
        let why = "it has no closing line of dashes followed by a blank line".to_string();
        return refuse(file, &lines[first], why, warnings);
    }
    if rows.is_empty() {
        return Attempt::No;
    }
    let header: Vec<Line<'_>> = top.map_or_else(Vec::new, |t| lines[t + 1..c].to_vec());
    let all: Vec<Line<'_>> = header
        .iter()
        .chain(rows.iter().flatten())
        .copied()
        .collect();
    if let Some((k, col)) = crossing(&all, &cols) {
        let why = format!("a word crosses the start of a column (character {col})");
        return refuse(file, &all[k], why, warnings);
    }
    if !fits(&lines[first..=j]) {
        return Attempt::No;
    }
    let align = if header.is_empty() {
        alignments(&rows[0], &cols)
    } else {
        alignments(&header, &cols)
    };
    let table = Table {
        range: lines[first].start..line_end(&lines[j]),
        caption: None,
        align,
        widths: relative_widths(&cols),
        head: if header.is_empty() {
            Vec::new()
        } else {
            cut(&header, &cols)
        },
        rows: rows.iter().map(|r| cut(r, &cols)).collect(),
    };
    Attempt::Table(table, j + 1)
}

/// A grid border or separator: `+`, then runs of `-` (or `=`), each
/// closed by `+`, colons allowed at a run's ends. Its `+` columns.
fn border(text: &str) -> Option<(Vec<usize>, bool)> {
    let t = text.trim_end();
    if !t.starts_with('+') || !t.ends_with('+') || t.chars().count() < 3 {
        return None;
    }
    let mut pluses = Vec::new();
    let mut equals = false;
    for (col, c) in t.chars().enumerate() {
        match c {
            '+' => pluses.push(col),
            '-' | ':' => {}
            '=' => equals = true,
            _ => return None,
        }
    }
    let adjacent = pluses.windows(2).any(|w| w[1] == w[0] + 1);
    (!adjacent).then_some((pluses, equals))
}

/// The alignment the colons of a border's segments give.
fn grid_align(text: &str, pluses: &[usize]) -> Vec<Align> {
    let chars: Vec<char> = text.chars().collect();
    pluses
        .windows(2)
        .map(|w| {
            let left = chars.get(w[0] + 1) == Some(&':');
            let right = chars.get(w[1] - 1) == Some(&':');
            match (left, right) {
                (true, true) => Align::Center,
                (true, false) => Align::Left,
                (false, true) => Align::Right,
                (false, false) => Align::None,
            }
        })
        .collect()
}

/// A grid table from line `i` (a border) to the last line of the block
/// starting with `+` or `|`.
fn grid(file: FileId, lines: &[Line<'_>], i: usize, warnings: &mut Warnings) -> Attempt {
    let indent = lines[i].indent();
    let Some((pluses, _)) = border(&lines[i].text[indent..]) else {
        return Attempt::No;
    };
    if pluses.len() < 2 {
        return Attempt::No;
    }
    let mut end = i + 1;
    while end < lines.len() {
        let t = lines[end].text.get(indent..).unwrap_or_default();
        if lines[end].indent() != indent || !(t.starts_with('|') || t.starts_with('+')) {
            break;
        }
        end += 1;
    }
    let block = &lines[i..end];
    let last = block[block.len() - 1];
    if block.len() < 3 || border(&last.text[indent..]).is_none() {
        let why = "its last line is not a border like `+---+`".to_string();
        return refuse(file, &last, why, warnings);
    }
    // Rows between borders; the `=` border closing the header rows.
    let mut rows: Vec<Vec<Line<'_>>> = Vec::new();
    let mut current: Vec<Line<'_>> = Vec::new();
    let mut head_rows: Option<usize> = None;
    for line in &block[1..] {
        let t = &line.text[indent..];
        if let Some((p, equals)) = border(t) {
            if p != pluses {
                let why = "its cells span rows or columns, which samizdat does not read yet";
                return refuse(file, line, why.to_string(), warnings);
            }
            if current.is_empty() {
                let why = "it has two borders with no row between them".to_string();
                return refuse(file, line, why, warnings);
            }
            rows.push(std::mem::take(&mut current));
            if equals && head_rows.is_none() && !std::ptr::eq(line, &block[block.len() - 1]) {
                head_rows = Some(rows.len());
            }
            continue;
        }
        let chars: Vec<char> = t.chars().collect();
        for &p in &pluses {
            match chars.get(p) {
                Some('|') => {}
                Some('+') => {
                    let why = "its cells span rows, which samizdat does not read yet";
                    return refuse(file, line, why.to_string(), warnings);
                }
                _ => {
                    let why = format!(
                        "this line has no `|` at character {} (a cell spanning columns, or a misaligned border)",
                        indent + p + 1
                    );
                    return refuse(file, line, why, warnings);
                }
            }
        }
        if chars.len() > pluses[pluses.len() - 1] + 1
            && !chars[pluses[pluses.len() - 1] + 1..]
                .iter()
                .all(|c| c.is_whitespace())
        {
            let why = "this line has text after its last `|`".to_string();
            return refuse(file, line, why, warnings);
        }
        current.push(*line);
    }
    if !fits(block) {
        return Attempt::No;
    }
    let align_line = match head_rows {
        Some(h) => block
            .iter()
            .filter(|l| border(&l.text[indent..]).is_some())
            .nth(h)
            .map_or(lines[i].text, |l| l.text),
        None => lines[i].text,
    };
    let align = grid_align(&align_line[indent..], &pluses);
    let cols: Vec<Range<usize>> = pluses.windows(2).map(|w| w[0]..w[1]).collect();
    // pandoc counts a column as its dashes and one `+`.
    let widths = {
        let lengths: Vec<usize> = cols.iter().map(Range::len).collect();
        let over = lengths.iter().sum::<usize>().max(COLUMNS) as f32;
        lengths.iter().map(|&l| l as f32 / over).collect()
    };
    let mut cells: Vec<Vec<Cell>> = rows.iter().map(|r| grid_cells(r, indent, &cols)).collect();
    let head = match head_rows {
        Some(h) => {
            let mut head_rows: Vec<Vec<Cell>> = cells.drain(..h).collect();
            let mut head = head_rows.remove(0);
            for more in head_rows {
                for (cell, extra) in head.iter_mut().zip(more) {
                    cell.text.push_str("\n\n");
                    for (k, (at, src)) in extra.map.iter().enumerate() {
                        let to = extra.map.get(k + 1).map_or(extra.text.len(), |n| n.0);
                        cell.map.push((cell.text.len(), *src));
                        cell.text.push_str(&extra.text[*at..to]);
                    }
                }
            }
            head
        }
        None => Vec::new(),
    };
    let table = Table {
        range: lines[i].start..line_end(&last),
        caption: None,
        align,
        widths,
        head,
        rows: cells,
    };
    Attempt::Table(table, end)
}

/// A grid row's cells: each column's text between its bars, line by line,
/// their common indentation removed (so code and lists keep their shape).
fn grid_cells(row: &[Line<'_>], indent: usize, cols: &[Range<usize>]) -> Vec<Cell> {
    cols.iter()
        .map(|col| {
            let pieces: Vec<(usize, String)> = row
                .iter()
                .map(|line| {
                    let chars = line.chars();
                    let (at, text) =
                        columns(line, &chars, indent + col.start + 1, indent + col.end);
                    (at, text.trim_end().to_string())
                })
                .collect();
            let common = pieces
                .iter()
                .filter(|(_, t)| !t.is_empty())
                .map(|(_, t)| t.len() - t.trim_start_matches(' ').len())
                .min()
                .unwrap_or(0);
            let mut cell = Cell::default();
            let mut first = true;
            for (at, text) in &pieces {
                let piece = text.get(common..).unwrap_or_default();
                if first && piece.is_empty() {
                    continue;
                }
                first = false;
                cell.push(piece, at + common.min(text.len()));
            }
            while cell.text.ends_with('\n') {
                cell.text.pop();
            }
            cell
        })
        .collect()
}

/// A caption paragraph (`Table: …`, `table: …` or `: …`) before the
/// table (`i` its first line, nothing of it before byte `after`) or after it
/// (`end` the line after it), blank lines between, taken into the table.
fn with_captions(
    lines: &[Line<'_>],
    mut table: Table,
    i: usize,
    end: usize,
    after: usize,
) -> (Table, usize) {
    // Before: the paragraph above, over blank lines.
    let mut k = i;
    while k > 0 && lines[k - 1].blank() {
        k -= 1;
    }
    if k < i && k > 0 {
        let mut p = k - 1;
        while p > 0 && !lines[p - 1].blank() {
            p -= 1;
        }
        // A `: …` under a paragraph is that paragraph's definition (pandoc
        // reads the definition list first), not a caption.
        let above = lines[..p].iter().rev().find(|l| !l.blank());
        let term = above.is_some_and(|l| !l.text.trim_start().starts_with('#'));
        let colon = lines[p].text.trim_start().starts_with(':');
        if lines[p].start >= after
            && !(colon && term)
            && let Some((at, text)) = caption_start(&lines[p])
        {
            let mut cell = Cell::default();
            cell.push(text, at);
            for line in &lines[p + 1..k] {
                cell.push(line.text.trim(), line.start + line.indent());
            }
            table.caption = Some(cell);
            table.range.start = lines[p].start;
            return (table, end);
        }
    }
    // After: blank lines, then the caption's paragraph.
    let mut k = end;
    while k < lines.len() && lines[k].blank() {
        k += 1;
    }
    if k > end
        && let Some((at, text)) = lines.get(k).and_then(|l| caption_start(l))
    {
        let mut cell = Cell::default();
        cell.push(text, at);
        let mut m = k + 1;
        while m < lines.len() && !lines[m].blank() {
            cell.push(lines[m].text.trim(), lines[m].start + lines[m].indent());
            m += 1;
        }
        table.caption = Some(cell);
        table.range.end = line_end(&lines[m - 1]);
        return (table, m);
    }
    (table, end)
}

/// Whether `line` opens a caption: the caption's text and where it starts.
fn caption_start<'t>(line: &Line<'t>) -> Option<(usize, &'t str)> {
    if line.indent() > 3 {
        return None;
    }
    let t = line.text.trim_start();
    let rest = ["Table:", "table:", ":"]
        .iter()
        .find_map(|p| t.strip_prefix(p))?;
    if !rest.starts_with([' ', '\t']) && !rest.is_empty() {
        return None;
    }
    let body = rest.trim();
    let at = line.start + line.text.len() - rest.trim_start().len();
    Some((at, body))
}

#[cfg(test)]
#[path = "pandoc_tables/tests.rs"]
mod tests;
