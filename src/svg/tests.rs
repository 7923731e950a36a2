use super::*;

const PNG_1X1: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// Sanitises `svg`, checks the result is XML that passes
/// [`assert_allowed`], and returns it as text with the removals.
fn clean(svg: &str) -> (String, Vec<String>) {
    let (bytes, removed) = sanitize(svg.as_bytes()).unwrap_or_else(|e| panic!("{e}: {svg}"));
    let out = String::from_utf8(bytes).unwrap();
    assert_allowed(&out);
    (out, removed)
}

/// The output parses again and holds only allowed names and safe values.
pub(crate) fn assert_allowed(out: &str) {
    let doc = roxmltree::Document::parse(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert_eq!(node.tag_name().namespace(), Some(SVG_NS), "{out}");
        assert!(ELEMENTS.contains(&node.tag_name().name()), "{out}");
        for a in node.attributes() {
            let ok = match a.namespace() {
                None => {
                    ATTRIBUTES.contains(&a.name())
                        || a.name().starts_with("aria-")
                        || a.name() == "href"
                        || a.name() == "type"
                }
                Some(XLINK_NS) => a.name() == "href",
                Some(XML_NS) => true,
                Some(_) => false,
            };
            assert!(ok, "attribute {} in {out}", a.name());
            assert!(!is_script_url(a.value()), "{out}");
            assert!(css_is_safe(a.value()), "{out}");
        }
    }
}

fn svg(body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">{body}</svg>"
    )
}

#[test]
fn svg_keeps_a_plain_drawing() {
    let input = svg(
        "<title>Map</title><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient></defs>\
         <g transform=\"translate(1 1)\"><rect width=\"5\" height=\"5\" fill=\"url(#g)\" style=\"stroke: url('#g'); stroke-width: 1\"/>\
         <text x=\"1\" y=\"9\">Moscow &amp; <tspan>Kyiv</tspan></text></g><use xlink:href=\"#g\"/>",
    );
    let (out, removed) = clean(&input);
    assert!(removed.is_empty(), "{removed:?}");
    assert!(
        out.contains("<rect width=\"5\" height=\"5\" fill=\"url(#g)\""),
        "{out}"
    );
    assert!(out.contains("Moscow &amp; <tspan>Kyiv</tspan>"), "{out}");
    assert!(out.contains("<use xlink:href=\"#g\"/>"), "{out}");
    assert!(out.contains("xmlns:xlink="), "{out}");
}

#[test]
fn svg_output_is_deterministic() {
    let input = svg("<script>x</script><circle r=\"1\" onclick=\"x\"/>");
    assert_eq!(sanitize(input.as_bytes()), sanitize(input.as_bytes()));
}

#[test]
fn svg_removes_scripts_under_any_prefix() {
    for body in [
        "<script>alert(1)</script>",
        "<SCRIPT xmlns=\"http://www.w3.org/2000/svg\">alert(1)</SCRIPT>",
        "<s:script xmlns:s=\"http://www.w3.org/2000/svg\">alert(1)</s:script>",
        "<script><![CDATA[alert(1)]]></script>",
        "<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)</h:script>",
        "<foreignObject><body xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></body></foreignObject>",
        "<xhtml:iframe xmlns:xhtml=\"http://www.w3.org/1999/xhtml\" src=\"javascript:alert(1)\"/>",
        "<g><g><script xlink:href=\"evil.js\"/></g></g>",
    ] {
        let (out, removed) = clean(&svg(&format!("{body}<rect width=\"1\"/>")));
        assert!(!out.contains("alert"), "{out}");
        assert!(out.contains("<rect width=\"1\"/>"), "{out}");
        assert!(!removed.is_empty());
    }
}

#[test]
fn svg_removes_event_handlers() {
    for attr in [
        "onload=\"alert(1)\"",
        "onLoad = 'alert(1)'",
        "ONCLICK\n=\n\"alert(1)\"",
        "onmouseover=\"&#97;lert(1)\"",
        "onbegin=\"alert(1)\"",
    ] {
        let (out, removed) = clean(&svg(&format!("<circle r=\"2\" {attr}/>")));
        assert!(!out.to_ascii_lowercase().contains(" on"), "{out}");
        assert!(out.contains("<circle r=\"2\"/>"), "{out}");
        assert_eq!(removed, ["event handler attributes (on…)"]);
    }
    let (out, _) =
        clean("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\" width=\"3\"></svg>");
    assert!(
        out.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"3\"/>"),
        "{out}"
    );
}

#[test]
fn svg_removes_javascript_urls_however_written() {
    for href in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;vascript:alert(1)",
        "java&#9;script:alert(1)",
        "java&#10;script:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "&#0000106;avascript:alert(1)",
        "vbscript:msgbox(1)",
    ] {
        for attr in ["href", "xlink:href"] {
            let input = svg(&format!(
                "<a {attr}=\"{href}\"><circle r=\"1\"/></a><use {attr} = \"{href}\"/>"
            ));
            let (out, removed) = clean(&input);
            assert!(!out.contains("alert") && !out.contains("msgbox"), "{out}");
            assert!(out.contains("<g><circle r=\"1\"/></g>"), "{out}");
            assert!(
                removed.iter().any(|r| r == "javascript: URLs"),
                "{removed:?}"
            );
        }
    }
}

