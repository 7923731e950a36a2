//! Raw HTML from the Markdown → well-formed, safe XHTML.
//!
//! A small tolerant tokenizer (after the states of the WHATWG HTML tokenizer
//! that matter for fragments: tags, attributes, comments, raw-text elements,
//! character references) feeds a tree fixer that keeps a stack of open
//! elements, so whatever goes in, what comes out is balanced and escaped.
//! Elements and attributes pass through allow-lists; `script`, `style`,
//! `iframe`, `object`, form controls and foreign content are dropped with
//! their content, unknown elements are unwrapped (their text is kept),
//! `on*` attributes and `javascript:` URLs are removed. Every removal is
//! reported as a message; the caller attaches the span.
//!
//! Why not html5ever: it is a full HTML5 parser with a large dependency tree
//! (markup5ever, string_cache, phf, tendril…), built for whole documents; our
//! input is short fragments whose result goes through an allow-list anyway,
//! so the small state machine below does the job in a few hundred lines with
//! no dependency.
//!
//! Markdown splits raw HTML into pieces (`<span>` and `</span>` arrive as
//! separate inlines with Markdown between them), so a [`Fragment`] keeps its
//! open elements across calls to [`Fragment::feed`] and closes whatever is
//! still open in [`Fragment::finish`]. The XHTML writer opens one fragment
//! per container (paragraph, emphasis, block list), which keeps the output
//! nested properly whatever the author wrote.
//!
//! URLs and ids are not judged here: [`Resolve`] lets the writer rewrite
//! links, package images and keep ids unique in the document.

use std::collections::BTreeSet;

use super::xhtml::{escape_attr, escape_text};

/// Where a fragment's output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    /// Between blocks: any allowed element.
    Flow,
    /// Inside a paragraph or another inline container: phrasing elements only.
    Phrasing,
}

/// What the writer decides about URLs and ids met in raw HTML.
pub(super) trait Resolve {
    /// The `href` to write for a link, or `None` to drop the attribute.
    fn href(&mut self, url: &str) -> Option<String>;
    /// The `src` to write for an image, or `None` to drop the image.
    fn image(&mut self, src: &str) -> Option<String>;
    /// Whether an `id` may be used (unique in the document); records it.
    fn id(&mut self, id: &str) -> bool;
}

/// One raw HTML container: open elements persist between [`Fragment::feed`]
/// calls. Invariant: `open` lists exactly the elements this fragment wrote a
/// start tag for and no end tag yet, innermost last.
#[derive(Debug)]
pub(super) struct Fragment {
    context: Context,
    open: Vec<&'static str>,
    /// Elements being skipped with their content: (name, nesting depth).
    skipping: Option<(String, usize)>,
    /// What was removed, for warnings.
    removed: BTreeSet<String>,
}

impl Fragment {
    /// A fragment in `context` with nothing open.
    pub(super) fn new(context: Context) -> Self {
        Fragment {
            context,
            open: Vec::new(),
            skipping: None,
            removed: BTreeSet::new(),
        }
    }

    /// Whether no element is open.
    pub(super) fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    /// Sanitises `html`, appends the result to `out` and says what it
    /// removed, one message per kind of removal.
    pub(super) fn feed(
        &mut self,
        html: &str,
        out: &mut String,
        resolve: &mut dyn Resolve,
    ) -> Vec<String> {
        for token in tokenize(html) {
            self.token(token, out, resolve);
        }
        std::mem::take(&mut self.removed).into_iter().collect()
    }

    /// Closes open elements until a Markdown block may follow: anything that
    /// only holds phrasing content or is a list or table skeleton is closed.
    pub(super) fn close_to_flow(&mut self, out: &mut String) {
        while let Some(&top) = self.open.last() {
            if holds_flow(top) {
                break;
            }
            self.pop(out);
        }
    }

    /// Closes everything still open.
    pub(super) fn finish(&mut self, out: &mut String) {
        while !self.open.is_empty() {
            self.pop(out);
        }
        self.skipping = None;
    }

