//! The live-check engine against the loopback network of `netsim`, with `Bounce` values built
//! here (the sending IP fact is set by hand): PTR/FCrDNS, SPF evaluation, DNSBLs read as
//! RFC 5782 says, hostile TXT answers, certificates, the AUTH test, and a run that is never
//! held up by a slow server.

mod netsim;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bouncebook::bounce::facts::RefusedBy;
use bouncebook::bounce::{Bounce, Record};
use bouncebook::checks::smtp::Credentials;
use bouncebook::checks::{
    self, Check, CheckResult, Config, DnsblZone, Limits, ResolverChoice, Status,
};

fn dns() -> SocketAddr {
    use std::sync::OnceLock;
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| netsim::start_dns(netsim::test_zones()).addr)
}

fn config() -> Config {
    let mut c = Config::new(ResolverChoice::Addr(dns()));
    c.limits = Limits::default().with_check_deadline(Duration::from_millis(1500));
    c.host = "checks.test".into();
    c.dnsbl = [
        "bl.listed.test",
        "bl.clean.test",
        "bl.refuse.test",
        "bl.rewrite.test",
        "bl.dead.test",
    ]
    .iter()
    .map(|z| DnsblZone {
        zone: z.to_string(),
        removal: Some(format!("https://{z}/remove")),
    })
    .collect();
    c
}

fn run(checks: Vec<Check>, config: Config) -> Vec<CheckResult> {
    checks::run_blocking(checks, config, |_| {})
}

fn one(check: Check) -> CheckResult {
    let mut r = run(vec![check], config());
    assert_eq!(r.len(), 1);
    r.remove(0)
}

fn no_raw(r: &CheckResult) {
    let all = serde_json::to_string(r).unwrap_or_default();
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!all.contains(bad), "raw {bad:?} in {all}");
    }
}

#[test]
fn ptr_confirms_or_not() {
    let ok = one(Check::SendingIpPtr {
        ip: "203.0.113.9".parse().expect("ip"),
    });
    assert_eq!(ok.status, Status::Ok, "{ok:?}");
    assert!(
        ok.detail.contains("out.sender.test, confirmed"),
        "{}",
        ok.detail
    );
    let bad = one(Check::SendingIpPtr {
        ip: "203.0.113.10".parse().expect("ip"),
    });
    assert_eq!(bad.status, Status::Fail, "{bad:?}");
    assert!(
        bad.detail.contains("does not resolve back"),
        "{}",
        bad.detail
    );
    let none = one(Check::SendingIpPtr {
        ip: "203.0.113.11".parse().expect("ip"),
    });
    assert_eq!(none.status, Status::Fail);
    assert!(none.detail.contains("no PTR record"), "{}", none.detail);
}

#[test]
fn spf_evaluated_for_the_sending_ip() {
    let ip = "203.0.113.9".parse().expect("ip");
    for (sender, status, words) in [
        ("customer@sender.test", Status::Ok, "pass"),
        ("customer@fail.test", Status::Fail, "fail"),
        ("customer@perm.test", Status::Fail, "permerror"),
    ] {
        let r = one(Check::SendingIpSpf {
            ip,
            sender: sender.into(),
        });
        assert_eq!(r.status, status, "{sender}: {r:?}");
        assert!(r.detail.starts_with(words), "{sender}: {}", r.detail);
    }
    let r = one(Check::SenderSpf {
        domain: "perm.test".into(),
    });
    assert_eq!(r.status, Status::Fail);
    assert!(r.detail.contains("2 SPF records"), "{}", r.detail);
}

#[test]
fn dnsbl_zones_read_as_rfc_5782_says() {
    let ip = "203.0.113.9".parse().expect("ip");
    let checks: Vec<Check> = config()
        .dnsbl
        .into_iter()
        .map(|zone| Check::Dnsbl { ip, zone })
        .collect();
    let results = run(checks, config());
    let by_zone = |z: &str| {
        results
            .iter()
            .find(|r| r.target.ends_with(z))
            .unwrap_or_else(|| panic!("no result for {z}"))
            .clone()
    };
    let listed = by_zone("bl.listed.test");
    assert_eq!(listed.status, Status::Fail, "{listed:?}");
    assert!(
        listed
            .detail
            .contains("listed on bl.listed.test (127.0.0.2)")
    );
    assert!(
        listed
            .detail
            .contains("removal: https://bl.listed.test/remove")
    );
    assert!(listed.answers.iter().any(|a| a.starts_with("TXT Listed")));
    assert_eq!(by_zone("bl.clean.test").status, Status::Ok);
    let refused = by_zone("bl.refuse.test");
    assert_eq!(refused.status, Status::Error);
    assert!(
        refused.detail.contains("127.255.255.254"),
        "{}",
        refused.detail
    );
    let rewritten = by_zone("bl.rewrite.test");
    assert_eq!(rewritten.status, Status::Error);
    assert!(
        rewritten.detail.contains("outside 127/8"),
        "{}",
        rewritten.detail
    );
    let dead = by_zone("bl.dead.test");
    assert_eq!(dead.status, Status::Error);
    assert!(
        dead.detail
            .contains("does not list its test address 127.0.0.2")
    );
}

