//! Real Markdown nobody here wrote: every example of the CommonMark
//! specification as a one-chapter book through the whole pipeline, all of
//! them as one book, and the whole specification in every edition format.
//! The specification is kept in `tests/commonmark/`. EPUBCheck runs on
//! the EPUBs of both books in `tests/epubcheck.rs`.

mod common;

use std::panic::AssertUnwindSafe;

use common::*;

/// Each example, alone as a book: load → EPUB (XML well-formed) →
/// typesetting (nothing off the page) → PDF, with no panic. The only
/// refusals allowed are for images the examples cite and nobody has.
#[test]
fn commonmark_examples_each_go_through_both_backends() {
    let examples = commonmark::examples();
    let fonts = samizdat::typeset::Fonts::bundled();
    let dir = scratch("commonmark-each");
    let mut failures = Vec::new();
    let mut refused = Vec::new();
    for (n, markdown) in &examples {
        let ran = std::panic::catch_unwind(AssertUnwindSafe(|| {
            pipeline::run_markdown(&dir, markdown, &fonts)
        }));
        match ran {
            Err(_) => failures.push(format!("example {n} panicked:\n{markdown}")),
            Ok(Err(e)) => failures.push(format!("example {n}: {e}\n{markdown}")),
            Ok(Ok(ran)) => {
                if let Some(why) = ran.refused {
                    refused.push((n, why));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for (n, why) in &refused {
        assert!(why.contains("image"), "example {n} refused: {why}");
    }
    eprintln!(
        "{} CommonMark examples built to EPUB and PDF; {} refused for missing images",
        examples.len() - refused.len(),
        refused.len()
    );
}

/// All the examples (but those citing missing images) as one book of one
/// chapter each, built by the command line: the EPUB's XML is well-formed
/// and `qpdf --check` accepts the PDF.
#[test]
fn commonmark_examples_as_one_book_build_to_epub_and_pdf() {
    let dir = scratch("commonmark-book");
    let (book, left_out) = commonmark::examples_book(&dir);
    for (n, why) in &left_out {
        assert!(why.contains("image"), "example {n} left out: {why}");
    }
    assert!(left_out.len() < 40, "{} examples left out", left_out.len());
    let out = samizdat(&["build", "-q", book.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let epub = std::fs::read(book.join("out/commonmark-examples-ereader.epub")).unwrap();
    pipeline::check_epub(&epub).unwrap();
    let pdf = book.join("out/commonmark-examples-print.pdf");
    if tool("qpdf") {
        run("qpdf", &["--check", pdf.to_str().unwrap()]);
    }
}

/// The whole specification (some 26,000 words of prose, code and raw HTML)
/// builds in every edition format: EPUB, A5 PDF, imposed A4 booklet and
/// large print; every PDF passes `qpdf --check`.
#[test]
fn commonmark_spec_builds_in_every_edition() {
    let dir = scratch("commonmark-spec");
    let book = commonmark::spec_book(&dir);
    let out = samizdat(&["build", "-q", book.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let epub = std::fs::read(book.join("out/commonmark-spec-ereader.epub")).unwrap();
    pipeline::check_epub(&epub).unwrap();
    for edition in ["pamphlet", "booklet", "large-print"] {
        let pdf = book.join(format!("out/commonmark-spec-{edition}.pdf"));
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
        if tool("qpdf") {
            run("qpdf", &["--check", pdf.to_str().unwrap()]);
        }
    }
    if tool("pdftotext") {
        let pdf = book.join("out/commonmark-spec-pamphlet.pdf");
        let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(text.contains("What is Markdown?"), "the text is not there");
    }
}
