//! Reading the bank: search, speakers, documents, clusters. Every value reaches SQL as a
//! bound parameter; only the shape of a query (which filters are present) varies.

use crate::dates::{parse_bound, quote_id, Bound};
use crate::error::{Error, Result};
use crate::ftscounts;
use crate::names::{alias_key, parse_name};
use crate::store;
use crate::textmatch::{bm25_counts, Matcher, Words};
use crate::verification::verdict_rank;
use crate::Bank;
use crate::DocumentKind;
use rusqlite::types::{Type, Value as SqlValue};
use rusqlite::{params, params_from_iter, OptionalExtension, Row};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::str::FromStr;

/// The most hits one search page returns.
pub const MAX_LIMIT: usize = 1000;

/// Relevance order ranks the quotes that pass the filters among at most this many of the
/// newest matches of the text (all of them when fewer match); the matches past them follow,
/// newest first, so that paging on shows every match once. Scoring every match of a very
/// common word in a bank of millions would take seconds; the newest two thousand take
/// milliseconds.
pub const RELEVANCE_WINDOW: usize = 2000;

/// How deep relevance order pages: every page scores the matches down to its own offset, so
/// an offset of millions would score every match of a common word (seconds a page). Newest
/// first pages without limit.
pub const MAX_RELEVANCE_OFFSET: usize = 10_000;

/// The window of a query with a costly term (see [`relevance_window`]).
pub const RELEVANCE_WINDOW_COSTLY: usize = 500;

/// A word in more quotes than this is common (2% of a bank of a million quotes): a phrase
/// with such a word, or a prefix covering that many quotes, is a costly term.
pub const COMMON_TERM_QUOTES: i64 = 20_000;

/// A common word of a phrase is left to be checked on the candidates the phrase's other words
/// find (see `Bank::search_loose`) when it is in this many times as many quotes as the
/// phrase's rarest word, and in more than [`LOOSE_DROP_QUOTES`].
pub const LOOSE_RATIO: i64 = 8;

/// A phrase's word in at most this many quotes is kept in the looser query. FTS5 walks a phrase
/// word's whole match list, about 8 ns a quote (`"state of the union"`: 1.37 M entries, 11 ms
/// at a million quotes), while a candidate the looser query finds costs about 9 µs to read and
/// check: a word of 100,000 quotes costs as much as some 90 candidates, and keeping it (held
/// NEAR the phrase's other words) usually removes far more. Dropping "state" (40,000 quotes)
/// from that phrase made 4,145 candidates ("union") instead of 436.
pub const LOOSE_DROP_QUOTES: i64 = 100_000;

/// A text search with a speaker filter is driven from the speaker's quotes (newest first, each
/// matched in memory like the full-text index would) rather than from the full-text matches
/// when the speaker has at most this many quotes and at most a quarter as many as the words
/// match: a common word with a rarely quoted speaker would otherwise walk a long match list.
pub const SPEAKER_DRIVEN_MAX: i64 = 10_000;

/// A newest-first text search filtered by one speaker (and by nothing but dates besides) merges
/// the full-text matches with the speaker's quote ids, both read from indexes alone, when the
/// speaker has at most this many times as many quotes as the words may match: checking each
/// match's speaker instead reads its quote row (~4 µs a match, against ~0.2 µs an index entry).
pub const SPEAKER_MERGE_RATIO: i64 = 20;

/// A speaker entity, by id and display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpeakerRef {
    /// Entity id (stable while the bank lives).
    pub id: i64,
    /// Display name.
    pub name: String,
}

/// Order of search hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Newest first (by publication date, then by ingest order). The default.
    #[default]
    Newest,
    /// Best BM25 match first (needs a text query; without one, newest first).
    Relevance,
}

impl FromStr for Order {
    type Err = Error;
    fn from_str(s: &str) -> Result<Order> {
        match s.trim().to_ascii_lowercase().as_str() {
            "newest" | "date" | "new" => Ok(Order::Newest),
            "relevance" | "rank" | "bm25" => Ok(Order::Relevance),
            _ => Err(Error::invalid(format!(
                "unknown order {s:?}: use \"newest\" or \"relevance\""
            ))),
        }
    }
}

/// A search: every field optional; all given filters must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words to find in the quote (all of them; `"a phrase"` in double quotes; `word*` for a
    /// prefix). Case, accents and punctuation are ignored.
    pub text: Option<String>,
    /// Speaker: an entity id, a full name ("Barack Obama", also through aliases), or a single
    /// name ("Obama": every entity with that surname).
    pub speaker: Option<String>,
    /// Outlet as stored; in another case ("BBC" for "bbc") when only one stored outlet
    /// matches that way.
    pub outlet: Option<String>,
    /// Published on or after: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub since: Option<String>,
    /// Published on or before: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub until: Option<String>,
    /// Newest first or by relevance.
    pub order: Order,
    /// Hits per page, 1 to [`MAX_LIMIT`].
    pub limit: usize,
    /// `next_cursor` of the previous page, to get the next one.
    pub cursor: Option<String>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: None,
            speaker: None,
            outlet: None,
            since: None,
            until: None,
            order: Order::Newest,
            limit: 20,
            cursor: None,
        }
    }
}

/// One search hit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// Quote id.
    pub quote_id: i64,
    /// Id of the document it is in.
    pub document_id: String,
    /// The document's title.
    pub title: Option<String>,
    /// The document's outlet.
    pub outlet: Option<String>,
    /// The document's URL.
    pub url: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The linked speaker entity.
    pub speaker: Option<SpeakerRef>,
    /// The speaker as the extractor gave it.
    pub speaker_raw: Option<String>,
    /// The quote's content, exactly as in the document (split contents joined by " … ").
    pub text: String,
    /// `direct`, `mixed` or `indirect`.
    pub kind: String,
    /// Extraction confidence, 0–1.
    pub confidence: f64,
    /// The cluster of the same remark across outlets.
    pub cluster_id: Option<i64>,
    /// How many quotes report this remark (1 = only this one).
    pub cluster_size: i64,
    /// BM25 score (lower is better), for text searches.
    pub score: Option<f64>,
    /// The best verdict of this quote against the stored transcripts (`verbatim`, `edited`,
    /// `partial`, `paraphrase`), `None` when it was not found in any (or is a transcript's).
    pub verdict: Option<String>,
}

/// A page of hits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchPage {
    /// The hits.
    pub hits: Vec<Hit>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// With a speaker filter: the entities it matched (empty: no such speaker, no hits).
    pub speakers: Vec<SpeakerRef>,
}

/// A count under a label (an outlet, a month `YYYY-MM`, a spelling).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The outlet, month or spelling ("" for none).
    pub key: String,
    /// How many quotes.
    pub n: i64,
}

/// Two speakers that may be one person, as an alias file line would merge them (see
/// [`Bank::alias_suggestions`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AliasSuggestion {
    /// The name to map (the one with fewer quotes; on a tie, the longer or later spelling).
    pub alias: String,
    /// The name to map it to.
    pub canonical: String,
    /// Quotes of each: alias, canonical.
    pub quotes: (i64, i64),
    /// How the names differ: `middle` (middle names or initials: "Donald J. Trump", "Hillary
    /// Rodham Clinton"), `spelling` (a doubled letter: "Hilary Clinton"), or `middle and
    /// spelling` ("Hilary Rodham Clinton").
    pub why: &'static str,
}

/// A speaker with quote counts: who gets quoted, by outlet and by month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpeakerSummary {
    /// Entity id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// External id from the alias file (e.g. a Wikidata QID).
    pub external_id: Option<String>,
    /// True for a bare-surname entity that could not be linked to a full name.
    pub partial: bool,
    /// Quotes attributed.
    pub quote_count: i64,
    /// Quotes by outlet, most first.
    pub by_outlet: Vec<Count>,
    /// Quotes by month (`YYYY-MM`, "" undated), in date order.
    pub by_month: Vec<Count>,
}

/// Which speakers to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerListQuery {
    /// At most this many (most quoted first); `None` for all.
    pub limit: Option<usize>,
    /// Skip this many first.
    pub offset: usize,
    /// Only speakers with at least this many quotes (default 1), counted within the filters.
    pub min_quotes: i64,
    /// Count only the quotes of this outlet (as stored, or differing only in case).
    pub outlet: Option<String>,
    /// Count only the quotes published in or after this month: `YYYY` or `YYYY-MM` (counts
    /// are kept by month).
    pub since: Option<String>,
    /// Count only the quotes published in or before this month: `YYYY` or `YYYY-MM`.
    pub until: Option<String>,
}

impl Default for SpeakerListQuery {
    fn default() -> Self {
        SpeakerListQuery {
            limit: None,
            offset: 0,
            min_quotes: 1,
            outlet: None,
            since: None,
            until: None,
        }
    }
}

/// One outlet × month count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutletMonth {
    /// Outlet ("" for none).
    pub outlet: String,
    /// Month `YYYY-MM` ("" undated).
    pub month: String,
    /// Quotes.
    pub n: i64,
}

/// Everything about one speaker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpeakerDetail {
    /// Counts as in the list.
    #[serde(flatten)]
    pub summary: SpeakerSummary,
    /// Alias file entries pointing at this speaker.
    pub aliases: Vec<String>,
    /// How the extractor named this speaker, most frequent first (at most 50).
    pub spellings: Vec<Count>,
    /// Quotes by outlet and month.
    pub by_outlet_month: Vec<OutletMonth>,
}

/// A span of a document, in Unicode code points (end exclusive), with its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpanText {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The text covered.
    pub text: String,
}

/// An article quote checked against a transcript stored in the bank (see
/// [`crate::verification`]): where the transcript has it, and how the report differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerificationView {
    /// The transcript's document id.
    pub transcript_id: String,
    /// The transcript's title.
    pub transcript_title: Option<String>,
    /// `verbatim`, `edited`, `partial`, `paraphrase` (`not_found` is never stored).
    pub verdict: String,
    /// Whether the article's speaker is the transcript turn's; `None` when either is unknown.
    pub speaker_matches: Option<bool>,
    /// The matched turn's speaker, as the transcript names them.
    pub transcript_speaker: Option<String>,
    /// Word diff from what was said to what was reported, wdiff style:
    /// `after my election i have more [-flexibility-]{+freedom+}`.
    pub diff: String,
    /// What was said: the matched stretch of the transcript document's text (code points).
    pub said: Option<SpanText>,
    /// Closeness, 0–1.
    pub score: f64,
}

/// The other direction of a [`VerificationView`]: an article quote that reports a
/// transcript's turn, listed on that turn's [`QuoteView::reported_by`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportView {
    /// The article quote's id.
    pub quote_id: i64,
    /// The article's document id.
    pub document_id: String,
    /// The article's title.
    pub title: Option<String>,
    /// The article's outlet.
    pub outlet: Option<String>,
    /// The article's date.
    pub date: Option<String>,
    /// The quote as the article printed it.
    pub text: String,
    /// The article's speaker as extracted.
    pub speaker_raw: Option<String>,
    /// `verbatim`, `edited`, `partial`, `paraphrase`.
    pub verdict: String,
    /// Whether the article's speaker is the turn's; `None` when either is unknown.
    pub speaker_matches: Option<bool>,
    /// Word diff, said → reported (as in [`VerificationView::diff`]).
    pub diff: String,
    /// The part of this transcript the quote matched (code points of the transcript's text).
    pub said: Option<SpanText>,
    /// Closeness, 0–1.
    pub score: f64,
}

/// A quote as shown with its document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuoteView {
    /// Quote id.
    pub id: i64,
    /// `direct`, `mixed` or `indirect`.
    pub kind: String,
    /// Linked speaker.
    pub speaker: Option<SpeakerRef>,
    /// Speaker as extracted.
    pub speaker_raw: Option<String>,
    /// How the speaker was linked: alias, exact, doc, bank, pending, role, ambiguous.
    pub speaker_link: Option<String>,
    /// Addressee as extracted (issue 4).
    pub addressee: Option<String>,
    /// Setting: unknown, overheard, statement, interview, social_media, on_record.
    pub setting: Option<String>,
    /// Extraction confidence.
    pub confidence: f64,
    /// Source spans.
    pub source: Vec<SpanText>,
    /// Cue spans.
    pub cue: Vec<SpanText>,
    /// Content spans.
    pub content: Vec<SpanText>,
    /// Cluster of the same remark.
    pub cluster_id: Option<i64>,
    /// Its size.
    pub cluster_size: i64,
    /// For an article's quote: the stored transcripts it was found in, best verdict first.
    /// Empty for a transcript's own turns.
    pub verifications: Vec<VerificationView>,
    /// For a transcript's turn: the article quotes verified against it, oldest first (so the
    /// page can go from the primary source to its reports). Empty for an article's quotes.
    pub reported_by: Vec<ReportView>,
}

