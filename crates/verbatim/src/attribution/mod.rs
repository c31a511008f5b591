//! Attribution: cues, their sources and contents, assembled into quotes.

mod layout;

use crate::forms::{Forms, WordCache};
use crate::tagging::features::{self, SentenceMarks, TokenTable};
use crate::tagging::linear::{Decoder, RowBatch};
use crate::tagging::{pos::PosTagger, LinearModel, ModelError};
use crate::text::{qflags, Quotation, Span, Text, TokenKind};
use std::ops::Range;

/// Labels of the cue tagger.
pub const CUE_LABELS: [&str; 3] = ["O", "B", "I"];
/// Labels of the role tagger: outside, source (begin, inside), content (begin, inside).
pub const ROLE_LABELS: [&str; 5] = ["O", "B-S", "I-S", "B-C", "I-C"];

/// BIO constraints shared by both taggers: an I label only continues its own B or I.
/// Labels are laid out as O, then (B, I) pairs; `prev == labels` is the start state.
pub fn bio_allowed(labels: usize) -> impl Fn(usize, usize) -> bool {
    move |prev, cur| {
        if cur == 0 || cur % 2 == 1 {
            return true;
        }
        prev < labels && prev != 0 && prev.div_ceil(2) == cur / 2
    }
}

/// How a quote reports its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The whole content is inside quotation marks.
    Direct,
    /// Paraphrase with a quoted fragment: said he would have more "flexibility".
    Mixed,
    /// Paraphrase, no quotation marks.
    Indirect,
}

impl Kind {
    /// The name used in output formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Mixed => "mixed",
            Kind::Indirect => "indirect",
        }
    }
}

/// How a remark reached the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Setting {
    /// Not determined.
    #[default]
    Unknown,
    /// Caught on an open microphone, overheard, leaked private conversation.
    Overheard,
    /// Written or official statement, press release.
    Statement,
    /// Said in an interview.
    Interview,
    /// Tweeted or posted.
    SocialMedia,
    /// Said publicly: speech, press conference, briefing, to reporters.
    OnRecord,
}

impl Setting {
    /// The name used in output formats.
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Unknown => "unknown",
            Setting::Overheard => "overheard",
            Setting::Statement => "statement",
            Setting::Interview => "interview",
            Setting::SocialMedia => "social_media",
            Setting::OnRecord => "on_record",
        }
    }
}

/// One attribution: who (source), how (cue) and what (content), as byte spans of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// Direct, mixed or indirect.
    pub kind: Kind,
    /// The source mention(s) in the text; empty when the text names none.
    pub source: Vec<Span>,
    /// The cue span(s): "said", "told", "according to", "was heard describing".
    pub cue: Vec<Span>,
    /// The content span(s), quotation marks included; several for a split quote.
    pub content: Vec<Span>,
    /// The resolved speaker: the fullest name the document gives for the source.
    pub speaker: Option<String>,
    /// To whom it was said, resolved like the speaker, when the text says.
    pub addressee: Option<String>,
    /// How the remark was made.
    pub setting: Setting,
    /// Model confidence in [0, 1].
    pub confidence: f32,
}

/// The trained models the engine needs.
#[derive(Clone, Debug)]
pub struct Models {
    /// Part-of-speech tagger.
    pub pos: PosTagger,
    /// Cue tagger (labels O, B, I).
    pub cue: LinearModel,
    /// Source and content tagger, one pass per cue.
    pub role: LinearModel,
}

impl Models {
    /// Read the three model files.
    pub fn from_bytes(pos: &[u8], cue: &[u8], role: &[u8]) -> Result<Models, ModelError> {
        let cue = LinearModel::from_bytes(cue)?;
        let role = LinearModel::from_bytes(role)?;
        check_labels(&cue, &CUE_LABELS)?;
        check_labels(&role, &ROLE_LABELS)?;
        Ok(Models {
            pos: PosTagger::new(LinearModel::from_bytes(pos)?)?,
            cue,
            role,
        })
    }
}

/// The extraction engine. Cheap to share between threads (`&Extractor` is all `extract` needs).
#[derive(Clone, Debug)]
pub struct Extractor {
    models: Models,
    cue_bias: f32,
    /// FNV-1a of the embedded models' bytes (computed by `build.rs`), for
    /// [`Extractor::fingerprint`]; `None` for models given at run time.
    models_hash: Option<u64>,
}

/// Added to the score of starting a cue: the perceptron is conservative about cues (precision
/// well above recall), and F1 gains from trading some back. Chosen on train alone
/// (`examples/holdout.rs`, five date-ordered folds, three seeds): 10 gains 0.6 points of ALL
/// quote F1 and 0.1 of attribution F1 over 0; the calibration reads the model's own margin.
pub const DEFAULT_CUE_BIAS: f32 = 10.0;

/// Added on top of the cue bias for a second, tentative reading of the cue tagger's scores. A
/// cue only that reading finds is kept when the role tagger gives it a source and content no
/// firm cue claims: on five date-ordered folds of train, ALL quote F1 +0.4 and attribution
/// F1 +0.2 points over the firm cues alone (the bias alone at 20 gains the quotes but not the
/// attributions).
pub const TENTATIVE_CUE_BIAS: f32 = 10.0;

impl Extractor {
    /// The engine with the models compiled into the library.
    #[cfg(feature = "embedded-models")]
    pub fn new() -> Extractor {
        const POS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos.bin"));
        const CUE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cue.bin"));
        const ROLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/role.bin"));
        let models = Models::from_bytes(POS, CUE, ROLE)
            .expect("the embedded models are missing or invalid: run `verbatim train` and rebuild");
        let models_hash = u64::from_str_radix(env!("VERBATIM_MODELS_HASH"), 16)
            .expect("build.rs writes the models' hash in hex");
        Extractor {
            models,
            cue_bias: DEFAULT_CUE_BIAS,
            models_hash: Some(models_hash),
        }
    }

    /// The engine with the given models (e.g. freshly trained ones).
    pub fn with_models(models: Models) -> Extractor {
        Extractor {
            models,
            cue_bias: DEFAULT_CUE_BIAS,
            models_hash: None,
        }
    }

    /// What decides this engine's output: the code ([`crate::BUILD`]), the models and the cue
    /// bias. Engines with equal fingerprints find the same quotes in the same text, so a quote
    /// bank stores it with each document and extracts again when it changes.
    pub fn fingerprint(&self) -> String {
        let m = &self.models;
        let models_hash = self.models_hash.unwrap_or_else(|| {
            // FNV-1a over the three files in turn, as `build.rs` hashes the embedded ones.
            [
                m.pos.model().to_bytes(),
                m.cue.to_bytes(),
                m.role.to_bytes(),
            ]
            .iter()
            .fold(0xcbf2_9ce4_8422_2325, |h, b| {
                crate::tagging::linear::fnv(h, b)
            })
        });
        format!(
            "verbatim {} models {models_hash:016x} cue-bias {}",
            crate::BUILD,
            self.cue_bias
        )
    }

    /// Set the cue bias (see [`DEFAULT_CUE_BIAS`]): higher finds more cues.
    pub fn with_cue_bias(mut self, bias: f32) -> Extractor {
        self.cue_bias = bias;
        self
    }

    /// The models in use.
    pub fn models(&self) -> &Models {
        &self.models
    }

    /// Every attribution in `text`, in text order. Only the first
    /// [`MAX_TEXT_BYTES`](crate::text::tokens::MAX_TEXT_BYTES) (4 GiB) of a text are read; the CLI
    /// refuses longer documents.
    pub fn extract(&self, text: &str) -> Vec<Quote> {
        self.extract_text(&Text::new(text))
    }

    /// Like [`Extractor::extract`], keeping what it learns of each word's spelling in `cache`
    /// for the next documents: the same quotes, faster over many documents. Keep one cache
    /// per thread.
    pub fn extract_with(&self, text: &str, cache: &mut WordCache) -> Vec<Quote> {
        let layout = Text::new(text);
        self.extract_text_with(&layout, cache)
    }

    /// Like [`Extractor::extract`], on an already segmented text.
    pub fn extract_text(&self, text: &Text<'_>) -> Vec<Quote> {
        self.extract_forms(text, &WordCache::new().fresh(text))
    }

    /// Like [`Extractor::extract_with`], on an already segmented text.
    pub fn extract_text_with(&self, text: &Text<'_>, cache: &mut WordCache) -> Vec<Quote> {
        self.extract_forms(text, &cache.forms(text))
    }

