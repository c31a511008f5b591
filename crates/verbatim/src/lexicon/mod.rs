//! Word lists compiled into the engine: abbreviations, speech and cognition cues, titles and
//! honorifics, pronouns. They are evidence for the statistical models (features), and the
//! vocabulary of the rule-based parts (sentence ends, speaker names).

/// Abbreviations that take a period without ending a sentence (lower-cased, without the period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "reps", "gov", "gen", "lt", "col", "maj",
    "capt", "sgt", "cmdr", "adm", "pres", "sec", "st", "jr", "sr", "rev", "hon", "amb", "supt",
    "det", "insp", "messrs", "mmes", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
    "sun", "inc", "corp", "co", "ltd", "llc", "dept", "univ", "assn", "bros", "vs", "etc", "al",
    "approx", "no", "nos", "vol", "ft", "mt", "ave", "blvd", "rd", "fig", "ala", "ariz", "ark",
    "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky", "la", "md",
    "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "tex",
    "va", "vt", "wash", "wis", "wyo", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "d.c",
];

/// True when `word` (without its period) is a known abbreviation.
pub fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
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
    "say",
    "tell",
    "add",
    "ask",
    "answer",
    "reply",
    "respond",
    "note",
    "explain",
    "state",
    "claim",
    "argue",
    "insist",
    "warn",
    "write",
    "tweet",
    "post",
    "announce",
    "declare",
    "describe",
    "suggest",
    "believe",
    "think",
    "know",
    "want",
    "hope",
    "fear",
    "expect",
    "predict",
    "promise",
    "pledge",
    "vow",
    "admit",
    "acknowledge",
    "concede",
    "deny",
    "confirm",
    "report",
    "reveal",
    "disclose",
    "recall",
    "remember",
    "call",
    "urge",
    "demand",
    "accuse",
    "charge",
    "allege",
    "contend",
    "assert",
    "maintain",
    "stress",
    "emphasize",
    "emphasise",
    "point",
    "observe",
    "remark",
    "comment",
    "joke",
    "quip",
    "boast",
    "brag",
    "complain",
    "lament",
    "criticize",
    "criticise",
    "praise",
    "agree",
    "disagree",
    "doubt",
    "question",
    "wonder",
    "estimate",
    "show",
    "find",
    "indicate",
    "conclude",
    "decide",
    "plan",
    "intend",
    "threaten",
    "propose",
    "recommend",
    "advise",
    "caution",
    "signal",
    "hint",
    "imply",
    "mention",
    "discuss",
    "reiterate",
    "repeat",
    "shout",
    "yell",
    "scream",
    "cry",
    "chant",
    "whisper",
    "mutter",
    "testify",
    "swear",
    "blame",
    "defend",
    "dismiss",
    "reject",
    "refuse",
    "decline",
    "characterize",
    "label",
    "dub",
    "feel",
    "worry",
    "understand",
    "realize",
    "recognize",
    "assume",
    "guess",
    "suppose",
    "suspect",
    "consider",
    "insinuate",
    "counter",
    "retort",
    "continue",
    "conclude",
    "begin",
    "tout",
    "pitch",
    "speak",
    "talk",
    "hear",
    "read",
    "according",
    "testify",
    "contend",
    "muse",
    "vent",
    "concur",
    "echo",
    "assure",
    "inform",
    "remind",
    "notify",
    "prefer",
    "like",
    "love",
    "hate",
    "seek",
    "try",
    "support",
    "oppose",
    "endorse",
    "slam",
    "blast",
    "attack",
    "mock",
    "rip",
    "push",
    "call",
    "label",
    "brand",
    "term",
    "dub",
    "describe",
    "portray",
    "paint",
    "frame",
];

/// True when `lemma` (lower case) is a known cue lemma.
pub fn is_cue_lemma(lemma: &str) -> bool {
    CUE_LEMMAS.contains(&lemma)
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
            let b = stem.as_bytes();
            if b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] {
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
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "chancellor",
    "secretary",
    "senator",
    "sen",
    "representative",
    "rep",
    "congressman",
    "congresswoman",
    "governor",
    "gov",
    "mayor",
    "judge",
    "justice",
    "general",
    "gen",
    "colonel",
    "captain",
    "admiral",
    "sergeant",
    "officer",
    "detective",
    "chief",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "rev",
    "reverend",
    "father",
    "sister",
    "brother",
    "speaker",
    "leader",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "ambassador",
    "adviser",
    "advisor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "candidate",
    "nominee",
    "deputy",
    "assistant",
    "attorney",
    "commissioner",
    "sheriff",
    "lt",
    "col",
    "capt",
    "adm",
    "sgt",
    "former",
    "acting",
    "presidential",
    "democratic",
    "republican",
    "gop",
    "democrat",
];

/// True when `lower` is a title or role word that can precede a name.
pub fn is_title(lower: &str) -> bool {
    TITLES.contains(&lower.trim_end_matches('.'))
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

#[cfg(test)]
mod tests {
    use super::*;

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
