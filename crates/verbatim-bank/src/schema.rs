//! The database schema and its migrations. `SCHEMA.md` beside `Cargo.toml` explains every
//! table; this file is the source of truth.
//!
//! The schema version lives in `schema_version` (one row). Opening a file:
//!
//! * empty file (no tables), or `schema_version` = 0 → every migration is applied;
//! * version < [`CURRENT`] → the missing migrations are applied, in one transaction;
//! * version = [`CURRENT`] → nothing to do;
//! * version > [`CURRENT`] → [`Error::NewerSchema`], naming both versions;
//! * tables but no `schema_version` → [`Error::NotABank`].

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;

/// The schema version this build writes.
pub const CURRENT: i64 = 10;

/// Version 1: documents, quotes (with full-text index), speakers, aliases, clusters and the
/// clustering key index.
pub const V1: &str = r#"
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE documents (
    num          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    title        TEXT,
    outlet       TEXT,
    url          TEXT,
    published    TEXT,
    text         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at  INTEGER NOT NULL
);
CREATE INDEX documents_outlet ON documents(outlet);
CREATE TABLE speakers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    surname     TEXT NOT NULL,
    first       TEXT,
    partial     INTEGER NOT NULL DEFAULT 0,
    external_id TEXT,
    quote_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX speakers_surname ON speakers(surname, partial);
