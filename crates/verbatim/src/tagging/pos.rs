//! Part-of-speech tagging (UPOS): a greedy left-to-right averaged perceptron over hashed
//! features, trained on UD English EWT by `verbatim train pos`.
//!
//! Training and inference share [`PosSentence`] and [`features`], so the two cannot drift
//! apart. Features see words normalized the same way on both sides: lower-cased, digits as `0`,
//! curly quotes and apostrophes as straight ones (news uses `’s`, the treebank mostly `'s`).
//! The tagger keeps no per-token allocations: a [`PosSentence`] is filled once per sentence
//! and reused.

use super::linear::{bucket, feature, feature_n, fnv, prefetch};
use super::{LinearModel, ModelError};
use crate::forms::Forms;
use crate::text::Text;

/// The 17 Universal Dependencies part-of-speech tags, in label order.
pub const UPOS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// Number of UPOS labels.
const NL: usize = UPOS.len();

/// The previous-tag value used before the first token of a sentence (one past the last label).
pub const START_TAG: u8 = NL as u8;

/// Index of a UPOS tag name in [`UPOS`].
pub fn upos_index(name: &str) -> Option<u8> {
    UPOS.iter().position(|&t| t == name).map(|i| i as u8)
}

// Value kinds: hashed once per token with `feature`, so one word's value is shared by every
// template that looks at it (its own slot and its neighbours').
const V_FORM: u8 = 1;
const V_PRE1: u8 = 2;
const V_PRE3: u8 = 3;
const V_SUF1: u8 = 4;
const V_SUF2: u8 = 5;
const V_SUF3: u8 = 6;
const V_SUF4: u8 = 7;
const V_SHAPE: u8 = 8;
const V_SHORT: u8 = 9;
const V_PAD: u8 = 10;
const V_CASED: u8 = 11;

// Templates: a value hash is mixed with a template byte (and tags, if any) by `fnv`.
const T_BIAS: u8 = 20;
const T_W0: u8 = 21;
const T_PRE1: u8 = 22;
const T_PRE3: u8 = 23;
const T_SUF1: u8 = 24;
const T_SUF2: u8 = 25;
const T_SUF3: u8 = 26;
const T_SUF4: u8 = 27;
const T_SHAPE: u8 = 28;
const T_SHORT: u8 = 29;
const T_FLAGS: u8 = 30;
const T_WM1: u8 = 31;
const T_WM2: u8 = 32;
const T_WP1: u8 = 33;
const T_WP2: u8 = 34;
const T_SM1: u8 = 35;
const T_SM2: u8 = 36;
const T_SP1: u8 = 37;
const T_T1: u8 = 39;
const T_T2: u8 = 40;
const T_T12: u8 = 41;
const T_T1W0: u8 = 42;
const T_W0WP1: u8 = 43;
const T_WM1W0: u8 = 44;
const T_SHORTM1: u8 = 45;
const T_SHORTP1: u8 = 46;
const T_T1SUF3: u8 = 47;
const T_FLAGSWM1: u8 = 48;
const T_T1WP1: u8 = 49;
const T_CASED: u8 = 50;

// Token flags.
const F_CAP: u8 = 1;
const F_FIRST: u8 = 2;
const F_HYPHEN: u8 = 4;
const F_DIGIT: u8 = 8;
const F_ALLCAP: u8 = 16;
const F_PUNCT: u8 = 32;

/// Word-level value hashes of one token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tok {
    form: u64,
    pre1: u64,
    pre3: u64,
    suf1: u64,
    suf2: u64,
    suf3: u64,
    suf4: u64,
    shape: u64,
    short: u64,
    cased: u64,
    flags: u8,
}

/// Slots of padding on each side of a sentence, so neighbour features need no bounds checks.
const PAD: usize = 2;

/// A sentence prepared for [`features`]: the hashed word-level values of each token.
///
/// Fill it with [`PosSentence::prepare`]; reuse one across sentences so its buffers are
/// allocated only once.
#[derive(Clone, Debug, Default)]
pub struct PosSentence {
    toks: Vec<Tok>,
    lower: String,
    /// Scratch for the tagger's feature hashes and their weight rows.
    feats: Vec<u64>,
    /// The weight rows of the next token's tag-independent features (see
    /// [`PosTagger::tag_prepared`]).
    next: Vec<usize>,
    rows: Vec<usize>,
}

