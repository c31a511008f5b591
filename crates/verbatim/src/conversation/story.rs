//! Conversations the document establishes ("TV cameras have recorded US President Barack Obama
//! making unguarded comments with Russian President Dmitry Medvedev"; "Mr Obama and Mr
//! Medvedev met…"), and which of them covers a given remark.

use super::frame;
use super::words;
use super::{Doc, Info, Who, NOUN};
use crate::attribution::Setting;
use crate::resolution::{EntityId, EntityKind, Form};
use std::collections::{HashMap, HashSet};

/// One sentence establishing a conversation (two parties) or an overheard remark (one).
#[derive(Clone, Debug)]
pub(super) struct Talk {
    /// The parties: one or two entities.
    pub members: Vec<EntityId>,
    /// Where it is said.
    pub sentence: usize,
    pub para: usize,
    /// The sentence says it was caught on a microphone, overheard, unguarded...
    pub overheard: bool,
}

/// What the conversations say about one remark.
#[derive(Clone, Debug)]
pub(super) struct Scope {
    /// The other party of the conversation covering the remark.
    pub partner: Option<Who>,
    /// That conversation (or the speaker's overheard remark) was not meant to be public.
    pub overheard: bool,
}

/// Every sentence that establishes a conversation, outside quotation marks.
pub(super) fn talks(doc: &Doc<'_, '_>) -> Vec<Talk> {
    let mut out = Vec::new();
    for (s, r) in doc.text.sentences.iter().enumerate() {
        let ok = |j: usize| !doc.quoted(j) && doc.sent(j) == s;
        let free: Vec<usize> = r.clone().filter(|&k| ok(k)).collect();
        let Some(&first) = free.first() else {
            continue;
        };
        let overheard = free
            .iter()
            .any(|&k| frame::setting_at(doc, k, &ok) == Some(Setting::Overheard));
        let talky = free
            .iter()
            .any(|&k| words::is_conversation_word(doc.low(k)));
        let para = doc.para(first);
        let mut here: Vec<Vec<EntityId>> = Vec::new();
        let mut push = |members: Vec<EntityId>| {
            if !here.iter().any(|t| same_set(t, &members)) {
                here.push(members);
            }
        };
        // "Mr Obama and Mr Medvedev met", "Obama and Medvedev caught in unguarded remarks".
        if talky || overheard {
            let ms = doc.m.mentions();
            let a = ms.partition_point(|m| m.tokens.start < r.start);
            let b = ms.partition_point(|m| m.tokens.start < r.end);
            for m in &ms[a..b] {
                if m.form != Form::Coordination || doc.quoted(m.tokens.start) {
                    continue;
                }
                let Some(e) = doc.m.entity(m.entity) else {
                    continue;
                };
                if e.kind == EntityKind::Group
                    && e.members.len() == 2
                    && e.members.iter().all(|&x| doc.is_personish(x))
                    && e.members[0] != e.members[1]
                {
                    push(e.members.clone());
                }
            }
        }
        // "comments with X", "talking with X", "met (with) X".
        for (n, &k) in free.iter().enumerate() {
            let other_start = if doc.is(k, "with") || doc.is(k, "to") {
                // Only talk makes a conversation: "a letter to X" does not.
                let trigger = free[n.saturating_sub(3)..n]
                    .iter()
                    .rev()
                    .copied()
                    .find(|&j| {
                        j + 4 > k
                            && words::is_conversation_word(doc.low(j))
                            && !(doc.is(k, "to") && doc.is(j, "remarks"))
                    });
                match trigger {
                    Some(t)
                        if !(t.saturating_sub(2)..t)
                            .any(|j| words::is_outside_time(doc.low(j))) =>
                    {
                        Some((t, k + 1))
                    }
                    _ => None,
                }
            } else if words::is_meet_verb(doc.low(k)) && doc.upos(k) != NOUN {
                Some((k, k + 1))
            } else {
                None
            };
            let Some((trigger, from)) = other_start else {
                continue;
            };
            let Some(b) = party_from(doc, from, s) else {
                continue;
            };
            let Some(a) = subject_before(doc, r.start, trigger) else {
                continue;
            };
            if a != b {
                push(vec![a, b]);
            }
        }
        // "Mr Bush was caught on an open microphone": one party.
        if overheard && here.is_empty() {
            if let Some(a) = subject_before(doc, r.start, r.end) {
                here.push(vec![a]);
            }
        }
        out.extend(here.into_iter().map(|members| Talk {
            members,
            sentence: s,
            para,
            overheard,
        }));
    }
    out
}

