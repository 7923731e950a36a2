//! Where a file's chapters begin and how its headings sit under them.
//!
//! A book converted by pandoc or from Standard Ebooks is often one file whose
//! chapters are `##` headings, or chapter files that open with `## IV`. As
//! pandoc's `--split-level` does, a file is cut at its highest heading level
//! present (or at the level the book sets), and the headings under a chapter
//! title are shifted up so that its sections are level 2 whatever level the
//! author wrote them at (pandoc's `--shift-heading-level-by`). Chapters at the
//! start titled "Preface", "Foreword", "Introduction"… are front matter, and
//! "Appendix", "Notes", "Afterword"… at the end back matter, as the EPUB
//! Structural Semantics vocabulary names them
//! (<https://www.w3.org/TR/epub-ssv-11/#sec-partitions>).

use crate::doc::{self, Block, Inline, Matter};
use crate::source::Span;

/// The heading levels a book may split at.
pub const SPLIT_LEVELS: std::ops::RangeInclusive<u8> = 1..=6;

/// The highest (numerically least) level among the headings that are blocks
/// of the file itself (not inside quotes or lists).
pub fn top_level(blocks: &[Block]) -> Option<u8> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
}

/// Moves every heading of `blocks` (in quotes, lists and definitions too)
/// `by` levels up, never above level 2: level 1 is the chapter's title.
pub fn shift_headings(blocks: &mut [Block], by: u8) {
    if by == 0 {
        return;
    }
    for block in blocks {
        match block {
            Block::Heading { level, .. } => *level = level.saturating_sub(by).max(2),
            Block::BlockQuote { blocks, .. } => shift_headings(blocks, by),
            Block::List { items, .. } => {
                for item in items {
                    shift_headings(&mut item.blocks, by);
                }
            }
            Block::DefinitionList { items, .. } => {
                for def in items.iter_mut().flat_map(|i| i.definitions.iter_mut()) {
                    shift_headings(def, by);
                }
            }
            _ => {}
        }
    }
}

/// How much to shift the headings of a chapter whose title was written at
/// `title_level`, so that its sections come out at level 2.
pub fn shift_for(title_level: u8) -> u8 {
    title_level.saturating_sub(1)
}

/// The heading that opens a chapter.
#[derive(Debug)]
pub struct Title {
    pub id: String,
    pub classes: Vec<String>,
    pub content: Vec<Inline>,
    pub span: Span,
}

/// A file cut at a heading level: what comes before the first cut, then
/// each chapter's title and blocks (headings already shifted).
#[derive(Debug, Default)]
pub struct Cut {
    pub lead: Vec<Block>,
    pub chapters: Vec<(Title, Vec<Block>)>,
}

/// Cuts `blocks` at every heading of level `level` or higher.
pub fn cut(blocks: Vec<Block>, level: u8) -> Cut {
    let mut out = Cut::default();
    for block in blocks {
        match block {
            Block::Heading {
                level: l,
                id,
                classes,
                lang,
                content,
                span,
            } if l <= level => out.chapters.push((
                Title {
                    id,
                    classes,
                    content: crate::doc::title_in_language(content, lang, span),
                    span,
                },
                Vec::new(),
            )),
            other => match out.chapters.last_mut() {
                Some((_, blocks)) => blocks.push(other),
                None => out.lead.push(other),
            },
        }
    }
    for (_, blocks) in &mut out.chapters {
        shift_headings(blocks, shift_for(level));
    }
    out
}

/// Title words of front matter (EPUB SSV partitions and divisions).
const FRONT_WORDS: &[&str] = &[
    "preface",
    "foreword",
    "introduction",
    "prologue",
    "dedication",
    "epigraph",
    "acknowledgements",
    "acknowledgments",
    "translator-s-note",
    "translators-note",
    "author-s-note",
    "authors-note",
    // de, fr, es, ru, uk.
    "vorwort",
    "geleitwort",
    "einleitung",
    "préface",
    "avant-propos",
    "avertissement",
    "prefacio",
    "prólogo",
    "introducción",
    "предисловие",
    "введение",
    "вступление",
    "передмова",
    "вступ",
];

