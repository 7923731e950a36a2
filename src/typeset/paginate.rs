//! Pagination: the galley (a flow of set lines, spaces, images and page
//! breaks made by `block.rs`) → pages of the page model.
//!
//! This is a first, greedy paginator with cheap look-back: it fills a page
//! line by line at the lines' own leading; it keeps every note on the page
//! of its marker (the marker's line moves over if its note does not fit,
//! unless the line is the first on its page, when the note's tail runs on
//! to the foot of the next page); it moves a paragraph's first line to the
//! next page rather than leave it alone at the foot (no orphan), takes a
//! second line over with a lone last line (no widow), and keeps headings
//! with what follows. Cost-based page breaking, a baseline grid and running
//! heads are issue 5's; see ARCHITECTURE.md.

use std::collections::HashMap;

use super::inline::SetLine;
use super::page::{Item, Numbering, OutlineEntry, Page, PageNumber, Point, Pt, Rect};
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
    /// Keep on the same page as the next line (headings).
    pub keep_with_next: bool,
    /// Position in its paragraph: (index, count), for widows and orphans.
    pub par: Option<(u32, u32)>,
    /// Destinations (and outline entries) at this line.
    pub dests: Vec<(String, Option<OutlineEntry>)>,
}

/// An element of the galley.
#[derive(Debug, Clone, PartialEq)]
pub enum Flow {
    /// A line of text.
    Line(FlowLine),
    /// Vertical space, dropped at the top of a page.
    Space(Pt),
    /// Vertical space kept even at the top of a page (chapter sink).
    Sink(Pt),
    /// A centred horizontal rule of this width.
    Rule(Pt),
    /// An image block.
    Image {
        /// Size on the page.
        width: Pt,
        /// Height on the page.
        height: Pt,
        /// The file.
        path: std::path::PathBuf,
        /// Alt text.
        alt: String,
    },
    /// Start a new page; `numbering` restarts the page numbers in that style.
    PageBreak {
        /// Restart numbering.
        numbering: Option<Numbering>,
        /// No folio on the new page (title page).
        no_folio: bool,
    },
}

/// Page geometry for the paginator.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    /// Page size.
    pub size: (Pt, Pt),
    /// Left edge of the text block.
    pub left: Pt,
    /// Top edge of the text block.
    pub top: Pt,
    /// Bottom edge of the text block (last baseline at most here).
    pub bottom: Pt,
    /// Text block width.
    pub measure: Pt,
    /// Leading of notes.
    pub note_leading: Pt,
    /// Space between the text and the note rule, and the rule and the notes.
    pub note_gap: Pt,
}

/// The folio maker: sets a page number as a centred line.
pub type FolioFn<'a> = dyn FnMut(&str) -> SetLine + 'a;

/// Lays out the galley on pages.
pub fn paginate(
    flow: &[Flow],
    notes: &HashMap<NoteId, Vec<FlowLine>>,
    geo: &Geometry,
    folio: &mut FolioFn<'_>,
) -> Vec<Page> {
    let mut p = Paginator {
        geo: *geo,
        pages: Vec::new(),
        items: Vec::new(),
        y: None,
        notes_here: Vec::new(),
        carry: Vec::new(),
        numbering: Numbering::Roman,
        number: 0,
        no_folio: false,
        started: false,
    };
    let mut i = 0;
    while i < flow.len() {
        match &flow[i] {
            Flow::PageBreak {
                numbering,
                no_folio,
            } => {
                if p.started {
                    p.finish(folio);
                }
                if let Some(n) = numbering {
                    p.numbering = *n;
                    p.number = 0;
                }
                p.no_folio = *no_folio;
                p.started = true;
                i += 1;
            }
            _ => {
                p.started = true;
                let end = p.fit(flow, notes, i);
                if end == i {
                    // Nothing fits on this page: start a new one. (fit always
                    // takes at least one item on an empty page.)
                    p.finish(folio);
                    continue;
                }
                for item in &flow[i..end] {
                    p.place(item, notes);
                }
                i = end;
                if i < flow.len() && !matches!(flow[i], Flow::PageBreak { .. }) {
                    p.finish(folio);
                }
            }
        }
    }
    if p.started || p.pages.is_empty() {
        p.finish(folio);
    }
    p.pages
}

