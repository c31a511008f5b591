//! `cargo bench -p verbatim`: extraction speed on the example article (plain `std` timing, no
//! harness: the whole-corpus figure comes from scripts/throughput.sh), with a fresh
//! [`verbatim::WordCache`] per document (`extract`) and with one kept across them
//! (`extract_with`, what the CLI and the bank do).

use std::time::Instant;

const ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");

/// Best of five rounds of 200 calls, after 20 to warm up: seconds per call.
fn best(mut f: impl FnMut()) -> f64 {
    for _ in 0..20 {
        f();
    }
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..200 {
            f();
        }
        best = best.min(t.elapsed().as_secs_f64() / 200.0);
    }
    best
}

fn main() {
    let extractor = verbatim::Extractor::new();
    let words = ARTICLE.split_whitespace().count();
    let fresh = best(|| {
        std::hint::black_box(extractor.extract(ARTICLE));
    });
    let mut cache = verbatim::WordCache::new();
    let kept = best(|| {
        std::hint::black_box(extractor.extract_with(ARTICLE, &mut cache));
    });
    for (how, secs) in [("extract", fresh), ("extract_with (cache kept)", kept)] {
        println!(
            "{how}, example article ({words} words): {:.1} µs per document, {:.0} words/s on one core",
            secs * 1e6,
            words as f64 / secs
        );
    }
}
