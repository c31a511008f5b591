//! The `verbatim` command line, as a library: input readers, output writers and the parallel
//! pipeline that joins them. `src/main.rs` parses the command line and calls into these.
//!
//! Reading order, as data flows:
//!
//! 1. [`input`]: files, directories, JSONL and standard input → a stream of
//!    `Result<Document, Skip>`.
//! 2. [`run`]: the ordered parallel map ([`run::ordered_map`]) and the `extract` command on
//!    top of it ([`run::extract`]), with the progress line from [`progress`].
//! 3. [`output`]: a document's quotes as a table, JSONL (the scorer's schema) or CSV.

#![warn(missing_docs)]

pub mod bank;
pub mod commands;
pub mod input;
pub mod output;
pub mod progress;
pub mod run;
pub mod serve;
