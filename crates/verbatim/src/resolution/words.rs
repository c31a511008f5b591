//! Word lists and small word classifiers for resolution.
//!
//! Every list is merged at compile time into one sorted table of (word, flags): a word is
//! looked up once (one binary search) and [`crate::resolution::mentions::Ctx`] caches the
//! flags of every token, so the rules ask "is it a preposition, a title, a speech verb" for
//! free. Nothing here allocates: words are lower-cased into a stack buffer ([`Low`]).

use crate::tagging::pos::UPOS;

/// UPOS indices (see [`UPOS`]).
pub(crate) mod upos {
    pub const ADJ: u8 = 0;
    pub const ADP: u8 = 1;
    pub const ADV: u8 = 2;
    pub const AUX: u8 = 3;
    pub const DET: u8 = 5;
    pub const NOUN: u8 = 7;
    pub const NUM: u8 = 8;
    pub const PRON: u8 = 10;
    pub const PROPN: u8 = 11;
    pub const VERB: u8 = 15;
    pub const X: u8 = 16;
}

const _: () = assert!(UPOS.len() == 17);

/// An ASCII-lower-cased copy of a short word on the stack (curly apostrophes made straight).
/// Longer or non-ASCII words have no `Low`, which is fine: every list here is short ASCII.
pub(crate) struct Low {
    buf: [u8; 24],
    len: usize,
}

impl Low {
    /// Lower-case `word`; `None` when it is longer than 24 bytes or not ASCII (bar ’).
    pub(crate) fn new(word: &str) -> Option<Low> {
        let mut buf = [0u8; 24];
        let mut len = 0;
        for c in word.chars() {
            let b = match c {
                '’' | '‘' => b'\'',
                c if c.is_ascii() => c.to_ascii_lowercase() as u8,
                _ => return None,
            };
            if len == buf.len() {
                return None;
            }
            buf[len] = b;
            len += 1;
        }
        Some(Low { buf, len })
    }

