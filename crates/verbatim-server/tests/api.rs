//! The API over real HTTP, on a real temporary bank: every endpoint's answer, every error, the
//! token, hostile text, percent-encoded ids, the security headers, and the HTTP layer's limits.

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;
use verbatim_bank::{Bank, DocumentKind, IngestOptions, NewDocument};
use verbatim_server::{Config, Server};

const ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");
const TRANSCRIPT: &str = include_str!("../../../examples/obama-medvedev-transcript.txt");

/// A second outlet's report of the same remark.
const SECOND: &str = "Obama tells Medvedev he will have more flexibility after election

SEOUL (Reuters) - U.S. President Barack Obama was caught on an open microphone on Monday telling \
Russian President Dmitry Medvedev that he would have more room to negotiate on missile defense \
after the November election.

\"This is my last election. After my election I have more flexibility,\" Obama told Medvedev.

Medvedev replied: \"I understand. I will transmit this information to Vladimir.\"

The White House said the exchange reflected the political realities of an election year.
";

const TOKEN: &str = "test-token-0123456789abcdef";

/// The verdicts a verification can have (`not_found` is never stored).
const VERDICTS: [&str; 4] = ["verbatim", "edited", "partial", "paraphrase"];

/// Ids that need percent-encoding in a path.
const ODD_IDS: [&str; 3] = ["with space", "été/2012", "bbc/2012/03/26/obama"];

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verbatim-server-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    db
}

fn doc(id: &str, text: &str, outlet: &str) -> NewDocument {
    NewDocument {
        title: Some(format!("{outlet}: Obama and Medvedev")),
        outlet: Some(outlet.into()),
        date: Some("2012-03-26".into()),
        url: Some(format!("https://example.org/{outlet}")),
        ..NewDocument::new(id, text)
    }
}

fn build_bank(db: &Path) {
    let mut bank = Bank::open(db).unwrap();
    let mut docs = vec![
        doc("obama-medvedev-open-mic", ARTICLE, "BBC"),
        doc("reuters-open-mic", SECOND, "Reuters"),
    ];
    for id in ODD_IDS {
        docs.push(doc(id, SECOND, "Odd"));
    }
    // The transcript of the exchange, as `verbatim demo` has it: the articles are verified
    // against it.
    docs.push(NewDocument {
        kind: DocumentKind::Transcript,
        ..doc("obama-medvedev-transcript", TRANSCRIPT, "transcript")
    });
    let report = bank
        .ingest_documents(docs, &IngestOptions::default(), None)
        .unwrap();
    assert_eq!(report.inserted, 6, "{report:?}");
    assert!(report.verifications >= 2, "{report:?}");
}

/// The read-only server (no token), shared by the tests.
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let db = temp_db("read-only");
        build_bank(&db);
        Server::start(Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            threads: 2,
            ..Config::new(db)
        })
        .unwrap()
    })
}

/// A server with a token and small limits, on its own bank.
fn ingest_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        Server::start(Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            threads: 2,
            token: Some(TOKEN.into()),
            max_body_bytes: 4000,
            ..Config::new(temp_db("ingest"))
        })
        .unwrap()
    })
}

/// A server of a test's own, with the token, on loopback.
fn token_server(db: &Path, threads: usize) -> Server {
    Server::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        threads,
        token: Some(TOKEN.into()),
        ..Config::new(db)
    })
    .unwrap()
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&self.body));
        })
    }

    /// The error message of an error reply with this status.
    fn error(&self, status: u16) -> String {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        self.json()["error"]
            .as_str()
            .expect("an error message")
            .to_string()
    }
}

/// Parse one response from the front of `data`; returns it and the bytes it took.
fn parse_reply(data: &[u8], head_request: bool) -> Option<(Reply, usize)> {
    let end = data.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&data[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_string(), v.trim().to_string())
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let len = if head_request { 0 } else { len };
    if data.len() < end + len {
        return None;
    }
    let body = data[end..end + len].to_vec();
    Some((
        Reply {
            status,
            headers,
            body,
        },
        end + len,
    ))
}

/// Send raw bytes, read until the server closes, parse the first response.
fn raw(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(bytes).unwrap();
    let mut data = Vec::new();
    let _ = s.read_to_end(&mut data);
    parse_reply(&data, bytes.starts_with(b"HEAD"))
        .unwrap_or_else(|| panic!("no response in {:?}", String::from_utf8_lossy(&data)))
        .0
}

fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    raw(addr, &bytes)
}

fn get(target: &str) -> Reply {
    request(server().local_addr(), "GET", target, &[], b"")
}

