//! The binary index: a round trip gives identical search results; truncated, corrupted or
//! foreign files give an error, never a panic.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use newslens::{parse, Corpus, Format};
use std::path::Path;

/// (article, score to five places, highlights, snippet text) of each hit.
type Row = (u32, String, Vec<(usize, usize)>, String);

fn results(c: &Corpus, q: &str) -> Vec<Row> {
    c.search(q, 20)
        .hits
        .into_iter()
        .map(|h| {
            (
                h.doc,
                format!("{:.5}", h.score),
                h.snippet.highlights,
                h.snippet.text,
            )
        })
        .collect()
}

const QUERIES: &[&str] = &[
    "Sokha ",
    "Chandar",
    "\"Rescue Party\"",
    "sokah rainsy ",
    "title:mistress ",
    "cnrp OR cpp -france ",
    "person:\"Sam Rainsy\"",
    "minister budget election ",
];

fn assert_same(a: &Corpus, b: &Corpus) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.documents().zip(b.documents()) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.article, y.article);
    }
    for q in QUERIES {
        assert_eq!(results(a, q), results(b, q), "{q}");
    }
}

#[test]
fn seeds_round_trip() {
    let c = Corpus::seeds();
    let loaded = Corpus::from_bytes(&c.to_bytes()).unwrap();
    assert_same(&c, &loaded);
    // Loading and saving again gives the same bytes.
    assert_eq!(loaded.to_bytes(), c.to_bytes());
}

/// Every entity as (label, name, aliases, count, articles), in index order.
fn entity_rows(c: &Corpus) -> Vec<String> {
    c.entities()
        .entities(None)
        .iter()
        .map(|e| {
            format!(
                "{:?} {} {:?} {} {:?}",
                e.label,
                e.name,
                e.aliases().collect::<Vec<_>>(),
                e.count,
                e.articles
            )
        })
        .collect()
}

#[test]
fn recognised_entities_travel_in_the_file() {
    let c = Corpus::seeds();
    let before = c.to_bytes();
    let expected = entity_rows(&c);
    assert!(!expected.is_empty());
    // Saved after recognition, the file holds the mentions; the loaded corpus links the same
    // entities, and its mentions are the same to the byte.
    let after = c.to_bytes();
    assert!(after.len() > before.len(), "no mentions were written");
    let loaded = Corpus::from_bytes(&after).unwrap();
    assert_eq!(entity_rows(&loaded), expected);
    for doc in 0..c.len() as u32 {
        assert_eq!(loaded.entities().mentions(doc), c.entities().mentions(doc));
    }
    assert_eq!(loaded.to_bytes(), after);
    // Saved before recognition, the file holds none: the loaded corpus recognises on first use.
    assert_eq!(entity_rows(&Corpus::from_bytes(&before).unwrap()), expected);
}

#[test]
fn bbc_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bbc/politics");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let mut c = Corpus::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for a in parse(&bytes, Format::Text).unwrap().articles {
            c.add(f.display().to_string(), a);
        }
    }
    assert_same(&c, &Corpus::from_bytes(&c.to_bytes()).unwrap());
}

#[test]
fn truncated_files_are_errors() {
    let bytes = Corpus::seeds().to_bytes();
    for len in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
        let e = Corpus::from_bytes(&bytes[..len]).unwrap_err();
        assert!(e.to_string().contains("index"), "{len}: {e}");
    }
}

#[test]
fn corrupted_files_are_errors() {
    let bytes = Corpus::seeds().to_bytes();
    for i in (0..bytes.len()).step_by(13) {
        let mut b = bytes.clone();
        b[i] ^= 0x5a;
        assert!(
            Corpus::from_bytes(&b).is_err(),
            "flip at {i} went unnoticed"
        );
    }
    assert!(Corpus::from_bytes(b"not an index at all").is_err());
    assert!(Corpus::from_bytes(&[]).is_err());
}

/// A file altered behind a valid checksum (as a hostile file could be) is still an error or a
/// consistent corpus: never a panic, and searching what loads never panics either.
#[test]
fn forged_checksums_never_panic() {
    let bytes = Corpus::seeds().to_bytes();
    let fnv = |p: &[u8]| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &x in p {
            h ^= u64::from(x);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    let mut x: u32 = 7;
    for _ in 0..1000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let mut b = bytes.clone();
        let i = 16 + (x as usize % (b.len() - 16));
        b[i] = (x >> 8) as u8;
        let sum = fnv(&b[16..]);
        b[8..16].copy_from_slice(&sum.to_le_bytes());
        if let Ok(c) = Corpus::from_bytes(&b) {
            for q in QUERIES {
                let _ = c.search(q, 10);
            }
        }
    }
}

#[test]
fn page_metadata_travels_in_the_file() {
    let html = r#"<html lang="en"><head><meta name="author" content="Sok Chea">
        <meta property="article:published_time" content="2019-11-19T10:00:00Z"></head>
        <body><article><h1>Talks stall</h1><p>The talks, which began in May, stalled on
        Monday, and both sides left without a word.</p></article></body></html>"#;
    let mut c = Corpus::seeds();
    let article = parse(html.as_bytes(), Format::Html)
        .unwrap()
        .articles
        .remove(0);
    assert_eq!(article.published(), Some("2019-11-19T10:00:00Z"));
    c.add("page.html", article);
    let loaded = Corpus::from_bytes(&c.to_bytes()).unwrap();
    let a = &loaded.documents().last().unwrap().article;
    assert_eq!(a.published(), Some("2019-11-19T10:00:00Z"));
    assert_eq!(a.authors(), ["Sok Chea"]);
    assert_eq!(a.language(), Some("en"));
    assert_same(&c, &loaded);
}

