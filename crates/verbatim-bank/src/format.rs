//! Output for the command line: aligned tables for a terminal, JSON Lines for programs.
//!
//! Quotes are untrusted text: tables replace control characters (which could drive the
//! terminal) with `�` and newlines with spaces; JSON escapes everything it must.

use crate::query::{Hit, SpeakerSummary};

/// Untrusted text made safe for one table cell: control characters become `�`, any run of
/// whitespace one space.
pub fn sanitize_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            space = false;
            out.push(
                if c.is_control()
                    || ('\u{202A}'..='\u{202E}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
                {
                    '\u{FFFD}'
                } else {
                    c
                },
            );
        }
    }
    out.trim_end().to_string()
}

fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        format!("{s}{}", " ".repeat(width - n))
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Search hits as an aligned table: date, outlet, speaker, REPORTS, quote. REPORTS is the
/// size of the hit's cluster: how many stored quotes (this one included, from any document or
/// outlet) report the same remark, whole or in part.
pub fn format_hits_table(hits: &[Hit]) -> String {
    let mut out = format!(
        "{}  {}  {}  {}  QUOTE\n",
        fit("DATE", 10),
        fit("OUTLET", 14),
        fit("SPEAKER", 22),
        fit("REPORTS", 7)
    );
    for h in hits {
        let speaker = h
            .speaker
            .as_ref()
            .map(|s| s.name.clone())
            .or_else(|| h.speaker_raw.clone())
            .unwrap_or_else(|| "?".into());
        out.push_str(&format!(
            "{}  {}  {}  {:>7}  {}\n",
            fit(h.date.as_deref().unwrap_or("-"), 10),
            fit(&sanitize_cell(h.outlet.as_deref().unwrap_or("-")), 14),
            fit(&sanitize_cell(&speaker), 22),
            h.cluster_size,
            sanitize_cell(&h.text)
        ));
    }
    out
}

/// Search hits as JSON Lines, one [`Hit`] object per line.
pub fn hits_to_jsonl(hits: &[Hit]) -> String {
    let mut out = String::new();
    for h in hits {
        out.push_str(&serde_json::to_string(h).unwrap_or_else(|_| "{}".into()));
        out.push('\n');
    }
    out
}

/// Speakers as a table: quotes, name, top outlets, and the months quoted (first–last).
pub fn format_speakers_table(speakers: &[SpeakerSummary]) -> String {
    let mut out = format!(
        "{}  {}  {}  {}  MONTHS\n",
        fit("ID", 6),
        fit("QUOTES", 6),
        fit("SPEAKER", 28),
        fit("BY OUTLET", 40)
    );
    for s in speakers {
        let outlets = s
            .by_outlet
            .iter()
            .take(4)
            .map(|c| format!("{} {}", if c.key.is_empty() { "-" } else { &c.key }, c.n))
            .collect::<Vec<_>>()
            .join(", ");
        let more = if s.by_outlet.len() > 4 { ", …" } else { "" };
        let dated: Vec<_> = s.by_month.iter().filter(|c| !c.key.is_empty()).collect();
        let months = match (dated.first(), dated.last()) {
            // First and last month quoted, and in how many months (not a span's length).
            (Some(a), Some(b)) if a.key == b.key => a.key.clone(),
            (Some(a), Some(b)) => {
                format!("{}…{}, {} months with quotes", a.key, b.key, dated.len())
            }
            _ => "-".into(),
        };
        let mut name = sanitize_cell(&s.name);
        if let Some(x) = &s.external_id {
            name = format!("{name} [{}]", sanitize_cell(x));
        }
        out.push_str(&format!(
            "{}  {}  {}  {}  {}\n",
            fit(&s.id.to_string(), 6),
            fit(&s.quote_count.to_string(), 6),
            fit(&name, 28),
            fit(&sanitize_cell(&format!("{outlets}{more}")), 40),
            months
        ));
    }
    out
}

/// Speakers as JSON Lines, one [`SpeakerSummary`] per line (with all outlet and month counts).
pub fn speakers_to_jsonl(speakers: &[SpeakerSummary]) -> String {
    let mut out = String::new();
    for s in speakers {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "{}".into()));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_defused() {
        assert_eq!(
            sanitize_cell("a\x1b[31mb\nc\u{202E}d"),
            "a\u{FFFD}[31mb c\u{FFFD}d"
        );
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("ab", 4), "ab  ");
    }
}
