//! Writing an archive in bounded memory: articles are taken in batches (each indexed,
//! recognised and linked as a corpus of its own, its records written at once and its postings
//! handed back as a sorted run); the caller keeps the runs (on disk) and merges them term by
//! term into [`Publisher::add_term`], which writes the term shards; [`Publisher::finish`]
//! writes the word shards and the manifest. Memory holds one batch, the vocabulary, and one
//! term's postings at a time. The same input gives the same bytes.

use super::{
    entity_docs_file, entity_file, entity_key, frame, head_file, ids_file, pair_key, pair_of,
    postings_file, record_file, term_file, word_file, write_ids, EntityDocs, Manifest, Norms,
    Record, TermPostings, ENTITIES_MAGIC, ENTITY_DOCS_MAGIC, ENTITY_KEY, HEAD_MAGIC, IDS_MAGIC,
    MANIFEST, POSTINGS_MAGIC, RECORDS_MAGIC, TERMS_MAGIC, WORDS_MAGIC,
};
use crate::article::{Article, FIELDS};
use crate::entities::Label;
use crate::error::Error;
use crate::index::{DocId, TermId};
use crate::store::{corrupt, Reader, Writer};
use crate::Corpus;
use std::collections::BTreeMap;

/// How an archive is cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishOptions {
    /// Articles indexed, recognised and linked together: the memory bound of publishing, and
    /// the reach of linking (a short name joins a longer one within its batch).
    pub batch: usize,
    /// Articles per record chunk: the first results fetch one chunk per hit shown.
    pub chunk: usize,
    /// Bytes a word or term shard holds before the next one starts.
    pub shard_bytes: usize,
    /// Postings larger than this get a file of their own instead of sitting in their term's
    /// shard.
    pub inline_bytes: usize,
    /// Articles in a term's head (`h/N`): those it scores best, which answer a query of that
    /// term (and its expansions) when they provably hold its first results. Terms in no more
    /// articles than this, or whose postings sit in their shard, get none.
    pub head: usize,
    /// Two terms adjacent in an article are also indexed as a pair, a term of their own (its
    /// positions where the pair starts), when one of them is in at least this many articles
    /// of the archive; a phrase is then matched by its pairs, and fetches their postings
    /// instead of each word's. 0: no pairs. With the default, a word a phrase matches
    /// alone has postings under about 64 KB (some 16 bytes an article).
    pub pair_df: usize,
}

impl Default for PublishOptions {
    fn default() -> PublishOptions {
        PublishOptions {
            batch: 20_000,
            chunk: 4,
            shard_bytes: 24 * 1024,
            inline_bytes: 2 * 1024,
            head: 100,
            pair_df: 4096,
        }
    }
}

/// A batch of articles as files: its complete record chunks, and its postings as a run sorted
/// by key (each value one key's postings, for [`Publisher::add_term`]). The keys are the index
/// terms, and before them the entity keys (the articles naming each entity by each of its
/// names, for entity filters).
#[derive(Debug, Default)]
pub struct Batch {
    /// Files to write: `(name, bytes)`.
    pub files: Vec<(String, Vec<u8>)>,
    /// `(key, postings)`, sorted by key.
    pub run: Vec<(Box<str>, Vec<u8>)>,
}

/// Writes an archive (see the module's documentation for the order of calls).
///
/// ```
/// let mut p = newslens::Publisher::new(newslens::PublishOptions::default());
/// p.add("a.txt", newslens::parse_text("Rice Harvest\n\nFarmers harvest rice.\n").unwrap()).unwrap();
/// let batch = p.flush();
/// let mut files = batch.files;
/// for (term, postings) in &batch.run {
///     files.extend(p.add_term(term, &[postings.as_slice()]).unwrap());
/// }
/// files.extend(p.finish());
/// let mut archive = newslens::Archive::open(&files.iter().find(|f| f.0 == "manifest").unwrap().1).unwrap();
/// while let Some(name) = archive.needs("harvest", 10).pop() {
///     let bytes = &files.iter().find(|f| f.0 == name).unwrap().1;
///     archive.add_file(&name, bytes).unwrap();
/// }
/// assert_eq!(archive.search("harvest", 10).unwrap().total, 1);
/// ```
#[derive(Debug)]
pub struct Publisher {
    options: PublishOptions,
    /// The articles of the batch under way.
    batch: Corpus,
    /// Articles flushed so far.
    docs: usize,
    total_len: [u64; FIELDS],
    /// Records of the last chunk, not yet full.
    pending: Vec<Record>,
    /// Record chunks written, and their bytes.
    chunks: u64,
    chunk_bytes: u64,
    /// Every surface word and its term.
    words: BTreeMap<Box<str>, Box<str>>,
    /// Every term's document frequency (from the merge).
    df: BTreeMap<Box<str>, u32>,
    shard: Writer,
    shard_terms: usize,
    term_firsts: Vec<Box<str>>,
    last_term: Option<Box<str>>,
    postings_files: usize,
    /// The entity shard under way, as the term shard.
    entity_shard: Writer,
    shard_entities: usize,
    entity_firsts: Vec<Box<str>>,
    entity_files: usize,
}

