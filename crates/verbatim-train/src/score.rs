//! The scorer: a faithful port of `shared/eval/score.py`, giving the same numbers and printing the
//! same report byte for byte.
//!
//! Both inputs hold one JSON document per line (see [`crate::polnear`]). Offsets are Unicode code
//! point offsets into the gold text, end-exclusive. In PRED, `text` (document and span) is
//! optional; when given it must equal the gold text. Documents are matched by id: a gold document
//! absent from PRED is scored as having no predictions (the report says so); an id in PRED that is
//! not in GOLD is an error.
//!
//! Subsets (each scored on its own: gold and predicted quotes are filtered, then matched):
//!
//! * ALL: every quote.
//! * DIRECT: quotes whose content text contains a double quotation mark, one of
//!   [`QUOTE_MARKS`]. Predicted content is tested on the gold text at the predicted offsets; a
//!   prediction whose content stops just inside a pair of quotation marks (a mark right before
//!   its first span and right after its last, in `(start, end)` order) also counts as DIRECT.
//!
//! Metrics, micro-averaged precision / recall / F1 over all quotes of a subset:
//!
//! * quote: one-to-one greedy matching of gold and predicted quotes, best content overlap first
//!   (ties broken by gold index, then predicted index). Overlap is the Jaccard index of the sets of
//!   character positions covered by the content spans, leaving out whitespace and quotation
//!   marks; a pair matches when it is at least [`THRESHOLD`].
//! * exact: a matched pair whose contents are equal after [`normalise`].
//! * attribution: a matched pair whose source spans share a non-whitespace character; a gold
//!   quote without a source is correct only if the prediction has no source either.
//! * cue: the same rule for the cue spans.
//!
//! Role spans, a second view without quote matching: for each role, every contiguous span of
//! every quote, trimmed of whitespace, is one item; a predicted span is correct when a gold span of
//! the same role has exactly the same start and end.
//!
//! "Whitespace" is Python's `str.isspace` everywhere (see [`is_py_whitespace`]), which is Rust's
//! [`char::is_whitespace`] plus the four information separators U+001C..U+001F.
//!
//! [`load_jsonl`] reads JSONL the way `score.py` does (Python's `json` module, universal newlines,
//! duplicate ids rejected), so [`score_files`] accepts and rejects the same files; [`score`] works
//! on already parsed documents.

use crate::polnear::{JsonDoc, JsonQuote, JsonSpan};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The double quotation marks: `"` U+201C U+201D U+00AB U+00BB U+201E.
pub const QUOTE_MARKS: [char; 6] = ['"', '\u{201c}', '\u{201d}', '\u{ab}', '\u{bb}', '\u{201e}'];

/// The least content Jaccard index of a matching gold/predicted pair.
pub const THRESHOLD: f64 = 0.5;

/// Python's `str.isspace` for one character (also what `\s` matches in a `str` regex, and what
/// `str.strip()` and `str.split()` use): [`char::is_whitespace`] plus U+001C..U+001F.
pub fn is_py_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn is_mark(c: char) -> bool {
    QUOTE_MARKS.contains(&c)
}

/// The characters `TRIM_RE` removes at both ends of a content piece.
fn is_trim(c: char) -> bool {
    is_py_whitespace(c) || is_mark(c) || matches!(c, ',' | '.' | ';' | ':' | '!' | '?')
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Malformed or inconsistent input (`score.py` exits with status 2 on these).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScoreError {
    /// A file could not be read (or is not UTF-8).
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A line is not valid JSON (by the rules of Python's `json` module).
    InvalidJson {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A line is JSON but not an object with a string `id`.
    NotADocument {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
    },
    /// An id occurs twice in one file.
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// 1-based line number of the second occurrence.
        line: usize,
        /// The id.
        id: String,
    },
    /// A document of a file does not have the shape of the schema (a `quotes` that is not a list,
    /// a span whose `start` is not an integer, ...). `score.py` finds these while scoring; this
    /// port finds them while loading, since [`JsonDoc`] cannot hold them.
    Schema {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong, and where in the document.
        message: String,
    },
    /// An id occurs twice in the documents given to [`score`] (`"GOLD"` or `"PRED"`).
    DuplicateDocument {
        /// `"GOLD"` or `"PRED"`.
        label: &'static str,
        /// The id.
        id: String,
    },
    /// PRED has documents whose ids are not in GOLD.
    UnknownIds {
        /// How many.
        count: usize,
        /// The first of them in code point order.
        example: String,
    },
    /// A gold document has no text.
    MissingText {
        /// The document id.
        id: String,
    },
    /// A predicted document carries a text that differs from the gold text.
    TextDiffers {
        /// The document id.
        id: String,
    },
    /// A span is out of range (`0 <= start <= end <= length` does not hold).
    BadSpan {
        /// Where, e.g. `PRED 'doc' quote 3 content`.
        location: String,
        /// The span, as Python would print it.
        span: String,
        /// The length of the document text in code points.
        text_len: usize,
    },
    /// A span's `text` differs from the document text at its offsets.
    SpanTextMismatch {
        /// Where, e.g. `PRED 'doc' quote 3 content`.
        location: String,
        /// First code point.
        start: usize,
        /// One past the last code point.
        end: usize,
        /// The span's `text` (at most 60 code points).
        said: String,
        /// The document text at the offsets (at most 60 code points).
        actual: String,
    },
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::Io { path, message } => write!(f, "{}: {message}", path.display()),
            ScoreError::InvalidJson {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: invalid JSON ({message})", path.display()),
            ScoreError::NotADocument { path, line } => write!(
                f,
                "{}:{line}: expected an object with a string 'id'",
                path.display()
            ),
            ScoreError::DuplicateId { path, line, id } => {
                write!(f, "{}:{line}: duplicate id {}", path.display(), py_repr(id))
            }
            ScoreError::Schema {
                path,
                line,
                message,
            } => write!(f, "{}:{line}: {message}", path.display()),
            ScoreError::DuplicateDocument { label, id } => {
                write!(f, "{label} has two documents with id {}", py_repr(id))
            }
            ScoreError::UnknownIds { count, example } => write!(
                f,
                "PRED has {count} id(s) not in GOLD, e.g. {}",
                py_repr(example)
            ),
            ScoreError::MissingText { id } => {
                write!(f, "GOLD document {} has no 'text'", py_repr(id))
            }
            ScoreError::TextDiffers { id } => write!(
                f,
                "PRED document {}: 'text' differs from the gold text",
                py_repr(id)
            ),
            ScoreError::BadSpan {
                location,
                span,
                text_len,
            } => write!(
                f,
                "{location}: bad span {span} (text has {text_len} characters)"
            ),
            ScoreError::SpanTextMismatch {
                location,
                start,
                end,
                said,
                actual,
            } => write!(
                f,
                "{location}: span {start}-{end} says {} but the document text there is {}; \
                 offsets must be code point offsets, end-exclusive",
                py_repr(said),
                py_repr(actual)
            ),
        }
    }
}

impl std::error::Error for ScoreError {}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// Precision, recall and F1 of one metric, with the number of correct items.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Prf {
    /// correct / predicted (0 when nothing was predicted).
    pub precision: f64,
    /// correct / gold (0 when there is no gold item).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Correct items.
    pub correct: usize,
}

