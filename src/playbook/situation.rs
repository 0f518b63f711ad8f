//! The situation a record is worked in: the bounce's facts (who refused, whether the
//! customer logged in, which mail system wrote the report, temporary or permanent), with any
//! value saved with the ticket taking precedence. Steps' `when:` conditions are evaluated
//! here, and commands and customer replies are filled from it.
//!
//! A condition on a fact the bounce does not show never hides a step: the step is shown, and
//! the UI says what it depends on. Only a fact the bounce (or the agent) states can rule a
//! step out, and the reason is given.

use std::collections::BTreeMap;

use crate::bounce::facts::{RefusedBy, ReportingSystem};
use crate::bounce::{Bounce, Record};
use crate::sanitize::for_display;

use super::placeholders::{self, PLACEHOLDERS, Piece};
use super::schema::When;

/// One fact a `when:` condition may test, with its allowed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactDef {
    pub name: &'static str,
    pub values: &'static [&'static str],
    pub description: &'static str,
}

/// Every fact `when:` knows, in the order the README lists them.
pub const FACTS: &[FactDef] = &[
    FactDef {
        name: "refused_by",
        values: &["local", "remote"],
        description: "who refused: `local` (our server refused the customer's client) or `remote` (a remote MX, the recipient's server)",
    },
    FactDef {
        name: "authenticated",
        values: &["true", "false"],
        description: "whether the customer's client logged in (SMTP AUTH) when sending",
    },
    FactDef {
        name: "reporting_system",
        values: &[
            "exim",
            "postfix",
            "qmail",
            "sendmail",
            "exchange",
            "gmail",
            "courier",
            "opensmtpd",
            "other",
        ],
        description: "the mail software that wrote the report",
    },
    FactDef {
        name: "temporary",
        values: &["true", "false"],
        description: "a temporary failure (4xx, the server retries) or a permanent one (5xx)",
    },
];

pub fn fact_def(name: &str) -> Option<&'static FactDef> {
    FACTS.iter().find(|f| f.name == name)
}

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bounce,
    /// Saved with the ticket by the agent.
    Agent,
}

/// Whether a step applies in this situation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applicability {
    /// Every condition holds (or there is none).
    Applies,
    /// Some condition is on a fact nobody knows yet; the step is shown, with what it needs.
    Unknown { depends_on: String },
    /// A known fact contradicts a condition; the step is shown dimmed (or hidden) with this.
    DoesNotApply { reason: String },
}

impl Applicability {
    pub fn applies(&self) -> bool {
        !matches!(self, Applicability::DoesNotApply { .. })
    }
}

/// A command with its placeholders filled, and which could not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    /// Placeholder names without a usable value, each once, in order of appearance.
    pub missing: Vec<&'static str>,
}

/// A bounce record plus the agent's typed values.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub bounce: &'a Bounce,
    pub record: &'a Record,
    /// Fact and placeholder values the agent typed, by name (`refused_by`, `submission_host`).
    pub values: &'a BTreeMap<String, String>,
}

fn refused_by_str(r: RefusedBy) -> &'static str {
    match r {
        RefusedBy::Local => "local",
        RefusedBy::Remote => "remote",
    }
}

pub fn reporting_system_str(r: ReportingSystem) -> &'static str {
    match r {
        ReportingSystem::Exim => "exim",
        ReportingSystem::Postfix => "postfix",
        ReportingSystem::Qmail => "qmail",
        ReportingSystem::Sendmail => "sendmail",
        ReportingSystem::Exchange => "exchange",
        ReportingSystem::Gmail => "gmail",
        ReportingSystem::Courier => "courier",
        ReportingSystem::Opensmtpd => "opensmtpd",
        ReportingSystem::Other => "other",
    }
}

/// A typed fact value in its canonical form (`yes` → `true`, `Exim` → `exim`), or `None`
/// when it is not one of the fact's values.
pub fn normalise_fact(name: &str, typed: &str) -> Option<&'static str> {
    let def = fact_def(name)?;
    let t = typed.trim().to_ascii_lowercase();
    let t = match t.as_str() {
        "yes" | "y" | "1" => "true",
        "no" | "n" | "0" => "false",
        "cpanel" => "exim",
        "plesk" => "postfix",
        "m365" | "microsoft" | "office365" | "o365" | "outlook" => "exchange",
        "google" | "workspace" => "gmail",
        "our" | "ours" | "us" | "own" => "local",
        other => other,
    };
    def.values.iter().copied().find(|v| *v == t)
}

