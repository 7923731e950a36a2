//! A book's own EPUB stylesheet and what it points at: every `@import` and
//! `url()` target that is a file of the book is read through the book's
//! files (so the fence holds), packaged under `css/res/`, and the reference
//! rewritten to it; anything else (a remote URL, a file outside the book or
//! missing, a type EPUB does not allow) is a warning at its line and the
//! reference is replaced by `none`, so that EPUBCheck finds no dangling or
//! remote resource (EPUB 3.3, §3.6 "Resource locations", and the core
//! media types of §3.2).
//!
//! CSS is read only as far as this needs (CSS Syntax Level 3, §4: comments,
//! strings, `url(` tokens, `@import`); the rest is copied as it is.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{Diagnostic, Warnings};
use crate::files::{BookFiles, BookPath, Cap, Refusal};
use crate::image::sniff;

/// How deep `@import`s may nest.
const MAX_DEPTH: usize = 8;

/// One file a stylesheet uses, packaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Path inside the package directory (`css/res/paper.png`).
    pub href: String,
    /// Its media type.
    pub mime: &'static str,
    /// The bytes (for an imported stylesheet, rewritten).
    pub data: Vec<u8>,
}

/// The stylesheet `path` of the book, with text `css`: its text with
/// references rewritten, and the files it uses.
pub fn bundle(
    files: &BookFiles,
    path: &BookPath,
    css: &str,
    warnings: &mut Warnings,
) -> (String, Vec<Resource>) {
    let mut b = Bundler {
        files,
        resources: Vec::new(),
        by_path: HashMap::new(),
        stack: vec![path.clone()],
        warnings,
    };
    let text = b.rewrite(path, css, "res/");
    (text, b.resources)
}

struct Bundler<'a> {
    files: &'a BookFiles,
    resources: Vec<Resource>,
    /// Packaged files by book path: their name in `css/res/`.
    by_path: HashMap<BookPath, String>,
    /// Stylesheets being rewritten, outermost first (for cycles).
    stack: Vec<BookPath>,
    warnings: &'a mut Warnings,
}

