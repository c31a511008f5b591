//! What every transcript parser shares: lines with byte offsets, speaker labels, header lines,
//! inline markup and the turn builder.
//!
//! Every offset here comes from `char_indices` or from finding an ASCII byte, so every span is
//! on character boundaries; slicing goes through `str::get` regardless.

use super::names::display_name;
use super::{ParseWarning, Transcript, Turn};
use crate::attribution::Setting;
use crate::text::Span;

/// One line of the input: 1-based number and byte range without the line break.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    pub no: usize,
    pub start: usize,
    pub end: usize,
}

/// The lines of `src`. `\n`, `\r\n` and lone `\r` all end a line; a byte-order mark is skipped.
pub(crate) fn lines(src: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    if src.starts_with('\u{feff}') {
        start = '\u{feff}'.len_utf8();
    }
    let bytes = src.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(Line {
                    no: out.len() + 1,
                    start,
                    end: i,
                });
                start = i + 1;
            }
            b'\r' => {
                out.push(Line {
                    no: out.len() + 1,
                    start,
                    end: i,
                });
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push(Line {
            no: out.len() + 1,
            start,
            end: bytes.len(),
        });
    }
    out
}

/// `[start, end)` with surrounding whitespace removed.
pub(crate) fn trim(src: &str, start: usize, end: usize) -> Span {
    let s = src.get(start..end).unwrap_or("");
    let left = s.len() - s.trim_start().len();
    let right = s.trim_end().len();
    if right <= left {
        Span::new(start + left, start + left)
    } else {
        Span::new(start + left, start + right)
    }
}

/// The text of a span ("" if it does not fit — never panics).
pub(crate) fn get(src: &str, s: Span) -> &str {
    src.get(s.start..s.end).unwrap_or("")
}

/// A speaker label at the start of a stretch of text.
#[derive(Clone, Debug)]
pub(crate) struct Label {
    /// The label as written, before the colon (trimmed).
    pub raw: Span,
    /// The display name; `None` for an unidentified speaker.
    pub name: Option<String>,
    /// Byte offset just after the colon.
    pub after: usize,
}

/// Words that precede a colon at a line start without being speakers.
const NOT_SPEAKERS: &[&str] = &[
    "note",
    "notes",
    "update",
    "updated",
    "correction",
    "editor's note",
    "editor’s note",
    "warning",
    "caption",
    "credit",
    "photo",
    "video",
    "watch",
    "read more",
    "related",
    "advertisement",
    "subject",
    "re",
    "fwd",
    "tags",
    "summary",
    "background",
    "context",
    "example",
    "see also",
    "disclaimer",
    "copyright",
];

/// Lower-case name particles allowed inside a label (`Ursula von der Leyen`).
const PARTICLES: &[&str] = &[
    "de", "da", "del", "der", "den", "di", "du", "la", "le", "van", "von", "bin", "al", "el", "y",
    "dos", "das", "ter", "ten",
];

/// A speaker label at the start of `span`: 1–4 capitalised words or titles (particles allowed
/// inside), optionally followed by `, DESCRIPTION` (≤ 8 words) and parentheticals such as
/// `(R-AZ)` or `(through translator)`, then a colon followed by a space or the line end.
pub(crate) fn label_at(src: &str, span: Span) -> Option<Label> {
    let s = get(src, span);
    let lead = s.len() - s.trim_start().len();
    let body = &s[lead..];
    // The first colon outside brackets: "Barack Obama (00:05):".
    let mut depth = 0i32;
    let colon = body.bytes().position(|c| {
        match c {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            _ => {}
        }
        c == b':' && depth <= 0
    })?;
    if colon == 0 || colon > 100 {
        return None;
    }
    let after = &body[colon + 1..];
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    let raw = body[..colon].trim_end();
    let name = label_name(raw)?;
    let start = span.start + lead;
    Some(Label {
        raw: Span::new(start, start + raw.len()),
        name,
        after: start + colon + 1,
    })
}

