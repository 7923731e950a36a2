//! Print styles: `styles/*.toml` → [`PrintStyle`], the typed settings the
//! typesetter reads (page size, margins, sizes, leading, font roles,
//! hyphenation and microtypography switches).
//!
//! Lengths are [`Pt`] and accept units in TOML (`"15mm"`, `"11pt"`). Keys are
//! kebab-case and unknown keys are errors. Which style an edition uses, and
//! any per-edition overrides, are `edition.rs`'s business; this module only
//! parses and gives defaults.

use std::path::Path;

use serde::Deserialize;

use crate::config::TomlDoc;
use crate::diag::{Error, Result};
use crate::units::Pt;

/// Page sizes (trimmed page, no bleed).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum PageSize {
    /// ISO A5, 148 × 210 mm.
    #[default]
    A5,
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
    /// The US trade size, 6 × 9 in (`page = "6x9"`).
    #[serde(rename = "6x9")]
    SixByNine,
    /// Any other size: `page = { custom = { width = "6in", height = "9in" } }`.
    Custom {
        /// Page width.
        width: Pt,
        /// Page height.
        height: Pt,
    },
}

impl PageSize {
    /// Width and height.
    pub fn dimensions(self) -> (Pt, Pt) {
        match self {
            PageSize::A5 => (Pt::mm(148.0), Pt::mm(210.0)),
            PageSize::A4 => (Pt::mm(210.0), Pt::mm(297.0)),
            PageSize::Letter => (Pt::inch(8.5), Pt::inch(11.0)),
            PageSize::SixByNine => (Pt::inch(6.0), Pt::inch(9.0)),
            PageSize::Custom { width, height } => (width, height),
        }
    }
}

/// Page margins. Inner is the binding side (left on rectos).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Margins {
    /// Above the text block.
    pub top: Pt,
    /// Below the text block (the folio sits inside it).
    pub bottom: Pt,
    /// Binding side.
    pub inner: Pt,
    /// Fore-edge side.
    pub outer: Pt,
}

/// Which font family plays which role, by family name as the font file
/// gives it (the bundled ones: Libertinus Serif, DejaVu Sans Mono, DejaVu Serif).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct FontRoles {
    /// Running text, headings, notes.
    pub body: String,
    /// Code.
    pub mono: String,
    /// Tried in order for characters the role's own family lacks.
    pub fallback: Vec<String>,
}

impl Default for FontRoles {
    fn default() -> Self {
        FontRoles {
            body: "Libertinus Serif".into(),
            mono: "DejaVu Sans Mono".into(),
            fallback: vec!["DejaVu Serif".into(), "DejaVu Sans".into()],
        }
    }
}

/// Where footnotes are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NotePlacement {
    /// At the foot of the page that cites them.
    #[default]
    Page,
    /// Gathered at the end of each chapter.
    ChapterEnd,
    /// Gathered at the end of the book, by chapter.
    BookEnd,
}

/// How notes are numbered: shared with EPUB editions.
pub use crate::config::NoteNumbering;

/// What a running head shows (on versos or rectos); the page breaker sets
/// heads from it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunningHead {
    /// The book's title.
    Book,
    /// The title of the chapter the page is in.
    Chapter,
    /// No running head.
    None,
}

/// Where the page numbers (folios) go; the page breaker places them from
/// it as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FolioPosition {
    /// Centred in the foot.
    #[default]
    Centre,
    /// At the outer corner of the foot.
    Outer,
}

