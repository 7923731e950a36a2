//! SVG images made safe to package: the file is parsed as XML (roxmltree)
//! and a new document is written from what an allow-list keeps, the static,
//! presentational subset of SVG 1.1 and 2. Shared by every backend that
//! takes SVG (the EPUB writer now, print once it draws SVG); choosing where
//! the bytes come from and reporting what was removed is the caller's job.
//!
//! Rules, all applied to the parsed tree, with names resolved to namespaces
//! and attribute values decoded (character references, entities, attribute
//! value normalisation), never to the raw text:
//!
//! - Elements are kept by namespace and local name: only the SVG namespace
//!   (or no namespace at all when the root `svg` has none, as hand-written
//!   files often do), and only names on [`ELEMENTS`]. Anything else is
//!   removed with its content, whatever prefix it was written with
//!   (`<s:script>`, `foreignObject`, `xhtml:div`, `animate`, `set`…). An
//!   `a` becomes a `g`: its drawing is kept, its link is not.
//! - Attributes are kept by name from [`ATTRIBUTES`] (no namespace), `xml:`
//!   `space`/`lang`, and the link attribute `href` / `xlink:href` on the few
//!   elements that reference others; event handlers (`on*`) and everything
//!   else are removed.
//! - A reference (`href`, `xlink:href`) must be a fragment of this document
//!   (`#id`); an `image` may also hold a `data:image/(png|jpeg|gif|webp)`
//!   URL whose bytes really are that type. An `image` with any other source
//!   (a file beside it, a remote URL) is removed: packaging further files
//!   from inside an SVG is not done (FIXME: local raster files could be
//!   packaged through the caller's guarded reader).
//! - CSS (`style` elements and attributes, and any attribute value, since
//!   presentation attributes are CSS values) is decoded (comments and
//!   escapes) and refused when it imports, loads or computes anything: only
//!   `url(#fragment)` may appear.
//! - A DOCTYPE is accepted without an internal subset; one that declares
//!   anything (entities: billion laughs, external entities) is refused, as is
//!   a file that is not well-formed XML, is not UTF-8, or nests too deep.
//!
//! The output is deterministic: elements, attributes and text in source
//! order, one XML declaration, the namespaces declared once on the root.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The SVG namespace.
pub const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// The XLink namespace (`xlink:href` in SVG 1.1).
pub const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
/// The XML namespace (`xml:space`, `xml:lang`).
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Deepest element nesting accepted. Real drawings nest a few dozen groups;
/// the limit keeps the rebuild (recursive) far from the stack's end.
pub const MAX_DEPTH: usize = 256;

/// Most nodes (elements, attributes, text) accepted, which bounds the tree's
/// memory whatever the file size: a large map is some 10⁵ nodes.
const MAX_NODES: u32 = 2_000_000;

/// Why an SVG file cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvgError {
    /// Not UTF-8 (the only encoding we read).
    NotUtf8,
    /// Not well-formed XML: the parser's message, with line and column.
    NotXml(String),
    /// A DOCTYPE with an internal subset (entity or other declarations).
    Declarations,
    /// The root element is not `svg`.
    NotSvg,
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More nodes than [`MAX_NODES`].
    TooLarge,
}

impl std::fmt::Display for SvgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SvgError::NotUtf8 => write!(f, "it is not UTF-8 text"),
            SvgError::NotXml(e) => write!(f, "it is not well-formed XML ({e})"),
            SvgError::Declarations => write!(
                f,
                "its DOCTYPE declares entities or other markup, which is refused"
            ),
            SvgError::NotSvg => write!(f, "its root element is not <svg>"),
            SvgError::TooDeep => {
                write!(f, "its elements nest deeper than {MAX_DEPTH} levels")
            }
            SvgError::TooLarge => write!(f, "it has more than {MAX_NODES} XML nodes"),
        }
    }
}

