//! A small HTTP/1.1 server on `std::net`, with `httparse` parsing request heads.
//!
//! Threads: one accepts connections; each connection gets a thread that reads its requests
//! (keep-alive, pipelining, `Content-Length` and chunked bodies, `Expect: 100-continue`) and
//! writes the responses; a fixed pool of workers does the work. A connection thread asks
//! [`Api::admit`] about each request head *before* reading the body, so a request can be refused
//! (404, 405, 401, 415, 413 …) without reading it, and a body is never read past its route's
//! limit. Only complete requests reach the workers: a slow or idle client holds its own
//! connection thread, never a worker (and so never a database connection).
//!
//! Bounds: request heads 16 KiB and 100 headers (431); a head must arrive within [`HEAD_TIME`]
//! of its first byte and its body within [`REQUEST_TIME`] of the head, never stalling for
//! [`STALL_TIME`] (408), so a client trickling a head holds a connection seconds, not a
//! minute (a body may take longer: a large upload on a slow line is legitimate); an idle
//! keep-alive connection is closed after [`IDLE_TIME`]; at most `max_connections` at once
//! (503 to the next one); at most [`QUEUE`] requests waiting for a worker (503).
//!
//! Why not tiny_http: tiny_http 0.12, when a request whose body was not read to the end is
//! dropped, allocates a buffer of the body's *declared* remaining length to drain it. A 120-byte
//! request declaring `Content-Length: 100000000000000` therefore aborts the whole process
//! ("memory allocation of 100000000000000 bytes failed"), measured; and the drain runs on the
//! thread that answered, so a slow client holds a worker while it uploads.

use crate::api::{Admission, Api, Call, Worker};
use std::borrow::Cow;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Longest request head (request line and headers).
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Most headers in a request.
const MAX_HEADERS: usize = 100;
/// A request's body must be complete this long after its head.
pub(crate) const REQUEST_TIME: Duration = Duration::from_secs(60);
/// A request head must be complete this long after its first byte: heads are small, and a
/// client sends one in a packet or two; slower ones are holding connections open.
pub(crate) const HEAD_TIME: Duration = Duration::from_secs(10);
/// A request that sends nothing for this long is dropped (408).
pub(crate) const STALL_TIME: Duration = Duration::from_secs(10);
/// A keep-alive connection with no request for this long is closed.
pub(crate) const IDLE_TIME: Duration = Duration::from_secs(30);
/// Requests waiting for a free worker, at most.
pub(crate) const QUEUE: usize = 1024;
/// How often blocked reads wake up to check for shutdown.
const TICK: Duration = Duration::from_millis(250);

/// A request head.
pub(crate) struct Head {
    /// `GET`, `POST`, … as sent.
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    /// Headers in order, names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The first header of that (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every header of that (lower-case) name, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path, before any `?`.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    /// The query string, after `?` ("" when none).
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// A response.
#[derive(Debug)]
pub(crate) struct Response {
    /// Status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// `Cache-Control`.
    pub cache: &'static str,
    /// Other headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body (not sent for HEAD).
    pub body: Cow<'static, [u8]>,
    /// Close the connection after this response.
    pub close: bool,
}

/// The headers every response carries.
pub(crate) const SECURITY_HEADERS: [(&str, &str); 3] = [
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
];

/// JSON responses' content type.
pub(crate) const JSON: &str = "application/json; charset=utf-8";

impl Response {
    /// A JSON response (not cached).
    pub fn json(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type: JSON,
            cache: "no-store",
            headers: Vec::new(),
            body: Cow::Owned(body),
            close: false,
        }
    }

    /// `{"error": message}` with this status.
    pub fn error(status: u16, message: impl AsRef<str>) -> Response {
        let body = serde_json::to_vec(&serde_json::json!({ "error": message.as_ref() }))
            .unwrap_or_else(|_| b"{\"error\":\"internal error\"}".to_vec());
        Response::json(status, body)
    }

    /// Add a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    fn closing(mut self) -> Response {
        self.close = true;
        self
    }
}

