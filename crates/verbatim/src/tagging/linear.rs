//! Linear models over hashed features, and the model file format.
//!
//! A model scores every label of a token as the sum of the weights of the token's features
//! (each feature a 64-bit hash, taken modulo the table size), plus a label-to-label transition
//! weight; [`viterbi`] finds the best label sequence. Weights are stored as 16-bit integers with
//! one scale per model: small files, and an i32 accumulator in the hot loop.
//!
//! File format (little-endian): `VBTM`, u32 version, u32 name length + name, u32 label count,
//! each label as u32 length + UTF-8, u32 table bits, f32 scale, (L+1)·L f32 transitions (row L is
//! the start state), u32 non-zero count, then (varint index delta, i16 weight) pairs.

use std::fmt;

const MAGIC: &[u8; 4] = b"VBTM";
const VERSION: u32 = 1;

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid model file: {} (rebuild it with `verbatim train`)",
            self.0
        )
    }
}

impl std::error::Error for ModelError {}

/// A trained linear tagger.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearModel {
    /// What the model is (e.g. "pos", "cue", "role").
    pub name: String,
    /// Label names, in index order.
    pub labels: Vec<String>,
    /// log2 of the number of feature buckets.
    pub bits: u32,
    /// Multiply a summed i16 weight by this to get the score.
    pub scale: f32,
    /// Quantized weights, `[bucket * labels + label]`.
    pub weights: Vec<i16>,
    /// Transition scores `[(prev) * labels + label]`; row `labels` is the start state.
    pub transitions: Vec<f32>,
}

/// Mix a feature hash with FNV-1a over more bytes.
#[inline]
pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The hash of feature template `t` with value `v`.
#[inline]
pub fn feature(t: u8, v: &str) -> u64 {
    fnv(fnv(0xcbf2_9ce4_8422_2325, &[t, 0xff]), v.as_bytes())
}

/// The hash of feature template `t` with two values.
#[inline]
pub fn feature2(t: u8, a: &str, b: &str) -> u64 {
    fnv(fnv(feature(t, a), &[0xfe]), b.as_bytes())
}

/// The hash of feature template `t` with a small integer value.
#[inline]
pub fn feature_n(t: u8, n: u64) -> u64 {
    fnv(fnv(0xcbf2_9ce4_8422_2325, &[t, 0xfd]), &n.to_le_bytes())
}

/// Ask the CPU to bring `x`'s cache line in, without waiting for it.
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch is a hint; it never faults, and `x` is a valid reference anyway.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Bucket of a feature hash in a table of `2^bits` rows.
#[inline]
pub fn bucket(h: u64, bits: u32) -> usize {
    // Fold the high bits in: FNV's low bits are weak.
    ((h ^ (h >> 29) ^ (h >> 47)) & ((1u64 << bits) - 1)) as usize
}

/// The weight rows of the features of several items (tokens), gathered before scoring them
/// with [`LinearModel::score_batch`].
#[derive(Debug, Default, Clone)]
pub struct RowBatch {
    /// Row offsets into the weight table, item after item.
    rows: Vec<usize>,
    /// Where each item's rows end.
    ends: Vec<usize>,
}

impl RowBatch {
    /// Empty the batch, keeping its buffers.
    pub fn clear(&mut self) {
        self.rows.clear();
        self.ends.clear();
    }