/// How a fact's value reads to an agent.
pub fn describe(name: &str, value: &str) -> String {
    match (name, value) {
        ("refused_by", "local") => "our own server refused the customer's client".into(),
        ("refused_by", "remote") => "a remote MX refused (the recipient's server, not ours)".into(),
        ("authenticated", "true") => "the customer logged in (SMTP AUTH)".into(),
        ("authenticated", "false") => "the customer did not log in".into(),
        ("temporary", "true") => "a temporary failure (the server retries)".into(),
        ("temporary", "false") => "a permanent failure (nothing is retried)".into(),
        ("reporting_system", v) => format!("the report comes from {}", system_name(v)),
        (n, v) => format!("{n} is {v}"),
    }
}

/// The product name for a `reporting_system` value.
pub fn system_name(value: &str) -> &str {
    match value {
        "exim" => "Exim (cPanel)",
        "postfix" => "Postfix (Plesk)",
        "qmail" => "qmail",
        "sendmail" => "Sendmail",
        "exchange" => "Exchange / Microsoft 365",
        "gmail" => "Gmail / Google Workspace",
        "courier" => "Courier",
        "opensmtpd" => "OpenSMTPD",
        other => other,
    }
}

impl<'a> Situation<'a> {
    pub fn new(
        bounce: &'a Bounce,
        record: &'a Record,
        values: &'a BTreeMap<String, String>,
    ) -> Self {
        Situation {
            bounce,
            record,
            values,
        }
    }