impl Prf {
    /// The scores for `correct` items out of `n_pred` predicted and `n_gold` gold ones, computed
    /// exactly as `score.py`'s `prf` (same float operations in the same order).
    pub fn new(correct: usize, n_pred: usize, n_gold: usize) -> Prf {
        let p = if n_pred != 0 {
            correct as f64 / n_pred as f64
        } else {
            0.0
        };
        let r = if n_gold != 0 {
            correct as f64 / n_gold as f64
        } else {
            0.0
        };
        let f1 = if p + r != 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1,
            correct,
        }
    }
}

/// Quote counts of one subset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Counts {
    /// Gold quotes.
    pub gold: usize,
    /// Predicted quotes.
    pub pred: usize,
    /// Matched pairs.
    pub matched: usize,
}

/// The scores of one subset (ALL or DIRECT).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct SubsetScores {
    /// Quote counts.
    pub counts: Counts,
    /// Quote matching (Jaccard >= [`THRESHOLD`]).
    pub quote: Prf,
    /// Matched pairs with equal normalised content.
    pub exact: Prf,
    /// Matched pairs with overlapping sources (or both absent).
    pub attribution: Prf,
    /// Matched pairs with overlapping cues (or both absent).
    pub cue: Prf,
}

impl SubsetScores {
    /// The four metrics with their names, in report order.
    pub fn metrics(&self) -> [(&'static str, &Prf); 4] {
        [
            ("quote", &self.quote),
            ("exact", &self.exact),
            ("attribution", &self.attribution),
            ("cue", &self.cue),
        ]
    }
}

/// Role span scores (exact start and end).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct SpanScores {
    /// Source spans.
    pub source: Prf,
    /// Cue spans.
    pub cue: Prf,
    /// Content spans.
    pub content: Prf,
}

impl SpanScores {
    /// The three roles with their names, in report order.
    pub fn roles(&self) -> [(&'static str, &Prf); 3] {
        [
            ("source", &self.source),
            ("cue", &self.cue),
            ("content", &self.content),
        ]
    }
}

/// Counts of one subset in one document (`score.py`'s per-document counters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SubsetCounts {
    /// Gold quotes.
    pub gold: usize,
    /// Predicted quotes.
    pub pred: usize,
    /// Matched pairs.
    pub quote: usize,
    /// Matched pairs with equal normalised content.
    pub exact: usize,
    /// Matched pairs with correct attribution.
    pub attribution: usize,
    /// Matched pairs with correct cue.
    pub cue: usize,
    /// Matched pairs of a DIRECT gold quote and a non-DIRECT prediction (ALL only; 0 in DIRECT).
    pub direct_gold_matched_by_non_direct_pred: usize,
}

impl SubsetCounts {
    fn add(&mut self, o: &SubsetCounts) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.quote += o.quote;
        self.exact += o.exact;
        self.attribution += o.attribution;
        self.cue += o.cue;
        self.direct_gold_matched_by_non_direct_pred += o.direct_gold_matched_by_non_direct_pred;
    }

    fn scores(&self) -> SubsetScores {
        SubsetScores {
            counts: Counts {
                gold: self.gold,
                pred: self.pred,
                matched: self.quote,
            },
            quote: Prf::new(self.quote, self.pred, self.gold),
            exact: Prf::new(self.exact, self.pred, self.gold),
            attribution: Prf::new(self.attribution, self.pred, self.gold),
            cue: Prf::new(self.cue, self.pred, self.gold),
        }
    }
}

/// The counts of one gold document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocCounts {
    /// Document id.
    pub id: String,
    /// True when PRED has no document with this id.
    pub missing: bool,
    /// Counts of the ALL subset.
    pub all: SubsetCounts,
    /// Counts of the DIRECT subset.
    pub direct: SubsetCounts,
}

/// Everything `score.py` reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Number of gold documents.
    pub documents: usize,
    /// Ids of gold documents absent from PRED, in gold order.
    pub missing_documents: Vec<String>,
    /// Scores over every quote.
    pub all: SubsetScores,
    /// Scores over DIRECT quotes.
    pub direct: SubsetScores,
    /// Role span scores.
    pub spans: SpanScores,
    /// Matched pairs (ALL) of a DIRECT gold quote and a prediction that is not DIRECT: a sign
    /// that predicted contents leave the quotation marks out.
    pub direct_gold_matched_by_non_direct_pred: usize,
    /// Counts per gold document, in gold order.
    pub per_doc: Vec<DocCounts>,
}

impl Report {
    /// The report `score.py GOLD PRED` prints (without `--per-doc`), byte for byte, including the
    /// final newline.
    pub fn to_text(&self) -> String {
        self.text(false)
    }

    /// The report `score.py GOLD PRED --per-doc` prints, byte for byte.
    pub fn to_text_per_doc(&self) -> String {
        self.text(true)
    }

