//! What a paste turns into, computed once per paste and cached in the app: the parsed
//! bounce, one diagnosis per record, and the text made safe and split into lines for
//! drawing. Drawing then only slices the visible lines, so a 5 MB paste costs the same per
//! frame as a 5 KB one.

use std::ops::Range;

use crate::bounce::{self, Bounce, ParseError, Record};
use crate::classify::{Classifier, Diagnosis};
use crate::sanitize;

/// A single displayed line longer than this is cut (with a marker): nobody reads 5 MB of
/// base64 on one line, and it keeps the per-frame cost of the widest line bounded.
pub const MAX_LINE_CHARS: usize = 2_000;

/// Pasted text split into display lines once. Most pastes need no cleaning: then the lines
/// index the text the caller keeps (the ticket's bounce, the summary), and a 5 MB paste is
/// not held twice. Text that needs cleaning is sanitised once into a buffer of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DisplayText {
    /// The text made safe, when it needed that; None when the source is shown as it is.
    cleaned: Option<String>,
    lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq)]
struct Line {
    /// The shown part of the line in the cleaned text, or in the source.
    shown: Range<usize>,
    /// Characters cut off the end (see [`MAX_LINE_CHARS`]).
    hidden: usize,
}

impl DisplayText {
    /// Split `untrusted` for display. Pass the same text as `source` to [`Self::line`] and
    /// [`Self::window`].
    pub fn new(untrusted: &str) -> Self {
        // Most pastes are plain text: then the display form is the text itself, and the
        // char-by-char sanitiser (the slowest step on a 5 MB paste) can be skipped.
        let plain = is_printable_ascii(untrusted)
            || (!untrusted.contains(['\t', '\r']) && !sanitize::needs_cleaning(untrusted));
        let cleaned = (!plain).then(|| sanitize::for_display(untrusted));
        let lines = split_lines(cleaned.as_deref().unwrap_or(untrusted));
        DisplayText { cleaned, lines }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The longest shown line, in bytes (at least its width in characters): how far the
    /// text can be scrolled sideways.
    pub fn widest(&self) -> usize {
        self.lines.iter().map(|l| l.shown.len()).max().unwrap_or(0)
    }

    /// What the lines index: the cleaned text, or the source itself.
    fn shown<'a>(&'a self, source: &'a str) -> &'a str {
        self.cleaned.as_deref().unwrap_or(source)
    }

    /// A line's shown text and how many characters were cut off its end. `source` is the
    /// text this was made from (another text shows empty lines, never a panic).
    pub fn line<'a>(&'a self, source: &'a str, index: usize) -> Option<(&'a str, usize)> {
        let shown = self.shown(source);
        self.lines
            .get(index)
            .map(|l| (shown.get(l.shown.clone()).unwrap_or_default(), l.hidden))
    }

    /// Lines `start..start+count` (clamped) of `source` (the text this was made from):
    /// number, shown text, characters cut.
    pub fn window<'a>(
        &'a self,
        source: &'a str,
        start: usize,
        count: usize,
    ) -> impl Iterator<Item = (usize, &'a str, usize)> + 'a {
        let shown = self.shown(source);
        let end = start.saturating_add(count).min(self.lines.len());
        let start = start.min(end);
        (start..end).map(move |i| {
            let l = &self.lines[i];
            (i, shown.get(l.shown.clone()).unwrap_or_default(), l.hidden)
        })
    }
}

/// Line ranges of `text`, each cut to [`MAX_LINE_CHARS`].
fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.len();
        // Byte length bounds the char count from above: cheap test first.
        let cut = (line.len() > MAX_LINE_CHARS)
            .then(|| line.char_indices().nth(MAX_LINE_CHARS))
            .flatten();
        lines.push(match cut {
            Some((at, _)) => Line {
                shown: start..start + at,
                hidden: line[at..].chars().count(),
            },
            None => Line {
                shown: start..end,
                hidden: 0,
            },
        });
        start = end + 1;
    }
    // A trailing newline does not make an extra empty line worth showing.
    if lines.len() > 1 && lines.last().is_some_and(|l| l.shown.is_empty()) {
        lines.pop();
    }
    lines
}

/// Printable ASCII and newlines only: a byte test the compiler vectorises, so the common
/// case costs about a memcpy.
fn is_printable_ascii(text: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\n')
}

/// The parse and classification of the ticket's current bounce.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub text: DisplayText,
    pub parsed: Result<Bounce, ParseError>,
    /// One per record of `parsed`, same order.
    pub diagnoses: Vec<Diagnosis>,
}

impl Analysis {
    /// Parse and classify `text` (already redacted). Never panics on any input.
    pub fn of(text: &str, classifier: &Classifier) -> Self {
        let parsed = bounce::parse(text.as_bytes());
        let diagnoses = match &parsed {
            Ok(b) => b.records.iter().map(|r| classifier.classify(r)).collect(),
            Err(_) => Vec::new(),
        };
        Analysis {
            text: DisplayText::new(text),
            parsed,
            diagnoses,
        }
    }

    /// Build from parts: for tests and for callers that already hold a parse.
    pub fn from_parts(text: &str, bounce: Bounce, diagnoses: Vec<Diagnosis>) -> Self {
        Analysis {
            text: DisplayText::new(text),
            parsed: Ok(bounce),
            diagnoses,
        }
    }

    pub fn bounce(&self) -> Option<&Bounce> {
        self.parsed.as_ref().ok()
    }

    pub fn records(&self) -> &[Record] {
        self.bounce().map_or(&[], |b| b.records.as_slice())
    }

    pub fn record(&self, index: usize) -> Option<&Record> {
        self.records().get(index)
    }

    pub fn diagnosis(&self, index: usize) -> Option<&Diagnosis> {
        self.diagnoses.get(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_sanitised_and_cut() {
        let long = "é".repeat(MAX_LINE_CHARS + 5);
        let hostile = format!("a\u{1b}]52;c;AAAA\u{7}b\r\n{long}\n");
        let t = DisplayText::new(&hostile);
        assert_eq!(t.len(), 2);
        assert_eq!(t.line(&hostile, 0), Some(("ab", 0)));
        let kept = "é".repeat(MAX_LINE_CHARS);
        assert_eq!(t.line(&hostile, 1), Some((kept.as_str(), 5)));
        // Plain text takes the fast path, holds no copy, and comes out the same.
        let source = format!("x\n{long}");
        let plain = DisplayText::new(&source);
        assert_eq!(plain.cleaned, None);
        assert_eq!(plain.line(&source, 1), t.line(&hostile, 1));
        // Another text than the one it was made from gives empty lines, not a panic.
        assert_eq!(plain.line("é", 1), Some(("", 5)));
    }

    #[test]
    fn window_is_clamped() {
        let source = "1\n2\n3";
        let t = DisplayText::new(source);
        let got: Vec<_> = t.window(source, 2, 10).collect();
        assert_eq!(got, vec![(2, "3", 0)]);
        assert_eq!(t.window(source, 7, 3).count(), 0);
    }
}
