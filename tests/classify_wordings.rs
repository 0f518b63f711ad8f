//! Real-world-style server responses (written for this project, modelled on what the major
//! MTAs and providers say) → the variation the embedded playbooks must name.

use bouncebook::bounce::{Record, Stage};
use bouncebook::classify::{Basis, Classifier};

/// (response, reply code, enhanced status, stage, expected variation)
type Case = (
    &'static str,
    Option<u16>,
    Option<&'static str>,
    Option<Stage>,
    &'static str,
);

const M: Option<Stage> = Some(Stage::MailFrom);
const R: Option<Stage> = Some(Stage::RcptTo);
const D: Option<Stage> = Some(Stage::Data);

const CASES: &[Case] = &[
    // relay-denied
    (
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
        Some(553),
        None,
        R,
        "relay-denied",
    ),
    (
        "553 sorry, you don't authenticate or the domain isn't in my list of allowed rcpthosts",
        Some(553),
        None,
        R,
        "relay-denied",
    ),
    (
        "553 we don't relay (#5.7.1)",
        Some(553),
        Some("5.7.1"),
        R,
        "relay-denied",
    ),
    (
        "553 5.7.1 Not an open relay, so get lost",
        Some(553),
        Some("5.7.1"),
        R,
        "relay-denied",
    ),
    (
        "553 Authentication is required to send mail through this server",
        Some(553),
        None,
        M,
        "relay-denied",
    ),
    (
        "553 5.7.1 <shop@client.example>: Sender address rejected: not logged in",
        Some(553),
        Some("5.7.1"),
        R,
        "relay-denied",
    ),
    (
        "554 5.7.1 <friend@elsewhere.example>: Relay access denied",
        Some(554),
        Some("5.7.1"),
        R,
        "relay-denied",
    ),
    (
        "550 relay not permitted",
        Some(550),
        None,
        R,
        "relay-denied",
    ),
    (
        "550 5.7.1 Relaying denied. Proper authentication required.",
        Some(550),
        Some("5.7.1"),
        R,
        "relay-denied",
    ),
    ("513 Relaying denied.", Some(513), None, R, "relay-denied"),
    (
        "530 5.7.0 Authentication required",
        Some(530),
        Some("5.7.0"),
        M,
        "relay-denied",
    ),
    (
        "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
        Some(550),
        Some("5.7.54"),
        R,
        "relay-denied",
    ),
    (
        "530 5.7.57 Client not authenticated to send mail during MAIL FROM",
        Some(530),
        Some("5.7.57"),
        M,
        "relay-denied",
    ),
    (
        "550-Please enable SMTP authentication in your mail program before sending.",
        Some(550),
        None,
        None,
        "relay-denied",
    ),
    (
        "535 5.7.8 Error: authentication failed: bad password for this login",
        Some(535),
        Some("5.7.8"),
        None,
        "relay-denied",
    ),
    // Status alone can name it when the words are new.
    (
        "550 5.7.54 nope",
        Some(550),
        Some("5.7.54"),
        R,
        "relay-denied",
    ),
    // sender-not-owned
    (
        "553 5.7.1 <visitor@gmail.example>: Sender address rejected: not owned by user web@shop.example",
        Some(553),
        Some("5.7.1"),
        R,
        "sender-not-owned",
    ),
    (
        "550 The from address does not match a verified Sender Identity. See the provider's docs.",
        Some(550),
        None,
        D,
        "sender-not-owned",
    ),
    (
        "554 Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: x@y.example",
        Some(554),
        None,
        D,
        "sender-not-owned",
    ),
    (
        "503 from and auth not the same (#5.5.1)",
        Some(503),
        Some("5.5.1"),
        M,
        "sender-not-owned",
    ),
    (
        "550 5.7.60 SMTP; Client does not have permissions to send as this sender",
        Some(550),
        Some("5.7.60"),
        M,
        "sender-not-owned",
    ),
    (
        "553 Sender is not allowed to relay emails",
        Some(553),
        None,
        M,
        "sender-not-owned",
    ),
    (
        "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.Mapi; Failed to process message",
        Some(554),
        Some("5.2.0"),
        D,
        "sender-not-owned",
    ),
    // recipient-unknown
    (
        "553 sorry, no mailbox here by that name. (#5.1.1)",
        Some(553),
        Some("5.1.1"),
        R,
        "recipient-unknown",
    ),
    (
        "553 sorry, your envelope recipient is in my badrcptto list (#5.7.1)",
        Some(553),
        Some("5.7.1"),
        R,
        "recipient-unknown",
    ),
    (
        "553 Invalid/inactive user.",
        Some(553),
        None,
        R,
        "recipient-unknown",
    ),
    (
        "553 address does not exist",
        Some(553),
        None,
        R,
        "recipient-unknown",
    ),
    (
        "553 Invalid recipient <nobody@club.example> (Mode: normal)",
        Some(553),
        None,
        R,
        "recipient-unknown",
    ),
    // A contradicting enhanced code: the words win.
    (
        "553 5.3.0 <nobody@club.example>... No such user here",
        Some(553),
        Some("5.3.0"),
        R,
        "recipient-unknown",
    ),
    (
        "550 5.7.1 No such user!",
        Some(550),
        Some("5.7.1"),
        R,
        "recipient-unknown",
    ),
    (
        "550 5.1.1 <ghost@club.example>: Recipient address rejected: User unknown in virtual mailbox table",
        Some(550),
        Some("5.1.1"),
        R,
        "recipient-unknown",
    ),
    (
        "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address",
        Some(550),
        Some("5.1.1"),
        R,
        "recipient-unknown",
    ),
    (
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        Some(550),
        Some("5.1.10"),
        R,
        "recipient-unknown",
    ),
    (
        "511 sorry, no mailbox here by that name (#5.1.1 - chkuser)",
        Some(511),
        Some("5.1.1"),
        R,
        "recipient-unknown",
    ),
    (
        "554 delivery error: dd This user doesn't have a bigmail.example account (ghost@bigmail.example) [0]",
        Some(554),
        None,
        D,
        "recipient-unknown",
    ),
    (
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)",
        Some(550),
        Some("5.4.1"),
        R,
        "recipient-unknown",
    ),
    (
        "550 Requested action not taken: mailbox unavailable",
        Some(550),
        None,
        R,
        "recipient-unknown",
    ),
    (
        "550 5.1.1 Address rejected",
        Some(550),
        Some("5.1.1"),
        R,
        "recipient-unknown",
    ),
    // recipient-domain-missing
    (
        "553 nosuchplace.example does not exist",
        Some(553),
        None,
        R,
        "recipient-domain-missing",
    ),
    (
        "550 5.1.2 <a@b.example>: Host or domain name not found. Name service error for name=b.example type=A: Host not found",
        Some(550),
        Some("5.1.2"),
        R,
        "recipient-domain-missing",
    ),
    (
        "550 Unrouteable address",
        Some(550),
        None,
        R,
        "recipient-domain-missing",
    ),
    (
        "450 4.1.2 <a@nowhere.example>: Recipient address rejected: Domain not found",
        Some(550),
        Some("5.1.2"),
        R,
        "recipient-domain-missing",
    ),
    (
        "553 5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors",
        Some(553),
        Some("5.1.2"),
        R,
        "recipient-domain-missing",
    ),
    (
        "550 5.4.310 DNS domain nowhere.example does not exist",
        Some(550),
        Some("5.4.310"),
        R,
        "recipient-domain-missing",
    ),
    // sender-domain-missing
    (
        "553 5.1.8 <root@web01>... Domain of sender address root@web01 does not exist",
        Some(553),
        Some("5.1.8"),
        M,
        "sender-domain-missing",
    ),
    (
        "553 sorry, your envelope sender domain must exist (#5.7.1)",
        Some(553),
        Some("5.7.1"),
        R,
        "sender-domain-missing",
    ),
    (
        "553 5.5.4 <cron>... Domain name required for sender address cron",
        Some(553),
        Some("5.5.4"),
        M,
        "sender-domain-missing",
    ),
    (
        "450 4.1.8 <x@gone.example>: Sender address rejected: Domain not found",
        Some(450),
        Some("4.1.8"),
        R,
        "sender-domain-missing",
    ),
    (
        "550 Sender verify failed",
        Some(550),
        None,
        M,
        "sender-domain-missing",
    ),
    // The same bare wording after MAIL FROM is about the sender.
    (
        "553 5.1.0 shop gone.example does not exist E2110",
        Some(553),
        Some("5.1.0"),
        M,
        "sender-domain-missing",
    ),
    (
        "550 Unrouteable address",
        Some(550),
        None,
        M,
        "sender-domain-missing",
    ),
    (
        "501 5.1.8 Sender address rejected",
        Some(501),
        Some("5.1.8"),
        None,
        "sender-domain-missing",
    ),
    // address-syntax
    (
        "553 address syntax error",
        Some(553),
        None,
        R,
        "address-syntax",
    ),
    // Sendmail's own verdict on a domain written wrong (two dots): its form, not its
    // existence ("Host unknown" is recipient-domain-missing).
    (
        "553 5.1.2 orders@far..example... Invalid host name",
        Some(553),
        Some("5.1.2"),
        R,
        "address-syntax",
    ),
    // A local part closing with a dot: its form, though the words say "invalid address".
    (
        "553 5.1.3 <jo.@far.example>: invalid address: local part ends with a dot",
        Some(553),
        Some("5.1.3"),
        R,
        "address-syntax",
    ),
    // Exim 3's router on a domain that does not exist.
    (
        "unrouteable mail domain \"far.example\"",
        None,
        None,
        None,
        "recipient-domain-missing",
    ),
    (
        "553 5.1.3 The recipient address <a b@c.example> is not a valid RFC 5321 address.",
        Some(553),
        Some("5.1.3"),
        R,
        "address-syntax",
    ),
    (
        "553 5.1.7 The sender address <x@> is not a valid RFC 5321 address.",
        Some(553),
        Some("5.1.7"),
        M,
        "address-syntax",
    ),
    (
        "553 5.1.3 <x>... User address required",
        Some(553),
        Some("5.1.3"),
        R,
        "address-syntax",
    ),
    (
        "553 5.1.2 <john.@b.example>... Local part must not end with a dot",
        Some(553),
        Some("5.1.2"),
        R,
        "address-syntax",
    ),
    (
        "553 5.1.0 Address \"averyveryverylongname@b.example\" too long (64 bytes max)",
        Some(553),
        Some("5.1.0"),
        R,
        "address-syntax",
    ),
    ("553 Unbalanced '<'", Some(553), None, R, "address-syntax"),
    (
        "501 5.1.3 Bad recipient address syntax",
        Some(501),
        Some("5.1.3"),
        R,
        "address-syntax",
    ),
    (
        "504 5.5.2 <web>: Sender address rejected: need fully-qualified address",
        Some(504),
        Some("5.5.2"),
        R,
        "address-syntax",
    ),
    (
        "555 syntax error (#5.5.4)",
        Some(555),
        Some("5.5.4"),
        M,
        "address-syntax",
    ),
    // policy-blocked
    (
        "553 5.3.0 mx.isp.example DNSBL:RBL 521< 192.0.2.7 >_is_blocked. For information please contact abuse_rbl@isp.example",
        Some(553),
        Some("5.3.0"),
        R,
        "policy-blocked",
    ),
    (
        "553 http://www.spamhaus.org/query/bl?ip=192.0.2.7",
        Some(553),
        None,
        R,
        "policy-blocked",
    ),
    (
        "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)",
        Some(553),
        Some("5.7.1"),
        R,
        "policy-blocked",
    ),
    (
        "553 sorry, your envelope sender has been denied (#5.7.1)",
        Some(553),
        Some("5.7.1"),
        R,
        "policy-blocked",
    ),
    (
        "550 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org",
        Some(550),
        Some("5.7.1"),
        R,
        "policy-blocked",
    ),
    (
        "554 mta.isp.example cable 192.0.2.7 blocked. Please see the postmaster page BL000010",
        Some(554),
        None,
        None,
        "policy-blocked",
    ),
    (
        "550 5.7.25 The IP address sending this message does not have a PTR record setup",
        Some(550),
        Some("5.7.25"),
        D,
        "policy-blocked",
    ),
    (
        "550 5.7.606 Access denied, banned sending IP [192.0.2.7]",
        Some(550),
        Some("5.7.606"),
        R,
        "policy-blocked",
    ),
    (
        "421 4.7.0 [TSS04] Messages from 192.0.2.7 temporarily deferred due to unexpected volume or user complaints",
        Some(421),
        Some("4.7.0"),
        M,
        "policy-blocked",
    ),
    (
        "550 SC-001 Mail rejected by the provider for policy reasons.",
        Some(550),
        None,
        R,
        "policy-blocked",
    ),
    (
        "550 5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy",
        Some(550),
        Some("5.7.26"),
        D,
        "policy-blocked",
    ),
    (
        "550 5.7.1 Access denied",
        Some(550),
        Some("5.7.1"),
        R,
        "policy-blocked",
    ),
    // mail-loop
    (
        "553 5.3.5 system config error",
        Some(553),
        Some("5.3.5"),
        R,
        "mail-loop",
    ),
    (
        "554 5.3.5 mx.shop.example config error: mail loops back to me (MX problem?)",
        Some(554),
        Some("5.3.5"),
        R,
        "mail-loop",
    ),
    (
        "550 lowest numbered MX record points to local host",
        Some(550),
        None,
        R,
        "mail-loop",
    ),
    // Outside every cause: never pulled into a specific one, whatever the code or status.
    (
        "552 5.2.2 <a@b.example>: Recipient address rejected: Mailbox full",
        Some(552),
        Some("5.2.2"),
        R,
        "unclassified",
    ),
    (
        "553 5.2.2 mailbox is full",
        Some(553),
        Some("5.2.2"),
        R,
        "generic-553",
    ),
    (
        "550 5.1.1 Not enough disk space",
        Some(550),
        Some("5.1.1"),
        R,
        "unclassified",
    ),
    (
        "552 5.3.4 Message size exceeds fixed limit",
        Some(552),
        Some("5.3.4"),
        D,
        "unclassified",
    ),
    (
        "452 4.3.2 Connection rate limit exceeded.",
        Some(452),
        Some("4.3.2"),
        M,
        "unclassified",
    ),
    (
        "550 IP frequency limited, blocked IP 192.0.2.7",
        Some(550),
        None,
        D,
        "unclassified",
    ),
    (
        "450 4.7.1 <a@b.example>: Recipient address rejected: Greylisted, try again in 5 minutes",
        Some(450),
        Some("4.7.1"),
        R,
        "unclassified",
    ),
    (
        "550 5.7.1 Message content rejected, UBE",
        Some(550),
        Some("5.7.1"),
        D,
        "unclassified",
    ),
    // A loop is a loop, whatever the stage (issue 12).
    (
        "554 5.4.6 Hop count exceeded - possible mail loop",
        Some(554),
        Some("5.4.6"),
        D,
        "mail-loop",
    ),
    (
        "Name service error for name=b.example type=MX: Host not found, try again",
        None,
        Some("4.4.3"),
        None,
        "unclassified",
    ),
    (
        "554 Transaction failed: Duplicate header 'DKIM-Signature'.",
        Some(554),
        None,
        D,
        "unclassified",
    ),
    // A temporary DNS failure cannot prove that a domain does not exist.
    (
        "DNS Error: lookup of nowhere.example responded with code NXDOMAIN Domain name not found",
        None,
        Some("4.0.0"),
        None,
        "unclassified",
    ),
    // More wordings of the same causes, from other systems.
    (
        "553-you are trying to use me [mx.provider.example] as a relay, but I have not been configured to let you do this.",
        Some(553),
        None,
        R,
        "relay-denied",
    ),
    (
        "Sorry, I couldn't find any host named nowhere.example. (#5.1.2)",
        None,
        Some("5.1.2"),
        None,
        "recipient-domain-missing",
    ),
    (
        "Sorry. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)",
        None,
        Some("5.4.6"),
        None,
        "mail-loop",
    ),
    (
        "550 5.7.1 <mx.sender.example>: Helo command rejected: Host not found",
        Some(550),
        Some("5.7.1"),
        R,
        "policy-blocked",
    ),
    (
        "421 4.7.28 This IP has been temporarily rate limited due to IP reputation.",
        Some(421),
        Some("4.7.28"),
        None,
        "policy-blocked",
    ),
    (
        "550 5.1.0 Emetteur invalide. Invalid Sender.",
        Some(550),
        Some("5.1.0"),
        M,
        "sender-domain-missing",
    ),
    (
        "550 Unknown virtual user or addressee unknown",
        Some(550),
        None,
        R,
        "recipient-unknown",
    ),
    (
        "554 5.7.1 This message has been identified as spam and was rejected",
        Some(554),
        Some("5.7.1"),
        D,
        "unclassified",
    ),
    (
        "550 Message rejected for policy reasons: content matched a rule",
        Some(550),
        None,
        D,
        "unclassified",
    ),
    (
        "550 Unrouteable mail domain while looking up MX",
        Some(550),
        None,
        R,
        "unclassified",
    ),
    // Nothing known: fallbacks by reply code.
    (
        "553 Requested action not taken",
        Some(553),
        None,
        R,
        "generic-553",
    ),
    // No words known: 5.7.x (security or policy) read with the stage. At RCPT TO that is a
    // refused relay; after DATA it is about the content, none of our causes.
    (
        "550 5.7.1 Go away",
        Some(550),
        Some("5.7.1"),
        R,
        "relay-denied",
    ),
    (
        "550 5.7.1 Go away",
        Some(550),
        Some("5.7.1"),
        D,
        "unclassified",
    ),
    (
        "550 5.7.1 Go away",
        Some(550),
        Some("5.7.1"),
        M,
        "policy-blocked",
    ),
    ("", None, None, None, "unclassified"),
    // Meanings, not phrases: spam said as a verdict, an address outside what the login may
    // use, a sender refused for the authenticated account.
    (
        "550 5.7.1 Your message was deemed to be spam by our filters",
        Some(550),
        Some("5.7.1"),
        None,
        "unclassified",
    ),
    (
        "553 5.7.1 Sender address rejected: that is not an address your account may use",
        Some(553),
        Some("5.7.1"),
        M,
        "sender-not-owned",
    ),
    (
        "553 5.7.1 MAIL FROM address not permitted for this authenticated user",
        Some(553),
        Some("5.7.1"),
        M,
        "sender-not-owned",
    ),
    (
        "550 5.7.1 Illegal use of sender address <a@b.example>",
        Some(550),
        Some("5.7.1"),
        M,
        "sender-not-owned",
    ),
];

