//! TUI latency: paste → first frame for a 10 KB and a 5 MB bounce (and a 5 MB single
//! line) on a 200×60 TestBackend, a redraw of an already-pasted 5 MB bounce, and start-up
//! (ticket open + playbooks + app + first frame).
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

criterion_group!(benches, paste_to_frame, redraw, startup);
criterion_main!(benches);
