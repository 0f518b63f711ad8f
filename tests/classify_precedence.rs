//! The ladder and its tie-breaks, on small purpose-built playbooks (so each rule is visible
//! in the test), plus non-failures and rules that do not compile.

use bouncebook::bounce::{Action, Record, Stage};
use bouncebook::classify::{Basis, Classifier, rule_problems};
use bouncebook::playbook::{Origin, Playbook, PlaybookSet};

fn playbook(id: &str, matcher: &str) -> Playbook {
    let yaml = format!(
        "id: {id}\ntitle: {id}\nsummary: test\nsteps:\n  - id: s\n    title: s\nmatch:\n{matcher}"
    );
    serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{id}: {e}\n{yaml}"))
}

/// Playbooks as if read from a user's file (their rules are all compiled up front).
fn set(playbooks: &[(&str, &str)]) -> PlaybookSet {
    PlaybookSet {
        playbooks: playbooks
            .iter()
            .map(|(id, m)| (playbook(id, m), Origin::File(format!("{id}.yaml").into())))
            .collect(),
        problems: Vec::new(),
    }
}

fn rec(text: &str, code: Option<u16>, status: Option<&str>, stage: Option<Stage>) -> Record {
    Record {
        diagnostic: Some(text.to_string()),
        reply_code: code,
        status: status.map(str::to_string),
        stage,
        ..Record::default()
    }
}

fn variation(c: &Classifier, r: &Record) -> String {
    c.classify(r).variation
}

#[test]
fn text_outranks_status_which_outranks_reply_code() {
    let c = Classifier::new(&set(&[
        ("by-text", "  text: ['alpha']\n"),
        ("by-status", "  status: ['5.1.1']\n"),
        ("by-code", "  reply_code: [550]\n"),
    ]));
    let d = c.classify(&rec("550 5.1.1 alpha", Some(550), Some("5.1.1"), None));
    assert_eq!((d.variation.as_str(), d.basis), ("by-text", Basis::Text));
    let d = c.classify(&rec("550 5.1.1 beta", Some(550), Some("5.1.1"), None));
    assert_eq!(
        (d.variation.as_str(), d.basis),
        ("by-status", Basis::Status)
    );
    let d = c.classify(&rec("550 beta", Some(550), None, None));
    assert_eq!(
        (d.variation.as_str(), d.basis),
        ("by-code", Basis::ReplyCode)
    );
    let d = c.classify(&rec("551 beta", Some(551), None, None));
    assert_eq!(
        (d.variation.as_str(), d.basis),
        ("unclassified", Basis::Fallback)
    );
    let d = c.classify(&rec("553 beta", Some(553), None, None));
    assert_eq!(
        (d.variation.as_str(), d.basis),
        ("generic-553", Basis::Fallback)
    );
}

#[test]
fn text_is_case_insensitive() {
    let c = Classifier::new(&set(&[("a", "  text: ['user unknown']\n")]));
    assert_eq!(
        variation(&c, &rec("550 USER UNKNOWN", Some(550), None, None)),
        "a"
    );
}

#[test]
fn stage_breaks_ties_between_equal_text_matches() {
    let rules = [
        (
            "sender-side",
            "  text: ['shared words']\n  stage: ['MAIL FROM']\n",
        ),
        (
            "recipient-side",
            "  text: ['shared words']\n  stage: ['RCPT TO']\n",
        ),
    ];
    let c = Classifier::new(&set(&rules));
    let text = "550 shared words";
    assert_eq!(
        variation(&c, &rec(text, Some(550), None, Some(Stage::MailFrom))),
        "sender-side"
    );
    assert_eq!(
        variation(&c, &rec(text, Some(550), None, Some(Stage::RcptTo))),
        "recipient-side"
    );
    // And the same for status ties.
    let c = Classifier::new(&set(&[
        (
            "sender-side",
            "  status: ['5.1.0']\n  stage: ['MAIL FROM']\n",
        ),
        (
            "recipient-side",
            "  status: ['5.1.0']\n  stage: ['RCPT TO']\n",
        ),
    ]));
    let r = rec("550 5.1.0 x", Some(550), Some("5.1.0"), Some(Stage::RcptTo));
    assert_eq!(variation(&c, &r), "recipient-side");
}

#[test]
fn priority_breaks_ties_between_playbooks_whatever_their_order() {
    let generic = ("generic", "  text: ['sender address rejected']\n");
    let specific = (
        "specific",
        "  text: ['not owned by user']\n  priority: 10\n",
    );
    let text = "553 5.7.1 <a@b.example>: Sender address rejected: not owned by user c@d.example";
    for order in [[generic, specific], [specific, generic]] {
        let c = Classifier::new(&set(&order));
        assert_eq!(
            variation(&c, &rec(text, Some(553), None, Some(Stage::RcptTo))),
            "specific"
        );
    }
    // Equal priority and no stage: the longer (more specific) match wins.
    let c = Classifier::new(&set(&[
        ("short", "  text: ['rejected']\n"),
        ("long", "  text: ['rejected: not owned']\n"),
    ]));
    assert_eq!(
        variation(&c, &rec("553 rejected: not owned", Some(553), None, None)),
        "long"
    );
}

