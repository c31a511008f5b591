//! `verbatim serve` and `verbatim demo`, run as a user would (the API itself is tested in
//! crates/verbatim-server/tests/api.rs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verbatim-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A running `verbatim serve` or `demo`, killed when dropped.
struct Running {
    child: Child,
    /// What it printed up to its URL.
    said: String,
    /// `127.0.0.1:PORT`.
    addr: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(cmd: &mut Command) -> Running {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut run = Running {
        child,
        said: String::new(),
        addr: String::new(),
    };
    let mut out = BufReader::new(run.child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            let mut err = String::new();
            let _ = run.child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("exited before printing its URL:\n{}{err}", run.said);
        }
        run.said.push_str(&line);
        if let Some(rest) = line.trim().strip_prefix("http://") {
            run.addr = rest.trim_end_matches('/').to_string();
            return run;
        }
    }
}

/// One request; the status and the body.
fn http(addr: &str, method: &str, target: &str, headers: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    (head[9..12].parse().unwrap(), body.to_string())
}

fn json(addr: &str, target: &str) -> serde_json::Value {
    let (status, body) = http(addr, "GET", target, "", "");
    assert_eq!(status, 200, "{target}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn demo_ingests_the_bundled_example_and_serves_it() {
    let db = temp("demo.db");
    let run = spawn(
        bin()
            .args(["demo", "--addr", "127.0.0.1:0", "--db"])
            .arg(&db),
    );
    assert!(
        run.said.contains("examples/obama-medvedev-open-mic.txt")
            && run.said.contains("(2 new, 0 unchanged)"),
        "{}",
        run.said
    );
    assert!(run.said.contains("ingest disabled"), "{}", run.said);
    let stats = json(&run.addr, "/api/stats");
    assert_eq!(stats["documents"], 2);
    assert!(
        stats["multi_outlet_clusters"].as_i64().unwrap() >= 3,
        "{stats}"
    );
    let page = json(&run.addr, "/api/quotes?q=flexibility&order=relevance");
    let outlets: Vec<&str> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["outlet"].as_str().unwrap())
        .collect();
    assert!(
        outlets.contains(&"BBC") && outlets.contains(&"transcript"),
        "{page}"
    );
    let doc = json(&run.addr, "/api/documents/obama-medvedev-open-mic");
    assert_eq!(
        doc["title"],
        "Obama and Medvedev caught in unguarded missile remarks"
    );
    assert_eq!(doc["date"], "2012-03-26");
    // The transcript is ingested as one: the article's remark is verified against it, and
    // the transcript's turn lists the article among its reports.
    assert!(
        run.said
            .contains("article quotes verified against the transcript"),
        "{}",
        run.said
    );
    let flexibility = doc["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| {
            q["content"]
                .to_string()
                .contains("After my election I have more flexibility")
        })
        .unwrap_or_else(|| panic!("no flexibility quote in {doc}"));
    let v = &flexibility["verifications"][0];
    assert_eq!(v["verdict"], "verbatim", "{flexibility}");
    assert_eq!(
        v["transcript_id"], "obama-medvedev-transcript",
        "{flexibility}"
    );
    let transcript = json(&run.addr, "/api/documents/obama-medvedev-transcript");
    assert_eq!(transcript["kind"], "transcript");
    let reported = transcript["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["content"].to_string().contains("more flexibility"))
        .flat_map(|q| q["reported_by"].as_array().unwrap())
        .any(|r| r["document_id"] == "obama-medvedev-open-mic" && r["verdict"] == "verbatim");
    assert!(reported, "{transcript}");

    // /api/extract answers exactly what `verbatim extract --format jsonl` writes.
    let article = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/obama-medvedev-open-mic.txt"),
    )
    .unwrap();
    let (status, answer) = http(
        &run.addr,
        "POST",
        "/api/extract?id=obama-medvedev-open-mic",
        "Content-Type: text/plain\r\n",
        &article,
    );
    assert_eq!(status, 200, "{answer}");
    let cli = bin()
        .args([
            "extract",
            "--format",
            "jsonl",
            "../../examples/obama-medvedev-open-mic.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(cli.stdout).unwrap(), answer + "\n");
    drop(run);

    // A second demo on the same bank changes nothing.
    let again = spawn(
        bin()
            .args(["demo", "--addr", "127.0.0.1:0", "--db"])
            .arg(&db),
    );
    assert!(
        again.said.contains("(0 new, 2 unchanged)"),
        "{}",
        again.said
    );
    drop(again);

    // A bank an older build filled (its quotes from an older engine) is brought up to date.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE documents SET engine = 'verbatim 0.0.1', quotes_digest = 'stale'
             WHERE id = 'obama-medvedev-open-mic'",
        )
        .unwrap();
    let upgraded = spawn(
        bin()
            .args(["demo", "--addr", "127.0.0.1:0", "--db"])
            .arg(&db),
    );
    assert!(
        upgraded.said.contains(
            "(0 new, 1 unchanged, 1 replaced; 1 stored by an older build extracted again)"
        ),
        "{}",
        upgraded.said
    );
}

