//! What one quote's own sentence says: an explicit audience, a vocative in the quotation,
//! evidence of the setting, whether the cue is a reply or an act of speaking.

use super::words;
use super::{Doc, Info, Party, Who, AUX, NOUN, PROPN, SCONJ, VERB};
use crate::attribution::Setting;
use crate::resolution::Form;
use crate::text::TokenKind;
use std::ops::Range;

/// An audience the frame names.
pub(super) struct Explicit {
    /// Who or what it is.
    pub party: Party,
    /// From a passive "X was told".
    pub passive: bool,
}

/// The audience the frame names: passive subject, object of a telling verb in the cue, or the
/// phrase after "to"/"with" following a word of speaking.
pub(super) fn explicit(doc: &Doc<'_, '_>, info: &Info) -> Option<Explicit> {
    if let Some(cue) = &info.cue {
        for k in cue.clone().rev() {
            if !doc.is_word(k) || !words::has_lemma(doc.low(k), words::is_tell_verb) {
                continue;
            }
            if let Some(be) = passive_aux(doc, k) {
                // The subject: the source when the extractor took it, else the phrase before.
                let subject = info
                    .source
                    .iter()
                    .find(|r| r.end <= be)
                    .cloned()
                    .or_else(|| phrase_before(doc, be));
                if let Some(party) = subject.and_then(|r| doc.party(r)) {
                    return Some(Explicit {
                        party,
                        passive: true,
                    });
                }
                continue;
            }
            if let Some(np) = object(doc, info, k + 1) {
                if let Some(party) = doc.party(np) {
                    return Some(Explicit {
                        party,
                        passive: false,
                    });
                }
            }
        }
    }
    // "said to X", "in a letter to X", "while talking with X": the hit nearest the cue.
    let mut best: Option<(usize, Party)> = None;
    for (n, k) in info.frame.iter().map(|&k| k as usize).enumerate() {
        let with = doc.is(k, "with");
        if !(with || doc.is(k, "to")) {
            continue;
        }
        // The trigger within the three frame tokens before, in the same run of the frame.
        let Some(t) = info.frame[n.saturating_sub(3)..n]
            .iter()
            .rev()
            .map(|&j| j as usize)
            .take_while(|&j| j + 4 > k)
            .find(|&j| words::is_to_trigger(doc.low(j), with))
        else {
            continue;
        };
        let over = (t.saturating_sub(2)..t).any(|j| words::is_outside_time(doc.low(j)));
        if over {
            continue;
        }
        let Some(np) = object(doc, info, k + 1) else {
            continue;
        };
        let Some(party) = doc.party(np) else {
            continue;
        };
        let d = distance(&info.anchor, k);
        if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
            best = Some((d, party));
        }
    }
    best.map(|(_, party)| Explicit {
        party,
        passive: false,
    })
}

/// The "was"/"were"/"been" before the participle at `k` ("was told", "were also told").
fn passive_aux(doc: &Doc<'_, '_>, k: usize) -> Option<usize> {
    let mut j = k.checked_sub(1)?;
    while words::is_aux_adverb(doc.low(j)) && doc.sent(j) == doc.sent(k) {
        j = j.checked_sub(1)?;
    }
    (doc.sent(j) == doc.sent(k) && words::is_be(doc.low(j))).then_some(j)
}

/// The noun phrase ending right before token `end`: a mention there, else up to six words.
fn phrase_before(doc: &Doc<'_, '_>, end: usize) -> Option<Range<usize>> {
    let last = end.checked_sub(1)?;
    if let Some(m) = doc.mentions_at(last).find(|m| m.tokens.end == end) {
        return Some(m.tokens.clone());
    }
    let mut a = end;
    while a > 0 && end - a < 6 && doc.is_word(a - 1) && doc.sent(a - 1) == doc.sent(last) {
        a -= 1;
    }
    (a < end).then_some(a..end)
}

