//! Tests of the scorer port: the cases of `shared/eval/test_score.py`, then agreement with
//! `score.py` itself (same text report byte for byte, same JSON) on PolNeAR dev and on synthetic
//! documents full of edge cases.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use verbatim_train::polnear::{JsonDoc, JsonQuote, JsonSpan};
use verbatim_train::score::{
    load_jsonl, normalise, score, score_files, Prf, Report, ScoreError, QUOTE_MARKS,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Span (code point offsets) of the nth occurrence of `sub` in `text`, like test_score.py's.
fn span(text: &str, sub: &str, nth: usize) -> JsonSpan {
    let t: Vec<char> = text.chars().collect();
    let s: Vec<char> = sub.chars().collect();
    let mut start: isize = -1;
    for _ in 0..=nth {
        let from = (start + 1) as usize;
        let off = (from..=t.len() - s.len())
            .find(|&i| t[i..i + s.len()] == s[..])
            .unwrap_or_else(|| panic!("{sub:?} not in {text:?}"));
        start = off as isize;
    }
    let start = start as usize;
    JsonSpan {
        start,
        end: start + s.len(),
        text: Some(sub.to_string()),
    }
}

/// A quote; each role is a (substring, nth) pair or None.
fn quote(
    text: &str,
    content: &str,
    source: Option<(&str, usize)>,
    cue: Option<(&str, usize)>,
) -> JsonQuote {
    let spans =
        |x: Option<(&str, usize)>| x.map(|(s, n)| vec![span(text, s, n)]).unwrap_or_default();
    JsonQuote {
        source: spans(source),
        cue: spans(cue),
        content: vec![span(text, content, 0)],
        ..JsonQuote::default()
    }
}

fn doc(id: &str, text: Option<&str>, quotes: Vec<JsonQuote>) -> JsonDoc {
    JsonDoc {
        id: id.into(),
        text: text.map(String::from),
        quotes,
    }
}

const TEXT_A: &str = "Smith said \"we will win the election\" on Monday. Jones disagreed.";
const TEXT_B: &str =
    "\"Taxes are too high,\" the senator said. Officials said that the plan would fail.";
const TEXT_C: &str = "He said \"no.\"";

fn gold() -> Vec<JsonDoc> {
    vec![
        doc(
            "a",
            Some(TEXT_A),
            vec![quote(
                TEXT_A,
                "\"we will win the election\"",
                Some(("Smith", 0)),
                Some(("said", 0)),
            )],
        ),
        doc(
            "b",
            Some(TEXT_B),
            vec![
                quote(
                    TEXT_B,
                    "\"Taxes are too high,\"",
                    Some(("the senator", 0)),
                    Some(("said", 0)),
                ),
                quote(
                    TEXT_B,
                    "that the plan would fail",
                    Some(("Officials", 0)),
                    Some(("said", 1)),
                ),
            ],
        ),
        doc(
            "c",
            Some(TEXT_C),
            vec![quote(TEXT_C, "\"no.\"", Some(("He", 0)), Some(("said", 0)))],
        ),
    ]
}

/// Hand-checked predictions (document "c" is deliberately missing).
fn pred() -> Vec<JsonDoc> {
    let mut senator = quote(
        TEXT_B,
        "Taxes are too high",
        Some(("senator", 0)),
        Some(("said", 0)),
    );
    senator.speaker = Some("the senator".into());
    vec![
        doc(
            "a",
            None,
            vec![
                quote(TEXT_A, "win the election\"", Some(("Smith", 0)), None),
                quote(TEXT_A, "Jones disagreed", None, None),
            ],
        ),
        doc(
            "b",
            None,
            vec![senator, quote(TEXT_B, "the plan", None, None)],
        ),
    ]
}

#[track_caller]
fn assert_prf(r: &Prf, p: f64, rec: f64, f: Option<f64>) {
    let f = f.unwrap_or(if p + rec != 0.0 {
        2.0 * p * rec / (p + rec)
    } else {
        0.0
    });
    for (got, want, name) in [
        (r.precision, p, "precision"),
        (r.recall, rec, "recall"),
        (r.f1, f, "f1"),
    ] {
        assert!(
            (got - want).abs() < 1e-7,
            "{name}: {got} != {want} in {r:?}"
        );
    }
}

fn all_metrics(r: &Report) -> Vec<&Prf> {
    [&r.all, &r.direct]
        .iter()
        .flat_map(|s| s.metrics().map(|(_, p)| p))
        .collect()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh path under the temp dir, unique to this process and call.
fn temp_path(name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "verbatim-score-test-{}-{n}-{nanos}-{name}",
        std::process::id()
    ))
}

