//! Finds and reads a book in any of its three forms and builds the shared
//! tree once.
//!
//! - a directory whose `book.toml` has a `[contents]` table (samizdat's own form);
//! - an mdBook project: `book.toml` without `[contents]`, and `src/SUMMARY.md`
//!   (or `[book] src`) giving chapter order, nesting, parts, prefix and suffix
//!   chapters;
//! - a single Markdown file with pandoc-style YAML front matter, cut into
//!   chapters at its level-1 headings.
//!
//! Every chapter path must stay inside the book's directory. Errors are
//! collected over the whole book, so one run reports every missing note.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Error, Location, Result, Warnings};
use crate::doc::{self, Block, Book, Chapter, Division, Inline, Matter, Meta, Part};
use crate::files::{BookFiles, BookPath, Cap, Refusal};
use crate::frontmatter;
use crate::markdown::{self, Context, LinkIndex};
use crate::source::{FileId, Sources, Span};

/// A loaded book: its configuration, the tree and the sources it came from.
#[derive(Debug)]
pub struct Project {
    /// The directory holding the book (`book.toml`'s, or the single file's).
    pub root: PathBuf,
    /// The directory chapter paths are relative to (`root`, or mdBook's `src`).
    pub content_dir: PathBuf,
    /// `book.toml`, when there is one.
    pub config_path: Option<PathBuf>,
    /// The text of `book.toml` (empty for a single file), for diagnostics.
    pub config_text: String,
    /// The configuration (defaults for a single file).
    pub config: Config,
    /// The shared tree.
    pub book: Book,
    /// Every file read, for diagnostics.
    pub sources: Sources,
    /// The book's files, fenced at its root: how backends read images,
    /// styles and fonts.
    pub files: std::sync::Arc<BookFiles>,
    /// Warnings found while reading.
    pub warnings: Warnings,
}

/// One chapter to read: where it is listed and what it is.
struct Entry {
    path: PathBuf,
    name: Option<String>,
    depth: u8,
    /// Where the entry is listed, for "does not exist" errors.
    listed_at: Location,
}

/// A part's title and intro file.
type PartHead = (String, Option<Entry>);

/// The book's outline before any chapter is read.
struct Outline {
    front: Vec<Entry>,
    /// Runs of body chapters, each under its part (if any).
    body: Vec<(Option<PartHead>, Vec<Entry>)>,
    back: Vec<Entry>,
}

