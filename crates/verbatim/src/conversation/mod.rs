//! Conversations: to whom each remark was made ([`Quote::addressee`]) and how it reached the
//! page ([`Quote::setting`]).
//!
//! [`annotate`] runs after speaker resolution and reads the cue's sentence (the *frame*: the
//! sentence without the quote's content and without quoted words), the quotation itself, the
//! quotes around it and the document.
//!
//! **Addressee**, first rule that applies:
//! 1. Passive "X was told / asked / warned" → X.
//! 2. The object of a telling verb in the cue ("told his Russian counterpart", "asked Mrs
//!    Clinton"), else the phrase after "to"/"with" following a word of speaking or writing in
//!    the frame ("said to X", "in a letter to X", "while talking with X", "in an interview
//!    with X"; not "after talking with X": that conversation is over).
//! 3. A vocative in the quotation: "Yo, Blair", "Dmitry, I understand", "Thank you, Mr
//!    Obama."; not "Obama, I think, is wrong".
//! 4. A reply in a reported exchange: a reply verb ("responded", "replied", "then said"), or
//!    a turn answering whoever addressed it, or a turn between two parties in conversation,
//!    right after the other party's remark (same or next paragraph) → the previous speaker.
//! 5. The same speaker continuing (same or next paragraph) → the previous remark's addressee.
//! 6. A conversation the document establishes ("making unguarded comments with X", "Mr
//!    Obama and Mr Medvedev met", "was caught in a candid conversation with X") → the other
//!    party, for remarks by either party: the nearest such sentence before the remark, else
//!    one just after it (same or next paragraph).
//!
//! Decisions: the addressee is always a *named* party — a name, or a role noun or pronoun the
//! mention layer resolves to one ("his Russian counterpart" → "Dmitry Medvedev"), or a group of
//! named people. An explicit but unnamed audience ("told reporters", "told a colleague",
//! "said in a speech to the nation") gives `None` and stops the later rules: the text says to
//! whom, and it is no one we can name. Nothing is ever guessed from nothing: two remarks in a
//! row by different people are not an exchange without a reply verb or a conversation.
//!
//! **Setting**, first rule that applies:
//! 1. Evidence in the frame, the nearest to the cue winning (ties: overheard, social media,
//!    statement, interview, on record): `overheard` ("overheard", "open/hot mic", a microphone
//!    "still on" or that "picked up" the words, "unaware" of it, "unguarded", "leaked",
//!    "candid/private conversation", "caught on tape", passive "was heard saying");
//!    `social_media` ("tweeted", "posted", "on Facebook"); `statement` ("statement", "press
//!    release", "letter", "email"); `interview`; `on_record` ("reporters", "press conference",
//!    "briefing", "speech", "rally", "hearing", "testified", "announced"). "heard" meaning
//!    listened to ("Reporters heard Mr Obama say", "the court heard that") is not evidence.
//! 2. The speaker is a party to a conversation the document reports as caught on a microphone
//!    (scoped as for the addressee, and ended for that speaker by a later remark of theirs
//!    with public evidence), or the remark replies to an overheard one → `overheard`. A third
//!    party's later statement is not part of that conversation.
//! 3. The same speaker continuing → the previous remark's setting, when that one had
//!    evidence.
//! 4. Otherwise, for an act of speaking or writing (or a direct quotation) by a known, named
//!    source: `on_record` — in news a plainly attributed "said" is on the record — except when
//!    it was told to an individual ("told his wife", "told Mr X"), which says nothing about how
//!    it became public (`unknown`), or the source is anonymous ("a senior official, speaking on
//!    condition of anonymity") (`unknown`). Told to an organisation ("told the BBC") is on
//!    the record.
//! 5. Otherwise `unknown` (no source, or a stance rather than a remark: "Moscow has long
//!    opposed…").

mod frame;
mod story;
mod words;

use crate::attribution::{Quote, Setting};
use crate::forms::Forms;
use crate::resolution::{token_range, EntityId, EntityKind, Form, Mention, Mentions, Referent};
use crate::text::{qflags, Text, TokenKind};
use std::collections::HashMap;
use std::ops::Range;

/// Fill `addressee` and `setting` of every quote (quotes are in text order, speakers already
/// resolved). `pos` holds the UPOS index of every token (see [`crate::tagging::pos::UPOS`]);
/// an empty or short slice is fine (the rules fall back to words). `mentions` is the mention
/// layer of the same `text` (see [`Mentions::with_quotes`]). Existing values are overwritten.
pub fn annotate(text: &Text<'_>, pos: &[u8], mentions: &Mentions, quotes: &mut [Quote]) {
    annotate_forms(
        text,
        pos,
        mentions,
        quotes,
        &crate::forms::WordCache::new().fresh(text),
    );
}