/// Deletes the file when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn with_text(name: &str, text: &str) -> TempFile {
        let path = temp_path(name);
        std::fs::write(&path, text).expect("write temp file");
        TempFile(path)
    }

    fn with_lines<T: serde::Serialize>(name: &str, docs: &[T]) -> TempFile {
        let mut text = String::new();
        for d in docs {
            text.push_str(&serde_json::to_string(d).unwrap());
            text.push('\n');
        }
        TempFile::with_text(name, &text)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// JsonDocs as files score.py reads (leaving out a `text` that is None, as score.py wants).
fn doc_values(docs: &[JsonDoc]) -> Vec<Value> {
    docs.iter()
        .map(|d| {
            let mut v = serde_json::to_value(d).unwrap();
            if d.text.is_none() {
                v.as_object_mut().unwrap().remove("text");
            }
            v
        })
        .collect()
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skip (or, under CI=true, fail) with a reason.
fn skip(reason: &str) {
    if is_ci() {
        panic!("CI=true but {reason}");
    }
    eprintln!("skipped: {reason}");
}

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval")
}

fn dev_path() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev.jsonl");
    p.is_file().then_some(p)
}

/// The path of score.py, when it and python3 are there.
fn score_py() -> Option<PathBuf> {
    let p = eval_dir().join("score.py");
    if !p.is_file() {
        skip(&format!("{} not found", p.display()));
        return None;
    }
    match Command::new("python3").arg("--version").output() {
        Ok(o) if o.status.success() => Some(p),
        _ => {
            skip("python3 not available");
            None
        }
    }
}

