//! Parser tests on real-looking files of every format, malformed files, the example
//! transcript, verification, a 100,000-word transcript and a no-panic sweep.

use super::*;
use crate::attribution::{Kind, Quote, Setting};

const ARTICLE: &str = include_str!("../../../../examples/obama-medvedev-open-mic.txt");
const DEMO: &str = include_str!("../../../../examples/obama-medvedev-transcript.txt");

/// (speaker, text) of each turn.
fn turns(t: &Transcript) -> Vec<(Option<&str>, &str)> {
    t.turns
        .iter()
        .map(|x| (x.speaker.as_deref(), x.text.as_str()))
        .collect()
}

/// Every span of every turn is on character boundaries of the source and its pieces read as
/// the turn's text.
fn check_spans(t: &Transcript) {
    for turn in &t.turns {
        assert!(!turn.pieces.is_empty());
        for p in turn.pieces.iter().chain(turn.label_span.iter()) {
            assert!(t.source.get(p.start..p.end).is_some(), "bad span {p:?}");
        }
        assert!(t
            .source
            .get(turn.text_span.start..turn.text_span.end)
            .is_some());
    }
}

#[test]
fn labelled_news_transcript() {
    // Conventions: title line before the header (preamble), `Setting:`/`Date:` header lines,
    // ALL-CAPS labels with a title, a `NAME, DESCRIPTION:` label, a parenthetical
    // `(through translator)`, a label alone on its line with the words below, continuation
    // lines and a second paragraph of one turn, a stage direction line, an UNIDENTIFIED label,
    // short labels resolved to the fuller name the transcript gives.
    let src = "\
OBAMA AND MEDVEDEV IN SEOUL
Setting: hot mic
Date: March 26, 2012

PRESIDENT BARACK OBAMA: On all these issues, but particularly missile defence,
this, this can be solved but it's important for him to give me space.

DMITRY MEDVEDEV, PRESIDENT OF RUSSIA (through translator):
Yeah, I understand. I understand your message about space.

Space for you.
[CROSSTALK]
OBAMA: This is my last election.
UNIDENTIFIED MALE: Mr. President, this way.
";
    let t = parse(src, None).unwrap();
    assert_eq!(t.format, Format::Labelled);
    assert_eq!(t.setting, Some(Setting::Overheard));
    assert_eq!(
        t.header[1],
        ("date".to_string(), "March 26, 2012".to_string())
    );
    assert_eq!(t.preamble.len(), 1);
    assert_eq!(
        turns(&t),
        [
            (
                Some("President Barack Obama"),
                "On all these issues, but particularly missile defence, this, this can be \
                 solved but it's important for him to give me space."
            ),
            (
                Some("Dmitry Medvedev"),
                "Yeah, I understand. I understand your message about space. Space for you."
            ),
            (Some("President Barack Obama"), "This is my last election."),
            (None, "Mr. President, this way."),
        ]
    );
    assert_eq!(t.turns[2].label.as_deref(), Some("OBAMA"));
    assert_eq!(t.slice(t.turns[2].label_span.unwrap()), "OBAMA");
    assert_eq!(t.turns[1].line, 8);
    assert_eq!(t.turns[1].end_line, 11);
    // Two known parties: each addresses the other; the unidentified voice addresses no one known.
    assert_eq!(t.turns[0].addressee.as_deref(), Some("Dmitry Medvedev"));
    assert_eq!(
        t.turns[1].addressee.as_deref(),
        Some("President Barack Obama")
    );
    assert_eq!(t.turns[3].addressee, None);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    check_spans(&t);
}

#[test]
fn labelled_automatic_transcripts_with_time_stamps() {
    // Conventions: Rev style `Name (mm:ss):` labels with the words on the next line, leading
    // `[hh:mm:ss]` and bare `hh:mm:ss` stamps before a label, `Speaker N` labels of speech
    // recognisers (anonymous: no speaker match is claimed), a line that merely starts with a
    // clock time ("10:30 …") kept as speech.
    let src = "\
Barack Obama (00:05):
This is my last election.
Dmitry Medvedev (00:09):
I understand.
[00:00:12] Speaker 1: Over here.
00:00:15 Speaker 2: One more.
10:30 is when we leave.
";
    let t = parse(src, None).unwrap();
    assert_eq!(
        turns(&t),
        [
            (Some("Barack Obama"), "This is my last election."),
            (Some("Dmitry Medvedev"), "I understand."),
            (Some("Speaker 1"), "Over here."),
            (Some("Speaker 2"), "One more. 10:30 is when we leave."),
        ]
    );
    let times: Vec<Option<u64>> = t.turns.iter().map(|x| x.start_ms).collect();
    assert_eq!(times, [Some(5000), Some(9000), Some(12_000), Some(15_000)]);
    assert_eq!(t.turns[2].label.as_deref(), Some("Speaker 1"));
    let v = Verifier::new(&t).check("Over here", Kind::Direct, Some("Ben Rhodes"));
    assert_eq!((v.verdict, v.speaker_matches), (Verdict::Verbatim, None));
    check_spans(&t);
}

