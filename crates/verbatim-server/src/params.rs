//! Query strings and path segments: percent-decoding and typed parameters, with errors that
//! say what to send instead.

/// Percent-decode `s` as UTF-8. In a query string (`plus_is_space`), `+` is a space
/// (`application/x-www-form-urlencoded`); in a path it is itself.
pub(crate) fn percent_decode(s: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => out.push(b),
                    None => {
                        return Err(format!(
                            "bad percent-encoding in {s:?}: write a % as %25, and other bytes as \
                             %XX with two hex digits"
                        ))
                    }
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map_err(|_| format!("{s:?} is not UTF-8 once percent-decoded: encode text as UTF-8"))
}

/// A search's date bound (`since`, `until`) as the bank takes it: `YYYY` and `YYYY-MM` stay
/// whole periods (`until=2016` is the end of 2016); any other date is read as ingest reads a
/// document's date (`2012-03-26`, `2012/03/26`, `March 26, 2012`, `26 March 2012`, RFC 2822,
/// an ISO datetime, whose time is ignored) and given as `YYYY-MM-DD`. A blank bound is no bound.
pub fn date_bound(s: &str) -> Result<String, String> {
    let t = s.trim();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if t.is_empty() || (t.len() == 4 && digits(t)) {
        return Ok(t.to_string());
    }
    if let Some((y, m)) = t.split_once(['-', '/']) {
        if y.len() == 4 && digits(y) && m.len() <= 2 && digits(m) {
            let month: u32 = m.parse().unwrap_or(0);
            if !(1..=12).contains(&month) {
                return Err(format!("bad date {s:?}: there is no month {m}"));
            }
            return Ok(format!("{y}-{month:02}"));
        }
    }
    verbatim_bank::dates::Date::parse(t)
        .map(|d| d.iso())
        .map_err(|e| e.to_string())
}

/// A query string's parameters, decoded, each allowed name at most once.
#[derive(Debug, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parse `query` for an endpoint that takes the names in `allowed`. Unknown and repeated
    /// names are errors; an empty value counts as absent.
    pub fn parse(query: &str, endpoint: &str, allowed: &[&str]) -> Result<Params, String> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let k = percent_decode(k, true)?;
            let v = percent_decode(v, true)?;
            if !allowed.contains(&k.as_str()) {
                return Err(if allowed.is_empty() {
                    format!("unknown parameter {k:?}: {endpoint} takes no parameters")
                } else {
                    format!(
                        "unknown parameter {k:?}: {endpoint} takes {}",
                        allowed.join(", ")
                    )
                });
            }
            if pairs.iter().any(|(n, _)| *n == k) {
                return Err(format!("parameter {k:?} is given twice: give it once"));
            }
            pairs.push((k, v));
        }
        Ok(Params { pairs })
    }

    /// The value of a parameter; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// An owned copy of [`Params::get`].
    pub fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// A whole number from `min` to `max`, or `default` when absent.
    pub fn number(&self, name: &str, min: u64, max: u64, default: u64) -> Result<u64, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match digits(v) {
                Some(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(format!(
                    "{name} must be a whole number from {min} to {max}, not {v:?}"
                )),
            },
        }
    }
}

/// A numeric id from a path segment, e.g. a speaker's.
pub(crate) fn numeric_id(raw: &str, what: &str, listed_at: &str) -> Result<i64, String> {
    let id = percent_decode(raw, false)?;
    digits(&id)
        .and_then(|n| i64::try_from(n).ok())
        .ok_or_else(|| {
            format!("{what} ids are whole numbers (as {listed_at} gives them), not {id:?}")
        })
}

/// A number written in decimal digits only: no sign, no spaces, no `0x` (which `parse` or a
/// trim would let through).
fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds_read_what_ingest_reads() {
        for (given, bound) in [
            ("2016", "2016"),
            ("2016-02", "2016-02"),
            ("2016/2", "2016-02"),
            ("2016-02-10", "2016-02-10"),
            ("2016/02/10", "2016-02-10"),
            ("February 10, 2016", "2016-02-10"),
            ("10 Feb 2016", "2016-02-10"),
            ("Wed, 10 Feb 2016 10:00:00 +0000", "2016-02-10"),
            ("2016-02-10T23:59:00Z", "2016-02-10"),
            (" ", ""),
        ] {
            assert_eq!(date_bound(given).as_deref(), Ok(bound), "{given}");
        }
        let e = date_bound("2016-02-30").unwrap_err();
        assert!(e.contains("no such day"), "{e}");
        let e = date_bound("2016-13").unwrap_err();
        assert!(e.contains("no month 13"), "{e}");
        let e = date_bound("yesterday").unwrap_err();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b+c", true).unwrap(), "a b c");
        assert_eq!(percent_decode("a%20b+c", false).unwrap(), "a b+c");
        assert_eq!(
            percent_decode("bbc%2F2012%2Fx", false).unwrap(),
            "bbc/2012/x"
        );
        assert_eq!(percent_decode("%C3%A9t%C3%A9", false).unwrap(), "été");
        assert!(percent_decode("100%", false).is_err());
        assert!(percent_decode("%zz", false).is_err());
        assert!(percent_decode("%FF", false).is_err());
    }

    #[test]
    fn numbers_are_plain_digits() {
        assert_eq!(digits("42"), Some(42));
        for bad in [
            "",
            "+5",
            "-5",
            " 5",
            "5 ",
            "0x5",
            "1e3",
            "99999999999999999999999",
        ] {
            assert_eq!(digits(bad), None, "{bad:?}");
        }
        assert_eq!(numeric_id("12", "speaker", "x"), Ok(12));
        assert!(numeric_id("%201%20", "speaker", "x").is_err());
        assert!(numeric_id("+1", "speaker", "x").is_err());
        assert!(numeric_id("18446744073709551615", "speaker", "x").is_err());
    }

    #[test]
    fn parameters() {
        let p = Params::parse(
            "q=last+election&limit=5&speaker=",
            "/x",
            &["q", "limit", "speaker"],
        )
        .unwrap();
        assert_eq!(p.get("q"), Some("last election"));
        assert_eq!(p.get("speaker"), None);
        assert_eq!(p.number("limit", 1, 10, 3), Ok(5));
        assert_eq!(p.number("missing", 1, 10, 3), Ok(3));
        assert!(p
            .number("q", 1, 10, 3)
            .unwrap_err()
            .contains("whole number"));
        let e = Params::parse("q=a&bogus=1", "/api/quotes", &["q"]).unwrap_err();
        assert!(e.contains("unknown parameter \"bogus\""), "{e}");
        assert!(Params::parse("q=a&q=b", "/x", &["q"])
            .unwrap_err()
            .contains("twice"));
        assert!(Params::parse("x=1", "/api/stats", &[])
            .unwrap_err()
            .contains("no parameters"));
        assert_eq!(numeric_id("42", "speaker", "/api/speakers"), Ok(42));
        assert!(numeric_id("abc", "speaker", "/api/speakers").is_err());
    }
}
