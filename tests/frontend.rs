//! The front end end to end: book forms, goldens of the shared tree, the
//! sample book, diagnostics and exit codes, and real Markdown nobody here wrote.

mod common;

use common::*;

/// `samizdat tree` of every `tests/golden/markdown/<case>.md` equals
/// `<case>.tree`.
#[test]
fn tree_goldens_of_markdown_cases() {
    let dir = root().join("tests/golden/markdown");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 5,
        "expected the golden cases, found {cases:?}"
    );
    let mut goldens = Goldens::default();
    for case in cases {
        let rel = case
            .strip_prefix(root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let out = samizdat(&["tree", &rel]);
        if out.status.success() {
            goldens.check(&case.with_extension("tree"), &stdout(&out));
        } else {
            goldens.fail(format!("{rel}: {}", stderr(&out)));
        }
    }
    goldens.finish();
}

#[test]
fn cross_chapter_links_resolve_and_dead_ones_warn() {
    let out = samizdat(&["tree", "tests/fixtures/links"]);
    assert!(out.status.success(), "{}", stderr(&out));
    golden(&root().join("tests/golden/tree/links.tree"), &stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("tests/fixtures/links/a.md:4:3: warning: link to `missing.md` goes nowhere"),
        "{err}"
    );
}

#[test]
fn three_book_forms_give_the_same_tree() {
    let trees: Vec<String> = [
        "tests/fixtures/forms/ours",
        "tests/fixtures/forms/mdbook",
        "tests/fixtures/forms/single.md",
    ]
    .iter()
    .map(|p| {
        let out = samizdat(&["tree", p]);
        assert!(out.status.success(), "{p}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{p} has warnings");
        stdout(&out)
    })
    .collect();
    assert!(trees[0].contains("Chapter 2 #two"), "{}", trees[0]);
    assert!(trees[0].contains("Link to=#deeper"), "{}", trees[0]);
    assert_eq!(trees[0], trees[1], "book.toml vs mdBook");
    assert_eq!(trees[0], trees[2], "book.toml vs single file");
}

#[test]
fn sample_book_checks_without_warnings() {
    let out = samizdat(&["check", "--deny-warnings", "book"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = stdout(&samizdat(&["tree", "book"]));
    let count = |prefix: &str| {
        tree.lines()
            .filter(|l| l.trim_start().starts_with(prefix))
            .count()
    };
    assert_eq!(count("Front #"), 1, "the introduction");
    assert_eq!(count("Part "), 2);
    assert_eq!(count("Chapter "), 15, "8 + 7 numbered chapters");
    assert_eq!(count("Back #"), 1, "acknowledgements");
    assert!(tree.contains("title \"Stalinism and Bureaucracy\""));
    assert!(tree.contains("title \"The Leninist Party\""));
    let mut notes: Vec<_> = tree
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Note "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    notes.dedup();
    assert!(notes.len() >= 15, "only {} notes", notes.len());
    assert!(
        tree.contains("Chapter 15 #"),
        "numbering runs through the parts"
    );
}

#[test]
fn missing_note_definition_is_a_caret_error() {
    let out = samizdat(&["check", "tests/fixtures/broken"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "tests/fixtures/broken/ch.md:3:18: error: footnote [^missing] has no definition\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("3 | This cites a note[^missing] that is never defined."),
        "{err}"
    );
    assert!(err.contains("  |                  ^"), "{err}");
}

#[test]
fn misspelt_key_is_a_config_error_with_a_hint() {
    let out = samizdat(&["check", "tests/fixtures/badkey"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("tests/fixtures/badkey/book.toml:3:1: error: unknown field `subtitel`"),
        "{err}"
    );
    assert!(err.contains("help: did you mean `subtitle`?"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(samizdat(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        samizdat(&["build", "book", "--edition", "nope"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        samizdat(&["check", "tests"]).status.code(),
        Some(2),
        "no book.toml"
    );
}

#[test]
fn every_help_has_an_example() {
    for cmd in ["build", "check", "init", "tree"] {
        let out = samizdat(&[cmd, "--help"]);
        assert!(out.status.success());
        assert!(
            stdout(&out).contains("Example"),
            "{cmd} --help has no example"
        );
    }
}

#[test]
fn init_makes_a_book_that_checks() {
    let dir = scratch("init-book");
    let book = dir.join("new");
    let out = samizdat(&["init", book.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = samizdat(&["check", "--deny-warnings", book.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A second init refuses to overwrite.
    assert_eq!(
        samizdat(&["init", book.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

/// Every example of the CommonMark spec, as a one-chapter book, parses
/// without a panic (the loader runs in-process for speed).
#[test]
fn commonmark_examples_never_panic() {
    let dir = scratch("commonmark");
    for (n, markdown) in commonmark::examples() {
        let file = dir.join(format!("ex{n}.md"));
        std::fs::write(&file, format!("---\ntitle: Example {n}\n---\n\n{markdown}")).unwrap();
        // Errors (an undefined note) are fine; a panic is not.
        let _ = samizdat::load::load(&file);
    }
}
