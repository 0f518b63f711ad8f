//! The ten shipped playbooks: they load, pass every check, and each is written for its cause.

use std::collections::{BTreeSet, HashSet};

use bouncebook::playbook::{self, EMBEDDED_IDS, EMBEDDED_SOURCES, Origin};

#[test]
fn all_ten_embedded_playbooks_load_in_order_without_problems() {
    let set = playbook::embedded();
    assert!(set.problems.is_empty(), "{:#?}", set.problems);
    let ids: Vec<&str> = set.playbooks.iter().map(|(p, _)| p.id.as_str()).collect();
    assert_eq!(ids, EMBEDDED_IDS);
    assert!(set.playbooks.iter().all(|(_, o)| *o == Origin::Embedded));
}

#[test]
fn embedded_sources_pass_check() {
    let report = playbook::check_installed(None);
    assert_eq!(report.checked, 10);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

/// Start-up reads the JSON that build.rs wrote, unchecked: it must be exactly what the
/// checked YAML source gives.
#[test]
fn embedded_playbooks_equal_their_checked_yaml_sources() {
    let set = playbook::embedded();
    for (id, text) in EMBEDDED_SOURCES {
        let checked = playbook::check_source(id, Some(id), text.as_bytes());
        assert_eq!(set.get(id), checked.as_ref().ok(), "{id}");
    }
}

#[test]
fn every_playbook_has_a_real_title_summary_steps_and_escalation() {
    for (p, _) in playbook::embedded().playbooks {
        assert_ne!(p.title, p.id, "{}: title is still the id", p.id);
        assert!(
            p.summary.split_whitespace().count() >= 25,
            "{}: summary too thin",
            p.id
        );
        assert!(p.steps.len() >= 4, "{}: only {} steps", p.id, p.steps.len());
        assert!(p.escalate.len() >= 3, "{}: escalate too thin", p.id);
        assert!(
            p.escalate.iter().any(|e| e.contains("full bounce")),
            "{}: escalation must ask for the full bounce",
            p.id
        );
        for step in &p.steps {
            let detail = step.detail.as_deref().unwrap_or("");
            assert!(
                !detail.trim().is_empty() || step.command.is_some(),
                "{}/{}: a step needs detail or a command",
                p.id,
                step.id
            );
        }
    }
}

#[test]
fn steps_are_specific_to_each_cause_not_one_list_copied() {
    let set = playbook::embedded();
    let step_lists: Vec<(String, Vec<String>)> = set
        .playbooks
        .iter()
        .map(|(p, _)| {
            (
                p.id.clone(),
                p.steps.iter().map(|s| s.title.clone()).collect(),
            )
        })
        .collect();
    // No two playbooks share the same checklist, and most step titles are used once.
    let distinct: HashSet<&Vec<String>> = step_lists.iter().map(|(_, s)| s).collect();
    assert_eq!(distinct.len(), step_lists.len());
    let mut all_titles: Vec<&String> = step_lists.iter().flat_map(|(_, s)| s).collect();
    let total = all_titles.len();
    all_titles.sort();
    all_titles.dedup();
    assert!(
        all_titles.len() * 10 >= total * 9,
        "{} distinct step titles out of {total}",
        all_titles.len()
    );
    // Each cause's checklist names what matters for that cause.
    let must_mention: [(&str, &str); 8] = [
        ("relay-denied", "authentication"),
        ("sender-not-owned", "reply-to"),
        ("recipient-unknown", "mailbox"),
        ("sender-domain-missing", "envelope sender"),
        ("recipient-domain-missing", "spelling"),
        ("address-syntax", "by hand"),
        ("policy-blocked", "blocklist"),
        ("mail-loop", "routing"),
    ];
    for (id, word) in must_mention {
        let p = set.get(id).unwrap_or_else(|| panic!("{id} missing"));
        let text: String = p
            .steps
            .iter()
            .map(|s| format!("{} {}", s.title, s.detail.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        assert!(text.contains(word), "{id}: steps never mention {word:?}");
    }
}

#[test]
fn commands_use_only_known_placeholders_and_every_domain_check_uses_the_bounce() {
    let known: BTreeSet<&str> = playbook::PLACEHOLDERS.iter().map(|p| p.name).collect();
    let mut used = BTreeSet::new();
    for (p, _) in playbook::embedded().playbooks {
        for step in &p.steps {
            let Some(command) = &step.command else {
                continue;
            };
            for name in placeholder_names(command) {
                assert!(
                    known.contains(name.as_str()),
                    "{}/{}: {{{name}}}",
                    p.id,
                    step.id
                );
                used.insert(name);
            }
        }
    }
    for name in [
        "sender",
        "sender_domain",
        "recipient",
        "recipient_domain",
        "remote_host",
    ] {
        assert!(used.contains(name), "no playbook command uses {{{name}}}");
    }
}

/// `{name}` occurrences, ignoring `{{` / `}}` escapes (an independent, simple reading).
fn placeholder_names(command: &str) -> Vec<String> {
    let unescaped = command.replace("{{", "").replace("}}", "");
    unescaped
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(name, _)| name.to_string())
        .filter(|name| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
        .collect()
}

#[test]
fn the_recognition_rules_stay_below_their_marker_line() {
    // Two people edit these files; the marker splits them so git merges both cleanly.
    const MARKER: &str =
        "# --- recognition rules: owned by the classifier work; see playbooks/README.md ---";
    for (id, text) in EMBEDDED_SOURCES {
        let (above, below) = text
            .split_once(MARKER)
            .unwrap_or_else(|| panic!("{id}: marker line missing"));
        assert!(
            above.ends_with("\n\n"),
            "{id}: keep a blank line above the marker"
        );
        assert!(
            !above.contains("\nmatch:"),
            "{id}: match block above the marker"
        );
        assert!(
            below.contains("\nmatch:"),
            "{id}: no match block below the marker"
        );
    }
}

/// Every playbook has a customer reply that names the recipient, and says "553" only where
/// the cause is the 553 fallback: the other causes arrive with 550, 554, 4xx and more.
#[test]
fn every_playbook_has_a_reply_and_no_wrong_553_claim() {
    let set = playbook::embedded();
    for (p, _) in &set.playbooks {
        let reply = p.reply.as_deref().unwrap_or_default();
        assert!(reply.len() > 100, "{}: reply too short or missing", p.id);
        assert!(
            reply.contains("{recipient}"),
            "{}: reply does not name the recipient",
            p.id
        );
        if p.id == "generic-553" {
            continue;
        }
        let mut texts = vec![p.summary.clone(), reply.to_string()];
        for s in &p.steps {
            texts.push(s.title.clone());
            texts.extend(s.detail.clone());
        }
        for t in texts {
            assert!(
                !t.contains("553"),
                "{}: says 553 outside the 553 playbook: {t}",
                p.id
            );
        }
    }
}

/// Log commands fit the reporting system: every step that greps an Exim log is limited to
/// Exim, every Postfix log one to Postfix, every Message Trace to Exchange.
#[test]
fn log_commands_are_limited_to_their_mail_system() {
    let set = playbook::embedded();
    let mut seen = BTreeSet::new();
    for (p, _) in &set.playbooks {
        for s in &p.steps {
            let Some(cmd) = s.command.as_deref() else {
                continue;
            };
            let system = if cmd.contains("exim") {
                "exim"
            } else if cmd.contains("maillog") || cmd.contains("postconf") || cmd.contains("mailq") {
                "postfix"
            } else if cmd.contains("Get-MessageTrace") {
                "exchange"
            } else {
                continue;
            };
            let when = s.when.as_ref().and_then(|w| w.reporting_system.as_ref());
            let values = when.map(|v| v.values().to_vec()).unwrap_or_default();
            assert!(
                values.iter().any(|v| v == system),
                "{}/{}: a {system} command without when.reporting_system {system}",
                p.id,
                s.id
            );
            seen.insert(system);
        }
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
}

/// relay-denied never tells the agent to turn on SMTP authentication when a remote MX refused
/// a customer who did log in, and its AUTH test aims at the customer's own server.
#[test]
fn relay_denied_fits_a_remote_refusal_of_an_authenticated_customer() {
    use bouncebook::bounce::facts::{Facts, RefusedBy};
    use bouncebook::bounce::{Bounce, Record};
    use bouncebook::playbook::Situation;
    let set = playbook::embedded();
    let relay = set.get("relay-denied").expect("relay-denied");
    let bounce = Bounce {
        facts: Facts {
            refused_by: Some(RefusedBy::Remote),
            authenticated: Some(true),
            ..Facts::default()
        },
        records: vec![Record {
            recipient: Some("bob@partner.example".into()),
            reply_code: Some(550),
            remote_host: Some("mx.partner.example".into()),
            ..Record::default()
        }],
        ..Bounce::default()
    };
    let values = Default::default();
    let here = Situation::new(&bounce, &bounce.records[0], &values);
    let applying: Vec<&str> = relay
        .steps
        .iter()
        .filter(|s| here.applies(s.when.as_ref()).applies())
        .map(|s| s.id.as_str())
        .collect();
    assert!(!applying.contains(&"enable-smtp-auth"), "{applying:?}");
    assert!(!applying.contains(&"test-smtp-auth"), "{applying:?}");
    assert!(applying.contains(&"check-recipient-mx"), "{applying:?}");
    let test = relay
        .steps
        .iter()
        .find(|s| s.id == "test-smtp-auth")
        .expect("step");
    let cmd = test.command.as_deref().unwrap_or_default();
    assert!(cmd.contains("--server {submission_host}"), "{cmd}");
    let filled = here.fill_command(cmd);
    assert!(
        !filled.text.contains("mx.partner.example"),
        "{}",
        filled.text
    );
    assert_eq!(filled.missing, ["submission_host", "sender"]);
}
