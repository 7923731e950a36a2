//! Paragraphs and the blocks made of them: a paragraph, a block quote, a
//! list with its labels in the margin, a definition list; the inlines
//! turned into styled tokens on the way (`tokens`, with note markers), and
//! set lines put in their place in the galley (`push_lines`).

use std::rc::Rc;

use super::notes::{note_dest, note_ref_dest};
use super::{Builder, Frame, Place, centred_par, heading_par, set_tag};
use crate::diag::Diagnostic;
use crate::doc::{self, Block, Definition, Inline, ListItem};
use crate::source::Span;
use crate::typeset::fonts::Variant;
use crate::typeset::galley::{Flow, FlowLine};
use crate::typeset::inline::{ParKey, ParStyle, Role, SetLine, TextStyle, Token};
use crate::typeset::page::{LinkTarget, OutlineEntry, Pt, Tag, TagKind};
use crate::typeset::shape::Features;

/// A destination id, with the outline entry it makes if it makes one.
pub(super) type Dest = (String, Option<OutlineEntry>);

impl Builder<'_, '_> {
    /// Sets a paragraph of body text (or of a note), indented after
    /// another paragraph in justified text.
    pub(super) fn para(&mut self, content: &[Inline], span: Span, frame: &Frame, after_para: bool) {
        let tokens = self.tokens(content, frame, true);
        let indent = if after_para && frame.justify && !frame.in_note {
            self.style.paragraph_indent * (frame.size / self.style.body_size)
        } else {
            Pt::ZERO
        };
        if !after_para && !self.flow_is_fresh() && !frame.in_note {
            self.flow.push(Flow::Space(frame.leading * 0.5));
        }
        let serial = self.par_serial;
        self.par_serial += 1;
        let par = ParStyle {
            measure: frame.measure,
            indent,
            justify: frame.justify,
            center: false,
            hyphenate: true,
            looseness: self.looseness.get(&serial).copied().unwrap_or(0),
        };
        // Body paragraphs come from the source and set alike in every
        // galley; generated ones (no source span) are set afresh.
        let lines = if span == Span::default() {
            self.inline.layout(&tokens, &par, self.warnings)
        } else {
            let key = ParKey::new(span, &par, &tokens);
            self.inline.layout_memo(key, &tokens, &par, self.warnings)
        };
        let tag = self.tag(TagKind::Paragraph);
        let at = Place::new(frame.x, frame.leading, frame.size);
        self.push_lines(lines, at, Some(serial), None, Some(&tag));
    }

    /// Sets a block quote, indented both sides, a size down outside notes;
    /// one of three lines or fewer is kept on one page.
    pub(super) fn block_quote(&mut self, blocks: &[Block], frame: &Frame) {
        let half = frame.leading * 0.5;
        let indent = self.style.body_size * 1.5;
        let qframe = Frame {
            x: frame.x + indent,
            measure: frame.measure - indent * 2.0,
            size: if frame.in_note {
                frame.size
            } else {
                self.style.quote_size
            },
            leading: if frame.in_note {
                frame.leading
            } else {
                self.style.quote_leading
            },
            ..*frame
        };
        self.flow.push(Flow::Space(half));
        let at = self.flow.len();
        self.open(TagKind::BlockQuote);
        self.blocks(blocks, &qframe);
        self.close();
        // A quotation of three lines or fewer is never split.
        let lines: Vec<usize> = (at..self.flow.len())
            .filter(|&i| matches!(self.flow[i], Flow::Line(_)))
            .collect();
        if lines.len() <= 3 {
            for &i in lines.iter().rev().skip(1) {
                if let Flow::Line(l) = &mut self.flow[i] {
                    l.keep_with_next = true;
                }
            }
        }
        self.flow.push(Flow::Space(half));
    }

    /// Sets a list: numbered from `start`, or bulleted, or with task boxes;
    /// `tight` lists have no space between items.
    pub(super) fn list(
        &mut self,
        start: Option<u64>,
        items: &[ListItem],
        tight: bool,
        frame: &Frame,
    ) {
        let half = frame.leading * 0.5;
        let indent = frame.size * 1.5;
        let iframe = Frame {
            x: frame.x + indent,
            measure: frame.measure - indent,
            ..*frame
        };
        self.flow.push(Flow::Space(half));
        self.open(TagKind::List {
            ordered: start.is_some(),
        });
        for (k, item) in items.iter().enumerate() {
            if k > 0 && !tight {
                self.flow.push(Flow::Space(half));
            }
            let label = match (start, item.task) {
                (_, Some(true)) => "☑".to_string(),
                (_, Some(false)) => "☐".to_string(),
                (Some(s), None) => format!("{}.", s + k as u64),
                (None, None) => "•".to_string(),
            };
            let at = self.flow.len();
            self.open(TagKind::ListItem);
            self.open(TagKind::ListBody);
            self.blocks(&item.blocks, &iframe);
            self.close();
            self.label(at, &label, frame, indent);
            self.close();
        }
        self.close();
        self.flow.push(Flow::Space(half));
    }

