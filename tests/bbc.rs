//! The parsing rules over all 2,225 BBC News articles in `../shared/data/bbc`: general news
//! heuristics must hold on text they were not written for. Skipped when `../shared` is absent.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use newslens::{parse, Format};

#[path = "../benches/common/mod.rs"]
mod common;

#[test]
fn bbc_corpus_reads_as_news() {
    let Some(files) = common::bbc_files() else {
        return;
    };
    assert_eq!(files.len(), 2225);
    let (mut subtitles, mut latin1) = (0, 0);
    for (name, bytes) in &files {
        let p = parse(bytes, Format::detect(name, bytes)).unwrap();
        assert_eq!(p.articles.len(), 1);
        let a = &p.articles[0];
        if !p.warnings.is_empty() {
            assert!(
                p.warnings[0].contains("Latin-1"),
                "{name}: {:?}",
                p.warnings
            );
            latin1 += 1;
        }
        // The headline is line 1.
        let first_line = a.source().lines().next().unwrap().trim();
        assert_eq!(a.title().text(), first_line, "{name}");
        // No caption, publisher, dateline or credit is invented: BBC text has none.
        assert!(
            a.captions().is_empty(),
            "{name}: caption {:?}",
            a.captions()[0].caption.text()
        );
        assert!(a.publisher().is_none(), "{name}");
        assert!(a.dateline().is_none(), "{name}: {:?}", a.dateline());
        assert!(a.credits().is_empty(), "{name}: {:?}", a.credits());
        assert!(!a.paragraphs().is_empty(), "{name}");
        subtitles += usize::from(a.subtitle().is_some());
        // Nothing is lost: every non-blank line is the title, the subtitle or in a paragraph.
        let ink = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
        let kept: usize = a.paragraphs().iter().map(|p| ink(p.text())).sum::<usize>()
            + ink(a.title().text())
            + a.subtitle().map_or(0, |s| ink(s.text()));
        assert_eq!(kept, ink(a.source()), "{name}: text lost");
        for (part, field) in a.fields() {
            assert_eq!(
                &a.source()[field.span().range()],
                field.text(),
                "{name}: {part:?}"
            );
        }
    }
    // BBC's own standfirsts: an intro line without a final period (business/071, tech/189...).
    assert!(subtitles <= 10, "{subtitles} subtitles");
    assert_eq!(latin1, 1, "sport/199.txt is the one Latin-1 file");
    eprintln!(
        "bbc: {} articles, {subtitles} subtitles, {latin1} Latin-1",
        files.len()
    );
}

#[test]
fn latin1_file_is_read_with_a_warning() {
    let Some(files) = common::bbc_files() else {
        return;
    };
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n.ends_with("sport/199.txt"))
        .unwrap();
    assert!(std::str::from_utf8(bytes).is_err());
    let p = parse(bytes, Format::Text).unwrap();
    assert!(
        p.warnings[0].contains("read as Latin-1"),
        "{:?}",
        p.warnings
    );
    assert!(!p.articles[0].source().contains('\u{fffd}'));
}

/// General knowledge, not drawn from the BBC articles: names that are never a person.
const NOT_PEOPLE: &[(&str, &[&str])] = &[
    (
        "a country",
        &[
            "afghanistan",
            "argentina",
            "australia",
            "austria",
            "belgium",
            "brazil",
            "britain",
            "canada",
            "china",
            "egypt",
            "england",
            "france",
            "germany",
            "greece",
            "india",
            "iran",
            "iraq",
            "ireland",
            "israel",
            "italy",
            "japan",
            "kenya",
            "mexico",
            "netherlands",
            "new zealand",
            "nigeria",
            "norway",
            "pakistan",
            "poland",
            "portugal",
            "russia",
            "scotland",
            "south africa",
            "spain",
            "sweden",
            "switzerland",
            "turkey",
            "uk",
            "ukraine",
            "united kingdom",
            "united states",
            "us",
            "usa",
            "wales",
        ],
    ),
    (
        "a city",
        &[
            "athens",
            "beijing",
            "berlin",
            "brussels",
            "cairo",
            "chicago",
            "delhi",
            "dublin",
            "edinburgh",
            "glasgow",
            "hong kong",
            "istanbul",
            "liverpool",
            "london",
            "los angeles",
            "madrid",
            "manchester",
            "melbourne",
            "milan",
            "moscow",
            "mumbai",
            "new york",
            "paris",
            "rome",
            "seoul",
            "shanghai",
            "sydney",
            "tokyo",
            "toronto",
            "vienna",
            "washington",
        ],
    ),
    (
        "a party",
        &[
            "conservative party",
            "conservatives",
            "democrats",
            "green party",
            "labour",
            "labour party",
            "liberal democrats",
            "lib dems",
            "republicans",
            "snp",
            "tories",
            "tory",
            "ukip",
        ],
    ),
];

