//! The EPUB 3 backend: `&Book` → the bytes of an `.epub`.
//!
//! Steps, one module each:
//! 1. plan (here): one XHTML document per part and chapter, named by
//!    position (`front1`, `part1`, `ch01`, `back1`), and a map from every id
//!    in the book to the document holding it, so that `#id` links can be
//!    rewritten to `ch03.xhtml#id` (Pandoc's `fixInternalReferences`);
//! 2. [`xhtml`]: blocks and inlines → XHTML, notes → noterefs and asides,
//!    raw HTML through [`sanitize`], images through [`media`], optional
//!    soft hyphens from [`hyphenate`];
//! 3. [`cover`] and title page, [`nav`] (nav document and NCX), [`package`]
//!    (OPF with accessibility metadata);
//! 4. [`archive`]: the zip container, byte-identical for identical input.
//!
//! Settings arrive resolved in [`EpubOptions`]; writing the file (atomically)
//! is the caller's job. Reads only the shared tree, never Markdown.

mod archive;
mod cover;
pub mod css;
use crate::hyphenate;
use crate::labels;
mod media;
mod nav;
mod package;
mod sanitize;
mod url;
mod xhtml;

use std::collections::HashMap;

use crate::diag::{Diagnostic, Error, Result, Warnings};
use crate::doc::{self, Block, Book, Chapter, Division, Matter, Part};

use archive::Entry;
use nav::TocEntry;
use package::{Access, ManifestItem};
use xhtml::{Shared, Writer};

/// The default stylesheet (`styles/epub.css`), for editions that name none.
pub const DEFAULT_STYLESHEET: &str = include_str!("../../styles/epub.css");

/// How footnotes are numbered (per chapter, part introductions counting as
/// chapters, or through the whole book).
pub use crate::config::NoteNumbering;

/// Settings resolved by `edition.rs`; the backend never defaults a missing value itself.
#[derive(Debug, Clone)]
pub struct EpubOptions {
    /// Per chapter or per book.
    pub note_numbering: NoteNumbering,
    /// Copy the font files of `fonts` into the book and use them.
    pub embed_fonts: bool,
    /// Put soft hyphens into long words of running text.
    pub soft_hyphens: bool,
    /// The stylesheet, CSS text already loaded (its references rewritten
    /// to `stylesheet_resources`).
    pub stylesheet: String,
    /// The files a book's own stylesheet uses (`css::bundle`).
    pub stylesheet_resources: Vec<css::Resource>,
    /// The fonts to embed, as files (`Family-BoldItalic.otf` naming).
    pub fonts: Vec<FontFile>,
    /// `dcterms:modified`, `YYYY-MM-DDThh:mm:ssZ`, from `SOURCE_DATE_EPOCH`
    /// or the book's date.
    pub modified: String,
    /// The book's files, through which images are read (image paths are
    /// relative to its content directory).
    pub files: std::sync::Arc<crate::files::BookFiles>,
    /// Print page numbers to mark in the text, if the edition takes them
    /// from a print edition.
    pub page_list: Option<PageList>,
}

/// The pages of a print edition, for page-break markers and a page list.
#[derive(Debug, Clone, PartialEq)]
pub struct PageList {
    /// The print edition, in words (`a11y:pageBreakSource`).
    pub source: String,
    /// Where each page starts, with its number as printed, in page order.
    pub breaks: Vec<(crate::doc::TextPlace, String)>,
}

/// A font file to embed.
#[derive(Debug, Clone)]
pub struct FontFile {
    /// File name, in the `Family-Style.ext` convention (`.ttf`, `.otf`,
    /// `.woff`, `.woff2`).
    pub name: String,
    /// Its bytes.
    pub data: std::borrow::Cow<'static, [u8]>,
}

/// Package paths of the fixed documents.
const COVER: &str = "cover.xhtml";
const TITLE_PAGE: &str = "titlepage.xhtml";
const NAV: &str = "nav.xhtml";
const CSS: &str = "css/epub.css";
const FONTS_CSS: &str = "css/fonts.css";

/// A content document planned from the tree.
#[derive(Debug)]
struct Doc<'b> {
    /// File name in the package directory.
    file: String,
    /// Manifest id.
    id: String,
    kind: Kind<'b>,
}