#[test]
fn svg_refuses_entity_declarations() {
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY lol \"lol\">\n<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&lol2;</text></svg>";
    assert_eq!(sanitize(laughs.as_bytes()), Err(SvgError::Declarations));
    let external = "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>";
    assert_eq!(sanitize(external.as_bytes()), Err(SvgError::Declarations));
    // The entity trick for a script URL goes the same way.
    let trick = "<!DOCTYPE svg [<!ENTITY j \"javascript\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&j;:alert(1)\"/></svg>";
    assert_eq!(sanitize(trick.as_bytes()), Err(SvgError::Declarations));
    // A DOCTYPE without a subset (what editors write) is fine, and dropped.
    let public = "<?xml version=\"1.0\" standalone=\"no\"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>";
    let (out, removed) = clean(public);
    assert!(removed.is_empty());
    assert!(!out.contains("DOCTYPE"), "{out}");
    // An undeclared entity is not XML.
    let undeclared = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&nbsp;</text></svg>";
    assert!(matches!(
        sanitize(undeclared.as_bytes()),
        Err(SvgError::NotXml(_))
    ));
}

#[test]
fn svg_refuses_what_is_not_well_formed_svg() {
    for bad in [
        "",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" a=\"1\" a=\"2\"/>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><s:script/></svg>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/><svg/>",
        "<svg onload=alert(1)/>",
    ] {
        assert!(
            matches!(sanitize(bad.as_bytes()), Err(SvgError::NotXml(_))),
            "{bad}"
        );
    }
    assert_eq!(sanitize(b"<svg>\xff</svg>"), Err(SvgError::NotUtf8));
    assert_eq!(
        sanitize(b"<html xmlns=\"http://www.w3.org/1999/xhtml\"/>"),
        Err(SvgError::NotSvg)
    );
    let deep = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
        "<g>".repeat(MAX_DEPTH + 5),
        "</g>".repeat(MAX_DEPTH + 5)
    );
    assert_eq!(sanitize(deep.as_bytes()), Err(SvgError::TooDeep));
}

#[test]
fn svg_without_namespace_gets_one() {
    let (out, _) = clean("<svg width=\"2\"><script>x</script><rect width=\"1\"/></svg>");
    assert!(
        out.contains(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"><rect width=\"1\"/></svg>"
        ),
        "{out}"
    );
}

#[test]
fn svg_removes_animation_and_foreign_content() {
    let (out, removed) = clean(&svg(
        "<a href=\"#x\"><animate attributeName=\"href\" to=\"javascript:alert(1)\"/>\
         <set attributeName=\"xlink:href\" to=\"javascript:alert(1)\"/><rect id=\"x\" width=\"1\"/></a>\
         <animateTransform attributeName=\"transform\"/><metadata><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></metadata>\
         <feImage href=\"http://example.org/x.png\"/><discard/>",
    ));
    assert!(
        !out.contains("alert") && !out.contains("animate") && !out.contains("set"),
        "{out}"
    );
    assert!(out.contains("<g><rect id=\"x\" width=\"1\"/></g>"), "{out}");
    for r in [
        "<animate> elements",
        "<set> elements",
        "<metadata> elements",
        "<feImage> elements",
    ] {
        assert!(removed.iter().any(|x| x == r), "{r} in {removed:?}");
    }
}

#[test]
fn svg_removes_dangerous_css() {
    for css in [
        "@import url(evil.css);",
        "@\\69mport 'evil.css';",
        "rect { fill: url(http://example.org/x) }",
        "rect { fill: u\\72l(http://example.org/x) }",
        "rect { background: URL( 'evil.png' ) }",
        "rect { width: expression(alert(1)) }",
        "rect { width: expre/**/ssion(alert(1)) }",
        "rect { behavior: url(x.htc) }",
        "rect { -moz-binding: url(x.xml#y) }",
        "rect { background-image: image-set('x.png' 1x) }",
        "@font-face { font-family: x; src: url(x.woff) }",
    ] {
        let input = svg(&format!(
            "<style>{}</style><rect style=\"{}\" width=\"1\"/>",
            css.replace('&', "&amp;").replace('<', "&lt;"),
            css.replace('&', "&amp;").replace('"', "&quot;"),
        ));
        let (out, removed) = clean(&input);
        assert!(!out.contains("<style"), "{out}");
        assert!(out.contains("<rect width=\"1\"/>"), "{out}");
        assert_eq!(removed.len(), 2, "{removed:?}");
    }
    // Harmless CSS stays, CDATA and all.
    let (out, removed) = clean(&svg(
        "<style type=\"text/css\"><![CDATA[ .a > .b { fill: url(#g) } ]]></style><rect class=\"a\"/>",
    ));
    assert!(removed.is_empty());
    assert!(
        out.contains("<style type=\"text/css\"> .a &gt; .b { fill: url(#g) } </style>"),
        "{out}"
    );
    // Presentation attributes are CSS values too.
    let (out, _) = clean(&svg(
        "<rect fill=\"url(http://example.org/p)\" stroke=\"red\"/>",
    ));
    assert!(out.contains("<rect stroke=\"red\"/>"), "{out}");
}

