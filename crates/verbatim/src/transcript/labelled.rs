//! Line-oriented transcripts: speaker-labelled text, Q&A interviews and closed captions.

use super::lines::{self, split_chevrons, Builder, Chevron, Draft, Header};
use super::{Format, Transcript};
use crate::text::Span;

/// An interview role marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// The question side.
    Q,
    /// The answer side.
    A,
}

/// A Q&A marker at the start of a (trimmed) line: `Q:`, `Q.`, `A:`, `A.`, `QUESTION:`,
/// `ANSWER:`, or White House style `Q` followed by two spaces or a tab. Returns the role and the
/// byte length of the marker (text follows).
pub(crate) fn qa_marker(line: &str) -> Option<(Role, usize)> {
    for (word, role) in [
        ("QUESTION", Role::Q),
        ("Question", Role::Q),
        ("ANSWER", Role::A),
        ("Answer", Role::A),
        ("Q", Role::Q),
        ("A", Role::A),
    ] {
        let Some(rest) = line.strip_prefix(word) else {
            continue;
        };
        let b = rest.as_bytes();
        let ok = match b.first() {
            None => false,
            Some(b':') => true,
            // "A. Lincoln" is a risk only in a file already judged to be an interview.
            Some(b'.') => word.len() == 1 && b.get(1).is_none_or(|c| c.is_ascii_whitespace()),
            Some(b'\t') => word.len() == 1,
            Some(b' ') => word.len() == 1 && b.get(1).is_some_and(|c| c.is_ascii_whitespace()),
            _ => false,
        };
        if ok {
            let skip = if matches!(b[0], b':' | b'.') { 1 } else { 0 };
            return Some((role, word.len() + skip));
        }
    }
    None
}

/// A line that is part of the preamble (before the first turn), with whether a blank line
/// came before it.
struct PreLine {
    span: Span,
    line: usize,
    after_blank: bool,
}

/// Parse `t.source` as `t.format` (Labelled, QandA or Captions) into `t`.
pub(crate) fn parse(t: &mut Transcript) {
    let format = t.format;
    let src = t.source.clone();
    let all = lines::lines(&src);
    let mut b = Builder::new(t, false);
    let mut preamble: Vec<PreLine> = Vec::new();
    let mut blank_before = false;
    let mut any_label = false;
    for l in &all {
        let span = lines::trim(&src, l.start, l.end);
        if span.is_empty() {
            blank_before = true;
            continue;
        }
        let after_blank = std::mem::replace(&mut blank_before, false);
        let text = lines::get(&src, span);
        // Header lines count until the first turn (a title line may come before them).
        if b.cur.is_none() && b.t.turns.is_empty() {
            if let Some(h) = lines::header_at(text) {
                b.header(h, l.no);
                continue;
            }
        }
        // "[00:01:05] OBAMA: …": the time stamp is not speech; it times a turn starting here.
        let (stamp, span) = match lines::time_stamp(text, true) {
            Some((ms, skip)) => (Some(ms), lines::trim(&src, span.start + skip, span.end)),
            None => (None, span),
        };
        if span.is_empty() {
            continue;
        }
        let text = lines::get(&src, span);
        if let Some(inner) = lines::bracketed(text) {
            // A stage direction on its own line ("[LAUGHTER]", "(crosstalk)"): not speech. One
            // naming a setting before any turn still counts as the header's.
            if b.cur.is_none() && b.t.turns.is_empty() {
                if let Some(s) = lines::setting_from_words(inner) {
                    b.header(Header::Bracket(Some(s)), l.no);
                }
            }
            continue;
        }
        match format {
            Format::Captions => {
                for (marker, piece) in split_chevrons(&src, span) {
                    match marker {
                        None => b.add(piece, l.no),
                        Some(m) => {
                            if m == Chevron::Story {
                                b.close();
                                b.story += 1;
                            }
                            any_label = true;
                            start_labelled(&mut b, &src, piece, l.no, true);
                        }
                    }
                }
            }
            Format::QandA => {
                if let Some((role, len)) = qa_marker(text) {
                    any_label = true;
                    let label_span = Span::new(span.start, span.start + len);
                    let raw_span = Span::new(span.start, span.start + raw_len(&src, label_span));
                    let raw = lines::get(&src, raw_span).to_string();
                    let speaker = match role {
                        Role::Q => b.t.interviewer.clone().unwrap_or_else(|| "Q".into()),
                        Role::A => b.t.interviewee.clone().unwrap_or_else(|| "A".into()),
                    };
                    b.start(Draft {
                        speaker: Some(speaker),
                        label: Some(raw),
                        label_span: Some(raw_span),
                        line: l.no,
                        end_line: l.no,
                        ..Draft::default()
                    });
                    b.add(lines::trim(&src, span.start + len, span.end), l.no);
                } else if lines::label_at(&src, span).is_some() {
                    any_label = true;
                    start_labelled(&mut b, &src, span, l.no, false);
                } else {
                    continuation(&mut b, &mut preamble, span, l.no, after_blank);
                }
            }
            _ => {
                if lines::label_at(&src, span).is_some() {
                    any_label = true;
                    start_labelled(&mut b, &src, span, l.no, false);
                } else {
                    continuation(&mut b, &mut preamble, span, l.no, after_blank);
                }
            }
        }
        if let (Some(ms), Some(d)) = (stamp, b.cur.as_mut()) {
            // Only a turn that began on this line takes its time stamp.
            if d.line == l.no {
                d.start_ms.get_or_insert(ms);
            }
        }
    }
    b.close();
    if any_label {
        b.t.preamble = preamble.iter().map(|p| p.span).collect();
        return;
    }
    // No labels at all: every paragraph is a turn by an unknown speaker.
    if let Some(first) = preamble.first() {
        b.warn(
            first.line,
            format!(
                "no speaker labels found in this {} transcript; each paragraph is a turn by an \
                 unknown speaker",
                format
            ),
        );
    }
    for p in preamble {
        if p.after_blank {
            b.close();
        }
        b.add(p.span, p.line);
    }
    b.close();
}

