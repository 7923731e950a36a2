//! Line-breaker tests on a toy font: every character 6 pt wide, spaces
//! 6 pt plus 3 minus 2, `=` marks a hyphenation point (hyphen 6 pt).

use super::*;

const CHAR: f64 = 6.0;

fn items(text: &str, prot: bool, expand: f64) -> Vec<Item> {
    let mut out = Vec::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(Item::Glue {
                width: Pt(6.0),
                stretch: Pt(3.0),
                shrink: Pt(2.0),
                fil: false,
            });
        }
        for (j, frag) in word.split('=').enumerate() {
            if j > 0 {
                out.push(Item::Penalty {
                    width: Pt(CHAR),
                    penalty: 50.0,
                    flagged: true,
                    protrude_right: Pt(if prot { CHAR * 0.5 } else { 0.0 }),
                });
            }
            let n = frag.chars().count() as f64;
            let last = frag.chars().last();
            let hang = prot && matches!(last, Some('.' | ','));
            out.push(Item::Box {
                width: Pt(n * CHAR),
                expand: Pt(n * CHAR * expand),
                protrude_left: Pt::ZERO,
                protrude_right: Pt(if hang { CHAR * 0.7 } else { 0.0 }),
            });
        }
    }
    out.push(Item::Penalty {
        width: Pt::ZERO,
        penalty: INFINITY,
        flagged: false,
        protrude_right: Pt::ZERO,
    });
    out.push(Item::Glue {
        width: Pt::ZERO,
        stretch: Pt::ZERO,
        shrink: Pt::ZERO,
        fil: true,
    });
    out.push(Item::Penalty {
        width: Pt::ZERO,
        penalty: -INFINITY,
        flagged: false,
        protrude_right: Pt::ZERO,
    });
    out
}

/// The text of each line, with `-` where a hyphen was set.
fn lines_of(text: &str, lines: &[Line]) -> Vec<String> {
    // Map item indices back to fragments.
    let mut frags: Vec<Option<String>> = Vec::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            frags.push(Some(" ".into()));
        }
        for (j, frag) in word.split('=').enumerate() {
            if j > 0 {
                frags.push(None);
            }
            frags.push(Some(frag.to_string()));
        }
    }
    lines
        .iter()
        .map(|l| {
            let mut s = String::new();
            for f in frags
                .iter()
                .take(l.end.min(frags.len()))
                .skip(l.start)
                .flatten()
            {
                s.push_str(f);
            }
            if l.hyphenated {
                s.push('-');
            }
            s.trim_end().to_string()
        })
        .collect()
}

const TEXT: &str = "In olden times when wish=ing still helped one there lived a king \
whose daugh=ters were all beau=ti=ful and the youngest was so beau=ti=ful that the \
sun it=self which has seen so much was aston=ished when=ever it shone in her face.";

#[test]
fn linebreak_known_breaks_at_fixed_measure() {
    let params = Params {
        measure: Pt(40.0 * CHAR),
        ..Params::default()
    };
    let it = items(TEXT, false, 0.0);
    let lines = linebreak(&it, &params);
    let text = lines_of(TEXT, &lines);
    assert_eq!(
        text,
        [
            "In olden times when wishing still helped",
            "one there lived a king whose daughters",
            "were all beautiful and the youngest was",
            "so beautiful that the sun itself which",
            "has seen so much was astonished whenever",
            "it shone in her face.",
        ]
    );
    for l in &lines[..lines.len() - 1] {
        assert!(l.badness <= 100.0, "{l:?}");
        assert_eq!(l.overfull, Pt::ZERO);
    }
    // The last line is set at its natural width.
    assert_eq!(lines.last().unwrap().glue_ratio, 0.0);
}

