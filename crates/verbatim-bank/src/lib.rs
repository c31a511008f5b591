//! The quote bank: extracted quotes in an embedded SQLite database, with speakers linked
//! across documents, the same remark clustered across outlets, and full-text search.
//!
//! ```no_run
//! use verbatim_bank::{Bank, IngestOptions, NewDocument, SearchQuery};
//! # fn main() -> verbatim_bank::Result<()> {
//! let mut bank = Bank::open("quotes.db")?;
//! let doc = NewDocument {
//!     outlet: Some("bbc".into()),
//!     date: Some("2012-03-26".into()),
//!     ..NewDocument::new("bbc-1", "\"This is my last election,\" Mr Obama said.")
//! };
//! let report = bank.ingest_documents(vec![doc], &IngestOptions::default(), None)?;
//! eprintln!("{report}");
//! let page = bank.search(&SearchQuery { text: Some("election".into()), ..SearchQuery::default() })?;
//! print!("{}", verbatim_bank::format_hits_table(&page.hits));
//! # Ok(()) }
//! ```
//!
//! Reading order:
//!
//! 1. [`schema`]: the tables (also described in `SCHEMA.md`) and migrations.
//! 2. [`ingest`]: the parallel ingest pipeline and its types.
//! 3. [`names`]: speaker name normalisation and a document's name evidence; the linking rules
//!    are in `store.rs` (`link_speaker`).
//! 4. [`cluster`]: normalisation, fingerprints and similarity for the same remark across
//!    outlets (and why an exact shingle index rather than MinHash LSH).
//! 5. [`verification`]: article quotes verified against stored transcripts (which transcripts
//!    are candidates, and when verification runs).
//! 6. [`query`]: search, speakers, documents, clusters; [`format`]: tables and JSONL.
//!
//! Concurrency: one [`Bank`] is one SQLite connection, used from one thread at a time. Open
//! several (e.g. one per server thread, [`Bank::open_read_only`] for readers); WAL mode lets
//! readers run while an ingest writes. Writers take turns: an ingest holds the write lock only
//! while it writes a batch (from its first changed document to the commit) and pauses 2 ms
//! after each commit, and a waiting connection tries every millisecond, so another writer (a
//! second ingest, a server's POST) waits about a batch's time. One that waits longer than
//! [`BUSY_TIMEOUT`] (a program that holds the lock longer) fails with "database is locked".
//! Quote ids stay unique across writers.

#![warn(missing_docs)]

pub mod cluster;
pub mod dates;
mod error;
pub mod format;
mod ftscounts;
mod hash;
pub mod ingest;
mod lengths;
pub mod names;
pub mod query;
pub mod schema;
mod store;
mod textmatch;
pub mod verification;

pub use error::{Error, Result};
pub use format::{format_hits_table, format_speakers_table, hits_to_jsonl, speakers_to_jsonl};
pub use ingest::{
    DocumentKind, IngestOptions, IngestProgress, IngestReport, NewDocument, ProgressFn, Rejected,
    DEFAULT_BATCH, DEFAULT_BATCH_TIME,
};
pub use lengths::{BankIdentity, QuoteLengths};
pub use query::{
    AliasSuggestion, BankStats, ClusterMember, ClusterOutlet, ClusterView, Count, DocumentView,
    Hit, Order, OutletMonth, QuoteView, ReportView, SearchPage, SearchQuery, SpanText,
    SpeakerDetail, SpeakerListQuery, SpeakerRef, SpeakerSummary, VerificationView,
};
pub use store::Relinked;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;
use verbatim::{Extractor, Quote};

/// How long a connection waits for another's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// An open quote bank (one SQLite connection).
#[derive(Debug)]
pub struct Bank {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// Read as SQLite's immutable file (see [`Bank::is_immutable`]).
    immutable: bool,
    /// Whether `verbatim_counts_kept` is registered (see [`Bank::keep_quote_lengths`]).
    kept_lengths: bool,
    /// [`query::LOOSE_DROP_QUOTES`], or a test's small bank's own threshold.
    loose_drop_quotes: i64,
    /// The bank's distinct outlets, and the (data version, changes) they were read at: for
    /// an outlet filter given in another case (see `outlet_as_stored`).
    outlets: std::cell::RefCell<Option<OutletList>>,
}

