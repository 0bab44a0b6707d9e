//! NewsLens: search and entity exploration for news archives, in the browser.
//!
//! # Bird's-eye view
//!
//! NewsLens reads raw news articles (plain text, HTML pages, JSON Lines), turns each into a
//! structured [`Article`], indexes and searches them, and marks the entities they name. The
//! core is pure Rust that does no IO and never prints, so it runs the same natively (the
//! `newslens` CLI, the tests) and in WebAssembly (the page in `www/`).
//!
//! The data flows one way, and forks after parsing:
//!
//! ```text
//!                                ┌─▶ analyze ──▶ index ────────────┐
//! bytes ─decode─▶ text ─parse─▶ Article                            ├─▶ query plan ─▶ hits ─▶ snippets, views
//!                                └─▶ recognize ─▶ link ─▶ entities ┘
//! ```
//!
//! A query goes through the same analyzer as the articles, and its entity filters
//! (`person:"Name"`) through the entity index. Recognition runs on demand (the first time the
//! corpus is asked for its entities) or ahead, a few articles at a time; an index file keeps
//! what it found, so a loaded corpus only links. Cargo features cut the crate along the fork:
//! `search` alone loads an index and searches it; `text` and `formats` read articles;
//! `entities` recognises.
//!
//! # Code map
//!
//! - `article` — [`Article`], [`Field`], [`Caption`], [`Span`]: the parsed article, and the
//!   `IndexField`s its parts are indexed and scanned under (`field_blocks`).
//! - `lexicon` — `Words`, the word lists of general knowledge kept in `data/*.txt` (see
//!   `data/README.md`), and the list-membership bits the tagger and the linker share.
//! - `hash` — the Fx hasher behind every hash map, shared by `index`, `ner`, `entities` and
//!   `search` without one depending on another.
//! - `decode` — bytes to text: UTF-8, UTF-16 with a BOM, the character set a page declares
//!   (`encoding_rs` natively, the browser's `TextDecoder` in wasm; one rule picks it), Latin-1
//!   fallback with a warning, binary detection, the input size limit.
//! - `parse` — [`parse`] and [`Format`]: the readers (`text`, `html`, `jsonl`) cut the source
//!   into blocks; `assemble` builds the article; `rules` holds the news heuristics (captions and
//!   credits, datelines, contributor lines, site furniture, outlet names). For saved pages,
//!   `dom` builds the tree, `meta` reads the page's metadata (JSON-LD, OpenGraph, `<title>`),
//!   `content` finds the article in the page (visibility, paragraph scores, the chosen part,
//!   cleaning inside it), and `html` picks the headline and joins them; `date` writes dates as
//!   ISO 8601.
//! - `calendar` — [`CalendarDate`], [`resolve_date`]: date mentions as calendar values (a
//!   year, a month or a day), words relative to the article's date (`Monday`, `last month`)
//!   resolved against it; the month names news writes, which parsing and recognition share.
//! - `analyze` — [`Analyzer`]: words to index terms (UAX #29 boundaries, folding, possessives,
//!   Snowball stemming), with byte offsets; [`is_stop_word`].
//! - `index` — the positional inverted index: postings per term (one list of bytes: each
//!   article's gap from the one before and its positions as deltas, with a skip table every 16
//!   articles), and per article the end of each field; the byte offset of each position
//!   is worked out again (`token_starts`) for the articles a snippet shows; a segment of some articles cut out of it
//!   (`subset`) and a segment appended to it (`append`), giving the index that adding the same
//!   articles one by one builds (the page keeps each addition as such a segment,
//!   [`Corpus::segment_bytes`], [`Corpus::add_segment`]). Its term and word dictionaries are
//!   `interner`s: the strings end to end in one buffer, numbered in the order they came, found
//!   again through a table of numbers (`hashbrown`'s `HashTable`, so an entry costs no
//!   allocation of its own).
//! - `query` — `parse_query`: the lenient query language to a `Query` (words, phrases,
//!   exclusions, entity filters, `after:`/`before:` dates, `sort:`); knows no index.
//! - `search` — resolves a query against an index and scores it; [`Ranking`]. `search::plan`
//!   analyses the query's words and expands them (stop and request words, prefixes, typos);
//!   `search::terms` is the sorted term dictionary that expansion walks (`prefix`, `fuzzy`),
//!   knowing nothing of scoring; `search::score` is BM25F, coordination and proximity.
//! - `feedback` — pseudo-relevance feedback for verbose queries (re-ranks the first results by
//!   the words most typical of the best ones).
//! - `ner` — the entity tagger: tokens, sentences, hashed features, word lists of general
//!   knowledge, word clusters learned from unlabelled text (`ner::clusters`), a gazetteer of
//!   places matched over runs of words (`ner::gazetteer`, `make gazetteers`), an averaged
//!   perceptron, the model format; [`ner::Model::bundled`]; `ner::eval` reads CoNLL data and
//!   scores the tagger alone and the whole pipeline (documents as articles, alone or inside a
//!   corpus), with folds by document.
//! - `entities` — three steps: `entities::recognize` (the tagger plus date
//!   rules and span conventions; organisation and place words block a person reading),
//!   `entities::link` ([`link`], a `Linker` whose phases are methods: acronyms the corpus
//!   defines filled in where the tagger missed them; the label a name's own article's evidence
//!   votes for (the rest of the corpus has no say); short forms as the full names holding
//!   them; acronyms; names in capitals written as the corpus writes them; the articles' texts
//!   are read in the first pass only, one article at a time, through `ArticleAt`) and
//!   `entities::index` ([`EntityIndex`]: each entity a small record over shared lists of
//!   aliases, articles and the names' texts, lent out as an [`Entity`] view; linking hands its
//!   mentions over by number). `entities::curate` ([`Curation`], [`Change`]): a
//!   person's corrections (merge, split, rename, relabel, hide), applied in order to the linked
//!   mentions on every change of the corpus, so every view follows.
//! - `snippet` — [`Snippet`]: the best passage of a hit, text plus highlight ranges; the words
//!   a query matches anywhere in an article.
//! - `view` — [`Segment`], [`FieldView`]: fields and snippets cut into segments carrying their
//!   entity (label, canonical name) and highlight, ready to render; the corpus's views
//!   ([`HitView`], [`ResultsView`], [`ArticleView`], [`EntityView`], [`SharedView`], [`NetworkView`]), built once
//!   and serialised by both the module and the CLI.
//! - `archive` — a published archive: [`Publisher`] writes an archive in batches (bounded
//!   memory; runs of postings merged term by term) as range-sharded word and term
//!   dictionaries, postings that carry what scoring needs of each article (and pairs of
//!   adjacent words, one of them common, as terms of their own: a phrase is matched by its
//!   pairs), entity shards (the articles naming each entity by each of its names), and record
//!   chunks;
//!   [`Archive`] reads one a file at a time ([`Archive::needs`], [`Archive::add_file`]) and
//!   answers as a corpus of the same articles would, scoring a small index of the query's
//!   terms with the archive's statistics (`index::Collection`). Planning asks a `Lexicon` (an
//!   index, or the archive's fetched shards) and, for entity filters, `Entities` (a corpus's
//!   entity index, or the archive's entity shards). `newslens publish` does the IO;
//!   `www/archive-reader.js` fetches for the page.
//! - `corpus` — [`Corpus`]: articles plus index; each article's date; search (date filters and
//!   order applied around the ranking); the binary form via `store`. It keeps each article as
//!   its shape (`article::Shape`: where its fields sit) and its text in `texts`, and puts an
//!   [`Article`] together again when one is asked for ([`Corpus::get`] returns it by value).
//! - `texts` — the corpus's texts kept packed in memory: the latest as they came, the rest in
//!   blocks of `textpack`'s code (sealed at 1 MiB, or an index file's section as it is), any
//!   one unpacked alone.
//! - `export` — CSV of the entities and of a query's results (quoted, formula-guarded).
//! - `timeline` — [`timeline`]: dates to articles per year, month or day (the unit chosen by
//!   the span), for the corpus, a query's matches or an entity's articles.
//! - `store` — the compact binary index format (articles' records, index, recognised mentions,
//!   then the articles' texts in one section apart), checked on load. It writes and reads
//!   plain parts and knows nothing of `Corpus`: the dependency runs one way, corpus → store.
//! - `textpack` — that text section packed: a word-based Huffman code (words and non-words,
//!   each article's codes from a byte), unpacked article by article; store → textpack.
//! - `seeds` — [`SEEDS`], the bundled articles, compiled in from `www/corpus/`.
//! - `error` — [`Error`], the one opaque error type, with [`ErrorKind`].
//! - `wasm` (wasm32 only) — the thin `#[wasm_bindgen]` layer; it uses only the public API.
//!   It takes its string, id and bytes arguments as `JsValue`s and checks their type (an
//!   `InvalidArgument` error), since wasm-bindgen's own glue traps on a wrong one.
//!   The page (`www/app.js`) renders and links; its worker (`www/worker.js`) turns each batch of
//!   added files into an index segment (and merges saved segments), which the page adds with
//!   `addIndex` and keeps in IndexedDB.
//! - `src/bin/newslens/` — the CLI (`args`: one `lexopt` parser and every command's help); it uses only the public API and does all the IO.
//!
//! # Invariants
//!
//! - Every [`Field`] of an article is a slice of [`Article::source`]: `field.text() ==
//!   &article.source()[field.span().range()]`, on `char` boundaries. For UTF-8 plain text the
//!   source is the file itself, so spans are the file's own byte offsets.
//! - Articles and queries go through the same [`Analyzer`]; tokens keep their byte offsets.
//! - An article's positions run field by field with a one-position gap between blocks, so a
//!   phrase never spans two paragraphs.
//! - Byte offsets stay in Rust; JavaScript receives text already cut into [`Segment`]s, which
//!   cover a field exactly, in order, each inside at most one entity mention.
//! - Nothing panics on any input: bad input gives an [`Error`] with a message for the user, or a
//!   best-effort result, and what was loaded stays loaded; a file's articles are added all or
//!   none (the module, the CLI). Limits are documented constants
//!   ([`MAX_INPUT_BYTES`], [`MAX_CORPUS_BYTES`], [`MAX_QUERY_BYTES`], [`MAX_CLAUSES`],
//!   [`MAX_TERM_BYTES`], [`MAX_SNIPPET_BYTES`]). The fuzz targets (`fuzz/`) check these
//!   invariants on arbitrary input; `tests/fuzz.rs` replays what they saved.
//! - The core never does IO and never prints.
//! - A published archive answers a query as the corpus of its articles does (totals, ids,
//!   order, scores, snippets), entity filters included when it was published in one batch,
//!   without pseudo-relevance feedback (`tests/archive.rs`, `tests/e2e/archive.test.mjs`).
//! - Linking never makes an article's answer worse for the archive around it: a mention's
//!   label comes from the evidence for its own name in its own article, the rest of the corpus
//!   having no say; a short form joins a longer name only when that name's label agrees
//!   (and across articles only a well-supported one). An article's entities inside an archive
//!   are its entities alone unless its own evidence is even (`tests/entities.rs`).
//!
//! # Example
//!
//! ```
//! let text = "Talks Stall in Phnom Penh\n\nPHNOM PENH--The talks stalled on Monday.\n";
//! let article = newslens::parse_text(text).unwrap();
//! assert_eq!(article.title().text(), "Talks Stall in Phnom Penh");
//! assert_eq!(article.dateline().unwrap().text(), "PHNOM PENH");
//! assert_eq!(article.paragraphs()[0].text(), "The talks stalled on Monday.");
//!
//! let corpus = newslens::Corpus::seeds();
//! let results = corpus.search("Chandar", 10);
//! assert_eq!(results.total, 1);
//! let snippet = &results.hits[0].snippet;
//! let (start, end) = snippet.highlights[0];
//! assert_eq!(&snippet.text[start..end], "Chandaraty");
//! ```