/// Parses `data` as SVG and writes it again from what the allow-lists keep.
/// Returns the new bytes and what was removed (one description per kind,
/// sorted, empty when nothing was), or why the file cannot be used.
pub fn sanitize(data: &[u8]) -> Result<(Vec<u8>, Vec<String>), SvgError> {
    let text = std::str::from_utf8(data).map_err(|_| SvgError::NotUtf8)?;
    let options = |allow_dtd| roxmltree::ParsingOptions {
        allow_dtd,
        nodes_limit: MAX_NODES,
        entity_resolver: None,
    };
    let doc = match roxmltree::Document::parse_with_options(text, options(false)) {
        Err(roxmltree::Error::DtdDetected) => {
            // A DOCTYPE: accepted only without an internal subset, so no
            // entity is ever declared (nor fetched: roxmltree reads nothing).
            if doctype_has_subset(text) {
                return Err(SvgError::Declarations);
            }
            roxmltree::Document::parse_with_options(text, options(true))
        }
        other => other,
    }
    .map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => SvgError::TooLarge,
        e => SvgError::NotXml(e.to_string()),
    })?;
    let root = doc.root_element();
    let bare = root.tag_name().namespace().is_none();
    if root.tag_name().name() != "svg" || !(bare || root.tag_name().namespace() == Some(SVG_NS)) {
        return Err(SvgError::NotSvg);
    }
    let mut writer = Writer {
        bare,
        out: String::new(),
        removed: BTreeSet::new(),
        xlink: false,
    };
    for node in doc.root().children() {
        if node.is_pi() {
            writer.remove("processing instructions".to_string());
        }
    }
    writer.element(root, 0)?;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // The root's start tag is `<svg` then its attributes: declare the
    // namespaces right after the name.
    let body = writer.out;
    let (head, tail) = body.split_at(4);
    out.push_str(head);
    let _ = write!(out, " xmlns=\"{SVG_NS}\"");
    if writer.xlink {
        let _ = write!(out, " xmlns:xlink=\"{XLINK_NS}\"");
    }
    out.push_str(tail);
    out.push('\n');
    let removed = writer.removed.into_iter().map(|(_, m)| m).collect();
    Ok((out.into_bytes(), removed))
}

/// Whether the document's DOCTYPE has an internal subset (`[ … ]`). Reads
/// the prolog by its grammar (XML 1.0 §2.8, productions 22–28): BOM, XML
/// declaration, comments, processing instructions and spaces, then
/// `<!DOCTYPE`, whose quoted literals may hold `[` or `>`.
fn doctype_has_subset(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{FEFF}');
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if let Some(r) = rest.strip_prefix("<!--") {
            match r.find("-->") {
                Some(p) => rest = &r[p + 3..],
                None => return true,
            }
        } else if let Some(r) = rest.strip_prefix("<?") {
            match r.find("?>") {
                Some(p) => rest = &r[p + 2..],
                None => return true,
            }
        } else {
            break;
        }
    }
    let Some(decl) = rest.strip_prefix("<!DOCTYPE") else {
        return true; // not where a DOCTYPE may be: let nothing through
    };
    let mut quote = None;
    for c in decl.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => return true,
            (None, '>') => return false,
            (None, _) => {}
        }
    }
    true
}

struct Writer {
    /// The root had no namespace: un-namespaced elements count as SVG.
    bare: bool,
    out: String,
    /// What was removed, what could run first (see [`Writer::remove`]).
    removed: BTreeSet<(u8, String)>,
    /// An `xlink:href` was written: the root declares the prefix.
    xlink: bool,
}

impl Writer {
    /// Records a removal. What could have run (scripts, handlers, script
    /// URLs, foreign content) sorts first, so a warning that shows only the
    /// first few kinds shows those.
    fn remove(&mut self, what: String) {
        let lower = what.to_ascii_lowercase();
        let runs = ["script", "event handler", "foreignobject"]
            .iter()
            .any(|w| lower.contains(w));
        self.removed.insert((u8::from(!runs), what));
    }

