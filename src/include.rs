//! mdBook's `{{#…}}` directives in chapter text, expanded before the
//! Markdown is parsed, as mdBook's `links` preprocessor does
//! (<https://rust-lang.github.io/mdBook/format/mdbook.html#including-files>):
//!
//! - `{{#include FILE}}` pastes a file; `FILE:N` line N only, `FILE:N:`
//!   from line N, `FILE::M` up to line M, `FILE:N:M` lines N to M (1-based,
//!   inclusive), `FILE:NAME` the lines between `ANCHOR: NAME` and
//!   `ANCHOR_END: NAME`, without any anchor lines;
//! - `{{#rustdoc_include …}}` is read the same way (print has no hidden
//!   lines to show on demand, so the book gets the part asked for);
//! - `\{{#…}}` is the directive's own text, without the backslash;
//! - anything else (`{{#playground}}`, `{{#title}}`) stays as text, with a
//!   warning.
//!
//! Included files may include others, up to [`MAX_DEPTH`] deep as in
//! mdBook; a file that includes itself, directly or not, is a warning and is
//! not pasted again. What a chapter expands to counts against the chapter's
//! size cap ([`Cap::Text`]), so a file included a thousand times cannot
//! exhaust memory. Every file is read through [`BookFiles`], so an include
//! cannot leave the book.
//!
//! The expanded text remembers where each of its lines came from
//! ([`Origin`]), so a diagnostic after an include names the included file
//! and its line.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Warnings};
use crate::files::{BookFiles, BookPath, Cap, Refusal};
use crate::source::Origin;

/// How deep includes may nest (mdBook's `MAX_LINK_NESTED_DEPTH`).
pub const MAX_DEPTH: usize = 10;

/// A chapter's text with its directives expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The text the Markdown parser reads.
    pub text: String,
    /// Where its lines come from, when an include was pasted (empty when
    /// the text is the file's own).
    pub origins: Vec<Origin>,
}

/// Expanded text would pass the size cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// The line of the chapter whose include went over.
    pub line: usize,
}

/// Expands the directives of `text`, the text of `file` (shown to the user
/// as `shown`).
pub fn expand(
    files: &BookFiles,
    file: &BookPath,
    shown: &Path,
    text: String,
    warnings: &mut Warnings,
) -> Result<Expanded, Diagnostic> {
    if !text.contains("{{#") {
        return Ok(Expanded {
            text,
            origins: Vec::new(),
        });
    }
    let mut x = Expander {
        files,
        out: String::with_capacity(text.len()),
        out_lines: 0,
        origins: Vec::new(),
        stack: vec![file.rel().to_path_buf()],
        warnings,
        included: false,
    };
    x.run(&text, shown, 1)?;
    let Expander {
        out,
        origins,
        included,
        ..
    } = x;
    Ok(Expanded {
        text: out,
        origins: if included { origins } else { Vec::new() },
    })
}

struct Expander<'a> {
    files: &'a BookFiles,
    out: String,
    /// Newlines in `out` so far: the 0-based line being written.
    out_lines: u32,
    origins: Vec<Origin>,
    /// Root-relative paths of the files being expanded, outermost first.
    stack: Vec<PathBuf>,
    warnings: &'a mut Warnings,
    /// Whether any file was pasted.
    included: bool,
}

