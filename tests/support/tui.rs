//! Shared by the TUI tests (included with `#[path]`): a fixed clock, a hand-built playbook
//! set with several steps per variation, the fixture bounces with a pinned parse and
//! diagnosis, and a fake effect runner.
//!
//! Why pin the parse: the screens under test are the TUI's; the parser and classifier are
//! developed separately and will change what they extract. Each test pastes the real
//! fixture text through `Intent::Paste` (so the whole paste path runs) and then pins the
//! Bounce and Diagnosis it is about, so the snapshot stays meaningful whatever the engine
//! extracts next. Tests of the real engine's output belong to the engine.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use bouncebook::bounce::address::Problem;
use bouncebook::bounce::{Bounce, Format, Record, Stage};
use bouncebook::classify::{Basis, Diagnosis};
use bouncebook::clipboard::{CopyReport, CopyVia};
use bouncebook::playbook::{Origin, Playbook, PlaybookSet};
use bouncebook::ticket::Ticket;
use bouncebook::tui::analysis::Analysis;
use bouncebook::tui::app::{App, Services};
use bouncebook::tui::theme::Theme;
use bouncebook::tui::{Effect, Intent, view};
use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 30, 0).unwrap()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui")
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

/// The playbooks in tests/fixtures/tui/playbooks, parsed with the real schema.
pub fn playbooks() -> PlaybookSet {
    let mut set = PlaybookSet::default();
    let mut files: Vec<_> = std::fs::read_dir(fixtures().join("playbooks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let playbook: Playbook = serde_yaml::from_str(&text).unwrap();
        set.playbooks.push((playbook, Origin::File(path)));
    }
    set
}

pub fn summary_stub(
    ctx: &bouncebook::summary::SummaryContext<'_>,
    _: bouncebook::summary::SummaryFormat,
) -> String {
    let mut s = format!("Ticket {}\n", ctx.ticket.id);
    s.push_str("Variation: Relay denied: SMTP authentication required (93%)\n");
    s.push_str(
        "Deciding line: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n",
    );
    s.push_str(
        "Sender: ana@shop-example.com\nRecipient: orders@supplier-example.org\n\nChecklist:\n",
    );
    for i in 1..=30 {
        s.push_str(&format!("  [ ] summary line {i}\n"));
    }
    s
}

/// The fixed clock and the summary stub, as the app's services.
pub struct Pinned;

impl Services for Pinned {
    fn now(&self) -> DateTime<Utc> {
        now()
    }

    fn summary(
        &self,
        ctx: &bouncebook::summary::SummaryContext<'_>,
        format: bouncebook::summary::SummaryFormat,
    ) -> String {
        summary_stub(ctx, format)
    }
}

pub fn new_app() -> App {
    new_app_sized(120, 40)
}

/// A fresh ticket 48213 on a screen of this size, with the fixed clock and test playbooks.
pub fn new_app_sized(width: u16, height: u16) -> App {
    let mut app =
        App::new(Ticket::new("48213", now()), playbooks(), Pinned).with_theme(Theme::monochrome());
    app.update(Intent::Resize { width, height });
    app
}

fn diag(variation: &str, confidence: f32, evidence: &str, basis: Basis) -> Diagnosis {
    Diagnosis {
        variation: variation.into(),
        confidence,
        evidence: evidence.into(),
        basis,
    }
}

fn rec(recipient: &str, code: u16, status: Option<&str>, line: usize, diagnostic: &str) -> Record {
    Record {
        recipient: Some(recipient.into()),
        reply_code: Some(code),
        status: status.map(Into::into),
        diagnostic: Some(diagnostic.into()),
        source_line: Some(line),
        ..Record::default()
    }
}

/// The parse and diagnosis each fixture stands for (what a good engine would say).
pub fn pinned(name: &str) -> (Bounce, Vec<Diagnosis>) {
    match name {
        "relay-exim.txt" => {
            let mut r = rec(
                "orders@supplier-example.org",
                553,
                Some("5.7.1"),
                16,
                "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
            );
            r.stage = Some(Stage::RcptTo);
            r.remote_host = Some("mx.supplier-example.org".into());
            r.remote_ip = Some("203.0.113.25".into());
            let b = Bounce {
                format: Format::Email,
                sender: Some("ana@shop-example.com".into()),
                header_from: Some("Ana Lopez <ana@shop-example.com>".into()),
                timestamp_raw: Some("Sat, 28 Nov 2026 14:02:11 +0100".into()),
                timestamp: Some(Utc.with_ymd_and_hms(2026, 11, 28, 13, 2, 11).unwrap()),
                timestamp_basis: Default::default(),
                subject: Some("Order 7731".into()),
                message_id: Some("<a1b2c3@shop-example.com>".into()),
                queue_id: Some("1kXy7a-0003Qf-9T".into()),
                reporting_mta: Some("server12.host-example.net".into()),
                records: vec![r],
                warnings: vec![],
                facts: Default::default(),
            };
            let d = diag(
                "relay-denied",
                0.93,
                "isn't in my list of allowed rcpthosts",
                Basis::Text,
            );
            (b, vec![d])
        }
        "unknown-postfix.txt" => {
            let mut r = rec(
                "jon.smiht@customer-example.com",
                553,
                Some("5.1.1"),
                11,
                "553 5.1.1 <jon.smiht@customer-example.com>... No such user here",
            );
            r.remote_host = Some("mx1.customer-example.com".into());
            r.address_problems = vec![Problem {
                kind: "typo".into(),
                message: "the local part `jon.smiht` may be a typo of `jon.smith`".into(),
                suggestion: Some("jon.smith@customer-example.com".into()),
            }];
            let b = Bounce {
                format: Format::Dsn,
                sender: Some("billing@example.net".into()),
                timestamp_raw: Some("Sat, 28 Nov 2026 09:15:42 +0000 (UTC)".into()),
                timestamp: Some(Utc.with_ymd_and_hms(2026, 11, 28, 9, 15, 42).unwrap()),
                queue_id: Some("4F2A81C0D3".into()),
                reporting_mta: Some("mail.example.net".into()),
                records: vec![r],
                ..Bounce::default()
            };
            (
                b,
                vec![diag(
                    "recipient-unknown",
                    0.9,
                    "No such user here",
                    Basis::Text,
                )],
            )
        }
        "sender-not-owned.txt" => {
            let mut r = rec(
                "webform@client-example.com",
                553,
                Some("5.7.1"),
                1,
                "553 5.7.1 <webform@client-example.com>: Sender address rejected: not owned by user info@client-example.com",
            );
            r.stage = Some(Stage::MailFrom);
            r.remote_host = Some("smtp.host-example.net".into());
            r.remote_ip = Some("198.51.100.8".into());
            let b = Bounce {
                format: Format::Body,
                sender: Some("webform@client-example.com".into()),
                records: vec![r],
                ..Bounce::default()
            };
            (
                b,
                vec![diag(
                    "sender-not-owned",
                    0.95,
                    "Sender address rejected: not owned by user",
                    Basis::Text,
                )],
            )
        }
        "policy-blocked.txt" => {
            let mut r = rec(
                "pat@att-example.net",
                553,
                Some("5.3.0"),
                6,
                "553 5.3.0 flpd575 DNSBL:RBL 521< 198.51.100.77 >_is_blocked.",
            );
            r.stage = Some(Stage::RcptTo);
            r.remote_ip = Some("192.0.2.44".into());
            let b = Bounce {
                format: Format::Body,
                reporting_mta: Some("mail.host-example.net".into()),
                records: vec![r],
                warnings: vec!["the qmail bounce names no envelope sender".into()],
                ..Bounce::default()
            };
            (
                b,
                vec![diag(
                    "policy-blocked",
                    0.88,
                    "DNSBL:RBL 521< 198.51.100.77 >_is_blocked",
                    Basis::Text,
                )],
            )
        }
        "multi-recipient.txt" => {
            let mut a = rec(
                "lee@gmial.com",
                553,
                Some("5.1.2"),
                8,
                "553 5.1.2 <lee@gmial.com> domain does not exist",
            );
            a.address_problems = vec![Problem {
                kind: "typo".into(),
                message: "the domain `gmial.com` looks like a typo of `gmail.com`".into(),
                suggestion: Some("lee@gmail.com".into()),
            }];
            let b = rec(
                "sales@partner-example.org",
                553,
                Some("5.1.1"),
                12,
                "553 sorry, no mailbox here by that name. (#5.1.1)",
            );
            let c = rec(
                "it@partner-example.org",
                553,
                Some("5.7.1"),
                16,
                "553 we don't relay (#5.7.1)",
            );
            let bounce = Bounce {
                format: Format::Body,
                records: vec![a, b, c],
                ..Bounce::default()
            };
            let diags = vec![
                diag(
                    "recipient-domain-missing",
                    0.9,
                    "domain does not exist",
                    Basis::Text,
                ),
                diag(
                    "recipient-unknown",
                    0.92,
                    "no mailbox here by that name",
                    Basis::Text,
                ),
                diag("relay-denied", 0.9, "we don't relay", Basis::Text),
            ];
            (bounce, diags)
        }
        "unclassified.txt" => {
            let r = rec(
                "",
                421,
                Some("4.7.0"),
                0,
                "421 4.7.0 Try again later, closing connection.",
            );
            let r = Record {
                recipient: None,
                ..r
            };
            let b = Bounce {
                format: Format::ErrorText,
                records: vec![r],
                ..Bounce::default()
            };
            (b, vec![diag("unclassified", 0.2, "", Basis::Fallback)])
        }
        "hostile-escapes.txt" => {
            let r = rec(
                "a\u{202e}b@example.com",
                553,
                Some("5.7.1"),
                7,
                "553 5.7.1 <a\u{202e}b@example.com>: Relay access denied\u{1b}[0m",
            );
            let b = Bounce {
                sender: Some("\u{1b}]52;c;ZXZpbA==\u{7}evil@example.net".into()),
                subject: Some("\u{1b}]0;pwned\u{7}x".into()),
                records: vec![r],
                ..Bounce::default()
            };
            (
                b,
                vec![diag(
                    "relay-denied",
                    0.9,
                    "Relay access denied\u{1b}]52;c;ZXZpbA==\u{7}",
                    Basis::Text,
                )],
            )
        }
        other => panic!("no pinned parse for {other}"),
    }
}

/// Paste a fixture through the real paste path, then pin its parse.
pub fn paste_fixture(app: &mut App, name: &str) -> Vec<Effect> {
    let text = fixture(name);
    let effects = drive(app, [Intent::Paste(text.clone())]);
    let (bounce, diagnoses) = pinned(name);
    app.set_analysis(Analysis::from_parts(
        app.ticket.bounce.as_deref().unwrap_or_default(),
        bounce,
        diagnoses,
    ));
    effects
}

/// Apply intents like the event loop does, with effects faked: saves succeed, copies go to
/// "the clipboard (X11)". Returns every effect requested, in order.
pub fn drive(app: &mut App, intents: impl IntoIterator<Item = Intent>) -> Vec<Effect> {
    let mut all = Vec::new();
    let mut queue: std::collections::VecDeque<Intent> = intents.into_iter().collect();
    while let Some(intent) = queue.pop_front() {
        for effect in app.update(intent) {
            match &effect {
                Effect::Save => queue.push_back(Intent::Saved(Ok(()))),
                Effect::Copy { what, .. } => queue.push_back(Intent::Copied {
                    what: *what,
                    report: CopyReport {
                        via: Some(CopyVia::System("X11".into())),
                        message: "copied to the clipboard (X11)".into(),
                    },
                }),
                Effect::ReadClipboard => {
                    queue.push_back(Intent::ClipboardRead(Err("no clipboard in tests".into())))
                }
                // Tests feed the checks' reports (ChecksStarted, CheckLanded) themselves.
                Effect::StartChecks { .. } | Effect::StartAuthTest { .. } | Effect::Quit => {}
            }
            all.push(effect);
        }
    }
    all
}

pub fn render(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    drive(app, [Intent::Resize { width, height }]);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view(app, f)).unwrap();
    terminal
}

/// The screen as plain text, one line per row.
pub fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