/// Loads the book at `path` (a directory or a Markdown file).
pub fn load(path: &Path) -> Result<Project> {
    if path.is_file() {
        return load_single(path);
    }
    let config_path = path.join("book.toml");
    if !config_path.is_file() {
        return Err(Error::config(
            Diagnostic::error(format!(
                "no book here: `{}` has no book.toml",
                path.display()
            ))
            .hint("give a book directory, an mdBook project or a Markdown file; `samizdat init DIR` makes a new book"),
        ));
    }
    let mut files = BookFiles::new(path).map_err(|e| Error::io(path, e))?;
    let config_text = files
        .resolve_root(Path::new("book.toml"))
        .and_then(|p| files.read_text(&p, Cap::Text))
        .map_err(|why| refused(&why, "book.toml", Location::path(&config_path)))?;
    let config = config::parse(&config_path, &config_text)?;
    let listed = |p: &Path| locate_in(&config_path, &config_text, p);
    let (content_dir, outline, mut summary_file) = match &config.contents {
        Some(contents) => {
            let entry = |p: &PathBuf| Entry {
                path: p.clone(),
                name: None,
                depth: 1,
                listed_at: listed(p),
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
            let outline = Outline {
                front: contents.front.iter().map(entry).collect(),
                body,
                back: contents.back.iter().map(entry).collect(),
            };
            (path.to_path_buf(), outline, None)
        }
        None => {
            let src_rel = config.book.src.clone().unwrap_or_else(|| "src".into());
            let src = path.join(&src_rel);
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
                    d.location = locate_key(&config_path, &config_text, "src");
                    Error::config(d)
                })?;
            }
            if !files.is_file(Path::new("SUMMARY.md")) {
                return Err(Error::config(
                    Diagnostic::error("book.toml has no [contents] table and there is no SUMMARY.md")
                        .at_path(&config_path, 0, 0)
                        .hint("list the chapters in [contents], or make this an mdBook project with src/SUMMARY.md"),
                ));
            }
            let text = read_text(&files, Path::new("SUMMARY.md"), Location::None)?;
            let mut sources = Sources::new();
            let id = sources.add(summary_path.clone(), text);
            let summary = markdown::parse_summary(id, &sources.get(id).text);
            let located = |l: &markdown::SummaryLink| {
                let (line, col) = sources.get(id).line_col(l.span.start);
                Location::Path {
                    path: summary_path.clone(),
                    line,
                    col,
                }
            };
            let mut drafts = Vec::new();
            let mut entries = |links: &[markdown::SummaryLink]| -> Vec<Entry> {
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
            let outline = Outline {
                front: entries(&summary.prefix),
                body: summary
                    .parts
                    .iter()
                    .map(|p| (p.title.clone().map(|t| (t, None)), entries(&p.chapters)))
                    .collect(),
                back: entries(&summary.suffix),
            };
            (src, outline, Some((sources, drafts)))
        }
    };
    let (mut sources, mut warnings) = summary_file.take().unwrap_or_default();
    let entries = outline.front.len()
        + outline.back.len()
        + outline.body.iter().map(|(_, c)| c.len()).sum::<usize>();
    if entries == 0 {
        return Err(Error::config(
            Diagnostic::error("the book has no chapters")
                .at_path(&config_path, 0, 0)
                .hint("list chapter files in [contents] (or in SUMMARY.md for an mdBook project)"),
        ));
    }
    let meta = meta_from_config(&config, &config_path, &config_text)?;
    if let Some(cover) = &meta.cover {
        check_cover(&files, cover, locate_in(&config_path, &config_text, cover))?;
    }
    let book = build(&files, meta, outline, &mut sources, &mut warnings)?;
    Ok(Project {
        files: std::sync::Arc::new(files),
        root: path.to_path_buf(),
        content_dir,
        config_path: Some(config_path),
        config_text,
        config,
        book,
        sources,
        warnings,
    })
}

/// The line of `book.toml` that lists `path`, for "missing file" errors.
fn locate_in(config_path: &Path, text: &str, path: &Path) -> Location {
    let needle = format!("\"{}\"", path.display());
    match text.find(&needle) {
        Some(at) => {
            let (line, col) = crate::source::line_col(text, at);
            Location::Path {
                path: config_path.to_path_buf(),
                line,
                col,
            }
        }
        None => Location::Path {
            path: config_path.to_path_buf(),
            line: 0,
            col: 0,
        },
    }
}

/// The line of `book.toml` where `key = …` is set (the first such line).
fn locate_key(config_path: &Path, text: &str, key: &str) -> Location {
    let line = text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1);
    Location::Path {
        path: config_path.to_path_buf(),
        line,
        col: usize::from(line > 0),
    }
}

/// A refused file as an error at the place that names it.
fn refused(why: &Refusal, named: &str, listed_at: Location) -> Error {
    let mut d = Diagnostic::error(why.message(named));
    if let Some(h) = why.hint() {
        d = d.hint(h);
    }
    d.location = match (why, listed_at) {
        // Bad bytes are the file's own fault: point into it.
        (Refusal::NotUtf8 { line, col, .. }, Location::Path { path, .. }) => Location::Path {
            path,
            line: *line,
            col: *col,
        },
        (_, l) => l,
    };
    Error::Build(vec![d])
}

