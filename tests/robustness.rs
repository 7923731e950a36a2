//! Bad input: each case gets one clear diagnostic naming the file and line,
//! a non-zero exit status, and no output written or changed.

mod common;

use std::path::{Path, PathBuf};

use common::pipeline;
use common::*;

/// Writes a book into a scratch directory: `files` are (path, contents).
fn book(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    book_of(name, files)
}

const TOML: &[u8] = b"[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"ch.md\"]\n";

/// One EPUB and one PDF edition.
const EDITIONS: &str =
    "\n[edition.ereader]\nformat = \"epub\"\n\n[edition.print]\nformat = \"pdf\"\n";

/// `TOML` with both editions.
fn toml_both() -> Vec<u8> {
    [TOML, EDITIONS.as_bytes()].concat()
}

/// Builds the book in `dir` (slug `slug`, editions `ereader` and `print`)
/// with the command line; it must succeed. Every XML file of the EPUB must
/// be well-formed and `qpdf --check` must accept the PDF. Returns stderr.
fn builds(dir: &Path, slug: &str) -> String {
    let out = samizdat(&["build", "-q", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let epub = std::fs::read(dir.join(format!("out/{slug}-ereader.epub"))).unwrap();
    pipeline::check_epub(&epub).unwrap();
    let pdf = dir.join(format!("out/{slug}-print.pdf"));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    if tool("qpdf") {
        run("qpdf", &["--check", pdf.to_str().unwrap()]);
    }
    err
}

/// The text of chapter `ch01.xhtml` of the EPUB built in `dir`.
fn chapter_xhtml(dir: &Path, slug: &str) -> String {
    let epub = std::fs::read(dir.join(format!("out/{slug}-ereader.epub"))).unwrap();
    let files = common::unzip(&epub);
    let (_, data) = files
        .iter()
        .find(|(name, _)| name.ends_with("/ch01.xhtml"))
        .expect("a first chapter");
    String::from_utf8(data.clone()).unwrap()
}

/// Typesets the book in `dir` in-process in the default and the
/// large-print style and checks that nothing is drawn off the page.
fn stays_on_the_page(dir: &Path) -> Vec<samizdat::diag::Diagnostic> {
    let fonts = samizdat::typeset::Fonts::bundled();
    let mut warnings = Vec::new();
    for style in [
        samizdat::style::PrintStyle::default(),
        samizdat::style::PrintStyle::load(&root().join("styles/large-print.toml")).unwrap(),
    ] {
        let ran = pipeline::run_book(dir, &fonts, &style).unwrap();
        assert_eq!(ran.refused, None);
        warnings = ran.warnings;
    }
    warnings
}

/// Runs `check` and `build` on the book; both must fail with `code` and
/// print `expected`; a file already in `out/` must be left as it was.
fn fails(dir: &Path, code: i32, expected: &str) -> String {
    let d = dir.to_str().unwrap();
    let check = samizdat(&["check", d]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(code), "{err}");
    assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let old = out.join("t-ereader.epub");
    std::fs::write(&old, b"the previous good build").unwrap();
    let build = samizdat(&["build", d]);
    assert_eq!(build.status.code(), Some(code), "{}", stderr(&build));
    assert_eq!(std::fs::read(&old).unwrap(), b"the previous good build");
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "build left files behind: {names:?}");
    err
}

fn path_of(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

#[test]
fn invalid_toml() {
    let dir = book(
        "bad-toml",
        &[("book.toml", b"[book]\ntitle = \"T\n"), ("ch.md", b"# C\n")],
    );
    fails(&dir, 2, &format!("{}:2:", path_of(&dir, "book.toml")));
}

#[test]
fn unknown_key_suggests_the_closest() {
    let dir = book("unknown-key", &[("book.toml", b"[book]\ntitle = \"T\"\nlanguage = \"en\"\nrihgts = \"x\"\n\n[contents]\nchapters = [\"ch.md\"]\n"), ("ch.md", b"# C\n")]);
    let err = fails(
        &dir,
        2,
        &format!(
            "{}:4:1: error: unknown field `rihgts`",
            path_of(&dir, "book.toml")
        ),
    );
    assert!(err.contains("did you mean `rights`?"), "{err}");
}

#[test]
fn wrong_type() {
    let dir = book(
        "wrong-type",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"T\"\nauthors = \"Ann\"\n\n[contents]\nchapters = [\"ch.md\"]\n",
            ),
            ("ch.md", b"# C\n"),
        ],
    );
    fails(
        &dir,
        2,
        &format!(
            "{}:3:11: error: `authors` must be a list of names",
            path_of(&dir, "book.toml")
        ),
    );
}

