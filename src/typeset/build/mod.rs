//! Block layout: the book's chapters and blocks → the galley ([`Flow`]) that
//! `paginate.rs` cuts into pages. This file holds the [`Builder`] (the galley
//! so far, its counters, the open structure containers), where it stands
//! ([`Builder::checkpoint`], [`Builder::resume`]) and the dispatch of blocks to
//! the files that set them: `paragraph` (paragraphs, quotes, lists, the
//! lines' place in the galley), `structure` (parts, chapters, headings, the
//! structure tags), `front` (half-title, title page, colophon, contents),
//! `notes`, `table`, `code`, `figure` and `alert`. The words themselves are set by
//! `inline.rs`.

mod alert;
mod code;
mod figure;
mod front;
mod notes;
mod paragraph;
mod structure;
mod table;

use crate::labels::Labels;
use std::collections::HashMap;

pub use front::ContentsEntry;

use super::fonts::Variant;
use super::galley::{Checkpoint, Flow, FlowLine, PageStart};
use super::inline::{InlineLayout, ParStyle, Role, SetLine, TextStyle};
use super::page::{Pt, Tag, TagKind};
use super::shape::Features;
use crate::diag::{Diagnostic, Warnings};
use crate::doc::{Block, Inline, NoteId};
use crate::files::BookFiles;
use crate::style::PrintStyle;

/// Builds the galley.
/// What every builder of one book and style shares: the style, the book's
/// files (its images) and the words it adds in the book's language.
#[derive(Clone, Copy)]
pub struct BookSetting<'a> {
    pub style: &'a PrintStyle,
    pub assets: &'a BookFiles,
    pub labels: &'static Labels,
}

pub struct Builder<'a, 'f> {
    /// Paragraph setter (with its caches and memo), borrowed for the
    /// build.
    pub inline: &'a mut InlineLayout<'f>,
    style: &'a PrintStyle,
    assets: &'a BookFiles,
    /// The words the typesetter adds (contents, notes, part, chapter), in
    /// the book's language.
    labels: &'static Labels,
    /// The galley so far.
    pub flow: Vec<Flow>,
    /// Set footnotes by id.
    pub notes: HashMap<NoteId, Vec<FlowLine>>,
    note_numbers: HashMap<NoteId, u32>,
    note_counter: u32,
    marked: std::collections::HashSet<String>,
    /// Notes set for the end of the chapter (or book), not the page foot.
    endnotes: Vec<FlowLine>,
    /// The book's notes gathered for its end, by chapter.
    booknotes: Vec<(String, Vec<FlowLine>)>,
    /// Paragraphs set so far (their serial numbers).
    par_serial: u32,
    /// Looseness asked of paragraphs, by serial number (see `fill`).
    pub looseness: HashMap<u32, i32>,
    warnings: &'a mut Warnings,
    /// The structure containers open where blocks are being set (for
    /// tagged PDF), outermost first.
    structure: Vec<(TagKind, u32)>,
    /// How many of `structure` are the part and chapter: a note's
    /// container sits right under them.
    section_depth: usize,
    /// Structure groups made so far (the last group number).
    groups: u32,
    /// Notes in the order they were numbered, and note references in the
    /// order they were marked: what a [`Checkpoint`] counts, to set one
    /// chapter again.
    note_log: Vec<(NoteId, u32)>,
    marked_log: Vec<String>,
    /// Heading levels added in the tag tree: 1 in a chapter of a part
    /// (the part's title is the H1, the chapter's an H2), else 0.
    heading_base: u8,
    /// Levels a section heading is moved down: in a sub-chapter set as a
    /// section of its print chapter, its depth under it; else 0.
    heading_shift: u8,
    /// The folder of the chapter being set (content-relative): where a
    /// raw HTML `<img>`'s source is looked for first.
    chapter_dir: std::path::PathBuf,
    /// Ids given by raw HTML not set yet, for the next line set (the
    /// HTML is left out, its targets are kept where it stood).
    raw_anchors: Vec<paragraph::Dest>,
    /// Ids of bracketed spans met by each `tokens` call under way (a note's
    /// text is gathered inside its marker's paragraph), each with how many
    /// letters and digits come before it.
    span_frames: Vec<Vec<(String, usize)>>,
    /// Those of the last `tokens` call made: the next `push_lines` puts each
    /// on the line its text starts on.
    span_ready: Vec<(String, usize)>,
}

/// What a builder made: the galley, the set notes, and the logs a
/// [`Checkpoint`] points into.
pub struct Parts {
    /// The galley.
    pub flow: Vec<Flow>,
    /// Set footnotes by id.
    pub notes: HashMap<NoteId, Vec<FlowLine>>,
    /// Notes in the order they were numbered.
    pub note_log: Vec<(NoteId, u32)>,
    /// Note references in the order they were marked.
    pub marked_log: Vec<String>,
}

