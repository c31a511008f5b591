//! Speaker resolution: each quote's source, resolved to the fullest name the document gives.
//!
//! The work is done by [`Mentions`], a mention layer built once per document and reusable for
//! addressees ("told his Russian counterpart", "talking with Mr Obama"):
//!
//! * **Names.** Capitalised chunks split into titles/descriptors and the name proper
//!   ("US President | Barack Obama", "deputy national security adviser | Ben Rhodes"); a
//!   capital at a sentence start or in a headline counts only with evidence (the word is
//!   capitalised mid-sentence elsewhere, is a title, a common first name, or tagged PROPN
//!   outside headlines). Organisation names end at their head word ("Washington Post | Trump").
//! * **Entities.** Full names link when first and last names agree (or one is the tail of the
//!   other: "Suu Kyi", "De Blasio"). A lone surname ("Mr Obama", "Clinton") or first name
//!   links to a compatible full name: the most recent one when it was the subject of this or
//!   the previous sentence, else the one mentioned most so far (a passing "Heidi Cruz" does
//!   not take "Cruz" from Ted), else, in a headline, the first one mentioned later. Gender
//!   comes from honorifics and gendered roles (strong), "X said he/she" (strong), first names
//!   (weak: US SSA data, see [`names`]), so "Mrs Clinton" never joins Bill Clinton while "Mr.
//!   Graham" still joins Lindsey Graham.
//! * **Pronouns.** One pass keeps a Lappin–Leass salience per entity (recency halved each
//!   sentence; subjects, speakers, heads and non-PP mentions weigh more; quoted mentions less)
//!   and resolves he/she to the most salient gender-compatible person, they to a group ("Mr
//!   Obama and Mr Medvedev", "Republicans", "top black lawmakers said") or, weakly, an
//!   organisation, it to an organisation or a speaking thing ("the report says"). Clear he/she
//!   resolutions give a gender to names that had none, and the pass runs once more.
//! * **Role nouns.** "the president", "the Republican nominee", "his Russian counterpart" go
//!   to the most recent entity whose title phrase carries the head noun and every
//!   discriminating modifier (nationality, party, capitalised word, "former"/"vice"); "the
//!   newspaper" to the most recent organisation of that kind; "the campaign" to the most recent
//!   "`<Name>` campaign".
//!
//! Decisions (documented because they are choices):
//! * A pronoun (he, she, they, it, I, we, who...) with no antecedent gives `None`: "he" says
//!   nothing about who spoke, and a caller can still show the source span.
//! * A source that is not a name and does not resolve keeps its own text, cleaned: leading
//!   article dropped, whitespace collapsed, parentheses and trailing punctuation removed
//!   ("a White House spokesman" → "White House spokesman", "The White House" → "White House",
//!   "the senator" with no senator named → "senator"). A relational phrase keeps its text
//!   ("his attorney", "Obama's former campaign strategist").
//! * A statement, report, letter, email or post "from"/"by" a name is that name's ("a statement
//!   from the White House" → "White House"), not its possessor's ("a report from the State
//!   Department's inspector general" keeps its text).
//! * A coordination of names resolves each ("Obama and Clinton" → "Barack Obama and Hillary
//!   Clinton").
//! * The fullest name is the longest the document gives ("Donald J. Trump" over "Donald
//!   Trump"); a name never seen in full stays as given ("President Sarkozy" → "Sarkozy").
//! * POS tags are optional evidence: with all tags `X` (16) the rules fall back to word lists.
//!
//! Cost: one table lookup per token, then work per mention over a small window; the whole
//! layer runs at well over a million tokens per second, about linearly in the document's
//! length (see `examples/resolution_scaling.rs`). Nothing scans every earlier mention or
//! entity: names link through hash indexes (by name, word-tail, first and last name,
//! acronym), a pronoun looks only at the entities mentioned within the salience window (older
//! ones score 0 anyway), role nouns at the last 200 mentions and at each entity's distinct
//! role words, and the queries (a stray capitalised word, "the campaign", "I" in a quotation)
//! go through indexes built with the layer. These are exact: the answers are those of full
//! scans.

mod mentions;
pub mod names;
mod words;

use crate::attribution::Quote;
use crate::forms::{Forms, WordCache};
use crate::text::{Span, Text, TokenKind};
pub(crate) use mentions::form_flags;
use mentions::Ctx;
use std::collections::HashMap;
use std::ops::Range;
use words::Pro;
pub(crate) use words::{is_animate_plural, is_org_noun, is_person_role};

/// Fill `speaker` of every quote from its source spans: the fullest name the document gives,
/// a cleaned form of the source text when it names no one, `None` when there is no source or
/// it is a pronoun without an antecedent.
///
/// `pos` holds the UPOS index of every token (see [`crate::tagging::pos::UPOS`]); all `X`
/// (16), or an empty slice, is fine.
pub fn resolve_speakers(text: &Text<'_>, pos: &[u8], quotes: &mut [Quote]) {
    if quotes.iter().all(|q| q.source.is_empty()) {
        for q in quotes.iter_mut() {
            q.speaker = None;
        }
        return;
    }
    let m = Mentions::with_quotes(text, pos, quotes);
    for q in quotes.iter_mut() {
        q.speaker = m.resolve_spans(text, &q.source);
    }
}

/// Index of an entity in [`Mentions::entities`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub u32);

impl EntityId {
    /// No entity (an unresolved pronoun).
    pub const NONE: EntityId = EntityId(u32::MAX);
}

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, agency, newspaper, party...
    Organization,
    /// Several people or a plural group ("Mr Obama and Mr Medvedev", "Republicans").
    Group,
    /// A country or city.
    Place,
    /// Something else ("the report").
    Thing,
    /// A name without evidence either way.
    Unknown,
}

/// Grammatical gender evidence for an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    /// Mr, a male first name, "spokesman".
    Male,
    /// Mrs/Ms, a female first name, "spokeswoman".
    Female,
    /// No evidence, or mixed.
    Unknown,
}

