//! Training the cue and role taggers on PolNeAR.
//!
//! Both are averaged structured perceptrons (Collins 2002) over the features in
//! `verbatim::tagging::features`, decoded with the same Viterbi and BIO constraints as at
//! extraction time. Training is deterministic: documents in file order, instances shuffled by a
//! fixed-seed xorshift, so a rebuild gives the same bytes.

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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epochs: 12,
            cue_bits: 20,
            role_bits: 20,
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

    fn update(&mut self, inst: &Instance, pred: &[usize]) {
        let l = self.l;
        let c = self.c;
        for (t, fs) in inst.feats.iter().enumerate() {
            let (g, p) = (inst.gold[t], pred[t]);
            if g != p {
                for &f in fs {
                    let base = f as usize * l;
                    self.w[base + g] += 1.0;
                    self.acc[base + g] += c;
                    self.w[base + p] -= 1.0;
                    self.acc[base + p] -= c;
                }
            }
            let (gp, pp) = if t == 0 {
                (l, l)
            } else {
                (inst.gold[t - 1], pred[t - 1])
            };
            if (gp, g) != (pp, p) {
                self.tw[gp * l + g] += 1.0;
                self.tacc[gp * l + g] += c;
                self.tw[pp * l + p] -= 1.0;
                self.tacc[pp * l + p] -= c;
            }
        }
    }

    fn averaged(&self) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], a: &[f32]| w.iter().zip(a).map(|(w, a)| w - a / self.c).collect();
        (avg(&self.w, &self.acc), avg(&self.tw, &self.tacc))
    }
}

/// Train one tagger; returns the model and the token accuracy on the training data per epoch.
fn train_tagger(
    name: &str,
    labels: &[&str],
    bits: u32,
    data: &[Instance],
    epochs: usize,
    log: &mut dyn FnMut(String),
) -> LinearModel {
    let l = labels.len();
    let mut p = Perceptron::new(bits, l);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut em = Vec::new();
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
            let pred = viterbi(&em, l, &p.tw, bio_allowed(l));
            let errs = pred.iter().zip(&inst.gold).filter(|(a, b)| a != b).count();
            wrong += errs;
            total += pred.len();
            if errs > 0 {
                p.update(inst, &pred);
            }
            p.c += 1.0;
        }
        log(format!(
            "{name}: epoch {} token accuracy {:.4}",
            epoch + 1,
            1.0 - wrong as f64 / total.max(1) as f64
        ));
    }
    let (w, t) = p.averaged();
    LinearModel::quantize(
        name,
        labels.iter().map(|s| s.to_string()).collect(),
        bits,
        &w,
        t,
    )
}

/// Train the cue and role models on `docs` (PolNeAR train). `log` receives progress lines.
pub fn train(
    docs: &[JsonDoc],
    pos: &PosTagger,
    opts: &Options,
    log: &mut dyn FnMut(String),
) -> (LinearModel, LinearModel) {
    let (mut cues, mut roles) = (Vec::new(), Vec::new());
    for d in docs {
        instances(d, pos, opts.cue_bits, opts.role_bits, &mut cues, &mut roles);
    }
    log(format!(
        "{} documents: {} paragraphs, {} attributions",
        docs.len(),
        cues.len(),
        roles.len()
    ));
    let cue = train_tagger("cue", &CUE_LABELS, opts.cue_bits, &cues, opts.epochs, log);
    drop(cues);
    let role = train_tagger(
        "role",
        &ROLE_LABELS,
        opts.role_bits,
        &roles,
        opts.epochs,
        log,
    );
    (cue, role)
}
