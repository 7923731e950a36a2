//! The fonts a build may use: loading, family and style lookup, metrics and
//! glyph coverage. Shaping is `shape.rs`'s job; choosing a fallback face for
//! a character (and warning when none has it) happens there too, through
//! [`Fonts::covers`].
//!
//! The fonts in `fonts/` are compiled into the binary with `include_bytes!`
//! ([`Fonts::bundled`]): a build then needs no fonts directory at run time,
//! cannot pick up a different file by accident, and gives the same PDF bytes
//! on every machine. A book can add its own fonts with [`Fonts::add_dir`].

use std::path::Path;
use std::sync::Arc;

use harfrust::ShaperData;
use skrifa::{FontRef, MetadataProvider, string::StringId};

use crate::diag::{Diagnostic, Error, Result};

/// Index of a face in [`Fonts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u16);

/// Weight and slope wanted from a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Variant {
    /// Bold (weight 600 and up).
    pub bold: bool,
    /// Italic or oblique.
    pub italic: bool,
}

/// The bytes of a font file, shared with the PDF writer.
pub type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One face: a font file (or one font of a collection) and what we know of it.
pub struct Face {
    /// The file's bytes.
    pub data: FontData,
    /// Index in a collection (0 for a plain file).
    pub index: u32,
    /// Family name (typographic family where the font gives one).
    pub family: String,
    /// Weight and slope.
    pub variant: Variant,
    /// Units per em.
    pub units_per_em: f64,
    /// Ascender, in em.
    pub ascent: f64,
    /// Descender (negative), in em.
    pub descent: f64,
    /// Cap height, in em.
    pub cap_height: f64,
    /// The strike-through line: its offset above the baseline and its
    /// thickness, in em (the font's OS/2 values, else a quarter em up and a
    /// twentieth thick).
    pub strikeout: (f64, f64),
    /// Where the file came from, for messages.
    pub origin: String,
    /// The shaper's per-face tables, built once.
    pub(crate) shaper_data: ShaperData,
    /// The code points the face maps, as sorted inclusive ranges, read once
    /// from its `cmap`: coverage is asked for every character set.
    coverage: Vec<(u32, u32)>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("family", &self.family)
            .field("variant", &self.variant)
            .field("origin", &self.origin)
            .finish()
    }
}

impl Face {
    fn new(data: FontData, index: u32, origin: String) -> Option<Face> {
        let font = FontRef::from_index((*data).as_ref(), index).ok()?;
        let family = font
            .localized_strings(StringId::TYPOGRAPHIC_FAMILY_NAME)
            .english_or_first()
            .or_else(|| {
                font.localized_strings(StringId::FAMILY_NAME)
                    .english_or_first()
            })?
            .chars()
            .collect::<String>();
        let attrs = font.attributes();
        let variant = Variant {
            bold: attrs.weight.value() >= 600.0,
            italic: attrs.style != skrifa::attribute::Style::Normal,
        };
        let metrics = font.metrics(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        let upem = f64::from(metrics.units_per_em.max(1));
        let shaper_data = ShaperData::new(&font);
        let mut coverage: Vec<(u32, u32)> = Vec::new();
        for (c, _) in font.charmap().mappings() {
            match coverage.last_mut() {
                Some((_, end)) if *end + 1 == c => *end = c,
                _ => coverage.push((c, c)),
            }
        }
        coverage.sort_unstable();
        Some(Face {
            coverage,
            family,
            variant,
            units_per_em: upem,
            ascent: f64::from(metrics.ascent) / upem,
            descent: f64::from(metrics.descent) / upem,
            cap_height: f64::from(metrics.cap_height.unwrap_or(metrics.ascent * 0.7)) / upem,
            strikeout: metrics
                .strikeout
                .filter(|d| d.thickness > 0.0)
                .map_or((0.25, 0.05), |d| {
                    (f64::from(d.offset) / upem, f64::from(d.thickness) / upem)
                }),
            shaper_data,
            data,
            index,
            origin,
        })
    }

    /// The parsed font.
    pub fn font_ref(&self) -> FontRef<'_> {
        // Checked when the face was loaded.
        FontRef::from_index((*self.data).as_ref(), self.index).expect("font parsed at load")
    }
}

/// All faces available to a build. Passed explicitly (no global cache).
#[derive(Debug, Default)]
pub struct Fonts {
    faces: Vec<Face>,
}

macro_rules! bundled {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $file)) as &[u8])),*]
    };
}

/// The fonts shipped in `fonts/`, by file name.
const BUNDLED: &[(&str, &[u8])] = bundled![
    "LibertinusSerif-Regular.otf",
    "LibertinusSerif-Italic.otf",
    "LibertinusSerif-Bold.otf",
    "LibertinusSerif-BoldItalic.otf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSans.ttf",
];

/// The bundled font files of the default body family (Libertinus Serif), by
/// file name: what an EPUB embeds when asked to.
pub fn bundled_body_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUNDLED
        .iter()
        .copied()
        .filter(|(name, _)| name.starts_with("LibertinusSerif-"))
}

