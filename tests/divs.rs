//! pandoc's fenced divs, bracketed spans and heading attributes through the
//! whole pipeline (load, EPUB, typesetting, PDF): the EPUB writes them with
//! their ids, classes and languages; print sets a `.smallcaps` span in
//! OpenType small capitals, and a link to a div's or a span's id leads to
//! the page it is on.

mod common;

use common::{pipeline, scratch, unzip};
use samizdat::typeset::page::{Item, LinkTarget, Page};

const BODY: &str = "Body text runs on for a while here, and then some more of it. ";

fn book() -> String {
    let body = BODY.repeat(12);
    let mut md = String::from(
        "# One\n\nSee [the aside](#aside) and [the ship](#ship), and ironclad words.\n\n",
    );
    for _ in 0..6 {
        md.push_str(&format!("{body}\n\n"));
    }
    md.push_str(
        "## Chapitre premier {#premier .special lang=fr}\n\n\
         ::: {#aside .sidebar lang=fr}\n\
         Inside the aside.\n\n\
         ::: inner\n\
         Nested.\n\
         :::\n\
         :::\n\n",
    );
    for _ in 0..6 {
        md.push_str(&format!("{body}\n\n"));
    }
    md.push_str("An [ironclad]{.smallcaps #ship lang=en-GB} ship.\n");
    md
}

/// The text of a page's glyph runs, joined.
fn page_text(page: &Page) -> String {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) => Some(r.text.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page holding the destination `id`.
fn dest_page(pages: &[Page], id: &str) -> usize {
    let found: Vec<usize> = (0..pages.len())
        .filter(|&p| {
            pages[p]
                .items
                .iter()
                .any(|i| matches!(i, Item::Dest { id: d, .. } if d == id))
        })
        .collect();
    assert_eq!(found.len(), 1, "one destination {id}: {found:?}");
    found[0]
}

/// The glyph ids standing for `word` where it is set (the first time).
fn glyphs_of(pages: &[Page], word: &str) -> Vec<u16> {
    pages
        .iter()
        .flat_map(|p| &p.items)
        .find_map(|i| match i {
            Item::Glyphs(r) => {
                let at = r.text.find(word)? as u32;
                let end = at + word.len() as u32;
                Some(
                    r.glyphs
                        .iter()
                        .filter(|g| g.text.0 >= at && g.text.1 <= end)
                        .map(|g| g.id)
                        .collect(),
                )
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("{word} is not set"))
}

#[test]
fn divs_spans_and_heading_attributes_in_both_formats() {
    let dir = scratch("divs-spans");
    let fonts = samizdat::typeset::Fonts::bundled();
    let ran = pipeline::run_markdown(&dir, &book(), &fonts).unwrap();
    assert_eq!(ran.refused, None);
    assert!(
        !ran.warnings.iter().any(|w| w.message.contains("fence")
            || w.message.contains("link")
            || w.message.contains("already used")),
        "{:?}",
        ran.warnings
    );

    // The EPUB: the div, the nested one, the span and the heading with
    // their attributes; the links point at them.
    let xhtml: String = unzip(&ran.epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, data)| String::from_utf8(data).unwrap())
        .collect();
    for want in [
        r#"<div id="aside" class="sidebar" lang="fr" xml:lang="fr">"#,
        r#"<div class="inner">"#,
        r#"<span id="ship" class="smallcaps" lang="en-GB" xml:lang="en-GB">iron"#,
        r#"<h2 id="premier" class="special" lang="fr" xml:lang="fr">"#,
        "#aside\"",
        "#ship\"",
    ] {
        assert!(xhtml.contains(want), "no {want} in\n{xhtml}");
    }
    assert!(!xhtml.contains(":::"), "a fence was left as text");
    assert!(!xhtml.contains("{."), "attributes were left as text");

    // Print: each link leads to the page its target is on.
    let pages = &ran.pages;
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let aside = dest_page(pages, "aside");
    let ship = dest_page(pages, "ship");
    assert!(page_text(&pages[aside]).contains("Inside"));
    assert!(page_text(&pages[ship]).contains("ironclad"));
    assert!(
        aside > 0 && ship > aside,
        "aside on {aside}, ship on {ship}"
    );
    for id in ["aside", "ship"] {
        let linked = pages
            .iter()
            .flat_map(|p| &p.items)
            .any(|i| matches!(i, Item::Link { target: LinkTarget::Internal(t), .. } if t == id));
        assert!(linked, "no link to {id}");
    }

    // The small-caps span is set with other glyphs than the same word in
    // running text (OpenType `smcp`), and the same number of them.
    let plain = glyphs_of(&pages[..aside], "ironclad");
    let small = glyphs_of(&pages[ship..], "ironclad");
    assert_eq!(plain.len(), small.len());
    assert_ne!(plain, small, "smcp glyphs in the span");
}
