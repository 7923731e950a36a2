//! Any bytes as an SVG image through `samizdat::svg::sanitize`. A panic is
//! a finding; so is an accepted file whose output does not parse again as
//! XML, holds an element or attribute off the allow-lists, a script URL or
//! CSS that loads anything, differs between two runs, or changes (or has
//! something removed) when sanitised a second time. A refusal is not.

#![no_main]

use libfuzzer_sys::fuzz_target;
use samizdat::svg::{self, ATTRIBUTES, ELEMENTS, SVG_NS, XLINK_NS};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

fuzz_target!(|data: &[u8]| {
    let Ok((out, _removed)) = svg::sanitize(data) else {
        return;
    };
    assert_eq!(
        svg::sanitize(data).ok().map(|(o, _)| o),
        Some(out.clone()),
        "not deterministic"
    );
    let text = std::str::from_utf8(&out).expect("the output is UTF-8");
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name();
        assert_eq!(name.namespace(), Some(SVG_NS), "{text}");
        assert!(
            ELEMENTS.contains(&name.name()),
            "<{}> in {text}",
            name.name()
        );
        for a in node.attributes() {
            let allowed = match a.namespace() {
                None => {
                    ATTRIBUTES.contains(&a.name())
                        || a.name().starts_with("aria-")
                        || matches!(a.name(), "href" | "type")
                }
                Some(XLINK_NS) => a.name() == "href",
                Some(XML_NS) => matches!(a.name(), "space" | "lang"),
                Some(_) => false,
            };
            assert!(allowed, "attribute {} in {text}", a.name());
            assert!(!a.name().to_ascii_lowercase().starts_with("on"), "{text}");
            assert!(!svg::is_script_url(a.value()), "{text}");
            assert!(svg::css_is_safe(a.value()), "{text}");
        }
        if name.name() == "style" {
            let css: String = node.children().filter_map(|c| c.text()).collect();
            assert!(svg::css_is_safe(&css), "{text}");
        }
    }
    let (again, removed) = svg::sanitize(&out).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(removed.is_empty(), "{removed:?} removed from {text}");
    assert_eq!(again, out, "not idempotent");
});