/// Where set lines go in the galley: left offset, leading and size, and
/// whether they keep with what follows (headings, terms).
#[derive(Debug, Clone, Copy)]
struct Place {
    x: Pt,
    leading: Pt,
    size: Pt,
    keep: bool,
}

impl Place {
    /// Lines at `x` that may part from what follows.
    fn new(x: Pt, leading: Pt, size: Pt) -> Self {
        Place {
            x,
            leading,
            size,
            keep: false,
        }
    }

    /// Lines at `x` kept with what follows.
    fn kept(x: Pt, leading: Pt, size: Pt) -> Self {
        Place {
            keep: true,
            ..Place::new(x, leading, size)
        }
    }
}

/// Where a block is set: left offset, measure and text sizes.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x: Pt,
    measure: Pt,
    size: Pt,
    leading: Pt,
    justify: bool,
    /// Set footnotes, not body text.
    in_note: bool,
}

impl<'a, 'f> Builder<'a, 'f> {
    /// A builder for one book.
    pub fn new(
        inline: &'a mut InlineLayout<'f>,
        setting: BookSetting<'a>,
        warnings: &'a mut Warnings,
    ) -> Self {
        let BookSetting {
            style,
            assets,
            labels,
        } = setting;
        Builder {
            inline,
            style,
            assets,
            labels,
            flow: Vec::new(),
            notes: HashMap::new(),
            note_numbers: HashMap::new(),
            note_counter: 0,
            marked: Default::default(),
            endnotes: Vec::new(),
            booknotes: Vec::new(),
            par_serial: 0,
            looseness: HashMap::new(),
            warnings,
            structure: Vec::new(),
            section_depth: 0,
            groups: 0,
            note_log: Vec::new(),
            marked_log: Vec::new(),
            heading_base: 0,
            heading_shift: 0,
            chapter_dir: std::path::PathBuf::new(),
            raw_anchors: Vec::new(),
            span_frames: Vec::new(),
            span_ready: Vec::new(),
        }
    }

    /// A builder that stands where another stood at `from`, with an empty
    /// galley: the next chapter it sets comes out as that one's did (bar
    /// what its looseness changes). `note_log` and `marked_log` are the
    /// other builder's.
    pub fn resume(
        inline: &'a mut InlineLayout<'f>,
        setting: BookSetting<'a>,
        warnings: &'a mut Warnings,
        from: &Checkpoint,
        note_log: &[(NoteId, u32)],
        marked_log: &[String],
    ) -> Self {
        let mut b = Builder::new(inline, setting, warnings);
        b.note_counter = from.note_counter;
        b.par_serial = from.par_serial;
        b.groups = from.groups;
        b.structure = from.structure.clone();
        b.section_depth = from.section_depth;
        b.note_log = note_log[..from.notes_before.min(note_log.len())].to_vec();
        b.note_numbers = b.note_log.iter().copied().collect();
        b.marked_log = marked_log[..from.marked_before.min(marked_log.len())].to_vec();
        b.marked = b.marked_log.iter().cloned().collect();
        b
    }

    fn body_frame(&self) -> Frame {
        Frame {
            x: Pt::ZERO,
            measure: self.style.measure(),
            size: self.style.body_size,
            leading: self.style.leading,
            justify: self.style.justify,
            in_note: false,
        }
    }

    fn text_style(&self, frame: &Frame) -> TextStyle {
        TextStyle {
            role: Role::Body,
            variant: Variant::default(),
            size: frame.size,
            features: Features {
                oldstyle: self.style.oldstyle_figures,
                ..Features::default()
            },
            rise: Pt::ZERO,
            link: None,
            hyphenate: true,
            strike: false,
        }
    }

    fn page_start(&mut self, start: PageStart) {
        self.flow.push(Flow::PageStart(start));
    }

