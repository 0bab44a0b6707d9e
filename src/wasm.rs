//! The JavaScript API: a thin `#[wasm_bindgen]` layer over the public Rust API.
//!
//! Errors become JavaScript exceptions; nothing here panics. Article text reaches JavaScript
//! already cut into pieces, so no byte or UTF-16 offset work happens in JavaScript.

use crate::{parse, Format, Label};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A collection of parsed articles.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Corpus {
    inner: crate::Corpus,
}

/// Options of `search`: `{limit}` (default 10, at most 1000).
#[derive(serde::Deserialize, Default)]
struct SearchOptions {
    limit: Option<usize>,
}

impl SearchOptions {
    /// The number of hits `what` (`search`, `rank`) returns for its options.
    fn limit(what: &str, options: Option<JsValue>) -> Result<usize, JsValue> {
        let options: SearchOptions = self::options(what, options)?;
        Ok(options.limit.unwrap_or(10).min(1000))
    }
}

/// Options of `article`: `{query}`, whose matches are highlighted.
#[derive(serde::Deserialize, Default)]
struct ArticleOptions {
    query: Option<String>,
}

/// Options of `timeline`: `{query}` or `{entity, label}`.
#[derive(serde::Deserialize, Default)]
struct TimelineOptions {
    query: Option<String>,
    entity: Option<String>,
    label: Option<String>,
}

