//! `verbatim_counts(quotes_fts)`: an FTS5 auxiliary function giving, for the current match,
//! the quote's length in tokens and how many times each phrase of the query occurs in it — what
//! BM25 needs. Relevance order scored each match by reading its quote row and splitting its
//! text again (a row read and a tokenization per match, ~3 µs); FTS5 already holds the
//! phrases' positions of the match it is on and keeps each row's token count in
//! `quotes_fts_docsize`, so the same numbers cost a small-row lookup.
//!
//! `verbatim_counts_kept(quotes_fts)` is the same function reading lengths from a
//! [`QuoteLengths`] table first (see `lengths`), registered by [`register_kept`].
//!
//! SQLite offers auxiliary functions only through the C `fts5_api`, which rusqlite does not
//! wrap: hence the `unsafe` below, kept to the calls the FTS5 documentation describes.

use crate::error::{Error, Result};
use crate::lengths::QuoteLengths;
use rusqlite::ffi;
use rusqlite::Connection;
use std::os::raw::{c_int, c_void};
use std::ptr;
use std::sync::Arc;

/// Phrases counted without a heap allocation (a query has a handful).
const STACK_PHRASES: usize = 16;

/// Register `verbatim_counts` on a connection (auxiliary functions live per connection).
pub(crate) fn register(conn: &Connection) -> Result<()> {
    // SAFETY: a null user data pointer is what `counts` expects for this name; nothing to
    // destroy.
    unsafe { create(conn, c"verbatim_counts", ptr::null_mut(), None) }
}

/// Register `verbatim_counts_kept` on a connection, reading and filling `lengths`. The
/// connection holds its own reference to the table until it is closed.
pub(crate) fn register_kept(conn: &Connection, lengths: Arc<QuoteLengths>) -> Result<()> {
    let data = Arc::into_raw(lengths) as *mut c_void;
    // SAFETY: `data` is a leaked `Arc<QuoteLengths>`, which `counts` reads as a
    // `&QuoteLengths` and `release_lengths` gives back once: when FTS5 destroys the function
    // (as the connection closes), or in `create` if the registration fails.
    unsafe { create(conn, c"verbatim_counts_kept", data, Some(release_lengths)) }
}

/// FTS5's destructor of `verbatim_counts_kept`'s user data.
unsafe extern "C" fn release_lengths(data: *mut c_void) {
    // SAFETY: `data` came from `Arc::into_raw` in `register_kept`; FTS5 calls this once.
    unsafe { drop(Arc::from_raw(data as *const QuoteLengths)) }
}

/// Register the auxiliary function `counts` under `name`, with `data` as its user data.
///
/// # Safety
/// `data` must be null or what `counts` expects (a `*const QuoteLengths` valid until
/// `destroy` is called); `destroy` must be safe to call once with `data`. It is called here
/// when the registration fails (FTS5 calls it only for a registered function).
unsafe fn create(
    conn: &Connection,
    name: &std::ffi::CStr,
    data: *mut c_void,
    destroy: Option<unsafe extern "C" fn(*mut c_void)>,
) -> Result<()> {
    // SAFETY: the statement is prepared, stepped and finalized on this connection's own
    // handle, which outlives the call; `api` is written by SQLite during the step (the
    // documented way to obtain `fts5_api`), and is only used when not null. xCreateFunction
    // takes `data` over only when it succeeds (`fts5CreateAux`); otherwise it is released here.
    unsafe {
        let release = || {
            if let Some(destroy) = destroy {
                destroy(data);
            }
        };
        let db = conn.handle();
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut stmt,
            ptr::null_mut(),
        );
        if rc != ffi::SQLITE_OK {
            release();
            let msg = std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(db))
                .to_string_lossy()
                .into_owned();
            // Only a missing fts5() means no FTS5; anything else is SQLite's own error (a WAL
            // bank in a folder this user cannot write, say, fails here first).
            if msg.contains("no such function") {
                return Err(Error::invalid("this SQLite has no FTS5"));
            }
            return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
                ffi::Error::new(rc),
                Some(msg),
            )));
        }
        let mut api: *mut ffi::fts5_api = ptr::null_mut();
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        ffi::sqlite3_finalize(stmt);
        let create = api.as_ref().and_then(|a| a.xCreateFunction);
        let Some(create) = create else {
            release();
            return Err(Error::invalid("could not reach SQLite's FTS5 API"));
        };
        let rc = create(api, name.as_ptr(), data, Some(counts), destroy);
        if rc != ffi::SQLITE_OK {
            release();
            return Err(Error::invalid("could not register an FTS5 function"));
        }
    }
    Ok(())
}

