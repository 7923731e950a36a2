//! Images as blocks: found among the book's files (which the loader has
//! read and judged), scaled to the measure and the text block, or their alt
//! text set in their place where print cannot set them.

use std::path::Path;
use std::rc::Rc;

use super::{Builder, Frame, Place, centred_par};
use crate::diag::Diagnostic;
use crate::doc::Inline;
use crate::image::{ImageType, Picture};
use crate::source::Span;
use crate::typeset::fonts::Variant;
use crate::typeset::galley::Flow;
use crate::typeset::inline::{TextStyle, Token};
use crate::typeset::page::{Pt, TagKind};

impl Builder<'_, '_> {
    /// An image alone in its paragraph, with its caption centred under it
    /// in italic at the notes' size; the image is kept with the caption's
    /// first lines (never the last thing on a page before them).
    pub(super) fn figure(
        &mut self,
        src: &str,
        alt: &str,
        caption: &[Inline],
        span: Span,
        frame: &Frame,
    ) {
        let set = self.image(src, alt, !caption.is_empty(), span, frame);
        if !set || caption.is_empty() {
            return;
        }
        let size = self.style.note_size.min(frame.size);
        let leading = self.style.note_leading.min(frame.leading);
        let cframe = Frame {
            size,
            leading,
            justify: false,
            ..*frame
        };
        let mut tokens = self.tokens(caption, &cframe, false);
        for token in &mut tokens {
            if let Token::Text { style, .. } = token {
                let mut italic = (**style).clone();
                italic.variant.italic = !italic.variant.italic;
                *style = Rc::new(italic);
            }
        }
        let par = centred_par(frame);
        let lines = self.inline.layout(&tokens, &par, self.warnings);
        let tag = self.tag(TagKind::Paragraph);
        self.push_lines(
            lines,
            Place::new(frame.x, leading, size),
            None,
            None,
            Some(&tag),
        );
        self.flow.push(Flow::Space(frame.leading));
    }

    /// Sets the image `src` as a block, or its `alt` text if it cannot;
    /// returns whether the image itself was set. `keep`: the image is kept
    /// with what follows.
    fn image(&mut self, src: &str, alt: &str, keep: bool, span: Span, frame: &Frame) -> bool {
        let (picture, (w, h)) = match self.printable(src) {
            Ok(p) => p,
            Err(why) => {
                self.warnings.push(
                    Diagnostic::warning(format!("{why}; its alt text is set instead")).at(span),
                );
                self.alt_text(alt, span, frame);
                return false;
            }
        };
        // 72 dpi natural size, scaled down to the measure and to two thirds
        // of the text block's height.
        let (_, page_h) = self.style.page.dimensions();
        let max_h = (page_h - self.style.margins.top - self.style.margins.bottom) * 0.66;
        let mut width = Pt(w as f64);
        let mut height = Pt(h as f64);
        if width > frame.measure {
            height = height * (frame.measure / width);
            width = frame.measure;
        }
        if height > max_h {
            width = width * (max_h / height);
            height = max_h;
        }
        self.flow.push(Flow::Space(frame.leading * 0.5));
        let tag = Some(self.tag(TagKind::Figure));
        self.flow.push(Flow::Image {
            width,
            height,
            picture,
            alt: alt.to_string(),
            keep_with_next: keep,
            tag,
        });
        self.flow.push(Flow::Space(if keep {
            frame.leading * 0.5
        } else {
            frame.leading
        }));
        true
    }

    /// The image `src` with its pixel size, if print can set it; else why
    /// not.
    fn printable(&self, src: &str) -> Result<(Picture, (u32, u32)), String> {
        // The loader has read and judged every image of the tree (through
        // the same `BookFiles`, which keeps the bytes): this finds them.
        let picture = self
            .assets
            .resolve(Path::new(src))
            .map_err(|why| why.message(src))
            .and_then(|p| self.assets.picture(&p).map_err(|why| why.message(src)));
        match picture {
            Ok(p) => match (p.kind, p.pixels) {
                (ImageType::Png | ImageType::Jpeg | ImageType::Gif | ImageType::Webp, Some(px)) => {
                    Ok((p, px))
                }
                _ => Err(format!(
                    "image `{src}` is {}, which print does not set yet",
                    p.kind.extension().to_uppercase()
                )),
            },
            Err(e) => Err(e),
        }
    }

    /// An image's alt text, in brackets and italic, in its place.
    fn alt_text(&mut self, alt: &str, span: Span, frame: &Frame) {
        let style = Rc::new(TextStyle {
            variant: Variant {
                italic: true,
                bold: false,
            },
            ..self.text_style(frame)
        });
        let tokens = Token::plain(format!("[{alt}]"), style, span);
        let tag = self.tag(TagKind::Paragraph);
        let at = Place::new(frame.x, frame.leading, frame.size);
        self.set_ragged(&tokens, frame, at, None, &tag);
    }
}
