use super::*;

use crate::diag::Location;

/// Loads a one-chapter book whose book.toml ends with `editions`.
fn project(editions: &str) -> Project {
    let dir = std::env::temp_dir().join(format!(
        "samizdat-ed-{}-{:x}",
        std::process::id(),
        editions.len() * 31 + editions.bytes().map(usize::from).sum::<usize>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("c.md"), "# C\n\nText.\n").unwrap();
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"T\"\n\n[contents]\nchapters = [\"c.md\"]\n\n{editions}"),
    )
    .unwrap();
    crate::load::load(&dir).unwrap()
}

fn error(editions: &str) -> Diagnostic {
    let p = project(editions);
    match resolve(&p, Path::new("out")) {
        Err(Error::Config(d)) => d[0].clone(),
        other => panic!("expected an error, got {other:?}"),
    }
}

fn line(d: &Diagnostic) -> usize {
    match d.location {
        Location::Path { line, .. } => line,
        _ => 0,
    }
}

#[test]
fn defaults_are_ereader_and_pamphlet() {
    let p = project("");
    let e = resolve(&p, Path::new("out")).unwrap();
    let names: Vec<_> = e.iter().map(|e| (e.name.as_str(), e.format)).collect();
    assert_eq!(
        names,
        [("ereader", Format::Epub), ("pamphlet", Format::Pdf)]
    );
    assert_eq!(e[0].output, Path::new("out/t-ereader.epub"));
    let Settings::Pdf(pdf) = &e[1].settings else {
        panic!()
    };
    assert_eq!(
        pdf.style,
        PrintStyle::from_toml(BUILTIN_STYLES[0].1, Path::new("x")).unwrap()
    );
}

#[test]
fn edition_values_override_the_style() {
    let p = project(
        "[edition.big]\nformat = \"pdf\"\nstyle = \"large-print\"\nbody-size = \"18pt\"\n\n[edition.big.margins]\ntop = \"30mm\"\n",
    );
    let e = resolve(&p, Path::new("out")).unwrap();
    let Settings::Pdf(pdf) = &e[0].settings else {
        panic!()
    };
    assert_eq!(pdf.style.body_size, Pt(18.0));
    assert_eq!(pdf.style.margins.top, Pt::mm(30.0));
    // Untouched keys keep the style's values.
    assert_eq!(pdf.style.margins.inner, Pt::mm(25.0));
    assert_eq!(pdf.style.page, PageSize::A4);
    assert!(pdf.booklet.is_none());
}

#[test]
fn booklet_sheets_are_landscape() {
    let p = project(
        "[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsheet = \"a4\"\nsignature-sheets = 4\ncreep = \"0.1mm\"\n",
    );
    let e = resolve(&p, Path::new("out")).unwrap();
    let Settings::Pdf(pdf) = &e[0].settings else {
        panic!()
    };
    let b = pdf.booklet.unwrap();
    assert_eq!(b.sheet, Some((Pt::mm(297.0), Pt::mm(210.0))));
    assert_eq!(b.signature_sheets, Some(4));
    assert_eq!(b.creep, Pt::mm(0.1));
}

#[test]
fn note_numbering_is_an_edition_key_in_both_formats() {
    let p = project(
        "[edition.e]\nformat = \"epub\"\nnote-numbering = \"per-book\"\n\n[edition.p]\nformat = \"pdf\"\nnote-numbering = \"book\"\n",
    );
    let e = resolve(&p, Path::new("out")).unwrap();
    let Settings::Epub(epub) = &e[0].settings else {
        panic!()
    };
    assert_eq!(epub.note_numbering, NoteNumbering::PerBook);
    let Settings::Pdf(pdf) = &e[1].settings else {
        panic!()
    };
    assert_eq!(pdf.style.note_numbering, NoteNumbering::PerBook);
}