/// The display name of a label's text; `Some(None)` for an unidentified speaker, `None` when
/// the text is not a label.
pub(crate) fn label_name(raw: &str) -> Option<Option<String>> {
    // Drop parentheticals: "SEN. JOHN MCCAIN (R-AZ)", "PUTIN (through translator)".
    let mut plain = String::with_capacity(raw.len());
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.checked_sub(1)?,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    if depth != 0 {
        return None;
    }
    let (name, desc) = match plain.split_once(',') {
        Some((n, d)) => (n, d),
        None => (plain.as_str(), ""),
    };
    if desc.split_whitespace().count() > 8 || desc.contains(['.', '!', '?', ';']) && desc.len() > 40
    {
        return None;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    for (k, w) in words.iter().enumerate() {
        // Speaker numbers of automatic transcripts: "Speaker 2", "SPEAKER_01".
        let number = k > 0 && w.len() <= 3 && w.bytes().all(|c| c.is_ascii_digit());
        let ok_chars = w.chars().all(|c| {
            c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '.' | '\'' | '’' | '-' | '_')
        });
        let first = w.chars().next().unwrap_or(' ');
        let capital = first.is_uppercase();
        let particle = k > 0 && PARTICLES.contains(w);
        if number {
            continue;
        }
        if !ok_chars || !w.chars().any(char::is_alphabetic) || !(capital || particle) {
            return None;
        }
    }
    let lower = words.join(" ").to_lowercase();
    if NOT_SPEAKERS.contains(&lower.as_str()) {
        return None;
    }
    if lower.contains("unidentified") || lower.contains("unknown") {
        return Some(None);
    }
    Some(Some(display_name(&words)))
}

/// A time stamp in a labelled transcript: a leading `[00:01:05]`, `(01:05)` or `00:01:05` at
/// the line start, or one in a label's parenthetical (`Barack Obama (00:01:05):`). Returns the
/// milliseconds and, for a leading one, the byte length to skip (0 inside a label).
pub(crate) fn time_stamp(text: &str, leading: bool) -> Option<(u64, usize)> {
    if leading {
        let (open, close) = match text.as_bytes().first() {
            Some(b'[') => (1, Some(']')),
            Some(b'(') => (1, Some(')')),
            _ => (0, None),
        };
        let end = match close {
            Some(c) => text.find(c)?,
            None => text.find(char::is_whitespace)?,
        };
        let stamp = text.get(open..end)?.trim();
        // A bare stamp needs hours ("10:30 is when…" is speech).
        if close.is_none() && stamp.matches(':').count() < 2 {
            return None;
        }
        let ms = super::subtitles::parse_ts(stamp)?;
        let skip = end + usize::from(close.is_some());
        return Some((ms, skip));
    }
    let start = text.find(['(', '['])?;
    let end = start + text[start..].find([')', ']'])?;
    let ms = super::subtitles::parse_ts(text[start + 1..end].trim())?;
    Some((ms, 0))
}

/// Keys of header lines (`Key: value` before the first turn).
const HEADER_KEYS: &[&str] = &[
    "setting",
    "interviewer",
    "interviewee",
    "title",
    "date",
    "source",
    "location",
    "place",
    "event",
    "participants",
    "speakers",
    "recorded",
    "transcript",
    "url",
    "via",
    "published",
    "duration",
    "language",
    "kind",
    "note",
    "notes",
    "subject",
    "headline",
    "time",
    "occasion",
    "interview",
];

/// A header item.
pub(crate) enum Header {
    /// `Key: value`, key lower-cased.
    Field(String, String),
    /// A line in brackets: `[hot mic]`, with the setting its words name, if any.
    Bracket(Option<Setting>),
}

/// A header item on a (trimmed) line, if it is one.
pub(crate) fn header_at(line: &str) -> Option<Header> {
    let line = line.trim();
    if let Some(inner) = bracketed(line) {
        return Some(Header::Bracket(setting_from_words(inner)));
    }
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_lowercase();
    let value = value.trim();
    if !HEADER_KEYS.contains(&key.as_str()) {
        return None;
    }
    if matches!(key.as_str(), "interviewer" | "interviewee") && !looks_like_name(value) {
        // "INTERVIEWER: So tell me…" is a turn, not a header.
        return None;
    }
    Some(Header::Field(key, value.to_string()))
}

/// The person an "Interview:" title names at its start: "Angela Merkel on refugees" → "Angela
/// Merkel". Two to four capitalised words before "on", "about", a colon, a dash or a comma, the
/// first a given name or a title.
fn interview_subject(value: &str) -> Option<&str> {
    let end = [" on ", " about ", ":", " — ", " – ", " - ", ","]
        .iter()
        .filter_map(|s| value.find(s))
        .min()
        .unwrap_or(value.len());
    let name = value[..end].trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = words.iter().all(|w| {
        w.starts_with(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || "-.'’".contains(c))
    });
    // "Merkel Defends Refugee Policy" is a headline: the name must open with a given name
    // ("Angela") or a title ("Chancellor", "Dr").
    let named = words.first().is_some_and(|w| {
        crate::resolution::names::lookup(w).is_some() || crate::lexicon::is_title(&w.to_lowercase())
    });
    ((2..=4).contains(&words.len()) && capitalised && named).then_some(name)
}

