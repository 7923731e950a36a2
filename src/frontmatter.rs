//! YAML front matter of a single-file book, as pandoc reads it.
//!
//! Only the flat subset books use is understood: `key: value` with plain,
//! single- or double-quoted scalars, and lists either inline (`[a, b]`) or as
//! `- item` lines under their key. Other keys are kept but unused, as pandoc
//! keeps metadata it does not need. Anything else is an error at its line.

use std::collections::BTreeMap;

/// A front-matter value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar, unquoted.
    Str(String),
    /// A list of scalars.
    List(Vec<String>),
}

impl Value {
    /// The value as a list (a scalar is a list of one).
    pub fn into_list(self) -> Vec<String> {
        match self {
            Value::Str(s) => vec![s],
            Value::List(l) => l,
        }
    }

    /// The value as one string (a list is joined with commas).
    pub fn into_string(self) -> String {
        match self {
            Value::Str(s) => s,
            Value::List(l) => l.join(", "),
        }
    }
}

/// Front matter split off a document.
#[derive(Debug, Default, PartialEq)]
pub struct FrontMatter {
    /// Keys and values.
    pub fields: BTreeMap<String, Value>,
    /// Bytes of the document taken by the front matter and its fences.
    pub len: usize,
}

/// Splits `---` … `---` (or `...`) front matter off the start of `text`.
/// `Err((line, message))` names the 1-based line of a malformed entry.
pub fn split(text: &str) -> Result<FrontMatter, (usize, String)> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok(FrontMatter::default()),
    }
    let mut fm = FrontMatter {
        len: 4,
        ..FrontMatter::default()
    };
    let mut current_list: Option<String> = None;
    for (i, raw) in lines.enumerate() {
        let line_no = i + 2;
        fm.len += raw.len();
        let line = raw.trim_end();
        if line == "---" || line == "..." {
            return Ok(fm);
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            let Some(key) = &current_list else {
                return Err((line_no, "list item without a key above it".into()));
            };
            if let Some(Value::List(l)) = fm.fields.get_mut(key) {
                l.push(scalar(item, line_no)?);
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err((line_no, format!("expected `key: value`, found `{line}`")));
        };
        if line.starts_with(char::is_whitespace) {
            return Err((line_no, "nested mappings are not supported".into()));
        }
        let key = key.trim().to_string();
        let value = value.trim();
        current_list = None;
        if value.is_empty() {
            fm.fields.insert(key.clone(), Value::List(Vec::new()));
            current_list = Some(key);
        } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let items = inner
                .split(',')
                .map(|s| scalar(s.trim(), line_no))
                .filter(|s| !matches!(s, Ok(s) if s.is_empty()))
                .collect::<Result<_, _>>()?;
            fm.fields.insert(key, Value::List(items));
        } else {
            fm.fields.insert(key, Value::Str(scalar(value, line_no)?));
        }
    }
    Err((1, "front matter opened with `---` is never closed".into()))
}

/// A plain or quoted YAML scalar.
fn scalar(s: &str, line: usize) -> Result<String, (usize, String)> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('"') {
        let inner = inner
            .strip_suffix('"')
            .ok_or((line, "unclosed double quote".to_string()))?;
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Ok(out)
    } else if let Some(inner) = s.strip_prefix('\'') {
        let inner = inner
            .strip_suffix('\'')
            .ok_or((line, "unclosed single quote".to_string()))?;
        Ok(inner.replace("''", "'"))
    } else {
        // A plain scalar ends at a comment.
        Ok(s.split(" #").next().unwrap_or("").trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pandoc_style_metadata() {
        let text = "---\ntitle: \"A: Book\"\nauthor:\n  - Ann\n  - 'Bo''s'\nlang: en-GB\nkeywords: [a, b]\n---\n# One\n";
        let fm = split(text).unwrap();
        assert_eq!(fm.fields["title"], Value::Str("A: Book".into()));
        assert_eq!(
            fm.fields["author"],
            Value::List(vec!["Ann".into(), "Bo's".into()])
        );
        assert_eq!(fm.fields["lang"], Value::Str("en-GB".into()));
        assert_eq!(
            fm.fields["keywords"],
            Value::List(vec!["a".into(), "b".into()])
        );
        assert_eq!(&text[fm.len..], "# One\n");
    }

    #[test]
    fn no_front_matter_is_fine() {
        assert_eq!(split("# Title\n").unwrap(), FrontMatter::default());
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(split("---\ntitle: x\nnonsense\n---\n").unwrap_err().0, 3);
        assert_eq!(split("---\ntitle: x\n").unwrap_err().0, 1);
    }
}