/// [`annotate`] with the word forms' values at hand.
pub(crate) fn annotate_forms(
    text: &Text<'_>,
    pos: &[u8],
    mentions: &Mentions,
    quotes: &mut [Quote],
    forms: &Forms<'_>,
) {
    let doc = Doc::new(text, pos, mentions, forms);
    let talks = story::Talks::new(story::talks(&doc));
    let infos: Vec<Info> = quotes.iter().map(|q| Info::new(&doc, q)).collect();
    // Per speaker: sentence of their last remark with public evidence; conversations before
    // it no longer cover their remarks.
    let mut reset = Resets::default();
    let mut done: Vec<Done> = Vec::with_capacity(quotes.len());
    for (n, info) in infos.iter().enumerate() {
        let prev = n.checked_sub(1).map(|p| (&infos[p], &done[p]));
        let since = info
            .speaker
            .as_ref()
            .and_then(|s| reset.last(&doc, s))
            .unwrap_or(0);
        let d = decide(&doc, &talks, info, prev, since);
        if let (Some(s), Evidence::Frame) = (&info.speaker, d.evidence) {
            if d.setting != Setting::Overheard {
                reset.push(&doc, s, info.sentence);
            }
        }
        quotes[n].addressee = d.addressee.as_ref().and_then(|w| doc.who_name(w));
        quotes[n].setting = d.setting;
        done.push(d);
    }
}

/// Per speaker, the sentence of their last remark with public evidence, indexed so that the
/// latest entry [`Doc::same`] as a speaker is found without scanning: entries are numbered in
/// push order, and the latest one per entity, per text name, and per name (of either kind)
/// is kept.
#[derive(Default)]
struct Resets {
    count: usize,
    /// Entity entries by entity.
    by_entity: HashMap<EntityId, (usize, usize)>,
    /// Text entries by their name.
    by_text: HashMap<String, (usize, usize)>,
    /// All entries with a name, by that name.
    by_name: HashMap<String, (usize, usize)>,
}

impl Resets {
    fn push(&mut self, doc: &Doc<'_, '_>, w: &Who, sentence: usize) {
        let v = (self.count, sentence);
        self.count += 1;
        match w {
            Who::Entity(id) => {
                self.by_entity.insert(*id, v);
            }
            Who::Text(t) => {
                if doc.who_name(w).is_some() {
                    self.by_text.insert(t.clone(), v);
                }
            }
        }
        if let Some(name) = doc.who_name(w) {
            self.by_name.insert(name, v);
        }
    }

    /// The sentence of the latest entry `e` with `doc.same(e, s)`.
    fn last(&self, doc: &Doc<'_, '_>, s: &Who) -> Option<usize> {
        let name = doc.who_name(s);
        let hit = match s {
            // An entity is the same as itself, or as a text entry with its name.
            Who::Entity(id) => {
                let a = self.by_entity.get(id).copied();
                let b = name.and_then(|n| self.by_text.get(&n).copied());
                a.max(b)
            }
            // A text is the same as any entry with its name.
            Who::Text(_) => name.and_then(|n| self.by_name.get(&n).copied()),
        };
        hit.map(|(_, at)| at)
    }
}

/// Where a setting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// Words in the quote's own sentence.
    Frame,
    /// The document: a conversation, an exchange, a continuation.
    Context,
    /// The default rule, or nothing.
    Default,
}

/// What was decided for one quote.
#[derive(Clone, Debug)]
struct Done {
    addressee: Option<Who>,
    setting: Setting,
    evidence: Evidence,
    /// Told to an individual ("told his wife"), so not on the record by default.
    private: bool,
}