/// Metadata from `[book]`, defaults filled in.
fn meta_from_config(config: &Config, config_path: &Path, text: &str) -> Result<Meta> {
    let b = &config.book;
    let Some(title) = b.title.clone().filter(|t| !t.trim().is_empty()) else {
        let line = text
            .lines()
            .position(|l| l.trim() == "[book]")
            .map_or(0, |i| i + 1);
        return Err(Error::config(
            Diagnostic::error("the book has no title")
                .at_path(config_path, line, 0)
                .hint("add `title = \"…\"` to the [book] table"),
        ));
    };
    Ok(Meta {
        identifier: b
            .identifier
            .clone()
            .unwrap_or_else(|| derive_identifier(&title)),
        slug: file_slug(&title),
        title,
        subtitle: b.subtitle.clone(),
        authors: b.authors.clone(),
        language: b.language.clone().unwrap_or_else(|| "en".into()),
        date: b.date.clone(),
        description: b.description.clone(),
        subjects: b.subjects.clone(),
        rights: b.rights.clone(),
        cover: b.cover.clone(),
    })
}

/// The most bytes of a title's slug in a file name. Output files are
/// `SLUG-EDITION.EXT` and are written through `.SLUG-EDITION.EXT.PID.tmp`;
/// file systems refuse names over 255 bytes, and an edition name may take
/// up to 64. A 126-character Cyrillic title (252 bytes) is cut to 60
/// characters.
pub const MAX_SLUG_BYTES: usize = 120;

