//! The statistical models: linear taggers over hashed features.
//!
//! * [`pos`]: a part-of-speech tagger (Universal Dependencies UPOS), trained on UD English EWT.
//! * [`features`]: the features of the attribution taggers (cue, then source and content).
//! * [`linear`]: the model type, its file format and Viterbi decoding.

pub mod features;
pub mod linear;
mod pages;
pub mod pos;

pub use linear::{LinearModel, ModelError};
