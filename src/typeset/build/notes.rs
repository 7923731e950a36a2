//! Notes: each numbered when its first marker is met and set then, in the
//! note size, into a galley of its own; kept for the page foot (where the
//! page breaker puts it with its marker), or gathered for the chapter's end
//! or the book's, where `book_notes` sets them as a chapter of their own.

use std::rc::Rc;
use std::sync::Arc;

use super::{Builder, Frame, Place};
use crate::doc::{Block, Inline, NoteId};
use crate::source::Span;
use crate::style::NotePlacement;
use crate::typeset::fonts::Variant;
use crate::typeset::galley::{Flow, FlowLine, PageStart};
use crate::typeset::inline::{ParKey, ParStyle, TextStyle, Token};
use crate::typeset::page::{LinkTarget, OutlineEntry, Pt, TagKind};

impl Builder<'_, '_> {
    /// The number of note `id` (given its `blocks`), numbering and setting
    /// it if this is its first marker.
    pub(super) fn note_number(&mut self, id: NoteId, blocks: &[Block]) -> u32 {
        if let Some(&n) = self.note_numbers.get(&id) {
            return n;
        }
        self.note_counter += 1;
        let n = self.note_counter;
        self.note_numbers.insert(id, n);
        self.note_log.push((id, n));
        self.set_note(id, n, blocks);
        n
    }

    /// Sets note `id`, numbered `number`, and keeps its lines for the page
    /// foot or for the end.
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
        for (k, block) in blocks.iter().enumerate() {
            match block {
                Block::Para { content, .. } if k == 0 => {
                    self.note_first_para(id, number, content, block.span(), &frame);
                }
                _ => {
                    self.block(block, &frame, k > 0);
                }
            }
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

    /// A note's first paragraph, led by its number: superior, linking back
    /// to the text, tagged as the note's label.
    fn note_first_para(
        &mut self,
        id: NoteId,
        number: u32,
        content: &[Inline],
        span: Span,
        frame: &Frame,
    ) {
        let marker = Rc::new(TextStyle {
            rise: frame.size * 0.33,
            size: frame.size * 0.7,
            hyphenate: false,
            link: Some(LinkTarget::Internal(note_ref_dest(id))),
            ..self.text_style(frame)
        });
        let mut tokens = Token::plain(format!("{number}\u{2002}"), marker, span);
        tokens.extend(self.tokens(content, frame, true));
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
        let at = Place::new(Pt::ZERO, frame.leading, frame.size);
        self.push_lines(lines, at, None, None, Some(&tag));
    }

    /// Notes set for the chapter's end: under a heading after its text, or
    /// kept for the book's end.
    pub(super) fn end_notes(&mut self, title: &str) {
        let lines = std::mem::take(&mut self.endnotes);
        if lines.is_empty() {
            return;
        }
        match self.style.note_placement {
            NotePlacement::Page => {}
            NotePlacement::ChapterEnd => {
                self.flow.push(Flow::Space(self.style.leading));
                self.small_heading(self.labels.notes);
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
            head: Some(self.labels.notes.into()),
        });
        let (_, h) = self.style.page.dimensions();
        self.flow.push(Flow::Sink(h / 6.0));
        let frame = self.body_frame();
        self.end_part();
        self.open_section(TagKind::Chapter);
        let heading = self.tag(TagKind::Heading(1));
        self.centred(
            self.labels.notes,
            self.style.body_size * 1.7,
            Variant::default(),
            &frame,
            Some((
                "book-notes".into(),
                Some(OutlineEntry {
                    level: 1,
                    title: self.labels.notes.into(),
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

    /// A heading over notes: the word "Notes", or a chapter's title among
    /// the book's notes.
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
}

/// Destination id of a note's text.
pub fn note_dest(id: NoteId) -> String {
    format!("note-{}", id.0)
}

/// Destination id of a note's (first) marker.
pub fn note_ref_dest(id: NoteId) -> String {
    format!("noteref-{}", id.0)
}