/// A word of a title or role phrase attached to an entity, normalised ("gop" → "republican"),
/// with its left neighbour in the phrase ("vice" for "president").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleWord {
    /// The word, lower case, normalised.
    pub word: Box<str>,
    /// The word before it in the same phrase.
    pub prev: Option<Box<str>>,
}

/// One person, organisation, place or group the document mentions.
#[derive(Clone, Debug)]
pub struct Entity {
    /// The canonical name: the fullest name the document gives ("Barack Obama").
    pub name: String,
    /// What it is.
    pub kind: EntityKind,
    /// Gender evidence.
    pub gender: Gender,
    /// For a group made of named entities: its members.
    pub members: Vec<EntityId>,
    /// Title, role and descriptor words from every mention ("us", "president").
    pub roles: Vec<RoleWord>,
    norm: String,
    first: String,
    last: String,
    acronym: String,
    name_tokens: usize,
    first_token: usize,
    best_len: usize,
    ev_org: bool,
    ev_person: bool,
    ev_place: bool,
    ev_thing: bool,
    ev_group: bool,
    /// Named with "the" in front ("the Kremlin"): not a person, whatever else it is.
    ev_article: bool,
    gender_hint: Option<bool>,
    /// The gender hint comes from a first name only.
    gender_weak: bool,
    /// Some mention so far was a clause subject, next to a speech verb, or a known source.
    spoke: bool,
    /// [`Entity::roles`] by word: the distinct left neighbours each word was seen with. Role
    /// matching reads this, so its cost does not grow with the number of mentions.
    role_index: HashMap<Box<str>, Vec<Option<Box<str>>>>,
}

impl Entity {
    fn new(
        norm: String,
        first: String,
        last: String,
        name_tokens: usize,
        acronym: String,
        at: usize,
    ) -> Entity {
        Entity {
            name: String::new(),
            kind: EntityKind::Unknown,
            gender: Gender::Unknown,
            members: Vec::new(),
            roles: Vec::new(),
            norm,
            first,
            last,
            acronym,
            name_tokens,
            first_token: at,
            best_len: 0,
            ev_org: false,
            ev_person: false,
            ev_place: false,
            ev_thing: false,
            ev_group: false,
            ev_article: false,
            gender_hint: None,
            gender_weak: false,
            spoke: false,
            role_index: HashMap::new(),
        }
    }

    /// Add a title or role word (to [`Entity::roles`] and its index).
    fn add_role(&mut self, rw: RoleWord) {
        let prevs = self.role_index.entry(rw.word.clone()).or_default();
        if !prevs.contains(&rw.prev) {
            prevs.push(rw.prev.clone());
        }
        self.roles.push(rw);
    }

    /// Some title or role word of the entity is `w`.
    fn has_role(&self, w: &str) -> bool {
        self.role_index.contains_key(w)
    }

    /// The distinct left neighbours of the role word `w` (empty when it has no such role).
    fn role_prevs(&self, w: &str) -> &[Option<Box<str>>] {
        self.role_index.get(w).map_or(&[], Vec::as_slice)
    }

    /// True for a person.
    pub fn is_person(&self) -> bool {
        self.kind == EntityKind::Person
    }

    /// True for an organisation, or a name of unknown kind the text puts after "the" ("told
    /// The Sun", "the Guardian"): a person's name does not take the article, though a family's
    /// does ("told the Smiths"), so not a name ending in a plural -s.
    pub fn is_organization_like(&self) -> bool {
        self.kind == EntityKind::Organization
            || (self.kind == EntityKind::Unknown && self.ev_article && !self.name.ends_with('s'))
    }

    /// Does the name contain the (lower-case) word `w`?
    fn name_has(&self, w: &str) -> bool {
        self.norm.split(' ').any(|x| x == w)
    }

    /// Recompute the kind from the evidence gathered so far.
    fn refresh_kind(&mut self) {
        self.kind = if self.ev_org && !self.ev_person {
            EntityKind::Organization
        } else if self.ev_person || (self.gender_hint.is_some() && !self.ev_place && !self.ev_thing)
        {
            EntityKind::Person
        } else if self.ev_group {
            EntityKind::Group
        } else if self.ev_place {
            EntityKind::Place
        } else if self.ev_thing {
            EntityKind::Thing
        } else {
            EntityKind::Unknown
        };
    }
}

/// How a mention refers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// A name ("Mr Obama": the tokens are "Obama").
    Name,
    /// A personal pronoun.
    Pronoun,
    /// A role noun phrase ("the president").
    Role,
    /// A coordination of names ("Mr Obama and Mr Medvedev").
    Coordination,
}

/// One mention of an entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Its tokens (for a name: the name proper, titles excluded).
    pub tokens: Range<usize>,
    /// The entity, or [`EntityId::NONE`] for an unresolved pronoun.
    pub entity: EntityId,
    /// How it refers.
    pub form: Form,
    /// Heads its noun phrase (not a possessor or modifier: "Obama" in "Obama's aide" is not).
    pub head: bool,
    /// Looks like the subject of its clause.
    pub subject: bool,
    /// Next to a speech verb, or a known source.
    pub speaker: bool,
    /// Inside quotation marks.
    pub quoted: bool,
}

/// What a phrase refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Referent {
    /// An entity of the document.
    Entity(EntityId),
    /// No entity; the text to show (cleaned source, or several names joined).
    Text(String),
}

/// Every person and organisation mention of one document, linked into entities, with
/// pronouns and role nouns resolved. Build once per document; query with
/// [`Mentions::resolve_mention`] (token ranges) or [`Mentions::resolve_span`] (byte spans).
#[derive(Clone, Debug, Default)]
pub struct Mentions {
    entities: Vec<Entity>,
    /// Sorted by start.
    mentions: Vec<Mention>,
    /// Known quotes, for "I" inside a quotation.
    hints: Vec<QuoteHint>,
    /// Indexes for the queries, so that none scans the whole document.
    lookup: Lookup,
}

