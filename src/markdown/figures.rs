//! Implicit figures, as pandoc reads them (its `implicit_figures`
//! extension): an image alone in its paragraph is a figure, captioned by
//! the image's title, else by its alt text. Runs once over a file's blocks
//! after notes are filled in, so images alone in a note's paragraph are
//! figures too.

use crate::doc::{Block, Inline};

/// Turns every paragraph holding only an image (white space around it
/// aside) into a [`Block::Figure`], through quotes, lists, divs, alerts and
/// notes.
pub fn make_figures(blocks: &mut [Block]) {
    for block in blocks {
        if let Some(figure) = as_figure(block) {
            *block = figure;
            continue;
        }
        match block {
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
                    inline_notes(&mut item.term);
                    for def in &mut item.definitions {
                        make_figures(def);
                    }
                }
            }
            Block::Para { content, .. } | Block::Heading { content, .. } => inline_notes(content),
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    inline_notes(cell);
                }
            }
            Block::Figure { caption, .. } => inline_notes(caption),
            Block::CodeBlock { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
        }
    }
}

/// The figures inside the notes these inlines cite.
fn inline_notes(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Note { blocks, .. } => make_figures(blocks),
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => inline_notes(content),
            _ => {}
        }
    }
}

/// The figure `block` is, if it is a paragraph of one image.
fn as_figure(block: &Block) -> Option<Block> {
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
    // pandoc: the title, if there is one, else the alt text.
    let caption = title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(alt)
        .trim();
    let caption = if caption.is_empty() {
        Vec::new()
    } else {
        vec![Inline::Text {
            text: caption.to_string(),
            span: *image_span,
        }]
    };
    Some(Block::Figure {
        src: src.clone(),
        alt: alt.clone(),
        caption,
        id: None,
        span: *span,
    })
}

fn is_blank(inline: &Inline) -> bool {
    match inline {
        Inline::Text { text, .. } => text.trim().is_empty(),
        Inline::SoftBreak { .. } => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn image(title: Option<&str>) -> Inline {
        Inline::Image {
            src: "map.png".into(),
            alt: "A map of Petrograd".into(),
            title: title.map(Into::into),
            span: Span::default(),
        }
    }

    fn caption_of(block: &Block) -> String {
        match block {
            Block::Figure { caption, .. } => crate::doc::plain_text(caption),
            other => panic!("not a figure: {other:?}"),
        }
    }

    #[test]
    fn an_image_alone_is_a_figure_captioned_by_title_else_alt() {
        let s = Span::default();
        let mut blocks = vec![
            Block::Para {
                content: vec![image(None)],
                span: s,
            },
            Block::Para {
                content: vec![image(Some("The city in 1917"))],
                span: s,
            },
            Block::Para {
                content: vec![
                    Inline::Text {
                        text: "See ".into(),
                        span: s,
                    },
                    image(None),
                ],
                span: s,
            },
        ];
        make_figures(&mut blocks);
        assert_eq!(caption_of(&blocks[0]), "A map of Petrograd");
        assert_eq!(caption_of(&blocks[1]), "The city in 1917");
        assert!(
            matches!(blocks[2], Block::Para { .. }),
            "inline image stays"
        );
    }

    #[test]
    fn figures_inside_quotes_and_notes() {
        let s = Span::default();
        let para = Block::Para {
            content: vec![image(None)],
            span: s,
        };
        let mut blocks = vec![Block::Para {
            content: vec![Inline::Note {
                id: crate::doc::NoteId(0),
                label: "1".into(),
                blocks: vec![Block::BlockQuote {
                    blocks: vec![para],
                    span: s,
                }],
                span: s,
            }],
            span: s,
        }];
        make_figures(&mut blocks);
        let Block::Para { content, .. } = &blocks[0] else {
            panic!()
        };
        let Inline::Note { blocks, .. } = &content[0] else {
            panic!()
        };
        let Block::BlockQuote { blocks, .. } = &blocks[0] else {
            panic!()
        };
        assert_eq!(caption_of(&blocks[0]), "A map of Petrograd");
    }
}