    /// Add an item with these features, for model `m`.
    pub fn push(&mut self, m: &LinearModel, features: &[u64]) {
        let l = m.num_labels();
        self.rows
            .extend(features.iter().map(|&h| bucket(h, m.bits) * l));
        self.ends.push(self.rows.len());
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the batch has no item.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl LinearModel {
    /// Number of labels.
    pub fn num_labels(&self) -> usize {
        self.labels.len()
    }

    /// Index of a label by name.
    pub fn label(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == name)
    }

    /// Add the scores of `features` for every label into `out` (length = number of labels).
    #[inline]
    pub fn score(&self, features: &[u64], out: &mut [f32]) {
        // A constant label count lets the compiler unroll the row sums.
        match self.labels.len() {
            3 => self.score_l(3, features, out),
            5 => self.score_l(5, features, out),
            17 => self.score_l(17, features, out),
            l => self.score_l(l, features, out),
        }
    }

    /// Add the scores of every item of `batch` into `out` (`l` values per item, in order):
    /// the same sums as [`LinearModel::score`] on each item's features. The weight rows of the
    /// next item are loaded while the current one is summed, so that their cache misses (the
    /// tables are megabytes, read at random) overlap instead of stalling each item in turn.
    pub fn score_batch(&self, batch: &RowBatch, out: &mut [f32]) {
        match self.labels.len() {
            3 => self.score_batch_l(3, batch, out),
            5 => self.score_batch_l(5, batch, out),
            l => self.score_batch_l(l, batch, out),
        }
    }

    #[inline(always)]
    fn score_batch_l(&self, l: usize, batch: &RowBatch, out: &mut [f32]) {
        let w = &self.weights[..];
        let mut start = 0usize;
        for (k, &end) in batch.ends.iter().enumerate() {
            if let Some(&next) = batch.ends.get(k + 1) {
                // Both ends: a row may straddle two cache lines.
                for &row in &batch.rows[end..next] {
                    prefetch(&w[row]);
                    prefetch(&w[row + l - 1]);
                }
            }
            let mut acc = [0i32; 32];
            for &row in &batch.rows[start..end] {
                for (a, &x) in acc[..l].iter_mut().zip(&w[row..row + l]) {
                    *a += x as i32;
                }
            }
            for (o, a) in out[k * l..(k + 1) * l].iter_mut().zip(&acc[..l]) {
                *o += *a as f32 * self.scale;
            }
            start = end;
        }
    }

    #[inline(always)]
    fn score_l(&self, l: usize, features: &[u64], out: &mut [f32]) {
        let mut acc = [0i32; 32];
        for &h in features {
            let row = bucket(h, self.bits) * l;
            for (a, &w) in acc[..l].iter_mut().zip(&self.weights[row..row + l]) {
                *a += w as i32;
            }
        }
        for (o, a) in out.iter_mut().zip(&acc[..l]) {
            *o += *a as f32 * self.scale;
        }
    }

    /// Serialize, in the format described in the module docs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&VERSION.to_le_bytes());
        put_str(&mut b, &self.name);
        b.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for l in &self.labels {
            put_str(&mut b, l);
        }
        b.extend_from_slice(&self.bits.to_le_bytes());
        b.extend_from_slice(&self.scale.to_le_bytes());
        for t in &self.transitions {
            b.extend_from_slice(&t.to_le_bytes());
        }
        let nz = self.weights.iter().filter(|&&w| w != 0).count();
        b.extend_from_slice(&(nz as u32).to_le_bytes());
        let mut last = 0usize;
        for (i, &w) in self.weights.iter().enumerate() {
            if w != 0 {
                let mut d = (i - last) as u64;
                last = i;
                loop {
                    let byte = (d & 0x7f) as u8;
                    d >>= 7;
                    if d == 0 {
                        b.push(byte);
                        break;
                    }
                    b.push(byte | 0x80);
                }
                b.extend_from_slice(&w.to_le_bytes());
            }
        }
        b
    }

