//! The package document (`package.opf`) and `META-INF/container.xml`.
//!
//! Metadata after EPUB 3.3 §5.5 (<https://www.w3.org/TR/epub-33/#sec-pkg-metadata>):
//! identifier, titles refined by `title-type`, creators with MARC relator
//! roles, language, dates, and the EPUB Accessibility 1.1 properties
//! (<https://www.w3.org/TR/epub-a11y-11/#sec-discovery>). `xml:lang` sits on
//! the package element itself, which Ace requires and epub-builder cannot do.

use crate::doc::Meta;

use super::xhtml::{escape, escape_a};

/// The container file pointing at the package document.
pub(super) const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">
<rootfiles>
<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>
</rootfiles>
</container>
";

/// One manifest item.
#[derive(Debug, Clone)]
pub(super) struct ManifestItem {
    /// Manifest id.
    pub id: String,
    /// Path relative to the package document.
    pub href: String,
    /// MIME type.
    pub mime: String,
    /// `properties` (`nav`, `cover-image`…), space-separated, may be empty.
    pub properties: String,
}

/// What the accessibility metadata may claim about the content.
#[derive(Debug, Clone, Copy)]
pub(super) struct Access<'a> {
    /// Whether the book holds images (the cover counts).
    pub images: bool,
    /// Whether some image lacks alt text.
    pub missing_alt: bool,
    /// The print edition whose page numbers the book carries, if any.
    pub page_source: Option<&'a str>,
}

/// Everything the package document lists.
#[derive(Debug)]
pub(super) struct Package<'a> {
    /// Book metadata.
    pub meta: &'a Meta,
    /// `dcterms:modified`, `YYYY-MM-DDThh:mm:ssZ`.
    pub modified: &'a str,
    /// Manifest, in order.
    pub items: Vec<ManifestItem>,
    /// Spine: manifest ids in reading order.
    pub spine: Vec<String>,
    /// Manifest id of the cover image.
    pub cover_image: String,
    /// What the accessibility metadata may claim.
    pub access: Access<'a>,
}

/// Whether `s` is a W3C date (a profile of ISO 8601) as `dc:date` wants:
/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a full date-time.
pub(super) fn is_w3c_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => b.len() > 10 && is_w3c_date(&s[..10]) && b[10] == b'T',
    }
}

/// Whether `s` has the exact form `dcterms:modified` requires.
pub(super) fn is_modified(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && is_w3c_date(&s[..10])
        && b[10] == b'T'
        && b[19] == b'Z'
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && b[13] == b':'
        && b[16] == b':'
}

/// The accessibility summary, in English (marked so if the book is not).
const SUMMARY: &str = "This publication meets WCAG 2.1 Level AA. It has a table of \
contents and landmarks, headings in document order, a reading order that follows the \
print layout, and footnotes linked both ways between reference and note. It sets no \
fixed fonts, sizes or colours, so reading system settings apply.";

/// The package document.
pub(super) fn opf(p: &Package) -> String {
    let m = p.meta;
    let lang = escape_a(&m.language);
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(&format!(
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{lang}\" dir=\"ltr\">\n"
    ));
    o.push_str("<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    o.push_str(&format!(
        "<dc:identifier id=\"book-id\">{}</dc:identifier>\n",
        escape(&m.identifier)
    ));
    o.push_str(&format!(
        "<dc:title id=\"title\">{}</dc:title>\n",
        escape(&m.title)
    ));
    o.push_str("<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
    if let Some(sub) = m.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        o.push_str(&format!(
            "<dc:title id=\"subtitle\">{}</dc:title>\n",
            escape(sub)
        ));
        o.push_str("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
    }
    for (i, author) in m.authors.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        o.push_str(&format!(
            "<dc:creator id=\"{id}\">{}</dc:creator>\n",
            escape(author)
        ));
        o.push_str(&format!(
            "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n"
        ));
    }
    o.push_str(&format!(
        "<dc:language>{}</dc:language>\n",
        escape(&m.language)
    ));
    if let Some(date) = m.date.as_deref().filter(|d| is_w3c_date(d)) {
        o.push_str(&format!("<dc:date>{}</dc:date>\n", escape(date)));
    }
    if let Some(d) = m.description.as_deref().filter(|s| !s.trim().is_empty()) {
        o.push_str(&format!("<dc:description>{}</dc:description>\n", escape(d)));
    }
    for s in m.subjects.iter().filter(|s| !s.trim().is_empty()) {
        o.push_str(&format!("<dc:subject>{}</dc:subject>\n", escape(s)));
    }
    if let Some(r) = m.rights.as_deref().filter(|s| !s.trim().is_empty()) {
        o.push_str(&format!("<dc:rights>{}</dc:rights>\n", escape(r)));
    }
    o.push_str(&format!(
        "<meta property=\"dcterms:modified\">{}</meta>\n",
        escape(p.modified)
    ));
    // EPUB 2 readers (older Kindles) find the cover through this.
    o.push_str(&format!(
        "<meta name=\"cover\" content=\"{}\"/>\n",
        escape_a(&p.cover_image)
    ));
    accessibility(&mut o, p.access, &m.language);
    o.push_str("</metadata>\n<manifest>\n");
    for item in &p.items {
        o.push_str(&format!(
            "<item id=\"{}\" href=\"{}\" media-type=\"{}\"",
            escape_a(&item.id),
            escape_a(&item.href),
            escape_a(&item.mime)
        ));
        if !item.properties.is_empty() {
            o.push_str(&format!(" properties=\"{}\"", escape_a(&item.properties)));
        }
        o.push_str("/>\n");
    }
    o.push_str("</manifest>\n<spine toc=\"ncx\">\n");
    for id in &p.spine {
        o.push_str(&format!("<itemref idref=\"{}\"/>\n", escape_a(id)));
    }
    o.push_str("</spine>\n</package>\n");
    o
}

