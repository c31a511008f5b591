//! The `verbatim` binary, run on temporary files: inputs, formats, errors and exit codes, and
//! the scorer reading the JSONL output.
//!
//! Tests marked "engine" need a working `Extractor` (trained models); the others never reach
//! it (their documents are blank, or skipped).

use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use verbatim::{Kind, OffsetMap, Quote, Setting, Span};

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn article() -> String {
    fs::read_to_string(workspace().join("examples/obama-medvedev-open-mic.txt")).unwrap()
}

/// `shared/` beside the workspace (as in CI), else `/work/shared`. `None`, with the reason
/// printed, when absent, unless CI=true, where its absence fails the test.
fn shared() -> Option<PathBuf> {
    let candidates = [workspace().join("../shared"), PathBuf::from("/work/shared")];
    if let Some(dir) = candidates
        .iter()
        .find(|d| d.join("eval/score.py").is_file())
    {
        return Some(dir.clone());
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "shared/ (with eval/score.py) is missing, and CI=true"
    );
    eprintln!("skipped: shared/eval/score.py not found beside the workspace nor in /work/shared");
    None
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "verbatim-cli-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The JSONL output, parsed.
    fn docs(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    fn ids(&self) -> Vec<String> {
        self.docs()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    }
}

fn verbatim(args: &[&dyn AsRef<std::ffi::OsStr>], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args.iter().map(|a| a.as_ref()))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run the verbatim binary");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    let run = Run {
        code: status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(stdout).expect("UTF-8 output"),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "the binary panicked:\n{}",
        run.stderr
    );
    run
}

/// Every span of every quote of a JSONL document is the text at its code point offsets.
fn assert_spans_match(doc: &Value, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    for q in doc["quotes"].as_array().unwrap() {
        for role in ["source", "cue", "content"] {
            for s in q[role].as_array().unwrap() {
                let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
                let at: String = chars[a as usize..b as usize].iter().collect();
                assert_eq!(s["text"].as_str().unwrap(), at, "{role} {a}..{b}");
            }
        }
        assert!(["direct", "mixed", "indirect"].contains(&q["kind"].as_str().unwrap()));
        assert!(q["setting"].is_string());
        assert!(q["speaker"].is_string() || q["speaker"].is_null());
        assert!(q["addressee"].is_string() || q["addressee"].is_null());
        assert!(q["confidence"].is_number());
    }
}

fn quote_count(doc: &Value) -> usize {
    doc["quotes"].as_array().unwrap().len()
}

// ---- Usage ----