    /// Read a model written by [`LinearModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<LinearModel, ModelError> {
        let mut r = Reader { b: bytes, pos: 0 };
        if r.take(4)? != MAGIC {
            return Err(ModelError("not a Verbatim model (bad magic)".into()));
        }
        let v = r.u32()?;
        if v != VERSION {
            return Err(ModelError(format!(
                "format version {v}, this build reads {VERSION}"
            )));
        }
        let name = r.string()?;
        let nl = r.u32()? as usize;
        if nl == 0 || nl > 32 {
            return Err(ModelError(format!("{nl} labels (1 to 32 supported)")));
        }
        let labels = (0..nl).map(|_| r.string()).collect::<Result<Vec<_>, _>>()?;
        let bits = r.u32()?;
        if !(4..=26).contains(&bits) {
            return Err(ModelError(format!("table of 2^{bits} rows")));
        }
        let scale = f32::from_le_bytes(r.take(4)?.try_into().unwrap());
        let transitions = (0..(nl + 1) * nl)
            .map(|_| Ok(f32::from_le_bytes(r.take(4)?.try_into().unwrap())))
            .collect::<Result<Vec<_>, ModelError>>()?;
        let size = (1usize << bits) * nl;
        let mut weights = vec![0i16; size];
        // Before the first write: the pages are not backed yet.
        super::pages::advise_huge_pages(&mut weights);
        let nz = r.u32()? as usize;
        // The hot loop of loading: decode straight from the slice, one bounds check per byte.
        let truncated = || ModelError("truncated".into());
        let body = &bytes[r.pos..];
        let mut p = 0usize;
        let mut idx = 0usize;
        for _ in 0..nz {
            let mut d = 0u64;
            let mut shift = 0;
            loop {
                let byte = *body.get(p).ok_or_else(truncated)?;
                p += 1;
                d |= ((byte & 0x7f) as u64) << shift;
                if byte & 0x80 == 0 {
                    break;
                }
                shift += 7;
                if shift > 63 {
                    return Err(ModelError("bad varint".into()));
                }
            }
            idx += d as usize;
            let w = body.get(p..p + 2).ok_or_else(truncated)?;
            p += 2;
            *weights
                .get_mut(idx)
                .ok_or_else(|| ModelError("weight index out of range".into()))? =
                i16::from_le_bytes([w[0], w[1]]);
        }
        r.pos += p;
        if r.pos != bytes.len() {
            return Err(ModelError("trailing bytes".into()));
        }
        Ok(LinearModel {
            name,
            labels,
            bits,
            scale,
            weights,
            transitions,
        })
    }

    /// Quantize float weights into a model. `weights` is `[bucket * labels + label]`.
    pub fn quantize(
        name: &str,
        labels: Vec<String>,
        bits: u32,
        weights: &[f32],
        transitions: Vec<f32>,
    ) -> LinearModel {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        let weights = weights.iter().map(|w| (w / scale).round() as i16).collect();
        LinearModel {
            name: name.to_string(),
            labels,
            bits,
            scale,
            weights,
            transitions,
        }
    }
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u32).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| ModelError("truncated".into()))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn string(&mut self) -> Result<String, ModelError> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| ModelError("label is not UTF-8".into()))
    }
}

/// Best label sequence for emission scores `em` (`n × l`, row-major) and transition scores
/// `trans` (`(l + 1) × l`, last row the start state). `allowed(prev, cur)` prunes transitions
/// (prev = `l` at the start); at least one path must be allowed.
pub fn viterbi(
    em: &[f32],
    l: usize,
    trans: &[f32],
    allowed: impl Fn(usize, usize) -> bool,
) -> Vec<usize> {
    Decoder::default().decode(em, l, trans, allowed).to_vec()
}

/// [`viterbi`] with its buffers kept between calls: a document decodes thousands of
/// paragraphs and windows.
#[derive(Clone, Debug, Default)]
pub struct Decoder {
    score: Vec<f32>,
    back: Vec<u8>,
    /// The transitions with the disallowed ones at -inf.
    trans: Vec<f32>,
    path: Vec<usize>,
}

impl Decoder {
    /// The best label sequence, as [`viterbi`] finds it.
    pub fn decode(
        &mut self,
        em: &[f32],
        l: usize,
        trans: &[f32],
        allowed: impl Fn(usize, usize) -> bool,
    ) -> &[usize] {
        // A disallowed transition at -inf is never taken, as a skipped one: s + -inf is -inf
        // (or NaN), never above the best so far. So is a predecessor at -inf.
        self.trans.clear();
        for p in 0..=l {
            let row = &trans[p * l..(p + 1) * l];
            self.trans.extend((0..l).map(|c| {
                if allowed(p, c) {
                    row[c]
                } else {
                    f32::NEG_INFINITY
                }
            }));
        }
        // A constant label count lets the compiler unroll the inner loops.
        match l {
            3 => self.run(em, 3),
            5 => self.run(em, 5),
            _ => self.run(em, l),
        }
        &self.path
    }

