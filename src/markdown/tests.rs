use super::*;
use std::path::Path;

use super::build::classify;
use crate::doc::{self, Align, Block, Inline, Target};

fn parse_str(text: &str) -> (Vec<Block>, Context) {
    let mut cx = Context::new();
    let parsed = parse(FileId(0), text, &mut cx);
    (parsed.blocks, cx)
}

fn text_of(inlines: &[Inline]) -> String {
    doc::plain_text(inlines)
}

#[test]
fn smart_punctuation_and_merged_text() {
    let (blocks, _) = parse_str("\"Quoted\" -- it's... done --- yes\n");
    let Block::Para { content, .. } = &blocks[0] else {
        panic!()
    };
    assert_eq!(content.len(), 1, "{content:?}");
    assert_eq!(text_of(content), "“Quoted” – it’s… done — yes");
}

#[test]
fn footnote_reference_carries_its_blocks() {
    let text =
        "A[^a] and B[^b] and A again[^a].\n\n[^a]: First.\n\n    Second para.\n\n[^b]: Bee.\n";
    let (blocks, cx) = parse_str(text);
    assert!(cx.errors.is_empty() && cx.warnings.is_empty());
    let Block::Para { content, .. } = &blocks[0] else {
        panic!()
    };
    let notes: Vec<_> = content
        .iter()
        .filter_map(|i| match i {
            Inline::Note { id, blocks, .. } => Some((id.0, blocks.len())),
            _ => None,
        })
        .collect();
    // The first reference carries the blocks; a later one only the id.
    assert_eq!(notes, [(0, 2), (1, 1), (0, 0)]);
    assert_eq!(blocks.len(), 1, "definitions are not blocks of the text");
}

#[test]
fn notes_citing_notes_twice_are_copied_once() {
    // Issue 12: each note cites the next twice; filling every reference
    // would copy the last note 2³ times, and fifteen notes in all.
    let mut text = String::from("A[^n0].\n\n");
    for i in 0..3 {
        text.push_str(&format!(
            "[^n{i}]: cites[^n{}] again[^n{}].\n",
            i + 1,
            i + 1
        ));
    }
    text.push_str("[^n3]: end.\n");
    let (blocks, cx) = parse_str(&text);
    assert!(cx.errors.is_empty(), "{:?}", cx.errors);
    let mut filled = 0;
    let mut stack = vec![blocks];
    while let Some(mut blocks) = stack.pop() {
        visit_inlines_mut(&mut blocks, &mut |i| {
            if let Inline::Note { blocks, .. } = i
                && !blocks.is_empty()
            {
                filled += 1;
                stack.push(std::mem::take(blocks));
            }
        });
    }
    assert_eq!(filled, 4);
}

#[test]
fn a_chain_of_notes_too_deep_is_refused_once() {
    let mut text = String::from("A[^n0].\n\n");
    for i in 0..9 {
        text.push_str(&format!("[^n{i}]: cites[^n{}] and[^n{}].\n", i + 1, i + 1));
    }
    text.push_str("[^n9]: end.\n");
    let (_, cx) = parse_str(&text);
    let msgs: Vec<_> = cx.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "footnote [^n4] would nest notes 5 deep (a note cited from a note cited from …); at most 4 are accepted"
        ]
    );
}

#[test]
fn notes_citing_each_other_warn_with_the_chain() {
    let (_, cx) = parse_str("A[^a].\n\n[^a]: see[^b]\n\n[^b]: see[^a]\n");
    let msgs: Vec<_> = cx.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(msgs, ["footnote [^a] refers to itself through [^b]"]);
}

#[test]
fn missing_definition_is_an_error_at_the_reference() {
    let (_, cx) = parse_str("Text[^nope].\n");
    assert_eq!(cx.errors.len(), 1);
    assert!(cx.errors[0].message.contains("[^nope] has no definition"));
    assert_eq!(
        cx.errors[0].location,
        crate::diag::Location::Span(Span::new(FileId(0), 4..11))
    );
}

#[test]
fn unused_and_doubled_definitions_warn() {
    let (_, cx) = parse_str("A[^a].\n\n[^a]: one\n\n[^a]: two\n\n[^z]: unused\n");
    assert!(cx.errors.is_empty());
    let msgs: Vec<_> = cx.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "footnote [^a] is defined twice; the first definition is used",
            "footnote [^z] is never referenced"
        ]
    );
}

#[test]
fn self_referencing_note_is_cut() {
    let (_, cx) = parse_str("A[^a].\n\n[^a]: see[^a]\n");
    assert!(
        cx.warnings
            .iter()
            .any(|w| w.message.contains("refers to itself"))
    );
}

