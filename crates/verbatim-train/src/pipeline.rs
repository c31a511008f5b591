//! `verbatim train`: rebuild every model from `shared/data`, then score the result on dev.

use crate::{attribution, polnear, pos, score};
use std::path::Path;
use verbatim::attribution::Models;
use verbatim::tagging::{pos::PosTagger, LinearModel};

/// Train the part-of-speech tagger (UD English EWT), then the cue and role taggers (PolNeAR
/// train) on top of it, write `pos.bin`, `cue.bin` and `role.bin` to `out`, and return the
/// PolNeAR dev report of the new models. `data` is `shared/data`. Deterministic: the same data
/// gives the same bytes.
pub fn train_models(
    data: &Path,
    out: &Path,
    log: &mut dyn FnMut(String),
) -> Result<score::Report, String> {
    let ud = data.join("ud-english-ewt");
    let polnear_dir = data.join("polnear");
    for need in [
        ud.join("en_ewt-ud-train.conllu"),
        polnear_dir.join("train.jsonl"),
    ] {
        if !need.is_file() {
            return Err(format!(
                "{} not found: pass the shared data folder with --data",
                need.display()
            ));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    log(pos::train_pos_to_file(&ud, &out.join("pos.bin"))?);
    let pos_bytes = std::fs::read(out.join("pos.bin")).map_err(|e| e.to_string())?;
    let tagger = PosTagger::new(LinearModel::from_bytes(&pos_bytes).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let train = polnear::read_jsonl(&polnear_dir.join("train.jsonl"))?;
    let started = std::time::Instant::now();
    let (cue, role) = attribution::train(&train, &tagger, &attribution::Options::default(), log);
    let (cue_bytes, role_bytes) = (cue.to_bytes(), role.to_bytes());
    for (name, bytes) in [("cue.bin", &cue_bytes), ("role.bin", &role_bytes)] {
        std::fs::write(out.join(name), bytes)
            .map_err(|e| format!("{}: {e}", out.join(name).display()))?;
        log(format!("{name}: {} bytes", bytes.len()));
    }
    log(format!(
        "attribution trained in {:.1}s",
        started.elapsed().as_secs_f64()
    ));
    let models =
        Models::from_bytes(&pos_bytes, &cue_bytes, &role_bytes).map_err(|e| e.to_string())?;
    evaluate(
        &verbatim::Extractor::with_models(models),
        &polnear_dir.join("dev.jsonl"),
    )
}

/// Extract every document of a gold JSONL file and score the predictions.
pub fn evaluate(extractor: &verbatim::Extractor, gold: &Path) -> Result<score::Report, String> {
    let gold_docs = score::load_jsonl(gold).map_err(|e| e.to_string())?;
    let pred: Vec<polnear::JsonDoc> = gold_docs
        .iter()
        .map(|d| {
            let text = d.text.as_deref().unwrap_or("");
            polnear::JsonDoc {
                id: d.id.clone(),
                text: None,
                quotes: polnear::quotes_to_json(text, &extractor.extract(text)),
            }
        })
        .collect();
    score::score(&gold_docs, &pred).map_err(|e| e.to_string())
}