#[test]
fn hostile_txt_answers_are_capped_and_sanitised() {
    // Hundreds of 250-byte strings: over the answer-size cap, an error naming it.
    let big = one(Check::SenderSpf {
        domain: "csi.test".into(),
    });
    assert_eq!(big.status, Status::Error, "{big:?}");
    assert!(big.detail.contains("too large"), "{}", big.detail);
    assert!(big.detail.contains("(limit)"), "{}", big.detail);
    // CSI, OSC 52 and a bidi override in a TXT record never come out raw.
    let csi = one(Check::SenderSpf {
        domain: "csi2.test".into(),
    });
    no_raw(&csi);
    assert!(
        csi.answers
            .iter()
            .any(|a| a.contains("v=spf1 red <U+202E> -all")),
        "{csi:?}"
    );
}

fn smtp_config(port: u16, roots: Option<Vec<u8>>) -> Config {
    let mut c = config();
    c.smtp_port = Some(port);
    c.extra_roots = roots.into_iter().collect();
    c
}

fn mx_smtp(cert: std::sync::Arc<netsim::TestCert>) -> CheckResult {
    let roots = cert.ca_der.clone();
    let port = netsim::start_smtp(netsim::Smtp::Friendly { cert });
    let mut r = run(
        vec![Check::RecipientSmtp {
            domain: "rcpt.test".into(),
            port,
        }],
        smtp_config(port, roots),
    );
    r.remove(0)
}

#[test]
fn certificates_valid_mismatched_expired() {
    let ok = mx_smtp(netsim::ca_signed(&["mx.rcpt.test"]));
    assert_eq!(ok.status, Status::Ok, "{ok:?}");
    assert!(
        ok.detail.contains("certificate valid for mx.rcpt.test"),
        "{}",
        ok.detail
    );
    let wrong = mx_smtp(netsim::ca_signed(&["other.example"]));
    assert_eq!(wrong.status, Status::Warn);
    assert!(
        wrong
            .detail
            .contains("the certificate is for other.example, not mx.rcpt.test"),
        "{}",
        wrong.detail
    );
    let old = mx_smtp(netsim::ca_signed_with(&["mx.rcpt.test"], true));
    assert_eq!(old.status, Status::Warn);
    assert!(old.detail.contains("expired"), "{}", old.detail);
}

#[test]
fn ehlo_names_the_host_or_gives_the_address_literal() {
    let cert = netsim::ca_signed(&["mx.rcpt.test"]);
    let roots = cert.ca_der.clone();
    let port = netsim::start_smtp(netsim::Smtp::Friendly { cert });
    let check = || Check::RecipientSmtp {
        domain: "rcpt.test".into(),
        port,
    };
    let named = run(vec![check()], smtp_config(port, roots.clone())).remove(0);
    let transcript = named.answers.join("\n");
    assert!(transcript.contains("C: EHLO checks.test"), "{transcript}");

    // A machine named without a domain (`myhost`, `localhost`) greets with its own address
    // on this connection, once before TLS and once after.
    let mut bare = smtp_config(port, roots);
    bare.host = "myhost".into();
    let literal = run(vec![check()], bare).remove(0);
    assert_eq!(literal.status, Status::Ok, "{literal:?}");
    let transcript = literal.answers.join("\n");
    assert_eq!(
        transcript.matches("C: EHLO [127.0.0.1]").count(),
        2,
        "{transcript}"
    );
    assert!(!transcript.contains("myhost"), "{transcript}");
}

fn submission_with(
    cert: std::sync::Arc<netsim::TestCert>,
    creds: Option<Credentials>,
) -> CheckResult {
    let roots = cert.ca_der.clone();
    let port = netsim::start_smtp(netsim::Smtp::Friendly { cert });
    let check = Check::Submission {
        host: "mx.rcpt.test".into(),
        port,
        implicit_tls: false,
    };
    let handle = checks::spawn(vec![check], smtp_config(port, roots), creds);
    let mut out = Vec::new();
    while let Ok(checks::run::Event::Result(r)) = handle.events.recv() {
        out.push(r);
    }
    out.remove(0)
}

