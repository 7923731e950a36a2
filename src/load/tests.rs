use super::*;
use crate::doc;

#[test]
fn file_slugs_are_plain_and_short() {
    assert_eq!(file_slug("../../etc/passwd\u{1b}[31m"), "etcpasswd31m");
    let long = "Жизнь ".repeat(21);
    let slug = file_slug(&long);
    assert!(slug.len() <= MAX_SLUG_BYTES, "{}", slug.len());
    assert!(
        slug.starts_with("жизнь-жизнь") && !slug.ends_with('-'),
        "{slug}"
    );
    assert_eq!(file_slug("   "), "section");
}

#[test]
fn derived_identifier_is_a_stable_v5_uuid() {
    let a = derive_identifier("Thermidor and the Party");
    assert_eq!(a, derive_identifier(" Thermidor and the Party "));
    assert_ne!(a, derive_identifier("Another Book"));
    assert_eq!(a.len(), "urn:uuid:".len() + 36);
    assert_eq!(&a[9 + 14..9 + 15], "5", "version nibble");
}

/// A fresh directory holding `files`.
fn dir_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samizdat-load-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// (matter, number, title) of every chapter, in reading order.
fn outline(book: &Book) -> Vec<(doc::Matter, Option<u32>, String)> {
    let row = |c: &doc::Chapter| (c.matter, c.number, doc::plain_text(&c.title));
    let mut out: Vec<_> = book.front.iter().map(row).collect();
    for d in &book.body {
        match d {
            doc::Division::Chapter(c) => out.push(row(c)),
            doc::Division::Part(p) => out.extend(p.chapters.iter().map(row)),
        }
    }
    out.extend(book.back.iter().map(row));
    out
}