    fn pop(&mut self, out: &mut String) {
        if let Some(name) = self.open.pop() {
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
    }

    fn token(&mut self, token: Token, out: &mut String, resolve: &mut dyn Resolve) {
        if let Some((skip, depth)) = &mut self.skipping {
            match &token {
                Token::Start {
                    name, self_closing, ..
                } if name == skip && !*self_closing => *depth += 1,
                Token::End { name } if name == skip => {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skipping = None;
                    }
                }
                _ => {}
            }
            return;
        }
        match token {
            Token::Text(text) => self.text(&text, out),
            Token::Comment => {}
            Token::Start {
                name,
                attrs,
                self_closing,
            } => self.start(&name, attrs, self_closing, out, resolve),
            Token::End { name } => self.end(&name, out),
        }
    }

    fn text(&mut self, text: &str, out: &mut String) {
        if let Some(&top) = self.open.last()
            && skeleton(top)
        {
            if !text.trim().is_empty() {
                self.removed
                    .insert(format!("removed text directly inside <{top}>"));
            }
            return;
        }
        escape_text(text, out);
    }

    fn start(
        &mut self,
        name: &str,
        attrs: Vec<(String, String)>,
        self_closing: bool,
        out: &mut String,
        resolve: &mut dyn Resolve,
    ) {
        if DROPPED.contains(&name) {
            self.removed
                .insert(format!("removed <{name}> element and its content"));
            if !self_closing && !VOID_DROPPED.contains(&name) {
                self.skipping = Some((name.to_string(), 1));
            }
            return;
        }
        let Some(&name) = ALLOWED.iter().find(|&&n| n == name) else {
            if !matches!(name, "html" | "body" | "head") {
                self.removed.insert(format!(
                    "removed unknown element <{name}> (its content is kept)"
                ));
            }
            return;
        };
        if !self.place(name, out) {
            return;
        }
        let attrs = self.attributes(name, attrs, resolve);
        let Some(attrs) = attrs else {
            return; // an image whose source could not be used
        };
        out.push('<');
        out.push_str(name);
        out.push_str(&attrs);
        if VOID.contains(&name) {
            out.push_str("/>");
        } else if self_closing {
            // `<span/>` means an open tag in HTML; in XHTML we close it.
            out.push_str("></");
            out.push_str(name);
            out.push('>');
        } else {
            out.push('>');
            self.open.push(name);
        }
    }

    /// Fixes the open elements so that `name` may start here, after the
    /// HTML parser's implied end tags; `false` unwraps the element.
    fn place(&mut self, name: &'static str, out: &mut String) -> bool {
        let block = !PHRASING.contains(&name);
        if block && self.context == Context::Phrasing {
            self.removed.insert(format!(
                "removed block element <{name}> inside running text (its content is kept)"
            ));
            return false;
        }
        // Implied end tags: a new item closes the previous one, a block closes `p`.
        let closes: &[&str] = match name {
            "li" => &["li"],
            "dt" | "dd" => &["dt", "dd"],
            "tr" => &["tr", "td", "th"],
            "td" | "th" => &["td", "th"],
            "thead" | "tbody" | "tfoot" => &["thead", "tbody", "tfoot"],
            _ if block => &["p"],
            _ => &[],
        };
        if !closes.is_empty() {
            let parents = parent_of(name).unwrap_or(&[]);
            // Look no further out than the element that would hold this one:
            // its parent for an item or cell, a flow container for a block.
            let from = self
                .open
                .iter()
                .rposition(|n| {
                    if parents.is_empty() {
                        holds_flow(n)
                    } else {
                        parents.contains(n)
                    }
                })
                .map_or(0, |b| b + 1);
            if let Some(pos) = (from..self.open.len()).find(|&i| closes.contains(&self.open[i])) {
                while self.open.len() > pos {
                    self.pop(out);
                }
            }
        }
        if let Some(parents) = parent_of(name) {
            if !self.open.last().is_some_and(|top| parents.contains(top)) {
                self.removed.insert(format!(
                    "removed <{name}> outside its parent element (its content is kept)"
                ));
                return false;
            }
        } else if let Some(&top) = self.open.last() {
            if skeleton(top) {
                self.removed.insert(format!(
                    "removed <{name}> directly inside <{top}> (its content is kept)"
                ));
                return false;
            }
            if block && self.open.iter().any(|n| holds_phrasing_only(n)) {
                self.removed.insert(format!(
                    "removed block element <{name}> inside <{top}> (its content is kept)"
                ));
                return false;
            }
            if name == "a" && self.open.contains(&"a") {
                self.removed
                    .insert("removed a link nested in a link".to_string());
                return false;
            }
        }
        true
    }