#[test]
fn qa_interview_with_named_parties() {
    // Conventions: `Interviewer:`/`Interviewee:` header naming both sides, `Q:` and `A:`
    // markers, `Q.`/`A.` markers, an answer running over several lines, an answer's second
    // paragraph.
    let src = "\
Interviewer: Jane Doe
Interviewee: Dmitry Medvedev

Q: Mr. President, what did you tell President Obama?
A: I said I understand.
I will transmit this information to Vladimir.

That is all.
Q. And his answer?
A. He said he would have more flexibility.
";
    let t = parse(src, None).unwrap();
    assert_eq!(t.format, Format::QandA);
    assert_eq!(t.interviewer.as_deref(), Some("Jane Doe"));
    assert_eq!(
        turns(&t),
        [
            (
                Some("Jane Doe"),
                "Mr. President, what did you tell President Obama?"
            ),
            (
                Some("Dmitry Medvedev"),
                "I said I understand. I will transmit this information to Vladimir. That is all."
            ),
            (Some("Jane Doe"), "And his answer?"),
            (
                Some("Dmitry Medvedev"),
                "He said he would have more flexibility."
            ),
        ]
    );
    assert_eq!(t.turns[0].addressee.as_deref(), Some("Dmitry Medvedev"));
    assert_eq!(t.turns[1].addressee.as_deref(), Some("Jane Doe"));
    assert_eq!(t.turns[2].label.as_deref(), Some("Q"));
    assert_eq!(t.effective_setting(), Setting::Interview);
    check_spans(&t);
}

#[test]
fn qa_with_a_newspaper_interview_title() {
    // "Interview: NAME on TOPIC" names who answers; the line of introduction is not a turn.
    let src = "\
Interview: Angela Merkel on refugees

The German chancellor spoke to our correspondent in Berlin.

Q: Chancellor, do you regret opening the borders?

A: No. I would make the same decision again.
";
    let t = parse(src, None).unwrap();
    assert_eq!(t.format, Format::QandA);
    assert_eq!(t.interviewee.as_deref(), Some("Angela Merkel"));
    assert_eq!(
        turns(&t),
        [
            (Some("Q"), "Chancellor, do you regret opening the borders?"),
            (
                Some("Angela Merkel"),
                "No. I would make the same decision again."
            ),
        ]
    );
    check_spans(&t);
    // A title that names no person names no one, nor does a headline in title case.
    for title in [
        "on the refugee crisis",
        "Merkel Defends Refugee Policy",
        "Full Transcript",
    ] {
        let src = format!("Interview: {title}\n\nQ: Why?\nA: Because.\n");
        assert_eq!(parse(&src, None).unwrap().interviewee, None, "{title}");
    }
}

#[test]
fn qa_press_briefing_roles_only() {
    // Conventions: no names in a header, so the roles `Q` and `A`; White House style `Q`
    // followed by spaces; `QUESTION:`/`ANSWER:`; a bracketed `[Laughter.]` direction.
    let src = "\
Q    Thank you. Will the talks go on?
A: They will.
[Laughter.]
QUESTION: When?
ANSWER: Soon.
";
    let t = parse(src, Some(Format::QandA)).unwrap();
    assert_eq!(
        turns(&t),
        [
            (Some("Q"), "Thank you. Will the talks go on?"),
            (Some("A"), "They will."),
            (Some("Q"), "When?"),
            (Some("A"), "Soon."),
        ]
    );
    assert_eq!(t.turns[0].addressee.as_deref(), Some("A"));
    assert_eq!(t.turns[1].addressee.as_deref(), Some("Q"));
    check_spans(&t);
}

