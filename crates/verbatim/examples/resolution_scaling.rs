//! Times extraction and speaker resolution on one long document (1, 2, 4, 8 MB by default),
//! to check that their cost grows about linearly with the document's length.
//!
//! ```sh
//! cargo run --release -p verbatim --example resolution_scaling [--article] [MB...]
//! ```
//!
//! The document repeats the example article and, when `../shared/data/polnear/dev.jsonl` is
//! there (or the file named by `POLNEAR_DEV`) and `--article` is not given, the texts of
//! PolNeAR dev, with paragraph breaks between them. For each size it prints the seconds of the
//! whole extraction and of the resolution alone (the mention layer; every quote's speaker), on
//! a precomputed text and POS, and how they grew since the first size.

use std::path::PathBuf;
use std::time::Instant;
use verbatim::resolution::{resolve_speakers, Mentions};
use verbatim::text::Text;
use verbatim::Extractor;

const ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");

/// Decode the JSON string whose contents start at `s` (just after the opening quote); return
/// it and what follows the closing quote. Crude, but enough for well-formed JSONL.
fn json_string(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut it = s.char_indices();
    while let Some((i, c)) = it.next() {
        match c {
            '"' => return Some((out, &s[i + 1..])),
            '\\' => {
                let (_, e) = it.next()?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'u' => {
                        let hex = |it: &mut std::str::CharIndices<'_>| -> Option<u32> {
                            let mut v = 0;
                            for _ in 0..4 {
                                v = v * 16 + it.next()?.1.to_digit(16)?;
                            }
                            Some(v)
                        };
                        let hi = hex(&mut it)?;
                        let cp = if (0xD800..0xDC00).contains(&hi) {
                            // A surrogate pair: `\uD83D\uDE00`.
                            let rest = it.as_str();
                            if !rest.starts_with("\\u") {
                                return None;
                            }
                            it.next();
                            it.next();
                            let lo = hex(&mut it)?;
                            0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?)
                        } else {
                            hi
                        };
                        out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    None
}

/// The document texts of a PolNeAR JSONL file: the first `"text"` value of every line.
fn polnear_texts() -> Vec<String> {
    let path = std::env::var_os("POLNEAR_DEV").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev.jsonl"),
        PathBuf::from,
    );
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!(
            "(no {}: repeating the example article only)",
            path.display()
        );
        return Vec::new();
    };
    data.lines()
        .filter_map(|line| {
            let at = line.find("\"text\": \"")? + "\"text\": \"".len();
            json_string(&line[at..]).map(|(s, _)| s)
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// A document of at least `bytes` bytes: the example article and the PolNeAR texts, over and
/// over, separated by blank lines.
fn document(parts: &[String], bytes: usize) -> String {
    let mut doc = String::with_capacity(bytes + 64 * 1024);
    'fill: loop {
        for p in parts {
            doc.push_str(p.trim());
            doc.push_str("\n\n");
            if doc.len() >= bytes {
                break 'fill;
            }
        }
    }
    doc
}

/// The shortest of `n` runs of `f`, in seconds, and the last result.
fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.expect("n > 0"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let article_only = args.iter().any(|a| a == "--article");
    let sizes: Vec<f64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![1.0, 2.0, 4.0, 8.0]
    } else {
        sizes
    };
    let mut parts = vec![ARTICLE.to_string()];
    if !article_only {
        parts.extend(polnear_texts());
    }
    let ex = Extractor::new();
    println!(
        "{:>6} {:>10} {:>8} {:>10} {:>10} {:>10} {:>7}",
        "MB", "tokens", "quotes", "extract s", "mentions s", "resolve s", "share"
    );
    let mut base: Option<(f64, f64, f64)> = None;
    for mb in sizes {
        let doc = document(&parts, (mb * 1024.0 * 1024.0) as usize);
        let t0 = Instant::now();
        let quotes = ex.extract(&doc);
        let extract_s = t0.elapsed().as_secs_f64();

        // Resolution alone, on a precomputed text and POS: the mention layer, then every
        // quote's speaker (which builds its own layer, with the quotes as evidence). Best of
        // three: the machine may be busy.
        let text = Text::new(&doc);
        let pos = ex.models().pos.tag_text(&text);
        let (mentions_s, m) = best_of(3, || Mentions::new(&text, &pos));
        let (resolve_s, qs) = best_of(3, || {
            let mut qs = quotes.clone();
            for q in &mut qs {
                q.speaker = None;
            }
            resolve_speakers(&text, &pos, &mut qs);
            qs
        });
        let differ = qs
            .iter()
            .zip(&quotes)
            .filter(|(a, b)| a.speaker != b.speaker)
            .count();
        let size = doc.len() as f64 / (1024.0 * 1024.0);
        println!(
            "{:>6.2} {:>10} {:>8} {:>10.3} {:>10.3} {:>10.3} {:>6.1}%   \
             ({} entities, {} mentions, {} speakers differ from extract)",
            size,
            text.tokens.len(),
            quotes.len(),
            extract_s,
            mentions_s,
            resolve_s,
            100.0 * resolve_s / extract_s,
            m.entities().len(),
            m.mentions().len(),
            differ
        );
        match base {
            None => base = Some((size, extract_s, resolve_s)),
            Some((s0, e0, r0)) => println!(
                "       ×{:.1} size: extract ×{:.1}, resolve ×{:.1}",
                size / s0,
                extract_s / e0,
                resolve_s / r0
            ),
        }
    }
}
