//! Speaker names: display forms of labels, matching a transcript's speaker with an article's,
//! and the transcript-level pass that settles names and addressees.

use super::{Format, Transcript};
use crate::lexicon;

/// The display form of a label's words: all-capital labels are title-cased (`PRESIDENT OBAMA`
/// → `President Obama`, `O'BRIEN` → `O'Brien`, `MCCAIN` → `McCain`, `SMITH-JONES` →
/// `Smith-Jones`); others keep their case. Whitespace is collapsed.
pub fn display_name(words: &[&str]) -> String {
    let shouting = words.iter().all(|w| !w.chars().any(char::is_lowercase));
    let mut out = String::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        if shouting {
            title_case(w, &mut out);
        } else {
            out.push_str(w);
        }
    }
    out
}

fn title_case(w: &str, out: &mut String) {
    let mut upper_next = true;
    let mut seen = 0usize;
    for c in w.chars() {
        if upper_next && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.extend(c.to_lowercase());
        }
        seen += 1;
        // McCain, MacDonald is ambiguous (Mack), so only Mc.
        if seen == 2 && w.len() > 3 && w.starts_with("MC") {
            upper_next = true;
        }
        if matches!(c, '-' | '\'' | '’' | '.') {
            upper_next = true;
        }
    }
}

/// The words of a name that identify the person: lower-cased, titles ("President", "Mr."),
/// articles, suffixes ("Jr.") and parentheticals dropped.
pub(crate) fn key_words(name: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => break,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .replace('’', "'")
        })
        .map(|w| match w.strip_suffix("'s") {
            Some(s) => s.to_string(),
            None => w,
        })
        .filter(|w| {
            !w.is_empty()
                && !lexicon::is_title(w)
                && !lexicon::is_title_abbreviation(w)
                && !matches!(w.as_str(), "the" | "jr" | "sr" | "ii" | "iii" | "iv")
        })
        .collect()
}

/// True when two names can be the same person: same surname (last identifying word) and, when
/// both give more, compatible first names (equal, or one an initial of the other). Titles are
/// ignored: "Barack Obama" = "OBAMA" = "President Obama" = "Mr. Obama"; "Barack Obama" ≠
/// "Michelle Obama".
pub fn same_speaker(a: &str, b: &str) -> bool {
    let (ka, kb) = (key_words(a), key_words(b));
    let (Some(la), Some(lb)) = (ka.last(), kb.last()) else {
        return false;
    };
    if la != lb {
        return false;
    }
    if ka.len() < 2 || kb.len() < 2 {
        return true;
    }
    let (fa, fb) = (&ka[0], &kb[0]);
    fa == fb
        || (fa.chars().count() == 1 && fb.starts_with(fa.as_str()))
        || (fb.chars().count() == 1 && fa.starts_with(fb.as_str()))
}

/// True for the interview roles `Q` and `A` (not names).
pub(crate) fn is_role(name: &str) -> bool {
    matches!(name, "Q" | "A")
}

/// True for a speaker that names no one: an interview role, "Speaker 2", "SPEAKER_01".
pub(crate) fn is_anonymous(name: &str) -> bool {
    is_role(name)
        || !key_words(name).iter().any(|w| {
            w.split('_')
                .next()
                .is_some_and(|p| p.chars().any(char::is_alphabetic) && p != "speaker")
        })
}

