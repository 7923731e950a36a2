//! Rules (filled rectangles: the note separator, table and heading rules)
//! → a filled path; tagged, always an artifact.

use krilla::geom::{PathBuilder, Rect};
use krilla::surface::Surface;

use super::marked;
use crate::typeset::page;

/// Draws the rule `r`.
pub(super) fn draw_rule(surface: &mut Surface<'_>, r: &page::Rect, tagged: bool) {
    if tagged {
        marked::mark(surface, None);
    }
    let mut pb = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(
        r.x.0 as f32,
        r.y.0 as f32,
        r.width.0 as f32,
        r.height.0 as f32,
    ) {
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            surface.draw_path(&path);
        }
    }
    if tagged {
        surface.end_tagged();
    }
}
