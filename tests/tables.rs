//! pandoc's simple, multiline and grid tables in both formats, built with
//! the real binary (issue 14): each a `<table>` in the EPUB with its cells
//! (and a `<colgroup>` where pandoc gives relative widths), each a table in
//! the PDF with its cells' words in row order; a pipe table still works,
//! and a block that looks like a table but cannot be read is warned about
//! at its line and kept as text.

mod common;

use common::{book_of, corpus, run, samizdat, stderr, stdout, tool, unzip};

const CHAPTER: &str = "\
# Tables

A simple table:

  Right     Left     Center     Default
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123
      1     1          1             1

Table:  Demonstration of simple table syntax.

A multiline table:

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

A grid table:

+---------------+---------------+--------------------+
| Fruit         | Price         | Advantages         |
+===============+===============+====================+
| Bananas       | $1.34         | - built-in wrapper |
|               |               | - bright color     |
+---------------+---------------+--------------------+
| Oranges       | $2.10         | *cures* scurvy     |
+---------------+---------------+--------------------+

A pipe table:

| Pipe | Table |
|------|------:|
| kept | 7     |

Not a table:

Name    Value
------  -----
alpha   1
betagamma 2
";

fn tables_book() -> std::path::PathBuf {
    book_of(
        "tables-book",
        &[
            (
                "book.toml",
                b"[book]\ntitle = \"T\"\nlanguage = \"en\"\n[contents]\nchapters = [\"one.md\"]\n\
                  [edition.print]\nformat = \"pdf\"\n[edition.e]\nformat = \"epub\"\n",
            ),
            ("one.md", CHAPTER.as_bytes()),
        ],
    )
}

#[test]
fn pandoc_tables_in_both_formats() {
    let dir = tables_book();
    let out = samizdat(&["build", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // The one look-alike, warned at its line (the row whose word crosses
    // into the next column).
    let line = CHAPTER.lines().position(|l| l == "betagamma 2").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "one.md:{line}:1: warning: this looks like a pandoc table"
        )),
        "{err}"
    );
    assert_eq!(err.matches("looks like a pandoc table").count(), 1, "{err}");
    // pandoc's narrow second column (8 of 72) is widened to hold "Aligned"
    // whole (the word's line only).
    let aligned = CHAPTER
        .lines()
        .position(|l| l.starts_with("  Header"))
        .unwrap()
        + 1;
    assert!(!err.contains(&format!("one.md:{aligned}:")), "{err}");

    let epub = std::fs::read(dir.join("out/t-e.epub")).unwrap();
    let xhtml: String = unzip(&epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, data)| String::from_utf8(data).unwrap())
        .collect();
    assert_eq!(xhtml.matches("<table").count(), 4, "{xhtml}");
    // Each table's cells, and the widths pandoc derives for the multiline
    // and grid tables (12/72 of the line, 16/72).
    for cell in [
        "Demonstration of simple table syntax.",
        "Centered Header",
        "Example of a row that spans multiple lines.",
        "$2.10",
        "<em>cures</em> scurvy",
        "kept",
    ] {
        // (a soft break in a cell is a line end in the XHTML)
        assert!(
            xhtml.replace('\n', " ").contains(cell),
            "no {cell} in\n{xhtml}"
        );
    }
    assert!(xhtml.contains("<colgroup>"), "{xhtml}");
    assert!(xhtml.contains("17%") || xhtml.contains("16.7%"), "{xhtml}");
    assert!(xhtml.contains("22%") || xhtml.contains("22.2%"), "{xhtml}");
    // The look-alike stays text; nothing of the placeholders shows.
    assert!(xhtml.contains("betagamma 2"), "{xhtml}");
    assert!(!xhtml.contains("<!--"), "{xhtml}");

    if !tool("pdftotext") {
        return;
    }
    let pdf = dir.join("out/t-print.pdf");
    let text = run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Cells' words in row order.
    let order = [
        "Right Left Center Default",
        "12 12 12 12",
        "123 123 123 123",
        "Centered",
        "First",
        "Second",
        "Fruit Price Advantages",
        "Bananas $1.34",
        "Oranges $2.10 cures scurvy",
        "Pipe Table",
        "betagamma 2",
    ];
    let mut from = 0;
    for words in order {
        let at = flat[from..]
            .find(words)
            .unwrap_or_else(|| panic!("`{words}` not after byte {from} in\n{flat}"));
        from += at + words.len();
    }
    // The multiline table's wrapped cell is one column: its two lines
    // start at the same place on the page.
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .find(|l| l.contains("Example of a"))
        .expect("the row");
    let col = first.find("Example").unwrap();
    let next = lines
        .iter()
        .skip_while(|l| !l.contains("Example of a"))
        .nth(1)
        .unwrap();
    assert!(
        next.get(col..).is_some_and(|rest| !rest.trim().is_empty()),
        "the cell's second line is not under its first:\n{first}\n{next}"
    );
}

/// The tables `samizdat tree` shows for a single file, with the build's
/// warnings about unreadable tables.
fn tree_tables(name: &str, text: &str) -> (usize, usize) {
    let dir = book_of(name, &[("book.md", text.as_bytes())]);
    let out = samizdat(&["tree", dir.join("book.md").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = stdout(&out);
    let tables = tree
        .lines()
        .filter(|l| l.trim_start().starts_with("Table ["))
        .count();
    (
        tables,
        stderr(&out).matches("looks like a pandoc table").count(),
    )
}

#[test]
fn pandocs_own_table_tests_all_read() {
    // pandoc's test/tables.markdown: seven tables, simple ones whose
    // header is indented four (pandoc tries tables before indented code),
    // some indented two, captions after.
    let Some(pandoc) = corpus("reference/pandoc") else {
        return;
    };
    let tests = std::fs::read_to_string(pandoc.join("test/tables.markdown")).unwrap();
    let text = format!("---\ntitle: Tables\n---\n\n{tests}");
    assert_eq!(tree_tables("pandoc-table-tests", &text), (7, 0));
}

#[test]
fn pandocs_manual_reads_its_tables() {
    // The manual's four simple tables (exit codes, identifiers, bibliography
    // formats, EPUB section types) and its eight grid tables of options
    // and defaults-file entries (cells of fenced code); its examples in
    // indented code stay code. It has no pipe tables.
    let Some(pandoc) = corpus("reference/pandoc") else {
        return;
    };
    let text = std::fs::read_to_string(pandoc.join("MANUAL.txt")).unwrap();
    assert_eq!(tree_tables("pandoc-manual", &text), (12, 0));
}