/// A person's name (optionally ", affiliation"): ≤ 8 words, capitalised, no sentence ending.
fn looks_like_name(value: &str) -> bool {
    let n = value.split_whitespace().count();
    (1..=8).contains(&n)
        && value.chars().next().is_some_and(char::is_uppercase)
        && !value.ends_with(['.', '?', '!'])
}

/// The inside of a line wholly in brackets or parentheses: `[hot mic]`, `(LAUGHTER)`.
pub(crate) fn bracketed(line: &str) -> Option<&str> {
    let line = line.trim();
    let inner = line
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .or_else(|| line.strip_prefix('(').and_then(|l| l.strip_suffix(')')))?;
    (!inner.contains([']', ')', '[', '('])).then_some(inner)
}

/// A setting named by its output name or by a phrase: "overheard", "hot mic", "open
/// microphone", "leaked", "press conference", "interview", "statement", "tweet" …
pub(crate) fn setting_from_words(text: &str) -> Option<Setting> {
    let lower = text.trim().to_lowercase().replace(['_', '-'], " ");
    let exact = match lower.as_str() {
        "unknown" => Some(Setting::Unknown),
        "overheard" => Some(Setting::Overheard),
        "statement" => Some(Setting::Statement),
        "interview" => Some(Setting::Interview),
        "social media" => Some(Setting::SocialMedia),
        "on record" | "on the record" => Some(Setting::OnRecord),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    let has = |ws: &[&str]| ws.iter().any(|w| lower.contains(w));
    if has(&[
        "hot mic",
        "open mic",
        "microphone",
        "overheard",
        "leaked",
        "unguarded",
        "private conversation",
        "off mic",
    ]) {
        Some(Setting::Overheard)
    } else if has(&["interview"]) {
        Some(Setting::Interview)
    } else if has(&["press release", "statement", "written"]) {
        Some(Setting::Statement)
    } else if has(&[
        "tweet",
        "twitter",
        "social media",
        "facebook",
        "instagram",
        "posted",
    ]) {
        Some(Setting::SocialMedia)
    } else if has(&[
        "press conference",
        "news conference",
        "briefing",
        "speech",
        "remarks",
        "rally",
        "hearing",
        "debate",
        "on record",
        "public",
    ]) {
        Some(Setting::OnRecord)
    } else {
        None
    }
}

/// A speaker-change marker found in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Chevron {
    /// `>>`: a new speaker.
    Speaker,
    /// `>>>`: a new story (and speaker).
    Story,
}

/// Split `span` at each `>>`/`>>>`: the text before the first marker (if any), then each
/// marker with the text after it, trimmed.
pub(crate) fn split_chevrons(src: &str, span: Span) -> Vec<(Option<Chevron>, Span)> {
    let s = get(src, span);
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut marker = None;
    let mut seg_start = 0;
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'>' && b[i + 1] == b'>' {
            let mut j = i + 2;
            while j < b.len() && b[j] == b'>' {
                j += 1;
            }
            let piece = trim(src, span.start + seg_start, span.start + i);
            if marker.is_some() || !piece.is_empty() {
                out.push((marker, piece));
            }
            marker = Some(if j - i >= 3 {
                Chevron::Story
            } else {
                Chevron::Speaker
            });
            seg_start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    let piece = trim(src, span.start + seg_start, span.end);
    if marker.is_some() || !piece.is_empty() {
        out.push((marker, piece));
    }
    out
}

/// Inline markup events of subtitle text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Markup {
    /// Text between tags (trimmed, non-empty).
    Text(Span),
    /// `<v Name>` (WebVTT voice); the name may be empty.
    Voice(String),
    /// `</v>`.
    VoiceEnd,
}

/// Split `span` into text and voice events, dropping tags: `<i>`, `<b>`, `<font …>`, `<c.x>`,
/// `<00:01.000>` timestamps, `{\an8}` positioning. A `<` without a closing `>` is text.
pub(crate) fn markup(src: &str, span: Span) -> Vec<Markup> {
    let s = get(src, span);
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    let push_text = |out: &mut Vec<Markup>, a: usize, z: usize| {
        let t = trim(src, span.start + a, span.start + z);
        if !t.is_empty() {
            out.push(Markup::Text(t));
        }
    };
    while i < b.len() {
        let close = match b[i] {
            b'<' => Some(b'>'),
            b'{' if b.get(i + 1) == Some(&b'\\') => Some(b'}'),
            _ => None,
        };
        let Some(close) = close else {
            i += 1;
            continue;
        };
        // Tags are short: looking further would make a line of stray "<" quadratic.
        let Some(len) = b[i + 1..].iter().take(256).position(|&c| c == close) else {
            i += 1;
            continue;
        };
        let j = i + 1 + len;
        push_text(&mut out, text_start, i);
        if b[i] == b'<' {
            let tag = &s[i + 1..j];
            if tag == "/v" || tag.starts_with("/v.") {
                out.push(Markup::VoiceEnd);
            } else if let Some(rest) = tag.strip_prefix('v') {
                if rest.is_empty() || rest.starts_with([' ', '\t', '.']) {
                    // `<v.loud Obama>`: classes up to the first space, then the name.
                    let name = rest.split_once([' ', '\t']).map_or("", |(_, n)| n.trim());
                    out.push(Markup::Voice(name.to_string()));
                }
            }
        }
        i = j + 1;
        text_start = i;
    }
    push_text(&mut out, text_start, b.len());
    out
}

