//! mdBook's sub-chapters in print (`typeset/family.rs`): sections of their
//! parent chapter, on its page, one level down in the contents and the
//! outline, their notes numbered and gathered with the parent's.

use super::*;
use crate::style::{NoteNumbering, NotePlacement};
use crate::typeset::page::OutlineEntry;

fn sub(id: &str, depth: u8, blocks: Vec<Block>) -> Chapter {
    Chapter {
        number: None,
        depth,
        ..chapter(id, 0, blocks)
    }
}

fn heading(level: u8, id: &str, t: &str) -> Block {
    Block::Heading {
        level,
        id: id.into(),
        classes: vec![],
        lang: None,
        content: vec![text(t)],
        span: Span::default(),
    }
}

fn note(n: u32, t: &str) -> Inline {
    Inline::Note {
        id: NoteId(n),
        label: format!("n{n}"),
        blocks: vec![para(vec![text(t)])],
        span: Span::default(),
    }
}

/// Chapter "ch" (one paragraph), its sub-chapter "sub" (a paragraph and a
/// `##` heading), the sub-chapter's own child "subsub", then chapter "two".
fn nested_book() -> Book {
    let mut b = book(vec![para(vec![text("The parent's last line.")])]);
    b.body.push(Division::Chapter(sub(
        "sub",
        2,
        vec![
            para(vec![text("The sub-chapter's text.")]),
            heading(2, "sub-section", "A section of the sub-chapter"),
            para(vec![text("More.")]),
        ],
    )));
    b.body.push(Division::Chapter(sub(
        "subsub",
        3,
        vec![para(vec![text("Deeper still.")])],
    )));
    b.body.push(Division::Chapter(chapter(
        "two",
        2,
        vec![para(vec![text("Two.")])],
    )));
    b
}

/// The page index and outline entry of every destination.
fn dests(pages: &[Page]) -> HashMap<String, (usize, Option<OutlineEntry>)> {
    let mut out = HashMap::new();
    for (k, page) in pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Dest { id, outline, .. } = item {
                out.entry(id.clone()).or_insert((k, outline.clone()));
            }
        }
    }
    out
}

#[test]
fn a_sub_chapter_continues_on_its_parents_page_one_level_down() {
    let b = nested_book();
    let mut warnings = Warnings::new();
    let pages = set(&b, &PrintStyle::default(), &mut warnings);
    let d = dests(&pages);
    let (ch, ch_entry) = &d["ch"];
    let (sub, sub_entry) = &d["sub"];
    let (subsub, subsub_entry) = &d["subsub"];
    // The sub-chapter's title is on the page of the parent's last line,
    // and so is its own child's: no page break, no sink.
    assert_eq!(sub, ch);
    assert_eq!(subsub, ch);
    let text = lines(&pages[*ch]);
    let last = text
        .iter()
        .position(|l| l == "The parent's last line.")
        .unwrap();
    let title = text.iter().position(|l| l == "sub").unwrap();
    assert!(title > last, "{text:#?}");
    // The next chapter opens a page of its own.
    assert!(d["two"].0 > *ch);
    // In the outline, each nests under the one before (a deeper level).
    let level = |e: &Option<OutlineEntry>| e.as_ref().unwrap().level;
    assert_eq!(level(ch_entry), 1);
    assert!(level(sub_entry) > level(ch_entry));
    assert!(level(&d["sub-section"].1) > level(sub_entry));
    assert!(level(subsub_entry) > level(sub_entry));
    assert_eq!(level(&d["two"].1), 1);
    // A sub-chapter shows no chapter number (it has none).
    assert!(!text.iter().any(|l| l.contains("Chapter 2")), "{text:#?}");
}

#[test]
fn sub_chapters_sit_one_level_down_in_the_contents() {
    let b = nested_book();
    let levels: Vec<_> = contents_entries(&b)
        .into_iter()
        .map(|e| (e.id, e.level))
        .collect();
    assert_eq!(
        levels,
        [
            ("ch".to_string(), 0),
            ("sub".to_string(), 1),
            ("subsub".to_string(), 2),
            ("two".to_string(), 0)
        ]
    );
    // The print chapters are the top-level entries.
    assert_eq!(chapters(&b).len(), 2);
}

#[test]
fn a_sub_chapters_notes_follow_its_parents() {
    let mut b = book(vec![para(vec![text("A claim."), note(0, "First source.")])]);
    b.body.push(Division::Chapter(sub(
        "sub",
        2,
        vec![para(vec![text("Another."), note(1, "Second source.")])],
    )));
    let style = PrintStyle {
        note_placement: NotePlacement::ChapterEnd,
        note_numbering: NoteNumbering::PerChapter,
        ..PrintStyle::default()
    };
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    let text: Vec<String> = pages.iter().flat_map(lines).collect();
    // One Notes heading, after the sub-chapter's text, numbering on.
    let notes: Vec<_> = text.iter().filter(|l| *l == "Notes").collect();
    assert_eq!(notes.len(), 1, "{text:#?}");
    let at = text.iter().position(|l| l == "Notes").unwrap();
    let another = text.iter().position(|l| l.starts_with("Another.")).unwrap();
    assert!(at > another, "{text:#?}");
    assert!(text[at + 1].starts_with("1\u{2002}First"), "{text:#?}");
    assert!(text[at + 2].starts_with("2\u{2002}Second"), "{text:#?}");
}

#[test]
fn a_sub_chapters_pages_carry_its_parents_running_head() {
    // A sub-chapter long enough to turn the page: the pages after the
    // opening carry the parent's title (the rectos' head, in capitals), as
    // the chapter's own pages do, never the sub-chapter's.
    let long: Vec<Block> = (0..60)
        .map(|_| {
            para(vec![text(
                "Words set to fill the page and turn it over again.",
            )])
        })
        .collect();
    let mut b = book(vec![para(vec![text("Short.")])]);
    b.body.push(Division::Chapter(Chapter {
        title: vec![text("Nested title")],
        ..sub("sub", 2, long)
    }));
    let mut warnings = Warnings::new();
    let pages = set(&b, &PrintStyle::default(), &mut warnings);
    let opening = dests(&pages)["ch"].0;
    assert!(pages.len() > opening + 2);
    for page in &pages[opening + 1..] {
        let text = lines(page);
        let nested = |l: &String| l.to_uppercase().contains("NESTED TITLE");
        assert!(!text.iter().any(nested), "{text:#?}");
    }
    let heads: Vec<_> = pages[opening + 1..]
        .iter()
        .filter(|p| lines(p).first().is_some_and(|l| l == "ONE"))
        .collect();
    assert!(
        !heads.is_empty(),
        "the parent's title runs over its pages: {:#?}",
        lines(&pages[opening + 1])
    );
}