#[test]
fn closed_captions() {
    // Conventions: ALL-CAPS caption text beginning mid-remark (unknown speaker), `>> NAME:`
    // named changes, a bare `>>` (unknown speaker), a `>>` in the middle of a line, `>>>`
    // starting a new story, line-wrapped captions continuing a turn.
    let src = "\
AND THE PRESIDENT WAS THERE.
>> OBAMA: THIS IS MY LAST
ELECTION. AFTER MY ELECTION I HAVE
MORE FLEXIBILITY.
>> MEDVEDEV: I UNDERSTAND. >> THANK YOU.
>>> IN OTHER NEWS TONIGHT,
>> BLITZER: THE STORM IS COMING.
";
    let t = parse(src, None).unwrap();
    assert_eq!(t.format, Format::Captions);
    assert_eq!(
        turns(&t),
        [
            (None, "AND THE PRESIDENT WAS THERE."),
            (
                Some("Obama"),
                "THIS IS MY LAST ELECTION. AFTER MY ELECTION I HAVE MORE FLEXIBILITY."
            ),
            (Some("Medvedev"), "I UNDERSTAND."),
            (None, "THANK YOU."),
            (None, "IN OTHER NEWS TONIGHT,"),
            (Some("Blitzer"), "THE STORM IS COMING."),
        ]
    );
    let stories: Vec<usize> = t.turns.iter().map(|x| x.story).collect();
    assert_eq!(stories, [0, 0, 0, 0, 1, 1]);
    // Story 0 has two known speakers; story 1 has one.
    assert_eq!(t.turns[1].addressee.as_deref(), Some("Medvedev"));
    assert_eq!(t.turns[5].addressee, None);
    check_spans(&t);
}

#[test]
fn srt_subtitles() {
    // Conventions: numbered blocks, `hh:mm:ss,mmm --> hh:mm:ss,mmm`, a speaker label inside
    // the text, an unlabelled block continuing (merging into) the turn, a second label of the
    // same speaker merging too, `<i>` italics and `{\an8}` stripped with honest spans, dialogue
    // dashes for two unknown speakers in one block, CRLF line ends, `.` as the millisecond
    // separator.
    let src = "1\r\n00:00:01,000 --> 00:00:03,500\r\nOBAMA: On all these issues,\r\n\r\n\
2\r\n00:00:03,600 --> 00:00:06,000\r\n<i>but particularly</i> missile defence,\r\n\r\n\
3\r\n00:00:06,100 --> 00:00:08,000\r\nOBAMA: this can be solved.\r\n\r\n\
4\r\n00:00:08.100 --> 00:00:10.000\r\n{\\an8}MEDVEDEV: I understand.\r\n\r\n\
5\r\n00:00:10,100 --> 00:00:12,000\r\n- Who is that?\r\n- The press.\r\n";
    let t = parse(src, None).unwrap();
    assert_eq!(t.format, Format::Srt);
    assert_eq!(
        turns(&t),
        [
            (
                Some("Obama"),
                "On all these issues, but particularly missile defence, this can be solved."
            ),
            (Some("Medvedev"), "I understand."),
            (None, "Who is that?"),
            (None, "The press."),
        ]
    );
    assert_eq!(
        (t.turns[0].start_ms, t.turns[0].end_ms),
        (Some(1000), Some(8000))
    );
    assert_eq!(
        (t.turns[1].start_ms, t.turns[1].end_ms),
        (Some(8100), Some(10_000))
    );
    assert_eq!(t.turns[0].line, 3);
    assert_eq!(t.slice(t.turns[0].pieces[1]), "but particularly");
    assert_eq!(t.turns[0].addressee.as_deref(), Some("Medvedev"));
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    check_spans(&t);
}

