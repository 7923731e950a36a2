//! The book's structure: part and chapter openings, section headings and
//! the ornament between sections, and the structure containers (for tagged
//! PDF) that every set line is tagged within.

use std::rc::Rc;
use std::sync::Arc;

use super::{Builder, Frame, Place, heading_par};
use crate::doc::{self, Chapter, Inline, Matter};
use crate::source::Span;
use crate::style::NoteNumbering;
use crate::typeset::family::Family;
use crate::typeset::fonts::Variant;
use crate::typeset::galley::{Flow, PageStart};
use crate::typeset::inline::{TextStyle, Token};
use crate::typeset::page::{Numbering, OutlineEntry, Tag, TagKind};
use crate::typeset::shape::Features;

impl Builder<'_, '_> {
    /// Opens a structure container; blocks set until [`Self::close`] sit
    /// in it.
    pub(super) fn open(&mut self, kind: TagKind) {
        self.groups += 1;
        self.structure.push((kind, self.groups));
    }

    /// Closes the innermost structure container.
    pub(super) fn close(&mut self) {
        self.structure.pop();
    }

    /// A new structure element in the open containers.
    pub(super) fn tag(&mut self, kind: TagKind) -> Tag {
        self.groups += 1;
        Tag {
            kind,
            group: self.groups,
            parents: Arc::from(self.structure.as_slice()),
        }
    }

    /// Opens a chapter-level section (a chapter, or the book's notes),
    /// closing whatever is open but a part.
    pub(super) fn open_section(&mut self, kind: TagKind) {
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
            &self.labels.part(part.number),
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
                    title: self.labels.part_entry(part.number, &title),
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

    /// Sets a print chapter: a new page, its opening, its blocks, then
    /// its sub-chapters (mdBook's nested entries) as sections of it, and
    /// the notes gathered for its end.
    ///
    /// The sub-chapters' notes are the chapter's: numbered per chapter,
    /// they go on from the parent's numbers, and notes set at the chapter's
    /// end come after the last sub-chapter, under one heading. (The EPUB
    /// gives each sub-chapter its own document, whose notes are numbered
    /// afresh.)
    pub fn chapter(
        &mut self,
        family: &Family<'_>,
        outline_level: u8,
        numbering: Option<Numbering>,
    ) {
        let chapter = family.head;
        self.chapter_dir = chapter_dir(chapter);
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
            let tokens = Token::plain(self.labels.chapter(n), style, chapter.span);
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
        for sub in &family.subs {
            self.sub_chapter(sub, family.below(sub), &frame);
        }
        self.flush_raw_anchors();
        self.heading_shift = 0;
        self.end_notes(&title);
        self.structure.truncate(self.section_depth - 1);
    }

    /// Sets a sub-chapter `below` levels under its print chapter: no new
    /// page, no sink, no number; its title a section heading of level
    /// `1 + below` (a direct child's title stands as the parent's `##`
    /// headings do), its own headings moved `below` levels down.
    fn sub_chapter(&mut self, sub: &Chapter, below: u8, frame: &Frame) {
        self.chapter_dir = chapter_dir(sub);
        self.heading_shift = 0;
        self.heading(1 + below, &sub.id, &sub.title, frame);
        self.heading_shift = below;
        self.blocks(&sub.blocks, frame);
    }
    /// Sets a section heading (`level` 1–6 in the Markdown) with its
    /// destination `id` and outline entry, kept with what follows.
    /// In a sub-chapter, the level is moved down by its depth under its
    /// print chapter (`heading_shift`), at most to 6.
    pub(super) fn heading(&mut self, level: u8, id: &str, content: &[Inline], frame: &Frame) {
        let level = level.saturating_add(self.heading_shift).min(6);
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
            level: 1 + level,
            title: doc::plain_text(content),
        };
        // The chapter's title is its one H1 (H2 in a part, under
        // the part's); its headings nest below, at their Markdown
        // level.
        let base = self.heading_base;
        let tag = self.tag(TagKind::Heading((level + base).clamp(2 + base, 6)));
        let at = Place::kept(frame.x, frame.leading, size);
        let dest = Some((id.to_string(), Some(outline)));
        self.set_ragged(&tokens, frame, at, dest, &tag);
        self.flow.push(Flow::Space(frame.leading * 0.5));
    }

    /// A thematic break: three asterisks, centred, an ornament not read
    /// out.
    pub(super) fn thematic_break(&mut self, span: Span, frame: &Frame) {
        self.flow.push(Flow::Space(frame.leading * 0.5));
        let style = Rc::new(self.text_style(frame));
        let tokens = Token::plain("*\u{a0}\u{a0}\u{a0}*\u{a0}\u{a0}\u{a0}*", style, span);
        let par = crate::typeset::inline::ParStyle {
            center: true,
            ..heading_par(frame)
        };
        let lines = self.inline.layout(&tokens, &par, self.warnings);
        let at = Place::new(frame.x, frame.leading, frame.size);
        self.push_lines(lines, at, None, None, None);
        self.flow.push(Flow::Space(frame.leading * 0.5));
    }
}

/// The folder of a chapter's source (content-relative), where a raw HTML
/// `<img>`'s source is looked for first.
fn chapter_dir(chapter: &Chapter) -> std::path::PathBuf {
    chapter
        .source
        .parent()
        .unwrap_or(std::path::Path::new(""))
        .to_path_buf()
}
