//! pos
