//! The Checks view (`d`) in a real terminal: tmux runs the binary against the loopback DNS
//! and SMTP servers of `netsim` (BOUNCEBOOK_RESOLVER / BOUNCEBOOK_SMTP_PORT), a bounce is
//! pasted, `d` shows the results as they land, and the summary holds them. A hostile server
//! sends OSC 52: with tmux's `set-clipboard on`, no clipboard write may arrive.

mod netsim;
mod support;

use std::time::{Duration, Instant};

use support::Tmux;

/// The usual test bounce: someone@rcpt.test refused, sent by customer@sender.test.
fn bounce() -> String {
    netsim::bounce("rcpt.test")
}

/// A relay refusal reported by `mx.sender.test`: the checks test that host as the
/// customer's submission server (on loopback in the test zones).
const RELAY_DENIED: &str = "Return-path: <>\n\
From: Mail Delivery System <Mailer-Daemon@mx.sender.test>\n\
To: customer@sender.test\n\
Subject: Mail delivery failed: returning message to sender\n\
Date: Sat, 5 Dec 2026 10:00:00 +0000\n\
\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\
\n\
  someone@rcpt.test\n\
    SMTP error from remote mail server after RCPT TO:<someone@rcpt.test>:\n\
    553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\n";

fn start(t: &Tmux, smtp: netsim::Smtp, timeout_ms: &str) -> String {
    start_with(t, smtp, timeout_ms, &bounce())
}

fn start_with(t: &Tmux, smtp: netsim::Smtp, timeout_ms: &str, bounce: &str) -> String {
    let dns = netsim::start_dns(netsim::test_zones()).addr.to_string();
    let port = netsim::start_smtp(smtp).to_string();
    std::fs::create_dir_all(t.config_dir()).expect("config dir");
    std::fs::write(
        t.config_dir().join("dnsbl.txt"),
        "bl.listed.test https://bl.listed.test/remove\nbl.clean.test\n",
    )
    .expect("dnsbl.txt");
    t.start_with_env(
        &t.app_command("chk1"),
        &[
            ("BOUNCEBOOK_RESOLVER", dns.as_str()),
            ("BOUNCEBOOK_SMTP_PORT", port.as_str()),
            ("BOUNCEBOOK_CHECK_TIMEOUT_MS", timeout_ms),
        ],
    );
    t.wait_text("No bounce yet");
    t.paste(bounce);
    t.wait_text("Checklist");
    dns
}

#[test]
fn d_shows_results_as_they_land_and_the_summary_holds_them() {
    let Some(t) = Tmux::new("checks-d") else {
        return;
    };
    let dns = start(
        &t,
        netsim::Smtp::Friendly {
            cert: netsim::self_signed(&["mx.rcpt.test"]),
        },
        "2000",
    );
    t.keys(&["d"]);
    let screen = t.wait_for("every check landed", |s| s.contains("live checks done"));
    println!("{screen}");
    assert!(screen.contains(&format!("Resolver {dns}")), "{screen}");
    assert!(screen.contains(" · from "), "{screen}");
    assert!(screen.contains("recipient-mx"), "{screen}");
    assert!(screen.contains("MX 10 mx.rcpt.test"), "{screen}");
    assert!(screen.contains("dnsbl"), "{screen}");
    assert!(screen.contains("listed on bl.listed.test"), "{screen}");

    // The playbook's step that names a check shows its result inline.
    t.keys(&["Escape"]);
    t.wait_for("checks view closed", |s| !s.contains("Live checks ·"));
    t.keys(&["s"]);
    t.wait_text("Escalation summary ·");
    // The section sits below the first screenful: page down to it.
    let mut summary = t.screen();
    for _ in 0..8 {
        if summary.contains("Live checks:") {
            break;
        }
        t.keys(&["PageDown"]);
        std::thread::sleep(Duration::from_millis(150));
        summary = t.screen();
    }
    assert!(summary.contains("Live checks:"), "{summary}");
    assert!(summary.contains("Checks run at "), "{summary}");
    assert!(summary.contains(&format!("(resolver {dns})")), "{summary}");
    t.keys(&["Escape"]);
    // Escape then q at once would reach the app as Alt-q.
    t.wait_for("summary closed", |s| !s.contains("Escalation summary ·"));
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let ticket = std::fs::read_to_string(t.ticket_path("chk1")).expect("ticket file");
    assert!(
        ticket.contains("\"checks\""),
        "results saved with the ticket"
    );
    assert!(ticket.contains("recipient-mx"));
}

