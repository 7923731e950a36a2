//! Paragraph layout, in the stages of Typst's inline layout: the tokens of
//! a paragraph are cut into words and the words into shaped fragments,
//! which become Knuth–Plass boxes, glue and penalties (`prepare.rs`); the
//! line breaker chooses the breaks (`linebreak.rs`, break points inside
//! words from `hyphenate.rs`); each line is then set as glyph runs at the
//! breaker's ratios (`line.rs`). Paragraphs set once are remembered
//! (`memo.rs`).
//!
//! A *word* is the text between two breakable spaces (a no-break space stays
//! inside it); it may mix styles ("*emph*,"). A word is cut into
//! *fragments* at its break points; each fragment becomes one box, each
//! possible break a penalty, each space a glue.

use rustc_hash::FxHashMap;
use std::rc::Rc;

use super::fonts::{FaceId, Fonts, Variant};
use super::hyphenate::Hyphenator;
use super::linebreak::{self, Params};
use super::page::{GlyphRun, LinkTarget, Pt, Rect};
use super::shape::{Features, Shaper};
use crate::diag::{Diagnostic, Warnings};
use crate::doc::NoteId;
use crate::source::Span;
use crate::style::PrintStyle;

mod line;
mod memo;
mod prepare;

pub use memo::{Memo, ParKey};
#[cfg(test)]
pub(super) use prepare::clusters;
use prepare::{Items, Source};

/// Which family role a text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The body family.
    Body,
    /// The monospace family.
    Mono,
}

/// How a piece of text is set.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    /// Family role.
    pub role: Role,
    /// Weight and slope.
    pub variant: Variant,
    /// Size.
    pub size: Pt,
    /// OpenType features.
    pub features: Features,
    /// Raise above the baseline (superscripts).
    pub rise: Pt,
    /// Link target of the text, if it is a link.
    pub link: Option<LinkTarget>,
    /// May be hyphenated automatically.
    pub hyphenate: bool,
    /// Struck through (Markdown's `~~text~~`).
    pub strike: bool,
}

/// A piece of inline content with one style.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// Text without breakable spaces… or with them (split later).
    Text {
        /// The text.
        text: String,
        /// Its style.
        style: Rc<TextStyle>,
        /// Where it came from.
        span: Span,
        /// A note marker: the note it refers to.
        note: Option<NoteId>,
    },
    /// A forced line break.
    LineBreak,
}

impl Token {
    /// One run of generated or plain text in one style, with no note: the
    /// whole content of a title, a label, a leader or an alt text.
    pub fn plain(text: impl Into<String>, style: Rc<TextStyle>, span: Span) -> Vec<Token> {
        vec![Token::Text {
            text: text.into(),
            style,
            span,
            note: None,
        }]
    }
}

/// Paragraph settings.
#[derive(Debug, Clone)]
pub struct ParStyle {
    /// Line width.
    pub measure: Pt,
    /// First-line indent.
    pub indent: Pt,
    /// Justify (else ragged right).
    pub justify: bool,
    /// Centre every line (headings, ornaments); implies ragged.
    pub center: bool,
    /// Allow automatic hyphenation at all.
    pub hyphenate: bool,
    /// Lines more (or fewer) than optimal, added to the style's (TeX's
    /// `\looseness`): the page breaker asks for ±1 to fill a page.
    pub looseness: i32,
}

/// A set line, positions relative to the start of its baseline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetLine {
    /// Glyph runs (origins relative to the line's left end on the baseline).
    pub runs: Vec<GlyphRun>,
    /// Link areas, relative as the runs.
    pub links: Vec<(Rect, LinkTarget)>,
    /// Filled rectangles drawn with the text (strike-through lines),
    /// relative as the runs.
    pub rules: Vec<Rect>,
    /// Notes whose markers are on this line, in order.
    pub notes: Vec<NoteId>,
    /// The tallest size on the line (for spacing checks).
    pub size: Pt,
    /// The line ends with a hyphen break.
    pub hyphenated: bool,
}

impl SetLine {
    /// Moves everything on the line `dx` to the right.
    pub fn shift(&mut self, dx: Pt) {
        for r in &mut self.runs {
            r.origin.x += dx;
        }
        for (rect, _) in &mut self.links {
            rect.x += dx;
        }
        for rect in &mut self.rules {
            rect.x += dx;
        }
    }

    /// Adds what `other` holds, `dx` to the right (a table cell's line to
    /// its row's).
    pub fn append(&mut self, other: &SetLine, dx: Pt) {
        let mut other = other.clone();
        other.shift(dx);
        self.runs.extend(other.runs);
        self.links.extend(other.links);
        self.rules.extend(other.rules);
        self.notes.extend(other.notes);
        self.size = self.size.max(other.size);
    }
}

