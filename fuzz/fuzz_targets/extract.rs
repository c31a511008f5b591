//! Arbitrary bytes (as lossy UTF-8) through the engine and all three writers: no panic, every
//! span a slice of the text, and JSONL output that parses; and a word cache kept across all
//! the inputs gives the same quotes as a fresh extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::{Mutex, OnceLock};
use verbatim::{Extractor, WordCache};
use verbatim_cli::output::{self, Format};

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
static WORDS: Mutex<Option<WordCache>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ex = EXTRACTOR.get_or_init(Extractor::new);
    let quotes = ex.extract(&text);
    let mut words = WORDS.lock().unwrap();
    let cached = ex.extract_with(&text, words.get_or_insert_with(WordCache::new));
    assert_eq!(cached, quotes, "the word cache changed the output");
    output::check_spans(&text, &quotes).expect("every span is a slice of the text");
    let jsonl = output::render(Format::Jsonl, "fuzz", &text, &quotes, 120);
    let doc: serde_json::Value = serde_json::from_slice(&jsonl).expect("JSONL output parses");
    assert_eq!(doc["quotes"].as_array().map(Vec::len), Some(quotes.len()));
    output::render(Format::Csv, "fuzz", &text, &quotes, 120);
    output::render(Format::Table, "fuzz", &text, &quotes, 80);
});
