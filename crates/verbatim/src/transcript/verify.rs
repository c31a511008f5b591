//! Checking a reported quote against a transcript.
//!
//! **Alignment.** Both sides become normalised words (see the `words` module: case,
//! punctuation, curly/straight quotes, hyphens; fillers dropped, "this, this" collapsed; square
//! brackets in a transcript are stage directions and dropped, in an article they are the
//! editor's words and cost nothing). The transcript is indexed once ([`Verifier::new`], linear
//! time): word → positions, word bigrams and hashed trigrams → positions, content stem → turns.
//! A quote is split at its ellipses ("…", "...") and between the parts of a split quote; each
//! segment's n-grams (rarest first, under a budget of hits) vote for diagonals
//! (transcript position − quote position) within a turn; the best few diagonal clusters are
//! aligned word by word with a semi-global edit distance (the quote entirely, the transcript
//! locally) in a window around the cluster only. Segments are then chained in order inside one
//! turn, the words between them reported as elided. Cost: linear in the transcript for the index,
//! then proportional to seed hits plus quote length squared per candidate — independent of the
//! transcript's length apart from how often the quote's n-grams recur.
//!
//! **Verdicts.** Let *n* be the quote's words and *edits* the words inserted, deleted or
//! replaced (an editor's `[bracketed]` words and elisions at an ellipsis are not edits):
//! - [`Verdict::Verbatim`]: a direct quote whose words all appear, in order, with no edit. This
//!   holds whether the quote is a whole turn or a sentence out of a longer one — quoting part of
//!   a remark is normal practice, and [`Verification::coverage`] says how much of the turn it
//!   is, so that "every quote the article reports verbatim is verbatim".
//! - [`Verdict::Edited`]: at least two words match and edits ≤ 25% of *n*; the diff shows them.
//! - [`Verdict::Partial`]: a mixed quote — paraphrase around quoted fragments, `said he would
//!   have more "flexibility"` — whose fragments appear verbatim in a turn: the article used a
//!   fragment of a longer remark (a fragment with small edits is `Edited`).
//! - [`Verdict::Paraphrase`]: indirect speech found in a turn (closely, or by at least half of
//!   its content words and at least two), or a direct or mixed quote whose wording is too far
//!   from the transcript but whose content words are in one turn.
//! - [`Verdict::NotFound`]: none of these.

use super::names::{is_anonymous, same_speaker};
use super::words::{self, clean, is_stopword, stem, ScanState, Word};
use super::Transcript;
use crate::attribution::{Kind, Quote};
use crate::text::{Span, Text, TokenKind};
use std::collections::HashMap;
use std::fmt::Write as _;

/// How a reported quote compares with the transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The same words, in order (after normalisation, fillers and repetitions aside).
    Verbatim,
    /// Small word-level changes, shown in the diff.
    Edited,
    /// Quoted fragments of a longer remark, set in paraphrase.
    Partial,
    /// Matches in content words, not in wording.
    Paraphrase,
    /// Not in the transcript.
    NotFound,
}

impl Verdict {
    /// The name used in output formats: `verbatim`, `edited`, `partial`, `paraphrase`,
    /// `not_found`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verbatim => "verbatim",
            Verdict::Edited => "edited",
            Verdict::Partial => "partial",
            Verdict::Paraphrase => "paraphrase",
            Verdict::NotFound => "not_found",
        }
    }
}

/// One step of a word-level diff from what was said (transcript) to what was reported
/// (article). Words are as written on their side (an editor's insertion keeps its brackets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffOp {
    /// Said and reported alike.
    Equal(Vec<String>),
    /// Reported but not said.
    Insert(Vec<String>),
    /// Said but left out of the report without an ellipsis.
    Delete(Vec<String>),
    /// Said one way, reported another.
    Replace {
        /// The transcript's words.
        said: Vec<String>,
        /// The article's words.
        reported: Vec<String>,
    },
    /// Said, and left out where the report has an ellipsis (or between the parts of a split
    /// quote): not an edit.
    Elided(Vec<String>),
}

impl DiffOp {
    /// True for the operations that change wording (insert, delete, replace).
    pub fn is_edit(&self) -> bool {
        matches!(
            self,
            DiffOp::Insert(_) | DiffOp::Delete(_) | DiffOp::Replace { .. }
        )
    }
}

