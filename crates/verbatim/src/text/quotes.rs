//! Pairing quotation marks into quotations.
//!
//! Conventions handled: curly and straight double marks, guillemets, single marks (British style
//! 'Yo, Blair', and nested inside double ones), apostrophes that are not marks (kept inside
//! words by the tokenizer; a plural possessive ’ after an s is ignored unless a single quotation
//! is open), and the news convention of a quotation running over several paragraphs, each
//! opening with a mark and only the last closing. An unbalanced mark never spills beyond its
//! paragraph, so the rest of the document is unaffected.

use super::tokens::{QuoteChar, Token, TokenKind};
use std::ops::Range;

/// One quotation: a run of tokens between an opening and (usually) a closing mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// Tokens covered, marks included.
    pub tokens: Range<usize>,
    /// Double marks (or guillemets) rather than single ones.
    pub double: bool,
    /// Closed by a matching mark. False for an unbalanced mark, or a paragraph of a
    /// multi-paragraph quotation that the next paragraph continues.
    pub closed: bool,
    /// Continues a quotation from the previous paragraph (multi-paragraph convention).
    pub continuation: bool,
    /// Continued in the next paragraph.
    pub continues: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Open,
    Close,
    Either,
    Ignore,
}

fn role(tokens: &[Token], text: &str, i: usize, para_start: usize, para_end: usize) -> Role {
    let TokenKind::Quote(q) = tokens[i].kind else {
        return Role::Ignore;
    };
    let before_space = i == para_start || tokens[i].space_before();
    let after = tokens.get(i + 1).filter(|_| i + 1 < para_end);
    let after_space = after.is_none_or(|t| t.space_before());
    let after_punct = after.is_some_and(|t| matches!(t.kind, TokenKind::Punct | TokenKind::Final));
    let prev_open = i > para_start
        && matches!(
            tokens[i - 1].span().slice(text),
            "(" | "[" | "—" | "–" | "-"
        );
    let prev_word_s = i > 0
        && !tokens[i].space_before()
        && tokens[i - 1].span().slice(text).ends_with(['s', 'S']);
    match q {
        QuoteChar::DoubleOpen | QuoteChar::SingleOpen => Role::Open,
        QuoteChar::DoubleClose => Role::Close,
        QuoteChar::SingleClose | QuoteChar::SingleStraight if prev_word_s && after_space => {
            Role::Ignore
        }
        QuoteChar::SingleClose => Role::Close,
        QuoteChar::DoubleStraight | QuoteChar::SingleStraight => {
            if (before_space || prev_open) && !after_space {
                Role::Open
            } else if !before_space && (after_space || after_punct) {
                Role::Close
            } else {
                Role::Either
            }
        }
    }
}