fn record(case: &Case) -> Record {
    let (text, code, status, stage, _) = *case;
    Record {
        diagnostic: Some(text.to_string()).filter(|t| !t.is_empty()),
        reply_code: code,
        status: status.map(str::to_string),
        stage,
        ..Record::default()
    }
}

#[test]
fn wordings_name_their_cause() {
    let classifier = Classifier::new(&bouncebook::playbook::embedded());
    let mut wrong = Vec::new();
    for case in CASES {
        let d = classifier.classify(&record(case));
        if d.variation != case.4 {
            wrong.push(format!(
                "{:?}\n    expected {}, got {} ({:?}: {})",
                case.0, case.4, d.variation, d.basis, d.evidence
            ));
        }
        assert!(
            (0.0..=1.0).contains(&d.confidence),
            "{case:?}: {}",
            d.confidence
        );
        assert!(!d.evidence.is_empty(), "{case:?}: no evidence");
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn evidence_is_the_deciding_words_and_confidence_follows_the_basis() {
    let classifier = Classifier::new(&bouncebook::playbook::embedded());
    let by_text = classifier.classify(&Record {
        diagnostic: Some(
            "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown".into(),
        ),
        reply_code: Some(550),
        status: Some("5.1.1".into()),
        stage: Some(Stage::RcptTo),
        ..Record::default()
    });
    assert_eq!(by_text.basis, Basis::Text);
    assert!(
        by_text.evidence.to_lowercase().contains("user unknown"),
        "{}",
        by_text.evidence
    );
    let by_status = classifier.classify(&Record {
        diagnostic: Some("550 5.1.1 go away".into()),
        reply_code: Some(550),
        status: Some("5.1.1".into()),
        ..Record::default()
    });
    assert_eq!(
        (by_status.basis, by_status.variation.as_str()),
        (Basis::Status, "recipient-unknown")
    );
    assert!(by_status.evidence.contains("5.1.1"));
    let by_code = classifier.classify(&Record {
        diagnostic: Some("530 go away".into()),
        reply_code: Some(530),
        ..Record::default()
    });
    assert_eq!(
        (by_code.basis, by_code.variation.as_str()),
        (Basis::ReplyCode, "relay-denied")
    );
    let nothing = classifier.classify(&Record {
        diagnostic: Some("553 go away".into()),
        reply_code: Some(553),
        ..Record::default()
    });
    assert_eq!(nothing.basis, Basis::Fallback);
    assert!(by_text.confidence > by_status.confidence);
    assert!(by_status.confidence > by_code.confidence);
    assert!(by_code.confidence > nothing.confidence);
    // Text and status agreeing is stronger than text alone, and stronger than a contradiction.
    let text_alone = classifier.classify(&Record {
        diagnostic: Some("550 User unknown".into()),
        reply_code: Some(550),
        ..Record::default()
    });
    let contradicted = classifier.classify(&Record {
        diagnostic: Some("550 User unknown".into()),
        reply_code: Some(550),
        status: Some("5.1.8".into()),
        ..Record::default()
    });
    assert_eq!(contradicted.variation, "recipient-unknown");
    assert!(by_text.confidence > text_alone.confidence);
    assert!(text_alone.confidence > contradicted.confidence);
}
