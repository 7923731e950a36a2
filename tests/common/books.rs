//! A hand-built book that uses every block and inline kind of the tree, and
//! the EPUB options the EPUB tests write it with.
//!
//! The book is built in Rust rather than parsed from Markdown so that the
//! EPUB tests do not depend on the front end; Markdown fixtures are added
//! beside it.

use std::path::{Path, PathBuf};

use samizdat::doc::*;
use samizdat::epub::{DEFAULT_STYLESHEET, EpubOptions, NoteNumbering};
use samizdat::source::Span;

/// Options as an edition would resolve them, for a book in `book_dir`.
pub fn options(book_dir: &Path) -> EpubOptions {
    EpubOptions {
        note_numbering: NoteNumbering::PerChapter,
        embed_fonts: false,
        soft_hyphens: false,
        stylesheet: DEFAULT_STYLESHEET.to_string(),
        stylesheet_resources: Vec::new(),
        fonts: Vec::new(),
        modified: "2025-01-01T00:00:00Z".to_string(),
        files: std::sync::Arc::new(
            samizdat::files::BookFiles::new(book_dir).expect("the book directory exists"),
        ),
        page_list: None,
    }
}

const S: Span = Span {
    file: samizdat::source::FileId(0),
    start: 0,
    end: 0,
};

pub fn t(s: &str) -> Inline {
    Inline::Text {
        text: s.into(),
        span: S,
    }
}
pub fn em(c: Vec<Inline>) -> Inline {
    Inline::Emph {
        content: c,
        span: S,
    }
}
pub fn strong(c: Vec<Inline>) -> Inline {
    Inline::Strong {
        content: c,
        span: S,
    }
}
pub fn para(c: Vec<Inline>) -> Block {
    Block::Para {
        content: c,
        span: S,
    }
}
pub fn note(id: u32, label: &str, blocks: Vec<Block>) -> Inline {
    Inline::Note {
        id: NoteId(id),
        label: label.into(),
        blocks,
        span: S,
    }
}
pub fn link(target: Target, c: Vec<Inline>) -> Inline {
    Inline::Link {
        target,
        title: None,
        content: c,
        span: S,
    }
}
pub fn heading(level: u8, id: &str, text: &str) -> Block {
    Block::Heading {
        level,
        id: id.into(),
        classes: vec![],
        lang: None,
        content: vec![t(text)],
        span: S,
    }
}
pub fn image(src: &str, alt: &str) -> Inline {
    Inline::Image {
        src: src.into(),
        alt: alt.into(),
        title: None,
        span: S,
    }
}
pub fn raw_block(html: &str) -> Block {
    Block::Html {
        html: html.into(),
        span: S,
    }
}
pub fn raw_inline(html: &str) -> Inline {
    Inline::Html {
        html: html.into(),
        span: S,
    }
}

pub fn chapter(
    id: &str,
    matter: Matter,
    number: Option<u32>,
    title: &str,
    blocks: Vec<Block>,
) -> Chapter {
    Chapter {
        id: id.into(),
        matter,
        number,
        depth: 1,
        title: vec![t(title)],
        source: PathBuf::from(format!("{id}.md")),
        blocks,
        span: S,
    }
}

