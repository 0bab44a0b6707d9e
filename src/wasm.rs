//! The JavaScript API: a thin `#[wasm_bindgen]` layer over the public Rust API.
//!
//! Errors become JavaScript exceptions; nothing here panics. Article text reaches JavaScript
//! already cut into pieces, so no byte or UTF-16 offset work happens in JavaScript.

use crate::{parse, Format};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A collection of parsed articles.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Corpus {
    inner: crate::Corpus,
}

#[derive(Serialize)]
struct SegmentView<'a> {
    text: &'a str,
    highlight: bool,
}

#[derive(Serialize)]
struct HitView<'a> {
    id: u32,
    name: &'a str,
    title: &'a str,
    score: f32,
    snippet: Vec<SegmentView<'a>>,
}

#[derive(Serialize)]
struct ResultsView<'a> {
    total: usize,
    hits: Vec<HitView<'a>>,
}

/// Options of `search`: `{limit}` (default 10, at most 1000).
#[derive(serde::Deserialize, Default)]
struct SearchOptions {
    limit: Option<usize>,
}

#[derive(Serialize)]
struct CaptionView<'a> {
    text: &'a str,
    credits: Vec<&'a str>,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    id: usize,
    name: &'a str,
    title: &'a str,
    publisher: Option<&'a str>,
    subtitle: Option<&'a str>,
    dateline: Option<&'a str>,
    captions: Vec<CaptionView<'a>>,
    paragraphs: Vec<&'a str>,
    credits: Vec<&'a str>,
}

#[wasm_bindgen]
impl Corpus {
    /// An empty corpus.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// The bundled corpus: the five seed articles.
    #[wasm_bindgen(js_name = withSeeds)]
    pub fn with_seeds() -> Corpus {
        Corpus {
            inner: crate::Corpus::seeds(),
        }
    }

    /// Loads a prebuilt index (written by `newslens index`), articles included.
    #[wasm_bindgen(js_name = fromIndex)]
    pub fn from_index(bytes: &[u8]) -> Result<Corpus, JsError> {
        crate::Corpus::from_bytes(bytes)
            .map(|inner| Corpus { inner })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The corpus as a prebuilt index (the bytes `fromIndex` loads).
    #[wasm_bindgen(js_name = toIndex)]
    pub fn to_index(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    /// Searches: `{total, hits: [{id, name, title, score, snippet: [{text, highlight}]}]}`.
    pub fn search(&self, query: &str, options: JsValue) -> Result<JsValue, JsError> {
        let options: SearchOptions = if options.is_undefined() || options.is_null() {
            SearchOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| JsError::new(&format!("search options: {e}")))?
        };
        let limit = options.limit.unwrap_or(10).min(1000);
        let results = self.inner.search(query, limit);
        let view = ResultsView {
            total: results.total,
            hits: results
                .hits
                .iter()
                .filter_map(|h| {
                    let d = self.inner.get(h.doc)?;
                    Some(HitView {
                        id: h.doc,
                        name: &d.name,
                        title: d.article.title().text(),
                        score: h.score,
                        snippet: h
                            .snippet
                            .segments()
                            .into_iter()
                            .map(|(text, highlight)| SegmentView { text, highlight })
                            .collect(),
                    })
                })
                .collect(),
        };
        serde_wasm_bindgen::to_value(&view).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Parses `text` (plain text, HTML or JSON Lines, told apart by `name`'s extension and the
    /// content) and adds its articles. Returns the id of the first one added.
    #[wasm_bindgen(js_name = addArticle)]
    pub fn add_article(&mut self, name: &str, text: &str) -> Result<usize, JsError> {
        let parsed = parse(text.as_bytes(), Format::detect(name, text.as_bytes()))
            .map_err(|e| JsError::new(&format!("{name}: {e}")))?;
        let first = self.inner.len();
        for a in parsed.articles {
            self.inner.add(name, a);
        }
        Ok(first)
    }

    /// The number of articles.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// True when the corpus holds no article.
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The parsed article `id`: `{id, name, title, publisher, subtitle, dateline, captions:
    /// [{text, credits}], paragraphs, credits}`.
    pub fn article(&self, id: usize) -> Result<JsValue, JsError> {
        let doc = u32::try_from(id)
            .ok()
            .and_then(|d| self.inner.get(d))
            .ok_or_else(|| {
                JsError::new(&format!(
                    "no article {id}: the corpus holds {} article(s)",
                    self.inner.len()
                ))
            })?;
        let (name, a) = (&doc.name, &doc.article);
        let view = ArticleView {
            id,
            name,
            title: a.title().text(),
            publisher: a.publisher().map(|f| f.text()),
            subtitle: a.subtitle().map(|f| f.text()),
            dateline: a.dateline().map(|f| f.text()),
            captions: a
                .captions()
                .iter()
                .map(|c| CaptionView {
                    text: c.caption.text(),
                    credits: c.credits.iter().map(|f| f.text()).collect(),
                })
                .collect(),
            paragraphs: a.paragraphs().iter().map(|f| f.text()).collect(),
            credits: a.credits().iter().map(|f| f.text()).collect(),
        };
        serde_wasm_bindgen::to_value(&view).map_err(|e| JsError::new(&e.to_string()))
    }
}