/// Everything the typesetter needs to know about how a print edition looks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct PrintStyle {
    /// Page size.
    pub page: PageSize,
    /// Margins.
    pub margins: Margins,
    /// Body text size.
    pub body_size: Pt,
    /// Baseline-to-baseline distance of body text.
    pub leading: Pt,
    /// First-line indent of paragraphs that follow a paragraph.
    pub paragraph_indent: Pt,
    /// Footnote text size.
    pub note_size: Pt,
    /// Footnote leading.
    pub note_leading: Pt,
    /// Block quotation size.
    pub quote_size: Pt,
    /// Block quotation leading.
    pub quote_leading: Pt,
    /// Code size.
    pub code_size: Pt,
    /// Code leading.
    pub code_leading: Pt,
    /// Font families by role.
    pub fonts: FontRoles,
    /// Justify body text (else ragged right).
    pub justify: bool,
    /// Hyphenate automatically (explicit and soft hyphens always break).
    pub hyphenate: bool,
    /// Fewest letters before a hyphen.
    pub hyphen_min_before: u8,
    /// Fewest letters after a hyphen.
    pub hyphen_min_after: u8,
    /// Hyphenate words that start with a capital letter.
    pub hyphenate_capitalised: bool,
    /// The language whose hyphenation patterns (and shaping rules) are used,
    /// as a BCP 47 tag; the book's language when absent.
    pub hyphenation_language: Option<String>,
    /// Let punctuation hang into the margin.
    pub protrusion: bool,
    /// Widen or narrow glyphs slightly to even the word spacing.
    pub expansion: bool,
    /// Largest expansion or compression of a glyph, as a fraction (0.02 = 2 %).
    pub expansion_limit: f64,
    /// Knuth–Plass tolerance: the largest badness a line may have in the
    /// second pass (TeX's `\tolerance`).
    pub tolerance: f64,
    /// Extra stretch per line in the last pass before a line is let overfull
    /// (TeX's `\emergencystretch`).
    pub emergency_stretch: Pt,
    /// Ask for this many more (or fewer) lines than optimal (TeX's `\looseness`).
    pub looseness: i32,
    /// Cost of breaking a line at a hyphen (TeX's `\hyphenpenalty`, 50 in
    /// plain TeX). Higher means fewer hyphens and more uneven spacing. We
    /// default to 70: on the sample essay (A5, 11 pt, with the page breaker
    /// and the two-in-a-row cap) 50 hyphenates 10.6 % of lines, 70 brings
    /// that to 9.8 % at the same spacing (sd 0.054 em, widest space
    /// 0.528 em), while 100 leaves 9.1 % but widens one space to 0.576 em.
    pub hyphen_penalty: f64,
    /// Most hyphenated lines in a row.
    pub max_hyphen_run: u8,
    /// Old-style figures (OpenType `onum`) in running text.
    pub oldstyle_figures: bool,
    /// Section headings in caps and small caps (OpenType `smcp`) instead of
    /// bold or italic.
    pub heading_small_caps: bool,
    /// Where notes go: `page`, `chapter-end` or `book-end`.
    pub note_placement: NotePlacement,
    /// Note numbers restart in each `chapter` or run through the `book`.
    pub note_numbering: NoteNumbering,
    /// Running head on left-hand pages.
    pub running_head_verso: RunningHead,
    /// Running head on right-hand pages.
    pub running_head_recto: RunningHead,
    /// Where folios go.
    pub folio_position: FolioPosition,
    /// A folio on a chapter's first page (a drop folio).
    pub opening_folio: bool,
    /// Chapters (and parts) start on a right-hand page, leaving a blank
    /// left-hand page where needed.
    pub recto_chapters: bool,
    /// Half-title, title page, colophon and contents before the text.
    pub front_matter: bool,
}

impl Default for PrintStyle {
    /// A5, 11 pt on 14 pt Libertinus Serif, 15 mm side margins, justified,
    /// hyphenated, with protrusion and expansion.
    fn default() -> Self {
        PrintStyle {
            page: PageSize::A5,
            margins: Margins {
                top: Pt::mm(18.0),
                bottom: Pt::mm(22.0),
                inner: Pt::mm(15.0),
                outer: Pt::mm(15.0),
            },
            body_size: Pt(11.0),
            leading: Pt(14.0),
            paragraph_indent: Pt(11.0),
            note_size: Pt(9.0),
            note_leading: Pt(11.5),
            quote_size: Pt(10.0),
            quote_leading: Pt(13.0),
            code_size: Pt(8.5),
            code_leading: Pt(11.0),
            fonts: FontRoles::default(),
            justify: true,
            hyphenate: true,
            hyphen_min_before: 2,
            hyphen_min_after: 3,
            hyphenate_capitalised: false,
            hyphenation_language: None,
            protrusion: true,
            expansion: true,
            expansion_limit: 0.02,
            tolerance: 200.0,
            emergency_stretch: Pt(11.0 * 1.5),
            looseness: 0,
            hyphen_penalty: 70.0,
            max_hyphen_run: 2,
            oldstyle_figures: false,
            heading_small_caps: false,
            note_placement: NotePlacement::Page,
            note_numbering: NoteNumbering::PerChapter,
            running_head_verso: RunningHead::Book,
            running_head_recto: RunningHead::Chapter,
            folio_position: FolioPosition::Centre,
            opening_folio: false,
            recto_chapters: false,
            front_matter: true,
        }
    }
}

