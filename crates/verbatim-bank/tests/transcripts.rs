//! Transcripts in the bank, and article quotes verified against them, on real temporary
//! databases with the bundled example article and its transcript.

mod common;

use common::TempDb;
use std::path::Path;
use verbatim_bank::{
    Bank, DocumentKind, DocumentView, IngestOptions, IngestReport, NewDocument, QuoteView,
    SearchQuery,
};

const ARTICLE: &str = "bbc-open-mic";
const TRANSCRIPT: &str = "abc-transcript";
const DATE: &str = "2012-03-26";

fn example(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(p).expect("a bundled example")
}

fn article_text() -> String {
    example("obama-medvedev-open-mic.txt")
}

fn transcript_text() -> String {
    example("obama-medvedev-transcript.txt")
}

fn article(id: &str, text: &str) -> NewDocument {
    NewDocument {
        outlet: Some("bbc".into()),
        date: Some(DATE.into()),
        title: Some("Obama and Medvedev caught in unguarded missile remarks".into()),
        ..NewDocument::new(id, text)
    }
}

fn transcript(text: &str) -> NewDocument {
    NewDocument {
        outlet: Some("abc".into()),
        date: Some(DATE.into()),
        title: Some("Transcript: Obama and Medvedev in Seoul".into()),
        ..NewDocument::transcript(TRANSCRIPT, text)
    }
}

fn ingest(bank: &mut Bank, docs: Vec<NewDocument>) -> IngestReport {
    let opts = IngestOptions {
        jobs: 2,
        batch_size: 50,
        ..IngestOptions::default()
    };
    let rep = bank.ingest_documents(docs, &opts, None).expect("ingest");
    assert!(rep.rejected.is_empty(), "{:?}", rep.rejected);
    rep
}

fn document(bank: &Bank, id: &str) -> DocumentView {
    bank.document(id).unwrap().expect("stored document")
}

/// The quote whose content has these words.
fn quote<'d>(doc: &'d DocumentView, words: &str) -> &'d QuoteView {
    doc.quotes
        .iter()
        .find(|q| q.content.iter().any(|c| c.text.contains(words)))
        .unwrap_or_else(|| panic!("no quote with {words:?} in {}", doc.id))
}

const FLEXIBILITY: &str = "After my election I have more flexibility";

/// The article's "flexibility" quote is verified verbatim against the transcript, with the
/// span of the transcript where it was said, and the transcript's turn lists it back.
fn assert_verbatim_link(bank: &Bank) {
    let doc = document(bank, ARTICLE);
    assert_eq!(doc.kind, DocumentKind::Article);
    let q = quote(&doc, FLEXIBILITY);
    assert_eq!(q.verifications.len(), 1, "{:#?}", q.verifications);
    let v = &q.verifications[0];
    assert_eq!(v.transcript_id, TRANSCRIPT);
    assert_eq!(
        v.transcript_title.as_deref(),
        Some("Transcript: Obama and Medvedev in Seoul")
    );
    assert_eq!(v.verdict, "verbatim");
    assert_eq!(v.speaker_matches, Some(true));
    assert_eq!(v.transcript_speaker.as_deref(), Some("President Obama"));
    assert!(v.score > 0.99, "{}", v.score);
    assert!(
        !v.diff.contains("[-") && !v.diff.contains("{+"),
        "{}",
        v.diff
    );
    let said = v.said.as_ref().expect("a said span");
    let t = transcript_text();
    let cut: String = t
        .chars()
        .skip(said.start)
        .take(said.end - said.start)
        .collect();
    assert_eq!(
        cut, said.text,
        "the span is in code points of the transcript"
    );
    assert!(
        said.text.starts_with("This is my last election")
            && said.text.trim_end_matches('.').ends_with(FLEXIBILITY),
        "{said:?}"
    );

    // The other way: the transcript's turn knows who reported it.
    let tdoc = document(bank, TRANSCRIPT);
    assert_eq!(tdoc.kind, DocumentKind::Transcript);
    let turn = quote(&tdoc, FLEXIBILITY);
    assert!(turn.verifications.is_empty());
    assert_eq!(turn.speaker_raw.as_deref(), Some("President Obama"));
    assert_eq!(turn.setting.as_deref(), Some("overheard"));
    let back = turn
        .reported_by
        .iter()
        .find(|r| r.quote_id == q.id)
        .expect("reported_by lists the article quote");
    assert_eq!(back.document_id, ARTICLE);
    assert_eq!(back.verdict, "verbatim");
    assert_eq!(back.said.as_ref(), Some(said));

    // Search results carry the best verdict as a badge.
    let page = bank
        .search(&SearchQuery {
            text: Some("flexibility".into()),
            ..Default::default()
        })
        .unwrap();
    let hit = page.hits.iter().find(|h| h.quote_id == q.id).expect("hit");
    assert_eq!(hit.verdict.as_deref(), Some("verbatim"));
    let turn_hit = page
        .hits
        .iter()
        .find(|h| h.quote_id == turn.id)
        .expect("turn hit");
    assert_eq!(turn_hit.verdict, None);
}

