//! Word forms: what the analyses compute from a word's spelling alone, kept across documents.
//!
//! The POS tagger's prefixes, suffixes and shape, the attribution taggers' lemma and lexicon
//! flags, the resolution word lists and a lower-cased copy all depend on how a word is spelled
//! and on nothing else. A [`WordCache`] keeps them for the documents one thread extracts: news
//! vocabulary repeats, so after a few hundred articles nearly every form is known, and a
//! document costs one look-up per distinct form instead of computing them again. The values
//! are the same whether they come from the cache or are computed afresh, so the output does
//! not depend on what was extracted before.

use crate::hash::WordMap;
use crate::resolution::names::{self, FirstName};
use crate::tagging::features::{word_info, WordInfo};
use crate::tagging::pos::{token, Tok};
use crate::text::Text;
use std::cell::Cell;

/// The cache forgets everything before a document when it holds more forms than this, or
/// more than [`ARENA_BYTES`] of spellings, so its memory stays bounded (about 20 MB, plus the
/// forms of the document being extracted).
const CAPACITY: usize = 1 << 16;

/// See [`CAPACITY`]: a token may be 64 KB long, so the number of forms alone bounds nothing.
const ARENA_BYTES: usize = 8 << 20;

/// Per-form values kept across the documents one thread extracts (see the module docs).
/// Create one per thread and pass it to [`Extractor::extract_with`](crate::Extractor::extract_with).
#[derive(Default)]
pub struct WordCache {
    /// Spelling → slot. The keys borrow nothing: a hash of the spelling, checked against
    /// `spellings` (a colliding spelling gets a slot of its own, outside the map).
    ids: WordMap<u64, u32>,
    hasher: crate::hash::WordHash,
    /// Every slot's spelling.
    spellings: Arena,
    pos: Vec<Tok>,
    info: Vec<WordInfo>,
    flags: Vec<u32>,
    /// What the first-name list says, looked up when first asked (most forms never are: the
    /// mention rules ask of capitalised words):
    /// 0 not yet, 1 not a first name, else 2 + the packed [`FirstName`].
    first: Vec<Cell<u8>>,
    /// Every slot's spelling lower-cased, curly apostrophes straightened.
    lower: Arena,
}

/// Strings one after the other, the `n`th ending at `ends[n]` (`usize`: the forms of one
/// document of 4 GiB, lower-cased, may pass `u32`): no allocation per string.
#[derive(Default)]
struct Arena {
    text: String,
    ends: Vec<usize>,
}

impl Arena {
    /// End the string begun since the last call.
    fn close(&mut self) {
        self.ends.push(self.text.len());
    }

    fn get(&self, n: usize) -> &str {
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        &self.text[start..self.ends[n]]
    }

    fn bytes(&self) -> usize {
        self.text.len()
    }
}

impl std::fmt::Debug for WordCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordCache")
            .field("forms", &self.pos.len())
            .finish()
    }
}

impl WordCache {
    /// An empty cache.
    pub fn new() -> WordCache {
        WordCache::default()
    }

    /// Number of word forms held.
    pub fn len(&self) -> usize {
        self.pos.len()
    }

    /// True when no form is held.
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }

    /// The values of every form of `text` (indexed like [`Text::vocab`]), computing those
    /// not yet known.
    pub(crate) fn forms(&mut self, text: &Text<'_>) -> Forms<'_> {
        if self.pos.len() >= CAPACITY || self.spellings.bytes() + self.lower.bytes() >= ARENA_BYTES
        {
            *self = WordCache::default();
        }
        let mut scratch = Scratch::default();
        let slots = (0..text.vocab.len() as u32)
            .map(|id| {
                let w = text.form(id);
                let h = std::hash::BuildHasher::hash_one(&self.hasher, w);
                match self.ids.get(&h) {
                    Some(&slot) if self.spelling(slot) == w => slot,
                    Some(_) => self.add(w, &mut scratch),
                    None => {
                        let slot = self.add(w, &mut scratch);
                        self.ids.insert(h, slot);
                        slot
                    }
                }
            })
            .collect();
        Forms { cache: self, slots }
    }

    /// The values of every form of `text` computed afresh, without indexing them for other
    /// documents: for one document, where looking each form up first would only cost.
    pub(crate) fn fresh(&mut self, text: &Text<'_>) -> Forms<'_> {
        *self = WordCache::default();
        let mut scratch = Scratch::default();
        let slots = (0..text.vocab.len() as u32)
            .map(|id| self.add(text.form(id), &mut scratch))
            .collect();
        Forms { cache: self, slots }
    }

    /// Compute the values of `w` into a new slot.
    fn add(&mut self, w: &str, scratch: &mut Scratch) -> u32 {
        // Computed before anything is stored, so a panic leaves the tables aligned.
        let values = (
            token(&mut scratch.a, w),
            word_info(w, &mut scratch.b),
            crate::resolution::form_flags(w),
        );
        let lower = &mut self.lower.text;
        let lower_start = lower.len();
        if w.is_ascii() {
            lower.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            lower.push_str(&w.to_lowercase());
        }
        if lower[lower_start..].contains('’') {
            let straight = lower[lower_start..].replace('’', "'");
            lower.truncate(lower_start);
            lower.push_str(&straight);
        }
        self.lower.close();
        self.spellings.text.push_str(w);
        self.spellings.close();
        let slot = self.pos.len() as u32;
        self.pos.push(values.0);
        self.info.push(values.1);
        self.flags.push(values.2);
        self.first.push(Cell::new(0));
        slot
    }

    fn spelling(&self, slot: u32) -> &str {
        self.spellings.get(slot as usize)
    }
}

/// Scratch strings for computing values.
#[derive(Default)]
struct Scratch {
    a: String,
    b: String,
}

/// The per-form values of one document, by form id ([`Text::word_ids`]).
pub(crate) struct Forms<'c> {
    cache: &'c WordCache,
    slots: Vec<u32>,
}

