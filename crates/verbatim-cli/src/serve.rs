//! `verbatim serve` and `verbatim demo`: the quote bank over HTTP (see `verbatim-server`).

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use verbatim_bank::{Bank, IngestOptions, IngestReport, NewDocument};
use verbatim_server::{Config, Server};

/// `println!` that does not panic when standard output is gone (`verbatim serve | head -1`):
/// the server goes on serving.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// The environment variable holding the ingest token.
pub const TOKEN_ENV: &str = "VERBATIM_TOKEN";

/// The bundled example article (the BBC's report of the Obama–Medvedev open-microphone remarks).
pub const DEMO_ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");
/// The bundled transcript of the same exchange.
pub const DEMO_TRANSCRIPT: &str = include_str!("../../../examples/obama-medvedev-transcript.txt");

/// How to serve.
pub struct ServeOptions {
    /// The bank.
    pub db: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Worker threads; 0 for the default.
    pub threads: usize,
    /// The file holding the ingest token, if any.
    pub token_file: Option<PathBuf>,
    /// Memory for answers kept until the bank changes, in bytes (0: none).
    pub cache_bytes: usize,
    /// Host names answered besides the loopback ones (`--allow-host`).
    pub allowed_hosts: Vec<String>,
}

/// The ingest token: from `token_file` if given, else from [`TOKEN_ENV`]; `None` when neither is
/// set. Never from a command-line argument (it would show in `ps`).
pub fn read_token(token_file: Option<&Path>) -> Result<Option<String>, String> {
    let (token, from) = match token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--token-file {}: {e}", path.display()))?;
            warn_if_readable_by_others(path);
            if std::env::var_os(TOKEN_ENV).is_some() {
                eprintln!("verbatim: note: using --token-file; {TOKEN_ENV} is ignored");
            }
            (text, format!("--token-file {}", path.display()))
        }
        None => match std::env::var(TOKEN_ENV) {
            Ok(t) => (t, TOKEN_ENV.to_string()),
            Err(std::env::VarError::NotPresent) => return Ok(None),
            Err(e) => return Err(format!("{TOKEN_ENV}: {e}")),
        },
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(format!(
            "{from} is empty: put a long random token in it (e.g. `openssl rand -hex 32`)"
        ));
    }
    if token.chars().any(char::is_whitespace) {
        return Err(format!(
            "{from}: the token must not contain spaces or line breaks"
        ));
    }
    if token.len() < 16 {
        eprintln!("verbatim: warning: the token from {from} is short; use 16 characters or more");
    }
    Ok(Some(token))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(m) = std::fs::metadata(path) {
        if m.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "verbatim: warning: {} is readable by other users; `chmod 600` it",
                path.display()
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}

/// `verbatim serve`: serve the bank until the process is stopped.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let token = read_token(opts.token_file.as_deref())?;
    let created = token.is_some() && !opts.db.exists();
    let config = Config {
        addr: opts.addr,
        token,
        threads: opts.threads,
        cache_bytes: opts.cache_bytes,
        allowed_hosts: opts.allowed_hosts,
        ..Config::new(&opts.db)
    };
    let server = start(config)?;
    if created {
        say!(
            "verbatim: created the empty bank {}; add documents with POST /api/documents",
            opts.db.display()
        );
    }
    announce(&server, &opts.db);
    server.wait();
    Ok(())
}

/// Start a server, warning when it is reachable from the network.
fn start(config: Config) -> Result<Server, String> {
    let addr = config.addr;
    let token = config.token.is_some();
    let any_host = config.allowed_hosts.is_empty();
    let server = Server::start(config).map_err(|e| e.to_string())?;
    if !verbatim_server::is_loopback(&addr) {
        eprintln!(
            "verbatim: warning: listening on {addr}, not on loopback: the API is reachable from \
             the network, over plain HTTP{}",
            if token {
                " (the ingest token travels unencrypted: put a TLS proxy in front)"
            } else {
                ""
            }
        );
        if any_host {
            // A web page the user visits could then reach it by any name (DNS rebinding).
            eprintln!(
                "verbatim: warning: answering any Host name; name the ones clients use with \
                 --allow-host NAME"
            );
        }
    }
    Ok(server)
}

/// Print what is served where.
fn announce(server: &Server, db: &Path) {
    let url = server.url();
    let s = server.stats();
    say!(
        "verbatim: serving {} ({} documents, {} quotes, {} speakers)",
        db.display(),
        s.documents,
        s.quotes,
        s.speakers
    );
    say!("verbatim: API described at {url}api/openapi.json");
    if server.reads_immutable_bank() {
        say!(
            "verbatim: the bank lies on read-only storage and is read as it is now; restart \
             the server after it changes"
        );
    }
    if server.ingest_enabled() {
        say!(
            "verbatim: ingest enabled: POST {url}api/documents with Authorization: Bearer <token>"
        );
    } else {
        say!(
            "verbatim: ingest disabled (read-only); to enable POST /api/documents, start with \
             {TOKEN_ENV} or --token-file"
        );
    }
    say!("verbatim: press Ctrl-C to stop");
    say!("{url}");
}

