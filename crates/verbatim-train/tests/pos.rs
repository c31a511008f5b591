//! The part-of-speech tagger against UD English EWT: the shipped model's dev accuracy, and a
//! small training run. The treebank lives outside the repository (`../shared/data`); without
//! it these tests skip, unless `CI=true`.

use std::path::PathBuf;

use verbatim::tagging::pos::PosTagger;
use verbatim::tagging::LinearModel;
use verbatim_train::pos::{
    evaluate_pos, read_conllu, train_pos_sentences, train_pos_to_file, PosOptions,
};

fn workspace() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The EWT directory, or `None` (after saying why) when the tests should skip.
fn ud_dir() -> Option<PathBuf> {
    let dir = workspace().join("../shared/data/ud-english-ewt");
    if dir.join("en_ewt-ud-dev.conllu").exists() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("UD English EWT not found at {}", dir.display());
    }
    eprintln!("skipped: UD English EWT not found at {}", dir.display());
    None
}

#[test]
fn shipped_model_dev_accuracy() {
    let Some(dir) = ud_dir() else { return };
    let path = workspace().join("models/pos.bin");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipped: {}: {e}", path.display());
            return;
        }
        Err(e) => panic!("{}: {e}", path.display()),
    };
    assert!(bytes.len() < 3_000_000, "model is {} bytes", bytes.len());
    let tagger = PosTagger::new(LinearModel::from_bytes(&bytes).unwrap()).unwrap();
    let dev = read_conllu(&dir.join("en_ewt-ud-dev.conllu")).unwrap();
    let ev = evaluate_pos(&tagger, &dev);
    eprintln!("dev UPOS accuracy {:.2}%", ev.accuracy() * 100.0);
    assert!(ev.total > 25_000);
    assert!(ev.accuracy() >= 0.94, "dev accuracy {:.4}", ev.accuracy());
}

#[test]
fn trains_on_a_slice_deterministically() {
    let Some(dir) = ud_dir() else { return };
    let train = read_conllu(&dir.join("en_ewt-ud-train.conllu")).unwrap();
    let dev = read_conllu(&dir.join("en_ewt-ud-dev.conllu")).unwrap();
    let opts = PosOptions {
        bits: 16,
        epochs: 2,
        ..PosOptions::default()
    };
    let (a, report) = train_pos_sentences(&train[..1500], &dev[..300], &opts);
    let acc = report.dev.as_ref().unwrap().accuracy();
    eprintln!("slice dev accuracy {:.2}%", acc * 100.0);
    assert!(acc > 0.80, "dev accuracy {acc:.4}");
    let (b, _) = train_pos_sentences(&train[..1500], &[], &opts);
    assert_eq!(a.to_bytes(), b.to_bytes());
}

/// Rebuilds `models/pos.bin`: `cargo test --release -p verbatim-train --test pos -- --ignored`.
#[test]
#[ignore]
fn train_pos_model() {
    let Some(dir) = ud_dir() else { return };
    let summary = train_pos_to_file(&dir, &workspace().join("models/pos.bin")).unwrap();
    eprintln!("{summary}");
}
