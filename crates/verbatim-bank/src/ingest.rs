//! Ingest: documents in, quotes out, committed in batches.
//!
//! The calling thread reads the input iterator; `jobs` worker threads check whether each
//! document changed (on their own read-only connection), run the extractor, convert spans to
//! code points and compute speaker names and clustering fingerprints; one writer thread applies
//! the results **in input order**, committing every `batch_size` documents (or at the first
//! document applied once the transaction is `batch_time` old, or after half a second without
//! input). At most a fixed window of documents is in flight, so memory stays bounded however
//! long the input.
//!
//! Idempotent and crash-safe: a document whose id and content hash (text and metadata) are
//! already stored, with quotes the same engine made, is skipped; a changed one has its quotes
//! replaced in the same transaction (an article whose title or URL alone changed keeps its
//! quotes and their ids). A document stored by another engine (an older Verbatim, other
//! models: [`Extractor::fingerprint`]) is extracted again, and keeps its quotes and their ids
//! when the new ones are the same (quotes the caller gives are compared the same way);
//! each batch is one transaction, so a process killed at any moment leaves whole batches, and
//! re-running the same input completes the rest with nothing duplicated. Within one run, ids
//! are unique: a document given the id of an earlier one the run stored (or found unchanged)
//! is refused, or counted unchanged when its content is the same, instead of silently
//! replacing it; an earlier document that was refused does not hold its id.
//!
//! A document of kind [`DocumentKind::Transcript`] is not extracted: it is parsed with
//! [`verbatim::transcript::parse`] and each turn is stored as one of its quotes (speaker,
//! addressee, setting, content spans), searchable and clustered like any quote. Before each
//! batch commits, the article quotes the batch touches are verified against candidate
//! transcripts (see [`crate::verification`]), in the same transaction, so a killed process
//! never leaves a committed batch without its verifications.

use crate::cluster::Fingerprint;
use crate::dates::Date;
use crate::error::{Error, Result};
use crate::hash::{fields_hex, hash64, FieldsHash};
use crate::names::{parse_name, plain_key, title_of_source, DocNames};
use crate::store::{self, QuoteRow, State};
use crate::Bank;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension, ToSql};
use serde_json::Value;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::iter::once;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::str::FromStr;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use verbatim::transcript::{self, Format};
use verbatim::{Extractor, OffsetMap, Quote, Span, WordCache};

/// What a document is: an article (quotes are extracted from it) or a transcript (its turns
/// are its quotes, and article quotes are verified against it).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// News text: quotes are extracted with the models. The default.
    #[default]
    Article,
    /// A record of what was said (speaker-labelled text, Q&A, captions, SRT, WebVTT).
    Transcript,
}

impl DocumentKind {
    /// The stored name: `article` or `transcript`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Article => "article",
            DocumentKind::Transcript => "transcript",
        }
    }

    /// True for [`DocumentKind::Article`] (serialisation leaves the default out).
    pub fn is_article(&self) -> bool {
        *self == DocumentKind::Article
    }
}

impl FromStr for DocumentKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<DocumentKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "article" => Ok(DocumentKind::Article),
            "transcript" => Ok(DocumentKind::Transcript),
            _ => Err(Error::invalid(format!(
                "unknown document kind {s:?}: use \"article\" or \"transcript\""
            ))),
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document to ingest. Only `id` and `text` are required.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewDocument {
    /// Unique id: ingesting the same id in a later run replaces (or keeps) the document; a
    /// second document with an id already taken in the same run is refused.
    pub id: String,
    /// Full text, stored exactly as given (quote offsets count its code points).
    pub text: String,
    /// Headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Publisher, e.g. `nyt`, `bbc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date: `YYYY-MM-DD`, or another form [`Date::parse`] reads (RFC 2822,
    /// "March 26, 2012"); stored as `YYYY-MM-DD`, a time after it ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Article (the default) or transcript.
    #[serde(default, skip_serializing_if = "DocumentKind::is_article")]
    pub kind: DocumentKind,
    /// A transcript's format, as [`Format::from_name`] reads it (`labelled`, `qa`, `captions`,
    /// `srt`, `webvtt`); `None` detects it. Ignored for articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_format: Option<String>,
    /// The setting of a transcript's turns, overriding the transcript's header, as
    /// [`transcript::parse_setting`] reads it (`overheard`, `interview`, `on_record` …).
    /// Ignored for articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
    /// Where it was read from ("articles.jsonl:12"), named in its rejection or warnings;
    /// neither stored nor read from JSON.
    #[serde(skip)]
    pub origin: Option<String>,
}

fn opt_str(v: &Value, names: &[&str]) -> Result<Option<String>> {
    for n in names {
        match v.get(n) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
            Some(Value::String(s)) => return Ok(Some(s.clone())),
            Some(other) => {
                return Err(Error::invalid(format!(
                    "field {n:?} should be a string, not {other}"
                )))
            }
        }
    }
    Ok(None)
}

/// A document id as JSON gives it: a string, or a whole number that fits in 64 bits (its
/// digits). Any other number is refused: JSON parsers round big or fractional numbers, and two
/// documents whose ids round alike would be stored one over the other.
pub fn json_id(v: &Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        Value::Number(n) => Err(Error::invalid(format!(
            "\"id\" {n} is not a whole number of at most 64 bits: give the id as a string"
        ))),
        _ => Err(Error::invalid("missing string field \"id\"")),
    }
}

/// The fields of a JSONL line that [`NewDocument::from_json_value`] reads.
pub const KNOWN_FIELDS: &[&str] = &[
    "id",
    "text",
    "kind",
    "title",
    "outlet",
    "publisher",
    "source",
    "url",
    "date",
    "published",
    "transcript_format",
    "format",
    "setting",
];

