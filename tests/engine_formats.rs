//! One test per input format: each fixture under tests/fixtures/bounces is parsed and the
//! fields an agent relies on are checked exactly.

use bouncebook::bounce::{Action, Bounce, Format, Record, Stage, parse};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/bounces/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn parsed(name: &str) -> Bounce {
    parse(&fixture(name)).unwrap_or_else(|e| panic!("{name} did not parse: {e}"))
}

fn only_record(b: &Bounce) -> &Record {
    assert_eq!(b.records.len(), 1, "records: {:#?}", b.records);
    &b.records[0]
}

/// The 0-based line of `input` where `needle` first appears.
fn line_of(input: &[u8], needle: &str) -> usize {
    let text = String::from_utf8_lossy(input);
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in fixture"))
}

#[test]
fn postfix_dsn_with_two_recipients_and_a_folded_diagnostic() {
    let input = fixture("dsn-postfix-two-recipients.eml");
    let b = parse(&input).expect("parses");
    assert_eq!(b.format, Format::Dsn);
    assert_eq!(b.sender.as_deref(), Some("webshop@bakery.example"));
    assert_eq!(b.header_from.as_deref(), Some("shop-owner@bakery.example"));
    assert_eq!(b.subject.as_deref(), Some("Weekly flour order #118"));
    assert_eq!(b.message_id.as_deref(), Some("order-118@bakery.example"));
    assert_eq!(b.queue_id.as_deref(), Some("4F1A22C0031"));
    assert_eq!(b.reporting_mta.as_deref(), Some("relay.hostingco.example"));
    // When the failure was reported (the bounce's Date), not the Arrival-Date.
    assert_eq!(
        b.timestamp_raw.as_deref(),
        Some("Tue,  4 Mar 2025 09:15:02 +0100 (CET)")
    );
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2025-03-04T08:15:02+00:00")
    );
    assert_eq!(b.records.len(), 2);

    let first = &b.records[0];
    assert_eq!(
        first.recipient.as_deref(),
        Some("orders@flour-mill.example")
    );
    assert_eq!(
        first.original_recipient.as_deref(),
        Some("Orders@Flour-Mill.example")
    );
    assert_eq!(first.reply_code, Some(553));
    assert_eq!(first.status.as_deref(), Some("5.7.1"));
    assert_eq!(
        first.diagnostic.as_deref(),
        Some(
            "553 5.7.1 <orders@flour-mill.example>: Recipient address rejected: we do not relay for this domain"
        )
    );
    assert_eq!(first.stage, Some(Stage::RcptTo));
    assert_eq!(first.remote_host.as_deref(), Some("mx1.flour-mill.example"));
    assert_eq!(first.remote_ip.as_deref(), Some("198.51.100.25"));
    assert_eq!(first.action, Action::Failed);

    let second = &b.records[1];
    assert_eq!(second.recipient.as_deref(), Some("ann.baker@rye.example"));
    assert_eq!(
        second.original_recipient, None,
        "same as the final recipient"
    );
    assert_eq!(second.reply_code, Some(550));
    assert_eq!(second.status.as_deref(), Some("5.1.1"));
    assert_eq!(second.remote_host.as_deref(), Some("mail.rye.example"));
    // The response is verbatim in the DSN part: the TUI can highlight its line.
    assert_eq!(
        second.source_line,
        Some(line_of(&input, "Diagnostic-Code: smtp; 550 5.1.1"))
    );
}

#[test]
fn office365_quoted_printable_with_recoded_remote_response() {
    let b = parsed("office365-qp-recoded.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("karl@tulip-farm.example"));
    // `550 5.1.351 ... -> 553 5.7.1 ...`: the remote's own reply is the real one.
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some(
            "553 5.7.1 <karl@tulip-farm.example>: Sender address rejected: not owned by user info@garden-supplies.example"
        )
    );
    assert_eq!(r.remote_host.as_deref(), Some("mx.tulip-farm.example"));
    assert_eq!(b.subject.as_deref(), Some("Invoice for bulbs"));
    assert_eq!(
        b.message_id.as_deref(),
        Some("AM0PR01-bulbs-0305@garden-supplies.example")
    );
    assert_eq!(
        b.header_from.as_deref(),
        Some("info@garden-supplies.example")
    );
    assert_eq!(
        b.reporting_mta.as_deref(),
        Some("AM0PR01MB1234.eurprd01.prod.outlook.com")
    );
}

#[test]
fn base64_encoded_text_part_is_decoded() {
    let b = parsed("base64-part.eml");
    assert_eq!(b.format, Format::Email);
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("clay@kiln.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.1.2"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 5.1.2 <clay@kiln.example>... Host kiln.example does not exist")
    );
    // Not verbatim in the input (base64): no line to highlight.
    assert_eq!(r.source_line, None);
    assert_eq!(b.sender.as_deref(), Some("studio@pottery.example"));
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2025-03-06T12:30:00+00:00")
    );
}

#[test]
fn iso_2022_jp_body_and_subject_are_decoded() {
    let b = parsed("iso-2022-jp.eml");
    assert_eq!(b.subject.as_deref(), Some("配送エラー"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("tanaka@sakura-net.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.1.1"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 5.1.1 <tanaka@sakura-net.example>... User unknown")
    );
}

#[test]
fn exim_cpanel_text_ignores_the_quoted_error_in_the_returned_copy() {
    let input = fixture("exim-cpanel.eml");
    let b = parse(&input).expect("parses");
    assert_eq!(b.format, Format::Email);
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("letters@inkwell.example"));
    assert_eq!(r.reply_code, Some(553));
    // Exim's DSN would say 5.0.0; the remote's own `(#5.7.1)` is the specific one.
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)")
    );
    assert_eq!(r.stage, Some(Stage::RcptTo));
    assert_eq!(r.remote_host.as_deref(), Some("mx.inkwell.example"));
    assert_eq!(r.remote_ip.as_deref(), Some("198.51.100.80"));
    assert_eq!(
        r.source_line,
        Some(line_of(&input, "553 sorry, that domain isn't"))
    );
    assert_eq!(b.sender.as_deref(), Some("editor@quill.example"));
    // The returned original's ids, not the bounce's own (E1tqZ3A-...@server7...).
    assert_eq!(b.message_id.as_deref(), Some("reply-77@quill.example"));
    assert_eq!(b.header_from.as_deref(), Some("editor@quill.example"));
    assert_eq!(b.subject.as_deref(), Some("Letter to the editor: reply"));
    assert_eq!(
        b.reporting_mta.as_deref(),
        Some("server7.hostingco.example")
    );
    // The original's Received by the reporting host, not the bounce's own id.
    assert_eq!(b.queue_id.as_deref(), Some("1tqZ39-0008Xs-2b"));
}

#[test]
fn bounce_of_a_bounce_reports_only_the_outer_failure() {
    let b = parsed("bounce-of-bounce.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("oncall@pager.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.3.5"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 5.3.5 system config error")
    );
    assert!(
        b.records
            .iter()
            .all(|r| r.recipient.as_deref() != Some("ghost@nowhere.example"))
    );
    assert_eq!(b.reporting_mta.as_deref(), Some("out.relay.example"));
}

#[test]
fn qmail_body_copied_from_webmail() {
    let input = fixture("qmail-webmail-body.txt");
    let b = parse(&input).expect("parses");
    assert_eq!(b.format, Format::Body);
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("captain@harbour.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(r.stage, Some(Stage::RcptTo), "qmail reports at RCPT time");
    assert!(
        r.diagnostic
            .as_deref()
            .is_some_and(|d| d.starts_with("553 sorry, your envelope sender has been denied"))
    );
    assert_eq!(
        r.source_line,
        Some(line_of(&input, "Remote host said: 553"))
    );
}

#[test]
fn sendmail_reason_and_transcript() {
    let b = parsed("sendmail-transcript.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("reader@bookworm.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.1.8"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some(
            "553 5.1.8 <catalogue@library.example>... Domain of sender address catalogue@library.example does not exist"
        )
    );
    assert_eq!(r.stage, Some(Stage::MailFrom));
    assert_eq!(b.sender.as_deref(), Some("catalogue@library.example"));
}

#[test]
fn gmail_address_not_found() {
    let b = parsed("gmail.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("wax@bees.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.1.3"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 5.1.3 The recipient address <wax@bees.example> is not a valid RFC 5321 address.")
    );
}

#[test]
fn yahoo_failure_notice_without_enhanced_status() {
    let b = parsed("yahoo.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("sous@bistro.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(
        r.status, None,
        "the text has no enhanced status: none is invented"
    );
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 mailbox name not allowed [RCPT_TO]")
    );
}

#[test]
fn exim_mainlog_lines() {
    let input = fixture("exim_mainlog.log");
    let b = parse(&input).expect("parses");
    assert_eq!(b.format, Format::EximLog);
    assert_eq!(b.sender.as_deref(), Some("invoices@accounting.example"));
    assert_eq!(b.queue_id.as_deref(), Some("1tt0aa-0001Ab-3c"));
    // The failure (`**`) line's time, not the arrival's (`<=`).
    assert_eq!(b.timestamp_raw.as_deref(), Some("2025-03-14 09:00:03"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("billing@client-corp.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 5.7.1 Sender address rejected: not logged in")
    );
    assert_eq!(r.stage, Some(Stage::MailFrom));
    assert_eq!(r.remote_host.as_deref(), Some("mx.client-corp.example"));
    assert_eq!(r.remote_ip.as_deref(), Some("203.0.113.50"));
    assert_eq!(r.source_line, Some(1));
}

#[test]
fn postfix_maillog_lines() {
    let b = parsed("postfix-maillog.log");
    assert_eq!(b.format, Format::PostfixLog);
    assert_eq!(b.sender.as_deref(), Some("news@garden-club.example"));
    assert_eq!(b.queue_id.as_deref(), Some("9A1B2C3D4E"));
    assert_eq!(b.reporting_mta.as_deref(), Some("mail"));
    // The failure line's time. Syslog prints no year and no zone: the latest year that does
    // not put it in the future, read as UTC.
    assert_eq!(b.timestamp_raw.as_deref(), Some("Mar 15 10:20:31"));
    let t = b.timestamp.expect("a syslog stamp is read").to_rfc3339();
    assert!(t.ends_with("-03-15T10:20:31+00:00"), "{t}");
    assert!(
        b.timestamp
            .is_some_and(|t| t <= chrono::Utc::now() + chrono::Duration::days(1))
    );
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("member@rose.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.1.8"));
    assert_eq!(r.stage, Some(Stage::RcptTo));
    assert_eq!(r.remote_host.as_deref(), Some("mx.rose.example"));
    assert_eq!(r.remote_ip.as_deref(), Some("198.51.100.61"));
    assert_eq!(r.source_line, Some(1));
}

#[test]
fn phpmailer_debug_output() {
    let b = parsed("phpmailer-error.txt");
    assert_eq!(b.format, Format::Transcript);
    assert_eq!(b.sender.as_deref(), Some("contact-form@dentist.example"));
    let r = &b.records[0];
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(r.stage, Some(Stage::MailFrom));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some(
            "553 5.7.1 <contact-form@dentist.example>: Sender address rejected: not owned by user web@dentist.example"
        )
    );
    assert_eq!(r.source_line, Some(2));
}

#[test]
fn telnet_transcript_with_multiline_reply() {
    let b = parsed("telnet-multiline.txt");
    assert_eq!(b.format, Format::Transcript);
    assert_eq!(b.sender.as_deref(), Some("tickets@ferry.example"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("purser@harbour.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(r.stage, Some(Stage::RcptTo));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some(
            "553-5.7.1 Relaying denied. Proper authentication required. Use port 587 with your mailbox password, see https://help.harbour.example/smtp-auth"
        )
    );
    assert_eq!(r.source_line, Some(10), "the first line of the reply");
}

#[test]
fn openssl_s_client_transcript() {
    let b = parsed("openssl-s_client.txt");
    assert_eq!(b.format, Format::Transcript);
    assert_eq!(b.sender.as_deref(), Some("keeper@lamp.example"));
    let r = only_record(&b);
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.stage, Some(Stage::MailFrom));
    assert_eq!(
        r.recipient, None,
        "refused at MAIL FROM: no recipient was sent"
    );
}

#[test]
fn bare_response_line() {
    let b = parsed("bare-response.txt");
    // The reply names its address (a doubled `@`, kept as written): a reply line, as any
    // other that names its recipient.
    assert_eq!(b.format, Format::Body);
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@@example.com"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.1.3"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("553 5.1.3 <bob@@example.com>... Invalid address")
    );
    assert_eq!(r.source_line, Some(0));
}

#[test]
fn mail_client_dialog_text() {
    let b = parsed("mail-client-dialog.txt");
    let r = only_record(&b);
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(r.source_line, Some(2));
}

#[test]
fn postfix_text_wrapped_between_code_and_status() {
    let b = parsed("postfix-wrapped-body.txt");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("root@web01.hostingco.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.1.8"));
    assert_eq!(r.stage, Some(Stage::MailFrom));
    assert_eq!(r.remote_ip.as_deref(), Some("203.0.113.33"));
}

#[test]
fn vacation_reply_is_not_a_failure() {
    let b = parsed("vacation-autoreply.eml");
    let r = only_record(&b);
    assert_eq!(r.action, Action::AutoReplied);
    assert_eq!(r.recipient.as_deref(), Some("lena@fern.example"));
    assert_eq!(r.reply_code, None);
}

#[test]
fn arf_feedback_report() {
    let b = parsed("arf-feedback.eml");
    let r = only_record(&b);
    assert_eq!(r.action, Action::Feedback);
    assert_eq!(r.recipient.as_deref(), Some("reader@isp-mail.example"));
    assert_eq!(b.subject.as_deref(), Some("Big spring sale"));
}

#[test]
fn delay_notice_keeps_its_action() {
    let b = parsed("dsn-delayed.eml");
    let r = only_record(&b);
    assert_eq!(r.action, Action::Delayed);
    assert_eq!(r.status.as_deref(), Some("4.4.1"));
    assert_eq!(r.reply_code, None);
}

#[test]
fn commands_quoted_in_a_report_are_not_a_session() {
    let b = parsed("report-with-quoted-commands.txt");
    assert_eq!(b.format, Format::Body);
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("driver42@vans.example"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("550 - Requested action not taken: no such user here")
    );
}

/// The cause named for a record by the embedded playbooks.
fn variation_of(r: &Record) -> String {
    bouncebook::classify::Classifier::new(&bouncebook::playbook::embedded())
        .classify(r)
        .variation
}