    fn extract_forms(&self, text: &Text<'_>, forms: &Forms<'_>) -> Vec<Quote> {
        let pos = self.models.pos.tag_forms(text, forms);
        let tok = features::token_table(text, &pos, forms);
        let (mut cues, tentative) = self.find_cues(text, &tok);
        colon_after_told(text, &pos, &mut cues);
        overheard_speech(text, &pos, &mut cues);
        // Window sizes from the cues as first found, for both passes.
        let budgets = features::window_budgets(text, cues.iter().map(|(c, _)| c));
        let budget = |cue: &Range<usize>| budgets[text.paragraph_of(cue.start) as usize];
        let mut found = self.attribute(text, &tok, &pos, &cues, &budget);
        // PolNeAR does not nest attributions, so a cue inside another cue's content is a
        // reported verb, not a cue ("reports that her team avoided…"). Drop it and decode again:
        // the other cue's content no longer stops at it.
        let mut owner = vec![u32::MAX; tok.len()];
        for (n, f) in found.iter().enumerate() {
            for r in f.content.iter().chain(&f.source) {
                owner[r.clone()].fill(n as u32);
            }
        }
        let nested = |n: usize| {
            let c = &found[n].cue;
            let o = owner[c.start];
            o != u32::MAX && o as usize != n && {
                let other = &found[o as usize];
                text.sentence_of[c.start] == text.sentence_of[other.cue.start] &&
                // Mutual nesting: keep the more confident.
                !(other.cue.clone().any(|k| owner[k] as usize == n) && found[n].conf > other.conf)
            }
        };
        // "Marcus Feld said the company expected more revenue": the tagger, which never saw a
        // content holding a cue, gives "said" nothing and "expected" the clause. PolNeAR keeps
        // the saying (60 such sentences in train, none the other way): a cue a few words after
        // a verb of saying left without content is a reported verb.
        let reported = |n: usize| {
            n > 0 && {
                let (p, f) = (&found[n - 1], &found[n]);
                p.content.is_empty()
                    && !p.source.is_empty()
                    && text.sentence_of[p.cue.start] == text.sentence_of[f.cue.start]
                    && f.cue.start >= p.cue.end
                    && f.cue.start - p.cue.end <= 6
                    && matches!(
                        crate::lexicon::lemma(&text.word(p.cue.end - 1).to_lowercase()).as_ref(),
                        "say" | "tell" | "add" | "claim" | "insist" | "argue" | "warn" | "note"
                    )
            }
        };
        let keep: Vec<bool> = (0..found.len())
            .map(|n| !nested(n) && !reported(n))
            .collect();
        if keep.iter().any(|k| !k) {
            let dropped: Vec<usize> = found
                .iter()
                .zip(&keep)
                .filter(|(_, k)| !**k)
                .map(|(f, _)| f.cue.start)
                .collect();
            cues = found
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(f, _)| (f.cue.clone(), f.conf))
                .collect();
            let is_cue = cue_mask(tok.len(), &cues);
            let mut scratch = Scratch::default();
            // Only cues whose window held a dropped cue can change.
            found = found
                .into_iter()
                .zip(keep)
                .filter(|(_, k)| *k)
                .map(|(f, _)| {
                    let win = features::window(text, &f.cue, budget(&f.cue));
                    if dropped.iter().any(|d| win.contains(d)) {
                        let (cue, conf) = (&f.cue, f.conf);
                        let b = budget(cue);
                        self.attribute_one(text, &tok, &pos, cue, conf, b, &is_cue, &mut scratch)
                    } else {
                        f
                    }
                })
                .collect();
        }
        drop(owner);
        for f in &mut found {
            quoted_by_source(text, &pos, f);
        }
        for f in &mut found {
            subject_opening_the_sentence(text, &pos, f);
        }
        inherit_source(text, &pos, &mut found);
        for i in 0..found.len() {
            // (A cue before it in the sentence passes its source down: `inherit_source`. Cues
            // are in text order, so the one right before tells.)
            let sentence = text.sentence_of[found[i].cue.start];
            let cue_before = i > 0 && text.sentence_of[found[i - 1].cue.start] == sentence;
            participle_subject(text, &pos, &mut found[i], cue_before);
            fronted_participle(text, &pos, &mut found[i]);
        }
        keep_confirmed_tentative(&mut found, &tentative);
        // The token table is done with: free it before the mention and conversation passes.
        let n_tokens = tok.len();
        drop(tok);
        // Layout attributions (bylines, transcript labels, headlines) win over what the taggers
        // make of the same lines: a cue or content inside one is reported speech within it.
        let laid = layout::find(text.text);
        if !laid.is_empty() {
            let inside = |r: &Range<usize>| {
                let b = text.span_of(r.clone());
                laid.iter()
                    .flat_map(|l| &l.content)
                    .any(|c| b.start < c.end && c.start < b.end)
            };
            found.retain(|f| !inside(&f.cue) && !f.content.iter().any(inside));
        }
        let mut covered = vec![false; n_tokens];
        let laid_tokens = laid
            .iter()
            .flat_map(|l| &l.content)
            .filter_map(|&c| crate::resolution::token_range(text, c));
        for r in laid_tokens {
            covered[r].fill(true);
        }
        let mut quotes = Vec::with_capacity(found.len() + laid.len());
        for l in laid {
            quotes.push(Quote {
                kind: match l.pattern {
                    layout::Pattern::Headline => kind_of_span(text.text, &l.content),
                    _ => Kind::Direct,
                },
                source: vec![l.source],
                cue: vec![l.cue],
                content: l.content,
                speaker: None,
                addressee: None,
                setting: Setting::Unknown,
                // Their precision on PolNeAR train: headlines 86%, the others 80–100%.
                confidence: match l.pattern {
                    layout::Pattern::Headline => 0.85,
                    _ => 0.9,
                },
            });
        }
        for f in found {
            if f.content.is_empty() {
                continue;
            }
            for r in &f.content {
                covered[r.clone()].fill(true);
            }
            quotes.push(Quote {
                kind: kind_of(text, &f.content),
                source: f.source.iter().map(|r| text.span_of(r.clone())).collect(),
                cue: vec![text.span_of(f.cue)],
                content: f.content.iter().map(|r| text.span_of(r.clone())).collect(),
                speaker: None,
                addressee: None,
                setting: Setting::Unknown,
                confidence: f.conf,
            });
        }
        let is_cue = cue_mask(n_tokens, &cues);
        // (The two passes claim disjoint quotations: the fallback's follow or precede words of
        // their sentence, the continued ones are sentences of their own. The fallback first,
        // so that `"It was awful," she laughs. "Honestly."` continues it.)
        let unattributed = unattributed_quotations(text, &pos, &covered, &is_cue);
        for q in &unattributed {
            for r in q
                .content
                .iter()
                .filter_map(|&c| crate::resolution::token_range(text, c))
            {
                covered[r].fill(true);
            }
        }
        quotes.reserve_exact(unattributed.len());
        quotes.extend(unattributed);
        continue_quotations(text, &mut quotes, &mut covered);
        drop_double_claims(&mut quotes);
        // Per-token tables are done with before the mention pass, the memory peak of a long
        // document.
        drop((covered, is_cue, cues));
        quotes.sort_by_key(|q| q.content[0].start);
        // Speakers first: addressees and settings use them (a reply goes to the previous speaker).
        let mentions = crate::resolution::Mentions::build(text, &pos, &quotes, forms);
        for q in quotes.iter_mut() {
            q.speaker = mentions.resolve_spans(text, &q.source);
        }
        crate::conversation::annotate_forms(text, &pos, &mentions, &mut quotes, forms);
        quotes
    }

    /// Source and content of each cue, as token ranges.
    fn attribute(
        &self,
        text: &Text<'_>,
        tok: &TokenTable,
        pos: &[u8],
        cues: &[(Range<usize>, f32)],
        budget: &dyn Fn(&Range<usize>) -> usize,
    ) -> Vec<Found> {
        let is_cue = cue_mask(tok.len(), cues);
        let mut scratch = Scratch::default();
        cues.iter()
            .map(|(cue, conf)| {
                let b = budget(cue);
                self.attribute_one(text, tok, pos, cue, *conf, b, &is_cue, &mut scratch)
            })
            .collect()
    }

    /// Source and content of one cue, in a window of at most `budget` tokens; `is_cue` marks
    /// every cue of the document.
    #[allow(clippy::too_many_arguments)]
    fn attribute_one(
        &self,
        text: &Text<'_>,
        tok: &TokenTable,
        pos: &[u8],
        cue: &Range<usize>,
        conf: f32,
        budget: usize,
        is_cue: &[bool],
        scratch: &mut Scratch,
    ) -> Found {
        let win = features::window(text, cue, budget);
        let cx = features::cue_context(tok, text, &win, cue.clone(), is_cue);
        let labels = self.tag_roles(text, tok, &win, &cx, scratch);
        let mut source: Vec<Range<usize>> = nearest(runs(labels, win.start, 1), cue)
            .into_iter()
            .map(|r| with_title(text, r))
            .collect();
        let mut content = content_runs(text, runs(labels, win.start, 3), cx.sentence, is_cue);
        if source.is_empty() {
            source_after_quotation(text, pos, cue, &mut source, &mut content);
        }
        apposition_boundary(text, pos, cue, &mut source, &mut content);
        reflexive_aside(text, pos, &mut source);
        quotation_before_source(text, pos, cue, &source, &mut content);
        snap_to_quotations(text, cue, &source, &mut content);
        end_at_quotation(text, &mut content);
        drop_dateline(text, &mut content);
        drop_dateline(text, &mut source);
        drop_told_object(text, pos, cue, &mut content);
        drop_gloss(text, &mut content);
        stop_at_semicolon(text, cue, &mut content);
        drop_after_said(text, cue, &mut content);
        participle_content(text, cue, &mut content);
        // Nothing said without a word: "• Published" (page furniture) is no remark.
        content.retain(|r| {
            r.clone().any(|k| {
                matches!(
                    text.tokens[k].kind,
                    crate::text::TokenKind::Word | crate::text::TokenKind::Number
                )
            })
        });
        if relative_clause(text, pos, cue, &content) {
            content.clear();
        }
        Found {
            cue: cue.clone(),
            conf,
            source,
            content,
        }
    }

    /// Cue token ranges with a confidence, in text order, and those of them only the tentative
    /// reading found ([`TENTATIVE_CUE_BIAS`]).
    fn find_cues(&self, text: &Text<'_>, tok: &TokenTable) -> (Cues, Vec<Range<usize>>) {
        let m = &self.models.cue;
        let l = m.num_labels();
        let mut out = Vec::new();
        let mut tentative = Vec::new();
        let mut firm = Vec::new();
        let mut feats = Vec::with_capacity(64);
        let mut em = Vec::new();
        let mut marks = SentenceMarks::default();
        let mut decoder = Decoder::default();
        let mut batch = RowBatch::default();
        for p in &text.paragraphs {
            em.clear();
            em.resize(p.len() * l, 0.0);
            batch.clear();
            for i in p.clone() {
                features::cue_features_with(tok, text, p, i, &mut marks, &mut feats);
                batch.push(m, &feats);
            }
            m.score_batch(&batch, &mut em);
            for row in em.chunks_exact_mut(l) {
                row[1] += self.cue_bias;
            }
            firm.clear();
            firm.extend(runs(
                decoder.decode(&em, l, &m.transitions, bio_allowed(l)),
                p.start,
                1,
            ));
            for row in em.chunks_exact_mut(l) {
                row[1] += TENTATIVE_CUE_BIAS;
            }
            let path = decoder.decode(&em, l, &m.transitions, bio_allowed(l));
            for r in runs(path, p.start, 1) {
                let e = &em[(r.start - p.start) * l..(r.start - p.start + 1) * l];
                // The model's own margin: the bias moves the threshold, not the confidence.
                let conf = calibrated(e[1] - self.cue_bias - TENTATIVE_CUE_BIAS - e[0]);
                if !firm.iter().any(|f| f.start < r.end && r.start < f.end) {
                    // Only words: a tentative ":" is mostly a dateline's ("MUMBAI:").
                    if !r.clone().any(|k| text.tokens[k].kind == TokenKind::Word) {
                        continue;
                    }
                    tentative.push(r.clone());
                }
                out.push((r, conf));
            }
        }
        (out, tentative)
    }

    /// Role labels (indices into [`ROLE_LABELS`]) for every token of `win`.
    fn tag_roles<'s>(
        &self,
        text: &Text<'_>,
        tok: &TokenTable,
        win: &Range<usize>,
        cx: &features::CueContext,
        s: &'s mut Scratch,
    ) -> &'s [usize] {
        let m = &self.models.role;
        let l = m.num_labels();
        s.em.clear();
        s.em.resize(win.len() * l, 0.0);
        s.batch.clear();
        for i in win.clone() {
            if cx.cue.contains(&i) {
                // The cue's own tokens are O: no features, and every other label ruled out.
                s.batch.push(m, &[]);
                continue;
            }
            features::role_features(tok, text, win, cx, i, &mut s.feats);
            s.batch.push(m, &s.feats);
        }
        m.score_batch(&s.batch, &mut s.em);
        for i in cx.cue.clone() {
            if win.contains(&i) {
                s.em[(i - win.start) * l + 1..(i - win.start + 1) * l].fill(-1e6);
            }
        }
        s.decoder.decode(&s.em, l, &m.transitions, bio_allowed(l))
    }
}

/// One cue's attribution, in token ranges.
struct Found {
    cue: Range<usize>,
    conf: f32,
    source: Vec<Range<usize>>,
    content: Vec<Range<usize>>,
}

