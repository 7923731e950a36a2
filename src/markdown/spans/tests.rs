//! Bracketed spans, from Markdown text to the built inlines.

use crate::doc::{Block, Inline};
use crate::markdown::{Context, Parsed, parse};
use crate::source::FileId;

fn parse_str(text: &str) -> (Parsed, Context) {
    let mut cx = Context::new();
    let parsed = parse(FileId(0), text, &mut cx);
    (parsed, cx)
}

/// A compact form of inlines: text as is, `S.class#id(…)` for a span,
/// `*…*` emphasis, `L(…)` a link.
fn show(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Span { attrs, content, .. } => {
                out.push('S');
                for c in &attrs.classes {
                    out.push_str(&format!(".{c}"));
                }
                if let Some(id) = &attrs.id {
                    out.push_str(&format!("#{id}"));
                }
                if let Some(l) = &attrs.lang {
                    out.push_str(&format!("@{l}"));
                }
                out.push_str(&format!("({})", show(content)));
            }
            Inline::Emph { content, .. } => out.push_str(&format!("*{}*", show(content))),
            Inline::Link { content, .. } => out.push_str(&format!("L({})", show(content))),
            Inline::SoftBreak { .. } => out.push(' '),
            Inline::Note { blocks, .. } => {
                out.push_str("N(");
                for b in blocks {
                    if let Block::Para { content, .. } = b {
                        out.push_str(&show(content));
                    }
                }
                out.push(')');
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
    out
}

fn para(text: &str) -> String {
    let (parsed, _) = parse_str(text);
    match parsed.blocks.first() {
        Some(Block::Para { content, .. } | Block::Heading { content, .. }) => show(content),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bracket_followed_by_attributes_is_a_span() {
    assert_eq!(
        para("A [This is *some text*]{.class key=\"val\"} here.\n"),
        "A S.class(This is *some text*) here."
    );
    assert_eq!(
        para("[Лев Толстой]{lang=ru .smallcaps}\n"),
        "S.smallcaps@ru(Лев Толстой)"
    );
}

#[test]
fn spans_nest_and_take_links_inside() {
    assert_eq!(
        para("[[inner]{.a} and [a link](http://x)]{.b}\n"),
        "S.b(S.a(inner) and L(a link))"
    );
    assert_eq!(para("[a [b] c]{.x}\n"), "S.x(a [b] c)");
}

#[test]
fn what_is_not_a_span_stays_text() {
    // A real link with braces after it, brackets with a space before the
    // brace, malformed attributes, an escaped bracket.
    assert_eq!(para("[a](b){.c}\n"), "L(a){.c}");
    assert_eq!(para("[a] {.c}\n"), "[a] {.c}");
    assert_eq!(para("[a]{.c\n"), "[a]{.c");
    assert_eq!(para("[a]{nope}\n"), "[a]{nope}");
    assert_eq!(para("\\[a]{.c}\n"), "[a]{.c}");
    // Brackets do not pair across emphasis.
    assert_eq!(para("*[a*]{.c}\n"), "*[a*]{.c}");
}

#[test]
fn smart_quotes_in_values_are_still_quotes() {
    let (parsed, _) = parse_str("[x]{title=\"two words\"} end\n");
    let Some(Block::Para { content, .. }) = parsed.blocks.first() else {
        panic!()
    };
    let Inline::Span { attrs, span, .. } = &content[0] else {
        panic!("{content:?}")
    };
    assert_eq!(attrs.pairs, [("title".into(), "two words".into())]);
    // The span covers its source, brackets and braces included.
    assert_eq!((span.start, span.end), (0, 22));
}

#[test]
fn spans_in_headings_leave_their_attributes_out_of_the_id() {
    let (parsed, _) = parse_str("# The [Iron]{.smallcaps} Heel {lang=en-GB .x}\n");
    let Some(Block::Heading {
        id,
        lang,
        classes,
        content,
        ..
    }) = parsed.blocks.first()
    else {
        panic!()
    };
    assert_eq!(id, "the-iron-heel");
    assert_eq!(lang.as_deref(), Some("en-GB"));
    assert_eq!(classes, &["x"]);
    assert_eq!(show(content), "The S.smallcaps(Iron) Heel");
}

#[test]
fn spans_in_notes_and_span_ids_are_link_targets() {
    let text = "See[^n] and [here]{#here}.\n\n[^n]: A [note span]{#inote}.\n";
    let (parsed, cx) = parse_str(text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    let Some(Block::Para { content, .. }) = parsed.blocks.first() else {
        panic!()
    };
    assert_eq!(
        show(content),
        "SeeN(A S#inote(note span).) and S#here(here)."
    );
    for id in ["here", "inote"] {
        assert_eq!(parsed.anchors.get(id).map(String::as_str), Some(id));
    }
}

#[test]
fn many_open_brackets_stay_linear_and_shallow() {
    let text = format!("{}x{}\n", "[".repeat(5000), "]{.a}".repeat(5000));
    let (parsed, cx) = parse_str(&text);
    assert!(cx.errors.is_empty());
    fn depth(inlines: &[Inline]) -> usize {
        inlines
            .iter()
            .map(|i| match i {
                Inline::Span { content, .. } => 1 + depth(content),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    let Some(Block::Para { content, .. }) = parsed.blocks.first() else {
        panic!()
    };
    let d = depth(content);
    assert!((1..=super::MAX_OPEN).contains(&d), "{d}");
}

#[test]
fn attributes_are_read_as_written_not_as_smartened() {
    // pandoc's manual: an id with `--`, which smart punctuation makes a
    // dash in the text.
    let (parsed, _) = parse_str(
        "[`--reference-doc=`*FILE*|*URL*]{#option--reference-doc}\n\n:   Use it.\n\n\
         [It's]{title=\"it's -- so\"} done.\n",
    );
    let Some(Block::DefinitionList { items, .. }) = parsed.blocks.first() else {
        panic!("{:?}", parsed.blocks)
    };
    let [Inline::Span { attrs, content, .. }] = items[0].term.as_slice() else {
        panic!("{:?}", items[0].term)
    };
    assert_eq!(attrs.id.as_deref(), Some("option--reference-doc"));
    assert_eq!(content.len(), 4, "{content:?}");
    let Some(Block::Para { content, .. }) = parsed.blocks.get(1) else {
        panic!()
    };
    assert_eq!(show(content), "S(It’s) done.");
    let Inline::Span { attrs, .. } = &content[0] else {
        panic!()
    };
    assert_eq!(attrs.pairs, [("title".into(), "it's -- so".into())]);
}
