//! Arbitrary bytes (as lossy UTF-8) through the engine and all three writers: no panic, every
//! span a slice of the text, and JSONL output that parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use verbatim::Extractor;
use verbatim_cli::output::{self, Format};

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let quotes = EXTRACTOR.get_or_init(Extractor::new).extract(&text);
    output::check_spans(&text, &quotes).expect("every span is a slice of the text");
    let jsonl = output::render(Format::Jsonl, "fuzz", &text, &quotes, 120);
    let doc: serde_json::Value = serde_json::from_slice(&jsonl).expect("JSONL output parses");
    assert_eq!(doc["quotes"].as_array().map(Vec::len), Some(quotes.len()));
    output::render(Format::Csv, "fuzz", &text, &quotes, 120);
    output::render(Format::Table, "fuzz", &text, &quotes, 80);
});
