//! Held-out evaluation on PolNeAR *train*, for choosing training and decoding settings without
//! looking at dev.
//!
//! The train articles are ordered by date (file order breaks ties). By default the latest 126
//! are held out (the size of dev plus test, and like them later than what the models learn
//! from); with `--folds K` the ordered articles are cut into K contiguous folds and each is held
//! out in turn. For every held-out slice and every shuffle seed, the cue and role models are
//! trained on the other articles (the shipped part-of-speech tagger is used as is: it is trained
//! on UD English EWT, not on PolNeAR), the slice is extracted with each cue bias asked for, and
//! it is scored with the project's scorer (`verbatim_train::score`, the same numbers as
//! `shared/eval/score.py`). It prints ALL quote F1, ALL attribution F1 and DIRECT attribution F1
//! per run, then per cue bias the mean over runs with the smallest and largest value.
//!
//! Differences of a few tenths of a point between settings are within the seed spread: compare
//! means over at least three to five seeds.
//!
//! ```sh
//! cargo run --release -p verbatim-train --example holdout -- [OPTIONS]
//! ```
//!
//! Options:
//!
//! * `--data DIR` — the PolNeAR folder with `train.jsonl` (default `../shared/data/polnear`
//!   beside the workspace).
//! * `--holdout N` — hold out the latest N articles (default 126).
//! * `--folds K` — K date-ordered folds instead of one held-out slice.
//! * `--seeds N` — runs per slice, with shuffle seeds 0..N (default 5; seed 0 is the shipped
//!   models' seed).
//! * `--average K` — each run averages the weights of K models trained with K seeds (run `s`
//!   uses seeds `s·K` … `s·K + K − 1`; default 1, a single model).
//! * `--update perceptron|pa:C[:MISS]|recall:M` — the weight update of both taggers (default
//!   `perceptron`): see `verbatim_train::attribution::Update`. `--cue-update` and
//!   `--role-update` set one tagger's.
//! * `--epochs N` — passes over the data (default: the shipped setting).
//! * `--bias B[,B…]` — cue biases to extract with (default: the engine's `DEFAULT_CUE_BIAS`).
//! * `--write FILE` — also write the held-out predictions of seed 0 at the first cue bias, every
//!   slice's together, as one JSONL file readable by the scorer: with `--folds K` that is a
//!   cross-validated extraction of all of train, for reading errors without touching dev.
//! * `--eval FILE` — instead of slices of train, train on all of it and score FILE (PolNeAR
//!   dev, say: the seed spread of a setting there, for a check after choosing on train).
//! * `--jobs N` — runs trained at once (default 1). One run takes about 7 s and 380 MB on the
//!   2-core reference machine; each further job about 50 MB more.

use std::path::PathBuf;
use std::process::ExitCode;
use verbatim::attribution::{Models, DEFAULT_CUE_BIAS};
use verbatim::tagging::pos::PosTagger;
use verbatim_train::attribution::{shuffle_seed, Options, TrainingData, Update};
use verbatim_train::polnear::{self, JsonDoc};
use verbatim_train::score;

const USAGE: &str =
    "usage: holdout [--data DIR] [--holdout N | --folds K] [--seeds N] [--average K] \
[--update|--cue-update|--role-update perceptron|pa:C[:MISS]|recall:M] [--epochs N] [--bias B[,B...]] [--write FILE] [--eval FILE] [--jobs N]";