/// Drop the attributions of tentative cues (token ranges, in text order) unless the role
/// tagger gave them a source and content that no firm cue's content overlaps.
fn keep_confirmed_tentative(found: &mut Vec<Found>, tentative: &[Range<usize>]) {
    if tentative.is_empty() {
        return;
    }
    let is_tentative = |c: &Range<usize>| {
        let k = tentative.partition_point(|t| t.end <= c.start);
        tentative.get(k).is_some_and(|t| t.start < c.end)
    };
    // The firm cues' content, as sorted disjoint ranges.
    let mut firm: Vec<Range<usize>> = found
        .iter()
        .filter(|f| !is_tentative(&f.cue))
        .flat_map(|f| f.content.iter().cloned())
        .collect();
    firm.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(firm.len());
    for r in firm {
        match merged.last_mut() {
            Some(m) if r.start <= m.end => m.end = m.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let claimed = |r: &Range<usize>| {
        let k = merged.partition_point(|m| m.end <= r.start);
        merged.get(k).is_some_and(|m| m.start < r.end)
    };
    found.retain(|f| {
        !is_tentative(&f.cue)
            || !f.source.is_empty() && !f.content.is_empty() && !f.content.iter().any(claimed)
    });
}

/// Cue token ranges with their confidence, in text order.
type Cues = Vec<(Range<usize>, f32)>;

fn cue_mask(n: usize, cues: &[(Range<usize>, f32)]) -> Vec<bool> {
    let mut m = vec![false; n];
    for (c, _) in cues {
        m[c.clone()].fill(true);
    }
    m
}

/// Buffers reused across the cues of a document.
#[derive(Default)]
struct Scratch {
    em: Vec<f32>,
    feats: Vec<u64>,
    batch: RowBatch,
    decoder: Decoder,
}

fn check_labels(m: &LinearModel, want: &[&str]) -> Result<(), ModelError> {
    if m.labels.iter().map(String::as_str).ne(want.iter().copied()) {
        return Err(ModelError(format!(
            "model {:?} has labels {:?}, expected {:?}",
            m.name, m.labels, want
        )));
    }
    Ok(())
}

/// Maximal runs of the B/I pair starting at label `b` (b = B, b + 1 = I), as token ranges
/// offset by `base`.
pub fn runs(labels: &[usize], base: usize, b: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (k, &lab) in labels.iter().enumerate() {
        if lab == b || (lab == b + 1 && out.last().is_none_or(|r| r.end != base + k)) {
            out.push(base + k..base + k + 1);
        } else if lab == b + 1 {
            out.last_mut().unwrap().end = base + k + 1;
        }
    }
    out
}

/// The source run nearest the cue: a source is one mention (two source spans are 0.05% of
/// PolNeAR), and a second run is almost always a name inside the content or a bystander.
fn nearest(mut runs: Vec<Range<usize>>, cue: &Range<usize>) -> Vec<Range<usize>> {
    let dist = |r: &Range<usize>| {
        if r.end <= cue.start {
            cue.start - r.end
        } else {
            r.start.saturating_sub(cue.end)
        }
    };
    runs.sort_by_key(dist);
    runs.truncate(1);
    runs
}

const ADP: u8 = 1;
const ADV: u8 = 2;
const AUX: u8 = 3;
const NUM: u8 = 8;
const PART: u8 = 9;
const SCONJ: u8 = 13;
const ADJ: u8 = 0;
const DET: u8 = 5;
const NOUN: u8 = 7;
const VERB: u8 = 15;
const PROPN: u8 = 11;
const PRON: u8 = 10;

/// `"X," Obama said. He paused. "Y."`: a quotation that is a sentence of its own, claimed by
/// no cue, continues the last quoted remark of its paragraph or of the paragraph before (PolNeAR
/// makes it a further content span of that attribution, not a quote without a source: 79 of
/// the 108 quoted paragraphs without a cue in train continue the paragraph before).
fn continue_quotations(text: &Text<'_>, quotes: &mut [Quote], covered: &mut [bool]) {
    let token_at = |byte: usize| text.tokens.partition_point(|t| t.span().end <= byte);
    // The remark before each quotation (the one whose content ends last before it) is found by
    // walking the quotes in order of where their content ends, once: not by a scan per
    // quotation, which made quotation-dense text quadratic.
    let end = |q: &Quote| q.content.last().map_or(0, |c| c.end);
    let mut order: Vec<usize> = (0..quotes.len())
        .filter(|&i| !quotes[i].content.is_empty())
        .collect();
    order.sort_by_key(|&i| (end(&quotes[i]), i));
    let mut next = 0;
    let mut best: Option<usize> = None;
    // The last direct remark too: `"X," Belcher said, referring to Kerry. "Y."` ends on the
    // indirect "referring to" of the same sentence, and Y continues X.
    let mut best_direct: Option<usize> = None;
    let sentence_of = |q: &Quote| q.cue.first().map(|c| text.sentence_of[token_at(c.start)]);
    // Not from a headline: a first paragraph that ends without a full stop.
    let headline = text.paragraphs.first().is_some_and(|p| {
        !p.clone()
            .rev()
            .find(|&k| !matches!(text.tokens[k].kind, crate::text::TokenKind::Quote(_)))
            .is_some_and(|k| text.tokens[k].kind == crate::text::TokenKind::Final)
    });
    for qt in &text.quotations {
        if !qt.primary || qt.tokens.len() < 4 {
            continue;
        }
        let inner = qt.tokens.start + 1..qt.tokens.end - 1;
        if inner.clone().any(|k| covered[k]) {
            continue;
        }
        let s = &text.sentences[text.sentence_of[qt.tokens.start] as usize];
        let stands_alone = s.start == qt.tokens.start
            && (qt.tokens.end..s.end).all(|k| {
                matches!(
                    text.tokens[k].kind,
                    crate::text::TokenKind::Punct | crate::text::TokenKind::Quote(_)
                )
            });
        if !stands_alone {
            continue;
        }
        let para = text.paragraph_of(qt.tokens.start);
        let start = text.tokens[qt.tokens.start].span().start;
        while let Some(&i) = order.get(next).filter(|&&i| end(&quotes[i]) <= start) {
            // Ends may have grown (a quote that took a quotation), so compare them as they are;
            // ties go to the later quote.
            let later = |b: Option<usize>| match b {
                Some(b) if (end(&quotes[b]), b) > (end(&quotes[i]), i) => Some(b),
                _ => Some(i),
            };
            best = later(best);
            if quotes[i].kind != Kind::Indirect {
                best_direct = later(best_direct);
            }
            next += 1;
        }
        let Some(mut b) = best else {
            continue;
        };
        let mut other_speaker = false;
        if quotes[b].kind == Kind::Indirect {
            // Not past another speaker's own clause: `"…," Reyes said, but Cole said the budget
            // was balanced.` An aside by the same source, by a pronoun ("as he called for…",
            // "who has since…") or in a subordinate clause ("after Jones assured him…") is
            // still the speaker's paragraph.
            let same_source = |d: usize| {
                let aside = &quotes[b].source;
                let overlaps = aside.iter().any(|a| {
                    quotes[d]
                        .source
                        .iter()
                        .any(|s| a.start < s.end && s.start < a.end)
                });
                let new_clause = aside.first().is_some_and(|a| {
                    let k = token_at(a.start);
                    let pronoun = crate::lexicon::pronoun(&text.word(k).to_lowercase()).is_some()
                        || matches!(text.word(k), "who" | "which" | "that");
                    !pronoun
                        && k > 0
                        && matches!(
                            text.word(k - 1).to_lowercase().as_str(),
                            "but" | "and" | "while" | "whereas" | ","
                        )
                });
                overlaps || !new_clause
            };
            let d = best_direct.filter(|&d| {
                sentence_of(&quotes[d]).is_some()
                    && sentence_of(&quotes[d]) == sentence_of(&quotes[b])
            });
            match d {
                Some(d) if same_source(d) => b = d,
                // The other speaker's clause came last: the quotation is theirs.
                Some(_) => other_speaker = true,
                None => {}
            }
        }
        let prev = &mut quotes[b];
        let last = prev.content[prev.content.len() - 1];
        let last_para = text.paragraph_of(token_at(last.start));
        let next_para = last_para + 1 == para && !(last_para == 0 && headline);
        if !(last_para == para || next_para) || (prev.kind == Kind::Indirect && !other_speaker) {
            continue;
        }
        prev.content.push(text.span_of(qt.tokens.clone()));
        if prev.kind == Kind::Indirect {
            prev.kind = Kind::Mixed;
        }
        covered[qt.tokens.clone()].fill(true);
    }
}

/// `Tom Reyes was asked again. "Noted, but not acted on?" Reyes pressed.`: two cues that claim
/// the very same content report one remark (PolNeAR has 4 such pairs in 19,832 attributions):
/// the cue nearer the content keeps it, the other goes.
fn drop_double_claims(quotes: &mut Vec<Quote>) {
    if quotes.len() < 2 {
        return;
    }
    let distance = |q: &Quote| {
        let (c, k) = (q.content[0], q.cue.first().map_or(usize::MAX, |k| k.start));
        if k >= c.end {
            k - c.end
        } else {
            c.start.saturating_sub(k)
        }
    };
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by(|&a, &b| {
        quotes[a]
            .content
            .cmp(&quotes[b].content)
            .then(distance(&quotes[a]).cmp(&distance(&quotes[b])))
    });
    let mut drop = vec![false; quotes.len()];
    for w in order.windows(2) {
        if quotes[w[0]].content == quotes[w[1]].content {
            drop[w[1]] = true;
        }
    }
    let mut n = 0;
    quotes.retain(|_| {
        n += 1;
        !drop[n - 1]
    });
}

/// Quotations of two words or more that no cue claimed ("It became famous for Mr Bush starting
/// the exchange with "Yo, Blair"."): nearly all quotations in news are attributed (97% of those
/// of four words or more in PolNeAR), so attribute them to the nearest verb before them in the
/// sentence and the name or pronoun before that verb. Low confidence, and nothing when the
/// sentence offers no verb.
fn unattributed_quotations(
    text: &Text<'_>,
    pos: &[u8],
    covered: &[bool],
    is_cue: &[bool],
) -> Vec<Quote> {
    let mut out = Vec::new();
    let quoted = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    for q in &text.quotations {
        if !q.primary || !q.closed || q.tokens.len() < 4 {
            continue;
        }
        let inner = q.tokens.start + 1..q.tokens.end - 1;
        if inner.clone().any(|k| covered[k]) {
            continue;
        }
        let words = inner
            .clone()
            .filter(|&k| text.tokens[k].kind == crate::text::TokenKind::Word)
            .count();
        // An utterance, not a quoted title or scare phrase ("American Skin", "sex tape"): five
        // words, or a comma, "!" or "?" inside it ("Yo, Blair").
        let utterance = words >= 5
            || (inner.start..inner.end.saturating_sub(1))
                .any(|k| matches!(text.word(k), "," | "!" | "?"));
        let s = &text.sentences[text.sentence_of[q.tokens.start] as usize];
        let free = |k: usize| text.qflags[k] & quoted == 0 && !covered[k] && !is_cue[k];
        if words >= 2 {
            if let Some((source, cue)) = speaker_after(text, pos, q.tokens.end, &free) {
                out.push(Quote {
                    kind: Kind::Direct,
                    source: vec![text.span_of(source)],
                    cue: vec![text.span_of(cue)],
                    content: vec![text.span_of(q.tokens.clone())],
                    speaker: None,
                    addressee: None,
                    setting: Setting::Unknown,
                    confidence: 0.3,
                });
                continue;
            }
        }
        if words < 2 || !utterance || q.tokens.start == s.start {
            continue;
        }
        // A verb; or a cue word right after a name, which the tagger (trained on web text,
        // where "tweets" and "posts" are mostly nouns) misses: "Nicola Sturgeon tweets: …".
        let verbal = |k: usize| {
            pos[k] == VERB
                || (k > s.start
                    && matches!(pos[k - 1], PROPN | PRON)
                    // "in their comments": a possessive is not the one speaking.
                    && !crate::lexicon::is_possessive_determiner(
                        &text.word(k - 1).to_lowercase(),
                    )
                    && text.word(k).ends_with('s')
                    && crate::lexicon::is_cue_lemma(&crate::lexicon::lemma(
                        &text.word(k).to_lowercase(),
                    )))
        };
        let Some(v) = (s.start..q.tokens.start)
            .rev()
            .take_while(|&k| free(k))
            .find(|&k| verbal(k))
        else {
            continue;
        };
        let mut cue_end = q.tokens.start;
        while cue_end > v + 1
            && matches!(text.tokens[cue_end - 1].kind, crate::text::TokenKind::Punct)
        {
            cue_end -= 1;
        }
        // Only a phrase about speaking: a speech verb, or a verb with a speech noun
        // ("starting the exchange with", "ended his remarks with").
        let speechy = (v..cue_end).any(|k| {
            let w = text.word(k).to_lowercase();
            crate::lexicon::is_speech_noun(&w)
                || crate::lexicon::is_cue_lemma(&crate::lexicon::lemma(&w))
        });
        if !speechy {
            continue;
        }
        // The source: the nearest name (or pronoun) run before the verb.
        let mut k = v;
        while k > s.start && free(k - 1) && !matches!(pos[k - 1], PROPN | PRON) {
            k -= 1;
        }
        if k == s.start || !free(k - 1) || k + 4 < v {
            continue;
        }
        let end = k;
        let mut start = k - 1;
        while start > s.start && free(start - 1) && pos[start - 1] == PROPN && pos[end - 1] == PROPN
        {
            start -= 1;
        }
        let source = with_title(text, start..end);
        out.push(Quote {
            kind: Kind::Direct,
            source: vec![text.span_of(source)],
            cue: vec![text.span_of(v..cue_end)],
            content: vec![text.span_of(q.tokens.clone())],
            speaker: None,
            addressee: None,
            setting: Setting::Unknown,
            confidence: 0.3,
        });
    }
    out
}

/// `"It was awful," she laughs.` / `"…," grinned Kaur.`: right after a quotation, a pronoun or
/// a name and a verb of speaking or of manner (which the cue tagger, trained on political
/// news, misses), or the verb first. Returns the source and cue token ranges.
fn speaker_after(
    text: &Text<'_>,
    pos: &[u8],
    at: usize,
    free: &dyn Fn(usize) -> bool,
) -> Option<(Range<usize>, Range<usize>)> {
    let n = text.tokens.len();
    let speaking = |k: usize| {
        k < n && free(k) && pos[k] == VERB && {
            let w = text.word(k).to_lowercase();
            crate::lexicon::is_manner_of_speaking(&w)
                || crate::lexicon::is_cue_lemma(&crate::lexicon::lemma(&w))
        }
    };
    let pronoun = |k: usize| {
        k < n
            && free(k)
            && matches!(
                text.word(k).to_lowercase().as_str(),
                "he" | "she" | "they" | "i" | "we"
            )
    };
    // A name: up to three capitalised words, a title first allowed ("Mr Kaur").
    let name_end = |k: usize| {
        let mut e = k;
        while e < n
            && e < k + 3
            && free(e)
            && pos[e] == PROPN
            && text.word(e).starts_with(char::is_uppercase)
        {
            e += 1;
        }
        (e > k).then_some(e)
    };
    let ends = |k: usize| {
        k >= n
            || matches!(text.word(k), "." | "," | "!" | "?" | ";")
            || text.sentence_of[k] != text.sentence_of[k - 1]
    };
    if at >= n || text.sentence_of[at] != text.sentence_of[at - 1] {
        return None;
    }
    // Subject first: "she laughs", "Kaur grinned".
    let subject_end = if pronoun(at) {
        Some(at + 1)
    } else {
        name_end(at)
    };
    if let Some(e) = subject_end {
        if speaking(e) && ends(e + 1) {
            return Some((with_title(text, at..e), e..e + 1));
        }
    }
    // Verb first: "laughs Kaur".
    if speaking(at) {
        if let Some(e) = name_end(at + 1) {
            if ends(e) {
                return Some((with_title(text, at + 1..e), at..at + 1));
            }
        }
    }
    None
}

/// "CHICAGO (AP) — A man was charged, police said.": a wire dateline opening the paragraph is
/// not part of what was said (PolNeAR's contents start after it), nor of who said it ("SUVA,
/// Fiji - Japan's Prime Minister Haruki Tanaka promised…"). It is capitals (a city, a
/// state: "WASHINGTON", "NEW DELHI", "ST. LOUIS"), optionally a date ("March 4") and an agency
/// in parentheses, then a dash.
fn drop_dateline(text: &Text<'_>, content: &mut [Range<usize>]) {
    let Some(first) = content.first_mut() else {
        return;
    };
    let para = &text.paragraphs[text.paragraph_of(first.start) as usize];
    if first.start != para.start {
        return;
    }
    let mut k = para.start;
    let mut caps = 0;
    while k < first.end && k - para.start < 12 {
        let w = text.word(k);
        let upper = w.chars().any(char::is_alphabetic) && w.chars().all(|c| !c.is_lowercase());
        match w {
            "—" | "–" | "-" | "--" if caps > 0 => {
                // The story starts after it with a capital: "— A man was…" (not "NATO - the
                // alliance - is obsolete").
                let story = || {
                    text.word(k + 1)
                        .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                };
                if k + 2 < first.end && story() {
                    first.start = k + 1;
                }
                return;
            }
            "," | "(" | ")" => {}
            _ if upper => caps += 1,
            // "March 4", "(Reuters)": only after the place.
            _ if caps > 0
                && (w.chars().all(|c| c.is_ascii_digit()) || w.starts_with(char::is_uppercase)) => {
            }
            _ => return,
        }
        k += 1;
    }
}

/// A content run that starts or ends inside a quotation takes the whole of it: the tagger
/// dropped "Yo, Blair." from `told Mr Blair: "Yo, Blair. How are you doing?"`, or the closing
/// mark from `"We can win this" — Mr Sanders said — "but…"`. Not over a cue or a source.
fn snap_to_quotations(
    text: &Text<'_>,
    cue: &Range<usize>,
    source: &[Range<usize>],
    content: &mut Vec<Range<usize>>,
) {
    let taken = |k: usize| cue.contains(&k) || source.iter().any(|r| r.contains(&k));
    let around = |k: usize| primary_quotation(text, k, |q| q.tokens.contains(&k));
    for r in content.iter_mut() {
        if let Some(q) = around(r.start) {
            if q.tokens.start < r.start && !(q.tokens.start..r.start).any(taken) {
                r.start = q.tokens.start;
            }
        }
        if let Some(q) = r.end.checked_sub(1).and_then(around) {
            if r.end < q.tokens.end && !(r.end..q.tokens.end).any(taken) {
                r.end = q.tokens.end;
            }
        }
    }
    // Two runs in one quotation are now one.
    content.dedup_by(|b, a| {
        let overlap = b.start < a.end;
        if overlap {
            a.end = a.end.max(b.end);
        }
        overlap
    });
}

/// "the poet Simon Armitage – himself the current laureate – had said": the aside between
/// dashes is not the speaker; where the tagger took it ("himself the current laureate –"), the
/// noun phrase before the first dash is the source.
fn reflexive_aside(text: &Text<'_>, pos: &[u8], source: &mut Vec<Range<usize>>) {
    let [r] = source.as_slice() else {
        return;
    };
    let reflexive = matches!(
        text.word(r.start).to_lowercase().as_str(),
        "himself" | "herself" | "themselves" | "itself"
    );
    if !reflexive || r.start < 2 || !matches!(text.word(r.start - 1), "–" | "—" | "-" | "--") {
        return;
    }
    let dash = r.start - 1;
    let mut from = dash;
    while from > 0
        && dash - from < 8
        && text.sentence_of[from - 1] == text.sentence_of[dash]
        && (matches!(pos[from - 1], NOUN | PROPN | DET | ADJ) || name_like(text, pos, from - 1))
    {
        from -= 1;
    }
    if from < dash && can_speak(text, pos, dash - 1) {
        *source = vec![with_title(text, from..dash)];
    }
}

/// `whispering: "It's live. It's live." Mr Furlong did not respond.`: a content run that opens
/// with a quotation and runs on past its closing mark into the next sentence ends at the mark:
/// the sentence after is narrative.
fn end_at_quotation(text: &Text<'_>, content: &mut [Range<usize>]) {
    for r in content.iter_mut() {
        let start = r.start;
        let Some(q) = primary_quotation(text, start, |q| q.tokens.start == start) else {
            continue;
        };
        let end = q.tokens.end;
        if end < r.end && end > 0 && text.sentence_of[end] != text.sentence_of[end - 1] {
            r.end = end;
        }
    }
}

/// "Cruz attacked the bill on Monday, calling it a disgrace": a cue after a comma or a
/// conjunction that the tagger left without a source shares the source of the cue before it in
/// the sentence (on PolNeAR train, 71 sources gained for 13 lost, most of those annotated
/// without one). Not "when asked" or "referring to", whose source PolNeAR leaves out or gives
/// to the one asking. A participle after a comma whose source the tagger found between the
/// cue before it and itself takes that cue's source too: "Bush attacked Donald Trump, calling
/// him a loser" is Bush's, not Trump's (18 gained, 4 lost).
fn inherit_source(text: &Text<'_>, pos: &[u8], found: &mut [Found]) {
    for i in 1..found.len() {
        let f = &found[i];
        if f.content.is_empty() || f.cue.start == 0 {
            continue;
        }
        let first = text.word(f.cue.start).to_lowercase();
        if first.starts_with("ask") || matches!(first.as_str(), "referring" | "when") {
            continue;
        }
        // Past a closing mark: `said the system was "corrupt," noting that…`.
        let b = token_before_cue(text, &f.cue);
        let before = text.word(b).to_lowercase();
        let comma = before == ",";
        if !comma
            && !matches!(
                before.as_str(),
                "and" | "but" | "then" | "while" | "before" | "after"
            )
        {
            continue;
        }
        let participle = comma && first.ends_with("ing") && first != "according";
        if !f.source.is_empty() && !participle {
            continue;
        }
        // A new subject set off before the cue ("…, and Kirby, saying she was…", "and the
        // union, citing…"): the cue is that subject's, not the verb's before.
        if f.source.is_empty() && comma && new_subject_before(text, pos, b) {
            continue;
        }
        // Only a cue a few words back, in the sentence, with its source near: a long run of
        // participles without a full stop must not chain a source across the whole text.
        let sentence = text.sentence_of[f.cue.start];
        let near = |k: usize| f.cue.start.saturating_sub(k) <= INHERIT_REACH;
        // The cue right before (sources pass down a chain one cue at a time; a cue without one
        // in between, e.g. a new subject's, stops it).
        let j = i - 1;
        if text.sentence_of[found[j].cue.start] != sentence
            || !near(found[j].cue.end)
            || found[j].source.is_empty()
            || found[j].cue.end > f.cue.start
        {
            continue;
        }
        let g = &found[j];
        if !g.source.iter().all(|r| near(r.start)) {
            continue;
        }
        if !f.source.is_empty() {
            // A source found: replaced only when it lies between the two cues, the cue before
            // has its source before it (not `"…," said X, adding`, where X is both), and it
            // does not open a clause of its own ("…, with his lawyer, Ann Kirby, adding",
            // "…, his spokesman, Tom Reed, saying").
            let between = f
                .source
                .iter()
                .all(|r| r.start >= g.cue.end && r.end <= b + 1)
                && g.source.iter().all(|r| r.end <= g.cue.start);
            // After a comma only a phrase that reads as a subject of its own (with an
            // apposition, or a possessive): "Tulsa, Oklahoma, arguing" is still the verb's.
            let opens_clause = f.source.first().is_some_and(|r| {
                let before = if r.start > 0 {
                    text.word(r.start - 1)
                } else {
                    ""
                };
                before.eq_ignore_ascii_case("and")
                    || before.eq_ignore_ascii_case("with")
                    || (before == ","
                        && ((r.start + 1..r.end.saturating_sub(1)).any(|k| text.word(k) == ",")
                            || crate::lexicon::is_possessive_determiner(
                                &text.word(r.start).to_lowercase(),
                            )))
            });
            // Or a modifier of the source before, or a part of it: "Ashby boss Gareth Lyle was
            // furious, claiming…" gave the participle "Ashby".
            let modifier = g.source.first().is_some_and(|gs| {
                f.source.iter().all(|r| {
                    (r.start >= gs.start && r.end <= gs.end && r.len() < gs.len())
                        || (r.len() <= 3
                            && r.end <= gs.start
                            && gs.start - r.end <= 2
                            && (r.end..gs.start)
                                .all(|k| text.tokens[k].kind == crate::text::TokenKind::Word))
                })
            });
            if !((between && !opens_clause) || modifier) {
                continue;
            }
        }
        found[i].source = found[j].source.clone();
    }
}

/// How far back (in tokens) a cue may share the source of the cue before it.
const INHERIT_REACH: usize = 40;

/// "Trump shot back in a statement, saying he had…", "Mr. Putin also veered close to an
/// admission, saying, ''We never…''": a participle after a comma (or "and", "while", "by"…)
/// with no cue before it in the sentence (`cue_before`: that one passes its source down) is
/// the sentence subject's (but a new subject set off by ", and" right before it, "…, and
/// Kirby, saying she…, withdrew", takes the participle whether or not a cue came before),
/// when the tagger gave it no source or took the verb's object for one ("Donald Trump … has
/// picked up on the criticism of Carson, telling ABC…"). The subject
/// is the noun phrase right before the first finite verb of its clause, within
/// [`PARTICIPLE_REACH`] tokens before the participle, skipping a fronted clause ("Arriving upon
/// the scene, police began…", "Since X used…, officials have been…").
fn participle_subject(text: &Text<'_>, pos: &[u8], f: &mut Found, cue_before: bool) {
    let found_source = !f.source.is_empty();
    if f.content.is_empty() || f.cue.start < 3 {
        return;
    }
    let first = text.word(f.cue.start).to_lowercase();
    if !first.ends_with("ing") || matches!(first.as_str(), "according" | "referring" | "asking") {
        return;
    }
    let b = token_before_cue(text, &f.cue);
    let subject = subject_before(text, pos, b);
    // "The union endorsed Hale, and Kirby, saying she was…": Kirby's, not the union's.
    if let Some(s) = subject.clone() {
        // The tagger's source lies before the subject, or runs over a verb into it.
        let before = |r: &Range<usize>| {
            r.end <= s.start
                || (r.start < s.start
                    && r.end <= s.end
                    && (r.start..s.start).any(|k| matches!(pos[k], VERB | AUX)))
        };
        // Only after ", and" ("Tulsa, Oklahoma, arguing", "Iraq and Libya, saying" are
        // objects and places; on PolNeAR dev the looser test moved two sources there), for
        // someone who can speak, with a verb of its own after the participle's clause
        // (", withdrew"): not the last item of a list ("thanked the staff, the volunteers,
        // and the donors, saying…", "arrested two men, and a woman, saying…").
        let after_and = s.start >= 2
            && text.word(s.start - 1).eq_ignore_ascii_case("and")
            && text.word(s.start - 2) == ",";
        let sentence_end = text.sentences[text.sentence_of[f.cue.start] as usize].end;
        let own_verb = (f.cue.end..sentence_end.min(f.cue.end + PREDICATE_REACH)).find(|&k| {
            text.word(k) == ","
                && k + 1 < sentence_end
                && matches!(pos[k + 1], VERB | AUX)
                && !text.word(k + 1).ends_with("ing")
        });
        if let Some(comma) = own_verb.filter(|_| {
            text.word(b) == ","
                && after_and
                && can_speak(text, pos, s.end - 1)
                && found_source
                && f.source.iter().all(before)
        }) {
            f.source = vec![with_title(text, s)];
            // What was said ends where the subject's own verb begins.
            f.content.retain(|c| c.start < comma);
            for c in &mut f.content {
                c.end = c.end.min(comma);
            }
            return;
        }
    }
    if found_source && cue_before {
        return;
    }
    // "…, calling", and the same after a conjunction or a subordinator that keeps the subject
    // ("and accusing him", "while urging", "by talking about", "after saying"), but not where
    // that clause opens the sentence ("After saying…, the man asked").
    let sentence = text.sentence_of[f.cue.start] as usize;
    let connector = text.word(b).to_lowercase();
    let joined = matches!(
        connector.as_str(),
        "and" | "while" | "by" | "after" | "before" | "in" | "when" | "without"
    ) && b > text.sentences[sentence].start + 2;
    if !(connector == "," || joined) {
        return;
    }
    if subject.is_some() && !found_source {
        return;
    }
    let start = text.sentences[sentence]
        .start
        .max(b.saturating_sub(PARTICIPLE_REACH));
    let quoted = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    let nominal = |k: usize| matches!(pos[k], NOUN | PROPN | PRON);
    // The first finite verb with a noun phrase right before it (adverbs between: "Mr. Putin
    // also veered") that is not the start of a subordinate clause.
    let mut clause_start = start;
    for k in start..b {
        let w = text.word(k);
        if w == "," {
            clause_start = k + 1;
            continue;
        }
        if !matches!(pos[k], VERB | AUX) || w.ends_with("ing") || text.qflags[k] & quoted != 0 {
            continue;
        }
        let mut end = k;
        while end > clause_start && pos[end - 1] == ADV {
            end -= 1;
        }
        if end == clause_start || !nominal(end - 1) {
            continue;
        }
        let phrase_start = |mut from: usize| {
            while from > clause_start
                && (matches!(pos[from - 1], NOUN | PROPN | PRON | DET | ADJ | NUM)
                    || text.word(from - 1) == "'s"
                    || text.word(from - 1) == "’s")
            {
                from -= 1;
            }
            from
        };
        // A pronoun is a whole noun phrase ("On Tuesday she doubled down").
        let mut from = if pos[end - 1] == PRON {
            end - 1
        } else {
            phrase_start(end)
        };
        let mut h = end - 1;
        // "Hundreds of nurses", "Fans of the club": the head comes before the "of".
        if from > clause_start + 1
            && text.word(from - 1) == "of"
            && matches!(pos[from - 2], NOUN | NUM | PRON | PROPN)
        {
            h = from - 2;
            from = phrase_start(from - 1);
        }
        let opener = if from > start {
            text.word(from - 1).to_lowercase()
        } else {
            String::new()
        };
        // Someone who can speak ("The fracas erupted…, calling them…" is not the fracas's),
        // in the head or after "of" ("Hundreds of nurses").
        let head = text.word(h).to_lowercase();
        let speaker = can_speak(text, pos, h) || can_speak(text, pos, end - 1);
        // Nor "that Russian soldiers had fought", "who has…", "when Trump arrived": not the
        // sentence's subject.
        if !speaker
            || matches!(head.as_str(), "who" | "which" | "that" | "it" | "there")
            || (from > start && (pos[from - 1] == SCONJ || pos[from - 1] == ADP))
            || matches!(opener.as_str(), "that" | "who" | "which")
        {
            continue;
        }
        if f.content.iter().any(|c| c.start < end && from < c.end)
            || (from..end).any(|j| text.qflags[j] & quoted != 0)
        {
            return;
        }
        // A source found stays unless it lies after this verb, in the clause before the
        // participle, and is no new subject set off by a comma or "and"; or runs from the
        // subject over the verb into its object ("Comedian Sara Holt endorsed Senator Ben
        // Marsh …, telling…", which names the senator).
        let object = |r: &Range<usize>| {
            r.start > k
                && r.end <= b
                && !matches!(text.word(r.start - 1), "," | "and")
                && !text.word(r.start - 1).eq_ignore_ascii_case("with")
        };
        let over_verb = |r: &Range<usize>| r.start <= from && r.end > k + 1;
        if found_source && !f.source.iter().all(|r| object(r) || over_verb(r)) {
            return;
        }
        f.source = vec![with_title(text, from..end)];
        return;
    }
}

/// "After thanking the crowd, he touted…", "Recalling that moment, David Axelrod said…": a
/// participle opening the sentence (or after "After", "While", "By"…) that the tagger left
/// without a source is the main clause's subject's: the noun phrase after the comma that
/// closes the participle's clause, right before that clause's verb (30 such sources missed
/// on cross-validated train).
fn fronted_participle(text: &Text<'_>, pos: &[u8], f: &mut Found) {
    if !f.source.is_empty() || f.content.is_empty() {
        return;
    }
    let first = text.word(f.cue.start).to_lowercase();
    if !first.ends_with("ing") || matches!(first.as_str(), "according" | "referring") {
        return;
    }
    let sentence = &text.sentences[text.sentence_of[f.cue.start] as usize];
    let mut start = past_opening_marks(text, sentence.start, f.cue.start);
    if start < f.cue.start
        && matches!(
            text.word(start).to_lowercase().as_str(),
            "after"
                | "before"
                | "while"
                | "when"
                | "since"
                | "by"
                | "upon"
                | "in"
                | "despite"
                | "without"
                | "and"
                | "but"
                | "also"
        )
    {
        start += 1;
    }
    if f.cue.start != start {
        return;
    }
    let quoted = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    let nominal = |k: usize| nominal_word(text, pos, k);
    let end = sentence.end.min(f.cue.end + FRONTED_REACH);
    for comma in f.cue.end..end {
        if text.word(comma) != "," || text.qflags[comma] & quoted != 0 {
            continue;
        }
        let from = comma + 1;
        let mut verb = from;
        while verb < end && verb - from < 6 && nominal(verb) {
            verb += 1;
        }
        if verb == from
            || verb >= end
            || !matches!(pos[verb], VERB | AUX)
            || text.word(verb).ends_with("ing")
            || !can_speak(text, pos, verb - 1)
        {
            continue;
        }
        f.source = vec![with_title(text, from..verb)];
        return;
    }
}

/// How far after a sentence-opening participle the comma closing its clause may be.
const FRONTED_REACH: usize = 40;

/// "Mayor Lin went on the attack, saying, \"…\"": what a participle after a comma introduces
/// follows it; the clause before is the sentence it hangs on, not content (PolNeAR: 4 of 653
/// such cues have content before them). Where the tagger found content on both sides, the
/// part before goes.
fn participle_content(text: &Text<'_>, cue: &Range<usize>, content: &mut Vec<Range<usize>>) {
    if cue.start < 2 || !content.iter().any(|c| c.start >= cue.end) {
        return;
    }
    let first = text.word(cue.start).to_lowercase();
    if !first.ends_with("ing") || first == "according" {
        return;
    }
    if text.word(token_before_cue(text, cue)) == "," {
        content.retain(|c| c.start >= cue.end);
    }
}

/// "Weaver dismissed that suggestion", "Florida elections officials are expecting…": a cue the
/// tagger left without a source, right after a short noun phrase that opens the sentence
/// (a name, a pronoun, a person, group or organisation as its head), has that phrase as its
/// source (35 such attributions lost their source on cross-validated train).
fn subject_opening_the_sentence(text: &Text<'_>, pos: &[u8], f: &mut Found) {
    if !f.source.is_empty() || f.content.is_empty() || f.cue.start == 0 {
        return;
    }
    let sentence = &text.sentences[text.sentence_of[f.cue.start] as usize];
    let from = past_opening_marks(text, sentence.start, f.cue.start);
    let mut end = f.cue.start;
    // Or a noun phrase with its apposition: "Her shadow, Labour's Kwame Asante, accused…".
    // (Bounded before the commas are counted: a long sentence has many cues to test.)
    let apposition = end > from + 3
        && end - from <= 11
        && text.word(end - 1) == ","
        && (from + 1..end - 2).filter(|&k| text.word(k) == ",").count() == 1;
    if apposition {
        end -= 1;
    }
    if from >= end || end - from > if apposition { 10 } else { 6 } {
        return;
    }
    let nominal =
        (from..end).all(|k| nominal_word(text, pos, k) || (apposition && text.word(k) == ","));
    if nominal
        && can_speak(text, pos, end - 1)
        && !f.content.iter().any(|c| c.start < end && from < c.end)
    {
        f.source = vec![with_title(text, from..end)];
    }
}

/// An unquoted word that can belong to a noun phrase: noun, name (or a capitalised word the
/// tagger misread), pronoun, determiner, adjective, number, or a possessive "'s".
fn nominal_word(text: &Text<'_>, pos: &[u8], k: usize) -> bool {
    text.qflags[k] & (qflags::IN_DOUBLE | qflags::IN_SINGLE) == 0
        && (matches!(pos[k], NOUN | PROPN | PRON | DET | ADJ | NUM)
            || name_like(text, pos, k)
            || matches!(text.word(k), "'s" | "’s"))
}

/// The first token from `start` (before `limit`) that is not a quotation mark: where a
/// sentence's words begin.
fn past_opening_marks(text: &Text<'_>, mut start: usize, limit: usize) -> usize {
    while start < limit && matches!(text.tokens[start].kind, crate::text::TokenKind::Quote(_)) {
        start += 1;
    }
    start
}

/// A quotation mark that closes a quotation.
fn closing_mark(text: &Text<'_>, k: usize) -> bool {
    matches!(text.tokens[k].kind, crate::text::TokenKind::Quote(_))
        && text.qflags[k] & qflags::CLOSE != 0
}

/// The closed outer quotation near token `k` (one of the last four starting at or before it)
/// that `want` accepts.
fn primary_quotation<'a>(
    text: &'a Text<'_>,
    k: usize,
    want: impl Fn(&Quotation) -> bool,
) -> Option<&'a Quotation> {
    let n = text.quotations.partition_point(|q| q.tokens.start <= k);
    text.quotations[..n]
        .iter()
        .rev()
        .take(4)
        .find(|q| q.primary && q.closed && want(q))
}

