//! mdBook's sub-chapters in print. A SUMMARY.md entry nested under another
//! is a chapter of the tree like any other (its own EPUB document, nested in
//! the nav), but in print it is a section of the chapter it is nested in: it
//! continues on its parent's page, its title set as a section heading one
//! level down, listed under its parent in the contents and the outline. This
//! file groups the book's chapters into such print chapters ([`Family`]);
//! `build/structure.rs` sets one.
//!
//! mdBook's guide (`format/summary.md`, "Numbered Chapter") calls nested
//! entries sub-chapters: "numbered chapters … can be nested, resulting in a
//! nice hierarchy (chapters, sub-chapters, etc.)".

use crate::doc::{Book, Chapter, Division, Part};

/// One print chapter: the chapter that opens it and the chapters nested
/// under it (depth greater than its own), in reading order.
#[derive(Debug, Clone)]
pub struct Family<'a> {
    /// The chapter that opens the print chapter.
    pub head: &'a Chapter,
    /// Its sub-chapters, each set as a section (`depth` > `head.depth`).
    pub subs: Vec<&'a Chapter>,
}

impl<'a> Family<'a> {
    /// Every chapter of the family, head first.
    pub fn members(&self) -> impl Iterator<Item = &'a Chapter> + '_ {
        std::iter::once(self.head).chain(self.subs.iter().copied())
    }

    /// How many levels below the head `sub` stands (1 for a direct child).
    pub fn below(&self, sub: &Chapter) -> u8 {
        sub.depth.saturating_sub(self.head.depth).max(1)
    }
}

/// Groups a run of chapters into print chapters: each chapter deeper than
/// the one that opened the current family joins it; a nested chapter with
/// nothing before it opens a family of its own.
pub fn group(chapters: &[Chapter]) -> Vec<Family<'_>> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < chapters.len() {
        let head = &chapters[k];
        let n = chapters[k + 1..]
            .iter()
            .take_while(|c| c.depth > head.depth)
            .count();
        out.push(Family {
            head,
            subs: chapters[k + 1..k + 1 + n].iter().collect(),
        });
        k += 1 + n;
    }
    out
}

/// A piece of the book's body in print: a part with its print chapters,
/// or a print chapter outside parts.
pub enum Piece<'a> {
    /// A part and its chapters.
    Part(&'a Part, Vec<Family<'a>>),
    /// A print chapter outside parts.
    Chapter(Family<'a>),
}

/// The body's pieces: the chapters of a part grouped within it, and each
/// run of chapters outside parts grouped (a sub-chapter is a division of
/// its own in the tree, after its parent's).
pub fn body(book: &Book) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut k = 0;
    let body = &book.body;
    while k < body.len() {
        match &body[k] {
            Division::Part(p) => {
                out.push(Piece::Part(p, group(&p.chapters)));
                k += 1;
            }
            Division::Chapter(head) => {
                let n = body[k + 1..]
                    .iter()
                    .take_while(|d| matches!(d, Division::Chapter(c) if c.depth > head.depth))
                    .count();
                let subs = body[k + 1..k + 1 + n]
                    .iter()
                    .filter_map(|d| match d {
                        Division::Chapter(c) => Some(c),
                        Division::Part(_) => None,
                    })
                    .collect();
                out.push(Piece::Chapter(Family { head, subs }));
                k += 1 + n;
            }
        }
    }
    out
}