#[test]
fn exchange_2003_reason_under_the_address_and_its_date() {
    let b = parsed("exchange2003-no-code.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("archive@library.example"));
    assert_eq!(r.reply_code, None);
    let d = r.diagnostic.as_deref().unwrap_or("");
    assert!(d.starts_with("The recipient name is not recognized"), "{d}");
    assert!(d.ends_with("Unknown Recipient"), "{d}");
    assert_eq!(variation_of(r), "recipient-unknown");
}

#[test]
fn notes_reason_above_the_address() {
    let b = parsed("notes-reason-above.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("buyer@meadow.example"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("User not listed in public Name & Address Book")
    );
    assert_eq!(variation_of(r), "recipient-unknown");
}

#[test]
fn imail_reason_before_the_address() {
    let b = parsed("imail-reason-before-address.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("deckhand@harbour.example"));
    assert_eq!(r.diagnostic.as_deref(), Some("Unknown user"));
    assert_eq!(variation_of(r), "recipient-unknown");
}

#[test]
fn domino_reason_after_because() {
    let b = parsed("domino-because.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("foreman@quarry.example"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("User Jo Foreman (foreman@quarry.example) not listed in Domino Directory")
    );
    assert_eq!(variation_of(r), "recipient-unknown");
}

#[test]
fn google_groups_prose_is_the_diagnostic() {
    let b = parsed("google-groups-prose.eml");
    let r = only_record(&b);
    // The notice names only the sender; the group comes from the returned original.
    assert_eq!(
        r.recipient.as_deref(),
        Some("hiking-club@googlegroups.example")
    );
    let d = r.diagnostic.as_deref().unwrap_or("");
    assert!(d.contains("permission to post"), "{d}");
    assert!(d.contains("groups.google.com/support"), "{d}");
    assert!(!d.contains("Meet at the car park"), "{d}");
    assert_eq!(variation_of(r), "policy-blocked");
}

#[test]
fn sentence_about_the_recipient_is_the_diagnostic() {
    let b = parsed("gsuite-sentence-about-recipient.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("reporter@newsdesk.example"));
    let d = r.diagnostic.as_deref().unwrap_or("");
    assert!(d.starts_with("Your message wasn't delivered to"), "{d}");
    assert!(d.contains("address couldn't be found"), "{d}");
    assert_eq!(variation_of(r), "recipient-unknown");
}

#[test]
fn a_plain_letter_yields_no_record() {
    let b = parsed("plain-letter-no-bounce.eml");
    assert!(b.records.is_empty(), "records: {:#?}", b.records);
}

#[test]
fn sendmail_v5_protocol_error_takes_the_quoted_remote_reply() {
    let input = fixture("sendmail-v5-protocol-error.eml");
    let b = parse(&input).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("coach@boathouse.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.diagnostic.as_deref(), Some("553 We do not relay for you"));
    assert_eq!(r.stage, Some(Stage::MailFrom));
    assert_eq!(r.source_line, Some(line_of(&input, "<<< 553")));
    assert_eq!(variation_of(r), "relay-denied");
}

/// The per-message ids of a plain-text bounce with the original inline.
fn ids(b: &Bounce) -> [Option<&str>; 6] {
    [
        b.sender.as_deref(),
        b.header_from.as_deref(),
        b.subject.as_deref(),
        b.message_id.as_deref(),
        b.reporting_mta.as_deref(),
        b.queue_id.as_deref(),
    ]
}

#[test]
fn qmail_inline_original_gives_the_original_ids() {
    let b = parsed("qmail-inline-original.eml");
    assert_eq!(b.format, Format::Email);
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("stock@wick.example"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(r.status.as_deref(), Some("5.1.1"));
    // qmail states no queue id; none is invented.
    assert_eq!(
        ids(&b),
        [
            Some("orders@lantern.example"),
            Some("orders@lantern.example"),
            Some("Reorder: paraffin, 40 units"),
            Some("order-5512@lantern.example"),
            Some("relay.lantern.example"),
            None,
        ]
    );
    // The response quoted in the original's body is not this bounce's.
    assert!(
        b.records
            .iter()
            .all(|r| r.reply_code != Some(550) || r.status.as_deref() != Some("5.7.1"))
    );
}

#[test]
fn postfix_text_inline_original_gives_the_original_ids() {
    let b = parsed("postfix-text-inline-original.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("buyer@cider.example"));
    assert_eq!(r.reply_code, Some(552));
    assert_eq!(
        ids(&b),
        [
            Some("picker@orchard.example"),
            Some("picker@orchard.example"),
            Some("Harvest schedule, week 12"),
            Some("harvest-w12@orchard.example"),
            Some("smtp.orchard.example"),
            Some("4Z1Qk50Ttyz9RN"),
        ]
    );
}

#[test]
fn sendmail_inline_original_gives_the_original_ids() {
    let b = parsed("sendmail-inline-original.eml");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("geologist@strata.example"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(r.stage, Some(Stage::RcptTo));
    // The queue id is the original's Received id by the reporting host, not the id in
    // the bounce's own Message-Id.
    assert_eq!(
        ids(&b),
        [
            Some("surveys@quarry.example"),
            Some("surveys@quarry.example"),
            Some("Core samples, site B"),
            Some("core-b-19@quarry.example"),
            Some("post.quarry.example"),
            Some("52EC59xx031000"),
        ]
    );
}

#[test]
fn webmail_body_with_inline_original_names_the_original() {
    let b = parsed("qmail-webmail-body.txt");
    assert_eq!(b.format, Format::Body);
    assert_eq!(b.subject.as_deref(), Some("Timetable change"));
    assert_eq!(b.header_from.as_deref(), Some("tickets@ferry.example"));
    assert_eq!(b.sender.as_deref(), Some("tickets@ferry.example"));
    assert_eq!(b.reporting_mta.as_deref(), Some("mail.ferry.example"));
    assert_eq!(b.queue_id, None);
}

/// An Amazon SES bounce notification pasted from an application's log: the documented JSON
/// fields give the recipient, the remote's reply, the sender (`mail.source`, not the
/// identity in `sourceArn`) and when SES reported the bounce.
#[test]
fn amazon_ses_notification_json() {
    let b = parsed("ses-webhook-bounce.json");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("m.berg@fjord-freight.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(r.remote_ip.as_deref(), Some("203.0.113.61"));
    assert_eq!(r.action, Action::Failed);
    assert_eq!(b.sender.as_deref(), Some("invoices@harbour-tools.example"));
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2025-12-04T08:12:41.512+00:00")
    );
    assert_eq!(
        b.reporting_mta.as_deref(),
        Some("b224-13.smtp-out.eu-west-1.amazonses.com")
    );
    assert_eq!(variation_of(r), "relay-denied");
}

/// A Postfix body copied from a "show source" view without its headers: the
/// quoted-printable soft breaks and escapes are decoded before it is read, so the
/// recipient (a non-ASCII local part and domain, kept whole) and the reply come out whole.
#[test]
fn quoted_printable_body_pasted_without_headers() {
    let b = parsed("qp-body-paste.txt");
    let r = only_record(&b);
    assert_eq!(
        r.recipient.as_deref(),
        Some("réservations@hôtel-du-lac.example")
    );
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(r.stage, Some(Stage::RcptTo));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some(
            "553 5.7.1 <réservations@hôtel-du-lac.example>: Relay access denied (in reply to RCPT TO command)"
        )
    );
    assert_eq!(
        r.remote_host.as_deref(),
        Some("mx1.lakeside-mail-hosting.example")
    );
}

/// Postfix's own verdict without a reply code, pasted as a body: `<x>: mail for y loops
/// back to myself` (wrapped) is still the failed recipient's record.
#[test]
fn postfix_loop_verdict_without_a_code_pasted_as_a_body() {
    let b = parsed("postfix-loop-body.txt");
    let r = only_record(&b);
    assert_eq!(
        r.recipient.as_deref(),
        Some("bookings@villa-serena.example")
    );
    assert_eq!(r.reply_code, None);
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("mail for villa-serena.example loops back to myself")
    );
    assert_eq!(variation_of(r), "mail-loop");
}

/// A DSN whose Final-Recipient is the recipient site's own alias target (another mailbox
/// name in the same organisation) is reported under the Original-Recipient the sender
/// wrote, with the expansion kept beside it; one forwarded to another organisation is
/// reported at the address that refused it.
#[test]
fn a_site_alias_is_reported_under_the_address_the_sender_wrote() {
    let dsn = |original: &str, final_: &str| {
        format!(
            "From: MAILER-DAEMON@mx.far.example\nTo: ann@shop.example\nSubject: Undelivered Mail\n\
             Date: Mon, 3 Mar 2025 10:00:00 +0000\nMIME-Version: 1.0\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
             --b\nContent-Type: text/plain\n\nDelivery failed.\n\n\
             --b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.far.example\n\n\
             Original-Recipient: rfc822; {original}\nFinal-Recipient: rfc822; {final_}\n\
             Action: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\n\n--b--\n"
        )
    };
    let b = parse(dsn("sales@far.example", "j.doe@store.far.example").as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("sales@far.example"));
    assert_eq!(
        r.final_recipient.as_deref(),
        Some("j.doe@store.far.example")
    );
    assert_eq!(r.original_recipient, None);

    let b = parse(dsn("sales@far.example", "sales@elsewhere.example").as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("sales@elsewhere.example"));
    assert_eq!(r.original_recipient.as_deref(), Some("sales@far.example"));
    assert_eq!(r.final_recipient, None);
}

/// A sending service's failed event, copied from its dashboard as JSON, is read as one:
/// the recipient, the envelope sender, the service's time and the server's words with
/// the reply code the service keeps apart from them.
#[test]
fn a_sending_service_s_event_json() {
    let paste = br#"{
  "event": "failed", "severity": "permanent", "timestamp": 1764937512.4,
  "recipient": "bob@client.example.org",
  "envelope": {"sender": "noreply@shop.example.com", "targets": "bob@client.example.org"},
  "delivery-status": {"code": 553, "message": "5.7.1 <noreply@shop.example.com>: Sender address rejected: not owned by user", "mx-host": "mx.client.example.org"}
}"#;
    let b = parse(paste).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@client.example.org"));
    assert_eq!(b.sender.as_deref(), Some("noreply@shop.example.com"));
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2025-12-05T12:25:12+00:00")
    );
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert_eq!(variation_of(r), "sender-not-owned");
}

/// A bounce forwarded and quoted again in a ticket (`> >`): every quoting level that is
/// most of the text comes off, and the forwarded bounce's own header block (its From a
/// mail system's) names the customer, the original's sender, in its To.
#[test]
fn a_bounce_forwarded_then_quoted_in_a_ticket() {
    let paste = "Ticket #7 \u{b7} bounce again\nRequester: Greg <greg@near.example>\n\nGreg wrote:\n> Hi, again:\n>\n> ---------- Forwarded message ---------\n> From: Mail Delivery System <MAILER-DAEMON@out.near.example>\n> Date: Thu, Dec 3, 2026 at 3:27 PM\n> Subject: Undelivered Mail Returned to Sender\n> To: <greg@near.example>\n>\n> > This is the mail system at host out.near.example.\n> >\n> > <tax@far.example>: host mail.far.example[198.51.100.140]\n> >     said: 553 5.0.0 Message not accepted (in reply to RCPT TO\n> >     command)\n>\n> Greg\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("tax@far.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(b.sender.as_deref(), Some("greg@near.example"));
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-03T15:27:00+00:00")
    );
}

/// A mail client's copy of a bounce with a header block whose Date mail-parser cannot
/// read (`2026-12-03 16:22`, a locale's form) still gets that time, as a stand-in.
#[test]
fn a_client_copy_with_a_locale_date_header() {
    let paste = "Subject: Undelivered Mail Returned to Sender\nFrom: Mail Delivery System <MAILER-DAEMON@smtp.near.example>\nDate: 2026-12-03 16:22\nTo: rita@near.example\n\nThis is the mail system at host smtp.near.example.\n\n<bookings@far.example>: host mx2.far.example[203.0.113.19] said:\n    553 5.7.1 Client host rejected: cannot find your reverse hostname,\n    [198.51.100.201] (in reply to RCPT TO command)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bookings@far.example")
    );
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-03T16:22:00+00:00")
    );
}

/// A Postfix bounce whose line breaks were lost (one long line, as a web form or a chat
/// joins it) is read with them put back: the failed recipient, not the customer's `To:`.
#[test]
fn a_bounce_that_lost_its_line_breaks() {
    let signature = "AbCdEfGh0123456789".repeat(30);
    let paste = format!(
        "Mail Delivery System <MAILER-DAEMON@mx3.near.example> Sat, 5 Dec 2026 03:12:40 +0100 (CET) Undelivered Mail Returned to Sender To: kim@near.example This is the mail system at host mx3.near.example. I'm sorry to have to inform you that your message could not be delivered to one or more recipients. The mail system <curator@museum.example.cmo>: Host or domain name not found. Name service error for name=museum.example.cmo type=A: Host not found Reporting-MTA: dns; mx3.near.example X-Postfix-Sender: rfc822; kim@near.example Arrival-Date: Sat, 5 Dec 2026 03:12:39 +0100 (CET) Final-Recipient: rfc822; curator@museum.example.cmo Action: failed Status: 5.4.4 Diagnostic-Code: X-Postfix; Host or domain name not found. Return-Path: <kim@near.example> DKIM-Signature: v=1; b={signature} From: Kim <kim@near.example> To: curator@museum.example.cmo Subject: Opening Date: Sat, 5 Dec 2026 03:12:37 +0100\n"
    );
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("curator@museum.example.cmo"));
    assert_eq!(b.sender.as_deref(), Some("kim@near.example"));
    assert_eq!(variation_of(r), "recipient-domain-missing");
    assert!(
        b.warnings
            .iter()
            .any(|w| w.contains("lost its line breaks"))
    );
}

/// Outlook's own report when its server refused the submission lists the recipient in
/// single quotes with the time; the reply names the sender and a login, neither of them
/// the recipient.
#[test]
fn outlook_s_own_report_lists_the_recipient_in_single_quotes() {
    let paste = "From:\tMicrosoft Outlook\nSent:\tFriday, December 4, 2026 9:41 AM\nTo:\tinfo@shop.example.com\nSubject:\tUndeliverable: Invoice\n\nYour message did not reach some or all of the intended recipients.\n\n      Subject:\tInvoice\n      Sent:\t12/4/2026 9:41 AM\n\nThe following recipient(s) cannot be reached:\n\n      'accounts@wholesale.example.org' on 12/4/2026 9:41 AM\n            553 5.7.1 <info@shop.example.com>: Sender address rejected: not owned by user web44@hosting.example.net\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(
        r.recipient.as_deref(),
        Some("accounts@wholesale.example.org")
    );
    assert_eq!(b.sender.as_deref(), Some("info@shop.example.com"));
    assert_eq!(variation_of(r), "sender-not-owned");
}

