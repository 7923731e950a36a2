//! Raw HTML from the Markdown → well-formed, safe XHTML.
//!
//! The tokenizer of [`crate::html`] (after the states of the WHATWG HTML
//! tokenizer that matter for fragments: tags, attributes, comments, raw-text
//! elements with script's escape states, character references) feeds a tree
//! fixer that keeps a stack of open
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
use crate::html::{self, Token, tokenize};

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
    /// The tokenizer's state between pieces (inside a `<script>`…).
    state: html::State,
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
            state: html::State::Data,
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
        for token in tokenize(html, &mut self.state) {
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
        self.state = html::State::Data;
    }

    /// Whether an element dropped with its content (`<script>`, `<object>`…)
    /// is open: the Markdown between this piece and the next is inside it.
    pub(super) fn is_skipping(&self) -> bool {
        self.skipping.is_some()
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
            // HTML ignores `/>` on its own elements (`<script/>` opens a
            // script); only foreign content (`svg`, `math`) closes there.
            let closed = self_closing && matches!(name, "svg" | "math");
            if !closed && !VOID_DROPPED.contains(&name) {
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
        let mut attrs = attrs;
        // `<a name>`, HTML's obsolete anchor, is written as the `id` it
        // stands for ("Obsolete features", HTML standard §16.1), as
        // `crate::html::ids` reads it, so links to it resolve.
        if name == "a"
            && !attrs.iter().any(|(k, _)| k == "id")
            && let Some(a) = attrs.iter_mut().find(|(k, _)| k == "name")
        {
            a.0 = "id".to_string();
        }
        for (key, value) in attrs {
            if !valid_attr_name(&key) || !seen.insert(key.clone()) {
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

/// The `id` attributes of the elements that survive sanitising `html` on
/// its own in `context`, so links to them can be resolved before the
/// documents are written. Runs the sanitiser itself, so an id inside a
/// dropped element (`<svg><g id="x">`) or on an unwrapped one is not listed.
pub(super) fn ids(html: &str, context: Context) -> Vec<String> {
    /// Records ids; URLs are taken as usable.
    struct Collect(Vec<String>);
    impl Resolve for Collect {
        fn href(&mut self, _: &str) -> Option<String> {
            Some(String::new())
        }
        fn image(&mut self, _: &str) -> Option<String> {
            Some(String::new())
        }
        fn id(&mut self, id: &str) -> bool {
            if self.0.iter().any(|i| i == id) {
                return false;
            }
            self.0.push(id.to_string());
            true
        }
    }
    let mut collect = Collect(Vec::new());
    Fragment::new(context).feed(html, &mut String::new(), &mut collect);
    collect.0
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

/// Attribute names we can write in XML: letters, digits, `-`, `_`, and one
/// `:` for `epub:type`.
fn valid_attr_name(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'))
        && (key.matches(':').count() == 0 || key == "epub:type")
}

#[cfg(test)]
mod tests;
