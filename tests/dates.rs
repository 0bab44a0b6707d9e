//! Articles' dates, date filters and order, timelines: on articles written here with known
//! dates, in every format a date comes in (a dateline, an HTML page's metadata, a JSON Lines
//! record's `published`).

#![allow(clippy::unwrap_used)]

use newslens::{parse, Corpus, Format, Label, Unit};

/// Six articles: five dated (three ways), one not. All mention the harbour.
fn corpus() -> Corpus {
    let mut c = Corpus::new();
    let text = |head: &str, dateline: &str, body: &str| format!("{head}\n\n{dateline} - {body}\n");
    let add = |c: &mut Corpus, name: &str, bytes: &[u8], format: Format| {
        let parsed = parse(bytes, format).unwrap();
        c.try_add_all(name, parsed.articles).unwrap();
    };
    add(
        &mut c,
        "a.txt",
        text(
            "Harbour plan approved",
            "KAMPOT, June 3, 2017",
            "The harbour plan was approved by Governor Mao Sokhan on Monday.",
        )
        .as_bytes(),
        Format::Text,
    );
    add(
        &mut c,
        "b.txt",
        text(
            "Harbour works begin",
            "KAMPOT, Jan. 15, 2018",
            "Works on the harbour began last month, Governor Mao Sokhan said.",
        )
        .as_bytes(),
        Format::Text,
    );
    let html = "<!doctype html><html><head><title>Harbour opens</title>\
                <meta property=\"article:published_time\" content=\"2019-11-19T08:00:00Z\">\
                </head><body><article><h1>Harbour opens</h1>\
                <p>The new harbour opened to ships this week after two years of works, \
                and traders in Kampot welcomed the first cargo.</p></article></body></html>";
    add(&mut c, "c.html", html.as_bytes(), Format::Html);
    let jsonl = concat!(
        "{\"id\":\"r1\",\"title\":\"Harbour traffic grows\",\"published\":\"2019-12-02\",",
        "\"text\":\"Traffic at the harbour grew in November, the port said.\"}\n",
        "{\"id\":\"r2\",\"title\":\"Harbour fees cut\",\"published\":\"2020-03\",",
        "\"text\":\"The harbour cut its fees for fishing boats.\"}\n",
    );
    add(&mut c, "d.jsonl", jsonl.as_bytes(), Format::JsonLines);
    add(
        &mut c,
        "e.txt",
        b"Harbour notes\n\nNotes on the harbour, undated.\n",
        Format::Text,
    );
    c
}

fn names(c: &Corpus, query: &str) -> (usize, Vec<String>) {
    let r = c.search(query, 10);
    let titles = (r.hits.iter())
        .map(|h| c.get(h.doc).unwrap().article.title().text().to_string())
        .collect();
    (r.total, titles)
}

#[test]
fn every_format_gives_its_article_a_date() {
    let c = corpus();
    let dates: Vec<Option<String>> = (0..c.len() as u32)
        .map(|d| c.date(d).map(|x| x.to_string()))
        .collect();
    let want = [
        Some("2017-06-03"),
        Some("2018-01-15"),
        Some("2019-11-19"),
        Some("2019-12-02"),
        Some("2020-03"),
        None,
    ];
    assert_eq!(dates, want.map(|d| d.map(String::from)));
}

