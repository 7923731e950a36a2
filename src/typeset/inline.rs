//! Paragraph layout: inlines → words → fragments (shaped) → Knuth–Plass
//! items → set lines of glyph runs. The line breaker itself is in
//! `linebreak.rs`, break points inside words in `hyphenate.rs`; this module
//! glues them together and turns the breaker's ratios into positions.
//!
//! A *word* is the text between two breakable spaces (a no-break space stays
//! inside it); it may mix styles ("*emph*,"). A word is cut into
//! *fragments* at its break points; each fragment becomes one box, each
//! possible break a penalty, each space a glue.

use rustc_hash::FxHashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::fonts::{FaceId, Fonts, Variant};
use super::hyphenate::{BreakKind, Hyphenator};
use super::linebreak::{self, INFINITY, Item as KpItem, Params};
use super::page::{Glyph, GlyphRun, LinkTarget, Point, Pt, Rect};
use super::shape::{Features, ShapedText, Shaper};
use crate::diag::{Diagnostic, Warnings};
use crate::doc::NoteId;
use crate::source::Span;
use crate::style::PrintStyle;

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

/// Set paragraphs by key, with the warnings setting each raised.
pub type Memo = FxHashMap<ParKey, (Vec<SetLine>, Warnings)>;

/// What makes a body paragraph's setting: its source, its looseness, its
/// measure and indent (in bits, so that the key is hashable), and a
/// fingerprint of everything else in its tokens and paragraph style (the
/// text with its note numbers, styles, links), so that a paragraph set
/// ahead by another builder (see `typeset`) is only taken if it is the
/// very same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParKey {
    span: Span,
    looseness: i32,
    measure: u64,
    indent: u64,
    content: u64,
}

impl ParKey {
    /// The key of the paragraph `tokens` from the source at `span`, set
    /// with `par`.
    pub fn new(span: Span, par: &ParStyle, tokens: &[Token]) -> Self {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (par.justify, par.center, par.hyphenate).hash(&mut h);
        for token in tokens {
            match token {
                Token::Text {
                    text,
                    style,
                    span,
                    note,
                } => {
                    text.hash(&mut h);
                    span.hash(&mut h);
                    note.hash(&mut h);
                    let TextStyle {
                        role,
                        variant,
                        size,
                        features,
                        rise,
                        link,
                        hyphenate,
                        strike,
                    } = &**style;
                    (role, variant, size.0.to_bits(), features).hash(&mut h);
                    (rise.0.to_bits(), link, hyphenate, strike).hash(&mut h);
                }
                Token::LineBreak => 0xffu8.hash(&mut h),
            }
        }
        ParKey {
            span,
            looseness: par.looseness,
            measure: par.measure.0.to_bits(),
            indent: par.indent.0.to_bits(),
            content: h.finish(),
        }
    }
}

/// What a Knuth–Plass item came from.
enum Source {
    Frag(Frag),
    Space { face: FaceId },
    Hyphen { style: Rc<TextStyle>, face: FaceId },
    Other,
}

struct Frag {
    parts: Vec<FragPart>,
}

struct FragPart {
    shaped: Rc<ShapedText>,
    style: Rc<TextStyle>,
    span: Span,
    /// Byte offset of the part's text in its source text node.
    offset: u32,
    note: Option<NoteId>,
}

/// A piece of a word in one style: its text, the source text node it comes
/// from and the byte offset of the piece in that node's text.
type WordPiece = (Rc<TextStyle>, String, Span, Option<NoteId>, u32);

