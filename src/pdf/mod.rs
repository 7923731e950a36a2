//! PDF output: our page model → PDF bytes, through krilla (the library
//! Typst's PDF export is built on). This is the only module that knows
//! krilla or PDF; it translates and decides nothing about layout.
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

mod tags;

use std::collections::HashMap;
use std::num::{NonZeroU32, NonZeroU64};

use crate::image::ImageType;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, ValidationError};
use krilla::destination::{Destination, XyzDestination};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, SpanTag};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document, SerializeSettings};

use crate::diag::{Diagnostic, Error, Result};
use crate::edition::PdfA;
use crate::source::Span;
use crate::typeset::Fonts;
use crate::typeset::fonts::FaceId;
use crate::typeset::page::{self, Item, LinkTarget, Numbering, Page, TagKind};

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

/// A piece of content drawn on a page, for the structure tree.
struct Piece {
    tag: page::Tag,
    id: Identifier,
    text: std::sync::Arc<str>,
    area: crate::typeset::page::Rect,
}

/// Writes `pages` as a PDF.
pub fn write(pages: &[Page], fonts: &Fonts, meta: &PdfMeta) -> Result<Vec<u8>> {
    let mut configuration = ConfigurationBuilder::new();
    if meta.tagged {
        configuration = configuration.with_accessibility_validator(Accessibility::UA1);
    }
    if let Some(PdfA::A2b) = meta.pdf_a {
        configuration = configuration.with_archival_validator(Archival::A2_B);
    }
    let configuration = configuration
        .finish()
        .map_err(|e| bad(&format!("PDF standards that cannot be met together: {e:?}")))?;
    let settings = SerializeSettings {
        compress_content_streams: true,
        ascii_compatible: false,
        xmp_metadata: true,
        enable_tagging: meta.tagged,
        configuration,
        ..SerializeSettings::default()
    };
    // Validation errors name a location: the index (from 1) of the content's
    // source span here.
    let validating = meta.tagged || meta.pdf_a.is_some();
    let mut spans: Vec<Span> = Vec::new();
    let mut tree: tags::Tree<Identifier> = tags::Tree::default();
    let mut document = Document::new_with(settings);
    let mut kfonts: HashMap<FaceId, Font> = HashMap::new();

    // Destinations by id, for links and the outline.
    let mut dests: HashMap<&str, (usize, Point)> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Dest { id, at, .. } = item {
                dests
                    .entry(id.as_str())
                    .or_insert((p, Point::from_xy(at.x.0 as f32, at.y.0 as f32)));
            }
        }
    }

    for (p, page) in pages.iter().enumerate() {
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
            let (w, h) = page.size;
            let inset = |d: f64| {
                krilla::geom::Rect::from_ltrb(
                    d as f32,
                    d as f32,
                    (w.0 - d) as f32,
                    (h.0 - d) as f32,
                )
            };
            settings = settings
                .with_trim_box(inset(trim.slug.0))
                .with_bleed_box(inset((trim.slug - trim.bleed).0));
        }
        let mut kpage = document.start_page_with(settings);
        let mut annotations = Vec::new();
        let mut pieces: Vec<Piece> = Vec::new();
        {
            let mut surface = kpage.surface();
            for item in &page.items {
                match item {
                    Item::Glyphs(run) => {
                        let location = match run.span {
                            Some(span) if validating => {
                                spans.push(span);
                                NonZeroU64::new(spans.len() as u64)
                            }
                            _ => None,
                        };
                        if let Some(l) = location {
                            surface.set_location(l);
                        }
                        let id = meta.tagged.then(|| mark(&mut surface, run.tag.as_ref()));
                        let font = match kfonts.get(&run.face) {
                            Some(f) => f.clone(),
                            None => {
                                let face = fonts.get(run.face);
                                let f = Font::new(Data::from(face.data.clone()), face.index)
                                    .ok_or_else(|| bad(&format!("font {}", face.origin)))?;
                                kfonts.insert(run.face, f.clone());
                                f
                            }
                        };
                        let size = run.size.0 as f32;
                        let sx = run.scale_x as f32;
                        let glyphs: Vec<KrillaGlyph> = run
                            .glyphs
                            .iter()
                            .map(|g| {
                                KrillaGlyph::new(
                                    GlyphId::new(u32::from(g.id)),
                                    // krilla wants advances per unit of size,
                                    // before the run's horizontal scale.
                                    g.advance / size / sx,
                                    g.x_offset / size / sx,
                                    g.y_offset / size,
                                    0.0,
                                    g.text.0 as usize..g.text.1 as usize,
                                    location,
                                )
                            })
                            .collect();
                        surface.push_transform(&Transform::from_row(
                            sx,
                            0.0,
                            0.0,
                            1.0,
                            run.origin.x.0 as f32,
                            run.origin.y.0 as f32,
                        ));
                        surface.draw_glyphs(
                            Point::from_xy(0.0, 0.0),
                            &glyphs,
                            font,
                            &run.text,
                            size,
                            false,
                        );
                        surface.pop();
                        if let Some(id) = id {
                            surface.end_tagged();
                            if let (Some(id), Some(tag)) = (id, &run.tag) {
                                pieces.push(Piece {
                                    tag: tag.clone(),
                                    id,
                                    text: run.text.clone(),
                                    area: crate::typeset::page::Rect {
                                        x: run.origin.x,
                                        y: run.origin.y - run.size * 0.5,
                                        width: run.width(),
                                        height: run.size * 0.5,
                                    },
                                });
                            }
                        }
                    }
                    Item::Rule(r) => {
                        if meta.tagged {
                            mark(&mut surface, None);
                        }
                        let mut pb = PathBuilder::new();
                        if let Some(rect) = Rect::from_xywh(
                            r.x.0 as f32,
                            r.y.0 as f32,
                            r.width.0 as f32,
                            r.height.0 as f32,
                        ) {
                            pb.push_rect(rect);
                            if let Some(path) = pb.finish() {
                                surface.draw_path(&path);
                            }
                        }
                        if meta.tagged {
                            surface.end_tagged();
                        }
                    }
                    Item::Image {
                        rect,
                        picture,
                        alt,
                        tag,
                    } => {
                        // Shared, not copied: the bytes the loader read.
                        let shared: std::sync::Arc<dyn AsRef<[u8]> + Send + Sync> =
                            std::sync::Arc::new(picture.data.clone());
                        let data = Data::from(shared);
                        // PDF/A forbids asking viewers to smooth images.
                        let interpolate = meta.pdf_a.is_none();
                        // The type is the one `image.rs` read off the bytes.
                        let image = match picture.kind {
                            ImageType::Png => krilla::image::Image::from_png(data, interpolate),
                            ImageType::Jpeg => krilla::image::Image::from_jpeg(data, interpolate),
                            ImageType::Gif => krilla::image::Image::from_gif(data, interpolate),
                            ImageType::Webp => krilla::image::Image::from_webp(data, interpolate),
                            ImageType::Svg => Err("SVG is not set in print".to_string()),
                        }
                        .map_err(|e| bad(&format!("image `{alt}`: {e}")))?;
                        if let Some(size) = Size::from_wh(rect.width.0 as f32, rect.height.0 as f32)
                        {
                            let id = meta.tagged.then(|| mark(&mut surface, tag.as_ref()));
                            surface.push_transform(&Transform::from_translate(
                                rect.x.0 as f32,
                                rect.y.0 as f32,
                            ));
                            surface.draw_image(image, size);
                            surface.pop();
                            if let Some(id) = id {
                                surface.end_tagged();
                                if let (Some(id), Some(tag)) = (id, tag) {
                                    pieces.push(Piece {
                                        tag: tag.clone(),
                                        id,
                                        text: alt.as_str().into(),
                                        area: *rect,
                                    });
                                }
                            }
                        }
                    }
                    Item::Link { rect, target } => {
                        let Some(area) = Rect::from_xywh(
                            rect.x.0 as f32,
                            rect.y.0 as f32,
                            rect.width.0 as f32,
                            rect.height.0 as f32,
                        ) else {
                            continue;
                        };
                        let target_text = match target {
                            LinkTarget::External(uri) => uri.clone(),
                            LinkTarget::Internal(id) => match dests.get(id.as_str()) {
                                Some(&(page, _)) => format!(
                                    "page {}",
                                    pages.get(page).map_or(String::new(), |p| p.number.label())
                                ),
                                None => id.clone(),
                            },
                        };
                        let target = match target {
                            LinkTarget::External(uri) => {
                                Target::Action(Action::Link(LinkAction::new(uri.clone())))
                            }
                            LinkTarget::Internal(id) => match dests.get(id.as_str()) {
                                Some(&(page, at)) => Target::Destination(Destination::Xyz(
                                    XyzDestination::new(page, at),
                                )),
                                // A link to something not set in print (raw
                                // HTML anchor): no annotation.
                                None => continue,
                            },
                        };
                        annotations.push((*rect, LinkAnnotation::new(area, target), target_text));
                    }
                    Item::Dest { .. } => {}
                }
            }
            surface.finish();
        }
        if !meta.tagged {
            for (_, link, _) in annotations {
                kpage.add_annotation(Annotation::new_link(link, None));
            }
            kpage.finish();
            continue;
        }
        // Each piece of text goes in the first link whose area holds it.
        let cover: Vec<Option<usize>> = pieces
            .iter()
            .map(|piece| {
                annotations
                    .iter()
                    .position(|(rect, _, _)| covers(rect, &piece.area))
            })
            .collect();
        let mut annotation_ids = Vec::new();
        for (k, (_, link, target)) in annotations.into_iter().enumerate() {
            // Screen readers announce a link by its alt text: the words it
            // covers, or where it goes.
            let words: Vec<&str> = pieces
                .iter()
                .zip(&cover)
                .filter(|(_, c)| **c == Some(k))
                .map(|(piece, _)| piece.text.trim())
                .collect();
            let alt = if words.is_empty() {
                format!("Link to {target}")
            } else {
                words.join(" ")
            };
            let id = kpage.add_tagged_annotation(Annotation::new_link(link, Some(alt.clone())));
            annotation_ids.push((id, alt));
        }
        for (piece, link) in pieces.into_iter().zip(cover) {
            tree.add(&piece.tag, piece.id, &piece.text, link.map(|k| (p, k)));
        }
        for (k, (id, alt)) in annotation_ids.into_iter().enumerate() {
            tree.annotate((p, k), id, &alt);
        }
        kpage.finish();
    }
    if meta.tagged {
        document.set_tag_tree(tree.into_krilla(&meta.language));
    }

    document.set_outline(outline(pages));
    let mut metadata = Metadata::new()
        .title(meta.title.clone())
        .language(meta.language.clone())
        .creator("samizdat".into())
        .producer(format!("samizdat {}", env!("CARGO_PKG_VERSION")));
    if !meta.authors.is_empty() {
        metadata = metadata.authors(meta.authors.clone());
    }
    if let Some(d) = &meta.description {
        metadata = metadata.description(d.clone());
    }
    if !meta.keywords.is_empty() {
        metadata = metadata.keywords(meta.keywords.clone());
    }
    if !meta.identifier.is_empty() {
        metadata = metadata.document_id(meta.identifier.clone());
    }
    if let Some(epoch) = meta.date {
        metadata = metadata.creation_date(date_time(epoch));
    }
    document.set_metadata(metadata);
    document.finish().map_err(|e| match e {
        KrillaError::Validation(errors) => validation_errors(&errors, &spans),
        e => bad(&format!("krilla could not write the PDF: {e:?}")),
    })
}

