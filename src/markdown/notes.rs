//! Notes: each reference given its definition's blocks, undefined and unused
//! ones reported, and the walk over a tree's inlines that passes use.

use std::collections::{HashMap, HashSet};

use crate::diag::Diagnostic;
use crate::doc::{Block, Inline, NoteId};
use crate::source::{FileId, Span};

use super::Context;

/// Notes cited from inside notes, deepest chain accepted: `[^a]` citing
/// `[^b]` citing `[^c]` is a chain of three. Each note in a chain may hold
/// [`MAX_DEPTH`] levels of blocks of its own, so the chain multiplies the
/// depth a recursive backend sees; four keeps it within 256 levels, where
/// real books need two.
pub const MAX_NOTE_DEPTH: usize = 4;

/// Gives the first reference to each note (in reading order, notes' own
/// text read where they are cited, as the typesetter numbers them) the
/// blocks of its definition; later references carry none, so a note cited
/// twice from a note cited twice… is copied once, not 2ⁿ times (backends
/// take a note's blocks from its first reference, or look them up with
/// [`doc::note_bodies`]). A missing definition is an error; a note that
/// cites itself, directly or through others, keeps that reference as a
/// marker only, with a warning; a chain of notes deeper than
/// [`MAX_NOTE_DEPTH`] is refused.
pub(super) fn fill_notes(
    blocks: &mut [Block],
    defs: &HashMap<String, (Vec<Block>, Span)>,
    stack: &mut Vec<String>,
    filled: &mut HashSet<String>,
    cx: &mut Context,
) {
    visit_inlines_mut(blocks, &mut |inline| {
        if let Inline::Note {
            label,
            blocks: body,
            span,
            ..
        } = inline
        {
            match defs.get(label.as_str()) {
                Some(_) if stack.contains(label) => {
                    let message = if stack.last() == Some(label) {
                        format!("footnote [^{label}] refers to itself")
                    } else {
                        let at = stack.iter().position(|l| l == label).unwrap_or(0);
                        let through: Vec<String> =
                            stack[at + 1..].iter().map(|l| format!("[^{l}]")).collect();
                        format!(
                            "footnote [^{label}] refers to itself through {}",
                            through.join(" → ")
                        )
                    };
                    cx.warnings
                        .push(Diagnostic::warning(message).at(*span).hint(format!(
                            "the reference shows the number of [^{label}] and links to it"
                        )));
                }
                Some(_) if filled.contains(label.as_str()) => {}
                Some(_) if stack.len() >= MAX_NOTE_DEPTH => {
                    // Once per note: its later references are skipped.
                    filled.insert(label.clone());
                    cx.errors.push(
                        Diagnostic::error(format!(
                            "footnote [^{label}] would nest notes {} deep (a note cited from a note cited from …); at most {MAX_NOTE_DEPTH} are accepted", stack.len() + 1
                        ))
                        .at(*span)
                        .hint("cite it from the text, or merge the notes"),
                    );
                }
                Some((def, _)) => {
                    filled.insert(label.clone());
                    *body = def.clone();
                    stack.push(label.clone());
                    fill_notes(body, defs, stack, filled, cx);
                    stack.pop();
                }
                None => cx.errors.push(
                    Diagnostic::error(format!("footnote [^{label}] has no definition"))
                        .at(*span)
                        .hint(format!("define it with `[^{label}]: …` in the same file")),
                ),
            }
        }
    });
}

/// pulldown-cmark, like GitHub, leaves a reference to an undefined note as
/// literal text. Find `[^label]` in text (not in code, not escaped in the
/// source) and report it where it stands.
pub(super) fn find_undefined_refs(
    blocks: &mut [Block],
    file: FileId,
    source: &str,
    cx: &mut Context,
) {
    let mut found = Vec::new();
    let mut check = |inline: &mut Inline| {
        let Inline::Text { span, .. } = inline else {
            return;
        };
        let range = span.start as usize..(span.end as usize).min(source.len());
        let Some(raw) = source.get(range.clone()) else {
            return;
        };
        let mut from = 0;
        while let Some(at) = raw[from..].find("[^") {
            let start = from + at;
            from = start + 2;
            let rest = &raw[from..];
            let Some(close) = rest.find(']') else { break };
            let label = &rest[..close];
            let escaped = raw[..start].ends_with('\\');
            if !label.is_empty() && !escaped && !label.contains(char::is_whitespace) {
                let span = Span::new(file, range.start + start..range.start + from + close + 1);
                found.push((span, label.to_string()));
            }
        }
    };
    visit_inlines_mut(blocks, &mut |inline| {
        if let Inline::Note { blocks, .. } = inline {
            visit_inlines_mut(blocks, &mut check);
        } else {
            check(inline);
        }
    });
    found.sort();
    found.dedup();
    for (span, label) in found {
        cx.errors.push(
            Diagnostic::error(format!("footnote [^{label}] has no definition"))
                .at(span)
                .hint(format!("define it with `[^{label}]: …` in the same file")),
        );
    }
}

pub(super) fn report_unused(
    notes: &HashMap<String, (NoteId, Span)>,
    defs: &HashMap<String, (Vec<Block>, Span)>,
    cx: &mut Context,
) {
    let mut unused: Vec<_> = defs
        .iter()
        .filter(|(label, _)| !notes.contains_key(label.as_str()))
        .map(|(label, (_, span))| (span.start, label, *span))
        .collect();
    unused.sort();
    for (_, label, span) in unused {
        cx.warnings
            .push(Diagnostic::warning(format!("footnote [^{label}] is never referenced")).at(span));
    }
}

/// Calls `f` on every inline of `blocks`, depth first, notes' blocks
/// included only when `f` itself descends into them.
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    for block in blocks {
        match block {
            Block::Para { content, .. } | Block::Heading { content, .. } => inlines_mut(content, f),
            Block::BlockQuote { blocks, .. }
            | Block::Div { blocks, .. }
            | Block::Alert { blocks, .. } => visit_inlines_mut(blocks, f),
            Block::Figure { caption, .. } => inlines_mut(caption, f),
            Block::List { items, .. } => {
                for item in items {
                    visit_inlines_mut(&mut item.blocks, f);
                }
            }
            Block::DefinitionList { items, .. } => {
                for item in items {
                    inlines_mut(&mut item.term, f);
                    for def in &mut item.definitions {
                        visit_inlines_mut(def, f);
                    }
                }
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    inlines_mut(cell, f);
                }
            }
            Block::CodeBlock { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
        }
    }
}

fn inlines_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => inlines_mut(content, f),
            _ => {}
        }
    }
}
