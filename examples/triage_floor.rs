//! The floor under `bouncebook triage --json DIR`: what listing, reading and mail-parser
//! alone cost, with the same threads, allocator and parser configuration, and nothing of
//! our own extraction, classification or JSON. Run it beside the real thing to see how much
//! of a run is ours:
//!
//! ```text
//! cargo build --release --example triage_floor
//! target/release/examples/triage_floor DIR          # list + read + mail-parser
//! target/release/examples/triage_floor DIR --read   # list + read only
//! ```
//!
//! It prints one short line per file so the output is not optimised away.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

#[global_allocator]
static GLOBAL: bouncebook::allocator::Allocator = bouncebook::allocator::Allocator;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: triage_floor DIR [--read]");
        std::process::exit(2);
    };
    let parse = args.next().as_deref() != Some("--read");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let parser = bouncebook::bounce::message_parser();
    let outputs: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let bytes = std::fs::read(path).unwrap_or_default();
                        let parts = if parse {
                            parser.parse(&bytes[..]).map_or(0, |m| m.parts.len())
                        } else {
                            0
                        };
                        let _ = writeln!(out, "{} {} {parts}", path.display(), bytes.len());
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut stdout = std::io::stdout().lock();
    for out in outputs {
        stdout.write_all(&out)?;
    }
    Ok(())
}
