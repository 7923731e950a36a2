//! The front matter: half-title, title page, colophon and contents, each
//! on a page of its own.

use std::rc::Rc;

use super::{Builder, Frame, Place, heading_par, set_tag};
use crate::doc;
use crate::source::Span;
use crate::typeset::fonts::Variant;
use crate::typeset::galley::{Flow, PageStart};
use crate::typeset::inline::{ParStyle, SetLine, TextStyle, Token};
use crate::typeset::page::{Glyph, GlyphRun, LinkTarget, Numbering, Pt, Rect, TagKind};
use crate::typeset::paginate::line_width;

/// One line of the contents.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentsEntry {
    /// The title as shown (with its number).
    pub title: String,
    /// The destination id it links to.
    pub id: String,
    /// 0 for parts and unnested chapters, 1 for chapters in parts, one
    /// more for each level a sub-chapter is nested (mdBook).
    pub level: u8,
    /// The page label, once known.
    pub page: Option<String>,
}

impl Builder<'_, '_> {
    /// The half-title (the title alone, a third of the way down a recto).
    pub fn half_title(&mut self, meta: &doc::Meta) {
        self.page_start(PageStart {
            numbering: Some(Numbering::Roman),
            recto: true,
            opening: true,
            no_folio: true,
            head: None,
        });
        let (_, h) = self.style.page.dimensions();
        self.flow.push(Flow::Sink(h * 0.2));
        let frame = self.body_frame();
        self.centred(
            &meta.title,
            self.style.body_size * 1.4,
            Variant::default(),
            &frame,
            None,
            None,
        );
    }

    /// A title page: title, subtitle, authors, centred, on a recto.
    pub fn title_page(&mut self, meta: &doc::Meta) {
        self.page_start(PageStart {
            numbering: None,
            recto: true,
            opening: true,
            no_folio: true,
            head: None,
        });
        let (_, h) = self.style.page.dimensions();
        self.flow.push(Flow::Sink(h * 0.18));
        let frame = self.body_frame();
        let size = self.style.body_size * 2.0;
        let tag = self.tag(TagKind::Title);
        self.centred(
            &meta.title,
            size,
            Variant::default(),
            &frame,
            Some(("title".into(), None)),
            Some(&tag),
        );
        if let Some(sub) = &meta.subtitle {
            self.flow.push(Flow::Space(self.style.leading));
            let tag = self.tag(TagKind::Paragraph);
            self.centred(
                sub,
                self.style.body_size * 1.3,
                Variant {
                    italic: true,
                    bold: false,
                },
                &frame,
                None,
                Some(&tag),
            );
        }
        if !meta.authors.is_empty() {
            self.flow.push(Flow::Space(self.style.leading * 3.0));
            let names = meta.authors.join(", ");
            let tag = self.tag(TagKind::Paragraph);
            self.centred(
                &names,
                self.style.body_size * 1.2,
                Variant::default(),
                &frame,
                None,
                Some(&tag),
            );
        }
    }

    /// The colophon, on the back of the title page: rights, identifier,
    /// build date, fonts, and what set the book — low on the page.
    pub fn colophon(&mut self, meta: &doc::Meta, date: Option<i64>) {
        self.page_start(PageStart {
            numbering: None,
            recto: false,
            opening: true,
            no_folio: true,
            head: None,
        });
        let mut paras: Vec<String> = Vec::new();
        paras.push(meta.title.clone());
        if let Some(rights) = &meta.rights {
            paras.push(rights.clone());
        }
        if !meta.identifier.is_empty() {
            paras.push(meta.identifier.clone());
        }
        if let Some(secs) = date {
            paras.push(format!("Built on {}.", iso_date(secs)));
        }
        let f = &self.style.fonts;
        paras.push(format!("Set in {} with {} for code.", f.body, f.mono));
        paras.push("Set with samizdat.".into());
        let size = self.style.note_size;
        let leading = self.style.note_leading;
        // Low on the page: the paragraphs end near the foot of the block.
        let (_, h) = self.style.page.dimensions();
        let block = h - self.style.margins.top - self.style.margins.bottom;
        let lines = paras.len() as f64 * 2.0;
        self.flow
            .push(Flow::Sink((block - leading * lines).max(Pt::ZERO) * 0.9));
        let frame = Frame {
            size,
            leading,
            justify: false,
            ..self.body_frame()
        };
        for (k, text) in paras.iter().enumerate() {
            if k > 0 {
                self.flow.push(Flow::Space(leading * 0.5));
            }
            let style = Rc::new(TextStyle {
                size,
                hyphenate: false,
                ..self.text_style(&frame)
            });
            let tokens = Token::plain(text.clone(), style, Span::default());
            let tag = self.tag(TagKind::Paragraph);
            let at = Place::kept(Pt::ZERO, leading, size);
            self.set_ragged(&tokens, &frame, at, None, &tag);
        }
    }

