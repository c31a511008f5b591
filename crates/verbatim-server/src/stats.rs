//! `/api/stats`, kept in memory: counting a bank's clusters across outlets reads most of the
//! quotes table (seconds on a bank of a million quotes), and the page asks for the counts on
//! every visit. The counts are computed once when the server starts, then recomputed in the
//! background after an ingest through this server and once they are older than [`STATS_TTL`];
//! meanwhile the last counts are answered, so no request ever waits for a count.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use verbatim_bank::{Bank, BankStats};

/// How long counts are answered before they are recomputed (a bank written by another
/// process, e.g. `verbatim ingest`, shows within this time plus the time to count).
pub const STATS_TTL: Duration = Duration::from_secs(60);

struct State {
    value: BankStats,
    at: Instant,
    /// The bank changed since `value` was counted.
    stale: bool,
    /// A recount is under way.
    refreshing: bool,
    /// Bumped by each ingest, so that a recount begun before one is followed by another.
    generation: u64,
}

/// The counts of one bank.
pub(crate) struct StatsCache {
    db: PathBuf,
    state: Mutex<State>,
}

impl StatsCache {
    /// Count `bank` (the file `db`) now.
    pub fn new(db: PathBuf, bank: &Bank) -> verbatim_bank::Result<Arc<StatsCache>> {
        Ok(Arc::new(StatsCache {
            db,
            state: Mutex::new(State {
                value: bank.stats()?,
                at: Instant::now(),
                stale: false,
                refreshing: false,
                generation: 0,
            }),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The last counts (starting a recount when they are old).
    pub fn get(self: &Arc<Self>) -> BankStats {
        let mut st = self.lock();
        if st.stale || st.at.elapsed() >= STATS_TTL {
            self.refresh(&mut st);
        }
        st.value.clone()
    }

    /// The bank changed (an ingest): recount.
    pub fn invalidate(self: &Arc<Self>) {
        let mut st = self.lock();
        st.stale = true;
        st.generation += 1;
        self.refresh(&mut st);
    }

    /// Start a recount in the background unless one is under way.
    fn refresh(self: &Arc<Self>, st: &mut State) {
        if st.refreshing {
            return;
        }
        st.refreshing = true;
        let generation = st.generation;
        let cache = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("verbatim-stats".into())
            .spawn(move || {
                let value = Bank::open_read_only(&cache.db).and_then(|b| b.stats());
                if let Err(e) = &value {
                    eprintln!("verbatim-server: counting the bank failed: {e}");
                }
                let mut st = cache.lock();
                st.refreshing = false;
                if let Ok(v) = value {
                    st.value = v;
                    st.at = Instant::now();
                    if st.generation == generation {
                        st.stale = false;
                    } else {
                        cache.refresh(&mut st);
                    }
                }
            });
        if spawned.is_err() {
            st.refreshing = false;
        }
    }
}