/// What the queries look up, indexed once per document.
#[derive(Clone, Debug, Default)]
struct Lookup {
    /// Name mentions (indices into `mentions`, ascending) by the last name and by the whole
    /// name of their entity, lower case: for a capitalised word no chunk took.
    by_word: HashMap<String, Vec<u32>>,
    /// Name mentions followed by an organisation noun ("Trump campaign"), by that noun in
    /// ASCII lower case.
    by_org_noun: HashMap<String, Vec<u32>>,
    /// The content ranges of the hints by start, with their hint; and the largest end so far.
    hint_spans: Vec<(Range<usize>, usize)>,
    hint_reach: Vec<usize>,
    /// The largest end so far among the text's quotations (empty when they are not sorted by
    /// start).
    quote_reach: Vec<usize>,
}

impl Lookup {
    fn new(
        text: &Text<'_>,
        entities: &[Entity],
        mentions: &[Mention],
        hints: &[QuoteHint],
    ) -> Self {
        // The lists of each entity's keys: last name, and whole name when different.
        let mut slot_of: HashMap<&str, usize> = HashMap::new();
        let mut slots: Vec<[Option<usize>; 2]> = Vec::with_capacity(entities.len());
        for en in entities {
            let mut slot = |k| -> usize {
                let n = slot_of.len();
                *slot_of.entry(k).or_insert(n)
            };
            let a = slot(en.last.as_str());
            let b = slot(en.norm.as_str());
            slots.push([Some(a), (b != a).then_some(b)]);
        }
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); slot_of.len()];
        let mut by_org_noun: HashMap<String, Vec<u32>> = HashMap::new();
        for (k, m) in mentions.iter().enumerate() {
            if m.form != Form::Name {
                continue;
            }
            if let Some(s) = slots.get(m.entity.0 as usize) {
                for l in s.iter().flatten() {
                    lists[*l].push(k as u32);
                }
            }
            if m.tokens.end < text.tokens.len() {
                let w = text.word(m.tokens.end);
                if words::org_kind_words(w).is_some() {
                    by_org_noun
                        .entry(w.to_ascii_lowercase())
                        .or_default()
                        .push(k as u32);
                }
            }
        }
        let by_word = slot_of
            .into_iter()
            .map(|(key, l)| (key.to_string(), std::mem::take(&mut lists[l])))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let mut hint_spans: Vec<(Range<usize>, usize)> = hints
            .iter()
            .enumerate()
            .flat_map(|(h, (content, _))| content.iter().map(move |c| (c.clone(), h)))
            .collect();
        hint_spans.sort_by_key(|(r, h)| (r.start, *h));
        let hint_reach = reach(hint_spans.iter().map(|(r, _)| r.clone()));
        let q = &text.quotations;
        let quote_reach = if q.windows(2).all(|w| w[0].tokens.start <= w[1].tokens.start) {
            reach(q.iter().map(|x| x.tokens.clone()))
        } else {
            Vec::new()
        };
        Lookup {
            by_word,
            by_org_noun,
            hint_spans,
            hint_reach,
            quote_reach,
        }
    }
}

/// For ranges sorted by start: the largest end among the first `j + 1`, for every `j`.
fn reach(ranges: impl Iterator<Item = Range<usize>>) -> Vec<usize> {
    ranges
        .scan(0, |m, r| {
            *m = (*m).max(r.end);
            Some(*m)
        })
        .collect()
}

/// Indices of the ranges that contain `i`, largest first, given `start(j)` (sorted) and their
/// [`reach`]: only the ranges that can still reach `i` are looked at.
fn containing<'a>(
    n: usize,
    start: impl Fn(usize) -> usize,
    range: impl Fn(usize) -> Range<usize> + 'a,
    reach: &'a [usize],
    i: usize,
) -> impl Iterator<Item = usize> + 'a {
    // The first range that starts after `i`.
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if start(mid) <= i {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (0..lo)
        .rev()
        .take_while(move |&j| reach[j] > i)
        .filter(move |&j| range(j).contains(&i))
}

/// Token ranges of a known quote: (content, source).
type QuoteHint = (Vec<Range<usize>>, Vec<Range<usize>>);

/// Nested resolutions (a relative pronoun, "I" inside a quote) stop at this depth.
const MAX_DEPTH: u8 = 3;

impl Mentions {
    /// Build the mention layer of `text`. `pos`: UPOS indices per token (may be all `X`).
    pub fn new(text: &Text<'_>, pos: &[u8]) -> Mentions {
        Self::build(text, pos, &[], &WordCache::new().fresh(text))
    }

    /// Like [`Mentions::new`], with the quotes found so far as evidence: their sources are
    /// speakers (salient for later pronouns), their contents tell who "I" is.
    pub fn with_quotes(text: &Text<'_>, pos: &[u8], quotes: &[Quote]) -> Mentions {
        Self::build(text, pos, quotes, &WordCache::new().fresh(text))
    }

    /// [`Mentions::with_quotes`] with the word forms' values at hand.
    pub(crate) fn build(
        text: &Text<'_>,
        pos: &[u8],
        quotes: &[Quote],
        forms: &Forms<'_>,
    ) -> Mentions {
        // Sized ahead: collected from a filter, a Vec would start at four ranges, and a long
        // document holds two of these per quote through the memory peak.
        let ranges = |spans: &[Span]| -> Vec<Range<usize>> {
            let mut v = Vec::with_capacity(spans.len());
            v.extend(spans.iter().filter_map(|s| token_range(text, *s)));
            v
        };
        let hints: Vec<_> = quotes
            .iter()
            .map(|q| (ranges(&q.content), ranges(&q.source)))
            .collect();
        let mut sources: Vec<Range<usize>> =
            hints.iter().flat_map(|h| h.1.iter().cloned()).collect();
        sources.sort_by_key(|r| (r.start, r.end));
        let ctx = Ctx::new(text, pos, sources, forms);
        let mut protos = mentions::find_names(&ctx);
        // It lives through both walks, at the memory peak of a long document: no growth slack.
        protos.shrink_to_fit();
        let mut entities = Vec::new();
        mentions::link(&ctx, &mut protos, &mut entities);
        let mut list = Vec::with_capacity(protos.len() * 2);
        let named = entities.len();
        let votes = mentions::walk(&ctx, &protos, &mut entities, &mut list);
        // Genders learnt from clear pronouns change later choices: walk again.
        if mentions::learn_genders(&mut entities[..named], &votes) {
            entities.truncate(named);
            for en in &mut entities {
                en.spoke = false;
            }
            list.clear();
            mentions::walk(&ctx, &protos, &mut entities, &mut list);
        }
        // The name candidates and per-token context are done with: free them before the lookup
        // tables are built (on a long document this is the memory peak).
        drop(protos);
        drop(ctx);
        // Groups are named by their members.
        for g in 0..entities.len() {
            if entities[g].name.is_empty() && !entities[g].members.is_empty() {
                let names: Vec<String> = entities[g]
                    .members
                    .iter()
                    .map(|m| entities[m.0 as usize].name.clone())
                    .collect();
                entities[g].name = join_names(&names);
            }
        }
        // Both live as long as the quotes do.
        list.shrink_to_fit();
        entities.shrink_to_fit();
        let lookup = Lookup::new(text, &entities, &list, &hints);
        Mentions {
            entities,
            mentions: list,
            hints,
            lookup,
        }
    }

