//! Transcripts as input, and checking a reported quote against its transcript.
//!
//! [`parse`] reads five kinds of transcript into [`Turn`]s — who spoke, to whom, which words, and
//! when where the format says:
//!
//! | [`Format`]  | Conventions |
//! |-------------|-------------|
//! | `Labelled`  | `OBAMA: …`, `PRESIDENT OBAMA: …`, `Mr. Medvedev: …`, `JOHN KING, CNN CORRESPONDENT: …`, `SEN. JOHN MCCAIN (R-AZ): …`; a label alone on its line with the words below; unlabelled lines continue the previous turn |
//! | `QandA`     | `Q: … A: …`, `Q. … A. …`, `QUESTION:`/`ANSWER:`, White House style `Q    …`; names from `Interviewer:`/`Interviewee:` header lines or a title `Interview: Angela Merkel on refugees`, else the roles `Q` and `A`; named labels may mix in |
//! | `Captions`  | `>>` a speaker change (`>> OBAMA: …` named, bare `>>` unknown), `>>>` a story change, also mid-line |
//! | `Srt`       | numbered blocks, `00:01:02,500 --> 00:01:04,000`; `OBAMA: …` labels, `- ` dialogue dashes and `>>` in the text; `<i>` and `{\an8}` markup stripped; consecutive blocks of one speaker merge |
//! | `WebVtt`    | `WEBVTT` header, optional cue ids, `01:04.000 --> 01:06.500` (hours optional) with cue settings, `<v Speaker>`/`</v>` voice tags, NOTE/STYLE/REGION blocks skipped, other tags stripped |
//!
//! A header (leading `Key: value` lines — `Setting:`, `Title:`, `Date:`, `Interviewer:` … — or a
//! bracketed line such as `[hot mic]`) gives the transcript's [`Setting`]. [`detect`] picks the
//! format when none is given. Malformed parts become [`ParseWarning`]s naming the line and the
//! rest is kept; only an unreadable file (empty, binary, nothing parseable) is a [`ParseError`].
//!
//! **Spans stay honest.** A turn's words may not be one contiguous stretch of the file (labels,
//! cue numbers, timestamps and `<i>` tags sit between them), so a [`Turn`] carries the exact byte
//! spans of its words ([`Turn::pieces`]), their hull ([`Turn::text_span`]) and a display string
//! ([`Turn::text`]: the pieces joined by spaces, HTML entities of subtitle files decoded). Every
//! span indexes [`Transcript::source`], the transcript's own copy of its input.
//!
//! ```
//! use verbatim::transcript::{self, Verdict};
//! let t = transcript::parse(
//!     "Setting: overheard\n\nOBAMA: After my election I have more flexibility.\nMEDVEDEV: I understand.\n",
//!     None,
//! )
//! .unwrap();
//! assert_eq!(t.turns[0].speaker.as_deref(), Some("Obama"));
//! assert_eq!(t.turns[0].addressee.as_deref(), Some("Medvedev"));
//! let v = transcript::verify("\"After my election I have more freedom.\"", &t);
//! assert_eq!(v.verdict, Verdict::Edited);
//! assert_eq!(v.diff_string(), "After my election I have more [-flexibility-]{+freedom+}");
//! ```
//!
//! [`to_quotes`] turns the turns into [`Quote`]s so the extraction output formats can carry them;
//! [`verify_article`] (module [`verify`](mod@verify)) checks an article's quotes against a transcript.

mod labelled;
mod lines;
mod names;
mod subtitles;
pub mod verify;
mod words;

pub use names::{display_name, same_speaker};
pub use verify::{verify, verify_article, DiffOp, Verdict, Verification, Verifier};

use crate::attribution::{Kind, Quote, Setting};
use crate::text::Span;
use std::fmt;

