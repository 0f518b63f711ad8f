//! Peak memory of the bouncebook process itself after a 5 MB paste and a tick, in a real
//! terminal: the release binary runs in tmux, the bounce is pasted with `tmux load-buffer`
//! and `paste-buffer -p` (bracketed, as a terminal pastes), `Space` ticks the first step,
//! and `VmHWM` is read from `/proc/<pid>/status` of the bouncebook process (found as the
//! child of the pane's shell: never tmux, whose client shows far less).
//!
//! Three shapes of about 5 MB: a bounce followed by many 100-character lines, a bounce
//! followed by one 5 MB line, and a bounce whose returned message carries a 5 MB base64
//! attachment. Exits non-zero when any peak reaches the target.
//!
//! Run: `cargo bench --bench memory` (needs tmux).

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::ExitCode;

use support::Tmux;

/// The target: under 40 MB (decimal, so 40,000 kB as `/proc` counts them).
const TARGET_KB: u64 = 40_000;
const SIZE: usize = 5 * 1024 * 1024;
const HEAD: &str = include_str!("../tests/fixtures/tui/relay-exim.txt");

fn many_lines() -> String {
    let mut text = String::with_capacity(SIZE + 200);
    text.push_str(HEAD);
    let mut n = 0usize;
    while text.len() < SIZE {
        n += 1;
        let line = format!("body line {n:>8} ");
        text.push_str(&line);
        text.push_str(&"x".repeat(99 - line.len()));
        text.push('\n');
    }
    text
}

fn one_long_line() -> String {
    let mut text = String::with_capacity(SIZE + 200);
    text.push_str(HEAD);
    text.push('\n');
    text.push_str(&"y".repeat(SIZE - text.len()));
    text.push('\n');
    text
}

/// A DSN (multipart/report) whose returned message has a 5 MB base64 attachment in
/// 76-column lines.
fn base64_attachment() -> String {
    let mut text = String::with_capacity(SIZE + 4096);
    text.push_str(concat!(
        "From: Mail Delivery System <MAILER-DAEMON@mail.host-example.net>\n",
        "To: ana@shop-example.com\n",
        "Subject: Undelivered Mail Returned to Sender\n",
        "Date: Sat, 28 Nov 2026 14:02:11 +0100\n",
        "MIME-Version: 1.0\n",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R1\"\n",
        "\n",
        "--R1\n",
        "Content-Type: text/plain\n",
        "\n",
        "I'm sorry to have to inform you that your message could not be delivered.\n",
        "<orders@supplier-example.org>: host mx.supplier-example.org[203.0.113.25] said:\n",
        "    553 5.7.1 <orders@supplier-example.org>: Relay access denied (in reply to RCPT TO command)\n",
        "\n",
        "--R1\n",
        "Content-Type: message/delivery-status\n",
        "\n",
        "Reporting-MTA: dns; mail.host-example.net\n",
        "\n",
        "Final-Recipient: rfc822; orders@supplier-example.org\n",
        "Action: failed\n",
        "Status: 5.7.1\n",
        "Diagnostic-Code: smtp; 553 5.7.1 <orders@supplier-example.org>: Relay access denied\n",
        "\n",
        "--R1\n",
        "Content-Type: message/rfc822\n",
        "\n",
        "From: Ana Lopez <ana@shop-example.com>\n",
        "To: orders@supplier-example.org\n",
        "Subject: Order 7731\n",
        "Message-ID: <a1b2c3@shop-example.com>\n",
        "MIME-Version: 1.0\n",
        "Content-Type: multipart/mixed; boundary=\"M2\"\n",
        "\n",
        "--M2\n",
        "Content-Type: text/plain\n",
        "\n",
        "The invoice is attached.\n",
        "\n",
        "--M2\n",
        "Content-Type: application/pdf; name=\"invoice.pdf\"\n",
        "Content-Transfer-Encoding: base64\n",
        "\n",
    ));
    let line = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29k\n";
    while text.len() < SIZE {
        text.push_str(line);
    }
    text.push_str("\n--M2--\n\n--R1--\n");
    text
}

/// A shape's name and how to make its text.
type Shape = (&'static str, fn() -> String);

/// `VmHWM` of `pid`, in kB.
fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("cannot read /proc/{pid}/status: {e}"));
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmHWM in /proc/{pid}/status"))
}

/// Paste `text` into a fresh app, tick the first step, and read the app's peak: before
/// the paste and at the end.
fn measure(name: &str, text: &str) -> Option<(u64, u64)> {
    let t = Tmux::new(&format!("mem-{name}"))?;
    t.start(&t.app_command("mem"));
    t.wait_text("paste a bounce");
    let pid = t.app_pid();
    let idle = peak_kb(pid);
    t.paste(text);
    t.wait_for("the paste saved", |s| {
        s.contains("parsed") && s.contains("saved")
    });
    t.keys(&["Space"]);
    t.wait_text("ticked");
    t.wait_for("the tick saved", |s| {
        s.contains("ticked") && s.contains("saved")
    });
    let kb = peak_kb(pid);
    t.keys(&["q"]);
    t.wait_text("EXITED 0");
    Some((idle, kb))
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; a filter (any other argument) picks shapes by name.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let shapes: [Shape; 3] = [
        ("many_lines", many_lines),
        ("one_long_line", one_long_line),
        ("base64_attachment", base64_attachment),
    ];
    let mut over = false;
    for (name, make) in shapes {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let text = make();
        // Without tmux this says so once per shape (under CI=true it fails).
        let Some((idle, kb)) = measure(name, &text) else {
            continue;
        };
        let verdict = if kb < TARGET_KB { "ok" } else { "OVER" };
        println!(
            "peak_rss_after_5MB_paste/{name:<18} VmHWM {kb:>6} kB ({:.1} MB; {idle} kB before the paste; paste {} bytes; target < {TARGET_KB} kB) {verdict}",
            kb as f64 / 1000.0,
            text.len()
        );
        over |= kb >= TARGET_KB;
    }
    if over {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