impl Expander<'_> {
    fn push(&mut self, s: &str) -> Result<(), Diagnostic> {
        if (self.out.len() + s.len()) as u64 > Cap::Text.bytes() {
            return Err(Diagnostic::error(format!(
                "with its includes, the chapter is over {} MiB",
                Cap::Text.bytes() / 1024 / 1024
            ))
            .hint("include less, or split the chapter"));
        }
        self.out.push_str(s);
        self.out_lines += s.bytes().filter(|&b| b == b'\n').count() as u32;
        Ok(())
    }

    /// Notes that the text written from here on is `path` from `line`.
    fn mark(&mut self, path: &Path, line: usize) {
        self.mark_at(self.out_lines, path, line);
    }

    /// Notes that from line `at` of the output on, the text is `path` from
    /// `line`.
    fn mark_at(&mut self, at: u32, path: &Path, line: usize) {
        let origin = Origin {
            line: at,
            path: path.to_path_buf(),
            origin_line: line as u32,
        };
        match self.origins.last_mut() {
            Some(last) if last.line == origin.line => *last = origin,
            _ => self.origins.push(origin),
        }
    }

    /// Expands `text`, the text of `shown` starting at its line `first`.
    fn run(&mut self, text: &str, shown: &Path, first: usize) -> Result<(), Diagnostic> {
        self.mark(shown, first);
        let mut rest = text;
        // The line of `rest`'s start, counted as text is consumed (never by
        // counting from the top again, which is quadratic in directives).
        let mut line = first;
        while let Some(at) = rest.find("{{#") {
            line += rest[..at].bytes().filter(|&b| b == b'\n').count();
            // `\{{#…}}`: the directive's text, without the backslash.
            if at > 0 && rest.as_bytes()[at - 1] == b'\\' {
                self.push(&rest[..at - 1])?;
                self.push("{{#")?;
                rest = &rest[at + 3..];
                continue;
            }
            self.push(&rest[..at])?;
            let after = &rest[at..];
            // A directive is on one line; looking further than the line
            // would make a file of many `{{#` quadratic.
            let line_end = after.find('\n').unwrap_or(after.len());
            let Some(end) = after[..line_end].find("}}") else {
                // No directive closes on the rest of this line.
                self.push(&after[..line_end])?;
                rest = &after[line_end..];
                continue;
            };
            let directive = &after[3..end];
            let (name, arg) = directive
                .split_once(char::is_whitespace)
                .unwrap_or((directive, ""));
            let whole = &after[..end + 2];
            rest = &after[end + 2..];
            // `line` is the directive's line; it holds no newline.
            match name {
                "include" | "rustdoc_include" => {
                    match self.include(arg.trim(), shown, line)? {
                        // The rest of the directive's line: it starts a
                        // line of the output only if the pasted text ended
                        // one; otherwise it ends the pasted text's last line
                        // and this file takes over from the next.
                        true if self.out.is_empty() || self.out.ends_with('\n') => {
                            self.mark(shown, line)
                        }
                        true => self.mark_at(self.out_lines + 1, shown, line + 1),
                        false => self.push(whole)?,
                    }
                }
                _ => {
                    self.warn(
                        shown,
                        line,
                        format!("mdBook directive `{{{{#{}}}}}` is not supported", name),
                    );
                    self.push(whole)?;
                }
            }
        }
        self.push(rest)
    }

    fn warn(&mut self, shown: &Path, line: usize, message: String) {
        self.warnings.push(
            Diagnostic::warning(message)
                .at_path(shown, line, 0)
                .hint("the directive is left as text"),
        );
    }

    /// Pastes `arg` (`FILE` with an optional `:range` or `:anchor`), named
    /// in `shown` at `line`. `false` when it is left as text.
    fn include(&mut self, arg: &str, shown: &Path, line: usize) -> Result<bool, Diagnostic> {
        let (rel, selector) = split_selector(arg);
        if rel.is_empty() {
            // `{{#include}}` alone is text about the directive (mdBook's
            // pattern needs a path, and leaves it as it is).
            return Ok(false);
        }
        let here = self.stack.last().cloned().unwrap_or_default();
        let wanted = here.parent().unwrap_or(Path::new("")).join(rel);
        let path = match self.files.resolve_root(&wanted) {
            Ok(p) => p,
            Err(why) => {
                let mut message = format!("{{{{#include}}}}: {}", why.message(rel));
                if why == Refusal::Leaves || why == Refusal::LinksOut {
                    message.push_str(" (includes must stay inside the book)");
                }
                self.warn(shown, line, message);
                return Ok(false);
            }
        };
        if self.stack.iter().any(|p| p == path.rel()) {
            self.warn(
                shown,
                line,
                format!(
                    "{{{{#include}}}}: `{}` includes itself (through {})",
                    rel,
                    self.stack
                        .iter()
                        .map(|p| format!("`{}`", p.display()))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            );
            return Ok(false);
        }
        if self.stack.len() > MAX_DEPTH {
            self.warn(
                shown,
                line,
                format!("{{{{#include}}}}: includes nest more than {MAX_DEPTH} deep"),
            );
            return Ok(false);
        }
        let text = match self.files.read_text(&path, Cap::Text) {
            Ok(t) => t,
            Err(why) => {
                self.warn(
                    shown,
                    line,
                    format!("{{{{#include}}}}: {}", why.message(rel)),
                );
                return Ok(false);
            }
        };
        let (piece, first) = match select(&text, selector) {
            Ok(p) => p,
            Err(why) => {
                self.warn(shown, line, format!("{{{{#include {arg}}}}}: {why}"));
                return Ok(false);
            }
        };
        self.included = true;
        let included_shown = self.files.full(&path);
        self.stack.push(path.rel().to_path_buf());
        let result = self.run(&piece, &included_shown, first);
        self.stack.pop();
        result.map(|()| true)
    }
}