/// The fields `names` of a JSON object on one line, as `serde_json::from_str::<Value>` would
/// give them, without building values for the other fields (a corpus line may carry large
/// annotations): every other field is still checked as that parse checks it (escapes, number
/// range, nesting depth), and so is the text after the object, so a line is accepted exactly
/// when the full parse accepts it as an object. A name given twice keeps its last value, as
/// there. `Err` for anything else; parse such a line in full for the message to report.
pub fn json_fields(
    line: &str,
    names: &[&str],
) -> serde_json::Result<serde_json::Map<String, Value>> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    /// Any JSON value, checked and dropped.
    struct Checked;
    impl<'de> serde::Deserialize<'de> for Checked {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Checked, D::Error> {
            d.deserialize_any(Checked)
        }
    }
    impl<'de> Visitor<'de> for Checked {
        type Value = Checked;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> std::result::Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_str<E>(self, _: &str) -> std::result::Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_unit<E>(self) -> std::result::Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_seq<A: SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Checked, A::Error> {
            while seq.next_element::<Checked>()?.is_some() {}
            Ok(Checked)
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Checked, A::Error> {
            while map.next_key::<Checked>()?.is_some() {
                map.next_value::<Checked>()?;
            }
            Ok(Checked)
        }
    }

    /// The object, keeping the named fields.
    struct Fields<'n>(&'n [&'n str]);
    impl<'de> DeserializeSeed<'de> for Fields<'_> {
        type Value = serde_json::Map<String, Value>;
        fn deserialize<D: Deserializer<'de>>(
            self,
            d: D,
        ) -> std::result::Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Fields<'_> {
        type Value = serde_json::Map<String, Value>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut out = serde_json::Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if self.0.contains(&key.as_str()) {
                    out.insert(key, map.next_value::<Value>()?);
                } else {
                    map.next_value::<Checked>()?;
                }
            }
            Ok(out)
        }
    }

    let mut de = serde_json::Deserializer::from_str(line);
    let fields = Fields(names).deserialize(&mut de)?;
    de.end()?;
    Ok(fields)
}

impl NewDocument {
    /// A document with only an id and a text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> NewDocument {
        NewDocument {
            id: id.into(),
            text: text.into(),
            ..NewDocument::default()
        }
    }

    /// A transcript with only an id and a text (format detected, setting from its header).
    pub fn transcript(id: impl Into<String>, text: impl Into<String>) -> NewDocument {
        NewDocument {
            kind: DocumentKind::Transcript,
            ..NewDocument::new(id, text)
        }
    }

    /// Read one JSONL object: `id` and `text` (strings, required); `title`, `outlet` (or
    /// `publisher`, `source`), `url`, `date` (or `published`) optional; `kind` (`article` or
    /// `transcript`), and for a transcript `transcript_format` (or `format`) and `setting`,
    /// optional; other fields ignored. A numeric `id` is accepted and turned into a string.
    pub fn from_json(line: &str) -> Result<NewDocument> {
        // Only the fields read are parsed into values (see `json_fields`); a line that is
        // not such an object is parsed in full, for the same error as before.
        if let Ok(known) = json_fields(line, KNOWN_FIELDS) {
            return NewDocument::from_json_value(&Value::Object(known));
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| Error::invalid(format!("not a JSON object: {e}")))?;
        NewDocument::from_json_value(&v)
    }

    /// Like [`NewDocument::from_json`], on a parsed value.
    pub fn from_json_value(v: &Value) -> Result<NewDocument> {
        if !v.is_object() {
            return Err(Error::invalid(
                "expected a JSON object with \"id\" and \"text\"",
            ));
        }
        let id = match v.get("id") {
            Some(id) => json_id(id)?,
            None => return Err(Error::invalid("missing string field \"id\"")),
        };
        let text = match v.get("text") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                return Err(Error::invalid(format!(
                    "document {id:?}: missing string field \"text\""
                )))
            }
        };
        let kind = match opt_str(v, &["kind"])? {
            Some(k) => k
                .parse()
                .map_err(|e| Error::invalid(format!("document {id:?}: {e}")))?,
            None => DocumentKind::Article,
        };
        let doc = NewDocument {
            id,
            text,
            title: opt_str(v, &["title"])?,
            outlet: opt_str(v, &["outlet", "publisher", "source"])?,
            url: opt_str(v, &["url"])?,
            date: opt_str(v, &["date", "published"])?,
            kind,
            transcript_format: opt_str(v, &["transcript_format", "format"])?,
            setting: opt_str(v, &["setting"])?,
            origin: None,
        };
        doc.transcript_options()
            .map_err(|e| Error::invalid(format!("document {:?}: {e}", doc.id)))?;
        Ok(doc)
    }

    /// A transcript's format and setting override, checked (`None`s for an article).
    pub fn transcript_options(&self) -> Result<(Option<Format>, Option<verbatim::Setting>)> {
        if self.kind != DocumentKind::Transcript {
            return Ok((None, None));
        }
        let format = match self
            .transcript_format
            .as_deref()
            .filter(|f| !f.trim().is_empty())
        {
            Some(f) => Some(f.parse::<Format>().map_err(Error::invalid)?),
            None => None,
        };
        let setting = match self.setting.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => Some(transcript::parse_setting(s).ok_or_else(|| {
                Error::invalid(format!(
                    "unknown setting {s:?} (overheard, statement, interview, social_media, \
                     on_record)"
                ))
            })?),
            None => None,
        };
        Ok((format, setting))
    }
}

/// How to ingest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestOptions {
    /// Extraction threads; 0 means one per core (at most [`MAX_JOBS`]).
    pub jobs: usize,
    /// Documents per transaction. Larger batches cost less per document (each commit writes
    /// every page the batch dirtied and flushes the full-text index once) but hold the write
    /// lock longer and redo more after a crash.
    pub batch_size: usize,
    /// A transaction open this long is committed at the next document whatever its size, so
    /// that other writers (a server's `POST`, another ingest), which give up after
    /// [`crate::BUSY_TIMEOUT`], get their turn even when documents are long.
    pub batch_time: Duration,
}

