//! A fast hash map for per-document word tables (word form → value): std's SipHash costs
//! more than the values it saves recomputing. Seeded per map from std's random keys, with a
//! full finaliser, so a document cannot be written to make its words collide.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

/// A hash map keyed by words, with [`WordHash`].
pub(crate) type WordMap<K, V> = HashMap<K, V, WordHash>;

/// An empty [`WordMap`] sized for the distinct words of a document of `tokens` tokens (about
/// half of a news article's tokens; at most 4,096 ahead, so a huge document grows its table
/// as it goes rather than reserving for words it may not have).
pub(crate) fn word_map<K, V>(tokens: usize) -> WordMap<K, V> {
    WordMap::with_capacity_and_hasher((tokens / 2).min(4096), WordHash::default())
}

/// Builds [`WordHasher`]s with one random seed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WordHash {
    seed: u64,
}

impl Default for WordHash {
    fn default() -> Self {
        WordHash {
            seed: RandomState::new().hash_one(0x5eed_u64),
        }
    }
}

impl BuildHasher for WordHash {
    type Hasher = WordHasher;
    fn build_hasher(&self) -> WordHasher {
        WordHasher(self.seed)
    }
}

/// Eight bytes a step, multiply and rotate; mixed fully by `finish`.
pub(crate) struct WordHasher(u64);

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl WordHasher {
    #[inline]
    fn step(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(K).rotate_left(29);
    }
}

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.step(u64::from_le_bytes(c.try_into().unwrap()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.step(u64::from_le_bytes(b) ^ (rest.len() as u64) << 59);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.step(i as u64 | 0x100);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // MurmurHash3's 64-bit finaliser.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_their_values() {
        let mut m: WordMap<&str, usize> = WordMap::default();
        let words = ["", "a", "ab", "abcdefgh", "abcdefghi", "said", "Said", "’s"];
        for (k, w) in words.iter().enumerate() {
            m.insert(w, k);
        }
        for (k, w) in words.iter().enumerate() {
            assert_eq!(m[w], k);
        }
        assert_eq!(m.len(), words.len());
    }
}