#[test]
fn webvtt_subtitles() {
    // Conventions: `WEBVTT - title` header with metadata lines, a NOTE block carrying
    // `Setting: overheard`, a STYLE block, cue ids, `mm:ss.ttt` timings without hours and with
    // cue settings, `<v Speaker>` and `<v.loud Speaker>` voice tags with and without `</v>`,
    // two voices in one cue, `<c>`/`<i>` tags and inline timestamps stripped, `&amp;`
    // decoded in the text but kept in the spans, a voice continuing over the next untagged cue.
    let src = "WEBVTT - Seoul summit
Kind: captions
Language: en

NOTE Setting: overheard

STYLE
::cue { color: yellow }

intro
00:01.000 --> 00:04.000 align:start position:10%
<v Barack Obama>On all these issues, <00:02.000><c>this</c> can be solved

00:04.100 --> 00:06.000
but it's <i>important</i> for him &amp; me.

00:06.100 --> 00:08.000
<v.loud Medvedev>Yeah, I understand.</v>
<v Barack Obama>This is my last election.</v>

1:00:00.000 --> 1:00:02.000
<v Medvedev>I understand.
";
    let t = parse(src, None).unwrap();
    assert_eq!(t.format, Format::WebVtt);
    assert_eq!(t.setting, Some(Setting::Overheard));
    assert_eq!(
        turns(&t),
        [
            (
                Some("Barack Obama"),
                "On all these issues, this can be solved but it's important for him & me."
            ),
            (Some("Medvedev"), "Yeah, I understand."),
            (Some("Barack Obama"), "This is my last election."),
            (Some("Medvedev"), "I understand."),
        ]
    );
    assert_eq!(
        (t.turns[0].start_ms, t.turns[0].end_ms),
        (Some(1000), Some(6000))
    );
    assert_eq!(t.turns[3].start_ms, Some(3_600_000));
    assert!(t.slice(t.turns[0].text_span).contains("&amp;"));
    assert_eq!(t.turns[0].addressee.as_deref(), Some("Medvedev"));
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    check_spans(&t);
}

#[test]
fn malformed_label_with_no_text() {
    // A label with nothing after it before the next label: a warning naming its line, the
    // rest kept.
    let src = "OBAMA: This is my last election.\nMEDVEDEV:\nOBAMA: After my election I have more flexibility.\n";
    let t = parse(src, None).unwrap();
    assert_eq!(t.turns.len(), 2);
    assert_eq!(t.warnings.len(), 1);
    assert_eq!(t.warnings[0].line, 2);
    assert!(
        t.warnings[0].message.contains("MEDVEDEV"),
        "{}",
        t.warnings[0]
    );
    assert_eq!(
        t.warnings[0].to_string(),
        "line 2: speaker label \"MEDVEDEV\" has no text; skipped"
    );
}

#[test]
fn malformed_srt_blocks() {
    // Block 2 has a broken timestamp, block 4 no timing line, then stray text: warnings
    // naming the lines, blocks 1, 3 and 5 kept.
    let src = "\
1
00:00:01,000 --> 00:00:02,000
OBAMA: This is my last election.

2
00:00:0x,000 --> 00:00:04,000
MEDVEDEV: Lost.

3
00:00:05,000 --> 00:00:06,000
MEDVEDEV: I understand.

4

stray words

5
00:00:09,000 --> 00:00:07,000
OBAMA: Good.
";
    let t = parse(src, Some(Format::Srt)).unwrap();
    assert_eq!(
        turns(&t),
        [
            (Some("Obama"), "This is my last election."),
            (Some("Medvedev"), "I understand. stray words"),
            (Some("Obama"), "Good."),
        ]
    );
    let w: Vec<String> = t.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(w.len(), 4, "{w:?}");
    assert!(w[0].starts_with("line 6: broken timestamp \"00:00:0x,000 --> 00:00:04,000\" in cue 2"));
    assert!(w[1].starts_with("line 13: cue 4 has no timing line"));
    assert!(w[2].starts_with("line 15: text outside a cue"));
    assert!(w[3].starts_with("line 18: cue ends before it starts"));
}

#[test]
fn unreadable_files_are_errors() {
    let e = parse("", None).unwrap_err();
    assert!(e.message.contains("empty"));
    let e = parse("OBAMA: hi\n\0\0\0binary", None).unwrap_err();
    assert_eq!(e.line, Some(2));
    let e = parse(
        "1\n00:00:0x,000 --> 00:00:02,000\nHello\n",
        Some(Format::Srt),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.to_string().contains("broken timestamp"), "{e}");
    let e = parse("WEBVTT\n\nNOTE only a note\n", None).unwrap_err();
    assert!(e.message.contains("no speech"), "{e}");
    assert!(parse("OBAMA:\n", None)
        .unwrap_err()
        .message
        .contains("has no text"));
}

