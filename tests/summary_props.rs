//! Property tests: redaction and rendering never panic on any input, and redaction only
//! changes text when it reports a secret. Bounded case counts keep the suite fast.

use bouncebook::bounce::{Bounce, Record};
use bouncebook::classify::{Basis, Diagnosis};
use bouncebook::playbook::{MatchRules, Playbook, Step};
use bouncebook::redact::redact;
use bouncebook::summary::{SummaryContext, SummaryFormat, render};
use bouncebook::ticket::{StepState, Ticket};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;

/// Text built from the pieces redaction and rendering react to, mixed with anything.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("AUTH LOGIN".to_string()),
        Just("AUTH PLAIN ".to_string()),
        Just("AUTH CRAM-MD5".to_string()),
        Just("334 ".to_string()),
        Just("dXNlcg==".to_string()),
        Just("password:".to_string()),
        Just("pass=".to_string()),
        Just("Authorization: Basic ".to_string()),
        Just("smtp://".to_string()),
        Just("@".to_string()),
        Just(":".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{1b}[".to_string()),
        Just("\u{1b}]52;c;".to_string()),
        Just("```".to_string()),
        Just("\u{202e}".to_string()),
        "[ -~]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn redact_never_panics_and_changes_only_what_it_counts(text in tricky_text()) {
        let (out, n) = redact(&text);
        if n == 0 {
            prop_assert_eq!(out, text);
        } else {
            prop_assert!(out.matches("[redacted]").count() >= n);
        }
    }

    #[test]
    fn render_never_panics_and_never_emits_escapes(
        bounce_text in tricky_text(),
        field in tricky_text(),
        note in tricky_text(),
        record in 0usize..4,
        confidence in any::<f32>(),
        markdown in any::<bool>(),
    ) {
        let now = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap();
        let mut ticket = Ticket::new(field.clone(), now);
        ticket.bounce = Some(bounce_text);
        ticket.progress.entry("v".into()).or_default().insert(
            "s".into(),
            StepState { done: true, done_at: None, note: Some(note) },
        );
        let bounce = Bounce {
            sender: Some(field.clone()),
            header_from: Some(field.clone()),
            subject: Some(field.clone()),
            records: vec![Record {
                recipient: Some(field.clone()),
                diagnostic: Some(field.clone()),
                ..Record::default()
            }],
            warnings: vec![field.clone()],
            ..Bounce::default()
        };
        let diagnosis = Diagnosis {
            variation: "v".into(),
            confidence,
            evidence: field.clone(),
            basis: Basis::Text,
        };
        let playbook = Playbook {
            id: "v".into(),
            title: field.clone(),
            summary: String::new(),
            matcher: MatchRules::default(),
            steps: vec![Step { id: "s".into(), title: field, detail: None, command: None, when: None }],
            escalate: Vec::new(),
            reply: None,
        };
        let ctx = SummaryContext {
            ticket: &ticket,
            bounce: Some(&bounce),
            record,
            diagnosis: Some(&diagnosis),
            playbook: Some(&playbook),
            now,
            diagnoses: &[],
            playbooks: None,
            include_reply: false,
        };
        let format = if markdown { SummaryFormat::Markdown } else { SummaryFormat::Text };
        let out = render(&ctx, format);
        prop_assert!(!out.contains('\x1b'), "ESC in output");
        prop_assert!(!out.contains(char::from_u32(0x9b).unwrap_or(' ')), "CSI in output");
    }
}