/// The addressee and setting of one quote, given the previous quote and what was decided for it.
fn decide(
    doc: &Doc<'_, '_>,
    talks: &story::Talks,
    info: &Info,
    prev: Option<(&Info, &Done)>,
    since: usize,
) -> Done {
    if info.empty {
        return Done {
            addressee: None,
            setting: Setting::Unknown,
            evidence: Evidence::Default,
            private: false,
        };
    }
    let not_self = |w: &Who| info.speaker.as_ref().is_none_or(|s| !doc.same(s, w));
    // Explicit audience, vocative.
    let explicit = frame::explicit(doc, info);
    let mut addressee: Option<Who> = None;
    let mut audience_given = false;
    let mut told_person = false;
    let mut told_org = false;
    let mut public_audience = false;
    if let Some(x) = &explicit {
        audience_given = true;
        match &x.party {
            Party::Named(id) => {
                let w = Who::Entity(*id);
                // A passive "X was told" names the addressee even where the extractor also
                // took X for the source.
                if x.passive || not_self(&w) {
                    let org = doc.m.entity(*id).is_some_and(|e| e.is_organization_like());
                    told_org = org;
                    told_person = !org;
                    addressee = Some(w);
                } else {
                    audience_given = false;
                }
            }
            Party::Unnamed { public, person } => {
                public_audience = *public;
                told_person = *person;
            }
        }
    }
    if !audience_given {
        addressee = frame::vocative(doc, info).filter(|w| not_self(w));
    }
    // Public evidence in the frame puts the remark outside any private conversation; telling
    // an organisation or a public audience is such evidence ("Ms Bright told the Echo that…"
    // after her overheard aside is on the record, not more of the aside), unless the source
    // is anonymous ("a source close to the minister told The Sun").
    let anonymous = frame::is_anonymous(doc, info);
    let told_public = (told_org || public_audience) && !anonymous;
    let frame_setting = frame::evidence(doc, info);
    let public_frame = frame_setting.is_some_and(|s| s != Setting::Overheard) || told_public;
    // The exchange and the conversation.
    let speaker = info.speaker.as_ref();
    let scope = speaker
        .and_then(|s| story::scope(talks, s, info, since))
        .filter(|_| !public_frame);
    let continuing = prev.filter(|(p, _)| {
        speaker.is_some_and(|s| p.speaker.as_ref().is_some_and(|ps| doc.same(s, ps)))
            && info.first_para <= p.last_para + 1
    });
    let reply = prev.filter(|(p, pd)| {
        let (Some(s), Some(ps)) = (speaker, p.speaker.as_ref()) else {
            return false;
        };
        !doc.same(s, ps)
            && info.first_para <= p.last_para + 1
            && info.first_para >= p.first_para
            && (frame::is_reply(doc, info)
                // Answering whoever addressed it, or the other party of the conversation; a
                // remark made in public is not a turn of a private exchange.
                || (!public_frame && pd.addressee.as_ref().is_some_and(|a| doc.same(a, s)))
                || scope
                    .as_ref()
                    .and_then(|sc| sc.partner.as_ref())
                    .is_some_and(|w| doc.same(w, ps)))
    });
    if addressee.is_none() && !audience_given {
        if let Some((p, _)) = reply {
            addressee = p.speaker.clone().filter(|w| doc.is_named_who(w));
        }
    }
    if addressee.is_none() && !audience_given && !public_frame {
        if let Some((_, pd)) = continuing {
            addressee = pd.addressee.clone().filter(|w| not_self(w));
            // "He added: …" after "told his wife: …" is as private as the first part.
            told_person |= addressee.is_some() && pd.private;
        }
    }
    if addressee.is_none() && !audience_given {
        addressee = scope.as_ref().and_then(|sc| sc.partner.clone());
    }
    // Setting.
    let (setting, evidence) = if let Some(s) = frame_setting {
        (s, Evidence::Frame)
    } else if told_public {
        // The same speaker still talking to that outlet ("told Politico in an interview … He
        // told Politico …") keeps the setting it had; otherwise telling it is on the record.
        let kept = continuing
            .filter(|(_, pd)| pd.evidence == Evidence::Frame && pd.setting != Setting::Overheard)
            .map(|(_, pd)| pd.setting);
        (kept.unwrap_or(Setting::OnRecord), Evidence::Frame)
    } else if scope.as_ref().is_some_and(|sc| sc.overheard)
        || reply.is_some_and(|(_, pd)| pd.setting == Setting::Overheard)
    {
        (Setting::Overheard, Evidence::Context)
    } else if let Some((_, pd)) = continuing.filter(|(_, pd)| pd.evidence != Evidence::Default) {
        (pd.setting, Evidence::Context)
    } else if info.speaker.is_some() && !told_person && frame::is_speech(doc, info) && !anonymous {
        (Setting::OnRecord, Evidence::Default)
    } else {
        (Setting::Unknown, Evidence::Default)
    };
    Done {
        addressee,
        setting,
        evidence,
        private: told_person,
    }
}

