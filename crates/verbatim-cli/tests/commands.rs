//! `verbatim eval`, `verify` and transcript extraction, run as a user would.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/…`, or None (after saying why) when absent outside CI.
fn shared(rel: &str) -> Option<PathBuf> {
    let p = root().join("../shared").join(rel);
    if p.exists() {
        return Some(p);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "{} is required under CI",
        p.display()
    );
    eprintln!("SKIPPED: {} not found", p.display());
    None
}

/// The JSON lines a successful run printed (the run's stderr shown if it failed).
fn jsonl_lines(out: std::process::Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("verbatim-cmd-{}-{name}", std::process::id()))
}

#[test]
fn eval_prints_the_same_numbers_as_score_py_on_polnear_dev() {
    let Some(gold) = shared("data/polnear/dev.jsonl") else {
        return;
    };
    let scorer = shared("eval/score.py").unwrap();
    let pred = temp("dev-pred.jsonl");
    let st = bin()
        .args(["extract", "--format", "jsonl", "-o"])
        .arg(&pred)
        .arg(&gold)
        .status()
        .unwrap();
    assert!(st.success());
    let ours = bin().arg("eval").arg(&gold).arg(&pred).output().unwrap();
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    let theirs = Command::new("python3")
        .arg(&scorer)
        .arg(&gold)
        .arg(&pred)
        .output()
        .unwrap();
    assert!(
        theirs.status.success(),
        "{}",
        String::from_utf8_lossy(&theirs.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&theirs.stdout)
    );
    // Without PRED, eval extracts the gold texts itself: the same report.
    let direct = bin().arg("eval").arg(&gold).output().unwrap();
    assert_eq!(direct.stdout, ours.stdout);
    std::fs::remove_file(pred).ok();
}

#[test]
fn eval_reports_bad_input_with_status_2() {
    let bad = temp("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\": \"a\", \"text\": \"x\", \"quotes\": []}\n{\"id\": \"a\"",
    )
    .unwrap();
    let out = bin().arg("eval").arg(&bad).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(":2"),
        "names the line"
    );
    std::fs::remove_file(bad).ok();
}

#[test]
fn verify_the_example_against_its_transcript() {
    let r = root();
    let out = bin()
        .args(["verify", "--format", "jsonl"])
        .arg(r.join("examples/obama-medvedev-open-mic.txt"))
        .arg("--against")
        .arg(r.join("examples/obama-medvedev-transcript.txt"))
        .output()
        .unwrap();
    let lines = jsonl_lines(out);
    let words = |s: &str| -> String {
        let kept: String = s
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect();
        kept.to_lowercase()
    };
    let verdict = |start: &str| {
        lines
            .iter()
            .find(|v| {
                words(v["quoted"].as_str().unwrap_or(""))
                    .trim_start()
                    .starts_with(&words(start))
            })
            .map(|v| {
                (
                    v["verdict"].as_str().unwrap().to_string(),
                    v["speaker_matches"].as_bool(),
                )
            })
    };
    for start in [
        "On all these issues",
        "Yeah, I understand",
        "This is my last election",
        "I understand. I will",
    ] {
        assert_eq!(
            verdict(start),
            Some(("verbatim".into(), Some(true))),
            "{start}"
        );
    }
}