    /// The contents: each entry's title, dot leaders, and its page number
    /// flush right; the whole line links to the entry.
    pub fn contents(&mut self, entries: &[ContentsEntry]) {
        self.page_start(PageStart {
            numbering: None,
            recto: true,
            opening: true,
            no_folio: true,
            head: Some(self.labels.contents.into()),
        });
        let (_, h) = self.style.page.dimensions();
        self.flow.push(Flow::Sink(h / 8.0));
        let frame = self.body_frame();
        let size = self.style.body_size * 1.4;
        self.open_section(TagKind::Chapter);
        let heading = self.tag(TagKind::Heading(1));
        self.centred(
            self.labels.contents,
            size,
            Variant::default(),
            &frame,
            Some(("contents".into(), None)),
            Some(&heading),
        );
        self.open(TagKind::Contents);
        self.flow.push(Flow::Space(self.style.leading * 1.5));
        let plain = Rc::new(TextStyle {
            hyphenate: false,
            size: self.style.body_size,
            ..self.text_style(&frame)
        });
        let leaders = self.leaders(&plain, &frame);
        // Part titles stand out in bold where chapters nest under them.
        let nested = entries.iter().any(|e| e.level > 0);
        for (k, entry) in entries.iter().enumerate() {
            if entry.level == 0 && k > 0 {
                self.flow.push(Flow::Space(self.style.leading * 0.5));
            }
            let style = if entry.level == 0 && nested {
                Rc::new(TextStyle {
                    variant: Variant {
                        italic: false,
                        bold: true,
                    },
                    ..(*plain).clone()
                })
            } else {
                plain.clone()
            };
            self.contents_entry(entry, style, &plain, &leaders, &frame);
        }
        self.structure.clear();
        self.section_depth = 0;
    }

    /// One leader dot in `plain`, set once: leaders repeat it on a grid
    /// common to all lines so the dots line up down the page.
    fn leaders(&mut self, plain: &Rc<TextStyle>, frame: &Frame) -> Leaders {
        let dot = self
            .inline
            .layout(
                &Token::plain(".", plain.clone(), Span::default()),
                &heading_par(frame),
                self.warnings,
            )
            .into_iter()
            .next()
            .and_then(|l| l.runs.into_iter().next());
        // Close leaders: dots a twelfth of an em apart, so the eye reads a
        // line, not a row of words.
        let size = plain.size;
        let pitch = dot
            .as_ref()
            .and_then(|d| d.glyphs.first())
            .map_or(size * 0.3, |g| Pt(f64::from(g.advance)) + size / 12.0);
        Leaders { dot, pitch }
    }