#[test]
fn missing_chapter_names_the_listing_line() {
    let dir = book("missing-chapter", &[("book.toml", TOML)]);
    fails(
        &dir,
        1,
        &format!(
            "{}:5:13: error: `ch.md` does not exist",
            path_of(&dir, "book.toml"),
        ),
    );
}

#[test]
fn missing_summary_link() {
    let dir = book(
        "missing-summary-link",
        &[
            ("book.toml", b"[book]\ntitle = \"T\"\n"),
            (
                "src/SUMMARY.md",
                b"# Summary\n\n- [One](one.md)\n- [Gone](gone.md)\n",
            ),
            ("src/one.md", b"# One\n"),
        ],
    );
    fails(
        &dir,
        1,
        &format!("{}:4:3: error:", path_of(&dir, "src/SUMMARY.md")),
    );
}

#[test]
fn chapter_listed_twice() {
    let dir = book(
        "listed-twice",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"ch.md\", \"./ch.md\"]\n",
            ),
            ("ch.md", b"# C\n"),
        ],
    );
    fails(&dir, 1, "`./ch.md` is listed twice");
}

#[test]
fn paths_that_leave_the_book_are_refused() {
    let dir = book(
        "escape-dotdot",
        &[(
            "book.toml",
            b"[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"../../etc/passwd\"]\n",
        )],
    );
    fails(&dir, 1, "`../../etc/passwd` leaves the book's directory");
    let dir = book(
        "escape-absolute",
        &[(
            "book.toml",
            b"[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"/etc/passwd\"]\n",
        )],
    );
    fails(&dir, 1, "`/etc/passwd` leaves the book's directory");
    let dir = book("escape-symlink", &[("book.toml", TOML)]);
    let outside = scratch("escape-symlink-target").join("secret.md");
    std::fs::write(&outside, "# Secret\n").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("ch.md")).unwrap();
    fails(
        &dir,
        1,
        "`ch.md` is a symbolic link (or lies under one) pointing outside the book's directory",
    );
}

#[test]
fn invalid_utf8_says_where() {
    let dir = book(
        "bad-utf8",
        &[
            ("book.toml", TOML),
            ("ch.md", b"# C\n\nGood line.\nBad \xff byte.\n"),
        ],
    );
    fails(
        &dir,
        1,
        &format!(
            "{}:4:5: error: `ch.md` is not valid UTF-8 (byte 20 of the file)",
            path_of(&dir, "ch.md")
        ),
    );
}

#[test]
fn footnote_without_definition() {
    let dir = book(
        "undefined-note",
        &[
            ("book.toml", TOML),
            ("ch.md", b"# C\n\nText[^a] and[^b].\n\n[^a]: ok\n"),
        ],
    );
    fails(
        &dir,
        1,
        &format!(
            "{}:3:13: error: footnote [^b] has no definition",
            path_of(&dir, "ch.md")
        ),
    );
}

#[test]
fn every_error_of_a_run_is_reported() {
    let dir = book(
        "many-errors",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"a.md\", \"b.md\"]\n",
            ),
            ("a.md", b"# A\n\nOne[^x].\n"),
            ("b.md", b"# B\n\nTwo[^y].\n"),
        ],
    );
    let err = fails(&dir, 1, "[^x] has no definition");
    assert!(err.contains("[^y] has no definition"), "{err}");
}