#[test]
fn no_input_is_a_usage_error() {
    let r = verbatim(&[&"extract"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Usage: verbatim extract"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let r = verbatim(&[], None);
    assert_eq!(r.code, 2, "no subcommand");
}

#[test]
fn bad_options_are_usage_errors() {
    let t = TempDir::new();
    let f = t.write("e.txt", "");
    assert_eq!(
        verbatim(&[&"extract", &"--format", &"xml", &f], None).code,
        2
    );
    assert_eq!(verbatim(&[&"extract", &"--jobs", &"0", &f], None).code, 2);
    assert_eq!(
        verbatim(&[&"extract", &"--input-format", &"html", &f], None).code,
        2
    );
    let help = verbatim(&[&"extract", &"--help"], None);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--format <FORMAT>"));
}

#[test]
fn unwritable_output_file_is_fatal() {
    let t = TempDir::new();
    let f = t.write("e.txt", "");
    let out = t.path("no/such/dir/out.jsonl");
    let r = verbatim(&[&"extract", &"-o", &out, &f], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("verbatim: cannot create"), "{}", r.stderr);
}

// ---- Inputs and errors (no engine needed) ----

#[test]
fn empty_file_is_a_document_without_quotes() {
    let t = TempDir::new();
    let f = t.write("empty.txt", "");
    let r = verbatim(&[&"extract", &f], None);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.stdout, "{\"id\":\"empty\",\"quotes\":[]}\n");
}

#[test]
fn binary_and_invalid_utf8_files_are_skipped_with_their_line() {
    let t = TempDir::new();
    let bin = t.write("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let latin1 = t.write("latin1.txt", b"line one\nZ\xfcrich\n");
    let blank = t.write("blank.txt", "\n\n");
    let r = verbatim(&[&"extract", &bin, &latin1, &blank], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let err: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        err,
        [
            format!(
                "verbatim: skipped {}:3: binary file (NUL byte at offset 8)",
                bin.display()
            ),
            format!(
                "verbatim: skipped {}:2: invalid UTF-8 (byte 0xFC at offset 10); convert the file \
                 to UTF-8 first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`",
                latin1.display()
            ),
            "verbatim: 2 document(s) skipped".to_string(),
        ]
    );
    assert_eq!(r.ids(), ["blank"]);
}

#[test]
fn missing_paths_are_skipped() {
    let t = TempDir::new();
    let missing = t.path("nope.txt");
    let ok = t.write("ok.txt", " ");
    let r = verbatim(&[&"extract", &missing, &ok], None);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with(&format!(
        "verbatim: skipped {}: No such file or directory\n",
        missing.display()
    )));
    assert_eq!(r.ids(), ["ok"]);
}

#[test]
fn jsonl_bad_lines_are_reported_and_the_rest_goes_on() {
    let t = TempDir::new();
    let f = t.write(
        "batch.jsonl",
        concat!(
            "{\"id\": \"first\", \"text\": \"\", \"quotes\": []}\n",
            "{\"id\": \"no-text\", \"body\": \"Hello\"}\n",
            "\n",
            "{\"id\": \"second\", \"text\": \"  \"}\n",
            "{\"id\": \"cut\", \"text\": \"\\\"We will",
        ),
    );
    let r = verbatim(&[&"extract", &f], None);
    assert_eq!(r.code, 1);
    assert_eq!(r.ids(), ["first", "second"]);
    let err: Vec<&str> = r.stderr.lines().collect();
    let name = f.display();
    assert_eq!(err.len(), 3, "{}", r.stderr);
    assert_eq!(
        err[0],
        format!("verbatim: skipped {name}:2: no \"text\" field")
    );
    assert!(
        err[1].starts_with(&format!("verbatim: skipped {name}:5: truncated JSON line")),
        "{}",
        err[1]
    );
    assert_eq!(err[2], "verbatim: 2 document(s) skipped");
}

#[test]
fn stdin_is_sniffed_or_forced() {
    let jsonl = b"\n  {\"id\": \"s1\", \"text\": \"\"}\n{\"id\": \"s2\", \"text\": \" \"}\n";
    let r = verbatim(&[&"extract", &"-"], Some(jsonl));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.ids(), ["s1", "s2"]);
    // Forced to text, the same bytes are one document (that the engine will read).
    let r = verbatim(
        &[&"extract", &"--input-format", &"txt", &"-"],
        Some(b"  \n "),
    );
    assert_eq!(r.ids(), ["stdin"]);
    // Forced to JSONL.
    let r = verbatim(
        &[&"extract", &"--input-format", &"jsonl", &"-"],
        Some(b"not json\n"),
    );
    assert_eq!(r.code, 1);
    assert!(r
        .stderr
        .starts_with("verbatim: skipped <stdin>:1: invalid JSON"));
    // Binary on stdin.
    let r = verbatim(&[&"extract", &"-"], Some(b"\0\0\0"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("skipped <stdin>:1: binary file"));
}

#[test]
fn output_file_and_formats_without_quotes() {
    let t = TempDir::new();
    let f = t.write("e.txt", "");
    let out = t.path("out.jsonl");
    let r = verbatim(&[&"extract", &"-o", &out, &f], None);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "{\"id\":\"e\",\"quotes\":[]}\n",
        "jsonl is the default when writing to a file"
    );
    let r = verbatim(&[&"extract", &"--format", &"csv", &f], None);
    assert_eq!(
        r.stdout,
        "id,kind,speaker,addressee,setting,cue,content,source,content_start,content_end,confidence\n"
    );
    let r = verbatim(&[&"extract", &"--format", &"table", &f], None);
    assert_eq!(r.stdout, "(no quotes)\n");
}

#[test]
fn the_output_file_is_not_read_as_input() {
    let t = TempDir::new();
    t.write("corpus/a.txt", "");
    let out = t.path("corpus/out.jsonl");
    for _ in 0..2 {
        let r = verbatim(&[&"extract", &t.path("corpus"), &"-o", &out], None);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""));
        assert_eq!(
            fs::read_to_string(&out).unwrap(),
            "{\"id\":\"a\",\"quotes\":[]}\n"
        );
    }
}

#[test]
fn directories_are_read_recursively_in_path_order() {
    let t = TempDir::new();
    t.write("corpus/b.txt", "");
    t.write("corpus/a/z.txt", " ");
    t.write("corpus/a/readme.md", "not an input");
    t.write(
        "corpus/a/more.jsonl",
        "{\"id\": \"m1\", \"text\": \"\"}\n{\"id\": \"m2\", \"text\": \"\"}\n",
    );
    let r = verbatim(&[&"extract", &"--jobs", &"3", &t.path("corpus")], None);
    // No progress line off a terminal; the file that is not read is named.
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            0,
            format!(
                "verbatim: not read: {} (neither .txt nor .jsonl)\n",
                t.path("corpus/a/readme.md").display()
            )
            .as_str()
        ),
    );
    // Text files are named by their paths in the directory.
    assert_eq!(r.ids(), ["m1", "m2", "a/z", "b"]);
}

