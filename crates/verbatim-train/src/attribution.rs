//! Training the cue and role taggers on PolNeAR.
//!
//! Both are averaged structured perceptrons (Collins 2002) over the features in
//! `verbatim::tagging::features`, decoded with the same Viterbi and BIO constraints as at
//! extraction time. Training is deterministic: documents in file order, instances shuffled by a
//! fixed-seed xorshift, so a rebuild gives the same bytes.
//!
//! [`Options`] also offers passive-aggressive and recall-weighted updates and weight averaging
//! over shuffle seeds, for experiments (`examples/holdout.rs` scores settings on held-out train
//! articles); the shipped models use the defaults.

use crate::polnear::JsonDoc;
use std::ops::Range;
use verbatim::attribution::{bio_allowed, CUE_LABELS, ROLE_LABELS};
use verbatim::tagging::features;
use verbatim::tagging::linear::{bucket, viterbi, LinearModel};
use verbatim::tagging::pos::PosTagger;
use verbatim::text::{OffsetMap, Span, Text};

/// Training settings.
#[derive(Clone, Debug)]
pub struct Options {
    /// Passes over the data.
    pub epochs: usize,
    /// log2 of the cue model's feature table size.
    pub cue_bits: u32,
    /// log2 of the role model's feature table size.
    pub role_bits: u32,
    /// Shuffle seeds: one model is trained per seed and their averaged weights are averaged
    /// into one model (of the same size and format). The shipped models average
    /// [`SHIPPED_SEEDS`]: on held-out folds of train that gains about 0.2 points of F1 over
    /// one seed, and halves the seed-to-seed spread.
    pub seeds: Vec<u64>,
    /// How a mistake updates the cue tagger's weights.
    pub cue_update: Update,
    /// How a mistake updates the role tagger's weights.
    pub role_update: Update,
}

/// The first of the shipped models' shuffle seeds ([`shuffle_seed`]`(0)`).
pub const DEFAULT_SEED: u64 = 0x2545_F491_4F6C_DD1D;

/// How many shuffle seeds the shipped models average ([`shuffle_seed`] 0, 1, …).
pub const SHIPPED_SEEDS: u64 = 3;

/// The `k`-th shuffle seed: [`DEFAULT_SEED`] for 0, then well-mixed non-zero seeds (splitmix64),
/// so `seeds: (0..k).map(shuffle_seed)` starts with the shipped model's seed.
pub fn shuffle_seed(k: u64) -> u64 {
    if k == 0 {
        return DEFAULT_SEED;
    }
    let mut z = DEFAULT_SEED.wrapping_add(k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    if z == 0 {
        DEFAULT_SEED
    } else {
        z
    }
}

/// The weight update on a sequence decoded wrongly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Update {
    /// Collins' structured perceptron: gold features +1, predicted features -1.
    Perceptron,
    /// Passive-aggressive (PA-I, Crammer et al. 2006): decoding is cost-augmented with a
    /// weighted Hamming loss, and the step is the smallest that would have made the gold
    /// sequence win by that loss, capped at `c`.
    PassiveAggressive {
        /// Largest step.
        c: f32,
        /// The cost of a wrong label on a token whose gold label is not O (1 on the others):
        /// above 1 favours recall.
        miss: f32,
    },
    /// The perceptron, with a step of `miss` instead of 1 on tokens whose gold label is not O
    /// and whose predicted label is O (a missed cue or role token).
    RecallWeighted {
        /// Step on a missed token.
        miss: f32,
    },
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epochs: 12,
            cue_bits: 20,
            role_bits: 20,
            seeds: (0..SHIPPED_SEEDS).map(shuffle_seed).collect(),
            cue_update: Update::Perceptron,
            role_update: Update::Perceptron,
        }
    }
}

