//! Development loop: train cue/role on PolNeAR train, write models/, predict dev to /tmp.
use std::io::Write;
use verbatim::attribution::Models;
use verbatim_train::{attribution, polnear};

fn main() {
    let dir = polnear::default_polnear_dir().expect("shared polnear");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let pos_bytes = std::fs::read(root.join("pos.bin")).unwrap_or_default();
    let pos = if pos_bytes.is_empty() {
        let m = verbatim::tagging::LinearModel::quantize(
            "pos",
            verbatim::tagging::pos::UPOS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            4,
            &vec![0.0; 16 * 17],
            vec![0.0; 18 * 17],
        );
        std::fs::write(root.join("pos.bin"), m.to_bytes()).unwrap();
        verbatim::tagging::pos::PosTagger::new(m).unwrap()
    } else {
        verbatim::tagging::pos::PosTagger::new(
            verbatim::tagging::LinearModel::from_bytes(&pos_bytes).unwrap(),
        )
        .unwrap()
    };
    let train = polnear::read_jsonl(&dir.join("train.jsonl")).unwrap();
    let epochs = std::env::var("EPOCHS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let env = |k: &str, d: u32| {
        std::env::var(k)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(d)
    };
    let opts = attribution::Options {
        epochs,
        cue_bits: env("CUE_BITS", 18),
        role_bits: env("ROLE_BITS", 18),
    };
    let t0 = std::time::Instant::now();
    let (cue, role) = if std::env::var("SKIP_TRAIN").is_ok() {
        let rd = |n: &str| {
            verbatim::tagging::LinearModel::from_bytes(&std::fs::read(root.join(n)).unwrap())
                .unwrap()
        };
        (rd("cue.bin"), rd("role.bin"))
    } else {
        attribution::train(&train, &pos, &opts, &mut |s| eprintln!("{s}"))
    };
    eprintln!("trained in {:?}", t0.elapsed());
    let (cb, rb) = (cue.to_bytes(), role.to_bytes());
    eprintln!("cue {} bytes, role {} bytes", cb.len(), rb.len());
    std::fs::write(root.join("cue.bin"), &cb).unwrap();
    std::fs::write(root.join("role.bin"), &rb).unwrap();
    let models =
        Models::from_bytes(&std::fs::read(root.join("pos.bin")).unwrap(), &cb, &rb).unwrap();
    let dev = polnear::read_jsonl(&dir.join("dev.jsonl")).unwrap();
    for bias in std::env::var("BIAS")
        .unwrap_or("0".into())
        .split(",")
        .map(|b| b.parse::<f32>().unwrap())
    {
        let ex = verbatim::Extractor::with_models(models.clone()).with_cue_bias(bias);
        let mut out = std::fs::File::create(format!("/tmp/dev.pred.{bias}.jsonl")).unwrap();
        let t0 = std::time::Instant::now();
        let mut words = 0;
        for d in &dev {
            let text = d.text.as_deref().unwrap();
            words += text.split_whitespace().count();
            let quotes = ex.extract(text);
            let doc = polnear::JsonDoc {
                id: d.id.clone(),
                text: None,
                quotes: polnear::quotes_to_json(text, &quotes),
            };
            writeln!(out, "{}", serde_json::to_string(&doc).unwrap()).unwrap();
        }
        let el = t0.elapsed();
        eprintln!(
            "dev: {words} words in {el:?} = {:.0} words/s",
            words as f64 / el.as_secs_f64()
        );
    }
}
