//! Accuracy floor on PolNeAR dev: fails when a headline number drops below the engine's
//! targets (the extraction issue's; BENCHMARKS.md has the measured values). DIRECT quote F1
//! has no target; its floor guards the regression the others would hide.

use verbatim_train::pipeline::evaluate;

#[test]
fn polnear_dev_accuracy_floor() {
    let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/polnear/dev.jsonl");
    if !dev.is_file() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{} is required under CI",
            dev.display()
        );
        eprintln!("SKIPPED: {} not found", dev.display());
        return;
    }
    let report = evaluate(&verbatim::Extractor::new(), &dev).unwrap();
    eprintln!("{}", report.to_text());
    let floors = [
        ("ALL quote F1", report.all.quote.f1, 0.70),
        ("ALL attribution F1", report.all.attribution.f1, 0.60),
        ("DIRECT quote F1", report.direct.quote.f1, 0.86),
        ("DIRECT attribution F1", report.direct.attribution.f1, 0.80),
        ("source span F1", report.spans.source.f1, 0.70),
        ("cue span F1", report.spans.cue.f1, 0.70),
        ("content span F1", report.spans.content.f1, 0.55),
    ];
    let below: Vec<String> = floors
        .iter()
        .filter(|(_, got, floor)| got < floor)
        .map(|(name, got, floor)| format!("{name} {got:.4} < {floor}"))
        .collect();
    assert!(below.is_empty(), "accuracy regressed: {}", below.join(", "));
}
