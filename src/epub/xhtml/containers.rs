//! Blocks that hold other blocks or an image with its caption: pandoc's
//! divs and figures, GitHub's alerts; and the attributes divs and spans
//! carry.

use super::{Writer, escape_a, valid_class};
use crate::doc::{AlertKind, Attrs, Block, Inline};
use crate::source::Span;

impl<'b> Writer<'_, 'b> {
    /// Writes `attrs` as XHTML attributes (` id="…" class="…" lang="…"
    /// xml:lang="…"`), `extra` classes first; classes that are not plain
    /// names are dropped.
    pub(super) fn attrs(&mut self, attrs: &Attrs, extra: &str) {
        if let Some(id) = &attrs.id {
            // Raw HTML later in the document may not take it again.
            self.claim_id(id);
            self.out.push_str(&format!(" id=\"{}\"", escape_a(id)));
        }
        let classes: Vec<&str> = extra
            .split_whitespace()
            .chain(
                attrs
                    .classes
                    .iter()
                    .map(String::as_str)
                    .filter(|c| valid_class(c)),
            )
            .collect();
        if !classes.is_empty() {
            self.out
                .push_str(&format!(" class=\"{}\"", escape_a(&classes.join(" "))));
        }
        if let Some(lang) = &attrs.lang {
            let lang = escape_a(lang);
            self.out
                .push_str(&format!(" lang=\"{lang}\" xml:lang=\"{lang}\""));
        }
    }

    /// An image standing alone, with its caption under it.
    pub(super) fn figure(
        &mut self,
        src: &str,
        alt: &str,
        caption: &'b [Inline],
        id: Option<&str>,
        span: Span,
    ) {
        let start = self.out.len();
        self.out.push_str("<figure");
        if let Some(id) = id {
            self.out.push_str(&format!(" id=\"{}\"", escape_a(id)));
        }
        self.out.push_str(">\n");
        let at = self.out.len();
        self.image(src, alt, None, span);
        if !self.out[at..].starts_with("<img") {
            // The image is left out (and warned about): its alt text stands
            // as a paragraph, as an image alone did before figures, and the
            // caption after it when it says something else.
            let alt_text = self.out.split_off(at);
            self.out.truncate(start);
            let id = id.map_or(String::new(), |i| format!(" id=\"{}\"", escape_a(i)));
            self.out.push_str(&format!("<p{id}>{alt_text}</p>\n"));
            if !caption.is_empty() && crate::doc::plain_text(caption).trim() != alt.trim() {
                self.out.push_str("<p>");
                self.inlines(caption);
                self.out.push_str("</p>\n");
            }
            return;
        }
        if !caption.is_empty() {
            self.out.push_str("\n<figcaption>");
            self.inlines(caption);
            self.out.push_str("</figcaption>");
        }
        self.out.push_str("\n</figure>\n");
    }

    /// A GitHub alert as an aside with the role of a note, named by its
    /// title (“Note”, “Warning”… in the book's language) both for assistive
    /// technology (`aria-label`, WAI-ARIA's `note` role) and on the page, as
    /// GitHub shows it above the content (GitHub Docs, *Alerts*).
    pub(super) fn alert(&mut self, kind: AlertKind, blocks: &'b [Block]) {
        let title = escape_a(self.shared.labels.alert(kind));
        self.out.push_str(&format!(
            "<aside class=\"alert alert-{}\" role=\"note\" aria-label=\"{title}\">\n\
             <p class=\"alert-title\" aria-hidden=\"true\">{title}</p>\n",
            kind.name()
        ));
        self.blocks(blocks);
        self.out.push_str("</aside>\n");
    }
}