/// The check of one reported quote.
#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    /// Index of the quote in the list given to [`verify_article`] (0 for [`verify`]).
    pub quote: usize,
    /// The article's words that were checked, " … " between segments: the whole content of a
    /// direct or indirect quote, the quoted fragments of a mixed one.
    pub quoted: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The transcript turn matched, when found.
    pub turn: Option<usize>,
    /// The transcript bytes matched (first to last matched word; the whole turn for a
    /// paraphrase found by content words), indexing [`Transcript::source`].
    pub span: Option<Span>,
    /// The matched turn's speaker.
    pub transcript_speaker: Option<String>,
    /// The article's speaker for the quote.
    pub article_speaker: Option<String>,
    /// Whether they are the same person (see [`super::same_speaker`]); `None` when either is
    /// unknown or names no one (an interview role `Q`/`A`, "Speaker 2").
    pub speaker_matches: Option<bool>,
    /// Word-level diff, transcript → article; empty when not found or matched only by content
    /// words.
    pub diff: Vec<DiffOp>,
    /// Closeness in [0, 1]: matched / (matched + edits) for an alignment; the share of content
    /// words found for a content-word paraphrase; 0 when not found.
    pub score: f32,
    /// Share of the turn's words the match spans (1.0: the quote is the whole turn).
    pub coverage: f32,
}

impl Verification {
    /// The diff in wdiff style: equal words plain, `[-said-]{+reported+}` for a replacement,
    /// `{+…+}` inserted, `[-…-]` deleted, `[…]` elided.
    /// "after my election i have more [-flexibility-]{+freedom+}".
    pub fn diff_string(&self) -> String {
        let mut out = String::new();
        let sep = |out: &mut String| {
            if !out.is_empty() {
                out.push(' ');
            }
        };
        for op in &self.diff {
            sep(&mut out);
            match op {
                DiffOp::Equal(w) => out.push_str(&w.join(" ")),
                DiffOp::Insert(w) => {
                    let _ = write!(out, "{{+{}+}}", w.join(" "));
                }
                DiffOp::Delete(w) => {
                    let _ = write!(out, "[-{}-]", w.join(" "));
                }
                DiffOp::Replace { said, reported } => {
                    let _ = write!(out, "[-{}-]{{+{}+}}", said.join(" "), reported.join(" "));
                }
                DiffOp::Elided(_) => out.push_str("[…]"),
            }
        }
        out
    }

    /// Number of words changed (inserted, deleted or replaced, the larger side of a
    /// replacement; an editor's bracketed words excepted).
    pub fn edits(&self) -> usize {
        self.diff.iter().map(op_edits).sum()
    }
}

fn op_edits(op: &DiffOp) -> usize {
    let editorial = |w: &[String]| w.iter().all(|x| x.starts_with('['));
    match op {
        DiffOp::Insert(w) if editorial(w) => 0,
        DiffOp::Replace { reported, .. } if editorial(reported) => 0,
        DiffOp::Insert(w) | DiffOp::Delete(w) => w.len(),
        DiffOp::Replace { said, reported } => said.len().max(reported.len()),
        DiffOp::Equal(_) | DiffOp::Elided(_) => 0,
    }
}

/// A transcript word in the index.
#[derive(Clone, Copy, Debug)]
struct TWord {
    id: u32,
    span: Span,
    turn: u32,
}

/// A quote word.
#[derive(Clone, Debug)]
struct AWord {
    id: Option<u32>,
    norm: String,
    surface: String,
    /// A segment starts here (ellipsis, or a new part of a split quote or a mixed quote).
    gap: bool,
    /// An editor's insertion: `[Putin]`, `(sic)`.
    editorial: bool,
}

/// One step of an alignment: quote word index `a`, transcript position `p`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Match(usize, u32),
    Sub(usize, u32),
    Ins(usize),
    Del(u32),
}

/// An aligned segment.
#[derive(Clone, Debug)]
struct Cand {
    turn: u32,
    start: u32,
    end: u32,
    value: i64,
    steps: Vec<Step>,
}