/// `file.rs:2:10` → (`file.rs`, `2:10`). A colon belongs to the file name
/// only when what follows cannot be a selector (Windows drive letters are
/// not paths a book may name anyway).
fn split_selector(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once(':') {
        Some((file, sel)) => (file.trim(), Some(sel.trim())),
        None => (arg.trim(), None),
    }
}

/// The part of `text` a selector asks for, and the 1-based line it starts
/// at in the file.
fn select(text: &str, selector: Option<&str>) -> Result<(String, usize), String> {
    let Some(sel) = selector.filter(|s| !s.is_empty()) else {
        return Ok((text.to_string(), 1));
    };
    let lines: Vec<&str> = text.lines().collect();
    let number = |s: &str| -> Result<Option<usize>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<usize>() {
            Ok(0) => Err("line numbers start at 1".into()),
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(format!("`{}` is not a line number", s)),
        }
    };
    let is_range =
        sel.chars().all(|c| c.is_ascii_digit() || c == ':') && sel.matches(':').count() <= 1;
    if is_range {
        let (from, to) = match sel.split_once(':') {
            None => {
                let n = number(sel)?.unwrap_or(1);
                (n, n)
            }
            Some((a, b)) => (number(a)?.unwrap_or(1), number(b)?.unwrap_or(usize::MAX)),
        };
        if from > lines.len() {
            return Err(format!("the file has only {} lines", lines.len()));
        }
        if to < from {
            return Err(format!(
                "the range ends (line {to}) before it starts (line {from})"
            ));
        }
        let piece = lines[from - 1..to.min(lines.len())].join("\n");
        return Ok((piece, from));
    }
    // An anchor: mdBook's `ANCHOR:\s*name` / `ANCHOR_END:\s*name`, anywhere
    // on a line (inside whatever comment the language has).
    let name = sel;
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "`{}` is neither a line range nor an anchor name",
            name
        ));
    }
    let anchor = |line: &str, key: &str| -> Option<String> {
        let at = line.find(key)?;
        let rest = line[at + key.len()..].trim_start();
        let n: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        (!n.is_empty()).then_some(n)
    };
    let is_marker = |line: &str| line.contains("ANCHOR:") || line.contains("ANCHOR_END:");
    let Some(start) = lines
        .iter()
        .position(|l| anchor(l, "ANCHOR:").as_deref() == Some(name))
    else {
        return Err(format!("no `ANCHOR: {name}` in the file"));
    };
    let Some(len) = lines[start + 1..]
        .iter()
        .position(|l| anchor(l, "ANCHOR_END:").as_deref() == Some(name))
    else {
        return Err(format!("`ANCHOR: {name}` has no `ANCHOR_END: {name}`"));
    };
    let piece: Vec<&str> = lines[start + 1..start + 1 + len]
        .iter()
        .copied()
        .filter(|l| !is_marker(l))
        .collect();
    Ok((piece.join("\n"), start + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Book {
        dir: PathBuf,
        files: BookFiles,
    }

    impl Drop for Book {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    fn book(name: &str, files: &[(&str, &str)]) -> Book {
        let dir = std::env::temp_dir().join(format!("samizdat-inc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let p = dir.join("book").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        std::fs::write(dir.join("secret.md"), "SECRET").unwrap();
        let files = BookFiles::new(&dir.join("book")).unwrap();
        Book { dir, files }
    }

    fn run(b: &Book, chapter: &str) -> (Expanded, Vec<String>) {
        let path = b.files.resolve(Path::new(chapter)).unwrap();
        let text = b.files.read_text(&path, Cap::Text).unwrap();
        let mut w = Vec::new();
        let e = expand(&b.files, &path, &b.files.full(&path), text, &mut w).unwrap();
        (e, w.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn line_ranges_follow_mdbook() {
        let b = book(
            "ranges",
            &[
                ("lines.txt", "one\ntwo\nthree\nfour\n"),
                (
                    "ch.md",
                    "[{{#include lines.txt:2}}] [{{#include lines.txt::2}}] [{{#include lines.txt:3:}}] [{{#include lines.txt:2:3}}]",
                ),
            ],
        );
        let (e, w) = run(&b, "ch.md");
        assert_eq!(
            e.text, "[two] [one\ntwo] [three\nfour] [two\nthree]",
            "{w:?}"
        );
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn anchors_take_their_lines_without_markers() {
        let b = book(
            "anchors",
            &[
                (
                    "code/main.rs",
                    "// ANCHOR: all\nfn main() {\n    // ANCHOR: body\n    run();\n    // ANCHOR_END: body\n}\n// ANCHOR_END: all\n",
                ),
                (
                    "ch.md",
                    "```rust\n{{#include code/main.rs:body}}\n```\n\n```rust\n{{#rustdoc_include code/main.rs:all}}\n```\n{{#include code/main.rs:nope}}\n",
                ),
            ],
        );
        let (e, w) = run(&b, "ch.md");
        assert!(e.text.starts_with("```rust\n    run();\n```"), "{}", e.text);
        assert!(
            e.text.contains("```rust\nfn main() {\n    run();\n}\n```"),
            "{}",
            e.text
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("no `ANCHOR: nope`"), "{w:?}");
        assert!(e.text.contains("{{#include code/main.rs:nope}}"));
    }

    #[test]
    fn nested_includes_resolve_from_the_including_file() {
        let b = book(
            "nested",
            &[
                ("ch.md", "A\n{{#include parts/p.md}}\nZ\n"),
                ("parts/p.md", "P1\n{{#include q.md}}\nP3"),
                ("parts/q.md", "Q"),
            ],
        );
        let (e, w) = run(&b, "ch.md");
        assert_eq!(e.text, "A\nP1\nQ\nP3\nZ\n");
        assert!(w.is_empty(), "{w:?}");
        // Each line knows its file and line.
        let lines: Vec<_> = e
            .origins
            .iter()
            .map(|o| {
                (
                    o.line,
                    o.path.file_name().unwrap().to_string_lossy().into_owned(),
                    o.origin_line,
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (0, "ch.md".into(), 1),
                (1, "p.md".into(), 1),
                (2, "q.md".into(), 1),
                (3, "p.md".into(), 3),
                (4, "ch.md".into(), 3),
            ]
        );
    }

    #[test]
    fn cycles_are_cut_with_a_warning() {
        let b = book(
            "cycle",
            &[
                ("ch.md", "{{#include a.md}}"),
                ("a.md", "a {{#include b.md}}"),
                ("b.md", "b {{#include a.md}}"),
                ("self.md", "s {{#include self.md}}"),
            ],
        );
        let (e, w) = run(&b, "ch.md");
        assert_eq!(e.text, "a b {{#include a.md}}");
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("includes itself"), "{w:?}");
        let (e, w) = run(&b, "self.md");
        assert_eq!(e.text, "s {{#include self.md}}");
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn expansion_counts_against_the_cap() {
        // 1 KiB pasted 64 times per level, two levels: 4 MiB — under the
        // cap; a third level goes over.
        let kib = "x".repeat(1023) + "\n";
        let sixty_four = "{{#include NEXT}}".repeat(64);
        let b = book(
            "bomb",
            &[
                ("k.md", &kib),
                ("l1.md", &sixty_four.replace("NEXT", "k.md")),
                ("l2.md", &sixty_four.replace("NEXT", "l1.md")),
                ("l3.md", &sixty_four.replace("NEXT", "l2.md")),
                ("ok.md", "{{#include l2.md}}"),
                ("bomb.md", "{{#include l3.md}}"),
            ],
        );
        let (e, _) = run(&b, "ok.md");
        assert_eq!(e.text.len(), 64 * 64 * 1024);
        let path = b.files.resolve(Path::new("bomb.md")).unwrap();
        let mut w = Vec::new();
        let err = expand(
            &b.files,
            &path,
            Path::new("bomb.md"),
            "{{#include l3.md}}".into(),
            &mut w,
        )
        .unwrap_err();
        assert!(err.message.contains("over 16 MiB"), "{}", err.message);
    }

    #[test]
    fn escapes_outside_paths_and_unknown_directives() {
        let b = book(
            "misc",
            &[(
                "ch.md",
                "\\{{#include x.md}} {{#include ../secret.md}} {{#title T}} {{#include missing.md}} {{#include}}",
            )],
        );
        let (e, w) = run(&b, "ch.md");
        assert_eq!(
            e.text,
            "{{#include x.md}} {{#include ../secret.md}} {{#title T}} {{#include missing.md}} {{#include}}"
        );
        assert!(!e.text.contains("SECRET"));
        // `{{#include}}` without a file is text about the directive: silent.
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("leaves the book"), "{w:?}");
        assert!(w[1].contains("not supported"), "{w:?}");
        assert!(w[2].contains("does not exist"), "{w:?}");
    }
}
