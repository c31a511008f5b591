//! Sentences and paragraphs, as ranges of token indices.

use super::tokens::{Token, TokenKind};
use crate::lexicon;
use std::ops::Range;

/// True when the text is hard-wrapped: blank lines separate paragraphs and single line breaks
/// are only line wrapping. Otherwise every line break starts a paragraph (news pages, PolNeAR).
pub fn is_hard_wrapped(text: &str) -> bool {
    let mut single = 0usize;
    let mut blank = 0usize;
    let mut long_lines = 0usize;
    let mut lines = 0usize;
    let mut prev_empty = true;
    // Lines end at "\n", "\r\n" or a lone "\r" (old Mac text).
    for line in text
        .lines()
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
    {
        let empty = line.trim().is_empty();
        if !empty {
            lines += 1;
            if line.chars().count() > 100 {
                long_lines += 1;
            }
            if !prev_empty {
                single += 1;
            }
        } else if !prev_empty {
            blank += 1;
        }
        prev_empty = empty;
    }
    blank > 0 && single > blank && long_lines * 10 < lines
}

/// Paragraphs: token ranges split at line breaks (at blank lines only, when `hard_wrapped`).
pub fn paragraphs(text: &str, tokens: &[Token], hard_wrapped: bool) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..tokens.len() {
        if !tokens[i].newline_before() {
            continue;
        }
        let brk = if hard_wrapped {
            let gap = &text[tokens[i - 1].span().end..tokens[i].span().start];
            // Line ends: "\n", "\r\n", or a lone "\r" (old Mac text).
            let b = gap.as_bytes();
            let lone_cr = (0..b.len())
                .filter(|&k| b[k] == b'\r' && b.get(k + 1) != Some(&b'\n'))
                .count();
            gap.matches('\n').count() + lone_cr >= 2
        } else {
            true
        };
        if brk {
            out.push(start..i);
            start = i;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "In",
    "A",
    "An",
    "This",
    "That",
    "His",
    "Her",
    "Their",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "There",
    "As",
    "On",
    "At",
    "If",
    "When",
    "So",
    "Yet",
    "Still",
    "Meanwhile",
    "However",
    "Now",
    "Then",
];

/// Sentences inside each paragraph: token ranges.
pub fn sentences(text: &str, tokens: &[Token], paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for p in paragraphs {
        let mut start = p.start;
        let mut i = p.start;
        while i < p.end {
            let t = &tokens[i];
            let word = t.span().slice(text);
            let candidate = match t.kind {
                TokenKind::Final => true,
                // "in the U.S. The ..." — an abbreviation ends a sentence only before a typical starter.
                TokenKind::Word if word.ends_with('.') && word.len() > 2 => {
                    !lexicon::is_title_abbreviation(word)
                        && tokens.get(i + 1).is_some_and(|n| {
                            i + 1 < p.end && SENTENCE_STARTERS.contains(&n.span().slice(text))
                        })
                }
                _ => false,
            };
            if !candidate {
                i += 1;
                continue;
            }
            // Take closing quotes and brackets that follow the final mark.
            let mut j = i + 1;
            while j < p.end && !tokens[j].space_before() && is_closer(tokens[j], text) {
                j += 1;
            }
            if j >= p.end {
                break;
            }
            let next = &tokens[j];
            let nw = next.span().slice(text);
            let first = nw.chars().next().unwrap_or(' ');
            let starts = first.is_uppercase()
                || first.is_ascii_digit()
                || matches!(next.kind, TokenKind::Quote(_))
                || matches!(first, '(' | '[' | '-' | '—' | '•');
            let ellipsis_mid = word.starts_with("..") || word == "…";
            if next.space_before() && starts && (!ellipsis_mid || first.is_uppercase()) {
                out.push(start..j);
                start = j;
            }
            i = j;
        }
        if start < p.end {
            out.push(start..p.end);
        }
    }
    out
}

fn is_closer(t: Token, text: &str) -> bool {
    match t.kind {
        TokenKind::Quote(q) => !matches!(
            q,
            super::tokens::QuoteChar::DoubleOpen | super::tokens::QuoteChar::SingleOpen
        ),
        TokenKind::Punct => matches!(t.span().slice(text), ")" | "]"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    fn sents(text: &str) -> Vec<String> {
        let toks = tokenize(text);
        let paras = paragraphs(text, &toks, is_hard_wrapped(text));
        sentences(text, &toks, &paras)
            .into_iter()
            .map(|r| text[toks[r.start].span().start..toks[r.end - 1].span().end].to_string())
            .collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sents("Mr. Obama met Dr. Smith in Washington, D.C. on Jan. 5. He left."),
            [
                "Mr. Obama met Dr. Smith in Washington, D.C. on Jan. 5.",
                "He left."
            ]
        );
        assert_eq!(
            sents("It came to the U.S. The talks failed."),
            ["It came to the U.S.", "The talks failed."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sents("He said: \"I understand.\" Then he left! \"Why?\" she asked."),
            [
                "He said: \"I understand.\"",
                "Then he left!",
                "\"Why?\" she asked."
            ]
        );
    }

    #[test]
    fn link_debris_does_not_break_sentences() {
        let t = "According to a transcript carried by ABC News, external, Mr Obama told his Russian counterpart: \"On all these issues.\"";
        assert_eq!(sents(t).len(), 1);
    }

    #[test]
    fn paragraphs_at_line_breaks_unless_hard_wrapped() {
        assert_eq!(
            sents("Headline\n\nFirst para.\nSecond para."),
            ["Headline", "First para.", "Second para."]
        );
        assert_eq!(
            sents("Headline\r\rMr Smith spoke.\rHe left."),
            ["Headline", "Mr Smith spoke.", "He left."]
        );
        let wrapped =
            "This is a long line that wraps\nonto the next line here.\n\nAnd a new\nparagraph.";
        assert_eq!(
            sents(wrapped),
            [
                "This is a long line that wraps\nonto the next line here.",
                "And a new\nparagraph."
            ]
        );
        // The same wrapped text with old Mac line ends, and with Windows ones.
        for eol in ["\r", "\r\n"] {
            assert!(is_hard_wrapped(&wrapped.replace('\n', eol)), "{eol:?}");
        }
        assert!(!is_hard_wrapped(
            "Headline\r\rMr Smith spoke.\r\rHe left.\r"
        ));
    }
}
