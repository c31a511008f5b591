//! Building the mention layer: name chunks, entity linking, and one salience-ordered pass that
//! resolves pronouns and role nouns ("the president") as it goes.
//!
//! Pass 1 finds capitalised name chunks and splits each into titles/descriptors and the name
//! proper. Pass 2 links them into entities (full names first; then surnames and first names to
//! the most recent compatible full name, else the next one). Pass 3 walks the text once,
//! keeping a Lappin–Leass style salience per entity (halved per sentence, boosted for subjects,
//! speakers and heads), and resolves every third-person pronoun and role reference against it.

use super::names;
use super::words::{self, flag, upos, Low, Pro};
use super::{Entity, EntityId, EntityKind, Form, Gender, Mention, RoleWord};
use crate::text::{qflags, QuoteChar, Text, TokenKind};
use std::collections::HashMap;
use std::ops::Range;

/// Longest name chunk, in tokens.
const MAX_CHUNK: usize = 8;
/// Salience older than this many sentences is ignored.
const WINDOW: u32 = 8;

/// How many sentences back "her husband" may find the husband introduced as "her husband, X".
const RELATIONAL_SENTENCES: u32 = 4;

/// How far before an apposition's role phrase (in tokens) a relative pronoun makes it part of
/// a relative clause ("whose husband, Ty Woods, was…").
const RELATIVE_LOOK: usize = 30;
/// Below this salience a pronoun stays unresolved.
const MIN_SALIENCE: f32 = 12.0;

/// A set of words as sorted 64-bit hashes: built once per document with no per-word
/// allocation, queried by binary search. (A collision would only make a capital look
/// familiar; at 64 bits it does not happen.)
#[derive(Default)]
pub(crate) struct WordSet(Vec<u64>);

impl WordSet {
    /// Add a word hash. When the buffer is full it is compacted (sorted, deduplicated) before
    /// it grows, so it holds about one entry per distinct word, not one per occurrence.
    fn push(&mut self, h: u64) {
        if self.0.len() == self.0.capacity() && self.0.len() >= 4096 {
            self.0.sort_unstable();
            self.0.dedup();
            // Mostly distinct words: grow, or the next pushes would compact again and again.
            if self.0.len() > self.0.capacity() / 2 {
                self.0.reserve(self.0.capacity());
            }
        }
        self.0.push(h);
    }

    fn finish(mut self) -> Self {
        self.0.sort_unstable();
        self.0.dedup();
        self.0.shrink_to_fit();
        self
    }

    fn contains(&self, h: u64) -> bool {
        self.0.binary_search(&h).is_ok()
    }
}

/// Read-only helpers over the text and its tags.
pub(crate) struct Ctx<'a, 't> {
    pub text: &'a Text<'t>,
    pos: &'a [u8],
    /// Capitalised forms seen in the middle of an ordinary sentence: evidence that a
    /// sentence-initial capital is a name.
    cap_set: WordSet,
    /// Words seen in lower case: evidence that a sentence-initial capital is an ordinary word.
    lower_set: WordSet,
    /// Paragraphs written in title case (headlines), by index.
    titlecase: Vec<bool>,
    /// The first paragraph is a headline by position only: written in sentence case ("Ruth
    /// Olsen, 52, watched the water rise."), so a capital after a first name is a surname.
    lead_in_sentence_case: bool,
    /// Token ranges of the sources the caller knows about (speaker evidence).
    sources: Vec<Range<usize>>,
    /// The document's word forms (none in a light context, which computes on demand): their
    /// word-list flags, and first names looked up once per form and only when asked.
    forms: Option<&'a crate::forms::Forms<'a>>,
}

/// The word-list flags of a word: its own, and its form without a period ("Sen.").
pub(crate) fn form_flags(w: &str) -> u32 {
    match w.strip_suffix('.') {
        // Not initials: "A." is no article, "I." no pronoun.
        Some(bare) if bare.len() >= 2 => words::flags(w) | words::flags(bare),
        _ => words::flags(w),
    }
}

impl<'a, 't> Ctx<'a, 't> {
    pub fn new(
        text: &'a Text<'t>,
        pos: &'a [u8],
        sources: Vec<Range<usize>>,
        forms: &'a crate::forms::Forms<'a>,
    ) -> Self {
        let mut ctx = Ctx {
            text,
            pos,
            cap_set: WordSet::default(),
            lower_set: WordSet::default(),
            titlecase: Vec::with_capacity(text.paragraphs.len()),
            lead_in_sentence_case: false,
            sources,
            forms: Some(forms),
        };
        // Title case (headlines): several capitals and no lower-case word but function words
        // ("Stealth Over Health: Hillary Clinton Was Headed to ER"). Three letters are enough
        // to count: a name-heavy lead ("Joe Biden met Boris Johnson on Monday") has no longer
        // lower-case word, and taking it for a headline loses its names.
        for p in &text.paragraphs {
            let (mut caps, mut lower, mut words_n) = (0usize, 0usize, 0usize);
            for i in p.clone() {
                if !ctx.is_word(i) {
                    continue;
                }
                let w = ctx.word(i);
                words_n += 1;
                if w.starts_with(char::is_uppercase) {
                    caps += 1;
                } else if w.starts_with(char::is_lowercase)
                    && w.len() >= 3
                    && ctx.fl(i) & flag::FUNCTION == 0
                {
                    lower += 1;
                }
            }
            // The first paragraph of an article, when it is one short sentence, is a headline
            // whatever its case.
            let headline = ctx.titlecase.is_empty()
                && words_n <= 25
                && text.paragraphs.len() >= 3
                && text.sentences.first().is_some_and(|s| s.end >= p.end);
            let title_cased = caps >= 3 && lower == 0 && words_n <= 30;
            if headline && !title_cased && lower > 0 {
                ctx.lead_in_sentence_case = true;
            }
            ctx.titlecase.push(title_cased || headline);
        }
        let mut set = WordSet::default();
        let mut lower = WordSet::default();
        for i in 0..text.tokens.len() {
            if ctx.is_cap(i) {
                if !ctx.is_initial(i) && !ctx.titlecase[ctx.para(i)] {
                    set.push(words::fnv(ctx.word(i).as_bytes()));
                }
            } else if ctx.is_word(i) && ctx.word(i).starts_with(|c: char| c.is_ascii_lowercase()) {
                lower.push(words::fnv(ctx.word(i).as_bytes()));
            }
        }
        ctx.cap_set = set.finish();
        ctx.lower_set = lower.finish();
        ctx
    }

    /// A context for queries after the build: no capitalisation statistics needed.
    pub fn light(text: &'a Text<'t>) -> Self {
        Ctx {
            text,
            pos: &[],
            cap_set: WordSet::default(),
            lower_set: WordSet::default(),
            titlecase: Vec::new(),
            lead_in_sentence_case: false,
            sources: Vec::new(),
            forms: None,
        }
    }

    /// Look up the flags of token `i`.
    fn word_flags(&self, i: usize) -> u32 {
        if !self.is_word(i) {
            return 0;
        }
        form_flags(self.word(i))
    }

    /// The word-list flags of token `i` (see [`words::flag`]).
    pub fn fl(&self, i: usize) -> u32 {
        match self.forms {
            Some(f) if self.is_word(i) => f.flags(self.text.word_ids[i]),
            Some(_) => 0,
            None => self.word_flags(i),
        }
    }

    /// What the first-name list says about token `i`.
    pub fn first_name(&self, i: usize) -> Option<names::FirstName> {
        if i >= self.len() {
            return None;
        }
        match self.forms {
            Some(f) => f.first_name(self.text.word_ids[i]),
            None => names::lookup(self.word(i)),
        }
    }

    /// Token `i` is a title word ([`words::is_title_word`]).
    pub fn title(&self, i: usize) -> bool {
        let f = self.fl(i);
        f & (flag::TITLE | flag::ROLE_F | flag::ROLE_M) != 0
            || (f & flag::PERSON_ROLE != 0
                && !self.word(i).eq_ignore_ascii_case("star")
                && !self.word(i).eq_ignore_ascii_case("head"))
    }

    /// Token `i` is a noun for a person by role ([`words::is_person_role`]).
    pub fn person_role(&self, i: usize) -> bool {
        self.has(i, flag::PERSON_ROLE | flag::ROLE_F | flag::ROLE_M)
    }

    /// Token `i` is a role noun or an organisation noun ("the president", "the agency").
    pub fn role_or_org_noun(&self, i: usize) -> bool {
        self.has(
            i,
            flag::PERSON_ROLE | flag::ROLE_F | flag::ROLE_M | flag::ORG_KIND,
        )
    }

    /// The gender a role noun at `i` implies ("spokeswoman": `Some(true)`).
    pub fn role_gender(&self, i: usize) -> Option<bool> {
        let f = self.fl(i);
        if f & flag::ROLE_F != 0 {
            Some(true)
        } else if f & flag::ROLE_M != 0 {
            Some(false)
        } else {
            None
        }
    }

    /// Token `i` has one of the flags `f`.
    pub fn has(&self, i: usize, f: u32) -> bool {
        self.fl(i) & f != 0
    }

    /// Token `i` never starts or continues a name (function word, month, day).
    pub fn never(&self, i: usize) -> bool {
        self.fl(i) & (flag::FUNCTION | flag::NEVER) != 0
    }

    pub fn len(&self) -> usize {
        self.text.tokens.len()
    }