#[test]
fn a_quote_links_to_its_transcript_in_either_order() {
    for transcript_first in [false, true] {
        let db = TempDb::new("order");
        let mut bank = Bank::open(db.path()).unwrap();
        let (a, t) = (
            article(ARTICLE, &article_text()),
            transcript(&transcript_text()),
        );
        let (first, second) = if transcript_first { (t, a) } else { (a, t) };
        ingest(&mut bank, vec![first]);
        let rep = ingest(&mut bank, vec![second]);
        assert!(rep.verifications >= 4, "{rep}");
        assert_verbatim_link(&bank);
        // The turns are quotes like any other: searchable, clustered with the article's.
        let doc = document(&bank, ARTICLE);
        let tdoc = document(&bank, TRANSCRIPT);
        assert_eq!(tdoc.quotes.len(), 4);
        assert_eq!(
            quote(&doc, FLEXIBILITY).cluster_id,
            quote(&tdoc, FLEXIBILITY).cluster_id
        );
    }
}

#[test]
fn both_in_one_batch_and_reingest_changes_nothing() {
    let db = TempDb::new("batch");
    let mut bank = Bank::open(db.path()).unwrap();
    let docs = vec![
        transcript(&transcript_text()),
        article(ARTICLE, &article_text()),
    ];
    ingest(&mut bank, docs.clone());
    assert_verbatim_link(&bank);
    let before = (document(&bank, ARTICLE), document(&bank, TRANSCRIPT));
    let rep = ingest(&mut bank, docs);
    assert_eq!(rep.unchanged, 2, "{rep}");
    assert_eq!(rep.verifications, 0);
    assert_eq!(
        (document(&bank, ARTICLE), document(&bank, TRANSCRIPT)),
        before
    );
    // Linking the speakers again verifies the articles again (here: after the verifications
    // were lost), with the speakers it makes.
    drop(bank);
    rusqlite::Connection::open(db.path())
        .unwrap()
        .execute("DELETE FROM verifications", [])
        .unwrap();
    let mut bank = Bank::open(db.path()).unwrap();
    let r = bank.relink_all_speakers().unwrap();
    assert_eq!(r.moved, 0, "{r:?}");
    assert_verbatim_link(&bank);
}

#[test]
fn an_edited_quote_shows_the_diff_and_a_made_up_one_is_not_linked() {
    let db = TempDb::new("edited");
    let mut bank = Bank::open(db.path()).unwrap();
    let edited = article_text().replace(
        "After my election I have more flexibility.",
        "After my election I have more freedom.",
    );
    let made_up = format!(
        "{}\n\nMr Obama also said: \"We will send a brass band to the moon before Easter.\"\n",
        article_text()
    );
    ingest(
        &mut bank,
        vec![
            article("edited", &edited),
            article("made-up", &made_up),
            transcript(&transcript_text()),
        ],
    );
    let doc = document(&bank, "edited");
    let q = quote(&doc, "After my election I have more freedom");
    assert_eq!(q.verifications.len(), 1, "{:#?}", q.verifications);
    let v = &q.verifications[0];
    assert_eq!(v.verdict, "edited");
    assert!(v.diff.contains("[-flexibility-]{+freedom+}"), "{}", v.diff);
    assert!(v.score < 1.0);
    let hits = bank
        .search(&SearchQuery {
            text: Some("freedom".into()),
            ..Default::default()
        })
        .unwrap()
        .hits;
    assert_eq!(hits[0].verdict.as_deref(), Some("edited"));

    let doc = document(&bank, "made-up");
    let brass = quote(&doc, "brass band");
    assert!(brass.verifications.is_empty(), "{:#?}", brass.verifications);
    // The same article's real remarks are linked: the transcript was a candidate.
    assert_eq!(
        quote(&doc, FLEXIBILITY).verifications[0].verdict,
        "verbatim"
    );
}

