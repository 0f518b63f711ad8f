//! Which checks a record calls for, from its addresses, the bounce's facts and its cause.

use std::net::IpAddr;

use crate::bounce::facts::{RefusedBy, ReportingSystem};
use crate::bounce::{Bounce, Record};

use super::{Config, DnsblZone};

/// One check to run. `id()` is the stable name playbook steps use (`check: recipient-mx`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// MX of the recipient's domain; null MX (RFC 7505); else A/AAAA (implicit MX).
    RecipientMx {
        domain: String,
    },
    SenderMx {
        domain: String,
    },
    SenderA {
        domain: String,
    },
    /// The sender domain's SPF record: present, single, parses.
    SenderSpf {
        domain: String,
    },
    SenderDmarc {
        domain: String,
    },
    /// SPF evaluated for the sending IP and the envelope sender.
    SendingIpSpf {
        ip: IpAddr,
        sender: String,
    },
    /// PTR of the sending IP and forward confirmation (FCrDNS).
    SendingIpPtr {
        ip: IpAddr,
    },
    Dnsbl {
        ip: IpAddr,
        zone: DnsblZone,
    },
    /// Banner, EHLO, STARTTLS and certificate of the recipient domain's MX. Never RCPT.
    RecipientSmtp {
        domain: String,
        port: u16,
    },
    /// The customer's own submission server: AUTH offered and which mechanisms.
    Submission {
        host: String,
        port: u16,
        implicit_tls: bool,
    },
}

impl Check {
    pub fn id(&self) -> &'static str {
        match self {
            Check::RecipientMx { .. } => "recipient-mx",
            Check::SenderMx { .. } => "sender-mx",
            Check::SenderA { .. } => "sender-a",
            Check::SenderSpf { .. } => "sender-spf",
            Check::SenderDmarc { .. } => "sender-dmarc",
            Check::SendingIpSpf { .. } => "sending-ip-spf",
            Check::SendingIpPtr { .. } => "sending-ip-ptr",
            Check::Dnsbl { .. } => "dnsbl",
            Check::RecipientSmtp { .. } => "recipient-smtp",
            Check::Submission { .. } => "submission",
        }
    }

    /// True when `result` is this check's (its id, and its target as results show it).
    pub fn produced(&self, result: &super::CheckResult) -> bool {
        result.check == self.id()
            && result.target == super::clean_line(&self.target(), super::MAX_TARGET_CHARS)
    }

    pub fn target(&self) -> String {
        match self {
            Check::RecipientMx { domain }
            | Check::SenderMx { domain }
            | Check::SenderA { domain }
            | Check::SenderSpf { domain } => domain.clone(),
            Check::SenderDmarc { domain } => format!("_dmarc.{domain}"),
            Check::SendingIpSpf { ip, sender } => format!("{ip} for {sender}"),
            Check::SendingIpPtr { ip } => ip.to_string(),
            Check::Dnsbl { ip, zone } => format!("{ip} @ {}", zone.zone),
            Check::RecipientSmtp { domain, port } => format!("MX of {domain}, port {port}"),
            Check::Submission { host, port, .. } => format!("{host}:{port}"),
        }
    }

    /// True for checks that open SMTP connections (`--no-smtp` leaves them out).
    pub fn is_smtp(&self) -> bool {
        matches!(self, Check::RecipientSmtp { .. } | Check::Submission { .. })
    }
}

/// Every check id, for validating playbook steps' `check:` field.
pub const CHECK_IDS: &[&str] = &[
    "recipient-mx",
    "sender-mx",
    "sender-a",
    "sender-spf",
    "sender-dmarc",
    "sending-ip-spf",
    "sending-ip-ptr",
    "dnsbl",
    "recipient-smtp",
    "submission",
];

/// Causes that are about the recipient side only: the sender's DNS says nothing about them.
const RECIPIENT_ONLY: &[&str] = &[
    "recipient-unknown",
    "recipient-domain-missing",
    "address-syntax",
];

