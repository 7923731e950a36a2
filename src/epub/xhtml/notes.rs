//! Notes: a reference where each stands, and the asides at the end of the
//! document, with a link back to every reference.

use super::{Pending, Writer, escape_a};
use crate::doc::{Block, NoteId};
use crate::epub::NoteNumbering;

impl<'b> Writer<'_, 'b> {
    /// The note's number in this document or book, registering it on first use.
    pub(super) fn note_ref(&mut self, id: NoteId, blocks: &'b [Block]) {
        let index = match self.note_index.get(&id) {
            Some(&i) => i,
            None => {
                let number = match self.shared.numbering {
                    NoteNumbering::PerChapter => self.notes.len() as u32 + 1,
                    NoteNumbering::PerBook => {
                        let next = self.shared.book_numbers.len() as u32 + 1;
                        *self.shared.book_numbers.entry(id).or_insert(next)
                    }
                };
                let blocks = match self.bodies.and_then(|b| b.get(&id)) {
                    Some(body) if blocks.is_empty() => body,
                    _ => blocks,
                };
                self.notes.push(Pending {
                    number,
                    blocks,
                    refs: 0,
                });
                self.note_index.insert(id, self.notes.len() - 1);
                self.notes.len() - 1
            }
        };
        let note = &mut self.notes[index];
        note.refs += 1;
        let (number, r) = (note.number, note.refs);
        let p = &self.shared.note_prefix;
        let ref_id = ref_id(p, number, r);
        self.out.push_str(&format!(
            "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"{ref_id}\" href=\"#{p}{number}\">{number}</a>"
        ));
    }

    /// Writes the notes met so far as asides, in order of first reference,
    /// including notes referenced from inside notes.
    pub(in crate::epub) fn notes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        let body = std::mem::take(&mut self.out);
        // Write every note's content first: a note may cite another, which
        // adds references (and back-links) to notes already written.
        let mut contents = Vec::new();
        let mut i = 0;
        while i < self.notes.len() {
            let blocks = self.notes[i].blocks;
            match blocks.split_first() {
                Some((Block::Para { content, .. }, rest)) => {
                    self.inlines(content);
                    self.out.push_str("</p>\n");
                    self.blocks(rest);
                }
                _ => {
                    self.out.push_str("</p>\n");
                    self.blocks(blocks);
                }
            }
            contents.push(std::mem::take(&mut self.out));
            i += 1;
        }
        let p = &self.shared.note_prefix;
        let mut out = body;
        out.push_str("<div class=\"footnotes\">\n");
        for (note, content) in self.notes.iter().zip(contents) {
            let number = note.number;
            out.push_str(&format!(
                "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"{p}{number}\">\n<p><a class=\"note-number\" href=\"#{}\" role=\"doc-backlink\">{number}</a> ",
                ref_id(p, number, 1)
            ));
            out.push_str(&content);
            if note.refs > 1 {
                out.push_str("<p class=\"note-backrefs\">");
                for r in 2..=note.refs {
                    if r > 2 {
                        out.push(' ');
                    }
                    out.push_str(&format!(
                        "<a href=\"#{}\" role=\"doc-backlink\" aria-label=\"{} {r}\">↩\u{FE0E}{r}</a>",
                        ref_id(p, number, r),
                        escape_a(self.shared.labels.back_to_reference),
                    ));
                }
                out.push_str("</p>\n");
            }
            out.push_str("</aside>\n");
        }
        out.push_str("</div>\n");
        self.out = out;
    }
}

fn ref_id(prefix: &str, number: u32, r: u32) -> String {
    if r == 1 {
        format!("{prefix}ref{number}")
    } else {
        format!("{prefix}ref{number}-{r}")
    }
}