#[test]
fn replacing_or_deleting_the_transcript_updates_the_verifications() {
    let db = TempDb::new("replace");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            article(ARTICLE, &article_text()),
            transcript(&transcript_text()),
        ],
    );
    assert_verbatim_link(&bank);
    // A corrected transcript: Obama's words differ from what the article printed.
    let corrected = transcript_text().replace(
        "After my election I have more flexibility.",
        "After my election I will have more flexibility.",
    );
    let rep = ingest(&mut bank, vec![transcript(&corrected)]);
    assert_eq!(rep.replaced, 1);
    let doc = document(&bank, ARTICLE);
    let v = &quote(&doc, FLEXIBILITY).verifications;
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].verdict, "edited");
    assert!(v[0].diff.contains("[-will-]"), "{}", v[0].diff);
    // Unchanged quotes were verified again against the new version, not lost.
    let space = quote(&doc, "give me space");
    assert_eq!(space.verifications[0].verdict, "verbatim");

    // Deleting the transcript removes every link to it.
    assert!(bank.delete_document(TRANSCRIPT).unwrap());
    let doc = document(&bank, ARTICLE);
    assert!(doc.quotes.iter().all(|q| q.verifications.is_empty()));
    let hits = bank
        .search(&SearchQuery {
            text: Some("flexibility".into()),
            ..Default::default()
        })
        .unwrap()
        .hits;
    assert!(hits.iter().all(|h| h.verdict.is_none()));
}

#[test]
fn replacing_the_article_replaces_its_verifications() {
    let db = TempDb::new("replace-article");
    let mut bank = Bank::open(db.path()).unwrap();
    ingest(
        &mut bank,
        vec![
            transcript(&transcript_text()),
            article(ARTICLE, &article_text()),
        ],
    );
    let edited = article_text().replace(
        "After my election I have more flexibility.",
        "After my election I have more freedom.",
    );
    let rep = ingest(&mut bank, vec![article(ARTICLE, &edited)]);
    assert_eq!(rep.replaced, 1);
    let doc = document(&bank, ARTICLE);
    let q = quote(&doc, "more freedom");
    assert_eq!(q.verifications.len(), 1);
    assert_eq!(q.verifications[0].verdict, "edited");
    // The transcript's turn lists the new quotes only.
    let tdoc = document(&bank, TRANSCRIPT);
    let reports = &quote(&tdoc, FLEXIBILITY).reported_by;
    assert!(reports.iter().any(|r| r.quote_id == q.id));
    assert!(
        reports
            .iter()
            .all(|r| doc.quotes.iter().any(|q| q.id == r.quote_id)),
        "{reports:#?}"
    );
}

#[test]
fn a_transcript_is_a_candidate_by_speaker_and_date_without_a_shared_cluster() {
    // The article quotes a two-word fragment only: no wording clusters with a turn. Same
    // speaker, two days later: the transcript is still a candidate, and the fragment is found,
    // whichever arrives first.
    let text = "US President Barack Obama met Dmitry Medvedev in Seoul. Mr Obama said he \
                would have \"more flexibility\" after his election.";
    let far = "US President Barack Obama spoke in Ohio. Mr Obama said he would have \
               \"more flexibility\" after his election.";
    let articles = vec![
        NewDocument {
            date: Some("2012-03-28".into()),
            ..NewDocument::new("near", text)
        },
        NewDocument {
            date: Some("2012-05-28".into()),
            ..NewDocument::new("far", far)
        },
    ];
    for transcript_first in [true, false] {
        let db = TempDb::new("speaker-date");
        let mut bank = Bank::open(db.path()).unwrap();
        let t = vec![transcript(&transcript_text())];
        let (first, second) = if transcript_first {
            (t, articles.clone())
        } else {
            (articles.clone(), t)
        };
        ingest(&mut bank, first);
        ingest(&mut bank, second);
        let near = document(&bank, "near");
        let v: Vec<&str> = near
            .quotes
            .iter()
            .flat_map(|q| q.verifications.iter().map(|v| v.verdict.as_str()))
            .collect();
        assert_eq!(
            v,
            ["partial"],
            "transcript first: {transcript_first}; {near:#?}"
        );
        let far = document(&bank, "far");
        assert!(
            far.quotes.iter().all(|q| q.verifications.is_empty()),
            "two months later and no shared remark: not a candidate"
        );
    }
}

