//! The generated cover as a PNG. Reading systems' library views (Kindle,
//! Kobo) often show no thumbnail for an SVG cover image, so the drawn SVG
//! (`cover.rs`) is rendered to pixels with resvg at the 1600×2400 px that
//! stores ask for (Amazon KDP's cover guidelines, Kobo's). Its text is set
//! in the bundled fonts only (a `fontdb` loaded with their bytes, never the
//! system's), so the same book gives the same PNG bytes on every machine.

/// Renders `svg` (our own cover, whose size is its pixel size) to PNG
/// bytes, or says why it could not.
pub(super) fn png(svg: &str) -> Result<Vec<u8>, String> {
    // The cover refers to nothing outside itself.
    let options = crate::svg::usvg_options();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| format!("no {}×{} canvas", size.width(), size.height()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap).map_err(|e| e.to_string())
}

/// The pixmap as a PNG: the cover is opaque (its paper fills it), so the
/// premultiplied pixels are the colours themselves and are written as
/// they are. png's fast deflate (fdeflate) suits a few flat colours.
fn encode(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixmap.data())?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Meta;
    use crate::image;
    use crate::labels::for_language;
    use crate::svg::{SERIF, fonts};

    fn meta() -> Meta {
        Meta {
            title: "Mutual Aid".into(),
            subtitle: Some("A Factor of Evolution".into()),
            authors: vec!["Peter Kropotkin".into()],
            ..Meta::default()
        }
    }

    #[test]
    fn the_cover_renders_to_a_1600_by_2400_png_the_same_each_time() {
        let svg = super::super::cover::svg(&meta(), for_language("en"));
        let a = png(&svg).unwrap();
        let b = png(&svg).unwrap();
        assert_eq!(a, b, "rendering is deterministic");
        let info = image::inspect(&a).unwrap();
        assert_eq!(info.kind, image::ImageType::Png);
        assert_eq!(info.pixels, Some((1600, 2400)));
    }

    #[test]
    fn the_cover_text_is_drawn_in_the_bundled_fonts() {
        // The same cover without its words: the words must change pixels,
        // so a font was found for them (none would leave the field bare).
        let svg = super::super::cover::svg(&meta(), for_language("en"));
        let bare: String = svg
            .lines()
            .filter(|l| !l.starts_with("<text"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(png(&svg).unwrap(), png(&bare).unwrap());
        assert!(
            fonts()
                .faces()
                .all(|f| matches!(f.source, usvg::fontdb::Source::Binary(_)))
        );
        assert!(
            fonts()
                .faces()
                .any(|f| f.families.iter().any(|(name, _)| name == SERIF))
        );
    }
}