/// The transcript formats [`parse`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Speaker-labelled text: `OBAMA: …`, continuation lines belong to the previous turn.
    Labelled,
    /// A question-and-answer interview: `Q: …` / `A: …`.
    QandA,
    /// Closed captions: `>>` marks a speaker change, `>>>` a story change.
    Captions,
    /// SubRip subtitles: numbered blocks with `hh:mm:ss,mmm --> hh:mm:ss,mmm` timings.
    Srt,
    /// WebVTT subtitles: `WEBVTT` header, cues, `<v Speaker>` voice tags.
    WebVtt,
}

impl Format {
    /// Every format, in the order [`detect`] considers them least to most specific.
    pub const ALL: [Format; 5] = [
        Format::Labelled,
        Format::QandA,
        Format::Captions,
        Format::Srt,
        Format::WebVtt,
    ];

    /// The name used on the command line and in output: `labelled`, `qa`, `captions`, `srt`,
    /// `webvtt`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Labelled => "labelled",
            Format::QandA => "qa",
            Format::Captions => "captions",
            Format::Srt => "srt",
            Format::WebVtt => "webvtt",
        }
    }

    /// The format for a name or file extension, case-insensitive: the [`Format::as_str`] names
    /// plus `labeled`, `speaker`, `q&a`, `interview`, `cc`, `closed-captions`, `subrip`, `vtt`.
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.trim().trim_start_matches('.').to_ascii_lowercase();
        Some(match lower.as_str() {
            "labelled" | "labeled" | "speaker" | "speakers" | "txt" => Format::Labelled,
            "qa" | "q&a" | "qanda" | "interview" => Format::QandA,
            "captions" | "caption" | "cc" | "closed-captions" => Format::Captions,
            "srt" | "subrip" => Format::Srt,
            "webvtt" | "vtt" => Format::WebVtt,
            _ => return None,
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::from_name(s).ok_or_else(|| {
            format!(
                "unknown transcript format {s:?} (expected labelled, qa, captions, srt or webvtt)"
            )
        })
    }
}

/// One speaker's uninterrupted stretch of speech.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// Display name of the speaker ("President Obama" for the label `PRESIDENT OBAMA`); the
    /// role `Q` or `A` in an interview without names; `None` when the transcript does not say
    /// (bare `>>`, a dialogue dash, an `UNIDENTIFIED MALE` label, unlabelled text).
    pub speaker: Option<String>,
    /// The label as written in the file (`PRESIDENT OBAMA`, `Q`, a voice tag's name).
    pub label: Option<String>,
    /// Where the label is, when it is in the text.
    pub label_span: Option<Span>,
    /// To whom the turn is addressed: the other party of a two-party exchange, the
    /// interviewer or interviewee of a Q&A; `None` otherwise.
    pub addressee: Option<String>,
    /// The turn's words for display: [`Turn::pieces`] joined by single spaces (entities such as
    /// `&amp;` decoded in subtitle files).
    pub text: String,
    /// Exact byte spans of the turn's text in [`Transcript::source`], in order: one per line or
    /// per stretch between markup tags. Never empty.
    pub pieces: Vec<Span>,
    /// From the start of the first piece to the end of the last (may include labels, timings
    /// or tags in between — use `pieces` for exact text).
    pub text_span: Span,
    /// Start time in milliseconds (subtitle formats).
    pub start_ms: Option<u64>,
    /// End time in milliseconds (subtitle formats).
    pub end_ms: Option<u64>,
    /// 1-based line where the turn starts.
    pub line: usize,
    /// 1-based line where the turn's text ends.
    pub end_line: usize,
    /// Story number in closed captions (incremented by each `>>>`); 0 elsewhere.
    pub story: usize,
}

/// A problem in part of a transcript that was skipped or repaired; the rest was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseWarning {
    /// 1-based line.
    pub line: usize,
    /// What was wrong and what was done about it.
    pub message: String,
}

