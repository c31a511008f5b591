//! Subtitle files: SRT and WebVTT.
//!
//! Both are blocks separated by blank lines; a cue block has an optional number or id, a timing
//! line and text lines. The cue text is where speakers are marked — `<v Name>` voice tags
//! (WebVTT), `NAME:` labels, `- ` dialogue dashes and `>>` chevrons — and consecutive cues of
//! one speaker merge into one turn: a cue with no marker continues the current turn, and a
//! label naming the current speaker does too.

use super::lines::{self, split_chevrons, Builder, Chevron, Draft, Line, Markup};
use super::names::{display_name, same_speaker};
use super::{Format, Transcript};
use crate::text::Span;

/// Milliseconds of a timestamp: `hh:mm:ss,mmm`, `hh:mm:ss.mmm` or `mm:ss.mmm` (1–3 fraction
/// digits; the fraction may be missing).
pub(crate) fn parse_ts(s: &str) -> Option<u64> {
    let (main, frac) = match s.rfind([',', '.']) {
        Some(k) => (&s[..k], &s[k + 1..]),
        None => (s, ""),
    };
    let digits = |p: &str, max: usize| {
        (!p.is_empty() && p.len() <= max && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse::<u64>().ok())
            .flatten()
    };
    let parts: Vec<&str> = main.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m, sec] => (digits(h, 4)?, digits(m, 2)?, digits(sec, 2)?),
        [m, sec] => (0, digits(m, 4)?, digits(sec, 2)?),
        _ => return None,
    };
    if sec >= 60 || (parts.len() == 3 && m >= 60) {
        return None;
    }
    let ms = if frac.is_empty() {
        0
    } else {
        let f = digits(frac, 3)?;
        f * 10u64.pow(3 - frac.len() as u32)
    };
    Some(((h * 60 + m) * 60 + sec) * 1000 + ms)
}

/// `start --> end [settings]` in milliseconds.
pub(crate) fn parse_timing(line: &str) -> Option<(u64, u64)> {
    let (a, b) = line.split_once("-->")?;
    let b = b.split_whitespace().next()?;
    Some((parse_ts(a.trim())?, parse_ts(b)?))
}

/// Parse `t.source` as SRT or WebVTT into `t`.
pub(crate) fn parse(t: &mut Transcript) {
    let vtt = t.format == Format::WebVtt;
    let src = t.source.clone();
    let all = lines::lines(&src);
    let text = |l: &Line| lines::get(&src, lines::trim(&src, l.start, l.end));
    let mut blocks: Vec<Vec<Line>> = vec![Vec::new()];
    for l in &all {
        if text(l).is_empty() {
            if !blocks.last().is_some_and(Vec::is_empty) {
                blocks.push(Vec::new());
            }
        } else if let Some(last) = blocks.last_mut() {
            last.push(*l);
        }
    }
    blocks.retain(|b| !b.is_empty());
    let mut b = Builder::new(t, true);
    let mut blocks = blocks.into_iter().peekable();
    if vtt {
        match blocks.peek() {
            Some(first) if text(&first[0]).starts_with("WEBVTT") => {
                for l in &first[1..] {
                    if let Some(h) = lines::header_at(text(l)) {
                        b.header(h, l.no);
                    }
                }
                blocks.next();
            }
            Some(first) => b.warn(
                first[0].no,
                "missing \"WEBVTT\" header; read as WebVTT anyway".into(),
            ),
            None => {}
        }
    }
    for block in blocks {
        let first = text(&block[0]);
        if vtt && is_keyword(first, "NOTE") {
            // A note may carry the setting: "NOTE Setting: overheard".
            let mut note = vec![first.trim_start_matches("NOTE").trim()];
            note.extend(block[1..].iter().map(text));
            for line in note {
                if let Some(h @ lines::Header::Field(..)) = lines::header_at(line) {
                    b.header(h, block[0].no);
                }
            }
            continue;
        }
        if vtt && (is_keyword(first, "STYLE") || is_keyword(first, "REGION")) {
            continue;
        }
        let timing_at = if first.contains("-->") {
            Some(0)
        } else if block.len() > 1
            && (text(&block[1]).contains("-->") || first.bytes().all(|c| c.is_ascii_digit()))
        {
            Some(1)
        } else {
            None
        };
        let Some(ti) = timing_at else {
            if first.bytes().all(|c| c.is_ascii_digit()) {
                b.warn(
                    block[0].no,
                    format!("cue {first} has no timing line; skipped"),
                );
            } else if b.cur.is_some() {
                b.warn(
                    block[0].no,
                    "text outside a cue (no timing line); kept with the previous cue".into(),
                );
                cue_text(&mut b, &src, &block, None);
            } else {
                b.warn(
                    block[0].no,
                    "text outside a cue (no timing line); skipped".into(),
                );
            }
            continue;
        };
        let timing = text(&block[ti]);
        let Some((start, end)) = parse_timing(timing) else {
            let what = if ti == 1 && first.bytes().all(|c| c.is_ascii_digit()) {
                format!("cue {first}")
            } else {
                "a cue".to_string()
            };
            b.warn(
                block[ti].no,
                format!("broken timestamp \"{timing}\" in {what}; cue skipped"),
            );
            continue;
        };
        if end < start {
            b.warn(
                block[ti].no,
                format!("cue ends before it starts: \"{timing}\""),
            );
        }
        cue_text(&mut b, &src, &block[ti + 1..], Some((start, end)));
    }
    b.close();
}

