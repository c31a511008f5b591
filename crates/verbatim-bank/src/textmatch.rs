//! In-memory matching of a search query against one quote's text, the way the full-text
//! index (FTS5 `unicode61 remove_diacritics 2`) would: words are runs of letters and digits,
//! lowercased, with the diacritics of Latin letters removed. Used when a search is driven from
//! a speaker's quotes rather than from the index (see `query::SPEAKER_DRIVEN_MAX`).

/// Lowercase, Latin diacritics removed.
fn fold(c: char) -> char {
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        c => c,
    }
}

/// The words of a text, folded.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().map(fold).collect())
        .collect()
}

/// One term of a query: a word or a phrase, maybe a prefix.
#[derive(Debug)]
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
                terms.push(Term { words: w, prefix });
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

    fn occurrences(t: &Term, text: &[String]) -> usize {
        let n = t.words.len();
        if n == 0 || text.len() < n {
            return 0;
        }
        text.windows(n)
            .filter(|w| {
                if t.prefix {
                    w[0].starts_with(&t.words[0])
                } else {
                    w.iter().zip(&t.words).all(|(a, b)| a == b)
                }
            })
            .count()
    }

    /// A quick test: false when some word of the query is not even a substring of the folded
    /// text (then [`Matcher::matches`] would be false too).
    pub fn may_match(&self, text: &str) -> bool {
        let folded: String = text.chars().map(fold).collect();
        self.terms
            .iter()
            .all(|t| t.words.iter().all(|w| folded.contains(w.as_str())))
    }

    /// Whether every term occurs in the text's words.
    pub fn matches(&self, text: &[String]) -> bool {
        !self.terms.is_empty() && self.terms.iter().all(|t| Matcher::occurrences(t, text) > 0)
    }

    /// The first word of each term (for document-frequency look-ups), `None` for prefixes.
    pub fn lead_words(&self) -> Vec<Option<&str>> {
        self.terms
            .iter()
            .map(|t| (!t.prefix).then(|| t.words[0].as_str()))
            .collect()
    }

    /// BM25 (k1 = 1.2, b = 0.75, as FTS5), negated like FTS5's rank so lower is better.
    /// `idf[i]` belongs to term `i`; `avg_len` is the mean quote length in words.
    pub fn bm25(&self, text: &[String], idf: &[f64], avg_len: f64) -> f64 {
        let len = text.len() as f64;
        let mut s = 0.0;
        for (t, idf) in self.terms.iter().zip(idf) {
            let tf = Matcher::occurrences(t, text) as f64;
            s += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / avg_len.max(1.0)));
        }
        -s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_like_the_index() {
        let t = words("“Don’t stop,” said Zürich’s MAYOR — in the end.");
        assert!(Matcher::new("zurich mayor").matches(&t));
        assert!(Matcher::new("\"in the end\"").matches(&t));
        assert!(!Matcher::new("\"the in\"").matches(&t));
        assert!(Matcher::new("may*").matches(&t));
        assert!(Matcher::new("don t").matches(&t));
        assert!(!Matcher::new("mayors").matches(&t));
        assert!(Matcher::new("zurich").may_match("Zürich’s"));
        assert!(!Matcher::new("geneva").may_match("Zürich’s"));
        assert!(!Matcher::new("?!").matches(&t));
        let m = Matcher::new("end");
        assert!(m.bm25(&t, &[1.0], 10.0) < 0.0);
    }
}