// Alignment costs, scaled so that fewer edits always win and, among equal edits, more matches.
const MATCH: i64 = -1;
const SUB: i64 = 2000;
// An unmatched quote word costs more than a replacement, so "more freedom" aligns against
// "more flexibility" as a change rather than ending the match early.
const INS: i64 = 3000;
const DEL: i64 = 2000;
/// Candidate clusters aligned per segment.
const TOP: usize = 8;
/// Seed hits examined per segment, rarest n-grams first: bounds work on repetitive text.
const HIT_BUDGET: usize = 60_000;
/// Quote segments longer than this are aligned in chunks (bounds the DP's memory).
const CHUNK: usize = 400;

/// A transcript indexed for verification. Build once, check many quotes.
#[derive(Clone, Debug)]
pub struct Verifier<'t> {
    t: &'t Transcript,
    words: Vec<TWord>,
    vocab: HashMap<String, u32>,
    stems: HashMap<String, u32>,
    by_id: Vec<Vec<u32>>,
    stem_turns: Vec<Vec<u32>>,
    bigrams: HashMap<u64, Vec<u32>>,
    trigrams: HashMap<u64, Vec<u32>>,
    turn_range: Vec<(u32, u32)>,
    /// Distinct named speakers (interview roles and unknown speakers left out).
    speakers: Vec<String>,
    /// Each turn's speaker, as an index into `speakers`.
    speaker_of: Vec<Option<u32>>,
}

/// An article speaker compared with each of a transcript's speakers.
struct Who {
    mismatch: Vec<u8>,
}

fn intern(map: &mut HashMap<String, u32>, s: &str) -> u32 {
    if let Some(&id) = map.get(s) {
        return id;
    }
    let id = map.len() as u32;
    map.insert(s.to_string(), id);
    id
}

fn key2(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn key3(a: u32, b: u32, c: u32) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = u64::from(a).wrapping_mul(K);
    h = (h.rotate_left(21) ^ u64::from(b)).wrapping_mul(K);
    (h.rotate_left(21) ^ u64::from(c)).wrapping_mul(K)
}

impl<'t> Verifier<'t> {
    /// Index `t`'s words (linear in its length).
    pub fn new(t: &'t Transcript) -> Verifier<'t> {
        let mut v = Verifier {
            t,
            words: Vec::new(),
            vocab: HashMap::new(),
            stems: HashMap::new(),
            by_id: Vec::new(),
            stem_turns: Vec::new(),
            bigrams: HashMap::new(),
            trigrams: HashMap::new(),
            turn_range: Vec::with_capacity(t.turns.len()),
            speakers: Vec::new(),
            speaker_of: Vec::with_capacity(t.turns.len()),
        };
        let mut speaker_ids: HashMap<String, u32> = HashMap::new();
        for turn in &t.turns {
            let k = turn
                .speaker
                .as_deref()
                .filter(|s| !is_anonymous(s))
                .map(|s| {
                    let k = intern(&mut speaker_ids, s);
                    if k as usize == v.speakers.len() {
                        v.speakers.push(s.to_string());
                    }
                    k
                });
            v.speaker_of.push(k);
        }
        let mut ws: Vec<Word> = Vec::new();
        let mut stem_of: Vec<Option<u32>> = Vec::new();
        for (ti, turn) in t.turns.iter().enumerate() {
            ws.clear();
            let mut st = ScanState::default();
            for p in &turn.pieces {
                words::scan(t.slice(*p), p.start, &mut st, &mut ws);
            }
            // Stage directions ("[laughter]", "(inaudible)") are not speech.
            let kept = clean(&ws, |w| w.square || w.paren);
            let begin = v.words.len() as u32;
            for k in kept {
                let w = &ws[k.index];
                let id = intern(&mut v.vocab, &w.norm);
                if id as usize >= stem_of.len() {
                    let s = (!is_stopword(&w.norm)).then(|| intern(&mut v.stems, &stem(&w.norm)));
                    stem_of.push(s);
                }
                v.words.push(TWord {
                    id,
                    span: w.span,
                    turn: ti as u32,
                });
            }
            v.turn_range.push((begin, v.words.len() as u32));
        }
        v.by_id = vec![Vec::new(); v.vocab.len()];
        v.stem_turns = vec![Vec::new(); v.stems.len()];
        for (p, w) in v.words.iter().enumerate() {
            v.by_id[w.id as usize].push(p as u32);
            if let Some(s) = stem_of[w.id as usize] {
                let turns = &mut v.stem_turns[s as usize];
                if turns.last() != Some(&w.turn) {
                    turns.push(w.turn);
                }
            }
        }
        for &(a, b) in &v.turn_range {
            for p in a..b {
                let w = |k: u32| v.words[k as usize].id;
                if p + 1 < b {
                    v.bigrams.entry(key2(w(p), w(p + 1))).or_default().push(p);
                }
                if p + 2 < b {
                    v.trigrams
                        .entry(key3(w(p), w(p + 1), w(p + 2)))
                        .or_default()
                        .push(p);
                }
            }
        }
        v
    }

    /// The transcript being checked against.
    pub fn transcript(&self) -> &'t Transcript {
        self.t
    }