#[test]
fn date_filters_and_order() {
    let c = corpus();
    // (query, total, titles in order)
    let cases: &[(&str, usize, &[&str])] = &[
        (
            "harbour sort:date",
            6,
            &[
                "Harbour fees cut",
                "Harbour traffic grows",
                "Harbour opens",
                "Harbour works begin",
                "Harbour plan approved",
                "Harbour notes",
            ],
        ),
        (
            "harbour sort:oldest",
            6,
            &[
                "Harbour plan approved",
                "Harbour works begin",
                "Harbour opens",
                "Harbour traffic grows",
                "Harbour fees cut",
                "Harbour notes",
            ],
        ),
        (
            "harbour after:2019 sort:oldest",
            3,
            &["Harbour opens", "Harbour traffic grows", "Harbour fees cut"],
        ),
        (
            "harbour after:2017-06 before:2019 sort:date",
            2,
            &["Harbour works begin", "Harbour plan approved"],
        ),
        ("harbour before:2017-06", 0, &[]),
        (
            "after:2019-12",
            2,
            &["Harbour fees cut", "Harbour traffic grows"],
        ),
        ("governor after:2018", 1, &["Harbour works begin"]),
    ];
    for &(q, total, want) in cases {
        assert_eq!(
            names(&c, q),
            (total, want.iter().map(|s| s.to_string()).collect()),
            "{q}"
        );
    }
    // Relevance is the default: a date filter alone does not reorder ranked results.
    let ranked = c.search("harbour", 10);
    let filtered = c.search("harbour after:1900", 10);
    let ids = |r: &newslens::SearchResults| r.hits.iter().map(|h| h.doc).collect::<Vec<_>>();
    let mut dated = ids(&ranked);
    dated.retain(|&d| c.date(d).is_some());
    assert_eq!(ids(&filtered), dated);
}

#[test]
fn timelines_of_the_corpus_a_query_and_an_entity() {
    let c = corpus();
    let t = c.timeline("");
    assert_eq!(t.unit, Unit::Month);
    assert_eq!(
        (t.periods.first().unwrap().period.as_str(), t.periods.len()),
        ("2017-06", 34)
    );
    assert_eq!((t.undated, t.coarse), (1, 0));
    let t = c.timeline("harbour after:2019-11");
    let bars: Vec<(&str, usize)> = (t.periods.iter())
        .filter(|p| p.count > 0)
        .map(|p| (p.period.as_str(), p.count))
        .collect();
    assert_eq!(bars, [("2019-11", 1), ("2019-12", 1), ("2020-03", 1)]);
    let t = c.entity_timeline("Mao Sokhan", &[Label::Person]).unwrap();
    let total: usize = t.periods.iter().map(|p| p.count).sum();
    assert_eq!((t.unit, total), (Unit::Month, 2));
    assert!(c.entity_timeline("Nobody Here", &[]).is_none());
    let e = (c.entities_view(Some(Label::Person), 10).into_iter())
        .find(|e| e.entity == "Mao Sokhan")
        .unwrap();
    assert_eq!(
        (e.first.as_deref(), e.last.as_deref()),
        (Some("2017-06-03"), Some("2018-01-15"))
    );
}

#[test]
fn relative_dates_resolve_against_the_articles_own_date() {
    let c = corpus();
    let values = |doc: u32| -> Vec<(String, Option<String>)> {
        let d = c.get(doc).unwrap();
        (c.article_view(&d, None).dates.into_iter())
            .map(|d| (d.text.to_string(), d.value))
            .collect()
    };
    let has = |doc: u32, text: &str, value: Option<&str>| {
        let v = values(doc);
        assert!(
            v.iter().any(|(t, x)| t == text && x.as_deref() == value),
            "{text} {value:?} in {v:?}"
        );
    };
    has(0, "Monday", Some("2017-05-29"));
    has(1, "last month", Some("2017-12"));
    has(3, "November", Some("2019-11"));
    let undated = values(5);
    assert!(undated.iter().all(|(_, v)| v.is_none()), "{undated:?}");
}

/// A timeline counts exactly the articles the same query finds, whatever its order or dates
/// (the timeline finds them without ranking them, so the two paths are checked against each
/// other).
#[test]
fn a_timeline_counts_what_the_search_finds() {
    let c = corpus();
    for query in [
        "harbour",
        "harbour after:2018",
        "harbour before:2019 sort:relevance",
        "harbour sort:oldest",
        "after:2019-11",
        "governor -plan",
        "the",
        "nothingmatcheshere",
    ] {
        let t = c.timeline(query);
        let counted = t.periods.iter().map(|p| p.count).sum::<usize>() + t.coarse + t.undated;
        assert_eq!(counted, c.search(query, 100).total, "query {query:?}");
    }
    // No query at all: the corpus's timeline.
    let t = c.timeline("");
    assert_eq!(
        t.periods.iter().map(|p| p.count).sum::<usize>() + t.undated,
        6
    );
}
