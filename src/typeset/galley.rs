//! The galley: what block layout makes and the page breaker cuts into
//! pages — a flow of set lines, spaces, rules, images and page starts, the
//! set notes by id, and where each chapter stands in it (so that one
//! chapter can be set again alone).

use std::collections::HashMap;

use super::inline::SetLine;
use super::page::{Numbering, OutlineEntry, Pt, Tag, TagKind};
use crate::doc::NoteId;

/// One line of the galley.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowLine {
    /// The set line.
    pub line: SetLine,
    /// Offset from the left edge of the text block.
    pub x: Pt,
    /// Distance from the previous baseline.
    pub leading: Pt,
    /// Height above the baseline (for the first line on a page).
    pub ascent: Pt,
    /// Keep on the same page as the next line (headings, short quotes).
    pub keep_with_next: bool,
    /// Position in its paragraph: (index, count), for widows and orphans.
    pub par: Option<(u32, u32)>,
    /// The paragraph's serial number in the book, so the page breaker can
    /// ask for it to be set a line looser or tighter.
    pub serial: Option<u32>,
    /// Destinations (and outline entries) at this line.
    pub dests: Vec<(String, Option<OutlineEntry>)>,
}

/// How a new page (started by [`Flow::PageStart`]) begins.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageStart {
    /// Restart the page numbers in this style.
    pub numbering: Option<Numbering>,
    /// Start on a right-hand page, leaving a blank left-hand page if needed.
    pub recto: bool,
    /// An opening (chapter, part or front-matter page): no running head.
    pub opening: bool,
    /// No folio on this first page either.
    pub no_folio: bool,
    /// The running head for pages from here on (the chapter's title); none
    /// leaves the pages without a chapter head.
    pub head: Option<String>,
}

/// An element of the galley.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    /// A line of text.
    Line(FlowLine),
    /// Vertical space between blocks: dropped at the top of a page, and
    /// stretched (by up to its own height) to fill a page.
    Space(Pt),
    /// Vertical space kept even at the top of a page (chapter sink).
    Sink(Pt),
    /// A horizontal rule: its left end `x` from the left margin, and its
    /// width.
    Rule {
        /// Left end, from the text block's left edge.
        x: Pt,
        /// Length.
        width: Pt,
    },
    /// An image block.
    Image {
        /// Offset from the left edge of the text block.
        x: Pt,
        /// Size on the page.
        width: Pt,
        /// Height on the page.
        height: Pt,
        /// The image, read and judged.
        picture: crate::image::Picture,
        /// Alt text.
        alt: String,
        /// Its place in the structure.
        tag: Option<Tag>,
        /// How many of the lines after it (its caption) go on its page:
        /// no page break between it and them, nor among them.
        keep_lines: u32,
    },
    /// Start a new page.
    PageStart(PageStart),
}

/// A galley: its flow, its set notes, where its front matter ends, and
/// where each chapter stands in it (to set one chapter again alone).
pub struct Galley {
    pub flow: Vec<Flow>,
    pub notes: HashMap<NoteId, Vec<FlowLine>>,
    /// Where the front matter ends.
    pub front: Checkpoint,
    pub chapters: Vec<ChapterRecord>,
    pub note_log: Vec<(NoteId, u32)>,
    pub marked_log: Vec<String>,
}

/// Where a builder stands at a point of the galley's build (see
/// `Builder::checkpoint`): what the rest of the book continues from.
#[derive(Debug, Clone, Default)]
pub struct Checkpoint {
    /// Galley items so far.
    pub flow: usize,
    /// The last note number given.
    pub note_counter: u32,
    /// Paragraphs set so far (the next one's serial number).
    pub par_serial: u32,
    /// Structure groups made so far (the last group number).
    pub groups: u32,
    /// The structure containers open, outermost first.
    pub structure: Vec<(TagKind, u32)>,
    /// How many of `structure` are the part and chapter.
    pub section_depth: usize,
    /// Notes numbered so far (a length of the builder's note log).
    pub notes_before: usize,
    /// Note references marked so far (a length of its marked log).
    pub marked_before: usize,
}

impl Checkpoint {
    /// Whether two builders stand alike here but for their galleys'
    /// length: the same counters and as many containers open.
    pub fn same_counters(&self, other: &Checkpoint) -> bool {
        self.note_counter == other.note_counter
            && self.par_serial == other.par_serial
            && self.groups == other.groups
            && self.structure.len() == other.structure.len()
    }

    /// Whether two builds stand alike here, galleys' length and all: two
    /// builds of the same front matter that end alike can stand in for
    /// each other.
    pub fn same_place(&self, other: &Checkpoint) -> bool {
        self.flow == other.flow && self.same_counters(other)
    }
}

/// One chapter's place in a galley, and how it was set.
pub struct ChapterRecord {
    /// Its index in `typeset::chapters` order.
    pub index: usize,
    pub level: u8,
    pub numbering: Option<Numbering>,
    /// The builder before it.
    pub resume: Checkpoint,
    /// Its galley items.
    pub start: usize,
    pub len: usize,
    /// The builder after it.
    pub end: Checkpoint,
}

impl Galley {
    /// The chapter whose galley items start at `start`, if one does.
    pub fn chapter_at(&self, start: usize) -> Option<usize> {
        let k = self.chapters.partition_point(|c| c.start < start);
        self.chapters.get(k).filter(|c| c.start == start).map(|_| k)
    }

    /// Puts chapter `c` set again in place of its galley items and notes.
    pub fn replace_chapter(&mut self, c: usize, set: Galley) {
        let record = &mut self.chapters[c];
        let (start, old) = (record.start, record.len);
        record.len = set.flow.len();
        let shift = set.flow.len() as isize - old as isize;
        self.flow.splice(start..start + old, set.flow);
        self.notes.extend(set.notes);
        for later in &mut self.chapters[c + 1..] {
            later.start = later.start.saturating_add_signed(shift);
        }
    }
}
