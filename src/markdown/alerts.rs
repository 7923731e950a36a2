//! GitHub's alerts: a block quote whose first line is `[!NOTE]`, `[!TIP]`,
//! `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (GitHub Docs, "Basic writing
//! and formatting syntax", *Alerts*). pulldown-cmark reads the marker with
//! `Options::ENABLE_GFM` and drops its line; this names the kind in the
//! tree's terms, so no other module sees pulldown-cmark's type.

use pulldown_cmark::BlockQuoteKind;

use crate::doc::AlertKind;

/// The tree's kind of alert for pulldown-cmark's block-quote kind.
pub(super) fn kind(kind: BlockQuoteKind) -> AlertKind {
    match kind {
        BlockQuoteKind::Note => AlertKind::Note,
        BlockQuoteKind::Tip => AlertKind::Tip,
        BlockQuoteKind::Important => AlertKind::Important,
        BlockQuoteKind::Warning => AlertKind::Warning,
        BlockQuoteKind::Caution => AlertKind::Caution,
    }
}

#[cfg(test)]
mod tests {
    use crate::doc::{self, AlertKind, Block};
    use crate::markdown::{Context, parse};
    use crate::source::FileId;

    fn parse_ok(text: &str) -> Vec<Block> {
        let mut cx = Context::new();
        parse(FileId(0), text, &mut cx).blocks
    }

    fn words(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Para { content, .. } => doc::plain_text(content),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn each_marker_makes_its_alert_without_the_marker_line() {
        for (marker, want) in [
            ("NOTE", AlertKind::Note),
            ("TIP", AlertKind::Tip),
            ("IMPORTANT", AlertKind::Important),
            ("WARNING", AlertKind::Warning),
            ("CAUTION", AlertKind::Caution),
        ] {
            let md = format!("> [!{marker}]\n> Mind the gap.\n");
            let blocks = parse_ok(&md);
            let [Block::Alert { kind, blocks, span }] = blocks.as_slice() else {
                panic!("{marker}: {blocks:?}");
            };
            assert_eq!(*kind, want);
            assert_eq!(words(blocks), ["Mind the gap."]);
            assert_eq!((span.start, span.end), (0, md.len() as u32));
        }
    }

    #[test]
    fn marker_is_case_insensitive_and_alerts_hold_any_blocks() {
        let md = "> [!warning]\n> First.\n>\n> - a list\n";
        let blocks = parse_ok(md);
        let [Block::Alert { kind, blocks, .. }] = blocks.as_slice() else {
            panic!("{blocks:?}");
        };
        assert_eq!(*kind, AlertKind::Warning);
        assert!(matches!(blocks[0], Block::Para { .. }));
        assert!(matches!(blocks[1], Block::List { .. }));
    }

    #[test]
    fn other_quotes_stay_quotes() {
        // An unknown marker, a marker not on the first line, and a marker
        // with text after it on its line are all plain quotes (GitHub
        // renders them as such).
        for md in [
            "> [!DANGER]\n> Text.\n",
            "> Text.\n> [!NOTE]\n",
            "> [!NOTE] Text.\n",
            "> Just a quote.\n",
        ] {
            let blocks = parse_ok(md);
            assert!(
                matches!(blocks.as_slice(), [Block::BlockQuote { .. }]),
                "{md:?}: {blocks:?}"
            );
        }
    }

    #[test]
    fn an_alert_inside_a_quote_nests() {
        let blocks = parse_ok("> outer\n>\n> > [!TIP]\n> > inner\n");
        let [Block::BlockQuote { blocks, .. }] = blocks.as_slice() else {
            panic!("{blocks:?}");
        };
        assert!(matches!(
            blocks.as_slice(),
            [
                Block::Para { .. },
                Block::Alert {
                    kind: AlertKind::Tip,
                    ..
                }
            ]
        ));
    }
}
