use super::*;
use crate::Extractor;
use crate::Setting::*;

const ARTICLE: &str = include_str!("../../../../examples/obama-medvedev-open-mic.txt");

/// Extract with the real engine, then annotate: what the lead's wiring will do.
fn run(ex: &Extractor, doc: &str) -> Vec<Quote> {
    let text = Text::new(doc);
    let pos = ex.models().pos.tag_text(&text);
    let mut quotes = ex.extract_text(&text);
    let mentions = Mentions::with_quotes(&text, &pos, &quotes);
    annotate(&text, &pos, &mentions, &mut quotes);
    quotes
}

fn content(doc: &str, q: &Quote) -> String {
    q.content
        .iter()
        .map(|s| s.slice(doc))
        .collect::<Vec<_>>()
        .join(" … ")
}

fn dump(doc: &str, quotes: &[Quote]) -> String {
    quotes
        .iter()
        .map(|q| {
            format!(
                "  {:?} said {:?} to {:?} [{}]\n",
                q.speaker,
                content(doc, q),
                q.addressee,
                q.setting.as_str()
            )
        })
        .collect()
}

/// The quote whose content starts with `start` (quotation marks ignored).
fn find<'q>(doc: &str, quotes: &'q [Quote], start: &str) -> Option<&'q Quote> {
    // By the start of the content, or failing that anywhere in it: these tests are about
    // addressee and setting, not about where the extractor puts content boundaries.
    let norm = |s: &str| s.trim_start_matches(['"', '“', ' ']).to_string();
    let want = norm(start);
    quotes
        .iter()
        .find(|q| norm(&content(doc, q)).starts_with(&want))
        .or_else(|| quotes.iter().find(|q| content(doc, q).contains(&want)))
}

