//! Times transcript verification on a generated 100,000-word transcript, and prints the
//! example article checked against the demo transcript.
//!
//! ```sh
//! cargo run --release -p verbatim --example verify_bench [WORDS]
//! ```

use std::time::Instant;
use verbatim::transcript::{self, Verifier};
use verbatim::Extractor;

const ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");
const DEMO: &str = include_str!("../../../examples/obama-medvedev-transcript.txt");

/// A speaker-labelled transcript of at least `words` words: the article's sentences recombined
/// at random under four speakers, with the real exchange in the middle.
fn big_transcript(words: usize) -> String {
    let sentences: Vec<&str> = ARTICLE
        .split(['.', '\n'])
        .map(str::trim)
        .filter(|s| s.split_whitespace().count() >= 3)
        .collect();
    let speakers = ["OBAMA", "MEDVEDEV", "RHODES", "BLAIR"];
    let mut state = 0x5eed_1234_abcd_ef01u64;
    let mut below = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut out = String::from("Setting: overheard\n\n");
    let (mut count, mut inserted) = (0, false);
    while count < words {
        if !inserted && count >= words / 2 {
            let body = DEMO.split_once("\n\n").map_or(DEMO, |(_, b)| b);
            out.push_str(body);
            out.push('\n');
            count += body.split_whitespace().count();
            inserted = true;
        }
        out.push_str(speakers[below(speakers.len())]);
        out.push(':');
        for _ in 0..1 + below(4) {
            let s = sentences[below(sentences.len())];
            out.push(' ');
            out.push_str(s);
            out.push('.');
            count += s.split_whitespace().count();
        }
        out.push_str("\n\n");
    }
    out
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let words: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let extractor = Extractor::new();
    let quotes = extractor.extract(ARTICLE);

    // The article against the demo transcript.
    let demo = transcript::parse(DEMO, None).expect("demo transcript");
    println!(
        "{:<11} {:<6} {:<8} {:<40} diff",
        "verdict", "turn", "speaker", "quoted"
    );
    for v in transcript::verify_article(ARTICLE, &quotes, &demo) {
        let quoted: String = v.quoted.chars().take(38).collect();
        println!(
            "{:<11} {:<6} {:<8} {:<40} {}",
            v.verdict.as_str(),
            v.turn.map_or("-".into(), |t| t.to_string()),
            v.speaker_matches
                .map_or("?", |m| if m { "same" } else { "DIFFERS" }),
            quoted,
            v.diff_string()
        );
    }

    let src = big_transcript(words);
    let t0 = Instant::now();
    let t = transcript::parse(&src, None).expect("generated transcript");
    let parse_ms = ms(t0);
    let t1 = Instant::now();
    let verifier = Verifier::new(&t);
    let index_ms = ms(t1);
    let t2 = Instant::now();
    let results: Vec<_> = quotes
        .iter()
        .enumerate()
        .map(|(i, q)| verifier.check_quote(ARTICLE, q, i))
        .collect();
    let check_ms = ms(t2);
    let t3 = Instant::now();
    let edited = verifier.check(
        "After my election I have more freedom",
        verbatim::Kind::Direct,
        Some("Barack Obama"),
    );
    let one_ms = ms(t3);
    println!();
    println!(
        "transcript: {} words ({} indexed), {} turns, {} bytes",
        src.split_whitespace().count(),
        verifier.word_count(),
        t.turns.len(),
        src.len()
    );
    println!("parse {parse_ms:.1} ms, index {index_ms:.1} ms");
    println!(
        "verify {} article quotes: {check_ms:.1} ms ({:.2} ms/quote); one edited quote: {one_ms:.2} ms",
        results.len(),
        check_ms / results.len().max(1) as f64
    );
    println!(
        "total parse + index + verify: {:.1} ms",
        parse_ms + index_ms + check_ms
    );
    println!(
        "edited check: {} {}",
        edited.verdict.as_str(),
        edited.diff_string()
    );
}
