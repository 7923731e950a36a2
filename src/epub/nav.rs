//! Navigation: the EPUB 3 navigation document (`nav.xhtml`, which is also
//! the book's contents page) and the EPUB 2 `toc.ncx` for older readers.
//!
//! Both are made from one tree of [`TocEntry`]: parts > chapters > sections
//! (<https://www.w3.org/TR/epub-33/#sec-nav>; NCX: ANSI/NISO Z39.86-2005 §8).
//! Labels are plain text: notes and markup are stripped from titles, as
//! Pandoc does for its nav.

use super::xhtml::{document, escape, escape_a};
use crate::labels::Labels;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TocEntry {
    /// Plain-text label.
    pub label: String,
    /// Target: `ch01.xhtml` or `ch01.xhtml#section`.
    pub href: String,
    /// Entries nested under this one.
    pub children: Vec<TocEntry>,
}

/// Nests a flat list of `(level, entry)` in reading order: each entry goes
/// under the nearest earlier entry of a lower level. Levels may jump (a
/// level-4 heading right under a chapter) without breaking the tree.
pub(super) fn nest(flat: Vec<(u32, TocEntry)>) -> Vec<TocEntry> {
    // Stack of (level, entry) whose children are still being collected.
    let mut stack: Vec<(u32, TocEntry)> = Vec::new();
    let mut roots = Vec::new();
    let close = |stack: &mut Vec<(u32, TocEntry)>, roots: &mut Vec<TocEntry>| {
        if let Some((_, done)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    };
    for (level, entry) in flat {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            close(&mut stack, &mut roots);
        }
        stack.push((level, entry));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

/// Where the landmarks point.
#[derive(Debug)]
pub(super) struct Landmarks<'a> {
    /// The cover document.
    pub cover: &'a str,
    /// The title page.
    pub title_page: &'a str,
    /// The first document of the body.
    pub start: &'a str,
}

/// The navigation document: the toc (shown as the contents page, two levels
/// deep, since the document is in the spine) and hidden landmarks.
pub(super) fn nav_document(
    lang: &str,
    labels: &Labels,
    toc: &[TocEntry],
    pages: &[(String, String)],
    landmarks: &Landmarks,
    stylesheets: &[&str],
) -> String {
    let mut body = String::new();
    body.push_str(
        "<nav class=\"toc\" epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n",
    );
    body.push_str(&format!(
        "<h1 id=\"toc-title\">{}</h1>\n",
        escape(labels.contents)
    ));
    toc_list(toc, 1, &mut body);
    body.push_str("</nav>\n");
    body.push_str(&format!(
        "<nav epub:type=\"landmarks\" id=\"landmarks\" aria-label=\"{}\" hidden=\"hidden\">\n<ol>\n",
        escape_a(labels.landmarks)
    ));
    for (kind, href, label) in [
        ("cover", landmarks.cover.to_string(), labels.cover),
        (
            "titlepage",
            landmarks.title_page.to_string(),
            labels.title_page,
        ),
        ("toc", "nav.xhtml#toc".to_string(), labels.contents),
        ("bodymatter", landmarks.start.to_string(), labels.start),
    ] {
        body.push_str(&format!(
            "<li><a epub:type=\"{kind}\" href=\"{}\">{}</a></li>\n",
            escape_a(&href),
            escape(label)
        ));
    }
    body.push_str("</ol>\n</nav>\n");
    if !pages.is_empty() {
        // The print edition's page numbers (EPUB 3.3 §7.4.4, the page-list nav).
        body.push_str(&format!(
            "<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" aria-label=\"{}\" hidden=\"hidden\">\n<ol>\n",
            escape_a(labels.pages)
        ));
        for (label, href) in pages {
            body.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>\n",
                escape_a(href),
                escape(label)
            ));
        }
        body.push_str("</ol>\n</nav>\n");
    }
    document(
        lang,
        labels.contents,
        stylesheets,
        Some("frontmatter"),
        &body,
    )
}

/// Levels of the toc shown on the contents page: parts and chapters, or
/// chapters and their sections.
const SHOWN_LEVELS: usize = 2;

