//! A one-line progress report on standard error: `verbatim: 120/500 documents, 34.2 docs/s`.
//!
//! Redrawn in place (carriage return, erase line) at most ten times a second, only once a
//! second document is done (a single document has nothing to report), and only when enabled
//! (the caller enables it when standard error is a terminal). [`Progress::clear`] erases it
//! before anything else is printed on the terminal, and at the end; the next tick after a
//! clear draws it again at once.

use std::io::Write;
use std::time::{Duration, Instant};

/// How often the line may be redrawn.
const REDRAW: Duration = Duration::from_millis(100);

/// The progress line's state.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    total: Option<usize>,
    done: usize,
    start: Instant,
    last_draw: Option<Instant>,
    shown: bool,
}

impl Progress {
    /// A progress line, drawn only if `enabled`; `total` is the number of documents when known.
    pub fn new(enabled: bool, total: Option<usize>) -> Progress {
        Progress {
            enabled,
            total,
            done: 0,
            start: Instant::now(),
            last_draw: None,
            shown: false,
        }
    }

    /// One more document done (written or skipped); redraw if it is time, or if it was cleared.
    pub fn tick(&mut self, err: &mut dyn Write) {
        self.done += 1;
        if !self.enabled || self.done < 2 {
            return;
        }
        let now = Instant::now();
        if self.shown && self.last_draw.is_some_and(|t| now - t < REDRAW) {
            return;
        }
        self.last_draw = Some(now);
        let line = self.line(now - self.start);
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.shown = true;
    }

    /// Erase the line, if it is shown.
    pub fn clear(&mut self, err: &mut dyn Write) {
        if self.shown {
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }

    /// The text of the line after `elapsed`.
    pub fn line(&self, elapsed: Duration) -> String {
        let rate = self.done as f64 / elapsed.as_secs_f64().max(1e-3);
        let s = if self.done == 1 { "" } else { "s" };
        match self.total {
            Some(total) => format!(
                "verbatim: {}/{total} documents, {rate:.1} docs/s",
                self.done
            ),
            None => format!("verbatim: {} document{s}, {rate:.1} docs/s", self.done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_only_when_enabled_and_from_the_second_document() {
        let mut err = Vec::new();
        let mut p = Progress::new(true, Some(3));
        p.tick(&mut err);
        assert!(err.is_empty(), "one document: nothing to report");
        p.tick(&mut err);
        let s = String::from_utf8(err.clone()).unwrap();
        assert!(s.starts_with("\r\x1b[2Kverbatim: 2/3 documents, "), "{s:?}");
        assert!(s.ends_with(" docs/s"));
        p.tick(&mut err); // within 100 ms of the last draw: not redrawn
        assert_eq!(err.len(), s.len());
        p.clear(&mut err);
        assert!(err.ends_with(b"\r\x1b[2K"));
        let n = err.len();
        p.clear(&mut err);
        assert_eq!(err.len(), n, "clearing twice erases once");
        p.tick(&mut err);
        assert!(
            err.ends_with(b" docs/s"),
            "drawn again at once after a clear"
        );

        let mut quiet = Vec::new();
        let mut p = Progress::new(false, None);
        for _ in 0..10 {
            p.tick(&mut quiet);
        }
        p.clear(&mut quiet);
        assert!(quiet.is_empty());
    }

    #[test]
    fn line_text() {
        let mut p = Progress::new(true, None);
        p.done = 50;
        assert_eq!(
            p.line(Duration::from_secs(2)),
            "verbatim: 50 documents, 25.0 docs/s"
        );
        p.total = Some(80);
        assert_eq!(
            p.line(Duration::from_secs(5)),
            "verbatim: 50/80 documents, 10.0 docs/s"
        );
    }
}
