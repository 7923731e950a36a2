//! The HTML tokenizer, reduced to what samizdat does with raw HTML in
//! Markdown: tags with their attributes, text with character references
//! decoded, comments, and the content of raw-text elements, after the
//! tokenizer states of the WHATWG HTML standard (§13.2.5,
//! <https://html.spec.whatwg.org/multipage/parsing.html#tokenization>).
//! Tolerant: a `<` that starts no tag is text, a tag cut off by the end of
//! the input is dropped, as a browser drops it.
//!
//! Raw-text elements are the point of it. After the start tag of `script`,
//! `style`, `xmp`, `iframe`, `noembed`, `noframes`, `noscript` (RAWTEXT and
//! script data; `noscript` as with scripting on), `textarea` or `title`
//! (RCDATA), everything is text up to `</name` followed by a space, `/` or
//! `>`, in any case; `<plaintext>` makes the rest of the input text. Their
//! self-closing flag is ignored, as in HTML (`<script/>` opens a script).
//! Script data also has the escape states: after `<!--`, a `<script>`
//! enters the double-escaped state, where `</script>` does not end the
//! element but only leaves that state (§13.2.5.15–13.2.5.28).
//!
//! Markdown cuts raw HTML into pieces with Markdown between them, so the
//! tokenizer's [`State`] is kept from one piece to the next by the caller:
//! the sanitiser (`epub/sanitize.rs`) and the Markdown reader, which folds
//! what lies between a raw-text element's tags into its raw HTML
//! (`markdown/rawtext.rs`). This module judges nothing: allow-lists live in
//! the sanitiser.

/// A token, names lower-cased and values decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// Text with character references decoded; the content of a raw-text
    /// element comes as it is written.
    Text(String),
    /// A start tag.
    Start {
        /// Lower-cased name.
        name: String,
        /// Attributes in source order, names lower-cased, values decoded.
        attrs: Vec<(String, String)>,
        /// Written `<name/>`.
        self_closing: bool,
    },
    /// An end tag.
    End {
        /// Lower-cased name.
        name: String,
    },
    /// A comment, doctype, processing instruction or CDATA section.
    Comment,
}

/// Where the tokenizer stands at the end of a piece of HTML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum State {
    /// Between tags: the data state.
    #[default]
    Data,
    /// Inside a raw-text element, whose end tag ends it.
    Raw {
        /// The element (one of [`RAW_TEXT`]).
        name: &'static str,
        /// For `script`, the escape state reached.
        script: Script,
    },
    /// After `<plaintext>`: the rest is text.
    PlainText,
}

/// The script data escape states (§13.2.5.4, .15, .22), without the dash
/// sub-states, which a new piece (always starting with `<`) cannot continue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Script {
    /// Script data.
    #[default]
    Data,
    /// After `<!--`: still ended by `</script>`.
    Escaped,
    /// After `<!--<script>`: `</script>` only goes back to escaped.
    DoubleEscaped,
}

impl State {
    /// Markup that puts a fresh tokenizer in this state (empty for data):
    /// what a piece that continues a raw-text element is prefixed with so
    /// that it means the same on its own.
    pub fn reopen(self) -> String {
        match self {
            State::Data => String::new(),
            State::PlainText => "<plaintext>".to_string(),
            State::Raw { name, script } => match script {
                Script::Data => format!("<{name}>"),
                Script::Escaped => format!("<{name}><!--"),
                Script::DoubleEscaped => format!("<{name}><!--<script>"),
            },
        }
    }
}

/// Elements whose content the tokenizer reads as text: RAWTEXT, RCDATA and
/// script data (§13.2.6.2, "generic raw text/RCDATA element parsing").
pub const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// The state of a tokenizer after `html`, started in `state`.
pub fn state_after(html: &str, state: State) -> State {
    let mut state = state;
    tokenize(html, &mut state);
    state
}

