//! Editions and batch builds: the sample book's four editions from one
//! command, the booklet's sheets, shards, and the summary table.

mod common;

use common::*;

fn pdfinfo(path: &str) -> (usize, String) {
    let info = run("pdfinfo", &[path]);
    let field = |name: &str| {
        info.lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    (field("Pages:").parse().unwrap(), field("Page size:"))
}

#[test]
fn sample_book_builds_every_pdf_edition_and_the_booklet_is_imposed() {
    if !tool("pdfinfo") || !tool("qpdf") || !tool("pdftotext") {
        return;
    }
    let out = scratch("editions-sample");
    let o = out.to_str().unwrap();
    let build = samizdat(&[
        "build",
        "book",
        "--out",
        o,
        "-e",
        "pamphlet",
        "-e",
        "booklet",
        "-e",
        "large-print",
    ]);
    let err = stderr(&build);
    assert!(build.status.success(), "{err}");
    // The summary table names every edition with its pages.
    for name in ["pamphlet", "booklet", "large-print"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(name) && l.contains(".pdf")),
            "{err}"
        );
    }
    let file = |e: &str| format!("{o}/thermidor-and-the-party-{e}.pdf");
    for e in ["pamphlet", "booklet", "large-print"] {
        run("qpdf", &["--check", &file(e)]);
    }
    let (pages, size) = pdfinfo(&file("pamphlet"));
    assert!(size.starts_with("419.5"), "A5: {size}");
    let (sheets, sheet_size) = pdfinfo(&file("booklet"));
    assert!(
        sheet_size.starts_with("841.89 x 595.27"),
        "A4 landscape: {sheet_size}"
    );
    assert_eq!(sheets, pages.div_ceil(4) * 2, "two sides per sheet");
    let (_, big) = pdfinfo(&file("large-print"));
    assert!(big.contains("(A4)"), "{big}");

    // Sheet 1 front: the last (blank) page on the left, page 1 (the title) on
    // the right; its back: page 2 on the left.
    let half = |side: &str, left: bool| {
        let x = if left { "0" } else { "421" };
        run(
            "pdftotext",
            &[
                "-f",
                side,
                "-l",
                side,
                "-x",
                x,
                "-y",
                "0",
                "-W",
                "421",
                "-H",
                "596",
                &file("booklet"),
                "-",
            ],
        )
    };
    let page_text = |n: usize| {
        let n = n.to_string();
        run("pdftotext", &["-f", &n, "-l", &n, &file("pamphlet"), "-"])
    };
    let first_words = |t: &str| t.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    assert_eq!(first_words(&half("1", false)), first_words(&page_text(1)));
    assert_eq!(first_words(&half("2", true)), first_words(&page_text(2)));
    // The middle sheet's inner side holds the two middle pages in order.
    let middle = pages.div_ceil(4) * 4 / 2;
    let inner_side = (pages.div_ceil(4) * 2).to_string();
    if middle < pages {
        assert_eq!(
            first_words(&half(&inner_side, true)),
            first_words(&page_text(middle))
        );
        assert_eq!(
            first_words(&half(&inner_side, false)),
            first_words(&page_text(middle + 1))
        );
    }
    // Imposition moves vector content: fonts stay embedded subsets.
    let fonts = run("pdffonts", &[&file("booklet")]);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(cols[0].contains('+'), "not a subset: {line}");
    }
}

