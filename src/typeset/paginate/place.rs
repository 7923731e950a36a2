//! Placing a planned page: its body lines, rules and images from the top of
//! the text block, its notes at the foot under a short rule, then its
//! furniture (`furniture.rs`).
//!
//! Body lines sit on a grid: the first baseline is `topskip` below the top
//! of the text block and the block holds a whole number of body lines, so a
//! page of plain running text ends on the last baseline exactly. What is not
//! on the grid — headings, quotes in a smaller leading, the note area —
//! is compensated by stretching the space between blocks, between
//! paragraphs (a little, as plain TeX's `\parskip 0pt plus 1pt`) and above
//! the note rule (TeX's `\skip\footins`), never the leading, so that every
//! full page ends on the same baseline: its last note line where it has
//! notes. Badness is TeX's, 100·r³ of the stretch ratio r, and the break
//! search (`breaks.rs`) weighs it, so pages that would need ugly gaps are
//! avoided.

use super::breaks::{Fill, MAX_RATIO, NoteSeq, PAR_STRETCH};
use super::furniture::{self, FurnitureFn, PageFurniture};
use super::{Geometry, Plan};
use crate::typeset::galley::{Flow, FlowLine};
use crate::typeset::inline::SetLine;
use crate::typeset::page::{Item, Numbering, Page, PageNumber, Point, Pt, Rect, WordPlace};

/// The pages set so far.
pub(super) struct Render<'g> {
    geo: &'g Geometry,
    pages: Vec<Page>,
    /// The running head of the chapter being set.
    head: Option<String>,
}

/// How a page's spaces stretch so that it ends at the foot.
struct Spread {
    /// Note lines on the page.
    notes: usize,
    /// Whether the page has body (not only continued notes).
    has_body: bool,
    /// The last baseline at natural spacing (the last note line's, with
    /// notes; the foot on a page without body).
    natural_last: Pt,
    /// Whether the page is to reach the foot: all but a segment's last
    /// page, and that one too if notes go on after it.
    fills: bool,
    /// The stretch ratio of the spaces between blocks and paragraphs.
    ratio: f64,
}

impl Spread {
    /// The stretch ratio that brings the page's last line to the foot.
    fn new(flow: &[Flow], seq: &NoteSeq<'_>, plan: &Plan, geo: &Geometry) -> Self {
        let (p0, p1) = plan.body;
        let bottom = geo.bottom();
        let mut fill = Fill::default();
        for item in &flow[p0..p1] {
            fill.add(item, geo);
        }
        let (q0, q1) = plan.notes;
        let m = q1 - q0;
        let has_body = fill.y.is_some();
        let body_notes = m > 0 && has_body;
        let natural_last = match fill.y {
            Some(y) if m > 0 => y + geo.note_skip + geo.note_leading * (m as f64 - 1.0),
            Some(y) => y,
            None => bottom,
        };
        let stretch = fill.stretch + if body_notes { geo.leading } else { Pt::ZERO };
        let fills = !plan.last || q1 < seq.ref_end[p1];
        // A page that cannot reach the foot within MAX_RATIO keeps its
        // natural spacing: short by whole lines, but on the grid.
        let ratio = if fills && stretch.0 > 0.0 && natural_last < bottom {
            let r = (bottom - natural_last) / stretch;
            if r <= MAX_RATIO { r } else { 0.0 }
        } else {
            0.0
        };
        Spread {
            notes: m,
            has_body,
            natural_last,
            fills,
            ratio,
        }
    }
}

impl<'g> Render<'g> {
    /// Ready to set `pages` pages.
    pub fn new(geo: &'g Geometry, pages: usize) -> Self {
        Render {
            geo,
            pages: Vec::with_capacity(pages),
            head: None,
        }
    }

    /// The pages set; one blank page if there were none.
    pub fn finish(mut self) -> Vec<Page> {
        if self.pages.is_empty() {
            self.blank(PageNumber {
                numbering: Numbering::Roman,
                value: 1,
            });
        }
        self.pages
    }

    /// A blank page (before a recto opening): numbered, but nothing shows.
    pub fn blank(&mut self, number: PageNumber) {
        self.pages.push(Page {
            size: self.geo.size,
            number,
            items: Vec::new(),
            first_word: None,
        });
    }

    /// Sets the page `plan`: body, notes, furniture.
    pub fn page(
        &mut self,
        flow: &[Flow],
        seq: &NoteSeq<'_>,
        plan: &Plan,
        number: PageNumber,
        furniture: &mut FurnitureFn<'_>,
    ) {
        let geo = self.geo;
        let (p0, p1) = plan.body;
        let mut opening = false;
        let mut no_folio = false;
        if p0 < p1
            && let Flow::PageStart(start) = &flow[p0]
        {
            opening = start.opening;
            no_folio = start.no_folio || (opening && !geo.opening_folio);
            self.head = start.head.clone();
        }
        let index = self.pages.len();
        let left = geo.left(index);
        let spread = Spread::new(flow, seq, plan, geo);
        let (mut items, first_word) = place_body(&flow[p0..p1], geo, left, spread.ratio);
        let (q0, q1) = plan.notes;
        place_notes(&mut items, &seq.lines[q0..q1], geo, left, &spread);
        let page = PageFurniture {
            recto: index.is_multiple_of(2),
            left,
            opening,
            no_folio,
            head: self.head.as_deref(),
            number,
        };
        furniture::set(&mut items, geo, &page, furniture);
        self.pages.push(Page {
            size: geo.size,
            number,
            items,
            first_word,
        });
    }
}