    fn is_svg(&self, node: roxmltree::Node) -> bool {
        match node.tag_name().namespace() {
            Some(ns) => ns == SVG_NS,
            None => self.bare,
        }
    }

    /// Writes `node` (an element) and its kept content.
    fn element(&mut self, node: roxmltree::Node, depth: usize) -> Result<(), SvgError> {
        if depth >= MAX_DEPTH {
            return Err(SvgError::TooDeep);
        }
        let local = node.tag_name().name();
        let name = if !self.is_svg(node) {
            None
        } else if local == "a" {
            Some("g")
        } else {
            ELEMENTS.iter().copied().find(|&n| n == local)
        };
        let Some(name) = name else {
            self.remove(format!("<{}> elements", qualified(node)));
            return Ok(());
        };
        if local == "a" {
            self.remove("links (<a> is kept as a group)".to_string());
        }
        if name == "style" && !css_is_safe(&node_text(node)) {
            self.remove(
                "<style> elements that import, load or compute (url(), @import, expression())"
                    .to_string(),
            );
            return Ok(());
        }
        let mut attrs = String::new();
        let mut linked = false;
        for attr in node.attributes() {
            linked |= self.attribute(node, name, &attr, &mut attrs);
        }
        if name == "image" && !linked {
            self.remove(
                "<image> elements whose source is not an embedded PNG, JPEG, GIF or WebP"
                    .to_string(),
            );
            return Ok(());
        }
        if name == "use" && !linked {
            self.remove("<use> elements that reference outside the file".to_string());
            return Ok(());
        }
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(&attrs);
        let start = self.out.len();
        self.out.push('>');
        for child in node.children() {
            if child.is_element() {
                self.element(child, depth + 1)?;
            } else if let Some(text) = child.text().filter(|_| child.is_text()) {
                escape(text, false, &mut self.out);
            } else if child.is_pi() {
                self.remove("processing instructions".to_string());
            }
        }
        if self.out.len() == start + 1 {
            self.out.truncate(start);
            self.out.push_str("/>");
        } else {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        Ok(())
    }

    /// Appends ` name="value"` to `out` if the attribute is allowed on the
    /// element `element`, else records its removal; `true` if it wrote a
    /// reference (`href`).
    fn attribute(
        &mut self,
        node: roxmltree::Node,
        element: &str,
        attr: &roxmltree::Attribute,
        out: &mut String,
    ) -> bool {
        let local = attr.name();
        let value = attr.value();
        let written = match attr.namespace() {
            None if local == "href" => "href",
            Some(XLINK_NS) if local == "href" => "xlink:href",
            Some(XML_NS) if matches!(local, "space" | "lang") => {
                push_attr(out, &format!("xml:{local}"), value);
                return false;
            }
            None if local.len() > 2 && local[..2].eq_ignore_ascii_case("on") => {
                self.remove("event handler attributes (on…)".to_string());
                return false;
            }
            None if ATTRIBUTES.contains(&local)
                || local.starts_with("aria-") && local.len() > 5
                || local == "type" && element == "style" =>
            {
                if is_script_url(value) {
                    self.remove("javascript: URLs".to_string());
                } else if !css_is_safe(value) {
                    self.remove(format!(
                        "{local} attributes that import, load or compute (url(), @import, expression())"
                    ));
                } else {
                    push_attr(out, local, value);
                }
                return false;
            }
            _ => {
                // Other namespaces (editors' `inkscape:…`) as one kind each.
                self.remove(match attr.namespace() {
                    Some(XLINK_NS) => format!("xlink:{local} attributes"),
                    Some(ns) => match node.lookup_prefix(ns) {
                        Some(p) => format!("{p}:… attributes"),
                        None => format!("attributes in {ns}"),
                    },
                    None => format!("{local} attributes"),
                });
                return false;
            }
        };
        // A reference.
        if is_script_url(value) {
            self.remove("javascript: URLs".to_string());
            return false;
        }
        let ok = match element {
            "image" => fragment(value) || embedded_raster(value),
            "use" | "textPath" | "linearGradient" | "radialGradient" | "pattern" | "filter" => {
                fragment(value)
            }
            _ => false,
        };
        if !ok {
            self.remove(format!("{written} values that point outside the file"));
            return false;
        }
        if written == "xlink:href" {
            self.xlink = true;
        }
        push_attr(out, written, value);
        true
    }
}

/// An element's name as written (its prefix, when it has one).
fn qualified(node: roxmltree::Node) -> String {
    let name = node.tag_name();
    match name.namespace() {
        Some(ns) if ns != SVG_NS => match node.lookup_prefix(ns) {
            Some(p) => format!("{p}:{}", name.name()),
            None => name.name().to_string(),
        },
        _ => name.name().to_string(),
    }
}

/// The text content of an element (its text children, CDATA included).
fn node_text(node: roxmltree::Node) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// `#id`: a fragment of this document, in characters an id may hold.
fn fragment(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|id| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    })
}

