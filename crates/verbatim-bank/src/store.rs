//! Writer-side operations on an open transaction: documents, quotes, speaker linking,
//! incremental clustering and the derived counts. Used by ingest, alias loading, relinking
//! and deletion; every function runs inside the caller's transaction.

use crate::cluster::{compare, word_hashes, Fingerprint, Match, SHINGLE};
use crate::error::{Error, Result};
use crate::names::{alias_key, DocNames, Name, Resolution};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeSet, HashMap};

/// Candidate heads fetched per key.
const KEY_POSTINGS: usize = 64;
/// Candidate heads verified per quote.
const VERIFY: usize = 16;

/// What a quote's speaker is linked to, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// From the user's alias file.
    Alias,
    /// A full name, taken as is.
    Exact,
    /// A bare surname (or given name) the document resolves to one full name.
    Doc,
    /// A bare surname with exactly one full-name entity in the bank.
    Bank,
    /// A bare surname with no full name anywhere yet; relinked when one appears.
    Pending,
    /// A bare surname shared by several people, told apart by an office or a title: the only
    /// one of them written with the office the document gives the surname ("President Obama"
    /// when the bank has Barack and Michelle Obama, and has seen "President Barack Obama"),
    /// or the only one a "Mr." or "Mrs." before the surname can be ("Mr. Clinton" when the
    /// others of that name are women).
    Role,
    /// A bare surname shared by several people, none of them chosen (a relink links it by
    /// office when the bank has learnt enough since: [`Link::Role`]).
    Ambiguous,
}

impl Link {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Link::Alias => "alias",
            Link::Exact => "exact",
            Link::Doc => "doc",
            Link::Bank => "bank",
            Link::Pending => "pending",
            Link::Role => "role",
            Link::Ambiguous => "ambiguous",
        }
    }
}

/// A speaker entity as the clusterer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerInfo {
    pub id: i64,
    pub surname: String,
    pub partial: bool,
}

/// Two speakers may have said the same remark: same entity, one unknown, or a bare surname
/// and a full name with that surname.
pub fn compatible(a: Option<&SpeakerInfo>, b: Option<&SpeakerInfo>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.id == b.id || ((a.partial || b.partial) && a.surname == b.surname),
        _ => true,
    }
}

/// Counters and deltas kept across the batches of one write session.
#[derive(Default)]
pub struct State {
    pub seq: i64,
    /// Quotes removed in this transaction, added to `meta.quote_removed` by [`State::flush`].
    removed: i64,
    speaker_delta: HashMap<i64, i64>,
    stats_delta: HashMap<(i64, String, String), i64>,
    /// Changes to the per-speaker totals of [`TOTALS`], in its order.
    totals_delta: [HashMap<(i64, String), i64>; 3],
    info: HashMap<i64, SpeakerInfo>,
    /// Speakers whose derived counts must be recomputed (relinking moved quotes wholesale).
    recount: BTreeSet<i64>,
    /// Surnames given an office the bank had not seen (read by [`relink_all`]).
    new_roles: BTreeSet<String>,
    /// Articles (document numbers) to verify against their candidate transcripts before the
    /// transaction commits: written ones, and those verified against a transcript that went.
    pub verify_articles: BTreeSet<i64>,
    /// Transcripts written in this transaction: the articles related to them are verified.
    pub verify_transcripts: BTreeSet<i64>,
    /// `PRAGMA data_version` when [`State::resync`] last looked: it changes only when another
    /// connection commits.
    data_version: Option<i64>,
}

/// The per-speaker totals of schema version 5: table, its key column, and the key of a quote
/// (an expression over `quotes`), for [`recount_speaker`]. [`State`] keeps their changes in
/// this order: outlet, month, spelling.
const TOTALS: [(&str, &str, &str); 3] = [
    ("speaker_outlets", "outlet", "coalesce(outlet, '')"),
    (
        "speaker_months",
        "month",
        "coalesce(substr(published, 1, 7), '')",
    ),
    ("speaker_spellings", "spelling", "coalesce(speaker_raw, '')"),
];

/// The month a quote counts in: `YYYY-MM`, or "" when undated.
pub fn month_of(published: Option<&str>) -> String {
    published
        .map(|p| p.chars().take(7).collect())
        .unwrap_or_default()
}

/// The next quote sequence number as the bank stores it.
fn stored_seq(conn: &Connection) -> Result<i64> {
    let seq: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'quote_seq'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(seq.and_then(|s| s.parse().ok()).unwrap_or(1))
}

impl State {
    /// Start a session: read the quote sequence.
    pub fn load(conn: &Connection) -> Result<State> {
        Ok(State {
            seq: stored_seq(conn)?,
            ..State::default()
        })
    }

    /// Catch up with other writers: call right after taking the write lock (`BEGIN
    /// IMMEDIATE`). Another connection may have committed quotes since [`State::load`]; their
    /// sequence numbers must not be handed out again (the low 32 bits of a quote id are its
    /// sequence number, which keys [`crate::QuoteLengths`]), and the speakers it relinked make
    /// the cached speaker facts stale.
    pub fn resync(&mut self, conn: &Connection) -> Result<()> {
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.data_version == Some(version) {
            return Ok(());
        }
        self.data_version = Some(version);
        self.seq = self.seq.max(stored_seq(conn)?);
        self.info.clear();
        Ok(())
    }

    /// Note a document written in this transaction, for verification before the commit.
    pub fn written(&mut self, doc_num: i64, kind: crate::ingest::DocumentKind) {
        match kind {
            crate::ingest::DocumentKind::Article => self.verify_articles.insert(doc_num),
            crate::ingest::DocumentKind::Transcript => self.verify_transcripts.insert(doc_num),
        };
    }

    /// The next quote sequence number.
    pub fn next_seq(&mut self) -> Result<u64> {
        if self.seq >= 0xFFFF_FFFF {
            return Err(Error::invalid(
                "the bank has used all 4 billion quote ids; start a new --db file",
            ));
        }
        let s = self.seq;
        self.seq += 1;
        Ok(s as u64)
    }

    fn count(
        &mut self,
        speaker: Option<i64>,
        outlet: Option<&str>,
        published: Option<&str>,
        speaker_raw: Option<&str>,
        d: i64,
    ) {
        if let Some(s) = speaker {
            let (outlet, month) = (outlet.unwrap_or("").to_string(), month_of(published));
            *self.speaker_delta.entry(s).or_default() += d;
            *self
                .stats_delta
                .entry((s, outlet.clone(), month.clone()))
                .or_default() += d;
            let keys = [outlet, month, speaker_raw.unwrap_or("").to_string()];
            for (deltas, key) in self.totals_delta.iter_mut().zip(keys) {
                *deltas.entry((s, key)).or_default() += d;
            }
        }
    }

    /// Write the sequence and every pending count change. Call before committing.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        // Only ever raised, so a writer that fell behind cannot hand out used numbers again.
        conn.prepare_cached(
            "INSERT INTO meta (key, value) VALUES ('quote_seq', ?1)
             ON CONFLICT (key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER),
                                                              CAST(excluded.value AS INTEGER)) AS TEXT)",
        )?
        .execute([self.seq.to_string()])?;
        if self.removed != 0 {
            // A running total, so that `Bank::optimize_is_due` need not count the quotes.
            conn.prepare_cached(
                "INSERT INTO meta (key, value) VALUES ('quote_removed', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER)
                                                              + CAST(excluded.value AS INTEGER) AS TEXT)",
            )?
            .execute([std::mem::take(&mut self.removed).to_string()])?;
        }
        let mut up = conn
            .prepare_cached("UPDATE speakers SET quote_count = quote_count + ?2 WHERE id = ?1")?;
        for (id, d) in self.speaker_delta.drain() {
            if d != 0 {
                up.execute(params![id, d])?;
            }
        }
        let mut st = conn.prepare_cached(
            "INSERT INTO speaker_stats (speaker_id, outlet, month, n) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (speaker_id, outlet, month) DO UPDATE SET n = n + excluded.n",
        )?;
        let mut negative = false;
        for ((id, outlet, month), d) in self.stats_delta.drain() {
            if d != 0 {
                negative |= d < 0;
                st.execute(params![id, outlet, month, d])?;
            }
        }
        if negative {
            conn.execute("DELETE FROM speaker_stats WHERE n <= 0", [])?;
        }
        for ((table, column, _), deltas) in TOTALS.iter().zip(&mut self.totals_delta) {
            let mut add = conn.prepare_cached(&format!(
                "INSERT INTO {table} (speaker_id, {column}, n) VALUES (?1, ?2, ?3)
                 ON CONFLICT (speaker_id, {column}) DO UPDATE SET n = n + excluded.n"
            ))?;
            let mut gone = conn.prepare_cached(&format!(
                "DELETE FROM {table} WHERE speaker_id = ?1 AND {column} = ?2 AND n <= 0"
            ))?;
            for ((id, key), d) in deltas.drain() {
                if d != 0 {
                    add.execute(params![id, key, d])?;
                }
                if d < 0 {
                    gone.execute(params![id, key])?;
                }
            }
        }
        let ids: Vec<i64> = std::mem::take(&mut self.recount).into_iter().collect();
        for id in ids {
            recount_speaker(conn, id)?;
        }
        Ok(())
    }

    fn speaker_info(&mut self, conn: &Connection, id: i64) -> Result<Option<SpeakerInfo>> {
        if let Some(i) = self.info.get(&id) {
            return Ok(Some(i.clone()));
        }
        let info = conn
            .prepare_cached("SELECT surname, partial FROM speakers WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(SpeakerInfo {
                    id,
                    surname: r.get(0)?,
                    partial: r.get::<_, i64>(1)? != 0,
                })
            })
            .optional()?;
        if let Some(i) = &info {
            self.info.insert(id, i.clone());
        }
        Ok(info)
    }
}