impl fmt::Display for ParseWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A transcript that cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line the problem was found on, when there is one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// A parsed transcript. Owns a copy of its input so that spans stay valid.
#[derive(Clone, Debug, PartialEq)]
pub struct Transcript {
    /// The input text every span indexes.
    pub source: String,
    /// The format it was read as.
    pub format: Format,
    /// The turns, in order.
    pub turns: Vec<Turn>,
    /// The setting from a header line (`Setting: overheard`, `[hot mic]`); `None` when the file
    /// does not say. Callers with a `--setting` option overwrite it before [`to_quotes`].
    pub setting: Option<Setting>,
    /// The interviewer named by an `Interviewer:` header line.
    pub interviewer: Option<String>,
    /// The interviewee named by an `Interviewee:` header line.
    pub interviewee: Option<String>,
    /// Header lines as `(key, value)`, keys lower-cased, in order.
    pub header: Vec<(String, String)>,
    /// Unlabelled lines before the first turn of a labelled transcript (a title, a dateline):
    /// kept out of the turns.
    pub preamble: Vec<Span>,
    /// Parts that were skipped or repaired.
    pub warnings: Vec<ParseWarning>,
}

impl Transcript {
    /// The text of a byte span of the source ("" for a span that does not fit).
    pub fn slice(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    /// The setting [`to_quotes`] gives each turn: the header's, else `interview` for a Q&A,
    /// else `unknown`.
    pub fn effective_setting(&self) -> Setting {
        match (self.setting, self.format) {
            (Some(s), _) => s,
            (None, Format::QandA) => Setting::Interview,
            (None, _) => Setting::Unknown,
        }
    }
}

/// Guess the format of `input`: a `WEBVTT` first line → WebVTT; cue timings (`-->`) → SRT
/// (WebVTT when no block is numbered); `>>` at line starts → captions; both `Q:` and `A:`
/// markers → Q&A; otherwise speaker-labelled text.
pub fn detect(input: &str) -> Format {
    let all = lines::lines(input);
    let text = |l: &lines::Line| input.get(l.start..l.end).unwrap_or("").trim();
    if let Some(first) = all.iter().map(text).find(|t| !t.is_empty()) {
        if first.starts_with("WEBVTT") {
            return Format::WebVtt;
        }
    }
    let (mut timings, mut numbered, mut chevrons, mut q, mut a, mut nonblank) = (0, 0, 0, 0, 0, 0);
    for (k, l) in all.iter().enumerate() {
        let t = text(l);
        if t.is_empty() {
            continue;
        }
        nonblank += 1;
        if t.contains("-->") && subtitles::parse_timing(t).is_some() {
            timings += 1;
            if k > 0 && text(&all[k - 1]).bytes().all(|b| b.is_ascii_digit()) {
                numbered += 1;
            }
        }
        if t.starts_with(">>") {
            chevrons += 1;
        }
        match labelled::qa_marker(t) {
            Some((labelled::Role::Q, _)) => q += 1,
            Some((labelled::Role::A, _)) => a += 1,
            _ => {}
        }
    }
    if timings > 0 {
        if numbered > 0 {
            Format::Srt
        } else {
            Format::WebVtt
        }
    } else if chevrons >= 2 || (chevrons == 1 && nonblank <= 3) {
        Format::Captions
    } else if q > 0 && a > 0 {
        Format::QandA
    } else {
        Format::Labelled
    }
}

/// Parse a transcript; `format: None` detects it (see [`detect`]).
///
/// Malformed parts become [`Transcript::warnings`]; an error only when nothing can be read:
/// empty input, binary data, or no turn at all.
pub fn parse(input: &str, format: Option<Format>) -> Result<Transcript, ParseError> {
    if input.trim().is_empty() {
        return Err(ParseError {
            line: None,
            message: "empty transcript: there is no text to read".into(),
        });
    }
    if let Some(line) = binary_line(input) {
        return Err(ParseError {
            line: Some(line),
            message: "not a text transcript: NUL or control characters (a binary file?)".into(),
        });
    }
    let format = format.unwrap_or_else(|| detect(input));
    let mut t = Transcript {
        source: input.to_string(),
        format,
        turns: Vec::new(),
        setting: None,
        interviewer: None,
        interviewee: None,
        header: Vec::new(),
        preamble: Vec::new(),
        warnings: Vec::new(),
    };
    match format {
        Format::Labelled | Format::QandA | Format::Captions => labelled::parse(&mut t),
        Format::Srt | Format::WebVtt => subtitles::parse(&mut t),
    }
    if t.turns.is_empty() {
        let why = match t.warnings.first() {
            Some(w) => format!(" (first problem: {w})"),
            None => String::new(),
        };
        return Err(ParseError {
            line: t.warnings.first().map(|w| w.line),
            message: format!("no speech found in this {format} transcript{why}"),
        });
    }
    names::resolve(&mut t);
    Ok(t)
}

/// Decode a transcript file's bytes: UTF-8 (a byte-order mark dropped), UTF-16 with a
/// byte-order mark, else Windows-1252 (old subtitle files). An error for binary data.
pub fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks(2).map(|c| match (le, c) {
            (true, [a, b]) => u16::from_le_bytes([*a, *b]),
            (false, [a, b]) => u16::from_be_bytes([*a, *b]),
            _ => 0xfffd,
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{fffd}'))
            .collect::<String>()
    };
    let text = if bytes.starts_with(&[0xff, 0xfe]) {
        utf16(true)
    } else if bytes.starts_with(&[0xfe, 0xff]) {
        utf16(false)
    } else {
        let body = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
        match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(_) => body.iter().map(|&b| cp1252(b)).collect(),
        }
    };
    if let Some(line) = binary_line(&text) {
        return Err(ParseError {
            line: Some(line),
            message: "not a text transcript: NUL or control characters (a binary file?)".into(),
        });
    }
    Ok(text)
}

