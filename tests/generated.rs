//! Generated Markdown through the whole pipeline: 200 books built from a
//! grammar of snippets (emphasis, notes, lists, quotes, headings with ids,
//! links, raw HTML, tables, code, control characters, very long words) go
//! through load → EPUB (every XML file well-formed) → typesetting (nothing
//! off the page) → PDF, with no panic. The random number generator is
//! seeded, so every run makes the same 200 books; a failing one is shrunk
//! to a small case. The fuzz target in `fuzz/` does the same for longer
//! and with arbitrary bytes.

mod common;

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use common::{pipeline, scratch, xml};

/// Words with ligatures, accents, other scripts, punctuation and entities.
const WORDS: &[&str] = &[
    "the",
    "Party",
    "bureaucracy",
    "Thermidor",
    "office",
    "naïve",
    "Straße",
    "1917",
    "«quote»",
    "—",
    "日本語",
    "Ελλάδα",
    "a&b",
    "x<y",
    "\"q\"",
    "it's",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "&#xFFFF;",
    "&bogus;",
    "\\*",
    "_",
    "*",
    "[",
    "]",
    "|",
];

/// Raw HTML as people write it, good and bad.
const RAW_INLINE: &[&str] = &[
    "<span class=\"smallcaps\">",
    "</span>",
    "<b>",
    "</i>",
    "<br>",
    "<span onclick=\"steal()\">x</span>",
    "<script>alert(1)</script>",
    "<img src=\"x.png\" onerror=\"y()\">",
    "<!-- a comment -->",
    "<abbr title=\"a < b\">AB</abbr>",
    "<a href=\"javascript:alert(1)\">j</a>",
    "<?php echo 1; ?>",
    "<![CDATA[ x ]]>",
    "<x:y z=\"1\">",
];

const RAW_BLOCK: &[&str] = &[
    "<div class=\"aside\" onclick=\"x()\">\n",
    "</div>",
    "<script>\nalert(1)\n</script>",
    "<style>p { color: red }</style>",
    "<table><tr><td>raw<td>cells</table>",
    "<iframe src=\"https://example.org\"></iframe>",
    "<!--\nunclosed comment",
    "<p onmouseover='x' onload=y>para</p>",
    "<svg><script>1</script></svg>",
    "<math><mi>x</mi></math>",
];

const CONTROLS: &[&str] = &[
    "\0", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\u{85}", "\u{9f}", "\u{FFFE}",
    "\u{FFFF}", "\u{200D}", "\u{AD}", "\u{2028}", "\u{FEFF}", "\r",
];

fn long_word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("x".repeat(300)),
        Just(format!("https://example.org/{}", "a/".repeat(140))),
        Just(format!("<https://example.org/{}>", "b".repeat(280))),
        Just(format!("[u](https://example.org/{})", "c".repeat(280))),
        Just("ab1".repeat(100)),
        Just("ﬁ".repeat(200)),
        Just("e\u{301}".repeat(200)),
    ]
}

fn inline() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        8 => prop::sample::select(WORDS).prop_map(str::to_string),
        2 => prop::sample::select(RAW_INLINE).prop_map(str::to_string),
        2 => prop::sample::select(CONTROLS).prop_map(str::to_string),
        1 => long_word(),
        1 => Just("[^a]".to_string()),
        1 => Just("[^b]".to_string()),
        1 => Just("`code <&>`".to_string()),
        1 => Just("  \n".to_string()),
        1 => Just("\\\n".to_string()),
        1 => Just("<https://example.org/?a=1&b=2>".to_string()),
        1 => Just("![a *red* dot](x.png \"t\")".to_string()),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        let run = prop::collection::vec(inner, 1..4).prop_map(|v| v.join(" "));
        prop_oneof![
            run.clone().prop_map(|s| format!("*{s}*")),
            run.clone().prop_map(|s| format!("**{s}**")),
            run.clone().prop_map(|s| format!("~~{s}~~")),
            run.clone().prop_map(|s| format!("[{s}](#h1)")),
            run.clone()
                .prop_map(|s| format!("[{s}](https://example.org \"t\")")),
            run.clone().prop_map(|s| format!("[{s}](ch.md#same)")),
            run.prop_map(|s| format!("<span>{s}</span>")),
        ]
    })
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(inline(), 1..8).prop_map(|v| v.join(" ").replace("\n\n", "\n"))
}

