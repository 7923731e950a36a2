//! The plan: one XHTML document per part and chapter, named by position
//! (`front1`, `part1`, `ch01`, `back1`); the map from every id in the book
//! to the document holding it, so that `#id` links can be rewritten to
//! `ch03.xhtml#id` (Pandoc's `fixInternalReferences`); the prefixes of
//! generated ids; the table of contents.

use std::collections::HashMap;

use super::nav::{self, TocEntry};
use super::xhtml;
use crate::doc::{self, Block, Book, Chapter, Division, Matter, Part};

/// A content document planned from the tree.
#[derive(Debug)]
pub(super) struct Doc<'b> {
    /// File name in the package directory.
    pub file: String,
    /// Manifest id.
    pub id: String,
    pub kind: Kind<'b>,
}

#[derive(Debug)]
pub(super) enum Kind<'b> {
    Part(&'b Part),
    Chapter(&'b Chapter),
}

/// One document per part and per chapter, in reading order.
pub(super) fn plan(book: &Book) -> Vec<Doc<'_>> {
    let mut docs = Vec::new();
    let body_chapters = book
        .body
        .iter()
        .map(|d| match d {
            Division::Part(p) => p.chapters.len(),
            Division::Chapter(_) => 1,
        })
        .sum::<usize>();
    let width = body_chapters.to_string().len().max(2);
    let mut docs_push = |file: String, kind| {
        let id = file.trim_end_matches(".xhtml").to_string();
        docs.push(Doc { file, id, kind });
    };
    for (i, c) in book.front.iter().enumerate() {
        docs_push(format!("front{}.xhtml", i + 1), Kind::Chapter(c));
    }
    let mut n = 0;
    let mut parts = 0;
    for d in &book.body {
        match d {
            Division::Part(p) => {
                parts += 1;
                docs_push(format!("part{parts}.xhtml"), Kind::Part(p));
                for c in &p.chapters {
                    n += 1;
                    docs_push(format!("ch{n:0width$}.xhtml"), Kind::Chapter(c));
                }
            }
            Division::Chapter(c) => {
                n += 1;
                docs_push(format!("ch{n:0width$}.xhtml"), Kind::Chapter(c));
            }
        }
    }
    for (i, c) in book.back.iter().enumerate() {
        docs_push(format!("back{}.xhtml", i + 1), Kind::Chapter(c));
    }
    docs
}

/// Every id in the book → the file that holds it.
pub(super) fn id_map(docs: &[Doc]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for doc in docs {
        let mut ids = Vec::new();
        match doc.kind {
            Kind::Part(p) => {
                ids.push(p.id.clone());
                xhtml::collect_ids(&p.intro, &mut ids);
            }
            Kind::Chapter(c) => {
                ids.push(c.id.clone());
                xhtml::collect_ids(&c.blocks, &mut ids);
            }
        }
        for id in ids {
            map.entry(id).or_insert_with(|| doc.file.clone());
        }
    }
    map
}

