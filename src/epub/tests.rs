//! Tests of the whole backend on small hand-built books.

use std::io::Read;

use super::plan::{matter_semantics, roman};
use super::*;
use crate::diag::Severity;
use crate::doc::{Block, Chapter, Division, Inline, Matter, Meta, NoteId, Target};
use crate::source::{FileId, Span};

fn span(start: usize) -> Span {
    Span::new(FileId(1), start..start + 1)
}

fn t(s: &str) -> Inline {
    Inline::Text {
        text: s.into(),
        span: span(0),
    }
}

fn para(content: Vec<Inline>) -> Block {
    Block::Para {
        content,
        span: span(0),
    }
}

fn note(id: u32, text: &str) -> Inline {
    Inline::Note {
        id: NoteId(id),
        label: format!("n{id}"),
        blocks: vec![para(vec![t(text)])],
        span: span(0),
    }
}

fn chapter(id: &str, number: u32, blocks: Vec<Block>) -> Chapter {
    Chapter {
        id: id.into(),
        matter: Matter::Body,
        number: Some(number),
        depth: 1,
        title: vec![t(&format!("Chapter {number}"))],
        source: format!("{id}.md").into(),
        blocks,
        span: span(0),
    }
}

fn book(chapters: Vec<Chapter>) -> Book {
    Book {
        meta: Meta {
            title: "T".into(),
            language: "en".into(),
            identifier: "urn:uuid:00000000-0000-4000-8000-000000000000".into(),
            ..Meta::default()
        },
        front: vec![],
        body: chapters.into_iter().map(Division::Chapter).collect(),
        back: vec![],
    }
}

fn options() -> EpubOptions {
    EpubOptions {
        note_numbering: NoteNumbering::PerChapter,
        embed_fonts: false,
        soft_hyphens: false,
        stylesheet: DEFAULT_STYLESHEET.into(),
        stylesheet_resources: Vec::new(),
        fonts: Vec::new(),
        modified: "2025-01-01T00:00:00Z".into(),
        files: std::sync::Arc::new(
            crate::files::BookFiles::new(std::path::Path::new(".")).unwrap(),
        ),
        page_list: None,
    }
}

fn file(epub: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut s = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn two_chapters_with_notes() -> Book {
    book(vec![
        chapter(
            "one",
            1,
            vec![para(vec![
                t("A"),
                note(0, "first"),
                t(" B"),
                note(1, "second"),
                t(" again"),
                note(0, "first"),
            ])],
        ),
        chapter("two", 2, vec![para(vec![t("C"), note(2, "third")])]),
    ])
}

#[test]
fn notes_are_noterefs_and_asides_numbered_per_chapter() {
    let epub = write(&two_chapters_with_notes(), &options(), &mut vec![]).unwrap();
    let ch1 = file(&epub, "EPUB/ch01.xhtml");
    // The reference holds only the number: no <sup> inside the link.
    assert!(ch1.contains(
        "A<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"fnref1\" href=\"#fn1\">1</a> B"
    ));
    assert!(ch1.contains("id=\"fnref1-2\" href=\"#fn1\">1</a>"));
    assert!(!ch1.contains("<sup>"));
    // The note sits at the end, with a link back to each reference.
    assert!(ch1.contains(
        "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn1\">\n<p><a class=\"note-number\" href=\"#fnref1\" role=\"doc-backlink\">1</a> first</p>\n<p class=\"note-backrefs\"><a href=\"#fnref1-2\""
    ));
    assert!(ch1.find("<aside").unwrap() > ch1.find(" again").unwrap());
    let ch2 = file(&epub, "EPUB/ch02.xhtml");
    assert!(
        ch2.contains("href=\"#fn1\">1</a>"),
        "numbering restarts per chapter"
    );
}

#[test]
fn notes_numbered_per_book_run_on() {
    let mut opts = options();
    opts.note_numbering = NoteNumbering::PerBook;
    let epub = write(&two_chapters_with_notes(), &opts, &mut vec![]).unwrap();
    let ch2 = file(&epub, "EPUB/ch02.xhtml");
    assert!(ch2.contains("id=\"fnref3\" href=\"#fn3\">3</a>"));
    assert!(ch2.contains("id=\"fn3\""));
}

#[test]
fn links_are_rewritten_to_the_document_holding_the_id() {
    let link = |id: &str| Inline::Link {
        target: Target::Internal(id.into()),
        title: None,
        content: vec![t("x")],
        span: span(3),
    };
    let b = book(vec![
        chapter(
            "one",
            1,
            vec![para(vec![link("sec"), link("one"), link("nowhere")])],
        ),
        chapter(
            "two",
            2,
            vec![Block::Heading {
                level: 2,
                id: "sec".into(),
                classes: vec![],
                lang: None,
                content: vec![t("S")],
                span: span(0),
            }],
        ),
    ]);
    let mut warnings = vec![];
    let epub = write(&b, &options(), &mut warnings).unwrap();
    let ch1 = file(&epub, "EPUB/ch01.xhtml");
    assert!(ch1.contains("<a href=\"ch02.xhtml#sec\">x</a><a href=\"#one\">x</a>x</p>"));
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("#nowhere"));
}

