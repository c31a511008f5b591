//! `/api/stats`, cached: counting a bank's clusters across outlets reads most of the quotes
//! table (seconds on a bank of a million quotes), and the page asks for the counts on every
//! visit. The counts are computed once at start (in the background), served from memory, and
//! recomputed in the background once they are older than [`STATS_TTL`] (the old counts are
//! answered meanwhile); an ingest through this server drops them, so its documents count at
//! once. Another process writing the bank (`verbatim ingest`) shows within [`STATS_TTL`].

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use verbatim_bank::{Bank, BankStats};

/// How long cached counts are answered before they are recomputed.
pub const STATS_TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
struct State {
    value: Option<(Instant, BankStats)>,
    /// A computation is under way.
    computing: bool,
    /// Bumped when the counts are dropped, so that a computation begun before does not store
    /// old counts.
    generation: u64,
}

/// The cached counts of one bank.
pub(crate) struct StatsCache {
    db: PathBuf,
    state: Mutex<State>,
    done: Condvar,
}

impl StatsCache {
    /// A cache of `db`'s counts, filled in the background from now.
    pub fn start(db: PathBuf) -> Arc<StatsCache> {
        let cache = Arc::new(StatsCache {
            db,
            state: Mutex::new(State::default()),
            done: Condvar::new(),
        });
        let generation = cache.lock().begin();
        cache.refresh_in_background(generation);
        cache
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The counts: cached, or computed on `bank` when there are none.
    pub fn get(self: &Arc<Self>, bank: &Bank) -> verbatim_bank::Result<BankStats> {
        let mut st = self.lock();
        loop {
            match &st.value {
                Some((at, v)) => {
                    let v = v.clone();
                    if at.elapsed() >= STATS_TTL && !st.computing {
                        let generation = st.begin();
                        drop(st);
                        self.refresh_in_background(generation);
                    }
                    return Ok(v);
                }
                None if st.computing => {
                    st = self.done.wait(st).unwrap_or_else(|e| e.into_inner());
                }
                None => {
                    let generation = st.begin();
                    drop(st);
                    let result = bank.stats();
                    self.finish(generation, result.as_ref().ok().cloned());
                    return result;
                }
            }
        }
    }

    /// Drop the counts (after an ingest).
    pub fn invalidate(&self) {
        let mut st = self.lock();
        st.value = None;
        st.generation += 1;
    }

    fn finish(&self, generation: u64, value: Option<BankStats>) {
        let mut st = self.lock();
        st.computing = false;
        if let (Some(v), true) = (value, st.generation == generation) {
            st.value = Some((Instant::now(), v));
        }
        self.done.notify_all();
    }

    fn refresh_in_background(self: &Arc<Self>, generation: u64) {
        let cache = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("verbatim-stats".into())
            .spawn(move || {
                let value = Bank::open_read_only(&cache.db).and_then(|b| b.stats());
                if let Err(e) = &value {
                    eprintln!("verbatim-server: counting the bank failed: {e}");
                }
                cache.finish(generation, value.ok());
            });
        if spawned.is_err() {
            self.finish(generation, None);
        }
    }
}

impl State {
    /// Mark a computation as begun; its generation.
    fn begin(&mut self) -> u64 {
        self.computing = true;
        self.generation
    }
}
