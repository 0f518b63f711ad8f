//! Compiling the parser's own patterns.

use regex::Regex;

/// Compile one of our own literal patterns (never input): a failure is a bug caught by tests.
pub(crate) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern compiles")
}
