//! `bouncebook check` against the loopback network of `netsim`: the JSON Lines contract, exit
//! codes, and the hostile servers of issue 19 (bounded in time, nothing raw on stdout).

mod netsim;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_bouncebook");

use netsim::bounce;

struct Run {
    out: Output,
    elapsed: Duration,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn lines(&self) -> Vec<Value> {
        self.stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
    fn by_check(&self, check: &str) -> Vec<Value> {
        self.lines()
            .into_iter()
            .filter(|v| v["check"] == check)
            .collect()
    }
}

fn check(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    check_in(dir.path(), args, stdin, env)
}

/// `bouncebook check` with its data and config dirs under `dir` (kept by the caller, so a
/// test can prepare a ticket or a config.yaml there and read what the run left).
fn check_in(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.arg("check")
        .args(args)
        .env("BOUNCEBOOK_DATA_DIR", dir.join("data"))
        .env("BOUNCEBOOK_CONFIG_DIR", dir.join("config"))
        .env("BOUNCEBOOK_CHECK_TIMEOUT_MS", "1500")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // The test zones' blocklists replace the public ones.
    std::fs::create_dir_all(dir.join("config")).expect("config dir");
    std::fs::write(
        dir.join("config/dnsbl.txt"),
        "bl.listed.test https://bl.listed.test/remove\nbl.clean.test\n",
    )
    .expect("dnsbl.txt");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn bouncebook");
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().expect("wait");
    Run {
        out,
        elapsed: start.elapsed(),
    }
}

fn dns() -> String {
    use std::sync::OnceLock;
    static ADDR: OnceLock<String> = OnceLock::new();
    ADDR.get_or_init(|| netsim::start_dns(netsim::test_zones()).addr.to_string())
        .clone()
}

/// The result `v` has `status` and its detail says `words`.
fn expect(v: &Value, status: &str, words: &str) {
    assert_eq!(v["status"], status, "{v}");
    let detail = v["detail"].as_str().unwrap_or("");
    assert!(detail.contains(words), "{words:?} not in {v}");
}

fn assert_no_escapes(text: &str) {
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{9b}'),
        "raw control bytes reached the output: {text:?}"
    );
    assert!(
        !text.contains('\u{202e}'),
        "a raw bidi override reached the output"
    );
}

#[test]
fn json_lines_for_the_offline_zones() {
    let port = netsim::start_smtp(netsim::Smtp::Friendly {
        cert: netsim::self_signed(&["mx.rcpt.test"]),
    });
    let run = json_against(port);
    println!("{}", run.stdout());
    assert_eq!(
        run.out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.out.stderr)
    );
    for v in run.lines() {
        let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), 7, "{v}");
        assert!(["ok", "warn", "fail", "error"].contains(&v["status"].as_str().unwrap_or("")));
        assert_eq!(v["resolver"], dns().as_str());
    }
    let mx = &run.by_check("recipient-mx")[0];
    assert_eq!(mx["status"], "ok");
    assert_eq!(mx["answers"][0], "MX 10 mx.rcpt.test");
    let spf = &run.by_check("sender-spf")[0];
    assert_eq!(spf["status"], "ok", "{spf}");
    assert_eq!(spf["answers"][0], "TXT v=spf1 ip4:203.0.113.0/24 -all");
    expect(&run.by_check("sender-dmarc")[0], "ok", "p=reject");
    // Self-signed test certificate: answered, STARTTLS works, the certificate is a warning.
    let smtp = &run.by_check("recipient-smtp")[0];
    expect(smtp, "warn", "self-signed");
    let transcript = smtp["answers"].to_string();
    assert!(
        transcript.contains("S: 220 mx.recipient.test ESMTP test"),
        "{transcript}"
    );
    assert!(transcript.contains("C: STARTTLS"), "{transcript}");
    assert!(!transcript.contains("RCPT"), "never RCPT: {transcript}");
}