/// Options of `entities`: `{label, limit}` (default every label, 100 entities, at most 10,000).
#[derive(serde::Deserialize, Default)]
struct EntityOptions {
    label: Option<String>,
    limit: Option<usize>,
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** An entity label. */
export type Label = "PERSON" | "ORG" | "GPE" | "DATE" | "NORP" | "EVENT";
/** A piece of text ready to render: the entity mention it belongs to, and whether the query matched it. */
export interface Segment { text: string; label?: Label; entity?: string; highlight: boolean }
/** `date`: the article's date (published, else its dateline's), `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export interface Hit { id: number; name: string; record?: string; title: string; date?: string; score: number; snippet: Segment[] }
export interface SearchResults { total: number; hits: Hit[] }
/** First hits of a published archive: `exact` says whether `total` is exact too (else a lower bound). */
export interface FirstResults extends SearchResults { exact: boolean }
export interface SearchOptions { limit?: number }
/** Options of `Archive.attempt`: `first` asks for the first hits (as `searchFirst`). */
export interface AttemptOptions { limit?: number; first?: boolean }
export interface RankedHit { id: number; score: number }
export interface RankResults { total: number; hits: RankedHit[] }
/** The part a field plays in its article. */
export type Part = "title" | "publisher" | "subtitle" | "dateline" | "caption" | "caption_credit" | "paragraph" | "credit";
export interface ArticleField { part: Part; segments: Segment[] }
/** A date the article mentions, with its calendar value (`Monday`, `last month` resolved against the article's date; none when it has none). */
export interface DateMention { text: string; value?: string }
/** `published`: ISO 8601 date or date-time; `date`: the article's date (published, else its dateline's); `authors` and `language` as the page's metadata gives them. */
export interface ArticleView { id: number; name: string; title: string; published?: string; date?: string; dates: DateMention[]; authors: string[]; language?: string; fields: ArticleField[] }
export interface ArticleOptions { query?: string }
export interface EntityOptions { label?: Label; limit?: number }
/** `first`, `last`: the earliest and latest date of its articles. */
export interface EntityEntry { entity: string; label: Label; count: number; articles: number[]; aliases: string[]; first?: string; last?: string }
/** Articles per period: `unit` is chosen by the span (days up to 62 days, months up to 48 months, else years); every period from the first to the last is listed; `coarse` counts articles dated less precisely than the unit, `undated` those without a date. */
export interface Timeline { unit: "year" | "month" | "day"; periods: { period: string; count: number }[]; coarse: number; undated: number }
/** The articles matching `query` (every article without one), or those of the entity named `entity` (with `label`). */
export interface TimelineOptions { query?: string; entity?: string; label?: Label }
export interface EntityRef { name: string; label: Label }
/** One correction to the machine's entities. */
export type Change =
  | { op: "merge"; entity: EntityRef; into: EntityRef; name?: string }
  | { op: "split"; entity: EntityRef; alias: string }
  | { op: "rename"; entity: EntityRef; name: string }
  | { op: "relabel"; entity: EntityRef; label: Label }
  | { op: "hide"; entity: EntityRef };
/** Corrections applied in order; the JSON a page exports and imports. */
export interface Curation { changes: Change[] }
/** How many changes found their entity, and how many did not (stale: the corpus changed). */
export interface CurationReport { applied: number; stale: number }
/** What the module throws: `kind` says what went wrong; the figures of the problem are number properties (TooLarge: bytes, limit; CorpusFull: held, adding, limit; Binary: controls, sampled; an index of another version: found, supported). */
export interface NewsLensError extends Error { name: "NewsLensError"; kind: "Empty" | "Binary" | "TooLarge" | "CorpusFull" | "Malformed" | "Unsupported" | "InvalidArgument"; bytes?: number; limit?: number; held?: number; adding?: number; controls?: number; sampled?: number; found?: number; supported?: number }
export interface LabelInfo { label: Label; name: string; filter?: string }
/** The module's limits (bytes), the file extensions it reads (none in the search-only build), and the labels as a page shows them. */
export interface ModuleInfo { maxFileBytes: number; maxCorpusBytes: number; maxQueryBytes: number; extensions: string[]; labels: LabelInfo[] }
export interface SharedEntity { entity: string; label: Label; articles: number }
/** An entity (first node, with all its articles) and those it shares most articles with; edges join nodes by index. */
export interface Network { nodes: SharedEntity[]; edges: { a: number; b: number; articles: number }[] }
"#;

/// A NewsLens error as JavaScript sees it: an `Error` named `NewsLensError` whose `message` is
/// the error's `Display` (after `context:`, the file it is about), whose `kind` is its
/// [`ErrorKind`](crate::ErrorKind)'s name, and which carries its figures (`bytes`, `limit`, ...)
/// as number properties.
fn js_error(e: &crate::Error, context: Option<&str>) -> JsValue {
    let message = match context {
        Some(c) => format!("{c}: {e}"),
        None => e.to_string(),
    };
    let error = named_error(&message, e.kind().name());
    for (name, value) in e.figures() {
        let _ = js_sys::Reflect::set(&error, &name.into(), &(value as f64).into());
    }
    error.into()
}

/// An `Error` named `NewsLensError` of kind `InvalidArgument`: a call the module cannot make
/// sense of (unknown options or label, an article id out of range).
fn bad_argument(message: &str) -> JsValue {
    named_error(message, "InvalidArgument").into()
}

fn named_error(message: &str, kind: &str) -> js_sys::Error {
    let error = js_sys::Error::new(message);
    error.set_name("NewsLensError");
    let _ = js_sys::Reflect::set(&error, &"kind".into(), &kind.into());
    error
}

/// What JavaScript passed, for a message: `typeof`, with `null` and arrays told apart.
fn kind_of(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if js_sys::Array::is_array(v) {
        "an array".into()
    } else {
        v.js_typeof().as_string().unwrap_or_default()
    }
}

/// A string argument (`what` names it), or the `InvalidArgument` error JavaScript sees for
/// anything else. Arguments are taken as `JsValue` and checked here because wasm-bindgen's
/// glue for a `&str` parameter writes a non-string (a number, an object) out of bounds and
/// traps the module.
fn string_arg(what: &str, v: &JsValue) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| bad_argument(&format!("{what} must be a string, not {}", kind_of(v))))
}

/// An optional string argument: `undefined` or `null` is none.
fn optional_string_arg(what: &str, v: Option<JsValue>) -> Result<Option<String>, JsValue> {
    v.filter(|v| !v.is_undefined() && !v.is_null())
        .map(|v| string_arg(what, &v))
        .transpose()
}

