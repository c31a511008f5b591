//! Integration tests over real temporary databases.

use rusqlite::OptionalExtension;
use std::path::Path;
use std::time::{Duration, Instant};
use verbatim::{Kind, Quote, Setting, Span};
use verbatim_bank::{
    format_hits_table, hits_to_jsonl, Alias, Bank, Error, Hit, IngestOptions, NewDocument, Order,
    SearchQuery, SpeakerListQuery,
};

mod common;

use common::TempDb;

// ---------------------------------------------------------------------------------------------
// Helpers

fn opts() -> IngestOptions {
    IngestOptions {
        jobs: 2,
        batch_size: 50,
        ..IngestOptions::default()
    }
}

fn doc(id: &str, outlet: &str, date: &str, text: &str) -> NewDocument {
    NewDocument {
        outlet: Some(outlet.into()),
        date: Some(date.into()),
        title: Some(format!("{outlet} story {id}")),
        url: Some(format!("https://{outlet}.example/{id}")),
        ..NewDocument::new(id, text)
    }
}

fn find(text: &str, needle: &str) -> Span {
    let s = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    Span::new(s, s + needle.len())
}

/// A hand-made quote: `content` and `source` are found in `text`.
fn quote(text: &str, content: &str, source: &str, speaker: Option<&str>) -> Quote {
    Quote {
        kind: Kind::Direct,
        source: if source.is_empty() {
            vec![]
        } else {
            vec![find(text, source)]
        },
        cue: vec![],
        content: vec![find(text, content)],
        speaker: speaker.map(str::to_string),
        addressee: None,
        setting: Setting::Unknown,
        confidence: 0.9,
    }
}

/// A document with one quote: `SOURCE said "CONTENT"` plus optional context sentences.
fn said(
    id: &str,
    outlet: &str,
    date: &str,
    context: &str,
    source: &str,
    content: &str,
) -> (NewDocument, Vec<Quote>) {
    let text = format!("{context} {source} said: \u{201C}{content}\u{201D} The end.");
    let full = format!("\u{201C}{content}\u{201D}");
    let q = quote(&text, &full, source, Some(source));
    (doc(id, outlet, date, &text), vec![q])
}

fn ingest(bank: &mut Bank, docs: Vec<(NewDocument, Vec<Quote>)>) -> verbatim_bank::IngestReport {
    bank.ingest_extracted(docs, &opts(), None).expect("ingest")
}

fn speaker_of(bank: &Bank, doc_id: &str) -> Option<String> {
    let d = bank.document(doc_id).unwrap().expect("document");
    d.quotes[0].speaker.as_ref().map(|s| s.name.clone())
}

fn speaker_id_of(bank: &Bank, doc_id: &str) -> Option<i64> {
    let d = bank.document(doc_id).unwrap().expect("document");
    d.quotes[0].speaker.as_ref().map(|s| s.id)
}

fn cluster_of(bank: &Bank, doc_id: &str) -> i64 {
    let d = bank.document(doc_id).unwrap().expect("document");
    d.quotes[0].cluster_id.expect("clustered")
}

fn example_text() -> String {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/obama-medvedev-open-mic.txt");
    std::fs::read_to_string(p).expect("the bundled example article")
}

/// PolNeAR dev articles, or `None` (skip) when the shared data is absent outside CI.
fn polnear_dev(n: usize) -> Option<Vec<NewDocument>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev.jsonl");
    let Ok(data) = std::fs::read_to_string(&p) else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{} is missing in CI", p.display());
        }
        eprintln!("skipped: {} not found", p.display());
        return None;
    };
    Some(
        data.lines()
            .take(n)
            .map(|l| NewDocument::from_json(l).expect("PolNeAR line"))
            .collect(),
    )
}

fn all_hits(bank: &Bank, mut q: SearchQuery) -> Vec<Hit> {
    let mut out = Vec::new();
    loop {
        let page = bank.search(&q).expect("search");
        out.extend(page.hits);
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => return out,
        }
    }
}

/// The per-speaker totals kept at ingest (`speaker_outlets`, `speaker_months`, the outlet ×
/// month `speaker_stats` they are sums of, and `speaker_spellings`) equal a recount of the
/// quotes.
fn assert_totals_are_recounts(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let rows = |sql: &str| -> Vec<(i64, String, i64)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let recount = |key: &str| {
        rows(&format!(
            "SELECT speaker_id, {key}, count(*) FROM quotes WHERE speaker_id IS NOT NULL
             GROUP BY 1, 2 ORDER BY 1, 2"
        ))
    };
    let outlet = "coalesce(outlet, '')";
    let month = "coalesce(substr(published, 1, 7), '')";
    assert_eq!(
        rows("SELECT speaker_id, outlet, n FROM speaker_outlets ORDER BY 1, 2"),
        recount(outlet),
        "speaker_outlets"
    );
    assert_eq!(
        rows("SELECT speaker_id, month, n FROM speaker_months ORDER BY 1, 2"),
        recount(month),
        "speaker_months"
    );
    assert_eq!(
        rows("SELECT speaker_id, outlet || ' ' || month, n FROM speaker_stats ORDER BY 1, 2"),
        recount(&format!("{outlet} || ' ' || {month}")),
        "speaker_stats"
    );
    assert_eq!(
        rows("SELECT speaker_id, spelling, n FROM speaker_spellings ORDER BY 1, 2"),
        recount("coalesce(speaker_raw, '')"),
        "speaker_spellings"
    );
}

// ---------------------------------------------------------------------------------------------
// Ingest

#[test]
fn fts5_is_available_and_wal_is_on() {
    let db = TempDb::new("wal");
    let bank = Bank::open(db.path()).unwrap();
    assert_eq!(
        bank.schema_version().unwrap(),
        verbatim_bank::schema::CURRENT
    );
    drop(bank);
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fts: i64 = conn
        .query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fts, 1, "the bundled SQLite has FTS5");
}

#[test]
fn data_version_changes_when_another_connection_commits() {
    let db = TempDb::new("data-version");
    let mut writer = Bank::open(db.path()).unwrap();
    let reader = Bank::open_read_only(db.path()).unwrap();
    let v0 = reader.data_version().unwrap();
    assert_eq!(reader.data_version().unwrap(), v0, "nothing committed");
    ingest(
        &mut writer,
        vec![said(
            "a",
            "nyt",
            "2016-01-01",
            "",
            "Jane Doe",
            "We will win",
        )],
    );
    let v1 = reader.data_version().unwrap();
    assert_ne!(v1, v0, "the writer committed");
    assert_eq!(reader.data_version().unwrap(), v1);
    assert!(writer.delete_document("a").unwrap());
    assert_ne!(reader.data_version().unwrap(), v1);
}

/// Dates as news metadata writes them are stored as YYYY-MM-DD; a month alone is refused
/// with a reason, and the rest of the batch is stored.
#[test]
fn dates_in_other_forms_are_stored_as_iso() {
    let db = TempDb::new("dates");
    let mut bank = Bank::open(db.path()).unwrap();
    let text = "\u{201C}Taxes will fall,\u{201D} said John Roe.";
    let docs = vec![
        doc("rss", "bbc", "Mon, 26 Mar 2012 10:00:00 +0000", text),
        doc("ap", "ap", "Sept. 1, 2016", text),
        doc("gdelt", "x", "20160901103000", text),
        doc("month", "y", "2016-09", text),
    ];
    let r = bank.ingest_documents(docs, &opts(), None).unwrap();
    assert_eq!(r.inserted, 3, "{r:?}");
    assert_eq!(r.rejected.len(), 1, "{r:?}");
    assert_eq!(r.rejected[0].id, "month");
    assert!(
        r.rejected[0]
            .reason
            .contains("a month or a year is not a date"),
        "{r:?}"
    );
    let date = |id: &str| bank.document(id).unwrap().unwrap().date;
    assert_eq!(date("rss").as_deref(), Some("2012-03-26"));
    assert_eq!(date("ap").as_deref(), Some("2016-09-01"));
    assert_eq!(date("gdelt").as_deref(), Some("2016-09-01"));
    // The same date written another way is the same document.
    let again = bank
        .ingest_documents(vec![doc("rss", "bbc", "2012-03-26", text)], &opts(), None)
        .unwrap();
    assert_eq!(again.unchanged, 1, "{again:?}");
}

#[test]
fn real_article_ingest_then_reingest_is_a_no_op() {
    let db = TempDb::new("example");
    let mut bank = Bank::open(db.path()).unwrap();
    let text = example_text();
    let d = doc("obama-medvedev-open-mic", "bbc", "2012-03-26", &text);
    let r1 = bank
        .ingest_documents(vec![d.clone()], &opts(), None)
        .unwrap();
    assert_eq!((r1.seen, r1.inserted, r1.unchanged), (1, 1, 0), "{r1:?}");
    assert!(r1.quotes_added >= 3, "{r1:?}");
    let view = bank.document("obama-medvedev-open-mic").unwrap().unwrap();
    assert_eq!(view.text, text);
    let chars: Vec<char> = text.chars().collect();
    for q in &view.quotes {
        for s in q.content.iter().chain(&q.source).chain(&q.cue) {
            let by_cp: String = chars[s.start..s.end].iter().collect();
            assert_eq!(by_cp, s.text, "spans are code points into the text");
        }
    }
    assert!(
        view.quotes.iter().any(|q| q
            .content
            .iter()
            .any(|c| c.text.contains("more flexibility"))),
        "{view:#?}"
    );
    let stats1 = bank.stats().unwrap();
    assert_totals_are_recounts(db.path());

    // Same id, same content: nothing happens (and nothing is re-extracted).
    let mut seen = Vec::new();
    let mut cb = |p: &verbatim_bank::IngestProgress| seen.push(p.done);
    let r2 = bank
        .ingest_documents(vec![d], &opts(), Some(&mut cb))
        .unwrap();
    assert_eq!(
        (r2.seen, r2.inserted, r2.replaced, r2.unchanged),
        (1, 0, 0, 1),
        "{r2:?}"
    );
    assert_eq!(r2.quotes_added, 0);
    assert_eq!(bank.stats().unwrap(), stats1);
    assert_eq!(seen.last(), Some(&1), "progress reports the end");
    assert_totals_are_recounts(db.path());
}