/// The reason phrase of a status code.
fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// A complete request, handed to a worker with the channel for its response.
pub(crate) struct Job {
    pub call: Call,
    pub head: Head,
    pub body: Vec<u8>,
    pub reply: SyncSender<Response>,
}

/// Which `Host` values the server answers (see [`crate::Config::allowed_hosts`]): a web page
/// on another site must not reach a local server by pointing its own name at 127.0.0.1 (DNS
/// rebinding); its requests then carry that name as their Host.
pub(crate) struct HostPolicy {
    /// Answer any host (not on loopback, and no names given).
    any: bool,
    /// The names given, normalised as [`host_name`] normalises a Host.
    allowed: Vec<String>,
}

impl HostPolicy {
    pub fn new(loopback: bool, allowed: &[String]) -> HostPolicy {
        HostPolicy {
            any: !loopback && allowed.is_empty(),
            allowed: allowed.iter().map(|h| host_name(h)).collect(),
        }
    }

    /// `None` when a request with this Host may be answered, else the refusal.
    fn check(&self, host: Option<&str>) -> Option<Response> {
        // HTTP/1.0 without Host: not a browser (which always sends one), so no rebinding.
        let host = host?;
        let name = host_name(host);
        if self.any || is_loopback_name(&name) || self.allowed.contains(&name) {
            return None;
        }
        let also = if self.allowed.is_empty() {
            String::new()
        } else {
            format!(" and {}", self.allowed.join(", "))
        };
        Some(Response::error(
            421,
            format!(
                "this server answers requests for localhost, 127.0.0.1 and [::1]{also}, not for \
                 {host:?}: another web site could otherwise read it through a browser (DNS \
                 rebinding). Use http://localhost:PORT/, or, behind a reverse proxy that sends \
                 this name, start the server with --allow-host {name}"
            ),
        ))
    }
}

/// A Host value (or an --allow-host name) as compared: lower case, without the port and a
/// final dot. IPv6 literals keep their brackets (`[::1]`).
fn host_name(host: &str) -> String {
    let h = host.trim().to_ascii_lowercase();
    let name = if h.starts_with('[') {
        // "[::1]" or "[::1]:8080"; anything else after the bracket is no loopback name.
        match h.find(']') {
            Some(end)
                if h[end + 1..].is_empty()
                    || h[end + 1..].strip_prefix(':').is_some_and(|p| {
                        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
                    }) =>
            {
                &h[..=end]
            }
            _ => &h[..],
        }
    } else {
        match h.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => &h[..],
        }
    };
    name.strip_suffix('.').unwrap_or(name).to_string()
}

/// True for the names that always mean this machine: `localhost` (and `*.localhost`, which
/// browsers resolve to loopback themselves), 127.0.0.0/8 and `[::1]`.
fn is_loopback_name(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What the accept and connection threads share.
struct Shared {
    api: Arc<Api>,
    hosts: HostPolicy,
    jobs: SyncSender<Job>,
    stop: Arc<AtomicBool>,
    connections: AtomicUsize,
    max_connections: usize,
}

/// The running threads.
pub(crate) struct Running {
    pub local_addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    workers: Vec<JoinHandle<()>>,
}

/// Start accepting on `listener`, with one worker per element of `workers`.
pub(crate) fn start(
    listener: TcpListener,
    api: Arc<Api>,
    workers: Vec<Worker>,
    max_connections: usize,
    hosts: HostPolicy,
) -> io::Result<Running> {
    let local_addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUE);
    let queue = Arc::new(Mutex::new(queue));
    let mut handles = Vec::new();
    for (i, worker) in workers.into_iter().enumerate() {
        let queue = Arc::clone(&queue);
        let api = Arc::clone(&api);
        handles.push(
            thread::Builder::new()
                .name(format!("verbatim-worker-{i}"))
                .spawn(move || work(&api, worker, &queue))?,
        );
    }
    let shared = Arc::new(Shared {
        api,
        hosts,
        jobs,
        stop: Arc::clone(&stop),
        connections: AtomicUsize::new(0),
        max_connections: max_connections.max(1),
    });
    let acceptor = thread::Builder::new()
        .name("verbatim-accept".into())
        .spawn(move || accept(listener, shared))?;
    Ok(Running {
        local_addr,
        stop,
        acceptor: Some(acceptor),
        workers: handles,
    })
}