/// Pair the quotation marks of each paragraph. `paragraphs` are token ranges in order.
pub fn pair(text: &str, tokens: &[Token], paragraphs: &[Range<usize>]) -> Vec<Quotation> {
    let mut out: Vec<Quotation> = Vec::new();
    // A double quotation left open at the end of the previous paragraph.
    let mut carried = false;
    for (pi, p) in paragraphs.iter().enumerate() {
        let mut open_double: Option<(usize, bool)> = None; // (token, continuation)
        let mut open_single: Option<usize> = None;
        let first_is_double_open = p.start < p.end
            && matches!(tokens[p.start].kind, TokenKind::Quote(q) if q.is_double())
            && role(tokens, text, p.start, p.start, p.end) != Role::Close;
        if carried && !first_is_double_open {
            // The previous paragraph's quotation ended there after all (unbalanced).
            if let Some(last) = out.last_mut() {
                last.continues = false;
            }
        }
        for i in p.clone() {
            let TokenKind::Quote(q) = tokens[i].kind else {
                continue;
            };
            let r = role(tokens, text, i, p.start, p.end);
            if r == Role::Ignore {
                continue;
            }
            if q.is_double() {
                match open_double {
                    Some((s, cont)) if r != Role::Open => {
                        // A single quotation left open inside is unbalanced; drop it.
                        open_single = None;
                        out.push(Quotation {
                            tokens: s..i + 1,
                            double: true,
                            closed: true,
                            continuation: cont,
                            continues: false,
                        });
                        open_double = None;
                    }
                    Some((s, cont)) => {
                        // Two openings in a row: the first was never closed. End it before the
                        // second, so nothing after it is swallowed.
                        out.push(Quotation {
                            tokens: s..i,
                            double: true,
                            closed: false,
                            continuation: cont,
                            continues: false,
                        });
                        open_double = Some((i, false));
                    }
                    None if r != Role::Close => {
                        let cont = carried && i == p.start;
                        open_double = Some((i, cont));
                    }
                    None => {} // stray closing mark
                }
            } else {
                match open_single {
                    Some(s) if r != Role::Open => {
                        out.push(Quotation {
                            tokens: s..i + 1,
                            double: false,
                            closed: true,
                            continuation: false,
                            continues: false,
                        });
                        open_single = None;
                    }
                    Some(_) => open_single = Some(i),
                    None if r != Role::Close => open_single = Some(i),
                    None => {}
                }
            }
        }
        carried = false;
        if let Some((s, cont)) = open_double {
            // Multi-paragraph convention: continued if the next paragraph opens with a double mark.
            let next_opens = paragraphs.get(pi + 1).is_some_and(|n| {
                n.start < n.end
                    && matches!(tokens[n.start].kind, TokenKind::Quote(q) if q.is_double())
                    && role(tokens, text, n.start, n.start, n.end) != Role::Close
            });
            out.push(Quotation {
                tokens: s..p.end,
                double: true,
                closed: false,
                continuation: cont,
                continues: next_opens,
            });
            carried = next_opens;
        }
    }
    out.sort_by_key(|q| (q.tokens.start, std::cmp::Reverse(q.tokens.end)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment::{is_hard_wrapped, paragraphs};
    use crate::text::tokens::tokenize;

    fn quotes(text: &str) -> Vec<(String, bool, bool)> {
        let toks = tokenize(text);
        let paras = paragraphs(text, &toks, is_hard_wrapped(text));
        pair(text, &toks, &paras)
            .into_iter()
            .map(|q| {
                (
                    text[toks[q.tokens.start].span().start..toks[q.tokens.end - 1].span().end]
                        .to_string(),
                    q.double,
                    q.closed,
                )
            })
            .collect()
    }

    #[test]
    fn curly_straight_and_guillemets() {
        assert_eq!(
            quotes("He said “yes” and \"no\"."),
            [("“yes”".into(), true, true), ("\"no\"".into(), true, true)]
        );
        assert_eq!(
            quotes("Il a dit « non »."),
            [("« non »".into(), true, true)]
        );
    }

    #[test]
    fn british_single_quotes_and_apostrophes() {
        assert_eq!(
            quotes("Mr Bush said 'Yo, Blair' to him."),
            [("'Yo, Blair'".into(), false, true)]
        );
        assert_eq!(
            quotes("The Clintons’ foundation and Obama’s plan don’t matter in the ’90s."),
            []
        );
        assert_eq!(
            quotes("“He called it ‘rubbish’, frankly,” she said."),
            [
                ("“He called it ‘rubbish’, frankly,”".into(), true, true),
                ("‘rubbish’".into(), false, true)
            ]
        );
    }

    #[test]
    fn multi_paragraph_quotation() {
        let t = "He said: “First part.\n\n“Second part.\n\n“Last part.”\n\nAfter.";
        let q = quotes(t);
        assert_eq!(q.len(), 3);
        assert!(!q[0].2 && !q[1].2 && q[2].2);
    }

    #[test]
    fn unbalanced_marks_stay_in_their_paragraph() {
        let t = "He said “this never closes.\n\nShe said “fine” later.";
        let q = quotes(t);
        assert_eq!(q[0], ("“this never closes.".into(), true, false));
        assert_eq!(q[1], ("“fine”".into(), true, true));
        assert!(quotes("a ” stray and \" alone \" here").len() <= 1);
    }
}
