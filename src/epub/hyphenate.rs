//! Soft hyphens for reading systems that cannot hyphenate themselves.
//!
//! Liang's patterns (through the `hyphenation` crate, TeX's en-US patterns)
//! give the break points of each word; a U+00AD SOFT HYPHEN goes in at each
//! one. The reading system shows a hyphen only where it breaks a line, and a
//! reader with its own hyphenation ignores them. The PDF typesetter has its
//! own hyphenation step; this one only annotates text.

use hyphenation::{Hyphenator, Language, Load, Standard};

/// Words shorter than this are left alone: with the patterns' own minimum
/// of two letters before and three after a break, a shorter word would at
/// best lose one letter to the next line, which helps no line.
const MIN_WORD_CHARS: usize = 6;

/// Soft-hyphen dictionary for one language.
#[derive(Debug)]
pub(super) struct SoftHyphens {
    dict: Standard,
}

impl SoftHyphens {
    /// The dictionary for a BCP 47 tag, if the build embeds one: English
    /// only for now (US patterns serve every `en` variant).
    pub(super) fn for_language(lang: &str) -> Option<Self> {
        let primary = lang.split(['-', '_']).next()?.to_ascii_lowercase();
        if primary != "en" {
            return None;
        }
        Standard::from_embedded(Language::EnglishUS)
            .ok()
            .map(|dict| SoftHyphens { dict })
    }

    /// `text` with soft hyphens at the break points of its longer words.
    pub(super) fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut word_start = None;
        for (i, c) in text.char_indices() {
            if c.is_alphabetic() {
                word_start.get_or_insert(i);
            } else {
                if let Some(start) = word_start.take() {
                    self.word(&text[start..i], &mut out);
                }
                out.push(c);
            }
        }
        if let Some(start) = word_start {
            self.word(&text[start..], &mut out);
        }
        out
    }

    fn word(&self, word: &str, out: &mut String) {
        if word.chars().count() < MIN_WORD_CHARS {
            out.push_str(word);
            return;
        }
        let breaks = self.dict.hyphenate(word).breaks;
        let mut last = 0;
        for b in breaks {
            if b > last && b < word.len() && word.is_char_boundary(b) {
                out.push_str(&word[last..b]);
                out.push('\u{AD}');
                last = b;
            }
        }
        out.push_str(&word[last..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_hyphens_go_into_long_words_only() {
        let h = SoftHyphens::for_language("en-GB").unwrap();
        let out = h.apply("The bureaucracy’s hyphenation, again.");
        assert_eq!(
            out.replace('\u{AD}', "-"),
            "The bu-reau-cracy’s hy-phen-a-tion, again."
        );
        assert_eq!(h.apply("short words"), "short words");
    }

    #[test]
    fn soft_hyphens_only_for_embedded_languages() {
        assert!(SoftHyphens::for_language("fr").is_none());
        assert!(SoftHyphens::for_language("").is_none());
    }
}
