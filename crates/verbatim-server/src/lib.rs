//! The quote bank over HTTP: a JSON API (search, speakers, documents, clusters, statistics,
//! extraction, token-protected ingest), its OpenAPI document, and the web page.
//!
//! ```no_run
//! use verbatim_server::{Config, Server};
//! # fn main() -> Result<(), verbatim_server::Error> {
//! let server = Server::start(Config::new("quotes.db"))?; // 127.0.0.1:8080, read-only
//! println!("serving at {}", server.url());
//! server.wait(); // until the process is stopped
//! # Ok(()) }
//! ```
//!
//! Endpoints (all described in [`OPENAPI`], served at `/api/openapi.json`):
//!
//! | method and path | answer |
//! | --- | --- |
//! | `GET /api/quotes?q=&speaker=&outlet=&since=&until=&order=&limit=&cursor=` | a page of search hits |
//! | `GET /api/speakers?limit=&offset=&min_quotes=` | `{"speakers": […]}`, most quoted first |
//! | `GET /api/speakers/{id}` | one speaker with counts, aliases, spellings |
//! | `GET /api/documents/{id}` | a document with its quotes |
//! | `GET /api/clusters/{id}` | the same remark across outlets |
//! | `GET /api/stats` | sizes of the bank (kept in memory, see [`STATS_TTL`]) |
//! | `POST /api/extract` | a text's quotes, as `verbatim extract --format jsonl` writes them |
//! | `POST /api/documents` | ingest (with the server's token) |
//! | `GET /`, `GET /static/{name}` | the web page |
//!
//! Document ids are arbitrary strings: the id is everything after `/api/documents/`,
//! percent-decoded, so an id with `/` may be sent with the `/` raw or as `%2F`; a `%`, `?`,
//! `#`, space or non-ASCII character must be percent-encoded (as UTF-8).
//!
//! Threads: the HTTP layer (`src/http.rs`) reads requests on one thread per connection and
//! hands complete requests to [`Config::threads`] workers, each with its own read-only
//! [`verbatim_bank::Bank`] connection; ingest goes through the one writable connection, behind
//! a mutex; one [`verbatim::Extractor`] serves every worker. A panic while answering becomes a
//! 500 and the server goes on.
//!
//! Answers of the read endpoints are kept in memory until the bank changes, whoever changes
//! it (see [`Config::cache_bytes`]; each worker checks SQLite's `data_version` before
//! answering from memory).
//!
//! Every response carries a Content-Security-Policy allowing only the server's own scripts,
//! styles and API, `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`; API
//! answers are `Cache-Control: no-store`. Errors are `{"error": "…"}` saying what to do.

#![warn(missing_docs)]

mod api;
mod assets;
mod cache;
mod http;
mod params;
mod stats;

pub use api::{routes, DEFAULT_EXTRACT_ID, INGEST_DISABLED, OPENAPI, SPEAKERS_DEFAULT_LIMIT};
pub use cache::DEFAULT_CACHE_BYTES;
pub use params::date_bound;
pub use stats::STATS_TTL;

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use verbatim::Extractor;
use verbatim_bank::{Bank, QuoteLengths};

/// The default address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// Default body limit of `POST /api/documents`: 10 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 << 20;
/// Default body limit of `POST /api/extract`: 2 MiB.
pub const DEFAULT_MAX_EXTRACT_BYTES: usize = 2 << 20;
/// Default limit of open connections.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// How to run the server.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The quote bank (an SQLite file).
    pub db: PathBuf,
    /// Where to listen; port 0 picks a free port (see [`Server::local_addr`]).
    pub addr: SocketAddr,
    /// The ingest token: `POST /api/documents` needs `Authorization: Bearer <token>`. `None`
    /// disables ingest (403). With a token, a bank file that does not exist is created empty.
    pub token: Option<String>,
    /// Worker threads (each with its own database connection); 0 picks [`default_threads`].
    pub threads: usize,
    /// Largest body of `POST /api/documents`, in bytes (larger: 413).
    pub max_body_bytes: usize,
    /// Largest body of `POST /api/extract`, in bytes (larger: 413).
    pub max_extract_bytes: usize,
    /// Most connections open at once (more: 503).
    pub max_connections: usize,
    /// Extraction threads of one ingest request; 0 means one per core.
    pub ingest_jobs: usize,
    /// Memory for answers kept until the bank changes (searches, speakers, documents,
    /// clusters), in bytes; 0 keeps none. Default [`DEFAULT_CACHE_BYTES`].
    pub cache_bytes: usize,
    /// Host names (as in the `Host` header; a port is ignored) answered besides the loopback
    /// ones (`localhost`, `127.0.0.1`, `[::1]`), which are always answered. Against DNS
    /// rebinding, a server on a loopback address answers only those; one on another address
    /// answers any host while this is empty, else only these. A request without a `Host`
    /// (HTTP/1.0) is answered: browsers always send one.
    pub allowed_hosts: Vec<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("db", &self.db)
            .field("addr", &self.addr)
            .field("token", &self.token.as_ref().map(|_| "<hidden>"))
            .field("threads", &self.threads)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_extract_bytes", &self.max_extract_bytes)
            .field("max_connections", &self.max_connections)
            .field("ingest_jobs", &self.ingest_jobs)
            .field("cache_bytes", &self.cache_bytes)
            .field("allowed_hosts", &self.allowed_hosts)
            .finish()
    }
}