/// A party the text names: an entity of the mention layer, or a name it does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Who {
    /// An entity.
    Entity(EntityId),
    /// A resolved name with no entity behind it.
    Text(String),
}

/// What an audience phrase ("his Russian counterpart", "reporters") refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Party {
    /// A named entity.
    Named(EntityId),
    /// Someone or something unnamed: `public` for an audience that makes the remark public
    /// ("reporters"), `person` for an individual or private group ("a colleague", "aides").
    Unnamed { public: bool, person: bool },
}

/// How far from its cue and source (in tokens) a quote's frame reaches, at most: news
/// sentences are a few dozen tokens, so only a text without sentence ends meets this.
const FRAME_REACH: usize = 200;

/// What one quote looks like in tokens.
#[derive(Clone, Debug)]
struct Info {
    /// No token of the content lies in the text (bad spans): nothing to decide.
    empty: bool,
    content: Vec<Range<usize>>,
    source: Vec<Range<usize>>,
    cue: Option<Range<usize>>,
    /// Where the remark is introduced: the cue, else the content.
    anchor: Range<usize>,
    /// Sentence of the anchor.
    sentence: usize,
    first_para: usize,
    last_para: usize,
    /// Tokens of the cue's (and source's) sentences outside the content and outside quotation
    /// marks, in order.
    /// (Token indices fit in `u32`: a text has at most 4 GiB; half the memory of `usize`,
    /// and a long document holds one frame per quote at its memory peak.)
    frame: Vec<u32>,
    speaker: Option<Who>,
}

impl Info {
    fn new(doc: &Doc<'_, '_>, q: &Quote) -> Info {
        let text = doc.text;
        let ranges = |spans: &[crate::text::Span]| -> Vec<Range<usize>> {
            spans.iter().filter_map(|s| token_range(text, *s)).collect()
        };
        let content = ranges(&q.content);
        let source = ranges(&q.source);
        let cue = q.cue.iter().find_map(|s| token_range(text, *s));
        let Some(first) = content.iter().map(|r| r.start).min() else {
            return Info {
                empty: true,
                content,
                source,
                cue,
                anchor: 0..0,
                sentence: 0,
                first_para: 0,
                last_para: 0,
                frame: Vec::new(),
                speaker: None,
            };
        };
        let anchor = cue.clone().unwrap_or(first..first + 1);
        let sentence = doc.sent(anchor.start);
        let all = content
            .iter()
            .chain(&source)
            .chain(cue.iter())
            .flat_map(|r| [r.start, r.end - 1]);
        let (first_para, last_para) = all.fold((usize::MAX, 0), |(a, b), k| {
            (a.min(doc.para(k)), b.max(doc.para(k)))
        });
        let mut sentences: Vec<usize> = source
            .iter()
            .chain(cue.iter())
            .flat_map(|r| r.clone())
            .map(|k| doc.sent(k))
            .collect();
        if sentences.is_empty() {
            sentences.push(doc.sent(first));
        }
        sentences.sort_unstable();
        sentences.dedup();
        let in_content = |k: usize| content.iter().any(|r| r.contains(&k));
        // A sentence thousands of tokens long (a text without full stops) would give every
        // quote in it a frame of all of them: time and memory growing with the square of its
        // length. What frames a remark lies near its cue and source.
        let (lo, hi) = source
            .iter()
            .chain(cue.iter())
            .fold((anchor.start, anchor.end), |(a, b), r| {
                (a.min(r.start), b.max(r.end))
            });
        let reach = lo.saturating_sub(FRAME_REACH)..hi.saturating_add(FRAME_REACH);
        let frame: Vec<u32> = sentences
            .iter()
            .filter_map(|&s| text.sentences.get(s).cloned())
            .flat_map(|r| r.start.max(reach.start)..r.end.min(reach.end))
            .filter(|&k| !in_content(k) && !doc.quoted(k))
            .map(|k| k as u32)
            .collect();
        let speaker = doc.speaker_of(&source, q.speaker.as_deref());
        Info {
            empty: false,
            content,
            source,
            cue,
            anchor,
            sentence,
            first_para,
            last_para,
            frame,
            speaker,
        }
    }

    fn in_frame(&self, k: usize) -> bool {
        u32::try_from(k).is_ok_and(|k| self.frame.binary_search(&k).is_ok())
    }
}

