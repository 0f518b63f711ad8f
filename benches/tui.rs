//! TUI latency: paste → first frame for a 10 KB and a 5 MB bounce (and a 5 MB single
//! line) on a 200×60 TestBackend, a redraw of an already-pasted 5 MB bounce, and start-up
//! (ticket open + playbooks + app + first frame), and the frame while live-check results
//! land in the open Checks view (`d`).
//!
//! Targets: 10 KB < 2 ms, 5 MB < 100 ms. Run: `cargo bench --bench tui`.

use std::hint::black_box;

use bouncebook::playbook;
use bouncebook::ticket::{self, Ticket};
use bouncebook::tui::{App, Intent, view};
use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const HEAD: &str = include_str!("../tests/fixtures/tui/relay-exim.txt");

/// A realistic bounce of about `size` bytes: an Exim bounce, then the returned message
/// with a base64 attachment (76-column lines) making up the rest.
fn bounce_of(size: usize) -> String {
    let mut text = String::with_capacity(size + 200);
    text.push_str(HEAD);
    text.push_str("Content-Type: application/pdf; name=\"invoice.pdf\"\n");
    text.push_str("Content-Transfer-Encoding: base64\n\n");
    let line = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29k\n";
    while text.len() < size {
        text.push_str(line);
    }
    text
}

fn one_line_of(size: usize) -> String {
    format!(
        "553 5.1.1 <{}@example.com>: user unknown\n",
        "a".repeat(size)
    )
}

fn app() -> App {
    let now = Utc::now();
    let mut app = App::new(
        Ticket::new("bench", now),
        playbook::load(None, &[]),
        Box::new(Utc::now),
    );
    app.update(Intent::Resize {
        width: 200,
        height: 60,
    });
    app
}

fn paste_to_frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("paste_to_frame_200x60");
    group.sample_size(20);
    for (name, text) in [
        ("10KB", bounce_of(10 * 1024)),
        ("5MB", bounce_of(5 * 1024 * 1024)),
        ("5MB_one_line", one_line_of(5 * 1024 * 1024)),
    ] {
        let mut app = app();
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| match e {});
        group.bench_function(name, |b| {
            b.iter_batched(
                || text.clone(),
                |text| {
                    // The same text each time: no history grows between iterations.
                    black_box(app.update(Intent::Paste(text)));
                    terminal
                        .draw(|f| view(&app, f))
                        .unwrap_or_else(|e| match e {});
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn redraw(c: &mut Criterion) {
    let mut app = app();
    app.update(Intent::Paste(bounce_of(5 * 1024 * 1024)));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| match e {});
    c.bench_function("redraw_after_scroll_5MB_200x60", |b| {
        b.iter(|| {
            app.update(Intent::NextPane);
            app.update(Intent::PageDown);
            terminal
                .draw(|f| view(&app, f))
                .unwrap_or_else(|e| match e {});
        })
    });
}

fn startup(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    c.bench_function("startup_to_first_frame_200x60", |b| {
        b.iter(|| {
            let now = Utc::now();
            let opened = ticket::open(dir.path(), "startup", now).unwrap_or_else(|e| panic!("{e}"));
            let playbooks = playbook::load(None, &[]);
            let mut app = App::new(opened.ticket, playbooks, Box::new(Utc::now));
            app.update(Intent::Resize {
                width: 200,
                height: 60,
            });
            let mut terminal =
                Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| match e {});
            terminal
                .draw(|f| view(&app, f))
                .unwrap_or_else(|e| match e {});
            black_box(&terminal);
        })
    });
}

/// One live-check result lands (as the event loop feeds it) and the frame is drawn, with
/// the Checks view open over a pasted bounce: the UI's cost per result while checks run.
/// A run holds `PLANNED` results; then a new run starts, as `r` would.
fn check_lands_to_frame(c: &mut Criterion) {
    use bouncebook::checks::{CheckResult, Status};
    const PLANNED: usize = 20;
    let mut app = app();
    app.update(Intent::Paste(bounce_of(10 * 1024)));
    app.update(Intent::ShowChecks);
    let transcript: Vec<String> = [
        "S: 220 mx.supplier-example.org ESMTP Postfix",
        "C: EHLO agent-box.example",
        "S: 250-mx.supplier-example.org",
        "S: 250-PIPELINING",
        "S: 250-SIZE 52428800",
        "S: 250-STARTTLS",
        "S: 250 8BITMIME",
        "C: STARTTLS",
        "S: 220 2.0.0 Ready to start TLS",
        "-- TLS --",
        "C: QUIT",
        "S: 221 2.0.0 Bye",
    ]
    .map(String::from)
    .to_vec();
    let results: Vec<CheckResult> = (0..PLANNED)
        .map(|i| {
            CheckResult::new(
                ["recipient-mx", "dnsbl", "recipient-smtp", "sender-spf"][i % 4],
                &format!("target-{i}.supplier-example.org"),
                [Status::Ok, Status::Warn, Status::Fail, Status::Error][i % 4],
                "mx.supplier-example.org [203.0.113.25]:25 answers, offers STARTTLS (TLSv1_3 TLS13_AES_256_GCM_SHA384), certificate valid",
                transcript.clone(),
                "127.0.0.1:53",
                std::time::Duration::from_millis(40),
            )
        })
        .collect();
    let start_run = |app: &mut App| {
        app.update(Intent::ChecksStarted {
            record: 0,
            started: Utc::now(),
            host: "agent-box.example".into(),
            resolver: "127.0.0.1:53".into(),
            planned: PLANNED,
        });
    };
    start_run(&mut app);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| match e {});
    let mut next = 0;
    c.bench_function("check_lands_to_frame_200x60", |b| {
        b.iter(|| {
            if next == PLANNED {
                start_run(&mut app);
                next = 0;
            }
            app.update(Intent::CheckLanded {
                record: 0,
                result: results[next].clone(),
            });
            next += 1;
            terminal
                .draw(|f| view(&app, f))
                .unwrap_or_else(|e| match e {});
        })
    });
}

criterion_group!(
    benches,
    paste_to_frame,
    redraw,
    startup,
    check_lands_to_frame
);
criterion_main!(benches);