/// A `data:` URL of a raster core media type whose bytes are what it says.
fn embedded_raster(value: &str) -> bool {
    let Some((head, payload)) = value.trim().split_once(',') else {
        return false;
    };
    let head = head.to_ascii_lowercase();
    let Some(kind) = head
        .strip_prefix("data:")
        .and_then(|h| h.strip_suffix(";base64"))
    else {
        return false;
    };
    let want = match kind {
        "image/png" => crate::image::ImageType::Png,
        "image/jpeg" => crate::image::ImageType::Jpeg,
        "image/gif" => crate::image::ImageType::Gif,
        "image/webp" => crate::image::ImageType::Webp,
        _ => return false,
    };
    base64(payload).is_some_and(|bytes| crate::image::sniff(&bytes) == Some(want))
}

/// Decodes base64 (RFC 4648 §4), skipping ASCII whitespace; `None` if a
/// character is outside the alphabet.
fn base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b if b.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The size an SVG asks for, read off its root: `width` and `height` in
/// points where they are absolute lengths (CSS units: `px` is 0.75 pt, as
/// SVG 2 §8.3 and CSS Values 3 define it), and its aspect ratio (width
/// over height) from those or else from its `viewBox`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SvgSize {
    /// Width in points, if given as an absolute length.
    pub width: Option<f64>,
    /// Height in points, if given as an absolute length.
    pub height: Option<f64>,
    /// Width over height, if known.
    pub aspect: Option<f64>,
}

/// The size `data` (an SVG, sanitized or not: no DTD is read) asks for;
/// `None` if it is not well-formed XML.
pub fn size(data: &[u8]) -> Option<SvgSize> {
    let text = std::str::from_utf8(data).ok()?;
    let options = |allow_dtd| roxmltree::ParsingOptions {
        allow_dtd,
        nodes_limit: MAX_NODES,
        entity_resolver: None,
    };
    let doc = match roxmltree::Document::parse_with_options(text, options(false)) {
        // As in `sanitize`: a DOCTYPE only without declarations.
        Err(roxmltree::Error::DtdDetected) if !doctype_has_subset(text) => {
            roxmltree::Document::parse_with_options(text, options(true))
        }
        other => other,
    }
    .ok()?;
    let root = doc.root_element();
    let width = root.attribute("width").and_then(length_pt);
    let height = root.attribute("height").and_then(length_pt);
    let view_box = root.attribute("viewBox").and_then(|v| {
        let n: Vec<f64> = v
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        match n[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => Some(w / h),
            _ => None,
        }
    });
    let aspect = match (width, height) {
        (Some(w), Some(h)) if w > 0.0 && h > 0.0 => Some(w / h),
        _ => view_box,
    };
    Some(SvgSize {
        width,
        height,
        aspect,
    })
}

