//! Figures in both formats, built with the real binary: an image alone in
//! its paragraph (PNG, SVG, WebP) and a raw HTML `<figure>` (GIF) each come
//! out as a figure with its caption under it, in the EPUB as
//! `<figure>`/`<figcaption>` and in the PDF as the image (the SVG as
//! vectors) with the caption's words on the image's own page; nothing is
//! replaced by its alt text.

mod common;

use std::path::Path;

use common::{book_of, run, samizdat, stderr, tool, unzip};

const BODY: &str = "Body text runs on for a while here, and then some more of it. ";

fn image(name: &str) -> Vec<u8> {
    std::fs::read(Path::new("tests/fixtures/epub-kinds/images").join(name)).unwrap()
}

/// A book whose one chapter, in `chapters/`, holds four figures among
/// paragraphs long enough to need several pages.
fn figures_book() -> std::path::PathBuf {
    let body = BODY.repeat(14);
    let md = format!(
        "# One\n\n{body}\n\n![A red square](../images/red%20square.png)\n\n{body}\n\n{body}\n\n\
         ![A diagram](../images/diagram.svg \"The diagram's own caption\")\n\n{body}\n\n\
         <figure>\n<img src=\"../images/blue.gif\" alt=\"A blue GIF\">\n\
         <figcaption>Blue, in <em>GIF</em></figcaption>\n</figure>\n\n{body}\n\n\
         ![A blue WebP](../images/blue.webp)\n\n{body}\n"
    );
    let (png, svg, gif, webp) = (
        image("red square.png"),
        image("diagram.svg"),
        image("blue.gif"),
        image("blue.webp"),
    );
    book_of(
        "figures-book",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"F\"\nlanguage = \"en\"\n[contents]\nchapters = [\"chapters/one.md\"]\n\
                  [edition.print]\nformat = \"pdf\"\n[edition.e]\nformat = \"epub\"\n",
            ),
            ("chapters/one.md", md.as_bytes()),
            ("images/red square.png", &png),
            ("images/diagram.svg", &svg),
            ("images/blue.gif", &gif),
            ("images/blue.webp", &webp),
        ],
    )
}

#[test]
fn figures_have_their_captions_in_both_formats() {
    let dir = figures_book();
    let out = samizdat(&["build", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("alt text is set instead"), "{err}");
    assert!(!err.contains("left out of print"), "{err}");

    // The EPUB: each a figure with its caption.
    let epub = std::fs::read(dir.join("out/f-e.epub")).unwrap();
    let xhtml: String = unzip(&epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, data)| String::from_utf8(data).unwrap())
        .collect();
    for caption in [
        "<figcaption>A red square</figcaption>",
        "<figcaption>The diagram's own caption</figcaption>",
        "<figcaption>A blue WebP</figcaption>",
    ] {
        assert!(xhtml.contains(caption), "no {caption} in\n{xhtml}");
    }
    assert!(xhtml.contains("<figcaption>Blue, in <em>GIF</em></figcaption>"));

    if !tool("pdftotext") || !tool("pdfimages") {
        return;
    }
    let pdf = dir.join("out/f-print.pdf");
    let pdf = pdf.to_str().unwrap();
    let text = run("pdftotext", &["-enc", "UTF-8", pdf, "-"]);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert!(!text.contains("[A"), "an alt text stands in:\n{text}");
    // The raster images, in order (soft masks aside), and their pages.
    let list = run("pdfimages", &["-list", pdf]);
    let image_pages: Vec<usize> = list
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(image_pages.len(), 3, "{list}");
    for (page, caption) in image_pages
        .iter()
        .zip(["A red square", "Blue, in GIF", "A blue WebP"])
    {
        assert!(
            pages[page - 1].contains(caption),
            "`{caption}` is not on its image's page {page}:\n{}",
            pages[page - 1]
        );
    }
    // The SVG is drawn, not listed as an image: its caption is there, on
    // a page between the first two images'.
    let svg_caption = pages
        .iter()
        .position(|p| p.contains("The diagram's own caption"))
        .expect("the SVG's caption")
        + 1;
    assert!((image_pages[0]..=image_pages[1]).contains(&svg_caption));
}