/// Places a page's body (`body`, its galley items) from the top of the
/// text block at `left`, its spaces stretched by `ratio`; returns the items
/// and where the page's first word is.
fn place_body(
    body: &[Flow],
    geo: &Geometry,
    left: Pt,
    ratio: f64,
) -> (Vec<Item>, Option<WordPlace>) {
    let mut items = Vec::new();
    let mut first_word: Option<WordPlace> = None;
    let mut y: Option<Pt> = None;
    let mut prev_line = false;
    for item in body {
        match item {
            Flow::PageStart(_) => {}
            Flow::Space(h) => {
                if let Some(y) = y.as_mut() {
                    *y += *h + *h * ratio;
                }
                prev_line = false;
            }
            Flow::Sink(h) => {
                y = Some(y.unwrap_or(geo.top) + *h);
                prev_line = false;
            }
            Flow::Rule { x, width } => {
                let at = y.unwrap_or(geo.top);
                items.push(Item::Rule(Rect {
                    x: left + *x,
                    y: at - Pt(0.2),
                    width: *width,
                    height: Pt(0.4),
                }));
                y = Some(at);
                prev_line = false;
            }
            Flow::Image {
                x,
                width,
                height,
                picture,
                alt,
                tag,
                ..
            } => {
                let at = y.unwrap_or(geo.top);
                items.push(Item::Image {
                    rect: Rect {
                        x: left + *x,
                        y: at,
                        width: *width,
                        height: *height,
                    },
                    picture: picture.clone(),
                    alt: alt.clone(),
                    tag: tag.clone(),
                });
                y = Some(at + *height);
                prev_line = false;
            }
            Flow::Line(l) => {
                let mut base = match y {
                    None => geo.top + geo.topskip.max(l.ascent),
                    Some(y) => y + l.leading,
                };
                if prev_line && l.par.is_some_and(|(k, _)| k == 0) {
                    base += PAR_STRETCH * ratio;
                }
                y = Some(base);
                prev_line = true;
                // The first word of body text that starts on this page: a
                // paragraph line's first run.
                if first_word.is_none() && l.par.is_some() {
                    first_word = l.line.runs.iter().find_map(|r| {
                        r.span.map(|span| WordPlace {
                            span,
                            offset: r.offset,
                        })
                    });
                }
                place_line(
                    &mut items,
                    l,
                    Point {
                        x: left + l.x,
                        y: base,
                    },
                );
            }
        }
    }
    (items, first_word)
}

/// Places the page's note lines: bottom-aligned on full pages, under a
/// short rule.
fn place_notes(
    items: &mut Vec<Item>,
    note_lines: &[&FlowLine],
    geo: &Geometry,
    left: Pt,
    spread: &Spread,
) {
    let m = spread.notes;
    if m == 0 {
        return;
    }
    let bottom = geo.bottom();
    // Notes sit at the foot even on a chapter's last, short page; what
    // stretch the body did not take opens above the rule.
    let last = if spread.has_body {
        spread.natural_last.max(bottom)
    } else if spread.fills {
        bottom
    } else {
        geo.top + geo.topskip + geo.note_leading * (m as f64 - 1.0)
    };
    let first = last - geo.note_leading * (m as f64 - 1.0);
    if spread.has_body {
        items.push(Item::Rule(Rect {
            x: left,
            y: first - geo.note_size - geo.note_leading * 0.45,
            width: geo.measure * 0.3,
            height: Pt(0.4),
        }));
    }
    for (k, l) in note_lines.iter().enumerate() {
        let base = first + geo.note_leading * k as f64;
        place_line(
            items,
            l,
            Point {
                x: left + l.x,
                y: base,
            },
        );
    }
}

/// The advance of a set line from its start.
pub fn line_width(line: &SetLine) -> Pt {
    line.runs
        .iter()
        .map(|r| r.origin.x + r.width())
        .fold(Pt::ZERO, Pt::max)
}

/// Places a galley line at `origin`: its destinations (at the top of the
/// line), then its runs and links.
fn place_line(items: &mut Vec<Item>, l: &FlowLine, origin: Point) {
    for (id, outline) in &l.dests {
        items.push(Item::Dest {
            id: id.clone(),
            at: Point {
                x: origin.x,
                y: origin.y - l.ascent,
            },
            outline: outline.clone(),
        });
    }
    push_line(items, &l.line, origin);
}

/// Places a set line's runs and links at `origin` (its baseline start).
pub(super) fn push_line(items: &mut Vec<Item>, line: &SetLine, origin: Point) {
    for run in &line.runs {
        let mut run = run.clone();
        run.origin.x += origin.x;
        run.origin.y += origin.y;
        items.push(Item::Glyphs(run));
    }
    for rect in &line.rules {
        items.push(Item::Rule(Rect {
            x: rect.x + origin.x,
            y: rect.y + origin.y,
            ..*rect
        }));
    }
    for (rect, target) in &line.links {
        items.push(Item::Link {
            rect: Rect {
                x: rect.x + origin.x,
                y: rect.y + origin.y,
                ..*rect
            },
            target: target.clone(),
        });
    }
}
