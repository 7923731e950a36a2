//! Links and destinations: every `Item::Dest` gathered before the pages are
//! written (a link may point forward), each `Item::Link` → a link
//! annotation to a URI or to a destination's page and point.

use std::collections::HashMap;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{Point, Rect};
use krilla::page::Page as KrillaPage;

use crate::labels::Labels;
use crate::typeset::page::{self, Item, LinkTarget, Page};

/// Destinations by id: the first page (index) and point that carry it.
pub(super) struct Dests<'a>(HashMap<&'a str, (usize, Point)>);

impl<'a> Dests<'a> {
    /// Gathers the destinations of every page.
    pub fn collect(pages: &'a [Page]) -> Self {
        let mut dests = HashMap::new();
        for (p, page) in pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Dest { id, at, .. } = item {
                    dests
                        .entry(id.as_str())
                        .or_insert((p, Point::from_xy(at.x.0 as f32, at.y.0 as f32)));
                }
            }
        }
        Dests(dests)
    }

    fn get(&self, id: &str) -> Option<&(usize, Point)> {
        self.0.get(id)
    }
}

/// A link annotation waiting for the end of its page.
pub(super) struct Link {
    /// Its area on the page (for the text it covers, when tagged).
    pub rect: page::Rect,
    /// The annotation.
    pub annotation: LinkAnnotation,
    /// Where it goes, in words: the URI or "page N" (a tagged link that
    /// covers no text is described by it).
    pub target: String,
}

/// The link over `rect` to `target`; none if the area is empty or the
/// target is not set in print.
pub(super) fn link(
    dests: &Dests<'_>,
    pages: &[Page],
    rect: &page::Rect,
    target: &LinkTarget,
    labels: &Labels,
) -> Option<Link> {
    let area = Rect::from_xywh(
        rect.x.0 as f32,
        rect.y.0 as f32,
        rect.width.0 as f32,
        rect.height.0 as f32,
    )?;
    let target_text = match target {
        LinkTarget::External(uri) => uri.clone(),
        LinkTarget::Internal(id) => match dests.get(id.as_str()) {
            Some(&(page, _)) => {
                labels.page(&pages.get(page).map_or(String::new(), |p| p.number.label()))
            }
            None => id.clone(),
        },
    };
    let target = match target {
        LinkTarget::External(uri) => Target::Action(Action::Link(LinkAction::new(uri.clone()))),
        LinkTarget::Internal(id) => {
            // A link to something not set in print (raw HTML anchor): no
            // annotation.
            let &(page, at) = dests.get(id.as_str())?;
            Target::Destination(Destination::Xyz(XyzDestination::new(page, at)))
        }
    };
    Some(Link {
        rect: *rect,
        annotation: LinkAnnotation::new(area, target),
        target: target_text,
    })
}

/// Adds an untagged page's links to it.
pub(super) fn annotate(kpage: &mut KrillaPage<'_>, links: Vec<Link>) {
    for link in links {
        kpage.add_annotation(Annotation::new_link(link.annotation, None));
    }
}
