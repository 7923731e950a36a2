//! GitHub alerts in print: a ruled block with its title.

use super::*;
use crate::doc::AlertKind;
use crate::typeset::page::{GlyphRun, TagKind};

fn runs(page: &Page) -> impl Iterator<Item = &GlyphRun> {
    page.items.iter().filter_map(|i| match i {
        Item::Glyphs(r) => Some(r),
        _ => None,
    })
}

#[test]
fn an_alert_is_a_ruled_block_under_its_bold_title() {
    let b = book(vec![
        para(vec![text("Before the alert.")]),
        Block::Alert {
            kind: AlertKind::Warning,
            blocks: vec![para(vec![text("Mind the gap.")])],
            span: Span::default(),
        },
        para(vec![text("After the alert.")]),
    ]);
    let mut warnings = Warnings::new();
    let pages = set(&b, &PrintStyle::default(), &mut warnings);
    let fonts = Fonts::bundled();
    let page = pages
        .iter()
        .find(|p| runs(p).any(|r| r.text.contains("Mind")))
        .expect("a page with the alert");
    let find = |word: &str| {
        runs(page)
            .find(|r| r.text.contains(word))
            .unwrap_or_else(|| panic!("no {word} in {:#?}", lines(page)))
    };
    let (before, title, body, after) =
        (find("Before"), find("Warning"), find("Mind"), find("After"));
    // The title is the label's word, in bold, tagged as a paragraph inside
    // the alert's container.
    assert_eq!(&*title.text, "Warning");
    assert!(fonts.get(title.face).variant.bold);
    assert!(!fonts.get(body.face).variant.bold);
    let tag = title.tag.as_ref().expect("a tagged title");
    assert_eq!(tag.kind, TagKind::Paragraph);
    assert!(tag.parents.iter().any(|(k, _)| *k == TagKind::BlockQuote));
    // The content is indented from the body text.
    assert!(body.origin.x > before.origin.x, "{body:?} vs {before:?}");
    assert!(title.origin.x > before.origin.x);
    // One rule between the paragraph before and the title, one between the
    // content and the paragraph after, each narrower than the measure.
    let rules: Vec<_> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r) => Some(*r),
            _ => None,
        })
        .collect();
    assert_eq!(rules.len(), 2, "{rules:?}");
    let (top, bottom) = (rules[0].y.min(rules[1].y), rules[0].y.max(rules[1].y));
    assert!(before.origin.y < top && top < title.origin.y, "{top:?}");
    assert!(
        body.origin.y < bottom && bottom < after.origin.y,
        "{bottom:?}"
    );
    let measure = PrintStyle::default().measure();
    for r in &rules {
        assert!(r.width > measure * 0.8 && r.width <= measure, "{r:?}");
    }
}

#[test]
fn alert_titles_follow_the_book_language() {
    let mut b = book(vec![Block::Alert {
        kind: AlertKind::Note,
        blocks: vec![para(vec![text("Achtung.")])],
        span: Span::default(),
    }]);
    b.meta.language = "de".into();
    let mut warnings = Warnings::new();
    let pages = set(&b, &PrintStyle::default(), &mut warnings);
    assert!(
        pages.iter().any(|p| runs(p).any(|r| &*r.text == "Hinweis")),
        "{:#?}",
        pages.iter().map(lines).collect::<Vec<_>>()
    );
}
