//! The routes: which requests are admitted (checked on the connection thread, before any body
//! is read) and what the workers answer.

use crate::assets;
use crate::cache::ResponseCache;
use crate::http::{Head, Response};
use crate::params::{numeric_id, percent_decode, Params};
use serde::Serialize;
use std::borrow::Cow;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use verbatim::Extractor;
use verbatim_bank::query::MAX_LIMIT;
use verbatim_bank::{
    Bank, IngestOptions, NewDocument, Order, QuoteLengths, SearchQuery, SpeakerListQuery,
    SpeakerSummary,
};
use verbatim_train::polnear::JsonDoc;

/// The OpenAPI 3.1 document of this API, as served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// What an endpoint does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    Index,
    Static,
    OpenApi,
    Quotes,
    Speakers,
    Speaker,
    Documents,
    Document,
    Cluster,
    Stats,
    Extract,
}

/// A route: an OpenAPI path template and its one method (HEAD goes with GET).
struct Route {
    path: &'static str,
    method: &'static str,
    endpoint: Endpoint,
}

const ROUTES: &[Route] = &[
    Route {
        path: "/",
        method: "GET",
        endpoint: Endpoint::Index,
    },
    Route {
        path: "/static/{name}",
        method: "GET",
        endpoint: Endpoint::Static,
    },
    Route {
        path: "/api/openapi.json",
        method: "GET",
        endpoint: Endpoint::OpenApi,
    },
    Route {
        path: "/api/quotes",
        method: "GET",
        endpoint: Endpoint::Quotes,
    },
    Route {
        path: "/api/speakers",
        method: "GET",
        endpoint: Endpoint::Speakers,
    },
    Route {
        path: "/api/speakers/{id}",
        method: "GET",
        endpoint: Endpoint::Speaker,
    },
    Route {
        path: "/api/documents",
        method: "POST",
        endpoint: Endpoint::Documents,
    },
    Route {
        path: "/api/documents/{id}",
        method: "GET",
        endpoint: Endpoint::Document,
    },
    Route {
        path: "/api/clusters/{id}",
        method: "GET",
        endpoint: Endpoint::Cluster,
    },
    Route {
        path: "/api/stats",
        method: "GET",
        endpoint: Endpoint::Stats,
    },
    Route {
        path: "/api/extract",
        method: "POST",
        endpoint: Endpoint::Extract,
    },
];

/// Every route the server answers: `(path template, method)`, the templates written as in the
/// OpenAPI document (`/api/speakers/{id}`). HEAD is answered wherever GET is.
pub fn routes() -> impl Iterator<Item = (&'static str, &'static str)> {
    ROUTES.iter().map(|r| (r.path, r.method))
}

/// The route of a path, with its `{…}` segment still percent-encoded. A document id is the
/// whole rest of the path, so it may hold `/` (raw or as `%2F`); other parameters are one
/// segment.
fn find_route(path: &str) -> Option<(&'static Route, &str)> {
    ROUTES.iter().find_map(|r| match r.path.split_once('{') {
        None => (r.path == path).then_some((r, "")),
        Some((prefix, _)) => {
            let rest = path.strip_prefix(prefix)?;
            let ok = !rest.is_empty() && (r.endpoint == Endpoint::Document || !rest.contains('/'));
            ok.then_some((r, rest))
        }
    })
}

/// Default page size of `/api/speakers`.
pub const SPEAKERS_DEFAULT_LIMIT: u64 = 100;
/// Largest `offset` of `/api/speakers`.
const MAX_OFFSET: u64 = 1_000_000_000;
/// Body limit of GET requests (their body is ignored).
const GET_BODY_LIMIT: usize = 64 * 1024;
/// The id of an extracted text that came without one.
pub const DEFAULT_EXTRACT_ID: &str = "document";

/// A request that passed admission, with its parameters parsed.
#[derive(Debug)]
pub(crate) enum Call {
    Quotes(SearchQuery),
    Speakers(SpeakerListQuery),
    Speaker(i64),
    Document(String),
    Cluster(i64),
    Stats,
    Extract { id: Option<String>, json: bool },
    Ingest,
}