/// Removing a file drops its articles from search, entities and the index file, and leaves the
/// other articles as they were: their ids, their entities, and once written out, the very
/// index file of a corpus that never held the file.
#[test]
fn removing_a_file_leaves_the_rest_as_if_it_was_never_added() {
    let seeds = Corpus::seeds();
    let mut with = Corpus::seeds();
    let lines = b"{\"title\": \"Zanzibarite Found\", \"text\": \"Zanzibarite ore was found near Kampot, Kem Sokha said.\"}\n\
                  {\"title\": \"More Zanzibarite\", \"text\": \"More zanzibarite ore.\"}\n";
    let parsed = parse(lines, Format::JsonLines).unwrap();
    let first = with.try_add_all("ore.jsonl", parsed.articles).unwrap();
    assert_eq!(with.search("zanzibarite", 10).total, 2);
    let before = with.text_bytes();
    // Any article of the file takes the whole file with it.
    assert_eq!(with.remove_file(first + 1), 2);
    assert!(with.text_bytes() < before);
    assert_eq!(with.text_bytes(), seeds.text_bytes());
    assert_eq!(with.search("zanzibarite", 10).total, 0);
    assert_eq!(
        with.search("-zanzibarite", 10).total,
        5,
        "removed articles match no query"
    );
    assert!(with.get(first).is_none() && with.get(first + 1).is_none());
    assert_eq!((with.len(), with.live()), (7, 5));
    let docs = |c: &Corpus| {
        let mut d: Vec<u32> = c.search("Sokha", 10).hits.iter().map(|h| h.doc).collect();
        d.sort_unstable();
        d
    };
    assert_eq!(docs(&with), docs(&seeds));
    assert_eq!(
        with.entities_view(None, 10_000),
        seeds.entities_view(None, 10_000)
    );
    assert_eq!(with.remove_file(first), 0, "already removed");
    assert_eq!(with.remove_file(9_999), 0, "no such article");
    let back = Corpus::from_bytes(&with.to_bytes()).unwrap();
    assert_eq!(back.len(), 5);
    assert_eq!(back.to_bytes(), seeds.to_bytes());
}

#[test]
fn two_files_of_one_name_in_a_segment_stay_two_when_their_starts_are_told() {
    let mut c = newslens::Corpus::new();
    for text in ["One\n\nFirst file.\n", "Two\n\nSecond file.\n"] {
        c.try_add_all("same.txt", vec![newslens::parse_text(text).unwrap()])
            .unwrap();
    }
    let bytes = c.segment_bytes(0, 2);
    // Told where each file starts: removing the second leaves the first.
    let mut told = newslens::Corpus::new();
    told.add_segment_files(&bytes, &[0, 1]).unwrap();
    assert_eq!(told.remove_file(1), 1);
    assert_eq!(told.live(), 1);
    // Not told: a run of one name is one file.
    let mut grouped = newslens::Corpus::new();
    grouped.add_segment(&bytes).unwrap();
    assert_eq!(grouped.remove_file(1), 2);
}

/// Index files written by earlier formats load to the same corpus and results, and are
/// written again in the current one: version 4 (each article's text inside its record) and
/// version 5 (the texts in one section, as they are); both by `newslens index www/corpus`.
#[test]
fn older_versions_still_load() {
    for (version, file) in [(4u32, "seeds-v4.nlix"), (5, "seeds-v5.nlix")] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(file);
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(&bytes[4..8], &version.to_le_bytes());
        let old = Corpus::from_bytes(&bytes).unwrap();
        // The same articles as the bundled ones, named by their paths.
        let seeds = Corpus::seeds();
        assert_eq!(old.len(), seeds.len());
        for (x, y) in old.documents().zip(seeds.documents()) {
            assert_eq!(x.name, format!("www/corpus/{}", y.name));
            assert_eq!(x.article, y.article);
        }
        for q in QUERIES {
            assert_eq!(results(&old, q), results(&seeds, q), "{version}: {q}");
        }
        // Saved again, it is written in the current format, smaller, and reads back the same.
        let again = old.to_bytes();
        assert_ne!(&again[4..8], &bytes[4..8]);
        assert!(again.len() < bytes.len(), "{version}");
        assert_same(&old, &Corpus::from_bytes(&again).unwrap());
    }
}

/// A LEB128 number of `bytes` at `*at`, moving past it.
fn leb(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b < 0x80 {
            return v;
        }
    }
}

/// The articles' texts are one section at the end of the file, its length given after the
/// article count, packed: it starts with the length of all the texts, and no text is there as
/// it is.
#[test]
fn the_texts_are_one_packed_section_at_the_end() {
    let c = Corpus::seeds();
    let bytes = c.to_bytes();
    let payload = &bytes[16..];
    let mut at = 0;
    assert_eq!(leb(payload, &mut at), c.len() as u64);
    let section = &payload[payload.len() - leb(payload, &mut at) as usize..];
    let texts: String = c
        .documents()
        .map(|d| d.article.source().to_string())
        .collect();
    assert_eq!(leb(section, &mut 0), texts.len() as u64);
    assert!(
        section.len() < texts.len() / 2,
        "{} of {}",
        section.len(),
        texts.len()
    );
    for d in c.documents() {
        let start = &d.article.source().as_bytes()[..200];
        assert!(!bytes.windows(200).any(|w| w == start), "{}", d.name);
    }
}