/// Windows-1252: Latin-1 plus typographic characters in 0x80–0x9f.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    if (0x80..0xa0).contains(&b) {
        HIGH[(b - 0x80) as usize]
    } else {
        b as char
    }
}

/// The line of the first sign that the text is binary: a NUL, or more than 1% control
/// characters other than tab, line feed, carriage return and form feed.
fn binary_line(text: &str) -> Option<usize> {
    let mut controls = 0usize;
    let mut first = None;
    let mut line = 1;
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\n' {
            line += 1;
        } else if c == '\0' {
            return Some(line);
        } else if c.is_control() && !matches!(c, '\t' | '\r' | '\x0c' | '\u{85}') {
            controls += 1;
            first.get_or_insert(line);
        }
    }
    (controls * 100 > total).then_some(first.unwrap_or(1))
}

/// A [`Setting`] from its output name (`overheard`, `on_record`, `social_media` …) or a phrase
/// naming one (`hot mic`, `press conference`, `tweet`), as a `--setting` option would take it.
pub fn parse_setting(name: &str) -> Option<Setting> {
    lines::setting_from_words(name)
}

/// Each turn as a remark: kind direct, the label as source (when the text has one), no cue,
/// the turn's pieces as content, speaker, addressee and [`Transcript::effective_setting`].
/// Spans index [`Transcript::source`].
pub fn to_quotes(t: &Transcript) -> Vec<Quote> {
    let setting = t.effective_setting();
    t.turns
        .iter()
        .map(|turn| Quote {
            kind: Kind::Direct,
            source: turn.label_span.into_iter().collect(),
            cue: Vec::new(),
            content: turn.pieces.clone(),
            speaker: turn.speaker.clone(),
            addressee: turn.addressee.clone(),
            setting,
            // The structure of the file states who spoke; nothing was inferred.
            confidence: 1.0,
        })
        .collect()
}

#[cfg(test)]
mod tests;