/// What admission decided.
pub(crate) enum Admission {
    /// Answer at once (an error, a static file): no worker needed.
    Respond(Response),
    /// Read the body (at most `body_limit` bytes) and give the call to a worker.
    Work { call: Call, body_limit: usize },
}

/// The state every worker shares.
pub(crate) struct Api {
    pub db: PathBuf,
    pub extractor: Extractor,
    /// The one writable connection, for ingest; `None` when ingest is disabled (no token).
    pub writer: Option<Mutex<Bank>>,
    pub token: Option<String>,
    pub max_body_bytes: usize,
    pub max_extract_bytes: usize,
    pub ingest_jobs: usize,
    /// `/api/stats`, cached.
    pub stats: std::sync::Arc<crate::stats::StatsCache>,
    /// Answers of the read endpoints, until the bank changes.
    pub cache: ResponseCache,
    /// Quote lengths for relevance order, shared by the workers' connections.
    pub lengths: Arc<QuoteLengths>,
}

/// One worker's own state: its read-only connection.
pub(crate) struct Worker {
    pub bank: Bank,
    /// The connection's `data_version` when this worker last looked at the cache (`None`:
    /// never, or the connection was replaced, so any change may have been missed).
    seen: Option<i64>,
}

impl Worker {
    /// A worker reading `bank`, with the server's shared quote lengths.
    pub fn new(mut bank: Bank, lengths: &Arc<QuoteLengths>) -> verbatim_bank::Result<Worker> {
        bank.keep_quote_lengths(Arc::clone(lengths))?;
        Ok(Worker { bank, seen: None })
    }
}

/// The message of 403 on ingest.
pub const INGEST_DISABLED: &str =
    "ingest is disabled: start the server with a token (VERBATIM_TOKEN or --token-file)";

fn bad(msg: impl AsRef<str>) -> Response {
    Response::error(400, msg)
}

fn ok<T: Serialize + ?Sized>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => Response::json(200, body),
        Err(e) => Response::error(500, format!("could not write the answer as JSON: {e}")),
    }
}

fn static_file(name: &str) -> Response {
    match assets::get(name) {
        Some(a) => Response {
            status: 200,
            content_type: a.content_type,
            cache: "no-cache",
            headers: Vec::new(),
            body: Cow::Borrowed(a.body),
            close: false,
        },
        None => Response::error(
            404,
            format!(
                "no static file {name:?}; there are: {}",
                assets::names().collect::<Vec<_>>().join(", ")
            ),
        ),
    }
}

/// The media type of a `Content-Type` value, lower-cased, if its charset (when given) is UTF-8.
fn media_type(content_type: &str) -> Result<String, ()> {
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    for p in parts {
        if let Some((k, v)) = p.split_once('=') {
            let v = v.trim().trim_matches('"');
            if k.trim().eq_ignore_ascii_case("charset")
                && !v.eq_ignore_ascii_case("utf-8")
                && !v.eq_ignore_ascii_case("utf8")
            {
                return Err(());
            }
        }
    }
    Ok(media)
}

const JSON_LINES_TYPES: [&str; 5] = [
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "application/jsonlines",
    "application/x-jsonlines",
];

/// Compare without an early exit, so the time taken does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(std::hint::black_box(x ^ y));
    }
    diff == 0
}

impl Api {
    /// Decide on a request from its head alone.
    pub fn admit(&self, head: &Head) -> Admission {
        match self.admit_inner(head) {
            Ok(a) => a,
            Err(r) => Admission::Respond(r),
        }
    }