/// The bank's distinct outlets, with the (`data_version`, total changes) they were read at.
type OutletList = ((i64, u64), Vec<String>);

/// One line of an alias file: `alias <TAB> canonical name [<TAB> external id]`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alias {
    /// A spelling to map ("POTUS", "Obama", "Barack H. Obama").
    pub alias: String,
    /// The name of the entity it means ("Barack Obama").
    pub canonical: String,
    /// An external id for the entity, e.g. a Wikidata QID (`Q76`).
    pub external_id: Option<String>,
}

/// What loading aliases did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AliasReport {
    /// Aliases stored.
    pub aliases: usize,
    /// Quotes moved to their canonical speaker.
    pub quotes_relinked: usize,
}

/// Parse an alias file (TSV): `alias <TAB> canonical name [<TAB> external id]` per line;
/// blank lines and lines starting with `#` are skipped. Errors name the line.
pub fn parse_aliases(tsv: &str) -> Result<Vec<Alias>> {
    let mut out = Vec::new();
    for (i, line) in tsv.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < 2 || cols.len() > 3 || cols[0].is_empty() || cols[1].is_empty() {
            return Err(Error::invalid(format!(
                "alias file line {}: expected \"alias<TAB>canonical name[<TAB>external id]\", \
                 got {line:?}",
                i + 1
            )));
        }
        out.push(Alias {
            alias: cols[0].to_string(),
            canonical: cols[1].to_string(),
            external_id: cols.get(2).filter(|s| !s.is_empty()).map(|s| s.to_string()),
        });
    }
    Ok(out)
}

/// Wait for another connection's lock, trying again every millisecond for [`BUSY_TIMEOUT`].
/// SQLite's own busy wait sleeps up to 100 ms between tries, so it almost never catches free a
/// lock that a busy writer takes again a moment after each commit; a writer that pauses a
/// couple of milliseconds between batches (the ingest does) is caught at once.
pub(crate) fn wait_for_lock(tries: i32) -> bool {
    if u128::try_from(tries).unwrap_or(0) >= BUSY_TIMEOUT.as_millis() {
        return false;
    }
    std::thread::sleep(Duration::from_millis(1));
    true
}

const READ_FLAGS: OpenFlags = OpenFlags::SQLITE_OPEN_READ_ONLY
    .union(OpenFlags::SQLITE_OPEN_NO_MUTEX)
    .union(OpenFlags::SQLITE_OPEN_URI);

/// The URI that opens `path` as an immutable file (no locks, no `-shm`, no WAL), when that
/// reads all of the bank: its WAL file is missing or empty. `None` otherwise, or for a path
/// that is not UTF-8.
fn immutable_uri(path: &Path) -> Option<String> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return None;
    }
    let mut uri = String::from("file:");
    for b in path.to_str()?.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    Some(uri)
}

/// SQLite's "attempt to write a readonly database" or "unable to open": what a reader meets
/// when it may not create the `-shm` file.
fn cannot_write(e: &Error) -> bool {
    matches!(
        e,
        Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if matches!(f.code, rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
    )
}

/// Whether nobody can change the bank where it lies: its file system is mounted read-only,
/// or neither the file nor its folder has a write permission bit. (The owner of a file in a
/// folder that is merely not writable by *this* user may still write it.)
fn read_only_storage(path: &Path) -> bool {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    #[cfg(target_os = "linux")]
    if mounted_read_only(dir) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let no_write_bit =
            |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o222 == 0);
        no_write_bit(path) && no_write_bit(dir)
    }
    #[cfg(not(unix))]
    false
}