#[test]
fn unlabelled_text_is_unknown_speaker_paragraphs() {
    let t = parse("We will win.\nAll of us.\n\nThank you.\n", None).unwrap();
    assert_eq!(
        turns(&t),
        [(None, "We will win. All of us."), (None, "Thank you.")]
    );
    assert_eq!(t.warnings.len(), 1);
    assert_eq!(t.warnings[0].line, 1);
}

#[test]
fn detection() {
    assert_eq!(detect(DEMO), Format::Labelled);
    assert_eq!(
        detect("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"),
        Format::WebVtt
    );
    assert_eq!(
        detect("1\n00:00:01,000 --> 00:00:02,000\nHi\n"),
        Format::Srt
    );
    assert_eq!(detect("00:01.000 --> 00:02.000\nHi\n"), Format::WebVtt);
    assert_eq!(detect(">> HELLO.\n>> HI.\n"), Format::Captions);
    assert_eq!(detect("Q: Why?\nA: Because.\n"), Format::QandA);
    assert_eq!(detect("OBAMA: Hi.\n"), Format::Labelled);
    assert_eq!("vtt".parse::<Format>(), Ok(Format::WebVtt));
    assert_eq!(parse_setting("on_record"), Some(Setting::OnRecord));
    assert_eq!(parse_setting("social_media"), Some(Setting::SocialMedia));
    assert_eq!(parse_setting("hot mic"), Some(Setting::Overheard));
    assert_eq!(parse_setting("sideways"), None);
    assert!("doc".parse::<Format>().is_err());
    for f in Format::ALL {
        assert_eq!(Format::from_name(f.as_str()), Some(f));
    }
}