    /// Number of (cleaned) transcript words indexed.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Check one quote of an article: its content spans (joined with an ellipsis between the
    /// parts of a split quote), kind and speaker. Spans that do not fit `article` are skipped.
    pub fn check_quote(&self, article: &str, quote: &Quote, index: usize) -> Verification {
        let mut text = String::new();
        for s in &quote.content {
            if let Some(part) = article.get(s.start..s.end) {
                if !text.is_empty() {
                    text.push_str(" … ");
                }
                text.push_str(part);
            }
        }
        let mut v = self.check(&text, quote.kind, quote.speaker.as_deref());
        v.quote = index;
        v
    }

    /// Check a quote's text (quotation marks may be included) of the given kind, attributed to
    /// `speaker`. A mixed quote's quoted fragments are what is checked word for word.
    pub fn check(&self, quote: &str, kind: Kind, speaker: Option<&str>) -> Verification {
        let mut kind = kind;
        let parts: Vec<&str> = match kind {
            Kind::Mixed => {
                let f = fragments(quote);
                if f.is_empty() {
                    kind = Kind::Indirect;
                    vec![quote]
                } else {
                    f
                }
            }
            _ => vec![quote],
        };
        let aw = self.article_words(&parts);
        let quoted = quoted_string(&aw);
        let n = aw.iter().filter(|w| !w.editorial).count();
        let mut out = Verification {
            quote: 0,
            quoted,
            verdict: Verdict::NotFound,
            turn: None,
            span: None,
            transcript_speaker: None,
            article_speaker: speaker.map(str::to_string),
            speaker_matches: None,
            diff: Vec::new(),
            score: 0.0,
            coverage: 0.0,
        };
        if n == 0 {
            return out;
        }
        let who = self.who(speaker);
        let aligned = self.align(&aw, &who);
        if let Some((turn, span, diff, coverage)) = &aligned {
            let edits: usize = diff.iter().map(op_edits).sum();
            let matches: usize = diff
                .iter()
                .map(|op| match op {
                    DiffOp::Equal(w) => w.len(),
                    _ => 0,
                })
                .sum();
            let close = matches >= 2 && edits * 4 <= n;
            let verdict = match kind {
                Kind::Direct if edits == 0 && matches > 0 => Some(Verdict::Verbatim),
                Kind::Mixed if edits == 0 && matches > 0 => Some(Verdict::Partial),
                Kind::Direct | Kind::Mixed if close => Some(Verdict::Edited),
                Kind::Indirect if close => Some(Verdict::Paraphrase),
                _ => None,
            };
            if let Some(verdict) = verdict {
                self.fill(&mut out, *turn, *span, speaker);
                out.verdict = verdict;
                out.diff = diff.clone();
                out.score = matches as f32 / (matches + edits).max(1) as f32;
                out.coverage = *coverage;
                return out;
            }
        }
        // Not close in wording: are the content words in one turn?
        let whole = self.article_words(&[quote]);
        if let Some((turn, ratio)) = self.bag(&whole, &who) {
            let span = self.t.turns[turn].text_span;
            self.fill(&mut out, turn, span, speaker);
            out.verdict = Verdict::Paraphrase;
            out.score = ratio;
            if let Some((t, _, diff, _)) = aligned {
                if t == turn {
                    out.diff = diff;
                }
            }
            return out;
        }
        out
    }

    /// Record the matched turn and compare speakers.
    fn fill(&self, out: &mut Verification, turn: usize, span: Span, speaker: Option<&str>) {
        let ts = self.t.turns.get(turn).and_then(|t| t.speaker.clone());
        out.turn = Some(turn);
        out.span = Some(span);
        out.speaker_matches = match (speaker, ts.as_deref()) {
            (Some(a), Some(b)) if !is_anonymous(b) => Some(same_speaker(a, b)),
            _ => None,
        };
        out.transcript_speaker = ts;
    }

