//! A book with an outline, assembled: each chapter read once through the
//! fence, its includes expanded, parsed, its images judged; parts made of
//! their chapters and intro; links resolved across files.

use std::collections::HashSet;
use std::path::Path;

use super::images::check_images;
use super::{Entry, Outline, cut, refused, resolve_spans, split};
use crate::diag::{Diagnostic, Error, Location, Result, Warnings};
use crate::doc::{self, Block, Book, Chapter, Division, Inline, Matter, Meta, Part};
use crate::files::{BookFiles, BookPath, Cap, Refusal};
use crate::markdown::{self, Context, LinkIndex};
use crate::source::{FileId, Sources, Span};

/// Reads the chapters of an outline one by one, keeping what the book's
/// later passes need: errors, the link index, the chapter numbers.
struct Reader<'a> {
    files: &'a BookFiles,
    sources: &'a mut Sources,
    cx: Context,
    errors: Vec<Diagnostic>,
    seen: HashSet<BookPath>,
    index: LinkIndex,
    /// The last body chapter's number.
    number: u32,
    /// book.toml's `split-level`: each file cut into chapters there.
    split_level: Option<u8>,
}

impl Reader<'_> {
    /// Reads, expands and parses one entry into a chapter (several, cut
    /// at `split_level`); a refused, doubled or broken file is an error
    /// (kept) and gives `None`.
    fn read(&mut self, entry: &Entry, matter: Matter) -> Option<(Vec<Chapter>, FileId)> {
        let files = self.files;
        let named = entry.path.to_string_lossy();
        let path = match files.resolve(&entry.path) {
            Ok(p) => p,
            Err(why) => {
                self.errors
                    .extend(refused(&why, &named, entry.listed_at.clone()).diagnostics());
                return None;
            }
        };
        let rel = crate::files::normalize(&entry.path).unwrap_or_else(|| entry.path.clone());
        if !self.seen.insert(path.clone()) {
            let mut d = Diagnostic::error(format!("`{}` is listed twice", entry.path.display()));
            d.location = entry.listed_at.clone();
            self.errors.push(d);
            return None;
        }
        let full = files.full(&path);
        let text = match files.read_text(&path, Cap::Text) {
            Ok(t) => t,
            Err(why) => {
                let at = match why {
                    Refusal::NotUtf8 { .. } => Location::path(full.clone()),
                    _ => entry.listed_at.clone(),
                };
                self.errors.extend(refused(&why, &named, at).diagnostics());
                return None;
            }
        };
        let expanded =
            match crate::include::expand(files, &path, &full, text, &mut self.cx.warnings) {
                Ok(x) => x,
                Err(mut d) => {
                    d.location = Location::path(full.clone());
                    self.errors.push(d);
                    return None;
                }
            };
        let file = self.sources.push(crate::source::SourceFile::with_origins(
            full.clone(),
            expanded.text,
            expanded.origins,
        ));
        let mut parsed = markdown::parse(file, &self.sources.get(file).text, &mut self.cx);
        check_images(&mut parsed.blocks, files, &rel, &mut self.errors);
        // With book.toml's `split-level`, the file may be several chapters.
        let mut made = Vec::new();
        let whole = match self.split_level {
            Some(level) => match cut::pieces(parsed.blocks, level) {
                Ok(pieces) => {
                    if !pieces.lead.is_empty() {
                        made.push(chapter_from(
                            pieces.lead,
                            file,
                            &rel,
                            entry,
                            matter,
                            &mut self.cx,
                        ));
                    }
                    for (title, blocks) in pieces.chapters {
                        made.push(cut::chapter(title, blocks, &rel, entry, matter));
                    }
                    None
                }
                Err(blocks) => Some(blocks),
            },
            None => Some(parsed.blocks),
        };
        if let Some(blocks) = whole {
            made.push(chapter_from(
                blocks,
                file,
                &rel,
                entry,
                matter,
                &mut self.cx,
            ));
        }
        let mut chapters = Vec::new();
        for (mut chapter, unnumbered) in made {
            if matter == Matter::Body && entry.depth == 1 && !unnumbered {
                self.number += 1;
                chapter.number = Some(self.number);
            }
            chapters.push(chapter);
        }
        let first = chapters.first()?.id.clone();
        self.index.files.insert(rel, (first, parsed.anchors));
        Some((chapters, file))
    }

    /// One run of body chapters, under its part if it has one. An intro is
    /// not a chapter: read (first, in reading order) as unnumbered matter,
    /// it keeps only its blocks under the part's title.
    fn division(
        &mut self,
        n: usize,
        part: Option<&(String, Option<Entry>)>,
        entries: &[Entry],
        body: &mut Vec<Division>,
    ) {
        // A part's intro is never cut: it is the part's text.
        let split_level = self.split_level.take();
        let intro = part
            .and_then(|(_, intro)| intro.as_ref())
            .and_then(|e| self.read(e, Matter::Front));
        self.split_level = split_level;
        let chapters: Vec<_> = entries
            .iter()
            .filter_map(|e| self.read(e, Matter::Body))
            .flat_map(|(cs, file)| cs.into_iter().map(move |c| (c, file)))
            .collect();
        let Some((title, _)) = part else {
            body.extend(chapters.into_iter().map(|(c, _)| Division::Chapter(c)));
            return;
        };
        let (intro_blocks, span) = match intro {
            Some((cs, file)) => (
                cs.into_iter().flat_map(|c| c.blocks).collect(),
                Some(Span::new(file, 0..0)),
            ),
            None => (Vec::new(), None),
        };
        let id = self.cx.claim_id(&format!("part-{}", n + 1), false, None);
        let title_inlines = vec![Inline::Text {
            text: title.clone(),
            span: span.unwrap_or_default(),
        }];
        body.push(Division::Part(Part {
            id,
            number: 0,
            title: title_inlines,
            intro: intro_blocks,
            chapters: chapters.into_iter().map(|(c, _)| c).collect(),
            span,
        }));
    }
}