/// One training sequence: feature buckets per token, and gold labels.
struct Instance {
    /// Per token, the bucket rows of its features.
    feats: Vec<Vec<u32>>,
    gold: Vec<usize>,
    /// Tokens forced to label O (the cue itself, for the role tagger).
    forced_o: Vec<bool>,
}

/// Token ranges of the tokens overlapping each code point span.
fn token_range(text: &Text<'_>, map: &OffsetMap, start: usize, end: usize) -> Option<Range<usize>> {
    let s = map.to_byte(start)?;
    let e = map.to_byte(end)?;
    let span = Span::new(s, e);
    let first = text.tokens.partition_point(|t| t.span().end <= span.start);
    let mut last = first;
    while last < text.tokens.len() && text.tokens[last].span().start < span.end {
        last += 1;
    }
    (first < last).then_some(first..last)
}

fn label_runs(labels: &mut [usize], base: usize, ranges: &[Range<usize>], b: usize) {
    for r in ranges {
        for k in r.clone() {
            labels[k - base] = if k == r.start { b } else { b + 1 };
        }
    }
}

/// Build the instances of one document.
fn instances(
    doc: &JsonDoc,
    pos: &PosTagger,
    cue_bits: u32,
    role_bits: u32,
    cues: &mut Vec<Instance>,
    roles: &mut Vec<Instance>,
) {
    let Some(raw) = doc.text.as_deref() else {
        return;
    };
    let text = Text::new(raw);
    let map = OffsetMap::new(raw);
    let tags = pos.tag_text(&text);
    let tok = features::token_info(&text, &tags);
    let mut is_cue = vec![false; tok.len()];
    let mut gold = Vec::new();
    for q in &doc.quotes {
        let Some(c) = q.cue.first() else { continue };
        let Some(cue) = token_range(&text, &map, c.start, c.end) else {
            continue;
        };
        is_cue[cue.clone()].fill(true);
        let src: Vec<_> = q
            .source
            .iter()
            .filter_map(|s| token_range(&text, &map, s.start, s.end))
            .collect();
        let con: Vec<_> = q
            .content
            .iter()
            .filter_map(|s| token_range(&text, &map, s.start, s.end))
            .collect();
        gold.push((cue, src, con));
    }
    let mut feats = Vec::new();
    for p in &text.paragraphs {
        let mut labels = vec![0usize; p.len()];
        let cue_ranges: Vec<_> = gold
            .iter()
            .map(|g| g.0.clone())
            .filter(|c| p.contains(&c.start))
            .collect();
        label_runs(&mut labels, p.start, &cue_ranges, 1);
        let fs = p
            .clone()
            .map(|i| {
                features::cue_features(&tok, &text, p, i, &mut feats);
                feats.iter().map(|&h| bucket(h, cue_bits) as u32).collect()
            })
            .collect();
        cues.push(Instance {
            feats: fs,
            gold: labels,
            forced_o: vec![false; p.len()],
        });
    }
    for (cue, src, con) in &gold {
        // The whole window, unclipped: training learns from all of it (the clip bounds the
        // cost of extraction), and the shipped models rebuild bit for bit.
        let win = features::window(&text, cue, usize::MAX);
        let cx = features::cue_context(&tok, &text, &win, cue.clone(), &is_cue);
        let mut labels = vec![0usize; win.len()];
        let clip = |rs: &[Range<usize>]| -> Vec<Range<usize>> {
            rs.iter()
                .map(|r| r.start.max(win.start)..r.end.min(win.end))
                .filter(|r| r.start < r.end)
                .collect()
        };
        label_runs(&mut labels, win.start, &clip(src), 1);
        label_runs(&mut labels, win.start, &clip(con), 3);
        let mut forced = vec![false; win.len()];
        for k in cue.clone() {
            labels[k - win.start] = 0;
            forced[k - win.start] = true;
        }
        let fs = win
            .clone()
            .map(|i| {
                if cue.contains(&i) {
                    return Vec::new();
                }
                features::role_features(&tok, &text, &win, &cx, i, &mut feats);
                feats.iter().map(|&h| bucket(h, role_bits) as u32).collect()
            })
            .collect();
        roles.push(Instance {
            feats: fs,
            gold: labels,
            forced_o: forced,
        });
    }
}