struct Paginator {
    geo: Geometry,
    pages: Vec<Page>,
    items: Vec<Item>,
    /// Baseline of the last line placed, or None at the top of the page.
    y: Option<Pt>,
    notes_here: Vec<FlowLine>,
    /// Note lines that did not fit on the previous page.
    carry: Vec<FlowLine>,
    numbering: Numbering,
    number: u32,
    no_folio: bool,
    started: bool,
}

impl Paginator {
    fn notes_height(&self, lines: usize) -> Pt {
        if lines == 0 {
            Pt::ZERO
        } else {
            self.geo.note_gap * 2.0 + self.geo.note_leading * lines as f64
        }
    }

    /// How far items `from..` fit on the current page (returns the end
    /// index), with the widow, orphan and keep rules applied.
    fn fit(&self, flow: &[Flow], notes: &HashMap<NoteId, Vec<FlowLine>>, from: usize) -> usize {
        let mut y = self.y;
        let mut note_lines = self.notes_here.len() + self.carry.len();
        let mut end = from;
        for (i, item) in flow.iter().enumerate().skip(from) {
            let page_empty = y.is_none() && self.items.is_empty();
            let (ny, extra_notes) = match item {
                Flow::PageBreak { .. } => break,
                Flow::Space(h) => {
                    if y.is_none() {
                        end = i + 1;
                        continue;
                    }
                    (y.map(|y| y + *h), 0)
                }
                Flow::Sink(h) => (Some(y.unwrap_or(self.geo.top) + *h), 0),
                Flow::Rule(_) => (Some(y.unwrap_or(self.geo.top)), 0),
                Flow::Line(l) => {
                    let base = match y {
                        None => self.geo.top + l.ascent,
                        Some(y) => y + l.leading,
                    };
                    let n: usize = l
                        .line
                        .notes
                        .iter()
                        .map(|id| notes.get(id).map_or(0, Vec::len))
                        .sum();
                    (Some(base), n)
                }
                Flow::Image { height, .. } => (Some(y.unwrap_or(self.geo.top) + *height), 0),
            };
            let limit = self.geo.bottom - self.notes_height(note_lines + extra_notes);
            let fits = ny.is_some_and(|ny| ny <= limit + Pt(0.01));
            if !fits && !page_empty {
                // A line whose note does not fit, alone at the top: take it
                // anyway (the note runs on).
                let only_notes_overflow = matches!(item, Flow::Line(_))
                    && ny.is_some_and(|ny| {
                        ny <= self.geo.bottom - self.notes_height(note_lines + 1)
                    })
                    && end == from
                    && self.y.is_none();
                if !only_notes_overflow {
                    return self.adjust(flow, from, i);
                }
            }
            y = ny;
            note_lines += extra_notes;
            end = i + 1;
        }
        end
    }

    /// Moves a page break at `end` earlier to avoid orphans, widows and
    /// headings at the foot; never before `from + 1` (progress).
    fn adjust(&self, flow: &[Flow], from: usize, end: usize) -> usize {
        let line = |i: usize| match flow.get(i) {
            Some(Flow::Line(l)) => Some(l),
            _ => None,
        };
        let mut e = end;
        // Widow: only the paragraph's last line would go over.
        if let Some(l) = line(e)
            && let Some((k, n)) = l.par
            && k + 1 == n
            && n >= 3
            && e > from + 1
        {
            e -= 1;
        }
        // Orphan: the paragraph's first line would stay alone.
        if let Some(l) = line(e)
            && let Some((k, n)) = l.par
            && k == 1
            && n >= 2
            && e > from + 1
        {
            e -= 1;
        }
        // Headings (and anything else) that must stay with what follows.
        while e > from + 1 {
            match &flow[e - 1] {
                Flow::Line(l) if l.keep_with_next => e -= 1,
                Flow::Space(_) => e -= 1,
                _ => break,
            }
        }
        if e <= from {
            // Could not move without emptying the page: keep the raw break,
            // or at least one item.
            return end.max(from + 1).min(flow.len());
        }
        e
    }

