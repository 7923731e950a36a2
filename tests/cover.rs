//! The generated cover of a book that names none: a 1600×2400 PNG rendered
//! from the drawn SVG, the OPF's `cover-image`, shown by the cover page,
//! the same bytes on every build.

mod common;

use common::{book_of, samizdat, stderr, unzip};

fn build(dir: &std::path::Path, out: &str) -> Vec<u8> {
    let o = samizdat(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        dir.join(out).to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read(dir.join(out).join("mutual-aid-e.epub")).unwrap()
}

#[test]
fn a_book_without_a_cover_gets_a_png_cover_image() {
    let dir = book_of(
        "generated-cover",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"Mutual Aid\"\nsubtitle = \"A Factor of Evolution\"\n\
                  authors = [\"Peter Kropotkin\"]\nlanguage = \"en\"\n\
                  [contents]\nchapters = [\"one.md\"]\n[edition.e]\nformat = \"epub\"\n",
            ),
            ("one.md", b"# One\n\nText.\n"),
        ],
    );
    let epub = build(&dir, "a");
    let files = unzip(&epub);
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let opf = String::from_utf8(get("EPUB/package.opf")).unwrap();
    assert!(
        opf.contains(
            "<item id=\"cover-image\" href=\"images/cover.png\" media-type=\"image/png\" properties=\"cover-image\"/>"
        ),
        "{opf}"
    );
    assert!(opf.contains("<meta name=\"cover\" content=\"cover-image\"/>"));
    assert!(!opf.contains("cover.svg"), "{opf}");
    let cover = String::from_utf8(get("EPUB/cover.xhtml")).unwrap();
    assert!(cover.contains("src=\"images/cover.png\""), "{cover}");
    let png = get("EPUB/images/cover.png");
    let reader = png::Decoder::new(std::io::Cursor::new(&png))
        .read_info()
        .unwrap();
    let info = reader.info();
    assert_eq!((info.width, info.height), (1600, 2400));
    // Built again: the same bytes.
    assert_eq!(build(&dir, "b"), epub);
}
