//! Images → krilla images. The page model carries each image as the
//! `Picture` the loader read and judged (`crate::image`): its bytes are
//! shared, not read again or copied, and its type is the one read off those
//! bytes, never guessed from a file name.

use std::sync::Arc;

use krilla::Data;
use krilla::geom::{Size, Transform};
use krilla::surface::Surface;
use krilla::tagging::Identifier;
use krilla_svg::SurfaceExt;

use super::marked::{self, Piece};
use super::{PdfMeta, bad};
use crate::diag::Result;
use crate::image::{ImageType, Picture};
use crate::typeset::page::{Rect, Tag};

/// An image item of a page.
pub(super) struct Figure<'a> {
    /// Where it goes.
    pub rect: &'a Rect,
    /// The decoded image.
    pub picture: &'a Picture,
    /// Its alternative text.
    pub alt: &'a str,
    /// Its place in the structure; none makes it decoration.
    pub tag: Option<&'a Tag>,
}

/// Draws `figure` scaled into its rectangle; tagged, returns it as a piece
/// of the structure tree (none for decoration).
pub(super) fn draw_image(
    surface: &mut Surface<'_>,
    figure: &Figure<'_>,
    meta: &PdfMeta,
) -> Result<Option<Piece>> {
    let Figure {
        rect,
        picture,
        alt,
        tag,
    } = *figure;
    if picture.kind == ImageType::Svg {
        return draw_svg(surface, figure, meta);
    }
    // Shared, not copied: the bytes the loader read.
    let shared: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(picture.data.clone());
    let data = Data::from(shared);
    // PDF/A forbids asking viewers to smooth images.
    let interpolate = meta.pdf_a.is_none();
    // The type is the one `image.rs` read off the bytes.
    let image = match picture.kind {
        ImageType::Png => krilla::image::Image::from_png(data, interpolate),
        ImageType::Jpeg => krilla::image::Image::from_jpeg(data, interpolate),
        ImageType::Gif => krilla::image::Image::from_gif(data, interpolate),
        ImageType::Webp => krilla::image::Image::from_webp(data, interpolate),
        ImageType::Svg => unreachable!("drawn by draw_svg"),
    }
    .map_err(|e| bad(&format!("image `{alt}`: {e}")))?;
    let Some(size) = Size::from_wh(rect.width.0 as f32, rect.height.0 as f32) else {
        return Ok(None);
    };
    let id = meta.tagged.then(|| marked::mark(surface, tag));
    surface.push_transform(&Transform::from_translate(rect.x.0 as f32, rect.y.0 as f32));
    surface.draw_image(image, size);
    surface.pop();
    Ok(finish(surface, figure, id))
}

/// Ends the marked content of `figure` begun as `id` and gives its piece
/// of the structure tree (tagged only).
fn finish(
    surface: &mut Surface<'_>,
    figure: &Figure<'_>,
    id: Option<Option<Identifier>>,
) -> Option<Piece> {
    let Figure { rect, alt, tag, .. } = *figure;
    // Untagged, nothing was begun.
    let id = id?;
    surface.end_tagged();
    match (id, tag) {
        (Some(id), Some(tag)) => Some(Piece {
            tag: tag.clone(),
            id,
            text: alt.into(),
            area: *rect,
        }),
        _ => None,
    }
}

/// Draws an SVG `figure` as vectors (krilla-svg over a usvg tree) into
/// its rectangle, its own shape kept (centred where the rectangle's
/// differs). The page model's SVG is already sanitized
/// (`typeset::build::figure`, through `svg::sanitize`); usvg is still
/// given no way to load anything: no file, only the `data:` images the
/// sanitizer let through.
fn draw_svg(
    surface: &mut Surface<'_>,
    figure: &Figure<'_>,
    meta: &PdfMeta,
) -> Result<Option<Piece>> {
    let Figure {
        rect, picture, alt, ..
    } = *figure;
    let options = crate::svg::usvg_options();
    let tree = usvg::Tree::from_data(&picture.data, &options)
        .map_err(|e| bad(&format!("image `{alt}`: {e}")))?;
    let (tw, th) = (tree.size().width() as f64, tree.size().height() as f64);
    let scale = (rect.width.0 / tw).min(rect.height.0 / th);
    let (w, h) = (tw * scale, th * scale);
    let Some(size) = Size::from_wh(w as f32, h as f32) else {
        return Ok(None);
    };
    let (x, y) = (
        rect.x.0 + (rect.width.0 - w) / 2.0,
        rect.y.0 + (rect.height.0 - h) / 2.0,
    );
    let id = meta.tagged.then(|| marked::mark(surface, figure.tag));
    surface.push_transform(&Transform::from_translate(x as f32, y as f32));
    // Text as outlines: the figure's words reach the tag tree as its alt
    // text, not as glyphs that would need their own structure.
    let settings = krilla_svg::SvgSettings {
        embed_text: false,
        ..krilla_svg::SvgSettings::default()
    };
    let drawn = surface.draw_svg(&tree, size, settings);
    surface.pop();
    let piece = finish(surface, figure, id);
    drawn.ok_or_else(|| bad(&format!("image `{alt}`: the SVG could not be drawn")))?;
    Ok(piece)
}