/// EPUB Accessibility 1.1 discovery metadata. Conformance is claimed only
/// when every image has alt text; otherwise the book says that the images
/// are needed to read it.
fn accessibility(o: &mut String, a: Access<'_>, lang: &str) {
    let mut meta_source = None;
    let mut meta = |property: &str, value: &str| {
        o.push_str(&format!("<meta property=\"{property}\">{value}</meta>\n"));
    };
    meta("schema:accessMode", "textual");
    if a.images {
        meta("schema:accessMode", "visual");
    }
    if a.images && a.missing_alt {
        meta("schema:accessModeSufficient", "textual,visual");
    } else {
        meta("schema:accessModeSufficient", "textual");
    }
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ] {
        meta("schema:accessibilityFeature", feature);
    }
    if a.images && !a.missing_alt {
        meta("schema:accessibilityFeature", "alternativeText");
    }
    if let Some(source) = a.page_source {
        meta("schema:accessibilityFeature", "printPageNumbers");
        meta("schema:accessibilityFeature", "pageNavigation");
        // Where the page numbers come from: `pageBreakSource` (the W3C
        // page-source proposal, accepted by EPUBCheck 5) for new reading
        // systems, and `dc:source` (EPUB 3.3 §D.4.1), which Ace still asks for.
        meta("pageBreakSource", &escape(source));
        meta_source = Some(format!("<dc:source>{}</dc:source>\n", escape(source)));
    }
    meta("schema:accessibilityHazard", "none");
    if !a.missing_alt {
        meta(
            "dcterms:conformsTo",
            "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
        );
    }
    let summary = if a.missing_alt {
        SUMMARY.replace(
            "This publication meets WCAG 2.1 Level AA. ",
            "Some images have no text alternative. ",
        )
    } else {
        SUMMARY.to_string()
    };
    let en = lang
        .split(['-', '_'])
        .next()
        .is_some_and(|p| p.eq_ignore_ascii_case("en"));
    let attr = if en { "" } else { " xml:lang=\"en\"" };
    o.push_str(&format!(
        "<meta property=\"schema:accessibilitySummary\"{attr}>{}</meta>\n",
        escape(&summary)
    ));
    if let Some(source) = meta_source {
        o.push_str(&source);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_w3c_profile() {
        assert!(is_w3c_date("2025"));
        assert!(is_w3c_date("2025-01"));
        assert!(is_w3c_date("2025-01-31"));
        assert!(is_w3c_date("2025-01-31T10:00:00Z"));
        assert!(!is_w3c_date("31/01/2025"));
        assert!(!is_w3c_date("2025-1-3"));
        assert!(is_modified("2025-01-31T10:00:00Z"));
        assert!(!is_modified("2025-01-31T10:00:00"));
        assert!(!is_modified("2025-01-31"));
    }

    #[test]
    fn opf_has_title_refinements_roles_and_a11y() {
        let meta = Meta {
            title: "A & B".into(),
            subtitle: Some("Sub".into()),
            authors: vec!["Ann".into(), "Bo".into()],
            language: "de".into(),
            identifier: "urn:uuid:x".into(),
            date: Some("not a date".into()),
            ..Meta::default()
        };
        let p = Package {
            meta: &meta,
            modified: "2025-01-01T00:00:00Z",
            items: vec![],
            spine: vec![],
            cover_image: "cover-image".into(),
            access: Access {
                images: true,
                missing_alt: false,
                page_source: None,
            },
        };
        let out = opf(&p);
        assert!(out.contains("xml:lang=\"de\""));
        assert!(out.contains("<dc:title id=\"title\">A &amp; B</dc:title>\n<meta refines=\"#title\" property=\"title-type\">main</meta>"));
        assert!(
            out.contains("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>")
        );
        assert!(out.contains(
            "<meta refines=\"#creator-2\" property=\"role\" scheme=\"marc:relators\">aut</meta>"
        ));
        assert!(!out.contains("dc:date"));
        assert!(out.contains("alternativeText"));
        assert!(out.contains("dcterms:conformsTo"));
        assert!(out.contains("accessibilitySummary\" xml:lang=\"en\""));
    }
}
