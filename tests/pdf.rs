//! The sample book built to PDF and checked with outside tools: `qpdf
//! --check` (structure), `pdffonts` (every font embedded and subset),
//! `pdftotext` (the book's words come out in order, ligatures as letters),
//! `qpdf --json` (nested outline, roman then arabic page labels), plus a
//! byte-identical rebuild. Install the tools with
//! `scripts/install-pdf-test-deps.sh`. A missing tool skips loudly; under
//! `CI=true` it fails.

mod common;

use std::process::Command;

use samizdat::doc::{Block, Book};
use samizdat::pdf::{self, PdfMeta};
use samizdat::style::PrintStyle;
use samizdat::typeset::{self, Fonts};

fn tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .or_else(|_| Command::new(name).arg("-v").output())
        .is_ok();
    if !found {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("`{name}` is missing, and CI=true (run scripts/install-pdf-test-deps.sh)");
        }
        eprintln!(
            "\n*** SKIPPED: `{name}` is not installed; run scripts/install-pdf-test-deps.sh ***\n"
        );
    }
    found
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn build_sample() -> (Book, Vec<u8>, usize) {
    let project = samizdat::load::load(&common::root().join("book")).expect("book loads");
    let fonts = Fonts::bundled();
    let style = PrintStyle::load(&common::root().join("styles/pamphlet.toml")).unwrap();
    let mut warnings = Vec::new();
    let pages = typeset::typeset(
        &project.book,
        &style,
        &fonts,
        &project.content_dir,
        Some(1_700_000_000),
        &mut warnings,
    )
    .expect("typesets");
    assert!(
        warnings.iter().all(|w| !w.message.contains("overfull")),
        "{warnings:#?}"
    );
    let meta = PdfMeta {
        title: project.book.meta.title.clone(),
        authors: project.book.meta.authors.clone(),
        language: project.book.meta.language.clone(),
        description: None,
        keywords: vec![],
        date: Some(1_700_000_000),
        identifier: project.book.meta.identifier.clone(),
    };
    let bytes = pdf::write(&pages, &fonts, &meta).expect("writes");
    (project.book, bytes, pages.len())
}

/// Letters only, lower case: what survives any hyphenation, note markers
/// and punctuation on both sides.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '—' || c == '–' || c == '/')
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphabetic() || *c == '\u{1}')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn block_text(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Para { content, .. } | Block::Heading { content, .. } => {
                out.push_str(&samizdat::doc::plain_text(content));
                out.push('\n');
            }
            Block::BlockQuote { blocks, .. } => block_text(blocks, out),
            Block::List { items, .. } => {
                for i in items {
                    block_text(&i.blocks, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn pdf_sample_book_passes_the_tools() {
    let (book, bytes, pages) = build_sample();
    assert!(pages > 10);
    let dir = common::scratch("pdf-sample");
    let file = dir.join("book.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let path = file.to_str().unwrap();

    if tool("qpdf") {
        run("qpdf", &["--check", path]);
        let json = run("qpdf", &["--json", path]);
        check_outline_and_labels(&json, &book);
    }
    if tool("pdffonts") {
        let listing = run("pdffonts", &[path]);
        let rows: Vec<&str> = listing.lines().skip(2).collect();
        assert!(!rows.is_empty());
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type… encoding emb sub uni object id
            let n = cols.len();
            assert_eq!(cols[n - 5], "yes", "not embedded: {row}");
            assert_eq!(cols[n - 4], "yes", "not subset: {row}");
            assert_eq!(cols[n - 3], "yes", "no ToUnicode: {row}");
        }
    }
    if tool("pdftotext") {
        let text = run("pdftotext", &["-raw", "-enc", "UTF-8", path, "-"]);
        assert!(
            !text.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)),
            "ligature code points in the text"
        );
        // Every word of the book, in order (notes and folios may come between;
        // `-raw` keeps the content order, which is reading order here).
        // A hyphen at a line end marks a word that goes on on the next line
        // (or the next page, after the notes and the folio).
        let got = words(&text.replace("-\n", "\u{1}\n"));
        let mut expected = String::new();
        for ch in book.chapters() {
            expected.push_str(&samizdat::doc::plain_text(&ch.title));
            expected.push('\n');
            block_text(&ch.blocks, &mut expected);
        }
        let want = words(&expected);
        let mut at = 0;
        for (k, w) in want.iter().enumerate() {
            let found = got[at..].iter().enumerate().find_map(|(p, g)| {
                if g == w {
                    return Some(at + p + 1);
                }
                let head = g.strip_suffix('\u{1}')?;
                let tail = w.strip_prefix(head)?;
                let q = got[at + p + 1..].iter().position(|t| t == tail)?;
                Some(at + p + 1 + q + 1)
            });
            match found {
                Some(next) => at = next,
                None => panic!(
                    "word {k} `{w}` not found in order; context: {:?}",
                    &want[k.saturating_sub(8)..(k + 8).min(want.len())]
                ),
            }
        }
        // A ligature-bearing word extracts as its letters.
        assert!(text.contains("significant") || text.contains("first") || text.contains("office"));
    }
}

fn check_outline_and_labels(json: &str, book: &Book) {
    let doc: serde_json::Value = serde_json::from_str(json).expect("qpdf gives JSON");
    // The outline: parts, with their chapters as children, in order.
    let outline = doc["outlines"].as_array().expect("an outline");
    let titles: Vec<&str> = outline.iter().filter_map(|o| o["title"].as_str()).collect();
    for part in book.parts() {
        let title = samizdat::doc::plain_text(&part.title);
        let node = outline
            .iter()
            .find(|o| o["title"].as_str().is_some_and(|t| t.contains(&title)))
            .unwrap_or_else(|| panic!("part `{title}` at the top of the outline: {titles:?}"));
        let kids: Vec<&str> = node["kids"]
            .as_array()
            .expect("part has kids")
            .iter()
            .filter_map(|k| k["title"].as_str())
            .collect();
        assert_eq!(kids.len(), part.chapters.len(), "{kids:?}");
        for (kid, chapter) in kids.iter().zip(&part.chapters) {
            assert!(
                kid.contains(&samizdat::doc::plain_text(&chapter.title)),
                "{kid}"
            );
        }
    }
    // Page labels: roman from the first page, then arabic from 1.
    let labels = doc["pagelabels"].as_array().expect("page labels");
    assert_eq!(labels[0]["index"], 0);
    assert_eq!(labels[0]["label"]["/S"], "/r");
    let arabic = labels
        .iter()
        .find(|l| l["label"]["/S"] == "/D")
        .expect("arabic labels");
    assert_eq!(arabic["label"]["/St"], 1);
}

#[test]
fn pdf_rebuild_is_byte_identical() {
    let (_, a, _) = build_sample();
    let (_, b, _) = build_sample();
    assert!(a == b, "two builds differ");
    assert!(a.starts_with(b"%PDF-"));
}
