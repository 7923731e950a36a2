//! Printer's marks in the page model: each page grows by a slug on every
//! side, its content moves inwards, and crop marks show where to trim. The
//! PDF writer records the trimmed page as `/TrimBox` and the bleed as
//! `/BleedBox`, as PDF/X asks (ISO 15930; PDF 1.7 §14.11.2).
//!
//! The marks sit outside the bleed, so a trim a little off never shows
//! them: each starts `bleed` away from the trimmed corner and runs
//! [`MARK_LENGTH`] outwards, a hairline thick.

use crate::typeset::page::{Item, Page, Pt, Rect};

/// How long a crop mark is: 5 mm, the common length in prepress tools.
pub const MARK_LENGTH: f64 = 5.0;

/// Hairline crop marks: 0.25 pt, as drawn by most imposition software.
const MARK_WEIGHT: f64 = 0.25;

/// Where the trimmed page lies inside a marked page.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Trim {
    /// Space from the marked page's edge to the trimmed page on each side.
    pub slug: Pt,
    /// How far the bleed reaches past the trim.
    pub bleed: Pt,
}

/// The slug for a bleed: the bleed, the marks, and a millimetre to spare.
pub fn slug(bleed: Pt) -> Pt {
    bleed + Pt::mm(MARK_LENGTH + 1.0)
}

/// Adds a slug with crop marks around every page.
pub fn crop_marks(mut pages: Vec<Page>, bleed: Pt) -> (Vec<Page>, Trim) {
    let slug = slug(bleed);
    for page in &mut pages {
        let (w, h) = page.size;
        for item in &mut page.items {
            item.translate(slug, slug);
        }
        let items = &mut page.items;
        let (left, top, right, bottom) = (slug, slug, slug + w, slug + h);
        let len = Pt::mm(MARK_LENGTH);
        let weight = Pt(MARK_WEIGHT);
        for (x, dir_x) in [(left, -1.0), (right, 1.0)] {
            for (y, dir_y) in [(top, -1.0), (bottom, 1.0)] {
                // Horizontal mark on the line of the trimmed edge y.
                let hx = if dir_x < 0.0 {
                    x - bleed - len
                } else {
                    x + bleed
                };
                items.push(Item::Rule(Rect {
                    x: hx,
                    y: y - weight * 0.5,
                    width: len,
                    height: weight,
                }));
                // Vertical mark on the line of the trimmed edge x.
                let vy = if dir_y < 0.0 {
                    y - bleed - len
                } else {
                    y + bleed
                };
                items.push(Item::Rule(Rect {
                    x: x - weight * 0.5,
                    y: vy,
                    width: weight,
                    height: len,
                }));
            }
        }
        page.size = (w + slug * 2.0, h + slug * 2.0);
    }
    (pages, Trim { slug, bleed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::page::{Numbering, PageNumber};

    #[test]
    fn marks_sit_outside_the_bleed_and_content_moves_in() {
        let page = Page {
            size: (Pt(100.0), Pt(200.0)),
            number: PageNumber {
                numbering: Numbering::Arabic,
                value: 1,
            },
            first_word: None,
            items: vec![Item::Rule(Rect {
                x: Pt(10.0),
                y: Pt(20.0),
                width: Pt(1.0),
                height: Pt(1.0),
            })],
        };
        let bleed = Pt::mm(3.0);
        let (marked, trim) = crop_marks(vec![page], bleed);
        let s = slug(bleed);
        assert_eq!(trim, Trim { slug: s, bleed });
        assert_eq!(marked[0].size, (Pt(100.0) + s * 2.0, Pt(200.0) + s * 2.0));
        let Item::Rule(moved) = &marked[0].items[0] else {
            panic!()
        };
        assert_eq!((moved.x, moved.y), (Pt(10.0) + s, Pt(20.0) + s));
        // Eight marks, none inside the bleed box, all on the sheet.
        let marks = &marked[0].items[1..];
        assert_eq!(marks.len(), 8);
        let (w, h) = marked[0].size;
        let bleed_box = (
            s - bleed,
            s - bleed,
            s + Pt(100.0) + bleed,
            s + Pt(200.0) + bleed,
        );
        for m in marks {
            let Item::Rule(r) = m else { panic!() };
            let inside_x = r.x + r.width > bleed_box.0 + Pt(0.2) && r.x < bleed_box.2 - Pt(0.2);
            let inside_y = r.y + r.height > bleed_box.1 + Pt(0.2) && r.y < bleed_box.3 - Pt(0.2);
            assert!(!(inside_x && inside_y), "mark inside the bleed: {r:?}");
            assert!(
                r.x.0 >= 0.0
                    && r.y.0 >= 0.0
                    && (r.x + r.width).0 <= w.0
                    && (r.y + r.height).0 <= h.0
            );
        }
    }
}