    pub fn word(&self, i: usize) -> &'t str {
        self.text.word(i)
    }

    pub fn pos(&self, i: usize) -> u8 {
        self.pos.get(i).copied().unwrap_or(upos::X)
    }

    pub fn is_word(&self, i: usize) -> bool {
        i < self.len() && self.text.tokens[i].kind == TokenKind::Word
    }

    /// A word starting with a capital letter.
    pub fn is_cap(&self, i: usize) -> bool {
        self.is_word(i) && self.word(i).starts_with(char::is_uppercase)
    }

    pub fn sent(&self, i: usize) -> u32 {
        self.text.sentence_of[i]
    }

    pub fn para(&self, i: usize) -> usize {
        self.text.paragraph_of(i) as usize
    }

    pub fn quoted(&self, i: usize) -> bool {
        self.text.qflags[i] & (qflags::IN_DOUBLE | qflags::IN_SINGLE) != 0
    }

    /// Is `word` at `i` (case-insensitively) equal to `w`?
    pub fn is(&self, i: usize, w: &str) -> bool {
        i < self.len() && self.word(i).eq_ignore_ascii_case(w)
    }

    /// Token `i` is a possessive marker: 's, ’s, or a bare apostrophe after a word in s.
    pub fn is_possessive(&self, i: usize) -> bool {
        if i >= self.len() || i == 0 {
            return false;
        }
        let t = &self.text.tokens[i];
        match t.kind {
            TokenKind::Word => matches!(self.word(i), "'s" | "’s" | "'S" | "’S"),
            TokenKind::Quote(QuoteChar::SingleClose | QuoteChar::SingleStraight) => {
                !t.space_before() && self.word(i - 1).ends_with(['s', 'S'])
            }
            _ => false,
        }
    }

    /// The first word of a sentence, or right after an opening mark, colon, dash or bracket:
    /// a capital letter there says nothing about names.
    pub fn is_initial(&self, i: usize) -> bool {
        let s = &self.text.sentences[self.sent(i) as usize];
        if i <= s.start {
            return true;
        }
        let k = i - 1;
        match self.text.tokens[k].kind {
            TokenKind::Word | TokenKind::Number => false,
            TokenKind::Quote(_) | TokenKind::Final => true,
            TokenKind::Punct => matches!(
                self.word(k),
                ":" | "(" | "[" | "—" | "–" | "-" | "--" | "•" | "*"
            ),
        }
    }

    /// True when token `i` starts a known source span.
    pub fn in_source(&self, r: Range<usize>) -> bool {
        let k = self.sources.partition_point(|s| s.end <= r.start);
        self.sources.get(k).is_some_and(|s| s.start < r.end)
    }

    /// Strong evidence that a capitalised word in a position where every word is capitalised
    /// (sentence start, headline) is a name.
    fn cap_evidence(&self, i: usize) -> bool {
        let w = self.word(i);
        // (A tagger calls every headline word PROPN: not evidence there.)
        let propn = self.pos(i) == upos::PROPN && !self.titlecase[self.para(i)];
        if self.cap_set.contains(words::fnv(w.as_bytes())) || self.title(i) || propn {
            return true;
        }
        let all_caps = w.len() >= 2 && w.chars().all(|c| c.is_uppercase() || c == '.');
        if all_caps && self.is(i + 1, ":") {
            return true; // transcript speaker label: "WALLACE:"
        }
        // A listed first name before a capital: a common one, or any one when the body
        // capitalises the next word mid-sentence ("Dmitry Medvedev met Barack Obama in
        // Seoul." is all capitals and short words, read as a headline; "Mr Medvedev said"
        // follows).
        self.is_cap(i + 1)
            && self.first_name(i).is_some_and(|f| {
                f.log_count >= 4
                    || self
                        .cap_set
                        .contains(words::fnv(self.word(i + 1).as_bytes()))
            })
    }

    /// Tokens `a` and `b` are in the same sentence (so a name may span them).
    fn same_run(&self, a: usize, b: usize) -> bool {
        b < self.len() && self.sent(a) == self.sent(b)
    }

    /// May a name chunk start at `i`?
    fn chunk_start_ok(&self, i: usize) -> bool {
        if !self.is_cap(i) {
            return false;
        }
        let w = self.word(i);
        if self.never(i) || self.is_possessive(i) {
            return false;
        }
        let next_cap = self.same_run(i, i + 1) && self.is_cap(i + 1) && !self.never(i + 1);
        if self.has(i, flag::DEMONYM) && !next_cap {
            return false; // "Russian plans", "the Israeli prime minister"
        }
        let strict = self.titlecase[self.para(i)] || self.is_initial(i);
        if !strict {
            return true;
        }
        if self.cap_evidence(i) {
            return true;
        }
        // Two capitals in a row ("Rakeyia Scott said") are a name, unless the first is an
        // ordinary word: a verb form, or a word the text also uses in lower case ("Poor
        // Mexico"). Headlines need evidence for every word.
        let low = Low::new(w);
        next_cap
            && !self.titlecase[self.para(i)]
            // "Speaking Tuesday", "Visiting Moscow" open with a verb; "Downing Street" is a name.
            && (!w.ends_with("ing") || words::is_place_head(self.word(i + 1)))
            && !low
                .as_ref()
                .is_some_and(|l| words::is_verbish(l.as_str(), upos::X))
            && (self.first_name(i).is_some()
                || !low
                    .as_ref()
                    .is_some_and(|l| self.lower_set.contains(words::fnv(l.as_bytes()))))
    }

    /// May the chunk that reached `j - 1` continue with `j`?
    fn chunk_cont_ok(&self, j: usize) -> bool {
        if !self.same_run(j - 1, j) || !self.is_cap(j) {
            return false;
        }
        let w = self.word(j);
        // "Theresa May": a month (or modal) after a first name is a surname.
        if self.never(j)
            && !(words::is_month_like(w)
                && self.first_name(j - 1).is_some_and(|f| f.log_count >= 3))
        {
            return false;
        }
        // After an honorific a capital is a surname even where every word looks capitalised
        // (a short paragraph such as `Mr Bush said: "We have to act."` reads like a headline).
        !self.titlecase[self.para(j)]
            || self.cap_evidence(j)
            || self.first_name(j).is_some()
            || words::is_honorific(self.word(j - 1))
            || (self.lead_in_sentence_case && self.para(j) == 0 && self.first_name(j - 1).is_some())
    }

    /// Is token `i` verb-like (for subject detection)?
    pub fn verbish(&self, i: usize) -> bool {
        i < self.len()
            && self.is_word(i)
            && words::is_verbish_f(self.word(i), self.fl(i), self.pos(i))
    }

    /// After a mention ending at `end`, skip an appositive (", the Republican nominee,") and
    /// adverbs ("then", "later"); return the index of the next token that matters.
    pub fn after_mention(&self, end: usize) -> usize {
        self.skip_after(end, false)
    }

    /// [`Ctx::after_mention`]; with `relative_ok`, a relative clause (", who scored twice,")
    /// is skipped like an appositive, and up to three segments rather than two ("Paul Porter,
    /// a driver from Ava, Mo., who backs him, said").
    fn skip_after(&self, end: usize, relative_ok: bool) -> usize {
        let mut k = end;
        // A party and state: "Chris Christie (R), a staunch ally, said".
        if self.is(k, "(") {
            if let Some(close) = (k + 1..(k + 8).min(self.len())).find(|&j| self.is(j, ")")) {
                k = close + 1;
            }
        }
        // Appositives: up to two comma-closed segments ("Johnnie Wilson, of Springfield, Va.,
        // said"), each short, same sentence, no verb inside.
        let s = self.sent(end.saturating_sub(1));
        for _ in 0..(2 + relative_ok as usize) {
            // A comma, or a dash: "John Podesta — Bill Clinton's former chief of staff —
            // offered".
            if k >= self.len() {
                break;
            }
            let dash = matches!(self.word(k), "—" | "–" | "--");
            if !self.is(k, ",") && !dash {
                break;
            }
            let closer = self.word(k);
            let mut m = k + 1;
            let mut closed = None;
            // A relative clause has verbs and may be longer.
            let relative = relative_ok
                && k + 1 < self.len()
                && matches!(self.word(k + 1), "who" | "whose" | "whom" | "which");
            let reach = if relative { 20 } else { 14 };
            while m < self.len() && m <= k + reach && self.sent(m) == s {
                if self.is(m, closer) {
                    closed = (m > k + 1).then_some(m + 1);
                    break;
                }
                if (self.verbish(m) && !relative) || self.text.tokens[m].kind == TokenKind::Final {
                    break;
                }
                m += 1;
            }
            match closed {
                Some(next) => k = next,
                None => break,
            }
        }
        while k < self.len()
            && self.is_word(k)
            && words::is_subject_adverb_f(self.word(k), self.fl(k))
        {
            k += 1;
        }
        k
    }

    /// [`Ctx::after_mention`], for a name that is itself an apposition ("Her mother, Anna
    /// Kowalski, says"): the comma after it closes the apposition.
    pub fn after_apposition(&self, left: usize, end: usize) -> usize {
        // A relative clause after a phrase set off by a comma ("from Ava, Mo., who…") is
        // about the phrase before it.
        let after_comma = left > 0 && self.is(left - 1, ",");
        let k = self.skip_after(end, !after_comma);
        // A name after a comma and a role noun that opens the sentence or a clause ("Her
        // mother, Anna Kowalski, says", "And a third, Daniel Traynor, said"), not one inside
        // a relative clause ("whose husband, Ty Woods, was…") or a prepositional phrase
        // ("by Ms. Malik and her husband, Syed Farook, involved…").
        let sentence = self.text.sentences[self.sent(left) as usize].start;
        let apposition = after_comma
            && left >= sentence + 2
            && self.is_cap(left)
            && self.is_word(left - 2)
            && !self.is_cap(left - 2)
            && matches!(self.pos(left - 2), upos::NOUN | upos::ADJ | upos::X)
            && {
                // The role phrase's start: back over determiners, modifiers and nouns.
                let mut r = left - 2;
                while r > sentence
                    && left - 2 - r < 8
                    && self.is_word(r - 1)
                    && !self.is(r - 1, "and")
                    && !self.is(r - 1, "by")
                    && (self.fl(r - 1) & (flag::ARTICLE | flag::POSS_DET) != 0
                        || matches!(
                            self.pos(r - 1),
                            upos::ADJ | upos::NOUN | upos::NUM | upos::DET | upos::X
                        ) && !self.verbish(r - 1)
                            && self.fl(r - 1) & flag::PREP == 0)
                {
                    r -= 1;
                }
                // No relative pronoun in the few words before (a bounded look: a sentence may
                // be a whole document without full stops).
                let relative = (r.saturating_sub(RELATIVE_LOOK).max(sentence)..left)
                    .any(|j| matches!(self.word(j), "who" | "whose" | "whom" | "which" | ";"));
                !relative
                    && (r == sentence
                        || (r > sentence && self.is(r - 1, ","))
                        || (r == sentence + 1 && matches!(self.word(sentence), "And" | "But")))
            };
        if apposition && self.is(k, ",") && self.sent(k) == self.sent(left) && self.verbish(k + 1) {
            return self.skip_after(k + 1, false);
        }
        // Such a name's own relative clause: "His son, Gurpreet Singh Tikait, who heads the
        // youth wing, said…".
        if apposition {
            let past = self.skip_after(end, true);
            if past != k
                && past < self.len()
                && self.sent(past) == self.sent(left)
                && self.verbish(past)
            {
                return past;
            }
        }
        k
    }

    /// Is the phrase `left..end` the subject of a clause: followed by a verb, and not the
    /// object of a preposition or verb?
    pub fn is_subject(&self, left: usize, end: usize) -> bool {
        let k = self.after_apposition(left, end);
        if k >= self.len() || !self.verbish(k) || self.sent(k) != self.sent(end - 1) {
            return false;
        }
        if left == 0 || self.sent(left - 1) != self.sent(left) {
            return true;
        }
        let p = left - 1;
        if self.is_word(p) {
            if self.fl(p) & flag::PREP != 0 || self.pos(p) == upos::ADP {
                return false;
            }
            // "told Mr Obama" is an object; "said Ben Rhodes" (inversion) is a speaker, handled
            // by the speaker test.
            if self.verbish(p) && self.fl(p) & flag::SPEECH == 0 {
                return false;
            }
        }
        true
    }

    /// Is the phrase `left..end` next to a speech verb, or a known source?
    pub fn is_speaker(&self, left: usize, end: usize) -> bool {
        if self.in_source(left..end) {
            return true;
        }
        let k = self.after_apposition(left, end);
        if k < self.len() && (self.fl(k) & flag::SPEECH != 0) && self.sent(k) == self.sent(left) {
            return true;
        }
        // "said Ben Rhodes" is an inverted speaker, but in "Mr Putin said Nato was weak" the
        // name after the verb has a verb of its own: the subject of what was said.
        let own_verb = k < self.len() && self.verbish(k) && self.sent(k) == self.sent(left);
        left > 0
            && (self.fl(left - 1) & flag::SPEECH != 0)
            && self.sent(left - 1) == self.sent(left)
            && !own_verb
            || (left > 1 && self.is(left - 1, "to") && self.is(left - 2, "according"))
    }

    /// Right after a preposition: inside a prepositional phrase.
    pub fn in_pp(&self, left: usize) -> bool {
        left > 0
            && self.sent(left - 1) == self.sent(left)
            && ((self.fl(left - 1) & flag::PREP != 0) || self.pos(left - 1) == upos::ADP)
    }
}

