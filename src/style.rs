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

use crate::diag::{Diagnostic, Error, Result};
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

/// What a running head shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunningHead {
    /// The book's title.
    Book,
    /// The chapter's title.
    Chapter,
    /// No running head.
    None,
}

/// Where the page numbers go.
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

impl PrintStyle {
    /// Parses a style from TOML text; `path` is only used in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<PrintStyle> {
        let style: PrintStyle = toml::from_str(text).map_err(|e| {
            let (line, col) = match e.span() {
                Some(span) => crate::config::line_col(text, span.start),
                None => (0, 0),
            };
            Error::config(Diagnostic::error(e.message().to_string()).at_path(path, line, col))
        })?;
        style.check(path)?;
        Ok(style)
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

    /// Checks values that parse but make no book (margins wider than the page…).
    pub fn check(&self, path: &Path) -> Result<()> {
        let mut problems = Vec::new();
        let (w, h) = self.page.dimensions();
        if w.0 <= 0.0 || h.0 <= 0.0 {
            problems.push("the page size must be positive".to_string());
        }
        if self.measure().0 < 3.0 * self.body_size.0 {
            problems.push("the margins leave less than three ems for the text".into());
        }
        if h - self.margins.top - self.margins.bottom < self.leading * 3.0 {
            problems.push("the margins leave less than three lines on the page".into());
        }
        for (name, size) in [
            ("body-size", self.body_size),
            ("note-size", self.note_size),
            ("quote-size", self.quote_size),
            ("code-size", self.code_size),
            ("leading", self.leading),
            ("note-leading", self.note_leading),
            ("quote-leading", self.quote_leading),
            ("code-leading", self.code_leading),
        ] {
            if size.0 <= 0.0 {
                problems.push(format!("`{name}` must be positive"));
            }
        }
        if !(0.0..=0.1).contains(&self.expansion_limit) {
            problems.push("`expansion-limit` must be between 0 and 0.1".into());
        }
        if self.hyphen_min_before == 0 || self.hyphen_min_after == 0 {
            problems.push("hyphen minimums must be at least 1".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Config(
                problems
                    .into_iter()
                    .map(|p| Diagnostic::error(p).at_path(path, 0, 0))
                    .collect(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_pamphlet_style_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("styles/pamphlet.toml");
        let style = PrintStyle::load(&path).unwrap();
        assert_eq!(style.page, PageSize::A5);
        assert_eq!(style.body_size, Pt(11.0));
        assert!((style.margins.inner.0 - Pt::mm(15.0).0).abs() < 1e-9);
    }

    #[test]
    fn style_rejects_unknown_keys_with_line() {
        let err = PrintStyle::from_toml("body-size = \"11pt\"\nbogus = 1\n", Path::new("s.toml"))
            .unwrap_err();
        let d = &err.diagnostics()[0];
        assert!(d.message.contains("bogus"), "{}", d.message);
        assert!(matches!(
            d.location,
            crate::diag::Location::Path { line: 2, .. }
        ));
    }

    #[test]
    fn style_reads_units_and_custom_pages() {
        let s = PrintStyle::from_toml(
            "page = { custom = { width = \"6in\", height = \"9in\" } }\n[margins]\ntop = \"2cm\"\nbottom = \"2cm\"\ninner = \"20mm\"\nouter = 50\n",
            Path::new("s.toml"),
        )
        .unwrap();
        assert_eq!(s.page.dimensions(), (Pt(432.0), Pt(648.0)));
        assert_eq!(s.margins.outer, Pt(50.0));
    }

    #[test]
    fn style_reads_pagination_keys() {
        let s = PrintStyle::from_toml(
            "page = \"6x9\"\nnote-placement = \"book-end\"\nnote-numbering = \"book\"\nrunning-head-recto = \"none\"\nfolio-position = \"outer\"\nrecto-chapters = true\n",
            Path::new("s.toml"),
        )
        .unwrap();
        assert_eq!(s.page.dimensions(), (Pt(432.0), Pt(648.0)));
        assert_eq!(s.note_placement, NotePlacement::BookEnd);
        assert_eq!(s.note_numbering, NoteNumbering::PerBook);
        assert_eq!(s.running_head_recto, RunningHead::None);
        assert_eq!(s.folio_position, FolioPosition::Outer);
        assert!(s.recto_chapters);
        assert!(PrintStyle::from_toml("note-placement = \"margin\"", Path::new("s.toml")).is_err());
    }

    #[test]
    fn style_rejects_bad_length() {
        assert!(PrintStyle::from_toml("leading = \"12 parsecs\"", Path::new("s.toml")).is_err());
    }
}
