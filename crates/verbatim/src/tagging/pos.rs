//! Part-of-speech tagging (UPOS). Being implemented: see the POS brief.

use super::{LinearModel, ModelError};
use crate::text::Text;

/// The 17 Universal Dependencies part-of-speech tags, in label order.
pub const UPOS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

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

    /// The UPOS index (into [`UPOS`]) of every token of `text`.
    pub fn tag_text(&self, text: &Text<'_>) -> Vec<u8> {
        let _ = &self.model;
        vec![16; text.tokens.len()]
    }
}