    /// Where the builder stands: its galley's length, its counters, the
    /// open structure containers and how far its note logs go. Before a
    /// chapter, what [`Self::resume`] sets it again from; at the end of
    /// the front matter or of a chapter, what another build is compared
    /// with to stand in for it.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            flow: self.flow.len(),
            note_counter: self.note_counter,
            par_serial: self.par_serial,
            groups: self.groups,
            structure: self.structure.clone(),
            section_depth: self.section_depth,
            notes_before: self.note_log.len(),
            marked_before: self.marked_log.len(),
        }
    }

    /// What the builder made.
    pub fn into_parts(self) -> Parts {
        Parts {
            flow: self.flow,
            notes: self.notes,
            note_log: self.note_log,
            marked_log: self.marked_log,
        }
    }

    fn blocks(&mut self, blocks: &[Block], frame: &Frame) {
        let mut prev_para = false;
        for (i, block) in blocks.iter().enumerate() {
            let first = i == 0;
            prev_para = self.block(block, frame, prev_para && !first);
        }
    }

    /// Sets one block; returns whether it was a paragraph (for indents).
    fn block(&mut self, block: &Block, frame: &Frame, after_para: bool) -> bool {
        if let Block::Html { html, .. } = block {
            self.raw_anchors(html);
        }
        match block {
            Block::Para { content, span } => {
                if let [Inline::Image { src, alt, span, .. }] = content.as_slice() {
                    self.image(src, alt, *span, frame);
                    return false;
                }
                // A paragraph of raw HTML alone (an `<img>` whose tag runs
                // over several lines is no HTML block for CommonMark).
                if let Some(html) = figure::raw_only(content)
                    && self.raw_images(&html, *span, frame)
                {
                    return false;
                }
                self.para(content, *span, frame, after_para);
                return true;
            }
            Block::Heading {
                level, id, content, ..
            } => self.heading(*level, id, content, frame),
            Block::BlockQuote { blocks, .. } => self.block_quote(blocks, frame),
            Block::Figure {
                src,
                alt,
                caption,
                span,
                ..
            } => self.figure(src, alt, caption, *span, frame),
            Block::Alert { kind, blocks, .. } => self.alert(*kind, blocks, frame),
            Block::Div { attrs, blocks, .. } => {
                let at = self.flow.len();
                self.blocks(blocks, frame);
                // A div's id is a link target: its first line.
                if let Some(id) = &attrs.id
                    && let Some(Flow::Line(first)) = self.flow[at..]
                        .iter_mut()
                        .find(|f| matches!(f, Flow::Line(_)))
                {
                    first.dests.insert(0, (id.clone(), None));
                }
                return after_para;
            }
            Block::List {
                start,
                items,
                tight,
                ..
            } => self.list(*start, items, *tight, frame),
            Block::DefinitionList { items, .. } => self.definition_list(items, frame),
            Block::CodeBlock { text, span, .. } => self.code(text, *span, frame),
            Block::Table {
                head,
                rows,
                align,
                widths,
                ..
            } => self.table(head, rows, align, widths, frame),
            Block::ThematicBreak { span } => self.thematic_break(*span, frame),
            // A comment is for the author: silent.
            Block::Html { html, .. } if crate::html::only_comments(html) => {}
            // An `<img>` (in a `<figure>` or not) is set as a figure.
            Block::Html { html, span } if self.raw_images(html, *span, frame) => {}
            Block::Html { span, .. } => {
                self.warnings
                    .push(Diagnostic::warning("raw HTML is left out of print editions").at(*span));
                return after_para;
            }
        }
        false
    }

    /// Keeps the ids `html` gives its elements as destinations for the
    /// next line set, so links to them reach the page where it stood.
    fn raw_anchors(&mut self, html: &str) {
        for id in crate::html::ids(html) {
            self.raw_anchors.push((id, None));
        }
    }

    /// Puts raw HTML's ids left at the end of a chapter on its last line.
    fn flush_raw_anchors(&mut self) {
        if self.raw_anchors.is_empty() {
            return;
        }
        if let Some(Flow::Line(last)) = self
            .flow
            .iter_mut()
            .rev()
            .find(|f| matches!(f, Flow::Line(_)))
        {
            last.dests.append(&mut self.raw_anchors);
        }
    }

    fn flow_is_fresh(&self) -> bool {
        matches!(
            self.flow.last(),
            None | Some(Flow::Space(_) | Flow::Sink(_) | Flow::PageStart(_))
        )
    }
}

/// Gives every untagged run of `lines` the tag (runs already tagged, such
/// as list labels, keep theirs).
fn set_tag(lines: &mut [SetLine], tag: &Tag) {
    for run in lines.iter_mut().flat_map(|l| l.runs.iter_mut()) {
        if run.tag.is_none() {
            run.tag = Some(tag.clone());
        }
    }
}

/// Centred lines on `frame`'s measure, unhyphenated: titles and captions.
fn centred_par(frame: &Frame) -> ParStyle {
    ParStyle {
        center: true,
        ..heading_par(frame)
    }
}

fn heading_par(frame: &Frame) -> ParStyle {
    ParStyle {
        measure: frame.measure,
        indent: Pt::ZERO,
        justify: false,
        center: false,
        hyphenate: false,
        looseness: 0,
    }
}
