//! The web page in a real browser: builds a bank (the example article and its transcript, a
//! second outlet's report of the same remark, a hostile document, a document with emoji before its quote, enough
//! quotes for three pages of search results), serves it
//! in-process and runs `tests/browser/browser.test.mjs` (playwright-core driving Debian's
//! chromium) against it. Screenshots go to `target/browser/`.
//!
//! Needs `node`, `/usr/bin/chromium` and `npm ci --prefix tests/browser` (`.ci/run` installs
//! them). Without them the test prints `SKIPPED browser test: <reason>` and passes, except
//! under `CI=true`, where a missing piece fails it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use verbatim_bank::{Bank, DocumentKind, IngestOptions, NewDocument};
use verbatim_server::{Config, Server};

const CHROMIUM: &str = "/usr/bin/chromium";
/// The whole browser run, start to end (it takes 10–20 s; chromium's first start is the slow part).
const TIMEOUT: Duration = Duration::from_secs(240);

const EXAMPLE_ID: &str = "obama-medvedev-open-mic";
const EXAMPLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");
/// The transcript of the same exchange, as `verbatim demo` ingests it: the example's quotes
/// are verified against it.
const TRANSCRIPT_ID: &str = "obama-medvedev-transcript";
const TRANSCRIPT: &str = include_str!("../../../examples/obama-medvedev-transcript.txt");

/// A second outlet's report of the same remark (with a `/` and a space in its id).
const SECOND_ID: &str = "guardian/obama open mic";
const SECOND: &str = "Obama caught on open mic promising Medvedev flexibility

Barack Obama has been caught on an open microphone telling the Russian president, Dmitry \
Medvedev, that he would have more room to manoeuvre after the election.

\"This is my last election. After my election I have more flexibility,\" Mr Obama told Mr \
Medvedev at the summit in Seoul.

Mr Medvedev replied: \"I understand. I will transmit this information to Vladimir.\"
";

/// Markup inside quotes, title, outlet and URL; an id that needs percent-encoding everywhere.
const HOSTILE_ID: &str = "hostile \"doc\" <1>/#?&x=%41";
const HOSTILE: &str = "The spokeswoman, Jane Doe, was blunt.

\"<script>window.__pwned=1</script> is not a threat to anyone,\" Jane Doe said.

\u{201c}The attacker typed \"><img src=x onerror=\"window.__pwned=1\"> into the form,\u{201d} Jane Doe said.
";

/// Astral characters (two UTF-16 units each) and a modifier before the quote.
const EMOJI_ID: &str = "emoji-doc";
const EMOJI: &str = "🎉🎉 Party time 😀 in 𝕏 land 👍🏽.

The mayor, Ann Smith, was upbeat. \"We will rebuild the bridge by spring,\" Ann Smith said on Tuesday.
";

/// 25 quotes in one document, so the latest quotes take three pages of 20.
fn briefing() -> String {
    let mut text = String::from(
        "Press briefing\n\nThe council's spokesman, Tom Jones, went through the agenda.\n\n",
    );
    for i in 1..=25 {
        text.push_str(&format!(
            "\"Item {i} on the agenda is settled,\" Mr Jones said.\n\n"
        ));
    }
    text
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `target/` (or `$CARGO_TARGET_DIR`): the test binary is `<target>/<profile>/deps/browser-…`.
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .filter(|t| t.join("CACHEDIR.TAG").exists() || t.ends_with("target"))
        .unwrap_or_else(|| repo_root().join("target"))
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// What is missing to run the browser, if anything.
fn missing_prerequisite(root: &Path) -> Option<String> {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Some(format!("`node --version` failed: {}", out.status)),
        Err(e) => return Some(format!("node is not installed ({e})")),
    }
    if !Path::new(CHROMIUM).exists() {
        return Some(format!(
            "{CHROMIUM} is missing (Debian: `apt-get install chromium`)"
        ));
    }
    if !root
        .join("tests/browser/node_modules/playwright-core/package.json")
        .exists()
    {
        return Some(
            "tests/browser/node_modules is missing (run `npm ci --prefix tests/browser`)".into(),
        );
    }
    None
}

fn doc(id: &str, text: &str, title: &str, outlet: &str, url: &str, date: &str) -> NewDocument {
    NewDocument {
        title: Some(title.into()),
        outlet: Some(outlet.into()),
        url: Some(url.into()),
        date: Some(date.into()),
        ..NewDocument::new(id, text)
    }
}

