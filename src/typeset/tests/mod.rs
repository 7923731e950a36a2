//! End-to-end tests of the typesetter on hand-built books, checked in the
//! page model (no PDF).

use std::path::{Path, PathBuf};

use super::page::Item;
use super::*;
use crate::doc::{Block, Chapter, Division, Inline, Matter, Meta, NoteId};
use crate::source::Span;

mod alerts;
mod fill;
mod lines;
mod pages;
mod style;
mod subchapters;

fn text(t: &str) -> Inline {
    Inline::Text {
        text: t.into(),
        span: Span::default(),
    }
}

fn book(blocks: Vec<Block>) -> Book {
    Book {
        meta: Meta {
            title: "T".into(),
            language: "en".into(),
            ..Meta::default()
        },
        front: vec![],
        body: vec![Division::Chapter(Chapter {
            id: "ch".into(),
            matter: Matter::Body,
            number: Some(1),
            depth: 1,
            title: vec![text("One")],
            source: PathBuf::from("one.md"),
            blocks,
            span: Span::default(),
        })],
        back: vec![],
    }
}

fn para(content: Vec<Inline>) -> Block {
    Block::Para {
        content,
        span: Span::default(),
    }
}

/// The files of the current directory, for books whose images are here.
fn here() -> &'static crate::files::BookFiles {
    static HERE: std::sync::OnceLock<crate::files::BookFiles> = std::sync::OnceLock::new();
    HERE.get_or_init(|| crate::files::BookFiles::new(Path::new(".")).unwrap())
}

/// `book` typeset in `style` with the bundled fonts, assets here, no date.
fn set(book: &Book, style: &PrintStyle, warnings: &mut Warnings) -> Vec<Page> {
    typeset(book, style, &Fonts::bundled(), here(), None, warnings).unwrap()
}

/// The text of every glyph run on a page, one string per baseline.
fn lines(page: &Page) -> Vec<String> {
    let mut rows: Vec<(i64, String)> = Vec::new();
    for item in &page.items {
        if let Item::Glyphs(run) = item {
            let y = (run.origin.y.0 * 10.0).round() as i64;
            match rows.iter_mut().find(|r| (r.0 - y).abs() <= 40) {
                Some(r) => r.1.push_str(&run.text),
                None => rows.push((y, run.text.to_string())),
            }
        }
    }
    rows.sort_by_key(|r| r.0);
    rows.into_iter().map(|r| r.1).collect()
}

/// A chapter of forty paragraphs of random lengths (long ones, or shorter
/// ones with a few notes), from `seed`.
fn random_book(seed: u64, long: bool) -> Book {
    let words = [
        "the", "printer", "sets", "each", "line", "against", "measure", "and", "page", "depth",
        "of", "text", "block", "what", "does", "not", "fit", "goes", "on", "to", "next", "careful",
        "reader", "notices", "nothing",
    ];
    let mut x = seed;
    {
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize
        };
        let mut blocks = Vec::new();
        for p in 0..40 {
            // Long paragraphs leave few boundaries to stretch: there a
            // looser or tighter paragraph has to do it.
            let n = if long {
                60 + next() % 300
            } else {
                12 + next() % 90
            };
            let ws: Vec<&str> = (0..n).map(|_| words[next() % words.len()]).collect();
            let mut content = vec![text(&format!("{}.", ws.join(" ")))];
            if p % 9 == 4 && !long {
                content.push(Inline::Note {
                    id: NoteId(p),
                    label: format!("n{p}"),
                    blocks: vec![para(vec![text(
                        &"A note of a few words. ".repeat(1 + p as usize % 5),
                    )])],
                    span: Span::default(),
                });
            }
            blocks.push(para(content));
        }
        book(blocks)
    }
}

fn chapter(id: &str, number: u32, blocks: Vec<Block>) -> Chapter {
    Chapter {
        id: id.into(),
        matter: Matter::Body,
        number: Some(number),
        depth: 1,
        title: vec![text(id)],
        source: PathBuf::from(format!("{id}.md")),
        blocks,
        span: Span::default(),
    }
}

/// What the typesetter works from: `book` in `style`, assets here, no date.
fn input<'a>(book: &'a Book, style: &'a PrintStyle) -> Input<'a> {
    Input {
        book,
        style,
        assets: here(),
        date: None,
    }
}