    /// The allowed attributes of `name`, serialised; `None` drops the element.
    fn attributes(
        &mut self,
        name: &'static str,
        attrs: Vec<(String, String)>,
        resolve: &mut dyn Resolve,
    ) -> Option<String> {
        let mut out = String::new();
        let mut seen = BTreeSet::new();
        let mut alt = None;
        for (key, value) in attrs {
            if !seen.insert(key.clone()) {
                continue; // HTML keeps the first of duplicate attributes
            }
            let value = value.as_str();
            let kept: Option<String> = match key.as_str() {
                k if k.starts_with("on") => {
                    self.removed.insert(format!("removed {k} attribute"));
                    None
                }
                "style" => {
                    self.removed.insert("removed style attribute".to_string());
                    None
                }
                "id" => {
                    if value.is_empty() || value.contains(char::is_whitespace) || !resolve.id(value)
                    {
                        self.removed
                            .insert(format!("removed duplicate or invalid id \"{value}\""));
                        None
                    } else {
                        Some(value.to_string())
                    }
                }
                "class" | "title" => Some(value.to_string()),
                "lang" => {
                    push_attr(&mut out, "xml:lang", value);
                    Some(value.to_string())
                }
                "dir" if matches!(value, "ltr" | "rtl" | "auto") => Some(value.to_string()),
                "role" | "epub:type" => Some(value.to_string()),
                k if k.starts_with("aria-") && k.len() > 5 => Some(value.to_string()),
                "href" if name == "a" => {
                    if dangerous_url(value) {
                        self.removed.insert("removed javascript: URL".to_string());
                        None
                    } else {
                        resolve.href(value)
                    }
                }
                "src" if name == "img" => {
                    if dangerous_url(value) {
                        self.removed.insert("removed javascript: URL".to_string());
                        return None;
                    }
                    match resolve.image(value) {
                        Some(src) => Some(src),
                        None => return None,
                    }
                }
                "alt" if name == "img" => {
                    alt = Some(value.to_string());
                    continue;
                }
                "width" | "height" if name == "img" => digits(value),
                "colspan" | "rowspan" if matches!(name, "td" | "th") => digits(value),
                "span" if matches!(name, "col" | "colgroup") => digits(value),
                "scope"
                    if name == "th" && matches!(value, "row" | "col" | "rowgroup" | "colgroup") =>
                {
                    Some(value.to_string())
                }
                "start" if name == "ol" => integer(value),
                "value" if name == "li" => integer(value),
                "reversed" if name == "ol" => Some("reversed".to_string()),
                "type" if name == "ol" && matches!(value, "1" | "a" | "A" | "i" | "I") => {
                    Some(value.to_string())
                }
                "datetime" if matches!(name, "time" | "del" | "ins") => Some(value.to_string()),
                _ => None, // not on the allow-list: dropped quietly
            };
            if let Some(v) = kept {
                push_attr(&mut out, &key, &v);
            }
        }
        if name == "img" {
            if !seen.contains("src") {
                self.removed.insert("removed <img> without src".to_string());
                return None;
            }
            let alt = alt.unwrap_or_else(|| {
                self.removed
                    .insert("image without alt text (add an alt attribute)".to_string());
                String::new()
            });
            push_attr(&mut out, "alt", &alt);
        }
        Some(out)
    }

    fn end(&mut self, name: &str, out: &mut String) {
        // Close up to the matching element, if this fragment opened one;
        // a stray end tag is ignored, as the HTML parser does.
        if let Some(pos) = self.open.iter().rposition(|&n| n == name) {
            while self.open.len() > pos {
                self.pop(out);
            }
        }
    }
}

fn push_attr(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    escape_attr(value, out);
    out.push('"');
}

fn digits(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty() && v.len() < 7 && v.bytes().all(|b| b.is_ascii_digit())).then(|| v.to_string())
}

fn integer(v: &str) -> Option<String> {
    let v = v.trim();
    v.parse::<i64>().ok().map(|n| n.to_string())
}

