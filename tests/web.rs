//! The JavaScript API, run in headless Chromium by `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use newslens::wasm::Corpus;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn text(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

fn array(v: &JsValue, key: &str) -> Vec<JsValue> {
    js_sys::Array::from(&get(v, key)).iter().collect()
}

/// Bytes as JavaScript passes them.
fn bytes(b: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(b).into()
}

/// An options object.
fn object(pairs: &[(&str, JsValue)]) -> Option<JsValue> {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    Some(o.into())
}

/// The text of every field of `part` in an article view, segments joined.
fn fields(article: &JsValue, part: &str) -> Vec<String> {
    array(article, "fields")
        .iter()
        .filter(|f| text(f, "part").as_deref() == Some(part))
        .map(|f| {
            array(f, "segments")
                .iter()
                .map(|s| text(s, "text").unwrap())
                .collect()
        })
        .collect()
}

#[wasm_bindgen_test]
fn seeds_load_and_articles_come_as_segments() {
    let c = Corpus::with_seeds();
    assert_eq!(c.len(), 5);
    let a = c.article(JsValue::from(2), None).unwrap();
    assert_eq!(
        text(&a, "title").unwrap(),
        "CPP video questions Kem Sokha’s parade of ambassadors"
    );
    assert_eq!(
        fields(&a, "publisher"),
        ["Cambodian Journalists Alliance Association"]
    );
    assert_eq!(
        c.title(JsValue::from(2)).unwrap(),
        "CPP video questions Kem Sokha’s parade of ambassadors"
    );
    assert!(c.title(JsValue::from(5)).is_err());
    let a = c.article(JsValue::from(1), None).unwrap();
    assert_eq!(fields(&a, "dateline"), ["PHNOM PENH"]);
    // Entity marks: "Kem Sokha" in the title is a person, linked.
    let title = &array(&a, "fields")[0];
    let marks: Vec<(String, String, String)> = array(title, "segments")
        .iter()
        .filter_map(|s| Some((text(s, "text")?, text(s, "label")?, text(s, "entity")?)))
        .collect();
    assert!(
        marks.contains(&("Kem Sokha".into(), "PERSON".into(), "Kem Sokha".into())),
        "{marks:?}"
    );
}

#[wasm_bindgen_test]
fn an_article_opened_from_a_search_highlights_the_query() {
    let c = Corpus::with_seeds();
    let a = c
        .article(JsValue::from(0), object(&[("query", "Chandaraty".into())]))
        .unwrap();
    let highlighted: Vec<String> = array(&a, "fields")
        .iter()
        .flat_map(|f| array(f, "segments"))
        .filter(|s| get(s, "highlight").as_bool() == Some(true))
        .map(|s| text(&s, "text").unwrap())
        .collect();
    assert!(!highlighted.is_empty());
    assert!(
        highlighted.iter().all(|t| t == "Chandaraty"),
        "{highlighted:?}"
    );
}

#[wasm_bindgen_test]
fn bad_input_is_an_exception_and_keeps_the_corpus() {
    let mut c = Corpus::with_seeds();
    assert!(c
        .add_article(JsValue::from("empty.txt"), JsValue::from("   \n\n  "))
        .is_err());
    assert!(c
        .add_article(JsValue::from("broken.jsonl"), JsValue::from("{not json"))
        .is_err());
    assert!(c.article(JsValue::from(99), None).is_err());
    assert!(c
        .search(JsValue::from("x"), Some(JsValue::from_str("not options")))
        .is_err());
    assert!(c.entities(object(&[("label", "MOOD".into())])).is_err());
    assert_eq!(c.len(), 5, "nothing already loaded is lost");
    let id = c
        .add_article(
            JsValue::from("page.html"),
            JsValue::from("<h1>Talks</h1><p>PHNOM PENH--Talks began.</p>"),
        )
        .unwrap();
    assert_eq!(id, 5);
    let a = c.article(JsValue::from(5), None).unwrap();
    assert_eq!(fields(&a, "dateline"), ["PHNOM PENH"]);
}