/// Words that make a name a company's.
const COMPANY_WORDS: &[&str] = &[
    "airlines",
    "bank",
    "corp",
    "corporation",
    "group",
    "holdings",
    "inc",
    "ltd",
    "motors",
    "plc",
    "telecom",
];

/// A corpus of `files`, each added whole.
fn corpus_of(files: &[(String, Vec<u8>)]) -> newslens::Corpus {
    let mut corpus = newslens::Corpus::new();
    for (name, bytes) in files {
        let p = parse(bytes, Format::detect(name, bytes)).unwrap();
        corpus.try_add_all(name, p.articles).unwrap();
    }
    corpus
}

#[test]
fn bbc_top_entities_hold_no_place_party_or_company_among_the_people() {
    let Some(files) = common::bbc_files() else {
        eprintln!("bbc: ../shared/data/bbc not found; skipped");
        return;
    };
    let corpus = corpus_of(&files);
    let index = corpus.entities();
    let top = |label| -> Vec<(String, usize)> {
        (index.entities(Some(label)).iter().take(30))
            .map(|e| (e.name.to_string(), e.count))
            .collect()
    };
    for label in [
        newslens::Label::Person,
        newslens::Label::Org,
        newslens::Label::Gpe,
    ] {
        let list: Vec<String> = top(label).iter().map(|(n, c)| format!("{n} {c}")).collect();
        eprintln!("bbc top 30 {}: {}", label.as_str(), list.join(", "));
    }
    let mut wrong = Vec::new();
    for (name, _) in top(newslens::Label::Person) {
        let l = name.to_lowercase();
        for (what, names) in NOT_PEOPLE {
            if names.contains(&l.as_str()) {
                wrong.push(format!("{name} ({what})"));
            }
        }
        let words: Vec<&str> = l.split_whitespace().map(|w| w.trim_matches('.')).collect();
        if words.iter().any(|w| COMPANY_WORDS.contains(w)) {
            wrong.push(format!("{name} (a company)"));
        }
    }
    eprintln!(
        "bbc top 30 PERSON check: {}",
        if wrong.is_empty() {
            "no country, city, party or company".to_string()
        } else {
            wrong.join(", ")
        }
    );
    assert!(wrong.is_empty(), "not people: {wrong:?}");
}

/// Archive-size invariance on data we have: the entities of CoNLL-2003 `eng.testa`'s documents
/// (as articles) score no lower inside a corpus of the BBC articles and the `eng.train` text
/// than alone (`make ner-eval` prints both).
#[test]
fn conll_documents_score_no_lower_inside_a_large_corpus_than_alone() {
    let conll = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/conll2003");
    let Some(files) = common::bbc_files() else {
        return;
    };
    if !conll.is_dir() {
        eprintln!("skipped: {} is absent", conll.display());
        return;
    }
    let read = |name: &str| {
        let text = std::fs::read_to_string(conll.join(name)).unwrap();
        newslens::ner::eval::read_conll(&text).unwrap()
    };
    let (testa, train) = (read("eng.testa"), read("eng.train"));
    let mut background: Vec<newslens::Article> = Vec::new();
    for (name, bytes) in &files {
        background.extend(parse(bytes, Format::detect(name, bytes)).unwrap().articles);
    }
    background.extend(newslens::ner::eval::as_articles(&train));
    let model = newslens::ner::Model::bundled();
    let kinds = newslens::ner::eval::PER_LOC_ORG;
    let alone = newslens::ner::eval::pipeline_counts(&model, &testa, &[]).scores(&kinds);
    let inside = newslens::ner::eval::pipeline_counts(&model, &testa, &background).scores(&kinds);
    eprintln!(
        "eng.testa PER/LOC/ORG F1 alone {:.4}, inside {} more articles {:.4}",
        alone.f1,
        background.len(),
        inside.f1
    );
    assert!(alone.f1 > 0.85, "{alone:?}");
    assert!(inside.f1 >= alone.f1, "inside {inside:?} < alone {alone:?}");
}

