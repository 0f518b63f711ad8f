//! The Checks view's AUTH test through intents, drawn on a TestBackend: `a` opens a prompt
//! only when the checks found the customer's submission server, the password is drawn as
//! dots, handed to the engine once, and never reaches the ticket, the summary or a `Debug`.
//! (The engine's side, the login and its redacted transcript, is in checks_engine.rs.)

#[path = "support/tui.rs"]
mod support;

use std::time::Duration;

use bouncebook::checks::{CheckResult, Status};
use bouncebook::tui::app::{App, Overlay};
use bouncebook::tui::{Effect, Intent};
use support::*;

const PASSWORD: &str = "s3cret-Pa55";

fn result(check: &str, target: &str, status: Status, detail: &str) -> CheckResult {
    CheckResult::new(
        check,
        target,
        status,
        detail,
        vec![
            format!("C: EHLO checks.test"),
            "C: AUTH PLAIN <redacted>".into(),
        ],
        "127.0.0.1:53",
        Duration::from_millis(12),
    )
}

/// A relay-denied bounce whose checks ran and found `submission` results (none when
/// `submission` is false).
fn checked_app(submission: bool) -> App {
    let mut app = new_app_sized(120, 40);
    paste_fixture(&mut app, "relay-exim.txt");
    let effects = drive(&mut app, [Intent::ShowChecks]);
    assert!(
        effects.contains(&Effect::StartChecks { record: 0 }),
        "{effects:?}"
    );
    let mut landed = vec![result(
        "recipient-mx",
        "supplier-example.org",
        Status::Ok,
        "MX 10",
    )];
    if submission {
        landed.push(result(
            "submission",
            "server12.host-example.net:587",
            Status::Ok,
            "AUTH offered over TLS: PLAIN LOGIN",
        ));
    }
    let mut intents = vec![Intent::ChecksStarted {
        record: 0,
        started: now(),
        host: "agent-box.example".into(),
        resolver: "127.0.0.1:53".into(),
        planned: landed.len(),
    }];
    intents.extend(
        landed
            .into_iter()
            .map(|result| Intent::CheckLanded { record: 0, result }),
    );
    intents.push(Intent::ChecksFinished { record: 0 });
    drive(&mut app, intents);
    app
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn typed(text: &str) -> Vec<Intent> {
    text.chars().map(Intent::InsertChar).collect()
}

#[test]
fn the_password_is_masked_sent_once_and_never_kept() {
    let mut app = checked_app(true);
    drive(&mut app, [Intent::StartAuthTest]);
    let Overlay::AuthTest { prompt } = &app.overlay else {
        panic!("no prompt: {:?} / {}", app.overlay, status(&app));
    };
    assert_eq!(prompt.targets, ["server12.host-example.net:587"]);
    assert_eq!(
        prompt.user.text(),
        "ana@shop-example.com",
        "the sender to start with"
    );
    drive(&mut app, typed(PASSWORD));
    drive(&mut app, [Intent::DeleteBack]);
    drive(&mut app, typed("5"));

    let screen = screen_text(&render(&mut app, 120, 40));
    println!("{screen}");
    assert!(
        screen.contains("AUTH test · the customer's own server"),
        "{screen}"
    );
    assert!(
        screen.contains("Logs in once at server12.host-example.net:587"),
        "{screen}"
    );
    assert!(
        screen.contains(&"•".repeat(PASSWORD.chars().count())),
        "{screen}"
    );
    assert!(!screen.contains(PASSWORD), "{screen}");
    assert!(!format!("{:?}", app.overlay).contains(PASSWORD));

    // The user name is edited in its own field.
    drive(&mut app, [Intent::InsertChar('\t'), Intent::ClearLine]);
    drive(&mut app, typed("ana"));
    let effects = drive(&mut app, [Intent::Confirm]);
    let mut secrets: Vec<_> = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::StartAuthTest { record, secret } => Some((record, secret)),
            _ => None,
        })
        .collect();
    assert_eq!(secrets.len(), 1);
    let (record, secret) = &mut secrets[0];
    assert_eq!(*record, 0);
    assert_eq!(secret.user, "ana");
    assert!(!format!("{secret:?}").contains(PASSWORD));
    assert!(
        secret.clone().take().is_none(),
        "a copy carries no password"
    );
    assert!(secret.take().is_some());
    assert!(
        matches!(app.overlay, Overlay::Checks { .. }),
        "back to the results"
    );
    assert_eq!(app.checks_running, Some(0));

    // The test's result replaces the submission result; the rest of the run stays.
    drive(
        &mut app,
        [
            Intent::AuthTestStarted {
                record: 0,
                planned: 1,
            },
            Intent::CheckLanded {
                record: 0,
                result: result(
                    "submission",
                    "server12.host-example.net:587",
                    Status::Fail,
                    "server12.host-example.net [192.0.2.1]:587: AUTH test refused: 535 5.7.8",
                ),
            },
        ],
    );
    let effects = drive(&mut app, [Intent::ChecksFinished { record: 0 }]);
    assert!(effects.contains(&Effect::Save), "{effects:?}");
    let run = app.ticket.checks_for(0).expect("run");
    assert_eq!(run.planned, 2);
    assert_eq!(run.results.len(), 2);
    assert_eq!(
        run.result_for("submission").map(|r| r.status),
        Some(Status::Fail)
    );
    assert!(run.result_for("recipient-mx").is_some());

    let saved = serde_json::to_string(&app.ticket).expect("ticket JSON");
    assert!(!saved.contains(PASSWORD), "the password reached the ticket");
    assert!(saved.contains("AUTH test refused"));
    let screen = screen_text(&render(&mut app, 120, 40));
    assert!(screen.contains("AUTH test refused: 535 5.7.8"), "{screen}");
    assert!(!screen.contains(PASSWORD));
}

#[test]
fn no_submission_server_no_prompt_and_esc_sends_nothing() {
    let mut app = checked_app(false);
    let effects = drive(&mut app, [Intent::StartAuthTest]);
    assert!(effects.is_empty());
    assert!(matches!(app.overlay, Overlay::Checks { .. }));
    assert!(
        status(&app).contains("no submission server"),
        "{}",
        status(&app)
    );

    let mut app = checked_app(true);
    drive(&mut app, [Intent::StartAuthTest]);
    drive(&mut app, typed(PASSWORD));
    let effects = drive(&mut app, [Intent::Close]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(app.overlay, Overlay::None));
    assert!(
        status(&app).contains("nothing was sent"),
        "{}",
        status(&app)
    );

    // Enter with an empty password: nothing starts.
    drive(&mut app, [Intent::ShowChecks, Intent::StartAuthTest]);
    let effects = drive(&mut app, [Intent::Confirm]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        status(&app).contains("AUTH test not run"),
        "{}",
        status(&app)
    );

    // `a` outside the Checks view does nothing.
    drive(&mut app, [Intent::Close]);
    let effects = drive(&mut app, [Intent::StartAuthTest]);
    assert!(effects.is_empty());
    assert!(matches!(app.overlay, Overlay::None));
}
