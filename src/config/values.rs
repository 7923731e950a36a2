//! The checks of `book.toml` values that parse but may be wrong: BCP 47
//! language tags, ISO 8601 dates, and how a value is shown in a message.

use std::ops::Range;

/// Checks that `tag` is a well-formed BCP 47 language tag (the syntax of
/// RFC 5646, section 2.1; whether its subtags are registered is not
/// checked). The error says what is wrong and what to write instead.
pub fn check_language(tag: &str) -> std::result::Result<(), String> {
    if is_language_tag(tag) {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a BCP 47 language tag (write e.g. `en`, `en-GB`, `pt-BR`, `zh-Hant`)",
            shown(tag)
        ))
    }
}

/// RFC 5646, section 2.1: `langtag / privateuse / grandfathered`, read
/// subtag by subtag (case does not matter, section 2.1.1).
fn is_language_tag(tag: &str) -> bool {
    // The grandfathered tags of section 2.2.8 (some of which do not match
    // the `langtag` production).
    const GRANDFATHERED: &[&str] = &[
        "en-gb-oed",
        "i-ami",
        "i-bnn",
        "i-default",
        "i-enochian",
        "i-hak",
        "i-klingon",
        "i-lux",
        "i-mingo",
        "i-navajo",
        "i-pwn",
        "i-tao",
        "i-tay",
        "i-tsu",
        "sgn-be-fr",
        "sgn-be-nl",
        "sgn-ch-de",
        "art-lojban",
        "cel-gaulish",
        "no-bok",
        "no-nyn",
        "zh-guoyu",
        "zh-hakka",
        "zh-min",
        "zh-min-nan",
        "zh-xiang",
    ];
    if tag.is_empty() || tag.len() > 128 || !tag.is_ascii() {
        return false;
    }
    let lower = tag.to_ascii_lowercase();
    if GRANDFATHERED.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    let alpha = |s: &str, len: Range<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
    };
    let alnum = |s: &str, len: Range<usize>| {
        len.contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    // privateuse = "x" 1*("-" (1*8alphanum))
    let privateuse = |rest: &[&str]| !rest.is_empty() && rest.iter().all(|s| alnum(s, 1..9));
    let at = |i: usize| subtags.get(i).copied();
    if at(0) == Some("x") {
        return privateuse(&subtags[1..]);
    }
    // language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA. The longer
    // forms are well-formed but reserved (section 2.2.1): the registry has
    // no such subtag, and `english` or `french` is a mistake, so they are
    // refused.
    let Some(language) = at(0) else { return false };
    if !alpha(language, 2..4) {
        return false;
    }
    let mut i = 1;
    if language.len() <= 3 {
        // extlang = 3ALPHA *2("-" 3ALPHA)
        let mut n = 0;
        while n < 3 && at(i).is_some_and(|s| alpha(s, 3..4)) {
            i += 1;
            n += 1;
        }
    }
    // ["-" script], script = 4ALPHA
    if at(i).is_some_and(|s| alpha(s, 4..5)) {
        i += 1;
    }
    // ["-" region], region = 2ALPHA / 3DIGIT
    if at(i).is_some_and(|s| alpha(s, 2..3) || digits(s, 3)) {
        i += 1;
    }
    // *("-" variant), variant = 5*8alphanum / (DIGIT 3alphanum)
    while at(i)
        .is_some_and(|s| alnum(s, 5..9) || (alnum(s, 4..5) && s.as_bytes()[0].is_ascii_digit()))
    {
        i += 1;
    }
    // *("-" extension), extension = singleton 1*("-" (2*8alphanum))
    while let Some(s) = at(i) {
        if s == "x" || !alnum(s, 1..2) {
            break;
        }
        i += 1;
        let first = i;
        while at(i).is_some_and(|s| alnum(s, 2..9)) {
            i += 1;
        }
        if i == first {
            return false;
        }
    }
    // ["-" privateuse]
    match at(i) {
        None => true,
        Some("x") => privateuse(&subtags[i + 1..]),
        Some(_) => false,
    }
}

/// Checks that `date` is a real ISO 8601 date as EPUB's `dc:date` takes it
/// (the W3C profile of ISO 8601: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a date
/// and time `YYYY-MM-DDThh:mm[:ss[.f]]` with `Z` or an offset).
/// `2023-02-30` is refused.
pub fn check_date(date: &str) -> std::result::Result<(), String> {
    date_ymd(date).map(|_| ())
}

