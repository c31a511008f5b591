//! Word lists compiled into the engine: abbreviations, speech and cognition cues, titles and
//! honorifics, pronouns. They are evidence for the statistical models (features), and the
//! vocabulary of the rule-based parts (sentence ends, speaker names).

pub mod wordnet;

/// Binary search of embedded text with one key a line, lines sorted by key, each key followed
/// by a value of `value_len` bytes: the value of the line whose key `cmp` finds equal (`cmp`
/// orders the sought key against a line's key). Nothing is parsed or allocated.
pub(crate) fn find_line(
    data: &str,
    value_len: usize,
    cmp: impl Fn(&[u8]) -> std::cmp::Ordering,
) -> Option<&[u8]> {
    let bytes = data.as_bytes();
    // `lo` and `hi` are always line starts (or the end); each step drops at least one line.
    let (mut lo, mut hi) = (0usize, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes[lo..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(lo, |p| lo + p + 1);
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| start + p);
        let line = &bytes[start..end];
        if line.len() <= value_len {
            return None; // malformed data; never happens with the generated files
        }
        let (key, value) = line.split_at(line.len() - value_len);
        match cmp(key) {
            std::cmp::Ordering::Equal => return Some(value),
            std::cmp::Ordering::Less => hi = start,
            std::cmp::Ordering::Greater => lo = end + 1,
        }
    }
    None
}

/// Abbreviations that take a period without ending a sentence (lower-cased, without the period).
const ABBREVIATIONS: &[&str] = &[
    "a.m", "adm", "al", "ala", "amb", "approx", "apr", "ariz", "ark", "assn", "aug", "ave", "blvd",
    "bros", "calif", "capt", "cmdr", "co", "col", "colo", "conn", "corp", "d.c", "dec", "del",
    "dept", "det", "dr", "e.g", "etc", "feb", "fig", "fla", "fri", "ft", "ga", "gen", "gov", "hon",
    "i.e", "ill", "inc", "ind", "insp", "jan", "jr", "jul", "jun", "kan", "kans", "ky", "la",
    "llc", "lt", "ltd", "maj", "mar", "mass", "md", "messrs", "mich", "minn", "miss", "mmes", "mo",
    "mon", "mont", "mr", "mrs", "ms", "mt", "neb", "nev", "no", "nos", "nov", "oct", "okla", "ore",
    "p.m", "pa", "pres", "prof", "rd", "rep", "reps", "rev", "sat", "sec", "sen", "sep", "sept",
    "sgt", "sr", "st", "sun", "supt", "tenn", "tex", "thu", "thur", "thurs", "tue", "tues", "u.k",
    "u.n", "u.s", "univ", "va", "vol", "vs", "vt", "wash", "wed", "wis", "wyo",
];

/// True when `word` (without its period) is a known abbreviation.
pub fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ABBREVIATIONS.binary_search(&lower.as_str()).is_ok()
}

/// True when `word` starts like a month name ("Mar", "March", "Sept."), in any case.
pub fn is_month_prefix(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .any(|m| w.starts_with(m))
}

/// Abbreviations that are almost never the last word of a sentence (titles before a name).
pub fn is_title_abbreviation(word: &str) -> bool {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "sen"
            | "rep"
            | "gov"
            | "gen"
            | "lt"
            | "col"
            | "capt"
            | "sgt"
            | "adm"
            | "rev"
            | "hon"
            | "st"
            | "messrs"
    )
}

/// Verbs (lemmas) that report speech, writing, thought or perception: the usual cues.
const CUE_LEMMAS: &[&str] = &[
    "according",
    "accuse",
    "acknowledge",
    "add",
    "admit",
    "advise",
    "agree",
    "allege",
    "announce",
    "answer",
    "argue",
    "ask",
    "assert",
    "assume",
    "assure",
    "attack",
    "begin",
    "believe",
    "blame",
    "blast",
    "boast",
    "brag",
    "brand",
    "call",
    "caution",
    "chant",
    "characterize",
    "charge",
    "claim",
    "comment",
    "complain",
    "concede",
    "conclude",
    "concur",
    "confirm",
    "consider",
    "contend",
    "continue",
    "counter",
    "criticise",
    "criticize",
    "cry",
    "decide",
    "declare",
    "decline",
    "defend",
    "demand",
    "deny",
    "describe",
    "disagree",
    "disclose",
    "discuss",
    "dismiss",
    "doubt",
    "dub",
    "echo",
    "emphasise",
    "emphasize",
    "endorse",
    "estimate",
    "expect",
    "explain",
    "fear",
    "feel",
    "find",
    "frame",
    "guess",
    "hate",
    "hear",
    "hint",
    "hope",
    "imply",
    "indicate",
    "inform",
    "insinuate",
    "insist",
    "intend",
    "joke",
    "know",
    "label",
    "lament",
    "like",
    "love",
    "maintain",
    "mention",
    "mock",
    "muse",
    "mutter",
    "note",
    "notify",
    "observe",
    "oppose",
    "paint",
    "pitch",
    "plan",
    "pledge",
    "point",
    "portray",
    "post",
    "praise",
    "predict",
    "prefer",
    "promise",
    "propose",
    "push",
    "question",
    "quip",
    "read",
    "realize",
    "recall",
    "recognize",
    "recommend",
    "refuse",
    "reiterate",
    "reject",
    "remark",
    "remember",
    "remind",
    "repeat",
    "reply",
    "report",
    "respond",
    "retort",
    "reveal",
    "rip",
    "say",
    "scream",
    "seek",
    "shout",
    "show",
    "signal",
    "slam",
    "speak",
    "state",
    "stress",
    "suggest",
    "support",
    "suppose",
    "suspect",
    "swear",
    "talk",
    "tell",
    "term",
    "testify",
    "think",
    "threaten",
    "tout",
    "try",
    "tweet",
    "understand",
    "urge",
    "vent",
    "vow",
    "want",
    "warn",
    "whisper",
    "wonder",
    "worry",
    "write",
    "yell",
];

