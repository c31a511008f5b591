//! The parallel pipeline: documents in, rendered output out, in input order.
//!
//! * [`ordered_map`] is the general part: a reader thread pulls items from an iterator, `jobs`
//!   workers map them, and the calling thread consumes the results in input order. At most
//!   [`WINDOW_PER_JOB`] × `jobs` items are in flight (read but not yet consumed), so memory
//!   stays bounded however long the input and however slow one item. A panic in the map
//!   function is caught and handed to the consumer with its item.
//! * [`extract`] is the `extract` command on top of it: engine, checks, rendering (in the
//!   workers), then writing, skip reports, the progress line and the summary (in order).

use crate::input::{Item, Skip};
use crate::output::{self, Format};
use crate::progress::Progress;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::ops::ControlFlow;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Mutex, Once};
use std::thread;
use verbatim::{Extractor, Quote};

/// Items in flight per worker: enough to keep every worker busy while the consumer waits for
/// a slow item, few enough that big documents do not pile up.
pub const WINDOW_PER_JOB: usize = 4;

/// Stack size of a worker thread: as much as the main thread's, for the engine's sake.
const WORKER_STACK: usize = 8 << 20;

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static PANIC_MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Run `f`, turning a panic into `Err(message)` ("… at file:line"). While `f` runs, the panic
/// is not printed by the panic hook (other threads' panics still are).
pub fn catch_panic<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let location = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let message = format!("{}{location}", payload_text(info.payload()));
                PANIC_MESSAGE.with(|m| *m.borrow_mut() = Some(message));
            } else {
                previous(info);
            }
        }));
    });
    let was = CAPTURING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(was));
    result.map_err(|payload| {
        PANIC_MESSAGE
            .with(|m| m.borrow_mut().take())
            .unwrap_or_else(|| payload_text(&*payload).to_string())
    })
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "panic"
    }
}

/// An item whose map function panicked, and the panic message.
#[derive(Debug)]
pub struct Panicked<T> {
    /// The item.
    pub item: T,
    /// What the panic said, and where.
    pub message: String,
}

/// Map `items` with `f` on `jobs` worker threads and hand the results to `sink` in input order,
/// on the calling thread. `sink` returns [`ControlFlow::Break`] to stop early (the items in
/// flight are finished and dropped, no more are read). A panic in `f` reaches `sink` as
/// `Err(Panicked)`. Errors only when no thread can be started.
pub fn ordered_map<T, U, I, F, S>(items: I, jobs: NonZeroUsize, f: F, mut sink: S) -> io::Result<()>
where
    T: Send,
    U: Send,
    I: Iterator<Item = T> + Send,
    F: Fn(&T) -> U + Sync,
    S: FnMut(Result<U, Panicked<T>>) -> ControlFlow<()>,
{
    let window = WINDOW_PER_JOB * jobs.get();
    // A token per item in flight: the reader takes one before reading an item, the consumer
    // gives it back when the item is consumed.
    let (token_tx, token_rx) = mpsc::sync_channel::<()>(window);
    for _ in 0..window {
        token_tx
            .send(())
            .expect("the channel has room for the window");
    }
    // Never full: there are no more items in flight than tokens.
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, T)>(window);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Result<U, Panicked<T>>)>();
    thread::scope(|scope| {
        let reader = thread::Builder::new()
            .name("verbatim-reader".into())
            .spawn_scoped(scope, move || {
                let mut items = items;
                for seq in 0.. {
                    if token_rx.recv().is_err() {
                        break;
                    }
                    let Some(item) = items.next() else { break };
                    if job_tx.send((seq, item)).is_err() {
                        break;
                    }
                }
            });
        let mut workers = 0;
        if reader.is_ok() {
            for k in 0..jobs.get() {
                let (job_rx, f, done_tx) = (&job_rx, &f, done_tx.clone());
                let spawned = thread::Builder::new()
                    .name(format!("verbatim-worker-{k}"))
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, move || loop {
                        let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((seq, item)) = job else { break };
                        let result =
                            catch_panic(|| f(&item)).map_err(|message| Panicked { item, message });
                        if done_tx.send((seq, result)).is_err() {
                            break;
                        }
                    });
                workers += usize::from(spawned.is_ok());
            }
        }
        drop(done_tx);
        if workers == 0 {
            drop(token_tx); // lets the reader, if any, stop
            return Err(reader
                .err()
                .unwrap_or_else(|| io::Error::other("cannot start a worker thread")));
        }
        let mut pending = BTreeMap::new();
        let mut next = 0usize;
        'consume: for (seq, result) in done_rx {
            pending.insert(seq, result);
            while let Some(result) = pending.remove(&next) {
                next += 1;
                if sink(result).is_break() {
                    break 'consume;
                }
                let _ = token_tx.send(());
            }
        }
        // Dropping the token sender (and the result receiver, above) stops the reader and the
        // workers if the consumer broke off early.
        drop(token_tx);
        Ok(())
    })
}