impl Running {
    /// Stop accepting, let requests in progress finish, close connections, join the workers.
    pub fn stop(&mut self) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the accept thread with a connection of our own.
        let mut wake = self.local_addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake {
                SocketAddr::V4(_) => [127, 0, 0, 1].into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
        // Workers end when the last connection thread has dropped its end of the queue.
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Running {
    /// Block until the accept thread ends (after [`Running::stop`] from another thread), then
    /// finish stopping.
    pub fn wait(&mut self) {
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
        self.stop();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A worker: take jobs until the queue closes.
fn work(api: &Api, mut worker: Worker, queue: &Mutex<Receiver<Job>>) {
    loop {
        let job = {
            let rx = queue.lock().unwrap_or_else(|e| e.into_inner());
            rx.recv()
        };
        let Ok(job) = job else { return };
        let response = api.run(&mut worker, job.call, &job.head, job.body);
        let _ = job.reply.send(response);
    }
}

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                if !matches!(
                    e.kind(),
                    ErrorKind::ConnectionAborted
                        | ErrorKind::ConnectionReset
                        | ErrorKind::Interrupted
                ) {
                    eprintln!("verbatim-server: accept failed: {e}");
                    thread::sleep(Duration::from_millis(50));
                }
                continue;
            }
        };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= shared.max_connections {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            refuse(stream);
            continue;
        }
        let shared2 = Arc::clone(&shared);
        let spawned = thread::Builder::new()
            .name("verbatim-conn".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                let _count = CountGuard(&shared2.connections);
                Connection::new(stream, &shared2).serve();
            });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Too many connections: say so and close.
fn refuse(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let r = Response::error(
        503,
        "too many open connections; retry shortly (or close idle keep-alive connections)",
    )
    .with_header("Retry-After", "1")
    .closing();
    let _ = stream.write_all(&serialize(&r, false));
    let _ = stream.shutdown(Shutdown::Write);
}

struct CountGuard<'a>(&'a AtomicUsize);

impl Drop for CountGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why reading a request failed.
enum ReadError {
    /// The client closed the connection (or we are shutting down) between requests.
    Closed,
    /// Respond with this, then close.
    Respond(Response),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> ReadError {
        ReadError::Closed
    }
}

struct Connection<'a> {
    stream: TcpStream,
    shared: &'a Shared,
    /// Bytes read and not consumed yet: `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
}

impl<'a> Connection<'a> {
    fn new(stream: TcpStream, shared: &'a Shared) -> Connection<'a> {
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(TICK));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
        Connection {
            stream,
            shared,
            buf: Vec::with_capacity(8192),
            start: 0,
        }
    }

    fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }

    /// Read more bytes into the buffer. `Ok(0)` at end of stream. Gives up with 408 when
    /// nothing arrives for [`STALL_TIME`] or past `deadline`, and with [`ReadError::Closed`]
    /// on shutdown.
    fn fill(&mut self, deadline: Instant, idle: bool) -> Result<usize, ReadError> {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let stalled = Instant::now() + STALL_TIME;
        let mut chunk = [0u8; 8192];
        loop {
            if idle && self.shared.stop.load(Ordering::SeqCst) {
                return Err(ReadError::Closed);
            }
            match self.stream.read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    let now = Instant::now();
                    if idle {
                        if now >= deadline {
                            return Err(ReadError::Closed);
                        }
                    } else if now >= stalled || now >= deadline {
                        return Err(ReadError::Respond(Response::error(
                            408,
                            "the request took too long to arrive; send it again",
                        )));
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn serve(mut self) {
        loop {
            if self.shared.stop.load(Ordering::SeqCst) {
                return;
            }
            match self.next_request() {
                Ok(None) => {}
                Ok(Some((head, call, body))) => {
                    let head_only = head.method == "HEAD";
                    let keep = keep_alive(&head);
                    let mut response = self.dispatch(call, head, body);
                    response.close |= !keep || self.shared.stop.load(Ordering::SeqCst);
                    if self.write(&response, head_only).is_err() || response.close {
                        return self.linger();
                    }
                }
                Err(ReadError::Closed) => return,
                Err(ReadError::Respond(r)) => {
                    let _ = self.write(&r.closing(), false);
                    return self.linger();
                }
            }
        }
    }

    /// Read one request: head, admission, body. `None` when admission answered it already.
    fn next_request(&mut self) -> Result<Option<(Head, Call, Vec<u8>)>, ReadError> {
        let head = self.read_head()?;
        let deadline = Instant::now() + REQUEST_TIME;
        if head.minor_version > 1 {
            return Err(ReadError::Respond(Response::error(505, "use HTTP/1.1")));
        }
        if head.minor_version == 1 && head.all("host").len() != 1 {
            // RFC 9112 §3.2: a server must refuse an HTTP/1.1 request without exactly one.
            return Err(ReadError::Respond(Response::error(
                400,
                "an HTTP/1.1 request needs one Host header",
            )));
        }
        if let Some(refusal) = self.shared.hosts.check(head.header("host")) {
            return Err(ReadError::Respond(refusal));
        }
        let framing = framing(&head)?;
        let (call, limit) = match self.shared.api.admit(&head) {
            Admission::Respond(r) => {
                // Answer without reading the body; the connection can go on only when there is
                // no body to skip.
                if framing == Framing::None {
                    let head_only = head.method == "HEAD";
                    let r = Response {
                        close: r.close || !keep_alive(&head),
                        ..r
                    };
                    self.write(&r, head_only)?;
                    if r.close {
                        return Err(ReadError::Closed);
                    }
                    return Ok(None);
                }
                return Err(ReadError::Respond(r));
            }
            Admission::Work { call, body_limit } => (call, body_limit),
        };
        let too_large = || {
            ReadError::Respond(Response::error(
                413,
                format!(
                    "the body is larger than this endpoint's limit of {limit} bytes ({:.0} MiB); \
                     send less per request: fewer documents per POST /api/documents, a shorter \
                     text per POST /api/extract",
                    limit as f64 / f64::from(1 << 20)
                ),
            ))
        };
        if let Framing::Length(n) = framing {
            if n > limit {
                return Err(too_large());
            }
        }
        if framing != Framing::None {
            match head.header("expect") {
                Some(v) if !v.eq_ignore_ascii_case("100-continue") => {
                    return Err(ReadError::Respond(Response::error(
                        417,
                        "the only Expect value understood is 100-continue",
                    )))
                }
                // The client waits for this before sending the body (unless it sent it already).
                Some(_) if self.pending().is_empty() => {
                    self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
                }
                _ => {}
            }
        }
        let body = match framing {
            Framing::None => Vec::new(),
            Framing::Length(n) => self.read_exact(n, deadline)?,
            Framing::Chunked => self.read_chunked(limit, deadline).map_err(|e| match e {
                ChunkError::TooLarge => too_large(),
                ChunkError::Read(e) => e,
            })?,
        };
        Ok(Some((head, call, body)))
    }

    fn read_head(&mut self) -> Result<Head, ReadError> {
        let mut deadline = Instant::now() + IDLE_TIME;
        let mut started = false;
        loop {
            // Blank lines before a request are allowed (RFC 9112 §2.2).
            let blank = self
                .pending()
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            self.consume(blank);
            if !self.pending().is_empty() {
                let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
                let mut req = httparse::Request::new(&mut headers);
                match req.parse(self.pending()) {
                    // A head read whole in one go may still be over the limit.
                    Ok(httparse::Status::Complete(n)) if n > MAX_HEAD => {
                        return Err(ReadError::Respond(head_too_large()))
                    }
                    Ok(httparse::Status::Complete(n)) => {
                        let head = Head {
                            method: req.method.unwrap_or("").to_string(),
                            target: origin_form(req.path.unwrap_or("")).into_owned(),
                            minor_version: req.version.unwrap_or(1),
                            headers: req
                                .headers
                                .iter()
                                .map(|h| {
                                    (
                                        h.name.to_ascii_lowercase(),
                                        String::from_utf8_lossy(h.value).trim().to_string(),
                                    )
                                })
                                .collect(),
                        };
                        self.consume(n);
                        return Ok(head);
                    }
                    Ok(httparse::Status::Partial) if self.pending().len() <= MAX_HEAD => {}
                    Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                        return Err(ReadError::Respond(head_too_large()))
                    }
                    Err(e) => {
                        return Err(ReadError::Respond(Response::error(
                            400,
                            format!("malformed HTTP request ({e})"),
                        )))
                    }
                }
            }
            let idle = self.pending().is_empty();
            if !idle && !started {
                started = true;
                deadline = Instant::now() + HEAD_TIME;
            }
            if self.fill(deadline, idle)? == 0 {
                return Err(ReadError::Closed);
            }
        }
    }

    fn read_exact(&mut self, n: usize, deadline: Instant) -> Result<Vec<u8>, ReadError> {
        while self.pending().len() < n {
            if self.fill(deadline, false)? == 0 {
                return Err(ReadError::Closed);
            }
        }
        let body = self.pending()[..n].to_vec();
        self.consume(n);
        Ok(body)
    }

    fn read_line(&mut self, deadline: Instant) -> Result<String, ChunkError> {
        loop {
            if let Some(i) = self.pending().iter().position(|&b| b == b'\n') {
                let line = String::from_utf8_lossy(&self.pending()[..i])
                    .trim_end_matches('\r')
                    .to_string();
                self.consume(i + 1);
                return Ok(line);
            }
            if self.pending().len() > 4096 {
                return Err(ChunkError::Read(bad_chunk()));
            }
            if self.fill(deadline, false)? == 0 {
                return Err(ChunkError::Read(ReadError::Closed));
            }
        }
    }

    /// A chunked body, at most `limit` bytes once decoded.
    fn read_chunked(&mut self, limit: usize, deadline: Instant) -> Result<Vec<u8>, ChunkError> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line(deadline)?;
            let size = line
                .split(';')
                .next()
                .unwrap_or("")
                .trim_end_matches([' ', '\t']);
            // Hex digits only: `from_str_radix` would also take a sign.
            if size.is_empty() || size.len() > 15 || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ChunkError::Read(bad_chunk()));
            }
            let size = usize::from_str_radix(size, 16).map_err(|_| bad_chunk())?;
            if size == 0 {
                // Trailer fields, up to the blank line.
                while !self.read_line(deadline)?.is_empty() {}
                return Ok(body);
            }
            if size > limit - body.len() {
                return Err(ChunkError::TooLarge);
            }
            body.extend(self.read_exact(size, deadline)?);
            if !self.read_line(deadline)?.is_empty() {
                return Err(ChunkError::Read(bad_chunk()));
            }
        }
    }

    fn dispatch(&self, call: Call, head: Head, body: Vec<u8>) -> Response {
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Job {
            call,
            head,
            body,
            reply,
        };
        match self.shared.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Response::error(503, "the server is busy; retry shortly")
                    .with_header("Retry-After", "1")
            }
            Err(TrySendError::Disconnected(_)) => {
                return Response::error(503, "the server is shutting down").closing()
            }
        }
        answer.recv().unwrap_or_else(|_| {
            Response::error(
                500,
                "the worker handling this request stopped; this is a bug",
            )
        })
    }

    fn write(&mut self, r: &Response, head_only: bool) -> io::Result<()> {
        let bytes = serialize(r, head_only);
        self.stream.write_all(&bytes)?;
        self.stream.flush()
    }

    /// Close after a response while the client may still be sending (a refused body): stop
    /// writing, then read and drop what arrives for a moment, so that the client reads the
    /// response rather than a connection reset.
    fn linger(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let until = Instant::now() + Duration::from_secs(2);
        let mut sink = [0u8; 8192];
        let mut total = 0usize;
        while Instant::now() < until && total < 64 << 20 {
            match self.stream.read(&mut sink) {
                Ok(0) => break,
                Ok(n) => total += n,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => break,
            }
        }
    }
}