/// Averaged perceptron state.
struct Perceptron {
    l: usize,
    w: Vec<f32>,
    acc: Vec<f32>,
    tw: Vec<f32>,
    tacc: Vec<f32>,
    c: f32,
}

impl Perceptron {
    fn new(bits: u32, l: usize) -> Perceptron {
        let n = (1usize << bits) * l;
        Perceptron {
            l,
            w: vec![0.0; n],
            acc: vec![0.0; n],
            tw: vec![0.0; (l + 1) * l],
            tacc: vec![0.0; (l + 1) * l],
            c: 1.0,
        }
    }

    fn emissions(&self, inst: &Instance, em: &mut Vec<f32>) {
        let l = self.l;
        em.clear();
        em.resize(inst.gold.len() * l, 0.0);
        for (t, fs) in inst.feats.iter().enumerate() {
            let row = &mut em[t * l..(t + 1) * l];
            if inst.forced_o[t] {
                row[1..].fill(-1e6);
                continue;
            }
            for &f in fs {
                let base = f as usize * l;
                for (r, w) in row.iter_mut().zip(&self.w[base..base + l]) {
                    *r += w;
                }
            }
        }
    }

    /// The score of `path` under emissions `em` and the current transitions.
    fn path_score(&self, em: &[f32], path: &[usize]) -> f32 {
        let l = self.l;
        let mut prev = l;
        let mut s = 0.0;
        for (t, &y) in path.iter().enumerate() {
            s += em[t * l + y] + self.tw[prev * l + y];
            prev = y;
        }
        s
    }

    /// The squared norm of the feature difference between the gold and predicted sequences
    /// (hash collisions counted exactly).
    fn diff_norm2(&self, inst: &Instance, pred: &[usize], scratch: &mut Vec<(usize, f32)>) -> f32 {
        let l = self.l;
        scratch.clear();
        for (t, fs) in inst.feats.iter().enumerate() {
            let (g, p) = (inst.gold[t], pred[t]);
            if g != p {
                for &f in fs {
                    let base = f as usize * l;
                    scratch.push((base + g, 1.0));
                    scratch.push((base + p, -1.0));
                }
            }
            let (gp, pp) = if t == 0 {
                (l, l)
            } else {
                (inst.gold[t - 1], pred[t - 1])
            };
            if (gp, g) != (pp, p) {
                // Transitions live in their own index space, after every emission weight.
                let off = self.w.len();
                scratch.push((off + gp * l + g, 1.0));
                scratch.push((off + pp * l + p, -1.0));
            }
        }
        scratch.sort_unstable_by_key(|e| e.0);
        let mut norm = 0.0;
        let mut k = 0;
        while k < scratch.len() {
            let (idx, mut v) = scratch[k];
            k += 1;
            while k < scratch.len() && scratch[k].0 == idx {
                v += scratch[k].1;
                k += 1;
            }
            norm += v * v;
        }
        norm
    }

    /// Move the weights by `step` (per token) towards the gold sequence and away from `pred`.
    fn update(&mut self, inst: &Instance, pred: &[usize], step: impl Fn(usize, usize) -> f32) {
        let l = self.l;
        let c = self.c;
        for (t, fs) in inst.feats.iter().enumerate() {
            let (g, p) = (inst.gold[t], pred[t]);
            let a = step(g, p);
            if g != p {
                for &f in fs {
                    let base = f as usize * l;
                    self.w[base + g] += a;
                    self.acc[base + g] += c * a;
                    self.w[base + p] -= a;
                    self.acc[base + p] -= c * a;
                }
            }
            let (gp, pp) = if t == 0 {
                (l, l)
            } else {
                (inst.gold[t - 1], pred[t - 1])
            };
            if (gp, g) != (pp, p) {
                self.tw[gp * l + g] += a;
                self.tacc[gp * l + g] += c * a;
                self.tw[pp * l + p] -= a;
                self.tacc[pp * l + p] -= c * a;
            }
        }
    }