/// `javascript:`, `vbscript:` and `data:` URLs, however they are spelt
/// (browsers ignore ASCII whitespace and control characters inside the scheme).
pub(super) fn dangerous_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// The `id` attributes of the elements that survive sanitising, so links
/// to them can be resolved before the documents are written.
pub(super) fn ids(html: &str) -> Vec<String> {
    tokenize(html)
        .into_iter()
        .filter_map(|t| match t {
            Token::Start { name, attrs, .. } if ALLOWED.contains(&name.as_str()) => attrs
                .into_iter()
                .find(|(k, v)| k == "id" && !v.is_empty() && !v.contains(char::is_whitespace))
                .map(|(_, v)| v),
            _ => None,
        })
        .collect()
}

/// Elements kept, with their allowed attributes chosen in `attributes`.
const ALLOWED: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements that hold only phrasing content, or are themselves phrasing.
const PHRASING: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins",
    "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup",
    "time", "u", "var", "wbr",
];

/// Void elements: written `<br/>`, never opened.
const VOID: &[&str] = &["br", "col", "hr", "img", "wbr"];

/// Dropped together with their content.
const DROPPED: &[&str] = &[
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "option",
    "optgroup",
    "label",
    "fieldset",
    "legend",
    "datalist",
    "output",
    "noscript",
    "template",
    "svg",
    "math",
    "canvas",
    "audio",
    "video",
    "source",
    "track",
    "title",
    "head",
    "meta",
    "link",
    "base",
    "frame",
    "frameset",
    "noframes",
    "noembed",
    "param",
    "dialog",
    "portal",
    "slot",
    "xmp",
    "plaintext",
    "area",
    "map",
    "keygen",
    "picture",
];

/// Dropped elements that have no end tag.
const VOID_DROPPED: &[&str] = &[
    "embed", "input", "source", "track", "meta", "link", "base", "param", "area", "keygen",
];

/// Elements whose content is parsed as raw text by the tokenizer.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "iframe", "noscript", "xmp", "noembed", "noframes",
];

/// Elements that take flow content (a Markdown block may follow inside).
fn holds_flow(name: &str) -> bool {
    matches!(
        name,
        "article"
            | "aside"
            | "blockquote"
            | "caption"
            | "dd"
            | "details"
            | "div"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "li"
            | "section"
            | "td"
            | "th"
    )
}

/// Elements that hold only phrasing content (a block may not open inside).
fn holds_phrasing_only(name: &str) -> bool {
    PHRASING.contains(&name)
        || matches!(
            name,
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" | "summary" | "dt"
        )
}

/// List and table skeletons: they hold only specific children, no text.
fn skeleton(name: &str) -> bool {
    matches!(
        name,
        "ul" | "ol" | "dl" | "table" | "thead" | "tbody" | "tfoot" | "tr" | "colgroup"
    )
}

/// The elements that must directly contain `name`, for those that need one.
fn parent_of(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "li" => &["ul", "ol"],
        "dt" | "dd" => &["dl"],
        "tr" => &["table", "tbody", "thead", "tfoot"],
        "td" | "th" => &["tr"],
        "thead" | "tbody" | "tfoot" | "caption" | "colgroup" => &["table"],
        "col" => &["colgroup", "table"],
        "figcaption" => &["figure"],
        "summary" => &["details"],
        "rt" | "rp" => &["ruby"],
        _ => return None,
    })
}

/// A token of the HTML tokenizer, reduced to what the sanitiser needs.
#[derive(Debug, PartialEq)]
enum Token {
    /// Text with character references decoded.
    Text(String),
    /// A start tag; names are lower-cased, values decoded.
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    /// An end tag.
    End { name: String },
    /// A comment, doctype, processing instruction or CDATA section.
    Comment,
}