impl Publisher {
    /// A publisher with these options (zero sizes are taken as one).
    pub fn new(options: PublishOptions) -> Publisher {
        let options = PublishOptions {
            batch: options.batch.max(1),
            chunk: options.chunk.max(1),
            shard_bytes: options.shard_bytes.max(1),
            inline_bytes: options.inline_bytes,
            head: options.head.max(1),
            pair_df: options.pair_df,
        };
        Publisher {
            options,
            batch: Corpus::new(),
            docs: 0,
            total_len: [0; FIELDS],
            pending: Vec::new(),
            chunks: 0,
            chunk_bytes: 0,
            words: BTreeMap::new(),
            df: BTreeMap::new(),
            shard: Writer::default(),
            shard_terms: 0,
            term_firsts: Vec::new(),
            last_term: None,
            postings_files: 0,
            entity_shard: Writer::default(),
            shard_entities: 0,
            entity_firsts: Vec::new(),
            entity_files: 0,
        }
    }

    /// Adds an article to the batch under way. Fails only when the batch's text would pass
    /// the corpus limit ([`Publisher::has_room`] says so beforehand).
    pub fn add(&mut self, name: &str, article: Article) -> Result<(), Error> {
        self.batch.try_add(name, article).map(|_| ())
    }

    /// Whether the batch under way has room for an article of `bytes` of text (the corpus
    /// limit, [`MAX_CORPUS_BYTES`](crate::MAX_CORPUS_BYTES)); flush first when it has not.
    pub fn has_room(&self, bytes: usize) -> bool {
        self.batch.is_empty()
            || self.batch.text_bytes.saturating_add(bytes) <= crate::MAX_CORPUS_BYTES
    }

    /// Whether the batch under way holds [`PublishOptions::batch`] articles.
    pub fn batch_full(&self) -> bool {
        self.batch.len() >= self.options.batch
    }

    /// Articles added so far, flushed or not.
    pub fn len(&self) -> usize {
        self.docs + self.batch.len()
    }

    /// Whether no article was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ends the batch under way: recognises and links its entities, and gives back its record
    /// chunks and its postings run.
    pub fn flush(&mut self) -> Batch {
        let corpus = std::mem::take(&mut self.batch);
        let base = self.docs as DocId;
        let entities = corpus.entities();
        let index = &corpus.index;
        let mut out = Batch::default();
        let mut norms = Vec::with_capacity(corpus.len());
        let docs: Vec<crate::Document> = corpus.documents().collect();
        let dates: Vec<_> = (docs.iter())
            .map(|d| crate::corpus::date_of(&d.article))
            .collect();
        for (i, d) in docs.into_iter().enumerate() {
            let info = &index.docs[i];
            for (t, &l) in self.total_len.iter_mut().zip(&info.len) {
                *t += u64::from(l);
            }
            norms.push(Norms::of(info, dates[i]));
            self.pending.push(Record {
                name: d.name,
                article: d.article,
                mentions: entities.mentions(i as DocId).to_vec(),
            });
            if self.pending.len() == self.options.chunk {
                let first = base as usize + i + 1 - self.options.chunk;
                out.files.push(self.records(first));
            }
        }
        self.docs += corpus.len();
        // The entity keys first (they sort before every term): the names an entity filter
        // can look up (people, organisations and nationalities, places).
        let mut keys: Vec<(String, &[u32])> = (entities.names())
            .filter(|(l, _, _)| matches!(l, Label::Person | Label::Org | Label::Norp | Label::Gpe))
            .map(|(l, name, docs)| (entity_key(l, name), docs))
            .collect();
        keys.sort_unstable();
        for (key, docs) in keys {
            let list = EntityDocs {
                docs: docs.iter().map(|&d| base + d).collect(),
                dates: docs.iter().map(|&d| dates[d as usize]).collect(),
            };
            let mut w = Writer::default();
            list.write(&mut w);
            out.run.push((key.into(), w.out));
        }
        let mut terms: Vec<(&str, u32)> = index.terms.iter().map(|(id, t)| (t, id)).collect();
        terms.sort_unstable();
        let mut buf: Vec<u32> = Vec::new();
        for &(term, id) in &terms {
            let p = &index.postings[id as usize];
            let mut tp = TermPostings::default();
            for (doc, positions) in p.iter() {
                buf.clear();
                buf.extend(positions);
                tp.push(base + doc, norms[doc as usize], &buf);
            }
            let mut w = Writer::default();
            tp.write(&mut w);
            out.run.push((term.into(), w.out));
        }
        if self.options.pair_df > 0 {
            // Every pair of the batch: which are common enough is known only once every
            // batch's terms are merged.
            let order: Vec<TermId> = terms.iter().map(|&(_, id)| id).collect();
            out.run.extend(pairs(index, &order, base, &norms));
        }
        for (word, id) in index.words() {
            if !self.words.contains_key(word) {
                self.words.insert(word.into(), index.terms.get(id).into());
            }
        }
        out
    }