/// The noun phrase starting at `start`, inside the frame: up to a preposition, a clause, a
/// verb or punctuation ("his Russian counterpart" in "told his Russian counterpart: …").
fn object(doc: &Doc<'_, '_>, info: &Info, start: usize) -> Option<Range<usize>> {
    let s = doc.sent(start);
    let mut end = start;
    while end < doc.len() && end - start < 8 && doc.sent(end) == s && info.in_frame(end) {
        let w = doc.low(end);
        let punct = !doc.is_word(end);
        let possessive = w == "'s" || w == "'";
        if (punct && !possessive && w != "-" && w != "&")
            || is_np_boundary(w)
            || matches!(doc.upos(end), VERB | AUX | SCONJ)
        {
            break;
        }
        end += 1;
    }
    (start < end).then_some(start..end)
}

/// Words that end an audience phrase: prepositions, subordinators, time words.
fn is_np_boundary(w: &str) -> bool {
    matches!(
        w,
        "that"
            | "in"
            | "at"
            | "on"
            | "during"
            | "after"
            | "before"
            | "while"
            | "when"
            | "about"
            | "of"
            | "to"
            | "how"
            | "what"
            | "whether"
            | "if"
            | "why"
            | "where"
            | "who"
            | "which"
            | "by"
            | "for"
            | "with"
            | "over"
            | "via"
            | "through"
            | "from"
            | "last"
            | "yesterday"
            | "today"
            | "tonight"
            | "this"
            | "then"
            | "as"
            | "because"
            | "but"
            | "or"
            | "than"
            | "since"
            | "until"
            | "amid"
            | "despite"
            | "earlier"
            | "later"
            | "not"
            | "repeatedly"
    )
}

/// Token distance from `k` to the range `r` (0 inside).
fn distance(r: &Range<usize>, k: usize) -> usize {
    if k < r.start {
        r.start - k
    } else {
        k.saturating_sub(r.end.saturating_sub(1))
    }
}

/// A vocative in the quotation: at its start ("Yo, Blair", "Dmitry, I understand") or end
/// ("Thank you, Mr Obama.").
pub(super) fn vocative(doc: &Doc<'_, '_>, info: &Info) -> Option<Who> {
    // The quotations starting inside the content, in the order of `text.quotations`.
    let mut hits: Vec<usize> = info
        .content
        .iter()
        .flat_map(|c| doc.quotations_starting_in(c.clone()))
        .collect();
    hits.sort_unstable();
    hits.dedup();
    let inner: Vec<Range<usize>> = hits
        .into_iter()
        .map(|n| &doc.text.quotations[n])
        .filter_map(|q| {
            let mut r = q.tokens.clone();
            if r.is_empty() {
                return None;
            }
            if matches!(doc.text.tokens[r.start].kind, TokenKind::Quote(_)) {
                r.start += 1;
            }
            if r.end > r.start && matches!(doc.text.tokens[r.end - 1].kind, TokenKind::Quote(_)) {
                r.end -= 1;
            }
            (!r.is_empty()).then_some(r)
        })
        .collect();
    let first = inner.first().and_then(|r| vocative_start(doc, r.clone()));
    first.or_else(|| inner.last().and_then(|r| vocative_end(doc, r.clone())))
}

/// "Yo, Blair", "Dmitry, I understand", "Blair!".
fn vocative_start(doc: &Doc<'_, '_>, r: Range<usize>) -> Option<Who> {
    let mut k = r.start;
    let mut interjection = false;
    if (doc.is(k, "thank") && doc.is(k + 1, "you"))
        || (words::is_interjection(doc.low(k)) && matches!(doc.low(k + 1), "," | "!"))
    {
        k += 2;
        interjection = true;
    }
    if interjection && doc.is(k, ",") {
        k += 1;
    }
    while k < r.end && doc.is_title(k) {
        k += 1;
    }
    if k >= r.end || !doc.is_cap(k) {
        return None;
    }
    let (who, end) = name_at(doc, k, true)?;
    let after = doc.low(end);
    let ok = if end >= r.end {
        interjection
    } else if interjection {
        matches!(after, "," | "!" | "?" | "." | "...")
    } else {
        after == "!"
            || (after == ","
                && end + 1 < r.end
                && words::is_vocative_follower(doc.low(end + 1))
                && !(doc.is(end + 1, "i") && words::is_parenthetical_verb(doc.low(end + 2))))
    };
    ok.then_some(who)
}