/// Per-build state for setting paragraphs: shaper (with its cache),
/// hyphenator and font chains.
pub struct InlineLayout<'f> {
    /// The shaper and its cache.
    pub shaper: Shaper<'f>,
    hyphenator: Hyphenator,
    chains: FxHashMap<(Role, Variant), Vec<FaceId>>,
    spaces: FxHashMap<FaceId, (u16, f64)>,
    style: PrintStyle,
    /// Paragraphs already set, with the warnings setting them raised: the
    /// galley is built several times per book (looseness trials, the
    /// contents' fixed point), and a paragraph of the body sets the same
    /// way every time.
    memo: Memo,
    /// Paragraphs taken from the memo rather than set (statistics).
    pub memo_hits: usize,
}

impl<'f> InlineLayout<'f> {
    /// Prepares layout for a book in `language` with `style`.
    pub fn new(fonts: &'f Fonts, style: &PrintStyle, language: &str) -> crate::diag::Result<Self> {
        for family in [&style.fonts.body, &style.fonts.mono] {
            if !fonts.has_family(family) {
                return Err(crate::diag::Error::config(
                    Diagnostic::error(format!("no font family named `{family}` is loaded"))
                        .hint("the bundled families are Libertinus Serif, DejaVu Sans Mono, DejaVu Serif and DejaVu Sans"),
                ));
            }
        }
        let opts = super::hyphenate::HyphenOptions {
            auto: style.hyphenate,
            min_before: usize::from(style.hyphen_min_before),
            min_after: usize::from(style.hyphen_min_after),
            capitalised: style.hyphenate_capitalised,
        };
        Ok(InlineLayout {
            shaper: Shaper::new(fonts, language),
            hyphenator: Hyphenator::new(language, opts),
            chains: FxHashMap::default(),
            memo: FxHashMap::default(),
            memo_hits: 0,
            spaces: FxHashMap::default(),
            style: style.clone(),
        })
    }

    /// The faces tried in order for a role and variant.
    pub fn chain(&mut self, role: Role, variant: Variant) -> Vec<FaceId> {
        if let Some(c) = self.chains.get(&(role, variant)) {
            return c.clone();
        }
        let fonts = self.shaper.fonts();
        let family = match role {
            Role::Body => &self.style.fonts.body,
            Role::Mono => &self.style.fonts.mono,
        };
        let mut chain = Vec::new();
        for fam in std::iter::once(family).chain(&self.style.fonts.fallback) {
            if let Some(f) = fonts.select(fam, variant)
                && !chain.contains(&f)
            {
                chain.push(f);
            }
        }
        self.chains.insert((role, variant), chain.clone());
        chain
    }

    /// The space glyph of `face` and its advance (in ems).
    fn space(&mut self, face: FaceId) -> (u16, f64) {
        if let Some(&s) = self.spaces.get(&face) {
            return s;
        }
        let shaped = self.shaper.shape(" ", face, Features::default());
        let s = shaped
            .glyphs
            .first()
            .map_or((0, 0.25), |g| (g.id, g.advance));
        self.spaces.insert(face, s);
        s
    }

    /// Breaks and sets a paragraph: prepares its items, breaks them into
    /// lines and sets each line. Overfull lines are warned about at the
    /// span of the line's first word.
    pub fn layout(
        &mut self,
        tokens: &[Token],
        par: &ParStyle,
        warnings: &mut Warnings,
    ) -> Vec<SetLine> {
        let items = self.items(tokens, par, warnings);
        if items.len() <= 3 {
            return Vec::new();
        }
        let lines = linebreak::linebreak(&items.items, &self.params(par));
        let mut out = Vec::with_capacity(lines.len());
        for line in &lines {
            if line.overfull > Pt(0.5) {
                warnings.push(overfull(&items, line));
            }
            let mut set = self.set_line(&items, line);
            if par.center {
                let width = set
                    .runs
                    .iter()
                    .map(|r| r.origin.x + r.width())
                    .fold(Pt::ZERO, Pt::max);
                set.shift((par.measure - width) / 2.0);
            }
            out.push(set);
        }
        out
    }

    /// The line breaker's settings for a paragraph set with `par`.
    fn params(&self, par: &ParStyle) -> Params {
        let mut params = Params {
            measure: par.measure,
            tolerance: self.style.tolerance,
            emergency_stretch: self.style.emergency_stretch,
            looseness: self.style.looseness + par.looseness,
            max_hyphen_run: self.style.max_hyphen_run,
            ..Params::default()
        };
        if !par.justify || par.center {
            // Ragged right, as TeX's \raggedright: fixed spaces, and up to
            // three ems of white at the line end count as a decent line.
            params.line_end_stretch = self.style.body_size * 3.0;
        }
        params
    }
}

/// The warning for an overfull `line`, at the span of its first word.
fn overfull(items: &Items, line: &linebreak::Line) -> Diagnostic {
    let span = items.sources[line.start..line.end]
        .iter()
        .find_map(|s| match s {
            Source::Frag(f) => f.parts.first().map(|p| p.span),
            _ => None,
        });
    let mut d = Diagnostic::warning(format!(
        "overfull line: {:.1} pt too wide for the measure",
        line.overfull.0
    ))
    .hint("allow a break with a soft hyphen (U+00AD) or rephrase");
    if let Some(span) = span {
        d = d.at(span);
    }
    d
}
