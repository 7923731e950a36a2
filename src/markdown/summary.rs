//! mdBook's `SUMMARY.md`.

use std::path::PathBuf;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::source::{FileId, Span};

/// An mdBook `SUMMARY.md`, read: prefix chapters, numbered chapters
/// (grouped under part titles, with nesting depth), suffix chapters.
/// See mdBook's `crates/mdbook-summary` for the format.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    /// Chapters before the numbered list: front matter.
    pub prefix: Vec<SummaryLink>,
    /// Numbered chapters, grouped by the `# Part` headings above them.
    pub parts: Vec<SummaryPart>,
    /// Chapters after the numbered list: back matter.
    pub suffix: Vec<SummaryLink>,
}

/// A run of numbered chapters under one part title (`None` before any).
#[derive(Debug, Default, PartialEq)]
pub struct SummaryPart {
    /// The part title, if any.
    pub title: Option<String>,
    /// The chapters.
    pub chapters: Vec<SummaryLink>,
}

/// One chapter entry.
#[derive(Debug, PartialEq)]
pub struct SummaryLink {
    /// The link text.
    pub name: String,
    /// The file, relative to the source directory; `None` for a draft.
    pub path: Option<PathBuf>,
    /// 1 for a top-level entry, 2 for a nested one, …
    pub depth: u8,
    /// Where the entry is in SUMMARY.md.
    pub span: Span,
}

/// Reads an mdBook `SUMMARY.md`.
pub fn parse_summary(file: FileId, text: &str) -> Summary {
    let mut summary = Summary::default();
    let mut list_depth = 0u8;
    let mut seen_list = false;
    let mut heading: Option<String> = None;
    let mut seen_heading = false;
    let mut link: Option<(String, String, Span)> = None;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => {
                list_depth += 1;
                seen_list = true;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) if list_depth == 0 => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let title = heading.take().unwrap_or_default();
                // The first heading titles the summary itself; later ones are parts.
                if seen_heading || seen_list {
                    summary.parts.push(SummaryPart {
                        title: Some(title.trim().to_string()),
                        chapters: Vec::new(),
                    });
                }
                seen_heading = true;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((
                    String::new(),
                    dest_url.into_string(),
                    Span::new(file, range),
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((name, _, _)) = &mut link {
                    name.push_str(&t);
                } else if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                let Some((name, dest, span)) = link.take() else {
                    continue;
                };
                let entry = SummaryLink {
                    name,
                    path: Some(PathBuf::from(dest)).filter(|p| !p.as_os_str().is_empty()),
                    depth: list_depth.max(1),
                    span,
                };
                if list_depth > 0 {
                    if summary.parts.is_empty() {
                        summary.parts.push(SummaryPart::default());
                    }
                    if let Some(part) = summary.parts.last_mut() {
                        part.chapters.push(entry);
                    }
                } else if seen_list {
                    summary.suffix.push(entry);
                } else {
                    summary.prefix.push(entry);
                }
            }
            _ => {}
        }
    }
    summary
}
