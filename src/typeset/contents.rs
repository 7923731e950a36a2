//! The contents' fixed point. The contents page needs the page numbers of
//! what follows it, which depend on how long the contents is: the page
//! breaks are planned, the numbers read off the plan, and the front matter
//! alone set again until they no longer change (once in practice: the
//! contents takes the same lines whatever its numbers, so its page breaks
//! stay; at most four passes).

use std::collections::HashMap;

use super::family::{self, Family, Piece};
use super::fill::Filled;
use super::galley::Galley;
use super::{Input, build, front_matter, galley, inline, merge, paginate};
use crate::diag::Warnings;
use crate::doc::{Book, plain_text};

/// Most times the front matter is set again for new page numbers.
const MAX_PASSES: usize = 4;

/// Gives the contents `entries` the page numbers of the pages `filled`
/// breaks into, setting the front matter (or, if it then stands
/// otherwise, the book) again until they hold; returns the plan of the
/// pages. Warnings of each pass not met before are added to `warnings`.
pub(super) fn fixed_point(
    layout: &mut inline::InlineLayout<'_>,
    input: &Input<'_>,
    geo: &paginate::Geometry,
    entries: &mut [build::ContentsEntry],
    filled: &mut Filled,
    warnings: &mut Warnings,
) -> paginate::PagePlan {
    let best = &mut filled.galley;
    let mut plan = filled.breaks.plan(&best.flow, &best.notes);
    for _pass in 0..MAX_PASSES {
        if !input.style.front_matter {
            break;
        }
        let labels = paginate::labels(&best.flow, &best.notes, &plan);
        if !relabel(entries, &labels) {
            break;
        }
        let mut pass_warnings = Warnings::new();
        let looseness = &filled.looseness;
        let front = front_galley(layout, input, entries, looseness, &mut pass_warnings);
        if front.front.same_place(&best.front) {
            // The body is the same: only the front matter is replaced.
            let n = best.front.flow;
            let same = paginate::same_breaks(&best.flow[..n], &front.flow);
            best.flow.splice(0..n, front.flow);
            if !same {
                plan = paginate::assess(&best.flow, &best.notes, geo).plan(&best.flow, &best.notes);
            }
        } else {
            *best = galley(layout, input, entries, looseness, &mut pass_warnings, None);
            plan = paginate::assess(&best.flow, &best.notes, geo).plan(&best.flow, &best.notes);
        }
        merge(pass_warnings, warnings);
    }
    plan
}

/// Gives each entry its page label from `labels`; returns whether one
/// changed.
fn relabel(entries: &mut [build::ContentsEntry], labels: &HashMap<&str, String>) -> bool {
    let mut changed = false;
    for e in entries {
        let label = labels.get(e.id.as_str()).cloned();
        if label != e.page {
            e.page = label;
            changed = true;
        }
    }
    changed
}

/// The galley of the front matter alone (for a contents with new page
/// numbers).
fn front_galley(
    layout: &mut inline::InlineLayout<'_>,
    input: &Input<'_>,
    entries: &[build::ContentsEntry],
    looseness: &HashMap<u32, i32>,
    warnings: &mut Warnings,
) -> Galley {
    let mut b = build::Builder::new(layout, input.setting(), warnings);
    b.looseness = looseness.clone();
    front_matter(&mut b, input, entries);
    let front = b.checkpoint();
    let build::Parts { flow, notes, .. } = b.into_parts();
    Galley {
        flow,
        notes,
        front,
        chapters: Vec::new(),
        note_log: Vec::new(),
        marked_log: Vec::new(),
    }
}

/// What the contents lists: front chapters after it, parts, chapters,
/// back matter; a sub-chapter (mdBook nesting, [`family`]) under its
/// print chapter, a level further in.
pub(super) fn contents_entries(book: &Book) -> Vec<build::ContentsEntry> {
    let labels = crate::labels::for_language(&book.meta.language);
    // A chapter's number, and mdBook's for its nested entries ("4.1").
    let mut numbers = crate::doc::SectionNumbers::default();
    let mut entry = |c: &crate::doc::Chapter, level: u8| build::ContentsEntry {
        title: match numbers.next(c) {
            Some(n) => format!("{n}.\u{2002}{}", plain_text(&c.title)),
            None => plain_text(&c.title),
        },
        id: c.id.clone(),
        level,
        page: None,
    };
    let mut family = |out: &mut Vec<build::ContentsEntry>, f: &Family<'_>, level: u8| {
        out.push(entry(f.head, level));
        out.extend(f.subs.iter().map(|c| entry(c, level + f.below(c))));
    };
    let mut out = Vec::new();
    for f in family::group(&book.front) {
        family(&mut out, &f, 0);
    }
    for piece in family::body(book) {
        match piece {
            Piece::Part(p, families) => {
                out.push(build::ContentsEntry {
                    title: labels.part_entry(p.number, &plain_text(&p.title)),
                    id: p.id.clone(),
                    level: 0,
                    page: None,
                });
                for f in &families {
                    family(&mut out, f, 1);
                }
            }
            Piece::Chapter(f) => family(&mut out, &f, 0),
        }
    }
    for f in family::group(&book.back) {
        family(&mut out, &f, 0);
    }
    out
}