/// The writers' JSONL, on the expected quotes of the example, read by the reference scorer:
/// a perfect score, so the schema and the offsets are what it expects.
#[test]
fn score_py_reads_the_jsonl_writer_output() {
    let Some(shared) = shared() else { return };
    let gold_path = shared.join("examples/obama-medvedev-open-mic.expected.jsonl");
    let gold: Value = serde_json::from_str(&fs::read_to_string(&gold_path).unwrap()).unwrap();
    let text = gold["text"].as_str().unwrap();
    assert_eq!(text, article());
    let map = OffsetMap::new(text);
    let spans = |v: &Value| -> Vec<Span> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        let byte = |k: &str| map.to_byte(s[k].as_u64().unwrap() as usize).unwrap();
                        Span::new(byte("start"), byte("end"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let quotes: Vec<Quote> = gold["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| Quote {
            kind: Kind::Indirect,
            source: spans(&q["source"]),
            cue: spans(&q["cue"]),
            content: spans(&q["content"]),
            speaker: q["speaker"].as_str().map(String::from),
            addressee: q["addressee"].as_str().map(String::from),
            setting: Setting::Overheard,
            confidence: 1.0,
        })
        .collect();
    let mut pred = Vec::new();
    verbatim_cli::output::write_jsonl(&mut pred, "obama-medvedev-open-mic", text, &quotes).unwrap();
    // Same spans, same offsets, same span texts as the gold.
    let ours: Value = serde_json::from_slice(&pred).unwrap();
    for (g, p) in gold["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(ours["quotes"].as_array().unwrap())
    {
        for role in ["source", "cue", "content"] {
            assert_eq!(g[role], p[role]);
        }
    }
    let t = TempDir::new();
    let pred_path = t.write("pred.jsonl", &pred);
    let result = score(&shared, &gold_path, &pred_path);
    for subset in ["ALL", "DIRECT"] {
        for metric in ["quote", "exact", "attribution", "cue"] {
            assert_eq!(result[subset][metric]["f1"], 1.0, "{subset} {metric}");
        }
    }
}

/// Run score.py with --json; its exit status must be 0.
fn score(shared: &Path, gold: &Path, pred: &Path) -> Value {
    let out = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .args([gold, pred])
        .arg("--json")
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "score.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

// ---- End to end (engine) ----

#[test]
fn engine_example_article_is_scored_by_score_py() {
    let Some(shared) = shared() else { return };
    let t = TempDir::new();
    let pred = t.path("pred.jsonl");
    let input = workspace().join("examples/obama-medvedev-open-mic.txt");
    let r = verbatim(&[&"extract", &"-o", &pred, &input], None);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let docs: Vec<Value> = fs::read_to_string(&pred)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "obama-medvedev-open-mic");
    assert!(quote_count(&docs[0]) > 0);
    assert_spans_match(&docs[0], &article());
    let gold = shared.join("examples/obama-medvedev-open-mic.expected.jsonl");
    let result = score(&shared, &gold, &pred);
    assert!(result["ALL"]["counts"]["pred"].as_u64().unwrap() > 0);
    assert_eq!(result["missing_documents"], Value::Array(vec![]));
}

#[test]
fn engine_directory_of_text_files() {
    let t = TempDir::new();
    let text = article();
    t.write("news/2012/obama.txt", &text);
    t.write(
        "news/2012/short.txt",
        "“I will not resign,” the mayor of Zürich told reporters.",
    );
    t.write("news/empty.txt", "");
    let r = verbatim(&[&"extract", &t.path("news")], None);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.ids(), ["2012/obama", "2012/short", "empty"]);
    let docs = r.docs();
    assert!(quote_count(&docs[0]) > 0);
    assert_spans_match(&docs[0], &text);
    assert_spans_match(
        &docs[1],
        "“I will not resign,” the mayor of Zürich told reporters.",
    );
    assert_eq!(quote_count(&docs[2]), 0);
}

#[test]
fn engine_jsonl_with_bad_lines_still_outputs_the_good_documents() {
    let t = TempDir::new();
    let text = article();
    let line = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
    let mut data = String::new();
    data += &line("a", &text);
    data += "\n{\"id\": \"b\"}\n";
    data += &line("c", "\"It is over,\" said Jean-Luc Mélenchon.");
    data += "\n";
    data += &line("d", &text)[..200]; // truncated last line
    let f = t.write("batch.jsonl", data);
    let r = verbatim(&[&"extract", &"--jobs", &"2", &f], None);
    assert_eq!(r.code, 1);
    assert_eq!(r.ids(), ["a", "c"]);
    let docs = r.docs();
    assert!(quote_count(&docs[0]) > 0);
    assert_spans_match(&docs[0], &text);
    assert_spans_match(&docs[1], "\"It is over,\" said Jean-Luc Mélenchon.");
    assert!(r
        .stderr
        .contains(&format!("skipped {}:2: no \"text\" field", f.display())));
    assert!(r
        .stderr
        .contains(&format!("skipped {}:4: truncated JSON line", f.display())));
    assert!(r.stderr.ends_with("verbatim: 2 document(s) skipped\n"));
}

#[test]
fn engine_stdin_text() {
    let text = article();
    let r = verbatim(&[&"extract", &"-"], Some(text.as_bytes()));
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let docs = r.docs();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "stdin");
    assert!(quote_count(&docs[0]) > 0);
    assert_spans_match(&docs[0], &text);
}