    /// The lower-cased bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The lower-cased word.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII bytes were written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// Flag bits: the lists a word is in.
pub(crate) mod flag {
    /// In [`super::FUNCTION`].
    pub const FUNCTION: u32 = 1 << 0;
    /// In [`super::NEVER_NAMES`].
    pub const NEVER: u32 = 1 << 1;
    /// In [`super::COMMON_ACRONYMS`].
    pub const ACRONYM: u32 = 1 << 2;
    /// In [`super::PREPOSITIONS`].
    pub const PREP: u32 = 1 << 3;
    /// In [`super::VERBISH`].
    pub const VERBISH: u32 = 1 << 4;
    /// In [`super::SUBJECT_ADVERBS`].
    pub const SUBJ_ADV: u32 = 1 << 5;
    /// In [`super::SPEECH_VERBS`].
    pub const SPEECH: u32 = 1 << 6;
    /// In [`super::PERSON_ROLES`].
    pub const PERSON_ROLE: u32 = 1 << 7;
    /// In [`super::ORG_HEADS`].
    pub const ORG_HEAD: u32 = 1 << 8;
    /// In [`super::OF_HEADS`].
    pub const OF_HEAD: u32 = 1 << 9;
    /// In [`super::PLACES`].
    pub const PLACE: u32 = 1 << 10;
    /// In [`super::DEMONYMS`].
    pub const DEMONYM: u32 = 1 << 11;
    /// In [`super::ANIMATE_PLURALS`].
    pub const ANIMATE_PL: u32 = 1 << 12;
    /// In [`super::SPEAKING_THINGS`].
    pub const SPEAKING: u32 = 1 << 13;
    /// In [`super::PLACE_HEADS`].
    pub const PLACE_HEAD: u32 = 1 << 14;
    /// In [`super::THING_HEADS`].
    pub const THING_HEAD: u32 = 1 << 15;
    /// In [`super::TITLES`].
    pub const TITLE: u32 = 1 << 16;
    /// In [`super::ROLE_FEMALE`].
    pub const ROLE_F: u32 = 1 << 17;
    /// In [`super::ROLE_MALE`].
    pub const ROLE_M: u32 = 1 << 18;
    /// In [`super::GROUP_STEMS`].
    pub const GROUP_STEM: u32 = 1 << 19;
    /// In [`super::ARTICLES`].
    pub const ARTICLE: u32 = 1 << 20;
    /// In [`super::POSSESSIVE_DETS`].
    pub const POSS_DET: u32 = 1 << 21;
    /// In [`super::PRONOUNS`].
    pub const PRONOUN: u32 = 1 << 22;
    /// In [`super::ORG_KINDS`].
    pub const ORG_KIND: u32 = 1 << 23;
}

/// Function words: never part of a name, never a role noun; the left walk over a title phrase stops at them. Sorted.
const FUNCTION: &[&str] = &[
    "a",
    "about",
    "according",
    "across",
    "after",
    "against",
    "all",
    "along",
    "already",
    "also",
    "although",
    "am",
    "amid",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "besides",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "despite",
    "did",
    "do",
    "does",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "furthermore",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "including",
    "indeed",
    "instead",
    "into",
    "is",
    "it",
    "its",
    "just",
    "like",
    "many",
    "may",
    "maybe",
    "me",
    "meanwhile",
    "might",
    "more",
    "moreover",
    "most",
    "much",
    "must",
    "my",
    "neither",
    "never",
    "nevertheless",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "on",
    "once",
    "only",
    "onto",
    "or",
    "other",
    "otherwise",
    "our",
    "over",
    "per",
    "perhaps",
    "please",
    "said",
    "say",
    "says",
    "shall",
    "she",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "today",
    "told",
    "tomorrow",
    "tonight",
    "too",
    "toward",
    "towards",
    "under",
    "unlike",
    "until",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yes",
    "yesterday",
    "yet",
    "you",
    "your",
];

/// Capitalised words that are not names even mid-sentence: months, days, "I". Sorted.
const NEVER_NAMES: &[&str] = &[
    "april",
    "august",
    "december",
    "february",
    "friday",
    "i",
    "january",
    "july",
    "june",
    "march",
    "may",
    "monday",
    "november",
    "october",
    "saturday",
    "september",
    "sunday",
    "thursday",
    "tuesday",
    "wednesday",
];

/// All-capital words that are not organisations ("TV", "CEO", roman numerals). Sorted.
const COMMON_ACRONYMS: &[&str] = &[
    "aids", "am", "ar", "cd", "ceo", "cfo", "coo", "dna", "dvd", "er", "gdp", "gps", "hiv", "icu",
    "id", "ii", "iii", "iq", "iv", "lgbt", "mri", "ok", "pc", "phd", "pm", "ptsd", "rv", "suv",
    "tv", "vi", "vii", "vip",
];

/// Prepositions: a mention after one is inside a prepositional phrase; a source is cut at one after its head. Sorted.
const PREPOSITIONS: &[&str] = &[
    "about",
    "across",
    "after",
    "against",
    "along",
    "alongside",
    "amid",
    "among",
    "around",
    "at",
    "before",
    "behind",
    "beside",
    "besides",
    "between",
    "beyond",
    "by",
    "concerning",
    "despite",
    "during",
    "except",
    "for",
    "from",
    "in",
    "including",
    "inside",
    "into",
    "like",
    "near",
    "of",
    "off",
    "on",
    "onto",
    "outside",
    "over",
    "per",
    "regarding",
    "since",
    "than",
    "through",
    "throughout",
    "to",
    "toward",
    "towards",
    "under",
    "unlike",
    "until",
    "upon",
    "versus",
    "via",
    "with",
    "within",
    "without",
];

/// Auxiliaries and common finite verbs: after a mention they make it a clause subject. Sorted.
const VERBISH: &[&str] = &[
    "added",
    "adds",
    "admitted",
    "agreed",
    "am",
    "announced",
    "answered",
    "are",
    "argued",
    "asked",
    "asks",
    "became",
    "becomes",
    "began",
    "believed",
    "believes",
    "blamed",
    "called",
    "calls",
    "came",
    "can",
    "cannot",
    "claimed",
    "claims",
    "comes",
    "continued",
    "could",
    "declared",
    "denied",
    "denies",
    "described",
    "did",
    "does",
    "explained",
    "felt",
    "found",
    "gave",
    "get",
    "gets",
    "got",
    "had",
    "has",
    "have",
    "insisted",
    "is",
    "joked",
    "kept",
    "knew",
    "knows",
    "led",
    "left",
    "made",
    "makes",
    "may",
    "met",
    "might",
    "must",
    "noted",
    "notes",
    "plans",
    "pointed",
    "promised",
    "ran",
    "remains",
    "replied",
    "responded",
    "said",
    "sat",
    "saw",
    "say",
    "says",
    "seemed",
    "seems",
    "sees",
    "sent",
    "should",
    "spoke",
    "stated",
    "stressed",
    "suggested",
    "suggests",
    "takes",
    "testified",
    "thinks",
    "thought",
    "told",
    "took",
    "tweeted",
    "urged",
    "wants",
    "warned",
    "was",
    "went",
    "were",
    "will",
    "won",
    "would",
    "wrote",
];

/// Adverbs that may stand between a subject and its verb ("Mr Obama then said"). Sorted.
const SUBJECT_ADVERBS: &[&str] = &[
    "again",
    "already",
    "also",
    "finally",
    "first",
    "herself",
    "himself",
    "just",
    "later",
    "never",
    "now",
    "often",
    "once",
    "only",
    "previously",
    "recently",
    "repeatedly",
    "still",
    "then",
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
];

/// Inflected speech verbs: a mention next to one is (probably) a speaker. Sorted.
const SPEECH_VERBS: &[&str] = &[
    "acknowledged",
    "acknowledges",
    "add",
    "added",
    "adding",
    "adds",
    "admits",
    "admitted",
    "announced",
    "announces",
    "answered",
    "argued",
    "argues",
    "asked",
    "asks",
    "asserted",
    "asserts",
    "boasted",
    "claimed",
    "claims",
    "commented",
    "complained",
    "conceded",
    "concluded",
    "confirmed",
    "contended",
    "continued",
    "countered",
    "declared",
    "denied",
    "denies",
    "explained",
    "explains",
    "insisted",
    "insists",
    "joked",
    "noted",
    "notes",
    "observed",
    "posted",
    "recalled",
    "recalls",
    "remarked",
    "replied",
    "reported",
    "responded",
    "responds",
    "said",
    "say",
    "saying",
    "says",
    "stated",
    "states",
    "stressed",
    "suggested",
    "suggests",
    "tell",
    "telling",
    "tells",
    "testified",
    "told",
    "tweeted",
    "tweets",
    "urged",
    "warned",
    "warns",
    "writes",
    "wrote",
];

/// Nouns for people by role: heads of "the president", "the Republican nominee", words of title phrases. Sorted.
const PERSON_ROLES: &[&str] = &[
    "academic",
    "accountant",
    "activist",
    "actor",
    "actress",
    "adviser",
    "advisor",
    "aide",
    "ambassador",
    "analyst",
    "anchor",
    "artist",
    "assemblyman",
    "assemblywoman",
    "attorney",
    "author",
    "billionaire",
    "bishop",
    "boss",
    "businessman",
    "businesswoman",
    "candidate",
    "captain",
    "cardinal",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "challenger",
    "chancellor",
    "chief",
    "colonel",
    "columnist",
    "commander",
    "commentator",
    "commissioner",
    "comptroller",
    "congressman",
    "congresswoman",
    "constable",
    "consultant",
    "correspondent",
    "councillor",
    "councilman",
    "councilwoman",
    "counterpart",
    "dean",
    "defendant",
    "defender",
    "delegate",
    "democrat",
    "deputy",
    "detective",
    "developer",
    "diplomat",
    "director",
    "doctor",
    "economist",
    "editor",
    "emir",
    "engineer",
    "entrepreneur",
    "envoy",
    "executive",
    "expert",
    "firefighter",
    "founder",
    "general",
    "goalkeeper",
    "governor",
    "head",
    "historian",
    "homeowner",
    "host",
    "incumbent",
    "inspector",
    "investigator",
    "investor",
    "judge",
    "juror",
    "justice",
    "king",
    "lawmaker",
    "lawyer",
    "leader",
    "lecturer",
    "lieutenant",
    "lobbyist",
    "magnate",
    "manager",
    "mayor",
    "midfielder",
    "minister",
    "mogul",
    "musician",
    "negotiator",
    "neighbor",
    "neighbour",
    "nominee",
    "novelist",
    "nurse",
    "officer",
    "official",
    "operative",
    "owner",
    "paramedic",
    "passenger",
    "pastor",
    "pensioner",
    "physician",
    "pollster",
    "pope",
    "premier",
    "president",
    "president-elect",
    "presidents",
    "priest",
    "prince",
    "princess",
    "professor",
    "prosecutor",
    "protester",
    "queen",
    "rabbi",
    "representative",
    "republican",
    "researcher",
    "resident",
    "retiree",
    "rival",
    "ruler",
    "scientist",
    "secretary",
    "senator",
    "sergeant",
    "sheriff",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "star",
    "strategist",
    "striker",
    "superintendent",
    "surgeon",
    "surrogate",
    "survivor",
    "teacher",
    "tenant",
    "treasurer",
    "tycoon",
    "veteran",
    "victim",
    "volunteer",
    "witness",
    "worker",
];

/// Last words of organisation names ("White House", "Daily News", "Tax Policy Center"). Sorted.
const ORG_HEADS: &[&str] = &[
    "academy",
    "administration",
    "advertiser",
    "agency",
    "airlines",
    "alliance",
    "argus",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "bloomberg",
    "board",
    "breitbart",
    "bulletin",
    "bureau",
    "cabinet",
    "caller",
    "campaign",
    "caucus",
    "center",
    "centre",
    "chamber",
    "channel",
    "chronicle",
    "church",
    "club",
    "coalition",
    "college",
    "commission",
    "committee",
    "company",
    "conference",
    "congress",
    "convention",
    "corp",
    "corp.",
    "corporation",
    "council",
    "courier",
    "court",
    "department",
    "dispatch",
    "division",
    "echo",
    "enquirer",
    "examiner",
    "express",
    "fed",
    "federation",
    "force",
    "forum",
    "foundation",
    "fund",
    "gazette",
    "group",
    "guard",
    "herald",
    "holdings",
    "hospital",
    "house",
    "inc",
    "inc.",
    "initiative",
    "inquirer",
    "institute",
    "institution",
    "journal",
    "league",
    "ledger",
    "ltd",
    "magazine",
    "mail",
    "ministry",
    "mirror",
    "movement",
    "museum",
    "navy",
    "network",
    "news",
    "observer",
    "office",
    "organisation",
    "organization",
    "panel",
    "parliament",
    "partners",
    "party",
    "police",
    "politico",
    "post",
    "press",
    "program",
    "programme",
    "project",
    "radio",
    "report",
    "reserve",
    "reuters",
    "review",
    "school",
    "senate",
    "sentinel",
    "service",
    "services",
    "society",
    "staff",
    "star",
    "studios",
    "survey",
    "symposium",
    "telegraph",
    "television",
    "times",
    "tribunal",
    "tribune",
    "trust",
    "union",
    "university",
    "watch",
];

/// Words after which "of" continues a name ("Bank of America", "Secretary of State"). Sorted.
const OF_HEADS: &[&str] = &[
    "academy",
    "association",
    "bank",
    "board",
    "bureau",
    "chamber",
    "church",
    "college",
    "commission",
    "committee",
    "conference",
    "council",
    "court",
    "department",
    "federation",
    "house",
    "institute",
    "league",
    "ministry",
    "museum",
    "office",
    "republic",
    "school",
    "secretary",
    "society",
    "union",
    "university",
];

/// Places and nationality words (descriptors before titles, places as entities). Sorted.
const PLACES: &[&str] = &[
    "afghan",
    "afghanistan",
    "africa",
    "african",
    "alabama",
    "alaska",
    "america",
    "american",
    "arab",
    "arizona",
    "arkansas",
    "asia",
    "asian",
    "australia",
    "australian",
    "austria",
    "austrian",
    "belgian",
    "belgium",
    "berlin",
    "brazil",
    "brazilian",
    "britain",
    "british",
    "brussels",
    "california",
    "canada",
    "canadian",
    "chicago",
    "china",
    "chinese",
    "colorado",
    "connecticut",
    "cuba",
    "cuban",
    "dc",
    "delaware",
    "dutch",
    "egypt",
    "egyptian",
    "england",
    "english",
    "eu",
    "europe",
    "european",
    "florida",
    "france",
    "french",
    "georgia",
    "german",
    "germany",
    "greece",
    "greek",
    "hawaii",
    "idaho",
    "illinois",
    "india",
    "indian",
    "indiana",
    "iowa",
    "iran",
    "iranian",
    "iraq",
    "iraqi",
    "ireland",
    "irish",
    "israel",
    "israeli",
    "italian",
    "italy",
    "japan",
    "japanese",
    "jordan",
    "jordanian",
    "kansas",
    "kentucky",
    "korea",
    "korean",
    "kremlin",
    "lebanese",
    "lebanon",
    "libya",
    "libyan",
    "london",
    "los",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "mexican",
    "mexico",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "moscow",
    "nebraska",
    "nevada",
    "new",
    "nigeria",
    "nigerian",
    "north",
    "ohio",
    "oklahoma",
    "oregon",
    "pakistan",
    "pakistani",
    "palestinian",
    "paris",
    "pennsylvania",
    "poland",
    "polish",
    "russia",
    "russian",
    "saudi",
    "scotland",
    "scottish",
    "seoul",
    "south",
    "spain",
    "spanish",
    "syria",
    "syrian",
    "taiwan",
    "taiwanese",
    "tennessee",
    "texas",
    "turkey",
    "turkish",
    "u.k.",
    "u.n.",
    "u.s.",
    "uk",
    "ukraine",
    "ukrainian",
    "un",
    "us",
    "usa",
    "utah",
    "vermont",
    "virginia",
    "wales",
    "washington",
    "welsh",
    "wisconsin",
    "wyoming",
    "yemen",
    "yemeni",
];

/// Nationality adjectives: never a name on their own ("Russian plans"). Sorted.
const DEMONYMS: &[&str] = &[
    "afghan",
    "african",
    "american",
    "arab",
    "asian",
    "australian",
    "austrian",
    "belgian",
    "brazilian",
    "british",
    "canadian",
    "chinese",
    "cuban",
    "dutch",
    "egyptian",
    "english",
    "european",
    "french",
    "german",
    "greek",
    "hispanic",
    "indian",
    "iranian",
    "iraqi",
    "irish",
    "israeli",
    "italian",
    "japan",
    "japanese",
    "jordanian",
    "korean",
    "latina",
    "latino",
    "lebanese",
    "libyan",
    "mexican",
    "mississippi",
    "missouri",
    "nigerian",
    "pakistani",
    "palestinian",
    "polish",
    "russian",
    "saudi",
    "scottish",
    "spanish",
    "syrian",
    "taiwanese",
    "turkish",
    "ukrainian",
    "welsh",
    "yemeni",
];

/// Plural nouns for people and groups that can say something ("officials", "critics"). Sorted.
const ANIMATE_PLURALS: &[&str] = &[
    "activists",
    "advisers",
    "advocates",
    "agencies",
    "aides",
    "allies",
    "americans",
    "analysts",
    "attorneys",
    "authorities",
    "backers",
    "candidates",
    "citizens",
    "companies",
    "conservatives",
    "critics",
    "delegates",
    "democrats",
    "demonstrators",
    "developers",
    "diplomats",
    "doctors",
    "economists",
    "employees",
    "experts",
    "families",
    "firms",
    "governments",
    "groups",
    "historians",
    "insiders",
    "investigators",
    "investors",
    "journalists",
    "judges",
    "lawmakers",
    "lawyers",
    "leaders",
    "liberals",
    "members",
    "observers",
    "officers",
    "officials",
    "opponents",
    "organizations",
    "organizers",
    "parents",
    "people",
    "police",
    "politicians",
    "pollsters",
    "prosecutors",
    "protesters",
    "reporters",
    "republicans",
    "researchers",
    "residents",
    "scholars",
    "scientists",
    "senators",
    "sources",
    "staffers",
    "strategists",
    "students",
    "supporters",
    "teachers",
    "unions",
    "veterans",
    "voters",
    "workers",
];

/// Singular nouns for documents and institutions that "say" things ("the report says"). Sorted.
const SPEAKING_THINGS: &[&str] = &[
    "ad",
    "administration",
    "agency",
    "analysis",
    "article",
    "audit",
    "bank",
    "board",
    "book",
    "campaign",
    "committee",
    "company",
    "complaint",
    "council",
    "court",
    "department",
    "document",
    "email",
    "estimate",
    "filing",
    "film",
    "firm",
    "forecast",
    "foundation",
    "fund",
    "government",
    "group",
    "index",
    "investigation",
    "lawsuit",
    "letter",
    "magazine",
    "memo",
    "ministry",
    "network",
    "newspaper",
    "office",
    "organization",
    "paper",
    "party",
    "poll",
    "post",
    "proposal",
    "release",
    "report",
    "research",
    "review",
    "ruling",
    "site",
    "statement",
    "study",
    "survey",
    "team",
    "tweet",
    "union",
    "video",
    "website",
];

/// Last words of place names ("Kansas City", "Orange County"). Sorted.
const PLACE_HEADS: &[&str] = &[
    "avenue",
    "bay",
    "beach",
    "city",
    "coast",
    "county",
    "district",
    "island",
    "islands",
    "lake",
    "mountains",
    "park",
    "province",
    "region",
    "river",
    "square",
    "street",
    "valley",
    "village",
];

/// Last words of names of things and events ("Labor Day", "Affordable Care Act"). Sorted.
const THING_HEADS: &[&str] = &[
    "accord",
    "act",
    "agreement",
    "amendment",
    "award",
    "awards",
    "bill",
    "cup",
    "day",
    "deal",
    "festival",
    "games",
    "law",
    "plan",
    "prize",
    "rule",
    "rules",
    "series",
    "show",
    "summit",
    "tour",
    "treaty",
    "war",
];

/// Title words before a name: `lexicon::is_title`'s list (copied here so one table lookup answers every question) plus a few more. Sorted.
const TITLES: &[&str] = &[
    "acting",
    "adm",
    "admiral",
    "adviser",
    "advisor",
    "ald",
    "amb",
    "ambassador",
    "assemblyman",
    "assemblywoman",
    "assistant",
    "attorney",
    "atty",
    "brother",
    "candidate",
    "capt",
    "captain",
    "cardinal",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "col",
    "colonel",
    "commissioner",
    "comptroller",
    "congressman",
    "congresswoman",
    "councilman",
    "councilwoman",
    "dame",
    "democrat",
    "democratic",
    "deputy",
    "detective",
    "director",
    "dr",
    "emir",
    "executive",
    "father",
    "first",
    "former",
    "gen",
    "general",
    "gens",
    "gop",
    "gov",
    "governor",
    "judge",
    "justice",
    "king",
    "lady",
    "leader",
    "lieut",
    "lord",
    "lt",
    "majority",
    "mayor",
    "minister",
    "minority",
    "miss",
    "mr",
    "mrs",
    "ms",
    "msgr",
    "nominee",
    "officer",
    "pope",
    "premier",
    "president",
    "president-elect",
    "presidential",
    "prime",
    "prince",
    "princess",
    "prof",
    "professor",
    "queen",
    "rabbi",
    "rep",
    "representative",
    "reps",
    "republican",
    "rev",
    "reverend",
    "secretary",
    "secretary-general",
    "sen",
    "senator",
    "sens",
    "sergeant",
    "sgt",
    "sheikh",
    "sheriff",
    "sir",
    "sister",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "treasurer",
    "vice",
    "whip",
];

/// Role nouns that say the person is a woman. Sorted.
const ROLE_FEMALE: &[&str] = &[
    "actress",
    "aunt",
    "businesswoman",
    "chairwoman",
    "congresswoman",
    "councilwoman",
    "daughter",
    "duchess",
    "empress",
    "girl",
    "granddaughter",
    "grandmother",
    "lady",
    "mother",
    "niece",
    "princess",
    "queen",
    "sister",
    "spokeswoman",
    "widow",
    "wife",
    "woman",
];

/// Role nouns that say the person is a man. Sorted.
const ROLE_MALE: &[&str] = &[
    "actor",
    "boy",
    "brother",
    "businessman",
    "congressman",
    "councilman",
    "duke",
    "emperor",
    "father",
    "grandfather",
    "grandson",
    "husband",
    "king",
    "man",
    "nephew",
    "prince",
    "son",
    "spokesman",
    "uncle",
    "widower",
];

/// Singulars of capitalised plural groups ("Republicans", "Evangelicals"). Sorted.
const GROUP_STEMS: &[&str] = &[
    "conservative",
    "democrat",
    "evangelical",
    "independent",
    "liberal",
    "libertarian",
    "progressive",
    "republican",
];

/// Articles and demonstratives. Sorted.
const ARTICLES: &[&str] = &["a", "an", "that", "the", "these", "this", "those"];

/// Possessive determiners ("his Russian counterpart"). Sorted.
const POSSESSIVE_DETS: &[&str] = &["her", "his", "its", "their"];

/// Pronouns [`pronoun`] knows (a cheap first test). Sorted.
const PRONOUNS: &[&str] = &[
    "he",
    "her",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "i",
    "it",
    "its",
    "itself",
    "me",
    "my",
    "myself",
    "our",
    "ourselves",
    "she",
    "their",
    "theirs",
    "them",
    "themselves",
    "they",
    "us",
    "we",
    "which",
    "who",
    "whom",
    "whose",
];

/// Common nouns that stand for organisations ([`org_kind_words`]). Sorted.
const ORG_KINDS: &[&str] = &[
    "administration",
    "agency",
    "alliance",
    "bank",
    "broadcaster",
    "campaign",
    "center",
    "centre",
    "channel",
    "coalition",
    "commission",
    "committee",
    "company",
    "corporation",
    "council",
    "court",
    "daily",
    "department",
    "firm",
    "foundation",
    "government",
    "institute",
    "magazine",
    "ministry",
    "network",
    "newspaper",
    "organisation",
    "organization",
    "outlet",
    "paper",
    "party",
    "publication",
    "site",
    "station",
    "tabloid",
    "think-tank",
    "union",
    "university",
    "website",
];

/// Every list with its flag.
const LISTS: [(&[&str], u32); 24] = [
    (ORG_KINDS, flag::ORG_KIND),
    (FUNCTION, flag::FUNCTION),
    (NEVER_NAMES, flag::NEVER),
    (COMMON_ACRONYMS, flag::ACRONYM),
    (PREPOSITIONS, flag::PREP),
    (VERBISH, flag::VERBISH),
    (SUBJECT_ADVERBS, flag::SUBJ_ADV),
    (SPEECH_VERBS, flag::SPEECH),
    (PERSON_ROLES, flag::PERSON_ROLE),
    (ORG_HEADS, flag::ORG_HEAD),
    (OF_HEADS, flag::OF_HEAD),
    (PLACES, flag::PLACE),
    (DEMONYMS, flag::DEMONYM),
    (ANIMATE_PLURALS, flag::ANIMATE_PL),
    (SPEAKING_THINGS, flag::SPEAKING),
    (PLACE_HEADS, flag::PLACE_HEAD),
    (THING_HEADS, flag::THING_HEAD),
    (TITLES, flag::TITLE),
    (ROLE_FEMALE, flag::ROLE_F),
    (ROLE_MALE, flag::ROLE_M),
    (GROUP_STEMS, flag::GROUP_STEM),
    (ARTICLES, flag::ARTICLE),
    (POSSESSIVE_DETS, flag::POSS_DET),
    (PRONOUNS, flag::PRONOUN),
];

/// Compare two strings bytewise, in a const context.
const fn cmp(a: &str, b: &str) -> i32 {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] as i32 - b[i] as i32;
        }
        i += 1;
    }
    a.len() as i32 - b.len() as i32
}

