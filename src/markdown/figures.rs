//! Implicit figures: an image alone in its paragraph becomes a
//! [`Block::Figure`] with a caption, as pandoc's `implicit_figures`
//! extension makes one ("An image with nonempty alt text, occurring by
//! itself in a paragraph, will be rendered as a figure with a caption",
//! pandoc's manual, *Images*). The caption is the image's title when it has
//! one, else its alt text; an image with neither stays a paragraph.
//!
//! A pass over the built blocks (after the notes are filled in), into
//! quotes, lists, definitions, divs, alerts and notes' blocks. Nesting is
//! bounded by [`super::MAX_DEPTH`], so the recursion is too.

use crate::doc::{Block, Inline};

/// Alt text up to this many characters is short enough to be read out in
/// full before the caption (the 125 characters often given as a screen
/// reader's comfortable length, e.g. in WebAIM's *Alternative Text*).
const SHORT_ALT: usize = 125;

/// Turns every image alone in its paragraph in `blocks` into a figure.
pub fn make_figures(blocks: &mut [Block]) {
    for block in blocks {
        if let Some(figure) = figure_of(block) {
            *block = figure;
        }
        match block {
            Block::Para { content, .. } | Block::Heading { content, .. } => in_inlines(content),
            Block::BlockQuote { blocks, .. }
            | Block::Div { blocks, .. }
            | Block::Alert { blocks, .. } => make_figures(blocks),
            Block::List { items, .. } => {
                for item in items {
                    make_figures(&mut item.blocks);
                }
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    in_inlines(&mut item.term);
                    for def in &mut item.definitions {
                        make_figures(def);
                    }
                }
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    in_inlines(cell);
                }
            }
            Block::Figure { caption, .. } => in_inlines(caption),
            Block::CodeBlock { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
        }
    }
}

