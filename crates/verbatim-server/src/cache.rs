//! Answers of the read endpoints (search, speakers, documents, clusters), kept in memory until
//! the bank changes. The same pages are asked for again and again (the page's home view asks
//! every visitor for the top speakers; a popular search is run by many readers), and one
//! search by relevance costs milliseconds of CPU while a kept answer costs microseconds.
//!
//! An answer is never stale: before looking anything up, a worker asks its own connection
//! for SQLite's `data_version`, which changes when any other connection — this server's ingest
//! or another process, such as `verbatim ingest` — has committed since the worker last asked.
//! The first worker to see a change empties the cache and bumps its generation; an answer
//! computed under an older generation is not kept (its worker may have read the bank before
//! the change).
//!
//! Memory is bounded by [`Config::cache_bytes`](crate::Config::cache_bytes): answers go into a
//! current half; when it holds half the budget it becomes the previous half (the one before is
//! dropped), and an answer found in the previous half moves back into the current one, so the
//! answers asked for recently stay.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Default of [`Config::cache_bytes`](crate::Config::cache_bytes): 64 MiB.
pub const DEFAULT_CACHE_BYTES: usize = 64 << 20;

struct State {
    /// Bumped each time the bank changes.
    generation: u64,
    current: HashMap<String, Vec<u8>>,
    current_bytes: usize,
    previous: HashMap<String, Vec<u8>>,
}

/// The kept answers (JSON bodies of 200 responses), by request.
pub(crate) struct ResponseCache {
    /// Budget of both halves together; 0 keeps nothing.
    bytes: usize,
    state: Mutex<State>,
}

/// What a worker saw when it looked up an answer: pass it back to [`ResponseCache::put`].
#[derive(Debug)]
pub(crate) struct Ticket {
    generation: u64,
}

impl ResponseCache {
    /// A cache holding at most about `bytes` of answers (0: none).
    pub fn new(bytes: usize) -> ResponseCache {
        ResponseCache {
            bytes,
            state: Mutex::new(State {
                generation: 0,
                current: HashMap::new(),
                current_bytes: 0,
                previous: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.bytes > 0
    }

    /// Forget every answer: the bank changed.
    pub fn invalidate(&self) {
        let mut st = self.lock();
        st.generation += 1;
        st.current.clear();
        st.previous.clear();
        st.current_bytes = 0;
    }

    /// The kept answer to `key`, or a ticket to keep the answer about to be computed.
    pub fn get(&self, key: &str) -> Result<Vec<u8>, Ticket> {
        let mut st = self.lock();
        if let Some(body) = st.current.get(key) {
            return Ok(body.clone());
        }
        if let Some(body) = st.previous.remove(key) {
            let copy = body.clone();
            Self::insert(&mut st, self.bytes, key.to_string(), body);
            return Ok(copy);
        }
        Err(Ticket {
            generation: st.generation,
        })
    }

    /// Keep `body` as the answer to `key`, unless the bank changed since `ticket` was given.
    pub fn put(&self, ticket: Ticket, key: String, body: &[u8]) {
        // An answer larger than a half would empty the cache for one page.
        if body.len() + key.len() > self.bytes / 2 {
            return;
        }
        let mut st = self.lock();
        if st.generation == ticket.generation {
            Self::insert(&mut st, self.bytes, key, body.to_vec());
        }
    }

    fn insert(st: &mut State, budget: usize, key: String, body: Vec<u8>) {
        let size = key.len() + body.len();
        if st.current_bytes + size > budget / 2 {
            st.previous = std::mem::take(&mut st.current);
            st.current_bytes = 0;
        }
        st.current_bytes += size;
        let key_len = key.len();
        if let Some(old) = st.current.insert(key, body) {
            st.current_bytes -= key_len + old.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_until_invalidated() {
        let c = ResponseCache::new(1 << 20);
        let t = c.get("a").unwrap_err();
        c.put(t, "a".into(), b"one");
        assert_eq!(c.get("a").unwrap(), b"one");
        c.invalidate();
        assert!(c.get("a").is_err());
    }

    #[test]
    fn an_answer_computed_before_a_change_is_not_kept() {
        let c = ResponseCache::new(1 << 20);
        let t = c.get("a").unwrap_err();
        c.invalidate();
        c.put(t, "a".into(), b"old");
        assert!(c.get("a").is_err());
    }

    #[test]
    fn memory_stays_within_the_budget_and_recent_answers_stay() {
        let c = ResponseCache::new(100);
        for k in 0..20 {
            let key = format!("k{k:02}");
            let t = c.get(&key).unwrap_err();
            c.put(t, key.clone(), &[0; 10]);
            // k00 is asked for all along, so it is never dropped.
            assert!(c.get("k00").is_ok(), "k00 dropped after {key}");
        }
        let st = c.lock();
        let held: usize = st
            .current
            .iter()
            .chain(&st.previous)
            .map(|(k, v)| k.len() + v.len())
            .sum();
        assert!(held <= 100, "{held}");
        assert!(st.current_bytes <= 50);
        drop(st);
        assert!(c.get("k01").is_err(), "an old answer is dropped");
        let t = c.get("big").unwrap_err();
        c.put(t, "big".into(), &[0; 60]);
        assert!(
            c.get("big").is_err(),
            "larger than half the budget: not kept"
        );
        let off = ResponseCache::new(0);
        assert!(!off.enabled());
    }
}