    fn averaged(&self) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], a: &[f32]| w.iter().zip(a).map(|(w, a)| w - a / self.c).collect();
        (avg(&self.w, &self.acc), avg(&self.tw, &self.tacc))
    }
}

/// One training run of one tagger.
struct Run {
    epochs: usize,
    update: Update,
    seed: u64,
}

/// Train one averaged perceptron with one shuffle seed; returns its averaged emission and
/// transition weights.
fn train_one(
    name: &str,
    l: usize,
    bits: u32,
    data: &[Instance],
    run: Run,
    log: &mut dyn FnMut(String),
) -> (Vec<f32>, Vec<f32>) {
    let Run {
        epochs,
        update,
        seed,
    } = run;
    let mut p = Perceptron::new(bits, l);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed;
    let mut em = Vec::new();
    let mut aug = Vec::new();
    let mut scratch = Vec::new();
    for epoch in 0..epochs {
        // Fisher–Yates with xorshift64: deterministic.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let (mut wrong, mut total) = (0usize, 0usize);
        for &k in &order {
            let inst = &data[k];
            p.emissions(inst, &mut em);
            match update {
                Update::Perceptron | Update::RecallWeighted { .. } => {
                    let pred = viterbi(&em, l, &p.tw, bio_allowed(l));
                    let errs = pred.iter().zip(&inst.gold).filter(|(a, b)| a != b).count();
                    wrong += errs;
                    total += pred.len();
                    if errs > 0 {
                        let miss = match update {
                            Update::RecallWeighted { miss } => miss,
                            _ => 1.0,
                        };
                        p.update(
                            inst,
                            &pred,
                            |g, y| if g != 0 && y == 0 { miss } else { 1.0 },
                        );
                    }
                }
                Update::PassiveAggressive { c, miss } => {
                    // Cost-augmented decoding: every wrong label earns its cost.
                    let cost = |g: usize| if g != 0 { miss } else { 1.0 };
                    aug.clear();
                    aug.extend_from_slice(&em);
                    for (t, &g) in inst.gold.iter().enumerate() {
                        for (y, a) in aug[t * l..(t + 1) * l].iter_mut().enumerate() {
                            if y != g {
                                *a += cost(g);
                            }
                        }
                    }
                    let pred = viterbi(&aug, l, &p.tw, bio_allowed(l));
                    let errs = pred.iter().zip(&inst.gold).filter(|(a, b)| a != b).count();
                    wrong += errs;
                    total += pred.len();
                    if errs > 0 {
                        let hamming: f32 = pred
                            .iter()
                            .zip(&inst.gold)
                            .filter(|(y, g)| y != g)
                            .map(|(_, &g)| cost(g))
                            .sum();
                        let loss =
                            p.path_score(&em, &pred) - p.path_score(&em, &inst.gold) + hamming;
                        let norm = p.diff_norm2(inst, &pred, &mut scratch);
                        if loss > 0.0 && norm > 0.0 {
                            let tau = (loss / norm).min(c);
                            p.update(inst, &pred, |_, _| tau);
                        }
                    }
                }
            }
            p.c += 1.0;
        }
        log(format!(
            "{name}: epoch {} token accuracy {:.4}",
            epoch + 1,
            1.0 - wrong as f64 / total.max(1) as f64
        ));
    }
    p.averaged()
}

