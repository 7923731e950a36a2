//! The places of keys in a TOML text ([`TomlDoc`]), and serde's errors
//! turned into diagnostics a person can act on: the key, what it takes,
//! and the closest valid key for a misspelling.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::diag::Diagnostic;
use crate::source::line_col;

/// A TOML text parsed once with the places of its keys, so that a check
/// that runs after deserialising can still point at the key at fault.
pub struct TomlDoc<'a> {
    path: &'a Path,
    text: &'a str,
    pub(super) root: std::result::Result<Spanned<DeTable<'a>>, toml::de::Error>,
}

impl<'a> TomlDoc<'a> {
    /// Parses `text` (the contents of `path`, which names it in messages).
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        TomlDoc {
            path,
            text,
            root: DeTable::parse(text),
        }
    }

    /// Whether the key at `keys` (a path of table names and a key) is set.
    pub fn has(&self, keys: &[&str]) -> bool {
        self.find(keys)
            .is_some_and(|(depth, _)| depth == keys.len())
    }

    /// How many keys of the path `keys` exist, and where the last of them
    /// is (for a table, its name in its header).
    fn find(&self, keys: &[&str]) -> Option<(usize, Range<usize>)> {
        let root = self.root.as_ref().ok()?;
        let mut table = root.get_ref();
        let mut found = None;
        for (depth, key) in keys.iter().enumerate() {
            let Some((k, v)) = entry(table, key) else {
                break;
            };
            found = Some((depth + 1, k.span()));
            match v.get_ref() {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
        found
    }

    /// A diagnostic at the key `keys`, or at the deepest table of that path
    /// which exists, or at the file's start.
    pub fn at(&self, keys: &[&str], message: impl Into<String>) -> Diagnostic {
        let span = self.find(keys).map_or(0..0, |(_, span)| span);
        self.diagnostic_at(span, message)
    }

    /// A diagnostic at a byte range of the text.
    pub fn diagnostic_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, col) = line_col(self.text, span.start);
        Diagnostic::error(message).at_path(self.path, line, col)
    }

    /// The dotted key whose value holds byte `offset`, and that value's
    /// TOML type.
    fn key_at(&self, offset: usize) -> Option<(String, &'static str)> {
        fn walk(table: &DeTable, offset: usize, path: &mut Vec<String>) -> Option<&'static str> {
            // A table's span may be its header only: look inside every
            // table, not just those whose span holds the offset.
            for (k, v) in table.iter() {
                path.push(k.get_ref().to_string());
                if let DeValue::Table(t) = v.get_ref()
                    && let Some(found) = walk(t, offset, path)
                {
                    return Some(found);
                }
                if v.span().contains(&offset) || k.span().contains(&offset) {
                    // In a list, the item at fault.
                    let item = v
                        .get_ref()
                        .as_array()
                        .and_then(|a| a.iter().find(|i| i.span().contains(&offset)));
                    return Some(item.unwrap_or(v).get_ref().type_str());
                }
                path.pop();
            }
            None
        }
        let root = self.root.as_ref().ok()?;
        let mut path = Vec::new();
        let ty = walk(root.get_ref(), offset, &mut path)?;
        Some((path.join("."), ty))
    }

    /// Turns a TOML or serde error into a diagnostic at its place: serde's
    /// raw wording ("invalid type: unit variant") gives way to the key and
    /// what it takes (from `expected`, key → what it takes, where known);
    /// an unknown key gets a "did you mean" hint.
    pub fn serde_diagnostic(&self, err: &toml::de::Error, expected: &[(&str, &str)]) -> Diagnostic {
        let raw = err.message().trim().to_string();
        let span = err.span().unwrap_or(0..0);
        let message = match self.key_at(span.start) {
            Some((key, found)) => {
                let last = key.rsplit('.').next().unwrap_or(&key);
                let wanted = expected
                    .iter()
                    .find(|(k, _)| *k == key || *k == last)
                    .map(|(_, w)| *w);
                explain(last, &raw, Some(found), wanted)
            }
            None => raw.clone(),
        };
        let mut d = self.diagnostic_at(span, message);
        if let Some(hint) = unknown_field_hint(&raw) {
            d = d.hint(hint);
        }
        d
    }
}

/// The entry `key` of a spanned table.
type DeEntry<'t, 'i> = (&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>);

pub(super) fn entry<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<DeEntry<'t, 'i>> {
    table.iter().find(|(k, _)| k.get_ref() == key)
}

/// A message a person can act on for a serde error about `key`: serde's
/// own text where it already names the key or the value, else the key and
/// what it takes (`wanted`, or serde's expectation when that is readable),
/// and what was `found` (a TOML type name).
pub fn explain(key: &str, raw: &str, found: Option<&str>, wanted: Option<&str>) -> String {
    if raw.starts_with("unknown field") || raw.starts_with('`') {
        return raw.to_string();
    }
    let opaque = raw.contains("unit variant")
        || raw.contains("struct variant")
        || raw.contains("did not match any variant")
        || raw.contains("string only");
    let serde_wanted = raw
        .split_once(", expected ")
        .map(|(_, w)| w.trim())
        .filter(|_| !opaque && raw.starts_with("invalid "));
    let found = found.map(|f| match f {
        "datetime" => "a date",
        "table" => "a table",
        "array" => "a list",
        "string" => "a string",
        "integer" => "a whole number",
        "float" => "a number",
        "boolean" => "`true` or `false`",
        other => other,
    });
    if let Some(rest) = raw.strip_prefix("unknown variant ") {
        return format!("`{key}`: unknown value {rest}");
    }
    match (wanted.or(serde_wanted), found) {
        (Some(w), _) if opaque => format!("`{key}` must be {w}"),
        (Some(w), Some(f)) if raw.starts_with("invalid type") => {
            format!("`{key}` must be {w}, not {f}")
        }
        (Some(w), _) => format!("`{key}` must be {w}"),
        (None, _) if opaque => format!("`{key}` has a value of the wrong kind"),
        (None, _) => format!("`{key}`: {raw}"),
    }
}

/// For serde's "unknown field `titel`, expected one of `title`, …" returns
/// "did you mean `title`?" when some valid key is close enough.
pub(crate) fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = expected
        .iter()
        .map(|cand| (edit_distance(unknown, cand), *cand))
        .min()?;
    // More than a third of the word changed is not a misspelling any more.
    (best.0 <= unknown.chars().count().div_ceil(3).max(1))
        .then(|| format!("did you mean `{}`?", best.1))
}

/// Edit distance between two short strings: insertions, deletions,
/// substitutions and swaps of two neighbours (`tpo` → `top`) cost one each
/// (the "optimal string alignment" variant of Damerau–Levenshtein).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: distance between a[..i] and b[..j].
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost)
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("subtitel", "subtitle"), 1);
        assert_eq!(edit_distance("tpo", "top"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
