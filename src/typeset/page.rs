//! The page model: what the typesetter produces and the PDF writer
//! translates. Pages hold positioned glyph runs, rules, images, link areas
//! and destinations, all in [`Pt`], y-down from the top-left corner of the
//! page. Glyph runs keep the text they came from (with each glyph's byte
//! range in it), so the PDF's text extracts exactly, ligatures included.
//! Nothing here knows PDF.

use std::sync::Arc;

use super::fonts::FaceId;
use crate::source::Span;
pub use crate::units::Pt;

/// A point on the page, y-down from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// From the left edge.
    pub x: Pt,
    /// From the top edge.
    pub y: Pt,
}

/// An axis-aligned rectangle, y-down.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: Pt,
    /// Top edge.
    pub y: Pt,
    /// Width.
    pub width: Pt,
    /// Height.
    pub height: Pt,
}

/// How a page is numbered (for PDF page labels and folios).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// i, ii, iii… (front matter).
    Roman,
    /// 1, 2, 3… (body and back matter).
    Arabic,
}

/// A page's number as a reader sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber {
    /// The style.
    pub numbering: Numbering,
    /// The number, from 1.
    pub value: u32,
}

impl PageNumber {
    /// The number as printed: `xiv` or `14`.
    pub fn label(&self) -> String {
        match self.numbering {
            Numbering::Arabic => self.value.to_string(),
            Numbering::Roman => crate::roman::lower(self.value),
        }
    }
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width and height.
    pub size: (Pt, Pt),
    /// Its number (PDF page label).
    pub number: PageNumber,
    /// What is on it, in drawing (and reading) order.
    pub items: Vec<Item>,
    /// Where the body text of this page begins in the source (for EPUB
    /// page-list markers): the text node and the byte offset in its text of
    /// the first paragraph line's first letter; none on pages without a
    /// paragraph line.
    pub first_word: Option<WordPlace>,
}

/// Where a page's text begins (see [`crate::doc::TextPlace`]).
pub use crate::doc::TextPlace as WordPlace;

/// Something placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text.
    Glyphs(GlyphRun),
    /// A filled rectangle (rules, the footnote separator).
    Rule(Rect),
    /// A raster image scaled into `rect`.
    Image {
        /// Where it goes.
        rect: Rect,
        /// The image, read and judged.
        picture: crate::image::Picture,
        /// Alternative text.
        alt: String,
        /// Its place in the structure (a figure); none makes it decoration.
        tag: Option<Tag>,
    },
    /// A clickable area.
    Link {
        /// The area.
        rect: Rect,
        /// Where it goes.
        target: LinkTarget,
    },
    /// A named place links and the outline can point to.
    Dest {
        /// The id (book-wide unique).
        id: String,
        /// Where it is (top of the heading or line).
        at: Point,
        /// An outline (bookmark) entry for it, if it has one.
        outline: Option<OutlineEntry>,
    },
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// A URI.
    External(String),
    /// An id that some [`Item::Dest`] carries.
    Internal(String),
}

/// An outline entry (PDF bookmark): nesting level and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineEntry {
    /// 1 for parts (or chapters outside parts' nesting), deeper below.
    pub level: u8,
    /// The title as plain text.
    pub title: String,
}

/// A run of glyphs in one face and size on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// The face.
    pub face: FaceId,
    /// The size (em).
    pub size: Pt,
    /// Start of the baseline.
    pub origin: Point,
    /// Horizontal scale of the glyphs (font expansion; 1 = none). Advances
    /// below are already in final, scaled page units.
    pub scale_x: f64,
    /// The glyphs. Shared: a set line is copied into the galley, the
    /// paragraph memo and its page, and those copies differ only in their
    /// origin and tag, so they share one list of glyphs and one text.
    pub glyphs: Arc<[Glyph]>,
    /// The text the glyphs stand for; each glyph has its range in it.
    pub text: Arc<str>,
    /// Where the text came from, if anywhere: the source text node.
    pub span: Option<Span>,
    /// Byte offset of the run's first character in that node's text.
    pub offset: u32,
    /// Its place in the book's logical structure (for tagged PDF); none
    /// marks layout decoration (leaders, ornaments) that is not read out.
    pub tag: Option<Tag>,
}