/// Splits HTML into tokens. Tolerant: a `<` that starts no tag is text, an
/// unterminated tag at the end is dropped, and the content of raw-text
/// elements (`script`, `style`…) is one text token up to its end tag.
fn tokenize(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    let flush = |tokens: &mut Vec<Token>, from: usize, to: usize| {
        if from < to {
            tokens.push(Token::Text(decode_entities(&html[from..to])));
        }
    };
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        let next = bytes.get(i + 1).copied();
        if let Some(comment) = rest.strip_prefix("<!--") {
            flush(&mut tokens, text_start, i);
            let end = comment.find("-->").map_or(html.len(), |p| i + 4 + p + 3);
            tokens.push(Token::Comment);
            i = end;
            text_start = i;
        } else if matches!(next, Some(b'!') | Some(b'?')) {
            flush(&mut tokens, text_start, i);
            let end = rest.find('>').map_or(html.len(), |p| i + p + 1);
            tokens.push(Token::Comment);
            i = end;
            text_start = i;
        } else if next == Some(b'/') && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            flush(&mut tokens, text_start, i);
            let name_end = name_end(bytes, i + 2);
            let name = html[i + 2..name_end].to_ascii_lowercase();
            let end = html[name_end..]
                .find('>')
                .map_or(html.len(), |p| name_end + p + 1);
            tokens.push(Token::End { name });
            i = end;
            text_start = i;
        } else if next.is_some_and(|b| b.is_ascii_alphabetic()) {
            flush(&mut tokens, text_start, i);
            match start_tag(html, i) {
                Some((token, end)) => {
                    let raw = match &token {
                        Token::Start {
                            name, self_closing, ..
                        } if !self_closing && RAW_TEXT.contains(&name.as_str()) => {
                            Some(name.clone())
                        }
                        _ => None,
                    };
                    tokens.push(token);
                    i = end;
                    text_start = i;
                    if let Some(name) = raw {
                        let close = format!("</{name}");
                        let lower = html[i..].to_ascii_lowercase();
                        let stop = lower.find(&close).map_or(html.len(), |p| i + p);
                        if stop > i {
                            tokens.push(Token::Text(html[i..stop].to_string()));
                        }
                        i = stop;
                        text_start = i;
                    }
                }
                None => {
                    // EOF inside a tag: the HTML tokenizer drops it.
                    i = html.len();
                    text_start = i;
                }
            }
        } else {
            i += 1;
        }
    }
    flush(&mut tokens, text_start, html.len());
    tokens
}

fn name_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    i
}

/// Reads a start tag at `at` (which holds `<` and a letter): the token and
/// the offset after `>`, or `None` if the input ends first.
fn start_tag(html: &str, at: usize) -> Option<(Token, usize)> {
    let bytes = html.as_bytes();
    let mut i = name_end(bytes, at + 1);
    let name = html[at + 1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                return Some((
                    Token::Start {
                        name,
                        attrs,
                        self_closing,
                    },
                    i + 1,
                ));
            }
            b'/' => {
                i += 1;
                self_closing = bytes.get(i) == Some(&b'>');
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let key_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'>' | b'/' | b'=')
        {
            i += 1;
        }
        // `=` as the first character of a name is part of it (WHATWG 13.2.5.32).
        if i == key_start {
            i += 1;
        }
        let key = html[key_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i)? {
                &q @ (b'"' | b'\'') => {
                    let end = html[i + 1..].find(q as char).map(|p| i + 1 + p)?;
                    value = decode_entities(&html[i + 1..end]);
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&html[start..i]);
                }
            }
        }
        if valid_attr_name(&key) {
            attrs.push((key, value));
        }
    }
}

/// Attribute names we can write in XML: letters, digits, `-`, `_`, and one
/// `:` for `epub:type`.
fn valid_attr_name(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
        && (key.matches(':').count() == 0 || key == "epub:type")
}

