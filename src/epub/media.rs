//! Images and fonts copied into the package: media types from magic bytes,
//! package names, and the list the manifest is made from.
//!
//! The media type comes from the file's first bytes, never from its name,
//! because a reading system trusts the manifest and a `.jpg` that is really
//! a PNG shows as a broken image. Only EPUB 3.3 core media types pass
//! (<https://www.w3.org/TR/epub-33/#sec-core-media-types>).

use crate::files::PictureError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::files::{BookFiles, Refusal};
use crate::image::ImageProblem;
pub(super) use crate::image::ImageType;
use std::sync::Arc;

/// A file that goes into the package as it is.
#[derive(Debug, Clone)]
pub(super) struct Item {
    /// Manifest id.
    pub id: String,
    /// Path inside the package directory (`images/map.png`).
    pub href: String,
    /// MIME type.
    pub mime: &'static str,
    /// The bytes.
    pub data: Vec<u8>,
}

/// Why an image could not be packaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ImageError {
    /// `http:` and the like: EPUB forbids remote images.
    Remote,
    /// Refused by the book's files: outside the book, missing, not a
    /// regular file, too large, unreadable.
    Refused(Refusal),
    /// Not one of the core image types.
    Unsupported,
    /// An image file that is not whole or too large (`image.rs`'s verdict).
    Broken(ImageProblem),
    /// An SVG that cannot be read as one (see [`crate::svg::SvgError`]).
    BadSvg(crate::svg::SvgError),
}

impl ImageError {
    /// One line for a diagnostic about `src`.
    pub(super) fn message(&self, src: &str) -> String {
        match self {
            ImageError::Remote => format!("remote image `{src}` cannot go into an EPUB"),
            ImageError::Refused(why) => format!("image {}", why.message(src)),
            ImageError::Broken(problem) => problem.message(src),
            ImageError::Unsupported => {
                format!("image `{src}` is not PNG, JPEG, GIF, WebP or SVG")
            }
            ImageError::BadSvg(e) => format!("SVG image `{src}` is left out: {e}"),
        }
    }

    /// Whether this stops the build (a file the author named but we cannot
    /// use) or only drops the image with a warning.
    pub(super) fn is_error(&self) -> bool {
        matches!(self, ImageError::Refused(_) | ImageError::Broken(_))
    }
}

/// The images of a book, each packaged once, in order of first use.
#[derive(Debug)]
pub(super) struct Images {
    files: Arc<BookFiles>,
    by_path: HashMap<PathBuf, Result<usize, ImageError>>,
    /// The packaged images, in order of first use.
    pub items: Vec<Item>,
    /// What sanitising removed from the SVG image packaged by the last
    /// [`Images::add`], for the caller to warn about once, at that use.
    removed: Option<String>,
}

impl Images {
    /// An empty set reading from the book's `files`.
    pub(super) fn new(files: Arc<BookFiles>) -> Self {
        Images {
            files,
            by_path: HashMap::new(),
            items: Vec::new(),
            removed: None,
        }
    }

    /// Packages the image at `src`, as written in the Markdown of a file
    /// in the book-relative directory `base`, and returns its path in the
    /// package. Like a browser (and mdBook), `src` is looked up relative to
    /// the chapter file first, then relative to the book directory.
    pub(super) fn add(&mut self, base: &Path, src: &str) -> Result<String, ImageError> {
        if src.contains("://") || src.starts_with("//") || src.starts_with("data:") {
            return Err(ImageError::Remote);
        }
        let rel = crate::files::url_path(src);
        let beside = normalize(&base.join(&rel));
        let key = match (&beside, normalize(&rel)) {
            (Some(b), _) if self.files.is_file(b) => b.clone(),
            (_, Some(top)) => top,
            (Some(b), None) => b.clone(),
            (None, None) => return Err(ImageError::Refused(Refusal::Leaves)),
        };
        if let Some(known) = self.by_path.get(&key) {
            return known.clone().map(|i| self.items[i].href.clone());
        }
        let result = self.load(&key);
        self.by_path.insert(key, result.clone());
        result.map(|i| self.items[i].href.clone())
    }

    /// The warning about what sanitising removed from the SVG image the
    /// last [`Images::add`] packaged (once per image: a later use of the
    /// same file finds it packaged and gets `None`).
    pub(super) fn take_removed(&mut self) -> Option<String> {
        self.removed.take()
    }