#[test]
fn svg_images_only_embedded_rasters() {
    let ok = format!("<image width=\"1\" height=\"1\" href=\"data:image/png;base64,{PNG_1X1}\"/>");
    let (out, removed) = clean(&svg(&ok));
    assert!(removed.is_empty(), "{removed:?}");
    assert!(out.contains("data:image/png;base64,"), "{out}");
    for href in [
        "photo.png",
        "../../etc/passwd",
        "http://example.org/x.png",
        "file:///etc/passwd",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "data:text/html;base64,PHNjcmlwdD4=",
        // Says PNG, is not.
        "data:image/png;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "data:image/png,raw",
    ] {
        let (out, removed) = clean(&svg(&format!(
            "<image xlink:href=\"{href}\" width=\"1\"/><rect width=\"1\"/>"
        )));
        assert!(!out.contains("<image"), "{href}: {out}");
        assert!(out.contains("<rect width=\"1\"/>"), "{out}");
        assert!(!removed.is_empty());
    }
}

#[test]
fn svg_use_only_local_fragments() {
    for href in [
        "other.svg#x",
        "http://example.org/a.svg#x",
        "data:image/svg+xml,<svg/>",
        "#",
    ] {
        let (out, _) = clean(&svg(&format!(
            "<use href=\"{}\"/>",
            href.replace('<', "&lt;")
        )));
        assert!(!out.contains("<use"), "{href}: {out}");
    }
}

#[test]
fn svg_removes_processing_instructions_and_editor_namespaces() {
    let input = "<?xml-stylesheet href=\"evil.css\" type=\"text/css\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" inkscape:version=\"1\"><inkscape:grid/><rect width=\"1\"/></svg>";
    let (out, removed) = clean(input);
    assert!(!out.contains("evil") && !out.contains("inkscape"), "{out}");
    assert_eq!(
        removed,
        [
            "<inkscape:grid> elements",
            "inkscape:… attributes",
            "processing instructions"
        ]
    );
}

#[test]
fn svg_random_bytes_never_panic_and_stay_allowed() {
    const PIECES: &[&str] = &[
        "<svg xmlns=\"http://www.w3.org/2000/svg\">",
        "</svg>",
        "<g>",
        "</g>",
        "<script>",
        "</script>",
        "<rect width=\"1\"/>",
        " onload=\"x\"",
        "<a href=\"javascript:x\">",
        "</a>",
        "&#106;",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<!DOCTYPE svg [",
        "]>",
        "<style>",
        "</style>",
        "url(",
        "<use href=\"#a\"/>",
        "\"",
        ">",
        "<",
        "&",
        "x",
    ];
    let mut seed: u64 = 0x5eed;
    let mut accepted = 0;
    for _ in 0..2000 {
        let mut input = String::new();
        for _ in 0..(seed % 24) {
            // A linear congruential generator (Knuth's MMIX constants).
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            input.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
        }
        let input = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{input}</svg>");
        if let Ok((bytes, _)) = sanitize(input.as_bytes()) {
            assert_allowed(&String::from_utf8(bytes.clone()).unwrap());
            // A second pass finds nothing to remove and changes nothing.
            assert_eq!(sanitize(&bytes), Ok((bytes, vec![])), "{input}");
            accepted += 1;
        }
    }
    assert!(accepted > 100, "only {accepted} inputs were XML");
}

#[test]
fn css_decode_resolves_escapes_and_comments() {
    assert_eq!(css_decode("u\\72 l(x) /* c */ \\@a\\\nb"), "url(x)  @ab");
    assert!(css_is_safe("fill: red; stroke: url( \"#a\" )"));
    assert!(!css_is_safe("fill: url(#a) url(b)"));
}

#[test]
fn svg_size_reads_absolute_lengths_and_the_view_box() {
    let sized =
        size(br#"<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="96px"/>"#).unwrap();
    assert_eq!(sized.width, Some(144.0));
    assert_eq!(sized.height, Some(72.0));
    assert_eq!(sized.aspect, Some(2.0));
    // Only a viewBox (Standard Ebooks' illustrations): no size, an aspect.
    let boxed = size(br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 78"/>"#).unwrap();
    assert_eq!((boxed.width, boxed.height), (None, None));
    assert!((boxed.aspect.unwrap() - 200.0 / 78.0).abs() < 1e-9);
    // Relative widths are no size; the viewBox still gives the shape.
    let rel = size(
        br#"<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="3em" viewBox="0,0,4,2"/>"#,
    )
    .unwrap();
    assert_eq!((rel.width, rel.height, rel.aspect), (None, None, Some(2.0)));
    assert_eq!(length_pt("1e1pt"), Some(10.0));
    assert_eq!(length_pt("-3"), None);
    assert_eq!(size(b"<svg"), None);
}
