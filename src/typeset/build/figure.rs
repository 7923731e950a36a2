//! Figures: images as blocks, found among the book's files (which the
//! loader has read and judged), centred and scaled to the measure and the
//! page, their captions under them and kept with them on one page; raw HTML
//! `<img>`s (and `<figure>`s with a `<figcaption>`) set the same way; an
//! SVG sanitized and drawn as vectors by the PDF writer; the alt text in
//! an image's place where print cannot set it.

use std::path::Path;
use std::rc::Rc;

use super::{Builder, Frame, Place, centred_par};
use crate::diag::Diagnostic;
use crate::doc::{self, Inline};
use crate::image::{ImageType, Picture};
use crate::source::Span;
use crate::typeset::fonts::Variant;
use crate::typeset::galley::Flow;
use crate::typeset::inline::{SetLine, TextStyle, Token};
use crate::typeset::page::{Pt, TagKind};
use crate::{html, svg};

impl Builder<'_, '_> {
    /// Sets the image `src` alone, with no caption.
    pub(super) fn image(&mut self, src: &str, alt: &str, span: Span, frame: &Frame) {
        self.figure(src, alt, &[], span, frame);
    }

    /// Sets the image `src` as a figure, centred and scaled to fit the
    /// measure and the page, with its `caption` centred under it in the
    /// caption style (the quotation size, italic) and kept on its page;
    /// where the image cannot be set, its `alt` text in its place (and the
    /// caption, when it says something else).
    pub(super) fn figure(
        &mut self,
        src: &str,
        alt: &str,
        caption: &[Inline],
        span: Span,
        frame: &Frame,
    ) {
        let (picture, (w, h)) = match self.printable(src, frame.measure) {
            Ok(p) => p,
            Err(why) => {
                self.warnings.push(
                    Diagnostic::warning(format!("{why}; its alt text is set instead")).at(span),
                );
                self.alt_text(alt, span, frame);
                if !caption.is_empty() && doc::plain_text(caption).trim() != alt.trim() {
                    let lines = self.caption_lines(caption, frame);
                    self.push_caption(lines, frame);
                }
                return;
            }
        };
        let lines = if caption.is_empty() {
            Vec::new()
        } else {
            self.caption_lines(caption, frame)
        };
        let cframe = self.caption_frame(frame);
        let gap = frame.leading * 0.5;
        let caption_h = if lines.is_empty() {
            Pt::ZERO
        } else {
            gap + cframe.leading * lines.len() as f64
        };
        // 72 dpi natural size, scaled down to the measure and to two thirds
        // of the text block's height, or less so that the caption fits on
        // the page with it (a line's depth under the last baseline).
        let (_, page_h) = self.style.page.dimensions();
        let block_h = page_h - self.style.margins.top - self.style.margins.bottom;
        let max_h = (block_h * 0.66)
            .min(block_h - frame.leading - caption_h)
            .max(frame.leading * 3.0);
        let (mut width, mut height) = (w, h);
        if width > frame.measure {
            height = height * (frame.measure / width);
            width = frame.measure;
        }
        if height > max_h {
            width = width * (max_h / height);
            height = max_h;
        }
        self.flow.push(Flow::Space(gap));
        let tag = Some(self.tag(TagKind::Figure));
        self.flow.push(Flow::Image {
            x: frame.x + (frame.measure - width) / 2.0,
            width,
            height,
            picture,
            alt: alt.to_string(),
            tag,
            keep_lines: lines.len() as u32,
        });
        if lines.is_empty() {
            self.flow.push(Flow::Space(frame.leading));
        } else {
            self.flow.push(Flow::Space(gap));
            self.push_caption(lines, frame);
        }
    }

    /// Where a caption is set: a size down (the quotation size) outside
    /// notes, a little narrower than the measure.
    fn caption_frame(&self, frame: &Frame) -> Frame {
        let (size, leading) = if frame.in_note {
            (frame.size, frame.leading)
        } else {
            (self.style.quote_size, self.style.quote_leading)
        };
        let inset = (size * 1.5).min(frame.measure * 0.1);
        Frame {
            x: frame.x + inset,
            measure: frame.measure - inset * 2.0,
            size,
            leading,
            justify: false,
            ..*frame
        }
    }