impl Default for Margins {
    fn default() -> Self {
        PrintStyle::default().margins
    }
}

/// What each style key takes, for messages about a value of the wrong kind
/// (serde's own words for enums and tables are "invalid type: unit
/// variant").
pub const EXPECTED: &[(&str, &str)] = &[
    (
        "page",
        "`a5`, `a4`, `letter`, `6x9` or `{ custom = { width = \"6in\", height = \"9in\" } }`",
    ),
    ("custom", "`{ width = \"6in\", height = \"9in\" }`"),
    (
        "margins",
        "a table of lengths `top`, `bottom`, `inner`, `outer`",
    ),
    (
        "fonts",
        "a table with `body`, `mono` (family names) and `fallback` (a list of them)",
    ),
    ("body", "a font family name"),
    ("mono", "a font family name"),
    ("fallback", "a list of font family names"),
    ("note-placement", "one of `page`, `chapter-end`, `book-end`"),
    ("note-numbering", "one of `per-chapter`, `per-book`"),
    ("running-head-verso", "one of `book`, `chapter`, `none`"),
    ("running-head-recto", "one of `book`, `chapter`, `none`"),
    ("folio-position", "one of `centre`, `outer`"),
    (
        "hyphenation-language",
        "a BCP 47 language tag such as `en-US`",
    ),
    ("hyphen-min-before", "a whole number from 1 to 10"),
    ("hyphen-min-after", "a whole number from 1 to 10"),
    ("max-hyphen-run", "a whole number from 1 to 255"),
    ("looseness", "a whole number from -10 to 10"),
    ("expansion-limit", "a number from 0 to 0.1"),
    ("tolerance", "a number from 0 to 10000"),
    ("hyphen-penalty", "a number from 0 to 10000"),
    ("justify", "`true` or `false`"),
    ("hyphenate", "`true` or `false`"),
    ("hyphenate-capitalised", "`true` or `false`"),
    ("protrusion", "`true` or `false`"),
    ("expansion", "`true` or `false`"),
    ("oldstyle-figures", "`true` or `false`"),
    ("heading-small-caps", "`true` or `false`"),
    ("opening-folio", "`true` or `false`"),
    ("recto-chapters", "`true` or `false`"),
    ("front-matter", "`true` or `false`"),
];

/// PDF's limits on a page side, in points (ISO 32000-1, annex C.2: the
/// page boundaries of a PDF 1.6+ file lie within 3 to 14,400 units).
pub const PDF_PAGE_SIDE: std::ops::RangeInclusive<f64> = 3.0..=14_400.0;

/// Type sizes a page can hold (2 pt is below legibility, 144 pt two inches).
const SIZE: std::ops::RangeInclusive<f64> = 2.0..=144.0;
/// Leadings, a little wider than sizes: solid-set type to double-spaced
/// display type.
const LEADING: std::ops::RangeInclusive<f64> = 1.0..=288.0;

/// A value (or a combination of values) of a style that makes no page,
/// and the keys it is about, most to blame first (dotted paths such as
/// `margins.top`).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The keys, most to blame first.
    pub keys: Vec<&'static str>,
    /// What is wrong and what would do.
    pub message: String,
}

impl PrintStyle {
    /// Parses a style from TOML text; `path` is only used in errors, which
    /// point at the key at fault.
    pub fn from_toml(text: &str, path: &Path) -> Result<PrintStyle> {
        let doc = TomlDoc::new(path, text);
        let style: PrintStyle =
            toml::from_str(text).map_err(|e| Error::config(doc.serde_diagnostic(&e, EXPECTED)))?;
        let problems = style.problems();
        if problems.is_empty() {
            Ok(style)
        } else {
            Err(Error::Config(
                problems
                    .into_iter()
                    .map(|p| {
                        let key = p.keys.iter().find(|k| doc.has(&split(k))).unwrap_or(&"");
                        doc.at(&split(key), p.message)
                    })
                    .collect(),
            ))
        }
    }

