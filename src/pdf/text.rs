//! Glyph runs → krilla text: the run's face (embedded once, at first use),
//! its glyphs with their advances and offsets per unit of size, the cluster
//! each glyph came from (so text extracts exactly and ligatures come back
//! as their letters), and the run's horizontal scale (font expansion).

use std::num::NonZeroU64;

use krilla::Data;
use krilla::geom::{Point, Transform};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};

use super::marked::{self, Piece};
use super::{Context, bad};
use crate::diag::Result;
use crate::typeset::page::{GlyphRun, Rect};

/// Draws `run`; tagged, returns it as a piece of the structure tree (none
/// for an artifact).
pub(super) fn draw_run(
    cx: &mut Context<'_>,
    surface: &mut Surface<'_>,
    run: &GlyphRun,
) -> Result<Option<Piece>> {
    let location = match run.span {
        Some(span) if cx.validating => {
            cx.spans.push(span);
            NonZeroU64::new(cx.spans.len() as u64)
        }
        _ => None,
    };
    if let Some(l) = location {
        surface.set_location(l);
    }
    let id = cx
        .meta
        .tagged
        .then(|| marked::mark(surface, run.tag.as_ref()));
    let font = font(cx, run)?;
    let size = run.size.0 as f32;
    let sx = run.scale_x as f32;
    let glyphs: Vec<KrillaGlyph> = run
        .glyphs
        .iter()
        .map(|g| {
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                // krilla wants advances per unit of size, before the run's
                // horizontal scale.
                g.advance / size / sx,
                g.x_offset / size / sx,
                g.y_offset / size,
                0.0,
                g.text.0 as usize..g.text.1 as usize,
                location,
            )
        })
        .collect();
    surface.push_transform(&Transform::from_row(
        sx,
        0.0,
        0.0,
        1.0,
        run.origin.x.0 as f32,
        run.origin.y.0 as f32,
    ));
    surface.draw_glyphs(
        Point::from_xy(0.0, 0.0),
        &glyphs,
        font,
        &run.text,
        size,
        false,
    );
    surface.pop();
    let Some(id) = id else {
        return Ok(None);
    };
    surface.end_tagged();
    Ok(match (id, &run.tag) {
        (Some(id), Some(tag)) => Some(Piece {
            tag: tag.clone(),
            id,
            text: run.text.clone(),
            area: Rect {
                x: run.origin.x,
                y: run.origin.y - run.size * 0.5,
                width: run.width(),
                height: run.size * 0.5,
            },
        }),
        _ => None,
    })
}

/// krilla's font for the run's face, made from the face's bytes the first
/// time it is drawn.
fn font(cx: &mut Context<'_>, run: &GlyphRun) -> Result<Font> {
    if let Some(f) = cx.kfonts.get(&run.face) {
        return Ok(f.clone());
    }
    let face = cx.fonts.get(run.face);
    let f = Font::new(Data::from(face.data.clone()), face.index)
        .ok_or_else(|| bad(&format!("font {}", face.origin)))?;
    cx.kfonts.insert(run.face, f.clone());
    Ok(f)
}
