//! Features of the attribution taggers.
//!
//! Two taggers share one token table ([`TokenInfo`], computed once per document):
//! the cue tagger labels every token of a paragraph O/B/I (is it part of a cue?); the role
//! tagger runs once per cue over the cue's window and labels tokens as source or content of
//! *that* cue, so its features are mostly relative to the cue (side, distance, what lies
//! between). Features are 64-bit hashes built from precomputed per-token hashes, so the hot
//! loop hashes integers, not strings.

use crate::forms::Forms;
use crate::lexicon;
use crate::tagging::linear::feature;
use crate::text::{qflags, Text, TokenKind};
use std::ops::Range;

/// Per-token values the features are built from: the token's word (an index into
/// [`TokenTable::words`]) and what depends on its place in the text. Eight bytes, so a
/// document of millions of tokens keeps a small table.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenInfo {
    /// Index of the token's word form in [`TokenTable::words`].
    pub word: u32,
    /// UPOS index.
    pub pos: u8,
    /// Quotation flags (see `text::qflags`).
    pub q: u8,
    /// Token kind: 0 word, 1 number, 2 quote mark, 3 final punctuation, 4 other punctuation.
    pub kind: u8,
}

/// Values of one word form, shared by every token that spells it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordInfo {
    /// Hash of the lower-cased word (curly apostrophes folded).
    pub lower: u64,
    /// Hash of the rough lemma.
    pub lemma: u64,
    /// Hash of the word shape (Xxxx, dd, x.x, …).
    pub shape: u64,
    /// Hash of the last three characters, lower-cased.
    pub suffix: u64,
    /// The lemma is in the cue lexicon.
    pub cue_lex: bool,
    /// WordNet class of the most frequent verb sense (0: none).
    pub wn_verb: u8,
    /// WordNet class of the most frequent noun sense (0: none).
    pub wn_noun: u8,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// A personal pronoun.
    pub pronoun: bool,
    /// A title or honorific.
    pub title: bool,
    /// `,` token.
    pub comma: bool,
    /// `:` token.
    pub colon: bool,
    /// A word that opens a clause ("and", "but", "because", "which", …), as its `lower`
    /// hash; 0 otherwise.
    pub link: u64,
}

/// The token table of a document: per token a [`TokenInfo`], per distinct word form a
/// [`WordInfo`] (computed once per form: lemmas and lexicon look-ups are the costly part).
#[derive(Clone, Debug, Default)]
pub struct TokenTable {
    /// One entry per token.
    pub tokens: Vec<TokenInfo>,
    /// One entry per distinct word form.
    pub words: Vec<WordInfo>,
}

impl TokenTable {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when the document has no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The word values of token `i`.
    #[inline]
    pub fn word(&self, i: usize) -> &WordInfo {
        &self.words[self.tokens[i].word as usize]
    }
}

/// Fill the token table of a document.
pub fn token_info(text: &Text<'_>, pos: &[u8]) -> TokenTable {
    token_table(text, pos, &crate::forms::WordCache::new().fresh(text))
}

/// [`token_info`] with the word forms' values at hand.
pub(crate) fn token_table(text: &Text<'_>, pos: &[u8], forms: &Forms<'_>) -> TokenTable {
    let mut tokens = Vec::with_capacity(text.tokens.len());
    let mut words: Vec<WordInfo> = (0..text.vocab.len() as u32)
        .map(|id| forms.info(id))
        .collect();
    // A single mark standing for an outer quotation mark (British style) is, to the models, the
    // double mark they learnt those from ("said: 'I …" reads as "said: \"I …").
    let mut double_mark = None;
    for (i, t) in text.tokens.iter().enumerate() {
        let outer_single = matches!(t.kind, TokenKind::Quote(q) if !q.is_double())
            && text.qflags[i] & (qflags::IN_DOUBLE | qflags::IN_SINGLE) == qflags::IN_DOUBLE
            && text.qflags[i] & (qflags::OPEN | qflags::CLOSE) != 0;
        // So is a typewriter double mark (`''`, the New York Times archive's, and the Penn
        // Treebank's opening ``` `` ```).
        let typewriter =
            matches!(t.kind, TokenKind::Quote(_)) && matches!(text.word(i), "''" | "``");
        let word = if outer_single || typewriter {
            *double_mark.get_or_insert_with(|| {
                words.push(word_info("\"", &mut String::new()));
                words.len() as u32 - 1
            })
        } else {
            text.word_ids[i]
        };
        tokens.push(TokenInfo {
            word,
            pos: pos.get(i).copied().unwrap_or(16),
            q: text.qflags[i],
            kind: match t.kind {
                TokenKind::Word => 0,
                TokenKind::Number => 1,
                TokenKind::Quote(_) => 2,
                TokenKind::Final => 3,
                TokenKind::Punct => 4,
            },
        });
    }
    TokenTable { tokens, words }
}