    fn admit_inner(&self, head: &Head) -> Result<Admission, Response> {
        let path = head.path();
        let Some((route, raw)) = find_route(path) else {
            return Err(Response::error(
                404,
                format!(
                    "no such endpoint: {} {path}; the API is described at /api/openapi.json",
                    head.method
                ),
            ));
        };
        let method = head.method.as_str();
        if !(method == route.method || (method == "HEAD" && route.method == "GET")) {
            let allow = if route.method == "GET" {
                "GET, HEAD"
            } else {
                route.method
            };
            return Err(Response::error(
                405,
                format!("{path} takes {}, not {method}", route.method),
            )
            .with_header("Allow", allow));
        }
        let endpoint = route.path;
        let query = head.query();
        let work = |call| {
            Ok(Admission::Work {
                call,
                body_limit: GET_BODY_LIMIT,
            })
        };
        let none = |q: &str| Params::parse(q, endpoint, &[]).map_err(bad);
        match route.endpoint {
            // Query strings on the page are the browser's business.
            Endpoint::Index => Ok(Admission::Respond(static_file("index.html"))),
            // The name as sent may be percent-encoded ("app%2Ejs"), as any path may.
            Endpoint::Static => Ok(Admission::Respond(static_file(
                &crate::params::percent_decode(raw, false).map_err(bad)?,
            ))),
            Endpoint::OpenApi => {
                none(query)?;
                Ok(Admission::Respond(Response::json(
                    200,
                    OPENAPI.as_bytes().to_vec(),
                )))
            }
            Endpoint::Quotes => work(Call::Quotes(search_query(query).map_err(bad)?)),
            Endpoint::Speakers => {
                let p = Params::parse(
                    query,
                    endpoint,
                    &["limit", "offset", "min_quotes", "outlet", "since", "until"],
                )
                .map_err(bad)?;
                work(Call::Speakers(SpeakerListQuery {
                    limit: Some(
                        p.number("limit", 1, MAX_LIMIT as u64, SPEAKERS_DEFAULT_LIMIT)
                            .map_err(bad)? as usize,
                    ),
                    offset: p.number("offset", 0, MAX_OFFSET, 0).map_err(bad)? as usize,
                    min_quotes: p.number("min_quotes", 1, i64::MAX as u64, 1).map_err(bad)? as i64,
                    outlet: p.string("outlet"),
                    since: p.string("since"),
                    until: p.string("until"),
                }))
            }
            Endpoint::Speaker => {
                none(query)?;
                work(Call::Speaker(
                    numeric_id(raw, "speaker", "/api/speakers").map_err(bad)?,
                ))
            }
            Endpoint::Cluster => {
                none(query)?;
                work(Call::Cluster(
                    numeric_id(raw, "cluster", "a quote's cluster_id").map_err(bad)?,
                ))
            }
            Endpoint::Document => {
                none(query)?;
                work(Call::Document(percent_decode(raw, false).map_err(bad)?))
            }
            Endpoint::Stats => {
                none(query)?;
                work(Call::Stats)
            }
            Endpoint::Extract => {
                let p = Params::parse(query, endpoint, &["id"]).map_err(bad)?;
                let json = match media_type(head.header("content-type").unwrap_or("")).as_deref() {
                    Ok("application/json") => true,
                    Ok("text/plain") => false,
                    _ => {
                        return Err(Response::error(
                            415,
                            "send the text as Content-Type: text/plain (UTF-8), or \
                             {\"text\": \"…\", \"id\": \"…\"} as application/json",
                        ))
                    }
                };
                Ok(Admission::Work {
                    call: Call::Extract {
                        id: p.string("id"),
                        json,
                    },
                    body_limit: self.max_extract_bytes,
                })
            }
            Endpoint::Documents => {
                none(query)?;
                self.authorize(head)?;
                match media_type(head.header("content-type").unwrap_or("")) {
                    Ok(m) if JSON_LINES_TYPES.contains(&m.as_str()) => {}
                    _ => {
                        return Err(Response::error(
                            415,
                            "send documents as Content-Type: application/json (one object or an \
                             array) or application/x-ndjson (one object per line), in UTF-8",
                        ))
                    }
                }
                Ok(Admission::Work {
                    call: Call::Ingest,
                    body_limit: self.max_body_bytes,
                })
            }
        }
    }