/// Reads every chapter of the outline, parses it and resolves links.
pub(super) fn book(
    files: &BookFiles,
    meta: Meta,
    outline: Outline,
    sources: &mut Sources,
    warnings: &mut Warnings,
) -> Result<Book> {
    // Chapter files are mdBook's kind of book: GitHub's id rule, as mdBook's.
    let mut cx = Context::new();
    cx.id_rule = crate::doc::IdRule::GitHub;
    let mut reader = Reader {
        files,
        sources,
        cx,
        errors: Vec::new(),
        seen: HashSet::new(),
        index: LinkIndex::default(),
        number: 0,
        split_level: outline.split_level,
    };
    let mut front = Vec::new();
    for e in &outline.front {
        front.extend(
            reader
                .read(e, Matter::Front)
                .into_iter()
                .flat_map(|(c, _)| c),
        );
    }
    let mut body = Vec::new();
    for (n, (part, entries)) in outline.body.iter().enumerate() {
        reader.division(n, part.as_ref(), entries, &mut body);
    }
    let mut back = Vec::new();
    for e in &outline.back {
        back.extend(
            reader
                .read(e, Matter::Back)
                .into_iter()
                .flat_map(|(c, _)| c),
        );
    }
    let Reader {
        sources,
        mut cx,
        mut errors,
        index,
        ..
    } = reader;
    errors.append(&mut cx.errors);
    warnings.append(&mut cx.warnings);
    if !errors.is_empty() {
        return Err(Error::Build(resolve_spans(errors, sources)));
    }
    if outline.by_title {
        by_title(&mut front, &mut body, &mut back);
    }
    let mut parts_seen = 0;
    for d in &mut body {
        if let Division::Part(p) = d {
            parts_seen += 1;
            p.number = parts_seen;
        }
    }
    // A book whose chapter titles are their numbers (`IV`, `Chapter 3`)
    // numbers them itself.
    let chapters = || {
        body.iter().flat_map(|d| match d {
            Division::Chapter(c) => std::slice::from_ref(c),
            Division::Part(p) => p.chapters.as_slice(),
        })
    };
    if chapters().any(|c| split::is_number_title(&c.title)) {
        for d in &mut body {
            match d {
                Division::Chapter(c) => c.number = None,
                Division::Part(p) => p.chapters.iter_mut().for_each(|c| c.number = None),
            }
        }
    }
    let mut book = Book {
        meta,
        front,
        body,
        back,
    };
    resolve_book_links(&mut book, sources, &index, warnings);
    Ok(book)
}

