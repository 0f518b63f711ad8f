//! `check` and `classify` never panic, whatever they are given, and always answer within
//! their contracts.

use bouncebook::bounce::address::check;
use bouncebook::bounce::{Action, Record, Stage};
use bouncebook::classify::Classifier;
use bouncebook::playbook::{EMBEDDED_IDS, embedded};
use proptest::prelude::*;

fn stage() -> impl Strategy<Value = Option<Stage>> {
    prop_oneof![
        Just(None),
        Just(Some(Stage::MailFrom)),
        Just(Some(Stage::RcptTo)),
        Just(Some(Stage::Data)),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Failed),
        Just(Action::Delayed),
        Just(Action::Delivered),
        Just(Action::AutoReplied),
        Just(Action::Feedback),
    ]
}

/// Strings that look like bounce material often enough to reach every rung.
fn responsy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[245][0-9]{2}[ -]([245]\\.[0-9]{1,3}\\.[0-9]{1,3} )?[a-zA-Z .:<>@#()'-]{0,80}",
        "(553|550|450) (user unknown|relay access denied|mailbox full|blocked|does not exist|\u{00e9}\u{200b}\u{202e}){1,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn address_check_never_panics(s in prop_oneof![any::<String>(), "[a-z.@\"<>\\[\\] ,\u{201c}\u{00e9}-]{0,80}"]) {
        for p in check(&s) {
            prop_assert!(!p.kind.is_empty());
            prop_assert!(!p.message.is_empty());
        }
    }

    #[test]
    fn classify_never_panics_and_names_a_known_variation(
        text in proptest::option::of(responsy()),
        status in proptest::option::of(prop_oneof![any::<String>(), "[245]\\.[0-9]{1,3}\\.[0-9]{1,3}"]),
        code in proptest::option::of(any::<u16>()),
        recipient in proptest::option::of(any::<String>()),
        stage in stage(),
        action in action(),
    ) {
        let classifier = classifier();
        let record = Record { diagnostic: text, status, reply_code: code, recipient, stage, action, ..Record::default() };
        let d = classifier.classify(&record);
        prop_assert!(EMBEDDED_IDS.contains(&d.variation.as_str()), "{}", d.variation);
        prop_assert!((0.0..=1.0).contains(&d.confidence));
        prop_assert!(!d.evidence.is_empty());
    }
}

fn classifier() -> &'static Classifier {
    static CLASSIFIER: std::sync::OnceLock<Classifier> = std::sync::OnceLock::new();
    CLASSIFIER.get_or_init(|| Classifier::new(&embedded()))
}

#[test]
fn a_huge_response_is_classified_quickly() {
    let text = format!("553 {} user unknown", "x ".repeat(3_000_000));
    let record = Record {
        diagnostic: Some(text),
        reply_code: Some(553),
        ..Record::default()
    };
    let started = std::time::Instant::now();
    let d = classifier().classify(&record);
    assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
    // Only the start is searched: the words past the cap do not count.
    assert_eq!(d.variation, "generic-553");
}