#[test]
fn serve_needs_a_bank_or_a_token() {
    let db = temp("missing.db");
    let out = bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .env_remove("VERBATIM_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no such quote bank") && err.contains("verbatim ingest"),
        "{err}"
    );

    // With a token from a file, a missing bank is created and ingest is open to the token.
    let token_file = temp("token");
    std::fs::write(&token_file, "file-token-0123456789\n").unwrap();
    let run = spawn(
        bin()
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--threads",
                "2",
                "--token-file",
            ])
            .arg(&token_file)
            .arg("--db")
            .arg(&db)
            .env_remove("VERBATIM_TOKEN"),
    );
    assert!(run.said.contains("created the empty bank"), "{}", run.said);
    assert!(run.said.contains("ingest enabled"), "{}", run.said);
    let doc = r#"{"id": "a", "text": "\"Prices will fall,\" said Jane Doe.", "outlet": "Daily"}"#;
    let json_type = "Content-Type: application/json\r\n";
    let (status, _) = http(&run.addr, "POST", "/api/documents", json_type, doc);
    assert_eq!(status, 401);
    let auth = format!("{json_type}Authorization: Bearer file-token-0123456789\r\n");
    let (status, body) = http(&run.addr, "POST", "/api/documents", &auth, doc);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        json(&run.addr, "/api/quotes?q=prices")["hits"][0]["document_id"],
        "a"
    );
    drop(run);

    // The token from the environment.
    let run = spawn(
        bin()
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(&db)
            .env("VERBATIM_TOKEN", "env-token-0123456789"),
    );
    let auth = format!("{json_type}Authorization: Bearer env-token-0123456789\r\n");
    let (status, body) = http(&run.addr, "POST", "/api/documents", &auth, doc);
    assert_eq!(status, 200, "{body}");
}

/// Without --db the demo keeps its bank in the user's cache folder and reuses it: a second
/// demo finds the example already there.
#[test]
fn demo_keeps_its_bank_in_the_users_cache() {
    let home = temp("home");
    let _ = std::fs::remove_dir_all(&home);
    let demo = || {
        spawn(
            bin()
                .args(["demo", "--addr", "127.0.0.1:0"])
                .env("HOME", &home)
                .env_remove("XDG_CACHE_HOME"),
        )
    };
    let first = demo();
    let db = home.join(".cache/verbatim/demo.db");
    assert!(
        first.said.contains(&db.display().to_string()),
        "{}",
        first.said
    );
    assert!(
        first.said.contains("(2 new, 0 unchanged)"),
        "{}",
        first.said
    );
    drop(first);
    let second = demo();
    assert!(
        second.said.contains("(0 new, 2 unchanged)"),
        "{}",
        second.said
    );
}