    fn text(&self, per_doc: bool) -> String {
        use std::fmt::Write;
        let mut o = String::new();
        let row = |o: &mut String, name: &str, r: &Prf| {
            let _ = writeln!(
                o,
                "  {name:<12} {:>9.4} {:>9.4} {:>9.4} {:>9}",
                r.precision, r.recall, r.f1, r.correct
            );
        };
        let _ = writeln!(o, "documents: {} gold", self.documents);
        let ids = &self.missing_documents;
        if !ids.is_empty() {
            let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
            let _ = writeln!(
                o,
                "note: {} gold document(s) missing from PRED, scored as no predictions: {}{}",
                ids.len(),
                shown.join(", "),
                if ids.len() > 5 { " ..." } else { "" }
            );
        }
        for (name, s) in [("ALL", &self.all), ("DIRECT", &self.direct)] {
            let c = &s.counts;
            let _ = writeln!(
                o,
                "\n{name}  (gold {}, predicted {}, matched {})",
                c.gold, c.pred, c.matched
            );
            let _ = writeln!(
                o,
                "  {:<12} {:>9} {:>9} {:>9} {:>9}",
                "metric", "precision", "recall", "f1", "correct"
            );
            for (m, r) in s.metrics() {
                row(&mut o, m, r);
            }
        }
        o.push_str("\nROLE SPANS  (exact start and end, every span of every quote)\n");
        let _ = writeln!(
            o,
            "  {:<12} {:>9} {:>9} {:>9} {:>9}",
            "role", "precision", "recall", "f1", "correct"
        );
        for (role, r) in self.spans.roles() {
            row(&mut o, role, r);
        }
        let n = self.direct_gold_matched_by_non_direct_pred;
        if n != 0 {
            let _ = writeln!(
                o,
                "\nnote: {n} DIRECT gold quote(s) were matched (ALL) by predictions whose content \
                 has no quotation mark; do the predicted content spans leave the marks out?"
            );
        }
        if per_doc {
            o.push_str("\nper document: gold/pred/matched/attribution-correct for ALL | DIRECT\n");
            for d in &self.per_doc {
                let (a, b) = (&d.all, &d.direct);
                let id: String = d.id.chars().take(60).collect();
                let _ = writeln!(
                    o,
                    "  {id:<60} {:>3} {:>3} {:>3} {:>3} | {:>3} {:>3} {:>3} {:>3}{}",
                    a.gold,
                    a.pred,
                    a.quote,
                    a.attribution,
                    b.gold,
                    b.pred,
                    b.quote,
                    b.attribution,
                    if d.missing {
                        "  (missing from PRED)"
                    } else {
                        ""
                    }
                );
            }
        }
        o
    }

    /// The object `score.py --json` prints (without `per_doc`), as a JSON value. The structure and
    /// numbers are the same; the key order is whatever `serde_json` keeps (use
    /// [`Report::to_json_string`] for Python's exact text).
    pub fn to_json(&self) -> serde_json::Value {
        self.tree(false).into_value()
    }

    /// The text `score.py --json` prints, byte for byte (Python's key order, `indent=1`, ASCII
    /// escapes, float `repr`), including the final newline. With `per_doc`, the text of
    /// `score.py --json --per-doc`.
    pub fn to_json_string(&self, per_doc: bool) -> String {
        let mut out = String::new();
        self.tree(per_doc).dump(&mut out, 0);
        out.push('\n');
        out
    }

    fn tree(&self, per_doc: bool) -> Tree {
        fn prf(r: &Prf) -> Tree {
            Tree::Obj(vec![
                ("precision", Tree::Float(r.precision)),
                ("recall", Tree::Float(r.recall)),
                ("f1", Tree::Float(r.f1)),
                ("correct", Tree::Int(r.correct)),
            ])
        }
        fn subset(s: &SubsetScores, extra: Option<usize>) -> Tree {
            let mut counts = vec![
                ("gold", Tree::Int(s.counts.gold)),
                ("pred", Tree::Int(s.counts.pred)),
                ("matched", Tree::Int(s.counts.matched)),
            ];
            if let Some(n) = extra {
                counts.push(("direct_gold_matched_by_non_direct_pred", Tree::Int(n)));
            }
            let mut fields = vec![("counts", Tree::Obj(counts))];
            fields.extend(s.metrics().iter().map(|(m, r)| (*m, prf(r))));
            Tree::Obj(fields)
        }
        fn doc_counts(c: &SubsetCounts, all: bool) -> Tree {
            let mut v = vec![
                ("gold", Tree::Int(c.gold)),
                ("pred", Tree::Int(c.pred)),
                ("quote", Tree::Int(c.quote)),
                ("exact", Tree::Int(c.exact)),
                ("attribution", Tree::Int(c.attribution)),
                ("cue", Tree::Int(c.cue)),
            ];
            if all {
                v.push((
                    "direct_gold_matched_by_non_direct_pred",
                    Tree::Int(c.direct_gold_matched_by_non_direct_pred),
                ));
            }
            Tree::Obj(v)
        }
        let mut top = vec![
            ("documents", Tree::Int(self.documents)),
            (
                "missing_documents",
                Tree::List(
                    self.missing_documents
                        .iter()
                        .map(|s| Tree::Str(s.clone()))
                        .collect(),
                ),
            ),
            (
                "ALL",
                subset(&self.all, Some(self.direct_gold_matched_by_non_direct_pred)),
            ),
            ("DIRECT", subset(&self.direct, None)),
            (
                "SPANS",
                Tree::Obj(
                    self.spans
                        .roles()
                        .iter()
                        .map(|(r, p)| (*r, prf(p)))
                        .collect(),
                ),
            ),
        ];
        if per_doc {
            let docs = self
                .per_doc
                .iter()
                .map(|d| {
                    Tree::Obj(vec![
                        ("id", Tree::Str(d.id.clone())),
                        ("missing", Tree::Bool(d.missing)),
                        ("ALL", doc_counts(&d.all, true)),
                        ("DIRECT", doc_counts(&d.direct, false)),
                    ])
                })
                .collect();
            top.push(("per_doc", Tree::List(docs)));
        }
        Tree::Obj(top)
    }
}

/// An ordered JSON tree, dumped the way Python's `json.dumps(obj, indent=1)` does.
enum Tree {
    Int(usize),
    Float(f64),
    Bool(bool),
    Str(String),
    List(Vec<Tree>),
    Obj(Vec<(&'static str, Tree)>),
}

impl Tree {
    fn into_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Tree::Int(n) => Value::from(n),
            Tree::Float(x) => Value::from(x),
            Tree::Bool(b) => Value::Bool(b),
            Tree::Str(s) => Value::String(s),
            Tree::List(v) => Value::Array(v.into_iter().map(Tree::into_value).collect()),
            Tree::Obj(v) => Value::Object(
                v.into_iter()
                    .map(|(k, t)| (k.to_string(), t.into_value()))
                    .collect(),
            ),
        }
    }

    fn dump(&self, out: &mut String, level: usize) {
        let indent = |out: &mut String, n: usize| {
            out.push('\n');
            out.push_str(&" ".repeat(n));
        };
        match self {
            Tree::Int(n) => out.push_str(&n.to_string()),
            Tree::Float(x) => out.push_str(&py_float_repr(*x, true)),
            Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Tree::Str(s) => json_ascii_string(out, s),
            Tree::List(v) if v.is_empty() => out.push_str("[]"),
            Tree::Obj(v) if v.is_empty() => out.push_str("{}"),
            Tree::List(v) => {
                out.push('[');
                for (k, t) in v.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    indent(out, level + 1);
                    t.dump(out, level + 1);
                }
                indent(out, level);
                out.push(']');
            }
            Tree::Obj(v) => {
                out.push('{');
                for (k, (key, t)) in v.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    indent(out, level + 1);
                    json_ascii_string(out, key);
                    out.push_str(": ");
                    t.dump(out, level + 1);
                }
                indent(out, level);
                out.push('}');
            }
        }
    }
}