    /// The caption's lines: italic (roman inside emphasis), centred,
    /// hyphenated only at explicit breaks.
    fn caption_lines(&mut self, caption: &[Inline], frame: &Frame) -> Vec<SetLine> {
        let cframe = self.caption_frame(frame);
        let tokens: Vec<Token> = self
            .tokens(caption, &cframe, false)
            .into_iter()
            .map(|t| match t {
                Token::Text {
                    text,
                    style,
                    span,
                    note,
                } => {
                    let mut italic = (*style).clone();
                    italic.variant.italic = !italic.variant.italic;
                    Token::Text {
                        text,
                        style: Rc::new(italic),
                        span,
                        note,
                    }
                }
                other => other,
            })
            .collect();
        let par = centred_par(&cframe);
        self.inline.layout(&tokens, &par, self.warnings)
    }

    /// Adds a caption's lines under its image, then the space after the
    /// figure.
    fn push_caption(&mut self, lines: Vec<SetLine>, frame: &Frame) {
        let cframe = self.caption_frame(frame);
        let tag = self.tag(TagKind::Paragraph);
        let at = Place::new(cframe.x, cframe.leading, cframe.size);
        self.push_lines(lines, at, None, None, Some(&tag));
        self.flow.push(Flow::Space(frame.leading));
    }

    /// The image `src` with its natural size (a pixel a point, as at 72
    /// dpi; an SVG's own size, or the `measure` wide when it gives only
    /// its shape), if print can set it; else why not. An SVG comes back
    /// sanitized (`svg::sanitize`): the page model carries only what the
    /// allow-lists keep.
    fn printable(&self, src: &str, measure: Pt) -> Result<(Picture, (Pt, Pt)), String> {
        // The loader has read and judged every image of the tree (through
        // the same `BookFiles`, which keeps the bytes): this finds them.
        let p = self
            .assets
            .resolve(Path::new(src))
            .map_err(|why| why.message(src))
            .and_then(|p| self.assets.picture(&p).map_err(|why| why.message(src)))?;
        match (p.kind, p.pixels) {
            (ImageType::Png | ImageType::Jpeg | ImageType::Gif | ImageType::Webp, Some((w, h))) => {
                Ok((p, (Pt(w as f64), Pt(h as f64))))
            }
            (ImageType::Svg, _) => {
                let (clean, _) = svg::sanitize(&p.data)
                    .map_err(|e| format!("image `{src}` cannot be used: {e}"))?;
                let size = svg::size(&clean).ok_or_else(|| format!("image `{src}` has no size"))?;
                let aspect = size.aspect.unwrap_or(1.0);
                let natural = match (size.width, size.height) {
                    (Some(w), Some(h)) => (Pt(w), Pt(h)),
                    (Some(w), None) => (Pt(w), Pt(w / aspect)),
                    (None, Some(h)) => (Pt(h * aspect), Pt(h)),
                    (None, None) => (measure, measure / aspect),
                };
                let picture = Picture {
                    data: clean.into(),
                    ..p
                };
                Ok((picture, natural))
            }
            _ => Err(format!(
                "image `{src}` is {}, whose size is unknown",
                p.kind.extension().to_uppercase()
            )),
        }
    }

    /// Sets the images of a raw HTML block (`<img src alt>`, in a
    /// `<figure>` with a `<figcaption>` or not) as figures, the caption's
    /// text under the last; returns false, setting nothing, when the block
    /// has no image. Text and elements around the images are left out,
    /// with a warning.
    pub(super) fn raw_images(&mut self, html: &str, span: Span, frame: &Frame) -> bool {
        let raw = RawFigure::read(html);
        let Some(last) = raw.images.len().checked_sub(1) else {
            return false;
        };
        let caption = (!raw.caption.is_empty()).then(|| Inline::Text {
            text: raw.caption.clone(),
            span,
        });
        for (i, (src, alt)) in raw.images.iter().enumerate() {
            let src = self.beside_chapter(src);
            let caption = if i == last { caption.as_slice() } else { &[] };
            // No alt text: the caption says what the image is.
            let alt = if alt.trim().is_empty() {
                raw.caption.as_str()
            } else {
                alt.as_str()
            };
            self.figure(&src, alt, caption, span, frame);
        }
        if raw.other {
            self.warnings.push(
                Diagnostic::warning(
                    "raw HTML around an image is left out of print editions (the image is set)",
                )
                .at(span),
            );
        }
        true
    }

