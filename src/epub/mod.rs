//! The EPUB 3 backend: `&Book` → the bytes of an `.epub`.
//!
//! Steps, one module each:
//! 1. [`plan`]: one XHTML document per part and chapter, named by
//!    position (`front1`, `part1`, `ch01`, `back1`), and a map from every id
//!    in the book to the document holding it, so that `#id` links can be
//!    rewritten to `ch03.xhtml#id` (Pandoc's `fixInternalReferences`);
//! 2. [`content`]: each document written by [`xhtml`] — blocks and inlines
//!    → XHTML, notes → noterefs and asides, raw HTML through [`sanitize`],
//!    images through [`media`], optional soft hyphens from [`hyphenate`];
//! 3. [`cover`] and title page, [`nav`] (nav document and NCX), [`package`]
//!    (OPF with accessibility metadata);
//! 4. the manifest in one fixed order (here), and [`archive`]: the zip
//!    container, byte-identical for identical input.
//!
//! Settings arrive resolved in [`EpubOptions`]; writing the file (atomically)
//! is the caller's job. Reads only the shared tree, never Markdown.

mod archive;
mod content;
mod cover;
pub mod css;
mod raster;
use crate::hyphenate;
use crate::labels;
mod media;
mod nav;
mod package;
mod plan;
mod sanitize;
mod url;
mod xhtml;

use std::collections::HashMap;

use crate::diag::{Diagnostic, Error, Result, Warnings};
use crate::doc::{Book, Matter};

use archive::Entry;
use nav::TocEntry;
use package::{Access, ManifestItem};
use plan::{Doc, Kind};
use xhtml::Shared;

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

/// Writes `book` as an EPUB 3 and returns the file's bytes.
///
/// Problems that leave a usable book (raw HTML removed, an image without alt
/// text) are pushed to `warnings`; problems that do not (an image that cannot
/// be read, missing metadata) are all returned together as an error.
pub fn write(book: &Book, opts: &EpubOptions, warnings: &mut Warnings) -> Result<Vec<u8>> {
    check_meta(book, opts)?;
    let labels = labels::for_language(&book.meta.language);
    let docs = plan::plan(book);
    let mut shared = writer_state(book, opts, plan::id_map(&docs), labels, warnings);
    let fonts = if opts.embed_fonts {
        media::fonts(&opts.fonts)
    } else {
        Vec::new()
    };
    let mut css: Vec<&str> = vec![CSS];
    if !fonts.is_empty() {
        css.push(FONTS_CSS);
    }
    let cover_image = cover_image(&mut shared, book, opts)?;
    let xhtml = content::documents(&mut shared, book, &docs, &css);
    warnings.append(&mut shared.warnings);
    if !shared.errors.is_empty() {
        return Err(Error::Build(std::mem::take(&mut shared.errors)));
    }
    let written = Written {
        book,
        opts,
        labels,
        docs,
        xhtml,
        shared,
        fonts,
        css,
        cover_image,
    };
    let entries = package(written);
    archive::zip(&entries).map_err(|e| Error::io("<epub archive>", e))
}

/// The XHTML writers' shared state: ids and their files, note numbering,
/// soft hyphens, the page breaks to mark.
fn writer_state(
    book: &Book,
    opts: &EpubOptions,
    ids: HashMap<String, String>,
    labels: &'static labels::Labels,
    warnings: &mut Warnings,
) -> Shared {
    let language = &book.meta.language;
    let hyphens = if opts.soft_hyphens {
        let h = hyphenate::SoftHyphens::for_language(language);
        if h.is_none() {
            warnings.push(
                Diagnostic::warning(format!(
                    "no hyphenation patterns for language `{language}`: soft hyphens left out"
                ))
                .hint("soft hyphens are available for English (`en`, `en-GB`, …)"),
            );
        }
        h
    } else {
        None
    };
    let mut shared = Shared {
        note_prefix: plan::note_prefix(&ids),
        page_prefix: plan::page_prefix(&ids),
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
    shared
}

/// The book's own cover image, added to the package's images (its href),
/// or `None` when the book has none and the cover is drawn.
fn cover_image(shared: &mut Shared, book: &Book, opts: &EpubOptions) -> Result<Option<String>> {
    let Some(path) = &book.meta.cover else {
        return Ok(None);
    };
    let src = path.to_string_lossy();
    match shared.images.add(std::path::Path::new(""), &src) {
        Ok(href) => {
            if let Some(removed) = shared.images.take_removed() {
                let path = opts.files.content_dir().join(path);
                let warning = Diagnostic::warning(removed).at_path(path, 0, 0);
                shared.warnings.push(warning);
            }
            Ok(Some(href))
        }
        Err(e) => {
            let path = opts.files.content_dir().join(path);
            Err(Error::build(
                Diagnostic::error(e.message(&src)).at_path(path, 0, 0),
            ))
        }
    }
}

/// What the package is made of once every content document is written.
struct Written<'b> {
    book: &'b Book,
    opts: &'b EpubOptions,
    labels: &'static labels::Labels,
    docs: Vec<Doc<'b>>,
    /// Each document's XHTML, in the plan's order.
    xhtml: Vec<String>,
    shared: Shared,
    fonts: Vec<media::Font>,
    css: Vec<&'static str>,
    cover_image: Option<String>,
}