/// The checks for one record. `variation` is the record's cause when known.
pub fn plan(
    bounce: &Bounce,
    record: &Record,
    variation: Option<&str>,
    config: &Config,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let recipient_domain = record.recipient.as_deref().and_then(domain_of);
    let sender = bounce
        .sender
        .as_deref()
        .filter(|s| domain_of(s).is_some())
        .or(bounce
            .header_from
            .as_deref()
            .filter(|s| domain_of(s).is_some()));
    let sender_domain = sender.and_then(domain_of);
    let facts = &bounce.facts;
    let recipient_only = variation.is_some_and(|v| RECIPIENT_ONLY.contains(&v));

    if let Some(domain) = &recipient_domain {
        checks.push(Check::RecipientMx {
            domain: domain.clone(),
        });
    }
    if let Some(domain) = sender_domain.as_ref().filter(|_| !recipient_only) {
        checks.push(Check::SenderMx {
            domain: domain.clone(),
        });
        checks.push(Check::SenderA {
            domain: domain.clone(),
        });
        checks.push(Check::SenderSpf {
            domain: domain.clone(),
        });
        checks.push(Check::SenderDmarc {
            domain: domain.clone(),
        });
    }
    if let Some(ip) = facts.sending_ip {
        if let Some(sender) = sender.filter(|_| !recipient_only) {
            checks.push(Check::SendingIpSpf {
                ip,
                sender: sender.to_string(),
            });
        }
        checks.push(Check::SendingIpPtr { ip });
        for zone in &config.dnsbl {
            checks.push(Check::Dnsbl {
                ip,
                zone: zone.clone(),
            });
        }
    }
    if config.no_smtp {
        return checks;
    }
    // The recipient's MX is worth a conversation when a remote server refused (or nobody
    // says who did); when our own server refused, the customer's submission server is.
    let local = facts.refused_by == Some(RefusedBy::Local) || variation == Some("relay-denied");
    if let Some(domain) = recipient_domain.filter(|_| !local) {
        checks.push(Check::RecipientSmtp {
            domain,
            port: config.smtp_port.unwrap_or(25),
        });
    }
    if local {
        let host = record
            .remote_host
            .clone()
            .filter(|_| facts.refused_by == Some(RefusedBy::Local))
            // Gmail's own host wrote a Gmail report; the server that refused is the one it
            // logged in to, named only in the record's remote host.
            .or_else(|| {
                bounce
                    .reporting_mta
                    .clone()
                    .filter(|_| facts.reporting_system != Some(ReportingSystem::Gmail))
            })
            .and_then(|h| clean_host(&h));
        if let Some(host) = host {
            match config.smtp_port {
                Some(port) => checks.push(Check::Submission {
                    host,
                    port,
                    implicit_tls: false,
                }),
                None => {
                    checks.push(Check::Submission {
                        host: host.clone(),
                        port: 587,
                        implicit_tls: false,
                    });
                    checks.push(Check::Submission {
                        host,
                        port: 465,
                        implicit_tls: true,
                    });
                }
            }
        }
    }
    checks
}

/// The domain of an address, lowercased; None when it has none or it is not a host name.
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.trim().trim_matches(['<', '>']).rsplit_once('@')?;
    clean_host(domain)
}

