//! The cause a record is worked under: the classifier's, unless the agent set another with
//! `v`. One place decides it, so the Diagnosis pane, the checklist, the summary, `tickets`
//! and `summary --ticket` can never disagree about which cause is in force or whether it is
//! the agent's.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::bounce::Record;
use crate::classify::Diagnosis;
use crate::sanitize::for_display;
use crate::ticket::{AgentCause, RecordRef, Ticket};

/// The reference the ticket keeps an agent's cause under, for record `index` of a bounce.
pub fn record_ref(index: usize, record: &Record) -> RecordRef {
    RecordRef {
        index,
        recipient: record.recipient.clone(),
        server_words: record.diagnostic.clone(),
        also_named: record.also_named().map(str::to_string),
    }
}

/// The cause in force for one record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cause<'a> {
    /// The variation whose checklist applies.
    pub variation: &'a str,
    /// What the classifier says, always (the triage answer).
    pub classified: &'a Diagnosis,
    /// Set when the agent chose the cause; None when it is the classifier's.
    pub agent: Option<&'a AgentCause>,
}

impl Cause<'_> {
    pub fn is_agents(&self) -> bool {
        self.agent.is_some()
    }

    /// "cause set by the agent; bouncebook said relay-denied at 62%", or None when the
    /// cause is the classifier's.
    pub fn mark(&self) -> Option<String> {
        self.agent.map(|_| {
            format!(
                "cause set by the agent; bouncebook said {} at {}",
                self.classified.variation,
                percent(self.classified.confidence)
            )
        })
    }
}

/// The cause for record `index` (`record`), which the classifier diagnosed as `diagnosis`.
/// An agent's cause that the classifier now agrees with (a playbook learned it) is no
/// longer marked: the mark says the agent overruled bouncebook, and it no longer does.
pub fn cause_of<'a>(
    ticket: &'a Ticket,
    index: usize,
    record: &Record,
    diagnosis: &'a Diagnosis,
) -> Cause<'a> {
    let agent = ticket
        .agent_cause(&record_ref(index, record))
        .filter(|a| a.variation != diagnosis.variation);
    Cause {
        variation: agent.map_or(diagnosis.variation.as_str(), |a| a.variation.as_str()),
        classified: diagnosis,
        agent,
    }
}

/// A confidence as a whole percentage.
pub fn percent(confidence: f32) -> String {
    if confidence.is_finite() {
        format!("{:.0}%", confidence.clamp(0.0, 1.0) * 100.0)
    } else {
        "unknown".to_string()
    }
}

/// One cause an agent set by hand, as `tickets corrections` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    pub ticket: String,
    /// The record's number in the bounce, from 1, as the TUI shows it.
    pub record: usize,
    pub recipient: Option<String>,
    /// The server's words for the record (redacted, as the ticket stores them).
    pub server_words: Option<String>,
    pub stage: Option<String>,
    /// What bouncebook said, and how sure it was (0..=1).
    pub bouncebook_said: String,
    pub confidence: f32,
    /// What the agent set.
    pub agent_set: String,
    pub when: DateTime<Utc>,
}

