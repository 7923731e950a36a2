//! The cover and the title page.
//!
//! When the book names no cover image, we draw one: an SVG with the title,
//! subtitle and authors, so that the library view of a reading system shows
//! the book's name rather than a blank; `raster.rs` renders it to the PNG the
//! package ships (in the bundled serif). The text is wrapped by an estimate
//! of glyph widths (Georgia/Times metrics); the estimate errs wide.

use crate::doc::Meta;

use super::xhtml::{escape, escape_a};
use crate::labels::Labels;

/// Cover size in SVG user units: 2:3, the proportion of most ebook covers
/// and of the 1600×2400 px that stores recommend.
const WIDTH: f32 = 1600.0;
const HEIGHT: f32 = 2400.0;
/// Widest a line of cover text may be.
const MEASURE: f32 = 1280.0;

/// Estimated advance of a character, in ems, for a book serif. Averages
/// taken from Georgia/Times metrics; erring wide keeps lines inside.
fn advance(c: char) -> f32 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '’' | '‘' | '!' | '|' => 0.3,
        ' ' | 'f' | 't' | 'r' | 'I' | '(' | ')' | '-' => 0.38,
        'm' | 'w' | 'M' | 'W' | '—' => 0.92,
        c if c.is_uppercase() => 0.72,
        _ => 0.54,
    }
}

fn width(s: &str, size: f32) -> f32 {
    s.chars().map(advance).sum::<f32>() * size
}

/// Greedy line filling at `size`; `None` if a single word is too wide.
fn wrap(text: &str, size: f32) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if width(word, size) > MEASURE {
            return None;
        }
        match lines.last_mut() {
            Some(line) if width(&format!("{line} {word}"), size) <= MEASURE => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    Some(lines)
}

/// The largest size from `sizes` at which `text` fits in `max_lines`, with
/// its lines; the smallest size if none does.
fn fit(text: &str, sizes: &[f32], max_lines: usize) -> (f32, Vec<String>) {
    for &size in sizes {
        if let Some(lines) = wrap(text, size).filter(|l| l.len() <= max_lines) {
            return (size, lines);
        }
    }
    let size = sizes.last().copied().unwrap_or(48.0);
    // Still too long: break inside words rather than overflow the page.
    let per_line = (MEASURE / (size * 0.6)).max(1.0) as usize;
    let chars: Vec<char> = text.chars().collect();
    let lines = chars.chunks(per_line).map(|c| c.iter().collect()).collect();
    (size, lines)
}

/// Authors joined for display: “A”, “A and B”, “A, B and C”.
pub(super) fn authors(meta: &Meta, labels: &Labels) -> String {
    match meta.authors.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), labels.and),
    }
}

/// The generated cover image.
pub(super) fn svg(meta: &Meta, labels: &Labels) -> String {
    const PAPER: &str = "#f3ede2";
    const INK: &str = "#1f1b16";
    const RED: &str = "#8c1c13";
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\">\n"
    ));
    o.push_str(&format!("<title>{}</title>\n", escape(&meta.title)));
    o.push_str(&format!(
        "<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{PAPER}\"/>\n"
    ));
    // A red field holding the title, its lower edge at 55% of the height.
    let band = HEIGHT * 0.55;
    o.push_str(&format!(
        "<rect width=\"{WIDTH}\" height=\"{band}\" fill=\"{RED}\"/>\n"
    ));
    o.push_str(&format!(
        "<g font-family=\"Georgia, 'Times New Roman', Times, serif\" text-anchor=\"middle\" fill=\"{INK}\">\n"
    ));
    let cx = WIDTH / 2.0;
    let (size, lines) = fit(&meta.title, &[150.0, 130.0, 112.0, 96.0, 80.0, 68.0], 6);
    let leading = size * 1.15;
    // Title set from the bottom of the band upwards.
    let mut y = band - 140.0 - leading * (lines.len() as f32 - 1.0);
    for line in &lines {
        o.push_str(&format!(
            "<text x=\"{cx}\" y=\"{y:.0}\" font-size=\"{size}\" fill=\"{PAPER}\">{}</text>\n",
            escape(line)
        ));
        y += leading;
    }
    let mut y = band + 190.0;
    if let Some(sub) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        let (size, lines) = fit(sub, &[76.0, 66.0, 56.0, 48.0], 5);
        for line in &lines {
            o.push_str(&format!(
                "<text x=\"{cx}\" y=\"{y:.0}\" font-size=\"{size}\" font-style=\"italic\">{}</text>\n",
                escape(line)
            ));
            y += size * 1.3;
        }
    }
    o.push_str(&format!(
        "<rect x=\"{}\" y=\"{:.0}\" width=\"240\" height=\"6\" fill=\"{RED}\"/>\n",
        cx - 120.0,
        y.max(band + 300.0)
    ));
    let by = authors(meta, labels);
    if !by.is_empty() {
        let (size, lines) = fit(&by.to_uppercase(), &[72.0, 60.0, 50.0, 42.0], 3);
        let mut y = HEIGHT - 260.0 - size * 1.3 * (lines.len() as f32 - 1.0);
        for line in &lines {
            o.push_str(&format!(
                "<text x=\"{cx}\" y=\"{y:.0}\" font-size=\"{size}\" letter-spacing=\"{:.0}\">{}</text>\n",
                size * 0.12,
                escape(line)
            ));
            y += size * 1.3;
        }
    }
    o.push_str("</g>\n</svg>\n");
    o
}

