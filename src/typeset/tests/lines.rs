//! Paragraphs in the set pages: line breaks, overfull words, hard breaks,
//! marks kept with their letters, missing glyphs, struck-through text.

use super::*;

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
    let style = PrintStyle::default();
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    // Half-title, blank, title page, colophon, contents, then the chapter.
    assert_eq!(pages.len(), 6);
    let page = &pages[5];
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
    let style = PrintStyle {
        hyphenate_capitalised: false,
        ..PrintStyle::default()
    };
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
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
    let last = &pages[pages.len() - 1];
    let right = last.size.0 - style.margins.outer;
    for item in &last.items {
        if let Item::Glyphs(run) = item {
            assert!(
                run.origin.x + run.width() <= right + Pt(6.0),
                "{}",
                run.text
            );
        }
    }
    let text = lines(last).concat();
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
    let pages = set(&b, &PrintStyle::default(), &mut warnings);
    let text = lines(&pages[pages.len() - 1]);
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
    let mut warnings = Warnings::new();
    set(&b, &PrintStyle::default(), &mut warnings);
    let missing: Vec<_> = warnings
        .iter()
        .filter(|w| w.message.contains("U+10FFFD"))
        .collect();
    assert_eq!(missing.len(), 1, "{warnings:?}");
}

/// Struck-through text gets a rule through it at the font's strike-out
/// height, across the spaces between struck words but not beyond them, on
/// every line it reaches.
#[test]
fn strikeout_draws_a_line_through_the_struck_words() {
    let struck = "words struck out by the author in a late revision ".repeat(4);
    let b = book(vec![para(vec![
        text("Before the change. "),
        Inline::Strikeout {
            content: vec![text(struck.trim_end())],
            span: Span::default(),
        },
        text(" After it."),
    ])]);
    let fonts = Fonts::bundled();
    let style = PrintStyle::default();
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    let page = pages.last().unwrap();
    let rules: Vec<&page::Rect> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r) => Some(r),
            _ => None,
        })
        .collect();
    // The struck text runs over three lines or more: one rule on each.
    assert!(rules.len() >= 3, "{rules:?}");
    let runs: Vec<&page::GlyphRun> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) => Some(r),
            _ => None,
        })
        .collect();
    let face = fonts.get(runs[0].face);
    let (offset, thickness) = face.strikeout;
    for rule in &rules {
        // On a baseline of the text, at the strike-out offset above it.
        let baseline = rule.y + rule.height / 2.0 + style.body_size * offset;
        assert!(
            runs.iter().any(|r| (r.origin.y - baseline).0.abs() < 0.01),
            "{rule:?}"
        );
        assert!((rule.height - style.body_size * thickness).0.abs() < 0.01);
    }
    // The first rule starts after "Before the change." and the last ends
    // before "After it.": measure where those words end and begin.
    let first = rules[0];
    let before = runs.iter().find(|r| r.text.starts_with("Before")).unwrap();
    let change = before.text.find("change.").unwrap() + "change.".len();
    let end_of_change: f64 = before
        .glyphs
        .iter()
        .filter(|g| (g.text.1 as usize) <= change)
        .map(|g| f64::from(g.advance))
        .sum();
    assert!(first.x.0 > before.origin.x.0 + end_of_change);
    let last = rules[rules.len() - 1];
    let after = runs.iter().find(|r| r.text.contains("After")).unwrap();
    let start_of_after: f64 = after
        .glyphs
        .iter()
        .take_while(|g| !after.text[g.text.0 as usize..].starts_with("After"))
        .map(|g| f64::from(g.advance))
        .sum();
    assert!(last.x.0 + last.width.0 < after.origin.x.0 + start_of_after);
    assert!(warnings.is_empty(), "{warnings:?}");
}