    /// All entities.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// One entity.
    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(id.0 as usize)
    }

    /// All mentions, by position.
    pub fn mentions(&self) -> &[Mention] {
        &self.mentions
    }

    /// The name for a referent: the entity's canonical name, or the text.
    pub fn name(&self, r: &Referent) -> Option<String> {
        let s = match r {
            Referent::Entity(e) => self.entity(*e)?.name.clone(),
            Referent::Text(t) => t.clone(),
        };
        (!s.trim().is_empty()).then_some(s)
    }

    /// Resolve the phrase at `tokens` (a source, an addressee) to a name. See the module docs
    /// for what comes back when it names no one.
    pub fn resolve_mention(&self, text: &Text<'_>, tokens: Range<usize>) -> Option<String> {
        let r = self.referent(text, tokens.clone())?;
        self.name(&r).or_else(|| {
            let ctx = Ctx::light(text);
            let s = clean_phrase(&ctx, tokens);
            (!s.is_empty()).then_some(s)
        })
    }

    /// Like [`Mentions::resolve_mention`] for a byte span.
    pub fn resolve_span(&self, text: &Text<'_>, span: Span) -> Option<String> {
        match token_range(text, span) {
            Some(r) => self.resolve_mention(text, r),
            None => {
                let s = collapse(span.slice(text.text));
                (!s.is_empty()).then_some(s)
            }
        }
    }

    /// Resolve a source made of several spans: each resolved, duplicates dropped, joined
    /// ("A and B"). `None` for no spans.
    pub fn resolve_spans(&self, text: &Text<'_>, spans: &[Span]) -> Option<String> {
        let mut names: Vec<String> = Vec::new();
        for s in spans {
            if let Some(n) = self.resolve_span(text, *s) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        (!names.is_empty()).then(|| join_names(&names))
    }

    /// What the phrase at `tokens` refers to: an entity, or text to show; `None` for a
    /// pronoun without antecedent or an empty range.
    pub fn referent(&self, text: &Text<'_>, tokens: Range<usize>) -> Option<Referent> {
        if tokens.is_empty() || tokens.end > text.tokens.len() {
            return None;
        }
        let ctx = Ctx::light(text);
        self.referent_at(&ctx, tokens, 0)
    }

    fn referent_at(&self, ctx: &Ctx<'_, '_>, r: Range<usize>, depth: u8) -> Option<Referent> {
        let r = trim(ctx, r)?;
        if r.len() == 1 {
            if let Some(pro) = words::pronoun(ctx.word(r.start)) {
                return self.pronoun_referent(ctx, r.start, pro, depth);
            }
        }
        // "Obama and Clinton", "Mr. King and Mr. Schultz".
        if let Some(parts) = self.coordination(ctx, r.clone()) {
            let mut names: Vec<String> = Vec::new();
            for p in parts {
                if let Some(n) = self
                    .referent_at(ctx, p, depth + 1)
                    .and_then(|x| self.name(&x))
                {
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
            }
            if names.len() >= 2 {
                return Some(Referent::Text(join_names(&names)));
            }
        }
        let main = self.main_part(ctx, r.clone());
        if main.clone().any(|k| ctx.is(k, "and")) && self.name_at(main.start).is_none() {
            // "India and Pakistan" where only one side is a known name: the head alone would
            // drop the other.
            let head_end = self.cut(ctx, main.clone());
            // Only when a name follows the "and" directly ("India and Pakistan", not "his wife
            // and current Democratic presidential nominee Hillary Clinton").
            let and_name = (main.start..head_end).any(|k| {
                ctx.is(k, "and") && self.name_at(k + 1).is_some_and(|m| m.tokens.start == k + 1)
            });
            if and_name {
                let s = clean_phrase(ctx, main);
                return (!s.is_empty()).then_some(Referent::Text(s));
            }
        }
        let head_end = self.cut(ctx, main.clone());
        let h = head_end - 1;
        if let Some(m) = self.name_at(h) {
            return Some(Referent::Entity(m.entity));
        }
        // "a statement from the White House", "a report by the Pentagon": who issued it.
        let issued = matches!(
            ctx.word(h).to_lowercase().as_str(),
            "statement"
                | "statements"
                | "release"
                | "letter"
                | "email"
                | "e-mail"
                | "memo"
                | "tweet"
                | "tweets"
                | "post"
                | "communique"
                | "announcement"
                | "report"
        ) && head_end < main.end
            && (ctx.is(head_end, "from") || ctx.is(head_end, "by"));
        if issued {
            // The issuer itself, not a possessor ("the State Department's inspector general").
            let name = (head_end + 1..main.end.min(head_end + 3))
                .find_map(|k| self.name_at(k))
                .filter(|m| m.head);
            if let Some(m) = name {
                return Some(Referent::Entity(m.entity));
            }
        }
        // "…," the statement said: whoever issued the statement a quote just before mentions
        // ("Mayor Victor Carstarphen said in a statement that…").
        if depth < MAX_DEPTH && h > main.start && ctx.word(main.start).eq_ignore_ascii_case("the") {
            if let Some(r) = self.document_issuer(ctx, h, main.start, depth) {
                return Some(r);
            }
        }
        if ctx.is_cap(h) {
            if let Some(e) = self.lookup_word(ctx, h) {
                return Some(Referent::Entity(e));
            }
        }
        if let Some(e) = self.age_referent(ctx, main.start..head_end) {
            return Some(Referent::Entity(e));
        }
        if let Some(e) = self.role_referent(ctx, main.start..head_end) {
            return Some(Referent::Entity(e));
        }
        // "the campaign" → the most recent "<Name> campaign".
        if let Some(t) = self.compound_org(ctx, main.start..head_end) {
            return Some(Referent::Text(t));
        }
        // The phrase itself, without a relative clause ("Central European leaders who have
        // been...") but with its other modifiers ("2014 study by Loyola Law School").
        let end = (main.start + 1..main.end)
            .find(|&k| matches!(ctx.word(k), "who" | "whom" | "whose" | "which"))
            .unwrap_or(main.end);
        let s = clean_phrase(ctx, main.start..end);
        (!s.is_empty()).then_some(Referent::Text(s))
    }

    /// A pronoun at token `i`.
    fn pronoun_referent(
        &self,
        ctx: &Ctx<'_, '_>,
        i: usize,
        pro: Pro,
        depth: u8,
    ) -> Option<Referent> {
        match pro {
            Pro::He | Pro::She | Pro::They | Pro::It => {
                let k = self.mentions.partition_point(|m| m.tokens.start < i);
                self.mentions[k..]
                    .iter()
                    .take_while(|m| m.tokens.start == i)
                    .find(|m| m.form == Form::Pronoun)
                    .filter(|m| m.entity != EntityId::NONE)
                    .map(|m| Referent::Entity(m.entity))
            }
            Pro::Relative => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.relative_antecedent(ctx, i, depth)
            }
            Pro::First => {
                if depth >= MAX_DEPTH || !ctx.quoted(i) {
                    return None;
                }
                self.quote_speaker(ctx, i, depth)
            }
        }
    }

    /// "Kaine, who said", "a former civil rights lawyer who" → the noun phrase before.
    fn relative_antecedent(&self, ctx: &Ctx<'_, '_>, i: usize, depth: u8) -> Option<Referent> {
        if i == 0 {
            return None;
        }
        let mut k = i - 1;
        if ctx.is(k, ",") && k > 0 {
            k -= 1;
        }
        if ctx.sent(k) != ctx.sent(i) || !ctx.is_word(k) {
            return None;
        }
        if let Some(m) = self.name_at(k) {
            // "Peter Langley, the leader of Northvale County Council, who said": the person
            // the apposition describes, not the organisation ending it.
            if !self.entities[m.entity.0 as usize].is_person() {
                if let Some(p) = self.apposition_owner(ctx, m.tokens.start) {
                    return Some(Referent::Entity(p));
                }
            }
            return Some(Referent::Entity(m.entity));
        }
        // Walk left over the noun phrase.
        let end = k + 1;
        let mut a = k;
        while a > 0 && end - a < 6 && ctx.is_word(a - 1) && ctx.sent(a - 1) == ctx.sent(k) {
            let w = ctx.word(a - 1);
            if words::is_article(w) || words::is_possessive_det(w) {
                a -= 1;
                break;
            }
            if words::never_name(w) || ctx.verbish(a - 1) || ctx.is_possessive(a - 1) {
                break;
            }
            a -= 1;
        }
        // Appositive or predicate: "Rendell, a Clinton surrogate, who"; "Kaine is a lawyer who".
        if a >= 2 && (ctx.is(a - 1, ",") || ctx.is(a - 1, "is") || ctx.is(a - 1, "was")) {
            if let Some(m) = self.name_at(a - 2) {
                return Some(Referent::Entity(m.entity));
            }
        }
        self.referent_at(ctx, a..end, depth + 1)
    }

    /// The person before ", the leader of" when a name starts at `start` after that "of".
    fn apposition_owner(&self, ctx: &Ctx<'_, '_>, start: usize) -> Option<EntityId> {
        if start < 4 || !ctx.is(start - 1, "of") {
            return None;
        }
        let mut a = start - 1;
        while a > 0 && start - a <= 5 && ctx.is_word(a - 1) && ctx.sent(a - 1) == ctx.sent(start) {
            a -= 1;
            if words::is_article(ctx.word(a)) || words::is_possessive_det(ctx.word(a)) {
                break;
            }
        }
        if a < 2 || !ctx.is(a - 1, ",") || !words::is_person_role(ctx.word(start - 2)) {
            return None;
        }
        self.name_at(a - 2)
            .filter(|m| self.entities[m.entity.0 as usize].is_person())
            .map(|m| m.entity)
    }

    /// "I" inside a quotation: whoever said the quotation.
    /// The issuer of "the statement" (the word at `h`; the phrase starts at `at`): the source
    /// of one of the few quotes before it, within three paragraphs, that issued one — its
    /// verb followed by the same noun ("X said in a statement", "X issued a statement", "X
    /// sent a letter"; not "CBS News reports that the letter…").
    fn document_issuer(
        &self,
        ctx: &Ctx<'_, '_>,
        h: usize,
        at: usize,
        depth: u8,
    ) -> Option<Referent> {
        let noun = ctx.word(h).to_ascii_lowercase();
        if !matches!(
            noun.as_str(),
            "statement" | "release" | "letter" | "email" | "e-mail" | "memo" | "communique"
        ) {
            return None;
        }
        let start_of = |q: &QuoteHint| q.0.first().or(q.1.first()).map_or(usize::MAX, |r| r.start);
        let before = self.hints.partition_point(|q| start_of(q) < at);
        for q in self.hints[..before].iter().rev().take(8) {
            let Some(src) = q.1.first() else {
                continue;
            };
            if src.end > at || ctx.para(src.start) + 3 < ctx.para(at) {
                continue;
            }
            // The source's verb, then only "in", articles, possessives and a few modifiers.
            let issued = (src.end + 1..(src.end + 6).min(ctx.len()))
                .take_while(|&k| {
                    ctx.sent(k) == ctx.sent(src.start)
                        && (ctx.word(k).eq_ignore_ascii_case(&noun)
                            || matches!(
                                ctx.word(k).to_ascii_lowercase().as_str(),
                                "in" | "a"
                                    | "an"
                                    | "the"
                                    | "its"
                                    | "his"
                                    | "her"
                                    | "their"
                                    | "joint"
                                    | "written"
                                    | "brief"
                                    | "short"
                                    | "new"
                                    | "separate"
                                    | "lengthy"
                            ))
                })
                .any(|k| ctx.word(k).eq_ignore_ascii_case(&noun));
            if issued && src.end < ctx.len() && ctx.verbish(src.end) {
                return self.referent_at(ctx, src.clone(), depth + 1);
            }
        }
        None
    }

    fn quote_speaker(&self, ctx: &Ctx<'_, '_>, i: usize, depth: u8) -> Option<Referent> {
        // The first hint (in quote order) whose content holds `i` and whose source does not.
        let lk = &self.lookup;
        let spans = &lk.hint_spans;
        let mut hs: Vec<usize> = containing(
            spans.len(),
            |j| spans[j].0.start,
            |j| spans[j].0.clone(),
            &lk.hint_reach,
            i,
        )
        .map(|j| spans[j].1)
        .collect();
        hs.sort_unstable();
        hs.dedup();
        for h in hs {
            let source = &self.hints[h].1;
            if !source.iter().any(|s| s.contains(&i)) {
                if let Some(s) = source.first() {
                    return self.referent_at(ctx, s.clone(), depth + 1);
                }
            }
        }
        // `"...," X said` / `"...," said X` right after the quotation (the first that holds
        // `i`).
        let qs = &ctx.text.quotations;
        let q = if lk.quote_reach.len() == qs.len() {
            let at = containing(
                qs.len(),
                |j| qs[j].tokens.start,
                |j| qs[j].tokens.clone(),
                &lk.quote_reach,
                i,
            )
            .last()?;
            &qs[at]
        } else {
            qs.iter().find(|q| q.tokens.contains(&i))?
        };
        let mut k = q.tokens.end;
        let para = ctx.para(q.tokens.start);
        while k < ctx.len() && k < q.tokens.end + 3 && ctx.para(k) == para && !ctx.is_word(k) {
            k += 1;
        }
        for j in k..(k + 4).min(ctx.len()) {
            if ctx.para(j) != para {
                break;
            }
            if let Some(m) = self.mentions_at(j).find(|m| m.form != Form::Coordination) {
                let near_verb = words::is_speech_verb(ctx.word(m.tokens.end.min(ctx.len() - 1)))
                    || (j > 0 && words::is_speech_verb(ctx.word(j - 1)));
                if near_verb && m.entity != EntityId::NONE {
                    return Some(Referent::Entity(m.entity));
                }
            }
        }
        None
    }

    /// Mentions that contain token `i`.
    fn mentions_at(&self, i: usize) -> impl Iterator<Item = &Mention> {
        let k = self.mentions.partition_point(|m| m.tokens.start <= i);
        self.mentions[..k]
            .iter()
            .rev()
            .take(8)
            .filter(move |m| m.tokens.contains(&i))
    }

    /// The name mention that contains token `i`.
    fn name_at(&self, i: usize) -> Option<&Mention> {
        self.mentions_at(i).find(|m| m.form == Form::Name)
    }

    /// A capitalised word no chunk took (a sentence-initial "Politifact"): the entity whose
    /// name ends with it, nearest before (else after).
    fn lookup_word(&self, ctx: &Ctx<'_, '_>, i: usize) -> Option<EntityId> {
        let low = ctx.word(i).trim_end_matches('.').to_lowercase();
        let list = self.lookup.by_word.get(&low)?;
        let k = self.mentions.partition_point(|m| m.tokens.start < i) as u32;
        let p = list.partition_point(|&x| x < k);
        let at = if p > 0 { list[p - 1] } else { *list.get(p)? };
        Some(self.mentions[at as usize].entity)
    }

    /// Split a coordination whose every part heads with a name or pronoun.
    fn coordination(&self, ctx: &Ctx<'_, '_>, r: Range<usize>) -> Option<Vec<Range<usize>>> {
        let mut parts = Vec::new();
        let mut start = r.start;
        let mut depth = 0i32;
        for k in r.clone() {
            match ctx.word(k) {
                "(" | "[" => depth += 1,
                ")" | "]" => depth -= 1,
                "and" | "&" | "," if depth == 0 => {
                    if k > start {
                        parts.push(start..k);
                    }
                    start = k + 1;
                }
                _ => {}
            }
        }
        if start < r.end {
            parts.push(start..r.end);
        }
        if parts.len() < 2 || !(r.clone()).any(|k| ctx.is(k, "and") || ctx.is(k, "&")) {
            return None;
        }
        let named = |p: &Range<usize>| -> bool {
            let Some(t) = trim(ctx, p.clone()) else {
                return false;
            };
            let t = drop_parens_end(ctx, t);
            let last = t.end - 1;
            (t.len() == 1
                && words::pronoun(ctx.word(last)).is_some_and(|p| matches!(p, Pro::He | Pro::She)))
                || self.name_at(last).is_some_and(|m| {
                    self.entity(m.entity)
                        .is_some_and(|e| e.kind != EntityKind::Organization)
                        && m.tokens.start >= t.start
                })
        };
        parts.iter().all(named).then_some(parts)
    }

    /// The part of a phrase that names the referent: parentheses dropped; of comma-separated
    /// parts ("Michael Oppenheimer, a professor", "Another critic, Laurence H. Tribe,") the
    /// first with a name head, else the first.
    fn main_part(&self, ctx: &Ctx<'_, '_>, r: Range<usize>) -> Range<usize> {
        let mut parts: Vec<Range<usize>> = Vec::new();
        let mut start = r.start;
        let mut depth = 0i32;
        for k in r.clone() {
            match ctx.word(k) {
                "(" | "[" => depth += 1,
                ")" | "]" => depth -= 1,
                "," | ";" | "—" | "–" if depth == 0 => {
                    if k > start {
                        parts.push(start..k);
                    }
                    start = k + 1;
                }
                _ => {}
            }
        }
        if start < r.end {
            parts.push(start..r.end);
        }
        let parts: Vec<Range<usize>> = parts
            .into_iter()
            .filter_map(|p| trim(ctx, p))
            .map(|p| drop_parens_end(ctx, p))
            .collect();
        let Some(first) = parts.first().cloned() else {
            return r;
        };
        let has_name = |p: &Range<usize>| {
            let end = self.cut(ctx, p.clone());
            self.name_at(end - 1)
                .is_some_and(|m| m.tokens.start >= p.start)
        };
        if has_name(&first) {
            return first;
        }
        // A later part that is just a name ("Another critic, Laurence H. Tribe,"), perhaps
        // after a description ("Her former colleague, the surgeon Professor Lewis Spitz,").
        parts
            .iter()
            .skip(1)
            .find(|p| {
                has_name(p)
                    && self.name_at(p.end - 1).is_some_and(|m| {
                        m.tokens.start <= p.start + 2
                            || (m.tokens.start <= p.start + 6
                                && (p.start..m.tokens.start).all(|k| {
                                    ctx.is_word(k)
                                        && !ctx.verbish(k)
                                        && !matches!(ctx.word(k), "who" | "which" | "and" | "or")
                                }))
                    })
            })
            .cloned()
            .unwrap_or(first)
    }

    /// End of the head of a phrase: before the first post-modifier ("of West Virginia",
    /// "who", "for the Republican National Committee"), names taken whole ("Bank of America").
    fn cut(&self, ctx: &Ctx<'_, '_>, r: Range<usize>) -> usize {
        let mut k = r.start;
        while k < r.end {
            if let Some(m) = self.name_at(k) {
                k = m.tokens.end.max(k + 1);
                if ctx.is_possessive(k) && k < r.end {
                    k += 1;
                }
                // "Acme Robotics today", "Clinton herself": adverbs ending the phrase after a
                // name are not part of it (the source span may run up to the verb); "Guidelines
                // recently issued by" goes on. Only the listed adverbs: "a CNN tally" and "2013
                // FOIA reply" end in -ly too.
                let adverb = |j: usize| !ctx.is_cap(j) && ctx.has(j, words::flag::SUBJ_ADV);
                if k < r.end && (k..r.end).all(adverb) {
                    return k;
                }
                // "Simon Radcliffe KC", "Jane Smith KC MP": letters after the name.
                if k < r.end && (k..r.end).all(|j| words::is_post_nominal(ctx.word(j))) {
                    return k;
                }
                continue;
            }
            let w = ctx.word(k);
            if k > r.start
                && (words::is_preposition(w)
                    || matches!(w, "who" | "which" | "that" | "whose" | "," | "(" | ":"))
                && !(w == "of" && ctx.word(k - 1).eq_ignore_ascii_case("secretary"))
            {
                return k;
            }
            k += 1;
        }
        r.end
    }

    /// "the 67-year-old": the person given that age before — "Tom Hale, 67,", "the 67-year-old
    /// mayor, Tom Hale", "Ruiz, a 67-year-old teacher" — or, when the text never wrote that
    /// age before, the person last named as a subject or source (an epithet: "Steve Brannigan
    /// admitted … "…," the 51-year-old said"). An age given to someone unnamed ("hit a
    /// 67-year-old man") resolves to nobody.
    fn age_referent(&self, ctx: &Ctx<'_, '_>, r: Range<usize>) -> Option<EntityId> {
        let h = r.end - 1;
        let w = ctx.word(h);
        let split = w.len().checked_sub("-year-old".len())?;
        let (age, tail) = (w.get(..split)?, w.get(split..)?);
        if !tail.eq_ignore_ascii_case("-year-old")
            || age.is_empty()
            || !age.bytes().all(|b| b.is_ascii_digit())
            || !ctx.is(r.start, "the")
        {
            return None;
        }
        let person = |m: &&Mention| {
            m.form == Form::Name
                && m.entity != EntityId::NONE
                && self.entities[m.entity.0 as usize].is_person()
        };
        // The name mention ending at token `end` (exclusive), or starting in `starts`.
        let ending_at = |end: usize| {
            let k = self.mentions.partition_point(|m| m.tokens.start < end);
            self.mentions[..k]
                .iter()
                .rev()
                .take(4)
                .filter(person)
                .find(|m| m.tokens.end == end)
                .map(|m| m.entity)
        };
        let starting_in = |starts: Range<usize>, sentence: u32| {
            let k = self
                .mentions
                .partition_point(|m| m.tokens.start < starts.start);
            self.mentions[k..]
                .iter()
                .take_while(|m| m.tokens.start < starts.end)
                .filter(person)
                .find(|m| ctx.text.sentence_of[m.tokens.start] == sentence)
                .map(|m| m.entity)
        };
        // Only the last 2,000 tokens: a long text may give many people one age.
        let from = r.start.saturating_sub(2_000);
        let mut written = false;
        for k in (from..r.start).rev() {
            let wk = ctx.word(k);
            let got = if wk == age {
                // "Tom Hale, 67," (not "67 percent", "67 Main Street").
                let closed = k + 1 >= ctx.len() || matches!(ctx.word(k + 1), "," | "." | ")");
                (k >= 2 && ctx.is(k - 1, ",") && closed)
                    .then(|| ending_at(k - 1))
                    .flatten()
            } else if wk.eq_ignore_ascii_case(w) {
                written = true;
                let sentence = ctx.text.sentence_of[k];
                // "the 67-year-old mayor, Tom Hale"; "Ruiz, a 67-year-old teacher".
                starting_in(k + 1..k + 5, sentence).or_else(|| {
                    (k >= 3 && (ctx.is(k - 1, "a") || ctx.is(k - 1, "the")) && ctx.is(k - 2, ","))
                        .then(|| ending_at(k - 2))
                        .flatten()
                })
            } else {
                None
            };
            if got.is_some() {
                return got;
            }
        }
        if written {
            return None;
        }
        let para = ctx.text.paragraph_of(r.start);
        let k = self.mentions.partition_point(|m| m.tokens.start < r.start);
        self.mentions[..k]
            .iter()
            .rev()
            .take_while(|m| ctx.text.paragraph_of(m.tokens.start) + 1 >= para)
            .filter(person)
            .find(|m| (m.subject || m.speaker) && !m.quoted)
            .map(|m| m.entity)
    }

    /// "the president", "The Republican nominee", "his Russian counterpart", "the newspaper".
    fn role_referent(&self, ctx: &Ctx<'_, '_>, r: Range<usize>) -> Option<EntityId> {
        let h = r.end - 1;
        let w = ctx.word(h);
        if !(words::is_person_role(w) || words::org_kind_words(w).is_some())
            || (r.start..h).any(|k| ctx.is_possessive(k))
        {
            return None; // "Obama's former campaign strategist": relational
        }
        let det = r.start;
        let possessor = words::is_possessive_det(ctx.word(det)).then(|| {
            self.mentions_at(det)
                .find(|m| m.form == Form::Pronoun)
                .map_or(EntityId::NONE, |m| m.entity)
        });
        // Without a determiner ("Republican nominee") the phrase is read as if one preceded it.
        let i = if possessor.is_some() || words::is_article(ctx.word(det)) {
            det
        } else {
            det.saturating_sub(1)
        };
        mentions::resolve_role(ctx, &self.entities, &self.mentions, i, h, possessor)
            .map(|e| EntityId(e as u32))
    }

    /// "the campaign" / "the administration": the most recent "`<Name>` campaign" in the text.
    fn compound_org(&self, ctx: &Ctx<'_, '_>, r: Range<usize>) -> Option<String> {
        let h = r.end - 1;
        let det = ctx.word(r.start);
        // Only a bare "the campaign": "the Trump campaign" names its own, "a campaign" is new.
        if r.len() != 2
            || !words::is_article(det)
            || det.eq_ignore_ascii_case("a")
            || det.eq_ignore_ascii_case("an")
            || words::org_kind_words(ctx.word(h)).is_none()
        {
            return None;
        }
        let noun = ctx.word(h);
        // The nearest name before that the noun follows.
        let list = self.lookup.by_org_noun.get(&noun.to_ascii_lowercase())?;
        let k = self.mentions.partition_point(|m| m.tokens.start < r.start) as u32;
        let p = list.partition_point(|&x| x < k);
        p.checked_sub(1)
            .map(|p| &self.mentions[list[p] as usize])
            .map(|m| {
                format!(
                    "{} {}",
                    clean_phrase(ctx, m.tokens.clone()),
                    noun.to_lowercase()
                )
            })
    }
}