    /// The pending records as the chunk starting at article `first`.
    fn records(&mut self, first: usize) -> (String, Vec<u8>) {
        let mut w = Writer::default();
        w.usize(self.pending.len());
        for r in self.pending.drain(..) {
            r.write(&mut w);
        }
        let bytes = frame(RECORDS_MAGIC, w.out);
        self.chunks += 1;
        self.chunk_bytes += bytes.len() as u64;
        (record_file(first / self.options.chunk), bytes)
    }

    /// Adds a term with its postings from each batch's run that holds it, in batch order.
    /// Terms come in ascending order. Gives back the files now complete.
    pub fn add_term(
        &mut self,
        term: &str,
        parts: &[&[u8]],
    ) -> Result<Vec<(String, Vec<u8>)>, Error> {
        if self.last_term.as_deref().is_some_and(|last| last >= term) {
            return Err(corrupt("terms are not in ascending order"));
        }
        if term.starts_with(ENTITY_KEY) {
            return self.add_entity(term, parts);
        }
        // A pair is kept when one of its terms is common (their document frequencies are
        // known: pairs come after every term); its score, as a phrase's, has their idf.
        let pair = pair_of(term);
        let mut dfs = Vec::new();
        if let Some((a, b)) = pair {
            let df = |t: &str| self.df.get(t).copied().unwrap_or(0) as usize;
            let (a, b) = (df(a), df(b));
            if self.options.pair_df == 0 || a.max(b) < self.options.pair_df {
                self.last_term = Some(term.into());
                return Ok(Vec::new());
            }
            dfs = vec![a, b];
        }
        let mut all = TermPostings::default();
        for part in parts {
            let mut r = Reader { bytes: part, at: 0 };
            let p = TermPostings::read(&mut r, self.docs)?;
            if let (Some(&last), Some(&first)) = (all.docs.last(), p.docs.first()) {
                if first <= last {
                    return Err(corrupt("runs are not in article order"));
                }
            }
            for i in 0..p.docs.len() {
                all.push(p.docs[i], p.norms[i], p.positions_at(i));
            }
        }
        let mut files = Vec::new();
        let mut w = Writer::default();
        all.write(&mut w);
        if self.shard_terms == 0 {
            self.term_firsts.push(term.into());
        }
        self.shard.str(term);
        self.shard.usize(all.docs.len());
        let limit = self.options.inline_bytes;
        if let Some((n, list)) = place(&mut self.shard, w.out, limit, &mut self.postings_files) {
            files.push((postings_file(n), frame(POSTINGS_MAGIC, list)));
            let mut w = Writer::default();
            write_ids(&mut w, &all.docs);
            files.push((ids_file(n), frame(IDS_MAGIC, w.out)));
            // Flag 1 and the floor when the term has a head (`h/N`, numbered as `p/N`).
            match self.head(&all, &dfs) {
                Some((head, floor)) => {
                    self.shard.u64(1);
                    self.shard.u64(u64::from(floor.to_bits()));
                    let mut w = Writer::default();
                    head.write(&mut w);
                    files.push((head_file(n), frame(HEAD_MAGIC, w.out)));
                }
                None => self.shard.u64(0),
            }
        }
        self.shard_terms += 1;
        if pair.is_none() {
            self.df.insert(term.into(), all.docs.len() as u32);
        }
        self.last_term = Some(term.into());
        if self.shard.out.len() >= self.options.shard_bytes {
            files.push(self.term_shard());
        }
        Ok(files)
    }