/// The document as the rules see it: words lower-cased once, tags, mentions.
struct Doc<'a, 't> {
    text: &'a Text<'t>,
    pos: &'a [u8],
    m: &'a Mentions,
    /// The text's word forms: each lower-cased once ([`Forms::lower`]), not once per token.
    forms: &'a Forms<'a>,
    /// Per entity: named by the text (a name mention, or a group of named members).
    named: Vec<bool>,
    /// Entity name → the first entity with that exact name.
    by_name: HashMap<&'a str, EntityId>,
    /// Word → the entities (in order, each once) whose first or last name it is.
    by_word: HashMap<&'a str, Vec<EntityId>>,
    /// (first token, index) of every quotation of the text, by first token.
    quotation_starts: Vec<(usize, usize)>,
}

const VERB: u8 = 15;
const AUX: u8 = 3;
const NOUN: u8 = 7;
const PROPN: u8 = 11;
const SCONJ: u8 = 13;

impl<'a, 't> Doc<'a, 't> {
    fn new(
        text: &'a Text<'t>,
        pos: &'a [u8],
        m: &'a Mentions,
        forms: &'a Forms<'a>,
    ) -> Doc<'a, 't> {
        let mut named = vec![false; m.entities().len()];
        for mm in m.mentions() {
            if mm.form == Form::Name {
                if let Some(x) = named.get_mut(mm.entity.0 as usize) {
                    *x = true;
                }
            }
        }
        for (k, e) in m.entities().iter().enumerate() {
            if !e.members.is_empty() {
                named[k] = true;
            }
            if e.name.trim().is_empty() {
                named[k] = false;
            }
        }
        let mut by_name: HashMap<&'a str, EntityId> = HashMap::new();
        let mut by_word: HashMap<&'a str, Vec<EntityId>> = HashMap::new();
        for (k, e) in m.entities().iter().enumerate() {
            let id = EntityId(k as u32);
            by_name.entry(e.name.as_str()).or_insert(id);
            let mut parts = e.name.split_whitespace();
            let first = parts.next();
            let last = parts.next_back().or(first);
            for w in first.into_iter().chain(last.filter(|&l| Some(l) != first)) {
                by_word.entry(w).or_default().push(id);
            }
        }
        let mut quotation_starts: Vec<(usize, usize)> = text
            .quotations
            .iter()
            .enumerate()
            .map(|(n, q)| (q.tokens.start, n))
            .collect();
        quotation_starts.sort_unstable();
        Doc {
            text,
            pos,
            m,
            forms,
            named,
            by_name,
            by_word,
            quotation_starts,
        }
    }

    fn len(&self) -> usize {
        self.text.word_ids.len()
    }

    /// The lower-cased word of token `k` ("" past the end).
    fn low(&self, k: usize) -> &str {
        self.text
            .word_ids
            .get(k)
            .map_or("", |&f| self.forms.lower(f))
    }

    fn is(&self, k: usize, w: &str) -> bool {
        self.low(k) == w
    }

    fn upos(&self, k: usize) -> u8 {
        self.pos.get(k).copied().unwrap_or(16)
    }

    fn sent(&self, k: usize) -> usize {
        self.text
            .sentence_of
            .get(k)
            .map_or(usize::MAX, |&s| s as usize)
    }

    fn para(&self, k: usize) -> usize {
        if k < self.text.tokens.len() {
            self.text.paragraph_of(k) as usize
        } else {
            usize::MAX
        }
    }

    fn quoted(&self, k: usize) -> bool {
        self.text
            .qflags
            .get(k)
            .is_some_and(|f| f & (qflags::IN_DOUBLE | qflags::IN_SINGLE) != 0)
    }

    fn is_word(&self, k: usize) -> bool {
        self.text
            .tokens
            .get(k)
            .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
    }

    fn is_cap(&self, k: usize) -> bool {
        self.is_word(k) && self.text.word(k).starts_with(char::is_uppercase)
    }

    /// A title before a name: "Mr", "President", "Prime", "Minister".
    fn is_title(&self, k: usize) -> bool {
        self.is_word(k)
            && (crate::lexicon::is_title_abbreviation(self.text.word(k))
                || (self.is_cap(k) && crate::lexicon::is_title(self.low(k))))
    }

    /// Indexes (into `text.quotations`) of the quotations whose first token lies in `r`.
    fn quotations_starting_in(&self, r: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let qs = &self.quotation_starts;
        let a = qs.partition_point(|&(s, _)| s < r.start);
        let b = qs.partition_point(|&(s, _)| s < r.end).max(a);
        qs[a..b].iter().map(|&(_, n)| n)
    }

