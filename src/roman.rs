//! Roman numerals: the one table, for page folios (`xiv`), part numbers
//! (`XIV`) and telling a chapter titled by its number (`IV`).

/// Values and lower-case numerals, largest first, subtractive pairs
/// included.
const TABLE: [(u32, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

/// Lower-case Roman numeral of `n` (0 gives an empty string).
pub fn lower(mut n: u32) -> String {
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Whether `w` is a Roman numeral in its usual form, all upper or all
/// lower case (`XIV`, `xiv`; not `IIII`, `Xiv` or `CIVIL`): read greedily,
/// then written back, only the usual form survives the round trip.
pub fn is_numeral(w: &str) -> bool {
    let upper = w.chars().all(|c| c.is_ascii_uppercase());
    if w.is_empty() || w.len() > 15 || !(upper || w.chars().all(|c| c.is_ascii_lowercase())) {
        return false;
    }
    let low = w.to_ascii_lowercase();
    let (mut rest, mut value) = (low.as_str(), 0);
    for (v, s) in TABLE {
        while let Some(r) = rest.strip_prefix(s) {
            value += v;
            rest = r;
        }
    }
    rest.is_empty() && value > 0 && lower(value) == low
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_are_written_and_recognised() {
        assert_eq!(lower(1), "i");
        assert_eq!(lower(4), "iv");
        assert_eq!(lower(14), "xiv");
        assert_eq!(lower(1999), "mcmxcix");
        assert_eq!(lower(0), "");
        assert!(is_numeral("XIV") && is_numeral("xiv"));
        assert!(!is_numeral("IIII") && !is_numeral("CIVIL") && !is_numeral("Xiv"));
    }
}