    #[inline(always)]
    fn run(&mut self, em: &[f32], l: usize) {
        let n = em.len() / l;
        self.path.clear();
        if n == 0 {
            return;
        }
        let trans = &self.trans;
        self.score.clear();
        self.score.resize(n * l, f32::NEG_INFINITY);
        self.back.clear();
        self.back.resize(n * l, 0);
        for c in 0..l {
            if trans[l * l + c] != f32::NEG_INFINITY {
                self.score[c] = em[c] + trans[l * l + c];
            }
        }
        for t in 1..n {
            let (done, rest) = self.score.split_at_mut(t * l);
            let prev = &done[(t - 1) * l..];
            let cur = &mut rest[..l];
            let back = &mut self.back[t * l..(t + 1) * l];
            let e = &em[t * l..(t + 1) * l];
            for c in 0..l {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0;
                for p in 0..l {
                    let s = prev[p] + trans[p * l + c];
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                cur[c] = best + e[c];
                back[c] = arg as u8;
            }
        }
        // Follow the back pointers from the best final label (the first one on ties).
        let last = &self.score[(n - 1) * l..n * l];
        let mut cur = (0..l).fold(0, |b, c| if last[c] > last[b] { c } else { b });
        self.path.resize(n, 0);
        for t in (0..n).rev() {
            self.path[t] = cur;
            cur = self.back[t * l + cur] as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let mut w = vec![0f32; 16 * 3];
        w[5] = 1.5;
        w[40] = -0.25;
        let m = LinearModel::quantize(
            "t",
            vec!["O".into(), "B".into(), "I".into()],
            4,
            &w,
            vec![0.5; 12],
        );
        let bytes = m.to_bytes();
        let back = LinearModel::from_bytes(&bytes).unwrap();
        assert_eq!(back, m);
        assert!(LinearModel::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(LinearModel::from_bytes(b"nope")
            .unwrap_err()
            .to_string()
            .contains("verbatim train"));
    }

    /// A batch gives each item the sums `score` gives it, for every label count (the unrolled
    /// ones and another), with empty items and items sharing rows.
    #[test]
    fn score_batch_sums_as_score_does() {
        for labels in [3usize, 5, 4] {
            let names = (0..labels).map(|k| k.to_string()).collect();
            let w: Vec<f32> = (0..64 * labels)
                .map(|k| ((k * 37 % 101) as f32 - 50.0) / 7.0)
                .collect();
            let m = LinearModel::quantize("t", names, 6, &w, vec![0.0; (labels + 1) * labels]);
            let items: [&[u64]; 5] = [&[1, 2, 3], &[], &[99, 1, 1 << 40], &[7], &[]];
            let mut batch = RowBatch::default();
            let mut want = Vec::new();
            for f in items {
                batch.push(&m, f);
                let mut row = vec![0.5f32; labels];
                m.score(f, &mut row);
                want.extend(row);
            }
            assert_eq!(batch.len(), items.len());
            let mut got = vec![0.5f32; items.len() * labels];
            m.score_batch(&batch, &mut got);
            assert_eq!(got, want, "{labels} labels");
            assert!(got.iter().any(|&x| x != 0.5), "the weights count");
            batch.clear();
            assert!(batch.is_empty());
        }
    }

    #[test]
    fn viterbi_respects_constraints() {
        // Two labels; emissions prefer 1 then 1, but 1 -> 1 is forbidden.
        let em = [0.0, 1.0, 0.0, 1.0];
        let path = viterbi(&em, 2, &[0.0; 6], |p, c| !(p == 1 && c == 1));
        assert_ne!(path, vec![1, 1]);
        assert_eq!(viterbi(&em, 2, &[0.0; 6], |_, _| true), vec![1, 1]);
    }
}
