//! pandoc's tables, mostly on the manual's own examples (section "Tables").

use super::*;
use crate::doc::{self, Align, Block, Inline};
use crate::markdown::{Context, parse};
use crate::source::FileId;

fn parse_str(text: &str) -> (Vec<Block>, Context) {
    let mut cx = Context::new();
    let parsed = parse(FileId(0), text, &mut cx);
    (parsed.blocks, cx)
}

/// A table's alignments, widths, header texts and rows' texts.
type Shape = (Vec<Align>, Vec<f32>, Vec<String>, Vec<Vec<String>>);

fn shape(block: &Block) -> Shape {
    let Block::Table {
        align,
        widths,
        head,
        rows,
        ..
    } = block
    else {
        panic!("not a table: {block:?}")
    };
    let texts = |cells: &[Vec<Inline>]| cells.iter().map(|c| doc::plain_text(c)).collect();
    (
        align.clone(),
        widths.clone(),
        texts(head),
        rows.iter().map(|r| texts(r)).collect(),
    )
}

fn tables(blocks: &[Block]) -> Vec<&Block> {
    blocks
        .iter()
        .filter(|b| matches!(b, Block::Table { .. }))
        .collect()
}

fn warned_at(d: &crate::diag::Diagnostic) -> usize {
    match &d.location {
        crate::diag::Location::Span(span) => span.start as usize,
        other => panic!("not placed: {other:?}"),
    }
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

const SIMPLE: &str = "  Right     Left     Center     Default
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123
      1     1          1             1

Table:  Demonstration of simple table syntax.
";

#[test]
fn simple_table_aligns_by_header_over_dashes() {
    let (blocks, cx) = parse_str(SIMPLE);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let Block::Para { content, .. } = &blocks[0] else {
        panic!("the caption comes first: {:?}", blocks[0])
    };
    assert_eq!(
        doc::plain_text(content),
        "Demonstration of simple table syntax."
    );
    let (align, widths, head, rows) = shape(&blocks[1]);
    use Align::*;
    assert_eq!(align, vec![Right, Left, Center, None]);
    assert!(widths.is_empty(), "short lines: sized by content");
    assert_eq!(head, strings(&["Right", "Left", "Center", "Default"]));
    assert_eq!(
        rows,
        vec![
            strings(&["12", "12", "12", "12"]),
            strings(&["123", "123", "123", "123"]),
            strings(&["1", "1", "1", "1"]),
        ]
    );
    // The table's span covers its lines and the caption, its cells' spans
    // the cells' own text.
    let Block::Table { span, rows, .. } = &blocks[1] else {
        panic!()
    };
    assert_eq!(span.start, 0);
    assert_eq!(span.end as usize, SIMPLE.trim_end().len());
    let cell = rows[1][2][0].span();
    assert_eq!(&SIMPLE[cell.start as usize..cell.end as usize], "123");
    let row_line = SIMPLE.find("    123").unwrap();
    assert!(cell.start as usize > row_line && (cell.end as usize) < row_line + 40);
}

#[test]
fn simple_table_without_header_aligns_by_first_row() {
    let text = "\
-------     ------ ----------   -------
     12     12        12             12
    123     123       123           123
      1     1          1              1
-------     ------ ----------   -------
";
    let (blocks, cx) = parse_str(text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    let (align, _, head, rows) = shape(&blocks[0]);
    use Align::*;
    assert_eq!(align, vec![Right, Left, Center, Right]);
    assert!(head.is_empty());
    assert_eq!(rows.len(), 3);
    assert_eq!(blocks.len(), 1);
}

#[test]
fn wide_simple_table_gets_relative_widths() {
    let text = format!(
        "Name         Note\n-----------  {}\nA            {}\n",
        "-".repeat(70),
        "word ".repeat(14)
    );
    let (blocks, _) = parse_str(&text);
    let (_, widths, _, rows) = shape(&blocks[0]);
    assert_eq!(widths.len(), 2);
    // 13 columns of 83: the first column's dashes and the spaces after them.
    assert!((widths[0] - 13.0 / 83.0).abs() < 1e-4, "{widths:?}");
    assert!((widths.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    assert_eq!(rows[0][1].trim(), "word ".repeat(14).trim());
}

const MULTILINE: &str = "\
-------------------------------------------------------------
 Centered   Default           Right Left
  Header    Aligned         Aligned Aligned
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here's another one. Note
                                    the blank line between
                                    rows.
-------------------------------------------------------------

Table: Here's the caption. It, too, may span
multiple lines.
";

#[test]
fn multiline_table_joins_lines_and_takes_widths_from_dashes() {
    let (blocks, cx) = parse_str(MULTILINE);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let Block::Para { content, .. } = &blocks[0] else {
        panic!()
    };
    assert_eq!(
        doc::plain_text(content),
        "Here’s the caption. It, too, may span multiple lines."
    );
    let (align, widths, head, rows) = shape(&blocks[1]);
    use Align::*;
    assert_eq!(align, vec![Center, None, Right, Left]);
    assert_eq!(
        head,
        strings(&[
            "Centered Header",
            "Default Aligned",
            "Right Aligned",
            "Left Aligned"
        ])
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][3], "Example of a row that spans multiple lines.");
    assert_eq!(
        rows[1][3],
        "Here’s another one. Note the blank line between rows."
    );
    // pandoc: lengths 12, 8, 16, 25 (the last as written), over 72.
    let want = [12.0 / 72.0, 8.0 / 72.0, 16.0 / 72.0, 25.0 / 72.0];
    for (w, x) in widths.iter().zip(want) {
        assert!((w - x).abs() < 1e-4, "{widths:?}");
    }
}

#[test]
fn multiline_table_without_header() {
    let text = "\
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here's another one. Note
                                    the blank line between
                                    rows.
----------- ------- --------------- -------------------------

: Here's a multiline table without a header.
";
    let (blocks, cx) = parse_str(text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    assert_eq!(blocks.len(), 2);
    let (align, widths, head, rows) = shape(&blocks[1]);
    assert!(head.is_empty());
    assert_eq!(align[0], Align::Center);
    assert_eq!(widths.len(), 4);
    assert_eq!(rows[1][0], "Second");
}

const GRID: &str = "\
: Sample grid table.

+---------------+---------------+--------------------+
| Fruit         | Price         | Advantages         |
+===============+===============+====================+
| Bananas       | $1.34         | - built-in wrapper |
|               |               | - bright color     |
+---------------+---------------+--------------------+
| Oranges       | $2.10         | - cures scurvy     |
|               |               | - tasty            |
+---------------+---------------+--------------------+
";

#[test]
fn grid_table_cells_hold_blocks() {
    let (blocks, cx) = parse_str(GRID);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let Block::Para { content, .. } = &blocks[0] else {
        panic!()
    };
    assert_eq!(doc::plain_text(content), "Sample grid table.");
    let (align, widths, head, rows) = shape(&blocks[1]);
    assert_eq!(align, vec![Align::None; 3]);
    assert_eq!(head, strings(&["Fruit", "Price", "Advantages"]));
    assert_eq!(rows[0][0], "Bananas");
    assert_eq!(rows[1][1], "$2.10");
    // The list in the cell: its items marked, one to a line.
    let Block::Table { rows: cells, .. } = &blocks[1] else {
        panic!()
    };
    assert!(matches!(cells[0][2][2], Inline::LineBreak { .. }));
    assert_eq!(doc::plain_text(&cells[0][2][..2]), "• built-in wrapper");
    // 16 + 16 + 21 = 53 columns, under 72.
    assert!((widths[0] - 16.0 / 72.0).abs() < 1e-4, "{widths:?}");
    assert!((widths[2] - 21.0 / 72.0).abs() < 1e-4, "{widths:?}");
    // A cell's words point at their line.
    let span = cells[1][0][0].span();
    assert_eq!(&GRID[span.start as usize..span.end as usize], "Oranges");
}

#[test]
fn grid_table_alignment_from_colons() {
    let text = "\
+---------------+---------------+--------------------+
| Right         | Left          | Centered           |
+==============:+:==============+:==================:+
| Bananas       | $1.34         | built-in wrapper   |
+---------------+---------------+--------------------+

+--------------:+:--------------+:------------------:+
| Right         | Left          | Centered           |
+---------------+---------------+--------------------+
";
    let (blocks, cx) = parse_str(text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    let found = tables(&blocks);
    assert_eq!(found.len(), 2);
    use Align::*;
    for t in found {
        assert_eq!(shape(t).0, vec![Right, Left, Center]);
    }
    assert!(shape(&blocks[1]).2.is_empty(), "headerless");
}

#[test]
fn grid_cells_with_paragraphs_code_and_emphasis() {
    let text = "\
+-------------------+---------------------+
| ```               | First *paragraph*.  |
| --output foo.pdf  |                     |
| ```               | Second, with a      |
|                   | note.[^n]           |
+-------------------+---------------------+

[^n]: The note.
";
    let (blocks, cx) = parse_str(text);
    assert!(
        cx.warnings.is_empty() && cx.errors.is_empty(),
        "{:?} {:?}",
        cx.warnings,
        cx.errors
    );
    let Block::Table { rows, .. } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert!(matches!(&rows[0][0][0], Inline::Code { text, .. } if text == "--output foo.pdf"));
    let cell = &rows[0][1];
    assert!(cell.iter().any(|i| matches!(i, Inline::Emph { .. })));
    assert!(cell.iter().any(|i| matches!(i, Inline::LineBreak { .. })));
    let note = cell.iter().find_map(|i| match i {
        Inline::Note { blocks, .. } => Some(blocks),
        _ => None,
    });
    assert_eq!(note.map(Vec::len), Some(1), "the note's text is filled in");
}

#[test]
fn grid_table_with_spans_is_refused_with_a_warning() {
    let text = "\
Before.

+---------------------+----------+
| Property            | Earth    |
+=============+=======+==========+
|             | min   | -89.2 °C |
| Temperature +-------+----------+
| 1961-1990   | mean  | 14 °C    |
+-------------+-------+----------+
";
    let (blocks, cx) = parse_str(text);
    assert!(tables(&blocks).is_empty());
    assert_eq!(cx.warnings.len(), 1, "{:?}", cx.warnings);
    let w = &cx.warnings[0];
    assert!(w.message.contains("span rows or columns"), "{}", w.message);
    let at = warned_at(w);
    assert_eq!(
        &text[at..at + 9],
        "+========",
        "the line where the columns change"
    );
    // It stays text.
    assert!(matches!(blocks.last(), Some(Block::Para { .. })));
}

#[test]
fn a_word_across_a_column_is_refused_with_a_warning() {
    let text = "\
Name    Value
------  -----
alpha   1
betagamma 2
";
    let (blocks, cx) = parse_str(text);
    assert!(tables(&blocks).is_empty(), "{blocks:?}");
    assert_eq!(cx.warnings.len(), 1, "{:?}", cx.warnings);
    let w = &cx.warnings[0];
    assert!(
        w.message.contains("crosses the start of a column"),
        "{}",
        w.message
    );
    let at = warned_at(w);
    assert!(text[at..].starts_with("betagamma"));
}

#[test]
fn a_multiline_table_never_closed_is_refused() {
    let text = "\
-----------------------
 One        Two
---------- ------------
 a          b

 c          d
";
    let (blocks, cx) = parse_str(text);
    assert!(tables(&blocks).is_empty());
    assert_eq!(cx.warnings.len(), 1, "{:?}", cx.warnings);
    assert!(cx.warnings[0].message.contains("no closing line"));
}

#[test]
fn look_alikes_are_left_alone() {
    // A setext heading, thematic breaks, a pipe table, front-matter-like
    // dashes, and tables inside fenced and indented code.
    let text = "\
Title
-----

- - -

-----

Text after a rule.

| a | b |
|---|---|
| 1 | 2 |

```
Name    Value
------  -----
x       1
```

    +---+---+
    | a | b |
    +---+---+
";
    let (blocks, cx) = parse_str(text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    assert!(matches!(blocks[0], Block::Heading { .. }));
    let found = tables(&blocks);
    assert_eq!(found.len(), 1, "only the pipe table");
    assert!(shape(found[0]).1.is_empty());
    assert_eq!(
        blocks
            .iter()
            .filter(|b| matches!(b, Block::CodeBlock { .. }))
            .count(),
        2
    );
}

#[test]
fn offsets_after_a_table_stay_true() {
    let text = format!("{GRID}\nAfter *the* table.\n");
    let (blocks, _) = parse_str(&text);
    let Some(Block::Para { content, span }) = blocks.last() else {
        panic!()
    };
    assert_eq!(
        text[span.start as usize..span.end as usize].trim_end(),
        "After *the* table."
    );
    let Inline::Emph { span, .. } = &content[1] else {
        panic!("{content:?}")
    };
    assert_eq!(&text[span.start as usize..span.end as usize], "*the*");
}

#[test]
fn table_in_a_list_item_stays_in_it() {
    let text = "\
- An item:

  Key     Value
  -----   -----
  a       1
  b       2

- Next.
";
    let (blocks, cx) = parse_str(text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    let Block::List { items, .. } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(items.len(), 2);
    let (_, _, head, rows) = shape(&items[0].blocks[1]);
    assert_eq!(head, strings(&["Key", "Value"]));
    assert_eq!(rows[1], strings(&["b", "2"]));
}

#[test]
fn cells_that_look_like_block_starts_stay_text() {
    let text = "\
Step   What
----   ------------
1.     Begin
-      nothing
#      hash
";
    let (blocks, _) = parse_str(text);
    let (_, _, _, rows) = shape(&blocks[0]);
    assert_eq!(rows[0], strings(&["1.", "Begin"]));
    assert_eq!(rows[1], strings(&["-", "nothing"]));
    assert_eq!(rows[2], strings(&["#", "hash"]));
}

#[test]
fn placeholder_keeps_bytes_and_lines() {
    let mut warnings = Vec::new();
    let (masked, found) = mask(FileId(0), SIMPLE, &mut warnings);
    assert_eq!(found.tables.len(), 1);
    assert_eq!(masked.len(), SIMPLE.len());
    assert_eq!(masked.matches('\n').count(), SIMPLE.matches('\n').count());
    assert!(masked.starts_with("  <!--"), "{masked}");
    assert!(masked.trim_end().ends_with("-->"), "{masked}");
}

#[test]
fn relative_widths_follow_pandoc() {
    // `widthsFromIndices`: the last column, 2 shorter than the one before,
    // counts as long as it.
    let cols = vec![0..10, 12..20, 22..30];
    let w = relative_widths(&cols);
    assert_eq!(w, vec![12.0 / 72.0, 10.0 / 72.0, 10.0 / 72.0]);
}

#[test]
fn reference_links_in_cells_resolve() {
    let text = "\
Site     Why
-------  ----------------
Home     see [the site][s]

[s]: https://example.org/ \"Example\"
";
    let (blocks, cx) = parse_str(text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    let Block::Table { rows, .. } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    let link = rows[0][1].iter().find_map(|i| match i {
        Inline::Link { target, title, .. } => Some((target.clone(), title.clone())),
        _ => None,
    });
    assert_eq!(
        link,
        Some((
            crate::doc::Target::External("https://example.org/".into()),
            Some("Example".into())
        ))
    );
}

#[test]
fn a_definition_above_a_table_is_no_caption() {
    let text = format!(
        "Term\n\n: Its definition.\n\n{}",
        &GRID[GRID.find('+').unwrap()..]
    );
    let (blocks, cx) = parse_str(&text);
    assert!(cx.warnings.is_empty(), "{:?}", cx.warnings);
    assert!(
        matches!(blocks[0], Block::DefinitionList { .. }),
        "{blocks:?}"
    );
    assert!(matches!(blocks[1], Block::Table { .. }), "{blocks:?}");
    // `Table:` is a caption wherever it stands.
    let text = format!(
        "Text.\n\nTable: Fruit.\n\n{}",
        &GRID[GRID.find('+').unwrap()..]
    );
    let (blocks, _) = parse_str(&text);
    let Block::Para { content, .. } = &blocks[1] else {
        panic!("{blocks:?}")
    };
    assert_eq!(doc::plain_text(content), "Fruit.");
    assert!(matches!(blocks[2], Block::Table { .. }));
}
