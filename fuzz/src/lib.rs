//! The bodies of the fuzz targets, shared with `tests/fuzz.rs`, which replays every saved input
//! (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`) in `make test`. Each body checks the
//! invariants a finding would break: no panic, spans and highlights inside their text on
//! character boundaries, a damaged index an error.

use newslens::{parse, Corpus, Format, Parsed};
use std::sync::OnceLock;

/// The parsers: the first byte picks the format (text, HTML, JSON Lines), the rest is the file.
pub fn parse_any(data: &[u8]) {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let format = match first % 3 {
        0 => Format::Text,
        1 => Format::Html,
        _ => Format::JsonLines,
    };
    if let Ok(parsed) = parse(bytes, format) {
        check_parsed(&parsed);
    }
}

fn check_parsed(parsed: &Parsed) {
    assert!(
        !parsed.articles.is_empty(),
        "a parse succeeded with no article"
    );
    for a in &parsed.articles {
        for (part, f) in a.fields() {
            let r = f.span().range();
            assert!(
                a.source().get(r.clone()).is_some(),
                "{part:?} {r:?} is not on character boundaries inside the source"
            );
            assert_eq!(&a.source()[r], f.text(), "{part:?}");
        }
    }
}

/// A small corpus: the bundled articles.
fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(Corpus::seeds)
}

/// The query parser and search: any bytes (lossily UTF-8) as a query over the seeds.
pub fn search(data: &[u8]) {
    let q = String::from_utf8_lossy(data);
    let c = corpus();
    let results = c.search(&q, 10);
    assert!(results.hits.len() <= 10);
    assert!(results.total >= results.hits.len());
    for h in &results.hits {
        assert!(h.score.is_finite(), "score {} for {q:?}", h.score);
        let s = &h.snippet;
        let mut last = 0;
        for &(a, b) in &s.highlights {
            assert!(a >= last && a < b, "highlights out of order in {s:?}");
            assert!(
                s.text.get(a..b).is_some(),
                "highlight {a}..{b} off boundaries in {s:?}"
            );
            last = b;
        }
        let d = c.get(h.doc).expect("a hit names a missing article");
        assert!(d.article.source().get(s.source.range()).is_some());
        for m in c.matches(h.doc, &q) {
            assert!(d.article.source().get(m.range()).is_some());
        }
    }
    let (total, ranked) = c.rank(&q, 10);
    assert_eq!(total, results.total);
    assert_eq!(
        ranked.iter().map(|r| r.0).collect::<Vec<_>>(),
        results.hits.iter().map(|h| h.doc).collect::<Vec<_>>()
    );
}

/// The entity recogniser and linking on any text read as an article.
pub fn entities(data: &[u8]) {
    let Ok(parsed) = parse(data, Format::Text) else {
        return;
    };
    let mut c = Corpus::new();
    for a in parsed.articles {
        c.add("fuzz.txt", a);
    }
    let index = c.entities();
    for d in c.documents() {
        for m in index.mentions(d.id) {
            let text = d.article.source().get(m.span.range());
            assert!(text.is_some_and(|t| !t.is_empty()), "mention {m:?}");
            assert!(!m.entity.is_empty());
        }
    }
}

/// Loading a serialised index: an error, or a corpus that searches and saves without panic.
/// The input is tried as it is, and with its checksum made to match (as a hostile file could),
/// so that mutations reach the payload's reader.
pub fn load_index(data: &[u8]) {
    load_checked(data);
    if data.len() >= 16 && data.starts_with(b"NLIX") {
        let mut forged = data.to_vec();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in &data[16..] {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        forged[8..16].copy_from_slice(&h.to_le_bytes());
        load_checked(&forged);
    }
}

fn load_checked(data: &[u8]) {
    if let Ok(c) = Corpus::from_bytes(data) {
        for q in ["a", "sokha", "\"the party\"", "cam*", "person:sokha"] {
            let _ = c.search(q, 5);
        }
        let again = Corpus::from_bytes(&c.to_bytes()).expect("a loaded corpus saves readably");
        assert_eq!(again.len(), c.len());
    }
}