    fn load(&mut self, rel: &Path) -> Result<usize, ImageError> {
        let path = self.files.resolve(rel).map_err(ImageError::Refused)?;
        // One judge, once, for both backends and the loader.
        let picture = match self.files.picture(&path) {
            Ok(p) => p,
            Err(PictureError::Refused(why)) => return Err(ImageError::Refused(why)),
            Err(PictureError::Problem(ImageProblem::NotAnImage)) => {
                return Err(ImageError::Unsupported);
            }
            Err(PictureError::Problem(problem)) => return Err(ImageError::Broken(problem)),
        };
        let (kind, data) = (picture.kind, picture.data);
        let data = if kind == ImageType::Svg {
            let (clean, removed) = crate::svg::sanitize(&data).map_err(ImageError::BadSvg)?;
            self.removed = removed_message(&rel.to_string_lossy(), &removed);
            clean
        } else {
            data.to_vec()
        };
        let stem = rel
            .file_stem()
            .map(|s| ascii_name(&s.to_string_lossy()))
            .unwrap_or_default();
        let stem = if stem.is_empty() {
            "image".to_string()
        } else {
            stem
        };
        let mut href = format!("images/{stem}.{}", kind.extension());
        let mut n = 2;
        // The generated cover's names are taken (`raster.rs`, `cover.rs`).
        while self.items.iter().any(|i| i.href == href)
            || href == "images/cover.svg"
            || href == "images/cover.png"
        {
            href = format!("images/{stem}-{n}.{}", kind.extension());
            n += 1;
        }
        self.items.push(Item {
            id: format!("img-{}", self.items.len() + 1),
            href,
            mime: kind.mime(),
            data,
        });
        Ok(self.items.len() - 1)
    }
}

/// One warning line for what [`crate::svg::sanitize`] removed from `path`:
/// the first few kinds, then how many more.
fn removed_message(path: &str, removed: &[String]) -> Option<String> {
    const SHOWN: usize = 6;
    if removed.is_empty() {
        return None;
    }
    let mut list = removed[..removed.len().min(SHOWN)].join(", ");
    if removed.len() > SHOWN {
        list.push_str(&format!(" and {} more", removed.len() - SHOWN));
    }
    Some(format!(
        "SVG image `{path}`: removed what is not static SVG ({list})"
    ))
}

/// `a/./b/../c` → `a/c`, lexically; `None` for an empty path, an absolute
/// one or one that climbs above its start.
fn normalize(path: &Path) -> Option<PathBuf> {
    crate::files::normalize(path).filter(|p| !p.as_os_str().is_empty())
}

/// A file name safe in any zip tool and URL: ASCII letters, digits, `-`, `_`.
pub(super) fn ascii_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A font file to embed, with what its name says about it.
#[derive(Debug, Clone)]
pub(super) struct Font {
    /// The packaged file.
    pub item: Item,
    /// Family name for `@font-face`.
    pub family: String,
    /// CSS `font-weight`.
    pub weight: u16,
    /// Italic or not.
    pub italic: bool,
}