/// A JSON string literal as Python's `json.dumps` writes it (`ensure_ascii=True`).
fn json_ascii_string(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Python's `repr(float)` (with `json`'s spelling of the non-finite values when `json`).
fn py_float_repr(x: f64, json: bool) -> String {
    if x.is_nan() {
        return if json { "NaN" } else { "nan" }.into();
    }
    if x.is_infinite() {
        return match (x > 0.0, json) {
            (true, true) => "Infinity",
            (false, true) => "-Infinity",
            (true, false) => "inf",
            (false, false) => "-inf",
        }
        .into();
    }
    // Shortest round-trip digits, as Python's repr uses: "d.ddde[-]E".
    let sci = format!("{:e}", x.abs());
    let (mant, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent");
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let decpt = exp + 1; // value = 0.DIGITS * 10^decpt
    if decpt <= -4 || decpt > 16 {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let (es, ev) = if exp < 0 { ('-', -exp) } else { ('+', exp) };
        format!("{sign}{m}e{es}{ev:02}")
    } else if decpt <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
    } else {
        let d = decpt as usize;
        if digits.len() <= d {
            format!("{sign}{digits}{}.0", "0".repeat(d - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..d], &digits[d..])
        }
    }
}

/// Python's `repr(str)`, for error messages (printability approximated: control, separator and
/// common format characters are escaped).
fn py_repr(s: &str) -> String {
    use std::fmt::Write;
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ if c == q => {
                out.push('\\');
                out.push(c);
            }
            _ if c != ' '
                && (c.is_control()
                    || is_py_whitespace(c)
                    || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                        | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{e000}'..='\u{f8ff}')) =>
            {
                let n = c as u32;
                let _ = if n < 0x100 {
                    write!(out, "\\x{n:02x}")
                } else if n < 0x10000 {
                    write!(out, "\\u{n:04x}")
                } else {
                    write!(out, "\\U{n:08x}")
                };
            }
            _ => out.push(c),
        }
    }
    out.push(q);
    out
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// The content string compared by the exact metric, for `spans` (code point offsets into `text`):
/// overlapping or touching spans are merged, each piece is trimmed of whitespace, quotation marks
/// and `, . ; : ! ?` at both ends, the non-empty pieces are joined with one space and runs of
/// whitespace collapsed to one space.
///
/// # Panics
///
/// When a span is out of range (`start > end` or `end` past the text).
pub fn normalise(text: &str, spans: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    normalise_chars(&chars, spans)
}

fn normalise_chars(text: &[char], spans: &[(usize, usize)]) -> String {
    let mut sorted = spans.to_vec();
    sorted.sort_unstable();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for (s, e) in sorted {
        match pieces.last_mut() {
            Some(cur) if s <= cur.1 => cur.1 = cur.1.max(e),
            _ => pieces.push((s, e)),
        }
    }
    let mut out = String::new();
    for (s, e) in pieces {
        let mut piece = &text[s..e];
        while let [c, rest @ ..] = piece {
            if !is_trim(*c) {
                break;
            }
            piece = rest;
        }
        while let [rest @ .., c] = piece {
            if !is_trim(*c) {
                break;
            }
            piece = rest;
        }
        for word in piece.split(|c| is_py_whitespace(*c)) {
            if !word.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.extend(word);
            }
        }
    }
    out
}

