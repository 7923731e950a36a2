//! samizdat: a book compiler. One Markdown book goes in; EPUB 3 and typeset
//! PDF editions come out.
//!
//! The pipeline: [`config`] reads `book.toml`, [`markdown`] builds the shared
//! [`doc::Book`] once, and the backends borrow it. See ARCHITECTURE.md.

pub mod diag;
pub mod doc;
pub mod epub;
pub mod source;