/// Merge the sorted lists into one sorted table of distinct words, OR-ing the flags of a word
/// that several lists hold. With `N == 0`, only counts (the table length).
const fn merge<const N: usize>(
    lists: &[(&'static [&'static str], u32)],
) -> ([(&'static str, u32); N], usize) {
    let mut out = [("", 0u32); N];
    let mut at = [0usize; 32];
    let mut n = 0;
    loop {
        // The smallest head among the lists.
        let mut min: Option<&str> = None;
        let mut k = 0;
        while k < lists.len() {
            if at[k] < lists[k].0.len() {
                let w = lists[k].0[at[k]];
                min = match min {
                    Some(m) if cmp(m, w) <= 0 => Some(m),
                    _ => Some(w),
                };
            }
            k += 1;
        }
        let Some(m) = min else { break };
        let mut flags = 0;
        let mut k = 0;
        while k < lists.len() {
            if at[k] < lists[k].0.len() && cmp(lists[k].0[at[k]], m) == 0 {
                flags |= lists[k].1;
                at[k] += 1;
            }
            k += 1;
        }
        if n < N {
            out[n] = (m, flags);
        }
        n += 1;
    }
    (out, n)
}

const TABLE_LEN: usize = merge::<0>(&LISTS).1;
/// Every word of every list, sorted, with its flags (a static: one copy in the binary).
static TABLE: [(&str, u32); TABLE_LEN] = merge::<TABLE_LEN>(&LISTS).0;

/// FNV-1a over bytes: the hash of the lookup table (usable in const context).
pub(crate) const fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// Slots of the open-addressing table (a power of two, about three times the words).
const SLOTS: usize = 4096;
const _: () = assert!(SLOTS >= 2 * TABLE_LEN);

/// [`TABLE`] as a hash table: the slot holds the index of the word in `TABLE`, plus one (0 is
/// empty). Built at compile time; linear probing.
const HASHED: [u16; SLOTS] = {
    // The table again (a const cannot read the static).
    let table = merge::<TABLE_LEN>(&LISTS).0;
    let mut slots = [0u16; SLOTS];
    let mut i = 0;
    while i < TABLE_LEN {
        let mut s = (fnv(table[i].0.as_bytes()) as usize) & (SLOTS - 1);
        while slots[s] != 0 {
            s = (s + 1) & (SLOTS - 1);
        }
        slots[s] = (i + 1) as u16;
        i += 1;
    }
    slots
};

/// The flags of `word` (any case); 0 when it is in no list. One hash and (nearly always) one
/// probe.
pub(crate) fn flags(word: &str) -> u32 {
    match Low::new(word) {
        Some(l) => flags_lower(l.as_bytes()),
        None => 0,
    }
}

/// [`flags`] of a word already lower-cased.
pub(crate) fn flags_lower(s: &[u8]) -> u32 {
    let mut slot = (fnv(s) as usize) & (SLOTS - 1);
    loop {
        match HASHED[slot] {
            0 => return 0,
            k => {
                let (w, f) = TABLE[k as usize - 1];
                if w.as_bytes() == s {
                    return f;
                }
            }
        }
        slot = (slot + 1) & (SLOTS - 1);
    }
}

/// Does `word` have any of the flags `f`?
pub(crate) fn is(word: &str, f: u32) -> bool {
    flags(word) & f != 0
}

/// True for words that never start or continue a name: function words, months, days.
pub(crate) fn never_name(word: &str) -> bool {
    is(word, flag::FUNCTION | flag::NEVER)
}

/// Months and days: capitalised, yet not names ("May" is, after "Theresa").
pub(crate) fn is_month_like(word: &str) -> bool {
    is(word, flag::NEVER) && !word.eq_ignore_ascii_case("i")
}

/// True when `word` is a preposition.
pub(crate) fn is_preposition(word: &str) -> bool {
    is(word, flag::PREP)
}

/// Determiners stripped from the front of a cleaned source ("The White House" → "White House").
pub(crate) fn is_article(word: &str) -> bool {
    is(word, flag::ARTICLE)
}

/// Possessive determiners ("his Russian counterpart").
pub(crate) fn is_possessive_det(word: &str) -> bool {
    is(word, flag::POSS_DET)
}

/// True when `word` is an inflected speech verb ("said", "told", "tweeted").
pub(crate) fn is_speech_verb(word: &str) -> bool {
    is(word, flag::SPEECH)
}

/// True when `word` (with flags `f`) looks like an adverb between a subject and its verb.
pub(crate) fn is_subject_adverb_f(word: &str, f: u32) -> bool {
    f & flag::SUBJ_ADV != 0 || (word.len() > 4 && word.ends_with("ly"))
}

/// True when token `word` with flags `f` and tag `pos` (X when unknown) looks like a finite
/// verb.
pub(crate) fn is_verbish_f(word: &str, f: u32, pos: u8) -> bool {
    match pos {
        upos::VERB | upos::AUX => return true,
        upos::NOUN | upos::PROPN | upos::ADJ | upos::DET | upos::ADP | upos::NUM => return false,
        _ => {}
    }
    if !word.starts_with(|c: char| c.is_ascii_lowercase()) {
        return false;
    }
    f & (flag::VERBISH | flag::SPEECH) != 0 || (word.len() > 4 && word.ends_with("ed"))
}

/// True when `word` with tag `pos` (X when unknown) looks like a finite verb.
pub(crate) fn is_verbish(word: &str, pos: u8) -> bool {
    is_verbish_f(word, flags(word), pos)
}

/// Words that, right after a title, are honorifics implying a gender. Returns `Some(true)` for
/// female, `Some(false)` for male.
pub(crate) fn honorific_gender(word: &str) -> Option<bool> {
    let l = Low::new(word.trim_end_matches('.'))?;
    match l.as_str() {
        "mrs" | "ms" | "miss" | "madam" | "madame" | "dame" | "lady" | "mme" => Some(true),
        "mr" | "sir" | "lord" | "messrs" => Some(false),
        _ => None,
    }
}

/// Honorifics that may precede any surname, even one that is also a title ("Mr. King").
pub(crate) fn is_honorific(word: &str) -> bool {
    honorific_gender(word).is_some()
        || matches!(
            word.trim_end_matches('.'),
            "Dr" | "Prof" | "Rev" | "dr" | "prof" | "rev"
        )
}

/// Lower-case particles inside surnames ("Bill de Blasio", "Ludwig van Beethoven").
pub(crate) fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "de" | "da"
            | "di"
            | "du"
            | "van"
            | "von"
            | "der"
            | "den"
            | "bin"
            | "ibn"
            | "al"
            | "el"
            | "le"
            | "la"
            | "dos"
            | "del"
            | "ter"
    )
}

