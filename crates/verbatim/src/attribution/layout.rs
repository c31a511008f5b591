//! Attributions made by the page layout rather than by a verb.
//!
//! News pages attribute some remarks with typography the taggers never see as a cue:
//!
//! - a **dash byline** after a quotation: `“We can build a wall around him.” ― Steve Quinlan`
//!   (vox-pop lists, epigraphs), or on its own line under a quoted paragraph (`- Sanders.`);
//! - **speaker labels** of a transcript printed in an article: `PENCE: Well, look, …`, where
//!   the following paragraphs opened with a quotation mark continue the same turn;
//! - a **headline** of the form `Cruz: Trump Would Put Liberals On Court`.
//!
//! PolNeAR annotates all three as attributions whose cue is the dash or the colon. They are
//! found here by line patterns over the raw text, precise by construction (each pattern asks
//! for a name-like source and a clear content), and take precedence over what the taggers
//! make of the same lines.

use crate::text::Span;

/// One layout attribution, as byte spans of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutQuote {
    /// The name.
    pub source: Span,
    /// The dash or colon.
    pub cue: Span,
    /// The remark; several spans for a transcript turn over several paragraphs.
    pub content: Vec<Span>,
    /// Which convention found it.
    pub pattern: Pattern,
}

/// The conventions recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// `“…” ― Name`, or a `- Name.` line under a quoted paragraph.
    DashByline,
    /// `NAME: text` lines of a transcript.
    SpeakerLabel,
    /// `Name: claim` as the first line.
    Headline,
}

/// Roles before a speaker's name in brackets: "PRESENTER (GORDON BLAIR):".
const ROLE_LABELS: [&str; 14] = [
    "ANCHOR",
    "CALLER",
    "CHAIR",
    "CHAIRMAN",
    "CORRESPONDENT",
    "GUEST",
    "HOST",
    "INTERVIEWER",
    "JUDGE",
    "MODERATOR",
    "NARRATOR",
    "PRESENTER",
    "QUESTIONER",
    "REPORTER",
];

/// Labels that head a line with a colon but name no speaker.
const NOT_SPEAKERS: [&str; 29] = [
    "ADVERTISEMENT",
    "ALSO READ",
    "BREAKING",
    "BYLINE",
    "CLICK HERE",
    "CORRECTION",
    "DATELINE",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "EXCLUSIVE",
    "FULL TRANSCRIPT",
    "GRAPHIC",
    "HIGHLIGHT",
    "LANGUAGE",
    "LENGTH",
    "LIVE",
    "LOAD-DATE",
    "NOTE",
    "PHOTO",
    "PUBLICATION-TYPE",
    "READ MORE",
    "RELATED",
    "SECTION",
    "SOURCE",
    "TRANSCRIPT",
    "UPDATE",
    "UPDATED",
    "VIDEO",
    "WATCH",
];

/// Headline kickers that are not speakers ("The Latest: …").
const KICKERS: [&str; 14] = [
    "analysis",
    "breaking",
    "breaking news",
    "exclusive",
    "fact check",
    "first draft",
    "live",
    "opinion",
    "the fix",
    "the latest",
    "update",
    "video",
    "watch",
    "wow",
];

/// Every layout attribution in `text`, in text order.
pub fn find(text: &str) -> Vec<LayoutQuote> {
    let lines = lines(text);
    let mut out = Vec::new();
    if let Some(q) = headline(text, &lines) {
        out.push(q);
    }
    speaker_labels(text, &lines, &mut out);
    dash_bylines(text, &lines, &mut out);
    out.sort_by_key(|q| q.content[0].start);
    out
}

/// Byte ranges of the lines (without the newline).
fn lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            out.push(Span::new(start, i));
            start = i + 1;
        }
    }
    out.push(Span::new(start, text.len()));
    out
}

fn is_open_mark(c: char) -> bool {
    // ” opens too: some pages print every quotation with closing marks.
    matches!(c, '"' | '“' | '”')
}

fn is_close_mark(c: char) -> bool {
    matches!(c, '"' | '”' | '“')
}

fn is_dash(c: char) -> bool {
    matches!(c, '―' | '—' | '–' | '-')
}

/// `span` without leading and trailing white space (no-break spaces included).
fn trim(text: &str, span: Span) -> Span {
    let s = &text[span.start..span.end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.end - trail)
}