#[test]
fn recipient_domain_outcomes_are_named() {
    for (domain, status, words) in [
        ("nullmx.test", "fail", "null MX (RFC 7505)"),
        ("gone.test", "fail", "NXDOMAIN"),
        ("broken.test", "fail", "SERVFAIL"),
        ("slow.test", "error", "per-query timeout"),
    ] {
        let run = check(
            &["--json", "--no-smtp", "--resolver", &dns(), "-"],
            &bounce(domain),
            &[],
        );
        let mx = run.by_check("recipient-mx");
        assert_eq!(mx.len(), 1, "{}", run.stdout());
        expect(&mx[0], status, words);
        assert!(run.by_check("recipient-smtp").is_empty(), "--no-smtp");
    }
}

#[test]
fn text_output_has_the_header_and_no_network_is_exit_1() {
    // Nothing listens on this loopback port: every DNS check says so and none ran.
    let closed = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = closed.local_addr().expect("addr").to_string();
    drop(closed);
    let run = check(
        &["--no-smtp", "--resolver", &addr, "-"],
        &bounce("rcpt.test"),
        &[],
    );
    let out = run.stdout();
    assert!(out.starts_with("Checks run at "), "{out}");
    assert!(out.contains(&format!("(resolver {addr})")), "{out}");
    assert_eq!(run.out.status.code(), Some(1), "{out}");
    assert!(
        run.elapsed < Duration::from_secs(6),
        "took {:?}",
        run.elapsed
    );
    assert!(out.contains("[error]"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let run = check(&["--resolver", "dns.example", "-"], "x", &[]);
    assert_eq!(run.out.status.code(), Some(2));
    let run = check(&[], "", &[]);
    assert_eq!(run.out.status.code(), Some(2));
}

/// The hostile servers of issue 19: each ends as an `error` naming its limit, within the
/// deadline, and nothing raw reaches stdout.
#[test]
fn hostile_smtp_servers_end_as_errors_naming_the_limit() {
    for (behaviour, words) in [
        (netsim::Smtp::Osc52Trickle, "per-reply deadline"),
        (netsim::Smtp::Silent, "per-reply deadline"),
        (netsim::Smtp::TenMegabytes, "limit 100 lines per reply"),
        (netsim::Smtp::TenMegabyteLine, "longer than 512 bytes"),
    ] {
        let port = netsim::start_smtp(behaviour);
        for json in [true, false] {
            let mut args = vec![
                "--resolver".to_string(),
                dns(),
                "--smtp-port".into(),
                port.to_string(),
            ];
            if json {
                args.insert(0, "--json".into());
            }
            args.push("-".into());
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = check(&args, &bounce("rcpt.test"), &[]);
            let out = run.stdout();
            assert_no_escapes(&out);
            assert!(
                run.elapsed < Duration::from_secs(5),
                "{words}: took {:?}",
                run.elapsed
            );
            if json {
                expect(&run.by_check("recipient-smtp")[0], "error", words);
                let total: usize = out.len();
                assert!(total < 64 * 1024, "output bounded: {total} bytes");
            }
        }
    }
}

/// `check --json` of the usual bounce against the test zones and an SMTP server on `port`.
fn json_against(port: u16) -> Run {
    let port = port.to_string();
    let args = ["--json", "--resolver", &dns(), "--smtp-port", &port, "-"];
    check(&args, &bounce("rcpt.test"), &[])
}

#[test]
fn smtp_refusal_at_connect_is_a_fail() {
    let port = netsim::start_smtp(netsim::Smtp::RefuseAtConnect);
    let run = json_against(port);
    let smtp = &run.by_check("recipient-smtp")[0];
    expect(smtp, "fail", "refuses at connect: 554");
}

#[test]
fn bad_certificates_are_warnings_with_the_reason() {
    for (cert, words) in [
        (
            netsim::self_signed(&["other.example"]),
            "self-signed or from an unknown issuer",
        ),
        (netsim::expired(&["mx.rcpt.test"]), "expired"),
    ] {
        let port = netsim::start_smtp(netsim::Smtp::Friendly { cert });
        let run = json_against(port);
        expect(&run.by_check("recipient-smtp")[0], "warn", words);
    }
}

/// A ticket `id` under `dir`'s data dir holding the usual bounce, saved as the TUI saves it.
fn saved_ticket(dir: &Path, id: &str) {
    let now = chrono::Utc::now();
    let mut opened = bouncebook::ticket::open(&dir.join("data"), id, now).expect("open ticket");
    opened.ticket.bounce = Some(bounce("rcpt.test"));
    opened.handle.save(&opened.ticket).expect("save ticket");
}

fn read_ticket(dir: &Path, id: &str) -> bouncebook::ticket::Ticket {
    let path = dir.join(format!("data/tickets/{id}.json"));
    let text = std::fs::read_to_string(&path).expect("ticket file");
    serde_json::from_str(&text).expect("ticket JSON")
}

#[test]
fn ticket_results_are_saved_into_the_ticket_and_its_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_ticket(dir.path(), "T-7");
    let port = netsim::start_smtp(netsim::Smtp::Friendly {
        cert: netsim::self_signed(&["mx.rcpt.test"]),
    });
    let port = port.to_string();
    let args = ["--json", "--resolver", &dns(), "--smtp-port", &port];
    let run = check_in(
        dir.path(),
        &[&args[..], &["--ticket", "T-7"]].concat(),
        "",
        &[],
    );
    let stderr = String::from_utf8_lossy(&run.out.stderr);
    assert_eq!(run.out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("results saved into ticket T-7"), "{stderr}");

    let ticket = read_ticket(dir.path(), "T-7");
    let saved = ticket.checks_for(0).expect("a run for record 1");
    assert_eq!(saved.resolver, dns());
    assert_eq!(saved.results.len(), saved.planned);
    let printed: Vec<String> = run.lines().iter().map(|v| v["check"].to_string()).collect();
    assert_eq!(saved.results.len(), printed.len(), "{printed:?}");
    let mx = saved
        .result_for("recipient-mx")
        .expect("recipient-mx saved");
    assert_eq!(mx.answers, ["MX 10 mx.rcpt.test"]);

    // The summary of the ticket says when and from where, with the results.
    let out = Command::new(BIN)
        .args(["summary", "--ticket", "T-7"])
        .env("BOUNCEBOOK_DATA_DIR", dir.path().join("data"))
        .env("BOUNCEBOOK_CONFIG_DIR", dir.path().join("config"))
        .output()
        .expect("summary");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("Checks run at "), "{summary}");
    assert!(
        summary.contains(&format!("(resolver {})", dns())),
        "{summary}"
    );
    assert!(summary.contains("recipient-mx rcpt.test"), "{summary}");

    // Running again replaces the record's run; nothing else of the ticket changes.
    let again = check_in(
        dir.path(),
        &["--no-smtp", "--resolver", &dns(), "--ticket", "T-7"],
        "",
        &[],
    );
    assert_eq!(again.out.status.code(), Some(0));
    let after = read_ticket(dir.path(), "T-7");
    assert_eq!(after.checks.len(), 1);
    let rerun = after.checks_for(0).expect("run");
    assert!(rerun.result_for("recipient-smtp").is_none(), "--no-smtp");
    assert_eq!(after.bounce, ticket.bounce);
}

