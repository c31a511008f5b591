//! Arbitrary bytes through the CLI's input readers: the JSONL reader (as a file, with and
//! without metadata), the plain-text reader and the standard-input sniffer, and through the
//! bank's query, name and date parsers. No panic; the sniffer loses no byte; and
//! reading only some fields of a JSON line accepts exactly the lines a full parse accepts as
//! objects, with the same values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Read;
use verbatim_cli::input::{self, JsonlDocuments};

fuzz_target!(|data: &[u8]| {
    let mut last_line = 0;
    for item in JsonlDocuments::new(data, "fuzz.jsonl".into()) {
        let origin = match item {
            Ok(doc) => doc.origin,
            Err(skip) => skip.origin,
        };
        let line = origin.line.expect("JSONL items name their line");
        assert!(line > last_line, "lines go forward");
        last_line = line;
    }
    // The reader `ingest` uses keeps each line's metadata: the same lines, in order.
    let plain = JsonlDocuments::new(data, "fuzz.jsonl".into()).count();
    let kept = JsonlDocuments::new(data, "fuzz.jsonl".into()).metadata(true).count();
    assert_eq!(plain, kept, "one item per line either way");
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines() {
            let names = ["id", "text", "x"];
            let some = verbatim_bank::ingest::json_fields(line, &names).ok();
            let full = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| match v {
                    serde_json::Value::Object(mut m) => {
                        m.retain(|k, _| names.contains(&k.as_str()));
                        Some(m)
                    }
                    _ => None,
                });
            assert_eq!(some, full, "{line:?}");
        }
    }
    // What the bank makes of text typed or scanned: search queries, speaker names, the names
    // a document mentions. No panic, and queries stay within their limits.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(Some(q)) = verbatim_bank::query::fts_query(text) {
            assert!(q.matches(" AND ").count() < verbatim_bank::query::MAX_QUERY_WORDS);
        }
        if let Some(n) = verbatim_bank::names::parse_name(text) {
            let _ = verbatim_bank::names::without_initials(&n.key);
        }
        let _ = verbatim_bank::names::DocNames::scan(text, [text]);
        // A date read in any form is a real day, and reads back the same as YYYY-MM-DD.
        if let Ok(d) = verbatim_bank::dates::Date::parse(text) {
            let iso = verbatim_bank::dates::Date::parse(&d.iso()).expect("its own ISO form");
            assert_eq!(iso, d, "{text:?}");
        }
    }
    let _ = input::text_document(data.to_vec(), "fuzz".into(), "fuzz.txt".into());
    let (mut reader, _) = input::sniff(data).expect("reading a slice cannot fail");
    let mut all = Vec::new();
    reader
        .read_to_end(&mut all)
        .expect("reading a slice cannot fail");
    assert_eq!(all, data);
});