/// A name chunk found by pass 1.
#[derive(Clone, Debug)]
pub(crate) struct Proto {
    /// The chunk, titles included.
    pub full: Range<usize>,
    /// The name proper.
    pub name: Range<usize>,
    /// Start of the title phrase walked leftwards ("deputy national security adviser").
    pub left: usize,
    pub org: bool,
    pub person: bool,
    pub place: bool,
    /// A thing, not a person: "Labor Day", "Clean Power Plan".
    pub thing: bool,
    pub group: bool,
    /// A lone name right after "the" ("the Kremlin"), "in" or "near" ("born in Leeds"): no
    /// person.
    pub after_the: bool,
    /// Female (`Some(true)`) / male from an honorific or a gendered role word.
    pub gender: Option<bool>,
    /// Followed by 's (or a bare apostrophe).
    pub possessor: bool,
    /// Followed by a common noun it modifies ("Trump campaign").
    pub modifier: bool,
    pub roles: Vec<RoleWord>,
    pub entity: u32,
}

fn role_word(ctx: &Ctx<'_, '_>, i: usize, prev: Option<&str>) -> Option<RoleWord> {
    let l = Low::new(ctx.word(i).trim_end_matches('.'))?;
    let w = words::normalize_descriptor(l.as_str());
    if w.is_empty() || words::is(w, flag::FUNCTION) {
        return None;
    }
    Some(RoleWord {
        word: w.into(),
        prev: prev.map(Into::into),
    })
}

/// Append the words of `r` to `roles` as one phrase (each word remembers its left neighbour).
fn push_phrase(ctx: &Ctx<'_, '_>, r: Range<usize>, roles: &mut Vec<RoleWord>) {
    let mut prev: Option<Box<str>> = None;
    for i in r {
        if !ctx.is_word(i) || ctx.is_possessive(i) {
            prev = None;
            continue;
        }
        if let Some(rw) = role_word(ctx, i, prev.as_deref()) {
            prev = Some(rw.word.clone());
            roles.push(rw);
        } else if words::is_possessive_det(ctx.word(i)) {
            // "her husband": the role remembers whose (see `resolve_role`).
            prev = Some(ctx.word(i).to_ascii_lowercase().into());
        }
    }
}

/// Pass 1: every name chunk, split into titles and name, with its local evidence.
pub(crate) fn find_names(ctx: &Ctx<'_, '_>) -> Vec<Proto> {
    let n = ctx.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if !ctx.chunk_start_ok(i) {
            i += 1;
            continue;
        }
        // Extend the run.
        let s = i;
        let mut e = i + 1;
        while e < n && e - s < MAX_CHUNK {
            if ctx.chunk_cont_ok(e) {
                // "Washington Post | Trump", "Senate | Majority Leader Mitch McConnell": an
                // organisation name ends at its head unless the run goes on to another head
                // ("House Oversight Committee").
                // A single place after the head is part of the name ("BBC Radio Bristol",
                // "Police Scotland").
                if ctx.has(e - 1, flag::ORG_HEAD) {
                    let mut r = e;
                    while r < n && r - e < MAX_CHUNK && ctx.chunk_cont_ok(r) {
                        r += 1;
                    }
                    let place_after = r == e + 1 && ctx.has(e, flag::PLACE);
                    if !ctx.has(r - 1, flag::ORG_HEAD) && !place_after {
                        break;
                    }
                }
                e += 1;
                continue;
            }
            let w = ctx.word(e);
            let joins_for = || {
                w == "for" && {
                    // "Office for National Statistics", "Center for American Progress".
                    let head = ctx.word(e - 1).to_lowercase();
                    ctx.has(e - 1, flag::OF_HEAD)
                        || matches!(
                            head.as_str(),
                            "center"
                                | "centre"
                                | "campaign"
                                | "coalition"
                                | "alliance"
                                | "foundation"
                                | "fund"
                                | "agency"
                                | "partnership"
                                | "network"
                        )
                }
            };
            let joins_and = || {
                w == "and"
                    && (e - s == 1 || (e - s == 2 && ctx.first_name(s).is_none()))
                    && !ctx.has(e - 1, flag::ORG_HEAD)
                    && {
                        // "Fire and Rescue Service", "Devon and Cornwall Police": a word or two
                        // (not a person's), "and", then two or three words ending an
                        // organisation's name. Not two names ("Obama and Clinton", "Michael
                        // Grunwald and Washington Post reporter…") nor two organisations ("Fox
                        // News and NBC News").
                        let mut r = e + 1;
                        while r < n && r - e <= 3 && ctx.same_run(e, r) && ctx.chunk_cont_ok(r) {
                            r += 1;
                        }
                        (e + 3..=e + 4).contains(&r) && ctx.has(r - 1, flag::ORG_HEAD)
                    }
            };
            // "Bank of America", "Office of the President", "Procter & Gamble", "de Blasio".
            let skip = if w == "of" && ctx.has(e - 1, flag::OF_HEAD) {
                if ctx.is(e + 1, "the") {
                    2
                } else {
                    1
                }
            } else if w == "&" || words::is_particle(w) || joins_for() || joins_and() {
                1
            } else {
                0
            };
            if skip > 0 && ctx.same_run(e - 1, e + skip) && ctx.chunk_cont_ok(e + skip) {
                e += skip + 1;
                continue;
            }
            break;
        }
        i = e;
        if let Some(p) = split_chunk(ctx, s..e) {
            out.push(p);
        }
    }
    out
}