/// The default [`IngestOptions::batch_size`]: about a second of news articles on two cores.
/// Against 200, the writer measured 12% less CPU on a new bank, and the whole ingest 40% faster
/// on a bank of a million quotes (each commit writes every page the batch dirtied, and the
/// same-remark keys dirty pages all over their index).
pub const DEFAULT_BATCH: usize = 1000;

/// The default [`IngestOptions::batch_time`].
pub const DEFAULT_BATCH_TIME: Duration = Duration::from_secs(2);

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            jobs: 0,
            batch_size: DEFAULT_BATCH,
            batch_time: DEFAULT_BATCH_TIME,
        }
    }
}

/// Where an ingest run is, reported after each commit, between commits about every quarter
/// of a second, and at the end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IngestProgress {
    /// Documents taken from the input and processed (written, unchanged or rejected).
    pub done: usize,
    /// Of which written (new or replaced) and committed.
    pub written: usize,
    /// Of which unchanged (already stored).
    pub unchanged: usize,
    /// Of which rejected.
    pub rejected: usize,
    /// Quotes added so far.
    pub quotes: usize,
    /// Time since the start.
    pub elapsed: Duration,
}

impl IngestProgress {
    /// Documents per second so far.
    pub fn docs_per_sec(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl fmt::Display for IngestProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} documents ({} written, {} unchanged, {} rejected), {} quotes, {:.1} docs/s",
            self.done,
            self.written,
            self.unchanged,
            self.rejected,
            self.quotes,
            self.docs_per_sec()
        )
    }
}

/// A document that was not ingested, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rejected {
    /// Its id (possibly empty: that is one reason).
    pub id: String,
    /// Why.
    pub reason: String,
    /// Where it was read from, when the caller said ([`NewDocument::origin`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// What an ingest run did.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct IngestReport {
    /// Documents read from the input.
    pub seen: usize,
    /// New documents stored.
    pub inserted: usize,
    /// Stored documents whose content changed: quotes replaced.
    pub replaced: usize,
    /// Documents already stored with the same content: nothing done.
    pub unchanged: usize,
    /// Of the replaced and unchanged documents, those whose content was the same but whose
    /// quotes another engine had made (an older Verbatim, other models), so they were
    /// extracted again: replaced when the quotes differ, unchanged (the quotes and their ids
    /// kept) when not.
    pub reextracted: usize,
    /// Documents refused (bad date, empty id, unreadable transcript, …), with the reason.
    pub rejected: Vec<Rejected>,
    /// Problems in documents that were stored all the same: the parts of a transcript that
    /// were skipped or repaired (the reason names the line).
    pub warnings: Vec<Rejected>,
    /// Verifications stored: (article quote, transcript) pairs found in the transcript,
    /// written by this run (including re-verifications of articles the run affected).
    pub verifications: usize,
    /// Quotes added.
    pub quotes_added: usize,
    /// Quotes removed (from replaced documents).
    pub quotes_removed: usize,
    /// Bare-surname quotes linked to a full name at the end of the run.
    pub relinked: usize,
    /// Wall time, seconds.
    pub elapsed_secs: f64,
    /// Worker time spent in extraction and preparation, seconds (summed over workers).
    pub extract_secs: f64,
    /// Writer time spent writing and committing, seconds.
    pub write_secs: f64,
}

impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} documents: {} new, {} replaced, {} unchanged, {} rejected; {} quotes added, \
             {} removed; ",
            self.seen,
            self.inserted,
            self.replaced,
            self.unchanged,
            self.rejected.len(),
            self.quotes_added,
            self.quotes_removed,
        )?;
        if self.reextracted > 0 {
            write!(
                f,
                "{} stored by another engine extracted again; ",
                self.reextracted
            )?;
        }
        if self.verifications > 0 {
            write!(f, "{} verified against transcripts; ", self.verifications)?;
        }
        write!(
            f,
            "{:.1}s ({:.1} docs/s)",
            self.elapsed_secs,
            self.seen as f64 / self.elapsed_secs.max(1e-9)
        )
    }
}

/// What a worker hands the writer.
enum Prepared {
    /// Stored already with this content hash.
    Unchanged {
        id: String,
        hash: String,
    },
    Rejected(Rejected),
    Doc(Box<PreparedDoc>),
}

struct PreparedDoc {
    doc: NewDocument,
    published: Option<String>,
    day: i64,
    hash: String,
    /// What made the quotes (see [`Engines`]).
    engine: String,
    /// A hash of the quotes as stored, so that an engine change that changes nothing keeps
    /// the quotes and their ids.
    digest: String,
    quotes: Vec<QuoteRow>,
    names: DocNames,
    /// The transcript format read (`None` for an article).
    format: Option<Format>,
    /// Parse warnings of a transcript, `line N: …`.
    warnings: Vec<String>,
}

/// A document and, when already extracted, its quotes.
type Job = (NewDocument, Option<Vec<Quote>>);

/// What makes a document's quotes, as stored in `documents.engine`: a document is extracted
/// again when its stored engine differs from this run's.
struct Engines {
    /// For an article: [`Extractor::fingerprint`], or `none` without an extractor.
    article: String,
    /// For a transcript: the parser's code ([`verbatim::BUILD`]).
    transcript: String,
}

/// The engine of quotes the caller gave: they are kept as given whatever the build.
const GIVEN: &str = "given";

impl Engines {
    fn new(extractor: Option<&Extractor>) -> Engines {
        Engines {
            // Without an extractor every article comes with its quotes (`ingest_extracted`), so
            // `none` only names an article stored with no quotes at all.
            article: extractor.map_or_else(|| "none".into(), Extractor::fingerprint),
            transcript: format!("verbatim {} transcript", verbatim::BUILD),
        }
    }