#[test]
fn duplicate_heading_id_is_suffixed_with_a_warning() {
    let dir = book(
        "dup-id",
        &[
            ("book.toml", TOML),
            ("ch.md", b"# C\n\n## A {#same}\n\n## B {#same}\n"),
        ],
    );
    let out = samizdat(&["check", dir.to_str().unwrap()]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:5:1: warning: id `same` is already used in this book; this one becomes `same-1`",
            path_of(&dir, "ch.md")
        )),
        "{err}"
    );
    let out = samizdat(&["check", "--deny-warnings", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let mut text = b"# C\n\n".to_vec();
    text.extend("> ".repeat(5000).as_bytes());
    text.extend(b"deep\n");
    let dir = book("deep-quotes", &[("book.toml", TOML), ("ch.md", &text)]);
    fails(&dir, 1, &format!("{}:3:", path_of(&dir, "ch.md")));
    let mut text = b"# C\n\n".to_vec();
    for i in 0..3000 {
        text.extend(format!("{}- item\n", "  ".repeat(i)).as_bytes());
    }
    let dir = book("deep-lists", &[("book.toml", TOML), ("ch.md", &text)]);
    fails(&dir, 1, "nesting deeper than");
}

#[test]
fn control_characters_warn() {
    let dir = book(
        "controls",
        &[
            ("book.toml", TOML),
            ("ch.md", b"# C\n\nBell\x07 and NUL\x00 here.\n"),
        ],
    );
    let out = samizdat(&["check", dir.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("warning: control characters removed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn empty_book_is_an_error() {
    let dir = book(
        "empty",
        &[("book.toml", b"[book]\ntitle = \"T\"\n\n[contents]\n")],
    );
    fails(&dir, 2, "the book has no chapters");
}

#[test]
fn no_title_is_an_error() {
    let dir = book(
        "no-title",
        &[
            (
                "book.toml",
                b"[book]\nlanguage = \"en\"\n\n[contents]\nchapters = [\"ch.md\"]\n",
            ),
            ("ch.md", b"# C\n"),
        ],
    );
    fails(
        &dir,
        2,
        &format!(
            "{}:1: error: the book has no title",
            path_of(&dir, "book.toml")
        ),
    );
}

/// Issue 7: 5,000 tiny chapters load, and build to an EPUB whose every XML
/// file is well-formed and to a PDF that `qpdf --check` accepts.
#[test]
fn five_thousand_tiny_chapters_build_to_epub_and_pdf() {
    let dir = scratch("many-chapters");
    let mut toml = String::from("[book]\ntitle = \"Many\"\n\n[contents]\nchapters = [\n");
    for i in 0..5000 {
        std::fs::write(
            dir.join(format!("c{i}.md")),
            format!("# Chapter {i}\n\nText {i}.[^n]\n\n[^n]: Note {i}.\n"),
        )
        .unwrap();
        toml.push_str(&format!("  \"c{i}.md\",\n"));
    }
    toml.push_str("]\n");
    toml.push_str(EDITIONS);
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    let project = samizdat::load::load(&dir).unwrap();
    assert_eq!(project.book.chapters().count(), 5000);
    assert!(project.warnings.is_empty());
    let err = builds(&dir, "many");
    assert!(!err.contains("warning"), "{err}");
    let epub = std::fs::read(dir.join("out/many-ereader.epub")).unwrap();
    let chapters = common::unzip(&epub)
        .iter()
        .filter(|(name, _)| name.contains("/ch"))
        .count();
    assert_eq!(chapters, 5000);
}

#[test]
fn a_50_mb_chapter_is_refused_before_it_is_read() {
    let dir = book("huge-chapter", &[("book.toml", TOML)]);
    // A sparse file: the size is checked before a byte is read.
    let f = std::fs::File::create(dir.join("ch.md")).unwrap();
    f.set_len(50 * 1000 * 1000).unwrap();
    let err = fails(
        &dir,
        1,
        "is 48 MiB; samizdat reads files of this kind of up to 16 MiB",
    );
    assert!(err.contains("split it, or make it smaller"), "{err}");
}

/// A minimal whole PNG of `w` × `h` pixels (header chunks only).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    v.extend(w.to_be_bytes());
    v.extend(h.to_be_bytes());
    v.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    v.extend(b"\0\0\0\0IEND\xaeB`\x82");
    v
}

#[test]
fn bad_images_are_errors_at_the_image() {
    let chapter: &[u8] = b"# C\n\nText.\n\n![A map](img/map.png)\n";
    let dir = book("image-missing", &[("book.toml", TOML), ("ch.md", chapter)]);
    fails(
        &dir,
        1,
        &format!(
            "{}:5:1: error: image `img/map.png` does not exist",
            path_of(&dir, "ch.md")
        ),
    );
    let dir = book(
        "image-not-image",
        &[
            ("book.toml", TOML),
            ("ch.md", chapter),
            ("img/map.png", b"just some text"),
        ],
    );
    fails(&dir, 1, "`img/map.png` is not an image");
    let whole = png(100, 100);
    let dir = book(
        "image-truncated",
        &[
            ("book.toml", TOML),
            ("ch.md", chapter),
            ("img/map.png", &whole[..30]),
        ],
    );
    fails(&dir, 1, "image `img/map.png` is truncated");
    let dir = book(
        "image-huge",
        &[
            ("book.toml", TOML),
            ("ch.md", chapter),
            ("img/map.png", &png(20_000, 20_000)),
        ],
    );
    fails(
        &dir,
        1,
        "image `img/map.png` is 20000 × 20000 pixels; samizdat takes up to 50 megapixels",
    );
    let dir = book(
        "image-escape",
        &[
            ("book.toml", TOML),
            ("ch.md", b"# C\n\n![x](../../etc/passwd)\n"),
        ],
    );
    fails(
        &dir,
        1,
        "image `../../etc/passwd` leaves the book's directory",
    );
}

#[test]
fn a_good_image_path_becomes_book_relative() {
    let dir = book(
        "image-good",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"part/ch.md\"]\n",
            ),
            (
                "part/ch.md",
                b"# C\n\n![Beside](fig.png) ![From the top](img/top.png)\n",
            ),
            ("part/fig.png", &png(10, 10)),
            ("img/top.png", &png(10, 10)),
        ],
    );
    let project = samizdat::load::load(&dir).unwrap();
    let tree = samizdat::dump::dump(&project.book, None);
    assert!(tree.contains("Image \"part/fig.png\""), "{tree}");
    assert!(tree.contains("Image \"img/top.png\""), "{tree}");
}

/// Issue 7: a 300-character word and a 300-character URL (autolink, link
/// and bare) are broken where they must be, with a warning at their line;
/// nothing is drawn off the page, in either print style; the EPUB is fine.
#[test]
fn long_word_and_url_stay_on_the_page_with_a_warning() {
    let word = "x".repeat(300);
    let url = format!("https://example.org/{}", "a".repeat(280));
    let text = format!(
        "# C\n\nA word {word} ends here.\n\nSee <{url}> and [a link]({url}).\n\nPlain {url} too.\n\n## {word}\n"
    );
    let dir = book(
        "long-word",
        &[("book.toml", &toml_both()), ("ch.md", text.as_bytes())],
    );
    let err = builds(&dir, "t");
    let ch = path_of(&dir, "ch.md");
    for line in [3, 5, 7, 9] {
        assert!(
            err.contains(&format!("{ch}:{line}:")),
            "no warning at line {line}:\n{err}"
        );
    }
    assert!(
        err.contains(
            "warning: a 300-character word is wider than the line; it is broken where it must be"
        ),
        "{err}"
    );
    assert!(!err.contains("overfull"), "{err}");
    let warnings = stays_on_the_page(&dir);
    assert!(!warnings.is_empty());
    let xhtml = chapter_xhtml(&dir, "t");
    assert!(xhtml.contains(&word) && xhtml.contains(&url), "{xhtml}");
    if tool("pdftotext") {
        let text = run(
            "pdftotext",
            &[dir.join("out/t-print.pdf").to_str().unwrap(), "-"],
        );
        let letters: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(letters.contains(&word), "{text}");
        assert!(letters.contains(&url), "{text}");
    }
}

/// Issue 7: `script` and `style` elements and `on*` handlers in raw HTML
/// are removed from the EPUB with a warning each, at their place; print
/// leaves raw HTML out, with a warning at each piece.
#[test]
fn raw_html_script_style_and_handlers_are_removed_with_warnings() {
    let text = b"# C\n\n<script>alert(1)</script>\n\n<style>p { color: red }</style>\n\n<p onclick=\"steal()\">A raw paragraph.</p>\n\nText with <span onmouseover=\"x()\">a span</span>.\n";
    let dir = book("raw-html", &[("book.toml", &toml_both()), ("ch.md", text)]);
    let err = builds(&dir, "t");
    let ch = path_of(&dir, "ch.md");
    for expected in [
        format!("{ch}:3:1: warning: raw HTML: removed <script> element and its content"),
        format!("{ch}:5:1: warning: raw HTML: removed <style> element and its content"),
        format!("{ch}:7:1: warning: raw HTML: removed onclick attribute"),
        format!("{ch}:9:11: warning: raw HTML: removed onmouseover attribute"),
        format!("{ch}:3:1: warning: raw HTML is left out of print editions"),
        format!("{ch}:9:11: warning: raw HTML is left out of print editions"),
    ] {
        assert!(err.contains(&expected), "expected {expected:?} in:\n{err}");
    }
    let xhtml = chapter_xhtml(&dir, "t");
    for gone in [
        "<script",
        "alert",
        "<style",
        "color: red",
        "onclick",
        "onmouseover",
        "steal",
    ] {
        assert!(!xhtml.contains(gone), "{gone} left in:\n{xhtml}");
    }
    assert!(xhtml.contains("A raw paragraph."), "{xhtml}");
    assert!(xhtml.contains("a span"), "{xhtml}");
    if tool("pdftotext") {
        let text = run(
            "pdftotext",
            &[dir.join("out/t-print.pdf").to_str().unwrap(), "-"],
        );
        assert!(!text.contains("alert") && !text.contains("color"), "{text}");
        assert!(text.contains("Text with a span."), "{text}");
    }
}

/// Issue 7: NUL, C0 and C1 control characters and DEL are removed, with one
/// warning, and neither backend lets one through (XML forbids most of them).
#[test]
fn control_characters_go_through_both_backends() {
    let text = b"# C\x01\n\nBell\x07 and NUL\x00 here, escape \x1b[31m, DEL \x7f, C1 \xc2\x85 and \xc2\x9f.\n\n`code\x00` and [link\x08](http://e.org/\x0b)\n\n| a\x00 | b |\n|---|---|\n| \x02 | \x03 |\n";
    let dir = book(
        "controls-both",
        &[("book.toml", &toml_both()), ("ch.md", text)],
    );
    let err = builds(&dir, "t");
    assert!(
        err.contains(&format!(
            "{}:1:3: warning: control characters removed from the text",
            path_of(&dir, "ch.md")
        )),
        "{err}"
    );
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    let epub = std::fs::read(dir.join("out/t-ereader.epub")).unwrap();
    for (name, data) in common::unzip(&epub) {
        if let Ok(text) = std::str::from_utf8(&data) {
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
                "a control character in {name}"
            );
        }
    }
    stays_on_the_page(&dir);
    if tool("pdftotext") {
        let text = run(
            "pdftotext",
            &[dir.join("out/t-print.pdf").to_str().unwrap(), "-"],
        );
        assert!(text.contains("Bell and NUL here"), "{text}");
    }
}

