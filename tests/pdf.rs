//! The sample book built to PDF and checked with outside tools: `qpdf
//! --check` (structure), `pdffonts` (every font embedded and subset),
//! `pdftotext` (the book's words come out in order, ligatures as letters),
//! `qpdf --json` (nested outline, roman then arabic page labels; the
//! structure tree of the tagged PDF/UA-1 + PDF/A-2b build), plus
//! byte-identical rebuilds. Install the tools with
//! `scripts/install-test-deps.sh`. A missing tool skips loudly; under
//! `CI=true` it fails.

mod common;

use common::{run, tool};

use samizdat::doc::{Block, Book, Inline};
use samizdat::pdf::{self, PdfMeta};
use samizdat::style::PrintStyle;
use samizdat::typeset::{self, Fonts};

fn build_sample() -> (Book, Vec<u8>, usize) {
    build(&common::root().join("book"))
}

fn build(dir: &std::path::Path) -> (Book, Vec<u8>, usize) {
    build_with(dir, false, None)
}

fn build_with(
    dir: &std::path::Path,
    tagged: bool,
    pdf_a: Option<samizdat::edition::PdfA>,
) -> (Book, Vec<u8>, usize) {
    let project = samizdat::load::load(dir).expect("book loads");
    let fonts = Fonts::bundled();
    let style = PrintStyle::load(&common::root().join("styles/pamphlet.toml")).unwrap();
    let mut warnings = Vec::new();
    let pages = typeset::typeset(
        &project.book,
        &style,
        &fonts,
        &project.files,
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
        trim: None,
        tagged,
        pdf_a,
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
        words_in_order(&text, &book);
        // A ligature-bearing word extracts as its letters.
        assert!(text.contains("significant") || text.contains("first") || text.contains("office"));
    }
}

/// Every word of the book, in order (notes and folios may come between;
/// `-raw` keeps the content order, which is reading order here). A hyphen
/// at a line end marks a word that goes on on the next line (or the next
/// page, after the notes and the folio).
fn words_in_order(text: &str, book: &Book) {
    {
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
    }
}

