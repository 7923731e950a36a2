//! Inlines: text (with soft hyphens and page-break markers), emphasis,
//! links resolved across documents, images, note references, raw HTML.

use super::{Writer, escape_a, escape_text};
use crate::diag::Diagnostic;
use crate::doc::{Inline, Target};
use crate::epub::sanitize::{Context, Fragment};
use crate::source::Span;

impl<'b> Writer<'_, 'b> {
    /// Writes inlines inside one container; raw HTML opened here is closed here.
    pub(in crate::epub) fn inlines(&mut self, inlines: &'b [Inline]) {
        let mut raw = Fragment::new(Context::Phrasing);
        for inline in inlines {
            self.inline(inline, &mut raw);
        }
        raw.finish(&mut self.out);
    }

    pub(super) fn inline(&mut self, inline: &'b Inline, raw: &mut Fragment) {
        // Markdown between the tags of an element the sanitiser drops with
        // its content (`<object>`…`</object>`) is part of that content.
        if raw.is_skipping() && !matches!(inline, Inline::Html { .. }) {
            return;
        }
        match inline {
            Inline::Text { text, span } => self.text_with_breaks(text, *span),
            Inline::Emph { content, .. } => self.wrap("em", content),
            Inline::Strong { content, .. } => self.wrap("strong", content),
            Inline::Strikeout { content, .. } => self.wrap("del", content),
            Inline::Span { attrs, content, .. } => {
                self.out.push_str("<span");
                self.attrs(attrs, "");
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
            Inline::Code { text, .. } => {
                self.out.push_str("<code>");
                escape_text(text, &mut self.out);
                self.out.push_str("</code>");
            }
            Inline::Link {
                target,
                title,
                content,
                span,
            } => self.link(target, title.as_deref(), content, *span),
            Inline::Image {
                src,
                alt,
                title,
                span,
            } => {
                self.image(src, alt, title.as_deref(), *span);
            }
            Inline::Note { id, blocks, .. } => {
                if self.in_link > 0 {
                    self.deferred.push((*id, blocks));
                } else {
                    self.note_ref(*id, blocks);
                }
            }
            Inline::SoftBreak { .. } => self.out.push('\n'),
            Inline::LineBreak { .. } => self.out.push_str("<br/>\n"),
            Inline::Html { html, span } => self.raw_html(raw, html, *span),
        }
    }

    /// Writes a text node, with a page-break marker where a print page
    /// starts inside it (EPUB 3.3 §D.4, `epub:type="pagebreak"`; DPUB-ARIA
    /// `doc-pagebreak`).
    pub(super) fn text_with_breaks(&mut self, text: &str, span: Span) {
        let Some(breaks) = self.shared.page_breaks.remove(&span) else {
            self.text(text);
            return;
        };
        let mut from = 0;
        for (offset, label) in breaks {
            let mut at = (offset as usize).clamp(from, text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            self.text(&text[from..at]);
            from = at;
            let id = format!(
                "{}{}",
                self.shared.page_prefix,
                crate::doc::word_slug(&label).trim_start_matches("s-")
            );
            self.out.push_str(&format!(
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\" title=\"{label}\" aria-label=\"{label}\"></span>",
                label = escape_a(&label)
            ));
            self.shared
                .pages
                .push((label, format!("{}#{id}", self.file)));
        }
        self.text(&text[from..]);
    }

    pub(super) fn text(&mut self, text: &str) {
        // An address shown as text (an autolink) must copy as it is.
        let address = text.contains("://") || text.contains('@');
        match (&self.shared.hyphens, self.soften && !address) {
            (Some(h), true) => {
                let soft = h.apply(text);
                escape_text(&soft, &mut self.out);
            }
            _ => escape_text(text, &mut self.out),
        }
    }

    pub(super) fn wrap(&mut self, tag: &str, content: &'b [Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(content);
        self.out.push_str(&format!("</{tag}>"));
    }

    pub(super) fn link(
        &mut self,
        target: &Target,
        title: Option<&str>,
        content: &'b [Inline],
        span: Span,
    ) {
        let href = match target {
            Target::External(url) if crate::epub::sanitize::dangerous_url(url) => {
                self.warn(
                    span,
                    format!("removed link to `{url}`: script URLs are not allowed"),
                );
                None
            }
            Target::External(url) => match crate::epub::url::href(url) {
                Ok(href) => Some(href),
                Err(why) => {
                    self.warn(
                        span,
                        format!("link to `{url}` left out, its text kept: {why}"),
                    );
                    None
                }
            },
            Target::Internal(id) => {
                let href = self.internal_href(id);
                if href.is_none() {
                    self.warn(
                        span,
                        format!("link to `#{id}`, which is nowhere in the book"),
                    );
                }
                href
            }
        };
        let Some(href) = href else {
            self.inlines(content);
            return;
        };
        self.out
            .push_str(&format!("<a href=\"{}\"", escape_a(&href)));
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            self.out
                .push_str(&format!(" title=\"{}\"", escape_a(title)));
        }
        self.out.push('>');
        self.in_link += 1;
        self.inlines(content);
        self.in_link -= 1;
        self.out.push_str("</a>");
        if self.in_link == 0 {
            for (id, blocks) in std::mem::take(&mut self.deferred) {
                self.note_ref(id, blocks);
            }
        }
    }

    /// `file.xhtml#id`, or `#id` within this document.
    pub(super) fn internal_href(&self, id: &str) -> Option<String> {
        let file = self.shared.ids.get(id)?;
        Some(if file == self.file {
            format!("#{id}")
        } else {
            format!("{file}#{id}")
        })
    }

    /// Writes the image, or its alt text when it cannot be packaged;
    /// returns whether the image was written.
    pub(super) fn image(&mut self, src: &str, alt: &str, title: Option<&str>, span: Span) -> bool {
        let href = match self.shared.images.add(self.base, src) {
            Ok(href) => {
                if let Some(removed) = self.shared.images.take_removed() {
                    self.warn(span, removed);
                }
                href
            }
            Err(e) => {
                let d = Diagnostic::warning(e.message(src)).at(span);
                if e.is_error() {
                    self.shared
                        .errors
                        .push(Diagnostic::error(e.message(src)).at(span));
                } else {
                    self.shared
                        .warnings
                        .push(d.hint("its alt text is shown instead"));
                }
                escape_text(alt, &mut self.out);
                return false;
            }
        };
        if alt.trim().is_empty() {
            self.shared.missing_alt = true;
            self.warn_hint(
                span,
                format!("image `{src}` has no alt text"),
                "describe it in the brackets: ![a map of Petrograd](map.png)",
            );
        }
        self.out.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\"",
            escape_a(&href),
            escape_a(alt)
        ));
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            self.out
                .push_str(&format!(" title=\"{}\"", escape_a(title)));
        }
        self.out.push_str("/>");
        true
    }
}