#[test]
fn crop_marks_take_a_bleed_of_3_mm_by_default() {
    let p = project(
        "[edition.a]\nformat = \"pdf\"\ncrop-marks = true\n\n[edition.b]\nformat = \"pdf\"\ncrop-marks = true\nbleed = \"5mm\"\n\n[edition.c]\nformat = \"pdf\"\n",
    );
    let e = resolve(&p, Path::new("out")).unwrap();
    let marks: Vec<_> = e
        .iter()
        .map(|e| match &e.settings {
            Settings::Pdf(pdf) => pdf.crop_marks,
            Settings::Epub(_) => panic!(),
        })
        .collect();
    assert_eq!(marks, [Some(Pt::mm(3.0)), Some(Pt::mm(5.0)), None]);
}

#[test]
fn tagged_and_pdf_a_are_off_by_default_and_parsed_strictly() {
    let p = project(
        "[edition.a]\nformat = \"pdf\"\ntagged = true\npdf-a = \"2b\"\n\n[edition.b]\nformat = \"pdf\"\n",
    );
    let e = resolve(&p, Path::new("out")).unwrap();
    let got: Vec<_> = e
        .iter()
        .map(|e| match &e.settings {
            Settings::Pdf(pdf) => (pdf.tagged, pdf.pdf_a),
            Settings::Epub(_) => panic!(),
        })
        .collect();
    assert_eq!(got, [(true, Some(PdfA::A2b)), (false, None)]);
    let d = error("[edition.p]\nformat = \"pdf\"\npdf-a = \"3u\"\n");
    assert_eq!(line(&d), 9, "{d:?}");
    assert!(d.message.contains("3u"), "{}", d.message);
    let d = error("[edition.p]\nformat = \"pdf\"\ntagged = \"yes\"\n");
    assert_eq!(line(&d), 9, "{d:?}");
    let d = error("[edition.e]\nformat = \"epub\"\ntagged = true\n");
    assert!(
        d.message.contains("`tagged` is a PDF setting"),
        "{}",
        d.message
    );
}

#[test]
fn a_tagged_booklet_is_refused_at_its_key() {
    let d = error("[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\ntagged = true\n");
    assert_eq!(line(&d), 10, "{d:?}");
    assert!(d.message.contains("cannot be imposed"), "{}", d.message);
}

#[test]
fn unknown_style_key_is_an_error_at_its_line_with_a_hint() {
    let d = error("[edition.p]\nformat = \"pdf\"\nbody-sise = \"12pt\"\n");
    assert_eq!(line(&d), 9);
    assert!(d.message.contains("body-sise"), "{}", d.message);
    assert_eq!(d.hints, ["did you mean `body-size`?"]);
}

#[test]
fn bad_values_are_errors_at_their_line() {
    let d = error("[edition.p]\nformat = \"docx\"\n");
    assert_eq!(line(&d), 8);
    assert!(d.message.contains("docx"), "{}", d.message);
    let d = error("[edition.p]\nformat = \"pdf\"\nleading = \"12 parsecs\"\n");
    assert_eq!(line(&d), 9, "{d:?}");
    let d = error("[edition.p]\nformat = \"pdf\"\nimposition = \"quarto\"\n");
    assert_eq!(line(&d), 9, "{d:?}");
}

#[test]
fn settings_of_the_other_format_are_refused() {
    let d = error("[edition.e]\nformat = \"epub\"\nimposition = \"booklet\"\n");
    assert!(
        d.message.contains("`imposition` is a PDF setting"),
        "{}",
        d.message
    );
    let d = error("[edition.p]\nformat = \"pdf\"\nsoft-hyphens = true\n");
    assert!(
        d.message.contains("`soft-hyphens` is an EPUB setting"),
        "{}",
        d.message
    );
    let d = error("[edition.e]\nformat = \"epub\"\nsoft-hyphen = true\n");
    assert_eq!(d.hints, ["did you mean `soft-hyphens`?"]);
}

