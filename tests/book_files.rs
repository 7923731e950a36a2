//! Issue 12, class 1: every file a book names is read through one guarded
//! reader (`src/files.rs`) — inside the book after symbolic links, a
//! regular file, capped — and the EPUB packages what a book's stylesheet
//! uses. Each case runs the real binary.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Writes a book into a scratch directory: `files` are (path, contents).
fn book(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    book_of(name, files)
}

/// A secret beside the book, which nothing may read.
fn secret(dir: &Path) -> PathBuf {
    let s = dir.with_extension("secret");
    std::fs::write(&s, "TOP-SECRET-CONTENT").unwrap();
    s
}

const TOML: &str = "[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"ch.md\"]\n";

fn build(dir: &Path) -> (i32, String) {
    let out = samizdat(&["build", "-q", dir.to_str().unwrap()]);
    (out.status.code().unwrap_or(-1), stderr(&out))
}

/// Every file the build wrote, as bytes, for "the secret is nowhere".
fn outputs(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir.join("out"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let data = std::fs::read(e.path()).unwrap();
        if e.path().extension().is_some_and(|x| x == "epub") {
            for (_, f) in unzip(&data) {
                all.extend(f);
            }
        } else {
            all.extend(data);
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[cfg(unix)]
#[test]
fn issue_12_a_font_linked_out_of_the_book_is_refused_not_embedded() {
    let dir = book(
        "files-font-link",
        &[
            (
                "book.toml",
                format!("{TOML}\n[edition.e]\nformat = \"epub\"\nembed-fonts = true\n").as_bytes(),
            ),
            ("ch.md", b"# C\n\nText.\n"),
        ],
    );
    let s = secret(&dir);
    std::fs::create_dir_all(dir.join("fonts")).unwrap();
    std::os::unix::fs::symlink(&s, dir.join("fonts/Body-Regular.otf")).unwrap();
    let (code, err) = build(&dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("font `fonts/Body-Regular.otf` is a symbolic link (or lies under one) pointing outside the book's directory"),
        "{err}"
    );
    assert!(
        !contains(&outputs(&dir), "TOP-SECRET"),
        "the secret was embedded"
    );
}

#[cfg(unix)]
#[test]
fn issue_12_chapters_images_and_styles_linked_out_are_refused() {
    let dir = book(
        "files-links",
        &[
            (
                "book.toml",
                format!("{TOML}\n[edition.p]\nformat = \"pdf\"\nstyle = \"look.toml\"\n")
                    .as_bytes(),
            ),
            ("ch.md", b"# C\n\n![map](map.png)\n"),
        ],
    );
    let s = secret(&dir);
    std::os::unix::fs::symlink(&s, dir.join("map.png")).unwrap();
    std::os::unix::fs::symlink(&s, dir.join("look.toml")).unwrap();
    let (code, err) = build(&dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("ch.md:3:1: error: image `map.png` is a symbolic link"),
        "{err}"
    );
    std::fs::remove_file(dir.join("map.png")).unwrap();
    std::fs::write(dir.join("ch.md"), "# C\n\nText.\n").unwrap();
    let (code, err) = build(&dir);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("book.toml:9:1: error: style `look.toml` is a symbolic link"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn issue_12_a_fifo_or_a_directory_is_refused_without_hanging() {
    let dir = book(
        "files-fifo",
        &[("book.toml", TOML.as_bytes()), ("sub/x.md", b"x")],
    );
    let fifo = dir.join("ch.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        assert!(std::env::var("CI").is_err(), "CI must have mkfifo");
        return;
    }
    // Reading a FIFO blocks until someone writes: the guard must refuse it
    // before opening it (or this test would hang).
    let (code, err) = build(&dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`ch.md` is a named pipe (FIFO), not a regular file"),
        "{err}"
    );
    std::fs::remove_file(&fifo).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"sub\"]\n",
    )
    .unwrap();
    let (code, err) = build(&dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`sub` is a directory, not a regular file"),
        "{err}"
    );
}

#[test]
fn issue_12_mdbook_src_outside_the_book_is_refused() {
    let dir = book(
        "files-mdbook-src",
        &[(
            "book/book.toml",
            b"[book]\ntitle = \"T\"\nsrc = \"../elsewhere\"\n",
        )],
    );
    std::fs::create_dir_all(dir.join("elsewhere")).unwrap();
    std::fs::write(dir.join("elsewhere/SUMMARY.md"), "# S\n\n- [C](c.md)\n").unwrap();
    std::fs::write(dir.join("elsewhere/c.md"), "# C\n\nSECRET\n").unwrap();
    let out = samizdat(&["build", "-q", dir.join("book").to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "book.toml:3:1: error: [book] src: `../elsewhere` leaves the book's directory"
        ),
        "{err}"
    );
}

#[test]
fn issue_12_includes_nest_stop_at_cycles_and_blame_the_included_line() {
    let dir = book(
        "files-includes",
        &[
            ("book.toml", TOML.as_bytes()),
            (
                "ch.md",
                b"# C\n\nBefore.\n\n{{#include parts/a.md}}\n\nAfter[^gone].\n",
            ),
            ("parts/a.md", b"From a.\n\n{{#include b.md}}\n"),
            (
                "parts/b.md",
                b"From b.\n\nBroken[^missing] here.\n\n{{#include a.md}}\n",
            ),
        ],
    );
    let out = samizdat(&["check", dir.to_str().unwrap()]);
    let err = stderr(&out);
    // The notes with no definition are errors: one in b.md, one in ch.md,
    // each at its own file's line.
    assert_eq!(out.status.code(), Some(1), "{err}");
    let b = dir.join("parts/b.md");
    assert!(
        err.contains(&format!("{}:3:7: error", b.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:7:6: error", dir.join("ch.md").display())),
        "{err}"
    );
    // Mended, the book builds; the cycle is a warning at b.md's line.
    std::fs::write(
        dir.join("ch.md"),
        "# C\n\nBefore.\n\n{{#include parts/a.md}}\n\nAfter.\n",
    )
    .unwrap();
    std::fs::write(&b, "From b.\n\n{{#include a.md}}\n").unwrap();
    let (code, err) = build(&dir);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "{}:3: warning: {{{{#include}}}}: `a.md` includes itself",
            b.display()
        )),
        "{err}"
    );
}

#[test]
fn issue_12_an_include_bomb_is_refused_at_its_chapter() {
    // 64 KiB pasted 16 times a level, three levels: 256 MiB if expanded.
    let kib64 = "word ".repeat(64 * 1024 / 5) + "\n";
    let sixteen = |next: &str| format!("{{{{#include {next}}}}}\n").repeat(16);
    let dir = book(
        "files-bomb",
        &[
            ("book.toml", TOML.as_bytes()),
            ("ch.md", b"# C\n\n{{#include l3.md}}\n"),
            ("k.md", kib64.as_bytes()),
            ("l1.md", sixteen("k.md").as_bytes()),
            ("l2.md", sixteen("l1.md").as_bytes()),
            ("l3.md", sixteen("l2.md").as_bytes()),
        ],
    );
    let (code, err) = build(&dir);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("with its includes, the chapter is over 16 MiB"),
        "{err}"
    );
    assert!(err.contains("ch.md"), "{err}");
}

#[test]
fn issue_12_a_png_named_jpg_is_set_in_both_formats() {
    let png =
        std::fs::read(root().join("tests/fixtures/epub-kinds/images/red square.png")).unwrap();
    let dir = book(
        "files-png-as-jpg",
        &[
            (
                "book.toml",
                format!("{TOML}\n[edition.ereader]\nformat = \"epub\"\n\n[edition.print]\nformat = \"pdf\"\n").as_bytes(),
            ),
            ("ch.md", b"# C\n\n![A red square](photo.jpg)\n"),
            ("photo.jpg", &png),
        ],
    );
    let (code, err) = build(&dir);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let epub = std::fs::read(dir.join("out/t-ereader.epub")).unwrap();
    let files = unzip(&epub);
    assert!(
        files.iter().any(|(n, _)| n == "EPUB/images/photo.png"),
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    // The print edition holds the image (an image XObject).
    let pdf = std::fs::read(dir.join("out/t-print.pdf")).unwrap();
    assert!(contains(&pdf, "/Subtype /Image") || contains(&pdf, "/Subtype/Image"));
}

#[test]
fn issue_12_a_stylesheets_imports_and_images_are_packaged() {
    let dir = root().join("tests/fixtures/own-style");
    let out = scratch("files-own-style");
    let built = samizdat(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&built);
    assert_eq!(built.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "style/book.css:6: warning: the stylesheet refers to `https://example.org/remote.png`"
        ),
        "{err}"
    );
    let epub = std::fs::read(out.join("own-style-ereader.epub")).unwrap();
    let files = unzip(&epub);
    let text = |name: &str| {
        String::from_utf8(
            files
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{name}"))
                .1
                .clone(),
        )
        .unwrap()
    };
    let css = text("EPUB/css/epub.css");
    assert!(css.contains("@import url(\"res/extra.css\")"), "{css}");
    assert!(css.contains("url(\"res/paper.png\")"), "{css}");
    assert!(!css.contains("example.org"), "{css}");
    assert!(text("EPUB/css/res/extra.css").contains("url(\"paper.png\")"));
    let opf = text("EPUB/package.opf");
    assert!(
        opf.contains("href=\"css/res/paper.png\" media-type=\"image/png\""),
        "{opf}"
    );
    assert!(
        opf.contains("href=\"css/res/extra.css\" media-type=\"text/css\""),
        "{opf}"
    );
    // The include and the anchor made it into the chapter.
    let ch = text("EPUB/ch01.xhtml");
    assert!(ch.contains("An included paragraph"), "{ch}");
    assert!(ch.contains("println!"), "{ch}");
    assert!(!ch.contains("ANCHOR"), "{ch}");
}

#[test]
fn issue_12_check_reports_what_only_print_finds() {
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
    let dir = book(
        "files-check-print",
        &[
            ("book.toml", TOML.as_bytes()),
            (
                "ch.md",
                "# C\n\n![A square](sq.svg)\n\nA two-em dash: \u{2E3A}.\n".as_bytes(),
            ),
            ("sq.svg", svg),
        ],
    );
    let check = samizdat(&["check", dir.to_str().unwrap()]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(0), "{err}");
    // Only the typesetter looks for glyphs; the SVG prints (as vectors).
    assert!(
        err.contains("no font has the character '\u{2E3A}' (U+2E3A)"),
        "{err}"
    );
    assert!(!err.contains("sq.svg"), "{err}");
    assert!(!dir.join("out").exists(), "check wrote something");
}

#[test]
fn issue_12_front_matter_values_are_checked_at_their_line() {
    let dir = book(
        "files-front-matter",
        &[(
            "essay.md",
            b"\xEF\xBB\xBF---\ntitle: T\nlang: english please\ndate: 2023-02-30\n---\n\n# A\n\nText.\n",
        )],
    );
    let file = dir.join("essay.md");
    let out = samizdat(&["check", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "{}:3:1: error: front matter `lang`",
            file.display()
        )),
        "{err}"
    );
    // A date that is not ISO 8601 is only a warning (pandoc takes any text
    // there, as the zh corpus book's `1921–1922`): the year is kept.
    std::fs::write(
        &file,
        "---\ntitle: T\nlang: zh\ndate: 1921–1922\n---\n\n# A\n\nText.\n",
    )
    .unwrap();
    let out = samizdat(&["check", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "{}:4:1: warning: front matter `date`",
            file.display()
        )) && err.contains("the book is dated `1921`"),
        "{err}"
    );
}
