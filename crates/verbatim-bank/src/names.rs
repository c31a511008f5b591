//! Speaker names: from whatever string the extractor gives ("Mr. Obama", "President Barack
//! Obama", "Clinton's spokesman Brian Fallon", "he") to a normalised [`Name`], and the name
//! evidence a document gives ([`DocNames`]) for linking a bare surname to a full name.
//!
//! The rules work on any string, so they keep working (and link more) as the engine's speaker
//! resolution gets better:
//!
//! * A name is the run of capitalised words that ends a phrase (before a comma, bracket or
//!   dash): "Bernie Sanders, the Vermont senator" → Bernie Sanders; "the Clinton campaign" and
//!   "Clinton's aides" end in a common noun, so they are not names.
//! * Titles and sentence-initial words are stripped from the front: Mr, Mrs, Ms, Dr,
//!   President, Sen., Rep., Gov., Secretary of State, House Speaker, … and The, But, Unlike,
//!   Telling, Several, …; so is a group word before a name of two words or more ("Senators
//!   Mitch McConnell"). An honorific inside a run starts the name ("Plan B. Mr. Obama" →
//!   Obama), and so does any title followed by two words of name ("Homeland Security
//!   Secretary Jeh Johnson", "Polk County GOP Chairman Will Rogers"). The office written
//!   before a name is kept as its [`Name::role`] ("President Obama" → `president`).
//! * A title-case headline is not a name: more than five words, a verb of saying inside
//!   ("Obama Says Museum Will Tell"), or a capitalised preposition inside ("CNN President On
//!   Trump"). In a document's text a line break ends a name.
//! * Possessives are dropped ("Obama's" → Obama); initials are kept ("George W. Bush" has the
//!   key `george w bush`, a different person from `george bush`); Jr./Sr./II/III are kept.
//! * An organisation's name, a run ending in a noun such as Department, Party or Committee
//!   ("State Department", "Department of Homeland Security"), is kept whole, title words
//!   included, and no bare word links to it; alone, such a noun is not a name.
//! * Pronouns, descriptions ("a source", "officials"), plural groups ("Republicans"), days
//!   and months ("a poll released Monday") and several people joined by "and" are not names.

use crate::dates::{MONTHS, WEEKDAYS};
use std::collections::HashMap;

/// A normalised speaker name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// Lowercase tokens joined by single spaces, dots dropped: `george w bush`. The identity of
    /// a speaker entity.
    pub key: String,
    /// The name as written, titles and possessive removed: `George W. Bush`.
    pub display: String,
    /// The key's last token that is not a suffix (Jr, Sr, II, …): `bush`; for an
    /// organisation, the whole key (see [`Name::is_org`]).
    pub surname: String,
    /// The first token, when the name has more than one (a given name or initial).
    pub first: Option<String>,
    /// The office written just before the name, normalised (see [`ROLES`]): `president` for
    /// "former President Bill Clinton" and "President Obama", `vice president`, `secretary`
    /// for "Secretary of State John Kerry"; also `mr`, `mrs` and `ms` (for Miss too).
    pub role: Option<String>,
}

impl Name {
    /// True for a full name (given name(s) and surname), false for a single word.
    pub fn is_full(&self) -> bool {
        self.first.is_some()
    }

    /// True for an organisation's name ("State Department"), whose surname is its whole key:
    /// no bare word is linked to it, by surname or by first word.
    pub fn is_org(&self) -> bool {
        self.surname.contains(' ')
    }
}

const TITLES: &[&str] = &[
    "pres",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "president",
    "vice",
    "former",
    "sen",
    "senator",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "lt",
    "lieutenant",
    "secretary",
    "sec",
    "attorney",
    "general",
    "gen",
    "judge",
    "justice",
    "chief",
    "mayor",
    "speaker",
    "leader",
    "majority",
    "minority",
    "whip",
    "chairman",
    "staff",
    "advocate",
    "committeeman",
    "committeewoman",
    "correspondent",
    "sheikh",
    "emir",
    "chairwoman",
    "chair",
    "ambassador",
    "minister",
    "prime",
    "deputy",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "rev",
    "reverend",
    "father",
    "sir",
    "dame",
    "lord",
    "lady",
    "candidate",
    "nominee",
    "democrat",
    "democratic",
    "republican",
    "gop",
    "independent",
    "adm",
    "admiral",
    "col",
    "colonel",
    "capt",
    "captain",
    "maj",
    "major",
    "sgt",
    "sergeant",
    "commissioner",
    "director",
    "pastor",
    "rabbi",
    "imam",
    "bishop",
    "cardinal",
    "coach",
    "officer",
    "detective",
    "agent",
    "us",
    "u s",
    "house",
    "senate",
    "state",
    "defense",
    "defence",
    "homeland",
    "treasury",
    "foreign",
    "interior",
    "labor",
    "commerce",
    "presidential",
    "ceo",
    "spokesman",
    "spokeswoman",
    "sheriff",
    "councilman",
    "councilwoman",
    "assemblyman",
    "assemblywoman",
    "delegate",
    "sens",
    "reps",
    "first",
    "hon",
    "honourable",
    "honorable",
    "st",
    "gens",
    "premier",
    "president-elect",
];

const STOP_START: &[&str] = &[
    // What a title stripped from inside a run may leave: "Chief of Staff Rahm Emanuel".
    "of",
    "the",
    "a",
    "an",
    "but",
    "and",
    "so",
    "yet",
    "or",
    "while",
    "when",
    "after",
    "before",
    "if",
    "as",
    "in",
    "on",
    "at",
    "for",
    "with",
    "meanwhile",
    "however",
    "also",
    "even",
    "still",
    "then",
    "now",
    "today",
    "yesterday",
    "last",
    "this",
    "that",
    "these",
    "those",
    "unlike",
    "like",
    "both",
    "asked",
    "according",
    "because",
    "since",
    "although",
    "though",
    "instead",
    "indeed",
    "later",
    "earlier",
    "here",
    "there",
    "where",
    "why",
    "how",
    "what",
    "said",
    "says",
    "told",
    "telling",
    "asking",
    "several",
    "many",
    "some",
    "most",
    "few",
    "all",
    "interestingly",
    "newly",
    "only",
    "notably",
    "separately",
    "similarly",
    "additionally",
    "ultimately",
    "finally",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "speaking",
    "writing",
    "dear",
    "oh",
    "well",
    "yes",
    "no",
];

