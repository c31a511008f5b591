//! The text model: offsets, tokens, paragraphs, sentences and quotations of one document.

pub mod offsets;
pub mod quotes;
pub mod segment;
pub mod tokens;

pub use offsets::{CharSpan, OffsetMap, Span};
pub use quotes::Quotation;
pub use tokens::{QuoteChar, Token, TokenKind};

use std::ops::Range;

/// Per-token quotation state, as bit flags.
pub mod qflags {
    /// Inside a primary quotation (marks included): double marks, or single ones used as the
    /// outer marks (British style; see [`super::Quotation::primary`]).
    pub const IN_DOUBLE: u8 = 1;
    /// Inside a nested quotation (marks included): single marks inside double ones, or double
    /// inside British single ones.
    pub const IN_SINGLE: u8 = 2;
    /// The opening mark of a quotation.
    pub const OPEN: u8 = 4;
    /// The closing mark of a quotation.
    pub const CLOSE: u8 = 8;
    /// Inside a quotation that was not closed in its paragraph.
    pub const UNCLOSED: u8 = 16;
}

/// A document laid out for analysis: its tokens, paragraphs, sentences and quotations.
#[derive(Clone, Debug)]
pub struct Text<'t> {
    /// The document text.
    pub text: &'t str,
    /// All tokens, in order.
    pub tokens: Vec<Token>,
    /// Paragraphs as token ranges.
    pub paragraphs: Vec<Range<usize>>,
    /// Sentences as token ranges (never crossing a paragraph).
    pub sentences: Vec<Range<usize>>,
    /// Paired quotations, by start.
    pub quotations: Vec<Quotation>,
    /// `qflags` for each token.
    pub qflags: Vec<u8>,
    /// Sentence index of each token.
    pub sentence_of: Vec<u32>,
    /// Paragraph index of each sentence (sentences partition paragraphs, so this and
    /// `sentence_of` give a token's paragraph without a second per-token table).
    sentence_paragraph: Vec<u32>,
    /// The distinct word forms (exact spellings) of the text, each given by the index of its
    /// first token, in order of first appearance.
    pub vocab: Vec<u32>,
    /// Index into `vocab` of each token's form. The analyses compute what depends on a
    /// word's spelling alone once per form, from this one table, instead of each hashing
    /// every token again.
    pub word_ids: Vec<u32>,
}

impl<'t> Text<'t> {
    /// Tokenize and segment `text`.
    pub fn new(text: &'t str) -> Text<'t> {
        let tokens = tokens::tokenize(text);
        let paragraphs = segment::paragraphs(text, &tokens, segment::is_hard_wrapped(text));
        let sentences = segment::sentences(text, &tokens, &paragraphs);
        let quotations = quotes::pair(text, &tokens, &paragraphs);
        let mut qflags = vec![0u8; tokens.len()];
        for q in &quotations {
            let inside = if q.primary {
                qflags::IN_DOUBLE
            } else {
                qflags::IN_SINGLE
            };
            for f in &mut qflags[q.tokens.clone()] {
                *f |= inside;
                if !q.closed {
                    *f |= qflags::UNCLOSED;
                }
            }
            if !q.continuation || matches!(tokens[q.tokens.start].kind, TokenKind::Quote(_)) {
                qflags[q.tokens.start] |= qflags::OPEN;
            }
            if q.closed {
                qflags[q.tokens.end - 1] |= qflags::CLOSE;
            }
        }
        let mut sentence_of = vec![0u32; tokens.len()];
        for (k, s) in sentences.iter().enumerate() {
            sentence_of[s.clone()].fill(k as u32);
        }
        let mut sentence_paragraph = Vec::with_capacity(sentences.len());
        let mut k = 0;
        for s in &sentences {
            while paragraphs[k].end <= s.start {
                k += 1;
            }
            sentence_paragraph.push(k as u32);
        }
        let mut vocab = Vec::new();
        let mut ids: crate::hash::WordMap<&str, u32> = crate::hash::word_map(tokens.len());
        let word_ids = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                *ids.entry(t.span().slice(text)).or_insert_with(|| {
                    vocab.push(i as u32);
                    (vocab.len() - 1) as u32
                })
            })
            .collect();
        Text {
            text,
            tokens,
            paragraphs,
            sentences,
            quotations,
            qflags,
            sentence_of,
            sentence_paragraph,
            vocab,
            word_ids,
        }
    }

    /// The spelling of word form `id` (an index into [`Text::vocab`]).
    #[inline]
    pub fn form(&self, id: u32) -> &'t str {
        self.word(self.vocab[id as usize] as usize)
    }

    /// Paragraph index of token `i` (which must be a token of the text).
    #[inline]
    pub fn paragraph_of(&self, i: usize) -> u32 {
        self.sentence_paragraph[self.sentence_of[i] as usize]
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'t str {
        self.tokens[i].span().slice(self.text)
    }

    /// The byte span from the start of token `a` to the end of token `b - 1`.
    pub fn span_of(&self, r: Range<usize>) -> Span {
        Span::new(
            self.tokens[r.start].span().start,
            self.tokens[r.end - 1].span().end,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_are_numbered_by_first_appearance_and_exact_spelling() {
        let t = Text::new("He said it. he said \"It\".");
        let forms: Vec<&str> = t.word_ids.iter().map(|&id| t.form(id)).collect();
        let words: Vec<&str> = (0..t.tokens.len()).map(|i| t.word(i)).collect();
        assert_eq!(forms, words);
        // "He" and "he", "it" and "It" are different spellings; "said" and "." repeat.
        assert_eq!(t.vocab.len(), 7, "{words:?}");
        assert_eq!(t.word_ids[..4], [0, 1, 2, 3]);
        assert_eq!(t.word_ids[5], 1);
        assert!(t.vocab.windows(2).all(|w| w[0] < w[1]));
        assert!(Text::new("").vocab.is_empty());
    }

    #[test]
    fn example_quote_flags() {
        let t = Text::new("Mr Obama then said: \"This is my last election.\"\n\nDone.");
        let open = t
            .tokens
            .iter()
            .position(|k| k.span().slice(t.text) == "\"")
            .unwrap();
        assert_ne!(t.qflags[open] & qflags::OPEN, 0);
        assert_ne!(t.qflags[open + 1] & qflags::IN_DOUBLE, 0);
        assert_eq!(t.qflags[0], 0);
        assert_eq!(t.paragraphs.len(), 2);
        assert_eq!(t.sentence_of[t.tokens.len() - 1], 1);
    }

    #[test]
    fn paragraph_of_every_token() {
        let src = "First one. Second \"one.\"\n\nMr. Smith said: \"Two.\" Then three.\n\n\nFour\n";
        let t = Text::new(src);
        assert_eq!(t.paragraphs.len(), 3);
        for (k, p) in t.paragraphs.iter().enumerate() {
            for i in p.clone() {
                assert_eq!(t.paragraph_of(i), k as u32, "token {i} {:?}", t.word(i));
            }
        }
        assert_eq!(Text::new("").sentences.len(), 0);
    }
}