    /// The words of `parts`, cleaned, each part starting a new segment.
    fn article_words(&self, parts: &[&str]) -> Vec<AWord> {
        let mut out = Vec::new();
        for (pi, part) in parts.iter().enumerate() {
            let ws = words::words(part, 0);
            for (k, kept) in clean(&ws, |_| false).into_iter().enumerate() {
                let w = &ws[kept.index];
                let editorial = w.square || (w.paren && w.norm == "sic");
                let raw = part.get(w.span.start..w.span.end).unwrap_or("");
                out.push(AWord {
                    id: if editorial {
                        None
                    } else {
                        self.vocab.get(&w.norm).copied()
                    },
                    norm: w.norm.clone(),
                    surface: if editorial {
                        format!("[{raw}]")
                    } else {
                        raw.to_string()
                    },
                    gap: kept.after_gap || (k == 0 && pi > 0),
                    editorial,
                });
            }
        }
        out
    }

    /// The article's speaker compared once with each distinct transcript speaker.
    fn who(&self, speaker: Option<&str>) -> Who {
        Who {
            mismatch: self
                .speakers
                .iter()
                .map(|s| u8::from(speaker.is_some_and(|a| !same_speaker(a, s))))
                .collect(),
        }
    }

    /// Does the transcript speaker of `turn` conflict with the article's? (0 no, 1 yes)
    fn mismatch(&self, turn: u32, who: &Who) -> u8 {
        match self.speaker_of.get(turn as usize) {
            Some(Some(k)) => who.mismatch.get(*k as usize).copied().unwrap_or(0),
            _ => 0,
        }
    }

    /// The best alignment of the whole quote: (turn, transcript span, diff, coverage).
    fn align(&self, aw: &[AWord], who: &Who) -> Option<(usize, Span, Vec<DiffOp>, f32)> {
        // Segments: split at gaps (elision allowed between) and into chunks (not allowed).
        let mut segs: Vec<(usize, usize, bool)> = Vec::new();
        for (i, w) in aw.iter().enumerate() {
            let new_chunk = segs.last().is_some_and(|s| i - s.0 >= CHUNK);
            if i == 0 || w.gap || new_chunk {
                if let Some(last) = segs.last_mut() {
                    last.1 = i;
                }
                segs.push((i, aw.len(), w.gap || i == 0));
            }
        }
        let chain = self.chain(aw, &segs, who).or_else(|| {
            // The parts are not in order in one turn: try the quote as one run.
            (segs.len() > 1).then(|| {
                let whole = vec![(0, aw.len(), true)];
                self.chain(aw, &whole, who)
            })?
        })?;
        let turn = chain[0].turn;
        let mut diff = Vec::new();
        let mut prev_end: Option<u32> = None;
        for (k, c) in chain.iter().enumerate() {
            if let Some(e) = prev_end {
                if c.start > e {
                    let skipped: Vec<String> = (e..c.start).map(|p| self.surface(p)).collect();
                    diff.push(if segs.get(k).is_none_or(|s| s.2) {
                        DiffOp::Elided(skipped)
                    } else {
                        DiffOp::Delete(skipped)
                    });
                }
            }
            self.ops(aw, &c.steps, &mut diff);
            prev_end = Some(c.end);
        }
        let start = chain[0].start;
        let end = chain[chain.len() - 1].end;
        let span = Span::new(
            self.words[start as usize].span.start,
            self.words[end as usize - 1].span.end,
        );
        let (a, b) = self.turn_range[turn as usize];
        let coverage = (end - start) as f32 / (b - a).max(1) as f32;
        Some((turn as usize, span, merge(diff), coverage))
    }

