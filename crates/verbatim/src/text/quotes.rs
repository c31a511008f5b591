//! Pairing quotation marks into quotations.
//!
//! Conventions handled: curly and straight double marks, guillemets, single marks (British style
//! 'Yo, Blair', and nested inside double ones), apostrophes that are not marks (kept inside
//! words by the tokenizer; a plural possessive ’ after an s is ignored unless it ends the
//! paragraph), and the news convention of a quotation running over several paragraphs, each
//! opening with a mark and only the last closing. An unbalanced mark never spills beyond its
//! paragraph, so the rest of the document is unaffected.
//!
//! Single marks are the outer marks of British style, as double ones are of American style: in
//! a text whose body quotes mostly in single marks, a single quotation not inside a double one
//! is [`Quotation::primary`], and the rest of the engine treats it as it treats a double one.

use super::tokens::{QuoteChar, Token, TokenKind};
use std::ops::Range;

/// One quotation: a run of tokens between an opening and (usually) a closing mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// Tokens covered, marks included.
    pub tokens: Range<usize>,
    /// Double marks (or guillemets) rather than single ones.
    pub double: bool,
    /// The outer level of quotation: double marks, or single marks not inside a double
    /// quotation (British style). Nested quotations are not primary.
    pub primary: bool,
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
    let at_end = after.is_none();
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
        // "the players’ union": a possessive, unless it ends the paragraph ('… for the fans'),
        // where only a quotation can be open for it to close.
        QuoteChar::SingleClose | QuoteChar::SingleStraight
            if prev_word_s && after_space && !at_end =>
        {
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

/// Set [`Quotation::primary`] on `quotations` (sorted by start): double ones, unless the text
/// uses single marks as its outer ones (British style) — more quotations of a word or more
/// in single marks outside double ones than in double marks outside single ones — and then
/// single ones outside double ones, and double ones outside those. Tokens before `body` (the
/// first of several paragraphs) are left out of the count: a headline follows its own
/// convention (American ones quote in single marks), and the body decides.
fn outer_marks(tokens: &[Token], quotations: &mut [Quotation], body: usize) {
    let single = |k: usize| matches!(tokens[k].kind, TokenKind::Quote(q) if !q.is_double());
    // Doubled curly single marks (‘‘…’’) standing for double ones pair into stray single
    // quotations: they count as the double marks they stand for. (Straight '' is already one
    // double-mark token.)
    let doubled = |q: &Quotation| {
        let (a, b) = (q.tokens.start, q.tokens.end - 1);
        (a > 0 && single(a - 1) && !tokens[a].space_before())
            || (b + 1 < tokens.len() && single(b + 1) && !tokens[b + 1].space_before())
    };
    let typewriter = (body..tokens.len().saturating_sub(1))
        .filter(|&k| single(k) && single(k + 1) && !tokens[k + 1].space_before())
        .count();
    let mut votes = [typewriter / 2, 0]; // [double, single]
    let mut reach = [0usize; 2];
    for q in quotations.iter() {
        let (own, other) = if q.double { (0, 1) } else { (1, 0) };
        let counts = q.tokens.len() > 2 && q.tokens.start >= body && (q.double || !doubled(q));
        if reach[other] <= q.tokens.start && counts {
            votes[own] += 1;
        }
        reach[own] = reach[own].max(q.tokens.end);
    }
    if votes[1] <= votes[0] {
        return; // every quotation as it was paired: double ones primary
    }
    let (mut double_reach, mut single_reach) = (0, 0);
    for q in quotations.iter_mut() {
        if q.double {
            q.primary = single_reach <= q.tokens.start;
            double_reach = double_reach.max(q.tokens.end);
        } else {
            q.primary = double_reach <= q.tokens.start;
            if q.primary {
                single_reach = single_reach.max(q.tokens.end);
            }
        }
    }
}

/// True when paragraph `p` opens with a mark of the given kind that can open a quotation: the
/// multi-paragraph convention's sign that the previous paragraph's quotation goes on.
fn opens_with(text: &str, tokens: &[Token], p: &Range<usize>, double: bool) -> bool {
    p.start < p.end
        && matches!(tokens[p.start].kind, TokenKind::Quote(q) if q.is_double() == double)
        && role(tokens, text, p.start, p.start, p.end) != Role::Close
}

/// Pair the quotation marks of each paragraph. `paragraphs` are token ranges in order.
pub fn pair(text: &str, tokens: &[Token], paragraphs: &[Range<usize>]) -> Vec<Quotation> {
    let mut out: Vec<Quotation> = Vec::new();
    // A double quotation left open at the end of the previous paragraph.
    let mut carried = false;
    // The unclosed paragraphs of a single quotation carried over paragraphs. Unlike a double
    // one it counts only once a paragraph closes it: an opening single mark may be an
    // elision ('cause, 'em) that nothing closes.
    let mut single_chain: Vec<Quotation> = Vec::new();
    for (pi, p) in paragraphs.iter().enumerate() {
        let mut open_double: Option<(usize, bool)> = None; // (token, continuation)
        let mut open_single: Option<(usize, bool)> = None;
        if carried && !opens_with(text, tokens, p, true) {
            // The previous paragraph's quotation ended there after all (unbalanced).
            if let Some(last) = out.last_mut() {
                last.continues = false;
            }
        }
        let carried_single = !single_chain.is_empty() && opens_with(text, tokens, p, false);
        if !carried_single {
            single_chain.clear();
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
                        // (One opened before it is the outer quotation, British style.)
                        if open_single.is_some_and(|(s1, _)| s1 > s) {
                            open_single = None;
                            single_chain.clear();
                        }
                        out.push(Quotation {
                            tokens: s..i + 1,
                            double: true,
                            primary: true,
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
                            primary: true,
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
                    Some((s, cont)) if r != Role::Open => {
                        if cont {
                            out.append(&mut single_chain);
                        }
                        out.push(Quotation {
                            tokens: s..i + 1,
                            double: false,
                            primary: false,
                            closed: true,
                            continuation: cont,
                            continues: false,
                        });
                        open_single = None;
                    }
                    Some(_) => {
                        single_chain.clear();
                        open_single = Some((i, false));
                    }
                    None if r != Role::Close => {
                        open_single = Some((i, carried_single && i == p.start));
                    }
                    None => {}
                }
            }
        }
        carried = false;
        if let Some((s, cont)) = open_double {
            // Multi-paragraph convention: continued if the next paragraph opens with a double mark.
            let next_opens = paragraphs
                .get(pi + 1)
                .is_some_and(|n| opens_with(text, tokens, n, true));
            out.push(Quotation {
                tokens: s..p.end,
                double: true,
                primary: true,
                closed: false,
                continuation: cont,
                continues: next_opens,
            });
            carried = next_opens;
        }
        // The same convention with single marks, when no double quotation is open around.
        let single_goes_on = open_single.filter(|_| {
            open_double.is_none()
                && paragraphs
                    .get(pi + 1)
                    .is_some_and(|n| opens_with(text, tokens, n, false))
        });
        match single_goes_on {
            Some((s, cont)) => single_chain.push(Quotation {
                tokens: s..p.end,
                double: false,
                primary: false,
                closed: false,
                continuation: cont,
                continues: true,
            }),
            None => single_chain.clear(),
        }
    }
    out.sort_by_key(|q| (q.tokens.start, std::cmp::Reverse(q.tokens.end)));
    let body = match paragraphs {
        [first, _, ..] => first.end,
        _ => 0,
    };
    outer_marks(tokens, &mut out, body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment::{is_hard_wrapped, paragraphs};
    use crate::text::tokens::tokenize;

    /// Each quotation of `text` with its text.
    fn paired(text: &str) -> Vec<(String, Quotation)> {
        let toks = tokenize(text);
        let paras = paragraphs(text, &toks, is_hard_wrapped(text));
        pair(text, &toks, &paras)
            .into_iter()
            .map(|q| {
                let span = toks[q.tokens.start].span().start..toks[q.tokens.end - 1].span().end;
                (text[span].to_string(), q)
            })
            .collect()
    }

    /// (text, double, closed) of each quotation.
    fn quotes(text: &str) -> Vec<(String, bool, bool)> {
        paired(text)
            .into_iter()
            .map(|(s, q)| (s, q.double, q.closed))
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

    /// (text, primary, closed) of each quotation.
    fn levels(text: &str) -> Vec<(String, bool, bool)> {
        paired(text)
            .into_iter()
            .map(|(s, q)| (s, q.primary, q.closed))
            .collect()
    }

    #[test]
    fn single_marks_outside_double_ones_are_the_outer_quotation() {
        assert_eq!(
            levels("May said: 'We must be honest. It isn't racist.'"),
            [("'We must be honest. It isn't racist.'".into(), true, true)]
        );
        // British nesting: the single quotation stays open across the double one inside it.
        assert_eq!(
            levels("'He called it \"rubbish\", frankly,' she said."),
            [
                ("'He called it \"rubbish\", frankly,'".into(), true, true),
                ("\"rubbish\"".into(), false, true)
            ]
        );
        assert_eq!(
            levels("“He called it ‘rubbish’,” she said."),
            [
                ("“He called it ‘rubbish’,”".into(), true, true),
                ("‘rubbish’".into(), false, true)
            ]
        );
    }

    #[test]
    fn the_body_decides_which_marks_are_the_outer_ones() {
        // American style: the headline's single marks and those inside double ones are nested.
        let us = "Trump: 'We will win big.'\n\n\"They said 'no' to us,\" he said. \"Fine.\"";
        assert!(
            levels(us).iter().all(|q| q.1 == q.0.starts_with('"')),
            "{:?}",
            levels(us)
        );
        // British style, with a double quotation and the headline's single marks outside.
        let uk = "May: 'We will win'\n\nShe said: 'We are \"ready\".' Then: 'Go.' A \"word\".";
        let q = levels(uk);
        let primary: Vec<&str> = q.iter().filter(|q| q.1).map(|q| q.0.as_str()).collect();
        assert_eq!(
            primary,
            ["'We will win'", "'We are \"ready\".'", "'Go.'", "\"word\""]
        );
        // ''Typewriter double marks'' are double marks: their quotations are the outer ones.
        let nyt = "He said: ''We are on the 'wrong track.' We will see.'' Then: ''Yes.''";
        assert_eq!(
            levels(nyt),
            [
                (
                    "''We are on the 'wrong track.' We will see.''".into(),
                    true,
                    true
                ),
                ("'wrong track.'".into(), false, true),
                ("''Yes.''".into(), true, true)
            ]
        );
    }

    #[test]
    fn a_possessive_mark_ends_a_single_quotation_only_at_the_paragraph_end() {
        assert_eq!(
            quotes("Klopp said: 'We owe it to the fans'\n\nNext."),
            [("'We owe it to the fans'".into(), false, true)]
        );
        assert_eq!(
            levels("'The players' union is strong,' he said."),
            [("'The players' union is strong,'".into(), true, true)]
        );
        assert_eq!(
            levels("He met the players' union and the owners' lawyers"),
            []
        );
    }

    #[test]
    fn multi_paragraph_single_quotation() {
        let t = "She said: 'First part.\n\n'Second part.\n\n'Last part.'\n\nAfter.";
        let q = levels(t);
        assert_eq!(q.len(), 3, "{q:?}");
        assert!(q.iter().all(|q| q.1));
        assert!(!q[0].2 && !q[1].2 && q[2].2);
        // Never closed: elisions, not a quotation.
        assert_eq!(levels("'Cause we can.\n\n'Tis true.\n\nAfter."), []);
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