/// Settle names and addressees once all turns are read:
/// - a short name is replaced by the one fuller name of the same person in the transcript
///   (`OBAMA` → `President Barack Obama` when both label turns), as the article side resolves
///   "Mr Obama" to the fullest name it gives;
/// - Q&A: questions are addressed to the interviewee (or `A`), answers to the interviewer (or
///   `Q`);
/// - elsewhere, in each story with exactly two known speakers, each turn is addressed to the
///   other one. Otherwise the addressee stays unknown.
pub(crate) fn resolve(t: &mut Transcript) {
    use std::collections::HashMap;
    // Distinct names, their key words, grouped by surname: work per name, not per turn.
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for s in t.turns.iter().filter_map(|x| x.speaker.as_deref()) {
        if !index.contains_key(s) {
            index.insert(s.to_string(), names.len());
            names.push(s.to_string());
        }
    }
    let keys: Vec<Vec<String>> = names.iter().map(|n| key_words(n)).collect();
    let mut by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some(last) = k.last() {
            by_surname.entry(last.as_str()).or_default().push(i);
        }
    }
    let fullest: Vec<usize> = (0..names.len())
        .map(|i| {
            if is_role(&names[i]) {
                return i;
            }
            let Some(group) = keys[i].last().and_then(|l| by_surname.get(l.as_str())) else {
                return i;
            };
            let fuller: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&j| {
                    keys[j].len() > keys[i].len()
                        && same_speaker(&names[i], &names[j])
                        && keys[i].iter().all(|w| keys[j].contains(w))
                })
                .collect();
            // Two different fuller names (George Bush, Jeb Bush) leave it as written.
            match fuller
                .iter()
                .copied()
                .max_by_key(|&j| (keys[j].len(), std::cmp::Reverse(j)))
            {
                Some(best)
                    if fuller
                        .iter()
                        .all(|&j| keys[j].iter().all(|w| keys[best].contains(w))) =>
                {
                    best
                }
                _ => i,
            }
        })
        .collect();
    for turn in &mut t.turns {
        if let Some(&i) = turn.speaker.as_deref().and_then(|s| index.get(s)) {
            if fullest[i] != i {
                turn.speaker = Some(names[fullest[i]].clone());
            }
        }
    }
    let q = t.interviewer.clone().unwrap_or_else(|| "Q".to_string());
    let a = t.interviewee.clone().unwrap_or_else(|| "A".to_string());
    let mut stories: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, turn) in t.turns.iter().enumerate() {
        stories.entry(turn.story).or_default().push(k);
    }
    for members in stories.values() {
        // Parties: distinct people among this story's speakers (more than two: no addressees).
        let mut parties: Vec<&str> = Vec::new();
        for s in members
            .iter()
            .filter_map(|&k| t.turns[k].speaker.as_deref())
        {
            if !parties.iter().any(|p| *p == s || same_speaker(p, s)) {
                parties.push(s);
                if parties.len() > 2 {
                    break;
                }
            }
        }
        let parties: Vec<String> = parties.into_iter().map(str::to_string).collect();
        for &k in members {
            let turn = &mut t.turns[k];
            let role = turn.label.as_deref().map(|l| l.trim().to_ascii_uppercase());
            let qa = t.format == Format::QandA;
            turn.addressee = match role.as_deref() {
                Some("Q" | "QUESTION") if qa => Some(a.clone()),
                Some("A" | "ANSWER") if qa => Some(q.clone()),
                _ if parties.len() == 2 => match turn.speaker.as_deref() {
                    Some(me) if me == parties[0] || same_speaker(me, &parties[0]) => {
                        Some(parties[1].clone())
                    }
                    Some(_) => Some(parties[0].clone()),
                    None => None,
                },
                _ => None,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(display_name(&["PRESIDENT", "OBAMA"]), "President Obama");
        assert_eq!(display_name(&["MCCAIN"]), "McCain");
        assert_eq!(display_name(&["SMITH-JONES"]), "Smith-Jones");
        assert_eq!(display_name(&["Mr.", "Medvedev"]), "Mr. Medvedev");
        assert_eq!(display_name(&["DR."]), "Dr.");
    }

    #[test]
    fn speaker_matching() {
        assert!(same_speaker("Barack Obama", "OBAMA"));
        assert!(same_speaker("Barack Obama", "President Obama"));
        assert!(same_speaker("Dmitry Medvedev", "Mr. Medvedev"));
        assert!(same_speaker("George W. Bush", "G. Bush"));
        assert!(!same_speaker("Barack Obama", "Michelle Obama"));
        assert!(!same_speaker("Barack Obama", "Medvedev"));
        assert!(!same_speaker("President", "President"));
        assert!(!same_speaker("", "Obama"));
        assert!(is_anonymous("Speaker 2") && is_anonymous("Speaker_01") && is_anonymous("Q"));
        assert!(!is_anonymous("Obama") && !is_anonymous("President Barack Obama"));
    }
}