/// Splits `html` into tokens, starting in `*state` and leaving there the
/// state reached at the end.
pub fn tokenize(html: &str, state: &mut State) -> Vec<Token> {
    let mut tokens = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    let flush = |tokens: &mut Vec<Token>, from: usize, to: usize| {
        if from < to {
            tokens.push(Token::Text(decode_entities(&html[from..to])));
        }
    };
    loop {
        match *state {
            State::PlainText => {
                if i < html.len() {
                    tokens.push(Token::Text(html[i..].to_string()));
                }
                return tokens;
            }
            State::Raw { name, script } => {
                let (end, script) = raw_end(&html[i..], name, script);
                let stop = end.map_or(html.len(), |e| i + e);
                if stop > i {
                    tokens.push(Token::Text(html[i..stop].to_string()));
                }
                i = stop;
                text_start = i;
                match end {
                    Some(_) => *state = State::Data,
                    None => {
                        *state = State::Raw { name, script };
                        return tokens;
                    }
                }
            }
            State::Data => {}
        }
        // The data state, up to the next tag.
        while i < bytes.len() && bytes[i] != b'<' {
            i += 1;
        }
        if i >= bytes.len() {
            flush(&mut tokens, text_start, html.len());
            return tokens;
        }
        let rest = &html[i..];
        let next = bytes.get(i + 1).copied();
        let (token, end) = if let Some(body) = rest.strip_prefix("<!--") {
            (Some(Token::Comment), i + 4 + comment_end(body))
        } else if matches!(next, Some(b'!' | b'?')) {
            // A bogus comment (doctype, CDATA, processing instruction).
            (
                Some(Token::Comment),
                rest.find('>').map_or(html.len(), |p| i + p + 1),
            )
        } else if next == Some(b'/') {
            match bytes.get(i + 2) {
                Some(c) if c.is_ascii_alphabetic() => match tag(html, i + 2) {
                    Some((name, _, _, end)) => (Some(Token::End { name }), end),
                    None => (None, html.len()), // EOF in a tag: dropped
                },
                // `</>` is nothing; `</` and another character a bogus comment.
                Some(b'>') => (None, i + 3),
                Some(_) => (
                    Some(Token::Comment),
                    rest.find('>').map_or(html.len(), |p| i + p + 1),
                ),
                None => {
                    i += 1;
                    continue; // `</` at the end: text
                }
            }
        } else if next.is_some_and(|c| c.is_ascii_alphabetic()) {
            match tag(html, i + 1) {
                Some((name, attrs, self_closing, end)) => {
                    if let Some(&raw) = RAW_TEXT.iter().find(|&&r| r == name) {
                        *state = State::Raw {
                            name: raw,
                            script: Script::Data,
                        };
                    } else if name == "plaintext" {
                        *state = State::PlainText;
                    }
                    let token = Token::Start {
                        name,
                        attrs,
                        self_closing,
                    };
                    (Some(token), end)
                }
                None => (None, html.len()),
            }
        } else {
            i += 1; // a `<` that starts nothing is text
            continue;
        };
        flush(&mut tokens, text_start, i);
        tokens.extend(token);
        i = end;
        text_start = i;
    }
}

/// The length of a comment's body and its end (`-->`, `--!>`, or the
/// abrupt `>` / `->` right after `<!--`), from just after `<!--`; EOF ends
/// it too (§13.2.5.43–13.2.5.52).
fn comment_end(body: &str) -> usize {
    if body.starts_with('>') {
        return 1;
    }
    if body.starts_with("->") {
        return 2;
    }
    let ends = [
        body.find("-->").map(|p| p + 3),
        body.find("--!>").map(|p| p + 4),
    ];
    ends.into_iter().flatten().min().unwrap_or(body.len())
}