enum ChunkError {
    TooLarge,
    Read(ReadError),
}

impl From<ReadError> for ChunkError {
    fn from(e: ReadError) -> ChunkError {
        ChunkError::Read(e)
    }
}

fn head_too_large() -> Response {
    Response::error(
        431,
        format!(
            "the request head is too large: at most {MAX_HEAD} bytes and {MAX_HEADERS} headers"
        ),
    )
}

/// The path and query of a request target: an absolute-form target
/// (`http://host/path?q`, RFC 9112 §3.2.2, which servers must accept) without its scheme and
/// authority.
fn origin_form(target: &str) -> Cow<'_, str> {
    let lower = |p: &str| {
        target
            .get(..p.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(p))
    };
    for scheme in ["http://", "https://"] {
        if lower(scheme) {
            let rest = &target[scheme.len()..];
            return match rest.find(['/', '?']) {
                Some(i) if rest[i..].starts_with('/') => Cow::Borrowed(&rest[i..]),
                // `http://host?q`: the path is "/", and the query stays.
                Some(i) => Cow::Owned(format!("/{}", &rest[i..])),
                None => Cow::Borrowed("/"),
            };
        }
    }
    Cow::Borrowed(target)
}

fn bad_chunk() -> ReadError {
    ReadError::Respond(Response::error(400, "malformed chunked request body"))
}