    /// Ingest needs the server's token: 403 when the server has none, 401 without the right one.
    fn authorize(&self, head: &Head) -> Result<(), Response> {
        let Some(token) = &self.token else {
            return Err(Response::error(403, INGEST_DISABLED));
        };
        let given = head.header("authorization").and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(rest.trim())
        });
        match given {
            Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
            Some(_) => Err(Response::error(
                401,
                "wrong token: send the token the server was started with, as \
                 Authorization: Bearer <token>",
            )
            .with_header(
                "WWW-Authenticate",
                "Bearer realm=\"verbatim\", error=\"invalid_token\"",
            )),
            None => Err(Response::error(
                401,
                "ingest needs the server's token: send Authorization: Bearer <token>",
            )
            .with_header("WWW-Authenticate", "Bearer realm=\"verbatim\"")),
        }
    }

    /// Answer an admitted request (on a worker). A panic becomes a 500 and the worker goes on
    /// with a fresh connection.
    pub fn run(&self, worker: &mut Worker, call: Call, head: &Head, body: Vec<u8>) -> Response {
        match panic::catch_unwind(AssertUnwindSafe(|| self.execute(worker, call, body))) {
            Ok(Ok(r)) | Ok(Err(r)) => r,
            Err(cause) => {
                let what = cause
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| cause.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                eprintln!(
                    "verbatim-server: internal error answering {} {}: {what}",
                    head.method, head.target
                );
                if let Ok(w) =
                    Bank::open_read_only(&self.db).and_then(|bank| Worker::new(bank, &self.lengths))
                {
                    *worker = w;
                }
                Response::error(
                    500,
                    "internal error: the server hit a bug answering this request (it goes on \
                     serving others); please report it with the request",
                )
            }
        }
    }

    /// Answer from the cache when the call is a read and the bank has not changed since the
    /// answer was kept; else compute the answer (and keep it when it is a 200).
    fn execute(
        &self,
        worker: &mut Worker,
        call: Call,
        body: Vec<u8>,
    ) -> Result<Response, Response> {
        let cacheable = matches!(
            call,
            Call::Quotes(_)
                | Call::Speakers(_)
                | Call::Speaker(_)
                | Call::Document(_)
                | Call::Cluster(_)
        );
        if !cacheable || !self.cache.enabled() || !self.notice_changes(worker) {
            return self.answer(worker, call, body);
        }
        let key = format!("{call:?}");
        match self.cache.get(&key) {
            Ok(kept) => Ok(Response::json(200, kept)),
            Err(ticket) => {
                let r = self.answer(worker, call, body)?;
                if r.status == 200 {
                    self.cache.put(ticket, key, &r.body);
                }
                Ok(r)
            }
        }
    }

    /// Empty the cache if the bank changed since this worker last looked (see
    /// `crate::cache`). False when the change cannot be known: do not use the cache.
    fn notice_changes(&self, worker: &mut Worker) -> bool {
        match worker.bank.data_version() {
            Ok(v) => {
                if worker.seen != Some(v) {
                    self.cache.invalidate();
                    worker.seen = Some(v);
                }
                true
            }
            Err(e) => {
                eprintln!("verbatim-server: cannot tell whether the bank changed: {e}");
                self.cache.invalidate();
                worker.seen = None;
                false
            }
        }
    }

    fn answer(&self, worker: &Worker, call: Call, body: Vec<u8>) -> Result<Response, Response> {
        let bank = &worker.bank;
        let not_found = |what: &str, id: &dyn std::fmt::Debug| {
            Response::error(404, format!("no {what} with id {id:?}"))
        };
        Ok(match call {
            Call::Quotes(q) => ok(&bank.search(&q).map_err(bank_error)?),
            Call::Speakers(q) => {
                #[derive(Serialize)]
                struct Speakers {
                    speakers: Vec<SpeakerSummary>,
                }
                ok(&Speakers {
                    speakers: bank.list_speakers(&q).map_err(bank_error)?,
                })
            }
            Call::Speaker(id) => match bank.speaker(id).map_err(bank_error)? {
                Some(s) => ok(&s),
                None => not_found("speaker", &id),
            },
            Call::Document(id) => match bank.document(&id).map_err(bank_error)? {
                Some(d) => ok(&d),
                None => not_found("document", &id),
            },
            Call::Cluster(id) => match bank.cluster(id).map_err(bank_error)? {
                Some(c) => ok(&c),
                None => not_found("cluster", &id),
            },
            Call::Stats => ok(&self.stats.get()),
            Call::Extract { id, json } => {
                let (id, text) = extract_input(id, json, body).map_err(bad)?;
                let quotes = self.extractor.extract(&text);
                ok(&JsonDoc::extracted(&id, &text, &quotes))
            }
            Call::Ingest => {
                let docs = parse_documents(&body).map_err(bad)?;
                let Some(writer) = &self.writer else {
                    return Err(Response::error(403, INGEST_DISABLED));
                };
                let mut bank = writer.lock().unwrap_or_else(|e| e.into_inner());
                let opts = IngestOptions {
                    jobs: self.ingest_jobs,
                    ..IngestOptions::default()
                };
                let report = bank.ingest_documents_with(&self.extractor, docs, &opts, None);
                self.stats.invalidate();
                let report = report.map_err(bank_error)?;
                // The per-word counts that plan searches, refreshed once an eighth of the bank
                // has changed (about a second per million quotes, once per eighth): a bank fed
                // only through this endpoint would otherwise keep its first counts for ever.
                // The documents are stored either way, so a failure here is only reported.
                if let Err(e) = bank.optimize_is_due().and_then(|due| {
                    if due {
                        bank.optimize()?;
                    }
                    Ok(())
                }) {
                    eprintln!(
                        "verbatim-server: optimize after ingest failed (searches go on): {e}"
                    );
                }
                ok(&report)
            }
        })
    }
}