/// The cover document body: the cover image, full page.
pub(super) fn cover_body(meta: &Meta, labels: &Labels, image_href: &str) -> String {
    let mut alt = format!("{} {}", labels.cover_of, meta.title);
    if let Some(sub) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        alt.push_str(": ");
        alt.push_str(sub);
    }
    let by = authors(meta, labels);
    if !by.is_empty() {
        alt.push_str(" — ");
        alt.push_str(&by);
    }
    format!(
        "<section class=\"cover\">\n<img class=\"cover\" src=\"{}\" alt=\"{}\" epub:type=\"cover\" role=\"doc-cover\"/>\n</section>\n",
        escape_a(image_href),
        escape_a(&alt)
    )
}

/// The title page body: title, subtitle, authors; year and rights below.
pub(super) fn title_page_body(meta: &Meta, labels: &Labels) -> String {
    let mut o = String::from("<section class=\"titlepage\" epub:type=\"titlepage\">\n");
    o.push_str(&format!(
        "<h1 class=\"title\">{}</h1>\n",
        escape(&meta.title)
    ));
    if let Some(sub) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        o.push_str(&format!("<p class=\"subtitle\">{}</p>\n", escape(sub)));
    }
    let by = authors(meta, labels);
    if !by.is_empty() {
        o.push_str(&format!("<p class=\"authors\">{}</p>\n", escape(&by)));
    }
    let date = meta.date.as_deref().filter(|d| !d.trim().is_empty());
    let rights = meta.rights.as_deref().filter(|r| !r.trim().is_empty());
    if date.is_some() || rights.is_some() {
        o.push_str("<div class=\"imprint\">\n");
        if let Some(d) = date {
            // A title page gives the year; the full date is in the metadata.
            let shown = if super::package::is_w3c_date(d) {
                &d[..4]
            } else {
                d
            };
            o.push_str(&format!("<p>{}</p>\n", escape(shown)));
        }
        if let Some(r) = rights {
            o.push_str(&format!("<p>{}</p>\n", escape(r)));
        }
        o.push_str("</div>\n");
    }
    o.push_str("</section>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::for_language;

    #[test]
    fn cover_text_wraps_inside_the_measure() {
        let (size, lines) = fit("Thermidor and the Party", &[150.0, 130.0], 6);
        assert_eq!(size, 150.0);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| width(l, size) <= MEASURE));
        // One endless word still fits, broken.
        let (size, lines) = fit(&"x".repeat(200), &[150.0, 60.0], 3);
        assert_eq!(size, 60.0);
        assert!(lines.len() > 1);
    }

    #[test]
    fn cover_is_never_blank_and_escapes() {
        let meta = Meta {
            title: "War & <Peace>".into(),
            authors: vec!["A".into(), "B".into(), "C".into()],
            ..Meta::default()
        };
        let svg = svg(&meta, for_language("en"));
        assert!(svg.contains(">War &amp; &lt;Peace&gt;</text>"));
        assert!(svg.contains(">A, B AND C</text>"));
    }
}
