//! Parse + classify speed: per message over a corpus of real bounces, and one 5 MB paste.
//!
//! Corpus: `$BOUNCEBOOK_CORPUS`, else `../shared/corpus/sisimai-dev/eml` next to the crate,
//! else the project's own fixtures. Run with `cargo bench --bench parse`.

use std::path::{Path, PathBuf};

use bouncebook::bounce;
use bouncebook::classify::Classifier;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

/// The allocator the `bouncebook` binary runs with (see src/main.rs), so that these figures
/// are the binary's.
#[global_allocator]
static GLOBAL: bouncebook::allocator::Allocator = bouncebook::allocator::Allocator;

fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BOUNCEBOOK_CORPUS") {
        return PathBuf::from(dir);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared/corpus/sisimai-dev/eml");
    if shared.is_dir() {
        shared
    } else {
        manifest.join("tests/fixtures/bounces")
    }
}

fn load_messages(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

fn parse_and_classify(c: &mut Criterion) {
    let dir = corpus_dir();
    let messages = load_messages(&dir);
    assert!(!messages.is_empty(), "no messages under {}", dir.display());
    let playbooks = bouncebook::playbook::embedded();
    let classifier = Classifier::new(&playbooks);

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Elements(1));
    // One iteration = one message, cycling through the corpus: the median is per message.
    let mut next = 0usize;
    group.bench_function(
        format!("parse+classify per message ({} files)", messages.len()),
        |b| {
            b.iter(|| {
                let msg = &messages[next % messages.len()];
                next += 1;
                if let Ok(parsed) = bounce::parse(msg) {
                    for r in &parsed.records {
                        std::hint::black_box(classifier.classify(r));
                    }
                }
            })
        },
    );
    // The floor under the line above: mail-parser alone, as `bounce::parse` configures it.
    let mut next = 0usize;
    group.bench_function(
        format!("mail-parser alone per message ({} files)", messages.len()),
        |b| {
            b.iter(|| {
                let msg = &messages[next % messages.len()];
                next += 1;
                std::hint::black_box(bounce::message_parser().parse(msg).map(|m| m.parts.len()))
            })
        },
    );
    group.finish();

    let mut big = c.benchmark_group("paste");
    big.sample_size(10);
    let mut paste =
        b"<ann@mill.example>: host mx.mill.example[192.0.2.1] said: 553 5.7.1 no relay\n\n"
            .to_vec();
    let filler = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n";
    while paste.len() < 5 * 1024 * 1024 {
        paste.extend_from_slice(filler);
    }
    big.throughput(Throughput::Bytes(paste.len() as u64));
    big.bench_function("parse 5 MB paste", |b| {
        b.iter_batched(|| (), |()| bounce::parse(&paste), BatchSize::SmallInput)
    });
    big.finish();
}

criterion_group!(benches, parse_and_classify);
criterion_main!(benches);
