//! Typesetting: the shared book tree → our page model.
pub mod fonts;
pub mod hyphenate;
pub mod linebreak;
pub mod shape;