impl Bundler<'_> {
    /// Rewrites the references of `css` (the text of `path`); `prefix` is
    /// how `path`'s package location reaches `css/res/`.
    fn rewrite(&mut self, path: &BookPath, css: &str, prefix: &str) -> String {
        let mut out = String::with_capacity(css.len());
        let bytes = css.as_bytes();
        let mut i = 0;
        let mut copied = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = css[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |e| i + 2 + e + 2);
                }
                q @ (b'"' | b'\'') => i = string_end(bytes, i, q),
                b'@' if css[i..].len() >= 7 && css[i + 1..i + 7].eq_ignore_ascii_case("import") => {
                    let mut j = i + 7;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    let target = match bytes.get(j) {
                        Some(&q @ (b'"' | b'\'')) => {
                            let end = string_end(bytes, j, q);
                            Some((unescape(&css[j + 1..end.saturating_sub(1).max(j + 1)]), end))
                        }
                        _ => url_at(css, j),
                    };
                    match target {
                        Some((url, end)) => {
                            out.push_str(&css[copied..i]);
                            let line = css[..i].matches('\n').count() + 1;
                            match self.target(path, &url, line, true) {
                                Some(href) => {
                                    out.push_str(&format!("@import url(\"{prefix}{href}\")"))
                                }
                                // A dropped import: the rule's rest (media
                                // queries, `;`) stays harmless without it.
                                None => out.push_str("@import url(\"data:text/css,\")"),
                            }
                            copied = end;
                            i = end;
                        }
                        None => i += 1,
                    }
                }
                b'u' | b'U' => match url_at(css, i) {
                    // Inline data and fragments of the document itself
                    // (SVG filters) are no files: left as written.
                    Some((url, end)) if is_inline(&url) => i = end,
                    Some((url, end)) if i == 0 || !is_name_byte(bytes[i - 1]) => {
                        out.push_str(&css[copied..i]);
                        let line = css[..i].matches('\n').count() + 1;
                        match self.target(path, &url, line, false) {
                            Some(href) => out.push_str(&format!("url(\"{prefix}{href}\")")),
                            None => out.push_str("none"),
                        }
                        copied = end;
                        i = end;
                    }
                    _ => i += 1,
                },
                _ => i += 1,
            }
        }
        out.push_str(&css[copied..]);
        out
    }

    fn warn(&mut self, path: &BookPath, line: usize, message: String) {
        self.warnings.push(
            Diagnostic::warning(message)
                .at_path(self.files.full(path), line, 0)
                .hint("the reference is left out of the EPUB"),
        );
    }

    /// Warns that the book's files refused the resource `url`; `None`, for
    /// the caller to return.
    fn refused(
        &mut self,
        path: &BookPath,
        line: usize,
        url: &str,
        why: &Refusal,
    ) -> Option<String> {
        self.warn(
            path,
            line,
            format!("stylesheet resource {}", why.message(url)),
        );
        None
    }

    /// Packages the target of `url`, referenced from `path` at `line`;
    /// its name in `css/res/`, or `None` (warned) when it cannot go in.
    fn target(&mut self, path: &BookPath, url: &str, line: usize, import: bool) -> Option<String> {
        let url = url.trim();
        if url.is_empty() {
            return None;
        }
        let scheme = url.split_once(':').is_some_and(|(s, _)| {
            s.len() > 1
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if scheme || url.starts_with("//") {
            self.warn(
                path,
                line,
                format!("the stylesheet refers to `{url}`, which is not a file of the book (an EPUB carries its resources)"),
            );
            return None;
        }
        let clean = crate::files::url_path(url);
        let base = path.rel().parent().unwrap_or(Path::new(""));
        let found = match self.files.resolve_root(&base.join(&clean)) {
            Ok(p) => p,
            Err(why) => return self.refused(path, line, url, &why),
        };
        if let Some(name) = self.by_path.get(&found) {
            return Some(name.clone());
        }
        if self.stack.contains(&found) {
            self.warn(path, line, format!("`{url}` imports itself"));
            return None;
        }
        let cap = if import { Cap::Text } else { Cap::Font };
        let data = match self.files.read(&found, cap) {
            Ok(d) => d,
            Err(why) => return self.refused(path, line, url, &why),
        };
        let (mime, ext, data) = if import {
            if self.stack.len() > MAX_DEPTH {
                self.warn(
                    path,
                    line,
                    format!("`@import`s nest more than {MAX_DEPTH} deep"),
                );
                return None;
            }
            let Ok(text) = crate::files::text_of(data.to_vec()) else {
                self.warn(
                    path,
                    line,
                    format!("imported stylesheet `{url}` is not UTF-8"),
                );
                return None;
            };
            self.stack.push(found.clone());
            // Imported sheets sit in css/res/ beside what they use.
            let text = self.rewrite(&found, &text, "");
            self.stack.pop();
            ("text/css", "css", text.into_bytes())
        } else {
            match media_type(&data) {
                Some((mime, ext)) => (mime, ext, data.to_vec()),
                None => {
                    self.warn(
                        path,
                        line,
                        format!("stylesheet resource `{url}` is not an image or font type an EPUB may hold"),
                    );
                    return None;
                }
            }
        };
        let stem = found
            .rel()
            .file_stem()
            .map(|s| super::media::ascii_name(&s.to_string_lossy()))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "resource".into());
        let mut name = format!("{stem}.{ext}");
        let mut n = 2;
        while self
            .resources
            .iter()
            .any(|r| r.href == format!("css/res/{name}"))
        {
            name = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        self.resources.push(Resource {
            href: format!("css/res/{name}"),
            mime,
            data,
        });
        self.by_path.insert(found, name.clone());
        Some(name)
    }
}

/// The media type and extension of a resource, from its bytes: the EPUB
/// 3.3 core image and font types.
fn media_type(data: &[u8]) -> Option<(&'static str, &'static str)> {
    if let Some(kind) = sniff(data) {
        return Some((kind.mime(), kind.extension()));
    }
    match data.get(..4)? {
        b"OTTO" => Some(("font/otf", "otf")),
        [0, 1, 0, 0] | b"true" => Some(("font/ttf", "ttf")),
        b"wOFF" => Some(("font/woff", "woff")),
        b"wOF2" => Some(("font/woff2", "woff2")),
        _ => None,
    }
}

/// A `data:` URL or a `#fragment`: part of the stylesheet, not a file.
fn is_inline(url: &str) -> bool {
    let url = url.trim();
    url.starts_with('#')
        || url
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// One past the closing quote of the string opening at `start` (or the
/// end of the line, where CSS ends an unclosed string).
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A `url(…)` at `at`: its (unescaped) target and one past the `)`.
fn url_at(css: &str, at: usize) -> Option<(String, usize)> {
    let head = css.get(at..at + 4)?;
    if !head.eq_ignore_ascii_case("url(") {
        return None;
    }
    let bytes = css.as_bytes();
    let mut i = at + 4;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let (target, mut i) = match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = string_end(bytes, i, q);
            (unescape(&css[i + 1..end.saturating_sub(1).max(i + 1)]), end)
        }
        _ => {
            let end = css[i..].find(')').map_or(bytes.len(), |e| i + e);
            (unescape(css[i..end].trim()), end)
        }
    };
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    (bytes.get(i) == Some(&b')')).then_some((target, i + 1))
}

