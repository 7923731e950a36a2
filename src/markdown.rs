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

use pulldown_cmark::Options;

use crate::diag::{Diagnostic, Warnings};
use crate::doc::Block;
use crate::source::{FileId, Span};

mod alerts;
mod attrs;
mod build;
mod divs;
mod figures;
mod ids;
mod links;
mod notes;
mod pandoc_tables;
mod rawtext;
mod spans;
mod summary;
#[cfg(test)]
mod tests;

use build::Built;
pub use figures::visit_figures_mut;
pub use links::{LinkIndex, resolve_links};
pub use notes::{MAX_NOTE_DEPTH, visit_inlines_mut};
use notes::{fill_notes, find_undefined_refs, report_unused};
pub use summary::{Summary, SummaryLink, SummaryPart, parse_summary};

/// Deepest nesting of blocks or inlines accepted. Real books stay under ten;
/// the limit only stops pathological input before it can exhaust the stack
/// of a recursive backend.
pub const MAX_DEPTH: usize = 64;

/// The extensions samizdat reads: footnotes, smart punctuation, tables,
/// strikethrough, heading attributes, definition lists, task lists and
/// GitHub's alerts (`ENABLE_GFM`, which adds nothing else in 0.13).
fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
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
    /// How headings' ids are made from their text (pandoc's rule unless
    /// the loader says otherwise).
    pub id_rule: crate::doc::IdRule,
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
    // Fenced divs: fence lines become breaks for the build, then divs.
    let prepared = divs::prepare(text);
    let built = prepared.as_ref().map_or(text, |p| p.text.as_str());
    let Built {
        mut blocks,
        cx,
        notes,
        defs,
        mut anchors,
    } = build::build(file, built, cx);
    if let Some(p) = &prepared {
        divs::wrap(&mut blocks, &p.fences, file, cx, &mut anchors);
    }
    fill_notes(&mut blocks, &defs, &mut Vec::new(), &mut HashSet::new(), cx);
    spans::make_spans(&mut blocks, text, cx, &mut anchors);
    find_undefined_refs(&mut blocks, file, text, cx);
    report_unused(&notes, &defs, cx);
    figures::make_figures(&mut blocks);
    Parsed { blocks, anchors }
}