    fn of(&self, kind: DocumentKind, given: bool) -> &str {
        match kind {
            DocumentKind::Transcript => &self.transcript,
            DocumentKind::Article if given => GIVEN,
            DocumentKind::Article => &self.article,
        }
    }
}

/// A hash of a document's quotes as the writer stores them.
fn quotes_digest(rows: &[QuoteRow]) -> String {
    let mut d = FieldsHash::default();
    for r in rows {
        add_quote(
            [
                Some(r.kind),
                Some(&r.text),
                Some(&r.content),
                Some(&r.source),
                Some(&r.cue),
                r.speaker_raw.as_deref(),
                r.addressee.as_deref(),
                Some(r.setting),
                Some(&r.confidence.to_string()),
                Some(if r.turn { "turn" } else { "quote" }),
            ],
            &mut d,
        );
    }
    d.hex()
}

/// [`quotes_digest`] of stored document `num`'s quotes, read back from their rows (which hold
/// every field the digest reads, the confidence as the same `f64`).
fn stored_digest(conn: &Connection, num: i64) -> Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, text, content, source, cue, speaker_raw, addressee, setting, confidence,
             turn
         FROM quotes WHERE doc = ?1 ORDER BY ord",
    )?;
    let mut rows = stmt.query([num])?;
    let mut d = FieldsHash::default();
    while let Some(r) = rows.next()? {
        let text = |k: usize| r.get::<_, Option<String>>(k);
        let turn: Option<i64> = r.get(9)?;
        add_quote(
            [
                text(0)?.as_deref(),
                text(1)?.as_deref(),
                text(2)?.as_deref(),
                text(3)?.as_deref(),
                text(4)?.as_deref(),
                text(5)?.as_deref(),
                text(6)?.as_deref(),
                text(7)?.as_deref(),
                Some(&r.get::<_, f64>(8)?.to_string()),
                Some(if turn == Some(1) { "turn" } else { "quote" }),
            ],
            &mut d,
        );
    }
    Ok(d.hex())
}

/// One quote's fields into a digest: kind, text, content, source, cue, speaker, addressee,
/// setting, confidence, turn or quote.
fn add_quote(fields: [Option<&str>; 10], d: &mut FieldsHash) {
    for f in fields {
        d.add(f);
    }
}

/// Progress callback type: called on the writer thread.
pub type ProgressFn<'a> = &'a mut (dyn FnMut(&IngestProgress) + Send);

fn spans_json(map: &OffsetMap, spans: &[Span]) -> String {
    let mut s = String::from("[");
    for (i, sp) in spans.iter().enumerate() {
        let c = map.char_span(*sp);
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("[{},{}]", c.start, c.end));
    }
    s.push(']');
    s
}

fn valid_spans(text: &str, spans: &[Span]) -> bool {
    spans.iter().all(|s| {
        s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    })
}

/// The hash that decides "unchanged": text and metadata, and for a transcript how it is read.
pub fn content_hash(doc: &NewDocument, published: Option<&str>) -> String {
    let mut fields = vec![
        Some(doc.text.as_str()),
        doc.title.as_deref(),
        doc.outlet.as_deref(),
        doc.url.as_deref(),
        published,
    ];
    // Only transcripts hash more, so that every article stored before transcripts existed
    // keeps its hash (and re-ingesting it stays a no-op).
    if let Ok((format, setting)) = doc.transcript_options() {
        if doc.kind == DocumentKind::Transcript {
            fields.extend([
                Some(DocumentKind::Transcript.as_str()),
                format.map(Format::as_str),
                setting.map(verbatim::Setting::as_str),
            ]);
        }
    }
    fields_hex(&fields)
}

