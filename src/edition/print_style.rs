//! A PDF edition's print style: the built-in or book's style file, the
//! edition's overrides merged in, each problem blamed on the key that set
//! it (an override in book.toml, else the style file's own key).

use std::path::{Path, PathBuf};

use super::{BUILTIN_STYLES, at_key, edition_keys, mentioned_key, unknown_key_hint};
use crate::config::{self, TomlDoc};
use crate::diag::{Diagnostic, Error, Result};
use crate::load::Project;
use crate::style::PrintStyle;

/// The print style named by `style` (a built-in name or a TOML file
/// relative to the book), with the edition's `overrides` merged in.
pub(super) fn print_style(
    project: &Project,
    edition: &str,
    style: Option<&str>,
    overrides: toml::Table,
) -> Result<PrintStyle> {
    let name = style.unwrap_or("pamphlet");
    let (path, text) = match BUILTIN_STYLES.iter().find(|(n, _)| *n == name) {
        Some((n, text)) => (PathBuf::from(format!("styles/{n}.toml")), text.to_string()),
        None if name.ends_with(".toml") || name.contains('/') => {
            // Through the book's files: inside the book, a regular file,
            // capped.
            let files = &project.files;
            let read = files
                .resolve_root(Path::new(name))
                .and_then(|p| files.read_text(&p, crate::files::Cap::Text).map(|t| (p, t)));
            match read {
                Ok((p, text)) => (files.full(&p), text),
                Err(why) => {
                    let mut d = at_key(
                        project,
                        edition,
                        "style",
                        format!("style {}", why.message(name)),
                    );
                    if let Some(h) = why.hint() {
                        d = d.hint(h);
                    }
                    return Err(Error::config(d));
                }
            }
        }
        None => {
            let names: Vec<_> = BUILTIN_STYLES.iter().map(|(n, _)| *n).collect();
            return Err(Error::config(
                at_key(
                    project,
                    edition,
                    "style",
                    format!("no built-in style `{}`", config::shown(name)),
                )
                .hint(format!(
                    "built-in styles: {}; or give a .toml file",
                    names.join(", ")
                )),
            ));
        }
    };
    // The style alone first, so its own mistakes point into its file.
    PrintStyle::from_toml(&text, &path)?;
    let base: toml::Table = toml::from_str(&text).unwrap_or_default();
    let apply = |over: toml::Table| -> std::result::Result<PrintStyle, toml::de::Error> {
        let mut table = base.clone();
        merge(&mut table, over);
        toml::Value::Table(table).try_into()
    };
    let merged = apply(overrides.clone()).map_err(|e| {
        let raw = e.message().trim().to_string();
        // serde names an unknown key but not the key of a bad value: find
        // the override that fails on its own.
        let key = mentioned_key(&raw, &[])
            .and_then(|k| key_path(&overrides, k))
            .or_else(|| {
                overrides
                    .iter()
                    .find(|(k, v)| {
                        apply(toml::Table::from_iter([((*k).clone(), (*v).clone())])).is_err()
                    })
                    .map(|(k, _)| k.clone())
            })
            .unwrap_or_else(|| "style".into());
        let last = key.rsplit('.').next().unwrap_or(&key);
        let found = lookup(&overrides, &key).map(toml::Value::type_str);
        let wanted = crate::style::EXPECTED
            .iter()
            .find(|(k, _)| *k == last)
            .map(|(_, w)| *w);
        let message = if raw.starts_with("unknown field") {
            format!("unknown key `{last}` in a PDF edition")
        } else {
            config::explain(last, &raw, found, wanted)
        };
        let mut d = at_key(project, edition, &key, message);
        // A misspelt key may be meant for the style or for the edition.
        if let Some(h) = unknown_key_hint(&raw, last, &edition_keys()) {
            d = d.hint(h);
        }
        Error::config(d)
    })?;
    // Each problem is blamed on the first of its keys that the edition
    // sets, else on the style file, else on the edition's `style` key.
    let style_doc = TomlDoc::new(&path, &text);
    let problems: Vec<Diagnostic> = merged
        .problems()
        .into_iter()
        .map(|p| {
            if let Some(k) = p.keys.iter().find(|k| lookup(&overrides, k).is_some()) {
                at_key(project, edition, k, p.message)
            } else if let Some(k) = p
                .keys
                .iter()
                .find(|k| style_doc.has(&crate::style::split(k)))
            {
                style_doc.at(&crate::style::split(k), p.message)
            } else {
                at_key(project, edition, "style", p.message)
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(Error::Config(problems))
    }
}

/// The value at a dotted key path of a table.
fn lookup<'t>(table: &'t toml::Table, key: &str) -> Option<&'t toml::Value> {
    let mut parts = key.split('.');
    let mut value = table.get(parts.next()?)?;
    for part in parts {
        value = value.as_table()?.get(part)?;
    }
    Some(value)
}

/// The dotted path of the first key named `name` in `table` or its
/// subtables.
fn key_path(table: &toml::Table, name: &str) -> Option<String> {
    if table.contains_key(name) {
        return Some(name.to_string());
    }
    table.iter().find_map(|(k, v)| {
        let sub = key_path(v.as_table()?, name)?;
        Some(format!("{k}.{sub}"))
    })
}

/// Merges `over` into `base`, table by table.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}