/// Two bounces pasted one after the other: the first one's verdict (no reply code) keeps
/// its own words; the second bounce's reply is not taken for it.
#[test]
fn two_bounces_pasted_one_after_the_other() {
    let paste = "Undelivered Mail Returned to Sender\nMAILER-DAEMON@smtp.near.example\nDate: Tue, 24 Nov 2026 09:15:02 +0000\nTo: desk@near.example\n\nThis is the mail system at host smtp.near.example.\n\n                   The mail system\n\n<lab@near.example>: mail for near.example loops back to\n    myself\n\n\nDelivery Status Notification (Failure)\nMail Delivery Subsystem <mailer-daemon@googlemail.com>\nDate: Tue, 24 Nov 2026 09:21:47 +0000\nTo: desk@near.example\n\nAddress not found\n\nYour message wasn't delivered to tech@far.example because the address couldn't be found.\n\nThe response from the remote server was:\n550 5.1.1 The email account that you tried to reach does not exist.\n\nPlease reply to Postmaster@near.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let first = &b.records[0];
    assert_eq!(first.recipient.as_deref(), Some("lab@near.example"));
    assert_eq!(first.reply_code, None);
    assert_eq!(variation_of(first), "mail-loop");
    assert_eq!(b.sender.as_deref(), Some("desk@near.example"));
    // The second bounce's failed recipient, named in its sentence, is a record of its own.
    assert_eq!(b.records.len(), 2, "{:?}", b.records);
    let second = &b.records[1];
    assert_eq!(second.recipient.as_deref(), Some("tech@far.example"));
    assert_eq!(second.reply_code, Some(550));
    assert_eq!(variation_of(second), "recipient-unknown");
}

/// Gmail's notice copied from a webmail view: the failed recipient is the one its sentence
/// names, never the view's `To:` line (the customer).
#[test]
fn a_gmail_notice_copied_from_a_webmail_view() {
    let paste = "Delivery Status Notification (Failure)\nMail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: desk@near.example\n\nAddress not found\n\nYour message wasn't delivered to tech@far.example because the address couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:\n550 5.1.1 The email account that you tried to reach does not exist.\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("tech@far.example"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(b.sender.as_deref(), Some("desk@near.example"));
}

/// A localised Exchange NDR whose recipient has no dot in its domain (read from the reply,
/// as an error text) still gives the sender from the original headers it carries.
#[test]
fn an_error_text_with_the_original_headers_names_the_sender() {
    let paste = "Error de entrega a los siguientes destinatarios:\n\nmiguel@examplenet\nServidor remoto devolvió '553 5.1.3 <miguel@examplenet>... Invalid recipient address'\n\nEncabezados de mensaje original:\n\nFrom: Lucía Fernández <lucia@near.example>\nTo: miguel@examplenet\nSubject: Horario\nDate: Wed, 2 Dec 2026 18:09:44 +0100\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("miguel@examplenet")
    );
    assert_eq!(b.sender.as_deref(), Some("lucia@near.example"));
}

/// An ESP's notice names the message before its recipient (`Your message "x" to a@b could
/// not be sent.`), its reason on the lines below, and the refused sender's address in the
/// server's words: that address is the envelope sender, not the account contact the
/// notice was written to.
#[test]
fn an_esp_notice_names_the_recipient_after_the_message_and_the_refused_sender() {
    let paste = "From: Sending Service <noreply@esp.example>\nTo: owner@shop.example\nDate: Thu, 03 Dec 2026 10:15:00 +0000\nSubject: Message not sent\n\nHello,\n\nYour message \"Winter sale\" to list-member@far.example could not be sent.\n\nReason: the sender address promo@shop.example is not verified on your account.\n\nSMTP response: 550 5.7.1 Sender address promo@shop.example is not verified for this account\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("list-member@far.example"));
    assert_eq!(r.reply_code, Some(550));
    // The reason below the sentence is the record's words, not the sentence itself.
    assert!(
        r.diagnostic
            .as_deref()
            .is_some_and(|d| d.contains("is not verified")),
        "{:?}",
        r.diagnostic
    );
    assert_eq!(b.sender.as_deref(), Some("promo@shop.example"));
}

/// A chat copy (KakaoTalk's `[Name] [오후 2:14] ` before each message) with a bounce's
/// header lines in it: the bounce's Date, not when the original came in.
#[test]
fn a_bounce_pasted_into_a_chat_keeps_its_own_date() {
    let paste = "[이서연] [오전 9:02] 메일이 안 가요\n[이서연] [오전 9:02] Date: Fri, 4 Dec 2026 08:59:12 +0900\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mx.near.example>\nTo: <front@near.example>\nSubject: Returned mail: see transcript for details\n\nThe original message was received at Fri, 4 Dec 2026 08:59:10 +0900\nfrom localhost [127.0.0.1]\n\n   ----- The following addresses had permanent fatal errors -----\nbooking@far.example\n    (reason: 550 5.1.1 booking@far.example... User unknown)\n[지원팀] [오전 9:05] 확인하겠습니다\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("booking@far.example")
    );
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-03T23:59:12+00:00")
    );
}

/// cPanel's Track Delivery detail in another language (Spanish labels): the recipient, the
/// sender, the out time and the result under their own labels.
#[test]
fn a_delivery_report_detail_with_translated_labels() {
    let paste = "Informe de entrega\n\nEvento: error\nRemitente: avisos@near.example\nHora de envío: 2026-12-02 16:40:05\nDestinatario: ventas@far.example\nResultado: SMTP error from remote mail server after RCPT TO:<ventas@far.example>: 550 5.1.1 <ventas@far.example>: Recipient address rejected: User unknown\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("ventas@far.example"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(b.sender.as_deref(), Some("avisos@near.example"));
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-02T16:40:05+00:00")
    );
}

/// A whole bounce pasted under a ticket's comment ("I copied it with View Source"): read as
/// the message it is, its report's listed recipient included, not as the session its
/// transcript quotes.
#[test]
fn a_raw_bounce_under_a_ticket_comment_is_read_as_a_message() {
    let paste = "Ticket 4410 - reports bounce\nAlex commented 2 Dec 2026 9:02 AM\n\nCopied with view source:\n\nReturn-Path: <>\nDate: Wed, 2 Dec 2026 08:40:11 +0100\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@web1.near.example>\nTo: <app@web1.near.example>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"B1\"\nSubject: Returned mail: see transcript for details\n\n--B1\n\nThe original message was received at Wed, 2 Dec 2026 08:40:09 +0100\nfrom localhost [127.0.0.1]\n\n   ----- The following addresses had permanent fatal errors -----\n<stats@far.example>\n    (reason: 553 5.1.8 <app@web1.near.example>... Domain of sender address app@web1.near.example does not exist)\n\n   ----- Transcript of session follows -----\n... while talking to relay.far.example.:\n>>> MAIL From:<app@web1.near.example> SIZE=1200\n<<< 553 5.1.8 <app@web1.near.example>... Domain of sender address app@web1.near.example does not exist\n501 5.6.0 Data format error\n\n--B1\n\nAlex commented 2 Dec 2026 9:04 AM\nThe server clock is CET.\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("stats@far.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(b.sender.as_deref(), Some("app@web1.near.example"));
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-02T07:40:11+00:00")
    );
}

/// A typed underscore in the recipient's domain is kept (the syntax error is about that
/// very address); a dialog's account line names the sender, not a recipient.
#[test]
fn an_underscore_domain_and_a_dialog_s_account_line() {
    let paste = "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jan@stavby_praha.example.cz\n    SMTP error from remote mail server after RCPT TO:<jan@stavby_praha.example.cz>:\n    553 5.1.3 Recipient address syntax error\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("jan@stavby_praha.example.cz")
    );
    let dialog = "Invio del messaggio non riuscito.\nSi è verificato un errore durante l'invio della posta. Il server di posta ha risposto:\n554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org\nVerificare che il proprio indirizzo email nelle impostazioni dell'account sia corretto e riprovare.\n\nL'account è anna@near.example, server in uscita mail.near.example porta 25.\n";
    let b = parse(dialog.as_bytes()).expect("parses");
    assert_eq!(only_record(&b).recipient, None);
    assert_eq!(b.sender.as_deref(), Some("anna@near.example"));
}

/// An ESP's log detail names the contact under "Email" and the sender under "Sender".
#[test]
fn an_esp_log_detail_with_email_and_reason_labels() {
    let paste = "Transactional > Logs > Email details\nEvent: Hard bounce\nDate: 02-12-2026 09:10:44 (UTC)\nEmail: buyer@far.example\nSender: shop@near.example\nSubject: Your order\nReason: 550 5.1.1 <buyer@far.example>: Recipient address rejected: User unknown\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("buyer@far.example"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(b.sender.as_deref(), Some("shop@near.example"));
}

/// A helpdesk's title line stamped with the ticket's time (the only time the paste shows)
/// and an activity line whose clock ends in PM.
#[test]
fn stamps_at_the_end_of_a_title_line_and_before_pm() {
    let paste = "Desk · #881 · Hotel Sol · Recibido: 03 dic 2026 02:10 PM\n\nError al enviar el mensaje\nEl servidor de correo respondió:\n553 5.7.1 <info@sol.example>: Sender address rejected: not owned by user web@sol.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-03T14:10:00+00:00")
    );
    let activity = "Marketing email · Nov 25, 2026 3:14 PM\nStatus: Bounced\nBounce reason: 550 5.1.1 The email account that you tried to reach does not exist\nRecipient: desk@far.example\n";
    let b = parse(activity.as_bytes()).expect("parses");
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-25T15:14:00+00:00")
    );
}

/// A Postfix report whose header block was copied after the body: the block's Date is the
/// report's time and its To the sender; a recipient written `<x@y.>` keeps its dot where
/// the reply faults the address's form.
#[test]
fn a_header_block_copied_after_the_body() {
    let paste = "This is the mail system at host smtp.near.example.\n\n                   The mail system\n\n<sales@far.example.>: host mx.far.example[192.0.2.8]\n    said: 501 5.1.3 Bad recipient address syntax (in reply to RCPT TO command)\n\n--- (headers, copied after) ---\nReturn-Path: <>\nDate: Mon, 30 Nov 2026 09:14:05 +0100 (CET)\nFrom: MAILER-DAEMON@smtp.near.example (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\nTo: shop@near.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("sales@far.example.")
    );
    assert_eq!(b.sender.as_deref(), Some("shop@near.example"));
    assert_eq!(
        b.timestamp.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-30T08:14:05+00:00")
    );
}

/// A Sendmail report cut down by the customer: only the returned original's Return-Path is
/// left of its headers, and it names the sender.
#[test]
fn a_cut_report_keeps_the_original_s_return_path() {
    let paste = "   ----- The following addresses had permanent fatal errors -----\n<orders@far.example>\n    (reason: 550 Host unknown)\n\n[...]\nReturn-Path: <accounts@near.example>\nFrom: Accounts <accounts@near.example>\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("orders@far.example")
    );
    assert_eq!(b.sender.as_deref(), Some("accounts@near.example"));
}

/// Outlook's Send/Receive error (one long line, pasted twice) names the account it sent
/// from in quotes: the sender, never the refused recipient.
#[test]
fn outlook_s_error_pasted_twice_names_the_account_only_as_sender() {
    let line = "Task 'mail.near.example - Sending' reported error (0x800CCC69) : 'The server responded with an error. Account: 'desk@near.example', Server: 'mail.near.example', Protocol: SMTP, Server Response: '554 5.7.1 Client host rejected: 198.51.100.9 listed by zen.spamhaus.org', Port: 587, Secure(SSL): No, Server Error: 554, Error Number: 0x800CCC69'\n";
    let paste = format!("{line}{line}");
    let b = parse(paste.as_bytes()).expect("parses");
    assert!(
        b.records.iter().all(|r| r.recipient.is_none()),
        "{:?}",
        b.records
    );
    assert_eq!(b.sender.as_deref(), Some("desk@near.example"));
}

/// A maillog line whose stamp was cut off the copy takes the stamp of the next line of the
/// same process (its `disconnect`).
#[test]
fn a_log_line_with_its_stamp_cut_takes_its_process_s_next_stamp() {
    let paste = "2.104411+01:00 mx1 postfix/smtpd[4410]: NOQUEUE: reject: RCPT from client.example.net[198.51.100.7]: 554 5.7.1 <bob@far.example>: Relay access denied; from=<ann@near.example> to=<bob@far.example> proto=ESMTP helo=<client>\n2026-11-22T10:15:02.106002+01:00 mx1 postfix/smtpd[4410]: disconnect from client.example.net[198.51.100.7] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(
        b.timestamp
            .map(|t| t.format("%FT%T").to_string())
            .as_deref(),
        Some("2026-11-22T09:15:02")
    );
}

fn stamp(b: &Bounce) -> Option<String> {
    b.timestamp.map(|t| t.format("%FT%T").to_string())
}

/// An admin panel's queue page in Russian: the column row, then the message's labelled
/// detail; the sender column is no recipient, and the reason row gives the reply.
#[test]
fn a_queue_page_in_russian_names_sender_and_recipient_by_their_labels() {
    let paste = "ID            Отправитель              Получатель              Дата                 Статус\n\
                 7hQ2Lm        ann@near.example         bob@far.example         01.12.2026 10:00:01  Ошибка\n\
                 \n\
                 Отправитель: ann@near.example\n\
                 Получатель: bob@far.example\n\
                 Последняя попытка: 01.12.2026 10:00:04\n\
                 Причина: host mx.far.example[198.51.100.2] said: 554 5.7.1 Client host rejected: Access denied (in reply to RCPT TO command)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(r.reply_code, Some(554));
}