#[derive(Debug)]
enum Kind<'b> {
    Part(&'b Part),
    Chapter(&'b Chapter),
}

/// Writes `book` as an EPUB 3 and returns the file's bytes.
///
/// Problems that leave a usable book (raw HTML removed, an image without alt
/// text) are pushed to `warnings`; problems that do not (an image that cannot
/// be read, missing metadata) are all returned together as an error.
pub fn write(book: &Book, opts: &EpubOptions, warnings: &mut Warnings) -> Result<Vec<u8>> {
    check_meta(book, opts)?;
    let meta = &book.meta;
    let labels = labels::for_language(&meta.language);
    let docs = plan(book);
    let ids = id_map(&docs);

    let hyphens = if opts.soft_hyphens {
        let h = hyphenate::SoftHyphens::for_language(&meta.language);
        if h.is_none() {
            warnings.push(
                Diagnostic::warning(format!(
                    "no hyphenation patterns for language `{}`: soft hyphens left out",
                    meta.language
                ))
                .hint("soft hyphens are available for English (`en`, `en-GB`, …)"),
            );
        }
        h
    } else {
        None
    };
    // Every note's blocks by id: the tree holds them at a note's first
    // reference only.
    let mut bodies = HashMap::new();
    for part in book.parts() {
        bodies.extend(doc::note_bodies(&part.title, &part.intro));
    }
    for ch in book.chapters() {
        bodies.extend(doc::note_bodies(&ch.title, &ch.blocks));
    }
    let mut shared = Shared {
        note_prefix: note_prefix(&ids),
        page_prefix: page_prefix(&ids),
        ids,
        images: media::Images::new(opts.files.clone()),
        hyphens,
        numbering: opts.note_numbering,
        book_numbers: HashMap::new(),
        labels,
        warnings: Vec::new(),
        errors: Vec::new(),
        missing_alt: false,
        page_breaks: HashMap::new(),
        pages: Vec::new(),
    };
    if let Some(list) = &opts.page_list {
        for (place, label) in &list.breaks {
            shared
                .page_breaks
                .entry(place.span)
                .or_default()
                .push((place.offset, label.clone()));
        }
    }

    let fonts = if opts.embed_fonts {
        media::fonts(&opts.fonts)
    } else {
        Vec::new()
    };
    let mut css: Vec<&str> = vec![CSS];
    if !fonts.is_empty() {
        css.push(FONTS_CSS);
    }

    // The cover image: the book's own, or one we draw.
    let cover_image = match &meta.cover {
        Some(path) => {
            let src = path.to_string_lossy();
            match shared.images.add(std::path::Path::new(""), &src) {
                Ok(href) => {
                    if let Some(removed) = shared.images.take_removed() {
                        let path = opts.files.content_dir().join(path);
                        let warning = Diagnostic::warning(removed).at_path(path, 0, 0);
                        shared.warnings.push(warning);
                    }
                    Some(href)
                }
                Err(e) => {
                    let path = opts.files.content_dir().join(path);
                    return Err(Error::build(
                        Diagnostic::error(e.message(&src)).at_path(path, 0, 0),
                    ));
                }
            }
        }
        None => None,
    };
    let generated_cover = cover_image.is_none();
    let cover_href = cover_image.unwrap_or_else(|| "images/cover.svg".to_string());

    // Content documents, in reading order.
    let mut written: Vec<(String, String)> = Vec::new();
    for doc in &docs {
        let xhtml = match doc.kind {
            Kind::Part(part) => {
                part_document(&mut shared, &bodies, &doc.file, part, &meta.language, &css)
            }
            Kind::Chapter(ch) => {
                chapter_document(&mut shared, &bodies, &doc.file, ch, &meta.language, &css)
            }
        };
        written.push((doc.file.clone(), xhtml));
    }
    if !shared.errors.is_empty() {
        warnings.append(&mut shared.warnings);
        return Err(Error::Build(std::mem::take(&mut shared.errors)));
    }
    warnings.append(&mut shared.warnings);

    let toc = toc(&docs);
    let start = docs.iter().find(|d| match d.kind {
        Kind::Part(_) => true,
        Kind::Chapter(c) => c.matter == Matter::Body,
    });
    let start = start.or(docs.first()).map_or(NAV, |d| d.file.as_str());
    let nav_doc = nav::nav_document(
        &meta.language,
        labels,
        &toc,
        &shared.pages,
        &nav::Landmarks {
            cover: COVER,
            title_page: TITLE_PAGE,
            start,
        },
        &css,
    );
    let ncx = nav::ncx(&meta.language, &meta.identifier, &meta.title, &toc);
    let cover_doc = xhtml::document(
        &meta.language,
        labels.cover,
        &css,
        None,
        &cover::cover_body(meta, labels, &cover_href),
    );
    let title_doc = xhtml::document(
        &meta.language,
        &meta.title,
        &css,
        Some("frontmatter"),
        &cover::title_page_body(meta, labels),
    );

    // Manifest and container entries, in one fixed order.
    let mut items: Vec<ManifestItem> = Vec::new();
    let mut entries: Vec<Entry> = vec![Entry {
        path: "META-INF/container.xml".into(),
        data: package::CONTAINER.as_bytes().to_vec(),
    }];
    let mut add = |id: &str, href: &str, mime: &str, properties: &str, data: Vec<u8>| {
        items.push(ManifestItem {
            id: id.into(),
            href: href.into(),
            mime: mime.into(),
            properties: properties.into(),
        });
        entries.push(Entry {
            path: format!("EPUB/{href}"),
            data,
        });
    };
    const XHTML: &str = "application/xhtml+xml";
    add("cover", COVER, XHTML, "", cover_doc.into_bytes());
    add("titlepage", TITLE_PAGE, XHTML, "", title_doc.into_bytes());
    add("nav", NAV, XHTML, "nav", nav_doc.into_bytes());
    for (doc, (_, xhtml)) in docs.iter().zip(written) {
        add(&doc.id, &doc.file, XHTML, "", xhtml.into_bytes());
    }
    add(
        "ncx",
        "toc.ncx",
        "application/x-dtbncx+xml",
        "",
        ncx.into_bytes(),
    );
    add(
        "css",
        CSS,
        "text/css",
        "",
        opts.stylesheet.clone().into_bytes(),
    );
    if !fonts.is_empty() {
        add(
            "fonts-css",
            FONTS_CSS,
            "text/css",
            "",
            font_faces(&fonts).into_bytes(),
        );
    }
    for (n, r) in opts.stylesheet_resources.iter().enumerate() {
        add(
            &format!("css-res-{}", n + 1),
            &r.href,
            r.mime,
            "",
            r.data.clone(),
        );
    }
    let mut cover_id = "cover-image".to_string();
    if generated_cover {
        add(
            "cover-image",
            &cover_href,
            "image/svg+xml",
            "cover-image",
            cover::svg(meta, labels).into_bytes(),
        );
    }
    for image in shared.images.items.drain(..) {
        let props = if !generated_cover && image.href == cover_href {
            cover_id = image.id.clone();
            "cover-image"
        } else {
            ""
        };
        add(&image.id, &image.href, image.mime, props, image.data);
    }
    for font in fonts {
        add(
            &font.item.id,
            &font.item.href,
            font.item.mime,
            "",
            font.item.data,
        );
    }
    let mut spine = vec![
        "cover".to_string(),
        "titlepage".to_string(),
        "nav".to_string(),
    ];
    spine.extend(docs.iter().map(|d| d.id.clone()));
    let opf = package::opf(&package::Package {
        meta,
        modified: &opts.modified,
        items,
        spine,
        cover_image: cover_id,
        access: Access {
            images: true,
            missing_alt: shared.missing_alt,
            page_source: opts
                .page_list
                .as_ref()
                .filter(|_| !shared.pages.is_empty())
                .map(|l| l.source.as_str()),
        },
    });
    entries.insert(
        1,
        Entry {
            path: "EPUB/package.opf".into(),
            data: opf.into_bytes(),
        },
    );
    archive::zip(&entries).map_err(|e| Error::io("<epub archive>", e))
}

/// Refuses metadata the package cannot do without; every problem at once.
fn check_meta(book: &Book, opts: &EpubOptions) -> Result<()> {
    let mut errors = Vec::new();
    let m = &book.meta;
    for (value, name) in [
        (&m.title, "title"),
        (&m.language, "language"),
        (&m.identifier, "identifier"),
    ] {
        if value.trim().is_empty() {
            errors.push(Diagnostic::error(format!(
                "the book has no {name}; an EPUB needs one"
            )));
        }
    }
    if !package::is_modified(&opts.modified) {
        errors.push(Diagnostic::error(format!(
            "modification time `{}` is not of the form YYYY-MM-DDThh:mm:ssZ",
            opts.modified
        )));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Build(errors))
    }
}