/// The auxiliary function: a blob of little-endian `u32`s, the row's tokens in column 0 and
/// then each phrase's occurrences in it (every occurrence: the queries are ANDs of phrases,
/// never NEAR, so FTS5 reports them all). Its user data is null, or the `QuoteLengths` to
/// read the row's length from (and to remember it in when FTS5 had to look it up).
unsafe extern "C" fn counts(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    _n: c_int,
    _args: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 calls this with a valid API table and context for the current row; every
    // function pointer used is present in all FTS5 versions (iVersion >= 1).
    unsafe {
        let api = &*api;
        let (
            Some(user_data),
            Some(rowid),
            Some(column_size),
            Some(phrase_count),
            Some(first),
            Some(next),
        ) = (
            api.xUserData,
            api.xRowid,
            api.xColumnSize,
            api.xPhraseCount,
            api.xPhraseFirst,
            api.xPhraseNext,
        )
        else {
            ffi::sqlite3_result_error_code(ctx, ffi::SQLITE_MISUSE);
            return;
        };
        let lengths = (user_data(fts) as *const QuoteLengths).as_ref();
        let id = lengths.map(|_| rowid(fts));
        let kept = lengths.zip(id).and_then(|(l, id)| l.get(id));
        let len = match kept {
            Some(len) => len,
            None => {
                let mut len: c_int = 0;
                let rc = column_size(fts, 0, &mut len);
                if rc != ffi::SQLITE_OK {
                    ffi::sqlite3_result_error_code(ctx, rc);
                    return;
                }
                let len = len.max(0) as u32;
                if let Some((l, id)) = lengths.zip(id) {
                    l.set(id, len);
                }
                len
            }
        };
        let phrases = phrase_count(fts).max(0) as usize;
        let mut stack = [0u8; 4 * (STACK_PHRASES + 1)];
        let mut heap = Vec::new();
        let out: &mut [u8] = if phrases <= STACK_PHRASES {
            &mut stack[..4 * (phrases + 1)]
        } else {
            heap.resize(4 * (phrases + 1), 0);
            &mut heap
        };
        out[..4].copy_from_slice(&len.to_le_bytes());
        for p in 0..phrases {
            let mut iter = ffi::Fts5PhraseIter {
                a: ptr::null(),
                b: ptr::null(),
            };
            let (mut col, mut off): (c_int, c_int) = (0, 0);
            let rc = first(fts, p as c_int, &mut iter, &mut col, &mut off);
            if rc != ffi::SQLITE_OK {
                ffi::sqlite3_result_error_code(ctx, rc);
                return;
            }
            let mut n = 0u32;
            while col >= 0 {
                n += 1;
                next(fts, &mut iter, &mut col, &mut off);
            }
            out[4 * (p + 1)..4 * (p + 2)].copy_from_slice(&n.to_le_bytes());
        }
        ffi::sqlite3_result_blob(
            ctx,
            out.as_ptr().cast::<c_void>(),
            out.len() as c_int,
            ffi::SQLITE_TRANSIENT(),
        );
    }
}

/// Decode a `verbatim_counts` blob: the token count and the phrases' occurrences (into `tf`).
pub(crate) fn decode(blob: &[u8], tf: &mut Vec<u32>) -> u32 {
    let mut words = blob
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
    let len = words.next().unwrap_or(0);
    tf.clear();
    tf.extend(words);
    len
}