/// Regression: wasm-bindgen's glue for a string parameter wrote a number or an object out of
/// bounds and trapped the module, and an id parameter made `"x"` or `{}` article 0 (so
/// `removeFile({})` removed the first file).
#[wasm_bindgen_test]
fn arguments_of_the_wrong_type_are_an_exception_and_keep_the_corpus() {
    let mut c = Corpus::with_seeds();
    let object = || JsValue::from(js_sys::Object::new());
    let list = || JsValue::from(js_sys::Array::of1(&"x".into()));
    let s = JsValue::from("sokha");
    type Call = Box<dyn Fn(&mut Corpus) -> Result<JsValue, JsValue>>;
    let calls: Vec<(&str, Call, &str)> = vec![
        (
            "search(5)",
            Box::new(|c| c.search(5.into(), None)),
            "query must be a string, not number",
        ),
        (
            "search({})",
            Box::new(move |c| c.search(object(), None)),
            "query must be a string, not object",
        ),
        (
            "search(null)",
            Box::new(|c| c.search(JsValue::NULL, None)),
            "query must be a string, not null",
        ),
        (
            "rank([x])",
            Box::new(move |c| c.rank(list(), None)),
            "query must be a string, not an array",
        ),
        (
            "network({})",
            Box::new(move |c| c.network(object(), None, None)),
            "entity must be a string, not object",
        ),
        (
            "cooccurring(5)",
            Box::new(|c| c.cooccurring(5.into(), None, None)),
            "entity must be a string",
        ),
        (
            "entity(undefined)",
            Box::new(|c| c.entity(JsValue::UNDEFINED, None)),
            "name must be a string, not undefined",
        ),
        (
            "entity(s, 5)",
            Box::new(|c| c.entity("sokha".into(), Some(5.into()))),
            "label must be a string, not number",
        ),
        (
            "addArticle({}, s)",
            Box::new(move |c| c.add_article(object(), "Text.".into()).map(JsValue::from)),
            "name must be a string",
        ),
        (
            "addArticle(s, 5)",
            Box::new(|c| c.add_article("a.txt".into(), 5.into()).map(JsValue::from)),
            "text must be a string, not number",
        ),
        (
            "addFile(5, b)",
            Box::new(|c| c.add_file(5.into(), bytes(b"Text.")).map(JsValue::from)),
            "name must be a string",
        ),
        (
            "addFile(s, 'text')",
            Box::new(|c| {
                c.add_file("a.txt".into(), "Text.".into())
                    .map(JsValue::from)
            }),
            "bytes must be a Uint8Array, not string",
        ),
        (
            "addIndex([1])",
            Box::new(move |c| c.add_index(list(), None).map(JsValue::from)),
            "bytes must be a Uint8Array, not an array",
        ),
        (
            "article('x')",
            Box::new(|c| c.article("x".into(), None)),
            "id must be an article id (a number), not string",
        ),
        (
            "article(1.5)",
            Box::new(|c| c.article(1.5.into(), None)),
            "not 1.5",
        ),
        (
            "article(-1)",
            Box::new(|c| c.article((-1).into(), None)),
            "not -1",
        ),
        (
            "title({})",
            Box::new(move |c| c.title(object()).map(JsValue::from)),
            "id must be an article id",
        ),
        (
            "removeFile({})",
            Box::new(move |c| c.remove_file(object()).map(JsValue::from)),
            "id must be an article id",
        ),
        (
            "removeFile(NaN)",
            Box::new(|c| c.remove_file(f64::NAN.into()).map(JsValue::from)),
            "not NaN",
        ),
        (
            "entitiesCsv(5)",
            Box::new(|c| c.entities_csv(Some(5.into())).map(JsValue::from)),
            "label must be a string",
        ),
        (
            "resultsCsv({})",
            Box::new(move |c| c.results_csv(object(), None).map(JsValue::from)),
            "query must be a string",
        ),
    ];
    let before = c.search(s.clone(), None).unwrap();
    for (call, f, want) in &calls {
        let e = f(&mut c).expect_err(call);
        assert_eq!(
            text(&e, "kind").as_deref(),
            Some("InvalidArgument"),
            "{call}"
        );
        let got = message(e);
        assert!(got.contains(want), "{call}: {got}");
    }
    let e = Corpus::from_index("NLIX".into()).unwrap_err();
    assert!(message(e).contains("bytes must be a Uint8Array, not string"));
    assert_eq!(c.live(), 5, "nothing was removed");
    let after = c.search(s, None).unwrap();
    assert_eq!(array(&after, "hits").len(), array(&before, "hits").len());
    // A whole number is an id, however JavaScript holds it.
    assert_eq!(c.title(4.0.into()).unwrap(), c.title(4u32.into()).unwrap());
}

