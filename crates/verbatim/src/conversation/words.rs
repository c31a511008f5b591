//! Word lists for addressees and settings. All take lower-case words.

/// Does `pred` hold for `lower` or a base form of it ("snapped" → "snap", "replied" →
/// "reply", "congratulated" → "congratulate")? The lexicon's lemmatiser only knows cue verbs.
pub(super) fn has_lemma(lower: &str, pred: fn(&str) -> bool) -> bool {
    if pred(lower) || pred(&crate::lexicon::lemma(lower)) {
        return true;
    }
    if !lower.is_ascii() {
        return false;
    }
    for suf in ["ing", "ed", "es", "s", "d"] {
        let Some(stem) = lower.strip_suffix(suf) else {
            continue;
        };
        if stem.len() < 2 {
            continue;
        }
        let b = stem.as_bytes();
        let undoubled = b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2];
        if pred(stem)
            || pred(&format!("{stem}e"))
            || (undoubled && pred(&stem[..stem.len() - 1]))
            || stem
                .strip_suffix('i')
                .is_some_and(|y| pred(&format!("{y}y")))
        {
            return true;
        }
    }
    false
}

/// Verbs whose object is the person spoken to: "told X", "asked X", "warned X".
pub(super) fn is_tell_verb(lemma: &str) -> bool {
    matches!(
        lemma,
        "tell"
            | "ask"
            | "inform"
            | "warn"
            | "remind"
            | "assure"
            | "reassure"
            | "advise"
            | "instruct"
            | "urge"
            | "promise"
            | "brief"
            | "beg"
            | "implore"
            | "caution"
            | "text"
            | "email"
            | "message"
            | "question"
            | "congratulate"
            | "thank"
            | "greet"
    )
}

/// Forms of "be" that make a following participle passive ("was told", "were heard").
pub(super) fn is_be(w: &str) -> bool {
    matches!(w, "was" | "were" | "is" | "are" | "be" | "been" | "being")
}

/// Adverbs that may sit between an auxiliary and its participle ("was also heard").
pub(super) fn is_aux_adverb(w: &str) -> bool {
    matches!(
        w,
        "also"
            | "later"
            | "clearly"
            | "reportedly"
            | "allegedly"
            | "apparently"
            | "then"
            | "even"
            | "once"
            | "again"
            | "not"
            | "never"
            | "audibly"
            | "distinctly"
            | "repeatedly"
    )
}

/// Words that, right before "to" or "with", make the phrase after it the party spoken to:
/// "said to X", "in a letter to X", "while talking with X", "in an interview with X".
/// `with` restricts the list to the conversational ones ("a letter with" is not).
pub(super) fn is_to_trigger(w: &str, with: bool) -> bool {
    let talk = matches!(
        w,
        "talk"
            | "talks"
            | "talked"
            | "talking"
            | "speak"
            | "speaks"
            | "spoke"
            | "speaking"
            | "chat"
            | "chats"
            | "chatted"
            | "chatting"
            | "conversation"
            | "interview"
            | "meeting"
            | "exchange"
            | "call"
            | "discussion"
            | "comments"
            | "remarks"
            | "conversing"
            | "conversed"
    );
    talk || (!with
        && matches!(
            w,
            "say"
                | "said"
                | "says"
                | "saying"
                | "wrote"
                | "write"
                | "writes"
                | "writing"
                | "explained"
                | "complained"
                | "confided"
                | "remarked"
                | "whispered"
                | "muttered"
                | "joked"
                | "shouted"
                | "boasted"
                | "letter"
                | "message"
                | "email"
                | "e-mail"
                | "note"
                | "memo"
                | "statement"
                | "speech"
                | "address"
                | "text"
                | "post"
        ))
}

/// Verbs of a reply: the remark answers the previous one ("Mr Medvedev responded: …").
pub(super) fn is_reply_verb(lemma: &str) -> bool {
    matches!(
        lemma,
        "respond" | "reply" | "answer" | "retort" | "counter" | "rejoin" | "interject" | "snap"
    )
}

/// Verbs and nouns that make a sentence about two people a conversation between them:
/// "making unguarded comments with X", "Mr Obama and Mr Medvedev met".
pub(super) fn is_conversation_word(w: &str) -> bool {
    is_to_trigger(w, true)
        || matches!(
            w,
            "met" | "meet" | "meets" | "conversations" | "exchanged" | "calls" | "phoned"
        )
}

/// Verbs whose direct object is the other party of a meeting or call ("Mr Biden met Mr
/// Johnson"). Not "called": "called him a liar" is no call.
pub(super) fn is_meet_verb(w: &str) -> bool {
    matches!(
        w,
        "met" | "meet" | "meets" | "phoned" | "telephoned" | "greeted"
    )
}

/// Acts of speaking or writing: a plainly attributed remark with one of these is on the
/// record. Beliefs and stances ("believe", "oppose", "want") are not.
pub(super) fn is_speech_lemma(lemma: &str) -> bool {
    matches!(
        lemma,
        "say"
            | "tell"
            | "add"
            | "ask"
            | "answer"
            | "reply"
            | "respond"
            | "note"
            | "explain"
            | "state"
            | "claim"
            | "argue"
            | "insist"
            | "warn"
            | "write"
            | "tweet"
            | "post"
            | "announce"
            | "declare"
            | "describe"
            | "suggest"
            | "predict"
            | "promise"
            | "vow"
            | "pledge"
            | "admit"
            | "acknowledge"
            | "concede"
            | "confirm"
            | "deny"
            | "recall"
            | "remark"
            | "comment"
            | "joke"
            | "quip"
            | "shout"
            | "yell"
            | "whisper"
            | "mutter"
            | "exclaim"
            | "conclude"
            | "continue"
            | "stress"
            | "emphasize"
            | "emphasise"
            | "urge"
            | "complain"
            | "testify"
            | "speak"
            | "talk"
            | "call"
            | "label"
            | "dub"
            | "accuse"
            | "praise"
            | "criticize"
            | "criticise"
            | "dismiss"
            | "retort"
            | "counter"
            | "interject"
            | "boast"
            | "brag"
            | "echo"
            | "assure"
            | "inform"
            | "remind"
            | "report"
            | "according"
            | "reiterate"
            | "maintain"
            | "repeat"
            | "caution"
            | "charge"
            | "contend"
            | "observe"
            | "point"
            | "put"
            | "start"
            | "begin"
            | "tout"
            | "reassure"
    )
}

