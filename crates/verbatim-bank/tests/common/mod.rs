//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// A database file in the temp directory, removed (with its WAL files) on drop.
pub struct TempDb(PathBuf);

impl TempDb {
    /// A fresh path (nothing there).
    pub fn new(name: &str) -> TempDb {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "verbatim-bank-test-{name}-{}-{}-{}.db",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            Instant::now().elapsed().as_nanos()
        ));
        let t = TempDb(p);
        t.clean();
        t
    }
    /// The database file.
    pub fn path(&self) -> &Path {
        &self.0
    }
    /// Remove the file and its WAL files.
    pub fn clean(&self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut s = self.0.clone().into_os_string();
            s.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(s));
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.clean();
    }
}
