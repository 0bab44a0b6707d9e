//! Property tests: no query panics, highlights lie inside their snippets on character
//! boundaries, parsing keeps its span invariant on arbitrary text, and a corpus saved and
//! loaded searches (and names entities) exactly as the original.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use newslens::{parse, Corpus, Format};
use proptest::prelude::*;
use std::sync::OnceLock;

fn seeds() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(Corpus::seeds)
}

/// Query-like strings: seed words, operators and odd characters.
fn query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Sokha".to_string()),
        Just("Kem".to_string()),
        Just("CNRP’s".to_string()),
        Just("Chandar".to_string()),
        Just("rainsi".to_string()),
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("OR".to_string()),
        Just("*".to_string()),
        Just("title:".to_string()),
        Just("person:".to_string()),
        Just("(".to_string()),
        Just("é".to_string()),
        Just("ñ̃".to_string()),
        Just("👍".to_string()),
        Just(" ".to_string()),
        "[a-z]{1,12}",
        "\\PC{1,6}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.join(""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_query_panics_and_highlights_are_well_formed(q in query()) {
        let r = seeds().search(&q, 10);
        prop_assert!(r.hits.len() <= r.total);
        for h in &r.hits {
            let s = &h.snippet;
            let mut last = 0;
            for &(a, b) in &s.highlights {
                prop_assert!(a < b && b <= s.text.len(), "{q:?}: {a}..{b} outside {:?}", s.text);
                prop_assert!(s.text.is_char_boundary(a) && s.text.is_char_boundary(b));
                prop_assert!(a >= last, "highlights overlap or are out of order");
                last = b;
            }
            let joined: String = s.segments().iter().map(|(t, _)| *t).collect();
            prop_assert_eq!(&joined, &s.text);
        }
    }

    #[test]
    fn arbitrary_text_parses_with_spans_on_the_source(text in "\\PC{0,400}(\n{1,2}\\PC{0,200}){0,6}") {
        if let Ok(p) = parse(text.as_bytes(), Format::Text) {
            for a in &p.articles {
                for (part, f) in a.fields() {
                    prop_assert_eq!(&a.source()[f.span().range()], f.text(), "{:?}", part);
                }
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for format in [Format::Text, Format::Html, Format::JsonLines] {
            let _ = parse(&bytes, format);
        }
    }
}

/// Article-like texts: a headline and paragraphs of words from a small vocabulary (so that
/// queries match), names, and odd characters.
fn article_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("Sokha".to_string()),
        Just("Kem".to_string()),
        Just("party".to_string()),
        Just("Phnom Penh".to_string()),
        Just("court".to_string()),
        Just("said".to_string()),
        Just("Mr.".to_string()),
        Just("CNRP".to_string()),
        Just("Monday".to_string()),
        Just("élection".to_string()),
        Just("\u{a0}".to_string()),
        "[a-z]{2,9}",
        "\\PC{1,4}",
    ];
    let sentence = prop::collection::vec(word, 1..14).prop_map(|w| w.join(" "));
    (sentence.clone(), prop::collection::vec(sentence, 1..6))
        .prop_map(|(title, paras)| format!("{title}\n\n{}", paras.join("\n\n")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Index → serialise → load gives identical search results (scores, snippets, highlights)
    /// and identical entities; every mention lies on character boundaries inside its article.
    #[test]
    fn a_saved_corpus_searches_as_the_original(
        texts in prop::collection::vec(article_text(), 1..5),
        queries in prop::collection::vec(query(), 1..5),
    ) {
        let mut c = Corpus::new();
        for (i, t) in texts.iter().enumerate() {
            if let Ok(p) = parse(t.as_bytes(), Format::Text) {
                for a in p.articles {
                    c.add(format!("{i}.txt"), a);
                }
            }
        }
        let before = Corpus::from_bytes(&c.to_bytes()).unwrap();
        let index = c.entities();
        for (doc, d) in c.documents().enumerate() {
            for m in index.mentions(doc as u32) {
                prop_assert!(d.article.source().get(m.span.range()).is_some(), "{m:?}");
            }
        }
        let after = Corpus::from_bytes(&c.to_bytes()).unwrap();
        for loaded in [&before, &after] {
            for q in &queries {
                prop_assert_eq!(loaded.search(q, 10), c.search(q, 10), "{}", q);
            }
            for doc in 0..c.len() as u32 {
                prop_assert_eq!(loaded.entities().mentions(doc), c.entities().mentions(doc));
            }
        }
    }
}

/// A corpus of `texts`, each its own file (`{i}.txt`); `skip` leaves one out.
fn corpus_of(texts: &[String], skip: Option<usize>) -> Corpus {
    let mut c = Corpus::new();
    for (i, t) in texts.iter().enumerate() {
        if Some(i) == skip {
            continue;
        }
        if let Ok(p) = parse(t.as_bytes(), Format::Text) {
            c.try_add_all(&format!("{i}.txt"), p.articles).unwrap();
        }
    }
    c
}

/// Recognises every article of `c` and links them.
fn recognize(c: &mut Corpus) {
    while c.recognize_pending(50) > 0 {}
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A corpus kept as segments (each file's articles written alone, `segment_bytes`, or
    /// indexed on their own) and read back one segment after another is the corpus indexed
    /// whole: the same index file byte for byte, the same results and scores (document
    /// frequencies summed over segments), the same entities; and with a file removed, the
    /// segments of what is left search like the live files indexed afresh.
    #[test]
    fn segments_read_in_order_make_the_corpus_indexed_whole(
        texts in prop::collection::vec(article_text(), 2..9),
        cuts in prop::collection::vec(any::<bool>(), 9),
        queries in prop::collection::vec(query(), 1..5),
        recognized in any::<bool>(),
        removed in any::<prop::sample::Index>(),
    ) {
        let mut whole = corpus_of(&texts, None);
        if recognized {
            recognize(&mut whole);
        }
        // Segment boundaries: after each text whose cut is set (in article ids).
        let mut bounds = vec![0u32];
        let mut parts: Vec<Vec<String>> = vec![Vec::new()];
        for (i, t) in texts.iter().enumerate() {
            parts.last_mut().unwrap().push(t.clone());
            if cuts[i] && i + 1 < texts.len() {
                let end = whole.documents().take_while(|d| {
                    d.name.trim_end_matches(".txt").parse::<usize>().unwrap() <= i
                }).count() as u32;
                bounds.push(end);
                parts.push(Vec::new());
            }
        }
        bounds.push(whole.len() as u32);
        let mut read = Corpus::new();
        for w in bounds.windows(2) {
            read.add_segment(&whole.segment_bytes(w[0], w[1])).unwrap();
        }
        // Each segment indexed on its own (names as in the whole corpus).
        let mut joined = Corpus::new();
        let mut at = 0;
        for p in &parts {
            let mut c = Corpus::new();
            for t in p {
                if let Ok(parsed) = parse(t.as_bytes(), Format::Text) {
                    c.try_add_all(&format!("{at}.txt"), parsed.articles).unwrap();
                }
                at += 1;
            }
            if recognized {
                recognize(&mut c);
            }
            joined.add_segment(&c.to_bytes()).unwrap();
        }
        let bytes = whole.to_bytes();
        prop_assert!(read.to_bytes() == bytes, "segments of the corpus read back differ");
        prop_assert!(joined.to_bytes() == bytes, "segments indexed apart differ");
        for q in &queries {
            let expected = whole.search(q, 10);
            prop_assert_eq!(&read.search(q, 10), &expected, "{}", q);
            prop_assert_eq!(&joined.search(q, 10), &expected, "{}", q);
        }
        for doc in 0..whole.len() as u32 {
            prop_assert_eq!(read.entities().mentions(doc), whole.entities().mentions(doc));
            prop_assert_eq!(joined.entities().mentions(doc), whole.entities().mentions(doc));
        }

        // A file removed: its articles are left out of the segments.
        let gone = removed.index(texts.len());
        let first = whole.documents().position(|d| d.name == format!("{gone}.txt"));
        if let Some(first) = first {
            whole.remove_file(first as u32);
        }
        let mut left = Corpus::new();
        for w in bounds.windows(2) {
            left.add_segment(&whole.segment_bytes(w[0], w[1])).unwrap();
        }
        let fresh = corpus_of(&texts, Some(gone));
        prop_assert_eq!(left.len(), fresh.len());
        for q in &queries {
            prop_assert_eq!(&left.search(q, 10), &fresh.search(q, 10), "{}", q);
        }
    }
}
