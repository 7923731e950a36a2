//! GitHub alerts (`> [!NOTE]`…, GitHub Docs "Alerts") in a built book: the
//! tree has them, the EPUB writes each as a labelled `<aside>` with its
//! title, the PDF sets the title before the content; plain quotes stay
//! quotes.

mod common;

use common::{book_of, run, samizdat, stderr, stdout, tool, unzip};

const CHAPTER: &str = "# One\n\nSome text before.\n\n\
    > [!NOTE]\n> Useful information.\n\n\
    > [!TIP]\n> Helpful advice.\n\n\
    > [!IMPORTANT]\n> Key information.\n\n\
    > [!WARNING]\n> Urgent info.\n>\n> - with a list\n\n\
    > [!CAUTION]\n> Risks ahead.\n\n\
    > A plain quotation.\n";

fn alerts_book(language: &str) -> std::path::PathBuf {
    let toml = format!(
        "[book]\ntitle = \"A\"\nlanguage = \"{language}\"\n[contents]\nchapters = [\"one.md\"]\n\
         [edition.print]\nformat = \"pdf\"\n[edition.e]\nformat = \"epub\"\n"
    );
    book_of(
        &format!("alerts-{language}"),
        &[
            ("book.toml", toml.as_bytes()),
            ("one.md", CHAPTER.as_bytes()),
        ],
    )
}

fn chapter_xhtml(epub: &[u8]) -> String {
    unzip(epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(_, data)| String::from_utf8(data).unwrap())
        .find(|x| x.contains("Useful information"))
        .expect("the chapter's document")
}

#[test]
fn alerts_in_the_tree_the_epub_and_the_pdf() {
    let dir = alerts_book("en");
    let tree = stdout(&samizdat(&["tree", dir.to_str().unwrap()]));
    for kind in ["note", "tip", "important", "warning", "caution"] {
        assert!(tree.contains(&format!("Alert {kind}")), "{kind}:\n{tree}");
    }
    assert!(tree.contains("BlockQuote"), "{tree}");
    assert!(!tree.contains("[!"), "a marker is left as text:\n{tree}");

    let out = samizdat(&["build", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xhtml = chapter_xhtml(&std::fs::read(dir.join("out/a-e.epub")).unwrap());
    for (kind, title) in [
        ("note", "Note"),
        ("tip", "Tip"),
        ("important", "Important"),
        ("warning", "Warning"),
        ("caution", "Caution"),
    ] {
        let open = format!(
            "<aside class=\"alert alert-{kind}\" role=\"note\" aria-label=\"{title}\">\n\
             <p class=\"alert-title\" aria-hidden=\"true\">{title}</p>\n"
        );
        assert!(xhtml.contains(&open), "no {open} in\n{xhtml}");
    }
    assert!(xhtml.contains("<li>with a list</li>"), "{xhtml}");
    assert!(xhtml.contains("<blockquote>"), "{xhtml}");
    assert_eq!(xhtml.matches("<aside class=\"alert").count(), 5);

    if !tool("pdftotext") {
        return;
    }
    let pdf = dir.join("out/a-print.pdf");
    let text = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let words: Vec<&str> = text.split_whitespace().collect();
    for (title, first) in [
        ("Note", "Useful"),
        ("Tip", "Helpful"),
        ("Important", "Key"),
        ("Warning", "Urgent"),
        ("Caution", "Risks"),
    ] {
        let at = words
            .iter()
            .position(|w| *w == first)
            .unwrap_or_else(|| panic!("no {first} in\n{text}"));
        // Small capitals come out as the title's own letters in the text.
        assert!(
            words[at - 1].eq_ignore_ascii_case(title),
            "{title} is not before {first}:\n{text}"
        );
    }
}

#[test]
fn alert_titles_are_in_the_book_language() {
    let dir = alerts_book("fr");
    let out = samizdat(&["build", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let xhtml = chapter_xhtml(&std::fs::read(dir.join("out/a-e.epub")).unwrap());
    for title in [
        "Remarque",
        "Conseil",
        "Important",
        "Avertissement",
        "Attention",
    ] {
        assert!(
            xhtml.contains(&format!("aria-label=\"{title}\">")),
            "{title}:\n{xhtml}"
        );
    }
}