/// Where the content of the raw-text element `name` ends in `text` (the
/// offset of the `<` of its end tag), and the script escape state reached
/// if it does not end there.
fn raw_end(text: &str, name: &str, mut script: Script) -> (Option<usize>, Script) {
    let b = text.as_bytes();
    if name != "script" {
        let mut i = 0;
        while let Some(p) = text[i..].find("</") {
            if end_tag_at(b, i + p, name) {
                return (Some(i + p), script);
            }
            i += p + 2;
        }
        return (None, script);
    }
    // Script data with its escape states; `dashes` counts the `-` just
    // before, for `-->`, which goes back to plain script data.
    let mut dashes = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match script {
            Script::Data => {
                if c == b'<' && end_tag_at(b, i, "script") {
                    return (Some(i), script);
                }
                if b[i..].starts_with(b"<!--") {
                    script = Script::Escaped;
                    dashes = 2;
                    i += 4;
                    continue;
                }
            }
            Script::Escaped | Script::DoubleEscaped => {
                match c {
                    b'-' => {
                        dashes += 1;
                        i += 1;
                        continue;
                    }
                    b'>' if dashes >= 2 => script = Script::Data,
                    b'<' if script == Script::Escaped && end_tag_at(b, i, "script") => {
                        return (Some(i), script);
                    }
                    b'<' => {
                        // `<script` (escaped) or `</script` (double escaped)
                        // and a delimiter switch between the two.
                        let (close, from) = match b.get(i + 1) {
                            Some(b'/') => (true, i + 2),
                            _ => (false, i + 1),
                        };
                        let mut j = from;
                        while j < b.len() && b[j].is_ascii_alphabetic() {
                            j += 1;
                        }
                        let named = b[from..j].eq_ignore_ascii_case(b"script")
                            && b.get(j).is_some_and(|&d| {
                                d.is_ascii_whitespace() || d == b'/' || d == b'>'
                            });
                        if named {
                            match (script, close) {
                                (Script::Escaped, false) => script = Script::DoubleEscaped,
                                (Script::DoubleEscaped, true) => script = Script::Escaped,
                                _ => {}
                            }
                            dashes = 0;
                            i = j + 1;
                            continue;
                        }
                        if close == (script == Script::DoubleEscaped) {
                            i = j.max(i + 1);
                            dashes = 0;
                            continue;
                        }
                    }
                    _ => {}
                }
                dashes = 0;
            }
        }
        i += 1;
    }
    (None, script)
}

/// Whether `b[i..]` is `</name` (any case) then a space, `/` or `>`: the
/// "appropriate end tag" that ends a raw-text element.
fn end_tag_at(b: &[u8], i: usize, name: &str) -> bool {
    let n = name.len();
    b.get(i) == Some(&b'<')
        && b.get(i + 1) == Some(&b'/')
        && b.get(i + 2..i + 2 + n)
            .is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()))
        && b.get(i + 2 + n)
            .is_some_and(|&d| d.is_ascii_whitespace() || d == b'/' || d == b'>')
}

/// Reads a tag from its name at `at` to its `>`: the name, the attributes,
/// the self-closing flag and the offset after `>`; `None` if the input ends
/// first. End tags are read the same way (their attributes are dropped by
/// the caller), so a quoted `>` does not end them early.
#[allow(clippy::type_complexity)]
fn tag(html: &str, at: usize) -> Option<(String, Vec<(String, String)>, bool, usize)> {
    let bytes = html.as_bytes();
    let mut i = at;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    let name = html[at..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((name, attrs, self_closing, i + 1)),
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
        // `=` as the first character of a name is part of it (§13.2.5.32).
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
        // HTML keeps the first of duplicate attributes (§13.2.5.33).
        if !attrs.iter().any(|(k, _)| *k == key) {
            attrs.push((key, value));
        }
    }
}

