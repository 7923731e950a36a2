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

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diag::{Diagnostic, Error, Location, Result, Warnings};
use crate::doc::Book;
use crate::files::{BookFiles, Cap, Refusal};
use crate::source::Sources;

mod assemble;
mod cut;
mod images;
mod meta;
mod outline;
mod single;
mod split;
#[cfg(test)]
mod tests;

pub use meta::{MAX_SLUG_BYTES, derive_identifier, file_slug};
pub use split::SPLIT_LEVELS;

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
    /// Whether front and back matter are told by their titles: a SUMMARY.md
    /// that lists every chapter as numbered, without parts, prefix or
    /// suffix chapters (as converted books have it).
    by_title: bool,
    /// book.toml's `split-level`: the heading level each file is cut at.
    split_level: Option<u8>,
}

impl Outline {
    /// Whether the outline lists no chapter at all.
    fn is_empty(&self) -> bool {
        self.front.is_empty() && self.back.is_empty() && self.body.iter().all(|(_, c)| c.is_empty())
    }
}

/// Loads the book at `path` (a directory or a Markdown file).
pub fn load(path: &Path) -> Result<Project> {
    if path.is_file() {
        return single::load(path);
    }
    let config_path = path.join("book.toml");
    if !config_path.is_file() {
        if ["SUMMARY.md", "src/SUMMARY.md"]
            .iter()
            .any(|s| path.join(s).is_file())
        {
            return load_dir(path, None);
        }
        return Err(Error::config(
            Diagnostic::error(format!(
                "no book here: `{}` has no book.toml and no SUMMARY.md",
                path.display()
            ))
            .hint("give a book directory, an mdBook project (or a folder with a SUMMARY.md) or a Markdown file; `samizdat init DIR` makes a new book"),
        ));
    }
    load_dir(path, Some(config_path))
}

/// Loads the directory book at `path`: with its `book.toml`, or without
/// one (`config_path` is `None`) as an mdBook project with every default,
/// titled by its SUMMARY.md or its folder.
fn load_dir(path: &Path, config_path: Option<PathBuf>) -> Result<Project> {
    let mut files = BookFiles::new(path).map_err(|e| Error::io(path, e))?;
    let (config_text, config) = match &config_path {
        Some(config_path) => {
            let text = files
                .resolve_root(Path::new("book.toml"))
                .and_then(|p| files.read_text(&p, Cap::Text))
                .map_err(|why| refused(&why, "book.toml", Location::path(config_path)))?;
            let config = config::parse(config_path, &text)?;
            (text, config)
        }
        None => {
            let mut config = Config::default();
            config.book.title = Some(untitled_book_title(&files, path));
            (String::new(), config)
        }
    };
    // Without book.toml, messages about the book as a whole point at its
    // SUMMARY.md.
    let config_path_kept = config_path.clone();
    let config_path = config_path.unwrap_or_else(|| path.join("SUMMARY.md"));
    let toml = Toml {
        path: &config_path,
        text: &config_text,
    };
    let (content_dir, outline, (mut sources, mut warnings)) = match &config.contents {
        Some(contents) => (
            path.to_path_buf(),
            outline::from_contents(contents, toml),
            Default::default(),
        ),
        None => outline::from_summary(&mut files, &config, path, toml)?,
    };
    if outline.is_empty() {
        return Err(Error::config(
            Diagnostic::error("the book has no chapters")
                .at_path(&config_path, 0, 0)
                .hint("list chapter files in [contents] (or in SUMMARY.md for an mdBook project)"),
        ));
    }
    let mut outline = outline;
    // Checked in `config::parse`: 1 to 6.
    outline.split_level = config.book.split_level.and_then(|n| u8::try_from(n).ok());
    let meta = meta::from_config(&config, &config_path, &config_text)?;
    if let Some(cover) = &meta.cover {
        images::check_cover(&files, cover, toml.locate(cover))?;
    }
    let book = assemble::book(&files, meta, outline, &mut sources, &mut warnings)?;
    Ok(Project {
        files: std::sync::Arc::new(files),
        root: path.to_path_buf(),
        content_dir,
        config_path: config_path_kept,
        config_text,
        config,
        book,
        sources,
        warnings,
    })
}

/// The title of a book without `book.toml`: its SUMMARY.md's first
/// heading, unless that only says "Summary" or "Contents", else its
/// folder's name (the parent's, for a folder named `chapters`, `src` or
/// `book`), dashes and underscores as spaces, each word capitalised.
fn untitled_book_title(files: &BookFiles, root: &Path) -> String {
    let summary = ["SUMMARY.md", "src/SUMMARY.md"].iter().find_map(|s| {
        let p = files.resolve_root(Path::new(s)).ok()?;
        files.read_text(&p, Cap::Text).ok()
    });
    let heading = summary.as_deref().and_then(|text| {
        let line = text.lines().find(|l| l.starts_with("# "))?;
        let title = line.trim_start_matches('#').trim();
        let generic = ["summary", "contents", "table of contents"];
        (!title.is_empty() && !generic.contains(&title.to_lowercase().as_str()))
            .then(|| title.to_string())
    });
    if let Some(title) = heading {
        return title;
    }
    let resolved = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut folder = name(&resolved).unwrap_or_default();
    if ["chapters", "src", "book"].contains(&folder.to_lowercase().as_str())
        && let Some(parent) = resolved.parent().and_then(name)
    {
        folder = parent;
    }
    let words: Vec<String> = folder
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        "Untitled".to_string()
    } else {
        words.join(" ")
    }
}

/// `book.toml`'s path and text, to point a message at the line it is about.
#[derive(Clone, Copy)]
struct Toml<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Toml<'_> {
    /// The line that lists `path`, for "missing file" errors.
    fn locate(self, path: &Path) -> Location {
        locate_in(self.path, self.text, path)
    }

    /// The line where `key = …` is set.
    fn locate_key(self, key: &str) -> Location {
        locate_key(self.path, self.text, key)
    }
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
