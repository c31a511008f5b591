//! Words for alignment: normalised forms with honest byte spans, and the cleaning that makes
//! a reported quote and a transcript comparable.
//!
//! Normalisation: lower case; curly and straight apostrophes alike; hyphens and dashes split
//! words ("so-called" = "so called"); quotation marks and other punctuation ignored; "U.S." =
//! "US"; "2,000" = "2000"; HTML entities skipped. Cleaning drops fillers ("uh", "um") and
//! collapses immediate repetitions of one to three words ("this, this" → "this", "I mean, I
//! mean" → "I mean") unless a sentence end or an ellipsis lies between the copies.

use crate::text::Span;

/// A word of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// Bytes, offset by the `base` given to [`scan`].
    pub span: Span,
    /// Normalised form.
    pub norm: String,
    /// A sentence end (`.` `!` `?`) comes before it (or it starts the text).
    pub after_stop: bool,
    /// An ellipsis (`…`, `...`, `. . .`) comes before it.
    pub after_gap: bool,
    /// Inside square brackets: an editor's insertion in an article, a stage direction in a
    /// transcript.
    pub square: bool,
    /// Inside parentheses.
    pub paren: bool,
}

/// Carried between the pieces of one turn so that punctuation at a line end still counts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ScanState {
    pub stop: bool,
    pub gap: bool,
}

impl Default for ScanState {
    fn default() -> Self {
        ScanState {
            stop: true,
            gap: false,
        }
    }
}