/// A bank keeps what made each document's quotes: re-ingesting after an upgrade (here: an
/// engine with another cue bias, then stored rows edited to look older) extracts again,
/// replacing the quotes that differ and keeping those that do not, with their ids.
#[test]
fn a_document_stored_by_another_engine_is_extracted_again() {
    let db = TempDb::new("engine");
    let mut bank = Bank::open(db.path()).unwrap();
    let text = example_text();
    let d = doc("obama-medvedev-open-mic", "bbc", "2012-03-26", &text);
    let engine = |path: &Path| -> (Option<String>, Option<String>) {
        let c = rusqlite::Connection::open(path).unwrap();
        c.query_row("SELECT engine, quotes_digest FROM documents", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
    };
    let set = |path: &Path, sql: &str| {
        rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    };
    let ids = |bank: &Bank| -> Vec<i64> {
        let view = bank.document("obama-medvedev-open-mic").unwrap().unwrap();
        view.quotes.iter().map(|q| q.id).collect()
    };

    // An engine that finds fewer cues stands for an older one.
    let timid = verbatim::Extractor::new().with_cue_bias(-200.0);
    let r = bank
        .ingest_documents_with(&timid, vec![d.clone()], &opts(), None)
        .unwrap();
    assert_eq!((r.inserted, r.reextracted), (1, 0), "{r:?}");
    let timid_quotes = r.quotes_added;
    assert_eq!(engine(db.path()).0, Some(timid.fingerprint()));

    // The current engine finds more: the document is extracted again and its quotes replaced.
    let current = verbatim::Extractor::new();
    let r = bank
        .ingest_documents_with(&current, vec![d.clone()], &opts(), None)
        .unwrap();
    assert_eq!((r.replaced, r.unchanged, r.reextracted), (1, 0, 1), "{r:?}");
    assert_eq!(r.quotes_removed, timid_quotes, "{r:?}");
    assert!(r.quotes_added > timid_quotes, "{r:?}");
    assert!(r.to_string().contains("1 stored by another engine"), "{r}");
    assert_eq!(engine(db.path()).0, Some(current.fingerprint()));
    let first_ids = ids(&bank);
    assert_totals_are_recounts(db.path());

    // The same engine again: nothing done.
    let r = bank
        .ingest_documents_with(&current, vec![d.clone()], &opts(), None)
        .unwrap();
    assert_eq!(
        (r.unchanged, r.reextracted, r.quotes_added),
        (1, 0, 0),
        "{r:?}"
    );

    // Another engine whose quotes come out the same, or a row from before version 10
    // (neither column: its quotes are read back to compare): the quotes keep their ids.
    for stale in [
        "UPDATE documents SET engine = 'verbatim 0.0.1+0 models 0'",
        "UPDATE documents SET engine = NULL, quotes_digest = NULL",
    ] {
        set(db.path(), stale);
        let r = bank
            .ingest_documents_with(&current, vec![d.clone()], &opts(), None)
            .unwrap();
        assert_eq!(
            (r.unchanged, r.replaced, r.reextracted, r.quotes_added),
            (1, 0, 1, 0),
            "{stale}: {r:?}"
        );
        assert_eq!(ids(&bank), first_ids, "{stale}");
        let (e, digest) = engine(db.path());
        assert_eq!(e, Some(current.fingerprint()), "{stale}");
        assert!(digest.is_some_and(|h| h.len() == 32), "{stale}");
    }

    // Another engine and a new title at once: the quotes the new engine finds replace the old.
    bank.ingest_documents_with(&timid, vec![d.clone()], &opts(), None)
        .unwrap();
    let retitled = NewDocument {
        title: Some("Obama tells Medvedev".into()),
        ..d
    };
    let r = bank
        .ingest_documents_with(&current, vec![retitled], &opts(), None)
        .unwrap();
    assert_eq!((r.replaced, r.reextracted), (1, 1), "{r:?}");
    assert_eq!(
        (r.quotes_removed, r.quotes_added),
        (timid_quotes, first_ids.len()),
        "{r:?}"
    );
    assert_totals_are_recounts(db.path());
}

/// Quotes the caller gives are compared with the stored ones: new ones replace them, with or
/// without a new title.
#[test]
fn given_quotes_that_changed_replace_the_stored_ones() {
    let db = TempDb::new("given");
    let mut bank = Bank::open(db.path()).unwrap();
    let remark = "We will not allow the embassy to be moved before the talks are over";
    // One text; the caller's quote names one of the three people in it.
    let by = |speaker: &str, title: &str| {
        let met = "Alice Doe, Bob Roe and Carol Poe met.";
        let (mut d, _) = said("a", "nyt", "2016-01-01", met, "Alice Doe", remark);
        d.title = Some(title.into());
        let full = format!("\u{201C}{remark}\u{201D}");
        let q = quote(&d.text, &full, speaker, Some(speaker));
        (d, vec![q])
    };
    ingest(&mut bank, vec![by("Alice Doe", "Draft")]);
    assert_eq!(speaker_of(&bank, "a").as_deref(), Some("Alice Doe"));
    let r = ingest(&mut bank, vec![by("Alice Doe", "Draft")]);
    assert_eq!((r.unchanged, r.quotes_added), (1, 0), "{r:?}");
    let r = ingest(&mut bank, vec![by("Bob Roe", "Draft")]);
    assert_eq!((r.replaced, r.reextracted), (1, 0), "{r:?}");
    assert_eq!(speaker_of(&bank, "a").as_deref(), Some("Bob Roe"));
    let r = ingest(&mut bank, vec![by("Carol Poe", "Final")]);
    assert_eq!((r.replaced, r.quotes_added), (1, 1), "{r:?}");
    assert_eq!(speaker_of(&bank, "a").as_deref(), Some("Carol Poe"));
    assert_totals_are_recounts(db.path());
}

#[test]
fn changed_content_replaces_quotes_and_repairs_clusters_and_counts() {
    let db = TempDb::new("replace");
    let mut bank = Bank::open(db.path()).unwrap();
    let remark = "We will not allow the embassy to be moved before the talks are over";
    let other = "The economy is growing faster than anyone expected this year";
    ingest(
        &mut bank,
        vec![
            said("a", "nyt", "2016-01-01", "", "Jane Doe", remark),
            said("b", "wapo", "2016-01-02", "", "Jane Doe", remark),
        ],
    );
    assert_eq!(cluster_of(&bank, "a"), cluster_of(&bank, "b"));
    let c = bank.cluster(cluster_of(&bank, "a")).unwrap().unwrap();
    assert_eq!(c.size, 2);
    let jane = speaker_id_of(&bank, "a").unwrap();
    assert_eq!(bank.speaker(jane).unwrap().unwrap().summary.quote_count, 2);
    assert_totals_are_recounts(db.path());

    // Document b changes: a different remark by someone else.
    let r = ingest(
        &mut bank,
        vec![said("b", "wapo", "2016-01-02", "", "John Roe", other)],
    );
    assert_eq!(
        (r.replaced, r.quotes_removed, r.quotes_added),
        (1, 1, 1),
        "{r:?}"
    );
    let ca = bank.cluster(cluster_of(&bank, "a")).unwrap().unwrap();
    assert_eq!(ca.size, 1, "the cluster lost b's quote");
    assert_ne!(cluster_of(&bank, "a"), cluster_of(&bank, "b"));
    let jane_d = bank.speaker(jane).unwrap().unwrap();
    assert_eq!(jane_d.summary.quote_count, 1);
    assert_eq!(jane_d.summary.by_outlet.len(), 1);
    assert_eq!(jane_d.summary.by_outlet[0].key, "nyt");
    assert_totals_are_recounts(db.path());
    let hits = all_hits(
        &bank,
        SearchQuery {
            text: Some("embassy".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        hits.len(),
        1,
        "the old quote is gone from the full-text index"
    );
    let hits = all_hits(
        &bank,
        SearchQuery {
            text: Some("economy".into()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].document_id, "b");
    assert_eq!(bank.stats().unwrap().quotes, 2);

    // Metadata-only change (date) counts as a change too.
    let r = ingest(
        &mut bank,
        vec![said("b", "wapo", "2016-02-02", "", "John Roe", other)],
    );
    assert_eq!(r.replaced, 1);
    assert_eq!(
        bank.document("b").unwrap().unwrap().date.as_deref(),
        Some("2016-02-02")
    );
    assert_totals_are_recounts(db.path());
    let john = speaker_id_of(&bank, "b").unwrap();
    let months = |bank: &Bank, id| {
        let s = bank.speaker(id).unwrap().unwrap().summary;
        s.by_month
            .into_iter()
            .map(|c| (c.key, c.n))
            .collect::<Vec<_>>()
    };
    assert_eq!(months(&bank, john), [("2016-02".to_string(), 1)]);
    assert!(bank.delete_document("b").unwrap());
    assert!(!bank.delete_document("b").unwrap());
    assert_eq!(bank.stats().unwrap().quotes, 1);
    assert_totals_are_recounts(db.path());
    assert_eq!(months(&bank, john), []);
    assert_eq!(months(&bank, jane), [("2016-01".to_string(), 1)]);
}

#[test]
fn bad_documents_are_rejected_not_fatal() {
    let db = TempDb::new("reject");
    let mut bank = Bank::open(db.path()).unwrap();
    let good = said(
        "ok",
        "nyt",
        "2016-01-01",
        "",
        "Jane Doe",
        "all good here today folks",
    );
    let bad_date = said("bad-date", "nyt", "2016-02-30", "", "Jane Doe", "a remark");
    let empty_id = said("", "nyt", "2016-01-01", "", "Jane Doe", "a remark");
    let (d, mut qs) = said("bad-span", "nyt", "2016-01-01", "", "Jane Doe", "a remark");
    qs[0].content[0] = Span::new(0, d.text.len() + 10);
    let r = ingest(&mut bank, vec![good, bad_date, empty_id, (d, qs)]);
    assert_eq!(r.inserted, 1);
    let reasons: Vec<&str> = r.rejected.iter().map(|x| x.reason.as_str()).collect();
    assert_eq!(r.rejected.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("YYYY-MM-DD"), "{reasons:?}");
    assert!(reasons[1].contains("empty document id"));
    assert!(reasons[2].contains("span"));

    assert!(NewDocument::from_json("{\"id\": 1}").is_err());
    assert!(NewDocument::from_json("[1]").is_err());
    let d = NewDocument::from_json(
        r#"{"id": 7, "text": "t", "publisher": "nyt", "date": "2016-01-01", "extra": [1]}"#,
    )
    .unwrap();
    assert_eq!((d.id.as_str(), d.outlet.as_deref()), ("7", Some("nyt")));
}

// ---------------------------------------------------------------------------------------------
// Speakers

#[test]
fn obama_mentions_link_to_one_entity() {
    let db = TempDb::new("obama");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "full",
                "bbc",
                "2012-03-26",
                "",
                "President Barack Obama",
                "this is my last election",
            ),
            // "Mr Obama" in a document that names Barack Obama: linked by the document.
            said(
                "doc",
                "cnn",
                "2012-03-27",
                "Barack Obama met Dmitry Medvedev.",
                "Mr Obama",
                "after my election I have more flexibility",
            ),
            // A bare "Obama" with no full name in the document: unique in the bank.
            said(
                "bank",
                "fox",
                "2012-03-28",
                "Nothing else here.",
                "Obama",
                "space for you and for me",
            ),
            said(
                "title",
                "abc",
                "2012-03-29",
                "",
                "President Obama",
                "we need space on missile defence",
            ),
            said(
                "possessive",
                "abc",
                "2012-03-30",
                "",
                "Obama\u{2019}s",
                "it is clearly not a year for it",
            ),
        ],
    );
    let id = speaker_id_of(&bank, "full").unwrap();
    for d in ["doc", "bank", "title", "possessive"] {
        assert_eq!(speaker_id_of(&bank, d), Some(id), "{d}");
    }
    let detail = bank.speaker(id).unwrap().unwrap();
    assert_eq!(detail.summary.name, "Barack Obama");
    assert_eq!(detail.summary.quote_count, 5);
    assert_eq!(detail.summary.by_outlet.len(), 4);
    assert_eq!(detail.summary.by_month.len(), 1);
    assert_eq!(detail.summary.by_month[0].key, "2012-03");
    assert!(detail.spellings.iter().any(|s| s.key == "Mr Obama"));
    // The search filter finds them by full name, surname or id.
    for name in ["Barack Obama", "Obama", "obama", &id.to_string()] {
        let hits = all_hits(
            &bank,
            SearchQuery {
                speaker: Some(name.into()),
                ..Default::default()
            },
        );
        assert_eq!(hits.len(), 5, "{name}");
    }
}

#[test]
fn clintons_and_bushes_are_never_merged() {
    let db = TempDb::new("clinton");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "bill",
                "nyt",
                "2016-07-01",
                "",
                "Bill Clinton",
                "I met her in the spring of 1971",
            ),
            said(
                "hillary",
                "nyt",
                "2016-07-02",
                "",
                "Hillary Clinton",
                "we are stronger together as a nation",
            ),
            // The document mentions both, equally: a bare Clinton stays unlinked.
            said(
                "both",
                "wapo",
                "2016-07-03",
                "Bill Clinton spoke before Hillary Clinton did.",
                "Clinton",
                "it was a wonderful night for us all",
            ),
            // The document mentions only Hillary: linked to her.
            said(
                "only-h",
                "wapo",
                "2016-07-04",
                "Hillary Clinton toured Ohio.",
                "Mrs. Clinton",
                "jobs are coming back to this state",
            ),
            // No evidence in the document and two Clintons in the bank: unlinked.
            said(
                "none",
                "fox",
                "2016-07-05",
                "A rally was held.",
                "Clinton",
                "we will keep fighting for you",
            ),
            said(
                "gb",
                "nyt",
                "2004-01-01",
                "",
                "George Bush",
                "read my lips no new taxes ever",
            ),
            said(
                "gwb",
                "nyt",
                "2004-01-02",
                "",
                "George W. Bush",
                "mission accomplished on this day",
            ),
            said(
                "bush",
                "nyt",
                "2004-01-03",
                "Nothing here.",
                "Bush",
                "I am the decider in this house",
            ),
        ],
    );
    let bill = speaker_id_of(&bank, "bill").unwrap();
    let hillary = speaker_id_of(&bank, "hillary").unwrap();
    assert_ne!(bill, hillary);
    let both = speaker_id_of(&bank, "both").unwrap();
    assert!(both != bill && both != hillary);
    assert_eq!(speaker_of(&bank, "both").as_deref(), Some("Clinton"));
    let d = bank.document("both").unwrap().unwrap();
    assert_eq!(d.quotes[0].speaker_link.as_deref(), Some("ambiguous"));
    assert_eq!(speaker_id_of(&bank, "only-h"), Some(hillary));
    let none = speaker_id_of(&bank, "none").unwrap();
    assert!(none != bill && none != hillary);
    let gb = speaker_id_of(&bank, "gb").unwrap();
    let gwb = speaker_id_of(&bank, "gwb").unwrap();
    assert_ne!(gb, gwb);
    let bush = speaker_id_of(&bank, "bush").unwrap();
    assert!(bush != gb && bush != gwb);
    assert_eq!(bank.speaker(bill).unwrap().unwrap().summary.quote_count, 1);
    assert_eq!(
        bank.speaker(hillary).unwrap().unwrap().summary.quote_count,
        2
    );
    // An ambiguous surname never gets relinked later.
    bank.relink_speakers().unwrap();
    assert_eq!(speaker_id_of(&bank, "none"), Some(none));
    // A full-name filter is exact; a surname filter covers all Clintons.
    let h = all_hits(
        &bank,
        SearchQuery {
            speaker: Some("Hillary Clinton".into()),
            ..Default::default()
        },
    );
    assert_eq!(h.len(), 2);
    let all = all_hits(
        &bank,
        SearchQuery {
            speaker: Some("Clinton".into()),
            ..Default::default()
        },
    );
    assert_eq!(all.len(), 5);
    let gwb_hits = all_hits(
        &bank,
        SearchQuery {
            speaker: Some("George W. Bush".into()),
            ..Default::default()
        },
    );
    assert_eq!(gwb_hits.len(), 1);
}

/// "State Department" and "Justice Department" were both "Department", and the two national
/// committees one speaker, when title words were stripped from organisations' names.
#[test]
fn organisations_are_not_merged_by_their_last_word() {
    let db = TempDb::new("orgs");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "state",
                "nyt",
                "2016-07-01",
                "",
                "State Department",
                "the visa was revoked last week",
            ),
            said(
                "justice",
                "nyt",
                "2016-07-02",
                "",
                "the Justice Department",
                "no charges will be brought",
            ),
            said(
                "dnc",
                "wapo",
                "2016-07-03",
                "",
                "Democratic National Committee",
                "our servers were breached",
            ),
            said(
                "rnc",
                "wapo",
                "2016-07-04",
                "",
                "Republican National Committee",
                "we were never hacked at all",
            ),
            // A bare head noun, even in a document that names the organisation, and a day.
            said(
                "bare",
                "fox",
                "2016-07-05",
                "The State Department was asked.",
                "Department",
                "we have nothing to add",
            ),
            said(
                "day",
                "fox",
                "2016-07-06",
                "A poll came out.",
                "Thursday",
                "most voters are undecided",
            ),
        ],
    );
    let ids: Vec<i64> = ["state", "justice", "dnc", "rnc"]
        .iter()
        .map(|d| speaker_id_of(&bank, d).unwrap())
        .collect();
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{ids:?}");
    assert_eq!(
        speaker_of(&bank, "state").as_deref(),
        Some("State Department")
    );
    assert_eq!(
        speaker_of(&bank, "justice").as_deref(),
        Some("Justice Department")
    );
    assert_eq!(
        speaker_of(&bank, "rnc").as_deref(),
        Some("Republican National Committee")
    );
    assert_eq!(speaker_of(&bank, "bare"), None);
    assert_eq!(speaker_of(&bank, "day"), None);
    // The raw speaker is kept, and a search by the organisation finds its quote alone.
    let d = bank.document("bare").unwrap().unwrap();
    assert_eq!(d.quotes[0].speaker_raw.as_deref(), Some("Department"));
    let hits = all_hits(
        &bank,
        SearchQuery {
            speaker: Some("state department".into()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len(), 1);
}

/// Barack Obama written as president, and Michelle Obama as first lady.
fn the_obamas() -> Vec<(NewDocument, Vec<Quote>)> {
    vec![
        said(
            "bo",
            "ap",
            "2016-01-01",
            "President Barack Obama spoke first.",
            "Barack Obama",
            "we will get this done together",
        ),
        said(
            "mo",
            "ap",
            "2016-01-02",
            "First Lady Michelle Obama visited.",
            "Michelle Obama",
            "when they go low we go high",
        ),
    ]
}

/// A bare surname linked later to the one full name (`pending` → `bank`) gives its cluster
/// that speaker too: a cluster under a bare surname would take anyone of that name.
#[test]
fn a_relinked_surname_gives_its_cluster_the_full_name() {
    let db = TempDb::new("pending-cluster");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "k1",
                "ap",
                "2016-03-01",
                "A rally.",
                "Kasich",
                "we will balance the budget again",
            ),
            said(
                "k2",
                "ap",
                "2016-03-02",
                "",
                "John Kasich",
                "Ohio is doing very well now",
            ),
        ],
    );
    let d = bank.document("k1").unwrap().unwrap();
    assert_eq!(d.quotes[0].speaker_link.as_deref(), Some("bank"));
    let john = speaker_id_of(&bank, "k2").unwrap();
    assert_eq!(speaker_id_of(&bank, "k1"), Some(john));
    let cluster = cluster_of(&bank, "k1");
    drop(bank);
    let speaker: Option<i64> = rusqlite::Connection::open(db.path())
        .unwrap()
        .query_row(
            "SELECT speaker_id FROM clusters WHERE id = ?1",
            [cluster],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(speaker, Some(john));
}

