//! The cost of verification at ingest, on a large bank (not a test):
//! `cargo run --release -p verbatim-bank --example bench_verify -- BANK.db`
//!
//! **Modifies the bank: run it on a copy** (e.g. of the million-quote bank that `bench_bank
//! --keep` leaves). A deliberately hard case: every quote of the new articles is one of the
//! bank's 300 most repeated remarks, and the transcripts record those remarks in the same week,
//! so each article has the full 5 candidate transcripts and each transcript the full 200
//! related articles.
//!
//! 1. 1,000 articles (20 quotes each, quotes given, so no extraction) into the bank as it is;
//! 2. 20 transcripts of 15 of those remarks each, dated within the articles' week;
//! 3. 1,000 more such articles, now with the transcripts in the bank.

use std::time::Instant;
use verbatim::{Kind, Quote, Setting, Span};
use verbatim_bank::{Bank, IngestOptions, NewDocument};

/// (text, speaker) of the first quote of each of the most repeated remarks.
type Remark = (String, String);

const DATE: &str = "2015-06-15";

fn articles(remarks: &[Remark], n: usize, tag: &str) -> Vec<(NewDocument, Vec<Quote>)> {
    (0..n)
        .map(|i| {
            let mut text = String::new();
            let mut quotes = Vec::new();
            for k in 0..20 {
                let (q, speaker) = &remarks[(i * 7 + k * 13) % remarks.len()];
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                let s0 = text.len();
                text.push_str(speaker);
                let s1 = text.len();
                text.push_str(" said: ");
                let q0 = text.len();
                text.push_str(q);
                quotes.push(Quote {
                    kind: Kind::Direct,
                    source: vec![Span::new(s0, s1)],
                    cue: vec![],
                    content: vec![Span::new(q0, text.len())],
                    speaker: Some(speaker.clone()),
                    addressee: None,
                    setting: Setting::Unknown,
                    confidence: 0.9,
                });
            }
            let doc = NewDocument {
                date: Some(DATE.into()),
                outlet: Some("bench".into()),
                ..NewDocument::new(format!("{tag}-{i}"), text)
            };
            (doc, quotes)
        })
        .collect()
}

fn main() {
    let db = std::env::args()
        .nth(1)
        .expect("usage: bench_verify BANK.db (a copy: it is modified)");
    let mut bank = Bank::open(&db).expect("open");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let remarks: Vec<Remark> = conn
        .prepare(
            "SELECT q.text, coalesce(q.speaker_raw, 'Someone') FROM clusters c
             JOIN quotes q ON q.id = (SELECT id FROM quotes WHERE cluster_id = c.id LIMIT 1)
             ORDER BY c.size DESC LIMIT 300",
        )
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("sql")
        .collect::<rusqlite::Result<_>>()
        .expect("remarks");
    let opts = IngestOptions {
        jobs: 2,
        batch_size: verbatim_bank::DEFAULT_BATCH,
        ..IngestOptions::default()
    };
    let t = Instant::now();
    let r = bank
        .ingest_extracted(articles(&remarks, 1000, "plain"), &opts, None)
        .expect("ingest");
    println!(
        "1,000 articles, no transcript in the bank: {:.1}s (writer busy {:.1}s)",
        t.elapsed().as_secs_f64(),
        r.write_secs
    );
    let transcripts: Vec<NewDocument> = (0..20)
        .map(|j| {
            let mut text = String::new();
            for (q, speaker) in remarks.iter().skip(j * 15).take(15) {
                let q = q.trim_matches(|c: char| matches!(c, '\u{201C}' | '\u{201D}' | '"'));
                text.push_str(&format!(
                    "{}: {q}\n\n",
                    speaker.to_uppercase().replace(':', "")
                ));
            }
            NewDocument {
                date: Some(format!("2015-06-1{}", j % 10)),
                ..NewDocument::transcript(format!("transcript-{j}"), text)
            }
        })
        .collect();
    let t = Instant::now();
    let r = bank
        .ingest_documents(transcripts, &opts, None)
        .expect("transcripts");
    println!(
        "20 transcripts (15 turns each): {:.1}s, {} verifications stored (related articles \
         re-verified)",
        t.elapsed().as_secs_f64(),
        r.verifications
    );
    let t = Instant::now();
    let r = bank
        .ingest_extracted(articles(&remarks, 1000, "verified"), &opts, None)
        .expect("ingest");
    println!(
        "1,000 articles, 20 transcripts in the bank: {:.1}s (writer busy {:.1}s), {} \
         verifications stored",
        t.elapsed().as_secs_f64(),
        r.write_secs,
        r.verifications
    );
}