#[test]
fn unknown_style_and_page_source_are_errors() {
    let d = error("[edition.p]\nformat = \"pdf\"\nstyle = \"glossy\"\n");
    assert!(d.message.contains("no built-in style `glossy`"));
    assert_eq!(line(&d), 9);
    let d = error("[edition.e]\nformat = \"epub\"\npage-source = \"nope\"\n");
    assert!(d.message.contains("names no PDF edition"), "{}", d.message);
}

fn col(d: &Diagnostic) -> usize {
    match d.location {
        Location::Path { col, .. } => col,
        _ => 0,
    }
}

#[test]
fn overrides_out_of_range_are_errors_at_their_key() {
    for (key, value) in [
        ("body-size", "nan"),
        ("body-size", "1e308"),
        ("leading", "0"),
        ("tolerance", "-1"),
        ("looseness", "99"),
        ("hyphen-penalty", "1e20"),
        ("paragraph-indent", "\"-5mm\""),
    ] {
        let d = error(&format!("[edition.p]\nformat = \"pdf\"\n{key} = {value}\n"));
        assert_eq!((line(&d), col(&d)), (9, 1), "{key} = {value}: {d:?}");
        assert!(
            d.message.contains(key) || d.message.contains("length"),
            "{d:?}"
        );
    }
    let d = error("[edition.p]\nformat = \"pdf\"\n\n[edition.p.margins]\nouter = \"140mm\"\n");
    assert_eq!(line(&d), 11, "{d:?}");
    assert!(d.message.contains("three ems"), "{}", d.message);
    let d = error("[edition.p]\nformat = \"pdf\"\nmargins.top = \"-1mm\"\n");
    assert_eq!((line(&d), col(&d)), (9, 9), "{d:?}");
}

#[test]
fn booklet_geometry_is_checked() {
    let d = error("[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsheet = \"a5\"\n");
    assert_eq!(line(&d), 10, "{d:?}");
    assert!(d.message.contains("cannot hold two"), "{}", d.message);
    let d =
        error("[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsignature-sheets = 65\n");
    assert_eq!(line(&d), 10, "{d:?}");
    let d = error(
        "[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\nsignature-sheets = 10\ncreep = \"2mm\"\n",
    );
    assert!(d.message.contains("inner margin"), "{}", d.message);
    assert_eq!(line(&d), 11, "{d:?}");
    let d = error("[edition.b]\nformat = \"pdf\"\nimposition = \"booklet\"\ncreep = \"-1mm\"\n");
    assert_eq!(line(&d), 10, "{d:?}");
    let d = error("[edition.b]\nformat = \"pdf\"\nsheet = \"a4\"\n");
    assert!(d.message.contains("not imposed"), "{}", d.message);
    let d = error("[edition.b]\nformat = \"pdf\"\ncrop-marks = true\nbleed = \"-3mm\"\n");
    assert_eq!(line(&d), 10, "{d:?}");
    let d = error("[edition.b]\nformat = \"pdf\"\ncrop-marks = true\nbleed = \"1m\"\n");
    assert!(d.message.contains("length"), "{}", d.message);
}

#[test]
fn misspelt_edition_keys_get_a_hint_in_pdf_editions() {
    let d = error("[edition.p]\nformat = \"pdf\"\nimpositon = \"booklet\"\n");
    assert_eq!(line(&d), 9);
    assert_eq!(d.hints, ["did you mean `imposition`?"]);
    let d = error("[edition.p]\nformat = \"pdf\"\n[edition.p.margins]\ntpo = 3\n");
    assert_eq!(line(&d), 10, "{d:?}");
    assert_eq!(d.hints, ["did you mean `top`?"]);
}

#[test]
fn style_file_problems_point_into_the_style_file() {
    let p = project("[edition.p]\nformat = \"pdf\"\nstyle = \"bad.toml\"\n");
    std::fs::write(p.root.join("bad.toml"), "justify = true\nbody-size = 0\n").unwrap();
    let Err(Error::Config(d)) = resolve(&p, Path::new("out")) else {
        panic!()
    };
    assert_eq!(
        d[0].location,
        Location::Path {
            path: p.root.join("bad.toml"),
            line: 2,
            col: 1
        }
    );
}