/// Ingest the bundled example article and transcript into `db` (created if missing).
pub fn ingest_demo(db: &Path) -> Result<IngestReport, String> {
    let mut bank = Bank::open(db).map_err(|e| e.to_string())?;
    let title = DEMO_ARTICLE.lines().next().unwrap_or("").trim().to_string();
    let article = NewDocument {
        title: Some(title.clone()),
        outlet: Some("BBC".into()),
        date: Some("2012-03-26".into()),
        ..NewDocument::new("obama-medvedev-open-mic", DEMO_ARTICLE)
    };
    let opts = IngestOptions::default();
    let mut report = bank
        .ingest_documents(vec![article], &opts, None)
        .map_err(|e| e.to_string())?;
    // Ingested as a transcript (its turns are its remarks, speaker labels say who spoke), so
    // the bank verifies the article's quotes against it. Verification does not depend on the
    // order: a transcript's ingest re-verifies the articles related to it.
    let heading = verbatim::transcript::parse(DEMO_TRANSCRIPT, None)
        .map_err(|e| format!("examples/obama-medvedev-transcript.txt: {e}"))?
        .header
        .into_iter()
        .find(|(k, _)| k == "title")
        .map_or(title, |(_, v)| v);
    let doc = NewDocument {
        title: Some(format!("{heading} (transcript)")),
        outlet: Some("transcript".into()),
        date: Some("2012-03-26".into()),
        ..NewDocument::transcript("obama-medvedev-transcript", DEMO_TRANSCRIPT)
    };
    let second = bank
        .ingest_documents(vec![doc], &opts, None)
        .map_err(|e| e.to_string())?;
    report.seen += second.seen;
    report.inserted += second.inserted;
    report.replaced += second.replaced;
    report.unchanged += second.unchanged;
    report.reextracted += second.reextracted;
    report.quotes_removed += second.quotes_removed;
    report.rejected.extend(second.rejected);
    report.quotes_added += second.quotes_added;
    report.warnings.extend(second.warnings);
    report.verifications += second.verifications;
    bank.optimize_if_due().map_err(|e| e.to_string())?;
    Ok(report)
}

/// Where the demo keeps its bank: `$XDG_CACHE_HOME/verbatim`, else `$HOME/.cache/verbatim`
/// (a relative `XDG_CACHE_HOME` is ignored, as the XDG spec says); with neither, a new folder
/// of this process's own in the temporary folder (made here, so never one prepared by
/// another user).
fn demo_dir() -> Result<PathBuf, String> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    let base = std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| {
            std::env::var_os("HOME")
                .and_then(absolute)
                .map(|h| h.join(".cache"))
        });
    if let Some(base) = base {
        let dir = base.join("verbatim");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        return Ok(dir);
    }
    let dir = std::env::temp_dir().join(format!("verbatim-demo-{}", std::process::id()));
    std::fs::create_dir(&dir).map_err(|e| {
        format!(
            "{}: {e} (no cache folder: set HOME or give the bank with --db PATH)",
            dir.display()
        )
    })?;
    Ok(dir)
}

/// `verbatim demo`: ingest the bundled example into a bank (`demo.db` in the user's cache
/// folder, see [`demo_dir`], which later demos reuse, unless `db` is given) and serve it, on `addr` or
/// else 127.0.0.1:8080 (any free port when that one is taken).
pub fn demo(db: Option<PathBuf>, addr: Option<SocketAddr>) -> Result<(), String> {
    let db = match db {
        Some(db) => db,
        None => {
            // One folder of the user's own, reused (the ingest of the same files is a no-op),
            // so that demos leave nothing behind each time; never a shared folder such as
            // /tmp, where another user could have prepared it.
            demo_dir()?.join("demo.db")
        }
    };
    let report = ingest_demo(&db)?;
    let config = |addr: SocketAddr| Config {
        addr,
        token: None,
        ..Config::new(&db)
    };
    let server = match addr {
        Some(a) => start(config(a))?,
        None => {
            let default: SocketAddr = verbatim_server::DEFAULT_ADDR.parse().expect("an address");
            match Server::start(config(default)) {
                Ok(s) => s,
                Err(verbatim_server::Error::Bind { source, .. })
                    if source.kind() == ErrorKind::AddrInUse =>
                {
                    say!("verbatim: {default} is in use; taking a free port instead");
                    start(config(SocketAddr::from(([127, 0, 0, 1], 0))))?
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    };
    say!(
        "verbatim: ingested the bundled example into {}: the BBC article \
         examples/obama-medvedev-open-mic.txt (2012-03-26) and the transcript \
         examples/obama-medvedev-transcript.txt ({} new, {} unchanged{}{}); {} remarks appear \
         in both; {} article quotes verified against the transcript",
        db.display(),
        report.inserted,
        report.unchanged,
        match report.replaced {
            0 => String::new(),
            n => format!(", {n} replaced"),
        },
        match report.reextracted {
            0 => String::new(),
            n => format!("; {n} stored by an older build extracted again"),
        },
        server.stats().multi_outlet_clusters,
        report.verifications
    );
    let url = server.url();
    say!("verbatim: try {url}#/document/obama-medvedev-open-mic or `curl '{url}api/quotes?q=flexibility'`");
    say!(
        "verbatim: serve this bank again with `verbatim serve --db {}`",
        db.display()
    );
    announce(&server, &db);
    server.wait();
    Ok(())
}