fn get_json(target: &str) -> Value {
    let r = get(target);
    assert_eq!(
        r.status,
        200,
        "{target}: {}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(r.header("cache-control"), Some("no-store"));
    r.json()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(|s| s.as_str()).collect();
    k.sort_unstable();
    k
}

fn post(
    server: &Server,
    target: &str,
    content_type: &str,
    token: Option<&str>,
    body: &[u8],
) -> Reply {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", content_type)];
    if let Some(a) = &auth {
        headers.push(("Authorization", a));
    }
    request(server.local_addr(), "POST", target, &headers, body)
}

#[test]
fn search_answers_a_page_of_hits() {
    let page = get_json("/api/quotes?q=last+election");
    assert_eq!(keys(&page), ["hits", "next_cursor", "speakers"]);
    let hits = page["hits"].as_array().unwrap();
    assert!(hits.len() >= 2, "{page:#}");
    let hit = &hits[0];
    assert_eq!(
        keys(hit),
        [
            "cluster_id",
            "cluster_size",
            "confidence",
            "date",
            "document_id",
            "kind",
            "outlet",
            "quote_id",
            "score",
            "speaker",
            "speaker_raw",
            "text",
            "title",
            "url",
            "verdict"
        ]
    );
    assert!(hit["text"].as_str().unwrap().contains("last election"));
    // An article quote found in the transcript carries its verdict; a transcript turn none.
    let page = get_json("/api/quotes?q=%22more+flexibility%22&outlet=BBC");
    let flexibility = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "direct")
        .unwrap_or_else(|| panic!("no direct BBC hit in {page:#}"));
    assert_eq!(flexibility["verdict"], "verbatim", "{page:#}");
    let page = get_json("/api/quotes?q=%22more+flexibility%22&outlet=transcript");
    assert!(page["hits"][0]["verdict"].is_null(), "{page:#}");
    // The same remark in two outlets is one cluster.
    let clustered = hits
        .iter()
        .find(|h| h["outlet"] == "BBC" && h["cluster_size"].as_i64().unwrap() >= 2)
        .unwrap_or_else(|| panic!("no clustered BBC hit in {page:#}"));
    let cluster = get_json(&format!("/api/clusters/{}", clustered["cluster_id"]));
    assert_eq!(
        keys(&cluster),
        [
            "first_outlet",
            "first_seen",
            "id",
            "members",
            "outlets",
            "size",
            "speaker"
        ]
    );
    let outlets: Vec<&str> = cluster["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outlet"].as_str().unwrap())
        .collect();
    assert!(
        outlets.contains(&"BBC") && outlets.contains(&"Reuters"),
        "{cluster:#}"
    );

    // Filters, relevance order and paging.
    let page = get_json("/api/quotes?q=election&speaker=Obama&outlet=Reuters&since=2012&until=2012-03-26&order=relevance&limit=1");
    assert_eq!(page["hits"].as_array().unwrap().len(), 1, "{page:#}");
    assert!(page["hits"][0]["score"].is_number());
    assert_eq!(page["speakers"][0]["name"], "Barack Obama");
    let all = get_json("/api/quotes?limit=2");
    let cursor = all["next_cursor"].as_str().expect("a next page");
    let next = get_json(&format!("/api/quotes?limit=2&cursor={cursor}"));
    assert_ne!(next["hits"][0], all["hits"][0]);
    // Empty parameters count as absent (a form's empty fields).
    get_json("/api/quotes?q=&speaker=&outlet=&since=&until=&order=&limit=&cursor=");
}

