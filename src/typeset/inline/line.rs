//! Setting a line: the breaker's line (a range of items with its glue and
//! expansion ratios) becomes glyph runs at positions. Fragments in the same
//! face, size, scale, link and baseline join one run, spaces become space
//! glyphs of the stretched or shrunk width, a hyphen break adds its hyphen;
//! links get their areas and struck-through text its rules.

use std::sync::Arc;

use super::prepare::{Frag, FragPart, Items, Source};
use super::{InlineLayout, Role, SetLine, TextStyle};
use crate::typeset::fonts::{FaceId, Fonts};
use crate::typeset::linebreak::{self, Item as KpItem};
use crate::typeset::page::{Glyph, GlyphRun, LinkTarget, Point, Pt, Rect};
use crate::typeset::shape::ShapedText;

impl InlineLayout<'_> {
    /// Sets `line` of the paragraph `items`.
    pub(super) fn set_line(&mut self, items: &Items, line: &linebreak::Line) -> SetLine {
        let mut set = LineSetter::new(self.shaper.fonts(), line, self.style.expansion_limit);
        let end = line.end.min(items.len());
        for i in line.start..=end {
            let is_end = i == end;
            match (&items.items[i], &items.sources[i]) {
                (KpItem::Box { .. }, Source::Frag(frag)) if !is_end => set.fragment(frag),
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
                    set.space(*face, gid, w);
                }
                (KpItem::Box { width, .. }, Source::Other) if !is_end => set.skip(*width),
                (KpItem::Penalty { width, .. }, Source::Hyphen { style, face })
                    if is_end && *width > Pt::ZERO =>
                {
                    let h = self.shaper.shape("-", *face, style.features);
                    set.hyphen(&h, style, *face);
                }
                _ => {}
            }
        }
        set.finish()
    }
}

/// A line being set, left to right.
struct LineSetter<'f> {
    fonts: &'f Fonts,
    /// What is set so far.
    out: SetLine,
    /// Where the next glyph goes, from the line's left end (a protruding
    /// first glyph starts left of it).
    x: Pt,
    /// Horizontal scale of body text (font expansion).
    scale: f64,
    /// The glyph run being filled.
    run: Option<RunBuf>,
    /// The strike-through line being drawn: it runs on across spaces
    /// between struck words, and ends at the first word that is not.
    strike: Option<Rect>,
}

impl<'f> LineSetter<'f> {
    fn new(fonts: &'f Fonts, line: &linebreak::Line, expansion_limit: f64) -> Self {
        LineSetter {
            fonts,
            out: SetLine {
                hyphenated: line.hyphenated,
                ..SetLine::default()
            },
            x: -line.protrusion.0,
            scale: 1.0 + line.expand_ratio * expansion_limit,
            run: None,
            strike: None,
        }
    }

    /// The horizontal scale of text in `style`: only the body font expands.
    fn scale_of(&self, style: &TextStyle) -> f64 {
        if style.role == Role::Body {
            self.scale
        } else {
            1.0
        }
    }

    /// Sets a word fragment, part by part.
    fn fragment(&mut self, frag: &Frag) {
        for part in &frag.parts {
            self.part(part);
        }
    }

