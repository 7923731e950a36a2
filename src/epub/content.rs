//! The content documents: each part and chapter of the plan written as
//! XHTML, in reading order, through one shared [`Shared`] state (ids, notes,
//! images, page breaks).

use std::collections::HashMap;

use super::plan::{Doc, Kind, body_type, matter_semantics, roman, title_text};
use super::xhtml::{self, Shared, Writer};
use crate::doc::{self, Block, Book, Chapter, Part};

/// Every document of the plan as XHTML, in the plan's order.
pub(super) fn documents(
    shared: &mut Shared,
    book: &Book,
    docs: &[Doc],
    css: &[&str],
) -> Vec<String> {
    // Every note's blocks by id: the tree holds them at a note's first
    // reference only.
    let mut bodies = HashMap::new();
    for part in book.parts() {
        bodies.extend(doc::note_bodies(&part.title, &part.intro));
    }
    for ch in book.chapters() {
        bodies.extend(doc::note_bodies(&ch.title, &ch.blocks));
    }
    let lang = &book.meta.language;
    docs.iter()
        .map(|doc| match doc.kind {
            Kind::Part(part) => part_document(shared, &bodies, &doc.file, part, lang, css),
            Kind::Chapter(ch) => chapter_document(shared, &bodies, &doc.file, ch, lang, css),
        })
        .collect()
}

fn chapter_document<'b>(
    shared: &mut Shared,
    bodies: &HashMap<doc::NoteId, &'b [Block]>,
    file: &str,
    ch: &'b Chapter,
    lang: &str,
    css: &[&str],
) -> String {
    let base = ch.source.parent().unwrap_or(std::path::Path::new(""));
    let mut w = Writer::new(shared, file, base);
    w.note_bodies(bodies);
    w.claim_id(&ch.id);
    let sem = matter_semantics(ch);
    w.out
        .push_str(&format!("<section id=\"{}\"", xhtml::escape_a(&ch.id)));
    if let Some((t, role)) = sem {
        w.out
            .push_str(&format!(" epub:type=\"{t}\" role=\"{role}\""));
    }
    w.out.push_str(">\n");
    let prefix = ch
        .number
        .map(|n| format!("<span class=\"chapter-number\">{n}</span> "))
        .unwrap_or_default();
    w.heading(1, None, "chapter-title", &prefix, &ch.title);
    w.blocks(&ch.blocks);
    w.notes();
    w.out.push_str("</section>\n");
    let body = std::mem::take(&mut w.out);
    xhtml::document(
        lang,
        &title_text(&ch.title, &ch.id),
        css,
        Some(body_type(ch.matter)),
        &body,
    )
}

fn part_document<'b>(
    shared: &mut Shared,
    bodies: &HashMap<doc::NoteId, &'b [Block]>,
    file: &str,
    part: &'b Part,
    lang: &str,
    css: &[&str],
) -> String {
    // FIXME: a part has no source path in the tree; its intro's images are
    // taken relative to the book directory.
    let mut w = Writer::new(shared, file, std::path::Path::new(""));
    w.note_bodies(bodies);
    w.claim_id(&part.id);
    w.out.push_str(&format!(
        "<section id=\"{}\" epub:type=\"part\" role=\"doc-part\">\n",
        xhtml::escape_a(&part.id)
    ));
    let prefix = format!("<span class=\"part-number\">{}</span> ", roman(part.number));
    w.heading(1, None, "part-title", &prefix, &part.title);
    // The introduction is running text under the display title, set as
    // a chapter's body is (the stylesheet styles only the title).
    if !part.intro.is_empty() {
        w.out.push_str("<div class=\"part-intro\">\n");
        w.blocks(&part.intro);
        w.out.push_str("</div>\n");
    }
    w.notes();
    w.out.push_str("</section>\n");
    let body = std::mem::take(&mut w.out);
    xhtml::document(
        lang,
        &title_text(&part.title, &part.id),
        css,
        Some("bodymatter"),
        &body,
    )
}