/// Tokens of byte span `span`: every token that overlaps it.
pub fn token_range(text: &Text<'_>, span: Span) -> Option<Range<usize>> {
    let toks = &text.tokens;
    let a = toks.partition_point(|t| t.span().end <= span.start);
    let b = toks.partition_point(|t| t.span().start < span.end);
    (a < b).then_some(a..b)
}

/// Join names: "A", "A and B", "A, B and C".
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

/// Collapse runs of whitespace into one space and trim.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drop what never belongs to a referring phrase at its edges: punctuation and quotation
/// marks, leading conjunctions and prepositions ("As many tax experts", "from the Senate"),
/// a trailing possessive.
fn trim(ctx: &Ctx<'_, '_>, r: Range<usize>) -> Option<Range<usize>> {
    let (mut a, mut b) = (r.start, r.end);
    loop {
        while a < b
            && !matches!(ctx.text.tokens[a].kind, TokenKind::Word | TokenKind::Number)
            && !ctx.is(a, "(")
        {
            a += 1;
        }
        while a < b
            && !matches!(
                ctx.text.tokens[b - 1].kind,
                TokenKind::Word | TokenKind::Number
            )
            && !ctx.is(b - 1, ")")
        {
            b -= 1;
        }
        if a < b && b - a > 1 && ctx.is_possessive(b - 1) {
            b -= 1;
            continue;
        }
        if a + 1 < b
            && matches!(
                ctx.word(a).to_ascii_lowercase().as_str(),
                "as" | "and" | "but" | "from" | "by" | "while" | "when" | "so" | "or"
            )
        {
            a += 1;
            continue;
        }
        break;
    }
    (a < b).then_some(a..b)
}