/// A bare surname shared by several people is linked by the office its document gives it,
/// when the bank has seen exactly one of them with that office; otherwise it stays ambiguous.
#[test]
fn an_office_tells_people_of_one_surname_apart() {
    let db = TempDb::new("roles");
    let mut bank = Bank::open(db.path()).unwrap();
    let link = |bank: &Bank, id: &str| {
        let d = bank.document(id).unwrap().unwrap();
        d.quotes[0].speaker_link.clone()
    };
    ingest(&mut bank, the_obamas());
    let barack = speaker_id_of(&bank, "bo").unwrap();
    let michelle = speaker_id_of(&bank, "mo").unwrap();
    ingest(
        &mut bank,
        vec![
            // The document calls him "President Obama" and names no Obama in full.
            said(
                "nyt1",
                "nyt",
                "2016-02-01",
                "President Obama met them.",
                "Obama",
                "the economy is stronger now",
            ),
            // "Mrs. Obama" beside "President Obama": either may be quoted.
            said(
                "nyt2",
                "nyt",
                "2016-02-02",
                "Mrs. Obama and President Obama came.",
                "Obama",
                "thank you all for coming",
            ),
            // No office at all.
            said(
                "plain",
                "nyt",
                "2016-02-03",
                "A rally was held.",
                "Obama",
                "yes we can and we will",
            ),
            // Two Clintons named equally: the quote's own office picks one, from the document.
            said(
                "c1",
                "wapo",
                "2016-02-04",
                "Secretary Hillary Clinton met former President Bill Clinton.",
                "President Clinton",
                "I feel your pain today",
            ),
            said(
                "c2",
                "wapo",
                "2016-02-05",
                "Secretary Hillary Clinton met former President Bill Clinton.",
                "Clinton",
                "we are stronger together",
            ),
        ],
    );
    assert_eq!(speaker_id_of(&bank, "nyt1"), Some(barack));
    assert_eq!(link(&bank, "nyt1").as_deref(), Some("role"));
    for id in ["nyt2", "plain"] {
        let s = speaker_id_of(&bank, id).unwrap();
        assert!(s != barack && s != michelle, "{id}");
        assert_eq!(link(&bank, id).as_deref(), Some("ambiguous"), "{id}");
    }
    let bill = bank.find_speakers("Bill Clinton").unwrap();
    assert_eq!(speaker_id_of(&bank, "c1"), Some(bill[0].id));
    assert_eq!(link(&bank, "c1").as_deref(), Some("role"));
    assert_eq!(link(&bank, "c2").as_deref(), Some("ambiguous"));
    ingest(
        &mut bank,
        vec![
            said("w", "ap", "2004-01-01", "President George W. Bush spoke.", "George W. Bush", "mission accomplished today"),
            said("hw", "ap", "1990-01-01", "A veteran, George H. W. Bush, spoke.", "George H. W. Bush", "read my lips no new taxes"),
            // Only George W. Bush was written as president, but nothing is known of George
            // H. W. Bush: the office proves nothing.
            said("pb", "ap", "1990-06-01", "President Bush signed it.", "Bush", "this is a good day"),
            // "Mr." chooses between a man and a woman the document names equally.
            said("mr", "ap", "2016-03-01", "Secretary Hillary Clinton and former President Bill Clinton came. Mr. Clinton spoke.", "Mr. Clinton", "it is good to be here"),
            // Not between two men.
            said("mr2", "ap", "2016-03-02", "George W. Bush and George H. W. Bush came. Mr. Bush spoke.", "Mr. Bush", "it is good to be back"),
        ],
    );
    assert_eq!(link(&bank, "pb").as_deref(), Some("ambiguous"));
    assert_eq!(speaker_id_of(&bank, "mr"), Some(bill[0].id));
    assert_eq!(link(&bank, "mr").as_deref(), Some("role"));
    assert_eq!(link(&bank, "mr2").as_deref(), Some("ambiguous"));
}

/// "Mr. Obama" is never Michelle Obama, even where she is the only Obama the document names
/// in full; "President Obama" there is the Obama the bank knows as president; "Mrs. Clinton"
/// is not Bill Clinton. A title that fits nobody the bank knows links no one (ambiguous).
#[test]
fn a_title_keeps_a_man_and_a_woman_of_one_surname_apart() {
    let db = TempDb::new("titles");
    let mut bank = Bank::open(db.path()).unwrap();
    let link = |bank: &Bank, id: &str| {
        let d = bank.document(id).unwrap().unwrap();
        d.quotes[0].speaker_link.clone()
    };
    ingest(&mut bank, the_obamas());
    let barack = speaker_id_of(&bank, "bo").unwrap();
    let michelle = speaker_id_of(&bank, "mo").unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "mr",
                "nyt",
                "2016-09-19",
                "Michelle Obama campaigned in Ohio.",
                "Mr. Obama",
                "my name may not be on the ballot",
            ),
            said(
                "pres",
                "nyt",
                "2016-09-20",
                "Michelle Obama campaigned in Ohio.",
                "President Obama",
                "our progress is on the ballot",
            ),
            said(
                "b",
                "ap",
                "2016-01-03",
                "",
                "Bill Clinton",
                "it depends on what is is",
            ),
            said(
                "h",
                "ap",
                "2016-01-04",
                "",
                "Hillary Clinton",
                "we are stronger together",
            ),
        ],
    );
    ingest(
        &mut bank,
        vec![
            // Bill Clinton is the only Clinton the document names in full.
            said(
                "mrs",
                "nyt",
                "2016-09-21",
                "Bill Clinton campaigned in Ohio.",
                "Mrs. Clinton",
                "I am with her on this",
            ),
            // Michelle Obama is the document's Obama and nothing contradicts it.
            said(
                "doc",
                "nyt",
                "2016-09-22",
                "Michelle Obama campaigned in Ohio.",
                "Obama",
                "this is not normal",
            ),
            said(
                "k",
                "ap",
                "2016-03-01",
                "",
                "John Kasich",
                "Ohio is doing very well now",
            ),
            said(
                "mrsk",
                "ap",
                "2016-03-02",
                "A rally.",
                "Mrs. Kasich",
                "he is a good man",
            ),
        ],
    );
    assert_eq!(speaker_id_of(&bank, "mr"), Some(barack));
    assert_eq!(link(&bank, "mr").as_deref(), Some("role"));
    assert_eq!(speaker_id_of(&bank, "pres"), Some(barack));
    assert_eq!(link(&bank, "pres").as_deref(), Some("role"));
    assert_eq!(speaker_id_of(&bank, "mrs"), speaker_id_of(&bank, "h"));
    assert_eq!(link(&bank, "mrs").as_deref(), Some("role"));
    assert_eq!(speaker_id_of(&bank, "doc"), Some(michelle));
    assert_eq!(link(&bank, "doc").as_deref(), Some("doc"));
    let john = speaker_id_of(&bank, "k").unwrap();
    assert_ne!(speaker_id_of(&bank, "mrsk"), Some(john));
    assert_eq!(link(&bank, "mrsk").as_deref(), Some("ambiguous"));
    // The engine names the speaker "Obama"; the source span says "Mr. Obama" or "The
    // president".
    let engine = |id: &str, source: &str| {
        let text = format!("Michelle Obama campaigned. {source} said: \u{201C}we will keep going on\u{201D} The end.");
        let q = quote(
            &text,
            "\u{201C}we will keep going on\u{201D}",
            source,
            Some("Obama"),
        );
        (doc(id, "nyt", "2016-09-23", &text), vec![q])
    };
    ingest(
        &mut bank,
        vec![
            engine("src-mr", "Mr. Obama"),
            engine("src-pres", "The president"),
        ],
    );
    for id in ["src-mr", "src-pres"] {
        assert_eq!(speaker_id_of(&bank, id), Some(barack), "{id}");
    }
    // A relink decides the same.
    assert_eq!(bank.relink_all_speakers().unwrap().moved, 0);
}

/// The office may come after the bare surname: in one run ("President Obama" before
/// "President Barack Obama"), or in a later one (after the Obamas were both known). Ingest
/// links with what the bank knows at the time; a relink, with everything it knows.
#[test]
fn an_office_seen_later_links_the_bare_surnames_left_before_on_relink() {
    let nyt = |id: &str| {
        said(
            id,
            "nyt",
            "2016-02-01",
            "President Obama met them.",
            "Obama",
            "the economy is stronger now",
        )
    };
    let link = |bank: &Bank, id: &str| {
        let d = bank.document(id).unwrap().unwrap();
        d.quotes[0].speaker_link.clone()
    };
    // One run, the bare name first.
    let db = TempDb::new("roles-later");
    let mut bank = Bank::open(db.path()).unwrap();
    let mut docs = vec![nyt("nyt1")];
    docs.extend(the_obamas());
    ingest(&mut bank, docs);
    let barack = speaker_id_of(&bank, "bo").unwrap();
    assert_eq!(link(&bank, "nyt1").as_deref(), Some("pending"));
    let r = bank.relink_all_speakers().unwrap();
    assert_eq!(r.moved, 1, "{r:?}");
    assert_eq!(speaker_id_of(&bank, "nyt1"), Some(barack));
    assert_eq!(link(&bank, "nyt1").as_deref(), Some("role"));
    // A later run: the Obamas known, but neither as president yet.
    let db = TempDb::new("roles-later-2");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "b0",
                "ap",
                "2016-01-01",
                "",
                "Barack Obama",
                "hello there everyone",
            ),
            said(
                "m0",
                "ap",
                "2016-01-01",
                "First Lady Michelle Obama spoke.",
                "Michelle Obama",
                "thank you all so much",
            ),
            nyt("nyt2"),
        ],
    );
    assert_eq!(link(&bank, "nyt2").as_deref(), Some("ambiguous"));
    ingest(&mut bank, the_obamas());
    assert_eq!(link(&bank, "nyt2").as_deref(), Some("ambiguous"));
    bank.relink_all_speakers().unwrap();
    let barack = speaker_id_of(&bank, "b0").unwrap();
    assert_eq!(speaker_id_of(&bank, "nyt2"), Some(barack));
    assert_eq!(link(&bank, "nyt2").as_deref(), Some("role"));
    assert_eq!(
        bank.speaker(barack).unwrap().unwrap().summary.quote_count,
        3
    );
}

/// A bank whose quotes were linked by older rules (here: made so by hand, as a build before
/// organisations kept their names would have, with an alias keyed the old way) ends, after
/// `relink_all_speakers`, exactly as a fresh ingest of the same documents does.
#[test]
fn relinking_makes_the_links_a_fresh_ingest_makes() {
    let docs = || {
        let mut docs = the_obamas();
        docs.extend([
            said(
                "nyt",
                "nyt",
                "2016-02-01",
                "President Obama met them.",
                "Obama",
                "the economy is stronger now",
            ),
            said(
                "state",
                "nyt",
                "2016-07-01",
                "",
                "State Department",
                "the visa was revoked last week",
            ),
            said(
                "justice",
                "wapo",
                "2016-07-02",
                "",
                "Justice Department",
                "no charges will be brought",
            ),
            said(
                "ll1",
                "ap",
                "2016-07-03",
                "",
                "Loretta Lynch",
                "we will follow the facts wherever they lead us",
            ),
            said(
                "ll2",
                "ap",
                "2016-07-04",
                "",
                "Loretta E. Lynch",
                "we will follow the facts wherever they lead us",
            ),
            said(
                "jc",
                "ap",
                "2016-07-05",
                "",
                "James Comey",
                "no reasonable prosecutor would bring such a case",
            ),
        ]);
        docs
    };
    let alias = |alias: &str, canonical: &str, id: &str| verbatim_bank::Alias {
        alias: alias.into(),
        canonical: canonical.into(),
        external_id: Some(id.into()),
    };
    let aliases = || {
        [
            alias("State Department", "U.S. Department of State", "Q789"),
            alias("Comey", "FBI Director James Comey", "Q1"),
            alias("Jeb Bush", "Jeb Bush", "Q2"),
        ]
    };
    let fresh_db = TempDb::new("relink-fresh");
    let mut fresh = Bank::open(fresh_db.path()).unwrap();
    fresh.add_aliases(&aliases()).unwrap();
    ingest(&mut fresh, docs());
    assert_ne!(cluster_of(&fresh, "ll1"), cluster_of(&fresh, "ll2"));

    let db = TempDb::new("relink-old");
    let mut bank = Bank::open(db.path()).unwrap();
    bank.add_aliases(&aliases()).unwrap();
    ingest(&mut bank, docs());
    let barack = bank.find_speakers("Barack Obama").unwrap()[0].id;
    {
        // What the older rules made: both departments one "Department", the alias keyed
        // `department`, and the bare Obama unlinked.
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.execute_batch(
            "INSERT INTO speakers (name, key, surname, first, partial, quote_count)
                 VALUES ('Department', 'department', 'department', NULL, 1, 2);
             UPDATE quotes SET speaker_id = (SELECT id FROM speakers WHERE key = 'department'),
                 speaker_key = 'department', speaker_link = 'pending'
                 WHERE speaker_raw LIKE '%Department';
             INSERT INTO speakers (name, key, surname, first, partial, quote_count)
                 VALUES ('Obama', 'obama', 'obama', NULL, 1, 1);
             UPDATE quotes SET speaker_id = (SELECT id FROM speakers WHERE key = 'obama'),
                 speaker_key = 'obama', speaker_link = 'ambiguous' WHERE speaker_raw = 'Obama';
             DELETE FROM speakers WHERE key = 'justice department';
             UPDATE aliases SET key = 'department' WHERE key = 'state department';
             DELETE FROM name_roles;
             -- An alias the old rules keyed apart from Jeb Bush's, and his entity keyed with
             -- its title as they did.
             INSERT INTO speakers (name, key, surname, first, partial)
                 VALUES ('Telling Jeb Bush', 'telling jeb bush', 'bush', 'telling', 0);
             INSERT INTO aliases (key, alias, speaker_id) VALUES ('telling jeb bush',
                 'Telling Jeb Bush', (SELECT id FROM speakers WHERE key = 'telling jeb bush'));
             UPDATE speakers SET key = 'fbi director james comey', first = 'fbi'
                 WHERE key = 'james comey';
             -- The two Lynches in one cluster, both under a bare Lynch.
             INSERT INTO speakers (name, key, surname, first, partial, quote_count)
                 VALUES ('Lynch', 'lynch', 'lynch', NULL, 1, 2);
             UPDATE quotes SET speaker_id = (SELECT id FROM speakers WHERE key = 'lynch'),
                 speaker_key = 'lynch', speaker_link = 'pending',
                 cluster_id = (SELECT min(cluster_id) FROM quotes WHERE speaker_raw LIKE 'Loretta%')
                 WHERE speaker_raw LIKE 'Loretta%';",
        )
        .unwrap();
    }
    let mut bank = Bank::open(db.path()).unwrap();
    assert_eq!(cluster_of(&bank, "ll1"), cluster_of(&bank, "ll2"));
    let max_id = bank
        .list_speakers(&Default::default())
        .unwrap()
        .iter()
        .map(|s| s.id)
        .max()
        .unwrap();
    let r = bank.relink_all_speakers().unwrap();
    assert_eq!(r.moved, 6, "{r:?}");
    assert_eq!(r.aliases_dropped, 1, "{r:?}");
    // Of two aliases the new rules key alike, the one written for that name stays.
    let jeb: Vec<String> = bank
        .find_speakers("Jeb Bush")
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(jeb, ["Jeb Bush"]);
    assert!(r.reclustered >= 1, "{r:?}");
    assert_ne!(cluster_of(&bank, "ll1"), cluster_of(&bank, "ll2"));
    // An entity made again keeps its id; a new one takes none that another had.
    assert_eq!(bank.find_speakers("Barack Obama").unwrap()[0].id, barack);
    let justice = bank.find_speakers("Justice Department").unwrap()[0].id;
    assert!(justice > max_id, "{justice} <= {max_id}");
    let list = |b: &Bank| {
        let mut v: Vec<(String, i64, bool, Option<String>)> = b
            .list_speakers(&Default::default())
            .unwrap()
            .into_iter()
            .map(|s| (s.name, s.quote_count, s.partial, s.external_id))
            .collect();
        v.sort();
        v
    };
    assert_eq!(list(&bank), list(&fresh));
    for id in ["bo", "mo", "nyt", "state", "justice", "ll1", "ll2", "jc"] {
        let links = |b: &Bank| {
            let d = b.document(id).unwrap().unwrap();
            let q = &d.quotes[0];
            (
                q.speaker.as_ref().map(|s| s.name.clone()),
                q.speaker_link.clone(),
            )
        };
        assert_eq!(links(&bank), links(&fresh), "{id}");
    }
    assert_eq!(
        speaker_of(&bank, "state").as_deref(),
        Some("U.S. Department of State")
    );
    assert_eq!(speaker_of(&bank, "nyt").as_deref(), Some("Barack Obama"));
    // Nor does a later ingest: the ids removed stay unused.
    let removed = max_id;
    ingest(
        &mut bank,
        vec![said(
            "zq",
            "ap",
            "2016-08-01",
            "",
            "Zebulon Quux",
            "nobody has ever said this",
        )],
    );
    let zq = speaker_id_of(&bank, "zq").unwrap();
    assert!(zq > removed, "{zq} <= {removed}");
}