impl PosSentence {
    /// An empty sentence.
    pub fn new() -> PosSentence {
        PosSentence::default()
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len().saturating_sub(2 * PAD)
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replace the contents with the tokens of one sentence.
    pub fn prepare<I, S>(&mut self, words: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut lower = std::mem::take(&mut self.lower);
        self.fill(words.into_iter().map(|w| token(&mut lower, w.as_ref())));
        self.lower = lower;
    }

    /// Replace the contents with the given tokens of one sentence.
    fn fill(&mut self, toks: impl Iterator<Item = Tok>) {
        self.toks.clear();
        let start = pad(b"<s>");
        self.toks.extend([start; PAD]);
        let mut seen_word = false;
        for mut t in toks {
            // "First" means the first word, so a sentence opening with a quotation mark or a
            // bracket still marks its first word's capital as uninformative.
            if !seen_word && t.flags & F_PUNCT == 0 {
                t.flags |= F_FIRST;
                seen_word = true;
            }
            self.toks.push(t);
        }
        let end = pad(b"</s>");
        self.toks.extend([end; PAD]);
    }
}

/// Hash the word-level values of one token. Only the lower-cased form needs a buffer
/// (`lower`, for its prefixes and suffixes); the other values are hashed as the characters
/// stream by.
pub(crate) fn token(lower: &mut String, word: &str) -> Tok {
    lower.clear();
    let mut flags = 0u8;
    let (mut letters, mut uppers, mut alnum) = (0usize, 0usize, 0usize);
    let mut cased = feature(V_CASED, "");
    let mut shape = feature(V_SHAPE, "");
    let mut short = feature(V_SHORT, "");
    let (mut last_class, mut run) = ('\0', 0usize);
    let mut utf8 = [0u8; 4];
    for (k, c) in word.chars().enumerate() {
        // Curly quotes and dashes as their ASCII forms: the treebank mostly has those.
        // Digits all look alike: 1990 and 2016 share weights.
        let c = match c {
            '’' | '‘' | '‛' | '′' | '`' => '\'',
            '“' | '”' | '„' | '″' | '«' | '»' => '"',
            '—' | '–' | '‒' | '―' | '‐' | '‑' => '-',
            '…' => '.',
            _ if c.is_ascii_digit() => '0',
            _ => c,
        };
        let class = if c.is_uppercase() {
            letters += 1;
            uppers += 1;
            alnum += 1;
            if k == 0 {
                flags |= F_CAP;
            }
            'X'
        } else if c.is_alphabetic() {
            letters += 1;
            alnum += 1;
            'x'
        } else if c.is_numeric() {
            alnum += 1;
            flags |= F_DIGIT;
            'd'
        } else {
            if c == '-' && k > 0 {
                flags |= F_HYPHEN;
            }
            c
        };
        if c.is_ascii() {
            lower.push(c.to_ascii_lowercase());
            cased = fnv(cased, &[c as u8]);
        } else {
            lower.extend(c.to_lowercase());
            cased = fnv(cased, c.encode_utf8(&mut utf8).as_bytes());
        }
        // Shape: runs of a class capped at 4 (Xxxx, dddd, X.X.); short shape: runs as one.
        if class == last_class {
            run += 1;
        } else {
            last_class = class;
            run = 1;
            short = fnv(short, class.encode_utf8(&mut utf8).as_bytes());
        }
        if run <= 4 {
            shape = fnv(shape, class.encode_utf8(&mut utf8).as_bytes());
        }
    }
    if alnum == 0 {
        flags |= F_PUNCT;
    }
    if letters >= 2 && uppers == letters {
        flags |= F_ALLCAP;
    }
    let lower = lower.as_bytes();
    Tok {
        form: fnv(feature(V_FORM, ""), lower),
        pre1: fnv(feature(V_PRE1, ""), &lower[..skip_chars(lower, 1)]),
        pre3: fnv(feature(V_PRE3, ""), &lower[..skip_chars(lower, 3)]),
        suf1: fnv(feature(V_SUF1, ""), &lower[back_chars(lower, 1)..]),
        suf2: fnv(feature(V_SUF2, ""), &lower[back_chars(lower, 2)..]),
        suf3: fnv(feature(V_SUF3, ""), &lower[back_chars(lower, 3)..]),
        suf4: fnv(feature(V_SUF4, ""), &lower[back_chars(lower, 4)..]),
        shape,
        short,
        cased,
        flags,
    }
}

/// Byte length of the first `n` characters of UTF-8 `s` (all of it if shorter).
fn skip_chars(s: &[u8], n: usize) -> usize {
    let mut seen = 0;
    for (i, &b) in s.iter().enumerate() {
        // A byte that is not a continuation byte starts a character.
        if b & 0xc0 != 0x80 {
            if seen == n {
                return i;
            }
            seen += 1;
        }
    }
    s.len()
}

/// Byte offset where the last `n` characters of UTF-8 `s` start (0 if it is shorter).
fn back_chars(s: &[u8], n: usize) -> usize {
    let mut seen = 0;
    for i in (0..s.len()).rev() {
        if s[i] & 0xc0 != 0x80 {
            seen += 1;
            if seen == n {
                return i;
            }
        }
    }
    0
}

/// A padding token: every value is the same marker.
fn pad(marker: &[u8]) -> Tok {
    let h = fnv(feature_n(V_PAD, 0), marker);
    Tok {
        form: h,
        pre1: h,
        pre3: h,
        suf1: h,
        suf2: h,
        suf3: h,
        suf4: h,
        shape: h,
        short: h,
        cased: h,
        flags: 0,
    }
}

/// Mix a value hash with a template byte.
#[inline]
fn at(h: u64, t: u8) -> u64 {
    fnv(h, &[t])
}

/// Mix two hashes under a template.
#[inline]
fn pair(a: u64, b: u64, t: u8) -> u64 {
    fnv(fnv(a, &b.to_le_bytes()), &[t])
}

/// The features of token `i` of `s`, given the tags already chosen for the two tokens before
/// it (`prev` for `i - 1`, `prev2` for `i - 2`; [`START_TAG`] before the sentence). Clears
/// `out` first. Training and tagging both call this, so they see exactly the same features.
pub fn features(s: &PosSentence, i: usize, prev: u8, prev2: u8, out: &mut Vec<u64>) {
    out.clear();
    word_features(s, i, out);
    tag_features(s, i, prev, prev2, out);
}

/// The features of token `i` that do not depend on the tags before it (appended to `out`).
fn word_features(s: &PosSentence, i: usize, out: &mut Vec<u64>) {
    let k = i + PAD;
    let t = &s.toks;
    let w = &t[k];
    out.extend_from_slice(&[
        feature_n(T_BIAS, 0),
        at(w.form, T_W0),
        at(w.cased, T_CASED),
        at(w.pre1, T_PRE1),
        at(w.pre3, T_PRE3),
        at(w.suf1, T_SUF1),
        at(w.suf2, T_SUF2),
        at(w.suf3, T_SUF3),
        at(w.suf4, T_SUF4),
        at(w.shape, T_SHAPE),
        at(w.short, T_SHORT),
        feature_n(T_FLAGS, w.flags as u64),
        at(t[k - 1].form, T_WM1),
        at(t[k - 2].form, T_WM2),
        at(t[k + 1].form, T_WP1),
        at(t[k + 2].form, T_WP2),
        at(t[k - 1].suf3, T_SM1),
        at(t[k - 2].suf3, T_SM2),
        at(t[k + 1].suf3, T_SP1),
        at(t[k - 1].short, T_SHORTM1),
        at(t[k + 1].short, T_SHORTP1),
        pair(w.form, t[k + 1].form, T_W0WP1),
        pair(t[k - 1].form, w.form, T_WM1W0),
        fnv(at(t[k - 1].form, T_FLAGSWM1), &[w.flags]),
    ]);
}

/// The features of token `i` that depend on the two tags before it (appended to `out`).
fn tag_features(s: &PosSentence, i: usize, prev: u8, prev2: u8, out: &mut Vec<u64>) {
    let k = i + PAD;
    let t = &s.toks;
    let w = &t[k];
    out.extend_from_slice(&[
        feature_n(T_T1, prev as u64),
        feature_n(T_T2, prev2 as u64),
        feature_n(T_T12, prev as u64 * 32 + prev2 as u64),
        fnv(at(w.form, T_T1W0), &[prev]),
        fnv(at(w.suf3, T_T1SUF3), &[prev]),
        fnv(at(t[k + 1].form, T_T1WP1), &[prev]),
    ]);
}

/// A greedy left-to-right part-of-speech tagger.
#[derive(Clone, Debug)]
pub struct PosTagger {
    model: LinearModel,
}

impl PosTagger {
    /// Wrap a trained model, checking that its labels are [`UPOS`].
    pub fn new(model: LinearModel) -> Result<PosTagger, ModelError> {
        if model
            .labels
            .iter()
            .map(String::as_str)
            .ne(UPOS.iter().copied())
        {
            return Err(ModelError(format!(
                "model {:?} does not have the UPOS labels",
                model.name
            )));
        }
        Ok(PosTagger { model })
    }