/// A log search in Romanian: the delivered row is not a failure.
#[test]
fn a_log_search_s_outcome_words_in_romanian() {
    let paste = "Data                 Expeditor           Destinatar          Stare\n\
                 03/12/2026 09:22:14  ann@near.example    bob@far.example     Eșuat: Host or domain name not found. Name service error for name=far.example type=MX: Host not found\n\
                 03/12/2026 09:21:58  ann@near.example    cy@near.example     Livrat local\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// Office 365's NDR in Turkish under the view's rows: the view's To row names a person
/// (no address); the NDR's own recipient and sender rows decide, and the view's date (no
/// zone) stays the bounce's time rather than the returned message's creation.
#[test]
fn office365_ndr_in_turkish_under_a_view_naming_a_person() {
    let paste = "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@near.example>\n\
                 Pzt 7.12.2026 09:30\n\
                 Alıcı: Ayşe Demir\n\
                 \n\
                 İletiniz bob@far.example adresine teslim edilemedi.\n\
                 \n\
                 Özgün İleti Ayrıntıları\n\
                 Oluşturulma Tarihi:\t7.12.2026 09:29:40\n\
                 Gönderen Adresi:\tayse@near.example\n\
                 Alıcı Adresi:\tbob@far.example\n\
                 \n\
                 Hata Ayrıntıları\n\
                 Hata:\t550 5.7.60 SMTP; Client does not have permissions to send as this sender\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ayse@near.example"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-07T09:30:00"));
}

/// Office 365's NDR copied from Outlook with its view rows (read as a message): the To
/// row names only a person, so "Original Message Details" names the sender.
#[test]
fn office365_ndr_with_view_rows_takes_the_sender_from_its_details() {
    let paste = "From:\tMicrosoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@near.onmicrosoft.com>\n\
                 To:\tAnn Lee\n\
                 Sent:\tMonday, December 7, 2026 9:14 AM\n\
                 Subject:\tUndeliverable: Quote\n\
                 \n\
                 Your message to bob@far.example couldn't be delivered.\n\
                 \n\
                 Original Message Details\n\
                 Created Date:\t12/7/2026 9:13:57 AM\n\
                 Sender Address:\tann@near.example\n\
                 Recipient Address:\tbob@far.example\n\
                 \n\
                 Error Details\n\
                 Error:\t550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@far.example not found by SMTP address lookup\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// A tool's label over the server's reply a few lines below (Apache James: `Error:
/// Invalid user address`, `Error message below:`, the reply): the reply is the words.
#[test]
fn a_labelled_error_over_the_reply_below_it() {
    let paste = "Error: Invalid user address\n\nError message below:\n550 - Requested action not taken: no such user here\n\nMessage details:\n  MAIL FROM: ann@near.example\n  RCPT TO: bob@far.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(r.reply_code, Some(550));
}

/// Apple Mail's Connection Doctor log: each block opens with its event in capitals and a
/// stamp with milliseconds; the refusal's block gives the time.
#[test]
fn apple_mail_connection_doctor_stamps() {
    let paste = "WROTE Dec 07 10:12:45.009 [kCFStreamSocketSecurityLevelTLSv1_2] -- host:smtp.near.example -- port:587\nMAIL FROM:<ann@near.example> SIZE=1200\n\nREAD Dec 07 10:12:45.104 [kCFStreamSocketSecurityLevelTLSv1_2] -- host:smtp.near.example -- port:587\n250 2.1.0 Ok\n\nWROTE Dec 07 10:12:45.106 [kCFStreamSocketSecurityLevelTLSv1_2] -- host:smtp.near.example -- port:587\nRCPT TO:<bob@far.example>\n\nREAD Dec 07 10:12:46.977 [kCFStreamSocketSecurityLevelTLSv1_2] -- host:smtp.near.example -- port:587\n553 5.7.1 <bob@far.example>: Relay access denied\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-07T10:12:46"));
}

/// A task queue's log: the script announces the recipient, then the server refuses the
/// sender (no RCPT TO was sent).
#[test]
fn a_refused_sender_s_recipient_from_the_script_s_own_line() {
    let paste = "[2026-12-07 09:41:17,990: INFO/ForkPoolWorker-2] app.tasks.send_receipt[4b0f]: sending receipt for order 11 to bob@far.example\n[2026-12-07 09:41:18,204: ERROR/ForkPoolWorker-2] Task app.tasks.send_receipt[4b0f] raised unexpected: SMTPSenderRefused(553, b'5.1.8 <noreply@shop.localhost>: Sender address rejected: Domain not found', 'noreply@shop.localhost')\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("noreply@shop.localhost"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// An agent's ssh command above the server's log: the login (`admin@host`) and the
/// account that logged in are no recipients of a refused sender.
#[test]
fn an_ssh_login_and_the_logged_in_account_are_no_recipients() {
    let paste = "PS C:\\ops> ssh admin@mail.near.example \"grep 198.51.100.15 /var/log/mail.log | tail -2\"\n2026-12-07T09:15:33Z INFO Authentication successful (auth.success) remoteIp = 198.51.100.15, accountName = \"intern@near.example\"\n2026-12-07T09:15:33Z INFO MAIL FROM rejected (smtp.mail-from-unauthorized) remoteIp = 198.51.100.15, from = \"ceo@near.example\", code = 550, details = \"5.7.1 You are not allowed to send from this address.\"\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ceo@near.example"));
    assert_eq!(only_record(&b).recipient, None);
}

/// Haraka's outbound log: the bounce it sends goes to the envelope sender.
#[test]
fn a_mail_system_s_line_about_its_bounce_names_the_sender() {
    let paste = "2026-12-07T03:21:07.118Z [ERROR] [6D3B.1] [outbound] Permanent failure for <bob@far.example>: 554 5.7.1 Service unavailable; Client host [192.0.2.97] blocked using b.barracudacentral.org\n2026-12-07T03:21:07.121Z [INFO] [6D3B.1] [outbound] Sending bounce to <ann@near.example>\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// A webhook's event naming the recipient `rcpt` and the reply `smtp_response`; an
/// address with a character no domain may hold is kept as written.
#[test]
fn a_webhook_event_with_rcpt_and_smtp_response() {
    let paste = "{\n  \"event\": \"bounce\",\n  \"time\": \"2026-12-07T07:48:19+02:00\",\n  \"sender\": \"ann@near.example\",\n  \"rcpt\": \"bob@far-&-co.example\",\n  \"smtp_response\": \"501 5.1.3 Bad recipient address syntax\"\n}\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far-&-co.example"));
    assert_eq!(r.reply_code, Some(501));
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-07T05:48:19"));
}

/// Sendmail's reply names the address as written before its `...`: a stray `>` typed
/// after it stays (the agent must see it); its own `<...>` and an unclosed `<` do not.
#[test]
fn sendmail_names_the_address_as_written() {
    let reply = |addr: &str, words: &str| {
        format!(
            "   ----- The following addresses had permanent fatal errors -----\n{addr}\n\n   ----- Transcript of session follows -----\n553 5.0.0 {addr}... {words}\n"
        )
    };
    let recipient = |text: String| {
        let b = parse(text.as_bytes()).expect("parses");
        only_record(&b).recipient.clone()
    };
    assert_eq!(
        recipient(reply("bob@far.example>", "Unbalanced '>'")).as_deref(),
        Some("bob@far.example>")
    );
    assert_eq!(
        recipient(reply("<bob@far.example", "Unbalanced '<'")).as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(
        recipient(reply("<bob@far.example>", "User unknown")).as_deref(),
        Some("bob@far.example")
    );
}

/// Outlook's Send/Receive error in Spanish: the task's quoted account is the sender, its
/// quote not part of it.
#[test]
fn outlook_s_task_account_in_spanish_loses_its_quote() {
    let paste = "Tarea 'ann@near.example - Enviando' informó del error (0x800CCC78) : 'No se puede enviar el mensaje. Compruebe la dirección de correo electrónico en las propiedades de la cuenta. El servidor respondió: 553 sorry, you don't authenticate or the domain isn't in my list of allowed rcpthosts (#5.7.1)'\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
}

/// Outlook's own report of a send it could not make (Exchange on-premises): its
/// administrators' part names the sender in a `From:` row.
#[test]
fn outlook_s_report_names_the_sender_under_its_administrators_heading() {
    let paste = "Your message did not reach some or all of the intended recipients.\n\n      Subject:\tQuote\n      Sent:\t07/12/2026 09:10\n\nThe following recipient(s) cannot be reached:\n\n      'bob@far.example' on 07/12/2026 09:10\n            You do not have the permission to send the message on behalf of the specified user.\n\nDiagnostic information for administrators:\nFrom: ann@near.example\nRemote Server returned '550 5.7.60 SMTP; Client does not have permissions to send as this sender'\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// exim_mainlog: Exim's own bounce (`<= <> R=<id>` ... `for x`) goes to the failed
/// message's sender, when the excerpt lacks that message's arrival.
#[test]
fn exim_s_own_bounce_line_names_the_failed_message_s_sender() {
    let paste = "2026-12-07 10:16:03 1vNrYw-004Kx2-7T ** bob@far.example R=lookuphost T=remote_smtp H=mx.far.example [198.51.100.214]: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 550 5.1.1 User unknown\n2026-12-07 10:16:03 1vNrYx-004Kx9-0a <= <> R=1vNrYw-004Kx2-7T U=Debian-exim P=local S=2875 T=\"Mail delivery failed: returning message to sender\" for ann@near.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// A maillog whose qmgr line was not copied: amavis' line for the message it handed back
/// (`queued_as: QID`) names the sender.
#[test]
fn amavis_names_the_sender_of_the_message_postfix_queued() {
    let paste = "Dec  7 22:07:31 mx postfix/smtp[18221]: 3F8C2B40E1A: to=<bob@far.example>, relay=mx.far.example[198.51.100.9]:25, delay=0.5, delays=0.03/0.01/0.2/0.2, dsn=5.1.1, status=bounced (host mx.far.example[198.51.100.9] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\nDec  7 22:07:31 mx amavis[7801]: (07801-14) Passed CLEAN {RelayedOutbound}, ORIGINATING LOCAL [127.0.0.1]:41022 <ann@near.example> -> <bob@far.example>, Queue-ID: 1E7A0B40E0C, mail_id: Qx3kP0vZ8aWn, Hits: -1.2, size: 3312, queued_as: 3F8C2B40E1A, 45 ms\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
}

/// A webmail's compose error over the draft's rows: the draft's Date row dates it, and a
/// .NET app's own line names its sender.
#[test]
fn a_compose_error_over_its_draft_and_an_app_s_sender_line() {
    let paste = "Message not sent.\n\nThere was an error sending your message: 553 5.1.8 <ann@near.internal>: Sender address rejected: Domain not found\n\nCompose Message\nFrom:    Ann <ann@near.internal>\nTo:      bob@far.example\nSubject: Letters\nDate:    07/12/2026 15:10\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-07T15:10:00"));
    let app = "[2026-12-07 14:22:31.884 +00:00 ERR] Failed to email quote Q-1 to bob@far.example\nSystem.Net.Mail.SmtpFailedRecipientException: Mailbox unavailable. The server response was: 5.2.2 <bob@far.example>: Mailbox full\n[2026-12-07 14:22:31.889 +00:00 INF] Sender was ann@near.example via smtp.near.example:587\n";
    let b = parse(app.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
}

/// A filtering service's delivery report (`Message from:`, `Message to:`, `Time:` with
/// its zone) under the view rows of its notice.
#[test]
fn a_filtering_service_s_delivery_report() {
    let paste = "Von: Notification <notification@filter.example>\nAn: ann@near.example\nDatum: Mo., 7. Dez. 2026 um 09:58\n\nDelivery report\n\nMessage from: ann@near.example\nMessage to:   bob@far.example\nSubject:      Order\nTime:         2026-12-07 09:58:21 +0100\nStatus:       Rejected by recipient server\nResponse:     550 5.7.1 Unable to relay for bob@far.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(b.sender.as_deref(), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-07T08:58:21"));
}

/// A session whose MAIL FROM was refused and whose RCPT TO got `503 MAIL first`: one
/// failure, the sender's, for the recipient tried.
#[test]
fn a_bad_sequence_after_a_refused_sender_is_no_failure_of_its_own() {
    let paste = "220 mx.far.example ESMTP\nHELO me\n250 mx.far.example\nMAIL FROM:<ann@near.office>\n553 sorry, your envelope sender domain must exist (#5.7.1)\nRCPT TO:<bob@far.example>\n503 MAIL first (#5.5.1)\nQUIT\n221 mx.far.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
}

/// hMailServer's log: tab-separated quoted cells, the stamp in its own cell.
#[test]
fn a_tab_separated_log_record_s_stamp() {
    let paste = "\"SMTPC\"\t4312\t27\t\"2026-12-07 08:44:19.141\"\t\"203.0.113.130\"\t\"SENT: RCPT TO:<bob@far.example>\"\n\"SMTPC\"\t4312\t27\t\"2026-12-07 08:44:19.259\"\t\"203.0.113.130\"\t\"RECEIVED: 250 2.1.5 Recipient ok\"\n\"SMTPC\"\t4312\t27\t\"2026-12-07 08:44:19.260\"\t\"203.0.113.130\"\t\"SENT: DATA\"\n\"SMTPC\"\t4312\t27\t\"2026-12-07 08:44:20.512\"\t\"203.0.113.130\"\t\"RECEIVED: 554 5.4.6 Too many hops\"\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-07T08:44:20"));
}

/// A page's table copied as text whose cells overflow their columns: cells two spaces
/// apart, as many as the header names; the outcome cell's words when no column holds
/// them.
#[test]
fn a_table_whose_cells_overflow_their_columns() {
    let paste = "Time                 Action                Type   Recipient          Subject           Status   Info\n2026-12-07 22:10:05  Critical alerts by e-mail  Email  bob@far.example  Problem: disk full on srv-erp01  Failed  Failed to send e-mail: 553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user alerts@near.example\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(only_record(&b).reply_code, Some(553));
    let outcome = "Date                 Sender              Recipient           State\n03/12/2026 09:22:14  ann@near.example    bob@far.example     Failed: Host or domain name not found. Name service error for name=far.example type=MX: Host not found\n";
    let b = parse(outcome.as_bytes()).expect("parses");
    assert!(
        only_record(&b)
            .diagnostic
            .as_deref()
            .is_some_and(|d| d.starts_with("Host or domain name not found")),
        "{:?}",
        b.records
    );
}

fn sender_of(b: &Bounce) -> Option<&str> {
    b.sender.as_deref()
}

/// Outlook's view rows in Greek: `Απεστάλη:` is its Sent.
#[test]
fn a_greek_outlook_view_s_sent_row() {
    let paste = "Από:\tMAILER-DAEMON@mail.near.example\nΑπεστάλη:\tΔευτέρα, 30 Νοεμβρίου 2026 11:52 πμ\nΠρος:\tann@near.example\n\nHi. This is the qmail-send program at mail.near.example.\n\n<bob@far.example>:\n192.0.2.230 does not like recipient.\nRemote host said: 553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(stamp(&b).as_deref(), Some("2026-11-30T11:52:00"));
}

/// A hosting panel's mail log page: the stamp without a year in a column, the program in
/// another, no host or process id.
#[test]
fn a_panel_s_log_page_with_program_and_yearless_stamp_columns() {
    let paste = "Zeitstempel            Dienst              Nachricht\n24.11. 07:55:01        postfix/smtpd       connect from client.example[203.0.113.135]\n24.11. 07:55:02        postfix/smtpd       NOQUEUE: reject: RCPT from client.example[203.0.113.135]: 554 5.7.1 <bob@far.example>: Relay access denied; from=<ann@near.example> to=<bob@far.example> proto=ESMTP helo=<PC>\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert!(
        stamp(&b).is_some_and(|s| s.ends_with("-11-24T07:55:02")),
        "{:?}",
        b.timestamp
    );
    // The view showed no host: no reporting MTA is made up.
    assert_eq!(b.reporting_mta, None);
}

/// Sendmail's `<x@>... Hostname required`: the address as written, domain missing.
#[test]
fn a_refused_address_without_its_domain() {
    let paste = "   ----- The following addresses had permanent fatal errors -----\norders@\n    (reason: 553 5.1.3 <orders@>... Hostname required)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(only_record(&b).recipient.as_deref(), Some("orders@"));
}