/// Makes a chapter of a file's blocks: a heading at the file's highest
/// level, when it opens the file, becomes the title (else the SUMMARY's
/// label or the file's name does: never both), and the headings under it
/// are shifted so that its sections are level 2. Also says whether the
/// title heading asks not to be numbered (`{.unnumbered}`, `{-}`).
fn chapter_from(
    mut blocks: Vec<Block>,
    file: FileId,
    rel: &Path,
    entry: &Entry,
    matter: Matter,
    cx: &mut Context,
) -> (Chapter, bool) {
    let top = split::top_level(&blocks);
    let opens = matches!((blocks.first(), top), (Some(Block::Heading { level, .. }), Some(t)) if *level == t);
    let (id, title, span, unnumbered) = if opens {
        let Block::Heading {
            id,
            classes,
            lang,
            content,
            span,
            level,
        } = blocks.remove(0)
        else {
            unreachable!("the first block is a heading")
        };
        split::shift_headings(&mut blocks, split::shift_for(level));
        let title = crate::doc::title_in_language(content, lang, span);
        (id, title, span, split::unnumbered(&classes))
    } else {
        // Sections of a chapter without a title heading start at level 2.
        split::shift_headings(&mut blocks, top.map_or(0, |t| t.saturating_sub(2)));
        let name = entry.name.clone().unwrap_or_else(|| {
            rel.file_stem()
                .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
                .unwrap_or_default()
        });
        let span = Span::new(file, 0..0);
        if blocks.is_empty() {
            cx.warnings.push(
                Diagnostic::warning(format!(
                    "`{}` is empty: the chapter has only the title `{name}`",
                    rel.display()
                ))
                .at(span)
                .hint("write the chapter, or take it out of the contents"),
            );
        }
        let id = cx.claim_id(&doc::word_slug(&name), false, None);
        (id, vec![Inline::Text { text: name, span }], span, false)
    };
    let chapter = Chapter {
        id,
        matter,
        number: None,
        depth: entry.depth,
        title,
        source: rel.to_path_buf(),
        blocks,
        span,
    };
    (chapter, unnumbered)
}

/// Moves a run of front-matter titles at the start of the body to the front
/// matter and one of back-matter titles at its end to the back matter
/// ([`split::matters`]), numbering the body's chapters again from 1.
fn by_title(front: &mut Vec<Chapter>, body: &mut Vec<Division>, back: &mut Vec<Chapter>) {
    let titles: Vec<_> = body
        .iter()
        .map(|d| match d {
            Division::Chapter(c) if c.depth == 1 => c.title.clone(),
            // A part or a sub-chapter ends either run.
            _ => Vec::new(),
        })
        .collect();
    let matters = split::matters(&titles);
    let mut kept = Vec::new();
    for (d, matter) in std::mem::take(body).into_iter().zip(matters) {
        match (d, matter) {
            (Division::Chapter(mut c), Matter::Front | Matter::Back) => {
                c.matter = matter;
                c.number = None;
                if matter == Matter::Front {
                    front.push(c);
                } else {
                    back.push(c);
                }
            }
            (d, _) => kept.push(d),
        }
    }
    let mut n = 0;
    for d in &mut kept {
        if let Division::Chapter(c) = d
            && c.number.is_some()
        {
            n += 1;
            c.number = Some(n);
        }
    }
    *body = kept;
}

/// Resolves the links of every chapter and part intro of the book.
pub(super) fn resolve_book_links(
    book: &mut Book,
    sources: &Sources,
    index: &LinkIndex,
    warnings: &mut Warnings,
) {
    let _ = sources;
    let mut fix = |blocks: &mut Vec<Block>, file: &Path| {
        markdown::resolve_links(blocks, file, index, warnings);
    };
    for c in book.front.iter_mut().chain(book.back.iter_mut()) {
        fix(&mut c.blocks, &c.source.clone());
    }
    for d in &mut book.body {
        match d {
            Division::Chapter(c) => fix(&mut c.blocks, &c.source.clone()),
            Division::Part(p) => {
                let first = p
                    .chapters
                    .first()
                    .map(|c| c.source.clone())
                    .unwrap_or_default();
                fix(&mut p.intro, &first);
                for c in &mut p.chapters {
                    fix(&mut c.blocks, &c.source.clone());
                }
            }
        }
    }
}
