use super::*;

#[test]
fn shipped_pamphlet_style_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("styles/pamphlet.toml");
    let style = PrintStyle::load(&path).unwrap();
    assert_eq!(style.page, PageSize::A5);
    assert_eq!(style.body_size, Pt(11.0));
    assert!((style.margins.inner.0 - Pt::mm(15.0).0).abs() < 1e-9);
}

#[test]
fn style_rejects_unknown_keys_with_line() {
    let err = PrintStyle::from_toml("body-size = \"11pt\"\nbogus = 1\n", Path::new("s.toml"))
        .unwrap_err();
    let d = &err.diagnostics()[0];
    assert!(d.message.contains("bogus"), "{}", d.message);
    assert!(matches!(
        d.location,
        crate::diag::Location::Path { line: 2, .. }
    ));
}

#[test]
fn style_reads_units_and_custom_pages() {
    let s = PrintStyle::from_toml(
        "page = { custom = { width = \"6in\", height = \"9in\" } }\n[margins]\ntop = \"2cm\"\nbottom = \"2cm\"\ninner = \"20mm\"\nouter = 50\n",
        Path::new("s.toml"),
    )
    .unwrap();
    assert_eq!(s.page.dimensions(), (Pt(432.0), Pt(648.0)));
    assert_eq!(s.margins.outer, Pt(50.0));
}

#[test]
fn style_reads_pagination_keys() {
    let s = PrintStyle::from_toml(
        "page = \"6x9\"\nnote-placement = \"book-end\"\nnote-numbering = \"book\"\nrunning-head-recto = \"none\"\nfolio-position = \"outer\"\nrecto-chapters = true\n",
        Path::new("s.toml"),
    )
    .unwrap();
    assert_eq!(s.page.dimensions(), (Pt(432.0), Pt(648.0)));
    assert_eq!(s.note_placement, NotePlacement::BookEnd);
    assert_eq!(s.note_numbering, NoteNumbering::PerBook);
    assert_eq!(s.running_head_recto, RunningHead::None);
    assert_eq!(s.folio_position, FolioPosition::Outer);
    assert!(s.recto_chapters);
    assert!(PrintStyle::from_toml("note-placement = \"margin\"", Path::new("s.toml")).is_err());
}

#[test]
fn style_rejects_bad_length() {
    assert!(PrintStyle::from_toml("leading = \"12 parsecs\"", Path::new("s.toml")).is_err());
}

fn located(text: &str) -> Vec<(usize, String)> {
    match PrintStyle::from_toml(text, Path::new("s.toml")) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics()
            .into_iter()
            .map(|d| match d.location {
                crate::diag::Location::Path { line, .. } => (line, d.message),
                _ => (0, d.message),
            })
            .collect(),
    }
}

#[test]
fn the_built_in_styles_have_no_problems() {
    for (name, text) in crate::edition::BUILTIN_STYLES {
        let s = PrintStyle::from_toml(text, Path::new(name)).unwrap();
        assert_eq!(s.problems(), [], "{name}");
    }
    assert_eq!(PrintStyle::default().problems(), []);
}

#[test]
fn out_of_range_numbers_are_errors_at_their_key() {
    for (text, needle) in [
        ("body-size = 0\n", "`body-size`"),
        ("x = 1\n", "unknown field"),
        ("leading = -3\n", "`leading`"),
        ("body-size = 1e308\n", "`body-size`"),
        ("note-size = \"500pt\"\n", "`note-size`"),
        ("tolerance = 1e9\n", "`tolerance`"),
        ("tolerance = nan\n", "`tolerance`"),
        ("hyphen-penalty = -inf\n", "`hyphen-penalty`"),
        ("looseness = 1000\n", "`looseness`"),
        ("expansion-limit = 5\n", "`expansion-limit`"),
        ("hyphen-min-before = 0\n", "`hyphen-min-before`"),
        ("max-hyphen-run = 0\n", "`max-hyphen-run`"),
        ("paragraph-indent = \"-1pt\"\n", "`paragraph-indent`"),
        ("emergency-stretch = \"1000mm\"\n", "`emergency-stretch`"),
    ] {
        let text = format!("justify = true\n{text}");
        let got = located(&text);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert_eq!(got[0].0, 2, "{text}: {got:?}");
        assert!(got[0].1.contains(needle), "{text}: {got:?}");
    }
}

