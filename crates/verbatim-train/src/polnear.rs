//! The PolNeAR JSONL schema, which is also Verbatim's JSONL output schema.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// A span with code point offsets, end-exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The covered text (optional on input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One attribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct JsonQuote {
    /// Source spans.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub source: Vec<JsonSpan>,
    /// Cue spans.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub cue: Vec<JsonSpan>,
    /// Content spans.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub content: Vec<JsonSpan>,
    /// Resolved speaker (null when unknown).
    #[serde(default, deserialize_with = "lenient_string")]
    pub speaker: Option<String>,
    /// Resolved addressee (null when unknown).
    #[serde(default, deserialize_with = "lenient_string")]
    pub addressee: Option<String>,
    /// `unknown`, `overheard`, `statement`, `interview`, `social_media` or `on_record`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_string"
    )]
    pub setting: Option<String>,
    /// `direct`, `mixed` or `indirect`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_string"
    )]
    pub kind: Option<String>,
    /// Model confidence in [0, 1].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_f32"
    )]
    pub confidence: Option<f32>,
}

/// Extra fields are informative: a value of the wrong type reads as absent, as the scorer
/// ignores them.
fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

fn lenient_f32<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
    Ok(serde_json::Value::deserialize(d)?
        .as_f64()
        .map(|f| f as f32))
}

/// One document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonDoc {
    /// Document id.
    pub id: String,
    /// Full text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Attributions.
    #[serde(default)]
    pub quotes: Vec<JsonQuote>,
}

impl JsonDoc {
    /// A document's extracted quotes as Verbatim's JSONL output writes them: `{"id": …,
    /// "quotes": […]}`, without the text (the CLI's `extract --format jsonl` and the server's
    /// `/api/extract` both write this). Spans must be slices of `text`.
    pub fn extracted(id: &str, text: &str, quotes: &[verbatim::Quote]) -> JsonDoc {
        JsonDoc {
            id: id.to_string(),
            text: None,
            quotes: quotes_to_json(text, quotes),
        }
    }
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<JsonSpan>, D::Error> {
    Ok(Option::<Vec<JsonSpan>>::deserialize(d)?.unwrap_or_default())
}

/// Read a JSONL file of documents. Errors name the file and line.
pub fn read_jsonl(path: &Path) -> Result<Vec<JsonDoc>, String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    data.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// `../shared/data/polnear` relative to the workspace root, if it exists (CI and developers have
/// it beside the project).
pub fn default_polnear_dir() -> Option<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared/data/polnear");
    dir.is_dir().then(|| dir.canonicalize().unwrap_or(dir))
}

/// The JSON form of extracted quotes: code point offsets, with each span's text. This is the
/// one place output converts the engine's byte spans to code points (the CLI's JSONL and CSV
/// writers and `verbatim eval` all use it). Spans must be slices of `text`.
pub fn quotes_to_json(text: &str, quotes: &[verbatim::Quote]) -> Vec<JsonQuote> {
    let map = verbatim::OffsetMap::new(text);
    let spans = |v: &[verbatim::Span]| -> Vec<JsonSpan> {
        v.iter()
            .map(|s| {
                let c = map.char_span(*s);
                JsonSpan {
                    start: c.start,
                    end: c.end,
                    text: Some(s.slice(text).to_string()),
                }
            })
            .collect()
    };
    quotes
        .iter()
        .map(|q| JsonQuote {
            source: spans(&q.source),
            cue: spans(&q.cue),
            content: spans(&q.content),
            speaker: q.speaker.clone(),
            addressee: q.addressee.clone(),
            setting: Some(q.setting.as_str().to_string()),
            kind: Some(q.kind.as_str().to_string()),
            confidence: Some(q.confidence),
        })
        .collect()
}