/// The length in bytes of a personal or organisation name at the start of `s`: one to six
/// capitalised words ("Edwin G. Monroy", "Julie A. Diaz Martinez", "Azucena Gonzàlez"), with
/// the name particles of Romance and Germanic names, and a trailing `(@handle)`. A final
/// full stop that ends the line is not part of the name.
fn name_len(s: &str) -> Option<usize> {
    let mut end = 0;
    let mut words = 0;
    let mut rest = s;
    loop {
        let word_len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '-')))
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..word_len];
        let Some(first) = word.chars().next() else {
            break;
        };
        let particle = matches!(word, "de" | "la" | "van" | "von" | "del" | "da" | "bin");
        if !(first.is_uppercase() || (particle && words > 0)) {
            break;
        }
        words += 1;
        end = s.len() - rest.len() + word_len;
        if words > 6 {
            return None;
        }
        rest = &rest[word_len..];
        let sep = rest.chars().next().filter(|&c| c == ' ' || c == '\u{a0}');
        match sep {
            Some(c) => rest = &rest[c.len_utf8()..],
            None => break,
        }
    }
    if words == 0 {
        return None;
    }
    // "(@handle)" after the name.
    let after = &s[end..];
    let handle = after.trim_start_matches([' ', '\u{a0}']);
    if let Some(h) = handle.strip_prefix("(@") {
        if let Some(close) = h.find(')') {
            if h[..close].chars().all(|c| c.is_alphanumeric() || c == '_') {
                end += after.len() - handle.len() + 2 + close + 1;
            }
        }
    }
    let name = &s[..end];
    // "Carla Sanchez." ends a line: the stop is punctuation. Keep initials ("G.").
    if let Some(stripped) = name.strip_suffix('.') {
        let last = stripped.rsplit([' ', '\u{a0}']).next().unwrap_or("");
        if last.chars().count() > 1 {
            end -= 1;
        }
    }
    Some(end)
}

/// What may follow a byline name on its line: nothing, a full stop, or ", a role or place".
fn byline_tail_ok(tail: &str) -> bool {
    let t = tail.trim_start_matches(|c: char| c.is_whitespace());
    t.is_empty() || t == "." || t.starts_with(',') || (t.starts_with(". ") && t.len() < 60)
}

/// `“…” ― Name` on one line, and `- Name.` under a quoted paragraph.
fn dash_bylines(text: &str, lines: &[Span], out: &mut Vec<LayoutQuote>) {
    let mut previous: Option<Span> = None;
    for &line in lines {
        let l = trim(text, line);
        if l.start == l.end {
            continue;
        }
        let s = &text[l.start..l.end];
        if let Some(q) = same_line_byline(text, l) {
            out.push(q);
        } else if let (Some(first), Some(prev)) = (s.chars().next(), previous) {
            if is_dash(first) {
                let after = &s[first.len_utf8()..];
                let name_at = s.len() - after.trim_start().len();
                let quoted = quoted_paragraph(text, prev);
                if let (Some(n), Some(content)) = (name_len(&s[name_at..]), quoted) {
                    if byline_tail_ok(&s[name_at + n..]) && s.len() < 100 {
                        out.push(LayoutQuote {
                            source: Span::new(l.start + name_at, l.start + name_at + n),
                            cue: Span::new(l.start, l.start + first.len_utf8()),
                            content: vec![content],
                            pattern: Pattern::DashByline,
                        });
                    }
                }
            }
        }
        previous = Some(l);
    }
}

/// The quotation a trimmed line consists of (an opening mark first, a closing mark last,
/// maybe then a full stop), marks included.
fn quoted_paragraph(text: &str, l: Span) -> Option<Span> {
    let s = &text[l.start..l.end];
    let first = s.chars().next()?;
    let body = s.strip_suffix('.').unwrap_or(s);
    let last = body.chars().next_back()?;
    (is_open_mark(first) && is_close_mark(last) && body.len() > first.len_utf8() + 8)
        .then(|| Span::new(l.start, l.start + body.len()))
}

fn same_line_byline(text: &str, l: Span) -> Option<LayoutQuote> {
    let s = &text[l.start..l.end];
    if !s.starts_with(is_open_mark) {
        return None;
    }
    // The last dash of the line that follows a closing mark.
    for (i, c) in s.char_indices().rev() {
        if !is_dash(c) {
            continue;
        }
        let before = s[..i].trim_end();
        let after = &s[i + c.len_utf8()..];
        // A hyphen is a dash only between spaces ("… - Name").
        if c == '-' && (before.len() == i || !after.starts_with(char::is_whitespace)) {
            continue;
        }
        let close = before.chars().next_back().filter(|&m| is_close_mark(m))?;
        let name_at = s.len() - after.trim_start().len();
        let n = name_len(&s[name_at..])?;
        if !byline_tail_ok(&s[name_at + n..]) || before.len() <= close.len_utf8() + 8 {
            return None;
        }
        return Some(LayoutQuote {
            source: Span::new(l.start + name_at, l.start + name_at + n),
            cue: Span::new(l.start + i, l.start + i + c.len_utf8()),
            content: vec![Span::new(l.start, l.start + before.len())],
            pattern: Pattern::DashByline,
        });
    }
    None
}