/// Role nouns that imply a gender ("spokeswoman", "queen", "daughter"): `Some(true)` female.
pub(crate) fn role_gender(word: &str) -> Option<bool> {
    let f = flags(word);
    if f & flag::ROLE_F != 0 {
        Some(true)
    } else if f & flag::ROLE_M != 0 {
        Some(false)
    } else {
        None
    }
}

/// Letters after a person's name, not part of it: "Simon Radcliffe KC", "Jane Doe MP".
pub(crate) fn is_post_nominal(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "KC" | "QC" | "MP" | "MEP" | "MSP" | "OBE" | "MBE" | "CBE" | "KBE" | "DBE" | "PhD" | "Esq"
    )
}

/// True when `word` (lower case) ends organisation names or stands for one: "union",
/// "campaign", "committee".
pub(crate) fn is_org_noun(word: &str) -> bool {
    is(word, flag::ORG_HEAD)
}

/// True when `word` is a noun designating a person by role.
pub(crate) fn is_person_role(word: &str) -> bool {
    is(word, flag::PERSON_ROLE | flag::ROLE_F | flag::ROLE_M)
}

/// True when `word` is a plural noun for people or groups.
pub(crate) fn is_animate_plural(word: &str) -> bool {
    is(word, flag::ANIMATE_PL)
}

