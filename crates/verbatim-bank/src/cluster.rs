//! The same remark across outlets: normalisation, fingerprints and the similarity tests.
//!
//! # The choice: an inverted index of word 5-shingles, verified exactly (not MinHash LSH)
//!
//! Every distinct wording in a cluster (its *head* quote) is indexed under
//!
//! * one **exact key**: the hash of its whole normalised word sequence, and
//! * one key per **word 5-shingle** (five consecutive normalised words), for wordings of
//!   five words or more.
//!
//! A new quote looks up its own keys and gets candidate heads, which are then verified on
//! their text: **identical** after normalisation; **contained** (the shorter, ≥ 5 words, is a
//! contiguous run of the longer — a partial quote); or **near-duplicate** (Jaccard similarity
//! of the two sets of word 3-shingles ≥ [`NEAR_DUP_JACCARD`], or ≥ [`NEAR_DUP_OVERLAP`] of the
//! smaller set inside the larger — a partial quote with an edit such as "[the]").
//!
//! Why not MinHash with LSH bands (e.g. 64 hashes in 16 bands of 4)? MinHash estimates the
//! Jaccard similarity of two *sets*; it cannot find a short partial quote inside a long one
//! (their Jaccard similarity is small), so containment needs a shingle index anyway. Quotes
//! are short (median ~20 words), so the full shingle index costs about as many keys per
//! wording (n − 4) as the 16 band keys would, and it has no false negatives: any two wordings
//! that share a five-word run meet, whereas 16×4 bands miss about a third of pairs at Jaccard
//! 0.5. A pair that shares no five-word run at all (a 3-shingle Jaccard ≥ 0.5 with no common
//! 5-gram needs an edit every four words) is not what outlets do to a remark. Verification on
//! the text makes the final decision exact rather than estimated. Only heads are indexed, so
//! the 40th outlet carrying the same wording adds no keys; keys are 32-bit hashes, and a
//! collision only costs a wasted verification.
//!
//! Normalisation: Unicode lowercase; curly and straight apostrophes removed inside words
//! ("don’t" = "dont"); every other character that is not a letter or digit separates words.
//! So case, punctuation, quotation marks, dashes and whitespace do not matter.
//!
//! Speakers: two quotes cluster only if their speakers are compatible: the same entity, or
//! one unknown (no name), or one a bare surname compatible with the other's full name.
//!
//! Two guards (in `store.rs`, which knows the clusters): a wording that matches a *shorter*
//! wording of a cluster joins only if it also matches the cluster's longest one, so that
//! remarks sharing a five-word phrase do not chain through a quote that was only that phrase;
//! and a wording under [`SHINGLE`] words joins only quotes with a named, compatible speaker
//! (a word or two alike is no evidence of one remark).

use crate::hash::{combine, hash64, mix};
use std::collections::HashSet;

/// Shingle length of the candidate index (and the shortest partial quote that is matched
/// by containment).
pub const SHINGLE: usize = 5;
/// Shingle length of the near-duplicate similarity.
pub const SIM_SHINGLE: usize = 3;
/// Near-duplicate threshold on the Jaccard similarity of word 3-shingle sets.
pub const NEAR_DUP_JACCARD: f64 = 0.5;
/// Near-duplicate threshold on the overlap coefficient (|A∩B| / min(|A|, |B|)), for partial
/// quotes with small edits; the smaller set needs at least [`MIN_OVERLAP_SHINGLES`] shingles.
pub const NEAR_DUP_OVERLAP: f64 = 0.8;
/// See [`NEAR_DUP_OVERLAP`].
pub const MIN_OVERLAP_SHINGLES: usize = 4;

const EXACT_SEED: u64 = 0x5EED_E4AC;
const SHINGLE_SEED: u64 = 0x5EED_5417;

/// The normalised words of a quote's text, as hashes (see the module docs).
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |w: &mut String, out: &mut Vec<u64>| {
        if !w.is_empty() {
            out.push(hash64(w.as_bytes(), 0));
            w.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}') && !word.is_empty() {
            // apostrophe inside a word: dropped
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The keys under which a wording is indexed, and what is needed to verify a match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Normalised words, hashed.
    pub words: Vec<u64>,
    /// Key of the whole normalised text.
    pub exact: i64,
    /// Keys of the word 5-shingles (deduplicated), empty under five words.
    pub shingles: Vec<i64>,
}

impl Fingerprint {
    /// The fingerprint of a quote's text.
    pub fn of(text: &str) -> Fingerprint {
        Fingerprint::from_words(word_hashes(text))
    }