/// The slug of `title` for file names: `doc::slugify`'s letters, digits
/// and dashes (no separator, dot or control character can survive it), cut
/// at a character boundary to [`MAX_SLUG_BYTES`], never ending in a dash.
pub fn file_slug(title: &str) -> String {
    let mut slug = doc::slugify(title);
    if slug.len() > MAX_SLUG_BYTES {
        let mut cut = MAX_SLUG_BYTES;
        while !slug.is_char_boundary(cut) {
            cut -= 1;
        }
        slug.truncate(cut);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// A name-based (version 5) UUID from the title (RFC 4122, section 4.3), so
/// that rebuilds of a book without an identifier keep the same one.
pub fn derive_identifier(title: &str) -> String {
    // The namespace is the URL namespace of RFC 4122, appendix C; the name is
    // a samizdat-specific URL made of the title.
    const NS_URL: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    let mut hash = sha1_smol::Sha1::new();
    hash.update(&NS_URL);
    hash.update(format!("samizdat:book:{}", title.trim()).as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash.digest().bytes()[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Reads the text file `rel` (content-relative) through the fence; a
/// refusal is an error at `listed_at` (at the bad byte for invalid UTF-8).
fn read_text(files: &BookFiles, rel: &Path, listed_at: Location) -> Result<String> {
    let named = rel.to_string_lossy();
    let path = files
        .resolve(rel)
        .map_err(|why| refused(&why, &named, listed_at.clone()))?;
    files.read_text(&path, Cap::Text).map_err(|why| {
        let at = match why {
            Refusal::NotUtf8 { .. } => Location::path(files.full(&path)),
            _ => listed_at,
        };
        refused(&why, &named, at)
    })
}

/// Reads every chapter of the outline, parses it and resolves links.
fn build(
    files: &BookFiles,
    meta: Meta,
    outline: Outline,
    sources: &mut Sources,
    warnings: &mut Warnings,
) -> Result<Book> {
    let mut cx = Context::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    let mut index = LinkIndex::default();
    let mut number = 0;
    let mut read = |entry: &Entry,
                    matter: Matter,
                    cx: &mut Context,
                    errors: &mut Vec<Diagnostic>|
     -> Option<(Chapter, FileId)> {
        let named = entry.path.to_string_lossy();
        let path = match files.resolve(&entry.path) {
            Ok(p) => p,
            Err(why) => {
                errors.extend(refused(&why, &named, entry.listed_at.clone()).diagnostics());
                return None;
            }
        };
        let rel = crate::files::normalize(&entry.path).unwrap_or_else(|| entry.path.clone());
        if !seen.insert(path.clone()) {
            let mut d = Diagnostic::error(format!("`{}` is listed twice", entry.path.display()));
            d.location = entry.listed_at.clone();
            errors.push(d);
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
                errors.extend(refused(&why, &named, at).diagnostics());
                return None;
            }
        };
        let expanded = match crate::include::expand(files, &path, &full, text, &mut cx.warnings) {
            Ok(x) => x,
            Err(mut d) => {
                d.location = Location::path(full.clone());
                errors.push(d);
                return None;
            }
        };
        let file = sources.push(crate::source::SourceFile::with_origins(
            full.clone(),
            expanded.text,
            expanded.origins,
        ));
        let mut parsed = markdown::parse(file, &sources.get(file).text, cx);
        check_images(&mut parsed.blocks, files, &rel, errors);
        let mut chapter = chapter_from(parsed.blocks, file, &rel, entry, matter, cx);
        if matter == Matter::Body && entry.depth == 1 {
            number += 1;
            chapter.number = Some(number);
        }
        index
            .files
            .insert(rel, (chapter.id.clone(), parsed.anchors));
        Some((chapter, file))
    };
    let mut front = Vec::new();
    for e in &outline.front {
        front.extend(read(e, Matter::Front, &mut cx, &mut errors));
    }
    let mut body = Vec::new();
    for (n, (part, entries)) in outline.body.iter().enumerate() {
        // An intro is not a chapter: read (first, in reading order) as
        // unnumbered matter, it keeps only its blocks under the part's title.
        let intro = part
            .as_ref()
            .and_then(|(_, intro)| intro.as_ref())
            .and_then(|e| read(e, Matter::Front, &mut cx, &mut errors));
        let chapters: Vec<_> = entries
            .iter()
            .filter_map(|e| read(e, Matter::Body, &mut cx, &mut errors))
            .collect();
        match part {
            Some((title, _)) => {
                let (intro_blocks, span) = match intro {
                    Some((c, file)) => (c.blocks, Some(Span::new(file, 0..0))),
                    None => (Vec::new(), None),
                };
                let id = cx.claim_id(&format!("part-{}", n + 1), false, None);
                let title_inlines = vec![Inline::Text {
                    text: title.clone(),
                    span: span.unwrap_or_default(),
                }];
                body.push((
                    Division::Part(Part {
                        id,
                        number: 0,
                        title: title_inlines,
                        intro: intro_blocks,
                        chapters: chapters.iter().map(|(c, _)| c.clone()).collect(),
                        span,
                    }),
                    chapters.iter().map(|(_, f)| *f).collect::<Vec<_>>(),
                ));
            }
            None => {
                for (c, f) in chapters {
                    body.push((Division::Chapter(c), vec![f]));
                }
            }
        }
    }
    let mut back = Vec::new();
    for e in &outline.back {
        back.extend(read(e, Matter::Back, &mut cx, &mut errors));
    }
    errors.append(&mut cx.errors);
    warnings.append(&mut cx.warnings);
    if !errors.is_empty() {
        return Err(Error::Build(resolve_spans(errors, sources)));
    }
    let mut parts_seen = 0;
    let mut book = Book {
        meta,
        front: front.into_iter().map(|(c, _)| c).collect(),
        body: body
            .into_iter()
            .map(|(mut d, _)| {
                if let Division::Part(p) = &mut d {
                    parts_seen += 1;
                    p.number = parts_seen;
                }
                d
            })
            .collect(),
        back: back.into_iter().map(|(c, _)| c).collect(),
    };
    resolve_book_links(&mut book, sources, &index, warnings);
    Ok(book)
}

/// Checks every local image of a file's blocks (notes included) and makes
/// its `src` relative to the content directory. Like a browser and mdBook,
/// a path is relative to the chapter file; one found only from the book's
/// top is accepted too. Each image is read once, through the fence, and
/// judged by `image.rs` from its bytes, for both backends: a missing,
/// unreadable, truncated or oversized image, or one outside the book, is an
/// error at the image. Remote images are left to the backends.
fn check_images(
    blocks: &mut [Block],
    files: &BookFiles,
    chapter: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    markdown::visit_inlines_mut(blocks, &mut |inline| match inline {
        Inline::Note { blocks, .. } => check_images(blocks, files, chapter, errors),
        Inline::Image { src, span, .. } => {
            if src.contains(':') && !src.starts_with("./") || src.starts_with("//") {
                return;
            }
            let wanted = crate::files::url_path(src);
            match find_image(files, chapter, &wanted) {
                Ok((path, _)) => {
                    let rel = files.content_relative(&path).unwrap_or(path.rel());
                    *src = rel.to_string_lossy().replace('\\', "/");
                }
                Err(message) => errors.push(Diagnostic::error(message(src)).at(*span)),
            }
        }
        _ => {}
    });
}

/// A message about an image, given how the book names it.
type ImageMessage = Box<dyn Fn(&str) -> String>;

/// Resolves and judges the image `wanted`, named in `chapter` (both
/// content-relative): beside the chapter first, then from the top.
pub(crate) fn find_image(
    files: &BookFiles,
    chapter: &Path,
    wanted: &Path,
) -> std::result::Result<(BookPath, crate::image::ImageInfo), ImageMessage> {
    let base = chapter.parent().unwrap_or(Path::new(""));
    let beside = files.resolve(&base.join(wanted));
    let found = match beside {
        Ok(p) => Ok(p),
        Err(first) => files.resolve(wanted).map_err(|top| match top {
            // Not found from the top either: say why it failed beside
            // the chapter, which is where a reader would look.
            Refusal::Missing => first,
            other => other,
        }),
    };
    let path = found.map_err(|why| -> ImageMessage {
        Box::new(move |src| format!("image {}", why.message(src)))
    })?;
    let data = files
        .read(&path, Cap::Image)
        .map_err(|why| -> ImageMessage {
            Box::new(move |src| format!("image {}", why.message(src)))
        })?;
    let info = crate::image::inspect(&data)
        .map_err(|p| -> ImageMessage { Box::new(move |src| p.message(src)) })?;
    Ok((path, info))
}

/// Checks the cover image named in `[book]`: inside the book, an image, whole.
fn check_cover(files: &BookFiles, cover: &Path, listed_at: Location) -> Result<()> {
    find_image(files, Path::new(""), cover)
        .map(|_| ())
        .map_err(|message| {
            let mut d = Diagnostic::error(format!("cover: {}", message(&cover.to_string_lossy())));
            d.location = listed_at;
            Error::Build(vec![d])
        })
}

/// Makes a chapter of a file's blocks: the first level-1 heading, when it
/// opens the file, becomes the title.
fn chapter_from(
    mut blocks: Vec<Block>,
    file: FileId,
    rel: &Path,
    entry: &Entry,
    matter: Matter,
    cx: &mut Context,
) -> Chapter {
    let (id, title, span) = match blocks.first() {
        Some(Block::Heading {
            level: 1,
            id,
            content,
            span,
            ..
        }) => {
            let t = (id.clone(), content.clone(), *span);
            blocks.remove(0);
            t
        }
        _ => {
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
            let id = cx.claim_id(&doc::slugify(&name), false, None);
            (id, vec![Inline::Text { text: name, span }], span)
        }
    };
    Chapter {
        id,
        matter,
        number: None,
        depth: entry.depth,
        title,
        source: rel.to_path_buf(),
        blocks,
        span,
    }
}

fn resolve_book_links(
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

/// Turns span locations into path:line:col ones, for errors that outlive
/// the sources.
fn resolve_spans(diags: Vec<Diagnostic>, sources: &Sources) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .map(|mut d| {
            if let Location::Span(span) = d.location {
                let (path, line, col) = sources.get(span.file).locate(span.start);
                d.location = Location::Path {
                    path: path.to_path_buf(),
                    line,
                    col,
                };
            }
            d
        })
        .collect()
}

/// Loads a single Markdown file with YAML front matter as a book: its
/// level-1 headings start chapters.
fn load_single(path: &Path) -> Result<Project> {
    let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let files = BookFiles::new(&root).map_err(|e| Error::io(&root, e))?;
    let rel = PathBuf::from(path.file_name().unwrap_or_default());
    let text = read_text(&files, &rel, Location::path(path))?;
    let fm = frontmatter::split(&text).map_err(|(line, msg)| {
        Error::config(Diagnostic::error(format!("front matter: {msg}")).at_path(path, line, 0))
    })?;
    let mut fields = fm.fields;
    let mut take = |k: &str| fields.remove(k);
    let title = take("title").map(|v| v.into_string()).ok_or_else(|| {
        Error::config(
            Diagnostic::error("the book has no title")
                .at_path(path, 1, 1)
                .hint("start the file with front matter: `---`, `title: …`, `---`"),
        )
    })?;
    let mut config = Config::default();
    config.book.title = Some(title.clone());
    let mut meta = Meta {
        identifier: take("identifier")
            .map(|v| v.into_string())
            .unwrap_or_else(|| derive_identifier(&title)),
        slug: file_slug(&title),
        subtitle: take("subtitle").map(|v| v.into_string()),
        authors: take("author").map(|v| v.into_list()).unwrap_or_default(),
        language: take("lang")
            .map(|v| v.into_string())
            .unwrap_or_else(|| "en".into()),
        date: take("date").map(|v| v.into_string()),
        description: take("description")
            .or_else(|| take("abstract"))
            .map(|v| v.into_string()),
        subjects: take("keywords")
            .or_else(|| take("subject"))
            .map(|v| v.into_list())
            .unwrap_or_default(),
        rights: take("rights").map(|v| v.into_string()),
        cover: take("cover-image").map(|v| PathBuf::from(v.into_string())),
        title,
    };
    // The values the EPUB and the typesetter trust, checked at their line
    // of the front matter as book.toml's are at theirs.
    let key_line = |key: &str| {
        text[..fm.len]
            .lines()
            .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
            .map_or(1, |i| i + 1)
    };
    let mut bad = Vec::new();
    if let Err(why) = config::check_language(&meta.language) {
        bad.push(
            Diagnostic::error(format!("front matter `lang`: {why}")).at_path(
                path,
                key_line("lang"),
                1,
            ),
        );
    }
    // Pandoc's metadata takes any text as a date (`1921–1922`, `Spring
    // 1848`); the package needs ISO 8601. Such a date is a warning: the year
    // it starts with is kept, or the book has no date.
    let mut early = Vec::new();
    if let Some(date) = meta.date.clone()
        && let Err(why) = config::check_date(&date)
    {
        let year = date
            .get(..4)
            .filter(|y| config::check_date(y).is_ok())
            .map(str::to_string);
        let kept = match &year {
            Some(y) => format!("the book is dated `{y}`"),
            None => "the book is left undated".to_string(),
        };
        early.push(
            Diagnostic::warning(format!("front matter `date`: {why}; {kept}"))
                .at_path(path, key_line("date"), 1)
                .hint("write an ISO 8601 date, e.g. `date: 1921` or `date: 1921-05-01`"),
        );
        meta.date = year;
    }
    if meta.authors.iter().any(|a| a.trim().is_empty()) {
        bad.push(
            Diagnostic::error("front matter `author`: an author's name is empty").at_path(
                path,
                key_line("author"),
                1,
            ),
        );
    }
    if !bad.is_empty() {
        return Err(Error::Config(bad));
    }
    // Blank out the front matter but keep its bytes, so spans stay true.
    let masked: String = text[..fm.len]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect::<String>()
        + &text[fm.len..];
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
    // Cut at level-1 headings; text before the first one is front matter.
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut lead = Vec::new();
    let mut number = 0;
    for block in parsed.blocks {
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
                    source: rel.clone(),
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
                text: meta.title.clone(),
                span,
            }],
            source: rel.clone(),
            blocks: lead,
            span,
        });
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_slugs_are_plain_and_short() {
        assert_eq!(file_slug("../../etc/passwd\u{1b}[31m"), "etcpasswd31m");
        let long = "Жизнь ".repeat(21);
        let slug = file_slug(&long);
        assert!(slug.len() <= MAX_SLUG_BYTES, "{}", slug.len());
        assert!(
            slug.starts_with("жизнь-жизнь") && !slug.ends_with('-'),
            "{slug}"
        );
        assert_eq!(file_slug("   "), "section");
    }

    #[test]
    fn derived_identifier_is_a_stable_v5_uuid() {
        let a = derive_identifier("Thermidor and the Party");
        assert_eq!(a, derive_identifier(" Thermidor and the Party "));
        assert_ne!(a, derive_identifier("Another Book"));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a[9 + 14..9 + 15], "5", "version nibble");
    }
}
