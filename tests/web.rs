//! The JavaScript API, run in headless Chromium by `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]

use newslens::wasm::Corpus;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
fn seeds_load_and_parse() {
    let c = Corpus::with_seeds();
    assert_eq!(c.len(), 5);
    let a = c.article(2).unwrap();
    assert_eq!(
        get(&a, "title").as_string().unwrap(),
        "CPP video questions Kem Sokha’s parade of ambassadors"
    );
    assert_eq!(
        get(&a, "publisher").as_string().unwrap(),
        "Cambodian Journalists Alliance Association"
    );
    let a = c.article(1).unwrap();
    assert_eq!(get(&a, "dateline").as_string().unwrap(), "PHNOM PENH");
}

#[wasm_bindgen_test]
fn bad_input_is_an_exception_and_keeps_the_corpus() {
    let mut c = Corpus::with_seeds();
    assert!(c.add_article("empty.txt", "   \n\n  ").is_err());
    assert!(c.add_article("broken.jsonl", "{not json").is_err());
    assert!(c.article(99).is_err());
    assert_eq!(c.len(), 5, "nothing already loaded is lost");
    let id = c
        .add_article("page.html", "<h1>Talks</h1><p>PHNOM PENH--Talks began.</p>")
        .unwrap();
    assert_eq!(id, 5);
    assert_eq!(
        get(&c.article(5).unwrap(), "dateline").as_string().unwrap(),
        "PHNOM PENH"
    );
}

#[wasm_bindgen_test]
fn search_returns_segments_and_prebuilt_index_loads() {
    let c = Corpus::with_seeds();
    let r = c.search("Chandar", JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r, "total").as_f64().unwrap(), 1.0);
    let hits = js_sys::Array::from(&get(&r, "hits"));
    let snippet = js_sys::Array::from(&get(&hits.get(0), "snippet"));
    let marked: Vec<String> = snippet
        .iter()
        .filter(|s| get(s, "highlight").as_bool().unwrap())
        .map(|s| get(&s, "text").as_string().unwrap())
        .collect();
    assert_eq!(marked, ["Chandaraty"]);
    let loaded = Corpus::from_index(&c.to_index()).unwrap();
    assert_eq!(loaded.len(), 5);
    let r2 = loaded.search("Chandar", JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&r2, "total").as_f64().unwrap(), 1.0);
    assert!(Corpus::from_index(b"garbage").is_err());
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"limit".into(), &2.into()).unwrap();
    let r3 = c.search("sokha ", opts.into()).unwrap();
    assert_eq!(js_sys::Array::from(&get(&r3, "hits")).length(), 2);
}