CREATE INDEX speakers_first ON speakers(first);
CREATE INDEX speakers_count ON speakers(quote_count);
CREATE TABLE aliases (
    key        TEXT PRIMARY KEY,
    alias      TEXT NOT NULL,
    speaker_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE clusters (
    id         INTEGER PRIMARY KEY,
    speaker_id INTEGER,
    first_seen TEXT,
    size       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE quotes (
    id           INTEGER PRIMARY KEY,
    doc          INTEGER NOT NULL,
    ord          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    content      TEXT NOT NULL,
    source       TEXT NOT NULL,
    cue          TEXT NOT NULL,
    speaker_raw  TEXT,
    speaker_key  TEXT,
    speaker_id   INTEGER,
    speaker_link TEXT,
    addressee    TEXT,
    setting      TEXT,
    confidence   REAL NOT NULL,
    cluster_id   INTEGER,
    is_head      INTEGER NOT NULL DEFAULT 0,
    outlet       TEXT,
    published    TEXT
);
CREATE INDEX quotes_doc ON quotes(doc);
CREATE INDEX quotes_speaker ON quotes(speaker_id, id);
CREATE INDEX quotes_speaker_key ON quotes(speaker_key);
CREATE INDEX quotes_cluster ON quotes(cluster_id);
CREATE INDEX quotes_pending ON quotes(speaker_key) WHERE speaker_link = 'pending';
CREATE TABLE cluster_keys (
    key      INTEGER NOT NULL,
    quote_id INTEGER NOT NULL,
    PRIMARY KEY (key, quote_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE quotes_fts USING fts5(
    text, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE quotes_vocab USING fts5vocab(quotes_fts, 'row');
"#;

/// Version 2: the addressee linked to a speaker entity (room for issue 4), and per-speaker
/// quote counts by outlet and month, kept up to date at ingest (filled here from existing
/// quotes).
pub const V2: &str = r#"
ALTER TABLE quotes ADD COLUMN addressee_id INTEGER;
CREATE TABLE speaker_stats (
    speaker_id INTEGER NOT NULL,
    outlet     TEXT NOT NULL,
    month      TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, outlet, month)
) WITHOUT ROWID;
INSERT INTO speaker_stats (speaker_id, outlet, month, n)
    SELECT speaker_id, coalesce(outlet, ''), coalesce(substr(published, 1, 7), ''), count(*)
    FROM quotes WHERE speaker_id IS NOT NULL GROUP BY 1, 2, 3;
"#;

/// Version 3: transcripts as documents (`documents.kind`, `documents.transcript_format`, their
/// turns marked `quotes.turn = 1` and indexed by cluster, so that finding the transcripts
/// sharing an article's remarks never walks a large cluster), and the verifications of article
/// quotes against stored transcripts. Existing documents are
/// articles; no verification exists until something is ingested. Also `quotes_terms`, a
/// snapshot of the full-text index's per-word quote counts for query planning (reading them
/// from `quotes_vocab` walks a word's whole match list: 50 ms for "the" at a million quotes),
/// taken here and refreshed by `Bank::optimize`.
pub const V3: &str = r#"
ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'article';
ALTER TABLE documents ADD COLUMN transcript_format TEXT;
CREATE INDEX documents_kind ON documents(kind, published);
ALTER TABLE quotes ADD COLUMN turn INTEGER;
CREATE INDEX quotes_turns ON quotes(cluster_id, doc) WHERE turn = 1;
CREATE TABLE verifications (
    quote_id           INTEGER NOT NULL,
    transcript         INTEGER NOT NULL,
    verdict            TEXT NOT NULL,
    diff               TEXT NOT NULL,
    score              REAL NOT NULL,
    speaker_matches    INTEGER,
    transcript_speaker TEXT,
    turn_quote_id      INTEGER,
    said_start         INTEGER,
    said_end           INTEGER,
    computed_at        INTEGER NOT NULL,
    PRIMARY KEY (quote_id, transcript)
) WITHOUT ROWID;
CREATE INDEX verifications_transcript ON verifications(transcript);
CREATE INDEX verifications_turn ON verifications(turn_quote_id);
CREATE TABLE quotes_terms (term TEXT PRIMARY KEY, doc INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO quotes_terms (term, doc) SELECT term, doc FROM quotes_vocab;
"#;

/// Version 4: `quotes_speaker_raw (speaker_id, speaker_raw)`, a covering index for a speaker's
/// spellings (`Bank::speaker`): counting them read every quote row of the speaker (250 ms for
/// the most quoted speaker of the million-quote benchmark bank), the index alone answers it
/// (about 35 ms). Built from existing quotes when upgrading.
pub const V4: &str = r#"
CREATE INDEX quotes_speaker_raw ON quotes(speaker_id, speaker_raw);
"#;

/// Version 5: a speaker's quotes by outlet (`speaker_outlets`), by month (`speaker_months`)
/// and by spelling (`speaker_spellings`, from `speaker_raw`), kept up to date at each commit
/// like `speaker_stats` (the same deltas, and the same recount when quotes are relinked). The
/// speaker list and a speaker's page show them: summing the outlet × month rows at each
/// request read up to ~4,800 rows per speaker (3 ms per speaker at a million quotes, 37 ms for
/// the page's top 12), and counting the spellings walked one index entry per quote (35 ms for
/// the most quoted speaker). Filled here from `speaker_stats` and the quotes.
pub const V5: &str = r#"
CREATE TABLE speaker_outlets (
    speaker_id INTEGER NOT NULL,
    outlet     TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, outlet)
) WITHOUT ROWID;
CREATE TABLE speaker_months (
    speaker_id INTEGER NOT NULL,
    month      TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, month)
) WITHOUT ROWID;
INSERT INTO speaker_outlets (speaker_id, outlet, n)
    SELECT speaker_id, outlet, sum(n) FROM speaker_stats GROUP BY 1, 2;
INSERT INTO speaker_months (speaker_id, month, n)
    SELECT speaker_id, month, sum(n) FROM speaker_stats GROUP BY 1, 2;
CREATE TABLE speaker_spellings (
    speaker_id INTEGER NOT NULL,
    spelling   TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, spelling)
) WITHOUT ROWID;
INSERT INTO speaker_spellings (speaker_id, spelling, n)
    SELECT speaker_id, coalesce(speaker_raw, ''), count(*) FROM quotes
    WHERE speaker_id IS NOT NULL GROUP BY 1, 2;
"#;

/// Version 6: `quotes_nonplain`, the quotes whose text has a character other than ASCII and
/// common punctuation (curly quotes, en and em dashes, ellipsis, no-break space), kept by
/// triggers. Relevance order takes BM25's counts from the full-text index (`ftscounts`) and
/// must score exactly as the in-memory matcher (`textmatch`) does; the two agree on such plain
/// text, but may not elsewhere (FTS5 keeps a combining accent inside a word, the matcher splits
/// there), so these quotes are still scored from their text. Filled here from the quotes. (The
/// triggers are dropped again by V7: the writer keeps the table.)
pub const V6: &str = r#"
CREATE TABLE quotes_nonplain (id INTEGER PRIMARY KEY);
INSERT INTO quotes_nonplain (id)
    SELECT id FROM quotes WHERE text GLOB '*[^' || char(1) || '-' || char(127)
        || char(8216, 8217, 8220, 8221, 8211, 8212, 8230, 160) || ']*';
CREATE TRIGGER quotes_nonplain_insert AFTER INSERT ON quotes
    WHEN new.text GLOB '*[^' || char(1) || '-' || char(127)
        || char(8216, 8217, 8220, 8221, 8211, 8212, 8230, 160) || ']*'
BEGIN
    INSERT OR IGNORE INTO quotes_nonplain (id) VALUES (new.id);
END;
CREATE TRIGGER quotes_nonplain_delete AFTER DELETE ON quotes BEGIN
    DELETE FROM quotes_nonplain WHERE id = old.id;
END;
"#;

/// Version 7: no triggers on `quotes`. `quotes_nonplain` is kept by the writer
/// (`store::is_nonplain`, same rule as the V6 pattern). A trigger on `quotes` made every quote
/// insert open a statement savepoint, and FTS5 writes its pending index data to disk at each
/// savepoint: one tiny index segment per quote, merged again and again (ingest of 924 PolNeAR
/// articles: 5.1 s of CPU at version 5, 6.9 s at version 6). Also drops `quotes_speaker_raw`,
/// which no query reads since version 5 (`speaker_spellings`) but every quote write kept up.
pub const V7: &str = r#"
DROP TRIGGER IF EXISTS quotes_nonplain_insert;
DROP TRIGGER IF EXISTS quotes_nonplain_delete;
DROP INDEX IF EXISTS quotes_speaker_raw;
"#;

/// Version 8: `name_roles`, the offices documents write before full names ("President
/// Barack Obama" → `barack obama`, `president`), by name key rather than entity so that a
/// name counts as evidence before anyone with it is quoted. A bare surname shared by several
/// entities is linked to the only one holding the office its document gives it ("President
/// Obama"; `store::Link::Role`). Filled when upgrading by scanning the stored documents
/// ([`backfill_roles`]); the aliases are keyed again with the same build's rules, which
/// keep organisations' names whole. (Stored quotes keep their links: `Bank::relink_all_speakers`
/// makes them again.)
pub const V8: &str = r#"
CREATE TABLE name_roles (
    key  TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (key, role)
) WITHOUT ROWID;
"#;

/// Version 9: speaker keys without Latin diacritics ("junot diaz" for "Junot Díaz"), folded
/// in the stored rows by [`crate::store::fold_keys`]; and an index of each cluster's heads
/// (its distinct wordings) by length, from which the clustering guard reads a cluster's
/// longest wording in one seek rather than walking its members.
pub const V9: &str = r#"
CREATE INDEX IF NOT EXISTS quotes_heads ON quotes(cluster_id, length(text)) WHERE is_head = 1;
"#;

/// Version 10: what made each document's quotes (`documents.engine`: an article's
/// [`verbatim::Extractor::fingerprint`], `given` for quotes the caller gave, the transcript
/// parser's build for a transcript) and a hash of them (`documents.quotes_digest`). Re-ingesting
/// a document stored by another engine extracts it again; its quotes keep their ids when they
/// come out the same. NULL in the rows of older banks: their next re-ingest extracts again.
pub const V10: &str = r#"
ALTER TABLE documents ADD COLUMN engine TEXT;
ALTER TABLE documents ADD COLUMN quotes_digest TEXT;
"#;

/// The migrations: `MIGRATIONS[i]` takes a bank from version `i` to `i + 1`.
pub const MIGRATIONS: [&str; CURRENT as usize] = [V1, V2, V3, V4, V5, V6, V7, V8, V9, V10];

/// Fill `name_roles` from the documents already stored, as their ingest would have: each
/// document's text and its quotes' speakers (see [`crate::names::DocNames::scan`]).
fn backfill_roles(conn: &Connection) -> Result<()> {
    let docs: Vec<i64> = conn
        .prepare("SELECT num FROM documents")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = crate::store::State::default();
    for num in docs {
        let names = crate::store::stored_doc_names(conn, num)?;
        crate::store::record_roles(conn, &mut st, &names)?;
    }
    Ok(())
}

fn has_table(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn read_version(conn: &Connection, path: &Path) -> Result<Option<i64>> {
    if !has_table(conn, "schema_version")? {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(Error::NotABank {
                path: path.to_path_buf(),
                reason: format!("it has {tables} tables but no schema_version table"),
            });
        }
        return Ok(None);
    }
    let v: Option<i64> = conn
        .query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(Some(v.unwrap_or(0)))
}

/// The schema version of an open database (`None` for an empty file).
pub fn version(conn: &Connection, path: &Path) -> Result<Option<i64>> {
    read_version(conn, path).map_err(|e| not_sqlite(e, path))
}

/// Map "file is not a database" to [`Error::NotABank`].
pub fn not_sqlite(e: Error, path: &Path) -> Error {
    match e {
        Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Error::NotABank {
                path: path.to_path_buf(),
                reason: "the file is not an SQLite database".into(),
            }
        }
        e => e,
    }
}

/// Bring the schema to [`CURRENT`], or fail if the file is newer or not a bank.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    // Fast path without a write lock.
    if version(conn, path)? == Some(CURRENT) {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| not_sqlite(e.into(), path))?;
    let found = read_version(&tx, path)?;
    let from = found.unwrap_or(0);
    if from > CURRENT {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: from,
            supported: CURRENT,
        });
    }
    if from < 0 {
        return Err(Error::NotABank {
            path: path.to_path_buf(),
            reason: format!("its schema_version is {from}"),
        });
    }
    for sql in &MIGRATIONS[from as usize..] {
        tx.execute_batch(sql)?;
    }
    if (1..8).contains(&from) {
        backfill_roles(&tx)?;
        crate::store::rekey_aliases(&tx)?;
    }
    if (1..9).contains(&from) {
        let mut st = crate::store::State::load(&tx)?;
        crate::store::fold_keys(&tx, &mut st)?;
        st.flush(&tx)?;
    }
    tx.execute("DELETE FROM schema_version", [])?;
    tx.execute(
        "INSERT INTO schema_version (version) VALUES (?1)",
        [CURRENT],
    )?;
    tx.commit()?;
    Ok(())
}

/// Give the bank a random identity (meta key `bank_id`) if it has none, so that what a process
/// keeps about one bank's quotes (their lengths) is never used for another's. No schema change:
/// an older Verbatim ignores the key.
pub fn ensure_bank_id(conn: &Connection) -> Result<()> {
    let has: Option<i64> = conn
        .query_row("SELECT 1 FROM meta WHERE key = 'bank_id'", [], |r| r.get(0))
        .optional()?;
    if has.is_none() {
        let added = conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('bank_id', lower(hex(randomblob(16))))",
            [],
        );
        match added {
            // A file the process may not write is identified by its path instead.
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ReadOnly => {}
            r => {
                r?;
            }
        }
    }
    Ok(())
}