/// A small book with front matter, two parts (one with an introduction),
/// back matter, and every block and inline kind, including notes cited
/// twice, notes inside notes, cross-chapter links, raw HTML (clean and
/// dangerous), and images of every core type.
pub fn every_kind_book() -> Book {
    let note_a = vec![para(vec![
        t("Leon Trotsky, "),
        em(vec![t("The Revolution Betrayed")]),
        t(" (1936)."),
    ])];
    let ch1 = chapter(
        "social-basis",
        Matter::Body,
        Some(1),
        "The Social Basis of Power",
        vec![
            para(vec![
                t("War, famine & disease devastated the proletariat — the “ruling class”."),
                note(0, "betrayed", note_a.clone()),
                t(" Trotsky said so again."),
                note(0, "betrayed", note_a),
                Inline::SoftBreak { span: S },
                t("See "),
                link(
                    Target::Internal("party-democracy".into()),
                    vec![t("party democracy")],
                ),
                t(" and "),
                link(
                    Target::External("https://example.org/?a=1&b=2".into()),
                    vec![t("a source")],
                ),
                t("."),
            ]),
            heading(2, "the-caste", "The <Caste>"),
            para(vec![
                strong(vec![t("Strong")]),
                t(", "),
                Inline::Strikeout {
                    content: vec![t("struck")],
                    span: S,
                },
                t(", "),
                Inline::Code {
                    text: "a < b && c".into(),
                    span: S,
                },
                Inline::LineBreak { span: S },
                raw_inline("<span class=\"smallcaps\">"),
                t("small caps"),
                raw_inline("</span>"),
                t(" and "),
                raw_inline("<abbr title=\"Union of Soviet Socialist Republics\">USSR</abbr>"),
                t("."),
                note(
                    1,
                    "nested",
                    vec![
                        para(vec![
                            t("A note with a note inside."),
                            note(2, "inner", vec![para(vec![t("The inner note.")])]),
                        ]),
                        Block::List {
                            start: None,
                            tight: true,
                            items: vec![ListItem {
                                task: None,
                                blocks: vec![para(vec![t("and a list")])],
                            }],
                            span: S,
                        },
                    ],
                ),
            ]),
            Block::BlockQuote {
                blocks: vec![para(vec![t(
                    "Without general elections… life dies out in every public institution.",
                )])],
                span: S,
            },
            Block::ThematicBreak { span: S },
            Block::List {
                start: None,
                tight: true,
                items: vec![
                    ListItem {
                        task: None,
                        blocks: vec![para(vec![t("tight item")])],
                    },
                    ListItem {
                        task: Some(true),
                        blocks: vec![
                            para(vec![t("done task")]),
                            Block::List {
                                start: Some(3),
                                tight: false,
                                items: vec![ListItem {
                                    task: Some(false),
                                    blocks: vec![para(vec![t("open task, loose")])],
                                }],
                                span: S,
                            },
                        ],
                    },
                ],
                span: S,
            },
            Block::DefinitionList {
                items: vec![Definition {
                    term: vec![t("Thermidor")],
                    definitions: vec![
                        vec![para(vec![t("The month of reaction.")])],
                        vec![para(vec![t("One.")]), para(vec![t("Two.")])],
                    ],
                }],
                span: S,
            },
            Block::CodeBlock {
                lang: Some("rust".into()),
                text: "fn main() {\n    println!(\"<&>\");\n}\n".into(),
                span: S,
            },
            Block::Table {
                widths: Vec::new(),
                align: vec![Align::Left, Align::Center, Align::Right],
                head: vec![vec![t("Year")], vec![t("Event")], vec![t("Count")]],
                rows: vec![
                    vec![
                        vec![t("1905")],
                        vec![em(vec![t("Revolution")])],
                        vec![t("1")],
                    ],
                    vec![vec![t("1917")], vec![t("October")], vec![t("2")]],
                ],
                span: S,
            },
            para(vec![
                image("images/red%20square.png", "A red square"),
                t(" "),
                image("images/diagram.svg", "A diagram"),
                t(" "),
                image("images/blue.jpg", "A blue JPEG"),
                t(" "),
                image("images/blue.gif", "A blue GIF"),
                t(" "),
                image("images/blue.webp", "A blue WebP"),
            ]),
            raw_block(
                "<div class=\"aside\" onclick=\"steal()\">\n<p>Raw <em>HTML</em> block<script>alert(1)</script></p>\n",
            ),
            para(vec![t("Markdown inside the raw div.")]),
            raw_block("</div>\n"),
            raw_block("<iframe src=\"https://example.org\"></iframe><center>centred</center>"),
            raw_block("<table><tr><td>raw<td>cells</table>"),
        ],
    );
    let ch2 = chapter(
        "isolation",
        Matter::Body,
        Some(2),
        "Isolation",
        vec![para(vec![
            t("Back to "),
            link(Target::Internal("the-caste".into()), vec![t("the caste")]),
            t(" and to "),
            link(
                Target::Internal("isolation".into()),
                vec![t("this chapter")],
            ),
            t("."),
            note(
                3,
                "one-country",
                vec![para(vec![t("Per-chapter numbering starts again here.")])],
            ),
        ])],
    );
    let ch3 = chapter(
        "party-democracy",
        Matter::Body,
        Some(3),
        "Democracy and Centralism",
        vec![para(vec![
            t("Bureaucratisation notwithstanding, internationalism."),
            note(
                4,
                "le-blanc",
                vec![para(vec![
                    t("Paul Le Blanc, "),
                    em(vec![t("Lenin and the Revolutionary Party")]),
                    t("."),
                ])],
            ),
        ])],
    );
    Book {
        meta: Meta {
            title: "Thermidor & the Party".into(),
            subtitle: Some("Stalinism, Bureaucracy and the Leninist Tradition".into()),
            authors: vec!["A. Writer".into(), "B. Editor".into()],
            language: "en".into(),
            identifier: "urn:uuid:5bb334ed-91f9-440b-ab47-9c244a4baa0a".into(),
            date: Some("2025-01-01".into()),
            description: Some("A test book with <every> kind of block.".into()),
            subjects: vec!["Stalinism".into(), "Testing".into()],
            rights: Some("All rights reserved.".into()),
            cover: None,
            slug: "thermidor".into(),
        },
        front: vec![chapter(
            "introduction",
            Matter::Front,
            None,
            "Introduction",
            vec![para(vec![t("An introduction.")])],
        )],
        body: vec![
            Division::Part(Part {
                id: "part-1".into(),
                number: 1,
                title: vec![t("Stalinism and Bureaucracy")],
                intro: vec![],
                chapters: vec![ch1, ch2],
                span: None,
            }),
            Division::Part(Part {
                id: "part-2".into(),
                number: 2,
                title: vec![t("The Leninist Party")],
                intro: vec![para(vec![
                    t("A note on the second part."),
                    note(
                        5,
                        "intro",
                        vec![para(vec![t("A note in a part introduction.")])],
                    ),
                ])],
                chapters: vec![ch3],
                span: None,
            }),
        ],
        back: vec![chapter(
            "acknowledgements",
            Matter::Back,
            None,
            "Acknowledgements",
            vec![para(vec![t("Thanks.")])],
        )],
    }
}
