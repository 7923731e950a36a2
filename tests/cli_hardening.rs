//! Issue 12: the command line as a hostile or careless user meets it —
//! names and messages escaped on the terminal, closed pipes, `--out` onto
//! a file or the book itself, two books writing one file, `init` over
//! files, long titles in file names, many equal headings, many warnings of
//! one kind. Each case runs the real binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

fn book(name: &str, title: &str, chapter: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"{title}\"\n\n[contents]\nchapters = [\"c.md\"]\n"),
    )
    .unwrap();
    std::fs::write(dir.join("c.md"), chapter).unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn issue_12_control_characters_never_reach_the_terminal() {
    // A chapter file whose name holds ESC and a right-to-left override.
    let dir = scratch("cli-escape");
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"{}\"]\n",
            "c\\u001b[2J\\u202e.md"
        ),
    )
    .unwrap();
    let out = samizdat(&["build", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    assert!(err.contains("\\u{1b}[2J\\u{202e}.md"), "{err}");
}

#[test]
fn issue_12_a_closed_stdout_or_stderr_ends_quietly() {
    let tree = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' tree book | head -1",
            env!("CARGO_BIN_EXE_samizdat")
        ))
        .current_dir(root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&tree.stderr);
    assert!(tree.status.success(), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&tree.stdout).lines().count(), 1);
    // stderr closed: the build still writes its outputs.
    let out = scratch("cli-closed-stderr");
    let status = Command::new(env!("CARGO_BIN_EXE_samizdat"))
        .args(["build", "book", "--out", out.to_str().unwrap()])
        .current_dir(root())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let closed = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' build book --out '{}' 2>&-",
            env!("CARGO_BIN_EXE_samizdat"),
            out.display()
        ))
        .current_dir(root())
        .status()
        .unwrap();
    assert_eq!(closed.code(), Some(0));
    assert!(
        files_in(&out).iter().any(|f| f.ends_with("-pamphlet.pdf")),
        "{:?}",
        files_in(&out)
    );
}