/// Starts marked content for a run or image with `tag` (none: layout
/// decoration) and returns its identifier, if it is real content.
fn mark(surface: &mut Surface<'_>, tag: Option<&page::Tag>) -> Option<Identifier> {
    let artifact = |kind| ContentTag::Artifact(Artifact::with_kind(kind));
    match tag.map(|t| t.kind) {
        None => {
            surface.start_tagged(artifact(ArtifactType::Layout));
            None
        }
        Some(TagKind::RunningHead) => {
            surface.start_tagged(artifact(ArtifactType::Header));
            None
        }
        Some(TagKind::Folio) => {
            surface.start_tagged(artifact(ArtifactType::PageNumber));
            None
        }
        Some(_) => Some(surface.start_tagged(ContentTag::Span(SpanTag::empty()))),
    }
}

/// Whether a link's area holds a piece (its middle, with half a point of
/// slack for rounding).
fn covers(link: &crate::typeset::page::Rect, piece: &crate::typeset::page::Rect) -> bool {
    let (x, y) = (
        piece.x.0 + piece.width.0 / 2.0,
        piece.y.0 + piece.height.0 / 2.0,
    );
    x >= link.x.0 - 0.5
        && x <= link.x.0 + link.width.0 + 0.5
        && y >= link.y.0 - 0.5
        && y <= link.y.0 + link.height.0 + 0.5
}