    /// The underlying model.
    pub fn model(&self) -> &LinearModel {
        &self.model
    }

    /// The UPOS index (into [`UPOS`]) of every token of `text`, tagged sentence by sentence.
    pub fn tag_text(&self, text: &Text<'_>) -> Vec<u8> {
        self.tag_forms(text, &crate::forms::WordCache::new().fresh(text))
    }

    /// [`PosTagger::tag_text`] with the word forms' values at hand.
    pub(crate) fn tag_forms(&self, text: &Text<'_>, forms: &Forms<'_>) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.tokens.len());
        let mut s = PosSentence::new();
        let tok = |i: usize| forms.pos(text.word_ids[i]);
        let mut next = 0;
        for r in &text.sentences {
            // Sentences should tile the tokens; tag any gap as a sentence of its own.
            if r.start > next {
                s.fill((next..r.start).map(tok));
                self.tag_prepared(&mut s, &mut out);
            }
            s.fill(r.clone().map(tok));
            self.tag_prepared(&mut s, &mut out);
            next = r.end;
        }
        if next < text.tokens.len() {
            s.fill((next..text.tokens.len()).map(tok));
            self.tag_prepared(&mut s, &mut out);
        }
        out
    }

    /// The UPOS index of each word of one sentence.
    pub fn tag(&self, words: &[&str]) -> Vec<u8> {
        let mut s = PosSentence::new();
        s.prepare(words);
        let mut out = Vec::with_capacity(words.len());
        self.tag_prepared(&mut s, &mut out);
        out
    }

    /// Tag a prepared sentence, appending its tags to `out` (`s` keeps scratch space).
    pub fn tag_prepared(&self, s: &mut PosSentence, out: &mut Vec<u8>) {
        let mut feats = std::mem::take(&mut s.feats);
        let mut next = std::mem::take(&mut s.next);
        let mut rows = std::mem::take(&mut s.rows);
        let m = &self.model;
        let (mut prev, mut prev2) = (START_TAG, START_TAG);
        // The weight rows of token `i`'s tag-independent features, asked for ahead.
        let ask = |i: usize, feats: &mut Vec<u64>, out: &mut Vec<usize>| {
            out.clear();
            if i < s.len() {
                feats.clear();
                word_features(s, i, feats);
                for &h in feats.iter() {
                    let row = bucket(h, m.bits) * NL;
                    prefetch(&m.weights[row]);
                    prefetch(&m.weights[row + NL - 1]);
                    out.push(row);
                }
            }
        };
        ask(0, &mut feats, &mut next);
        for i in 0..s.len() {
            // The table is a few megabytes and most rows are cold. The next token's rows that
            // do not depend on the tags are asked for now (both ends: a row may straddle two
            // cache lines), to arrive while this one is tagged; this token's rows are touched
            // in a loop of independent loads, so that the misses left (its tag-dependent rows)
            // overlap instead of stalling the summing loop one at a time. (Asking two tokens
            // ahead measured the same.)
            std::mem::swap(&mut rows, &mut next);
            ask(i + 1, &mut feats, &mut next);
            feats.clear();
            tag_features(s, i, prev, prev2, &mut feats);
            rows.extend(feats.iter().map(|&h| bucket(h, m.bits) * NL));
            let mut touch = 0i16;
            for &row in &rows {
                touch ^= m.weights[row] ^ m.weights[row + NL - 1];
            }
            std::hint::black_box(touch);
            let tag = argmax(&self.add(&rows));
            out.push(tag);
            prev2 = prev;
            prev = tag;
        }
        s.feats = feats;
        s.next = next;
        s.rows = rows;
    }

    /// The sums of the weight rows starting at `rows`.
    #[inline]
    fn add(&self, rows: &[usize]) -> [i32; NL] {
        let mut acc = [0i32; NL];
        for &row in rows {
            let w: &[i16; NL] = self.model.weights[row..row + NL].try_into().unwrap();
            for k in 0..NL {
                acc[k] += w[k] as i32;
            }
        }
        acc
    }
}

