//! Internal links in a built book of chapter files (a SUMMARY.md book, so
//! GitHub's id rule): links to a repeated heading as GitHub numbers it
//! within its file (`#options-1`), to a raw HTML `<a id>` and `<a name>`,
//! and written with pandoc's spelling of a heading's id all lead to the
//! right place: in the EPUB to the document that holds the id, in print to
//! the page where the heading or the raw HTML stands. A link to nothing is
//! a warning at its line, in both formats alike.

mod common;

use std::collections::HashMap;

use common::{book_of, pipeline};
use samizdat::typeset::page::{Item, LinkTarget, Page};

const BODY: &str = "Body text runs on for a while here, and then some more of it. ";

fn links_book() -> std::path::PathBuf {
    let body = BODY.repeat(30);
    let one = "# One\n\n[opt](two.md#options-1) [raw](two.md#far) [old](two.md#old) \
               [pandoc](two.md#snake_case-v1.2) [gone](two.md#nothing-here) [file](three.md)\n";
    let two = format!(
        "# Two\n\n## Options\n\n{body}\n\n## Options\n\nZanzibar options.\n\n{body}\n\n{body}\n\n\
         <a id=\"far\"></a>\n\nXylophone follows the anchor.\n\n{body}\n\n\
         Quokka <a name=\"old\"></a> is here.\n\n## 1. Snake_case v1.2\n\nWombat.\n"
    );
    book_of(
        "links-book",
        &[
            (
                "SUMMARY.md",
                b"# Summary\n\n- [One](one.md)\n- [Two](two.md)\n" as &[u8],
            ),
            ("one.md", one.as_bytes()),
            ("two.md", two.as_bytes()),
        ],
    )
}

/// The page index of each destination, and the internal links' targets.
fn dests_and_links(pages: &[Page]) -> (HashMap<String, usize>, Vec<String>) {
    let mut dests = HashMap::new();
    let mut links = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        for item in &page.items {
            match item {
                Item::Dest { id, .. } => {
                    dests.entry(id.clone()).or_insert(n);
                }
                Item::Link {
                    target: LinkTarget::Internal(id),
                    ..
                } => links.push(id.clone()),
                _ => {}
            }
        }
    }
    (dests, links)
}

/// The index of the first page whose text holds `word`.
fn page_of(pages: &[Page], word: &str) -> usize {
    pages
        .iter()
        .position(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Glyphs(run) if run.text.contains(word)))
        })
        .unwrap_or_else(|| panic!("`{word}` is on no page"))
}

#[test]
fn links_reach_repeated_headings_and_raw_html_ids_in_both_formats() {
    let dir = links_book();
    let fonts = samizdat::typeset::Fonts::bundled();
    let ran = pipeline::run_book(&dir, &fonts, &samizdat::style::PrintStyle::default())
        .expect("the book builds");
    assert_eq!(ran.refused, None);
    // The links to nothing (an id, a file not in the book) are warnings at
    // their lines, and only they.
    let unresolved: Vec<_> = ran
        .warnings
        .iter()
        .filter(|w| w.message.contains("link to"))
        .collect();
    assert_eq!(unresolved.len(), 2, "{unresolved:?}");
    assert!(
        unresolved[0]
            .message
            .contains("`two.md#nothing-here` goes nowhere")
    );
    assert!(unresolved[1].message.contains("`three.md` goes nowhere"));
    assert!(
        unresolved
            .iter()
            .all(|w| matches!(w.location, samizdat::diag::Location::Span(_)))
    );

    // EPUB: each link's href names the document holding its id.
    let files = common::unzip(&ran.epub);
    let text = |name: &str| -> String {
        let (_, bytes) = files.iter().find(|(n, _)| n.ends_with(name)).unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    };
    let docs: Vec<(String, String)> = files
        .iter()
        .filter(|(n, _)| n.ends_with(".xhtml"))
        .map(|(n, b)| (n.clone(), String::from_utf8(b.clone()).unwrap()))
        .collect();
    let (one_name, one) = docs
        .iter()
        .find(|(_, d)| d.contains(">opt</a>"))
        .expect("chapter one");
    let hrefs: Vec<&str> = one
        .split("<a href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(hrefs.len(), 4, "{hrefs:?}");
    for (href, id) in hrefs
        .iter()
        .zip(["options-1", "far", "old", "1-snake_case-v12"])
    {
        let (file, fragment) = href.split_once('#').expect("a fragment");
        assert_eq!(fragment, id, "{hrefs:?}");
        let holder = text(file);
        assert!(
            holder.contains(&format!("id=\"{id}\"")),
            "{file} lacks {id}"
        );
    }
    // The second `Options` holds the word after it; `<a name>` became an id.
    let two = text(hrefs[0].split_once('#').unwrap().0);
    let second = two.find("id=\"options-1\"").unwrap();
    assert!(two[second..].find("Zanzibar") < two[second..].find("Xylophone"));
    assert!(two.contains("<a id=\"old\"></a>"), "{two}");
    assert!(
        !one.contains("nothing-here") && !one.contains("three"),
        "{one_name}: the dead links are dropped"
    );

    // Print: every link has its destination, on the page where its heading
    // or raw HTML stands.
    let (dests, links) = dests_and_links(&ran.pages);
    for id in ["options-1", "far", "old", "1-snake_case-v12"] {
        assert!(links.iter().any(|l| l == id), "no link to {id}: {links:?}");
    }
    assert!(links.iter().all(|l| dests.contains_key(l)), "{links:?}");
    assert_eq!(dests["options-1"], page_of(&ran.pages, "Zanzibar"));
    assert_eq!(dests["far"], page_of(&ran.pages, "Xylophone"));
    assert_eq!(dests["old"], page_of(&ran.pages, "Quokka"));
    assert_eq!(dests["1-snake_case-v12"], page_of(&ran.pages, "Wombat"));
    assert!(dests["far"] > dests["options-1"], "{dests:?}");
}
