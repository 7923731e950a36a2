//! Block layout: the book's chapters and blocks → the galley ([`Flow`]) that
//! `paginate.rs` cuts into pages. Headings, paragraphs, block quotes, lists,
//! code, thematic breaks, tables, definition lists and images each get their
//! measure, size and spacing here; the words themselves are set by
//! `inline.rs`. Footnote bodies are set when their first marker is met and
//! handed to the paginator with their lines.

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use super::fonts::Variant;
use super::galley::{Flow, FlowLine, PageStart};
use super::inline::{InlineLayout, ParKey, ParStyle, Role, SetLine, TextStyle, Token};
use super::page::{LinkTarget, Numbering, OutlineEntry, Pt, Tag, TagKind};
use super::shape::Features;
use crate::diag::{Diagnostic, Warnings};
use crate::doc::{self, Block, Chapter, Inline, Matter, NoteId};
use crate::files::{BookFiles, Cap};
use crate::image::{ImageType, Picture};
use crate::source::Span;
use crate::style::{NoteNumbering, NotePlacement, PrintStyle};

/// Builds the galley.
pub struct Builder<'a, 'f> {
    /// Paragraph setter.
    pub inline: InlineLayout<'f>,
    style: &'a PrintStyle,
    assets: &'a BookFiles,
    /// The galley so far.
    pub flow: Vec<Flow>,
    /// Set footnotes by id.
    pub notes: HashMap<NoteId, Vec<FlowLine>>,
    note_numbers: HashMap<NoteId, u32>,
    note_counter: u32,
    marked: std::collections::HashSet<String>,
    /// Notes set for the end of the chapter (or book), not the page foot.
    endnotes: Vec<FlowLine>,
    /// The book's notes gathered for its end, by chapter.
    booknotes: Vec<(String, Vec<FlowLine>)>,
    /// Paragraphs set so far (their serial numbers).
    par_serial: u32,
    /// Looseness asked of paragraphs, by serial number (see `typeset`).
    pub looseness: HashMap<u32, i32>,
    warnings: &'a mut Warnings,
    /// The structure containers open where blocks are being set (for
    /// tagged PDF), outermost first.
    structure: Vec<(TagKind, u32)>,
    /// How many of `structure` are the part and chapter: a note's
    /// container sits right under them.
    section_depth: usize,
    /// Structure groups made so far (the last group number).
    groups: u32,
    /// Notes in the order they were numbered, and note references in the
    /// order they were marked: what a [`Resume`] counts, to set one
    /// chapter again.
    note_log: Vec<(NoteId, u32)>,
    marked_log: Vec<String>,
    /// Heading levels added in the tag tree: 1 in a chapter of a part
    /// (the part's title is the H1, the chapter's an H2), else 0.
    heading_base: u8,
}

/// Where a builder stood before a chapter, so that the chapter alone can be
/// set again (see [`Builder::resume`]): its counters, the open structure
/// containers, and how many notes and note references came before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    note_counter: u32,
    par_serial: u32,
    groups: u32,
    structure: Vec<(TagKind, u32)>,
    section_depth: usize,
    notes_before: usize,
    marked_before: usize,
}

/// What a builder made: the paragraph setter, the galley, the set notes,
/// and the logs a [`Resume`] points into.
pub struct Parts<'f> {
    /// The paragraph setter (with its caches and memo).
    pub inline: InlineLayout<'f>,
    /// The galley.
    pub flow: Vec<Flow>,
    /// Set footnotes by id.
    pub notes: HashMap<NoteId, Vec<FlowLine>>,
    /// Notes in the order they were numbered.
    pub note_log: Vec<(NoteId, u32)>,
    /// Note references in the order they were marked.
    pub marked_log: Vec<String>,
}

/// Where set lines go in the galley: left offset, leading and size, and
/// whether they keep with what follows (headings, terms).
#[derive(Debug, Clone, Copy)]
struct Place {
    x: Pt,
    leading: Pt,
    size: Pt,
    keep: bool,
}

impl Place {
    /// Lines at `x` kept with what follows.
    fn kept(x: Pt, leading: Pt, size: Pt) -> Self {
        Place {
            x,
            leading,
            size,
            keep: true,
        }
    }
}

/// A place in the build of a galley: see [`Builder::mark`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// Galley items so far.
    pub flow: usize,
    notes: u32,
    pars: u32,
    groups: u32,
    open: usize,
}

impl Mark {
    /// Whether two builders stand alike here but for their galleys' length.
    pub fn same_counters(&self, other: &Mark) -> bool {
        Mark { flow: 0, ..*self } == Mark { flow: 0, ..*other }
    }
}

/// One line of the contents.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentsEntry {
    /// The title as shown (with its number).
    pub title: String,
    /// The destination id it links to.
    pub id: String,
    /// 0 for parts and unnested chapters, 1 for chapters in parts.
    pub level: u8,
    /// The page label, once known.
    pub page: Option<String>,
}

/// Where a block is set: left offset, measure and text sizes.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x: Pt,
    measure: Pt,
    size: Pt,
    leading: Pt,
    justify: bool,
    /// Set footnotes, not body text.
    in_note: bool,
}