#[test]
fn raw_html_and_images_warn_at_their_span() {
    let b = book(vec![chapter(
        "one",
        1,
        vec![
            Block::Html {
                html: "<p onclick=\"x()\">hi</p><script>evil()</script>".into(),
                span: span(40),
            },
            para(vec![Inline::Image {
                src: "https://example.org/x.png".into(),
                alt: "remote".into(),
                title: None,
                span: span(90),
            }]),
        ],
    )]);
    let mut warnings = vec![];
    let epub = write(&b, &options(), &mut warnings).unwrap();
    let ch1 = file(&epub, "EPUB/ch01.xhtml");
    assert!(ch1.contains("<p>hi</p>\n<p>remote</p>"));
    let msgs: Vec<_> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "raw HTML: removed <script> element and its content",
            "raw HTML: removed onclick attribute",
            "remote image `https://example.org/x.png` cannot go into an EPUB",
        ]
    );
    assert!(warnings.iter().all(|w| w.severity == Severity::Warning));
    assert_eq!(warnings[0].location, crate::diag::Location::Span(span(40)));
    assert_eq!(warnings[2].location, crate::diag::Location::Span(span(90)));
}

#[test]
fn unreadable_images_are_errors_reported_together() {
    let img = |src: &str, at| Inline::Image {
        src: src.into(),
        alt: "a".into(),
        title: None,
        span: span(at),
    };
    let b = book(vec![chapter(
        "one",
        1,
        vec![para(vec![img("no/such.png", 1), img("../up.png", 2)])],
    )]);
    let err = write(&b, &options(), &mut vec![]).unwrap_err();
    let diags = err.diagnostics();
    assert_eq!(diags.len(), 2);
    assert!(diags[0].message.contains("no/such.png"));
    assert!(
        diags[1].message.contains("leaves the book's directory"),
        "{}",
        diags[1].message
    );
}

#[test]
fn missing_metadata_is_an_error() {
    let mut b = book(vec![]);
    b.meta.language.clear();
    let mut opts = options();
    opts.modified = "yesterday".into();
    let err = write(&b, &opts, &mut vec![]).unwrap_err();
    assert_eq!(err.diagnostics().len(), 2);
}

#[test]
fn rebuilds_are_byte_identical() {
    let b = two_chapters_with_notes();
    let a = write(&b, &options(), &mut vec![]).unwrap();
    let c = write(&b, &options(), &mut vec![]).unwrap();
    assert_eq!(a, c);
}

#[test]
fn every_document_has_xml_lang_and_a_stylesheet() {
    let epub = write(&two_chapters_with_notes(), &options(), &mut vec![]).unwrap();
    for name in ["cover", "titlepage", "nav", "ch01", "ch02"] {
        let doc = file(&epub, &format!("EPUB/{name}.xhtml"));
        assert!(doc.contains("xml:lang=\"en\" lang=\"en\""), "{name}");
        assert!(doc.contains("href=\"css/epub.css\""), "{name}");
    }
    assert!(file(&epub, "EPUB/package.opf").contains("<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"en\""));
}