/// The token right before a cue, past a closing quotation mark (`said the system was
/// "corrupt," noting that…`).
fn token_before_cue(text: &Text<'_>, cue: &Range<usize>) -> usize {
    let b = cue.start.saturating_sub(1);
    if b > 0 && matches!(text.tokens[b].kind, crate::text::TokenKind::Quote(_)) {
        b - 1
    } else {
        b
    }
}

/// Can the word at `k` head a source: a name, a personal pronoun, a person, a group of people
/// or an organisation?
fn can_speak(text: &Text<'_>, pos: &[u8], k: usize) -> bool {
    let w = text.word(k).to_lowercase();
    name_like(text, pos, k)
        || matches!(w.as_str(), "he" | "she" | "they" | "we" | "i")
        || crate::resolution::is_person_role(&w)
        || crate::resolution::is_animate_plural(&w)
        || crate::resolution::is_org_noun(&w)
}

/// A proper noun, or a capitalised word the tagger took for something else that is no
/// function word ("Okafor" read as a conjunction).
fn name_like(text: &Text<'_>, pos: &[u8], k: usize) -> bool {
    pos[k] == PROPN
        || (text.word(k).starts_with(char::is_uppercase)
            && text.tokens[k].kind == crate::text::TokenKind::Word
            && !matches!(pos[k], DET | PRON | ADP | ADV | AUX | VERB | SCONJ | PART)
            && ![
                "and", "but", "or", "so", "yet", "nor", "for", "then", "still",
            ]
            .iter()
            .any(|f| text.word(k).eq_ignore_ascii_case(f)))
}