/// Plural nouns for groups of people: never a name, alone or at the end of a run ("Several
/// Democrats", "Wyoming Republicans", "Many Millennials").
const GROUPS: &[&str] = &[
    "officials",
    "sources",
    "experts",
    "critics",
    "analysts",
    "aides",
    "voters",
    "supporters",
    "opponents",
    "residents",
    "witnesses",
    "investigators",
    "prosecutors",
    "lawmakers",
    "legislators",
    "scientists",
    "researchers",
    "observers",
    "republicans",
    "democrats",
    "americans",
    "authorities",
    "reporters",
    "conservatives",
    "liberals",
    "progressives",
    "leaders",
    "members",
    "activists",
    "protesters",
    "mexicans",
    "respondents",
    "participants",
    "candidates",
    "economists",
    "politicians",
    "pollsters",
    "strategists",
    "historians",
    "scholars",
    "investors",
    "companies",
    "immigrants",
    "officers",
    "delegates",
    "demonstrators",
    "organizers",
    "proponents",
    "insiders",
    "allies",
    "friends",
    "millennials",
    "hispanics",
    "latinos",
    "europeans",
    "palestinians",
    "israelis",
    "russians",
    "germans",
    "saudis",
    "iranians",
    "muslims",
    "christians",
    "catholics",
    "evangelicals",
    "donors",
    "students",
    "parents",
    "veterans",
    "citizens",
    "doctors",
    "senators",
    "representatives",
    "governors",
    "congressmen",
    "mayors",
    "ministers",
];

/// Words that are never a name on their own (pronouns, vague sources).
const NOT_NAMES: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "who",
    "whom",
    "one",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "nobody",
    "anyone",
    "his",
    "her",
    "their",
    "our",
    "my",
    "its",
    "some",
    "many",
    "most",
    "others",
    "other",
    "another",
    "all",
    "both",
    "several",
    "few",
    "official",
    "source",
    "aide",
    "police",
    "people",
    "president",
    "senator",
    "governor",
    "secretary",
    "spokesman",
    "spokeswoman",
    "campaign",
    "administration",
    "government",
    "poll",
    "polls",
    "survey",
    "study",
    "report",
    "reports",
    "statement",
    "documents",
    "data",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "madam",
];

/// Nouns that end an organisation's name: "State Department", "Democratic National Committee",
/// "Department of Homeland Security". Such a name is indivisible: the title words in it are
/// not stripped (else "State Department" and "Justice Department" would both be
/// "Department", and the Democratic and Republican National Committees one speaker), and its
/// last word is not a surname to link a bare word to. Alone, the word is not a name. ("Court"
/// is left out: Margaret Court.)
const ORG_HEADS: &[&str] = &[
    "department",
    "party",
    "committee",
    "council",
    "commission",
    "center",
    "centers",
    "centre",
    "agency",
    "bureau",
    "office",
    "institute",
    "foundation",
    "association",
    "union",
    "university",
    "college",
    "board",
    "ministry",
    "administration",
    "caucus",
    "coalition",
    "federation",
    "league",
    "network",
    "service",
    "corporation",
    "company",
    "group",
    "authority",
    "assembly",
    "consulate",
    "embassy",
    "organization",
    "organisation",
    "society",
    "fund",
    "bank",
    "conference",
    "alliance",
    "division",
    "museum",
    "senate",
    "campaign",
    "poll",
    "survey",
];

/// What links an organisation's head to the rest of its name: "Department of Homeland
/// Security", "Committee on Foreign Relations", "Centers for Disease Control".
const ORG_LINKS: &[&str] = &["of", "on", "for"];

/// Transcript labels and vague words that the extractor's speaker span may end with ("Q:",
/// "a poll released at 10 EST"), never a speaker's name; days and months are not names either
/// (see [`is_date_word`]).
const NOT_NAMES_ALONE: &[&str] = &[
    "est",
    "edt",
    "gmt",
    "none",
    "nothing",
    "not",
    "much",
    "q",
    "transcript",
    "video",
    "photos",
    "photo",
    "watch",
    "update",
    "hours",
    "findings",
    "analysis",
    "statistics",
    "projections",
    "comparison",
    "stories",
    "emails",
    "research",
    "hundreds",
    "thousands",
    "millions",
    "dozens",
];

/// Offices that tell people of one surname apart ("President Obama" is not Michelle Obama),
/// each with its normal form: abbreviations spelt out, synonyms made one.
const ROLES: &[(&str, &str)] = &[
    ("president", "president"),
    ("pres", "president"),
    ("secretary", "secretary"),
    ("sec", "secretary"),
    ("senator", "senator"),
    ("sen", "senator"),
    ("representative", "representative"),
    ("rep", "representative"),
    ("congressman", "representative"),
    ("congresswoman", "representative"),
    ("governor", "governor"),
    ("gov", "governor"),
    ("mayor", "mayor"),
    ("speaker", "speaker"),
    ("leader", "leader"),
    ("chairman", "chair"),
    ("chairwoman", "chair"),
    ("chair", "chair"),
    ("ambassador", "ambassador"),
    ("minister", "minister"),
    ("chancellor", "chancellor"),
    ("king", "king"),
    ("queen", "queen"),
    ("prince", "prince"),
    ("princess", "princess"),
    ("pope", "pope"),
    ("judge", "judge"),
    ("justice", "justice"),
    ("general", "general"),
    ("gen", "general"),
    ("director", "director"),
    ("commissioner", "commissioner"),
    ("nominee", "nominee"),
    ("candidate", "candidate"),
    ("sheriff", "sheriff"),
    ("lady", "lady"),
    // Not offices, but they tell a document's "Mrs. Obama" from its "President Obama".
    ("mr", "mr"),
    ("mrs", "mrs"),
    ("ms", "ms"),
    ("miss", "ms"),
];

/// Words that make an office another one: "Vice President", "Attorney General", "First
/// Lady", "Prime Minister", "Lt. Gov.", "Secretary General", "Deputy Director".
const ROLE_PREFIXES: &[&str] = &[
    "vice",
    "attorney",
    "first",
    "prime",
    "lt",
    "lieutenant",
    "secretary",
    "surgeon",
    "inspector",
    "deputy",
    "assistant",
];

