//! Fenced divs, from Markdown text to the built blocks.

use super::*;
use crate::markdown::{Parsed, parse};

fn parse_str(text: &str) -> (Parsed, Context) {
    let mut cx = Context::new();
    let parsed = parse(FileId(0), text, &mut cx);
    (parsed, cx)
}

/// A compact outline of blocks: `Div#id.class[...]`, `P(text)`, …
fn outline(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(|b| match b {
            Block::Para { content, .. } => format!("P({})", crate::doc::plain_text(content)),
            Block::Heading { content, .. } => format!("H({})", crate::doc::plain_text(content)),
            Block::Div { attrs, blocks, .. } => {
                let mut head = String::from("Div");
                if let Some(id) = &attrs.id {
                    head.push_str(&format!("#{id}"));
                }
                for c in &attrs.classes {
                    head.push_str(&format!(".{c}"));
                }
                if let Some(l) = &attrs.lang {
                    head.push_str(&format!("@{l}"));
                }
                format!("{head}[{}]", outline(blocks))
            }
            Block::List { items, .. } => {
                let items: Vec<String> = items.iter().map(|i| outline(&i.blocks)).collect();
                format!("List[{}]", items.join("|"))
            }
            Block::BlockQuote { blocks, .. } => format!("Quote[{}]", outline(blocks)),
            Block::CodeBlock { text, .. } => format!("Code({})", text.trim_end()),
            Block::ThematicBreak { .. } => "Hr".into(),
            Block::Html { html, .. } => format!("Html({})", html.trim_end()),
            other => format!("{other:?}"),
        })
        .collect();
    parts.join(" ")
}

#[test]
fn fence_lines_are_recognised() {
    let open = |s: &str| fence_line(s).flatten();
    assert_eq!(open("::: note").unwrap().classes, ["note"]);
    assert_eq!(
        open(":::::: {#x .a lang=fr} ::::").unwrap().id.as_deref(),
        Some("x")
    );
    assert_eq!(open("   ::: warning :::").unwrap().classes, ["warning"]);
    assert_eq!(fence_line(":::"), Some(None));
    assert_eq!(fence_line("::::::   "), Some(None));
    for not in [
        "    ::: note",
        ":: note",
        "::: two words",
        "::: {.x",
        "::: {.x} trailing",
        "text ::: note",
        "::: a:b",
    ] {
        assert_eq!(fence_line(not), None, "{not:?}");
    }
}

#[test]
fn prepare_keeps_offsets_and_lengths() {
    let text = "Para.\n\n::: {#é .note}\nInside.\n:::\r\nAfter.\n";
    let p = prepare(text).unwrap();
    assert_eq!(p.text.len(), text.len());
    assert_eq!(p.fences.len(), 2);
    assert!(p.text.contains("\n***"));
    assert!(p.text.ends_with(":\r\nAfter.\n") || p.text.contains("***\r\nAfter."));
    assert!(prepare("No fences here.\n\n::: a stray closing\n").is_none());
    assert!(prepare("Nothing.\n").is_none());
}