    fn part(&mut self, part: &FragPart) {
        let st = &part.style;
        let from = self.x;
        let s = self.scale_of(st);
        let face = part.shaped.face;
        let continues = self
            .run
            .as_ref()
            .is_some_and(|b| b.takes(face, st, s) && b.head.origin.y == -st.rise);
        if !continues {
            self.flush();
            self.run = Some(RunBuf::start(
                face,
                st,
                self.x,
                s,
                Some(part.span),
                part.offset,
            ));
        }
        let r = self.run.as_mut().expect("run started");
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
            self.x += adv;
        }
        self.strike_to(st, face, from);
        if let Some(id) = part.note
            && !self.out.notes.contains(&id)
        {
            self.out.notes.push(id);
        }
        self.out.size = self.out.size.max(st.size);
    }

    /// Sets a space `width` wide: a space glyph `gid` of `face` if the run
    /// being filled is in that face, else only the distance.
    fn space(&mut self, face: FaceId, gid: u16, width: Pt) {
        match self.run.as_mut() {
            Some(run) if run.head.face == face => {
                let base = run.text.len() as u32;
                run.text.push(' ');
                run.glyphs.push(Glyph {
                    id: gid,
                    advance: width.0 as f32,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    text: (base, base + 1),
                });
            }
            _ => {}
        }
        self.x += width;
    }

    /// Leaves `width` blank (an indent): ends the run and the strike.
    fn skip(&mut self, width: Pt) {
        self.flush();
        self.out.rules.extend(self.strike.take());
        self.x += width;
    }

    /// Sets the hyphen `h` of a hyphen break, in `style` and `face`.
    fn hyphen(&mut self, h: &ShapedText, style: &TextStyle, face: FaceId) {
        let s = self.scale_of(style);
        let fits = self.run.as_ref().is_some_and(|b| b.takes(face, style, s));
        if !fits {
            self.flush();
            self.run = Some(RunBuf::start(face, style, self.x, s, None, 0));
        }
        let r = self.run.as_mut().expect("run started");
        let base = r.text.len() as u32;
        r.text.push('-');
        let from = self.x;
        for g in &h.glyphs {
            let advance = style.size * (g.advance * s);
            r.glyphs.push(Glyph {
                id: g.id,
                advance: advance.0 as f32,
                x_offset: 0.0,
                y_offset: 0.0,
                text: (base, base + 1),
            });
            self.x += advance;
        }
        self.strike_to(style, face, from);
    }

    /// Draws the strike-through of text in `st` and `face` set from `from`
    /// to here, joining the line being drawn if it is at the same height;
    /// text that is not struck ends it.
    fn strike_to(&mut self, st: &TextStyle, face: FaceId, from: Pt) {
        if !st.strike {
            self.out.rules.extend(self.strike.take());
            return;
        }
        let to = self.x;
        let (offset, thickness) = self.fonts.get(face).strikeout;
        let height = st.size * thickness;
        let y = -st.rise - st.size * offset - height / 2.0;
        match self.strike.as_mut() {
            Some(r) if r.y == y && r.height == height => r.width = to - r.x,
            _ => {
                self.out.rules.extend(self.strike.take());
                self.strike = Some(Rect {
                    x: from,
                    y,
                    width: to - from,
                    height,
                });
            }
        }
    }

    /// Ends the run being filled: adds it, and its link area.
    fn flush(&mut self) {
        let Some(buf) = self.run.take() else {
            return;
        };
        let (r, link) = buf.finish();
        if let Some(target) = link {
            self.link(&r, target);
        }
        if !r.glyphs.is_empty() {
            self.out.runs.push(r);
        }
    }

    /// Adds the link area of the run `r`, joined to the one before if that
    /// has the same target and ends where `r` starts.
    fn link(&mut self, r: &GlyphRun, target: LinkTarget) {
        let size = r.size;
        let rect = Rect {
            x: r.origin.x,
            y: r.origin.y - size * 0.8,
            width: r.width(),
            height: size * 1.05,
        };
        match self.out.links.last_mut() {
            Some((last, t)) if *t == target && (last.x + last.width - rect.x).0.abs() < 0.5 => {
                last.width = rect.x + rect.width - last.x;
            }
            _ => self.out.links.push((rect, target)),
        }
    }

    fn finish(mut self) -> SetLine {
        self.flush();
        self.out.rules.extend(self.strike);
        self.out
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
    /// A run of text in `style` and `face` at scale `scale`, starting at
    /// `x` on the style's baseline; `span` and `offset` say where its text
    /// came from.
    fn start(
        face: FaceId,
        style: &TextStyle,
        x: Pt,
        scale: f64,
        span: Option<crate::source::Span>,
        offset: u32,
    ) -> Self {
        let head = GlyphRun {
            face,
            size: style.size,
            origin: Point { x, y: -style.rise },
            scale_x: scale,
            glyphs: Arc::from([]),
            text: Arc::from(""),
            span,
            offset,
            tag: None,
        };
        RunBuf {
            head,
            glyphs: Vec::new(),
            text: String::new(),
            link: style.link.clone(),
        }
    }

    /// Whether text in `style` and `face` at `scale` may join the run.
    fn takes(&self, face: FaceId, style: &TextStyle, scale: f64) -> bool {
        let r = &self.head;
        r.face == face
            && r.size == style.size
            && (r.scale_x - scale).abs() < 1e-9
            && self.link == style.link
    }

    /// The finished run, and its link. Trailing spaces carry no ink; they
    /// are dropped so that runs end at their last glyph.
    fn finish(mut self) -> (GlyphRun, Option<LinkTarget>) {
        while self.text.ends_with(' ')
            && self
                .glyphs
                .last()
                .is_some_and(|g| g.text.1 as usize == self.text.len())
        {
            self.glyphs.pop();
            self.text.pop();
        }
        let run = GlyphRun {
            glyphs: Arc::from(self.glyphs),
            text: Arc::from(self.text),
            ..self.head
        };
        (run, self.link)
    }
}