impl<'a, 'f> Builder<'a, 'f> {
    /// A builder for one book.
    pub fn new(
        inline: InlineLayout<'f>,
        style: &'a PrintStyle,
        assets: &'a BookFiles,
        warnings: &'a mut Warnings,
    ) -> Self {
        Builder {
            inline,
            style,
            assets,
            flow: Vec::new(),
            notes: HashMap::new(),
            note_numbers: HashMap::new(),
            note_counter: 0,
            marked: Default::default(),
            endnotes: Vec::new(),
            booknotes: Vec::new(),
            par_serial: 0,
            looseness: HashMap::new(),
            warnings,
            structure: Vec::new(),
            section_depth: 0,
            groups: 0,
            note_log: Vec::new(),
            marked_log: Vec::new(),
            heading_base: 0,
        }
    }

    /// Where the builder stands before a chapter: see [`Resume`].
    pub fn resume_point(&self) -> Resume {
        Resume {
            note_counter: self.note_counter,
            par_serial: self.par_serial,
            groups: self.groups,
            structure: self.structure.clone(),
            section_depth: self.section_depth,
            notes_before: self.note_log.len(),
            marked_before: self.marked_log.len(),
        }
    }

    /// A builder that stands where another stood at `from`, with an empty
    /// galley: the next chapter it sets comes out as that one's did (bar
    /// what its looseness changes). `note_log` and `marked_log` are the
    /// other builder's.
    pub fn resume(
        inline: InlineLayout<'f>,
        style: &'a PrintStyle,
        assets: &'a BookFiles,
        warnings: &'a mut Warnings,
        from: &Resume,
        note_log: &[(NoteId, u32)],
        marked_log: &[String],
    ) -> Self {
        let mut b = Builder::new(inline, style, assets, warnings);
        b.note_counter = from.note_counter;
        b.par_serial = from.par_serial;
        b.groups = from.groups;
        b.structure = from.structure.clone();
        b.section_depth = from.section_depth;
        b.note_log = note_log[..from.notes_before.min(note_log.len())].to_vec();
        b.note_numbers = b.note_log.iter().copied().collect();
        b.marked_log = marked_log[..from.marked_before.min(marked_log.len())].to_vec();
        b.marked = b.marked_log.iter().cloned().collect();
        b
    }

    /// Opens a structure container; blocks set until [`Self::close`] sit
    /// in it.
    fn open(&mut self, kind: TagKind) {
        self.groups += 1;
        self.structure.push((kind, self.groups));
    }

    /// Closes the innermost structure container.
    fn close(&mut self) {
        self.structure.pop();
    }

    /// A new structure element in the open containers.
    fn tag(&mut self, kind: TagKind) -> Tag {
        self.groups += 1;
        Tag {
            kind,
            group: self.groups,
            parents: Arc::from(self.structure.as_slice()),
        }
    }

    /// Opens a chapter-level section (a chapter, or the book's notes),
    /// closing whatever is open but a part.
    fn open_section(&mut self, kind: TagKind) {
        self.structure.truncate(usize::from(
            self.structure.first().is_some_and(|s| s.0 == TagKind::Part),
        ));
        self.open(kind);
        self.section_depth = self.structure.len();
    }

    /// Ends the part whose chapters have been set.
    pub fn end_part(&mut self) {
        self.structure.clear();
        self.section_depth = 0;
        self.heading_base = 0;
    }

    fn body_frame(&self) -> Frame {
        Frame {
            x: Pt::ZERO,
            measure: self.style.measure(),
            size: self.style.body_size,
            leading: self.style.leading,
            justify: self.style.justify,
            in_note: false,
        }
    }

    fn text_style(&self, frame: &Frame) -> TextStyle {
        TextStyle {
            role: Role::Body,
            variant: Variant::default(),
            size: frame.size,
            features: Features {
                oldstyle: self.style.oldstyle_figures,
                ..Features::default()
            },
            rise: Pt::ZERO,
            link: None,
            hyphenate: true,
            strike: false,
        }
    }