    /// The fact as the bounce shows it, before the agent's values.
    pub fn bounce_fact(&self, name: &str) -> Option<&'static str> {
        let facts = &self.bounce.facts;
        match name {
            "refused_by" => facts.refused_by.map(refused_by_str),
            "authenticated" => facts
                .authenticated
                .map(|a| if a { "true" } else { "false" }),
            "reporting_system" => facts.reporting_system.map(reporting_system_str),
            "temporary" => {
                let r = self.record;
                if r.is_temporary() {
                    Some("true")
                } else if r.reply_code.is_some_and(|c| (500..600).contains(&c))
                    || r.status.as_deref().is_some_and(|s| s.starts_with('5'))
                {
                    Some("false")
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// The fact's value in force, and where it came from: the agent's typed value wins.
    pub fn fact(&self, name: &str) -> Option<(&'static str, Source)> {
        if let Some(v) = self.values.get(name).and_then(|t| normalise_fact(name, t)) {
            return Some((v, Source::Agent));
        }
        self.bounce_fact(name).map(|v| (v, Source::Bounce))
    }

    /// Whether a step with this condition applies here.
    pub fn applies(&self, when: Option<&When>) -> Applicability {
        let Some(when) = when else {
            return Applicability::Applies;
        };
        let bool_list = |b: Option<bool>| b.map(|b| vec![if b { "true" } else { "false" }]);
        let conditions: [(&str, Option<Vec<&str>>); 4] = [
            (
                "refused_by",
                when.refused_by
                    .as_ref()
                    .map(|v| v.values().iter().map(String::as_str).collect()),
            ),
            ("authenticated", bool_list(when.authenticated)),
            (
                "reporting_system",
                when.reporting_system
                    .as_ref()
                    .map(|v| v.values().iter().map(String::as_str).collect()),
            ),
            ("temporary", bool_list(when.temporary)),
        ];
        let mut unknown = Vec::new();
        for (name, wanted) in conditions {
            let Some(wanted) = wanted else { continue };
            let wanted_text = wanted
                .iter()
                .map(|v| describe(name, v))
                .collect::<Vec<_>>()
                .join(" or ");
            match self.fact(name) {
                Some((actual, source)) if !wanted.contains(&actual) => {
                    let by = match source {
                        Source::Bounce => "the bounce shows",
                        Source::Agent => "you set",
                    };
                    return Applicability::DoesNotApply {
                        reason: format!("only when {wanted_text}; {by} {}", describe(name, actual)),
                    };
                }
                Some(_) => {}
                None => unknown.push(wanted_text),
            }
        }
        if unknown.is_empty() {
            Applicability::Applies
        } else {
            Applicability::Unknown {
                depends_on: format!("applies when {}", unknown.join(" and ")),
            }
        }
    }

    /// The agent's typed value for a placeholder: the one typed for this record (see
    /// [`record_value_key`]) first, then the ticket-wide one.
    fn typed(&self, name: &str) -> Option<&str> {
        let scoped = record_value_key(self.record.recipient.as_deref(), name)
            .and_then(|key| self.values.get(&key));
        scoped
            .or_else(|| self.values.get(name))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A placeholder's value in force and where it came from (the agent's typed one wins),
    /// as `e` lists it; None when neither the agent nor the bounce gives one.
    pub fn placeholder(&self, name: &str) -> Option<(String, Source)> {
        if let Some(v) = self.typed(name) {
            return Some((v.to_string(), Source::Agent));
        }
        placeholders::raw_value(name, self.bounce, self.record).map(|v| (v, Source::Bounce))
    }

    /// A placeholder's raw value: the agent's typed one first, then the bounce's.
    fn raw(&self, name: &str) -> Option<String> {
        if let Some(v) = self.typed(name) {
            return Some(v.to_string());
        }
        placeholders::raw_value(name, self.bounce, self.record)
    }

    /// Fill a step command. A value that is missing or not shell-inert becomes its name in
    /// capitals and is listed in `missing`, so the UI can refuse to copy it as if complete.
    pub fn fill_command(&self, template: &str) -> Filled {
        let mut text = String::with_capacity(template.len() + 32);
        let mut missing: Vec<&'static str> = Vec::new();
        for piece in placeholders::pieces(template) {
            match piece {
                Piece::Text(t) => text.push_str(t),
                Piece::Placeholder { name, .. } => {
                    let Some(known) = PLACEHOLDERS.iter().find(|p| p.name == name) else {
                        text.push('{');
                        text.push_str(name);
                        text.push('}');
                        continue;
                    };
                    match self.raw(name).and_then(|v| placeholders::shell_value(&v)) {
                        Some(v) => text.push_str(&v),
                        None => {
                            text.push_str(&placeholders::missing_marker(name));
                            if !missing.contains(&known.name) {
                                missing.push(known.name);
                            }
                        }
                    }
                }
            }
        }
        Filled { text, missing }
    }

    /// Fill a customer reply. Values are made safe to show (no escapes, one line) but need
    /// not be shell-inert; a missing one reads as a plain phrase (`[the recipient's
    /// address]`) the agent sees and replaces.
    pub fn fill_text(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        for piece in placeholders::pieces(template) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder { name, .. } => match self.text_value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('[');
                        out.push_str(plain_name(name));
                        out.push(']');
                    }
                },
            }
        }
        out
    }

    fn text_value(&self, name: &str) -> Option<String> {
        let raw = match name {
            "time" => self
                .bounce
                .timestamp_raw
                .clone()
                .or_else(|| self.bounce.timestamp.map(|t| t.to_rfc2822())),
            "said" => self.record.diagnostic.as_deref().map(clean_said),
            _ => self.raw(name),
        }?;
        let shown = for_display(&raw);
        let one = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        (!one.is_empty()).then_some(one)
    }
}

/// Placeholders whose value belongs to one record (recipient): a value the agent types for
/// one of these on a bounce with several records is kept for that record only.
pub const PER_RECORD: &[&str] = &[
    "recipient",
    "recipient_domain",
    "remote_host",
    "remote_ip",
    "reply_code",
    "status",
];

/// The ticket `values` key of a per-record value: `<recipient, lower-cased>/<name>`; None
/// for a value that is not per record, or a record without a recipient.
pub fn record_value_key(recipient: Option<&str>, name: &str) -> Option<String> {
    let recipient = recipient.map(str::trim).filter(|r| !r.is_empty())?;
    PER_RECORD
        .contains(&name)
        .then(|| format!("{}/{name}", recipient.to_lowercase()))
}

/// Placeholders a `reply:` may use beyond the command ones.
pub const REPLY_ONLY_PLACEHOLDERS: &[(&str, &str)] = &[
    ("time", "when the message bounced, as the bounce prints it"),
    ("said", "the refusing server's words"),
];

/// What a missing value reads as in a reply.
fn plain_name(name: &str) -> &str {
    match name {
        "sender" | "header_from" => "your address",
        "sender_domain" => "your domain",
        "recipient" => "the recipient's address",
        "recipient_domain" => "the recipient's domain",
        "remote_host" | "remote_ip" => "the receiving server",
        "reporting_mta" => "our mail server",
        "submission_host" => "your outgoing mail server",
        "time" => "the time you sent it",
        "said" => "the server's message",
        other => other,
    }
}