/// True when `word` is a singular noun for something that can be a source.
pub(crate) fn is_speaking_thing(word: &str) -> bool {
    is(word, flag::SPEAKING)
}

/// True when `word` ends place names.
pub(crate) fn is_place_head(word: &str) -> bool {
    is(word, flag::PLACE_HEAD)
}

/// True when `word` ends names of things or events.
pub(crate) fn is_thing_head(word: &str) -> bool {
    is(word, flag::THING_HEAD)
}

/// Plural group nouns: "Republicans", "Democrats", "Russians".
pub(crate) fn is_group_plural(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('s') else {
        return false;
    };
    stem.len() >= 3
        && stem.starts_with(|c: char| c.is_uppercase())
        && is(stem, flag::DEMONYM | flag::GROUP_STEM)
}

/// Common nouns for organisations ("the newspaper", "the agency"): each maps to the words of
/// organisation names it can stand for (empty: any organisation).
pub(crate) fn org_kind_words(word: &str) -> Option<&'static [&'static str]> {
    const MEDIA: &[&str] = &[
        "abc",
        "ap",
        "bbc",
        "cbs",
        "cnn",
        "daily",
        "echo",
        "examiner",
        "express",
        "fox",
        "gazette",
        "guardian",
        "herald",
        "journal",
        "magazine",
        "mail",
        "mirror",
        "msnbc",
        "nbc",
        "news",
        "npr",
        "politico",
        "post",
        "press",
        "reuters",
        "telegraph",
        "times",
        "tribune",
    ];
    let l = Low::new(word)?;
    Some(match l.as_str() {
        "newspaper" | "paper" | "outlet" | "network" | "magazine" | "publication"
        | "broadcaster" | "daily" | "tabloid" | "station" | "channel" | "website" | "site" => MEDIA,
        "agency" => &[
            "administration",
            "agency",
            "bureau",
            "cia",
            "fbi",
            "nsa",
            "service",
        ],
        "committee" => &["committee"],
        "court" => &["court"],
        "campaign" => &["campaign"],
        "party" => &["party"],
        "union" => &["union"],
        "bank" => &["bank", "fund", "imf", "reserve"],
        "company" | "firm" | "corporation" => &["company", "corp", "corporation", "group", "inc"],
        "university" => &["college", "university"],
        "foundation" => &["foundation"],
        "organization" | "organisation" => &[],
        "administration" => &["administration"],
        "department" => &["department"],
        "ministry" => &["ministry"],
        "council" => &["council"],
        "commission" => &["commission"],
        "institute" | "think-tank" => &["center", "centre", "foundation", "institute"],
        "center" | "centre" => &["center", "centre"],
        "coalition" | "alliance" => &["alliance", "coalition"],
        "government" => &["administration", "government", "ministry"],
        _ => return None,
    })
}

