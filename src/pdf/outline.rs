//! The document outline (PDF bookmarks, ISO 32000-1 §12.3.3): the pages'
//! destinations that carry an entry, nested by level.

use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};

use crate::typeset::page::{Item, Page};

/// An entry whose children are still being gathered.
struct Entry {
    level: u8,
    node: OutlineNode,
}

/// The outline: destinations that carry an entry, nested by level, in
/// page order.
pub(super) fn outline(pages: &[Page]) -> Outline {
    let mut root = Outline::new();
    let mut stack: Vec<Entry> = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Dest {
                at,
                outline: Some(entry),
                ..
            } = item
            {
                close(&mut stack, &mut root, entry.level);
                let dest = XyzDestination::new(p, Point::from_xy(at.x.0 as f32, at.y.0 as f32));
                stack.push(Entry {
                    level: entry.level,
                    node: OutlineNode::new(entry.title.clone(), dest),
                });
            }
        }
    }
    close(&mut stack, &mut root, 0);
    root
}

/// Closes the open entries at `level` or deeper, each into its parent.
fn close(stack: &mut Vec<Entry>, root: &mut Outline, level: u8) {
    while stack.last().is_some_and(|e| e.level >= level) {
        let done = stack.pop().expect("non-empty");
        match stack.last_mut() {
            Some(parent) => parent.node.push_child(done.node),
            None => root.push_child(done.node),
        }
    }
}