fn is_wordc(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

fn is_apos(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Append the words of `text` (spans offset by `base`) to `out`.
pub(crate) fn scan(text: &str, base: usize, st: &mut ScanState, out: &mut Vec<Word>) {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let n = cs.len();
    let ch = |i: usize| cs.get(i).map_or('\0', |p| p.1);
    let at = |i: usize| cs.get(i).map_or(text.len(), |p| p.0);
    // Brackets count only when closed nearby: an unbalanced "[" must not swallow the rest.
    let closes = |i: usize, close: char| cs[i..].iter().take(300).any(|p| p.1 == close);
    let (mut square, mut paren) = (0usize, 0usize);
    let mut i = 0;
    while i < n {
        let c = cs[i].1;
        if is_wordc(c) {
            let start = i;
            let mut norm = String::new();
            let mut seg_start = i;
            let mut j = i;
            loop {
                while j < n && is_wordc(ch(j)) {
                    norm.extend(ch(j).to_lowercase());
                    j += 1;
                }
                let (jc, next) = (ch(j), ch(j + 1));
                if !is_wordc(next) {
                    break;
                }
                if is_apos(jc) {
                    norm.push('\'');
                } else if matches!(jc, '.' | ',')
                    && ch(j - 1).is_ascii_digit()
                    && next.is_ascii_digit()
                {
                    if jc == '.' {
                        norm.push('.');
                    }
                } else if jc == '.' && j - seg_start == 1 && ch(j - 1).is_alphabetic() {
                    // U.S, e.g: initials joined, periods dropped.
                } else {
                    break;
                }
                j += 1;
                seg_start = j;
            }
            out.push(Word {
                span: Span::new(base + at(start), base + at(j)),
                norm,
                after_stop: st.stop,
                after_gap: st.gap,
                square: square > 0,
                paren: paren > 0,
            });
            st.stop = false;
            st.gap = false;
            i = j;
            continue;
        }
        match c {
            '[' if closes(i, ']') => square += 1,
            ']' => square = square.saturating_sub(1),
            '(' if closes(i, ')') => paren += 1,
            ')' => paren = paren.saturating_sub(1),
            '…' => st.gap = true,
            '!' | '?' => st.stop = true,
            '.' => {
                // ".", "...", ". . ."
                let mut dots = 1;
                let mut j = i + 1;
                while j < n && (ch(j) == '.' || (ch(j) == ' ' && ch(j + 1) == '.')) {
                    if ch(j) == '.' {
                        dots += 1;
                    }
                    j += 1;
                }
                if dots >= 2 {
                    st.gap = true;
                } else {
                    st.stop = true;
                }
                i = j;
                continue;
            }
            '&' => {
                // &amp; &#39; — markup, not words.
                let mut j = i + 1;
                while j < n && j - i <= 10 && (ch(j).is_ascii_alphanumeric() || ch(j) == '#') {
                    j += 1;
                }
                if j > i + 1 && ch(j) == ';' {
                    i = j + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// All words of `text`, spans offset by `base`.
pub(crate) fn words(text: &str, base: usize) -> Vec<Word> {
    let mut out = Vec::new();
    scan(text, base, &mut ScanState::default(), &mut out);
    out
}

/// Hesitation sounds that are not words of the remark.
pub(crate) fn is_filler(norm: &str) -> bool {
    matches!(
        norm,
        "uh" | "um"
            | "uhm"
            | "umm"
            | "uhh"
            | "er"
            | "erm"
            | "ah"
            | "ahh"
            | "eh"
            | "hmm"
            | "hm"
            | "mm"
            | "mmm"
    )
}

/// A word kept by [`clean`]: its index in the input and flags carried over from dropped ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Kept {
    pub index: usize,
    pub after_stop: bool,
    pub after_gap: bool,
}

/// Drop fillers (and words for which `drop` is true), then collapse immediate repetitions of
/// 1–3 words with no sentence end or ellipsis between the copies.
pub(crate) fn clean(ws: &[Word], drop: impl Fn(&Word) -> bool) -> Vec<Kept> {
    let mut out: Vec<Kept> = Vec::with_capacity(ws.len());
    let (mut stop, mut gap) = (false, false);
    for (index, w) in ws.iter().enumerate() {
        stop |= w.after_stop;
        gap |= w.after_gap;
        if is_filler(&w.norm) || drop(w) {
            continue;
        }
        out.push(Kept {
            index,
            after_stop: stop,
            after_gap: gap,
        });
        stop = false;
        gap = false;
        for k in 1..=3 {
            let len = out.len();
            if len < 2 * k {
                break;
            }
            let first = &out[len - 2 * k..len - k];
            let second = &out[len - k..];
            // Boundaries inside the pair (not before the first copy) block the collapse.
            let blocked = out[len - 2 * k + 1..]
                .iter()
                .any(|x| x.after_stop || x.after_gap);
            let same = first
                .iter()
                .zip(second)
                .all(|(a, b)| ws[a.index].norm == ws[b.index].norm);
            if same && !blocked {
                out.truncate(len - k);
                break;
            }
        }
    }
    out
}

/// A crude English stem for comparing content words: "issues" ~ "issue", "solved" ~ "solve".
pub(crate) fn stem(norm: &str) -> String {
    let w = norm.strip_suffix("'s").unwrap_or(norm);
    for suf in ["ing", "ed", "es", "ly", "s"] {
        if let Some(s) = w.strip_suffix(suf) {
            if s.chars().count() >= 3 && !(suf == "s" && s.ends_with('s')) {
                return s.trim_end_matches('e').to_string();
            }
        }
    }
    w.trim_end_matches('e').to_string()
}

/// Function words, pronouns and reporting verbs: not evidence that two texts share content.
pub(crate) fn is_stopword(norm: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "an", "the", "and", "or", "but", "if", "so", "as", "of", "to", "in", "on", "at", "by",
        "for", "with", "from", "about", "into", "over", "after", "before", "than", "then", "that",
        "this", "these", "those", "there", "here", "it", "its", "it's", "i", "me", "my", "we",
        "us", "our", "you", "your", "he", "him", "his", "she", "her", "they", "them", "their",
        "is", "are", "was", "were", "be", "been", "being", "am", "have", "has", "had", "do",
        "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
        "not", "no", "yes", "yeah", "said", "say", "says", "told", "tell", "what", "which", "who",
        "whom", "whose", "when", "where", "why", "how", "all", "any", "some", "such", "very",
        "more", "most", "much", "many", "also", "just", "only", "even", "too", "i'm", "i'll",
        "i've", "i'd", "we're", "you're", "he's", "she's", "they're", "don't", "didn't", "doesn't",
        "won't", "can't", "isn't", "wasn't", "aren't", "well", "oh", "okay", "ok",
    ];
    STOP.contains(&norm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(t: &str) -> Vec<String> {
        words(t, 0).into_iter().map(|w| w.norm).collect()
    }

    fn cleaned(t: &str) -> Vec<String> {
        let ws = words(t, 0);
        clean(&ws, |_| false)
            .iter()
            .map(|k| ws[k.index].norm.clone())
            .collect()
    }

    #[test]
    fn normalises() {
        assert_eq!(
            norms("It’s a so-called U.S. shield, 2,000 &amp; 3.5"),
            ["it's", "a", "so", "called", "us", "shield", "2000", "3.5"]
        );
        assert_eq!(norms("“Yo, Blair”"), ["yo", "blair"]);
        let w = words("a… b. c ... d [e] (f)", 0);
        assert!(w[1].after_gap && w[2].after_stop && w[3].after_gap);
        assert!(w[4].square && w[5].paren && !w[0].square);
        assert!(!words("[unclosed a", 0)[0].square);
    }

    #[test]
    fn cleans_fillers_and_repeats() {
        assert_eq!(
            cleaned("this, this can be, uh, solved"),
            ["this", "can", "be", "solved"]
        );
        assert_eq!(cleaned("I mean, I mean it"), ["i", "mean", "it"]);
        assert_eq!(cleaned("no, no, no"), ["no"]);
        assert_eq!(
            cleaned("space. Space for you"),
            ["space", "space", "for", "you"]
        );
    }

    #[test]
    fn spans_are_honest() {
        let t = "Zürich’s café — “naïve”";
        for w in words(t, 0) {
            assert!(t.get(w.span.start..w.span.end).is_some());
        }
        assert_eq!(stem("issues"), stem("issue"));
        assert_eq!(stem("solved"), stem("solve"));
    }
}
