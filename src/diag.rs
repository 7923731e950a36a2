//! Diagnostics: errors and warnings with a place in the sources.
//!
//! Library code reports problems as [`Diagnostic`]s. Warnings go to a
//! [`Warnings`] list and never stop a build; errors travel in [`Error`]. Only
//! `main.rs` prints them, through [`render`].

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::source::{Sources, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// The build goes on; the output may not be what the author meant.
    Warning,
}

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Nowhere in particular.
    None,
    /// A span of a loaded source file.
    Span(Span),
    /// A file, with a 1-based line and column where known (0 means unknown).
    Path {
        /// The file.
        path: PathBuf,
        /// 1-based line, or 0.
        line: usize,
        /// 1-based column, or 0.
        col: usize,
    },
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where it points.
    pub location: Location,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it.
    pub hints: Vec<String>,
}

impl Location {
    /// A whole file, no line.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Location::Path {
            path: path.into(),
            line: 0,
            col: 0,
        }
    }
}

impl Diagnostic {
    /// An error without a location yet.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Location::None,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A warning without a location yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Points the diagnostic at a span.
    pub fn at(mut self, span: Span) -> Self {
        self.location = Location::Span(span);
        self
    }

    /// Points the diagnostic at a file, line and column (0 for unknown).
    pub fn at_path(mut self, path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        self.location = Location::Path {
            path: path.into(),
            line,
            col,
        };
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// Warnings collected during a build.
pub type Warnings = Vec<Diagnostic>;

/// Why a library call failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The book's configuration or the command line is wrong (exit status 2).
    #[error("configuration error")]
    Config(Vec<Diagnostic>),
    /// The book's sources cannot be built (exit status 1).
    #[error("build error")]
    Build(Vec<Diagnostic>),
    /// A file could not be read or written (exit status 1).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl Error {
    /// A build error made of one diagnostic.
    pub fn build(diag: Diagnostic) -> Self {
        Error::Build(vec![diag])
    }

    /// A configuration error made of one diagnostic.
    pub fn config(diag: Diagnostic) -> Self {
        Error::Config(vec![diag])
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The diagnostics this error carries (an I/O error becomes one).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Config(d) | Error::Build(d) => d.clone(),
            Error::Io { path, source } => {
                vec![Diagnostic::error(source.to_string()).at_path(path.clone(), 0, 0)]
            }
        }
    }

    /// The process exit status for this error: 2 for configuration, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) => 2,
            Error::Build(_) | Error::Io { .. } => 1,
        }
    }
}

/// The result of a fallible library step.
pub type Result<T> = std::result::Result<T, Error>;

/// `text` safe to show on a terminal: control characters (C0 but for
/// line feed and tab, DEL, C1) and the bidirectional controls that reorder
/// what a reader sees (U+061C, U+200E–F, U+202A–E, U+2066–9: the "Trojan
/// Source" characters, CVE-2021-42574) become visible `\u{…}` escapes, so a
/// file name or title cannot move the cursor, recolour or hide text.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Writes `text` to stderr, its control characters escaped. A closed or
/// broken stderr is not an error: the build goes on and writes its outputs.
pub fn eprint(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stderr()
        .lock()
        .write_all(escape_controls(text).as_bytes());
}

/// Writes `text` to stdout as it is (the tree dump, which is data).
/// `false` when stdout is closed (`samizdat tree | head -1`): the caller
/// stops writing and ends with its usual status.
pub fn print(text: &str) -> bool {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .is_ok()
}

/// Renders a diagnostic as `path:line:col: error: message`, followed by the
/// source line with a caret under the column when the line is known.
pub fn render(diag: &Diagnostic, sources: Option<&Sources>) -> String {
    let level = match diag.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    let mut excerpt = None;
    match &diag.location {
        Location::None => {}
        Location::Span(span) => match sources {
            Some(sources) => {
                let file = sources.get(span.file);
                // The line the text came from (an included file's own);
                // the excerpt is the same text, wherever it was pasted.
                let (path, line, col) = file.locate(span.start);
                let (pasted, _) = file.line_col(span.start);
                let _ = write!(out, "{}:{line}:{col}: ", path.display());
                excerpt = Some((line, col, file.line_text(pasted).to_string()));
            }
            None => out.push_str("<unknown>: "),
        },
        Location::Path { path, line, col } => {
            let _ = write!(out, "{}", path.display());
            if *line > 0 {
                let _ = write!(out, ":{line}");
                if *col > 0 {
                    let _ = write!(out, ":{col}");
                }
                // Show the line when the file is among the loaded sources.
                let loaded = sources.and_then(|s| s.find(path).map(|id| s.get(id)));
                if let Some(file) = loaded {
                    excerpt = Some((*line, *col, file.line_text(*line).to_string()));
                } else if let Ok(text) = std::fs::read_to_string(path) {
                    let line_text = text.lines().nth(line - 1).unwrap_or("").to_string();
                    excerpt = Some((*line, *col, line_text));
                }
            }
            out.push_str(": ");
        }
    }
    let _ = writeln!(out, "{level}: {}", diag.message);
    if let Some((line, col, text)) = excerpt {
        let gutter = line.to_string().len();
        let shown: String = text.chars().take(200).collect();
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{line} | {shown}");
        if col > 0 {
            // Keep tabs so the caret lines up under the same character.
            let pad: String = shown
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{:gutter$} | {pad}^", "");
        }
    }
    for hint in &diag.hints {
        let _ = writeln!(out, "  = help: {hint}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_shows_line_and_caret() {
        let mut sources = Sources::new();
        let id = sources.add("book/ch.md".into(), "Intro\nA note[^x] here.\n".into());
        let d = Diagnostic::error("footnote [^x] has no definition")
            .at(Span::new(id, 12..16))
            .hint("define it with `[^x]: …`");
        let text = render(&d, Some(&sources));
        assert_eq!(
            text,
            "book/ch.md:2:7: error: footnote [^x] has no definition\n  |\n2 | A note[^x] here.\n  |       ^\n  = help: define it with `[^x]: …`\n"
        );
    }

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(escape_controls("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            escape_controls("a\u{1b}[31mred\u{7}\u{202e}cba\u{85}"),
            "a\\u{1b}[31mred\\u{7}\\u{202e}cba\\u{85}"
        );
    }

    #[test]
    fn exit_codes_split_config_from_build() {
        assert_eq!(Error::config(Diagnostic::error("x")).exit_code(), 2);
        assert_eq!(Error::build(Diagnostic::error("x")).exit_code(), 1);
    }
}