#[test]
fn soft_hyphens_stay_out_of_headings_and_code() {
    let mut opts = options();
    opts.soft_hyphens = true;
    let mut b = book(vec![chapter(
        "one",
        1,
        vec![
            Block::Heading {
                level: 2,
                id: "h".into(),
                classes: vec![],
                lang: None,
                content: vec![t("Bureaucratisation")],
                span: span(0),
            },
            para(vec![
                t("bureaucratisation"),
                Inline::Code {
                    text: "hyphenation".into(),
                    span: span(0),
                },
            ]),
        ],
    )]);
    b.meta.language = "en-GB".into();
    let epub = write(&b, &opts, &mut vec![]).unwrap();
    let ch1 = file(&epub, "EPUB/ch01.xhtml");
    assert!(ch1.contains(">Bureaucratisation</h2>"));
    assert!(ch1.contains("<code>hyphenation</code>"));
    assert!(ch1.contains("bu\u{AD}reau"));
}

#[test]
fn note_ids_avoid_the_books_own_ids() {
    let b = book(vec![chapter(
        "fn1",
        1,
        vec![para(vec![t("x"), note(0, "n")])],
    )]);
    let epub = write(&b, &options(), &mut vec![]).unwrap();
    let ch1 = file(&epub, "EPUB/ch01.xhtml");
    assert!(ch1.contains("id=\"note-1\""));
    assert!(ch1.contains("id=\"note-ref1\""));
}

#[test]
fn roman_numerals_for_parts() {
    assert_eq!(roman(1), "I");
    assert_eq!(roman(4), "IV");
    assert_eq!(roman(14), "XIV");
    assert_eq!(roman(1999), "MCMXCIX");
    assert_eq!(roman(0), "0");
}

#[test]
fn front_and_back_matter_get_their_semantics() {
    let mut c = chapter("acknowledgements", 1, vec![]);
    c.matter = Matter::Back;
    c.number = None;
    c.title = vec![t("Acknowledgements")];
    assert_eq!(
        matter_semantics(&c),
        Some(("acknowledgments", "doc-acknowledgments"))
    );
    c.title = vec![t("Some Notes on Method")];
    c.id = "method".into();
    assert_eq!(matter_semantics(&c), None);
}

#[test]
fn embedded_fonts_get_font_faces_and_manifest_items() {
    let font = |name: &str, data: &'static [u8]| FontFile {
        name: name.into(),
        data: data.into(),
    };
    let mut opts = options();
    opts.embed_fonts = true;
    opts.fonts = vec![
        font("Book Serif-BoldItalic.otf", b"OTTOfont"),
        font("Book Serif-Regular.ttf", b"\0\x01\0\0font"),
        font("LICENSE.txt", b"OFL"),
    ];
    let epub = write(&two_chapters_with_notes(), &opts, &mut vec![]).unwrap();
    let opf = file(&epub, "EPUB/package.opf");
    assert!(opf.contains("href=\"fonts/book-serif-bolditalic.otf\" media-type=\"font/otf\""));
    assert!(opf.contains("href=\"fonts/book-serif-regular.ttf\" media-type=\"font/ttf\""));
    assert!(!opf.contains("LICENSE"));
    let css = file(&epub, "EPUB/css/fonts.css");
    assert!(css.contains(
        "font-family: \"Book Serif\";\n  font-weight: 700;\n  font-style: italic;\n  src: url(\"../fonts/book-serif-bolditalic.otf\");"
    ));
    assert!(css.contains("body { font-family: \"Book Serif\", serif; }"));
    assert!(file(&epub, "EPUB/ch01.xhtml").contains("href=\"css/fonts.css\""));
}

#[test]
fn images_without_alt_text_warn_and_drop_the_conformance_claim() {
    let dir = std::env::temp_dir().join(format!("samizdat-alt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.gif"), b"GIF89a\x01\0\x01\0\0\0\0;").unwrap();
    let b = book(vec![chapter(
        "one",
        1,
        vec![para(vec![Inline::Image {
            src: "a.gif".into(),
            alt: String::new(),
            title: None,
            span: span(7),
        }])],
    )]);
    let mut opts = options();
    opts.files = std::sync::Arc::new(crate::files::BookFiles::new(&dir).unwrap());
    let mut warnings = vec![];
    let epub = write(&b, &opts, &mut warnings).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].message, "image `a.gif` has no alt text");
    assert_eq!(warnings[0].location, crate::diag::Location::Span(span(7)));
    let opf = file(&epub, "EPUB/package.opf");
    assert!(!opf.contains("conformsTo"));
    assert!(opf.contains("<meta property=\"schema:accessModeSufficient\">textual,visual</meta>"));
    assert!(file(&epub, "EPUB/ch01.xhtml").contains("<img src=\"images/a.gif\" alt=\"\"/>"));
}