/// `line` is `word` alone or followed by whitespace.
fn is_keyword(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
}

/// The text after a dialogue dash at the start of `span` (`- Hi`, `-Hi`, `– Hi`).
fn after_dash(src: &str, span: Span) -> Option<Span> {
    let s = lines::get(src, span);
    let mut cs = s.chars();
    let d = cs.next()?;
    if !matches!(d, '-' | '‐' | '–' | '—') {
        return None;
    }
    let next = cs.next()?;
    if !(next.is_whitespace() || next.is_alphabetic() || matches!(next, '<' | '"' | '“' | '\'')) {
        return None;
    }
    Some(lines::trim(src, span.start + d.len_utf8(), span.end))
}

/// A speaker change found in cue text.
enum Change {
    /// A new speaker the text does not name (dash, bare `>>`, empty voice tag).
    Unknown,
    /// A named speaker: display name (`None` when unidentified), raw label, label span.
    Named(Option<String>, String, Option<Span>),
}

/// Feed one cue's text lines to the builder.
fn cue_text(b: &mut Builder<'_>, src: &str, text_lines: &[Line], times: Option<(u64, u64)>) {
    let mut pending: Option<Change> = None;
    for l in text_lines {
        let span = lines::trim(src, l.start, l.end);
        let mut line_start = true;
        for ev in lines::markup(src, span) {
            let piece_span = match ev {
                Markup::Voice(name) => {
                    let words: Vec<&str> = name.split_whitespace().collect();
                    pending = Some(if words.is_empty() {
                        Change::Unknown
                    } else {
                        Change::Named(Some(display_name(&words)), name.clone(), None)
                    });
                    continue;
                }
                Markup::VoiceEnd => continue,
                Markup::Text(s) => s,
            };
            for (marker, mut piece) in split_chevrons(src, piece_span) {
                let mut change = pending.take();
                if let Some(m) = marker {
                    if m == Chevron::Story {
                        b.close();
                        b.story += 1;
                    }
                    change = Some(Change::Unknown);
                }
                if line_start && marker.is_none() && change.is_none() {
                    if let Some(rest) = after_dash(src, piece) {
                        change = Some(Change::Unknown);
                        piece = rest;
                    }
                }
                if line_start || marker.is_some() {
                    if let Some(label) = lines::label_at(src, piece) {
                        let raw = lines::get(src, label.raw).to_string();
                        change = Some(Change::Named(label.name, raw, Some(label.raw)));
                        piece = lines::trim(src, label.after, piece.end);
                    }
                }
                line_start = false;
                apply(b, change, l.no);
                if b.cur.is_none() {
                    b.start(Draft {
                        line: l.no,
                        end_line: l.no,
                        ..Draft::default()
                    });
                }
                b.add(piece, l.no);
                if let Some((s, e)) = times {
                    b.time(s, e);
                }
            }
        }
    }
    // A voice tag with nothing after it in this cue: the next cue is likely that speaker's.
    if let Some(change) = pending {
        apply(b, Some(change), text_lines.first().map_or(0, |l| l.no));
    }
}

/// Start a new turn for a speaker change, unless it names the current speaker (merge).
fn apply(b: &mut Builder<'_>, change: Option<Change>, line: usize) {
    match change {
        None => {}
        Some(Change::Unknown) => b.start(Draft {
            line,
            end_line: line,
            ..Draft::default()
        }),
        Some(Change::Named(name, raw, span)) => {
            let same = match (&name, b.cur.as_ref().and_then(|d| d.speaker.as_deref())) {
                (Some(n), Some(cur)) => n == cur || same_speaker(n, cur),
                _ => false,
            };
            if !same {
                b.start(Draft {
                    speaker: name,
                    label: Some(raw),
                    label_span: span,
                    line,
                    end_line: line,
                    ..Draft::default()
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(parse_ts("00:01:02,500"), Some(62_500));
        assert_eq!(parse_ts("01:02.5"), Some(62_500));
        assert_eq!(parse_ts("1:00:00.000"), Some(3_600_000));
        assert_eq!(parse_ts("00:61:00,000"), None);
        assert_eq!(parse_ts("00:00:0x,000"), None);
        assert_eq!(parse_ts("99999999:00:00,000"), None);
        assert_eq!(
            parse_timing("00:00:01,000 --> 00:00:02,000 X1:40"),
            Some((1000, 2000))
        );
        assert_eq!(
            parse_timing("00:01.000 --> 00:04.000 align:start"),
            Some((1000, 4000))
        );
        assert_eq!(parse_timing("00:00:01,000 -> 00:00:02,000"), None);
    }
}