/// How [`extract`] runs and writes.
#[derive(Clone, Debug)]
pub struct ExtractOptions {
    /// Output format.
    pub format: Format,
    /// Worker threads.
    pub jobs: NonZeroUsize,
    /// Line width of the table format.
    pub table_width: usize,
    /// Draw a progress line on the error stream (when it is a terminal).
    pub progress: bool,
    /// Number of documents, when known, for the progress line.
    pub total: Option<usize>,
    /// The output is a terminal (shared with the progress line): flush it after each document,
    /// and erase the progress line before writing.
    pub output_is_terminal: bool,
}

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents written.
    pub documents: usize,
    /// Quotes written.
    pub quotes: usize,
    /// Documents skipped (reported on the error stream).
    pub skipped: usize,
}

/// Why a run stopped before the end of its input.
#[derive(Debug)]
pub enum Fatal {
    /// The engine cannot run (e.g. its models are missing).
    Engine(String),
    /// Writing the output failed (a closed pipe: [`io::ErrorKind::BrokenPipe`]).
    Output(io::Error),
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fatal::Engine(e) => write!(f, "{e}"),
            Fatal::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

/// The engine with the models compiled in, or why not (missing models are reported by
/// [`Extractor::new`] with a panic; this turns it into an error).
pub fn load_extractor() -> Result<Extractor, String> {
    catch_panic(Extractor::new).map_err(|e| format!("cannot load the models: {e}"))
}

/// A worker's result for one item.
enum Processed {
    Done {
        id: String,
        quotes: usize,
        bytes: Vec<u8>,
    },
    Skipped(Skip),
    Fatal(String),
}

/// Run `engine` on every document of `docs` and write the results to `out` in input order;
/// report skipped documents (and the progress line) on `err`. `engine` returns the quotes of a
/// text, or `Err` when it cannot run at all, which stops the run. Whitespace-only documents have
/// no quotes and do not reach the engine. A panic in the engine, or spans outside the text,
/// skip the document ("internal error").
pub fn extract<I, E>(
    docs: I,
    engine: &E,
    out: &mut dyn Write,
    err: &mut dyn Write,
    opts: &ExtractOptions,
) -> Result<Summary, Fatal>
where
    I: Iterator<Item = Item> + Send,
    E: Fn(&str) -> Result<Vec<Quote>, String> + Sync,
{
    let mut sink = Sink {
        out,
        err,
        format: opts.format,
        output_is_terminal: opts.output_is_terminal,
        progress: Progress::new(opts.progress, opts.total),
        summary: Summary::default(),
        seen: 0,
        held: None,
        headings: 0,
        fatal: None,
    };
    if opts.format == Format::Csv {
        output::write_csv_header(sink.out).map_err(Fatal::Output)?;
    }
    let process = |item: &Item| -> Processed {
        let doc = match item {
            Ok(doc) => doc,
            Err(skip) => return Processed::Skipped(skip.clone()),
        };
        let quotes = if doc.text.trim().is_empty() {
            Vec::new()
        } else {
            match engine(&doc.text) {
                Ok(quotes) => quotes,
                Err(e) => return Processed::Fatal(e),
            }
        };
        if let Err(e) = output::check_spans(&doc.text, &quotes) {
            return Processed::Skipped(Skip {
                origin: doc.origin.clone(),
                reason: format!("internal error: {e}"),
            });
        }
        Processed::Done {
            id: doc.id.clone(),
            quotes: quotes.len(),
            bytes: output::render(opts.format, &doc.id, &doc.text, &quotes, opts.table_width),
        }
    };
    let started = ordered_map(docs, opts.jobs, process, |result| sink.take(result));
    if let Err(e) = started {
        sink.fatal = Some(Fatal::Engine(format!("cannot start threads: {e}")));
    }
    sink.finish()
}

/// The consumer side of [`extract`].
struct Sink<'o> {
    out: &'o mut dyn Write,
    err: &'o mut dyn Write,
    format: Format,
    output_is_terminal: bool,
    progress: Progress,
    summary: Summary,
    /// Items consumed so far.
    seen: usize,
    /// Table format: the first document, held until we know whether there are several
    /// (several get a heading line each).
    held: Option<(String, usize, Vec<u8>)>,
    /// Table headings written.
    headings: usize,
    fatal: Option<Fatal>,
}