#[test]
fn a_ticket_open_elsewhere_is_checked_but_not_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_ticket(dir.path(), "busy");
    let before = std::fs::read(dir.path().join("data/tickets/busy.json")).expect("ticket");
    // Held as the TUI holds it while the agent works the ticket. The lock `saved_ticket`
    // let go may still be held for a moment by a process another test is starting (a child
    // holds the parent's descriptors until it execs): a few tries.
    let held = (0..100)
        .find_map(|_| {
            match bouncebook::ticket::open(&dir.path().join("data"), "busy", chrono::Utc::now()) {
                Ok(h) => Some(h),
                Err(bouncebook::ticket::OpenError::Locked { .. }) => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    None
                }
                Err(e) => panic!("lock: {e}"),
            }
        })
        .expect("lock");
    let run = check_in(
        dir.path(),
        &[
            "--json",
            "--no-smtp",
            "--resolver",
            &dns(),
            "--ticket",
            "busy",
        ],
        "",
        &[],
    );
    let stderr = String::from_utf8_lossy(&run.out.stderr);
    assert_eq!(run.out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("open in another bouncebook"), "{stderr}");
    assert!(!run.by_check("recipient-mx").is_empty(), "{}", run.stdout());
    let after = std::fs::read(dir.path().join("data/tickets/busy.json")).expect("ticket");
    assert_eq!(before, after, "the locked ticket was written");
    drop(held);

    let missing = check_in(dir.path(), &["--ticket", "nope"], "", &[]);
    assert_eq!(missing.out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.out.stderr);
    assert!(stderr.contains("no ticket nope"), "{stderr}");
    assert!(!dir.path().join("data/tickets/nope.json").exists());
}