#[test]
fn transcript_documents_from_json_and_parse_problems() {
    let d = NewDocument::from_json(
        r#"{"id": "t1", "text": "OBAMA: Hi.", "kind": "transcript", "format": "labelled", "setting": "hot mic"}"#,
    )
    .unwrap();
    assert_eq!(d.kind, DocumentKind::Transcript);
    assert_eq!(d.transcript_format.as_deref(), Some("labelled"));
    assert_eq!(d.setting.as_deref(), Some("hot mic"));
    assert_eq!(
        NewDocument::from_json(r#"{"id": "a", "text": "x"}"#)
            .unwrap()
            .kind,
        DocumentKind::Article
    );
    for bad in [
        r#"{"id": "t", "text": "x", "kind": "podcast"}"#,
        r#"{"id": "t", "text": "x", "kind": "transcript", "format": "docx"}"#,
        r#"{"id": "t", "text": "x", "kind": "transcript", "setting": "underwater"}"#,
    ] {
        assert!(NewDocument::from_json(bad).is_err(), "{bad}");
    }

    let db = TempDb::new("warnings");
    let mut bank = Bank::open(db.path()).unwrap();
    let opts = IngestOptions::default();
    let with_setting = |setting: &str| NewDocument {
        setting: Some(setting.into()),
        transcript_format: Some("labelled".into()),
        ..NewDocument::transcript("set", "OBAMA: Hello there.")
    };
    let rep = bank
        .ingest_documents(
            vec![
                NewDocument::transcript(
                    "warned",
                    "OBAMA: This is my last election.\nMEDVEDEV:\nOBAMA: After my election I have more flexibility.\n",
                ),
                NewDocument::transcript("empty", "   \n"),
                NewDocument {
                    transcript_format: Some("docx".into()),
                    ..NewDocument::transcript("bad-format", "OBAMA: hi")
                },
                with_setting("on the record"),
            ],
            &opts,
            None,
        )
        .unwrap();
    assert_eq!(rep.inserted, 2, "{rep}");
    assert_eq!(rep.warnings.len(), 1, "{:?}", rep.warnings);
    assert_eq!(rep.warnings[0].id, "warned");
    assert!(rep.warnings[0].reason.starts_with("line 2: speaker label"));
    let rejected: Vec<&str> = rep.rejected.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(rejected, ["empty", "bad-format"]);
    assert!(rep.rejected[0].reason.contains("empty transcript"));
    assert_eq!(document(&bank, "warned").quotes.len(), 2);
    let set = document(&bank, "set");
    assert_eq!(set.quotes[0].setting.as_deref(), Some("on_record"));
    // A different setting is a different document: re-read, not skipped.
    let rep = bank
        .ingest_documents(vec![with_setting("interview")], &opts, None)
        .unwrap();
    assert_eq!(rep.replaced, 1);
    assert_eq!(
        document(&bank, "set").quotes[0].setting.as_deref(),
        Some("interview")
    );
}

#[test]
fn a_version_2_bank_is_upgraded_to_transcripts() {
    let db = TempDb::new("v2");
    // A date-ordered quote id, as version 2 made them.
    let day = verbatim_bank::dates::Date::parse("2011-05-01")
        .unwrap()
        .day_number();
    let id = verbatim_bank::dates::quote_id(day, 1);
    {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.execute_batch(verbatim_bank::schema::V1).unwrap();
        conn.execute_batch(verbatim_bank::schema::V2).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO schema_version VALUES (2);
             INSERT INTO meta (key, value) VALUES ('quote_seq', '2');
             INSERT INTO documents (num, id, title, outlet, url, published, text, content_hash, ingested_at)
                 VALUES (1, 'old', NULL, 'nyt', NULL, '2011-05-01', 'Jo Smith said \"hello old world\".', 'x', 0);
             INSERT INTO speakers (id, name, key, surname, first, partial, quote_count)
                 VALUES (1, 'Jo Smith', 'jo smith', 'smith', 'jo', 0, 1);
             INSERT INTO clusters (id, speaker_id, first_seen, size) VALUES (1, 1, '2011-05-01', 1);
             INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue, speaker_raw, speaker_key,
                 speaker_id, speaker_link, confidence, cluster_id, is_head, outlet, published)
                 VALUES ({id}, 1, 0, 'direct', '\"hello old world\"', '[[14,31]]', '[[0,8]]', '[[9,13]]',
                 'Jo Smith', 'jo smith', 1, 'exact', 0.9, 1, 1, 'nyt', '2011-05-01');
             INSERT INTO quotes_fts (rowid, text) VALUES ({id}, '\"hello old world\"');"
        ))
        .unwrap();
    }
    let mut bank = Bank::open(db.path()).unwrap();
    assert_eq!(
        bank.schema_version().unwrap(),
        verbatim_bank::schema::CURRENT
    );
    let old = document(&bank, "old");
    assert_eq!(old.kind, DocumentKind::Article);
    assert!(old.quotes[0].verifications.is_empty() && old.quotes[0].reported_by.is_empty());
    assert_eq!(old.quotes[0].content[0].text, "\"hello old world\"");
    // A transcript of the remark, the same day: the old article's quote is verified.
    let rep = ingest(
        &mut bank,
        vec![NewDocument {
            date: Some("2011-05-01".into()),
            ..NewDocument::transcript("t", "JO SMITH: Hello old world.\nHOST: Thanks.\n")
        }],
    );
    assert_eq!(rep.verifications, 1, "{rep}");
    let v = &document(&bank, "old").quotes[0].verifications;
    assert_eq!(v[0].verdict, "verbatim");
    assert_eq!(v[0].said.as_ref().unwrap().text, "Hello old world");
    drop(bank);
    assert!(Bank::open_read_only(db.path()).is_ok());
}

