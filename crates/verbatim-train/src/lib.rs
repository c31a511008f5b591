//! Training and evaluation for Verbatim.
//!
//! * [`polnear`]: the PolNeAR JSONL corpus (and the output schema, which is the same).
//! * [`pos`]: trains the part-of-speech tagger on UD English EWT (CoNLL-U).
//! * [`attribution`]: trains the cue and role taggers on PolNeAR train.
//! * [`pipeline`]: `verbatim train` — every model rebuilt, then scored on dev.
//! * [`score`]: the scorer, the same numbers as `shared/eval/score.py`.

pub mod attribution;
pub mod pipeline;
pub mod polnear;
pub mod pos;
pub mod score;
