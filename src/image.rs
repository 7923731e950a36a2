//! Image files as the book uses them: their type from the first bytes, their
//! pixel size from the header, and whether the file is whole. Shared by the
//! loader (which refuses bad images before any backend runs), the EPUB
//! writer (media types) and the typesetter (sizes). Decodes no pixels.

/// An image type both backends may meet (the EPUB 3.3 core image types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// WebP.
    Webp,
    /// SVG.
    Svg,
}

impl ImageType {
    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
            ImageType::Gif => "image/gif",
            ImageType::Webp => "image/webp",
            ImageType::Svg => "image/svg+xml",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Png => "png",
            ImageType::Jpeg => "jpg",
            ImageType::Gif => "gif",
            ImageType::Webp => "webp",
            ImageType::Svg => "svg",
        }
    }
}

/// What an image file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// Its type.
    pub kind: ImageType,
    /// Pixel width and height (`None` for SVG, which has no pixels).
    pub pixels: Option<(u32, u32)>,
}

/// An image file read once and judged: what the page model carries, so
/// that the PDF writer reads no file and never guesses a type from a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Its type, from its first bytes.
    pub kind: ImageType,
    /// Pixel width and height (`None` for SVG).
    pub pixels: Option<(u32, u32)>,
    /// The file's bytes, shared with every other use of the file.
    pub data: std::sync::Arc<[u8]>,
}

impl Picture {
    /// Judges `data` ([`inspect`]) and keeps it.
    pub fn new(data: std::sync::Arc<[u8]>) -> Result<Picture, ImageProblem> {
        let info = inspect(&data)?;
        Ok(Picture {
            kind: info.kind,
            pixels: info.pixels,
            data,
        })
    }
}

/// Why an image file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageProblem {
    /// Not PNG, JPEG, GIF, WebP or SVG.
    NotAnImage,
    /// The file ends before its image does.
    Truncated(ImageType),
    /// More pixels than a book should carry.
    TooLarge(u32, u32),
}

impl ImageProblem {
    /// The problem in words, about `src`.
    pub fn message(&self, src: &str) -> String {
        match self {
            ImageProblem::NotAnImage => {
                format!("`{src}` is not an image (PNG, JPEG, GIF, WebP or SVG)")
            }
            ImageProblem::Truncated(kind) => {
                format!(
                    "image `{src}` is truncated: the {} file ends too soon",
                    kind.extension().to_uppercase()
                )
            }
            ImageProblem::TooLarge(w, h) => format!(
                "image `{src}` is {w} × {h} pixels; samizdat takes up to {} megapixels",
                MAX_PIXELS / 1_000_000
            ),
        }
    }
}

/// The most pixels an image may have: 50 megapixels is a 600 dpi scan of a
/// whole A4 page, more than any page needs, and bounds the memory a PDF
/// writer or reading system spends decoding it.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Inspects an image file's bytes.
pub fn inspect(data: &[u8]) -> Result<ImageInfo, ImageProblem> {
    let kind = sniff(data).ok_or(ImageProblem::NotAnImage)?;
    if !is_whole(data, kind) {
        return Err(ImageProblem::Truncated(kind));
    }
    let pixels = dimensions(data, kind);
    if kind != ImageType::Svg && pixels.is_none() {
        return Err(ImageProblem::Truncated(kind));
    }
    if let Some((w, h)) = pixels
        && u64::from(w) * u64::from(h) > MAX_PIXELS
    {
        return Err(ImageProblem::TooLarge(w, h));
    }
    Ok(ImageInfo { kind, pixels })
}

/// The image type of `data` by its signature: PNG (RFC 2083 §3.1), JPEG
/// (SOI marker `FF D8 FF`), GIF (`GIF87a`/`GIF89a`), WebP (RIFF with `WEBP`
/// form type), SVG (an XML text whose root is `svg`).
pub fn sniff(data: &[u8]) -> Option<ImageType> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageType::Png)
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageType::Jpeg)
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some(ImageType::Gif)
    } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some(ImageType::Webp)
    } else if is_svg(data) {
        Some(ImageType::Svg)
    } else {
        None
    }
}

/// An SVG file starts, after an optional BOM, XML declaration, comments and
/// doctype, with an `<svg` root element.
fn is_svg(data: &[u8]) -> bool {
    let head = &data[..data.len().min(4096)];
    let Ok(text) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return false;
    };
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |(_, r)| r).trim_start();
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |(_, r)| r).trim_start();
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = r.split_once('>').map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    rest.starts_with("<svg") && rest[4..].starts_with(|c: char| c.is_whitespace() || c == '>')
}