/// A bytes argument: a `Uint8Array` (a Node `Buffer` is one), copied into the module as
/// wasm-bindgen copies a `&[u8]`; anything else is the `InvalidArgument` error JavaScript sees
/// (wasm-bindgen would read a string's characters as zero bytes, an object as no bytes).
fn bytes_arg(what: &str, v: &JsValue) -> Result<Vec<u8>, JsValue> {
    v.dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .ok_or_else(|| bad_argument(&format!("{what} must be a Uint8Array, not {}", kind_of(v))))
}

/// An article id argument: a whole number from 0 to 2^32 - 1, or the `InvalidArgument` error
/// JavaScript sees (wasm-bindgen would make `"x"` or `{}` article 0).
fn id_arg(what: &str, v: &JsValue) -> Result<u32, JsValue> {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&n) => Ok(n as u32),
        Some(n) => Err(bad_argument(&format!(
            "{what} must be an article id (a whole number from 0), not {n}"
        ))),
        None => Err(bad_argument(&format!(
            "{what} must be an article id (a number), not {}",
            kind_of(v)
        ))),
    }
}

fn options<T: serde::de::DeserializeOwned + Default>(
    what: &str,
    v: Option<JsValue>,
) -> Result<T, JsValue> {
    let Some(v) = v.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(T::default());
    };
    serde_wasm_bindgen::from_value(v).map_err(|e| bad_argument(&format!("{what} options: {e}")))
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| bad_argument(&e.to_string()))
}

fn label(name: &str) -> Result<Label, JsValue> {
    Label::from_name(name).ok_or_else(|| {
        bad_argument(&format!(
            "unknown label \"{name}\": use PERSON, ORG, GPE, DATE, NORP or EVENT"
        ))
    })
}

/// The label an optional label argument names, if any.
fn label_arg(v: Option<JsValue>) -> Result<Option<Label>, JsValue> {
    optional_string_arg("label", v)?
        .as_deref()
        .map(label)
        .transpose()
}

/// The labels an optional label argument names: none (every label) or that one.
fn labels(v: Option<JsValue>) -> Result<Vec<Label>, JsValue> {
    label_arg(v).map(|l| l.into_iter().collect())
}

impl Corpus {
    /// Parses one file and adds all of its articles, or none of them.
    fn add_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<usize, JsValue> {
        parse(bytes, Format::detect(name, bytes))
            .and_then(|parsed| self.inner.try_add_all(name, parsed.articles))
            .map(|first| first as usize)
            .map_err(|e| js_error(&e, Some(name)))
    }

    /// Article `id` and its document, or the error JavaScript sees for an unknown id.
    fn document(&self, id: &JsValue) -> Result<crate::Document, JsValue> {
        let id = id_arg("id", id)?;
        self.inner.get(id).ok_or_else(|| {
            bad_argument(&format!(
                "no article {id}: the corpus holds {} article(s), ids 0 to {} (removed \
                     ones not found)",
                self.inner.live(),
                self.inner.len().saturating_sub(1)
            ))
        })
    }
}

#[wasm_bindgen]
impl Corpus {
    /// An empty corpus.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// What the page needs to know of this module: `{maxFileBytes, maxCorpusBytes,
    /// maxQueryBytes, extensions, labels: [{label, name, filter}]}` (the limits it enforces, the
    /// file extensions it reads, the entity labels with what they name and their query prefix).
    #[wasm_bindgen(unchecked_return_type = "ModuleInfo")]
    pub fn info() -> Result<JsValue, JsValue> {
        to_js(&crate::ModuleInfo::of_this_build())
    }

    #[cfg(feature = "seeds")]
    /// The bundled corpus: the five seed articles.
    #[wasm_bindgen(js_name = withSeeds)]
    pub fn with_seeds() -> Corpus {
        Corpus {
            inner: crate::Corpus::seeds(),
        }
    }