/// The office among the title words just before `toks[first]` (the name's first word): the
/// nearest one, walking back over title words and "of" ("Secretary of State John Kerry").
fn role_before(toks: &[Tok], first: usize) -> Option<String> {
    let mut i = first;
    while i > 0 {
        i -= 1;
        let k = toks[i].key.as_str();
        // "the President's spokesman Josh Earnest" is not the president.
        if toks[i].possessive {
            return None;
        }
        if let Some(&(_, role)) = ROLES.iter().find(|(w, _)| *w == k) {
            let prefix = i
                .checked_sub(1)
                .map(|j| toks[j].key.as_str())
                .filter(|p| is_in(ROLE_PREFIXES, p));
            return Some(match prefix {
                Some("lt" | "lieutenant") => format!("lieutenant {role}"),
                Some(p) => format!("{p} {role}"),
                None => role.to_string(),
            });
        }
        if !(is_in(TITLES, k) || k == "of" || k == "the") {
            return None;
        }
    }
    None
}

/// A day or a month ("a poll released Monday"), but not May: Theresa May.
fn is_date_word(w: &str) -> bool {
    WEEKDAYS.contains(&w) || w != "may" && MONTHS.contains(&w)
}

const PARTICLES: &[&str] = &[
    "van", "von", "de", "del", "della", "da", "di", "du", "la", "le", "bin", "al", "ter", "den",
    "der", "dos", "das", "y", "ibn", "abu",
];

const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "v"];

const PREPOSITIONS: &[&str] = &[
    "for", "of", "to", "by", "with", "from", "at", "on", "in", "about", "against", "like", "than",
    "behind", "near", "under", "over", "after", "before", "toward", "towards", "among", "between",
    "into", "via", "and", "or", "nor", "versus", "vs",
];