#[test]
fn a_hostile_banner_is_shown_clean_and_no_osc_52_arrives() {
    let Some(t) = Tmux::new("checks-osc52") else {
        return;
    };
    start(&t, netsim::Smtp::Osc52Trickle, "1500");
    let set = t.tmux(&["set", "-s", "set-clipboard", "on"]);
    assert!(set.status.success());
    t.keys(&["d"]);
    let screen = t.wait_for("every check landed", |s| s.contains("live checks done"));
    println!("{screen}");
    assert!(screen.contains("per-reply deadline"), "{screen}");
    // The banner's text is there, its escape sequences are not.
    assert!(screen.contains("evil.test ESMTP"), "{screen}");
    assert!(screen.contains("<U+202E>"), "{screen}");
    assert!(!screen.contains("52;c;"), "{screen}");
    t.keys(&["q"]);
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let buffers = t.tmux(&["list-buffers", "-F", "#{buffer_sample}"]);
    let listed = String::from_utf8_lossy(&buffers.stdout);
    assert!(
        !listed.contains("hacked"),
        "an OSC 52 reached tmux: {listed}"
    );
}

#[test]
fn a_silent_server_never_holds_up_the_ui_or_quitting() {
    let Some(t) = Tmux::new("checks-silent") else {
        return;
    };
    // A long deadline: the silent server is still being waited on when the agent quits.
    start(&t, netsim::Smtp::Silent, "20000");
    t.keys(&["d"]);
    t.wait_for("DNS results landed while SMTP waits", |s| {
        s.contains("recipient-mx") && s.contains("running…")
    });
    // The UI answers while the check runs.
    t.keys(&["Escape"]);
    t.wait_for("checks view closed", |s| !s.contains("Live checks ·"));
    let quit = Instant::now();
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    assert!(
        quit.elapsed() < Duration::from_secs(3),
        "quitting waited for the checks: {:?}",
        quit.elapsed()
    );
}

#[test]
fn a_runs_the_auth_test_with_a_masked_password_that_is_never_kept() {
    let Some(t) = Tmux::new("checks-auth") else {
        return;
    };
    let password = "Hunter2-secret";
    // A certificate no trusted CA signed: the engine must refuse to send the password.
    let cert = netsim::self_signed(&["mx.sender.test"]);
    start_with(&t, netsim::Smtp::Friendly { cert }, "2000", RELAY_DENIED);
    t.keys(&["d"]);
    t.wait_for("every check landed", |s| s.contains("live checks done"));
    t.keys(&["a"]);
    t.wait_text("AUTH test · the customer's own server");
    t.keys(&[password]);
    let screen = t.wait_for("the password drawn as dots", |s| {
        s.contains(&"•".repeat(password.len()))
    });
    println!("{screen}");
    assert!(
        screen.contains("User      customer@sender.test"),
        "{screen}"
    );
    assert!(
        screen.contains("Logs in once at mx.sender.test:"),
        "{screen}"
    );
    assert!(!screen.contains(password), "{screen}");
    t.keys(&["Enter"]);
    let screen = t.wait_for("the AUTH test landed", |s| {
        s.contains("live checks done") && s.contains("not sending credentials")
    });
    println!("{screen}");
    assert!(!screen.contains(password), "{screen}");
    t.keys(&["Escape"]);
    t.wait_for("checks view closed", |s| !s.contains("Live checks ·"));
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    let ticket = std::fs::read_to_string(t.ticket_path("chk1")).expect("ticket file");
    assert!(ticket.contains("not sending credentials"), "{ticket}");
    assert!(
        !ticket.contains(password),
        "the password reached the ticket file"
    );
}