fn block() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        6 => prop::collection::vec(line(), 1..4).prop_map(|v| v.join("\n")),
        2 => (1usize..=6, line(), prop::sample::select(&["", " {#h1}", " {#same}", " {#same}", " {.class}"][..]))
            .prop_map(|(level, text, id)| format!("{} {}{id}", "#".repeat(level), text.replace('\n', " "))),
        1 => prop::sample::select(RAW_BLOCK).prop_map(str::to_string),
        1 => line().prop_map(|l| format!("```rust\n{l}\n\tfn main() {{}} // {}\n```", "y".repeat(200))),
        1 => line().prop_map(|l| format!("    indented {l}")),
        1 => (line(), line(), line()).prop_map(|(a, b, c)| format!(
            "| {} | b |\n|:--|--:|\n| {} | {} |\n| x |",
            a.replace('\n', " "), b.replace('\n', " "), c.replace('\n', " "))),
        1 => Just("***".to_string()),
        1 => line().prop_map(|l| format!("Term\n: {l}")),
        1 => line().prop_map(|l| format!("- [ ] {l}\n- [x] done")),
        1 => line().prop_map(|l| format!("[^a]: {l}")),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        let blocks = prop::collection::vec(inner, 1..4).prop_map(|v| v.join("\n\n"));
        prop_oneof![
            blocks.clone().prop_map(|b| indent(&b, "> ", "> ")),
            blocks.clone().prop_map(|b| indent(&b, "- ", "  ")),
            blocks.clone().prop_map(|b| indent(&b, "1. ", "   ")),
            blocks.prop_map(|b| format!("[^b]: {}", indent(&b, "", "    "))),
        ]
    })
}

/// `text` with `first` before its first line and `rest` before the others.
fn indent(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (i, l) in text.lines().enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(l);
        out.push('\n');
    }
    out
}

fn book() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(block(), 1..8)).prop_map(|(title, blocks)| {
        let mut md = String::new();
        if title {
            md.push_str("# A chapter {#top}\n\n");
        }
        md.push_str(&blocks.join("\n\n"));
        // The notes the snippets cite, so that most books load.
        md.push_str("\n\n[^a]: Note a.\n\n[^b]: Note b.\n");
        md
    })
}

/// A whole 1 × 1 PNG, for the images of the snippets.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn generated_markdown_goes_through_both_backends() {
    let config = Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let fonts = samizdat::typeset::Fonts::bundled();
    let dir = scratch("generated");
    std::fs::write(dir.join("x.png"), PNG).unwrap();
    let (built, refused) = (Cell::new(0), Cell::new(0));
    // Shrinking reruns a failing case hundreds of times: keep the panic
    // messages of those runs quiet; the minimal case is reported below.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = runner.run(&book(), |md| {
        match pipeline::run_markdown(&dir, &md, &fonts) {
            Ok(ran) if ran.refused.is_some() => refused.set(refused.get() + 1),
            Ok(_) => built.set(built.get() + 1),
            Err(e) => return Err(TestCaseError::fail(e)),
        }
        Ok(())
    });
    std::panic::set_hook(hook);
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "generated books: {} built, {} refused by the loader",
        built.get(),
        refused.get()
    );
    // Most must reach the backends, or the test tests little.
    assert!(
        built.get() >= refused.get(),
        "{} built, {} refused",
        built.get(),
        refused.get()
    );
}

#[test]
fn xml_checker_accepts_and_refuses() {
    assert!(xml::check("<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<a x='1' y=\"&lt;&#x41;\"><b/>t&amp;<!-- c --><![CDATA[<]]></a>\n").is_ok());
    for bad in [
        "<a>",
        "<a></b>",
        "<a x=1/>",
        "<a x='1' x='2'/>",
        "<a>&nbsp;</a>",
        "<a>\u{1}</a>",
        "<a>&#0;</a>",
        "<a/><b/>",
        "text",
        "<a><!-- a -- b --></a>",
        "<a>]]></a>",
        "<a x='<'/>",
        "<a><b></a></b>",
    ] {
        assert!(xml::check(bad).is_err(), "{bad:?} accepted");
    }
}
