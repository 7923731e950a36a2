//! The EPUB writer on books built from Markdown: XHTML, nav, NCX and OPF
//! goldens, reproducibility, and warnings that point into the sources.
//!
//! Goldens live in `tests/golden/epub/<fixture>/<edition>/`; `UPDATE_GOLDEN=1
//! cargo test --test epub` rewrites them (review the diff). The
//! modification time is pinned, so the goldens do not depend on
//! `SOURCE_DATE_EPOCH`.

mod common;

use std::path::Path;

use samizdat::diag::{Location, Warnings};
use samizdat::{build, edition, epub, load};

/// Builds every EPUB edition of the book at `dir`: (edition name, bytes, warnings).
fn build_epubs(dir: &Path) -> Vec<(String, Vec<u8>, Warnings)> {
    let project = load::load(dir).unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
    let editions = edition::resolve(&project, &dir.join("out")).unwrap();
    editions
        .iter()
        .filter_map(|e| match &e.settings {
            edition::Settings::Epub(s) => Some((e, s)),
            edition::Settings::Pdf(_) => None,
        })
        .map(|(e, settings)| {
            let mut opts = build::epub_options(&project, settings, &mut Vec::new()).unwrap();
            opts.modified = "2025-01-01T00:00:00Z".into();
            let mut warnings = Vec::new();
            let bytes = epub::write(&project.book, &opts, &mut warnings)
                .unwrap_or_else(|err| panic!("{}: {:?}", e.name, err.diagnostics()));
            (e.name.clone(), bytes, warnings)
        })
        .collect()
}

#[test]
fn epub_goldens_of_the_every_kind_fixture() {
    let fixture = common::root().join("tests/fixtures/epub-kinds");
    let mut goldens = common::Goldens::default();
    for (name, bytes, _) in build_epubs(&fixture) {
        for (path, data) in common::unzip(&bytes) {
            let Some(file) = path.strip_prefix("EPUB/") else {
                continue;
            };
            let text_file = [".xhtml", ".opf", ".ncx"].iter().any(|e| file.ends_with(e));
            if text_file {
                let golden = common::root()
                    .join("tests/golden/epub/epub-kinds")
                    .join(&name)
                    .join(file);
                goldens.check(&golden, &String::from_utf8(data).unwrap());
            }
        }
    }
    goldens.finish();
}

#[test]
fn epub_rebuild_is_byte_identical() {
    let fixture = common::root().join("tests/fixtures/epub-kinds");
    let first = build_epubs(&fixture);
    let second = build_epubs(&fixture);
    for ((name, a, _), (_, b, _)) in first.iter().zip(&second) {
        assert!(a == b, "edition {name} differs between two builds");
    }
}

#[test]
fn epub_package_starts_with_stored_mimetype_and_lists_images() {
    let fixture = common::root().join("tests/fixtures/epub-kinds");
    let (_, bytes, _) = build_epubs(&fixture).remove(0);
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..58], b"application/epub+zip");
    let files = common::unzip(&bytes);
    let opf = files
        .iter()
        .find(|(p, _)| p == "EPUB/package.opf")
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .unwrap();
    for (href, mime) in [
        ("images/red-square.png", "image/png"),
        ("images/blue.jpg", "image/jpeg"),
        ("images/blue.gif", "image/gif"),
        ("images/blue.webp", "image/webp"),
        ("images/diagram.svg", "image/svg+xml"),
    ] {
        assert!(
            opf.contains(&format!("href=\"{href}\" media-type=\"{mime}\"")),
            "{href} as {mime}"
        );
        assert!(files.iter().any(|(p, _)| *p == format!("EPUB/{href}")));
    }
}

#[test]
fn epub_raw_html_warnings_point_at_the_source_line() {
    let fixture = common::root().join("tests/fixtures/epub-kinds");
    let project = load::load(&fixture).unwrap();
    let (_, _, warnings) = build_epubs(&fixture).remove(0);
    let lines: Vec<String> = warnings
        .iter()
        .map(|w| {
            let Location::Span(span) = w.location else {
                panic!("warning without a span: {}", w.message);
            };
            let file = project.sources.get(span.file);
            let (line, _) = file.line_col(span.start);
            format!("{}:{line}: {}", file.path.display(), w.message)
                .replace('\\', "/")
                .rsplit("epub-kinds/")
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        lines,
        [
            "part-two/raw.md:5: raw HTML: removed onclick attribute",
            "part-two/raw.md:11: raw HTML: removed <script> element and its content",
            "part-two/raw.md:11: raw HTML: removed javascript: URL",
            "part-two/raw.md:13: raw HTML: removed unknown element <center> (its content is kept)",
            "part-two/raw.md:20: raw HTML: removed <iframe> element and its content",
        ]
    );
}

#[test]
fn epub_of_the_sample_book_builds_without_warnings() {
    let book = common::root().join("book");
    for (name, bytes, warnings) in build_epubs(&book) {
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        let files = common::unzip(&bytes);
        let chapters = files.iter().filter(|(p, _)| p.contains("/ch")).count();
        assert_eq!(chapters, 15, "{name}: one document per chapter");
    }
}
