//! End-to-end tests of the typesetter on hand-built books, checked in the
//! page model (no PDF).

use std::path::{Path, PathBuf};

use super::page::Item;
use super::*;
use crate::doc::{Block, Chapter, Division, Inline, Matter, Meta, NoteId};
use crate::source::Span;

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

/// The text of every glyph run on a page, one string per baseline.
fn lines(page: &Page) -> Vec<String> {
    let mut rows: Vec<(i64, String)> = Vec::new();
    for item in &page.items {
        if let Item::Glyphs(run) = item {
            let y = (run.origin.y.0 * 10.0).round() as i64;
            match rows.iter_mut().find(|r| (r.0 - y).abs() <= 40) {
                Some(r) => r.1.push_str(&run.text),
                None => rows.push((y, run.text.clone())),
            }
        }
    }
    rows.sort_by_key(|r| r.0);
    rows.into_iter().map(|r| r.1).collect()
}

#[test]
fn typeset_paragraph_breaks_within_measure_and_notes_share_the_page() {
    let words = "The quick brown fox jumps over the lazy dog while the typesetter \
                 measures every line against the page. "
        .repeat(6);
    let b = book(vec![para(vec![
        text(&words),
        Inline::Note {
            id: NoteId(0),
            label: "n".into(),
            blocks: vec![para(vec![text("A note at the foot.")])],
            span: Span::default(),
        },
        text(" The end."),
    ])]);
    let fonts = Fonts::bundled();
    let style = PrintStyle::default();
    let mut warnings = Warnings::new();
    let pages = typeset(&b, &style, &fonts, Path::new("."), &mut warnings).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    // Title page, then the chapter.
    assert_eq!(pages.len(), 2);
    let page = &pages[1];
    let (w, _) = page.size;
    let right = w - style.margins.outer;
    for item in &page.items {
        if let Item::Glyphs(run) = item {
            // Nothing passes the right margin by more than protrusion.
            assert!(
                run.origin.x + run.width() <= right + Pt(6.0),
                "{}",
                run.text
            );
        }
    }
    let text = lines(page);
    assert!(
        text.iter()
            .any(|l| l.starts_with("1\u{2002}A note at the foot.")),
        "{text:#?}"
    );
    assert!(text.iter().any(|l| l.contains("The end.")));
}

/// Issue 7: a word wider than the whole line (a long URL, a word with no
/// break points) would stick out of the page; it breaks between letters
/// instead, with a warning at its place, and no line passes the margin.
#[test]
fn typeset_word_wider_than_the_line_breaks_anywhere_and_warns() {
    // Digits keep the word from being hyphenated.
    let long = "ab1".repeat(100);
    let b = book(vec![para(vec![text(&format!("Here is {long} indeed."))])]);
    let fonts = Fonts::bundled();
    let style = PrintStyle {
        hyphenate_capitalised: false,
        ..PrintStyle::default()
    };
    let mut warnings = Warnings::new();
    let pages = typeset(&b, &style, &fonts, Path::new("."), &mut warnings).unwrap();
    assert!(
        warnings.iter().any(|w| w
            .message
            .contains("a 300-character word is wider than the line")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.message.contains("overfull")),
        "{warnings:?}"
    );
    let right = pages[1].size.0 - style.margins.outer;
    for item in &pages[1].items {
        if let Item::Glyphs(run) = item {
            assert!(
                run.origin.x + run.width() <= right + Pt(6.0),
                "{}",
                run.text
            );
        }
    }
    let text = lines(&pages[1]).concat();
    assert!(text.replace(" ", "").contains(&long), "{text}");
}

/// Issue 7 (found by the generated-Markdown test): a hard line break as the
/// last thing of a paragraph (inside a link), or two in a row at its end,
/// made the line breaker panic.
#[test]
fn typeset_hard_break_at_the_end_of_a_paragraph() {
    let link = Inline::Link {
        target: crate::doc::Target::Internal("ch".into()),
        title: None,
        content: vec![Inline::LineBreak {
            span: Span::default(),
        }],
        span: Span::default(),
    };
    let br = || Inline::LineBreak {
        span: Span::default(),
    };
    let b = book(vec![
        para(vec![text("the "), link]),
        para(vec![text("two"), br(), br()]),
        para(vec![br(), text("first")]),
        para(vec![text("Next.")]),
    ]);
    let mut warnings = Warnings::new();
    let pages = typeset(
        &b,
        &PrintStyle::default(),
        &Fonts::bundled(),
        Path::new("."),
        &mut warnings,
    )
    .unwrap();
    let text = lines(&pages[1]);
    assert!(text.contains(&"the".to_string()), "{text:?}");
    for line in ["two", "first", "Next."] {
        assert!(text.contains(&line.to_string()), "{text:?}");
    }
}

#[test]
fn typeset_emergency_breaks_keep_marks_with_their_letter() {
    let text = "e\u{301}x\u{200D}y!";
    let c = inline::clusters(text, 0..text.len());
    let pieces: Vec<&str> = c.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(pieces, ["e\u{301}", "x\u{200D}y", "!"]);
}

#[test]
fn typeset_missing_glyph_warns_once() {
    let b = book(vec![para(vec![text("A \u{10FFFD} and \u{10FFFD} again.")])]);
    let fonts = Fonts::bundled();
    let mut warnings = Warnings::new();
    typeset(
        &b,
        &PrintStyle::default(),
        &fonts,
        Path::new("."),
        &mut warnings,
    )
    .unwrap();
    let missing: Vec<_> = warnings
        .iter()
        .filter(|w| w.message.contains("U+10FFFD"))
        .collect();
    assert_eq!(missing.len(), 1, "{warnings:?}");
}