#[test]
fn transcripts_are_extracted_turn_by_turn() {
    let srt = temp("exchange.srt");
    std::fs::write(
        &srt,
        "1\n00:00:01,000 --> 00:00:04,000\nOBAMA: This is my last election.\n\n\
         2\n00:00:04,500 --> 00:00:06,000\nMEDVEDEV: I understand.\n",
    )
    .unwrap();
    let out = bin()
        .args([
            "extract",
            "--format",
            "jsonl",
            "--transcript",
            "--setting",
            "overheard",
        ])
        .arg(&srt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let quotes = doc["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 2);
    assert_eq!(quotes[0]["content"][0]["text"], "This is my last election.");
    assert_eq!(quotes[0]["setting"], "overheard");
    assert_eq!(quotes[1]["addressee"], quotes[0]["speaker"]);
    std::fs::remove_file(srt).ok();
}

#[test]
fn transcript_warnings_are_printed_and_the_run_finishes() {
    // Warnings come from worker threads while the main thread reports progress and skips: this
    // once deadlocked on the stderr lock. A minute is far beyond the run's real length.
    let path = temp("warned.txt");
    std::fs::write(
        &path,
        "OBAMA: On all these issues, particularly missile defence, this can be solved.\n\
         MEDVEDEV:\n\
         OBAMA: After my election I have more flexibility.\n",
    )
    .unwrap();
    let mut child = bin()
        .args([
            "extract",
            "--format",
            "jsonl",
            "--jobs",
            "2",
            "--transcript",
        ])
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().ok();
            panic!("`verbatim extract --transcript` hung on a transcript with a warning");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning") && err.contains("MEDVEDEV"), "{err}");
    let quotes = &jsonl_lines(out)[0]["quotes"];
    assert_eq!(quotes.as_array().unwrap().len(), 2);
    std::fs::remove_file(path).ok();
}

#[test]
fn ingest_search_and_speakers_on_the_example() {
    let db = temp("bank.db");
    let article = root().join("examples/obama-medvedev-open-mic.txt");
    let ingest = || {
        bin()
            .args(["ingest", "--db"])
            .arg(&db)
            .arg(&article)
            .output()
            .unwrap()
    };
    let first = ingest();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stderr).contains("1 new"));
    // Idempotent: the same document again changes nothing.
    let again = ingest();
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("1 unchanged"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let hits = bin()
        .args(["search", "--format", "jsonl", "--db"])
        .arg(&db)
        .arg("flexibility")
        .output()
        .unwrap();
    let hits = jsonl_lines(hits);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits.iter().all(|h| h.to_string().contains("Barack Obama")));
    let speakers = bin()
        .args(["speakers", "--format", "table", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&speakers.stdout);
    assert!(
        table.contains("Barack Obama") && table.contains("Dmitry Medvedev"),
        "{table}"
    );
    // Bank listings have no CSV form: refused, not silently printed as a table.
    let csv = bin()
        .args(["speakers", "--format", "csv", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(csv.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&csv.stderr).contains("possible values: table, jsonl"));
    let unknown = bin()
        .args(["search", "--db"])
        .arg(&db)
        .args(["--speaker", "Nobody Atall", "x"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    // Linking again with the same rules changes nothing, and the list stays the same.
    let relink = succeeded(bin().args(["speakers", "--relink", "--db"]).arg(&db));
    let said = String::from_utf8_lossy(&relink.stdout);
    assert!(
        said.contains("0 quote(s) changed speaker or link"),
        "{said}"
    );
    let again = bin()
        .args(["speakers", "--format", "table", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout), table);
    let missing = bin()
        .args(["speakers", "--relink", "--db"])
        .arg(temp("no-such-bank.db"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such bank"));
    for suffix in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", db.display())).ok();
    }
}

#[test]
fn ingest_transcripts_and_verify_the_articles_against_them() {
    let db = temp("transcript-bank.db");
    let r = root();
    let ingest = |args: &[&str], input: &Path| {
        bin()
            .args(["ingest", "--db"])
            .arg(&db)
            .args(args)
            .arg(input)
            .output()
            .unwrap()
    };
    let article = ingest(&[], &r.join("examples/obama-medvedev-open-mic.txt"));
    assert!(article.status.success());
    let transcript = ingest(
        &["--transcript", "--setting", "overheard"],
        &r.join("examples/obama-medvedev-transcript.txt"),
    );
    let stderr = String::from_utf8_lossy(&transcript.stderr).to_string();
    assert!(transcript.status.success(), "{stderr}");
    assert!(
        stderr.contains("1 new") && stderr.contains("verified against transcripts"),
        "{stderr}"
    );
    let hits = jsonl_lines(
        bin()
            .args(["search", "--format", "jsonl", "--order", "newest", "--db"])
            .arg(&db)
            .arg("\"more flexibility\"")
            .output()
            .unwrap(),
    );
    let by_doc = |id: &str| {
        hits.iter()
            .find(|h| h["document_id"] == id && h["kind"] == "direct")
            .unwrap_or_else(|| panic!("no direct hit in {id}: {hits:?}"))
    };
    assert_eq!(by_doc("obama-medvedev-open-mic")["verdict"], "verbatim");
    let turn = by_doc("obama-medvedev-transcript");
    assert!(turn["verdict"].is_null());
    assert_eq!(turn["speaker_raw"], "President Obama");

    // JSONL lines say "kind": "transcript" themselves; parse problems are warnings, an
    // unreadable transcript is a rejection (exit status 1), and the rest is stored.
    let jsonl = temp("transcripts.jsonl");
    std::fs::write(
        &jsonl,
        concat!(
            r#"{"id": "t2", "kind": "transcript", "text": "OBAMA: Hi there.\nMEDVEDEV:\nOBAMA: Bye now.\n"}"#,
            "\n",
            r#"{"id": "t3", "kind": "transcript", "format": "srt", "text": "   "}"#,
            "\n",
            r#"{"id": "t4", "kind": "podcast", "text": "x"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = ingest(&[], &jsonl);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("warning: t2 (") && stderr.contains(".jsonl:1): line 2: speaker label"),
        "{stderr}"
    );
    assert!(
        stderr.contains(".jsonl:2): unreadable transcript"),
        "{stderr}"
    );
    assert!(
        stderr.contains(":3: document \"t4\": unknown document kind"),
        "{stderr}"
    );
    assert!(stderr.contains("1 new"), "{stderr}");
    // --input-format reads a file whatever its name.
    let renamed = temp("more-transcripts.txt");
    std::fs::write(
        &renamed,
        r#"{"id": "t5", "kind": "transcript", "text": "OBAMA: Thank you all.\n"}"#,
    )
    .unwrap();
    let out = ingest(&["--input-format", "jsonl"], &renamed);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 new"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for suffix in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", db.display())).ok();
    }
    std::fs::remove_file(jsonl).ok();
    std::fs::remove_file(renamed).ok();
}

/// A JSONL file keeps its metadata however it reaches `ingest` (in a directory, on standard
/// input, with a byte-order mark or an upper-case extension); a missing input is skipped and
/// the rest stored; documents of one run sharing an id are reported, not stored one over the
/// other; and an ingest with nothing to read says so.
#[test]
fn ingest_reads_every_input_as_extract_does_and_keeps_jsonl_metadata() {
    let dir = temp("ingest-inputs");
    std::fs::create_dir_all(dir.join("feed")).unwrap();
    std::fs::create_dir_all(dir.join("col/x")).unwrap();
    std::fs::create_dir_all(dir.join("col/y")).unwrap();
    let line = |id: &str, outlet: &str| {
        format!(
            r#"{{"id": "{id}", "title": "T {id}", "outlet": "{outlet}", "date": "2012-03-26", "text": "\"We will win,\" Jo Smith said on Monday."}}"#
        )
    };
    std::fs::write(
        dir.join("feed/a.jsonl"),
        line("a", "bbc") + "\n{\"id\": \" \", \"text\": \"x\"}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("B.JSONL"),
        format!("\u{feff}{}\n", line("b", "cnn")),
    )
    .unwrap();
    std::fs::write(dir.join("col/x/report.txt"), "\"Alpha,\" Smith said.").unwrap();
    std::fs::write(dir.join("col/y/report.txt"), "\"Beta,\" Jones said.").unwrap();
    // Walked text files are named by their paths: this line's id is taken already.
    std::fs::write(
        dir.join("col/z.jsonl"),
        "{\"id\": \"x/report\", \"text\": \"\\\"Gamma,\\\" Lee said.\"}\n",
    )
    .unwrap();
    let db = dir.join("bank.db");
    let run = |inputs: &[&str], stdin: &str| {
        let mut child = bin()
            .args(["ingest", "--db"])
            .arg(&db)
            .args(inputs.iter().map(|i| dir.join(i)))
            .args(inputs.is_empty().then_some("-"))
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["feed", "missing.jsonl", "B.JSONL", "col"], "");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("skipped"), "{stderr}");
    assert!(stderr.contains("missing.jsonl"), "{stderr}");
    assert!(stderr.contains("a.jsonl:2: empty document id"), "{stderr}");
    // The refused document is named with the file it came from.
    assert!(
        stderr.contains("rejected x/report (")
            && stderr.contains("z.jsonl:1): an earlier document of this ingest has the same id"),
        "{stderr}"
    );
    assert!(stderr.contains("4 new"), "{stderr}");
    let out = run(&[], &(line("c", "ap") + "\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = document_rows(&db);
    for (id, outlet) in [("a", "bbc"), ("b", "cnn"), ("c", "ap")] {
        assert!(
            c.iter()
                .any(|r| r == &format!("{id}|T {id}|{outlet}|2012-03-26")),
            "{id}: {c:?}"
        );
    }
    assert!(c.iter().any(|r| r == "x/report|||"), "{c:?}");
    assert!(c.iter().any(|r| r == "y/report|||"), "{c:?}");
    let hits = jsonl_lines(
        bin()
            .args(["search", "--format", "jsonl", "--db"])
            .arg(&db)
            .arg("alpha")
            .output()
            .unwrap(),
    );
    assert_eq!(
        hits.len(),
        1,
        "the first of the two `x/report`s is kept: {hits:?}"
    );
    // A page that is not the last says how to get the next one.
    let page = |cursor: Option<&str>| {
        let mut cmd = bin();
        cmd.args(["search", "--format", "jsonl", "--limit", "1", "--db"])
            .arg(&db);
        if let Some(c) = cursor {
            cmd.args(["--cursor", c]);
        }
        let out = cmd.arg("win").output().unwrap();
        let note = String::from_utf8_lossy(&out.stderr).to_string();
        let next = note
            .split_once("--cursor ")
            .map(|(_, rest)| rest.split_whitespace().next().unwrap().to_string());
        (jsonl_lines(out), next)
    };
    let (first, next) = page(None);
    let next = next.expect("a note with the next cursor");
    let (second, _) = page(Some(&next));
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_ne!(first[0]["quote_id"], second[0]["quote_id"]);
    // Reading an empty file does not make it a bank.
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let out = bin()
        .args(["search", "--db"])
        .arg(&empty)
        .arg("x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a quote bank"));
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    let out = bin().args(["ingest", "--db"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing to ingest"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(dir).ok();
}

/// The documents of a bank as `id|title|outlet|published` rows, in id order.
fn document_rows(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare(
            "SELECT id, coalesce(title, ''), coalesce(outlet, ''), coalesce(published, '')
             FROM documents ORDER BY id",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok(format!(
                "{}|{}|{}|{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// `speakers --suggest-aliases` prints alias file lines that `ingest --aliases` loads.
#[test]
fn suggested_aliases_load_back() {
    let dir = temp("suggest");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "a", "text": "\"We will build it,\" Donald J. Trump said on Monday."}"#,
            "\n",
            r#"{"id": "b", "text": "\"It will be great,\" Donald Trump said on Tuesday."}"#,
            "\n",
            r#"{"id": "c", "text": "\"Believe me,\" Donald Trump said on Friday."}"#,
            "\n",
        ),
    )
    .unwrap();
    let db = dir.join("bank.db");
    succeeded(bin().args(["ingest", "--db"]).arg(&db).arg(&input));
    let suggest = || {
        let out = succeeded(
            bin()
                .args(["speakers", "--suggest-aliases", "--db"])
                .arg(&db),
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let tsv = suggest();
    assert!(tsv.contains("\nDonald J. Trump\tDonald Trump\n"), "{tsv}");
    let file = dir.join("aliases.tsv");
    std::fs::write(&file, &tsv).unwrap();
    let out = succeeded(
        bin()
            .args(["ingest", "--db"])
            .arg(&db)
            .arg("--aliases")
            .arg(&file),
    );
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        stderr.contains("1 alias(es) loaded from") && stderr.contains("1 quote(s) moved"),
        "{stderr}"
    );
    // An alias file alone: no document summary.
    assert!(!stderr.contains("document"), "{stderr}");
    assert!(suggest().contains(": 0 line(s)"));
    std::fs::remove_dir_all(dir).ok();
}

/// Run `cmd`, asserting that it succeeded (its stderr shown if not).
fn succeeded(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