fn is_in(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// [`is_in`] for `w` lower-cased (the lists are lower-case), without a copy when `w` is ASCII.
fn is_in_lower(list: &[&str], w: &str) -> bool {
    if w.is_ascii() {
        list.iter().any(|x| x.eq_ignore_ascii_case(w))
    } else {
        is_in(list, &w.to_lowercase())
    }
}

/// Lowercase, dots removed, curly apostrophes made straight: the key form of one token.
/// A word as keys have it: lowercase, without dots or Latin diacritics ("Díaz" and "Diaz",
/// written both ways by different outlets, are one key), curly apostrophes straightened.
fn key_token(t: &str) -> String {
    t.chars()
        .filter(|&c| c != '.')
        .map(|c| {
            if c == '\u{2019}' || c == '\u{2018}' {
                '\''
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .map(crate::textmatch::fold)
        .collect()
}

/// A key made by an older build (before diacritics were folded) as this one makes it.
pub fn fold_key(key: &str) -> String {
    key.chars().map(crate::textmatch::fold).collect()
}

fn is_capitalised(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
}

/// One word of a phrase, with what it needs for the rules.
#[derive(Clone, Debug)]
struct Tok<'a> {
    text: &'a str,
    key: String,
    cap: bool,
    possessive: bool,
}

/// The apostrophes of possessives: straight, and both curly ones (a left one is a common slip).
const APOSTROPHES: [char; 3] = ['\'', '\u{2019}', '\u{2018}'];

fn strip_possessive(t: &str) -> (&str, bool) {
    if let Some(s) = t
        .strip_suffix(['s', 'S'])
        .and_then(|s| s.strip_suffix(APOSTROPHES))
    {
        if !s.is_empty() {
            return (s, true);
        }
    }
    if let Some(s) = t.strip_suffix(APOSTROPHES) {
        if s.ends_with('s') && !s.is_empty() {
            return (s, true);
        }
    }
    (t, false)
}

fn tokens(phrase: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    for raw in phrase.split_whitespace() {
        let t = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
        let t = t.trim_end_matches(|c: char| {
            !(c.is_alphanumeric() || c == '.' || APOSTROPHES.contains(&c))
        });
        let (t, possessive) = strip_possessive(t);
        let t = t.trim_end_matches(APOSTROPHES);
        // "Obama." at the end of a sentence; keep the dot of "W.", "Jr.", "U.S.".
        let t = match t.strip_suffix('.') {
            Some(s) if s.chars().count() > 3 && !s.contains('.') => s,
            _ => t,
        };
        if t.is_empty() || !t.chars().any(char::is_alphanumeric) {
            continue;
        }
        // "H.W." → two initials.
        let acronym = matches!(key_token(t).as_str(), "us" | "uk" | "un" | "eu");
        let pieces: Vec<&str> = if !acronym && t.len() <= 6 && t.matches('.').count() >= 2 {
            t.split_inclusive('.').filter(|p| *p != ".").collect()
        } else {
            vec![t]
        };
        let n = pieces.len();
        for (i, p) in pieces.into_iter().enumerate() {
            out.push(Tok {
                text: p,
                key: key_token(p),
                cap: is_capitalised(p),
                possessive: possessive && i + 1 == n,
            });
        }
    }
    out
}

/// The word before `toks[i]`, past one "the": the preposition of "for the State Department".
fn before_the(toks: &[Tok], i: usize) -> Option<usize> {
    match i.checked_sub(1) {
        Some(j) if toks[j].key == "the" => j.checked_sub(1),
        j => j,
    }
}

/// Moves `start` back over "Head of (the)" when the run at `start` continues an
/// organisation's name ("Department of the Treasury", "Committee on Foreign Relations"),
/// and over the capitalised words before the head ("U.S. Department of Education").
fn extends_org(toks: &[Tok], start: &mut usize, last: usize) -> bool {
    // A longer run after the link goes on into a person's name: "the Council of Economic
    // Advisers Jason Furman".
    if last + 1 - *start > 3 {
        return false;
    }
    let link = before_the(toks, *start);
    let Some(l) = link.filter(|&l| l > 0 && is_in(ORG_LINKS, &toks[l].key)) else {
        return false;
    };
    let head = &toks[l - 1];
    if !(head.cap && is_in(ORG_HEADS, &head.key)) {
        return false;
    }
    *start = l - 1;
    while *start > 0 && toks[*start - 1].cap && !toks[*start - 1].possessive {
        *start -= 1;
    }
    true
}

/// The name a phrase ends with, if any (see the module docs).
fn name_of_phrase(phrase: &str) -> Option<Name> {
    let toks = tokens(phrase);
    if toks.is_empty() {
        return None;
    }
    // Several people: "Hillary Clinton and Donald Trump".
    if toks
        .iter()
        .any(|t| matches!(t.key.as_str(), "and" | "&" | "or"))
    {
        return None;
    }
    let last = toks.len() - 1;
    if !toks[last].cap {
        return None;
    }
    // Walk back over the capitalised run (particles allowed inside it).
    let mut start = last;
    while start > 0 {
        let prev = &toks[start - 1];
        if prev.possessive {
            // "Clinton's spokesman Brian Fallon": the run starts after the possessive.
            break;
        }
        if prev.cap || (is_in(PARTICLES, &prev.key) && toks[start].cap) {
            start -= 1;
        } else {
            break;
        }
    }
    // An organisation's name may go on after its head, "Department of (the) Homeland
    // Security": the run then starts back at the head. Not when a title inside the run
    // introduces a person: "Department of Homeland Security Secretary Jeh Johnson".
    let mut org = is_in(ORG_HEADS, &toks[last].key);
    let titled =
        (start + 1..last).any(|i| is_in(TITLES, &toks[i].key) && name_words(&toks[i + 1..]) >= 2);
    while !titled && extends_org(&toks, &mut start, last) {
        org = true;
    }
    // A run inside a possessive phrase followed by a lowercase word is handled above (the
    // last token must be capitalised). A run that is the object of a preposition is not the
    // speaker: "a spokesman for Hillary Clinton", "an adviser to President Obama", "Amy
    // Glasmeier of the Massachusetts Institute of Technology" — unless "of" joins it to a
    // title of office ("Secretary of State John Kerry", "Secretary of the Treasury Jack Lew"),
    // or "by" or "from" makes it the source ("an analysis by the Pew Research Center").
    let before = before_the(&toks, start);
    if let Some(p) = before {
        let key = toks[p].key.as_str();
        // ("A senator from Texas" is not Texas, nor "a Democrat from Illinois" Illinois.)
        let source = matches!(key, "by" | "from")
            && !p
                .checked_sub(1)
                .is_some_and(|q| is_in(TITLES, &toks[q].key) || is_in(GROUPS, &toks[q].key));
        if is_in(PREPOSITIONS, key) && !source && !(key == "of" && is_in(TITLES, &toks[start].key))
        {
            return None;
        }
    }
    // An organisation's own "Of" may be capitalised: "Bank Of America".
    org = org
        || !titled
            && (start + 1..last)
                .any(|i| is_in(ORG_LINKS, &toks[i].key) && is_in(ORG_HEADS, &toks[i - 1].key));
    // Otherwise a preposition with a capital inside the run is a headline in title case
    // ("Reporting On Carson", "CNN President On Trump"), unless a title follows it, which
    // starts the name: "White House Chief Of Staff Rahm Emanuel". (A surname may be one: Al
    // From.)
    if let Some(i) = (start + 1..last).rev().find(|&i| {
        let t = &toks[i];
        t.cap && is_in(PREPOSITIONS, &t.key) && !(org && is_in(ORG_LINKS, &t.key))
    }) {
        if !is_in(TITLES, &toks[i + 1].key) {
            return None;
        }
        start = i + 1;
    }
    let mut run: Vec<&Tok> = toks[start..].iter().collect();
    if org {
        return org_name(run);
    }
    // An honorific inside the run starts the name: "Plan B. Mr. Obama" is two sentences, and
    // only "Obama" is the name. So does any title followed by two words of name or more
    // ("Polk County GOP Chairman Will Rogers", "Homeland Security Secretary Jeh Johnson"),
    // but not one followed by a single word, which may be part of the name ("Mark Judge",
    // "Martin Luther King Jr.").
    let named_after = |i: usize| name_words(run[i + 1..].iter().copied());
    if let Some(i) = (1..run.len()).rev().find(|&i| {
        let k = &run[i].key;
        (is_in(HONORIFICS, k) && named_after(i) >= 1) || (is_in(TITLES, k) && named_after(i) >= 2)
    }) {
        run.drain(..i);
    }
    // Strip titles and sentence-initial words from the front, keeping at least one token.
    // A group before a name is not part of it ("Senators Mitch McConnell"), but before a
    // single word it is an organisation's name ("Citizens United", "Veterans Affairs").
    while run.len() > 1
        && (is_in(TITLES, &run[0].key)
            || is_in(STOP_START, &run[0].key)
            || run.len() > 2 && is_in(GROUPS, &run[0].key))
    {
        run.remove(0);
    }
    // "of" inside a title ("Secretary of State") was not part of the run; titles may also
    // leave a lone title word: "Mr. President".
    let keys: Vec<&str> = run.iter().map(|t| t.key.as_str()).collect();
    let core: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| !is_in(SUFFIXES, k))
        .collect();
    // A headline in title case is not a name: "Obama Says Museum Will Tell". Names have a few
    // words, and none but the last (Edward Said) is a verb of saying.
    if name_words(run.iter().copied()) > MAX_NAME_WORDS
        || core[..core.len().saturating_sub(1)]
            .iter()
            .any(|k| is_in(SAYING, k))
    {
        return None;
    }
    let surname = core.last()?.to_string();
    if is_in(GROUPS, &surname) {
        return None;
    }
    if core.len() == 1
        && ([NOT_NAMES, NOT_NAMES_ALONE, TITLES, ORG_HEADS]
            .iter()
            .any(|list| is_in(list, &surname))
            || is_date_word(&surname))
    {
        return None;
    }
    if !surname.chars().any(char::is_alphabetic) {
        return None;
    }
    let display = run.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
    let first = (core.len() > 1).then(|| core[0].to_string());
    // Only words were taken off the run's front: the name starts here in `toks`.
    let role = role_before(&toks, toks.len() - run.len());
    Some(Name {
        key: keys.join(" "),
        display,
        surname,
        first,
        role,
    })
}

/// An organisation's name from its run of words (see [`ORG_HEADS`]): only sentence words are
/// stripped from its front ("The", "His"), and its whole key is its surname, so that no bare
/// word ("Department", "Security") links to it.
fn org_name(mut run: Vec<&Tok>) -> Option<Name> {
    while run.len() > 1 && is_in(STOP_START, &run[0].key) {
        run.remove(0);
    }
    let words = run
        .iter()
        .filter(|t| !is_in(ORG_LINKS, &t.key) && t.key != "the")
        .count();
    if run.len() < 2 || words > MAX_NAME_WORDS {
        return None;
    }
    let keys: Vec<&str> = run.iter().map(|t| t.key.as_str()).collect();
    if keys[..keys.len() - 1].iter().any(|k| is_in(SAYING, k)) {
        return None;
    }
    let key = keys.join(" ");
    Some(Name {
        display: run.iter().map(|t| t.text).collect::<Vec<_>>().join(" "),
        surname: key.clone(),
        first: Some(keys[0].to_string()),
        key,
        role: None,
    })
}

/// The words of a name among `toks`: not suffixes (Jr., III) nor particles (bin, al, de).
fn name_words<'a>(toks: impl IntoIterator<Item = &'a Tok<'a>>) -> usize {
    toks.into_iter()
        .filter(|t| !is_in(SUFFIXES, &t.key) && !is_in(PARTICLES, &t.key))
        .count()
}

/// Parse a speaker string into a [`Name`]; `None` when it is not a person's or organisation's
/// name (a pronoun, a description, several people).
pub fn parse_name(raw: &str) -> Option<Name> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 300 || !raw.chars().any(char::is_uppercase) {
        return None;
    }
    raw.split([
        ',', '(', ')', '[', ']', ';', ':', '\u{2014}', '\u{2013}', '"', '\u{201C}', '\u{201D}',
    ])
    .find_map(name_of_phrase)
}

