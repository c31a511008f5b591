//! Output writers: a document's text and quotes in, one of three formats out.
//!
//! * [`Format::Jsonl`]: one object per document, the PolNeAR schema that
//!   `shared/eval/score.py` reads, plus `speaker`, `addressee`, `setting`, `kind` and
//!   `confidence` per quote. Offsets are code points, end-exclusive; [`json_quotes`] is the one
//!   place that converts the engine's byte spans.
//! * [`Format::Csv`]: one row per quote under [`CSV_HEADER`], RFC 4180 quoting.
//! * [`Format::Table`]: one line per quote for people: speaker, cue, quote.
//!
//! The writers slice the text at the quotes' spans, so call [`check_spans`] first on quotes that
//! did not come from a trusted source.

use std::io::{self, Write};
use verbatim::{Quote, Span};
pub use verbatim_train::polnear::quotes_to_json as json_quotes;
use verbatim_train::polnear::{JsonDoc, JsonSpan};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal.
    Table,
    /// JSON Lines, one object per document (the scorer's schema).
    Jsonl,
    /// Comma-separated values, one row per quote, with a header row.
    Csv,
}

/// Check that every span of `quotes` lies inside `text` on character boundaries, so that the
/// writers can slice it. The error names the first bad span.
pub fn check_spans(text: &str, quotes: &[Quote]) -> Result<(), String> {
    for (k, q) in quotes.iter().enumerate() {
        for (role, spans) in [
            ("source", &q.source),
            ("cue", &q.cue),
            ("content", &q.content),
        ] {
            for s in spans {
                if s.start > s.end || text.get(s.start..s.end).is_none() {
                    return Err(format!(
                        "quote {k} has a {role} span {}..{} that is not a slice of the text ({} bytes)",
                        s.start,
                        s.end,
                        text.len()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Write one JSONL line: `{"id": …, "quotes": […]}`.
pub fn write_jsonl<W: Write + ?Sized>(
    out: &mut W,
    id: &str,
    text: &str,
    quotes: &[Quote],
) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &JsonDoc::extracted(id, text, quotes))?;
    out.write_all(b"\n")
}

/// The CSV header row (without the line break).
pub const CSV_HEADER: &str =
    "id,kind,speaker,addressee,setting,cue,content,source,content_start,content_end,confidence";

/// Joins the pieces of a role with several spans (a split quote) in CSV and table output.
const PIECE_SEPARATOR: &str = " … ";

/// Write the CSV header row.
pub fn write_csv_header<W: Write + ?Sized>(out: &mut W) -> io::Result<()> {
    writeln!(out, "{CSV_HEADER}")
}

/// Write one CSV row per quote. Roles with several spans are joined with ` … `;
/// `content_start`/`content_end` are the code point offsets of the first and last content span
/// (empty when there is no content span). Speaker and addressee are empty when unknown; the
/// confidence is written as in JSON.
pub fn write_csv<W: Write + ?Sized>(
    out: &mut W,
    id: &str,
    text: &str,
    quotes: &[Quote],
) -> io::Result<()> {
    for q in json_quotes(text, quotes) {
        let start = q.content.first().map(|s| s.start.to_string());
        let end = q.content.last().map(|s| s.end.to_string());
        let fields = [
            id,
            q.kind.as_deref().unwrap_or(""),
            q.speaker.as_deref().unwrap_or(""),
            q.addressee.as_deref().unwrap_or(""),
            q.setting.as_deref().unwrap_or(""),
            &joined(&q.cue),
            &joined(&q.content),
            &joined(&q.source),
            start.as_deref().unwrap_or(""),
            end.as_deref().unwrap_or(""),
            &q.confidence.map(confidence_text).unwrap_or_default(),
        ];
        for (k, field) in fields.iter().enumerate() {
            if k > 0 {
                out.write_all(b",")?;
            }
            write_csv_field(out, field)?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The confidence as JSON writes it (`0.93`, `1.0`, `4.3e-33`); empty when not a number.
fn confidence_text(c: f32) -> String {
    if c.is_finite() {
        serde_json::to_string(&c).unwrap_or_default()
    } else {
        String::new()
    }
}

fn joined(spans: &[JsonSpan]) -> String {
    let pieces: Vec<&str> = spans.iter().filter_map(|s| s.text.as_deref()).collect();
    pieces.join(PIECE_SEPARATOR)
}

/// One CSV field, RFC 4180: quoted when it holds a comma, a quotation mark or a line break
/// (or starts or ends with a space), with quotation marks doubled.
pub fn write_csv_field<W: Write + ?Sized>(out: &mut W, field: &str) -> io::Result<()> {
    let needs_quotes =
        field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ');
    if !needs_quotes {
        return out.write_all(field.as_bytes());
    }
    out.write_all(b"\"")?;
    for (k, piece) in field.split('"').enumerate() {
        if k > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(piece.as_bytes())?;
    }
    out.write_all(b"\"")
}

/// Widest speaker / addressee column of the table, in characters.
const NAME_WIDTH: usize = 22;
/// Widest cue column.
const CUE_WIDTH: usize = 20;
/// The quote column gets at least this much, however narrow the terminal.
const MIN_QUOTE_WIDTH: usize = 20;

/// The line above a document's rows in a table of several documents.
pub fn write_table_heading<W: Write + ?Sized>(
    out: &mut W,
    id: &str,
    quotes: usize,
) -> io::Result<()> {
    let s = if quotes == 1 { "" } else { "s" };
    writeln!(out, "== {} ({quotes} quote{s})", clean(id))
}

/// Write a document's quotes as aligned rows fitting `width` columns:
/// `speaker  cue  [→ addressee]  [setting]  quote`. The speaker is the resolved name, else the
/// source text, else `—`; the addressee and setting columns appear only when some quote of the
/// document has one. Whitespace runs (line breaks too) show as one space; what does not fit is
/// cut with `…`. Widths count characters (East Asian wide characters will misalign).
pub fn write_table<W: Write + ?Sized>(
    out: &mut W,
    text: &str,
    quotes: &[Quote],
    width: usize,
) -> io::Result<()> {
    if quotes.is_empty() {
        return writeln!(out, "(no quotes)");
    }
    let pieces = |spans: &[Span]| -> String {
        let v: Vec<&str> = spans.iter().map(|s| s.slice(text)).collect();
        clean(&v.join(PIECE_SEPARATOR))
    };
    struct Row {
        who: String,
        cue: String,
        to: String,
        setting: &'static str,
        quote: String,
    }
    let rows: Vec<Row> = quotes
        .iter()
        .map(|q| Row {
            who: match (&q.speaker, q.source.is_empty()) {
                (Some(name), _) => clean(name),
                (None, false) => pieces(&q.source),
                (None, true) => "—".to_string(),
            },
            cue: pieces(&q.cue),
            to: q
                .addressee
                .as_deref()
                .map(|a| format!("→ {}", clean(a)))
                .unwrap_or_default(),
            setting: match q.setting {
                verbatim::Setting::Unknown => "",
                s => s.as_str(),
            },
            quote: pieces(&q.content),
        })
        .collect();
    let col =
        |f: &dyn Fn(&Row) -> usize, max: usize| rows.iter().map(f).max().unwrap_or(0).min(max);
    let who_w = col(&|r| r.who.chars().count(), NAME_WIDTH);
    let cue_w = col(&|r| r.cue.chars().count(), CUE_WIDTH);
    let to_w = col(&|r| r.to.chars().count(), NAME_WIDTH);
    let set_w = col(&|r| r.setting.len(), usize::MAX);
    let mut used = who_w + 2 + cue_w + 2;
    if to_w > 0 {
        used += to_w + 2;
    }
    if set_w > 0 {
        used += set_w + 2;
    }
    let quote_w = width.saturating_sub(used).max(MIN_QUOTE_WIDTH);
    for r in &rows {
        let mut line = String::with_capacity(width + 16);
        pad_into(&mut line, &r.who, who_w);
        pad_into(&mut line, &r.cue, cue_w);
        if to_w > 0 {
            pad_into(&mut line, &r.to, to_w);
        }
        if set_w > 0 {
            pad_into(&mut line, r.setting, set_w);
        }
        line.push_str(&truncate(&r.quote, quote_w));
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `s` cut to `width` characters and padded to it, then two spaces.
fn pad_into(line: &mut String, s: &str, width: usize) {
    use std::fmt::Write as _;
    // `{:<w$}` pads to `w` characters.
    let _ = write!(line, "{:<width$}  ", truncate(s, width));
}

/// Whitespace and control character runs as one space, trimmed.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c.is_control()) {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// At most `width` characters: cut ones end in `…`.
fn truncate(s: &str, width: usize) -> String {
    if s.chars().nth(width).is_none() {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// One document in `format`, as bytes (without a table heading or the CSV header).
pub fn render(format: Format, id: &str, text: &str, quotes: &[Quote], width: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let result = match format {
        Format::Jsonl => write_jsonl(&mut out, id, text, quotes),
        Format::Csv => write_csv(&mut out, id, text, quotes),
        Format::Table => write_table(&mut out, text, quotes, width),
    };
    result.expect("writing to a Vec<u8> cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use verbatim::{Kind, Setting};

    const ARTICLE: &str = include_str!("../../../examples/obama-medvedev-open-mic.txt");

    /// The byte span of the `nth` occurrence of `needle` in `text`.
    fn find(text: &str, needle: &str, nth: usize) -> Span {
        let start = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"))
            .0;
        Span::new(start, start + needle.len())
    }

    fn quote(kind: Kind, source: &[Span], cue: &[Span], content: &[Span]) -> Quote {
        Quote {
            kind,
            source: source.to_vec(),
            cue: cue.to_vec(),
            content: content.to_vec(),
            speaker: None,
            addressee: None,
            setting: Setting::Unknown,
            confidence: 0.5,
        }
    }

    /// Two of the article's quotes, as the engine would give them.
    fn article_quotes() -> Vec<Quote> {
        let t = ARTICLE;
        vec![
            Quote {
                speaker: Some("Barack Obama".into()),
                addressee: Some("Dmitry Medvedev".into()),
                setting: Setting::Overheard,
                confidence: 0.93,
                ..quote(
                    Kind::Mixed,
                    &[find(t, "Mr Obama", 0)],
                    &[find(t, "said", 0)],
                    &[find(t, "he would have more \"flexibility\" on difficult issues such as the US missile defence plans after November's election", 0)],
                )
            },
            Quote {
                speaker: Some("Ben Rhodes".into()),
                setting: Setting::OnRecord,
                confidence: 0.8,
                ..quote(
                    Kind::Direct,
                    &[find(t, "deputy national security adviser Ben Rhodes", 0)],
                    &[find(t, "said deputy", 0).slice_prefix(4)],
                    &[find(t, "\"Since 2012 is an election year", 0).extend_to(find(t, "breakthrough,\"", 0))],
                )
            },
        ]
    }

    trait SpanExt {
        fn slice_prefix(self, n: usize) -> Span;
        fn extend_to(self, other: Span) -> Span;
    }
    impl SpanExt for Span {
        fn slice_prefix(self, n: usize) -> Span {
            Span::new(self.start, self.start + n)
        }
        fn extend_to(self, other: Span) -> Span {
            Span::new(self.start, other.end)
        }
    }

    #[test]
    fn jsonl_uses_code_points_after_the_bullet() {
        // The article's "•" is 3 bytes, 1 code point: byte offsets after it are 2 ahead.
        let quotes = article_quotes();
        assert_eq!(quotes[0].source[0].start, 191);
        let out = render(Format::Jsonl, "obama", ARTICLE, &quotes, 120);
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with('\n') && text.matches('\n').count() == 1);
        let v: Value = serde_json::from_str(&text).unwrap();
        // The offsets of shared/examples/obama-medvedev-open-mic.expected.jsonl.
        assert_eq!(
            v["quotes"][0],
            json!({
                "source": [{"start": 189, "end": 197, "text": "Mr Obama"}],
                "cue": [{"start": 198, "end": 202, "text": "said"}],
                "content": [{"start": 203, "end": 318, "text": "he would have more \"flexibility\" on difficult issues such as the US missile defence plans after November's election"}],
                "speaker": "Barack Obama",
                "addressee": "Dmitry Medvedev",
                "setting": "overheard",
                "kind": "mixed",
                "confidence": 0.93
            })
        );
        let q1 = &v["quotes"][1];
        assert_eq!(q1["addressee"], Value::Null);
        assert_eq!(q1["source"][0]["start"], 744);
        assert_eq!(
            q1["cue"][0],
            json!({"start": 739, "end": 743, "text": "said"})
        );
        assert_eq!(q1["content"][0]["start"], 522);
        assert_eq!(q1["content"][0]["end"], 738);
        assert_eq!(v["id"], "obama");
        assert!(v.get("text").is_none(), "the document text is not repeated");
        let keys: Vec<&str> = v["quotes"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys.len(), 8);
    }

    #[test]
    fn jsonl_offsets_count_code_points_beyond_the_bmp() {
        // Python: t = "🙂 “Yo, Blair” — said Mr Bush’s aide in Zürich."; t.index("Yo") == 3
        let t = "🙂 “Yo, Blair” — said Mr Bush’s aide in Zürich.";
        let q = quote(
            Kind::Direct,
            &[find(t, "Mr Bush’s aide", 0)],
            &[find(t, "said", 0)],
            &[find(t, "“Yo, Blair”", 0)],
        );
        let out = render(Format::Jsonl, "x", t, &[q], 80);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["quotes"][0]["content"][0],
            json!({"start": 2, "end": 13, "text": "“Yo, Blair”"})
        );
        assert_eq!(
            v["quotes"][0]["cue"][0],
            json!({"start": 16, "end": 20, "text": "said"})
        );
        assert_eq!(
            v["quotes"][0]["source"][0],
            json!({"start": 21, "end": 35, "text": "Mr Bush’s aide"})
        );
        assert_eq!(v["quotes"][0]["speaker"], Value::Null);
        assert_eq!(v["quotes"][0]["setting"], "unknown");
    }

    #[test]
    fn jsonl_document_without_quotes_is_still_a_line() {
        let out = render(Format::Jsonl, "id \"with\" quotes", "", &[], 80);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"id \\\"with\\\" quotes\",\"quotes\":[]}\n"
        );
    }

    #[test]
    fn csv_quotes_fields_per_rfc_4180() {
        let mut out = Vec::new();
        for f in [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            " padded",
            "",
            "Zürich",
        ] {
            write_csv_field(&mut out, f).unwrap();
            out.push(b'|');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\" padded\"||Zürich|"
        );
    }

    #[test]
    fn csv_rows_for_the_article() {
        let mut quotes = article_quotes();
        // A split content and an unresolved speaker.
        quotes.push(quote(
            Kind::Direct,
            &[],
            &[find(ARTICLE, "replied", 0)],
            &[
                find(ARTICLE, "\"I understand.", 0),
                find(
                    ARTICLE,
                    "I will transmit this information to Vladimir.\"",
                    0,
                ),
            ],
        ));
        let mut out = Vec::new();
        write_csv_header(&mut out).unwrap();
        write_csv(&mut out, "obama,1", ARTICLE, &quotes).unwrap();
        let csv = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(
            lines[1],
            "\"obama,1\",mixed,Barack Obama,Dmitry Medvedev,overheard,said,\"he would have more \"\"flexibility\"\" on difficult issues such as the US missile defence plans after November's election\",Mr Obama,203,318,0.93"
        );
        assert!(
            lines[2].starts_with("\"obama,1\",direct,Ben Rhodes,,on_record,said,\"\"\"Since 2012")
        );
        assert!(lines[2].ends_with(",deputy national security adviser Ben Rhodes,522,738,0.8"));
        assert!(lines[3].starts_with(
            "\"obama,1\",direct,,,unknown,replied,\"\"\"I understand. … I will transmit"
        ));
        // content_start of the first piece, content_end of the last, in code points.
        let start = ARTICLE[..find(ARTICLE, "\"I understand.", 0).start]
            .chars()
            .count();
        assert_eq!(start, 1481);
        assert!(lines[3].ends_with(",,1481,1542,0.5"));
        assert_eq!(confidence_text(1.0), "1.0");
        assert_eq!(confidence_text(4.3602807e-33), "4.3602807e-33");
        assert_eq!(confidence_text(f32::NAN), "");
    }

    #[test]
    fn table_rows_fit_the_width() {
        let mut quotes = article_quotes();
        quotes.push(quote(
            Kind::Indirect,
            &[find(ARTICLE, "The White House", 0)],
            &[find(ARTICLE, "released a statement", 0)],
            &[find(
                ARTICLE,
                "playing down the importance of the remarks",
                0,
            )],
        ));
        quotes.push(quote(
            Kind::Direct,
            &[],
            &[],
            &[find(ARTICLE, "\"liar\"", 0)],
        ));
        let out = render(Format::Table, "obama", ARTICLE, &quotes, 100);
        let table = String::from_utf8(out).unwrap();
        assert_eq!(
            table,
            concat!(
                "Barack Obama     said                  → Dmitry Medvedev  overheard  he would have more \"flexibilit…\n",
                "Ben Rhodes       said                                     on_record  \"Since 2012 is an election yea…\n",
                "The White House  released a statement                                playing down the importance of…\n",
                "—                                                                    \"liar\"\n",
            )
        );
        for line in table.lines() {
            assert!(line.chars().count() <= 100, "too wide: {line}");
        }
        // With room, the whole quote.
        let wide =
            String::from_utf8(render(Format::Table, "o", ARTICLE, &quotes[2..3], 120)).unwrap();
        assert_eq!(
            wide,
            "The White House  released a statement  playing down the importance of the remarks\n"
        );
    }

    #[test]
    fn table_of_nothing_and_heading() {
        let out = render(Format::Table, "e", "", &[], 120);
        assert_eq!(out, b"(no quotes)\n");
        let mut h = Vec::new();
        write_table_heading(&mut h, "a\nb", 1).unwrap();
        assert_eq!(h, "== a b (1 quote)\n".as_bytes());
    }

    #[test]
    fn table_narrow_terminal_and_line_breaks_in_quotes() {
        let t = "\"One\n\ntwo  three,\" said A.";
        let q = quote(
            Kind::Direct,
            &[find(t, "A", 0)],
            &[find(t, "said", 0)],
            &[find(t, "\"One\n\ntwo  three,\"", 0)],
        );
        let out = String::from_utf8(render(Format::Table, "x", t, &[q], 10)).unwrap();
        assert_eq!(out, "A  said  \"One two three,\"\n");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcd", 4), "abcd");
        assert_eq!(truncate("ab", 0), "");
    }

    #[test]
    fn bad_spans_are_caught_before_writing() {
        let t = "Zürich";
        let ok = quote(Kind::Direct, &[], &[], &[Span::new(0, 7)]);
        assert!(check_spans(t, &[ok]).is_ok());
        let inside_char = quote(Kind::Direct, &[], &[], &[Span::new(0, 2)]);
        assert!(check_spans(t, &[inside_char])
            .unwrap_err()
            .contains("content span 0..2"));
        let past_end = quote(Kind::Direct, &[Span::new(3, 99)], &[], &[]);
        assert!(check_spans(t, &[past_end])
            .unwrap_err()
            .contains("source span 3..99"));
    }
}