/// Train one tagger: one averaged perceptron per seed, their weights averaged.
fn train_tagger(
    name: &str,
    labels: &[&str],
    bits: u32,
    data: &[Instance],
    update: Update,
    opts: &Options,
    log: &mut dyn FnMut(String),
) -> LinearModel {
    let l = labels.len();
    let seeds: &[u64] = if opts.seeds.is_empty() {
        &[DEFAULT_SEED]
    } else {
        &opts.seeds
    };
    let (mut w, mut t) = (Vec::new(), Vec::new());
    for (k, &seed) in seeds.iter().enumerate() {
        let tag = if seeds.len() > 1 {
            format!("{name} (seed {}/{})", k + 1, seeds.len())
        } else {
            name.to_string()
        };
        let (w1, t1) = train_one(
            &tag,
            l,
            bits,
            data,
            Run {
                epochs: opts.epochs,
                update,
                seed,
            },
            log,
        );
        if k == 0 {
            (w, t) = (w1, t1);
        } else {
            w.iter_mut().zip(&w1).for_each(|(a, b)| *a += b);
            t.iter_mut().zip(&t1).for_each(|(a, b)| *a += b);
        }
    }
    if seeds.len() > 1 {
        let n = seeds.len() as f32;
        w.iter_mut().for_each(|a| *a /= n);
        t.iter_mut().for_each(|a| *a /= n);
    }
    LinearModel::quantize(
        name,
        labels.iter().map(|s| s.to_string()).collect(),
        bits,
        &w,
        t,
    )
}

/// The training sequences of a corpus, built once (the costly part: tagging and features) and
/// trained on as often as needed.
pub struct TrainingData {
    cues: Vec<Instance>,
    roles: Vec<Instance>,
    cue_bits: u32,
    role_bits: u32,
}

impl TrainingData {
    /// The cue and role sequences of `docs`, hashed into the tables of `opts`.
    pub fn new(docs: &[JsonDoc], pos: &PosTagger, opts: &Options) -> TrainingData {
        let (mut cues, mut roles) = (Vec::new(), Vec::new());
        for d in docs {
            instances(d, pos, opts.cue_bits, opts.role_bits, &mut cues, &mut roles);
        }
        TrainingData {
            cues,
            roles,
            cue_bits: opts.cue_bits,
            role_bits: opts.role_bits,
        }
    }

    /// Paragraphs (cue sequences) and attributions (role sequences).
    pub fn sizes(&self) -> (usize, usize) {
        (self.cues.len(), self.roles.len())
    }

    /// Train the cue and role models. `opts`' table sizes must be those the data was built
    /// with.
    pub fn train(&self, opts: &Options, log: &mut dyn FnMut(String)) -> (LinearModel, LinearModel) {
        assert_eq!(
            (opts.cue_bits, opts.role_bits),
            (self.cue_bits, self.role_bits),
            "the training data was hashed with other table sizes"
        );
        let cue = train_tagger(
            "cue",
            &CUE_LABELS,
            opts.cue_bits,
            &self.cues,
            opts.cue_update,
            opts,
            log,
        );
        let role = train_tagger(
            "role",
            &ROLE_LABELS,
            opts.role_bits,
            &self.roles,
            opts.role_update,
            opts,
            log,
        );
        (cue, role)
    }
}

/// Train the cue and role models on `docs` (PolNeAR train). `log` receives progress lines.
pub fn train(
    docs: &[JsonDoc],
    pos: &PosTagger,
    opts: &Options,
    log: &mut dyn FnMut(String),
) -> (LinearModel, LinearModel) {
    let data = TrainingData::new(docs, pos, opts);
    let (cues, roles) = data.sizes();
    log(format!(
        "{} documents: {cues} paragraphs, {roles} attributions",
        docs.len()
    ));
    data.train(opts, log)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_seeds_start_with_the_shipped_one_and_differ() {
        assert_eq!(shuffle_seed(0), DEFAULT_SEED);
        let seeds: std::collections::HashSet<u64> = (0..1000).map(shuffle_seed).collect();
        assert_eq!(seeds.len(), 1000);
        assert!(!seeds.contains(&0), "xorshift stays at 0");
    }
}