/// Decodes character references: numeric ones and the named ones that turn
/// up in prose. An unknown name stays as written (its `&` gets escaped on
/// output), which is what a browser shows too.
pub fn decode_entities(s: &str) -> String {
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
    // The ones a URL can be spelt with (`java&Tab;script&colon;`).
    ("Tab", '\t'),
    ("NewLine", '\n'),
    ("colon", ':'),
    ("sol", '/'),
    ("lpar", '('),
    ("rpar", ')'),
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

/// The ids `html` (a piece started in the data state) gives its
/// elements, in order: each start tag's `id`, and the `name` of an `<a>`
/// without one (HTML's obsolete anchor, "Obsolete features" §16.1 of the
/// HTML standard: authors should use `id` instead). Empty values and
/// values with white space are no ids (§3.2.6.1) and are skipped.
pub fn ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in tokenize(html, &mut State::Data) {
        let Token::Start { name, attrs, .. } = token else {
            continue;
        };
        let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        let id = get("id").or_else(|| if name == "a" { get("name") } else { None });
        if let Some(id) = id.filter(|v| !v.is_empty() && !v.contains(char::is_whitespace))
            && !out.contains(id)
        {
            out.push(id.clone());
        }
    }
    out
}

/// Whether `html` is nothing but comments and white space
/// (`<!-- note to self -->`): text for the author, not the reader.
pub fn only_comments(html: &str) -> bool {
    let mut rest = html.trim_start();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(body) = rest.strip_prefix("<!--") else {
            return false;
        };
        let Some(end) = body.find("-->") else {
            return false;
        };
        rest = body[end + 3..].trim_start();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_comments_is_comments_and_space_alone() {
        assert!(only_comments("<!-- a -->\n  <!-- b -- c -->\n"));
        assert!(!only_comments("<!-- a --> <b>x</b>"));
        assert!(!only_comments("<!-- unclosed"));
        assert!(!only_comments("  "));
    }

    #[test]
    fn ids_are_ids_and_anchor_names() {
        assert_eq!(
            ids(r#"<div id="d"><a name="old"></a><a id="new" name="n">x</a><span ID='s'>"#),
            ["d", "old", "new", "s"]
        );
        // No id where there is none, an empty or spaced one, a name off an
        // `<a>`, a repeat, or a tag inside a comment or a script.
        assert_eq!(
            ids(r#"<p id=""><p id="a b"><input name="q"><b id="x"><i id="x"><!-- <a id="c"> -->"#),
            ["x"]
        );
        assert!(ids(r#"<script>"<a id='z'>"</script>"#).is_empty());
    }

    fn tokens(html: &str) -> Vec<Token> {
        tokenize(html, &mut State::Data)
    }

    fn text(s: &str) -> Token {
        Token::Text(s.to_string())
    }

    fn start(name: &str) -> Token {
        Token::Start {
            name: name.to_string(),
            attrs: vec![],
            self_closing: false,
        }
    }

    fn end(name: &str) -> Token {
        Token::End {
            name: name.to_string(),
        }
    }

    #[test]
    fn decode_entities_handles_named_numeric_and_unknown() {
        assert_eq!(
            decode_entities("a&amp;b &#8212; &#x2014; &bogus; &"),
            "a&b — — &bogus; &"
        );
        assert_eq!(decode_entities("&nbsp;x&copy"), "\u{a0}x©");
        assert_eq!(
            decode_entities("java&Tab;script&colon;x&lpar;1&rpar;&NewLine;"),
            "java\tscript:x(1)\n"
        );
    }

    #[test]
    fn raw_text_ends_only_at_its_own_end_tag() {
        assert_eq!(
            tokens("<script>a</scripts>b</SCRIPT >c"),
            [
                start("script"),
                text("a</scripts>b"),
                end("script"),
                text("c")
            ]
        );
        assert_eq!(
            tokens("<style><b>x</b></style/>y"),
            [start("style"), text("<b>x</b>"), end("style"), text("y")]
        );
        assert_eq!(
            tokens("<textarea></textareax></textarea\n>z"),
            [
                start("textarea"),
                text("</textareax>"),
                end("textarea"),
                text("z")
            ]
        );
        // The end tag's attributes are read as a tag's: a quoted `>` is inside.
        assert_eq!(
            tokens("<title>t</title x=\">\">u"),
            [start("title"), text("t"), end("title"), text("u")]
        );
        // `</script` at the very end is text: the element stays open.
        let mut state = State::Data;
        tokenize("<script>x</script", &mut state);
        assert_eq!(
            state,
            State::Raw {
                name: "script",
                script: Script::Data
            }
        );
    }

    #[test]
    fn raw_text_ignores_self_closing_and_runs_to_the_end() {
        let mut state = State::Data;
        let t = tokenize("<script/>alert(1)", &mut state);
        assert_eq!(t[1], text("alert(1)"));
        assert_ne!(state, State::Data);
        // The next piece goes on inside the script.
        assert_eq!(
            tokenize("more<b></script>after", &mut state),
            [text("more<b>"), end("script"), text("after")]
        );
        assert_eq!(state, State::Data);
        let mut state = State::Data;
        tokenize("<PlainText>x</plaintext>", &mut state);
        assert_eq!(state, State::PlainText);
        assert_eq!(tokenize("</plaintext>", &mut state), [text("</plaintext>")]);
    }

    #[test]
    fn script_escape_states_follow_the_standard() {
        // `<!--<script>` double-escapes: the first `</script>` does not end it.
        assert_eq!(
            tokens("<script><!--<script></script>alert(1)</script>shown"),
            [
                start("script"),
                text("<!--<script></script>alert(1)"),
                end("script"),
                text("shown")
            ]
        );
        // Escaped but not double: `</script>` ends it.
        assert_eq!(
            tokens("<script><!--a</script>b"),
            [start("script"), text("<!--a"), end("script"), text("b")]
        );
        // `-->` goes back to script data, where `<script>` means nothing.
        assert_eq!(
            tokens("<script><!-- --><script></script>b"),
            [
                start("script"),
                text("<!-- --><script>"),
                end("script"),
                text("b")
            ]
        );
        // A state left open reopens with the right prefix.
        let mut state = State::Data;
        tokenize("<script><!--<script>", &mut state);
        assert_eq!(state.reopen(), "<script><!--<script>");
        assert_eq!(state_after(&state.reopen(), State::Data), state);
    }

    #[test]
    fn raw_text_with_any_characters_never_panics() {
        let pieces = [
            "<",
            "script",
            ">",
            "</",
            "<!--",
            "-->",
            "é",
            "“",
            "-",
            "/",
            "\u{10FFFF}",
            " ",
        ];
        let mut seed: u64 = 0x5eed;
        for _ in 0..3000 {
            let mut input = String::from("<script>");
            for _ in 0..(seed % 20) {
                // A linear congruential generator (Knuth's MMIX constants).
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                input.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let mut state = State::Data;
            let text: String = tokenize(&input, &mut state)
                .into_iter()
                .filter_map(|t| match t {
                    Token::Text(t) => Some(t),
                    _ => None,
                })
                .collect();
            assert!(text.len() <= input.len(), "{input}");
        }
        assert_eq!(
            tokens("<script>“é”</script>ü"),
            [start("script"), text("“é”"), end("script"), text("ü")]
        );
    }

    #[test]
    fn comments_end_as_in_html() {
        assert_eq!(tokens("<!-->a"), [Token::Comment, text("a")]);
        assert_eq!(tokens("<!--->a"), [Token::Comment, text("a")]);
        assert_eq!(tokens("<!-- x --!>a"), [Token::Comment, text("a")]);
        assert_eq!(tokens("</>a</ x>b"), [text("a"), Token::Comment, text("b")]);
        assert_eq!(tokens("<!-- <script> -->a"), [Token::Comment, text("a")]);
    }

    #[test]
    fn attributes_hide_no_tags() {
        let t = tokens("<a title=\"<script>\" href='x'>y");
        assert!(matches!(&t[0], Token::Start { name, attrs, .. }
            if name == "a" && attrs[0] == ("title".to_string(), "<script>".to_string())));
        assert_eq!(t[1], text("y"));
        assert_eq!(
            state_after("<a title=\"<script>\">", State::Data),
            State::Data
        );
    }
}