#[test]
fn names_that_differ_by_middle_initials_are_suggested_as_aliases_not_merged() {
    let db = TempDb::new("initials");
    let mut bank = Bank::open(db.path()).unwrap();
    let words = [
        "we will build it",
        "the wall is coming",
        "believe me on this",
        "no new taxes",
    ];
    ingest(
        &mut bank,
        vec![
            said("t1", "nyt", "2016-01-01", "", "Donald J. Trump", words[0]),
            said("t2", "cnn", "2016-01-02", "", "Donald Trump", words[1]),
            said("t3", "fox", "2016-01-03", "", "Donald Trump", words[2]),
            said("b1", "nyt", "1990-01-01", "", "George Bush", words[3]),
            said(
                "b2",
                "nyt",
                "2004-01-01",
                "",
                "George W. Bush",
                "mission accomplished today",
            ),
        ],
    );
    // Kept apart by the bank...
    assert_ne!(speaker_id_of(&bank, "t1"), speaker_id_of(&bank, "t2"));
    assert_ne!(speaker_id_of(&bank, "b1"), speaker_id_of(&bank, "b2"));
    // ...and offered to a person, the name with fewer quotes first.
    let s = bank.alias_suggestions().unwrap();
    let pairs: Vec<(&str, &str, (i64, i64))> = s
        .iter()
        .map(|a| (a.alias.as_str(), a.canonical.as_str(), a.quotes))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Donald J. Trump", "Donald Trump", (1, 2)),
            // A tie: the name with initials is the one mapped.
            ("George W. Bush", "George Bush", (1, 1)),
        ]
    );
    // Initials standing for words are no name to suggest: "S. E. C." beside "S. C.".
    ingest(
        &mut bank,
        vec![
            said(
                "sec",
                "nyt",
                "2016-02-01",
                "",
                "S. E. C.",
                "filings are due in march",
            ),
            said(
                "sc",
                "nyt",
                "2016-02-02",
                "",
                "S. C.",
                "the primary is on saturday",
            ),
        ],
    );
    assert_eq!(bank.alias_suggestions().unwrap().len(), 2);
    // Taken as an alias, the pair is one speaker and no longer suggested.
    bank.add_aliases(&[verbatim_bank::Alias {
        alias: "Donald J. Trump".into(),
        canonical: "Donald Trump".into(),
        external_id: None,
    }])
    .unwrap();
    assert_eq!(speaker_id_of(&bank, "t1"), speaker_id_of(&bank, "t2"));
    let s = bank.alias_suggestions().unwrap();
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].canonical, "George Bush");
    // Two spellings with different initials beside the plain name: nothing to suggest, as
    // loading both lines would join three people (found by review).
    ingest(
        &mut bank,
        vec![said(
            "b3",
            "nyt",
            "1991-01-01",
            "",
            "George H. W. Bush",
            "a thousand points of light",
        )],
    );
    assert!(bank.alias_suggestions().unwrap().is_empty());
}

#[test]
fn pending_surname_is_linked_when_the_full_name_arrives_and_aliases_override() {
    let db = TempDb::new("alias");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![said(
            "m1",
            "bbc",
            "2012-03-26",
            "A summit.",
            "Medvedev",
            "I understand your message about space",
        )],
    );
    let d = bank.document("m1").unwrap().unwrap();
    assert_eq!(d.quotes[0].speaker_link.as_deref(), Some("pending"));
    let r = ingest(
        &mut bank,
        vec![said(
            "m2",
            "bbc",
            "2012-03-27",
            "",
            "Dmitry Medvedev",
            "I will transmit this information",
        )],
    );
    assert_eq!(r.relinked, 1);
    assert_eq!(speaker_id_of(&bank, "m1"), speaker_id_of(&bank, "m2"));
    let med = speaker_id_of(&bank, "m2").unwrap();
    assert_eq!(bank.speaker(med).unwrap().unwrap().summary.quote_count, 2);
    let list = bank.list_speakers(&SpeakerListQuery::default()).unwrap();
    assert!(
        list.iter().all(|s| s.name != "Medvedev"),
        "the emptied surname entity is not listed"
    );

    // Aliases: a nickname and a spelling variant, with an external id.
    ingest(
        &mut bank,
        vec![
            said(
                "p1",
                "nyt",
                "2012-01-01",
                "",
                "POTUS",
                "the state of the union is strong",
            ),
            said(
                "p2",
                "nyt",
                "2012-01-02",
                "",
                "Barack Hussein Obama",
                "yes we can do this together",
            ),
            said(
                "p3",
                "nyt",
                "2012-01-03",
                "",
                "Barack Obama",
                "hope is what led me here today",
            ),
        ],
    );
    assert_ne!(speaker_id_of(&bank, "p2"), speaker_id_of(&bank, "p3"));
    let dir =
        std::env::temp_dir().join(format!("verbatim-bank-aliases-{}.tsv", std::process::id()));
    std::fs::write(
        &dir,
        "# alias\tcanonical\tqid\nPOTUS\tBarack Obama\tQ76\nBarack Hussein Obama\tBarack Obama\n\
         the president\tBarack Obama\n\n",
    )
    .unwrap();
    let rep = bank.load_aliases(&dir).unwrap();
    let _ = std::fs::remove_file(&dir);
    assert_eq!(rep.aliases, 3);
    assert_eq!(rep.quotes_relinked, 2);
    let obama = speaker_id_of(&bank, "p3").unwrap();
    assert_eq!(speaker_id_of(&bank, "p1"), Some(obama));
    assert_eq!(speaker_id_of(&bank, "p2"), Some(obama));
    let o = bank.speaker(obama).unwrap().unwrap();
    assert_eq!(o.summary.external_id.as_deref(), Some("Q76"));
    assert_eq!(o.summary.quote_count, 3);
    assert!(o.aliases.contains(&"POTUS".to_string()));
    // New quotes use the alias too.
    ingest(
        &mut bank,
        vec![said(
            "p4",
            "nyt",
            "2012-01-04",
            "",
            "POTUS",
            "we must act now on climate",
        )],
    );
    assert_eq!(speaker_id_of(&bank, "p4"), Some(obama));
    // A speaker that is not a name ("the president") is linked through its alias too.
    assert_eq!(verbatim_bank::names::parse_name("the president"), None);
    ingest(
        &mut bank,
        vec![said(
            "p5",
            "nyt",
            "2012-01-05",
            "",
            "the president",
            "our union has never been stronger",
        )],
    );
    assert_eq!(speaker_id_of(&bank, "p5"), Some(obama));
    let hits = all_hits(
        &bank,
        SearchQuery {
            speaker: Some("potus".into()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len(), 5);
    assert_totals_are_recounts(db.path());
    // A malformed alias file says which line.
    let err = verbatim_bank::parse_aliases("ok\tOK\nbroken line\n").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = bank.add_aliases(&[Alias {
        alias: "x".into(),
        canonical: " ".into(),
        external_id: None,
    }]);
    assert!(err.is_err());
}

// ---------------------------------------------------------------------------------------------
// Clusters

#[test]
fn the_same_remark_clusters_across_outlets() {
    let db = TempDb::new("cluster");
    let mut bank = Bank::open(db.path()).unwrap();
    let full = "This is my last election. After my election I have more flexibility.";
    ingest(
        &mut bank,
        vec![
            // Ingested first, published last.
            said("late", "fox", "2012-03-28", "", "Barack Obama", full),
            // Same words, other punctuation and quotation marks, earlier.
            said(
                "first",
                "abc",
                "2012-03-26",
                "",
                "Mr Obama",
                "this is my last election -- after my election, I have MORE flexibility",
            ),
            // A partial quote (contained), unknown speaker.
            said(
                "partial",
                "cnn",
                "2012-03-27",
                "",
                "he",
                "after my election I have more flexibility",
            ),
            // A near-duplicate with edits.
            said(
                "near",
                "wapo",
                "2012-03-27",
                "",
                "Obama",
                "This is my last election. After the election I have more flexibility.",
            ),
            // The same words by someone else: a different remark.
            said("other", "nyt", "2012-03-27", "", "Dmitry Medvedev", full),
            // Too short to count as a partial quote.
            said(
                "short",
                "nyt",
                "2012-03-29",
                "",
                "Barack Obama",
                "more flexibility",
            ),
            // Unrelated.
            said(
                "unrelated",
                "nyt",
                "2012-03-29",
                "",
                "Barack Obama",
                "space for you and for me",
            ),
        ],
    );
    let c = cluster_of(&bank, "late");
    for d in ["first", "partial", "near"] {
        assert_eq!(cluster_of(&bank, d), c, "{d}");
    }
    for d in ["other", "short", "unrelated"] {
        assert_ne!(cluster_of(&bank, d), c, "{d}");
    }
    let v = bank.cluster(c).unwrap().unwrap();
    assert_eq!(v.size, 4);
    assert_eq!(v.first_seen.as_deref(), Some("2012-03-26"));
    assert_eq!(v.first_outlet.as_deref(), Some("abc"));
    assert_eq!(
        v.speaker.as_ref().map(|s| s.name.as_str()),
        Some("Barack Obama")
    );
    let outlets: Vec<&str> = v.outlets.iter().map(|o| o.outlet.as_str()).collect();
    assert_eq!(outlets, ["abc", "cnn", "wapo", "fox"]);
    // Each outlet's exact wording is kept.
    let wording: Vec<&str> = v.members.iter().map(|m| m.text.as_str()).collect();
    assert!(wording.contains(&"\u{201C}this is my last election -- after my election, I have MORE flexibility\u{201D}"), "{wording:?}");
    assert!(wording.contains(&"\u{201C}after my election I have more flexibility\u{201D}"));
    // The hit carries the cluster size.
    let hits = all_hits(
        &bank,
        SearchQuery {
            text: Some("flexibility".into()),
            outlet: Some("fox".into()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].cluster_size, 4);
    assert_eq!(bank.stats().unwrap().multi_outlet_clusters, 1);
    // An outlet named in another case is the stored one; an unknown one matches nothing.
    let by_outlet = |bank: &Bank, o: &str| {
        all_hits(
            bank,
            SearchQuery {
                text: Some("flexibility".into()),
                outlet: Some(o.into()),
                ..Default::default()
            },
        )
    };
    assert_eq!(by_outlet(&bank, "FOX"), hits);
    assert!(by_outlet(&bank, "foxes").is_empty());
    // Beyond ASCII; and two outlets that differ only in case are left as typed.
    ingest(
        &mut bank,
        vec![
            said(
                "e1",
                "Élysée",
                "2012-04-01",
                "",
                "Jo Smith",
                "the flexibility of the plan",
            ),
            said(
                "m1",
                "Le Monde",
                "2012-04-02",
                "",
                "Jo Smith",
                "flexibility was the word used",
            ),
            said(
                "m2",
                "le monde",
                "2012-04-03",
                "",
                "Jo Smith",
                "their flexibility is well known",
            ),
        ],
    );
    assert_eq!(by_outlet(&bank, "ÉLYSÉE").len(), 1);
    assert_eq!(by_outlet(&bank, "Le Monde").len(), 1);
    assert!(by_outlet(&bank, "LE MONDE").is_empty());

    // Removing the bridge-free members keeps the rest together; removing all but one leaves 1.
    for d in ["first", "partial", "near"] {
        bank.delete_document(d).unwrap();
    }
    let v = bank.cluster(cluster_of(&bank, "late")).unwrap().unwrap();
    assert_eq!(v.size, 1);
    assert_eq!(v.first_seen.as_deref(), Some("2012-03-28"));
}

#[test]
fn a_long_quote_arriving_later_merges_the_partials_it_contains() {
    let db = TempDb::new("merge");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "p1",
                "a",
                "2016-01-01",
                "",
                "Jane Doe",
                "we will rebuild every bridge in this state",
            ),
            said(
                "p2",
                "b",
                "2016-01-01",
                "",
                "Jane Doe",
                "and every school will get a new roof",
            ),
        ],
    );
    assert_ne!(cluster_of(&bank, "p1"), cluster_of(&bank, "p2"));
    ingest(
        &mut bank,
        vec![said("long", "c", "2016-01-02", "", "Jane Doe", "Today I promise: we will rebuild every bridge in this state, and every school will get a new roof.")],
    );
    let c = cluster_of(&bank, "long");
    assert_eq!(cluster_of(&bank, "p1"), c);
    assert_eq!(cluster_of(&bank, "p2"), c);
    assert_eq!(bank.cluster(c).unwrap().unwrap().size, 3);
}

/// A remark that merely contains the words another quote was made of ("the former secretary
/// of state") does not join that quote's cluster when it is unlike the cluster's longest
/// wording; and a few words alike are one remark only from one named speaker.
#[test]
fn clusters_do_not_chain_through_a_phrase_or_gather_stray_words() {
    let db = TempDb::new("chain");
    let mut bank = Bank::open(db.path()).unwrap();
    let unnamed = |id: &str, outlet: &str, content: &str| {
        let text = format!("It was said: \u{201C}{content}\u{201D} The end.");
        let q = quote(&text, &format!("\u{201C}{content}\u{201D}"), "", None);
        (doc(id, outlet, "2016-01-01", &text), vec![q])
    };
    ingest(
        &mut bank,
        vec![
            unnamed("phrase", "a", "the former secretary of state"),
            unnamed(
                "first",
                "b",
                "the former secretary of state must condemn such extreme proposals now",
            ),
            unnamed(
                "other",
                "c",
                "polls show a dead heat with the former secretary of state leading among women",
            ),
            // A later partial of the first remark still joins it.
            unnamed("partial", "d", "must condemn such extreme proposals"),
            unnamed("w1", "e", "Clinton"),
            unnamed("w2", "f", "Clinton"),
            said(
                "t1",
                "g",
                "2016-01-02",
                "",
                "Donald Trump",
                "Crooked Hillary",
            ),
            said(
                "t2",
                "h",
                "2016-01-03",
                "",
                "Donald Trump",
                "Crooked Hillary",
            ),
        ],
    );
    let c = cluster_of(&bank, "first");
    assert_eq!(cluster_of(&bank, "phrase"), c);
    assert_eq!(cluster_of(&bank, "partial"), c);
    assert_ne!(cluster_of(&bank, "other"), c);
    assert_ne!(cluster_of(&bank, "w1"), cluster_of(&bank, "w2"));
    assert_eq!(cluster_of(&bank, "t1"), cluster_of(&bank, "t2"));
}

