use serde::{Deserialize, Serialize};

/// One playbook: a cause ("variation"), how to recognise it, and the checklist to work it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// The variation id; must equal the file name without `.yaml`.
    pub id: String,
    pub title: String,
    /// What it means, for the agent, in two or three sentences.
    pub summary: String,
    /// How a record is recognised. Absent for `unclassified`.
    #[serde(default, rename = "match")]
    pub matcher: MatchRules,
    /// The checklist, in the order an agent should work it.
    pub steps: Vec<Step>,
    /// What to gather before escalating.
    #[serde(default)]
    pub escalate: Vec<String>,
}

/// Recognition rules. Text outranks the enhanced status, which outranks the reply code; the
/// SMTP stage breaks ties.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchRules {
    /// Case-insensitive regular expressions searched in the server's response.
    #[serde(default)]
    pub text: Vec<String>,
    /// Enhanced status codes that point at this cause (`5.1.1`; `5.7.*` for a class).
    #[serde(default)]
    pub status: Vec<String>,
    /// Reply codes that point at this cause when nothing more specific matched.
    #[serde(default)]
    pub reply_code: Vec<u16>,
    /// SMTP stages (`MAIL FROM`, `RCPT TO`, `DATA`) that favour this cause in a tie.
    #[serde(default)]
    pub stage: Vec<String>,
    /// When text rules of two playbooks both match, the higher priority wins.
    #[serde(default)]
    pub priority: i32,
}

/// One checklist step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable id within the playbook; ticks are saved under it.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub detail: Option<String>,
    /// Shown and copied, never executed. `{placeholders}` are filled from the bounce.
    #[serde(default)]
    pub command: Option<String>,
}
