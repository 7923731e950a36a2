//! Books nobody here wrote (`../shared/corpus/books/`): each comes out with
//! the chapters its author meant, in both of its layouts (one Markdown file
//! whose chapters are `##` headings, and a `chapters/` folder with a
//! SUMMARY.md and no book.toml), and an mdBook project's chapters carry
//! their title once.

mod common;

use common::{corpus, samizdat, stderr};

/// The chapter lines of `samizdat tree`: ("Front" | "Chapter" | "Back", id).
fn chapters(book: &std::path::Path) -> Vec<(String, String)> {
    let out = samizdat(&["tree", book.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("  ")?;
            let (kind, id) = rest.split_once(" #")?;
            let kind = kind.split_whitespace().next()?;
            let id = id.split_whitespace().next()?;
            matches!(kind, "Front" | "Chapter" | "Back").then(|| (kind.to_string(), id.to_string()))
        })
        .collect()
}

fn kinds(chapters: &[(String, String)]) -> (usize, usize, usize) {
    let count = |k: &str| chapters.iter().filter(|(kind, _)| kind == k).count();
    (count("Front"), count("Chapter"), count("Back"))
}

#[test]
fn standard_ebooks_titles_have_their_chapters_in_both_layouts() {
    // (book, front matter, body chapters), counted from the sources'
    // `## ` headings: prefaces and introductions are front matter.
    for (name, front, body) in [
        ("communist-manifesto", 2, 4),
        ("goldman-disillusionment", 2, 33),
    ] {
        let Some(dir) = corpus(&format!("books/{name}")) else {
            return;
        };
        let single = chapters(&dir.join("book.md"));
        let folder = chapters(&dir.join("chapters"));
        assert_eq!(
            kinds(&single),
            (front, body, 0),
            "{name}/book.md: {single:?}"
        );
        assert_eq!(
            kinds(&folder),
            (front, body, 0),
            "{name}/chapters: {folder:?}"
        );
        assert_eq!(single, folder, "{name}: the two layouts differ");
    }
}

#[test]
fn mdbook_chapters_carry_their_title_once() {
    // The Rust book's sub-chapters open with `## Title`: once read as a
    // chapter titled by the SUMMARY with that heading under it.
    for book in ["books/mdbook-guide/guide", "reference/rust-book"] {
        let Some(dir) = corpus(book) else {
            return;
        };
        titles_once(&dir);
    }
}

fn titles_once(book: &std::path::Path) {
    let out = samizdat(&["tree", book.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    // A chapter's title line, then its first block: never a heading that
    // repeats the title.
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut chapters = 0;
    for w in lines.windows(4) {
        let (Some(title), true) = (
            w[1].strip_prefix("title "),
            ["Front ", "Chapter ", "Back "]
                .iter()
                .any(|k| w[0].starts_with(k)),
        ) else {
            continue;
        };
        chapters += 1;
        let repeated = w[2].starts_with("Heading") && w[3] == format!("Str {title}");
        assert!(!repeated, "title {title} repeated as a heading: {w:?}");
    }
    assert!(chapters > 20, "{chapters} chapters");
}