/// "…, Mr Obama." / "Thank you, Dmitry": a short name after a comma at the very end, after
/// anything but a noun (", my friend Barack Obama" is an apposition).
fn vocative_end(doc: &Doc<'_, '_>, r: Range<usize>) -> Option<Who> {
    let mut last = r.end.checked_sub(1)?;
    while last > r.start && !doc.is_word(last) {
        last -= 1;
    }
    if last <= r.start || !doc.is_cap(last) {
        return None;
    }
    let mut start = doc
        .mentions_at(last)
        .find(|m| m.form == Form::Name && m.tokens.end == last + 1)
        .map_or(last, |m| m.tokens.start);
    while start > r.start && doc.is_title(start - 1) {
        start -= 1;
    }
    if last + 1 - start > 3 || start < r.start + 2 || !doc.is(start - 1, ",") {
        return None;
    }
    if matches!(doc.upos(start - 2), NOUN | PROPN) {
        return None;
    }
    let mut k = start;
    while k < last && doc.is_title(k) {
        k += 1;
    }
    let (who, end) = name_at(doc, k, false)?;
    (end == last + 1).then_some(who)
}

/// The name at token `k` (a name mention, else a first or last name of one named person in
/// the document) and the token after it.
fn name_at(doc: &Doc<'_, '_>, k: usize, from_start: bool) -> Option<(Who, usize)> {
    let m = doc
        .mentions_at(k)
        .find(|m| m.form == Form::Name && (!from_start || m.tokens.start == k));
    if let Some(m) = m {
        if doc.is_personish(m.entity) {
            return Some((Who::Entity(m.entity), m.tokens.end));
        }
        return None;
    }
    doc.person_by_word(k).map(|id| (Who::Entity(id), k + 1))
}

/// Evidence of the setting in the frame: the item nearest the cue (ties broken in the order
/// overheard, social media, statement, interview, on record).
pub(super) fn evidence(doc: &Doc<'_, '_>, info: &Info) -> Option<Setting> {
    let ok = |j: usize| info.in_frame(j);
    info.frame
        .iter()
        .map(|&k| k as usize)
        .filter_map(|k| {
            let s = setting_at(doc, k, &ok)?;
            Some((distance(&info.anchor, k), rank(s), s))
        })
        .min_by_key(|&(d, r, _)| (d, r))
        .map(|(_, _, s)| s)
}

fn rank(s: Setting) -> u8 {
    match s {
        Setting::Overheard => 0,
        Setting::SocialMedia => 1,
        Setting::Statement => 2,
        Setting::Interview => 3,
        Setting::OnRecord => 4,
        Setting::Unknown => 5,
    }
}