/// True when `lemma` (lower case) is a known cue lemma.
pub fn is_cue_lemma(lemma: &str) -> bool {
    CUE_LEMMAS.binary_search(&lemma).is_ok()
}

/// A rough lemma for English verbs and nouns: enough to look words up in the lists above.
pub fn lemma(lower: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let irregular = match lower {
        "said" | "says" => "say",
        "told" | "tells" => "tell",
        "wrote" | "written" | "writes" => "write",
        "thought" => "think",
        "knew" | "known" => "know",
        "spoke" | "spoken" => "speak",
        "heard" => "hear",
        "felt" => "feel",
        "found" => "find",
        "swore" | "sworn" => "swear",
        "began" | "begun" => "begin",
        "understood" => "understand",
        "sought" => "seek",
        "shown" => "show",
        "read" => "read",
        "is" | "are" | "was" | "were" | "been" | "am" | "be" | "'s" | "’s" => "be",
        "has" | "had" | "have" => "have",
        "did" | "does" | "done" => "do",
        _ => "",
    };
    if !irregular.is_empty() {
        return Cow::Borrowed(irregular);
    }
    for (suf, rep) in [("ies", "y"), ("ied", "y"), ("ying", "y")] {
        if let Some(stem) = lower.strip_suffix(suf) {
            if stem.len() >= 2 {
                return Cow::Owned(format!("{stem}{rep}"));
            }
        }
    }
    for suf in ["ing", "ed", "es", "s"] {
        if let Some(stem) = lower.strip_suffix(suf) {
            if stem.len() < 3 || (suf == "s" && stem.ends_with('s')) {
                continue;
            }
            let cand = Cow::Owned(stem.to_string());
            if is_cue_lemma(&cand) {
                return cand;
            }
            let with_e = format!("{stem}e");
            if is_cue_lemma(&with_e) {
                return Cow::Owned(with_e);
            }
            // doubled consonant: admitted → admit
            let mut last = stem.chars().rev();
            let (a, b) = (last.next(), last.next());
            if stem.len() >= 4 && a.is_some_and(|c| c.is_ascii()) && a == b {
                let undoubled = &stem[..stem.len() - 1];
                if is_cue_lemma(undoubled) {
                    return Cow::Owned(undoubled.to_string());
                }
            }
            if suf == "s" || suf == "es" {
                return cand;
            }
        }
    }
    Cow::Borrowed(lower)
}

/// Verbs of manner that report a remark after it in features and profiles (`"It was awful,"
/// she laughs.`), lower case, every form: rare in political news, so the cue tagger misses them.
pub fn is_manner_of_speaking(lower: &str) -> bool {
    let stem = lower
        .strip_suffix("ed")
        .or_else(|| lower.strip_suffix("es"))
        .or_else(|| lower.strip_suffix('s'))
        .or_else(|| lower.strip_suffix('d'))
        .unwrap_or(lower);
    matches!(
        stem,
        "laugh"
            | "sigh"
            | "smil"
            | "smile"
            | "grin"
            | "grinn"
            | "chuckl"
            | "chuckle"
            | "shrug"
            | "shrugg"
            | "nod"
            | "nodd"
            | "beam"
            | "giggl"
            | "giggle"
            | "snort"
            | "scoff"
            | "snap"
            | "snapp"
            | "gush"
            | "murmur"
            | "mumbl"
            | "mumble"
            | "groan"
            | "winc"
            | "wince"
            | "sob"
            | "sobb"
            | "enthus"
            | "enthuse"
            | "marvel"
            | "teas"
            | "tease"
            | "press"
            | "persist"
            | "interject"
            | "retort"
            | "quip"
            | "quipp"
            | "whisper"
            | "exclaim"
            | "mus"
            | "muse"
    )
}

/// Possessive determiners, lower case: "his", "her", "its", "their", "our", "my", "your".
pub fn is_possessive_determiner(lower: &str) -> bool {
    matches!(
        lower,
        "his" | "her" | "its" | "their" | "our" | "my" | "your"
    )
}