/// How a request's body is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    None,
    Length(usize),
    Chunked,
}

fn framing(head: &Head) -> Result<Framing, ReadError> {
    let bad = |msg: &str| ReadError::Respond(Response::error(400, msg));
    let lengths = head.all("content-length");
    let codings = head.all("transfer-encoding");
    // One header with the one coding: a proxy that reads several (or a list) another way
    // would frame the body differently (request smuggling).
    let chunked = match codings.as_slice() {
        [] => false,
        [te] if te.eq_ignore_ascii_case("chunked") => true,
        [_] => {
            return Err(ReadError::Respond(Response::error(
                501,
                "the only Transfer-Encoding understood is chunked",
            )))
        }
        _ => return Err(bad("send one Transfer-Encoding header")),
    };
    if chunked && head.minor_version == 0 {
        return Err(bad("Transfer-Encoding needs HTTP/1.1; send Content-Length"));
    }
    if chunked {
        if !lengths.is_empty() {
            return Err(bad(
                "send either Content-Length or Transfer-Encoding: chunked, not both",
            ));
        }
        return Ok(Framing::Chunked);
    }
    match lengths.as_slice() {
        [] => Ok(Framing::None),
        [one] if !one.is_empty() && one.bytes().all(|b| b.is_ascii_digit()) => {
            // A number too large for usize is over every limit.
            match one.parse::<usize>().unwrap_or(usize::MAX) {
                0 => Ok(Framing::None),
                n => Ok(Framing::Length(n)),
            }
        }
        [_] => Err(bad("Content-Length must be a whole number of bytes")),
        _ => Err(bad("send one Content-Length header")),
    }
}

fn keep_alive(head: &Head) -> bool {
    let connection = head.header("connection").unwrap_or("").to_ascii_lowercase();
    let has = |token: &str| connection.split(',').any(|t| t.trim() == token);
    // HTTP/1.0 keep-alive would need a "Connection: keep-alive" answer: close instead.
    head.minor_version >= 1 && !has("close")
}