/// The setting that the words at token `k` are evidence of, if any. `ok` says which tokens
/// may take part (the frame).
pub(super) fn setting_at(
    doc: &Doc<'_, '_>,
    k: usize,
    ok: &dyn Fn(usize) -> bool,
) -> Option<Setting> {
    if !doc.is_word(k) {
        return None;
    }
    let w = doc.low(k);
    let next = |n: usize| {
        let j = k + n;
        if ok(j) && doc.sent(j) == doc.sent(k) {
            doc.low(j)
        } else {
            ""
        }
    };
    let prev = |n: usize| match k.checked_sub(n) {
        Some(j) if ok(j) && doc.sent(j) == doc.sent(k) => doc.low(j),
        _ => "",
    };
    if is_overheard(doc, k, &next, &prev) {
        return Some(Setting::Overheard);
    }
    let social = w.starts_with("tweet")
        || w == "retweeted"
        || w == "posted"
        || (matches!(w, "post" | "posts")
            && matches!(prev(1), "a" | "his" | "her" | "their" | "in"))
        || (w == "social" && next(1) == "media")
        || (words::is_platform(w)
            && doc.is_cap(k)
            && (w != "truth" || next(1) == "social")
            && (matches!(prev(1), "on" | "to" | "via")
                || matches!(
                    next(1),
                    "post" | "posts" | "message" | "video" | "account" | "page" | "feed" | "live"
                )));
    if social {
        return Some(Setting::SocialMedia);
    }
    let statement = matches!(
        w,
        "statement"
            | "statements"
            | "communique"
            | "communiqué"
            | "letter"
            | "email"
            | "e-mail"
            | "emailed"
            | "memo"
    ) || (w == "press" && next(1) == "release")
        || (w == "written" && matches!(next(1), "statement" | "response" | "answer" | "reply"));
    if statement {
        return Some(Setting::Statement);
    }
    if matches!(w, "interview" | "interviews" | "interviewed") {
        return Some(Setting::Interview);
    }
    // "overheard by reporters": the reporters are the ones listening, not the audience.
    let agent = prev(1) == "by";
    let public = matches!(w, "reporters" | "journalists" | "audience" | "crowd") && !agent
        || matches!(
            w,
            "briefing"
                | "briefings"
                | "speech"
                | "speeches"
                | "rally"
                | "debate"
                | "hearing"
                | "testified"
                | "testimony"
                | "testifying"
                | "parliament"
                | "lawmakers"
                | "mps"
                | "podium"
                | "announced"
                | "announcement"
                | "televised"
                | "keynote"
                | "lecture"
                | "sermon"
                | "broadcast"
        )
        || (w == "press" && next(1) != "release")
        || (w == "conference" && matches!(prev(1), "news" | "press"))
        || (w == "address"
            && matches!(
                prev(1),
                "an" | "his" | "her" | "the" | "televised" | "national" | "inaugural"
            ));
    public.then_some(Setting::OnRecord)
}

/// Words of a remark not meant to be public, at token `k`.
fn is_overheard<'s>(
    doc: &'s Doc<'_, '_>,
    k: usize,
    next: &dyn Fn(usize) -> &'s str,
    prev: &dyn Fn(usize) -> &'s str,
) -> bool {
    let w = doc.low(k);
    let talk = |x: &str| {
        matches!(
            x,
            "conversation"
                | "conversations"
                | "exchange"
                | "chat"
                | "remarks"
                | "comments"
                | "moment"
                | "call"
        )
    };
    let mic = |x: &str| matches!(x, "mic" | "mics" | "microphone" | "microphones" | "mike");
    match w {
        "overheard" | "eavesdropped" | "eavesdropping" | "unguarded" | "leaked" | "off-mic"
        | "hot-mic" | "open-mic" => true,
        _ if mic(w) => {
            matches!(prev(1), "open" | "hot" | "live")
                || (1..=3).any(|n| next(n) == "off" || next(n) == "on" && next(n + 1) == "off")
                // "his microphone was still on", "a mic that was still live"
                || (1..=3).any(|n| next(n) == "still" && matches!(next(n + 1), "on" | "live"))
                // "comments picked up by a Sky News microphone" (not "picked up the microphone")
                || (3..=7).any(|n| prev(n) == "picked" && prev(n - 1) == "up" && prev(n - 2) == "by")
        }
        // "Unaware that his microphone was on", "unaware of the microphones"
        "unaware" => (1..=4).any(|n| mic(next(n))),
        "candid" | "private" => talk(next(1)) || talk(next(2)),
        // Passive "was heard saying": overheard. Active "I heard him say", "the court
        // heard that": listening, not overhearing.
        "heard" => {
            let mut j = 1;
            while words::is_aux_adverb(prev(j)) {
                j += 1;
            }
            words::is_be(prev(j))
                && (matches!(next(1), "to" | "on" | "saying" | "telling")
                    || (next(1).ends_with("ing") && next(1).len() > 4))
        }
        "caught" => {
            (1..=4).any(|n| {
                let x = next(n);
                x.ends_with("ing") && x.len() > 4 && matches!(doc.upos(k + n), VERB | 16)
            }) || (next(1) == "on"
                && (2..=4).any(|n| {
                    matches!(
                        next(n),
                        "tape" | "camera" | "video" | "film" | "recording" | "mic" | "microphone"
                    )
                }))
        }
        "secretly" | "covertly" => {
            matches!(next(1), "recorded" | "taped" | "filmed" | "recording")
        }
        "recorded" | "taped" | "filmed" => next(1) == "without",
        _ => false,
    }
}

