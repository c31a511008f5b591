//! Article quotes verified against the transcripts stored in the bank.
//!
//! A transcript is the primary source a reported remark links back to. Verifying every article
//! quote against every transcript would be quadratic in the bank, so each article is checked
//! only against a few **candidate transcripts**, chosen by evidence that they record the same
//! occasion:
//!
//! 1. **Shared clusters**: the transcript has a turn in the same cluster (the same remark,
//!    see [`crate::cluster`]) as one of the article's quotes. Evidence: the number of such
//!    clusters.
//! 2. **Speaker and date**: the article is dated, the transcript is dated within
//!    ±[`WINDOW_DAYS`] days of it, and one of its turns is by a speaker of one of the
//!    article's quotes: the same linked entity, or a bare-surname entity with the same
//!    surname (the clustering's notion of compatible speakers). Evidence: the number of such
//!    speakers. At most [`WINDOW_TRANSCRIPTS`] transcripts of the window are examined.
//!
//! Candidates are ranked by shared clusters, then shared speakers, then closeness in date, then
//! age in the bank, and the first [`MAX_CANDIDATES`] are kept. Every quote of the article is
//! checked with a [`Verifier`] against each candidate (built once per transcript per batch);
//! the result is stored unless it is `not_found` (one row per quote and transcript: the
//! verifier's best alignment).
//!
//! When a verification runs: before each ingest batch commits (in its transaction), for
//!
//! * every article the batch wrote (its old verifications went with its old quotes);
//! * the articles related to every transcript the batch wrote, by the same two criteria seen
//!   from the transcript's side, at most [`MAX_RELATED_ARTICLES`] per transcript, most
//!   shared clusters first;
//! * the articles that had verifications against a transcript the batch replaced or that was
//!   deleted ([`crate::Bank::delete_document`] settles the same way).
//!
//! Each of these articles has all its verifications recomputed against its current
//! candidates, so the stored result depends on the bank's content, not on the order in which
//! articles and transcripts arrived. Speaker links that change later (aliases, relinked bare
//! surnames) do not re-verify anything by themselves.

use crate::dates::{quote_id, Date};
use crate::error::Result;
use crate::ingest::DocumentKind;
use crate::store::State;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};
use verbatim::transcript::{self, Format, Verdict, Verifier};
use verbatim::{Kind, OffsetMap};

/// Transcripts an article is verified against, at most.
pub const MAX_CANDIDATES: usize = 5;
/// A transcript dated this many days before or after an article (inclusive) is a candidate
/// when a turn's speaker is one of the article's.
pub const WINDOW_DAYS: i64 = 7;
/// Dated transcripts of an article's window examined for speaker evidence, at most.
pub const WINDOW_TRANSCRIPTS: usize = 100;
/// Articles re-verified when a transcript is written, at most (most shared clusters first).
pub const MAX_RELATED_ARTICLES: usize = 200;
/// Quotes by one speaker within a transcript's date window read to find related articles.
const WINDOW_QUOTES: usize = 5000;

/// SQL ranking a `verdict` column best first, as a literal for `concat!` in query strings.
macro_rules! verdict_rank {
    () => {
        "CASE verdict WHEN 'verbatim' THEN 0 WHEN 'edited' THEN 1 WHEN 'partial' THEN 2 \
         WHEN 'paraphrase' THEN 3 ELSE 4 END"
    };
}
pub(crate) use verdict_rank;

/// Why a transcript is a candidate for an article (or an article related to a transcript).
#[derive(Clone, Copy, Debug, Default)]
struct Evidence {
    /// Clusters shared.
    clusters: i64,
    /// Speaker evidence: speakers shared (for an article's candidates), or quotes by the
    /// transcript's speakers in the window (for a transcript's related articles).
    speakers: i64,
    /// Days between the two dates, when both are dated and speakers are shared.
    days_apart: Option<i64>,
}

impl Evidence {
    /// Sort key: stronger evidence first.
    fn key(&self, num: i64) -> (i64, i64, i64, i64) {
        (
            -self.clusters,
            -self.speakers,
            self.days_apart.unwrap_or(i64::MAX),
            num,
        )
    }
}

fn rank(ev: BTreeMap<i64, Evidence>, cap: usize) -> Vec<i64> {
    let mut v: Vec<(i64, Evidence)> = ev.into_iter().collect();
    v.sort_by_key(|(num, e)| e.key(*num));
    v.into_iter().take(cap).map(|(n, _)| n).collect()
}

/// A document's kind and day number (0 when undated); `None` when it does not exist.
fn kind_and_day(conn: &Connection, num: i64) -> Result<Option<(DocumentKind, i64)>> {
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT kind, published FROM documents WHERE num = ?1")?
        .query_row([num], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(kind, published)| {
        let day = published
            .and_then(|p| Date::parse(&p).ok())
            .map_or(0, Date::day_number);
        (kind.parse().unwrap_or_default(), day)
    }))
}