#[test]
fn divs_wrap_their_blocks_and_nest() {
    let text = "\
Before.

::::: {#special .sidebar lang=de}
Here is a paragraph.

::: inner
# Heading
:::

And another.
:::::

After.
";
    let (parsed, cx) = parse_str(text);
    assert!(
        cx.warnings.is_empty() && cx.errors.is_empty(),
        "{:?}",
        cx.warnings
    );
    assert_eq!(
        outline(&parsed.blocks),
        "P(Before.) Div#special.sidebar@de[P(Here is a paragraph.) Div.inner[H(Heading)] \
         P(And another.)] P(After.)"
    );
    // The div spans from its opening fence to its closing one.
    let Block::Div { span, .. } = &parsed.blocks[1] else {
        panic!()
    };
    assert_eq!(
        &text[span.start as usize..span.end as usize],
        &text[9..text.find("\n\nAfter").unwrap()]
    );
    assert_eq!(
        parsed.anchors.get("special").map(String::as_str),
        Some("special")
    );
}

#[test]
fn only_a_closing_fence_interrupts_a_paragraph() {
    let (parsed, _) = parse_str("Text\n\n::: note\nInside\n:::\nOut\n");
    assert_eq!(
        outline(&parsed.blocks),
        "P(Text) Div.note[P(Inside)] P(Out)"
    );
    // An opening fence right under a line of text is text (pandoc needs a
    // blank line before it).
    let (parsed, _) = parse_str("Lead\n::: {#id}\nmore\n");
    assert_eq!(outline(&parsed.blocks), "P(Lead ::: {#id} more)");
    // Under a heading or a code block, one opens.
    let (parsed, _) = parse_str("# Title\n::: a\nText\n:::\n");
    assert_eq!(outline(&parsed.blocks), "H(Title) Div.a[P(Text)]");
    let (parsed, _) = parse_str("    code\n::: b\nMore\n:::\n");
    assert_eq!(outline(&parsed.blocks), "Code(code) Div.b[P(More)]");
    // Straight after another fence, one opens.
    let (parsed, _) = parse_str("::: a\n::: b\nText\n::: c\n:::\n:::\n");
    assert_eq!(outline(&parsed.blocks), "Div.a[Div.b[P(Text ::: c)]]");
}

#[test]
fn fences_in_code_and_html_are_text() {
    let text = "```\n::: note\n:::\n```\n\n<div>\n::: x\n</div>\n\n    ::: indented\n";
    let (parsed, _) = parse_str(text);
    assert_eq!(
        outline(&parsed.blocks),
        "Code(::: note\n:::) Html(<div>\n::: x\n</div>) Code(::: indented)"
    );
}

#[test]
fn thematic_breaks_stay_breaks() {
    let (parsed, _) = parse_str("A\n\n***\n\n::: x\nB\n\n* * *\n:::\n");
    assert_eq!(outline(&parsed.blocks), "P(A) Hr Div.x[P(B) Hr]");
}

#[test]
fn an_unclosed_div_warns_and_ends_with_its_container() {
    let text = "A\n\n::: open\nB\n\nC\n";
    let (parsed, cx) = parse_str(text);
    assert_eq!(outline(&parsed.blocks), "P(A) Div.open[P(B) P(C)]");
    assert_eq!(cx.warnings.len(), 1);
    let w = &cx.warnings[0];
    assert!(w.message.contains("no closing fence"), "{}", w.message);
    assert!(matches!(w.location, crate::diag::Location::Span(s) if s.start == 3));

    // One opened in a list item closes with the item; the fence after
    // the list closes nothing and goes.
    let (parsed, cx) = parse_str("- item\n\n  ::: x\n  in\n:::\n\nout\n");
    assert_eq!(outline(&parsed.blocks), "List[P(item) Div.x[P(in)]] P(out)");
    assert_eq!(cx.warnings.len(), 1);
}

#[test]
fn divs_in_list_items() {
    let (parsed, cx) = parse_str("- one\n\n  ::: note\n  two\n  :::\n- three\n");
    assert!(cx.warnings.is_empty());
    assert_eq!(
        outline(&parsed.blocks),
        "List[P(one) Div.note[P(two)]|P(three)]"
    );
}

#[test]
fn div_ids_are_claimed_book_wide() {
    let (parsed, cx) = parse_str("# Same {#same}\n\n::: {#same}\nText\n:::\n");
    let Block::Div { attrs, .. } = &parsed.blocks[1] else {
        panic!("{:?}", parsed.blocks)
    };
    assert_eq!(attrs.id.as_deref(), Some("same-1"));
    assert_eq!(cx.warnings.len(), 1, "the clash is warned about");
}

#[test]
fn deep_divs_are_refused_not_overflowed() {
    let mut text = String::new();
    for _ in 0..200 {
        text.push_str("::: d\n");
    }
    text.push_str("core\n");
    for _ in 0..200 {
        text.push_str(":::\n");
    }
    let (parsed, cx) = parse_str(&text);
    assert_eq!(cx.errors.len(), 1);
    let mut depth = 0;
    let mut blocks = &parsed.blocks;
    while let Some(Block::Div { blocks: inner, .. }) = blocks.first() {
        depth += 1;
        blocks = inner;
    }
    assert!(depth < MAX_DEPTH, "{depth}");
}
