//! A single Markdown file with YAML front matter, read as a book: its
//! level-1 headings start chapters, text before the first is front matter.

use std::path::{Path, PathBuf};

use super::assemble::resolve_book_links;
use super::images::{check_cover, check_images};
use super::{Project, meta, read_text, refused, resolve_spans};
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::doc::{Block, Book, Chapter, Division, Inline, Matter};
use crate::files::BookFiles;
use crate::markdown::{self, Context, LinkIndex};
use crate::source::{FileId, Sources, Span};

/// Loads the single Markdown file at `path` as a book.
pub(super) fn load(path: &Path) -> Result<Project> {
    let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let files = BookFiles::new(&root).map_err(|e| Error::io(&root, e))?;
    let rel = PathBuf::from(path.file_name().unwrap_or_default());
    let text = read_text(&files, &rel, Location::path(path))?;
    let (config, meta, mut early, fm_len) = meta::from_front_matter(path, &text)?;
    // Blank out the front matter but keep its bytes, so spans stay true.
    let masked: String = text[..fm_len]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect::<String>()
        + &text[fm_len..];
    if let Some(cover) = &meta.cover {
        check_cover(&files, cover, Location::path(path))?;
    }
    let mut cx = Context::new();
    cx.warnings.append(&mut early);
    let book_path = files
        .resolve(&rel)
        .map_err(|why| refused(&why, &rel.to_string_lossy(), Location::path(path)))?;
    let expanded = crate::include::expand(&files, &book_path, path, masked, &mut cx.warnings)
        .map_err(|d| {
            Error::build(Diagnostic {
                location: Location::path(path),
                ..d
            })
        })?;
    let mut sources = Sources::new();
    let file = sources.push(crate::source::SourceFile::with_origins(
        path.to_path_buf(),
        expanded.text,
        expanded.origins,
    ));
    let mut parsed = markdown::parse(file, &sources.get(file).text, &mut cx);
    check_images(&mut parsed.blocks, &files, &rel, &mut cx.errors);
    if !cx.errors.is_empty() {
        return Err(Error::Build(resolve_spans(cx.errors, &sources)));
    }
    let (front, chapters) = cut_chapters(parsed.blocks, file, &rel, &meta.title, &mut cx);
    let mut index = LinkIndex::default();
    let first = chapters
        .first()
        .or(front.first())
        .map(|c| c.id.clone())
        .unwrap_or_default();
    index.files.insert(rel.clone(), (first, parsed.anchors));
    let mut warnings = cx.warnings;
    let mut book = Book {
        meta,
        front,
        body: chapters.into_iter().map(Division::Chapter).collect(),
        back: Vec::new(),
    };
    resolve_book_links(&mut book, &sources, &index, &mut warnings);
    Ok(Project {
        files: std::sync::Arc::new(files),
        content_dir: root.clone(),
        root,
        config_path: None,
        config_text: String::new(),
        config,
        book,
        sources,
        warnings,
    })
}

/// Cuts a file's blocks at its level-1 headings into numbered chapters;
/// text before the first heading becomes a front-matter chapter titled
/// with the book's title. Returns (front matter, chapters).
fn cut_chapters(
    blocks: Vec<Block>,
    file: FileId,
    rel: &Path,
    title: &str,
    cx: &mut Context,
) -> (Vec<Chapter>, Vec<Chapter>) {
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut lead = Vec::new();
    let mut number = 0;
    for block in blocks {
        match block {
            Block::Heading {
                level: 1,
                id,
                content,
                span,
                ..
            } => {
                number += 1;
                chapters.push(Chapter {
                    id,
                    matter: Matter::Body,
                    number: Some(number),
                    depth: 1,
                    title: content,
                    source: rel.to_path_buf(),
                    blocks: Vec::new(),
                    span,
                });
            }
            other => match chapters.last_mut() {
                Some(c) => c.blocks.push(other),
                None => lead.push(other),
            },
        }
    }
    let mut front = Vec::new();
    if !lead.is_empty() {
        let span = Span::new(file, 0..0);
        front.push(Chapter {
            id: cx.claim_id("preface", false, None),
            matter: Matter::Front,
            number: None,
            depth: 1,
            title: vec![Inline::Text {
                text: title.to_string(),
                span,
            }],
            source: rel.to_path_buf(),
            blocks: lead,
            span,
        });
    }
    (front, chapters)
}
