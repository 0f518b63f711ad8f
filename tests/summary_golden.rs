//! Golden tests of the escalation summary, text and Markdown, for several variations.
//!
//! Inputs are built directly (Bounce, Diagnosis, Playbook, Ticket), so these tests pin the
//! summary and nothing else. Golden files live in tests/golden/; rewrite them with
//! `UPDATE_GOLDEN=1 cargo test --test summary_golden` and review the diff.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bouncebook::bounce::address::Problem;
use bouncebook::bounce::{Bounce, Format, Record, Stage};
use bouncebook::classify::{Basis, Diagnosis};
use bouncebook::playbook::{MatchRules, Playbook, Step};
use bouncebook::summary::{SummaryContext, SummaryFormat, render};
use bouncebook::ticket::{StepState, Ticket};
use chrono::{DateTime, TimeZone, Utc};

const LOGIN_USER: &str = "smtpuser-7731@shop-example.com";
const LOGIN_PASS: &str = "Tr0ub4dor&3-horse";
const PLAIN_USER: &str = "plainlogin-4402";
const PLAIN_PASS: &str = "c0rrect-battery-staple";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 5, 9, 30, 0).single().unwrap()
}

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 4, h, m, 0).single().unwrap()
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/summary")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The AUTH transcript with real base64 credentials filled in.
fn transcript() -> String {
    let plain = B64.encode(format!("\0{PLAIN_USER}\0{PLAIN_PASS}"));
    fixture("relay-transcript.txt")
        .replace("@@LOGIN_USER@@", &B64.encode(LOGIN_USER))
        .replace("@@LOGIN_PASS@@", &B64.encode(LOGIN_PASS))
        .replace("@@PLAIN_TOKEN@@", &plain)
}

fn step(id: &str, title: &str) -> Step {
    Step {
        id: id.to_string(),
        title: title.to_string(),
        detail: None,
        command: None,
        when: None,
    }
}

fn playbook(id: &str, title: &str, steps: Vec<Step>) -> Playbook {
    Playbook {
        id: id.to_string(),
        title: title.to_string(),
        summary: "For the agent.".to_string(),
        matcher: MatchRules::default(),
        steps,
        escalate: Vec::new(),
        reply: None,
    }
}

fn ticket(id: &str, bounce: String, variation: &str, states: &[(&str, StepState)]) -> Ticket {
    let mut t = Ticket::new(id, at(8, 0));
    t.bounce = Some(bounce);
    let steps: BTreeMap<String, StepState> = states
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    t.progress.insert(variation.to_string(), steps);
    t
}

fn done(h: u32, m: u32, note: Option<&str>) -> StepState {
    StepState {
        done: true,
        done_at: Some(at(h, m)),
        note: note.map(str::to_string),
    }
}

fn noted(note: &str) -> StepState {
    StepState {
        done: false,
        done_at: None,
        note: Some(note.to_string()),
    }
}

/// One golden case: everything a summary is made from, owned.
struct Case {
    ticket: Ticket,
    bounce: Option<Bounce>,
    record: usize,
    diagnosis: Option<Diagnosis>,
    playbook: Option<Playbook>,
}

impl Case {
    fn render(&self, format: SummaryFormat) -> String {
        let ctx = SummaryContext {
            ticket: &self.ticket,
            bounce: self.bounce.as_ref(),
            record: self.record,
            diagnosis: self.diagnosis.as_ref(),
            playbook: self.playbook.as_ref(),
            now: now(),
            diagnoses: &[],
            playbooks: None,
            include_reply: false,
        };
        render(&ctx, format)
    }
}