/// A stored document with its quotes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Date `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The full text, exactly as ingested.
    pub text: String,
    /// Hash of text and metadata (32 hex digits).
    pub content_hash: String,
    /// `article` or `transcript` (whose quotes are its turns).
    pub kind: crate::DocumentKind,
    /// Quotes in text order.
    pub quotes: Vec<QuoteView>,
}

/// One quote of a cluster: one outlet's exact wording.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterMember {
    /// Quote id.
    pub quote_id: i64,
    /// Document id.
    pub document_id: String,
    /// Document title.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Date.
    pub date: Option<String>,
    /// The wording, exactly as the outlet printed it.
    pub text: String,
    /// Linked speaker.
    pub speaker: Option<SpeakerRef>,
    /// Speaker as extracted.
    pub speaker_raw: Option<String>,
}

/// An outlet that carried a remark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterOutlet {
    /// Outlet ("" for none).
    pub outlet: String,
    /// The first date it carried the remark.
    pub first_seen: Option<String>,
    /// How many of its quotes are in the cluster.
    pub quotes: i64,
}

/// The same remark across outlets.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    /// Cluster id.
    pub id: i64,
    /// Who said it (the most frequent linked speaker of its members).
    pub speaker: Option<SpeakerRef>,
    /// The earliest publication date among members.
    pub first_seen: Option<String>,
    /// The outlet of the earliest member (ties: first ingested).
    pub first_outlet: Option<String>,
    /// Number of quotes.
    pub size: i64,
    /// Outlets, earliest first.
    pub outlets: Vec<ClusterOutlet>,
    /// Every member, earliest first (at most 1000).
    pub members: Vec<ClusterMember>,
}

/// Sizes of the bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BankStats {
    /// Schema version.
    pub schema_version: i64,
    /// Documents.
    pub documents: i64,
    /// Quotes.
    pub quotes: i64,
    /// Speaker entities with at least one quote.
    pub speakers: i64,
    /// Clusters.
    pub clusters: i64,
    /// Clusters whose quotes come from more than one outlet.
    pub multi_outlet_clusters: i64,
}

/// The most words a query may have (each word of a phrase counts): every word is a walk of
/// its index entries, and a pasted page of text would make one request take seconds.
pub const MAX_QUERY_WORDS: usize = 64;

/// The most prefix terms (`word*`) a query may have: each covers every word it begins.
pub const MAX_QUERY_PREFIXES: usize = 8;

/// Turn a user's query into a safe FTS5 expression: every word (or `"phrase"`) becomes a
/// quoted FTS5 string, so no user text is ever FTS5 syntax; `word*` keeps a prefix search.
/// A term given twice is searched once. `Ok(None)` for a blank query; an error for more than
/// [`MAX_QUERY_WORDS`] words or [`MAX_QUERY_PREFIXES`] prefixes.
pub fn fts_query(user: &str) -> Result<Option<String>> {
    if user.trim().is_empty() {
        return Ok(None);
    }
    let mut terms: Vec<String> = Vec::new();
    // The index folds case; a term it would read the same is searched once.
    let mut seen: HashSet<String> = HashSet::new();
    let (mut words_in_all, mut prefixes) = (0, 0);
    let chunks = user.split('"').enumerate().flat_map(|(i, part)| {
        let phrase = i % 2 == 1;
        let words: Vec<&str> = if phrase {
            vec![part]
        } else {
            part.split_whitespace().collect()
        };
        words.into_iter().map(move |w| (w, phrase))
    });
    for (chunk, phrase) in chunks {
        let words: Vec<&str> = chunk
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let prefix = !phrase && chunk.ends_with('*') && words.len() == 1;
        let body = words.join(" ").replace('"', "\"\"");
        let term = if prefix {
            format!("\"{body}\"*")
        } else {
            format!("\"{body}\"")
        };
        if !seen.insert(term.to_lowercase()) {
            continue;
        }
        words_in_all += words.len();
        prefixes += prefix as usize;
        // Refused as soon as it is too long: a page of text costs no more than the limit.
        if words_in_all > MAX_QUERY_WORDS {
            return Err(Error::invalid(format!(
                "the query has more than {MAX_QUERY_WORDS} words; search with at most \
                 {MAX_QUERY_WORDS} (a few distinctive ones find a quote)"
            )));
        }
        if prefixes > MAX_QUERY_PREFIXES {
            return Err(Error::invalid(format!(
                "the query has more than {MAX_QUERY_PREFIXES} prefix searches (word*); use at \
                 most {MAX_QUERY_PREFIXES}"
            )));
        }
        terms.push(term);
    }
    if terms.is_empty() {
        return Err(Error::invalid(format!(
            "the query {user:?} has no words to search for"
        )));
    }
    Ok(Some(terms.join(" AND ")))
}

/// How a suggested alias's key differs from its canonical key (see [`AliasSuggestion::why`]).
fn difference(alias: &str, canonical: &str) -> &'static str {
    use crate::names::{without_doubles, without_middle};
    let plain = |k: &str| without_middle(k).unwrap_or_else(|| k.to_string());
    if plain(alias) == plain(canonical) {
        "middle"
    } else if without_doubles(alias) == without_doubles(canonical) {
        "spelling"
    } else {
        "middle and spelling"
    }
}

/// A speaker row as the speaker views read it: `id, name, external_id, partial, count`.
type SpeakerRow = (i64, String, Option<String>, bool, i64);

fn speaker_row(r: &Row<'_>) -> rusqlite::Result<SpeakerRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get::<_, i64>(3)? != 0,
        r.get(4)?,
    ))
}

/// The outlet and months a speaker list counts within.
struct StatsFilter {
    outlet: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

/// A month bound of a speaker list: `YYYY` (January or, for `until`, December) or `YYYY-MM`.
fn month_bound(m: &str, what: &str, end: bool) -> Result<String> {
    let m = m.trim();
    let bad = |why: &str| {
        Error::invalid(format!(
            "{what}: {m:?} {why}: speaker counts are kept by month, so write YYYY or YYYY-MM"
        ))
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    // As search reads months: 2016-03, 2016-3, 2016/03.
    match m.split_once(['-', '/']) {
        None if digits(m, 4..=4) => Ok(format!("{m}-{}", if end { "12" } else { "01" })),
        Some((y, mo)) if digits(y, 4..=4) && digits(mo, 1..=2) => match mo.parse::<u8>() {
            Ok(n @ 1..=12) => Ok(format!("{y}-{n:02}")),
            _ => Err(bad("has no such month")),
        },
        Some((y, rest)) if digits(y, 4..=4) && rest.len() > 2 => Err(bad("is a day")),
        _ => Err(bad("is not a month")),
    }
}

enum Cursor {
    Before(i64),
    Offset(usize),
}

fn parse_cursor(c: &str) -> Result<Cursor> {
    let bad = || {
        Error::invalid(format!(
            "bad cursor {c:?}: pass next_cursor from the previous page unchanged"
        ))
    };
    if let Some(hex) = c.strip_prefix('n') {
        i64::from_str_radix(hex, 16)
            .map(Cursor::Before)
            .map_err(|_| bad())
    } else if let Some(n) = c.strip_prefix('r') {
        let offset: usize = n.parse().map_err(|_| bad())?;
        if offset >= MAX_RELEVANCE_OFFSET {
            return Err(Error::invalid(format!(
                "cursor {c:?}: relevance order pages through the first {MAX_RELEVANCE_OFFSET} \
                 hits; search newest first, or narrow the search, to read further"
            )));
        }
        Ok(Cursor::Offset(offset))
    } else {
        Err(bad())
    }
}

fn span_texts(text: &str, map: &verbatim::OffsetMap, json: &str) -> Vec<SpanText> {
    let spans: Vec<(usize, usize)> = serde_json::from_str(json).unwrap_or_default();
    spans
        .into_iter()
        .filter_map(|(s, e)| {
            let (bs, be) = (map.to_byte(s)?, map.to_byte(e)?);
            let t = text.get(bs..be)?;
            Some(SpanText {
                start: s,
                end: e,
                text: t.to_string(),
            })
        })
        .collect()
}

fn said_span(start: Option<usize>, end: Option<usize>, text: Option<String>) -> Option<SpanText> {
    Some(SpanText {
        start: start?,
        end: end?,
        text: text?,
    })
}

fn speaker_ref(id: Option<i64>, name: Option<String>) -> Option<SpeakerRef> {
    Some(SpeakerRef {
        id: id?,
        name: name?,
    })
}

const HIT_COLUMNS: &str = concat!(
    "q.id, d.id, d.title, q.outlet, d.url, q.published, q.speaker_id, s.name,
     q.speaker_raw, q.text, q.kind, q.confidence, q.cluster_id, coalesce(c.size, 1),
     (SELECT verdict FROM verifications WHERE quote_id = q.id ORDER BY ",
    verdict_rank!(),
    ", score DESC LIMIT 1)"
);

fn hit_from_row(r: &Row<'_>, scored: bool) -> rusqlite::Result<Hit> {
    Ok(Hit {
        quote_id: r.get(0)?,
        document_id: r.get(1)?,
        title: r.get(2)?,
        outlet: r.get(3)?,
        url: r.get(4)?,
        date: r.get(5)?,
        speaker: speaker_ref(r.get(6)?, r.get(7)?),
        speaker_raw: r.get(8)?,
        text: r.get(9)?,
        kind: r.get(10)?,
        confidence: r.get(11)?,
        cluster_id: r.get(12)?,
        cluster_size: r.get(13)?,
        verdict: r.get(14)?,
        score: if scored { r.get(15)? } else { None },
    })
}

impl Bank {
    /// The speaker entities a name (or id) matches, as a search filter uses them: an id; an
    /// alias; a full name's entity; or, for a single word, every entity with that surname.
    pub fn find_speakers(&self, name: &str) -> Result<Vec<SpeakerRef>> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("empty speaker name"));
        }
        let mut ids: Vec<i64> = Vec::new();
        if let Ok(id) = name.parse::<i64>() {
            ids.push(id);
        }
        let akey = alias_key(name);
        if let Some(id) = self
            .conn
            .prepare_cached("SELECT speaker_id FROM aliases WHERE key = ?1")?
            .query_row([&akey], |r| r.get(0))
            .optional()?
        {
            ids.push(id);
        }
        let parsed = parse_name(name).or_else(|| parse_name(&titlecase(name)));
        // A titled surname ("President Obama") is narrowed below, not taken as the bare
        // surname's own entity.
        let titled = parsed
            .as_ref()
            .filter(|n| !n.is_full() && n.role.is_some())
            .map(|n| n.key.clone());
        let keys: Vec<String> = parsed
            .iter()
            .map(|n| n.key.clone())
            .chain([akey])
            .filter(|k| titled.as_ref() != Some(k))
            .collect();
        for k in &keys {
            if let Some(id) = self
                .conn
                .prepare_cached("SELECT id FROM speakers WHERE key = ?1")?
                .query_row([k], |r| r.get(0))
                .optional()?
            {
                ids.push(id);
            }
        }
        if let Some(n) = parsed.filter(|n| !n.is_full() && n.key == n.surname) {
            let more: Vec<(i64, String, bool)> = self
                .conn
                .prepare_cached("SELECT id, key, partial FROM speakers WHERE surname = ?1")?
                .query_map([&n.surname], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            match n.role.as_deref() {
                Some(role) => ids.extend(self.by_title(role, more)?),
                None => ids.extend(more.into_iter().map(|m| m.0)),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::new();
        for id in ids {
            // An entity emptied by an alias points on to where its quotes went.
            if let Some(name) = self
                .conn
                .prepare_cached("SELECT name FROM speakers WHERE id = ?1")?
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()?
            {
                out.push(SpeakerRef { id, name });
            }
        }
        Ok(out)
    }

    /// The entities of one surname a title narrows it to ("President Obama", "Mrs. Clinton"),
    /// as linking uses titles: the people that title can be (a man or a woman) and, for an
    /// office, those recorded with it when any is. The bare-surname entity (quotes not linked
    /// to anyone) only when no full name is left.
    fn by_title(&self, role: &str, cands: Vec<(i64, String, bool)>) -> Result<Vec<i64>> {
        let female = store::female_by_titles([role]);
        let mut full = Vec::new();
        for (id, key, partial) in &cands {
            if !partial
                && store::fits(
                    female,
                    store::entity_female(&self.conn, *id, store::CHOOSE)?,
                )
            {
                full.push((*id, store::offices(&self.conn, key)?));
            }
        }
        if !store::is_courtesy(role) && full.iter().any(|(_, o)| o.iter().any(|r| r == role)) {
            full.retain(|(_, o)| o.iter().any(|r| r == role));
        }
        if full.is_empty() {
            return Ok(cands.into_iter().filter(|c| c.2).map(|c| c.0).collect());
        }
        Ok(full.into_iter().map(|f| f.0).collect())
    }

    /// The newest-first text search of [`Bank::search`] with one speaker and no outlet: the
    /// full-text matches (descending rowids, from the index alone) merged with the speaker's
    /// quote ids (descending, from `quotes_speaker` alone); see [`SPEAKER_MERGE_RATIO`].
    ///
    /// With `matcher`, a quote matches as [`Bank::search_driven`] would match it (in memory,
    /// from its text): the index agrees on plain text and an ASCII query, so only the
    /// speaker's quotes in `quotes_nonplain` are read and matched by their text.
    fn search_merged(
        &self,
        q: &SearchQuery,
        expr: &str,
        lo: i64,
        hi: i64,
        speakers: Vec<SpeakerRef>,
        matcher: Option<&Matcher>,
    ) -> Result<SearchPage> {
        let want = q.limit + 1;
        let mut matches = self.conn.prepare_cached(
            "SELECT rowid FROM quotes_fts
             WHERE quotes_fts MATCH ?1 AND rowid >= ?2 AND rowid < ?3 ORDER BY rowid DESC",
        )?;
        let mut own = self.conn.prepare_cached(
            "SELECT id FROM quotes WHERE speaker_id = ?1 AND id >= ?2 AND id < ?3
             ORDER BY id DESC",
        )?;
        let mut nonplain = self.conn.prepare_cached(
            "SELECT id FROM quotes_nonplain WHERE id >= ?1 AND id < ?2 ORDER BY id DESC",
        )?;
        let mut text = self
            .conn
            .prepare_cached("SELECT text FROM quotes WHERE id = ?1")?;
        let mut a = matches.query(params![expr, lo, hi])?;
        let mut b = own.query(params![speakers[0].id, lo, hi])?;
        // Without a matcher the non-plain list is not needed: an empty range reads nothing.
        let (np_lo, np_hi) = if matcher.is_some() { (lo, hi) } else { (0, 0) };
        let mut c = nonplain.query(params![np_lo, np_hi])?;
        let next = |rows: &mut rusqlite::Rows<'_>| -> Result<Option<i64>> {
            Ok(match rows.next()? {
                Some(r) => Some(r.get(0)?),
                None => None,
            })
        };
        let mut found: Vec<(i64, f64)> = Vec::new();
        let (mut x, mut z) = (next(&mut a)?, next(&mut c)?);
        while let Some(j) = next(&mut b)? {
            while z.is_some_and(|n| n > j) {
                z = next(&mut c)?;
            }
            let hit = match matcher {
                Some(m) if z == Some(j) => {
                    let t: String = text.query_row([j], |r| r.get(0))?;
                    m.matches(&Words::of(&t))
                }
                _ => {
                    while x.is_some_and(|i| i > j) {
                        x = next(&mut a)?;
                    }
                    if x.is_none() && matcher.is_none() {
                        break;
                    }
                    x == Some(j)
                }
            };
            if hit {
                found.push((j, 0.0));
                if found.len() >= want {
                    break;
                }
            }
        }
        self.scored_page(found, q, false, 0, 0, speakers)
    }

    /// The text search of [`Bank::search`] driven from the filtered speakers' quotes.
    #[allow(clippy::too_many_arguments)]
    fn search_driven(
        &self,
        q: &SearchQuery,
        m: &Matcher,
        lo: i64,
        hi: i64,
        filters: &str,
        args: Vec<SqlValue>,
        relevance: bool,
        offset: usize,
        speakers: Vec<SpeakerRef>,
    ) -> Result<SearchPage> {
        let want = if relevance {
            RELEVANCE_WINDOW.max(offset.saturating_add(q.limit + 1))
        } else {
            q.limit + 1
        };
        let mut all = vec![SqlValue::Integer(lo), SqlValue::Integer(hi)];
        all.extend(args);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT q.id, q.text FROM quotes q WHERE q.id >= ? AND q.id < ?{filters} ORDER BY q.id DESC"
        ))?;
        let mut rows = stmt.query(params_from_iter(all))?;
        let mut found: Vec<(i64, f64)> = Vec::new();
        let bm25 = if relevance { Some(self.bm25(m)?) } else { None };
        while let Some(r) = rows.next()? {
            let w = Words::of(r.get_ref(1)?.as_str().unwrap_or_default());
            if m.matches(&w) {
                let score = bm25.as_ref().map_or(0.0, |b| b.score(m, &w));
                found.push((r.get(0)?, score));
                if found.len() >= want {
                    break;
                }
            }
        }
        self.scored_page(found, q, relevance, RELEVANCE_WINDOW, offset, speakers)
    }

