//! Benchmarks of the build steps on the sample book and on a book ten times
//! longer (`cargo bench`). Speed is shown here and by `scripts/scale.sh`,
//! never by timed tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    divan::main();
}

/// The sample book, and a 10× copy made by `scripts/scale-book.py`.
fn books() -> [(&'static str, PathBuf); 2] {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ten = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-book-10x");
    if !ten.join("book.toml").exists() {
        let status = Command::new("python3")
            .arg(root.join("scripts/scale-book.py"))
            .arg(root.join("book"))
            .arg(&ten)
            .arg("10")
            .status()
            .expect("python3 runs scripts/scale-book.py");
        assert!(status.success());
    }
    [("1x", root.join("book")), ("10x", ten)]
}

fn project(which: &str) -> samizdat::load::Project {
    let path = books().into_iter().find(|(n, _)| *n == which).unwrap().1;
    samizdat::load::load(&path).unwrap()
}

/// Every word of the book's paragraphs, in order.
fn words(project: &samizdat::load::Project) -> Vec<String> {
    let tree = samizdat::dump::dump(&project.book, None);
    tree.lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("Para \"")
                .or(l.trim_start().strip_prefix("Str \""))
        })
        .flat_map(|t| {
            t.trim_end_matches('"')
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Shaping every word of the book: a cold cache (a fresh shaper each time)
/// and a warm one (the book shaped once before), to show what the cache buys.
#[divan::bench(args = ["cold", "warm"])]
fn shape(bencher: divan::Bencher, cache: &str) {
    use samizdat::typeset::{Fonts, shape::Features, shape::Shaper};
    let p = project("1x");
    let words = words(&p);
    let fonts = Fonts::bundled();
    let face = fonts
        .select("Libertinus Serif", Default::default())
        .unwrap();
    let mut warm = Shaper::new(&fonts, "en");
    for w in &words {
        warm.shape(w, face, Features::default());
    }
    bencher.bench_local(|| {
        let mut cold = Shaper::new(&fonts, "en");
        let shaper = if cache == "warm" {
            &mut warm
        } else {
            &mut cold
        };
        for w in &words {
            divan::black_box(shaper.shape(w, face, Features::default()));
        }
    });
}

/// Knuth–Plass over a 400-word paragraph of boxes and glue at an A5 measure.
#[divan::bench]
fn linebreak(bencher: divan::Bencher) {
    use samizdat::typeset::linebreak::{Item, Params, linebreak};
    use samizdat::units::Pt;
    let mut items = Vec::new();
    for i in 0..400 {
        items.push(Item::Box {
            width: Pt(12.0 + (i * 7 % 30) as f64),
            expand: Pt(0.5),
            protrude_left: Pt(0.0),
            protrude_right: Pt(0.0),
        });
        items.push(Item::Glue {
            width: Pt(3.3),
            stretch: Pt(1.65),
            shrink: Pt(1.1),
            fil: false,
        });
    }
    items.push(Item::Glue {
        width: Pt(0.0),
        stretch: Pt(0.0),
        shrink: Pt(0.0),
        fil: true,
    });
    items.push(Item::Penalty {
        width: Pt(0.0),
        penalty: -10000.0,
        flagged: false,
        protrude_right: Pt(0.0),
    });
    let params = Params {
        measure: Pt(334.0),
        ..Params::default()
    };
    bencher.bench(|| linebreak(divan::black_box(&items), &params));
}

/// The whole book typeset into pages (line and page breaking, notes,
/// contents), in the pamphlet style; the 10× book also on two threads (its
/// second half set ahead), as a build with `--jobs 2` does.
#[divan::bench(args = ["1x", "10x", "10x-two-threads"], sample_count = 10)]
fn typeset(bencher: divan::Bencher, which: &str) {
    let (book, threads) = match which.split_once('-') {
        Some((book, _)) => (book, 2),
        None => (which, 1),
    };
    let p = project(book);
    let fonts = samizdat::typeset::Fonts::bundled();
    let style = samizdat::style::PrintStyle::default();
    bencher.bench_local(|| {
        samizdat::typeset::typeset_with_threads(
            &p.book,
            &style,
            &fonts,
            &p.files,
            Some(0),
            threads,
            &mut Vec::new(),
        )
        .unwrap()
    });
}

/// Page breaking alone: the total-fit search over a galley already set
/// (every chapter's pages, with their notes).
#[divan::bench(args = ["1x", "10x"])]
fn pagebreak(bencher: divan::Bencher, which: &str) {
    let p = project(which);
    let fonts = samizdat::typeset::Fonts::bundled();
    let style = samizdat::style::PrintStyle::default();
    let galley = samizdat::typeset::SetGalley::new(&p.book, &style, &fonts, &p.files).unwrap();
    bencher.bench_local(|| galley.break_pages());
}

/// Writing the PDF of pages already typeset.
#[divan::bench(args = ["1x", "10x"], sample_count = 10)]
fn pdf_write(bencher: divan::Bencher, which: &str) {
    let p = project(which);
    let fonts = samizdat::typeset::Fonts::bundled();
    let style = samizdat::style::PrintStyle::default();
    let pages =
        samizdat::typeset::typeset(&p.book, &style, &fonts, &p.files, Some(0), &mut Vec::new())
            .unwrap();
    let meta = samizdat::pdf::PdfMeta {
        title: p.book.meta.title.clone(),
        language: "en".into(),
        date: Some(0),
        ..Default::default()
    };
    bencher.bench_local(|| samizdat::pdf::write(&pages, &fonts, &meta).unwrap());
}

/// Writing the EPUB (documents, navigation, package, zip).
#[divan::bench(args = ["1x", "10x"])]
fn epub_write(bencher: divan::Bencher, which: &str) {
    let p = project(which);
    let editions = samizdat::edition::resolve(&p, std::path::Path::new("out")).unwrap();
    let settings = editions
        .iter()
        .find_map(|e| match &e.settings {
            samizdat::edition::Settings::Epub(s) => Some(s.clone()),
            samizdat::edition::Settings::Pdf(_) => None,
        })
        .unwrap();
    let opts = samizdat::build::epub_options(&p, &settings, &mut Vec::new()).unwrap();
    bencher.bench_local(|| samizdat::epub::write(&p.book, &opts, &mut Vec::new()).unwrap());
}

/// Reading and parsing every chapter into the shared tree.
#[divan::bench(args = ["1x", "10x"])]
fn parse(bencher: divan::Bencher, which: &str) {
    let path = books().into_iter().find(|(n, _)| *n == which).unwrap().1;
    bencher.bench(|| samizdat::load::load(&path).unwrap());
}