impl Fonts {
    /// No fonts at all.
    pub fn new() -> Self {
        Fonts::default()
    }

    /// The fonts shipped with samizdat (see `fonts/README.md`).
    pub fn bundled() -> Self {
        let mut fonts = Fonts::new();
        for (name, bytes) in BUNDLED {
            let data: FontData = Arc::new(*bytes);
            let face =
                Face::new(data, 0, format!("bundled {name}")).expect("bundled fonts are valid");
            fonts.faces.push(face);
        }
        fonts
    }

    /// Adds every `.otf`/`.ttf` file in `dir` (sorted by name, so the order
    /// and hence the output never depends on the file system).
    pub fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "otf" | "ttf"))
            })
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            self.add_bytes(bytes, &path.display().to_string())?;
        }
        Ok(())
    }

    /// Adds one font file's bytes.
    pub fn add_bytes(&mut self, bytes: Vec<u8>, origin: &str) -> Result<FaceId> {
        let data: FontData = Arc::new(bytes);
        let face = Face::new(data, 0, origin.to_string()).ok_or_else(|| {
            Error::config(Diagnostic::error(format!(
                "{origin}: not a usable font file"
            )))
        })?;
        self.faces.push(face);
        Ok(FaceId(self.faces.len() as u16 - 1))
    }

    /// The face with this id.
    pub fn get(&self, id: FaceId) -> &Face {
        &self.faces[usize::from(id.0)]
    }

    /// Every face, with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FaceId, &Face)> {
        self.faces
            .iter()
            .enumerate()
            .map(|(i, f)| (FaceId(i as u16), f))
    }

    /// Whether a family of this name is loaded.
    pub fn has_family(&self, family: &str) -> bool {
        self.faces
            .iter()
            .any(|f| f.family.eq_ignore_ascii_case(family))
    }

    /// The best face of `family` for `variant`: an exact match, else one with
    /// the right slope, else the right weight, else any face of the family.
    pub fn select(&self, family: &str, variant: Variant) -> Option<FaceId> {
        let score = |f: &Face| {
            u8::from(f.variant.italic == variant.italic) * 2
                + u8::from(f.variant.bold == variant.bold)
        };
        self.iter()
            .filter(|(_, f)| f.family.eq_ignore_ascii_case(family))
            .max_by_key(|(id, f)| (score(f), std::cmp::Reverse(*id)))
            .map(|(id, _)| id)
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, id: FaceId, c: char) -> bool {
        let ranges = &self.get(id).coverage;
        let c = u32::from(c);
        let i = ranges.partition_point(|&(start, _)| start <= c);
        i > 0 && ranges[i - 1].1 >= c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_ranges_agree_with_the_cmap() {
        let fonts = Fonts::bundled();
        for (i, face) in fonts.faces.iter().enumerate() {
            let charmap = face.font_ref().charmap();
            for c in (0..0x3000)
                .chain(0x1F300..0x1F400)
                .filter_map(char::from_u32)
            {
                assert_eq!(
                    fonts.covers(FaceId(i as u16), c),
                    charmap.map(c).is_some(),
                    "{} U+{:04X}",
                    face.family,
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn bundled_families_and_variants_load() {
        let fonts = Fonts::bundled();
        assert!(fonts.has_family("Libertinus Serif"));
        assert!(fonts.has_family("DejaVu Sans Mono"));
        let bi = fonts
            .select(
                "Libertinus Serif",
                Variant {
                    bold: true,
                    italic: true,
                },
            )
            .unwrap();
        assert_eq!(
            fonts.get(bi).variant,
            Variant {
                bold: true,
                italic: true
            }
        );
        // DejaVu Serif is bundled in regular only: bold falls back to it.
        let serif_bold = fonts
            .select(
                "DejaVu Serif",
                Variant {
                    bold: true,
                    italic: false,
                },
            )
            .unwrap();
        assert_eq!(fonts.get(serif_bold).family, "DejaVu Serif");
    }

    #[test]
    fn coverage_knows_what_libertinus_lacks() {
        let fonts = Fonts::bundled();
        let lib = fonts
            .select("Libertinus Serif", Variant::default())
            .unwrap();
        for c in ['a', '—', '–', '“', '’', '…'] {
            assert!(fonts.covers(lib, c), "{c}");
        }
        let dejavu = fonts.select("DejaVu Serif", Variant::default()).unwrap();
        for c in ['Ա', 'ა', '⇶'] {
            assert!(!fonts.covers(lib, c) && fonts.covers(dejavu, c), "{c}");
        }
        let sans = fonts.select("DejaVu Sans", Variant::default()).unwrap();
        assert!(!fonts.covers(dejavu, '✓') && fonts.covers(sans, '✓'));
        assert!(!fonts.covers(lib, '\u{10FFFD}'));
    }
}
