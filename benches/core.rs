//! Native figures with criterion (`cargo bench --bench core`): analysis, parsing, indexing,
//! entity recognition, each kind of query, and snippet building. On the BBC articles when
//! `../shared/data/bbc` is there, else on the bundled corpus.
#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    missing_debug_implementations
)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use newslens::{parse, Analyzer, Article, Corpus, EntityIndex, Format};
use std::time::Duration;

mod common;

/// (name, raw bytes) of the BBC articles, or of the bundled corpus without them.
fn files() -> Vec<(String, Vec<u8>)> {
    common::bbc_files().unwrap_or_else(|| {
        eprintln!("benchmarking on the bundled corpus");
        newslens::SEEDS
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect()
    })
}

fn articles(files: &[(String, Vec<u8>)]) -> Vec<(String, Article)> {
    files
        .iter()
        .flat_map(|(n, b)| {
            let parsed = parse(b, Format::Text).unwrap().articles;
            parsed.into_iter().map(move |a| (n.clone(), a))
        })
        .collect()
}

fn pipeline(c: &mut Criterion) {
    let files = files();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let arts = articles(&files);
    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for (_, f) in &files {
                black_box(parse(f, Format::Text).unwrap());
            }
        })
    });
    let analyzer = Analyzer::default();
    g.bench_function("analyze", |b| {
        b.iter(|| {
            let mut n = 0;
            for (_, a) in &arts {
                analyzer.for_each_word(a.source(), |_, _, _| n += 1);
            }
            black_box(n)
        })
    });
    g.bench_function("index", |b| {
        b.iter(|| {
            let mut corpus = Corpus::new();
            for (n, a) in &arts {
                corpus.add(n.as_str(), a.clone());
            }
            black_box(corpus.len())
        })
    });
    let refs: Vec<&Article> = arts.iter().map(|(_, a)| a).collect();
    g.bench_function("entities (one thread)", |b| {
        b.iter(|| black_box(EntityIndex::build(&refs, &newslens::ner::Model::bundled())))
    });
    g.finish();
}

fn queries(c: &mut Criterion) {
    let files = files();
    let mut corpus = Corpus::new();
    for (n, a) in articles(&files) {
        corpus.add(n, a);
    }
    corpus.entities();
    let kinds = [
        ("word", "election "),
        ("two words", "prime minister "),
        ("phrase", "\"general election\""),
        ("prefix", "elec"),
        ("typo", "goverment "),
        ("entity filter", "person:blair tax "),
    ];
    let mut g = c.benchmark_group("query");
    g.sample_size(30).measurement_time(Duration::from_secs(2));
    for (kind, q) in kinds {
        g.bench_with_input(BenchmarkId::new("rank", kind), q, |b, q| {
            b.iter(|| black_box(corpus.rank(q, 10)))
        });
        g.bench_with_input(BenchmarkId::new("rank + snippets", kind), q, |b, q| {
            b.iter(|| black_box(corpus.search(q, 10)))
        });
    }
    g.finish();
}

criterion_group!(benches, pipeline, queries);
criterion_main!(benches);