/// The fonts to embed, in the order given (the caller sorts them).
///
/// Family, weight and style come from the file name, in the usual
/// `Family-BoldItalic.otf` convention: reading the `name` table would need
/// the font parser, which only `typeset/fonts.rs` may use.
pub(super) fn fonts(files: &[super::FontFile]) -> Vec<Font> {
    let paths: Vec<(PathBuf, &super::FontFile)> = files
        .iter()
        .map(|f| (PathBuf::from(&f.name), f))
        .filter(|(p, _)| font_mime(p).is_some())
        .collect();
    let mut fonts = Vec::new();
    for (i, (path, file)) in paths.iter().enumerate() {
        let Some(mime) = font_mime(path) else {
            continue;
        };
        let data = file.data.to_vec();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = path
            .extension()
            .map(|s| s.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let (family, style) = stem.rsplit_once('-').unwrap_or((&stem, "Regular"));
        let style = style.to_ascii_lowercase();
        let italic = style.contains("italic") || style.contains("oblique");
        let weight = [
            ("thin", 100),
            ("extralight", 200),
            ("light", 300),
            ("medium", 500),
            ("semibold", 600),
            ("extrabold", 800),
            ("bold", 700),
            ("black", 900),
        ]
        .iter()
        .find(|(w, _)| style.contains(w))
        .map_or(400, |&(_, n)| n);
        let family: String = family
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect();
        fonts.push(Font {
            item: Item {
                id: format!("font-{}", i + 1),
                href: format!("fonts/{}.{ext}", ascii_name(&stem)),
                mime,
                data,
            },
            family,
            weight,
            italic,
        });
    }
    fonts
}

fn font_mime(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    Some(match ext.as_str() {
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_reads_magic_bytes_not_names() {
        use crate::image::sniff;
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageType::Png));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some(ImageType::Jpeg)
        );
        assert_eq!(sniff(b"GIF89a...."), Some(ImageType::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(ImageType::Webp));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- x -->\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(ImageType::Svg)
        );
        assert_eq!(sniff(b"<svgx/>"), None);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"%PDF-1.7"), None);
    }

    #[test]
    fn svg_images_are_packaged_sanitised_or_refused() {
        let dir = std::env::temp_dir().join(format!("samizdat-media-svg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script><rect width=\"1\"/></svg>";
        std::fs::write(dir.join("map.svg"), svg).unwrap();
        std::fs::write(
            dir.join("broken.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>",
        )
        .unwrap();
        let mut images = Images::new(Arc::new(BookFiles::new(&dir).unwrap()));
        let top = Path::new("");
        assert_eq!(images.add(top, "map.svg").unwrap(), "images/map.svg");
        let data = String::from_utf8(images.items[0].data.clone()).unwrap();
        assert!(
            !data.contains("alert") && data.contains("<rect width=\"1\"/>"),
            "{data}"
        );
        assert_eq!(
            images.take_removed().as_deref(),
            Some(
                "SVG image `map.svg`: removed what is not static SVG (<script> elements, event handler attributes (on…))"
            )
        );
        // Packaged once, warned once.
        images.add(top, "map.svg").unwrap();
        assert_eq!(images.take_removed(), None);
        let broken = images.add(top, "broken.svg").unwrap_err();
        assert!(!broken.is_error());
        assert!(
            broken
                .message("broken.svg")
                .starts_with("SVG image `broken.svg` is left out: it is not well-formed XML ("),
            "{}",
            broken.message("broken.svg")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn images_are_packaged_once_with_safe_names() {
        let dir = std::env::temp_dir().join(format!("samizdat-media-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("img")).unwrap();
        // A whole GIF named like a JPEG: the bytes decide.
        std::fs::write(
            dir.join("img/Map of Russia.jpg"),
            b"GIF89a\x01\0\x01\0\0\0\0;",
        )
        .unwrap();
        std::fs::write(dir.join("notes.txt"), b"hello").unwrap();
        let mut images = Images::new(Arc::new(BookFiles::new(&dir).unwrap()));
        let top = Path::new("");
        let png = "images/map-of-russia.gif";
        assert_eq!(images.add(top, "img/Map%20of%20Russia.jpg").unwrap(), png);
        assert_eq!(images.add(top, "./img/Map of Russia.jpg").unwrap(), png);
        // From a chapter in a sub-directory: beside the chapter, else from the top.
        let sub = Path::new("part-one");
        assert_eq!(images.add(sub, "../img/Map of Russia.jpg").unwrap(), png);
        assert_eq!(images.add(sub, "img/Map of Russia.jpg").unwrap(), png);
        assert_eq!(images.items.len(), 1);
        assert_eq!(images.items[0].mime, "image/gif");
        assert_eq!(images.add(top, "notes.txt"), Err(ImageError::Unsupported));
        let leaves = Err(ImageError::Refused(Refusal::Leaves));
        assert_eq!(images.add(top, "../secret.png"), leaves);
        assert_eq!(images.add(sub, "../../secret.png"), leaves);
        assert_eq!(images.add(top, "/etc/passwd"), leaves);
        let remote = images.add(top, "https://example.org/a.png");
        assert_eq!(remote, Err(ImageError::Remote));
        let gone = images.add(top, "gone.png");
        assert_eq!(gone, Err(ImageError::Refused(Refusal::Missing)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
