//! `verbatim`: who said what, to whom — quotation extraction for news text.

use clap::{Args, Parser, Subcommand};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use verbatim_cli::input::{InputFormat, Inputs};
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
}

const EXTRACT_HELP: &str = "\
Inputs: a .txt file is one document (id: the file stem); a .jsonl file holds one
{\"id\": ..., \"text\": ...} object per line; a directory is read recursively (its .txt and
.jsonl files, sorted by path); - is standard input (JSONL if it starts with '{', else text).

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
    /// Worker threads [default: all cores].
    #[arg(short, long, value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// Read standard input, and files named on the command line, as this format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Extract(args) => extract(args),
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
    let mut inputs = Inputs::new(&args.inputs, args.input_format);
    if let Some(path) = &args.output {
        inputs = inputs.without(path);
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
    let engine = |text: &str| {
        let extractor = extractor.get_or_init(run::load_extractor).as_ref();
        extractor.map(|e| e.extract(text)).map_err(Clone::clone)
    };
    let result = run::extract(
        inputs.documents(),
        &engine,
        &mut out,
        &mut io::stderr().lock(),
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