/// Issue 7: an empty chapter file builds (its title is the file's name)
/// with a warning at the file.
#[test]
fn empty_chapter_file_warns_and_builds() {
    let dir = book(
        "empty-chapter",
        &[("book.toml", &toml_both()), ("ch.md", b"")],
    );
    let err = builds(&dir, "t");
    assert!(
        err.contains(&format!(
            "{}:1:1: warning: `ch.md` is empty: the chapter has only the title `ch`",
            path_of(&dir, "ch.md")
        )),
        "{err}"
    );
    stays_on_the_page(&dir);
    let out = samizdat(&["check", "--deny-warnings", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

/// `samizdat check` reports what only the EPUB writer reads: an image that
/// raw HTML cites (an error at its line) and removed markup (a warning).
#[test]
fn check_sees_what_raw_html_cites() {
    let chapter: &[u8] = b"# C\n\nText.\n\n<p><img src=\"gone.png\" alt=\"A map\"></p>\n";
    let dir = book("raw-image", &[("book.toml", TOML), ("ch.md", chapter)]);
    let out = samizdat(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let at = format!("{}:5:1: error: ", path_of(&dir, "ch.md"));
    assert!(err.contains(&at) && err.contains("gone.png"), "{err}");
    let chapter: &[u8] = b"# C\n\nText.\n\n<script>alert(1)</script>\n";
    let dir = book("raw-script", &[("book.toml", TOML), ("ch.md", chapter)]);
    let out = samizdat(&["check", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warning = format!(
        "{}:5:1: warning: raw HTML: removed <script> element",
        path_of(&dir, "ch.md")
    );
    assert!(stderr(&out).contains(&warning), "{}", stderr(&out));
    let out = samizdat(&["check", "--deny-warnings", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}