#[test]
fn submission_auth_offered_and_the_auth_test() {
    let offered = submission_with(netsim::ca_signed(&["mx.rcpt.test"]), None);
    assert_eq!(offered.status, Status::Ok, "{offered:?}");
    assert!(
        offered
            .detail
            .contains("AUTH offered over TLS: PLAIN LOGIN"),
        "{}",
        offered.detail
    );

    let accepted = submission_with(
        netsim::ca_signed(&["mx.rcpt.test"]),
        Some(Credentials::new("agent".into(), "right".into())),
    );
    assert_eq!(accepted.status, Status::Ok, "{accepted:?}");
    assert!(accepted.detail.contains("AUTH test accepted"));
    let transcript = accepted.answers.join("\n");
    assert!(
        transcript.contains("C: AUTH PLAIN <redacted>"),
        "{transcript}"
    );
    // The base64 of "\0agent\0right" never appears.
    assert!(!transcript.contains("AGFnZW50AHJpZ2h0"), "{transcript}");

    let refused = submission_with(
        netsim::ca_signed(&["mx.rcpt.test"]),
        Some(Credentials::new("agent".into(), "wrong".into())),
    );
    assert_eq!(refused.status, Status::Fail);
    assert!(
        refused.detail.contains("AUTH test refused: 535"),
        "{}",
        refused.detail
    );

    // A certificate that does not verify: the password is not sent at all.
    let untrusted = submission_with(
        netsim::self_signed(&["mx.rcpt.test"]),
        Some(Credentials::new("agent".into(), "right".into())),
    );
    assert_eq!(untrusted.status, Status::Fail);
    assert!(
        untrusted.detail.contains("not sending credentials"),
        "{}",
        untrusted.detail
    );
    assert!(!untrusted.answers.iter().any(|a| a.starts_with("C: AUTH")));
}

/// A silent SMTP server and a slow DNS answer never hold up the other checks: the fast ones
/// land first, and dropping the handle returns at once.
#[test]
fn a_slow_check_never_blocks_the_others_or_quitting() {
    let port = netsim::start_smtp(netsim::Smtp::Silent);
    let mut c = smtp_config(port, None);
    c.limits = Limits::default().with_check_deadline(Duration::from_secs(3));
    let checks = vec![
        Check::RecipientSmtp {
            domain: "rcpt.test".into(),
            port,
        },
        Check::RecipientMx {
            domain: "slow.test".into(),
        },
        Check::RecipientMx {
            domain: "rcpt.test".into(),
        },
        Check::SenderDmarc {
            domain: "sender.test".into(),
        },
    ];
    let start = Instant::now();
    let handle = checks::spawn(checks, c, None);
    let mut first = Vec::new();
    for _ in 0..2 {
        match handle.events.recv_timeout(Duration::from_secs(2)) {
            Ok(checks::run::Event::Result(r)) => first.push(r.check),
            other => panic!("expected a result, got {other:?}"),
        }
    }
    assert!(first.iter().all(|c| c != "recipient-smtp"), "{first:?}");
    let before_drop = Instant::now();
    drop(handle);
    assert!(before_drop.elapsed() < Duration::from_millis(50));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

/// The plan from a bounce built here: every check it names runs and lands.
#[test]
fn a_planned_run_lands_every_check() {
    let mut bounce = Bounce {
        sender: Some("customer@sender.test".into()),
        reporting_mta: Some("mail.hosting.test".into()),
        ..Bounce::default()
    };
    bounce.facts.sending_ip = "203.0.113.9".parse().ok();
    bounce.facts.refused_by = Some(RefusedBy::Remote);
    let record = Record {
        recipient: Some("someone@rcpt.test".into()),
        ..Record::default()
    };
    let mut c = config();
    c.no_smtp = true;
    let plan = checks::plan(&bounce, &record, Some("policy-blocked"), &c);
    let n = plan.len();
    let start = Instant::now();
    let mut first = None;
    let results = checks::run_blocking(plan, c, |_| {
        first.get_or_insert_with(|| start.elapsed());
    });
    let all = start.elapsed();
    println!(
        "figures: {n} checks against local servers: first result {:?}, all {:?}",
        first.unwrap_or_default(),
        all
    );
    for r in &results {
        println!("{}", serde_json::to_string(r).unwrap_or_default());
    }
    assert_eq!(results.len(), n);
    assert!(
        results
            .iter()
            .all(|r| r.status != Status::Error || r.check == "dnsbl")
    );
}