#[test]
fn config_yaml_sets_resolver_port_and_deadline_and_flags_win() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = netsim::start_smtp(netsim::Smtp::RefuseAtConnect);
    std::fs::create_dir_all(dir.path().join("config")).expect("config dir");
    std::fs::write(
        dir.path().join("config/config.yaml"),
        format!(
            "checks:\n  resolver: {}\n  smtp_port: {port}\n  timeout_ms: 1200\n",
            dns()
        ),
    )
    .expect("config.yaml");
    // No --resolver, no --smtp-port, no environment: config.yaml decides.
    let run = check_in(dir.path(), &["--json", "-"], &bounce("rcpt.test"), &[]);
    assert_eq!(
        run.out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.out.stderr)
    );
    let mx = &run.by_check("recipient-mx")[0];
    assert_eq!(mx["resolver"], dns().as_str(), "{mx}");
    let smtp = &run.by_check("recipient-smtp")[0];
    assert!(
        smtp["target"]
            .as_str()
            .unwrap_or("")
            .ends_with(&format!("port {port}")),
        "{smtp}"
    );
    assert_eq!(smtp["status"], "fail", "{smtp}");
    // The deadline from the file (the helper's variable emptied, so it does not apply):
    // slow.test answers after 5 s; with 400 ms per check the run is over well before that.
    std::fs::write(
        dir.path().join("config/config.yaml"),
        format!("checks:\n  resolver: {}\n  timeout_ms: 400\n", dns()),
    )
    .expect("config.yaml");
    let slow = check_in(
        dir.path(),
        &["--json", "--no-smtp", "-"],
        &bounce("slow.test"),
        &[("BOUNCEBOOK_CHECK_TIMEOUT_MS", "")],
    );
    let mx = &slow.by_check("recipient-mx")[0];
    assert_eq!(mx["status"], "error", "{mx}");
    assert!(mx["elapsed_ms"].as_u64().unwrap_or(u64::MAX) <= 450, "{mx}");
    assert!(
        slow.elapsed < Duration::from_secs(3),
        "took {:?}",
        slow.elapsed
    );

    // A flag beats the file; a broken file is named and the defaults apply.
    let closed = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = closed.local_addr().expect("addr").to_string();
    drop(closed);
    let flagged = check_in(
        dir.path(),
        &["--json", "--no-smtp", "--resolver", &addr, "-"],
        &bounce("rcpt.test"),
        &[],
    );
    assert_eq!(
        flagged.by_check("recipient-mx")[0]["resolver"],
        addr.as_str()
    );
    std::fs::write(
        dir.path().join("config/config.yaml"),
        "checks:\n  resolver: dns.example\n",
    )
    .expect("config.yaml");
    let broken = check_in(
        dir.path(),
        &["--json", "--no-smtp", "--resolver", &dns(), "-"],
        &bounce("rcpt.test"),
        &[],
    );
    let stderr = String::from_utf8_lossy(&broken.out.stderr);
    assert!(
        stderr.contains("checks.resolver") && stderr.contains("defaults"),
        "{stderr}"
    );
    assert_eq!(broken.out.status.code(), Some(0));
}
