//! Every query feature, table-driven, on the bundled seed articles (and small synthetic
//! corpora where the seeds cannot show a feature).
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use newslens::{parse_text, Corpus};

fn seeds() -> Corpus {
    Corpus::seeds()
}

/// Three-digit prefixes of the seed files that the query returns, in rank order.
fn ranked(c: &Corpus, query: &str) -> Vec<String> {
    c.search(query, 10)
        .hits
        .iter()
        .map(|h| c.get(h.doc).unwrap().name[..3].to_string())
        .collect()
}

fn set(c: &Corpus, query: &str) -> Vec<String> {
    let mut v = ranked(c, query);
    v.sort();
    v
}

#[test]
fn query_features_on_the_seeds() {
    let c = seeds();
    // (query, the articles it must return, as a set)
    let cases: &[(&str, &[&str])] = &[
        // Words: ranked OR.
        ("Kheng ", &["004"]),
        ("Sokha Kheng ", &["000", "001", "002", "003", "004"]),
        // Straight and curly apostrophes are one; possessives match the name.
        ("CNRP's ", &["000", "001", "002", "003", "004"]),
        ("CNRP’s ", &["000", "001", "002", "003", "004"]),
        ("Rainsy’s ", &["000", "001", "003"]),
        // Phrases, stop words inside included; words apart do not match a phrase.
        ("\"Rescue Party\"", &["001", "002"]),
        ("\"minister for women’s affairs\"", &["000"]),
        ("\"minister women affairs\"", &[]),
        ("\"Phnom Penh Municipal Court\"", &["001"]),
        // Exclusion.
        ("sokha -france ", &["003", "004"]),
        ("sokha -\"Sam Rainsy\" ", &["002", "004"]),
        // OR.
        ("chandaraty OR kheng ", &["000", "004"]),
        // Prefix while typing, and explicit prefix.
        ("Chandar", &["000"]),
        ("Chand*", &["000"]),
        ("Chandar ", &[]),
        // Typos: one edit for 4-7 letters, two from 8; a swap of neighbours is one edit.
        ("sokah ", &["000", "001", "002", "003", "004"]),
        ("Chandarty ", &["000"]),
        ("Chandartyy ", &["000"]),
        ("kem ", &["000", "001", "002", "003", "004"]),
        ("kep ", &[]),
        // Stemming: arresting finds arrest, arrested.
        ("arresting ", &["001", "002", "003", "004"]),
        // Field filter.
        ("mistress ", &["000", "003"]),
        ("title:mistress ", &["000"]),
        ("title:\"Sar Kheng\"", &["004"]),
        // Entity filters (until entity recognition: the name as a phrase anywhere).
        ("person:\"Sam Rainsy\"", &["000", "001", "003"]),
        ("org:CNRP place:France", &["000", "001", "002"]),
        ("person:\"Sam Rainsy\" Tuesday ", &["003"]),
        // Only stop words: they are searched after all.
        ("the of ", &["000", "001", "002", "003", "004"]),
        // Broken syntax degrades to words.
        ("\"((((", &[]),
        ("OR OR", &[]),
        ("person:", &[]),
        ("sokha)) \"rescue", &["000", "001", "002", "003", "004"]),
    ];
    for (query, want) in cases {
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(set(&c, query), want, "query {query:?}");
    }
}

#[test]
fn articles_matching_more_words_come_first() {
    let c = seeds();
    assert_eq!(ranked(&c, "Sokha Kheng ")[0], "004");
    assert_eq!(ranked(&c, "Rainsy Chandaraty ")[0], "000");
    // A broken phrase degrades to words: the two articles with both come first.
    let mut top: Vec<String> = ranked(&c, "sokha)) \"rescue")[..2].to_vec();
    top.sort();
    assert_eq!(top, ["001", "002"]);
}

#[test]
fn exact_matches_rank_above_typo_matches() {
    let mut c = Corpus::new();
    c.add(
        "a",
        parse_text("First\n\nThe colour of the flag was red.").unwrap(),
    );
    c.add(
        "b",
        parse_text("Second\n\nThe color of the flag was red.").unwrap(),
    );
    let r = c.search("color ", 10);
    assert_eq!(r.total, 2);
    assert_eq!(c.get(r.hits[0].doc).unwrap().name, "b");
    let r = c.search("colour ", 10);
    assert_eq!(c.get(r.hits[0].doc).unwrap().name, "a");
}