/// Nouns for things said: "starting the exchange with", "ended his speech with".
pub fn is_speech_noun(lower: &str) -> bool {
    matches!(
        lower,
        "exchange"
            | "words"
            | "word"
            | "remark"
            | "remarks"
            | "comment"
            | "comments"
            | "message"
            | "statement"
            | "greeting"
            | "question"
            | "reply"
            | "answer"
            | "conversation"
            | "line"
            | "lines"
            | "phrase"
            | "slogan"
            | "tweet"
            | "speech"
            | "address"
            | "toast"
            | "joke"
            | "quip"
            | "retort"
            | "response"
            | "chant"
            | "plea"
            | "promise"
            | "vow"
            | "warning"
    )
}

/// Titles and role words that precede a name ("President", "Sen.", "deputy", "adviser").
const TITLES: &[&str] = &[
    "acting",
    "adm",
    "admiral",
    "adviser",
    "advisor",
    "ambassador",
    "assistant",
    "attorney",
    "brother",
    "candidate",
    "capt",
    "captain",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "col",
    "colonel",
    "commissioner",
    "congressman",
    "congresswoman",
    "dame",
    "democrat",
    "democratic",
    "deputy",
    "detective",
    "director",
    "dr",
    "father",
    "former",
    "gen",
    "general",
    "gop",
    "gov",
    "governor",
    "judge",
    "justice",
    "king",
    "lady",
    "leader",
    "lord",
    "lt",
    "mayor",
    "minister",
    "miss",
    "mr",
    "mrs",
    "ms",
    "nominee",
    "officer",
    "pope",
    "president",
    "presidential",
    "prime",
    "prince",
    "princess",
    "prof",
    "professor",
    "queen",
    "rep",
    "representative",
    "republican",
    "rev",
    "reverend",
    "secretary",
    "sen",
    "senator",
    "sergeant",
    "sgt",
    "sheriff",
    "sir",
    "sister",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "vice",
];

/// True when `lower` is a title or role word that can precede a name.
pub fn is_title(lower: &str) -> bool {
    TITLES.binary_search(&lower.trim_end_matches('.')).is_ok()
}

/// Personal pronouns that can stand for a speaker, with their class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pronoun {
    /// he, him, his
    Masculine,
    /// she, her, hers
    Feminine,
    /// they, them, their
    Plural,
    /// it, its
    Neuter,
    /// I, we, you: speaker-relative, resolved only inside quotations
    Deictic,
}

/// The class of a personal pronoun, if `lower` is one.
pub fn pronoun(lower: &str) -> Option<Pronoun> {
    Some(match lower {
        "he" | "him" | "his" | "himself" => Pronoun::Masculine,
        "she" | "her" | "hers" | "herself" => Pronoun::Feminine,
        "they" | "them" | "their" | "theirs" | "themselves" => Pronoun::Plural,
        "it" | "its" | "itself" => Pronoun::Neuter,
        "i" | "me" | "my" | "we" | "us" | "our" | "you" | "your" => Pronoun::Deictic,
        _ => return None,
    })
}

/// Lowercase, with the diacritics of Latin letters removed ("é" → "e", "Ş" → "s"), as SQLite's
/// full-text tokenizer (`unicode61 remove_diacritics 2`) folds them: the quote bank's search
/// keys and in-memory matching rely on the two agreeing. Other characters are only lowercased.
pub fn fold_latin(c: char) -> char {
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

#[cfg(test)]
mod tests {
    #[test]
    fn manner_of_speaking_verbs_in_every_form() {
        for w in [
            "laughs", "laughed", "laugh", "sighs", "smiled", "smiles", "grinned", "shrugs",
        ] {
            assert!(super::is_manner_of_speaking(w), "{w}");
        }
        for w in ["walks", "said", "lives", "runs", "smelled", "node"] {
            assert!(!super::is_manner_of_speaking(w), "{w}");
        }
    }

    use super::*;

    #[test]
    fn lemma_never_splits_a_character() {
        // Found by fuzzing: a doubled multi-byte character before a suffix.
        for w in ["eｽｽing", "ééed", "aａａs", "ｽs", "ing", "s"] {
            let _ = lemma(w);
        }
        assert_eq!(lemma("admitted"), "admit");
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [ABBREVIATIONS, CUE_LEMMAS, TITLES] {
            assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "{:?}",
                list.windows(2).find(|w| w[0] >= w[1])
            );
        }
    }

    #[test]
    fn lemmas_of_cue_verbs() {
        for (w, l) in [
            ("said", "say"),
            ("claims", "claim"),
            ("argued", "argue"),
            ("replied", "reply"),
            ("admitted", "admit"),
            ("describing", "describe"),
            ("noting", "note"),
            ("tweeted", "tweet"),
        ] {
            assert_eq!(lemma(w), l, "{w}");
            assert!(is_cue_lemma(&lemma(w)), "{w}");
        }
        assert!(!is_cue_lemma(&lemma("election")));
    }

    #[test]
    fn abbreviations_and_titles() {
        assert!(is_abbreviation("Mr") && is_abbreviation("Jan") && !is_abbreviation("Obama"));
        assert!(!is_title("President") && is_title("president") && is_title("sen."));
        assert_eq!(pronoun("she"), Some(Pronoun::Feminine));
    }
}
