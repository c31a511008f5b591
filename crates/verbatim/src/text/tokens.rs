//! Tokens: words, numbers, punctuation and quotation marks, with byte spans.
//!
//! Apostrophes inside words (don't, Obama's, '90s, rock 'n' roll) stay in the word; clitics
//! ('s, n't, 're, 'll, 've, 'd, 'm) are split off as their own tokens, as in Universal
//! Dependencies, so the part-of-speech tagger sees what it was trained on. Abbreviations keep
//! their period ("Mr.", "U.S.", "Jan."), so a period token is always a candidate sentence end.

use super::offsets::Span;
use crate::lexicon;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters, possibly with digits, hyphens, apostrophes or abbreviation periods.
    Word,
    /// Digits, possibly with separators (2,000  3.5  9/11  1990s).
    Number,
    /// A quotation mark; which one is in the `QuoteChar`.
    Quote(QuoteChar),
    /// Sentence-final punctuation: `.` `!` `?` `...` `…`.
    Final,
    /// Any other punctuation or symbol.
    Punct,
}

/// The quotation mark characters Verbatim knows, by how they can be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteChar {
    /// `“` `„` `«` (and `‹`): can only open a double quotation.
    DoubleOpen,
    /// `”` `»` (and `›`): can only close one.
    DoubleClose,
    /// `"`: opens or closes, decided by context.
    DoubleStraight,
    /// `‘`: opens a single quotation.
    SingleOpen,
    /// `’` standing alone: closes a single quotation (apostrophes never become tokens of this kind).
    SingleClose,
    /// `'` standing alone: opens or closes a single quotation.
    SingleStraight,
}

impl QuoteChar {
    /// True for double quotation marks (and guillemets).
    pub fn is_double(self) -> bool {
        matches!(
            self,
            QuoteChar::DoubleOpen | QuoteChar::DoubleClose | QuoteChar::DoubleStraight
        )
    }
}

/// One token.
///
/// Packed into 8 bytes (the token list is the largest structure of a long document: 2M tokens
/// in 10 MB of text): a `u32` start, a `u16` length, so only the first [`MAX_TEXT_BYTES`] of a
/// text are tokenized and a run longer than [`MAX_TOKEN_BYTES`] is cut into several tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    start: u32,
    len: u16,
    /// What it is.
    pub kind: TokenKind,
    flags: u8,
}

/// The longest text [`tokenize`] reads, in bytes (4 GiB - 1); anything after it is ignored.
/// Callers that take untrusted input should refuse longer texts with a clear error.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

/// The longest token, in bytes: a longer run of word characters (a pasted blob) is cut.
pub const MAX_TOKEN_BYTES: usize = u16::MAX as usize;

const SPACE_BEFORE: u8 = 1;
const NEWLINE_BEFORE: u8 = 2;

impl Token {
    /// A token over the bytes `span`, which must end within [`MAX_TEXT_BYTES`] and be at most
    /// [`MAX_TOKEN_BYTES`] long.
    pub fn new(span: Span, kind: TokenKind, space_before: bool, newline_before: bool) -> Token {
        debug_assert!(span.end <= MAX_TEXT_BYTES && span.len() <= MAX_TOKEN_BYTES);
        Token {
            start: span.start as u32,
            len: span.len() as u16,
            kind,
            flags: if space_before { SPACE_BEFORE } else { 0 }
                | if newline_before { NEWLINE_BEFORE } else { 0 },
        }
    }

    /// Where it is (bytes).
    #[inline]
    pub fn span(&self) -> Span {
        let start = self.start as usize;
        Span::new(start, start + self.len as usize)
    }

    /// True when whitespace separates it from the previous token (or it starts the text).
    #[inline]
    pub fn space_before(&self) -> bool {
        self.flags & SPACE_BEFORE != 0
    }

    /// True when a line break lies between it and the previous token.
    #[inline]
    pub fn newline_before(&self) -> bool {
        self.flags & NEWLINE_BEFORE != 0
    }
}

