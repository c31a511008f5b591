//! Tests of speaker resolution on real sentences.

use super::*;
use crate::attribution::{Kind, Quote, Setting};
use crate::text::OffsetMap;

/// A quote whose source is the byte span of `source` (its `nth` whole-word occurrence).
fn quote_at(text: &str, source: &str, nth: usize) -> Quote {
    let bounded = |&(i, _): &(usize, &str)| {
        let before = text[..i].chars().next_back();
        let after = text[i + source.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    };
    let start = text
        .match_indices(source)
        .filter(bounded)
        .nth(nth)
        .unwrap_or_else(|| panic!("{source:?} #{nth} not in text"))
        .0;
    Quote {
        kind: Kind::Indirect,
        source: vec![Span::new(start, start + source.len())],
        cue: Vec::new(),
        content: Vec::new(),
        speaker: None,
        addressee: None,
        setting: Setting::Unknown,
        confidence: 1.0,
    }
}

/// Resolve the given sources (text, occurrence) in `text` and return the speakers.
fn speakers(text: &str, sources: &[(&str, usize)]) -> Vec<Option<String>> {
    let t = Text::new(text);
    let pos = vec![16u8; t.tokens.len()];
    let mut quotes: Vec<Quote> = sources.iter().map(|&(s, n)| quote_at(text, s, n)).collect();
    resolve_speakers(&t, &pos, &mut quotes);
    quotes.into_iter().map(|q| q.speaker).collect()
}

fn one(text: &str, source: &str, nth: usize) -> Option<String> {
    speakers(text, &[(source, nth)]).pop().unwrap()
}

const EXAMPLE: &str = include_str!("../../../../examples/obama-medvedev-open-mic.txt");

/// The gold sources of the example (code point offsets, from the expected JSONL) and speakers.
const EXAMPLE_GOLD: &[(usize, usize, &str, &str)] = &[
    (189, 197, "Mr Obama", "Barack Obama"),
    (321, 332, "Mr Medvedev", "Dmitry Medvedev"),
    (434, 449, "The White House", "White House"),
    (
        744,
        787,
        "deputy national security adviser Ben Rhodes",
        "Ben Rhodes",
    ),
    (1101, 1109, "Mr Obama", "Barack Obama"),
    (1268, 1279, "Mr Medvedev", "Dmitry Medvedev"),
    (1368, 1376, "Mr Obama", "Barack Obama"),
    (1460, 1471, "Mr Medvedev", "Dmitry Medvedev"),
    (1782, 1789, "Mr Bush", "George Bush"),
    (1857, 1874, "President Sarkozy", "Sarkozy"),
];

#[test]
fn example_article_all_ten_speakers() {
    let map = OffsetMap::new(EXAMPLE);
    let t = Text::new(EXAMPLE);
    let pos = vec![16u8; t.tokens.len()];
    let mut quotes: Vec<Quote> = EXAMPLE_GOLD
        .iter()
        .map(|&(a, b, src, _)| {
            let span = Span::new(map.to_byte(a).unwrap(), map.to_byte(b).unwrap());
            assert_eq!(span.slice(EXAMPLE), src);
            let mut q = quote_at(EXAMPLE, src, 0);
            q.source = vec![span];
            q
        })
        .collect();
    resolve_speakers(&t, &pos, &mut quotes);
    for (q, gold) in quotes.iter().zip(EXAMPLE_GOLD) {
        assert_eq!(q.speaker.as_deref(), Some(gold.3), "source {:?}", gold.2);
    }
}

/// Resolve `phrase` (its `nth` occurrence) with [`Mentions::resolve_mention`], as addressee
/// resolution will.
fn mention(text: &str, phrase: &str, nth: usize) -> Option<String> {
    let t = Text::new(text);
    let m = Mentions::new(&t, &[]);
    let q = quote_at(text, phrase, nth);
    m.resolve_span(&t, q.source[0])
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn addressees_through_the_mention_layer() {
    assert_eq!(
        mention(EXAMPLE, "his Russian counterpart", 0),
        s("Dmitry Medvedev")
    );
    assert_eq!(mention(EXAMPLE, "Mr Obama", 4), s("Barack Obama"));
    assert_eq!(mention(EXAMPLE, "Blair", 1), s("Tony Blair"));
    assert_eq!(
        mention(EXAMPLE, "Benjamin Netanyahu", 0),
        s("Benjamin Netanyahu")
    );
    // The headline comes before the full names: linked forward.
    assert_eq!(mention(EXAMPLE, "Medvedev", 0), s("Dmitry Medvedev"));
    assert_eq!(mention(EXAMPLE, "Vladimir", 0), s("Vladimir Putin"));
}

#[test]
fn titles_roles_and_descriptors_are_stripped() {
    let t = "Russian President Dmitry Medvedev met Secretary of State John Kerry on Monday. \
             \"We talked,\" said Texas Sen. Ted Cruz. Retired Lt. Gen. Michael Flynn agreed. \
             British Prime Minister Theresa May spoke later. Sen. David Perdue (R-Ga.) did not.";
    assert_eq!(
        one(t, "Russian President Dmitry Medvedev", 0),
        s("Dmitry Medvedev")
    );
    assert_eq!(one(t, "Secretary of State John Kerry", 0), s("John Kerry"));
    assert_eq!(one(t, "Texas Sen. Ted Cruz", 0), s("Ted Cruz"));
    assert_eq!(
        one(t, "Retired Lt. Gen. Michael Flynn", 0),
        s("Michael Flynn")
    );
    assert_eq!(
        one(t, "British Prime Minister Theresa May", 0),
        s("Theresa May")
    );
    assert_eq!(one(t, "Sen. David Perdue (R-Ga.)", 0), s("David Perdue"));
}

#[test]
fn honorifics_are_dropped_in_short_paragraphs_too() {
    // Short paragraphs with no long lower-case word read like headlines; an honorific still
    // starts a name there, so the speaker is the name without it.
    let t = "Mr Hague said: \"Look, Tony. We have to act.\"\n\nMrs Kemp said: \"We will act.\"\n\n\
             Mr Blair told reporters: \"We agree with the plan.\"";
    assert_eq!(
        speakers(t, &[("Mr Hague", 0), ("Mrs Kemp", 0), ("Mr Blair", 0)]),
        [s("Hague"), s("Kemp"), s("Blair")]
    );
}

#[test]
fn subjects_keep_their_whole_name_and_nothing_else() {
    // A time adverb between the subject and its verb is no part of the name.
    let t = "Zenith Labs yesterday announced it had raised $40 million. Mr Obama also said so.";
    assert_eq!(one(t, "Zenith Labs yesterday", 0), s("Zenith Labs"));
    assert_eq!(one(t, "Mr Obama also", 0), s("Obama"));
    let t = "A CNN tally said Trump led. The 2013 FOIA reply said otherwise.";
    assert_eq!(one(t, "A CNN tally", 0), s("CNN tally"));
    assert_eq!(one(t, "The 2013 FOIA reply", 0), s("2013 FOIA reply"));
    let t = "Guidelines recently issued by the Obama administration said so.";
    assert_eq!(
        one(
            t,
            "Guidelines recently issued by the Obama administration",
            0
        ),
        s("Guidelines recently issued by the Obama administration")
    );
    // "Downing Street": an -ing word before a place head starts the name, while a sentence
    // opening with a verb in -ing does not.
    let t = "Downing Street said the prime minister had full confidence in him. Speaking \
             Tuesday, Smith agreed.";
    assert_eq!(one(t, "Downing Street", 0), s("Downing Street"));
    assert_eq!(one(t, "Speaking Tuesday, Smith", 0), s("Smith"));
    // A first name with diacritics is a first name ("José" is "Jose" in the list), not a
    // descriptor to drop before the next common first name.
    let t = "Mr Rajoy met José Luis Zapatero in Madrid. José Luis Zapatero said the deal was \
             fragile.";
    assert_eq!(one(t, "José Luis Zapatero", 1), s("José Luis Zapatero"));
}

#[test]
fn a_rare_first_name_in_a_headline_like_paragraph_is_kept() {
    // A paragraph of capitals and short words reads like a headline, where a capital needs
    // evidence: a listed first name (however rare) before a surname the body uses is a name.
    let t = "Dmitry Rogozin met Barack Obama in Seoul.\n\nMr Rogozin said Russia wanted \
             \"guarantees\".";
    assert_eq!(one(t, "Mr Rogozin", 0), s("Dmitry Rogozin"));
}

#[test]
fn appositives_possessives_and_relatives() {
    let t = "Michael Oppenheimer, a professor of geosciences at Princeton University, said the \
             plan was weak. Another critic, Laurence H. Tribe, disagreed. Former Pennsylvania \
             Gov. Ed Rendell spoke too. Rendell, who backs Mrs. Clinton, said so. Hillary \
             Clinton's campaign manager Robby Mook said nothing. Mrs. Clinton's aides did.";
    assert_eq!(
        one(
            t,
            "Michael Oppenheimer, a professor of geosciences at Princeton University,",
            0
        ),
        s("Michael Oppenheimer")
    );
    assert_eq!(
        one(t, "Another critic, Laurence H. Tribe,", 0),
        s("Laurence H. Tribe")
    );
    assert_eq!(one(t, "who", 0), s("Ed Rendell"));
    assert_eq!(
        one(t, "Hillary Clinton's campaign manager Robby Mook", 0),
        s("Robby Mook")
    );
    assert_eq!(one(t, "Mrs. Clinton's", 0), s("Hillary Clinton"));
    assert_eq!(one(t, "Mrs. Clinton's aides", 0), s("Mrs. Clinton's aides"));
}

/// A lead made of names and short words ("met", "pay") is not a title-case headline: its names
/// are found, and "Mr Biden" is Joe Biden. (It was lost whenever the reported words were short
/// too: "said they will pay", but not "said the talks will pay".)
/// Institutions named with "for" or "and" keep their whole name; two people stay two.
#[test]
fn institutions_with_for_and_and() {
    let doc = "Flood warning\n\nThe water rose overnight. The Department for Education said \
               schools would close. Shropshire Fire and Rescue Service said crews were ready. \
               Devon and Cornwall Police said roads were shut. The Center for American Progress \
               said it was worried. Obama and Clinton said nothing.";
    assert_eq!(
        one(doc, "The Department for Education", 0),
        s("Department for Education")
    );
    assert_eq!(
        one(doc, "Shropshire Fire and Rescue Service", 0),
        s("Shropshire Fire and Rescue Service")
    );
    assert_eq!(
        one(doc, "Devon and Cornwall Police", 0),
        s("Devon and Cornwall Police")
    );
    assert_eq!(
        one(doc, "The Center for American Progress", 0),
        s("Center for American Progress")
    );
    assert_eq!(one(doc, "Obama and Clinton", 0), s("Obama and Clinton"));
    let doc = "Talks\n\nThe senator met Politico's Michael Grunwald and Washington Post \
               reporters. Michael Grunwald said the talk went well.";
    assert_eq!(one(doc, "Michael Grunwald", 0), s("Michael Grunwald"));
}

/// A person whose surname is a place word ("Park", "Street") is still a she.
#[test]
fn a_place_word_surname_that_speaks() {
    let doc = "Reefs\n\nHelen Park said reefs were dying. She said the heat was to blame. \
               Ruth Street said the ward was full. She said staff were exhausted.";
    assert_eq!(one(doc, "She", 0), s("Helen Park"));
    assert_eq!(one(doc, "She", 1), s("Ruth Street"));
}

/// A statement, report or email speaks for whoever issued it.
#[test]
fn a_statement_from_x_is_x() {
    let doc = "Talks collapse\n\nA statement from Downing Street said the talks had failed. \
               A report by the Pentagon said so too. A report from the State Department's \
               inspector general disagreed.";
    assert_eq!(
        one(doc, "A statement from Downing Street", 0),
        s("Downing Street")
    );
    assert_eq!(one(doc, "A report by the Pentagon", 0), s("Pentagon"));
    // A possessor did not issue it.
    assert_ne!(
        one(
            doc,
            "A report from the State Department's inspector general",
            0
        ),
        s("State Department")
    );
}

/// "the West" is rarely a person, but "the Taoiseach" who speaks is.
#[test]
fn a_speaking_title_after_the_can_be_he() {
    let doc = "The Taoiseach said the budget was fair. He added that taxes would not rise.";
    assert_eq!(one(doc, "He", 0), s("Taoiseach"));
}

#[test]
fn a_name_heavy_lead_is_not_a_headline() {
    let doc = "Joe Biden met Boris Johnson in Cornwall on Thursday. Mr Biden said they will pay.";
    assert_eq!(one(doc, "Mr Biden", 0), s("Joe Biden"));
    let doc = "Barack Obama met Angela Merkel on Monday.\n\nMrs Merkel told Mr Obama that they \
               will pay.";
    assert_eq!(one(doc, "Mrs Merkel", 0), s("Angela Merkel"));
    assert_eq!(mention(doc, "Mr Obama", 0), s("Barack Obama"));
    // A title-case headline still is one: its capitals need evidence to be names.
    let doc = "Stealth Over Health: Hillary Clinton Was Headed to ER\n\nThe campaign said \
               nothing.\n\nMrs Clinton said she was fine.";
    assert_eq!(one(doc, "Mrs Clinton", 0), s("Hillary Clinton"));
}

#[test]
fn two_clintons_are_never_merged() {
    let t = "Hillary Clinton spoke in Ohio on Monday. Her husband, former President Bill \
             Clinton, campaigned in Florida. Mrs. Clinton said the economy was improving. \
             Mr. Clinton said it was not. Clinton later told reporters she was confident.";
    assert_eq!(one(t, "Mrs. Clinton", 0), s("Hillary Clinton"));
    assert_eq!(one(t, "Mr. Clinton", 0), s("Bill Clinton"));
    assert_eq!(one(t, "she", 0), s("Hillary Clinton"));
    let tt = Text::new(t);
    let m = Mentions::new(&tt, &[]);
    let clintons: Vec<&str> = m
        .entities()
        .iter()
        .filter(|e| e.name.ends_with("Clinton"))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(clintons, ["Hillary Clinton", "Bill Clinton"]);
    // A bare surname goes to the most recent full name when that was just the subject...
    let t2 = "Hillary Clinton spoke in Ohio. Bill Clinton said the race was close. Clinton \
              added that turnout mattered.";
    assert_eq!(one(t2, "Clinton", 2), s("Bill Clinton"));
    // ...but a passing mention does not take the surname from the main character.
    let t3 = "Sen. Ted Cruz endorsed Donald Trump on Friday. Cruz said he would vote for him. \
              Trump had mocked a photo of Heidi Cruz in March. The senator said he had moved \
              on. Later, Cruz said the decision was hard.";
    assert_eq!(one(t3, "Cruz", 3), s("Ted Cruz"));
    assert_eq!(one(t3, "The senator", 0), s("Ted Cruz"));
}

#[test]
fn pronouns_resolve_to_the_salient_compatible_person() {
    let t = "Sen. Elizabeth Warren questioned John Stumpf on Tuesday. \"You should resign,\" \
             she said. Stumpf said he was sorry. He did not resign.";
    assert_eq!(one(t, "she", 0), s("Elizabeth Warren"));
    assert_eq!(one(t, "he", 0), s("John Stumpf"));
    assert_eq!(one(t, "He", 0), s("John Stumpf"));
    // Across paragraphs, preferring the subject and the last speaker.
    let t = "Obama meets Medvedev\n\nMr Obama met Mr Medvedev in Seoul, according to US President \
         Barack Obama's aides.\n\n\"It went well,\" Mr Obama said.\n\nHe added that talks would \
         continue.";
    assert_eq!(one(t, "He", 0), s("Barack Obama"));
    // No antecedent: no speaker.
    assert_eq!(one("He said the plan would fail.", "He", 0), None);
    assert_eq!(one("\"It is over,\" she said.", "she", 0), None);
}

#[test]
fn he_and_she_take_people_not_places_or_organisations() {
    // A lone name after "the" is no person: "she" goes back to the woman named before.
    let t = "Catherine Ashton was upbeat. \"A deal is close,\" she told reporters.\n\n\
             Mr Lavrov disagreed. He said the West was \"moving the goalposts\".\n\n\
             She later added: \"Nobody should leave this table.\"";
    assert_eq!(one(t, "She", 0), s("Catherine Ashton"));
    let t = "The talks were hosted by John Kerry. Catherine Ashton said the West was weak. He \
             replied that this was not true.";
    assert_eq!(one(t, "He", 0), s("John Kerry"));
    // A name of unknown kind (an organisation?) right before does not outrank a woman the
    // text names for "she"; nor is it a speaker for coming after "said".
    for t in [
        "Hillary Clinton spoke first. Mr Lavrov said Hamas was weak. She replied that this was \
         not true.",
        "The talks were hosted by Hillary Clinton. Mr Lavrov said Hamas was weak. She replied \
         that this was not true.",
        "Hillary Clinton hosted the talks. Mr Lavrov arrived late. He said Hamas was weak. She \
         replied that this was not true.",
    ] {
        assert_eq!(one(t, "She", 0), s("Hillary Clinton"), "{t}");
    }
    let t = "Mr Lavrov said Hamas was weak. He left.";
    let tt = Text::new(t);
    let m = Mentions::new(&tt, &[]);
    let hamas = m
        .mentions()
        .iter()
        .find(|x| tt.word(x.tokens.start) == "Hamas");
    assert!(hamas.is_some_and(|x| !x.speaker), "{hamas:?}");
}

#[test]
fn they_and_it() {
    let t = "US President Barack Obama and Russian President Dmitry Medvedev met in Seoul. \
             Mr Obama and Mr Medvedev talked for an hour. They said the talks went well.";
    assert_eq!(one(t, "They", 0), s("Barack Obama and Dmitry Medvedev"));
    let t = "Senate Republicans blocked the bill on Tuesday. They said it cost too much.";
    assert_eq!(one(t, "They", 0), s("Republicans"));
    let t = "The Tax Policy Center published a study on Monday. It said taxes would rise.";
    assert_eq!(one(t, "It", 0), s("Tax Policy Center"));
    // "They" with nothing plural around stays unresolved.
    assert_eq!(one("Trump spoke. They said no.", "They", 0), None);
}

#[test]
fn role_nouns_name_the_most_recent_holder() {
    let t = "President Barack Obama spoke on Monday. Republican presidential nominee Donald \
             Trump answered. White House spokesman Josh Earnest said more. Vice President Joe \
             Biden agreed. The president said the economy was strong. The Republican nominee \
             disagreed. The spokesman declined to comment. The GOP nominee said more.";
    assert_eq!(one(t, "The president", 0), s("Barack Obama"));
    assert_eq!(one(t, "The Republican nominee", 0), s("Donald Trump"));
    assert_eq!(one(t, "The GOP nominee", 0), s("Donald Trump"));
    assert_eq!(one(t, "The spokesman", 0), s("Josh Earnest"));
    // Nobody named carries the role: the phrase itself, without its article.
    let t = "A White House spokesman said the president would travel. The senator objected.";
    assert_eq!(
        one(t, "A White House spokesman", 0),
        s("White House spokesman")
    );
    assert_eq!(one(t, "The senator", 0), s("senator"));
}

#[test]
fn a_role_noun_takes_the_title_of_its_holder_not_of_a_neighbour() {
    // The tagger may take the verb after a name for a noun ("Lavrov met"); the title phrase
    // of the next name still stops at it, and at the name before.
    let text = "German Foreign Minister Frank Steinmeier met John Kerry on Tuesday. \"There is \
                still a lot of work to do,\" the minister said.";
    let t = Text::new(text);
    let pos: Vec<u8> = (0..t.tokens.len())
        .map(|i| {
            if t.word(i) == "met" {
                words::upos::NOUN
            } else {
                16
            }
        })
        .collect();
    let mut q = vec![quote_at(text, "the minister", 0)];
    resolve_speakers(&t, &pos, &mut q);
    assert_eq!(q[0].speaker, s("Frank Steinmeier"));
}

#[test]
fn organisations_are_speakers_too() {
    let t = "The New York Times reported on Sunday that the deal was off. The newspaper said \
             officials had confirmed it. The Federal Bureau of Investigation (FBI) declined to \
             comment, and the New York Daily News said nothing. The FBI later said it had \
             reviewed the emails. The Trump campaign said it was pleased. The campaign added \
             that it would appeal.";
    assert_eq!(one(t, "The New York Times", 0), s("New York Times"));
    assert_eq!(one(t, "The newspaper", 0), s("New York Times"));
    assert_eq!(
        one(t, "the New York Daily News", 0),
        s("New York Daily News")
    );
    assert_eq!(one(t, "The FBI", 0), s("Federal Bureau of Investigation"));
    assert_eq!(one(t, "The Trump campaign", 0), s("Trump campaign"));
    assert_eq!(one(t, "The campaign", 0), s("Trump campaign"));
}

#[test]
fn coordinations_transcripts_and_quoted_first_person() {
    let t = "President Barack Obama and Hillary Clinton spoke. Later, Obama and Clinton \
             disagreed.\n\nPENCE: We will win.\n\nIndiana Gov. Mike Pence spoke first.";
    assert_eq!(
        one(t, "Obama and Clinton", 0),
        s("Barack Obama and Hillary Clinton")
    );
    assert_eq!(one(t, "PENCE", 0), s("Mike Pence"));
    // "I" inside a quotation: whoever the quotation is attributed to.
    let text = "\"I will win,\" said Senator Jane Smith.";
    let t = Text::new(text);
    let mut q = quote_at(text, "Senator Jane Smith", 0);
    q.content = vec![Span::new(0, 14)];
    let mut inner = quote_at(text, "I", 0);
    resolve_speakers(&t, &[], std::slice::from_mut(&mut q));
    assert_eq!(q.speaker, s("Jane Smith"));
    let mut both = vec![q.clone(), inner.clone()];
    resolve_speakers(&t, &[], &mut both);
    assert_eq!(both[1].speaker, s("Jane Smith"));
    inner.source.clear();
    resolve_speakers(&t, &[], std::slice::from_mut(&mut inner));
    assert_eq!(inner.speaker, None, "no source, no speaker");
}

#[test]
fn unknown_sources_keep_their_cleaned_text() {
    let t = "Business leaders and others, including several governors, objected. \
             A 2014 study by Loyola Law School found little fraud. Some experts (not all) \
             disagreed.";
    assert_eq!(
        one(
            t,
            "Business leaders and others, including several governors,",
            0
        ),
        s("Business leaders and others")
    );
    assert_eq!(
        one(t, "A 2014 study by Loyola Law School", 0),
        s("2014 study by Loyola Law School")
    );
    assert_eq!(one(t, "Some experts (not all)", 0), s("Some experts"));
    // Never an empty string, whatever the span.
    let tt = Text::new(t);
    let m = Mentions::new(&tt, &[]);
    for (a, b) in [(0, 0), (27, 28), (8, 9), (0, t.len())] {
        let got = m.resolve_span(&tt, Span::new(a, b));
        assert!(
            got.as_deref().is_none_or(|x| !x.trim().is_empty()),
            "{a}..{b}: {got:?}"
        );
    }
}

/// Print the mention layer of `text` (for debugging: `cargo test dump -- --ignored --nocapture`
/// with `DUMP_TEXT` set).
#[test]
#[ignore]
fn dump() {
    let text = std::env::var("DUMP_TEXT").unwrap_or_else(|_| EXAMPLE.to_string());
    let t = Text::new(&text);
    // With `DUMP_POS` set: the tags and quotes the extractor sees.
    let m = if std::env::var_os("DUMP_POS").is_some() {
        let ex = crate::Extractor::new();
        let pos = ex.models().pos.tag_text(&t);
        let quotes = ex.extract(&text);
        Mentions::with_quotes(&t, &pos, &quotes)
    } else {
        Mentions::new(&t, &[])
    };
    for (i, e) in m.entities().iter().enumerate() {
        eprintln!(
            "E{i} {:?} {:?} {:?} {:?}",
            e.name,
            e.kind,
            e.gender,
            e.roles.iter().map(|r| &*r.word).collect::<Vec<_>>()
        );
    }
    for x in m.mentions() {
        eprintln!(
            "{:?} {:?} -> E{} {:?} subj={} spk={} head={}",
            x.tokens,
            t.span_of(x.tokens.clone()).slice(&text),
            x.entity.0 as i64,
            x.form,
            x.subject,
            x.speaker,
            x.head
        );
    }
}

/// The example article repeated `n` times, a blank line between copies; and the byte offset of
/// each copy.
fn repeated_example(n: usize) -> (String, Vec<usize>) {
    let mut doc = String::new();
    let mut starts = Vec::new();
    for _ in 0..n {
        starts.push(doc.len());
        doc.push_str(EXAMPLE.trim_end());
        doc.push_str("\n\n");
    }
    (doc, starts)
}

/// A long document resolves each of its parts as the part alone: the example article repeated
/// 20 times gives every copy's sources (names, pronouns, role nouns, "I" in a quotation) the
/// same speakers, and every mention the same name, as the single article. Nothing that limits
/// look-ups to recent text may change an answer inside one article.
#[test]
fn a_long_document_resolves_like_its_parts() {
    let sources: Vec<(&str, usize)> = EXAMPLE_GOLD
        .iter()
        .map(|g| (g.2, 0))
        .chain([
            ("he", 0),
            ("he", 1),
            ("his Russian counterpart", 0),
            ("Mr Obama and Mr Medvedev", 0),
            ("they", 0),
            ("It", 0),
            ("I", 0),
            ("I", 2),
            ("The BBC", 0),
        ])
        .collect();
    // The gold sources by their exact spans, the rest by first occurrence.
    let map = OffsetMap::new(EXAMPLE);
    let mut spans: Vec<Span> = EXAMPLE_GOLD
        .iter()
        .map(|&(a, b, _, _)| Span::new(map.to_byte(a).unwrap(), map.to_byte(b).unwrap()))
        .collect();
    spans.extend(
        sources[EXAMPLE_GOLD.len()..]
            .iter()
            .map(|&(s, n)| quote_at(EXAMPLE, s, n).source[0]),
    );
    // The content of a source's quote: the quotation after it in its paragraph, if any
    // ("Mr Medvedev responded: \"Yeah, I understand...\"").
    let content = |s: &Span| -> Option<Span> {
        let end = EXAMPLE[s.end..]
            .find('\n')
            .map_or(EXAMPLE.len(), |e| s.end + e);
        let para = &EXAMPLE[s.end..end];
        let a = s.end + para.find('"')?;
        let b = a + 1 + EXAMPLE[a + 1..].find('"')?;
        Some(Span::new(a, b + 1))
    };
    let quotes_at = |offset: usize| -> Vec<Quote> {
        let shift = |s: Span| Span::new(s.start + offset, s.end + offset);
        spans
            .iter()
            .map(|s| {
                let mut q = quote_at(EXAMPLE, "Mr Obama", 0);
                q.source = vec![shift(*s)];
                q.content = content(s).map(shift).into_iter().collect();
                q
            })
            .collect()
    };
    let single_text = Text::new(EXAMPLE);
    let mut single = quotes_at(0);
    resolve_speakers(&single_text, &[], &mut single);
    for (q, g) in single.iter().zip(EXAMPLE_GOLD) {
        assert_eq!(q.speaker.as_deref(), Some(g.3));
    }
    // "I" in a quotation is its speaker.
    assert_eq!(
        single[sources.len() - 3].speaker.as_deref(),
        Some("Dmitry Medvedev")
    );
    assert_eq!(
        single[sources.len() - 2].speaker.as_deref(),
        Some("Barack Obama")
    );
    let single_m = Mentions::new(&single_text, &[]);
    let single_names: Vec<Option<String>> = single_m
        .mentions()
        .iter()
        .map(|m| single_m.resolve_mention(&single_text, m.tokens.clone()))
        .collect();

    let (doc, starts) = repeated_example(20);
    let t = Text::new(&doc);
    let mut all: Vec<Quote> = starts.iter().flat_map(|&o| quotes_at(o)).collect();
    resolve_speakers(&t, &[], &mut all);
    let m = Mentions::new(&t, &[]);
    for (k, &o) in starts.iter().enumerate() {
        let got = &all[k * spans.len()..(k + 1) * spans.len()];
        for ((g, s), src) in got.iter().zip(&single).zip(&sources) {
            assert_eq!(g.speaker, s.speaker, "copy {k}, source {src:?}");
        }
        // Every mention of the article, shifted to this copy.
        let shift = token_range(&t, Span::new(o, o + 1)).unwrap().start;
        for (x, name) in single_m.mentions().iter().zip(&single_names) {
            let r = x.tokens.start + shift..x.tokens.end + shift;
            assert_eq!(
                &m.resolve_mention(&t, r),
                name,
                "copy {k}, mention {:?}",
                x.tokens
                    .clone()
                    .map(|i| single_text.word(i))
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn an_age_description_finds_the_person_given_that_age() {
    let text = "Ruth Olsen, 52, and her neighbour Jim Ambrose, 47, watched the water rise.\n\n\
                \"I have never seen anything like it,\" the 47-year-old said.\n\n\
                \"It was worse in 1993,\" the 52-year-old said. The 30-year-old who ran the \
                shelter declined to comment.";
    assert_eq!(
        speakers(
            text,
            &[
                ("the 47-year-old", 0),
                ("the 52-year-old", 0),
                ("The 30-year-old", 0)
            ]
        ),
        [
            Some("Jim Ambrose".to_string()),
            Some("Ruth Olsen".to_string()),
            // Nobody was given that age: the phrase itself.
            Some("30-year-old".to_string()),
        ]
    );
    // An age given to someone unnamed is nobody's; a number that is no age is no age.
    let text = "Tom Hale said he hit a 67-year-old man with his car on Tuesday.\n\n\
                \"I never saw him coming,\" the 67-year-old said.";
    assert_eq!(
        speakers(text, &[("Tom Hale", 0), ("the 67-year-old", 0)]),
        [
            Some("Tom Hale".to_string()),
            Some("67-year-old".to_string())
        ]
    );
    let text = "Ann Ruiz, a 67-year-old teacher, voted early. Voters backed Tom Hale, 67 to 30, \
                in the runoff.\n\n\"It was close,\" the 67-year-old said.";
    assert_eq!(
        speakers(text, &[("the 67-year-old", 0)]),
        [Some("Ann Ruiz".to_string())]
    );
    let text = "The fire broke out at 67 Main Street. Gloria Ruiz, a 67-year-old teacher, \
                lives next door.\n\n\"The smoke was everywhere,\" the 67-year-old said.";
    assert_eq!(
        speakers(text, &[("the 67-year-old", 0)]),
        [Some("Gloria Ruiz".to_string())]
    );
    // An age the text never gave is an epithet for the person just named.
    let text = "Castlefield manager Steve Brannigan admitted his side had not played well.\n\n\
                \"We were nowhere near our best,\" the 51-year-old said.";
    assert_eq!(
        speakers(
            text,
            &[
                ("Castlefield manager Steve Brannigan", 0),
                ("the 51-year-old", 0)
            ]
        ),
        [
            Some("Steve Brannigan".to_string()),
            Some("Steve Brannigan".to_string())
        ]
    );
    // "the 67-year-old mayor, Tom Hale" gives the age before the name.
    let text = "The 67-year-old mayor, Tom Hale, defended the response on Monday. Critics were \
                unmoved.\n\n\"We did what we could,\" the 67-year-old said.";
    assert_eq!(
        speakers(text, &[("the 67-year-old", 0)]),
        [Some("Tom Hale".to_string())]
    );
}

#[test]
fn a_sentence_case_lead_keeps_its_surnames() {
    // A one-sentence first paragraph is read as a headline, where a capital needs evidence to
    // continue a name; in sentence case a capital after a first name is the surname.
    let text = "Ruth Olsen, 52, and her neighbour Jim Ambrose, 47, watched the water rise.\n\n\
                \"I have never seen anything like it,\" she said.\n\nThe river crested at noon.";
    assert_eq!(
        speakers(text, &[("she", 0)]),
        [Some("Ruth Olsen".to_string())]
    );
}

#[test]
fn she_is_not_the_town_she_was_born_in() {
    // "in Leeds": a lone name after "in" is a place; "the former nurse" is a person.
    let text = "Born in Leeds in 1937, the former nurse moved to Thornbury in the 1960s. It was \
                there, she later recalled, that she saw women returning with injuries.";
    assert_eq!(
        speakers(text, &[("she", 0)]),
        [Some("former nurse".to_string())]
    );
    // With no person before it, "she" is nobody rather than a town.
    let text = "Born in Leeds in 1937, she moved to Thornbury in the 1960s. It was there, she \
                later recalled, that she saw women returning with injuries.";
    assert_eq!(speakers(text, &[("she", 1)]), [None]);
}

#[test]
fn who_after_an_apposition_is_the_person_it_describes() {
    let text = "She was joined by Councillor Peter Langley, the leader of Northvale County \
                Council, who said an independent review would be published.";
    assert_eq!(
        speakers(text, &[("who", 0)]),
        [Some("Peter Langley".to_string())]
    );
    // Without the apposition the organisation stays.
    let text = "The review was ordered by Northvale County Council, which said it would be \
                published.";
    assert_eq!(
        speakers(text, &[("which", 0)]),
        [Some("Northvale County Council".to_string())]
    );
}

#[test]
fn mrs_is_not_the_man_of_that_surname() {
    // A woman's title never overrules a man's first name (his wife shares the surname); a
    // man's title still overrules a woman's name ("Mr. Graham" is Lindsey Graham).
    let text =
        "Founder Robert Patel, 81, opened the shop in 1974.\n\nMrs Patel said she was proud.";
    let got = speakers(text, &[("Mrs Patel", 0)]);
    assert_ne!(got, [Some("Robert Patel".to_string())]);
    let text = "Lindsey Graham spoke first.\n\nMr. Graham said he was proud.";
    assert_eq!(
        speakers(text, &[("Mr. Graham", 0)]),
        [Some("Lindsey Graham".to_string())]
    );
}

/// The speaker of the quote whose content starts with `start`, extracted with the real engine.
fn speaker_of(text: &str, start: &str) -> Option<String> {
    let quotes = crate::Extractor::new().extract(text);
    let q = quotes
        .iter()
        .find(|q| {
            q.content
                .first()
                .is_some_and(|c| c.slice(text).starts_with(start))
        })
        .unwrap_or_else(|| panic!("no quote {start:?} in {quotes:?}"));
    q.speaker.clone()
}

/// A name set off as an apposition, or followed by a relative clause or a party label, is
/// still the subject of its sentence, and the next "she said" is that person's.
#[test]
fn subjects_behind_appositions_relative_clauses_and_party_labels() {
    let cases = [
        (
            "Dr Mei Chen says the trend is real. Her mother, Anna Kowalski, says she was \
             horrified at first. \"Are you crazy?\" she says.",
            "\"Are you crazy",
            "Anna Kowalski",
        ),
        (
            "Manager Matt Taylor praised his side. Captain Jason McCarthy, who scored twice, was \
             pleased too. \"We were brilliant,\" he said.",
            "\"We were brilliant",
            "Jason McCarthy",
        ),
        (
            "Harpal Singh Tikait said the test would be implementation. His son, Gurpreet Singh \
             Tikait, who heads the youth wing, said farmers had lost faith. \"They get nothing \
             back,\" he said.",
            "\"They get nothing",
            "Gurpreet Singh Tikait",
        ),
        (
            "Donald Trump spoke in Ohio on Tuesday. Former Rep. Chris Shays (R-Conn.) was pro \
             John Kasich while the Ohio governor was in the running.\n\
             \"Hillary is my next choice. Not hard to figure out,\" he said.",
            "\"Hillary is my next",
            "Chris Shays",
        ),
    ];
    for (text, start, who) in cases {
        assert_eq!(speaker_of(text, start).as_deref(), Some(who), "{text}");
    }
    // Not the subject of the sentence: inside a relative clause, or a place after a comma.
    let text =
        "Dorothy Woods, whose husband, Ty Woods, was killed in Benghazi, spoke on Thursday. \
                \"I was disturbed,\" she said.";
    assert_eq!(
        speaker_of(text, "\"I was disturbed").as_deref(),
        Some("Dorothy Woods")
    );
    let text = "Paul Porter, a truck driver from Ava, Mo., who is a member of the union, favors \
                the rule. \"I have friends who get taken advantage of,\" he said.";
    assert_eq!(
        speaker_of(text, "\"I have friends").as_deref(),
        Some("Paul Porter")
    );
    let subject = |text: &str, name: &str| {
        let t = Text::new(text);
        let pos = crate::Extractor::new().models().pos.tag_text(&t);
        let m = Mentions::new(&t, &pos);
        m.mentions()
            .iter()
            .find(|x| t.span_of(x.tokens.clone()).slice(text) == name)
            .unwrap_or_else(|| panic!("no mention {name:?}"))
            .subject
    };
    assert!(!subject(text, "Mo."));
    assert!(subject(cases[3].0, "Chris Shays"));
}

/// A description set off by commas and then named: the name is the speaker.
#[test]
fn a_described_then_named_source_is_the_name() {
    let text = "That novelist, the crime writer Anders Vik, remembers the first meeting. Her \
                former colleague, the surgeon Professor Lewis Spitz, said she had \"hands like a \
                watchmaker\".";
    assert_eq!(speaker_of(text, "she had").as_deref(), Some("Lewis Spitz"));
    // Not a name after a preposition: "the man, in a room with Anders Vik," is still the man.
    assert_eq!(
        speakers(
            "The old man, in a room with Anders Vik, said it was late.",
            &[("The old man, in a room with Anders Vik,", 0)]
        ),
        [Some("old man".to_string())]
    );
}

/// Titles tell people who share a surname apart; letters after a name are not part of it; a
/// peer is known by title and name.
#[test]
fn titles_post_nominals_and_peers() {
    let pembridge = "His son, Dr Charles Pembridge, and daughter, Lucy Pembridge, oppose the \
                     sale. \"Dad always told us the hall would stay,\" Dr Pembridge said.";
    let radcliffe = "Opening the case, Simon Radcliffe KC told jurors that she had been \"left to \
                     deteriorate\". \"This was not a single mistake,\" Mr Radcliffe said.";
    let ashcombe = "Lord Ashcombe said: \"I have made no decision.\" His wife, Lady Ashcombe, \
                    said: \"We will sell.\"";
    for (text, start, who) in [
        (pembridge, "\"Dad always", "Charles Pembridge"),
        (radcliffe, "that she had", "Simon Radcliffe"),
        (radcliffe, "\"This was not", "Simon Radcliffe"),
        (
            "Jane Smith KC MP said the plan was flawed.",
            "the plan",
            "Jane Smith",
        ),
        (ashcombe, "\"I have made", "Lord Ashcombe"),
        (ashcombe, "\"We will sell", "Lady Ashcombe"),
    ] {
        assert_eq!(speaker_of(text, start).as_deref(), Some(who), "{text}");
    }
}

/// A transcript label in capitals is a name in ordinary case.
#[test]
fn names_in_capitals_are_title_cased() {
    let text = "PRESENTER (GORDON BLAIR): Good morning. With me is Alan Pryce.\n\nPRYCE: Good \
                morning, Gordon.\n\nBLAIR: That's not a blip, is it?";
    assert_eq!(
        speaker_of(text, "That's not").as_deref(),
        Some("Gordon Blair")
    );
    // Mc names keep their inner capital; capitals that do not start with a first name stay.
    let text = "JOHN MCCAIN: We will not retreat.\n\nJAKE TAPPER: Thank you.\n\nJOHN MCCAIN: \
                Thanks.";
    assert_eq!(speaker_of(text, "Thanks").as_deref(), Some("John McCain"));
    assert_eq!(
        speakers(
            "NEW YORK POLICE said it was ready.",
            &[("NEW YORK POLICE", 0)]
        ),
        [Some("NEW YORK POLICE".to_string())]
    );
}

/// "One resident" is someone new that a later "she" can mean; a subject set off by dashes is
/// still the subject.
#[test]
fn someone_new_and_dashes() {
    let text = "Neil Bradshaw insisted he would fight on. One resident told the BBC she had used \
                the pool for thirty years. \"It's not just a swimming pool,\" she said.";
    assert_eq!(
        speaker_of(text, "\"It's not just").as_deref(),
        Some("One resident")
    );
    // Not the pastor met before.
    let text = "Pastor Joseph Brown said the church was full. One pastor said he had made 150 \
                calls. \"Find your polling place,\" he tells parishioners.";
    assert_eq!(
        speaker_of(text, "\"Find your").as_deref(),
        Some("One pastor")
    );
    let text = "Jeb Bush picked Denver. Governor Chris Christie – a Dallas Cowboys fan – gave a \
                one word answer. \"Denver,\" he answered.";
    assert_eq!(
        speaker_of(text, "\"Denver").as_deref(),
        Some("Chris Christie")
    );
    let t = Text::new(text);
    let pos = crate::Extractor::new().models().pos.tag_text(&t);
    let m = Mentions::new(&t, &pos);
    let christie = m
        .mentions()
        .iter()
        .find(|x| t.span_of(x.tokens.clone()).slice(text) == "Chris Christie")
        .expect("a mention of Chris Christie");
    assert!(christie.subject, "{christie:?}");
}

/// A comma opening a sentence before a name (the role noun before it in the sentence before):
/// no arithmetic past the sentence start.
#[test]
fn an_apposition_comma_at_a_sentence_start() {
    for text in [
        "mother\n, Anna Kowalski, said \"we won.\"",
        "mother\n\n, Anna Kowalski, says \"we won.\"",
        ", Anna Kowalski, says \"we won.\"",
    ] {
        let quotes = crate::Extractor::new().extract(text);
        assert!(quotes.len() <= 1, "{quotes:?}");
    }
}

/// An organisation's name goes on over one place after its head.
#[test]
fn a_place_after_an_organisation_head_is_part_of_the_name() {
    assert_eq!(
        speakers(
            "Police Scotland said a man had died.",
            &[("Police Scotland", 0)]
        ),
        [Some("Police Scotland".to_string())]
    );
}

/// "…," the statement said: the statement's issuer, when a quote just before issued it.
#[test]
fn the_statement_is_its_issuers() {
    let text = "Mayor Victor Carstarphen said in a statement that the city had changed. \
                \"Residents deserve a government they can trust,\" the statement said.";
    assert_eq!(
        speaker_of(text, "\"Residents").as_deref(),
        Some("Victor Carstarphen")
    );
    // Saying something about a letter is not sending it.
    let text = "CBS News said that the letter was sent to his apartment on Thursday. The \
                letter warned that \"harm would come\" to his family.";
    assert_ne!(speaker_of(text, "that \"harm").as_deref(), Some("CBS News"));
}

/// "Her husband said" is the person introduced as "her husband, X" a few sentences before;
/// "his lawyer" is not her lawyer.
#[test]
fn a_relation_introduced_by_name() {
    let text = "Dr Helen Pembridge was cleared. Her husband, Dr Simon Pembridge, gave evidence. \
                Her husband said: \"That is a decision for Helen.\"";
    assert_eq!(
        speaker_of(text, "\"That is").as_deref(),
        Some("Simon Pembridge")
    );
    let text = "Helen Ross was cleared. Her lawyer, Tom Reed, spoke first. His lawyer said the \
                case was weak.";
    assert_ne!(speaker_of(text, "the case").as_deref(), Some("Tom Reed"));
}