#[test]
fn linebreak_hyphenates_only_when_it_must() {
    let it = items(TEXT, false, 0.0);
    // Somewhere between narrow and wide measures the breaker needs hyphens.
    let hyphenating: Vec<u32> = (12..40)
        .filter(|&m| {
            let params = Params {
                measure: Pt(f64::from(m) * CHAR),
                ..Params::default()
            };
            linebreak(&it, &params).iter().any(|l| l.hyphenated)
        })
        .collect();
    assert!(!hyphenating.is_empty());
    // At a comfortable measure the first pass succeeds without hyphens.
    let wide = Params {
        measure: Pt(40.0 * CHAR),
        ..Params::default()
    };
    assert!(linebreak(&it, &wide).iter().all(|l| !l.hyphenated));
}

#[test]
fn linebreak_consecutive_hyphens_cost_more() {
    let it = items(TEXT, false, 0.0);
    let count_runs = |double: f64| {
        let mut best = 0;
        for m in 14..30 {
            let params = Params {
                measure: Pt(f64::from(m) * CHAR),
                pretolerance: -1.0,
                double_hyphen_demerits: double,
                ..Params::default()
            };
            let lines = linebreak(&it, &params);
            let runs = lines
                .windows(2)
                .filter(|w| w[0].hyphenated && w[1].hyphenated)
                .count();
            best += runs;
        }
        best
    };
    assert!(count_runs(1e7) <= count_runs(0.0));
}

#[test]
fn linebreak_overfull_word_is_reported() {
    let text = "a verylongunbreakablewordhere b";
    let params = Params {
        measure: Pt(10.0 * CHAR),
        emergency_stretch: Pt(12.0),
        ..Params::default()
    };
    let lines = linebreak(&items(text, false, 0.0), &params);
    let over: Vec<_> = lines.iter().filter(|l| l.overfull > Pt::ZERO).collect();
    assert_eq!(over.len(), 1, "{lines:#?}");
    // 27 characters on a line of 10, no glue to shrink.
    assert!((over[0].overfull.0 - 17.0 * CHAR).abs() < 1e-6);
    assert_eq!(lines_of(text, &lines)[1], "verylongunbreakablewordhere");
}

#[test]
fn linebreak_emergency_stretch_avoids_overfull() {
    // Two long words that cannot share a line and a short one: without
    // emergency stretch the lines are too loose for the tolerance, but
    // the final pass accepts a loose line rather than an overfull one.
    let text = "abcdefgh ijklmnop qr";
    let params = Params {
        measure: Pt(14.0 * CHAR),
        emergency_stretch: Pt(3.0 * CHAR),
        ..Params::default()
    };
    let lines = linebreak(&items(text, false, 0.0), &params);
    assert!(lines.iter().all(|l| l.overfull == Pt::ZERO), "{lines:#?}");
    assert_eq!(lines.len(), 2);
}

#[test]
fn linebreak_protrusion_lets_punctuation_hang() {
    // "aaaa bbbb." is 10 chars; at a measure of 9.5 chars it only fits if
    // the full stop hangs 0.7 of its width into the margin.
    let text = "aaaa bbbb. cc";
    let measure = Pt(9.5 * CHAR);
    let params = Params {
        measure,
        pretolerance: 10000.0,
        tolerance: 10000.0,
        ..Params::default()
    };
    let plain = linebreak(&items(text, false, 0.0), &params);
    assert_eq!(lines_of(text, &plain)[0], "aaaa");
    let hung = linebreak(&items(text, true, 0.0), &params);
    assert_eq!(lines_of(text, &hung)[0], "aaaa bbbb.");
    assert!((hung[0].protrusion.1.0 - 0.7 * CHAR).abs() < 1e-9);
}