    fn place(&mut self, item: &Flow, notes: &HashMap<NoteId, Vec<FlowLine>>) {
        match item {
            Flow::Space(h) => {
                if let Some(y) = self.y.as_mut() {
                    *y += *h;
                }
            }
            Flow::Sink(h) => {
                self.y = Some(self.y.unwrap_or(self.geo.top) + *h);
            }
            Flow::Rule(w) => {
                let y = self.y.unwrap_or(self.geo.top);
                self.items.push(Item::Rule(Rect {
                    x: self.geo.left + (self.geo.measure - *w) / 2.0,
                    y: y - Pt(0.2),
                    width: *w,
                    height: Pt(0.4),
                }));
            }
            Flow::Image {
                width,
                height,
                path,
                alt,
            } => {
                let y = self.y.unwrap_or(self.geo.top);
                self.items.push(Item::Image {
                    rect: Rect {
                        x: self.geo.left + (self.geo.measure - *width) / 2.0,
                        y,
                        width: *width,
                        height: *height,
                    },
                    path: path.clone(),
                    alt: alt.clone(),
                });
                self.y = Some(y + *height);
            }
            Flow::Line(l) => {
                let base = match self.y {
                    None => self.geo.top + l.ascent,
                    Some(y) => y + l.leading,
                };
                self.y = Some(base);
                let origin = Point {
                    x: self.geo.left + l.x,
                    y: base,
                };
                for (id, outline) in &l.dests {
                    self.items.push(Item::Dest {
                        id: id.clone(),
                        at: Point {
                            x: origin.x,
                            y: base - l.ascent,
                        },
                        outline: outline.clone(),
                    });
                }
                push_line(&mut self.items, &l.line, origin);
                for id in &l.line.notes {
                    if let Some(lines) = notes.get(id) {
                        self.notes_here.extend(lines.iter().cloned());
                    }
                }
            }
            Flow::PageBreak { .. } => {}
        }
    }

    fn finish(&mut self, folio: &mut FolioFn<'_>) {
        // Notes: carried-over lines first, then this page's, bottom-aligned
        // to the text block's last baseline.
        let mut lines: Vec<FlowLine> = std::mem::take(&mut self.carry);
        lines.append(&mut self.notes_here);
        if !lines.is_empty() {
            let room = {
                let used = self.y.unwrap_or(self.geo.top);
                ((self.geo.bottom - used - self.geo.note_gap * 2.0) / self.geo.note_leading)
                    .floor()
                    .max(1.0) as usize
            };
            let keep = lines.len().min(room);
            let rest = lines.split_off(keep);
            let first = self.geo.bottom - self.geo.note_leading * (keep as f64 - 1.0);
            let rule_y =
                first - self.geo.note_leading - self.geo.note_gap + self.geo.note_leading * 0.3;
            self.items.push(Item::Rule(Rect {
                x: self.geo.left,
                y: rule_y,
                width: self.geo.measure * 0.3,
                height: Pt(0.4),
            }));
            for (k, l) in lines.iter().enumerate() {
                let origin = Point {
                    x: self.geo.left + l.x,
                    y: first + self.geo.note_leading * k as f64,
                };
                for (id, outline) in &l.dests {
                    self.items.push(Item::Dest {
                        id: id.clone(),
                        at: Point {
                            x: origin.x,
                            y: origin.y - l.ascent,
                        },
                        outline: outline.clone(),
                    });
                }
                push_line(&mut self.items, &l.line, origin);
            }
            self.carry = rest;
        }
        self.number += 1;
        let number = PageNumber {
            numbering: self.numbering,
            value: self.number,
        };
        if !self.no_folio {
            let line = folio(&number.label());
            let y = self.geo.bottom + self.geo.note_leading * 2.5;
            push_line(
                &mut self.items,
                &line,
                Point {
                    x: self.geo.left,
                    y,
                },
            );
        }
        self.pages.push(Page {
            size: self.geo.size,
            number,
            items: std::mem::take(&mut self.items),
        });
        self.y = None;
        self.no_folio = false;
        // Carried note lines need a page to go to.
        self.started = !self.carry.is_empty();
    }
}

/// Places a set line's runs and links at `origin` (its baseline start).
fn push_line(items: &mut Vec<Item>, line: &SetLine, origin: Point) {
    for run in &line.runs {
        let mut run = run.clone();
        run.origin.x += origin.x;
        run.origin.y += origin.y;
        items.push(Item::Glyphs(run));
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
