//! End-to-end tests of the typesetter on hand-built books, checked in the
//! page model (no PDF).