    /// Loads a prebuilt index (written by `newslens index`), articles included.
    #[wasm_bindgen(js_name = fromIndex)]
    pub fn from_index(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<Corpus, JsValue> {
        crate::Corpus::from_bytes(&bytes_arg("bytes", &bytes)?)
            .map(|inner| Corpus { inner })
            .map_err(|e| js_error(&e, None))
    }

    /// The corpus as a prebuilt index (the bytes `fromIndex` loads).
    #[wasm_bindgen(js_name = toIndex)]
    pub fn to_index(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    /// Articles `first` to `end` (ids, end excluded), those not removed, as an index file of
    /// their own: a segment, with what recognition found in them. A page keeps the segment of
    /// each addition and reads them back in order with `addIndex`, which gives the same corpus.
    #[wasm_bindgen(js_name = segmentIndex)]
    pub fn segment_index(&self, first: u32, end: u32) -> Vec<u8> {
        self.inner.segment_bytes(first, end)
    }

    /// Adds the articles of an index file (a segment from `segmentIndex`, or a whole index from
    /// `toIndex`) after those the corpus holds; returns the id the first one got. `files`, if
    /// given, are the ids (within the file, ascending) where each added file starts, for
    /// `removeFile`; without it a run of one name is one file. Searches score over every
    /// article, as if all had been added one by one. Throws, adding nothing, if the file is
    /// damaged or the corpus would pass its size limit.
    #[wasm_bindgen(js_name = addIndex)]
    pub fn add_index(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
        files: Option<Vec<u32>>,
    ) -> Result<u32, JsValue> {
        let bytes = bytes_arg("bytes", &bytes)?;
        self.inner
            .add_segment_files(&bytes, files.as_deref().unwrap_or(&[]))
            .map_err(|e| js_error(&e, None))
    }

    /// Searches: `{total, hits: [{id, name, title, score, snippet: [{text, highlight, label,
    /// entity}]}]}`. Never fails on a query (any text is one); bad options throw.
    #[wasm_bindgen(unchecked_return_type = "SearchResults")]
    pub fn search(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let query = string_arg("query", &query)?;
        let limit = SearchOptions::limit("search", options)?;
        let results = self.inner.search(&query, limit);
        to_js(&self.inner.results_view(&results))
    }

    /// Ranks without snippets: `{total, hits: [{id, score}]}`, for a page that shows results
    /// its own way (`title(id)`, `article(id)`). Same options as `search`.
    #[wasm_bindgen(unchecked_return_type = "RankResults")]
    pub fn rank(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let query = string_arg("query", &query)?;
        let limit = SearchOptions::limit("rank", options)?;
        to_js(&self.inner.ranked_view(&query, limit))
    }

    /// Parses `text` (plain text, HTML or JSON Lines, told apart by `name`'s extension and the
    /// content) and adds its articles. Returns the id of the first one added. Throws, adding
    /// none of them, if the text is unreadable or the corpus would pass its size limit
    /// (`MAX_CORPUS_BYTES`, 128 MB of article text).
    #[wasm_bindgen(js_name = addArticle)]
    pub fn add_article(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<usize, JsValue> {
        let name = string_arg("name", &name)?;
        self.add_bytes(&name, string_arg("text", &text)?.as_bytes())
    }

    /// Like `addArticle`, from a file's bytes as they are (a `Uint8Array`): decoded as the CLI
    /// decodes files — UTF-8, UTF-16 with a byte-order mark, or Latin-1 (Windows-1252) when
    /// not valid UTF-8 — and refused as binary when it is mostly control bytes.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<usize, JsValue> {
        let name = string_arg("name", &name)?;
        self.add_bytes(&name, &bytes_arg("bytes", &bytes)?)
    }

    /// Removes the file article `id` came with (every article one `addFile` / `addArticle`
    /// added) and returns how many articles went; the others keep their ids, and nothing is
    /// re-indexed. 0 for an unknown or already removed id; throws for what is not an id.
    #[wasm_bindgen(js_name = removeFile)]
    pub fn remove_file(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<usize, JsValue> {
        Ok(self.inner.remove_file(id_arg("id", &id)?))
    }

    /// The ids of the articles not removed, ascending.
    #[wasm_bindgen(js_name = liveIds)]
    pub fn live_ids(&self) -> Vec<u32> {
        (0..self.inner.len() as u32)
            .filter(|&d| self.inner.name(d).is_some())
            .collect()
    }

    /// The number of articles not removed (`len()` counts the ids given out).
    pub fn live(&self) -> usize {
        self.inner.live()
    }

    /// The headline of article `id` (cheap: for lists of articles). Throws for an unknown id.
    pub fn title(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<String, JsValue> {
        Ok(self.document(&id)?.article.title().text().to_string())
    }

    /// Recognises the entities of up to `limit` more articles or, once all are, runs one step of
    /// linking them (a chunk of articles, or a phase), and last sorts the search dictionary;
    /// returns the work left (articles plus steps; 0: all done). A page adding many articles calls it between frames until 0, so
    /// that no later call (`search`, `article`, `entities`) has any of this work to do. `limit`
    /// 0 only counts.
    #[wasm_bindgen(js_name = prepareEntities)]
    pub fn prepare_entities(&mut self, limit: usize) -> usize {
        self.inner.recognize_pending(limit)
    }

    /// The article text the corpus holds, in bytes; `addArticle` and `addFile` refuse what
    /// would take it past `MAX_CORPUS_BYTES` (128 MB).
    #[wasm_bindgen(js_name = textBytes)]
    pub fn text_bytes(&self) -> usize {
        self.inner.text_bytes()
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

    /// The parsed article `id`: `{id, name, title, fields: [{part, segments: [{text, label,
    /// entity, highlight}]}]}`, fields in reading order; with `{query}`, the words it matches
    /// are highlighted. Throws for an unknown id.
    #[wasm_bindgen(unchecked_return_type = "ArticleView")]
    pub fn article(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ArticleOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: ArticleOptions = self::options("article", options)?;
        let d = self.document(&id)?;
        to_js(&self.inner.article_view(&d, options.query.as_deref()))
    }

    /// The corpus's entities, most mentioned first: `[{entity, label, count, articles,
    /// aliases}]`; `{label}` keeps one label, `{limit}` caps the list (default 100).
    #[wasm_bindgen(unchecked_return_type = "EntityEntry[]")]
    pub fn entities(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EntityOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: EntityOptions = self::options("entities", options)?;
        let label = options.label.as_deref().map(label).transpose()?;
        let limit = options.limit.unwrap_or(100).min(10_000);
        to_js(&self.inner.entities_view(label, limit))
    }

    /// The entity named `name` (its name or an alias, any case; `label` narrows it), as
    /// `entities()` lists it; `null` when no entity has that name.
    #[wasm_bindgen(unchecked_return_type = "EntityEntry | null")]
    pub fn entity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Label | undefined")] label: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        match (self.inner).entity(&string_arg("name", &name)?, &labels(label)?) {
            Some(e) => to_js(&e),
            None => Ok(JsValue::NULL),
        }
    }

    /// The entities that share articles with `entity` (a name or alias, any case; `label`
    /// narrows it), with how many articles they share, most first: `[{entity, label,
    /// articles}]`. Empty when no entity has that name.
    #[wasm_bindgen(unchecked_return_type = "SharedEntity[]")]
    pub fn cooccurring(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] entity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Label | undefined")] label: Option<JsValue>,
        limit: Option<usize>,
    ) -> Result<JsValue, JsValue> {
        let entity = string_arg("entity", &entity)?;
        let labels = labels(label)?;
        let limit = limit.unwrap_or(20).min(10_000);
        to_js(&self.inner.cooccurring_view(&entity, &labels, limit))
    }

    /// The entity `entity` (a name or alias, any case; `label` narrows it) and the `limit`
    /// entities (default 8) it shares the most articles with, and how many articles each pair
    /// of them shares (at most 100 others): `{nodes, edges: [{a, b, articles}]}`; `null` when no
    /// entity has that name.
    #[wasm_bindgen(unchecked_return_type = "Network | null")]
    pub fn network(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] entity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Label | undefined")] label: Option<JsValue>,
        limit: Option<usize>,
    ) -> Result<JsValue, JsValue> {
        let entity = string_arg("entity", &entity)?;
        let limit = limit.unwrap_or(8).min(100);
        match (self.inner).network_view(&entity, &labels(label)?, limit) {
            Some(n) => to_js(&n),
            None => Ok(JsValue::NULL),
        }
    }

    /// Articles per period: of the articles matching `{query}` (every article without one), or
    /// of the articles naming `{entity}` (a name or alias; `label` narrows it; `null` when no
    /// entity has that name).
    #[wasm_bindgen(unchecked_return_type = "Timeline | null")]
    pub fn timeline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TimelineOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: TimelineOptions = self::options("timeline", options)?;
        match options.entity {
            Some(name) => {
                let label = options.label.as_deref().map(label).transpose()?;
                let labels: Vec<Label> = label.into_iter().collect();
                match self.inner.entity_timeline(&name, &labels) {
                    Some(t) => to_js(&t),
                    None => Ok(JsValue::NULL),
                }
            }
            None => to_js(&self.inner.timeline(options.query.as_deref().unwrap_or(""))),
        }
    }