fn prepare(
    job: Job,
    extractor: Option<&Extractor>,
    engines: &Engines,
    words: &mut WordCache,
    check: Option<&Connection>,
) -> Prepared {
    let (doc, given) = job;
    let engine = engines.of(doc.kind, given.is_some());
    let reject = |doc: &NewDocument, reason: String| {
        Prepared::Rejected(Rejected {
            id: doc.id.clone(),
            reason,
            origin: doc.origin.clone(),
        })
    };
    if doc.id.trim().is_empty() {
        return reject(&doc, "empty document id".into());
    }
    let (published, day) = match doc.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => (None, 0),
        Some(d) => match Date::parse(d) {
            Ok(date) => (Some(date.iso()), date.day_number()),
            Err(e) => return reject(&doc, e.to_string()),
        },
    };
    let (format, setting) = match doc.transcript_options() {
        Ok(o) => o,
        Err(e) => return reject(&doc, e.to_string()),
    };
    let hash = content_hash(&doc, published.as_deref());
    if let Some(conn) = check {
        let stored: Option<(String, Option<String>)> = conn
            .prepare_cached("SELECT content_hash, engine FROM documents WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([&doc.id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .unwrap_or(None);
        if let Some((h, e)) = stored {
            // (Given quotes go on to the writer, which compares them with the stored ones.)
            if h == hash && e.as_deref() == Some(engine) && engine != GIVEN {
                return Prepared::Unchanged { id: doc.id, hash };
            }
        }
    }
    let mut warnings = Vec::new();
    let mut read_format = None;
    let quotes = if doc.kind == DocumentKind::Transcript {
        // The file's structure says who spoke: parsed, never extracted (given quotes too).
        let mut t = match transcript::parse(&doc.text, format) {
            Ok(t) => t,
            Err(e) => return reject(&doc, format!("unreadable transcript: {e}")),
        };
        if setting.is_some() {
            t.setting = setting;
        }
        warnings = t.warnings.iter().map(ToString::to_string).collect();
        read_format = Some(t.format);
        transcript::to_quotes(&t)
    } else {
        match (given, extractor) {
            (Some(q), _) => q,
            (None, Some(ex)) => ex.extract_with(&doc.text, words),
            (None, None) => Vec::new(),
        }
    };
    let map = OffsetMap::new(&doc.text);
    let mut rows = Vec::with_capacity(quotes.len());
    for q in &quotes {
        if !valid_spans(&doc.text, &q.content)
            || !valid_spans(&doc.text, &q.source)
            || !valid_spans(&doc.text, &q.cue)
        {
            return reject(
                &doc,
                "a quote span is outside the text or splits a character".into(),
            );
        }
        if q.content.is_empty() {
            continue;
        }
        let text = q
            .content
            .iter()
            .map(|s| s.slice(&doc.text))
            .collect::<Vec<_>>()
            .join(" … ");
        let fp = Fingerprint::of(&text);
        let mut name = q.speaker.as_deref().and_then(parse_name);
        if let (Some(n), Some(src)) = (name.as_mut(), q.source.first()) {
            n.role = n
                .role
                .take()
                .or_else(|| title_of_source(src.slice(&doc.text), n));
        }
        let raw_key = match (&name, &q.speaker) {
            (None, Some(raw)) => Some(plain_key(raw)),
            _ => None,
        };
        rows.push(QuoteRow {
            kind: q.kind.as_str(),
            content: spans_json(&map, &q.content),
            source: spans_json(&map, &q.source),
            cue: spans_json(&map, &q.cue),
            speaker_raw: q.speaker.clone(),
            name,
            raw_key,
            addressee: q.addressee.clone(),
            setting: q.setting.as_str(),
            confidence: f64::from(q.confidence),
            fp,
            text,
            turn: doc.kind == DocumentKind::Transcript,
        });
    }
    let names = DocNames::scan(
        &doc.text,
        rows.iter().filter_map(|r| r.speaker_raw.as_deref()),
    );
    Prepared::Doc(Box::new(PreparedDoc {
        engine: engine.to_owned(),
        digest: quotes_digest(&rows),
        doc,
        published,
        day,
        hash,
        quotes: rows,
        names,
        format: read_format,
        warnings,
    }))
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Lower this extraction thread's scheduling priority a little (its nice value + 5, at most
/// 19, on Linux; nothing elsewhere). The writer is one thread and the extraction threads one
/// per core: with equal shares the scheduler gives the writer two thirds of a core on two
/// cores, and it, not the CPU, limits the ingest. Favoured, it takes the core it needs and
/// extraction has the rest. Relative to the thread's own value (which it inherits from the
/// thread that started the ingest), so a process already running niced keeps the order.
fn yield_to_writer() {
    #[cfg(target_os = "linux")]
    // SAFETY: nice only reads its integer argument; on Linux it changes the calling thread's
    // value (the nice value is per thread), and an increase needs no privilege.
    unsafe {
        libc::nice(5);
    }
}

fn worker(
    rx: Arc<Mutex<Receiver<(usize, Job)>>>,
    tx: Sender<(usize, Prepared, f64)>,
    extractor: Option<&Extractor>,
    engines: &Engines,
    path: &Path,
) {
    let check = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok();
    if let Some(c) = &check {
        let _ = c.busy_handler(Some(crate::wait_for_lock));
        c.set_prepared_statement_cache_capacity(8);
    }
    let mut words = WordCache::new();
    yield_to_writer();
    loop {
        let msg = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        let Ok((seq, job)) = msg else { return };
        let (id, origin) = (job.0.id.clone(), job.0.origin.clone());
        let t0 = Instant::now();
        let out = panic::catch_unwind(AssertUnwindSafe(|| {
            prepare(job, extractor, engines, &mut words, check.as_ref())
        }))
        .unwrap_or_else(|p| {
            Prepared::Rejected(Rejected {
                id,
                reason: format!(
                    "extraction failed: {} (a bug: please report it)",
                    panic_text(&*p)
                ),
                origin,
            })
        });
        if tx.send((seq, out, t0.elapsed().as_secs_f64())).is_err() {
            return;
        }
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Write one prepared document inside the open transaction.
fn write_doc(
    conn: &Connection,
    st: &mut State,
    d: &PreparedDoc,
    rep: &mut IngestReport,
) -> Result<bool> {
    type Stored = (i64, String, Option<String>, Option<String>);
    let existing: Option<Stored> = conn
        .prepare_cached(
            "SELECT num, content_hash, engine, quotes_digest FROM documents WHERE id = ?1",
        )?
        .query_row([&d.doc.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let num =
        match existing {
            Some((num, h, engine, digest)) => {
                let same_engine = engine.as_deref() == Some(d.engine.as_str());
                // Quotes the caller gave are compared, not trusted by their engine: new ones replace.
                if h == d.hash && same_engine && d.engine != GIVEN {
                    rep.unchanged += 1;
                    return Ok(false);
                }
                // A row stored before version 10 has no digest: made from its quotes.
                let stored = match digest {
                    Some(x) => x,
                    None => stored_digest(conn, num)?,
                };
                let same_quotes = stored == d.digest;
                // Extracted again by another engine (an older build, other models).
                rep.reextracted += usize::from(!same_engine);
                if h == d.hash && same_quotes {
                    // The same quotes: they keep their ids; the engine is recorded, and they are
                    // verified again (the verification is part of the engine too).
                    if !same_engine {
                        conn.prepare_cached(
                            "UPDATE documents SET engine = ?2, quotes_digest = ?3 WHERE num = ?1",
                        )?
                        .execute(params![num, d.engine, d.digest])?;
                        st.written(num, d.doc.kind);
                    }
                    rep.unchanged += 1;
                    return Ok(false);
                }
                if h != d.hash && same_quotes && same_but_title_or_url(conn, num, d)? {
                    // The quotes, their ids (links to them) and clusters stay: nothing they depend
                    // on changed.
                    conn.prepare_cached(
                        "UPDATE documents SET title = ?2, url = ?3, content_hash = ?4,
                         ingested_at = ?5, engine = ?6, quotes_digest = ?7
                     WHERE num = ?1",
                    )?
                    .execute(params![
                        num,
                        d.doc.title,
                        d.doc.url,
                        d.hash,
                        now_secs(),
                        d.engine,
                        d.digest
                    ])?;
                    rep.replaced += 1;
                    return Ok(true);
                }
                replace_doc(conn, st, num, d, rep)?;
                num
            }
            None => {
                with_doc_values(d, |values| {
                    conn.prepare_cached(
                    "INSERT INTO documents (id, title, outlet, url, published, text, content_hash,
                         ingested_at, kind, transcript_format, engine, quotes_digest)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params_from_iter(once(&d.doc.id as &dyn ToSql).chain(values)))
                })?;
                rep.inserted += 1;
                conn.last_insert_rowid()
            }
        };
    store::record_roles(conn, st, &d.names)?;
    rep.quotes_added += store::insert_quotes(
        conn,
        st,
        num,
        d.day,
        d.doc.outlet.as_deref(),
        d.published.as_deref(),
        &d.quotes,
        &d.names,
    )?;
    rep.warnings.extend(d.warnings.iter().map(|w| Rejected {
        id: d.doc.id.clone(),
        reason: w.clone(),
        origin: d.doc.origin.clone(),
    }));
    st.written(num, d.doc.kind);
    Ok(true)
}

/// Remove stored document `num`'s quotes and write `d` over its row (the quotes follow).
fn replace_doc(
    conn: &Connection,
    st: &mut State,
    num: i64,
    d: &PreparedDoc,
    rep: &mut IngestReport,
) -> Result<()> {
    rep.quotes_removed += store::remove_quotes(conn, st, num)?;
    with_doc_values(d, |values| {
        conn.prepare_cached(
            "UPDATE documents SET title = ?2, outlet = ?3, url = ?4, published = ?5, text = ?6,
                 content_hash = ?7, ingested_at = ?8, kind = ?9, transcript_format = ?10,
                 engine = ?11, quotes_digest = ?12
             WHERE num = ?1",
        )?
        .execute(params_from_iter(once(&num as &dyn ToSql).chain(values)))
    })?;
    rep.replaced += 1;
    Ok(())
}

/// Call `f` with the values of `d`'s row after its key, in the order of the `?2` … `?12` of
/// the INSERT in [`write_doc`] and the UPDATE in [`replace_doc`].
fn with_doc_values<T>(d: &PreparedDoc, f: impl FnOnce([&dyn ToSql; 11]) -> T) -> T {
    let (now, kind, format) = (
        now_secs(),
        d.doc.kind.as_str(),
        d.format.map(Format::as_str),
    );
    f([
        &d.doc.title,
        &d.doc.outlet,
        &d.doc.url,
        &d.published,
        &d.doc.text,
        &d.hash,
        &now,
        &kind,
        &format,
        &d.engine,
        &d.digest,
    ])
}

/// Whether stored article `num` differs from `d` in its title or URL only. (A transcript's
/// setting is hashed but not stored: a changed transcript is always made again.)
fn same_but_title_or_url(conn: &Connection, num: i64, d: &PreparedDoc) -> Result<bool> {
    if d.doc.kind != DocumentKind::Article {
        return Ok(false);
    }
    type Row = (
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
    );
    let (text, outlet, published, kind, format): Row = conn
        .prepare_cached(
            "SELECT text, outlet, published, kind, transcript_format FROM documents WHERE num = ?1",
        )?
        .query_row([num], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    Ok(text == d.doc.text
        && outlet == d.doc.outlet
        && published == d.published
        && kind == d.doc.kind.as_str()
        && format.as_deref() == d.format.map(Format::as_str))
}

struct Writer<'c, 'p> {
    conn: &'c mut Connection,
    opts: IngestOptions,
    progress: Option<ProgressFn<'p>>,
    start: Instant,
}

/// How often an ingest reports its progress between commits (a batch lasts a second or two).
const REPORT_EVERY: Duration = Duration::from_millis(250);

/// The most documents in flight, unless there are more than 64 workers.
const WINDOW: usize = 512;

/// The writer's pause after each commit in the middle of an ingest, for other writers.
const TURN: Duration = Duration::from_millis(2);

/// Take the write lock and catch up with whatever other writers committed meanwhile.
fn begin(conn: &Connection, st: &mut State) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    st.resync(conn)
}

/// Verify what the batch touched, write the counters, commit.
fn commit(conn: &Connection, st: &mut State, rep: &mut IngestReport) -> Result<()> {
    rep.verifications += crate::verification::settle(conn, st)?;
    st.flush(conn)?;
    conn.execute_batch("COMMIT")?;
    Ok(())
}

/// The documents of this run the bank holds (written, or found unchanged), by id, with their
/// content hashes (both hashed: about 50 bytes a document), so that a second document given
/// the same id is not stored over the first. Documents refused (a bad date, say) are not
/// held: a corrected copy later in the run is taken.
#[derive(Default)]
struct Taken(HashMap<u128, u64>);

impl Taken {
    /// What to do with `p` given the documents taken before it: as it is, or, for a document
    /// whose id was taken, unchanged (the same content) or refused (other content).
    fn check(&mut self, p: Prepared) -> Prepared {
        let (id, hash, origin) = match &p {
            Prepared::Unchanged { id, hash } => (id, hash, None),
            Prepared::Doc(d) => (&d.doc.id, &d.hash, d.doc.origin.as_ref()),
            Prepared::Rejected(_) => return p,
        };
        let id_bytes = id.as_bytes();
        let key = (hash64(id_bytes, 4) as u128) << 64 | hash64(id_bytes, 5) as u128;
        let content = hash64(hash.as_bytes(), 6);
        match self.0.entry(key) {
            Entry::Vacant(e) => {
                e.insert(content);
                p
            }
            Entry::Occupied(e) if *e.get() == content => Prepared::Unchanged {
                id: id.clone(),
                hash: hash.clone(),
            },
            Entry::Occupied(_) => Prepared::Rejected(Rejected {
                id: id.clone(),
                reason: "an earlier document of this ingest has the same id and other \
                         content; only the first is taken (give each document its own id)"
                    .into(),
                origin: origin.cloned(),
            }),
        }
    }
}

impl Writer<'_, '_> {
    fn run(
        mut self,
        results: Receiver<(usize, Prepared, f64)>,
        permits: Sender<()>,
    ) -> Result<IngestReport> {
        let out = self.write(results, permits);
        if out.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        out
    }

    fn write(
        &mut self,
        results: Receiver<(usize, Prepared, f64)>,
        permits: Sender<()>,
    ) -> Result<IngestReport> {
        let conn: &Connection = self.conn;
        let start = self.start;
        let batch_size = self.opts.batch_size;
        let batch_time = self.opts.batch_time;
        let mut tx_start = Instant::now();
        let progress = &mut self.progress;
        // Documents written as of the last commit: what `IngestProgress::written` reports.
        let mut committed = 0usize;
        let mut last_report = Instant::now();
        // After a commit, always; between commits, once REPORT_EVERY has passed.
        let mut report = |rep: &IngestReport, after_commit: bool| {
            if after_commit {
                committed = rep.inserted + rep.replaced;
            } else if last_report.elapsed() < REPORT_EVERY {
                return;
            }
            last_report = Instant::now();
            if let Some(p) = progress.as_mut() {
                p(&IngestProgress {
                    done: rep.seen,
                    written: committed,
                    unchanged: rep.unchanged,
                    rejected: rep.rejected.len(),
                    quotes: rep.quotes_added,
                    elapsed: start.elapsed(),
                });
            }
        };
        let mut rep = IngestReport::default();
        let mut st = State::load(conn)?;
        let mut taken = Taken::default();
        let mut pending: BTreeMap<usize, Prepared> = BTreeMap::new();
        let mut next = 0usize;
        let mut in_tx = 0usize;
        let mut busy = Duration::ZERO;
        let mut closed = false;
        // The write lock is taken only when there is something to write (and for the final
        // relinking) and given back at each commit, so other writers (a server's POST,
        // another ingest) get their turn between batches and while this one waits for input.
        let mut open = false;
        loop {
            // Apply everything that is ready, in input order.
            while let Some(p) = pending.remove(&next) {
                let t0 = Instant::now();
                next += 1;
                rep.seen += 1;
                match taken.check(p) {
                    Prepared::Unchanged { .. } => rep.unchanged += 1,
                    Prepared::Rejected(r) => rep.rejected.push(r),
                    Prepared::Doc(d) => {
                        if !open {
                            begin(conn, &mut st)?;
                            open = true;
                            tx_start = Instant::now();
                        }
                        write_doc(conn, &mut st, &d, &mut rep)?;
                    }
                }
                in_tx += 1;
                let _ = permits.send(());
                if in_tx >= batch_size || open && tx_start.elapsed() >= batch_time {
                    if open {
                        commit(conn, &mut st, &mut rep)?;
                        open = false;
                        // Another writer waiting for the lock (it tries every millisecond,
                        // see `wait_for_lock`) gets its turn now rather than after the ingest.
                        thread::sleep(TURN);
                    }
                    in_tx = 0;
                    busy += t0.elapsed();
                    report(&rep, true);
                } else {
                    busy += t0.elapsed();
                    report(&rep, false);
                }
            }
            if closed {
                break;
            }
            match results.recv_timeout(Duration::from_millis(500)) {
                Ok((seq, p, secs)) => {
                    rep.extract_secs += secs;
                    pending.insert(seq, p);
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Slow input: commit what we have.
                    if in_tx > 0 {
                        let t0 = Instant::now();
                        if open {
                            commit(conn, &mut st, &mut rep)?;
                            open = false;
                        }
                        in_tx = 0;
                        busy += t0.elapsed();
                        report(&rep, true);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => closed = true,
            }
        }
        if !pending.is_empty() {
            return Err(Error::Worker(format!(
                "{} documents were never written (a worker stopped early)",
                pending.len()
            )));
        }
        let t0 = Instant::now();
        if !open {
            begin(conn, &mut st)?;
        }
        rep.relinked = store::relink_pending(conn, &mut st)?;
        commit(conn, &mut st, &mut rep)?;
        busy += t0.elapsed();
        rep.write_secs = busy.as_secs_f64();
        rep.elapsed_secs = start.elapsed().as_secs_f64();
        report(&rep, true);
        Ok(rep)
    }
}

/// The most extraction threads an ingest starts, whatever it is asked for: each keeps a word
/// cache and a window of documents, and thousands of them only exhaust memory.
pub const MAX_JOBS: usize = 1024;

/// Threads for `jobs` (0 = one per core).
fn job_count(jobs: usize) -> usize {
    if jobs > 0 {
        jobs.min(MAX_JOBS)
    } else {
        thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }
}

pub(crate) fn run<I>(
    bank: &mut Bank,
    extractor: Option<&Extractor>,
    items: I,
    opts: &IngestOptions,
    progress: Option<ProgressFn<'_>>,
) -> Result<IngestReport>
where
    I: Iterator<Item = Job>,
{
    bank.check_writable()?;
    let start = Instant::now();
    let jobs = job_count(opts.jobs);
    let opts = IngestOptions {
        jobs,
        batch_size: opts.batch_size.max(1),
        batch_time: opts.batch_time,
    };
    // Documents in flight (read, being extracted, or waiting for their turn to be written):
    // enough to keep the workers busy while the writer commits, few enough to bound memory
    // whatever the batch size.
    let window = (opts.batch_size * 2).clamp(jobs * 8, WINDOW.max(jobs * 8));
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Job)>(jobs * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (res_tx, res_rx) = mpsc::channel();
    let (permit_tx, permit_rx) = mpsc::channel::<()>();
    for _ in 0..window {
        let _ = permit_tx.send(());
    }
    let path = bank.path.clone();
    let engines = Engines::new(extractor);
    let conn = &mut bank.conn;
    thread::scope(|s| {
        let mut workers = Vec::new();
        for i in 0..jobs {
            let rx = Arc::clone(&work_rx);
            let tx = res_tx.clone();
            let (path, engines) = (&path, &engines);
            let h = thread::Builder::new()
                .name(format!("verbatim-ingest-{i}"))
                .stack_size(8 << 20)
                .spawn_scoped(s, move || worker(rx, tx, extractor, engines, path))
                .map_err(|e| Error::Worker(format!("cannot start a thread: {e}")))?;
            workers.push(h);
        }
        drop(res_tx);
        drop(work_rx);
        let writer = Writer {
            conn,
            opts: opts.clone(),
            progress,
            start,
        };
        let w = thread::Builder::new()
            .name("verbatim-writer".into())
            .spawn_scoped(s, move || writer.run(res_rx, permit_tx))
            .map_err(|e| Error::Worker(format!("cannot start a thread: {e}")))?;
        for (seq, job) in items.enumerate() {
            if permit_rx.recv().is_err() || work_tx.send((seq, job)).is_err() {
                break; // the writer stopped (an error): it says why below
            }
        }
        drop(work_tx);
        let result = w
            .join()
            .unwrap_or_else(|p| Err(Error::Worker(panic_text(&*p))));
        for h in workers {
            let _ = h.join();
        }
        result
    })
}

#[cfg(test)]
mod json_tests {
    use super::*;

    /// What the full parse gives (the reference the field-only parse must match).
    fn full(line: &str) -> std::result::Result<NewDocument, String> {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| Error::invalid(format!("not a JSON object: {e}")).to_string())?;
        NewDocument::from_json_value(&v).map_err(|e| e.to_string())
    }

    #[test]
    fn numeric_ids_are_whole_64_bit_numbers() {
        let id = |line: &str| NewDocument::from_json(line).map(|d| d.id);
        assert_eq!(id(r#"{"id": 7, "text": "t"}"#).unwrap(), "7");
        assert_eq!(
            id(r#"{"id": 18446744073709551615, "text": "t"}"#).unwrap(),
            "18446744073709551615"
        );
        assert_eq!(id(r#"{"id": -3, "text": "t"}"#).unwrap(), "-3");
        for bad in ["1e3", "1.5", "123456789012345678901234567891"] {
            let e = id(&format!(r#"{{"id": {bad}, "text": "t"}}"#)).unwrap_err();
            assert!(
                e.to_string().contains("give the id as a string"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn reading_only_the_known_fields_changes_nothing() {
        let lines = [
            r#"{"id": "a", "text": "He said so.", "quotes": [{"source": [1, 2], "x": {"y": null}}]}"#,
            r#"{"id": 7, "text": "t", "publisher": "bbc", "date": "2012-03-26", "title": null}"#,
            r#"{"id": "a", "text": "t", "outlet": "  ", "source": "cnn", "published": "2012"}"#,
            r#"{"id": "a", "id": "b", "text": "t"}"#,
            r#"{"id": "a", "text": "t", "title": 3}"#,
            r#"{"id": null, "text": "t"}"#,
            r#"{"text": "t"}"#,
            r#"{"id": "a", "text": ["t"]}"#,
            r#"{"id": "t1", "text": "A: hi", "kind": "transcript", "format": "labelled", "setting": "overheard"}"#,
            r#"{"id": "t1", "text": "A: hi", "kind": "transcript", "setting": "whispered"}"#,
            r#"{"id": "a", "text": "t", "kind": "poem"}"#,
            r#"[1, 2]"#,
            r#"["a", "t", null, null, null, null, null, null, null, null, null, null, null]"#,
            r#"{"id": "a", "text": "t""#,
            r#"{"id": "a", "text": "t"} trailing"#,
        ];
        // What a full parse refuses in a field nobody reads is still refused.
        let deep = format!(
            "{{\"id\": \"a\", \"text\": \"t\", \"x\": {}1{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let refused = [
            r#"{"id": "a", "text": "t", "x": "\udc00\ud800"}"#,
            r#"{"id": "a", "text": "t", "x": 1e400}"#,
            r#"{"id": "a", "text": "t", "x": {"y": [-1e999]}}"#,
            r#"{"id": "a", "text": "t", "\ud800": 1}"#,
            deep.as_str(),
        ];
        for line in lines.iter().chain(&refused) {
            let got = NewDocument::from_json(line).map_err(|e| e.to_string());
            assert_eq!(got, full(line), "{line}");
        }
        for line in refused {
            assert!(NewDocument::from_json(line).is_err(), "{line}");
        }
        assert_eq!(
            NewDocument::from_json(lines[0]).unwrap().text,
            "He said so."
        );
        assert_eq!(NewDocument::from_json(lines[1]).unwrap().id, "7");
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::yield_to_writer;

    fn nice() -> i32 {
        // SAFETY: getpriority only reads its integer arguments. (-1 is also a valid value,
        // but not one this test process runs at.)
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[test]
    fn an_extraction_thread_lowers_its_own_priority_only() {
        let before = nice();
        let inside = std::thread::spawn(|| {
            yield_to_writer();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(inside, (before + 5).min(19));
        assert_eq!(
            nice(),
            before,
            "the calling thread's priority must not change"
        );
    }
}
