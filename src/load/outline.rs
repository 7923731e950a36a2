//! The book's outline — front, body (in parts) and back chapters — from
//! `[contents]` in book.toml or from mdBook's `SUMMARY.md`, before any
//! chapter is read.

use std::path::{Path, PathBuf};

use super::{Entry, Outline, Toml, read_text};
use crate::config::{Config, Contents};
use crate::diag::{Diagnostic, Error, Location, Result, Warnings};
use crate::files::BookFiles;
use crate::markdown::{self, SummaryLink};
use crate::source::Sources;

/// The outline `[contents]` lists, each entry located at its line.
pub(super) fn from_contents(contents: &Contents, toml: Toml<'_>) -> Outline {
    let entry = |p: &PathBuf| Entry {
        path: p.clone(),
        name: None,
        depth: 1,
        listed_at: toml.locate(p),
    };
    let mut body = Vec::new();
    if !contents.chapters.is_empty() {
        body.push((None, contents.chapters.iter().map(entry).collect()));
    }
    for part in &contents.parts {
        body.push((
            Some((part.title.clone(), part.intro.as_ref().map(entry))),
            part.chapters.iter().map(entry).collect(),
        ));
    }
    Outline {
        front: contents.front.iter().map(entry).collect(),
        body,
        back: contents.back.iter().map(entry).collect(),
        by_title: false,
        split_level: None,
    }
}

/// An mdBook project's outline: its content directory (`[book] src`, else
/// `src`), the outline its `SUMMARY.md` gives, and the sources and
/// warnings read so far (the summary itself; draft chapters left out).
pub(super) fn from_summary(
    files: &mut BookFiles,
    config: &Config,
    root: &Path,
    toml: Toml<'_>,
) -> Result<(PathBuf, Outline, (Sources, Warnings))> {
    let src_rel = config.book.src.clone().unwrap_or_else(|| "src".into());
    let src = root.join(&src_rel);
    let summary_path = src.join("SUMMARY.md");
    if config.book.src.is_some() || src.exists() {
        files.set_content_dir(&src_rel).map_err(|why| {
            let d = Diagnostic::error(format!(
                "[book] src: {}",
                why.message(&src_rel.to_string_lossy())
            ));
            let mut d = match why.hint() {
                Some(h) => d.hint(h),
                None => d,
            };
            d.location = toml.locate_key("src");
            Error::config(d)
        })?;
    }
    if !files.is_file(Path::new("SUMMARY.md")) {
        return Err(Error::config(
            Diagnostic::error("book.toml has no [contents] table and there is no SUMMARY.md")
                .at_path(toml.path, 0, 0)
                .hint(
                    "list the chapters in [contents], or make this an mdBook project with src/SUMMARY.md",
                ),
        ));
    }
    let text = read_text(files, Path::new("SUMMARY.md"), Location::None)?;
    let mut sources = Sources::new();
    let id = sources.add(summary_path.clone(), text);
    let summary = markdown::parse_summary(id, &sources.get(id).text);
    let located = |l: &SummaryLink| {
        let (line, col) = sources.get(id).line_col(l.span.start);
        Location::Path {
            path: summary_path.clone(),
            line,
            col,
        }
    };
    let mut drafts = Vec::new();
    let mut entries = |links: &[SummaryLink]| -> Vec<Entry> {
        links
            .iter()
            .filter_map(|l| match &l.path {
                Some(p) => Some(Entry {
                    path: p.clone(),
                    name: Some(l.name.clone()),
                    depth: l.depth,
                    listed_at: located(l),
                }),
                None => {
                    drafts.push(
                        Diagnostic::warning(format!(
                            "draft chapter `{}` has no file and is left out",
                            l.name
                        ))
                        .at(l.span),
                    );
                    None
                }
            })
            .collect()
    };
    let by_title = summary.prefix.is_empty()
        && summary.suffix.is_empty()
        && summary.parts.iter().all(|p| p.title.is_none());
    let outline = Outline {
        by_title,
        front: entries(&summary.prefix),
        body: summary
            .parts
            .iter()
            .map(|p| (p.title.clone().map(|t| (t, None)), entries(&p.chapters)))
            .collect(),
        back: entries(&summary.suffix),
        split_level: None,
    };
    Ok((src, outline, (sources, drafts)))
}
