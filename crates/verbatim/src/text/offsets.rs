//! Byte offsets inside, Unicode code point offsets at the boundary.
//!
//! The engine slices `&str` by byte; the output format (and Python, and the scorer) counts code
//! points. This is the one place that converts between them.

/// A half-open byte range `[start, end)` into a document's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// A half-open range of Unicode code points `[start, end)`: what the output format carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CharSpan {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// Converts byte offsets of one text to code point offsets and back.
///
/// Built once per document in O(n); each lookup is O(log k) where k is the number of non-ASCII
/// characters (O(1) for ASCII text).
#[derive(Clone, Debug)]
pub struct OffsetMap {
    /// (byte offset, code point offset) of every non-ASCII character, in order.
    wide: Vec<(usize, usize)>,
    /// Cumulative extra bytes up to and including `wide[i]`.
    extra: Vec<usize>,
    len_bytes: usize,
}

impl OffsetMap {
    /// Index `text`.
    pub fn new(text: &str) -> OffsetMap {
        let mut wide = Vec::new();
        let mut extra = Vec::new();
        let mut total = 0usize;
        if !text.is_ascii() {
            for (ci, (i, c)) in text.char_indices().enumerate() {
                let n = c.len_utf8();
                if n > 1 {
                    total += n - 1;
                    wide.push((i, ci));
                    extra.push(total);
                }
            }
        }
        OffsetMap {
            wide,
            extra,
            len_bytes: text.len(),
        }
    }

    /// Code point offset of byte offset `byte` (which must be on a character boundary).
    pub fn to_char(&self, byte: usize) -> usize {
        // Number of wide chars starting strictly before `byte`.
        let k = self.wide.partition_point(|&(b, _)| b < byte);
        if k == 0 {
            byte
        } else {
            byte - self.extra[k - 1]
        }
    }

    /// Byte offset of code point offset `ch`; `None` when past the end of the text.
    pub fn to_byte(&self, ch: usize) -> Option<usize> {
        // Find the number of wide chars whose char offset is < ch.
        let k = self.wide.partition_point(|&(_, c)| c < ch);
        let byte = if k == 0 { ch } else { ch + self.extra[k - 1] };
        (byte <= self.len_bytes).then_some(byte)
    }

    /// Convert a byte span.
    pub fn char_span(&self, span: Span) -> CharSpan {
        CharSpan {
            start: self.to_char(span.start),
            end: self.to_char(span.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_identity() {
        let m = OffsetMap::new("hello world");
        assert_eq!(m.to_char(5), 5);
        assert_eq!(m.to_byte(5), Some(5));
        assert_eq!(m.to_byte(12), None);
    }

    #[test]
    fn round_trips_on_mixed_text() {
        let text = "“Yo, Blair” — said Mr Bush’s aide 🙂 in Zürich.";
        let m = OffsetMap::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(m.to_char(bi), ci, "byte {bi}");
            assert_eq!(m.to_byte(ci), Some(bi), "char {ci}");
        }
        let n = text.chars().count();
        assert_eq!(m.to_char(text.len()), n);
        assert_eq!(m.to_byte(n), Some(text.len()));
    }
}
