//! An EPUB edition's settings: no style overrides (its look is a CSS file),
//! the stylesheet checked through the book's files.

use std::path::PathBuf;

use super::{COMMON_KEYS, EPUB_KEYS, EditionKeys, EpubSettings, PageSource, Settings, at_key};
use crate::config::{self, NoteNumbering};
use crate::diag::{Error, Result};
use crate::load::Project;

/// The settings of EPUB edition `name`; `overrides` are the table's keys
/// that are not edition keys, which an EPUB edition does not take.
pub(super) fn settings(
    project: &Project,
    name: &str,
    keys: &EditionKeys,
    overrides: &toml::Table,
) -> Result<Settings> {
    if let Some((key, _)) = overrides.iter().next() {
        let valid: Vec<&str> = [COMMON_KEYS, EPUB_KEYS].concat();
        let mut d = at_key(
            project,
            name,
            key,
            format!("unknown key `{key}` in an EPUB edition"),
        );
        if let Some(h) = config::unknown_field_hint(&format!(
            "unknown field `{key}`, expected one of {}",
            valid
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )) {
            d = d.hint(h);
        }
        return Err(Error::config(d));
    }
    // Root-relative; checked here through the book's files, read through
    // them when built.
    let stylesheet = keys.style.as_ref().map(PathBuf::from);
    if let Some(rel) = &stylesheet
        && let Err(why) = project.files.resolve_root(rel)
    {
        let style = config::shown(keys.style.as_deref().unwrap_or_default());
        let mut d = at_key(
            project,
            name,
            "style",
            format!("the EPUB stylesheet {}", why.message(&style)),
        )
        .hint("an EPUB edition's `style` is a CSS file relative to the book; print styles are for PDF editions");
        if let Some(h) = why.hint() {
            d = d.hint(h);
        }
        return Err(Error::config(d));
    }
    Ok(Settings::Epub(EpubSettings {
        stylesheet,
        note_numbering: keys.note_numbering.unwrap_or(NoteNumbering::PerChapter),
        embed_fonts: keys.embed_fonts.unwrap_or(false),
        soft_hyphens: keys.soft_hyphens.unwrap_or(false),
        page_source: keys.page_source.clone().map(|edition| PageSource {
            edition,
            style: Box::default(),
        }),
    }))
}