/// Whether the file system holding `dir` is mounted read-only.
#[cfg(target_os = "linux")]
fn mounted_read_only(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a NUL-terminated path and `st` a properly sized, writable statvfs; the
    // call only fills `st` and returns 0 on success.
    unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        libc::statvfs(c.as_ptr(), &mut st) == 0 && st.f_flag & libc::ST_RDONLY != 0
    }
}

/// A bank in WAL mode opened read-only needs its `-shm` file, which SQLite creates beside it;
/// in a folder this user cannot write, that fails as "attempt to write a readonly database".
/// Say what it is and what to do instead.
fn read_only_hint(e: Error, path: &Path) -> Error {
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    if !cannot_write(&e) || Path::new(&shm).exists() {
        return e;
    }
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "cannot read the bank here ({e}): SQLite must create its -shm file beside it, \
                 and this folder cannot be written; make the folder writable, or copy the bank \
                 to one that is (a bank nobody may write, with no write permission on it and its \
                 folder and an empty -wal file, is read without one)"
            ),
        ),
    }
}

fn set_pragmas(conn: &Connection, write: bool) -> Result<()> {
    conn.busy_handler(Some(wait_for_lock))?;
    // The writer path uses a few dozen distinct statements; the default cache holds 16.
    conn.set_prepared_statement_cache_capacity(128);
    ftscounts::register(conn)?;
    if write {
        // WAL: readers do not block the writer; synchronous=NORMAL is durable against a
        // killed process (the OS has the WAL), not against power loss of the last commits.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            return Err(Error::invalid(format!(
                "could not switch the database to WAL mode (got {mode:?}); is it on a network \
                 file system?"
            )));
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL;")?;
    }
    conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")?;
    // Readers map the whole file (up to SQLite's 2 GB ceiling): a search reads pages all over
    // a bank of a million quotes, and each page read through a 256 MB window beyond it was a
    // system call and a copy (a fifth of a server's CPU under load). The mapping is the OS's
    // page cache, shared by every reader, so it costs no memory per connection.
    let mmap: i64 = if write { 268_435_456 } else { 2_147_418_112 };
    conn.execute_batch(&format!("PRAGMA mmap_size = {mmap};"))?;
    Ok(())
}

