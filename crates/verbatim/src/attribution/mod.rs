//! Attribution: cues, their sources and contents, assembled into quotes.

use crate::tagging::{pos::PosTagger, LinearModel, ModelError};
use crate::text::{Span, Text};

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
        Ok(Models {
            pos: PosTagger::new(LinearModel::from_bytes(pos)?)?,
            cue: LinearModel::from_bytes(cue)?,
            role: LinearModel::from_bytes(role)?,
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
        let _ = pos;
        todo!("attribution decoding")
    }
}

#[cfg(feature = "embedded-models")]
impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}
