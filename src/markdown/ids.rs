//! Ids in one file: what a heading is called and by which spellings links
//! may name it, and the ids raw HTML gives its elements.
//!
//! A heading's id is made by the book's [`IdRule`] (pandoc's for a single
//! file, GitHub's for chapter files, as mdBook does), made unique
//! book-wide. Links written for pandoc, GitHub or mdBook all find it: each
//! rule's spelling is recorded as written, numbered per file as GitHub and
//! mdBook number a page's repeated ids (`options`, `options-1`, …; pandoc
//! numbers the same way within its one document).

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::doc::{self, IdRule, Inline};
use crate::source::Span;

use super::Context;

/// The spellings of a heading's id that links may use: the rule's own
/// first, then the others where they differ (none empty).
fn spellings(rule: IdRule, text: &str) -> Vec<String> {
    let all = match rule {
        IdRule::Pandoc => [
            doc::slugify(text),
            doc::gfm_slug(text),
            doc::mdbook_slug(text),
        ],
        IdRule::GitHub => [
            doc::gfm_slug(text),
            doc::mdbook_slug(text),
            doc::slugify(text),
        ],
    };
    let mut out: Vec<String> = Vec::new();
    for s in all {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Gives a heading its id: the one written (`{#id}`),
/// else the rule's of its text, claimed book-wide. Every spelling a link
/// may use, numbered by `seen` (per file), is recorded in `anchors`; the
/// first heading to spell a name keeps it.
pub(super) fn heading_id(
    cx: &mut Context,
    written: Option<String>,
    content: &[Inline],
    span: Span,
    seen: &mut HashMap<String, usize>,
    anchors: &mut HashMap<String, String>,
) -> String {
    let (wanted, names, explicit) = match written {
        Some(id) => (doc::nonempty_id(&id), vec![id], true),
        None => {
            let text = doc::plain_text(content);
            (cx.id_rule.id(&text), spellings(cx.id_rule, &text), false)
        }
    };
    let got = cx.claim_id(&wanted, explicit, Some(span));
    for name in names {
        let k = seen.entry(name.clone()).or_insert(0);
        let numbered = match *k {
            0 => name,
            k => format!("{name}-{k}"),
        };
        *k += 1;
        anchors.entry(numbered).or_insert_with(|| got.clone());
    }
    got
}

/// Records the ids raw `html` gives its elements (`id`, an `<a name>`) as
/// link targets of the file. Raw HTML is written as it stands, so its ids
/// cannot be renamed: one the book already uses is a warning at `span`, and
/// links to it go to the first.
pub(super) fn raw_html_ids(
    cx: &mut Context,
    html: &str,
    span: Span,
    anchors: &mut HashMap<String, String>,
) {
    for id in crate::html::ids(html) {
        if cx.used_ids.insert(id.clone()) {
            anchors.entry(id.clone()).or_insert(id);
        } else {
            cx.warnings.push(
                Diagnostic::warning(format!(
                    "id `{id}` in raw HTML is already used in this book"
                ))
                .at(span)
                .hint("links to it go to the first; give this one another id"),
            );
        }
    }
}