/// Recompute a speaker's quote count, its outlet × month counts and its [`TOTALS`] from its
/// quotes.
pub fn recount_speaker(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE speakers SET quote_count = (SELECT count(*) FROM quotes WHERE speaker_id = ?1)
         WHERE id = ?1",
    )?
    .execute([id])?;
    conn.prepare_cached("DELETE FROM speaker_stats WHERE speaker_id = ?1")?
        .execute([id])?;
    conn.prepare_cached(
        "INSERT INTO speaker_stats (speaker_id, outlet, month, n)
         SELECT speaker_id, coalesce(outlet, ''), coalesce(substr(published, 1, 7), ''), count(*)
         FROM quotes WHERE speaker_id = ?1 GROUP BY 1, 2, 3",
    )?
    .execute([id])?;
    for (table, column, key) in TOTALS {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE speaker_id = ?1"))?
            .execute([id])?;
        conn.prepare_cached(&format!(
            "INSERT INTO {table} (speaker_id, {column}, n)
             SELECT speaker_id, {key}, count(*) FROM quotes WHERE speaker_id = ?1 GROUP BY 1, 2"
        ))?
        .execute([id])?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Speakers

fn alias_target(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT speaker_id FROM aliases WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// The entity with this name's key, created if missing.
pub fn entity(conn: &Connection, name: &Name) -> Result<i64> {
    if let Some(id) = conn
        .prepare_cached("SELECT id FROM speakers WHERE key = ?1")?
        .query_row([&name.key], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    // Above `meta.speaker_id_floor` too (set by a relink that removed entities): an id once
    // given to someone is never given to someone else.
    conn.prepare_cached(
        "INSERT INTO speakers (id, name, key, surname, first, partial) VALUES (
             1 + max((SELECT coalesce(max(id), 0) FROM speakers),
                     coalesce((SELECT CAST(value AS INTEGER) FROM meta
                               WHERE key = 'speaker_id_floor'), 0)),
             ?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        name.display,
        name.key,
        name.surname,
        name.first,
        !name.is_full() as i64
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A full name's entity, through the alias table.
fn full_entity(conn: &Connection, name: &Name) -> Result<(i64, Link)> {
    match alias_target(conn, &name.key)? {
        Some(id) => Ok((id, Link::Alias)),
        None => Ok((entity(conn, name)?, Link::Exact)),
    }
}

/// Link one quote's speaker. Returns the speaker key to store, the entity and how.
///
/// `raw_key`: the [`alias_key`](crate::names::alias_key) of a speaker that is not a name
/// (`name` is `None`).
pub fn link_speaker(
    conn: &Connection,
    raw_key: Option<&str>,
    name: Option<&Name>,
    doc: &DocNames,
) -> Result<(Option<String>, Option<i64>, Option<Link>)> {
    let Some(name) = name else {
        // Not a name; an alias may still name it ("the president" → …).
        if let Some(k) = raw_key {
            if let Some(id) = alias_target(conn, k)? {
                return Ok((Some(k.to_string()), Some(id), Some(Link::Alias)));
            }
        }
        return Ok((None, None, None));
    };
    let key = Some(name.key.clone());
    if let Some(id) = alias_target(conn, &name.key)? {
        return Ok((key, Some(id), Some(Link::Alias)));
    }
    if name.is_full() {
        // Its alias was looked up just above.
        return Ok((key, Some(entity(conn, name)?), Some(Link::Exact)));
    }
    // A bare name: the document's evidence first, by surname, then by given name.
    let mut res = doc.by_surname(&name.surname);
    if res == Resolution::None && name.key == name.surname {
        res = doc.by_first(&name.surname);
    }
    // "Mr. Obama" is not Michelle Obama, whatever else the document says.
    let female = female_by_titles(name.role.as_deref());
    let own = own_office(name);
    match res {
        Resolution::One(full) => {
            let doc_roles = doc_roles_of(doc, full);
            if fits(female, full_female(conn, full, doc_roles, OVERRIDE)?) {
                // "President Obama said" where the document names only Michelle Obama: the
                // quote's own office, when the bank knows whose it is, outweighs the surname.
                if !own.is_empty() && !holds(conn, full, doc_roles, &own)? {
                    if let Some(id) = by_role(conn, name, doc, female)? {
                        return Ok((key, Some(id), Some(Link::Role)));
                    }
                }
                let (id, how) = full_entity(conn, full)?;
                let how = if how == Link::Alias { how } else { Link::Doc };
                return Ok((key, Some(id), Some(how)));
            }
            // The one full name of the document cannot be this person: ask the bank.
        }
        Resolution::Ambiguous => {
            // The document names several people of this surname: only the quote's own office
            // ("President Clinton") or title ("Mrs. Clinton") may tell which, from the
            // document or the bank.
            if let Some(full) = doc_pick(conn, name, doc)? {
                let (id, how) = full_entity(conn, full)?;
                let how = if how == Link::Alias { how } else { Link::Role };
                return Ok((key, Some(id), Some(how)));
            }
            return Ok((key, Some(entity(conn, name)?), Some(Link::Ambiguous)));
        }
        Resolution::None => {}
    }
    // Then the bank: a unique full name with this surname.
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM speakers WHERE surname = ?1 AND partial = 0 LIMIT 2")?
        .query_map([&name.surname], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [one] if female.is_none() || fits(female, entity_female(conn, *one, OVERRIDE)?) => {
            Ok((key, Some(*one), Some(Link::Bank)))
        }
        [] => Ok((key, Some(entity(conn, name)?), Some(Link::Pending))),
        // "Mrs. Kasich" where the bank knows only John Kasich: someone else, not yet known.
        [_] => Ok((key, Some(entity(conn, name)?), Some(Link::Ambiguous))),
        _ => match by_role(conn, name, doc, female)? {
            Some(id) => Ok((key, Some(id), Some(Link::Role))),
            None => Ok((key, Some(entity(conn, name)?), Some(Link::Ambiguous))),
        },
    }
}

/// A stored quote's speaker as a name, with the title its source span gives a bare surname
/// (see [`crate::names::title_of_source`]; `source`: the stored span JSON, in code points).
fn stored_name(raw: Option<&str>, text: &str, source: &str) -> Option<Name> {
    let mut name = crate::names::parse_name(raw?)?;
    if name.role.is_none() {
        let first: Option<[usize; 2]> = serde_json::from_str::<Vec<[usize; 2]>>(source)
            .ok()
            .and_then(|v| v.first().copied());
        if let Some([start, end]) = first {
            let mut bytes = text.char_indices().map(|(b, _)| b).chain([text.len()]);
            let from = bytes.nth(start);
            let to = end.checked_sub(start + 1).and_then(|n| bytes.nth(n));
            if let (Some(from), Some(to)) = (from, to) {
                name.role = crate::names::title_of_source(&text[from..to], &name);
            }
        }
    }
    Some(name)
}

/// The office a bare name's own title gives ("President Obama"), courtesy titles aside.
fn own_office(name: &Name) -> Vec<&str> {
    name.role
        .as_deref()
        .filter(|r| !is_courtesy(r))
        .into_iter()
        .collect()
}

/// Of the several people of a bare name's surname that its document names, the one its own
/// title ("Mrs. Clinton") or office ("President Clinton") picks, if any.
fn doc_pick<'d>(conn: &Connection, name: &Name, doc: &'d DocNames) -> Result<Option<&'d Name>> {
    let female = female_by_titles(name.role.as_deref());
    let own = own_office(name);
    let mut cands = Vec::new();
    for m in doc.with_surname(&name.surname) {
        if !fits(female, full_female(conn, &m.name, &m.roles, CHOOSE)?) {
            continue;
        }
        let mut known = offices(conn, &m.name.key)?;
        known.extend(m.roles.iter().filter(|r| !is_courtesy(r)).cloned());
        cands.push((&m.name, known));
    }
    Ok(match cands.as_slice() {
        [(one, _)] if female.is_some() => Some(*one),
        _ => choose_by_office(&own, cands),
    })
}

/// Whether a person's titles say a man (`Some(false)`) or a woman (`Some(true)`); `None`
/// when none does, or they disagree. Only titles that say so outright count.
pub(crate) fn female_by_titles<'a>(roles: impl IntoIterator<Item = &'a str>) -> Option<bool> {
    let mut sex = None;
    for r in roles {
        let s = match r {
            "mr" | "king" | "prince" => false,
            "mrs" | "ms" | "lady" | "first lady" | "queen" | "princess" => true,
            _ => continue,
        };
        if sex.is_some_and(|x| x != s) {
            return None;
        }
        sex = Some(s);
    }
    sex
}

/// Whether a full name is a woman's, by the titles written before it (in this document and
/// in the bank) and by its given name when the name list is clear about it ("Michelle",
/// "Barack"; not "Kelly"); `None` when nothing says, or the two disagree.
fn full_female(
    conn: &Connection,
    full: &Name,
    doc_roles: &[String],
    common: u8,
) -> Result<Option<bool>> {
    if full.is_org() {
        return Ok(None);
    }
    let stored = all_roles(conn, &full.key)?;
    let titles = female_by_titles(stored.iter().chain(doc_roles).map(String::as_str));
    Ok(agree(titles, given_female(full.first.as_deref(), common)))
}

/// [`full_female`] of a stored full-name entity.
pub(crate) fn entity_female(conn: &Connection, id: i64, common: u8) -> Result<Option<bool>> {
    let (key, first): (String, Option<String>) = conn
        .prepare_cached("SELECT key, first FROM speakers WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let stored = all_roles(conn, &key)?;
    let titles = female_by_titles(stored.iter().map(String::as_str));
    Ok(agree(titles, given_female(first.as_deref(), common)))
}

/// How common a given name must be (log10 of US births) for the name list's word on it to
/// overrule the document's or the bank's only person of that surname: a rarer listed name may
/// be another language's name, or a surname written first ("Lou Jiwei": "Lou" is 94% female,
/// 10,000 births).
const OVERRIDE: u8 = 5;

/// How common a given name must be to rule a person out among several of one surname ("Mr.
/// Clinton" is not Hillary, 10,000 births): a wrong ruling there leaves the quote ambiguous.
pub(crate) const CHOOSE: u8 = 4;

/// What a given name says, when the name list is clear about it and the name has at least
/// 10^`common` US births.
fn given_female(first: Option<&str>, common: u8) -> Option<bool> {
    let f = verbatim::resolution::names::lookup(first?)?;
    if f.log_count < common {
        return None;
    }
    f.female()
}

/// One answer from two sources, none when they disagree.
fn agree(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(x), Some(y)) if x != y => None,
        (a, b) => a.or(b),
    }
}

/// False only when both are known and differ.
pub(crate) fn fits(bare: Option<bool>, full: Option<bool>) -> bool {
    !matches!((bare, full), (Some(x), Some(y)) if x != y)
}

/// The offices and titles the document writes before this full name.
fn doc_roles_of<'d>(doc: &'d DocNames, full: &Name) -> &'d [String] {
    doc.with_surname(&full.surname)
        .find(|m| m.name.key == full.key)
        .map_or(&[], |m| m.roles.as_slice())
}