#[test]
fn speakers_documents_and_stats_answer_their_views() {
    let list = get_json("/api/speakers?limit=5&offset=0&min_quotes=1");
    assert_eq!(keys(&list), ["speakers"]);
    let first = &list["speakers"][0];
    assert_eq!(
        keys(first),
        [
            "by_month",
            "by_outlet",
            "external_id",
            "id",
            "name",
            "partial",
            "quote_count"
        ]
    );
    let obama = list["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Barack Obama")
        .expect("Barack Obama is listed");
    let detail = get_json(&format!("/api/speakers/{}", obama["id"]));
    for k in [
        "aliases",
        "spellings",
        "by_outlet_month",
        "quote_count",
        "name",
    ] {
        assert!(detail.get(k).is_some(), "{k} in {detail:#}");
    }
    assert_eq!(
        get_json("/api/speakers?offset=1000")["speakers"],
        Value::Array(vec![])
    );
    // Who gets quoted in one outlet and period: counts within them.
    let within = get_json(&format!(
        "/api/speakers?outlet={}&since=2012&until=2012-03",
        obama["by_outlet"][0]["key"].as_str().unwrap()
    ));
    let speakers = within["speakers"].as_array().unwrap();
    assert!(!speakers.is_empty(), "{within}");
    for s in speakers {
        assert_eq!(s["by_outlet"].as_array().unwrap().len(), 1, "{s}");
        assert!(s["quote_count"].as_i64().unwrap() <= s["by_outlet"][0]["n"].as_i64().unwrap());
    }
    assert_eq!(
        get_json("/api/speakers?since=2013")["speakers"],
        Value::Array(vec![])
    );

    let d = get_json("/api/documents/obama-medvedev-open-mic");
    assert_eq!(
        keys(&d),
        [
            "content_hash",
            "date",
            "id",
            "kind",
            "outlet",
            "quotes",
            "text",
            "title",
            "url"
        ]
    );
    assert_eq!(d["text"], ARTICLE);
    assert_eq!(d["kind"], "article");
    // The article's flexibility quote links to the transcript; the transcript's turn lists
    // the article among those that reported it.
    let quote = d["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| {
            q["verifications"]
                .to_string()
                .contains("obama-medvedev-transcript")
        })
        .unwrap_or_else(|| panic!("no verified quote in {d:#}"));
    let v = &quote["verifications"][0];
    assert_eq!(
        keys(v),
        [
            "diff",
            "said",
            "score",
            "speaker_matches",
            "transcript_id",
            "transcript_speaker",
            "transcript_title",
            "verdict"
        ]
    );
    assert_eq!(keys(&v["said"]), ["end", "start", "text"]);
    let t = get_json("/api/documents/obama-medvedev-transcript");
    assert_eq!(t["kind"], "transcript");
    let reported: Vec<&Value> = t["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["reported_by"].as_array().unwrap())
        .collect();
    let r = reported
        .iter()
        .find(|r| r["document_id"] == "obama-medvedev-open-mic")
        .unwrap_or_else(|| panic!("the BBC article reports no turn: {t:#}"));
    assert!(VERDICTS.contains(&r["verdict"].as_str().unwrap()), "{r:#}");
    assert!(r["diff"].is_string() && r["text"].is_string(), "{r:#}");
    let q = &d["quotes"][0];
    for k in [
        "id",
        "kind",
        "speaker",
        "addressee",
        "setting",
        "source",
        "cue",
        "content",
    ] {
        assert!(q.get(k).is_some(), "{k} in {q:#}");
    }

    let stats = get_json("/api/stats");
    assert_eq!(
        keys(&stats),
        [
            "clusters",
            "documents",
            "multi_outlet_clusters",
            "quotes",
            "schema_version",
            "speakers"
        ]
    );
    assert_eq!(stats["documents"], 6);
    assert!(stats["multi_outlet_clusters"].as_i64().unwrap() >= 1);
}

#[test]
fn document_ids_are_percent_decoded() {
    for (target, id) in [
        ("/api/documents/with%20space", "with space"),
        ("/api/documents/%C3%A9t%C3%A9%2F2012", "été/2012"),
        ("/api/documents/%C3%A9t%C3%A9/2012", "été/2012"),
        (
            "/api/documents/bbc/2012/03/26/obama",
            "bbc/2012/03/26/obama",
        ),
        (
            "/api/documents/bbc%2F2012%2F03%2F26%2Fobama",
            "bbc/2012/03/26/obama",
        ),
    ] {
        assert_eq!(get_json(target)["id"], id, "{target}");
    }
    // `+` is itself in a path.
    assert_eq!(get("/api/documents/with+space").status, 404);
    assert!(get("/api/documents/100%").error(400).contains("percent"));
    assert!(get("/api/documents/%FF").error(400).contains("UTF-8"));
}

#[test]
fn bad_parameters_are_400_with_a_message_that_says_what_to_do() {
    for (target, says) in [
        (
            "/api/quotes?limit=abc",
            "limit must be a whole number from 1 to 1000",
        ),
        (
            "/api/quotes?limit=0",
            "limit must be a whole number from 1 to 1000",
        ),
        (
            "/api/quotes?limit=1001",
            "limit must be a whole number from 1 to 1000",
        ),
        ("/api/quotes?limit=-5", "limit must be a whole number"),
        ("/api/quotes?since=2012-13", "since: bad date"),
        ("/api/speakers?since=2012-03-26", "kept by month"),
        ("/api/speakers?until=soon", "YYYY or YYYY-MM"),
        ("/api/quotes?until=yesterday", "YYYY-MM-DD"),
        (
            "/api/quotes?cursor=zzz",
            "pass next_cursor from the previous page",
        ),
        (
            "/api/quotes?order=best",
            "order must be \"newest\" or \"relevance\"",
        ),
        (
            "/api/quotes?bogus=1",
            "unknown parameter \"bogus\": /api/quotes takes q, speaker",
        ),
        ("/api/quotes?q=a&q=b", "given twice"),
        ("/api/quotes?q=%21%21%21", "no words to search for"),
        (
            "/api/quotes?since=2013&until=2012",
            "since (2013) is after until (2012)",
        ),
        (
            "/api/quotes?q=a*+b*+c*+d*+e*+f*+g*+h*+i*",
            "prefix searches",
        ),
        ("/api/quotes?q=%zz", "percent-encoding"),
        (
            "/api/speakers?limit=x",
            "limit must be a whole number from 1 to 1000",
        ),
        ("/api/speakers?offset=-1", "offset must be a whole number"),
        (
            "/api/speakers?min_quotes=0",
            "min_quotes must be a whole number",
        ),
        ("/api/speakers/abc", "speaker ids are whole numbers"),
        ("/api/clusters/1.5", "cluster ids are whole numbers"),
        ("/api/stats?verbose=1", "/api/stats takes no parameters"),
        ("/api/documents/x?y=1", "takes no parameters"),
    ] {
        let msg = get(target).error(400);
        assert!(msg.contains(says), "{target}: {msg:?} should say {says:?}");
    }
}

