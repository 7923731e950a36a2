//! Booklet imposition: the book's pages placed two-up on printer's sheets
//! for saddle stitching, still in our page model (vector content and subset
//! fonts survive, because items are only moved, never rasterised).
//!
//! For a signature of `s` sheets (`4s` pages, padded with blanks), sheet `i`
//! (0 = outermost) carries on its front the pages `4s − 2i` | `2i + 1` and on
//! its back `2i + 2` | `4s − 2i − 1` (1-based), so that printing both sides
//! (flipping on the short edge), folding the stack and stapling on the fold
//! gives the pages in order. Thick books are cut into signatures of a fixed
//! number of sheets, gathered one after another. Creep compensation moves
//! the pages of inner sheets towards the spine by `creep` per sheet, because
//! folded inner sheets push out at the fore-edge and lose margin when the
//! book is trimmed.

use crate::typeset::page::{Item, Numbering, Page, PageNumber, Pt};

/// How to impose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Booklet {
    /// Sheet size, landscape (width, height); `None`: two pages side by side.
    pub sheet: Option<(Pt, Pt)>,
    /// Sheets per signature; `None`: the whole book is one signature.
    pub signature_sheets: Option<usize>,
    /// Shift towards the spine per sheet from the outside, for creep.
    pub creep: Pt,
}

/// The most sheets a signature may have: a saddle-stitched signature of
/// more than 64 sheets (256 pages) cannot be folded.
pub const MAX_SIGNATURE_SHEETS: usize = 64;

/// The largest creep per sheet: paper is a tenth of a millimetre thick,
/// board a millimetre; more than 2 mm is a typo.
pub const MAX_CREEP_MM: f64 = 2.0;

/// A problem with a booklet's geometry, and the key it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct GeometryProblem {
    /// `sheet`, `creep` or `signature-sheets`.
    pub key: &'static str,
    /// What is wrong.
    pub message: String,
}

impl Booklet {
    /// Checks the imposition of pages of `page` size (width, height) with an
    /// inner margin of `inner`: the sheet is within PDF's limits and holds
    /// two pages side by side, signatures have 1 to
    /// [`MAX_SIGNATURE_SHEETS`] sheets, and creep is not negative, at most
    /// [`MAX_CREEP_MM`] per sheet, and never shifts a page by more than its
    /// inner margin (beyond that the pages overlap at the fold).
    pub fn check(&self, page: (Pt, Pt), inner: Pt) -> Vec<GeometryProblem> {
        let mut out = Vec::new();
        let mut problem = |key, message| out.push(GeometryProblem { key, message });
        let (pw, ph) = page;
        let (sw, sh) = self.sheet.unwrap_or((pw * 2.0, ph));
        let pdf = &crate::style::PDF_PAGE_SIDE;
        if !(pdf.contains(&sw.0) && pdf.contains(&sh.0)) {
            problem(
                if self.sheet.is_some() {
                    "sheet"
                } else {
                    "imposition"
                },
                format!(
                    "the sheet is {sw} × {sh}; PDF allows {}pt to {}pt a side",
                    pdf.start(),
                    pdf.end()
                ),
            );
        } else if sw.0 + 1e-6 < pw.0 * 2.0 || sh.0 + 1e-6 < ph.0 {
            problem(
                "sheet",
                format!("a {sw} × {sh} sheet cannot hold two {pw} × {ph} pages side by side"),
            );
        }
        if let Some(n) = self.signature_sheets
            && !(1..=MAX_SIGNATURE_SHEETS).contains(&n)
        {
            problem(
                "signature-sheets",
                format!(
                    "`signature-sheets` is {n}; it must be between 1 and {MAX_SIGNATURE_SHEETS}"
                ),
            );
        }
        let creep = self.creep;
        if !(0.0..=Pt::mm(MAX_CREEP_MM).0).contains(&creep.0) {
            problem(
                "creep",
                format!("`creep` is {creep}; it must be between 0 and {MAX_CREEP_MM}mm a sheet"),
            );
        } else if let Some(n) = self
            .signature_sheets
            .filter(|n| (1..=MAX_SIGNATURE_SHEETS).contains(n))
        {
            let shift = creep * (n - 1) as f64;
            if shift.0 > inner.0 {
                problem(
                    "creep",
                    format!(
                        "`creep` moves the innermost pages by {shift}, more than the inner margin ({inner})"
                    ),
                );
            }
        }
        out
    }
}