/// Whether this full name was seen (in the document or the bank) with one of `roles`.
fn holds(conn: &Connection, full: &Name, doc_roles: &[String], roles: &[&str]) -> Result<bool> {
    Ok(doc_roles.iter().any(|r| roles.contains(&r.as_str()))
        || offices(conn, &full.key)?
            .iter()
            .any(|r| roles.contains(&r.as_str())))
}

pub(crate) fn is_courtesy(role: &str) -> bool {
    matches!(role, "mr" | "mrs" | "ms")
}

/// The offices the bank has seen written before this full name, courtesy titles aside.
pub(crate) fn offices(conn: &Connection, key: &str) -> Result<Vec<String>> {
    let mut all = all_roles(conn, key)?;
    all.retain(|r| !is_courtesy(r));
    Ok(all)
}

/// Every office and title the bank has seen written before this full name.
fn all_roles(conn: &Connection, key: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT role FROM name_roles WHERE key = ?1")?
        .query_map([key], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The one candidate known to hold one of `roles`, when every other is known to hold some
/// other office: an office nobody was seen to hold proves nothing ("President Bush" when
/// only George W. Bush was written with it, and George H. W. Bush with none).
fn choose_by_office<T>(roles: &[&str], cands: Vec<(T, Vec<String>)>) -> Option<T> {
    if roles.is_empty() {
        return None;
    }
    let mut found = None;
    for (c, known) in cands {
        if known.iter().any(|k| roles.contains(&k.as_str())) {
            if found.is_some() {
                return None;
            }
            found = Some(c);
        } else if known.is_empty() {
            return None;
        }
    }
    found
}

/// The most people of one surname an office or a title is asked to tell apart: beyond that
/// ("Smith" in a bank of thousands) neither can single one out, and asking would cost a
/// look-up per person for every quote.
const MAX_TOLD_APART: usize = 50;

/// The one full-name entity of a bare name's surname that holds an office the document gives
/// that surname ("President Obama"), or the quote's own (see [`choose_by_office`]); or the
/// only one its title fits (`female`: "Mr. Clinton" when the others are women).
fn by_role(
    conn: &Connection,
    name: &Name,
    doc: &DocNames,
    female: Option<bool>,
) -> Result<Option<i64>> {
    let mut roles: Vec<&str> = doc
        .bare_roles(&name.surname)
        .iter()
        .map(String::as_str)
        .collect();
    if let Some(r) = name.role.as_deref().filter(|r| !roles.contains(r)) {
        roles.push(r);
    }
    // "Mrs. Obama" beside "President Obama": the document may be quoting either.
    let mixed = roles.iter().any(|r| matches!(*r, "mrs" | "ms"));
    if mixed && roles.iter().any(|r| !is_courtesy(r)) {
        roles.clear();
    }
    // A courtesy title alone tells no one apart.
    roles.retain(|r| !is_courtesy(r));
    // Nothing to decide by: no look-ups (a bare "Smith" in a bank of many Smiths).
    if roles.is_empty() && female.is_none() {
        return Ok(None);
    }
    let ids: Vec<(i64, String)> = conn
        .prepare_cached(&format!(
            "SELECT id, key FROM speakers WHERE surname = ?1 AND partial = 0 LIMIT {}",
            MAX_TOLD_APART + 1
        ))?
        .query_map([&name.surname], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.len() > MAX_TOLD_APART {
        return Ok(None);
    }
    let mut cands = Vec::with_capacity(ids.len());
    for (id, key) in ids {
        if female.is_none() || fits(female, entity_female(conn, id, CHOOSE)?) {
            cands.push((id, offices(conn, &key)?));
        }
    }
    if let ([(id, _)], Some(_)) = (cands.as_slice(), female) {
        return Ok(Some(*id));
    }
    Ok(choose_by_office(&roles, cands))
}

/// Keep the offices a document writes before full names ("President Barack Obama"): the
/// evidence [`Link::Role`] uses for bare surnames in other documents. The surnames given
/// evidence the bank did not have are noted in `st` (for [`relink_all`]).
pub fn record_roles(conn: &Connection, st: &mut State, names: &DocNames) -> Result<()> {
    let mut ins =
        conn.prepare_cached("INSERT OR IGNORE INTO name_roles (key, role) VALUES (?1, ?2)")?;
    for m in names.mentions() {
        for r in &m.roles {
            if ins.execute([&m.name.key, r])? > 0 && !m.name.is_org() {
                st.new_roles.insert(m.name.surname.clone());
            }
        }
    }
    Ok(())
}

/// The names a stored document gives ([`DocNames::scan`] of its text and its quotes'
/// speakers, in order), as its ingest made them.
pub fn stored_doc_names(conn: &Connection, num: i64) -> Result<DocNames> {
    Ok(stored_doc_names_and_text(conn, num)?.0)
}

/// [`stored_doc_names`], and the document's text.
fn stored_doc_names_and_text(conn: &Connection, num: i64) -> Result<(DocNames, String)> {
    let text: String = conn
        .prepare_cached("SELECT text FROM documents WHERE num = ?1")?
        .query_row([num], |r| r.get(0))?;
    let raws: Vec<String> = conn
        .prepare_cached(
            "SELECT speaker_raw FROM quotes WHERE doc = ?1 AND speaker_raw IS NOT NULL ORDER BY ord",
        )?
        .query_map([num], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let names = DocNames::scan(&text, raws.iter().map(String::as_str));
    Ok((names, text))
}

/// Link again the bare surnames left ambiguous or pending that an office recorded after them
/// may tell apart ([`Link::Role`]): [`relink_all`] runs it once every document has given its
/// offices, so that its links do not depend on the order the documents came in (a
/// "President Obama" stored before any "President Barack Obama"). Each document with such a
/// quote is read again. Returns how many quotes moved.
fn relink_ambiguous(conn: &Connection, st: &mut State) -> Result<usize> {
    let mut moved = 0;
    for surname in std::mem::take(&mut st.new_roles) {
        let docs: Vec<i64> = conn
            .prepare_cached(
                "SELECT DISTINCT doc FROM quotes
                 WHERE speaker_key = ?1 AND speaker_link IN ('ambiguous', 'pending')",
            )?
            .query_map([&surname], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for doc in docs {
            let (names, text) = stored_doc_names_and_text(conn, doc)?;
            type Row = (i64, String, Option<i64>, String, String);
            let quotes: Vec<Row> = conn
                .prepare_cached(
                    "SELECT id, speaker_raw, speaker_id, speaker_link, source FROM quotes
                     WHERE doc = ?1 AND speaker_key = ?2
                       AND speaker_link IN ('ambiguous', 'pending')",
                )?
                .query_map(params![doc, surname], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (id, raw, old, old_link, source) in quotes {
                let Some(name) = stored_name(Some(&raw), &text, &source) else {
                    continue;
                };
                let (_, speaker, link) = link_speaker(conn, None, Some(&name), &names)?;
                let link = link.map(Link::as_str);
                if (speaker, link) == (old, Some(old_link.as_str())) {
                    continue;
                }
                conn.prepare_cached(
                    "UPDATE quotes SET speaker_id = ?2, speaker_link = ?3 WHERE id = ?1",
                )?
                .execute(params![id, speaker, link])?;
                st.recount.extend(old);
                st.recount.extend(speaker);
                moved += 1;
            }
        }
    }
    Ok(moved)
}

/// A cluster's speaker from its quotes: a full name before a bare surname, then the first
/// quote's (`clusters` in the UPDATE that uses it).
const CLUSTER_SPEAKER: &str = "(
    SELECT q.speaker_id FROM quotes q JOIN speakers s ON s.id = q.speaker_id
    WHERE q.cluster_id = clusters.id ORDER BY s.partial, q.id LIMIT 1)";

fn cluster_speaker(conn: &Connection, cluster: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE clusters SET speaker_id = {CLUSTER_SPEAKER} WHERE id = ?1"
    ))?
    .execute([cluster])?;
    Ok(())
}

/// Link pending bare surnames that now have exactly one full-name entity in the bank.
/// Returns the number of quotes relinked.
pub fn relink_pending(conn: &Connection, st: &mut State) -> Result<usize> {
    let keys: Vec<String> = conn
        .prepare("SELECT DISTINCT speaker_key FROM quotes WHERE speaker_link = 'pending'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut moved = 0;
    for key in keys {
        let surname = key
            .split(' ')
            .rev()
            .find(|t| !matches!(*t, "jr" | "sr" | "ii" | "iii" | "iv" | "v"))
            .unwrap_or(&key)
            .to_string();
        let ids: Vec<i64> = conn
            .prepare_cached("SELECT id FROM speakers WHERE surname = ?1 AND partial = 0 LIMIT 2")?
            .query_map([&surname], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let [target] = ids.as_slice() else { continue };
        type Row = (i64, Option<i64>, Option<i64>, bool);
        // "Mrs. Kasich" is not John Kasich: such a quote is left `ambiguous`, as an ingest
        // would link it now, and not read again at the next run.
        let target_female = entity_female(conn, *target, OVERRIDE)?;
        let rows: Vec<Row> = if target_female.is_none() {
            conn.prepare_cached(
                "SELECT id, cluster_id, speaker_id FROM quotes
                 WHERE speaker_link = 'pending' AND speaker_key = ?1",
            )?
            .query_map([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, true)))?
            .collect::<rusqlite::Result<_>>()?
        } else {
            conn.prepare_cached(
                "SELECT q.id, q.cluster_id, q.speaker_id, q.speaker_raw, q.source, d.text
                 FROM quotes q JOIN documents d ON d.num = q.doc
                 WHERE q.speaker_link = 'pending' AND q.speaker_key = ?1",
            )?
            .query_map([&key], |r| {
                let raw: Option<String> = r.get(3)?;
                let name = stored_name(
                    raw.as_deref(),
                    &r.get::<_, String>(5)?,
                    &r.get::<_, String>(4)?,
                );
                let title = name.and_then(|n| n.role);
                let fit = fits(female_by_titles(title.as_deref()), target_female);
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, fit))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut unfit =
            conn.prepare_cached("UPDATE quotes SET speaker_link = 'ambiguous' WHERE id = ?1")?;
        for q in rows.iter().filter(|q| !q.3) {
            unfit.execute([q.0])?;
        }
        let ids: Vec<Row> = rows.into_iter().filter(|q| q.3).collect();
        if ids.is_empty() {
            continue;
        }
        let mut update = conn.prepare_cached(
            "UPDATE quotes SET speaker_id = ?1, speaker_link = 'bank' WHERE id = ?2",
        )?;
        for q in &ids {
            moved += update.execute(params![target, q.0])?;
        }
        let olds: BTreeSet<i64> = ids.iter().filter_map(|q| q.2).collect();
        // Their clusters' speaker: a full name now beats the bare surname, as when a quote
        // joins a cluster.
        for c in ids.iter().filter_map(|q| q.1).collect::<BTreeSet<_>>() {
            cluster_speaker(conn, c)?;
        }
        st.recount.extend(olds);
        st.recount.insert(*target);
    }
    Ok(moved)
}

/// Key the speakers, offices and quotes an older build keyed with diacritics ("junot díaz")
/// as this one does ("junot diaz", [`crate::names::fold_key`]); an entity whose new key another
/// already has is merged into it (its quotes, clusters and aliases moved, counts redone by
/// [`State::flush`]). Schema version 9.
pub fn fold_keys(conn: &Connection, st: &mut State) -> Result<()> {
    use crate::names::fold_key;
    // A merged entity's id is never given to someone else (see `entity`).
    conn.execute(
        "INSERT INTO meta (key, value) SELECT 'speaker_id_floor', coalesce(max(id), 0) FROM speakers
         WHERE true ON CONFLICT (key) DO UPDATE
         SET value = max(CAST(value AS INTEGER), excluded.value)",
        [],
    )?;
    let mut clusters = BTreeSet::new();
    let roles: Vec<(String, String)> = conn
        .prepare("SELECT key, role FROM name_roles")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (key, role) in roles.into_iter().filter(|(k, _)| !k.is_ascii()) {
        conn.execute(
            "INSERT OR IGNORE INTO name_roles (key, role) VALUES (?1, ?2)",
            params![fold_key(&key), role],
        )?;
        conn.execute(
            "DELETE FROM name_roles WHERE key = ?1 AND role = ?2",
            params![key, role],
        )?;
    }
    type Row = (i64, String, String, Option<String>);
    let speakers: Vec<Row> = conn
        .prepare("SELECT id, key, surname, first FROM speakers")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, key, surname, first) in speakers.into_iter().filter(|s| !s.1.is_ascii()) {
        let new = fold_key(&key);
        if new == key {
            continue;
        }
        let other: Option<i64> = conn
            .query_row("SELECT id FROM speakers WHERE key = ?1", [&new], |r| {
                r.get(0)
            })
            .optional()?;
        match other {
            None => {
                conn.execute(
                    "UPDATE speakers SET key = ?2, surname = ?3, first = ?4 WHERE id = ?1",
                    params![id, new, fold_key(&surname), first.as_deref().map(fold_key)],
                )?;
            }
            Some(to) => {
                // Its remarks were clustered apart from the survivor's: cluster them again.
                let moved: Vec<Option<i64>> = conn
                    .prepare("SELECT DISTINCT cluster_id FROM quotes WHERE speaker_id = ?1")?
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                clusters.extend(moved.into_iter().flatten());
                // An alias file's external id stays with the person.
                conn.execute(
                    "UPDATE speakers SET external_id = coalesce(external_id,
                         (SELECT external_id FROM speakers WHERE id = ?1)) WHERE id = ?2",
                    params![id, to],
                )?;
                for sql in [
                    "UPDATE quotes SET speaker_id = ?2 WHERE speaker_id = ?1",
                    "UPDATE clusters SET speaker_id = ?2 WHERE speaker_id = ?1",
                    "UPDATE aliases SET speaker_id = ?2 WHERE speaker_id = ?1",
                ] {
                    conn.execute(sql, params![id, to])?;
                }
                // Its derived rows go with it; the merged entity's are counted again.
                for table in [
                    "speaker_stats",
                    "speaker_outlets",
                    "speaker_months",
                    "speaker_spellings",
                ] {
                    conn.execute(&format!("DELETE FROM {table} WHERE speaker_id = ?1"), [id])?;
                }
                conn.execute("DELETE FROM speakers WHERE id = ?1", [id])?;
                st.recount.insert(to);
            }
        }
    }
    let keys: Vec<String> = conn
        .prepare("SELECT DISTINCT speaker_key FROM quotes WHERE speaker_key IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for key in keys.into_iter().filter(|k| !k.is_ascii()) {
        conn.execute(
            "UPDATE quotes SET speaker_key = ?2 WHERE speaker_key = ?1",
            params![key, fold_key(&key)],
        )?;
    }
    rekey_aliases(conn)?;
    st.info.clear();
    for c in clusters {
        recluster(conn, st, c)?;
    }
    Ok(())
}

/// Key every alias as this build's name rules key it (an older build may have keyed "State
/// Department" as `department`). When two aliases now share a key, the one whose key did not
/// change is kept (it was written for that name). Returns the aliases dropped that way.
pub fn rekey_aliases(conn: &Connection) -> Result<usize> {
    let rows: Vec<(String, String, i64)> = conn
        .prepare("SELECT key, alias, speaker_id FROM aliases ORDER BY key")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut keyed: Vec<(String, String, i64, bool)> = rows
        .into_iter()
        .map(|(old, alias, id)| {
            let key = alias_key(&alias);
            let same = key == old;
            (key, alias, id, same)
        })
        .filter(|r| !r.0.is_empty())
        .collect();
    // Those keeping their key last: they win a shared key.
    keyed.sort_by_key(|r| r.3);
    let mut kept: HashMap<String, (String, i64)> = HashMap::new();
    let mut dropped = 0;
    for (key, alias, id, _) in keyed {
        if kept.insert(key, (alias, id)).is_some() {
            dropped += 1;
        }
    }
    conn.execute("DELETE FROM aliases", [])?;
    let mut ins =
        conn.prepare("INSERT INTO aliases (key, alias, speaker_id) VALUES (?1, ?2, ?3)")?;
    for (key, (alias, id)) in kept {
        ins.execute(params![key, alias, id])?;
    }
    Ok(dropped)
}

/// What [`relink_all`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relinked {
    /// Quotes whose speaker entity or link changed.
    pub moved: usize,
    /// Speaker entities before.
    pub entities_before: usize,
    /// Speaker entities after.
    pub entities_after: usize,
    /// Aliases that the new rules key like another one, dropped (see [`rekey_aliases`]).
    pub aliases_dropped: usize,
    /// Clusters made again because their quotes' speakers changed.
    pub reclustered: usize,
}

/// Link every stored quote's speaker again, document by document in the order they were
/// stored, with this build's name rules, as a fresh ingest of the same documents would. The
/// entities are made again: those an alias points at are kept (ids, external ids) and keyed
/// by the new rules, and an entity whose key the new rules make again keeps its id (see
/// [`keep_ids`], run after the counts are flushed); a new one never takes an id a removed one
/// had. The speaker counts are made again, the clusters whose quotes' speakers changed are
/// clustered again, and the transcripts are noted for their articles to be verified again.
///
/// Returns what it did and the id map for [`keep_ids`].
pub fn relink_all(conn: &Connection, st: &mut State) -> Result<(Relinked, IdMap)> {
    let count = |conn: &Connection| -> Result<usize> {
        Ok(conn.query_row("SELECT count(*) FROM speakers", [], |r| r.get::<_, i64>(0))? as usize)
    };
    let mut out = Relinked {
        entities_before: count(conn)?,
        ..Relinked::default()
    };
    out.aliases_dropped = rekey_aliases(conn)?;
    // Each quote's entity (by key: ids are made again) and link, to count what moved: a
    // 64-bit hash of the two per quote, in quote order (16 bytes a quote; the strings
    // themselves took a gigabyte on a bank of a million quotes).
    let links = |conn: &Connection| -> Result<Vec<(i64, u64)>> {
        let rows = conn
            .prepare(
                "SELECT q.id, s.key, q.speaker_link FROM quotes q
                 LEFT JOIN speakers s ON s.id = q.speaker_id ORDER BY q.id",
            )?
            .query_map([], |r| {
                let key: Option<String> = r.get(1)?;
                let link: Option<String> = r.get(2)?;
                Ok((r.get(0)?, hash_link(key.as_deref(), link.as_deref())))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    };
    let before = links(conn)?;
    let old_ids: HashMap<String, i64> = conn
        .prepare("SELECT key, id FROM speakers WHERE id NOT IN (SELECT speaker_id FROM aliases)")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let max_id: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM speakers", [], |r| {
        r.get(0)
    })?;
    conn.execute_batch(
        "UPDATE quotes SET speaker_key = NULL, speaker_id = NULL, speaker_link = NULL
             WHERE speaker_id IS NOT NULL OR speaker_key IS NOT NULL;
         UPDATE clusters SET speaker_id = NULL;
         DELETE FROM speakers WHERE id NOT IN (SELECT speaker_id FROM aliases);
         UPDATE speakers SET quote_count = 0;
         DELETE FROM speaker_stats;
         DELETE FROM speaker_outlets;
         DELETE FROM speaker_months;
         DELETE FROM speaker_spellings;
         DELETE FROM name_roles;",
    )?;
    // The entities aliases point at, keyed by the new rules (one whose new key another
    // already has keeps its old one).
    let aliased: Vec<(i64, String)> = conn
        .prepare("SELECT id, name FROM speakers")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, name) in aliased {
        let Some(n) = canonical_name(&name) else {
            continue;
        };
        match conn
            .prepare_cached(
                "UPDATE speakers SET key = ?2, surname = ?3, first = ?4, partial = ?5
                 WHERE id = ?1",
            )?
            .execute(params![id, n.key, n.surname, n.first, !n.is_full() as i64])
        {
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation => {}
            r => {
                r?;
            }
        }
    }
    // New entities take ids above every old one (see `entity`).
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('speaker_id_floor', ?1)
         ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), excluded.value)",
        [max_id],
    )?;
    st.info.clear();
    let docs: Vec<i64> = conn
        .prepare("SELECT num FROM documents ORDER BY num")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut set = conn.prepare(
        "UPDATE quotes SET speaker_key = ?2, speaker_id = ?3, speaker_link = ?4 WHERE id = ?1",
    )?;
    // Two passes, so that the links do not depend on the order the documents came in: every
    // full name and office first, then the bare names, with all of them known.
    // (Each pass reads the documents with bare names again rather than keep every
    // document's names in memory: a bank may hold millions.)
    type Bare = (
        i64,
        Name,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let mut bare: Vec<Bare> = Vec::new();
    for num in docs {
        let (names, text) = stored_doc_names_and_text(conn, num)?;
        record_roles(conn, st, &names)?;
        type Row = (i64, Option<String>, Option<String>, Option<String>, String);
        let quotes: Vec<Row> = conn
            .prepare_cached(
                "SELECT id, speaker_raw, outlet, published, source FROM quotes
                 WHERE doc = ?1 ORDER BY ord",
            )?
            .query_map([num], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, raw, outlet, published, source) in quotes {
            let name = stored_name(raw.as_deref(), &text, &source);
            let name = match name {
                Some(n) if !n.is_full() => {
                    bare.push((id, n, num, raw, outlet, published));
                    continue;
                }
                name => name,
            };
            let raw_key = match (&name, &raw) {
                (None, Some(raw)) => Some(crate::names::plain_key(raw)),
                _ => None,
            };
            let (key, speaker, link) =
                link_speaker(conn, raw_key.as_deref(), name.as_ref(), &names)?;
            set.execute(params![id, key, speaker, link.map(Link::as_str)])?;
            st.count(
                speaker,
                outlet.as_deref(),
                published.as_deref(),
                raw.as_deref(),
                1,
            );
        }
    }
    // The people the documents name in full and link bare names to, made before any bare
    // name asks the bank who holds a surname.
    for group in bare.chunk_by(|a, b| a.2 == b.2) {
        let names = &stored_doc_names(conn, group[0].2)?;
        for (_, name, ..) in group {
            prepare_bare(conn, name, names)?;
        }
    }
    for group in bare.chunk_by(|a, b| a.2 == b.2) {
        let names = stored_doc_names(conn, group[0].2)?;
        for (id, name, _, raw, outlet, published) in group {
            let (key, speaker, link) = link_speaker(conn, None, Some(name), &names)?;
            set.execute(params![id, key, speaker, link.map(Link::as_str)])?;
            st.count(
                speaker,
                outlet.as_deref(),
                published.as_deref(),
                raw.as_deref(),
                1,
            );
        }
    }
    drop(set);
    relink_pending(conn, st)?;
    relink_ambiguous(conn, st)?;
    let after = links(conn)?;
    // A relink adds and removes no quote: both lists hold the same ids in the same order.
    let changed: Vec<i64> = after
        .iter()
        .filter(|(id, l)| {
            before
                .binary_search_by_key(id, |b| b.0)
                .map_or(true, |i| before[i].1 != *l)
        })
        .map(|(id, _)| *id)
        .collect();
    out.moved = changed.len();
    conn.execute(
        &format!("UPDATE clusters SET speaker_id = {CLUSTER_SPEAKER}"),
        [],
    )?;
    // Which quotes share a cluster was decided with the old speakers ("Loretta Lynch" and
    // "Loretta E. Lynch" may not share one): cluster those again.
    let mut clusters = BTreeSet::new();
    for id in changed {
        let c: Option<i64> = conn
            .prepare_cached("SELECT cluster_id FROM quotes WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        clusters.extend(c);
    }
    st.info.clear();
    for c in &clusters {
        recluster(conn, st, *c)?;
    }
    out.reclustered = clusters.len();
    out.entities_after = count(conn)?;
    // Articles are verified against the transcripts that share a speaker with them: again,
    // with the new speakers (by `verification::settle`, before the commit).
    let transcripts: Vec<i64> = conn
        .prepare("SELECT num FROM documents WHERE kind = 'transcript'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    st.verify_transcripts.extend(transcripts);
    let id_map = conn
        .prepare("SELECT id, key FROM speakers WHERE id > ?1")?
        .query_map([max_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(new, key)| old_ids.get(&key).map(|&old| (new, old)))
        .collect();
    Ok((out, IdMap(id_map)))
}

/// Make the entity a bare name's document links it to (the one full name of its surname, or
/// the one its title or office picks among several), so that it exists before any bare name
/// asks the bank who holds that surname ([`relink_all`]).
fn prepare_bare(conn: &Connection, name: &Name, names: &DocNames) -> Result<()> {
    let mut res = names.by_surname(&name.surname);
    if res == Resolution::None && name.key == name.surname {
        res = names.by_first(&name.surname);
    }
    let full = match res {
        Resolution::One(full) => {
            let doc_roles = doc_roles_of(names, full);
            let female = female_by_titles(name.role.as_deref());
            fits(female, full_female(conn, full, doc_roles, OVERRIDE)?).then_some(full)
        }
        Resolution::Ambiguous => doc_pick(conn, name, names)?,
        Resolution::None => None,
    };
    if let Some(full) = full {
        if alias_target(conn, &full.key)?.is_none() {
            entity(conn, full)?;
        }
    }
    Ok(())
}

/// A quote's speaker key and link, as one number to compare ([`relink_all`]).
fn hash_link(key: Option<&str>, link: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (key, link).hash(&mut h);
    h.finish()
}

/// New entity ids → the ids the same keys had before [`relink_all`].
pub struct IdMap(Vec<(i64, i64)>);

/// Give the entities [`relink_all`] made again the ids their keys had, in every table that
/// names a speaker, so that links to a speaker's page stay right. Run after the counts are
/// flushed. The old ids are free (their rows were removed) and the new ones above them all.
pub fn keep_ids(conn: &Connection, map: &IdMap) -> Result<()> {
    // One pass over each table, through a temporary map (an UPDATE per entity and table
    // would scan the unindexed `clusters.speaker_id` once per entity).
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS relink_ids (new INTEGER PRIMARY KEY, old INTEGER NOT NULL);
         DELETE FROM temp.relink_ids;",
    )?;
    let mut ins = conn.prepare("INSERT INTO temp.relink_ids (new, old) VALUES (?1, ?2)")?;
    for &(new, old) in &map.0 {
        ins.execute([new, old])?;
    }
    conn.execute(
        "UPDATE speakers SET id = m.old FROM temp.relink_ids m WHERE speakers.id = m.new",
        [],
    )?;
    for t in [
        "quotes",
        "clusters",
        "speaker_stats",
        "speaker_outlets",
        "speaker_months",
        "speaker_spellings",
        "aliases",
    ] {
        conn.execute(
            &format!(
                "UPDATE {t} SET speaker_id = m.old FROM temp.relink_ids m
                 WHERE {t}.speaker_id = m.new"
            ),
            [],
        )?;
    }
    conn.execute_batch("DROP TABLE temp.relink_ids;")?;
    Ok(())
}

/// The entity an alias file's canonical name makes: its parse as a name, or failing that its
/// words as the key ("POTUS"); `None` when it has no words.
fn canonical_name(canonical: &str) -> Option<Name> {
    if let Some(mut n) = crate::names::parse_name(canonical) {
        n.display = canonical.trim().to_string();
        return Some(n);
    }
    let key = alias_key(canonical);
    if key.is_empty() {
        return None;
    }
    let surname = key.rsplit(' ').next().unwrap_or(&key).to_string();
    let first = key
        .contains(' ')
        .then(|| key.split(' ').next().unwrap_or("").to_string());
    Some(Name {
        key,
        display: canonical.trim().to_string(),
        surname,
        first,
        role: None,
    })
}

/// Point `alias` at the entity named `canonical` (created if missing), and move the quotes
/// already linked through that alias. Returns (entity id, quotes moved).
pub fn add_alias(
    conn: &Connection,
    st: &mut State,
    alias: &str,
    canonical: &str,
    external_id: Option<&str>,
) -> Result<(i64, usize)> {
    let cname = canonical_name(canonical)
        .ok_or_else(|| Error::invalid(format!("alias {alias:?}: empty canonical name")))?;
    // A canonical name that is itself an alias ("A → B", then "C → A") names B's entity.
    let id = match alias_target(conn, &cname.key)? {
        Some(target) => {
            conn.prepare_cached(
                "UPDATE speakers SET external_id = coalesce(?2, external_id) WHERE id = ?1",
            )?
            .execute(params![target, external_id])?;
            target
        }
        None => {
            let id = entity(conn, &cname)?;
            conn.prepare_cached(
                "UPDATE speakers SET name = ?2, external_id = coalesce(?3, external_id)
                 WHERE id = ?1",
            )?
            .execute(params![id, cname.display, external_id])?;
            id
        }
    };
    let akey = alias_key(alias);
    if akey.is_empty() {
        return Err(Error::invalid(format!(
            "alias for {canonical:?}: empty alias"
        )));
    }
    conn.prepare_cached(
        "INSERT OR REPLACE INTO aliases (key, alias, speaker_id) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![akey, alias.trim(), id])?;
    // Quotes whose speaker spelled the alias, and quotes linked to the entity the alias names.
    let mut olds: Vec<i64> = conn
        .prepare_cached(
            "SELECT DISTINCT speaker_id FROM quotes WHERE speaker_key = ?1 AND speaker_id IS NOT NULL",
        )?
        .query_map([&akey], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut moved = conn
        .prepare_cached(
            "UPDATE quotes SET speaker_id = ?1, speaker_link = 'alias'
             WHERE speaker_key = ?2 AND (speaker_id IS NULL OR speaker_id != ?1)",
        )?
        .execute(params![id, akey])?;
    let aliased_entity: Option<i64> = conn
        .prepare_cached("SELECT id FROM speakers WHERE key = ?1")?
        .query_row([&akey], |r| r.get(0))
        .optional()?;
    if let Some(old) = aliased_entity.filter(|&o| o != id) {
        moved += conn
            .prepare_cached(
                "UPDATE quotes SET speaker_id = ?1, speaker_link = 'alias' WHERE speaker_id = ?2",
            )?
            .execute(params![id, old])?;
        conn.prepare_cached("UPDATE clusters SET speaker_id = ?1 WHERE speaker_id = ?2")?
            .execute(params![id, old])?;
        olds.push(old);
    }
    st.recount.extend(olds);
    st.recount.insert(id);
    st.info.clear();
    Ok((id, moved))
}

// ---------------------------------------------------------------------------------------------
// Quotes and clusters

/// A quote ready to be written (everything computed in a worker).
#[derive(Clone, Debug)]
pub struct QuoteRow {
    pub kind: &'static str,
    pub text: String,
    pub content: String,
    pub source: String,
    pub cue: String,
    pub speaker_raw: Option<String>,
    pub name: Option<Name>,
    /// The [`alias_key`](crate::names::alias_key) of `speaker_raw` when it is not a name
    /// (`name` is `None`): an alias may still name it.
    pub raw_key: Option<String>,
    pub addressee: Option<String>,
    pub setting: &'static str,
    pub confidence: f64,
    pub fp: Fingerprint,
    /// A transcript's turn (stored as `quotes.turn = 1`, indexed by cluster).
    pub turn: bool,
}

/// Insert a document's quotes (the document row exists). Returns how many.
#[allow(clippy::too_many_arguments)]
pub fn insert_quotes(
    conn: &Connection,
    st: &mut State,
    doc_num: i64,
    day: i64,
    outlet: Option<&str>,
    published: Option<&str>,
    quotes: &[QuoteRow],
    names: &DocNames,
) -> Result<usize> {
    let mut ins = conn.prepare_cached(
        "INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue, speaker_raw,
             speaker_key, speaker_id, speaker_link, addressee, setting, confidence, cluster_id,
             is_head, outlet, published, turn)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
             ?20)",
    )?;
    let mut fts = conn.prepare_cached("INSERT INTO quotes_fts (rowid, text) VALUES (?1, ?2)")?;
    for (ord, q) in quotes.iter().enumerate() {
        let (key, speaker, link) =
            link_speaker(conn, q.raw_key.as_deref(), q.name.as_ref(), names)?;
        let id = crate::dates::quote_id(day, st.next_seq()?);
        let info = match speaker {
            Some(s) => st.speaker_info(conn, s)?,
            None => None,
        };
        let (cluster, head) = assign_cluster(conn, st, &q.fp, info.as_ref(), published)?;
        ins.execute(params![
            id,
            doc_num,
            ord as i64,
            q.kind,
            q.text,
            q.content,
            q.source,
            q.cue,
            q.speaker_raw,
            key,
            speaker,
            link.map(Link::as_str),
            q.addressee,
            q.setting,
            q.confidence,
            cluster,
            head as i64,
            outlet,
            published,
            q.turn.then_some(1i64)
        ])?;
        fts.execute(params![id, q.text])?;
        if is_nonplain(&q.text) {
            conn.prepare_cached("INSERT OR IGNORE INTO quotes_nonplain (id) VALUES (?1)")?
                .execute([id])?;
        }
        if head {
            insert_keys(conn, &q.fp, id)?;
        }
        st.count(speaker, outlet, published, q.speaker_raw.as_deref(), 1);
    }
    Ok(quotes.len())
}

/// Whether a quote's text belongs in `quotes_nonplain` (see `schema::V6`): it has a character
/// other than U+0001–U+007F, ‘ ’ “ ” – — … and the no-break space. NUL counts as other, which
/// only ever lists more quotes (a listed quote is scored from its text: same score, slower).
pub(crate) fn is_nonplain(text: &str) -> bool {
    text.chars().any(|c| {
        !matches!(
            c,
            '\u{1}'
                ..='\u{7f}'
                    | '\u{2018}'
                    | '\u{2019}'
                    | '\u{201c}'
                    | '\u{201d}'
                    | '\u{2013}'
                    | '\u{2014}'
                    | '\u{2026}'
                    | '\u{a0}'
        )
    })
}

fn insert_keys(conn: &Connection, fp: &Fingerprint, quote: i64) -> Result<()> {
    let mut st =
        conn.prepare_cached("INSERT OR IGNORE INTO cluster_keys (key, quote_id) VALUES (?1, ?2)")?;
    for k in fp.keys() {
        st.execute(params![k, quote])?;
    }
    Ok(())
}

fn delete_keys(conn: &Connection, fp: &Fingerprint, quote: i64) -> Result<()> {
    let mut st =
        conn.prepare_cached("DELETE FROM cluster_keys WHERE key = ?1 AND quote_id = ?2")?;
    for k in fp.keys() {
        st.execute(params![k, quote])?;
    }
    Ok(())
}

struct ClusterRow {
    speaker: Option<i64>,
    first_seen: Option<String>,
    size: i64,
}

fn cluster_row(conn: &Connection, id: i64) -> Result<Option<ClusterRow>> {
    Ok(conn
        .prepare_cached("SELECT speaker_id, first_seen, size FROM clusters WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(ClusterRow {
                speaker: r.get(0)?,
                first_seen: r.get(1)?,
                size: r.get(2)?,
            })
        })
        .optional()?)
}