/// Drop a trailing parenthetical: "Sen. David Perdue (R-Ga.)".
fn drop_parens_end(ctx: &Ctx<'_, '_>, r: Range<usize>) -> Range<usize> {
    if r.len() > 1 && ctx.is(r.end - 1, ")") {
        if let Some(open) = (r.start + 1..r.end - 1).rev().find(|&k| ctx.is(k, "(")) {
            return r.start..open;
        }
    }
    r
}

/// The text of a phrase for display: no leading article, no parentheticals, no trailing
/// punctuation or possessive, whitespace collapsed.
pub(crate) fn clean_phrase(ctx: &Ctx<'_, '_>, r: Range<usize>) -> String {
    let Some(r) = trim(ctx, r) else {
        return String::new();
    };
    let mut a = r.start;
    while a + 1 < r.end && ctx.is_word(a) && words::is_article(ctx.word(a)) {
        a += 1;
    }
    let mut s = String::new();
    let mut depth = 0i32;
    for k in a..r.end {
        let w = ctx.word(k);
        match w {
            "(" | "[" => {
                depth += 1;
                continue;
            }
            ")" | "]" => {
                depth -= 1;
                continue;
            }
            _ => {}
        }
        if depth > 0 {
            continue;
        }
        if !s.is_empty() && ctx.text.tokens[k].space_before() {
            s.push(' ');
        }
        s.push_str(w);
    }
    let s = s.trim_end_matches([',', ';', ':', ' ']).to_string();
    if s.contains(char::is_whitespace) && s.contains(['\n', '\t']) {
        collapse(&s)
    } else {
        s
    }
}

#[cfg(test)]
mod tests;