/// The title or office a quote's source span writes before a bare surname ("Mr. Obama",
/// "President Obama"), or the office a source that is only an office names ("The
/// president", "the first lady"): evidence of who a bare surname is that the speaker's name
/// alone (the engine's "Obama") no longer carries. `None` for a full name.
pub fn title_of_source(source: &str, name: &Name) -> Option<String> {
    if name.is_full() || name.is_org() || name.role.is_some() {
        return None;
    }
    if let Some(n) = parse_name(source) {
        return if n.surname == name.surname && !n.is_full() {
            n.role
        } else {
            None
        };
    }
    let words: Vec<&str> = source.split_whitespace().collect();
    let rest = match words.as_slice() {
        [the, rest @ ..] if the.eq_ignore_ascii_case("the") => rest,
        all => all,
    };
    match rest {
        [w] => lower_role(["", w]),
        [a, b] => lower_role([a, b]),
        _ => None,
    }
}

/// A full name's key without its middle names and initials (`hillary rodham clinton` →
/// `hillary clinton`, `george h w bush` → `george bush`); `None` when it has none. Suffixes
/// (Jr, III) are kept.
pub fn without_middle(key: &str) -> Option<String> {
    let toks: Vec<&str> = key.split(' ').collect();
    let surname = toks.iter().rposition(|t| !is_in(SUFFIXES, t))?;
    // "Maria de la Cruz" and "Ludwig van Beethoven": the particle is part of the surname.
    const PARTICLES: &[&str] = &[
        "de", "la", "del", "della", "di", "da", "du", "des", "van", "von", "der", "den", "ter",
        "le", "bin", "ibn", "al", "el", "ben", "dos", "das", "st",
    ];
    if surname < 2 || toks[1..surname].iter().any(|t| PARTICLES.contains(t)) {
        return None;
    }
    let kept: Vec<&str> = std::iter::once(toks[0])
        .chain(toks[surname..].iter().copied())
        .collect();
    Some(kept.join(" "))
}

/// A key with each run of one repeated letter written once (`hillary clinton` and `hilary
/// clinton` → `hilary clinton`): the commonest misspelling of a name.
pub fn without_doubles(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if !(c.is_alphabetic() && out.ends_with(c)) {
            out.push(c);
        }
    }
    out
}

/// The key an alias file line is matched on: the parsed name's key, or failing that the
/// lowercased text ("POTUS" → `potus`).
pub fn alias_key(alias: &str) -> String {
    match parse_name(alias) {
        Some(n) => n.key,
        None => plain_key(alias),
    }
}

/// [`alias_key`] of text that [`parse_name`] does not take for a name: its words as keys.
pub fn plain_key(text: &str) -> String {
    text.split_whitespace()
        .map(key_token)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One full name a document mentions, and how it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The parsed name.
    pub name: Name,
    /// How many times the full name occurs.
    pub count: u32,
    /// Index of its first occurrence among the document's full-name mentions.
    pub first_seen: u32,
    /// The offices written before it in the document ("President Barack Obama"), each once.
    pub roles: Vec<String>,
}

/// The full names (two tokens or more) a document mentions, by surname and by first name:
/// the document's own evidence for linking "Obama" or "Hillary" to a full name.
#[derive(Clone, Debug, Default)]
pub struct DocNames {
    mentions: Vec<Mention>,
    by_surname: HashMap<String, Vec<usize>>,
    by_first: HashMap<String, Vec<usize>>,
    /// Offices written before a bare surname ("President Obama"), by surname, each once.
    bare_roles: HashMap<String, Vec<String>>,
}

/// The most words a name has, suffixes aside ("Martin Luther King Jr." has 3, "Lily Eskelsen
/// García" 3); a longer capitalised run is a title-case headline or a list.
const MAX_NAME_WORDS: usize = 5;

/// Verbs of saying, which a headline in title case puts after its speaker ("Obama Says …").
const SAYING: &[&str] = &[
    "says", "said", "tells", "told", "asks", "warns", "vows", "urges", "claims", "insists",
];

/// Titles that only ever precede a name, so that one inside a run of capitalised words starts
/// the name ("Plan B. Mr. Obama" → Obama). Words that are also surnames or parts of names
/// (Judge, General, Bishop) are not here.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
];

/// The office two lowercase words end with, written just before a name ("former
/// president", "first lady"); nothing when punctuation parts them from the name.
fn lower_role(words: [&str; 2]) -> Option<String> {
    // Most runs follow no office: look the word up before tokenizing anything. (The office
    // must be the last word: "chairman of Bear Stearns" is no office of Bear Stearns.)
    let last = words[1].trim_start_matches(|c: char| !c.is_alphanumeric());
    if !last.ends_with(char::is_alphanumeric)
        || !ROLES.iter().any(|(w, _)| w.eq_ignore_ascii_case(last))
    {
        return None;
    }
    let phrase = words.join(" ");
    let toks = tokens(&phrase);
    role_before(&toks, toks.len())
}

/// Tokens ending in '.' that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.", "gen.", "lt.", "col.", "capt.", "sgt.",
    "adm.", "maj.", "rev.", "jr.", "sr.", "st.", "prof.", "sec.", "u.s.", "hon.",
];