#[test]
fn page_sizes_stay_within_pdf_limits() {
    for page in [
        "{ custom = { width = 2, height = 500 } }",
        "{ custom = { width = 20000, height = 500 } }",
        "{ custom = { width = -100, height = 500 } }",
    ] {
        let got = located(&format!("justify = true\npage = {page}\n"));
        assert_eq!(got[0].0, 2, "{page}: {got:?}");
        assert!(got[0].1.contains("PDF allows"), "{got:?}");
    }
    let got = located("page = \"custom\"\n");
    assert!(got[0].1.starts_with("`page` must be `a5`"), "{got:?}");
    assert!(!got[0].1.contains("variant"), "{got:?}");
}

#[test]
fn geometry_is_checked_as_a_whole() {
    // The text block.
    let got = located("[margins]\ntop = 10\nbottom = 40\ninner = \"70mm\"\nouter = \"70mm\"\n");
    assert!(
        got.iter().any(|(l, m)| *l == 4 && m.contains("three ems")),
        "{got:?}"
    );
    let got = located("[margins]\ntop = \"100mm\"\nbottom = \"100mm\"\ninner = 40\nouter = 40\n");
    assert!(
        got.iter()
            .any(|(l, m)| *l == 2 && m.contains("three lines")),
        "{got:?}"
    );
    // Running heads and folios inside the page.
    let got = located("[margins]\ntop = 10\nbottom = 60\ninner = 40\nouter = 40\n");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].1.contains("running heads"), "{got:?}");
    let got = located(
        "running-head-verso = \"none\"\nrunning-head-recto = \"none\"\n[margins]\ntop = 10\nbottom = 60\ninner = 40\nouter = 40\n",
    );
    assert_eq!(got, []);
    let got = located("[margins]\ntop = 60\nbottom = 10\ninner = 40\nouter = 40\n");
    assert!(got[0].1.contains("folios"), "{got:?}");
    assert_eq!(got[0].0, 3, "{got:?}");
    let got = located("[margins]\ntop = -1\nbottom = 60\ninner = 40\nouter = 40\n");
    assert!(got[0].1.contains("negative"), "{got:?}");
}

#[test]
fn fonts_and_hyphenation_patterns_must_exist() {
    let got = located("hyphenation-language = \"de\"\n");
    assert!(
        got[0].1.contains("no hyphenation patterns for `de`"),
        "{got:?}"
    );
    assert!(located("hyphenation-language = \"en-GB\"\n").is_empty());
    let got = located("hyphenation-language = \"not a tag\"\n");
    assert!(got[0].1.contains("BCP 47"), "{got:?}");
    let got = located("[fonts]\nbody = \"Helvetica\"\nfallback = [\"DejaVu Sans\", \"Nope\"]\n");
    assert_eq!(
        got.iter().map(|g| g.0).collect::<Vec<_>>(),
        [2, 3],
        "{got:?}"
    );
    assert!(located("[fonts]\nbody = \"dejavu serif\"\n").is_empty());
}

#[test]
fn wrong_kinds_name_the_key_and_what_it_takes() {
    let got = located("running-head-verso = 3\n");
    assert_eq!(
        got[0].1,
        "`running-head-verso` must be one of `book`, `chapter`, `none`"
    );
    let got = located("body-size = 2024-01-01\n");
    assert!(got[0].1.contains("length"), "{got:?}");
    let got = located("hyphen-min-after = 300\n");
    assert!(got[0].1.contains("from 1 to 10"), "{got:?}");
}
