//! Ace by DAISY (the accessibility checker of the ebook world) on the EPUB
//! editions of the sample book: no violation of any impact.
//!
//! Ace runs in headless Chromium through the shared rig
//! (`../shared/tools/epub-rig/ace.sh`, whose README says how to install it),
//! which takes some ten seconds a book and needs a browser, so the test is
//! opt-in: it runs with `SAMIZDAT_ACE=1` and says SKIPPED loudly otherwise.
//! With `SAMIZDAT_ACE=1` a missing rig is a failure.

mod common;

use std::process::Command;

use samizdat::{build, edition, epub, load};

#[test]
fn ace_finds_no_violation_in_the_sample_book() {
    if std::env::var("SAMIZDAT_ACE").as_deref() != Ok("1") {
        // Written past libtest's output capture, so that a skip is seen.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!!!!! SKIPPED ace_finds_no_violation_in_the_sample_book: set SAMIZDAT_ACE=1 to run Ace by DAISY !!!!!!!!\n"
        );
        return;
    }
    let ace = common::root().join("../shared/tools/epub-rig/ace.sh");
    assert!(ace.is_file(), "the epub rig is missing: {}", ace.display());
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ace");
    std::fs::create_dir_all(&dir).unwrap();
    let book = common::root().join("book");
    let project = load::load(&book).unwrap();
    for e in edition::resolve(&project, &dir).unwrap() {
        let edition::Settings::Epub(settings) = &e.settings else {
            continue;
        };
        let opts = build::epub_options(&project, settings, &mut Vec::new()).unwrap();
        let bytes = epub::write(&project.book, &opts, &mut Vec::new()).unwrap();
        std::fs::write(&e.output, bytes).unwrap();
        let out = Command::new("bash")
            .arg(&ace)
            .arg(&e.output)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        eprintln!("{report}");
        assert!(
            out.status.success(),
            "Ace on {}:\n{report}{}",
            e.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