/// Calls `f` on the source and span of every figure of `blocks`, in
/// quotes, lists, definitions, divs and alerts, but not in notes (whose
/// blocks a caller reaches through their inlines): what the loader checks
/// and rebases, as it does an inline image's.
pub fn visit_figures_mut(
    blocks: &mut [Block],
    f: &mut dyn FnMut(&mut String, crate::source::Span),
) {
    for block in blocks {
        match block {
            Block::Figure { src, span, .. } => f(src, *span),
            Block::BlockQuote { blocks, .. }
            | Block::Div { blocks, .. }
            | Block::Alert { blocks, .. } => visit_figures_mut(blocks, f),
            Block::List { items, .. } => {
                for item in items {
                    visit_figures_mut(&mut item.blocks, f);
                }
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    for def in &mut item.definitions {
                        visit_figures_mut(def, f);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Descends into the notes cited among `inlines` (and into links and
/// emphasis, which may cite them).
fn in_inlines(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Note { blocks, .. } => make_figures(blocks),
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Link { content, .. }
            | Inline::Span { content, .. } => in_inlines(content),
            _ => {}
        }
    }
}

/// The figure `block` stands for: a paragraph holding one image (white
/// space around it aside) with a title or alt text.
fn figure_of(block: &Block) -> Option<Block> {
    let Block::Para { content, span } = block else {
        return None;
    };
    let mut images = content.iter().filter(|i| !is_blank(i));
    let (
        Some(Inline::Image {
            src,
            alt,
            title,
            span: image_span,
        }),
        None,
    ) = (images.next(), images.next())
    else {
        return None;
    };
    let title = title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let (caption, alt) = match title {
        Some(title) => {
            // The alt text stays the description; a missing one falls back
            // on the caption, so the image is never unnamed.
            let alt = if alt.trim().is_empty() {
                title.to_string()
            } else {
                alt.clone()
            };
            (title.to_string(), alt)
        }
        None if alt.trim().is_empty() => return None,
        None => (alt.trim().to_string(), short_description(alt.trim())),
    };
    Some(Block::Figure {
        src: src.clone(),
        alt,
        caption: vec![Inline::Text {
            text: caption,
            span: *image_span,
        }],
        id: None,
        span: *span,
    })
}

/// Text or breaks that are only white space.
fn is_blank(inline: &Inline) -> bool {
    match inline {
        Inline::Text { text, .. } => text.trim().is_empty(),
        Inline::SoftBreak { .. } => true,
        _ => false,
    }
}

/// The alt text of a figure whose caption is `text`: the text itself when
/// short, else its first sentence when that is short (the caption under
/// the image says the rest), else the whole text, there being nothing
/// better to say.
fn short_description(text: &str) -> String {
    if text.chars().count() <= SHORT_ALT {
        return text.to_string();
    }
    let first = first_sentence(text);
    if first.chars().count() <= SHORT_ALT {
        first.to_string()
    } else {
        text.to_string()
    }
}

/// `text` up to the end of its first sentence: a full stop, question or
/// exclamation mark followed by white space (the last sentence, the whole
/// text, when none is).
fn first_sentence(text: &str) -> &str {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '?' | '!')
            && chars.peek().is_some_and(|(_, next)| next.is_whitespace())
        {
            return &text[..i + c.len_utf8()];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn image(alt: &str, title: Option<&str>) -> Inline {
        Inline::Image {
            src: "map.png".into(),
            alt: alt.into(),
            title: title.map(Into::into),
            span: Span::new(FileId(0), 0..10),
        }
    }

    fn para(content: Vec<Inline>) -> Block {
        Block::Para {
            content,
            span: Span::new(FileId(0), 0..12),
        }
    }

    fn caption_alt(block: &Block) -> (String, String) {
        match block {
            Block::Figure { caption, alt, .. } => (crate::doc::plain_text(caption), alt.clone()),
            other => panic!("not a figure: {other:?}"),
        }
    }

    #[test]
    fn a_lone_image_is_a_figure_captioned_by_its_alt_text() {
        let mut blocks = vec![para(vec![image("A map of Petrograd", None)])];
        make_figures(&mut blocks);
        assert_eq!(
            caption_alt(&blocks[0]),
            ("A map of Petrograd".into(), "A map of Petrograd".into())
        );
        let Block::Figure { span, src, .. } = &blocks[0] else {
            unreachable!()
        };
        assert_eq!((span.start, span.end, src.as_str()), (0, 12, "map.png"));
    }

    #[test]
    fn the_title_is_the_caption_when_given() {
        let mut blocks = vec![para(vec![image("A map", Some("Petrograd in 1917"))])];
        make_figures(&mut blocks);
        assert_eq!(
            caption_alt(&blocks[0]),
            ("Petrograd in 1917".into(), "A map".into())
        );
        // No alt text: the caption names the image.
        let mut blocks = vec![para(vec![image("", Some("Petrograd"))])];
        make_figures(&mut blocks);
        assert_eq!(
            caption_alt(&blocks[0]),
            ("Petrograd".into(), "Petrograd".into())
        );
    }

    #[test]
    fn images_with_text_or_without_words_stay_paragraphs() {
        let text = Inline::Text {
            text: "See ".into(),
            span: Span::default(),
        };
        let mut blocks = vec![
            para(vec![text, image("A map", None)]),
            para(vec![image("", None)]),
            para(vec![image("a", None), image("b", None)]),
        ];
        let before = blocks.clone();
        make_figures(&mut blocks);
        assert_eq!(blocks, before);
    }

    #[test]
    fn white_space_around_the_image_does_not_matter() {
        let blank = Inline::SoftBreak {
            span: Span::default(),
        };
        let mut blocks = vec![para(vec![image("A map", None), blank])];
        make_figures(&mut blocks);
        assert_eq!(caption_alt(&blocks[0]).0, "A map");
    }

    #[test]
    fn a_long_alt_text_gives_its_first_sentence_as_alt() {
        let long = format!(
            "The front at dawn. {}",
            "Troops wait in the trenches under a grey sky. ".repeat(4)
        );
        let mut blocks = vec![para(vec![image(&long, None)])];
        make_figures(&mut blocks);
        let (caption, alt) = caption_alt(&blocks[0]);
        assert_eq!(caption, long.trim());
        assert_eq!(alt, "The front at dawn.");
        // One long sentence: nothing shorter to say.
        let one = "word ".repeat(40);
        assert_eq!(short_description(one.trim()), one.trim());
    }

    #[test]
    fn figures_are_found_in_quotes_lists_and_notes() {
        let note = Inline::Note {
            id: crate::doc::NoteId(1),
            label: "1".into(),
            blocks: vec![para(vec![image("In a note", None)])],
            span: Span::default(),
        };
        let mut blocks = vec![
            Block::BlockQuote {
                blocks: vec![para(vec![image("In a quote", None)])],
                span: Span::default(),
            },
            Block::List {
                start: None,
                tight: true,
                items: vec![crate::doc::ListItem {
                    task: None,
                    blocks: vec![para(vec![image("In a list", None)])],
                }],
                span: Span::default(),
            },
            para(vec![
                Inline::Text {
                    text: "Text".into(),
                    span: Span::default(),
                },
                note,
            ]),
        ];
        make_figures(&mut blocks);
        let Block::BlockQuote { blocks: q, .. } = &blocks[0] else {
            unreachable!()
        };
        assert_eq!(caption_alt(&q[0]).0, "In a quote");
        let Block::List { items, .. } = &blocks[1] else {
            unreachable!()
        };
        assert_eq!(caption_alt(&items[0].blocks[0]).0, "In a list");
        let Block::Para { content, .. } = &blocks[2] else {
            unreachable!()
        };
        let Inline::Note { blocks: n, .. } = &content[1] else {
            unreachable!()
        };
        assert_eq!(caption_alt(&n[0]).0, "In a note");
    }
}
