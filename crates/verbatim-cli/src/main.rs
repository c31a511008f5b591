//! `verbatim`: who said what, to whom — quotation extraction for news text.

use clap::{Args, Parser, Subcommand};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use verbatim::transcript;
use verbatim_cli::commands;
use verbatim_cli::input::{self, InputFormat, Inputs};
use verbatim_cli::output::Format;
use verbatim_cli::run::{self, ExtractOptions, Fatal};

/// Exit status when something went wrong that is not one document's fault: a usage error
/// (clap exits with it too), unwritable output, missing models.
const EXIT_FATAL: u8 = 2;
/// Exit status when some documents were skipped.
const EXIT_SKIPPED: u8 = 1;

#[derive(Parser)]
#[command(
    name = "verbatim",
    version,
    about = "Who said what, to whom: quotation extraction for news text."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract quotations (speaker, cue, content) from documents.
    #[command(after_help = EXTRACT_HELP)]
    Extract(ExtractArgs),
    /// Score predictions against gold JSONL: the same numbers as shared/eval/score.py.
    Eval(EvalArgs),
    /// Rebuild every model from the shared data (deterministic), then score it on PolNeAR dev.
    Train(TrainArgs),
    /// Check each quote of an article against a transcript: verbatim, edited, partial,
    /// paraphrase or not_found, with a word diff.
    Verify(VerifyArgs),
    /// Extract documents into a quote bank (an SQLite file): idempotent, resumable.
    #[command(after_help = INGEST_HELP)]
    Ingest(IngestArgs),
    /// Full-text search of a quote bank, newest first or by relevance.
    Search(SearchArgs),
    /// Speakers of a quote bank with their quote counts, most quoted first.
    Speakers(SpeakersArgs),
    /// Serve a quote bank over HTTP: the web page and its JSON API (/api/openapi.json).
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Ingest the bundled example (the Obama–Medvedev article and transcript) into a bank and
    /// serve it: the quickest look at the web page.
    Demo(DemoArgs),
}

const SERVE_HELP: &str = "\
Ingest over HTTP (POST /api/documents) is enabled only with a token: from the file given with
--token-file, or else from the environment variable VERBATIM_TOKEN (never from an argument,
which other users could see in `ps`). Clients send it as `Authorization: Bearer <token>`.
Without a token the bank must exist (create it with `verbatim ingest`); with one, a missing
bank is created empty. The default address is loopback only; another one makes the API
reachable from the network, over plain HTTP.

On a loopback address the server answers only requests for localhost, 127.0.0.1 or [::1]
(any port), and refuses other Host names with 421, so that a web page elsewhere cannot read
the bank through a browser (DNS rebinding); --allow-host NAME adds a name, e.g. the one a
reverse proxy sends. On another address it answers any Host unless --allow-host is given.
Requests without a Host header (HTTP/1.0) are answered: browsers always send one.

Request bodies: at most 2 MiB for POST /api/extract and 10 MiB for POST /api/documents
(larger: 413; send less per request).";

#[derive(Args)]
struct ServeArgs {
    /// The bank (must exist unless a token is given).
    #[arg(long)]
    db: PathBuf,
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = verbatim_server::DEFAULT_ADDR)]
    addr: std::net::SocketAddr,
    /// Worker threads, each with its own database connection [default: 2 per core, at least 4].
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,
    /// A file holding the ingest token (enables POST /api/documents); else VERBATIM_TOKEN.
    #[arg(long, value_name = "PATH")]
    token_file: Option<PathBuf>,
    /// Memory for answers kept until the bank changes, in MiB (0: keep none).
    #[arg(long, value_name = "MIB", default_value_t = verbatim_server::DEFAULT_CACHE_BYTES >> 20)]
    cache_mib: usize,
    /// Also answer requests whose Host is NAME (a port is ignored), e.g. a reverse proxy's
    /// public name; repeatable. Loopback names are always answered.
    #[arg(long = "allow-host", value_name = "NAME", value_parser = parse_host)]
    allow_host: Vec<String>,
}

/// An --allow-host name: a host name or address, with no scheme or path.
fn parse_host(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() || t.contains(['/', ' ', '@', ',']) {
        return Err(format!(
            "{s:?} is not a host name: give the name alone, as in --allow-host quotes.example.org"
        ));
    }
    Ok(t.to_string())
}