/// An absolute CSS length in points (`12`, `12px`, `9pt`, `2cm`…); none
/// for relative ones (`%`, `em`) or nonsense.
fn length_pt(value: &str) -> Option<f64> {
    let v = value.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | 'e' | 'E')))
        .unwrap_or(v.len());
    // `e` may begin a unit (`em`, `ex`): back off when no digit follows it.
    let (mut num, mut unit) = v.split_at(split);
    if let Some(i) = num.find(['e', 'E'])
        && !num[i + 1..].starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
    {
        (num, unit) = v.split_at(i);
    }
    let n: f64 = num.parse().ok()?;
    let per = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "px" => 0.75,
        "pt" => 1.0,
        "pc" => 12.0,
        "in" => 72.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "q" => 72.0 / 101.6,
        _ => return None,
    };
    let pt = n * per;
    (pt.is_finite() && pt > 0.0).then_some(pt)
}

/// Whether a URL's scheme is a script one however it is spelt: browsers
/// drop ASCII whitespace and control characters inside it and ignore case
/// (WHATWG URL, "remove all ASCII tab or newline").
pub fn is_script_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:") || squeezed.starts_with("vbscript:")
}

/// Whether CSS text neither loads, imports nor computes anything. The text
/// is decoded first (comments removed, escapes resolved: CSS Syntax 3 §4.3.7),
/// then spaces and controls dropped and case folded, so `u\72 l(`,
/// `EXPRE/**/SSION(` and `@\69mport` are seen for what they are. The only
/// `url()` allowed is a fragment of this document (`url(#gradient)`).
pub fn css_is_safe(css: &str) -> bool {
    let decoded = css_decode(css);
    let flat: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    const REFUSED: &[&str] = &[
        "@import",
        "expression(",
        "javascript:",
        "vbscript:",
        "behavior:",
        "-moz-binding",
        "image(",
        "image-set(",
        "cross-fade(",
        "element(",
        "src(",
    ];
    if REFUSED.iter().any(|r| flat.contains(r)) {
        return false;
    }
    let mut rest = flat.as_str();
    while let Some(p) = rest.find("url(") {
        rest = &rest[p + 4..];
        let arg = rest.trim_start_matches(['"', '\'']);
        let end = arg.find([')', '"', '\'']).unwrap_or(arg.len());
        if !fragment(&arg[..end]) {
            return false;
        }
    }
    true
}