#[test]
fn decoding_bytes() {
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("Q: Ça va?".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(decode(&utf16).unwrap(), "Q: Ça va?");
    assert_eq!(decode(b"\xef\xbb\xbfA: hi").unwrap(), "A: hi");
    assert_eq!(decode(b"caf\xe9 \x93hi\x94").unwrap(), "café “hi”");
    assert!(decode(b"\x00\x01\x02").is_err());
}

#[test]
fn example_transcript_and_quotes() {
    let t = parse(DEMO, None).unwrap();
    assert_eq!(t.format, Format::Labelled);
    assert_eq!(t.setting, Some(Setting::Overheard));
    let who: Vec<_> = t
        .turns
        .iter()
        .map(|x| {
            (
                x.speaker.as_deref().unwrap(),
                x.addressee.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        who,
        [
            ("President Obama", "President Medvedev"),
            ("President Medvedev", "President Obama"),
            ("President Obama", "President Medvedev"),
            ("President Medvedev", "President Obama"),
        ]
    );
    let q = to_quotes(&t);
    assert_eq!(q.len(), 4);
    assert_eq!(q[2].kind, Kind::Direct);
    assert_eq!(q[2].setting, Setting::Overheard);
    assert!(q[2].cue.is_empty());
    assert_eq!(t.slice(q[2].source[0]), "PRESIDENT OBAMA");
    assert_eq!(
        t.slice(q[2].content[0]),
        "This is my last election. After my election I have more flexibility."
    );
    assert_eq!(q[2].speaker.as_deref(), Some("President Obama"));
    assert_eq!(q[2].addressee.as_deref(), Some("President Medvedev"));
}

/// A quote of `article` by its content text.
fn quote(article: &str, content: &str, kind: Kind, speaker: &str) -> Quote {
    let start = article.find(content).expect("content in article");
    Quote {
        kind,
        source: Vec::new(),
        cue: Vec::new(),
        content: vec![Span::new(start, start + content.len())],
        speaker: Some(speaker.to_string()),
        addressee: None,
        setting: Setting::Unknown,
        confidence: 1.0,
    }
}

/// The article's quotes as the expected file lists them.
fn article_quotes() -> Vec<Quote> {
    let a = ARTICLE;
    vec![
        quote(
            a,
            "he would have more \"flexibility\" on difficult issues such as the US missile defence plans after November's election",
            Kind::Mixed,
            "Barack Obama",
        ),
        quote(a, "he would relay the message to Vladimir", Kind::Indirect, "Dmitry Medvedev"),
        quote(a, "playing down the importance of the remarks", Kind::Indirect, "White House"),
        quote(
            a,
            "\"Since 2012 is an election year in both countries, with an election and leadership transition in Russia and an election in the United States, it is clearly not a year in which we are going to achieve a breakthrough,\"",
            Kind::Direct,
            "Ben Rhodes",
        ),
        quote(
            a,
            "\"On all these issues, but particularly missile defence, this, this can be solved but it's important for him to give me space.\"",
            Kind::Direct,
            "Barack Obama",
        ),
        quote(
            a,
            "\"Yeah, I understand. I understand your message about space. Space for you.\"",
            Kind::Direct,
            "Dmitry Medvedev",
        ),
        quote(
            a,
            "\"This is my last election. After my election I have more flexibility.\"",
            Kind::Direct,
            "Barack Obama",
        ),
        quote(
            a,
            "\"I understand. I will transmit this information to Vladimir.\"",
            Kind::Direct,
            "Dmitry Medvedev",
        ),
        quote(a, "\"Yo, Blair\"", Kind::Direct, "George Bush"),
        quote(
            a,
            "the Israeli prime minister Benjamin Netanyahu as a \"liar\"",
            Kind::Mixed,
            "Sarkozy",
        ),
    ]
}

#[test]
fn verifies_the_example_article() {
    let t = parse(DEMO, None).unwrap();
    let v = verify_article(ARTICLE, &article_quotes(), &t);
    let got: Vec<_> = v
        .iter()
        .map(|x| (x.verdict, x.turn, x.speaker_matches))
        .collect();
    assert_eq!(
        got,
        [
            (Verdict::Partial, Some(2), Some(true)),
            (Verdict::NotFound, None, None),
            (Verdict::NotFound, None, None),
            (Verdict::NotFound, None, None),
            (Verdict::Verbatim, Some(0), Some(true)),
            (Verdict::Verbatim, Some(1), Some(true)),
            (Verdict::Verbatim, Some(2), Some(true)),
            (Verdict::Verbatim, Some(3), Some(true)),
            (Verdict::NotFound, None, None),
            (Verdict::NotFound, None, None),
        ]
    );
    // Each verbatim quote is its whole turn, and the span is the transcript's words.
    for x in &v[4..8] {
        assert_eq!(x.coverage, 1.0);
        assert_eq!(x.score, 1.0);
        // First to last matched word: the turn without its final period.
        let turn = &t.turns[x.turn.unwrap()];
        assert_eq!(t.slice(x.span.unwrap()), turn.text.trim_end_matches('.'));
        assert_eq!(x.quote, v.iter().position(|y| std::ptr::eq(y, x)).unwrap());
    }
    assert_eq!(t.slice(v[0].span.unwrap()), "flexibility");
    assert_eq!(v[0].quoted, "flexibility");
    assert_eq!(v[6].transcript_speaker.as_deref(), Some("President Obama"));
}

#[test]
fn edited_quote_shows_the_change() {
    let t = parse(DEMO, None).unwrap();
    let v = Verifier::new(&t).check(
        "\"After my election I have more freedom.\"",
        Kind::Direct,
        Some("Barack Obama"),
    );
    assert_eq!(v.verdict, Verdict::Edited);
    assert_eq!(v.speaker_matches, Some(true));
    assert_eq!(
        v.diff,
        [
            DiffOp::Equal(
                ["After", "my", "election", "I", "have", "more"]
                    .map(String::from)
                    .to_vec()
            ),
            DiffOp::Replace {
                said: vec!["flexibility".into()],
                reported: vec!["freedom".into()]
            },
        ]
    );
    assert_eq!(
        v.diff_string(),
        "After my election I have more [-flexibility-]{+freedom+}"
    );
    assert_eq!(v.edits(), 1);
    assert!(v.score > 0.8 && v.score < 1.0);
    // The same change inside the article's full quote.
    let v = verify(
        "This is my last election. After my election I have more freedom.",
        &t,
    );
    assert_eq!(v.verdict, Verdict::Edited);
    assert_eq!(v.turn, Some(2));
}

#[test]
fn made_up_remark_is_not_found() {
    let t = parse(DEMO, None).unwrap();
    let v = verify(
        "We will never negotiate with anyone about missile defence.",
        &t,
    );
    assert_eq!(v.verdict, Verdict::NotFound);
    assert_eq!((v.turn, v.span, v.score), (None, None, 0.0));
    assert!(v.diff.is_empty());
}

#[test]
fn ellipsis_stands_for_omitted_words() {
    let t = parse(DEMO, None).unwrap();
    for q in [
        "On all these issues … this can be solved",
        "\"On all these issues... this can be solved but it's important for him to give me space.\"",
        "On all these issues . . . this, this can be solved",
    ] {
        let v = verify(q, &t);
        assert_eq!(v.verdict, Verdict::Verbatim, "{q}: {}", v.diff_string());
        assert_eq!(v.turn, Some(0));
        assert_eq!(
            v.diff[1],
            DiffOp::Elided(
                ["but", "particularly", "missile", "defence"]
                    .map(String::from)
                    .to_vec()
            ),
            "{q}"
        );
        assert!(v.diff_string().contains("[…]"));
        assert!(t.slice(v.span.unwrap()).starts_with("On all these issues, but"));
    }
    // Without the ellipsis the four omitted words are edits: too many of eight for "edited",
    // but the content words are all in the turn.
    let v = verify("On all these issues this can be solved", &t);
    assert_eq!(v.verdict, Verdict::Paraphrase, "{}", v.diff_string());
    assert_eq!(v.turn, Some(0));
}

#[test]
fn repetitions_and_fillers_are_not_edits() {
    let t = parse(DEMO, None).unwrap();
    let v = verify(
        "On all these issues, but particularly missile defence, this can be solved but it's \
         important for him to give me space.",
        &t,
    );
    assert_eq!(v.verdict, Verdict::Verbatim, "{}", v.diff_string());
    assert_eq!(verify("this can be solved", &t).verdict, Verdict::Verbatim);
    // Disfluent transcript, clean quote; curly apostrophe and hyphen differences.
    let messy = parse(
        "OBAMA: Um, this is, uh, my my last election. After my election I-I have more \
         flexibility [laughs].\nMEDVEDEV: It’s a so-called shield.",
        None,
    )
    .unwrap();
    let v = verify(
        "“This is my last election. After my election I have more flexibility.”",
        &messy,
    );
    assert_eq!(v.verdict, Verdict::Verbatim, "{}", v.diff_string());
    assert_eq!(
        verify("it's a so called shield", &messy).verdict,
        Verdict::Verbatim
    );
    // An editor's bracket standing for a word is not an edit.
    let v = verify("it's important for [Putin] to give me space", &t);
    assert_eq!(v.verdict, Verdict::Verbatim, "{}", v.diff_string());
    assert_eq!(
        v.diff[1],
        DiffOp::Replace {
            said: vec!["him".into()],
            reported: vec!["[Putin]".into()]
        }
    );
}

#[test]
fn split_quotes_and_paraphrase() {
    let t = parse(DEMO, None).unwrap();
    let article =
        "\"This is my last election,\" he said. \"After my election I have more flexibility.\"";
    let a = article.find("\"This").unwrap();
    let b = article.find("\"After").unwrap();
    let a_end = article.find(" he said").unwrap();
    let q = Quote {
        kind: Kind::Direct,
        source: Vec::new(),
        cue: Vec::new(),
        content: vec![Span::new(a, a_end), Span::new(b, article.len())],
        speaker: Some("Obama".into()),
        addressee: None,
        setting: Setting::Unknown,
        confidence: 1.0,
    };
    let v = verify_article(article, &[q], &t);
    assert_eq!(v[0].verdict, Verdict::Verbatim, "{}", v[0].diff_string());
    assert_eq!(
        v[0].quoted,
        "This is my last election … After my election I have more flexibility"
    );
    // Indirect speech whose content words are in one turn.
    let v = Verifier::new(&t).check(
        "he understood the message about space",
        Kind::Indirect,
        Some("Dmitry Medvedev"),
    );
    assert_eq!(v.verdict, Verdict::Paraphrase);
    assert_eq!(v.turn, Some(1));
    assert_eq!(v.speaker_matches, Some(true));
    // A misattributed quote is found, with the speaker mismatch flagged.
    let v = Verifier::new(&t).check("\"I understand.\"", Kind::Direct, Some("Barack Obama"));
    assert_eq!(
        (v.verdict, v.speaker_matches),
        (Verdict::Verbatim, Some(false))
    );
}

/// A deterministic generator for test data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A speaker-labelled transcript of at least `words` words, recombining the article's
/// sentences under four speakers, with the real exchange in the middle.
pub(crate) fn big_transcript(words: usize) -> String {
    let sentences: Vec<&str> = ARTICLE
        .split(['.', '\n'])
        .map(str::trim)
        .filter(|s| s.split_whitespace().count() >= 3)
        .collect();
    let speakers = ["OBAMA", "MEDVEDEV", "RHODES", "BLAIR"];
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut out = String::from("Setting: overheard\n\n");
    let mut count = 0;
    let mut inserted = false;
    while count < words {
        if !inserted && count >= words / 2 {
            let demo = DEMO.split_once("\n\n").map_or(DEMO, |(_, body)| body);
            out.push_str(demo);
            out.push('\n');
            count += demo.split_whitespace().count();
            inserted = true;
        }
        out.push_str(speakers[rng.below(speakers.len())]);
        out.push(':');
        for _ in 0..1 + rng.below(4) {
            let s = sentences[rng.below(sentences.len())];
            out.push(' ');
            out.push_str(s);
            out.push('.');
            count += s.split_whitespace().count();
        }
        out.push_str("\n\n");
    }
    out
}

#[test]
fn aligns_on_a_100k_word_transcript() {
    let src = big_transcript(100_000);
    let t = parse(&src, None).unwrap();
    let v = Verifier::new(&t);
    assert!(v.word_count() >= 100_000, "{}", v.word_count());
    let quotes = article_quotes();
    let got: Vec<Verification> = quotes
        .iter()
        .enumerate()
        .map(|(i, q)| v.check_quote(ARTICLE, q, i))
        .collect();
    for x in &got[4..8] {
        assert_eq!(x.verdict, Verdict::Verbatim, "{}", x.quoted);
        assert_eq!(x.speaker_matches, Some(true), "{}", x.quoted);
    }
    // Sentences of the article recur all over the big transcript: Rhodes' statement is found.
    assert_eq!(got[3].verdict, Verdict::Verbatim);
    let edited = v.check(
        "After my election I have more freedom",
        Kind::Direct,
        Some("Barack Obama"),
    );
    assert_eq!(edited.verdict, Verdict::Edited);
    assert_eq!(edited.speaker_matches, Some(true));
    assert_eq!(
        v.check("We will never negotiate about space.", Kind::Direct, None)
            .verdict,
        Verdict::NotFound
    );
}

#[test]
fn never_panics_on_garbage() {
    const BITS: &[&str] = &[
        "OBAMA:",
        "Mr. X:",
        " ",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        ">>",
        ">>>",
        "-->",
        "00:00:01,000",
        "00:01.000",
        "99:99",
        "<v Obama>",
        "<v>",
        "</v>",
        "<i>",
        "</i",
        "<",
        "{\\an8}",
        "{",
        "Q:",
        "A.",
        "Q  ",
        "WEBVTT",
        "NOTE",
        "STYLE",
        "1",
        "42",
        "[",
        "]",
        "(",
        ")",
        "é",
        "😀",
        "…",
        "...",
        ". . .",
        "&amp;",
        "&#",
        "&#x110000;",
        "-",
        "- ",
        "this",
        "this,",
        ":",
        ",",
        "\"",
        "“",
        "’",
        "Setting: overheard",
        "Interviewer: Jane",
        "\t",
        "\u{feff}",
        "ﬁ",
        "İ",
        "uh",
        "[hot mic]",
        "UNIDENTIFIED MALE:",
        "a-b",
        "U.S.",
    ];
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for _ in 0..400 {
        let mut s = String::new();
        for _ in 0..rng.below(60) {
            s.push_str(BITS[rng.below(BITS.len())]);
        }
        let formats = [None].into_iter().chain(Format::ALL.into_iter().map(Some));
        for f in formats {
            let Ok(t) = parse(&s, f) else { continue };
            check_spans(&t);
            let quotes = to_quotes(&t);
            assert_eq!(quotes.len(), t.turns.len());
            let v = Verifier::new(&t);
            // Quotes cut from the source at random character boundaries.
            let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            for kind in [Kind::Direct, Kind::Mixed, Kind::Indirect] {
                let a = bounds[rng.below(bounds.len())];
                let b = bounds[rng.below(bounds.len())];
                let q = &s[a.min(b)..a.max(b)];
                let r = v.check(q, kind, Some("Obama"));
                if let Some(sp) = r.span {
                    assert!(t.source.get(sp.start..sp.end).is_some());
                }
                let _ = r.diff_string();
            }
            let _ = verify_article(&s, &quotes, &t);
        }
    }
}
