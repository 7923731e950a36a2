//! Shaping: text → positioned glyphs, with HarfBuzz's algorithm as ported
//! by harfrust. Kerning and standard ligatures are always on; small caps and
//! old-style figures are options ([`Features`]).
//!
//! Paragraphs are shaped word by word (a word is what lies between two
//! spaces, or one fragment between break points), so the same word in the
//! same face with the same features is shaped only once per build: the
//! [`Shaper`] keeps every result in a cache, and that is where the speed of
//! the typesetter comes from. Shaping words apart loses kerning across a
//! space, which Latin fonts do not use. Font fallback also lives here:
//! [`Shaper::shape_with_fallback`] splits a word into runs by which face of
//! the chain has each character, and warns once per character that no face has.

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use std::rc::Rc;
use std::str::FromStr;

use harfrust::{Direction, Feature, ShapeOptions, ShapePlan, Tag, UnicodeBuffer};

use super::fonts::{FaceId, Fonts};
use crate::diag::{Diagnostic, Warnings};
use crate::source::Span;

/// OpenType features beyond the defaults (kerning and standard ligatures,
/// which are always on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Features {
    /// Small capitals for lower case (`smcp`).
    pub small_caps: bool,
    /// Old-style figures (`onum`).
    pub oldstyle: bool,
    /// No ligatures at all (code).
    pub no_ligatures: bool,
}

impl Features {
    fn to_harfrust(self) -> Vec<Feature> {
        let mut out = vec![
            Feature::new(Tag::new(b"kern"), 1, ..),
            Feature::new(Tag::new(b"liga"), u32::from(!self.no_ligatures), ..),
        ];
        if self.no_ligatures {
            out.push(Feature::new(Tag::new(b"calt"), 0, ..));
        }
        if self.small_caps {
            out.push(Feature::new(Tag::new(b"smcp"), 1, ..));
        }
        if self.oldstyle {
            out.push(Feature::new(Tag::new(b"onum"), 1, ..));
        }
        out
    }
}

/// One glyph of a shaped text. Lengths are in em (multiply by the size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in the face.
    pub id: u16,
    /// Byte offset in the shaped text of the cluster this glyph belongs to;
    /// a ligature's glyph carries the cluster of all its letters.
    pub cluster: u32,
    /// Horizontal advance.
    pub advance: f64,
    /// Horizontal offset from the pen position.
    pub x_offset: f64,
    /// Vertical offset (up is positive, as in the font).
    pub y_offset: f64,
}

/// A text shaped in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedText {
    /// The face.
    pub face: FaceId,
    /// The text that was shaped.
    pub text: String,
    /// Its glyphs, in visual (= logical, left to right) order.
    pub glyphs: Vec<ShapedGlyph>,
    /// Sum of advances, in em.
    pub width: f64,
}

/// A shaper with its cache. One per build; not shared between threads.
pub struct Shaper<'f> {
    fonts: &'f Fonts,
    shapers: Vec<harfrust::Shaper<'f>>,
    plans: FxHashMap<(FaceId, Features), ShapePlan>,
    /// Shaped texts by face and features, then by text (two levels, so a
    /// lookup borrows the text rather than copying it into a key).
    cache: FxHashMap<(FaceId, Features), FxHashMap<Box<str>, Rc<ShapedText>>>,
    language: harfrust::Language,
    warned: HashSet<char>,
    /// Cache statistics: hits.
    pub hits: usize,
    /// Cache statistics: misses (real shaping calls).
    pub misses: usize,
}

impl<'f> Shaper<'f> {
    /// A shaper over `fonts` for text in `language` (a BCP 47 tag).
    pub fn new(fonts: &'f Fonts, language: &str) -> Self {
        let shapers = fonts
            .iter()
            .map(|(_, face)| {
                let font = harfrust::FontRef::from_index((*face.data).as_ref(), face.index)
                    .expect("font parsed at load");
                face.shaper_data.shaper(&font).build()
            })
            .collect();
        let language =
            harfrust::Language::from_str(if language.is_empty() { "en" } else { language })
                .unwrap_or_else(|_| harfrust::Language::from_str("en").expect("valid tag"));
        Shaper {
            fonts,
            shapers,
            plans: FxHashMap::default(),
            cache: FxHashMap::default(),
            language,
            warned: HashSet::new(),
            hits: 0,
            misses: 0,
        }
    }