#[test]
fn shards_split_the_catalogue_without_overlap() {
    let mut built = Vec::new();
    for k in 1..=3 {
        let out = scratch(&format!("shard-{k}"));
        let b = samizdat(&[
            "build",
            "--shard",
            &format!("{k}/3"),
            "--out",
            out.to_str().unwrap(),
            "tests/fixtures/forms/ours",
            "tests/fixtures/links",
            "-e",
            "pamphlet",
        ]);
        assert!(b.status.success(), "{}", stderr(&b));
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        built.push(names);
    }
    // Two books × one edition over three shards: one each, one empty.
    assert_eq!(built[0], ["forms-pamphlet.pdf"]);
    assert_eq!(built[1], ["links-pamphlet.pdf"]);
    assert!(built[2].is_empty());
    assert_eq!(
        samizdat(&["build", "--shard", "4/3", "book"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_failing_book_does_not_stop_the_others() {
    let out = scratch("failing-book");
    let b = samizdat(&[
        "build",
        "-q",
        "--out",
        out.to_str().unwrap(),
        "tests/fixtures/broken",
        "tests/fixtures/forms/ours",
        "-e",
        "pamphlet",
    ]);
    assert_eq!(b.status.code(), Some(1));
    let err = stderr(&b);
    assert!(err.contains("[^missing] has no definition"), "{err}");
    assert!(!err.contains("edition "), "--quiet prints no table: {err}");
    assert!(out.join("forms-pamphlet.pdf").exists());
}

#[test]
fn builds_are_byte_identical_whatever_the_parallelism() {
    let files = |jobs: &str| {
        let out = scratch(&format!("determinism-{jobs}"));
        let b = samizdat(&[
            "build",
            "-q",
            "book",
            "--jobs",
            jobs,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(b.status.success(), "{}", stderr(&b));
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let one = files("1");
    assert_eq!(one.len(), 4, "four editions");
    assert!(one == files("4"), "--jobs 1 and --jobs 4 differ");
}

#[test]
fn crop_marks_give_trim_and_bleed_boxes() {
    if !tool("pdfinfo") || !tool("qpdf") {
        return;
    }
    let dir = scratch("crop-marks");
    for f in ["one.md", "two.md"] {
        std::fs::copy(
            root().join("tests/fixtures/forms/ours").join(f),
            dir.join(f),
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Marks\"\n\n[contents]\nchapters = [\"one.md\", \"two.md\"]\n\n[edition.print]\nformat = \"pdf\"\ncrop-marks = true\nbleed = \"3mm\"\n",
    )
    .unwrap();
    let b = samizdat(&["build", "-q", dir.to_str().unwrap()]);
    assert!(b.status.success(), "{}", stderr(&b));
    let pdf = dir.join("out/marks-print.pdf");
    run("qpdf", &["--check", pdf.to_str().unwrap()]);
    let info = run("pdfinfo", &["-box", pdf.to_str().unwrap()]);
    let numbers = |name: &str| -> Vec<f64> {
        let line = info
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {info}"));
        line[name.len()..]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect()
    };
    let mm = 72.0 / 25.4;
    let slug = (3.0 + 5.0 + 1.0) * mm;
    let media = numbers("MediaBox:");
    let trim = numbers("TrimBox:");
    let bleed = numbers("BleedBox:");
    // A5 inside the slug.
    assert!(
        (media[2] - (148.0 * mm + 2.0 * slug)).abs() < 0.1,
        "{media:?}"
    );
    assert!(
        (trim[0] - slug).abs() < 0.1 && (trim[2] - trim[0] - 148.0 * mm).abs() < 0.1,
        "{trim:?}"
    );
    assert!((trim[3] - trim[1] - 210.0 * mm).abs() < 0.1, "{trim:?}");
    assert!((trim[0] - bleed[0] - 3.0 * mm).abs() < 0.1, "{bleed:?}");
}

/// The unzipped text of `name` in an EPUB.
fn epub_file(epub: &std::path::Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut s).unwrap();
    s
}

#[test]
fn ereader_marks_the_pamphlet_pages_at_the_words_that_start_them() {
    if !tool("pdftotext") || !tool("pdfinfo") {
        return;
    }
    let out = scratch("page-list");
    let o = out.to_str().unwrap();
    let b = samizdat(&[
        "build", "-q", "book", "-e", "ereader", "-e", "pamphlet", "--out", o,
    ]);
    assert!(b.status.success(), "{}", stderr(&b));
    let epub = out.join("thermidor-and-the-party-ereader.epub");
    let pdf = out.join("thermidor-and-the-party-pamphlet.pdf");
    let nav = epub_file(&epub, "EPUB/nav.xhtml");
    let list = nav
        .split("epub:type=\"page-list\"")
        .nth(1)
        .expect("a page-list nav");
    let entries: Vec<(String, String)> = list
        .split("<li><a href=\"")
        .skip(1)
        .map(|e| {
            let (href, rest) = e.split_once("\">").unwrap();
            (
                href.to_string(),
                rest.split('<').next().unwrap().to_string(),
            )
        })
        .collect();
    assert!(entries.len() >= 20, "{} pages listed", entries.len());
    let opf = epub_file(&epub, "EPUB/package.opf");
    assert!(opf.contains("printPageNumbers"));
    assert!(opf.contains("<meta property=\"pageBreakSource\">"));
    // Each page's label, from the PDF's page labels (krilla writes one
    // entry per page: /S and /St give the label).
    let json: serde_json::Value =
        serde_json::from_str(&run("qpdf", &["--json", pdf.to_str().unwrap()])).unwrap();
    let labels: Vec<String> = json["pagelabels"]
        .as_array()
        .expect("page labels")
        .iter()
        .map(|l| {
            let n = l["label"]["/St"].as_u64().unwrap_or(1) as u32;
            match l["label"]["/S"].as_str() {
                Some("/r") => samizdat::roman::lower(n),
                _ => n.to_string(),
            }
        })
        .collect();
    let (pages, _) = pdfinfo(pdf.to_str().unwrap());
    assert_eq!(labels.len(), pages, "one label entry per page");
    let letters = |s: &str| -> String { s.chars().filter(|c| c.is_alphabetic()).collect() };
    let mut checked = 0;
    for (href, label) in &entries {
        let (file, id) = href.split_once('#').unwrap();
        let xhtml = epub_file(&epub, &format!("EPUB/{file}"));
        let marker = format!("id=\"{id}\" title=\"{label}\"");
        assert_eq!(xhtml.matches(&marker).count(), 1, "{href}");
        // The text after the marker, tags and soft hyphens dropped …
        let after = xhtml.split(&marker).nth(1).unwrap();
        let after = after.split_once('>').unwrap().1;
        let mut text = String::new();
        let mut in_tag = false;
        for c in after.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                '\u{ad}' => {}
                c if !in_tag => text.push(c),
                _ => {}
            }
            if text.len() > 200 {
                break;
            }
        }
        // … is how that page of the pamphlet begins, after its running head.
        let index = labels
            .iter()
            .position(|l| l == label)
            .expect("label in the PDF")
            + 1;
        let n = index.to_string();
        let page = run(
            "pdftotext",
            &["-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"],
        );
        let body = page.replace('\u{ad}', "").replace("-\n", "");
        // Skip the running head (or the chapter title on an opening page):
        // the first body line holds the marked words.
        let wanted: String = letters(&text).chars().take(16).collect();
        let head: String = letters(&body).chars().take(120).collect();
        assert!(
            head.contains(&wanted),
            "page {label}: EPUB marker before {:?}, PDF page {n} reads {:?}",
            &text[..60.min(text.len())],
            &page[..200.min(page.len())]
        );
        checked += 1;
    }
    assert_eq!(checked, entries.len());
}

/// A character no font has passes in an untagged edition (with a warning)
/// but PDF/UA-1 forbids the blank box: the tagged edition fails with an
/// error at the character's line, and no half-written file is left.
#[test]
fn tagged_edition_reports_what_pdf_ua_forbids_at_its_line() {
    let dir = scratch("tagged-notdef");
    std::fs::write(
        dir.join("one.md"),
        "# One\n\nA glyph \u{e000} no font has.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Bad\"\nlanguage = \"en\"\n\n[contents]\nchapters = [\"one.md\"]\n\n[edition.plain]\nformat = \"pdf\"\n\n[edition.ua]\nformat = \"pdf\"\ntagged = true\n",
    )
    .unwrap();
    let b = samizdat(&["build", "-q", dir.to_str().unwrap()]);
    assert_eq!(b.status.code(), Some(1), "{}", stderr(&b));
    let err = stderr(&b);
    assert!(
        err.contains("one.md:3:1: error: PDF output: a character no font has"),
        "{err}"
    );
    assert!(err.contains("PDF/UA-1 forbids"), "{err}");
    assert!(dir.join("out/bad-plain.pdf").exists());
    assert!(!dir.join("out/bad-ua.pdf").exists());
}