/// The files a package holds, listed in its manifest as they are added.
struct Manifest {
    items: Vec<ManifestItem>,
    entries: Vec<Entry>,
}

impl Manifest {
    /// Adds `data` at `href` (package-relative) under manifest id `id`.
    fn add(&mut self, id: &str, href: &str, mime: &str, properties: &str, data: Vec<u8>) {
        self.items.push(ManifestItem {
            id: id.into(),
            href: href.into(),
            mime: mime.into(),
            properties: properties.into(),
        });
        self.entries.push(Entry {
            path: format!("EPUB/{href}"),
            data,
        });
    }
}

/// The container's entries in one fixed order: the container file, the
/// OPF, the fixed documents (cover, title page, nav), the content
/// documents, the NCX, stylesheets, images and fonts.
fn package(w: Written<'_>) -> Vec<Entry> {
    const XHTML: &str = "application/xhtml+xml";
    let Written {
        book,
        opts,
        labels,
        docs,
        xhtml,
        mut shared,
        fonts,
        css,
        cover_image,
    } = w;
    let meta = &book.meta;
    let generated_cover = cover_image.is_none();
    // The drawn cover, as a PNG (library thumbnails), else as the SVG.
    let drawn = generated_cover.then(|| {
        let svg = cover::svg(&book.meta, labels);
        match raster::png(&svg) {
            Ok(png) => ("images/cover.png", "image/png", png),
            Err(_) => ("images/cover.svg", "image/svg+xml", svg.into_bytes()),
        }
    });
    let cover_href = cover_image.unwrap_or_else(|| drawn.as_ref().map_or("", |d| d.0).to_string());
    let mut m = Manifest {
        items: Vec::new(),
        entries: vec![Entry {
            path: "META-INF/container.xml".into(),
            data: package::CONTAINER.as_bytes().to_vec(),
        }],
    };
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
    m.add("cover", COVER, XHTML, "", cover_doc.into_bytes());
    m.add("titlepage", TITLE_PAGE, XHTML, "", title_doc.into_bytes());
    let toc = plan::toc(&docs);
    let nav_doc = nav_document(book, labels, &docs, &toc, &shared.pages, &css);
    m.add("nav", NAV, XHTML, "nav", nav_doc.into_bytes());
    for (doc, xhtml) in docs.iter().zip(xhtml) {
        m.add(&doc.id, &doc.file, XHTML, "", xhtml.into_bytes());
    }
    let ncx = nav::ncx(&meta.language, &meta.identifier, &meta.title, &toc);
    m.add(
        "ncx",
        "toc.ncx",
        "application/x-dtbncx+xml",
        "",
        ncx.into_bytes(),
    );
    m.add(
        "css",
        CSS,
        "text/css",
        "",
        opts.stylesheet.clone().into_bytes(),
    );
    if !fonts.is_empty() {
        let faces = font_faces(&fonts).into_bytes();
        m.add("fonts-css", FONTS_CSS, "text/css", "", faces);
    }
    for (n, r) in opts.stylesheet_resources.iter().enumerate() {
        m.add(
            &format!("css-res-{}", n + 1),
            &r.href,
            r.mime,
            "",
            r.data.clone(),
        );
    }
    let mut cover_id = "cover-image".to_string();
    if let Some((href, mime, data)) = drawn {
        m.add("cover-image", href, mime, "cover-image", data);
    }
    for image in shared.images.items.drain(..) {
        let props = if !generated_cover && image.href == cover_href {
            cover_id = image.id.clone();
            "cover-image"
        } else {
            ""
        };
        m.add(&image.id, &image.href, image.mime, props, image.data);
    }
    for font in fonts {
        let item = font.item;
        m.add(&item.id, &item.href, item.mime, "", item.data);
    }
    let mut spine = vec![
        "cover".to_string(),
        "titlepage".to_string(),
        "nav".to_string(),
    ];
    spine.extend(docs.iter().map(|d| d.id.clone()));
    let Manifest { items, mut entries } = m;
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
    entries
}

/// The nav document: contents, page list and landmarks (the start of
/// reading is the first part or body chapter).
fn nav_document(
    book: &Book,
    labels: &'static labels::Labels,
    docs: &[Doc],
    toc: &[TocEntry],
    pages: &[(String, String)],
    css: &[&str],
) -> String {
    let start = docs.iter().find(|d| match d.kind {
        Kind::Part(_) => true,
        Kind::Chapter(c) => c.matter == Matter::Body,
    });
    let start = start.or(docs.first()).map_or(NAV, |d| d.file.as_str());
    nav::nav_document(
        &book.meta.language,
        labels,
        toc,
        pages,
        &nav::Landmarks {
            cover: COVER,
            title_page: TITLE_PAGE,
            start,
        },
        css,
    )
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