impl Forms<'_> {
    /// The POS tagger's values of form `id`.
    #[inline]
    pub(crate) fn pos(&self, id: u32) -> Tok {
        self.cache.pos[self.slots[id as usize] as usize]
    }

    /// The attribution taggers' values of form `id`.
    #[inline]
    pub(crate) fn info(&self, id: u32) -> WordInfo {
        self.cache.info[self.slots[id as usize] as usize]
    }

    /// The resolution word-list flags of form `id` (for word tokens).
    #[inline]
    pub(crate) fn flags(&self, id: u32) -> u32 {
        self.cache.flags[self.slots[id as usize] as usize]
    }

    /// What the first-name list says of form `id`.
    pub(crate) fn first_name(&self, id: u32) -> Option<FirstName> {
        let slot = self.slots[id as usize];
        let cell = &self.cache.first[slot as usize];
        match cell.get() {
            0 => {
                let f = names::lookup(self.cache.spelling(slot));
                cell.set(f.map_or(1, |f| {
                    2 + f.female_tenths + 10 * f.log_count.min(9) + if f.surname { 100 } else { 0 }
                }));
                f
            }
            1 => None,
            v => {
                let v = v - 2;
                Some(FirstName {
                    female_tenths: v % 10,
                    log_count: (v / 10) % 10,
                    surname: v >= 100,
                })
            }
        }
    }

    /// Form `id` lower-cased, curly apostrophes straightened.
    #[inline]
    pub(crate) fn lower(&self, id: u32) -> &str {
        self.cache.lower.get(self.slots[id as usize] as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form of `t` has, in `f`, the values the functions compute.
    fn assert_computed(t: &Text<'_>, f: &Forms<'_>) {
        for id in 0..t.vocab.len() as u32 {
            let w = t.form(id);
            let (mut l, mut s) = (String::new(), String::new());
            assert_eq!(f.pos(id), token(&mut l, w), "{w}");
            assert_eq!(f.info(id), word_info(w, &mut s), "{w}");
            assert_eq!(f.flags(id), crate::resolution::form_flags(w), "{w}");
            assert_eq!(f.first_name(id), names::lookup(w), "{w}");
            assert_eq!(f.first_name(id), names::lookup(w), "{w} (asked again)");
            assert_eq!(f.lower(id), w.to_lowercase().replace('’', "'"), "{w}");
        }
    }

    #[test]
    fn cached_values_are_the_computed_ones() {
        let mut cache = WordCache::new();
        let a = Text::new("Obama said it. Obama’s aides said nothing.");
        let b = Text::new("Aides said: \"Obama said it,\" Hillary added. L’ÉTAT’s ΟΔΟΣ don’t");
        drop(cache.forms(&a));
        assert_eq!(cache.len(), a.vocab.len());
        let f = cache.forms(&b);
        assert_computed(&b, &f);
        let hillary = (0..b.vocab.len() as u32)
            .find(|&id| b.form(id) == "Hillary")
            .unwrap();
        assert!(f.first_name(hillary).is_some_and(|n| n.female_tenths >= 9));
        // Only the forms the first text did not have were added.
        let known: Vec<&str> = (0..a.vocab.len() as u32).map(|id| a.form(id)).collect();
        let new = (0..b.vocab.len() as u32)
            .filter(|&id| !known.contains(&b.form(id)))
            .count();
        assert!(new >= 3, "Aides, :, and the quotation marks are new");
        assert_eq!(cache.len(), a.vocab.len() + new, "{cache:?}");
        let (mut l, mut s) = (String::new(), String::new());
        let obama = token(&mut l, "Obama");
        let f = cache.forms(&a);
        assert_eq!(f.pos(0), obama);
        assert_eq!(f.lower(0), "obama");
        let aides = (0..a.vocab.len() as u32)
            .find(|&id| a.form(id) == "aides")
            .unwrap();
        assert_eq!(f.first_name(aides), None);
        assert_ne!(f.info(0), word_info("said", &mut s));
    }

    #[test]
    fn fresh_values_are_the_computed_ones() {
        let t = Text::new("Obama’s aides said: \"Hillary said it, Hillary!\" ΟΔΟΣ d’Été");
        let mut cache = WordCache::new();
        let f = cache.fresh(&t);
        assert_computed(&t, &f);
        assert!(t.vocab.len() >= 10);
        assert_eq!(cache.len(), t.vocab.len());
    }

    #[test]
    fn a_full_cache_starts_again() {
        let mut cache = WordCache::new();
        let words: String = (0..CAPACITY + 10).map(|n| format!("w{n} ")).collect();
        let big = Text::new(&words);
        drop(cache.forms(&big));
        assert_eq!(cache.len(), CAPACITY + 10);
        let small = Text::new("He said so.");
        let f = cache.forms(&small);
        assert_eq!(f.lower(0), "he");
        assert_eq!(cache.len(), small.vocab.len());
        // Few forms, but long ones: the bytes held count too.
        let long: String = (0..200)
            .map(|n| format!("{}{n} ", "x".repeat(30_000)))
            .collect();
        drop(cache.forms(&Text::new(&long)));
        assert!(
            cache.len() < CAPACITY && cache.spellings.bytes() + cache.lower.bytes() >= ARENA_BYTES
        );
        drop(cache.forms(&small));
        assert_eq!(cache.len(), small.vocab.len());
    }
}
