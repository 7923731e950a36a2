//! Internal links that lead nowhere in print. The loader resolves every
//! link to an id in the book (one it cannot is a warning there and loses
//! its link); print sets a destination for headings, chapters, notes and
//! the ids of raw HTML, so a link whose id no page carries is one to
//! something print leaves out. Each is a warning at the link, as the EPUB
//! writer warns about a link to an id no document has, and the text stays
//! without a link annotation (`pdf/link.rs`).

use std::collections::HashSet;

use crate::diag::{Diagnostic, Warnings};
use crate::doc::{Block, Book, Inline, Target};

use super::page::{Item, LinkTarget, Page};

/// Warns about each link in `book` to an id that no page of `pages` sets.
pub(super) fn check(book: &Book, pages: &[Page], warnings: &mut Warnings) {
    let items = || pages.iter().flat_map(|p| p.items.iter());
    let dests: HashSet<&str> = items()
        .filter_map(|i| match i {
            Item::Dest { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let missing: HashSet<&str> = items()
        .filter_map(|i| match i {
            Item::Link {
                target: LinkTarget::Internal(id),
                ..
            } if !dests.contains(id.as_str()) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut blocks: Vec<&Block> = Vec::new();
    for part in book.parts() {
        blocks.extend(&part.intro);
    }
    for chapter in book.chapters() {
        blocks.extend(&chapter.blocks);
    }
    let mut found = Vec::new();
    for block in blocks {
        block_links(block, &mut found);
    }
    for (id, span) in found {
        if missing.contains(id) {
            let d = Diagnostic::warning(format!(
                "link to `#{id}` goes to something print leaves out"
            ))
            .at(span)
            .hint("the link text is printed without the link");
            if !warnings.contains(&d) {
                warnings.push(d);
            }
        }
    }
}

/// The internal links in `block`, with their spans, in reading order.
fn block_links<'b>(block: &'b Block, out: &mut Vec<(&'b str, crate::source::Span)>) {
    let blocks = |bs: &'b [Block], out: &mut Vec<_>| {
        for b in bs {
            block_links(b, out);
        }
    };
    match block {
        Block::Para { content, .. } | Block::Heading { content, .. } => inline_links(content, out),
        Block::Figure { caption, .. } => inline_links(caption, out),
        Block::BlockQuote { blocks: bs, .. }
        | Block::Div { blocks: bs, .. }
        | Block::Alert { blocks: bs, .. } => blocks(bs, out),
        Block::List { items, .. } => {
            for item in items {
                blocks(&item.blocks, out);
            }
        }
        Block::DefinitionList { items, .. } => {
            for item in items {
                inline_links(&item.term, out);
                for d in &item.definitions {
                    blocks(d, out);
                }
            }
        }
        Block::Table { head, rows, .. } => {
            for cell in head.iter().chain(rows.iter().flatten()) {
                inline_links(cell, out);
            }
        }
        Block::CodeBlock { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
    }
}

fn inline_links<'b>(inlines: &'b [Inline], out: &mut Vec<(&'b str, crate::source::Span)>) {
    for inline in inlines {
        match inline {
            Inline::Link {
                target,
                content,
                span,
                ..
            } => {
                if let Target::Internal(id) = target {
                    out.push((id.as_str(), *span));
                }
                inline_links(content, out);
            }
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Span { content, .. } => inline_links(content, out),
            Inline::Note { blocks, .. } => {
                for b in blocks {
                    block_links(b, out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Chapter, Division, Matter, Meta};
    use crate::source::{FileId, Span};
    use crate::typeset::page::{PageNumber, Point, Rect};
    use crate::units::Pt;

    fn link(id: &str, start: u32) -> Inline {
        let span = Span {
            file: FileId(0),
            start,
            end: start + 1,
        };
        Inline::Link {
            target: Target::Internal(id.into()),
            title: None,
            content: vec![Inline::Text {
                text: id.into(),
                span,
            }],
            span,
        }
    }

    #[test]
    fn a_link_to_an_id_no_page_sets_is_a_warning_at_the_link() {
        let span = Span::default();
        let book = Book {
            meta: Meta::default(),
            front: Vec::new(),
            body: vec![Division::Chapter(Chapter {
                id: "ch".into(),
                matter: Matter::Body,
                number: Some(1),
                depth: 1,
                title: Vec::new(),
                source: "a.md".into(),
                blocks: vec![Block::Para {
                    content: vec![link("set", 3), link("unset", 7)],
                    span,
                }],
                span,
            })],
            back: Vec::new(),
        };
        let on_page = |id: &str| Item::Link {
            rect: Rect::default(),
            target: LinkTarget::Internal(id.into()),
        };
        let page = Page {
            size: (Pt(100.0), Pt(100.0)),
            number: PageNumber {
                numbering: crate::typeset::page::Numbering::Arabic,
                value: 1,
            },
            items: vec![
                Item::Dest {
                    id: "set".into(),
                    at: Point::default(),
                    outline: None,
                },
                on_page("set"),
                on_page("unset"),
            ],
            first_word: None,
        };
        let mut warnings = Warnings::new();
        check(&book, std::slice::from_ref(&page), &mut warnings);
        check(&book, &[page], &mut warnings);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("`#unset`"));
        assert!(matches!(
            warnings[0].location,
            crate::diag::Location::Span(s) if s.start == 7
        ));
    }
}
