//! Attribute blocks in braces, as pandoc's Markdown writes them after
//! headings, fenced divs and bracketed spans: `{#id .class key=value
//! key="quoted value" -}` → [`doc::Attrs`](crate::doc::Attrs).
//!
//! The syntax is the pandoc manual's ("Extension: `header_attributes`",
//! "`fenced_code_attributes`", "`bracketed_spans`"): words separated by
//! white space, each `#id`, `.class`, `key=value` (the value bare or in
//! double or single quotes, a backslash escaping the next character) or
//! `-`, pandoc's short form of `.unnumbered`. `lang=` is the language; the
//! other pairs are kept in order. A block that breaks these rules (a word
//! of another shape, no closing brace, a raw attribute `{=html}`) is no
//! attribute block at all, and its text stays text, as in pandoc. Where
//! pandoc keeps the last of several ids, the first wins here, as the
//! heading attributes pulldown-cmark reads do.
//!
//! Text that went through smart punctuation has curly quotes where the
//! author typed straight ones, so those are taken as quotes too.

use crate::doc::Attrs;

/// Parses the attribute block at the start of `s`, which must begin with
/// `{`: the attributes and how many bytes the block takes (through its
/// `}`), or `None` when `s` does not start with a well-formed block.
pub(super) fn parse(s: &str) -> Option<(Attrs, usize)> {
    let body = s.strip_prefix('{')?;
    let mut attrs = Attrs::default();
    let mut rest = body;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('}') {
            let used = s.len() - after.len();
            return Some((attrs, used));
        }
        if rest.is_empty() {
            return None;
        }
        if let Some(r) = rest.strip_prefix('#') {
            let (name, r) = take_name(r)?;
            attrs.id.get_or_insert(name);
            rest = r;
        } else if let Some(r) = rest.strip_prefix('.') {
            let (name, r) = take_name(r)?;
            attrs.classes.push(name);
            rest = r;
        } else if rest.starts_with('-')
            && rest[1..].starts_with(|c: char| c.is_whitespace() || c == '}')
        {
            attrs.classes.push("unnumbered".into());
            rest = &rest[1..];
        } else {
            let (key, r) = take_name(rest)?;
            let r = r.strip_prefix('=')?;
            let (value, r) = take_value(r)?;
            if key == "lang" {
                attrs.lang.get_or_insert(value);
            } else {
                attrs.pairs.push((key, value));
            }
            rest = r;
        }
    }
}

/// Whether `c` may stand in an id, a class or a key: letters and digits of
/// any script, and `-`, `_`, `:`, `.` (pandoc's identifier characters).
fn name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')
}

/// A non-empty name at the start of `s`, which must end at white space,
/// `=` or `}`.
fn take_name(s: &str) -> Option<(String, &str)> {
    let end = s.find(|c: char| !name_char(c)).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let rest = &s[end..];
    if !(rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '=' || c == '}')) {
        return None;
    }
    Some((s[..end].to_string(), rest))
}

/// The closing quote for an opening one, straight or curly.
fn closing_quote(open: char) -> Option<&'static [char]> {
    match open {
        '"' => Some(&['"']),
        '\'' => Some(&['\'']),
        '“' | '”' => Some(&['”', '“']),
        '‘' | '’' => Some(&['’', '‘']),
        _ => None,
    }
}

/// A value: quoted (a backslash escapes the next character), or bare up to
/// white space or `}`.
fn take_value(s: &str) -> Option<(String, &str)> {
    let open = s.chars().next()?;
    if let Some(close) = closing_quote(open) {
        let mut value = String::new();
        let mut chars = s[open.len_utf8()..].char_indices();
        let base = open.len_utf8();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                value.push(chars.next()?.1);
            } else if close.contains(&c) {
                let rest = &s[base + i + c.len_utf8()..];
                return Some((value, rest));
            } else {
                value.push(c);
            }
        }
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || c == '}')
        .unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    Some((s[..end].to_string(), &s[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Attrs {
        let (attrs, used) = parse(s).unwrap_or_else(|| panic!("{s:?} should parse"));
        assert_eq!(used, s.len(), "{s:?} read whole");
        attrs
    }

    #[test]
    fn reads_ids_classes_lang_and_pairs() {
        let a = ok("{#intro .note .wide lang=fr-CA data-x=1}");
        assert_eq!(a.id.as_deref(), Some("intro"));
        assert_eq!(a.classes, ["note", "wide"]);
        assert_eq!(a.lang.as_deref(), Some("fr-CA"));
        assert_eq!(a.pairs, [("data-x".to_string(), "1".to_string())]);
    }

    #[test]
    fn reads_quoted_values_with_escapes() {
        let a = ok(r#"{title="a \"b\" c" alt='it\'s'}"#);
        assert_eq!(
            a.pairs,
            [
                ("title".to_string(), "a \"b\" c".to_string()),
                ("alt".to_string(), "it's".to_string())
            ]
        );
        // After smart punctuation.
        let a = ok("{title=“two words” .x}");
        assert_eq!(a.pairs, [("title".to_string(), "two words".to_string())]);
        assert_eq!(a.classes, ["x"]);
    }

    #[test]
    fn dash_is_unnumbered() {
        assert_eq!(ok("{-}").classes, ["unnumbered"]);
        let a = ok("{#notes -}");
        assert_eq!(a.id.as_deref(), Some("notes"));
        assert_eq!(a.classes, ["unnumbered"]);
    }

    #[test]
    fn first_of_several_ids_wins() {
        assert_eq!(ok("{#a #b}").id.as_deref(), Some("a"));
        assert_eq!(ok("{lang=de lang=fr}").lang.as_deref(), Some("de"));
    }

    #[test]
    fn unicode_names_and_values() {
        let a = ok("{#глава .малый lang=ru note=«да»}");
        assert_eq!(a.id.as_deref(), Some("глава"));
        assert_eq!(a.classes, ["малый"]);
        assert_eq!(a.pairs, [("note".to_string(), "«да»".to_string())]);
    }

    #[test]
    fn reports_what_it_read_before_trailing_text() {
        let (a, used) = parse("{.x} and more").unwrap();
        assert_eq!(a.classes, ["x"]);
        assert_eq!(used, 4);
        assert_eq!(parse("{}").map(|(_, n)| n), Some(2));
        assert_eq!(
            parse("{ \n .x\t}").map(|(a, _)| a.classes),
            Some(vec!["x".into()])
        );
    }

    #[test]
    fn malformed_blocks_are_not_attributes() {
        for s in [
            "",
            "no brace",
            "{.x",
            "{#}",
            "{.}",
            "{=html}",
            "{key=}",
            "{key}",
            "{title=\"unclosed}",
            "{a b}",
            "{#id!}",
            "{--}",
            "{x=\"a\\",
        ] {
            assert!(parse(s).is_none(), "{s:?} should not parse");
        }
    }
}
