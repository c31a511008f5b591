//! The one error type of the bank: every message says what went wrong and what to do.

use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong in the bank.
#[derive(Debug)]
pub enum Error {
    /// SQLite failed (disk full, locked for too long, corrupt file, …).
    Sqlite(rusqlite::Error),
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The database was written by a newer Verbatim, with a schema this build does not know.
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build supports.
        supported: i64,
    },
    /// The file is an SQLite database (or something else) that is not a quote bank.
    NotABank {
        /// The file.
        path: PathBuf,
        /// Why it is not taken for a bank.
        reason: String,
    },
    /// A read-only handle was asked for on a bank whose schema needs upgrading first.
    NeedsUpgrade {
        /// The database file.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The schema version this build uses.
        current: i64,
    },
    /// A bad argument from the caller: a date, cursor, query, alias line or document.
    /// An HTTP server maps this to 400 Bad Request.
    InvalidInput(String),
    /// A worker thread of the ingest pipeline died (a bug: please report it).
    Worker(String),
}

/// The bank's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// True for errors caused by the caller's input (HTTP 400), false for the bank's own failures.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::InvalidInput(_))
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Error {
        Error::InvalidInput(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sqlite(e) => write!(f, "database error: {e}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::NewerSchema {
                path,
                found,
                supported,
            } => write!(
                f,
                "{}: the quote bank has schema version {found}, but this build of verbatim \
                 supports versions up to {supported}; open it with a newer verbatim \
                 (or use another --db file)",
                path.display()
            ),
            Error::NotABank { path, reason } => write!(
                f,
                "{}: not a verbatim quote bank ({reason}); choose a new file name for --db",
                path.display()
            ),
            Error::NeedsUpgrade {
                path,
                found,
                current,
            } => write!(
                f,
                "{}: the quote bank has schema version {found} and needs upgrading to \
                 {current}; open it once read-write (e.g. `verbatim ingest --db` with no input) \
                 to upgrade it",
                path.display()
            ),
            Error::InvalidInput(msg) => f.write_str(msg),
            Error::Worker(msg) => write!(f, "ingest worker failed: {msg} (this is a bug)"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlite(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Sqlite(e)
    }
}
