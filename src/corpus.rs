//! [`Corpus`]: parsed articles, their index, and search over them.

use crate::analyze::Analyzer;
use crate::article::{Article, Shape};
use crate::calendar::CalendarDate;
use crate::feedback::{self, FEEDBACK_POOL};
use crate::index::{DocId, Index};
use crate::query::{parse_query, Query, Sort};
use crate::search::{plan, rank, Plan, Ranked, Ranking};
use crate::snippet::{snippet, Snippet};
use crate::store::Mentions;
use crate::texts::Texts;

/// Article text a corpus holds at most (the sum of its articles' sources): 128 MiB. The text,
/// search and entity structures take about three times the text in memory (100.8 MB of BBC
/// news: 295 MB of wasm memory in Chromium, 327 MB at this limit; `make bench`), so this
/// keeps a corpus well inside a browser tab's wasm memory (4 GB).
/// [`Corpus::try_add`] refuses an article that would pass it.
pub const MAX_CORPUS_BYTES: usize = 128 * 1024 * 1024;

/// An article in a corpus, with the name it was added under (its file name, say).
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let first = corpus.get(0).unwrap();
/// assert_eq!(first.name, "000_ab660a9d3fc4741e.txt");
/// ```
#[derive(Clone, Debug)]
pub struct Document {
    /// Its id in the corpus.
    pub id: DocId,
    /// The name given when the article was added.
    pub name: String,
    /// The article.
    pub article: Article,
}

/// An article as a corpus keeps it: its name and shape, its text kept apart (packed) in
/// [`Corpus`]'s `texts` under the same number.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    name: String,
    shape: Shape,
}

/// A collection of articles, indexed for search.
///
/// ```
/// let mut corpus = newslens::Corpus::new();
/// let article = newslens::parse_text("Budget Talks\n\nThe minister spoke in Kampot.\n").unwrap();
/// let id = corpus.add("notes.txt", article);
/// let results = corpus.search("kampot", 10);
/// assert_eq!((results.total, results.hits[0].doc), (1, id));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub(crate) docs: Vec<Stored>,
    /// The articles' texts, by article number.
    texts: Texts,
    pub(crate) index: Index,
    entities: std::sync::OnceLock<crate::EntityIndex>,
    /// A person's corrections to the entities ([`Corpus::set_curation`]).
    curation: crate::Curation,
    /// The entities with the curation applied, and what it did.
    curated: std::sync::OnceLock<(crate::EntityIndex, crate::CurationReport)>,
    /// Each article's recognised mentions, once [`Corpus::recognize_pending`] got to it (may be
    /// shorter than `docs`: the rest are pending).
    pub(crate) recognized: Vec<Option<Mentions>>,
    /// The sum of the articles' source lengths (removed ones not counted).
    pub(crate) text_bytes: usize,
    /// Per article: the id of the first article of the file it came with (one `try_add_all`,
    /// one run of a name in an index file), so a file is removed as a whole.
    file_of: Vec<DocId>,
    /// Per article (may be shorter than `docs`: the rest are live): removed by
    /// [`Corpus::remove_file`]. A removed article keeps its id, which is not given again; it
    /// matches no search, names no entity and is left out of the index file.
    removed: Vec<bool>,
    /// Per article: its date ([`Corpus::date`]), read once.
    dates: Vec<Option<CalendarDate>>,
    /// Linking under way a phase per [`Corpus::recognize_pending`] call.
    linking: crate::entities::Linking,
    /// The recogniser's model, held while [`Corpus::recognize_pending`] has articles left to
    /// recognise (so it is loaded once for all its calls) and let go before linking.
    #[cfg(feature = "entities")]
    model: Option<std::sync::Arc<crate::ner::Model>>,
    analyzer: Analyzer,
    ranking: Ranking,
}

/// One search result.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let hit = &corpus.search("Chandaraty", 10).hits[0];
/// assert_eq!(corpus.get(hit.doc).unwrap().name, "000_ab660a9d3fc4741e.txt");
/// assert!(hit.score > 0.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The article's id in the corpus.
    pub doc: DocId,
    /// Its score (higher is better; comparable within one search only).
    pub score: f32,
    /// The best passage with the matched words marked.
    pub snippet: Snippet,
}

