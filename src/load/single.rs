//! A single Markdown file with YAML front matter, read as a book: cut into
//! chapters at its highest heading level (or the front matter's
//! `split-level`), text before the first chapter heading front matter.

use std::path::{Path, PathBuf};

use super::assemble::resolve_book_links;
use super::images::{check_cover, check_images};
use super::{Project, meta, read_text, refused, resolve_spans, split};
use crate::diag::{Diagnostic, Error, Location, Result};
use crate::doc::{self, Block, Book, Chapter, Division, Inline, Matter};
use crate::files::BookFiles;
use crate::markdown::{self, Context, LinkIndex};
use crate::source::{FileId, Sources, Span};

/// Loads the single Markdown file at `path` as a book.
pub(super) fn load(path: &Path) -> Result<Project> {
    let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let files = BookFiles::new(&root).map_err(|e| Error::io(&root, e))?;
    let rel = PathBuf::from(path.file_name().unwrap_or_default());
    let text = read_text(&files, &rel, Location::path(path))?;
    let meta::FrontMatterBook {
        config,
        meta,
        warnings: mut early,
        len: fm_len,
        split_level,
    } = meta::from_front_matter(path, &text)?;
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
    let source = Source {
        file,
        rel: &rel,
        title: &meta.title,
        split_level,
    };
    let [front, chapters, back] = cut_chapters(parsed.blocks, &source, &mut cx);
    let mut index = LinkIndex::default();
    let first = front
        .first()
        .or(chapters.first())
        .or(back.first())
        .map(|c| c.id.clone())
        .unwrap_or_default();
    index.files.insert(rel.clone(), (first, parsed.anchors));
    let mut warnings = cx.warnings;
    let mut book = Book {
        meta,
        front,
        body: chapters.into_iter().map(Division::Chapter).collect(),
        back,
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

/// The file being cut, and how.
struct Source<'a> {
    file: FileId,
    /// Its path, relative to the book.
    rel: &'a Path,
    /// The book's title.
    title: &'a str,
    /// The front matter's `split-level`, if set.
    split_level: Option<u8>,
}

/// The heading level the file's chapters start at: the front matter's
/// `split-level`, else the highest level present. A lone heading at that
/// level which repeats the book's title (pandoc's `# Title` over `##`
/// chapters) is the title, not a chapter: it is dropped (the title page
/// says it) and the file is cut at the next level.
fn split_level(blocks: &mut Vec<Block>, source: &Source<'_>) -> Option<u8> {
    if source.split_level.is_some() {
        return source.split_level;
    }
    let top = split::top_level(blocks)?;
    let at_top: Vec<usize> = (0..blocks.len())
        .filter(|&i| matches!(&blocks[i], Block::Heading { level, .. } if *level == top))
        .collect();
    if let [only] = at_top[..]
        && let Block::Heading { content, .. } = &blocks[only]
        && doc::plain_text(content)
            .trim()
            .eq_ignore_ascii_case(source.title.trim())
        && blocks
            .iter()
            .any(|b| matches!(b, Block::Heading { level, .. } if *level > top))
    {
        blocks.remove(only);
        return split::top_level(blocks);
    }
    Some(top)
}

/// Cuts a file's blocks into chapters at its split level (see
/// [`split_level`]): front matter, body and back matter by title (see
/// [`split::matters`]). Text before the first chapter heading is a front
/// matter chapter titled with the book's title (a title page, an epigraph);
/// a file with no heading to cut at is one body chapter, with a warning.
/// Body chapters are numbered unless a heading says `{.unnumbered}` or the
/// book's titles carry their own numbers (`IV`, `Chapter 3`).
fn cut_chapters(
    mut blocks: Vec<Block>,
    source: &Source<'_>,
    cx: &mut Context,
) -> [Vec<Chapter>; 3] {
    let level = split_level(&mut blocks, source);
    let cut = split::cut(blocks, level.unwrap_or(1));
    let span = Span::new(source.file, 0..0);
    let book_title = || {
        vec![Inline::Text {
            text: source.title.to_string(),
            span,
        }]
    };
    let chapter = |id: String, matter, title, blocks, span| Chapter {
        id,
        matter,
        number: None,
        depth: 1,
        title,
        source: source.rel.to_path_buf(),
        blocks,
        span,
    };
    let mut out: [Vec<Chapter>; 3] = Default::default();
    if cut.chapters.is_empty() {
        let id = cx.claim_id(&doc::word_slug(source.title), false, None);
        out[1].push(chapter(id, Matter::Body, book_title(), cut.lead, span));
        one_chapter_warning(source, level, cx);
        return out;
    }
    if !cut.lead.is_empty() {
        let id = cx.claim_id("preface", false, None);
        out[0].push(chapter(id, Matter::Front, book_title(), cut.lead, span));
    }
    let titles: Vec<_> = cut
        .chapters
        .iter()
        .map(|(t, _)| t.content.clone())
        .collect();
    let matters = split::matters(&titles);
    let self_numbered = cut
        .chapters
        .iter()
        .zip(&matters)
        .any(|((t, _), m)| *m == Matter::Body && split::is_number_title(&t.content));
    let mut number = 0;
    for ((title, blocks), matter) in cut.chapters.into_iter().zip(matters) {
        let mut c = chapter(title.id, matter, title.content, blocks, title.span);
        if matter == Matter::Body && !self_numbered && !split::unnumbered(&title.classes) {
            number += 1;
            c.number = Some(number);
        }
        let k = match matter {
            Matter::Front => 0,
            Matter::Body => 1,
            Matter::Back => 2,
        };
        out[k].push(c);
    }
    if out.iter().map(Vec::len).sum::<usize>() == 1 {
        one_chapter_warning(source, level, cx);
    }
    out
}

/// A book that comes out as one chapter: say which setting cuts it.
fn one_chapter_warning(source: &Source<'_>, level: Option<u8>, cx: &mut Context) {
    let hint = match level {
        Some(l) if l < 6 => format!(
            "to start chapters at level-{} headings, set `split-level: {}` in the front matter",
            l + 1,
            l + 1
        ),
        _ => "start each chapter with a heading (`# Title`), or set `split-level` in the front matter".to_string(),
    };
    cx.warnings.push(
        Diagnostic::warning(format!(
            "`{}` comes out as one chapter",
            source.rel.display()
        ))
        .at(Span::new(source.file, 0..0))
        .hint(hint),
    );
}