    /// Sets a definition list: each term in bold, kept with its
    /// definitions, which are indented.
    pub(super) fn definition_list(&mut self, items: &[Definition], frame: &Frame) {
        let half = frame.leading * 0.5;
        let indent = frame.size * 1.5;
        let dframe = Frame {
            x: frame.x + indent,
            measure: frame.measure - indent,
            ..*frame
        };
        self.open(TagKind::List { ordered: false });
        for item in items {
            self.flow.push(Flow::Space(half));
            self.open(TagKind::ListItem);
            let mut tokens = self.tokens(&item.term, frame, false);
            for t in &mut tokens {
                if let Token::Text { style, .. } = t {
                    let mut s = (**style).clone();
                    s.variant.bold = true;
                    *style = Rc::new(s);
                }
            }
            let term = self.tag(TagKind::Label);
            let at = Place::kept(frame.x, frame.leading, frame.size);
            self.set_ragged(&tokens, frame, at, None, &term);
            self.open(TagKind::ListBody);
            for def in &item.definitions {
                self.blocks(def, &dframe);
            }
            self.close();
            self.close();
        }
        self.close();
        self.flow.push(Flow::Space(half));
    }

    /// Puts a list label in the margin of the first line set since `at`.
    fn label(&mut self, at: usize, label: &str, frame: &Frame, indent: Pt) {
        let style = Rc::new(TextStyle {
            hyphenate: false,
            ..self.text_style(frame)
        });
        let tokens = Token::plain(label.to_string(), style, Span::default());
        let par = ParStyle {
            measure: indent * 4.0,
            indent: Pt::ZERO,
            justify: false,
            center: false,
            hyphenate: false,
            looseness: 0,
        };
        let mut set = self.inline.layout(&tokens, &par, self.warnings);
        let tag = self.tag(TagKind::Label);
        set_tag(&mut set, &tag);
        let Some(label_line) = set.into_iter().next() else {
            return;
        };
        let width = label_line
            .runs
            .iter()
            .map(|r| r.origin.x + r.width())
            .fold(Pt::ZERO, Pt::max);
        if let Some(Flow::Line(first)) = self.flow[at..]
            .iter_mut()
            .find(|f| matches!(f, Flow::Line(_)))
        {
            // Right-aligned in the indent, a third of an em from the text.
            let shift = -(width + frame.size * 0.4) - (first.x - frame.x - indent);
            for mut r in label_line.runs {
                r.origin.x += shift;
                first.line.runs.insert(0, r);
            }
        }
    }

    /// Adds set `lines` to the galley `at` their place: `serial` is the
    /// paragraph's (for widows, orphans and looseness), `dest` goes on the
    /// first line, `tag` on every run not tagged yet. The first marker of
    /// each note becomes a destination (the note links back to it).
    pub(super) fn push_lines(
        &mut self,
        lines: Vec<SetLine>,
        at: Place,
        serial: Option<u32>,
        mut dest: Option<Dest>,
        tag: Option<&Tag>,
    ) {
        let n = lines.len() as u32;
        // Spans' ids, on the line their text starts on: found by counting
        // letters and digits, which line breaking neither adds nor drops
        // (it adds hyphens and drops spaces).
        let mut spans = std::mem::take(&mut self.span_ready).into_iter().peekable();
        let mut before = 0;
        for (k, mut line) in lines.into_iter().enumerate() {
            if let Some(tag) = tag {
                set_tag(std::slice::from_mut(&mut line), tag);
            }
            let mut dests: Vec<Dest> = dest.take().into_iter().collect();
            dests.append(&mut self.raw_anchors);
            before += line
                .runs
                .iter()
                .map(|r| r.text.chars().filter(|c| c.is_alphanumeric()).count())
                .sum::<usize>();
            let last = k + 1 == n as usize;
            while let Some((id, _)) = spans.next_if(|(_, at)| *at < before || last) {
                dests.push((id, None));
            }
            for id in &line.notes {
                let d = note_ref_dest(*id);
                if !self.marked.contains(&d) {
                    self.marked.insert(d.clone());
                    self.marked_log.push(d.clone());
                    dests.push((d, None));
                }
            }
            self.flow.push(Flow::Line(FlowLine {
                line,
                x: at.x,
                leading: at.leading,
                ascent: at.size,
                keep_with_next: at.keep,
                par: serial.map(|_| (k as u32, n)),
                serial,
                dests,
            }));
        }
    }

    /// Turns inlines into styled tokens; note markers are numbered and their
    /// notes set on the way.
    pub(super) fn tokens(
        &mut self,
        inlines: &[Inline],
        frame: &Frame,
        hyphenate: bool,
    ) -> Vec<Token> {
        let base = Rc::new(TextStyle {
            hyphenate,
            ..self.text_style(frame)
        });
        let mut out = Vec::new();
        self.span_frames.push(Vec::new());
        self.collect(inlines, &base, &mut out);
        self.span_ready = self.span_frames.pop().unwrap_or_default();
        out
    }