    /// Replaces the curation (corrections applied in order to the machine's entities: every
    /// view follows) and returns `{applied, stale}`. Throws, changing nothing, when it is not a
    /// curation (`{changes: [{op, entity: {name, label}, ...}]}`).
    #[wasm_bindgen(js_name = setCuration, unchecked_return_type = "CurationReport")]
    pub fn set_curation(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Curation")] curation: JsValue,
    ) -> Result<JsValue, JsValue> {
        let curation: crate::Curation = serde_wasm_bindgen::from_value(curation)
            .map_err(|e| bad_argument(&format!("not a curation: {e}")))?;
        to_js(&self.inner.set_curation(curation))
    }

    /// The curation in force (`{changes: []}` without one).
    #[wasm_bindgen(unchecked_return_type = "Curation")]
    pub fn curation(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.curation())
    }

    /// The entities (curated), most mentioned first, as CSV: `entity, label, aliases, mentions,
    /// articles, first, last`; every label, or only `label`.
    #[wasm_bindgen(js_name = entitiesCsv)]
    pub fn entities_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Label | undefined")] label: Option<JsValue>,
    ) -> Result<String, JsValue> {
        Ok(self.inner.entities_csv(label_arg(label)?))
    }

    /// The best results of `query` as CSV: `rank, headline, file, date, score, snippet`. Same
    /// options as `search`.
    #[wasm_bindgen(js_name = resultsCsv)]
    pub fn results_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        let query = string_arg("query", &query)?;
        let limit = SearchOptions::limit("resultsCsv", options)?;
        Ok(self.inner.results_csv(&query, limit))
    }
}