/// The results of a search.
///
/// ```
/// let results = newslens::Corpus::seeds().search("Sokha", 2);
/// assert!(results.total > results.hits.len()); // more match than the two shown
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// How many articles matched in all.
    pub total: usize,
    /// The best ones, best first (ties in article order).
    pub hits: Vec<Hit>,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// An empty corpus with other ranking parameters (for evaluation).
    pub fn with_ranking(ranking: Ranking) -> Corpus {
        Corpus {
            ranking,
            ..Corpus::default()
        }
    }

    /// Replaces the ranking parameters (for evaluation: one corpus ranked several ways).
    pub fn set_ranking(&mut self, ranking: Ranking) {
        self.ranking = ranking;
    }

    #[cfg(feature = "seeds")]
    /// The bundled seed articles, parsed and indexed.
    pub fn seeds() -> Corpus {
        let mut c = Corpus::new();
        for (name, text) in crate::SEEDS {
            if let Ok(a) = crate::parse_text(text) {
                c.add(*name, a);
            }
        }
        c
    }

    /// Adds an article; returns its id.
    ///
    /// This does not check [`MAX_CORPUS_BYTES`]; [`Corpus::try_add`] does.
    pub fn add(&mut self, name: impl Into<String>, article: Article) -> DocId {
        self.text_bytes += article.source().len();
        let id = self.index.add(&self.analyzer, &article);
        self.dates.push(date_of(&article));
        self.entities = std::sync::OnceLock::new();
        self.curated = std::sync::OnceLock::new();
        self.linking = Default::default();
        self.file_of.push(id);
        self.docs.push(Stored {
            name: name.into(),
            shape: article.shape(),
        });
        self.texts.push(article.source);
        id
    }

    /// Adds an article unless the corpus would then hold more than [`MAX_CORPUS_BYTES`] of
    /// text, in which case it is an error of kind [`CorpusFull`](crate::ErrorKind::CorpusFull)
    /// and the corpus is unchanged.
    pub fn try_add(
        &mut self,
        name: impl Into<String>,
        article: Article,
    ) -> Result<DocId, crate::Error> {
        self.check_room(article.source().len())?;
        Ok(self.add(name, article))
    }

    /// Adds the articles of one file (a [`crate::Parsed`]'s) under `name`, all of them or, if
    /// together they would pass [`MAX_CORPUS_BYTES`], none (an error of kind
    /// [`CorpusFull`](crate::ErrorKind::CorpusFull)). Returns the id the first one got (the
    /// corpus's length when `articles` is empty).
    pub fn try_add_all(
        &mut self,
        name: &str,
        articles: Vec<Article>,
    ) -> Result<DocId, crate::Error> {
        self.check_room(articles.iter().map(|a| a.source().len()).sum())?;
        let first = self.docs.len() as DocId;
        for a in articles {
            let id = self.add(name, a);
            self.file_of[id as usize] = first;
        }
        Ok(first)
    }

    /// Removes the file article `doc` came with: every article added with it (by one
    /// [`Corpus::try_add_all`], or one run of its name in an index file). Returns how many
    /// articles went (0 for an unknown or already removed id). The others keep their ids and
    /// need no re-indexing; term statistics still count the removed articles until the corpus
    /// is written out ([`Corpus::to_bytes`] leaves them out) and read again.
    ///
    /// ```
    /// let mut corpus = newslens::Corpus::seeds();
    /// assert_eq!(corpus.search("Chandaraty", 5).total, 1);
    /// assert_eq!(corpus.remove_file(0), 1);
    /// assert_eq!(corpus.search("Chandaraty", 5).total, 0);
    /// assert_eq!((corpus.live(), corpus.len()), (4, 5));
    /// assert!(corpus.get(0).is_none());
    /// ```
    pub fn remove_file(&mut self, doc: DocId) -> usize {
        let Some(&file) = self.file_of.get(doc as usize) else {
            return 0;
        };
        self.removed.resize(self.docs.len(), false);
        let mut n = 0;
        for i in file as usize..self.docs.len() {
            if self.file_of[i] == file && !self.removed[i] {
                self.removed[i] = true;
                self.text_bytes -= self.texts.text_len(i);
                n += 1;
            }
        }
        if n > 0 {
            self.entities = std::sync::OnceLock::new();
            self.curated = std::sync::OnceLock::new();
            self.linking = Default::default();
        }
        n
    }

    /// Whether article `doc` was removed.
    fn is_removed(&self, doc: usize) -> bool {
        self.removed.get(doc).copied().unwrap_or(false)
    }

    /// Number of articles not removed.
    pub fn live(&self) -> usize {
        self.docs.len() - self.removed.iter().filter(|&&r| r).count()
    }

    /// An error unless `bytes` more of article text fit within [`MAX_CORPUS_BYTES`].
    pub fn check_room(&self, bytes: usize) -> Result<(), crate::Error> {
        room_for(self.text_bytes, bytes)
    }

    /// The article text the corpus holds, in bytes (the sum of the sources).
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// Number of article ids given out: the articles, removed ones included (ids are not given
    /// twice); [`Corpus::live`] counts the others.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when the corpus holds no article.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The article with id `doc`; `None` for an unknown or removed one. The corpus keeps its
    /// texts packed: each call unpacks the article's text (about 200 MB/s natively).
    pub fn get(&self, doc: DocId) -> Option<Document> {
        if self.is_removed(doc as usize) {
            return None;
        }
        self.document(doc as usize)
    }

    /// Article `i`, removed or not, put together again with its text.
    fn document(&self, i: usize) -> Option<Document> {
        Some(Document {
            id: i as DocId,
            name: self.docs.get(i)?.name.clone(),
            article: self.article(i)?,
        })
    }

    /// Article `i`'s article, removed or not, put together again with its text.
    pub(crate) fn article(&self, i: usize) -> Option<Article> {
        self.docs.get(i)?.shape.article(self.texts.get(i)?)
    }

    /// Article `doc`'s date: when it was published, else the date its dateline gives
    /// ([`Article::published`]), as precise as the source says; `None` for an undated, unknown
    /// or removed article.
    ///
    /// ```
    /// let mut corpus = newslens::Corpus::new();
    /// let a = newslens::parse_text("Talks\n\nPHNOM PENH, June 3, 2017 - Talks began.\n").unwrap();
    /// let id = corpus.add("a.txt", a);
    /// assert_eq!(corpus.date(id).unwrap().to_string(), "2017-06-03");
    /// ```
    pub fn date(&self, doc: DocId) -> Option<CalendarDate> {
        self.name(doc)?;
        self.dates.get(doc as usize).copied().flatten()
    }

    /// All articles, removed ones included, in id order (each text unpacked in turn: see
    /// [`Corpus::get`]).
    pub fn documents(&self) -> impl Iterator<Item = Document> + '_ {
        (0..self.docs.len()).filter_map(|i| self.document(i))
    }

    /// The name article `doc` was added under; `None` for an unknown or removed one.
    pub fn name(&self, doc: DocId) -> Option<&str> {
        let d = self.docs.get(doc as usize)?;
        (!self.is_removed(doc as usize)).then_some(d.name.as_str())
    }

    /// The identifier the input gave article `doc` ([`Article::id`]: a JSON Lines record's
    /// `id`), without unpacking its text; `None` when it has none, or for an unknown or removed
    /// article.
    pub fn record_id(&self, doc: DocId) -> Option<&str> {
        self.name(doc)?;
        self.docs.get(doc as usize)?.shape.id()
    }

    /// The corpus's entities: recognised and linked on first use after a change, with the
    /// curation ([`Corpus::set_curation`]) applied.
    ///
    /// Recognition (most of the work) of the articles [`Corpus::recognize_pending`] has not
    /// done yet happens here, natively on every core the machine offers (the results do not
    /// depend on how the articles are shared out); linking across the corpus always does.
    pub fn entities(&self) -> &crate::EntityIndex {
        if self.curation.changes.is_empty() {
            return self.linked();
        }
        &self.curated_entities().0
    }

    /// The entities curated, and what the curation did.
    fn curated_entities(&self) -> &(crate::EntityIndex, crate::CurationReport) {
        self.curated.get_or_init(|| {
            self.linked()
                .curated(&|i| self.article_at(i), &self.curation)
        })
    }

    /// Replaces the curation — the list of corrections applied to the machine's entities, in
    /// order — and returns what it did: how many changes found their entity, how many did not
    /// (stale: left in the list, doing nothing). Linking is not redone, only the curation.
    pub fn set_curation(&mut self, curation: crate::Curation) -> crate::CurationReport {
        self.curation = curation;
        self.curated = std::sync::OnceLock::new();
        if self.curation.changes.is_empty() {
            return crate::CurationReport::default();
        }
        self.curated_entities().1
    }

    /// The curation in force.
    pub fn curation(&self) -> &crate::Curation {
        &self.curation
    }

    /// The machine's entities, uncurated.
    fn linked(&self) -> &crate::EntityIndex {
        self.entities.get_or_init(|| {
            let done = |i: usize| self.recognized.get(i).and_then(Option::as_ref);
            let pending: Vec<usize> = (0..self.docs.len())
                .filter(|&i| done(i).is_none())
                .collect();
            // The mentions of the articles recognition had not reached yet are kept by the
            // entity index; the rest stay where they are, in the corpus (linking borrows both).
            let mut fresh: Vec<Mentions> = vec![Mentions::default(); self.docs.len()];
            for (i, m) in pending.iter().zip(recognize_all(self, &pending)) {
                fresh[*i] = m;
            }
            let list = self.recognized_refs(&fresh);
            let at = |i| self.article_at(i);
            let linked = crate::entities::link_with(&list, &at);
            let mut index = crate::EntityIndex::from_linking(linked, &list);
            drop(list);
            index.keep_recognized(fresh);
            index
        })
    }

    /// Article `i`, for linking (which reads one at a time); `None` when it was removed.
    fn article_at(&self, i: usize) -> Option<std::borrow::Cow<'_, Article>> {
        if self.is_removed(i) {
            return None;
        }
        self.article(i).map(std::borrow::Cow::Owned)
    }

    /// Each article's recognised mentions, borrowed: those the corpus keeps, else `fresh[i]`
    /// (none for a removed article).
    fn recognized_refs<'a>(
        &'a self,
        fresh: &'a [Mentions],
    ) -> Vec<&'a [(crate::Span, crate::Label)]> {
        (0..self.docs.len())
            .map(|i| {
                let kept = self.recognized.get(i).and_then(Option::as_deref);
                let ms = kept.or(fresh.get(i).map(Vec::as_slice)).unwrap_or_default();
                self.unless_removed(i, ms)
            })
            .collect()
    }

    /// Article `i`'s mentions `m`, or none if the article was removed: its id stays, so the
    /// lists of every article line up, but it names nothing.
    fn unless_removed<M: Default>(&self, i: usize, m: M) -> M {
        if self.is_removed(i) {
            M::default()
        } else {
            m
        }
    }

    /// Article `i`'s recognised (not yet linked) mentions, if recognition got to it.
    pub(crate) fn recognized_mentions(&self, i: usize) -> Option<&[(crate::Span, crate::Label)]> {
        if let Some(Some(m)) = self.recognized.get(i) {
            return Some(m);
        }
        // A search-only build found nothing in the articles it was not given mentions for: it
        // did not look, and an index it writes says so.
        self.entities
            .get()
            .filter(|_| RECOGNIZES)
            .and_then(|e| e.recognized(i))
    }

    /// Recognises the entities of up to `limit` articles not yet recognised, or, once every
    /// article is, runs one step of linking them (a chunk of articles, or a phase), and last
    /// sorts the dictionary that prefix and typo matching walk, so that a caller (the page) can
    /// spread the work of a large addition over several calls. Returns the work left: articles
    /// to recognise plus steps to run; 0 when neither [`Corpus::entities`] nor the first search
    /// has any of it left to do. `limit` 0 only counts. A build without recognition
    /// ([`RECOGNIZES`] false) only sorts the dictionary.
    ///
    /// ```
    /// let mut corpus = newslens::Corpus::new();
    /// for text in ["Talks\n\nHun Sen met Sam Rainsy in Phnom Penh.\n", "More\n\nRainsy left.\n"] {
    ///     corpus.add("a.txt", newslens::parse_text(text).unwrap());
    /// }
    /// let mut left = corpus.recognize_pending(0);
    /// assert!(left > 2); // two articles, then the linking phases
    /// while left > 0 {
    ///     let next = corpus.recognize_pending(1);
    ///     assert!(next < left);
    ///     left = next;
    /// }
    /// let person = [newslens::Label::Person];
    /// assert_eq!(corpus.entities().find("hun sen", &person).unwrap().name, "Hun Sen");
    /// ```
    pub fn recognize_pending(&mut self, limit: usize) -> usize {
        // The dictionary prefix and typo matching walk, sorted last: one more pass.
        let dictionary = usize::from(!self.index.has_sorted_words());
        if !RECOGNIZES || self.entities.get().is_some() {
            if limit > 0 && dictionary > 0 {
                self.index.dictionary();
                return 0;
            }
            return dictionary;
        }
        self.recognized.resize(self.docs.len(), None);
        let todo: Vec<usize> = (0..self.docs.len())
            .filter(|&i| self.recognized[i].is_none())
            .take(limit)
            .collect();
        let linking = limit.saturating_sub(todo.len()) > 0;
        #[cfg(feature = "entities")]
        if !todo.is_empty() {
            self.model.get_or_insert_with(crate::ner::Model::bundled);
        }
        for (&i, mentions) in todo.iter().zip(recognize_serial(self, &todo)) {
            self.recognized[i] = Some(mentions);
        }
        let pending = self.recognized.iter().filter(|r| r.is_none()).count();
        if pending == 0 && !todo.is_empty() {
            // Recognition is done until articles are added: the model and the room the lists
            // kept for more articles (up to half of them, a Vec doubles) go before linking.
            #[cfg(feature = "entities")]
            {
                self.model = None;
            }
            self.docs.shrink_to_fit();
            self.recognized.shrink_to_fit();
            self.texts.seal();
            self.texts.shrink_to_fit();
        }
        if pending > 0 {
            return pending + self.linking.remaining(self.docs.len()) + dictionary;
        }
        if linking {
            let mut state = std::mem::take(&mut self.linking);
            // Borrowed, not copied: the corpus keeps the recognised mentions (an index file
            // writes them from here), and the entity index only the linked ones.
            let list = self.recognized_refs(&[]);
            let at = |i| self.article_at(i);
            if let Some(linked) = state.step(&list, &at) {
                let index = crate::EntityIndex::from_linking(linked, &list);
                let _ = self.entities.set(index);
                return dictionary;
            }
            self.linking = state;
        }
        self.linking.remaining(self.docs.len()) + dictionary
    }

    /// The analyzer the index was built with (queries go through the same one).
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The query planned against this corpus's index, analyzer, ranking and entities.
    fn plan(&self, query: &Query) -> crate::search::Plan {
        plan(
            &self.index,
            &self.analyzer,
            query,
            &self.ranking,
            self.resolver(query)
                .map(|e| e as &dyn crate::search::Entities),
        )
    }

    /// Searches with a query string (see [`Corpus::search`] for the language). Never fails.
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        self.search_query(&parse_query(query), limit)
    }

    /// Searches with a parsed query.
    pub(crate) fn search_query(&self, query: &Query, limit: usize) -> SearchResults {
        let plan = self.plan(query);
        let ranked = self.ranked_query(query, &plan, limit);
        let hits = (ranked.hits.into_iter())
            .filter_map(|(doc, score)| {
                Some(Hit {
                    doc,
                    score,
                    snippet: snippet(&self.index, &self.article(doc as usize)?, doc, &plan),
                })
            })
            .collect();
        SearchResults {
            total: ranked.total,
            hits,
        }
    }

    /// Every word of article `doc` the query matches, anywhere in the article, as spans of its
    /// source (for highlighting the article a hit opens). Empty for an unknown article.
    pub fn matches(&self, doc: DocId, query: &str) -> Vec<crate::Span> {
        let Some(d) = self.get(doc) else {
            return Vec::new();
        };
        let query = parse_query(query);
        let plan = self.plan(&query);
        crate::snippet::matches(&self.index, &d.article, doc, &plan)
    }

    /// The corpus, articles and index, in NewsLens's compact binary form (see `newslens index`).
    pub fn to_bytes(&self) -> Vec<u8> {
        if self.removed.iter().any(|&r| r) {
            // Written without the removed articles: the live ones indexed afresh (an index file
            // keeps no file groups; reading it groups runs of a name).
            let mut live = Corpus::with_ranking(self.ranking.clone());
            for (i, d) in self.documents().enumerate() {
                if !self.is_removed(i) {
                    let id = live.add(d.name, d.article);
                    live.recognized.resize(id as usize + 1, None);
                    live.recognized[id as usize] = self.recognized_mentions(i).map(<[_]>::to_vec);
                }
            }
            return live.to_bytes();
        }
        let docs: Vec<Document> = self.documents().collect();
        let docs: Vec<(&str, &Article)> = (docs.iter())
            .map(|d| (d.name.as_str(), &d.article))
            .collect();
        crate::store::to_bytes(&docs, &self.index, |i| self.recognized_mentions(i))
    }

    /// Loads a corpus written by [`Corpus::to_bytes`]. A truncated, corrupted or foreign file
    /// gives an [`Error`](crate::Error), never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Corpus, crate::Error> {
        let mut corpus = Corpus::default();
        corpus.add_segment(bytes)?;
        Ok(corpus)
    }

    /// Articles `first` to `end` (ids, `end` excluded), those not removed, as a segment: an
    /// index file of them alone (their ids from 0, in order), with what recognition found in
    /// them. Adding the segments of a corpus, in order, to an empty one
    /// ([`Corpus::add_segment`]) gives the same corpus.
    /// Costs the segment's size plus a look at every term of the corpus, never re-indexing.
    ///
    /// ```
    /// let corpus = newslens::Corpus::seeds();
    /// let mut copy = newslens::Corpus::new();
    /// copy.add_segment(&corpus.segment_bytes(0, 2)).unwrap();
    /// copy.add_segment(&corpus.segment_bytes(2, 5)).unwrap();
    /// assert_eq!(copy.to_bytes(), corpus.to_bytes());
    /// ```
    pub fn segment_bytes(&self, first: DocId, end: DocId) -> Vec<u8> {
        let end = (end as usize).min(self.docs.len());
        let keep: Vec<DocId> = (first as usize..end)
            .filter(|&i| !self.is_removed(i))
            .map(|i| i as DocId)
            .collect();
        let index = self.index.subset(&keep);
        let docs: Vec<Document> = (keep.iter())
            .filter_map(|&i| self.document(i as usize))
            .collect();
        let docs: Vec<(&str, &Article)> = (docs.iter())
            .map(|d| (d.name.as_str(), &d.article))
            .collect();
        crate::store::to_bytes(&docs, &index, |n| {
            self.recognized_mentions(keep[n] as usize)
        })
    }

    /// Adds the articles of an index file (a segment, [`Corpus::segment_bytes`], or a whole
    /// corpus, [`Corpus::to_bytes`]) after those the corpus holds, with what recognition
    /// found in them; returns the id the first one got. Runs of one name form a file
    /// ([`Corpus::remove_file`]). All of them or, if the file is damaged or its articles would
    /// pass [`MAX_CORPUS_BYTES`], none: the corpus is then unchanged and the error says why.
    /// Searches score over every article, as if all had been added one by one.
    pub fn add_segment(&mut self, bytes: &[u8]) -> Result<DocId, crate::Error> {
        self.add_segment_files(bytes, &[])
    }

    /// [`Corpus::add_segment`], the files told: each file runs from one of `starts` (ids within
    /// the segment, ascending) to the next, so that two files of one name stay two. Empty
    /// `starts` groups runs of a name.
    pub fn add_segment_files(
        &mut self,
        bytes: &[u8],
        starts: &[DocId],
    ) -> Result<DocId, crate::Error> {
        let mut held = self.text_bytes;
        let parts = crate::store::from_bytes(bytes, |n| {
            room_for(held, n)?;
            held += n;
            Ok(())
        })?;
        let first = self.docs.len() as DocId;
        self.recognized.resize(self.docs.len(), None);
        self.recognized.extend(parts.recognized);
        self.index.append(parts.index);
        let mut added: Vec<Article> = Vec::with_capacity(parts.docs.len());
        for (i, (name, article)) in parts.docs.into_iter().enumerate() {
            let id = first as usize + i;
            let same = i > 0
                && if starts.is_empty() {
                    self.docs[id - 1].name == name
                } else {
                    starts.binary_search(&(i as DocId)).is_err()
                };
            self.file_of.push(if same {
                self.file_of[id - 1]
            } else {
                id as DocId
            });
            self.dates.push(date_of(&article));
            if parts.texts.is_none() {
                self.texts.push(article.source.clone());
            }
            self.docs.push(Stored {
                name,
                shape: article.shape(),
            });
            added.push(article);
        }
        if let Some(block) = parts.texts {
            self.texts.push_block(block);
        }
        debug_assert_eq!(self.texts.len(), self.docs.len());
        self.recognized.resize(self.docs.len(), None);
        self.text_bytes = held;
        self.entities = std::sync::OnceLock::new();
        self.curated = std::sync::OnceLock::new();
        let linking = std::mem::take(&mut self.linking);
        self.linking = self.read_ahead(linking, first as usize, &added);
        Ok(first)
    }

    /// `linking` carried over the addition of articles `first..` (`added`, their texts at
    /// hand): its first pass reads ahead over them now, so that it need not unpack their texts
    /// again (a reload adds every stored segment so); it starts again instead when it is past
    /// its first pass or an article is not recognised yet.
    fn read_ahead(
        &self,
        mut linking: crate::entities::Linking,
        first: usize,
        added: &[Article],
    ) -> crate::entities::Linking {
        let mentions = |i: usize| -> Option<&[(crate::Span, crate::Label)]> {
            if self.is_removed(i) {
                return Some(&[]);
            }
            self.recognized.get(i)?.as_deref()
        };
        // A few articles before these it has not read yet (the bundled ones, say) are read
        // here, unpacked one by one; more would make this call long (linking reads them a chunk
        // a call instead).
        let Some(from) = (linking.next_unread())
            .filter(|&from| from <= first && first - from <= crate::entities::READ_AHEAD_GAP)
        else {
            return Default::default();
        };
        for i in from..first {
            let (Some(ms), a) = (mentions(i), self.article_at(i)) else {
                return Default::default();
            };
            if !linking.read_ahead(i, &[ms], &[a.as_deref()]) {
                return Default::default();
            }
        }
        let list: Option<Vec<&[(crate::Span, crate::Label)]>> =
            (first..first + added.len()).map(mentions).collect();
        let refs: Vec<Option<&Article>> = added.iter().map(Some).collect();
        match list {
            Some(list) if linking.read_ahead(first, &list, &refs) => linking,
            _ => Default::default(),
        }
    }

    /// Ranks without building snippets: `(total, [(doc, score)])`. For batch evaluation and
    /// benchmarks.
    pub fn rank(&self, query: &str, limit: usize) -> (usize, Vec<(DocId, f32)>) {
        let query = parse_query(query);
        let plan = self.plan(&query);
        let r = self.ranked_query(&query, &plan, limit);
        (r.total, r.hits)
    }

    /// The entity index, when the query filters on entities.
    fn resolver(&self, query: &Query) -> Option<&crate::EntityIndex> {
        let wants = query.clauses.iter().any(|c| {
            c.alternatives
                .iter()
                .any(|a| matches!(a, crate::query::Atom::Entity { .. }))
        });
        wants.then(|| self.entities())
    }

    /// Articles per period ([`crate::timeline`]) among those matching `query` (every live
    /// article when it has no words, dates or order), so a timeline follows the search.
    ///
    /// ```
    /// let mut corpus = newslens::Corpus::new();
    /// for (name, text) in [
    ///     ("a.txt", "Vote\n\nPHNOM PENH, June 3, 2017 - The vote was held.\n"),
    ///     ("b.txt", "Vote\n\nPHNOM PENH, July 29, 2018 - The vote was held again.\n"),
    ///     ("c.txt", "Notes\n\nNo date here.\n"),
    /// ] {
    ///     corpus.add(name, newslens::parse_text(text).unwrap());
    /// }
    /// let t = corpus.timeline("vote");
    /// assert_eq!((t.periods.len(), t.periods[0].period.as_str(), t.undated), (14, "2017-06", 0));
    /// assert_eq!(corpus.timeline("").undated, 1);
    /// ```
    pub fn timeline(&self, query: &str) -> crate::Timeline {
        let query = parse_query(query);
        let out = self.left_out(&query);
        let plan = self.plan(&query);
        // As a search lists them: no words (or dates alone) admit every article.
        let docs: Vec<DocId> =
            if query.clauses.is_empty() || (plan.clauses.is_empty() && query.uses_dates()) {
                (0..self.docs.len() as DocId)
                    .filter(|&d| !out.get(d as usize).copied().unwrap_or(false))
                    .collect()
            } else {
                // Only which articles match counts here: no proximity, no feedback.
                let flat = Ranking {
                    proximity: 0.0,
                    feedback: 0.0,
                    ..self.ranking.clone()
                };
                let r = rank(&self.index, &plan, &flat, &out, usize::MAX);
                r.hits.into_iter().map(|(d, _)| d).collect()
            };
        crate::timeline(docs.into_iter().map(|d| self.dates[d as usize]))
    }

    /// Per article id, whether a query leaves it out before ranking: removed, or outside the
    /// query's dates. May be shorter than the ids given out: the rest are in.
    fn left_out(&self, query: &Query) -> std::borrow::Cow<'_, [bool]> {
        if !query.uses_dates() {
            return std::borrow::Cow::Borrowed(&self.removed); // shorter ones: the rest are live
        }
        (0..self.docs.len())
            .map(|d| self.is_removed(d) || !query.admits(self.dates[d]))
            .collect::<Vec<bool>>()
            .into()
    }

    /// Ranks a planned query with its date filters and order: articles outside the dates are
    /// left out before ranking (so `total` counts the others); a query of dates alone lists
    /// every article they admit; a date order sorts every match (undated ones last, ties by
    /// score).
    fn ranked_query(&self, query: &Query, plan: &Plan, limit: usize) -> Ranked {
        if !query.uses_dates() {
            return self.ranked(plan, limit, &self.removed, &self.ranking);
        }
        let out = self.left_out(query);
        let mut sort = query.sort;
        let mut r = if plan.clauses.is_empty() {
            let hits: Vec<(DocId, f32)> = (0..self.docs.len())
                .filter(|&d| !out[d])
                .map(|d| (d as DocId, 0.0))
                .collect();
            if sort == Sort::Relevance {
                sort = Sort::Newest; // nothing to rank by
            }
            Ranked {
                total: hits.len(),
                hits,
            }
        } else if sort == Sort::Relevance {
            return self.ranked(plan, limit, &out, &self.ranking);
        } else {
            // Every match, in score order; proximity would only reorder them.
            let flat = Ranking {
                proximity: 0.0,
                ..self.ranking.clone()
            };
            self.ranked(plan, usize::MAX, &out, &flat)
        };
        sort_by_date(&mut r.hits, sort, |d| self.dates[d as usize]);
        r.hits.truncate(limit);
        r
    }

    /// Ranks a planned query, leaving out the articles `out` marks; verbose queries get
    /// pseudo-relevance feedback.
    fn ranked(&self, plan: &Plan, limit: usize, out: &[bool], ranking: &Ranking) -> Ranked {
        let verbose = plan.verbose && ranking.feedback > 0.0;
        if !verbose {
            return rank(&self.index, plan, ranking, out, limit);
        }
        let mut r = rank(&self.index, plan, ranking, out, limit.max(FEEDBACK_POOL));
        feedback::rerank(
            &self.index,
            &self.analyzer,
            ranking,
            |d| self.get(d).map(|d| d.article),
            &mut r.hits,
        );
        r.hits.truncate(limit);
        r
    }
}

