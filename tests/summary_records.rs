//! The escalation summary over every record, with facts, conditions, the customer reply and
//! the three formats, built from the embedded playbooks and constructed bounces.

use bouncebook::bounce::facts::{Facts, RefusedBy, ReportingSystem};
use bouncebook::bounce::{Bounce, Record, Stage};
use bouncebook::classify::Classifier;
use bouncebook::playbook;
use bouncebook::summary::{SummaryContext, SummaryFormat, render};
use bouncebook::ticket::{Ticket, record_key};
use chrono::{TimeZone, Utc};

fn two_causes() -> Bounce {
    Bounce {
        sender: Some("ana@shop-example.com".into()),
        reporting_mta: Some("server12.host-example.net".into()),
        facts: Facts {
            refused_by: Some(RefusedBy::Remote),
            authenticated: Some(true),
            reporting_system: Some(ReportingSystem::Exim),
            ..Facts::default()
        },
        records: vec![
            Record {
                recipient: Some("orders@supplier-example.org".into()),
                reply_code: Some(550),
                status: Some("5.7.1".into()),
                diagnostic: Some(
                    "550 5.7.1 <orders@supplier-example.org>: Relay access denied\\n550 (see above)"
                        .into(),
                ),
                stage: Some(Stage::RcptTo),
                remote_host: Some("mx.supplier-example.org".into()),
                ..Record::default()
            },
            Record {
                recipient: Some("jo@gmial.com".into()),
                reply_code: Some(550),
                status: Some("5.1.1".into()),
                diagnostic: Some("550 5.1.1 The email account that you tried to reach does not exist".into()),
                stage: Some(Stage::RcptTo),
                remote_host: Some("mx.gmial.com".into()),
                ..Record::default()
            },
        ],
        ..Bounce::default()
    }
}

fn summarise(ticket: &Ticket, bounce: &Bounce, format: SummaryFormat, reply: bool) -> String {
    let set = playbook::embedded();
    let classifier = Classifier::new(&set);
    let diagnoses: Vec<_> = bounce
        .records
        .iter()
        .map(|r| classifier.classify(r))
        .collect();
    let ctx = SummaryContext {
        ticket,
        bounce: Some(bounce),
        record: 0,
        diagnosis: diagnoses.first(),
        playbook: diagnoses.first().and_then(|d| set.get(&d.variation)),
        now: Utc
            .with_ymd_and_hms(2026, 12, 6, 1, 0, 0)
            .single()
            .unwrap_or_default(),
        diagnoses: &diagnoses,
        playbooks: Some(&set),
        include_reply: reply,
    };
    render(&ctx, format)
}

fn worked_ticket(bounce: &Bounce) -> Ticket {
    let mut t = Ticket::new("T-7", Utc::now());
    t.bounce = Some("pasted".into());
    let k0 = record_key(0, bounce.records[0].recipient.as_deref());
    let k1 = record_key(1, bounce.records[1].recipient.as_deref());
    let s = t.record_step_mut(&k0, "relay-denied", "check-recipient-mx");
    s.done = true;
    s.note = Some("MX points at mx2, not mx".into());
    let s = t.record_step_mut(&k1, "recipient-unknown", "read-address");
    s.done = true;
    s.note = Some("gmial is a typo of gmail".into());
    t
}

#[test]
fn every_record_has_its_cause_deciding_line_and_work() {
    let b = two_causes();
    let t = worked_ticket(&b);
    let text = summarise(&t, &b, SummaryFormat::Text, false);
    assert!(
        text.contains("2 of 2 recipients failed, 2 different causes"),
        "{text}"
    );
    assert!(
        text.contains("the causes DIFFER between recipients"),
        "{text}"
    );
    assert!(
        text.contains("Work done: record 1 of 2, orders@supplier-example.org:"),
        "{text}"
    );
    assert!(
        text.contains("Work done: record 2 of 2, jo@gmial.com:"),
        "{text}"
    );
    assert!(text.contains("Note: MX points at mx2, not mx"), "{text}");
    assert!(text.contains("Note: gmial is a typo of gmail"), "{text}");
    assert!(text.contains("does not exist"), "{text}");
    // A tick on one record is not a tick on the other.
    assert_eq!(text.matches("[x]").count(), 2, "{text}");
    // Exim's literal \n is gone from the deciding line, which is whole.
    assert!(
        text.contains("Relay access denied 550 (see above)"),
        "{text}"
    );
    assert!(!text.contains("\\n550"), "{text}");
}

#[test]
fn facts_and_steps_that_do_not_apply_are_said() {
    let b = two_causes();
    let t = worked_ticket(&b);
    let text = summarise(&t, &b, SummaryFormat::Text, false);
    assert!(
        text.contains("a remote MX refused (the recipient's server, not ours); from the bounce"),
        "{text}"
    );
    assert!(
        text.contains("the customer logged in (SMTP AUTH); from the bounce"),
        "{text}"
    );
    assert!(text.contains("Exim (cPanel); from the bounce"), "{text}");
    let auth = text
        .lines()
        .find(|l| l.contains("Turn on SMTP authentication"))
        .unwrap_or_default();
    assert!(auth.starts_with("  [-] "), "{auth}");
    assert!(auth.contains("does not apply: only when"), "{auth}");
    // Open steps that apply go to the next tier; the ones that do not apply do not.
    let open = text
        .lines()
        .find(|l| l.contains("Still open for orders@supplier-example.org"))
        .unwrap_or_default();
    assert!(open.contains("Find the attempt in the Exim log"), "{open}");
    assert!(!open.contains("Turn on SMTP authentication"), "{open}");
    assert!(!open.contains("Postfix"), "{open}");
}