#[test]
fn a_version_3_bank_is_upgraded_with_the_spellings_index() {
    let db = TempDb::new("v3");
    let day = verbatim_bank::dates::Date::parse("2011-05-01")
        .unwrap()
        .day_number();
    let (a, b, c) = (
        verbatim_bank::dates::quote_id(day, 1),
        verbatim_bank::dates::quote_id(day, 2),
        verbatim_bank::dates::quote_id(day, 3),
    );
    {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        for sql in [
            verbatim_bank::schema::V1,
            verbatim_bank::schema::V2,
            verbatim_bank::schema::V3,
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(&format!(
            "INSERT INTO schema_version VALUES (3);
             INSERT INTO meta (key, value) VALUES ('quote_seq', '4');
             INSERT INTO documents (num, id, title, outlet, url, published, text, content_hash, ingested_at)
                 VALUES (1, 'old', NULL, 'nyt', NULL, '2011-05-01', 'Jo Smith said \"hello\". Smith said \"bye\". Jo Smith said \"hi\".', 'x', 0);
             INSERT INTO speakers (id, name, key, surname, first, partial, quote_count)
                 VALUES (1, 'Jo Smith', 'jo smith', 'smith', 'jo', 0, 3);
             INSERT INTO clusters (id, speaker_id, first_seen, size) VALUES (1, 1, '2011-05-01', 1), (2, 1, '2011-05-01', 1), (3, 1, '2011-05-01', 1);
             INSERT INTO speaker_stats (speaker_id, outlet, month, n) VALUES (1, 'nyt', '2011-05', 3);
             INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue, speaker_raw, speaker_key,
                 speaker_id, speaker_link, confidence, cluster_id, is_head, outlet, published) VALUES
                 ({a}, 1, 0, 'direct', '\"hello\"', '[[14,21]]', '[[0,8]]', '[[9,13]]', 'Jo Smith', 'jo smith', 1, 'exact', 0.9, 1, 1, 'nyt', '2011-05-01'),
                 ({b}, 1, 1, 'direct', '\"bye\"', '[[34,39]]', '[[23,28]]', '[[29,33]]', 'Smith', 'smith', 1, 'doc', 0.9, 2, 1, 'nyt', '2011-05-01'),
                 ({c}, 1, 2, 'direct', '\"hi\"', '[[55,59]]', '[[41,49]]', '[[50,54]]', 'Jo Smith', 'jo smith', 1, 'exact', 0.9, 3, 1, 'nyt', '2011-05-01');"
        ))
        .unwrap();
    }
    let bank = Bank::open(db.path()).unwrap();
    assert_eq!(
        bank.schema_version().unwrap(),
        verbatim_bank::schema::CURRENT
    );
    let s = bank.speaker(1).unwrap().unwrap();
    let spellings: Vec<(&str, i64)> = s.spellings.iter().map(|c| (c.key.as_str(), c.n)).collect();
    assert_eq!(spellings, [("Jo Smith", 2), ("Smith", 1)]);
    drop(bank);
    // Version 4's index was superseded by version 5's totals and dropped by version 7.
    assert_eq!(objects(db.path(), "index", "quotes_speaker_raw"), 0);
    assert!(Bank::open_read_only(db.path()).is_ok());
}

