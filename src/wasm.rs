//! The JavaScript API: a thin `#[wasm_bindgen]` layer over the public Rust API.
//!
//! Errors become JavaScript exceptions; nothing here panics. Article text reaches JavaScript
//! already cut into pieces, so no byte or UTF-16 offset work happens in JavaScript.

use crate::{parse, Article, Format, SEEDS};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A collection of parsed articles.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Corpus {
    articles: Vec<(String, Article)>,
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
    pub fn with_seeds() -> Result<Corpus, JsError> {
        let mut c = Corpus::new();
        for (name, text) in SEEDS {
            c.add_article(name, text)?;
        }
        Ok(c)
    }

    /// Parses `text` (plain text, HTML or JSON Lines, told apart by `name`'s extension and the
    /// content) and adds its articles. Returns the id of the first one added.
    #[wasm_bindgen(js_name = addArticle)]
    pub fn add_article(&mut self, name: &str, text: &str) -> Result<usize, JsError> {
        let parsed = parse(text.as_bytes(), Format::detect(name, text.as_bytes()))
            .map_err(|e| JsError::new(&format!("{name}: {e}")))?;
        let first = self.articles.len();
        self.articles
            .extend(parsed.articles.into_iter().map(|a| (name.to_string(), a)));
        Ok(first)
    }

    /// The number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True when the corpus holds no article.
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The parsed article `id`: `{id, name, title, publisher, subtitle, dateline, captions:
    /// [{text, credits}], paragraphs, credits}`.
    pub fn article(&self, id: usize) -> Result<JsValue, JsError> {
        let (name, a) = self.articles.get(id).ok_or_else(|| {
            JsError::new(&format!(
                "no article {id}: the corpus holds {} article(s)",
                self.articles.len()
            ))
        })?;
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