impl DocNames {
    /// Scan a document's text (and add the full names among its quotes' speakers).
    pub fn scan<'a>(text: &str, speakers: impl IntoIterator<Item = &'a str>) -> DocNames {
        let mut d = DocNames::default();
        let mut run: Vec<&str> = Vec::new();
        // The two lowercase words before the run: an office written in lowercase ("former
        // president George H.W. Bush", "first lady Michelle Obama").
        let mut lower: [&str; 2] = ["", ""];
        let mut before: [&str; 2] = ["", ""];
        let flush = |run: &mut Vec<&str>, before: [&str; 2], d: &mut DocNames| {
            if !run.is_empty() {
                let written = lower_role(before);
                if run.len() >= 2 || written.is_some() {
                    if let Some(mut n) = name_of_phrase(&run.join(" ")) {
                        if n.role.is_none() && !n.is_org() {
                            n.role = written;
                        }
                        d.add(n);
                    }
                }
            }
            run.clear();
        };
        // A line ends a name: a headline's last word and the next paragraph's first are not
        // one ("… Reporting On Carson" / "CNN was quick …").
        let words = text.lines().flat_map(|line| {
            line.split_whitespace()
                .map(Some)
                .chain(std::iter::once(None))
        });
        for word in words {
            let Some(word) = word else {
                flush(&mut run, before, &mut d);
                lower = ["", ""];
                continue;
            };
            let core = word.trim_start_matches(|c: char| !c.is_alphanumeric());
            let cap = core.chars().next().is_some_and(char::is_uppercase);
            let particle = !run.is_empty() && is_in_lower(PARTICLES, core);
            let marked = word.len() != core.len();
            if !(cap || particle) || marked && !run.is_empty() {
                // Lowercase word, or punctuation before the word (a quote mark, bracket).
                flush(&mut run, before, &mut d);
                if !(cap || particle) {
                    lower = [lower[1], word];
                    continue;
                }
            }
            if run.is_empty() {
                before = if marked { ["", ""] } else { lower };
                lower = ["", ""];
            }
            run.push(word);
            // "W." and "H.W." are initials, not the end of a sentence.
            let initial = core.len() <= 6
                && core.ends_with('.')
                && core
                    .split('.')
                    .filter(|p| !p.is_empty())
                    .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase));
            let abbrev = initial || is_in_lower(ABBREVIATIONS, core);
            // The punctuation after the word, all of it: "China,''" (a comma inside a
            // closing quote) ends a phrase as "China," does.
            let tail = &word[word.trim_end_matches(|c: char| !c.is_alphanumeric()).len()..];
            let ends = tail.contains([',', ';', ':', '!', '?', ')', '"', '\u{201D}'])
                || (tail.contains('.') && !abbrev)
                || word
                    .strip_suffix('s')
                    .is_some_and(|w| w.ends_with(APOSTROPHES));
            if ends {
                flush(&mut run, before, &mut d);
            }
        }
        flush(&mut run, before, &mut d);
        for s in speakers {
            if let Some(n) = parse_name(s) {
                d.add(n);
            }
        }
        d
    }

    /// Adds a full name as a mention, and a bare one's office ("President Obama") only.
    fn add(&mut self, name: Name) {
        fn note(roles: &mut Vec<String>, role: Option<&String>) {
            if let Some(r) = role.filter(|r| !roles.contains(r)) {
                roles.push(r.clone());
            }
        }
        if !name.is_full() {
            if name.role.is_some() {
                let roles = self.bare_roles.entry(name.surname.clone()).or_default();
                note(roles, name.role.as_ref());
            }
            return;
        }
        if let Some(&i) = self
            .by_surname
            .get(&name.surname)
            .and_then(|v| v.iter().find(|&&i| self.mentions[i].name.key == name.key))
        {
            let m = &mut self.mentions[i];
            m.count += 1;
            note(&mut m.roles, name.role.as_ref());
            return;
        }
        let i = self.mentions.len();
        self.by_surname
            .entry(name.surname.clone())
            .or_default()
            .push(i);
        if let Some(f) = name.first.as_ref().filter(|_| !name.is_org()) {
            if f.chars().count() > 1 {
                self.by_first.entry(f.clone()).or_default().push(i);
            }
        }
        let roles = name.role.iter().cloned().collect();
        self.mentions.push(Mention {
            name,
            count: 1,
            first_seen: i as u32,
            roles,
        });
    }

    /// The offices the document writes before a bare surname ("President Obama").
    pub fn bare_roles(&self, surname: &str) -> &[String] {
        self.bare_roles.get(surname).map_or(&[], Vec::as_slice)
    }

    /// The full names the document mentions with this surname.
    pub fn with_surname(&self, surname: &str) -> impl Iterator<Item = &Mention> {
        self.by_surname
            .get(surname)
            .into_iter()
            .flatten()
            .map(|&i| &self.mentions[i])
    }

    /// Every full name mentioned.
    pub fn mentions(&self) -> &[Mention] {
        &self.mentions
    }

    /// The full name a bare surname refers to in this document (see [`Resolution`]).
    pub fn by_surname(&self, surname: &str) -> Resolution<'_> {
        self.decide(self.by_surname.get(surname))
    }

    /// The full name a bare given name ("Hillary") refers to in this document.
    pub fn by_first(&self, first: &str) -> Resolution<'_> {
        self.decide(self.by_first.get(first))
    }

    /// One candidate → it. Several → the one the document introduces first, if it is also
    /// mentioned at least twice as often as any other; otherwise ambiguous.
    fn decide(&self, cands: Option<&Vec<usize>>) -> Resolution<'_> {
        let Some(c) = cands else {
            return Resolution::None;
        };
        match c.as_slice() {
            [] => Resolution::None,
            [one] => Resolution::One(&self.mentions[*one].name),
            many => {
                let m: Vec<&Mention> = many.iter().map(|&i| &self.mentions[i]).collect();
                let first = m.iter().min_by_key(|x| x.first_seen).copied();
                match first {
                    Some(f)
                        if m.iter()
                            .all(|o| o.name.key == f.name.key || f.count >= 2 * o.count) =>
                    {
                        Resolution::One(&f.name)
                    }
                    _ => Resolution::Ambiguous,
                }
            }
        }
    }
}