/// The article end to end: the ten remarks of `…expected.jsonl`, by the start of their
/// content, with their addressee and setting.
#[test]
fn example_article() {
    const EXPECTED: [(&str, Option<&str>, Setting); 10] = [
        (
            "he would have more \"flexibility\"",
            Some("Dmitry Medvedev"),
            Overheard,
        ),
        (
            "he would relay the message to Vladimir",
            Some("Barack Obama"),
            Overheard,
        ),
        (
            "playing down the importance of the remarks",
            None,
            Statement,
        ),
        ("\"Since 2012 is an election year", None, OnRecord),
        (
            "\"On all these issues, but particularly missile defence",
            Some("Dmitry Medvedev"),
            Overheard,
        ),
        (
            "\"Yeah, I understand. I understand your message",
            Some("Barack Obama"),
            Overheard,
        ),
        (
            "\"This is my last election.",
            Some("Dmitry Medvedev"),
            Overheard,
        ),
        (
            "\"I understand. I will transmit this information",
            Some("Barack Obama"),
            Overheard,
        ),
        ("\"Yo, Blair\"", Some("Tony Blair"), Overheard),
        (
            "the Israeli prime minister Benjamin Netanyahu as a \"liar\"",
            Some("Barack Obama"),
            Overheard,
        ),
    ];
    let ex = Extractor::new();
    let quotes = run(&ex, ARTICLE);
    let mut wrong = Vec::new();
    for (start, addressee, setting) in EXPECTED {
        match find(ARTICLE, &quotes, start) {
            None => wrong.push(format!("not extracted: {start}")),
            Some(q) => {
                if q.addressee.as_deref() != addressee {
                    wrong.push(format!(
                        "{start}: addressee {:?}, want {addressee:?}",
                        q.addressee
                    ));
                }
                // Rhodes's remark, right after the White House statement: either is right.
                let ok = q.setting == setting
                    || (start.starts_with("\"Since 2012") && q.setting == Statement);
                if !ok {
                    wrong.push(format!(
                        "{start}: setting {:?}, want {setting:?}",
                        q.setting
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}\n{}", dump(ARTICLE, &quotes));
}

/// Addressee and setting of the remark starting with `start` in `doc`.
fn check(ex: &Extractor, doc: &str, start: &str, addressee: Option<&str>, setting: Setting) {
    let quotes = run(ex, doc);
    let q = find(doc, &quotes, start)
        .unwrap_or_else(|| panic!("no remark {start:?} in {doc:?}:\n{}", dump(doc, &quotes)));
    assert_eq!(
        (q.addressee.as_deref(), q.setting),
        (addressee, setting),
        "{doc:?}:\n{}",
        dump(doc, &quotes)
    );
}

#[test]
fn told_x() {
    let ex = Extractor::new();
    // A named object; told to an individual says nothing about how it became public.
    check(
        &ex,
        "The committee chairman told Senator John McCain: \"Your time has expired.\"",
        "\"Your time",
        Some("John McCain"),
        Unknown,
    );
    // An organisation: on the record.
    check(
        &ex,
        "Jacinda Ardern told the BBC: \"We are a small country.\"",
        "\"We are a small",
        Some("BBC"),
        OnRecord,
    );
    // A name after "the" is no person's (and "Sun." at the end is no Sunday).
    check(
        &ex,
        "\"I could not believe it,\" Tanya Rees told The Sun.",
        "\"I could not",
        Some("Sun"),
        OnRecord,
    );
}

/// The cue tagger takes the colon after "told X" for a speaker label's; the cue moves to the
/// verb, and X is the addressee.
#[test]
fn told_x_colon() {
    let ex = Extractor::new();
    check(
        &ex,
        "Mr Trump told Marco Rubio: \"We will pay.\"",
        "\"We will pay",
        Some("Marco Rubio"),
        Unknown,
    );
    check(
        &ex,
        "Donald Trump was recorded on a hot mic telling Billy Bush: \"When you're a star, they \
         let you do it.\"",
        "\"When you",
        Some("Billy Bush"),
        Overheard,
    );
}

#[test]
fn told_role_noun() {
    let ex = Extractor::new();
    // No conversation is established ("arrived"): the role noun alone names the addressee.
    check(
        &ex,
        "US President Barack Obama and Russian President Dmitry Medvedev arrived in Seoul on \
         Monday.\n\nMr Obama told his Russian counterpart: \"We can solve this.\"",
        "\"We can solve",
        Some("Dmitry Medvedev"),
        Unknown,
    );
}

#[test]
fn told_with_no_named_person() {
    let ex = Extractor::new();
    // "reporters" is an audience, not a named addressee: null, and on the record.
    check(
        &ex,
        "\"We are not going to do that,\" Joe Biden told reporters.",
        "\"We are not",
        None,
        OnRecord,
    );
    // The place after the audience is not the addressee.
    check(
        &ex,
        "Joe Biden told reporters at the White House: \"We are not going to do that.\"",
        "\"We are not",
        None,
        OnRecord,
    );
    // An unnamed individual: null; "the court heard" is listening, not overhearing.
    check(
        &ex,
        "The court heard that Mark Jones told a colleague: \"I will finish him.\"",
        "\"I will finish",
        None,
        Unknown,
    );
}

#[test]
fn said_to_x() {
    let ex = Extractor::new();
    check(
        &ex,
        "\"It's just awfully good that someone with the temperament of Donald Trump is not in \
         charge of the law in our country,\" Hillary Clinton said to Donald Trump.",
        "\"It's just awfully",
        Some("Donald Trump"),
        Unknown,
    );
    // "is said to be": a report, not speech to anyone.
    check(
        &ex,
        "\"We will not back down,\" said Mr Johnson, who is said to be furious.",
        "\"We will not",
        None,
        OnRecord,
    );
    // Said to no one: "to cheers" names no party.
    check(
        &ex,
        "\"We will get Brexit done,\" Boris Johnson said to cheers from the crowd.",
        "\"We will get",
        None,
        OnRecord,
    );
}

#[test]
fn asked_x() {
    let ex = Extractor::new();
    check(
        &ex,
        "\"Why didn't you do it?\" Donald Trump asked Hillary Clinton during the debate.",
        "\"Why didn't",
        Some("Hillary Clinton"),
        OnRecord,
    );
    check(
        &ex,
        "Joe Biden asked Vladimir Putin whether he had \"a soul\".",
        "whether he had",
        Some("Vladimir Putin"),
        Unknown,
    );
    // "Asked about X" is not the cue of the remark, and X is no person.
    check(
        &ex,
        "Asked about the report, President Joe Biden said: \"I have not read it.\"",
        "\"I have not read",
        None,
        OnRecord,
    );
}

#[test]
fn x_was_told() {
    let ex = Extractor::new();
    check(
        &ex,
        "Senator John McCain was told by the chairman, Richard Burr, that his time had expired.",
        "that his time",
        Some("John McCain"),
        Unknown,
    );
}

#[test]
fn in_a_letter_to_x() {
    let ex = Extractor::new();
    check(
        &ex,
        "Nancy Pelosi wrote in a letter to Mitch McConnell that the American people \
         \"deserve answers\".",
        "that the American",
        Some("Mitch McConnell"),
        Statement,
    );
}

#[test]
fn while_talking_with_x() {
    let ex = Extractor::new();
    check(
        &ex,
        "While talking with Angela Merkel, Donald Trump said the deal was \"terrible\".",
        "the deal was",
        Some("Angela Merkel"),
        Unknown,
    );
    // After the conversation, the remark is to no one in particular.
    check(
        &ex,
        "After talking with Angela Merkel, Donald Trump said the deal was \"terrible\".",
        "the deal was",
        None,
        OnRecord,
    );
}

#[test]
fn interview() {
    let ex = Extractor::new();
    check(
        &ex,
        "Jeremy Corbyn said in an interview with the BBC that the vote was \"a disgrace\".",
        "that the vote",
        Some("BBC"),
        Interview,
    );
    check(
        &ex,
        "Donald Trump told Fox News in an interview that he would \"probably\" run again.",
        "that he would",
        Some("Fox News"),
        Interview,
    );
}

#[test]
fn vocatives() {
    let ex = Extractor::new();
    check(
        &ex,
        "\"Yo, Blair, how are you doing?\" George Bush said.",
        "\"Yo, Blair",
        Some("Blair"),
        OnRecord,
    );
    // A first name, resolved through the document.
    check(
        &ex,
        "Dmitry Medvedev arrived in Seoul on Monday. \"Dmitry, I understand your position,\" \
         Barack Obama said.",
        "\"Dmitry, I",
        Some("Dmitry Medvedev"),
        OnRecord,
    );
    check(
        &ex,
        "Dmitry Medvedev arrived in Seoul on Monday. \"We will solve this, Dmitry,\" Barack \
         Obama said.",
        "\"We will solve",
        Some("Dmitry Medvedev"),
        OnRecord,
    );
    // A subject with a parenthetical, and an apposition: no vocative.
    check(
        &ex,
        "\"Obama, I think, is wrong about this,\" Dmitry Medvedev said.",
        "\"Obama, I think",
        None,
        OnRecord,
    );
    check(
        &ex,
        "Dmitry Medvedev arrived in Seoul on Monday. \"I spoke to my friend, Dmitry Medvedev,\" \
         Barack Obama said.",
        "\"I spoke to",
        None,
        OnRecord,
    );
}

#[test]
fn reported_exchange() {
    let ex = Extractor::new();
    let doc = "Donald Trump told Barack Obama: \"It was a great honour.\" Barack Obama replied: \
               \"Thank you.\"";
    check(&ex, doc, "\"It was a great", Some("Barack Obama"), Unknown);
    check(&ex, doc, "\"Thank you.", Some("Donald Trump"), OnRecord);
    // "then said": the next turn, back to the previous speaker.
    let doc = "Donald Trump told Barack Obama: \"It was a great honour.\"\n\n\
               Barack Obama replied: \"Thank you.\"\n\n\
               Mr Trump then said: \"We will meet again soon.\"";
    check(&ex, doc, "\"We will meet", Some("Barack Obama"), OnRecord);
    // Two remarks in a row are not an exchange without a reply or a conversation.
    let doc = "Joe Biden said: \"We will act.\"\n\nBoris Johnson said: \"We agree with that.\"";
    check(&ex, doc, "\"We will act", None, OnRecord);
    check(&ex, doc, "\"We agree", None, OnRecord);
}

#[test]
fn established_conversation() {
    let ex = Extractor::new();
    check(
        &ex,
        "Joe Biden met Boris Johnson in Cornwall on Thursday. Mr Biden said the talks had been \
         \"very productive\".",
        "the talks had",
        Some("Boris Johnson"),
        OnRecord,
    );
    // An explicit public audience overrides the meeting.
    check(
        &ex,
        "Joe Biden met Boris Johnson in Cornwall on Thursday. Mr Biden told reporters the talks \
         had been \"very productive\".",
        "the talks had",
        None,
        OnRecord,
    );
}

#[test]
fn overheard_conversation_and_later_statement() {
    let ex = Extractor::new();
    let doc = "Macron remarks caught on microphone\n\n\
               Emmanuel Macron was overheard talking with Boris Johnson at the summit.\n\n\
               Mr Macron said the deal was \"a disaster\".\n\n\
               The Elysee Palace later said in a statement that the remarks were \"private\".";
    check(&ex, doc, "the deal was", Some("Boris Johnson"), Overheard);
    check(&ex, doc, "that the remarks", None, Statement);
}

/// A microphone left on, or one that picked the words up, is an overheard remark.
#[test]
fn microphone_still_on() {
    let ex = Extractor::new();
    for doc in [
        "Unaware that his microphone was still on, Mr Brown said the meeting had been \
         \"a disaster\".",
        "In comments picked up by a Sky News microphone, Mr Brown said the meeting had been \
         \"a disaster\".",
        "Apparently unaware of the microphones, Mr Brown said the meeting had been \
         \"a disaster\".",
    ] {
        check(&ex, doc, "the meeting had been", None, Overheard);
    }
    // Picking up a microphone is speaking into it.
    let doc = "Mr Brown picked up the microphone and told the crowd: \"We are going to win, \
               and win big.\"";
    check(&ex, doc, "\"We are going", None, OnRecord);
    // A microphone that was on for a speech is not evidence of anything.
    let doc = "Speaking into a microphone at the rally, Mr Brown said the meeting had been \
               \"a disaster\".";
    check(&ex, doc, "the meeting had been", None, OnRecord);
}

#[test]
fn posted_on_x() {
    let ex = Extractor::new();
    let doc = "Elon Musk said on X that the deal was \"dead\".";
    check(&ex, doc, "the deal was", None, SocialMedia);
    // Malcolm X is not a platform.
    let doc = "Malcolm X said the fight was \"far from over\".";
    check(&ex, doc, "the fight was", None, OnRecord);
}

#[test]
fn same_speaker_continuing() {
    let ex = Extractor::new();
    let doc =
        "Boris Johnson told Angela Merkel: \"We must act now.\" He added: \"There is no time \
               left.\"";
    check(
        &ex,
        doc,
        "\"There is no time",
        Some("Angela Merkel"),
        Unknown,
    );
    let doc = "Elon Musk tweeted: \"Twitter is the town square.\" He added: \"It must be free.\"";
    check(&ex, doc, "\"It must be free", None, SocialMedia);
}

#[test]
fn public_remark_ends_the_conversation() {
    let ex = Extractor::new();
    let doc = "Macron remarks caught on microphone\n\n\
               Emmanuel Macron was overheard talking with Boris Johnson at the summit.\n\n\
               Mr Macron said the deal was \"a disaster\".\n\n\
               Later, at a press conference, Mr Macron said the deal was \"workable\".\n\n\
               Mr Macron also said the talks would \"continue next month\".";
    check(
        &ex,
        doc,
        "the deal was \"a disaster",
        Some("Boris Johnson"),
        Overheard,
    );
    check(&ex, doc, "the deal was \"workable", None, OnRecord);
    check(&ex, doc, "the talks would", None, OnRecord);
}

#[test]
fn overheard_cues() {
    let ex = Extractor::new();
    check(
        &ex,
        "Boris Johnson was caught on a hot mic saying: \"It's vital that we work together.\"",
        "\"It's vital",
        None,
        Overheard,
    );
    check(
        &ex,
        "Barack Obama was heard saying: \"We are making progress.\"",
        "\"We are making",
        None,
        Overheard,
    );
    check(
        &ex,
        "Emmanuel Macron, in remarks overheard by reporters, said the plan was \"crazy\".",
        "the plan was",
        None,
        Overheard,
    );
}

#[test]
fn heard_as_listening_is_not_overheard() {
    let ex = Extractor::new();
    check(
        &ex,
        "Reporters heard Barack Obama say: \"We are making progress.\"",
        "\"We are making",
        None,
        OnRecord,
    );
}

#[test]
fn statements() {
    let ex = Extractor::new();
    check(
        &ex,
        "Boris Johnson said in a statement: \"We are disappointed by the decision.\"",
        "\"We are disappointed",
        None,
        Statement,
    );
}

#[test]
fn social_media() {
    let ex = Extractor::new();
    check(
        &ex,
        "Elon Musk tweeted: \"Twitter is the de facto public town square.\"",
        "\"Twitter is",
        None,
        SocialMedia,
    );
    check(
        &ex,
        "Theresa May wrote on Facebook: \"Our thoughts are with the victims.\"",
        "\"Our thoughts",
        None,
        SocialMedia,
    );
    // A platform named in passing is no evidence.
    check(
        &ex,
        "Elon Musk, who bought Twitter in 2022, said the company was \"losing money\".",
        "the company was",
        None,
        OnRecord,
    );
}

#[test]
fn on_record_and_unknown() {
    let ex = Extractor::new();
    check(
        &ex,
        "Speaking at a rally in Ohio, Donald Trump said the election was \"rigged\".",
        "the election was",
        None,
        OnRecord,
    );
    check(
        &ex,
        "\"We will win,\" said Senator Jane Smith.",
        "\"We will win",
        None,
        OnRecord,
    );
    check(
        &ex,
        "A senior official, speaking on condition of anonymity, said the talks had \"collapsed\".",
        "the talks had",
        None,
        Unknown,
    );
}

#[test]
fn no_panic_on_pieces_of_the_article() {
    let ex = Extractor::new();
    let cuts: Vec<usize> = ARTICLE.char_indices().map(|(i, _)| i).step_by(53).collect();
    for (n, &a) in cuts.iter().enumerate() {
        // Prefixes, suffixes and windows: quotations cut open, names cut in half.
        let b = cuts[(n + 7).min(cuts.len() - 1)];
        for piece in [&ARTICLE[..a], &ARTICLE[a..], &ARTICLE[a..b.max(a)]] {
            run(&ex, piece);
        }
    }
}

#[test]
fn no_panic_on_odd_input() {
    use crate::text::Span;
    let ex = Extractor::new();
    for doc in [
        "",
        " ",
        "\"",
        "\"Yo,\"",
        "told",
        "Mr Obama was heard",
        "“Hi, ”",
    ] {
        let q = run(&ex, doc);
        assert!(q.iter().all(|q| q.addressee.is_none() || !doc.is_empty()));
    }
    // Spans out of range or empty, no tags, an empty mention layer.
    let doc = "Mr Obama told Mr Medvedev: \"Yes.\"";
    let text = Text::new(doc);
    let mut quotes = ex.extract_text(&text);
    let mut odd = quotes[0].clone();
    odd.content = vec![Span::new(500, 900)];
    odd.source = vec![Span { start: 3, end: 1 }];
    odd.cue = vec![];
    quotes.push(odd.clone());
    odd.content.clear();
    quotes.push(odd);
    annotate(&text, &[], &Mentions::default(), &mut quotes);
    annotate(&text, &[], &Mentions::new(&text, &[]), &mut quotes);
    assert_eq!(quotes[1].setting, Unknown);
    assert_eq!(quotes[2].addressee, None);
}

/// A text without sentence ends is one sentence: each quote's frame keeps to the tokens near
/// its cue and source, so that frames (all alive at once) do not grow with the square of it.
#[test]
fn frames_of_one_endless_sentence_stay_near_their_cues() {
    let ex = Extractor::new();
    // (Not "told Medvedev that he said …": a "said" reported right after "told" is part of
    // what was told, and the first "told" would take the whole endless sentence.)
    let doc = "Obama told Medvedev that it was fine and then he said it was fine and ".repeat(600);
    let text = Text::new(&doc);
    assert_eq!(text.sentences.len(), 1);
    let pos = ex.models().pos.tag_text(&text);
    let quotes = ex.extract_text(&text);
    assert!(quotes.len() > 100, "{}", quotes.len());
    let mentions = Mentions::with_quotes(&text, &pos, &quotes);
    let mut cache = crate::forms::WordCache::new();
    let forms = cache.fresh(&text);
    let d = Doc::new(&text, &pos, &mentions, &forms);
    for q in &quotes {
        let info = Info::new(&d, q);
        let lo = info.source.iter().chain(info.cue.iter()).map(|r| r.start);
        let hi = info.source.iter().chain(info.cue.iter()).map(|r| r.end);
        let lo = lo.chain([info.anchor.start]).min().unwrap();
        let hi = hi.chain([info.anchor.end]).max().unwrap();
        assert!(
            info.frame.len() <= hi - lo + 2 * FRAME_REACH,
            "{} frame tokens for a quote at {lo}..{hi}",
            info.frame.len()
        );
        assert!(info
            .frame
            .iter()
            .all(|&k| k as usize + FRAME_REACH >= lo && (k as usize) < hi + FRAME_REACH));
    }
}

/// Telling a newspaper (or reporters) after an overheard aside is on the record, and the
/// speaker's next words continue that, not the aside.
#[test]
fn telling_a_newspaper_ends_the_overheard_conversation() {
    let ex = Extractor::new();
    let doc = "Deputy mayor Sheila Bright could be heard replying, \"Ron, the mic,\" before the \
               feed was cut.\n\n\
               Ms Bright later told the Brackenford Echo that she had tried to stop him. \"I could \
               see the red light was on,\" she said.";
    check(&ex, doc, "\"Ron, the mic", None, Overheard);
    check(
        &ex,
        doc,
        "that she had tried",
        Some("Brackenford Echo"),
        OnRecord,
    );
    check(
        &ex,
        doc,
        "\"I could see",
        Some("Brackenford Echo"),
        OnRecord,
    );
    let doc = "Mayor Ron Delacroix did not realise his microphone was still on when he told his \
               deputy that the residents were \"ungrateful\".\n\n\
               Mr Delacroix later told reporters that he regretted the remark.";
    check(&ex, doc, "the residents were", None, Overheard);
    check(&ex, doc, "he regretted", None, OnRecord);
}

/// Telling a newspaper makes a remark public only for a named source; a family is no
/// organisation; words of anonymity count near the cue, not about others in the sentence.
#[test]
fn told_an_outlet_anonymously_or_a_family() {
    let ex = Extractor::new();
    check(
        &ex,
        "A source close to the minister told The Sun that she would \"never resign.\"",
        "that she would",
        Some("Sun"),
        Unknown,
    );
    check(
        &ex,
        "Ms Bright was overheard telling an aide, \"We are finished.\" She then told the \
         Smiths, \"I said nothing.\"",
        "\"I said nothing",
        Some("Smiths"),
        Overheard,
    );
    check(
        &ex,
        "\"There's no question I'm getting special scrutiny,\" Ben Carson told CBS on Sunday, \
         saying that people -- unnamed -- \"are very threatened\" by his rise.",
        "\"There's no question",
        Some("CBS"),
        OnRecord,
    );
}