fn relay_denied() -> Case {
    let bounce = Bounce {
        format: Format::Transcript,
        sender: Some("info@shop-example.com".into()),
        records: vec![Record {
            recipient: Some("orders@partner-example.org".into()),
            reply_code: Some(553),
            status: Some("5.7.1".into()),
            diagnostic: Some(
                "553 5.7.1 <orders@partner-example.org>: Sender address rejected: not logged in"
                    .into(),
            ),
            stage: Some(Stage::RcptTo),
            remote_host: Some("mail.example-host.net".into()),
            source_line: Some(18),
            ..Record::default()
        }],
        ..Bounce::default()
    };
    Case {
        ticket: ticket(
            "48213",
            transcript(),
            "relay-denied",
            &[
                (
                    "enable-auth",
                    done(
                        8,
                        40,
                        Some("Customer enabled SMTP AUTH in Outlook; still fails."),
                    ),
                ),
                (
                    "check-port",
                    noted("Port 25 blocked by their ISP?\nAsked them to try 587."),
                ),
            ],
        ),
        bounce: Some(bounce),
        record: 0,
        diagnosis: Some(Diagnosis {
            variation: "relay-denied".into(),
            confidence: 0.93,
            evidence: "Sender address rejected: not logged in".into(),
            basis: Basis::Text,
        }),
        playbook: Some(playbook(
            "relay-denied",
            "Relay denied: SMTP authentication required",
            vec![
                step(
                    "enable-auth",
                    "Enable SMTP authentication in the mail client",
                ),
                step(
                    "check-port",
                    "Use the submission port 587 (or 465 with TLS)",
                ),
                step("check-password", "Reset or re-enter the mailbox password"),
            ],
        )),
    }
}

fn recipient_unknown() -> Case {
    let bounce = Bounce {
        format: Format::Email,
        sender: Some("sales@acme-example.com".into()),
        header_from: Some("\"Acme Sales\" <sales@acme-example.com>".into()),
        timestamp_raw: Some("Mon, 03 Jun 2024 10:15:02 +0200".into()),
        timestamp: Some(Utc.with_ymd_and_hms(2024, 6, 3, 8, 15, 2).single().unwrap()),
        subject: Some("Quote #4471 *final* [v2]".into()),
        message_id: Some("<20240603081500.GA1234@acme-example.com>".into()),
        reporting_mta: Some("server1.example-host.net".into()),
        records: vec![
            Record {
                recipient: Some("jane.doe@gmial.com".into()),
                reply_code: Some(553),
                status: Some("5.1.1".into()),
                diagnostic: Some("553 sorry, no mailbox here by that name. (#5.1.1)".into()),
                stage: Some(Stage::RcptTo),
                remote_host: Some("mx.gmial.com".into()),
                remote_ip: Some("198.51.100.7".into()),
                address_problems: vec![Problem {
                    kind: "typo".into(),
                    message: "the domain gmial.com looks like a typo of gmail.com".into(),
                    suggestion: Some("jane.doe@gmail.com".into()),
                }],
                ..Record::default()
            },
            Record {
                recipient: Some("bob@partner-example.org".into()),
                reply_code: Some(553),
                status: Some("5.1.1".into()),
                diagnostic: Some(
                    "553 5.1.1 unknown or illegal user: bob@partner-example.org".into(),
                ),
                stage: Some(Stage::RcptTo),
                remote_host: Some("mx.partner-example.org".into()),
                remote_ip: Some("203.0.113.25".into()),
                ..Record::default()
            },
        ],
        ..Bounce::default()
    };
    Case {
        ticket: ticket(
            "T-2024-0603",
            fixture("recipient-unknown-exim.txt"),
            "recipient-unknown",
            &[("confirm-spelling", done(9, 5, None))],
        ),
        bounce: Some(bounce),
        record: 0,
        diagnosis: Some(Diagnosis {
            variation: "recipient-unknown".into(),
            confidence: 0.88,
            evidence: "no mailbox here by that name".into(),
            basis: Basis::Text,
        }),
        playbook: Some(playbook(
            "recipient-unknown",
            "Recipient unknown: the mailbox does not exist",
            vec![
                step(
                    "confirm-spelling",
                    "Confirm the address spelling with the recipient",
                ),
                step("check-active", "Ask whether the mailbox is still active"),
            ],
        )),
    }
}