    /// Adds the tokens of `inlines` in `style` (and what they change of it)
    /// to `out`.
    fn collect(&mut self, inlines: &[Inline], style: &Rc<TextStyle>, out: &mut Vec<Token>) {
        let with = |f: &dyn Fn(&mut TextStyle)| {
            let mut s = (**style).clone();
            f(&mut s);
            Rc::new(s)
        };
        for inline in inlines {
            match inline {
                Inline::Text { text, span } => out.push(Token::Text {
                    text: text.clone(),
                    style: style.clone(),
                    span: *span,
                    note: None,
                }),
                Inline::Emph { content, .. } => {
                    let s = with(&|s| s.variant.italic = !s.variant.italic);
                    self.collect(content, &s, out);
                }
                Inline::Strong { content, .. } => {
                    let s = with(&|s| s.variant.bold = true);
                    self.collect(content, &s, out);
                }
                Inline::Strikeout { content, .. } => {
                    let s = with(&|s| s.strike = true);
                    self.collect(content, &s, out);
                }
                Inline::Span { attrs, content, .. } => {
                    if let Some(id) = &attrs.id
                        && let Some(frame) = self.span_frames.last_mut()
                    {
                        frame.push((id.clone(), letters(out)));
                    }
                    // pandoc's `.smallcaps`: OpenType small capitals.
                    if attrs.classes.iter().any(|c| c == "smallcaps") {
                        let s = with(&|s| s.features.small_caps = true);
                        self.collect(content, &s, out);
                    } else {
                        self.collect(content, style, out);
                    }
                }
                Inline::Code { text, span } => {
                    let s = with(&|s| {
                        s.role = Role::Mono;
                        s.size = s.size * 0.88;
                        s.hyphenate = false;
                        s.features = Features {
                            no_ligatures: true,
                            ..Features::default()
                        };
                    });
                    out.push(Token::Text {
                        text: text.clone(),
                        style: s,
                        span: *span,
                        note: None,
                    });
                }
                Inline::Link {
                    target, content, ..
                } => {
                    let t = match target {
                        doc::Target::External(u) => LinkTarget::External(u.clone()),
                        doc::Target::Internal(id) => LinkTarget::Internal(id.clone()),
                    };
                    let s = with(&|s| s.link = Some(t.clone()));
                    self.collect(content, &s, out);
                }
                Inline::Image { alt, span, .. } => {
                    // An image inside running text: its alt text stands in.
                    let s = with(&|s| s.variant.italic = true);
                    out.push(Token::Text {
                        text: format!("[{alt}]"),
                        style: s,
                        span: *span,
                        note: None,
                    });
                }
                Inline::Note {
                    id, blocks, span, ..
                } => {
                    let number = self.note_number(*id, blocks);
                    let s = with(&|s| {
                        s.rise = s.size * 0.33;
                        s.size = s.size * 0.65;
                        s.hyphenate = false;
                        s.link = Some(LinkTarget::Internal(note_dest(*id)));
                    });
                    out.push(Token::Text {
                        text: number.to_string(),
                        style: s,
                        span: *span,
                        note: Some(*id),
                    });
                }
                Inline::SoftBreak { span } => out.push(Token::Text {
                    text: " ".into(),
                    style: style.clone(),
                    span: *span,
                    note: None,
                }),
                Inline::LineBreak { .. } => out.push(Token::LineBreak),
                Inline::Html { html, .. } if crate::html::only_comments(html) => {}
                Inline::Html { html, span } => {
                    self.raw_anchors(html);
                    self.warnings.push(
                        Diagnostic::warning("raw HTML is left out of print editions").at(*span),
                    );
                }
            }
        }
    }

    /// Sets `tokens` as headings are set (ragged, unhyphenated, on
    /// `frame`'s measure) and adds the lines `at` their place, with `dest`
    /// on the first, tagged `tag`.
    pub(super) fn set_ragged(
        &mut self,
        tokens: &[Token],
        frame: &Frame,
        at: Place,
        dest: Option<Dest>,
        tag: &Tag,
    ) {
        let lines = self
            .inline
            .layout(tokens, &heading_par(frame), self.warnings);
        self.push_lines(lines, at, None, dest, Some(tag));
    }

    /// Sets `text` centred on `frame`'s measure in `size` and `variant`,
    /// kept with what follows.
    pub(super) fn centred(
        &mut self,
        text: &str,
        size: Pt,
        variant: Variant,
        frame: &Frame,
        dest: Option<Dest>,
        tag: Option<&Tag>,
    ) {
        let style = Rc::new(TextStyle {
            size,
            variant,
            hyphenate: false,
            ..self.text_style(frame)
        });
        let tokens = Token::plain(text.to_string(), style, Span::default());
        let par = centred_par(frame);
        let lines = self.inline.layout(&tokens, &par, self.warnings);
        let at = Place::kept(frame.x, size * 1.25, size);
        self.push_lines(lines, at, None, dest, tag);
    }
}

/// How many letters and digits `tokens` hold.
fn letters(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .map(|t| match t {
            Token::Text { text, .. } => text.chars().filter(|c| c.is_alphanumeric()).count(),
            Token::LineBreak => 0,
        })
        .sum()
}
