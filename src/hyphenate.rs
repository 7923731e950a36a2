//! Where a word may break, for both backends: automatic hyphenation by
//! Liang's patterns (the `hyphenation` crate with embedded TeX patterns),
//! soft hyphens, explicit hyphens and dashes. The typesetter takes the
//! breaks of each word ([`Hyphenator::breaks`]) and its line breaker
//! chooses among them; the EPUB writer puts a soft hyphen at each automatic
//! one ([`SoftHyphens`]) and leaves the choice to the reading system. One
//! set of rules serves both, so that a word breaks in the same places in
//! print and on screen.
//!
//! The rules, after TeX and the Chicago Manual of Style:
//! - U+00AD (soft hyphen) is a permitted break with a hyphen; a word that has
//!   one is not hyphenated automatically (the author has chosen, as in TeX).
//! - After a hyphen (U+002D, U+2010) or an en or em dash a break is allowed
//!   without adding anything. U+2011 (non-breaking hyphen) never breaks. A
//!   word with an explicit or non-breaking hyphen is not hyphenated
//!   automatically, as in TeX.
//! - U+2060 (word joiner) forbids the one break where it stands and no
//!   other: in Standard Ebooks' `word\u{2060}—next` the dash may not start a
//!   line, but the break after the dash stays. A word holding a joiner is
//!   left unhyphenated; a no-break space is not a break at all (the caller
//!   keeps it inside the word).
//! - Automatic hyphens go only into runs of letters at least
//!   `min_before + min_after` long (TeX's `\lefthyphenmin` and
//!   `\righthyphenmin`, 2 and 3 by default as in plain TeX, or the print
//!   style's `hyphen-min-before` and `hyphen-min-after`), never into a run
//!   that starts with a capital (names, acronyms) unless asked, nor into
//!   words with digits, `/`, `@`, `:`, `\\` or `_` (URLs, addresses, times).
//! - Patterns exist for English only for now (TeX's en-US patterns serve
//!   every `en` variant); other languages get the other breaks.

use hyphenation::{Hyphenator as _, Language, Load, Standard};

/// What a break inside a word adds at the end of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// A hyphen is set at the end of the line (automatic or soft hyphen).
    Hyphen,
    /// Nothing is added (after an explicit hyphen or a dash).
    Explicit,
}

/// A place inside a word where the line may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordBreak {
    /// Byte offset in the word: the line ends before it.
    pub at: usize,
    /// What is added at the break.
    pub kind: BreakKind,
}

/// Hyphenation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HyphenOptions {
    /// Hyphenate by patterns at all.
    pub auto: bool,
    /// Fewest letters before an automatic hyphen.
    pub min_before: usize,
    /// Fewest letters after an automatic hyphen.
    pub min_after: usize,
    /// Hyphenate words starting with a capital.
    pub capitalised: bool,
}

impl Default for HyphenOptions {
    fn default() -> Self {
        HyphenOptions {
            auto: true,
            min_before: 2,
            min_after: 3,
            capitalised: false,
        }
    }
}

/// Finds break points in words for one language.
#[derive(Debug)]
pub struct Hyphenator {
    dict: Option<Standard>,
    opts: HyphenOptions,
    /// Breaks already found, by (word, auto): a book repeats its words, and
    /// the pattern trie walk is the costly part (Liang's algorithm visits
    /// every substring of the word).
    cache: std::cell::RefCell<BreakCache>,
}

/// Breaks by word, without and with automatic hyphenation (two maps, so a
/// lookup borrows the word rather than copying it into a key).
type BreakCache = [rustc_hash::FxHashMap<Box<str>, std::rc::Rc<[WordBreak]>>; 2];

impl Hyphenator {
    /// A hyphenator for `language` (BCP 47). Languages without embedded
    /// patterns get only soft, explicit and dash breaks.
    pub fn new(language: &str, opts: HyphenOptions) -> Self {
        Hyphenator {
            dict: patterns(language),
            opts,
            cache: Default::default(),
        }
    }

    /// Whether `language` has hyphenation patterns here.
    pub fn has_patterns(&self) -> bool {
        self.dict.is_some()
    }

    /// The settings in force.
    pub fn options(&self) -> HyphenOptions {
        self.opts
    }

    /// Break opportunities inside `word` (which holds no breaking space),
    /// in increasing order. `auto` false turns off pattern hyphenation for
    /// this word (headings, code, URLs).
    pub fn breaks(&self, word: &str, auto: bool) -> std::rc::Rc<[WordBreak]> {
        if let Some(known) = self.cache.borrow()[usize::from(auto)].get(word) {
            return known.clone();
        }
        let found: std::rc::Rc<[WordBreak]> = self.find_breaks(word, auto).into();
        self.cache.borrow_mut()[usize::from(auto)].insert(word.into(), found.clone());
        found
    }