    /// A term's head: the [`PublishOptions::head`] articles it scores best (BM25F with the
    /// default [`Ranking`](crate::Ranking), as an [`Archive`](crate::Archive) scores; ties in
    /// article order), in article order, and the best score of the articles left out (its
    /// floor). A pair's score is its phrase's: the idf of its terms, in `dfs` articles. `None`
    /// when the postings are no longer than a head.
    fn head(&self, all: &TermPostings, dfs: &[usize]) -> Option<(TermPostings, f32)> {
        let n = all.docs.len();
        let keep = self.options.head;
        if n <= keep {
            return None;
        }
        let mut index = crate::index::Index::default();
        index.docs = all.norms.iter().map(|m| m.info()).collect();
        index.collection = Some(crate::index::Collection {
            docs: self.docs,
            total_len: self.total_len,
        });
        index.df = vec![n as u32];
        index.df.extend(dfs.iter().map(|&d| d as u32));
        let ranking = crate::Ranking::default();
        let idf = match dfs.len() {
            0 => index.idf(0),
            k => (1..=k as TermId).map(|t| index.idf(t)).sum(),
        };
        let avg = index.avg_len();
        let score = |i: usize| {
            let positions = all.positions_at(i).iter().copied();
            crate::search::bm25f(&index, &ranking, &avg, i as DocId, positions, idf, None)
        };
        let scores: Vec<f32> = (0..n).map(score).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let floor = scores[order[keep]];
        let mut best = order[..keep].to_vec();
        best.sort_unstable();
        let mut head = TermPostings::default();
        for i in best {
            head.push(all.docs[i], all.norms[i], all.positions_at(i));
        }
        Some((head, floor))
    }

    /// [`Publisher::add_term`] of an entity key: its articles from each batch, into the entity
    /// shard under way or a file of their own.
    fn add_entity(&mut self, key: &str, parts: &[&[u8]]) -> Result<Vec<(String, Vec<u8>)>, Error> {
        let mut all = EntityDocs::default();
        for part in parts {
            let p = EntityDocs::read(&mut Reader { bytes: part, at: 0 }, self.docs)?;
            if let (Some(&last), Some(&first)) = (all.docs.last(), p.docs.first()) {
                if first <= last {
                    return Err(corrupt("runs are not in article order"));
                }
            }
            all.docs.extend_from_slice(&p.docs);
            all.dates.extend_from_slice(&p.dates);
        }
        let mut files = Vec::new();
        let mut w = Writer::default();
        all.write(&mut w);
        if self.shard_entities == 0 {
            self.entity_firsts.push(key.into());
        }
        self.entity_shard.str(key);
        let limit = self.options.inline_bytes;
        files.extend(
            place(&mut self.entity_shard, w.out, limit, &mut self.entity_files)
                .map(|(n, list)| (entity_docs_file(n), frame(ENTITY_DOCS_MAGIC, list))),
        );
        self.shard_entities += 1;
        self.last_term = Some(key.into());
        if self.entity_shard.out.len() >= self.options.shard_bytes {
            files.push(self.entity_shard());
        }
        Ok(files)
    }

    fn entity_shard(&mut self) -> (String, Vec<u8>) {
        let mut w = Writer::default();
        w.usize(self.shard_entities);
        w.out.append(&mut self.entity_shard.out);
        self.shard_entities = 0;
        (
            entity_file(self.entity_firsts.len() - 1),
            frame(ENTITIES_MAGIC, w.out),
        )
    }

    fn term_shard(&mut self) -> (String, Vec<u8>) {
        let mut w = Writer::default();
        w.usize(self.shard_terms);
        w.out.append(&mut self.shard.out);
        self.shard_terms = 0;
        (
            term_file(self.term_firsts.len() - 1),
            frame(TERMS_MAGIC, w.out),
        )
    }