#[wasm_bindgen_test]
fn a_hostile_article_stays_text() {
    let mut c = Corpus::new();
    let id = c
        .add_article(
            "x.html".into(),
            "<h1>Hi <img src=x onerror=alert(1)></h1><p>Read <a href=\"javascript:alert(2)\">this</a> &lt;script&gt;alert(3)&lt;/script&gt;</p>".into(),
        )
        .unwrap();
    let a = c.article(JsValue::from(id), None).unwrap();
    let body = fields(&a, "paragraph").join("\n");
    assert!(body.contains("<script>alert(3)</script>"), "{body}");
    assert!(!body.contains("javascript:"));
}

#[wasm_bindgen_test]
fn search_returns_segments_with_entities_and_prebuilt_index_loads() {
    let c = Corpus::with_seeds();
    let r = c.search(JsValue::from("Chandar"), None).unwrap();
    assert_eq!(get(&r, "total").as_f64().unwrap(), 1.0);
    let hits = array(&r, "hits");
    let snippet = array(&hits[0], "snippet");
    let marked: Vec<String> = snippet
        .iter()
        .filter(|s| get(s, "highlight").as_bool().unwrap())
        .map(|s| text(s, "text").unwrap())
        .collect();
    assert_eq!(marked, ["Chandaraty"]);
    assert!(snippet
        .iter()
        .any(|s| text(s, "entity").as_deref() == Some("Khem Chandaraty")));
    let loaded = Corpus::from_index(bytes(&c.to_index())).unwrap();
    assert_eq!(loaded.len(), 5);
    let r2 = loaded.search(JsValue::from("Chandar"), None).unwrap();
    assert_eq!(get(&r2, "total").as_f64().unwrap(), 1.0);
    assert!(Corpus::from_index(bytes(b"garbage")).is_err());
    let r3 = c
        .search(JsValue::from("sokha "), object(&[("limit", 2.into())]))
        .unwrap();
    assert_eq!(array(&r3, "hits").len(), 2);
}

#[wasm_bindgen_test]
fn entities_and_cooccurrence() {
    let c = Corpus::with_seeds();
    let people = c
        .entities(object(&[("label", "PERSON".into()), ("limit", 3.into())]))
        .unwrap();
    let people: Vec<JsValue> = js_sys::Array::from(&people).iter().collect();
    assert_eq!(people.len(), 3);
    assert_eq!(text(&people[0], "entity").unwrap(), "Kem Sokha");
    assert!(people
        .iter()
        .all(|p| text(p, "label").as_deref() == Some("PERSON")));
    assert_eq!(array(&people[0], "articles").len(), 5);
    let shared = c.cooccurring(JsValue::from("sokha"), None, None).unwrap();
    let shared: Vec<JsValue> = js_sys::Array::from(&shared).iter().collect();
    assert!(shared
        .iter()
        .any(|s| text(s, "entity").as_deref() == Some("Cambodia National Rescue Party")));
    let none = c
        .cooccurring(JsValue::from("Nobody Here"), None, None)
        .unwrap();
    assert_eq!(js_sys::Array::from(&none).length(), 0);
    // One entity by an alias in any case, as `entities()` lists it.
    let one = c
        .entity(JsValue::from("SOKHA"), Some("PERSON".into()))
        .unwrap();
    assert_eq!(text(&one, "entity").unwrap(), "Kem Sokha");
    assert_eq!(array(&one, "articles").len(), 5);
    assert!(c
        .entity(JsValue::from("Nobody Here"), None)
        .unwrap()
        .is_null());
    assert!(c
        .entity(JsValue::from("sokha"), Some("COLOUR".into()))
        .is_err());
    // Its network: itself first, then whom it shares articles with, and the pairs' counts.
    let net = c.network(JsValue::from("sokha"), None, Some(4)).unwrap();
    let nodes = array(&net, "nodes");
    assert_eq!(text(&nodes[0], "entity").unwrap(), "Kem Sokha");
    assert!(nodes.len() >= 2 && nodes.len() <= 5);
    assert!(array(&net, "edges").len() >= nodes.len() - 1);
    assert!(c
        .network(JsValue::from("Nobody Here"), None, None)
        .unwrap()
        .is_null());
}