#[test]
fn issue_12_out_onto_a_file_or_the_book_is_refused_before_writing() {
    let dir = book("cli-out", "T", "# C\n\nText.\n");
    let file = dir.join("not-a-dir");
    std::fs::write(&file, "keep").unwrap();
    for target in [file.clone(), dir.clone()] {
        let before = files_in(&dir);
        let out = samizdat(&[
            "build",
            dir.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("error: the output directory"), "{err}");
        assert_eq!(files_in(&dir), before, "something was written");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn issue_12_two_books_with_one_slug_are_not_both_reported_as_built() {
    let a = book("cli-slug-a", "One Title", "# A\n\nFrom book A.\n");
    let b = book("cli-slug-b", "One Title", "# B\n\nFrom book B.\n");
    let out = scratch("cli-slug-out");
    let built = samizdat(&[
        "build",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&built);
    assert_eq!(built.status.code(), Some(2), "{err}");
    assert!(err.contains("would both write"), "{err}");
    // The first book's outputs are there, and they are its own.
    let pdf = out.join("one-title-pamphlet.pdf");
    assert!(pdf.is_file(), "{:?}", files_in(&out));
    if tool("pdftotext") {
        let text = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(
            text.contains("From book A") && !text.contains("From book B"),
            "{text}"
        );
    }
}

#[test]
fn issue_12_init_never_overwrites_a_file() {
    let dir = scratch("cli-init");
    std::fs::write(dir.join("preface.md"), "my own preface").unwrap();
    let out = samizdat(&["init", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`preface.md`") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("preface.md")).unwrap(),
        "my own preface"
    );
    assert!(!dir.join("book.toml").exists());
    // Into a directory with unrelated files: fine, and they are kept.
    let other = scratch("cli-init-other");
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let ok = samizdat(&["init", other.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(
        std::fs::read_to_string(other.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn issue_12_a_long_cyrillic_title_builds() {
    let title = "Ж".repeat(126);
    let dir = book("cli-long-title", &title, "# C\n\nТекст.\n");
    let out = samizdat(&["build", "-q", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names = files_in(&dir.join("out"));
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.iter().all(|n| n.len() < 200 && n.starts_with("жжж")),
        "{names:?}"
    );
}

#[test]
fn issue_12_thousands_of_equal_headings_and_grouped_warnings() {
    // 3,000 equal headings: ids -1 … -2999, each once (linear numbering),
    // and 3,000 images without alt text warn five times and then count.
    let mut md = String::from("# C\n\n");
    for _ in 0..3000 {
        md.push_str("## Same\n\n![](gone.png)\n\n");
    }
    let dir = book("cli-many", "T", &md.replace("![](gone.png)\n\n", ""));
    let tree = samizdat(&["tree", dir.to_str().unwrap()]);
    let dump = stdout(&tree);
    assert!(
        dump.contains("#same-2999"),
        "{}",
        &dump[dump.len().saturating_sub(300)..]
    );
    assert!(!dump.contains("#same-3000"));
    // Many warnings of one kind: overfull words in a narrow table.
    let mut cells = String::from("# C\n\n|");
    for i in 0..60 {
        cells.push_str(&format!(" Supercalifragilistic{i} |"));
    }
    cells.push_str("\n|");
    for _ in 0..60 {
        cells.push_str("---|");
    }
    cells.push('\n');
    std::fs::write(dir.join("c.md"), &cells).unwrap();
    let out = samizdat(&["build", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let lines = err.lines().filter(|l| l.contains("warning:")).count();
    assert!(lines < 30, "{lines} warning lines:\n{err}");
    assert!(err.contains("more like"), "{err}");
}

/// Runs `script` with `sh -c`, the binary as `$0`; its stderr as text.
fn sh(script: &str, args: &[&str]) -> (std::process::ExitStatus, String, String) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_samizdat"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn issue_12_a_tree_larger_than_the_pipe_ends_quietly_at_head() {
    // Some 3 MB of dump: far more than a pipe holds, so the reader is gone
    // while samizdat still writes.
    let mut md = String::from("# C\n\n");
    for i in 0..20_000 {
        md.push_str(&format!("Paragraph {i} with *some* words in it.\n\n"));
    }
    let dir = book("cli-big-tree", "T", &md);
    let (status, out, err) = sh(
        "{ \"$0\" tree \"$1\"; echo \"samizdat exited $?\" >&2; } | head -1",
        &[dir.to_str().unwrap()],
    );
    assert!(status.success());
    assert_eq!(out, "Book \"T\"\n");
    assert!(err.contains("samizdat exited 0"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    // stderr a pipe whose reader is gone at once: the build still writes
    // everything and exits 0.
    let dest = scratch("cli-big-tree-out");
    let (_, _, err) = sh(
        "{ \"$0\" build \"$1\" --out \"$2\" 2>&1 >/dev/null; echo \"samizdat exited $?\" >&3; } 3>&2 | head -c 0",
        &[dir.to_str().unwrap(), dest.to_str().unwrap()],
    );
    assert!(err.contains("samizdat exited 0"), "{err}");
    assert_eq!(files_in(&dest), ["t-ereader.epub", "t-pamphlet.pdf"]);
}

#[test]
fn issue_12_the_caret_stays_under_its_character_after_an_escape() {
    let dir = book("cli-caret", "T", "# C\n\n\u{1b}[1m\u{202e} note[^x]\n");
    let out = samizdat(&["check", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    let line = err
        .lines()
        .find(|l| l.starts_with("3 | "))
        .expect("excerpt");
    let caret = err
        .lines()
        .find(|l| l.trim_end().ends_with('^'))
        .expect("caret");
    assert_eq!(
        line.find("[^x]"),
        caret.find('^'),
        "caret misplaced:\n{line}\n{caret}"
    );
}

#[test]
fn issue_12_warnings_that_differ_only_in_names_and_numbers_are_counted() {
    // 1,205 links to nowhere, each a different anchor, and 30 characters no
    // bundled font has (each its own code point).
    let mut md = String::from("# C\n\n");
    for i in 0..1205 {
        md.push_str(&format!("[a](#nowhere-{i}) "));
    }
    md.push_str("\n\n");
    for c in '\u{4e00}'..'\u{4e1e}' {
        md.push(c);
        md.push(' ');
    }
    md.push('\n');
    let dir = book("cli-grouped", "T", &md);
    let dest = scratch("cli-grouped-out");
    let out = samizdat(&[
        "build",
        dir.to_str().unwrap(),
        "-e",
        "pamphlet",
        "--out",
        dest.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("… and 1,200 more like “link to"), "{err}");
    assert!(
        err.contains("… and 25 more like “no font has the character"),
        "{err}"
    );
    let shown = err.lines().filter(|l| l.contains("warning:")).count();
    assert!(shown <= 12, "{shown} warning lines:\n{err}");
    // --deny-warnings still counts them all: `check` reports what a build
    // would, 1,205 links and 30 glyphs.
    let denied = samizdat(&["check", "--deny-warnings", dir.to_str().unwrap()]);
    assert_eq!(denied.status.code(), Some(1));
    let counted = samizdat(&["check", dir.to_str().unwrap()]);
    assert!(
        stderr(&counted).contains("1,235 warnings"),
        "{}",
        stderr(&counted)
    );
}

#[test]
fn issue_12_out_under_a_file_or_inside_mdbook_src_is_refused_before_writing() {
    let dir = book("cli-out-under", "T", "# C\n\nText.\n");
    let file = dir.join("plain-file");
    std::fs::write(&file, "keep").unwrap();
    let before = files_in(&dir);
    let out = samizdat(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        file.join("sub").to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot be made: `") && err.contains("plain-file` is a file"),
        "{err}"
    );
    assert_eq!(files_in(&dir), before);
    // mdBook's src, and a new directory under it.
    let mdbook = scratch("cli-out-mdbook");
    let copy = |from: &str, to: &str| {
        let to = mdbook.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join("tests/fixtures/forms/mdbook").join(from), to).unwrap();
    };
    copy("book.toml", "book.toml");
    for entry in std::fs::read_dir(root().join("tests/fixtures/forms/mdbook/src")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        copy(&format!("src/{name}"), &format!("src/{name}"));
    }
    let src_before = files_in(&mdbook.join("src"));
    for target in ["src", "src/out", "src/x/../y"] {
        let target = mdbook.join(target);
        let out = samizdat(&[
            "build",
            mdbook.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{target:?}: {err}");
        assert!(
            err.contains("the book's own source directory")
                || err.contains("inside the book's source directory"),
            "{err}"
        );
        assert_eq!(files_in(&mdbook.join("src")), src_before, "{target:?}");
    }
    // The book's own directory spelt with `..` through a directory not made yet.
    let spelt = dir.join("not-yet").join("..");
    let out = samizdat(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        spelt.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn issue_12_a_long_title_and_the_longest_edition_name_still_build() {
    let title = "Ж".repeat(126);
    let edition = "e".repeat(64);
    let dir = scratch("cli-long-both");
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"{title}\"\n\n[contents]\nchapters = [\"c.md\"]\n\n[edition.{edition}]\nformat = \"epub\"\n"),
    )
    .unwrap();
    std::fs::write(dir.join("c.md"), "# C\n\nТекст.\n").unwrap();
    let out = samizdat(&["build", "-q", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names = files_in(&dir.join("out"));
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(
        ".".len() + names[0].len() + ".4294967295.tmp".len() <= 255,
        "{}",
        names[0].len()
    );
}

#[test]
fn issue_12_five_thousand_equal_headings_get_distinct_ids_in_both_formats() {
    let mut md = String::from("# C {#c}\n\n## Same {#same-3}\n\n");
    for _ in 0..5000 {
        md.push_str("## Same\n\n");
    }
    let dir = book("cli-5000", "T", &md);
    let tree = samizdat(&["tree", dir.to_str().unwrap()]);
    let dump = stdout(&tree);
    // The author's own `same-3` is skipped over, so the last is `-5000`.
    assert!(
        dump.contains("#same-5000"),
        "{}",
        &dump[dump.len().saturating_sub(300)..]
    );
    assert!(!dump.contains("#same-5001"));
    let ids: Vec<&str> = dump
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Heading 2 #"))
        .collect();
    assert_eq!(ids.len(), 5001);
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an id was given twice");
    assert_eq!(ids[..5], ["same-3", "same", "same-1", "same-2", "same-4"]);
    let dest = scratch("cli-5000-out");
    let out = samizdat(&[
        "build",
        "-q",
        dir.to_str().unwrap(),
        "-e",
        "ereader",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn issue_12_clap_errors_quote_arguments_escaped() {
    let out = samizdat(&["build", "--x\u{202e}\u{7}y", "--\u{1b}]0;title\u{7}"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unexpected argument"), "{err}");
    assert!(
        !err.contains('\u{202e}') && !err.contains('\u{7}') && !err.contains('\u{1b}'),
        "{err:?}"
    );
}
