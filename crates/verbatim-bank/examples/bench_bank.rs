//! Benchmarks of the quote bank (not tests): `cargo run --release -p verbatim-bank --example
//! bench_bank -- [--articles N] [--quotes M] [--queries Q] [--jobs J] [--dir DIR] [--keep]`
//!
//! 1. **Ingest**: N synthetic news articles made by recombining real PolNeAR train paragraphs
//!    (each article: the paragraphs of a random train article, a third of them swapped for
//!    paragraphs of other articles; 12 outlets; dates over a year), ingested with extraction
//!    on J threads. Reports articles/s, quotes/s, where the time goes, and DB size per 1,000
//!    articles. Also extraction alone on J threads, and the writer alone (the same articles'
//!    quotes extracted first, then `Bank::ingest_extracted`): the two ceilings.
//! 2. **Search**: a bank of about M quotes built *without extraction* from the quotes the
//!    engine extracts from the 840 PolNeAR train articles: 60% repeat a real quote verbatim
//!    (the same remark in another outlet), 40% splice the first half of one real quote onto
//!    the second half of another; 25 quotes per document as `SPEAKER said: “CONTENT”`
//!    paragraphs; 40 outlets; dates over ten years. Then Q varied queries (words and phrases
//!    drawn from the quotes, with speaker / outlet / date filters, newest or relevance order,
//!    some filter-only) on one connection: p50 / p95 / p99 / max of wall time and of the thread's
//!    CPU time (which other processes on a shared machine do not inflate), and how relevance
//!    order compares with FTS5's own `rank` over the newest `RELEVANCE_WINDOW` matches.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use verbatim::{Extractor, Kind, Quote, Setting, Span};
use verbatim_bank::{Bank, IngestOptions, NewDocument, Order, SearchQuery, SpeakerListQuery};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

struct Article {
    title: String,
    paras: Vec<String>,
}

fn load_train() -> Vec<Article> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/train.jsonl");
    let data = std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (the benchmark needs PolNeAR train)", p.display()));
    data.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            Article {
                title: v["title"].as_str().unwrap_or("").to_string(),
                paras: v["text"]
                    .as_str()
                    .unwrap_or("")
                    .split("\n\n")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            }
        })
        .collect()
}

fn date(rng: &mut Rng, first_year: i32, years: i32) -> String {
    format!(
        "{}-{:02}-{:02}",
        first_year + rng.below(years as usize) as i32,
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

fn synthetic_articles(train: &[Article], n: usize, seed: u64) -> Vec<NewDocument> {
    let mut rng = Rng(seed);
    let pool: Vec<&String> = train.iter().flat_map(|a| &a.paras).collect();
    let outlets = [
        "breitbart",
        "huff-post",
        "nyt",
        "politico",
        "usa-today",
        "wash-post",
        "west-journal",
        "bbc",
        "guardian",
        "reuters",
        "ap",
        "cnn",
    ];
    (0..n)
        .map(|i| {
            let base = &train[rng.below(train.len())];
            let paras: Vec<&str> = base
                .paras
                .iter()
                .map(|p| {
                    if rng.chance(1.0 / 3.0) {
                        pool[rng.below(pool.len())].as_str()
                    } else {
                        p.as_str()
                    }
                })
                .collect();
            NewDocument {
                title: Some(base.title.clone()),
                outlet: Some(outlets[rng.below(outlets.len())].to_string()),
                url: Some(format!("https://example.org/a/{i}")),
                date: Some(date(&mut rng, 2015, 2)),
                ..NewDocument::new(format!("syn-{seed}-{i}"), paras.join("\n\n"))
            }
        })
        .collect()
}

fn file_size(p: &Path) -> u64 {
    let mut total = 0;
    for suffix in ["", "-wal", "-shm"] {
        let mut s = p.as_os_str().to_owned();
        s.push(suffix);
        total += std::fs::metadata(PathBuf::from(s))
            .map(|m| m.len())
            .unwrap_or(0);
    }
    total
}

fn remove_db(p: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut s = p.as_os_str().to_owned();
        s.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(s));
    }
}