/// CSS escapes (`\\41 `, `\\"`) in a string or URL, decoded (CSS Syntax
/// §4.3.7), so that a reference cannot hide from the checks above.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            match chars.next() {
                Some('\n') | None => {}
                Some(other) => out.push(other),
            }
            continue;
        }
        if chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
        out.push(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dir(std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn local_resources_are_packaged_and_the_rest_dropped() {
        let dir = Dir(std::env::temp_dir().join(format!("samizdat-css-{}", std::process::id())));
        let book = dir.0.join("book");
        std::fs::create_dir_all(book.join("style/img")).unwrap();
        std::fs::write(book.join("style/img/paper.png"), b"\x89PNG\r\n\x1a\n....").unwrap();
        std::fs::write(book.join("style/face.woff2"), b"wOF2....").unwrap();
        std::fs::write(book.join("style/notes.txt"), b"hello").unwrap();
        std::fs::write(
            book.join("style/more.css"),
            "p { background: url(img/paper.png) }\n@import 'main.css';\n",
        )
        .unwrap();
        std::fs::write(dir.0.join("secret.png"), b"\x89PNG\r\n\x1a\n....").unwrap();
        let css = "/* url(ignored.png) */\n@import \"more.css\";\nbody { background: URL( 'img/paper.png' ) }\n@font-face { src: url(face.woff2) format('woff2') }\nh1 { background: url(https://example.org/x.png) }\nh2 { background: url(../../secret.png) }\nh3 { background: url(notes.txt) }\nh4 { background: url(\\2e\\2e/\\2e\\2e/secret.png) }\nh5 { content: \"url(not-a-url)\" }\n";
        std::fs::write(book.join("style/main.css"), css).unwrap();
        let files = BookFiles::new(&book).unwrap();
        let path = files.resolve_root(Path::new("style/main.css")).unwrap();
        let mut w = Vec::new();
        let (text, res) = bundle(&files, &path, css, &mut w);
        let hrefs: Vec<_> = res.iter().map(|r| (r.href.as_str(), r.mime)).collect();
        assert_eq!(
            hrefs,
            [
                ("css/res/paper.png", "image/png"),
                ("css/res/more.css", "text/css"),
                ("css/res/face.woff2", "font/woff2"),
            ],
            "{w:?}"
        );
        assert!(text.contains("/* url(ignored.png) */"), "{text}");
        assert!(text.contains("@import url(\"res/more.css\");"), "{text}");
        assert!(
            text.contains("background: url(\"res/paper.png\") }"),
            "{text}"
        );
        assert!(
            text.contains("src: url(\"res/face.woff2\") format"),
            "{text}"
        );
        assert!(text.contains("h1 { background: none }"), "{text}");
        assert!(text.contains("h2 { background: none }"), "{text}");
        assert!(text.contains("h4 { background: none }"), "{text}");
        assert!(text.contains("\"url(not-a-url)\""), "{text}");
        let more = String::from_utf8(res[1].data.clone()).unwrap();
        assert!(more.contains("url(\"paper.png\")"), "{more}");
        // main.css importing itself back is cut.
        assert!(more.contains("@import url(\"data:text/css,\")"), "{more}");
        let messages: Vec<_> = w.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 5, "{messages:?}");
        assert!(
            messages.iter().any(|m| m.contains("imports itself")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("https://example.org")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("leaves the book")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("notes.txt")),
            "{messages:?}"
        );
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(unescape(r"\2e\2e/a\ b"), "../a b");
        assert_eq!(unescape(r"\0"), "\u{FFFD}");
        assert_eq!(url_at("url( \"a\\\"b\" )x", 0), Some(("a\"b".into(), 13)));
        assert_eq!(url_at("url(a.png", 0), None);
    }
}