/// The values of word form `w`; `buf` is scratch space.
pub(crate) fn word_info(w: &str, buf: &mut String) -> WordInfo {
    buf.clear();
    for c in w.chars() {
        match c {
            '’' | '‘' => buf.push('\''),
            c if c.is_ascii() => buf.push(c.to_ascii_lowercase()),
            c => buf.extend(c.to_lowercase()),
        }
    }
    // "Mr." and "Mr" (British style) are the same word to the models.
    if buf.len() > 2 && buf.ends_with('.') && lexicon::is_title_abbreviation(buf) {
        buf.pop();
    }
    let lemma = lexicon::lemma(buf);
    let suffix_start = buf.char_indices().rev().nth(2).map_or(0, |(k, _)| k);
    let wn = lexicon::wordnet::supersenses(buf);
    let lower = feature(1, buf);
    WordInfo {
        lower,
        lemma: feature(2, &lemma),
        shape: feature(3, &shape(w)),
        suffix: feature(4, &buf[suffix_start..]),
        cue_lex: lexicon::is_cue_lemma(&lemma),
        wn_verb: wn.verb,
        wn_noun: wn.noun,
        cap: w.chars().next().is_some_and(char::is_uppercase),
        pronoun: lexicon::pronoun(buf).is_some(),
        title: lexicon::is_title(buf),
        comma: w == ",",
        colon: w == ":",
        link: if matches!(
            buf.as_str(),
            "and"
                | "but"
                | "because"
                | "while"
                | "although"
                | "though"
                | "whereas"
                | "or"
                | "yet"
                | "since"
                | "which"
                | "who"
                | "where"
                | "when"
                | "after"
                | "before"
                | "unless"
                | "if"
        ) {
            lower
        } else {
            0
        },
    }
}

fn shape(w: &str) -> String {
    let mut s = String::with_capacity(6);
    let mut last = ' ';
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k != last {
            s.push(k);
            last = k;
        }
        if s.len() >= 6 {
            break;
        }
    }
    s
}

