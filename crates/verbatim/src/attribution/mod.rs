//! Attribution: cues, their sources and contents, assembled into quotes.

use crate::tagging::features::{self, TokenInfo};
use crate::tagging::linear::viterbi;
use crate::tagging::{pos::PosTagger, LinearModel, ModelError};
use crate::text::{qflags, Span, Text};
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
        prev < labels && prev != 0 && (prev + 1) / 2 == cur / 2
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
}

impl Extractor {
    /// The engine with the models compiled into the library.
    #[cfg(feature = "embedded-models")]
    pub fn new() -> Extractor {
        const POS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/pos.bin"));
        const CUE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cue.bin"));
        const ROLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/role.bin"));
        let models = Models::from_bytes(POS, CUE, ROLE)
            .expect("the embedded models are missing or invalid: run `verbatim train` and rebuild");
        Extractor { models }
    }

    /// The engine with the given models (e.g. freshly trained ones).
    pub fn with_models(models: Models) -> Extractor {
        Extractor { models }
    }

    /// The models in use.
    pub fn models(&self) -> &Models {
        &self.models
    }

    /// Every attribution in `text`, in text order.
    pub fn extract(&self, text: &str) -> Vec<Quote> {
        let layout = Text::new(text);
        self.extract_text(&layout)
    }

    /// Like [`Extractor::extract`], on an already segmented text.
    pub fn extract_text(&self, text: &Text<'_>) -> Vec<Quote> {
        let pos = self.models.pos.tag_text(text);
        let tok = features::token_info(text, &pos);
        let cues = self.find_cues(text, &tok);
        let mut is_cue = vec![false; tok.len()];
        for (c, _) in &cues {
            is_cue[c.clone()].fill(true);
        }
        let mut quotes = Vec::new();
        let mut scratch = Scratch::default();
        for (cue, conf) in cues {
            let win = features::window(text, &cue);
            let cx = features::cue_context(&tok, text, &win, cue.clone(), &is_cue);
            let labels = self.tag_roles(text, &tok, &win, &cx, &mut scratch);
            let source = runs(&labels, win.start, 1);
            let content = runs(&labels, win.start, 3);
            if content.is_empty() {
                continue;
            }
            let content_spans: Vec<Span> =
                content.iter().map(|r| text.span_of(r.clone())).collect();
            quotes.push(Quote {
                kind: kind_of(text, &content),
                source: source.iter().map(|r| text.span_of(r.clone())).collect(),
                cue: vec![text.span_of(cue)],
                content: content_spans,
                speaker: None,
                addressee: None,
                setting: Setting::Unknown,
                confidence: conf,
            });
        }
        quotes.sort_by_key(|q| q.content[0].start);
        crate::resolution::resolve_speakers(text, &pos, &mut quotes);
        quotes
    }

    /// Cue token ranges with a confidence, in text order.
    fn find_cues(&self, text: &Text<'_>, tok: &[TokenInfo]) -> Vec<(Range<usize>, f32)> {
        let m = &self.models.cue;
        let l = m.num_labels();
        let mut out = Vec::new();
        let mut feats = Vec::with_capacity(64);
        let mut em = Vec::new();
        for p in &text.paragraphs {
            em.clear();
            em.resize(p.len() * l, 0.0);
            for i in p.clone() {
                features::cue_features(tok, text, p, i, &mut feats);
                m.score(&feats, &mut em[(i - p.start) * l..(i - p.start + 1) * l]);
            }
            let path = viterbi(&em, l, &m.transitions, bio_allowed(l));
            for r in runs(&path, p.start, 1) {
                let e = &em[(r.start - p.start) * l..(r.start - p.start + 1) * l];
                let conf = 1.0 / (1.0 + (e[0] - e[1]).exp());
                out.push((r, conf));
            }
        }
        out
    }

    /// Role labels (indices into [`ROLE_LABELS`]) for every token of `win`.
    fn tag_roles(
        &self,
        text: &Text<'_>,
        tok: &[TokenInfo],
        win: &Range<usize>,
        cx: &features::CueContext,
        s: &mut Scratch,
    ) -> Vec<usize> {
        let m = &self.models.role;
        let l = m.num_labels();
        s.em.clear();
        s.em.resize(win.len() * l, 0.0);
        for i in win.clone() {
            let row = &mut s.em[(i - win.start) * l..(i - win.start + 1) * l];
            if cx.cue.contains(&i) {
                row[1..].fill(-1e6);
                continue;
            }
            features::role_features(tok, text, win, cx, i, &mut s.feats);
            m.score(&s.feats, row);
        }
        viterbi(&s.em, l, &m.transitions, bio_allowed(l))
    }
}

#[derive(Default)]
struct Scratch {
    em: Vec<f32>,
    feats: Vec<u64>,
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