#[test]
fn specific_status_patterns_beat_class_patterns() {
    let c = Classifier::new(&set(&[
        ("class", "  status: ['5.7.*']\n"),
        ("exact", "  status: ['5.7.606']\n"),
    ]));
    assert_eq!(
        variation(&c, &rec("550 x", Some(550), Some("5.7.606"), None)),
        "exact"
    );
    assert_eq!(
        variation(&c, &rec("550 x", Some(550), Some("5.7.1"), None)),
        "class"
    );
}

#[test]
fn not_text_rules_a_playbook_out() {
    let c = Classifier::new(&set(&[(
        "a",
        "  text: ['rejected']\n  status: ['5.1.1']\n  not_text: ['quota']\n",
    )]));
    assert_eq!(
        variation(&c, &rec("550 rejected", Some(550), None, None)),
        "a"
    );
    let vetoed = rec(
        "550 5.1.1 rejected: over quota",
        Some(550),
        Some("5.1.1"),
        None,
    );
    assert_eq!(variation(&c, &vetoed), "unclassified");
}

#[test]
fn stage_text_counts_only_at_its_stages() {
    let c = Classifier::new(&set(&[(
        "sender",
        "  stage_text: ['does not exist']\n  stage: ['MAIL FROM']\n",
    )]));
    let text = "553 x.example does not exist";
    assert_eq!(
        variation(&c, &rec(text, Some(553), None, Some(Stage::MailFrom))),
        "sender"
    );
    assert_eq!(
        variation(&c, &rec(text, Some(553), None, Some(Stage::RcptTo))),
        "generic-553"
    );
    assert_eq!(
        variation(&c, &rec(text, Some(553), None, None)),
        "generic-553"
    );
}

#[test]
fn weak_text_yields_to_a_status_but_beats_a_code() {
    let c = Classifier::new(&set(&[
        ("vague", "  weak_text: ['access denied']\n"),
        ("by-status", "  status: ['5.1.1']\n"),
        ("by-code", "  reply_code: [550]\n"),
    ]));
    assert_eq!(
        variation(
            &c,
            &rec("550 5.1.1 Access denied", Some(550), Some("5.1.1"), None)
        ),
        "by-status"
    );
    let d = c.classify(&rec("550 Access denied", Some(550), None, None));
    assert_eq!((d.variation.as_str(), d.basis), ("vague", Basis::Text));
}

#[test]
fn temporary_replies_get_the_cause_their_words_name_other_temporary_failures_only_transient() {
    let c = Classifier::new(&set(&[
        (
            "permanent-fact",
            "  text: ['domain not found']\n  status: ['5.1.2', '4.1.2']\n",
        ),
        ("policy", "  text: ['blocked']\n  transient: true\n"),
    ]));
    assert_eq!(
        variation(&c, &rec("550 domain not found", Some(550), None, None)),
        "permanent-fact"
    );
    // A server's 4xx reply whose words name the cause: that cause (the record itself says
    // it is temporary).
    let temp = rec("450 domain not found", Some(450), None, None);
    assert!(temp.is_temporary());
    let d = c.classify(&temp);
    assert_eq!(
        (d.variation.as_str(), d.basis),
        ("permanent-fact", Basis::Text)
    );
    // A status alone does not name a permanent cause on a 4xx.
    assert_eq!(
        variation(
            &c,
            &rec("450 4.1.2 try later", Some(450), Some("4.1.2"), None)
        ),
        "unclassified"
    );
    assert_eq!(
        variation(&c, &rec("domain not found", None, Some("4.4.3"), None)),
        "unclassified"
    );
    assert_eq!(
        variation(&c, &rec("450 blocked", Some(450), None, None)),
        "policy"
    );
    let mut delayed = rec("550 domain not found", Some(550), None, None);
    delayed.action = Action::Delayed;
    assert_eq!(variation(&c, &delayed), "unclassified");
}

#[test]
fn out_of_scope_wordings_end_as_the_fallback_for_the_reply_code() {
    let c = Classifier::new(&set(&[
        ("cause", "  text: ['rejected']\n"),
        (
            "unclassified",
            "  text: ['mailbox full']\n  priority: 100\n",
        ),
    ]));
    let d = c.classify(&rec("553 rejected: mailbox full", Some(553), None, None));
    assert_eq!(
        (d.variation.as_str(), d.basis),
        ("generic-553", Basis::Text)
    );
    assert_eq!(d.evidence, "mailbox full");
    assert_eq!(
        variation(
            &c,
            &rec("552 rejected: mailbox full", Some(552), None, None)
        ),
        "unclassified"
    );
}