/// A published archive (`newslens publish`) being read: the files fetched so far. JavaScript
/// fetches what `needs` lists, gives each file to `addFile`, and asks again until nothing is
/// missing; then `search` answers (`www/archive-reader.js` does this loop).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Archive {
    inner: crate::Archive,
}

#[wasm_bindgen]
impl Archive {
    /// Opens an archive from its `manifest` file's bytes (decompressed). Throws on a damaged
    /// or foreign file.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] manifest: JsValue,
    ) -> Result<Archive, JsValue> {
        crate::Archive::open(&bytes_arg("manifest", &manifest)?)
            .map(|inner| Archive { inner })
            .map_err(|e| js_error(&e, Some("manifest")))
    }

    /// How many articles the archive holds.
    #[wasm_bindgen(getter)]
    pub fn articles(&self) -> usize {
        self.inner.len()
    }

    /// How many of its files have been added.
    #[wasm_bindgen(js_name = filesLoaded)]
    pub fn files_loaded(&self) -> usize {
        self.inner.files_loaded()
    }

    /// The files (paths relative to the archive) the query still needs; empty when `search`
    /// can answer it. Same options as `Corpus.search`.
    pub fn needs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<Vec<String>, JsValue> {
        let query = string_arg("query", &query)?;
        let limit = SearchOptions::limit("needs", options)?;
        Ok(self.inner.needs(&query, limit))
    }

    /// The files `searchFirst` still needs for the query's first hits: for a query of one
    /// clause of words (a word, `OR`, its typos and prefix; dates allowed), only the heads of
    /// its terms when they provably hold those hits; otherwise what `needs` lists.
    #[wasm_bindgen(js_name = needsFirst)]
    pub fn needs_first(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<Vec<String>, JsValue> {
        let query = string_arg("query", &query)?;
        let limit = SearchOptions::limit("needsFirst", options)?;
        Ok(self.inner.needs_first(&query, limit))
    }

    /// Adds a fetched file (decompressed) under the name `needs` gave. Throws on a damaged file
    /// or one the archive does not have; what was added before stays.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<(), JsValue> {
        let name = string_arg("name", &name)?;
        self.inner
            .add_file(&name, &bytes_arg("bytes", &bytes)?)
            .map_err(|e| js_error(&e, None))
    }

    /// Article `id` of a hit `search` gave, as `Corpus.article` gives it (`{query}` highlights
    /// its words). Throws for an article whose records were not fetched.
    #[wasm_bindgen(unchecked_return_type = "ArticleView")]
    pub fn article(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ArticleOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let id = id_arg("id", &id)?;
        let options: ArticleOptions = self::options("article", options)?;
        match self.inner.article_view(id, options.query.as_deref()) {
            Some(view) => to_js(&view),
            None => Err(bad_argument(&format!(
                "article {id} is not loaded: open an article from the results"
            ))),
        }
    }

    /// Searches: `{total, hits}` as `Corpus.search` gives them. Throws (kind `Incomplete`)
    /// while `needs` lists files.
    #[wasm_bindgen(unchecked_return_type = "SearchResults")]
    pub fn search(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let query = string_arg("query", &query)?;
        let limit = SearchOptions::limit("search", options)?;
        let results = self
            .inner
            .search(&query, limit)
            .map_err(|e| js_error(&e, None))?;
        to_js(&self.inner.results_view(&results))
    }

    /// `search` (or with `{first: true}`, `searchFirst`) when nothing is missing, else
    /// `{needs: [file, ...]}`, the files `needs` (or `needsFirst`) lists: one call, one ranking,
    /// per round of fetching.
    #[wasm_bindgen(unchecked_return_type = "FirstResults | { needs: string[] }")]
    pub fn attempt(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AttemptOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        #[derive(serde::Deserialize, Default)]
        struct Attempt {
            limit: Option<usize>,
            first: Option<bool>,
        }
        #[derive(serde::Serialize)]
        struct Needs {
            needs: Vec<String>,
        }
        let o: Attempt = self::options("attempt", options)?;
        let limit = o.limit.unwrap_or(10).min(1000);
        match (self.inner).attempt(
            &string_arg("query", &query)?,
            limit,
            o.first.unwrap_or(false),
        ) {
            Err(needs) => to_js(&Needs { needs }),
            Ok((results, exact)) => self.first_view(&results, exact),
        }
    }

    /// The first hits, exactly as `search` gives them, once `needsFirst` lists nothing:
    /// `{total, hits, exact}`, where `exact` says whether `total` is too (when not, at least
    /// that many articles match, and `needs` lists the files that count them all). Throws
    /// (kind `Incomplete`) while `needsFirst` lists files.
    #[wasm_bindgen(js_name = searchFirst, unchecked_return_type = "FirstResults")]
    pub fn search_first(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let query = string_arg("query", &query)?;
        let limit = SearchOptions::limit("searchFirst", options)?;
        let (results, exact) = self
            .inner
            .search_first(&query, limit)
            .map_err(|e| js_error(&e, None))?;
        self.first_view(&results, exact)
    }

    /// `{total, hits, exact}` of results.
    fn first_view(&self, results: &crate::SearchResults, exact: bool) -> Result<JsValue, JsValue> {
        #[derive(serde::Serialize)]
        struct First<'a> {
            #[serde(flatten)]
            view: crate::view::ResultsView<crate::view::HitView<'a>>,
            exact: bool,
        }
        to_js(&First {
            view: self.inner.results_view(results),
            exact,
        })
    }
}
