//! The example article end to end: every remark found, with the right source and speaker.

use verbatim_train::polnear::{quotes_to_json, JsonDoc, JsonQuote};

const ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");

fn expected() -> Option<JsonDoc> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/examples/obama-medvedev-open-mic.expected.jsonl");
    match std::fs::read_to_string(&p) {
        Ok(s) => Some(serde_json::from_str(s.lines().next().unwrap()).unwrap()),
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("SKIPPED: {} not readable ({e})", p.display());
            None
        }
        Err(e) => panic!("{} is required under CI: {e}", p.display()),
    }
}

fn positions(q: &JsonQuote) -> std::collections::BTreeSet<usize> {
    let chars: Vec<char> = ARTICLE.chars().collect();
    q.content
        .iter()
        .flat_map(|s| s.start..s.end)
        .filter(|&i| !chars[i].is_whitespace() && !"\"“”".contains(chars[i]))
        .collect()
}

fn jaccard(a: &std::collections::BTreeSet<usize>, b: &std::collections::BTreeSet<usize>) -> f64 {
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter).max(1) as f64
}

/// (found, source spans right, speakers right, extra quotes) on the example article.
fn example_stats() -> Option<(usize, usize, usize, usize)> {
    let gold = expected()?;
    assert_eq!(
        gold.text.as_deref(),
        Some(ARTICLE),
        "examples/ must hold the shared example article"
    );
    let quotes = verbatim::Extractor::new().extract(ARTICLE);
    let pred = quotes_to_json(ARTICLE, &quotes);
    let mut used = vec![false; pred.len()];
    let (mut found, mut source_ok, mut speaker_ok) = (0, 0, 0);
    for g in &gold.quotes {
        let gp = positions(g);
        let best = (0..pred.len()).filter(|&j| !used[j]).max_by(|&a, &b| {
            jaccard(&gp, &positions(&pred[a])).total_cmp(&jaccard(&gp, &positions(&pred[b])))
        });
        let Some(j) = best.filter(|&j| jaccard(&gp, &positions(&pred[j])) >= 0.5) else {
            eprintln!("MISSED: {:?}", g.content[0].text);
            continue;
        };
        used[j] = true;
        found += 1;
        let p = &pred[j];
        if p.source.first().map(|s| (s.start, s.end)) == g.source.first().map(|s| (s.start, s.end))
        {
            source_ok += 1;
        } else {
            eprintln!(
                "SOURCE: {:?} vs gold {:?}",
                p.source.first().and_then(|s| s.text.clone()),
                g.source[0].text
            );
        }
        if p.speaker == g.speaker {
            speaker_ok += 1;
        } else {
            eprintln!("SPEAKER: {:?} vs gold {:?}", p.speaker, g.speaker);
        }
    }
    let extra = used.iter().filter(|u| !**u).count();
    for (j, u) in used.iter().enumerate() {
        if !u {
            eprintln!(
                "EXTRA: {:?}",
                pred[j]
                    .content
                    .iter()
                    .map(|s| s.text.clone().unwrap_or_default())
                    .collect::<Vec<_>>()
            );
        }
    }
    eprintln!("found {found}/10, source {source_ok}, speaker {speaker_ok}, extra {extra}");
    Some((found, source_ok, speaker_ok, extra))
}

#[test]
fn example_article_remarks() {
    let Some((found, source_ok, speaker_ok, extra)) = example_stats() else {
        return;
    };
    assert_eq!(found, 10, "every remark of the example is found");
    assert!(
        source_ok >= 9,
        "source spans right for at least 9 (got {source_ok})"
    );
    assert!(
        speaker_ok >= 9,
        "speakers right for at least 9 (got {speaker_ok})"
    );
    // The one extra is "Moscow has long opposed American plans…", a stance PolNeAR annotates
    // as an attribution in its own articles.
    assert!(extra <= 1, "at most one extra quote (got {extra})");
}