#![warn(missing_docs, unnameable_types)]

mod analyze;
mod archive;
mod article;
mod calendar;
mod corpus;
#[cfg(feature = "text")]
mod decode;
mod entities;
mod error;
mod export;
mod feedback;
mod hash;
mod index;
mod interner;
mod lexicon;
#[cfg(feature = "entities")]
pub mod ner;
mod parse;
mod query;
mod search;
#[cfg(feature = "seeds")]
mod seeds;
mod snippet;
mod store;
mod textpack;
mod texts;
mod timeline;
mod view;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use analyze::{is_stop_word, Analyzer, Token, MAX_TERM_BYTES};
pub use archive::{Archive, Batch, PublishOptions, Publisher, MANIFEST as ARCHIVE_MANIFEST};
pub use article::{Article, Caption, Field, Part, Span};
pub use calendar::{resolve_date, CalendarDate};
pub use corpus::{Corpus, Document, Hit, SearchResults, MAX_CORPUS_BYTES, RECOGNIZES};
#[cfg(feature = "text")]
pub use decode::MAX_INPUT_BYTES;
pub use entities::{
    link, Change, Curation, CurationReport, Entity, EntityIndex, EntityRef, Label, Mention,
};
pub use error::{Error, ErrorKind};
pub use index::DocId;
#[cfg(feature = "text")]
pub use parse::parse_text;
pub use parse::{parse, Format, Parsed};
pub use query::{MAX_CLAUSES, MAX_QUERY_BYTES};
pub use search::Ranking;
#[cfg(feature = "seeds")]
pub use seeds::SEEDS;
pub use snippet::{Snippet, MAX_SNIPPET_BYTES};
pub use timeline::{timeline, Period, Timeline, Unit};
pub use view::{
    ArticleView, DateView, EdgeView, EntityView, FieldView, HitView, LabelInfo, ModuleInfo,
    NetworkView, RankedView, ResultsView, Segment, SharedView,
};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