/// Normalise a descriptor word so that variants compare equal ("U.S." = "American",
/// "GOP" = "Republican").
pub(crate) fn normalize_descriptor(lower: &str) -> &str {
    match lower {
        "us" | "u.s." | "u.s" | "usa" | "american" | "america" | "united" => "us",
        "uk" | "u.k." | "british" | "britain" => "uk",
        "gop" | "republican" | "republicans" | "r" => "republican",
        "democrat" | "democratic" | "democrats" | "dem" | "d" => "democratic",
        "advisor" => "adviser",
        "sen" | "sen." => "senator",
        "rep" | "rep." => "representative",
        "gov" | "gov." => "governor",
        "pres" | "pres." => "president",
        "chair" | "chairwoman" => "chairman",
        "spokeswoman" | "spokesperson" => "spokesman",
        "congresswoman" => "congressman",
        "secretary-general" => "secretary",
        _ => lower,
    }
}

/// Modifiers that say nothing about which organisation is meant ("the new agency").
pub(crate) fn is_generic_modifier(lower: &str) -> bool {
    matches!(
        lower,
        "new"
            | "top"
            | "federal"
            | "national"
            | "local"
            | "nonpartisan"
            | "influential"
            | "powerful"
            | "same"
            | "whole"
            | "entire"
            | "main"
            | "big"
            | "major"
            | "largest"
            | "biggest"
            | "leading"
            | "prominent"
            | "respected"
            | "embattled"
            | "beleaguered"
    )
}