/// One document per part and per chapter, in reading order.
fn plan(book: &Book) -> Vec<Doc<'_>> {
    let mut docs = Vec::new();
    let body_chapters = book
        .body
        .iter()
        .map(|d| match d {
            Division::Part(p) => p.chapters.len(),
            Division::Chapter(_) => 1,
        })
        .sum::<usize>();
    let width = body_chapters.to_string().len().max(2);
    let mut docs_push = |file: String, kind| {
        let id = file.trim_end_matches(".xhtml").to_string();
        docs.push(Doc { file, id, kind });
    };
    for (i, c) in book.front.iter().enumerate() {
        docs_push(format!("front{}.xhtml", i + 1), Kind::Chapter(c));
    }
    let mut n = 0;
    let mut parts = 0;
    for d in &book.body {
        match d {
            Division::Part(p) => {
                parts += 1;
                docs_push(format!("part{parts}.xhtml"), Kind::Part(p));
                for c in &p.chapters {
                    n += 1;
                    docs_push(format!("ch{n:0width$}.xhtml"), Kind::Chapter(c));
                }
            }
            Division::Chapter(c) => {
                n += 1;
                docs_push(format!("ch{n:0width$}.xhtml"), Kind::Chapter(c));
            }
        }
    }
    for (i, c) in book.back.iter().enumerate() {
        docs_push(format!("back{}.xhtml", i + 1), Kind::Chapter(c));
    }
    docs
}