#[wasm_bindgen_test]
fn rank_gives_the_ids_and_scores_search_gives() {
    let c = Corpus::with_seeds();
    for q in [
        "sokha",
        "\"rescue party\"",
        "rainsy OR hun",
        "nothing-matches-this",
    ] {
        let opts = || object(&[("limit", JsValue::from(3))]);
        let searched = c.search(JsValue::from(q), opts()).unwrap();
        let ranked = c.rank(JsValue::from(q), opts()).unwrap();
        let ids = |v: &JsValue| -> Vec<(u32, f64)> {
            array(v, "hits")
                .iter()
                .map(|h| {
                    (
                        get(h, "id").as_f64().unwrap() as u32,
                        get(h, "score").as_f64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(ids(&ranked), ids(&searched), "{q}");
        assert_eq!(
            get(&ranked, "total").as_f64(),
            get(&searched, "total").as_f64(),
            "{q}"
        );
    }
    assert!(c
        .rank(
            JsValue::from("sokha"),
            object(&[("limit", JsValue::from("ten"))])
        )
        .is_err());
}

#[path = "common/hostile_inputs.rs"]
mod hostile_inputs;

/// The message of an exception the module threw.
fn message(e: JsValue) -> String {
    text(&e, "message").unwrap()
}

#[wasm_bindgen_test]
fn hostile_files_and_queries_through_the_module() {
    use newslens::Format;
    let mut c = Corpus::with_seeds();
    for (case, bytes, format, want) in hostile_inputs::cases() {
        let ext = match format {
            Format::Text => "txt",
            Format::Html => "html",
            Format::JsonLines => "jsonl",
        };
        let name = format!("{}.{ext}", case.replace(' ', "-"));
        let before = c.len();
        match (c.add_file(JsValue::from(&name), self::bytes(&bytes)), want) {
            (Ok(first), None) => {
                assert_eq!(first, before, "{case}");
                assert!(c.len() > before, "{case}");
                let a = c.article(JsValue::from(first), None).unwrap();
                assert!(!array(&a, "fields").is_empty(), "{case}");
            }
            (Err(e), Some(kind)) => {
                let native = newslens::parse(&bytes, format).unwrap_err();
                assert_eq!(native.kind(), kind, "{case}");
                // A JavaScript Error that keeps the kind and the figures.
                assert!(e.dyn_ref::<js_sys::Error>().is_some(), "{case}");
                assert_eq!(text(&e, "name").as_deref(), Some("NewsLensError"), "{case}");
                assert_eq!(text(&e, "kind").as_deref(), Some(kind.name()), "{case}");
                for (figure, value) in native.figures() {
                    assert_eq!(
                        get(&e, figure).as_f64(),
                        Some(value as f64),
                        "{case} {figure}"
                    );
                }
                assert_eq!(message(e), format!("{name}: {native}"), "{case}");
                assert_eq!(c.len(), before, "{case}: nothing already loaded is lost");
            }
            (Ok(_), Some(kind)) => panic!("{case}: expected a {kind:?} error, got an article"),
            (Err(e), None) => panic!("{case}: expected an article, got: {}", message(e)),
        }
    }
    // Decoded as the CLI decodes files, not as U+FFFD.
    let latin = c.search(JsValue::from("Réunion"), None).unwrap();
    assert_eq!(array(&latin, "hits").len(), 1);
    let utf16 = c.search(JsValue::from("sixteenbit"), None).unwrap();
    assert_eq!(array(&utf16, "hits").len(), 1);
    for q in hostile_inputs::queries() {
        let found = c.search(JsValue::from(&q), None).unwrap();
        let ranked = c.rank(JsValue::from(&q), None).unwrap();
        assert_eq!(
            array(&found, "hits").len(),
            array(&ranked, "hits").len(),
            "{q:.40}"
        );
    }
    assert!(c.prepare_entities(0) <= c.len());
    assert_eq!(c.prepare_entities(usize::MAX), 0);
    let people = c.entities(object(&[("label", "PERSON".into())])).unwrap();
    assert!(js_sys::Array::from(&people).length() > 0);
    let sokha = c
        .search(JsValue::from("person:\"Kem Sokha\" sixteenbit"), None)
        .unwrap();
    assert_eq!(
        array(&sokha, "hits").len(),
        1,
        "the UTF-16 article's names are linked"
    );
}

/// The module names the same entities in the bundled articles as `newslens entities` does
/// (`tests/fixtures/seed-entities.tsv`, checked against the CLI by `tests/cli.rs`).
#[wasm_bindgen_test]
fn entities_in_the_module_match_the_cli() {
    let c = Corpus::with_seeds();
    let mut lines = Vec::new();
    for id in 0..c.len() {
        let a = c.article(JsValue::from(id), None).unwrap();
        let name = text(&a, "name").unwrap();
        for f in array(&a, "fields") {
            for s in array(&f, "segments") {
                if let (Some(label), Some(entity)) = (text(&s, "label"), text(&s, "entity")) {
                    lines.push(format!(
                        "{}\t{label}\t{}\t{entity}",
                        &name[..3],
                        text(&s, "text").unwrap()
                    ));
                }
            }
        }
    }
    lines.sort();
    let got = lines.join("\n") + "\n";
    assert_eq!(got, include_str!("fixtures/seed-entities.tsv"));
}

/// The module decodes a page by the character set it declares: the CLI with encoding_rs, the
/// page with the browser's `TextDecoder`. Both must read the same bytes the same way, so a
/// page's text is one thing whichever side reads it.
#[wasm_bindgen_test]
fn declared_charsets_read_as_the_browser_reads_them() {
    let body = "Caf\u{e9} \u{201c}owners\u{201d} win \u{2013} the court, which sat for a week, agreed with them, and costs were paid.";
    let cases: &[(&str, &'static encoding_rs::Encoding, &str)] = &[
        ("windows-1252", encoding_rs::WINDOWS_1252, body),
        ("iso-8859-2", encoding_rs::ISO_8859_2, "\u{141}\u{f3}d\u{17a}: the court, which sat for a week, agreed with them, and costs were paid."),
        ("shift_jis", encoding_rs::SHIFT_JIS, "\u{6771}\u{4eac}\u{306e}\u{88c1}\u{5224}\u{6240}\u{306f}\u{3001}\u{706b}\u{66dc}\u{65e5}\u{306b}\u{3001}\u{571f}\u{5730}\u{306e}\u{4e89}\u{3044}\u{306b}\u{3064}\u{3044}\u{3066}\u{5be9}\u{7406}\u{3057}\u{305f}\u{3002}"),
        ("gb18030", encoding_rs::GB18030, "\u{4e2d}\u{6587}\u{7684}\u{6587}\u{7ae0}\u{ff0c}\u{6cd5}\u{9662}\u{5ba1}\u{7406}\u{4e86}\u{571f}\u{5730}\u{4e89}\u{8bae}\u{3002}"),
        ("koi8-r", encoding_rs::KOI8_R, "\u{421}\u{443}\u{434} \u{440}\u{430}\u{441}\u{441}\u{43c}\u{43e}\u{442}\u{440}\u{435}\u{43b}, \u{43d}\u{43e}, \u{43a}\u{43e}\u{43d}\u{435}\u{447}\u{43d}\u{43e}, \u{441}\u{43f}\u{43e}\u{440}."),
    ];
    for (label, encoding, text) in cases {
        let html = format!(
            "<html><head><meta charset=\"{label}\"><title>T</title></head><body><article><h1>T</h1><p>{text}</p></article></body></html>"
        );
        let (bytes, _, unmappable) = encoding.encode(&html);
        assert!(!unmappable, "{label}: the test text must be encodable");
        let decoder = web_sys::TextDecoder::new_with_label(label).unwrap();
        let browser = decoder.decode_with_u8_array(&bytes).unwrap();
        assert!(
            browser.contains(text),
            "{label}: the browser read {browser:?}"
        );
        let mut c = Corpus::new();
        let id = c
            .add_file(JsValue::from("page.html"), self::bytes(&bytes))
            .unwrap();
        let article = c.article(JsValue::from(id), None).unwrap();
        let paragraphs = fields(&article, "paragraph");
        assert_eq!(paragraphs, [text.to_string()], "{label}");
    }
}

#[wasm_bindgen_test]
fn segments_read_back_in_order_give_the_same_corpus_and_a_damaged_one_adds_nothing() {
    let c = Corpus::with_seeds();
    let mut read = Corpus::from_index(bytes(&c.segment_index(0, 2))).unwrap();
    assert_eq!(
        read.add_index(bytes(&c.segment_index(2, 5)), None).unwrap(),
        2
    );
    assert_eq!(read.to_index(), c.to_index());
    let mut damaged = c.segment_index(2, 5);
    let last = damaged.len() - 1;
    damaged[last] ^= 0x55;
    let mut part = Corpus::from_index(bytes(&c.segment_index(0, 2))).unwrap();
    let e = part.add_index(bytes(&damaged), None).unwrap_err();
    assert!(
        get(&e, "message").as_string().unwrap().contains("checksum"),
        "{e:?}"
    );
    assert_eq!(part.len(), 2);
    let r = part.search(JsValue::from("Chandaraty"), None).unwrap();
    assert_eq!(get(&r, "total").as_f64().unwrap(), 1.0);
}