    fn find_breaks(&self, word: &str, auto: bool) -> Vec<WordBreak> {
        let mut out = Vec::new();
        let has_soft = word.contains('\u{AD}');
        let has_joiner = word.contains('\u{2060}');
        let mut has_explicit = false;
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let next = chars.get(k + 1).map(|&(_, n)| n);
            let prev = k.checked_sub(1).map(|p| chars[p].1);
            let joined = next == Some('\u{2060}') || prev == Some('\u{2060}');
            match c {
                '\u{AD}' if k > 0 && next.is_some() && !joined => out.push(WordBreak {
                    at: i,
                    kind: BreakKind::Hyphen,
                }),
                '-' | '\u{2010}' | '–' | '—' => {
                    has_explicit = true;
                    // Break after it, if something precedes and follows and
                    // the next character is not another dash or a joiner. A
                    // joiner before the dash binds the dash to the word it
                    // follows; it says nothing about the break after it.
                    let after = i + c.len_utf8();
                    let ok = k > 0 && next.is_some_and(|n| !is_dash(n) && n != '\u{2060}');
                    if ok {
                        out.push(WordBreak {
                            at: after,
                            kind: BreakKind::Explicit,
                        });
                    }
                }
                '\u{2011}' => has_explicit = true,
                _ => {}
            }
        }
        // FIXME: a colon anywhere refuses the word, so `hyphens:` before a
        // list is never hyphenated; should only a colon with something
        // after it (`10:30`, `https:`) refuse? That would change printed
        // lines, so it waits for a decision.
        let refuse = word
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '/' | '@' | ':' | '\\' | '_'));
        if let Some(dict) = &self.dict
            && auto
            && self.opts.auto
            && !has_soft
            && !has_joiner
            && !has_explicit
            && !refuse
        {
            self.pattern_breaks(dict, word, &mut out);
        }
        out.sort_by_key(|b| b.at);
        out.dedup_by_key(|b| b.at);
        out
    }

    fn pattern_breaks(&self, dict: &Standard, word: &str, out: &mut Vec<WordBreak>) {
        // Each maximal run of letters (an apostrophe inside a word ends a run:
        // "don't" is two runs, and "t" is too short to break).
        let mut start = None;
        let mut runs = Vec::new();
        for (i, c) in word.char_indices() {
            if c.is_alphabetic() {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                runs.push((s, i));
            }
        }
        if let Some(s) = start {
            runs.push((s, word.len()));
        }
        for (a, b) in runs {
            let run = &word[a..b];
            let n = run.chars().count();
            if n < self.opts.min_before + self.opts.min_after {
                continue;
            }
            if !self.opts.capitalised && run.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let char_at: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
            for at in dict.hyphenate(run).breaks {
                let Some(ci) = char_at.iter().position(|&i| i == at) else {
                    continue;
                };
                if ci >= self.opts.min_before && n - ci >= self.opts.min_after {
                    out.push(WordBreak {
                        at: a + at,
                        kind: BreakKind::Hyphen,
                    });
                }
            }
        }
    }
}

/// The patterns for a BCP 47 tag, if the build embeds them: English only
/// for now (US patterns serve every `en` variant), by the primary subtag.
fn patterns(language: &str) -> Option<Standard> {
    // FIXME: only en-US patterns are embedded; other languages need the
    // matching `embed_*` features of the `hyphenation` crate.
    let primary = language.split(['-', '_']).next()?;
    if !primary.eq_ignore_ascii_case("en") {
        return None;
    }
    Standard::from_embedded(Language::EnglishUS)
        .ok()
        .map(|mut d| {
            // We apply our own minima, per run of letters.
            d.minima = (1, 1);
            d
        })
}

/// Soft hyphens for reading systems that cannot hyphenate themselves: a
/// U+00AD SOFT HYPHEN at each automatic break of each word, by the rules
/// above. The reading system shows a hyphen only where it breaks a line,
/// and a reader with its own hyphenation ignores them.
#[derive(Debug)]
pub struct SoftHyphens {
    hyphenator: Hyphenator,
}

impl SoftHyphens {
    /// Soft hyphens for a BCP 47 tag, if the build has its patterns; the
    /// fragments are those of [`HyphenOptions::default`], the print
    /// styles' own defaults.
    pub fn for_language(language: &str) -> Option<Self> {
        let hyphenator = Hyphenator::new(language, HyphenOptions::default());
        hyphenator
            .has_patterns()
            .then_some(SoftHyphens { hyphenator })
    }

    /// `text` with soft hyphens at the automatic breaks of its words. Words
    /// end at the spaces the typesetter breaks lines at (a no-break space
    /// stays inside a word).
    pub fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        for word in text.split_inclusive(is_breaking_space) {
            let mut last = 0;
            for b in self.hyphenator.breaks(word, true).iter() {
                // A soft hyphen the author wrote is already there.
                if b.kind == BreakKind::Hyphen && !word[b.at..].starts_with('\u{AD}') {
                    out.push_str(&word[last..b.at]);
                    out.push('\u{AD}');
                    last = b.at;
                }
            }
            out.push_str(&word[last..]);
        }
        out
    }
}

