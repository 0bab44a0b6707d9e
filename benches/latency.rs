//! Native speed on the BBC corpus: indexing throughput and per-query latency (p50, p95) over
//! 500 queries drawn from the corpus itself. Run with `make bench` (or `cargo bench --bench
//! latency`); needs `../shared/data/bbc`.
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

use newslens::{parse, Analyzer, Corpus, Format};
use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;

/// A small deterministic generator, so every run draws the same queries.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as usize
    }
}

/// 100 queries of each kind, drawn from the articles' own words.
fn queries(corpus: &Corpus) -> Vec<(&'static str, String)> {
    let analyzer = Analyzer::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::new();
    let docs: Vec<newslens::Document> = corpus.documents().collect();
    let words_of = |i: usize| -> Vec<String> {
        let a = &docs[i].article;
        let text = a.paragraphs().first().map(|p| p.text()).unwrap_or("");
        analyzer
            .tokens(text)
            .into_iter()
            .map(|t| text[t.start..t.end].to_string())
            .filter(|w| w.chars().all(char::is_alphabetic))
            .collect()
    };
    let content = |w: &String| w.len() >= 4 && !newslens::is_stop_word(&w.to_lowercase());
    while out.len() < 500 {
        let words = words_of(rng.next() % docs.len());
        if words.len() < 4 {
            continue;
        }
        let i = rng.next() % (words.len() - 3);
        let w = &words[i];
        let kind = out.len() / 100;
        let q = match kind {
            0 if content(w) => format!("{w} "),
            1 if content(w) && content(&words[i + 1]) => format!("{w} {} ", words[i + 1]),
            2 => format!("\"{} {} {}\"", words[i], words[i + 1], words[i + 2]),
            3 if w.chars().count() >= 6 => w.chars().take(4).collect::<String>(),
            4 if w.chars().count() >= 5 && content(w) => {
                let mut c: Vec<char> = w.chars().collect();
                let j = 1 + rng.next() % (c.len() - 2);
                c.swap(j, j + 1);
                format!("{} ", c.into_iter().collect::<String>())
            }
            _ => continue,
        };
        let name = ["word", "two words", "phrase", "prefix", "typo"][kind];
        out.push((name, q));
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let Some(files) = common::bbc_files() else {
        return;
    };
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mb = bytes as f64 / 1e6;

    // Parsing + indexing, best of ten runs (the machine is shared: the best run is the
    // least disturbed).
    let mut best_total = Duration::MAX;
    let mut best_parse = Duration::MAX;
    let mut corpus = Corpus::new();
    for _ in 0..10 {
        let t = Instant::now();
        let parsed: Vec<_> = files
            .iter()
            .map(|(n, b)| (n, parse(b, Format::Text).unwrap().articles))
            .collect();
        let parse_time = t.elapsed();
        let mut c = Corpus::new();
        for (n, arts) in parsed {
            for a in arts {
                c.add(n.as_str(), a);
            }
        }
        let total = t.elapsed();
        best_parse = best_parse.min(parse_time);
        best_total = best_total.min(total);
        corpus = c;
    }
    let index_only = best_total - best_parse;
    // Entity recognition and linking over the whole corpus (on a fresh copy each time: the
    // corpus computes them once), best of ten runs.
    let mut best_entities = Duration::MAX;
    for _ in 0..10 {
        let c = Corpus::from_bytes(&corpus.to_bytes()).unwrap();
        let t = Instant::now();
        black_box(c.entities());
        best_entities = best_entities.min(t.elapsed());
    }
    // The same on one thread (as in the browser): one tagger for every article.
    let mut best_serial = Duration::MAX;
    let docs: Vec<newslens::Document> = corpus.documents().collect();
    let articles: Vec<&newslens::Article> = docs.iter().map(|d| &d.article).collect();
    for _ in 0..10 {
        let t = Instant::now();
        black_box(newslens::EntityIndex::build(
            &articles,
            &newslens::ner::Model::bundled(),
        ));
        best_serial = best_serial.min(t.elapsed());
    }
    println!("corpus: {} BBC articles, {:.2} MB", corpus.len(), mb);
    println!(
        "parse + index: {:.1} ms = {:.1} MB/s (parse {:.1} MB/s, index {:.1} MB/s)",
        best_total.as_secs_f64() * 1e3,
        mb / best_total.as_secs_f64(),
        mb / best_parse.as_secs_f64(),
        mb / index_only.as_secs_f64()
    );
    println!(
        "entities (recognition + linking, every core): {:.1} ms = {:.1} MB/s; parse + index + entities {:.1} MB/s",
        best_entities.as_secs_f64() * 1e3,
        mb / best_entities.as_secs_f64(),
        mb / (best_total + best_entities).as_secs_f64()
    );
    println!(
        "  on one thread: {:.1} ms = {:.1} MB/s; parse + index + entities {:.1} MB/s",
        best_serial.as_secs_f64() * 1e3,
        mb / best_serial.as_secs_f64(),
        mb / (best_total + best_serial).as_secs_f64()
    );
    let t = Instant::now();
    let index_bytes = corpus.to_bytes();
    let save = t.elapsed();
    let t = Instant::now();
    let loaded = Corpus::from_bytes(&index_bytes).unwrap();
    let load = t.elapsed();
    assert_eq!(loaded.len(), corpus.len());
    println!(
        "index file: {:.2} MB, written in {:.1} ms, loaded in {:.1} ms",
        index_bytes.len() as f64 / 1e6,
        save.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3
    );

    let qs = queries(&corpus);
    // Warm up, then time each query as the best of 15 runs (ranking only, and with snippets).
    for (_, q) in &qs {
        black_box(corpus.search(q, 10));
    }
    let mut rank_times: Vec<(&str, Duration)> = Vec::new();
    let mut full_times: Vec<(&str, Duration)> = Vec::new();
    for (kind, q) in &qs {
        let mut best_rank = Duration::MAX;
        let mut best_full = Duration::MAX;
        for _ in 0..15 {
            let t = Instant::now();
            black_box(corpus.rank(q, 10));
            best_rank = best_rank.min(t.elapsed());
            let t = Instant::now();
            black_box(corpus.search(q, 10));
            best_full = best_full.min(t.elapsed());
        }
        rank_times.push((kind, best_rank));
        full_times.push((kind, best_full));
    }
    println!(
        "\nquery latency over {} queries (best of 15 runs each), top 10:",
        qs.len()
    );
    println!(
        "{:<10} {:>12} {:>12} {:>16} {:>16}",
        "kind", "rank p50", "rank p95", "+snippets p50", "+snippets p95"
    );
    for kind in ["word", "two words", "phrase", "prefix", "typo", "all"] {
        let pick = |v: &[(&str, Duration)]| {
            let mut d: Vec<Duration> = v
                .iter()
                .filter(|(k, _)| kind == "all" || *k == kind)
                .map(|(_, d)| *d)
                .collect();
            d.sort();
            d
        };
        let (r, f) = (pick(&rank_times), pick(&full_times));
        let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
        println!(
            "{:<10} {:>12} {:>12} {:>16} {:>16}",
            kind,
            us(percentile(&r, 0.5)),
            us(percentile(&r, 0.95)),
            us(percentile(&f, 0.5)),
            us(percentile(&f, 0.95))
        );
    }
    large_corpus(&files);
}

/// A kilobyte figure from `/proc/self/status` (Linux), if there.
fn proc_kb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A corpus of about 100 MB (the BBC articles twenty times over, under different names):
/// parse + index + entities time, a query, and the memory it takes (resident set growth and
/// peak), against the corpus limit.
fn large_corpus(files: &[(String, Vec<u8>)]) {
    let rss0 = proc_kb("VmRSS:");
    let t = Instant::now();
    let mut c = Corpus::new();
    let mut refused = 0;
    for copy in 0..20 {
        for (n, b) in files {
            for a in parse(b, Format::Text).unwrap().articles {
                if c.try_add(format!("{copy}/{n}"), a).is_err() {
                    refused += 1;
                }
            }
        }
    }
    let indexed = t.elapsed();
    let t = Instant::now();
    black_box(c.entities());
    let entities = t.elapsed();
    let t = Instant::now();
    black_box(c.search("prime minister ", 10));
    let query = t.elapsed();
    let mb = c.text_bytes() as f64 / 1e6;
    println!(
        "\nlarge corpus: {} articles, {:.1} MB of text ({} refused at the {} MB limit)",
        c.len(),
        mb,
        refused,
        newslens::MAX_CORPUS_BYTES >> 20
    );
    println!(
        "  parse + index {:.1} s, entities {:.1} s, the first query (which sorts the word list) {:.2} ms",
        indexed.as_secs_f64(),
        entities.as_secs_f64(),
        query.as_secs_f64() * 1e3
    );
    match (rss0, proc_kb("VmRSS:"), proc_kb("VmHWM:")) {
        (Some(a), Some(b), Some(peak)) => println!(
            "  memory: resident set grew by {:.0} MB ({:.1}× the text); peak {:.0} MB",
            (b - a) / 1024.0,
            (b - a) / 1024.0 / mb,
            peak / 1024.0
        ),
        _ => println!("  memory: not measured (no /proc/self/status)"),
    }
    // Past the limit: more copies until an article is refused; the corpus keeps what it had.
    let refusal = (20..40).find_map(|copy| {
        files.iter().find_map(|(n, b)| {
            let a = parse(b, Format::Text).ok()?.articles.into_iter().next()?;
            let (len, bytes) = (c.len(), c.text_bytes());
            match c.try_add(format!("{copy}/{n}"), a) {
                Ok(_) => None,
                Err(e) => Some((e, c.len() == len && c.text_bytes() == bytes)),
            }
        })
    });
    if let Some((e, unchanged)) = refusal {
        println!(
            "  at the limit: {} articles, {:.1} MB of text; refused ({}): {e}",
            c.len(),
            c.text_bytes() as f64 / 1e6,
            if unchanged {
                "the corpus unchanged"
            } else {
                "THE CORPUS CHANGED"
            }
        );
    }
    if let (Some(a), Some(b), Some(peak)) = (rss0, proc_kb("VmRSS:"), proc_kb("VmHWM:")) {
        println!(
            "  memory at the limit: resident set grew by {:.0} MB; peak {:.0} MB",
            (b - a) / 1024.0,
            peak / 1024.0
        );
    }
}