    /// The fonts this shaper draws from.
    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// Shapes `text` in one face (characters it lacks become `.notdef`).
    pub fn shape(&mut self, text: &str, face: FaceId, features: Features) -> Rc<ShapedText> {
        if let Some(hit) = self
            .cache
            .get(&(face, features))
            .and_then(|words| words.get(text))
        {
            self.hits += 1;
            return hit.clone();
        }
        self.misses += 1;
        let shaper = &self.shapers[usize::from(face.0)];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_language(self.language.clone());
        buffer.guess_segment_properties();
        buffer.set_direction(Direction::LeftToRight);
        let hb_features = features.to_harfrust();
        let script = buffer.script();
        let latin = script == harfrust::script::LATIN;
        // Plans are cached for Latin text, which is nearly all of it; other
        // scripts get a plan made for them each time (and are cached as words).
        if latin && !self.plans.contains_key(&(face, features)) {
            let plan = ShapePlan::new(
                shaper,
                Direction::LeftToRight,
                Some(script),
                Some(&self.language),
                &hb_features,
            );
            self.plans.insert((face, features), plan);
        }
        let plan = if latin {
            self.plans.get(&(face, features))
        } else {
            None
        };
        let out = shaper.shape(
            buffer,
            ShapeOptions::new().plan(plan).features(&hb_features),
        );
        let upem = self.fonts.get(face).units_per_em;
        let glyphs: Vec<ShapedGlyph> = out
            .glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: info.glyph_id as u16,
                cluster: info.cluster,
                advance: f64::from(pos.x_advance) / upem,
                x_offset: f64::from(pos.x_offset) / upem,
                y_offset: f64::from(pos.y_offset) / upem,
            })
            .collect();
        let width = glyphs.iter().map(|g| g.advance).sum();
        let shaped = Rc::new(ShapedText {
            face,
            text: text.to_string(),
            glyphs,
            width,
        });
        self.cache
            .entry((face, features))
            .or_default()
            .insert(text.into(), shaped.clone());
        shaped
    }

    /// Shapes `text` with the first face of `chain` that has each character,
    /// splitting it into runs where the face changes. A character no face
    /// has is set from the first face (its `.notdef` box) and warned about
    /// once per build at `span`.
    pub fn shape_with_fallback(
        &mut self,
        text: &str,
        chain: &[FaceId],
        features: Features,
        span: Span,
        warnings: &mut Warnings,
    ) -> Vec<Rc<ShapedText>> {
        let primary = chain[0];
        // Fast path: the primary face has everything.
        if text.chars().all(|c| self.has(primary, c)) {
            return vec![self.shape(text, primary, features)];
        }
        let mut runs: Vec<(FaceId, usize, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            let face = if is_invisible(c) {
                runs.last().map_or(primary, |r| r.0)
            } else if let Some(&f) = chain.iter().find(|&&f| self.has(f, c)) {
                f
            } else {
                if self.warned.insert(c) {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "no font has the character {c:?} (U+{:04X}); it is set as a blank box",
                            c as u32
                        ))
                        .at(span)
                        .hint("add a fallback font that has it to the style's `fonts.fallback`"),
                    );
                }
                primary
            };
            match runs.last_mut() {
                Some(last) if last.0 == face => last.2 = i + c.len_utf8(),
                _ => runs.push((face, i, i + c.len_utf8())),
            }
        }
        runs.into_iter()
            .map(|(face, a, b)| self.shape(&text[a..b], face, features))
            .collect()
    }

    fn has(&self, face: FaceId, c: char) -> bool {
        is_invisible(c) || self.fonts.covers(face, c)
    }
}

/// Characters that never need a glyph of their own.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::Variant;

    #[test]
    fn shape_cache_shapes_each_word_once() {
        let fonts = Fonts::bundled();
        let face = fonts
            .select("Libertinus Serif", Variant::default())
            .unwrap();
        let mut shaper = Shaper::new(&fonts, "en");
        let a = shaper.shape("office", face, Features::default());
        let b = shaper.shape("office", face, Features::default());
        assert!(Rc::ptr_eq(&a, &b));
        assert_eq!((shaper.misses, shaper.hits), (1, 1));
        // Another feature set is another entry.
        let c = shaper.shape(
            "office",
            face,
            Features {
                small_caps: true,
                ..Features::default()
            },
        );
        assert!(!Rc::ptr_eq(&a, &c));
        assert_eq!(shaper.misses, 2);
    }

    #[test]
    fn shape_makes_ligatures_with_clusters() {
        let fonts = Fonts::bundled();
        let face = fonts
            .select("Libertinus Serif", Variant::default())
            .unwrap();
        let mut shaper = Shaper::new(&fonts, "en");
        let shaped = shaper.shape("office", face, Features::default());
        // o, ffi ligature, c, e: four glyphs; the ligature starts at byte 1.
        assert_eq!(shaped.glyphs.len(), 4, "{:?}", shaped.glyphs);
        assert_eq!(shaped.glyphs[1].cluster, 1);
        assert_eq!(shaped.glyphs[2].cluster, 4);
        let plain = shaper.shape(
            "office",
            face,
            Features {
                no_ligatures: true,
                ..Features::default()
            },
        );
        assert_eq!(plain.glyphs.len(), 6);
    }

    #[test]
    fn shape_kerns() {
        let fonts = Fonts::bundled();
        let face = fonts
            .select("Libertinus Serif", Variant::default())
            .unwrap();
        let mut shaper = Shaper::new(&fonts, "en");
        let av = shaper.shape("AV", face, Features::default()).width;
        let a = shaper.shape("A", face, Features::default()).width;
        let v = shaper.shape("V", face, Features::default()).width;
        assert!(av < a + v - 0.01, "AV {av} vs {a} + {v}");
    }

    #[test]
    fn fallback_warns_once_per_missing_char() {
        let fonts = Fonts::bundled();
        let chain = [
            fonts
                .select("Libertinus Serif", Variant::default())
                .unwrap(),
            fonts.select("DejaVu Serif", Variant::default()).unwrap(),
        ];
        let mut shaper = Shaper::new(&fonts, "en");
        let mut warnings = Warnings::new();
        let runs = shaper.shape_with_fallback(
            "aԱb",
            &chain,
            Features::default(),
            Span::default(),
            &mut warnings,
        );
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[1].face, chain[1]);
        assert!(warnings.is_empty());
        for _ in 0..2 {
            shaper.shape_with_fallback(
                "x\u{10FFFD}y",
                &chain,
                Features::default(),
                Span::default(),
                &mut warnings,
            );
        }
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("U+10FFFD"));
    }
}