    /// A raw `<img>`'s source as the tree keeps Markdown images' (content
    /// relative): beside the chapter if there is such a file, else from
    /// the book's top, as the loader looks for Markdown images and the
    /// EPUB writer for raw ones. Remote ones are left as they are.
    fn beside_chapter(&self, src: &str) -> String {
        if src.contains(':') && !src.starts_with("./") || src.starts_with("//") {
            return src.to_string();
        }
        let wanted = crate::files::url_path(src);
        let beside = self.chapter_dir.join(&wanted);
        let path = if self.assets.resolve(&beside).is_ok() {
            beside
        } else {
            wanted
        };
        path.to_string_lossy().replace('\\', "/")
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

/// The raw HTML of a paragraph that holds nothing else (white space
/// aside), its pieces joined.
pub(super) fn raw_only(content: &[Inline]) -> Option<String> {
    let mut html = String::new();
    for inline in content {
        match inline {
            Inline::Html { html: piece, .. } => html.push_str(piece),
            Inline::SoftBreak { .. } => html.push('\n'),
            Inline::Text { text, .. } if text.trim().is_empty() => html.push_str(text),
            _ => return None,
        }
    }
    (!html.is_empty()).then_some(html)
}

/// What print takes from a raw HTML block: its images' sources and alt
/// texts, its `<figcaption>`'s text (white space collapsed), and whether
/// anything else is in it (text outside the caption, elements other than
/// the few that only wrap an image).
#[derive(Debug, Default, PartialEq)]
struct RawFigure {
    images: Vec<(String, String)>,
    caption: String,
    other: bool,
}

/// Elements that only wrap an image or its caption, or style a caption's
/// words: nothing of them is lost when print sets the image alone.
const WRAPPERS: &[&str] = &[
    "figure",
    "figcaption",
    "picture",
    "source",
    "p",
    "div",
    "center",
    "a",
    "span",
    "br",
    "b",
    "i",
    "em",
    "strong",
    "small",
    "sub",
    "sup",
    "cite",
];

impl RawFigure {
    fn read(html: &str) -> RawFigure {
        let mut raw = RawFigure::default();
        let mut caption = String::new();
        let mut in_caption = 0u32;
        let mut state = html::State::default();
        for token in html::tokenize(html, &mut state) {
            match token {
                html::Token::Start { name, attrs, .. } if name == "img" => {
                    let get = |key: &str| {
                        attrs
                            .iter()
                            .find(|(k, _)| k == key)
                            .map(|(_, v)| v.trim().to_string())
                    };
                    match get("src").filter(|s| !s.is_empty()) {
                        Some(src) => raw.images.push((src, get("alt").unwrap_or_default())),
                        None => raw.other = true,
                    }
                }
                html::Token::Start { name, .. } if name == "figcaption" => in_caption += 1,
                html::Token::End { name } if name == "figcaption" => {
                    in_caption = in_caption.saturating_sub(1);
                }
                html::Token::Start { name, .. } | html::Token::End { name } => {
                    if !WRAPPERS.contains(&name.as_str()) {
                        raw.other = true;
                    }
                }
                html::Token::Text(text) if in_caption > 0 => {
                    caption.push_str(&text);
                    caption.push(' ');
                }
                html::Token::Text(text) => raw.other |= !text.trim().is_empty(),
                html::Token::Comment => {}
            }
        }
        raw.caption = caption.split_whitespace().collect::<Vec<_>>().join(" ");
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::RawFigure;

    #[test]
    fn a_raw_figure_gives_its_image_and_caption() {
        let raw = RawFigure::read(
            "<figure>\n<img src=\"img/map%201.png\" alt=\"A map\" class=\"center\"/>\n\
             <figcaption>Figure 1: <em>Petrograd</em>\n in 1917</figcaption>\n</figure>",
        );
        assert_eq!(
            raw,
            RawFigure {
                images: vec![("img/map%201.png".into(), "A map".into())],
                caption: "Figure 1: Petrograd in 1917".into(),
                other: false,
            }
        );
    }

    #[test]
    fn text_or_other_elements_around_an_image_are_noted() {
        let raw = RawFigure::read("<p align=center><img src='a.png' alt=a> Some words</p>");
        assert_eq!(raw.images.len(), 1);
        assert!(raw.other);
        let raw = RawFigure::read("<table><tr><td><img src=a.png></td></tr></table>");
        assert!(raw.other);
        // No image at all: nothing for print (the caller warns as before).
        let raw = RawFigure::read("<div class=note>Hello</div>");
        assert!(raw.images.is_empty());
        // An img without a source is no image.
        let raw = RawFigure::read("<img alt=nothing>");
        assert!(raw.images.is_empty() && raw.other);
    }
}