/// What a document says a bare name refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// No full name with that surname (or given name) in the document.
    None,
    /// This one.
    One(&'a Name),
    /// Several, none dominant: the document does not say which.
    Ambiguous,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Option<String> {
        parse_name(s).map(|n| n.key)
    }

    #[test]
    fn a_source_gives_a_bare_surname_its_title() {
        let obama = parse_name("Obama").unwrap();
        let t = |src: &str| title_of_source(src, &obama);
        assert_eq!(t("Mr. Obama").as_deref(), Some("mr"));
        assert_eq!(t("Mrs. Obama").as_deref(), Some("mrs"));
        assert_eq!(t("President Obama").as_deref(), Some("president"));
        assert_eq!(t("The president").as_deref(), Some("president"));
        assert_eq!(t("the first lady").as_deref(), Some("first lady"));
        // Another person, a description, or a full name: nothing.
        assert_eq!(t("Mr. Biden"), None);
        assert_eq!(t("Obama"), None);
        assert_eq!(t("The president's spokesman"), None);
        assert_eq!(t("aides to the president"), None);
        let full = parse_name("Barack Obama").unwrap();
        assert_eq!(title_of_source("President Obama", &full), None);
    }

    #[test]
    fn names_and_non_names() {
        assert_eq!(key("Mr Obama").as_deref(), Some("obama"));
        assert_eq!(key("Mr. Obama's").as_deref(), Some("obama"));
        assert_eq!(
            key("President Barack Obama").as_deref(),
            Some("barack obama")
        );
        assert_eq!(key("George W. Bush").as_deref(), Some("george w bush"));
        assert_eq!(key("George H.W. Bush").as_deref(), Some("george h w bush"));
        assert_eq!(key("Sen. Ted Cruz (R-Texas)").as_deref(), Some("ted cruz"));
        assert_eq!(
            key("Bernie Sanders, the Vermont senator").as_deref(),
            Some("bernie sanders")
        );
        assert_eq!(
            key("Secretary of State John Kerry").as_deref(),
            Some("john kerry")
        );
        assert_eq!(key("House Speaker Paul Ryan").as_deref(), Some("paul ryan"));
        assert_eq!(
            key("Clinton's spokesman Brian Fallon").as_deref(),
            Some("brian fallon")
        );
        assert_eq!(key("Donald Trump Jr.").as_deref(), Some("donald trump jr"));
        assert_eq!(parse_name("Donald Trump Jr.").unwrap().surname, "trump");
        assert_eq!(key("Ban Ki-moon").as_deref(), Some("ban ki-moon"));
        assert_eq!(key("New York Times").as_deref(), Some("new york times"));
        assert_eq!(key("Jorge Castañeda").as_deref(), Some("jorge castaneda"));
        assert_eq!(key("Beto O’Rourke").as_deref(), Some("beto o'rourke"));
        for not in [
            "he",
            "He",
            "a source",
            "Officials",
            "the Clinton campaign",
            "Clinton's aides",
            "Hillary Clinton and Donald Trump",
            "a spokesman for Hillary Clinton",
            "Mr. President",
            "Republicans",
            "",
            "   ",
            "they said",
        ] {
            assert_eq!(key(not), None, "{not:?}");
        }
    }

    #[test]
    fn document_evidence() {
        let text = "President Barack Obama met Dmitry Medvedev. Mr Obama said little. \
                    Bill Clinton and Hillary Clinton arrived; George W. Bush did not.";
        let d = DocNames::scan(text, []);
        let keys: Vec<&str> = d.mentions().iter().map(|m| m.name.key.as_str()).collect();
        assert!(keys.contains(&"barack obama"), "{keys:?}");
        assert!(keys.contains(&"dmitry medvedev"), "{keys:?}");
        assert!(keys.contains(&"george w bush"), "{keys:?}");
        assert!(matches!(d.by_surname("obama"), Resolution::One(n) if n.key == "barack obama"));
        // The offices written before names: a full one's, and a bare surname's.
        let barack = d.with_surname("obama").next().unwrap();
        assert_eq!(barack.roles, ["president"]);
        assert_eq!(d.bare_roles("obama"), ["mr"]);
        assert!(d.bare_roles("medvedev").is_empty());
        let role = |s: &str| parse_name(s).and_then(|n| n.role);
        assert_eq!(
            role("Vice President Joe Biden").as_deref(),
            Some("vice president")
        );
        assert_eq!(
            role("Secretary of State John Kerry").as_deref(),
            Some("secretary")
        );
        assert_eq!(role("Sen. Ted Cruz").as_deref(), Some("senator"));
        assert_eq!(
            role("Lt. Gov. Dan Patrick").as_deref(),
            Some("lieutenant governor")
        );
        assert_eq!(role("Miss Smith").as_deref(), Some("ms"));
        assert_eq!(role("Barack Obama"), None);
        assert_eq!(
            role("Speaker of the House Paul Ryan").as_deref(),
            Some("speaker")
        );
        assert_eq!(
            role("U.N. Secretary General Ban Ki-moon").as_deref(),
            Some("secretary general")
        );
        // The president's spokesman is not the president.
        assert_eq!(role("the President's spokesman Josh Earnest"), None);
        // An office in lowercase, written before a name in the text.
        let lc = DocNames::scan(
            "Earlier, former president George H.W. Bush wrote. Then first lady Michelle Obama and the president Obama, and the president, Biden.",
            [],
        );
        let roles: Vec<(&str, &[String])> = lc
            .mentions()
            .iter()
            .map(|m| (m.name.key.as_str(), m.roles.as_slice()))
            .collect();
        assert_eq!(
            roles,
            [
                ("george h w bush", &["president".to_string()][..]),
                ("michelle obama", &["first lady".to_string()][..]),
            ]
        );
        assert_eq!(lc.bare_roles("obama"), ["president"]);
        assert!(lc.bare_roles("biden").is_empty());
        let of = DocNames::scan(
            "He is the chairman of Bear Stearns and the mayor of Fort Pierce.",
            [],
        );
        assert!(of.mentions().iter().all(|m| m.roles.is_empty()));
        assert_eq!(d.by_surname("clinton"), Resolution::Ambiguous);
        assert_eq!(d.by_surname("putin"), Resolution::None);
        assert!(matches!(d.by_first("hillary"), Resolution::One(n) if n.key == "hillary clinton"));
    }

    #[test]
    fn middle_names_and_initials_come_off() {
        let w = |k: &str| without_middle(k);
        assert_eq!(w("donald j trump").as_deref(), Some("donald trump"));
        assert_eq!(w("george h w bush").as_deref(), Some("george bush"));
        assert_eq!(w("joseph r biden jr").as_deref(), Some("joseph biden jr"));
        assert_eq!(w("vladimir v putin").as_deref(), Some("vladimir putin"));
        assert_eq!(
            w("hillary rodham clinton").as_deref(),
            Some("hillary clinton")
        );
        assert_eq!(
            w("martin luther king jr").as_deref(),
            Some("martin king jr")
        );
        for none in ["donald trump", "j trump", "obama", "a b", "donald trump jr"] {
            assert_eq!(w(none), None, "{none}");
        }
        assert_eq!(without_doubles("hillary clinton"), "hilary clinton");
        assert_eq!(without_doubles("hilary clinton"), "hilary clinton");
    }

    /// Runs of capitalised words that are not one name: two sentences, a headline, a long
    /// title before the name.
    #[test]
    fn a_name_is_not_a_headline_or_two_sentences() {
        for (phrase, name) in [
            ("Plan B. Mr. Obama", Some("obama")),
            ("Is President Obama", Some("obama")),
            ("Polk County GOP Chairman Will Rogers", Some("will rogers")),
            (
                "White House Chief of Staff Rahm Emanuel",
                Some("rahm emanuel"),
            ),
            ("Obama Says African-American Museum Will Tell", None),
            ("Woman Reveals Stunning Thing Trump Did To Her", None),
            // Title words that are names, in a name of ordinary length, stay.
            ("Will Smith", Some("will smith")),
            ("Mark Judge", Some("mark judge")),
            ("Attorney General Loretta Lynch", Some("loretta lynch")),
            ("Martin Luther King Jr.", Some("martin luther king jr")),
            (
                "The Rev. Martin Luther King Jr.",
                Some("martin luther king jr"),
            ),
            (
                "U.S. Rep. Sanford D. Bishop Jr.",
                Some("sanford d bishop jr"),
            ),
            ("Edward Said", Some("edward said")),
            (
                "Sheikh Tamim bin Hamad Al Thani",
                Some("tamim bin hamad al thani"),
            ),
            (
                "New York City Public Advocate Trish James",
                Some("trish james"),
            ),
        ] {
            assert_eq!(key(phrase).as_deref(), name, "{phrase:?}");
        }
        // A comma inside a closing quote ends the phrase; so does a full stop after markup.
        let d = DocNames::scan(
            "the world thanked China,'' Mr. Lou Jiwei told reporters. meanwhile DJPz</tweet>.\n\nMSNBC Live, for one",
            [],
        );
        let keys: Vec<&str> = d.mentions().iter().map(|m| m.name.key.as_str()).collect();
        assert_eq!(keys, ["lou jiwei", "msnbc live"]);
    }

    /// An organisation keeps the title words of its name, and no bare word links to it.
    #[test]
    fn an_organisation_is_one_name() {
        for (phrase, name) in [
            ("State Department", Some("state department")),
            ("the Justice Department", Some("justice department")),
            ("His Treasury Department", Some("treasury department")),
            (
                "Democratic National Committee",
                Some("democratic national committee"),
            ),
            ("Republican Party", Some("republican party")),
            ("St. Paul City Council", Some("st paul city council")),
            (
                "Department of Homeland Security",
                Some("department of homeland security"),
            ),
            (
                "Department of the Treasury",
                Some("department of the treasury"),
            ),
            ("University of Chicago", Some("university of chicago")),
            // A title inside introduces a person.
            (
                "Department of Homeland Security Secretary Jeh Johnson",
                Some("jeh johnson"),
            ),
            (
                "Homeland Security Secretary Jeh Johnson",
                Some("jeh johnson"),
            ),
            ("FBI Director James B. Comey", Some("james b comey")),
            (
                "Justice Department spokesman Peter Carr",
                Some("peter carr"),
            ),
            ("Margaret Court", Some("margaret court")),
            ("Theresa May", Some("theresa may")),
            ("May", Some("may")),
            // Alone, an organisation's head, a day or a month is not a name.
            ("Department", None),
            ("Center", None),
            ("Monmouth poll out Monday", None),
            ("a poll released in March", None),
            ("Q", None),
            // Groups, and words that start a sentence rather than a name.
            ("Several Democrats", None),
            ("Wyoming Republicans", None),
            ("Many Millennials", None),
            ("Some Germans", None),
            ("Telling Jeb Bush", Some("jeb bush")),
            ("Interestingly Blocher", Some("blocher")),
            ("United Auto Workers", Some("united auto workers")),
            ("Bank Of America", Some("bank of america")),
            // A headline in title case.
            ("Network's Reporting On Carson CNN", None),
            ("Ask Obama About Hillary Clinton", None),
            ("Al From", Some("al from")),
            // Of an organisation, or after a preposition: not the speaker.
            ("top adviser for President Obama", None),
            (
                "Amy Glasmeier of the Massachusetts Institute of Technology",
                None,
            ),
            ("a spokesman for the Department of Homeland Security", None),
            (
                "chair of the Council of Economic Advisers Jason Furman",
                None,
            ),
            ("Secretary of the Treasury Jack Lew", Some("jack lew")),
            (
                "an analysis by the Pew Research Center",
                Some("pew research center"),
            ),
            ("a statement from Hillary Clinton", Some("hillary clinton")),
            ("the senator from New York", None),
            ("a Democrat from Illinois", None),
            ("a senator from Texas, Ted Cruz", Some("ted cruz")),
            ("Several Senators", None),
            ("Senators Mitch McConnell", Some("mitch mcconnell")),
            ("Citizens United", Some("citizens united")),
            (
                "Massachusetts Institute of Technology",
                Some("massachusetts institute of technology"),
            ),
            ("CNN President On Trump", None),
            (
                "former White House Chief Of Staff Rahm Emanuel",
                Some("rahm emanuel"),
            ),
        ] {
            assert_eq!(key(phrase).as_deref(), name, "{phrase:?}");
        }
        let dept = parse_name("State Department").unwrap();
        assert!(dept.is_full() && dept.is_org());
        assert!(!parse_name("Barack Obama").unwrap().is_org());
        // A surname that is also an institution's word stays a person's.
        assert!(!parse_name("Margaret Court").unwrap().is_org());
        assert!(parse_name("Holocaust Memorial Museum").unwrap().is_org());
        // Neither "Department" nor "State" is evidence for the State Department in a
        // document, and the FBI is not its director.
        let d = DocNames::scan(
            "The State Department said so. FBI Director James Comey agreed.",
            [],
        );
        assert_eq!(d.by_surname("department"), Resolution::None);
        assert_eq!(d.by_first("state"), Resolution::None);
        assert_eq!(d.by_first("fbi"), Resolution::None);
        assert!(matches!(d.by_surname("comey"), Resolution::One(n) if n.key == "james comey"));
        // A line break ends a name.
        let d = DocNames::scan(
            "A Profile Of Ben Carson\nCNN Pushed Back.\nJane Roe spoke.",
            [],
        );
        let keys: Vec<&str> = d.mentions().iter().map(|m| m.name.key.as_str()).collect();
        assert_eq!(keys, ["cnn pushed back", "jane roe"]);
    }
}
