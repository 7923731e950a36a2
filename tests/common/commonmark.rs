//! The CommonMark specification's examples as books: real Markdown that
//! nobody here wrote. The specification and its examples are kept in
//! `tests/commonmark/` (CC-BY-SA 4.0, licence beside them), so every clone
//! runs these tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The file `name` of `tests/commonmark/`.
pub fn file(name: &str) -> PathBuf {
    super::root().join("tests/commonmark").join(name)
}

/// Every example of the specification: (number, Markdown).
pub fn examples() -> Vec<(u64, String)> {
    let path = file("spec-examples.json");
    let text = std::fs::read_to_string(path).expect("the examples file reads");
    let json: serde_json::Value = serde_json::from_str(&text).expect("the examples are JSON");
    let examples: Vec<(u64, String)> = json
        .as_array()
        .expect("a list of examples")
        .iter()
        .map(|e| {
            (
                e["example"].as_u64().expect("an example number"),
                e["markdown"].as_str().expect("its Markdown").to_string(),
            )
        })
        .collect();
    assert!(examples.len() >= 600, "only {} examples", examples.len());
    examples
}

/// Why the loader or the EPUB writer refuses an example on its own, if it
/// does: the examples cite images that are not there (`/url`, `foo.png`),
/// and samizdat refuses a book with a missing image.
pub fn refusal(dir: &Path, markdown: &str) -> Option<String> {
    let file = dir.join("example.md");
    std::fs::write(&file, format!("---\ntitle: Example\n---\n\n{markdown}")).unwrap();
    let first = |e: samizdat::diag::Error| {
        e.diagnostics()
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default()
    };
    let project = match samizdat::load::load(&file) {
        Ok(p) => p,
        Err(e) => return Some(first(e)),
    };
    let opts = super::pipeline::epub_options(project.files.clone());
    samizdat::epub::write(&project.book, &opts, &mut Vec::new())
        .err()
        .map(first)
}

/// Writes a book into `dir` with one chapter per example that samizdat
/// takes on its own (`# Example N` and then the example), an EPUB and a
/// PDF edition. Returns the book's directory and the examples left out,
/// with the reason.
pub fn examples_book(dir: &Path) -> (PathBuf, Vec<(u64, String)>) {
    let examples = examples();
    let book = dir.join("commonmark-examples");
    std::fs::create_dir_all(&book).unwrap();
    let mut toml = String::from(
        "[book]\ntitle = \"CommonMark Examples\"\nlanguage = \"en\"\n\n[contents]\nchapters = [\n",
    );
    let mut left_out = Vec::new();
    for (n, markdown) in examples {
        if let Some(why) = refusal(dir, &markdown) {
            left_out.push((n, why));
            continue;
        }
        let name = format!("ex{n:04}.md");
        std::fs::write(book.join(&name), format!("# Example {n}\n\n{markdown}")).unwrap();
        toml.push_str(&format!("  \"{name}\",\n"));
    }
    toml.push_str(
        "]\n\n[edition.ereader]\nformat = \"epub\"\n\n[edition.print]\nformat = \"pdf\"\n",
    );
    std::fs::write(book.join("book.toml"), toml).unwrap();
    (book, left_out)
}

/// Writes the whole specification into `dir` as a book with the sample
/// book's four editions (EPUB, A5 PDF, A4 booklet, large print).
pub fn spec_book(dir: &Path) -> PathBuf {
    let path = file("spec.md");
    let text = std::fs::read_to_string(path).expect("the specification reads");
    // Its YAML front matter ends with `...`; the book's title replaces it.
    let body = text.split_once("\n...\n").map_or(text.as_str(), |(_, b)| b);
    let book = dir.join("commonmark-spec");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::write(book.join("spec.md"), body).unwrap();
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"CommonMark Spec\"\nauthors = [\"John MacFarlane\"]\nlanguage = \"en\"\n\n\
         [contents]\nchapters = [\"spec.md\"]\n\n\
         [edition.ereader]\nformat = \"epub\"\n\n\
         [edition.pamphlet]\nformat = \"pdf\"\nstyle = \"pamphlet\"\n\n\
         [edition.booklet]\nformat = \"pdf\"\nstyle = \"pamphlet\"\nimposition = \"booklet\"\nsheet = \"a4\"\n\n\
         [edition.large-print]\nformat = \"pdf\"\nstyle = \"large-print\"\n",
    )
    .unwrap();
    book
}
