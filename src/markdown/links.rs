//! Links between files, resolved once every file's ids are known.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Warnings};
use crate::doc::{self, Block, Inline, Target};
use crate::source::Span;

use super::notes::visit_inlines_mut;

/// Where each file's ids went, for resolving links between files.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Book-relative file path → (the id a bare link to the file goes to,
    /// the file's anchors).
    pub files: HashMap<PathBuf, (String, HashMap<String, String>)>,
}

/// Resolves the internal links of one file's blocks: `#id` against the
/// file's own anchors, `other.md#id` against the other file's, `other.md`
/// to that file's first chapter. A link that goes nowhere is a warning and
/// keeps its text without the link.
pub fn resolve_links(
    blocks: &mut [Block],
    this_file: &Path,
    index: &LinkIndex,
    warnings: &mut Warnings,
) {
    visit_inlines_mut(blocks, &mut |inline| {
        // Notes hold their own copy of their blocks: resolve those too.
        if let Inline::Note { blocks, .. } = inline {
            resolve_links(blocks, this_file, index, warnings);
            return;
        }
        let Inline::Link {
            target: Target::Internal(dest),
            content,
            span,
            ..
        } = inline
        else {
            return;
        };
        match resolve(dest, this_file, index) {
            Some(id) => *dest = id,
            None => {
                warnings.push(
                    Diagnostic::warning(format!("link to `{dest}` goes nowhere in this book"))
                        .at(*span)
                        .hint("the link text is kept without the link"),
                );
                let kept = std::mem::take(content);
                *inline = unwrap_link(kept, *span);
            }
        }
    });
}

/// The content of a dropped link as one inline: the single inline itself,
/// or else its plain text.
fn unwrap_link(mut content: Vec<Inline>, span: Span) -> Inline {
    if content.len() == 1 {
        return content.remove(0);
    }
    Inline::Text {
        text: doc::plain_text(&content),
        span,
    }
}

fn resolve(dest: &str, this_file: &Path, index: &LinkIndex) -> Option<String> {
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = crate::files::percent_decode(path);
    let file = if path.is_empty() {
        this_file.to_path_buf()
    } else {
        let base = this_file.parent().unwrap_or(Path::new(""));
        crate::files::normalize(&base.join(&path))?
    };
    let (first, anchors) = index.files.get(&file).or_else(|| {
        // mdBook's rendered names: `other.html` is `other.md`, a folder's
        // `index.html` its `README.md` (or `index.md`).
        let stem = file.to_string_lossy().strip_suffix(".html")?.to_string();
        let md = [
            Some(format!("{stem}.md")),
            stem.strip_suffix("index").map(|d| format!("{d}README.md")),
        ];
        md.into_iter()
            .flatten()
            .find_map(|p| index.files.get(Path::new(&p)))
    })?;
    match fragment {
        None | Some("") => Some(first.clone()),
        Some(f) => anchors.get(f).cloned(),
    }
}