/// A bank error: 400 when the caller's input was at fault, else 500 (details to the log only).
fn bank_error(e: verbatim_bank::Error) -> Response {
    if e.is_invalid_input() {
        bad(e.to_string())
    } else {
        eprintln!("verbatim-server: database error: {e}");
        Response::error(
            500,
            "internal database error; the server's log has the details",
        )
    }
}

/// `/api/quotes` parameters → a search.
fn search_query(query: &str) -> Result<SearchQuery, String> {
    let p = Params::parse(
        query,
        "/api/quotes",
        &[
            "q", "speaker", "outlet", "since", "until", "order", "limit", "cursor",
        ],
    )?;
    let mut bounds = [None, None];
    for (i, name) in ["since", "until"].into_iter().enumerate() {
        if let Some(v) = p.get(name) {
            bounds[i] = Some(crate::params::date_bound(v).map_err(|e| format!("{name}: {e}"))?);
        }
    }
    let [since, until] = bounds;
    let order = match p.get("order") {
        None | Some("newest") => Order::Newest,
        Some("relevance") => Order::Relevance,
        Some(other) => {
            return Err(format!(
                "order must be \"newest\" or \"relevance\", not {other:?}"
            ))
        }
    };
    Ok(SearchQuery {
        text: p.string("q"),
        speaker: p.string("speaker"),
        outlet: p.string("outlet"),
        since,
        until,
        order,
        limit: p.number("limit", 1, MAX_LIMIT as u64, 20)? as usize,
        cursor: p.string("cursor"),
    })
}

/// The id and text of an extract request.
fn extract_input(
    query_id: Option<String>,
    json: bool,
    body: Vec<u8>,
) -> Result<(String, String), String> {
    let fallback = || {
        query_id
            .clone()
            .unwrap_or_else(|| DEFAULT_EXTRACT_ID.into())
    };
    if !json {
        let text = String::from_utf8(body)
            .map_err(|_| "the body is not UTF-8 text: send the text encoded as UTF-8")?;
        return Ok((fallback(), text));
    }
    let v: serde_json::Value =
        serde_json::from_slice(without_bom(&body)).map_err(|e| format!("malformed JSON: {e}"))?;
    let text = match v.get("text") {
        Some(serde_json::Value::String(t)) => t.clone(),
        _ => {
            return Err(
                "missing string field \"text\": send {\"text\": \"…\"} (\"id\" is optional)".into(),
            )
        }
    };
    let id = match v.get("id") {
        None | Some(serde_json::Value::Null) => fallback(),
        Some(v @ serde_json::Value::Number(_)) => {
            verbatim_bank::ingest::json_id(v).map_err(|e| e.to_string())?
        }
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return Err("field \"id\" should be a string".into()),
    };
    Ok((id, text))
}