fn iso(day: i64) -> Option<String> {
    Date::from_day_number(day).map(Date::iso)
}

/// The documents of `kind` with a quote in the same cluster as one of `doc`'s quotes, with
/// the number of such clusters. Transcripts are found through the partial index of turns (a
/// popular remark's cluster may hold thousands of article quotes); articles by walking the
/// transcript's clusters, once per transcript written.
fn shared_clusters(
    conn: &Connection,
    doc: i64,
    kind: DocumentKind,
) -> Result<BTreeMap<i64, Evidence>> {
    let sql = match kind {
        DocumentKind::Transcript => {
            // CROSS JOIN keeps the article's quotes as the outer loop: with few turns in the
            // bank the planner would otherwise scan every turn for each article.
            "SELECT o.doc, count(DISTINCT o.cluster_id) FROM quotes s
             CROSS JOIN quotes o ON o.cluster_id = s.cluster_id AND o.turn = 1
             WHERE s.doc = ?1 AND o.doc != ?1 GROUP BY o.doc"
        }
        DocumentKind::Article => {
            "SELECT o.doc, count(DISTINCT o.cluster_id) FROM quotes s
             JOIN quotes o ON o.cluster_id = s.cluster_id
             WHERE s.doc = ?1 AND o.doc != ?1 AND o.turn IS NULL GROUP BY o.doc"
        }
    };
    let mut ev: BTreeMap<i64, Evidence> = BTreeMap::new();
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map([doc], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (other, n) = row?;
        ev.entry(other).or_default().clusters = n;
    }
    Ok(ev)
}