#[test]
fn heading_ids_explicit_derived_and_deduplicated() {
    let (blocks, cx) =
        parse_str("## Hello World\n\n## Hello World\n\n## Other {#x .cls}\n\n## Again {#x}\n");
    let ids: Vec<_> = blocks
        .iter()
        .map(|b| match b {
            Block::Heading { id, .. } => id.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(ids, ["hello-world", "hello-world-1", "x", "x-1"]);
    // Only the clash of an explicit id is worth a warning.
    assert_eq!(cx.warnings.len(), 1);
    assert!(cx.warnings[0].message.contains("`x` is already used"));
}

#[test]
fn tight_and_loose_lists_and_tasks() {
    let (blocks, _) = parse_str("- a\n- [x] b\n\n1. one\n\n2. two\n");
    let Block::List {
        start: None,
        tight: true,
        items,
        ..
    } = &blocks[0]
    else {
        panic!("{blocks:?}")
    };
    assert_eq!(items[1].task, Some(true));
    assert!(matches!(items[0].blocks[0], Block::Para { .. }));
    assert!(matches!(
        blocks[1],
        Block::List {
            start: Some(1),
            tight: false,
            ..
        }
    ));
}

#[test]
fn tables_definition_lists_code_and_html() {
    let text = "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nTerm\n: Def\n\n```rust\nfn x() {}\n```\n\n<div>hi</div>\n";
    let (blocks, _) = parse_str(text);
    let Block::Table {
        align, head, rows, ..
    } = &blocks[0]
    else {
        panic!("{blocks:?}")
    };
    assert_eq!(align, &[Align::Left, Align::Right]);
    assert_eq!(text_of(&head[1]), "b");
    assert_eq!(text_of(&rows[0][0]), "1");
    let Block::DefinitionList { items, .. } = &blocks[1] else {
        panic!("{blocks:?}")
    };
    assert_eq!(text_of(&items[0].term), "Term");
    assert_eq!(items[0].definitions.len(), 1);
    assert!(
        matches!(&blocks[2], Block::CodeBlock { lang: Some(l), text, .. } if l == "rust" && text == "fn x() {}\n")
    );
    assert!(matches!(&blocks[3], Block::Html { html, .. } if html == "<div>hi</div>\n"));
}

#[test]
fn links_are_classified() {
    assert_eq!(
        classify("https://x.org"),
        Target::External("https://x.org".into())
    );
    assert_eq!(
        classify("mailto:a@b"),
        Target::External("mailto:a@b".into())
    );
    assert_eq!(
        classify("other.md#x"),
        Target::Internal("other.md#x".into())
    );
    assert_eq!(classify("#x"), Target::Internal("#x".into()));
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let text = format!("{}deep\n", "> ".repeat(10_000));
    let (_, cx) = parse_str(&text);
    assert_eq!(cx.errors.len(), 1);
    assert!(cx.errors[0].message.contains("nesting deeper than"));
}

#[test]
fn resolve_links_across_files_and_drop_dangling() {
    let mut cx = Context::new();
    let a = parse(
        FileId(0),
        "# A\n\n[to b](sub/b.md#sec) [self](#a) [gone](nope.md)\n",
        &mut cx,
    );
    let b = parse(FileId(1), "# B\n\n## Sec\n\n[back](../a.md)\n", &mut cx);
    let mut index = LinkIndex::default();
    index
        .files
        .insert("a.md".into(), ("a".into(), a.anchors.clone()));
    index
        .files
        .insert("sub/b.md".into(), ("b".into(), b.anchors.clone()));
    let mut warnings = Vec::new();
    let mut blocks = a.blocks;
    resolve_links(&mut blocks, Path::new("a.md"), &index, &mut warnings);
    assert_eq!(
        link_targets(&blocks),
        [Target::Internal("sec".into()), Target::Internal("a".into())]
    );
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("`nope.md` goes nowhere"));
    let mut blocks = b.blocks;
    resolve_links(&mut blocks, Path::new("sub/b.md"), &index, &mut warnings);
    assert_eq!(warnings.len(), 1);
}

#[test]
fn summary_gives_prefix_parts_nesting_and_suffix() {
    let text = "# Summary\n\n[Intro](intro.md)\n\n- [One](one.md)\n    - [One.A](one/a.md)\n- [Draft]()\n\n# Second Part\n\n- [Two](two.md)\n\n---\n\n[Thanks](thanks.md)\n";
    let s = parse_summary(FileId(0), text);
    let names = |v: &[SummaryLink]| {
        v.iter()
            .map(|l| (l.name.clone(), l.depth))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&s.prefix), [("Intro".to_string(), 1)]);
    assert_eq!(s.parts.len(), 2);
    assert_eq!(s.parts[0].title, None);
    assert_eq!(
        names(&s.parts[0].chapters),
        [("One".into(), 1), ("One.A".into(), 2), ("Draft".into(), 1)]
    );
    assert_eq!(s.parts[0].chapters[2].path, None);
    assert_eq!(s.parts[1].title.as_deref(), Some("Second Part"));
    assert_eq!(names(&s.suffix), [("Thanks".to_string(), 1)]);
}