/// Which book page (0-based index, or `None` for a blank) goes on each side
/// of each sheet: `[front left, front right, back left, back right]` per
/// sheet, in printing order.
pub fn sheet_order(pages: usize, signature_sheets: Option<usize>) -> Vec<[Option<usize>; 4]> {
    let padded = pages.div_ceil(4).max(1) * 4;
    let per_signature = signature_sheets.map_or(padded, |s| s.max(1) * 4);
    let mut sheets = Vec::new();
    let mut first = 0;
    while first < padded {
        let len = per_signature.min(padded - first);
        let page = |k: usize| Some(first + k).filter(|&p| p < pages);
        for i in 0..len / 4 {
            sheets.push([
                page(len - 1 - 2 * i),
                page(2 * i),
                page(2 * i + 1),
                page(len - 2 - 2 * i),
            ]);
        }
        first += len;
    }
    sheets
}

/// Imposes `pages` (all of one size) as a booklet: two sheet sides per
/// sheet, each a page of the result.
pub fn booklet(pages: &[Page], opts: &Booklet) -> Vec<Page> {
    let Some(first) = pages.first() else {
        return Vec::new();
    };
    let (pw, ph) = first.size;
    let (sw, sh) = opts.sheet.unwrap_or((pw * 2.0, ph));
    // Centre the spread on the sheet.
    let left_x = (sw - pw * 2.0) * 0.5;
    let top_y = (sh - ph) * 0.5;
    let mut out = Vec::new();
    let sheets = sheet_order(pages.len(), opts.signature_sheets);
    let per_signature = opts.signature_sheets.unwrap_or(sheets.len()).max(1);
    for (n, sheet) in sheets.iter().enumerate() {
        // Depth of this sheet in its signature: 0 is the outermost.
        let depth = (n % per_signature) as f64;
        let shift = opts.creep * depth;
        for side in [[sheet[0], sheet[1]], [sheet[2], sheet[3]]] {
            let mut items = Vec::new();
            // The left page moves right (towards the fold), the right page left.
            if let Some(p) = side[0] {
                place(&pages[p], left_x + shift, top_y, &mut items);
            }
            if let Some(p) = side[1] {
                place(&pages[p], left_x + pw - shift, top_y, &mut items);
            }
            out.push(Page {
                size: (sw, sh),
                number: PageNumber {
                    numbering: Numbering::Arabic,
                    value: out.len() as u32 + 1,
                },
                items,
                first_word: None,
            });
        }
    }
    out
}