/// The label's length without a trailing `:` or `.`.
fn raw_len(src: &str, label: Span) -> usize {
    lines::get(src, label).trim_end_matches([':', '.']).len()
}

/// Text without a label: the current turn goes on; before any turn it is preamble.
fn continuation(b: &mut Builder<'_>, pre: &mut Vec<PreLine>, span: Span, line: usize, ab: bool) {
    if b.cur.is_some() {
        b.add(span, line);
    } else {
        pre.push(PreLine {
            span,
            line,
            after_blank: ab,
        });
    }
}

/// Start a turn at `span`, which may open with a label. In captions (`chevron`) a stretch
/// without a label after `>>` is a turn by an unknown speaker.
fn start_labelled(b: &mut Builder<'_>, src: &str, span: Span, line: usize, chevron: bool) {
    match lines::label_at(src, span) {
        Some(label) => {
            let raw = lines::get(src, label.raw);
            b.start(Draft {
                speaker: label.name,
                label: Some(raw.to_string()),
                label_span: Some(label.raw),
                line,
                end_line: line,
                // Rev style: "Barack Obama (00:01:05):".
                start_ms: lines::time_stamp(raw, false).map(|(ms, _)| ms),
                ..Draft::default()
            });
            b.add(lines::trim(src, label.after, span.end), line);
        }
        None if chevron => {
            b.start(Draft {
                line,
                end_line: line,
                ..Draft::default()
            });
            b.add(span, line);
        }
        None => b.add(span, line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qa_markers() {
        assert_eq!(qa_marker("Q: Why?"), Some((Role::Q, 2)));
        assert_eq!(qa_marker("A. Because."), Some((Role::A, 2)));
        assert_eq!(
            qa_marker("Q    Thank you, Mr. President."),
            Some((Role::Q, 1))
        );
        assert_eq!(qa_marker("QUESTION: Why?"), Some((Role::Q, 9)));
        assert_eq!(qa_marker("A quick note"), None);
        assert_eq!(qa_marker("Also"), None);
        assert_eq!(qa_marker("Q"), None);
    }
}