#[test]
fn control_characters_are_removed_with_one_warning() {
    let (blocks, cx) = parse_str("a\u{7}b\u{0}c `x\u{1b}y`\n\nd\u{8}e\n");
    let Block::Para { content, .. } = &blocks[0] else {
        panic!()
    };
    assert_eq!(text_of(content), "abc xy");
    assert_eq!(cx.warnings.len(), 1, "{:?}", cx.warnings);
    let Block::Para { content, .. } = &blocks[1] else {
        panic!()
    };
    assert_eq!(text_of(content), "de");
}

/// The targets of the links in a file's blocks, in order.
fn link_targets(blocks: &[Block]) -> Vec<Target> {
    let mut out = Vec::new();
    for b in blocks {
        if let Block::Para { content, .. } = b {
            out.extend(content.iter().filter_map(|i| match i {
                Inline::Link { target, .. } => Some(target.clone()),
                _ => None,
            }));
        }
    }
    out
}

#[test]
fn links_reach_repeated_headings_and_mdbook_html_names() {
    let mut cx = Context::new();
    // The sample book's id `options` is taken already, so this file's two
    // headings get `options-1` and `options-2` book-wide; GitHub names them
    // `options` and `options-1` within the file.
    cx.claim_id("options", false, None);
    let a = parse(
        FileId(0),
        "# A\n\n## Options\n\n## Options\n\n[1](#options) [2](#options-1) [3](#options-2) [b](b.html#x) [i](sub/index.html) [sp](b%2Emd)\n",
        &mut cx,
    );
    let b = parse(FileId(1), "# B\n\n## X\n", &mut cx);
    let sub = parse(FileId(2), "# Sub\n", &mut cx);
    let mut index = LinkIndex::default();
    index
        .files
        .insert("a.md".into(), ("a".into(), a.anchors.clone()));
    index
        .files
        .insert("b.md".into(), ("b".into(), b.anchors.clone()));
    index
        .files
        .insert("sub/README.md".into(), ("sub".into(), sub.anchors.clone()));
    let mut warnings = Vec::new();
    let mut blocks = a.blocks;
    resolve_links(&mut blocks, Path::new("a.md"), &index, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let t = |s: &str| Target::Internal(s.into());
    assert_eq!(
        link_targets(&blocks),
        [
            t("options-1"),
            t("options-2"),
            t("options-2"),
            t("x"),
            t("sub"),
            t("b")
        ]
    );
}

#[test]
fn a_description_needs_white_space_after_its_colon() {
    let (blocks, _) = parse_str("Some text\n:3 or so.\n\nTerm\n:   meaning\n\nLead\n::: {#id}\n");
    let kinds: Vec<_> = blocks
        .iter()
        .map(|b| match b {
            Block::Para { content, .. } => format!("Para {}", text_of(content)),
            Block::DefinitionList { items, .. } => format!("Terms {}", items.len()),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        ["Para Some text :3 or so.", "Terms 1", "Para Lead ::: {#id}"],
        "{blocks:?}"
    );
}

#[test]
fn short_unnumbered_attribute_is_a_class() {
    let (blocks, _) = parse_str("## Preface {-}\n\n## Notes {#n -}\n\n## Plain\n");
    let classes: Vec<_> = blocks
        .iter()
        .map(|b| match b {
            Block::Heading { classes, .. } => classes.clone(),
            _ => Vec::new(),
        })
        .collect();
    assert_eq!(
        classes,
        [
            vec!["unnumbered".to_string()],
            vec!["unnumbered".into()],
            vec![]
        ]
    );
}

/// Parses `files` (path, text) into one book's link index with `rule`,
/// resolves the links of the first and returns their targets and the
/// warnings.
fn resolve_first(rule: doc::IdRule, files: &[(&str, &str)]) -> (Vec<Target>, Vec<Diagnostic>) {
    let mut cx = Context::new();
    cx.id_rule = rule;
    let mut index = LinkIndex::default();
    let mut first = None;
    for (n, (path, text)) in files.iter().enumerate() {
        let parsed = parse(FileId(n as u32), text, &mut cx);
        let top = parsed
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Heading { id, .. } => Some(id.clone()),
                _ => None,
            })
            .unwrap_or_default();
        index.files.insert(path.into(), (top, parsed.anchors));
        first.get_or_insert(parsed.blocks);
    }
    let mut blocks = first.unwrap();
    let mut warnings = cx.warnings;
    resolve_links(&mut blocks, Path::new(files[0].0), &index, &mut warnings);
    (link_targets(&blocks), warnings)
}