/// Copies a page's items onto a sheet, moved by (dx, dy).
fn place(page: &Page, dx: Pt, dy: Pt, out: &mut Vec<Item>) {
    out.extend(page.items.iter().map(|item| {
        let mut item = item.clone();
        item.translate(dx, dy);
        item
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1-based page numbers per sheet side, 0 for a blank.
    fn order(pages: usize, sig: Option<usize>) -> Vec<[usize; 4]> {
        sheet_order(pages, sig)
            .into_iter()
            .map(|s| s.map(|p| p.map_or(0, |p| p + 1)))
            .collect()
    }

    #[test]
    fn four_to_twenty_pages_in_one_signature() {
        assert_eq!(order(4, None), [[4, 1, 2, 3]]);
        assert_eq!(order(8, None), [[8, 1, 2, 7], [6, 3, 4, 5]]);
        assert_eq!(
            order(12, None),
            [[12, 1, 2, 11], [10, 3, 4, 9], [8, 5, 6, 7]]
        );
        assert_eq!(
            order(16, None),
            [
                [16, 1, 2, 15],
                [14, 3, 4, 13],
                [12, 5, 6, 11],
                [10, 7, 8, 9]
            ]
        );
        assert_eq!(
            order(20, None),
            [
                [20, 1, 2, 19],
                [18, 3, 4, 17],
                [16, 5, 6, 15],
                [14, 7, 8, 13],
                [12, 9, 10, 11]
            ]
        );
    }

    #[test]
    fn padding_to_a_multiple_of_four_with_blanks_at_the_end() {
        // Six pages become eight: pages 7 and 8 are blank.
        assert_eq!(order(6, None), [[0, 1, 2, 0], [6, 3, 4, 5]]);
        assert_eq!(order(1, None), [[0, 1, 0, 0]]);
    }

    #[test]
    fn signatures_are_gathered_in_order() {
        assert_eq!(order(8, Some(1)), [[4, 1, 2, 3], [8, 5, 6, 7]]);
        assert_eq!(
            order(16, Some(2)),
            [
                [8, 1, 2, 7],
                [6, 3, 4, 5],
                [16, 9, 10, 15],
                [14, 11, 12, 13]
            ]
        );
        assert_eq!(
            order(20, Some(2)),
            [
                [8, 1, 2, 7],
                [6, 3, 4, 5],
                [16, 9, 10, 15],
                [14, 11, 12, 13],
                [20, 17, 18, 19]
            ]
        );
        assert_eq!(order(12, Some(3)), order(12, None));
    }

    #[test]
    fn every_page_appears_once() {
        for pages in 1..60 {
            for sig in [None, Some(1), Some(2), Some(5)] {
                let mut seen: Vec<usize> = sheet_order(pages, sig)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .collect();
                seen.sort();
                assert_eq!(seen, (0..pages).collect::<Vec<_>>(), "{pages} {sig:?}");
            }
        }
    }

    fn page_with_rule(x: f64) -> Page {
        Page {
            size: (Pt(100.0), Pt(200.0)),
            number: PageNumber {
                numbering: Numbering::Arabic,
                value: 1,
            },
            first_word: None,
            items: vec![Item::Rule(crate::typeset::page::Rect {
                x: Pt(x),
                y: Pt(10.0),
                width: Pt(5.0),
                height: Pt(1.0),
            })],
        }
    }

    #[test]
    fn pages_are_moved_onto_the_sheet_with_creep() {
        let pages: Vec<Page> = (0..8).map(|i| page_with_rule(i as f64)).collect();
        let sheets = booklet(
            &pages,
            &Booklet {
                sheet: Some((Pt(220.0), Pt(210.0))),
                signature_sheets: None,
                creep: Pt(1.0),
            },
        );
        assert_eq!(sheets.len(), 4);
        assert_eq!(sheets[0].size, (Pt(220.0), Pt(210.0)));
        let xs = |p: &Page| -> Vec<f64> {
            p.items
                .iter()
                .map(|i| match i {
                    Item::Rule(r) => r.x.0,
                    _ => unreachable!(),
                })
                .collect()
        };
        // Outer sheet front: page 8 (x=7) on the left, page 1 (x=0) on the
        // right; centred: 10 pt of the sheet's extra width on each side.
        assert_eq!(xs(&sheets[0]), [17.0, 110.0]);
        // Inner sheet front: pages 6 | 3, pulled 1 pt towards the fold.
        assert_eq!(xs(&sheets[2]), [5.0 + 10.0 + 1.0, 2.0 + 110.0 - 1.0]);
        assert!(sheets.iter().all(|s| {
            s.items
                .iter()
                .all(|i| matches!(i, Item::Rule(r) if r.y == Pt(15.0)))
        }));
    }

    #[test]
    fn check_refuses_sheets_too_small_or_beyond_pdf_and_wild_creep() {
        let a5 = (Pt::mm(148.0), Pt::mm(210.0));
        let inner = Pt::mm(15.0);
        let b = |sheet: Option<(Pt, Pt)>, sig: Option<usize>, creep: Pt| Booklet {
            sheet,
            signature_sheets: sig,
            creep,
        };
        let keys = |b: Booklet| {
            b.check(a5, inner)
                .into_iter()
                .map(|p| p.key)
                .collect::<Vec<_>>()
        };
        assert!(keys(b(None, None, Pt::ZERO)).is_empty());
        assert!(
            keys(b(
                Some((Pt::mm(297.0), Pt::mm(210.0))),
                Some(4),
                Pt::mm(0.1)
            ))
            .is_empty()
        );
        assert_eq!(
            keys(b(Some((Pt::mm(210.0), Pt::mm(148.0))), None, Pt::ZERO)),
            ["sheet"]
        );
        assert_eq!(
            keys(b(Some((Pt(20_000.0), Pt(900.0))), None, Pt::ZERO)),
            ["sheet"]
        );
        assert_eq!(keys(b(None, Some(0), Pt::ZERO)), ["signature-sheets"]);
        assert_eq!(keys(b(None, Some(1000), Pt::ZERO)), ["signature-sheets"]);
        assert_eq!(keys(b(None, None, Pt(-1.0))), ["creep"]);
        assert_eq!(keys(b(None, Some(64), Pt::mm(1.0))), ["creep"]);
        let big = (Pt(8000.0), Pt(8000.0));
        assert_eq!(
            b(None, None, Pt::ZERO)
                .check(big, inner)
                .iter()
                .map(|p| p.key)
                .collect::<Vec<_>>(),
            ["imposition"]
        );
    }
}
