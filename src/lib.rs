//! samizdat: a book compiler. One Markdown book goes in; EPUB 3 and typeset
//! PDF editions come out.
//!
//! The pipeline: [`config`] reads `book.toml`, [`markdown`] builds the shared
//! [`doc::Book`] once, and the backends borrow it. See ARCHITECTURE.md.

pub mod build;
pub mod cli;
pub mod config;
pub mod diag;
pub mod doc;
pub mod dump;
pub mod edition;
pub mod epub;
pub mod files;
pub mod frontmatter;
pub mod html;
pub mod hyphenate;
pub mod image;
pub mod impose;
pub mod include;
pub mod labels;
pub mod load;
pub mod markdown;
pub mod marks;
pub mod output;
pub mod pdf;
pub mod roman;
pub mod source;
pub mod style;
pub mod svg;
pub mod typeset;
pub mod units;
