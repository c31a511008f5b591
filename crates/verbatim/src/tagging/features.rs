//! Attribution features.