/// The tagged build: marked, with a structure tree whose chapters each
/// open with a heading (H1, H2 in a part) and hold paragraphs, notes with
/// their labels, links with their annotations; krilla's PDF/UA-1 and
/// PDF/A-2b validators
/// accepted it (`pdf::write` fails otherwise); the text still extracts in
/// order and a rebuild is byte-identical.
#[test]
fn pdf_tagged_sample_book_has_a_structure_tree() {
    let dir = common::root().join("book");
    let a2b = Some(samizdat::edition::PdfA::A2b);
    let (book, bytes, _) = build_with(&dir, true, a2b);
    let (_, again, _) = build_with(&dir, true, a2b);
    assert!(bytes == again, "two tagged builds differ");
    let scratch = common::scratch("pdf-tagged");
    let file = scratch.join("book.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let path = file.to_str().unwrap();
    if tool("qpdf") {
        run("qpdf", &["--check", path]);
        let json = run("qpdf", &["--json", "--json-stream-data=none", path]);
        let doc: serde_json::Value = serde_json::from_str(&json).expect("qpdf gives JSON");
        let objects = &doc["qpdf"][1];
        let get = |v: &serde_json::Value| -> serde_json::Value {
            match v.as_str() {
                Some(r) if r.ends_with(" R") => objects[format!("obj:{r}")]["value"].clone(),
                _ => v.clone(),
            }
        };
        let root = get(&objects["trailer"]["value"]["/Root"]);
        assert_eq!(root["/MarkInfo"]["/Marked"], true, "{root}");
        assert_eq!(root["/Lang"], format!("u:{}", book.meta.language));
        assert_eq!(root["/ViewerPreferences"]["/DisplayDocTitle"], true);
        // Walk the tree: the types of the elements, depth first.
        let mut kinds: Vec<(usize, String)> = Vec::new();
        let mut stack = vec![(0, root["/StructTreeRoot"].clone())];
        while let Some((depth, node)) = stack.pop() {
            let node = get(&node);
            if let Some(s) = node["/S"].as_str() {
                kinds.push((depth, s.to_string()));
            }
            match &node["/K"] {
                serde_json::Value::Array(kids) => {
                    stack.extend(kids.iter().rev().map(|k| (depth + 1, k.clone())))
                }
                k @ serde_json::Value::String(_) => stack.push((depth + 1, k.clone())),
                _ => {}
            }
        }
        let count = |s: &str| kinds.iter().filter(|k| k.1 == s).count();
        assert_eq!(kinds.first().map(|k| k.1.as_str()), Some("/Document"));
        // One H1 per part and per chapter outside parts (and the contents,
        // the notes); the chapters of a part open with an H2.
        let in_parts: usize = book.parts().map(|p| p.chapters.len()).sum();
        assert!(in_parts > 0);
        let h1 = book.chapters().count() - in_parts + book.parts().count();
        assert!(count("/H1") >= h1, "{kinds:?}");
        assert!(count("/H2") >= in_parts, "{kinds:?}");
        assert!(count("/Sect") >= book.chapters().count());
        assert!(count("/P") > 50);
        assert_eq!(count("/Note"), count("/Lbl"), "each note has its label");
        assert!(count("/Note") > 0 && count("/Link") > 0 && count("/TOCI") > 0);
        // Every chapter's section opens with its title: an H1, or an H2
        // in a part (whose own title is the H1).
        for (k, (depth, s)) in kinds.iter().enumerate() {
            if s == "/Sect" {
                let parent = kinds[..k].iter().rev().find(|p| p.0 + 1 == *depth);
                let h = match parent {
                    Some((_, p)) if p == "/Part" => "/H2",
                    _ => "/H1",
                };
                assert_eq!(kinds[k + 1], (depth + 1, h.to_string()), "{kinds:?}");
            }
        }
    }
    if tool("pdfinfo") {
        assert!(run("pdfinfo", &[path]).contains("Tagged:          yes"));
    }
    if tool("pdftotext") {
        let text = run("pdftotext", &["-raw", "-enc", "UTF-8", path, "-"]);
        words_in_order(&text, &book);
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

/// Letters only, lower case: a page's text or a phrase, as a string that
/// survives hyphenation, note numbers and line ends.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every note in the book, in order: (letters just before its marker,
/// letters just after it, the first letters of the note).
fn note_contexts(blocks: &[Block], out: &mut Vec<(String, String, String)>) {
    fn walk(inlines: &[Inline], text: &mut String, marks: &mut Vec<(usize, String)>) {
        for inline in inlines {
            match inline {
                Inline::Text { text: t, .. } | Inline::Code { text: t, .. } => text.push_str(t),
                Inline::Emph { content, .. }
                | Inline::Strong { content, .. }
                | Inline::Strikeout { content, .. }
                | Inline::Link { content, .. } => walk(content, text, marks),
                Inline::SoftBreak { .. } => text.push(' '),
                Inline::Note { blocks, .. } => {
                    let mut note = String::new();
                    block_text(blocks, &mut note);
                    marks.push((text.len(), note));
                }
                _ => {}
            }
        }
    }
    for b in blocks {
        match b {
            Block::Para { content, .. } => {
                let mut text = String::new();
                let mut marks = Vec::new();
                walk(content, &mut text, &mut marks);
                for (at, note) in marks {
                    let before = letters(&text[..at]);
                    let after = letters(&text[at..]);
                    let b = before[before.len().saturating_sub(24)..].to_string();
                    let a: String = after.chars().take(24).collect();
                    let n: String = letters(&note).chars().take(32).collect();
                    out.push((b, a, n));
                }
            }
            Block::BlockQuote { blocks, .. } => note_contexts(blocks, out),
            Block::List { items, .. } => {
                for i in items {
                    note_contexts(&i.blocks, out);
                }
            }
            _ => {}
        }
    }
}

/// The letters of each page, from `pdftotext -f N -l N`.
fn page_letters(path: &str, pages: usize) -> Vec<String> {
    (1..=pages)
        .map(|n| {
            let n = n.to_string();
            letters(&run(
                "pdftotext",
                &["-f", &n, "-l", &n, "-enc", "UTF-8", path, "-"],
            ))
        })
        .collect()
}

#[test]
fn pdf_notes_start_on_the_page_of_their_reference() {
    if !tool("pdftotext") {
        return;
    }
    let (book, bytes, pages) = build_sample();
    let dir = common::scratch("pdf-notes");
    let file = dir.join("book.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let text = page_letters(file.to_str().unwrap(), pages);
    let mut notes = Vec::new();
    for ch in book.chapters() {
        note_contexts(&ch.blocks, &mut notes);
    }
    for part in book.parts() {
        note_contexts(&part.intro, &mut notes);
    }
    assert!(notes.len() >= 20, "{}", notes.len());
    for (before, after, note) in &notes {
        // The marker's page: where the words around it are, or, when a
        // page ends at the marker, where the words before it are.
        let marker = text
            .iter()
            .position(|t| t.contains(&format!("{before}{after}")))
            .or_else(|| text.iter().position(|t| t.contains(before.as_str())))
            .unwrap_or_else(|| panic!("marker after `{before}` not found"));
        assert!(
            text[marker].contains(note.as_str()),
            "note `{note}` does not start on page {} with its marker after `{before}`",
            marker + 1
        );
    }
}

#[test]
fn pdf_long_note_runs_over_and_keeps_every_word() {
    if !tool("pdftotext") {
        return;
    }
    let (_, bytes, pages) = build(&common::root().join("tests/fixtures/long-note"));
    let dir = common::scratch("pdf-long-note");
    let file = dir.join("long.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let text = page_letters(file.to_str().unwrap(), pages);
    let page = |s: &str| {
        text.iter()
            .position(|t| t.contains(s))
            .unwrap_or_else(|| panic!("`{s}` not found"))
    };
    // The first long note starts under its marker and ends on the next page.
    let cited = page("herethefirstlongnoteiscited");
    assert_eq!(page("longnotebegins"), cited);
    assert_eq!(page("longnoteends"), cited + 1);
    // The note longer than a page starts under its marker, goes on over
    // more than one page, and loses nothing.
    let cited = page("hereanotelongerthanapageiscited");
    assert_eq!(page("hugenotebegins"), cited);
    assert!(page("hugenoteends") > cited);
    // Forty repetitions; one may straddle the page break, where the next
    // page's body text comes between its halves.
    let all: String = text.concat();
    assert!(all.matches("thisnotegoesonandon").count() >= 39);
    assert_eq!(all.matches("everywordofitmustsurvive").count(), 40);
    assert_eq!(page("shortnote"), page("andashortoneendsthechapter"));
}