fn levels(blocks: &[doc::Block]) -> Vec<u8> {
    blocks
        .iter()
        .filter_map(|b| match b {
            doc::Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .collect()
}

#[test]
fn a_single_file_is_cut_at_its_highest_heading_level() {
    use doc::Matter::*;
    let text = "---\ntitle: The Book\n---\n\n# The Book\n\n## Preface\n\nP.\n\n## I\n\nOne.\n\n### Part one\n\n## II\n\nTwo.\n\n## Notes\n\nN.\n";
    let dir = dir_with("split", &[("book.md", text)]);
    let p = load(&dir.join("book.md")).unwrap();
    assert_eq!(
        outline(&p.book),
        [
            (Front, None, "Preface".to_string()),
            // Titled by their numbers: no second number.
            (Body, None, "I".into()),
            (Body, None, "II".into()),
            (Back, None, "Notes".into()),
        ]
    );
    let doc::Division::Chapter(one) = &p.book.body[0] else {
        panic!()
    };
    assert_eq!(levels(&one.blocks), [2], "sections sit under the title");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn a_chapter_title_keeps_its_heading_s_language() {
    // In a single file and in a chapter file alike, `{lang=…}` on the
    // heading that becomes the title stays with the title's text.
    let single = dir_with(
        "title-lang",
        &[(
            "book.md",
            "---\ntitle: T\n---\n\n## Premier {lang=fr}\n\nUn.\n\n## Second\n\nDeux.\n",
        )],
    );
    let files = dir_with(
        "title-lang-files",
        &[
            ("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n"),
            ("src/one.md", "# Eins {lang=de}\n\nE.\n"),
        ],
    );
    for (path, lang) in [(single.join("book.md"), "fr"), (files, "de")] {
        let p = load(&path).unwrap();
        let first = p.book.chapters().next().unwrap();
        let [doc::Inline::Span { attrs, content, .. }] = first.title.as_slice() else {
            panic!("{:?}", first.title)
        };
        assert_eq!(attrs.lang.as_deref(), Some(lang));
        assert!(!doc::plain_text(content).is_empty());
    }
    let p = load(&single.join("book.md")).unwrap();
    let second = p.book.chapters().nth(1).unwrap();
    assert_eq!(doc::plain_text(&second.title), "Second");
    assert!(matches!(
        second.title.as_slice(),
        [doc::Inline::Text { .. }]
    ));
}

#[test]
fn split_level_in_the_front_matter_wins_and_one_chapter_is_warned() {
    let text =
        "---\ntitle: T\nsplit-level: 3\n---\n\n## Big\n\n### Alpha\n\nA.\n\n### Beta\n\nB.\n";
    let dir = dir_with("split-level", &[("book.md", text)]);
    let p = load(&dir.join("book.md")).unwrap();
    let titles: Vec<_> = outline(&p.book)
        .into_iter()
        .map(|(_, n, t)| (n, t))
        .collect();
    assert_eq!(
        titles,
        // Headings above the split level start chapters too, as in pandoc.
        [
            (Some(1), "Big".to_string()),
            (Some(2), "Alpha".into()),
            (Some(3), "Beta".into())
        ]
    );
    let text = "---\ntitle: T\n---\n\n## Only\n\n### Section\n\nText.\n";
    let dir = dir_with("one-chapter", &[("book.md", text)]);
    let p = load(&dir.join("book.md")).unwrap();
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(p.warnings[0].message.contains("comes out as one chapter"));
    assert!(
        p.warnings[0]
            .hints
            .iter()
            .any(|h| h.contains("split-level: 3"))
    );
    let text = "---\ntitle: T\nsplit-level: seven\n---\n\n# A\n";
    let dir = dir_with("bad-split", &[("book.md", text)]);
    let e = load(&dir.join("book.md")).unwrap_err();
    let d = &e.diagnostics()[0];
    assert!(d.message.contains("`split-level`"), "{}", d.message);
    assert!(
        matches!(d.location, Location::Path { line: 3, .. }),
        "{:?}",
        d.location
    );
}

#[test]
fn split_level_in_book_toml_cuts_every_chapter_file() {
    use doc::Matter::*;
    let toml = "[book]\ntitle = \"T\"\nsplit-level = 2\n[contents]\nfront = [\"pre.md\"]\nchapters = [\"alpha.md\", \"beta.md\"]\n[[contents.parts]]\ntitle = \"P\"\nintro = \"intro.md\"\nchapters = [\"gamma.md\"]\n";
    let dir = dir_with(
        "split-toml",
        &[
            ("book.toml", toml),
            ("pre.md", "# Preface\n\nP.\n\n## Thanks\n\nT.\n"),
            // A title over two sections: three chapters.
            (
                "alpha.md",
                "# Alpha\n\nA.\n\n## Alpha one\n\nA1.\n\n### Deeper\n\nD.\n\n## Alpha two\n\nA2.\n",
            ),
            // Text before the first cut: a chapter titled by the file.
            ("beta.md", "Lead.\n\n## Beta one {-}\n\nB1.\n"),
            // No heading to cut at: one chapter.
            ("gamma.md", "Just text.\n\n### Small\n\nS.\n"),
            ("intro.md", "# Intro\n\nI.\n\n## Not cut\n\nN.\n"),
        ],
    );
    let p = load(&dir).unwrap();
    assert_eq!(
        outline(&p.book),
        [
            (Front, None, "Preface".to_string()),
            (Front, None, "Thanks".into()),
            (Body, Some(1), "Alpha".into()),
            (Body, Some(2), "Alpha one".into()),
            (Body, Some(3), "Alpha two".into()),
            (Body, Some(4), "beta".into()),
            (Body, None, "Beta one".into()),
            (Body, Some(5), "gamma".into()),
        ]
    );
    let chapters: Vec<_> = p.book.chapters().collect();
    // A piece's headings sit under its title, at level 2.
    assert_eq!(levels(&chapters[3].blocks), [2]);
    assert_eq!(chapters[3].source, Path::new("alpha.md"));
    let part = p.book.parts().next().unwrap();
    assert_eq!(levels(&part.intro), [2], "the intro is not cut");
    // A link to the file goes to its first chapter.
    assert_eq!(chapters[2].id, "alpha");
}

#[test]
fn split_level_in_book_toml_cuts_summary_entries_at_their_depth() {
    let dir = dir_with(
        "split-summary",
        &[
            ("book.toml", "[book]\ntitle = \"T\"\nsplit-level = 1\n"),
            (
                "src/SUMMARY.md",
                "# Summary\n\n- [One](one.md)\n    - [Sub](sub.md)\n",
            ),
            ("src/one.md", "# One\n\nO.\n"),
            ("src/sub.md", "# Sub A\n\nA.\n\n# Sub B\n\nB.\n"),
        ],
    );
    let p = load(&dir).unwrap();
    let rows: Vec<_> = p
        .book
        .chapters()
        .map(|c| (doc::plain_text(&c.title), c.depth, c.number))
        .collect();
    assert_eq!(
        rows,
        [
            ("One".to_string(), 1, Some(1)),
            ("Sub A".into(), 2, None),
            ("Sub B".into(), 2, None)
        ]
    );
}

#[test]
fn a_folder_with_a_summary_and_no_book_toml_is_a_book() {
    let dir = dir_with(
        "the-old-man/chapters",
        &[
            (
                "SUMMARY.md",
                "# Summary\n\n- [preface](preface.md)\n- [one](one.md)\n- [two](two.md)\n",
            ),
            ("preface.md", "## Preface\n\nWhy.\n"),
            ("one.md", "## A Beginning\n\nText.\n\n### Later\n\nMore.\n"),
            ("two.md", "Untitled text.\n"),
        ],
    );
    let p = load(&dir).unwrap();
    assert!(
        p.book.meta.title.ends_with("The Old Man"),
        "{}",
        p.book.meta.title
    );
    use doc::Matter::*;
    assert_eq!(
        outline(&p.book),
        [
            (Front, None, "Preface".to_string()),
            // The file's own heading, not the SUMMARY's label.
            (Body, Some(1), "A Beginning".into()),
            (Body, Some(2), "two".into()),
        ]
    );
    let doc::Division::Chapter(one) = &p.book.body[0] else {
        panic!()
    };
    assert_eq!(levels(&one.blocks), [2]);
    let empty = dir_with("nothing-here", &[("notes.txt", "x")]);
    let e = load(&empty).unwrap_err();
    assert!(e.diagnostics()[0].message.contains("no SUMMARY.md"));
}