/// The year, month and day of an ISO 8601 date (see [`check_date`]; month
/// and day are 1 where the date leaves them out), or why it is not one.
pub fn date_ymd(date: &str) -> std::result::Result<(i64, i64, i64), String> {
    let bad = || {
        format!(
            "`{}` is not an ISO 8601 date (write e.g. `2024-05-01`, `2024-05` or `2024`)",
            shown(date)
        )
    };
    let number = |s: &str, n: usize| -> Option<i64> {
        (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (day_part, time) = match date.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (date, None),
    };
    let mut parts = day_part.split('-');
    let year = parts.next().and_then(|y| number(y, 4)).ok_or_else(bad)?;
    let month = parts
        .next()
        .map(|m| number(m, 2).ok_or_else(bad))
        .transpose()?;
    let day = parts
        .next()
        .map(|d| number(d, 2).ok_or_else(bad))
        .transpose()?;
    if parts.next().is_some() {
        return Err(bad());
    }
    let m = month.unwrap_or(1);
    if !(1..=12).contains(&m) {
        return Err(format!(
            "`{date}` is not a real date: there is no month {m}"
        ));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let d = day.unwrap_or(1);
    if !(1..=days_in_month).contains(&d) {
        return Err(format!(
            "`{}` is not a real date: month {m} of {year} has {days_in_month} days",
            shown(date)
        ));
    }
    if let Some(time) = time
        && (day.is_none() || !is_iso_time(time))
    {
        return Err(bad());
    }
    Ok((year, m, d))
}

/// `hh:mm[:ss[.fraction]]`, then nothing, `Z` or `±hh:mm`.
fn is_iso_time(t: &str) -> bool {
    let (clock, offset) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let num = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|v| v <= max)
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((a, f)) => (a, Some(f)),
        None => (clock, None),
    };
    let fields: Vec<&str> = hms.split(':').collect();
    let clock_ok = match fields.as_slice() {
        [h, m] => num(h, 23) && num(m, 59) && fraction.is_none(),
        // 60: a leap second.
        [h, m, s] => num(h, 23) && num(m, 59) && num(s, 60),
        _ => false,
    } && fraction
        .is_none_or(|f| !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()));
    let offset_ok = match offset {
        "" | "Z" | "z" => true,
        o => matches!(o[1..].split_once(':'), Some((h, m)) if num(h, 23) && num(m, 59)),
    };
    clock_ok && offset_ok
}

/// `s` as a message shows it: control characters escaped, and cut after
/// 40 characters so that a huge value does not flood the terminal.
pub fn shown(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_follow_rfc_5646_syntax() {
        for ok in [
            "en",
            "en-GB",
            "EN-gb",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn",
            "es-419",
            "de-CH-1996",
            "sl-rozaj-biske",
            "en-US-x-twain",
            "x-private",
            "i-klingon",
            "zh-min-nan",
            "en-a-bbb-x-a-ccc",
            "yue-Hant-HK",
            "zh-cmn-Hans-CN",
        ] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "e",
            "english please",
            "en_GB",
            "en-",
            "-en",
            "en--GB",
            "123",
            "en-GB-",
            "toolonglanguage",
            "english",
            "fran",
            "en-a",
            "en-x",
            "a-DE",
            "en-ΓΒ",
            "en\u{0}",
        ] {
            assert!(check_language(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates_must_be_real() {
        for ok in [
            "2024",
            "2024-05",
            "2024-05-01",
            "2024-02-29",
            "2000-02-29",
            "2024-05-01T10:00:00Z",
            "1979-05-27T07:32:00-08:00",
            "2024-05-01T10:00",
            "2024-05-01T10:00:00.5+01:00",
        ] {
            assert!(check_date(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "soon",
            "2023-02-29",
            "1900-02-29",
            "2023-02-30",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-5-1",
            "24-05-01",
            "2024-05-01T25:00",
            "2024-05-01T10:00:00+1",
            "2024-05T10:00",
            "31/01/2025",
            "2024-05-01-02",
        ] {
            assert!(check_date(bad).is_err(), "{bad:?}");
        }
        assert_eq!(date_ymd("2024-05"), Ok((2024, 5, 1)));
    }
}