fn min_date(a: Option<String>, b: Option<&str>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b < a.as_str() { b.to_string() } else { a }),
        (a, b) => a.or_else(|| b.map(str::to_string)),
    }
}

/// Compare candidate head quotes with a new wording; record the best match per compatible
/// cluster in `matched`.
fn verify(
    conn: &Connection,
    st: &mut State,
    fp: &Fingerprint,
    speaker: Option<&SpeakerInfo>,
    cands: &[i64],
    matched: &mut Vec<(i64, Match)>,
) -> Result<()> {
    let mut head_q = conn.prepare_cached("SELECT text, cluster_id FROM quotes WHERE id = ?1")?;
    for &q in cands {
        let Some((text, Some(cid))) = head_q
            .query_row([q], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
            })
            .optional()?
        else {
            continue;
        };
        let head = word_hashes(&text);
        let Some(m) = compare(&fp.words, &head) else {
            continue;
        };
        // A wording longer than the head it matches must also match the cluster's longest
        // wording: otherwise every remark that happens to contain "the former secretary of
        // state" would join the cluster of whichever quote was only that.
        if head.len() < fp.words.len() && !matches_longest_head(conn, cid, q, &fp.words)? {
            continue;
        }
        if let Some((_, best)) = matched.iter_mut().find(|(c, _)| *c == cid) {
            if m.score() > best.score() {
                *best = m;
            }
            continue;
        }
        let Some(row) = cluster_row(conn, cid)? else {
            continue;
        };
        let cs = match row.speaker {
            Some(s) => st.speaker_info(conn, s)?,
            None => None,
        };
        // A few words ("Clinton", "to comment") are no remark of their own: the same words
        // are the same quote only from the same speaker, named.
        let short = fp.words.len() < SHINGLE;
        if compatible(speaker, cs.as_ref()) && !(short && (speaker.is_none() || cs.is_none())) {
            matched.push((cid, m));
        }
    }
    Ok(())
}

