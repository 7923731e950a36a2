//! Page furniture: the running head (the book's or the chapter's title, as
//! the style asks for versos and rectos; none on openings or pages with no
//! text) and the folio (centred or at the outer corner; none where the page
//! start asks, or on openings unless the style wants them). Their text is
//! set by the caller's [`FurnitureFn`], in the furniture's own style; here
//! they are placed and marked as artifacts.

use super::Geometry;
use super::place::{line_width, push_line};
use crate::style::{FolioPosition, RunningHead};
use crate::typeset::inline::SetLine;
use crate::typeset::page::{Item, PageNumber, Point, Tag, TagKind};

/// What the furniture needs set: a folio or a running head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// A page number.
    Folio,
    /// A running head.
    Head,
}

/// Sets furniture text as a line starting at x = 0.
pub type FurnitureFn<'a> = dyn FnMut(&str, Furniture) -> SetLine + 'a;

/// What a page's furniture depends on.
pub(super) struct PageFurniture<'a> {
    /// A recto (odd page), not a verso.
    pub recto: bool,
    /// Left edge of the text block.
    pub left: crate::typeset::page::Pt,
    /// A chapter's or part's first page: no running head.
    pub opening: bool,
    /// No folio on this page.
    pub no_folio: bool,
    /// The running head of the chapter the page is in.
    pub head: Option<&'a str>,
    /// The page's number.
    pub number: PageNumber,
}

/// Adds the running head and folio of `page` to its `items`.
pub(super) fn set(
    items: &mut Vec<Item>,
    geo: &Geometry,
    page: &PageFurniture<'_>,
    furniture: &mut FurnitureFn<'_>,
) {
    let left = page.left;
    if !page.opening && has_body_or_notes(items) {
        let what = if page.recto { geo.heads.1 } else { geo.heads.0 };
        let text = match what {
            RunningHead::Book => geo.book_title.as_deref(),
            RunningHead::Chapter => page.head,
            RunningHead::None => None,
        };
        if let Some(text) = text.filter(|t| !t.is_empty()) {
            let line = artifact(furniture(text, Furniture::Head), TagKind::RunningHead);
            let w = line_width(&line);
            let x = left + (geo.measure - w) / 2.0;
            push_line(items, &line, Point { x, y: geo.head_y });
        }
    }
    if !page.no_folio {
        let line = artifact(
            furniture(&page.number.label(), Furniture::Folio),
            TagKind::Folio,
        );
        let w = line_width(&line);
        let x = match geo.folio_position {
            FolioPosition::Centre => left + (geo.measure - w) / 2.0,
            FolioPosition::Outer if page.recto => left + geo.measure - w,
            FolioPosition::Outer => left,
        };
        push_line(items, &line, Point { x, y: geo.folio_y });
    }
}

/// Marks a furniture line's runs as an artifact of `kind`.
fn artifact(mut line: SetLine, kind: TagKind) -> SetLine {
    for run in &mut line.runs {
        run.tag = Some(Tag::artifact(kind));
    }
    line
}

/// Whether the page shows any text (body or notes).
fn has_body_or_notes(items: &[Item]) -> bool {
    items.iter().any(|i| matches!(i, Item::Glyphs(_)))
}
