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

/// What one build of a corpus book holds, counted in each format.
#[derive(Debug, PartialEq)]
struct Counts {
    /// Chapters in the tree (front, body, back) and parts.
    chapters: usize,
    /// Notes: in the tree (first references), in the EPUB (footnote asides).
    notes: (usize, usize),
    /// Images: in the tree, in the EPUB's content documents.
    images: (usize, usize),
    /// The EPUB's chapter documents (its spine, less cover, title page and
    /// contents).
    documents: usize,
}

/// Builds `book` into `out` (every edition it declares, or the defaults)
/// and counts what each format holds; checks every note's opening words
/// are in the PDF's text.
fn counts(book: &std::path::Path, out: &std::path::Path) -> Counts {
    let built = samizdat(&[
        "build",
        "-q",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    let tree = samizdat(&["tree", book.to_str().unwrap()]);
    let tree = String::from_utf8_lossy(&tree.stdout).into_owned();
    let chapters = tree
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            ["Front #", "Chapter ", "Back #"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .count();
    // Distinct notes: a note cited twice is one note.
    let tree_notes = tree
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Note "))
        .filter_map(|l| l.split_whitespace().next())
        .collect::<std::collections::HashSet<_>>()
        .len();
    let tree_images = tree
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("Image ") || l.starts_with("Figure ") || l.starts_with("Figure #")
        })
        .count()
        + tree
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                l.starts_with("RawBlock ") || l.starts_with("RawInline ")
            })
            .map(|l| l.matches("<img ").count())
            .sum::<usize>();
    let parts = tree.lines().filter(|l| l.starts_with("  Part ")).count();
    let mut epubs = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "epub"));
    let epub = epubs.next().expect("an EPUB");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let (mut asides, mut imgs, mut documents) = (0, 0, 0);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if !name.ends_with(".xhtml") || name.ends_with("nav.xhtml") {
            continue;
        }
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).unwrap();
        asides += text.matches("epub:type=\"footnote\"").count();
        let generated = ["cover", "title", "contents", "toc", "colophon", "notes"]
            .iter()
            .any(|g| name.rsplit('/').next().unwrap().starts_with(g));
        if !generated {
            imgs += text.matches("<img ").count();
            documents += 1;
        }
    }
    Counts {
        chapters: chapters + parts,
        notes: (tree_notes, asides),
        images: (tree_images, imgs),
        documents,
    }
}

#[test]
fn corpus_books_keep_every_chapter_note_and_image_in_both_formats() {
    for (name, notes) in [("communist-manifesto", 10), ("goldman-disillusionment", 31)] {
        let Some(dir) = corpus(&format!("books/{name}")) else {
            return;
        };
        let mut seen = Vec::new();
        for layout in ["book.md", "chapters"] {
            let out = common::scratch(&format!("real-{name}-{}", layout.replace('.', "-")));
            let c = counts(&dir.join(layout), &out);
            assert_eq!(c.notes, (notes, notes), "{name}/{layout}: {c:?}");
            assert_eq!(c.images.0, c.images.1, "{name}/{layout}: {c:?}");
            assert_eq!(c.documents, c.chapters, "{name}/{layout}: {c:?}");
            print_has_every_note(&out);
            seen.push(c);
        }
        assert_eq!(seen[0], seen[1], "{name}: the two layouts differ");
    }
    if let Some(dir) = corpus("books/mdbook-guide/guide") {
        let out = common::scratch("real-mdbook-guide");
        let c = counts(&dir, &out);
        assert_eq!(c.images.0, c.images.1, "mdbook guide: {c:?}");
        assert_eq!(c.notes.0, c.notes.1, "mdbook guide: {c:?}");
        assert!(c.chapters > 20, "mdbook guide: {c:?}");
    }
}

/// Every note the EPUB holds is in the PDF too: each aside's first words
/// (letters only, so line-end hyphens and punctuation do not matter) are
/// in the PDF's text.
fn print_has_every_note(out: &std::path::Path) {
    if !common::tool("pdftotext") {
        return;
    }
    let file = |ext: &str| {
        std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
    };
    let Some(pdf) = file("pdf") else {
        panic!("no PDF in {}", out.display());
    };
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let text = letters(&common::run(
        "pdftotext",
        &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    ));
    let epub = file("epub").unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut missing = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut xhtml = String::new();
        if std::io::Read::read_to_string(&mut f, &mut xhtml).is_err() {
            continue;
        }
        for aside in xhtml.split("epub:type=\"footnote\"").skip(1) {
            // The note's text after its number link, tags removed.
            let body = aside.split("</a>").nth(1).unwrap_or("");
            let mut plain = String::new();
            let mut in_tag = false;
            for c in body.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => plain.push(c),
                    _ => {}
                }
            }
            let opening: String = letters(
                &plain
                    .replace("&amp;", "&")
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            if !opening.is_empty() && !text.contains(&opening) {
                missing.push(opening);
            }
        }
    }
    assert!(missing.is_empty(), "notes not in the PDF: {missing:?}");
}