#[test]
fn note_inside_a_link_follows_the_link() {
    let b = book(vec![chapter(
        "one",
        1,
        vec![para(vec![Inline::Link {
            target: Target::External("https://example.org".into()),
            title: None,
            content: vec![t("text"), note(0, "n")],
            span: span(0),
        }])],
    )]);
    let epub = write(&b, &options(), &mut vec![]).unwrap();
    let ch1 = file(&epub, "EPUB/ch01.xhtml");
    assert!(ch1.contains(
        "<p><a href=\"https://example.org\">text</a><a class=\"noteref\" epub:type=\"noteref\""
    ));
}

#[test]
fn page_break_ids_never_take_an_authors_id() {
    let ids = |list: &[&str]| -> HashMap<String, String> {
        list.iter()
            .map(|s| (s.to_string(), "ch01.xhtml".to_string()))
            .collect()
    };
    assert_eq!(super::plan::page_prefix(&ids(&["intro", "pages"])), "page-");
    assert_eq!(super::plan::page_prefix(&ids(&["page-3"])), "print-page-");
    let all = ids(&[
        "page-3",
        "print-page-1",
        "samizdat-page-x",
        "xsamizdat-page-1",
    ]);
    let p = super::plan::page_prefix(&all);
    assert!(all.keys().all(|id| !id.starts_with(&p)), "{p}");
}

#[test]
fn code_is_sized_from_the_text_not_the_engines_monospace_default() {
    let css = DEFAULT_STYLESHEET;
    // Every font-family naming monospace names it twice (a lone generic
    // `monospace` drops WebKit/Blink to 13px).
    let families: Vec<&str> = css
        .lines()
        .filter_map(|l| l.trim().strip_prefix("font-family:"))
        .filter(|v| v.contains("monospace"))
        .collect();
    assert!(!families.is_empty());
    for f in &families {
        assert_eq!(f.trim(), "monospace, monospace;", "{f}");
    }
    let rule = |selector: &str| {
        let at = css
            .find(&format!("{selector} {{"))
            .unwrap_or_else(|| panic!("no rule for {selector}"));
        &css[at..at + css[at..].find('}').unwrap()]
    };
    assert!(rule("code, kbd, samp, pre").contains("monospace, monospace"));
    assert!(rule("code, kbd, samp").contains("font-size: 0.9em"));
    assert!(rule("pre code, pre kbd, pre samp").contains("font-size: 1em"));
    // The code block's own writing: `<pre><code>`, which the rules cover.
    let mut book = two_chapters_with_notes();
    if let Division::Chapter(c) = &mut book.body[0] {
        c.blocks.push(Block::CodeBlock {
            lang: None,
            text: "fn main() {}\n".into(),
            span: span(0),
        });
    }
    let epub = write(&book, &options(), &mut vec![]).unwrap();
    assert!(file(&epub, "EPUB/ch01.xhtml").contains("<pre><code"));
    assert_eq!(file(&epub, "EPUB/css/epub.css"), css);
}

#[test]
fn a_part_introduction_is_running_text_under_the_title() {
    let mut book = two_chapters_with_notes();
    let chapters: Vec<Chapter> = book
        .body
        .drain(..)
        .filter_map(|d| match d {
            Division::Chapter(c) => Some(c),
            _ => None,
        })
        .collect();
    let intro = vec![
        para(vec![t("The first paragraph of the introduction.")]),
        para(vec![t("And a second one.")]),
    ];
    book.body.push(Division::Part(crate::doc::Part {
        id: "part-1".into(),
        number: 1,
        title: vec![t("The Part")],
        intro,
        chapters,
        span: None,
    }));
    let epub = write(&book, &options(), &mut vec![]).unwrap();
    let part = file(&epub, "EPUB/part1.xhtml");
    let title = part.find("</h1>").expect("the part's title");
    let intro = part.find("<div class=\"part-intro\">").expect("the intro");
    assert!(title < intro, "{part}");
    assert!(
        part[intro..].contains(
            "<p>The first paragraph of the introduction.</p>\n<p>And a second one.</p>\n</div>"
        ),
        "{part}"
    );
    // The stylesheet styles the title only: no rule centres or italicises
    // every paragraph of a part.
    let css = DEFAULT_STYLESHEET;
    assert!(!css.contains("section[epub|type~=\"part\"] p"), "{css}");
    assert!(css.contains(".part-intro {"));
}
