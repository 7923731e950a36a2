//! mdBook's nested SUMMARY entries in print (issue 14): a book's print
//! chapters open where its top-level entries do, and each nested entry is
//! a section of its parent, nested under it in the PDF outline, while the
//! EPUB keeps one document per entry, nested in its nav.

mod common;

use std::collections::HashMap;

use samizdat::doc::{Book, Chapter, Division};
use samizdat::style::PrintStyle;
use samizdat::typeset::page::Item;
use samizdat::typeset::{self, Fonts};

/// Each chapter with its SUMMARY parent's id (None at the top level), in
/// reading order.
fn parents(book: &Book) -> Vec<(&Chapter, Option<String>)> {
    let mut out = Vec::new();
    let mut stack: Vec<&Chapter> = Vec::new();
    for c in book.chapters() {
        while stack.last().is_some_and(|p| p.depth >= c.depth) {
            stack.pop();
        }
        out.push((c, stack.last().map(|p| p.id.clone())));
        stack.push(c);
    }
    out
}

#[test]
fn issue_14_mdbook_sub_chapters_are_sections_of_their_parent_in_print() {
    for (book, nested) in [
        ("books/mdbook-guide/guide", 15),
        ("reference/rust-book", 60),
    ] {
        if let Some(dir) = common::corpus(book) {
            sections_of_their_parent(&dir, nested);
        }
    }
}

/// Checks `dir`'s print chapters, the book nesting at least `nested`
/// entries.
fn sections_of_their_parent(dir: &std::path::Path, nested: usize) {
    let project = samizdat::load::load(dir).expect("book loads");
    let book = &project.book;
    let style = PrintStyle::load(&common::root().join("styles/pamphlet.toml")).unwrap();
    let mut warnings = Vec::new();
    let pages = typeset::typeset(
        book,
        &style,
        &Fonts::bundled(),
        &project.files,
        None,
        &mut warnings,
    )
    .expect("typesets");
    // Every destination with an outline entry, in page order.
    let mut order = Vec::new();
    let mut at = HashMap::new();
    for (k, page) in pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Dest {
                id,
                outline: Some(e),
                ..
            } = item
            {
                order.push((id.clone(), e.level));
                at.entry(id.clone()).or_insert((k, e.level));
            }
        }
    }
    let in_part: Vec<&str> = book
        .body
        .iter()
        .filter_map(|d| match d {
            Division::Part(p) => Some(p.chapters.iter().map(|c| c.id.as_str())),
            Division::Chapter(_) => None,
        })
        .flatten()
        .collect();
    let family = parents(book);
    let ids: std::collections::HashSet<&str> = family.iter().map(|(c, _)| c.id.as_str()).collect();
    let top = family.iter().filter(|(_, p)| p.is_none()).count();
    let subs = family.len() - top;
    assert!(subs >= nested, "{}: {subs} nested entries", dir.display());
    // Chapter openings (an entry at a chapter's outline level: 1, or 2 in
    // a part) are the top-level entries, and only they.
    let chapter_level = |id: &str| if in_part.contains(&id) { 2 } else { 1 };
    let openings = family
        .iter()
        .filter(|(c, _)| at[&c.id].1 == chapter_level(&c.id))
        .count();
    assert_eq!(openings, top);
    for (c, parent) in &family {
        let Some(parent) = parent else { continue };
        let (page, level) = at[&c.id];
        let (parent_page, parent_level) = at[parent];
        assert!(level > parent_level, "{} under {parent}", c.id);
        assert!(page >= parent_page);
        // In the outline, the entry nests under its parent: the nearest
        // chapter entry before it at a lower level is the parent's, and
        // any entry between is a heading of the parent's (the Rust book's
        // chapter 7 keeps a `#` heading under an HTML comment).
        let k = order.iter().position(|(id, _)| *id == c.id).unwrap();
        let lower: Vec<_> = order[..k]
            .iter()
            .rev()
            .filter(|(_, l)| *l < level)
            .collect();
        let p = lower.iter().position(|(id, _)| id == parent).unwrap();
        assert!(
            lower[..p].iter().all(|(id, _)| !ids.contains(id.as_str())),
            "{} nests under {parent}: {:?}",
            c.id,
            &lower[..p]
        );
    }
    // Sub-chapters run on: most start on a page with text of the book
    // above their title (the page's furniture aside), none after a page
    // left blank for them.
    let text_above = |id: &str| {
        let (k, _) = at[id];
        let y = pages[k]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Dest { id: d, at, .. } if d == id => Some(at.y),
                _ => None,
            })
            .unwrap();
        pages[k].items.iter().any(|i| match i {
            Item::Glyphs(run) => {
                run.origin.y < y && !run.tag.as_ref().is_some_and(|t| t.kind.is_artifact())
            }
            _ => false,
        })
    };
    let run_on = family
        .iter()
        .filter(|(c, p)| p.is_some() && text_above(&c.id))
        .count();
    assert!(run_on * 2 > subs, "{run_on} of {subs} run on");
    for (c, _) in family.iter().filter(|(_, p)| p.is_none()) {
        assert!(!text_above(&c.id), "{} opens its page", c.id);
    }
}

/// mdBook numbers nested entries under their chapter ("2.1.", "2.1.1."),
/// as its sidebar does: so do the EPUB's nav and the printed contents.
/// Entries under an unnumbered chapter get none.
#[test]
fn nested_entries_carry_mdbook_s_numbers_in_both_formats() {
    let dir = common::book_of(
        "subchapters-numbers",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"Numbers\"\nauthors = [\"A. Author\"]\n",
            ),
            (
                "src/SUMMARY.md",
                b"# Summary\n\n[Preface](preface.md)\n\n- [Alpha](alpha.md)\n- [Beta](beta.md)\n  - [Gamma](gamma.md)\n    - [Delta](delta.md)\n  - [Epsilon](epsilon.md)\n",
            ),
            ("src/preface.md", b"# Preface\n\nWords before.\n"),
            ("src/alpha.md", b"# Alpha\n\nFirst words.\n"),
            ("src/beta.md", b"# Beta\n\nSecond words.\n"),
            ("src/gamma.md", b"# Gamma\n\nThird words.\n"),
            ("src/delta.md", b"# Delta\n\nFourth words.\n"),
            ("src/epsilon.md", b"# Epsilon\n\nFifth words.\n"),
        ],
    );
    let out = dir.join("out");
    let built = common::samizdat(&[
        "build",
        "-q",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let find = |ext: &str| {
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap_or_else(|| panic!("no .{ext} in {}", out.display()))
    };
    let files = common::unzip(&std::fs::read(find("epub")).unwrap());
    let nav = files
        .iter()
        .find(|(n, _)| n.ends_with("nav.xhtml"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("a nav document");
    let want = [
        "1. Alpha",
        "2. Beta",
        "2.1. Gamma",
        "2.1.1. Delta",
        "2.2. Epsilon",
    ];
    for label in want {
        assert!(nav.contains(&format!(">{label}</a>")), "{label} in {nav}");
    }
    assert!(nav.contains(">Preface</a>"), "{nav}");
    if common::tool("pdftotext") {
        let pdf = find("pdf");
        let text = common::run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
        // The contents sets an en space after the number: any space will do.
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        for label in want {
            assert!(
                lines.iter().any(|l| l.starts_with(&format!("{label} ."))),
                "{label:?} in the PDF's contents: {lines:?}"
            );
        }
    }
}