impl Sink<'_> {
    fn take(&mut self, result: Result<Processed, Panicked<Item>>) -> ControlFlow<()> {
        let processed = result.unwrap_or_else(|p| {
            let origin = match p.item {
                Ok(doc) => doc.origin,
                Err(skip) => skip.origin,
            };
            Processed::Skipped(Skip {
                origin,
                reason: format!("internal error: {}", p.message),
            })
        });
        self.seen += 1;
        let written = self.release_held(true).and_then(|()| match processed {
            Processed::Done { id, quotes, bytes } => self.document(id, quotes, bytes),
            Processed::Skipped(skip) => {
                self.summary.skipped += 1;
                self.progress.clear(self.err);
                let _ = writeln!(self.err, "verbatim: skipped {skip}");
                Ok(())
            }
            Processed::Fatal(e) => {
                self.fatal = Some(Fatal::Engine(e));
                Ok(())
            }
        });
        if let Err(e) = written {
            self.fatal = Some(Fatal::Output(e));
        }
        if self.fatal.is_some() {
            return ControlFlow::Break(());
        }
        self.progress.tick(self.err);
        ControlFlow::Continue(())
    }

    fn document(&mut self, id: String, quotes: usize, bytes: Vec<u8>) -> io::Result<()> {
        self.summary.documents += 1;
        self.summary.quotes += quotes;
        if self.format != Format::Table {
            return self.write(&bytes);
        }
        if self.seen == 1 {
            self.held = Some((id, quotes, bytes));
            return Ok(());
        }
        self.table_document(&id, quotes, &bytes, true)
    }

    /// Write the held first document, with a heading if `several`.
    fn release_held(&mut self, several: bool) -> io::Result<()> {
        match self.held.take() {
            Some((id, quotes, bytes)) => self.table_document(&id, quotes, &bytes, several),
            None => Ok(()),
        }
    }

    fn table_document(
        &mut self,
        id: &str,
        quotes: usize,
        bytes: &[u8],
        heading: bool,
    ) -> io::Result<()> {
        if heading {
            if self.headings > 0 {
                self.out.write_all(b"\n")?;
            }
            self.headings += 1;
            output::write_table_heading(self.out, id, quotes)?;
        }
        self.write(bytes)
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.output_is_terminal {
            self.progress.clear(self.err);
            self.out.write_all(bytes)?;
            self.out.flush()
        } else {
            self.out.write_all(bytes)
        }
    }

    fn finish(mut self) -> Result<Summary, Fatal> {
        self.progress.clear(self.err);
        if self.fatal.is_none() {
            if let Err(e) = self.release_held(false).and_then(|()| self.out.flush()) {
                self.fatal = Some(Fatal::Output(e));
            }
        }
        match self.fatal {
            Some(fatal) => {
                let _ = self.out.flush();
                Err(fatal)
            }
            None => Ok(self.summary),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Document, JsonlDocuments, Origin};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use verbatim::{Kind, Setting, Span};

    fn jobs(n: usize) -> NonZeroUsize {
        NonZeroUsize::new(n).unwrap()
    }

    #[test]
    fn ordered_map_keeps_order_and_bounds_what_is_in_flight() {
        for n in [1, 2, 5] {
            let read = AtomicUsize::new(0);
            let consumed = AtomicUsize::new(0);
            let max_in_flight = AtomicUsize::new(0);
            let items = (0..300u64).inspect(|_| {
                let r = read.fetch_add(1, Ordering::SeqCst) + 1;
                let c = consumed.load(Ordering::SeqCst);
                max_in_flight.fetch_max(r - c, Ordering::SeqCst);
            });
            let mut got = Vec::new();
            ordered_map(
                items,
                jobs(n),
                |&i| {
                    // Uneven work, so results come back out of order.
                    thread::sleep(Duration::from_micros((i * 7919) % 500));
                    i * 2
                },
                |r| {
                    got.push(r.unwrap());
                    consumed.fetch_add(1, Ordering::SeqCst);
                    ControlFlow::Continue(())
                },
            )
            .unwrap();
            assert_eq!(got, (0..300).map(|i| i * 2).collect::<Vec<_>>());
            assert!(max_in_flight.load(Ordering::SeqCst) <= WINDOW_PER_JOB * n);
        }
    }

    #[test]
    fn ordered_map_hands_panics_over_and_goes_on() {
        let mut got = Vec::new();
        ordered_map(
            0..20,
            jobs(3),
            |&i| {
                if i % 7 == 3 {
                    panic!("bad item {i}");
                }
                i
            },
            |r| {
                got.push(r.map_err(|p| (p.item, p.message)));
                ControlFlow::Continue(())
            },
        )
        .unwrap();
        assert_eq!(got.len(), 20);
        let (item, message) = got[10].as_ref().unwrap_err();
        assert_eq!(*item, 10);
        assert!(message.starts_with("bad item 10 at "), "{message}");
        assert!(message.contains("run.rs:"), "{message}");
        assert_eq!(got[11], Ok(11));
    }

    #[test]
    fn ordered_map_stops_early_without_reading_everything() {
        let read = AtomicUsize::new(0);
        let items = (0..).inspect(|_| {
            read.fetch_add(1, Ordering::SeqCst);
        });
        let mut n = 0;
        ordered_map(
            items,
            jobs(2),
            |&i: &u32| i,
            |_| {
                n += 1;
                if n == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .unwrap();
        assert_eq!(n, 5);
        assert!(read.load(Ordering::SeqCst) <= 5 + WINDOW_PER_JOB * 2);
    }

    /// A stand-in for the engine: every "…" pair is a direct quote, with the word after it as
    /// the cue and the rest of the sentence as source. Panics on "PANIC", refuses "FATAL".
    fn fake_engine(text: &str) -> Result<Vec<Quote>, String> {
        if text.contains("FATAL") {
            return Err("no models".into());
        }
        assert!(!text.contains("PANIC"), "engine bug");
        let mut quotes = Vec::new();
        let mut from = 0;
        while let Some(a) = text[from..].find('"').map(|i| i + from) {
            let Some(b) = text[a + 1..].find('"').map(|i| i + a + 2) else {
                break;
            };
            let rest = &text[b..];
            let cue_start = b + rest.len() - rest.trim_start().len();
            let cue_end = text[cue_start..]
                .find(' ')
                .map_or(text.len(), |i| i + cue_start);
            let src_end = text[cue_end..]
                .find('.')
                .map_or(text.len(), |i| i + cue_end);
            quotes.push(Quote {
                kind: Kind::Direct,
                source: vec![Span::new((cue_end + 1).min(src_end), src_end)],
                cue: vec![Span::new(cue_start, cue_end)],
                content: vec![Span::new(a, b)],
                speaker: None,
                addressee: None,
                setting: Setting::Unknown,
                confidence: 1.0,
            });
            from = b;
        }
        Ok(quotes)
    }

    fn docs(texts: &[&str]) -> Vec<Item> {
        texts
            .iter()
            .enumerate()
            .map(|(k, t)| {
                Ok(Document {
                    id: format!("d{k}"),
                    text: t.to_string(),
                    origin: Origin::line("in.jsonl".into(), k + 1),
                    meta: None,
                })
            })
            .collect()
    }

    fn options(format: Format) -> ExtractOptions {
        ExtractOptions {
            format,
            jobs: jobs(2),
            table_width: 80,
            progress: false,
            total: None,
            output_is_terminal: false,
        }
    }

    fn run(items: Vec<Item>, format: Format) -> (Result<Summary, Fatal>, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let r = extract(
            items.into_iter(),
            &fake_engine,
            &mut out,
            &mut err,
            &options(format),
        );
        (
            r,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn extract_writes_jsonl_in_order_and_reports_skips() {
        let mut items = docs(&[
            "\"Hi,\" said Zoë Ng.",
            "",
            "\"Oops\" PANIC",
            "\"Ok\" said B.",
        ]);
        items.insert(
            2,
            Err(Skip {
                origin: Origin::line("in.jsonl".into(), 3),
                reason: "no \"text\" field".into(),
            }),
        );
        let (r, out, err) = run(items, Format::Jsonl);
        assert_eq!(
            r.unwrap(),
            Summary {
                documents: 3,
                quotes: 2,
                skipped: 2
            }
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            r#"{"id":"d0","quotes":[{"source":[{"start":11,"end":17,"text":"Zoë Ng"}],"cue":[{"start":6,"end":10,"text":"said"}],"content":[{"start":0,"end":5,"text":"\"Hi,\""}],"speaker":null,"addressee":null,"setting":"unknown","kind":"direct","confidence":1.0}]}"#
        );
        assert_eq!(lines[1], r#"{"id":"d1","quotes":[]}"#);
        assert!(lines[2].starts_with(r#"{"id":"d3","#));
        assert_eq!(lines.len(), 3);
        let err: Vec<&str> = err.lines().collect();
        assert_eq!(err[0], "verbatim: skipped in.jsonl:3: no \"text\" field");
        assert!(
            err[1].starts_with("verbatim: skipped in.jsonl:3: internal error: engine bug at "),
            "{}",
            err[1]
        );
    }

    #[test]
    fn extract_stops_when_the_engine_cannot_run() {
        let items = docs(&["\"a\" said A.", "FATAL", "\"b\" said B."]);
        let (r, out, _) = run(items, Format::Jsonl);
        assert!(matches!(r, Err(Fatal::Engine(ref e)) if e == "no models"));
        assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn extract_never_calls_the_engine_on_blank_documents() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let no_engine = |_: &str| -> Result<Vec<Quote>, String> { Err("no models".into()) };
        let items = docs(&["", " \n\t "]);
        let s = extract(
            items.into_iter(),
            &no_engine,
            &mut out,
            &mut err,
            &options(Format::Jsonl),
        )
        .unwrap();
        assert_eq!(s.documents, 2);
        assert_eq!(
            out,
            b"{\"id\":\"d0\",\"quotes\":[]}\n{\"id\":\"d1\",\"quotes\":[]}\n"
        );
    }

    #[test]
    fn extract_skips_documents_with_spans_outside_the_text() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let broken = |_: &str| -> Result<Vec<Quote>, String> {
            let mut q = fake_engine("\"a\" said A.").unwrap();
            q[0].content[0] = Span::new(0, 1000);
            Ok(q)
        };
        let s = extract(
            docs(&["\"a\" said A."]).into_iter(),
            &broken,
            &mut out,
            &mut err,
            &options(Format::Csv),
        )
        .unwrap();
        assert_eq!(s.skipped, 1);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{}\n", output::CSV_HEADER)
        );
        assert!(String::from_utf8(err)
            .unwrap()
            .contains("skipped in.jsonl:1: internal error: quote 0 has a content span 0..1000"));
    }

    #[test]
    fn table_headings_only_for_several_documents() {
        let (_, one, _) = run(docs(&["\"a\" said A."]), Format::Table);
        assert_eq!(one, "A  said  \"a\"\n");
        let (_, two, _) = run(docs(&["\"a\" said A.", "none"]), Format::Table);
        assert_eq!(
            two,
            "== d0 (1 quote)\nA  said  \"a\"\n\n== d1 (0 quotes)\n(no quotes)\n"
        );
        // A skipped item counts: the one document left still gets its heading.
        let mut items = docs(&["\"a\" said A."]);
        items.push(Err(Skip {
            origin: Origin::file("x".into()),
            reason: "r".into(),
        }));
        let (r, out, _) = run(items, Format::Table);
        assert_eq!(r.unwrap().skipped, 1);
        assert_eq!(out, "== d0 (1 quote)\nA  said  \"a\"\n");
    }

    #[test]
    fn csv_header_even_without_documents() {
        let (r, out, _) = run(Vec::new(), Format::Csv);
        assert_eq!(r.unwrap(), Summary::default());
        assert_eq!(out, format!("{}\n", output::CSV_HEADER));
    }

    #[test]
    fn output_errors_stop_the_run() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let many: Vec<Item> = JsonlDocuments::new(
            "{\"id\":\"a\",\"text\":\"\\\"x\\\" said A.\"}\n"
                .repeat(1000)
                .as_bytes(),
            "f".into(),
        )
        .collect();
        let mut err = Vec::new();
        let r = extract(
            many.into_iter(),
            &fake_engine,
            &mut Closed,
            &mut err,
            &options(Format::Jsonl),
        );
        assert!(matches!(r, Err(Fatal::Output(ref e)) if e.kind() == io::ErrorKind::BrokenPipe));
    }

    #[test]
    fn catch_panic_returns_the_message() {
        assert_eq!(catch_panic(|| 5), Ok(5));
        let e = catch_panic(|| -> u8 { panic!("boom {}", 1) }).unwrap_err();
        assert!(e.starts_with("boom 1 at "), "{e}");
    }
}