fn same_set(a: &[EntityId], b: &[EntityId]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// The named person a phrase starting at `from` names ("Russian President Dmitry Medvedev").
fn party_from(doc: &Doc<'_, '_>, from: usize, s: usize) -> Option<EntityId> {
    let mut k = from;
    while k < from + 4 && doc.sent(k) == s && !doc.quoted(k) {
        if let Some(m) = doc.mentions_from(k).find(|m| {
            matches!(m.form, Form::Name | Form::Role | Form::Pronoun) && doc.is_personish(m.entity)
        }) {
            return Some(m.entity);
        }
        if !(doc.is_title(k) || doc.is_word(k)) {
            return None;
        }
        k += 1;
    }
    None
}

/// The party who talks: the nearest subject-like named person before `end` in the sentence,
/// else the nearest named person heading its phrase.
fn subject_before(doc: &Doc<'_, '_>, start: usize, end: usize) -> Option<EntityId> {
    let ms = doc.m.mentions();
    let a = ms.partition_point(|m| m.tokens.start < start);
    let b = ms.partition_point(|m| m.tokens.start < end);
    let mut cands = ms[a..b].iter().filter(|m| {
        matches!(m.form, Form::Name | Form::Role | Form::Pronoun)
            && !m.quoted
            && doc.is_personish(m.entity)
    });
    let subject = cands.clone().rfind(|m| m.subject);
    subject
        .or_else(|| cands.rfind(|m| m.head))
        .map(|m| m.entity)
}

/// The talks with indexes for [`scope`]: per entity, the talks it is a party to (all, and
/// two-party only), in text order; the two-party sets some talk reports as overheard.
pub(super) struct Talks {
    list: Vec<Talk>,
    by_member: HashMap<EntityId, (Vec<usize>, Vec<usize>)>,
    overheard_pairs: HashSet<(EntityId, EntityId)>,
}

fn pair_key(members: &[EntityId]) -> Option<(EntityId, EntityId)> {
    match members {
        [a, b] => Some(((*a).min(*b), (*a).max(*b))),
        _ => None,
    }
}

impl Talks {
    pub(super) fn new(list: Vec<Talk>) -> Talks {
        let mut by_member: HashMap<EntityId, (Vec<usize>, Vec<usize>)> = HashMap::new();
        let mut overheard_pairs = HashSet::new();
        for (n, t) in list.iter().enumerate() {
            let mut seen: Vec<EntityId> = Vec::with_capacity(t.members.len());
            for &x in &t.members {
                if seen.contains(&x) {
                    continue;
                }
                seen.push(x);
                let e = by_member.entry(x).or_default();
                e.0.push(n);
                if t.members.len() == 2 {
                    e.1.push(n);
                }
            }
            if t.overheard {
                if let Some(k) = pair_key(&t.members) {
                    overheard_pairs.insert(k);
                }
            }
        }
        Talks {
            list,
            by_member,
            overheard_pairs,
        }
    }
}

/// The conversation covering a remark by `speaker`: the nearest establishing sentence before
/// it (not before `since`), else one just after it (same or next paragraph).
pub(super) fn scope(talks: &Talks, speaker: &Who, info: &Info, since: usize) -> Option<Scope> {
    let Who::Entity(me) = speaker else {
        return None;
    };
    let (all, pairs) = talks.by_member.get(me)?;
    let list = &talks.list;
    // Talks are in sentence order (and so in paragraph order).
    let pick = |idx: &[usize]| -> Option<&Talk> {
        let cut = idx.partition_point(|&n| list[n].sentence <= info.sentence);
        let before = cut
            .checked_sub(1)
            .map(|c| &list[idx[c]])
            .filter(|t| t.sentence >= since);
        before.or_else(|| {
            idx.get(cut)
                .map(|&n| &list[n])
                .filter(|t| t.para <= info.last_para + 1)
        })
    };
    let near = pick(all)?;
    let pair = pick(pairs);
    let partner = pair.and_then(|t| t.members.iter().find(|&&x| x != *me).copied());
    let pair_overheard = pair
        .is_some_and(|p| pair_key(&p.members).is_some_and(|k| talks.overheard_pairs.contains(&k)));
    Some(Scope {
        partner: partner.map(Who::Entity),
        overheard: near.overheard || pair_overheard,
    })
}