/// The spaces a line may break at, which end a word: the typesetter's
/// words and the EPUB's soft-hyphenated words are cut at the same ones.
pub fn is_breaking_space(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\r')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '–' | '—')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(h: &Hyphenator, word: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for b in h.breaks(word, true).iter() {
            out.push_str(&word[last..b.at]);
            out.push(match b.kind {
                BreakKind::Hyphen => '=',
                BreakKind::Explicit => '|',
            });
            last = b.at;
        }
        out.push_str(&word[last..]);
        out.replace('\u{AD}', "")
    }

    fn en() -> Hyphenator {
        Hyphenator::new("en", HyphenOptions::default())
    }

    #[test]
    fn hyphenate_by_patterns_with_min_fragments() {
        let h = en();
        assert_eq!(split(&h, "hyphenation"), "hy=phen=a=tion");
        // Two before, three after: "ab" cannot stand alone at the end.
        assert!(!split(&h, "typesetting,").ends_with("=ing,"));
        let strict = Hyphenator::new(
            "en-GB",
            HyphenOptions {
                min_before: 3,
                min_after: 4,
                ..HyphenOptions::default()
            },
        );
        assert_eq!(split(&strict, "hyphenation"), "hyphen=a=tion");
        // Short words never break.
        assert_eq!(split(&h, "into"), "into");
    }

    #[test]
    fn hyphenate_soft_hyphen_is_the_only_break() {
        let h = en();
        assert_eq!(split(&h, "super\u{AD}cali"), "super=cali");
        // A soft hyphen at either end is no break.
        assert_eq!(split(&h, "\u{AD}word\u{AD}"), "word");
    }

    #[test]
    fn hyphenate_word_joiner_and_nbsp_forbid_breaks() {
        let h = en();
        assert_eq!(split(&h, "e-\u{2060}mail"), "e-\u{2060}mail");
        assert_eq!(split(&h, "hyphen\u{2060}ation"), "hyphen\u{2060}ation");
        // A joiner before an em dash (Standard Ebooks' usage) keeps the dash
        // off the start of a line and leaves the break after it.
        assert_eq!(split(&h, "ink\u{2060}—and"), "ink\u{2060}—|and");
        assert_eq!(split(&h, "Dr. N\u{2060}—"), "Dr. N\u{2060}—");
        // A no-break space is kept inside the word and is no break; the
        // letters around it still hyphenate.
        assert_eq!(split(&h, "p.\u{a0}hyphenation"), "p.\u{a0}hy=phen=a=tion");
    }

    #[test]
    fn hyphenate_explicit_hyphens_and_dashes_break_after() {
        let h = en();
        assert_eq!(split(&h, "well-known"), "well-|known");
        assert_eq!(split(&h, "1914–1918"), "1914–|1918");
        assert_eq!(split(&h, "this—that"), "this—|that");
        // Not at the edges, not inside a run of dashes, never at U+2011.
        assert_eq!(split(&h, "-known"), "-known");
        assert_eq!(split(&h, "known-"), "known-");
        assert_eq!(split(&h, "a--b"), "a--|b");
        assert_eq!(split(&h, "non\u{2011}breaking"), "non\u{2011}breaking");
    }

    #[test]
    fn hyphenate_leaves_capitals_urls_and_numbers() {
        let h = en();
        assert_eq!(split(&h, "Constantinople"), "Constantinople");
        let caps = Hyphenator::new(
            "en",
            HyphenOptions {
                capitalised: true,
                ..HyphenOptions::default()
            },
        );
        assert_ne!(split(&caps, "Constantinople"), "Constantinople");
        assert_eq!(
            split(&h, "https://example.org/typesetting"),
            "https://example.org/typesetting"
        );
        assert_eq!(split(&h, "typesetting2"), "typesetting2");
        assert!(h.breaks("typesetting", false).is_empty());
    }

    #[test]
    fn hyphenate_unknown_language_keeps_explicit_breaks() {
        let h = Hyphenator::new("xx", HyphenOptions::default());
        assert_eq!(split(&h, "hyphenation"), "hyphenation");
        assert_eq!(split(&h, "well-known"), "well-|known");
    }

    #[test]
    fn soft_hyphens_go_into_long_words_only() {
        let h = SoftHyphens::for_language("en-GB").unwrap();
        let out = h.apply("The bureaucracy’s hyphenation, again.");
        assert_eq!(
            out.replace('\u{AD}', "-"),
            "The bu-reau-cracy’s hy-phen-a-tion, again."
        );
        assert_eq!(h.apply("short words"), "short words");
        // The typesetter's rules: capitals, explicit hyphens, an author's
        // soft hyphen and addresses are left alone.
        for same in [
            "Constantinople",
            "self-determination",
            "super\u{AD}calification",
            "https://example.org/typesetting",
        ] {
            assert_eq!(h.apply(same), same);
        }
        // Five letters break two and three, as in print.
        assert_eq!(
            h.apply("hyphenation paper").replace('\u{AD}', "-"),
            "hy-phen-a-tion pa-per"
        );
    }

    #[test]
    fn soft_hyphens_only_for_embedded_languages() {
        assert!(SoftHyphens::for_language("fr").is_none());
        assert!(SoftHyphens::for_language("").is_none());
    }
}