/// The server's words without Exim's literal `\n` continuation markers and folded space.
pub fn clean_said(text: &str) -> String {
    let unescaped = text.replace("\\n", " ");
    unescaped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounce::facts::Facts;
    use crate::playbook::schema::OneOrMany;

    fn bounce(facts: Facts, code: u16) -> Bounce {
        Bounce {
            facts,
            records: vec![Record {
                recipient: Some("bob@partner.example".into()),
                reply_code: Some(code),
                remote_host: Some("mx.partner.example".into()),
                ..Record::default()
            }],
            sender: Some("alice@shop.example".into()),
            ..Bounce::default()
        }
    }

    #[test]
    fn a_contradicted_condition_rules_the_step_out_with_the_reason() {
        let b = bounce(
            Facts {
                refused_by: Some(RefusedBy::Remote),
                authenticated: Some(true),
                ..Facts::default()
            },
            553,
        );
        let none = BTreeMap::new();
        let s = Situation::new(&b, &b.records[0], &none);
        let when = When {
            authenticated: Some(false),
            ..When::default()
        };
        match s.applies(Some(&when)) {
            Applicability::DoesNotApply { reason } => {
                assert!(reason.contains("did not log in"), "{reason}");
                assert!(
                    reason.contains("bounce shows the customer logged in"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        let remote = When {
            refused_by: Some(OneOrMany::One("remote".into())),
            ..When::default()
        };
        assert_eq!(s.applies(Some(&remote)), Applicability::Applies);
    }

    #[test]
    fn an_unknown_fact_keeps_the_step_and_the_agent_value_wins() {
        let b = bounce(Facts::default(), 553);
        let mut values = BTreeMap::new();
        let when = When {
            reporting_system: Some(OneOrMany::Many(vec!["exim".into()])),
            ..When::default()
        };
        let s = Situation::new(&b, &b.records[0], &values);
        assert!(matches!(
            s.applies(Some(&when)),
            Applicability::Unknown { .. }
        ));
        values.insert("reporting_system".into(), "Plesk".into());
        let s = Situation::new(&b, &b.records[0], &values);
        assert!(!s.applies(Some(&when)).applies());
    }

    #[test]
    fn temporary_comes_from_the_record() {
        let none = BTreeMap::new();
        let b = bounce(Facts::default(), 451);
        let s = Situation::new(&b, &b.records[0], &none);
        assert_eq!(s.fact("temporary"), Some(("true", Source::Bounce)));
        let b = bounce(Facts::default(), 553);
        let s = Situation::new(&b, &b.records[0], &none);
        assert_eq!(s.fact("temporary"), Some(("false", Source::Bounce)));
    }

    #[test]
    fn submission_host_comes_only_from_the_agent() {
        let b = bounce(Facts::default(), 553);
        let mut values = BTreeMap::new();
        let cmd = "swaks --server {submission_host} --auth-user {sender}";
        let s = Situation::new(&b, &b.records[0], &values);
        let f = s.fill_command(cmd);
        assert_eq!(f.missing, vec!["submission_host"]);
        assert!(f.text.contains("SUBMISSION_HOST"));
        values.insert("submission_host".into(), "mail.shop.example".into());
        let s = Situation::new(&b, &b.records[0], &values);
        let f = s.fill_command(cmd);
        assert!(f.missing.is_empty());
        assert_eq!(
            f.text,
            "swaks --server mail.shop.example --auth-user alice@shop.example"
        );
    }

    #[test]
    fn replies_read_plainly_when_a_value_is_missing() {
        let b = Bounce {
            records: vec![Record::default()],
            ..Bounce::default()
        };
        let none = BTreeMap::new();
        let s = Situation::new(&b, &b.records[0], &none);
        assert_eq!(
            s.fill_text("Mail to {recipient} at {time}."),
            "Mail to [the recipient's address] at [the time you sent it]."
        );
    }

    #[test]
    fn exim_literal_newlines_are_dropped_from_the_said_text() {
        assert_eq!(
            clean_said("550-Verification failed\\n550 Unrouteable address"),
            "550-Verification failed 550 Unrouteable address"
        );
    }
}