/// A JSON body without its UTF-8 byte-order mark, which some editors and clients write and
/// JSON parsers refuse.
fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// The documents of an ingest body: one JSON object, an array of them, or one per line.
fn parse_documents(body: &[u8]) -> Result<Vec<NewDocument>, String> {
    let mut docs = Vec::new();
    let body = without_bom(body);
    for value in serde_json::Deserializer::from_slice(body).into_iter::<serde_json::Value>() {
        let value = value.map_err(|e| format!("malformed JSON: {e}"))?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let n = docs.len() + 1;
            let doc =
                NewDocument::from_json_value(&item).map_err(|e| format!("document {n}: {e}"))?;
            docs.push(NewDocument {
                origin: Some(format!("document {n}")),
                ..doc
            });
        }
    }
    if docs.is_empty() {
        return Err(
            "no documents in the body: send {\"id\": …, \"text\": …}, an array of \
                    them, or one per line (JSON Lines)"
                .into(),
        );
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_paths() {
        let ep = |p: &str| find_route(p).map(|(r, raw)| (r.endpoint, raw.to_string()));
        assert_eq!(ep("/"), Some((Endpoint::Index, String::new())));
        assert_eq!(ep("/api/quotes"), Some((Endpoint::Quotes, String::new())));
        assert_eq!(
            ep("/api/speakers/12"),
            Some((Endpoint::Speaker, "12".into()))
        );
        assert_eq!(ep("/api/speakers/12/x"), None);
        assert_eq!(ep("/api/speakers/"), None);
        assert_eq!(
            ep("/api/documents/bbc/2012/x%20y"),
            Some((Endpoint::Document, "bbc/2012/x%20y".into()))
        );
        assert_eq!(
            ep("/api/documents"),
            Some((Endpoint::Documents, String::new()))
        );
        assert_eq!(
            ep("/static/app.js"),
            Some((Endpoint::Static, "app.js".into()))
        );
        assert_eq!(ep("/static/../x"), None);
        assert_eq!(ep("/nope"), None);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret-token", b"secret-token"));
        assert!(!constant_time_eq(b"secret-token", b"secret-tokeN"));
        assert!(!constant_time_eq(b"secret", b"secret-token"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[test]
    fn media_types() {
        assert_eq!(
            media_type("Application/JSON; charset=UTF-8"),
            Ok("application/json".into())
        );
        assert_eq!(media_type("text/plain"), Ok("text/plain".into()));
        assert!(media_type("text/plain; charset=latin1").is_err());
    }

    #[test]
    fn ingest_bodies() {
        let bom = parse_documents(b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"x\"}").unwrap();
        assert_eq!(bom[0].id, "a");
        let one = parse_documents(br#"{"id": "a", "text": "x"}"#).unwrap();
        assert_eq!(one.len(), 1);
        let arr =
            parse_documents(br#"[{"id": "a", "text": "x"}, {"id": 2, "text": "y"}]"#).unwrap();
        assert_eq!(arr[1].id, "2");
        let lines = parse_documents(
            b"{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"text\": \"y\"}\n",
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert!(parse_documents(b"").unwrap_err().contains("no documents"));
        assert!(parse_documents(b"{\"id\": \"a\"}")
            .unwrap_err()
            .contains("document 1"));
        assert!(parse_documents(b"{\"id\": ")
            .unwrap_err()
            .contains("malformed JSON"));
    }
}