/// Mix a template id and up to three values into a feature hash.
#[inline]
pub fn mix(t: u64, a: u64, b: u64, c: u64) -> u64 {
    let mut h = t.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ a;
    h = (h ^ (h >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ b;
    h = (h ^ (h >> 29)).wrapping_mul(0x94D0_49BB_1331_11EB) ^ c;
    h ^ (h >> 32)
}

const NONE: u64 = 0x5151;

fn qstate(q: u8) -> u64 {
    (q & (qflags::IN_DOUBLE | qflags::IN_SINGLE | qflags::OPEN | qflags::CLOSE | qflags::UNCLOSED))
        as u64
}

/// Features of token `i` for the cue tagger. `range` is the paragraph (or window).
pub fn cue_features(
    tok: &TokenTable,
    text: &Text<'_>,
    range: &Range<usize>,
    i: usize,
    out: &mut Vec<u64>,
) {
    cue_features_with(tok, text, range, i, &mut SentenceMarks::default(), out);
}

/// The quotation marks of one sentence, kept while its tokens are tagged: the cue features
/// look for the nearest mark on each side, and scanning the sentence from every token would
/// be quadratic in its length.
#[derive(Clone, Debug, Default)]
pub struct SentenceMarks {
    /// The sentence the marks are of.
    sentence: Option<usize>,
    /// Token indices of its quotation marks, in order.
    marks: Vec<usize>,
    /// A token of the sentence is inside a double quotation.
    has_double: bool,
}

impl SentenceMarks {
    fn of(&mut self, tok: &TokenTable, text: &Text<'_>, sentence: usize) {
        if self.sentence == Some(sentence) {
            return;
        }
        let s = &text.sentences[sentence];
        let t = &tok.tokens[s.clone()];
        self.sentence = Some(sentence);
        self.marks.clear();
        self.marks.extend(
            s.clone()
                .zip(t)
                .filter(|(_, t)| t.kind == 2)
                .map(|(k, _)| k),
        );
        self.has_double = t.iter().any(|t| t.q & qflags::IN_DOUBLE != 0);
    }
}

/// [`cue_features`], reusing `marks` between the tokens of a sentence.
pub fn cue_features_with(
    tok: &TokenTable,
    text: &Text<'_>,
    range: &Range<usize>,
    i: usize,
    marks: &mut SentenceMarks,
    out: &mut Vec<u64>,
) {
    out.clear();
    let at = |k: isize| -> Option<&WordInfo> {
        let k = i as isize + k;
        (k >= range.start as isize && (k as usize) < range.end).then(|| tok.word(k as usize))
    };
    let at_tok = |k: isize| -> Option<&TokenInfo> {
        let k = i as isize + k;
        (k >= range.start as isize && (k as usize) < range.end).then(|| &tok.tokens[k as usize])
    };
    let low = |k: isize| at(k).map_or(NONE, |t| t.lower);
    let pos = |k: isize| at_tok(k).map_or(99, |t| t.pos as u64);
    let q = |k: isize| at_tok(k).map_or(99, |t| qstate(t.q));
    let ti = &tok.tokens[i];
    let t = tok.word(i);
    let p = ti.pos as u64;
    let sentence = text.sentence_of[i] as usize;
    let s = &text.sentences[sentence];
    out.push(mix(0, 0, 0, 0));
    out.push(mix(1, t.lower, 0, 0));
    out.push(mix(2, t.lemma, 0, 0));
    out.push(mix(3, p, 0, 0));
    out.push(mix(4, t.shape, 0, 0));
    out.push(mix(5, t.suffix, 0, 0));
    out.push(mix(6, t.lemma, p, 0));
    out.push(mix(7, low(-1), 0, 0));
    out.push(mix(8, low(1), 0, 0));
    out.push(mix(9, low(-2), 0, 0));
    out.push(mix(10, low(2), 0, 0));
    out.push(mix(11, pos(-1), p, 0));
    out.push(mix(12, p, pos(1), 0));
    out.push(mix(13, low(-1), t.lower, 0));
    out.push(mix(14, t.lower, low(1), 0));
    out.push(mix(15, t.cue_lex as u64, p, 0));
    out.push(mix(16, q(0), 0, 0));
    out.push(mix(17, q(-1), q(1), 0));
    out.push(mix(18, qstate(ti.q), t.lemma, 0));
    out.push(mix(19, (i == s.start) as u64, (i + 1 == s.end) as u64, 0));
    out.push(mix(20, pos(-2), pos(-1), p));
    out.push(mix(21, t.cue_lex as u64, q(-1), q(1)));
    out.push(mix(22, t.lemma, low(1), 0));
    out.push(mix(23, t.lemma, low(-1), 0));
    // Nearest quotation mark in the sentence, each side, with the cue-lexicon bit.
    let (dl, dr, sentence_has_double) = if s.contains(&i) {
        marks.of(tok, text, sentence);
        let m = &marks.marks;
        let k = m.partition_point(|&k| k < i);
        let dl = if k > 0 { bucket(i - m[k - 1]) } else { 0 };
        let right = if m.get(k) == Some(&i) { k + 1 } else { k };
        let dr = m.get(right).map_or(0, |&k| bucket(k - i));
        (dl, dr, marks.has_double)
    } else {
        // Sentences tile the tokens; should one not hold its token, scan as the definition says.
        let dl = (s.start..i)
            .rev()
            .position(|k| tok.tokens[k].kind == 2)
            .map_or(0, |n| bucket(n + 1));
        let dr = (i + 1..s.end)
            .position(|k| tok.tokens[k].kind == 2)
            .map_or(0, |n| bucket(n + 1));
        let has = (s.start..s.end).any(|k| tok.tokens[k].q & qflags::IN_DOUBLE != 0);
        (dl, dr, has)
    };
    out.push(mix(24, dl, dr, t.cue_lex as u64));
    out.push(mix(25, dl, dr, p));
    out.push(mix(26, sentence_has_double as u64, t.lemma, 0));
    out.push(mix(27, pos(-1), pos(1), t.cue_lex as u64));
    // WordNet supersenses: what kind of verb or noun a rare word is.
    out.push(mix(28, t.wn_verb as u64, p, 0));
    out.push(mix(29, t.wn_noun as u64, p, 0));
    out.push(mix(30, t.wn_verb as u64, low(1), 0));
    out.push(mix(31, t.wn_noun as u64, low(1), 0));
}

/// Distance bucket.
#[inline]
pub fn bucket(d: usize) -> u64 {
    match d {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4..=5 => 4,
        6..=9 => 5,
        10..=19 => 6,
        20..=39 => 7,
        _ => 8,
    }
}

/// What lies between a token and the cue, computed once per cue by scanning outwards.
#[derive(Clone, Copy, Debug, Default)]
pub struct Between {
    /// A quotation mark lies between.
    pub quote: bool,
    /// A comma lies between.
    pub comma: bool,
    /// Another cue lies between.
    pub cue: bool,
    /// A sentence boundary lies between.
    pub sentence: bool,
    /// A colon lies between.
    pub colon: bool,
    /// How many verbs lie between (at most 3).
    pub verbs: u8,
    /// The clause-opening word ([`WordInfo::link`]) nearest the cue between, or 0.
    pub link: u64,
}

impl Between {
    fn code(self) -> u64 {
        (self.quote as u64)
            | (self.comma as u64) << 1
            | (self.cue as u64) << 2
            | (self.sentence as u64) << 3
            | (self.colon as u64) << 4
    }
}

/// The per-cue context of the role tagger.
#[derive(Clone, Debug)]
pub struct CueContext {
    /// The cue's tokens.
    pub cue: Range<usize>,
    /// Hash of the cue's lemmas.
    pub lemma: u64,
    /// Hash of the cue's head (last word) lemma.
    pub head: u64,
    /// The word before the cue.
    pub before: u64,
    /// The word after the cue.
    pub after: u64,
    /// Quotation state at the cue.
    pub q: u64,
    /// Bit 0: a quotation closes just before the cue (`"…," she said`); bit 1: one opens just
    /// after it (`said: "…"`).
    pub adjacent: u64,
    /// Sentence of the cue.
    pub sentence: usize,
    /// Per token of the window: what lies between it and the cue.
    pub between: Vec<Between>,
}

/// The most tokens a cue's window holds. Every cue tags its whole window, so an unbounded one
/// makes a paragraph's cost grow with the square of its length (a text without paragraph
/// breaks, or a hostile one); news paragraphs are a few dozen tokens, and a source or content
/// hundreds of tokens from its cue is rare.
pub const MAX_WINDOW: usize = 1000;

/// The fewest tokens [`window_budgets`] gives a cue's window.
pub const MIN_WINDOW: usize = 160;

/// Tokens of windows a paragraph's cues may tag together, per token of the paragraph: a
/// paragraph dense with cues gives each a smaller window (never below [`MIN_WINDOW`]).
const WINDOW_WORK: usize = 64;

/// A paragraph with this many cues or fewer gives each the full window, which may reach over
/// the following paragraphs (a quotation continued there) whatever its own length.
const FEW_CUES: usize = 8;

/// The window size allowed to the cues of each paragraph: [`MAX_WINDOW`], less where a
/// paragraph has more than [`FEW_CUES`] cues and their windows together would exceed
/// [`WINDOW_WORK`] tokens per token of it (a list of "X said." lines run together, or a
/// hostile text). News paragraphs have a cue or two in a few dozen tokens and keep the full
/// size.
pub fn window_budgets<'a>(
    text: &Text<'_>,
    cues: impl Iterator<Item = &'a Range<usize>>,
) -> Vec<usize> {
    let mut count = vec![0usize; text.paragraphs.len()];
    for c in cues {
        count[text.paragraph_of(c.start) as usize] += 1;
    }
    text.paragraphs
        .iter()
        .zip(count)
        .map(|(p, n)| {
            if n <= FEW_CUES {
                MAX_WINDOW
            } else {
                (WINDOW_WORK * p.len() / n).clamp(MIN_WINDOW, MAX_WINDOW)
            }
        })
        .collect()
}

/// The window a cue's source and content are looked for in: its paragraph, extended over the
/// following paragraphs when the paragraph ends with a colon or a quotation continues, and cut
/// down to at most `budget` tokens around the cue (at sentence ends where they fall within
/// that; see [`window_budgets`]).
pub fn window(text: &Text<'_>, cue: &Range<usize>, budget: usize) -> Range<usize> {
    clip(text, whole_window(text, cue), cue, budget)
}

/// `r` cut down to `budget` tokens around `cue`: as many before it as after it, unless one
/// side runs out, then moved in to the nearest sentence boundaries that keep the cue.
fn clip(text: &Text<'_>, r: Range<usize>, cue: &Range<usize>, budget: usize) -> Range<usize> {
    if r.len() <= budget {
        return r;
    }
    let room = budget.saturating_sub(cue.len());
    let before = (cue.start - r.start).min(room - (room / 2).min(r.end - cue.end));
    let start = cue.start - before;
    let end = (cue.end + (room - before)).min(r.end);
    // A sentence cut in two would read as a fragment: start and end at sentence boundaries
    // inside the cut when there are any between it and the cue.
    let first = text.sentence_of[start] as usize;
    let start = if text.sentences[first].start == start {
        start
    } else {
        text.sentences
            .get(first + 1)
            .map(|s| s.start)
            .filter(|&s| s <= cue.start)
            .unwrap_or(start)
    };
    let last = text.sentence_of[end - 1] as usize;
    let end = if text.sentences[last].end == end {
        end
    } else {
        last.checked_sub(1)
            .map(|k| text.sentences[k].end)
            .filter(|&e| e >= cue.end && e > start)
            .unwrap_or(end)
    };
    start..end
}

/// A cue's window before [`clip`].
fn whole_window(text: &Text<'_>, cue: &Range<usize>) -> Range<usize> {
    let p = text.paragraph_of(cue.start) as usize;
    let mut r = text.paragraphs[p].clone();
    let mut k = p;
    while k + 1 < text.paragraphs.len() && k < p + 3 {
        let last = r.end - 1;
        let ends_colon = text.word(last) == ":";
        let continues = text.qflags[last] & qflags::UNCLOSED != 0
            && text
                .quotations
                .iter()
                .any(|q| q.continues && q.tokens.end == r.end);
        if !(ends_colon || continues) {
            break;
        }
        k += 1;
        r.end = text.paragraphs[k].end;
    }
    r
}

/// Build the context of a cue. `is_cue` marks the tokens of every cue of the document.
pub fn cue_context(
    tok: &TokenTable,
    text: &Text<'_>,
    window: &Range<usize>,
    cue: Range<usize>,
    is_cue: &[bool],
) -> CueContext {
    let mut lemma = 0x77u64;
    for k in cue.clone() {
        lemma = mix(90, lemma, tok.word(k).lemma, 0);
    }
    let head = (cue.start..cue.end)
        .rev()
        .find(|&k| tok.tokens[k].kind == 0)
        .map_or(NONE, |k| tok.word(k).lemma);
    let before = if cue.start > window.start {
        tok.word(cue.start - 1).lower
    } else {
        NONE
    };
    let after = if cue.end < window.end {
        tok.word(cue.end).lower
    } else {
        NONE
    };
    let mut between = vec![Between::default(); window.len()];
    let mut acc = Between::default();
    for k in (window.start..cue.start).rev() {
        between[k - window.start] = acc;
        accumulate(&mut acc, tok, text, k, is_cue, true);
    }
    acc = Between::default();
    for k in cue.end..window.end {
        between[k - window.start] = acc;
        accumulate(&mut acc, tok, text, k, is_cue, false);
    }
    let closes_before = (cue.start.saturating_sub(4).max(window.start)..cue.start)
        .any(|k| tok.tokens[k].q & qflags::CLOSE != 0);
    let opens_after =
        (cue.end..(cue.end + 3).min(window.end)).any(|k| tok.tokens[k].q & qflags::OPEN != 0);
    CueContext {
        adjacent: closes_before as u64 | (opens_after as u64) << 1,
        q: qstate(tok.tokens[cue.start].q),
        sentence: text.sentence_of[cue.start] as usize,
        cue,
        lemma,
        head,
        before,
        after,
        between,
    }
}

fn accumulate(
    acc: &mut Between,
    tok: &TokenTable,
    text: &Text<'_>,
    k: usize,
    is_cue: &[bool],
    leftwards: bool,
) {
    let t = &tok.tokens[k];
    let w = tok.word(k);
    acc.quote |= t.kind == 2;
    acc.comma |= w.comma;
    acc.colon |= w.colon;
    acc.cue |= is_cue[k];
    acc.verbs = (acc.verbs + (t.pos == 15) as u8).min(3);
    if acc.link == 0 {
        acc.link = w.link;
    }
    // Crossing into another sentence.
    let s = &text.sentences[text.sentence_of[k] as usize];
    if leftwards {
        acc.sentence |= k == s.start;
    } else {
        acc.sentence |= k + 1 == s.end;
    }
}

/// Features of token `i` for the role tagger, relative to the cue in `cx`.
pub fn role_features(
    tok: &TokenTable,
    text: &Text<'_>,
    window: &Range<usize>,
    cx: &CueContext,
    i: usize,
    out: &mut Vec<u64>,
) {
    out.clear();
    let t = &tok.tokens[i];
    let w = tok.word(i);
    let (side, d) = if i < cx.cue.start {
        (1u64, cx.cue.start - i)
    } else if i >= cx.cue.end {
        (2u64, i + 1 - cx.cue.end)
    } else {
        (3u64, 0)
    };
    let db = bucket(d);
    let sd = (text.sentence_of[i] as i64 - cx.sentence as i64).clamp(-2, 2) as u64;
    let b = cx.between[i - window.start];
    let bc = b.code();
    let inside = |k: isize| -> Option<usize> {
        let k = i as isize + k;
        (k >= window.start as isize && (k as usize) < window.end).then_some(k as usize)
    };
    let low = |k: isize| inside(k).map_or(NONE, |k| tok.word(k).lower);
    let pos = |k: isize| inside(k).map_or(99, |k| tok.tokens[k].pos as u64);
    let q = qstate(t.q);
    let p = t.pos as u64;
    let s = &text.sentences[text.sentence_of[i] as usize];
    out.push(mix(100, side, 0, 0));
    out.push(mix(101, side, db, 0));
    out.push(mix(102, side, sd, 0));
    out.push(mix(103, side, w.lower, 0));
    out.push(mix(104, side, p, 0));
    out.push(mix(105, side, p, db));
    out.push(mix(106, side, w.shape, 0));
    out.push(mix(107, side, cx.head, 0));
    out.push(mix(108, side, cx.head, db));
    out.push(mix(109, side, cx.head, p));
    out.push(mix(110, side, q, 0));
    out.push(mix(111, side, q, sd));
    out.push(mix(112, q, cx.q, side));
    out.push(mix(113, side, bc, 0));
    out.push(mix(114, side, bc, p));
    out.push(mix(115, side, bc, q));
    out.push(mix(116, side, low(-1), 0));
    out.push(mix(117, side, low(1), 0));
    out.push(mix(118, side, pos(-1), p));
    out.push(mix(119, side, p, pos(1)));
    out.push(mix(120, side, cx.before, db.min(3)));
    out.push(mix(121, side, cx.after, db.min(3)));
    out.push(mix(
        122,
        side,
        w.pronoun as u64 | (w.title as u64) << 1 | (w.cap as u64) << 2,
        db.min(4),
    ));
    out.push(mix(
        123,
        side,
        (i == s.start) as u64 | ((i + 1 == s.end) as u64) << 1,
        sd,
    ));
    out.push(mix(124, side, cx.lemma, 0));
    out.push(mix(125, side, bc, db));
    out.push(mix(126, side, (b.verbs > 0) as u64, p));
    out.push(mix(127, side, cx.after, q));
    out.push(mix(128, side, cx.before, q));
    out.push(mix(129, side, t.kind as u64, bc));
    out.push(mix(130, side, cx.head, bc));
    out.push(mix(131, side, low(-1), w.lower));
    out.push(mix(132, side, w.wn_noun as u64, p));
    out.push(mix(133, side, w.wn_verb as u64, p));
    out.push(mix(134, side, b.verbs as u64, p));
    out.push(mix(135, side, b.link, b.comma as u64));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_buckets() {
        assert_eq!(shape("Obama"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("2012"), "d");
        assert!(bucket(3) < bucket(7) && bucket(100) == bucket(1000));
    }

    #[test]
    fn outer_single_marks_read_as_double_ones() {
        let table = |src: &str| {
            let t = Text::new(src);
            let tok = token_info(&t, &vec![0; t.tokens.len()]);
            (0..t.tokens.len())
                .map(|i| (*tok.word(i), tok.tokens[i].q))
                .collect::<Vec<_>>()
        };
        let single = table("Salah, who scored, said: 'I wanted to help. We won.'");
        assert_eq!(
            single,
            table("Salah, who scored, said: \"I wanted to help. We won.\"")
        );
        // Single marks nested in double ones keep their own spelling.
        let nested = table("He said: \"They call it 'rubbish' now.\"");
        assert_ne!(nested[7].0, nested[3].0);
        assert_eq!(nested[7].0, table("'")[0].0);
    }

    #[test]
    fn between_counts_verbs_and_keeps_the_clause_word_nearest_the_cue() {
        let t = Text::new("Smith said the plan failed because voters left and prices rose.");
        // Verbs (UPOS 15) by hand, so the test does not depend on the tagger's model.
        let verbs = ["said", "failed", "left", "rose"];
        let pos: Vec<u8> = (0..t.tokens.len())
            .map(|i| if verbs.contains(&t.word(i)) { 15 } else { 7 })
            .collect();
        let tok = token_info(&t, &pos);
        let window = 0..t.tokens.len();
        let is_cue = vec![false; t.tokens.len()];
        let cx = cue_context(&tok, &t, &window, 1..2, &is_cue);
        let at = |w: &str| cx.between[(0..t.tokens.len()).find(|&i| t.word(i) == w).unwrap()];
        assert_eq!((at("the").verbs, at("the").link), (0, 0));
        assert_eq!((at("because").verbs, at("because").link), (1, 0));
        let because = feature(1, "because");
        assert_eq!((at("voters").verbs, at("voters").link), (1, because));
        // "and" comes later: the clause word nearest the cue is kept.
        assert_eq!((at("prices").verbs, at("prices").link), (2, because));
        assert_eq!(at("rose").verbs, 2);
        assert_eq!(at(".").verbs, 3);
        assert_eq!(at("Smith").link, 0);
    }

    #[test]
    fn window_extends_over_colon_paragraph() {
        let t = Text::new("Breitbart News responded:\n\n\"If there are people.\"\n\nAfter.");
        let w = window(&t, &(2..3), MAX_WINDOW);
        assert_eq!(w, 0..t.paragraphs[1].end);
    }

    #[test]
    fn a_long_paragraph_gives_each_cue_a_bounded_window_cut_at_sentence_ends() {
        // One paragraph of 3,000 sentences of 4 tokens: "Obama said so."
        let doc = "Obama said so. ".repeat(3000);
        let t = Text::new(&doc);
        assert_eq!(t.paragraphs.len(), 1);
        for cue in [1..2, 6001..6002, 11_997..11_998] {
            let w = window(&t, &cue, MAX_WINDOW);
            assert!(w.len() <= MAX_WINDOW, "{w:?}");
            assert!(w.len() > MAX_WINDOW - 8, "{w:?}: the room is used");
            assert!(w.start <= cue.start && cue.end <= w.end, "{w:?}");
            assert_eq!(t.sentences[t.sentence_of[w.start] as usize].start, w.start);
            assert_eq!(t.sentences[t.sentence_of[w.end - 1] as usize].end, w.end);
        }
        // Near the start, the room left before the cue goes after it.
        assert_eq!(window(&t, &(1..2), MAX_WINDOW).start, 0);
        // A paragraph within the bound is the window, as before.
        let t = Text::new("Obama said so. He did.");
        assert_eq!(window(&t, &(1..2), MAX_WINDOW), t.paragraphs[0].clone());
    }

    #[test]
    fn paragraphs_dense_with_cues_give_each_a_smaller_window() {
        let doc = format!(
            "{}\n\nObama said so. {}",
            "Obama said so. ".repeat(3000),
            "x ".repeat(500)
        );
        let t = Text::new(&doc);
        let cues: Vec<Range<usize>> = (0..3000)
            .map(|k| 4 * k + 1..4 * k + 2)
            .chain(std::iter::once(12_001..12_002))
            .collect();
        let b = window_budgets(&t, cues.iter());
        // One cue in four tokens: 64 × 4 tokens each. One cue in 500 tokens: the most.
        assert_eq!(b, vec![256, MAX_WINDOW]);
        let w = window(&t, &(6001..6002), b[0]);
        assert!(w.len() <= 256 && w.contains(&6001), "{w:?}");
        // A few cues keep the full size, however short their paragraph.
        let t = Text::new("Obama said so, he said, she said.");
        assert_eq!(
            window_budgets(&t, [1..2, 6..7, 9..10].iter()),
            vec![MAX_WINDOW]
        );
        let saids = "said ".repeat(400);
        let t = Text::new(&saids);
        let every: Vec<Range<usize>> = (0..400).map(|k| k..k + 1).collect();
        assert_eq!(window_budgets(&t, every.iter()), vec![MIN_WINDOW]);
    }
}