/// How far after a participle the verb of a new subject before it may be ("and Kirby, saying
/// she was disappointed, withdrew").
const PREDICATE_REACH: usize = 30;

/// How far back (in tokens) the subject of a participle may be.
const PARTICIPLE_REACH: usize = 60;

/// Is the noun phrase ending right before the comma at `comma` a new subject: at most four
/// unquoted nominal words after "and" or a comma?
fn new_subject_before(text: &Text<'_>, pos: &[u8], comma: usize) -> bool {
    subject_before(text, pos, comma).is_some()
}

/// The new subject of [`new_subject_before`], if there is one.
fn subject_before(text: &Text<'_>, pos: &[u8], comma: usize) -> Option<Range<usize>> {
    let quoted = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    let mut k = comma;
    let mut words = 0;
    while k > 0 && words < 4 {
        let w = k - 1;
        if text.qflags[w] & quoted != 0 || !matches!(pos[w], NOUN | PROPN | DET | ADJ) {
            break;
        }
        k = w;
        words += 1;
    }
    (words > 0 && k > 0 && matches!(text.word(k - 1), "," | "and")).then_some(k..comma)
}

/// "Mr Putin was quoted by the Interfax news agency as saying: …": the agency quotes, Mr Putin
/// speaks. Where the source found is the agent of a passive "was quoted by" / "was cited by",
/// the source is the passive's subject: the name (with its title) or pronoun right before
/// the "was".
fn quoted_by_source(text: &Text<'_>, pos: &[u8], f: &mut Found) {
    let [r] = f.source.as_slice() else {
        return;
    };
    let s = text.sentence_of[r.start];
    let at = |k: usize, words: &[&str]| {
        text.sentence_of[k] == s && words.iter().any(|w| text.word(k).eq_ignore_ascii_case(w))
    };
    // Not when the passive verb is itself the cue ("a study, which was cited by Senator
    // Warren, said…": the cue "was cited" has Warren as its source).
    let passive = r.start.saturating_sub(3)..r.start;
    if r.start < 4
        || f.cue.start < passive.end && passive.start < f.cue.end
        || !at(r.start - 1, &["by"])
        || !at(r.start - 2, &["quoted", "cited"])
        || !at(r.start - 3, &["was", "is", "were", "are", "been", "being"])
    {
        return;
    }
    let end = r.start - 3;
    let mut start = end;
    while start > 0
        && text.sentence_of[start - 1] == s
        && end - start < 6
        && (pos[start - 1] == PROPN
            || (start == end && pos[start - 1] == PRON)
            || crate::lexicon::is_title(&text.word(start - 1).to_lowercase()))
    {
        start -= 1;
        if pos[start] == PRON {
            break;
        }
    }
    let source = with_title(text, start..end);
    let in_content = f
        .content
        .iter()
        .any(|c| c.start < source.end && source.start < c.end);
    if start < end && !in_content {
        f.source = vec![source];
    }
}

/// "Mr Trump told Marco Rubio: \"…\"": where the cue tagger takes the colon for the cue (as after
/// a speaker label, "Trump: …"), the name before it is the person told, not the speaker. Move
/// the cue to the telling verb ("told", "telling", "said to"), so that the verb's subject is
/// the source and the name the addressee.
fn colon_after_told(text: &Text<'_>, pos: &[u8], cues: &mut Vec<(Range<usize>, f32)>) {
    let others: Vec<Range<usize>> = cues.iter().map(|(c, _)| c.clone()).collect();
    // Cues are sorted and disjoint: the one that may hold token k, found by binary search.
    let in_cue = |k: usize| {
        let n = others.partition_point(|c| c.end <= k);
        others.get(n).is_some_and(|c| c.contains(&k))
    };
    for (cue, _) in cues.iter_mut() {
        let c = cue.start;
        if cue.len() != 1 || text.word(c) != ":" {
            continue;
        }
        // Back over the object, at most six words: names, titles, "the", "his" — no verb.
        let mut j = c;
        while j > 0 && c - j < 7 && text.sentence_of[j - 1] == text.sentence_of[c] {
            j -= 1;
            let w = text.word(j);
            let low = w.to_lowercase();
            let lemma = crate::lexicon::lemma(&low);
            let tells = matches!(
                lemma.as_ref(),
                "tell" | "ask" | "warn" | "assure" | "remind" | "inform" | "urge" | "advise"
            );
            // "said to Mr Putin:", "whispered to the Queen:".
            let says_to = low == "to"
                && j > 0
                && text.sentence_of[j - 1] == text.sentence_of[c]
                && crate::lexicon::is_cue_lemma(&crate::lexicon::lemma(
                    &text.word(j - 1).to_lowercase(),
                ));
            if tells || says_to {
                let verb = if says_to { j - 1 } else { j };
                // An object between verb and colon. Where the verb is a cue of its own, the
                // colon goes (it would take the verb's content).
                if j + 1 < c {
                    *cue = if in_cue(verb) { c..c } else { verb..verb + 1 };
                }
                break;
            }
            let word_like = text.tokens[j].kind == crate::text::TokenKind::Word;
            if !word_like || matches!(pos[j], VERB | AUX) {
                break;
            }
        }
    }
    cues.retain(|(c, _)| !c.is_empty());
    // A cue moved back to its verb may now come before the one it followed.
    cues.sort_by_key(|(c, _)| c.start);
    cues.dedup_by(|b, a| b.0 == a.0);
}

/// "Sarkozy was heard describing Netanyahu as a \"liar\"", "was caught on a hot mic telling…":
/// speech reported as overheard. The tagger learnt the cue from plain reports ("described")
/// and is unsure of it after a verb of perception, a construction PolNeAR has only a few
/// times; where it left a verb of saying in -ing after "was heard" (or "overheard"; or
/// "caught", "recorded", "taped" on a microphone, tape, camera or video, at most seven words
/// back) without a cue, that verb is one. Train precision 3 of 4 ("could be heard calling
/// friends on their cellphones" is not). Only verbs of saying: "was recorded on video showing
/// the officer…" is no speech.
fn overheard_speech(text: &Text<'_>, pos: &[u8], cues: &mut Vec<(Range<usize>, f32)>) {
    let mut added = Vec::new();
    let mut next_cue = 0;
    for k in 1..text.tokens.len() {
        while next_cue < cues.len() && cues[next_cue].0.end <= k {
            next_cue += 1;
        }
        // After "mic" the tagger may read "telling" as a noun.
        if cues.get(next_cue).is_some_and(|(c, _)| c.contains(&k)) || !matches!(pos[k], VERB | NOUN)
        {
            continue;
        }
        let w = text.word(k);
        if !w.ends_with("ing") {
            continue;
        }
        let low = w.to_lowercase();
        if !is_saying(&crate::lexicon::lemma(&low)) {
            continue;
        }
        // Back over a short phrase ("on a hot microphone"), to the verb of perception.
        let sentence = text.sentence_of[k];
        let mut recorded_on = false;
        let mut j = k;
        let found = loop {
            if j == 0 || k - j > 6 || text.sentence_of[j - 1] != sentence {
                break false;
            }
            j -= 1;
            let low = text.word(j).to_lowercase();
            match low.as_str() {
                "heard" | "overheard" => break true,
                "caught" | "recorded" | "taped" => break recorded_on,
                "mic" | "microphone" | "tape" | "camera" | "video" => recorded_on = true,
                _ => {}
            }
            if text.tokens[j].kind != crate::text::TokenKind::Word || matches!(pos[j], VERB | AUX) {
                break false;
            }
        };
        // Passive: "was heard", "could be heard", "were overheard", "got caught".
        let passive = found
            && j > 0
            && matches!(
                text.word(j - 1).to_lowercase().as_str(),
                "was" | "were" | "is" | "are" | "be" | "been" | "being" | "got" | "gets" | "get"
            );
        if passive {
            added.push((k..k + 1, OVERHEARD_CONFIDENCE));
        }
    }
    if !added.is_empty() {
        cues.extend(added);
        cues.sort_by_key(|(c, _)| c.start);
    }
}

/// Verbs of saying (lemmas) that [`overheard_speech`] takes for cues: the cue lexicon less
/// its verbs of thinking, perceiving and showing.
fn is_saying(lemma: &str) -> bool {
    crate::lexicon::is_cue_lemma(lemma)
        && !matches!(
            lemma,
            "show"
                | "find"
                | "know"
                | "think"
                | "believe"
                | "feel"
                | "hear"
                | "read"
                | "understand"
                | "realize"
                | "remember"
                | "recall"
                | "expect"
                | "hope"
                | "fear"
                | "like"
                | "love"
                | "hate"
                | "want"
                | "try"
                | "seek"
                | "plan"
                | "intend"
                | "decide"
                | "consider"
                | "begin"
                | "continue"
                | "point"
                | "push"
                | "signal"
                | "indicate"
                | "post"
                | "paint"
                | "frame"
                | "portray"
                | "support"
                | "oppose"
                | "suppose"
                | "assume"
                | "suspect"
                | "doubt"
                | "guess"
                | "worry"
                | "wonder"
        )
}

/// The confidence of a cue found by [`overheard_speech`]: its precision on PolNeAR train.
const OVERHEARD_CONFIDENCE: f32 = 0.75;

/// "told reporters the talks had…": the person told is the addressee, not part of what was
/// said. When a tell-type cue is followed directly by its object and then a clause, start the
/// content after the object.
fn drop_told_object(text: &Text<'_>, pos: &[u8], cue: &Range<usize>, content: &mut [Range<usize>]) {
    const NOUN: u8 = 7;
    let Some(first) = content.first_mut() else {
        return;
    };
    let head = text.word(cue.end - 1).to_lowercase();
    let tell = matches!(
        crate::lexicon::lemma(&head).as_ref(),
        "tell" | "inform" | "assure" | "remind" | "notify" | "warn" | "advise" | "promise"
    );
    if !tell || first.start != cue.end || text.qflags[first.start] & qflags::IN_DOUBLE != 0 {
        return;
    }
    let mut k = first.start;
    let obj_end = if pos[k] == PRON {
        k + 1
    } else {
        while k < first.end && (matches!(pos[k], DET | ADJ) || text.word(k).ends_with("'s")) {
            k += 1;
        }
        let nouns = k;
        // The tagger, trained on web text, sometimes calls a plural object a verb
        // ("told reporters/VERB the talks"); a clause start after it settles it.
        while k < first.end
            && (matches!(pos[k], NOUN | PROPN)
                || (pos[k] == VERB && k + 1 < first.end && matches!(pos[k + 1], DET | PRON)))
        {
            k += 1;
        }
        if k == nouns {
            return;
        }
        k
    };
    // What follows must be able to start a clause, and leave something to report.
    if obj_end + 2 < first.end && matches!(pos[obj_end], DET | PRON | PROPN | NOUN | 13) {
        first.start = obj_end;
    }
}

/// "he would relay the message to Vladimir, a reference to newly elected President Vladimir
/// Putin": the writer's gloss after a paraphrase is not part of what was said. Cut an unquoted
/// content before ", a reference to" and its kin.
fn drop_gloss(text: &Text<'_>, content: &mut [Range<usize>]) {
    let Some(last) = content.last_mut() else {
        return;
    };
    for k in last.clone() {
        if text.qflags[k] & qflags::IN_DOUBLE != 0 || text.word(k) != "," || k == last.start {
            continue;
        }
        let next: Vec<String> = (k + 1..(k + 5).min(last.end))
            .map(|j| text.word(j).to_lowercase())
            .collect();
        let next: Vec<&str> = next.iter().map(String::as_str).collect();
        let gloss = matches!(
            next.as_slice(),
            ["a" | "an", "reference" | "allusion", ..]
                | [
                    "an",
                    "apparent" | "apparently" | "oblique" | "obvious",
                    "reference" | "allusion",
                    ..
                ]
                | ["referring" | "alluding", "to", ..]
                | ["apparently" | "presumably", "referring" | "alluding", ..]
                | ["in", "reference", "to", ..]
        );
        if gloss {
            last.end = k;
            return;
        }
    }
}

/// "have found remarks that they thought were private": a clause after a noun whose embedded
/// verb has no subject of its own ("they thought _ were") is a relative clause about the noun,
/// not the content of a remark. A complement clause ("complaints that the vote was rigged")
/// keeps its subject.
fn relative_clause(
    text: &Text<'_>,
    pos: &[u8],
    cue: &Range<usize>,
    content: &[Range<usize>],
) -> bool {
    let Some(c) = content.first() else {
        return false;
    };
    // The tagger reads "found remarks" as two verbs; an -s form right after a verb is its
    // object noun (no finite verb follows a participle).
    let last = cue.end.wrapping_sub(1);
    let ends_in_noun = cue.end > cue.start
        && (pos[last] == NOUN
            || (pos[last] == VERB
                && last > cue.start
                && matches!(pos[last - 1], VERB | AUX)
                && text.word(last).ends_with('s')));
    let k = c.start;
    if !ends_in_noun
        || c.start != cue.end
        || c.len() < 4
        || !text.word(k).eq_ignore_ascii_case("that")
    {
        return false;
    }
    let believe = crate::lexicon::lemma(&text.word(k + 2).to_lowercase()).into_owned();
    pos[k + 1] == PRON
        && matches!(
            believe.as_str(),
            "think"
                | "believe"
                | "say"
                | "know"
                | "expect"
                | "assume"
                | "feel"
                | "suppose"
                | "claim"
        )
        && matches!(pos[k + 3], AUX | VERB)
}