/// Decode the HTML entities subtitle files use: `&amp; &lt; &gt; &quot; &apos; &nbsp; &lrm;
/// &rlm; &#NN; &#xNN;`. Unknown entities are kept as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "lrm" | "rlm" => '\u{200b}',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(v)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                if c != '\u{200b}' {
                    out.push(c);
                }
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A turn being built.
#[derive(Clone, Debug, Default)]
pub(crate) struct Draft {
    pub speaker: Option<String>,
    pub label: Option<String>,
    pub label_span: Option<Span>,
    pub pieces: Vec<Span>,
    pub line: usize,
    pub end_line: usize,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    pub story: usize,
}

/// Collects turns; warns about labels with no text.
pub(crate) struct Builder<'a> {
    pub t: &'a mut Transcript,
    pub cur: Option<Draft>,
    /// Decode HTML entities in turn text (subtitle formats).
    pub entities: bool,
    pub story: usize,
}

impl<'a> Builder<'a> {
    pub fn new(t: &'a mut Transcript, entities: bool) -> Builder<'a> {
        Builder {
            t,
            cur: None,
            entities,
            story: 0,
        }
    }

    /// Start a new turn (closing the current one).
    pub fn start(&mut self, d: Draft) {
        self.close();
        self.cur = Some(Draft {
            story: self.story,
            ..d
        });
    }

    /// Add a piece of text to the current turn; starts an unknown-speaker turn if none.
    pub fn add(&mut self, piece: Span, line: usize) {
        if piece.is_empty() {
            return;
        }
        let story = self.story;
        let d = self.cur.get_or_insert_with(|| Draft {
            line,
            story,
            ..Draft::default()
        });
        d.pieces.push(piece);
        d.end_line = line;
    }

    /// Widen the current turn's time range.
    pub fn time(&mut self, start: u64, end: u64) {
        if let Some(d) = &mut self.cur {
            d.start_ms = Some(d.start_ms.map_or(start, |s| s.min(start)));
            d.end_ms = Some(d.end_ms.map_or(end, |e| e.max(end)));
        }
    }

    /// Finish the current turn. A turn without text is dropped, with a warning when it had a
    /// label ("a label with no text").
    pub fn close(&mut self) {
        let Some(d) = self.cur.take() else { return };
        if d.pieces.is_empty() {
            if let Some(label) = &d.label {
                self.t.warnings.push(ParseWarning {
                    line: d.line,
                    message: format!("speaker label \"{label}\" has no text; skipped"),
                });
            }
            return;
        }
        let src = &self.t.source;
        let mut text = String::new();
        for p in &d.pieces {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(get(src, *p));
        }
        if self.entities {
            text = decode_entities(&text);
        }
        let first = d.pieces[0];
        let last = d.pieces[d.pieces.len() - 1];
        self.t.turns.push(Turn {
            speaker: d.speaker,
            label: d.label,
            label_span: d.label_span,
            addressee: None,
            text,
            text_span: Span::new(first.start, last.end.max(first.start)),
            pieces: d.pieces,
            start_ms: d.start_ms,
            end_ms: d.end_ms,
            line: d.line,
            end_line: d.end_line.max(d.line),
            story: d.story,
        });
    }

    /// Record a header item (setting, interviewer, interviewee, other fields).
    pub fn header(&mut self, h: Header, line: usize) {
        match h {
            Header::Bracket(Some(s)) => {
                self.t.setting.get_or_insert(s);
            }
            Header::Bracket(None) => {}
            Header::Field(key, value) => {
                match key.as_str() {
                    "setting" => match setting_from_words(&value) {
                        Some(s) => self.t.setting = Some(s),
                        None => self.t.warnings.push(ParseWarning {
                            line,
                            message: format!(
                                "unknown setting \"{value}\" (expected overheard, statement, \
                                 interview, social_media, on_record or unknown); ignored"
                            ),
                        }),
                    },
                    "interviewer" => self.t.interviewer = Some(value.clone()),
                    "interviewee" => self.t.interviewee = Some(value.clone()),
                    // A newspaper's "Interview: Angela Merkel on refugees" names who answers.
                    "interview" if self.t.interviewee.is_none() => {
                        self.t.interviewee = interview_subject(&value).map(str::to_string);
                    }
                    _ => {}
                }
                self.t.header.push((key, value));
            }
        }
    }

    /// Warn about `line`.
    pub fn warn(&mut self, line: usize, message: String) {
        self.t.warnings.push(ParseWarning { line, message });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(raw: &str) -> Option<Option<String>> {
        label_name(raw)
    }

    #[test]
    fn labels_and_non_labels() {
        let l = |s: &str| label_at(s, Span::new(0, s.len())).map(|l| l.name);
        assert_eq!(l("OBAMA: Hi."), Some(Some("Obama".into())));
        assert_eq!(
            l("PRESIDENT OBAMA: Hi."),
            Some(Some("President Obama".into()))
        );
        assert_eq!(l("Mr. Medvedev: Hi."), Some(Some("Mr. Medvedev".into())));
        assert_eq!(
            l("SEN. JOHN MCCAIN (R-AZ): No."),
            Some(Some("Sen. John McCain".into()))
        );
        assert_eq!(
            l("JOHN KING, CNN CHIEF NATIONAL CORRESPONDENT: Well,"),
            Some(Some("John King".into()))
        );
        assert_eq!(
            l("Ursula von der Leyen: Ja."),
            Some(Some("Ursula von der Leyen".into()))
        );
        assert_eq!(l("UNIDENTIFIED MALE: Go."), Some(None));
        assert_eq!(l("OBAMA:"), Some(Some("Obama".into())));
        assert!(l("At 10:30 we met").is_none());
        assert!(l("The point is: we won").is_none());
        assert!(l("Note: the transcript").is_none());
        assert!(l("See http://x").is_none());
        assert!(l("One Two Three Four Five: x").is_none());
        assert_eq!(name("O'BRIEN"), Some(Some("O'Brien".into())));
        assert_eq!(name("Speaker 2"), Some(Some("Speaker 2".into())));
        assert_eq!(name("SPEAKER_01"), Some(Some("Speaker_01".into())));
        assert_eq!(
            name("Barack Obama (00:01:05)"),
            Some(Some("Barack Obama".into()))
        );
        assert_eq!(name("2 Obama"), None);
    }

    #[test]
    fn chevrons_and_markup() {
        let s = "WE WON. >> THANK YOU. >>> IN OTHER NEWS";
        let parts = split_chevrons(s, Span::new(0, s.len()));
        let texts: Vec<_> = parts.iter().map(|(m, p)| (*m, get(s, *p))).collect();
        assert_eq!(
            texts,
            [
                (None, "WE WON."),
                (Some(Chevron::Speaker), "THANK YOU."),
                (Some(Chevron::Story), "IN OTHER NEWS")
            ]
        );
        let s = "<v.loud Barack Obama><i>Hi</i> there</v> {\\an8}x <b";
        let m = markup(s, Span::new(0, s.len()));
        let shown: Vec<String> = m
            .iter()
            .map(|e| match e {
                Markup::Text(p) => get(s, *p).to_string(),
                Markup::Voice(n) => format!("V:{n}"),
                Markup::VoiceEnd => "/V".into(),
            })
            .collect();
        assert_eq!(shown, ["V:Barack Obama", "Hi", "there", "/V", "x <b"]);
        assert_eq!(
            decode_entities("A &amp; B &#233; &bogus; &"),
            "A & B é &bogus; &"
        );
    }

    #[test]
    fn line_ends() {
        let s = "\u{feff}a\r\nb\rc\n\nd";
        let got: Vec<&str> = lines(s).iter().map(|l| &s[l.start..l.end]).collect();
        assert_eq!(got, ["a", "b", "c", "", "d"]);
    }

    #[test]
    fn settings_from_words() {
        assert_eq!(setting_from_words("overheard"), Some(Setting::Overheard));
        assert_eq!(setting_from_words("HOT MIC"), Some(Setting::Overheard));
        assert_eq!(setting_from_words("on_record"), Some(Setting::OnRecord));
        assert_eq!(
            setting_from_words("Press conference, Seoul"),
            Some(Setting::OnRecord)
        );
        assert_eq!(setting_from_words("laughter"), None);
    }
}