impl Config {
    /// Serve `db` on [`DEFAULT_ADDR`], read-only, with the default limits.
    pub fn new(db: impl Into<PathBuf>) -> Config {
        Config {
            db: db.into(),
            addr: DEFAULT_ADDR.parse().expect("a valid default address"),
            token: None,
            threads: 0,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_extract_bytes: DEFAULT_MAX_EXTRACT_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            ingest_jobs: 0,
            cache_bytes: DEFAULT_CACHE_BYTES,
            allowed_hosts: Vec::new(),
        }
    }
}

/// Worker threads when [`Config::threads`] is 0: two per core, at least 4, at most 32 (a
/// request mostly waits on SQLite pages and the socket, so a few more workers than cores keep
/// the cores busy).
pub fn default_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (2 * cores).clamp(4, 32)
}

/// True when `addr` is reachable only from this machine.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Why the server could not start.
#[derive(Debug)]
pub enum Error {
    /// The bank file does not exist (and no token was given, so it is not created).
    NoBank(PathBuf),
    /// The bank could not be opened.
    Bank(verbatim_bank::Error),
    /// The address could not be bound.
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: io::Error,
    },
    /// A bad setting.
    Config(String),
    /// A thread could not be started.
    Io(io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoBank(path) => write!(
                f,
                "{}: no such quote bank; create it with `verbatim ingest --db {} FILES…`, or \
                 start the server with a token (VERBATIM_TOKEN or --token-file) to create it \
                 empty and ingest over HTTP",
                path.display(),
                path.display()
            ),
            Error::Bank(e) => e.fmt(f),
            Error::Bind { addr, source } => match source.kind() {
                io::ErrorKind::AddrInUse => write!(
                    f,
                    "{addr} is already in use: choose another address (port 0 picks a free \
                     one)"
                ),
                io::ErrorKind::PermissionDenied => write!(
                    f,
                    "not allowed to listen on {addr} (ports below 1024 need privileges): \
                     choose a port above 1024"
                ),
                _ => write!(f, "cannot listen on {addr}: {source}"),
            },
            Error::Config(msg) => f.write_str(msg),
            Error::Io(e) => write!(f, "cannot start the server's threads: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Bank(e) => Some(e),
            Error::Bind { source, .. } => Some(source),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<verbatim_bank::Error> for Error {
    fn from(e: verbatim_bank::Error) -> Error {
        Error::Bank(e)
    }
}

/// A running server. Dropping it (or [`Server::shutdown`]) stops it.
pub struct Server {
    running: http::Running,
    ingest: bool,
    immutable: bool,
    stats: Arc<stats::StatsCache>,
}

// One extractor serves every worker.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Extractor>();
};

/// Open `db` read-only, upgrading an older schema first (which needs a writable open).
fn open_reader(db: &Path) -> verbatim_bank::Result<Bank> {
    match Bank::open_read_only(db) {
        Err(verbatim_bank::Error::NeedsUpgrade { .. }) => {
            drop(Bank::open(db)?);
            Bank::open_read_only(db)
        }
        other => other,
    }
}

/// Read every quote's length into `lengths` on a thread of its own (about a second per million
/// quotes), so relevance order need not look them up in the index; searches meanwhile fill the
/// table themselves, and answers are the same either way. A failure only costs speed.
fn fill_lengths(db: &Path, lengths: &Arc<QuoteLengths>) {
    let (db, lengths) = (db.to_path_buf(), Arc::clone(lengths));
    let spawned = std::thread::Builder::new()
        .name("verbatim-lengths".into())
        .spawn(move || {
            if let Err(e) = Bank::open_read_only(&db).and_then(|b| b.fill_quote_lengths(&lengths)) {
                eprintln!("verbatim-server: reading quote lengths failed (searches go on): {e}");
            }
        });
    if let Err(e) = spawned {
        eprintln!("verbatim-server: could not start reading quote lengths: {e}");
    }
}

impl Server {
    /// Open the bank, count it (seconds for a bank of a million quotes), bind the address and
    /// start serving. Fails when the bank does not exist
    /// and no token was given ([`Error::NoBank`]), or cannot be opened, or the address cannot
    /// be bound.
    pub fn start(config: Config) -> Result<Server, Error> {
        if let Some(t) = &config.token {
            if t.trim().is_empty() || t.trim() != t {
                return Err(Error::Config(
                    "the token is empty or has spaces around it: use a long random string \
                     (e.g. `openssl rand -hex 32`)"
                        .into(),
                ));
            }
        }
        let writer = match &config.token {
            Some(_) => Some(Mutex::new(Bank::open(&config.db)?)),
            None if !config.db.exists() => return Err(Error::NoBank(config.db.clone())),
            None => None,
        };
        let threads = if config.threads == 0 {
            default_threads()
        } else {
            config.threads
        };
        let lengths = Arc::new(QuoteLengths::new());
        let workers = (0..threads)
            .map(|_| open_reader(&config.db).and_then(|b| api::Worker::new(b, &lengths)))
            .collect::<verbatim_bank::Result<Vec<_>>>()?;
        fill_lengths(&config.db, &lengths);
        let listener = TcpListener::bind(config.addr).map_err(|source| Error::Bind {
            addr: config.addr,
            source,
        })?;
        // Counted once now (seconds on a large bank), then kept up to date in the background.
        let stats = stats::StatsCache::new(config.db.clone(), &workers[0].bank)?;
        let ingest = writer.is_some();
        let immutable = workers[0].bank.is_immutable();
        let api = Arc::new(api::Api {
            db: config.db.clone(),
            extractor: Extractor::new(),
            writer,
            token: config.token.clone(),
            max_body_bytes: config.max_body_bytes,
            max_extract_bytes: config.max_extract_bytes,
            ingest_jobs: config.ingest_jobs,
            stats: Arc::clone(&stats),
            cache: cache::ResponseCache::new(config.cache_bytes),
            lengths,
        });
        let hosts = http::HostPolicy::new(is_loopback(&config.addr), &config.allowed_hosts);
        let running = http::start(listener, api, workers, config.max_connections, hosts)
            .map_err(Error::Io)?;
        Ok(Server {
            running,
            ingest,
            immutable,
            stats,
        })
    }

    /// The address the server listens on (with the port picked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.running.local_addr
    }

    /// `http://ADDR/`, the page's address (an unspecified address shows as 127.0.0.1).
    pub fn url(&self) -> String {
        let mut addr = self.local_addr();
        if addr.ip().is_unspecified() {
            addr.set_ip([127, 0, 0, 1].into());
        }
        format!("http://{addr}/")
    }

    /// The bank's counts, as `/api/stats` answers them.
    pub fn stats(&self) -> verbatim_bank::BankStats {
        self.stats.get()
    }

    /// Whether the bank lies on storage nobody can write and is read as it was at the start
    /// ([`verbatim_bank::Bank::is_immutable`]): restart the server after changing it.
    pub fn reads_immutable_bank(&self) -> bool {
        self.immutable
    }

    /// Whether `POST /api/documents` is enabled (the server has a token).
    pub fn ingest_enabled(&self) -> bool {
        self.ingest
    }

    /// Stop accepting, finish the requests in progress, close the connections and join the
    /// threads.
    pub fn shutdown(mut self) {
        self.running.stop();
    }

    /// Block until the server stops (in practice, until the process is stopped).
    pub fn wait(mut self) {
        self.running.wait();
    }
}