/// Sorts hits by date (`Newest` or `Oldest`; undated ones last), ties by score, then id.
pub(crate) fn sort_by_date(
    hits: &mut [(DocId, f32)],
    sort: Sort,
    date: impl Fn(DocId) -> Option<CalendarDate>,
) {
    let by_date = |a: &(DocId, f32), b: &(DocId, f32)| match (date(a.0), date(b.0)) {
        (Some(x), Some(y)) if sort == Sort::Oldest => x.cmp(&y),
        (Some(x), Some(y)) => y.cmp(&x),
        (x, y) => y.is_some().cmp(&x.is_some()),
    };
    hits.sort_by(|a, b| by_date(a, b).then(b.1.total_cmp(&a.1)).then(a.0.cmp(&b.0)));
}

/// An article's date: published, else its dateline's.
pub(crate) fn date_of(article: &Article) -> Option<CalendarDate> {
    article.published().and_then(CalendarDate::parse_iso)
}

/// Whether a corpus holding `held` bytes of article text has room for `bytes` more.
fn room_for(held: usize, bytes: usize) -> Result<(), crate::Error> {
    if held.saturating_add(bytes) <= MAX_CORPUS_BYTES {
        return Ok(());
    }
    Err(crate::Error::corpus_full(held, bytes, MAX_CORPUS_BYTES))
}