/// How many schema objects of that type and name the file has.
fn objects(db: &Path, kind: &str, name: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = ?1 AND name LIKE ?2",
            [kind, name],
            |r| r.get(0),
        )
        .unwrap()
}

/// A bank made by hand at schema `version` (its migrations, then `rows`), which a reader
/// refuses and `Bank::open` upgrades to the current version.
fn upgraded(path: &Path, version: usize, rows: &str) -> Bank {
    {
        let conn = rusqlite::Connection::open(path).unwrap();
        for sql in &verbatim_bank::schema::MIGRATIONS[..version] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute("INSERT INTO schema_version VALUES (?1)", [version as i64])
            .unwrap();
        conn.execute_batch(rows).unwrap();
    }
    let err = Bank::open_read_only(path).unwrap_err();
    assert!(
        matches!(err, verbatim_bank::Error::NeedsUpgrade { found, .. } if found == version as i64),
        "{err}"
    );
    let bank = Bank::open(path).unwrap();
    assert_eq!(
        bank.schema_version().unwrap(),
        verbatim_bank::schema::CURRENT
    );
    bank
}

#[test]
fn a_version_4_bank_is_upgraded_with_speaker_totals() {
    let db = TempDb::new("v4");
    let id = |date: &str, seq| {
        let day = verbatim_bank::dates::Date::parse(date)
            .unwrap()
            .day_number();
        verbatim_bank::dates::quote_id(day, seq)
    };
    let (a, b, c, d) = (
        id("2011-05-01", 1),
        id("2011-05-02", 2),
        id("2011-06-01", 3),
        id("2011-06-02", 4),
    );
    let mut bank = upgraded(
        db.path(),
        4,
        &format!(
            "INSERT INTO meta (key, value) VALUES ('quote_seq', '5');
             INSERT INTO documents (num, id, title, outlet, url, published, text, content_hash, ingested_at) VALUES
                 (1, 'n1', NULL, 'nyt', NULL, '2011-05-01', 'Jo Smith said \"a\".', 'x', 0),
                 (2, 'w1', NULL, 'wapo', NULL, '2011-05-02', 'Jo Smith said \"b\".', 'y', 0),
                 (3, 'w2', NULL, 'wapo', NULL, '2011-06-01', 'Jo Smith said \"c\".', 'z', 0),
                 (4, 'w3', NULL, 'wapo', NULL, '2011-06-02', 'Al Roe said \"d\".', 'w', 0);
             INSERT INTO speakers (id, name, key, surname, first, partial, quote_count) VALUES
                 (1, 'Jo Smith', 'jo smith', 'smith', 'jo', 0, 3),
                 (2, 'Al Roe', 'al roe', 'roe', 'al', 0, 1);
             INSERT INTO clusters (id, speaker_id, first_seen, size) VALUES
                 (1, 1, '2011-05-01', 1), (2, 1, '2011-05-02', 1), (3, 1, '2011-06-01', 1), (4, 2, '2011-06-02', 1);
             INSERT INTO speaker_stats (speaker_id, outlet, month, n) VALUES
                 (1, 'nyt', '2011-05', 1), (1, 'wapo', '2011-05', 1), (1, 'wapo', '2011-06', 1),
                 (2, 'wapo', '2011-06', 1);
             INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue, speaker_raw, speaker_key,
                 speaker_id, speaker_link, confidence, cluster_id, is_head, outlet, published) VALUES
                 ({a}, 1, 0, 'direct', '\"a\"', '[[14,17]]', '[[0,8]]', '[[9,13]]', 'Jo Smith', 'jo smith', 1, 'exact', 0.9, 1, 1, 'nyt', '2011-05-01'),
                 ({b}, 2, 0, 'direct', '\"b\"', '[[14,17]]', '[[0,8]]', '[[9,13]]', 'Jo Smith', 'jo smith', 1, 'exact', 0.9, 2, 1, 'wapo', '2011-05-02'),
                 ({c}, 3, 0, 'direct', '\"c\"', '[[14,17]]', '[[0,8]]', '[[9,13]]', 'Jo Smith', 'jo smith', 1, 'exact', 0.9, 3, 1, 'wapo', '2011-06-01'),
                 ({d}, 4, 0, 'direct', '\"d\"', '[[12,15]]', '[[0,6]]', '[[7,11]]', 'Al Roe', 'al roe', 2, 'exact', 0.9, 4, 1, 'wapo', '2011-06-02');
             INSERT INTO quotes_fts (rowid, text) SELECT id, text FROM quotes;"
        ),
    );
    let counts = |v: &[verbatim_bank::Count]| {
        v.iter()
            .map(|c| (c.key.clone(), c.n))
            .collect::<Vec<(String, i64)>>()
    };
    let pair = |k: &str, n| (k.to_string(), n);
    let jo = bank.speaker(1).unwrap().unwrap();
    assert_eq!(
        counts(&jo.summary.by_outlet),
        [pair("wapo", 2), pair("nyt", 1)],
        "filled from speaker_stats, most first"
    );
    assert_eq!(
        counts(&jo.summary.by_month),
        [pair("2011-05", 2), pair("2011-06", 1)]
    );
    assert_eq!(jo.by_outlet_month.len(), 3);
    assert_eq!(counts(&jo.spellings), [pair("Jo Smith", 3)]);
    let list = bank
        .list_speakers(&verbatim_bank::SpeakerListQuery::default())
        .unwrap();
    assert_eq!(list[0].by_outlet, jo.summary.by_outlet);
    assert_eq!(counts(&list[1].by_month), [pair("2011-06", 1)]);

    // Deleting a document takes its quote out of the totals (the triggers came with v5).
    assert!(bank.delete_document("w2").unwrap());
    let jo = bank.speaker(1).unwrap().unwrap();
    assert_eq!(
        counts(&jo.summary.by_outlet),
        [pair("nyt", 1), pair("wapo", 1)]
    );
    assert_eq!(counts(&jo.summary.by_month), [pair("2011-05", 2)]);
    assert_eq!(counts(&jo.spellings), [pair("Jo Smith", 2)]);
    drop(bank);
    assert!(Bank::open_read_only(db.path()).is_ok());
}