/// CSS with comments removed and escapes resolved.
fn css_decode(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = '\0';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '\\' => {
                let mut hex = String::new();
                while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                    hex.extend(chars.next());
                }
                if hex.is_empty() {
                    match chars.next() {
                        Some('\n') | None => {}
                        Some(c) => out.push(c),
                    }
                } else {
                    if chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                        chars.next();
                    }
                    let n = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                    out.push(
                        char::from_u32(n)
                            .filter(|&c| c != '\0')
                            .unwrap_or('\u{FFFD}'),
                    );
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Appends ` key="value"`, escaped.
fn push_attr(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    escape(value, true, out);
    out.push('"');
}

/// Escapes text for XML; in attributes also quotes and the whitespace that
/// attribute-value normalisation would otherwise turn into spaces.
fn escape(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// SVG elements kept (local names in the SVG namespace): structure, shapes,
/// text, paint servers, clipping, masking, markers, filters, and `style`
/// (checked by [`css_is_safe`]). Left out on purpose: `script`,
/// `foreignObject`, every animation element (`animate`, `set`,
/// `animateMotion`, `animateTransform`, `mpath`, `discard`), `feImage`
/// (loads any URL), `cursor`, `font`/`font-face` (SVG fonts), `tref`,
/// `view`, `metadata`, and the HTML elements SVG 2 allows (`iframe`,
/// `video`, `audio`, `canvas`).
pub const ELEMENTS: &[&str] = &[
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
];

/// Attributes kept (no namespace): geometry, presentation, text layout,
/// paint servers, filters, conditional processing by language, ids and
/// classes. `style` and every value go through [`css_is_safe`].
/// `href` is judged apart (only on referencing elements, only to `#id`).
pub const ATTRIBUTES: &[&str] = &[
    "alignment-baseline",
    "amplitude",
    "azimuth",
    "baseFrequency",
    "baseProfile",
    "baseline-shift",
    "bias",
    "class",
    "clip",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "color",
    "color-interpolation",
    "color-interpolation-filters",
    "color-rendering",
    "cx",
    "cy",
    "d",
    "diffuseConstant",
    "direction",
    "display",
    "divisor",
    "dominant-baseline",
    "dx",
    "dy",
    "edgeMode",
    "elevation",
    "exponent",
    "fill",
    "fill-opacity",
    "fill-rule",
    "filter",
    "filterUnits",
    "flood-color",
    "flood-opacity",
    "font",
    "font-family",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "fr",
    "fx",
    "fy",
    "gradientTransform",
    "gradientUnits",
    "height",
    "id",
    "image-rendering",
    "in",
    "in2",
    "intercept",
    "isolation",
    "k1",
    "k2",
    "k3",
    "k4",
    "kernelMatrix",
    "kernelUnitLength",
    "lang",
    "lengthAdjust",
    "letter-spacing",
    "lighting-color",
    "limitingConeAngle",
    "marker",
    "marker-end",
    "marker-mid",
    "marker-start",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "mask",
    "maskContentUnits",
    "maskUnits",
    "media",
    "method",
    "mix-blend-mode",
    "mode",
    "numOctaves",
    "offset",
    "opacity",
    "operator",
    "order",
    "orient",
    "overflow",
    "paint-order",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "points",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "r",
    "radius",
    "refX",
    "refY",
    "result",
    "role",
    "rotate",
    "rx",
    "ry",
    "scale",
    "seed",
    "shape-rendering",
    "side",
    "slope",
    "spacing",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "style",
    "surfaceScale",
    "systemLanguage",
    "tableValues",
    "targetX",
    "targetY",
    "text-anchor",
    "text-decoration",
    "text-rendering",
    "textLength",
    "transform",
    "transform-origin",
    "unicode-bidi",
    "values",
    "vector-effect",
    "version",
    "viewBox",
    "visibility",
    "width",
    "word-spacing",
    "writing-mode",
    "x",
    "x1",
    "x2",
    "xChannelSelector",
    "y",
    "y1",
    "y2",
    "yChannelSelector",
    "z",
];

/// The family an SVG's text falls back on (and `serif` names): the
/// bundled body face.
pub const SERIF: &str = "Libertinus Serif";

/// The bundled fonts as usvg's font database, built once: an SVG's text
/// (a figure's in print, the generated cover's raster) is set in them and
/// never in the system's, so a book gives the same bytes on every machine.
pub fn fonts() -> &'static std::sync::Arc<usvg::fontdb::Database> {
    static DB: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for (_, face) in crate::typeset::Fonts::bundled().iter() {
            db.load_font_source(usvg::fontdb::Source::Binary(face.data.clone()));
        }
        db.set_serif_family(SERIF);
        db.set_sans_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans Mono");
        std::sync::Arc::new(db)
    })
}

/// usvg's options for the SVGs samizdat draws: the bundled fonts
/// ([`fonts`]), and no way to load anything outside the SVG (no file; only
/// the `data:` images the sanitizer lets through).
pub fn usvg_options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: SERIF.to_string(),
        fontdb: fonts().clone(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_string: Box::new(|_, _| None),
            ..usvg::ImageHrefResolver::default()
        },
        ..usvg::Options::default()
    }
}

#[cfg(test)]
mod tests;