/// Whether this build recognises entities in the articles it is given (the `entities` feature).
/// Without it (a search-only build) the corpus links only the mentions an index file brought,
/// and articles added to it name no entities.
pub const RECOGNIZES: bool = cfg!(feature = "entities");

/// Recognises the entities of article `i` for each `i` of `which`, in that order, with one
/// tagger (one word cache) per thread.
#[cfg(all(feature = "entities", not(target_arch = "wasm32")))]
fn recognize_all(corpus: &Corpus, which: &[usize]) -> Vec<Mentions> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // Below a few hundred articles a thread's start and its cold cache cost more than it saves.
    let chunk = which.len().div_ceil(threads).max(256);
    if chunk >= which.len() {
        return recognize_serial(corpus, which);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = which
            .chunks(chunk)
            .map(|part| scope.spawn(move || recognize_serial(corpus, part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(any(not(feature = "entities"), target_arch = "wasm32"))]
fn recognize_all(corpus: &Corpus, which: &[usize]) -> Vec<Mentions> {
    recognize_serial(corpus, which)
}

#[cfg(not(feature = "entities"))]
fn recognize_serial(_corpus: &Corpus, which: &[usize]) -> Vec<Mentions> {
    vec![Vec::new(); which.len()]
}

#[cfg(feature = "entities")]
fn recognize_serial(corpus: &Corpus, which: &[usize]) -> Vec<Mentions> {
    // Nothing to recognise loads no model: each step of linking asks with no article, and
    // once recognition is done the model is let go (loading it again took a 1 MB block and a
    // few milliseconds per call).
    if which.is_empty() {
        return Vec::new();
    }
    let model = crate::ner::Model::bundled();
    let mut tagger = crate::ner::Tagger::new(&model);
    (which.iter())
        .map(|&i| {
            let article = corpus.article(i);
            (article.as_ref()).map_or_else(Vec::new, |a| {
                crate::entities::recognize_with(a, &mut tagger)
            })
        })
        .collect()
}

#[cfg(all(test, feature = "entities", feature = "seeds"))]
mod tests {
    use super::Corpus;

    /// The entity index used to keep a copy of every article's recognised mentions when the
    /// corpus held them already: the whole set twice in memory.
    #[test]
    fn linking_keeps_no_second_copy_of_the_recognised_mentions() {
        let mut corpus = Corpus::seeds();
        corpus.recognize_pending(corpus.len());
        let article =
            crate::parse_text("Talks\n\nHun Sen met Sam Rainsy in Phnom Penh.\n").unwrap();
        let late = corpus.add("late.txt", article) as usize;
        // Every seed is recognised ahead; the late article is not.
        assert!((0..late).all(|i| corpus.recognized.get(i).is_some_and(Option::is_some)));
        assert!(corpus.recognized.get(late).is_none_or(Option::is_none));
        let linked = corpus.entities();
        assert!(linked.mentions(late as u32).len() >= 2);
        let index = corpus.entities.get().unwrap();
        for i in 0..late {
            assert_eq!(index.recognized(i), Some(&[][..]), "article {i}");
        }
        // The late article's mentions live in the entity index, and the corpus finds them there.
        assert!(!index.recognized(late).unwrap().is_empty());
        assert_eq!(corpus.recognized_mentions(late), index.recognized(late));
    }
}
