//! Reference page images: chosen pages of real builds rendered by poppler's
//! `pdftoppm` and compared with PNGs kept in `tests/ref/`, with a tolerance,
//! as Typst keeps reference images in its `tests/ref`. A change to where
//! anything lands on a page shows here even when the text is the same.
//!
//! `UPDATE_GOLDEN=1 cargo test --test pages` rewrites the references; look
//! at the new images before committing them. A mismatch writes the rendering
//! and a difference image (differing pixels black) under the target
//! directory and names them.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Rendering resolution: enough to see every line, word spacing and rule.
const DPI: &str = "40";
/// Grey levels two renderings of one page may differ by at a pixel (poppler's
/// anti-aliasing of an edge) before the pixel counts as different.
const LEVELS: u8 = 48;
/// Share of pixels that may differ before the page does.
const SHARE: f64 = 0.0005;

/// A book to build, its edition, and the pages to keep (1-based).
struct Case {
    name: &'static str,
    book: &'static str,
    edition: &'static str,
    /// Appended to a copy of the book's `book.toml` (to add a print edition).
    extra: Option<&'static str>,
    pages: &'static [u32],
}

const CASES: &[Case] = &[
    // Title page, contents, a chapter opening with notes, a body page.
    Case {
        name: "sample-pamphlet",
        book: "book",
        edition: "pamphlet",
        extra: None,
        pages: &[3, 5, 7, 13],
    },
    // The printer's spread of the booklet: two pages to a sheet, imposed.
    Case {
        name: "sample-booklet",
        book: "book",
        edition: "booklet",
        extra: None,
        pages: &[1, 2],
    },
    Case {
        name: "sample-large-print",
        book: "book",
        edition: "large-print",
        extra: None,
        pages: &[7],
    },
    // A note running over to the next page.
    Case {
        name: "long-note",
        book: "tests/fixtures/long-note",
        edition: "print",
        extra: None,
        pages: &[1, 2, 3],
    },
    // Every block kind in print: lists, quotes, code, a table, images, a part.
    Case {
        name: "every-kind",
        book: "tests/fixtures/epub-kinds",
        edition: "print",
        extra: Some("\n[edition.print]\nformat = \"pdf\"\nstyle = \"pamphlet\"\n"),
        pages: &[5, 8, 9, 10, 11, 13, 14],
    },
];

#[test]
fn pages_match_their_reference_images() {
    if !tool("pdftoppm") {
        return;
    }
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let work = scratch("pages");
    let mut goldens = Goldens::default();
    for case in CASES {
        let pdf = match build(case, &work) {
            Ok(pdf) => pdf,
            Err(why) => {
                goldens.fail(format!("{}: {why}", case.name));
                continue;
            }
        };
        for &page in case.pages {
            let name = format!("{}-p{page}", case.name);
            let png = render(&pdf, page, &work.join(&name));
            let reference = root().join("tests/ref").join(format!("{name}.png"));
            if update {
                std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
                std::fs::copy(&png, &reference).unwrap();
                continue;
            }
            if let Err(why) = compare(&reference, &png, &work.join(format!("{name}-diff.png"))) {
                goldens.fail(format!("{name}: {why}"));
            }
        }
    }
    goldens.finish();
}

/// Builds the case's edition; its PDF.
fn build(case: &Case, work: &Path) -> Result<PathBuf, String> {
    let mut dir = root().join(case.book);
    if let Some(extra) = case.extra {
        let copy = work.join(format!("{}-book", case.name));
        copy_dir(&dir, &copy);
        let toml = copy.join("book.toml");
        let text = std::fs::read_to_string(&toml).unwrap() + extra;
        std::fs::write(&toml, text).unwrap();
        dir = copy;
    }
    let out = work.join(format!("{}-out", case.name));
    let o = samizdat(&[
        "build",
        "-q",
        dir.to_str().unwrap(),
        "-e",
        case.edition,
        "--out",
        out.to_str().unwrap(),
    ]);
    if !o.status.success() {
        return Err(stderr(&o));
    }
    std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .ok_or_else(|| "no PDF was written".to_string())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Renders one page in grey to `<stem>.png`.
fn render(pdf: &Path, page: u32, stem: &Path) -> PathBuf {
    let n = page.to_string();
    run(
        "pdftoppm",
        &[
            "-gray",
            "-png",
            "-r",
            DPI,
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    stem.with_extension("png")
}

/// A grey image: width, height, one byte a pixel.
fn read_grey(path: &Path) -> Result<(u32, u32, Vec<u8>), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let channels = info.color_type.samples();
    let grey = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|px| px[0])
        .collect();
    Ok((info.width, info.height, grey))
}

/// Compares a rendering with its reference; on a mismatch writes a
/// difference image to `diff` and says where both are.
fn compare(reference: &Path, actual: &Path, diff: &Path) -> Result<(), String> {
    let (w, h, want) = read_grey(reference)
        .map_err(|e| format!("no reference image ({e}); run with UPDATE_GOLDEN=1"))?;
    let (aw, ah, got) = read_grey(actual)?;
    if (w, h) != (aw, ah) {
        return Err(format!(
            "the page is {aw}×{ah} px, its reference {w}×{h} (rendering {})",
            actual.display()
        ));
    }
    let marks: Vec<u8> = want
        .iter()
        .zip(&got)
        .map(|(a, b)| if a.abs_diff(*b) > LEVELS { 0 } else { 255 })
        .collect();
    let differing = marks.iter().filter(|&&m| m == 0).count();
    let share = differing as f64 / marks.len() as f64;
    if share <= SHARE {
        return Ok(());
    }
    write_grey(diff, w, h, &marks);
    Err(format!(
        "{differing} pixels ({:.2} %) differ from {}; rendering {}, differences {}",
        share * 100.0,
        reference.display(),
        actual.display(),
        diff.display()
    ))
}

fn write_grey(path: &Path, w: u32, h: u32, data: &[u8]) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(data)
        .unwrap();
}

/// The comparison itself can fail: a page set differently is caught.
#[test]
fn a_different_page_is_caught() {
    if !tool("pdftoppm") {
        return;
    }
    let work = scratch("pages-self");
    let pdf = build(&CASES[0], &work).unwrap();
    let one = render(&pdf, 5, &work.join("five"));
    let other = render(&pdf, 12, &work.join("twelve"));
    assert!(compare(&one, &one, &work.join("same-diff.png")).is_ok());
    let err = compare(&one, &other, &work.join("diff.png")).unwrap_err();
    assert!(err.contains("differ"), "{err}");
}
