//! Verbatim: who said what, to whom — quotation extraction and attribution for news text.
//!
//! The pipeline reads top to bottom:
//!
//! 1. [`text`]: tokens, paragraphs, sentences and paired quotation marks (byte offsets inside,
//!    code points at the boundary — [`text::OffsetMap`] is the one converter).
//! 2. [`tagging`]: the statistical models — a part-of-speech tagger and the attribution taggers,
//!    linear models over hashed features, trained by `verbatim train`.
//! 3. [`attribution`]: finds cues, then each cue's source and content; assembles [`Quote`]s.
//! 4. [`resolution`]: resolves each source to the fullest name the document gives.
//!
//! The library does no I/O and keeps no global state: an [`Extractor`] holds the models and
//! is shared freely between threads. A caller extracting many documents keeps a [`WordCache`]
//! per thread ([`Extractor::extract_with`]): what depends on a word's spelling alone is then
//! computed once per thread rather than once per document (the same output, faster).
//!
//! ```
//! let extractor = verbatim::Extractor::new();
//! let quotes = extractor.extract("\"We will win,\" said Senator Jane Smith.");
//! assert_eq!(quotes[0].speaker.as_deref(), Some("Jane Smith"));
//! ```

pub mod attribution;
pub mod conversation;
pub mod forms;
mod hash;
pub mod lexicon;
pub mod resolution;
pub mod tagging;
pub mod text;
pub mod transcript;

pub use attribution::{Extractor, Kind, Quote, Setting};

/// This build's engine code: the crate version and a hash of its sources, word tables
/// included (computed by `build.rs`). With the same models and cue bias, two builds with the
/// same `BUILD` find the same quotes; see [`Extractor::fingerprint`].
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("VERBATIM_SOURCE_HASH"));
pub use forms::WordCache;
pub use text::{CharSpan, OffsetMap, Span};
