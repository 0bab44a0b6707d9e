//! The JavaScript API, run in headless Chromium by `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use newslens::wasm::Corpus;
use wasm_bindgen::JsValue;
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
    let a = c.article(2, None).unwrap();
    assert_eq!(
        text(&a, "title").unwrap(),
        "CPP video questions Kem Sokha’s parade of ambassadors"
    );
    assert_eq!(
        fields(&a, "publisher"),
        ["Cambodian Journalists Alliance Association"]
    );
    assert_eq!(
        c.title(2).unwrap(),
        "CPP video questions Kem Sokha’s parade of ambassadors"
    );
    assert!(c.title(5).is_err());
    let a = c.article(1, None).unwrap();
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
        .article(0, object(&[("query", "Chandaraty".into())]))
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
    assert!(c.add_article("empty.txt", "   \n\n  ").is_err());
    assert!(c.add_article("broken.jsonl", "{not json").is_err());
    assert!(c.article(99, None).is_err());
    assert!(c
        .search("x", Some(JsValue::from_str("not options")))
        .is_err());
    assert!(c.entities(object(&[("label", "MOOD".into())])).is_err());
    assert_eq!(c.len(), 5, "nothing already loaded is lost");
    let id = c
        .add_article("page.html", "<h1>Talks</h1><p>PHNOM PENH--Talks began.</p>")
        .unwrap();
    assert_eq!(id, 5);
    let a = c.article(5, None).unwrap();
    assert_eq!(fields(&a, "dateline"), ["PHNOM PENH"]);
}

#[wasm_bindgen_test]
fn a_hostile_article_stays_text() {
    let mut c = Corpus::new();
    let id = c
        .add_article(
            "x.html",
            "<h1>Hi <img src=x onerror=alert(1)></h1><p>Read <a href=\"javascript:alert(2)\">this</a> &lt;script&gt;alert(3)&lt;/script&gt;</p>",
        )
        .unwrap();
    let a = c.article(id, None).unwrap();
    let body = fields(&a, "paragraph").join("\n");
    assert!(body.contains("<script>alert(3)</script>"), "{body}");
    assert!(!body.contains("javascript:"));
}

#[wasm_bindgen_test]
fn search_returns_segments_with_entities_and_prebuilt_index_loads() {
    let c = Corpus::with_seeds();
    let r = c.search("Chandar", None).unwrap();
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
    let loaded = Corpus::from_index(&c.to_index()).unwrap();
    assert_eq!(loaded.len(), 5);
    let r2 = loaded.search("Chandar", None).unwrap();
    assert_eq!(get(&r2, "total").as_f64().unwrap(), 1.0);
    assert!(Corpus::from_index(b"garbage").is_err());
    let r3 = c.search("sokha ", object(&[("limit", 2.into())])).unwrap();
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
    let shared = c.cooccurring("sokha", None, None).unwrap();
    let shared: Vec<JsValue> = js_sys::Array::from(&shared).iter().collect();
    assert!(shared
        .iter()
        .any(|s| text(s, "entity").as_deref() == Some("Cambodia National Rescue Party")));
    let none = c.cooccurring("Nobody Here", None, None).unwrap();
    assert_eq!(js_sys::Array::from(&none).length(), 0);
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
        let searched = c.search(q, opts()).unwrap();
        let ranked = c.rank(q, opts()).unwrap();
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
        .rank("sokha", object(&[("limit", JsValue::from("ten"))]))
        .is_err());
}

#[path = "common/hostile_inputs.rs"]
mod hostile_inputs;

/// The message of an exception the module threw.
fn message(e: wasm_bindgen::JsError) -> String {
    text(&JsValue::from(e), "message").unwrap()
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
        match (c.add_file(&name, &bytes), want) {
            (Ok(first), None) => {
                assert_eq!(first, before, "{case}");
                assert!(c.len() > before, "{case}");
                let a = c.article(first, None).unwrap();
                assert!(!array(&a, "fields").is_empty(), "{case}");
            }
            (Err(e), Some(kind)) => {
                let native = newslens::parse(&bytes, format).unwrap_err();
                assert_eq!(native.kind(), kind, "{case}");
                assert_eq!(message(e), format!("{name}: {native}"), "{case}");
                assert_eq!(c.len(), before, "{case}: nothing already loaded is lost");
            }
            (Ok(_), Some(kind)) => panic!("{case}: expected a {kind:?} error, got an article"),
            (Err(e), None) => panic!("{case}: expected an article, got: {}", message(e)),
        }
    }
    // Decoded as the CLI decodes files, not as U+FFFD.
    let latin = c.search("Réunion", None).unwrap();
    assert_eq!(array(&latin, "hits").len(), 1);
    let utf16 = c.search("sixteenbit", None).unwrap();
    assert_eq!(array(&utf16, "hits").len(), 1);
    for q in hostile_inputs::queries() {
        let found = c.search(&q, None).unwrap();
        let ranked = c.rank(&q, None).unwrap();
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
    let sokha = c.search("person:\"Kem Sokha\" sixteenbit", None).unwrap();
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
        let a = c.article(id, None).unwrap();
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
