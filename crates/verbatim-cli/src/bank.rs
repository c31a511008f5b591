//! `verbatim ingest`, `search` and `speakers`: the quote bank from the command line.

use crate::input::{Document, InputFormat, Inputs};
use serde_json::Value;
use std::cell::Cell;
use std::path::{Path, PathBuf};
use verbatim::{transcript, Setting};
use verbatim_bank::{
    Bank, DocumentKind, IngestOptions, IngestProgress, NewDocument, SearchQuery, SpeakerListQuery,
};

/// What an ingest run did: the summary line, and whether anything was skipped or rejected.
pub struct IngestOutcome {
    /// Human summary; `None` when no documents were given (an alias file alone).
    pub summary: Option<String>,
    /// Documents skipped while reading or rejected by the bank.
    pub skipped: usize,
    /// Why the optimize after the ingest failed (the documents are stored all the same).
    pub optimize_failed: Option<String>,
}

/// How `ingest` reads its inputs (the options `extract` has too).
#[derive(Clone, Debug, Default)]
pub struct ReadAs {
    /// `--id`: the id of the text read from standard input.
    pub stdin_id: Option<String>,
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
    /// Mark a document as a transcript when asked to (`--transcript` makes every document
    /// one, whatever its line's `kind` says). A transcript line's own `format` and `setting`
    /// win over the command line's: they are the more specific.
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

/// A document read by [`Inputs`] as the bank takes it: a JSONL line's metadata checked and
/// kept, a text file's id and text as they are.
fn new_document(d: Document) -> Result<NewDocument, String> {
    // Here the file and line are known; the bank would name only the (empty) id.
    if d.id.trim().is_empty() {
        return Err("empty document id".into());
    }
    let origin = Some(d.origin.to_string());
    let doc = match d.meta {
        None => NewDocument::new(d.id, d.text),
        Some(mut fields) => {
            fields.insert("id".into(), Value::String(d.id));
            fields.insert("text".into(), Value::String(d.text));
            NewDocument::from_json_value(&Value::Object(fields)).map_err(|e| e.to_string())?
        }
    };
    Ok(NewDocument { origin, ..doc })
}

/// Ingest `inputs` into the bank at `db`, read as `extract` reads them (files, directories,
/// `-`); JSONL lines keep their metadata (title, outlet, url, date, kind, …) wherever they come
/// from. Unreadable inputs and lines are reported and counted, and the rest goes on.
pub fn ingest(
    db: &Path,
    aliases: Option<&Path>,
    inputs: &[PathBuf],
    read_as: &ReadAs,
    jobs: usize,
    progress: bool,
) -> Result<IngestOutcome, String> {
    if inputs.is_empty() && aliases.is_none() {
        return Err(
            "nothing to ingest: name files, directories, or - for standard input \
                    (or give --aliases to load an alias file alone)"
                .into(),
        );
    }
    let mut bank = Bank::open(db).map_err(|e| e.to_string())?;
    if let Some(tsv) = aliases {
        let r = bank.load_aliases(tsv).map_err(|e| e.to_string())?;
        eprintln!(
            "verbatim: {} alias(es) loaded from {}; {} quote(s) moved to their canonical speaker",
            r.aliases,
            tsv.display(),
            r.quotes_relinked
        );
    }
    if inputs.is_empty() {
        return Ok(IngestOutcome {
            summary: None,
            skipped: 0,
            optimize_failed: bank.optimize_if_due().err().map(|e| e.to_string()),
        });
    }
    let skipped = Cell::new(0usize);
    let inputs = Inputs::new(inputs, read_as.input_format)
        .with_stdin_id(read_as.stdin_id.clone())
        .with_metadata();
    if let Some(note) = inputs.ignored_note() {
        eprintln!("verbatim: {note}");
    }
    let docs = inputs.documents().filter_map(|item| {
        let doc = item.map_err(|skip| skip.to_string()).and_then(|d| {
            let origin = d.origin.clone();
            new_document(d).map_err(|e| format!("{origin}: {e}"))
        });
        doc.map_err(|e| {
            eprintln!("verbatim: skipped {e}");
            skipped.set(skipped.get() + 1);
        })
        .ok()
    });
    let mut draw = |p: &IngestProgress| {
        if progress {
            eprint!("\r\x1b[2K{p}");
        }
    };
    let report = bank
        .ingest_documents(
            docs.map(|d| read_as.apply(d)),
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
    // "id (file:line)": the bank knows the id, the reader where it came from.
    let named = |r: &verbatim_bank::Rejected| match &r.origin {
        Some(o) => format!("{} ({o})", r.id),
        None => r.id.clone(),
    };
    for w in &report.warnings {
        eprintln!("verbatim: warning: {}: {}", named(w), w.reason);
    }
    for r in &report.rejected {
        eprintln!("verbatim: rejected {}: {}", named(r), r.reason);
    }
    // Committed already: a failure here (a full disk, say) must not hide the summary.
    let optimize_failed = bank.optimize_if_due().err().map(|e| e.to_string());
    Ok(IngestOutcome {
        summary: Some(summary(&report, skipped.get())),
        skipped: skipped.get() + report.rejected.len(),
        optimize_failed,
    })
}

/// The run in one line. Every document is counted once: `unreadable` ones never reached the
/// bank, rejected ones did; both are "not stored", with the lines above saying why.
fn summary(r: &verbatim_bank::IngestReport, unreadable: usize) -> String {
    let total = r.seen + unreadable;
    let mut s = format!(
        "{total} document(s): {} new, {} replaced, {} unchanged",
        r.inserted, r.replaced, r.unchanged
    );
    if r.reextracted > 0 {
        s += &format!(
            " ({} stored by another engine extracted again)",
            r.reextracted
        );
    }
    let not_stored = unreadable + r.rejected.len();
    if not_stored > 0 {
        s += &format!(
            ", {not_stored} not stored ({unreadable} unreadable, {} rejected)",
            r.rejected.len()
        );
    }
    s += &format!(
        "; {} quote(s) added, {} removed; ",
        r.quotes_added, r.quotes_removed
    );
    if r.verifications > 0 {
        s += &format!("{} verified against transcripts; ", r.verifications);
    }
    s + &format!(
        "{:.1}s ({:.1} docs/s)",
        r.elapsed_secs,
        r.seen as f64 / r.elapsed_secs.max(1e-9)
    )
}

/// Open a bank for reading (upgrading an older file first).
fn open_for_reading(db: &Path) -> Result<Bank, String> {
    if !db.exists() {
        return Err(format!(
            "{}: no such bank (create it with `verbatim ingest --db {} INPUT…`)",
            db.display(),
            db.display()
        ));
    }
    match Bank::open_read_only(db) {
        Ok(b) => Ok(b),
        // An empty file (or an SQLite file without tables) is no bank; reading must not turn
        // it into one.
        Err(verbatim_bank::Error::NeedsUpgrade { found: 0, .. }) => Err(format!(
            "{}: an empty file, not a quote bank (fill one with `verbatim ingest --db {} INPUT…`)",
            db.display(),
            db.display()
        )),
        Err(verbatim_bank::Error::NeedsUpgrade { .. }) => Bank::open(db).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Search the bank; returns the rendered hits. An unknown speaker or outlet is an error (not
/// an empty page that looks like "no such quote"); an empty table says so on stderr.
pub fn search(db: &Path, query: SearchQuery, jsonl: bool) -> Result<String, String> {
    let bank = open_for_reading(db)?;
    let speaker = query.speaker.clone();
    let page = bank.search(&query).map_err(|e| e.to_string())?;
    if let Some(name) = speaker.filter(|_| page.speakers.is_empty()) {
        return Err(format!("no speaker named {name:?} in the bank"));
    }
    // Who the name was taken to mean: "Clinton" is several people.
    if query.speaker.is_some() && !jsonl {
        let who: Vec<String> = page
            .speakers
            .iter()
            .map(|s| format!("{} (#{})", s.name, s.id))
            .collect();
        eprintln!("verbatim: speaker: {}", who.join(", "));
    }
    if page.hits.is_empty() {
        if let Some(outlet) = query.outlet.as_deref() {
            known_outlet(&bank, outlet)?;
        }
        if !jsonl {
            eprintln!("verbatim: no quotes match");
            return Ok(String::new());
        }
    }
    if let Some(next) = &page.next_cursor {
        eprintln!(
            "verbatim: {} hits shown, and there are more: the next page with --cursor {next} \
             (or raise --limit, at most 1000)",
            page.hits.len()
        );
    }
    Ok(if jsonl {
        verbatim_bank::hits_to_jsonl(&page.hits)
    } else {
        verbatim_bank::format_hits_table(&page.hits)
    })
}

/// An error when the bank has no quote from `outlet` (as a search filter takes it): an
/// empty page would read as "no such quote". A blank outlet is no filter.
fn known_outlet(bank: &Bank, outlet: &str) -> Result<(), String> {
    if outlet.trim().is_empty() {
        return Ok(());
    }
    let probe = SearchQuery {
        outlet: Some(outlet.to_string()),
        limit: 1,
        ..SearchQuery::default()
    };
    let page = bank.search(&probe).map_err(|e| e.to_string())?;
    if page.hits.is_empty() {
        return Err(unknown_outlet(bank, outlet));
    }
    Ok(())
}

/// Why an outlet filter matched nothing, with the outlets that come close (by case-blind
/// containment) or else the most frequent ones.
fn unknown_outlet(bank: &Bank, outlet: &str) -> String {
    let mut msg = format!("no quotes from an outlet named {outlet:?} in the bank");
    let Ok(all) = bank.outlets() else {
        return msg;
    };
    if all.is_empty() {
        return msg + " (its documents have no outlet)";
    }
    let lower = outlet.trim().to_lowercase();
    let close: Vec<&String> = all
        .iter()
        .filter(|o| {
            let o = o.to_lowercase();
            o.contains(&lower) || lower.contains(&o)
        })
        .take(8)
        .collect();
    let (label, shown) = if close.is_empty() {
        (
            "outlets, most documents first",
            all.iter().take(8).collect(),
        )
    } else {
        ("did you mean", close)
    };
    let names: Vec<String> = shown.iter().map(|o| format!("{o:?}")).collect();
    msg += &format!("; {label}: {}", names.join(", "));
    if label.starts_with("outlets") && all.len() > names.len() {
        msg += &format!(" (and {} more)", all.len() - names.len());
    }
    msg
}

/// The outlet and months a speaker list counts within (`speakers --outlet/--since/--until`).
#[derive(Debug, Default)]
pub struct Within {
    /// Only this outlet's quotes.
    pub outlet: Option<String>,
    /// From this month (`YYYY` or `YYYY-MM`).
    pub since: Option<String>,
    /// To this month.
    pub until: Option<String>,
}

/// List speakers with their quote counts. An outlet the bank has no quotes from is an error,
/// as in `search`.
pub fn speakers(
    db: &Path,
    limit: Option<usize>,
    within: Within,
    jsonl: bool,
) -> Result<String, String> {
    let bank = open_for_reading(db)?;
    let outlet = within.outlet.filter(|o| !o.trim().is_empty());
    let list = bank
        .list_speakers(&SpeakerListQuery {
            limit,
            outlet: outlet.clone(),
            since: within.since,
            until: within.until,
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
    if let Some(o) = outlet.filter(|_| list.is_empty()) {
        known_outlet(&bank, &o)?;
    }
    Ok(if jsonl {
        verbatim_bank::speakers_to_jsonl(&list)
    } else {
        verbatim_bank::format_speakers_table(&list)
    })
}

/// Link every stored quote's speaker again with this build's name rules.
pub fn relink(db: &Path) -> Result<String, String> {
    if !db.is_file() {
        return Err(format!("{}: no such bank", db.display()));
    }
    let mut bank = Bank::open(db).map_err(|e| e.to_string())?;
    let r = bank.relink_all_speakers().map_err(|e| e.to_string())?;
    Ok(format!(
        "verbatim: speakers linked again with this build's rules: {} quote(s) changed speaker or link; {} speaker entities before, {} after\n",
        r.moved, r.entities_before, r.entities_after
    ))
}

/// Alias file lines (TSV) for the speakers that differ only by middle initials, each after a
/// comment with their quote counts, for a person to check and load with `--aliases`.
pub fn alias_suggestions(db: &Path) -> Result<String, String> {
    let bank = open_for_reading(db)?;
    let list = bank.alias_suggestions().map_err(|e| e.to_string())?;
    let mut out = format!(
        "# Speakers whose names differ only by middle names or initials, or by a doubled\n\
         # letter (Hilary, Hillary): {} line(s), each name mapped to the most quoted name\n\
         # of its group. These are guesses: initials can be all that tells two people apart\n\
         # (George Bush, George W. Bush), and Ana and Anna, Philip and Phillip are often two\n\
         # people. Delete the lines that join two people, then load the rest with\n\
         # verbatim ingest --db {} --aliases THIS_FILE\n",
        list.len(),
        shell_word(&db.display().to_string())
    );
    for s in &list {
        // Names come from text: no tab or line break may split a line.
        let clean = |n: &str| n.replace(['\t', '\n', '\r'], " ");
        out.push_str(&format!(
            "# {} quotes as {}, {} as {} ({})\n{}\t{}\n",
            s.quotes.0,
            clean(&s.alias),
            s.quotes.1,
            clean(&s.canonical),
            match s.why {
                "middle" => "middle name or initials",
                other => other,
            },
            clean(&s.alias),
            clean(&s.canonical)
        ));
    }
    Ok(out)
}

/// `s` as one shell word, quoted when it needs to be (for commands printed to copy).
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shell_words() {
        assert_eq!(super::shell_word("/tmp/bank.db"), "/tmp/bank.db");
        assert_eq!(super::shell_word("my bank.db"), "'my bank.db'");
        assert_eq!(super::shell_word("it's.db"), "'it'\\''s.db'");
    }
}
