//! Speaker resolution over the gold sources of PolNeAR dev: no panics, no empty names, and
//! pronouns ("he", "she") resolved to names. PolNeAR lives outside the repository
//! (`../shared/data`); without it the test skips, unless `CI=true`.
//!
//! `RESOLUTION_DUMP=path` writes every resolution (source → speaker, with context) to `path`
//! for a human to read.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use verbatim::attribution::{Kind, Quote, Setting};
use verbatim::resolution::resolve_speakers;
use verbatim::tagging::pos::PosTagger;
use verbatim::tagging::LinearModel;
use verbatim::text::{OffsetMap, Span, Text};
use verbatim_train::polnear::{read_jsonl, JsonDoc, JsonSpan};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// PolNeAR dev, or `None` (after saying why) when the test should skip.
fn dev_docs() -> Option<Vec<JsonDoc>> {
    let path = workspace().join("../shared/data/polnear/dev.jsonl");
    if !path.exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("PolNeAR dev not found at {}", path.display());
        }
        eprintln!("skipped: PolNeAR dev not found at {}", path.display());
        return None;
    }
    Some(read_jsonl(&path).unwrap())
}

/// The shipped POS tagger, if it is there and valid (resolution must work without it too).
fn tagger() -> Option<PosTagger> {
    let bytes = std::fs::read(workspace().join("models/pos.bin")).ok()?;
    PosTagger::new(LinearModel::from_bytes(&bytes).ok()?).ok()
}

fn spans(map: &OffsetMap, spans: &[JsonSpan]) -> Vec<Span> {
    spans
        .iter()
        .filter_map(|s| Some(Span::new(map.to_byte(s.start)?, map.to_byte(s.end)?)))
        .collect()
}

struct Stats {
    sources: usize,
    pronouns: usize,
    pronouns_named: usize,
    words: usize,
    seconds: f64,
    lines: Vec<String>,
}

fn run(docs: &[JsonDoc], tagger: Option<&PosTagger>) -> Stats {
    let mut st = Stats {
        sources: 0,
        pronouns: 0,
        pronouns_named: 0,
        words: 0,
        seconds: 0.0,
        lines: Vec::new(),
    };
    for doc in docs {
        let Some(text) = doc.text.as_deref() else {
            continue;
        };
        let map = OffsetMap::new(text);
        let layout = Text::new(text);
        let pos = match tagger {
            Some(t) => t.tag_text(&layout),
            None => vec![16u8; layout.tokens.len()],
        };
        let mut quotes: Vec<Quote> = doc
            .quotes
            .iter()
            .map(|q| Quote {
                kind: Kind::Indirect,
                source: spans(&map, &q.source),
                cue: spans(&map, &q.cue),
                content: spans(&map, &q.content),
                speaker: None,
                addressee: None,
                setting: Setting::Unknown,
                confidence: 1.0,
            })
            .collect();
        let t0 = Instant::now();
        resolve_speakers(&layout, &pos, &mut quotes);
        st.seconds += t0.elapsed().as_secs_f64();
        st.words += layout.tokens.len();
        for q in &quotes {
            let Some(src) = q.source.first() else {
                assert_eq!(q.speaker, None, "{}: no source, a speaker", doc.id);
                continue;
            };
            st.sources += 1;
            let source = src.slice(text);
            if let Some(s) = &q.speaker {
                assert!(
                    !s.trim().is_empty(),
                    "{}: empty speaker for {source:?}",
                    doc.id
                );
            }
            if matches!(source.to_lowercase().as_str(), "he" | "she") {
                st.pronouns += 1;
                if q.speaker
                    .as_deref()
                    .is_some_and(|s| s.contains(char::is_uppercase))
                {
                    st.pronouns_named += 1;
                }
            }
            let before = &text[text.floor_char_boundary(src.start.saturating_sub(160))..src.start];
            let mut line = String::new();
            let _ = write!(
                line,
                "{}\t{:?} -> {:?}\t…{}[[{}]]",
                doc.id,
                source,
                q.speaker.as_deref().unwrap_or("<none>"),
                before.replace('\n', " / "),
                source
            );
            st.lines.push(line);
        }
    }
    st
}

#[test]
fn resolves_polnear_dev_sources() {
    let Some(docs) = dev_docs() else { return };
    let pos_tagger = tagger();
    let mut runs = vec![("no POS", run(&docs, None))];
    if let Some(t) = &pos_tagger {
        runs.push(("with POS", run(&docs, Some(t))));
    }
    for (name, st) in &runs {
        let share = st.pronouns_named as f64 / st.pronouns.max(1) as f64;
        eprintln!(
            "{name}: {} sources; he/she resolved to a name: {}/{} ({:.1}%); {:.0} tokens/s",
            st.sources,
            st.pronouns_named,
            st.pronouns,
            share * 100.0,
            st.words as f64 / st.seconds.max(1e-9)
        );
        assert!(st.sources > 1500, "{name}: only {} sources", st.sources);
        assert!(share >= 0.90, "{name}: he/she resolved {:.3}", share);
    }
    let lines = &runs[0].1.lines;
    eprintln!("a sample of 30 resolutions (no POS):");
    let step = (lines.len() / 30).max(1);
    for l in lines.iter().step_by(step).take(30) {
        eprintln!("  {l}");
    }
    if let Ok(path) = std::env::var("RESOLUTION_DUMP") {
        let mut all = String::new();
        for (name, st) in &runs {
            for l in &st.lines {
                let _ = writeln!(all, "{name}\t{l}");
            }
        }
        std::fs::write(&path, all).unwrap();
        eprintln!("wrote {path}");
    }
}