/// Audiences that are not a named party but make a remark public: "told reporters".
pub(super) fn is_public_audience(w: &str) -> bool {
    matches!(
        w,
        "reporters"
            | "reporter"
            | "journalists"
            | "journalist"
            | "press"
            | "media"
            | "audience"
            | "audiences"
            | "crowd"
            | "crowds"
            | "supporters"
            | "voters"
            | "lawmakers"
            | "legislators"
            | "mps"
            | "senators"
            | "congressmen"
            | "delegates"
            | "parliament"
            | "nation"
            | "country"
            | "viewers"
            | "listeners"
            | "readers"
            | "students"
            | "graduates"
            | "attendees"
            | "conference"
            | "summit"
            | "rally"
            | "assembly"
            | "chamber"
            | "commons"
            | "house"
            | "committee"
            | "panel"
            | "inquiry"
            | "court"
            | "jury"
            | "hearing"
            | "correspondents"
            | "broadcasters"
            | "public"
            | "world"
            | "gathering"
            | "meeting"
            | "parliamentarians"
    )
}

/// Groups that are never a named addressee, public or not: "told aides", "told a friend".
pub(super) fn is_generic_person(w: &str) -> bool {
    matches!(
        w,
        "aides"
            | "aide"
            | "friend"
            | "friends"
            | "colleague"
            | "colleagues"
            | "staff"
            | "officials"
            | "official"
            | "allies"
            | "advisers"
            | "advisors"
            | "donors"
            | "members"
            | "people"
            | "someone"
            | "everyone"
            | "anyone"
            | "others"
            | "associates"
            | "confidants"
            | "insiders"
            | "investigators"
            | "police"
            | "officers"
            | "diplomats"
            | "leaders"
            | "guests"
            | "employees"
            | "workers"
            | "staffers"
    ) || is_public_audience(w)
}

/// Heads of anonymous sources: "sources said", "a senior official said".
pub(super) fn is_anonymous_head(w: &str) -> bool {
    matches!(
        w,
        "source"
            | "sources"
            | "insider"
            | "insiders"
            | "official"
            | "officials"
            | "aide"
            | "aides"
            | "person"
            | "people"
            | "diplomat"
            | "diplomats"
            | "someone"
    )
}

/// Words that say a source spoke without being named.
pub(super) fn is_anonymity_word(w: &str) -> bool {
    matches!(
        w,
        "anonymity" | "anonymously" | "unnamed" | "unidentified" | "anonymous"
    )
}

/// Interjections that may come before a vocative: "Yo, Blair".
pub(super) fn is_interjection(w: &str) -> bool {
    matches!(
        w,
        "yo" | "hey"
            | "hi"
            | "hello"
            | "oh"
            | "well"
            | "look"
            | "listen"
            | "thanks"
            | "dear"
            | "ok"
            | "okay"
            | "sorry"
            | "yes"
            | "yeah"
            | "no"
            | "please"
            | "goodbye"
            | "bye"
            | "congratulations"
            | "welcome"
            | "morning"
            | "evening"
    )
}

/// Words that, right after `Name,` at the start of a quotation, mark the name as a vocative
/// ("Dmitry, I understand"; "Blair, thank you"). A subject would be followed by a verb.
pub(super) fn is_vocative_follower(w: &str) -> bool {
    matches!(
        w,
        "i" | "i'm"
            | "we"
            | "you"
            | "your"
            | "thank"
            | "thanks"
            | "please"
            | "let"
            | "listen"
            | "look"
            | "come"
            | "don't"
            | "do"
            | "how"
            | "what"
            | "are"
            | "can"
            | "will"
            | "would"
    )
}

/// Verbs that make "I <verb>," a parenthetical ("Obama, I think, is wrong"): no vocative.
pub(super) fn is_parenthetical_verb(w: &str) -> bool {
    matches!(
        w,
        "think" | "believe" | "guess" | "suppose" | "hope" | "fear" | "suspect" | "reckon"
    )
}

/// Social platforms: "wrote on Facebook", "posted to Instagram".
pub(super) fn is_platform(w: &str) -> bool {
    matches!(
        w,
        "twitter"
            | "facebook"
            | "instagram"
            | "tiktok"
            | "youtube"
            | "weibo"
            | "snapchat"
            | "linkedin"
            | "bluesky"
            | "mastodon"
            | "reddit"
            | "blog"
            | "truth"
            | "threads"
            | "telegram"
            | "whatsapp"
            // Twitter's later name: "wrote on X", "posted to X" (the capital is checked).
            | "x"
    )
}

/// Subordinators that place a conversation before or after the remark, not around it
/// ("After talking with Mrs Merkel, Mr Trump said…").
pub(super) fn is_outside_time(w: &str) -> bool {
    matches!(
        w,
        "after" | "before" | "following" | "since" | "ahead" | "until" | "prior"
    )
}