    /// One entry of the contents: its title in `style` (indented by its
    /// level), and on its last line the leaders and its page number in
    /// `plain`, all of it a link to the entry.
    fn contents_entry(
        &mut self,
        entry: &ContentsEntry,
        style: Rc<TextStyle>,
        plain: &Rc<TextStyle>,
        leaders: &Leaders,
        frame: &Frame,
    ) {
        let size = plain.size;
        let leading = self.style.leading;
        let indent = self.style.body_size * 1.5 * f64::from(entry.level);
        let tokens = Token::plain(entry.title.clone(), style, Span::default());
        // A title that turns over hangs its second line by an em and
        // a half, so the entry's start stands out.
        let hang = size * 1.5;
        let reserve = size * 3.0;
        let par = ParStyle {
            measure: frame.measure - indent - hang - reserve,
            ..heading_par(frame)
        };
        let mut lines = self.inline.layout(&tokens, &par, self.warnings);
        // Title and page number are the entry; the leaders are not.
        let tag = self.tag(TagKind::ContentsEntry);
        set_tag(&mut lines, &tag);
        let label = entry.page.clone().unwrap_or_else(|| "00".into());
        let mut number = self
            .inline
            .layout(
                &Token::plain(label, plain.clone(), Span::default()),
                &heading_par(frame),
                self.warnings,
            )
            .into_iter()
            .next()
            .unwrap_or_default();
        set_tag(std::slice::from_mut(&mut number), &tag);
        let n = lines.len();
        if let Some(line) = lines.last_mut() {
            let start = if n == 1 { indent } else { indent + hang };
            // The number, flush right on the measure, and the line's link.
            let right = frame.measure - start;
            let end = EntryEnd {
                start,
                right,
                size,
                leading,
            };
            end.finish(line, &number, leaders, &entry.id);
        }
        for (i, line) in lines.into_iter().enumerate() {
            let start = if i == 0 { indent } else { indent + hang };
            let at = Place::new(start, leading, size);
            self.push_lines(vec![line], at, None, None, None);
        }
    }
}

/// The leader dot of the contents and the pitch it repeats at.
struct Leaders {
    dot: Option<GlyphRun>,
    pitch: Pt,
}

impl Leaders {
    /// A run of dots on the pitch grid between `from` and `to` (measured
    /// from the line's left end), placed for a line that starts at `start`;
    /// None if not one fits.
    fn run(&self, start: Pt, from: Pt, to: Pt) -> Option<GlyphRun> {
        let dot = self.dot.as_ref()?;
        let pitch = self.pitch;
        let mut x = Pt((from.0 / pitch.0).ceil() * pitch.0);
        let mut run = dot.clone();
        run.origin.x = x - start;
        let mut glyphs = Vec::new();
        let mut text = String::new();
        if let Some(g) = dot.glyphs.first() {
            while x + Pt(f64::from(g.advance)) <= to {
                let at = text.len() as u32;
                text.push('.');
                glyphs.push(Glyph {
                    advance: pitch.0 as f32,
                    text: (at, at + 1),
                    ..*g
                });
                x += pitch;
            }
        }
        run.glyphs = glyphs.into();
        run.text = text.into();
        (!run.glyphs.is_empty()).then_some(run)
    }
}

/// Where the last line of a contents entry starts and how far its number
/// sits to the right of that, in the contents' size and leading.
struct EntryEnd {
    start: Pt,
    right: Pt,
    size: Pt,
    leading: Pt,
}

impl EntryEnd {
    /// Ends `line` with the page `number` flush right, `leaders` between
    /// (a space clear of both), and a link to `id` across the line.
    fn finish(&self, line: &mut SetLine, number: &SetLine, leaders: &Leaders, id: &str) {
        let Self {
            start,
            right,
            size,
            leading,
        } = *self;
        let nw = line_width(number);
        let tw = line_width(line);
        for mut r in number.runs.clone() {
            r.origin.x += right - nw;
            line.runs.push(r);
        }
        let from = start + tw + size * 0.25;
        let to = start + right - nw - size * 0.25;
        if let Some(run) = leaders.run(start, from, to) {
            line.runs.push(run);
        }
        line.links.push((
            Rect {
                x: Pt::ZERO,
                y: -size,
                width: right,
                height: leading,
            },
            LinkTarget::Internal(id.to_string()),
        ));
    }
}

/// A date as `YYYY-MM-DD` from seconds since 1970 (UTC).
pub fn iso_date(secs: i64) -> String {
    let (y, m, d) = crate::edition::civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}