#[test]
fn heading_ids_follow_the_rule_and_links_find_either_spelling() {
    let t = |s: &str| Target::Internal(s.into());
    let text = "# 3. Snake_case v1.2\n\n## Über Alles\n\n\
                [p](#snake_case-v1.2) [g](#3-snake_case-v12) [u](#über-alles) [m](#Über-alles)\n";
    // A single file: pandoc's rule gives the ids; GitHub's and mdBook's
    // spellings find them too.
    let (targets, warnings) = resolve_first(doc::IdRule::Pandoc, &[("a.md", text)]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        targets,
        [
            t("snake_case-v1.2"),
            t("snake_case-v1.2"),
            t("über-alles"),
            t("über-alles")
        ]
    );
    // Chapter files: GitHub's rule (its leading digit kept: EPUBCheck takes
    // such ids), found by pandoc's spelling too.
    let (targets, warnings) = resolve_first(doc::IdRule::GitHub, &[("a.md", text)]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        targets,
        [
            t("3-snake_case-v12"),
            t("3-snake_case-v12"),
            t("über-alles"),
            t("über-alles")
        ]
    );
}

#[test]
fn repeated_headings_are_numbered_as_written_in_each_spelling() {
    let t = |s: &str| Target::Internal(s.into());
    // Two files with the same headings: the second file's get `-2`, `-3`
    // book-wide, but a link into it uses the numbering within the file.
    let a = "# A\n\n## Options\n\n## Options\n\n[o](b.md#options) [o1](b.md#options-1) [here](#options-1)\n";
    let b = "# B\n\n## Options\n\n## Options\n";
    let (targets, warnings) = resolve_first(doc::IdRule::GitHub, &[("a.md", a), ("b.md", b)]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(targets, [t("options-2"), t("options-3"), t("options-1")]);
}

#[test]
fn raw_html_ids_are_link_targets() {
    let t = |s: &str| Target::Internal(s.into());
    let a = "# A\n\n<div id=\"box\">\n\nIn a box.\n\n</div>\n\n\
             Text <a id=\"here\"></a> and <span id=\"sp\">x</span>.\n\n\
             [1](#box) [2](#here) [3](#sp) [4](b.md#old) [5](b.md#blk)\n";
    let b = "# B\n\n<a name=\"old\"></a>\n\n<p id=\"blk\">raw</p>\n";
    let (targets, warnings) = resolve_first(doc::IdRule::GitHub, &[("a.md", a), ("b.md", b)]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(targets, [t("box"), t("here"), t("sp"), t("old"), t("blk")]);
}

#[test]
fn a_raw_html_id_already_used_is_a_warning() {
    let (blocks, cx) = parse_str("# Intro\n\n<a id=\"intro\"></a>\n\n## Later\n");
    assert_eq!(cx.warnings.len(), 1, "{:?}", cx.warnings);
    assert!(cx.warnings[0].message.contains("`intro` in raw HTML"));
    assert!(matches!(&blocks[0], Block::Heading { id, .. } if id == "intro"));
    // One taken by raw HTML first is not given to a heading.
    let (blocks, cx) = parse_str("<a id=\"later\"></a>\n\n# Later\n");
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    assert!(matches!(&blocks[1], Block::Heading { id, .. } if id == "later-1"));
}

#[test]
fn links_to_nowhere_are_warnings_at_their_line() {
    let a = "# A\n\n[id](#missing)\n\n[file](gone.md) [hash](#) [top](b.md#)\n";
    let b = "# B\n";
    let (targets, warnings) = resolve_first(doc::IdRule::GitHub, &[("a.md", a), ("b.md", b)]);
    // `#` alone is the top of the file: its first chapter, as in HTML.
    assert_eq!(
        targets,
        [Target::Internal("a".into()), Target::Internal("b".into())]
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].message.contains("`#missing` goes nowhere"));
    assert!(warnings[1].message.contains("`gone.md` goes nowhere"));
    assert!(
        warnings
            .iter()
            .all(|w| matches!(w.location, crate::diag::Location::Span(_)))
    );
}
