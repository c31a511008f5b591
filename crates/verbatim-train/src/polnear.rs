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
    /// Resolved speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
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

/// The JSON form of extracted quotes: code point offsets, with each span's text.
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
        })
        .collect()
}