fn sender_not_owned() -> Case {
    let bounce = Bounce {
        format: Format::Dsn,
        sender: Some("wordpress@client-site.example".into()),
        header_from: Some("Site Visitor <visitor@gmail.example>".into()),
        timestamp_raw: Some("Tue,  4 Jun 2024 14:02:11 +0000 (UTC)".into()),
        timestamp: Some(Utc.with_ymd_and_hms(2024, 6, 4, 14, 2, 11).single().unwrap()),
        queue_id: Some("4VtQ2d1XkPz9sWq".into()),
        reporting_mta: Some("smtp.mailhost-example.net".into()),
        records: vec![Record {
            recipient: Some("owner@client-site.example".into()),
            reply_code: Some(553),
            status: Some("5.7.1".into()),
            diagnostic: Some(
                "553 5.7.1 <visitor@gmail.example>: Sender address rejected: not owned by user web@client-site.example"
                    .into(),
            ),
            stage: Some(Stage::MailFrom),
            remote_host: Some("smtp.mailhost-example.net".into()),
            ..Record::default()
        }],
        ..Bounce::default()
    };
    Case {
        ticket: ticket(
            "99871",
            fixture("sender-not-owned-postfix.txt"),
            "sender-not-owned",
            &[],
        ),
        bounce: Some(bounce),
        record: 0,
        diagnosis: Some(Diagnosis {
            variation: "sender-not-owned".into(),
            confidence: 0.97,
            evidence: "not owned by user".into(),
            basis: Basis::Text,
        }),
        playbook: Some(playbook(
            "sender-not-owned",
            "Sender not owned by the authenticated user",
            vec![
                step("match-from", "Make the From address match the login"),
                step("add-alias", "Or add the address as an alias / send-as"),
            ],
        )),
    }
}

/// A hostile paste: escape sequences (an OSC 52 among them), a bidi override, backtick runs.
/// The parser gave little; no playbook applies.
fn unclassified_with_escapes() -> Case {
    let bounce = Bounce {
        format: Format::Unknown,
        records: vec![Record {
            reply_code: Some(553),
            status: Some("5.3.5".into()),
            diagnostic: Some("\u{1b}[31m553 5.3.5 system config error\u{1b}[0m".into()),
            stage: Some(Stage::Data),
            remote_host: Some("mx1.loop-example.net".into()),
            ..Record::default()
        }],
        warnings: vec!["input held \u{1b}[1mterminal escape sequences\u{1b}[0m".into()],
        ..Bounce::default()
    };
    Case {
        ticket: ticket(
            "esc-1",
            fixture("escape-sequences.txt"),
            "unclassified",
            &[],
        ),
        bounce: Some(bounce),
        record: 0,
        diagnosis: Some(Diagnosis {
            variation: "unclassified".into(),
            confidence: 0.2,
            evidence: String::new(),
            basis: Basis::Fallback,
        }),
        playbook: None,
    }
}

/// A ticket whose bounce could not be parsed at all: every field says "unknown".
fn nothing_known() -> Case {
    let mut t = Ticket::new("empty-1", at(8, 0));
    t.bounce = Some("garbled text the customer sent".into());
    Case {
        ticket: t,
        bounce: None,
        record: 3,
        diagnosis: None,
        playbook: None,
    }
}