#[test]
fn engine_output_is_the_same_whatever_the_number_of_jobs() {
    let t = TempDir::new();
    let text = article();
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let mut data = String::new();
    for k in 0..60 {
        // Documents of very different sizes, so workers finish out of order.
        let body = if k % 7 == 0 {
            text.clone()
        } else {
            paragraphs[k % paragraphs.len()].to_string()
        };
        data += &serde_json::json!({"id": format!("doc{k}"), "text": body}).to_string();
        data += "\n";
    }
    let f = t.write("many.jsonl", data);
    let one = verbatim(&[&"extract", &"--jobs", &"1", &f], None);
    let four = verbatim(&[&"extract", &"--jobs", &"4", &f], None);
    assert_eq!(one.code, 0);
    assert_eq!(one.stdout, four.stdout);
    let ids: Vec<String> = (0..60).map(|k| format!("doc{k}")).collect();
    assert_eq!(one.ids(), ids);
    let csv1 = verbatim(&[&"extract", &"--format", &"csv", &"-j", &"1", &f], None);
    let csv3 = verbatim(&[&"extract", &"--format", &"csv", &"-j", &"3", &f], None);
    assert_eq!(csv1.stdout, csv3.stdout);
}

#[test]
fn engine_csv_and_table() {
    let t = TempDir::new();
    let f = t.write("obama.txt", article());
    let jsonl = verbatim(&[&"extract", &f], None);
    let n = quote_count(&jsonl.docs()[0]);
    let csv = verbatim(&[&"extract", &"--format", &"csv", &f], None);
    assert_eq!(csv.code, 0);
    assert!(csv
        .stdout
        .starts_with("id,kind,speaker,addressee,setting,cue,content,source,"));
    // Quotation marks in the content are doubled inside a quoted field.
    assert!(csv.stdout.contains("\"\""), "{}", csv.stdout);
    let rows = csv
        .stdout
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("obama,"))
        .count();
    assert_eq!(rows, n);
    let table = verbatim(&[&"extract", &"--format", &"table", &f], None);
    assert_eq!(table.code, 0);
    assert_eq!(table.stdout.lines().count(), n);
    for line in table.stdout.lines() {
        assert!(line.chars().count() <= 120, "{line}");
    }
    // Two documents: a heading each.
    let g = t.write("two.txt", "\"Yes,\" she said.");
    let two = verbatim(&[&"extract", &"--format", &"table", &f, &g], None);
    assert!(two.stdout.starts_with("== obama ("), "{}", two.stdout);
    assert!(two.stdout.contains("\n\n== two ("), "{}", two.stdout);
}

/// A 10 MB document of the article's sentences, over and over: it completes, with quotes,
/// and the offsets are right at the far end too.
#[test]
fn engine_ten_megabyte_document() {
    let text = article();
    let paragraphs: Vec<&str> = text.split("\n\n").skip(3).collect();
    let mut big = String::with_capacity(10_500_000);
    let mut k = 0;
    while big.len() < 10_000_000 {
        big += paragraphs[k % paragraphs.len()];
        big += if k % 5 == 4 { " • \n\n" } else { "\n\n" };
        k += 1;
    }
    let t = TempDir::new();
    let f = t.write("big.txt", &big);
    let out = t.path("big.jsonl");
    let r = verbatim(&[&"extract", &"-o", &out, &f], None);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(fs::read_to_string(&out).unwrap().trim_end()).unwrap();
    assert_eq!(doc["id"], "big");
    assert!(quote_count(&doc) > 1000, "{} quotes", quote_count(&doc));
    assert_spans_match(&doc, &big);
}
