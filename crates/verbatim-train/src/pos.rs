//! Trains the part-of-speech tagger on UD English EWT (CoNLL-U) and evaluates it.
//!
//! A greedy averaged perceptron: each token is tagged left to right with the tagger's own
//! previous guesses as context (as at inference), and on an error the gold label's weights go
//! up and the guess's go down. Weights are integers while training, so the averaged result —
//! and the model file — is bit-identical from run to run. The features come from
//! [`verbatim::tagging::pos::features`], the tagger's own feature set.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use verbatim::tagging::linear::bucket;
use verbatim::tagging::pos::{
    argmax, features, upos_index, PosSentence, PosTagger, START_TAG, UPOS,
};
use verbatim::tagging::LinearModel;

const NL: usize = UPOS.len();

/// One sentence of a CoNLL-U file: its syntactic words (no multiword ranges, no empty nodes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConlluSentence {
    /// FORM of each word.
    pub forms: Vec<String>,
    /// UPOS of each word, as an index into [`UPOS`].
    pub tags: Vec<u8>,
    /// HEAD of each word (1-based, 0 for the root).
    pub heads: Vec<u32>,
    /// False where MISC says `SpaceAfter=No`.
    pub space_after: Vec<bool>,
}

/// Read a CoNLL-U file (see [`parse_conllu`]).
pub fn read_conllu(path: &Path) -> Result<Vec<ConlluSentence>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_conllu(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parse CoNLL-U text: comment lines, multiword token ranges (`1-2`) and empty nodes (`1.1`) are
/// skipped; blank lines separate sentences.
pub fn parse_conllu(text: &str) -> Result<Vec<ConlluSentence>, String> {
    let mut out = Vec::new();
    let mut cur = ConlluSentence {
        forms: Vec::new(),
        tags: Vec::new(),
        heads: Vec::new(),
        space_after: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.forms.is_empty() {
                out.push(cur.clone());
                cur.forms.clear();
                cur.tags.clear();
                cur.heads.clear();
                cur.space_after.clear();
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(format!(
                "line {}: {} columns, CoNLL-U has 10",
                n + 1,
                cols.len()
            ));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let tag = upos_index(cols[3])
            .ok_or_else(|| format!("line {}: unknown UPOS {:?}", n + 1, cols[3]))?;
        cur.forms.push(cols[1].to_string());
        cur.tags.push(tag);
        cur.heads.push(cols[6].parse().unwrap_or(0));
        cur.space_after
            .push(!cols[9].split('|').any(|m| m == "SpaceAfter=No"));
    }
    if !cur.forms.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// The hyphenated compounds of a sentence joined into single words, as Verbatim's tokenizer
/// leaves them ("well-known", "30-year-old"); `None` when there are none. UD splits them
/// (`well - known`). A joined word takes the tag of its syntactic head: the piece whose head lies
/// outside the compound (the last such piece, if several).
pub fn join_hyphenated(s: &ConlluSentence) -> Option<(Vec<String>, Vec<u8>)> {
    let n = s.forms.len();
    // The piece left of the hyphen must end, and the piece right of it begin, with a letter or
    // digit: "e-mail" joins, ":-)" does not.
    let wordy = |i: usize, right: bool| {
        let f = &s.forms[i];
        let c = if right {
            f.chars().next()
        } else {
            f.chars().last()
        };
        c.is_some_and(char::is_alphanumeric)
    };
    let joins = |i: usize| {
        i + 2 < n
            && s.forms[i + 1] == "-"
            && !s.space_after[i]
            && !s.space_after[i + 1]
            && wordy(i, false)
            && wordy(i + 2, true)
    };
    if !(0..n).any(joins) {
        return None;
    }
    let (mut forms, mut tags) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < n {
        let mut j = i;
        while joins(j) {
            j += 2;
        }
        if j == i {
            forms.push(s.forms[i].clone());
            tags.push(s.tags[i]);
        } else {
            let inside = |h: u32| (h as usize) > i && (h as usize) <= j + 1;
            let head = (i..=j).rev().find(|&k| !inside(s.heads[k])).unwrap_or(j);
            forms.push(s.forms[i..=j].concat());
            tags.push(s.tags[head]);
        }
        i = j + 1;
    }
    Some((forms, tags))
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct PosOptions {
    /// log2 of the number of feature buckets.
    pub bits: u32,
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
    /// Also train on copies of sentences with hyphenated compounds joined (see
    /// [`join_hyphenated`]), as Verbatim tokenizes them.
    pub join_hyphens: bool,
    /// Quantized weights with a magnitude at or below this are dropped (smaller file).
    pub prune: i16,
}

impl Default for PosOptions {
    fn default() -> Self {
        PosOptions {
            bits: 17,
            epochs: 6,
            seed: 0x9e37_79b9_7f4a_7c15,
            join_hyphens: true,
            prune: 0,
        }
    }
}

/// Accuracy of a tagger on gold-tagged sentences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PosEval {
    /// Tokens tagged correctly.
    pub correct: usize,
    /// Tokens.
    pub total: usize,
    /// Per gold tag (index into [`UPOS`]): (correct, total).
    pub per_tag: [(usize, usize); NL],
}

impl PosEval {
    /// Fraction of tokens tagged correctly (0 when there are none).
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

/// What training did.
#[derive(Clone, Debug, Default)]
pub struct PosReport {
    /// Training sentences read.
    pub sentences: usize,
    /// Training tokens read.
    pub tokens: usize,
    /// Extra sentences with hyphenated compounds joined.
    pub joined: usize,
    /// Per epoch: accuracy on the training data during the pass (with the current weights).
    pub train_accuracy: Vec<f64>,
    /// Per epoch: dev accuracy of the averaged, quantized model (empty without dev data).
    pub dev_accuracy: Vec<f64>,
    /// Dev evaluation of the final model.
    pub dev: Option<PosEval>,
    /// Non-zero weights in the final model.
    pub nonzero: usize,
}

/// Tag every sentence and compare with the gold tags.
pub fn evaluate_pos(tagger: &PosTagger, sentences: &[ConlluSentence]) -> PosEval {
    let mut ev = PosEval::default();
    let mut s = PosSentence::new();
    let mut out = Vec::new();
    for sent in sentences {
        s.prepare(&sent.forms);
        out.clear();
        tagger.tag_prepared(&mut s, &mut out);
        for (&g, &p) in sent.tags.iter().zip(&out) {
            let ok = usize::from(g == p);
            ev.correct += ok;
            ev.total += 1;
            ev.per_tag[g as usize].0 += ok;
            ev.per_tag[g as usize].1 += 1;
        }
    }
    ev
}

/// xorshift64*: a fixed, portable sequence, so the shuffle (and the model) never changes.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Averaged perceptron weights, with lazy averaging: `total` holds the sum of each weight over
/// all instances up to `stamp`.
struct Perceptron {
    bits: u32,
    w: Vec<i32>,
    total: Vec<i64>,
    stamp: Vec<u32>,
    seen: u32,
}

impl Perceptron {
    fn new(bits: u32) -> Perceptron {
        let n = (1usize << bits) * NL;
        Perceptron {
            bits,
            w: vec![0; n],
            total: vec![0; n],
            stamp: vec![0; n],
            seen: 0,
        }
    }

    fn predict(&self, feats: &[u64]) -> u8 {
        let mut acc = [0i32; NL];
        for &h in feats {
            let row = bucket(h, self.bits) * NL;
            for (a, &w) in acc.iter_mut().zip(&self.w[row..row + NL]) {
                *a += w;
            }
        }
        argmax(&acc)
    }

    fn bump(&mut self, idx: usize, delta: i32) {
        self.total[idx] += (self.seen - self.stamp[idx]) as i64 * self.w[idx] as i64;
        self.stamp[idx] = self.seen;
        self.w[idx] += delta;
    }

    fn update(&mut self, feats: &[u64], gold: u8, guess: u8) {
        for &h in feats {
            let row = bucket(h, self.bits) * NL;
            self.bump(row + gold as usize, 1);
            self.bump(row + guess as usize, -1);
        }
    }

    /// The averaged weights, quantized, with small weights pruned.
    fn model(&self, prune: i16) -> LinearModel {
        let seen = self.seen.max(1) as f64;
        let avg: Vec<f32> = (0..self.w.len())
            .map(|i| {
                let t = self.total[i] + (self.seen - self.stamp[i]) as i64 * self.w[i] as i64;
                (t as f64 / seen) as f32
            })
            .collect();
        let labels = UPOS.iter().map(|s| s.to_string()).collect();
        // Greedy decoding uses no transitions; the format still carries them.
        let mut m = LinearModel::quantize("pos", labels, self.bits, &avg, vec![0.0; (NL + 1) * NL]);
        for w in &mut m.weights {
            if w.abs() <= prune {
                *w = 0;
            }
        }
        m
    }
}

/// Train on already-read sentences; evaluate on `dev` after each epoch when it is not empty.
pub fn train_pos_sentences(
    train: &[ConlluSentence],
    dev: &[ConlluSentence],
    opts: &PosOptions,
) -> (LinearModel, PosReport) {
    let mut data: Vec<(Vec<String>, Vec<u8>)> = train
        .iter()
        .map(|s| (s.forms.clone(), s.tags.clone()))
        .collect();
    let mut report = PosReport {
        sentences: train.len(),
        tokens: train.iter().map(|s| s.forms.len()).sum(),
        ..PosReport::default()
    };
    if opts.join_hyphens {
        let joined: Vec<_> = train.iter().filter_map(join_hyphenated).collect();
        report.joined = joined.len();
        data.extend(joined);
    }
    let mut p = Perceptron::new(opts.bits);
    let mut rng = XorShift(opts.seed | 1);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut s = PosSentence::new();
    let mut feats = Vec::with_capacity(64);
    let mut model = None;
    for _ in 0..opts.epochs {
        rng.shuffle(&mut order);
        let (mut correct, mut total) = (0usize, 0usize);
        for &k in &order {
            let (forms, tags) = &data[k];
            s.prepare(forms);
            let (mut prev, mut prev2) = (START_TAG, START_TAG);
            for (i, &gold) in tags.iter().enumerate() {
                features(&s, i, prev, prev2, &mut feats);
                let guess = p.predict(&feats);
                if guess != gold {
                    p.update(&feats, gold, guess);
                } else {
                    correct += 1;
                }
                total += 1;
                p.seen += 1;
                prev2 = prev;
                prev = guess;
            }
        }
        report
            .train_accuracy
            .push(correct as f64 / total.max(1) as f64);
        if !dev.is_empty() {
            let m = p.model(opts.prune);
            let tagger = PosTagger::new(m.clone()).expect("UPOS labels");
            report
                .dev_accuracy
                .push(evaluate_pos(&tagger, dev).accuracy());
            model = Some(m);
        }
    }
    let model = model.unwrap_or_else(|| p.model(opts.prune));
    report.nonzero = model.weights.iter().filter(|&&w| w != 0).count();
    if !dev.is_empty() {
        let tagger = PosTagger::new(model.clone()).expect("UPOS labels");
        report.dev = Some(evaluate_pos(&tagger, dev));
    }
    (model, report)
}

/// Train on a CoNLL-U file, evaluating on `dev` if given.
pub fn train_pos(
    train: &Path,
    dev: Option<&Path>,
    opts: &PosOptions,
) -> Result<(LinearModel, PosReport), String> {
    let train = read_conllu(train)?;
    let dev = match dev {
        Some(d) => read_conllu(d)?,
        None => Vec::new(),
    };
    Ok(train_pos_sentences(&train, &dev, opts))
}

/// Train on `ud_dir/en_ewt-ud-train.conllu` with the default options, check on
/// `en_ewt-ud-dev.conllu`, write the model to `out`; returns a summary for people.
pub fn train_pos_to_file(ud_dir: &Path, out: &Path) -> Result<String, String> {
    let started = Instant::now();
    let (model, report) = train_pos(
        &ud_dir.join("en_ewt-ud-train.conllu"),
        Some(&ud_dir.join("en_ewt-ud-dev.conllu")),
        &PosOptions::default(),
    )?;
    let bytes = model.to_bytes();
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "pos: {} sentences, {} tokens (+{} with hyphenated compounds joined), {} epochs, {:.1}s",
        report.sentences,
        report.tokens,
        report.joined,
        report.train_accuracy.len(),
        started.elapsed().as_secs_f64()
    );
    let epochs: Vec<String> = report
        .dev_accuracy
        .iter()
        .map(|a| format!("{:.2}", a * 100.0))
        .collect();
    let _ = writeln!(s, "dev accuracy by epoch: {}", epochs.join(" "));
    if let Some(dev) = &report.dev {
        let _ = writeln!(
            s,
            "dev UPOS accuracy {:.2}% ({}/{})",
            dev.accuracy() * 100.0,
            dev.correct,
            dev.total
        );
    }
    let _ = write!(
        s,
        "wrote {} ({} bytes, {} non-zero weights, 2^{} rows)",
        out.display(),
        bytes.len(),
        report.nonzero,
        model.bits
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = 1\n# text = Don't well-known X.\n\
1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tDo\tdo\tAUX\tVBP\t_\t5\taux\t_\t_\n\
2\tn't\tnot\tPART\tRB\t_\t5\tadvmod\t_\t_\n\
3\twell\twell\tADV\tRB\t_\t5\tadvmod\t_\tSpaceAfter=No\n\
4\t-\t-\tPUNCT\tHYPH\t_\t5\tpunct\t_\tSpaceAfter=No\n\
5\tknown\tknow\tVERB\tVBN\t_\t0\troot\t_\t_\n\
5.1\tgone\tgo\tVERB\tVBN\t_\t_\t_\t_\t_\n\
6\tX\tX\tPROPN\tNNP\t_\t5\tobj\t_\tSpaceAfter=No\n\
7\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_\n\
\n\
1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n";

    #[test]
    fn reads_conllu_skipping_ranges_and_empty_nodes() {
        let s = parse_conllu(SAMPLE).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].forms, ["Do", "n't", "well", "-", "known", "X", "."]);
        assert_eq!(UPOS[s[0].tags[0] as usize], "AUX");
        assert_eq!(
            s[0].space_after,
            [true, true, false, false, true, false, true]
        );
        assert_eq!(s[1].forms, ["Hi"]);
        assert!(parse_conllu("1\tx\n").is_err());
    }

    #[test]
    fn joins_hyphenated_compounds_with_the_head_tag() {
        let s = parse_conllu(SAMPLE).unwrap();
        let (forms, tags) = join_hyphenated(&s[0]).unwrap();
        assert_eq!(forms, ["Do", "n't", "well-known", "X", "."]);
        assert_eq!(UPOS[tags[2] as usize], "VERB");
        assert!(join_hyphenated(&s[1]).is_none());
    }

    #[test]
    fn shuffle_is_fixed() {
        let mut v: Vec<u32> = (0..10).collect();
        XorShift(7).shuffle(&mut v);
        let mut w: Vec<u32> = (0..10).collect();
        XorShift(7).shuffle(&mut w);
        assert_eq!(v, w);
        assert_ne!(v, (0..10).collect::<Vec<_>>());
    }
}
