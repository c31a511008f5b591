//! The subcommands beside `extract`: `eval`, `train` and `verify`.

use crate::output::Format;
use std::io::Write;
use std::path::Path;
use verbatim::transcript::{self, Transcript};
use verbatim::OffsetMap;
use verbatim_train::{pipeline, score};

/// `verbatim eval GOLD [PRED]`: score PRED against GOLD with the same numbers as
/// `shared/eval/score.py`; without PRED, extract GOLD's texts with the built-in models first.
pub fn eval(gold: &Path, pred: Option<&Path>, json: bool, per_doc: bool) -> Result<String, String> {
    let report = match pred {
        Some(pred) => score::score_files(gold, pred).map_err(|e| e.to_string())?,
        None => pipeline::evaluate(&crate::run::load_extractor()?, gold)?,
    };
    Ok(if json {
        report.to_json_string(per_doc)
    } else if per_doc {
        report.to_text_per_doc()
    } else {
        report.to_text()
    })
}

/// `verbatim train`: rebuild every model from `data` into `out`, then print the dev report.
pub fn train(data: &Path, out: &Path) -> Result<String, String> {
    let report =
        pipeline::train_models(data, out, &mut |line| eprintln!("verbatim train: {line}"))?;
    Ok(format!(
        "PolNeAR dev with the new models (rebuild the binary to embed them):\n{}",
        report.to_text()
    ))
}

/// Read and parse a transcript file; warnings go to stderr with the file and line.
pub fn read_transcript(
    path: &Path,
    format: Option<transcript::Format>,
) -> Result<Transcript, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = transcript::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let t = transcript::parse(&text, format).map_err(|e| match e.line {
        Some(line) => format!("{}:{line}: {}", path.display(), e.message),
        None => format!("{}: {}", path.display(), e.message),
    })?;
    for w in &t.warnings {
        eprintln!(
            "verbatim: {}:{}: warning: {}",
            path.display(),
            w.line,
            w.message
        );
    }
    Ok(t)
}

/// `verbatim verify ARTICLE --against TRANSCRIPT`: check each quote of the article against the
/// transcript, one line (table) or object (jsonl) per quote.
pub fn verify(
    article: &Path,
    against: &Path,
    format: Format,
    transcript_format: Option<transcript::Format>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let mut text =
        std::fs::read_to_string(article).map_err(|e| format!("{}: {e}", article.display()))?;
    // As extract reads a text: a byte-order mark would shift every offset by one.
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    let t = read_transcript(against, transcript_format)?;
    let quotes = crate::run::load_extractor()?.extract(&text);
    let checks = transcript::verify_article(&text, &quotes, &t);
    let amap = OffsetMap::new(&text);
    let tmap = OffsetMap::new(&t.source);
    let io = |e: std::io::Error| e.to_string();
    for v in &checks {
        let q = &quotes[v.quote];
        match format {
            Format::Jsonl => {
                let content: Vec<_> = q
                    .content
                    .iter()
                    .map(|s| {
                        let c = amap.char_span(*s);
                        serde_json::json!({"start": c.start, "end": c.end, "text": s.slice(&text)})
                    })
                    .collect();
                let span = v.span.map(|s| {
                    let c = tmap.char_span(s);
                    serde_json::json!({"start": c.start, "end": c.end, "text": t.slice(s)})
                });
                let obj = serde_json::json!({
                    "quote": v.quote, "speaker": v.article_speaker, "content": content,
                    "quoted": v.quoted, "verdict": v.verdict.as_str(), "turn": v.turn,
                    "transcript_span": span, "transcript_speaker": v.transcript_speaker,
                    "speaker_matches": v.speaker_matches, "score": v.score,
                    "coverage": v.coverage, "diff": v.diff_string(),
                });
                writeln!(out, "{obj}").map_err(io)?;
            }
            Format::Table | Format::Csv => {
                let mark = match v.speaker_matches {
                    Some(true) => "✓",
                    Some(false) => "✗",
                    None => "?",
                };
                writeln!(
                    out,
                    "{:<10} {:<18} {} {:<18} {}",
                    v.verdict.as_str(),
                    v.article_speaker.as_deref().unwrap_or("—"),
                    mark,
                    v.transcript_speaker.as_deref().unwrap_or("—"),
                    v.diff_string()
                )
                .map_err(io)?;
            }
        }
    }
    Ok(())
}