#[test]
fn records_that_are_not_failures_are_unclassified() {
    let c = Classifier::new(&bouncebook::playbook::embedded());
    for action in [
        Action::Delivered,
        Action::Relayed,
        Action::Expanded,
        Action::AutoReplied,
        Action::Feedback,
    ] {
        let mut r = rec(
            "553 5.1.1 User unknown",
            Some(553),
            Some("5.1.1"),
            Some(Stage::RcptTo),
        );
        r.action = action;
        let d = c.classify(&r);
        assert_eq!(d.variation, "unclassified", "{action:?}");
        assert!(d.evidence.contains(action.as_str()), "{}", d.evidence);
    }
    let d = c.classify(&rec("250 2.0.0 Ok: queued", Some(250), Some("2.0.0"), None));
    assert_eq!(d.variation, "unclassified");
    // A delayed notice can still name a cause that can be temporary...
    let mut delayed = rec(
        "421 4.7.0 [TSS04] Messages from 192.0.2.7 deferred due to user complaints",
        Some(421),
        Some("4.7.0"),
        None,
    );
    delayed.action = Action::Delayed;
    assert_eq!(variation(&c, &delayed), "policy-blocked");
    // ...but not one that states a permanent fact.
    let mut delayed = rec("User unknown", None, Some("4.0.0"), None);
    delayed.action = Action::Delayed;
    assert_eq!(variation(&c, &delayed), "unclassified");
}

#[test]
fn a_vague_refusal_of_a_malformed_recipient_points_at_the_address() {
    let c = Classifier::new(&bouncebook::playbook::embedded());
    let mut r = rec(
        "550 Requested action not taken",
        Some(550),
        None,
        Some(Stage::RcptTo),
    );
    r.recipient = Some("john..doe@example.com".into());
    let d = c.classify(&r);
    assert_eq!(
        (d.variation.as_str(), d.basis),
        ("address-syntax", Basis::ReplyCode)
    );
    assert!(d.evidence.contains("two dots"), "{}", d.evidence);
    r.recipient = Some("john@gmial.com".into());
    assert_eq!(variation(&c, &r), "recipient-domain-missing");
    // Clear words still win over the address check.
    r.diagnostic = Some("550 5.1.1 User unknown".into());
    assert_eq!(variation(&c, &r), "recipient-unknown");
    // A well-formed address adds nothing.
    r.diagnostic = Some("550 Requested action not taken".into());
    r.recipient = Some("john@example.com".into());
    assert_eq!(variation(&c, &r), "unclassified");
}

#[test]
fn broken_rules_are_reported_and_skipped() {
    let broken = set(&[(
        "broken",
        "  text: ['(unclosed', '', 'still works', '(a{1000}){1000}']\n  status: ['5.x.1', '5.1.1']\n  stage: ['QUIT']\n",
    )]);
    let (c, problems) = Classifier::with_problems(&broken);
    let fields: Vec<(&str, usize)> = problems.iter().map(|p| (p.field, p.index)).collect();
    assert!(fields.contains(&("text", 0)), "{problems:?}");
    assert!(fields.contains(&("text", 1)), "{problems:?}");
    assert!(fields.contains(&("text", 3)), "{problems:?}");
    assert!(fields.contains(&("status", 0)), "{problems:?}");
    assert!(fields.contains(&("stage", 0)), "{problems:?}");
    assert!(!fields.contains(&("text", 2)), "{problems:?}");
    assert_eq!(
        variation(&c, &rec("550 still works", Some(550), None, None)),
        "broken"
    );
    assert_eq!(
        variation(&c, &rec("550 x", Some(550), Some("5.1.1"), None)),
        "broken"
    );
    assert_eq!(rule_problems(&broken.playbooks[0].0), problems);
    // The message names the playbook and the field, for `playbooks check`.
    assert!(
        problems[0].to_string().contains("broken"),
        "{}",
        problems[0]
    );
}

#[test]
fn embedded_rules_all_compile() {
    let (_, problems) = Classifier::with_problems(&bouncebook::playbook::embedded());
    assert!(problems.is_empty(), "{problems:?}");
}

/// The greeting and HELO stages, which the parser reports, can be named in `match.stage`
/// and after `at` in a status pattern, and then decide like any other stage.
#[test]
fn connect_and_helo_stages_can_be_named() {
    let (c, problems) = Classifier::with_problems(&set(&[
        (
            "greeting",
            "  stage: ['CONNECT']\n  stage_text: ['zq refused']\n  status: ['5.7.1 at CONNECT']\n",
        ),
        (
            "helo",
            "  stage: ['helo']\n  stage_text: ['zq refused']\n  status: ['5.7.1 at EHLO']\n",
        ),
    ]));
    assert!(problems.is_empty(), "{problems:?}");
    let words = |stage| variation(&c, &rec("554 zq refused", Some(554), None, Some(stage)));
    assert_eq!(words(Stage::Connect), "greeting");
    assert_eq!(words(Stage::Helo), "helo");
    // A stage_text rule only counts at its stages.
    assert_eq!(words(Stage::RcptTo), "unclassified");
    let status = |stage| variation(&c, &rec("554 no", Some(554), Some("5.7.1"), Some(stage)));
    assert_eq!(status(Stage::Connect), "greeting");
    assert_eq!(status(Stage::Helo), "helo");
}