/// Run score.py; (exit status, stdout, stderr).
fn run_py(script: &Path, gold: &Path, pred: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new("python3")
        .arg(script)
        .arg(gold)
        .arg(pred)
        .args(args)
        .output()
        .expect("run python3");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Numbers within 1e-12, everything else equal, same keys.
fn assert_json_close(got: &Value, want: &Value, at: &str) {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!((a - b).abs() <= 1e-12, "{at}: {a} != {b}");
        }
        (Value::Object(a), Value::Object(b)) => {
            let mut ka: Vec<_> = a.keys().collect();
            let mut kb: Vec<_> = b.keys().collect();
            ka.sort();
            kb.sort();
            assert_eq!(ka, kb, "{at}: keys");
            for (k, v) in a {
                assert_json_close(v, &b[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: length");
            for (k, (x, y)) in a.iter().zip(b).enumerate() {
                assert_json_close(x, y, &format!("{at}[{k}]"));
            }
        }
        _ => assert_eq!(got, want, "{at}"),
    }
}

/// Score with Rust and with score.py and require the same output. `per_doc` also compares the
/// `--per-doc` outputs. Returns the report.
fn check_agreement(script: &Path, gold: &Path, pred: &Path, what: &str, per_doc: bool) -> Report {
    let report = score_files(gold, pred).unwrap_or_else(|e| panic!("{what}: {e}"));
    // Run the two (or four) Python invocations concurrently: each takes most of a second.
    let mut variants: Vec<Vec<&str>> = vec![vec![], vec!["--json"]];
    if per_doc {
        variants.push(vec!["--per-doc"]);
        variants.push(vec!["--json", "--per-doc"]);
    }
    let outputs: Vec<(i32, String, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = variants
            .iter()
            .map(|args| s.spawn(move || run_py(script, gold, pred, args)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (args, (code, _, err)) in variants.iter().zip(&outputs) {
        assert_eq!(*code, 0, "{what}: score.py {args:?} failed: {err}");
    }
    let text = report.to_text();
    assert_eq!(
        text, outputs[0].1,
        "{what}: text report differs from score.py"
    );
    let py_json: Value = serde_json::from_str(&outputs[1].1).unwrap();
    assert_json_close(&report.to_json(), &py_json, what);
    assert_eq!(
        report.to_json_string(false),
        outputs[1].1,
        "{what}: --json text"
    );
    if per_doc {
        assert_eq!(report.to_text_per_doc(), outputs[2].1, "{what}: --per-doc");
        assert_eq!(
            report.to_json_string(true),
            outputs[3].1,
            "{what}: --json --per-doc"
        );
    }
    report
}

// ---------------------------------------------------------------------------------------------
// The cases of test_score.py
// ---------------------------------------------------------------------------------------------

#[test]
fn hand_made_counts() {
    let res = score(&gold(), &pred()).unwrap();
    let c = res.all.counts;
    assert_eq!((c.gold, c.pred, c.matched), (4, 4, 2));
    assert_eq!(res.direct_gold_matched_by_non_direct_pred, 1);
    let d = res.direct.counts;
    assert_eq!((d.gold, d.pred, d.matched), (3, 1, 1));
    assert_eq!(res.missing_documents, vec!["c".to_string()]);
}

#[test]
fn hand_made_all() {
    let a = score(&gold(), &pred()).unwrap().all;
    assert_prf(&a.quote, 2.0 / 4.0, 2.0 / 4.0, None); // a and b's first quote
    assert_prf(&a.exact, 1.0 / 4.0, 1.0 / 4.0, None); // only b's first quote
    assert_prf(&a.attribution, 2.0 / 4.0, 2.0 / 4.0, None); // both matched sources overlap
    assert_prf(&a.cue, 1.0 / 4.0, 1.0 / 4.0, None); // a's prediction has no cue
}

#[test]
fn hand_made_direct() {
    let d = score(&gold(), &pred()).unwrap().direct;
    assert_prf(&d.quote, 1.0, 1.0 / 3.0, Some(0.5));
    assert_prf(&d.exact, 0.0, 0.0, None);
    assert_prf(&d.attribution, 1.0, 1.0 / 3.0, Some(0.5));
    assert_prf(&d.cue, 0.0, 0.0, None);
}

#[test]
fn hand_made_role_spans() {
    let sp = score(&gold(), &pred()).unwrap().spans;
    assert_prf(&sp.source, 1.0 / 2.0, 1.0 / 4.0, None); // "senator" is not "the senator"
    assert_prf(&sp.cue, 1.0, 1.0 / 4.0, None); // b's first "said"
    assert_prf(&sp.content, 0.0, 0.0, None); // no predicted content has the gold boundaries
}

const MTEXT: &str = "She said \"aaaa bbbb\" and left.";

fn mdoc(contents: &[&str], source: Option<(&str, usize)>) -> Vec<JsonDoc> {
    vec![doc(
        "x",
        Some(MTEXT),
        contents
            .iter()
            .map(|c| quote(MTEXT, c, source, None))
            .collect(),
    )]
}

fn quote_scores(gold: &[JsonDoc], pred: &[JsonDoc]) -> Prf {
    score(gold, pred).unwrap().all.quote
}

#[test]
fn half_coverage_matches() {
    // "aaaa" covers 4 of 8 characters: Jaccard exactly 0.5 -> matched.
    let r = quote_scores(&mdoc(&["\"aaaa bbbb\""], None), &mdoc(&["\"aaaa"], None));
    assert_prf(&r, 1.0, 1.0, None);
}

#[test]
fn below_half_does_not_match() {
    let r = quote_scores(&mdoc(&["\"aaaa bbbb\""], None), &mdoc(&["aaa"], None));
    assert_prf(&r, 0.0, 0.0, None);
}

#[test]
fn one_to_one() {
    // two predictions on one gold quote: the better one matches, the other is a false positive.
    let r = quote_scores(
        &mdoc(&["\"aaaa bbbb\""], None),
        &mdoc(&["aaaa b", "\"aaaa bbbb\""], None),
    );
    assert_prf(&r, 1.0 / 2.0, 1.0, None);
}

#[test]
fn no_source_gold() {
    let gold = mdoc(&["\"aaaa bbbb\""], None);
    let r = score(&gold, &mdoc(&["aaaa bbbb"], None)).unwrap();
    assert_eq!(r.all.attribution.correct, 1);
    let r = score(&gold, &mdoc(&["aaaa bbbb"], Some(("She", 0)))).unwrap();
    assert_eq!(r.all.attribution.correct, 0);
}

#[test]
fn prediction_inside_marks_is_direct() {
    let gold = mdoc(&["\"aaaa bbbb\""], None);
    let r = score(&gold, &mdoc(&["aaaa bbbb"], None)).unwrap();
    let d = r.direct.counts;
    assert_eq!((d.gold, d.pred, d.matched), (1, 1, 1));
    // ... but a mark on one side only does not.
    let r = score(&gold, &mdoc(&["aaaa"], None)).unwrap();
    assert_eq!(r.direct.counts.pred, 0);
    // ... and a gold quote never gets the benefit.
    let r = score(&mdoc(&["aaaa bbbb"], None), &mdoc(&["aaaa bbbb"], None)).unwrap();
    assert_eq!((r.direct.counts.gold, r.direct.counts.pred), (0, 1));
}

#[test]
fn exact_normalisation() {
    let text = "\"We will win,\" he said, \"and soon.\"";
    let sp = |sub: &str| {
        let s = span(text, sub, 0);
        (s.start, s.end)
    };
    let gold_spans = [sp("\"We will win,\""), sp("\"and soon.\"")];
    assert_eq!(normalise(text, &gold_spans), "We will win and soon");
    assert_ne!(
        normalise(text, &[sp("We will win,\" he said, \"and soon")]),
        "We will win and soon"
    );
    assert_eq!(
        normalise(text, &[sp("We will win"), sp("and soon.")]),
        "We will win and soon"
    );
    // The same through the exact metric.
    let to_spans = |v: &[(usize, usize)]| -> Vec<JsonSpan> {
        v.iter()
            .map(|&(start, end)| JsonSpan {
                start,
                end,
                text: None,
            })
            .collect()
    };
    let q = |content: &[(usize, usize)]| JsonQuote {
        source: vec![span(text, "he", 0)],
        cue: vec![span(text, "said", 0)],
        content: to_spans(content),
        ..JsonQuote::default()
    };
    let gold = vec![doc("x", Some(text), vec![q(&gold_spans)])];
    for (pred, exact) in [
        (vec![sp("We will win,\" he said, \"and soon")], 0),
        (vec![sp("We will win"), sp("and soon.")], 1),
    ] {
        let r = score(&gold, &[doc("x", None, vec![q(&pred)])]).unwrap();
        assert_eq!((r.all.quote.correct, r.all.exact.correct), (1, exact));
    }
}

#[test]
fn real_data_self_and_empty() {
    let Some(dev) = dev_path() else {
        return skip("PolNeAR dev.jsonl not found beside the project");
    };
    let gold = load_jsonl(&dev).unwrap();
    let t = std::time::Instant::now();
    let res = score(&gold, &gold).unwrap();
    eprintln!("scored PolNeAR dev against itself in {:?}", t.elapsed());
    assert!(res.all.counts.gold > 0 && res.direct.counts.gold > 0);
    for p in all_metrics(&res) {
        assert_prf(p, 1.0, 1.0, Some(1.0));
    }
    let res = score(&gold, &[]).unwrap();
    for p in all_metrics(&res) {
        assert_prf(p, 0.0, 0.0, Some(0.0));
    }
    assert_eq!(res.missing_documents.len(), gold.len());
}

#[test]
fn gold_vs_itself() {
    let res = score(&gold(), &gold()).unwrap();
    for p in all_metrics(&res) {
        assert_prf(p, 1.0, 1.0, Some(1.0));
    }
}

#[test]
fn empty_prediction() {
    let empty: Vec<JsonDoc> = gold().iter().map(|d| doc(&d.id, None, vec![])).collect();
    let res = score(&gold(), &empty).unwrap();
    for p in all_metrics(&res) {
        assert_prf(p, 0.0, 0.0, Some(0.0));
    }
    assert!(res.missing_documents.is_empty());
}

#[test]
fn error_unknown_id() {
    let e = score(&gold(), &[doc("zzz", None, vec![])]).unwrap_err();
    assert!(matches!(e, ScoreError::UnknownIds { count: 1, ref example } if example == "zzz"));
    assert_eq!(e.to_string(), "PRED has 1 id(s) not in GOLD, e.g. 'zzz'");
}

#[test]
fn error_text_differs() {
    let e = score(&gold(), &[doc("a", Some(&format!("{TEXT_A} ")), vec![])]).unwrap_err();
    assert!(matches!(e, ScoreError::TextDiffers { .. }), "{e}");
}

#[test]
fn error_span_text_differs() {
    let mut q = quote(TEXT_A, "Smith", None, None);
    q.content[0].start += 1; // off-by-one offsets
    let e = score(&gold(), &[doc("a", None, vec![q])]).unwrap_err();
    assert!(matches!(e, ScoreError::SpanTextMismatch { .. }), "{e}");
    assert_eq!(
        e.to_string(),
        "PRED 'a' quote 0 content: span 1-5 says 'Smith' but the document text there is \
         'mith'; offsets must be code point offsets, end-exclusive"
    );
}

#[test]
fn error_span_out_of_range() {
    let q = JsonQuote {
        content: vec![JsonSpan {
            start: 0,
            end: 999,
            text: None,
        }],
        ..Default::default()
    };
    let e = score(&gold(), &[doc("a", None, vec![q])]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "PRED 'a' quote 0 content: bad span {'start': 0, 'end': 999} (text has 65 characters)"
    );
}

#[test]
fn error_gold_without_text_and_duplicates() {
    let mut g = gold();
    g[1].text = None;
    let e = score(&g, &[]).unwrap_err();
    assert_eq!(e.to_string(), "GOLD document 'b' has no 'text'");
    let e = score(&gold(), &[doc("a", None, vec![]), doc("a", None, vec![])]).unwrap_err();
    assert!(
        matches!(e, ScoreError::DuplicateDocument { label: "PRED", .. }),
        "{e}"
    );
}

#[test]
fn command_line_json_and_text_output() {
    let gold = TempFile::with_lines("gold.jsonl", &doc_values(&gold()));
    let pred = TempFile::with_lines("pred.jsonl", &doc_values(&pred()));
    let res = score_files(gold.path(), pred.path()).unwrap();
    assert_prf(&res.all.quote, 0.5, 0.5, Some(0.5));
    let js = res.to_json();
    assert!((js["ALL"]["quote"]["f1"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    let ids: Vec<&str> = res.per_doc.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let per_doc: Value = serde_json::from_str(&res.to_json_string(true)).unwrap();
    assert_eq!(per_doc["per_doc"][2]["id"], "c");
    assert_eq!(per_doc["per_doc"][2]["missing"], true);
    assert!(res.to_text_per_doc().contains("missing from PRED"));
    assert!(!res.to_text().contains("per document"));
}

#[test]
fn command_line_empty_prediction_file() {
    let gold = TempFile::with_lines("gold.jsonl", &doc_values(&gold()));
    let pred = TempFile::with_text("pred.jsonl", "");
    let res = score_files(gold.path(), pred.path()).unwrap();
    assert_eq!(res.missing_documents, ["a", "b", "c"]);
    for p in all_metrics(&res) {
        assert_eq!(p.recall, 0.0);
    }
}

#[test]
fn command_line_errors() {
    let gold = TempFile::with_lines("gold.jsonl", &doc_values(&gold()));
    let pred = TempFile::with_lines("pred.jsonl", &[json!({"id": "zzz", "quotes": []})]);
    let e = score_files(gold.path(), pred.path()).unwrap_err();
    assert!(matches!(e, ScoreError::UnknownIds { .. }));

    let cases: &[(&str, &str)] = &[
        (
            "{\"id\": \"a\", \"quotes\": []}\n\n  \n{\"id\": \"a\", \"quotes\": []}\n",
            ":4: duplicate id 'a'",
        ),
        (
            "{\"id\": \"a\", \"quotes\": []}\r\n{\"id\": \"b\", \"quotes\": [}\n",
            ":2: invalid JSON (Expecting value: line 1 column 24 (char 23))",
        ),
        ("[1, 2]\n", ":1: expected an object with a string 'id'"),
        ("{\"id\": 7}\n", ":1: expected an object with a string 'id'"),
        (
            "{\"id\": \"a\"}\n",
            ":1: document 'a': 'quotes' must be a list",
        ),
        (
            "{\"id\": \"a\", \"text\": null, \"quotes\": []}\n",
            ":1: document 'a': 'text' must be a string, got None",
        ),
        (
            "{\"id\": \"a\", \"quotes\": [{\"cue\": 5}]}\n",
            ":1: document 'a' quote 0 cue: expected a list of spans, got 5",
        ),
        (
            "{\"id\": \"a\", \"quotes\": [{\"cue\": [{\"start\": 1.0, \"end\": 2}]}]}\n",
            ":1: document 'a' quote 0 cue: bad span {'start': 1.0, 'end': 2}",
        ),
        (
            "{\"id\": \"a\", \"quotes\": [{\"cue\": [{\"start\": true, \"end\": 2}]}]}\n",
            ":1: document 'a' quote 0 cue: bad span {'start': True, 'end': 2}",
        ),
        (
            "{\"id\": \"a\", \"quotes\": [[]]}\n",
            ":1: document 'a' quote 0: a quote must be a JSON object",
        ),
    ];
    for (k, (content, want)) in cases.iter().enumerate() {
        let f = TempFile::with_text(&format!("bad{k}.jsonl"), content);
        let e = load_jsonl(f.path()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with(&f.path().display().to_string()), "{msg}");
        assert!(msg.ends_with(want), "case {k}: {msg}");
    }
    let e = load_jsonl(Path::new("/nonexistent/verbatim/x.jsonl")).unwrap_err();
    assert!(matches!(e, ScoreError::Io { .. }));
}

#[test]
fn loading_follows_python_json() {
    // Blank and whitespace-only lines (Python's whitespace, U+001C included) are skipped, CR and
    // CRLF end lines, NaN is a number, the last of duplicate keys wins, -0 is the integer 0,
    // non-string speakers and unknown fields are ignored.
    let text =
        "\u{1c}\r\n{\"id\": \"x\", \"quotes\": [{\"content\": [{\"start\": -0, \"end\": 3}], \
                \"speaker\": 5, \"score\": NaN}], \"extra\": Infinity}\r\r \t\n\
                {\"id\": \"y\", \"id\": \"z\", \"quotes\": [{\"source\": null}]}";
    let f = TempFile::with_text("weird.jsonl", text);
    let docs = load_jsonl(f.path()).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "x");
    assert_eq!(
        (
            docs[0].quotes[0].content[0].start,
            docs[0].quotes[0].content[0].end
        ),
        (0, 3)
    );
    assert_eq!(docs[0].quotes[0].speaker, None);
    assert_eq!(docs[1].id, "z");
    assert!(docs[1].quotes[0].source.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Agreement with score.py
// ---------------------------------------------------------------------------------------------

/// A small deterministic generator (64-bit LCG, high bits).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// A span value over `chars[s..e]`, with or without its `text`.
fn span_value(chars: &[char], s: usize, e: usize, with_text: bool) -> Value {
    if with_text {
        json!({"start": s, "end": e, "text": chars[s..e].iter().collect::<String>()})
    } else {
        json!({"start": s, "end": e})
    }
}

/// Re-set the `text` of every span of a quote from the document text.
fn refresh_span_texts(q: &mut Value, chars: &[char]) {
    for role in ["source", "cue", "content"] {
        if let Some(Value::Array(spans)) = q.get_mut(role) {
            for sp in spans {
                let (s, e) = (
                    sp["start"].as_u64().unwrap() as usize,
                    sp["end"].as_u64().unwrap() as usize,
                );
                if sp.get("text").is_some() {
                    sp["text"] = Value::String(chars[s..e].iter().collect());
                }
            }
        }
    }
}

/// Transform every quote of every document; `f(doc index, global quote index, quote, text)`
/// returns false to drop the quote.
fn map_quotes(
    gold: &[Value],
    mut f: impl FnMut(usize, usize, &mut Value, &[char]) -> bool,
) -> Vec<Value> {
    let mut g = 0;
    gold.iter()
        .enumerate()
        .map(|(d, doc)| {
            let mut doc = doc.clone();
            let chars: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
            let quotes = doc["quotes"].as_array().unwrap().clone();
            let mut kept = Vec::new();
            for mut q in quotes {
                g += 1;
                if f(d, g - 1, &mut q, &chars) {
                    kept.push(q);
                }
            }
            doc["quotes"] = Value::Array(kept);
            doc
        })
        .collect()
}

fn shift_contents(q: &mut Value, g: usize, chars: &[char]) {
    let n = chars.len() as isize;
    if let Some(Value::Array(spans)) = q.get_mut("content") {
        for (k, sp) in spans.iter_mut().enumerate() {
            let s = sp["start"].as_i64().unwrap() as isize;
            let e = sp["end"].as_i64().unwrap() as isize;
            let ds = ((g + k) % 7) as isize - 3;
            let de = ((g * 3 + k) % 5) as isize - 2;
            let s2 = (s + ds).clamp(0, n);
            let e2 = (e + de).clamp(s2, n);
            sp["start"] = json!(s2);
            sp["end"] = json!(e2);
        }
    }
    refresh_span_texts(q, chars);
}

fn strip_marks(q: &mut Value, chars: &[char]) {
    if let Some(Value::Array(spans)) = q.get_mut("content") {
        for sp in spans.iter_mut() {
            let mut s = sp["start"].as_u64().unwrap() as usize;
            let mut e = sp["end"].as_u64().unwrap() as usize;
            while s < e && (QUOTE_MARKS.contains(&chars[s]) || chars[s].is_whitespace()) {
                s += 1;
            }
            while s < e && (QUOTE_MARKS.contains(&chars[e - 1]) || chars[e - 1].is_whitespace()) {
                e -= 1;
            }
            sp["start"] = json!(s);
            sp["end"] = json!(e);
        }
    }
    refresh_span_texts(q, chars);
}

/// A made-up quote: random spans over the text.
fn random_quote(rng: &mut Lcg, chars: &[char]) -> Value {
    let n = chars.len();
    let mut spans = |max_spans: usize, max_len: usize| -> Value {
        let k = rng.below(max_spans + 1);
        let v: Vec<Value> = (0..k)
            .map(|_| {
                let s = rng.below(n + 1);
                let e = (s + rng.below(max_len + 1)).min(n);
                let with_text = rng.below(2) == 0;
                span_value(chars, s, e, with_text)
            })
            .collect();
        Value::Array(v)
    };
    let source = spans(2, 12);
    let cue = spans(1, 8);
    let content = spans(3, 120);
    json!({"source": source, "cue": cue, "content": content})
}

/// Each gold quote, perturbed at random (and sometimes duplicated, for ties).
fn random_variant(gold: &[Value], seed: u64) -> Vec<Value> {
    let mut rng = Lcg(seed);
    gold.iter()
        .map(|doc| {
            let mut doc = doc.clone();
            let chars: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
            let quotes = doc["quotes"].as_array().unwrap().clone();
            let mut out = Vec::new();
            for mut q in quotes {
                match rng.below(6) {
                    0 => continue,
                    1 => out.push(random_quote(&mut rng, &chars)),
                    _ => {}
                }
                let g = rng.below(1000);
                if rng.below(2) == 0 {
                    shift_contents(&mut q, g, &chars);
                }
                if rng.below(3) == 0 {
                    strip_marks(&mut q, &chars);
                }
                if rng.below(4) == 0 {
                    q["source"] = json!([]);
                }
                if rng.below(5) == 0 {
                    let mut twin = q.clone();
                    twin["cue"] = Value::Null;
                    out.push(twin); // a tie for the greedy matching, decided by order
                }
                out.push(q);
            }
            // Shuffle a little so ties are not always in gold order.
            for i in (1..out.len()).rev() {
                if rng.below(3) == 0 {
                    let j = rng.below(i + 1);
                    out.swap(i, j);
                }
            }
            doc["quotes"] = Value::Array(out);
            if rng.below(4) == 0 {
                doc.as_object_mut().unwrap().remove("text");
            }
            doc
        })
        .collect()
}

#[test]
fn agreement_with_score_py_on_polnear_dev() {
    let Some(dev) = dev_path() else {
        return skip("PolNeAR dev.jsonl not found beside the project");
    };
    let Some(script) = score_py() else { return };
    let gold: Vec<Value> = std::fs::read_to_string(&dev)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let mut variants: Vec<(&str, Vec<Value>)> = vec![("gold itself", gold.clone())];
    variants.push((
        "every 3rd quote dropped",
        map_quotes(&gold, |_, g, _, _| g % 3 != 2),
    ));
    variants.push((
        "sources removed from every 4th quote",
        map_quotes(&gold, |_, g, q, _| {
            if g % 4 == 3 {
                // the three ways of saying "no source"
                match g % 3 {
                    0 => q["source"] = json!([]),
                    1 => q["source"] = Value::Null,
                    _ => {
                        q.as_object_mut().unwrap().remove("source");
                    }
                }
            }
            true
        }),
    ));
    variants.push((
        "contents shifted and trimmed",
        map_quotes(&gold, |_, g, q, chars| {
            shift_contents(q, g, chars);
            true
        }),
    ));
    variants.push((
        "marks stripped from some contents",
        map_quotes(&gold, |_, g, q, chars| {
            if g % 2 == 0 {
                strip_marks(q, chars);
            }
            true
        }),
    ));
    let mut with_extra = map_quotes(&gold, |_, _, _, _| true);
    for (d, doc) in with_extra.iter_mut().enumerate() {
        let chars: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
        let n = chars.len();
        let (s, e) = (n / 3, (n / 3 + 60 + d).min(n));
        let made_up = json!({
            "source": [span_value(&chars, 0, 5.min(n), true)],
            "cue": [],
            "content": [span_value(&chars, s, e, true)],
            "speaker": "nobody",
        });
        let quotes = doc["quotes"].as_array_mut().unwrap();
        if let Some(first) = quotes.first().cloned() {
            // A copy of the first quote without a source, put in front: a Jaccard tie with the
            // original that the greedy matching must break by order.
            let mut twin = first;
            twin["source"] = json!([]);
            quotes.insert(0, twin);
        }
        quotes.push(made_up);
    }
    variants.push(("an extra made-up quote per doc, and a tie", with_extra));
    let mut missing_and_no_text = gold.clone();
    for doc in missing_and_no_text.iter_mut() {
        doc.as_object_mut().unwrap().remove("text");
        for q in doc["quotes"].as_array_mut().unwrap() {
            for role in ["source", "cue", "content"] {
                for sp in q[role].as_array_mut().unwrap() {
                    sp.as_object_mut().unwrap().remove("text");
                }
            }
        }
    }
    let missing_and_no_text: Vec<Value> = missing_and_no_text
        .into_iter()
        .enumerate()
        .filter(|(d, _)| d % 5 != 1)
        .map(|(_, doc)| doc)
        .collect();
    variants.push(("every 5th doc missing, no texts", missing_and_no_text));
    variants.push(("random 1", random_variant(&gold, 1)));
    variants.push(("random 2", random_variant(&gold, 2)));
    variants.push(("random 3", random_variant(&gold, 3)));
    variants.push(("empty", vec![]));

    for (k, (what, docs)) in variants.iter().enumerate() {
        let pred = TempFile::with_lines(&format!("pred{k}.jsonl"), docs);
        let per_doc = matches!(k, 1 | 6 | 7);
        let t = std::time::Instant::now();
        let r = check_agreement(&script, &dev, pred.path(), what, per_doc);
        eprintln!(
            "{what}: agrees (quote F1 {:.4}, {:?})",
            r.all.quote.f1,
            t.elapsed()
        );
    }
}

/// Synthetic documents with what PolNeAR lacks: astral characters, Python-only whitespace
/// (U+001C..U+001F), Unicode spaces, every quotation mark, CR LF, empty and whitespace-only
/// spans, overlapping and touching spans, Jaccard ties.
fn synthetic_gold() -> Vec<Value> {
    let texts = [
        "\u{1f600} Smith said \u{201c}we\u{1c}will\u{a0}win,\u{201d} and\u{3000}left.\r\nJones: \u{ab}Never!\u{bb}",
        "\u{201e}Gut\u{201c}, sagte er. \"A \u{1f}b\" \u{1d}c\u{1e} \u{2003}d;: \"e\" f \u{1f4a9}\u{1f4a9} \"gg hh ii\" jj.",
        "Plain text without any mark, said nobody, really; twice: again and again.",
        "",
    ];
    let mut docs = Vec::new();
    for (d, text) in texts.iter().enumerate() {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let mut rng = Lcg(100 + d as u64);
        let mut quotes: Vec<Value> = (0..if n == 0 { 0 } else { 6 })
            .map(|_| random_quote(&mut rng, &chars))
            .collect();
        if n > 10 {
            // Whitespace-only and empty spans, overlapping and touching spans.
            quotes.push(json!({
                "source": [span_value(&chars, 0, 0, true), span_value(&chars, 1, 2, true)],
                "cue": [span_value(&chars, 2, 5, false)],
                "content": [span_value(&chars, 3, 9, true), span_value(&chars, 5, 10, true),
                            span_value(&chars, 10, n, true), span_value(&chars, n, n, true)],
            }));
        }
        docs.push(
            json!({"id": format!("syn-{d}-\u{e9}\u{1f600}"), "text": text, "quotes": quotes}),
        );
    }
    docs
}

#[test]
fn agreement_with_score_py_on_synthetic_documents() {
    let Some(script) = score_py() else { return };
    let gold = synthetic_gold();
    // The gold file with CRLF line ends, a blank line and a whitespace-only line.
    let mut text = String::new();
    for (k, d) in gold.iter().enumerate() {
        text.push_str(&serde_json::to_string(d).unwrap());
        text.push_str(if k % 2 == 0 {
            "\r\n"
        } else {
            "\n\n \u{1c}\t\n"
        });
    }
    let gold_file = TempFile::with_text("syn-gold.jsonl", &text);
    for seed in 0..12u64 {
        let mut rng = Lcg(seed);
        let mut pred: Vec<Value> = Vec::new();
        for doc in &gold {
            if seed % 4 == 3 && rng.below(3) == 0 {
                continue; // a missing document
            }
            {
                let chars: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
                let mut quotes: Vec<Value> = Vec::new();
                for q in doc["quotes"].as_array().unwrap() {
                    match rng.below(4) {
                        0 => {}
                        1 => quotes.push(random_quote(&mut rng, &chars)),
                        2 => {
                            let mut q = q.clone();
                            shift_contents(&mut q, rng.below(100), &chars);
                            quotes.push(q);
                        }
                        _ => {
                            let mut q = q.clone();
                            strip_marks(&mut q, &chars);
                            quotes.push(q.clone());
                            quotes.push(q); // an exact tie
                        }
                    }
                }
                if !chars.is_empty() {
                    quotes.push(random_quote(&mut rng, &chars));
                }
                pred.push(
                    json!({"id": doc["id"], "quotes": quotes, "speaker": "ignored", "n": NAN_PLACEHOLDER}),
                );
            }
        }
        // Python writes NaN for float('nan') in extra fields; the loader must accept it.
        let mut text = String::new();
        for d in &pred {
            let line = serde_json::to_string(d).unwrap();
            text.push_str(&line.replace(&format!("\"{NAN_PLACEHOLDER}\""), "NaN"));
            text.push('\n');
        }
        let pred_file = TempFile::with_text(&format!("syn-pred{seed}.jsonl"), &text);
        check_agreement(
            &script,
            gold_file.path(),
            pred_file.path(),
            &format!("synthetic seed {seed}"),
            seed % 3 == 0,
        );
    }
}

const NAN_PLACEHOLDER: &str = "@@NaN@@";

/// Inputs that score.py rejects must be rejected here, and the others accepted.
#[test]
fn errors_agree_with_score_py() {
    let Some(script) = score_py() else { return };
    let t = "Ab \u{1f600}\"cd\" e";
    let gold = TempFile::with_lines(
        "err-gold.jsonl",
        &[json!({"id": "d", "text": t, "quotes": [{"content": [{"start": 3, "end": 8}]}]})],
    );
    let lines = [
        // accepted
        (true, r#"{"id": "d", "quotes": []}"#),
        (
            true,
            r#"{"id": "d", "text": "Ab 😀\"cd\" e", "quotes": [{"content": [{"start": 4, "end": 8, "text": "\"cd\""}]}]}"#,
        ),
        (
            true,
            r#"{"id": "d", "quotes": [{"content": [{"start": -0, "end": 9}], "speaker": 5, "x": NaN}]}"#,
        ),
        (
            true,
            r#"{"id": "d", "quotes": [{"content": null, "source": [], "cue": [{"start": 9, "end": 9}]}]}"#,
        ),
        (true, ""),
        // rejected
        (false, r#"{"id": "e", "quotes": []}"#),
        (false, r#"{"id": "d", "text": "Ab", "quotes": []}"#),
        (false, r#"{"id": "d", "text": null, "quotes": []}"#),
        (false, r#"{"id": "d"}"#),
        (false, r#"{"id": "d", "quotes": null}"#),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": 3, "end": 11}]}]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": 3, "end": 2}]}]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": 3.0, "end": 5}]}]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": false, "end": 5}]}]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": 3, "end": 5, "text": null}]}]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": 3, "end": 5, "text": "x"}]}]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": 4, "end": 5, "text": "\ud83d\ude00"}]}]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": [{"start": 3, "end": 4, "text": "\ud83d\ude00"}]}], "q": [1,]}"#,
        ),
        (
            false,
            r#"{"id": "d", "quotes": [{"content": {"start": 3, "end": 4}}]}"#,
        ),
        (false, r#"{"id": "d", "quotes": [7]}"#),
        (false, r#"{"id": "d", "quotes": []} {"#),
        (false, r#"["d"]"#),
    ];
    for (k, (ok, line)) in lines.iter().enumerate() {
        let pred = TempFile::with_text(&format!("err-pred{k}.jsonl"), &format!("{line}\n"));
        let (code, _, err) = run_py(&script, gold.path(), pred.path(), &[]);
        let rust = score_files(gold.path(), pred.path());
        assert_eq!(code == 0, *ok, "score.py on {line}: {err}");
        assert_eq!(rust.is_ok(), *ok, "Rust on {line}: {rust:?}");
        if let Ok(r) = rust {
            let (_, out, _) = run_py(&script, gold.path(), pred.path(), &[]);
            assert_eq!(r.to_text(), out, "{line}");
        }
    }
}

#[test]
fn polnear_dev_is_fast() {
    let Some(dev) = dev_path() else {
        return skip("PolNeAR dev.jsonl not found beside the project");
    };
    let gold: Vec<Value> = std::fs::read_to_string(&dev)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let pred = TempFile::with_lines("fast.jsonl", &random_variant(&gold, 9));
    let t = std::time::Instant::now();
    let r = score_files(&dev, pred.path()).unwrap();
    let took = t.elapsed();
    eprintln!("loaded and scored PolNeAR dev in {took:?}");
    assert!(r.all.counts.gold > 2000);
    // Generous: release takes a few tens of milliseconds; debug builds are slower.
    assert!(took.as_secs_f64() < 10.0, "{took:?}");
}