/// Every id in the book → the file that holds it.
fn id_map(docs: &[Doc]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for doc in docs {
        let mut ids = Vec::new();
        match doc.kind {
            Kind::Part(p) => {
                ids.push(p.id.clone());
                xhtml::collect_ids(&p.intro, &mut ids);
            }
            Kind::Chapter(c) => {
                ids.push(c.id.clone());
                xhtml::collect_ids(&c.blocks, &mut ids);
            }
        }
        for id in ids {
            map.entry(id).or_insert_with(|| doc.file.clone());
        }
    }
    map
}

/// `fn`, unless the book has ids of the form `fn3` or `fnref3` itself.
fn note_prefix(ids: &HashMap<String, String>) -> String {
    let clashes = |p: &str| {
        ids.keys().any(|id| {
            id.strip_prefix(p)
                .map(|r| r.strip_prefix("ref").unwrap_or(r))
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
    };
    ["fn", "note-", "samizdat-fn"]
        .into_iter()
        .find(|p| !clashes(p))
        .unwrap_or("samizdat-note-")
        .to_string()
}

/// The prefix of page-break ids (`page-12`): one that no id of the book
/// starts with, so that an author's own `{#page-3}` never clashes.
fn page_prefix(ids: &HashMap<String, String>) -> String {
    let mut prefix = "page-".to_string();
    for fallback in ["print-page-", "samizdat-page-"] {
        if !ids.keys().any(|id| id.starts_with(&prefix)) {
            return prefix;
        }
        prefix = fallback.to_string();
    }
    while ids.keys().any(|id| id.starts_with(&prefix)) {
        prefix.insert(0, 'x');
    }
    prefix
}

/// The `epub:type` and ARIA role of a front or back matter chapter, from
/// its title or id: EPUB SSV terms with a DPUB-ARIA role
/// (<https://www.w3.org/TR/dpub-aria-1.1/>). Unknown kinds get none.
fn matter_semantics(ch: &Chapter) -> Option<(&'static str, &'static str)> {
    if ch.matter == Matter::Body {
        return Some(("chapter", "doc-chapter"));
    }
    let title = doc::slugify(&doc::plain_text(&ch.title));
    const KINDS: &[(&str, &str, &str)] = &[
        ("introduction", "introduction", "doc-introduction"),
        ("preface", "preface", "doc-preface"),
        ("foreword", "foreword", "doc-foreword"),
        ("prologue", "prologue", "doc-prologue"),
        ("epilogue", "epilogue", "doc-epilogue"),
        ("afterword", "afterword", "doc-afterword"),
        ("conclusion", "conclusion", "doc-conclusion"),
        ("acknowledgements", "acknowledgments", "doc-acknowledgments"),
        ("acknowledgments", "acknowledgments", "doc-acknowledgments"),
        ("appendix", "appendix", "doc-appendix"),
        ("colophon", "colophon", "doc-colophon"),
        ("dedication", "dedication", "doc-dedication"),
    ];
    KINDS
        .iter()
        .find(|(word, _, _)| title.starts_with(word) || ch.id.starts_with(word))
        .map(|&(_, t, r)| (t, r))
}

fn body_type(matter: Matter) -> &'static str {
    match matter {
        Matter::Front => "frontmatter",
        Matter::Body => "bodymatter",
        Matter::Back => "backmatter",
    }
}

fn chapter_document<'b>(
    shared: &mut Shared,
    bodies: &HashMap<doc::NoteId, &'b [Block]>,
    file: &str,
    ch: &'b Chapter,
    lang: &str,
    css: &[&str],
) -> String {
    let base = ch.source.parent().unwrap_or(std::path::Path::new(""));
    let mut w = Writer::new(shared, file, base);
    w.note_bodies(bodies);
    w.claim_id(&ch.id);
    let sem = matter_semantics(ch);
    w.out
        .push_str(&format!("<section id=\"{}\"", xhtml::escape_a(&ch.id)));
    if let Some((t, role)) = sem {
        w.out
            .push_str(&format!(" epub:type=\"{t}\" role=\"{role}\""));
    }
    w.out.push_str(">\n");
    let prefix = ch
        .number
        .map(|n| format!("<span class=\"chapter-number\">{n}</span> "))
        .unwrap_or_default();
    w.heading(1, None, "chapter-title", &prefix, &ch.title);
    w.blocks(&ch.blocks);
    w.notes();
    w.out.push_str("</section>\n");
    let body = std::mem::take(&mut w.out);
    xhtml::document(
        lang,
        &title_text(&ch.title, &ch.id),
        css,
        Some(body_type(ch.matter)),
        &body,
    )
}

