//! `verbatim ingest`, `search` and `speakers`: the quote bank from the command line.

use crate::input::Inputs;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use verbatim_bank::{
    Bank, IngestOptions, IngestProgress, NewDocument, SearchQuery, SpeakerListQuery,
};

/// What an ingest run did: the summary line, and whether anything was skipped or rejected.
pub struct IngestOutcome {
    /// Human summary.
    pub summary: String,
    /// Documents skipped while reading or rejected by the bank.
    pub skipped: usize,
}

/// Ingest `inputs` into the bank at `db`. JSONL lines keep their metadata (title, outlet, url,
/// date); `.txt` files, directories and stdin are read as `extract` reads them.
pub fn ingest(
    db: &Path,
    aliases: Option<&Path>,
    inputs: &[PathBuf],
    jobs: usize,
    progress: bool,
) -> Result<IngestOutcome, String> {
    let mut bank = Bank::open(db).map_err(|e| e.to_string())?;
    if let Some(tsv) = aliases {
        let r = bank.load_aliases(tsv).map_err(|e| e.to_string())?;
        eprintln!("verbatim: aliases: {r:?}");
    }
    let mut skipped = 0usize;
    let skipped_ref = std::cell::Cell::new(0usize);
    let skipped_cell = &skipped_ref;
    let mut docs: Vec<Box<dyn Iterator<Item = NewDocument> + '_>> = Vec::new();
    for path in inputs {
        if path.extension().is_some_and(|e| e == "jsonl") {
            let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path.display().to_string();
            docs.push(Box::new(
                std::io::BufReader::new(file)
                    .lines()
                    .enumerate()
                    .filter_map(move |(n, line)| {
                        let line = match line {
                            Ok(l) if l.trim().is_empty() => return None,
                            Ok(l) => l,
                            Err(e) => {
                                eprintln!("verbatim: skipped {name}:{}: {e}", n + 1);
                                skipped_cell.set(skipped_cell.get() + 1);
                                return None;
                            }
                        };
                        match NewDocument::from_json(&line) {
                            Ok(d) => Some(d),
                            Err(e) => {
                                eprintln!("verbatim: skipped {name}:{}: {e}", n + 1);
                                skipped_cell.set(skipped_cell.get() + 1);
                                None
                            }
                        }
                    }),
            ));
        } else {
            docs.push(Box::new(
                Inputs::new(std::slice::from_ref(path), None)
                    .documents()
                    .filter_map(move |item| match item {
                        Ok(d) => Some(NewDocument::new(d.id, d.text)),
                        Err(skip) => {
                            eprintln!("verbatim: {skip}");
                            skipped_cell.set(skipped_cell.get() + 1);
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
            docs.into_iter().flatten(),
            &IngestOptions {
                jobs,
                batch_size: 200,
            },
            Some(&mut draw),
        )
        .map_err(|e| e.to_string())?;
    if progress {
        eprintln!();
    }
    bank.optimize().map_err(|e| e.to_string())?;
    for r in &report.rejected {
        eprintln!("verbatim: rejected {r:?}");
    }
    skipped += skipped_ref.get() + report.rejected.len();
    Ok(IngestOutcome {
        summary: report.to_string(),
        skipped,
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