    /// Writes what is left: the last record chunk and term shard, the word shards and the
    /// manifest (flush the last batch and add every term first).
    pub fn finish(mut self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        if !self.pending.is_empty() {
            let first = self.docs - self.pending.len();
            files.push(self.records(first));
        }
        if self.shard_entities > 0 || self.entity_firsts.is_empty() {
            if self.entity_firsts.is_empty() {
                self.entity_firsts.push("".into());
            }
            files.push(self.entity_shard());
        }
        if self.shard_terms > 0 || self.term_firsts.is_empty() {
            if self.term_firsts.is_empty() {
                self.term_firsts.push("".into());
            }
            files.push(self.term_shard());
        }
        let mut word_firsts: Vec<Box<str>> = Vec::new();
        let mut shard = Writer::default();
        let mut count = 0;
        let flush = |shard: &mut Writer, count: &mut usize, files: &mut Vec<_>, n: usize| {
            let mut w = Writer::default();
            w.usize(*count);
            w.out.append(&mut shard.out);
            *count = 0;
            files.push((word_file(n), frame(WORDS_MAGIC, w.out)));
        };
        for (word, term) in &self.words {
            let Some(&df) = self.df.get(term) else {
                continue;
            };
            if count == 0 {
                word_firsts.push(word.clone());
            }
            shard.str(word);
            shard.str(term);
            shard.u64(u64::from(df));
            count += 1;
            if shard.out.len() >= self.options.shard_bytes {
                flush(&mut shard, &mut count, &mut files, word_firsts.len() - 1);
            }
        }
        if count > 0 || word_firsts.is_empty() {
            if word_firsts.is_empty() {
                word_firsts.push("".into());
            }
            flush(&mut shard, &mut count, &mut files, word_firsts.len() - 1);
        }
        // A shard's range starts at its first key; the first shard's at the start of all keys.
        word_firsts[0] = "".into();
        self.term_firsts[0] = "".into();
        self.entity_firsts[0] = "".into();
        let manifest = Manifest {
            docs: self.docs,
            total_len: self.total_len,
            chunk: self.options.chunk,
            chunk_bytes: (self.chunk_bytes.checked_div(self.chunks)).unwrap_or(0) as usize,
            pair_df: self.options.pair_df,
            word_firsts,
            term_firsts: self.term_firsts,
            entity_firsts: self.entity_firsts,
        };
        files.push((MANIFEST.to_string(), manifest.to_bytes()));
        files
    }
}

/// The pairs of adjacent terms of a batch's articles, as run entries sorted by key: each
/// pair's articles (`base` added) with their `norms` and the positions where it starts.
/// `order` is the batch's terms in key order.
fn pairs(
    index: &crate::index::Index,
    order: &[TermId],
    base: DocId,
    norms: &[Norms],
) -> Vec<(Box<str>, Vec<u8>)> {
    const NONE: u32 = u32::MAX;
    let mut rank = vec![NONE; index.postings.len()];
    for (r, &t) in (0..).zip(order) {
        rank[t as usize] = r;
    }
    // Each article's terms by position (the rank of each), end to end: an article's
    // positions end at its last field's end.
    let mut start = vec![0usize; index.docs.len() + 1];
    for (d, info) in index.docs.iter().enumerate() {
        start[d + 1] = start[d] + info.field_end[FIELDS - 1] as usize;
    }
    let mut at = vec![NONE; start[index.docs.len()]];
    for (t, p) in index.postings.iter().enumerate() {
        for (doc, positions) in p.iter() {
            for q in positions {
                at[start[doc as usize] + q as usize] = rank[t];
            }
        }
    }
    // (pair, article, position), sorted: pairs by rank, which is their keys' order.
    let mut found: Vec<(u64, DocId, u32)> = Vec::new();
    for doc in 0..index.docs.len() {
        let terms = &at[start[doc]..start[doc + 1]];
        for (q, w) in (0..).zip(terms.windows(2)) {
            if w[0] != NONE && w[1] != NONE {
                found.push(((u64::from(w[0]) << 32) | u64::from(w[1]), doc as DocId, q));
            }
        }
    }
    drop(at);
    found.sort_unstable();
    let text = |r: u64| index.terms.get(order[r as usize]);
    let mut out = Vec::new();
    let mut positions = Vec::new();
    for run in found.chunk_by(|x, y| x.0 == y.0) {
        let mut tp = TermPostings::default();
        for article in run.chunk_by(|x, y| x.1 == y.1) {
            positions.clear();
            positions.extend(article.iter().map(|x| x.2));
            let doc = article[0].1;
            tp.push(base + doc, norms[doc as usize], &positions);
        }
        let mut w = Writer::default();
        tp.write(&mut w);
        let key = pair_key(text(run[0].0 >> 32), text(run[0].0 & 0xffff_ffff));
        out.push((key.into(), w.out));
    }
    out
}

/// Writes a list into its shard when it has at most `limit` bytes (flag 0, its length, the
/// list); else the number of the file of its own it gets (flag 1, `next`, counted up), given
/// back with the list to write there.
fn place(
    shard: &mut Writer,
    list: Vec<u8>,
    limit: usize,
    next: &mut usize,
) -> Option<(usize, Vec<u8>)> {
    if list.len() <= limit {
        shard.u64(0);
        shard.usize(list.len());
        shard.out.extend_from_slice(&list);
        None
    } else {
        shard.u64(1);
        shard.usize(*next);
        *next += 1;
        Some((*next - 1, list))
    }
}
