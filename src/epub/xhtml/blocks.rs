//! Lists, definition lists, code blocks and tables.

use super::{Writer, ascii_class, escape_a, escape_text};
use crate::doc::{Align, Block, Definition, Inline, ListItem};
use crate::epub::sanitize::{Context, Fragment};

impl<'b> Writer<'_, 'b> {
    /// A bullet or ordered list; a task item gets its box, inside the first
    /// paragraph of a loose item.
    pub(super) fn list(&mut self, start: Option<u64>, tight: bool, items: &'b [ListItem]) {
        let tag = match start {
            None => {
                self.out.push_str("<ul>\n");
                "ul"
            }
            Some(1) => {
                self.out.push_str("<ol>\n");
                "ol"
            }
            Some(n) => {
                self.out.push_str(&format!("<ol start=\"{n}\">\n"));
                "ol"
            }
        };
        for item in items {
            let task_box = match item.task {
                None => {
                    self.out.push_str("<li>");
                    String::new()
                }
                Some(done) => {
                    let (class, glyph, label) = if done {
                        ("task done", "☑", self.shared.labels.task_done)
                    } else {
                        ("task", "☐", self.shared.labels.task_open)
                    };
                    self.out.push_str(&format!("<li class=\"{class}\">"));
                    format!(
                        "<span class=\"task-box\" role=\"img\" aria-label=\"{}\">{glyph}</span> ",
                        escape_a(label)
                    )
                }
            };
            if tight {
                self.out.push_str(&task_box);
                self.tight_item(&item.blocks);
            } else if let Some((Block::Para { content, .. }, rest)) = item.blocks.split_first() {
                // The box goes into the first paragraph, beside its text.
                self.out.push_str("\n<p>");
                self.out.push_str(&task_box);
                self.inlines(content);
                self.out.push_str("</p>\n");
                self.blocks(rest);
            } else {
                self.out.push('\n');
                self.out.push_str(&task_box);
                self.blocks(&item.blocks);
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str(&format!("</{tag}>\n"));
    }

    pub(super) fn definition_list(&mut self, items: &'b [Definition]) {
        self.out.push_str("<dl>\n");
        for item in items {
            self.out.push_str("<dt>");
            self.inlines(&item.term);
            self.out.push_str("</dt>\n");
            for def in &item.definitions {
                self.out.push_str("<dd>");
                if let [Block::Para { content, .. }] = def.as_slice() {
                    self.inlines(content);
                } else {
                    self.out.push('\n');
                    self.blocks(def);
                }
                self.out.push_str("</dd>\n");
            }
        }
        self.out.push_str("</dl>\n");
    }

    pub(super) fn code_block(&mut self, lang: Option<&str>, text: &str) {
        self.out.push_str("<pre><code");
        if let Some(lang) = lang.map(ascii_class).filter(|l| !l.is_empty()) {
            self.out.push_str(&format!(" class=\"language-{lang}\""));
        }
        self.out.push('>');
        escape_text(text.strip_suffix('\n').unwrap_or(text), &mut self.out);
        self.out.push_str("</code></pre>\n");
    }

    pub(super) fn table(
        &mut self,
        align: &[Align],
        widths: &[f32],
        head: &'b [Vec<Inline>],
        rows: &'b [Vec<Vec<Inline>>],
    ) {
        self.out.push_str("<table>\n");
        self.out.push_str(&colgroup(widths));
        if !head.is_empty() {
            self.out.push_str("<thead>\n");
            self.row("th", align, head);
            self.out.push_str("</thead>\n");
        }
        if !rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in rows {
                self.row("td", align, row);
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    /// A tight list item: paragraphs without `<p>`, separated by line breaks.
    pub(super) fn tight_item(&mut self, blocks: &'b [Block]) {
        let mut raw = Fragment::new(Context::Flow);
        let mut after_text = false;
        for block in blocks {
            match block {
                Block::Para { content, .. } if raw.is_empty() => {
                    if after_text {
                        self.out.push_str("<br/>");
                    }
                    self.inlines(content);
                    after_text = true;
                }
                Block::Html { html, span } => {
                    self.raw_html(&mut raw, html, *span);
                    after_text = false;
                }
                other => {
                    raw.close_to_flow(&mut self.out);
                    self.out.push('\n');
                    self.block(other);
                    after_text = false;
                }
            }
        }
        raw.finish(&mut self.out);
    }

    pub(super) fn row(&mut self, cell: &str, align: &[Align], cells: &'b [Vec<Inline>]) {
        self.out.push_str("<tr>");
        for (i, content) in cells.iter().enumerate() {
            let class = match align.get(i) {
                Some(Align::Left) => " class=\"left\"",
                Some(Align::Center) => " class=\"center\"",
                Some(Align::Right) => " class=\"right\"",
                _ => "",
            };
            self.out.push_str(&format!("<{cell}{class}>"));
            self.inlines(content);
            self.out.push_str(&format!("</{cell}>"));
        }
        self.out.push_str("</tr>\n");
    }
}

/// The `<colgroup>` for a table's relative column `widths` (fractions of the
/// line, as pandoc derives them for multiline and grid tables), each as a
/// whole percentage; nothing when no widths are given (columns sized by
/// content). A `style` on `<col>` is valid XHTML 5, as pandoc's EPUB writer does.
fn colgroup(widths: &[f32]) -> String {
    if widths.is_empty() || widths.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return String::new();
    }
    let mut out = String::from("<colgroup>\n");
    for w in widths {
        let percent = (f64::from(*w) * 100.0).round() as u32;
        out.push_str(&format!("<col style=\"width:{percent}%\"/>\n"));
    }
    out.push_str("</colgroup>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::colgroup;

    #[test]
    fn colgroup_writes_percentages_or_nothing() {
        assert_eq!(colgroup(&[]), "");
        assert_eq!(
            colgroup(&[0.25, 0.756]),
            "<colgroup>\n<col style=\"width:25%\"/>\n<col style=\"width:76%\"/>\n</colgroup>\n"
        );
        assert_eq!(colgroup(&[f32::NAN, 0.5]), "");
    }
}