#[test]
fn linebreak_expansion_evens_spacing() {
    let params = Params {
        measure: Pt(40.0 * CHAR),
        ..Params::default()
    };
    let plain = linebreak(&items(TEXT, false, 0.0), &params);
    let expanded = linebreak(&items(TEXT, false, 0.02), &params);
    // With glyphs taking part of the adjustment, the glue moves less.
    let spread = |ls: &[Line]| {
        ls[..ls.len() - 1]
            .iter()
            .map(|l| l.glue_ratio.abs())
            .fold(0.0, f64::max)
    };
    assert!(spread(&expanded) < spread(&plain));
    for l in &expanded {
        assert!(l.expand_ratio.abs() <= 1.0);
    }
}

#[test]
fn linebreak_looseness_adds_a_line() {
    let base = Params {
        measure: Pt(40.0 * CHAR),
        ..Params::default()
    };
    let it = items(TEXT, false, 0.0);
    let n = linebreak(&it, &base).len();
    let loose = Params {
        looseness: 1,
        tolerance: 10000.0,
        pretolerance: -1.0,
        ..base
    };
    assert_eq!(linebreak(&it, &loose).len(), n + 1);
}

#[test]
fn linebreak_ragged_right_keeps_spaces_natural() {
    let text = TEXT.replace('=', "");
    let mut it = items(&text, false, 0.0);
    for item in &mut it {
        if let Item::Glue {
            stretch,
            shrink,
            fil,
            ..
        } = item
            && !*fil
        {
            *stretch = Pt::ZERO;
            *shrink = Pt::ZERO;
        }
    }
    let params = Params {
        measure: Pt(40.0 * CHAR),
        line_end_stretch: Pt(3.0 * 11.0),
        ..Params::default()
    };
    let lines = linebreak(&it, &params);
    assert!(lines.len() >= 6);
    for l in &lines {
        assert!(l.glue_ratio == 0.0 || !l.glue_ratio.is_finite() || l.glue_ratio.abs() < 1e-9);
    }
}

#[test]
fn linebreak_limits_hyphen_ladders() {
    let it = items(TEXT, false, 0.0);
    for m in 12..40 {
        let params = Params {
            measure: Pt(f64::from(m) * CHAR),
            pretolerance: -1.0,
            tolerance: 10000.0,
            double_hyphen_demerits: 0.0,
            max_hyphen_run: 1,
            ..Params::default()
        };
        let lines = linebreak(&it, &params);
        assert!(
            lines
                .windows(2)
                .all(|w| !(w[0].hyphenated && w[1].hyphenated)),
            "measure {m}: {:#?}",
            lines_of(TEXT, &lines)
        );
    }
}

#[test]
fn linebreak_a_trailing_space_that_overfills_the_last_line_still_breaks() {
    // "abcdefghij abcdefghij " on a line of exactly ten characters: the
    // trailing space is a breakpoint after which no box follows, and the
    // last word with that space is overfull. TeX's rule (§854) gives the
    // last active node that can still reach the end artificial demerits;
    // a node whose line to the end would be empty cannot, so it must not
    // keep the overfull one from being that last hope.
    let word = || Item::Box {
        width: Pt(10.0 * CHAR),
        expand: Pt::ZERO,
        protrude_left: Pt::ZERO,
        protrude_right: Pt::ZERO,
    };
    let space = || Item::Glue {
        width: Pt(6.0),
        stretch: Pt(3.0),
        shrink: Pt(2.0),
        fil: false,
    };
    let items = vec![
        word(),
        space(),
        word(),
        space(),
        Item::Penalty {
            width: Pt::ZERO,
            penalty: INFINITY,
            flagged: false,
            protrude_right: Pt::ZERO,
        },
        Item::Glue {
            width: Pt::ZERO,
            stretch: Pt::ZERO,
            shrink: Pt::ZERO,
            fil: true,
        },
        Item::Penalty {
            width: Pt::ZERO,
            penalty: -INFINITY,
            flagged: false,
            protrude_right: Pt::ZERO,
        },
    ];
    let params = Params {
        measure: Pt(10.0 * CHAR),
        ..Params::default()
    };
    let lines = linebreak(&items, &params);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines.last().unwrap().end, items.len() - 1);
}