    /// Relevance order over the full-text matches: those passing the filters among the newest
    /// [`relevance_window`] matches (read on until a page is full), each scored here by BM25
    /// (see [`Bm25`]) rather than by FTS5's `rank`, whose first call walks every match of
    /// every term to count them. Filters are checked here, so that a selective one does not
    /// make the index produce thousands of matches to fill the window. The counts BM25 needs
    /// come from the index (`verbatim_counts`, see `ftscounts`) for plain text and an ASCII
    /// query, where they equal the in-memory matcher's; other quotes (`quotes_nonplain`) are
    /// scored from their text as before. The quote row is otherwise read only for a speaker
    /// or outlet filter.
    #[allow(clippy::too_many_arguments)]
    fn search_ranked(
        &self,
        q: &SearchQuery,
        m: &Matcher,
        expr: &str,
        lo: i64,
        hi: i64,
        offset: usize,
        speakers: Vec<SpeakerRef>,
        speaker_ids: bool,
    ) -> Result<SearchPage> {
        let bm25 = self.bm25(m)?;
        let window = relevance_window(bm25.costly);
        let need = offset.saturating_add(q.limit + 1);
        let outlet = q.outlet.as_deref().filter(|o| !o.trim().is_empty());
        let filtered = (!speakers.is_empty() && !speaker_ids) || outlet.is_some();
        // The index folds a query's non-ASCII letters its own way (see V6 in `schema`).
        let plain_query = q.text.as_deref().is_some_and(|t| t.is_ascii());
        let sql = match (filtered, self.kept_lengths) {
            (true, false) => {
                "SELECT quotes_fts.rowid, verbatim_counts(quotes_fts), q.speaker_id, q.outlet
                 FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid
                 WHERE quotes_fts MATCH ?1 AND quotes_fts.rowid >= ?2 AND quotes_fts.rowid < ?3
                 ORDER BY quotes_fts.rowid DESC"
            }
            (true, true) => {
                "SELECT quotes_fts.rowid, verbatim_counts_kept(quotes_fts), q.speaker_id,
                 q.outlet FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid
                 WHERE quotes_fts MATCH ?1 AND quotes_fts.rowid >= ?2 AND quotes_fts.rowid < ?3
                 ORDER BY quotes_fts.rowid DESC"
            }
            (false, false) => {
                "SELECT rowid, verbatim_counts(quotes_fts) FROM quotes_fts
                 WHERE quotes_fts MATCH ?1 AND rowid >= ?2 AND rowid < ?3 ORDER BY rowid DESC"
            }
            (false, true) => {
                "SELECT rowid, verbatim_counts_kept(quotes_fts) FROM quotes_fts
                 WHERE quotes_fts MATCH ?1 AND rowid >= ?2 AND rowid < ?3 ORDER BY rowid DESC"
            }
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut text = self
            .conn
            .prepare_cached("SELECT text FROM quotes WHERE id = ?1")?;
        // The non-plain quotes of the range, newest first, stepped along with the matches: a
        // look-up per match cost as much as the counts themselves.
        let mut nonplain_stmt = self.conn.prepare_cached(
            "SELECT id FROM quotes_nonplain WHERE id >= ?1 AND id < ?2 ORDER BY id DESC",
        )?;
        let mut nonplain = nonplain_stmt.query(params![lo, hi])?;
        let mut next_nonplain = nonplain.next()?.map(|r| r.get::<_, i64>(0)).transpose()?;
        let mut own_stmt = self.conn.prepare_cached(
            "SELECT id FROM quotes WHERE speaker_id = ?1 AND id >= ?2 AND id < ?3
             ORDER BY id DESC",
        )?;
        // Without `speaker_ids` an empty range: nothing is read.
        let (own_lo, own_hi) = if speaker_ids { (lo, hi) } else { (0, 0) };
        let own_speaker = speakers.first().map_or(0, |s| s.id);
        let mut own = own_stmt.query(params![own_speaker, own_lo, own_hi])?;
        let mut next_own = own.next()?.map(|r| r.get::<_, i64>(0)).transpose()?;
        let mut rows = stmt.query(params![expr, lo, hi])?;
        let mut found: Vec<(i64, f64)> = Vec::new();
        let mut tf: Vec<u32> = Vec::new();
        let mut read = 0usize;
        let mut ranked = 0usize;
        while let Some(r) = rows.next()? {
            read += 1;
            let passes = if speaker_ids {
                let id: i64 = r.get(0)?;
                while next_own.is_some_and(|n| n > id) {
                    next_own = own.next()?.map(|r| r.get::<_, i64>(0)).transpose()?;
                }
                next_own == Some(id)
            } else {
                !filtered || {
                    let speaker: Option<i64> = r.get(2)?;
                    (speakers.is_empty()
                        || speaker.is_some_and(|s| speakers.iter().any(|x| x.id == s)))
                        && outlet.map_or(true, |o| {
                            r.get_ref(3).ok().and_then(|v| v.as_str().ok()) == Some(o)
                        })
                }
            };
            if passes {
                let id: i64 = r.get(0)?;
                while next_nonplain.is_some_and(|n| n > id) {
                    next_nonplain = nonplain.next()?.map(|r| r.get::<_, i64>(0)).transpose()?;
                }
                let plain = next_nonplain != Some(id);
                let score = if plain_query && plain {
                    let blob = r.get_ref(1)?.as_blob().map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(1, Type::Blob, Box::new(e))
                    })?;
                    let len = ftscounts::decode(blob, &mut tf);
                    bm25.score_counts(len, &tf)
                } else {
                    let t: String = text.query_row([id], |r| r.get(0))?;
                    bm25.score(m, &Words::of(&t))
                };
                found.push((id, score));
                if read <= window {
                    ranked = found.len();
                }
            }
            if read >= window && found.len() >= need {
                break;
            }
        }
        self.scored_page(found, q, true, ranked, offset, speakers)
    }

    /// The looser index query of [`loosen`] for a plain (ASCII) query with a phrase holding a
    /// common word: one in more than [`LOOSE_DROP_QUOTES`] quotes and [`LOOSE_RATIO`] times
    /// as many as the phrase's rarest word.
    fn loose_query(&self, q: &SearchQuery, m: &Matcher) -> Result<Option<String>> {
        if !q.text.as_deref().is_some_and(|t| t.is_ascii())
            || !m.terms().any(|(w, prefix)| !prefix && w.len() > 1)
        {
            return Ok(None);
        }
        let mut common = HashSet::new();
        for (t, (words, prefix)) in m.terms().enumerate() {
            if prefix || words.len() < 2 {
                continue;
            }
            let df = words
                .iter()
                .map(|w| self.word_df(w))
                .collect::<Result<Vec<i64>>>()?;
            let rarest = df.iter().copied().min().unwrap_or(0);
            for (i, &d) in df.iter().enumerate() {
                if d > self.loose_drop_quotes && d > rarest.saturating_mul(LOOSE_RATIO) {
                    common.insert((t, i));
                }
            }
        }
        Ok(loosen(m, |t, i| common.contains(&(t, i))))
    }

    /// A text search through a looser index query ([`loosen`]): FTS5 matches a phrase with a
    /// common word by walking that word's whole match list (`"the american people" deal`:
    /// 17 ms at a million quotes), while the phrase's rarer words alone find the few candidates
    /// at once. Each candidate is then checked against the query itself — in memory for plain
    /// text, where the matcher and the index agree, by the index (one row) otherwise — so the
    /// hits, their order and their scores are those of [`Bank::search_ranked`] and of the
    /// newest-first plan, and filters are applied as those do.
    #[allow(clippy::too_many_arguments)]
    fn search_loose(
        &self,
        q: &SearchQuery,
        m: &Matcher,
        expr: &str,
        loose: &str,
        lo: i64,
        hi: i64,
        relevance: bool,
        offset: usize,
        speakers: Vec<SpeakerRef>,
    ) -> Result<SearchPage> {
        let bm25 = if relevance { Some(self.bm25(m)?) } else { None };
        let window = bm25.as_ref().map_or(0, |b| relevance_window(b.costly));
        let need = if relevance {
            offset.saturating_add(q.limit + 1)
        } else {
            q.limit + 1
        };
        let outlet = q.outlet.as_deref().filter(|o| !o.trim().is_empty());
        let mut candidates = self.conn.prepare_cached(
            "SELECT q.id, q.text, q.speaker_id, q.outlet, n.id IS NOT NULL
             FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid
             LEFT JOIN quotes_nonplain n ON n.id = quotes_fts.rowid
             WHERE quotes_fts MATCH ?1 AND quotes_fts.rowid >= ?2 AND quotes_fts.rowid < ?3
             ORDER BY quotes_fts.rowid DESC",
        )?;
        let mut probe = self
            .conn
            .prepare_cached("SELECT 1 FROM quotes_fts WHERE quotes_fts MATCH ?1 AND rowid = ?2")?;
        let mut rows = candidates.query(params![loose, lo, hi])?;
        let mut found: Vec<(i64, f64)> = Vec::new();
        let mut read = 0usize;
        let mut ranked = 0usize;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let words = Words::of(r.get_ref(1)?.as_str().unwrap_or_default());
            let nonplain: bool = r.get(4)?;
            let matched = if nonplain {
                probe.exists(params![expr, id])?
            } else {
                m.matches(&words)
            };
            if !matched {
                continue;
            }
            read += 1;
            let speaker: Option<i64> = r.get(2)?;
            let passes = (speakers.is_empty()
                || speaker.is_some_and(|s| speakers.iter().any(|x| x.id == s)))
                && outlet.map_or(true, |o| {
                    r.get_ref(3).ok().and_then(|v| v.as_str().ok()) == Some(o)
                });
            if passes {
                let score = bm25.as_ref().map_or(0.0, |b| b.score(m, &words));
                found.push((id, score));
                if read <= window {
                    ranked = found.len();
                }
            }
            let done = if relevance {
                read >= window && found.len() >= need
            } else {
                found.len() >= need
            };
            if done {
                break;
            }
        }
        self.scored_page(found, q, relevance, ranked, offset, speakers)
    }

    /// A page of hits from scored quote ids (found newest first).
    ///
    /// Relevance order ranks the first `ranked` of `found` (the matches of the window, which
    /// every page reads alike) and leaves the rest, read on past the window, newest first
    /// after them: so that paging shows each match once, whatever a page's offset.
    fn scored_page(
        &self,
        mut found: Vec<(i64, f64)>,
        q: &SearchQuery,
        relevance: bool,
        ranked: usize,
        offset: usize,
        speakers: Vec<SpeakerRef>,
    ) -> Result<SearchPage> {
        let page: Vec<(i64, f64)> = if relevance {
            let ranked = ranked.min(found.len());
            found[..ranked].sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            found.into_iter().skip(offset).take(q.limit + 1).collect()
        } else {
            found
        };
        let mut hits = Vec::with_capacity(page.len());
        let mut one = self.conn.prepare_cached(&format!(
            "SELECT {HIT_COLUMNS} FROM quotes q JOIN documents d ON d.num = q.doc
             LEFT JOIN speakers s ON s.id = q.speaker_id
             LEFT JOIN clusters c ON c.id = q.cluster_id WHERE q.id = ?1"
        ))?;
        for (id, score) in page {
            if let Some(mut h) = one.query_row([id], |r| hit_from_row(r, false)).optional()? {
                h.score = relevance.then_some(score);
                hits.push(h);
            }
        }
        Ok(finish_page(hits, q, relevance, offset, speakers))
    }

    /// Quotes a word occurs in: from `quotes_terms` (as of the last optimize), else counted in
    /// the index (cheap for a word new since then, which is rare by nature).
    fn word_df(&self, word: &str) -> Result<i64> {
        if let Some(n) = self
            .conn
            .prepare_cached("SELECT doc FROM quotes_terms WHERE term = ?1")?
            .query_row([word], |r| r.get(0))
            .optional()?
        {
            return Ok(n);
        }
        Ok(self
            .conn
            .prepare_cached("SELECT doc FROM quotes_vocab WHERE term = ?1")?
            .query_row([word], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    /// Quotes a query term may match, at most: the rarest word of a phrase; the words a prefix
    /// covers, added up (capped at `n`).
    fn term_df(&self, words: &[String], prefix: bool, n: i64) -> Result<i64> {
        if prefix {
            let sum: f64 = self
                .conn
                .prepare_cached(
                    "SELECT total(doc) FROM quotes_terms
                     WHERE term >= ?1 AND term < ?1 || char(1114111)",
                )?
                .query_row([&words[0]], |r| r.get(0))?;
            return Ok((sum as i64).min(n));
        }
        let mut best = i64::MAX;
        for w in words {
            best = best.min(self.word_df(w)?);
        }
        Ok(best)
    }

    /// An upper bound on the quotes a text query matches: the fewest any of its terms may
    /// match.
    fn estimate_matches(&self, m: &Matcher) -> Result<i64> {
        let n = self.fts_totals()?.0;
        let mut best = i64::MAX;
        for (words, prefix) in m.terms() {
            best = best.min(self.term_df(words, prefix, n)?);
        }
        Ok(best)
    }

    /// What ranking a query needs (see [`Bm25`]).
    fn bm25(&self, m: &Matcher) -> Result<Bm25> {
        let (rows, tokens) = self.fts_totals()?;
        let n = rows.max(1);
        let mut idf = Vec::new();
        let mut costly = false;
        for (words, prefix) in m.terms() {
            let df = self.term_df(words, prefix, n)?;
            if prefix {
                costly |= df > COMMON_TERM_QUOTES;
            } else if words.len() > 1 {
                for w in words {
                    costly |= self.word_df(w)? > COMMON_TERM_QUOTES;
                }
            }
            let (n, df) = (n as f64, df as f64);
            idf.push((((n - df + 0.5) / (df + 0.5)).ln()).max(1e-6));
        }
        Ok(Bm25 {
            idf,
            avg_len: tokens as f64 / n as f64,
            costly,
        })
    }

    /// Rows and tokens in the full-text index: FTS5's "averages" record (row 1 of
    /// `quotes_fts_data`: two varints), which every insert and delete keeps exact.
    fn fts_totals(&self) -> Result<(i64, i64)> {
        let blob: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT block FROM quotes_fts_data WHERE id = 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        let blob = blob.unwrap_or_default();
        let (rows, used) = varint(&blob);
        let (tokens, _) = varint(blob.get(used..).unwrap_or_default());
        Ok((rows as i64, tokens as i64))
    }

    fn quote_count(&self, speaker: i64) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT quote_count FROM speakers WHERE id = ?1")?
            .query_row([speaker], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    /// Full-text search over quotes with filters; see [`SearchQuery`].
    pub fn search(&self, q: &SearchQuery) -> Result<SearchPage> {
        let respelled;
        let q = match self.outlet_as_stored(q.outlet.as_deref())? {
            Some(outlet) => {
                respelled = SearchQuery {
                    outlet: Some(outlet),
                    ..q.clone()
                };
                &respelled
            }
            None => q,
        };
        if q.limit == 0 || q.limit > MAX_LIMIT {
            return Err(Error::invalid(format!(
                "limit must be 1 to {MAX_LIMIT}, not {}",
                q.limit
            )));
        }
        let fts = match &q.text {
            Some(t) => fts_query(t)?,
            None => None,
        };
        let mut lo = i64::MIN;
        let mut hi = i64::MAX;
        if let Some(s) = q.since.as_deref().filter(|s| !s.trim().is_empty()) {
            lo = quote_id(parse_bound(s, Bound::Since)?.day_number(), 0);
        }
        if let Some(u) = q.until.as_deref().filter(|s| !s.trim().is_empty()) {
            hi = quote_id(parse_bound(u, Bound::Until)?.day_number() + 1, 0);
        }
        if lo >= hi {
            return Err(Error::invalid(format!(
                "since ({}) is after until ({}): no date is in between; swap them",
                q.since.as_deref().unwrap_or_default().trim(),
                q.until.as_deref().unwrap_or_default().trim()
            )));
        }
        let relevance = q.order == Order::Relevance && fts.is_some();
        let mut offset = 0usize;
        match q
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(parse_cursor)
            .transpose()?
        {
            None => {}
            Some(Cursor::Before(id)) if !relevance => hi = hi.min(id),
            Some(Cursor::Offset(n)) if relevance => offset = n,
            Some(_) => {
                return Err(Error::invalid(
                    "this cursor belongs to a search in another order; start again without it",
                ))
            }
        }
        let mut speakers = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        let mut filters = String::new();
        if let Some(name) = q.speaker.as_deref().filter(|s| !s.trim().is_empty()) {
            speakers = self.find_speakers(name)?;
            if speakers.is_empty() {
                return Ok(SearchPage {
                    hits: Vec::new(),
                    next_cursor: None,
                    speakers,
                });
            }
            filters.push_str(" AND q.speaker_id IN (");
            for (i, s) in speakers.iter().enumerate() {
                filters.push_str(if i == 0 { "?" } else { ", ?" });
                args.push(SqlValue::Integer(s.id));
            }
            filters.push(')');
        }
        if let Some(o) = q.outlet.as_deref().filter(|s| !s.trim().is_empty()) {
            filters.push_str(" AND q.outlet = ?");
            args.push(SqlValue::Text(o.to_string()));
        }
        let limit = q.limit + 1;
        let mut all: Vec<SqlValue> = Vec::new();
        let outer = |inner: &str, order: &str| {
            format!(
                "SELECT {HIT_COLUMNS}, m.score FROM ({inner}) m
                 JOIN quotes q ON q.id = m.rid
                 JOIN documents d ON d.num = q.doc
                 LEFT JOIN speakers s ON s.id = q.speaker_id
                 LEFT JOIN clusters c ON c.id = q.cluster_id
                 {order}"
            )
        };
        let sql = match &fts {
            Some(expr) => {
                let speaker_total: i64 = speakers
                    .iter()
                    .map(|s| self.quote_count(s.id))
                    .sum::<Result<i64>>()?;
                let m = Matcher::new(q.text.as_deref().unwrap_or(""));
                let estimate = if speakers.is_empty() {
                    0
                } else {
                    self.estimate_matches(&m)?
                };
                let driven = !speakers.is_empty()
                    && speaker_total <= SPEAKER_DRIVEN_MAX
                    && speaker_total.saturating_mul(4) <= estimate;
                let no_outlet = q.outlet.as_deref().map_or(true, |o| o.trim().is_empty());
                let mergeable = !relevance && speakers.len() == 1 && no_outlet;
                // Driving reads each of the speaker's quotes (~4 µs), merging an index entry
                // per match and per quote (~0.2 µs): merge, matching as driving would, unless
                // the words match many times more quotes than the speaker has.
                if driven
                    && mergeable
                    && q.text.as_deref().is_some_and(|t| t.is_ascii())
                    && estimate <= speaker_total.saturating_mul(SPEAKER_MERGE_RATIO - 1)
                {
                    return self.search_merged(q, expr, lo, hi, speakers, Some(&m));
                }
                if driven {
                    return self
                        .search_driven(q, &m, lo, hi, &filters, args, relevance, offset, speakers);
                }
                if mergeable && speaker_total <= estimate.saturating_mul(SPEAKER_MERGE_RATIO) {
                    return self.search_merged(q, expr, lo, hi, speakers, None);
                }
                if let Some(loose) = self.loose_query(q, &m)? {
                    return self
                        .search_loose(q, &m, expr, &loose, lo, hi, relevance, offset, speakers);
                }
                if relevance {
                    // One speaker whose quotes are not far more than the words' matches: its
                    // quote ids (index only) are stepped along with the matches instead of
                    // reading each match's row to check its speaker.
                    let speaker_ids = speakers.len() == 1
                        && no_outlet
                        && speaker_total <= estimate.saturating_mul(SPEAKER_MERGE_RATIO);
                    return self.search_ranked(q, &m, expr, lo, hi, offset, speakers, speaker_ids);
                }
                let inner = {
                    // From the full-text matches, newest first (the index streams them in
                    // rowid order, and quote ids are ordered by date).
                    all.push(SqlValue::Text(expr.clone()));
                    all.push(SqlValue::Integer(lo));
                    all.push(SqlValue::Integer(hi));
                    all.extend(args);
                    let join = if filters.is_empty() {
                        ""
                    } else {
                        "JOIN quotes q ON q.id = quotes_fts.rowid"
                    };
                    format!(
                        "SELECT quotes_fts.rowid AS rid, NULL AS score FROM quotes_fts {join}
                         WHERE quotes_fts MATCH ? AND quotes_fts.rowid >= ? AND quotes_fts.rowid < ?{filters}
                         ORDER BY quotes_fts.rowid DESC LIMIT {limit}"
                    )
                };
                outer(&inner, "ORDER BY q.id DESC")
            }
            None => {
                all.push(SqlValue::Integer(lo));
                all.push(SqlValue::Integer(hi));
                all.extend(args);
                outer(
                    &format!(
                        "SELECT q.id AS rid, NULL AS score FROM quotes q
                         WHERE q.id >= ? AND q.id < ?{filters} ORDER BY q.id DESC LIMIT {limit}"
                    ),
                    "ORDER BY q.id DESC",
                )
            }
        };
        let scored = fts.is_some();
        let hits: Vec<Hit> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(all), |r| hit_from_row(r, scored))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(finish_page(hits, q, relevance, offset, speakers))
    }

    /// A speaker's quotes by outlet (most first) and by month (in date order), from the
    /// totals kept at ingest (schema version 5).
    fn totals(&self, id: i64) -> Result<(Vec<Count>, Vec<Count>)> {
        let count = |r: &Row<'_>| {
            Ok(Count {
                key: r.get(0)?,
                n: r.get(1)?,
            })
        };
        let by_outlet = self
            .conn
            .prepare_cached(
                "SELECT outlet, n FROM speaker_outlets WHERE speaker_id = ?1
                 ORDER BY n DESC, outlet",
            )?
            .query_map([id], count)?
            .collect::<rusqlite::Result<_>>()?;
        let by_month = self
            .conn
            .prepare_cached(
                "SELECT month, n FROM speaker_months WHERE speaker_id = ?1 ORDER BY month",
            )?
            .query_map([id], count)?
            .collect::<rusqlite::Result<_>>()?;
        Ok((by_outlet, by_month))
    }

    fn summary(&self, r: SpeakerRow) -> Result<SpeakerSummary> {
        let (by_outlet, by_month) = self.totals(r.0)?;
        Ok(SpeakerSummary {
            id: r.0,
            name: r.1,
            external_id: r.2,
            partial: r.3,
            quote_count: r.4,
            by_outlet,
            by_month,
        })
    }

    /// The outlets the stored documents name, most documents first.
    pub fn outlets(&self) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT outlet FROM documents WHERE outlet IS NOT NULL AND outlet != ''
                 GROUP BY outlet ORDER BY count(*) DESC, outlet",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The outlet as the bank spells it, when `outlet` is not stored as given but one stored
    /// outlet differs from it only in case ("BBC" for "bbc", "ÉLYSÉE" for "Élysée"); `None`
    /// otherwise (the filter stands as given). An outlet stored as given costs one index
    /// look-up; another looks through the bank's outlets, listed once until the bank changes.
    fn outlet_as_stored(&self, outlet: Option<&str>) -> Result<Option<String>> {
        let Some(o) = outlet.filter(|o| !o.trim().is_empty()) else {
            return Ok(None);
        };
        let exact = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE outlet = ?1 LIMIT 1")?
            .exists([o])?;
        if exact {
            return Ok(None);
        }
        // Another connection's commit changes `data_version`; this one's, `total_changes`.
        let data_version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let version = (data_version, self.conn.total_changes());
        let mut cache = self.outlets.borrow_mut();
        if cache.as_ref().map(|(v, _)| *v) != Some(version) {
            let list: Vec<String> = self
                .conn
                .prepare_cached("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            *cache = Some((version, list));
        }
        let lower = o.to_lowercase();
        let list = cache.as_ref().map_or(&[][..], |(_, l)| l.as_slice());
        let mut same = list.iter().filter(|x| x.to_lowercase() == lower);
        Ok(match (same.next(), same.next()) {
            (Some(one), None) => Some(one.clone()),
            _ => None,
        })
    }

    /// Speakers whose full names differ only by middle names or initials ("Donald J. Trump",
    /// "Hillary Rodham Clinton") or by a doubled letter, when one is at least five times
    /// rarer ("Hilary Clinton"), most quoted first; names joined through others are one
    /// group, each mapped to its most quoted name. The bank keeps them apart, since initials
    /// may be all that tells two people apart (George Bush, George W. Bush); these are for a
    /// person to check and load as aliases. A name beside two or more spellings with
    /// different middles (George Bush, George H. W. Bush, George W. Bush) is left out: that
    /// is for a person to sort out, not to suggest. So is a name whose first word is an
    /// initial ("S. C." and "S. E. C."), an organisation, and a name with a particle ("de",
    /// "van") among its middle words.
    pub fn alias_suggestions(&self) -> Result<Vec<AliasSuggestion>> {
        let mut st = self.conn.prepare(
            "SELECT name, key, quote_count FROM speakers
             WHERE first IS NOT NULL AND partial = 0 AND quote_count > 0
               AND instr(surname, ' ') = 0",
        )?;
        let rows: Vec<(String, String, i64)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let index: HashMap<&str, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.1.as_str(), i))
            .collect();
        // The spellings with middle names or initials of each name that is also stored
        // without them (indices into `rows`); a plain name beside two or more of them is
        // left out.
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, (_, key, _)) in rows.iter().enumerate() {
            let first_is_word = key.split(' ').next().is_some_and(|f| f.chars().count() > 1);
            let Some(plain) = crate::names::without_middle(key).filter(|_| first_is_word) else {
                continue;
            };
            if let Some(&p) = index.get(plain.as_str()) {
                groups.entry(p).or_default().push(i);
            }
        }
        // Pairs of names, as indices into `rows`, and how they differ.
        let mut edges: Vec<(usize, usize)> = Vec::new();
        for (&plain, variants) in &groups {
            if let [v] = variants.as_slice() {
                edges.push((*v, plain));
            }
        }
        // Spellings a doubled letter apart ("Hilary Clinton"), when only two names are and
        // one is at least five times rarer: Ana and Anna, Philip and Phillip are often two
        // people, each quoted.
        let mut spellings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (_, key, _)) in rows.iter().enumerate() {
            spellings
                .entry(crate::names::without_doubles(key))
                .or_default()
                .push(i);
        }
        for names in spellings.values() {
            if let [a, b] = names.as_slice() {
                let (ca, cb) = (rows[*a].2, rows[*b].2);
                if ca.max(cb) >= 5 * ca.min(cb) {
                    edges.push((*a, *b));
                }
            }
        }
        // Names joined through others ("Hilary Rodham Clinton" → "Hillary Rodham Clinton" →
        // "Hillary Clinton") are one group, mapped to its most quoted name, so that loading
        // the lines never maps a name that is itself mapped.
        let mut parent: Vec<usize> = (0..rows.len()).collect();
        fn root(p: &mut [usize], mut i: usize) -> usize {
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        let mut joined = BTreeSet::new();
        for &(a, b) in &edges {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra] = rb;
            joined.extend([a, b]);
        }
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in &joined {
            let r = root(&mut parent, i);
            members.entry(r).or_default().push(i);
        }
        let mut out = Vec::new();
        for group in members.values() {
            // The most quoted; on a tie, the shorter name (the one without middle names).
            let &canonical = group
                .iter()
                .min_by_key(|&&i| (-rows[i].2, rows[i].0.len(), rows[i].0.as_str()))
                .expect("a group has members");
            for &i in group.iter().filter(|&&i| i != canonical) {
                out.push(AliasSuggestion {
                    alias: rows[i].0.clone(),
                    canonical: rows[canonical].0.clone(),
                    quotes: (rows[i].2, rows[canonical].2),
                    why: difference(&rows[i].1, &rows[canonical].1),
                });
            }
        }
        out.sort_by(|a, b| {
            (b.quotes.0 + b.quotes.1)
                .cmp(&(a.quotes.0 + a.quotes.1))
                .then_with(|| a.alias.cmp(&b.alias))
        });
        Ok(out)
    }

    /// Speakers, most quoted first, with their counts by outlet and month.
    pub fn list_speakers(&self, q: &SpeakerListQuery) -> Result<Vec<SpeakerSummary>> {
        let limit = q.limit.map_or(-1, |l| l as i64);
        let outlet = q.outlet.as_deref().filter(|o| !o.trim().is_empty());
        // An empty bound is no bound, as in search.
        let bound = |m: &Option<String>, what, end| {
            m.as_deref()
                .filter(|m| !m.trim().is_empty())
                .map(|m| month_bound(m, what, end))
                .transpose()
        };
        let since = bound(&q.since, "since", false)?;
        let until = bound(&q.until, "until", true)?;
        if let (Some(s), Some(u)) = (&since, &until) {
            if s > u {
                return Err(Error::invalid(format!(
                    "since {s} is after until {u}: swap them"
                )));
            }
        }
        if outlet.is_some() || since.is_some() || until.is_some() {
            let outlet = match outlet {
                Some(o) => Some(
                    self.outlet_as_stored(Some(o))?
                        .unwrap_or_else(|| o.to_string()),
                ),
                None => None,
            };
            let filter = StatsFilter {
                outlet,
                since,
                until,
            };
            return self.list_speakers_within(q, &filter, limit);
        }
        let rows: Vec<SpeakerRow> = self
            .conn
            .prepare_cached(
                "SELECT id, name, external_id, partial, quote_count FROM speakers
                 WHERE quote_count >= ?1 ORDER BY quote_count DESC, id LIMIT ?2 OFFSET ?3",
            )?
            .query_map(
                params![q.min_quotes.max(1), limit, q.offset as i64],
                speaker_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter().map(|r| self.summary(r)).collect()
    }

    /// [`Bank::list_speakers`] counting only the quotes an outlet or a range of months
    /// holds, from the per-speaker outlet × month counts (`speaker_stats`).
    fn list_speakers_within(
        &self,
        q: &SpeakerListQuery,
        f: &StatsFilter,
        limit: i64,
    ) -> Result<Vec<SpeakerSummary>> {
        // `?1` outlet (NULL: any), `?2`/`?3` months (NULL: open); an undated quote (month '')
        // falls outside any range.
        const WHERE: &str = "(?1 IS NULL OR st.outlet = ?1)
             AND (?2 IS NULL OR (st.month <> '' AND st.month >= ?2))
             AND (?3 IS NULL OR (st.month <> '' AND st.month <= ?3))";
        let rows: Vec<SpeakerRow> = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.id, s.name, s.external_id, s.partial, t.n FROM
                   (SELECT st.speaker_id AS id, sum(st.n) AS n FROM speaker_stats st
                    WHERE {WHERE} GROUP BY st.speaker_id HAVING sum(st.n) >= ?4) t
                 JOIN speakers s ON s.id = t.id
                 ORDER BY t.n DESC, s.id LIMIT ?5 OFFSET ?6"
            ))?
            .query_map(
                params![
                    f.outlet,
                    f.since,
                    f.until,
                    q.min_quotes.max(1),
                    limit,
                    q.offset as i64
                ],
                speaker_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        let count = |r: &Row<'_>| {
            Ok(Count {
                key: r.get(0)?,
                n: r.get(1)?,
            })
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, name, external_id, partial, n) in rows {
            let by = |column: &str, order: &str| -> Result<Vec<Count>> {
                Ok(self
                    .conn
                    .prepare_cached(&format!(
                        "SELECT st.{column}, sum(st.n) FROM speaker_stats st
                         WHERE st.speaker_id = ?4 AND {WHERE}
                         GROUP BY st.{column} ORDER BY {order}"
                    ))?
                    .query_map(params![f.outlet, f.since, f.until, id], count)?
                    .collect::<rusqlite::Result<_>>()?)
            };
            out.push(SpeakerSummary {
                id,
                name,
                external_id,
                partial,
                quote_count: n,
                by_outlet: by("outlet", "2 DESC, 1")?,
                by_month: by("month", "1")?,
            });
        }
        Ok(out)
    }

    /// One speaker: counts, aliases, spellings. `None` for an unknown id.
    pub fn speaker(&self, id: i64) -> Result<Option<SpeakerDetail>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, name, external_id, partial, quote_count FROM speakers WHERE id = ?1",
            )?
            .query_row([id], speaker_row)
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        let summary = self.summary(row)?;
        let by_outlet_month = self
            .conn
            .prepare_cached("SELECT outlet, month, n FROM speaker_stats WHERE speaker_id = ?1")?
            .query_map([id], |r| {
                Ok(OutletMonth {
                    outlet: r.get(0)?,
                    month: r.get(1)?,
                    n: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let aliases = self
            .conn
            .prepare_cached("SELECT alias FROM aliases WHERE speaker_id = ?1 ORDER BY alias")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let spellings = self
            .conn
            .prepare_cached(
                "SELECT spelling, n FROM speaker_spellings WHERE speaker_id = ?1
                 ORDER BY n DESC, spelling LIMIT 50",
            )?
            .query_map([id], |r| {
                Ok(Count {
                    key: r.get(0)?,
                    n: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(SpeakerDetail {
            summary,
            aliases,
            spellings,
            by_outlet_month,
        }))
    }

    /// A document with its quotes and their spans (code points). `None` for an unknown id.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>> {
        type DocRow = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
            String,
        );
        let row: Option<DocRow> = self
            .conn
            .prepare_cached(
                "SELECT num, id, title, outlet, url, published, text, content_hash, kind
                 FROM documents WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })
            .optional()?;
        let Some((num, id, title, outlet, url, date, text, content_hash, kind)) = row else {
            return Ok(None);
        };
        let kind: DocumentKind = kind.parse().unwrap_or_default();
        let map = verbatim::OffsetMap::new(&text);
        let quotes = self
            .conn
            .prepare_cached(
                "SELECT q.id, q.kind, q.speaker_id, s.name, q.speaker_raw, q.speaker_link, q.addressee,
                        q.setting, q.confidence, q.source, q.cue, q.content, q.cluster_id,
                        coalesce(c.size, 1)
                 FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id
                 LEFT JOIN clusters c ON c.id = q.cluster_id
                 WHERE q.doc = ?1 ORDER BY q.ord",
            )?
            .query_map([num], |r| {
                Ok(QuoteView {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    speaker: speaker_ref(r.get(2)?, r.get(3)?),
                    speaker_raw: r.get(4)?,
                    speaker_link: r.get(5)?,
                    addressee: r.get(6)?,
                    setting: r.get(7)?,
                    confidence: r.get(8)?,
                    source: span_texts(&text, &map, &r.get::<_, String>(9)?),
                    cue: span_texts(&text, &map, &r.get::<_, String>(10)?),
                    content: span_texts(&text, &map, &r.get::<_, String>(11)?),
                    cluster_id: r.get(12)?,
                    cluster_size: r.get(13)?,
                    verifications: Vec::new(),
                    reported_by: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<QuoteView>>>()?;
        let mut quotes = quotes;
        for q in &mut quotes {
            match kind {
                DocumentKind::Article => q.verifications = self.verifications_of(q.id)?,
                DocumentKind::Transcript => q.reported_by = self.reports_of(q.id, &text, &map)?,
            }
        }
        Ok(Some(DocumentView {
            id,
            title,
            outlet,
            url,
            date,
            text,
            content_hash,
            kind,
            quotes,
        }))
    }

    /// The verifications of an article quote, best verdict first.
    pub fn verifications_of(&self, quote_id: i64) -> Result<Vec<VerificationView>> {
        // SQLite's substr counts code points in text, as the stored span does.
        let sql = concat!(
            "SELECT d.id, d.title, verdict, speaker_matches, transcript_speaker, diff,
                    said_start, said_end, substr(d.text, said_start + 1, said_end - said_start),
                    score
             FROM verifications v JOIN documents d ON d.num = v.transcript
             WHERE v.quote_id = ?1 ORDER BY ",
            verdict_rank!(),
            ", score DESC, d.id"
        );
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_map([quote_id], |r| {
                Ok(VerificationView {
                    transcript_id: r.get(0)?,
                    transcript_title: r.get(1)?,
                    verdict: r.get(2)?,
                    speaker_matches: r.get(3)?,
                    transcript_speaker: r.get(4)?,
                    diff: r.get(5)?,
                    said: said_span(r.get(6)?, r.get(7)?, r.get(8)?),
                    score: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The article quotes verified against a transcript's turn (`text` and `map`: the
    /// transcript's), oldest first.
    fn reports_of(
        &self,
        turn_id: i64,
        text: &str,
        map: &verbatim::OffsetMap,
    ) -> Result<Vec<ReportView>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT v.quote_id, d.id, d.title, q.outlet, q.published, q.text, q.speaker_raw,
                        v.verdict, v.speaker_matches, v.diff, v.said_start, v.said_end, v.score
                 FROM verifications v JOIN quotes q ON q.id = v.quote_id
                 JOIN documents d ON d.num = q.doc
                 WHERE v.turn_quote_id = ?1 ORDER BY q.id",
            )?
            .query_map([turn_id], |r| {
                let (start, end): (Option<usize>, Option<usize>) = (r.get(10)?, r.get(11)?);
                Ok(ReportView {
                    quote_id: r.get(0)?,
                    document_id: r.get(1)?,
                    title: r.get(2)?,
                    outlet: r.get(3)?,
                    date: r.get(4)?,
                    text: r.get(5)?,
                    speaker_raw: r.get(6)?,
                    verdict: r.get(7)?,
                    speaker_matches: r.get(8)?,
                    diff: r.get(9)?,
                    said: start.zip(end).and_then(|(s, e)| {
                        let t = text.get(map.to_byte(s)?..map.to_byte(e)?)?;
                        said_span(Some(s), Some(e), Some(t.to_string()))
                    }),
                    score: r.get(12)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A cluster: the same remark in each outlet, first seen. `None` for an unknown id.
    pub fn cluster(&self, id: i64) -> Result<Option<ClusterView>> {
        let row: Option<(Option<String>, i64)> = self
            .conn
            .prepare_cached("SELECT first_seen, size FROM clusters WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((first_seen, size)) = row else {
            return Ok(None);
        };
        // Undated members sort last.
        let members: Vec<ClusterMember> = self
            .conn
            .prepare_cached(
                "SELECT q.id, d.id, d.title, q.outlet, d.url, q.published, q.text, q.speaker_id, s.name,
                        q.speaker_raw
                 FROM quotes q JOIN documents d ON d.num = q.doc
                 LEFT JOIN speakers s ON s.id = q.speaker_id
                 WHERE q.cluster_id = ?1
                 ORDER BY q.published IS NULL, q.published, q.id LIMIT 1000",
            )?
            .query_map([id], |r| {
                Ok(ClusterMember {
                    quote_id: r.get(0)?,
                    document_id: r.get(1)?,
                    title: r.get(2)?,
                    outlet: r.get(3)?,
                    url: r.get(4)?,
                    date: r.get(5)?,
                    text: r.get(6)?,
                    speaker: speaker_ref(r.get(7)?, r.get(8)?),
                    speaker_raw: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut outlets: Vec<ClusterOutlet> = Vec::new();
        let mut tally: BTreeMap<i64, (SpeakerRef, usize, bool)> = BTreeMap::new();
        for m in &members {
            let o = m.outlet.clone().unwrap_or_default();
            match outlets.iter_mut().find(|x| x.outlet == o) {
                Some(x) => x.quotes += 1,
                None => outlets.push(ClusterOutlet {
                    outlet: o,
                    first_seen: m.date.clone(),
                    quotes: 1,
                }),
            }
            if let Some(s) = &m.speaker {
                tally.entry(s.id).or_insert_with(|| (s.clone(), 0, false)).1 += 1;
            }
        }
        for (sid, entry) in tally.iter_mut() {
            entry.2 = self
                .conn
                .prepare_cached("SELECT partial FROM speakers WHERE id = ?1")?
                .query_row([sid], |r| r.get::<_, i64>(0))
                .optional()?
                .unwrap_or(0)
                != 0;
        }
        // Most frequent full name; a bare surname only if there is nothing better.
        let speaker = tally
            .into_values()
            .max_by(|a, b| (!a.2, a.1).cmp(&(!b.2, b.1)))
            .map(|t| t.0);
        Ok(Some(ClusterView {
            id,
            speaker,
            first_outlet: members.first().and_then(|m| m.outlet.clone()),
            first_seen,
            size,
            outlets,
            members,
        }))
    }

    /// Counts of everything.
    pub fn stats(&self) -> Result<BankStats> {
        let one = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(BankStats {
            schema_version: one("SELECT max(version) FROM schema_version")?,
            documents: one("SELECT count(*) FROM documents")?,
            quotes: one("SELECT count(*) FROM quotes")?,
            speakers: one("SELECT count(*) FROM speakers WHERE quote_count > 0")?,
            clusters: one("SELECT count(*) FROM clusters")?,
            multi_outlet_clusters: one(
                "SELECT count(*) FROM (SELECT cluster_id FROM quotes WHERE cluster_id IN
                    (SELECT id FROM clusters WHERE size > 1)
                 GROUP BY cluster_id HAVING count(DISTINCT coalesce(outlet, '')) > 1)",
            )?,
        })
    }
}

/// How many of the newest matches relevance order ranks: [`RELEVANCE_WINDOW`], or
/// [`RELEVANCE_WINDOW_COSTLY`] for a query with a costly term — a phrase with a common word
/// (FTS5 compares that word's positions in every candidate: ~4 µs a match) or a prefix
/// covering more than [`COMMON_TERM_QUOTES`] quotes (many match lists merged).
pub fn relevance_window(costly: bool) -> usize {
    if costly {
        RELEVANCE_WINDOW_COSTLY
    } else {
        RELEVANCE_WINDOW
    }
}

/// BM25 as FTS5 computes it (k1 = 1.2, b = 0.75, negated so that lower is better), from the
/// quote's own words: per-term IDF from `quotes_terms` (a phrase counts as its rarest word, a
/// prefix as the words it covers: FTS5 counts the phrase's own matches, which costs a walk
/// over all of them), the bank's row count and mean length from the index's totals.
struct Bm25 {
    idf: Vec<f64>,
    avg_len: f64,
    /// Whether a term is costly to match (see [`relevance_window`]).
    costly: bool,
}

impl Bm25 {
    fn score(&self, m: &Matcher, words: &Words) -> f64 {
        m.bm25(words, &self.idf, self.avg_len)
    }

    /// The score from a quote's length and its terms' occurrences (see `ftscounts`).
    fn score_counts(&self, len: u32, tf: &[u32]) -> f64 {
        bm25_counts(len, tf.iter().copied(), &self.idf, self.avg_len)
    }
}

/// An SQLite varint (as FTS5 writes them): the value and the bytes it took. 0 for no bytes.
pub(crate) fn varint(b: &[u8]) -> (u64, usize) {
    let mut v = 0u64;
    for (i, &byte) in b.iter().enumerate().take(9) {
        if i == 8 {
            return ((v << 8) | u64::from(byte), 9);
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    (v, b.len())
}

/// An FTS5 query every match of `m` also matches, without the words of its phrases that
/// `common(term, word)` says are common: each phrase keeps its runs of other words, as phrases
/// of their own, held as near each other as in the phrase (`"the american people" deal` →
/// `"american people" AND "deal"`, `"state of the union"` → `NEAR("state" "union", 2)`: without
/// NEAR, every quote with both words anywhere would be a candidate to read and check).
/// `None` when no phrase has both a common and another word
/// (a phrase of common words only is kept whole: nothing rarer would find its candidates).
pub(crate) fn loosen(m: &Matcher, common: impl Fn(usize, usize) -> bool) -> Option<String> {
    let phrase = |words: &[&str]| format!("\"{}\"", words.join(" "));
    let mut changed = false;
    let mut terms = Vec::new();
    for (t, (words, prefix)) in m.terms().enumerate() {
        let all: Vec<&str> = words.iter().map(String::as_str).collect();
        if prefix {
            terms.push(format!("{}*", phrase(&all)));
            continue;
        }
        let rare = (0..all.len()).filter(|&i| !common(t, i)).count();
        if all.len() < 2 || rare == 0 || rare == all.len() {
            terms.push(phrase(&all));
            continue;
        }
        changed = true;
        // Runs of rare words: (first word, past the last word).
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for i in (0..all.len()).filter(|&i| !common(t, i)) {
            match runs.last_mut() {
                Some(r) if r.1 == i => r.1 = i + 1,
                _ => runs.push((i, i + 1)),
            }
        }
        let phrases: Vec<String> = runs.iter().map(|&(a, b)| phrase(&all[a..b])).collect();
        match (runs.first(), runs.last()) {
            // Several runs stay as near each other as the phrase holds them: the tokens
            // between the first run's end and the last run's start, whatever their order.
            (Some(first), Some(last)) if runs.len() > 1 => {
                terms.push(format!("NEAR({}, {})", phrases.join(" "), last.0 - first.1));
            }
            _ => terms.extend(phrases),
        }
    }
    changed.then(|| terms.join(" AND "))
}

/// Cut a page to the limit and make the cursor for the next one.
fn finish_page(
    mut hits: Vec<Hit>,
    q: &SearchQuery,
    relevance: bool,
    offset: usize,
    speakers: Vec<SpeakerRef>,
) -> SearchPage {
    let next = offset.saturating_add(q.limit);
    let next_cursor = if hits.len() > q.limit {
        hits.truncate(q.limit);
        if !relevance {
            Some(format!("n{:x}", hits.last().map_or(0, |h| h.quote_id)))
        } else if next < MAX_RELEVANCE_OFFSET {
            Some(format!("r{next}"))
        } else {
            None
        }
    } else {
        None
    };
    SearchPage {
        hits,
        next_cursor,
        speakers,
    }
}

/// "obama" → "Obama", so a lowercase filter still parses as a name.
fn titlecase(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_are_quoted() {
        assert_eq!(fts_query("  ").unwrap(), None);
        assert_eq!(
            fts_query("missile defence").unwrap().unwrap(),
            "\"missile\" AND \"defence\""
        );
        assert_eq!(
            fts_query("\"last election\" flex*").unwrap().unwrap(),
            "\"last election\" AND \"flex\"*"
        );
        assert_eq!(
            fts_query("NOT OR ) (\"").unwrap().unwrap(),
            "\"NOT\" AND \"OR\""
        );
        assert_eq!(fts_query("don't").unwrap().unwrap(), "\"don t\"");
        assert!(fts_query("!!! ???").is_err());
    }

    #[test]
    fn repeated_terms_are_searched_once_and_long_queries_refused() {
        assert_eq!(
            fts_query(&"a* Obama obama ".repeat(3000)).unwrap().unwrap(),
            "\"a\"* AND \"Obama\""
        );
        // n different terms: w0 w1 … (or p0* p1* … with a star).
        let terms = |n: usize, star: &str| {
            (0..n)
                .map(|i| format!("t{i}{star}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(fts_query(&terms(MAX_QUERY_WORDS, "")).is_ok());
        let e = fts_query(&terms(MAX_QUERY_WORDS + 1, "")).unwrap_err();
        assert!(e.to_string().contains("at most 64"), "{e}");
        // Each word of a phrase counts.
        assert!(fts_query(&format!("\"{}\"", "the ".repeat(65))).is_err());
        assert!(fts_query(&terms(MAX_QUERY_PREFIXES, "*")).is_ok());
        let e = fts_query(&terms(MAX_QUERY_PREFIXES + 1, "*")).unwrap_err();
        assert!(e.to_string().contains("prefix"), "{e}");
    }
}

#[cfg(test)]
mod ranking_tests {
    use super::*;

    /// A bank of quotes written directly (as ingest stores them), with ties, filters and texts
    /// on which the index and the in-memory matcher split words differently.
    fn bank(texts: &[(&str, i64, &str)]) -> Bank {
        let bank = Bank::open(":memory:").unwrap();
        // Speakers counted as quoted often, so that a speaker filter is ranked from the index
        // matches (a rarely quoted one is matched in memory: `search_driven`).
        bank.conn
            .execute_batch(
                "INSERT INTO documents (num, id, outlet, text, content_hash, ingested_at)
                 VALUES (1, 'd', 'nyt', 'x', 'x', 0);",
            )
            .unwrap();
        bank.conn
            .execute(
                "INSERT INTO speakers (id, name, key, surname, first, partial, quote_count)
                 VALUES (1, 'Jo Smith', 'jo smith', 'smith', 'jo', 0, ?1),
                        (2, 'Al Roe', 'al roe', 'roe', 'al', 0, ?1);",
                [SPEAKER_DRIVEN_MAX + 1],
            )
            .unwrap();
        for (i, (text, speaker, outlet)) in texts.iter().enumerate() {
            let id = crate::dates::quote_id(15_000 + i as i64 % 7, i as u64);
            bank.conn
                .execute(
                    "INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue,
                         speaker_id, confidence, outlet)
                     VALUES (?1, 1, ?2, 'direct', ?3, '[]', '[]', '[]', ?4, 0.9, ?5)",
                    params![id, i as i64, text, speaker, outlet],
                )
                .unwrap();
            bank.conn
                .execute(
                    "INSERT INTO quotes_fts (rowid, text) VALUES (?1, ?2)",
                    params![id, text],
                )
                .unwrap();
            if crate::store::is_nonplain(text) {
                bank.conn
                    .execute("INSERT INTO quotes_nonplain (id) VALUES (?1)", [id])
                    .unwrap();
            }
        }
        bank
    }

    /// Relevance order as computed before the index gave the counts: every match's text read
    /// and scored in memory, filters applied, best first (ties: newest first).
    fn by_text(bank: &Bank, q: &SearchQuery) -> Vec<(i64, u64)> {
        let m = Matcher::new(q.text.as_deref().unwrap());
        let bm25 = bank.bm25(&m).unwrap();
        let expr = fts_query(q.text.as_deref().unwrap()).unwrap().unwrap();
        let speakers: Vec<i64> = match &q.speaker {
            Some(s) => bank
                .find_speakers(s)
                .unwrap()
                .iter()
                .map(|s| s.id)
                .collect(),
            None => Vec::new(),
        };
        let mut all: Vec<(i64, f64)> = bank
            .conn
            .prepare(
                "SELECT q.id, q.text, q.speaker_id, q.outlet FROM quotes_fts
                 JOIN quotes q ON q.id = quotes_fts.rowid WHERE quotes_fts MATCH ?1",
            )
            .unwrap()
            .query_map([expr], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .filter(|(_, _, s, o)| {
                (speakers.is_empty() || s.is_some_and(|s| speakers.contains(&s)))
                    && q.outlet.as_ref().map_or(true, |x| o.as_ref() == Some(x))
            })
            .map(|(id, t, _, _)| (id, bm25.score(&m, &Words::of(&t))))
            .collect();
        all.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        all.into_iter().map(|(id, s)| (id, s.to_bits())).collect()
    }

    const TEXTS: [(&str, i64, &str); 12] = [
        ("“The economy, the economy” — he said", 1, "nyt"),
        ("the economy is growing", 1, "wapo"),
        ("the economy is growing", 2, "nyt"),
        ("economy economy economy tax", 2, "wapo"),
        (
            "Not even United States extradite GA\u{303}1\u{2044}4len economy",
            1,
            "nyt",
        ),
        ("the economy of Zürich and Łódź is growing", 2, "nyt"),
        ("naïve economy\u{a0}talk… tax cuts", 1, "wapo"),
        ("missile defence for the economy, missile defence", 2, "nyt"),
        ("a missile and a defence", 1, "nyt"),
        ("ecological economics of economies", 1, "wapo"),
        ("tax tax", 2, "nyt"),
        ("l\u{f9}\u{300}economy tax", 1, "nyt"),
    ];

    const QUERIES: [&str; 7] = [
        "economy",
        "economy tax",
        "\"missile defence\"",
        "econ*",
        "growing economy",
        "zurich",
        "lodz economy",
    ];

    #[test]
    fn counts_from_the_index_rank_exactly_as_the_text() {
        let bank = bank(&TEXTS);
        let nonplain: i64 = bank
            .conn
            .query_row("SELECT count(*) FROM quotes_nonplain", [], |r| r.get(0))
            .unwrap();
        assert_eq!(nonplain, 4, "the quotes with other characters are listed");
        for text in QUERIES {
            for (speaker, outlet) in [(None, None), (Some("Jo Smith"), None), (None, Some("nyt"))] {
                let q = SearchQuery {
                    text: Some(text.into()),
                    speaker: speaker.map(str::to_string),
                    outlet: outlet.map(str::to_string),
                    order: Order::Relevance,
                    limit: 3,
                    ..Default::default()
                };
                assert_eq!(
                    ranked(&bank, &q),
                    by_text(&bank, &q),
                    "{text} {speaker:?} {outlet:?}"
                );
            }
        }
    }

    /// Relevance order with one speaker filter, its quote ids stepped along with the matches
    /// (a speaker quoted about as often as the words match), ranks as the joined rows did.
    #[test]
    fn a_speakers_ids_stepped_along_rank_as_the_rows() {
        let bank = bank(&TEXTS);
        bank.conn
            .execute_batch("UPDATE speakers SET quote_count = 5")
            .unwrap();
        for text in QUERIES {
            for speaker in ["Jo Smith", "Al Roe"] {
                let q = SearchQuery {
                    text: Some(text.into()),
                    speaker: Some(speaker.into()),
                    order: Order::Relevance,
                    limit: 2,
                    ..Default::default()
                };
                assert_eq!(ranked(&bank, &q), by_text(&bank, &q), "{text} {speaker}");
            }
        }
        // The plan is the stepped one: the estimate allows it.
        let m = Matcher::new("economy");
        assert!(5 <= bank.estimate_matches(&m).unwrap() * SPEAKER_MERGE_RATIO);
        assert!(!ranked(
            &bank,
            &SearchQuery {
                text: Some("economy".into()),
                speaker: Some("Al Roe".into()),
                order: Order::Relevance,
                ..Default::default()
            }
        )
        .is_empty());
    }

    /// Every page of a relevance search: quote ids and scores' bits.
    fn ranked(bank: &Bank, q: &SearchQuery) -> Vec<(i64, u64)> {
        let mut got = Vec::new();
        let mut page = q.clone();
        loop {
            let p = bank.search(&page).unwrap();
            got.extend(
                p.hits
                    .iter()
                    .map(|h| (h.quote_id, h.score.unwrap().to_bits())),
            );
            match p.next_cursor {
                Some(c) => page.cursor = Some(c),
                None => break,
            }
        }
        got
    }

    /// Lengths kept in memory (filled ahead, or by the searches themselves) rank exactly as
    /// the index's own; and they are what is read: a wrong one changes the score.
    #[test]
    fn kept_lengths_rank_exactly_as_the_index() {
        use crate::QuoteLengths;
        use std::sync::Arc;
        let plain = bank(&TEXTS);
        let queries: Vec<SearchQuery> = QUERIES
            .iter()
            .flat_map(|text| {
                [(None, None), (Some("Jo Smith"), None), (None, Some("nyt"))].map(
                    |(speaker, outlet): (Option<&str>, Option<&str>)| SearchQuery {
                        text: Some(text.to_string()),
                        speaker: speaker.map(str::to_string),
                        outlet: outlet.map(str::to_string),
                        order: Order::Relevance,
                        limit: 3,
                        ..Default::default()
                    },
                )
            })
            .collect();
        let expected: Vec<_> = queries.iter().map(|q| ranked(&plain, q)).collect();

        // Filled by the searches: the first pass looks lengths up and keeps them, the second
        // reads them.
        let mut lazy = bank(&TEXTS);
        let lengths = Arc::new(QuoteLengths::new());
        lazy.keep_quote_lengths(Arc::clone(&lengths)).unwrap();
        for _ in 0..2 {
            for (q, want) in queries.iter().zip(&expected) {
                assert_eq!(&ranked(&lazy, q), want, "{q:?}");
            }
        }
        let id = |i: u64| crate::dates::quote_id(15_000 + i as i64 % 7, i);
        assert_eq!(lengths.get(id(1)), Some(4), "the economy is growing");
        // The connection holds one reference, given back when it closes.
        assert_eq!(Arc::strong_count(&lengths), 2);
        drop(lazy);
        assert_eq!(Arc::strong_count(&lengths), 1);

        // Filled ahead from the index's length table.
        let mut ahead = bank(&TEXTS);
        let filled = Arc::new(QuoteLengths::new());
        assert_eq!(ahead.fill_quote_lengths(&filled).unwrap(), TEXTS.len());
        assert_eq!(filled.get(id(10)), Some(2), "tax tax");
        assert_eq!(filled.get(id(3)), Some(4), "economy economy economy tax");
        ahead.keep_quote_lengths(Arc::clone(&filled)).unwrap();
        for (q, want) in queries.iter().zip(&expected) {
            assert_eq!(&ranked(&ahead, q), want, "{q:?}");
        }

        // A wrong length is believed: the table is what ranks.
        filled.set(id(10), 40);
        let q = SearchQuery {
            text: Some("tax".into()),
            order: Order::Relevance,
            limit: 10,
            ..Default::default()
        };
        let score_of = |bank: &Bank| {
            ranked(bank, &q)
                .into_iter()
                .find(|(i, _)| *i == id(10))
                .map(|(_, s)| f64::from_bits(s))
                .unwrap()
        };
        assert!(
            score_of(&ahead) > score_of(&plain),
            "a longer quote scores worse"
        );
    }

    #[test]
    fn loosening_drops_the_common_words_of_phrases_only() {
        let common = ["the", "of", "people"];
        let loose = |q: &str| {
            let m = Matcher::new(q);
            let terms: Vec<Vec<String>> = m.terms().map(|(w, _)| w.to_vec()).collect();
            loosen(&m, |t, i| common.contains(&terms[t][i].as_str()))
        };
        assert_eq!(
            loose("\"the American people\" deal").as_deref(),
            Some("\"american\" AND \"deal\"")
        );
        assert_eq!(
            loose("\"state of the union\" tax*").as_deref(),
            Some("NEAR(\"state\" \"union\", 2) AND \"tax\"*")
        );
        // Runs of several words; the distance counts the middle run's words too.
        assert_eq!(
            loose("\"we the people of new york of the united states\"").as_deref(),
            Some("NEAR(\"we\" \"new york\" \"united states\", 7)")
        );
        assert_eq!(loose("\"the new deal\"").as_deref(), Some("\"new deal\""));
        // Nothing to drop, or nothing rarer to find the candidates with.
        assert_eq!(loose("the people deal"), None);
        assert_eq!(loose("\"new deal\" the"), None);
        assert_eq!(loose("\"of the people\" deal"), None);
    }

    /// Quotes where "the" is in every one, "american" in few: with a bank's common-word
    /// threshold lowered to this size, phrases with "the" are searched through the looser
    /// query; the hits, order, scores and pages must be those of the strict plans.
    #[test]
    fn the_looser_query_finds_what_the_strict_one_finds() {
        let mut texts: Vec<(String, i64, &str)> = Vec::new();
        for i in 0..400 {
            let t = match if i < 45 { i % 9 } else { 5 } {
                0 => format!("the american people want a deal number {i}"),
                1 => format!("people american the deal is off {i}"),
                2 => format!("the american the people and the american people {i}"),
                3 => format!("the Zürich view of the american people {i}"),
                4 => format!("l\u{f9}\u{300}the american people deal {i}"),
                _ => format!("the weather was the talk of the day {i}"),
            };
            texts.push((t, 1 + i % 2, if i % 3 == 0 { "nyt" } else { "wapo" }));
        }
        let texts: Vec<(&str, i64, &str)> =
            texts.iter().map(|(t, s, o)| (t.as_str(), *s, *o)).collect();
        let strict = bank(&texts);
        let mut loose = bank(&texts);
        loose.loose_drop_quotes = 20;
        let queries = [
            "\"the american people\"",
            "\"the american people\" deal",
            "deal \"the american\"",
            "\"american the\"",
            "\"the american people\" zurich",
        ];
        let mut loosened = 0;
        for text in queries {
            let m = Matcher::new(text);
            let base = SearchQuery {
                text: Some(text.into()),
                ..Default::default()
            };
            loosened += usize::from(loose.loose_query(&base, &m).unwrap().is_some());
            for (speaker, outlet) in [(None, None), (Some("Jo Smith"), None), (None, Some("nyt"))] {
                for order in [Order::Newest, Order::Relevance] {
                    let q = SearchQuery {
                        speaker: speaker.map(str::to_string),
                        outlet: outlet.map(str::to_string),
                        order,
                        limit: 4,
                        ..base.clone()
                    };
                    let pages = |bank: &Bank| {
                        let mut got = Vec::new();
                        let mut page = q.clone();
                        loop {
                            let p = bank.search(&page).unwrap();
                            got.extend(
                                p.hits
                                    .iter()
                                    .map(|h| (h.quote_id, h.score.map(f64::to_bits))),
                            );
                            match p.next_cursor {
                                Some(c) => page.cursor = Some(c),
                                None => break,
                            }
                        }
                        got
                    };
                    let want = pages(&strict);
                    assert_eq!(pages(&loose), want, "{q:?}");
                    if speaker.is_none() && outlet.is_none() && text != "\"american the\"" {
                        assert!(!want.is_empty(), "{q:?}");
                    }
                }
            }
        }
        assert_eq!(
            loosened, 5,
            "every query has a phrase with \"the\" and a rarer word"
        );
    }

    /// More matches than relevance order ranks (its window), the best-scoring ones the oldest,
    /// and candidates that hold the phrase's rare words near each other but not the phrase:
    /// the looser query (a NEAR group, with a prefix term beside it) ranks the same window,
    /// reads on the same way for a selective filter, and pages the same.
    #[test]
    fn the_looser_query_ranks_the_same_window() {
        let mut texts: Vec<(String, i64, &str)> = Vec::new();
        // "the" and "of" in every quote, eight times as many as "state" and "union".
        for i in 0..28_000 {
            let t = if [0, 7, 14].contains(&i) {
                "state of the union state of the union".to_string()
            } else if i % 7 == 5 && i % 5 == 0 && (2300..2700).contains(&i) {
                // Second best, old enough to be among the last hundred or so of the window
                // (the costly one: "the" is in more than COMMON_TERM_QUOTES quotes).
                format!("state of the union state of the union {i}")
            } else if i >= 3600 {
                format!("the talk of the day {i}")
            } else {
                match i % 5 {
                    0 => format!("the state of the union is strong and getting stronger {i}"),
                    1 => format!("the union and the state of affairs {i}"),
                    2 => format!("in the state of the union speech number {i} he said"),
                    3 => format!("the weather of the day {i}"),
                    _ => format!("state of the union and the state of the union {i}"),
                }
            };
            let outlet = if [0, 7, 14].contains(&i) {
                "tiny"
            } else {
                "big"
            };
            texts.push((t, 1 + i % 2, outlet));
        }
        let texts: Vec<(&str, i64, &str)> =
            texts.iter().map(|(t, s, o)| (t.as_str(), *s, *o)).collect();
        let mut strict = bank(&texts);
        strict.loose_drop_quotes = i64::MAX;
        let mut loose = bank(&texts);
        loose.loose_drop_quotes = 20;
        let matches = texts
            .iter()
            .filter(|(t, _, _)| t.contains("state of the union"))
            .count();
        assert!(matches > RELEVANCE_WINDOW_COSTLY * 3, "{matches}");
        let ids = |p: &SearchPage| -> Vec<(i64, Option<u64>)> {
            p.hits
                .iter()
                .map(|h| (h.quote_id, h.score.map(f64::to_bits)))
                .collect()
        };
        for text in ["\"state of the union\"", "\"state of the union\" stro*"] {
            let m = Matcher::new(text);
            let base = SearchQuery {
                text: Some(text.into()),
                limit: 20,
                ..Default::default()
            };
            let loosened = loose.loose_query(&base, &m).unwrap().expect("loosened");
            assert!(loosened.starts_with("NEAR("), "{loosened}");
            assert_eq!(strict.loose_query(&base, &m).unwrap(), None);
            for outlet in [None, Some("tiny")] {
                for order in [Order::Relevance, Order::Newest] {
                    let mut q = SearchQuery {
                        outlet: outlet.map(str::to_string),
                        order,
                        ..base.clone()
                    };
                    for _page in 0..3 {
                        let want = strict.search(&q).unwrap();
                        let got = loose.search(&q).unwrap();
                        assert_eq!(ids(&got), ids(&want), "{q:?}");
                        assert_eq!(got.next_cursor, want.next_cursor, "{q:?}");
                        match want.next_cursor {
                            Some(c) => q.cursor = Some(c),
                            None => break,
                        }
                    }
                }
            }
            // The looser plan itself, not only what `search` chose.
            let expr = fts_query(text).unwrap().unwrap();
            let relevance = SearchQuery {
                order: Order::Relevance,
                ..base.clone()
            };
            let direct = loose
                .search_loose(
                    &relevance,
                    &m,
                    &expr,
                    &loosened,
                    i64::MIN,
                    i64::MAX,
                    true,
                    0,
                    vec![],
                )
                .unwrap();
            let first = strict.search(&relevance).unwrap();
            assert_eq!(ids(&direct), ids(&first), "{text}");
            // The window bites: the three best quotes are the oldest, outside it, found only
            // when a filter makes relevance order read on.
            let best = strict
                .search(&SearchQuery {
                    outlet: Some("tiny".into()),
                    ..relevance.clone()
                })
                .unwrap();
            if text.contains("stro*") {
                assert!(best.hits.is_empty(), "the short quotes lack the prefix");
                continue;
            }
            assert_eq!(best.hits.len(), 3);
            let worst_best = best
                .hits
                .iter()
                .filter_map(|h| h.score)
                .fold(f64::MIN, f64::max);
            assert!(first
                .hits
                .iter()
                .all(|h| h.outlet.as_deref() == Some("big")));
            // The window's oldest end is ranked: the second best quotes are at its end.
            assert!(
                first.hits[0].text.starts_with("state of the union state "),
                "{:?}",
                first.hits[0].text
            );
            assert!(
                first.hits.iter().all(|h| h.score.unwrap() > worst_best),
                "ranked outside the window"
            );
        }
        // However common a word is next to the rarest, it is dropped only when in more quotes
        // than the bank's threshold.
        let (the, of) = (loose.word_df("the").unwrap(), loose.word_df("of").unwrap());
        let q = SearchQuery {
            text: Some("\"state of the union\"".into()),
            ..Default::default()
        };
        let m = Matcher::new("\"state of the union\"");
        loose.loose_drop_quotes = the.max(of);
        assert_eq!(loose.loose_query(&q, &m).unwrap(), None);
        loose.loose_drop_quotes = the.min(of) - 1;
        assert!(loose.loose_query(&q, &m).unwrap().is_some());
    }

    /// Merging a speaker's quote ids with the index matches finds what reading the speaker's
    /// quotes finds (the quotes the two split differently included), page by page and within
    /// date bounds.
    #[test]
    fn merged_matching_finds_what_driving_finds() {
        let bank = bank(&TEXTS);
        for text in QUERIES {
            let m = Matcher::new(text);
            let expr = fts_query(text).unwrap().unwrap();
            for speaker in [1, 2] {
                for (lo, hi) in [
                    (i64::MIN, i64::MAX),
                    (
                        crate::dates::quote_id(15_002, 0),
                        crate::dates::quote_id(15_005, 0),
                    ),
                ] {
                    for limit in [1, 2, 50] {
                        let q = SearchQuery {
                            text: Some(text.into()),
                            limit,
                            ..Default::default()
                        };
                        let who = vec![SpeakerRef {
                            id: speaker,
                            name: String::new(),
                        }];
                        let ids = |p: SearchPage| -> Vec<i64> {
                            p.hits.iter().map(|h| h.quote_id).collect()
                        };
                        let driven = bank
                            .search_driven(
                                &q,
                                &m,
                                lo,
                                hi,
                                " AND q.speaker_id IN (?)",
                                vec![SqlValue::Integer(speaker)],
                                false,
                                0,
                                who.clone(),
                            )
                            .unwrap();
                        let merged = bank
                            .search_merged(&q, &expr, lo, hi, who, Some(&m))
                            .unwrap();
                        assert_eq!(driven.next_cursor, merged.next_cursor, "{text}");
                        assert_eq!(ids(driven), ids(merged), "{text} {speaker} {limit}");
                    }
                }
            }
        }
    }
}