/// krilla's validation errors → diagnostics, each once, at the source line
/// of the content at fault where there is one.
fn validation_errors(
    errors: &[(ValidationError, krilla::configure::Validators)],
    spans: &[Span],
) -> Error {
    let mut out: Vec<Diagnostic> = Vec::new();
    for (error, validators) in errors {
        let standards: Vec<&str> = validators
            .archival()
            .map(|a| a.as_str())
            .into_iter()
            .chain(validators.accessibility().map(|a| a.as_str()))
            .collect();
        let (what, location, hint) = describe(error);
        let mut d = Diagnostic::error(format!(
            "PDF output: {what}, which {} forbids",
            standards.join(" and ")
        ));
        if let Some(span) = location
            .and_then(|l| usize::try_from(l.get()).ok())
            .and_then(|i| spans.get(i - 1))
        {
            d = d.at(*span);
        }
        if let Some(h) = hint {
            d = d.hint(h);
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Error::Build(out)
}

/// A validation error in words, where it is, and what to do.
fn describe(
    error: &ValidationError,
) -> (
    String,
    Option<krilla::surface::Location>,
    Option<&'static str>,
) {
    let edition = Some("or switch `tagged` / `pdf-a` off for this edition");
    match error {
        ValidationError::ContainsNotDefGlyph(_, loc, text) => (
            format!("a character no font has ({text:?}) is set as a blank box"),
            *loc,
            Some("use a character the edition's fonts cover"),
        ),
        ValidationError::NoCodepointMapping(_, _, loc)
        | ValidationError::InvalidCodepointMapping(_, _, _, loc)
        | ValidationError::UnicodePrivateArea(_, _, _, loc) => (
            "a glyph maps to no usable character (private-use or control)".into(),
            *loc,
            Some("avoid private-use and control characters in the text"),
        ),
        ValidationError::NoDocumentTitle => (
            "the book has no title".into(),
            None,
            Some("set `title` in book.toml"),
        ),
        ValidationError::NoDocumentLanguage => (
            "the book has no language".into(),
            None,
            Some("set `language` in book.toml"),
        ),
        ValidationError::MissingDocumentDate => (
            "the PDF has no date".into(),
            None,
            Some("set SOURCE_DATE_EPOCH or build without it being empty"),
        ),
        ValidationError::MissingAltText(loc) => (
            "an image has no alternative text".into(),
            *loc,
            Some("describe the image: ![what it shows](file.png)"),
        ),
        ValidationError::RestrictedLicense(_) => (
            "a font's licence forbids embedding it".into(),
            None,
            edition,
        ),
        other => (format!("{other:?}"), None, edition),
    }
}

fn bad(what: &str) -> Error {
    Error::build(Diagnostic::error(format!("PDF output: {what}")))
}

/// The outline: destinations that carry an entry, nested by level, in
/// page order.
fn outline(pages: &[Page]) -> Outline {
    struct Entry {
        level: u8,
        node: OutlineNode,
    }
    let mut root = Outline::new();
    let mut stack: Vec<Entry> = Vec::new();
    fn close(stack: &mut Vec<Entry>, root: &mut Outline, level: u8) {
        while stack.last().is_some_and(|e| e.level >= level) {
            let done = stack.pop().expect("non-empty");
            match stack.last_mut() {
                Some(parent) => parent.node.push_child(done.node),
                None => root.push_child(done.node),
            }
        }
    }
    for (p, page) in pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Dest {
                at,
                outline: Some(entry),
                ..
            } = item
            {
                close(&mut stack, &mut root, entry.level);
                let dest = XyzDestination::new(p, Point::from_xy(at.x.0 as f32, at.y.0 as f32));
                stack.push(Entry {
                    level: entry.level,
                    node: OutlineNode::new(entry.title.clone(), dest),
                });
            }
        }
    }
    close(&mut stack, &mut root, 0);
    root
}

/// Seconds since 1970 → a UTC date and time.
fn date_time(epoch: i64) -> DateTime {
    let (y, m, d) = crate::edition::civil_from_days(epoch.div_euclid(86_400));
    let secs = epoch.rem_euclid(86_400);
    DateTime::new(y.clamp(0, 9999) as u16)
        .month(m as u8)
        .day(d as u8)
        .hour((secs / 3600) as u8)
        .minute((secs / 60 % 60) as u8)
        .second((secs % 60) as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_from_epoch() {
        // 2024-02-29T12:34:56Z
        let d = date_time(1_709_210_096);
        assert_eq!(
            format!("{d:?}"),
            format!(
                "{:?}",
                DateTime::new(2024)
                    .month(2)
                    .day(29)
                    .hour(12)
                    .minute(34)
                    .second(56)
                    .utc_offset_hour(0)
                    .utc_offset_minute(0)
            )
        );
    }
}