fn check_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the rendered summary (UPDATE_GOLDEN=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

fn golden_pair(name: &str, case: &Case) -> (String, String) {
    let text = case.render(SummaryFormat::Text);
    let md = case.render(SummaryFormat::Markdown);
    check_golden(&format!("{name}.txt"), &text);
    check_golden(&format!("{name}.md"), &md);
    (text, md)
}

#[test]
fn relay_denied_with_credentials_in_the_transcript() {
    let (text, md) = golden_pair("relay-denied", &relay_denied());
    let secrets = [
        LOGIN_USER.to_string(),
        LOGIN_PASS.to_string(),
        PLAIN_USER.to_string(),
        PLAIN_PASS.to_string(),
        B64.encode(LOGIN_USER),
        B64.encode(LOGIN_PASS),
        B64.encode(format!("\0{PLAIN_USER}\0{PLAIN_PASS}")),
    ];
    for out in [&text, &md] {
        for secret in &secrets {
            assert!(
                !out.contains(secret.as_str()),
                "secret {secret:?} leaked:\n{out}"
            );
        }
        assert!(out.contains("3 credentials redacted"), "{out}");
        assert_eq!(out.matches("[redacted]").count(), 3, "{out}");
        // The evidence around the secrets is still there.
        assert!(out.contains("334 UGFzc3dvcmQ6"));
        assert!(out.contains("RCPT TO:<orders@partner-example.org>") || md.contains("RCPT TO:"));
    }
}

#[test]
fn recipient_unknown_with_several_recipients_and_a_typo() {
    let (text, _md) = golden_pair("recipient-unknown", &recipient_unknown());
    assert!(text.contains("jane.doe@gmail.com"));
    assert!(text.contains("2 of 2 recipients failed"));
}

#[test]
fn sender_not_owned_says_the_from_differs() {
    let (text, md) = golden_pair("sender-not-owned", &sender_not_owned());
    assert!(text.contains("DIFFERS from the envelope sender"));
    assert!(md.contains("DIFFERS from the envelope sender"));
}

#[test]
fn hostile_escape_sequences_never_reach_the_output() {
    let (text, md) = golden_pair("unclassified-escapes", &unclassified_with_escapes());
    for out in [&text, &md] {
        assert!(!out.contains('\u{1b}'), "ESC in output:\n{out}");
        assert!(!out.contains('\u{7}'), "BEL in output:\n{out}");
        assert!(!out.contains('\u{202e}'), "bidi override obeyed:\n{out}");
        assert!(
            !out.contains("ZXZpbCBjbGlwYm9hcmQ="),
            "OSC 52 payload kept:\n{out}"
        );
    }
    // The bounce holds a run of four backticks: the fence must be longer.
    assert!(md.contains("\n`````text\n"), "{md}");
}

#[test]
fn unknown_values_say_unknown() {
    let (text, _md) = golden_pair("nothing-known", &nothing_known());
    for label in [
        "Envelope sender:",
        "Recipient:",
        "Timestamp:",
        "Message-ID:",
        "Queue ID:",
    ] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap();
        assert!(line.ends_with("unknown"), "{line}");
    }
}

#[test]
fn summary_is_deterministic() {
    let case = recipient_unknown();
    assert_eq!(
        case.render(SummaryFormat::Text),
        case.render(SummaryFormat::Text)
    );
}

#[test]
fn large_bounce_is_truncated_with_a_note() {
    let mut case = nothing_known();
    let line = "x".repeat(99) + "\n";
    case.ticket.bounce = Some(line.repeat(1000)); // 100,000 bytes
    let text = case.render(SummaryFormat::Text);
    let kept = 65_500; // the last whole line under 64 KiB
    assert!(
        text.contains(&format!("(truncated: {} bytes more)", 100_000 - kept)),
        "{}",
        &text[text.len() - 200..]
    );
    assert!(text.len() < 70_000);
}

#[test]
fn markdown_fence_cannot_be_closed_from_inside() {
    let mut case = nothing_known();
    case.ticket.bounce = Some("before\n```\n# not a heading\n``````\nafter".into());
    let md = case.render(SummaryFormat::Markdown);
    let fence = "```````";
    assert!(
        md.contains(&format!(
            "{fence}text\nbefore\n```\n# not a heading\n``````\nafter\n{fence}\n"
        )),
        "{md}"
    );
}

#[test]
fn ten_thousand_recipients_stay_a_readable_summary() {
    let mut case = recipient_unknown();
    let bounce = case.bounce.as_mut().unwrap();
    let template = bounce.records[0].clone();
    bounce.records = (0..10_000)
        .map(|i| Record {
            recipient: Some(format!("user{i}@gmial.com")),
            ..template.clone()
        })
        .collect();
    let text = case.render(SummaryFormat::Text);
    assert!(text.contains("10000 of 10000 recipients failed"));
    assert!(
        text.contains(" and 9979 more"),
        "other recipients are capped"
    );
    assert!(
        text.contains("- and 9980 more"),
        "address problems are capped"
    );
    assert!(text.len() < 20_000, "{} bytes", text.len());
}

#[test]
fn a_huge_field_is_cut_with_a_note() {
    let mut case = sender_not_owned();
    case.bounce.as_mut().unwrap().subject = Some("s".repeat(1_000_000));
    let text = case.render(SummaryFormat::Text);
    assert!(
        text.contains("(truncated: 997952 bytes more)"),
        "{}",
        &text[..3000]
    );
}