/// Symfony Mailer's error quotes the reply after `with message`: the reply, not the
/// quoted code before it; in a JSON log line its quotes are escaped.
#[test]
fn symfony_mailer_s_quoted_reply() {
    let paste = "[2026-11-29 10:41:07] production.ERROR: Expected response code \"250\" but got code \"550\", with message \"550 5.7.64 Relay Access Denied\".\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).diagnostic.as_deref(),
        Some("550 5.7.64 Relay Access Denied")
    );
    let json = r#"{"time":"2026-11-22T21:30:05+00:00","message":"Mail delivery failed","exception":{"Message":"Expected response code \"250\" but got code \"554\", with message \"554 5.4.6 Too many hops\".","Code":554},"data":{"mail.from":"ann@near.example","mail.to":"bob@far.example"}}"#;
    let b = parse(json.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(r.diagnostic.as_deref(), Some("554 5.4.6 Too many hops"));
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// A Monolog line's JSON context names the sender (`mailFrom`) and the recipient
/// (`mailTo`): the sender's address is no recipient.
#[test]
fn a_log_context_s_mail_from_is_the_sender() {
    let paste = "[2026-12-02T14:18:56.412803+01:00] app.ERROR: Could not send mail: Expected response code \"250\" but got code \"554\", with message \"554 5.7.1 Service unavailable; Client host [203.0.113.222] blocked using bl.spamcop.net\". {\"exception\":\"[object] (TransportException(code: 554))\",\"mailFrom\":\"ann@near.example\",\"mailTo\":\"bob@far.example\"} []\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// An app's error naming the sender in its language, as a label or in brackets.
#[test]
fn an_app_s_sender_label_in_its_language() {
    let paste = "2026-12-05T16:52:11+01:00\tERROR 203.0.113.87\tmail\tKontaktformular: Die E-Mail an bob@far..example konnte nicht gesendet werden. SMTP Fehler: Die folgenden Empfänger sind nicht korrekt: bob@far..example: Bad recipient address syntax (Absender: ann@near.example, Server: 501 5.1.3)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    let paste = "[2026-11-25T09:15:33+00:00] main.INFO: Invio email di conferma a bob@far.example (mittente ann@near.example) [] []\n[2026-11-25T09:15:33+00:00] main.CRITICAL: Impossibile inviare l'email: Expected response code \"250\" but got code \"550\", with message \"550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown\". [] []\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    // A webmail view's From row over a bounce names a mail system: no sender.
    let view = "Absender: Mail Delivery System <MAILER-DAEMON@mx.near.example>\n\n<bob@far.example>: host mx.far.example said: 550 5.1.1 no such user\n";
    let b = parse(view.as_bytes()).expect("parses");
    assert_ne!(sender_of(&b), Some("MAILER-DAEMON@mx.near.example"));
}

/// A Windows prompt's `echo %date% %time%` before a session dates it (in the system's
/// locale); the session names the server it spoke to.
#[test]
fn a_windows_prompt_s_date_before_a_session() {
    let paste = "C:\\Users\\ilse>echo %date% %time%\ndi 01-12-2026 15:22:47,31\n\nC:\\Users\\ilse>ncat -C mx.far.example 25\n220 mx.far.example ESMTP ready\nHELO pc\n250 mx.far.example Hello pc [203.0.113.71]\nMAIL FROM:<ann@near.example>\n250 OK\nRCPT TO:<bob@far.example>\n250 Accepted\nDATA\n354 Enter message\n.\n553 Message could not be accepted at this time\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-01T15:22:47"));
    assert_eq!(
        only_record(&b).remote_host.as_deref(),
        Some("mx.far.example")
    );
}

/// cPanel's Track Delivery in Dutch, and Plesk's mail queue in Spanish: the panels' labels
/// in their languages.
#[test]
fn panels_labels_in_dutch_and_spanish() {
    let paste = "Bezorgingsrapport\nGebeurtenis:\tFout\nDatum/tijd verzonden:\t4 dec. 2026 09:12:38\nDatum/tijd bezorging:\t4 dec. 2026 09:12:40\nAfzender:\tann@near.example\nOntvanger:\tbob@far.example\nResultaat:\tToo many \"Received\" headers - suspected mail loop\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-04T09:12:40"));
    let queue = "ID\tFecha\tAsunto\tRemitente\tDestinatarios\tTamaño\tMotivo\n7C0A41B2E5\t20 nov 2026 16:40:02\tFactura\tann@near.example\tbob@far.example\t84 KB\tconnect to mx.far.example[192.0.2.47]:25: Connection timed out\n";
    let b = parse(queue.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(stamp(&b).as_deref(), Some("2026-11-20T16:40:02"));
}

/// A mail library's refusal of an address's form, with no server reply: a record for the
/// address, its time from the log page's time column.
#[test]
fn a_library_s_address_refusal_without_a_reply() {
    let paste = "ID\tEmployé\tMessage\tDate\n48211\t-\tErreur lors de l'envoi de l'e-mail à bob@far..example (expéditeur : ann@near.example) : Address in mailbox given [bob@far..example] does not comply with RFC 2822, 3.6.2.\t24/11/2026 18:02:26\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far..example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(stamp(&b).as_deref(), Some("2026-11-24T18:02:26"));
    let phpmailer = "2026-11-24 18:02:26 Invalid address:  (to): bob@far..example\n";
    let b = parse(phpmailer.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far..example")
    );
}

/// A bounce record that wraps the service's own notification (a list manager's record
/// around SES's), fetched with a command whose arguments hold brackets.
#[test]
fn a_wrapped_ses_notification_in_an_api_answer() {
    let paste = "$ curl -s -u 'admin:[redacted]' https://lists.near.example/api/bounces/412 | jq .\n{\n  \"data\": {\n    \"id\": 412,\n    \"source\": \"ses\",\n    \"meta\": {\n      \"bounce\": {\n        \"bouncedRecipients\": [\n          {\"emailAddress\": \"bob@far.example\", \"action\": \"failed\", \"status\": \"5.2.2\", \"diagnosticCode\": \"smtp; 552 5.2.2 <bob@far.example>: Mailbox full\"}\n        ],\n        \"timestamp\": \"2026-11-22T09:15:43.000Z\"\n      },\n      \"mail\": {\"source\": \"news@near.example\"}\n    },\n    \"created_at\": \"2026-11-22T09:15:43.512934Z\",\n    \"email\": \"bob@far.example\"\n  }\n}\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.reply_code, Some(552));
    assert_eq!(sender_of(&b), Some("news@near.example"));
}