/// Every entity the speakers of `doc`'s quotes are compatible with: each itself, and the
/// entities sharing its surname when either side is a bare surname.
fn compatible_speakers(conn: &Connection, doc: i64) -> Result<BTreeSet<i64>> {
    let own: Vec<(i64, String, bool)> = conn
        .prepare_cached(
            "SELECT DISTINCT s.id, s.surname, s.partial FROM quotes q
             JOIN speakers s ON s.id = q.speaker_id WHERE q.doc = ?1",
        )?
        .query_map([doc], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut same_surname =
        conn.prepare_cached("SELECT id FROM speakers WHERE surname = ?1 AND (partial = 1 OR ?2)")?;
    let mut out = BTreeSet::new();
    for (id, surname, partial) in own {
        out.insert(id);
        for other in same_surname.query_map(params![surname, partial], |r| r.get(0))? {
            out.insert(other?);
        }
    }
    Ok(out)
}

/// The linked speakers of each transcript's turns, read once per batch (the articles of a
/// batch mostly share the transcripts of their date window).
#[derive(Default)]
struct TurnSpeakers(HashMap<i64, BTreeSet<i64>>);

impl TurnSpeakers {
    fn of(&mut self, conn: &Connection, t: i64) -> Result<&BTreeSet<i64>> {
        Ok(match self.0.entry(t) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(
                conn.prepare_cached(
                    "SELECT speaker_id FROM quotes WHERE doc = ?1 AND speaker_id IS NOT NULL",
                )?
                .query_map([t], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            ),
        })
    }
}

/// The candidate transcripts of an article (see the module docs), best first.
fn candidates(
    conn: &Connection,
    article: i64,
    day: i64,
    turn_speakers: &mut TurnSpeakers,
) -> Result<Vec<i64>> {
    let mut ev = shared_clusters(conn, article, DocumentKind::Transcript)?;
    let (Some(lo), Some(hi)) = (iso(day - WINDOW_DAYS), iso(day + WINDOW_DAYS)) else {
        return Ok(rank(ev, MAX_CANDIDATES)); // undated: no speaker-and-date evidence
    };
    let speakers = compatible_speakers(conn, article)?;
    if speakers.is_empty() {
        return Ok(rank(ev, MAX_CANDIDATES));
    }
    let window = conn
        .prepare_cached(&format!(
            "SELECT num, published FROM documents
             WHERE kind = 'transcript' AND published >= ?1 AND published <= ?2
             ORDER BY published LIMIT {WINDOW_TRANSCRIPTS}"
        ))?
        .query_map([lo, hi], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (t, published) in window {
        let n = turn_speakers.of(conn, t)?.intersection(&speakers).count() as i64;
        if n > 0 {
            let e = ev.entry(t).or_default();
            e.speakers = n;
            e.days_apart = Date::parse(&published)
                .ok()
                .map(|d| (d.day_number() - day).abs());
        }
    }
    Ok(rank(ev, MAX_CANDIDATES))
}

/// The articles related to a transcript (the candidate rules seen from its side), most
/// shared clusters first, at most [`MAX_RELATED_ARTICLES`].
fn related_articles(conn: &Connection, t: i64, day: i64) -> Result<Vec<i64>> {
    let mut ev = shared_clusters(conn, t, DocumentKind::Article)?;
    if day > 0 {
        let lo = quote_id((day - WINDOW_DAYS).max(1), 0);
        let hi = quote_id(day + WINDOW_DAYS + 1, 0);
        // Quote ids are ordered by date, so the window is a range of the (speaker, id) index.
        let mut by_speaker = conn.prepare_cached(&format!(
            "SELECT q.doc, d.kind FROM quotes q JOIN documents d ON d.num = q.doc
             WHERE q.speaker_id = ?1 AND q.id >= ?2 AND q.id < ?3 AND q.doc != ?4
             LIMIT {WINDOW_QUOTES}"
        ))?;
        for s in compatible_speakers(conn, t)? {
            let rows = by_speaker
                .query_map(params![s, lo, hi, t], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (a, kind) in rows {
                if kind == DocumentKind::Article.as_str() {
                    ev.entry(a).or_default().speakers += 1;
                }
            }
        }
    }
    Ok(rank(ev, MAX_RELATED_ARTICLES))
}

fn quote_kind(s: &str) -> Kind {
    match s {
        "mixed" => Kind::Mixed,
        "indirect" => Kind::Indirect,
        _ => Kind::Direct,
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An article quote to check: id, kind, text, speaker (linked name, else as extracted).
type ArticleQuote = (i64, String, String, Option<String>);

fn article_quotes(conn: &Connection, article: i64) -> Result<Vec<ArticleQuote>> {
    Ok(conn
        .prepare_cached(
            "SELECT q.id, q.kind, q.text, coalesce(s.name, q.speaker_raw) FROM quotes q
             LEFT JOIN speakers s ON s.id = q.speaker_id WHERE q.doc = ?1 ORDER BY q.ord",
        )?
        .query_map([article], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Verify one transcript's articles; returns the rows stored.
fn verify_against(conn: &Connection, t: i64, articles: &[i64]) -> Result<usize> {
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT text, transcript_format FROM documents WHERE num = ?1")?
        .query_row([t], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((text, format)) = row else {
        return Ok(0);
    };
    // Stored transcripts parsed at ingest, so this parse succeeds; a failure only means
    // there is nothing to verify against.
    let Ok(parsed) = transcript::parse(&text, format.as_deref().and_then(Format::from_name)) else {
        return Ok(0);
    };
    let verifier = Verifier::new(&parsed);
    let map = OffsetMap::new(&text);
    // Turn i is the transcript's quote of ord i (every turn has words, so none is skipped).
    let turns: Vec<i64> = conn
        .prepare_cached("SELECT id FROM quotes WHERE doc = ?1 ORDER BY ord")?
        .query_map([t], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut ins = conn.prepare_cached(
        "INSERT OR REPLACE INTO verifications (quote_id, transcript, verdict, diff, score,
             speaker_matches, transcript_speaker, turn_quote_id, said_start, said_end, computed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let now = now_secs();
    let mut stored = 0;
    for &a in articles {
        for (id, kind, quoted, speaker) in article_quotes(conn, a)? {
            let v = verifier.check(&quoted, quote_kind(&kind), speaker.as_deref());
            if v.verdict == Verdict::NotFound {
                continue;
            }
            let said = v.span.map(|s| map.char_span(s));
            ins.execute(params![
                id,
                t,
                v.verdict.as_str(),
                v.diff_string(),
                f64::from(v.score),
                v.speaker_matches,
                v.transcript_speaker,
                v.turn.and_then(|i| turns.get(i).copied()),
                said.map(|c| c.start as i64),
                said.map(|c| c.end as i64),
                now
            ])?;
            stored += 1;
        }
    }
    Ok(stored)
}

/// Verify what the open transaction touched (see the module docs): the articles and
/// transcripts noted in `st`, which are cleared. Returns the verifications stored.
pub(crate) fn settle(conn: &Connection, st: &mut State) -> Result<usize> {
    let mut articles = std::mem::take(&mut st.verify_articles);
    let transcripts = std::mem::take(&mut st.verify_transcripts);
    if articles.is_empty() && transcripts.is_empty() {
        return Ok(0);
    }
    // A bank without transcripts (the common case) pays one index probe per batch.
    let any: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE kind = 'transcript')")?
        .query_row([], |r| r.get(0))?;
    if !any {
        return Ok(0);
    }
    for t in transcripts {
        if let Some((DocumentKind::Transcript, day)) = kind_and_day(conn, t)? {
            articles.extend(related_articles(conn, t, day)?);
        }
    }
    let mut work: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut turn_speakers = TurnSpeakers::default();
    for a in articles {
        let Some((DocumentKind::Article, day)) = kind_and_day(conn, a)? else {
            continue;
        };
        crate::store::delete_verifications_of(conn, a)?;
        for t in candidates(conn, a, day, &mut turn_speakers)? {
            work.entry(t).or_default().push(a);
        }
    }
    let mut stored = 0;
    for (t, arts) in work {
        stored += verify_against(conn, t, &arts)?;
    }
    Ok(stored)
}
