//! Arbitrary bytes through the CLI's input readers: the JSONL reader (as a file), the
//! plain-text reader and the standard-input sniffer. No panic; the sniffer loses no byte; and
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
    let _ = input::text_document(data.to_vec(), "fuzz".into(), "fuzz.txt".into());
    let (mut reader, _) = input::sniff(data).expect("reading a slice cannot fail");
    let mut all = Vec::new();
    reader
        .read_to_end(&mut all)
        .expect("reading a slice cannot fail");
    assert_eq!(all, data);
});