/// Whether `words` match the longest wording of cluster `cid` (true when that is `head`).
fn matches_longest_head(conn: &Connection, cid: i64, head: i64, words: &[u64]) -> Result<bool> {
    let longest: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, text FROM quotes WHERE cluster_id = ?1 AND is_head = 1
             ORDER BY length(text) DESC, id DESC LIMIT 1",
        )?
        .query_row([cid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(longest.map_or(true, |(id, text)| {
        id == head || compare(words, &word_hashes(&text)).is_some()
    }))
}

/// Find (or create) the cluster of a new quote and update the cluster rows (merging clusters
/// the quote bridges). Returns (cluster id, whether the quote is a head: a wording new to its
/// cluster, whose keys must be indexed).
fn assign_cluster(
    conn: &Connection,
    st: &mut State,
    fp: &Fingerprint,
    speaker: Option<&SpeakerInfo>,
    published: Option<&str>,
) -> Result<(i64, bool)> {
    // 1. The exact wording: if a compatible cluster has it, join (its shingles were
    //    considered when that wording was first indexed).
    let mut look = conn.prepare_cached(&format!(
        "SELECT quote_id FROM cluster_keys WHERE key = ?1 LIMIT {KEY_POSTINGS}"
    ))?;
    let mut matched: Vec<(i64, Match)> = Vec::new();
    if fp.words.is_empty() {
        conn.prepare_cached(
            "INSERT INTO clusters (speaker_id, first_seen, size) VALUES (?1, ?2, 1)",
        )?
        .execute(params![speaker.map(|s| s.id), published])?;
        return Ok((conn.last_insert_rowid(), false));
    }
    let exact: Vec<i64> = look
        .query_map([fp.exact], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    verify(conn, st, fp, speaker, &exact, &mut matched)?;
    if !matched.iter().any(|m| m.1 == Match::Exact) {
        // 2. Candidate heads sharing word 5-shingles, most shared first.
        let mut weight: HashMap<i64, u32> = HashMap::new();
        for &k in &fp.shingles {
            for q in look.query_map([k], |r| r.get::<_, i64>(0))? {
                let q = q?;
                if !exact.contains(&q) {
                    *weight.entry(q).or_default() += 1;
                }
            }
        }
        let mut cands: Vec<(i64, u32)> = weight.into_iter().collect();
        cands.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        cands.truncate(VERIFY);
        let cands: Vec<i64> = cands.into_iter().map(|c| c.0).collect();
        verify(conn, st, fp, speaker, &cands, &mut matched)?;
    }
    if matched.is_empty() {
        conn.prepare_cached(
            "INSERT INTO clusters (speaker_id, first_seen, size) VALUES (?1, ?2, 1)",
        )?
        .execute(params![speaker.map(|s| s.id), published])?;
        return Ok((conn.last_insert_rowid(), true));
    }
    matched.sort_by(|a, b| b.1.score().total_cmp(&a.1.score()).then(a.0.cmp(&b.0)));
    let (target, best) = matched[0];
    let head = best != Match::Exact;
    let Some(row) = cluster_row(conn, target)? else {
        return Err(Error::Worker(format!("cluster {target} vanished")));
    };
    let mut cur_speaker = match row.speaker {
        Some(s) => st.speaker_info(conn, s)?,
        None => None,
    };
    // The cluster's speaker: known beats unknown, a full name beats a bare surname.
    if let Some(s) = speaker {
        if cur_speaker
            .as_ref()
            .map_or(true, |c| c.partial && !s.partial)
        {
            cur_speaker = Some(s.clone());
        }
    }
    let mut size = row.size + 1;
    let mut first_seen = min_date(row.first_seen, published);
    // Merge the other clusters the quote matches, when their speakers agree.
    for &(other, _) in &matched[1..] {
        let Some(o) = cluster_row(conn, other)? else {
            continue;
        };
        let os = match o.speaker {
            Some(s) => st.speaker_info(conn, s)?,
            None => None,
        };
        if !compatible(cur_speaker.as_ref(), os.as_ref()) {
            continue;
        }
        if cur_speaker.as_ref().map_or(true, |c| {
            c.partial && os.as_ref().is_some_and(|o| !o.partial)
        }) {
            cur_speaker = os.or(cur_speaker);
        }
        conn.prepare_cached("UPDATE quotes SET cluster_id = ?1 WHERE cluster_id = ?2")?
            .execute(params![target, other])?;
        conn.prepare_cached("DELETE FROM clusters WHERE id = ?1")?
            .execute([other])?;
        size += o.size;
        first_seen = min_date(first_seen, o.first_seen.as_deref());
    }
    conn.prepare_cached(
        "UPDATE clusters SET speaker_id = ?2, first_seen = ?3, size = ?4 WHERE id = ?1",
    )?
    .execute(params![target, cur_speaker.map(|s| s.id), first_seen, size])?;
    Ok((target, head))
}

/// Take a cluster apart and cluster its members again (after some were deleted).
fn recluster(conn: &Connection, st: &mut State, cid: i64) -> Result<()> {
    if cluster_row(conn, cid)?.is_none() {
        return Ok(()); // merged away already
    }
    type Member = (i64, String, Option<i64>, Option<String>, bool);
    let members: Vec<Member> = conn
        .prepare_cached(
            "SELECT id, text, speaker_id, published, is_head FROM quotes WHERE cluster_id = ?1 ORDER BY id",
        )?
        .query_map([cid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, i64>(4)? != 0)))?
        .collect::<rusqlite::Result<_>>()?;
    let fps: Vec<Fingerprint> = members.iter().map(|m| Fingerprint::of(&m.1)).collect();
    for (m, fp) in members.iter().zip(&fps) {
        if m.4 {
            delete_keys(conn, fp, m.0)?;
        }
    }
    conn.prepare_cached("UPDATE quotes SET cluster_id = NULL, is_head = 0 WHERE cluster_id = ?1")?
        .execute([cid])?;
    conn.prepare_cached("DELETE FROM clusters WHERE id = ?1")?
        .execute([cid])?;
    let mut set =
        conn.prepare_cached("UPDATE quotes SET cluster_id = ?2, is_head = ?3 WHERE id = ?1")?;
    for (m, fp) in members.iter().zip(&fps) {
        let info = match m.2 {
            Some(s) => st.speaker_info(conn, s)?,
            None => None,
        };
        let (c, head) = assign_cluster(conn, st, fp, info.as_ref(), m.3.as_deref())?;
        set.execute(params![m.0, c, head as i64])?;
        if head {
            insert_keys(conn, fp, m.0)?;
        }
    }
    Ok(())
}

/// Delete the verifications of a document's quotes (as the reported side).
pub fn delete_verifications_of(conn: &Connection, doc_num: i64) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM verifications WHERE quote_id IN (SELECT id FROM quotes WHERE doc = ?1)",
    )?
    .execute([doc_num])?;
    Ok(())
}