#[derive(Args)]
struct DemoArgs {
    /// Address to listen on [default: 127.0.0.1:8080, or any free port if it is taken].
    #[arg(long)]
    addr: Option<std::net::SocketAddr>,
    /// The bank to ingest into [default: demo.db in $XDG_CACHE_HOME/verbatim or ~/.cache/verbatim, reused by later demos].
    #[arg(long)]
    db: Option<PathBuf>,
}

const INGEST_HELP: &str = "\
Inputs are read as extract reads them; JSONL lines keep their metadata: title, outlet (or
publisher, source), url, date (or published: 2012-03-26, an RFC 2822 date as in RSS, or
\"March 26, 2012\"; a time after it is ignored), and kind (\"article\" or \"transcript\", with an
optional \"format\" and \"setting\" for a transcript). A transcript's turns are stored as its
quotes, and the articles' quotes are verified against the transcripts they share remarks or
speakers (within 7 days) with; parse problems are reported as warnings.

A .txt file's id is its stem, or its path in a directory given as INPUT without .txt
(2016-01/index); text on standard input is stdin unless --id names it.

Ids must be unique within a run: a second document with an id already taken is refused (the
same content again counts as unchanged). In a later run the same id replaces the stored
document when its content changed, and is skipped when it did not, unless another engine (an
older Verbatim, other models) stored it: then it is extracted again, and its quotes keep their
ids if they come out the same.";

#[derive(Args)]
struct IngestArgs {
    /// The bank (created if missing).
    #[arg(long)]
    db: PathBuf,
    /// Read standard input, and files named on the command line, as this format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
    #[command(flatten)]
    transcripts: TranscriptArgs,
    /// Alias TSV: alias, canonical name, optional external id (e.g. a Wikidata QID).
    #[arg(long, value_name = "TSV")]
    aliases: Option<PathBuf>,
    /// Worker threads [default: all cores; at most 1024].
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<NonZeroUsize>,
    /// The id of the text read from standard input (- as the only input) [default: stdin,
    /// so each text piped in replaces the last].
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// Files (.txt, .jsonl with optional title/outlet/url/date), directories, or -.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

#[derive(Args)]
struct SearchArgs {
    /// The bank.
    #[arg(long)]
    db: PathBuf,
    /// Only quotes by this speaker (a name, any known spelling, or an id).
    #[arg(long)]
    speaker: Option<String>,
    /// Only quotes from this outlet (as stored; case is ignored when that is unambiguous). An
    /// outlet with no quotes in the bank is an error naming the outlets that come close.
    #[arg(long)]
    outlet: Option<String>,
    /// Only documents published on or after this date: YYYY or YYYY-MM (from its first day),
    /// or a day as ingest reads dates (2012-03-26, 2012/03/26, "March 26, 2012",
    /// "26 March 2012", RFC 2822, an ISO datetime).
    #[arg(long, value_name = "DATE", value_parser = parse_bound)]
    since: Option<String>,
    /// Only documents published on or before this date: YYYY or YYYY-MM (to its last day), or a
    /// day as for --since.
    #[arg(long, value_name = "DATE", value_parser = parse_bound)]
    until: Option<String>,
    /// newest or relevance (without a query: newest) [default: relevance with a query, else
    /// newest].
    #[arg(long)]
    order: Option<String>,
    /// At most this many hits (1 to 1000).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1000))]
    limit: u64,
    /// The next page: the cursor the previous search printed (with the same query).
    #[arg(long)]
    cursor: Option<String>,
    /// table or jsonl [default: table on a terminal, else jsonl].
    #[arg(long, value_enum)]
    format: Option<ListFormat>,
    /// Words that must all appear; "a phrase" in double quotes, word* for a prefix (no other
    /// operators: OR, NOT and the like are words). At most 64 words and 8 prefixes.
    query: Vec<String>,
}

#[derive(Args)]
struct SpeakersArgs {
    /// The bank.
    #[arg(long)]
    db: PathBuf,
    /// At most this many speakers (1 or more) [default: all].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    limit: Option<u64>,
    /// Count only this outlet's quotes (who gets quoted there).
    #[arg(long)]
    outlet: Option<String>,
    /// Count only quotes published in or after this month: YYYY or YYYY-MM.
    #[arg(long)]
    since: Option<String>,
    /// Count only quotes published in or before this month: YYYY or YYYY-MM.
    #[arg(long)]
    until: Option<String>,
    /// Instead of the list, print alias file lines (TSV) joining the speakers whose names
    /// differ only by middle names or initials ("Donald J. Trump", "Hillary Rodham Clinton")
    /// or a doubled letter ("Hilary Clinton"), to check and load with `verbatim ingest
    /// --aliases`.
    #[arg(long, conflicts_with_all = ["limit", "format", "outlet", "since", "until"])]
    suggest_aliases: bool,
    /// Instead of the list, link every stored quote's speaker again with this build's name
    /// rules, as a fresh ingest of the same documents would (after upgrading Verbatim: quotes
    /// keep the links the rules of their day made), then link by office the bare surnames
    /// that documents stored after them tell apart. An entity made again keeps its id.
    #[arg(long, conflicts_with_all = ["limit", "format", "suggest_aliases", "outlet", "since", "until"])]
    relink: bool,
    /// table or jsonl [default: table on a terminal, else jsonl].
    #[arg(long, value_enum)]
    format: Option<ListFormat>,
}

/// How `search` and `speakers` print a bank's rows (no CSV: the rows nest lists).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    /// Aligned columns for reading in a terminal.
    Table,
    /// JSON Lines, one object per hit or speaker.
    Jsonl,
}

#[derive(Args)]
struct EvalArgs {
    /// Gold JSONL (PolNeAR schema, with "text").
    gold: PathBuf,
    /// Predicted JSONL; without it, GOLD's texts are extracted with the built-in models.
    pred: Option<PathBuf>,
    /// Print one JSON object with all numbers (as score.py --json).
    #[arg(long)]
    json: bool,
    /// Also report per-document counts.
    #[arg(long)]
    per_doc: bool,
}

#[derive(Args)]
struct TrainArgs {
    /// The shared data folder (holding polnear/ and ud-english-ewt/).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Where to write pos.bin, cue.bin and role.bin.
    #[arg(long, default_value = "models")]
    out: PathBuf,
}

#[derive(Args)]
struct VerifyArgs {
    /// The article (plain text).
    article: PathBuf,
    /// The transcript to check against.
    #[arg(long, value_name = "TRANSCRIPT")]
    against: PathBuf,
    /// Output format [default: table on a terminal, else jsonl].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The transcript's format [default: detected]: labelled, qa, captions, srt, webvtt.
    #[arg(long, value_name = "FORMAT", value_parser = parse_transcript_format)]
    transcript_format: Option<transcript::Format>,
}

fn parse_transcript_format(s: &str) -> Result<transcript::Format, String> {
    transcript::Format::from_name(s).ok_or_else(|| {
        format!("unknown transcript format {s:?} (labelled, qa, captions, srt, webvtt)")
    })
}

/// The most worker threads `--jobs` takes (`extract` too): the bank's own cap, since each
/// thread has a stack and a window of documents in flight.
const MAX_JOBS: usize = verbatim_bank::ingest::MAX_JOBS;

fn parse_jobs(s: &str) -> Result<NonZeroUsize, String> {
    let n: NonZeroUsize = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of threads from 1 to {MAX_JOBS}"))?;
    if n.get() > MAX_JOBS {
        return Err(format!(
            "{n} threads is more than the {MAX_JOBS} allowed (one per core is the fastest)"
        ));
    }
    Ok(n)
}

/// A `--since`/`--until` date as the bank takes it (see [`verbatim_server::date_bound`]).
fn parse_bound(s: &str) -> Result<String, String> {
    verbatim_server::date_bound(s)
}

fn parse_setting(s: &str) -> Result<verbatim::Setting, String> {
    transcript::parse_setting(s).ok_or_else(|| {
        format!("unknown setting {s:?} (overheard, statement, interview, social_media, on_record)")
    })
}

const EXTRACT_HELP: &str = "\
Inputs: a .txt file is one document (id: the file stem); a .jsonl file holds one
{\"id\": ..., \"text\": ...} object per line; a directory is read recursively (its .txt and
.jsonl files, sorted by path; a .txt file's id is its path in the directory without .txt, e.g.
2016-01/index); - is standard input (JSONL if it starts with '{', else one text with the id
stdin, or --id ID). A byte-order mark at the start of a text is dropped.

A document that cannot be read is reported on stderr (verbatim: skipped FILE:LINE: reason)
and the rest goes on. Exit status: 0 when all went well, 1 when documents were skipped,
2 on usage errors and when the run cannot go on (unwritable output, missing models).";

#[derive(Args)]
struct ExtractArgs {
    /// Files, directories, or - for standard input.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,
    /// Output format [default: table on a terminal, else jsonl].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads [default: all cores; at most 1024].
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<NonZeroUsize>,
    /// Read standard input, and files named on the command line, as this format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
    /// The id of the text read from standard input (- as the only input) [default: stdin].
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    #[command(flatten)]
    transcripts: TranscriptArgs,
}

/// How to read documents as transcripts: shared by `extract` and `ingest`.
#[derive(Args)]
struct TranscriptArgs {
    /// Read every document as a transcript (speaker-labelled text, Q&A, captions, SRT or
    /// WebVTT; detected unless --transcript-format): each turn is a remark.
    #[arg(long)]
    transcript: bool,
    /// The transcripts' format (implies --transcript): labelled, qa, captions, srt, webvtt.
    #[arg(long, value_name = "FORMAT", value_parser = parse_transcript_format)]
    transcript_format: Option<transcript::Format>,
    /// The setting of transcript turns, overriding the transcript's header: overheard,
    /// statement, interview, social_media, on_record.
    #[arg(long, value_name = "SETTING", value_parser = parse_setting)]
    setting: Option<verbatim::Setting>,
}

impl TranscriptArgs {
    /// True when the documents are to be read as transcripts.
    fn enabled(&self) -> bool {
        self.transcript || self.transcript_format.is_some()
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Extract(args) => extract(args),
        Command::Eval(a) => report(commands::eval(
            &a.gold,
            a.pred.as_deref(),
            a.json,
            a.per_doc,
        )),
        Command::Train(a) => report(commands::train(&a.data, &a.out)),
        Command::Ingest(a) => {
            let jobs = a.jobs.map_or(0, NonZeroUsize::get);
            if let Some(id) = &a.id {
                if let Err(e) = input::check_stdin_id(id, &a.inputs, a.input_format) {
                    return report(Err(e));
                }
            }
            let read_as = verbatim_cli::bank::ReadAs {
                stdin_id: a.id,
                input_format: a.input_format,
                transcript: a.transcripts.enabled(),
                transcript_format: a.transcripts.transcript_format,
                setting: a.transcripts.setting,
            };
            match verbatim_cli::bank::ingest(
                &a.db,
                a.aliases.as_deref(),
                &a.inputs,
                &read_as,
                jobs,
                io::stderr().is_terminal(),
            ) {
                Ok(o) => {
                    // The summary counts what was not stored: no second tally after it.
                    if let Some(summary) = &o.summary {
                        eprintln!("verbatim: {summary}");
                    }
                    if let Some(e) = o.optimize_failed {
                        eprintln!(
                            "verbatim: error: the documents are stored, but the optimize after \
                             the ingest failed: {e}. Searches work meanwhile; run the same ingest \
                             again once that is fixed (stored documents are skipped)."
                        );
                        return ExitCode::from(EXIT_FATAL);
                    }
                    if o.skipped > 0 {
                        ExitCode::from(EXIT_SKIPPED)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => report(Err(e)),
            }
        }
        Command::Search(a) => {
            let jsonl = a
                .format
                .map_or(!io::stdout().is_terminal(), |f| f == ListFormat::Jsonl);
            let text = (!a.query.is_empty()).then(|| a.query.join(" "));
            let order = a.order.unwrap_or_else(|| {
                if text.is_some() {
                    "relevance"
                } else {
                    "newest"
                }
                .to_string()
            });
            let order = match order.parse() {
                Ok(o) => o,
                Err(_) => {
                    return report(Err(format!(
                        "--order must be newest or relevance, not {order:?}"
                    )))
                }
            };
            let query = verbatim_bank::SearchQuery {
                text,
                speaker: a.speaker,
                outlet: a.outlet,
                since: a.since,
                until: a.until,
                order,
                limit: usize::try_from(a.limit).unwrap_or(usize::MAX),
                cursor: a.cursor,
            };
            report(verbatim_cli::bank::search(&a.db, query, jsonl))
        }
        Command::Speakers(a) if a.relink => report(verbatim_cli::bank::relink(&a.db)),
        Command::Speakers(a) if a.suggest_aliases => {
            report(verbatim_cli::bank::alias_suggestions(&a.db))
        }
        Command::Speakers(a) => {
            let jsonl = a
                .format
                .map_or(!io::stdout().is_terminal(), |f| f == ListFormat::Jsonl);
            let limit = a.limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
            let within = verbatim_cli::bank::Within {
                outlet: a.outlet,
                since: a.since,
                until: a.until,
            };
            report(verbatim_cli::bank::speakers(&a.db, limit, within, jsonl))
        }
        Command::Serve(a) => report(
            verbatim_cli::serve::serve(verbatim_cli::serve::ServeOptions {
                db: a.db,
                addr: a.addr,
                threads: a.threads.map_or(0, NonZeroUsize::get),
                token_file: a.token_file,
                cache_bytes: a.cache_mib.saturating_mul(1 << 20),
                allowed_hosts: a.allow_host,
            })
            .map(|()| String::new()),
        ),
        Command::Demo(a) => report(verbatim_cli::serve::demo(a.db, a.addr).map(|()| String::new())),
        Command::Verify(a) => {
            let format = a.format.unwrap_or(if io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Jsonl
            });
            // Rendered whole (the checks are all made before the first line anyway), so that
            // a closed pipe is told apart from a failed check.
            let mut out = Vec::new();
            match commands::verify(
                &a.article,
                &a.against,
                format,
                a.transcript_format,
                &mut out,
            ) {
                Ok(()) => print_out(&out),
                Err(e) => report(Err(e)),
            }
        }
    }
}

/// Print a command's output, or its error with exit status 2.
fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(text) => print_out(text.as_bytes()),
        Err(e) => {
            eprintln!("verbatim: error: {e}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

/// Write a command's output to standard output. A reader that went away (`verbatim search …
/// | head -1`) is no error: `print!` would panic there.
fn print_out(bytes: &[u8]) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("verbatim: error: cannot write the output: {e}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn extract(args: ExtractArgs) -> ExitCode {
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => match File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => {
                eprintln!("verbatim: cannot create {}: {e}", path.display());
                return ExitCode::from(EXIT_FATAL);
            }
        },
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    if let Some(id) = &args.id {
        if let Err(e) = input::check_stdin_id(id, &args.inputs, args.input_format) {
            return report(Err(e));
        }
    }
    let mut inputs = Inputs::new(&args.inputs, args.input_format).with_stdin_id(args.id.clone());
    if let Some(path) = &args.output {
        inputs = inputs.without(path);
    }
    if let Some(note) = inputs.ignored_note() {
        eprintln!("verbatim: {note}");
    }
    let options = ExtractOptions {
        format: args.format.unwrap_or(if to_terminal {
            Format::Table
        } else {
            Format::Jsonl
        }),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)),
        table_width: table_width(to_terminal),
        progress: io::stderr().is_terminal(),
        total: inputs.known_total(),
        output_is_terminal: to_terminal,
    };
    // Loaded by the first document that needs it.
    let extractor = OnceLock::new();
    thread_local! {
        // Each worker keeps what it learnt of the words' spellings for its next documents.
        static WORDS: std::cell::RefCell<verbatim::WordCache> = Default::default();
    }
    let as_transcript = args.transcripts.enabled();
    let engine = |text: &str| {
        if as_transcript {
            let mut t = transcript::parse(text, args.transcripts.transcript_format)
                .map_err(|e| e.to_string())?;
            if let Some(setting) = args.transcripts.setting {
                t.setting = Some(setting);
            }
            for w in &t.warnings {
                eprintln!("verbatim: warning: {w}");
            }
            return Ok(transcript::to_quotes(&t));
        }
        let extractor = extractor.get_or_init(run::load_extractor).as_ref();
        extractor
            .map(|e| WORDS.with(|w| e.extract_with(text, &mut w.borrow_mut())))
            .map_err(Clone::clone)
    };
    let result = run::extract(
        inputs.documents(),
        &engine,
        &mut out,
        &mut io::stderr(),
        &options,
    );
    match result {
        Ok(summary) if summary.skipped > 0 => {
            eprintln!("verbatim: {} document(s) skipped", summary.skipped);
            ExitCode::from(EXIT_SKIPPED)
        }
        Ok(_) => ExitCode::SUCCESS,
        // The reader went away (`verbatim extract … | head`): not an error.
        Err(Fatal::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(fatal) => {
            eprintln!("verbatim: error: {fatal}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

/// The table's width: the terminal's when writing to one (less one column, so that a full
/// line never wraps), else `$COLUMNS` when set, else 120.
fn table_width(to_terminal: bool) -> usize {
    let terminal = if to_terminal {
        terminal_columns().map(|w| w - 1)
    } else {
        None
    };
    terminal
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(120)
}

/// The width of the terminal on standard output.
#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    // SAFETY: `winsize` is plain data (all zeros is a valid value), and TIOCGWINSZ only writes
    // one into the struct we pass, which outlives the call.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}