/// Index of the largest value (the first one on ties).
#[inline]
pub fn argmax<T: PartialOrd + Copy>(scores: &[T]) -> u8 {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Option<PosTagger> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/pos.bin");
        let bytes = std::fs::read(path).ok()?;
        Some(PosTagger::new(LinearModel::from_bytes(&bytes).unwrap()).unwrap())
    }

    fn feats(words: &[&str], i: usize) -> Vec<u64> {
        let mut s = PosSentence::new();
        s.prepare(words);
        let mut out = Vec::new();
        features(&s, i, 3, START_TAG, &mut out);
        out
    }

    #[test]
    fn features_are_deterministic_and_normalized() {
        let a = feats(&["It", "’s", "1990", "."], 1);
        assert_eq!(a, feats(&["It", "’s", "1990", "."], 1));
        // Curly and straight apostrophes, and any digits, give the same features.
        assert_eq!(a, feats(&["It", "'s", "2016", "."], 1));
        assert_ne!(a, feats(&["It", "is", "2016", "."], 1));
        // Reusing a sentence gives the same result as a fresh one.
        let mut s = PosSentence::new();
        s.prepare(["a", "b", "c", "d", "e", "f"]);
        s.prepare(["It", "’s", "1990", "."]);
        let mut out = Vec::new();
        features(&s, 1, 3, START_TAG, &mut out);
        assert_eq!(a, out);
        assert_eq!(s.len(), 4);
    }

    #[test]
    fn first_word_skips_leading_quotes() {
        let mut s = PosSentence::new();
        s.prepare(["“", "We", "won", "”"]);
        assert_eq!(s.toks[PAD].flags & F_FIRST, 0);
        assert_ne!(s.toks[PAD + 1].flags & F_FIRST, 0);
        assert_eq!(s.toks[PAD + 2].flags & F_FIRST, 0);
    }

    #[test]
    fn rejects_wrong_labels() {
        let m = LinearModel::quantize("x", vec!["A".into()], 4, &[0.0; 16], vec![0.0; 2]);
        assert!(PosTagger::new(m).is_err());
    }

    #[test]
    fn tags_every_token() {
        let labels = UPOS.iter().map(|s| s.to_string()).collect();
        let zero = LinearModel::quantize("pos", labels, 4, &[0.0; 16 * NL], vec![0.0; 18 * NL]);
        let tagger = PosTagger::new(zero).unwrap();
        assert!(tagger.tag(&[]).is_empty());
        assert_eq!(tagger.tag(&["a", "b"]), [0, 0]);
        let text = Text::new("Hello there. “Bye,” he said.\n\nNew paragraph");
        assert_eq!(tagger.tag_text(&text).len(), text.tokens.len());
        assert!(tagger.tag_text(&Text::new("")).is_empty());
    }

    #[test]
    fn shipped_model_tags_the_obvious() {
        let Some(tagger) = shipped() else {
            eprintln!("skipped: models/pos.bin not built yet");
            return;
        };
        let words = [
            "Mr.", "Obama", "’s", "aides", "said", "the", "U.S.", "would", "n't", "win", ".",
        ];
        let tags: Vec<&str> = tagger
            .tag(&words)
            .iter()
            .map(|&t| UPOS[t as usize])
            .collect();
        assert_eq!(
            tags,
            [
                "PROPN", "PROPN", "PART", "NOUN", "VERB", "DET", "PROPN", "AUX", "PART", "VERB",
                "PUNCT"
            ]
        );
        let text = Text::new("“We will win,” said Senator Jane Smith. The dog barked.");
        let tags = tagger.tag_text(&text);
        assert_eq!(tags.len(), text.tokens.len());
        let tag_of = |w: &str| {
            let i = (0..text.tokens.len()).find(|&i| text.word(i) == w).unwrap();
            UPOS[tags[i] as usize]
        };
        assert_eq!(tag_of("We"), "PRON");
        assert_eq!(tag_of("said"), "VERB");
        assert_eq!(tag_of("Smith"), "PROPN");
        assert_eq!(tag_of("dog"), "NOUN");
        assert_eq!(tag_of("“"), "PUNCT");
    }
}