/// Linking spread over calls, a pass at a time, gives exactly the entities of linking at once,
/// on a corpus large enough for every phase to have work (acronyms filled in, short forms
/// joined across articles, capitals rewritten); an article added half-way starts it again.
#[test]
fn linking_a_pass_at_a_time_gives_the_same_entities() {
    let Some(files) = common::bbc_files() else {
        eprintln!("bbc: ../shared/data/bbc not found; skipped");
        return;
    };
    let (most, last) = files.split_at(files.len() - 1);
    let mut spread = corpus_of(most);
    let mut calls = 0;
    while spread.recognize_pending(500) > 3 {
        calls += 1;
    }
    // Half-way through linking, one more article.
    let (name, bytes) = &last[0];
    let p = parse(bytes, Format::detect(name, bytes)).unwrap();
    spread.try_add_all(name, p.articles).unwrap();
    while spread.recognize_pending(500) > 0 {
        calls += 1;
    }
    let whole = corpus_of(&files);
    let all = |c: &newslens::Corpus| -> Vec<(String, newslens::Label, usize, usize)> {
        (c.entities().entities(None).iter())
            .map(|e| (e.name.to_string(), e.label, e.count, e.articles.len()))
            .collect()
    };
    assert!(calls > 10, "{calls} calls");
    assert_eq!(all(&spread), all(&whole));
    for doc in 0..whole.len() as u32 {
        assert_eq!(
            spread.entities().mentions(doc),
            whole.entities().mentions(doc)
        );
    }
}

/// A reload adds the stored segments to a corpus whose bundled articles come first: linking's
/// first pass reads each segment ahead as it is added (with the texts at hand), and the
/// entities are exactly those of the same articles added and linked at once.
#[test]
fn linking_read_ahead_over_added_segments_gives_the_same_entities() {
    let Some(files) = common::bbc_files() else {
        eprintln!("bbc: ../shared/data/bbc not found; skipped");
        return;
    };
    let mut source = corpus_of(&files);
    source.recognize_pending(source.len());
    let mut whole = newslens::Corpus::seeds();
    let mut reloaded = newslens::Corpus::seeds();
    reloaded.recognize_pending(reloaded.len());
    let step = 300;
    for first in (0..source.len()).step_by(step) {
        let end = (first + step).min(source.len()) as u32;
        let segment = source.segment_bytes(first as u32, end);
        whole.add_segment(&segment).unwrap();
        reloaded.add_segment(&segment).unwrap();
    }
    let mut calls = 0;
    while reloaded.recognize_pending(8) > 0 {
        calls += 1;
    }
    let all = |c: &newslens::Corpus| -> Vec<(String, newslens::Label, usize, Vec<u32>)> {
        (c.entities().entities(None).iter())
            .map(|e| (e.name.to_string(), e.label, e.count, e.articles.to_vec()))
            .collect()
    };
    // Every article read ahead: the first pass has only its end left (8 calls in all here;
    // 16 when it reads every article again, a chunk a call).
    assert!(calls < 12, "{calls} calls");
    assert_eq!(all(&reloaded), all(&whole));
    for doc in 0..whole.len() as u32 {
        assert_eq!(
            reloaded.entities().mentions(doc),
            whole.entities().mentions(doc)
        );
    }
}

#[test]
fn bbc_in_segments_reads_back_as_the_corpus_indexed_whole() {
    let Some(files) = common::bbc_files() else {
        eprintln!("bbc: ../shared/data/bbc not found; skipped");
        return;
    };
    let mut whole = newslens::Corpus::new();
    for (name, bytes) in &files {
        let p = parse(bytes, Format::detect(name, bytes)).unwrap();
        whole.try_add_all(name, p.articles).unwrap();
    }
    while whole.recognize_pending(500) > 0 {}
    // Segments of uneven sizes, as additions of 1, 10, 100 and 1,000 files would make.
    let n = whole.len() as u32;
    let bounds = [0, 1, 11, 111, 1111, n];
    let mut read = newslens::Corpus::new();
    for w in bounds.windows(2) {
        read.add_segment(&whole.segment_bytes(w[0], w[1])).unwrap();
    }
    assert!(read.to_bytes() == whole.to_bytes());
    for q in [
        "labour party",
        "\"prime minister\" -blair",
        "chelsea*",
        "mobil phone",
    ] {
        assert_eq!(read.search(q, 20), whole.search(q, 20), "{q}");
    }
    // One file removed from the second segment and one from the last: the segments hold the
    // rest, and read back they search like the rest indexed afresh.
    whole.remove_file(5);
    whole.remove_file(n - 2);
    let mut left = newslens::Corpus::new();
    for w in bounds.windows(2) {
        left.add_segment(&whole.segment_bytes(w[0], w[1])).unwrap();
    }
    let mut fresh = newslens::Corpus::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        if i != 5 && i != n as usize - 2 {
            let p = parse(bytes, Format::detect(name, bytes)).unwrap();
            fresh.try_add_all(name, p.articles).unwrap();
        }
    }
    assert_eq!(left.len(), fresh.len());
    for q in ["labour party", "\"prime minister\" -blair", "chelsea*"] {
        assert_eq!(left.search(q, 20), fresh.search(q, 20), "{q}");
    }
}