/// The bytes of a response: status line, headers, body.
fn serialize(r: &Response, head_only: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(512 + if head_only { 0 } else { r.body.len() });
    out.extend_from_slice(format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status)).as_bytes());
    let mut header = |name: &str, value: &str| {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    };
    header("Content-Type", r.content_type);
    header("Content-Length", &r.body.len().to_string());
    header("Cache-Control", r.cache);
    for (name, value) in SECURITY_HEADERS {
        header(name, value);
    }
    for (name, value) in &r.headers {
        header(name, value);
    }
    if r.close {
        header("Connection", "close");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&r.body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(headers: &[(&str, &str)], minor: u8) -> Head {
        Head {
            method: "POST".into(),
            target: "/api/extract?id=a".into(),
            minor_version: minor,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn hosts_are_compared_without_port_and_case() {
        assert_eq!(host_name("LocalHost:8080"), "localhost");
        assert_eq!(host_name("[::1]:8080"), "[::1]");
        assert_eq!(host_name("Quotes.Example.:443"), "quotes.example");
        let local = HostPolicy::new(true, &[]);
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "127.1.2.3",
            "[::1]:80",
            "app.localhost",
        ] {
            assert!(local.check(Some(ok)).is_none(), "{ok}");
        }
        assert!(local.check(None).is_none(), "HTTP/1.0 without Host");
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "0.0.0.0",
            "[::1]evil",
            "[::1].evil.example",
            "[::1]:",
        ] {
            let r = local.check(Some(bad)).expect(bad);
            assert_eq!(r.status, 421);
        }
        let proxied = HostPolicy::new(true, &["Quotes.Example:443".into()]);
        assert!(proxied.check(Some("quotes.example")).is_none());
        assert!(proxied.check(Some("other.example")).is_some());
        // Not on loopback: any host, unless names are given.
        assert!(HostPolicy::new(false, &[])
            .check(Some("evil.example"))
            .is_none());
        let named = HostPolicy::new(false, &["quotes.example".into()]);
        assert!(named.check(Some("evil.example")).is_some());
        assert!(named.check(Some("localhost")).is_none());
    }

    #[test]
    fn framing_and_keep_alive() {
        assert_eq!(framing(&head(&[], 1)).ok(), Some(Framing::None));
        assert_eq!(
            framing(&head(&[("content-length", "12")], 1)).ok(),
            Some(Framing::Length(12))
        );
        assert_eq!(
            framing(&head(&[("content-length", "99999999999999999999999")], 1)).ok(),
            Some(Framing::Length(usize::MAX))
        );
        assert!(framing(&head(&[("content-length", "-1")], 1)).is_err());
        assert!(framing(&head(&[("content-length", "+5")], 1)).is_err());
        assert_eq!(
            framing(&head(&[("transfer-encoding", "chunked")], 1)).ok(),
            Some(Framing::Chunked)
        );
        assert!(framing(&head(
            &[("transfer-encoding", "chunked"), ("content-length", "3")],
            1
        ))
        .is_err());
        assert!(framing(&head(
            &[("content-length", "3"), ("content-length", "4")],
            1
        ))
        .is_err());
        // One Transfer-Encoding header, over HTTP/1.1 only.
        assert!(framing(&head(
            &[
                ("transfer-encoding", "chunked"),
                ("transfer-encoding", "identity")
            ],
            1
        ))
        .is_err());
        assert!(framing(&head(&[("transfer-encoding", "chunked")], 0)).is_err());
        assert!(framing(&head(&[("transfer-encoding", "chunked, identity")], 1)).is_err());
        assert!(keep_alive(&head(&[], 1)));
        assert!(!keep_alive(&head(&[("connection", "Close")], 1)));
        assert!(!keep_alive(&head(&[], 0)));
        let h = head(&[], 1);
        assert_eq!((h.path(), h.query()), ("/api/extract", "id=a"));
    }

    #[test]
    fn absolute_targets_keep_their_path_and_query() {
        assert_eq!(origin_form("/api/stats?x=1"), "/api/stats?x=1");
        assert_eq!(origin_form("http://h:8080/api/stats?x=1"), "/api/stats?x=1");
        assert_eq!(origin_form("HTTPS://h/a"), "/a");
        assert_eq!(origin_form("http://h"), "/");
        assert_eq!(origin_form("http://h?q=/x"), "/?q=/x");
        assert_eq!(origin_form("*"), "*");
    }

    #[test]
    fn responses_carry_the_security_headers() {
        let bytes = serialize(&Response::error(404, "no such thing").closing(), false);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("\r\nX-Content-Type-Options: nosniff\r\n"));
        assert!(text.contains("\r\nContent-Security-Policy: default-src 'none';"));
        assert!(text.contains("\r\nConnection: close\r\n"));
        assert!(text.ends_with("\r\n\r\n{\"error\":\"no such thing\"}"));
    }
}