    /// The best in-order chain of segment alignments inside one turn.
    fn chain(&self, aw: &[AWord], segs: &[(usize, usize, bool)], who: &Who) -> Option<Vec<Cand>> {
        let cands: Vec<Vec<Cand>> = segs
            .iter()
            .map(|&(a, b, _)| self.candidates(aw, a, b, who))
            .collect();
        if cands.iter().any(Vec::is_empty) {
            return None;
        }
        // best[s][c] = (total value, previous candidate)
        let mut best: Vec<Vec<Option<(i64, usize)>>> = Vec::with_capacity(segs.len());
        best.push(cands[0].iter().map(|c| Some((c.value, 0))).collect());
        for s in 1..segs.len() {
            let row = cands[s]
                .iter()
                .map(|c| {
                    cands[s - 1]
                        .iter()
                        .enumerate()
                        .filter_map(|(k, p)| {
                            let (v, _) = best[s - 1][k]?;
                            if p.turn != c.turn || p.end > c.start {
                                return None;
                            }
                            let skipped = i64::from(c.start - p.end);
                            let pay = if segs[s].2 { 0 } else { skipped * DEL };
                            Some((v + pay + c.value, k))
                        })
                        .min()
                })
                .collect();
            best.push(row);
        }
        let last = segs.len() - 1;
        let (mut k, _) = best[last]
            .iter()
            .enumerate()
            .filter_map(|(k, b)| {
                let (v, _) = (*b)?;
                Some((k, (v, self.mismatch(cands[last][k].turn, who), k)))
            })
            .min_by_key(|&(_, key)| key)?;
        let mut out = Vec::with_capacity(segs.len());
        for s in (0..segs.len()).rev() {
            out.push(cands[s][k].clone());
            if let Some((_, prev)) = best[s][k] {
                k = prev;
            }
        }
        out.reverse();
        Some(out)
    }

    /// Aligned candidates for quote words `a..b`, best first.
    fn candidates(&self, aw: &[AWord], a: usize, b: usize, who: &Who) -> Vec<Cand> {
        let seg = &aw[a..b];
        let n = seg.len();
        let ids: Vec<Option<u32>> = seg.iter().map(|w| w.id).collect();
        // Seeds: the longest n-grams that occur, rarest first.
        let mut seeds: Vec<(usize, &[u32])> = Vec::new();
        for order in [3usize, 2, 1] {
            if n < order {
                continue;
            }
            for i in 0..=n - order {
                let g = &ids[i..i + order];
                let hits = match (order, g) {
                    (3, [Some(x), Some(y), Some(z)]) => self.trigrams.get(&key3(*x, *y, *z)),
                    (2, [Some(x), Some(y)]) => self.bigrams.get(&key2(*x, *y)),
                    (1, [Some(x)]) => self.by_id.get(*x as usize),
                    _ => None,
                };
                if let Some(h) = hits.filter(|h| !h.is_empty()) {
                    seeds.push((i, h.as_slice()));
                }
            }
            if !seeds.is_empty() {
                break;
            }
        }
        seeds.sort_by_key(|s| s.1.len());
        let mut votes: HashMap<(u32, i64), u32> = HashMap::new();
        let mut budget = HIT_BUDGET;
        for (i, hits) in seeds {
            if budget == 0 {
                break;
            }
            let take = hits.len().min(budget);
            budget -= take;
            for &p in &hits[..take] {
                let turn = self.words[p as usize].turn;
                *votes.entry((turn, i64::from(p) - i as i64)).or_default() += 1;
            }
        }
        // Clusters of nearby diagonals in one turn.
        let mut diags: Vec<((u32, i64), u32)> = votes.into_iter().collect();
        diags.sort_unstable();
        let band = 2 + n as i64 / 4;
        let mut clusters: Vec<(u32, i64, i64, u32)> = Vec::new(); // turn, dmin, dmax, votes
        for ((turn, d), c) in diags {
            match clusters.last_mut() {
                Some(cl) if cl.0 == turn && d - cl.2 <= band && d - cl.1 <= 2 * band => {
                    cl.2 = d;
                    cl.3 += c;
                }
                _ => clusters.push((turn, d, d, c)),
            }
        }
        clusters.sort_by_key(|cl| {
            (
                std::cmp::Reverse(cl.3),
                self.mismatch(cl.0, who),
                cl.0,
                cl.1,
            )
        });
        clusters.truncate(TOP);
        let slack = 2 + n as i64 / 2;
        let mut out: Vec<Cand> = Vec::new();
        for (turn, dmin, dmax, _) in clusters {
            let (ta, tb) = self.turn_range[turn as usize];
            let w0 = (dmin - slack).max(i64::from(ta)) as u32;
            let w1 = (dmax + n as i64 + slack).min(i64::from(tb)) as u32;
            if w0 >= w1 {
                continue;
            }
            if let Some(c) = self.dp(aw, a, b, turn, w0, w1) {
                if !out.iter().any(|o| o.start == c.start && o.end == c.end) {
                    out.push(c);
                }
            }
        }
        out.sort_by_key(|c| (c.value, self.mismatch(c.turn, who), c.start));
        out
    }

