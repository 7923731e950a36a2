//! Marked content for a tagged PDF (ISO 32000-1 §14.6, PDF/UA-1 §7.1):
//! every run, image and rule drawn is either a span of real content (a
//! `Piece`, placed in the structure tree at the end of its page) or an
//! artifact (running heads, folios, rules, leaders). At the end of a page,
//! each piece goes into the first link whose area holds it, and each link
//! becomes a tagged annotation described by the words it covers.

use crate::labels::Labels;
use std::sync::Arc;

use krilla::annotation::Annotation;
use krilla::page::Page as KrillaPage;
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, SpanTag};

use super::PageContent;
use super::tags::Tree;
use crate::typeset::page::{Rect, Tag, TagKind};

/// A piece of content drawn on a page, for the structure tree.
pub(super) struct Piece {
    pub tag: Tag,
    pub id: Identifier,
    pub text: Arc<str>,
    pub area: Rect,
}

/// Starts marked content for a run or image with `tag` (none: layout
/// decoration) and returns its identifier, if it is real content.
pub(super) fn mark(surface: &mut Surface<'_>, tag: Option<&Tag>) -> Option<Identifier> {
    let artifact = |kind| ContentTag::Artifact(Artifact::with_kind(kind));
    match tag.map(|t| t.kind) {
        None => {
            surface.start_tagged(artifact(ArtifactType::Layout));
            None
        }
        Some(TagKind::RunningHead) => {
            surface.start_tagged(artifact(ArtifactType::Header));
            None
        }
        Some(TagKind::Folio) => {
            surface.start_tagged(artifact(ArtifactType::PageNumber));
            None
        }
        Some(_) => Some(surface.start_tagged(ContentTag::Span(SpanTag::empty()))),
    }
}

/// Ends tagged page `p`: its links become tagged annotations and its
/// pieces enter the tree, each inside the link that covers it.
pub(super) fn finish_page(
    tree: &mut Tree<Identifier>,
    kpage: &mut KrillaPage<'_>,
    p: usize,
    content: PageContent,
    labels: &Labels,
) {
    let PageContent { links, pieces } = content;
    // Each piece of text goes in the first link whose area holds it.
    let cover: Vec<Option<usize>> = pieces
        .iter()
        .map(|piece| links.iter().position(|l| covers(&l.rect, &piece.area)))
        .collect();
    let mut annotation_ids = Vec::new();
    for (k, link) in links.into_iter().enumerate() {
        // Screen readers announce a link by its alt text: the words it
        // covers, or where it goes.
        let words: Vec<&str> = pieces
            .iter()
            .zip(&cover)
            .filter(|(_, c)| **c == Some(k))
            .map(|(piece, _)| piece.text.trim())
            .collect();
        let alt = if words.is_empty() {
            labels.link_to(&link.target)
        } else {
            words.join(" ")
        };
        let id =
            kpage.add_tagged_annotation(Annotation::new_link(link.annotation, Some(alt.clone())));
        annotation_ids.push((id, alt));
    }
    for (piece, link) in pieces.into_iter().zip(cover) {
        tree.add(&piece.tag, piece.id, &piece.text, link.map(|k| (p, k)));
    }
    for (k, (id, alt)) in annotation_ids.into_iter().enumerate() {
        tree.annotate((p, k), id, &alt);
    }
}

/// Whether a link's area holds a piece (its middle, with half a point of
/// slack for rounding).
fn covers(link: &Rect, piece: &Rect) -> bool {
    let (x, y) = (
        piece.x.0 + piece.width.0 / 2.0,
        piece.y.0 + piece.height.0 / 2.0,
    );
    x >= link.x.0 - 0.5
        && x <= link.x.0 + link.width.0 + 0.5
        && y >= link.y.0 - 0.5
        && y <= link.y.0 + link.height.0 + 0.5
}