/// A transcript label at the start of a trimmed line: upper-case words ("PENCE",
/// "KATE BOLDUAN", "MR. TRUMP") then `:` and text. Returns the label, colon and text spans
/// and whether the line opened with a quotation mark.
fn label_line(text: &str, l: Span) -> Option<(Span, Span, Span, bool)> {
    let s = &text[l.start..l.end];
    let mark = s.chars().next().filter(|&c| is_open_mark(c));
    let off = mark.map_or(0, char::len_utf8);
    let body = &s[off..];
    let colon = body.find(':')?;
    let mut label = &body[..colon];
    // "PRESENTER (GORDON BLAIR):": the name in brackets after a role; "GRAHAM (R-SC):",
    // "OBAMA (LAUGHS):": the name before a party or a stage direction.
    let mut label_off = 0;
    if let (Some(open), true) = (label.find(" ("), label.ends_with(')')) {
        if ROLE_LABELS.contains(&&label[..open]) {
            label_off = open + 2;
            label = &label[label_off..label.len() - 1];
        } else {
            label = &label[..open];
        }
    }
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let shape_ok = label
        .chars()
        .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
        && label.starts_with(char::is_uppercase)
        && !label.ends_with(' ')
        && label.split(' ').count() <= 4
        && label.len() <= 32;
    if letters < 2 || !shape_ok || NOT_SPEAKERS.contains(&label) {
        return None;
    }
    let rest = &body[colon + 1..];
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let said = trim(text, Span::new(l.start + off + colon + 1, l.end));
    // "Clinton: 2,316." is a tally, not a turn.
    if !text[said.start..said.end].chars().any(char::is_alphabetic) {
        return None;
    }
    let label = Span::new(
        l.start + off + label_off,
        l.start + off + label_off + label.len(),
    );
    let colon = Span::new(l.start + off + colon, l.start + off + colon + 1);
    Some((label, colon, said, mark.is_some()))
}

/// Turns of a transcript printed in the article. A lone label line is too weak a sign (a
/// "NOTE:" the list does not know), so at least two are needed.
fn speaker_labels(text: &str, lines: &[Span], out: &mut Vec<LayoutQuote>) {
    let mut turns: Vec<LayoutQuote> = Vec::new();
    let mut open_turn: Option<usize> = None;
    let filled: Vec<Span> = lines
        .iter()
        .map(|&line| trim(text, line))
        .filter(|l| l.start < l.end)
        .collect();
    for (n, &l) in filled.iter().enumerate() {
        // The first line is usually the headline (or a dateline, "NEW DELHI: …"), but a
        // transcript may start with its first turn: it counts when its speaker speaks again,
        // or when every line is a turn.
        let first_ok = |(label, _, _, _): &(Span, Span, Span, bool)| {
            n > 0 || {
                let mut rest = filled[1..].iter().map(|&l| label_line(text, l));
                let who = &text[label.start..label.end];
                let again = rest
                    .clone()
                    .flatten()
                    .any(|(other, _, _, _)| &text[other.start..other.end] == who);
                again || (filled.len() > 1 && rest.all(|t| t.is_some()))
            }
        };
        if let Some((label, colon, said, marked)) = label_line(text, l).filter(first_ok) {
            turns.push(LayoutQuote {
                source: label,
                cue: colon,
                content: vec![said],
                pattern: Pattern::SpeakerLabel,
            });
            open_turn = marked.then_some(turns.len() - 1);
            continue;
        }
        // A multi-paragraph quotation: each paragraph of the turn opens with a mark.
        let s = &text[l.start..l.end];
        match (open_turn, s.chars().next()) {
            (Some(t), Some(c)) if is_open_mark(c) => {
                let said = trim(text, Span::new(l.start + c.len_utf8(), l.end));
                if said.start < said.end {
                    turns[t].content.push(said);
                }
            }
            _ => open_turn = None,
        }
    }
    if turns.len() >= 2 {
        out.extend(turns);
    }
}

