//! In-memory matching of a search query against one quote's text, the way the full-text
//! index (FTS5 `unicode61 remove_diacritics 2`) would: words are runs of letters and digits,
//! lowercased, with the diacritics of Latin letters removed. Used when a search is driven from
//! a speaker's quotes rather than from the index (see `query::SPEAKER_DRIVEN_MAX`).

/// Lowercase, Latin diacritics removed: the engine's folding, which mirrors the index's.
pub(crate) use verbatim::lexicon::fold_latin as fold;

/// The words of a text, folded.
pub fn words(text: &str) -> Vec<String> {
    let w = Words::of(text);
    (0..w.len()).map(|i| w.get(i).to_string()).collect()
}

/// The folded words of a text in one buffer: ranking scores thousands of quotes per search,
/// and a `String` per word made allocation the larger part of the cost.
#[derive(Debug, Default)]
pub struct Words {
    buf: String,
    /// End of each word in `buf` (words are stored back to back).
    ends: Vec<usize>,
}

impl Words {
    /// Split and fold a text (words are runs of letters and digits).
    pub fn of(text: &str) -> Words {
        let mut w = Words {
            buf: String::with_capacity(text.len()),
            ends: Vec::with_capacity(text.len() / 5),
        };
        let mut in_word = false;
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                w.buf.push(c.to_ascii_lowercase());
                in_word = true;
            } else if c.is_alphanumeric() {
                w.buf.push(fold(c));
                in_word = true;
            } else if in_word {
                w.ends.push(w.buf.len());
                in_word = false;
            }
        }
        if in_word {
            w.ends.push(w.buf.len());
        }
        w
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Word `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }
}

/// One term of a query: a word or a phrase, maybe a prefix.
#[derive(Debug, PartialEq)]
struct Term {
    words: Vec<String>,
    prefix: bool,
}

/// A parsed query (the same parse as `query::fts_query`).
#[derive(Debug)]
pub struct Matcher {
    terms: Vec<Term>,
}

impl Matcher {
    /// Parse a user's query.
    pub fn new(user: &str) -> Matcher {
        let mut terms = Vec::new();
        let mut push = |chunk: &str, phrase: bool| {
            let w = words(chunk);
            if !w.is_empty() {
                let prefix = !phrase && chunk.ends_with('*') && w.len() == 1;
                let t = Term { words: w, prefix };
                // As `fts_query`: a term given twice counts once.
                if !terms.contains(&t) {
                    terms.push(t);
                }
            }
        };
        for (i, part) in user.split('"').enumerate() {
            if i % 2 == 1 {
                push(part, true);
            } else {
                for w in part.split_whitespace() {
                    push(w, false);
                }
            }
        }
        Matcher { terms }
    }

    fn occurrences(t: &Term, text: &Words) -> usize {
        let n = t.words.len();
        if n == 0 || text.len() < n {
            return 0;
        }
        (0..=text.len() - n)
            .filter(|&i| {
                if t.prefix {
                    text.get(i).starts_with(&t.words[0])
                } else {
                    t.words
                        .iter()
                        .enumerate()
                        .all(|(k, w)| text.get(i + k) == w)
                }
            })
            .count()
    }

    /// Whether every term occurs in the text's words.
    pub fn matches(&self, text: &Words) -> bool {
        !self.terms.is_empty() && self.terms.iter().all(|t| Matcher::occurrences(t, text) > 0)
    }

    /// Each term's folded words and whether it is a prefix (for document-frequency look-ups).
    pub fn terms(&self) -> impl Iterator<Item = (&[String], bool)> + '_ {
        self.terms.iter().map(|t| (t.words.as_slice(), t.prefix))
    }

    /// BM25 (k1 = 1.2, b = 0.75, as FTS5), negated like FTS5's rank so lower is better.
    /// `idf[i]` belongs to term `i`; `avg_len` is the mean quote length in words.
    pub fn bm25(&self, text: &Words, idf: &[f64], avg_len: f64) -> f64 {
        let tf = self
            .terms
            .iter()
            .map(|t| Matcher::occurrences(t, text) as u32);
        bm25_counts(text.len() as u32, tf, idf, avg_len)
    }
}

/// BM25 of [`Matcher::bm25`] from counts: the text's length in words and each term's
/// occurrences (in the order of the query's terms), however they were counted — in memory, or
/// by the full-text index for a match it is on (`ftscounts`). One formula for both, so that a
/// quote scores the same bits whichever way it was reached.
pub fn bm25_counts(len: u32, tf: impl Iterator<Item = u32>, idf: &[f64], avg_len: f64) -> f64 {
    let len = f64::from(len);
    let mut s = 0.0;
    for (tf, idf) in tf.zip(idf) {
        let tf = f64::from(tf);
        s += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / avg_len.max(1.0)));
    }
    -s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_the_index() {
        let t = Words::of("“Don’t stop,” said Zürich’s MAYOR — in the end.");
        assert_eq!(
            words("“Don’t stop,” said Zürich’s"),
            ["don", "t", "stop", "said", "zurich", "s"]
        );
        assert_eq!(t.len(), 10);
        assert!(Matcher::new("zurich mayor").matches(&t));
        assert!(Matcher::new("\"in the end\"").matches(&t));
        assert!(!Matcher::new("\"the in\"").matches(&t));
        assert!(Matcher::new("may*").matches(&t));
        assert!(Matcher::new("don t").matches(&t));
        assert!(!Matcher::new("mayors").matches(&t));
        assert!(!Matcher::new("?!").matches(&t));
        let m = Matcher::new("end");
        assert!(m.bm25(&t, &[1.0], 10.0) < 0.0);
    }
}
