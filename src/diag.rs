//! Diagnostics: errors and warnings with a place in the sources.
//!
//! Library code reports problems as [`Diagnostic`]s. Warnings go to a
//! [`Warnings`] list and never stop a build; errors travel in [`Error`]. Only
//! `main.rs` prints them, through [`render`].

use std::collections::HashMap;
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
/// line feed and tab, DEL, C1), the line and paragraph separators (U+2028,
/// U+2029, which some terminals break lines at) and the bidirectional
/// controls that reorder what a reader sees (U+061C, U+200E–F, U+202A–E,
/// U+2066–9: the "Trojan Source" characters, CVE-2021-42574) become visible
/// `\u{…}` escapes, so a file name or title cannot move the cursor,
/// recolour or hide text. Idempotent: an escaped text has nothing left to
/// escape.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
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

/// Writes `text` to stdout, its control characters escaped (the tree dump
/// shows its strings with Rust escapes already, so this changes nothing
/// there but guards whatever else it prints). `false` when stdout is closed
/// (`samizdat tree | head -1`): the caller stops writing and ends with its
/// usual status.
pub fn print(text: &str) -> bool {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(escape_controls(text).as_bytes())
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
        let _ = writeln!(out, "{line} | {}", escape_controls(&shown));
        if col > 0 {
            // The caret goes under the same character of the line as it is
            // shown: escapes widen what comes before it, tabs are kept.
            let before: String = shown.chars().take(col - 1).collect();
            let pad: String = escape_controls(&before)
                .chars()
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

/// How many diagnostics of one kind are rendered in full; the rest are
/// counted on one line, so that a 60-column table's 3,600 overfull cells
/// or a big book's thousands of missing glyphs stay readable.
pub const SHOWN_PER_KIND: usize = 5;

/// Renders `diags` for the terminal: the first [`SHOWN_PER_KIND`] of each
/// kind (see [`kind`]) in full, in their order, and then one line per kind
/// with the count of the rest (`warning: … and 3,412 more like “…”`).
/// Grouping changes only what is printed: counts and `--deny-warnings` see
/// every diagnostic.
pub fn render_all(diags: &[Diagnostic], sources: Option<&Sources>) -> String {
    let mut kinds: Vec<(usize, &Diagnostic)> = Vec::new();
    let mut index: HashMap<(bool, String), usize> = HashMap::new();
    let mut out = String::new();
    for d in diags {
        let key = (d.severity == Severity::Error, kind(&d.message));
        let slot = *index.entry(key).or_insert_with(|| {
            kinds.push((0, d));
            kinds.len() - 1
        });
        kinds[slot].0 += 1;
        if kinds[slot].0 <= SHOWN_PER_KIND {
            out.push_str(&render(d, sources));
        }
    }
    for (n, first) in kinds {
        if n > SHOWN_PER_KIND {
            let level = match first.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "{level}: … and {} more like “{}”",
                thousands(n - SHOWN_PER_KIND),
                first.message
            );
        }
    }
    out
}

/// A message's kind: its text with what varies between occurrences taken
/// out, so that ``link to `a.html` goes nowhere`` and ``link to `b.html`
/// goes nowhere`` are one kind. What is quoted (between backticks, or
/// straight or curly quotes) becomes `…`, and every word holding a digit (a
/// count, a size, `U+1F6A8`, `12-character`) becomes `#`. An element name
/// in angle brackets is kept: a removed `<script>` and a removed `<style>`
/// are worth seeing apart.
pub fn kind(message: &str) -> String {
    const PAIRS: &[(char, char)] = &[('`', '`'), ('"', '"'), ('\'', '\''), ('“', '”'), ('‘', '’')];
    let mut unquoted = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        let close = PAIRS.iter().find(|(open, _)| *open == c).map(|p| p.1);
        match close {
            // Only a quote that is closed later; an apostrophe in "it's"
            // with no partner stays.
            Some(close) if chars.clone().any(|x| x == close) => {
                chars.by_ref().find(|&x| x == close);
                unquoted.push(c);
                unquoted.push('…');
                unquoted.push(close);
            }
            _ => unquoted.push(c),
        }
    }
    unquoted
        .split(' ')
        .map(|w| {
            if w.chars().any(|c| c.is_ascii_digit()) {
                "#"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `n` with thousands separators: `3,412`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
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
    fn render_escapes_the_line_and_keeps_the_caret_under_its_character() {
        let mut sources = Sources::new();
        let id = sources.add("book/ch.md".into(), "a\u{202e}b [^x]\n".into());
        let d = Diagnostic::error("footnote [^x] has no definition").at(Span::new(id, 6..10));
        let text = render(&d, Some(&sources));
        assert!(!text.contains('\u{202e}'), "{text}");
        assert_eq!(
            text,
            "book/ch.md:1:5: error: footnote [^x] has no definition\n  |\n1 | a\\u{202e}b [^x]\n  |            ^\n"
        );
        assert_eq!(escape_controls("a\u{2028}b"), "a\\u{2028}b");
        let once = escape_controls("\u{1b}\u{202e}\u{85}").into_owned();
        assert_eq!(escape_controls(&once), once);
    }

    #[test]
    fn kinds_take_out_what_varies() {
        assert_eq!(
            kind("link to `a.html#x` goes nowhere in this book"),
            kind("link to `ch-2.html` goes nowhere in this book")
        );
        assert_eq!(
            kind("a 41-character word is wider than the line"),
            "a # word is wider than the line"
        );
        assert_eq!(
            kind("no font has the character '한' (U+D55C); it is set as a blank box"),
            kind("no font has the character '🚨' (U+1F6A8); it is set as a blank box")
        );
        assert_eq!(
            kind("raw HTML: removed duplicate or invalid id \"a\""),
            kind("raw HTML: removed duplicate or invalid id \"b c\"")
        );
        assert_ne!(
            kind("raw HTML: removed <script> element and its content"),
            kind("raw HTML: removed <style> element and its content")
        );
        // An unpaired quote is kept as it is.
        assert_eq!(kind("it's `open"), "it's `open");
    }

    #[test]
    fn repeated_diagnostics_are_counted_after_the_first_few() {
        let mut diags: Vec<Diagnostic> = (0..3417)
            .map(|i| Diagnostic::warning(format!("overfull line in `cell {i}`")))
            .collect();
        diags.insert(1, Diagnostic::warning("another kind"));
        diags.push(Diagnostic::error("overfull line in `cell 1`"));
        let text = render_all(&diags, None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + SHOWN_PER_KIND + 1 + 1, "{text}");
        assert_eq!(lines[1], "warning: another kind");
        // An error is never counted in with warnings.
        assert_eq!(lines[6], "error: overfull line in `cell 1`");
        assert_eq!(
            lines[7],
            "warning: … and 3,412 more like “overfull line in `cell 0`”"
        );
        // Exactly the shown number: no count line.
        let five = vec![Diagnostic::warning("w 1"); SHOWN_PER_KIND];
        assert!(!render_all(&five, None).contains("more like"));
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn exit_codes_split_config_from_build() {
        assert_eq!(Error::config(Diagnostic::error("x")).exit_code(), 2);
        assert_eq!(Error::build(Diagnostic::error("x")).exit_code(), 1);
    }
}
