//! Ranking rules that keep long natural-language questions and short keyword queries each
//! ranked the way they are asked, table-driven on small corpora written for the rule.
#![allow(clippy::unwrap_used)]

use newslens::{parse, parse_text, Corpus, Format, Ranking};

fn corpus(ranking: Ranking, articles: &[(&str, &str)]) -> Corpus {
    let mut c = Corpus::with_ranking(ranking);
    for (name, text) in articles {
        c.add(*name, parse_text(text).unwrap());
    }
    c
}

fn names(c: &Corpus, query: &str) -> Vec<String> {
    c.search(query, 10)
        .hits
        .iter()
        .map(|h| c.get(h.doc).unwrap().name.clone())
        .collect()
}

const WINGS: &[(&str, &str)] = &[
    (
        "budget",
        "Budget row\n\nThe committee would like papers on the budget by Friday.",
    ),
    (
        "flutter",
        "Wing flutter\n\nWing flutter at high speed was measured in the tunnel tests.",
    ),
    (
        "tunnel",
        "Tunnel tests\n\nThe tunnel tests of the new wing ran at high speed.",
    ),
];

#[test]
fn request_words_are_left_out_of_long_questions_only() {
    let c = corpus(Ranking::default(), WINGS);
    // (query, the articles it must return, in any order)
    let cases: &[(&str, &[&str])] = &[
        // Short keyword queries keep every word, request-like or not.
        ("papers ", &["budget"]),
        ("would like papers ", &["budget"]),
        // A long question: "like", "papers" and "describing" only phrase the request.
        (
            "I would like papers describing wing flutter at high speed in tunnel tests ",
            &["flutter", "tunnel"],
        ),
    ];
    for (q, want) in cases {
        let mut got = names(&c, q);
        got.sort();
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{q}");
    }
}

#[test]
fn typo_neighbours_of_a_known_word_weigh_known_fuzzy() {
    let docs: &[(&str, &str)] = &[
        ("expert", "Expert systems\n\nRules of an expert system."),
        ("expect", "Gains\n\nWhat to expect from the gains."),
    ];
    let off = corpus(
        Ranking {
            known_fuzzy: 0.0,
            ..Ranking::default()
        },
        docs,
    );
    let on = corpus(
        Ranking {
            known_fuzzy: 1.0,
            ..Ranking::default()
        },
        docs,
    );
    // `expert` is in the index: its neighbour `expect` is another word, not a typo.
    assert_eq!(names(&off, "expert "), ["expert"]);
    assert_eq!(names(&on, "expert "), ["expert", "expect"]);
    // A word the index lacks is a typo either way: its neighbours match.
    assert_eq!(names(&off, "experd "), ["expert"]);
}

#[test]
fn a_record_without_a_title_is_body_text() {
    let jsonl = concat!(
        r#"{"id": "a", "text": "Flutter of thin wings. It was measured at high speed."}"#,
        "\n",
        r#"{"id": "b", "title": "Flutter", "text": "Thin wings were measured at high speed."}"#,
        "\n",
        r#"{"id": "c", "title": "Flutter of a wing at speed"}"#,
        "\n",
    );
    let p = parse(jsonl.as_bytes(), Format::JsonLines).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let [a, b, c] = p.articles.as_slice() else {
        panic!("three records, got {}", p.articles.len())
    };
    // The untitled record shows its first sentence as its headline, and keeps it as body.
    assert_eq!(a.title().text(), "Flutter of thin wings.");
    assert_eq!(a.paragraphs().len(), 1);
    assert_eq!(b.title().text(), "Flutter");
    // A headline alone is a record too.
    assert_eq!(c.title().text(), "Flutter of a wing at speed");
    let mut corpus = Corpus::new();
    for a in p.articles {
        corpus.add("records.jsonl", a);
    }
    let ids = |q: &str| -> Vec<String> {
        let mut v: Vec<String> = corpus
            .search(q, 10)
            .hits
            .iter()
            .map(|h| corpus.get(h.doc).unwrap().article.id().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    // Only real titles answer a title filter; the cut headline is not counted twice.
    assert_eq!(ids("title:flutter "), ["b", "c"]);
    assert_eq!(ids("flutter "), ["a", "b", "c"]);
}

#[test]
fn keyword_queries_of_two_or_three_words_put_articles_with_every_word_first() {
    // "budget" is common and "Sokha" rare: without coordination the article repeating the rare
    // name would outrank the one with both words.
    let docs: &[(&str, &str)] = &[
        (
            "name",
            "Sokha\n\nSokha spoke. Sokha left. Sokha returned. Sokha waved. Sokha smiled.",
        ),
        (
            "both",
            "Budget day\n\nSokha read the budget to the assembly in the long afternoon session.",
        ),
        ("budget1", "Budget\n\nThe budget passed."),
        ("budget2", "Budget\n\nThe budget failed."),
        ("budget3", "Budget\n\nA budget was drafted."),
    ];
    let with = corpus(Ranking::default(), docs);
    let without = corpus(
        Ranking {
            coord: 0.0,
            ..Ranking::default()
        },
        docs,
    );
    assert_eq!(names(&without, "Sokha budget ")[0], "name");
    assert_eq!(names(&with, "Sokha budget ")[0], "both");
    assert_eq!(names(&with, "Sokha budget session ")[0], "both");
    // From four words on a query describes its topic: coordination is off.
    let long = "Sokha budget session assembly ";
    assert_eq!(names(&with, long), names(&without, long));
}

#[test]
fn query_words_close_together_rank_first() {
    // The same words, in another order: only their distance differs.
    let docs: &[(&str, &str)] = &[
        (
            "apart",
            "Notes\n\nboundary one two three four five six seven eight nine ten layer",
        ),
        (
            "together",
            "Notes\n\nboundary layer one two three four five six seven eight nine ten",
        ),
    ];
    let with = corpus(Ranking::default(), docs);
    let without = corpus(
        Ranking {
            proximity: 0.0,
            ..Ranking::default()
        },
        docs,
    );
    assert_eq!(names(&with, "boundary layer "), ["together", "apart"]);
    // Without the bonus the two score alike: article order.
    assert_eq!(names(&without, "boundary layer "), ["apart", "together"]);
}