/// How far a character may hang into the margin, as a fraction of its
/// advance: (left, right). Full stops and commas hang most because they
/// are small and leave a visible dent; hyphens a little over half; colons
/// and semicolons less (they are taller); dashes little (they are wide).
/// The right-side values are Typst's (`typst-layout`, `inline/shaping.rs`,
/// `overhang`), close to microtype's defaults; quotes follow microtype
/// (Hàn Thế Thành 2000, ch. 3; the `microtype` package's `default` set).
fn protrusion(c: char) -> (f64, f64) {
    match c {
        '.' | ',' => (0.0, 0.8),
        '-' | '\u{AD}' | '\u{2010}' => (0.0, 0.55),
        ':' | ';' => (0.0, 0.3),
        '–' | '—' => (0.0, 0.2),
        '!' | '?' => (0.0, 0.2),
        '’' | '”' | '\'' | '"' => (0.0, 0.5),
        '‘' | '“' => (0.5, 0.0),
        _ => (0.0, 0.0),
    }
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

    /// The paragraphs set so far, with the warnings each raised.
    pub fn into_memo(self) -> Memo {
        self.memo
    }

    /// Takes paragraphs set by another layout of the same style and fonts,
    /// so that they need not be set here. Those that raised warnings are
    /// left to be set here (a missing glyph is reported only where this
    /// layout first meets it).
    pub fn adopt(&mut self, memo: Memo) {
        for (key, set) in memo {
            if set.1.is_empty() {
                self.memo.entry(key).or_insert(set);
            }
        }
    }

    /// Like [`InlineLayout::layout`], remembered under `key`: a second call
    /// with the same key gives the same lines (and the same warnings)
    /// without setting them again.
    pub fn layout_memo(
        &mut self,
        key: ParKey,
        tokens: &[Token],
        par: &ParStyle,
        warnings: &mut Warnings,
    ) -> Vec<SetLine> {
        if let Some((lines, raised)) = self.memo.get(&key) {
            self.memo_hits += 1;
            warnings.extend(raised.iter().cloned());
            return lines.clone();
        }
        let mut raised = Warnings::new();
        let lines = self.layout(tokens, par, &mut raised);
        warnings.extend(raised.iter().cloned());
        self.memo.insert(key, (lines.clone(), raised));
        lines
    }

    /// Breaks and sets a paragraph. Overfull lines are warned about at the
    /// span of the line's first word.
    pub fn layout(
        &mut self,
        tokens: &[Token],
        par: &ParStyle,
        warnings: &mut Warnings,
    ) -> Vec<SetLine> {
        let (items, sources) = self.items(tokens, par, warnings);
        if items.len() <= 3 {
            return Vec::new();
        }
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
        let lines = linebreak::linebreak(&items, &params);
        let mut out = Vec::with_capacity(lines.len());
        for line in &lines {
            if line.overfull > Pt(0.5) {
                let span = sources[line.start..line.end].iter().find_map(|s| match s {
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
                warnings.push(d);
            }
            let mut set = self.set_line(&items, &sources, line);
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

    fn items(
        &mut self,
        tokens: &[Token],
        par: &ParStyle,
        warnings: &mut Warnings,
    ) -> (Vec<KpItem>, Vec<Source>) {
        let mut items = Vec::new();
        let mut sources = Vec::new();
        if par.indent > Pt::ZERO {
            items.push(KpItem::Box {
                width: par.indent,
                expand: Pt::ZERO,
                protrude_left: Pt::ZERO,
                protrude_right: Pt::ZERO,
            });
            sources.push(Source::Other);
        }
        // Split the tokens into words: (style, text, span, note) pieces.
        let mut word: Vec<WordPiece> = Vec::new();
        let mut pending_space: Option<Rc<TextStyle>> = None;
        let flush_word = |this: &mut Self,
                          word: &mut Vec<WordPiece>,
                          pending_space: &mut Option<Rc<TextStyle>>,
                          items: &mut Vec<KpItem>,
                          sources: &mut Vec<Source>,
                          warnings: &mut Warnings| {
            if word.is_empty() {
                return;
            }
            if let Some(style) = pending_space.take()
                && !items.is_empty()
                && !matches!(sources.last(), Some(Source::Other) | None)
            {
                this.push_space(&style, par, items, sources);
            }
            this.push_word(word, par, items, sources, warnings);
            word.clear();
        };
        for token in tokens {
            match token {
                Token::Text {
                    text,
                    style,
                    span,
                    note,
                } => {
                    // Words are the runs between breakable spaces; each keeps
                    // its byte offset in the text node (for page-list places).
                    let mut start = 0;
                    let spaces = text
                        .char_indices()
                        .filter(|&(_, c)| crate::hyphenate::is_breaking_space(c));
                    for (i, _) in spaces {
                        if i > start {
                            let piece = text[start..i].to_string();
                            word.push((style.clone(), piece, *span, *note, start as u32));
                        }
                        flush_word(
                            self,
                            &mut word,
                            &mut pending_space,
                            &mut items,
                            &mut sources,
                            warnings,
                        );
                        pending_space = Some(style.clone());
                        start = i + 1;
                    }
                    if start < text.len() {
                        let piece = text[start..].to_string();
                        word.push((style.clone(), piece, *span, *note, start as u32));
                    }
                }
                Token::LineBreak => {
                    flush_word(
                        self,
                        &mut word,
                        &mut pending_space,
                        &mut items,
                        &mut sources,
                        warnings,
                    );
                    pending_space = None;
                    // Breaks with nothing set since the last one (at the
                    // start, or twice in a row) would make empty lines the
                    // breaker cannot start: one break is enough.
                    if !ends_line(&items) {
                        push_end(&mut items, &mut sources, false);
                    }
                }
            }
        }
        flush_word(
            self,
            &mut word,
            &mut pending_space,
            &mut items,
            &mut sources,
            warnings,
        );
        // A hard line break as the last thing of the paragraph (CommonMark
        // keeps one inside a link or emphasis) has ended it already; a
        // second end after it would leave the breaker an empty last line
        // with no box to start it. An empty paragraph still gets its end.
        if !ends_line(&items) || items.is_empty() {
            push_end(&mut items, &mut sources, true);
        }
        (items, sources)
    }

    fn push_space(
        &mut self,
        style: &Rc<TextStyle>,
        par: &ParStyle,
        items: &mut Vec<KpItem>,
        sources: &mut Vec<Source>,
    ) {
        let chain = self.chain(style.role, style.variant);
        let face = chain[0];
        let (_, adv) = self.space(face);
        let width = style.size * adv;
        // TeX's Computer Modern proportions: a space may stretch by half and
        // shrink by a third of its width. Ragged lines keep spaces fixed.
        let (stretch, shrink) = if par.justify && !par.center {
            (width / 2.0, width / 3.0)
        } else {
            (Pt::ZERO, Pt::ZERO)
        };
        items.push(KpItem::Glue {
            width,
            stretch,
            shrink,
            fil: false,
        });
        sources.push(Source::Space { face });
    }

    fn push_word(
        &mut self,
        word: &[WordPiece],
        par: &ParStyle,
        items: &mut Vec<KpItem>,
        sources: &mut Vec<Source>,
        warnings: &mut Warnings,
    ) {
        let text: String = word.iter().map(|p| p.1.as_str()).collect();
        let auto = par.hyphenate && word.iter().all(|p| p.0.hyphenate && p.3.is_none());
        let breaks = self.hyphenator.breaks(&text, auto);
        // Piece boundaries in the word text.
        let mut bounds = Vec::with_capacity(word.len());
        let mut at = 0;
        for p in word {
            bounds.push((at, at + p.1.len()));
            at += p.1.len();
        }
        let mut cuts: Vec<usize> = breaks.iter().map(|b| b.at).collect();
        cuts.push(text.len());
        let mut from = 0;
        for (k, &to) in cuts.iter().enumerate() {
            if k > 0 {
                let brk = breaks[k - 1];
                // The hyphen (if any) is set in the style of the letter before.
                let (pi, _) = bounds
                    .iter()
                    .enumerate()
                    .find(|(_, b)| b.0 < from && from <= b.1)
                    .unwrap_or((0, &(0, 0)));
                let style = word[pi].0.clone();
                let chain = self.chain(style.role, style.variant);
                let face = chain[0];
                let (width, prot) = match brk.kind {
                    BreakKind::Hyphen => {
                        let h = self.shaper.shape("-", face, style.features);
                        let w = style.size * h.width;
                        (w, w * protrusion('-').1)
                    }
                    BreakKind::Explicit => (Pt::ZERO, Pt::ZERO),
                };
                // The style's hyphen penalty (TeX's \hyphenpenalty and
                // \exhyphenpenalty, both 50 in plain TeX: a hyphen costs
                // about as much as a line of badness 40).
                items.push(KpItem::Penalty {
                    width,
                    penalty: self.style.hyphen_penalty,
                    flagged: true,
                    protrude_right: if self.style.protrusion {
                        prot
                    } else {
                        Pt::ZERO
                    },
                });
                sources.push(Source::Hyphen { style, face });
            }
            let Some((item, frag)) = self.fragment(word, &bounds, &text, from..to, warnings) else {
                from = to;
                continue;
            };
            let clusters = clusters(&text, from..to);
            from = to;
            if !matches!(item, KpItem::Box { width, .. } if width > par.measure)
                || clusters.len() < 2
            {
                items.push(item);
                sources.push(Source::Frag(frag));
                continue;
            }
            // Wider than the whole line (a long URL, a word without break
            // points): it could only stick out of the page. It may break
            // between any two characters instead, at a cost that makes any
            // other break preferable (CSS's `overflow-wrap: anywhere`).
            let chars = text[clusters[0].start..clusters[clusters.len() - 1].end]
                .chars()
                .filter(|&c| c != '\u{AD}')
                .count();
            let mut d = Diagnostic::warning(format!(
                "a {chars}-character word is wider than the line; it is broken where it must be, without a hyphen"
            ))
            .hint("allow breaks with soft hyphens (U+00AD), or rephrase");
            if let Some(part) = frag.parts.first() {
                d = d.at(part.span);
            }
            warnings.push(d);
            // The pieces were shaped (and their glyphs checked) as a whole.
            let mut quiet = Warnings::new();
            for (k, cluster) in clusters.into_iter().enumerate() {
                let Some((item, frag)) = self.fragment(word, &bounds, &text, cluster, &mut quiet)
                else {
                    continue;
                };
                if k > 0 {
                    items.push(KpItem::Penalty {
                        width: Pt::ZERO,
                        penalty: EMERGENCY_PENALTY,
                        flagged: false,
                        protrude_right: Pt::ZERO,
                    });
                    sources.push(Source::Other);
                }
                items.push(item);
                sources.push(Source::Frag(frag));
            }
        }
    }

    /// Shapes the bytes `range` of `text`, the whole of a word made of
    /// `word`'s pieces (at byte `bounds` in `text`), into one box.
    fn fragment(
        &mut self,
        word: &[WordPiece],
        bounds: &[(usize, usize)],
        text: &str,
        range: std::ops::Range<usize>,
        warnings: &mut Warnings,
    ) -> Option<(KpItem, Frag)> {
        let (from, to) = (range.start, range.end);
        let mut parts = Vec::new();
        for (pi, p) in word.iter().enumerate() {
            let (a, b) = bounds[pi];
            let (lo, hi) = (a.max(from), b.min(to));
            if lo >= hi {
                continue;
            }
            let piece: String = text[lo..hi].chars().filter(|&c| c != '\u{AD}').collect();
            if piece.is_empty() {
                continue;
            }
            let chain = self.chain(p.0.role, p.0.variant);
            let shaped =
                self.shaper
                    .shape_with_fallback(&piece, &chain, p.0.features, p.2, warnings);
            for s in shaped {
                parts.push(FragPart {
                    shaped: s,
                    style: p.0.clone(),
                    span: p.2,
                    offset: p.4 + (lo - a) as u32,
                    note: p.3,
                });
            }
        }
        if parts.is_empty() {
            return None;
        }
        let width: Pt = parts.iter().map(|p| p.style.size * p.shaped.width).sum();
        let expandable: Pt = parts
            .iter()
            .filter(|p| p.style.role == Role::Body)
            .map(|p| p.style.size * p.shaped.width)
            .sum();
        let expand = if self.style.expansion {
            expandable * self.style.expansion_limit
        } else {
            Pt::ZERO
        };
        let (mut pl, mut pr) = (Pt::ZERO, Pt::ZERO);
        if self.style.protrusion {
            let first = &parts[0];
            if let (Some(c), Some(g)) = (
                first.shaped.text.chars().next(),
                first.shaped.glyphs.first(),
            ) {
                pl = first.style.size * (g.advance * protrusion(c).0);
            }
            let last = &parts[parts.len() - 1];
            if let (Some(c), Some(g)) = (last.shaped.text.chars().last(), last.shaped.glyphs.last())
            {
                pr = last.style.size * (g.advance * protrusion(c).1);
            }
        }
        let item = KpItem::Box {
            width,
            expand,
            protrude_left: pl,
            protrude_right: pr,
        };
        Some((item, Frag { parts }))
    }

    fn set_line(
        &mut self,
        items: &[KpItem],
        sources: &[Source],
        line: &linebreak::Line,
    ) -> SetLine {
        let mut out = SetLine {
            hyphenated: line.hyphenated,
            ..SetLine::default()
        };
        let scale = 1.0 + line.expand_ratio * self.style.expansion_limit;
        let mut x = -line.protrusion.0;
        let mut run: Option<RunBuf> = None;
        let flush = |run: &mut Option<RunBuf>, out: &mut SetLine| {
            if let Some(mut buf) = run.take() {
                // Trailing spaces carry no ink; drop them so runs end at
                // their last glyph.
                while buf.text.ends_with(' ')
                    && buf
                        .glyphs
                        .last()
                        .is_some_and(|g| g.text.1 as usize == buf.text.len())
                {
                    buf.glyphs.pop();
                    buf.text.pop();
                }
                let link = buf.link.take();
                let r = buf.finish();
                if let Some(target) = link {
                    let size = r.size;
                    let rect = Rect {
                        x: r.origin.x,
                        y: r.origin.y - size * 0.8,
                        width: r.width(),
                        height: size * 1.05,
                    };
                    match out.links.last_mut() {
                        Some((last, t))
                            if *t == target && (last.x + last.width - rect.x).0.abs() < 0.5 =>
                        {
                            last.width = rect.x + rect.width - last.x;
                        }
                        _ => out.links.push((rect, target)),
                    }
                }
                if !r.glyphs.is_empty() {
                    out.runs.push(r);
                }
            }
        };
        // The strike-through line being drawn: it runs on across spaces
        // between struck words, and ends at the first word that is not.
        let mut strike: Option<Rect> = None;
        let fonts = self.shaper.fonts();
        let strike_to = |strike: &mut Option<Rect>,
                         out: &mut SetLine,
                         st: &TextStyle,
                         face,
                         from: Pt,
                         to: Pt| {
            if !st.strike {
                out.rules.extend(strike.take());
                return;
            }
            let (offset, thickness) = fonts.get(face).strikeout;
            let height = st.size * thickness;
            let y = -st.rise - st.size * offset - height / 2.0;
            match strike.as_mut() {
                Some(r) if r.y == y && r.height == height => r.width = to - r.x,
                _ => {
                    out.rules.extend(strike.take());
                    *strike = Some(Rect {
                        x: from,
                        y,
                        width: to - from,
                        height,
                    });
                }
            }
        };
        let end = line.end.min(items.len());
        for i in line.start..=end {
            let is_end = i == end;
            match (&items[i], &sources[i]) {
                (KpItem::Box { width, .. }, Source::Frag(frag)) if !is_end => {
                    for part in &frag.parts {
                        let st = &part.style;
                        let from = x;
                        let s = if st.role == Role::Body { scale } else { 1.0 };
                        let key_face = part.shaped.face;
                        let matches = run.as_ref().is_some_and(|b| {
                            let (r, link) = (&b.head, &b.link);
                            r.face == key_face
                                && r.size == st.size
                                && (r.scale_x - s).abs() < 1e-9
                                && *link == st.link
                                && r.origin.y == -st.rise
                        });
                        if !matches {
                            flush(&mut run, &mut out);
                            run = Some(RunBuf::new(
                                GlyphRun {
                                    face: key_face,
                                    size: st.size,
                                    origin: Point { x, y: -st.rise },
                                    scale_x: s,
                                    glyphs: Arc::from([]),
                                    text: Arc::from(""),
                                    span: Some(part.span),
                                    offset: part.offset,
                                    tag: None,
                                },
                                st.link.clone(),
                            ));
                        }
                        let r = run.as_mut().expect("run started");
                        let base = r.text.len() as u32;
                        r.text.push_str(&part.shaped.text);
                        let n = part.shaped.text.len() as u32;
                        let glyphs = &part.shaped.glyphs;
                        for (gi, g) in glyphs.iter().enumerate() {
                            // A cluster runs to the next different cluster.
                            let next = glyphs[gi..]
                                .iter()
                                .map(|h| h.cluster)
                                .find(|&c| c != g.cluster)
                                .unwrap_or(n);
                            let (lo, hi) = if next > g.cluster {
                                (g.cluster, next)
                            } else {
                                (g.cluster, n)
                            };
                            let adv = st.size * (g.advance * s);
                            r.glyphs.push(Glyph {
                                id: g.id,
                                advance: adv.0 as f32,
                                x_offset: (st.size * (g.x_offset * s)).0 as f32,
                                y_offset: (st.size * g.y_offset).0 as f32,
                                text: (base + lo, base + hi),
                            });
                            x += adv;
                        }
                        strike_to(&mut strike, &mut out, st, key_face, from, x);
                        if let Some(id) = part.note
                            && !out.notes.contains(&id)
                        {
                            out.notes.push(id);
                        }
                        out.size = out.size.max(st.size);
                    }
                    let _ = width;
                }
                (
                    KpItem::Glue {
                        width,
                        stretch,
                        shrink,
                        ..
                    },
                    Source::Space { face, .. },
                ) if !is_end => {
                    let r = line.glue_ratio;
                    let w = if !r.is_finite() {
                        *width
                    } else if r >= 0.0 {
                        *width + *stretch * r
                    } else {
                        *width + *shrink * r
                    };
                    let (gid, _) = self.space(*face);
                    match run.as_mut() {
                        Some(run) if run.head.face == *face => {
                            let base = run.text.len() as u32;
                            run.text.push(' ');
                            run.glyphs.push(Glyph {
                                id: gid,
                                advance: w.0 as f32,
                                x_offset: 0.0,
                                y_offset: 0.0,
                                text: (base, base + 1),
                            });
                        }
                        _ => {}
                    }
                    x += w;
                }
                (KpItem::Box { width, .. }, Source::Other) if !is_end => {
                    flush(&mut run, &mut out);
                    out.rules.extend(strike.take());
                    x += *width;
                }
                (KpItem::Penalty { width, .. }, Source::Hyphen { style, face })
                    if is_end && *width > Pt::ZERO =>
                {
                    let h = self.shaper.shape("-", *face, style.features);
                    let s = if style.role == Role::Body { scale } else { 1.0 };
                    let fits = run.as_ref().is_some_and(|b| {
                        let (r, link) = (&b.head, &b.link);
                        r.face == *face
                            && r.size == style.size
                            && (r.scale_x - s).abs() < 1e-9
                            && *link == style.link
                    });
                    if !fits {
                        flush(&mut run, &mut out);
                        run = Some(RunBuf::new(
                            GlyphRun {
                                face: *face,
                                size: style.size,
                                origin: Point { x, y: -style.rise },
                                scale_x: s,
                                glyphs: Arc::from([]),
                                text: Arc::from(""),
                                span: None,
                                offset: 0,
                                tag: None,
                            },
                            style.link.clone(),
                        ));
                    }
                    let r = run.as_mut().expect("run started");
                    let base = r.text.len() as u32;
                    r.text.push('-');
                    let from = x;
                    for g in &h.glyphs {
                        let advance = style.size * (g.advance * s);
                        r.glyphs.push(Glyph {
                            id: g.id,
                            advance: advance.0 as f32,
                            x_offset: 0.0,
                            y_offset: 0.0,
                            text: (base, base + 1),
                        });
                        x += advance;
                    }
                    strike_to(&mut strike, &mut out, style, *face, from, x);
                }
                _ => {}
            }
        }
        flush(&mut run, &mut out);
        out.rules.extend(strike);
        out
    }
}

/// A glyph run being filled: its header, and its glyphs and text still
/// growing (frozen into the shared slices of [`GlyphRun`] when done).
struct RunBuf {
    head: GlyphRun,
    glyphs: Vec<Glyph>,
    text: String,
    link: Option<LinkTarget>,
}

impl RunBuf {
    fn new(head: GlyphRun, link: Option<LinkTarget>) -> Self {
        RunBuf {
            head,
            glyphs: Vec::new(),
            text: String::new(),
            link,
        }
    }

    fn finish(self) -> GlyphRun {
        GlyphRun {
            glyphs: Arc::from(self.glyphs),
            text: Arc::from(self.text),
            ..self.head
        }
    }
}

/// The cost of breaking inside a word that is wider than the line, where
/// it has no break point. Half of [`INFINITY`]: dearer than any hyphen or
/// loose line, so such a break is only taken where nothing else fits, yet
/// finite, so the breaker prefers it to a line that sticks out of the page.
const EMERGENCY_PENALTY: f64 = INFINITY / 2.0;

/// The byte ranges of `text[range]` that must stay together: a character
/// with the combining marks, joiners and variation selectors after it (an
/// approximation of Unicode's grapheme clusters, enough for an emergency
/// break). Soft hyphens go with the character before them.
pub(super) fn clusters(text: &str, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let joins = |c: char| {
        matches!(c,
            '\u{300}'..='\u{36F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{AD}'
            | '\u{E0100}'..='\u{E01EF}')
    };
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut after_joiner = false;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        let end = at + c.len_utf8();
        match out.last_mut() {
            Some(last) if joins(c) || after_joiner => last.end = end,
            _ => out.push(at..end),
        }
        after_joiner = c == '\u{200D}';
    }
    out
}

/// Whether nothing has been set since the paragraph began or since its
/// last forced break.
fn ends_line(items: &[KpItem]) -> bool {
    match items.last() {
        None => true,
        Some(KpItem::Penalty { penalty, .. }) => *penalty <= -INFINITY,
        Some(_) => false,
    }
}

fn push_end(items: &mut Vec<KpItem>, sources: &mut Vec<Source>, _last: bool) {
    // TeX's \parfillskip: no break before it, then infinite stretch, then a
    // forced break.
    items.push(KpItem::Penalty {
        width: Pt::ZERO,
        penalty: INFINITY,
        flagged: false,
        protrude_right: Pt::ZERO,
    });
    sources.push(Source::Other);
    items.push(KpItem::Glue {
        width: Pt::ZERO,
        stretch: Pt::ZERO,
        shrink: Pt::ZERO,
        fil: true,
    });
    sources.push(Source::Other);
    items.push(KpItem::Penalty {
        width: Pt::ZERO,
        penalty: -INFINITY,
        flagged: false,
        protrude_right: Pt::ZERO,
    });
    sources.push(Source::Other);
}