    /// Semi-global edit distance: quote words `a..b` entirely against a stretch of transcript
    /// positions `w0..w1` (free to start and end anywhere in it).
    fn dp(&self, aw: &[AWord], a: usize, b: usize, turn: u32, w0: u32, w1: u32) -> Option<Cand> {
        const START: u8 = 0;
        const DIAG_M: u8 = 1;
        const DIAG_S: u8 = 2;
        const UP: u8 = 3;
        const LEFT: u8 = 4;
        let n = b - a;
        let m = (w1 - w0) as usize;
        let cols = m + 1;
        let mut val = vec![0i64; (n + 1) * cols];
        let mut dir = vec![START; (n + 1) * cols];
        for i in 1..=n {
            let q = &aw[a + i - 1];
            let (sub, ins) = if q.editorial { (0, 0) } else { (SUB, INS) };
            val[i * cols] = val[(i - 1) * cols] + ins;
            dir[i * cols] = UP;
            for j in 1..=m {
                let t = self.words[w0 as usize + j - 1].id;
                let hit = q.id == Some(t);
                let d = val[(i - 1) * cols + j - 1] + if hit { MATCH } else { sub };
                let u = val[(i - 1) * cols + j] + ins;
                let l = val[i * cols + j - 1] + DEL;
                let (v, how) = if d <= u && d <= l {
                    (d, if hit { DIAG_M } else { DIAG_S })
                } else if u <= l {
                    (u, UP)
                } else {
                    (l, LEFT)
                };
                val[i * cols + j] = v;
                dir[i * cols + j] = how;
            }
        }
        let (best_j, value) = (1..=m)
            .map(|j| (j, val[n * cols + j]))
            .min_by_key(|&(j, v)| (v, j))?;
        let mut steps = Vec::with_capacity(n + 4);
        let (mut i, mut j) = (n, best_j);
        while i > 0 {
            // Only the diagonal and left moves (j ≥ 1 there) read `p`.
            let p = (w0 + j as u32).saturating_sub(1);
            match dir[i * cols + j] {
                DIAG_M => {
                    steps.push(Step::Match(a + i - 1, p));
                    i -= 1;
                    j -= 1;
                }
                DIAG_S => {
                    steps.push(Step::Sub(a + i - 1, p));
                    i -= 1;
                    j -= 1;
                }
                UP => {
                    steps.push(Step::Ins(a + i - 1));
                    i -= 1;
                }
                LEFT => {
                    steps.push(Step::Del(p));
                    j -= 1;
                }
                _ => break,
            }
        }
        steps.reverse();
        if !steps.iter().any(|s| matches!(s, Step::Match(..))) {
            return None;
        }
        Some(Cand {
            turn,
            start: w0 + j as u32,
            end: w0 + best_j as u32,
            value,
            steps,
        })
    }

    /// The transcript word at position `p` as written.
    fn surface(&self, p: u32) -> String {
        self.words
            .get(p as usize)
            .map_or_else(String::new, |w| self.t.slice(w.span).to_string())
    }

    /// Append the diff operations of one segment's steps.
    fn ops(&self, aw: &[AWord], steps: &[Step], out: &mut Vec<DiffOp>) {
        let mut equal: Vec<String> = Vec::new();
        let mut said: Vec<String> = Vec::new();
        let mut reported: Vec<String> = Vec::new();
        let flush_edit = |out: &mut Vec<DiffOp>, said: &mut Vec<String>, rep: &mut Vec<String>| {
            let (s, r) = (std::mem::take(said), std::mem::take(rep));
            match (s.is_empty(), r.is_empty()) {
                (false, false) => out.push(DiffOp::Replace {
                    said: s,
                    reported: r,
                }),
                (false, true) => out.push(DiffOp::Delete(s)),
                (true, false) => out.push(DiffOp::Insert(r)),
                (true, true) => {}
            }
        };
        for &st in steps {
            match st {
                Step::Match(_, p) => {
                    flush_edit(out, &mut said, &mut reported);
                    equal.push(self.surface(p));
                }
                _ => {
                    if !equal.is_empty() {
                        out.push(DiffOp::Equal(std::mem::take(&mut equal)));
                    }
                    match st {
                        Step::Sub(a, p) => {
                            said.push(self.surface(p));
                            reported.push(aw[a].surface.clone());
                        }
                        Step::Ins(a) => reported.push(aw[a].surface.clone()),
                        Step::Del(p) => said.push(self.surface(p)),
                        Step::Match(..) => {}
                    }
                }
            }
        }
        flush_edit(out, &mut said, &mut reported);
        if !equal.is_empty() {
            out.push(DiffOp::Equal(equal));
        }
    }