#[test]
fn a_version_5_bank_is_upgraded_with_its_non_plain_quotes() {
    let db = TempDb::new("v5");
    let day = verbatim_bank::dates::Date::parse("2011-05-01")
        .unwrap()
        .day_number();
    let (plain, accented) = (
        verbatim_bank::dates::quote_id(day, 1),
        verbatim_bank::dates::quote_id(day, 2),
    );
    let mut bank = upgraded(
        db.path(),
        5,
        &format!(
            "INSERT INTO meta (key, value) VALUES ('quote_seq', '3');
             INSERT INTO documents (num, id, title, outlet, url, published, text, content_hash, ingested_at) VALUES
                 (1, 'n1', NULL, 'nyt', NULL, '2011-05-01', 'x', 'x', 0),
                 (2, 'n2', NULL, 'nyt', NULL, '2011-05-01', 'y', 'y', 0);
             INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue, confidence, outlet, published) VALUES
                 ({plain}, 1, 0, 'direct', '“the economy — it grows…”', '[]', '[]', '[]', 0.9, 'nyt', '2011-05-01'),
                 ({accented}, 2, 0, 'direct', 'the economy of Gu\u{308}len', '[]', '[]', '[]', 0.9, 'nyt', '2011-05-01');
             INSERT INTO quotes_fts (rowid, text) SELECT id, text FROM quotes;"
        ),
    );
    let nonplain = |db: &Path| -> Vec<i64> {
        rusqlite::Connection::open(db)
            .unwrap()
            .prepare("SELECT id FROM quotes_nonplain ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(
        nonplain(db.path()),
        [accented],
        "backfilled from the quotes"
    );
    let hits = bank
        .search(&verbatim_bank::SearchQuery {
            text: Some("economy".into()),
            order: verbatim_bank::Order::Relevance,
            ..Default::default()
        })
        .unwrap()
        .hits;
    let ids: Vec<i64> = hits.iter().map(|h| h.quote_id).collect();
    assert_eq!(ids.len(), 2);
    assert!(hits.iter().all(|h| h.score.is_some_and(|s| s < 0.0)));
    // Deleting a document takes its quotes out of the list (the writer, since version 7).
    assert!(bank.delete_document("n2").unwrap());
    assert!(nonplain(db.path()).is_empty());
    drop(bank);
    assert!(Bank::open_read_only(db.path()).is_ok());
}

