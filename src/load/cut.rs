//! `split-level` in book.toml: every chapter file of a directory book (listed
//! in `[contents]` or SUMMARY.md) cut into several chapters at its headings of
//! that level or higher. Pandoc's `--split-level` splits the content of all
//! its input files alike ("Specify the heading level at which to split an EPUB
//! or chunked HTML into separate files", pandoc manual, `--split-level`); the
//! cutting itself is `split::cut`, shared with single-file books.
//!
//! A single Markdown file read alone has no book.toml: its front matter's
//! `split-level` is the setting. Chapter files of a directory book have no
//! front matter of their own, so the two never meet; were they to, the
//! book's setting would win, as pandoc's command line (`-M`) wins over a
//! document's metadata.

use super::Entry;
use super::split::{self, Title};
use crate::doc::{Block, Chapter, Matter};
use std::path::Path;

/// One chapter file's blocks cut at `level`: the blocks before the first
/// cut (empty when a heading opens the file) and each piece's title and
/// blocks, its headings shifted under its title; the blocks back when the
/// file has no heading to cut at (it stays one chapter).
pub(super) fn pieces(blocks: Vec<Block>, level: u8) -> Result<split::Cut, Vec<Block>> {
    if !blocks
        .iter()
        .any(|b| matches!(b, Block::Heading { level: l, .. } if *l <= level))
    {
        return Err(blocks);
    }
    Ok(split::cut(blocks, level))
}

/// A chapter of a piece cut from `entry`'s file, in `matter`; also says
/// whether its heading asks not to be numbered.
pub(super) fn chapter(
    title: Title,
    blocks: Vec<Block>,
    rel: &Path,
    entry: &Entry,
    matter: Matter,
) -> (Chapter, bool) {
    let unnumbered = split::unnumbered(&title.classes);
    (
        Chapter {
            id: title.id,
            matter,
            number: None,
            depth: entry.depth,
            title: title.content,
            source: rel.to_path_buf(),
            blocks,
            span: title.span,
        },
        unnumbered,
    )
}