/// Every agent-set cause of these tickets, oldest first.
pub fn corrections<'a>(tickets: impl IntoIterator<Item = &'a Ticket>) -> Vec<Correction> {
    let mut out: Vec<Correction> = tickets
        .into_iter()
        .flat_map(|t| {
            t.causes.iter().map(|c| Correction {
                ticket: t.id.clone(),
                record: c.record.index + 1,
                recipient: c.record.recipient.clone(),
                server_words: c.record.server_words.clone(),
                stage: c.stage.clone(),
                bouncebook_said: c.classified.clone(),
                confidence: c.confidence,
                agent_set: c.variation.clone(),
                when: c.set_at,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.when
            .cmp(&b.when)
            .then_with(|| a.ticket.cmp(&b.ticket))
            .then_with(|| a.record.cmp(&b.record))
    });
    out
}

/// The corrections as `examples:` entries in a team playbook's `match:` (the format
/// `playbooks check` runs: `line`, `cause`, `stage`, `source`). One entry per distinct
/// server line and cause; its `source` names the tickets it came from. Records without the
/// server's words cannot be examples and are listed in a comment instead.
pub fn examples_yaml(corrections: &[Correction]) -> String {
    let mut out = String::from(
        "# Causes agents set by hand (bouncebook tickets corrections --yaml).\n\
         # Paste the entries under `match:` `examples:` in a playbook (each says its `cause`),\n\
         # then run `bouncebook playbooks check` to see which ones the rules still get wrong.\n\
         examples:\n",
    );
    // (line, cause, stage) → the corrections behind it, in first-seen order.
    type Key<'a> = (String, &'a str, Option<&'a str>);
    let mut entries: Vec<(Key<'_>, Vec<&Correction>)> = Vec::new();
    let mut without_words: Vec<&Correction> = Vec::new();
    for c in corrections {
        let Some(line) = c
            .server_words
            .as_deref()
            .map(one_line)
            .filter(|l| !l.is_empty())
        else {
            without_words.push(c);
            continue;
        };
        let key = (line, c.agent_set.as_str(), c.stage.as_deref());
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, from)) => from.push(c),
            None => entries.push((key, vec![c])),
        }
    }
    if entries.is_empty() {
        out.push_str("  []\n");
    }
    for ((line, cause, stage), from) in &entries {
        let tickets: Vec<String> = from
            .iter()
            .map(|c| format!("{} record {}", c.ticket, c.record))
            .collect();
        let first = from[0];
        let source = format!(
            "agent correction on ticket {} (bouncebook said {} at {}), {}",
            tickets.join(", "),
            first.bouncebook_said,
            percent(first.confidence),
            first.when.format("%Y-%m-%d")
        );
        out.push_str(&format!("  - line: {}\n", yaml_scalar(line)));
        out.push_str(&format!("    cause: {}\n", yaml_scalar(cause)));
        if let Some(stage) = stage {
            out.push_str(&format!("    stage: {}\n", yaml_scalar(stage)));
        }
        out.push_str(&format!("    source: {}\n", yaml_scalar(&source)));
    }
    for c in without_words {
        out.push_str(&format!(
            "  # ticket {} record {}: set to {} without the server's words; no example\n",
            one_line(&for_display(&c.ticket)),
            c.record,
            one_line(&for_display(&c.agent_set))
        ));
    }
    out
}

/// Whitespace (line breaks included) folded to single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A YAML scalar that reads back as exactly `text`: always double-quoted and escaped, so a
/// line starting with `*`, `&`, `#` or holding `: ` or control characters cannot change the
/// document. Every character YAML does not allow raw (controls, DEL, C1, BOM, surrogates'
/// neighbours) is written as `\uXXXX`.
fn yaml_scalar(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || c == '\u{feff}' || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Basis;
    use chrono::{TimeZone, Utc};

    fn diag(v: &str, c: f32) -> Diagnosis {
        Diagnosis {
            variation: v.into(),
            confidence: c,
            evidence: String::new(),
            basis: Basis::Text,
        }
    }

    #[test]
    fn the_agent_s_cause_wins_and_is_marked_until_the_classifier_agrees() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 0, 0, 0).unwrap();
        let record = Record {
            recipient: Some("a@example.com".into()),
            diagnostic: Some("553 sorry".into()),
            ..Record::default()
        };
        let mut t = Ticket::new("x", now);
        let d = diag("relay-denied", 0.62);
        let c = cause_of(&t, 0, &record, &d);
        assert_eq!((c.variation, c.mark()), ("relay-denied", None));

        t.set_cause(
            &record_ref(0, &record),
            "relay-denied",
            0.62,
            "sender-not-owned",
            now,
        );
        let c = cause_of(&t, 0, &record, &d);
        assert_eq!(c.variation, "sender-not-owned");
        assert_eq!(
            c.mark().as_deref(),
            Some("cause set by the agent; bouncebook said relay-denied at 62%")
        );
        // A later playbook teaches the classifier the agent's answer: no mark any more.
        let learned = diag("sender-not-owned", 0.9);
        let c = cause_of(&t, 0, &record, &learned);
        assert_eq!((c.variation, c.is_agents()), ("sender-not-owned", false));
    }
}