fn quote_char(c: char) -> Option<QuoteChar> {
    Some(match c {
        '“' | '„' | '«' | '‹' => QuoteChar::DoubleOpen,
        '”' | '»' | '›' => QuoteChar::DoubleClose,
        '"' => QuoteChar::DoubleStraight,
        '‘' => QuoteChar::SingleOpen,
        '’' => QuoteChar::SingleClose,
        '\'' => QuoteChar::SingleStraight,
        _ => return None,
    })
}

fn is_apos(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_word_char(c: char) -> bool {
    // Combining diacritics (U+0300–U+036F) belong to the letter before them.
    c.is_alphanumeric() || c == '_' || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Split `text` into tokens. Never fails; every non-whitespace character (of the first
/// [`MAX_TEXT_BYTES`]) ends up in a token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut cut = text.len().min(MAX_TEXT_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut state = (true, false);
    let mut chars = Vec::new();
    // A token never holds a line break and no rule looks past one, so the text is decoded a
    // block of whole lines at a time: only one block's characters are held, not the
    // document's (16 bytes a character).
    let mut start = 0;
    while start < text.len() {
        // A '\n' byte is never inside a multi-byte character: the block ends on a boundary.
        let from = (start + BLOCK).min(text.len());
        let end = text.as_bytes()[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |k| from + k + 1);
        chars.clear();
        chars.extend(text[start..end].char_indices().map(|(k, c)| (start + k, c)));
        tokenize_block(&chars, end, &mut state, &mut out);
        start = end;
    }
    out
}

/// Bytes of text decoded at a time by [`tokenize`] (extended to the end of a line).
const BLOCK: usize = 1 << 16;

/// Tokenize one block of whole lines: `chars` are its characters with their byte offsets in
/// the text, `end` the byte offset after it, `state` the (space, line break) before its first
/// token.
fn tokenize_block(
    chars: &[(usize, char)],
    end: usize,
    state: &mut (bool, bool),
    out: &mut Vec<Token>,
) {
    let n = chars.len();
    let ch = |i: usize| if i < n { chars[i].1 } else { '\0' };
    let mut i = 0;
    let (mut space_before, mut newline_before) = *state;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() || c.is_control() || c == '\u{feff}' || c == '\u{200b}' {
            space_before = true;
            // A lone '\r' ends a line in old Mac text.
            if matches!(c, '\n' | '\r' | '\u{2029}' | '\u{2028}') {
                newline_before = true;
            }
            i += 1;
            continue;
        }
        let mut start = i;
        let kind;
        if is_word_char(c) {
            // A run of word characters joined by single hyphens, apostrophes, periods (U.S.),
            // slashes and commas between digits.
            let mut j = i + 1;
            loop {
                let cj = ch(j);
                if is_word_char(cj) {
                    j += 1;
                } else if matches!(cj, '-' | '‐' | '/' | '&') && is_word_char(ch(j + 1)) {
                    j += 2;
                } else if ((cj == ',' || cj == '.' || cj == ':')
                    && ch(j - 1).is_ascii_digit()
                    && ch(j + 1).is_ascii_digit())
                    || (is_apos(cj)
                        && is_word_char(ch(j + 1))
                        && (!is_clitic_at(chars, j) || ch(j + 1).eq_ignore_ascii_case(&'t')))
                {
                    // don't → do + n't is handled below; O'Brien, rock'n'roll stay whole.
                    j += 2;
                } else {
                    break;
                }
            }
            // Split a trailing "n't" off (don't → do n't). Only N/n, T/t and the two
            // apostrophes lower-case to the characters of "n't", so no lower-cased copy.
            let nt = j - i > 3
                && matches!(chars[j - 3].1, 'n' | 'N')
                && is_apos(chars[j - 2].1)
                && matches!(chars[j - 1].1, 't' | 'T');
            if nt {
                let cut = j - 3;
                mk(
                    out,
                    end,
                    chars,
                    i,
                    cut,
                    TokenKind::Word,
                    space_before,
                    newline_before,
                );
                space_before = false;
                newline_before = false;
                start = cut;
            }
            // Abbreviation periods: U.S. / Mr. / Jan. / p.m.
            let mut k = j;
            if ch(k) == '.' {
                let w: String = chars[start..j].iter().map(|&(_, c)| c).collect();
                let mut m = k + 1;
                while ch(m) == ' ' {
                    m += 1;
                }
                // The word after it, for a day before a month ("Sat. March 3").
                let month_next = (m..m + 3).all(|x| ch(x).is_alphabetic())
                    && lexicon::is_month_prefix(&(m..m + 3).map(ch).collect::<String>());
                if is_abbreviation(&w, ch(k + 1), ch(m), month_next) {
                    k += 1;
                    // U.S. — consume letter-period pairs.
                    while ch(k).is_alphabetic() && ch(k + 1) == '.' && !is_word_char(ch(k + 2)) {
                        k += 2;
                    }
                }
            }
            let piece = &chars[start..j];
            let letters = piece.iter().filter(|p| p.1.is_alphabetic()).count();
            kind = if ch(start).is_ascii_digit() && letters <= 2 {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            i = k;
        } else if is_apos(c) && is_clitic_at(chars, i) && i > 0 && is_word_char(ch(i - 1)) {
            // Clitic: 's 're 'll 've 'd 'm
            let mut j = i + 1;
            while is_word_char(ch(j)) {
                j += 1;
            }
            kind = TokenKind::Word;
            i = j;
        } else if is_apos(c)
            && ch(i + 1).is_ascii_digit()
            && ch(i + 2).is_ascii_digit()
            && !ch(i + 3).is_ascii_digit()
        {
            // '90s, '16
            let mut j = i + 1;
            while is_word_char(ch(j)) {
                j += 1;
            }
            kind = TokenKind::Number;
            i = j;
        } else if is_apos(c)
            && matches!(ch(i + 1), 'n' | 'N')
            && is_apos(ch(i + 2))
            && !is_word_char(ch(i + 3))
            && (i == 0 || !is_word_char(ch(i - 1)))
        {
            // rock 'n' roll: "and" elided on both sides is a word, not a one-letter quotation
            // (which single marks standing for outer quotation marks would make of it).
            kind = TokenKind::Word;
            i += 3;
        } else if c == '\'' && ch(i + 1) == '\'' && (ch(i + 2) != '\'' || is_word_char(ch(i + 3))) {
            // ''Typewriter double marks'': two straight single marks standing for one double
            // mark (the New York Times archive, PTB-style text). Of three, the double mark is the
            // outer one: first where they open a word, last where they close one.
            kind = TokenKind::Quote(QuoteChar::DoubleStraight);
            i += 2;
        } else if c == '`' && ch(i + 1) == '`' {
            // ``PTB-style'' opening double mark (Penn Treebank, LaTeX): two grave accents.
            kind = TokenKind::Quote(QuoteChar::DoubleOpen);
            i += 2;
        } else if c == '`' && is_word_char(ch(i + 1)) {
            // `single' in the same style.
            kind = TokenKind::Quote(QuoteChar::SingleOpen);
            i += 1;
        } else if let Some(q) = quote_char(c) {
            // A bare ’ right after a word ending in s, followed by space, is a plural possessive
            // ("the Clintons’ foundation") unless a single quotation is open; the pairing step
            // decides, so keep it a quote token here.
            kind = TokenKind::Quote(q);
            i += 1;
        } else if c == '.' {
            let mut j = i + 1;
            while ch(j) == '.' {
                j += 1;
            }
            kind = TokenKind::Final;
            i = j;
        } else if c == '!' || c == '?' || c == '…' {
            let mut j = i + 1;
            while matches!(ch(j), '!' | '?') {
                j += 1;
            }
            kind = TokenKind::Final;
            i = j;
        } else if c == '-' && ch(i + 1) == '-' {
            let mut j = i + 1;
            while ch(j) == '-' {
                j += 1;
            }
            kind = TokenKind::Punct;
            i = j;
        } else {
            kind = TokenKind::Punct;
            i += 1;
        }
        mk(
            out,
            end,
            chars,
            start,
            i,
            kind,
            space_before,
            newline_before,
        );
        space_before = false;
        newline_before = false;
    }
    *state = (space_before, newline_before);
}

/// Push the token of characters `a..b` of a block that ends at byte `end`, cut into pieces of
/// at most [`MAX_TOKEN_BYTES`] (at character boundaries) when longer.
#[allow(clippy::too_many_arguments)]
fn mk(
    out: &mut Vec<Token>,
    end: usize,
    chars: &[(usize, char)],
    mut a: usize,
    b: usize,
    kind: TokenKind,
    mut sb: bool,
    mut nb: bool,
) {
    let at = |k: usize| chars.get(k).map_or(end, |p| p.0);
    let e = at(b);
    loop {
        let s = at(a);
        if e - s <= MAX_TOKEN_BYTES {
            out.push(Token::new(Span::new(s, e), kind, sb, nb));
            return;
        }
        // The last character that still starts within the limit ends this piece.
        let cut = a + chars[a..b].partition_point(|p| p.0 - s <= MAX_TOKEN_BYTES) - 1;
        out.push(Token::new(Span::new(s, at(cut)), kind, sb, nb));
        (a, sb, nb) = (cut, false, false);
    }
}

/// Is the apostrophe at `i` the start of an English clitic ('s 're 'll 've 'd 'm, or the
/// apostrophe of n't)?
fn is_clitic_at(chars: &[(usize, char)], i: usize) -> bool {
    let c = |k: usize| chars.get(k).map_or('\0', |p| p.1.to_ascii_lowercase());
    let end_ok = |k: usize| !is_word_char(c(k));
    match (c(i + 1), c(i + 2)) {
        ('s', _) | ('d', _) | ('m', _) => end_ok(i + 2),
        ('r', 'e') | ('l', 'l') | ('v', 'e') => end_ok(i + 3),
        ('t', _) => i > 0 && c(i - 1) == 'n' && end_ok(i + 2),
        _ => false,
    }
}

fn is_abbreviation(word: &str, next: char, next_visible: char, month_next: bool) -> bool {
    if word.eq_ignore_ascii_case("no") || word.eq_ignore_ascii_case("nos") {
        return next_visible.is_ascii_digit();
    }
    let single_letter = word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic());
    // "U" of "U.S.", initials "George W. Bush", "p" of "p.m."
    if single_letter {
        return true;
    }
    if next.is_alphabetic() {
        // "e.g", "a.m" pieces, "U.N"
        return word.chars().count() <= 2;
    }
    // Days that are also words: "told The Sun." ends a sentence; "Sun., Feb. 3", "Wed. 4 May"
    // and "Sat. March 3" are abbreviations.
    if ["sun", "mon", "wed", "sat"]
        .iter()
        .any(|d| word.eq_ignore_ascii_case(d))
    {
        return next_visible.is_ascii_digit() || next_visible == ',' || month_next;
    }
    lexicon::is_abbreviation(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<&str> {
        tokenize(t).iter().map(|k| k.span().slice(t)).collect()
    }

    #[test]
    fn a_token_is_eight_bytes() {
        // The token list dominates the memory of a long document (2M tokens in 10 MB).
        assert_eq!(std::mem::size_of::<Token>(), 8);
        let t = tokenize("Mr. Obama's \"flexibility\"");
        assert_eq!(t[1].span(), Span::new(4, 9));
    }

    #[test]
    fn a_run_longer_than_a_token_is_cut_at_character_boundaries() {
        for unit in ["a", "é", "字"] {
            let blob = unit.repeat(200_000);
            let text = format!("He said {blob} twice.");
            let t = tokenize(&text);
            let pieces: Vec<_> = t.iter().filter(|k| k.span().len() > 100).collect();
            assert!(
                pieces.len() >= 200_000 * unit.len() / MAX_TOKEN_BYTES,
                "{unit}"
            );
            assert!(pieces.iter().all(|k| k.span().len() <= MAX_TOKEN_BYTES));
            // Together they are the blob, each on character boundaries, the first after a space.
            let joined: String = pieces.iter().map(|k| k.span().slice(&text)).collect();
            assert_eq!(joined, blob);
            assert!(pieces[0].space_before() && !pieces[1].space_before());
            assert_eq!(t.last().unwrap().span().slice(&text), ".");
        }
    }

    #[test]
    fn splits_clitics_and_keeps_abbreviations() {
        assert_eq!(
            toks("Mr. Obama's aides don't know."),
            ["Mr.", "Obama", "'s", "aides", "do", "n't", "know", "."]
        );
        assert_eq!(
            toks("The U.S. said no."),
            ["The", "U.S.", "said", "no", "."]
        );
        assert_eq!(
            toks("Dr Smith met Jan. 5"),
            ["Dr", "Smith", "met", "Jan.", "5"]
        );
        // A day that is also a word ends its sentence unless a date follows.
        assert_eq!(
            toks("she told The Sun. On Sun., Feb. 3"),
            ["she", "told", "The", "Sun", ".", "On", "Sun.", ",", "Feb.", "3"]
        );
        assert_eq!(toks("on Sat. March 3"), ["on", "Sat.", "March", "3"]);
        assert_eq!(toks("George W. Bush"), ["George", "W.", "Bush"]);
    }

    #[test]
    fn quotes_are_tokens_apostrophes_are_not() {
        assert_eq!(toks("“Yo, Blair”"), ["“", "Yo", ",", "Blair", "”"]);
        assert_eq!(
            toks("'Yo, Blair' he said"),
            ["'", "Yo", ",", "Blair", "'", "he", "said"]
        );
        assert_eq!(
            toks("in the '90s O’Brien it’s"),
            ["in", "the", "'90s", "O’Brien", "it", "’s"]
        );
        assert_eq!(
            toks("rock 'n' roll, fish ’n’ chips"),
            ["rock", "'n'", "roll", ",", "fish", "’n’", "chips"]
        );
        assert_eq!(
            toks("\"flexibility\" on"),
            ["\"", "flexibility", "\"", "on"]
        );
        assert_eq!(
            toks("'''Sure' is what he said.''"),
            ["''", "'", "Sure", "'", "is", "what", "he", "said", ".", "''"]
        );
        assert_eq!(
            toks("''He said 'no.''' Then"),
            ["''", "He", "said", "'", "no", ".", "'", "''", "Then"]
        );
        // Two straight single marks are one double mark (the New York Times archive).
        assert_eq!(
            toks("''We will,'' he said of the Jones' plan."),
            ["''", "We", "will", ",", "''", "he", "said", "of", "the", "Jones", "'", "plan", "."]
        );
        assert_eq!(
            toks("``We will,'' he said, ``and `soon'.''"),
            [
                "``", "We", "will", ",", "''", "he", "said", ",", "``", "and", "`", "soon", "'",
                ".", "''"
            ]
        );
    }

    #[test]
    fn numbers_and_punctuation() {
        assert_eq!(
            toks("2,000 people, 3.5% -- wait..."),
            ["2,000", "people", ",", "3.5", "%", "--", "wait", "..."]
        );
        assert_eq!(toks("so-called shield"), ["so-called", "shield"]);
    }

    #[test]
    fn blocks_do_not_change_tokens() {
        // Lines repeated past several blocks: every line tokenizes as it does alone.
        let line = "Mr. O’Brien didn't say — “Yo, Blair,” he said in the '90s…\n";
        let one = tokenize(line);
        let text = line.repeat(3 * BLOCK / line.len() + 7);
        let all = tokenize(&text);
        assert_eq!(all.len(), one.len() * (text.len() / line.len()));
        for (k, t) in all.iter().enumerate() {
            let (n, j) = (k / one.len(), k % one.len());
            let base = n * line.len();
            let want = one[j];
            assert_eq!(
                t.span(),
                Span::new(base + want.span().start, base + want.span().end)
            );
            assert_eq!(t.kind, want.kind);
            assert_eq!(t.space_before(), want.space_before());
            assert_eq!(
                t.newline_before(),
                want.newline_before() || (n > 0 && j == 0)
            );
        }
    }

    #[test]
    fn records_newlines() {
        let t = tokenize("a\n\nb c");
        assert!(t[1].newline_before() && !t[2].newline_before() && t[2].space_before());
    }
}