#[test]
fn the_reply_is_included_on_request_and_filled() {
    let b = two_causes();
    let t = worked_ticket(&b);
    let without = summarise(&t, &b, SummaryFormat::Text, false);
    assert!(!without.contains("Reply for the customer"));
    let with = summarise(&t, &b, SummaryFormat::Text, true);
    assert!(with.contains("Reply for the customer:"), "{with}");
    assert!(
        with.contains("Your message to orders@supplier-example.org was not delivered"),
        "{with}"
    );
    assert!(
        with.contains("The server mx.supplier-example.org refused it"),
        "{with}"
    );
}

#[test]
fn jira_markup_has_headings_lists_and_a_closed_block() {
    let b = two_causes();
    let mut t = worked_ticket(&b);
    t.bounce = Some("line with {noformat} inside and *stars*".into());
    let jira = summarise(&t, &b, SummaryFormat::Jira, false);
    assert!(
        jira.starts_with("h1. Escalation summary: ticket T\\-7")
            || jira.starts_with("h1. Escalation summary: ticket T-7"),
        "{jira}"
    );
    assert!(jira.contains("\nh2. Summary\n"), "{jira}");
    assert!(jira.contains("\nh2. Needed from the next tier\n"), "{jira}");
    assert!(jira.contains("* (/) Check the recipient domain"), "{jira}");
    assert!(jira.contains("** Note: MX points at mx2, not mx"), "{jira}");
    assert_eq!(jira.matches("{noformat}").count(), 2, "{jira}");
    let md = summarise(&t, &b, SummaryFormat::Markdown, false);
    assert!(md.contains("\n## Facts\n"), "{md}");
}

/// A ticket written before ticks belonged to a record (`progress` by cause) still loads and
/// shows its ticks; the first change copies them to the record, losing none.
#[test]
fn an_older_ticket_keeps_its_ticks() {
    let old = r#"{"version":1,"id":"old-1","created":"2026-12-01T10:00:00Z","updated":"2026-12-01T10:00:00Z",
        "bounce":"x","progress":{"relay-denied":{"confirm-who-refused":{"done":true,"note":"seen"}}}}"#;
    let mut t: Ticket = serde_json::from_str(old).expect("old ticket loads");
    let key = record_key(0, Some("Orders@Supplier-Example.org"));
    assert_eq!(key, "orders@supplier-example.org");
    assert!(t.record_steps(&key, "relay-denied").expect("legacy")["confirm-who-refused"].done);
    t.record_step_mut(&key, "relay-denied", "check-recipient-mx")
        .done = true;
    let mine = t.record_steps(&key, "relay-denied").expect("own");
    assert!(mine["confirm-who-refused"].done && mine["check-recipient-mx"].done);
    let again: Ticket =
        serde_json::from_str(&serde_json::to_string(&t).expect("json")).expect("reload");
    assert_eq!(again, t);
}

/// A record the reader now reports under the address the sender wrote (the recipient's
/// site expanded it to another mailbox) keeps the ticks saved while it was reported under
/// that expansion, and the summary names both addresses.
#[test]
fn ticks_saved_under_the_site_s_expansion_follow_the_written_address() {
    let mut b = two_causes();
    b.records[1].recipient = Some("jo@gmial.com".into());
    b.records[1].final_recipient = Some("jo.smith@mail.gmial.com".into());
    let mut t = Ticket::new("T-8", Utc::now());
    t.bounce = Some("pasted".into());
    let saved_key = record_key(1, Some("jo.smith@mail.gmial.com"));
    let s = t.record_step_mut(&saved_key, "recipient-unknown", "read-address");
    s.done = true;
    s.note = Some("saved under the expansion".into());
    let text = summarise(&t, &b, SummaryFormat::Text, false);
    assert!(text.contains("Note: saved under the expansion"), "{text}");
    assert_eq!(text.matches("[x]").count(), 1, "{text}");

    // Worked as the first record, the summary names both addresses.
    b.records.swap(0, 1);
    let key = record_key(0, Some("jo.smith@mail.gmial.com"));
    let mut t = Ticket::new("T-9", Utc::now());
    t.bounce = Some("pasted".into());
    t.record_step_mut(&key, "recipient-unknown", "read-address")
        .done = true;
    let text = summarise(&t, &b, SummaryFormat::Text, false);
    assert!(
        text.contains("jo@gmial.com (expanded by the recipient's site to jo.smith@mail.gmial.com)"),
        "{text}"
    );
    assert_eq!(text.matches("[x]").count(), 1, "{text}");
}