    /// The turn holding most of the quote's content words: (turn, share found) when at least
    /// two and at least half are found.
    fn bag(&self, aw: &[AWord], who: &Who) -> Option<(usize, f32)> {
        let mut content: Vec<String> = aw
            .iter()
            .filter(|w| !w.editorial)
            .filter(|w| !is_stopword(&w.norm))
            .map(|w| stem(&w.norm))
            .collect();
        content.sort();
        content.dedup();
        let total = content.len();
        if total < 2 {
            return None;
        }
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for c in &content {
            let Some(&s) = self.stems.get(c) else {
                continue;
            };
            let turns = &self.stem_turns[s as usize];
            if turns.len() > 50_000 {
                continue;
            }
            for &t in turns {
                *counts.entry(t).or_default() += 1;
            }
        }
        let (turn, found) = counts
            .into_iter()
            .min_by_key(|&(t, c)| (std::cmp::Reverse(c), self.mismatch(t, who), t))?;
        let ratio = found as f32 / total as f32;
        (found >= 2 && ratio >= 0.5).then_some((turn as usize, ratio))
    }
}

/// Merge neighbouring operations of one kind (chunk and segment borders split them).
fn merge(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        match (out.last_mut(), op) {
            (Some(DiffOp::Equal(a)), DiffOp::Equal(b)) => a.extend(b),
            (Some(DiffOp::Insert(a)), DiffOp::Insert(b)) => a.extend(b),
            (Some(DiffOp::Delete(a)), DiffOp::Delete(b)) => a.extend(b),
            (_, op) => out.push(op),
        }
    }
    out
}

/// The words checked, " … " at segment starts.
fn quoted_string(aw: &[AWord]) -> String {
    let mut s = String::new();
    for (i, w) in aw.iter().enumerate() {
        if i > 0 {
            s.push_str(if w.gap { " … " } else { " " });
        }
        s.push_str(&w.surface);
    }
    s
}

/// The quoted fragments of a mixed quote, outermost quotations only, marks excluded.
fn fragments(quote: &str) -> Vec<&str> {
    let text = Text::new(quote);
    let mut out = Vec::new();
    let mut last_end = 0;
    for q in &text.quotations {
        let mut r = q.tokens.clone();
        if r.start < r.end && matches!(text.tokens[r.start].kind, TokenKind::Quote(_)) {
            r.start += 1;
        }
        if r.start < r.end && matches!(text.tokens[r.end - 1].kind, TokenKind::Quote(_)) {
            r.end -= 1;
        }
        if r.start >= r.end {
            continue;
        }
        let span = text.span_of(r);
        if span.start < last_end {
            continue;
        }
        if let Some(f) = quote.get(span.start..span.end) {
            out.push(f);
            last_end = span.end;
        }
    }
    out
}

/// Check one quote's words against a transcript, as a direct quote with no speaker. Builds the
/// index each call: for many quotes use a [`Verifier`] or [`verify_article`].
pub fn verify(article_quote: &str, transcript: &Transcript) -> Verification {
    Verifier::new(transcript).check(article_quote, Kind::Direct, None)
}

/// Check every quote of an article (its `quotes`, e.g. from `Extractor::extract`, with spans into
/// `article`) against a transcript; one [`Verification`] per quote, in order.
pub fn verify_article(
    article: &str,
    quotes: &[Quote],
    transcript: &Transcript,
) -> Vec<Verification> {
    let v = Verifier::new(transcript);
    quotes
        .iter()
        .enumerate()
        .map(|(i, q)| v.check_quote(article, q, i))
        .collect()
}
