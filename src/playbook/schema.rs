//! The types a playbook file deserialises into. `build.rs` compiles this file too, to read the
//! embedded playbooks exactly as the library does, so it depends on serde alone.

use std::collections::BTreeMap;

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
    /// Plain words for the customer: what happened and what to change. `{placeholders}` are
    /// filled from the bounce (and the values the agent typed); `m` copies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// Recognition rules, read by `crate::classify`. The evidence ladder, strongest first:
/// `text` and `stage_text` (ranked by `priority`) > enhanced `status` > `weak_text` >
/// `reply_code`; the SMTP `stage` breaks ties at every rung. All regexes are searched
/// case-insensitively in the server's response (`regex` crate syntax, no look-around).
///
/// Two ids are special: a record whose best match is `generic-553` or `unclassified` (their
/// rules list wordings that are known to be outside every cause, such as a full mailbox)
/// ends as `generic-553` when its reply code is 553 and `unclassified` otherwise.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchRules {
    /// Regexes whose match names this cause, whatever the codes say.
    #[serde(default)]
    pub text: Vec<String>,
    /// Like `text`, but only counted when the record's SMTP stage is known and listed in
    /// `stage`: for wordings whose meaning depends on the command answered (a bare "domain
    /// does not exist" after MAIL FROM is about the sender).
    #[serde(default)]
    pub stage_text: Vec<String>,
    /// Regexes too vague to decide on their own ("Access denied", "Sender address
    /// rejected"): they count only when no `text` matched and the enhanced status names no
    /// cause.
    #[serde(default)]
    pub weak_text: Vec<String>,
    /// Regexes that rule this cause out: when one matches, none of this playbook's rules
    /// count for the record.
    #[serde(default)]
    pub not_text: Vec<String>,
    /// Enhanced status codes that point at this cause: exact (`5.1.1`) or with `*` for any
    /// digits and `?` for one digit (`5.7.6??`, `5.7.*`). The more literal digits, the
    /// stronger the evidence.
    #[serde(default)]
    pub status: Vec<String>,
    /// Reply codes that point at this cause when neither text nor status decided. Only
    /// counted at a listed `stage` when the record's stage is known and `stage` is non-empty.
    #[serde(default)]
    pub reply_code: Vec<u16>,
    /// SMTP stages (`MAIL FROM`, `RCPT TO`, `DATA`) that favour this cause in a tie.
    #[serde(default)]
    pub stage: Vec<String>,
    /// When text rules of two playbooks both match, the higher priority wins; a rule from a
    /// user's playbook file beats a built-in one first (`playbooks/README.md`, "Matching").
    #[serde(default)]
    pub priority: i32,
    /// Whether a temporary failure (a 4xx reply, or a 4.x.x status with no reply code, or a
    /// delayed notice) can be this cause. Leave false for causes that state a permanent fact
    /// (no such mailbox or domain, a malformed address): a 4xx means the server could not
    /// tell yet, and a DNS hiccup must not read as "the domain does not exist".
    #[serde(default)]
    pub transient: bool,
    /// Word classes for this playbook's rules (`{name}` in a pattern), added to the shared
    /// vocabulary (`playbooks/vocabulary/words.yaml`); one of the same name replaces the
    /// shared one for this playbook.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, Vec<String>>,
    /// Refusal lines with the cause each must get; `playbooks check` classifies them and
    /// reports a failing one at its line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
}

/// One refusal line a playbook's rules must classify, and where the wording comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The server's response as a bounce shows it (`553 5.7.1 ...`); the reply code and
    /// enhanced status are read from it.
    pub line: String,
    /// The cause it must get; this playbook's id when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The SMTP command answered (`MAIL FROM`, `RCPT TO`, `DATA`), when the bounce says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Where the wording comes from: the software and file, or the documentation page.
    pub source: String,
}

/// The shared word classes (`playbooks/vocabulary/words.yaml`) that every playbook's rules
/// may name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// Class name → alternatives (regex fragments, which may name other classes).
    pub words: BTreeMap<String, Vec<String>>,
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
    /// The situation the step applies in; absent means always. A step whose condition the
    /// bounce's facts contradict is shown dimmed with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    /// A live check (`d`) whose result is shown with this step, by id (`recipient-mx`,
    /// `sender-spf`, ...: `bouncebook::checks::plan::CHECK_IDS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

/// Conditions over the bounce's facts (`crate::bounce::facts::Facts`) and the record. Every
/// condition given must hold; a list means "any of these". Values are strings here (this
/// file is also compiled by `build.rs`, which knows no crate types) and are checked against
/// the known values by `playbooks check`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// `local` (our own server refused the customer's client) or `remote` (a remote MX
    /// refused: the recipient's server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused_by: Option<OneOrMany>,
    /// Whether the customer's client logged in (SMTP AUTH) when sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<bool>,
    /// The mail software that wrote the report: `exim`, `postfix`, `qmail`, `sendmail`,
    /// `exchange`, `gmail`, `courier`, `opensmtpd`, `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_system: Option<OneOrMany>,
    /// A temporary failure (4xx, 4.x.x or delayed: the server retries) or a permanent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary: Option<bool>,
}

/// One value or a list of values (`refused_by: local` or `reporting_system: [exim, postfix]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

// `build.rs` compiles this file without the code that calls this.
#[allow(dead_code)]
impl OneOrMany {
    pub fn values(&self) -> &[String] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(vs) => vs,
        }
    }
}