#[test]
fn unknown_ids_and_routes_are_404() {
    for (target, says) in [
        (
            "/api/documents/no-such-document",
            "no document with id \"no-such-document\"",
        ),
        ("/api/speakers/987654321", "no speaker with id 987654321"),
        ("/api/clusters/987654321", "no cluster with id 987654321"),
        ("/api/nope", "no such endpoint: GET /api/nope"),
        ("/api/speakers/", "no such endpoint"),
        ("/index.html", "no such endpoint"),
        ("/static/nope.js", "no static file \"nope.js\""),
    ] {
        let msg = get(target).error(404);
        assert!(msg.contains(says), "{target}: {msg:?} should say {says:?}");
    }
}

#[test]
fn wrong_methods_are_405_with_allow() {
    let addr = server().local_addr();
    let r = request(addr, "DELETE", "/api/quotes", &[], b"");
    assert!(r.error(405).contains("takes GET"));
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    let r = request(addr, "GET", "/api/extract", &[], b"");
    r.error(405);
    assert_eq!(r.header("allow"), Some("POST"));
    let r = post(server(), "/api/stats", "application/json", None, b"{}");
    r.error(405);
    // HEAD is GET without the body.
    let r = request(addr, "HEAD", "/api/stats", &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert!(
        r.header("content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            > 10
    );
}

#[test]
fn extract_answers_what_the_cli_writes() {
    let s = server();
    let r = post(
        s,
        "/api/extract?id=obama-medvedev-open-mic",
        "text/plain; charset=utf-8",
        None,
        ARTICLE.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let extractor = verbatim::Extractor::new();
    let expected = verbatim_train::polnear::JsonDoc::extracted(
        "obama-medvedev-open-mic",
        ARTICLE,
        &extractor.extract(ARTICLE),
    );
    assert_eq!(r.body, serde_json::to_vec(&expected).unwrap());
    let v = r.json();
    assert_eq!(keys(&v), ["id", "quotes"]);
    assert!(v["quotes"].as_array().unwrap().len() >= 4);

    let body = serde_json::json!({"text": SECOND, "id": "r1"}).to_string();
    let v = post(s, "/api/extract", "application/json", None, body.as_bytes()).json();
    assert_eq!(v["id"], "r1");
    assert!(v["quotes"][0]["content"][0]["text"].is_string());
    let v = post(
        s,
        "/api/extract",
        "application/json",
        None,
        br#"{"text": ""}"#,
    )
    .json();
    assert_eq!(v, serde_json::json!({"id": "document", "quotes": []}));

    for (ct, body, status, says) in [
        (
            "application/json",
            &b"{\"text\": "[..],
            400,
            "malformed JSON",
        ),
        (
            "application/json",
            b"{\"id\": \"x\"}",
            400,
            "missing string field \"text\"",
        ),
        (
            "application/json",
            b"[1]",
            400,
            "missing string field \"text\"",
        ),
        ("text/plain", b"\xff\xfe", 400, "not UTF-8"),
        (
            "application/x-www-form-urlencoded",
            b"text=x",
            415,
            "Content-Type: text/plain",
        ),
        (
            "text/plain; charset=latin1",
            b"x",
            415,
            "Content-Type: text/plain",
        ),
    ] {
        let msg = post(s, "/api/extract", ct, None, body).error(status);
        assert!(msg.contains(says), "{ct}: {msg:?} should say {says:?}");
    }
    let msg = request(s.local_addr(), "POST", "/api/extract", &[], b"x").error(415);
    assert!(msg.contains("text/plain"), "{msg}");
}

#[test]
fn request_framing_is_strict() {
    let addr = server().local_addr();
    let chunked = |size: &str| {
        format!(
            "POST /api/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n\
             Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{size}\r\nObama\r\n0\r\n\r\n"
        )
    };
    assert_eq!(raw(addr, chunked("5").as_bytes()).status, 200);
    for size in ["+5", "-5", " 5", "0x5"] {
        let msg = raw(addr, chunked(size).as_bytes()).error(400);
        assert!(msg.contains("chunked"), "{size}: {msg}");
    }
    // Two Transfer-Encoding headers, or one on HTTP/1.0: a proxy could read them otherwise.
    let two = "POST /api/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n\
               Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n5\r\nObama\r\n0\r\n\r\n";
    raw(addr, two.as_bytes()).error(400);
    let old = "POST /api/extract HTTP/1.0\r\nContent-Type: text/plain\r\n\
               Transfer-Encoding: chunked\r\n\r\n5\r\nObama\r\n0\r\n\r\n";
    raw(addr, old.as_bytes()).error(400);
    // HTTP/1.1 needs one Host; an absolute-form target is read as its path.
    let msg = raw(
        addr,
        b"GET /api/stats HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    .error(400);
    assert!(msg.contains("Host"), "{msg}");
    raw(
        addr,
        b"GET /api/stats HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    )
    .error(400);
    let abs = raw(
        addr,
        b"GET http://localhost/api/quotes?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(abs.status, 200);
    assert!(abs.json()["hits"].is_array());
    // A head over 16 KiB is refused however it arrives (here in one write).
    let long = format!(
        "GET /api/stats HTTP/1.1\r\nHost: localhost\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    raw(addr, long.as_bytes()).error(431);
}

/// Against DNS rebinding: a server on loopback answers only loopback Host names, unless told
/// others; a request without Host (HTTP/1.0) is answered.
#[test]
fn a_loopback_server_answers_only_loopback_host_names() {
    let addr = server().local_addr();
    let port = addr.port();
    let with_host = |host: &str| {
        raw(
            addr,
            format!("GET /api/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".to_string(),
    ] {
        assert_eq!(with_host(&host).status, 200, "{host}");
    }
    for host in ["evil.example", &format!("evil.example:{port}")] {
        let msg = with_host(host).error(421);
        assert!(msg.contains("--allow-host evil.example"), "{msg}");
    }
    let old = raw(addr, b"GET /api/stats HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 200);
    // A reverse proxy's name, when given.
    let db = temp_db("hosts");
    build_bank(&db);
    let proxied = Server::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        threads: 1,
        allowed_hosts: vec!["Quotes.Example".into()],
        ..Config::new(&db)
    })
    .unwrap();
    let ask = |host: &str| {
        raw(
            proxied.local_addr(),
            format!("GET /api/stats HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .status
    };
    assert_eq!(ask("quotes.example"), 200);
    assert_eq!(ask("localhost"), 200);
    assert_eq!(ask("evil.example"), 421);
    proxied.shutdown();
}

#[test]
fn bodies_over_the_limit_are_413_and_never_read() {
    let addr = server().local_addr();
    // Declared too large: answered before a byte of the body is read, even absurdly large.
    for len in ["3000000", "100000000000000", "99999999999999999999999999"] {
        let head = format!(
            "POST /api/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: {len}\r\n\r\n"
        );
        let msg = raw(addr, head.as_bytes()).error(413);
        assert!(msg.contains("2097152 bytes (2 MiB)"), "{msg}");
        // No advice to raise a limit that no option sets.
        assert!(
            msg.contains("send less per request") && !msg.contains("higher limit"),
            "{msg}"
        );
    }
    // Chunked, over the limit once decoded.
    let head = "POST /api/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n300000\r\n";
    raw(addr, head.as_bytes()).error(413);
    // Chunked within the limit is read.
    let body = "POST /api/extract?id=c HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    assert_eq!(raw(addr, body.as_bytes()).json()["id"], "c");
    // Sent too large: the ingest server's limit is 4000 bytes.
    let big = format!(r#"{{"id": "big", "text": "{}"}}"#, "word ".repeat(1000));
    post(
        ingest_server(),
        "/api/documents",
        "application/json",
        Some(TOKEN),
        big.as_bytes(),
    )
    .error(413);
    // And the server is still there.
    assert_eq!(get("/api/stats").status, 200);
}

#[test]
fn ingest_refreshes_word_counts_once_an_eighth_of_the_bank_has_changed() {
    let db = temp_db("optimize");
    let s = token_server(&db, 2);
    let counted = |word: &str| -> bool {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row(
            "SELECT count(*) FROM quotes_terms WHERE term = ?1",
            [word],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            > 0
    };
    let ingest = |word: &str, n: usize| {
        let lines: String = (0..n)
            .map(|i| {
                format!(
                    "{{\"id\": \"{word}{i}\", \"text\": \"\\\"The {word} number {i} stands,\\\" said Jane Doe.\"}}\n"
                )
            })
            .collect();
        let r = post(
            &s,
            "/api/documents",
            "application/x-ndjson",
            Some(TOKEN),
            lines.as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(
            r.json()["quotes_added"],
            n,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
    };
    // The first ingest: counted at once (the bank was never optimized).
    ingest("alphaword", 16);
    assert!(counted("alphaword"));
    // One quote more of sixteen: not yet, but found.
    ingest("betaword", 1);
    assert!(!counted("betaword"));
    let page = request(s.local_addr(), "GET", "/api/quotes?q=betaword", &[], b"").json();
    assert_eq!(page["hits"].as_array().unwrap().len(), 1, "{page:#}");
    // Past an eighth: both counted.
    ingest("gammaword", 2);
    assert!(counted("betaword") && counted("gammaword"));
    s.shutdown();
}

#[test]
fn ingest_needs_the_token() {
    let body = br#"{"id": "t1", "text": "\"We will win,\" said Jane Doe."}"#;
    let msg = post(
        server(),
        "/api/documents",
        "application/json",
        Some(TOKEN),
        body,
    )
    .error(403);
    assert_eq!(
        msg,
        "ingest is disabled: start the server with a token (VERBATIM_TOKEN or --token-file)"
    );
    let s = ingest_server();
    let r = post(s, "/api/documents", "application/json", None, body);
    assert!(r.error(401).contains("Authorization: Bearer"));
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = post(s, "/api/documents", "application/json", Some("wrong"), body);
    assert!(r.error(401).contains("wrong token"));
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = post(s, "/api/documents", "text/plain", Some(TOKEN), body);
    assert!(r.error(415).contains("application/json"));
    for (bad, says) in [
        (&b"{\"id\": "[..], "malformed JSON"),
        (
            b"{\"id\": \"x\"}",
            "document 1: document \"x\": missing string field \"text\"",
        ),
        (b"  ", "no documents"),
        (
            b"{\"id\": \"x\", \"text\": \"y\", \"kind\": \"podcast\"}",
            "unknown document kind \"podcast\": use \"article\" or \"transcript\"",
        ),
        (
            b"{\"id\": \"x\", \"text\": \"y\", \"kind\": \"transcript\", \"format\": \"pdf\"}",
            "unknown transcript format \"pdf\" (expected labelled, qa, captions, srt or webvtt)",
        ),
        (
            b"{\"id\": \"x\", \"text\": \"y\", \"kind\": \"transcript\", \"setting\": \"rumour\"}",
            "unknown setting \"rumour\" (overheard, statement, interview",
        ),
    ] {
        let msg = post(s, "/api/documents", "application/json", Some(TOKEN), bad).error(400);
        assert!(msg.contains(says), "{msg:?} should say {says:?}");
    }

    let r = post(s, "/api/documents", "application/json", Some(TOKEN), body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let report = r.json();
    assert_eq!(report["inserted"], 1, "{report:#}");
    assert_eq!(report["quotes_added"], 1, "{report:#}");
    // JSON Lines, with a rejected document among them.
    let lines = b"{\"id\": \"t2\", \"text\": \"\\\"Taxes will fall,\\\" said John Roe.\", \"outlet\": \"Daily\"}\n{\"id\": \"t3\", \"text\": \"x\", \"date\": \"not a date\"}\n";
    let report = post(
        s,
        "/api/documents",
        "application/x-ndjson",
        Some(TOKEN),
        lines,
    )
    .json();
    assert_eq!(report["inserted"], 1, "{report:#}");
    assert_eq!(report["rejected"][0]["id"], "t3", "{report:#}");
    assert_eq!(report["rejected"][0]["origin"], "document 2", "{report:#}");
    // Ingested documents count as soon as the bank is recounted, in the background.
    let counted = (0..100).any(|_| {
        let stats = request(s.local_addr(), "GET", "/api/stats", &[], b"").json();
        std::thread::sleep(Duration::from_millis(50));
        stats["documents"].as_i64().unwrap() >= 2
    });
    assert!(counted, "/api/stats does not count the ingested documents");
    // Ingested documents are searchable at once.
    let page = request(s.local_addr(), "GET", "/api/quotes?q=taxes", &[], b"").json();
    assert_eq!(page["hits"][0]["document_id"], "t2", "{page:#}");
    assert_eq!(page["hits"][0]["speaker"]["name"], "John Roe");
    // A transcript: its turns are stored, a problem line is a warning, and the article
    // that reported a turn is verified against it.
    let body = br#"{"id": "t4", "kind": "transcript", "format": "labelled", "setting": "interview", "text": "JOHN ROE: Taxes will fall.\nJANE DOE:\n"}"#;
    let report = post(s, "/api/documents", "application/json", Some(TOKEN), body).json();
    assert_eq!(report["inserted"], 1, "{report:#}");
    assert_eq!(report["warnings"][0]["id"], "t4", "{report:#}");
    assert_eq!(report["verifications"], 1, "{report:#}");
    let page = request(
        s.local_addr(),
        "GET",
        "/api/quotes?q=taxes&outlet=Daily",
        &[],
        b"",
    )
    .json();
    assert_eq!(page["hits"][0]["verdict"], "verbatim", "{page:#}");
}

#[test]
fn hostile_text_comes_back_intact_as_json_strings() {
    let s = ingest_server();
    let script = "<script>alert(1)</script>";
    let img = "\"><img src=x onerror=alert(1)>";
    let text = format!("\"{script}\" said Mr Smith. Mr Jones said: \"{img} is the answer.\"");
    let doc = serde_json::json!([{"id": img, "text": text, "title": script, "outlet": img, "url": "javascript:alert(1)"}]);
    let r = post(
        s,
        "/api/documents",
        "application/json",
        Some(TOKEN),
        doc.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let encoded: String = img.bytes().map(|b| format!("%{b:02X}")).collect();
    let d = request(
        s.local_addr(),
        "GET",
        &format!("/api/documents/{encoded}"),
        &[],
        b"",
    );
    assert_eq!(d.header("x-content-type-options"), Some("nosniff"));
    let d = d.json();
    assert_eq!(d["id"], img);
    assert_eq!(d["text"], text);
    assert_eq!(d["title"], script);
    assert_eq!(d["outlet"], img);
    let contents: Vec<&str> = d["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["content"].as_array().unwrap())
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(contents.iter().any(|c| c.contains(script)), "{d:#}");
    let page = request(s.local_addr(), "GET", "/api/quotes?q=alert", &[], b"").json();
    assert!(
        page["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["text"].as_str().unwrap().contains(script)),
        "{page:#}"
    );
}

#[test]
fn every_response_carries_the_security_headers() {
    let csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    for target in [
        "/",
        "/static/index.html",
        "/api/stats",
        "/api/openapi.json",
        "/api/nope",
        "/api/quotes?limit=x",
    ] {
        let r = get(target);
        assert_eq!(r.header("content-security-policy"), Some(csp), "{target}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{target}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{target}");
    }
    let page = get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.body, get("/static/index.html").body);
    assert_eq!(page.body, get("/static/index%2Ehtml").body);
    assert!(String::from_utf8_lossy(&page.body).contains("<html"));
    for (name, ct) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
        let r = get(&format!("/static/{name}"));
        if r.status == 200 {
            assert!(r.header("content-type").unwrap().starts_with(ct), "{name}");
        }
    }
    assert_eq!(get("/api/stats").header("cache-control"), Some("no-store"));
}

#[test]
fn the_openapi_document_describes_exactly_the_routes() {
    let spec: Value = serde_json::from_str(verbatim_server::OPENAPI).expect("valid JSON");
    assert_eq!(get_json("/api/openapi.json"), spec);
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(spec["info"]["title"].is_string());
    assert_eq!(spec["info"]["version"], env!("CARGO_PKG_VERSION"));
    let paths = spec["paths"].as_object().expect("paths");
    let mut in_spec: Vec<(String, String)> = Vec::new();
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            assert!(op["responses"]["200"].is_object(), "{method} {path}: 200");
            assert!(op["summary"].is_string(), "{method} {path}: summary");
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    assert!(path.contains(&format!("{{{}}}", p["name"].as_str().unwrap())));
                }
            }
            in_spec.push((path.clone(), method.to_uppercase()));
        }
    }
    let mut routed: Vec<(String, String)> = verbatim_server::routes()
        .map(|(p, m)| (p.to_string(), m.to_string()))
        .collect();
    in_spec.sort();
    routed.sort();
    assert_eq!(in_spec, routed);
    // Every reference resolves.
    let text = verbatim_server::OPENAPI;
    for r in text.split("\"$ref\": \"#/").skip(1) {
        let pointer = format!("/{}", &r[..r.find('"').unwrap()]);
        assert!(spec.pointer(&pointer).is_some(), "dangling $ref {pointer}");
    }
}

#[test]
fn keep_alive_and_pipelined_requests_are_answered_in_order() {
    let mut s = TcpStream::connect(server().local_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(
        b"GET /api/stats HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/nope HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/speakers?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut data = Vec::new();
    s.read_to_end(&mut data).unwrap();
    let (a, n) = parse_reply(&data, false).unwrap();
    let (b, m) = parse_reply(&data[n..], false).unwrap();
    let (c, _) = parse_reply(&data[n + m..], false).unwrap();
    assert_eq!((a.status, b.status, c.status), (200, 404, 200));
    assert!(a.json()["quotes"].is_number());
    assert!(c.json()["speakers"].is_array());
    // Garbage is a 400, and the server goes on.
    raw(server().local_addr(), b"NOT HTTP AT ALL\r\n\r\n").error(400);
    assert_eq!(get("/api/stats").status, 200);
}

#[test]
fn a_missing_bank_is_an_error_unless_there_is_a_token() {
    let db = temp_db("missing");
    let err = Server::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        ..Config::new(&db)
    })
    .err()
    .expect("no bank, no token: an error");
    assert!(err.to_string().contains("verbatim ingest --db"), "{err}");
    let s = Server::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        token: Some(TOKEN.into()),
        threads: 1,
        ..Config::new(&db)
    })
    .unwrap();
    assert!(s.ingest_enabled());
    let stats = request(s.local_addr(), "GET", "/api/stats", &[], b"").json();
    assert_eq!(stats["documents"], 0);
    s.shutdown();
    // The port is free again.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let err = Server::start(Config {
        addr: taken.local_addr().unwrap(),
        ..Config::new(&db)
    })
    .err()
    .expect("address in use");
    assert!(err.to_string().contains("already in use"), "{err}");
}

#[test]
fn kept_answers_follow_every_change_to_the_bank() {
    let db = temp_db("cache");
    let s = token_server(&db, 3);
    let ask = |target: &str| {
        // Several times, so that every worker answers it, from the bank then from memory.
        let first = request(s.local_addr(), "GET", target, &[], b"");
        assert_eq!(first.status, 200, "{target}");
        for _ in 0..5 {
            let again = request(s.local_addr(), "GET", target, &[], b"");
            assert_eq!(
                again.body, first.body,
                "{target}: the same answer each time"
            );
        }
        first.json()
    };
    let hits = |target: &str| ask(target)["hits"].as_array().unwrap().len();
    assert_eq!(hits("/api/quotes?q=taxes"), 0);
    assert_eq!(ask("/api/speakers")["speakers"], serde_json::json!([]));

    // Ingest through the server.
    let body = br#"{"id": "c1", "outlet": "Daily", "date": "2020-01-02", "text": "\"Taxes will fall,\" said John Roe."}"#;
    let r = post(&s, "/api/documents", "application/json", Some(TOKEN), body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(hits("/api/quotes?q=taxes"), 1);
    let roe = ask("/api/speakers")["speakers"][0].clone();
    assert_eq!(roe["name"], "John Roe");
    let page = format!("/api/speakers/{}", roe["id"]);
    assert_eq!(ask(&page)["quote_count"], 1);
    assert_eq!(ask("/api/documents/c1")["outlet"], "Daily");

    // Another writer, as `verbatim ingest` would be: a new document, then a changed one.
    let mut bank = Bank::open(&db).unwrap();
    let mut ingest_c2 = |text: &str| {
        let doc = NewDocument {
            outlet: Some("Weekly".into()),
            date: Some("2020-02-03".into()),
            ..NewDocument::new("c2", text)
        };
        bank.ingest_documents(vec![doc], &IngestOptions::default(), None)
            .unwrap()
    };
    let r = ingest_c2("\"Taxes will rise,\" said John Roe.");
    assert_eq!(r.inserted, 1, "{r:?}");
    assert_eq!(hits("/api/quotes?q=taxes"), 2);
    let detail = ask(&page);
    assert_eq!(detail["quote_count"], 2);
    assert_eq!(detail["by_outlet"].as_array().unwrap().len(), 2);
    assert_eq!(
        ask("/api/speakers")["speakers"][0]["by_month"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let r = ingest_c2("\"Spending will rise,\" said John Roe.");
    assert_eq!(r.replaced, 1, "{r:?}");
    assert_eq!(hits("/api/quotes?q=taxes"), 1);
    assert_eq!(hits("/api/quotes?q=spending"), 1);
    assert!(bank.delete_document("c1").unwrap());
    assert_eq!(hits("/api/quotes?q=taxes"), 0);
    assert_eq!(
        request(s.local_addr(), "GET", "/api/documents/c1", &[], b"").status,
        404
    );
    assert_eq!(ask(&page)["by_outlet"][0]["key"], "Weekly");
    drop(bank);

    // Answers from memory are the answers of a server that keeps none.
    let plain = Server::start(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        threads: 1,
        cache_bytes: 0,
        ..Config::new(&db)
    })
    .unwrap();
    for target in [
        "/api/quotes?q=spending",
        "/api/quotes?speaker=John%20Roe",
        "/api/speakers",
        page.as_str(),
        "/api/documents/c2",
    ] {
        let kept = request(s.local_addr(), "GET", target, &[], b"");
        let fresh = request(plain.local_addr(), "GET", target, &[], b"");
        assert_eq!(kept.status, fresh.status, "{target}");
        assert_eq!(kept.body, fresh.body, "{target}");
    }
    plain.shutdown();
    s.shutdown();
}

/// A client that trickles its request head (a byte a second: never stalled) is cut off once
/// the head has taken 10 s, not after the minute a whole request may take: holding many
/// connections open that way costs an attacker a reconnection every few seconds.
#[test]
fn a_trickled_request_head_is_cut_off_after_ten_seconds() {
    let mut s = TcpStream::connect(server().local_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let start = std::time::Instant::now();
    let head = b"GET /api/stats HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    let mut data = Vec::new();
    for k in 0.. {
        // The server closes the connection; a write may then fail: stop sending.
        let byte = head.get(k).copied().unwrap_or(b'a');
        if s.write_all(&[byte]).is_err() {
            break;
        }
        let mut buf = [0u8; 4096];
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        if data.windows(4).any(|w| w == b"\r\n\r\n") || start.elapsed() > Duration::from_secs(40) {
            break;
        }
        std::thread::sleep(Duration::from_millis(950));
    }
    let (reply, _) = parse_reply(&data, false)
        .unwrap_or_else(|| panic!("no answer: {:?}", String::from_utf8_lossy(&data)));
    assert_eq!(reply.status, 408);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(9) && took < Duration::from_secs(30),
        "cut off after {took:?}"
    );
}