    /// Reads and parses a style file.
    pub fn load(path: &Path) -> Result<PrintStyle> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        PrintStyle::from_toml(&text, path)
    }

    /// The width of the text block.
    pub fn measure(&self) -> Pt {
        self.page.dimensions().0 - self.margins.inner - self.margins.outer
    }

    /// Values that parse but make no book: each number out of its range
    /// (so that no later step can be asked for an absurd amount of work or
    /// memory), then the page as a whole (the text block, the running heads
    /// and the folios inside the page), then fonts and hyphenation patterns
    /// that samizdat does not have.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Problems::default();
        // Nothing else can be judged against a page that cannot be.
        if !self.page_problems(&mut out) {
            return out.0;
        }
        if self.length_problems(&mut out) {
            self.layout_problems(&mut out);
        }
        self.number_problems(&mut out);
        self.hyphenation_problems(&mut out);
        self.font_problems(&mut out);
        out.0
    }

    /// Whether the page is a size PDF allows.
    fn page_problems(&self, out: &mut Problems) -> bool {
        let (w, h) = self.page.dimensions();
        let pdf = &PDF_PAGE_SIDE;
        if !(pdf.contains(&w.0) && pdf.contains(&h.0)) {
            out.add(
                &["page"],
                format!(
                    "the page is {w} × {h}; PDF allows {}pt to {}pt a side",
                    pdf.start(),
                    pdf.end()
                ),
            );
            return false;
        }
        true
    }

    /// Margins and type sizes out of range; whether all are in range.
    fn length_problems(&self, out: &mut Problems) -> bool {
        let mut lengths_ok = true;
        for (key, value) in [
            ("margins.top", self.margins.top),
            ("margins.bottom", self.margins.bottom),
            ("margins.inner", self.margins.inner),
            ("margins.outer", self.margins.outer),
        ] {
            if value.0 < 0.0 {
                out.add(
                    &[key],
                    format!("`{key}` is {value}; a margin cannot be negative"),
                );
                lengths_ok = false;
            }
        }
        let ranged = [
            ("body-size", self.body_size, &SIZE),
            ("note-size", self.note_size, &SIZE),
            ("quote-size", self.quote_size, &SIZE),
            ("code-size", self.code_size, &SIZE),
            ("leading", self.leading, &LEADING),
            ("note-leading", self.note_leading, &LEADING),
            ("quote-leading", self.quote_leading, &LEADING),
            ("code-leading", self.code_leading, &LEADING),
        ];
        for (key, value, range) in ranged {
            if !range.contains(&value.0) {
                out.add(
                    &[key],
                    format!(
                        "`{key}` is {value}; it must be between {}pt and {}pt",
                        range.start(),
                        range.end()
                    ),
                );
                lengths_ok = false;
            }
        }
        lengths_ok
    }

    /// The page as a whole: the text block, the running heads and the
    /// folios inside the page (judged once every length is in range).
    fn layout_problems(&self, out: &mut Problems) {
        let (_, h) = self.page.dimensions();
        let measure = self.measure();
        if measure.0 < 3.0 * self.body_size.0 {
            out.add(
                &["margins.inner", "margins.outer", "page", "body-size"],
                format!(
                    "the side margins leave {measure} for the text, less than three ems of `body-size`"
                ),
            );
        } else {
            for (key, value) in [
                ("paragraph-indent", self.paragraph_indent),
                ("emergency-stretch", self.emergency_stretch),
            ] {
                if !(0.0..=measure.0).contains(&value.0) {
                    out.add(
                        &[key],
                        format!(
                            "`{key}` is {value}; it must be between 0 and the text width, {measure}"
                        ),
                    );
                }
            }
        }
        let height = h - self.margins.top - self.margins.bottom;
        if height.0 < 3.0 * self.leading.0 {
            out.add(
                &["margins.top", "margins.bottom", "page", "leading"],
                format!(
                    "the top and bottom margins leave {height} for the text, less than three lines of `leading`"
                ),
            );
        }
        // Where typeset/mod.rs puts them: the running head's baseline
        // 1.5 leadings above the first line's top, the folio's two
        // leadings below the last baseline. The head needs its ascent
        // (an em) above it, the folio its descent (a quarter em) below.
        let heads = [self.running_head_verso, self.running_head_recto];
        let head_room = self.leading * 1.5 + self.body_size;
        if heads.iter().any(|&r| r != RunningHead::None) && self.margins.top.0 < head_room.0 {
            out.add(
                &["margins.top", "leading", "body-size"],
                format!(
                    "the running heads need a top margin of at least {head_room} (1.5 leadings and an em); it is {}",
                    self.margins.top
                ),
            );
        }
        let folio_room = self.leading * 2.0 + self.body_size * 0.25;
        if self.margins.bottom.0 < folio_room.0 {
            out.add(
                &["margins.bottom", "leading", "body-size"],
                format!(
                    "the folios need a bottom margin of at least {folio_room} (two leadings and a descent); it is {}",
                    self.margins.bottom
                ),
            );
        }
    }

    /// Line-breaking numbers out of range.
    fn number_problems(&self, out: &mut Problems) {
        let numbers = [
            ("expansion-limit", self.expansion_limit, 0.0..=0.1),
            // TeX's scale: 10000 is infinitely bad, a penalty of 10000 forbids.
            ("tolerance", self.tolerance, 0.0..=10_000.0),
            ("hyphen-penalty", self.hyphen_penalty, 0.0..=10_000.0),
        ];
        for (key, value, range) in numbers {
            if !range.contains(&value) {
                out.add(
                    &[key],
                    format!(
                        "`{key}` is {value}; it must be between {} and {}",
                        range.start(),
                        range.end()
                    ),
                );
            }
        }
        // Looseness asks the line breaker for more or fewer lines per
        // paragraph; TeX allows any, but beyond a few lines it only ruins
        // the paragraph.
        if !(-10..=10).contains(&self.looseness) {
            out.add(
                &["looseness"],
                format!(
                    "`looseness` is {}; it must be between -10 and 10",
                    self.looseness
                ),
            );
        }
        for (key, value) in [
            ("hyphen-min-before", self.hyphen_min_before),
            ("hyphen-min-after", self.hyphen_min_after),
        ] {
            if !(1..=10).contains(&value) {
                out.add(
                    &[key],
                    format!("`{key}` is {value}; it must be between 1 and 10"),
                );
            }
        }
        if self.max_hyphen_run == 0 {
            out.add(
                &["max-hyphen-run"],
                "`max-hyphen-run` is 0; it must be at least 1 (set `hyphenate = false` for no hyphens)".into(),
            );
        }
    }

    /// A hyphenation language samizdat does not know or has no patterns for.
    fn hyphenation_problems(&self, out: &mut Problems) {
        if let Some(lang) = &self.hyphenation_language {
            if let Err(m) = crate::config::check_language(lang) {
                out.add(&["hyphenation-language"], m);
            } else if !has_patterns(lang) {
                out.add(
                    &["hyphenation-language"],
                    format!(
                        "samizdat has no hyphenation patterns for `{}` (it has them for English: `en`, `en-US`, `en-GB`…)",
                        crate::config::shown(lang)
                    ),
                );
            }
        }
    }

    /// Font families that are not among the bundled fonts.
    fn font_problems(&self, out: &mut Problems) {
        let fonts = crate::typeset::Fonts::bundled();
        let families = [
            ("fonts.body", &self.fonts.body),
            ("fonts.mono", &self.fonts.mono),
        ];
        let fallback = self.fonts.fallback.iter().map(|f| ("fonts.fallback", f));
        for (key, family) in families.into_iter().chain(fallback) {
            if !fonts.has_family(family) {
                out.add(
                    &[key],
                    format!(
                        "there is no font family `{}` among the bundled fonts (Libertinus Serif, DejaVu Serif, DejaVu Sans, DejaVu Sans Mono)",
                        crate::config::shown(family)
                    ),
                );
            }
        }
    }
}

/// The problems found so far, in the order they are found.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, keys: &[&'static str], message: String) {
        self.0.push(Problem {
            keys: keys.to_vec(),
            message,
        });
    }
}

/// Whether the hyphenator has patterns for `lang`.
fn has_patterns(lang: &str) -> bool {
    use crate::hyphenate::{HyphenOptions, Hyphenator};
    Hyphenator::new(lang, HyphenOptions::default()).has_patterns()
}

/// A dotted key path as its parts.
pub fn split(key: &str) -> Vec<&str> {
    if key.is_empty() {
        Vec::new()
    } else {
        key.split('.').collect()
    }
}

#[cfg(test)]
mod tests;
