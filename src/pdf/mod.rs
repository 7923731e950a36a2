//! PDF output: our page model → PDF bytes, through krilla (the library
//! Typst's PDF export is built on). This is the only module that knows
//! krilla or PDF; it translates and decides nothing about layout, and reads
//! no file: fonts come from [`Fonts`], images as the decoded
//! [`crate::image::Picture`]s the pages carry.
//!
//! What it writes: every face used, embedded and subset (krilla subsets);
//! text with a glyph→text mapping for each cluster so text extracts exactly
//! and ligatures come back as their letters; link annotations (URIs and
//! internal destinations); a nested outline from the pages' destinations;
//! page labels (roman front matter, arabic body); title, authors, language
//! and dates in the info dictionary and XMP. The output depends only on its
//! inputs: the date comes from the caller (`SOURCE_DATE_EPOCH`), never the
//! clock, so a rebuild is byte-identical.
//!
//! Tagged (`PdfMeta::tagged`): every run, image and rule is marked content,
//! either a span of a structure element (built in `tags.rs` from the tags
//! the typesetter put on the pages) or an artifact (running heads, folios,
//! rules, leaders, ornaments); links are tagged annotations in their
//! element; the document is checked by krilla's PDF/UA-1 validator. PDF/A-2b
//! (`PdfMeta::pdf_a`) adds krilla's PDF/A-2b validator (XMP identification,
//! an sRGB output intent, no image interpolation). Anything a validator
//! refuses becomes a diagnostic, at its source line where the content has
//! one.
//!
//! The writer follows Typst's `typst-pdf` (`convert.rs`): one context for
//! the document, and one handler per page item — glyph runs (`text.rs`),
//! rules (`rule.rs`), images (`image.rs`), links and destinations
//! (`link.rs`) — with the structure tags in `marked.rs` and `tags.rs`, the
//! outline in `outline.rs`, and settings, metadata and validation in
//! `meta.rs`.

mod image;
mod link;
mod marked;
mod meta;
mod outline;
mod rule;
mod tags;
mod text;

use std::collections::HashMap;
use std::num::NonZeroU32;

use krilla::Document;
use krilla::geom::Size;
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::surface::Surface;
use krilla::tagging::Identifier;
use krilla::text::Font;

use crate::diag::{Diagnostic, Error, Result};
use crate::edition::PdfA;
use crate::source::Span;
use crate::typeset::Fonts;
use crate::typeset::fonts::FaceId;
use crate::typeset::page::{Item, Numbering, Page};

/// Document metadata for the PDF.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfMeta {
    /// Title.
    pub title: String,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// BCP 47 language tag (`/Lang`).
    pub language: String,
    /// Short description (subject).
    pub description: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Creation date, seconds since 1970 (from `SOURCE_DATE_EPOCH`); none
    /// means no date is written.
    pub date: Option<i64>,
    /// A stable identifier (the book's); becomes the PDF document id.
    pub identifier: String,
    /// Where the trimmed page lies when pages carry printer's marks: written
    /// as `/TrimBox` and `/BleedBox`.
    pub trim: Option<crate::marks::Trim>,
    /// Write a tagged PDF (structure tree, artifacts) and check it against
    /// PDF/UA-1.
    pub tagged: bool,
    /// Also conform to (and check against) this PDF/A level.
    pub pdf_a: Option<PdfA>,
}

/// Writes `pages` as a PDF.
pub fn write(pages: &[Page], fonts: &Fonts, meta: &PdfMeta) -> Result<Vec<u8>> {
    let mut document = Document::new_with(meta::settings(meta)?);
    let mut cx = Context::new(pages, fonts, meta);
    for (p, page) in pages.iter().enumerate() {
        cx.write_page(&mut document, p, page)?;
    }
    if meta.tagged {
        document.set_tag_tree(cx.tree.into_krilla(&meta.language));
    }
    document.set_outline(outline::outline(pages));
    document.set_metadata(meta::metadata(meta));
    document
        .finish()
        .map_err(|e| meta::finish_error(e, &cx.spans))
}

/// What the writer keeps from page to page (Typst's `GlobalContext`).
struct Context<'a> {
    /// Every page, for the page labels of links' targets.
    pages: &'a [Page],
    fonts: &'a Fonts,
    meta: &'a PdfMeta,
    /// krilla's font for each face, made when the face is first drawn.
    kfonts: HashMap<FaceId, Font>,
    /// Whether a validator runs, so content records its source.
    validating: bool,
    /// Source spans of the content drawn: a validation error's location is
    /// the index (from 1) of its content's span here.
    spans: Vec<Span>,
    /// The structure tree, filled page by page (tagged PDFs only).
    tree: tags::Tree<Identifier>,
    /// Destinations by id, for links.
    dests: link::Dests<'a>,
}

