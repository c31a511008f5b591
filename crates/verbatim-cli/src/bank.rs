//! `verbatim ingest`, `search` and `speakers`: the quote bank from the command line.

use crate::input::{InputFormat, Inputs, STDIN_NAME};
use std::cell::Cell;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use verbatim::{transcript, Setting};
use verbatim_bank::{
    Bank, DocumentKind, IngestOptions, IngestProgress, NewDocument, SearchQuery, SpeakerListQuery,
};

/// What an ingest run did: the summary line, and whether anything was skipped or rejected.
pub struct IngestOutcome {
    /// Human summary.
    pub summary: String,
    /// Documents skipped while reading or rejected by the bank.
    pub skipped: usize,
}

/// How `ingest` reads its inputs (the options `extract` has too).
#[derive(Clone, Debug, Default)]
pub struct ReadAs {
    /// `--input-format`: how to read standard input and the files named on the command line.
    pub input_format: Option<InputFormat>,
    /// Every document is a transcript (`--transcript`, or implied by `--transcript-format`).
    pub transcript: bool,
    /// The transcripts' format; `None` detects it.
    pub transcript_format: Option<transcript::Format>,
    /// The setting of the transcripts' turns, overriding their headers.
    pub setting: Option<Setting>,
}

impl ReadAs {
    /// Mark a document as a transcript when asked to. A JSONL line's own `kind`, `format` and
    /// `setting` win over the command line: they are the more specific.
    fn apply(&self, mut d: NewDocument) -> NewDocument {
        if self.transcript {
            d.kind = DocumentKind::Transcript;
        }
        if d.kind == DocumentKind::Transcript {
            if d.transcript_format.is_none() {
                d.transcript_format = self.transcript_format.map(|f| f.as_str().to_string());
            }
            if d.setting.is_none() {
                d.setting = self.setting.map(|s| s.as_str().to_string());
            }
        }
        d
    }
}

/// JSONL documents with their metadata; unreadable lines are reported and counted.
fn jsonl_documents<'a>(
    reader: Box<dyn BufRead + 'a>,
    name: String,
    skipped: &'a Cell<usize>,
) -> impl Iterator<Item = NewDocument> + 'a {
    reader.lines().enumerate().filter_map(move |(n, line)| {
        let parsed = match line {
            Ok(l) if l.trim().is_empty() => return None,
            Ok(l) => NewDocument::from_json(&l).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        parsed
            .map_err(|e| {
                eprintln!("verbatim: skipped {name}:{}: {e}", n + 1);
                skipped.set(skipped.get() + 1);
            })
            .ok()
    })
}

/// Ingest `inputs` into the bank at `db`. JSONL lines keep their metadata (title, outlet, url,
/// date, kind); `.txt` files, directories and stdin are read as `extract` reads them.
pub fn ingest(
    db: &Path,
    aliases: Option<&Path>,
    inputs: &[PathBuf],
    read_as: &ReadAs,
    jobs: usize,
    progress: bool,
) -> Result<IngestOutcome, String> {
    let mut bank = Bank::open(db).map_err(|e| e.to_string())?;
    if let Some(tsv) = aliases {
        let r = bank.load_aliases(tsv).map_err(|e| e.to_string())?;
        eprintln!("verbatim: aliases: {r:?}");
    }
    let skipped = Cell::new(0usize);
    let skipped = &skipped;
    let mut docs: Vec<Box<dyn Iterator<Item = NewDocument> + '_>> = Vec::new();
    for path in inputs {
        let stdin = path.as_os_str() == "-";
        let jsonl = match read_as.input_format {
            Some(f) => f == InputFormat::Jsonl,
            None => !stdin && path.extension().is_some_and(|e| e == "jsonl"),
        };
        if jsonl && stdin {
            let reader = Box::new(std::io::stdin().lock());
            docs.push(Box::new(jsonl_documents(
                reader,
                STDIN_NAME.into(),
                skipped,
            )));
        } else if jsonl && !path.is_dir() {
            let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let reader = Box::new(std::io::BufReader::new(file));
            docs.push(Box::new(jsonl_documents(
                reader,
                path.display().to_string(),
                skipped,
            )));
        } else {
            docs.push(Box::new(
                Inputs::new(std::slice::from_ref(path), read_as.input_format)
                    .documents()
                    .filter_map(move |item| match item {
                        Ok(d) => Some(NewDocument::new(d.id, d.text)),
                        Err(skip) => {
                            eprintln!("verbatim: skipped {skip}");
                            skipped.set(skipped.get() + 1);
                            None
                        }
                    }),
            ));
        }
    }
    let mut draw = |p: &IngestProgress| {
        if progress {
            eprint!("\r\x1b[2K{p}");
        }
    };
    let report = bank
        .ingest_documents(
            docs.into_iter().flatten().map(|d| read_as.apply(d)),
            &IngestOptions {
                jobs,
                ..IngestOptions::default()
            },
            Some(&mut draw),
        )
        .map_err(|e| e.to_string())?;
    if progress {
        eprintln!();
    }
    bank.optimize_if_due().map_err(|e| e.to_string())?;
    for w in &report.warnings {
        eprintln!("verbatim: warning: {}: {}", w.id, w.reason);
    }
    for r in &report.rejected {
        eprintln!("verbatim: rejected {}: {}", r.id, r.reason);
    }
    Ok(IngestOutcome {
        summary: report.to_string(),
        skipped: skipped.get() + report.rejected.len(),
    })
}

/// Open a bank for reading (upgrading an older file first).
fn open_for_reading(db: &Path) -> Result<Bank, String> {
    if !db.exists() {
        return Err(format!(
            "{}: no such bank (create it with `verbatim ingest --db {}`)",
            db.display(),
            db.display()
        ));
    }
    match Bank::open_read_only(db) {
        Ok(b) => Ok(b),
        Err(verbatim_bank::Error::NeedsUpgrade { .. }) => Bank::open(db).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Search the bank; returns the rendered hits.
pub fn search(db: &Path, query: SearchQuery, jsonl: bool) -> Result<String, String> {
    let bank = open_for_reading(db)?;
    let speaker = query.speaker.clone();
    let page = bank.search(&query).map_err(|e| e.to_string())?;
    if let Some(name) = speaker.filter(|_| page.speakers.is_empty()) {
        return Err(format!("no speaker named {name:?} in the bank"));
    }
    Ok(if jsonl {
        verbatim_bank::hits_to_jsonl(&page.hits)
    } else {
        verbatim_bank::format_hits_table(&page.hits)
    })
}

/// List speakers with their quote counts.
pub fn speakers(db: &Path, limit: Option<usize>, jsonl: bool) -> Result<String, String> {
    let bank = open_for_reading(db)?;
    let list = bank
        .list_speakers(&SpeakerListQuery {
            limit,
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    Ok(if jsonl {
        verbatim_bank::speakers_to_jsonl(&list)
    } else {
        verbatim_bank::format_speakers_table(&list)
    })
}
