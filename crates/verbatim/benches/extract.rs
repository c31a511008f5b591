//! `cargo bench -p verbatim`: extraction speed on the example article (plain `std` timing, no
//! harness: the whole-corpus figure comes from scripts/throughput.sh).

use std::time::Instant;

const ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");

fn main() {
    let extractor = verbatim::Extractor::new();
    let words = ARTICLE.split_whitespace().count();
    // Warm up, then take the best of five rounds of 200 extractions.
    for _ in 0..20 {
        std::hint::black_box(extractor.extract(ARTICLE));
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..200 {
            std::hint::black_box(extractor.extract(ARTICLE));
        }
        best = best.min(t.elapsed().as_secs_f64() / 200.0);
    }
    println!(
        "extract example article ({words} words): {:.1} µs per document, {:.0} words/s on one core",
        best * 1e6,
        words as f64 / best
    );
}