#[test]
fn diacritics_fold_both_ways() {
    let mut c = Corpus::new();
    c.add(
        "a",
        parse_text("Talks\n\nNguyễn met at the café in Phnom Penh.").unwrap(),
    );
    for q in ["nguyen ", "Nguyễn ", "cafe ", "CAFÉ "] {
        assert_eq!(c.search(q, 10).total, 1, "{q}");
    }
}

#[test]
fn ties_are_ordered_by_article() {
    let mut c = Corpus::new();
    for name in ["x", "y", "z"] {
        c.add(name, parse_text("Same\n\nThe very same text.").unwrap());
    }
    let r = c.search("same ", 10);
    let docs: Vec<u32> = r.hits.iter().map(|h| h.doc).collect();
    assert_eq!(docs, [0, 1, 2]);
}

#[test]
fn snippets_highlight_stems_prefixes_and_typos() {
    let c = seeds();
    // (query, a word that must be highlighted in the first hit's snippet)
    let cases: &[(&str, &str)] = &[
        ("Chandar", "Chandaraty"),
        ("chandarty ", "Chandaraty"),
        ("arresting ", "arrest"),
        ("CNRP's ", "CNRP"),
        ("\"Rescue Party\"", "Rescue"),
        ("Kheng ", "Kheng"),
    ];
    for (query, word) in cases {
        let r = c.search(query, 1);
        let s = &r.hits[0].snippet;
        let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
        assert!(
            marked.iter().any(|m| m.starts_with(word)),
            "{query}: {word} not in {marked:?} of {:?}",
            s.text
        );
        assert!(
            s.text.len() <= newslens::MAX_SNIPPET_BYTES + 8,
            "{query}: snippet too long"
        );
    }
}

#[test]
fn snippet_prefers_the_passage_with_most_query_words() {
    let c = seeds();
    let r = c.search("Sokha Kheng talks ", 1);
    let s = &r.hits[0].snippet;
    let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
    assert!(
        marked.contains(&"Kheng") && marked.contains(&"talks"),
        "{marked:?} in {:?}",
        s.text
    );
}

#[test]
fn only_verbose_queries_get_feedback() {
    use newslens::Ranking;
    let with = seeds();
    let mut without = Corpus::with_ranking(Ranking {
        feedback: 0.0,
        ..Ranking::default()
    });
    for (name, text) in newslens::SEEDS {
        without.add(*name, parse_text(text).unwrap());
    }
    let docs =
        |c: &Corpus, q: &str| -> Vec<u32> { c.search(q, 10).hits.iter().map(|h| h.doc).collect() };
    // Short queries: identical rankings.
    for q in [
        "Sokha Kheng ",
        "\"Rescue Party\"",
        "Chandar",
        "sokha -france talks ",
    ] {
        assert_eq!(docs(&with, q), docs(&without, q), "{q}");
    }
    // A verbose query: the same articles match; feedback may only reorder them.
    let q =
        "why did the opposition leader refuse to leave the party headquarters after the court case";
    let (a, b) = (with.search(q, 10), without.search(q, 10));
    assert_eq!(a.total, b.total);
    let (mut x, mut y) = (docs(&with, q), docs(&without, q));
    x.sort();
    y.sort();
    assert_eq!(x, y);
}

/// Found by fuzzing: a snippet starting after the first space of its lead-in cut a no-break
/// space (two bytes) in half and panicked.
#[test]
fn snippet_lead_in_cut_after_a_no_break_space() {
    let para = format!(
        "w {}\u{a0}{} target and more words after it.",
        "c".repeat(60),
        "d".repeat(30)
    );
    let mut c = newslens::Corpus::new();
    c.add(
        "nbsp.txt",
        newslens::parse_text(&format!("Headline\n\n{para}")).unwrap(),
    );
    let r = c.search("target ", 5);
    assert_eq!(r.hits.len(), 1);
    let s = &r.hits[0].snippet;
    assert!(s.text.starts_with('…'), "{s:?}");
    assert!(s.text.contains("target"), "{s:?}");
    for &(a, b) in &s.highlights {
        assert_eq!(&s.text[a..b], "target");
    }
}
