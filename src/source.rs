//! Source files loaded for a build, and spans into them.
//!
//! Every node of the shared tree carries a [`Span`]: a file and a byte range.
//! This module turns a span back into `path:line:col` for diagnostics; it
//! knows nothing of Markdown or of the backends.

use std::path::{Path, PathBuf};

/// Index of a loaded file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span over `range` in `file`.
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }
}

/// Where a run of lines of a loaded text came from, when the text is not
/// one file's own (a chapter with its `{{#include}}`s pasted in): from its
/// 0-based line `line` on, the text is `path` from 1-based `origin_line`
/// on, until the next origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The first line of the loaded text this origin covers (0-based).
    pub line: u32,
    /// The file those lines are from, as shown to the user.
    pub path: PathBuf,
    /// The line of that file they start at (1-based).
    pub origin_line: u32,
}

/// One loaded text file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user (relative to where samizdat was run when possible).
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// Byte offset of the start of every line.
    line_starts: Vec<u32>,
    /// Where runs of lines came from, in order of `line` (empty: all from
    /// `path`).
    origins: Vec<Origin>,
}

impl SourceFile {
    /// Wraps a file's text and indexes its lines.
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        SourceFile {
            path,
            text,
            line_starts,
            origins: Vec::new(),
        }
    }

    /// A text pasted together from several files, with the origin of each
    /// run of lines.
    pub fn with_origins(path: PathBuf, text: String, origins: Vec<Origin>) -> Self {
        SourceFile {
            origins,
            ..SourceFile::new(path, text)
        }
    }

    /// The file, 1-based line and column a byte offset comes from: the
    /// included file's own line for text an include pasted in.
    pub fn locate(&self, offset: u32) -> (&Path, usize, usize) {
        let (line, col) = self.line_col(offset);
        let at = self.origins.partition_point(|o| (o.line as usize) < line);
        match at.checked_sub(1).map(|i| &self.origins[i]) {
            Some(o) => (
                &o.path,
                o.origin_line as usize + (line - 1 - o.line as usize),
                col,
            ),
            None => (&self.path, line, col),
        }
    }

    /// 1-based line and column (in characters) of a byte offset; the
    /// lines are indexed, the column is [`column`]'s.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        (line + 1, column(&self.text, start, offset as usize))
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }
}

/// All files loaded for one book.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.push(SourceFile::new(path, text))
    }

    /// Adds a loaded file made elsewhere (one with origins) and returns its id.
    pub fn push(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The id of a file already loaded from `path`, if any.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    /// Every loaded file, in load order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

/// 1-based line and column (in characters) of a byte offset of `text`,
/// for a text that is not a [`SourceFile`] (`book.toml`, a style).
/// A leading byte-order mark is not counted: it is invisible.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let end = char_floor(text, offset);
    let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..start].matches('\n').count() + 1;
    (line, column(text, start, end))
}

/// The 1-based column, in characters, of byte `offset` on the line that
/// starts at byte `line_start`. A byte-order mark opening the text is not
/// counted.
fn column(text: &str, line_start: usize, offset: usize) -> usize {
    let start = if line_start == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        line_start
    };
    let end = char_floor(text, offset).max(start);
    text[start..end].chars().count() + 1
}

/// `offset`, at most the text's length, moved back to a character
/// boundary.
fn char_floor(text: &str, offset: usize) -> usize {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new("a.md".into(), "ab\n“cd”\n\nx".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // The curly quote is three bytes but one column.
        assert_eq!(f.line_col(6), (2, 2));
        assert_eq!(f.line_col(12), (3, 1));
        assert_eq!(f.line_col(13), (4, 1));
        assert_eq!(f.line_text(2), "“cd”");
        assert_eq!(f.line_text(4), "x");
        assert_eq!(f.line_text(9), "");
    }

    #[test]
    fn locate_maps_pasted_lines_to_their_file() {
        let origins = vec![
            Origin {
                line: 0,
                path: "ch.md".into(),
                origin_line: 1,
            },
            Origin {
                line: 1,
                path: "inc.md".into(),
                origin_line: 5,
            },
            Origin {
                line: 3,
                path: "ch.md".into(),
                origin_line: 3,
            },
        ];
        let f = SourceFile::with_origins("ch.md".into(), "a\nb\nc\nd\ne".into(), origins);
        assert_eq!(f.locate(0), (Path::new("ch.md"), 1, 1));
        assert_eq!(f.locate(2), (Path::new("inc.md"), 5, 1));
        assert_eq!(f.locate(4), (Path::new("inc.md"), 6, 1));
        assert_eq!(f.locate(6), (Path::new("ch.md"), 3, 1));
        assert_eq!(f.locate(8), (Path::new("ch.md"), 4, 1));
    }
}