impl Bank {
    /// Open (or create) a bank, upgrading an older schema. Fails with
    /// [`Error::NewerSchema`] for a file written by a newer Verbatim, and
    /// [`Error::NotABank`] for any other file.
    pub fn open(path: impl AsRef<Path>) -> Result<Bank> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(Error::Io {
                    path: dir.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "directory does not exist; create it first",
                    ),
                });
            }
        }
        if path.is_dir() {
            return Err(is_a_directory(path));
        }
        let mut conn = Connection::open(&path)?;
        // Check what the file is before changing anything in it.
        schema::version(&conn, &path)?;
        // 16 KB pages for a new file (an existing one keeps its own): fewer, shallower B-tree
        // pages per insert; the writer measured 8–10% less CPU than with 4 KB, search the same.
        conn.execute_batch("PRAGMA page_size = 16384;")
            .map_err(|e| schema::not_sqlite(e.into(), &path))?;
        set_pragmas(&conn, true).map_err(|e| schema::not_sqlite(e, &path))?;
        schema::migrate(&mut conn, &path)?;
        schema::ensure_bank_id(&conn)?;
        Ok(Bank {
            conn,
            path,
            read_only: false,
            kept_lengths: false,
            loose_drop_quotes: query::LOOSE_DROP_QUOTES,
            immutable: false,
            outlets: Default::default(),
        })
    }

    /// Open an existing bank for reading only (e.g. for a server's reader threads). It must
    /// already have the current schema ([`Error::NeedsUpgrade`] otherwise). A bank on storage
    /// nobody can write (a read-only mount, or no write permission on the file and its folder),
    /// whose WAL is empty, is read as an immutable file ([`Bank::is_immutable`]); elsewhere,
    /// a folder this user cannot write is an error that says what to do.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Bank> {
        let path = path.as_ref().to_path_buf();
        if path.is_dir() {
            return Err(is_a_directory(path));
        }
        if !path.is_file() {
            return Err(Error::Io {
                path,
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such quote bank"),
            });
        }
        let conn = Connection::open_with_flags(&path, READ_FLAGS)?;
        let mut immutable = false;
        let conn = match set_pragmas(&conn, false) {
            Ok(()) => conn,
            Err(e) => match immutable_uri(&path) {
                // A bank on storage nobody can write (a read-only mount, a shared dataset with
                // no write permission) whose WAL holds nothing: read the file alone, as
                // SQLite's "immutable" file. Where someone could still write it, an immutable
                // reader would see half of their changes: the error stands.
                Some(uri) if cannot_write(&e) && read_only_storage(&path) => {
                    drop(conn);
                    let c = Connection::open_with_flags(uri, READ_FLAGS)?;
                    set_pragmas(&c, false)?;
                    immutable = true;
                    c
                }
                _ => return Err(read_only_hint(schema::not_sqlite(e, &path), &path)),
            },
        };
        match schema::version(&conn, &path)? {
            Some(v) if v == schema::CURRENT => {}
            Some(v) if v > schema::CURRENT => {
                return Err(Error::NewerSchema {
                    path,
                    found: v,
                    supported: schema::CURRENT,
                })
            }
            v => {
                return Err(Error::NeedsUpgrade {
                    path,
                    found: v.unwrap_or(0),
                    current: schema::CURRENT,
                })
            }
        }
        Ok(Bank {
            conn,
            path,
            read_only: true,
            kept_lengths: false,
            loose_drop_quotes: query::LOOSE_DROP_QUOTES,
            immutable,
            outlets: Default::default(),
        })
    }

    /// Whether this reader reads the bank as an immutable file: it lies on storage nobody can
    /// write (see [`Bank::open_read_only`]), so changes are not looked for. A bank on such
    /// storage must not be changed while it is read this way (someone who can write there
    /// anyway, such as root, must stop its readers first).
    pub fn is_immutable(&self) -> bool {
        self.immutable
    }

    /// Read quote lengths from `lengths` (and remember there the ones looked up) in relevance
    /// order, instead of asking the full-text index for each match: for a long-running reader
    /// such as a server, whose threads share one table. Answers are the same.
    ///
    /// A table serves one bank only: this fails if `lengths` was given to another bank.
    pub fn keep_quote_lengths(&mut self, lengths: std::sync::Arc<QuoteLengths>) -> Result<()> {
        lengths.bind(&self.identity()?)?;
        ftscounts::register_kept(&self.conn, lengths)?;
        self.kept_lengths = true;
        Ok(())
    }

    /// Remember the length of every quote of the bank in `lengths` (one scan of the full-text
    /// index's length table: about a second per million quotes). Returns how many quotes were
    /// scanned.
    pub fn fill_quote_lengths(&self, lengths: &QuoteLengths) -> Result<usize> {
        lengths.bind(&self.identity()?)?;
        let mut stmt = self.conn.prepare("SELECT id, sz FROM quotes_fts_docsize")?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            // One varint per indexed column; the index has one (the quote's text).
            let len = match r.get_ref(1)? {
                rusqlite::types::ValueRef::Blob(b) => query::varint(b).0,
                _ => 0,
            };
            lengths.set(id, u32::try_from(len).unwrap_or(u32::MAX));
            n += 1;
        }
        Ok(n)
    }

    /// What tells this bank from any other: its file (canonical path) and the random id
    /// written into it the first time it was opened for writing (`None` for a bank no writer
    /// has opened since ids were introduced, or an in-memory one never written).
    pub fn identity(&self) -> Result<BankIdentity> {
        let id: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'bank_id'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(BankIdentity {
            path: self
                .path
                .canonicalize()
                .unwrap_or_else(|_| self.path.clone()),
            id,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A number that changes whenever another connection — of this process or of another —
    /// has committed a change to the bank since this connection last asked (SQLite's
    /// `PRAGMA data_version`): what a cache of answers checks before answering from memory.
    /// Changes committed through this connection do not change it.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?)
    }

    /// The schema version of the open file (always [`schema::CURRENT`] once open).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(schema::version(&self.conn, &self.path)?.unwrap_or(0))
    }

    fn check_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::invalid(
                "this bank was opened read-only; use Bank::open to write",
            ));
        }
        Ok(())
    }

    /// Ingest documents: extract their quotes (with the embedded models) on `opts.jobs`
    /// threads and store them, committing every `opts.batch_size` documents. Idempotent; see
    /// [`ingest`]. `progress` is called on the writer thread after each commit.
    pub fn ingest_documents<I>(
        &mut self,
        docs: I,
        opts: &IngestOptions,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<IngestReport>
    where
        I: IntoIterator<Item = NewDocument>,
    {
        let extractor = Extractor::new();
        self.ingest_documents_with(&extractor, docs, opts, progress)
    }

    /// Like [`Bank::ingest_documents`], with a given extractor (e.g. one kept by a server).
    pub fn ingest_documents_with<I>(
        &mut self,
        extractor: &Extractor,
        docs: I,
        opts: &IngestOptions,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<IngestReport>
    where
        I: IntoIterator<Item = NewDocument>,
    {
        ingest::run(
            self,
            Some(extractor),
            docs.into_iter().map(|d| (d, None)),
            opts,
            progress,
        )
    }

    /// Ingest documents whose quotes were extracted already (byte spans into each text, as
    /// [`verbatim::Extractor::extract`] returns them). Spans are checked; a document with a
    /// span outside its text is rejected. A transcript ([`DocumentKind::Transcript`]) is parsed
    /// as always: its turns are its quotes, and quotes given with it are ignored.
    pub fn ingest_extracted<I>(
        &mut self,
        docs: I,
        opts: &IngestOptions,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<IngestReport>
    where
        I: IntoIterator<Item = (NewDocument, Vec<Quote>)>,
    {
        ingest::run(
            self,
            None,
            docs.into_iter().map(|(d, q)| (d, Some(q))),
            opts,
            progress,
        )
    }

    /// Store aliases (overriding the automatic linking) and move the quotes they cover.
    pub fn add_aliases(&mut self, aliases: &[Alias]) -> Result<AliasReport> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut st = store::State::load(&tx)?;
        let mut rep = AliasReport::default();
        for a in aliases {
            let (_, moved) = store::add_alias(
                &tx,
                &mut st,
                &a.alias,
                &a.canonical,
                a.external_id.as_deref(),
            )?;
            rep.aliases += 1;
            rep.quotes_relinked += moved;
        }
        rep.quotes_relinked += store::relink_pending(&tx, &mut st)?;
        st.flush(&tx)?;
        tx.commit()?;
        Ok(rep)
    }

    /// Read an alias file (see [`parse_aliases`]) and [`Bank::add_aliases`] it.
    pub fn load_aliases(&mut self, path: impl AsRef<Path>) -> Result<AliasReport> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let aliases =
            parse_aliases(&text).map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
        self.add_aliases(&aliases)
    }

    /// Link bare-surname quotes that now have exactly one full name in the bank (ingest does
    /// this at the end of each run). Returns how many quotes moved.
    pub fn relink_speakers(&mut self) -> Result<usize> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut st = store::State::load(&tx)?;
        let n = store::relink_pending(&tx, &mut st)?;
        st.flush(&tx)?;
        tx.commit()?;
        Ok(n)
    }

    /// Link every stored quote's speaker again with this build's name rules, document by
    /// document in the order they were stored, as a fresh ingest would: after upgrading
    /// Verbatim, the quotes stored before keep the links the older rules made until this runs.
    /// An entity the new rules make again keeps its id; a new one never takes a removed one's.
    /// One transaction: readers see the bank before or after, never between.
    pub fn relink_all_speakers(&mut self) -> Result<Relinked> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut st = store::State::load(&tx)?;
        let (out, ids) = store::relink_all(&tx, &mut st)?;
        verification::settle(&tx, &mut st)?;
        st.flush(&tx)?;
        store::keep_ids(&tx, &ids)?;
        tx.commit()?;
        Ok(out)
    }

    /// Delete a document and its quotes (clusters and counts repaired) and its verifications
    /// both ways; articles that were verified against it (a transcript) are verified again
    /// against their remaining candidates. Returns whether it existed.
    pub fn delete_document(&mut self, id: &str) -> Result<bool> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let num: Option<i64> = rusqlite::OptionalExtension::optional(tx.query_row(
            "SELECT num FROM documents WHERE id = ?1",
            [id],
            |r| r.get(0),
        ))?;
        let Some(num) = num else { return Ok(false) };
        let mut st = store::State::load(&tx)?;
        store::remove_quotes(&tx, &mut st, num)?;
        tx.execute("DELETE FROM documents WHERE num = ?1", [num])?;
        // The articles verified against a deleted transcript find their other candidates.
        verification::settle(&tx, &mut st)?;
        st.flush(&tx)?;
        tx.commit()?;
        Ok(true)
    }

    /// Merge the full-text index into one segment (searches probe fewer structures), refresh
    /// the per-word quote counts that plan searches (`quotes_terms`) and the query planner's
    /// statistics, and fold the WAL into the main file. Takes about a second per million
    /// quotes; worth running after a large ingest (the CLI runs [`Bank::optimize_if_due`]
    /// after `ingest`). Searches are correct without it; words new since the last run are
    /// counted from the index itself.
    pub fn optimize(&mut self) -> Result<()> {
        self.check_writable()?;
        self.conn.execute_batch(
            "INSERT INTO quotes_fts (quotes_fts) VALUES ('optimize');
             BEGIN IMMEDIATE;
             DELETE FROM quotes_terms;
             INSERT INTO quotes_terms (term, doc) SELECT term, doc FROM quotes_vocab;
             INSERT INTO meta (key, value) VALUES
                 ('optimized_quotes', (SELECT count(*) FROM quotes)),
                 ('optimized_seq',
                  coalesce((SELECT value FROM meta WHERE key = 'quote_seq'), '1')),
                 ('optimized_removed',
                  coalesce((SELECT value FROM meta WHERE key = 'quote_removed'), '0'))
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value;
             COMMIT;
             PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);",
        )?;
        Ok(())
    }

    /// What to run after an ingest: [`Bank::optimize`] once the quotes stored or removed
    /// since it last ran (a replaced document's quotes count both ways) amount to an eighth
    /// of the bank as it was then, or when it never ran; otherwise only the cheap part (the
    /// query planner's statistics, and the WAL folded into the main file). Returns whether
    /// the full optimize ran.
    ///
    /// The full run costs about a second per million quotes however little changed, so a
    /// few articles added to a large bank would pay for the whole bank each time; this way
    /// its cost per quote stays constant, and the per-word counts it refreshes never lag
    /// behind more than an eighth of the bank's quotes.
    pub fn optimize_if_due(&mut self) -> Result<bool> {
        self.check_writable()?;
        let due = self.optimize_is_due()?;
        if due {
            self.optimize()?;
        } else {
            self.conn
                .execute_batch("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        Ok(due)
    }

    /// Whether [`Bank::optimize_if_due`] would run the full [`Bank::optimize`]: the quotes
    /// stored or removed since its last run amount to an eighth of the bank as it was then, or
    /// it never ran. Reads three counters (a bank last optimized by an older version, which
    /// kept no count of removals, costs a count of the quotes until the full run).
    pub fn optimize_is_due(&self) -> Result<bool> {
        let meta = |key: &str| -> Result<Option<i64>> {
            Ok(self
                .conn
                .query_row(
                    "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1",
                    [key],
                    |r| r.get(0),
                )
                .optional()?)
        };
        let (Some(last), Some(last_seq)) = (meta("optimized_quotes")?, meta("optimized_seq")?)
        else {
            return Ok(true);
        };
        // Quote sequence numbers are never reused: every quote stored since, kept or not,
        // took one.
        let stored = meta("quote_seq")?.unwrap_or(1) - last_seq;
        let removed = match meta("optimized_removed")? {
            Some(at) => meta("quote_removed")?.unwrap_or(0) - at,
            // Only the net shrinkage is known; it bounds the removals from below.
            None => {
                let quotes: i64 = self
                    .conn
                    .query_row("SELECT count(*) FROM quotes", [], |r| r.get(0))?;
                last - quotes
            }
        };
        Ok((stored.max(0) + removed.max(0)) * 8 >= last.max(1))
    }
}

/// The error for a bank path that names a directory.
fn is_a_directory(path: PathBuf) -> Error {
    Error::Io {
        path,
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "is a directory; a bank is a file (give a file name: it is created if missing)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bank_with_an_empty_wal_reads_as_an_immutable_file() {
        let dir = std::env::temp_dir().join(format!("verbatim im {}%?#", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("b.db");
        let mut bank = Bank::open(&db).unwrap();
        bank.optimize().unwrap();
        drop(bank);
        let uri = immutable_uri(&db).expect("no WAL content");
        assert!(
            uri.ends_with("/b.db?immutable=1") && uri.contains("im%20"),
            "{uri}"
        );
        assert!(!uri[5..uri.len() - 12].contains(['?', '#', ' ']), "{uri}");
        // What a bank in a folder nobody may write is opened with.
        let c = Connection::open_with_flags(&uri, READ_FLAGS).unwrap();
        set_pragmas(&c, false).unwrap();
        assert_eq!(schema::version(&c, &db).unwrap(), Some(schema::CURRENT));
        // Only where nobody can write: no write bit on the file and its folder.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path, m: u32| {
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
            };
            assert!(!read_only_storage(&db));
            mode(&db, 0o444);
            assert!(!read_only_storage(&db), "the folder is writable");
            mode(&dir, 0o555);
            assert!(read_only_storage(&db));
            mode(&dir, 0o755);
            mode(&db, 0o644);
        }
        // Changes only in the WAL would be missed: no immutable read then.
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        std::fs::write(&wal, b"not empty").unwrap();
        assert_eq!(immutable_uri(&db), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_is_no_bank() {
        let dir = std::env::temp_dir();
        for e in [
            Bank::open(&dir).err().unwrap(),
            Bank::open_read_only(&dir).err().unwrap(),
        ] {
            assert!(e.to_string().contains("is a directory"), "{e}");
        }
    }

    fn failure(code: std::os::raw::c_int) -> Error {
        Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            Some("attempt to write a readonly database".into()),
        ))
    }

    #[test]
    fn a_bank_that_cannot_get_its_shm_file_says_so() {
        let dir = std::env::temp_dir().join(format!("verbatim-ro-hint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("b.db");
        let e = read_only_hint(failure(rusqlite::ffi::SQLITE_READONLY), &db);
        assert!(matches!(e, Error::Io { .. }), "{e}");
        assert!(
            e.to_string().contains("this folder cannot be written"),
            "{e}"
        );
        // With the -shm file there, or another error, SQLite's own message stands.
        std::fs::write(dir.join("b.db-shm"), b"").unwrap();
        let e = read_only_hint(failure(rusqlite::ffi::SQLITE_READONLY), &db);
        assert!(matches!(e, Error::Sqlite(_)), "{e}");
        let e = read_only_hint(failure(rusqlite::ffi::SQLITE_CORRUPT), &dir.join("c.db"));
        assert!(matches!(e, Error::Sqlite(_)), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