/// Extract in parallel (a word cache per thread, as ingest does): (words, quotes) of every
/// document, and the seconds taken.
fn extract_all(ex: &Extractor, docs: &[NewDocument], jobs: usize) -> (usize, Vec<Vec<Quote>>, f64) {
    let t0 = Instant::now();
    let next = AtomicUsize::new(0);
    let mut out: Vec<Vec<Quote>> = vec![Vec::new(); docs.len()];
    let chunks: Vec<Vec<(usize, Vec<Quote>)>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..jobs)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    // One word cache per thread, as the ingest workers keep.
                    let mut words = verbatim::WordCache::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= docs.len() {
                            return mine;
                        }
                        mine.push((i, ex.extract_with(&docs[i].text, &mut words)));
                    }
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("extract thread"))
            .collect()
    });
    for c in chunks {
        for (i, q) in c {
            out[i] = q;
        }
    }
    let words = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    (words, out, t0.elapsed().as_secs_f64())
}

struct Args {
    articles: usize,
    quotes: usize,
    queries: usize,
    jobs: usize,
    batch: usize,
    dir: PathBuf,
    keep: bool,
    reuse: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        articles: 5000,
        quotes: 1_000_000,
        queries: 300,
        jobs: 2,
        batch: verbatim_bank::DEFAULT_BATCH,
        dir: std::env::temp_dir(),
        keep: false,
        reuse: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--articles" => a.articles = val().parse().expect("--articles N"),
            "--quotes" => a.quotes = val().parse().expect("--quotes N"),
            "--queries" => a.queries = val().parse().expect("--queries N"),
            "--jobs" => a.jobs = val().parse().expect("--jobs N"),
            "--batch" => a.batch = val().parse().expect("--batch N"),
            "--dir" => a.dir = PathBuf::from(val()),
            "--keep" => a.keep = true,
            "--reuse" => a.reuse = Some(PathBuf::from(val())),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// CPU seconds (user + system) used so far by this process, or by the calling thread.
fn cpu_secs(thread: bool) -> f64 {
    let path = if thread {
        "/proc/thread-self/stat"
    } else {
        "/proc/self/stat"
    };
    let Ok(stat) = std::fs::read_to_string(path) else {
        return f64::NAN;
    };
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        f.get(i)
            .and_then(|x| x.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// CPU time of the calling thread, milliseconds, at nanosecond resolution: a search's own
/// cost, which other processes on a shared machine do not inflate (its wall time they do).
fn thread_cpu_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass, which outlives the call.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// How the relevance order's top 20 compares with FTS5's own BM25 order over the newest
/// `RELEVANCE_WINDOW` matches (what relevance search returned before its own scoring), for the
/// relevance queries without a speaker filter (whose plan may differ).
fn agreement_with_fts5_rank(bank: &Bank, db: &Path, queries: &[(&str, SearchQuery)]) {
    use verbatim_bank::dates::{parse_bound, quote_id, Bound};
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    // (label, queries, same first hit, summed top-20 overlap)
    let mut groups: Vec<(String, usize, usize, f64)> = Vec::new();
    let mut t_old = 0.0;
    for (_, q) in queries
        .iter()
        .filter(|(_, q)| q.order == Order::Relevance && q.speaker.is_none())
    {
        let lo = q.since.as_deref().map_or(i64::MIN, |s| {
            quote_id(parse_bound(s, Bound::Since).unwrap().day_number(), 0)
        });
        let hi = q.until.as_deref().map_or(i64::MAX, |s| {
            quote_id(parse_bound(s, Bound::Until).unwrap().day_number() + 1, 0)
        });
        let expr = verbatim_bank::query::fts_query(q.text.as_deref().unwrap())
            .unwrap()
            .unwrap();
        let t = Instant::now();
        let old: Vec<i64> = conn
            .prepare(&format!(
                "SELECT rid FROM (SELECT quotes_fts.rowid AS rid, rank AS score FROM quotes_fts
                 JOIN quotes q ON q.id = quotes_fts.rowid
                 WHERE quotes_fts MATCH ?1 AND quotes_fts.rowid >= ?2 AND quotes_fts.rowid < ?3
                   AND (?4 IS NULL OR q.outlet = ?4)
                 ORDER BY quotes_fts.rowid DESC LIMIT {})
                 ORDER BY score, rid DESC LIMIT 20",
                verbatim_bank::query::RELEVANCE_WINDOW
            ))
            .unwrap()
            .query_map(rusqlite::params![expr, lo, hi, q.outlet], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        t_old += t.elapsed().as_secs_f64() * 1e3;
        let new: Vec<i64> = bank
            .search(q)
            .unwrap()
            .hits
            .iter()
            .map(|h| h.quote_id)
            .collect();
        if old.is_empty() {
            continue;
        }
        let label = format!(
            "{}{}",
            if q.text.as_deref().is_some_and(|t| t.contains('"')) {
                "phrase"
            } else {
                "words"
            },
            if q.outlet.is_some() {
                ", outlet filter"
            } else {
                ""
            }
        );
        let overlap = old.iter().filter(|id| new.contains(id)).count() as f64 / old.len() as f64;
        for key in ["all".to_string(), label] {
            let g = match groups.iter().position(|g| g.0 == key) {
                Some(i) => &mut groups[i],
                None => {
                    groups.push((key, 0, 0, 0.0));
                    groups.last_mut().expect("just pushed")
                }
            };
            g.1 += 1;
            g.2 += usize::from(new.first() == old.first());
            g.3 += overlap;
        }
    }
    let n = groups.first().map_or(0, |g| g.1);
    println!(
        "\nrelevance vs FTS5 rank over the newest {} matches passing the filters (the order \
         before; queries without a speaker filter; FTS5 rank took {:.1} ms per query):",
        verbatim_bank::query::RELEVANCE_WINDOW,
        t_old / n.max(1) as f64
    );
    for (label, n, same, overlap) in &groups {
        println!(
            "  {label}: {n} queries, same first hit {:.0}%, top-20 overlap {:.1}%",
            100.0 * *same as f64 / *n as f64,
            100.0 * overlap / *n as f64
        );
    }
}

/// The writer's ceiling: the same articles with their quotes extracted beforehand, through
/// `Bank::ingest_extracted` into a new bank (workers only check and convert spans).
fn writer_alone(a: &Args, docs: &[NewDocument], extracted: Vec<Vec<Quote>>) {
    let db = a
        .dir
        .join(format!("verbatim-bench-writer-{}.db", std::process::id()));
    remove_db(&db);
    let mut bank = Bank::open(&db).expect("open");
    let mut writer_cpu = 0.0;
    let mut on_commit = |_: &verbatim_bank::IngestProgress| writer_cpu = cpu_secs(true);
    let pairs: Vec<(NewDocument, Vec<Quote>)> = docs.iter().cloned().zip(extracted).collect();
    let r = bank
        .ingest_extracted(
            pairs,
            &IngestOptions {
                jobs: a.jobs,
                batch_size: a.batch,
                ..IngestOptions::default()
            },
            Some(&mut on_commit),
        )
        .expect("ingest extracted");
    println!(
        "writer alone (ingest_extracted, quotes extracted beforehand): {r}; \
         {:.0} articles/s, {:.0} quotes/s wall; writer thread {:.1}s CPU ({:.2} ms per article, \
         {:.0} µs per quote) → ceiling {:.0} articles/s on one idle core",
        r.seen as f64 / r.elapsed_secs,
        r.quotes_added as f64 / r.elapsed_secs,
        writer_cpu,
        writer_cpu * 1e3 / r.seen as f64,
        writer_cpu * 1e6 / r.quotes_added.max(1) as f64,
        r.seen as f64 / writer_cpu
    );
    drop(bank);
    remove_db(&db);
}

fn main() {
    let a = args();
    let train = load_train();
    let ex = Extractor::new();
    println!("# verbatim-bank benchmark");
    println!(
        "jobs: {}, cores: {}",
        a.jobs,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );

    // ---------------------------------------------------------------- 1. ingest
    if a.articles > 0 {
        let docs = synthetic_articles(&train, a.articles, 1);
        let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
        let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
        println!(
            "\n## Ingest: {} synthetic articles (recombined PolNeAR train paragraphs), mean {:.0} words / {:.0} bytes",
            docs.len(),
            words as f64 / docs.len() as f64,
            bytes as f64 / docs.len() as f64
        );
        let (w, extracted, secs) = extract_all(&ex, &docs, a.jobs);
        println!(
            "extraction alone ({} threads, {} articles): {:.0} articles/s, {:.0} words/s",
            a.jobs,
            docs.len(),
            docs.len() as f64 / secs,
            w as f64 / secs
        );
        writer_alone(&a, &docs, extracted);
        let db = a
            .dir
            .join(format!("verbatim-bench-ingest-{}.db", std::process::id()));
        remove_db(&db);
        let mut bank = Bank::open(&db).expect("open");
        let opts = IngestOptions {
            jobs: a.jobs,
            batch_size: a.batch,
            ..IngestOptions::default()
        };
        let cpu0 = cpu_secs(false);
        let mut writer_cpu = 0.0;
        let mut on_commit = |_: &verbatim_bank::IngestProgress| writer_cpu = cpu_secs(true);
        let r = bank
            .ingest_documents(docs.clone(), &opts, Some(&mut on_commit))
            .expect("ingest");
        let cpu = cpu_secs(false) - cpu0;
        println!("ingest: {r}");
        println!(
            "CPU: {:.1}s in all ({:.2} ms per article), of which the writer thread {:.1}s ({:.2} ms per article, {:.0} µs per quote); \
             projected on {} idle cores: {:.0} articles/s (CPU-bound), writer alone could take {:.0} articles/s",
            cpu,
            cpu * 1e3 / r.seen as f64,
            writer_cpu,
            writer_cpu * 1e3 / r.seen as f64,
            writer_cpu * 1e6 / r.quotes_added.max(1) as f64,
            a.jobs,
            a.jobs as f64 * r.seen as f64 / cpu,
            r.seen as f64 / writer_cpu
        );
        println!(
            "ingest: {:.0} articles/s, {:.0} quotes/s, {:.0} words/s; worker time {:.1}s (extraction + preparation, summed over {} workers), writer busy {:.1}s of {:.1}s",
            r.seen as f64 / r.elapsed_secs,
            r.quotes_added as f64 / r.elapsed_secs,
            words as f64 / r.elapsed_secs,
            r.extract_secs,
            a.jobs,
            r.write_secs,
            r.elapsed_secs
        );
        bank.optimize().expect("optimize");
        let size = file_size(&db);
        let st = bank.stats().expect("stats");
        println!(
            "database: {:.1} MB for {} articles, {} quotes, {} speakers, {} clusters ({} across outlets) → {:.1} MB per 1,000 articles",
            size as f64 / 1e6,
            st.documents,
            st.quotes,
            st.speakers,
            st.clusters,
            st.multi_outlet_clusters,
            size as f64 / 1e6 / (st.documents as f64 / 1000.0)
        );
        let r2 = bank.ingest_documents(docs, &opts, None).expect("re-ingest");
        println!(
            "re-ingest of the same articles (all unchanged): {:.0} articles/s ({} unchanged)",
            r2.seen as f64 / r2.elapsed_secs,
            r2.unchanged
        );
        drop(bank);
        if !a.keep {
            remove_db(&db);
        }
    }

    // ---------------------------------------------------------------- 2. search
    if a.quotes == 0 {
        return;
    }
    println!("\n## Search: a bank of ~{} quotes", a.quotes);
    let originals: Vec<NewDocument> = train
        .iter()
        .enumerate()
        .map(|(i, t)| NewDocument::new(format!("t{i}"), t.paras.join("\n\n")))
        .collect();
    let (_, extracted, secs) = extract_all(&ex, &originals, a.jobs);
    // (content without outer quotation marks, speaker)
    let mut pool: Vec<(String, String)> = Vec::new();
    for (d, qs) in originals.iter().zip(&extracted) {
        for q in qs {
            let content = q
                .content
                .iter()
                .map(|s| s.slice(&d.text))
                .collect::<Vec<_>>()
                .join(" ");
            let content = content
                .trim_matches(|c: char| {
                    c == '"' || c == '\u{201C}' || c == '\u{201D}' || c.is_whitespace()
                })
                .replace(['\n', '\r'], " ");
            if content.split_whitespace().count() < 3 {
                continue;
            }
            let speaker = q.speaker.clone().unwrap_or_else(|| "A spokesman".into());
            pool.push((content, speaker));
        }
    }
    println!(
        "quote pool: {} real quotes extracted from {} PolNeAR train articles in {:.1}s",
        pool.len(),
        originals.len(),
        secs
    );
    let outlets: Vec<String> = (0..40).map(|i| format!("outlet-{i:02}")).collect();
    let per_doc = 25;
    let ndocs = a.quotes.div_ceil(per_doc);
    let pool_ref = &pool;
    let outlets_ref = &outlets;
    let gen = (0..ndocs).map(move |i| {
        let mut rng = Rng(0xB00C ^ (i as u64).wrapping_mul(0x9E37_79B9));
        let mut text = String::new();
        let mut quotes = Vec::with_capacity(per_doc);
        for _ in 0..per_doc {
            let (c1, sp) = &pool_ref[rng.below(pool_ref.len())];
            let content = if rng.chance(0.6) {
                c1.clone()
            } else {
                let (c2, _) = &pool_ref[rng.below(pool_ref.len())];
                let w1: Vec<&str> = c1.split_whitespace().collect();
                let w2: Vec<&str> = c2.split_whitespace().collect();
                let mut w: Vec<&str> = w1[..w1.len().div_ceil(2)].to_vec();
                w.extend_from_slice(&w2[w2.len() / 2..]);
                w.join(" ")
            };
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let s0 = text.len();
            text.push_str(sp);
            let s1 = text.len();
            text.push(' ');
            let c0 = text.len();
            text.push_str("said");
            let c1 = text.len();
            text.push_str(": ");
            let q0 = text.len();
            text.push('\u{201C}');
            text.push_str(&content);
            text.push('\u{201D}');
            let q1 = text.len();
            quotes.push(Quote {
                kind: Kind::Direct,
                source: vec![Span::new(s0, s1)],
                cue: vec![Span::new(c0, c1)],
                content: vec![Span::new(q0, q1)],
                speaker: Some(sp.clone()),
                addressee: None,
                setting: Setting::Unknown,
                confidence: 0.9,
            });
        }
        let doc = NewDocument {
            outlet: Some(outlets_ref[rng.below(outlets_ref.len())].clone()),
            date: Some(date(&mut rng, 2010, 10)),
            title: Some(format!("Generated article {i}")),
            ..NewDocument::new(format!("gen-{i}"), text)
        };
        (doc, quotes)
    });
    let db = match &a.reuse {
        Some(p) => p.clone(),
        None => a
            .dir
            .join(format!("verbatim-bench-search-{}.db", std::process::id())),
    };
    if a.reuse.is_some() {
        let mut bank = Bank::open(&db).expect("open --reuse bank");
        let t = Instant::now();
        bank.optimize().expect("optimize");
        println!(
            "reusing {} ({:?}); optimize took {:.1}s",
            db.display(),
            bank.stats().expect("stats"),
            t.elapsed().as_secs_f64()
        );
    } else {
        remove_db(&db);
        let mut bank = Bank::open(&db).expect("open");
        let t0 = Instant::now();
        let cpu0 = cpu_secs(false);
        let mut last = Instant::now();
        let mut writer_cpu = 0.0;
        let mut progress = |p: &verbatim_bank::IngestProgress| {
            writer_cpu = cpu_secs(true);
            if last.elapsed().as_secs() >= 30 {
                eprintln!("  … {p}");
                last = Instant::now();
            }
        };
        let r = bank
            .ingest_extracted(
                gen,
                &IngestOptions {
                    jobs: a.jobs,
                    batch_size: 1000,
                    ..IngestOptions::default()
                },
                Some(&mut progress),
            )
            .expect("build");
        let cpu = cpu_secs(false) - cpu0;
        let t_opt = Instant::now();
        bank.optimize().expect("optimize");
        let opt_secs = t_opt.elapsed().as_secs_f64();
        let st = bank.stats().expect("stats");
        println!("optimize (full-text index merge, checkpoint): {opt_secs:.1}s");
        println!(
            "build CPU: {cpu:.0}s in all, writer thread {writer_cpu:.0}s ({:.0} µs per quote)",
            writer_cpu * 1e6 / r.quotes_added.max(1) as f64
        );
        println!(
        "built (no extraction): {} documents, {} quotes in {:.0}s ({:.0} quotes/s; writer busy {:.0}s); {} speakers, {} clusters ({} across outlets); {:.0} MB",
        st.documents,
        st.quotes,
        t0.elapsed().as_secs_f64(),
        r.quotes_added as f64 / r.elapsed_secs,
        r.write_secs,
        st.speakers,
        st.clusters,
        st.multi_outlet_clusters,
        file_size(&db) as f64 / 1e6
    );
        drop(bank);
    }

    // Queries.
    let bank = Bank::open_read_only(&db).expect("open read-only");
    let top: Vec<String> = bank
        .list_speakers(&SpeakerListQuery {
            limit: Some(100),
            ..Default::default()
        })
        .expect("speakers")
        .into_iter()
        .map(|s| s.name)
        .collect();
    let mut rng = Rng(42);
    let words_of = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_ascii_lowercase()))
            .map(str::to_string)
            .collect()
    };
    let mut queries: Vec<(&'static str, SearchQuery)> = Vec::new();
    while queries.len() < a.queries {
        let (content, _) = &pool[rng.below(pool.len())];
        let ws = words_of(content);
        let mut q = SearchQuery::default();
        let class;
        let k = rng.below(10);
        if k == 0 || ws.len() < 2 {
            class = "filter-only";
            q.speaker = Some(top[rng.below(top.len().min(50))].clone());
            if rng.chance(0.5) {
                q.since = Some(format!("{}", 2010 + rng.below(10)));
            }
        } else {
            q.text = Some(match k {
                1..=4 => ws[rng.below(ws.len())].clone(),
                5..=7 => format!("{} {}", ws[rng.below(ws.len())], ws[rng.below(ws.len())]),
                _ => {
                    let all: Vec<&str> = content.split_whitespace().collect();
                    let i = rng.below(all.len() - 1);
                    format!("\"{} {}\"", all[i], all[i + 1])
                }
            });
            if rng.chance(0.3) {
                q.speaker = Some(top[rng.below(top.len())].clone());
            }
            if rng.chance(0.2) {
                q.outlet = Some(outlets[rng.below(outlets.len())].clone());
            }
            if rng.chance(0.3) {
                let y = 2010 + rng.below(10);
                if rng.chance(0.5) {
                    q.since = Some(format!("{y}"));
                    q.until = Some(format!("{y}"));
                } else {
                    q.since = Some(format!("{y}-{:02}", 1 + rng.below(12)));
                }
            }
            q.order = if rng.chance(0.3) {
                Order::Relevance
            } else {
                Order::Newest
            };
            class = if q.order == Order::Relevance {
                "text, relevance"
            } else {
                "text, newest"
            };
        }
        queries.push((class, q));
    }
    for (_, q) in queries.iter().take(30) {
        let _ = bank.search(q).expect("warm-up");
    }
    // (wall ms, CPU ms, class, hits, query)
    let mut times: Vec<(f64, f64, &str, usize, String)> = Vec::new();
    for (class, q) in &queries {
        let (t, c) = (Instant::now(), thread_cpu_ms());
        let page = bank.search(q).expect("search");
        let mut n = page.hits.len();
        let (ms, cpu) = (t.elapsed().as_secs_f64() * 1e3, thread_cpu_ms() - c);
        times.push((ms, cpu, class, n, format!("{q:?}")));
        // A second page, for a tenth of the queries.
        if let (Some(cur), true) = (page.next_cursor, rng.chance(0.1)) {
            let (t, c) = (Instant::now(), thread_cpu_ms());
            n += bank
                .search(&SearchQuery {
                    cursor: Some(cur),
                    ..q.clone()
                })
                .expect("page 2")
                .hits
                .len();
            let (ms, cpu) = (t.elapsed().as_secs_f64() * 1e3, thread_cpu_ms() - c);
            times.push((ms, cpu, "next page", n, format!("page 2 of {q:?}")));
        }
    }
    let report = |name: &str, rows: Vec<(f64, f64)>| {
        let mut wall: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let mut cpu: Vec<f64> = rows.iter().map(|r| r.1).collect();
        wall.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        println!(
            "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            wall.len(),
            pct(&wall, 0.5),
            pct(&wall, 0.95),
            pct(&wall, 0.99),
            wall.last().copied().unwrap_or(0.0),
            pct(&cpu, 0.5),
            pct(&cpu, 0.95),
            pct(&cpu, 0.99),
        );
    };
    println!(
        "\n| queries | n | p50 ms | p95 ms | p99 ms | max ms | CPU p50 | CPU p95 | CPU p99 |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    report("all", times.iter().map(|t| (t.0, t.1)).collect());
    for class in [
        "text, newest",
        "text, relevance",
        "filter-only",
        "next page",
    ] {
        report(
            class,
            times
                .iter()
                .filter(|t| t.2 == class)
                .map(|t| (t.0, t.1))
                .collect(),
        );
    }
    agreement_with_fts5_rank(&bank, &db, &queries);
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("\nslowest queries (wall):");
    for t in times.iter().take(5) {
        println!("  {:.1} ms ({:.1} ms CPU), {} hits: {}", t.0, t.1, t.3, t.4);
    }
    times.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("\nmost CPU:");
    for t in times.iter().take(5) {
        println!(
            "  {:.1} ms CPU ({:.1} ms wall), {} hits: {}",
            t.1, t.0, t.3, t.4
        );
    }
    drop(bank);
    if !a.keep && a.reuse.is_none() {
        remove_db(&db);
    }
}