/// Delete a document's quotes (index entries, counts, clusters repaired) and its
/// verifications both ways; the articles that were verified against it (if it is a
/// transcript) are noted for re-verification. Returns how many quotes.
pub fn remove_quotes(conn: &Connection, st: &mut State, doc_num: i64) -> Result<usize> {
    let reported: Vec<i64> = conn
        .prepare_cached(
            "SELECT DISTINCT q.doc FROM verifications v JOIN quotes q ON q.id = v.quote_id
             WHERE v.transcript = ?1",
        )?
        .query_map([doc_num], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    st.verify_articles.extend(reported);
    conn.prepare_cached("DELETE FROM verifications WHERE transcript = ?1")?
        .execute([doc_num])?;
    delete_verifications_of(conn, doc_num)?;
    type Row = (
        i64,
        String,
        Option<i64>,
        Option<i64>,
        bool,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = conn
        .prepare_cached(
            "SELECT id, text, speaker_id, cluster_id, is_head, outlet, published, speaker_raw
             FROM quotes WHERE doc = ?1",
        )?
        .query_map([doc_num], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, i64>(4)? != 0,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut fts = conn.prepare_cached(
        "INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', ?1, ?2)",
    )?;
    let mut clusters = BTreeSet::new();
    let mut nonplain = conn.prepare_cached("DELETE FROM quotes_nonplain WHERE id = ?1")?;
    for (id, text, speaker, cluster, head, outlet, published, speaker_raw) in &rows {
        fts.execute(params![id, text])?;
        // Whatever listed it (this writer, or the V6 backfill's pattern).
        nonplain.execute([id])?;
        if *head {
            delete_keys(conn, &Fingerprint::of(text), *id)?;
        }
        st.count(
            *speaker,
            outlet.as_deref(),
            published.as_deref(),
            speaker_raw.as_deref(),
            -1,
        );
        if let Some(c) = cluster {
            clusters.insert(*c);
        }
    }
    conn.prepare_cached("DELETE FROM quotes WHERE doc = ?1")?
        .execute([doc_num])?;
    st.removed += rows.len() as i64;
    for c in clusters {
        recluster(conn, st, c)?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer's rule is the V6 migration's pattern, character for character.
    #[test]
    fn nonplain_is_the_v6_pattern() {
        let conn = Connection::open_in_memory().unwrap();
        let glob = |t: &str| -> bool {
            conn.query_row(
                "SELECT ?1 GLOB '*[^' || char(1) || '-' || char(127)
                     || char(8216, 8217, 8220, 8221, 8211, 8212, 8230, 160) || ']*'",
                [t],
                |r| r.get(0),
            )
            .unwrap()
        };
        let texts = [
            "plain ASCII, with punctuation!? ~{}",
            "“curly” ‘quotes’ – dashes — and… ellipsis\u{a0}nbsp",
            "Zürich",
            "Gu\u{308}len",
            "l\u{f9}\u{300}economy",
            "\u{201e}low quote",
            "emoji 🙂",
            "tab\tand\nnewline\u{7f}",
            "",
        ];
        for t in texts {
            assert_eq!(is_nonplain(t), glob(t), "{t:?}");
        }
        assert!(is_nonplain("Zürich") && !is_nonplain("“x” — y…"));
    }
}