/// Reported words stop at a semicolon outside quotation marks: what follows is the writer's
/// next clause (fewer than 0.2% of PolNeAR's content spans cross one). The content keeps the
/// side of the semicolon nearer its cue.
fn stop_at_semicolon(text: &Text<'_>, cue: &Range<usize>, content: &mut Vec<Range<usize>>) {
    let quoted = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    let semi = |k: usize| text.qflags[k] & quoted == 0 && text.word(k) == ";";
    for r in content.iter_mut() {
        if r.start >= cue.end {
            if let Some(k) = r.clone().find(|&k| semi(k)) {
                r.end = k;
            }
        } else if r.end <= cue.start {
            if let Some(k) = r.clone().rev().find(|&k| semi(k)) {
                r.start = k + 1;
            }
        }
    }
    content.retain(|r| !r.is_empty());
}

/// `"That's right," she said to the nominee, who…`: when the quotation before the cue ends
/// with a comma inside its marks, the sentence's remark is the quotation; unquoted words after
/// the cue are the writer's.
fn drop_after_said(text: &Text<'_>, cue: &Range<usize>, content: &mut Vec<Range<usize>>) {
    let quoted = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    let lead_in = content.iter().any(|r| {
        r.end <= cue.start
            && r.end >= 2
            && text.qflags[r.end - 1] & qflags::CLOSE != 0
            && text.word(r.end - 2) == ","
    });
    if lead_in {
        content.retain(|r| r.end <= cue.start || r.clone().any(|k| text.qflags[k] & quoted != 0));
    }
}

/// Extend a source run leftwards over an honorific the model left out ("Mr" without a period
/// is rare in American news, the training data).
fn with_title(text: &Text<'_>, mut r: Range<usize>) -> Range<usize> {
    let title =
        |w: &str| crate::lexicon::is_title_abbreviation(w) && w.starts_with(char::is_uppercase);
    while r.start > 0 && text.paragraph_of(r.start - 1) == text.paragraph_of(r.start) {
        if !title(text.word(r.start - 1)) {
            break;
        }
        r.start -= 1;
    }
    // A title alone ("Ms" of "Ms Petrakis could then be heard…") takes the name after it.
    if r.len() == 1 && title(text.word(r.start)) {
        let sentence = text.sentence_of[r.start];
        while r.end < text.tokens.len()
            && r.len() < 4
            && text.sentence_of[r.end] == sentence
            && text.tokens[r.end].kind == crate::text::TokenKind::Word
            && text.word(r.end).starts_with(char::is_uppercase)
        {
            r.end += 1;
        }
    }
    r
}

/// `"It came up so fast," Ambrose, 47, said.`: the tagger runs the content on past the closing
/// mark over the speaker (a name with an age, rare in its training data). When the content
/// ends right before the cue with a closing mark, a comma, and then a short run that starts
/// with a capital and has no verb, that run is the source.
fn source_after_quotation(
    text: &Text<'_>,
    pos: &[u8],
    cue: &Range<usize>,
    source: &mut Vec<Range<usize>>,
    content: &mut Vec<Range<usize>>,
) {
    let Some(last_end) = content.last().map(|r| r.end) else {
        return;
    };
    if last_end != cue.start && !(last_end + 1 == cue.start && text.word(last_end) == ",") {
        return;
    }
    // The run with the closing mark: the last one, or one before runs that are all in the
    // stretch after it (`fast," Ambrose, | 47`, the tagger leaving the commas out).
    let Some((run, close)) = content.iter().enumerate().rev().find_map(|(n, r)| {
        (r.start..r.end)
            .rev()
            .find(|&k| closing_mark(text, k))
            .map(|k| (n, k))
    }) else {
        return;
    };
    // The comma inside or outside the mark: `fast," Ambrose` or `fast", Ambrose`.
    let start = if text.word(close + 1) == "," {
        close + 2
    } else if close > content[run].start && text.word(close - 1) == "," {
        close + 1
    } else {
        return;
    };
    let mut end = last_end;
    while end > start && text.word(end - 1) == "," {
        end -= 1;
    }
    let first_cap = start < end
        && text.tokens[start].kind == crate::text::TokenKind::Word
        && text.word(start).starts_with(char::is_uppercase);
    if !first_cap || end - start > 8 || (start..end).any(|k| matches!(pos[k], VERB | AUX)) {
        return;
    }
    content[run].end = close + 1;
    content.truncate(run + 1);
    source.push(start..end);
}

/// "… on Sunday, her son, Michael Brightwater, said." and "… close in June, the company's chief
/// executive, Ann Marsh, said.": where the content runs straight into a source before the
/// cue, the comma between them may sit one phrase off. An apposition that opens with a
/// determiner or possessive belongs to the source ("her son," was left in the content), and a
/// short first piece of the source before such an apposition and a name belongs to the content
/// ("June," was taken into the source).
fn apposition_boundary(
    text: &Text<'_>,
    pos: &[u8],
    cue: &Range<usize>,
    source: &mut [Range<usize>],
    content: &mut [Range<usize>],
) {
    let ([src], Some(last)) = (source, content.last_mut()) else {
        return;
    };
    if src.end > cue.start || last.end > src.start || src.start - last.end > 1 {
        return;
    }
    let marks = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    let plain = |r: Range<usize>| {
        !r.is_empty()
            && r.clone()
                .all(|k| !matches!(pos[k], VERB | AUX) && text.qflags[k] & marks == 0)
    };
    let opens_apposition = |k: usize| {
        let w = text.word(k).to_lowercase();
        matches!(w.as_str(), "the" | "a" | "an")
            || crate::lexicon::is_possessive_determiner(&w)
            || (pos[k] == PROPN && text.word(k + 1) == "'s")
    };
    let comma = |k: usize| text.word(k) == ",";
    // The content ends in ", her son," (the comma after it may be the content's or the gap).
    let mut end = last.end;
    while end > last.start && comma(end - 1) {
        end -= 1;
    }
    if let Some(c) = (last.start..end).rev().take(6).find(|&k| comma(k)) {
        let name = pos[src.start] == PROPN && text.word(src.start).starts_with(char::is_uppercase);
        if c + 1 < end && opens_apposition(c + 1) && plain(c + 1..end) && name {
            src.start = c + 1;
            last.end = c;
            return;
        }
    }
    // The source starts "June, the …, Ann Marsh": three pieces, the first short.
    let pieces: Vec<usize> = (src.start..src.end).filter(|&k| comma(k)).collect();
    if let [first, second, ..] = pieces[..] {
        let name_after =
            second + 1 < src.end && text.word(second + 1).starts_with(char::is_uppercase);
        if first - src.start <= 2
            && first + 1 < second
            && opens_apposition(first + 1)
            && name_after
            && plain(src.start..first)
            && last.end == src.start
        {
            last.end = first;
            src.start = first + 1;
        }
    }
}

/// `"…," the economist Jared Bernstein wrote on his blog.`: a quotation that closes with a
/// comma right before the source and the cue (or the cue and the source: `"…," said X`) is
/// what they introduce. Where the tagger gave the cue a short verbless phrase after it in
/// the sentence instead ("his blog", "reporters"), the quotation is the content in its place.
fn quotation_before_source(
    text: &Text<'_>,
    pos: &[u8],
    cue: &Range<usize>,
    source: &[Range<usize>],
    content: &mut Vec<Range<usize>>,
) {
    let (Some(first), Some(last)) = (source.first(), source.last()) else {
        return;
    };
    let before = if last.end == cue.start {
        first.start
    } else if first.start == cue.end {
        cue.start
    } else {
        return;
    };
    if before < 2 || content.is_empty() {
        return;
    }
    let sentence = text.sentence_of[cue.start];
    let quoted = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    // Runs in later sentences (a quotation that goes on: `"…," X wrote. "…"`) stay.
    let here = content.partition_point(|r| text.sentence_of[r.start] <= sentence);
    let short_after = here > 0
        && content[..here].iter().map(|r| r.len()).sum::<usize>() <= 5
        && content[..here].iter().all(|r| {
            r.start >= cue.end.max(last.end)
                && (r.start..r.end).all(|k| {
                    text.sentence_of[k] == sentence
                        && text.qflags[k] & quoted == 0
                        && !matches!(pos[k], VERB | AUX)
                })
        });
    if !short_after {
        return;
    }
    // `big," the` or `big", the`.
    let mark = |k: usize| closing_mark(text, k);
    let close = if mark(before - 1) && text.word(before - 2) == "," {
        before - 1
    } else if text.word(before - 1) == "," && mark(before - 2) {
        before - 2
    } else {
        return;
    };
    let Some(q) = primary_quotation(text, close, |q| q.tokens.end == close + 1) else {
        return;
    };
    content.splice(..here, [q.tokens.clone()]);
}

/// Content runs, without stray pieces: a run outside the cue's sentence counts only when it is
/// quoted (the second half of `"X," he said. "Y"`) and its sentence has no cue of its own
/// outside quotation marks: in `Smith said ties were strong. "We are ready," he said.` the
/// quotation is the next cue's remark, and would otherwise be reported twice.
fn content_runs(
    text: &Text<'_>,
    runs: Vec<Range<usize>>,
    sentence: usize,
    is_cue: &[bool],
) -> Vec<Range<usize>> {
    let marks = qflags::IN_DOUBLE | qflags::IN_SINGLE;
    let quoted = |r: &Range<usize>| r.clone().any(|k| text.qflags[k] & marks != 0);
    let in_sentence =
        |r: &Range<usize>| r.clone().any(|k| text.sentence_of[k] as usize == sentence);
    let own_cue = |r: &Range<usize>| {
        let first = text.sentences[text.sentence_of[r.start] as usize].start;
        let last = text.sentences[text.sentence_of[r.end - 1] as usize].end;
        (first..last).any(|k| is_cue[k] && text.qflags[k] & marks == 0)
    };
    let keep: Vec<bool> = runs
        .iter()
        .map(|r| in_sentence(r) || (quoted(r) && !own_cue(r)))
        .collect();
    if !keep.iter().any(|&k| k) {
        // Nothing in the cue's sentence: keep what is not another cue's quotation ("Rita
        // Fenwick disagreed. "The library should stay open," she said." is "said"'s alone).
        return runs
            .into_iter()
            .filter(|r| !(quoted(r) && own_cue(r)))
            .collect();
    }
    runs.into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect()
}

/// The probability that a cue's attribution is right (found, with the right source), from the
/// cue tagger's margin at its first token. Platt scaling fitted by logistic regression on
/// PolNeAR dev for the shipped `cue.bin`; refit when the cue model is retrained
/// (`scripts/calibrate.py` prints the new constants).
fn calibrated(margin: f32) -> f32 {
    const SLOPE: f32 = 0.005_99;
    const BIAS: f32 = 0.758;
    1.0 / (1.0 + (-(SLOPE * margin + BIAS)).exp())
}

/// Kind of a headline's content: direct when it is all quoted, mixed with a quoted part.
fn kind_of_span(text: &str, content: &[Span]) -> Kind {
    let s = content.iter().map(|c| c.slice(text)).collect::<String>();
    // ('' is a typewriter double mark, `` the Penn Treebank's opening one.)
    let quoted = s.contains(['"', '“', '‘']) || s.contains("''") || s.contains("``");
    let direct = (s.starts_with(['"', '“', '‘']) || s.starts_with("''") || s.starts_with("``"))
        && (s.ends_with(['"', '”', '’']) || s.ends_with("''"));
    match (quoted, direct) {
        (true, true) => Kind::Direct,
        (true, false) => Kind::Mixed,
        _ => Kind::Indirect,
    }
}

fn kind_of(text: &Text<'_>, content: &[Range<usize>]) -> Kind {
    let first = content[0].start;
    let last = content[content.len() - 1].end - 1;
    let any = content
        .iter()
        .any(|r| r.clone().any(|k| text.qflags[k] & qflags::IN_DOUBLE != 0));
    let starts = text.qflags[first] & qflags::OPEN != 0
        || (first > 0 && text.qflags[first - 1] & qflags::OPEN != 0);
    let ends = text.qflags[last] & (qflags::CLOSE | qflags::UNCLOSED) != 0;
    match (any, starts && ends) {
        (true, true) => Kind::Direct,
        (true, false) => Kind::Mixed,
        _ => Kind::Indirect,
    }
}

#[cfg(feature = "embedded-models")]
impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

#[cfg(all(test, feature = "embedded-models"))]
mod tests {
    use super::*;