// ---------------------------------------------------------------------------------------------
// Search

#[test]
fn search_filters_order_and_paging() {
    let db = TempDb::new("search");
    let mut bank = Bank::open(db.path()).unwrap();
    let mut docs = Vec::new();
    let outlets = ["nyt", "wapo", "fox"];
    let speakers = ["Barack Obama", "Mitt Romney"];
    for i in 0..30 {
        let date = format!("2012-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        let topic = if i % 3 == 0 {
            "missile defence shield"
        } else {
            "the economy and jobs"
        };
        let content = format!("number {i} is about {topic} in remark {i}");
        docs.push(said(
            &format!("d{i:02}"),
            outlets[i % 3],
            &date,
            "",
            speakers[i % 2],
            &content,
        ));
    }
    docs.push(said(
        "rare",
        "nyt",
        "2011-06-01",
        "",
        "Rare Person",
        "number 99 is about the economy too",
    ));
    ingest(&mut bank, docs);

    // A rare speaker and a common word: the search is driven from the speaker's quotes.
    for order in [Order::Newest, Order::Relevance] {
        let q = SearchQuery {
            text: Some("number".into()),
            speaker: Some("Rare Person".into()),
            order,
            ..Default::default()
        };
        let hits = all_hits(&bank, q);
        assert_eq!(hits.len(), 1, "{order:?}");
        assert_eq!(hits[0].document_id, "rare");
        assert_eq!(hits[0].score.is_some(), order == Order::Relevance);
    }
    bank.delete_document("rare").unwrap();

    // A speaker and words, newest first (the matches merged with the speaker's quote ids): the
    // words' hits of that speaker, in the same order, page after page.
    for (text, since) in [
        ("economy", None),
        ("missile", Some("2012-04")),
        ("number", None),
    ] {
        let base = SearchQuery {
            text: Some(text.into()),
            since: since.map(str::to_string),
            limit: 2,
            ..Default::default()
        };
        let expected: Vec<i64> = all_hits(&bank, base.clone())
            .into_iter()
            .filter(|h| h.speaker.as_ref().is_some_and(|s| s.name == "Barack Obama"))
            .map(|h| h.quote_id)
            .collect();
        let got: Vec<i64> = all_hits(
            &bank,
            SearchQuery {
                speaker: Some("Barack Obama".into()),
                ..base
            },
        )
        .into_iter()
        .map(|h| h.quote_id)
        .collect();
        assert!(expected.len() >= 2, "{text}: {expected:?}");
        assert_eq!(got, expected, "{text}");
    }

    // Newest first, paged with a cursor: every hit once, in date order.
    let q = SearchQuery {
        limit: 7,
        ..Default::default()
    };
    let hits = all_hits(&bank, q);
    assert_eq!(hits.len(), 30);
    let dates: Vec<&str> = hits.iter().map(|h| h.date.as_deref().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let mut ids: Vec<i64> = hits.iter().map(|h| h.quote_id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 30);

    // Text, with filters.
    let missile = all_hits(
        &bank,
        SearchQuery {
            text: Some("missile".into()),
            limit: 3,
            ..Default::default()
        },
    );
    assert_eq!(missile.len(), 10);
    let q = SearchQuery {
        text: Some("missile defence".into()),
        speaker: Some("Obama".into()),
        outlet: Some("nyt".into()),
        since: Some("2012-02".into()),
        until: Some("2012-12-31".into()),
        ..Default::default()
    };
    let page = bank.search(&q).unwrap();
    assert_eq!(page.speakers.len(), 1);
    for h in &page.hits {
        assert_eq!(h.outlet.as_deref(), Some("nyt"));
        assert_eq!(h.speaker.as_ref().unwrap().name, "Barack Obama");
        assert!(h.date.as_deref().unwrap() >= "2012-02-01");
        assert!(h.text.contains("missile"));
    }
    // i ≡ 0 mod 6 (Obama, missile) and ≡ 0 mod 3 (nyt): 0, 6, 12, 18, 24; minus January (0, 12, 24).
    assert_eq!(page.hits.len(), 2, "{:?}", page.hits);
    let until = all_hits(
        &bank,
        SearchQuery {
            until: Some("2012-01".into()),
            ..Default::default()
        },
    );
    assert!(until
        .iter()
        .all(|h| h.date.as_deref().unwrap() < "2012-02-01"));
    assert_eq!(until.len(), 3);

    // Relevance: the best match first; paging by relevance works too.
    let q = SearchQuery {
        text: Some("remark 7".into()),
        order: Order::Relevance,
        limit: 2,
        ..Default::default()
    };
    let page = bank.search(&q).unwrap();
    assert!(
        page.hits[0].text.contains("remark 7\u{201D}"),
        "{:?}",
        page.hits[0].text
    );
    let rel = all_hits(
        &bank,
        SearchQuery {
            text: Some("economy".into()),
            order: Order::Relevance,
            limit: 4,
            ..Default::default()
        },
    );
    assert_eq!(rel.len(), 20);
    let "relevance" = "relevance".parse::<Order>().map(|_| "relevance").unwrap() else {
        unreachable!()
    };

    // Phrase and prefix.
    assert_eq!(
        all_hits(
            &bank,
            SearchQuery {
                text: Some("\"defence shield\"".into()),
                ..Default::default()
            }
        )
        .len(),
        10
    );
    assert_eq!(
        all_hits(
            &bank,
            SearchQuery {
                text: Some("econ*".into()),
                ..Default::default()
            }
        )
        .len(),
        20
    );

    // Bad input is an error that says what to do; an unknown speaker is no hits.
    let bad = |q: SearchQuery| match bank.search(&q) {
        Err(e @ Error::InvalidInput(_)) => e.to_string(),
        other => panic!("expected invalid input, got {other:?}"),
    };
    assert!(bad(SearchQuery {
        since: Some("last week".into()),
        ..Default::default()
    })
    .contains("YYYY"));
    assert!(bad(SearchQuery {
        since: Some("2012-03".into()),
        until: Some("2012-02".into()),
        ..Default::default()
    })
    .contains("swap them"));
    // One day is a range: the same since and until.
    assert!(bank
        .search(&SearchQuery {
            since: Some("2012-03-26".into()),
            until: Some("2012-03-26".into()),
            ..Default::default()
        })
        .is_ok());
    assert!(bad(SearchQuery {
        cursor: Some("zzz".into()),
        ..Default::default()
    })
    .contains("cursor"));
    assert!(bad(SearchQuery {
        limit: 0,
        ..Default::default()
    })
    .contains("limit"));
    assert!(bad(SearchQuery {
        text: Some("?!".into()),
        ..Default::default()
    })
    .contains("no words"));
    let none = bank
        .search(&SearchQuery {
            speaker: Some("Nobody Atall".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(none.hits.is_empty() && none.speakers.is_empty());
    assert!("sideways".parse::<Order>().is_err());

    // Speakers with counts by outlet and month.
    let list = bank.list_speakers(&SpeakerListQuery::default()).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].quote_count, 15);
    assert_eq!(list[0].by_outlet.iter().map(|c| c.n).sum::<i64>(), 15);
    assert_eq!(list[0].by_month.iter().map(|c| c.n).sum::<i64>(), 15);
    let table = verbatim_bank::format_speakers_table(&list);
    assert!(
        table.contains("Barack Obama") && table.contains("Mitt Romney"),
        "{table}"
    );
    let jsonl = verbatim_bank::speakers_to_jsonl(&list);
    assert_eq!(jsonl.lines().count(), 2);
}

#[test]
fn hostile_text_is_stored_and_returned_verbatim() {
    let db = TempDb::new("hostile");
    let mut bank = Bank::open(db.path()).unwrap();
    let nasty = "<script>alert('x')</script> \"><img src=x onerror=alert(1)> '); DROP TABLE quotes; -- \u{0}\u{1b}[31m \u{202E}evil\u{202C} 🙂 Zürich";
    let id = "'); DROP TABLE documents; --<script>";
    let text = format!("Robert'); Tables said: \u{201C}{nasty}\u{201D}\r\nDone.");
    let content = format!("\u{201C}{nasty}\u{201D}");
    let q = quote(
        &text,
        &content,
        "Robert'); Tables",
        Some("Robert'); Tables"),
    );
    let d = NewDocument {
        outlet: Some("<b>outlet</b>".into()),
        ..doc(id, "x", "2020-01-01", &text)
    };
    let d = NewDocument {
        outlet: Some("<b>outlet</b>".into()),
        ..d
    };
    let r = bank
        .ingest_extracted(vec![(d, vec![q])], &opts(), None)
        .unwrap();
    assert_eq!(r.inserted, 1, "{r:?}");
    let v = bank.document(id).unwrap().unwrap();
    assert_eq!(v.text, text);
    assert_eq!(v.outlet.as_deref(), Some("<b>outlet</b>"));
    assert_eq!(v.quotes[0].content[0].text, content);
    let hits = all_hits(
        &bank,
        SearchQuery {
            text: Some("onerror".into()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, content);
    assert_eq!(hits[0].document_id, id);
    let back: Hit = serde_json::from_str::<serde_json::Value>(hits_to_jsonl(&hits).trim())
        .map(|v| Hit {
            text: v["text"].as_str().unwrap().to_string(),
            ..hits[0].clone()
        })
        .unwrap();
    assert_eq!(back.text, content, "JSONL round-trips the exact text");
    let table = format_hits_table(&hits);
    assert!(!table.contains('\u{1b}') && !table.contains('\u{0}') && !table.contains('\u{202E}'));
    // The SQL in the text did nothing.
    assert_eq!(bank.stats().unwrap().documents, 1);
    let by_outlet = all_hits(
        &bank,
        SearchQuery {
            outlet: Some("<b>outlet</b>".into()),
            ..Default::default()
        },
    );
    assert_eq!(by_outlet.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Schema versions

fn page_size(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_bank_has_16_kb_pages() {
    let db = TempDb::new("pages");
    let mut bank = Bank::open(db.path()).unwrap();
    bank.ingest_documents(
        vec![NewDocument::new("a", "Jo Smith said: \"We will win.\"")],
        &opts(),
        None,
    )
    .unwrap();
    drop(bank);
    assert_eq!(page_size(db.path()), 16384);
}

#[test]
fn older_schema_is_upgraded_newer_is_refused() {
    // A version-1 bank made by hand, with data.
    let db = TempDb::new("v1");
    {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.execute_batch(verbatim_bank::schema::V1).unwrap();
        conn.execute_batch(
            "INSERT INTO schema_version VALUES (1);
             INSERT INTO documents (num, id, title, outlet, url, published, text, content_hash, ingested_at)
                 VALUES (1, 'old', NULL, 'nyt', NULL, '2011-05-01', 'Jo Smith said \"hello old world\".', 'x', 0);
             INSERT INTO speakers (id, name, key, surname, first, partial, quote_count)
                 VALUES (1, 'Jo Smith', 'jo smith', 'smith', 'jo', 0, 1);
             INSERT INTO clusters (id, speaker_id, first_seen, size) VALUES (1, 1, '2011-05-01', 1);
             INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue, speaker_raw, speaker_key,
                 speaker_id, speaker_link, confidence, cluster_id, is_head, outlet, published)
                 VALUES (4294967296, 1, 0, 'direct', '\"hello old world\"', '[[14,31]]', '[[0,8]]', '[[9,13]]',
                 'Jo Smith', 'jo smith', 1, 'exact', 0.9, 1, 1, 'nyt', '2011-05-01');
             INSERT INTO quotes_fts (rowid, text) VALUES (4294967296, '\"hello old world\"');",
        )
        .unwrap();
    }
    // Read-only cannot upgrade: it says how.
    let err = Bank::open_read_only(db.path()).unwrap_err();
    assert!(matches!(err, Error::NeedsUpgrade { found: 1, .. }), "{err}");
    let bank = Bank::open(db.path()).unwrap();
    assert_eq!(
        bank.schema_version().unwrap(),
        verbatim_bank::schema::CURRENT
    );
    let s = bank.speaker(1).unwrap().unwrap();
    assert_eq!(
        s.summary.by_outlet[0].key, "nyt",
        "v2 filled speaker_stats from old quotes"
    );
    let hits = all_hits(
        &bank,
        SearchQuery {
            text: Some("hello".into()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len(), 1);
    assert_eq!(
        bank.document("old").unwrap().unwrap().quotes[0].content[0].text,
        "\"hello old world\""
    );
    drop(bank);
    assert!(Bank::open_read_only(db.path()).is_ok());
    assert_eq!(
        page_size(db.path()),
        4096,
        "an upgraded file keeps its page size"
    );

    // Version 0 (a bank created but never initialised) gets every migration.
    let db0 = TempDb::new("v0");
    {
        let conn = rusqlite::Connection::open(db0.path()).unwrap();
        conn.execute_batch("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);").unwrap();
    }
    assert_eq!(
        Bank::open(db0.path()).unwrap().schema_version().unwrap(),
        verbatim_bank::schema::CURRENT
    );

    // A newer bank: a clear refusal naming both versions; the file is untouched.
    let dbn = TempDb::new("newer");
    {
        let conn = rusqlite::Connection::open(dbn.path()).unwrap();
        conn.execute_batch("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (99);").unwrap();
    }
    let err = Bank::open(dbn.path()).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(
            err,
            Error::NewerSchema {
                found: 99,
                supported: verbatim_bank::schema::CURRENT,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("99")
            && msg.contains(&format!("up to {}", verbatim_bank::schema::CURRENT))
            && msg.contains("newer verbatim"),
        "{msg}"
    );
    assert!(Bank::open_read_only(dbn.path()).is_err());

    // Not a bank: some other SQLite database, or not SQLite at all.
    let other = TempDb::new("other");
    {
        let conn = rusqlite::Connection::open(other.path()).unwrap();
        conn.execute_batch("CREATE TABLE t (x);").unwrap();
    }
    let err = Bank::open(other.path()).unwrap_err();
    assert!(matches!(err, Error::NotABank { .. }), "{err}");
    let junk = TempDb::new("junk");
    std::fs::write(junk.path(), vec![b'x'; 4096]).unwrap();
    let err = Bank::open(junk.path()).unwrap_err();
    assert!(matches!(err, Error::NotABank { .. }), "{err}");
    let err = Bank::open("/nonexistent-dir/x/bank.db").unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Real articles

#[test]
fn polnear_dev_articles_with_metadata() {
    let Some(docs) = polnear_dev(6) else { return };
    let db = TempDb::new("polnear");
    let mut bank = Bank::open(db.path()).unwrap();
    let r = bank.ingest_documents(docs.clone(), &opts(), None).unwrap();
    assert_eq!(r.inserted, 6, "{r:?}");
    assert!(r.quotes_added >= 6, "{r:?}");
    let d = bank.document(&docs[0].id).unwrap().unwrap();
    assert_eq!(d.outlet, docs[0].outlet);
    assert_eq!(d.date, docs[0].date);
    let list = bank
        .list_speakers(&SpeakerListQuery {
            limit: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert!(!list.is_empty());
    assert!(list
        .windows(2)
        .all(|w| w[0].quote_count >= w[1].quote_count));
    let top = &list[0];
    let hits = all_hits(
        &bank,
        SearchQuery {
            speaker: Some(top.id.to_string()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len() as i64, top.quote_count);
    let hits = all_hits(
        &bank,
        SearchQuery {
            text: Some("Clinton".into()),
            ..Default::default()
        },
    );
    assert!(!hits.is_empty());
    // Everything again: all unchanged.
    let r = bank.ingest_documents(docs, &opts(), None).unwrap();
    assert_eq!(r.unchanged, 6, "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// kill -9

const CHILD_ENV: &str = "VERBATIM_BANK_TEST_CHILD_DB";
const KILL_DOCS: usize = 400;

/// A generated corpus: short articles recombined from the example article's paragraphs,
/// with varied outlets and dates.
fn kill_corpus() -> Vec<NewDocument> {
    let text = example_text();
    let paras: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| p.split_whitespace().count() > 8)
        .collect();
    let outlets = ["bbc", "nyt", "wapo", "fox", "cnn"];
    (0..KILL_DOCS)
        .map(|i| {
            let body = [paras[i % paras.len()], paras[(i * 7 + 3) % paras.len()]].join("\n\n");
            doc(
                &format!("gen-{i:04}"),
                outlets[i % outlets.len()],
                &format!("2012-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                &format!("Story {i}.\n\n{body}"),
            )
        })
        .collect()
}

fn kill_opts() -> IngestOptions {
    IngestOptions {
        jobs: 2,
        batch_size: 10,
        // Size only: the test checks that whole batches were committed.
        batch_time: Duration::from_secs(3600),
    }
}

#[test]
fn a_batch_open_longer_than_batch_time_is_committed() {
    // Progress is reported at each commit with the documents committed so far (and between
    // commits, with the same count): the counts it went through are the commits.
    let commits = |batch_time: Duration| {
        let db = TempDb::new("batch-time");
        let mut bank = Bank::open(db.path()).unwrap();
        let mut written = Vec::new();
        let mut cb = |p: &verbatim_bank::IngestProgress| written.push(p.written);
        let docs: Vec<NewDocument> = kill_corpus().into_iter().take(6).collect();
        let o = IngestOptions {
            jobs: 1,
            batch_size: 1000,
            batch_time,
        };
        bank.ingest_documents(docs, &o, Some(&mut cb)).unwrap();
        written.dedup();
        written.retain(|&n| n > 0);
        written
    };
    // Every document found its transaction older than zero: one commit each.
    assert_eq!(commits(Duration::ZERO), [1, 2, 3, 4, 5, 6]);
    // Otherwise one batch, committed at the end.
    assert_eq!(commits(Duration::from_secs(3600)), [6]);
}

#[test]
fn progress_is_reported_between_commits() {
    let db = TempDb::new("progress");
    let mut bank = Bank::open(db.path()).unwrap();
    let mut seen = Vec::new();
    let mut cb = |p: &verbatim_bank::IngestProgress| seen.push((p.done, p.written));
    // Five documents at least 100 ms apart (under the half second that commits an idle
    // batch), all in one batch: the fifth comes at least 400 ms after the first.
    let docs = kill_corpus()
        .into_iter()
        .take(5)
        .inspect(|_| std::thread::sleep(Duration::from_millis(100)));
    let o = IngestOptions {
        jobs: 1,
        batch_size: 1000,
        batch_time: Duration::from_secs(3600),
    };
    bank.ingest_documents(docs, &o, Some(&mut cb)).unwrap();
    assert_eq!(seen.last(), Some(&(5, 5)), "{seen:?}");
    assert!(
        seen.iter().any(|&(done, written)| done > 0 && written == 0),
        "a report before the commit, with nothing committed yet: {seen:?}"
    );
}

#[test]
fn optimize_runs_in_full_once_an_eighth_of_the_bank_has_changed() {
    let db = TempDb::new("grown");
    let mut bank = Bank::open(db.path()).unwrap();
    let counted = |word: &str| -> bool {
        let c = rusqlite::Connection::open(db.path()).unwrap();
        c.query_row(
            "SELECT count(*) FROM quotes_terms WHERE term = ?1",
            [word],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            > 0
    };
    let docs = kill_corpus();
    bank.ingest_documents(docs[..80].to_vec(), &opts(), None)
        .unwrap();
    assert!(bank.optimize_if_due().unwrap(), "it never ran");
    assert!(!bank.optimize_if_due().unwrap(), "nothing changed");
    // A few quotes more: only the cheap part. The new word is not counted yet, and found.
    let new = NewDocument::new("zy", "Jo Smith said: \"Zyxwvut is the word.\"");
    bank.ingest_documents(vec![new], &opts(), None).unwrap();
    assert!(!bank.optimize_if_due().unwrap());
    assert!(!counted("zyxwvut"));
    let hits = all_hits(
        &bank,
        SearchQuery {
            text: Some("zyxwvut".into()),
            ..Default::default()
        },
    );
    assert_eq!(hits.len(), 1);
    // Four times as many: the full run, which counts it.
    bank.ingest_documents(docs[80..].to_vec(), &opts(), None)
        .unwrap();
    assert!(bank.optimize_if_due().unwrap());
    assert!(counted("zyxwvut"));
    // Every document replaced (a new outlet), the same quotes under new ids: a full run.
    let before = bank.stats().unwrap().quotes;
    let retitled: Vec<NewDocument> = docs
        .iter()
        .map(|d| NewDocument {
            outlet: Some("Another Outlet".into()),
            ..d.clone()
        })
        .collect();
    let r = bank.ingest_documents(retitled, &opts(), None).unwrap();
    assert_eq!(r.replaced, docs.len(), "{r:?}");
    assert_eq!(bank.stats().unwrap().quotes, before);
    assert!(bank.optimize_if_due().unwrap(), "replacements are change");
    assert!(!bank.optimize_if_due().unwrap());
}

#[test]
fn a_second_document_with_the_same_id_in_one_ingest_is_refused_not_stored_over_the_first() {
    let db = TempDb::new("dup-ids");
    let mut bank = Bank::open(db.path()).unwrap();
    let doc = |id: &str, text: &str| NewDocument::new(id, text);
    let r = bank
        .ingest_documents(
            vec![
                doc("a", "\"Alpha,\" Smith said."),
                doc("b", "\"Gamma,\" Brown said."),
                doc("a", "\"Beta,\" Jones said."),
                doc("a", "\"Alpha,\" Smith said."),
            ],
            &opts(),
            None,
        )
        .unwrap();
    assert_eq!(
        (r.seen, r.inserted, r.replaced, r.unchanged),
        (4, 2, 0, 1),
        "{r:?}"
    );
    assert_eq!(r.rejected.len(), 1, "{r:?}");
    assert_eq!(r.rejected[0].id, "a");
    assert!(r.rejected[0].reason.contains("same id"), "{r:?}");
    let c = rusqlite::Connection::open(db.path()).unwrap();
    let text: String = c
        .query_row("SELECT text FROM documents WHERE id = 'a'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(text.contains("Alpha"), "{text}");
    // Across runs the same id still replaces: that is how a corrected article comes in.
    let r = bank
        .ingest_documents(vec![doc("a", "\"Beta,\" Jones said.")], &opts(), None)
        .unwrap();
    assert_eq!(r.replaced, 1, "{r:?}");
    // A refused document does not hold its id: the corrected copy after it is taken. A date
    // written two ways is one content, as the bank compares dates.
    let dated = |id: &str, date: &str| NewDocument {
        date: Some(date.into()),
        ..doc(id, "\"Delta,\" Smith said.")
    };
    let r = bank
        .ingest_documents(
            vec![
                dated("c", "2012-02-30"),
                dated("c", "2012-02-28"),
                dated("d", "2012-02-30"),
                dated("d", "2012-02-30"),
                dated("e", "2012-03-26"),
                dated("e", "2012-03-26T10:00"),
            ],
            &opts(),
            None,
        )
        .unwrap();
    assert_eq!(
        (r.inserted, r.unchanged, r.rejected.len()),
        (2, 1, 3),
        "{r:?}"
    );
    assert!(
        r.rejected.iter().all(|x| x.reason.contains("date")),
        "{r:?}"
    );
    assert!(bank.document("c").unwrap().is_some());
    assert!(bank.document("d").unwrap().is_none());
}

#[test]
fn removals_count_towards_the_optimize_as_much_as_additions() {
    let db = TempDb::new("removals");
    let mut bank = Bank::open(db.path()).unwrap();
    let meta = |key: &str| -> Option<i64> {
        let c = rusqlite::Connection::open(db.path()).unwrap();
        c.query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()
        .unwrap()
    };
    let docs = kill_corpus();
    bank.ingest_documents(docs.clone(), &opts(), None).unwrap();
    assert!(bank.optimize_if_due().unwrap());
    let total = bank.stats().unwrap().quotes;
    // Documents holding about a tenth of the quotes go, and as many quotes come: the net
    // count hardly moves, but a fifth of the bank has changed.
    let (mut gone, mut removed) = (0, 0);
    while removed * 10 < total {
        let c = rusqlite::Connection::open(db.path()).unwrap();
        removed += c
            .query_row(
                "SELECT count(*) FROM quotes JOIN documents d ON d.num = doc WHERE d.id = ?1",
                [&docs[gone].id],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        assert!(bank.delete_document(&docs[gone].id).unwrap());
        gone += 1;
    }
    assert_eq!(meta("quote_removed"), Some(removed));
    assert!(!bank.optimize_is_due().unwrap(), "a tenth only");
    let back: Vec<NewDocument> = docs[..gone]
        .iter()
        .map(|d| NewDocument {
            id: format!("{}-again", d.id),
            ..d.clone()
        })
        .collect();
    bank.ingest_documents(back, &opts(), None).unwrap();
    assert_eq!(bank.stats().unwrap().quotes, total);
    assert!(
        bank.optimize_if_due().unwrap(),
        "removed and stored both count"
    );
    assert_eq!(meta("optimized_removed"), Some(removed));
    // Replacing a document counts its old quotes as removed.
    let r = bank
        .ingest_documents(
            vec![NewDocument {
                text: format!("{} Jo Smith said: \"Fine.\"", docs[gone].text),
                ..docs[gone].clone()
            }],
            &opts(),
            None,
        )
        .unwrap();
    assert_eq!(r.replaced, 1);
    assert!(r.quotes_removed > 0);
    assert_eq!(
        meta("quote_removed"),
        Some(removed + r.quotes_removed as i64)
    );
    // A bank last optimized by a version that kept no count of removals: the net shrinkage
    // stands in for it.
    let c = rusqlite::Connection::open(db.path()).unwrap();
    c.execute("DELETE FROM meta WHERE key = 'optimized_removed'", [])
        .unwrap();
    c.execute(
        "UPDATE meta SET value = CAST(?1 AS TEXT) WHERE key = 'optimized_quotes'",
        [bank.stats().unwrap().quotes + total / 7],
    )
    .unwrap();
    assert!(bank.optimize_is_due().unwrap(), "shrunk by an eighth");
}

/// Not a test on its own: the child process of `kill_minus_nine_then_resume`.
#[test]
fn kill_child_entry() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut bank = Bank::open(&path).expect("child: open");
    bank.ingest_documents(kill_corpus(), &kill_opts(), None)
        .expect("child: ingest");
}

/// Everything observable about a bank, for comparing two of them.
fn fingerprint(bank: &Bank) -> Vec<String> {
    let mut out = vec![format!("{:?}", bank.stats().unwrap())];
    for d in kill_corpus() {
        let v = bank.document(&d.id).unwrap().expect("every document");
        for q in v.quotes {
            out.push(format!(
                "{} {:?} {:?} {} {}",
                d.id,
                q.content,
                q.speaker.map(|s| s.name),
                q.cluster_size,
                q.id
            ));
        }
    }
    out
}

#[test]
fn kill_minus_nine_then_resume() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let db = TempDb::new("killed");
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args([
            "--exact",
            "kill_child_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, db.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until a few batches are committed, then SIGKILL.
    let t0 = Instant::now();
    let committed = loop {
        std::thread::sleep(Duration::from_millis(20));
        let n = Bank::open_read_only(db.path())
            .and_then(|b| b.stats())
            .map(|s| s.documents)
            .unwrap_or(0);
        if n >= 30 {
            break n;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the child ended ({status}) before it could be killed");
        }
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "the child made no progress"
        );
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = Bank::open(db.path()).unwrap().stats().unwrap().documents;
    assert!(after_kill >= committed, "nothing committed was lost");
    assert!(
        (after_kill as usize) < KILL_DOCS,
        "killed mid-way ({after_kill} of {KILL_DOCS} done)"
    );
    assert_eq!(
        after_kill % kill_opts().batch_size as i64,
        0,
        "whole batches only"
    );

    // Resume: the rest is ingested, nothing twice.
    let mut bank = Bank::open(db.path()).unwrap();
    let r = bank
        .ingest_documents(kill_corpus(), &kill_opts(), None)
        .unwrap();
    assert_eq!(r.unchanged as i64, after_kill, "{r:?}");
    assert_eq!(r.inserted as i64, KILL_DOCS as i64 - after_kill, "{r:?}");

    // Same as a clean run.
    let clean_db = TempDb::new("clean");
    let mut clean = Bank::open(clean_db.path()).unwrap();
    clean
        .ingest_documents(kill_corpus(), &kill_opts(), None)
        .unwrap();
    assert_eq!(fingerprint(&bank), fingerprint(&clean));
    eprintln!("killed after {after_kill} of {KILL_DOCS} documents; resumed to an identical bank");
}

/// Two writers on one bank (an ingest and a server's POST, say): the second commits between
/// two batches of the first, which must go on numbering its quotes after the second's. The low
/// 32 bits of a quote id (its sequence number) key the in-memory quote lengths of relevance
/// order, so a number handed out twice would score one quote with another's length.
#[test]
fn two_writers_never_hand_out_the_same_quote_number() {
    let db = TempDb::new("two-writers");
    let first: Vec<_> = (0..6)
        .map(|i| {
            said(
                &format!("a{i}"),
                "bbc",
                "2012-03-26",
                "Context.",
                "Barack Obama",
                &format!("First writer remark number {i} about the economy."),
            )
        })
        .collect();
    let second: Vec<_> = (0..4)
        .map(|i| {
            said(
                &format!("b{i}"),
                "nyt",
                "2012-03-27",
                "Context.",
                "Dmitry Medvedev",
                &format!("Second writer remark number {i} about missiles."),
            )
        })
        .collect();
    let mut bank = Bank::open(db.path()).unwrap();
    let path = db.path().to_path_buf();
    let mut second = Some(second);
    let mut commits = 0;
    let mut interleave = |_: &verbatim_bank::IngestProgress| {
        commits += 1;
        // After the first writer's first commit, while it holds no lock.
        if let Some(docs) = second.take() {
            let mut other = Bank::open(&path).expect("second writer: open");
            let r = other
                .ingest_extracted(docs, &opts(), None)
                .expect("second writer: ingest");
            assert_eq!(r.inserted, 4);
        }
    };
    let one_per_batch = IngestOptions {
        jobs: 1,
        batch_size: 1,
        ..IngestOptions::default()
    };
    bank.ingest_extracted(first, &one_per_batch, Some(&mut interleave))
        .unwrap();
    assert!(commits >= 6, "a commit per document ({commits})");
    let mut seqs = Vec::new();
    for id in (0..6)
        .map(|i| format!("a{i}"))
        .chain((0..4).map(|i| format!("b{i}")))
    {
        let d = bank.document(&id).unwrap().expect("every document");
        assert_eq!(d.quotes.len(), 1, "{id}");
        seqs.push(d.quotes[0].id & 0xFFFF_FFFF);
    }
    let mut distinct = seqs.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), seqs.len(), "sequence numbers {seqs:?}");

    // A third writer starts after both: it numbers after every quote either wrote.
    let max = *distinct.last().unwrap();
    let (d, q) = said(
        "c0",
        "cnn",
        "2012-03-28",
        "Context.",
        "Barack Obama",
        "A third writer remark.",
    );
    ingest(&mut bank, vec![(d, q)]);
    let third = bank.document("c0").unwrap().unwrap().quotes[0].id & 0xFFFF_FFFF;
    assert!(third > max, "{third} after {max}");
}

/// A writer that asks for the lock in the middle of a long ingest gets it between two of the
/// ingest's batches, not after many of them (SQLite's own busy wait sleeps up to 100 ms between
/// tries, and a busy ingest takes the lock again a few microseconds after each commit: only the
/// WAL's occasional checkpoints left it a gap).
#[test]
fn a_second_writer_gets_its_turn_during_a_long_ingest() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let db = TempDb::new("turns");
    let mut bank = Bank::open(db.path()).unwrap();
    let docs: Vec<_> = (0..1500)
        .map(|i| {
            said(
                &format!("long{i}"),
                "bbc",
                "2012-01-01",
                "Context.",
                "Ann Lee",
                &format!("Remark number {i} of a long ingest, about nothing much."),
            )
        })
        .collect();
    let path = db.path().to_path_buf();
    let commits = std::sync::Arc::new(AtomicUsize::new(0));
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let other = {
        let commits = std::sync::Arc::clone(&commits);
        std::thread::spawn(move || {
            wait.recv().unwrap();
            let mut b = Bank::open(&path).unwrap();
            let (d, q) = said(
                "short",
                "nyt",
                "2012-01-02",
                "Context.",
                "Bo Ray",
                "One remark.",
            );
            let asked = commits.load(Ordering::SeqCst);
            b.ingest_extracted(vec![(d, q)], &opts(), None)
                .expect("the second writer got the lock");
            (asked, commits.load(Ordering::SeqCst))
        })
    };
    let mut go = Some(go);
    let mut progress = |_: &verbatim_bank::IngestProgress| {
        let n = commits.fetch_add(1, Ordering::SeqCst);
        if n == 3 {
            go.take().unwrap().send(()).unwrap();
        }
    };
    let small = IngestOptions {
        jobs: 2,
        batch_size: 5,
        ..IngestOptions::default()
    };
    let r = bank
        .ingest_extracted(docs, &small, Some(&mut progress))
        .unwrap();
    let (asked, got) = other.join().unwrap();
    let total = commits.load(Ordering::SeqCst);
    assert!(bank.document("short").unwrap().is_some());
    if r.write_secs < r.elapsed_secs * 0.8 {
        // The writer waited for the workers: it left gaps anyway, so the turn-taking cannot
        // be seen here (every run on the reference machine was 99% writer-bound).
        eprintln!(
            "skipped: this machine's ingest was not writer-bound ({:.2} of {:.2} s)",
            r.write_secs, r.elapsed_secs
        );
        return;
    }
    assert!(
        got < total,
        "the second writer waited for the whole ingest ({got} of {total} commits)"
    );
    // At most one batch here (31 without the pause); room for a loaded machine.
    assert!(
        got - asked <= 8,
        "the second writer waited {} batches (asked at commit {asked} of {total})",
        got - asked
    );
}

/// Quote ids are numbered per bank, so a length table filled from one bank must not be used
/// for another; the same bank opened again (or read-only) is the same bank.
#[test]
fn a_quote_length_table_serves_one_bank() {
    let (a, b) = (TempDb::new("lengths-a"), TempDb::new("lengths-b"));
    let mut bank_a = Bank::open(a.path()).unwrap();
    let mut bank_b = Bank::open(b.path()).unwrap();
    let id_a = bank_a.identity().unwrap();
    assert_ne!(id_a, bank_b.identity().unwrap());
    assert_eq!(
        Bank::open_read_only(a.path()).unwrap().identity().unwrap(),
        id_a
    );
    let lengths = std::sync::Arc::new(verbatim_bank::QuoteLengths::new());
    bank_a
        .keep_quote_lengths(std::sync::Arc::clone(&lengths))
        .unwrap();
    let mut again = Bank::open_read_only(a.path()).unwrap();
    again
        .keep_quote_lengths(std::sync::Arc::clone(&lengths))
        .unwrap();
    again.fill_quote_lengths(&lengths).unwrap();
    let e = bank_b
        .keep_quote_lengths(std::sync::Arc::clone(&lengths))
        .unwrap_err();
    assert!(e.to_string().contains("another bank"), "{e}");
    let e = bank_b.fill_quote_lengths(&lengths).unwrap_err();
    assert!(e.to_string().contains("another bank"), "{e}");
    drop(again);
    drop(bank_a); // last: it checkpoints the WAL into the file copied next

    // A copy of a bank (same id, its own quote numbers from now on) is another bank.
    let copy = TempDb::new("lengths-copy");
    std::fs::copy(a.path(), copy.path()).unwrap();
    let mut copied = Bank::open_read_only(copy.path()).unwrap();
    assert_eq!(copied.identity().unwrap().id, id_a.id);
    let e = copied
        .keep_quote_lengths(std::sync::Arc::clone(&lengths))
        .unwrap_err();
    assert!(e.to_string().contains("another bank"), "{e}");

    // A bank of an earlier version has no id until a writer opens it: a table tied to it
    // meanwhile still serves it afterwards.
    let old = TempDb::new("lengths-old");
    Bank::open(old.path()).unwrap();
    rusqlite::Connection::open(old.path())
        .unwrap()
        .execute("DELETE FROM meta WHERE key = 'bank_id'", [])
        .unwrap();
    let table = std::sync::Arc::new(verbatim_bank::QuoteLengths::new());
    let mut reader = Bank::open_read_only(old.path()).unwrap();
    assert_eq!(reader.identity().unwrap().id, None);
    reader
        .keep_quote_lengths(std::sync::Arc::clone(&table))
        .unwrap();
    let writer = Bank::open(old.path()).unwrap();
    assert!(writer.identity().unwrap().id.is_some());
    let mut later = Bank::open_read_only(old.path()).unwrap();
    later
        .keep_quote_lengths(std::sync::Arc::clone(&table))
        .unwrap();
    // ... and once the id is known, the same file with another id is refused.
    drop((reader, later, writer));
    rusqlite::Connection::open(old.path())
        .unwrap()
        .execute("UPDATE meta SET value = 'other' WHERE key = 'bank_id'", [])
        .unwrap();
    let mut replaced = Bank::open_read_only(old.path()).unwrap();
    let e = replaced.keep_quote_lengths(table).unwrap_err();
    assert!(e.to_string().contains("another bank"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Relevance scoring

/// Relevance order computes BM25 itself (FTS5's `rank` counts every match of every term before
/// scoring the first): for single words and phrases it must give FTS5's own scores and order,
/// and for several words the same order wherever the IDFs are exact (single words).
#[test]
fn relevance_scores_are_fts5_bm25() {
    let db = TempDb::new("bm25");
    let mut bank = Bank::open(db.path()).unwrap();
    let words = [
        "economy", "jobs", "missile", "defence", "the", "people", "shield", "growth", "Zürich",
        "tax",
    ];
    let mut docs = Vec::new();
    for i in 0..120usize {
        // Quotes of varied length and term frequency.
        let n = 4 + (i * 7) % 23;
        let content: Vec<&str> = (0..n)
            .map(|k| words[(i * 3 + k * k) % words.len()])
            .collect();
        let date = format!("20{:02}-{:02}-{:02}", 10 + i % 8, 1 + i % 12, 1 + i % 28);
        docs.push(said(
            &format!("b{i}"),
            "nyt",
            &date,
            "",
            "Barack Obama",
            &content.join(" "),
        ));
    }
    ingest(&mut bank, docs);
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let fts5 = |expr: &str| -> Vec<(i64, f64)> {
        conn.prepare(
            "SELECT rowid, rank FROM quotes_fts WHERE quotes_fts MATCH ?1 ORDER BY rank, rowid DESC",
        )
        .unwrap()
        .query_map([expr], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    let ours = |bank: &Bank, text: &str| -> Vec<(i64, f64)> {
        all_hits(
            bank,
            SearchQuery {
                text: Some(text.into()),
                order: Order::Relevance,
                limit: 50,
                ..Default::default()
            },
        )
        .into_iter()
        .map(|h| (h.quote_id, h.score.unwrap()))
        .collect()
    };
    // Before and after optimize: word counts come from the index until quotes_terms has them.
    for optimized in [false, true] {
        if optimized {
            bank.optimize().unwrap();
        }
        for (text, expr) in [
            ("economy", "\"economy\""),
            ("zurich", "\"zurich\""),
            ("\"missile defence\"", "\"missile defence\""),
            ("jobs tax", "\"jobs\" AND \"tax\""),
        ] {
            let (a, b) = (ours(&bank, text), fts5(expr));
            assert!(!b.is_empty(), "{text}");
            assert_eq!(
                a.iter().map(|x| x.0).collect::<Vec<_>>(),
                b.iter().map(|x| x.0).collect::<Vec<_>>(),
                "{text} (optimized: {optimized})"
            );
            if !text.contains('"') {
                for (x, y) in a.iter().zip(&b) {
                    assert!((x.1 - y.1).abs() < 1e-9, "{text}: {} vs {}", x.1, y.1);
                }
            }
        }
    }
    // A prefix term is ranked too (its IDF from the words it covers).
    assert!(!ours(&bank, "eco* jobs").is_empty());
}

#[test]
fn costly_terms_rank_a_smaller_window() {
    use verbatim_bank::query::{relevance_window, RELEVANCE_WINDOW, RELEVANCE_WINDOW_COSTLY};
    assert_eq!(relevance_window(false), RELEVANCE_WINDOW);
    assert_eq!(relevance_window(true), RELEVANCE_WINDOW_COSTLY);
    const { assert!(RELEVANCE_WINDOW_COSTLY < RELEVANCE_WINDOW) };
}

#[test]
fn relevance_ranks_the_newest_window_and_reads_on_for_a_selective_filter() {
    use verbatim_bank::query::RELEVANCE_WINDOW;
    let db = TempDb::new("window");
    let mut bank = Bank::open(db.path()).unwrap();
    // Three old, short (so best-scoring) matches in a small outlet, then more than a window
    // of newer, longer matches in a big one.
    let mut docs = Vec::new();
    for i in 0..3 {
        docs.push(said(
            &format!("old{i}"),
            "small",
            &format!("2001-01-0{}", i + 1),
            "",
            "Ann Old",
            "economy first",
        ));
    }
    for i in 0..RELEVANCE_WINDOW + 100 {
        docs.push(said(
            &format!("new{i}"),
            "big",
            &format!("2015-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            "",
            "Bo New",
            &format!("the economy is growing in district number {i} and beyond"),
        ));
    }
    ingest(&mut bank, docs);
    let rel = |outlet: Option<&str>| {
        bank.search(&SearchQuery {
            text: Some("economy".into()),
            outlet: outlet.map(str::to_string),
            order: Order::Relevance,
            ..Default::default()
        })
        .unwrap()
        .hits
    };
    // Unfiltered: the old quotes are outside the newest window, so not ranked.
    let hits = rel(None);
    assert_eq!(hits.len(), 20);
    assert!(hits.iter().all(|h| h.outlet.as_deref() == Some("big")));
    // Filtered to the small outlet: none of its matches is in the window; reading on finds
    // all three, best first.
    let hits = rel(Some("small"));
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert!(hits.iter().all(|h| h.text.contains("economy first")));
}

/// An ingest links with what the bank knows at the time; a relink gives the same links
/// whatever order the documents came in: "Rubio" stored while Marco Rubio was the only Rubio
/// is no longer his once Luis Rubio is known too.
#[test]
fn a_relink_does_not_depend_on_the_order_of_the_documents() {
    let docs = || {
        vec![
            said(
                "marco",
                "ap",
                "2016-02-01",
                "",
                "Marco Rubio",
                "we will win Florida",
            ),
            said(
                "bare",
                "ap",
                "2016-02-02",
                "A rally.",
                "Rubio",
                "this is our moment",
            ),
            said(
                "luis",
                "ap",
                "2016-02-03",
                "",
                "Luis Rubio",
                "the peso is weak today",
            ),
        ]
    };
    let mut links = Vec::new();
    for order in [[0, 1, 2], [2, 0, 1]] {
        let db = TempDb::new(&format!("order-{}", order[0]));
        let mut bank = Bank::open(db.path()).unwrap();
        let mut all: Vec<Option<_>> = docs().into_iter().map(Some).collect();
        for i in order {
            ingest(&mut bank, vec![all[i].take().unwrap()]);
        }
        let before = bank.document("bare").unwrap().unwrap().quotes[0]
            .speaker_link
            .clone();
        bank.relink_all_speakers().unwrap();
        let after = bank.document("bare").unwrap().unwrap().quotes[0]
            .speaker_link
            .clone();
        links.push((before, after, speaker_of(&bank, "bare")));
    }
    assert_eq!(links[0].0.as_deref(), Some("bank"), "{links:?}");
    assert_eq!(links[1].0.as_deref(), Some("ambiguous"), "{links:?}");
    assert_eq!(links[0].1, links[1].1, "{links:?}");
    assert_eq!(links[0].1.as_deref(), Some("ambiguous"));
    assert_eq!(links[0].2, links[1].2);
}

/// Paging in relevance order shows every match once, also past the window of newest matches
/// that is ranked (2,000), with and without a speaker filter.
#[test]
fn relevance_paging_shows_each_match_once_past_the_window() {
    let db = TempDb::new("relevance-paging");
    let mut bank = Bank::open(db.path()).unwrap();
    let n = verbatim_bank::query::RELEVANCE_WINDOW + 150;
    let docs: Vec<_> = (0..n)
        .map(|i| {
            // Scores differ: "budget" once or twice among more or fewer other words.
            let filler = "more words here ".repeat(i % 7);
            let twice = if i % 3 == 0 { " budget" } else { "" };
            let speaker = if i % 2 == 0 { "Jane Doe" } else { "John Roe" };
            let content = format!("the budget{twice} number {i} {filler}now");
            let date = format!("2016-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
            said(&format!("d{i}"), "ap", &date, "", speaker, &content)
        })
        .collect();
    ingest(&mut bank, docs);
    for (speaker, want) in [(None, n), (Some("Jane Doe"), n.div_ceil(2))] {
        let hits = all_hits(
            &bank,
            SearchQuery {
                text: Some("budget".into()),
                speaker: speaker.map(str::to_string),
                order: Order::Relevance,
                limit: 97,
                ..Default::default()
            },
        );
        let ids: std::collections::HashSet<i64> = hits.iter().map(|h| h.quote_id).collect();
        assert_eq!(hits.len(), want, "{speaker:?}");
        assert_eq!(ids.len(), want, "{speaker:?}: a match shown twice");
        // The first page is ranked: the best score comes first.
        let first = hits[0].score.unwrap();
        assert!(hits[..97].iter().all(|h| h.score.unwrap() >= first));
    }
    // Relevance order pages only so deep: each page scores every match down to its offset.
    let deep = |cursor: &str| {
        bank.search(&SearchQuery {
            text: Some("budget".into()),
            order: Order::Relevance,
            cursor: Some(cursor.into()),
            ..Default::default()
        })
    };
    let max = verbatim_bank::query::MAX_RELEVANCE_OFFSET;
    let e = deep(&format!("r{max}")).unwrap_err().to_string();
    assert!(e.contains("newest first"), "{e}");
    assert!(deep(&format!("r{}", max - 1)).is_ok());
}

/// A search by "President Obama" or "Mrs. Clinton" is narrowed by the title as linking uses
/// it; a bare surname still finds everyone of that name.
#[test]
fn a_speaker_filter_with_a_title_finds_whom_the_title_fits() {
    let db = TempDb::new("find-title");
    let mut bank = Bank::open(db.path()).unwrap();
    let mut docs = the_obamas();
    docs.extend([
        said(
            "b",
            "ap",
            "2016-01-03",
            "Former President Bill Clinton spoke.",
            "Bill Clinton",
            "it depends on what is is",
        ),
        said(
            "h",
            "ap",
            "2016-01-04",
            "",
            "Hillary Clinton",
            "we are stronger together",
        ),
        said(
            "amb",
            "ap",
            "2016-01-05",
            "A rally.",
            "Obama",
            "we are not done yet",
        ),
    ]);
    ingest(&mut bank, docs);
    let names = |q: &str| {
        let mut v: Vec<String> = bank
            .find_speakers(q)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("President Obama"), ["Barack Obama"]);
    assert_eq!(names("Mr. Obama"), ["Barack Obama"]);
    assert_eq!(names("Ms. Clinton"), ["Hillary Clinton"]);
    assert_eq!(names("Mrs. Clinton"), ["Hillary Clinton"]);
    assert_eq!(names("President Clinton"), ["Bill Clinton"]);
    assert_eq!(names("Obama"), ["Barack Obama", "Michelle Obama", "Obama"]);
}

/// Names written with and without diacritics are one speaker ("Junot Díaz", "Junot Diaz"),
/// and found either way; a version 8 bank, which kept them apart, is merged on opening.
#[test]
fn diacritics_do_not_split_a_speaker_and_an_older_bank_is_merged() {
    let db = TempDb::new("diacritics");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            said(
                "d1",
                "ap",
                "2016-01-01",
                "",
                "Junot Díaz",
                "writing is a long road",
            ),
            said(
                "d2",
                "nyt",
                "2016-01-02",
                "",
                "Junot Diaz",
                "books saved my life",
            ),
            said(
                "f1",
                "ap",
                "2016-01-03",
                "",
                "François Hollande",
                "France is at war",
            ),
        ],
    );
    assert_eq!(speaker_id_of(&bank, "d1"), speaker_id_of(&bank, "d2"));
    let found = bank.find_speakers("Francois Hollande").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "François Hollande");
    drop(bank);
    // As version 8 stored them: two entities, keys with diacritics.
    {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.execute_batch(
            "INSERT INTO speakers (id, name, key, surname, first, partial, quote_count)
                 VALUES (100, 'Junot Díaz', 'junot díaz', 'díaz', 'junot', 0, 1);
             UPDATE quotes SET speaker_id = 100, speaker_key = 'junot díaz'
                 WHERE doc = (SELECT num FROM documents WHERE id = 'd1');
             INSERT INTO name_roles (key, role) VALUES ('junot díaz', 'author');
             ALTER TABLE documents DROP COLUMN engine;
             ALTER TABLE documents DROP COLUMN quotes_digest;
             DELETE FROM schema_version; INSERT INTO schema_version VALUES (8);",
        )
        .unwrap();
    }
    let mut bank = Bank::open(db.path()).unwrap();
    let one = speaker_id_of(&bank, "d2").unwrap();
    assert_eq!(speaker_id_of(&bank, "d1"), Some(one));
    // The merged entity's id is not given to the next new person.
    ingest(
        &mut bank,
        vec![said(
            "n",
            "ap",
            "2016-01-04",
            "",
            "Robert Jones",
            "we start today",
        )],
    );
    assert!(speaker_id_of(&bank, "n").unwrap() > 100);
    let s = bank.speaker(one).unwrap().unwrap();
    assert_eq!(s.summary.quote_count, 2, "{s:?}");
    assert_eq!(s.spellings.iter().map(|c| c.n).sum::<i64>(), 2, "{s:?}");
    drop(bank);
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let stale: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM speakers WHERE key <> lower(key) OR id = 100)
                  + (SELECT count(*) FROM name_roles WHERE key = 'junot díaz')
                  + (SELECT count(*) FROM quotes WHERE speaker_key = 'junot díaz')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0);
    let role: i64 = conn
        .query_row(
            "SELECT count(*) FROM name_roles WHERE key = 'junot diaz'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(role, 1);
}

/// The people a document's title picks among those it names are known before any bare
/// name is linked in a relink: "Clinton" in a third document is no more Chelsea Clinton's
/// in one order than in another.
#[test]
fn a_relink_knows_the_people_titles_pick_before_linking_bare_names() {
    let docs = || {
        vec![
            said(
                "a",
                "ap",
                "2016-02-01",
                "Hillary Clinton and Bill Clinton came.",
                "Mrs. Clinton",
                "we are stronger together",
            ),
            said(
                "b",
                "ap",
                "2016-02-02",
                "A rally.",
                "Clinton",
                "this is our moment now",
            ),
            said(
                "c",
                "ap",
                "2016-02-03",
                "Chelsea Clinton spoke.",
                "Clinton",
                "my mother is ready",
            ),
        ]
    };
    let mut links = Vec::new();
    for order in [[2, 0, 1], [2, 1, 0]] {
        let db = TempDb::new(&format!("titles-order-{}", order[1]));
        let mut bank = Bank::open(db.path()).unwrap();
        let mut all: Vec<Option<_>> = docs().into_iter().map(Some).collect();
        for i in order {
            ingest(&mut bank, vec![all[i].take().unwrap()]);
        }
        bank.relink_all_speakers().unwrap();
        let d = bank.document("b").unwrap().unwrap();
        links.push((
            d.quotes[0].speaker_link.clone(),
            speaker_of(&bank, "b"),
            speaker_of(&bank, "a"),
        ));
    }
    assert_eq!(links[0], links[1], "{links:?}");
    assert_eq!(links[0].0.as_deref(), Some("ambiguous"));
    assert_eq!(links[0].2.as_deref(), Some("Hillary Clinton"));
}

/// Middle names and a doubled letter are offered too ("Hillary Rodham Clinton" and "Hilary
/// Clinton" beside "Hillary Clinton"), each name once and mapped to its group's most quoted
/// name, so that loading the lines makes one speaker; two similar names quoted alike (Mark
/// and Mary, Ana and Anna) are not offered.
#[test]
fn alias_suggestions_include_middle_names_and_doubled_letters() {
    let db = TempDb::new("suggest-more");
    let mut bank = Bank::open(db.path()).unwrap();
    let mut docs: Vec<_> = (0..5)
        .map(|i| {
            said(
                &format!("h{i}"),
                "ap",
                "2016-01-01",
                "",
                "Hillary Clinton",
                &format!("we are stronger together number {i}"),
            )
        })
        .collect();
    docs.extend([
        said(
            "r1",
            "nyt",
            "2016-01-03",
            "",
            "Hillary Rodham Clinton",
            "it takes a village",
        ),
        said(
            "r2",
            "nyt",
            "2016-01-03",
            "",
            "Hilary Rodham Clinton",
            "it takes a village too",
        ),
        said(
            "s1",
            "bb",
            "2016-01-04",
            "",
            "Hilary Clinton",
            "deplorables, I said",
        ),
        said(
            "m1",
            "ap",
            "2016-01-05",
            "",
            "Mark Smith",
            "the bill passed today",
        ),
        said(
            "m2",
            "ap",
            "2016-01-06",
            "",
            "Mary Smith",
            "the bill failed today",
        ),
        said(
            "a1",
            "ap",
            "2016-01-05",
            "",
            "Ana Gomez",
            "the vote was close",
        ),
        said(
            "a2",
            "ap",
            "2016-01-06",
            "",
            "Anna Gomez",
            "the vote was fair",
        ),
        // Organisations are not people with middle names.
        said(
            "o1",
            "ap",
            "2016-01-07",
            "",
            "Holocaust Memorial Museum",
            "never forget this",
        ),
        said(
            "o2",
            "ap",
            "2016-01-08",
            "",
            "Holocaust Museum",
            "we remember them",
        ),
    ]);
    ingest(&mut bank, docs);
    let s = bank.alias_suggestions().unwrap();
    let mut got: Vec<(&str, &str, &str)> = s
        .iter()
        .map(|a| (a.alias.as_str(), a.canonical.as_str(), a.why))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("Hilary Clinton", "Hillary Clinton", "spelling"),
            (
                "Hilary Rodham Clinton",
                "Hillary Clinton",
                "middle and spelling"
            ),
            ("Hillary Rodham Clinton", "Hillary Clinton", "middle"),
        ]
    );
    let aliases: Vec<Alias> = s
        .iter()
        .map(|a| Alias {
            alias: a.alias.clone(),
            canonical: a.canonical.clone(),
            external_id: None,
        })
        .collect();
    bank.add_aliases(&aliases).unwrap();
    let hillary = speaker_id_of(&bank, "h0");
    for id in ["r1", "r2", "s1"] {
        assert_eq!(speaker_id_of(&bank, id), hillary, "{id}");
    }
    // A name that is itself an alias, as a canonical: its entity.
    bank.add_aliases(&[Alias {
        alias: "HRC".into(),
        canonical: "Hilary Clinton".into(),
        external_id: None,
    }])
    .unwrap();
    let found = bank.find_speakers("HRC").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(Some(found[0].id), hillary);
}

/// A corrected title or URL keeps the article's quotes, their ids (links to them) and
/// clusters; a changed outlet or date makes them again, as a changed text does.
#[test]
fn a_new_title_or_url_keeps_the_quotes_and_their_ids() {
    let db = TempDb::new("retitle");
    let mut bank = Bank::open(db.path()).unwrap();
    let remark = "We will not allow the embassy to be moved before the talks are over";
    let titled = |title: &str, url: &str, outlet: &str| {
        let (mut d, q) = said("a", outlet, "2016-01-01", "", "Jane Doe", remark);
        d.title = Some(title.into());
        d.url = Some(url.into());
        (d, q)
    };
    ingest(
        &mut bank,
        vec![titled("Draft", "https://x.example/1", "nyt")],
    );
    let before = bank.document("a").unwrap().unwrap().quotes[0].id;
    let r = ingest(
        &mut bank,
        vec![titled("Final", "https://x.example/2", "nyt")],
    );
    assert_eq!(
        (r.replaced, r.quotes_removed, r.quotes_added),
        (1, 0, 0),
        "{r:?}"
    );
    let d = bank.document("a").unwrap().unwrap();
    assert_eq!(d.title.as_deref(), Some("Final"));
    assert_eq!(d.url.as_deref(), Some("https://x.example/2"));
    assert_eq!(d.quotes[0].id, before);
    // Unchanged now.
    let r = ingest(
        &mut bank,
        vec![titled("Final", "https://x.example/2", "nyt")],
    );
    assert_eq!(r.unchanged, 1, "{r:?}");
    // Another outlet: the counts by outlet depend on it, so the quotes are made again.
    let r = ingest(
        &mut bank,
        vec![titled("Final", "https://x.example/2", "wapo")],
    );
    assert_eq!(
        (r.replaced, r.quotes_removed, r.quotes_added),
        (1, 1, 1),
        "{r:?}"
    );
    assert_totals_are_recounts(db.path());
}

/// Who gets quoted in one outlet, in one period: the counts and breakdowns of a filtered
/// speaker list are those of the quotes that outlet and those months hold.
#[test]
fn speaker_lists_count_within_an_outlet_and_months() {
    let db = TempDb::new("speakers-within");
    let mut bank = Bank::open(db.path()).unwrap();
    let mut docs = Vec::new();
    for i in 0..24 {
        let outlet = ["NYT", "wapo", "bbc"][i % 3];
        let speaker = ["Jane Doe", "John Roe"][i % 2];
        let date = format!("2016-{:02}-15", 1 + i % 6);
        let content = format!("remark number {i} about the budget today");
        docs.push(said(&format!("d{i}"), outlet, &date, "", speaker, &content));
    }
    docs.push(said(
        "undated",
        "NYT",
        "",
        "",
        "Jane Doe",
        "a remark with no date at all",
    ));
    ingest(&mut bank, docs);
    let list = |outlet: Option<&str>, since: Option<&str>, until: Option<&str>| {
        bank.list_speakers(&SpeakerListQuery {
            outlet: outlet.map(str::to_string),
            since: since.map(str::to_string),
            until: until.map(str::to_string),
            ..Default::default()
        })
    };
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let count = |name: &str, cond: &str| -> i64 {
        conn.query_row(
            &format!(
                "SELECT count(*) FROM quotes q JOIN speakers s ON s.id = q.speaker_id
                 WHERE s.name = ?1 AND {cond}"
            ),
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    // An outlet in another case, as search takes it.
    let nyt = list(Some("nyt"), None, None).unwrap();
    for s in &nyt {
        assert_eq!(s.quote_count, count(&s.name, "q.outlet = 'NYT'"), "{s:?}");
        assert_eq!(s.by_outlet.len(), 1);
        assert_eq!(s.by_outlet[0].key, "NYT");
    }
    assert_eq!(nyt.len(), 2);
    let spring = list(None, Some("2016-02"), Some("2016-04")).unwrap();
    for s in &spring {
        let want = count(
            &s.name,
            "q.published >= '2016-02-01' AND q.published < '2016-05-01'",
        );
        assert_eq!(s.quote_count, want, "{s:?}");
        assert!(s
            .by_month
            .iter()
            .all(|m| ("2016-02".."2016-05").contains(&m.key.as_str())));
        assert_eq!(s.by_month.iter().map(|m| m.n).sum::<i64>(), want);
    }
    // A year is its twelve months; a year with no quotes lists no one.
    assert_eq!(
        list(None, Some("2016"), Some("2016"))
            .unwrap()
            .iter()
            .map(|s| s.quote_count)
            .sum::<i64>(),
        24
    );
    assert!(list(None, Some("2017"), None).unwrap().is_empty());
    // Counts are kept by month: a day is refused, saying so.
    let e = list(None, Some("2016-02-15"), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("by month"), "{e}");
    assert!(list(None, None, Some("2016-13")).is_err());
    // Months as search reads them; an empty bound is none; a reversed range is refused.
    let a = list(None, Some("2016-2"), Some("2016/04")).unwrap();
    assert_eq!(a, spring);
    assert_eq!(list(None, Some(" "), None).unwrap().len(), 2);
    let e = list(None, Some("2016-05"), Some("2016-03"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("swap"), "{e}");
}