/// A CSV log with the date and the time in two columns; a device's settings page naming
/// its sender; PHP's print_r of a mail's headers.
#[test]
fn split_date_columns_and_device_and_print_r_senders() {
    let csv = "Severity,Date,Time,Event Category,Recipient,Method,Result,Content\nWarning,2026/12/04,07:30:15,E-mail,bob@far.example,SMTP,Failed,\"Sender ann@near.example: 553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user bob@far.example\"\n";
    let b = parse(csv.as_bytes()).expect("parses");
    assert_eq!(stamp(&b).as_deref(), Some("2026-12-04T07:30:15"));
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    let device = "Test Send Result\n\nSender E-mail Address        ann@near.example\nDestination E-mail Address   bob@far.example\n\nResult: Error\nServer response: 450 4.1.2 <bob@far.example>: Recipient address rejected: Domain not found\n";
    let b = parse(device.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    let print_r = "2026-11-27 01:03:11 - DEBUG --> send_email(): Array\n(\n    [to] => bob@far.example\n    [headers] => Array\n        (\n            [From] => From: \"Club\" <ann@near.example>\n        )\n)\n2026-11-27 01:03:12 - ERROR --> send_email(): SMTP Error: The following recipients failed: bob@far.example: <bob@far.example>: Recipient address rejected: Domain not found\n";
    let b = parse(print_r.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// A CRM's contact record: the bounce's reply outweighs the activity's "Sent" status.
#[test]
fn a_failure_reply_outweighs_a_sent_status_cell() {
    let paste = "Email                 bob@far.example  (!) Bounced\nEmail Bounced Date    12/5/2026, 3:22 PM\nEmail Bounced Reason  554 5.7.1 Service unavailable; Client host [203.0.113.241] blocked using b.barracudacentral.org\n\nActivity History\n  Date            12/5/2026\n  From            Office <ann@near.example>\n  To              bob@far.example\n  Status          Sent (List Email)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(only_record(&b).action, Action::Failed);
}

/// A stamped session log: the reply's own stamp, not the Date header sent after DATA;
/// a mail merge's lines about messages sent name no failure.
#[test]
fn stamped_session_lines_and_a_merge_s_sent_lines() {
    let paste = "2026-11-30 21:05:02\tCLIENT -> SERVER: MAIL FROM:<ann@near.example>\n2026-11-30 21:05:02\tSERVER -> CLIENT: 250 2.1.0 Ok\n2026-11-30 21:05:02\tCLIENT -> SERVER: RCPT TO:<bob@far.example>\n2026-11-30 21:05:02\tSERVER -> CLIENT: 250 2.1.5 Ok\n2026-11-30 21:05:02\tCLIENT -> SERVER: DATA\n2026-11-30 21:05:02\tSERVER -> CLIENT: 354 End data\n2026-11-30 21:05:02\tCLIENT -> SERVER: Date: Mon, 30 Nov 2026 21:05:02 +0000\n2026-11-30 21:05:02\tCLIENT -> SERVER: .\n2026-11-30 21:05:03\tSERVER -> CLIENT: 554 5.4.0 Error: too many hops\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(stamp(&b).as_deref(), Some("2026-11-30T21:05:03"));
    let merge = "2026-11-25 19:43:44  Sent 1/38: carl@far.example\n2026-11-25 19:44:02  Error 2/38: bob@far.example - sending failed\n\nAn error occurred while sending mail. The mail server responded:\n5.1.1 <bob@far.example>: Recipient address rejected: User unknown in virtual mailbox table.\n";
    let b = parse(merge.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// A link's address pasted whole (`<mailto:x@y>`), refused as written.
#[test]
fn a_mailto_address_refused_as_written() {
    let paste = "<mailto:bob@far.example>: host mx.far.example[192.0.2.163] said: 501 5.1.3 Bad\n    recipient address syntax (in reply to RCPT TO command)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("mailto:bob@far.example")
    );
}

/// An app's line announcing the send with a colon after its preposition names the
/// recipient of a refused sender.
#[test]
fn a_send_announcement_with_a_colon() {
    let paste = "I, [2026-12-03T08:41:06.882104+10:00 #1#12] INFO -- : Send email to: 'bob@far.example' (from: 'Desk <ann@near.intranet>')\nE, [2026-12-03T08:41:07.311902+10:00 #1#12] ERROR -- : 553 5.1.8 <ann@near.intranet>: Sender address rejected: Domain not found (Net::SMTPFatalError)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.intranet"));
}

fn time_of(b: &Bounce) -> Option<String> {
    b.timestamp.map(|t| t.to_rfc3339())
}

/// A DSN relaying a refusal of the sender (a webmail's "send mail as" through the
/// customer's own server): the address the refusal names as the sender is the envelope
/// sender, not the webmail account the DSN was written to.
#[test]
fn a_dsn_s_refusal_names_the_envelope_sender() {
    let dsn = "From: Mail Delivery Subsystem <mailer-daemon@webmail.example>\nTo: ann.account@webmail.example\nSubject: Delivery Status Notification (Failure)\nDate: Mon, 30 Nov 2026 12:44:51 -0800\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nThe response from the remote server was:\n553 5.7.1 <office@near.example>: Sender address rejected: not owned by user login@near.example\n\n--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; webmail.example\n\nFinal-Recipient: rfc822; bob@far.example\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 553 5.7.1 <office@near.example>: Sender address rejected: not\n    owned by user login@near.example\n\n--b1--\n";
    let b = parse(dsn.as_bytes()).expect("parses");
    assert_eq!(b.format, Format::Dsn);
    assert_eq!(sender_of(&b), Some("office@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// Exchange Online's SendAsDenied names the address the mailbox may not send as: that
/// address was refused as the sender.
#[test]
fn send_as_denied_names_the_refused_sender() {
    let ndr = "From: Microsoft Outlook <MicrosoftExchange@near.onmicrosoft.com>\nTo: Ann <ann@near.example>\nDate: Tue, 24 Nov 2026 08:03:17 +0000\nSubject: Undeliverable: Offer\n\nDelivery has failed to these recipients or groups:\n\nbob@far.example\nYour message couldn't be delivered because you weren't recognized as a valid sender.\n\nDiagnostic information for administrators:\n\nGenerating server: AB1PR01MB0001.prod.outlook.com\n\nbob@far.example\nRemote Server returned '554 5.2.252 SendAsDenied; ann@near.example not allowed to send as sales@near.example; STOREDRV.Submit; Sender ID [x]'\n";
    let b = parse(ndr.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("sales@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// A local part typed in full-width letters (a Japanese input method left in full-width
/// mode) is the recipient as written.
#[test]
fn a_full_width_local_part_is_the_recipient() {
    let ndr = "次の受信者またはグループへの配信に失敗しました:\n\nｔａｎａｋａ@far.example.jp (ｔａｎａｋａ@far.example.jp)\n入力した電子メール アドレスが無効です。\n\nｔａｎａｋａ@far.example.jp\nRemote Server returned '501 5.1.3 Invalid address'\n";
    let b = parse(ndr.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("ｔａｎａｋａ@far.example.jp")
    );
}

/// Outlook for Mac spells it "email": the address its dialog says was rejected is the
/// recipient, whatever the account settings pasted below it list.
#[test]
fn outlook_for_mac_s_rejected_email_address() {
    let paste = "Mail could not be sent\n\nThe message could not be sent because one of the recipients was rejected by the server. The rejected email address was \"bob@far.example\". Subject 'Plans', Account: 'ann@near.example', Server: 'mail.near.example', Protocol: SMTP, Server Response: '554 5.7.1 <bob@far.example>: Relay access denied', Port: 587, Secure(SSL): No, Server Error: 554, Error Number: 0x800CCC79\n\nAccount settings:\n  Email address: ann@near.example\n  Outgoing server: mail.near.example : 587\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// A client's log in Vietnamese announces the message "to" its recipient: the recipient
/// of a refusal of the sender, which names none.
#[test]
fn a_vietnamese_send_announcement_names_the_recipient() {
    let paste = "02/12/2026 09:31:12  Lỗi: Không thể gửi thư tới bob@far.example\n                     Máy chủ trả lời: 553 5.1.8 <ann@near.local>: Sender address rejected: Domain not found\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.local"));
}

/// Foxmail's failure dialog in Chinese, its rows with full-width colons: the account row is
/// the sender, the recipient row the recipient as typed (a comma for a dot kept).
#[test]
fn a_chinese_client_dialog_s_account_and_recipient_rows() {
    let paste = "Foxmail 发送失败\n\n2026-11-26 10:05:33\n账号：ann@near.example.cn\n主题：报价\n收件人：bob@far,example.cn\n\n发送邮件失败，服务器返回错误：\n501 5.1.3 Bad recipient address syntax\n\n错误代码：0x800CCC79\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example.cn"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far,example.cn")
    );
}

/// Exim's message log (a panel's queue view, `exim -Mvl`): the arrival names the sender,
/// a deferral is a delay (its first line dates it), a routing failure fails the address.
#[test]
fn exim_s_message_log_lines() {
    let deferred = "Message 1tIHcF-0008Jd-2V\n\n2026-11-30 10:52:10 Received from ann@near.example H=(pc) [192.0.2.189] P=esmtpsa A=login:ann@near.example S=41902\n2026-11-30 10:52:11 bob@far.example R=lookuphost T=remote_smtp defer (-44) H=mx.far.example [198.51.100.245]: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 451 4.7.1 Greylisted, please try again in 600 seconds\n2026-11-30 11:04:22 bob@far.example R=lookuphost T=remote_smtp defer (-44) H=mx.far.example [198.51.100.245]: SMTP error from remote mail server after RCPT TO:<bob@far.example>: 451 4.7.1 Greylisted, please try again in 600 seconds\n";
    let b = parse(deferred.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(r.action, Action::Delayed);
    assert_eq!(r.reply_code, Some(451));
    assert_eq!(time_of(&b).as_deref(), Some("2026-11-30T10:52:11+00:00"));
    let failed = "2026-12-05 16:41:25 Received from ann@near.example U=ann P=local S=2874\n2026-12-05 16:41:27 bob@far.example R=dnslookup T=remote_smtp H=mx.far.example [198.51.100.148]: SMTP error from remote mail server after end of data: 553 Message rejected by remote host\n";
    let b = parse(failed.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.action, Action::Failed);
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-05T16:41:27+00:00"));
}

/// A shop's error log line `... from x to y` names the sender of the mail to the failed
/// recipient, whatever its verb.
#[test]
fn an_app_s_line_from_the_sender_to_the_recipient() {
    let paste = "2026-11-27 3:14:06 - Mail: order #1182 confirmation from shop@near.example to bob@@far.example\n2026-11-27 3:14:07 - PHP Notice:  Error: RCPT TO not accepted from server! 501 5.1.3 Bad recipient address syntax in /home/x/system/library/mail/smtp.php on line 265\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("shop@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@@far.example")
    );
}

/// A notification log in Indonesian, `Label: value` lines: its sender, recipient, time and
/// the server's reply.
#[test]
fn an_indonesian_notification_log_entry() {
    let paste = "Log Notifikasi Email\n\nWaktu: 04-12-2026 13:45:09 WITA\nPengirim: notif@near.example.co.id\nPenerima: bob@far.example.co.id\nStatus: GAGAL\nRespon server: 550 5.7.1 <bob@far.example.co.id>... Relaying denied. Proper authentication required.\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("notif@near.example.co.id"));
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example.co.id"));
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T05:45:09+00:00"));
}

/// A Chinese log entry's labels with full-width colons (`发件人：x`, and a time whose own
/// colons follow the label's).
#[test]
fn a_chinese_log_entry_with_full_width_colons() {
    let paste = "发送时间：2026-11-26 10:05:33\n发件人：ann@near.example.cn\n收件地址：bob@far.example.cn\n状态：失败\n错误信息：550 5.1.1 <bob@far.example.cn>: Recipient address rejected: User unknown\n";
    let b = parse(paste.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example.cn"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example.cn")
    );
    assert_eq!(time_of(&b).as_deref(), Some("2026-11-26T10:05:33+00:00"));
}

/// Sendmail's `Unbalanced '"'` faults a stray quote typed before the address: the
/// recipient keeps it, and the reply keeps its own quotes.
#[test]
fn an_unbalanced_quote_is_kept_where_the_reply_faults_it() {
    let paste = "----- The following addresses had permanent fatal errors -----\n\"bob@far.example\n    (reason: 553 5.1.0 Unbalanced '\"')\n\n   ----- Transcript of session follows -----\n553 5.1.0 \"bob@far.example... Unbalanced '\"'\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("\"bob@far.example"));
    assert!(
        r.diagnostic
            .as_deref()
            .is_some_and(|d| d.ends_with("Unbalanced '\"'")),
        "{:?}",
        r.diagnostic
    );
}

/// Postfix's `to=` under a host name the site rewrote the written address to: the record
/// names the `orig_to` the sender wrote.
#[test]
fn a_maillog_recipient_under_a_rewritten_host_name() {
    let log = "Nov 21 19:44:02 mail postfix/qmgr[1120]: 5C2E01A8F0: from=<web@near.example>, size=1877, nrcpt=1 (queue active)\nNov 21 19:44:02 mail postfix/local[3405]: 5C2E01A8F0: to=<sales@mail.near.example>, orig_to=<sales@near.example>, relay=local, delay=0.05, dsn=5.4.6, status=bounced (mail forwarding loop for sales@mail.near.example)\n";
    let b = parse(log.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("sales@near.example")
    );
    assert_eq!(sender_of(&b), Some("web@near.example"));
}

/// The customer's note over the paste dates it: a sentence's `at 18:40 UTC on 25 Nov
/// 2026`, and a Japanese note's stamp in full-width brackets glued to its words.
#[test]
fn a_note_over_the_paste_dates_it() {
    let english = "Customer sent this screenshot text at 18:40 UTC on 25 Nov 2026:\n\n  The reported error was \"Failed to send message: 553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user login@near.example\".\n";
    let b = parse(english.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-11-25T18:40:00+00:00"));
    let japanese = "エラー表示をそのまま貼ります（2026/12/02 15:31）\n\nSMTP サーバーからのエラー:\n550 5.1.1 <bob@far.example.jp>: Recipient address rejected: User unknown\n送信者: ann@near.example.jp\n";
    let b = parse(japanese.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-02T15:31:00+00:00"));
    assert_eq!(sender_of(&b), Some("ann@near.example.jp"));
}

/// Eudora's error window names its personality's address, KMail's its transport's: the
/// account, the sender.
#[test]
fn eudora_s_personality_and_kmail_s_transport_name_the_account() {
    let eudora = "Eudora Error\n\n  Error from SMTP server:\n  553 sorry, message refused\n\n  While sending \"Minutes\" to <bob@far.example>\n  (Personality: Dominant, ann@near.example)\n";
    let b = parse(eudora.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    let kmail = "KMail - Sending failed\n\nMessage sending failed since the following recipients were rejected by the server:\nbob@far.example\nThe server responded:\n\"552 5.3.4 Message size exceeds fixed limit\"\n\nTransport: smtp.near.example (ann@near.example)\n";
    let b = parse(kmail.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// A client's `Sender: x` row under the reply it quotes is a field of its own: the reply's
/// recipient stays the record's and its words end before the row. (A client's sender label
/// in Japanese names the sender; English `Sender:` is also a list's header, so it is left
/// to the readers that know the layout.)
#[test]
fn a_sender_row_under_a_quoted_reply() {
    for label in ["Sender", "送信者"] {
        let paste = format!(
            "SMTP error:\n550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown\n{label}: ann@near.example\n"
        );
        let b = parse(paste.as_bytes()).expect("parses");
        let r = only_record(&b);
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"), "{label}");
        assert_eq!(
            r.diagnostic.as_deref(),
            Some("550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown")
        );
        if label != "Sender" {
            assert_eq!(sender_of(&b), Some("ann@near.example"), "{label}");
        }
    }
}

/// A view's header rows in Greek and Bulgarian over a bounce: month names of those
/// languages, Greek's `μ.μ.` (after noon), Bulgarian's `г.` after the year.
#[test]
fn greek_and_bulgarian_view_dates() {
    let greek = "Από: MAILER-DAEMON@mail.near.example\nΗμερομηνία: Τρίτη, 24 Νοεμβρίου 2026 6:22:09 μ.μ. +0200\nΠρος: ann@near.example\nΘέμα: failure notice\n\nHi. This is the qmail-send program at mail.near.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<bob@far.example>:\n192.0.2.150 does not like recipient.\nRemote host said: 553 sorry, no mailbox here by that name. (#5.1.1)\n";
    let b = parse(greek.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-11-24T16:22:09+00:00"));
    let bulgarian = "От: Mail Delivery System <Mailer-Daemon@mail.near.example>\nДата: събота, 28 ноември 2026 г., 10:33:12 +0200\nДо: ann@near.example\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@far.example\n    SMTP error from remote mail server after RCPT TO:<bob@far.example>:\n    553 5.0.0 Not allowed\n";
    let b = parse(bulgarian.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-11-28T08:33:12+00:00"));
}

/// A mail loop bounces the customer's own address, which the view's To row names too: the
/// Date row below it still dates the bounce.
#[test]
fn a_loop_s_view_date_below_its_to_row() {
    let view = "Από:  Mail Delivery System <MAILER-DAEMON@mail.near.example>\nΠρος: ann@near.example\nΗμερομηνία: 2 Δεκεμβρίου 2026 8:16:54 μ.μ. EET\n\nThis is the mail system at host mail.near.example.\n\n<ann@near.example>: mail for near.example loops back to myself\n";
    let b = parse(view.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-02T18:16:54+00:00"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("ann@near.example")
    );
}

/// A Gmail app's view in Persian writes its date in Persian digits; a blocklist's refusal
/// brackets the sender it names (`Sender address [x] blocked`), which is not the recipient
/// in the reply's `<x>:`.
#[test]
fn persian_digits_and_a_bracketed_refused_sender() {
    let persian = "نشانی پیدا نشد\nMail Delivery Subsystem\nبه: من\n۵ دسامبر ۲۰۲۶، ۱۱:۴۸\n\nپیام شما به bob@far.example تحویل داده نشد.\n\n553 Your message was not accepted.\n";
    let b = parse(persian.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-05T11:48:00+00:00"));
    let gmail = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: ann@gmail.example\nSubject: Delivery Status Notification (Failure)\nDate: Fri, 04 Dec 2026 12:31:27 -0800\nContent-Type: text/plain; charset=\"UTF-8\"\n\n** Message blocked **\n\nYour message to bob@far.example has been blocked.\n\nThe response from the remote server was:\n554 5.7.1 <bob@far.example>: Service unavailable; Sender address [ann@gmail.example] blocked using dbl.example.org\n";
    let b = parse(gmail.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@gmail.example"));
}

/// Client errors of Central and Eastern Europe: Outlook's task name in a low quote
/// (`„x - Trimitere”`) names the account; Thunderbird's dialog in Ukrainian, with the
/// customer's note of whom it was for; Python's smtplib call names its sender.
#[test]
fn client_errors_in_more_languages() {
    let outlook = "Activitatea „ann@near.example - Trimitere” a raportat eroarea (0x800CCC79): „Serverul a răspuns: 550 5.7.1 Relaying denied. Proper authentication required.”\n";
    let b = parse(outlook.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(only_record(&b).recipient, None);
    let thunderbird = "Надсилання повідомлення не вдалося.\nПоштовий сервер відповів:\n553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user login@near.example.\n\n[ OK ]\n\n(кому: bob@far.example — лист з рахунком)\n";
    let b = parse(thunderbird.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    let python = "Traceback (most recent call last):\n  File \"notify.py\", line 57, in send\n    server.sendmail(\"ann@near.example\", [email], msg.as_string())\nsmtplib.SMTPRecipientsRefused: {'bob@@far.example': (501, b'5.1.3 Bad recipient address syntax')}\n";
    let b = parse(python.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// Other shapes: SmarterMail's delivery log (the date bracketed apart from the clock,
/// `Delivery failed for x`, `Bounce message generated for` the sender); a ticket system's
/// communication log (`Code: 550, Message: ...`); SparkPost's event (`mailfrom` is the
/// envelope sender, `friendly_from` the header From).
#[test]
fn a_delivery_log_a_ticket_system_s_log_and_an_esp_event() {
    let smartermail = "[2026.12.02] 10:14:21.517 [61193] Sending remote mail for ann@near.example\n[2026.12.02] 10:14:22.235 [61193] Delivery failed for bob@far.example: 550 5.1.2 Host or domain name not found\n[2026.12.02] 10:14:22.240 [61193] Bounce message generated for ann@near.example\n";
    let b = parse(smartermail.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("550 5.1.2 Host or domain name not found")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-02T10:14:22+00:00"));
    let znuny = "  Stan:            Niepowodzenie\n  Nadawca:         ann@near.example\n  Odbiorca:        bob@far.example\n\n  27.11.2026 08:14:20   Error      Kernel::System::Email::SMTP    Could not send envelope to (rcpt to: bob@far.example) to server. Code: 550, Message: 5.1.1 <bob@far.example>: Recipient address rejected: User unknown\n";
    let b = parse(znuny.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.reply_code, Some(550));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown")
    );
    let sparkpost = "{\"msys\": {\"message_event\": {\"type\": \"bounce\", \"friendly_from\": \"ann@near.example\", \"mailfrom\": \"msprvs1=1=bounces-1@bounce.near.example\", \"rcpt_to\": \"bob@far.example\", \"raw_reason\": \"554 5.7.1 Client host blocked\", \"timestamp\": \"1796389731\"}}}\n";
    let b = parse(sparkpost.as_bytes()).expect("parses");
    assert_eq!(
        sender_of(&b),
        Some("msprvs1=1=bounces-1@bounce.near.example")
    );
}

/// Mail clients' drafts under a send error, no bounce around them: the To row is the
/// addressee whose refusal the reply quotes, and the account is the sender (an Outbox's
/// title `Outbox - x@y`, a sending identity `Identity: x@y`), whichever language.
#[test]
fn a_draft_s_to_row_under_an_outbox_title_or_an_identity() {
    let windows_mail = "Caixa de Saída – ann@near.example\nOrçamento        qua 02/12/2026 14:20\nPara: bob@far.example\n\nNão foi possível enviar esta mensagem.\nO servidor respondeu: 554 5.7.1 <bob@far.example>: Relay access denied\n";
    let b = parse(windows_mail.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    let fairemail = "Identidade: Ann <ann@near.example>\nPara: bob@far.example\nAssunto: Encomenda\n04/12/2026 14:05\n\nErro de envio:\njakarta.mail.SendFailedException: Invalid Addresses;\n  nested exception is:\n\torg.eclipse.angus.mail.smtp.SMTPAddressFailedException: 553 5.0.0 <bob@far.example>... Sorry, refused\n";
    let b = parse(fairemail.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// A loop fails the customer's own address: a webmail view whose To row is that address
/// still lists it as the failed recipient, and it is the sender too.
#[test]
fn a_loop_in_a_view_fails_the_view_s_own_address() {
    let view = "Mail Delivery Subsystem <mailer-daemon@mail.near.example>\nTo: ann@near.example\nDec 1, 2026, 6:12 PM\n\nDelivery to the following recipient failed permanently:\n\n     ann@near.example\n\nTechnical details of permanent failure:\n554 5.4.0 Too many hops - mail loop detected (received 31 times)\n";
    let b = parse(view.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("ann@near.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// Python's smtplib refusing the sender (`SMTPSenderRefused: (code, b'words', 'x@y')`): the
/// address is the sender, never a failed recipient, and the reply reads without its repr.
#[test]
fn python_s_refused_sender_under_an_application_log() {
    let odoo = "2026-12-04 13:03:09,118 2311 INFO db odoo.addons.mail.models.mail_mail: Sending mail.mail 48812 from ann@near.example to bob@far.example\n2026-12-04 13:03:11,447 2311 ERROR db odoo.addons.mail.models.mail_mail: failed sending mail (id: 48812) due to SMTP error: (550, b'5.4.6 Unusual sending activity detected.', 'ann@near.example')\nTraceback (most recent call last):\n  File \"/usr/lib/python3.11/smtplib.py\", line 887, in sendmail\n    raise SMTPSenderRefused(code, resp, from_addr)\nsmtplib.SMTPSenderRefused: (550, b'5.4.6 Unusual sending activity detected.', 'ann@near.example')\n";
    let b = parse(odoo.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    let r = only_record(&b);
    assert_ne!(r.recipient.as_deref(), Some("ann@near.example"));
    assert_eq!(r.stage, Some(Stage::MailFrom));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("550 5.4.6 Unusual sending activity detected.")
    );
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T13:03:11+00:00"));
}

/// A customer's note quoting a client's translated message with its code (`SMTP Error
/// (553): Gagal mengatur pengirim`) above the webmail's log line with the server's own
/// reply: the record takes the reply that carries the status and the words.
#[test]
fn the_server_s_reply_below_a_note_quoting_its_code() {
    let paste = "kirim dari identitas ann@ selalu muncul \"SMTP Error (553):\nGagal mengatur pengirim\". Ini log:\n\n[03-Dec-2026 10:05:11 +0700]: <f3a1b9c2> SMTP Error: Failed to set sender '<ann@near.example>'. 553: 5.7.1 <ann@near.example>: Sender address rejected: not owned by user login@near.example (Code: 553)\n";
    let b = parse(paste.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.status.as_deref(), Some("5.7.1"));
    assert!(
        r.diagnostic
            .as_deref()
            .is_some_and(|d| d.contains("not owned by user")),
        "{:?}",
        r.diagnostic
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// Dates: Gmail's list row without the year (Portuguese, `qua., 2 de dez., 10:03`), and
/// Windows' `%date%` in the US locale (weekday, then month first).
#[test]
fn a_yearless_list_row_and_a_us_command_prompt_date() {
    let gmail = "Mail Delivery Subsystem <mailer-daemon@googlemail.com>\t\tqua., 2 de dez., 10:03\npara mim\n\n** Mensagem bloqueada **\n\nSua mensagem para bob@far.example foi bloqueada.\n\nA resposta do servidor remoto foi:\n\n554 5.7.1 Service unavailable; Client host [198.51.100.66] blocked\n";
    let b = parse(gmail.as_bytes()).expect("parses");
    assert!(
        time_of(&b).is_some_and(|t| t.ends_with("-12-02T10:03:00+00:00")),
        "{:?}",
        time_of(&b)
    );
    let cmd = "C:\\Users\\ann>echo %date% %time%\nThu 12/03/2026 10:22:41.57\n\nC:\\Users\\ann>telnet mx.far.example 25\n220 mx.far.example ESMTP\nMAIL FROM:<ann@near.example>\n250 OK\nRCPT TO:<bob;cy@far.example>\n501 5.1.3 Bad address syntax\n";
    let b = parse(cmd.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-03T10:22:41+00:00"));
}

/// Gmail's sentence naming the recipient in Thai (the reply names only the refused sender),
/// and a Vietnamese Outlook view's `Tới:` row (the customer's own address).
#[test]
fn thai_and_vietnamese_views() {
    let thai = "Mail Delivery Subsystem\nถึง ฉัน\n3 ธ.ค. 2569 14:22\n\n** ไม่ได้ส่งข้อความ **\n\nเกิดปัญหาในการส่งข้อความถึง bob@far.example\n\nThe response from the remote server was:\n553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user login@gmail.com\n";
    let b = parse(thai.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-03T14:22:00+00:00"));
    let vietnamese = "Từ: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@near.example>\nĐã gửi: Thứ Sáu, 4 tháng 12, 2026 8:15 SA\nTới: ann@near.example\nChủ đề: Không thể gửi: Hồ sơ\n\nKhông thể gửi thư của bạn tới bob@far.example.\n\nbob@far.example\nRemote Server returned '550 5.4.310 DNS domain far.example does not exist [Message=InfoDomainNonexistent]'\n";
    let b = parse(vietnamese.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// An application's mail log entry labelled like a header block (`ID:`, `Time:`,
/// `Receiver:`, `Subject:`, `Content-Type:`, `Error:`) is no message: its time is read.
#[test]
fn a_mail_log_entry_is_no_message() {
    let entry = "ID: 4182\nTime: 2026-12-03 18:44:09\nReceiver: bob@far.example\nSubject: Invitation\nContent-Type: text/html; charset=UTF-8\nError: SMTP Error: data not accepted.SMTP server error: DATA END command failed Detail: Message rejected SMTP code: 553\n";
    let b = parse(entry.as_bytes()).expect("parses");
    assert_ne!(b.format, Format::Email);
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-03T18:44:09+00:00"));
    // The mail's own headers logged after `Headers:` name its sender.
    let with_headers = entry.replace(
        "Subject: Invitation\n",
        "Subject: Invitation\nHeaders: From: Gallery <ann@near.example>\n",
    );
    let b = parse(with_headers.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// Outlook's 0x800CCC79 in Korean names the refused recipient after its word for
/// "recipient" (`받는 사람의 전자 메일 주소는 'x'입니다`), the account after `계정:`.
#[test]
fn outlook_s_send_error_in_korean() {
    let dialog = "작업 'ann@near.example - 보내는 중'이(가) 오류를 보고했습니다(0x800CCC79): '서버에서 받는 사람 중 하나를 거부했습니다. 받는 사람의 전자 메일 주소는 'bob@far.example'입니다. 제목 '견적', 계정: 'ann@near.example', 서버: 'smtp.near.example', 프로토콜: SMTP, 서버 응답: '530 5.7.0 Authentication required', 포트: 25'\n";
    let b = parse(dialog.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// An application's log naming the message id before the recipient (Rails' `Delivering mail
/// <id>@host.mail to x`): the id, under the never-delegated `.mail`, is no recipient.
#[test]
fn a_message_id_under_dot_mail_is_no_recipient() {
    let rails = "I, [2026-12-02T09:14:06.016003 #2817]  INFO -- : Delivering mail 6756d2f5a1b2c_2817@app01.near.mail to bob@far.example\nE, [2026-12-02T09:14:07.412933 #2817] ERROR -- : Net::SMTPFatalError (553 Message refused\n):\n";
    let b = parse(rails.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// A `tail` of msmtp's log: the message the server took above the failed one is neither a
/// failure nor its time.
#[test]
fn msmtp_s_log_with_a_delivery_above_the_failure() {
    let log = "$ tail -n 2 ~/.msmtp.log\nDec 03 11:01:12 host=smtp.near.example tls=on auth=on user=ann@near.example from=ann@near.example recipients=cy@near.example mailsize=2214 smtpstatus=250 smtpmsg='250 2.0.0 Ok: queued as 4RFx1m0Qk2z1' exitcode=EX_OK\nDec 03 11:02:41 host=smtp.near.example tls=on auth=on user=ann@near.example from=ann@near.example recipients=bob@far.example mailsize=31457280 smtpstatus=552 smtpmsg='552 5.3.4 Message size exceeds fixed limit' errormsg='the server did not accept the mail' exitcode=EX_UNAVAILABLE\n";
    let b = parse(log.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert!(
        time_of(&b).is_some_and(|t| t.ends_with("-12-03T11:02:41+00:00")),
        "{:?}",
        time_of(&b)
    );
}

/// A PuTTY log's header is the client's clock without a zone; the server's greeting stamped
/// with its time and zone dates the session.
#[test]
fn a_dated_greeting_over_a_putty_header() {
    let log = "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2026.11.24 13:02:41 =~=~=~=~=~=~=~=~=~=~=~=\n220 mx.far.example ESMTP Sendmail 8.15.2/8.15.2; Tue, 24 Nov 2026 13:02:44 -0500\nHELO app01\n250 mx.far.example Hello [203.0.113.19], pleased to meet you\nMAIL FROM:<root@app01>\n553 5.5.4 <root@app01>... Domain name required for sender address root@app01\nQUIT\n";
    let b = parse(log.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-11-24T18:02:44+00:00"));
}

/// A ticket system's log header names its zone by region (`(Europe/Warsaw)`) for the same
/// moment as its entries' bare stamps: the failure's time is read in that zone.
#[test]
fn a_region_named_for_the_same_moment_zones_a_bare_stamp() {
    let znuny = "  Stan:            Niepowodzenie\n  Rozpoczęto:      27.11.2026 08:14:19 (Europe/Warsaw)\n  Zakończono:      27.11.2026 08:14:20 (Europe/Warsaw)\n  Nadawca:         ann@near.example\n  Odbiorca:        bob@far.example\n\n  27.11.2026 08:14:20   Error      Kernel::System::Email::SMTP    Could not send envelope to (rcpt to: bob@far.example) to server. Code: 550, Message: 5.1.1 <bob@far.example>: Recipient address rejected: User unknown\n";
    let b = parse(znuny.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-11-27T07:14:20+00:00"));
}

/// Frames around a bounce that say when, or whose, it was: a Nagios alert's `Date/Time:`
/// over the qmail bounce its probe got back; a Zabbix problem's labelled sender row beside
/// the Postfix log line it quotes; a server's answer to EHLO stamped with its time; a
/// message trace's declared time zone over its bare stamps.
#[test]
fn alerts_panels_and_sessions_that_date_or_name_the_failure() {
    let nagios = "***** Nagios *****\n\nNotification Type: PROBLEM\nState: CRITICAL\n\nDate/Time: Fri Dec 4 11:20:04 UTC 2026\n\nAdditional Info:\n\nCRITICAL - probe mail bounced:\nHi. This is the qmail-send program at relay.near.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<bob@far.example>:\n198.51.100.33 does not like recipient.\nRemote host said: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\nGiving up on 198.51.100.33.\n";
    let b = parse(nagios.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T11:20:04+00:00"));
    let zabbix = "Проблема: Postfix: письма отклоняются\nУзел: mail01\n\nПоследнее значение:\n2026-12-06T09:31:48+0700 mail01 postfix/smtp[30512]: 5C8A12004D: to=<bob@far.example>, relay=mx.far.example[198.51.100.177]:25, delay=1.3, delays=0.1/0/0.6/0.6, dsn=5.7.1, status=bounced (host mx.far.example[198.51.100.177] said: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org (in reply to RCPT TO command))\n\nОтправитель в очереди: ann@near.example\n";
    let b = parse(zabbix.as_bytes()).expect("parses");
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    let session = "250 AUTH LOGIN PLAIN\nEHLO test.near.example\n250-mx.far.example Hello test.near.example [198.51.100.201], Thu, 3 Dec 2026 15:10:18 +0100\n250 SIZE 20971520\nMAIL FROM:<ann@near.example>\n250 ok\nRCPT TO:<bob@far.example>\n553 sorry, no mailbox here by that name. (#5.1.1)\n";
    let b = parse(session.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-03T14:10:18+00:00"));
    let trace = "Nachrichtenablaufverfolgung › Details\nZeitzone: (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien\n\nAbsender: ann@near.example\nEmpfänger: bob@far.example\nStatus: Fehler\n\nDatum                   Ereignis        Details\n07.12.2026 09:14:22     Fehler          Grund: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@far.example not found by SMTP address lookup}]\n";
    let b = parse(trace.as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-07T08:14:22+00:00"));
}

/// A log store's JSON view holding each log line as a JSON string (Grafana Loki's
/// `values` pairs of a nanosecond stamp and the line): the lines are read as the log.
#[test]
fn log_lines_as_json_strings_in_a_log_store_s_view() {
    let loki = "{\n  \"stream\": { \"app\": \"postfix\", \"host\": \"relay-03\" },\n  \"values\": [\n    [\n      \"1796300860114022000\",\n      \"2026-12-03T13:27:40.113871+01:00 relay-03 postfix/smtp[41877]: 7B2E43F0A1: to=<bob@far.example>, relay=smtp.near.example[198.51.100.101]:587, delay=0.64, delays=0.05/0.01/0.41/0.17, dsn=5.7.1, status=bounced (host smtp.near.example[198.51.100.101] said: 553 5.7.1 <ann@near.example>: Sender address rejected: not owned by user relay (in reply to MAIL FROM command))\"\n    ],\n    [\n      \"1796300859478650000\",\n      \"2026-12-03T13:27:39.478512+01:00 relay-03 postfix/qmgr[1022]: 7B2E43F0A1: from=<ann@near.example>, size=5530, nrcpt=1 (queue active)\"\n    ]\n  ]\n}\n";
    let b = parse(loki.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert!(
        time_of(&b).is_some_and(|t| t.starts_with("2026-12-03T12:27:40")),
        "{:?}",
        time_of(&b)
    );
}

/// A tool's own label ending in a sender's word (Uptime Kuma's `SMTP from: x`) names the
/// sender: its address is no failed recipient when the reply's own address is not read.
#[test]
fn a_tool_s_sender_row_is_no_recipient() {
    let kuma = "Error: Can't send mail - all recipients were rejected: 553 5.1.3 The recipient address <bob@far..example> is not a valid RFC 5321 address.\nSMTP from: ann@near.example\n";
    let b = parse(kuma.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far..example")
    );
}

/// Outlook in Hindi forwarding a Sendmail bounce (`-----मूल संदेश-----`, `प्रेषक:`, `भेजा
/// गया:`, `प्रति:`): the bounce went to the customer on the To row, and was reported when
/// the Sent row says (12-hour, the Hindi word for pm).
#[test]
fn outlook_in_hindi_forwarding_a_bounce() {
    let text = "नमस्ते,\n\nमेल वापस आ गया।\n\n-----मूल संदेश-----\nप्रेषक: Mail Delivery Subsystem <MAILER-DAEMON@mail.near.example>\nभेजा गया: गुरुवार, 3 दिसंबर 2026 2:14 अपराह्न\nप्रति: ann@near.example\nविषय: Returned mail: see transcript for details\n\nThe original message was received at Thu, 3 Dec 2026 14:13:58 +0530\nfrom [192.168.1.40]\n\n   ----- The following addresses had permanent fatal errors -----\n<bob@far.example>\n    (reason: 550 5.1.1 <bob@far.example>... User unknown)\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-03T14:14:00+00:00"));
}

/// Gmail in Welsh forwarding its own bounce (`Neges wedi'i hanfon ymlaen`, `Oddi wrth:`,
/// `Dyddiad: Gwe, 4 Rhag 2026 am 19:22`, `At:`): the failed address from Gmail's Welsh
/// sentence, the sender from the To row, the time from the Date row.
#[test]
fn gmail_in_welsh_forwarding_its_bounce() {
    let text = "Helo,\n\n---------- Neges wedi'i hanfon ymlaen ---------\nOddi wrth: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nDyddiad: Gwe, 4 Rhag 2026 am 19:22\nPwnc: Delivery Status Notification (Failure)\nAt: <ann@gmail.com>\n\n\nHeb ganfod y cyfeiriad\n\nNi chafodd eich neges ei danfon i bob@far.example oherwydd nad oedd modd dod o hyd i'r parth far.example.\n\nYr ymateb oedd:\n\nDNS Error: DNS type 'mx' lookup of far.example responded with code NXDOMAIN Domain name not found: far.example\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@gmail.com"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T19:22:00+00:00"));
}

/// A school system's delivery report in Māori (`Kaituku:` sender, `Kaiwhiwhi:` recipient,
/// `Wā:` time, `Te take:` reason).
#[test]
fn a_delivery_report_labelled_in_maori() {
    let text = "Pūrongo Tuku Īmēra  |  Te Kura o te Awa\n----------------------------------------\nTūnga:          Kua rahua\nWā:             Rāapa, 2 Hakihea 2026, 10:14 a.m. NZDT\nKaituku:        ann@near.example\nKaiwhiwhi:      bob@far.example\nTe take:        Kāore i taea te tuku. I hoki mai te kōrero nā te tūmau:\n                550 Too many \"Received\" headers - suspected mail loop\nNgā whakamātau: 1\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-01T21:14:00+00:00"));
}

/// A mailing tool's bounces export: quoted CSV under the campaign's labelled rows; the
/// time column's name gives its zone (`Bounced At (SAST)`), the `From email:` row the
/// sender.
#[test]
fn a_campaign_s_bounces_export_with_its_zone_in_the_column_name() {
    let text = "Campaign report: \"December newsletter\"\nFrom name: Kitchen\nFrom email: news@near.example\nSent: 04 Dec 2026 09:10 SAST\n\n\"Email Address\",\"First Name\",\"Bounce Type\",\"Bounce Reason\",\"Bounced At (SAST)\"\n\"bob@far.example\",\"Bob\",\"Soft\",\"452 4.2.2 The recipient's mailbox is full\",\"2026-12-04 09:12:33\"\n\"cy@far.example\",\"Cy\",\"Hard\",\"550 5.1.1 User unknown\",\"2026-12-04 09:12:41\"\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(
        b.records[0].diagnostic.as_deref(),
        Some("452 4.2.2 The recipient's mailbox is full")
    );
    assert_eq!(sender_of(&b), Some("news@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T07:12:33+00:00"));
}

/// A booking app's email log: a table set out with spaces (`Sent at` gives the time) and
/// the entry's details as aligned rows; the bare `From:` row beside `Error:` is the sender
/// (no message's header block has an error row), and the rows after `Error:` are no part
/// of the reply.
#[test]
fn a_booking_app_s_email_log_with_its_details_rows() {
    let details = "Details\n  From:      ann@near.example\n  Subject:   Reminder: your appointment on Sat, Dec 5\n  Error:     452 4.2.2 <bob@far.example>: Recipient address rejected: Mailbox is over quota\n  Attempts:  3 (last attempt Dec 4, 2026 11:47 AM PST)\n  Next step: No further attempts.\n";
    let table = "Sent at                   Type                 To                 Status\nDec 4, 2026 11:47 AM PST  Reminder             bob@far.example    Failed\n\n";
    for text in [details.to_string(), format!("{table}{details}")] {
        let b = parse(text.as_bytes()).expect("parses");
        let r = only_record(&b);
        assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
        assert_eq!(
            r.diagnostic.as_deref(),
            Some("452 4.2.2 <bob@far.example>: Recipient address rejected: Mailbox is over quota")
        );
        assert_eq!(sender_of(&b), Some("ann@near.example"));
    }
    let b = parse(format!("{table}{details}").as_bytes()).expect("parses");
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T19:47:00+00:00"));
}

/// A maillog `grep` in a phone's SSH app, every line cut at 52 columns (mid-word, mid-pid):
/// the pieces are joined and read as the log they are.
#[test]
fn maillog_lines_wrapped_at_a_phone_s_width() {
    let text = "root@mx:~# grep 5F2C61A09E /var/log/mail.log\n2026-12-03T19:22:04.871233+01:00 mx postfix/qmgr[911\n]: 5F2C61A09E: from=<ann@near.example>, size=3811, n\nrcpt=1 (queue active)\n2026-12-03T19:22:05.118402+01:00 mx postfix/smtp[204\n55]: 5F2C61A09E: to=<bob@far.example>, relay=none, d\nelay=0.27, delays=0.02/0.01/0.24/0, dsn=5.4.6, stat\nus=bounced (mail for far.example loops back to myse\nlf)\n";
    let b = parse(text.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(r.status.as_deref(), Some("5.4.6"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("mail for far.example loops back to myself")
    );
    assert_eq!(b.reporting_mta.as_deref(), Some("mx"));
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(
        time_of(&b).as_deref(),
        Some("2026-12-03T18:22:05.118402+00:00")
    );
}

/// cPanel's Track Delivery detail pane copied from a phone's browser: a tab between each
/// label and its value, times with a comma after the year.
#[test]
fn track_delivery_rows_with_a_tab_after_each_label() {
    let text = "Delivery Report\n\nEvent\tfailure\nSender\tann@near.example\nSent Time\tDec 2, 2026, 11:42:10 AM\nRecipient\tbob@far.example\nTransport\t**rejected**\nOut Time\tDec 2, 2026, 11:42:11 AM\nDelivery Host\nResult\tToo many \"Received\" headers - suspected mail loop\n";
    let b = parse(text.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(
        r.diagnostic.as_deref(),
        Some("Too many \"Received\" headers - suspected mail loop")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-02T11:42:11+00:00"));
}

/// Foxmail's send error in Chinese: the account row is the sender, the recipient row the
/// failed recipient, the time row when; the reply follows a full-width colon.
#[test]
fn foxmail_s_send_error_in_chinese() {
    let text = "发送失败\n邮件“报价单”未能发送。\n账户：ann@near.example\n收件人：bob@far.example\n时间：2026-12-04 10:15:37\n错误信息：发送邮件时出错，服务器返回：553 Message refused by peer\n";
    let b = parse(text.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(r.reply_code, Some(553));
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T10:15:37+00:00"));
}

/// Outlook on the web copies a linked address as `x@y<mailto:x@y>`: Exim's list of failed
/// addresses and the returned Return-path read as the addresses.
#[test]
fn an_exim_bounce_copied_with_link_targets_after_addresses() {
    let text = "Mail delivery failed: returning message to sender\nMail Delivery System <mailer-daemon@mx.far.example>\nTue 12/1/2026 3:20 PM\nTo: ann@near.example\n\nThis message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  bob@far.example<mailto:bob@far.example>\n    Too many \"Received\" headers - suspected mail loop\n\n------ This is a copy of the message, including all the headers. ------\n\nReturn-path: <ann@near.example<mailto:ann@near.example>>\n";
    let b = parse(text.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// A Sendmail DSN read with `mail` in a phone's SSH app, every line cut at 56 columns:
/// the pieces are joined, so the listed recipient and the folded header read whole.
#[test]
fn a_sendmail_report_cut_at_a_phone_s_width() {
    let text = "root@backup01:~# mail\n? 3\nReturn-Path: <MAILER-DAEMON@backup01.local>\nDate: Tue, 1 Dec 2026 02:10:05 +0100\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@backup01.lo\ncal>\nTo: <root@backup01.local>\nSubject: Returned mail: see transcript for details\n\nThe original message was received at Tue, 1 Dec 2026 02:\n10:04 +0100\nfrom localhost [127.0.0.1]\n\n   ----- The following addresses had permanent fatal err\nors -----\n<bob@far.example>\n    (reason: 553 5.1.8 <root@backup01.local>... Domain o\nf sender address root@backup01.local does not exist)\n\n   ----- Transcript of session follows -----\n... while talking to mx.far.example.:\n>>> MAIL From:<root@backup01.local> SIZE=1822\n<<< 553 5.1.8 <root@backup01.local>... Domain of sender \naddress root@backup01.local does not exist\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(b.records[0].reply_code, Some(553));
    assert_eq!(sender_of(&b), Some("root@backup01.local"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-01T01:10:05+00:00"));
}

/// Thunderbird for Android's message view: `From x` and `To y` rows without colons over
/// the date (`Dec 2, 2026, 8:05 AM` with a narrow no-break space): the To row is the
/// customer, no failed recipient, and the view's date is when the bounce came.
#[test]
fn a_mobile_view_s_rows_without_colons() {
    let text = "failure notice\nFrom MAILER-DAEMON@smtp.near.example\nTo ann@near.example\nDec 2, 2026, 8:05\u{202f}AM\n\nHi. This is the qmail-send program at smtp.near.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<bob@far.example>:\nConnected to 198.51.100.45 but sender was rejected.\nRemote host said: 553 sorry, your envelope sender domain must exist (#5.7.1)\nGiving up on 198.51.100.45.\n\n--- Below this line is a copy of the message.\n\nReturn-Path: <ann@near.example>\nDate: Wed, 2 Dec 2026 08:05:02 -0800\n";
    let b = parse(text.as_bytes()).expect("parses");
    let r = only_record(&b);
    assert_eq!(r.recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-02T08:05:00+00:00"));
}

/// A phone's smart punctuation turned the apostrophe the customer typed into `’`: the
/// address is the failed recipient as written, the apostrophe inside it.
#[test]
fn an_address_with_a_typographic_apostrophe() {
    let text = "   ----- The following addresses had permanent fatal errors -----\n<d.o\u{2019}brien@far.example>\n    (reason: 501 5.1.3 Bad recipient address syntax)\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("d.o\u{2019}brien@far.example")
    );
    // A closing quote after an address is no part of it.
    let quoted = "Delivery to \u{2018}bob@far.example\u{2019} failed: 550 5.1.1 User unknown\n";
    let b = parse(quoted.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
}

/// iPad Mail's forward of a Microsoft 365 NDR: the forward's `To:` row is the customer;
/// the NDR's `Recipient Address:` row names the failed recipient.
#[test]
fn a_forwarded_microsoft_365_ndr_s_recipient_row_beats_the_forward_s_to() {
    let text = "Begin forwarded message:\n\nFrom: Microsoft Outlook <postmaster@near.example>\nDate: 4 December 2026 at 08:17:45 CET\nTo: ann@near.example\nSubject: Undeliverable: Quote\n\nYour message to bob@far.example couldn't be delivered.\n\nMail loop detected\n\nOriginal Message Details\nCreated Date:\t12/4/2026 7:16:58 AM\nSender Address:\tann@near.example\nRecipient Address:\tbob@far.example\nSubject:\tQuote\n\nError Details\nError:\t554 5.4.14 Hop count exceeded - possible mail loop ATTR34\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// A phone client's outbox: the draft's rows and its date on the next line with no label
/// (Samsung Email: `3 Dec 16:32`, no year); the account row is the sender.
#[test]
fn a_mobile_outbox_s_draft_date_without_a_label() {
    let text = "Outbox\nFailed to send\n\nTo: bob@far.example\nSubject: Group booking Saturday 12th\n3 Dec 16:32\n\nCouldn't send message.\n550 5.1.1 <bob@far.example>: Recipient address rejected: User unknown in virtual mailbox table\n\nAccount: ann@near.example\nTry again\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    // The latest 3 December that is not in the future, as for any date a view writes
    // without its year.
    use chrono::{Datelike, TimeZone};
    let now = chrono::Utc::now();
    let this_year = chrono::Utc
        .with_ymd_and_hms(now.year(), 12, 3, 16, 32, 0)
        .single()
        .expect("a valid date");
    let year = if this_year <= now + chrono::Duration::days(1) {
        now.year()
    } else {
        now.year() - 1
    };
    assert_eq!(time_of(&b), Some(format!("{year}-12-03T16:32:00+00:00")));
}

/// The customer's note names the account with words between the phrase and its verb.
#[test]
fn a_note_naming_the_account_on_a_device() {
    let text = "Cannot Send Mail\nThe recipient \u{201c}bob@far.example\u{201d} was rejected by the server because it does not allow relaying.\nOK\n\nMy account on the iPad is ann@near.example and the settings are yours.\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}

/// Roundcube's elastic skin on a phone: `From Mail Delivery System on 2026-12-04 13:45`
/// and `To x` without colons over the bounce: the To row is the customer, the line's date
/// when the bounce came.
#[test]
fn roundcube_on_a_phone_with_its_summary_line() {
    let text = "Undelivered Mail Returned to Sender\nFrom Mail Delivery System on 2026-12-04 13:45\nTo ann@near.example\nDetails  Headers\n\nThis is the mail system at host out2.near.example.\n\n<bob@far.example>: host\n    mail.far.example[198.51.100.197] said: 553 Mail rejected\n    (in reply to end of DATA command)\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far.example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-04T13:45:00+00:00"));
}

/// A telnet session recorded with `script`: the typescript's first line says when it
/// started, its offset joined to the seconds as util-linux writes it.
#[test]
fn a_session_recorded_with_script() {
    let text = "Script started on 2026-12-01 18:22:07-03:00 [COMMAND=\"telnet mx.far.example 25\" TERM=\"xterm-256color\"]\nTrying 198.51.100.210...\nConnected to mx.far.example.\n220 mx.far.example ESMTP Postfix\nEHLO near.example\n250 mx.far.example\nMAIL FROM:<ann@near.example>\n250 2.1.0 Ok\nRCPT TO:<bob@far..example>\n501 5.1.3 Bad recipient address syntax\nQUIT\n221 2.0.0 Bye\n\nScript done on 2026-12-01 18:23:40-03:00 [COMMAND_EXIT_CODE=\"1\"]\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(
        only_record(&b).recipient.as_deref(),
        Some("bob@far..example")
    );
    assert_eq!(sender_of(&b), Some("ann@near.example"));
    assert_eq!(time_of(&b).as_deref(), Some("2026-12-01T21:22:07+00:00"));
}

/// An automation's execution view: the Send Email node's `From Email:` parameter names
/// the sender of the mail its error refused.
#[test]
fn an_automation_s_from_email_parameter_names_the_sender() {
    let text = "Send Email\nParameters\n  From Email: ann@near.example\n  To Email: {{ $json.customer_email }}\n\nError\nNodeOperationError: Can't send mail - all recipients were rejected: 553 5.0.0 Refused by destination host\n\n{\n  \"message\": \"Can't send mail - all recipients were rejected: 553 5.0.0 Refused by destination host\",\n  \"responseCode\": 553,\n  \"command\": \"RCPT TO\",\n  \"rejected\": [\n    \"bob@far.example\"\n  ]\n}\n";
    let b = parse(text.as_bytes()).expect("parses");
    assert_eq!(b.records[0].recipient.as_deref(), Some("bob@far.example"));
    assert_eq!(sender_of(&b), Some("ann@near.example"));
}