fn part_document<'b>(
    shared: &mut Shared,
    bodies: &HashMap<doc::NoteId, &'b [Block]>,
    file: &str,
    part: &'b Part,
    lang: &str,
    css: &[&str],
) -> String {
    // FIXME: a part has no source path in the tree; its intro's images are
    // taken relative to the book directory.
    let mut w = Writer::new(shared, file, std::path::Path::new(""));
    w.note_bodies(bodies);
    w.claim_id(&part.id);
    w.out.push_str(&format!(
        "<section id=\"{}\" epub:type=\"part\" role=\"doc-part\">\n",
        xhtml::escape_a(&part.id)
    ));
    let prefix = format!("<span class=\"part-number\">{}</span> ", roman(part.number));
    w.heading(1, None, "part-title", &prefix, &part.title);
    w.blocks(&part.intro);
    w.notes();
    w.out.push_str("</section>\n");
    let body = std::mem::take(&mut w.out);
    xhtml::document(
        lang,
        &title_text(&part.title, &part.id),
        css,
        Some("bodymatter"),
        &body,
    )
}

/// A title as plain text, never empty (a nav entry must have text).
fn title_text(title: &[doc::Inline], fallback: &str) -> String {
    let t = doc::plain_text(title);
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        fallback.to_string()
    } else {
        t
    }
}

/// Upper-case Roman numeral for part numbers (plain digits past 3999).
fn roman(mut n: u32) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    const TABLE: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for &(v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The table of contents: parts > chapters (nested by depth) > sections.
fn toc(docs: &[Doc]) -> Vec<TocEntry> {
    let mut flat = Vec::new();
    let has_parts = docs.iter().any(|d| matches!(d.kind, Kind::Part(_)));
    let mut in_part = false;
    for doc in docs {
        match doc.kind {
            Kind::Part(p) => {
                in_part = true;
                flat.push((
                    1,
                    TocEntry {
                        label: format!("{}. {}", roman(p.number), title_text(&p.title, &p.id)),
                        href: doc.file.clone(),
                        children: vec![],
                    },
                ));
            }
            Kind::Chapter(c) => {
                if c.matter != Matter::Body {
                    in_part = false;
                }
                // Chapters inside a part sit one level under it.
                let base = u32::from(c.depth.max(1)) + u32::from(has_parts && in_part);
                let title = title_text(&c.title, &c.id);
                let label = match c.number {
                    Some(n) => format!("{n}. {title}"),
                    None => title,
                };
                flat.push((
                    base,
                    TocEntry {
                        label,
                        href: doc.file.clone(),
                        children: vec![],
                    },
                ));
                for block in &c.blocks {
                    if let Block::Heading {
                        level, id, content, ..
                    } = block
                    {
                        flat.push((
                            base + u32::from(level.saturating_sub(1).max(1)),
                            TocEntry {
                                label: title_text(content, id),
                                href: format!("{}#{id}", doc.file),
                                children: vec![],
                            },
                        ));
                    }
                }
            }
        }
    }
    nav::nest(flat)
}

/// `@font-face` rules for the embedded fonts, and the body font set to
/// their first family (with the reader's serif as fallback).
fn font_faces(fonts: &[media::Font]) -> String {
    let mut css = String::from("/* Generated by samizdat: the embedded fonts. */\n");
    for f in fonts {
        // The stylesheet is in css/, the fonts in fonts/.
        css.push_str(&format!(
            "@font-face {{\n  font-family: \"{}\";\n  font-weight: {};\n  font-style: {};\n  src: url(\"../{}\");\n}}\n",
            f.family,
            f.weight,
            if f.italic { "italic" } else { "normal" },
            f.item.href
        ));
    }
    if let Some(first) = fonts.first() {
        css.push_str(&format!(
            "body {{ font-family: \"{}\", serif; }}\n",
            first.family
        ));
    }
    css
}

#[cfg(test)]
mod tests;
