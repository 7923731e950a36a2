//! Images → krilla images. The page model carries each image as the
//! `Picture` the loader read and judged (`crate::image`): its bytes are
//! shared, not read again or copied, and its type is the one read off those
//! bytes, never guessed from a file name.

use std::sync::Arc;

use krilla::Data;
use krilla::geom::{Size, Transform};
use krilla::surface::Surface;

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
        ImageType::Svg => Err("SVG is not set in print".to_string()),
    }
    .map_err(|e| bad(&format!("image `{alt}`: {e}")))?;
    let Some(size) = Size::from_wh(rect.width.0 as f32, rect.height.0 as f32) else {
        return Ok(None);
    };
    let id = meta.tagged.then(|| marked::mark(surface, tag));
    surface.push_transform(&Transform::from_translate(rect.x.0 as f32, rect.y.0 as f32));
    surface.draw_image(image, size);
    surface.pop();
    let Some(id) = id else {
        return Ok(None);
    };
    surface.end_tagged();
    Ok(match (id, tag) {
        (Some(id), Some(tag)) => Some(Piece {
            tag: tag.clone(),
            id,
            text: alt.into(),
            area: *rect,
        }),
        _ => None,
    })
}