/// Split a capitalised run into titles/descriptors and the name; gather the evidence.
fn split_chunk(ctx: &Ctx<'_, '_>, run: Range<usize>) -> Option<Proto> {
    let (s, e) = (run.start, run.end);
    let last = ctx.word(e - 1);
    let single = e - s == 1;
    let all_caps = last.len() >= 2
        && last
            .chars()
            .all(|c| c.is_uppercase() || c == '.' || c == '&');
    // "of" and "for" inside a run join an institution's name ("Bank of America", "Center for
    // Nonproliferation Studies"), "and" one that ends in an organisation's head.
    let has_of = (s..e).any(|k| ctx.is(k, "of") || ctx.is(k, "for"));
    let org = ctx.has(e - 1, flag::ORG_HEAD)
        || (has_of && !(s..e).any(|k| ctx.title(k)))
        || (single && all_caps && last.len() <= 4 && !ctx.has(e - 1, flag::PLACE | flag::ACRONYM));
    let mut gender = None;
    let mut person = false;
    let mut name_start = s;
    if !org {
        // The name starts after the last title word ("US President | Barack Obama").
        for k in s..e - 1 {
            let w = ctx.word(k);
            if ctx.title(k) {
                name_start = k + 1;
                person = true;
                if let Some(g) = words::honorific_gender(w).or_else(|| words::role_gender(w)) {
                    gender = Some(g);
                }
            }
        }
        // A run ending in titles ("President", "Vice President") is a role reference, not a
        // name; but a title word after a name or an honorific is a surname ("Larry King",
        // "Mr. King").
        // King, Justice, Chancellor (looked up only for a title word).
        let surname_title = || ctx.first_name(e - 1).is_some();
        if ctx.title(e - 1)
            && (single
                || !surname_title()
                || (ctx.title(e - 2) && !words::is_honorific(ctx.word(e - 2))))
        {
            return None;
        }
        // Descriptors before the name: "Russian Dmitry Medvedev", "of State John Kerry".
        while name_start + 1 < e {
            let w = ctx.word(name_start);
            if ctx.has(name_start, flag::DEMONYM) || w == "of" || w == "the" || w == "&" {
                name_start += 1;
            } else {
                break;
            }
        }
        // "State John Kerry": a common first name further in starts the name.
        if e - name_start >= 3 && ctx.first_name(name_start).is_none_or(|f| f.log_count < 3) {
            if let Some(p) = (name_start + 1..e - 1)
                .find(|&p| ctx.first_name(p).is_some_and(|f| f.log_count >= 4))
            {
                name_start = p;
            }
        }
        if (name_start..e).all(|k| ctx.has(k, flag::DEMONYM)) {
            return None; // "South Korean"
        }
    }
    // Letters after a person's name are not part of it: "Simon Radcliffe KC" is "Mr Radcliffe".
    // (Stacked ones too: "Jane Smith KC MP".)
    let mut name_end = e;
    while !org && name_end - name_start >= 3 && words::is_post_nominal(ctx.word(name_end - 1)) {
        name_end -= 1;
    }
    let name = name_start..name_end;
    // "Kansas City", "Labor Day": a place or a thing, whatever the first word.
    // But a common first name and a place-word surname that speaks is a person: "Helen Park
    // said" (Park is a common Korean surname), not "Hyde Park".
    let speaking_person = e - name_start == 2
        && ctx.first_name(name_start).is_some_and(|f| f.log_count >= 4)
        && ctx.is_speaker(s, e);
    let place = !org
        && (name.clone().all(|k| ctx.has(k, flag::PLACE))
            || (e - name_start >= 2 && words::is_place_head(last) && !speaking_person));
    let thing = !org && !place && e - name_start >= 2 && words::is_thing_head(last);
    if place || thing {
        person = false;
    }
    let group = single && words::is_group_plural(last);
    // Titles and roles to the left, outside the run: "deputy national security adviser".
    // A verb the tagger took for a noun ends it too: "Foreign Minister Sergei Lavrov met John
    // Kerry" gives Kerry no title.
    let mut left = s;
    while left > 0 && s - left < 6 {
        let k = left - 1;
        if !ctx.is_word(k) || ctx.sent(k) != ctx.sent(s) || ctx.is_possessive(k) {
            break;
        }
        let w = ctx.word(k);
        if ctx.never(k)
            || ctx.verbish(k)
            || ctx.has(k, flag::VERBISH | flag::SPEECH)
            || ctx.pos(k) == upos::ADP
            || ctx.pos(k) == upos::DET
        {
            break;
        }
        // Numbers, and -ing words that are verbs ("featuring", "including"), end the phrase.
        if w.starts_with(|c: char| c.is_ascii_digit())
            || (w.ends_with("ing") && !matches!(w, "acting" | "ranking" | "leading"))
        {
            break;
        }
        left = k;
    }
    let mut roles = Vec::new();
    push_phrase(ctx, left..name_start, &mut roles);
    let n_words = e - name_start;
    let first = ctx.first_name(name_start);
    let initial = (name_start..e).any(|k| {
        let w = ctx.word(k);
        w.len() <= 4 && w.ends_with('.') && w.starts_with(char::is_uppercase)
    });
    if !org {
        person |= (left..name_start).any(|k| ctx.person_role(k));
        person |= n_words >= 2
            && !place
            && !thing
            && (first.is_some_and(|f| f.log_count >= 3) || initial);
        if gender.is_none() {
            gender = (left..name_start).find_map(|k| ctx.role_gender(k));
        }
    }
    let possessor = ctx.is_possessive(e);
    let modifier = !possessor
        && ctx.is_word(e)
        && ctx.sent(e) == ctx.sent(e - 1)
        && ctx.word(e).starts_with(|c: char| c.is_lowercase())
        && !ctx.never(e)
        && !ctx.verbish(e)
        && !words::is_subject_adverb_f(ctx.word(e), ctx.fl(e))
        && ctx.pos(e) != upos::ADP;
    // "the Kremlin", "the Guardian", "the West": people take no article, so a lone name right
    // after "the" is no person (whatever else it is: "told the Guardian" still names an
    // addressee), and he/she never resolve to it.
    let after_the = single
        && !org
        && !person
        && !group
        && !place
        && !modifier
        && s > 0
        && ctx.same_run(s - 1, s)
        // Nor after "in" or "near" ("Born in Leeds, she …"): a place.
        && (ctx.is(s - 1, "the") || (!possessor && (ctx.is(s - 1, "in") || ctx.is(s - 1, "near"))));
    let mut p = Proto {
        full: s..e,
        name,
        left,
        org,
        person: person && !org,
        place,
        thing,
        after_the,
        group,
        gender,
        possessor,
        modifier,
        roles,
        entity: u32::MAX,
    };
    if !org && !possessor {
        appositive_roles(ctx, &mut p);
    }
    Some(p)
}

/// Roles said of a name around it: "X, the Republican nominee,", "his wife, Hillary Clinton",
/// "Kaine is a former civil rights lawyer".
fn appositive_roles(ctx: &Ctx<'_, '_>, p: &mut Proto) {
    let e = p.full.end;
    let sent = ctx.sent(e - 1);
    let collect = |from: usize| -> Option<Range<usize>> {
        let mut k = from;
        while k < ctx.len() && (ctx.is_word(k) && ctx.has(k, flag::ARTICLE | flag::POSS_DET)) {
            k += 1;
        }
        let start = k;
        while k < ctx.len() && k < start + 6 && ctx.sent(k) == sent && ctx.is_word(k) {
            if ctx.never(k) || ctx.verbish(k) || ctx.is_possessive(k) {
                break;
            }
            k += 1;
        }
        // An appositive ends at a comma, the sentence end or a preposition ("a spokesman for");
        // before a verb the phrase is the subject of the next clause ("In Chelsea, the mayor
        // said").
        let closed = k >= ctx.len()
            || ctx.sent(k) != sent
            || matches!(ctx.word(k), "," | ")" | ";" | "." | "—" | "–")
            || matches!(
                ctx.text.tokens[k].kind,
                TokenKind::Final | TokenKind::Quote(_)
            )
            || (ctx.fl(k) & flag::PREP != 0)
            || matches!(ctx.word(k), "who" | "whose");
        (k > start && closed && ctx.person_role(k - 1)).then_some(start..k)
    };
    // After: ", a spokesman for", ", the Republican nominee,".
    let appositive =
        ctx.is(e, ",") && ((ctx.is_word(e + 1) && !ctx.is_cap(e + 1)) || ctx.is(e + 1, "the"));
    let predicate = (ctx.is(e, "is") || ctx.is(e, "was")) && ctx.has(e + 1, flag::ARTICLE);
    let after = if appositive || predicate {
        collect(e + 1)
    } else {
        None
    };
    let mut found = Vec::new();
    if let Some(r) = after {
        found.push(r);
    }
    // Before: "the Republican nominee, Donald Trump".
    if p.left == p.full.start && p.left >= 2 && ctx.is(p.left - 1, ",") {
        let end = p.left - 1;
        let mut k = end;
        while k > 0 && end - k < 5 && ctx.is_word(k - 1) && ctx.sent(k - 1) == sent {
            if ctx.never(k - 1) || ctx.verbish(k - 1) || ctx.is_possessive(k - 1) {
                break;
            }
            k -= 1;
        }
        if k < end && ctx.person_role(end - 1) && !ctx.is_cap(end - 1) {
            // With its possessive ("Her husband, X"), for `push_phrase`.
            let with_det =
                k > 0 && ctx.sent(k - 1) == sent && words::is_possessive_det(ctx.word(k - 1));
            found.push(k - with_det as usize..end);
        }
    }
    for r in found {
        if p.gender.is_none() {
            p.gender = r.clone().find_map(|k| ctx.role_gender(k));
        }
        push_phrase(ctx, r, &mut p.roles);
        p.person = true;
    }
}

/// Lower-cased text of token `i` without a trailing period.
fn low(ctx: &Ctx<'_, '_>, i: usize) -> String {
    ctx.word(i).trim_end_matches('.').to_lowercase()
}

/// The acronym of a multi-word name ("Federal Bureau of Investigation" → "fbi").
fn acronym(ctx: &Ctx<'_, '_>, r: Range<usize>) -> String {
    r.filter(|&k| ctx.is_cap(k))
        .filter_map(|k| ctx.word(k).chars().next())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The word-tails of a name: what follows each space ("suu kyi" and "kyi" of "aung san suu
/// kyi"). `b` is a tail of `a` in the sense of [`link`] exactly when it is one of these.
fn tails(s: &str) -> impl Iterator<Item = &str> {
    s.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b' ')
        .map(move |(p, _)| &s[p + 1..])
}

/// Entities by a string key, each list in index order.
type Index = HashMap<String, Vec<usize>>;

/// The ids under `key` in `index`.
fn ids<'a>(index: &'a Index, key: &str) -> &'a [usize] {
    index.get(key).map_or(&[], Vec::as_slice)
}

/// Full-name entities by everything that can link another full name to them: the name, each
/// word-tail of it, first and last name. A lookup gives a superset of the matches, in index
/// order, for the exact test to pick from.
#[derive(Default)]
struct FullNames {
    by_norm: Index,
    by_tail: Index,
    by_first_last: HashMap<(String, String), Vec<usize>>,
}

impl FullNames {
    fn add(&mut self, id: usize, en: &Entity) {
        self.by_norm.entry(en.norm.clone()).or_default().push(id);
        for t in tails(&en.norm) {
            self.by_tail.entry(t.to_string()).or_default().push(id);
        }
        self.by_first_last
            .entry((en.first.clone(), en.last.clone()))
            .or_default()
            .push(id);
    }

