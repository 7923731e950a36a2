//! The book's images, judged once at load: found beside the chapter or from
//! the book's top, read through the fence, their header checked by
//! `image.rs`.

use std::path::Path;

use crate::diag::{Diagnostic, Error, Location, Result};
use crate::doc::{Block, Inline};
use crate::files::{BookFiles, BookPath, Refusal};
use crate::markdown;

/// Checks every local image of a file's blocks (notes included) and makes
/// its `src` relative to the content directory. Like a browser and mdBook,
/// a path is relative to the chapter file; one found only from the book's
/// top is accepted too. Each image is read once, through the fence, and
/// judged by `image.rs` from its bytes, for both backends: a missing,
/// unreadable, truncated or oversized image, or one outside the book, is an
/// error at the image. Remote images are left to the backends.
pub(super) fn check_images(
    blocks: &mut [Block],
    files: &BookFiles,
    chapter: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    markdown::visit_inlines_mut(blocks, &mut |inline| match inline {
        Inline::Note { blocks, .. } => check_images(blocks, files, chapter, errors),
        Inline::Image { src, span, .. } => check_image(src, *span, files, chapter, errors),
        _ => {}
    });
    // Figures (images alone in their paragraphs) alike.
    markdown::visit_figures_mut(blocks, &mut |src, span| {
        check_image(src, span, files, chapter, errors)
    });
}

/// Checks one local image `src` and makes it content-relative.
fn check_image(
    src: &mut String,
    span: crate::source::Span,
    files: &BookFiles,
    chapter: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    if src.contains(':') && !src.starts_with("./") || src.starts_with("//") {
        return;
    }
    let wanted = crate::files::url_path(src);
    match find_image(files, chapter, &wanted) {
        Ok((path, _)) => {
            let rel = files.content_relative(&path).unwrap_or(path.rel());
            *src = rel.to_string_lossy().replace('\\', "/");
        }
        Err(message) => errors.push(Diagnostic::error(message(src)).at(span)),
    }
}

/// A message about an image, given how the book names it.
type ImageMessage = Box<dyn Fn(&str) -> String>;

/// Resolves and judges the image `wanted`, named in `chapter` (both
/// content-relative): beside the chapter first, then from the top.
pub(crate) fn find_image(
    files: &BookFiles,
    chapter: &Path,
    wanted: &Path,
) -> std::result::Result<(BookPath, crate::image::Picture), ImageMessage> {
    let base = chapter.parent().unwrap_or(Path::new(""));
    let beside = files.resolve(&base.join(wanted));
    let found = match beside {
        Ok(p) => Ok(p),
        Err(first) => files.resolve(wanted).map_err(|top| match top {
            // Not found from the top either: say why it failed beside
            // the chapter, which is where a reader would look.
            Refusal::Missing => first,
            other => other,
        }),
    };
    let path = found.map_err(|why| -> ImageMessage {
        Box::new(move |src| format!("image {}", why.message(src)))
    })?;
    let picture = files
        .picture(&path)
        .map_err(|why| -> ImageMessage { Box::new(move |src| why.message(src)) })?;
    Ok((path, picture))
}

/// Checks the cover image named in `[book]`: inside the book, an image, whole.
pub(super) fn check_cover(files: &BookFiles, cover: &Path, listed_at: Location) -> Result<()> {
    find_image(files, Path::new(""), cover)
        .map(|_| ())
        .map_err(|message| {
            let mut d = Diagnostic::error(format!("cover: {}", message(&cover.to_string_lossy())));
            d.location = listed_at;
            Error::Build(vec![d])
        })
}