fn build_bank(db: &Path) {
    let mut bank = Bank::open(db).expect("create the bank");
    let docs = vec![
        doc(
            EXAMPLE_ID,
            EXAMPLE,
            "Obama and Medvedev caught in unguarded missile remarks",
            "bbc",
            "https://www.bbc.co.uk/news/world-us-canada-17514227",
            "2012-03-26",
        ),
        doc(
            SECOND_ID,
            SECOND,
            "Obama caught on open mic promising Medvedev flexibility",
            "guardian",
            "https://www.theguardian.com/world/2012/mar/27/obama-medvedev-open-mic",
            "2012-03-27",
        ),
        doc(
            HOSTILE_ID,
            HOSTILE,
            "<img src=x onerror=\"window.__pwned=1\">Hostile <b>title</b>",
            "<script>window.__pwned=1</script>",
            "javascript:window.__pwned=1",
            "2013-01-05",
        ),
        doc(
            EMOJI_ID,
            EMOJI,
            "Mayor 😀 promises bridge",
            "reuters",
            "https://www.reuters.com/example-emoji",
            "2014-06-01",
        ),
        doc(
            "briefing",
            &briefing(),
            "Council briefing",
            "ap",
            "https://apnews.com/example-briefing",
            "2015-02-02",
        ),
        NewDocument {
            kind: DocumentKind::Transcript,
            ..doc(
                TRANSCRIPT_ID,
                TRANSCRIPT,
                "Obama and Medvedev caught in unguarded missile remarks (transcript)",
                "transcript",
                "https://example.org/transcript",
                "2012-03-26",
            )
        },
    ];
    let report = bank
        .ingest_documents(docs, &IngestOptions::default(), None)
        .expect("ingest");
    assert_eq!(report.inserted, 6, "{report:?}");
    assert!(report.verifications > 0, "{report:?}");
}

/// Read a child's pipe on a thread, so a chatty child never blocks on a full pipe.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut p) = pipe {
            let mut buf = Vec::new();
            let _ = p.read_to_end(&mut buf);
            s = String::from_utf8_lossy(&buf).into_owned();
        }
        s
    })
}

#[test]
fn page_in_headless_chromium() {
    let root = repo_root();
    if let Some(reason) = missing_prerequisite(&root) {
        if under_ci() {
            panic!("browser test cannot run under CI=true: {reason}");
        }
        // Straight to stderr: the harness captures println!/eprintln! of passing tests.
        let _ = writeln!(std::io::stderr(), "SKIPPED browser test: {reason}");
        return;
    }

    let dir = std::env::temp_dir().join(format!("verbatim-browser-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("bank.db");
    build_bank(&db);
    let server = Server::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        threads: 4,
        ..Config::new(&db)
    })
    .expect("start the server");
    let screenshots = target_dir().join("browser");

    let started = Instant::now();
    let mut child = Command::new("node")
        .arg(root.join("tests/browser/browser.test.mjs"))
        .current_dir(&root)
        .env("VERBATIM_URL", server.url())
        .env("VERBATIM_SCREENSHOTS", &screenshots)
        .env("VERBATIM_EXAMPLE_DOC", EXAMPLE_ID)
        .env("VERBATIM_SECOND_DOC", SECOND_ID)
        .env("VERBATIM_TRANSCRIPT_DOC", TRANSCRIPT_ID)
        .env("VERBATIM_HOSTILE_DOC", HOSTILE_ID)
        .env("VERBATIM_EMOJI_DOC", EMOJI_ID)
        .env("CHROMIUM", CHROMIUM)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    server.shutdown();
    let _ = std::fs::remove_dir_all(&dir);

    println!("{out}");
    eprintln!("{err}");
    match status {
        None => panic!(
            "the browser test did not finish in {TIMEOUT:?}\n--- stdout\n{out}\n--- stderr\n{err}"
        ),
        Some(s) if !s.success() => panic!(
            "the browser test failed ({s}); screenshots in {}\n--- stdout\n{out}\n--- stderr\n{err}",
            screenshots.display()
        ),
        Some(_) => println!(
            "browser test passed in {:.1} s; screenshots in {}",
            started.elapsed().as_secs_f64(),
            screenshots.display()
        ),
    }
}
