//! Style settings seen on the page: small-capital headings, the
//! hyphenation language.

use super::*;

#[test]
fn heading_small_caps_changes_the_heading_glyphs_only() {
    let span = Span::default();
    let b = book(vec![
        Block::Heading {
            level: 2,
            id: "sec".into(),
            classes: vec![],
            lang: None,
            content: vec![Inline::Text {
                text: "Section heading".into(),
                span,
            }],
            span,
        },
        para(vec![text("Body text follows here.")]),
    ]);
    let glyphs_of = |small_caps: bool, needle: &str| -> Vec<u16> {
        let style = PrintStyle {
            heading_small_caps: small_caps,
            ..PrintStyle::default()
        };
        let pages = set(&b, &style, &mut Warnings::new());
        pages
            .iter()
            .flat_map(|p| p.items.iter())
            .filter_map(|i| match i {
                Item::Glyphs(r) if r.text.contains(needle) => {
                    Some(r.glyphs.iter().map(|g| g.id).collect::<Vec<_>>())
                }
                _ => None,
            })
            .next()
            .unwrap_or_else(|| panic!("no run with {needle}"))
    };
    assert_ne!(
        glyphs_of(false, "Section"),
        glyphs_of(true, "Section"),
        "smcp glyphs in the heading"
    );
    assert_eq!(
        glyphs_of(false, "Body"),
        glyphs_of(true, "Body"),
        "running text untouched"
    );
}

#[test]
fn hyphenation_language_overrides_the_books() {
    let words =
        "extraordinary revolutionary bureaucratisation internationalism counterrevolutionary "
            .repeat(12);
    let mut b = book(vec![para(vec![text(&words)])]);
    // No patterns are embedded for this language: only explicit breaks.
    b.meta.language = "xx".into();
    let hyphens = |language: Option<&str>| -> usize {
        let style = PrintStyle {
            hyphenation_language: language.map(str::to_string),
            ..PrintStyle::default()
        };
        let pages = set(&b, &style, &mut Warnings::new());
        pages
            .iter()
            .flat_map(|p| p.items.iter())
            .filter(|i| matches!(i, Item::Glyphs(r) if r.text.ends_with('-')))
            .count()
    };
    assert_eq!(hyphens(None), 0);
    assert!(hyphens(Some("en-US")) > 0);
}
