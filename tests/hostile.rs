//! Issue 12, class 1: hostile raw HTML and SVG never reach the reader. The
//! fixture `fixtures/hostile` hides scripts, handlers and `javascript:` URLs
//! in every way its chapter and its SVG know; the EPUB must hold none of
//! them, keep the harmless text around them, and say what it removed.
//! (EPUBCheck validates the same fixture in `epubcheck.rs`.)

mod common;

#[test]
fn issue_12_hostile_html_and_svg_leave_nothing_runnable() {
    let out = common::scratch("hostile");
    let o = common::samizdat(&[
        "build",
        "tests/fixtures/hostile",
        "--out",
        &out.to_string_lossy(),
    ]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{err}");
    let epub = std::fs::read(out.join("hostile-input-ebook.epub")).expect("the EPUB is built");
    let files = common::unzip(&epub);
    let mut seen_svg = false;
    let mut all = String::new();
    for (name, data) in &files {
        let Ok(text) = std::str::from_utf8(data) else {
            continue;
        };
        let lower = text.to_lowercase();
        let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        for bad in [
            // The script's call; `alert` alone is now a class name
            // (GitHub alerts, in the stylesheet).
            "alert(",
            "<script",
            "<s:script",
            "<h:script",
            "javascript:",
            "evil",
            "foreignobject",
            "<animate",
            "<set",
        ] {
            assert!(!squeezed.contains(bad), "{bad} in {name}:\n{text}");
        }
        // No event handler attribute: ` on…=` anywhere in a tag.
        for (i, _) in lower.match_indices(" on") {
            let rest = &lower[i + 3..];
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let after = rest[word.len()..].trim_start();
            assert!(
                word.is_empty() || !after.starts_with('='),
                "handler in {name}:\n{text}"
            );
        }
        if name.ends_with(".svg") && name.contains("hostile") {
            seen_svg = true;
            assert!(text.contains("Kept words"), "{text}");
            assert!(
                text.contains("<rect class=\"ok\" width=\"120\" height=\"60\"/>"),
                "{text}"
            );
            assert!(
                text.contains("xlink:href=\"data:image/png;base64,"),
                "{text}"
            );
        }
        all.push_str(text);
    }
    assert!(seen_svg, "the sanitised SVG is packaged");
    assert!(
        !files.iter().any(|(n, _)| n.contains("broken")),
        "the broken SVG is left out"
    );
    for kept in [
        "<p>Inline  script and  case.</p>",
        "<p>A  paragraph.</p>",
        "<p><em>Emphasis </em> kept.</p>",
        "<p>Self  closed.</p>",
        "<p>Kept paragraph <a>one</a> <a>two</a> <a>three</a> <a>four</a></p>",
        "Heading  kept</h2>",
        "<p>Broken</p>",
        "<p>The end.</p>",
    ] {
        assert!(all.contains(kept), "{kept} missing");
    }
    for warning in [
        "hostile.md:5:8: warning: raw HTML: removed <script> element and its content",
        "hostile.md:13:1: warning: raw HTML: removed <style> element and its content",
        "hostile.md:19:1: warning: raw HTML: removed javascript: URL",
        "hostile.md:21:1: warning: raw HTML: removed <textarea> element and its content",
        "hostile.md:33:1: warning: SVG image `images/hostile.svg`: removed what is not static SVG (",
        "hostile.md:35:1: warning: SVG image `images/broken.svg` is left out: it is not well-formed XML (",
    ] {
        assert!(err.contains(warning), "{warning} not in:\n{err}");
    }
}

/// The tree both backends read holds a raw-text element's content inside
/// its raw HTML, never as text to typeset or to put in a title.
#[test]
fn issue_12_script_text_is_never_text_in_the_tree() {
    let o = common::samizdat(&["tree", "tests/fixtures/hostile"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let tree = common::stdout(&o);
    let texts: Vec<&str> = tree
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("Raw"))
        .collect();
    assert!(
        tree.contains("RawInline \"<script>alert(“inline”)</script>\""),
        "{tree}"
    );
    for line in &texts {
        assert!(!line.contains("alert"), "{line} in:\n{tree}");
    }
    assert!(
        texts
            .iter()
            .any(|l| l.contains("Kept paragraph") || l.contains("The end.")),
        "{tree}"
    );
}