    /// The text of each span.
    fn slices<'t>(t: &'t str, spans: &[Span]) -> Vec<&'t str> {
        spans.iter().map(|s| s.slice(t)).collect()
    }

    /// Assert that `t` has a quote with the cue `cue`, said by `speaker`.
    fn assert_speaker(ex: &Extractor, t: &str, cue: &str, speaker: &str) {
        let q = ex.extract(t);
        let q = q
            .iter()
            .find(|q| slices(t, &q.cue) == [cue])
            .unwrap_or_else(|| panic!("no quote with the cue {cue:?}: {q:?}"));
        assert_eq!(q.speaker.as_deref(), Some(speaker), "{q:?}");
    }

    fn contents(text: &str) -> Vec<String> {
        Extractor::new()
            .extract(text)
            .iter()
            .map(|q| {
                q.content
                    .iter()
                    .map(|c| c.slice(text))
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect()
    }

    #[test]
    fn a_dateline_colon_is_no_tentative_cue() {
        let t =
            "Kaur's century powers India to series win; skipper credits 'fearless' approach\n\n\
                 MUMBAI: Captain Harmanpreet Kaur struck a magnificent unbeaten 112 as India beat \
                 Australia by six wickets at the Wankhede Stadium on Sunday to clinch the \
                 three-match ODI series 2-1.\n";
        for q in Extractor::new().extract(t) {
            assert_ne!(slices(t, &q.source), ["MUMBAI"], "{q:?}");
        }
    }

    #[test]
    fn tentative_cues_stay_with_a_source_and_content_of_their_own() {
        // (At most one source and one content range each.)
        let f = |cue: Range<usize>, source: Option<Range<usize>>, content: Option<Range<usize>>| {
            Found {
                cue,
                conf: 0.5,
                source: source.into_iter().collect(),
                content: content.into_iter().collect(),
            }
        };
        let mut found = vec![
            f(0..1, None, Some(2..8)),            // firm, no source: kept
            f(10..11, Some(9..10), Some(11..14)), // tentative, its own content: kept
            f(15..16, None, Some(16..18)),        // tentative, no source: dropped
            f(20..21, Some(19..20), Some(5..7)),  // tentative, a firm cue's content: dropped
            f(22..23, Some(21..22), None),        // tentative, no content: dropped
        ];
        keep_confirmed_tentative(&mut found, &[10..11, 15..16, 20..21, 22..23]);
        let cues: Vec<Range<usize>> = found.iter().map(|f| f.cue.clone()).collect();
        assert_eq!(cues, [0..1, 10..11]);
        // Without tentative cues nothing goes.
        let mut firm = vec![f(0..1, None, Some(2..8))];
        keep_confirmed_tentative(&mut firm, &[]);
        assert_eq!(firm.len(), 1);
    }

    #[test]
    fn the_fingerprint_names_code_models_and_bias() {
        let embedded = Extractor::new();
        let read = Models::from_bytes(
            include_bytes!(concat!(env!("OUT_DIR"), "/pos.bin")),
            include_bytes!(concat!(env!("OUT_DIR"), "/cue.bin")),
            include_bytes!(concat!(env!("OUT_DIR"), "/role.bin")),
        )
        .unwrap();
        // The build-time hash of the files and the run-time hash of the models read back agree.
        assert_eq!(
            Extractor::with_models(read.clone()).fingerprint(),
            embedded.fingerprint()
        );
        assert!(embedded.fingerprint().contains(crate::BUILD));
        assert_ne!(
            embedded.clone().with_cue_bias(9.0).fingerprint(),
            embedded.fingerprint()
        );
        // Other weights, another fingerprint.
        let mut other = read;
        other.cue.transitions[0] += 1.0;
        assert_ne!(
            Extractor::with_models(other).fingerprint(),
            embedded.fingerprint()
        );
    }

    #[test]
    fn a_relative_clause_after_a_noun_is_not_content() {
        let t = "Several senators have made comments that they believed were off the record.";
        let c = contents(t);
        assert!(
            !c.iter().any(|c| c.starts_with("that they believed")),
            "{c:?}"
        );
        // The tagger reads "remarks" here as a verb; the guard must still see the noun.
        let t3 = "Numerous politicians have found remarks that they thought were private being captured by open microphones.";
        assert!(
            !contents(t3)
                .iter()
                .any(|c| c.starts_with("that they thought")),
            "{:?}",
            contents(t3)
        );
        // The guard itself: a gap after "believed" is a relative clause, a subject is not.
        let text = Text::new(t);
        let pos = Extractor::new().models().pos.tag_text(&text);
        let at = |w: &str| (0..text.tokens.len()).find(|&k| text.word(k) == w).unwrap();
        let cue = at("made")..at("comments") + 1;
        let that = at("that");
        assert!(relative_clause(
            &text,
            &pos,
            &cue,
            std::slice::from_ref(&(that..text.tokens.len() - 1))
        ));
        let t2 = "Voters have lodged complaints that the count was rigged in their county.";
        let text2 = Text::new(t2);
        let pos2 = Extractor::new().models().pos.tag_text(&text2);
        let at2 = |w: &str| {
            (0..text2.tokens.len())
                .find(|&k| text2.word(k) == w)
                .unwrap()
        };
        let cue2 = at2("lodged")..at2("complaints") + 1;
        assert!(!relative_clause(
            &text2,
            &pos2,
            &cue2,
            std::slice::from_ref(&(at2("that")..text2.tokens.len() - 1))
        ));
    }

    #[test]
    fn a_quotation_standing_alone_continues_the_remark_before_it() {
        let t = "\"We have had problems in the past,\" Obama said after the meeting. He did not elaborate. \"Our goal is to set some norms so that everybody acts responsibly.\"";
        let q = Extractor::new().extract(t);
        let said = q
            .iter()
            .find(|q| q.cue.iter().any(|c| c.slice(t) == "said"))
            .expect("the said quote");
        assert_eq!(said.content.len(), 2, "{:?}", said.content);
        let second = said.content[1].slice(t);
        assert!(second.contains("Our goal"), "{second:?}");
    }

    #[test]
    fn a_quotation_after_an_indirect_aside_continues_the_direct_remark() {
        let t = "\"It was a very good year for us,\" she said, describing how the farm sells \
                 heritage tomatoes and bottled sauce to grocers. \"And the next one will be better.\"";
        let q = Extractor::new().extract(t);
        let said = q
            .iter()
            .find(|q| q.cue.iter().any(|c| c.slice(t) == "said"))
            .expect("the said quote");
        let parts: Vec<&str> = said.content.iter().map(|c| c.slice(t)).collect();
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts[1].starts_with("\"And the next"), "{parts:?}");
    }

    #[test]
    fn a_quotation_after_another_speakers_clause_is_theirs() {
        let t = "\"The numbers do not add up,\" Councilor Dan Reyes said, but Treasurer Amy Cole \
                 said the budget was balanced.\n\n\"We checked every line twice.\"";
        let q = Extractor::new().extract(t);
        let parts = |who: &str| -> Vec<&str> {
            q.iter()
                .find(|q| q.speaker.as_deref() == Some(who))
                .map(|q| q.content.iter().map(|c| c.slice(t)).collect())
                .unwrap_or_default()
        };
        assert_eq!(parts("Dan Reyes"), ["\"The numbers do not add up,\""]);
        let cole = parts("Amy Cole");
        assert_eq!(cole.len(), 2, "{cole:?}");
        assert!(cole[1].starts_with("\"We checked"), "{cole:?}");
        let kind = q
            .iter()
            .find(|q| q.speaker.as_deref() == Some("Amy Cole"))
            .map(|q| q.kind);
        assert_eq!(kind, Some(Kind::Mixed));
    }

    #[test]
    fn a_verb_of_manner_after_a_quotation_attributes_it() {
        let t = "Sunita Kaur built her first chair in a garage.\n\n\"It was awful,\" she laughs. \
                 \"Honestly, it was a disaster.\"\n\n\"We sold ten that year,\" grinned Kaur.";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(slices(t, &q[0].cue), ["laughs"]);
        assert_eq!(q[0].speaker.as_deref(), Some("Sunita Kaur"));
        assert_eq!(q[0].content.len(), 2, "the next quotation continues it");
        assert_eq!(slices(t, &q[1].cue), ["grinned"]);
        assert_eq!(slices(t, &q[1].source), ["Kaur"]);
        let t = "Anna Berg sat by the window.\n\n\"It is over, all of it,\" she persisted.";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(slices(t, &q[0].cue), ["persisted"]);
        assert_eq!(q[0].speaker.as_deref(), Some("Anna Berg"));
        // Not a quoted title the verb goes on about.
        let t = "\"Cats and Dogs and Birds\" they laughed at for hours.";
        assert!(Extractor::new().extract(t).is_empty());
    }

    #[test]
    fn one_remark_claimed_by_two_cues_is_one_quote() {
        let t = "Tom Reyes was asked again. \"Noted, but not acted on?\" Reyes pressed.";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(slices(t, &q[0].cue), ["pressed"]);
        assert_eq!(q[0].speaker.as_deref(), Some("Tom Reyes"));
    }

    #[test]
    fn an_apposition_before_the_name_belongs_to_the_source() {
        for (t, content, source) in [
            (
                "She died peacefully at home on Sunday, her son, Michael Brightwater, said.",
                "She died peacefully at home on Sunday",
                "her son, Michael Brightwater,",
            ),
            (
                "The plant will close in June, the company's chief executive, Ann Marsh, said on \
                 Monday.",
                "The plant will close in June",
                "the company's chief executive, Ann Marsh,",
            ),
            // Name first: as it was.
            (
                "\"We will appeal,\" Ann Marsh, the company's chief executive, said.",
                "\"We will appeal,\"",
                "Ann Marsh, the company's chief executive,",
            ),
        ] {
            let q = Extractor::new().extract(t);
            assert_eq!(q.len(), 1, "{t:?}: {q:?}");
            assert_eq!(slices(t, &q[0].content), [content], "{t:?}");
            assert_eq!(slices(t, &q[0].source), [source], "{t:?}");
        }
    }

    #[test]
    fn a_verb_reported_after_said_is_part_of_what_was_said() {
        let t = "Marcus Feld said the company expected more revenue.";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(slices(t, &q[0].cue), ["said"]);
        assert_eq!(
            slices(t, &q[0].content),
            ["the company expected more revenue"]
        );
        assert_eq!(q[0].speaker.as_deref(), Some("Marcus Feld"));
    }

    #[test]
    fn a_quotation_with_its_own_cue_is_not_also_the_sentence_befores() {
        let t = "Janet Okafor said the budget was tight.\n\nRita Fenwick, a Liberal Democrat, \
                 disagreed. \"The library should stay open,\" she said.";
        let q = Extractor::new().extract(t);
        let claiming = q
            .iter()
            .filter(|q| q.content.iter().any(|c| c.slice(t).contains("library")))
            .count();
        assert_eq!(claiming, 1, "{q:?}");
    }

    #[test]
    fn a_participle_after_a_comma_shares_the_source_before_it() {
        // (text, cue, the source it must have; "" for none)
        for (t, cue, want) in [
            (
                "Governor Tom Hale on Friday joined the striking nurses on the picket line in \
                 Dayton for the first time, praising their courage and accusing the hospital of \
                 endangering the lives of patients.",
                "accusing",
                "Governor Tom Hale",
            ),
            (
                "The union sued the county in federal court on Thursday, seeking an order to \
                 halt the layoffs at once, claiming the cuts would cost the clinic $2 million a \
                 year.",
                "claiming",
                "The union",
            ),
            (
                "The senator from Ohio said at a town hall in Dayton that the banking system was \
                 \"corrupt and rigged,\" noting that it is \"very strange that a major bank would \
                 pay so little.\"",
                "noting",
                "The senator from Ohio",
            ),
            // The tagger's source for these is the object of the verb before.
            (
                "Mayor Ruth Olsen also attacked Governor Tom Hale, with whom she clashed at the \
                 debate on Monday over the water plan, calling him a \"coward.\"",
                "calling",
                "Mayor Ruth Olsen",
            ),
            (
                "Olsen was frank about her dislike of Tom Hale, the current front-runner, saying \
                 voters need to unite to stop him.",
                "saying",
                "Olsen",
            ),
            // The tagger took a part of the source before ("Ashby").
            (
                "Ashby boss Gareth Lyle was furious about the decision, claiming Doyle had been \
                 offside.",
                "claiming",
                "Ashby boss Gareth Lyle",
            ),
            // A new subject set off by commas, "with" or "and" keeps its own cue.
            (
                "\"We will fight this,\" Hale said, with his lawyer, Ann Kirby, adding that an \
                 appeal was likely.",
                "adding",
                "his lawyer, Ann Kirby",
            ),
            (
                "Hale denied the report on Monday, his spokesman, Tom Reed, saying it was false.",
                "saying",
                "his spokesman, Tom Reed",
            ),
            (
                "The union endorsed Hale, and Kirby, saying she was disappointed, withdrew from \
                 the race.",
                "saying",
                "Kirby",
            ),
            // The last item of a list is no new subject.
            (
                "The senator thanked the staff, the volunteers, and the donors, saying they had \
                 made the victory possible.",
                "saying",
                "The senator",
            ),
            (
                "Police arrested two men, and a woman, saying they were suspects.",
                "saying",
                "Police",
            ),
        ] {
            let q = Extractor::new().extract(t);
            let found = q
                .iter()
                .find(|q| q.cue.iter().any(|c| c.slice(t) == cue))
                .unwrap_or_else(|| panic!("{cue}: {q:?}"));
            let source: Vec<&str> = found.source.iter().map(|s| s.slice(t)).collect();
            let want: Vec<&str> = [want].into_iter().filter(|w| !w.is_empty()).collect();
            assert_eq!(source, want, "{t:?}");
        }
    }

    #[test]
    fn a_participle_with_no_cue_before_is_the_sentence_subjects() {
        let ex = Extractor::new();
        for (t, who, said) in [
            (
                "And then Mayor Lin went fully on the attack, saying, \"Is the council going to \
                 act at last?\"",
                "Lin",
                "\"Is the council going to act at last?\"",
            ),
            (
                "Here in Columbia, Sanders stepped up his emphasis on criminal justice, saying, \
                 \"We have got to act.\"",
                "Sanders",
                "\"We have got to act.\"",
            ),
            (
                "Nadia Lin spoke first. On Tuesday she doubled down on the issue, seeking to \
                 show that the mayor had opposed the plan.",
                "Nadia Lin",
                "that the mayor had opposed the plan",
            ),
        ] {
            let q = ex.extract(t);
            let q = q
                .iter()
                .find(|q| {
                    q.cue
                        .iter()
                        .any(|c| c.slice(t).split(' ').any(|w| w.ends_with("ing")))
                })
                .unwrap_or_else(|| panic!("no quote with a participle cue: {q:?}"));
            let content: Vec<&str> = q.content.iter().map(|c| c.slice(t)).collect();
            assert_eq!(content, [said], "{t}");
            assert_eq!(q.speaker.as_deref(), Some(who), "{t}: {q:?}");
        }
        // After a conjunction or subordinator that keeps the subject; an organisation; the
        // head before "of".
        for (t, source) in [
            (
                "The union has spent months lobbying ministers over the dispute in private \
                 meetings and on the picket lines, while insisting that the strike would \"go \
                 on\".",
                "The union",
            ),
            (
                "Fans of the club waited outside the ground in the rain for three hours after the \
                 final whistle and booed the chairman, accusing him of \"selling out\".",
                "Fans of the club",
            ),
        ] {
            let q = ex.extract(t);
            let q = q
                .iter()
                .find(|q| q.cue.iter().any(|c| c.slice(t).ends_with("ing")))
                .unwrap_or_else(|| panic!("no quote with a participle cue: {q:?}"));
            assert_eq!(slices(t, &q.source), [source], "{t}");
        }
        // A surname opening the sentence, which the part-of-speech tagger misreads, is the
        // source of the cue right after it, and so of the participle after that.
        let t = "Denise Okafor backed the plan. Okafor dismissed the criticism, saying the \
                 council had held 14 hearings.";
        let q = ex.extract(t);
        for cue in ["dismissed", "saying"] {
            let q = q
                .iter()
                .find(|q| slices(t, &q.cue) == [cue])
                .unwrap_or_else(|| panic!("no quote with the cue {cue:?}: {q:?}"));
            assert_eq!(q.speaker.as_deref(), Some("Denise Okafor"), "{q:?}");
        }
        for (t, cue, speaker) in [
            // The same with an apposition.
            (
                "The transport secretary defended the plan. Her shadow, Labour's Kwame Asante, \
                 accused her of \"ploughing ahead regardless\" of warnings from auditors.",
                "accused",
                "Kwame Asante",
            ),
            (
                "Jane Smith, 47, accused the council of \"ignoring\" residents.",
                "accused",
                "Jane Smith",
            ),
            // A source the tagger ran from the subject over the verb into its object.
            (
                "Comedian Sara Holt endorsed Senator Ben Marsh at a rally in Ohio on Monday, \
                 telling the crowd that he was \"the real deal\".",
                "telling",
                "Sara Holt",
            ),
        ] {
            assert_speaker(&ex, t, cue, speaker);
        }
        // An event is no speaker.
        let t = "The fracas erupted two months after the tycoon entered the race, calling \
                 Mexican immigrants rapists.";
        let q = ex.extract(t);
        assert!(!q.is_empty(), "the participle is still a cue");
        for q in q {
            let s: Vec<&str> = q.source.iter().map(|s| s.slice(t)).collect();
            assert!(!s.concat().contains("fracas"), "{s:?}");
        }
    }

    #[test]
    fn a_chain_of_participles_does_not_carry_a_source_across_the_text() {
        // Without a full stop, each "calling" once took Hale through the chain, and the
        // conversation pass then framed every quote back to him (quadratic time and memory).
        let t = format!("Hale attacked the bill{}", ", calling it bad".repeat(300));
        let q = Extractor::new().extract(&t);
        assert!(q.len() > 100, "{}", q.len());
        let far = q
            .iter()
            .filter(|q| q.cue.first().is_some_and(|c| c.start > 1_000))
            .filter(|q| q.source.iter().any(|s| s.slice(&t) == "Hale"))
            .count();
        assert_eq!(far, 0);
    }

    #[test]
    fn typewriter_double_marks_read_as_double_marks() {
        // NYT archive style: the speaker after `''…,'' said` was lost when the models saw `''`
        // as a word of its own.
        for t in [
            "Others were close to walking out of the hall. ''If the board stays the board, I \
             will not vote for it,'' declared Councilor Mary Doyle, Democrat of Ward 4, who \
             echoed the mayor's criticism of the board's plan.",
            "''I don't know too many farmers that aren't worried about the weather or the \
             prices at some level,'' said Amy Blake, who was named last week as a leader of Mr. \
             Cole's farm coalition. ''It's a small community that tends to stick together.''",
        ] {
            let q = Extractor::new().extract(t);
            let first = q
                .iter()
                .find(|q| q.kind == Kind::Direct)
                .expect("a direct quote");
            let speaker = first.speaker.as_deref();
            assert!(
                matches!(speaker, Some("Mary Doyle" | "Amy Blake")),
                "{speaker:?} {:?}",
                first.source
            );
        }
    }

    #[test]
    fn speech_overheard_or_recorded_is_a_cue() {
        let ex = Extractor::new();
        for (t, cue, speaker) in [
            (
                "And in November last year President Sarkozy was heard describing the Israeli \
                 prime minister Benjamin Netanyahu as a \"liar\", also while talking with Mr Obama.",
                "describing",
                "Sarkozy",
            ),
            (
                "Biden was caught on a hot mic telling Netanyahu that the talks were serious.",
                "telling",
                "Biden",
            ),
        ] {
            assert_speaker(&ex, t, cue, speaker);
        }
        // Not what a recording shows.
        let t = "The incident was recorded on video showing the officer striking the man.";
        let q = ex.extract(t);
        assert!(q.iter().all(|q| slices(t, &q.cue) != ["showing"]), "{q:?}");
    }

    #[test]
    fn a_title_alone_takes_its_name_and_an_aside_is_no_speaker() {
        let ex = Extractor::new();
        // The cue from `overheard_speech`, the source a bare title to the tagger, and the
        // content running on into the next sentence.
        let t = "The feed was still running. Ms Petrakis could then be heard whispering: \
                 \"It's live. It's live.\" Mr Furlong did not respond.";
        let q = ex.extract(t);
        let q = q
            .iter()
            .find(|q| slices(t, &q.cue) == ["whispering"])
            .unwrap_or_else(|| panic!("{q:?}"));
        assert_eq!(slices(t, &q.source), ["Ms Petrakis"]);
        assert_eq!(slices(t, &q.content), ["\"It's live. It's live.\""]);
        let t = "Earlier in the week, the poet Simon Armitage – himself the current laureate – \
                 had said that \"notebooks are where poets are allowed to be bad\".";
        assert_speaker(&ex, t, "had said", "Simon Armitage");
    }

    #[test]
    fn a_participle_opening_the_sentence_is_the_main_subjects() {
        let ex = Extractor::new();
        let t = "After saying he was nervous to ask a question, the man ended up in the middle \
                 of the room.";
        assert_speaker(&ex, t, "saying", "man");
        let q = ex.extract(t);
        let q = q.iter().find(|q| slices(t, &q.cue) == ["saying"]).unwrap();
        assert_eq!(slices(t, &q.content), ["he was nervous to ask a question"]);
    }

    #[test]
    fn a_new_subject_takes_the_participle_and_its_verb_ends_the_content() {
        let t = "The union endorsed Hale, and Kirby, saying she was disappointed, withdrew from \
                 the race.";
        let q = Extractor::new().extract(t);
        let q = q
            .iter()
            .find(|q| slices(t, &q.cue) == ["saying"])
            .unwrap_or_else(|| panic!("{q:?}"));
        assert_eq!(slices(t, &q.content), ["she was disappointed"]);
    }

    #[test]
    fn a_name_with_an_age_after_the_quotation_is_the_source() {
        for (t, source) in [
            // With the comma that closes the apposition, as PolNeAR marks sources.
            ("\"It came up so fast,\" Ambrose, 47, said.", "Ambrose, 47,"),
            (
                "\"It came up so fast\", Jim Ambrose, 47, said.",
                "Jim Ambrose, 47,",
            ),
        ] {
            let q = Extractor::new().extract(t);
            assert_eq!(q.len(), 1, "{t:?}: {q:?}");
            assert_eq!(slices(t, &q[0].source), [source], "{t:?}");
            assert!(
                slices(t, &q[0].content)[0].starts_with("\"It came"),
                "{t:?}"
            );
            assert!(!slices(t, &q[0].content)[0].contains("Ambrose"), "{t:?}");
            let name = source.trim_end_matches(", 47,");
            assert_eq!(q[0].speaker.as_deref(), Some(name), "{t:?}");
        }
    }

    #[test]
    fn the_person_told_before_a_colon_is_not_the_speaker() {
        for (t, source, cue, speaker) in [
            (
                "Mr Trump told Marco Rubio: \"We will pay.\"",
                "Mr Trump",
                "told",
                "Trump",
            ),
            (
                "Donald Trump was recorded on a hot mic telling Billy Bush: \"When you're a \
                 star, they let you do it.\"",
                "Donald Trump",
                "telling",
                "Donald Trump",
            ),
            // The verb inside a longer cue: one quote, not two.
            (
                "Mr Trump has told Marco Rubio: \"We will pay for it, believe me.\"",
                "Mr Trump",
                "has told",
                "Trump",
            ),
        ] {
            let q = Extractor::new().extract(t);
            assert_eq!(q.len(), 1, "{t:?}: {q:?}");
            assert_eq!(slices(t, &q[0].source), [source], "{t:?}");
            assert_eq!(slices(t, &q[0].cue), [cue], "{t:?}");
            assert_eq!(q[0].speaker.as_deref(), Some(speaker), "{t:?}");
        }
    }

    #[test]
    fn a_quoted_paragraph_continues_the_remark_of_the_paragraph_before() {
        let t = "\"We have to be honest about immigration,\" Theresa May said.\n\n\
                 \"It is not racist to talk about numbers.\"\n\n\
                 \"Nor is it wrong to want control.\"\n\n\
                 The opposition disagreed.\n\n\
                 \"That is a slogan, not a policy.\"";
        let q = Extractor::new().extract(t);
        let may = q
            .iter()
            .find(|q| q.speaker.as_deref() == Some("Theresa May"))
            .expect("her quote");
        let c: Vec<&str> = may.content.iter().map(|s| s.slice(t)).collect();
        assert_eq!(c.len(), 3, "{c:?}");
        assert!(
            c[1].contains("not racist") && c[2].contains("Nor is it"),
            "{c:?}"
        );
        // After a paragraph of the writer's own, a quotation is not hers.
        assert!(!c.iter().any(|c| c.contains("slogan")), "{c:?}");
        // A headline's remark does not continue into the body.
        let t = "Trump: \"We Will Build The Wall\"\n\n\"We will build a great wall, and Mexico \
                 will pay for it, believe me.\"\n\nThat was the promise.";
        for q in Extractor::new().extract(t) {
            assert_eq!(q.content.len(), 1, "{q:?}");
        }
    }

    #[test]
    fn a_live_blog_tweets_cue() {
        let t = "Nicola Sturgeon tweets: \"Scotland has spoken, and spoken clearly.\"";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].speaker.as_deref(), Some("Nicola Sturgeon"));
        assert_eq!(q[0].cue[0].slice(t), "tweets");
        assert_eq!(q[0].setting, Setting::SocialMedia);
        // A possessive before a speech noun names no one: at most it is the source of the
        // noun's own attribution, as PolNeAR marks "their comments", with no speaker.
        let t =
            "Pentagon officials, in their comments on Monday, \"We have no plans, none at all, \
                 to send troops.\"";
        for q in Extractor::new().extract(t) {
            if q.source.iter().any(|s| s.slice(t) == "their") {
                assert_eq!(slices(t, &q.cue), ["comments"], "{q:?}");
                assert_eq!(q.speaker, None, "{q:?}");
            }
        }
    }

    #[test]
    fn quoted_by_an_agency_the_subject_speaks() {
        let t =
            "Mr Putin was quoted by the Interfax news agency as saying: \"Russia will respond.\"";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].source[0].slice(t), "Mr Putin");
        assert_eq!(q[0].speaker.as_deref(), Some("Putin"));
        // The passive itself as the cue keeps its agent: "was cited by Senator Warren".
        let t = "A 2015 study, which was cited by Senator Warren, said that \"the banks had won\".";
        for q in Extractor::new().extract(t) {
            let overlap = |a: &Span, b: &Span| a.start < b.end && b.start < a.end;
            assert!(
                !q.source
                    .iter()
                    .any(|s| q.content.iter().any(|c| overlap(s, c))),
                "source inside content: {q:?}"
            );
        }
    }

    #[test]
    fn a_quotation_with_its_own_cue_does_not_end_the_remark_before_it() {
        let t = "Jane Doe said relations were improving. \"We are ready,\" she said.";
        let c = contents(t);
        assert!(c.iter().any(|c| c == "relations were improving"), "{c:?}");
        let ready = c.iter().filter(|c| c.contains("We are ready")).count();
        assert_eq!(ready, 1, "{c:?}");
        // The mirror image: the next remark does not begin in this sentence's quotation.
        let t = "Mr Erdogan said Turkey had \"done more than any other country\" to help. \"We have opened our doors,\" he said.";
        let c = contents(t);
        assert!(
            c.iter().any(|c| c == "\"We have opened our doors,\""),
            "{c:?}"
        );
    }

    #[test]
    fn typewriter_double_marks_quote_directly() {
        let t = "''We may finally be seeing some wage growth, and that would be big,'' the \
                 economist Jared Bernstein wrote on his blog.";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].kind, Kind::Direct);
        assert!(q[0].content[0].slice(t).starts_with("''We may"), "{q:?}");
        assert_eq!(q[0].speaker.as_deref(), Some("Jared Bernstein"));
    }

    #[test]
    fn penn_treebank_marks_quote_directly() {
        let t = "``We may finally be seeing some wage growth, and that would be big,'' the \
                 economist Jared Bernstein wrote on his blog. ``It is `real' growth.''";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].kind, Kind::Direct);
        assert_eq!(q[0].content.len(), 2, "{q:?}");
        assert!(q[0].content[0].slice(t).starts_with("``We may"), "{q:?}");
        assert!(q[0].content[1].slice(t).ends_with("growth.''"), "{q:?}");
        assert_eq!(q[0].speaker.as_deref(), Some("Jared Bernstein"));
    }

    #[test]
    fn content_takes_the_whole_quotation() {
        let t = "Mr Bush told Mr Blair: \"Yo, Blair. How are you doing?\"";
        assert_eq!(contents(t), ["\"Yo, Blair. How are you doing?\""]);
        let t =
            "\"We can win this\" \u{2014} Mr Sanders said \u{2014} \"but only if we turn out.\"";
        let q = Extractor::new().extract(t);
        assert_eq!(q.len(), 1, "{q:?}");
        let c: Vec<&str> = q[0].content.iter().map(|s| s.slice(t)).collect();
        assert_eq!(c, ["\"We can win this\"", "\"but only if we turn out.\""]);
    }

    #[test]
    fn a_wire_dateline_is_not_content() {
        for t in [
            "Murder charge\n\nCHICAGO (AP) \u{2014} A 27-year-old man was charged Monday with \
             murder, police said.",
            "Migration talks\n\nBRUSSELS, March 4 (Reuters) - EU ministers failed to agree on \
             a migration deal, diplomats said.",
            "Talks\n\nWASHINGTON \u{2014} The talks failed, officials said.",
        ] {
            let c = contents(t);
            assert_eq!(c.len(), 1, "{t:?}: {c:?}");
            assert!(c[0].starts_with(['A', 'E', 'T']), "{c:?}");
            assert!(
                !c[0].contains(['(', ',', '\u{2014}']) || c[0].contains("deal"),
                "{c:?}"
            );
        }
        // Capitals then a dash then no capital are not a dateline.
        let t = "NATO - the alliance - is obsolete.";
        let text = Text::new(t);
        let mut content = vec![text.paragraphs[0].clone()];
        drop_dateline(&text, &mut content);
        assert_eq!(content[0].start, 0);
        // A dash at the very end is not read past.
        let text = Text::new("WASHINGTON \u{2014}");
        let mut content = vec![text.paragraphs[0].clone()];
        drop_dateline(&text, &mut content);
        assert_eq!(content[0].start, 0);
        // Nor of the source.
        let t = "Aid pledged\n\nSUVA, Fiji - Japan's Prime Minister Haruki Tanaka promised more \
                 aid on Tuesday, telling Pacific leaders that \"no nation should disappear\".";
        let q = Extractor::new().extract(t);
        assert!(!q.is_empty());
        for q in &q {
            for s in &q.source {
                assert!(!s.slice(t).contains("SUVA"), "{:?}", s.slice(t));
            }
            assert_eq!(q.speaker.as_deref(), Some("Haruki Tanaka"), "{q:?}");
        }
    }

    #[test]
    fn content_stops_at_an_unquoted_semicolon() {
        let t = "Republicans said the timing of the news was not intentional; they only learned of it on Friday.";
        let c = contents(t);
        assert!(
            c.iter()
                .any(|c| c == "the timing of the news was not intentional"),
            "{c:?}"
        );
    }
}