/// Is the cue a reply ("responded", "replied", "shot back", "then said")?
pub(super) fn is_reply(doc: &Doc<'_, '_>, info: &Info) -> bool {
    let Some(cue) = &info.cue else {
        return false;
    };
    let before = cue.start.checked_sub(1).filter(|&j| info.in_frame(j));
    cue.clone().chain(before).any(|k| {
        words::has_lemma(doc.low(k), words::is_reply_verb)
            || doc.is(k, "then")
            || (matches!(doc.low(k), "shot" | "fired" | "hit") && doc.is(k + 1, "back"))
    })
}

/// Is the cue an act of speaking or writing, or the content a direct quotation?
pub(super) fn is_speech(doc: &Doc<'_, '_>, info: &Info) -> bool {
    let direct = info
        .content
        .iter()
        .any(|r| r.clone().any(|k| doc.quoted(k)));
    let Some(cue) = &info.cue else {
        return direct;
    };
    let words: Vec<usize> = cue.clone().filter(|&k| doc.is_word(k)).collect();
    if words.is_empty() {
        // A bare colon before a quotation.
        return direct;
    }
    words.iter().any(|&k| {
        words::has_lemma(doc.low(k), words::is_speech_lemma)
            || crate::lexicon::is_speech_noun(doc.low(k))
    })
}

/// Is the source anonymous: "sources said", "a senior official, speaking on condition of
/// anonymity, said", "who asked not to be named"?
pub(super) fn is_anonymous(doc: &Doc<'_, '_>, info: &Info) -> bool {
    // An "unnamed" or "anonymous" source; in the rest of the frame only the words of a
    // speaker kept anonymous ("speaking on condition of anonymity", "not authorized to"), not
    // a word about others ("saying that people -- unnamed -- …").
    let in_source = |k: usize| info.source.iter().any(|r| r.contains(&k));
    let tokens = info
        .source
        .iter()
        .flat_map(|r| r.clone())
        .chain(info.frame.iter().map(|&k| k as usize));
    for k in tokens {
        let w = doc.low(k);
        if (words::is_anonymity_word(w)
            && (in_source(k) || matches!(w, "anonymity" | "anonymously")))
            || (w == "named" && doc.is(k.wrapping_sub(1), "be"))
            || (matches!(w, "authorized" | "authorised") && doc.is(k.wrapping_sub(1), "not"))
        {
            return true;
        }
    }
    // An unnamed source whose head is "official", "sources"... ("a source close to the
    // minister": the head comes before the modifier).
    info.source.iter().any(|r| {
        let head_part = r
            .clone()
            .take_while(|&k| {
                !matches!(
                    doc.low(k),
                    "close" | "familiar" | "with" | "to" | "in" | "at" | "of" | "who" | ","
                )
            })
            .filter(|&k| doc.is_word(k));
        let Some(head) = head_part.last() else {
            return false;
        };
        words::is_anonymous_head(doc.low(head))
            && !matches!(doc.party(r.clone()), Some(Party::Named(_)))
    })
}