    /// The entities whose name is `norm`, ends with it, is a tail of it, or has its first and
    /// last name.
    fn candidates(&self, norm: &str, first_last: &(String, String), out: &mut Vec<usize>) {
        out.clear();
        out.extend_from_slice(ids(&self.by_norm, norm));
        out.extend_from_slice(ids(&self.by_tail, norm));
        for t in tails(norm) {
            out.extend_from_slice(ids(&self.by_norm, t));
        }
        if let Some(v) = self.by_first_last.get(first_last) {
            out.extend_from_slice(v);
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Add `id` under `key`, ASCII lower-cased as the comparisons it stands for (ids come in
/// increasing order).
fn index_ascii(index: &mut Index, key: &str, id: usize) {
    let v = index.entry(key.to_ascii_lowercase()).or_default();
    if v.last() != Some(&id) {
        v.push(id);
    }
}

/// Pass 2: link name chunks into entities.
///
/// Lookups go through hash indexes of the entities (by name, tail, first and last name,
/// acronym), never over every entity: the cost per name does not grow with the document.
pub(crate) fn link(ctx: &Ctx<'_, '_>, protos: &mut [Proto], entities: &mut Vec<Entity>) {
    let mut full = FullNames::default();
    for (id, en) in entities.iter().enumerate() {
        full.add(id, en);
    }
    let (mut cands, mut look): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    // Full names first, in text order.
    for p in protos.iter_mut() {
        if p.name.len() < 2 {
            continue;
        }
        let first = low(ctx, p.name.start);
        let last = low(ctx, p.name.end - 1);
        let norm = (p.name.clone())
            .map(|k| low(ctx, k))
            .collect::<Vec<_>>()
            .join(" ");
        // A first name gives the gender of a person-like full name ("Hillary Clinton"), as
        // weak evidence: an honorific or the text's own pronouns can overrule it ("Lindsey
        // Graham" is "Mr. Graham" and "he").
        let weak = p.gender.is_none();
        let gender = p.gender.or_else(|| {
            if p.org || p.place || p.thing {
                None
            } else {
                ctx.first_name(p.name.start)
                    .and_then(names::FirstName::female)
            }
        });
        // "De Blasio" after "Bill de Blasio", "Suu Kyi" and "Aung San Suu Kyi": one name the
        // tail of the other.
        let tail = |long: &str, short: &str| {
            long.len() > short.len()
                && long.ends_with(short)
                && long.as_bytes()[long.len() - short.len() - 1] == b' '
        };
        let first_last = (first, last);
        full.candidates(&norm, &first_last, &mut cands);
        let (first, last) = first_last;
        let found = cands.iter().copied().find(|&id| {
            let en = &entities[id];
            let nested = !p.org
                && !en.ev_org
                && en.name_tokens >= 2
                && (tail(&en.norm, &norm) || tail(&norm, &en.norm));
            if en.norm == norm || nested {
                return compatible(en.gender_hint, gender);
            }
            !p.org
                && !en.ev_org
                && en.name_tokens >= 2
                && en.first == first
                && en.last == last
                && compatible(en.gender_hint, gender)
        });
        let id = match found {
            Some(id) => id,
            None => {
                let acr = acronym(ctx, p.name.clone());
                entities.push(Entity::new(
                    norm,
                    first,
                    last,
                    p.name.len(),
                    acr,
                    p.full.start,
                ));
                let id = entities.len() - 1;
                full.add(id, &entities[id]);
                id
            }
        };
        let en = &mut entities[id];
        if en.gender_hint.is_none() {
            en.gender_hint = gender;
            en.gender_weak = weak;
        }
        absorb(en, p);
        p.entity = id as u32;
    }
    // Then single words, in order. Among several candidates ("Clinton": Hillary, Bill): the
    // most recent one if it was the subject of this or the previous sentence, else the one
    // mentioned most so far (a passing "Heidi Cruz" does not take "Cruz" from Ted), else
    // (headlines) the first one mentioned later.
    let ne = entities.len();
    let mut last_seen: Vec<usize> = vec![usize::MAX; ne];
    let mut strong_sent: Vec<Option<u32>> = vec![None; ne];
    let mut count: Vec<u32> = vec![0; ne];
    let subject = |p: &Proto| !p.possessor && !p.modifier && ctx.is_subject(p.left, p.full.end);
    // Genders that honorifics give each bare surname in the document: when "Mr. Obama" is the
    // only form with an honorific, a bare "Obama" is him too, not the one full name
    // "Michelle Obama".
    // (Keys are lower case: a lookup by the ASCII lower case of a word finds what an ASCII
    // case-insensitive comparison would.)
    let mut bare: HashMap<String, u8> = HashMap::new();
    for p in protos.iter().filter(|p| p.name.len() == 1) {
        if let Some(g) = p.gender {
            let bit = if g { 2 } else { 1 };
            *bare.entry(low(ctx, p.name.start)).or_default() |= bit;
        }
    }
    // Full names by last name, first name and acronym; single-word entities by their word.
    let (mut lasts, mut firsts, mut acronyms, mut singles) =
        (Index::new(), Index::new(), Index::new(), Index::new());
    for (id, en) in entities.iter().enumerate() {
        if en.name_tokens >= 2 {
            index_ascii(&mut lasts, &en.last, id);
            index_ascii(&mut firsts, &en.first, id);
            index_ascii(&mut acronyms, &en.acronym, id);
        } else if en.name_tokens == 1 {
            index_ascii(&mut singles, &en.norm, id);
        }
    }
    for p in protos.iter_mut() {
        let sent = ctx.sent(p.full.start);
        if p.name.len() >= 2 {
            let id = p.entity as usize;
            last_seen[id] = p.full.start;
            strong_sent[id] = subject(p).then_some(sent);
            count[id] += 1;
            continue;
        }
        // Looked up by its ASCII lower case: the comparisons are ASCII case-insensitive.
        let w = ctx.word(p.name.start).trim_end_matches('.');
        let wl = w.to_ascii_lowercase();
        let pos = p.full.start;
        let gender = p.gender.or_else(|| match bare.get(&wl) {
            Some(1) => Some(false),
            Some(2) => Some(true),
            _ => None,
        });
        let ok = |en: &Entity, by_last: bool, relaxed: bool| -> bool {
            // Only "Mr." overrules a first name ("Mr. Graham" is Lindsey Graham): "Mrs Patel"
            // after "Ramesh Patel" is his wife, a woman sharing a man's surname being far
            // likelier than a man with a woman's title.
            let agree = compatible(en.gender_hint, gender)
                || (relaxed && en.gender_weak && p.gender == Some(false));
            if matches!(en.kind, EntityKind::Group | EntityKind::Thing) || !agree {
                return false;
            }
            if en.kind == EntityKind::Organization {
                return !p.person && (by_last || en.acronym.eq_ignore_ascii_case(w));
            }
            !(p.org && en.kind == EntityKind::Person || p.person && en.kind == EntityKind::Place)
        };
        cands.clear();
        // Passes: surname (or acronym); first name; surname again, letting an honorific
        // overrule a first name's gender ("Mr. Graham" is Lindsey Graham). Each looks only at
        // the full names whose last name, acronym or first name is the word.
        for pass in 0..3 {
            look.clear();
            match pass {
                0 => {
                    look.extend_from_slice(ids(&lasts, &wl));
                    look.extend_from_slice(ids(&acronyms, &wl));
                    look.sort_unstable();
                    look.dedup();
                }
                1 => look.extend_from_slice(ids(&firsts, &wl)),
                _ => look.extend_from_slice(ids(&lasts, &wl)),
            }
            for &id in &look {
                let en = &entities[id];
                if en.name_tokens < 2 {
                    continue;
                }
                let hit = match pass {
                    0 => {
                        (en.last.eq_ignore_ascii_case(w) && ok(en, true, false))
                            || (en.kind == EntityKind::Organization
                                && w.len() >= 2
                                && en.acronym.eq_ignore_ascii_case(w)
                                && ok(en, false, false))
                    }
                    // A first name alone ("Hillary"), only for people.
                    1 => {
                        en.kind == EntityKind::Person
                            && en.first.eq_ignore_ascii_case(w)
                            && !p.org
                            && ok(en, false, false)
                    }
                    _ => {
                        en.last.eq_ignore_ascii_case(w)
                            && en.kind != EntityKind::Organization
                            && ok(en, true, true)
                    }
                };
                if hit {
                    cands.push(id);
                }
            }
            if !cands.is_empty() {
                break;
            }
        }
        // "Dr Pembridge" after "Dr Charles Pembridge" and "Lucy Pembridge": the one who bears
        // that title, when some do and some do not.
        if cands.len() > 1 && !p.roles.is_empty() {
            let titled = |c: &usize| p.roles.iter().any(|r| entities[*c].has_role(&r.word));
            let n = cands.iter().filter(|c| titled(c)).count();
            if n > 0 && n < cands.len() {
                cands.retain(titled);
            }
        }
        let seen: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&c| last_seen[c] != usize::MAX && last_seen[c] < pos)
            .collect();
        let best = if let Some(&recent) = seen.iter().max_by_key(|&&c| last_seen[c]) {
            if strong_sent[recent].is_some_and(|s| sent.saturating_sub(s) <= 1) {
                Some(recent)
            } else {
                seen.iter()
                    .copied()
                    .max_by_key(|&c| (count[c], last_seen[c]))
            }
        } else {
            cands
                .iter()
                .copied()
                .min_by_key(|&c| entities[c].first_token)
        };
        let id = match best {
            Some(id) => id,
            // A single-word entity, shared by every mention of the same word.
            None => match ids(&singles, &wl).iter().copied().find(|&id| {
                let en = &entities[id];
                en.name_tokens == 1
                    && en.norm.eq_ignore_ascii_case(w)
                    && compatible(en.gender_hint, gender)
            }) {
                Some(id) => id,
                None => {
                    let lw = w.to_lowercase();
                    entities.push(Entity::new(lw.clone(), lw.clone(), lw.clone(), 1, lw, pos));
                    last_seen.push(usize::MAX);
                    strong_sent.push(None);
                    count.push(0);
                    let id = entities.len() - 1;
                    index_ascii(&mut singles, &entities[id].norm, id);
                    id
                }
            },
        };
        last_seen[id] = pos;
        strong_sent[id] = subject(p).then_some(sent);
        count[id] += 1;
        absorb(&mut entities[id], p);
        p.entity = id as u32;
    }
    // Canonical names: the longest name among the mentions (the first of equals).
    for p in protos.iter() {
        let en = &mut entities[p.entity as usize];
        // (A mention in ordinary case wins over one in capitals of the same length.)
        let capitals = |s: &str| !s.chars().any(char::is_lowercase);
        let cased_over_capitals = p.name.len() == en.best_len
            && capitals(&en.name)
            && !capitals(&clean_name(ctx, p.name.clone()));
        if p.name.len() > en.best_len || cased_over_capitals {
            en.best_len = p.name.len();
            en.name = clean_name(ctx, p.name.clone());
            // A transcript label in capitals ("GORDON BLAIR:") names "Gordon Blair".
            if p.name.len() >= 2
                && ctx.first_name(p.name.start).is_some()
                && !en.name.chars().any(char::is_lowercase)
            {
                en.name = title_case(&en.name);
            }
            // A peer is known by title and name: "Lord Ashcombe", not "Ashcombe" (whose wife,
            // "Lady Ashcombe", would read the same).
            let peer = p.name.start > 0
                && p.name.len() == 1
                && matches!(
                    ctx.word(p.name.start - 1),
                    "Lord"
                        | "Lady"
                        | "Baron"
                        | "Baroness"
                        | "Earl"
                        | "Countess"
                        | "Viscount"
                        | "Viscountess"
                        | "Duke"
                        | "Duchess"
                        | "Marquess"
                );
            if peer {
                en.name = format!("{} {}", ctx.word(p.name.start - 1), en.name);
            }
        }
    }
    gender_votes(ctx, protos, entities);
    for en in entities.iter_mut() {
        en.refresh_kind();
        // A lone common first name that is not also a common surname ("Melanie", "Kevin";
        // not "Warren" or "Clinton") is a person, of that name's gender.
        if en.name_tokens == 1
            && en.gender_hint.is_none()
            && matches!(en.kind, EntityKind::Unknown | EntityKind::Person)
        {
            let f = names::lookup(&en.name).filter(|f| f.log_count >= 4 && !f.surname);
            if let Some(g) = f.and_then(names::FirstName::female) {
                en.gender_hint = Some(g);
                en.kind = EntityKind::Person;
            }
        }
        en.gender = match en.gender_hint {
            Some(true) => Gender::Female,
            Some(false) => Gender::Male,
            None => Gender::Unknown,
        };
    }
}

/// The text's own evidence of gender: "Graham said he", "Strada said that she". A mention
/// followed by a speech verb and a third-person pronoun is (nearly always) that pronoun's
/// antecedent. Unanimous votes overrule a first name's guess, never an honorific.
fn gender_votes(ctx: &Ctx<'_, '_>, protos: &[Proto], entities: &mut [Entity]) {
    let mut votes: Vec<(u16, u16)> = vec![(0, 0); entities.len()];
    for p in protos {
        if p.possessor || p.modifier || ctx.quoted(p.full.start) || ctx.in_pp(p.left) {
            continue;
        }
        let k = ctx.after_mention(p.full.end);
        if k >= ctx.len() || ctx.fl(k) & flag::SPEECH == 0 {
            continue;
        }
        let mut j = k + 1;
        if ctx.is(j, "that") {
            j += 1;
        }
        if j >= ctx.len() || ctx.sent(j) != ctx.sent(k) || ctx.quoted(j) {
            continue;
        }
        let v = &mut votes[p.entity as usize];
        match ctx.word(j) {
            "he" => v.0 += 1,
            "she" => v.1 += 1,
            _ => {}
        }
    }
    for (en, (m, f)) in entities.iter_mut().zip(votes) {
        if en.gender_hint.is_some() && !en.gender_weak {
            continue;
        }
        if m > 0 && f == 0 {
            en.gender_hint = Some(false);
        } else if f > 0 && m == 0 {
            en.gender_hint = Some(true);
        } else {
            continue;
        }
        en.gender_weak = false;
    }
}

/// Two gender hints agree (unknown agrees with anything).
fn compatible(a: Option<bool>, b: Option<bool>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// Add a mention's evidence to its entity.
fn absorb(en: &mut Entity, p: &Proto) {
    en.ev_org |= p.org;
    en.ev_person |= p.person;
    en.ev_place |= p.place;
    en.ev_thing |= p.thing;
    en.ev_group |= p.group;
    en.ev_article |= p.after_the;
    if p.gender.is_some() && (en.gender_hint.is_none() || en.gender_weak) {
        en.gender_hint = p.gender;
        en.gender_weak = false;
    }
    for r in &p.roles {
        en.add_role(r.clone());
    }
    en.first_token = en.first_token.min(p.full.start);
    en.refresh_kind();
}

/// "GORDON BLAIR" → "Gordon Blair", "JOHN MCCAIN" → "John McCain", "SEAN O'BRIEN" → "Sean
/// O'Brien": each word's first letter kept, the rest lower case.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    let mut after_mc = false;
    for c in name.chars() {
        if start || after_mc {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        after_mc = !start && c == 'C' && out.ends_with("Mc") && {
            let mut back = out.chars().rev();
            back.nth(2).is_none_or(|b| !b.is_alphabetic())
        };
        start = !c.is_alphabetic();
    }
    out
}

/// The text of a name: whitespace collapsed, trailing possessive and punctuation dropped.
pub(crate) fn clean_name(ctx: &Ctx<'_, '_>, r: Range<usize>) -> String {
    let mut s = String::new();
    for k in r {
        if ctx.is_possessive(k) {
            continue;
        }
        if !s.is_empty() && ctx.text.tokens[k].space_before() {
            s.push(' ');
        }
        s.push_str(ctx.word(k));
    }
    s
}

/// Pass 3 state: salience per entity, decayed by sentence.
pub(crate) struct Salience {
    sal: Vec<f32>,
    upd: Vec<u32>,
    /// The entities given salience within the last [`WINDOW`] sentences (a superset until
    /// [`Salience::prune`]): the only ones a pronoun can pick, whatever the document's length.
    active: Vec<usize>,
    is_active: Vec<bool>,
}

impl Salience {
    fn new(n: usize) -> Self {
        Salience {
            sal: vec![0.0; n],
            upd: vec![0; n],
            active: Vec::new(),
            is_active: vec![false; n],
        }
    }

    fn grow(&mut self, n: usize) {
        self.sal.resize(n, 0.0);
        self.upd.resize(n, 0);
        self.is_active.resize(n, false);
    }

    /// Forget the entities whose salience has expired by sentence `sent` (sentences only go
    /// forward in the walk, so they stay expired until mentioned again).
    fn prune(&mut self, sent: u32) {
        let (upd, is_active) = (&self.upd, &mut self.is_active);
        self.active.retain(|&e| {
            let keep = sent.saturating_sub(upd[e]) <= WINDOW;
            if !keep {
                is_active[e] = false;
            }
            keep
        });
    }

    fn at(&self, e: usize, sent: u32) -> f32 {
        let age = sent.saturating_sub(self.upd[e]);
        if age > WINDOW {
            0.0
        } else {
            self.sal[e] * 0.5f32.powi(age as i32)
        }
    }

    fn add(&mut self, e: usize, sent: u32, w: f32) {
        let v = self.at(e, sent);
        self.sal[e] = v + w;
        self.upd[e] = sent;
        if !self.is_active[e] {
            self.is_active[e] = true;
            self.active.push(e);
        }
    }
}

/// Weight of a mention for salience (Lappin & Leass 1994, simplified).
fn weight(ctx: &Ctx<'_, '_>, left: usize, end: usize, head: bool) -> (f32, bool, bool) {
    let subject = head && ctx.is_subject(left, end);
    // "Johnnie Wilson, of Springfield, Va., said": the place is not the speaker.
    let speaker = head && !ctx.in_pp(left) && ctx.is_speaker(left, end);
    let mut w = 100.0;
    if subject {
        w += 80.0;
    }
    if speaker {
        w += 60.0;
    }
    if head {
        w += 50.0;
    }
    if !ctx.in_pp(left) {
        w += 50.0;
    }
    if ctx.quoted(left) {
        w *= 0.2;
    }
    (w, subject, speaker)
}

/// Pass 3: walk the text once; record name mentions, resolve pronouns, role references and
/// coordinations against the running salience.
///
/// Returns the clear he/she resolutions (entity, female): gender evidence for a second pass.
pub(crate) fn walk(
    ctx: &Ctx<'_, '_>,
    protos: &[Proto],
    entities: &mut Vec<Entity>,
    mentions: &mut Vec<Mention>,
) -> Vec<(usize, bool)> {
    let mut votes = Vec::new();
    let mut sal = Salience::new(entities.len());
    // The entities this walk creates, by what identifies them: a coordination by its members,
    // a common noun subject by (plural, text).
    let mut groups: HashMap<Vec<EntityId>, usize> = HashMap::new();
    let mut commons: HashMap<(bool, String), usize> = HashMap::new();
    let mut pi = 0;
    let n = ctx.len();
    let mut i = 0;
    while i < n {
        let sent = ctx.sent(i);
        // A name mention whose title phrase starts here (or that a jump went past).
        if pi < protos.len() && protos[pi].left <= i {
            let p = &protos[pi];
            pi += 1;
            let head = !p.possessor && !p.modifier;
            let (w, subject, speaker) = weight(ctx, p.left, p.full.end, head);
            let e = p.entity as usize;
            // Coordination: "Mr Obama and Mr Medvedev met".
            let coord = protos.get(pi).filter(|q| {
                ctx.is(p.full.end, "and")
                    && q.left == p.full.end + 1
                    && !p.possessor
                    && q.entity != p.entity
                    && entities[e].is_person()
                    && entities[q.entity as usize].is_person()
            });
            if let Some(q) = coord {
                let g = group_entity(
                    entities,
                    &mut groups,
                    vec![EntityId(p.entity), EntityId(q.entity)],
                    p.full.start,
                );
                sal.grow(entities.len());
                let qhead = !q.possessor && !q.modifier;
                let (gw, gsubj, gspk) = weight(ctx, p.left, q.full.end, qhead);
                sal.add(g, sent, gw);
                // Each member is less salient on its own than the pair.
                sal.add(e, sent, gw * 0.4);
                sal.add(q.entity as usize, sent, gw * 0.4);
                for pp in [p, q] {
                    mentions.push(Mention {
                        tokens: pp.name.clone(),
                        entity: EntityId(pp.entity),
                        form: Form::Name,
                        head: false,
                        subject: false,
                        speaker: false,
                        quoted: ctx.quoted(pp.name.start),
                    });
                }
                mentions.push(Mention {
                    tokens: p.full.start..q.full.end,
                    entity: EntityId(g as u32),
                    form: Form::Coordination,
                    head: qhead,
                    subject: gsubj,
                    speaker: gspk,
                    quoted: ctx.quoted(p.full.start),
                });
                pi += 1;
                i = q.full.end.max(i + 1);
                continue;
            }
            sal.add(e, sent, w);
            entities[e].spoke |= speaker || subject;
            mentions.push(Mention {
                tokens: p.name.clone(),
                entity: EntityId(p.entity),
                form: Form::Name,
                head,
                subject,
                speaker,
                quoted: ctx.quoted(p.name.start),
            });
            i = p.full.end.max(i + 1);
            continue;
        }
        if !ctx.is_word(i) {
            i += 1;
            continue;
        }
        let w = ctx.word(i);
        let mut possessor = None;
        let f = ctx.fl(i);
        if let Some(pro) = (f & flag::PRONOUN != 0)
            .then(|| words::pronoun(w))
            .flatten()
        {
            if !matches!(pro, Pro::He | Pro::She | Pro::They | Pro::It) {
                i += 1;
                continue;
            }
            let (got, clear) = pick(entities, &mut sal, pro, sent);
            let quoted = ctx.quoted(i);
            if let (Some(e), true, Pro::He | Pro::She) = (got, clear && !quoted, pro) {
                votes.push((e, pro == Pro::She));
            }
            let det = f & flag::POSS_DET != 0;
            let (wt, subject, speaker) = weight(ctx, i, i + 1, !det);
            if let Some(e) = got {
                // Pronouns inside a quotation speak from the speaker's point of view: they do
                // not make their antecedent more salient in the narrative.
                if !quoted {
                    sal.add(e, sent, wt);
                }
            }
            mentions.push(Mention {
                tokens: i..i + 1,
                entity: got.map_or(EntityId::NONE, |e| EntityId(e as u32)),
                form: Form::Pronoun,
                head: !det,
                subject,
                speaker,
                quoted,
            });
            if !det {
                i += 1;
                continue;
            }
            possessor = Some(got.map_or(EntityId::NONE, |e| EntityId(e as u32)));
        }
        // Role reference: "the president", "The Republican nominee", "his Russian counterpart";
        // "one resident", "another witness" (someone new, unnamed).
        let quantifier = matches!(w, "one" | "One" | "another" | "Another");
        if f & flag::ARTICLE != 0 || possessor.is_some() || quantifier {
            if let Some((end, h)) = role_phrase(ctx, i, protos.get(pi)) {
                // "One pastor" is someone not met before.
                let got = if quantifier {
                    None
                } else {
                    resolve_role(ctx, entities, mentions, i, h, possessor)
                };
                let (wt, subject, speaker) = weight(ctx, i, end, true);
                let got = match got {
                    Some(e) => Some(e),
                    None if subject
                        && possessor.is_none()
                        && words::is_person_role(ctx.word(h)) =>
                    {
                        // An unnamed person ("a White House spokesman said ... He added"): an
                        // entity of its own, named by the phrase.
                        entities.push(unnamed_person(ctx, i, end, h));
                        sal.grow(entities.len());
                        Some(entities.len() - 1)
                    }
                    None => None,
                };
                if let Some(e) = got {
                    sal.add(e, sent, wt);
                    mentions.push(Mention {
                        tokens: i..end,
                        entity: EntityId(e as u32),
                        form: Form::Role,
                        head: true,
                        subject,
                        speaker,
                        quoted: ctx.quoted(i),
                    });
                }
                i = end;
                continue;
            }
        }
        // A common noun phrase as subject, for "they" ("top black lawmakers said") and "it"
        // ("the report says", "Trump's campaign is").
        if let Some((start, plural)) = common_subject(ctx, i, protos.get(pi)) {
            let name = super::clean_phrase(ctx, start..i + 1);
            if !name.is_empty() {
                let norm = name.to_lowercase();
                let kind = if plural {
                    EntityKind::Group
                } else {
                    EntityKind::Thing
                };
                // (Only the entities made here have no name tokens and this kind: the index
                // finds what a scan over all entities would.)
                let key = (plural, norm);
                let e = match commons.get(&key) {
                    Some(&e) => e,
                    None => {
                        let mut en = Entity::new(
                            key.1.clone(),
                            String::new(),
                            String::new(),
                            0,
                            String::new(),
                            start,
                        );
                        en.name = name;
                        en.kind = kind;
                        entities.push(en);
                        sal.grow(entities.len());
                        commons.insert(key, entities.len() - 1);
                        entities.len() - 1
                    }
                };
                let (wt, subject, speaker) = weight(ctx, start, i + 1, true);
                sal.add(e, sent, wt);
                mentions.push(Mention {
                    tokens: start..i + 1,
                    entity: EntityId(e as u32),
                    form: Form::Role,
                    head: true,
                    subject,
                    speaker,
                    quoted: ctx.quoted(i),
                });
            }
        }
        i += 1;
    }
    sort_nearly_sorted(mentions, |m| (m.tokens.start, m.tokens.end));
    votes
}

/// A stable sort by key for a list that is in order but for a few elements placed a little
/// late (a role mention is pushed when the walk reaches its head): insertion from the back,
/// with no scratch buffer (a stable sort's is half the list: 7 MB on a 10 MB document). Falls
/// back to `sort_by_key` when the moves add up to a few passes over the list; the result is the
/// same either way, as the part already sorted keeps equal elements in their original order.
pub(crate) fn sort_nearly_sorted<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    let mut budget = 4 * v.len() + 64;
    for i in 1..v.len() {
        let k = key(&v[i]);
        if key(&v[i - 1]) <= k {
            continue;
        }
        let p = v[..i].partition_point(|x| key(x) <= k);
        if i - p > budget {
            v.sort_by_key(key);
            return;
        }
        budget -= i - p;
        v[p..=i].rotate_right(1);
    }
}

/// Give a gender to the entities that had none when clear pronoun resolutions agree ("Aung San
/// Suu Kyi visited ... after she was released"). Returns true when anything changed.
pub(crate) fn learn_genders(entities: &mut [Entity], votes: &[(usize, bool)]) -> bool {
    // Votes per entity, counted once: (female, male).
    let mut counts = vec![(0usize, 0usize); entities.len()];
    for &(e, female) in votes {
        if let Some(c) = counts.get_mut(e) {
            if female {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
    }
    let mut changed = false;
    for (en, &(f, m)) in entities.iter_mut().zip(&counts) {
        // Only for people, or names seen speaking or acting (not a stray headline word).
        if en.gender != Gender::Unknown
            || !(en.kind == EntityKind::Person
                || (en.kind == EntityKind::Unknown && en.spoke && !en.ev_article))
            || en.name_tokens == 0
        {
            continue;
        }
        if (f > 0) != (m > 0) {
            en.gender = if f > 0 { Gender::Female } else { Gender::Male };
            en.gender_hint = Some(f > 0);
            en.kind = EntityKind::Person;
            changed = true;
        }
    }
    changed
}

/// An entity for a person known only by a role phrase ("a White House spokesman").
fn unnamed_person(ctx: &Ctx<'_, '_>, i: usize, end: usize, h: usize) -> Entity {
    let name = super::clean_phrase(ctx, i..end);
    let mut en = Entity::new(
        name.to_lowercase(),
        String::new(),
        String::new(),
        0,
        String::new(),
        i,
    );
    en.name = name;
    en.kind = EntityKind::Person;
    en.gender = match words::role_gender(ctx.word(h)) {
        Some(true) => Gender::Female,
        Some(false) => Gender::Male,
        None => Gender::Unknown,
    };
    let mut roles = Vec::new();
    push_phrase(ctx, i + 1..end, &mut roles);
    for r in roles {
        en.add_role(r);
    }
    en
}

/// A lower-case noun at `i` heading the subject of a clause: the next token is a verb, and
/// (for a singular noun) a determiner or possessive opens the phrase. Returns the phrase start
/// and whether the noun is plural.
fn common_subject(ctx: &Ctx<'_, '_>, i: usize, next_name: Option<&Proto>) -> Option<(usize, bool)> {
    let w = ctx.word(i);
    if !w.starts_with(|c: char| c.is_ascii_lowercase())
        || w.len() < 3
        || ctx.never(i)
        || ctx.verbish(i)
        || words::is_subject_adverb_f(w, ctx.fl(i))
        || !ctx.verbish(i + 1)
        || ctx.sent(i + 1) != ctx.sent(i)
        || ctx.quoted(i)
        || next_name.is_some_and(|p| p.left <= i + 1)
        || matches!(
            ctx.pos(i),
            upos::ADJ | upos::ADV | upos::VERB | upos::AUX | upos::PRON
        )
    {
        return None;
    }
    let plural = w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("ics")
        && w.len() >= 4;
    // Walk left over the modifiers.
    let mut a = i;
    let mut det = false;
    while a > 0 && i - a < 5 && ctx.sent(a - 1) == ctx.sent(i) {
        let k = a - 1;
        if !ctx.is_word(k) {
            break;
        }
        if ctx.has(k, flag::ARTICLE | flag::POSS_DET) {
            det = true;
            a = k;
            break;
        }
        if ctx.is_possessive(k) {
            det = true;
            a = k;
            continue;
        }
        if ctx.never(k) || ctx.verbish(k) || ctx.fl(k) & flag::PREP != 0 {
            break;
        }
        a = k;
    }
    if a > 0 && ctx.sent(a - 1) == ctx.sent(a) && (ctx.in_pp(a) || ctx.verbish(a - 1)) {
        return None; // an object, not a subject
    }
    // Only nouns that can speak: people and groups for "they", documents and institutions for
    // "it" ("the report says"); "income taxes" and "the big question" are no sources.
    let speaks = if plural {
        words::is_animate_plural(w)
    } else {
        det && words::is_speaking_thing(w)
    };
    speaks.then_some((a, plural))
}

/// Find or create the entity for a coordination of `members`. `groups`: the groups made so
/// far, by members (only groups have members).
fn group_entity(
    entities: &mut Vec<Entity>,
    groups: &mut HashMap<Vec<EntityId>, usize>,
    members: Vec<EntityId>,
    at: usize,
) -> usize {
    if let Some(&g) = groups.get(&members) {
        return g;
    }
    groups.insert(members.clone(), entities.len());
    let mut en = Entity::new(
        String::new(),
        String::new(),
        String::new(),
        0,
        String::new(),
        at,
    );
    en.kind = EntityKind::Group;
    en.members = members;
    entities.push(en);
    entities.len() - 1
}

/// The most salient entity compatible with pronoun `pro` at token `i` (of equals, the first
/// entity). Also returns whether the choice is clear (the runner-up scores less than half).
///
/// Only the entities mentioned within the salience window are looked at: the others score 0.
fn pick(entities: &[Entity], sal: &mut Salience, pro: Pro, sent: u32) -> (Option<usize>, bool) {
    let mut best: Option<(usize, f32)> = None;
    let mut second = 0.0f32;
    sal.prune(sent);
    for &e in &sal.active {
        let en = &entities[e];
        let s = sal.at(e, sent);
        if s <= 0.0 {
            continue;
        }
        let f = match pro {
            Pro::He | Pro::She => {
                let want = if pro == Pro::She {
                    Gender::Female
                } else {
                    Gender::Male
                };
                // Most people in the news are men: a name that may not even be a person's
                // ("Nato", "Islamic State"), of unknown sex, is less likely to be "she" than
                // "he" ("Angela Merkel spoke first. Mr Putin said Nato was weak. She replied").
                let unknown_sex = if pro == Pro::She { 0.5 } else { 1.0 };
                match en.kind {
                    EntityKind::Person => {
                        if en.gender == want {
                            1.0
                        } else if en.gender == Gender::Unknown {
                            0.6
                        } else {
                            0.0
                        }
                    }
                    // A name of unknown kind is a person mostly when it was seen speaking or
                    // acting ("Scott said"); otherwise it may be a place or a headline word.
                    // "the West", "the Kremlin": rarely a person, unless seen speaking ("The
                    // Taoiseach said … He added").
                    EntityKind::Unknown if en.ev_article && en.spoke => 0.15 * unknown_sex,
                    EntityKind::Unknown if en.ev_article => 0.0,
                    EntityKind::Unknown if en.gender == want => 0.8,
                    EntityKind::Unknown if en.gender == Gender::Unknown && en.spoke => {
                        0.5 * unknown_sex
                    }
                    EntityKind::Unknown if en.gender == Gender::Unknown => 0.15 * unknown_sex,
                    _ => 0.0,
                }
            }
            // American English mostly says "it" of an organisation.
            Pro::They => match en.kind {
                EntityKind::Group => 1.0,
                EntityKind::Organization => 0.25,
                _ => 0.0,
            },
            Pro::It => match en.kind {
                EntityKind::Organization => 1.0,
                EntityKind::Place | EntityKind::Thing => 0.6,
                EntityKind::Unknown => 0.3,
                _ => 0.0,
            },
            _ => 0.0,
        };
        let v = s * f;
        // The active list is not in entity order: a tie goes to the lower index, as a scan
        // over all entities would have it.
        if v >= MIN_SALIENCE && best.is_none_or(|(be, b)| v > b || (v == b && e < be)) {
            second = best.map_or(second, |(_, b)| b.max(second));
            best = Some((e, v));
        } else {
            second = second.max(v);
        }
    }
    let clear = best.is_some_and(|(_, b)| b >= 2.0 * second);
    (best.map(|(e, _)| e), clear)
}

/// A role phrase starting at determiner `i`: modifiers then a person-role or organisation
/// noun, not followed by a name (that would be a title). Returns (end, index of the head).
pub(crate) fn role_phrase(
    ctx: &Ctx<'_, '_>,
    i: usize,
    next_name: Option<&Proto>,
) -> Option<(usize, usize)> {
    let sent = ctx.sent(i);
    let mut k = i + 1;
    let mut head = None;
    while k < ctx.len() && k <= i + 5 && ctx.sent(k) == sent && ctx.is_word(k) {
        if next_name.is_some_and(|p| p.left <= k && k < p.full.end) {
            return None; // a title of the name that follows
        }
        let w = ctx.word(k);
        if ctx.never(k) || ctx.is_possessive(k) {
            break;
        }
        if ctx.role_or_org_noun(k) {
            head = Some(k);
            // "the former secretary of state"
            if ctx.is(k + 1, "of")
                && ctx.is_word(k + 2)
                && !ctx.is_cap(k + 2)
                && w.eq_ignore_ascii_case("secretary")
            {
                return Some((k + 3, k));
            }
            // Keep going if the next word continues the noun phrase ("the campaign manager").
            if ctx.is_word(k + 1) && ctx.role_or_org_noun(k + 1) {
                k += 1;
                continue;
            }
            break;
        }
        k += 1;
    }
    let h = head?;
    if ctx.is_cap(h + 1) && !ctx.never(h + 1) {
        return None; // "the president Barack Obama": a title
    }
    Some((h + 1, h))
}

/// Resolve a role phrase `i..end` with head `h` to the most recent entity that carried that
/// role (and every discriminating modifier). `possessor`: the entity of "his"/"her" in front.
pub(crate) fn resolve_role(
    ctx: &Ctx<'_, '_>,
    entities: &[Entity],
    mentions: &[Mention],
    i: usize,
    h: usize,
    possessor: Option<EntityId>,
) -> Option<usize> {
    let det = ctx.word(i);
    let head_low = Low::new(ctx.word(h))?;
    let head = words::normalize_descriptor(head_low.as_str()).to_string();
    let counterpart = head == "counterpart";
    // "his attorney": relational, not a title; only the person recently introduced in the same
    // words ("Her husband, Dr Simon Pembridge, gave evidence. Her husband said…").
    let relational = words::is_possessive_det(det) && !counterpart;
    if relational {
        let det_low = det.to_ascii_lowercase();
        let sent = ctx.sent(i);
        let k = mentions.partition_point(|m| m.tokens.start < i);
        return mentions[..k]
            .iter()
            .rev()
            .take(60)
            .take_while(|m| ctx.sent(m.tokens.start) + RELATIONAL_SENTENCES >= sent)
            .filter(|m| m.entity != EntityId::NONE && m.form == Form::Name)
            .map(|m| m.entity.0 as usize)
            .find(|&e| {
                let en = &entities[e];
                Some(EntityId(e as u32)) != possessor
                    && en.is_person()
                    && en
                        .role_prevs(&head)
                        .iter()
                        .any(|p| p.as_deref() == Some(det_low.as_str()))
            });
    }
    if det.eq_ignore_ascii_case("a") || det.eq_ignore_ascii_case("an") {
        return None; // "a spokesman": someone new
    }
    // Modifiers between the determiner and the head.
    let mods: Vec<String> = (i + 1..h)
        .filter(|&k| ctx.is_word(k))
        .filter_map(|k| {
            Low::new(ctx.word(k).trim_end_matches('.'))
                .map(|l| words::normalize_descriptor(l.as_str()).to_string())
        })
        .collect();
    let caps: Vec<bool> = (i + 1..h)
        .filter(|&k| ctx.is_word(k))
        .filter(|&k| Low::new(ctx.word(k).trim_end_matches('.')).is_some())
        .map(|k| ctx.is_cap(k))
        .collect();
    // Nationalities, parties, role changers and names ("the Trump adviser") must be said of
    // the entity.
    let must: Vec<bool> = mods
        .iter()
        .zip(&caps)
        .map(|(m, cap)| *cap || words::is_discriminating(m))
        .collect();
    let org_kind = words::org_kind_words(ctx.word(h));
    let candidate = |e: usize| -> bool {
        let en = &entities[e];
        if Some(EntityId(e as u32)) == possessor {
            return false;
        }
        let has = |w: &str| en.has_role(w) || en.name_has(w);
        for (m, must) in mods.iter().zip(&must) {
            if *must && !has(m) {
                return false;
            }
        }
        if counterpart {
            return en.is_person() && !mods.is_empty();
        }
        if let Some(kinds) = org_kind {
            if !words::is_person_role(ctx.word(h)) {
                // "the appeals court" is not the Supreme Court; "the Trump campaign" not the
                // Clinton campaign: an organisation's modifiers must be in its name.
                return en.kind == EntityKind::Organization
                    && (kinds.is_empty()
                        || kinds.iter().any(|k| en.name_has(k))
                        || en.name_has(&head))
                    && mods
                        .iter()
                        .all(|m| en.name_has(m) || words::is_generic_modifier(m));
            }
        }
        if !en.is_person() && en.kind != EntityKind::Unknown {
            return false;
        }
        en.role_prevs(&head).iter().any(|prev| {
            prev.as_deref()
                .is_none_or(|p| !words::is_role_changer(p) || mods.iter().any(|m| m == p))
        })
    };
    let k = mentions.partition_point(|m| m.tokens.start < i);
    mentions[..k]
        .iter()
        .rev()
        .take(200)
        .filter(|m| m.entity != EntityId::NONE)
        .map(|m| m.entity.0 as usize)
        .find(|&e| candidate(e))
}

#[cfg(test)]
mod word_set_tests {
    use super::WordSet;

    #[test]
    fn compaction_keeps_every_distinct_word_and_bounds_the_buffer() {
        let mut set = WordSet(Vec::new());
        // 200,000 occurrences of 3,000 words, then 20,000 distinct ones (forcing growth).
        for i in 0..200_000u64 {
            set.push(i % 3_000);
        }
        assert!(set.0.capacity() <= 8_192, "{}", set.0.capacity());
        for i in 0..20_000u64 {
            set.push(1_000_000 + i);
        }
        let set = set.finish();
        assert_eq!(set.0.len(), 23_000);
        assert!((0..3_000).all(|h| set.contains(h)));
        assert!((0..20_000).all(|i| set.contains(1_000_000 + i)));
        assert!(!set.contains(3_000));
    }
}

#[cfg(test)]
mod sort_tests {
    use super::sort_nearly_sorted;

    /// A small deterministic generator (no dependency for one test).
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn same_order_as_a_stable_sort() {
        let mut seed = 7;
        for case in 0..200 {
            let n = (lcg(&mut seed) % 300) as usize;
            // Keys with many ties; (key, original index) shows whether ties kept their order.
            let mut v: Vec<(u64, usize)> = (0..n)
                .map(|i| {
                    let base = i as u64 / 3;
                    let k = match case % 3 {
                        // Nearly sorted: an element now and then a few places late.
                        0 => base.saturating_sub(lcg(&mut seed) % 4 * (lcg(&mut seed) % 5 / 4)),
                        // Reversed: far out of order, takes the fallback.
                        1 => n as u64 - base,
                        _ => lcg(&mut seed) % 20,
                    };
                    (k, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|x| x.0);
            sort_nearly_sorted(&mut v, |x| x.0);
            assert_eq!(v, want, "case {case}");
        }
    }
}