/// A host name as checks use it: lowercase, no root dot, letters/digits/hyphens/dots only
/// (an address literal or a name with odd characters is not looked up).
fn clean_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let valid = host.contains('.')
        && host.len() <= 253
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-'))
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    valid.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::ResolverChoice;

    fn bounce(sender: &str, recipient: &str, ip: Option<&str>, local: bool) -> (Bounce, Record) {
        let mut b = Bounce {
            sender: Some(sender.to_string()),
            reporting_mta: Some("mail.hosting.example".into()),
            ..Bounce::default()
        };
        b.facts.sending_ip = ip.and_then(|s| s.parse().ok());
        b.facts.refused_by = Some(if local {
            RefusedBy::Local
        } else {
            RefusedBy::Remote
        });
        let r = Record {
            recipient: Some(recipient.to_string()),
            remote_host: Some("smtp.hosting.example".into()),
            ..Record::default()
        };
        (b, r)
    }

    fn ids(checks: &[Check]) -> Vec<&'static str> {
        checks.iter().map(Check::id).collect()
    }

    #[test]
    fn remote_refusal_checks_both_domains_ip_and_recipient_mx() {
        let (b, r) = bounce(
            "a@sender.example",
            "b@rcpt.example",
            Some("203.0.113.9"),
            false,
        );
        let mut config = Config::new(ResolverChoice::System);
        config.dnsbl.truncate(1);
        let checks = plan(&b, &r, Some("policy-blocked"), &config);
        assert_eq!(
            ids(&checks),
            [
                "recipient-mx",
                "sender-mx",
                "sender-a",
                "sender-spf",
                "sender-dmarc",
                "sending-ip-spf",
                "sending-ip-ptr",
                "dnsbl",
                "recipient-smtp"
            ]
        );
    }

    #[test]
    fn local_refusal_checks_the_submission_server_not_the_mx() {
        let (b, r) = bounce("a@sender.example", "b@rcpt.example", None, true);
        let config = Config::new(ResolverChoice::System);
        let checks = plan(&b, &r, Some("relay-denied"), &config);
        assert!(!ids(&checks).contains(&"recipient-smtp"));
        assert!(checks.contains(&Check::Submission {
            host: "smtp.hosting.example".into(),
            port: 587,
            implicit_tls: false
        }));
        assert!(checks.contains(&Check::Submission {
            host: "smtp.hosting.example".into(),
            port: 465,
            implicit_tls: true
        }));
    }

    /// Gmail's "Send mail as" refused by the customer's own server: the submission check
    /// goes to the host that refused when the report names it, and never to Google's host
    /// that wrote the report.
    #[test]
    fn a_gmail_report_s_local_refusal_never_checks_google_s_host() {
        let (mut b, mut r) = bounce("a@sender.example", "b@rcpt.example", None, true);
        b.reporting_mta = Some("mail-sor-f41.google.com".into());
        b.facts.reporting_system = Some(ReportingSystem::Gmail);
        let config = Config::new(ResolverChoice::System);
        let hosts = |checks: &[Check]| -> Vec<String> {
            checks
                .iter()
                .filter(|c| c.id() == "submission")
                .map(Check::target)
                .collect()
        };
        let checks = plan(&b, &r, Some("sender-not-owned"), &config);
        assert!(!hosts(&checks).is_empty());
        assert!(
            hosts(&checks)
                .iter()
                .all(|h| h.contains("smtp.hosting.example"))
        );
        r.remote_host = None;
        let checks = plan(&b, &r, Some("sender-not-owned"), &config);
        assert_eq!(hosts(&checks), Vec::<String>::new());
        // Any other reporter's host is the server that refused.
        b.facts.reporting_system = Some(ReportingSystem::Postfix);
        let checks = plan(&b, &r, Some("sender-not-owned"), &config);
        assert!(
            hosts(&checks)
                .iter()
                .all(|h| h.contains("mail-sor-f41.google.com"))
        );
        assert!(!hosts(&checks).is_empty());
    }

    #[test]
    fn recipient_causes_skip_sender_checks_and_no_smtp_skips_smtp() {
        let (b, r) = bounce("a@sender.example", "b@rcpt.example", None, false);
        let mut config = Config::new(ResolverChoice::System);
        config.no_smtp = true;
        let checks = plan(&b, &r, Some("recipient-unknown"), &config);
        assert_eq!(ids(&checks), ["recipient-mx"]);
    }

    #[test]
    fn odd_domains_are_not_looked_up() {
        assert_eq!(domain_of("x@[192.0.2.1]"), None);
        assert_eq!(domain_of("x@ex\u{1b}[31mample.com"), None);
        assert_eq!(domain_of("<X@Example.COM.>"), Some("example.com".into()));
        assert_eq!(domain_of("nobody"), None);
    }
}
