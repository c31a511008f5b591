//! `ingest`, `search` and `speakers` as a user meets them: pipes, ids, dates, messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "verbatim-bankcli-{}-{name}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Run `cmd`, asserting that it succeeded (its stderr shown if not).
fn succeeded(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

const ARTICLES: &str = concat!(
    r#"{"id": "a1", "outlet": "Washington Post", "date": "2016-02-10", "text": "\"We will build a great wall,\" Donald Trump said on Monday. \"Mexico will pay for it,\" he added."}"#,
    "\n",
    r#"{"id": "a2", "outlet": "BBC", "date": "2016-03-05", "text": "\"We will build a great wall,\" Donald Trump told supporters in Ohio."}"#,
    "\n",
    r#"{"id": "a3", "outlet": "BBC", "date": "2012-03-26", "text": "\"This is my last election,\" Barack Obama said to Dmitry Medvedev."}"#,
    "\n",
);

/// A bank of three articles from two outlets.
fn bank(t: &TempDir) -> PathBuf {
    let input = t.write("articles.jsonl", ARTICLES);
    let db = t.0.join("bank.db");
    succeeded(bin().args(["ingest", "--db"]).arg(&db).arg(input));
    db
}

/// Run `args` with its standard output a pipe whose reader has gone away, as in `… | head -1`
/// once head has read its line.
fn into_closed_pipe(args: &[&str], db: &Path) -> Output {
    let mut child = bin()
        .args(args)
        .arg("--db")
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn printing_into_a_closed_pipe_is_not_an_error() {
    let t = TempDir::new("pipe");
    let db = bank(&t);
    for args in [
        &["search", "--format", "table", "wall"][..],
        &["search", "--format", "jsonl"],
        &["speakers", "--format", "table"],
        &["speakers", "--format", "jsonl"],
        &["speakers", "--suggest-aliases"],
    ] {
        let out = into_closed_pipe(args, &db);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // Nothing printed is lost when the reader stays.
    let out = succeeded(
        bin()
            .args(["speakers", "--format", "jsonl", "--db"])
            .arg(&db)
            .stdin(Stdio::null()),
    );
    assert!(stdout(&out).contains("Donald Trump"), "{}", stdout(&out));
}

/// Run `cmd` with `input` on its standard input.
fn with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(input).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn ids_of(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn text_files_in_a_directory_are_named_by_their_paths() {
    let t = TempDir::new("tree");
    let story = "\"We will win,\" Barack Obama said.";
    t.write("tree/2016-01/index.txt", story);
    t.write("tree/2016-02/index.txt", story);
    let out = succeeded(
        bin()
            .args(["extract", "--format", "jsonl"])
            .arg(t.0.join("tree")),
    );
    assert_eq!(ids_of(&stdout(&out)), ["2016-01/index", "2016-02/index"]);
    // Both are stored, not the second refused as a repeat of the first.
    let db = t.0.join("bank.db");
    let out = succeeded(
        bin()
            .args(["ingest", "--db"])
            .arg(&db)
            .arg(t.0.join("tree")),
    );
    assert!(stderr(&out).contains("2 new"), "{}", stderr(&out));
    let hits = succeeded(bin().args(["search", "--format", "jsonl", "--db"]).arg(&db));
    let docs: Vec<String> = stdout(&hits)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["document_id"].to_string())
        .collect();
    assert!(docs.contains(&"\"2016-01/index\"".to_string()), "{docs:?}");
    assert!(docs.contains(&"\"2016-02/index\"".to_string()), "{docs:?}");
    // A file named on the command line keeps its stem.
    let out = succeeded(
        bin()
            .args(["extract", "--format", "jsonl"])
            .arg(t.0.join("tree/2016-01/index.txt")),
    );
    assert_eq!(ids_of(&stdout(&out)), ["index"]);
}

#[test]
fn text_on_standard_input_takes_an_id() {
    let t = TempDir::new("stdin-id");
    let db = t.0.join("bank.db");
    for (id, text) in [
        ("story-1", "\"We will win,\" Barack Obama said."),
        ("story-2", "\"We will lose,\" Dmitry Medvedev said."),
    ] {
        let out = with_stdin(
            bin().args(["ingest", "--id", id, "--db"]).arg(&db).arg("-"),
            text.as_bytes(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("1 new"), "{}", stderr(&out));
    }
    let out = with_stdin(
        bin().args(["extract", "--format", "jsonl", "--id", "x/1", "-"]),
        b"\"Hi,\" he said.",
    );
    assert_eq!(ids_of(&stdout(&out)), ["x/1"]);
    // Usage errors: other inputs, or JSONL.
    let file = t.write("a.txt", "Hello.");
    for args in [
        vec!["extract", "--id", "x", "-", file.to_str().unwrap()],
        vec!["extract", "--id", "x", file.to_str().unwrap()],
        vec!["extract", "--id", "x", "--input-format", "jsonl", "-"],
    ] {
        let out = with_stdin(bin().args(&args), b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("--id"), "{}", stderr(&out));
    }
    let out = with_stdin(
        bin().args(["extract", "--format", "jsonl", "--id", "x", "-"]),
        b"{\"id\": \"j\", \"text\": \"t\"}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("leave out --id"), "{}", stderr(&out));
}

#[test]
fn a_byte_order_mark_does_not_shift_offsets() {
    let text = "\"We will win,\" Barack Obama said.";
    let plain = with_stdin(
        bin().args(["extract", "--format", "jsonl", "-"]),
        text.as_bytes(),
    );
    let with_bom = with_stdin(
        bin().args(["extract", "--format", "jsonl", "-"]),
        format!("\u{FEFF}{text}").as_bytes(),
    );
    assert!(plain.status.success() && with_bom.status.success());
    let quotes = |o: &Output| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(stdout(o).trim()).unwrap()["quotes"].clone()
    };
    let q = quotes(&with_bom);
    assert_eq!(q, quotes(&plain));
    assert_eq!(q[0]["content"][0]["start"], 0, "{q}");
    // A file too.
    let t = TempDir::new("bom");
    let f = t.write("bom.txt", format!("\u{FEFF}{text}"));
    let out = succeeded(bin().args(["extract", "--format", "jsonl"]).arg(f));
    assert_eq!(quotes(&out), quotes(&plain));
}

#[test]
fn the_ingest_summary_counts_each_document_once() {
    let t = TempDir::new("summary");
    let input = t.write(
        "mixed.jsonl",
        concat!(
            r#"{"id": "ok", "text": "\"We will win,\" Barack Obama said."}"#,
            "\n",
            "not json\n",
            r#"{"id": "bad-date", "date": "2016-02-30", "text": "\"No,\" Obama said."}"#,
            "\n",
        ),
    );
    let out = bin()
        .args(["ingest", "--db"])
        .arg(t.0.join("bank.db"))
        .arg(input)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("3 document(s): 1 new, 0 replaced, 0 unchanged, 2 not stored (1 unreadable, 1 rejected)"),
        "{err}"
    );
    assert!(
        !err.contains("skipped\n") && !err.contains("document(s) skipped"),
        "{err}"
    );
}

#[test]
fn search_dates_are_read_as_ingest_reads_them() {
    let t = TempDir::new("dates");
    let db = bank(&t);
    let ids = |since: &str, until: &str| -> Vec<String> {
        let out = succeeded(
            bin()
                .args([
                    "search", "--format", "jsonl", "--since", since, "--until", until, "--db",
                ])
                .arg(&db),
        );
        let mut ids: Vec<String> = stdout(&out)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["document_id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    assert_eq!(ids("2016", "2016"), ["a1", "a2"]);
    assert_eq!(ids("2016-03", "2016-03"), ["a2"]);
    assert_eq!(ids("February 10, 2016", "10 Feb 2016"), ["a1"]);
    assert_eq!(ids("2016/02/11", "Sat, 05 Mar 2016 23:00:00 +0000"), ["a2"]);
    assert_eq!(ids("2012-03-26T08:00:00Z", "2012-03-26"), ["a3"]);
    let out = bin()
        .args(["search", "--since", "2016-02-30", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no such day"), "{}", stderr(&out));
}

#[test]
fn unknown_outlets_and_empty_results_are_told() {
    let t = TempDir::new("outlets");
    let db = bank(&t);
    let out = bin()
        .args(["search", "--outlet", "wash", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"wash\"")
            && stderr(&out).contains("did you mean: \"Washington Post\""),
        "{}",
        stderr(&out)
    );
    let out = bin()
        .args(["search", "--outlet", "Reuters", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"BBC\", \"Washington Post\""),
        "{}",
        stderr(&out)
    );
    // A known outlet (in any case) without a match: an empty answer, said so in a table.
    let out = succeeded(
        bin()
            .args(["search", "--format", "table", "--outlet", "bbc", "--db"])
            .arg(&db)
            .arg("nosuchword"),
    );
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("no quotes match"), "{}", stderr(&out));
    let out = succeeded(
        bin()
            .args(["search", "--format", "jsonl", "--db"])
            .arg(&db)
            .arg("nosuchword"),
    );
    assert_eq!(stdout(&out), "");
    // A limit of 0 is refused alike.
    for cmd in ["search", "speakers"] {
        let out = bin()
            .args([cmd, "--limit", "0", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(stderr(&out).contains("--limit"), "{cmd}: {}", stderr(&out));
    }
}

#[test]
fn the_search_table_says_how_many_reports_a_remark_has() {
    let t = TempDir::new("reports");
    let db = bank(&t);
    let out = succeeded(
        bin()
            .args(["search", "--format", "table", "--db"])
            .arg(&db)
            .arg("great wall"),
    );
    let table = stdout(&out);
    let mut lines = table.lines();
    let head = lines.next().unwrap();
    assert!(
        head.contains("REPORTS") && !head.contains("SEEN"),
        "{table}"
    );
    // The column is the cluster's size: the quotes that carry the remark, here in two outlets.
    let jsonl = succeeded(
        bin()
            .args(["search", "--format", "jsonl", "--db"])
            .arg(&db)
            .arg("great wall"),
    );
    let sizes: Vec<String> = stdout(&jsonl)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["cluster_size"].to_string())
        .collect();
    let col = head[..head.find("REPORTS").unwrap()].chars().count();
    let cells: Vec<String> = lines
        .map(|r| {
            r.chars()
                .skip(col)
                .take(7)
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect();
    assert_eq!(cells, sizes, "{table}");
    assert!(
        sizes.iter().all(|n| n.parse::<u32>().unwrap() >= 2),
        "{sizes:?}"
    );
}

/// A table search by speaker says on stderr whom the name was taken to mean.
#[test]
fn a_speaker_search_names_the_speakers_it_matched() {
    let t = TempDir::new("who");
    let db = bank(&t);
    let out = succeeded(bin().args(["search", "--db"]).arg(&db).args([
        "--speaker",
        "Trump",
        "--format",
        "table",
    ]));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.starts_with("verbatim: speaker: "))
        .unwrap_or_else(|| panic!("no speaker line: {err}"));
    assert!(line.contains("Donald Trump (#"), "{line}");
    // JSONL output is for programs: nothing extra.
    let out = succeeded(bin().args(["search", "--db"]).arg(&db).args([
        "--speaker",
        "Trump",
        "--format",
        "jsonl",
    ]));
    assert!(!stderr(&out).contains("speaker:"), "{}", stderr(&out));
}

/// `speakers --outlet/--since/--until` counts who gets quoted there and then.
#[test]
fn speakers_count_within_an_outlet_and_months() {
    let t = TempDir::new("within");
    let db = bank(&t);
    let out = succeeded(
        bin()
            .args(["speakers", "--db"])
            .arg(&db)
            .args(["--outlet", "bbc", "--since", "2016", "--format", "jsonl"]),
    );
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The 2016 BBC article quotes Donald Trump once; the 2012 one (Obama) is outside.
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["name"], "Donald Trump");
    assert_eq!(lines[0]["quote_count"], 1);
    let out = bin()
        .args(["speakers", "--db"])
        .arg(&db)
        .args(["--outlet", "Daily Bugle"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no quotes from an outlet"),
        "{}",
        stderr(&out)
    );
    let out = bin()
        .args(["speakers", "--db"])
        .arg(&db)
        .args(["--since", "2016-02-10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("by month"), "{}", stderr(&out));
}

/// Files a directory holds that are not read are named, not passed over in silence.
#[test]
fn a_walked_directory_names_the_files_it_does_not_read() {
    let t = TempDir::new("ignored");
    t.write("tree/a.txt", "\"We will win,\" Jane Doe said.");
    t.write("tree/notes.md", "# notes");
    t.write("tree/sub/image.png", [0u8, 1, 2]);
    let db = t.0.join("bank.db");
    let out = succeeded(
        bin()
            .args(["ingest", "--db"])
            .arg(&db)
            .arg(t.0.join("tree")),
    );
    let err = stderr(&out);
    assert!(
        err.contains("not read:") && err.contains("notes.md") && err.contains("1 more"),
        "{err}"
    );
    let out = succeeded(
        bin()
            .args(["extract", "--format", "jsonl"])
            .arg(t.0.join("tree")),
    );
    assert!(stderr(&out).contains("not read:"), "{}", stderr(&out));
}