/// The structure element a piece of content belongs to, so that a tagged
/// PDF can give it a reading-order tree (ISO 32000-1 §14.8, PDF/UA-1 §7).
///
/// Invariant: `group` is unique in the book among elements and containers;
/// every run of one paragraph, heading or cell carries the same `group`,
/// across lines and pages, and the same `parents`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// What the element is.
    pub kind: TagKind,
    /// Which element: ties the runs of one paragraph together.
    pub group: u32,
    /// The containers it sits in, outermost first: (kind, group).
    pub parents: Arc<[(TagKind, u32)]>,
}

/// Roles of structure elements and containers (PDF standard structure
/// types, ISO 32000-1 §14.8.4), named for the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// A part of the book (container).
    Part,
    /// A chapter, or a generated section such as the book's notes
    /// (container; `Sect`).
    Chapter,
    /// The contents (container; `TOC`).
    Contents,
    /// One contents entry (`TOCI`).
    ContentsEntry,
    /// The book's title on the title page.
    Title,
    /// A heading of this level: 1 for chapter titles, 2 for sections…
    Heading(u8),
    /// A paragraph (`P`).
    Paragraph,
    /// A block quotation (container).
    BlockQuote,
    /// A list (container; `L`), numbered or not.
    List {
        /// Numbered (decimal) rather than bulleted.
        ordered: bool,
    },
    /// A list item (container; `LI`).
    ListItem,
    /// A list item's or note's label: bullet, number, term (`Lbl`).
    Label,
    /// A list item's body (container; `LBody`).
    ListBody,
    /// A code block.
    Code,
    /// A table (container).
    Table,
    /// A table row (container; `TR`).
    TableRow,
    /// A header cell (`TH`).
    HeaderCell,
    /// A data cell (`TD`).
    Cell,
    /// A footnote or endnote (container; `Note`).
    Note,
    /// An image, its alternative text on the [`Item::Image`].
    Figure,
    /// A running head (artifact: not read out).
    RunningHead,
    /// A folio (artifact: not read out).
    Folio,
}

impl TagKind {
    /// Whether content of this kind is an artifact (page furniture), kept
    /// out of the structure tree.
    pub fn is_artifact(self) -> bool {
        matches!(self, TagKind::RunningHead | TagKind::Folio)
    }
}

impl Tag {
    /// A tag for page furniture: no group, no parents.
    pub fn artifact(kind: TagKind) -> Tag {
        Tag {
            kind,
            group: 0,
            parents: Arc::from([]),
        }
    }
}

/// One positioned glyph of a run.
///
/// Lengths are single-precision points: a glyph's advance needs no more
/// than the 1/1000 pt a PDF writes, and a book holds millions of glyphs, so
/// 24 bytes a glyph instead of 40 is a third less memory for the pages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Glyph id in the face.
    pub id: u16,
    /// Advance on the page in points (scale and spacing included).
    pub advance: f32,
    /// Offset from the pen, horizontally, in points.
    pub x_offset: f32,
    /// Offset from the baseline, upwards, in points.
    pub y_offset: f32,
    /// Byte range in the run's text this glyph stands for (a ligature covers
    /// several letters; a glyph of the same cluster repeats the range).
    pub text: (u32, u32),
}

impl Item {
    /// Moves the item right by `dx` and down by `dy` (imposition, marks).
    pub fn translate(&mut self, dx: Pt, dy: Pt) {
        let shift = |p: &mut Point| {
            p.x += dx;
            p.y += dy;
        };
        match self {
            Item::Glyphs(run) => shift(&mut run.origin),
            Item::Rule(r) | Item::Image { rect: r, .. } | Item::Link { rect: r, .. } => {
                r.x += dx;
                r.y += dy;
            }
            Item::Dest { at, .. } => shift(at),
        }
    }
}

impl GlyphRun {
    /// The run's total advance.
    pub fn width(&self) -> Pt {
        Pt(self.glyphs.iter().map(|g| f64::from(g.advance)).sum())
    }
}