/// `Cruz: Trump Would Put Liberals On Court` as the first line: a short capitalised name
/// (one the article uses again, or a poll) before the colon, a statement after it.
fn headline(text: &str, lines: &[Span]) -> Option<LayoutQuote> {
    let l = trim(text, *lines.first()?);
    let s = &text[l.start..l.end];
    let colon = s.find(':')?;
    let who = s[..colon].trim_end();
    let words: Vec<&str> = who.split_whitespace().collect();
    let last = *words.last()?;
    let name_like = words.len() <= 4
        && words.iter().all(|w| w.starts_with(char::is_uppercase))
        && !who.chars().all(|c| !c.is_lowercase())
        && !who.contains("'s")
        && !who.contains("’s")
        && !KICKERS.contains(&who.to_lowercase().as_str());
    if !name_like || colon > 45 {
        return None;
    }
    let said_text = s[colon + 1..].trim();
    let said_text = said_text.strip_suffix('.').unwrap_or(said_text);
    if said_text.ends_with('?') || said_text.split_whitespace().count() < 2 {
        return None;
    }
    let body = &text[l.end..];
    let used_again = body
        .match_indices(last)
        .any(|(i, _)| !body[i + last.len()..].starts_with(char::is_alphanumeric));
    if !used_again && !matches!(last, "Poll" | "Survey" | "Report" | "Study") {
        return None;
    }
    let said_at = l.start + colon + 1 + (s[colon + 1..].len() - s[colon + 1..].trim_start().len());
    Some(LayoutQuote {
        source: Span::new(l.start, l.start + who.len()),
        cue: Span::new(l.start + colon, l.start + colon + 1),
        content: vec![Span::new(said_at, said_at + said_text.len())],
        pattern: Pattern::Headline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String, Vec<String>, Pattern)> {
        find(text)
            .into_iter()
            .map(|q| {
                (
                    q.source.slice(text).to_string(),
                    q.cue.slice(text).to_string(),
                    q.content
                        .iter()
                        .map(|c| c.slice(text).to_string())
                        .collect(),
                    q.pattern,
                )
            })
            .collect()
    }

    #[test]
    fn dash_byline_on_the_same_line() {
        let t = "Readers wrote in.\n“Maybe, we can build a wall around Donald Trump.” ―\u{a0}Steve Quinlan.\n“The most unqualified child to ever run.”― Francisco Herrero\n";
        let f = found(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].0, "Steve Quinlan");
        assert_eq!(f[0].1, "―");
        assert_eq!(
            f[0].2,
            ["“Maybe, we can build a wall around Donald Trump.”"]
        );
        assert_eq!(f[1].0, "Francisco Herrero");
    }

    #[test]
    fn dash_line_under_a_quoted_paragraph() {
        let t = "Fact check.\n\n\"Boeing and GE and other multinationals pay zero taxes.\"\n\n- Sanders.\n\nThis is a complex issue.\n\n\"Great speech. She's tested.\"\n\n-President Obama, tweeting after Clinton's speech.";
        let f = found(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].0, "Sanders");
        assert_eq!(f[0].1, "-");
        assert_eq!(
            f[0].2,
            ["\"Boeing and GE and other multinationals pay zero taxes.\""]
        );
        assert_eq!(f[1].0, "President Obama");
    }

    #[test]
    fn dashes_that_are_not_bylines() {
        // A dash inside a sentence, a hyphenated word, a dash line under unquoted text.
        let t = "Title\n\n“It was close” — and then it was not, he said.\n\nHe went on.\n\n- Sanders.\n\n“We will win - Trump said it all year long,” she said.";
        assert!(found(t).is_empty(), "{:?}", found(t));
    }

    #[test]
    fn transcript_turns_with_continuation_paragraphs() {
        let t = "Pence: Flowers Won’t Be at Debate.\n\nPartial transcript as follows:\n\n\"WALLACE: Let’s start with breaking news. Why would Trump do that?\n\n\"PENCE: Well, look, Hillary Clinton apparently thinks this is a show.\n\n\"But the truth is that Donald Trump has a unique way.\n\nThe interview ended there.";
        let f = found(t);
        let turns: Vec<_> = f.iter().filter(|q| q.3 == Pattern::SpeakerLabel).collect();
        assert_eq!(turns.len(), 2, "{f:?}");
        assert_eq!(turns[0].0, "WALLACE");
        assert_eq!(turns[0].1, ":");
        assert_eq!(
            turns[0].2,
            ["Let’s start with breaking news. Why would Trump do that?"]
        );
        assert_eq!(turns[1].0, "PENCE");
        assert_eq!(
            turns[1].2,
            [
                "Well, look, Hillary Clinton apparently thinks this is a show.",
                "But the truth is that Donald Trump has a unique way."
            ]
        );
    }

    #[test]
    fn a_transcript_may_start_with_its_first_turn() {
        let t = "OBAMA: Thank you all for coming.\n\nMEDVEDEV: Yes, I agree.";
        let f = found(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].0.as_str(), f[1].0.as_str()), ("OBAMA", "MEDVEDEV"));
        assert_eq!(f[0].2, ["Thank you all for coming."]);
        // A dateline and a kicker are not a transcript's turns.
        let t = "NEW DELHI: Prime Minister Narendra Modi on Monday said the economy was \
                 strong.\n\nHe spoke at a rally.\n\nALSO READ: Modi's full speech at the rally";
        assert!(found(t).is_empty(), "{:?}", found(t));
        let t = "WASHINGTON: The senator spoke first.\n\nHe was brief.\n\nSMITH: We will vote \
                 no.\n\nJONES: We will vote yes.";
        let f = found(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].0.as_str(), f[1].0.as_str()), ("SMITH", "JONES"));
        // A role with the name in brackets: the name is the source, the colon the cue; a name
        // with a party or a stage direction in brackets: the name.
        let t = "PRESENTER (GORDON BLAIR): Good morning.\n\nPRYCE: Good morning, Gordon.";
        let f = found(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].0.as_str(), f[0].1.as_str()), ("GORDON BLAIR", ":"));
        assert_eq!(f[0].2, ["Good morning."]);
        for (t, who) in [
            (
                "GRAHAM (R-SC): We must act.\n\nTAPPER: Thank you, Senator.",
                "GRAHAM",
            ),
            (
                "OBAMA (LAUGHS): Well, that is true.\n\nMEDVEDEV: Yes it is.",
                "OBAMA",
            ),
        ] {
            let f = found(t);
            assert_eq!(f.len(), 2, "{f:?}");
            assert_eq!((f[0].0.as_str(), f[0].1.as_str()), (who, ":"));
        }
        // A first speaker who speaks again is a turn.
        let t = "OBAMA: Thank you.\n\nHe smiled.\n\nMEDVEDEV: Yes.\n\nOBAMA: Good.";
        assert_eq!(found(t).len(), 3, "{:?}", found(t));
        // A headline in capitals with no turn after it is still not one.
        let t = "FIX IS IN: PBS Moderators Ignore Scandals.\n\nSo it goes.";
        assert!(found(t).is_empty(), "{:?}", found(t));
    }

    #[test]
    fn a_single_label_tallies_and_notes_are_not_turns() {
        let t = "Results\n\nNOTE: This story has been updated.\n\nTRUMP: We will win.\n\nClinton: 2,316.";
        assert!(found(t).is_empty(), "{:?}", found(t));
        let t = "Results\n\nUPDATE: corrected.\n\nSECTION: News\n\nCLINTON: 2,316.";
        assert!(found(t).is_empty(), "{:?}", found(t));
    }

    #[test]
    fn headline_with_a_speaker() {
        let t = "Cruz: Trump Would Put Liberals On Court.\n\nTexas Senator Ted Cruz argued on Sunday that…";
        let f = found(t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "Cruz");
        assert_eq!(f[0].2, ["Trump Would Put Liberals On Court"]);
        assert_eq!(f[0].3, Pattern::Headline);
        let poll = "Poll: Clinton and Sanders in dead heat.\n\nA new survey shows…";
        assert_eq!(found(poll)[0].0, "Poll");
    }

    #[test]
    fn headlines_without_a_speaker() {
        for t in [
            "The Latest: Hillary Clinton tells voters she’s with them.\n\nThe Latest on the race.",
            "Monday’s Morning Email: Putin’s Involvement.\n\nMonday’s email is here.",
            "Ted Cruz: Constitutional conservative or career politician?\n\nTed Cruz is…",
            "Big Win: AFL-CIO Holds Off.\n\nThe union said…",
            "FIX IS IN: PBS Moderators Ignore Scandals.\n\nSo…",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
    }

    #[test]
    fn names() {
        assert_eq!(name_len("Edwin G. Monroy"), Some(15));
        assert_eq!(name_len("Carla Sanchez."), Some(13));
        assert_eq!(name_len("Ben Jacobs (@Bencjacobs) Sept"), Some(24));
        assert_eq!(name_len("Maria de la Cruz, Texas"), Some(16));
        assert_eq!(name_len("and then"), None);
        assert_eq!(name_len(""), None);
    }
}
