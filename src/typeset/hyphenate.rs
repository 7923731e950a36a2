//! The typesetter's view of hyphenation: the break points of a word, from
//! the one set of rules both backends use (`crate::hyphenate`).

pub use crate::hyphenate::{BreakKind, HyphenOptions, Hyphenator, WordBreak};