    fn page_start(&mut self, start: PageStart) {
        self.flow.push(Flow::PageStart(start));
    }

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
            head: Some("Contents".into()),
        });
        let (_, h) = self.style.page.dimensions();
        self.flow.push(Flow::Sink(h / 8.0));
        let frame = self.body_frame();
        let size = self.style.body_size * 1.4;
        self.open_section(TagKind::Chapter);
        let heading = self.tag(TagKind::Heading(1));
        self.centred(
            "Contents",
            size,
            Variant::default(),
            &frame,
            Some(("contents".into(), None)),
            Some(&heading),
        );
        self.open(TagKind::Contents);
        self.flow.push(Flow::Space(self.style.leading * 1.5));
        let size = self.style.body_size;
        let leading = self.style.leading;
        let plain = Rc::new(TextStyle {
            hyphenate: false,
            size,
            ..self.text_style(&frame)
        });
        // One leader dot, set once; leaders repeat it on a grid common to
        // all lines so the dots line up down the page.
        let dot = self
            .inline
            .layout(
                &Token::plain(".", plain.clone(), Span::default()),
                &heading_par(&frame),
                self.warnings,
            )
            .into_iter()
            .next()
            .and_then(|l| l.runs.into_iter().next());
        // Close leaders: dots a twelfth of an em apart, so the eye reads a
        // line, not a row of words.
        let pitch = dot
            .as_ref()
            .and_then(|d| d.glyphs.first())
            .map_or(size * 0.3, |g| Pt(f64::from(g.advance)) + size / 12.0);
        let reserve = size * 3.0;
        for (k, entry) in entries.iter().enumerate() {
            let indent = self.style.body_size * 1.5 * f64::from(entry.level);
            if entry.level == 0 && k > 0 {
                self.flow.push(Flow::Space(leading * 0.5));
            }
            let style = if entry.level == 0 && entries.iter().any(|e| e.level > 0) {
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
            let tokens = Token::plain(entry.title.clone(), style, Span::default());
            // A title that turns over hangs its second line by an em and
            // a half, so the entry's start stands out.
            let hang = size * 1.5;
            let par = ParStyle {
                measure: frame.measure - indent - hang - reserve,
                ..heading_par(&frame)
            };
            let mut lines = self.inline.layout(&tokens, &par, self.warnings);
            // Title and page number are the entry; the leaders are not.
            let tag = self.tag(TagKind::ContentsEntry);
            set_tag(&mut lines, &tag);
            let label = entry.page.clone().unwrap_or_else(|| "00".into());
            let number = self
                .inline
                .layout(
                    &Token::plain(label, plain.clone(), Span::default()),
                    &heading_par(&frame),
                    self.warnings,
                )
                .into_iter()
                .next()
                .unwrap_or_default();
            let number = {
                let mut one = [number];
                set_tag(&mut one, &tag);
                let [number] = one;
                number
            };
            let nw = super::paginate::line_width(&number);
            let n = lines.len();
            for (i, line) in lines.iter_mut().enumerate() {
                if i + 1 < n {
                    continue;
                }
                let start = if i == 0 { indent } else { indent + hang };
                let tw = super::paginate::line_width(line);
                // The number, flush right on the measure.
                let right = frame.measure - start;
                for mut r in number.runs.clone() {
                    r.origin.x += right - nw;
                    line.runs.push(r);
                }
                // Leaders between, on the pitch grid, a space clear of both.
                if let Some(dot) = &dot {
                    let from = start + tw + size * 0.25;
                    let to = start + right - nw - size * 0.25;
                    let mut x = Pt((from.0 / pitch.0).ceil() * pitch.0);
                    let mut run = dot.clone();
                    run.origin.x = x - start;
                    let mut glyphs = Vec::new();
                    let mut text = String::new();
                    if let Some(g) = dot.glyphs.first() {
                        while x + Pt(f64::from(g.advance)) <= to {
                            let at = text.len() as u32;
                            text.push('.');
                            glyphs.push(super::page::Glyph {
                                advance: pitch.0 as f32,
                                text: (at, at + 1),
                                ..*g
                            });
                            x += pitch;
                        }
                    }
                    run.glyphs = glyphs.into();
                    run.text = text.into();
                    if !run.glyphs.is_empty() {
                        line.runs.push(run);
                    }
                }
                line.links.push((
                    super::page::Rect {
                        x: Pt::ZERO,
                        y: -size,
                        width: right,
                        height: leading,
                    },
                    LinkTarget::Internal(entry.id.clone()),
                ));
            }
            for (i, line) in lines.into_iter().enumerate() {
                let start = if i == 0 { indent } else { indent + hang };
                self.push_lines(vec![line], start, leading, size, false, None, None, None);
            }
        }
        self.structure.clear();
        self.section_depth = 0;
    }

    /// Sets `tokens` as headings are set (ragged, unhyphenated, on
    /// `frame`'s measure) and adds the lines `at` their place, with `dest`
    /// on the first, tagged `tag`.
    fn set_ragged(
        &mut self,
        tokens: &[Token],
        frame: &Frame,
        at: Place,
        dest: Option<(String, Option<OutlineEntry>)>,
        tag: &Tag,
    ) {
        let lines = self
            .inline
            .layout(tokens, &heading_par(frame), self.warnings);
        self.push_lines(
            lines,
            at.x,
            at.leading,
            at.size,
            at.keep,
            None,
            dest,
            Some(tag),
        );
    }

    fn centred(
        &mut self,
        text: &str,
        size: Pt,
        variant: Variant,
        frame: &Frame,
        dest: Option<(String, Option<OutlineEntry>)>,
        tag: Option<&Tag>,
    ) {
        let style = Rc::new(TextStyle {
            size,
            variant,
            hyphenate: false,
            ..self.text_style(frame)
        });
        let tokens = Token::plain(text.to_string(), style, Span::default());
        let par = ParStyle {
            measure: frame.measure,
            indent: Pt::ZERO,
            justify: false,
            center: true,
            hyphenate: false,
            looseness: 0,
        };
        let lines = self.inline.layout(&tokens, &par, self.warnings);
        self.push_lines(lines, frame.x, size * 1.25, size, true, None, dest, tag);
    }

    /// Where the builder stands: its galley's length and the counters the
    /// rest of the book continues from. Two builds of the same front
    /// matter that end at the same mark can stand in for each other.
    pub fn mark(&self) -> Mark {
        Mark {
            flow: self.flow.len(),
            notes: self.note_counter,
            pars: self.par_serial,
            groups: self.groups,
            open: self.structure.len(),
        }
    }

    /// What the builder made.
    pub fn into_parts(self) -> Parts<'f> {
        Parts {
            inline: self.inline,
            flow: self.flow,
            notes: self.notes,
            note_log: self.note_log,
            marked_log: self.marked_log,
        }
    }

    /// Starts a part: a page of its own with its title, then its intro.
    pub fn part(&mut self, part: &doc::Part, numbering: Option<Numbering>) {
        self.page_start(PageStart {
            numbering,
            recto: self.style.recto_chapters,
            opening: true,
            no_folio: true,
            head: None,
        });
        let (_, h) = self.style.page.dimensions();
        self.flow.push(Flow::Sink(h * 0.2));
        let frame = self.body_frame();
        let title = doc::plain_text(&part.title);
        self.structure.clear();
        self.open(TagKind::Part);
        self.section_depth = self.structure.len();
        let heading = self.tag(TagKind::Heading(1));
        self.centred(
            &format!("Part {}", part.number),
            self.style.body_size * 1.2,
            Variant {
                italic: true,
                bold: false,
            },
            &frame,
            Some((
                part.id.clone(),
                Some(OutlineEntry {
                    level: 1,
                    title: format!("Part {}: {title}", part.number),
                }),
            )),
            Some(&heading),
        );
        self.flow.push(Flow::Space(self.style.leading));
        self.centred(
            &title,
            self.style.body_size * 1.8,
            Variant::default(),
            &frame,
            None,
            Some(&heading),
        );
        if !part.intro.is_empty() {
            // The part's introduction follows its title page, on a page of
            // its own.
            self.page_start(PageStart {
                numbering: None,
                recto: false,
                opening: false,
                no_folio: false,
                head: Some(title.clone()),
            });
            if self.style.note_numbering == NoteNumbering::PerChapter {
                self.note_counter = 0;
            }
            self.blocks(&part.intro, &frame);
            self.end_notes(&title);
        }
    }

    /// Sets a chapter: a new page, its opening, its blocks.
    pub fn chapter(&mut self, chapter: &Chapter, outline_level: u8, numbering: Option<Numbering>) {
        self.page_start(PageStart {
            numbering,
            recto: self.style.recto_chapters,
            opening: true,
            no_folio: false,
            head: Some(doc::plain_text(&chapter.title)),
        });
        if self.style.note_numbering == NoteNumbering::PerChapter {
            self.note_counter = 0;
        }
        let (_, h) = self.style.page.dimensions();
        // Chapter sink: openings start a sixth of the way down the page.
        self.flow.push(Flow::Sink(h / 6.0));
        let frame = self.body_frame();
        let title = doc::plain_text(&chapter.title);
        self.open_section(TagKind::Chapter);
        self.heading_base = outline_level.saturating_sub(1);
        let heading = self.tag(TagKind::Heading(1 + self.heading_base));
        let outline = OutlineEntry {
            level: outline_level,
            title: match (chapter.matter, chapter.number) {
                (Matter::Body, Some(n)) => format!("{n}. {title}"),
                _ => title.clone(),
            },
        };
        let mut dest = Some((chapter.id.clone(), Some(outline)));
        if let (Matter::Body, Some(n)) = (chapter.matter, chapter.number) {
            // Set above 1.35 em, so it reads (and measures) as a heading.
            let size = self.style.body_size * 1.4;
            let style = Rc::new(TextStyle {
                size,
                hyphenate: false,
                features: Features {
                    small_caps: true,
                    ..Features::default()
                },
                ..self.text_style(&frame)
            });
            let tokens = Token::plain(format!("chapter {n}"), style, chapter.span);
            let at = Place::kept(frame.x, size * 1.2, size);
            self.set_ragged(&tokens, &frame, at, dest.take(), &heading);
            self.flow.push(Flow::Space(self.style.leading * 0.5));
        }
        let size = self.style.body_size * 1.7;
        let tframe = Frame {
            size,
            leading: size * 1.2,
            ..frame
        };
        let tokens = self.tokens(&chapter.title, &tframe, false);
        let at = Place::kept(frame.x, size * 1.2, size);
        self.set_ragged(&tokens, &frame, at, dest, &heading);
        self.flow.push(Flow::Space(self.style.leading * 2.0));
        self.blocks(&chapter.blocks, &frame);
        self.end_notes(&title);
        self.structure.truncate(self.section_depth - 1);
    }

    /// Notes set for the chapter's end: under a heading after its text, or
    /// kept for the book's end.
    fn end_notes(&mut self, title: &str) {
        let lines = std::mem::take(&mut self.endnotes);
        if lines.is_empty() {
            return;
        }
        match self.style.note_placement {
            NotePlacement::Page => {}
            NotePlacement::ChapterEnd => {
                self.flow.push(Flow::Space(self.style.leading));
                self.small_heading("Notes");
                self.flow.extend(lines.into_iter().map(Flow::Line));
            }
            NotePlacement::BookEnd => self.booknotes.push((title.to_string(), lines)),
        }
    }

    /// The book's notes, by chapter, as a back-matter chapter of their own.
    pub fn book_notes(&mut self) {
        let groups = std::mem::take(&mut self.booknotes);
        if groups.is_empty() {
            return;
        }
        self.page_start(PageStart {
            numbering: None,
            recto: self.style.recto_chapters,
            opening: true,
            no_folio: false,
            head: Some("Notes".into()),
        });
        let (_, h) = self.style.page.dimensions();
        self.flow.push(Flow::Sink(h / 6.0));
        let frame = self.body_frame();
        self.end_part();
        self.open_section(TagKind::Chapter);
        let heading = self.tag(TagKind::Heading(1));
        self.centred(
            "Notes",
            self.style.body_size * 1.7,
            Variant::default(),
            &frame,
            Some((
                "book-notes".into(),
                Some(OutlineEntry {
                    level: 1,
                    title: "Notes".into(),
                }),
            )),
            Some(&heading),
        );
        self.flow.push(Flow::Space(self.style.leading * 2.0));
        // The notes were set in their chapters; in the structure they move
        // here, where they are read.
        let here: Arc<[(TagKind, u32)]> = Arc::from(self.structure.as_slice());
        for (title, mut lines) in groups {
            self.flow.push(Flow::Space(self.style.leading));
            self.small_heading(&title);
            for run in lines.iter_mut().flat_map(|l| l.line.runs.iter_mut()) {
                if let Some(tag) = &mut run.tag {
                    let inner = tag.parents.iter().skip_while(|p| p.0 != TagKind::Note);
                    tag.parents = here.iter().chain(inner).copied().collect();
                }
            }
            self.flow.extend(lines.into_iter().map(Flow::Line));
        }
        self.end_part();
    }

    fn small_heading(&mut self, text: &str) {
        let frame = self.body_frame();
        let style = Rc::new(TextStyle {
            variant: Variant {
                bold: true,
                italic: false,
            },
            hyphenate: false,
            ..self.text_style(&frame)
        });
        let tokens = Token::plain(text.to_string(), style, Span::default());
        let tag = self.tag(TagKind::Heading(2 + self.heading_base));
        let at = Place::kept(Pt::ZERO, self.style.leading, self.style.body_size);
        self.set_ragged(&tokens, &frame, at, None, &tag);
        self.flow.push(Flow::Space(self.style.leading * 0.5));
    }

    fn blocks(&mut self, blocks: &[Block], frame: &Frame) {
        let mut prev_para = false;
        for (i, block) in blocks.iter().enumerate() {
            let first = i == 0;
            prev_para = self.block(block, frame, prev_para && !first);
        }
    }

    /// Sets one block; returns whether it was a paragraph (for indents).
    fn block(&mut self, block: &Block, frame: &Frame, after_para: bool) -> bool {
        let half = frame.leading * 0.5;
        match block {
            Block::Para { content, span } => {
                if let [Inline::Image { src, alt, span, .. }] = content.as_slice() {
                    self.image(src, alt, *span, frame);
                    return false;
                }
                let tokens = self.tokens(content, frame, true);
                let indent = if after_para && frame.justify && !frame.in_note {
                    self.style.paragraph_indent * (frame.size / self.style.body_size)
                } else {
                    Pt::ZERO
                };
                if !after_para && !self.flow_is_fresh() && !frame.in_note {
                    self.flow.push(Flow::Space(half));
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
                let lines = if *span == Span::default() {
                    self.inline.layout(&tokens, &par, self.warnings)
                } else {
                    let key = ParKey::new(*span, &par, &tokens);
                    self.inline.layout_memo(key, &tokens, &par, self.warnings)
                };
                let tag = self.tag(TagKind::Paragraph);
                self.push_lines(
                    lines,
                    frame.x,
                    frame.leading,
                    frame.size,
                    false,
                    Some(serial),
                    None,
                    Some(&tag),
                );
                true
            }
            Block::Heading {
                level, id, content, ..
            } => {
                let size = match level {
                    1 | 2 => frame.size * 1.2,
                    _ => frame.size,
                };
                let variant = match level {
                    1..=3 => Variant {
                        bold: true,
                        italic: false,
                    },
                    _ => Variant {
                        bold: false,
                        italic: true,
                    },
                };
                let hframe = Frame { size, ..*frame };
                let mut tokens = self.tokens(content, &hframe, false);
                // Section headings in caps and small caps (`smcp`, lower case
                // only) when the style asks: the old book convention that
                // marks a heading by its letters rather than its weight.
                let small_caps = self.style.heading_small_caps;
                for t in &mut tokens {
                    if let Token::Text { style, .. } = t {
                        let mut s = (**style).clone();
                        if small_caps {
                            s.features.small_caps = true;
                        } else {
                            s.variant.bold |= variant.bold;
                            s.variant.italic |= variant.italic;
                        }
                        *style = Rc::new(s);
                    }
                }
                self.flow.push(Flow::Space(frame.leading));
                let outline = OutlineEntry {
                    level: 1 + *level,
                    title: doc::plain_text(content),
                };
                // The chapter's title is its one H1 (H2 in a part, under
                // the part's); its headings nest below, at their Markdown
                // level.
                let base = self.heading_base;
                let tag = self.tag(TagKind::Heading((*level + base).clamp(2 + base, 6)));
                let at = Place::kept(frame.x, frame.leading, size);
                let dest = Some((id.clone(), Some(outline)));
                self.set_ragged(&tokens, frame, at, dest, &tag);
                self.flow.push(Flow::Space(half));
                false
            }
            Block::BlockQuote { blocks, .. } => {
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
                false
            }
            Block::List {
                start,
                items,
                tight,
                ..
            } => {
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
                false
            }
            Block::DefinitionList { items, .. } => {
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
                false
            }
            Block::CodeBlock { text, span, .. } => {
                self.code(text, *span, frame);
                false
            }
            Block::Table {
                align: _,
                head,
                rows,
                span,
            } => {
                self.table(head, rows, *span, frame);
                false
            }
            Block::ThematicBreak { .. } => {
                self.flow.push(Flow::Space(frame.leading * 0.5));
                let style = Rc::new(self.text_style(frame));
                let tokens = Token::plain(
                    "*\u{a0}\u{a0}\u{a0}*\u{a0}\u{a0}\u{a0}*",
                    style,
                    block.span(),
                );
                let par = ParStyle {
                    center: true,
                    ..heading_par(frame)
                };
                let lines = self.inline.layout(&tokens, &par, self.warnings);
                // An ornament: not read out.
                self.push_lines(
                    lines,
                    frame.x,
                    frame.leading,
                    frame.size,
                    false,
                    None,
                    None,
                    None,
                );
                self.flow.push(Flow::Space(frame.leading * 0.5));
                false
            }
            Block::Html { span, .. } => {
                self.warnings
                    .push(Diagnostic::warning("raw HTML is left out of print editions").at(*span));
                after_para
            }
        }
    }

    fn flow_is_fresh(&self) -> bool {
        matches!(
            self.flow.last(),
            None | Some(Flow::Space(_) | Flow::Sink(_) | Flow::PageStart(_))
        )
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

    #[allow(clippy::too_many_arguments)]
    fn push_lines(
        &mut self,
        lines: Vec<SetLine>,
        x: Pt,
        leading: Pt,
        size: Pt,
        keep: bool,
        par: Option<u32>,
        mut dest: Option<(String, Option<OutlineEntry>)>,
        tag: Option<&Tag>,
    ) {
        let n = lines.len() as u32;
        for (k, mut line) in lines.into_iter().enumerate() {
            if let Some(tag) = tag {
                set_tag(std::slice::from_mut(&mut line), tag);
            }
            let mut dests: Vec<(String, Option<OutlineEntry>)> = dest.take().into_iter().collect();
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
                x,
                leading,
                ascent: size,
                keep_with_next: keep,
                par: par.map(|_| (k as u32, n)),
                serial: par,
                dests,
            }));
        }
    }

    /// Turns inlines into styled tokens; note markers are numbered and their
    /// notes set on the way.
    fn tokens(&mut self, inlines: &[Inline], frame: &Frame, hyphenate: bool) -> Vec<Token> {
        let base = Rc::new(TextStyle {
            hyphenate,
            ..self.text_style(frame)
        });
        let mut out = Vec::new();
        self.collect(inlines, &base, &mut out);
        out
    }

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
                    let number = match self.note_numbers.get(id) {
                        Some(&n) => n,
                        None => {
                            self.note_counter += 1;
                            let n = self.note_counter;
                            self.note_numbers.insert(*id, n);
                            self.note_log.push((*id, n));
                            self.set_note(*id, n, blocks);
                            n
                        }
                    };
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
                Inline::Html { span, .. } => {
                    self.warnings.push(
                        Diagnostic::warning("raw HTML is left out of print editions").at(*span),
                    );
                }
            }
        }
    }

    fn set_note(&mut self, id: NoteId, number: u32, blocks: &[Block]) {
        let frame = Frame {
            x: Pt::ZERO,
            measure: self.style.measure(),
            size: self.style.note_size,
            leading: self.style.note_leading,
            justify: self.style.justify,
            in_note: true,
        };
        // Set the note's blocks into a side galley, and in the structure
        // right under the chapter, whatever block its marker is in. A note
        // it cites is set (and gathered for the end) while it is: its
        // lines go after this note's, where `at` keeps the place.
        let at = self.endnotes.len();
        let saved = std::mem::take(&mut self.flow);
        let saved_structure = self.structure.clone();
        self.structure.truncate(self.section_depth);
        self.open(TagKind::Note);
        // The note number, superior, linking back to the text.
        let marker = Rc::new(TextStyle {
            rise: frame.size * 0.33,
            size: frame.size * 0.7,
            hyphenate: false,
            link: Some(LinkTarget::Internal(note_ref_dest(id))),
            ..self.text_style(&frame)
        });
        let mut first = true;
        for block in blocks {
            if first && let Block::Para { content, .. } = block {
                let mut tokens =
                    Token::plain(format!("{number}\u{2002}"), marker.clone(), block.span());
                tokens.extend(self.tokens(content, &frame, true));
                let par = ParStyle {
                    measure: frame.measure,
                    indent: Pt::ZERO,
                    justify: frame.justify,
                    center: false,
                    hyphenate: true,
                    looseness: 0,
                };
                // The key's content covers the number: a note numbered
                // otherwise is set anew.
                let span = block.span();
                let mut lines = if span == Span::default() {
                    self.inline.layout(&tokens, &par, self.warnings)
                } else {
                    let key = ParKey::new(span, &par, &tokens);
                    self.inline.layout_memo(key, &tokens, &par, self.warnings)
                };
                // The number is the note's label, the rest its paragraph.
                let label = self.tag(TagKind::Label);
                if let Some(run) = lines.first_mut().and_then(|l| l.runs.first_mut())
                    && run.text.trim() == number.to_string()
                {
                    run.tag = Some(label);
                }
                let tag = self.tag(TagKind::Paragraph);
                self.push_lines(
                    lines,
                    Pt::ZERO,
                    frame.leading,
                    frame.size,
                    false,
                    None,
                    None,
                    Some(&tag),
                );
            } else {
                self.block(block, &frame, !first);
            }
            first = false;
        }
        let note_flow = std::mem::replace(&mut self.flow, saved);
        self.structure = saved_structure;
        let mut lines: Vec<FlowLine> = note_flow
            .into_iter()
            .filter_map(|f| match f {
                Flow::Line(mut l) => {
                    // Notes are set on a fixed grid at the note leading.
                    l.leading = frame.leading;
                    Some(l)
                }
                _ => None,
            })
            .collect();
        if let Some(first) = lines.first_mut() {
            first.dests.push((note_dest(id), None));
        }
        if self.style.note_placement == NotePlacement::Page {
            self.notes.insert(id, lines);
        } else {
            // Notes at the end are paragraphs of the galley: no widows.
            let n = lines.len() as u32;
            for (k, l) in lines.iter_mut().enumerate() {
                l.par = Some((k as u32, n));
            }
            if let Some(first) = lines.first_mut() {
                first.leading = self.style.leading * 0.5 + self.style.note_leading;
            }
            let at = at.min(self.endnotes.len());
            self.endnotes.splice(at..at, lines);
        }
    }

    fn code(&mut self, text: &str, span: Span, frame: &Frame) {
        let size = if frame.in_note {
            frame.size * 0.9
        } else {
            self.style.code_size
        };
        let leading = if frame.in_note {
            frame.leading
        } else {
            self.style.code_leading
        };
        let style = Rc::new(TextStyle {
            role: Role::Mono,
            size,
            hyphenate: false,
            features: Features {
                no_ligatures: true,
                ..Features::default()
            },
            ..self.text_style(frame)
        });
        let indent = frame.size;
        let measure = frame.measure - indent;
        self.flow.push(Flow::Space(frame.leading * 0.5));
        // Monospace: the advance of one character decides how many fit.
        let chain = self.inline.chain(Role::Mono, Variant::default());
        let adv = self
            .inline
            .shaper
            .shape("0", chain[0], style.features)
            .width
            * size.0;
        let per_line = ((measure.0 / adv).floor() as usize).max(8);
        let tag = self.tag(TagKind::Code);
        let mut pieces = Vec::new();
        for source_line in text.trim_end_matches('\n').split('\n') {
            let expanded = source_line.replace('\t', "    ");
            let chars: Vec<char> = expanded.chars().collect();
            if chars.len() <= per_line {
                pieces.push(expanded);
                continue;
            }
            // Over-long lines break at the measure; continuations start
            // with a hooked arrow so a reader knows the line goes on.
            let mut rest = &chars[..];
            let mut first = true;
            while !rest.is_empty() {
                let room = if first { per_line } else { per_line - 2 };
                let take = rest.len().min(room);
                let mut line: String = if first { String::new() } else { "↪ ".into() };
                line.extend(&rest[..take]);
                pieces.push(line);
                rest = &rest[take..];
                first = false;
            }
        }
        for piece in pieces {
            // Spaces in code are kept exactly: no-break spaces never stretch.
            let text = piece.replace(' ', "\u{a0}");
            let tokens = Token::plain(
                if text.is_empty() {
                    "\u{a0}".into()
                } else {
                    text
                },
                style.clone(),
                span,
            );
            let par = ParStyle {
                measure: measure * 2.0,
                indent: Pt::ZERO,
                justify: false,
                center: false,
                hyphenate: false,
                looseness: 0,
            };
            let lines = self.inline.layout(&tokens, &par, self.warnings);
            self.push_lines(
                lines,
                frame.x + indent,
                leading,
                size,
                false,
                None,
                None,
                Some(&tag),
            );
        }
        self.flow.push(Flow::Space(frame.leading * 0.5));
    }

    fn table(
        &mut self,
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        _span: Span,
        frame: &Frame,
    ) {
        let size = frame.size * 0.9;
        let tframe = Frame {
            size,
            leading: frame.leading * 0.9,
            justify: false,
            ..*frame
        };
        let ncols = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let gap = size;
        // Natural width of each column: its widest cell on one line.
        let mut natural = vec![Pt::ZERO; ncols];
        let all_rows: Vec<(&[Vec<Inline>], bool)> = std::iter::once((head, true))
            .chain(rows.iter().map(|r| (r.as_slice(), false)))
            .collect();
        for (row, _) in &all_rows {
            for (c, cell) in row.iter().enumerate() {
                let tokens = self.tokens(cell, &tframe, false);
                let par = ParStyle {
                    measure: Pt(1e5),
                    indent: Pt::ZERO,
                    justify: false,
                    center: false,
                    hyphenate: false,
                    looseness: 0,
                };
                let lines = self.inline.layout(&tokens, &par, self.warnings);
                let w = lines
                    .iter()
                    .flat_map(|l| l.runs.iter().map(|r| r.origin.x + r.width()))
                    .fold(Pt::ZERO, Pt::max);
                natural[c] = natural[c].max(w);
            }
        }
        let avail = frame.measure - gap * (ncols as f64 - 1.0);
        let total: Pt = natural.iter().copied().sum();
        let widths: Vec<Pt> = if total <= avail {
            natural.clone()
        } else {
            // Share the measure in proportion to the square root of the
            // natural widths, so one long column does not starve the others.
            let weights: Vec<f64> = natural.iter().map(|w| w.0.max(1.0).sqrt()).collect();
            let sum: f64 = weights.iter().sum();
            weights.iter().map(|w| avail * (w / sum)).collect()
        };
        self.flow.push(Flow::Space(frame.leading * 0.5));
        let rule_width = widths.iter().copied().sum::<Pt>() + gap * (ncols as f64 - 1.0);
        self.open(TagKind::Table);
        for (row, is_head) in all_rows {
            if row.is_empty() {
                continue;
            }
            self.open(TagKind::TableRow);
            let mut cells: Vec<Vec<SetLine>> = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                let mut tokens = self.tokens(cell, &tframe, true);
                if is_head {
                    for t in &mut tokens {
                        if let Token::Text { style, .. } = t {
                            let mut s = (**style).clone();
                            s.variant.bold = true;
                            *style = Rc::new(s);
                        }
                    }
                }
                let par = ParStyle {
                    measure: widths[c],
                    indent: Pt::ZERO,
                    justify: false,
                    center: false,
                    hyphenate: true,
                    looseness: 0,
                };
                let mut lines = self.inline.layout(&tokens, &par, self.warnings);
                let tag = self.tag(if is_head {
                    TagKind::HeaderCell
                } else {
                    TagKind::Cell
                });
                set_tag(&mut lines, &tag);
                cells.push(lines);
            }
            self.close();
            let height = cells.iter().map(Vec::len).max().unwrap_or(0);
            let mut merged = Vec::with_capacity(height);
            for k in 0..height {
                let mut line = SetLine::default();
                let mut x = Pt::ZERO;
                for (c, cell) in cells.iter().enumerate() {
                    if let Some(l) = cell.get(k) {
                        line.append(l, x);
                    }
                    x += widths[c] + gap;
                }
                merged.push(line);
            }
            self.push_lines(
                merged,
                frame.x,
                tframe.leading,
                size,
                is_head,
                None,
                None,
                None,
            );
            if is_head {
                self.flow.push(Flow::Space(tframe.leading * 0.3));
                self.flow.push(Flow::Rule(rule_width));
                self.flow.push(Flow::Space(tframe.leading * 0.2));
            }
        }
        self.close();
        self.flow.push(Flow::Space(frame.leading * 0.5));
    }

    fn image(&mut self, src: &str, alt: &str, span: Span, frame: &Frame) {
        // The loader has read and judged every image of the tree (through
        // the same `BookFiles`, which keeps the bytes): this finds them.
        let picture = self
            .assets
            .resolve(Path::new(src))
            .map_err(|why| why.message(src))
            .and_then(|p| {
                self.assets
                    .read(&p, Cap::Image)
                    .map_err(|why| why.message(src))
            })
            .and_then(|data| Picture::new(data).map_err(|p| p.message(src)));
        let printable = match picture {
            Ok(p) => match (p.kind, p.pixels) {
                (ImageType::Png | ImageType::Jpeg | ImageType::Gif | ImageType::Webp, Some(px)) => {
                    Ok((p, px))
                }
                _ => Err(format!(
                    "image `{src}` is {}, which print does not set yet",
                    p.kind.extension().to_uppercase()
                )),
            },
            Err(e) => Err(e),
        };
        let (picture, (w, h)) = match printable {
            Ok(p) => p,
            Err(why) => {
                self.warnings.push(
                    Diagnostic::warning(format!("{why}; its alt text is set instead")).at(span),
                );
                let style = Rc::new(TextStyle {
                    variant: Variant {
                        italic: true,
                        bold: false,
                    },
                    ..self.text_style(frame)
                });
                let tokens = Token::plain(format!("[{alt}]"), style, span);
                let tag = self.tag(TagKind::Paragraph);
                let at = Place {
                    keep: false,
                    ..Place::kept(frame.x, frame.leading, frame.size)
                };
                self.set_ragged(&tokens, frame, at, None, &tag);
                return;
            }
        };
        // 72 dpi natural size, scaled down to the measure and to two thirds
        // of the text block's height.
        let (page_w, page_h) = self.style.page.dimensions();
        let _ = page_w;
        let max_h = (page_h - self.style.margins.top - self.style.margins.bottom) * 0.66;
        let mut width = Pt(w as f64);
        let mut height = Pt(h as f64);
        if width > frame.measure {
            height = height * (frame.measure / width);
            width = frame.measure;
        }
        if height > max_h {
            width = width * (max_h / height);
            height = max_h;
        }
        self.flow.push(Flow::Space(frame.leading * 0.5));
        let tag = Some(self.tag(TagKind::Figure));
        self.flow.push(Flow::Image {
            width,
            height,
            picture,
            alt: alt.to_string(),
            tag,
        });
        self.flow.push(Flow::Space(frame.leading));
    }
}

/// Gives every untagged run of `lines` the tag (runs already tagged, such
/// as list labels, keep theirs).
fn set_tag(lines: &mut [SetLine], tag: &Tag) {
    for run in lines.iter_mut().flat_map(|l| l.runs.iter_mut()) {
        if run.tag.is_none() {
            run.tag = Some(tag.clone());
        }
    }
}

/// A date as `YYYY-MM-DD` from seconds since 1970 (UTC).
pub fn iso_date(secs: i64) -> String {
    let (y, m, d) = crate::edition::civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

fn heading_par(frame: &Frame) -> ParStyle {
    ParStyle {
        measure: frame.measure,
        indent: Pt::ZERO,
        justify: false,
        center: false,
        hyphenate: false,
        looseness: 0,
    }
}

/// Destination id of a note's text.
pub fn note_dest(id: NoteId) -> String {
    format!("note-{}", id.0)
}

/// Destination id of a note's (first) marker.
pub fn note_ref_dest(id: NoteId) -> String {
    format!("noteref-{}", id.0)
}