/// Sorted, deduplicated positions covered by `spans`, leaving out whitespace (and quotation marks
/// when `skip_marks`).
fn positions(spans: &[(usize, usize)], text: &[char], skip_marks: bool) -> Vec<u32> {
    let mut v: Vec<u32> = spans
        .iter()
        .flat_map(|&(s, e)| s..e)
        .filter(|&i| !(is_py_whitespace(text[i]) || (skip_marks && is_mark(text[i]))))
        .map(|i| i as u32)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Size of the intersection of two sorted, deduplicated slices.
fn intersection<T: Ord>(a: &[T], b: &[T]) -> usize {
    if disjoint_ranges(a, b) {
        return 0;
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// True when the ranges of two sorted slices cannot meet (or one is empty).
fn disjoint_ranges<T: Ord>(a: &[T], b: &[T]) -> bool {
    match (a.first(), a.last(), b.first(), b.last()) {
        (Some(a0), Some(a1), Some(b0), Some(b1)) => a1 < b0 || b1 < a0,
        _ => true,
    }
}

/// True when two sorted, deduplicated slices share an element.
fn overlaps(a: &[u32], b: &[u32]) -> bool {
    if disjoint_ranges(a, b) {
        return false;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// One quote with its spans resolved against the gold text.
struct Quote {
    content: Vec<u32>,
    source: Vec<u32>,
    cue: Vec<u32>,
    direct: bool,
    norm: String,
    /// Trimmed spans of source, cue, content (sorted, deduplicated).
    spans: [Vec<(usize, usize)>; 3],
}

const ROLES: [&str; 3] = ["source", "cue", "content"];

impl Quote {
    fn new(
        raw: &JsonQuote,
        text: &[char],
        label: &str,
        doc_id: &str,
        k: usize,
    ) -> Result<Quote, ScoreError> {
        let mut spans: [Vec<(usize, usize)>; 3] = Default::default();
        for (r, value) in [&raw.source, &raw.cue, &raw.content]
            .into_iter()
            .enumerate()
        {
            spans[r] = read_spans(value, text, || {
                format!("{label} {} quote {k} {}", py_repr(doc_id), ROLES[r])
            })?;
        }
        let [source, cue, content] = &spans;
        let mut sorted = content.clone();
        sorted.sort_unstable();
        let enclosed_ok = label == "PRED";
        let direct = sorted
            .iter()
            .any(|&(s, e)| text[s..e].iter().any(|&c| is_mark(c)))
            || (enclosed_ok
                && match (sorted.first(), sorted.last()) {
                    (Some(&(first, _)), Some(&(_, last))) => {
                        first > 0
                            && is_mark(text[first - 1])
                            && last < text.len()
                            && is_mark(text[last])
                    }
                    _ => false,
                });
        let trimmed = |v: &Vec<(usize, usize)>| {
            let mut out: Vec<(usize, usize)> = v
                .iter()
                .filter_map(|&(s, e)| {
                    let s2 = (s..e).find(|&i| !is_py_whitespace(text[i]))?;
                    let e2 = (s..e).rev().find(|&i| !is_py_whitespace(text[i]))? + 1;
                    Some((s2, e2))
                })
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        };
        Ok(Quote {
            content: positions(content, text, true),
            source: positions(source, text, false),
            cue: positions(cue, text, false),
            direct,
            norm: normalise_chars(text, content),
            spans: [trimmed(source), trimmed(cue), trimmed(content)],
        })
    }
}

fn span_repr(sp: &JsonSpan) -> String {
    let mut s = format!("{{'start': {}, 'end': {}", sp.start, sp.end);
    if let Some(t) = &sp.text {
        s.push_str(", 'text': ");
        s.push_str(&py_repr(t));
    }
    s.push('}');
    s
}

fn read_spans(
    value: &[JsonSpan],
    text: &[char],
    location: impl Fn() -> String,
) -> Result<Vec<(usize, usize)>, ScoreError> {
    let mut spans = Vec::with_capacity(value.len());
    for sp in value {
        let (s, e) = (sp.start, sp.end);
        if !(s <= e && e <= text.len()) {
            return Err(ScoreError::BadSpan {
                location: location(),
                span: span_repr(sp),
                text_len: text.len(),
            });
        }
        if let Some(said) = &sp.text {
            if !said.chars().eq(text[s..e].iter().copied()) {
                return Err(ScoreError::SpanTextMismatch {
                    location: location(),
                    start: s,
                    end: e,
                    said: said.chars().take(60).collect(),
                    actual: text[s..e].iter().take(60).collect(),
                });
            }
        }
        spans.push((s, e));
    }
    Ok(spans)
}

fn read_quotes(doc: &JsonDoc, text: &[char], label: &str) -> Result<Vec<Quote>, ScoreError> {
    doc.quotes
        .iter()
        .enumerate()
        .map(|(k, q)| Quote::new(q, text, label, &doc.id, k))
        .collect()
}

fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let inter = intersection(a, b);
    if inter == 0 {
        0.0
    } else {
        inter as f64 / (a.len() + b.len() - inter) as f64
    }
}

/// One-to-one greedy matching: pairs with Jaccard >= THRESHOLD, best first, ties by gold index
/// then predicted index (Python's sort of `(-jaccard, i, j)` tuples).
fn match_quotes<'q>(gold: &[&'q Quote], pred: &[&'q Quote]) -> Vec<(&'q Quote, &'q Quote)> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        for (j, p) in pred.iter().enumerate() {
            let jac = jaccard(&g.content, &p.content);
            if jac >= THRESHOLD {
                pairs.push((jac, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .expect("Jaccard is never NaN")
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let mut used_g = vec![false; gold.len()];
    let mut used_p = vec![false; pred.len()];
    let mut matched = Vec::new();
    for (_, i, j) in pairs {
        if !used_g[i] && !used_p[j] {
            used_g[i] = true;
            used_p[j] = true;
            matched.push((gold[i], pred[j]));
        }
    }
    matched
}

/// Source/cue agreement: overlap, or both absent.
fn role_ok(gold: &[u32], pred: &[u32]) -> bool {
    if gold.is_empty() {
        pred.is_empty()
    } else {
        overlaps(gold, pred)
    }
}

/// (gold, pred, correct) role span counts per role.
type SpanCounts = [(usize, usize, usize); 3];

fn score_doc(gold: &[Quote], pred: &[Quote]) -> (SubsetCounts, SubsetCounts, SpanCounts) {
    let subset = |direct_only: bool| {
        let g: Vec<&Quote> = gold.iter().filter(|q| !direct_only || q.direct).collect();
        let p: Vec<&Quote> = pred.iter().filter(|q| !direct_only || q.direct).collect();
        let pairs = match_quotes(&g, &p);
        let count =
            |f: &dyn Fn(&Quote, &Quote) -> bool| pairs.iter().filter(|(gq, pq)| f(gq, pq)).count();
        SubsetCounts {
            gold: g.len(),
            pred: p.len(),
            quote: pairs.len(),
            exact: count(&|gq, pq| gq.norm == pq.norm),
            attribution: count(&|gq, pq| role_ok(&gq.source, &pq.source)),
            cue: count(&|gq, pq| role_ok(&gq.cue, &pq.cue)),
            direct_gold_matched_by_non_direct_pred: if direct_only {
                0
            } else {
                count(&|gq, pq| gq.direct && !pq.direct)
            },
        }
    };
    let all = subset(false);
    let direct = subset(true);
    let mut spans = SpanCounts::default();
    for (r, out) in spans.iter_mut().enumerate() {
        let union = |qs: &[Quote]| {
            let mut v: Vec<(usize, usize)> =
                qs.iter().flat_map(|q| q.spans[r].iter().copied()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let (g, p) = (union(gold), union(pred));
        *out = (g.len(), p.len(), intersection(&g, &p));
    }
    (all, direct, spans)
}

/// Score predicted documents against gold documents, as `score.py`'s `score` does.
///
/// Gold documents are scored in the given order; a gold document absent from `pred` counts as no
/// predictions. Errors: an id in `pred` that is not in `gold`, an id twice in `gold` or twice in
/// `pred` (`score.py` gets ids from a mapping, so cannot see these), a gold document without
/// text, a predicted text that differs from the gold one, a span out of range or whose `text`
/// differs from the gold text at its offsets.
pub fn score(gold: &[JsonDoc], pred: &[JsonDoc]) -> Result<Report, ScoreError> {
    let mut gold_ids: HashSet<&str> = HashSet::with_capacity(gold.len());
    for d in gold {
        if !gold_ids.insert(&d.id) {
            return Err(ScoreError::DuplicateDocument {
                label: "GOLD",
                id: d.id.clone(),
            });
        }
    }
    let mut pred_docs: HashMap<&str, &JsonDoc> = HashMap::with_capacity(pred.len());
    for d in pred {
        if pred_docs.insert(&d.id, d).is_some() {
            return Err(ScoreError::DuplicateDocument {
                label: "PRED",
                id: d.id.clone(),
            });
        }
    }
    let mut unknown: Vec<&str> = pred_docs
        .keys()
        .copied()
        .filter(|id| !gold_ids.contains(id))
        .collect();
    if !unknown.is_empty() {
        unknown.sort_unstable(); // UTF-8 byte order is code point order, as Python sorts
        return Err(ScoreError::UnknownIds {
            count: unknown.len(),
            example: unknown[0].to_string(),
        });
    }
    let mut all = SubsetCounts::default();
    let mut direct = SubsetCounts::default();
    let mut spans = SpanCounts::default();
    let mut per_doc = Vec::with_capacity(gold.len());
    let mut missing = Vec::new();
    for gdoc in gold {
        let text = gdoc
            .text
            .as_deref()
            .ok_or_else(|| ScoreError::MissingText {
                id: gdoc.id.clone(),
            })?;
        let pdoc = pred_docs.get(gdoc.id.as_str()).copied();
        if pdoc.is_none() {
            missing.push(gdoc.id.clone());
        }
        if let Some(t) = pdoc.and_then(|p| p.text.as_deref()) {
            if t != text {
                return Err(ScoreError::TextDiffers {
                    id: gdoc.id.clone(),
                });
            }
        }
        let chars: Vec<char> = text.chars().collect();
        let gq = read_quotes(gdoc, &chars, "GOLD")?;
        let pq = match pdoc {
            Some(p) => read_quotes(p, &chars, "PRED")?,
            None => Vec::new(),
        };
        let (a, d, s) = score_doc(&gq, &pq);
        all.add(&a);
        direct.add(&d);
        for (t, x) in spans.iter_mut().zip(s) {
            t.0 += x.0;
            t.1 += x.1;
            t.2 += x.2;
        }
        per_doc.push(DocCounts {
            id: gdoc.id.clone(),
            missing: pdoc.is_none(),
            all: a,
            direct: d,
        });
    }
    let role = |r: usize| Prf::new(spans[r].2, spans[r].1, spans[r].0);
    Ok(Report {
        documents: gold.len(),
        missing_documents: missing,
        all: all.scores(),
        direct: direct.scores(),
        spans: SpanScores {
            source: role(0),
            cue: role(1),
            content: role(2),
        },
        direct_gold_matched_by_non_direct_pred: all.direct_gold_matched_by_non_direct_pred,
        per_doc,
    })
}

/// Load two JSONL files with [`load_jsonl`] and [`score`] them: what `score.py GOLD PRED` does.
pub fn score_files(gold: &Path, pred: &Path) -> Result<Report, ScoreError> {
    let gold = load_jsonl(gold)?;
    let pred = load_jsonl(pred)?;
    score(&gold, &pred)
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// Read a JSONL file of documents as `score.py`'s `load_jsonl` does: lines split by universal
/// newlines (`\n`, `\r\n`, `\r`), lines that are only (Python) whitespace skipped, each other
/// line parsed by the rules of Python's `json` module (`NaN`/`Infinity` accepted, last of
/// duplicate keys wins, ...), and each must be an object with a string `id`, not seen before.
///
/// The documents are checked against the schema here too (a `quotes` list, list-valued roles,
/// integer offsets, string texts; `null` roles are empty, unknown fields and a non-string
/// `speaker` are ignored): `score.py` rejects such documents while scoring. Errors name the file
/// and line.
pub fn load_jsonl(path: &Path) -> Result<Vec<JsonDoc>, ScoreError> {
    let bytes = std::fs::read(path).map_err(|e| ScoreError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let data = String::from_utf8(bytes).map_err(|e| ScoreError::Io {
        path: path.to_path_buf(),
        message: format!("not UTF-8 ({e})"),
    })?;
    let mut docs = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (lineno, line) in universal_lines(&data) {
        if line.chars().all(is_py_whitespace) {
            continue;
        }
        let value = pyjson::parse(line).map_err(|message| ScoreError::InvalidJson {
            path: path.to_path_buf(),
            line: lineno,
            message,
        })?;
        let id = match value.get("id") {
            Some(pyjson::Value::Str(id)) => id.clone(),
            _ => {
                return Err(ScoreError::NotADocument {
                    path: path.to_path_buf(),
                    line: lineno,
                })
            }
        };
        if !seen.insert(id.clone()) {
            return Err(ScoreError::DuplicateId {
                path: path.to_path_buf(),
                line: lineno,
                id,
            });
        }
        let doc = to_doc(&value, id).map_err(|message| ScoreError::Schema {
            path: path.to_path_buf(),
            line: lineno,
            message,
        })?;
        docs.push(doc);
    }
    Ok(docs)
}

/// (1-based line number, line without its terminator), split as Python's text mode does.
fn universal_lines(data: &str) -> Vec<(usize, &str)> {
    let b = data.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push((out.len() + 1, &data[start..i]));
            i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            start = i;
        } else {
            i += 1;
        }
    }
    if start < b.len() {
        out.push((out.len() + 1, &data[start..]));
    }
    out
}

/// Convert one parsed line to a [`JsonDoc`], rejecting what `score.py` would reject while scoring.
fn to_doc(v: &pyjson::Value, id: String) -> Result<JsonDoc, String> {
    use pyjson::Value as V;
    let doc_where = format!("document {}", py_repr(&id));
    let text = match v.get("text") {
        None => None,
        Some(V::Str(s)) => Some(s.clone()),
        Some(other) => {
            return Err(format!(
                "{doc_where}: 'text' must be a string, got {}",
                other.repr()
            ))
        }
    };
    let quotes = match v.get("quotes") {
        Some(V::List(qs)) => qs,
        _ => return Err(format!("{doc_where}: 'quotes' must be a list")),
    };
    let mut out = Vec::with_capacity(quotes.len());
    for (k, q) in quotes.iter().enumerate() {
        let qwhere = format!("{doc_where} quote {k}");
        if !matches!(q, V::Dict(_)) {
            return Err(format!("{qwhere}: a quote must be a JSON object"));
        }
        let mut roles: [Vec<JsonSpan>; 3] = Default::default();
        for (r, role) in ROLES.iter().enumerate() {
            let items = match q.get(role) {
                None | Some(V::Null) => continue,
                Some(V::List(items)) => items,
                Some(other) => {
                    return Err(format!(
                        "{qwhere} {role}: expected a list of spans, got {}",
                        other.repr()
                    ))
                }
            };
            for sp in items {
                let bad = || format!("{qwhere} {role}: bad span {}", sp.repr());
                let int = |key: &str| match sp.get(key) {
                    Some(V::Int(n)) => usize::try_from(*n).ok(),
                    _ => None,
                };
                let (Some(start), Some(end)) = (int("start"), int("end")) else {
                    return Err(bad());
                };
                if start > end {
                    return Err(bad());
                }
                let text = match sp.get("text") {
                    None => None,
                    Some(V::Str(s)) => Some(s.clone()),
                    Some(other) => {
                        return Err(format!(
                            "{qwhere} {role}: span {start}-{end} has a 'text' that is not a \
                             string: {}",
                            other.repr()
                        ))
                    }
                };
                roles[r].push(JsonSpan { start, end, text });
            }
        }
        let [source, cue, content] = roles;
        let speaker = match q.get("speaker") {
            Some(V::Str(s)) => Some(s.clone()),
            _ => None,
        };
        out.push(JsonQuote {
            source,
            cue,
            content,
            speaker,
            ..JsonQuote::default()
        });
    }
    Ok(JsonDoc {
        id,
        text,
        quotes: out,
    })
}

/// A JSON parser with the rules of Python's `json.loads` (strict mode): `NaN`, `Infinity` and
/// `-Infinity` are numbers, integers are unbounded (here saturated to i128), the last of duplicate
/// keys wins, control characters inside strings are errors. Lone surrogate escapes, which a Rust
/// string cannot hold, become U+FFFD.
mod pyjson {
    /// A parsed JSON value.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Value {
        Null,
        Bool(bool),
        Int(i128),
        Float(f64),
        Str(String),
        List(Vec<Value>),
        Dict(Vec<(String, Value)>),
    }

    impl Value {
        /// The value of `key` in an object (the last one, as Python's dict keeps).
        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Dict(items) => items.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }

        /// Python's `repr` of the value, for messages.
        pub fn repr(&self) -> String {
            match self {
                Value::Null => "None".into(),
                Value::Bool(b) => if *b { "True" } else { "False" }.into(),
                Value::Int(n) => n.to_string(),
                Value::Float(x) => super::py_float_repr(*x, false),
                Value::Str(s) => super::py_repr(s),
                Value::List(v) => {
                    let items: Vec<String> = v.iter().map(Value::repr).collect();
                    format!("[{}]", items.join(", "))
                }
                Value::Dict(items) => {
                    // Python keeps the first position of a repeated key, with the last value.
                    let mut seen: Vec<&str> = Vec::new();
                    let mut parts = Vec::new();
                    for (k, _) in items {
                        if !seen.contains(&k.as_str()) {
                            seen.push(k);
                            let v = self.get(k).expect("key is present");
                            parts.push(format!("{}: {}", super::py_repr(k), v.repr()));
                        }
                    }
                    format!("{{{}}}", parts.join(", "))
                }
            }
        }
    }

    const MAX_DEPTH: usize = 900;

    struct Parser<'a> {
        s: &'a str,
        b: &'a [u8],
        depth: usize,
    }

    /// Parse one JSON text (surrounding JSON whitespace allowed).
    pub fn parse(s: &str) -> Result<Value, String> {
        let mut p = Parser {
            s,
            b: s.as_bytes(),
            depth: 0,
        };
        let i = p.ws(0);
        let (v, end) = p.value(i)?;
        let end = p.ws(end);
        if end != p.b.len() {
            return Err(p.err("Extra data", end));
        }
        Ok(v)
    }

    impl Parser<'_> {
        /// Python's message: "MSG: line 1 column C (char N)", positions in code points.
        fn err(&self, msg: &str, pos: usize) -> String {
            let prefix = &self.s[..pos.min(self.s.len())];
            let char_pos = prefix.chars().count();
            let (line, col) = match prefix.rfind('\n') {
                Some(nl) => (
                    prefix.matches('\n').count() + 1,
                    prefix[nl + 1..].chars().count() + 1,
                ),
                None => (1, char_pos + 1),
            };
            format!("{msg}: line {line} column {col} (char {char_pos})")
        }

        fn ws(&self, mut i: usize) -> usize {
            while i < self.b.len() && matches!(self.b[i], b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
            }
            i
        }

        fn starts(&self, i: usize, lit: &str) -> bool {
            self.b[i..].starts_with(lit.as_bytes())
        }

        fn value(&mut self, i: usize) -> Result<(Value, usize), String> {
            let Some(&c) = self.b.get(i) else {
                return Err(self.err("Expecting value", i));
            };
            match c {
                b'"' => {
                    let (s, end) = self.string(i + 1)?;
                    Ok((Value::Str(s), end))
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(self.err("maximum recursion depth exceeded", i));
                    }
                    let r = if c == b'{' {
                        self.object(i + 1)
                    } else {
                        self.array(i + 1)
                    };
                    self.depth -= 1;
                    r
                }
                b'n' if self.starts(i, "null") => Ok((Value::Null, i + 4)),
                b't' if self.starts(i, "true") => Ok((Value::Bool(true), i + 4)),
                b'f' if self.starts(i, "false") => Ok((Value::Bool(false), i + 5)),
                b'N' if self.starts(i, "NaN") => Ok((Value::Float(f64::NAN), i + 3)),
                b'I' if self.starts(i, "Infinity") => Ok((Value::Float(f64::INFINITY), i + 8)),
                b'-' if self.starts(i, "-Infinity") => Ok((Value::Float(f64::NEG_INFINITY), i + 9)),
                b'-' | b'0'..=b'9' => self.number(i),
                _ => Err(self.err("Expecting value", i)),
            }
        }

        fn number(&self, start: usize) -> Result<(Value, usize), String> {
            let b = self.b;
            let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
            let mut i = start;
            if b[i] == b'-' {
                i += 1;
            }
            if !digit(i) {
                return Err(self.err("Expecting value", start));
            }
            if b[i] == b'0' {
                i += 1;
            } else {
                while digit(i) {
                    i += 1;
                }
            }
            let int_end = i;
            let mut is_float = false;
            if b.get(i) == Some(&b'.') && digit(i + 1) {
                i += 2;
                while digit(i) {
                    i += 1;
                }
                is_float = true;
            }
            if matches!(b.get(i), Some(b'e' | b'E')) {
                let mut j = i + 1;
                if matches!(b.get(j), Some(b'+' | b'-')) {
                    j += 1;
                }
                if digit(j) {
                    while digit(j) {
                        j += 1;
                    }
                    i = j;
                    is_float = true;
                }
            }
            let lit = &self.s[start..i];
            if is_float {
                let x: f64 = lit
                    .parse()
                    .map_err(|_| self.err("Expecting value", start))?;
                Ok((Value::Float(x), i))
            } else {
                let n = lit[..int_end - start]
                    .parse::<i128>()
                    .unwrap_or(if lit.starts_with('-') {
                        i128::MIN
                    } else {
                        i128::MAX
                    });
                Ok((Value::Int(n), i))
            }
        }

        /// A string whose opening quote is just before `start`.
        fn string(&self, start: usize) -> Result<(String, usize), String> {
            let b = self.b;
            let mut out = String::new();
            let mut i = start;
            let hex4 = |i: usize| -> Option<u32> {
                let h = b.get(i..i + 4)?;
                if !h.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
            };
            loop {
                let run = i;
                while i < b.len() && b[i] != b'"' && b[i] != b'\\' && b[i] >= 0x20 {
                    i += 1;
                }
                out.push_str(&self.s[run..i]);
                match b.get(i) {
                    None => return Err(self.err("Unterminated string starting at", start - 1)),
                    Some(b'"') => return Ok((out, i + 1)),
                    Some(b'\\') => {
                        let Some(&e) = b.get(i + 1) else {
                            return Err(self.err("Unterminated string starting at", start - 1));
                        };
                        i += 2;
                        match e {
                            b'"' => out.push('"'),
                            b'\\' => out.push('\\'),
                            b'/' => out.push('/'),
                            b'b' => out.push('\u{8}'),
                            b'f' => out.push('\u{c}'),
                            b'n' => out.push('\n'),
                            b'r' => out.push('\r'),
                            b't' => out.push('\t'),
                            b'u' => {
                                let Some(u) = hex4(i) else {
                                    return Err(self.err("Invalid \\uXXXX escape", i - 1));
                                };
                                i += 4;
                                let mut cp = u;
                                if (0xd800..0xdc00).contains(&u) && self.starts(i, "\\u") {
                                    if let Some(lo) = hex4(i + 2) {
                                        if (0xdc00..0xe000).contains(&lo) {
                                            cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                                            i += 6;
                                        }
                                    }
                                }
                                out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                            }
                            _ => return Err(self.err("Invalid \\escape", i - 2)),
                        }
                    }
                    Some(_) => return Err(self.err("Invalid control character at", i)),
                }
            }
        }

        fn object(&mut self, start: usize) -> Result<(Value, usize), String> {
            let mut items = Vec::new();
            let mut i = self.ws(start);
            if self.b.get(i) == Some(&b'}') {
                return Ok((Value::Dict(items), i + 1));
            }
            loop {
                if self.b.get(i) != Some(&b'"') {
                    return Err(self.err("Expecting property name enclosed in double quotes", i));
                }
                let (key, end) = self.string(i + 1)?;
                i = self.ws(end);
                if self.b.get(i) != Some(&b':') {
                    return Err(self.err("Expecting ':' delimiter", i));
                }
                i = self.ws(i + 1);
                let (v, end) = self.value(i)?;
                items.push((key, v));
                i = self.ws(end);
                match self.b.get(i) {
                    Some(b'}') => return Ok((Value::Dict(items), i + 1)),
                    Some(b',') => i = self.ws(i + 1),
                    _ => return Err(self.err("Expecting ',' delimiter", i)),
                }
            }
        }

        fn array(&mut self, start: usize) -> Result<(Value, usize), String> {
            let mut items = Vec::new();
            let mut i = self.ws(start);
            if self.b.get(i) == Some(&b']') {
                return Ok((Value::List(items), i + 1));
            }
            loop {
                let (v, end) = self.value(i)?;
                items.push(v);
                i = self.ws(end);
                match self.b.get(i) {
                    Some(b']') => return Ok((Value::List(items), i + 1)),
                    Some(b',') => i = self.ws(i + 1),
                    _ => return Err(self.err("Expecting ',' delimiter", i)),
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn python_rules() {
            assert_eq!(parse(" -0 ").unwrap(), Value::Int(0));
            assert_eq!(parse("[NaN]").unwrap().repr(), "[nan]");
            assert_eq!(parse("-Infinity").unwrap(), Value::Float(f64::NEG_INFINITY));
            assert_eq!(
                parse(r#"{"a":1,"a":2}"#).unwrap().get("a"),
                Some(&Value::Int(2))
            );
            assert_eq!(
                parse(r#""\ud83d\ude00 \u00e9\/""#).unwrap(),
                Value::Str("\u{1f600} \u{e9}/".into())
            );
            assert_eq!(
                parse(r#""\ud800x""#).unwrap(),
                Value::Str("\u{fffd}x".into())
            );
            assert_eq!(parse("1.5e3").unwrap(), Value::Float(1500.0));
            assert_eq!(parse("1e400").unwrap(), Value::Float(f64::INFINITY));
            assert_eq!(
                parse("123456789012345678901234567890").unwrap(),
                Value::Int(123456789012345678901234567890)
            );
            for bad in [
                "",
                "01",
                "1.",
                "[1,]",
                "{\"a\":1,}",
                "{'a':1}",
                "\"a\tb\"",
                "tru",
                "-",
                "\u{feff}1",
                "[1 2]",
                "\"\\x\"",
                "\"\\u12g4\"",
            ] {
                assert!(parse(bad).is_err(), "{bad:?}");
            }
            assert_eq!(
                parse("[1,]").unwrap_err(),
                "Expecting value: line 1 column 4 (char 3)"
            );
            assert_eq!(
                parse("{\"a\":1,}").unwrap_err(),
                "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"
            );
            assert_eq!(
                parse("\"\\u12g4\"").unwrap_err(),
                "Invalid \\uXXXX escape: line 1 column 3 (char 2)"
            );
            assert_eq!(
                parse("{} x").unwrap_err(),
                "Extra data: line 1 column 4 (char 3)"
            );
            assert!(parse(&"[".repeat(5000)).is_err());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_float_repr() {
        for (x, s) in [
            (0.0, "0.0"),
            (1.0, "1.0"),
            (0.5, "0.5"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.0 / 3.0, "0.6666666666666666"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123.25, "123.25"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.25e17, "1.25e+17"),
            (-0.0, "-0.0"),
            (-2.5, "-2.5"),
        ] {
            assert_eq!(py_float_repr(x, true), s, "{x}");
        }
    }

    #[test]
    fn python_whitespace() {
        let py: Vec<u32> = (0u32..0x110000)
            .filter_map(char::from_u32)
            .filter(|&c| is_py_whitespace(c))
            .map(|c| c as u32)
            .collect();
        let mut want = vec![
            0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0,
        ];
        want.extend([0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);
        want.extend(0x2000..=0x200a);
        want.sort_unstable();
        assert_eq!(py, want);
    }

    #[test]
    fn repr_and_json_strings() {
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("a'b\"c\n\u{1c}é"), "'a\\'b\"c\\n\\x1cé'");
        let mut s = String::new();
        json_ascii_string(&mut s, "é\u{1f600}\"\\\u{7f}\u{1}");
        assert_eq!(s, "\"\\u00e9\\ud83d\\ude00\\\"\\\\\\u007f\\u0001\"");
    }

    #[test]
    fn lines_like_python() {
        let got = universal_lines("a\r\nb\rc\n\nd");
        assert_eq!(got, vec![(1, "a"), (2, "b"), (3, "c"), (4, ""), (5, "d")]);
        assert_eq!(universal_lines("a\n"), vec![(1, "a")]);
    }

    #[test]
    fn normalise_trims_and_merges() {
        let t = "\u{1c}\"We  will,\" he said, \u{201c}win.\u{201d}";
        let chars: Vec<char> = t.chars().collect();
        let n = chars.len();
        assert_eq!(normalise(t, &[(0, 12)]), "We will");
        assert_eq!(normalise(t, &[(22, n), (0, 12)]), "We will win");
        assert_eq!(normalise(t, &[(0, 5), (3, 12)]), "We will");
        assert_eq!(normalise(t, &[(0, 1), (5, 5)]), "");
    }
}
