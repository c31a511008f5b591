//! Quote lengths kept in memory by a long-running reader (the server), so relevance order does
//! not look each match's token count up in the full-text index.
//!
//! BM25 needs every ranked match's length in tokens. FTS5 keeps it in `quotes_fts_docsize`
//! and `verbatim_counts` asks for it per match: one B-tree descent from the root, a third of a
//! relevance search's CPU on a bank of a million quotes (up to 2,000 matches per search). A
//! quote's length never changes: a quote id is never given to another quote (its low 32 bits
//! are the bank's quote sequence, persisted with each commit, see `store::State::next_seq`),
//! and a replaced document's quotes get new ids. So a table filled once stays right, whatever
//! is ingested later; quotes it does not know yet are looked up in the index and remembered.
//!
//! One byte per quote sequence number, allocated in blocks of 64 Ki as sequence numbers are
//! met: about 1 MB per million quotes, plus 1 MB of block slots.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

/// Sequence numbers per block.
const BLOCK: usize = 1 << 16;
/// Blocks covering every 32-bit sequence number.
const BLOCKS: usize = 1 << 16;
/// Stored for a length the table does not hold (never met, or too long for a byte).
const UNKNOWN: u8 = 0;
/// Longest length stored; longer quotes are always looked up in the index.
const MAX_KEPT: u32 = 254;

type Block = [AtomicU8; BLOCK];

/// Token counts of quotes (as the full-text index counts them), by quote id; shared by every
/// reader thread of a process (`Arc`), safe to read and fill concurrently.
///
/// Give it to each reader with [`crate::Bank::keep_quote_lengths`]; fill it ahead with
/// [`crate::Bank::fill_quote_lengths`] (a scan of the index's length table, about a second per
/// million quotes), or let searches fill it as they meet quotes. Search answers are the same
/// with or without it.
pub struct QuoteLengths {
    blocks: Box<[OnceLock<Box<Block>>]>,
    /// The bank whose quotes these are (see [`QuoteLengths::bind`]): quote ids are numbered
    /// per bank, so another bank's lengths would be wrong ones.
    bank: Mutex<Option<BankIdentity>>,
}

/// Which bank a [`QuoteLengths`] table holds the quotes of (see [`crate::Bank::identity`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankIdentity {
    /// The bank's file, canonical.
    pub path: PathBuf,
    /// The random id in the bank's `meta` table, once a writer has given it one.
    pub id: Option<String>,
}

impl std::fmt::Display for BankIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        match &self.id {
            Some(id) => write!(f, " (id {id})"),
            None => Ok(()),
        }
    }
}

impl Default for QuoteLengths {
    fn default() -> Self {
        QuoteLengths::new()
    }
}

impl std::fmt::Debug for QuoteLengths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuoteLengths")
            .field(
                "blocks",
                &self.blocks.iter().filter(|b| b.get().is_some()).count(),
            )
            .finish()
    }
}

impl QuoteLengths {
    /// An empty table (1 MB of block slots; blocks are allocated as quotes are remembered).
    pub fn new() -> QuoteLengths {
        QuoteLengths {
            blocks: (0..BLOCKS).map(|_| OnceLock::new()).collect(),
            bank: Mutex::new(None),
        }
    }

    /// Tie the table to `bank` (the first bank given wins); fails for any other: another file
    /// (a copy of a bank numbers its new quotes on its own), or the same path holding a bank
    /// with another id (the file was replaced). A bank's id may appear while the table is in
    /// use (a writer opened a bank of an earlier version): the same file, still the same bank.
    pub(crate) fn bind(&self, bank: &BankIdentity) -> crate::Result<()> {
        let mut owner = self.bank.lock().unwrap_or_else(|p| p.into_inner());
        match owner.as_mut() {
            None => *owner = Some(bank.clone()),
            Some(o) => {
                let same_id = match (&o.id, &bank.id) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                if o.path != bank.path || !same_id {
                    return Err(crate::Error::invalid(format!(
                        "this quote length table holds the quotes of another bank ({o}, not \
                         {bank}); give each bank its own QuoteLengths"
                    )));
                }
                if o.id.is_none() {
                    o.id.clone_from(&bank.id);
                }
            }
        }
        Ok(())
    }

    /// The block and the slot in it of a quote id (its low 32 bits: the quote sequence).
    fn slot(id: i64) -> (usize, usize) {
        let seq = (id as u64 & 0xFFFF_FFFF) as usize;
        (seq / BLOCK, seq % BLOCK)
    }

    /// The remembered length of quote `id`, if any.
    pub fn get(&self, id: i64) -> Option<u32> {
        let (b, i) = Self::slot(id);
        let v = self.blocks[b].get()?[i].load(Ordering::Relaxed);
        (v != UNKNOWN).then_some(u32::from(v))
    }

    /// Remember quote `id`'s length (lengths of 0 or above 254 are not kept: such quotes are
    /// looked up each time).
    pub fn set(&self, id: i64, len: u32) {
        if len == 0 || len > MAX_KEPT {
            return;
        }
        let (b, i) = Self::slot(id);
        let block = self.blocks[b].get_or_init(|| {
            let v: Vec<AtomicU8> = (0..BLOCK).map(|_| AtomicU8::new(UNKNOWN)).collect();
            v.into_boxed_slice()
                .try_into()
                .unwrap_or_else(|_| unreachable!("the vector has BLOCK items"))
        });
        block[i].store(len as u8, Ordering::Relaxed);
    }

    /// Bytes allocated for remembered lengths (block slots not counted).
    pub fn bytes(&self) -> usize {
        self.blocks.iter().filter(|b| b.get().is_some()).count() * BLOCK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_sequence_and_skips_what_a_byte_cannot_hold() {
        let t = QuoteLengths::new();
        let id = (15_000i64 << 32) | 70_000;
        assert_eq!(t.get(id), None);
        assert_eq!(t.bytes(), 0);
        t.set(id, 17);
        assert_eq!(t.get(id), Some(17));
        assert_eq!(t.bytes(), BLOCK);
        // The neighbour in the same block is still unknown.
        assert_eq!(t.get(id + 1), None);
        t.set(id + 1, 254);
        assert_eq!(t.get(id + 1), Some(254));
        t.set(id + 2, 255);
        t.set(id + 3, 0);
        assert_eq!(t.get(id + 2), None);
        assert_eq!(t.get(id + 3), None);
        // The last sequence number has a slot too.
        let last = (1i64 << 32) | 0xFFFF_FFFF;
        t.set(last, 3);
        assert_eq!(t.get(last), Some(3));
        assert_eq!(t.bytes(), 2 * BLOCK);
    }

    #[test]
    fn is_shared_between_threads() {
        let t = std::sync::Arc::new(QuoteLengths::new());
        let handles: Vec<_> = (0..4i64)
            .map(|k| {
                let t = std::sync::Arc::clone(&t);
                std::thread::spawn(move || {
                    for s in 0..1000i64 {
                        t.set(s * 4 + k, (s % 200 + 1) as u32);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        for s in 0..4000i64 {
            assert_eq!(t.get(s), Some(((s / 4) % 200 + 1) as u32));
        }
    }
}