    /// The fingerprint of already normalised words.
    pub fn from_words(words: Vec<u64>) -> Fingerprint {
        let exact = key32(
            words
                .iter()
                .fold(mix(EXACT_SEED ^ words.len() as u64), |a, &w| combine(a, w)),
        );
        let mut shingles: Vec<i64> = shingle_hashes(&words, SHINGLE, SHINGLE_SEED)
            .into_iter()
            .map(key32)
            .collect();
        shingles.sort_unstable();
        shingles.dedup();
        Fingerprint {
            words,
            exact,
            shingles,
        }
    }

    /// Every key, exact first.
    pub fn keys(&self) -> impl Iterator<Item = i64> + '_ {
        std::iter::once(self.exact).chain(self.shingles.iter().copied())
    }
}

/// Keys are stored as 32-bit integers (4 bytes in SQLite's record format instead of 8): a
/// collision only costs a wasted verification.
fn key32(h: u64) -> i64 {
    i64::from((h >> 32) as u32 as i32)
}

fn shingle_hashes(words: &[u64], k: usize, seed: u64) -> Vec<u64> {
    if words.len() < k {
        return Vec::new();
    }
    words
        .windows(k)
        .map(|w| w.iter().fold(mix(seed), |a, &x| combine(a, x)))
        .collect()
}

/// How two wordings relate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Match {
    /// Identical after normalisation.
    Exact,
    /// One (≥ 5 words) is a contiguous part of the other.
    Contained,
    /// Similar: the score is the larger of Jaccard and overlap.
    Near(f64),
}

impl Match {
    /// A number to pick the best match by: exact 3, contained 2, near 0–1.
    pub fn score(self) -> f64 {
        match self {
            Match::Exact => 3.0,
            Match::Contained => 2.0,
            Match::Near(s) => s,
        }
    }
}

fn contains(long: &[u64], short: &[u64]) -> bool {
    short.len() <= long.len() && long.windows(short.len()).any(|w| w == short)
}

/// Whether two normalised word sequences report the same remark (see the module docs).
pub fn compare(a: &[u64], b: &[u64]) -> Option<Match> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a == b {
        return Some(Match::Exact);
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() >= SHINGLE && contains(long, short) {
        return Some(Match::Contained);
    }
    let sa: HashSet<u64> = shingle_hashes(a, SIM_SHINGLE, 7).into_iter().collect();
    let sb: HashSet<u64> = shingle_hashes(b, SIM_SHINGLE, 7).into_iter().collect();
    if sa.is_empty() || sb.is_empty() {
        return None;
    }
    let inter = sa.intersection(&sb).count() as f64;
    let union = (sa.len() + sb.len()) as f64 - inter;
    let jaccard = inter / union;
    let small = sa.len().min(sb.len());
    let overlap = inter / small as f64;
    if jaccard >= NEAR_DUP_JACCARD {
        Some(Match::Near(jaccard.max(if small >= MIN_OVERLAP_SHINGLES {
            overlap
        } else {
            0.0
        })))
    } else if small >= MIN_OVERLAP_SHINGLES && overlap >= NEAR_DUP_OVERLAP {
        Some(Match::Near(overlap))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Option<Match> {
        compare(&word_hashes(a), &word_hashes(b))
    }

    #[test]
    fn normalisation_ignores_case_punctuation_and_quotes() {
        assert_eq!(
            word_hashes("“Don’t  STOP,” he—said"),
            word_hashes("\"dont stop he said")
        );
        assert_eq!(
            cmp(
                "\"This is my last election.\"",
                "“this is my last election”"
            ),
            Some(Match::Exact)
        );
    }

    #[test]
    fn containment_and_near_duplicates() {
        let full = "This is my last election. After my election I have more flexibility.";
        assert_eq!(
            cmp(full, "after my election I have more flexibility"),
            Some(Match::Contained)
        );
        assert_eq!(
            cmp(full, "more flexibility"),
            None,
            "too short to be contained"
        );
        let edited = "This is my last election. After the election I have more flexibility.";
        assert!(matches!(cmp(full, edited), Some(Match::Near(s)) if s >= 0.5));
        assert_eq!(
            cmp(full, "We will build a wall and Mexico will pay for it."),
            None
        );
        let fp = Fingerprint::of(full);
        assert_eq!(fp.shingles.len(), 8);
        assert_eq!(Fingerprint::of("Hi there").shingles.len(), 0);
    }
}
