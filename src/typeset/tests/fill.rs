//! Setting ahead on a second thread and filling short pages with looser or
//! tighter paragraphs: the pages come out the same whichever way.

use super::*;
use crate::style::NoteNumbering;
use crate::typeset::fill::{halfway, set_ahead};

/// A book of `n` chapters whose paragraphs come from distinct places in a
/// source (so that they go through the paragraph memo), with notes, and a
/// character no bundled font has in the first and the last chapter.
fn sourced_book(n: u32) -> Book {
    let mut at = 0;
    let mut span = move || {
        at += 100;
        Span::new(crate::source::FileId(0), at..at + 90)
    };
    let mut b = book(vec![]);
    b.body.clear();
    let mut note = 0;
    for k in 0..n {
        let mut blocks = Vec::new();
        for p in 0..12 {
            let mut content = vec![Inline::Text {
                text: format!(
                    "Chapter {k}, paragraph {p}: the bureaucracy rose above the class that \
                     made the revolution, and the party that led it became its instrument."
                ),
                span: span(),
            }];
            if p % 4 == 1 {
                note += 1;
                content.push(Inline::Note {
                    id: NoteId(note),
                    label: format!("n{note}"),
                    blocks: vec![Block::Para {
                        content: vec![text("A source, with its page.")],
                        span: span(),
                    }],
                    span: span(),
                });
            }
            if p == 3 && (k == 0 || k + 1 == n) {
                content.push(text(" A \u{10FFFD} here."));
            }
            blocks.push(Block::Para {
                content,
                span: span(),
            });
        }
        b.body
            .push(Division::Chapter(chapter(&format!("c{k}"), k + 1, blocks)));
    }
    b
}

/// The default style with notes numbered by `numbering`.
fn numbered(numbering: NoteNumbering) -> PrintStyle {
    PrintStyle {
        note_numbering: numbering,
        ..PrintStyle::default()
    }
}

/// Setting the second half of a book ahead on another thread gives the
/// same pages and the same warnings as one thread, with notes numbered per
/// chapter and per book (then the memo's content key turns away paragraphs
/// whose note numbers differ).
#[test]
fn setting_ahead_on_a_second_thread_changes_nothing() {
    let b = sourced_book(6);
    let fonts = Fonts::bundled();
    for numbering in [NoteNumbering::PerChapter, NoteNumbering::PerBook] {
        let style = numbered(numbering);
        let input = input(&b, &style);
        let mut alone = Warnings::new();
        let how = How {
            ahead: usize::MAX,
            alone: true,
        };
        let one = set_book(&input, &fonts, how, &mut alone).unwrap();
        let mut beside = Warnings::new();
        let two = set_book(&input, &fonts, How { ahead: 0, ..how }, &mut beside).unwrap();
        assert!(halfway(&chapters(&b), 0).is_some());
        assert!(one.len() > 8, "{}", one.len());
        assert_eq!(one, two);
        assert_eq!(alone, beside);
        let missing = alone.iter().filter(|w| w.message.contains("U+10FFFD"));
        assert_eq!(missing.count(), 1, "{alone:?}");
    }
}

/// The paragraphs set ahead are taken when they are the same: all but the
/// one that raised a warning with notes numbered per chapter; with notes
/// numbered per book, not those whose note numbers came out differently.
#[test]
fn paragraphs_set_ahead_are_taken_when_the_same() {
    let b = sourced_book(4);
    let fonts = Fonts::bundled();
    let order = chapters(&b);
    let k = halfway(&order, 0).unwrap();
    assert_eq!(k, 2);
    let mut hits = Vec::new();
    for numbering in [NoteNumbering::PerChapter, NoteNumbering::PerBook] {
        let style = numbered(numbering);
        let input = input(&b, &style);
        let memo = set_ahead(&fonts, &input, "en", &order[k..]);
        // Twelve paragraphs and three notes per chapter.
        assert_eq!(memo.len(), 2 * 15);
        let mut layout = inline::InlineLayout::new(&fonts, &style, "en").unwrap();
        let mut warnings = Warnings::new();
        let handoff: Handoff<'_> = (k, Box::new(move || memo));
        let entries = contents_entries(&b);
        let none = HashMap::new();
        galley(
            &mut layout,
            &input,
            &entries,
            &none,
            &mut warnings,
            Some(handoff),
        );
        hits.push(layout.memo_hits);
    }
    assert_eq!(hits[0], 2 * 15 - 1);
    // Per book, the second half's notes carry other numbers: the three
    // paragraphs per chapter that cite them, and the notes themselves, are
    // set anew.
    assert_eq!(hits[1], 2 * 15 - 1 - 2 * 3 * 2);
}

/// A looser or tighter paragraph tried by setting its chapter again alone
/// gives the pages that setting the whole book again gives.
#[test]
fn looseness_tried_in_one_chapter_matches_the_whole_book() {
    let mut b = random_book(11, true);
    let Division::Chapter(one) = b.body[0].clone() else {
        unreachable!()
    };
    for (k, seed) in [(2u32, 5u64), (3, 9)] {
        let Division::Chapter(more) = random_book(seed, true).body.remove(0) else {
            unreachable!()
        };
        b.body.push(Division::Chapter(Chapter {
            id: format!("c{k}"),
            number: Some(k),
            ..more
        }));
    }
    b.body[0] = Division::Chapter(one);
    let fonts = Fonts::bundled();
    let style = PrintStyle::default();
    let input = input(&b, &style);
    let alone = How {
        ahead: usize::MAX,
        alone: true,
    };
    let mut w1 = Warnings::new();
    let one = set_book(&input, &fonts, alone, &mut w1).unwrap();
    let mut w2 = Warnings::new();
    let whole = How {
        alone: false,
        ..alone
    };
    let two = set_book(&input, &fonts, whole, &mut w2).unwrap();
    assert!(one.len() > 20);
    assert_eq!(one, two);
    assert_eq!(w1, w2);
}
