//! Facts about the situation a bounce shows, beyond its records: who refused, whether the
//! customer authenticated, which mail system wrote the report, the IP the message left from.
//! Playbook steps depend on them (`when:`) and live checks read them; the JSON contract
//! prints them as `facts`.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// Which server refused the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefusedBy {
    /// Our own server: the customer's client or script talked to it and was refused.
    Local,
    /// A remote MX, in our server's bounce.
    Remote,
}

/// The mail software that wrote the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportingSystem {
    Exim,
    Postfix,
    Qmail,
    Sendmail,
    Exchange,
    Gmail,
    Courier,
    Opensmtpd,
    Other,
}

/// What the bounce shows about the situation. Every field is `None` when the bounce does not
/// say: a fact is never guessed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    pub refused_by: Option<RefusedBy>,
    pub authenticated: Option<bool>,
    pub reporting_system: Option<ReportingSystem>,
    pub sending_ip: Option<IpAddr>,
}