/// Version 7 drops the triggers on `quotes`: the list of non-plain quotes is kept by the
/// writer, through ingest, replacement and deletion.
#[test]
fn a_version_6_bank_loses_its_triggers_and_the_writer_keeps_the_list() {
    let db = TempDb::new("v6");
    let day = verbatim_bank::dates::Date::parse("2011-05-01")
        .unwrap()
        .day_number();
    let accented = verbatim_bank::dates::quote_id(day, 1);
    let mut bank = upgraded(
        db.path(),
        6,
        &format!(
            "INSERT INTO meta (key, value) VALUES ('quote_seq', '2');
             INSERT INTO documents (num, id, title, outlet, url, published, text, content_hash, ingested_at) VALUES
                 (1, 'n1', NULL, 'nyt', NULL, '2011-05-01', 'x', 'x', 0);
             INSERT INTO quotes (id, doc, ord, kind, text, content, source, cue, confidence, outlet, published) VALUES
                 ({accented}, 1, 0, 'direct', 'the economy of Zürich', '[]', '[]', '[]', 0.9, 'nyt', '2011-05-01');
             INSERT INTO quotes_fts (rowid, text) SELECT id, text FROM quotes;"
        ),
    );
    assert_eq!(objects(db.path(), "trigger", "quotes%"), 0);
    let nonplain = |db: &Path| -> Vec<String> {
        rusqlite::Connection::open(db)
            .unwrap()
            .prepare("SELECT q.text FROM quotes_nonplain n JOIN quotes q ON q.id = n.id ORDER BY 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(
        nonplain(db.path()),
        ["the economy of Zürich"],
        "listed by V6"
    );
    let said = |words: &str| format!("Jo Smith told reporters: \"{words}\" He left soon after.");
    ingest(
        &mut bank,
        vec![
            article("a", &said("The economy of Łódź is growing again.")),
            article("b", &said("The economy is growing again.")),
        ],
    );
    let listed = nonplain(db.path());
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().any(|t| t.contains("Łódź")), "{listed:?}");
    // Replacing the document takes its old quote out and lists the new one.
    ingest(
        &mut bank,
        vec![article(
            "a",
            &said("The economy of Kraków is growing again."),
        )],
    );
    let listed = nonplain(db.path());
    assert!(listed.iter().any(|t| t.contains("Kraków")), "{listed:?}");
    assert!(!listed.iter().any(|t| t.contains("Łódź")), "{listed:?}");
    assert!(bank.delete_document("a").unwrap());
    assert!(bank.delete_document("n1").unwrap());
    assert!(nonplain(db.path()).is_empty());
    drop(bank);
    assert!(Bank::open_read_only(db.path()).is_ok());
}

#[test]
fn a_version_7_bank_is_upgraded_with_the_offices_of_its_documents() {
    let db = TempDb::new("v7");
    let mut bank = upgraded(
        db.path(),
        7,
        "INSERT INTO documents (num, id, title, outlet, url, published, text, content_hash, ingested_at) VALUES
             (1, 'a', NULL, 'ap', NULL, '2016-01-01', 'President Barack Obama spoke. First Lady Michelle Obama listened.', 'x', 0);
         INSERT INTO speakers (id, name, key, surname, first, partial, quote_count) VALUES
             (1, 'Barack Obama', 'barack obama', 'obama', 'barack', 0, 0),
             (2, 'Michelle Obama', 'michelle obama', 'obama', 'michelle', 0, 0);",
    );
    // The stored document is the evidence: a later "President Obama" is Barack Obama.
    ingest(
        &mut bank,
        vec![article(
            "later",
            "President Obama met them. \u{201C}The economy is stronger now,\u{201D} Obama said.",
        )],
    );
    let d = bank.document("later").unwrap().unwrap();
    let q = &d.quotes[0];
    assert_eq!(q.speaker.as_ref().map(|s| s.id), Some(1), "{q:?}");
    assert_eq!(q.speaker_link.as_deref(), Some("role"));
}