/// `fn`, unless the book has ids of the form `fn3` or `fnref3` itself.
pub(super) fn note_prefix(ids: &HashMap<String, String>) -> String {
    let clashes = |p: &str| {
        ids.keys().any(|id| {
            id.strip_prefix(p)
                .map(|r| r.strip_prefix("ref").unwrap_or(r))
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
    };
    ["fn", "note-", "samizdat-fn"]
        .into_iter()
        .find(|p| !clashes(p))
        .unwrap_or("samizdat-note-")
        .to_string()
}

/// The prefix of page-break ids (`page-12`): one that no id of the book
/// starts with, so that an author's own `{#page-3}` never clashes.
pub(super) fn page_prefix(ids: &HashMap<String, String>) -> String {
    let mut prefix = "page-".to_string();
    for fallback in ["print-page-", "samizdat-page-"] {
        if !ids.keys().any(|id| id.starts_with(&prefix)) {
            return prefix;
        }
        prefix = fallback.to_string();
    }
    while ids.keys().any(|id| id.starts_with(&prefix)) {
        prefix.insert(0, 'x');
    }
    prefix
}

/// The `epub:type` and ARIA role of a front or back matter chapter, from
/// its title or id: EPUB SSV terms with a DPUB-ARIA role
/// (<https://www.w3.org/TR/dpub-aria-1.1/>). Unknown kinds get none.
pub(super) fn matter_semantics(ch: &Chapter) -> Option<(&'static str, &'static str)> {
    if ch.matter == Matter::Body {
        return Some(("chapter", "doc-chapter"));
    }
    let title = doc::word_slug(&doc::plain_text(&ch.title));
    const KINDS: &[(&str, &str, &str)] = &[
        ("introduction", "introduction", "doc-introduction"),
        ("preface", "preface", "doc-preface"),
        ("foreword", "foreword", "doc-foreword"),
        ("prologue", "prologue", "doc-prologue"),
        ("epilogue", "epilogue", "doc-epilogue"),
        ("afterword", "afterword", "doc-afterword"),
        ("conclusion", "conclusion", "doc-conclusion"),
        ("acknowledgements", "acknowledgments", "doc-acknowledgments"),
        ("acknowledgments", "acknowledgments", "doc-acknowledgments"),
        ("appendix", "appendix", "doc-appendix"),
        ("colophon", "colophon", "doc-colophon"),
        ("dedication", "dedication", "doc-dedication"),
    ];
    KINDS
        .iter()
        .find(|(word, _, _)| title.starts_with(word) || ch.id.starts_with(word))
        .map(|&(_, t, r)| (t, r))
}

pub(super) fn body_type(matter: Matter) -> &'static str {
    match matter {
        Matter::Front => "frontmatter",
        Matter::Body => "bodymatter",
        Matter::Back => "backmatter",
    }
}

/// A title as plain text, never empty (a nav entry must have text).
pub(super) fn title_text(title: &[doc::Inline], fallback: &str) -> String {
    let t = doc::plain_text(title);
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        fallback.to_string()
    } else {
        t
    }
}

/// The table of contents: parts > chapters (nested by depth) > sections.
pub(super) fn toc(docs: &[Doc]) -> Vec<TocEntry> {
    let mut flat = Vec::new();
    let has_parts = docs.iter().any(|d| matches!(d.kind, Kind::Part(_)));
    let mut in_part = false;
    let mut numbers = doc::SectionNumbers::default();
    for doc in docs {
        match doc.kind {
            Kind::Part(p) => {
                in_part = true;
                flat.push((
                    1,
                    TocEntry {
                        label: format!("{}. {}", roman(p.number), title_text(&p.title, &p.id)),
                        href: doc.file.clone(),
                        children: vec![],
                    },
                ));
            }
            Kind::Chapter(c) => {
                if c.matter != Matter::Body {
                    in_part = false;
                }
                // Chapters inside a part sit one level under it.
                let base = u32::from(c.depth.max(1)) + u32::from(has_parts && in_part);
                let title = title_text(&c.title, &c.id);
                // A chapter's number, and mdBook's for its nested entries.
                let label = match numbers.next(c) {
                    Some(n) => format!("{n}. {title}"),
                    None => title,
                };
                flat.push((
                    base,
                    TocEntry {
                        label,
                        href: doc.file.clone(),
                        children: vec![],
                    },
                ));
                for block in &c.blocks {
                    if let Block::Heading {
                        level, id, content, ..
                    } = block
                    {
                        flat.push((
                            base + u32::from(level.saturating_sub(1).max(1)),
                            TocEntry {
                                label: title_text(content, id),
                                href: format!("{}#{id}", doc.file),
                                children: vec![],
                            },
                        ));
                    }
                }
            }
        }
    }
    nav::nest(flat)
}

/// Upper-case Roman numeral for part numbers (plain digits past 3999).
pub(super) fn roman(n: u32) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    crate::roman::lower(n).to_ascii_uppercase()
}