/// Command-line settings.
struct Args {
    data: Option<PathBuf>,
    holdout: usize,
    folds: Option<usize>,
    seeds: usize,
    average: usize,
    cue_update: Update,
    role_update: Update,
    epochs: Option<usize>,
    biases: Vec<f32>,
    write: Option<PathBuf>,
    eval: Option<PathBuf>,
    holdout_set: bool,
    jobs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        data: None,
        holdout: 126,
        folds: None,
        seeds: 5,
        average: 1,
        cue_update: Update::Perceptron,
        role_update: Update::Perceptron,
        epochs: None,
        biases: vec![DEFAULT_CUE_BIAS],
        write: None,
        eval: None,
        holdout_set: false,
        jobs: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let count = |v: &str| -> Result<usize, String> {
            match v.parse::<usize>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "{flag}: expected a positive whole number, got {v:?}"
                )),
            }
        };
        match flag.as_str() {
            "--data" => a.data = Some(PathBuf::from(value)),
            "--write" => a.write = Some(PathBuf::from(value)),
            "--eval" => a.eval = Some(PathBuf::from(value)),
            "--holdout" => {
                a.holdout = count(&value)?;
                a.holdout_set = true;
            }
            "--folds" => {
                let k = count(&value)?;
                if k < 2 {
                    return Err(format!("--folds: expected at least 2, got {value:?}"));
                }
                a.folds = Some(k);
            }
            "--seeds" => a.seeds = count(&value)?,
            "--average" => a.average = count(&value)?,
            "--epochs" => a.epochs = Some(count(&value)?),
            "--jobs" => a.jobs = count(&value)?,
            "--update" => {
                a.cue_update = parse_update(&value)?;
                a.role_update = a.cue_update;
            }
            "--cue-update" => a.cue_update = parse_update(&value)?,
            "--role-update" => a.role_update = parse_update(&value)?,
            "--bias" => {
                a.biases = value
                    .split(',')
                    .map(|b| {
                        b.trim()
                            .parse::<f32>()
                            .ok()
                            .filter(|b| b.is_finite())
                            .ok_or_else(|| format!("--bias: {b:?} is not a number"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            _ => return Err(format!("unknown option {flag:?}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn parse_update(v: &str) -> Result<Update, String> {
    let number = |s: &str| {
        s.parse::<f32>()
            .ok()
            .filter(|x| x.is_finite() && *x > 0.0)
            .ok_or_else(|| format!("--update {v:?}: {s:?} is not a positive number"))
    };
    match v.split_once(':') {
        None if v == "perceptron" => Ok(Update::Perceptron),
        Some(("pa", rest)) => {
            let (c, miss) = rest.split_once(':').unwrap_or((rest, "1"));
            Ok(Update::PassiveAggressive {
                c: number(c)?,
                miss: number(miss)?,
            })
        }
        Some(("recall", m)) => Ok(Update::RecallWeighted { miss: number(m)? }),
        _ => Err(format!(
            "--update: expected perceptron, pa:C[:MISS] or recall:M, got {v:?}"
        )),
    }
}

/// One run's scores per cue bias, and its predictions at the first bias.
type RunResult = Result<(Vec<Scores>, Vec<JsonDoc>), String>;

/// The scores of one run at one cue bias.
#[derive(Clone, Copy)]
struct Scores {
    quote: f64,
    attribution: f64,
    direct_attribution: f64,
}

/// Each article's date (`"date"`, else the `_YYYY-MM-DD_` part of its id), in file order.
fn dates(path: &std::path::Path) -> Result<Vec<String>, String> {
    #[derive(serde::Deserialize)]
    struct Meta {
        id: String,
        #[serde(default)]
        date: Option<String>,
    }
    let data = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    data.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let m: Meta = serde_json::from_str(l)
                .map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
            Ok(m.date.unwrap_or_else(|| {
                m.id.split('_')
                    .find(|p| p.len() == 10 && p.as_bytes()[4] == b'-')
                    .unwrap_or("")
                    .to_string()
            }))
        })
        .collect()
}

/// Train on `train`, then score `held` once per cue bias.
fn run(
    train: &TrainingData,
    held: &[JsonDoc],
    pos: &PosTagger,
    opts: &Options,
    biases: &[f32],
) -> RunResult {
    let (cue, role) = train.train(opts, &mut |_| {});
    let models = Models {
        pos: pos.clone(),
        cue,
        role,
    };
    let mut first = Vec::new();
    let scores = biases
        .iter()
        .map(|&b| {
            let ex = verbatim::Extractor::with_models(models.clone()).with_cue_bias(b);
            let pred: Vec<JsonDoc> = held
                .iter()
                .map(|d| {
                    JsonDoc::extracted(&d.id, d.text.as_deref().unwrap_or(""), &{
                        ex.extract(d.text.as_deref().unwrap_or(""))
                    })
                })
                .collect();
            let r = score::score(held, &pred).map_err(|e| e.to_string())?;
            if first.is_empty() {
                first = pred;
            }
            Ok(Scores {
                quote: r.all.quote.f1,
                attribution: r.all.attribution.f1,
                direct_attribution: r.direct.attribution.f1,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok((scores, first))
}

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("holdout: {e}");
            ExitCode::FAILURE
        }
    }
}

fn real_main() -> Result<(), String> {
    if std::env::args().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}\n(see the documentation at the top of examples/holdout.rs)");
        return Ok(());
    }
    let args = parse_args()?;
    let dir = match args.data.clone().or_else(polnear::default_polnear_dir) {
        Some(d) => d,
        None => {
            return Err(format!(
                "no PolNeAR data: ../shared/data/polnear not found beside the workspace; pass --data DIR\n{USAGE}"
            ))
        }
    };
    let path = dir.join("train.jsonl");
    if !path.is_file() {
        return Err(format!(
            "{} not found: pass the PolNeAR folder with --data",
            path.display()
        ));
    }
    let mut docs = score::load_jsonl(&path).map_err(|e| e.to_string())?;
    let dates = dates(&path)?;
    if dates.len() != docs.len() {
        return Err(format!(
            "{}: could not read every article's date",
            path.display()
        ));
    }
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| dates[a].cmp(&dates[b]));
    let slices: Vec<Vec<usize>> = match (&args.eval, args.folds) {
        (Some(_), _) if args.folds.is_some() || args.holdout_set => {
            return Err(format!(
                "--eval scores another file: it takes neither --folds nor --holdout\n{USAGE}"
            ))
        }
        (Some(eval), _) => {
            let extra = score::load_jsonl(eval).map_err(|e| format!("{}: {e}", eval.display()))?;
            let n = docs.len();
            docs.extend(extra);
            vec![(n..docs.len()).collect()]
        }
        (None, Some(k)) => {
            if k > docs.len() {
                return Err(format!("--folds {k}: only {} articles", docs.len()));
            }
            (0..k)
                .map(|f| order[f * docs.len() / k..(f + 1) * docs.len() / k].to_vec())
                .collect()
        }
        (None, None) => {
            if args.holdout >= docs.len() {
                return Err(format!(
                    "--holdout {}: only {} articles",
                    args.holdout,
                    docs.len()
                ));
            }
            vec![order[docs.len() - args.holdout..].to_vec()]
        }
    };
    let pos = verbatim::Extractor::new().models().pos.clone();
    let base = Options::default();
    println!(
        "{} train articles; {} held-out slice(s) of {}; {} seed(s), {} model(s) averaged per run; updates {:?} (cue), {:?} (role); epochs {}",
        docs.len() - if args.eval.is_some() { slices[0].len() } else { 0 },
        slices.len(),
        slices.iter().map(|s| s.len().to_string()).collect::<Vec<_>>().join("/"),
        args.seeds,
        args.average,
        args.cue_update,
        args.role_update,
        args.epochs.unwrap_or(base.epochs),
    );
    println!("slice  seed    bias  ALL quote  ALL attr  DIRECT attr");
    // results[bias] = every run's scores at that bias.
    let mut results: Vec<Vec<Scores>> = vec![Vec::new(); args.biases.len()];
    let mut written: Vec<JsonDoc> = Vec::new();
    for (f, slice) in slices.iter().enumerate() {
        let mut held_out = vec![false; docs.len()];
        for &k in slice {
            held_out[k] = true;
        }
        let train_docs: Vec<JsonDoc> = (0..docs.len())
            .filter(|&k| !held_out[k])
            .map(|k| docs[k].clone())
            .collect();
        let held: Vec<JsonDoc> = slice.iter().map(|&k| docs[k].clone()).collect();
        let train = TrainingData::new(&train_docs, &pos, &base);
        drop(train_docs);
        let opts_of = |s: usize| Options {
            seeds: (0..args.average)
                .map(|j| shuffle_seed((s * args.average + j) as u64))
                .collect(),
            cue_update: args.cue_update,
            role_update: args.role_update,
            epochs: args.epochs.unwrap_or(base.epochs),
            ..base.clone()
        };
        let seeds: Vec<usize> = (0..args.seeds).collect();
        for batch in seeds.chunks(args.jobs) {
            let out: Vec<RunResult> = std::thread::scope(|sc| {
                let handles: Vec<_> = batch
                    .iter()
                    .map(|&s| {
                        let (train, held, pos) = (&train, &held, &pos);
                        let opts = opts_of(s);
                        let biases = &args.biases;
                        sc.spawn(move || run(train, held, pos, &opts, biases))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err("a training run panicked".into()))
                    })
                    .collect()
            });
            for (&s, r) in batch.iter().zip(out) {
                let (scores, pred) = r?;
                if s == 0 {
                    written.extend(pred);
                }
                for (bi, sc) in scores.into_iter().enumerate() {
                    println!(
                        "{:>5}  {:>4}  {:>6}  {:>9.4}  {:>8.4}  {:>11.4}",
                        f + 1,
                        s,
                        args.biases[bi],
                        sc.quote,
                        sc.attribution,
                        sc.direct_attribution
                    );
                    results[bi].push(sc);
                }
            }
        }
    }
    if let Some(path) = &args.write {
        let mut out = String::new();
        for d in &written {
            out.push_str(&serde_json::to_string(d).map_err(|e| e.to_string())?);
            out.push('\n');
        }
        std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("held-out predictions of seed 0: {}", path.display());
    }
    println!("\nmean over {} run(s) [min … max]", results[0].len());
    println!("  bias  ALL quote                 ALL attr                  DIRECT attr");
    for (bi, rs) in results.iter().enumerate() {
        let stat = |get: fn(&Scores) -> f64| {
            let v: Vec<f64> = rs.iter().map(get).collect();
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            let min = v.iter().copied().fold(f64::INFINITY, f64::min);
            let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("{mean:.4} [{min:.4} … {max:.4}]")
        };
        println!(
            "{:>6}  {}  {}  {}",
            args.biases[bi],
            stat(|s| s.quote),
            stat(|s| s.attribution),
            stat(|s| s.direct_attribution)
        );
    }
    Ok(())
}