impl Context<'_> {
    /// The words the writer adds (links' alt text), in the book's language.
    fn labels(&self) -> &'static crate::labels::Labels {
        crate::labels::for_language(&self.meta.language)
    }
}

/// What one page's items leave for the end of the page (Typst's
/// `FrameContext`): the links to annotate and, tagged, the content drawn.
#[derive(Default)]
struct PageContent {
    links: Vec<link::Link>,
    pieces: Vec<marked::Piece>,
}

impl<'a> Context<'a> {
    fn new(pages: &'a [Page], fonts: &'a Fonts, meta: &'a PdfMeta) -> Self {
        Context {
            pages,
            fonts,
            meta,
            kfonts: HashMap::new(),
            validating: meta.tagged || meta.pdf_a.is_some(),
            spans: Vec::new(),
            tree: tags::Tree::default(),
            dests: link::Dests::collect(pages),
        }
    }

    /// Writes page `p`: each item through its handler, then the page's
    /// link annotations (and, tagged, its structure entries).
    fn write_page(&mut self, document: &mut Document, p: usize, page: &Page) -> Result<()> {
        let mut kpage = document.start_page_with(page_settings(page, self.meta)?);
        let mut content = PageContent::default();
        {
            let mut surface = kpage.surface();
            for item in &page.items {
                self.draw_item(&mut surface, item, &mut content)?;
            }
            surface.finish();
        }
        if self.meta.tagged {
            let labels = self.labels();
            marked::finish_page(&mut self.tree, &mut kpage, p, content, labels);
        } else {
            link::annotate(&mut kpage, content.links);
        }
        kpage.finish();
        Ok(())
    }

    /// One page item → its handler.
    fn draw_item(
        &mut self,
        surface: &mut Surface<'_>,
        item: &Item,
        content: &mut PageContent,
    ) -> Result<()> {
        match item {
            Item::Glyphs(run) => {
                if let Some(piece) = text::draw_run(self, surface, run)? {
                    content.pieces.push(piece);
                }
            }
            Item::Rule(r) => rule::draw_rule(surface, r, self.meta.tagged),
            Item::Image {
                rect,
                picture,
                alt,
                tag,
            } => {
                let image = image::Figure {
                    rect,
                    picture,
                    alt,
                    tag: tag.as_ref(),
                };
                if let Some(piece) = image::draw_image(surface, &image, self.meta)? {
                    content.pieces.push(piece);
                }
            }
            Item::Link { rect, target } => {
                content.links.extend(link::link(
                    &self.dests,
                    self.pages,
                    rect,
                    target,
                    self.labels(),
                ));
            }
            // Gathered before the pages are written (`link::Dests`).
            Item::Dest { .. } => {}
        }
        Ok(())
    }
}

/// A page's size, label (roman or arabic number) and, with printer's
/// marks, its trim and bleed boxes.
fn page_settings(page: &Page, meta: &PdfMeta) -> Result<PageSettings> {
    let (w, h) = page.size;
    let size = Size::from_wh(w.0 as f32, h.0 as f32).ok_or_else(|| bad("page size"))?;
    let label = PageLabel::new(
        Some(match page.number.numbering {
            Numbering::Roman => NumberingStyle::LowerRoman,
            Numbering::Arabic => NumberingStyle::Arabic,
        }),
        None,
        NonZeroU32::new(page.number.value),
    );
    let mut settings = PageSettings::new(size).with_page_label(label);
    if let Some(trim) = meta.trim {
        // PDF boxes are in y-up user space; they are symmetric here, so
        // only the insets matter.
        let inset = |d: f64| {
            krilla::geom::Rect::from_ltrb(d as f32, d as f32, (w.0 - d) as f32, (h.0 - d) as f32)
        };
        settings = settings
            .with_trim_box(inset(trim.slug.0))
            .with_bleed_box(inset((trim.slug - trim.bleed).0));
    }
    Ok(settings)
}

/// A PDF writing failure as a diagnostic.
fn bad(what: &str) -> Error {
    Error::build(Diagnostic::error(format!("PDF output: {what}")))
}