/// Writes the toc's lists from `level` (1 for the top one). Lists below
/// [`SHOWN_LEVELS`] carry `hidden`: the nav document is also the contents
/// page in the spine, and EPUB 3.3 (§7.4.2.3, "The hidden attribute") lets
/// a nav hide branches from the content flow while reading systems' own
/// navigation still offers the full tree.
fn toc_list(entries: &[TocEntry], level: usize, out: &mut String) {
    out.push_str(if level > SHOWN_LEVELS {
        "<ol hidden=\"hidden\">\n"
    } else {
        "<ol>\n"
    });
    for e in entries {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            escape_a(&e.href),
            escape(&e.label)
        ));
        if !e.children.is_empty() {
            out.push('\n');
            toc_list(&e.children, level + 1, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

/// The EPUB 2 NCX. `uid` must equal the package's unique identifier.
pub(super) fn ncx(lang: &str, uid: &str, title: &str, toc: &[TocEntry]) -> String {
    fn depth(entries: &[TocEntry]) -> usize {
        entries
            .iter()
            .map(|e| 1 + depth(&e.children))
            .max()
            .unwrap_or(0)
    }
    fn points(entries: &[TocEntry], order: &mut usize, indent: usize, out: &mut String) {
        for e in entries {
            *order += 1;
            let pad = "  ".repeat(indent);
            out.push_str(&format!(
                "{pad}<navPoint id=\"np-{order}\" playOrder=\"{order}\">\n{pad}  <navLabel><text>{}</text></navLabel>\n{pad}  <content src=\"{}\"/>\n",
                escape(&e.label),
                escape_a(&e.href)
            ));
            points(&e.children, order, indent + 1, out);
            out.push_str(&format!("{pad}</navPoint>\n"));
        }
    }
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n",
        escape_a(lang)
    ));
    out.push_str(&format!(
        "<head>\n<meta name=\"dtb:uid\" content=\"{}\"/>\n<meta name=\"dtb:depth\" content=\"{}\"/>\n<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n",
        escape_a(uid),
        depth(toc).max(1)
    ));
    out.push_str(&format!(
        "<docTitle><text>{}</text></docTitle>\n<navMap>\n",
        escape(title)
    ));
    points(toc, &mut 0, 1, &mut out);
    out.push_str("</navMap>\n</ncx>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(label: &str) -> TocEntry {
        TocEntry {
            label: label.into(),
            href: format!("{label}.xhtml"),
            children: vec![],
        }
    }

    #[test]
    fn nest_builds_parts_chapters_sections() {
        let tree = nest(vec![
            (1, e("intro")),
            (1, e("part1")),
            (2, e("ch1")),
            (3, e("s1")),
            (5, e("deep")),
            (3, e("s2")),
            (2, e("ch2")),
            (1, e("back")),
        ]);
        let labels: Vec<_> = tree.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["intro", "part1", "back"]);
        let part = &tree[1];
        assert_eq!(part.children.len(), 2);
        assert_eq!(part.children[0].children.len(), 2);
        assert_eq!(part.children[0].children[0].children[0].label, "deep");
    }

    #[test]
    fn contents_page_shows_two_levels_and_keeps_the_rest_hidden() {
        let tree = nest(vec![
            (1, e("part1")),
            (2, e("ch1")),
            (3, e("s1")),
            (4, e("s1a")),
            (2, e("ch2")),
        ]);
        let mut out = String::new();
        toc_list(&tree, 1, &mut out);
        // Every entry is still in the nav, the deepest too.
        for label in ["part1", "ch1", "s1", "s1a", "ch2"] {
            assert!(out.contains(&format!("href=\"{label}.xhtml\"")), "{out}");
        }
        // Two lists shown (parts, chapters), the two below hidden.
        assert_eq!(out.matches("<ol>").count(), 2, "{out}");
        assert_eq!(out.matches("<ol hidden=\"hidden\">").count(), 2, "{out}");
        let hidden = out.find("<ol hidden").unwrap();
        assert!(out[..hidden].contains("ch1.xhtml") && out[hidden..].contains("s1.xhtml"));
        assert!(!out[..hidden].contains("s1.xhtml"));
        // A book without parts: chapters and their sections are shown.
        let flat = nest(vec![(2, e("ch1")), (3, e("s1")), (4, e("s1a"))]);
        let mut out = String::new();
        toc_list(&flat, 1, &mut out);
        assert_eq!(out.matches("<ol>").count(), 2, "{out}");
        assert_eq!(out.matches("<ol hidden=\"hidden\">").count(), 1, "{out}");
    }

    #[test]
    fn ncx_numbers_play_order_in_reading_order() {
        let mut ch = e("ch1");
        ch.children.push(e("s<1>"));
        let out = ncx("en", "urn:x", "T & U", &[ch, e("ch2")]);
        assert!(out.contains("playOrder=\"1\""));
        assert!(out.contains("<navPoint id=\"np-3\" playOrder=\"3\">"));
        assert!(out.contains("<text>s&lt;1&gt;</text>"));
        assert!(out.contains("<meta name=\"dtb:depth\" content=\"2\"/>"));
        assert!(out.contains("<docTitle><text>T &amp; U</text></docTitle>"));
    }
}