    /// Mentions that start at token `k`.
    fn mentions_from(&self, k: usize) -> impl Iterator<Item = &'a Mention> {
        let ms = self.m.mentions();
        let a = ms.partition_point(|m| m.tokens.start < k);
        ms[a..].iter().take_while(move |m| m.tokens.start == k)
    }

    /// Mentions that contain token `k`.
    fn mentions_at(&self, k: usize) -> impl Iterator<Item = &'a Mention> {
        let ms = self.m.mentions();
        let b = ms.partition_point(|m| m.tokens.start <= k);
        ms[..b]
            .iter()
            .rev()
            .take(12)
            .filter(move |m| m.tokens.contains(&k))
    }

    fn is_named(&self, id: EntityId) -> bool {
        self.named.get(id.0 as usize).copied().unwrap_or(false)
    }

    fn is_named_who(&self, w: &Who) -> bool {
        match w {
            Who::Entity(id) => self.is_named(*id),
            Who::Text(t) => !t.trim().is_empty(),
        }
    }

    /// A named person, or a name with no evidence of what it is (short texts).
    fn is_personish(&self, id: EntityId) -> bool {
        self.is_named(id)
            && self
                .m
                .entity(id)
                .is_some_and(|e| matches!(e.kind, EntityKind::Person | EntityKind::Unknown))
    }

    fn who_name(&self, w: &Who) -> Option<String> {
        match w {
            Who::Entity(id) => self.m.name(&Referent::Entity(*id)),
            Who::Text(t) => (!t.trim().is_empty()).then(|| t.clone()),
        }
    }

    fn same(&self, a: &Who, b: &Who) -> bool {
        match (a, b) {
            (Who::Entity(x), Who::Entity(y)) => x == y,
            _ => self.who_name(a).is_some() && self.who_name(a) == self.who_name(b),
        }
    }

    /// The speaker of a quote: the entity its source refers to, else the entity named like
    /// the resolved speaker, else that name.
    fn speaker_of(&self, source: &[Range<usize>], speaker: Option<&str>) -> Option<Who> {
        for r in source {
            if let Some(Referent::Entity(id)) = self.m.referent(self.text, r.clone()) {
                if self.is_named(id) {
                    return Some(Who::Entity(id));
                }
            }
        }
        let s = speaker?.trim();
        if s.is_empty() {
            return None;
        }
        let hit = self.by_name.get(s).copied().filter(|&id| self.is_named(id));
        Some(hit.map_or_else(|| Who::Text(s.to_string()), Who::Entity))
    }

    /// What the phrase at `r` refers to, as an audience.
    fn party(&self, r: Range<usize>) -> Option<Party> {
        let words: Vec<usize> = r.clone().filter(|&k| self.is_word(k)).collect();
        let (&first, &head) = (words.first()?, words.last()?);
        // A common-noun audience: "reporters", "a colleague" (a capital only at a sentence
        // start: "Reporters were told").
        let sentence_start = self
            .text
            .sentences
            .get(self.sent(head))
            .is_some_and(|s| s.start == head);
        let unnamed = |generic: bool| {
            let public = words::is_public_audience(self.low(head));
            Party::Unnamed {
                public,
                person: generic && !public,
            }
        };
        if words::is_generic_person(self.low(head)) && (!self.is_cap(head) || sentence_start) {
            return Some(unnamed(true));
        }
        match self.m.referent(self.text, first..head + 1) {
            Some(Referent::Entity(id))
                if self.is_named(id)
                    && self
                        .m
                        .entity(id)
                        .is_some_and(|e| e.kind != EntityKind::Thing) =>
            {
                Some(Party::Named(id))
            }
            // A person the text does not name ("his wife"), or no one ("loud applause").
            Some(Referent::Entity(id)) => Some(unnamed(
                self.m
                    .entity(id)
                    .is_some_and(|e| e.kind == EntityKind::Person),
            )),
            _ => Some(unnamed(words::is_generic_person(self.low(head)))),
        }
    }

    /// The named person (or unknown-kind name) whose first or last name is the word at `k`,
    /// when exactly one fits: "Dmitry" → Dmitry Medvedev.
    fn person_by_word(&self, k: usize) -> Option<EntityId> {
        let w = self.text.word(k);
        let mut hits = self
            .by_word
            .get(w)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&id| self.is_personish(id));
        let one = hits.next()?;
        hits.next().is_none().then_some(one)
    }
}

#[cfg(test)]
mod tests;