/// Modifiers that change what a role means ("vice president" is not "the president"); a role
/// reference must carry them exactly when the title it matches does.
pub(crate) fn is_role_changer(lower: &str) -> bool {
    matches!(
        lower,
        "vice"
            | "deputy"
            | "former"
            | "ex"
            | "assistant"
            | "associate"
            | "acting"
            | "lieutenant"
            | "late"
            | "first"
            | "future"
            | "vice-president"
    )
}

/// Modifiers of a role reference that must be found among the descriptors of the entity it
/// names (nationalities, parties, places, role changers): the rest ("embattled", "top") are
/// ignored.
pub(crate) fn is_discriminating(lower: &str) -> bool {
    is_role_changer(lower)
        || is(lower, flag::PLACE)
        || matches!(
            normalize_descriptor(lower),
            "republican" | "democratic" | "libertarian" | "green" | "independent"
        )
}

/// Personal pronoun classes that resolution handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pro {
    /// he, him, his, himself
    He,
    /// she, her, hers, herself
    She,
    /// they, them, their
    They,
    /// it, its
    It,
    /// I, me, my, we, us, our
    First,
    /// who, which, that (relative)
    Relative,
}

/// The class of a pronoun token, if it is one.
pub(crate) fn pronoun(word: &str) -> Option<Pro> {
    let l = Low::new(word)?;
    Some(match l.as_str() {
        "he" | "him" | "his" | "himself" => Pro::He,
        "she" | "her" | "hers" | "herself" => Pro::She,
        "they" | "them" | "their" | "theirs" | "themselves" => Pro::They,
        "it" | "its" | "itself" => Pro::It,
        "i" | "me" | "my" | "we" | "us" | "our" | "myself" | "ourselves" => Pro::First,
        "who" | "which" | "whom" | "whose" => Pro::Relative,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_merged() {
        for (list, _) in LISTS {
            for w in list.windows(2) {
                assert!(w[0] < w[1], "{:?} before {:?}", w[0], w[1]);
            }
        }
        for w in TABLE.windows(2) {
            assert!(w[0].0 < w[1].0);
        }
        let filled = HASHED.iter().filter(|&&s| s != 0).count();
        assert_eq!(filled, TABLE.len());
        for (list, f) in LISTS {
            for w in list {
                assert!(flags(w) & f != 0, "{w}");
            }
        }
        assert_eq!(flags("Obama"), 0);
    }

    #[test]
    fn classifiers() {
        assert!(is("president", flag::TITLE) && is("sen", flag::TITLE) && is("Mr", flag::TITLE));
        assert!(flags("Obama") == 0 && is("House", flag::ORG_HEAD));
        assert!(is("Russian", flag::DEMONYM) && !is("Russia", flag::DEMONYM));
        assert!(is_group_plural("Republicans") && !is_group_plural("Sanders"));
        assert_eq!(honorific_gender("Mrs."), Some(true));
        assert_eq!(normalize_descriptor("gop"), "republican");
        assert!(is_verbish("said", upos::X) && !is_verbish("campaign", upos::X));
        assert_eq!(pronoun("She"), Some(Pro::She));
        assert!(is("of", flag::PREP | flag::FUNCTION) && never_name("The"));
        assert_eq!(role_gender("spokeswoman"), Some(true));
    }
}