/// Decodes character references: numeric ones and the named ones that turn
/// up in prose. An unknown name stays as written (its `&` gets escaped on
/// output), which is what a browser shows too.
pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.map(|n| match char::from_u32(n) {
                Some(c) if n != 0 => c,
                _ => '\u{FFFD}',
            })
        } else {
            NAMED.iter().find(|(k, _)| *k == name).map(|&(_, c)| c)
        };
        match decoded {
            Some(c) if end > 1 => {
                out.push(c);
                rest = &rest[end..];
                if rest.starts_with(';') {
                    rest = &rest[1..];
                }
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Named character references common in prose (a subset of the HTML list).
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{A0}'),
    ("shy", '\u{AD}'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("sect", '§'),
    ("para", '¶'),
    ("middot", '·'),
    ("bull", '•'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("deg", '°'),
    ("times", '×'),
    ("divide", '÷'),
    ("thinsp", '\u{2009}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("zwj", '\u{200D}'),
    ("zwnj", '\u{200C}'),
    ("eacute", 'é'),
    ("egrave", 'è'),
    ("aacute", 'á'),
    ("agrave", 'à'),
    ("ccedil", 'ç'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("auml", 'ä'),
    ("szlig", 'ß'),
    ("euro", '€'),
    ("pound", '£'),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps every URL and id as it is, drops `missing.png`.
    struct Pass(Vec<String>);
    impl Resolve for Pass {
        fn href(&mut self, url: &str) -> Option<String> {
            Some(url.to_string())
        }
        fn image(&mut self, src: &str) -> Option<String> {
            (src != "missing.png").then(|| format!("images/{src}"))
        }
        fn id(&mut self, id: &str) -> bool {
            if self.0.iter().any(|i| i == id) {
                return false;
            }
            self.0.push(id.to_string());
            true
        }
    }

    fn clean(context: Context, html: &str) -> (String, Vec<String>) {
        let mut f = Fragment::new(context);
        let mut out = String::new();
        let removed = f.feed(html, &mut out, &mut Pass(vec![]));
        f.finish(&mut out);
        (out, removed)
    }

    fn flow(html: &str) -> String {
        clean(Context::Flow, html).0
    }

    #[test]
    fn sanitize_drops_script_and_style_with_content() {
        let (out, removed) = clean(
            Context::Flow,
            "<p>a<script>if (a < b) { x('</p>') }</script>b</p><style>p{}</style>",
        );
        assert_eq!(out, "<p>ab</p>");
        assert_eq!(
            removed,
            [
                "removed <script> element and its content",
                "removed <style> element and its content"
            ]
        );
    }

    #[test]
    fn sanitize_removes_event_handlers_and_javascript_urls() {
        let (out, removed) = clean(
            Context::Phrasing,
            r#"<a href=" JaVa&#x09;script:alert(1)" onclick="x()" title="t">go</a>"#,
        );
        assert_eq!(out, r#"<a title="t">go</a>"#);
        assert_eq!(
            removed,
            ["removed javascript: URL", "removed onclick attribute"]
        );
    }

    #[test]
    fn sanitize_balances_and_escapes() {
        assert_eq!(
            flow("<div class=x><p>A & B <em>c</div> d < e"),
            "<div class=\"x\"><p>A &amp; B <em>c</em></p></div> d &lt; e"
        );
        assert_eq!(
            flow("<br><hr><img src=a.png alt='A \"q\"'>"),
            "<br/><hr/><img src=\"images/a.png\" alt=\"A &quot;q&quot;\"/>"
        );
        assert_eq!(flow("</span>x<b>y"), "x<b>y</b>");
        assert_eq!(flow("<span/>z"), "<span></span>z");
    }

    #[test]
    fn sanitize_unwraps_unknown_elements_and_keeps_text() {
        let (out, removed) = clean(Context::Flow, "<center><font color=red>Hi</font></center>");
        assert_eq!(out, "Hi");
        assert_eq!(
            removed,
            [
                "removed unknown element <center> (its content is kept)",
                "removed unknown element <font> (its content is kept)"
            ]
        );
    }

    #[test]
    fn sanitize_applies_implied_end_tags() {
        assert_eq!(
            flow("<ul><li>a<li>b</ul><p>x<div>y</div>"),
            "<ul><li>a</li><li>b</li></ul><p>x</p><div>y</div>"
        );
        assert_eq!(
            flow("<table><tr><td>1<td>2<tr><th>3</table>"),
            "<table><tr><td>1</td><td>2</td></tr><tr><th>3</th></tr></table>"
        );
        assert_eq!(flow("<li>stray</li>"), "stray");
    }

    #[test]
    fn sanitize_keeps_blocks_out_of_running_text() {
        let (out, removed) = clean(Context::Phrasing, "<div>x</div><span>y</span>");
        assert_eq!(out, "x<span>y</span>");
        assert_eq!(removed.len(), 1);
    }

    #[test]
    fn sanitize_keeps_state_between_pieces() {
        let mut f = Fragment::new(Context::Phrasing);
        let mut out = String::new();
        let mut r = Pass(vec![]);
        assert!(f.feed("<span class=\"sc\">", &mut out, &mut r).is_empty());
        out.push_str("markdown");
        f.feed("</span>", &mut out, &mut r);
        f.feed("<q>", &mut out, &mut r);
        f.finish(&mut out);
        assert_eq!(out, "<span class=\"sc\">markdown</span><q></q>");
    }

    #[test]
    fn sanitize_images_need_alt_and_a_usable_source() {
        let (out, removed) = clean(
            Context::Phrasing,
            "<img src=a.png><img src=missing.png alt=x>",
        );
        assert_eq!(out, "<img src=\"images/a.png\" alt=\"\"/>");
        assert_eq!(removed, ["image without alt text (add an alt attribute)"]);
    }

    #[test]
    fn sanitize_drops_duplicate_ids_and_adds_xml_lang() {
        let (out, _) = clean(Context::Flow, "<p id=a lang=fr>x</p><p id=a>y</p>");
        assert_eq!(out, "<p id=\"a\" xml:lang=\"fr\" lang=\"fr\">x</p><p>y</p>");
    }

    #[test]
    fn sanitize_survives_garbage() {
        for s in [
            "<",
            "<a",
            "<a href='",
            "<!--",
            "&#xffffffff;",
            "&#0;",
            "<<>>",
            "</",
            "<a =b>",
            "\u{0}",
        ] {
            let _ = clean(Context::Flow, s);
            let _ = clean(Context::Phrasing, s);
        }
        assert_eq!(flow("a < b"), "a &lt; b");
        assert_eq!(flow("a<b"), "a"); // EOF inside a tag drops it, as in HTML
        assert_eq!(flow("<!-- c --><!doctype html>t"), "t");
    }

    /// Checks that `out` is balanced XML: every start tag closed in order,
    /// no bare `<` or `&` outside references.
    fn assert_well_formed(input: &str, out: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = out;
        while let Some(p) = rest.find(['<', '&']) {
            let tail = &rest[p..];
            if let Some(after) = tail.strip_prefix('&') {
                let ok = ["amp;", "lt;", "gt;", "quot;", "#9;", "#10;", "#13;"]
                    .iter()
                    .any(|r| after.starts_with(r));
                assert!(ok, "bare & in {out:?} from {input:?}");
                rest = after;
                continue;
            }
            let end = tail
                .find('>')
                .unwrap_or_else(|| panic!("unclosed tag in {out:?} from {input:?}"));
            let tag = &tail[1..end];
            assert!(
                !tag.contains('<'),
                "< inside a tag in {out:?} from {input:?}"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "{out:?} from {input:?}");
            } else if !tag.ends_with('/') {
                stack.push(tag.split(' ').next().unwrap());
            }
            rest = &tail[end + 1..];
        }
        assert!(
            stack.is_empty(),
            "unclosed {stack:?} in {out:?} from {input:?}"
        );
    }

    #[test]
    fn sanitize_output_is_well_formed_for_random_input() {
        const PIECES: &[&str] = &[
            "<",
            ">",
            "/",
            "=",
            "\"",
            "'",
            "&",
            "&amp;",
            "&#",
            ";",
            " ",
            "\n",
            "é",
            "—",
            "x",
            "p",
            "div",
            "span",
            "li",
            "ul",
            "table",
            "tr",
            "td",
            "a",
            "img",
            "script",
            "style",
            "br",
            "em",
            "href",
            "src",
            "onclick",
            "javascript:",
            "!--",
            "-->",
            "center",
            "pre",
        ];
        let mut seed: u64 = 0x5eed;
        for _ in 0..3000 {
            let mut input = String::new();
            for _ in 0..(seed % 40) {
                // A linear congruential generator (Knuth's MMIX constants).
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                input.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
            }
            for context in [Context::Flow, Context::Phrasing] {
                let (out, _) = clean(context, &input);
                assert_well_formed(&input, &out);
            }
        }
    }

    #[test]
    fn decode_entities_handles_named_numeric_and_unknown() {
        assert_eq!(
            decode_entities("a&amp;b &#8212; &#x2014; &bogus; &"),
            "a&b — — &bogus; &"
        );
        assert_eq!(decode_entities("&nbsp;x&copy"), "\u{a0}x©");
    }

    #[test]
    fn dangerous_url_sees_through_spelling() {
        assert!(dangerous_url("javascript:x"));
        assert!(dangerous_url(" JAVA\tSCRIPT:x"));
        assert!(dangerous_url("data:text/html,x"));
        assert!(!dangerous_url("https://example.org/javascript:"));
        assert!(!dangerous_url("#javascript"));
    }
}