/// Whether the file holds its whole image: PNG ends with an `IEND` chunk,
/// JPEG with the EOI marker `FF D9`, GIF with the trailer `3B`, a WebP RIFF
/// container is as long as its header says, SVG closes its root element.
/// (Some writers pad after the end: a little slack is allowed.)
fn is_whole(data: &[u8], kind: ImageType) -> bool {
    let tail = &data[data.len().saturating_sub(64)..];
    match kind {
        ImageType::Png => tail.windows(4).any(|w| w == b"IEND"),
        ImageType::Jpeg => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
        ImageType::Gif => tail.contains(&0x3B),
        ImageType::Webp => {
            let declared = u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize;
            data.len() >= declared + 8
        }
        ImageType::Svg => {
            String::from_utf8_lossy(tail).contains("</svg>")
                || String::from_utf8_lossy(tail).trim_end().ends_with("/>")
        }
    }
}

/// Pixel size from the header.
pub fn dimensions(data: &[u8], kind: ImageType) -> Option<(u32, u32)> {
    let be32 = |i: usize| Some(u32::from_be_bytes(data.get(i..i + 4)?.try_into().ok()?));
    let le16 = |i: usize| {
        Some(u32::from(u16::from_le_bytes(
            data.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    match kind {
        // IHDR is the first chunk: width and height at bytes 16 and 20.
        ImageType::Png => Some((be32(16)?, be32(20)?)),
        ImageType::Gif => Some((le16(6)?, le16(8)?)),
        ImageType::Jpeg => jpeg_dimensions(data),
        ImageType::Webp => webp_dimensions(data),
        ImageType::Svg => None,
    }
}

/// Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 but DHT
/// `C4`, JPG `C8` and DAC `CC`), which holds height and width.
fn jpeg_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < data.len() {
        if data[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = data[i + 1];
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = u16::from_be_bytes([data[i + 5], data[i + 6]]);
            let w = u16::from_be_bytes([data[i + 7], data[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        i += 2 + len;
    }
    None
}

/// WebP's first chunk gives the size: `VP8 ` (lossy, 14-bit sizes in the
/// frame header), `VP8L` (lossless, packed 14-bit sizes) or `VP8X`
/// (extended, 24-bit canvas size minus one).
fn webp_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    let chunk = data.get(12..16)?;
    let b = |i: usize| data.get(i).copied().map(u32::from);
    match chunk {
        b"VP8 " => Some((
            (b(26)? | b(27)? << 8) & 0x3FFF,
            (b(28)? | b(29)? << 8) & 0x3FFF,
        )),
        b"VP8L" => {
            let bits = b(21)? | b(22)? << 8 | b(23)? << 16 | b(24)? << 24;
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((
            (b(24)? | b(25)? << 8 | b(26)? << 16) + 1,
            (b(27)? | b(28)? << 8 | b(29)? << 16) + 1,
        )),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal whole PNG of `w` × `h` pixels (header chunks only; enough
    /// for inspection, not for decoding).
    pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend(w.to_be_bytes());
        v.extend(h.to_be_bytes());
        v.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        v.extend(b"\0\0\0\0IEND\xaeB`\x82");
        v
    }

    #[test]
    fn sizes_from_headers() {
        assert_eq!(inspect(&png(640, 480)).unwrap().pixels, Some((640, 480)));
        let mut gif = b"GIF89a".to_vec();
        gif.extend([0x20, 0x01, 0x10, 0x00, 0, 0, 0, 0x3B]);
        assert_eq!(
            inspect(&gif).unwrap(),
            ImageInfo {
                kind: ImageType::Gif,
                pixels: Some((288, 16))
            }
        );
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0xFF, 0xC0, 0x00, 0x11, 8, 0x01, 0x00, 0x02,
            0x00, 3, 0, 0, 0, 0xFF, 0xD9,
        ];
        assert_eq!(inspect(&jpeg).unwrap().pixels, Some((512, 256)));
        let svg =
            b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n";
        assert_eq!(
            inspect(svg).unwrap(),
            ImageInfo {
                kind: ImageType::Svg,
                pixels: None
            }
        );
    }

    #[test]
    fn problems_are_named() {
        assert_eq!(inspect(b"hello world"), Err(ImageProblem::NotAnImage));
        let whole = png(10, 10);
        assert_eq!(
            inspect(&whole[..20]),
            Err(ImageProblem::Truncated(ImageType::Png))
        );
        assert_eq!(
            inspect(&whole[..whole.len() - 12]),
            Err(ImageProblem::Truncated(ImageType::Png))
        );
        assert_eq!(
            inspect(&png(20_000, 20_000)),
            Err(ImageProblem::TooLarge(20_000, 20_000))
        );
        assert!(
            ImageProblem::TooLarge(20_000, 20_000)
                .message("big.png")
                .contains("20000 × 20000 pixels")
        );
    }
}