/// Title words of back matter.
const BACK_WORDS: &[&str] = &[
    "appendix",
    "appendices",
    "notes",
    "endnotes",
    "afterword",
    "glossary",
    "bibliography",
    "references",
    "index",
    "colophon",
    // de, fr, es, ru, uk.
    "anhang",
    "nachwort",
    "anmerkungen",
    "annexe",
    "postface",
    "apéndice",
    "epílogo",
    "notas",
    "приложение",
    "послесловие",
    "примечания",
    "додаток",
    "післямова",
    "примітки",
];

/// Whether `title` (a slug) names a kind among `words`: the word itself or
/// the word followed by more (`preface-to-the-second-edition`, `appendix-a`).
fn names(title: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        title == *w
            || title
                .strip_prefix(w)
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

/// The matter of each chapter, by its title: a run of front-matter titles
/// at the start is front matter, a run of back-matter titles at the end back
/// matter, everything between the body. A book made only of such titles
/// keeps them all in the body.
pub fn matters(titles: &[Vec<Inline>]) -> Vec<Matter> {
    let slugs: Vec<String> = titles
        .iter()
        .map(|t| doc::word_slug(&doc::plain_text(t)))
        .collect();
    let front = slugs.iter().take_while(|s| names(s, FRONT_WORDS)).count();
    let back = slugs[front..]
        .iter()
        .rev()
        .take_while(|s| names(s, BACK_WORDS))
        .count();
    if front + back == slugs.len() {
        return vec![Matter::Body; slugs.len()];
    }
    (0..slugs.len())
        .map(|i| {
            if i < front {
                Matter::Front
            } else if i >= slugs.len() - back {
                Matter::Back
            } else {
                Matter::Body
            }
        })
        .collect()
}

/// Whether a title is already the chapter's number (`IV`, `12`,
/// `Chapter 3`, `Chapter XII.`, `Book II`): a book whose chapters are titled
/// so numbers them itself, and samizdat adds no number of its own.
pub fn is_number_title(title: &[Inline]) -> bool {
    let text = doc::plain_text(title);
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ':']))
        .collect();
    let numeral = |w: &str| {
        !w.is_empty() && (w.chars().all(|c| c.is_ascii_digit()) || crate::roman::is_numeral(w))
    };
    match words.as_slice() {
        [n] => numeral(n),
        [word, n, ..] => {
            matches!(
                word.to_lowercase().as_str(),
                "chapter" | "book" | "part" | "section" | "canto" | "letter"
            ) && numeral(n)
        }
        _ => false,
    }
}

/// Whether a heading asks not to be numbered: pandoc's `{.unnumbered}` or
/// its short form `{-}`.
pub fn unnumbered(classes: &[String]) -> bool {
    classes.iter().any(|c| c == "unnumbered" || c == "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text {
            text: s.into(),
            span: Span::new(FileId(0), 0..0),
        }]
    }

    #[test]
    fn matter_follows_the_titles_at_either_end() {
        let titles: Vec<_> = [
            "Preface",
            "Introduction",
            "I",
            "Notes on method",
            "II",
            "Appendix A",
            "Notes",
        ]
        .map(text)
        .into();
        use Matter::*;
        assert_eq!(
            matters(&titles),
            [Front, Front, Body, Body, Body, Back, Back]
        );
        assert_eq!(matters(&[text("Preface")]), [Body]);
        assert_eq!(
            matters(&[text("Prefaces and Others"), text("Two")]),
            [Body, Body]
        );
    }

    #[test]
    fn number_titles_are_recognised() {
        for t in ["IV", "12", "Chapter 3", "CHAPTER XII.", "Book ii", "xiv."] {
            assert!(is_number_title(&text(t)), "{t}");
        }
        for t in [
            "Ivy",
            "Chapter and verse",
            "The 3 Musketeers",
            "CIVIL",
            "IIII",
            "Mix",
            "",
        ] {
            assert!(!is_number_title(&text(t)), "{t}");
        }
    }
}
