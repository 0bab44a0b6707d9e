//! Reading an archive: the files fetched so far, and queries answered from them.

use super::{
    damaged, entity_docs_file, entity_file, entity_key, head_file, ids_file, pair_key,
    postings_file, read_ids, record_file, shard_of, shards_under, term_file, unframe, word_file,
    EntityDocs, Manifest, Norms, Record, TermPostings, ENTITIES_MAGIC, ENTITY_DOCS_MAGIC,
    HEAD_MAGIC, IDS_MAGIC, POSTINGS_MAGIC, RECORDS_MAGIC, TERMS_MAGIC, WORDS_MAGIC,
};
use crate::analyze::Analyzer;
use crate::calendar::CalendarDate;
use crate::error::Error;
use crate::hash::FxMap;
use crate::index::{Collection, DocId, DocInfo, Index, Postings, TermId};
use crate::interner::Interner;
use crate::query::{parse_query, Atom, EntityKind, Query, Sort};
use crate::search::{
    expansion_prefixes, plan, rank, Dictionary, Entities, Lexicon, Plan, Planned, Ranked, Ranking,
    Role,
};
use crate::view::{snippet_view, ArticleView, HitView, Mark, ResultsView};
use crate::Label;
use crate::{Hit, SearchResults};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The most articles a query reads from their records instead of its terms' postings (see
/// `Archive::within_records`): a request each at most, and each indexed again at every answer.
/// An entity list this short sits in its shard (a list in a file of its own is not waited for).
const RECORDS_WITHIN: usize = 64;
/// About what an article takes in a term's postings file: its field lengths, date and
/// positions (some 12 bytes for a common word at a million articles).
const POSTING_BYTES: usize = 8;

/// What a postings, head or ids file says when no loaded term shard names it.
const NO_SHARD: &str = "no loaded term shard names this file";

/// Where a term's postings are.
#[derive(Clone, Debug)]
enum Source {
    /// Its term shard is not loaded yet (the term is known from a word shard).
    Unknown,
    /// In `p/N`, not loaded yet; with the best score of the articles its head (`h/N`, loaded
    /// or not) leaves out, when it has one.
    File {
        n: usize,
        floor: Option<f32>,
        head: Option<Arc<TermPostings>>,
    },
    Loaded(Arc<TermPostings>),
}

/// Where an entity key's articles are.
#[derive(Clone, Debug)]
enum EntitySource {
    /// In `x/N`, not loaded yet.
    File(usize),
    Loaded(Arc<EntityDocs>),
}

/// The labels an entity filter of `kind` looks for, in order (as a corpus plans it).
fn labels_of(kind: EntityKind) -> &'static [Label] {
    match kind {
        EntityKind::Person => &[Label::Person],
        EntityKind::Org => &[Label::Org, Label::Norp],
        EntityKind::Place => &[Label::Gpe],
    }
}

#[derive(Clone, Debug)]
struct Term {
    text: Box<str>,
    df: usize,
    postings: Source,
    /// Its articles alone (`d/N`), once loaded.
    ids: Option<Arc<Vec<DocId>>>,
}

/// A published archive being read: its manifest and the files fetched so far.
///
/// Queries are answered in rounds: [`Archive::needs`] names the files a query still needs,
/// the caller fetches them and gives them to [`Archive::add_file`], until nothing is missing;
/// then [`Archive::search`] answers exactly as a [`Corpus`](crate::Corpus) of the same
/// articles would (entity filters included: publishing linked each batch of articles as a
/// corpus), without pseudo-relevance feedback. A query of dates alone, with no word or entity,
/// matches nothing here.
/// See [`Publisher`](crate::Publisher) for an example.
#[derive(Debug)]
pub struct Archive {
    manifest: Manifest,
    analyzer: Analyzer,
    ranking: Ranking,
    loaded: BTreeSet<String>,
    /// Surface words of the loaded word shards, by word number the term each indexes as, and
    /// the word numbers in the order of their words.
    words: Interner,
    word_terms: Vec<TermId>,
    word_order: Vec<u32>,
    term_ids: FxMap<Box<str>, TermId>,
    terms: Vec<Term>,
    records: FxMap<DocId, Arc<Record>>,
    /// The term each `p/N` file a loaded term shard named holds the postings of.
    postings_files: FxMap<usize, TermId>,
    /// Entity keys of the loaded entity shards (those a shard lacks are known absent).
    entities: FxMap<Box<str>, EntitySource>,
    /// The key each `x/N` file a loaded entity shard named holds the articles of.
    entity_files: FxMap<usize, Box<str>>,
}

impl Archive {
    /// Opens an archive from its manifest's bytes.
    pub fn open(manifest: &[u8]) -> Result<Archive, Error> {
        Ok(Archive {
            manifest: Manifest::from_bytes(manifest)?,
            analyzer: Analyzer::default(),
            ranking: Ranking {
                feedback: 0.0,
                ..Ranking::default()
            },
            loaded: BTreeSet::new(),
            words: Interner::default(),
            word_terms: Vec::new(),
            word_order: Vec::new(),
            term_ids: FxMap::default(),
            terms: Vec::new(),
            records: FxMap::default(),
            postings_files: FxMap::default(),
            entities: FxMap::default(),
            entity_files: FxMap::default(),
        })
    }

    /// How many articles the archive holds.
    pub fn len(&self) -> usize {
        self.manifest.docs
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.manifest.docs == 0
    }

    /// How many files have been added.
    pub fn files_loaded(&self) -> usize {
        self.loaded.len()
    }

    /// The files (names relative to the archive) that answering `query` with `limit` hits
    /// still needs, in the order they are best fetched; empty when it can be answered.
    pub fn needs(&self, query: &str, limit: usize) -> Vec<String> {
        self.needs_of(query, limit, false)
    }

    /// The files [`Archive::search_first`] still needs for `query`'s first `limit` hits: for
    /// a query of one clause of words (a word, its typos, its prefix; dates allowed), only
    /// its terms' heads when they provably hold those hits, else what [`Archive::needs`]
    /// lists. Never more than that.
    pub fn needs_first(&self, query: &str, limit: usize) -> Vec<String> {
        self.needs_of(query, limit, true)
    }

    fn needs_of(&self, query: &str, limit: usize, first: bool) -> Vec<String> {
        let query = parse_query(query);
        match self.missing(&query, limit, first) {
            Ok(_) => Vec::new(),
            Err(files) => files.into_iter().collect(),
        }
    }

    /// Whether a plan can be answered from its terms' heads: one positive clause of words
    /// (no phrase, no field), ranked by relevance, its excluded words lists of articles or on
    /// their way (`waiting`: the terms whose lists are fetched in the same round). Its score
    /// is then the best of its terms' weighted scores, article by article.
    fn by_heads(query: &Query, plan: &Plan, waiting: &[TermId]) -> bool {
        query.sort == Sort::Relevance && plan.is_one_clause_of_words(|t| waiting.contains(&t))
    }

    /// The query ranked (with the small index it was ranked on, and whether its total is
    /// exact), or the files still missing for it (the next round's). With `first`, a total
    /// that only the whole postings would make exact is not waited for.
    fn missing(
        &self,
        query: &Query,
        limit: usize,
        first: bool,
    ) -> Result<(Ranked, Option<Local>, bool), BTreeSet<String>> {
        let m = &self.manifest;
        let mut want = BTreeSet::new();
        let term = |t: &str, want: &mut BTreeSet<String>| {
            want.insert(term_file(shard_of(&m.term_firsts, t)));
        };
        for atom in query.clauses.iter().flat_map(|c| &c.alternatives) {
            if let Atom::Entity { kind, name } = atom {
                for &l in labels_of(*kind) {
                    let key = entity_key(l, name);
                    want.insert(entity_file(shard_of(&m.entity_firsts, &key)));
                }
            }
            let (text, prefix) = match atom {
                Atom::Word { text, prefix, .. } => (text, Some(*prefix)),
                Atom::Phrase { text, .. } => (text, None),
                Atom::Entity { name, .. } => (name, None),
            };
            let tokens = self.analyzer.tokens(text);
            for t in &tokens {
                term(&t.term, &mut want);
            }
            if let (Some(prefix), [t]) = (prefix, tokens.as_slice()) {
                for p in expansion_prefixes(&t.word, prefix) {
                    want.extend(shards_under(&m.word_firsts, p).map(word_file));
                }
            }
        }
        self.still(&mut want)?;
        for atom in query.clauses.iter().flat_map(|c| &c.alternatives) {
            if let Atom::Entity { kind, name } = atom {
                for &l in labels_of(*kind) {
                    if let Some(EntitySource::File(n)) = self.entities.get(&*entity_key(l, name)) {
                        want.insert(entity_docs_file(*n));
                    }
                }
            }
        }
        let mut plan = plan(
            self,
            &self.analyzer,
            query,
            &self.ranking,
            Some(self as &dyn Entities),
        );
        // A query within an entity of few articles reads them whole: their records cost less
        // than its terms' postings, and give every match (the total is exact).
        if let (true, Some(within)) = (want.is_empty(), self.within_records(&plan)) {
            plan.match_words();
            let chunk = m.chunk;
            want.extend(within.iter().map(|&d| record_file(d as usize / chunk)));
            self.still(&mut want)?;
            let (ranked, local) = self.rank(query, &plan, limit, Some(&within));
            return Ok((ranked, local, true));
        }
        if self.pairs(&mut plan, &mut want) {
            self.still(&mut want)?;
        }
        // First hits need not wait for every article a common excluded word is in (`d/N`, a
        // byte or two an article): the articles they would show are checked instead, from
        // their records (fetched to be shown anyway). Only with one positive clause and no
        // entity filter: an excluded article then changes no other article's score.
        let check = first
            && plan.positives() == 1
            && !plan.clauses.iter().any(|c| c.role == Role::Required);
        // Worth it when the lists would cost more than the records fetched to spare a round.
        let budget = (limit / 2 + 1).saturating_mul(m.chunk_bytes);
        let mut verify = Vec::new();
        let mut unchecked = check.then(|| plan.clone());
        let waiting = self.presence(&mut plan, &mut want, check.then_some((&mut verify, budget)));
        let heads = Self::by_heads(query, &plan, &waiting);
        // Terms answered from their heads so far: their postings files, the best weight the
        // clause gives them, their floors.
        let mut headed: Vec<(usize, f32, f32)> = Vec::new();
        for t in plan.matched_terms() {
            if waiting.contains(&t) {
                continue;
            }
            let t = &self.terms[t as usize];
            match &t.postings {
                Source::Unknown => term(&t.text, &mut want),
                Source::File {
                    n,
                    floor: Some(floor),
                    head,
                } if heads => {
                    if head.is_none() {
                        want.insert(head_file(*n));
                    }
                    headed.push((*n, 0.0, *floor));
                }
                Source::File { n, .. } => {
                    want.insert(postings_file(*n));
                }
                Source::Loaded(_) => {}
            }
        }
        self.still(&mut want)?;
        let walk = if verify.is_empty() {
            limit
        } else {
            limit.saturating_mul(4).max(40)
        };
        let (mut ranked, local) = self.rank(query, &plan, walk, None);
        let mut exact_total = true;
        if !verify.is_empty() {
            // The ranked articles in order, each kept unless its record holds an excluded
            // word, until `limit` are kept; those not read yet are fetched, with half as many
            // again (at least 4) to spare a round when some of them are excluded. When as
            // many were read and excluded, the excluded words' lists cost less after all.
            let chunk = m.chunk;
            let quota = (limit + limit / 2).max(4);
            let (mut kept, mut unread, mut dropped) = (Vec::new(), Vec::new(), 0);
            let mut all = true;
            for &(d, s) in &ranked.hits {
                if kept.len() == limit || kept.len() + unread.len() >= quota {
                    all = false;
                    break;
                }
                match self.records.get(&d) {
                    Some(r) if self.hold(&r.article, &verify) => dropped += 1,
                    Some(_) => kept.push((d, s)),
                    None => unread.push(d),
                }
            }
            let run_out = all && kept.len() < limit && ranked.hits.len() < ranked.total;
            if let (true, Some(plan)) = (dropped >= quota || run_out, unchecked.as_mut()) {
                self.presence(plan, &mut want, None);
                self.still(&mut want)?;
            }
            want.extend(unread.iter().map(|&d| record_file(d as usize / chunk)));
            self.still(&mut want)?;
            // Every match was read when the walk ran out of them; else at least these match.
            exact_total = all && ranked.hits.len() == ranked.total;
            ranked.total = kept.len();
            ranked.hits = kept;
        }
        if !headed.is_empty() {
            // The terms' weights in the clause.
            for (_, t, w) in plan.matched() {
                if let Source::File { n, .. } = self.terms[t as usize].postings {
                    for h in headed.iter_mut().filter(|h| h.0 == n) {
                        h.1 = h.1.max(w);
                    }
                }
            }
            // An article outside every head scores at most the best weighted floor; one in
            // some head scores there what the heads say unless a term whose head lacks it
            // scores it higher, again at most that floor. So the heads hold the first `limit`
            // hits, exactly scored and ordered, when the last of them beats every floor (by a
            // margin for rounding, which may differ between the publisher and the reader).
            let best_floor = headed.iter().map(|h| h.1 * h.2).fold(0.0f32, f32::max);
            let exact = limit == 0
                || (ranked.hits.len() == limit
                    && (ranked.hits.last()).is_some_and(|&(_, s)| s > best_floor * 1.0001 + 1e-6));
            let mut terms = plan.matched().map(|(_, t, _)| t);
            let alone =
                (terms.next()).filter(|_| terms.next().is_none() && plan.clauses.len() == 1);
            if let (true, Some(t), false) = (exact, alone, query.uses_dates()) {
                // A lone term matches the articles its postings hold.
                ranked.total = self.terms[t as usize].df;
            } else {
                exact_total = false;
            }
            if !exact || (!first && !exact_total) {
                want.extend(headed.iter().map(|h| postings_file(h.0)));
                self.still(&mut want)?;
            }
        }
        let chunk = m.chunk;
        want.extend((ranked.hits.iter()).map(|&(d, _)| record_file(d as usize / chunk)));
        self.still(&mut want)?;
        Ok((ranked, local, exact_total))
    }

    /// Matches each phrase of `plan` by its pairs where the archive has them (two adjacent
    /// words one of which is common; see [`PublishOptions::pair_df`](super::PublishOptions)),
    /// as [`pair_cover`] chooses them. A pair the archive would have but has not means the
    /// phrase matches nothing (it keeps its words, which snippets mark, and no part). Returns
    /// whether a pair's term shard is still missing (added to `want`; the phrase then waits
    /// for it).
    fn pairs(&self, plan: &mut Plan, want: &mut BTreeSet<String>) -> bool {
        let common = self.manifest.pair_df;
        if common == 0 {
            return false;
        }
        let m = &self.manifest;
        let mut waiting = false;
        for alt in plan.clauses.iter_mut().flat_map(|c| c.alts.iter_mut()) {
            let Planned::Phrase { terms, parts, .. } = alt else {
                continue;
            };
            let term = |t: TermId| &self.terms[t as usize];
            let indexed: Vec<bool> = (terms.windows(2))
                .map(|w| term(w[0]).df.max(term(w[1]).df) >= common)
                .collect();
            let mut cover = Vec::new();
            let mut absent = false;
            for (k, pair) in pair_cover(&indexed) {
                if !pair {
                    cover.push((terms[k], k as u32));
                    continue;
                }
                let key = pair_key(&term(terms[k]).text, &term(terms[k + 1]).text);
                let shard = term_file(shard_of(&m.term_firsts, &key));
                if !self.loaded.contains(&shard) {
                    want.insert(shard);
                    waiting = true;
                } else {
                    match self.term_ids.get(&*key) {
                        Some(&id) => cover.push((id, k as u32)),
                        None => absent = true,
                    }
                }
            }
            if absent {
                // No part: it matches nothing, and its words are still highlighted.
                parts.clear();
            } else if !waiting {
                *parts = cover;
            }
        }
        waiting
    }

    /// Rewrites each excluded word of `plan` (in any field) as the articles its terms hold:
    /// excluding needs only which articles hold a term, which `d/N` gives at a tenth of the
    /// postings' bytes. The files those lists still need go to `want`; the terms waiting for
    /// them are returned (their postings are not needed). With `verify` (a list and a budget
    /// of bytes), the terms of an excluded word whose lists are not loaded and would likely
    /// take more than the budget go to the list instead (their texts): the caller checks the
    /// articles it would show for them ([`Archive::hold`]).
    fn presence(
        &self,
        plan: &mut Plan,
        want: &mut BTreeSet<String>,
        mut verify: Option<(&mut Vec<Box<str>>, usize)>,
    ) -> Vec<TermId> {
        let mut waiting = Vec::new();
        // A term in a field that weighs nothing scores 0 there, and would not exclude.
        if self.ranking.weights.iter().any(|&w| w <= 0.0) {
            return waiting;
        }
        let m = &self.manifest;
        for clause in plan.clauses.iter_mut().filter(|c| c.role == Role::Exclude) {
            for alt in clause.alts.iter_mut() {
                let Planned::Terms { terms, field: None } = alt else {
                    continue;
                };
                let mut docs: Vec<DocId> = Vec::new();
                let mut missing = Vec::new();
                let mut files = Vec::new();
                for &(t, _) in terms.iter() {
                    let term = &self.terms[t as usize];
                    match (&term.postings, &term.ids) {
                        (Source::Loaded(p), _) => docs = union(&docs, &p.docs),
                        (_, Some(ids)) => docs = union(&docs, ids),
                        (Source::File { n, .. }, None) => {
                            files.push(ids_file(*n));
                            missing.push(t);
                        }
                        (Source::Unknown, None) => {
                            files.push(term_file(shard_of(&m.term_firsts, &term.text)));
                            missing.push(t);
                        }
                    }
                }
                // A list costs about a byte an article (the gap from the one before), two
                // where they are over 128 apart.
                let cost: usize = (missing.iter())
                    .map(|&t| self.terms[t as usize].df)
                    .map(|df| {
                        if df.saturating_mul(128) >= m.docs {
                            df
                        } else {
                            2 * df
                        }
                    })
                    .sum();
                if let Some((v, budget)) = verify.as_mut() {
                    if !missing.is_empty() && cost > *budget {
                        v.extend(missing.iter().map(|&t| self.terms[t as usize].text.clone()));
                        missing.clear();
                    }
                }
                if missing.is_empty() {
                    *alt = Planned::Docs(docs);
                } else {
                    want.extend(files);
                    waiting.extend(terms.iter().map(|&(t, _)| t));
                }
            }
        }
        waiting
    }

    /// The articles every match of `plan` is among, when reading their records costs less
    /// than the postings its terms would fetch: a required clause of articles alone (an entity
    /// filter, its list loaded) naming at most [`RECORDS_WITHIN`] of them.
    fn within_records(&self, plan: &Plan) -> Option<Vec<DocId>> {
        let m = &self.manifest;
        // A clause naming more than that in one list names more in all: its lists are not
        // merged (a common entity's may hold a million articles, at every round).
        let within = (plan.clauses.iter())
            .filter(|c| c.role == Role::Required)
            .filter_map(|c| {
                let mut all = Vec::new();
                for a in &c.alts {
                    match a {
                        Planned::Docs(docs) if docs.len() <= RECORDS_WITHIN => {
                            all = union(&all, docs);
                        }
                        _ => return None,
                    }
                }
                Some(all)
            })
            .min_by_key(Vec::len)?;
        if within.len() > RECORDS_WITHIN {
            return None;
        }
        let mut chunks: Vec<usize> = within.iter().map(|&d| d as usize / m.chunk).collect();
        chunks.dedup();
        let records = (chunks.iter())
            .filter(|&&c| !self.loaded.contains(&record_file(c)))
            .count()
            .saturating_mul(m.chunk_bytes);
        // Its words (a phrase's too, not their pairs), by about what their postings take.
        let mut words = plan.clone();
        words.match_words();
        let mut terms = words.all_terms();
        terms.sort_unstable();
        terms.dedup();
        let postings: usize = (terms.iter())
            .map(|&t| &self.terms[t as usize])
            .filter(|t| !matches!(t.postings, Source::Loaded(_)))
            .map(|t| t.df.saturating_mul(POSTING_BYTES))
            .sum();
        (records < postings).then_some(within)
    }

    /// The postings of `terms` in the articles `within` (their records loaded), each article
    /// indexed alone, as their files hold them; no dates (the entity lists give those).
    fn postings_in(&self, within: &[DocId], terms: &[TermId]) -> Vec<Arc<TermPostings>> {
        let mut lists = vec![TermPostings::default(); terms.len()];
        let mut positions = Vec::new();
        for &d in within {
            let Some(record) = self.records.get(&d) else {
                continue;
            };
            let index = self.index_alone(&record.article);
            let Some(info) = index.docs.first() else {
                continue;
            };
            let norms = Norms::of(info, None);
            for (list, &t) in lists.iter_mut().zip(terms) {
                let found = index.term(&self.terms[t as usize].text);
                let Some(p) = found.and_then(|l| index.postings[l as usize].positions_of(0)) else {
                    continue;
                };
                positions.clear();
                positions.extend(p);
                list.push(d, norms, &positions);
            }
        }
        lists.into_iter().map(Arc::new).collect()
    }

    /// Whether `article` holds any of `terms` (index terms), read from the article itself.
    fn hold(&self, article: &crate::Article, terms: &[Box<str>]) -> bool {
        let index = self.index_alone(article);
        terms.iter().any(|t| index.term(t).is_some())
    }

    /// `article` indexed alone, as publishing indexed it (article 0).
    fn index_alone(&self, article: &crate::Article) -> Index {
        let mut index = Index::default();
        index.add(&self.analyzer, article);
        index
    }

    /// The files of `want` not loaded yet, as an error when there are some.
    fn still(&self, want: &mut BTreeSet<String>) -> Result<(), BTreeSet<String>> {
        want.retain(|f| !self.loaded.contains(f));
        if want.is_empty() {
            Ok(())
        } else {
            Err(std::mem::take(want))
        }
    }

    /// Adds a fetched file (its name as [`Archive::needs`] gave it). A damaged file, or one this
    /// archive does not have, is an error and changes nothing.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        if self.loaded.contains(name) {
            return Ok(());
        }
        let (kind, n) = name
            .split_once('/')
            .and_then(|(k, n)| Some((k, n.parse::<usize>().ok()?)))
            .ok_or_else(|| damaged(name, "the archive has no such file"))?;
        let at = |e: Error| damaged(name, &e.to_string());
        match kind {
            "w" => {
                let mut r = unframe(name, WORDS_MAGIC, bytes)?;
                let mut read = Vec::new();
                for _ in 0..r.count().map_err(at)? {
                    let word: Box<str> = r.str().map_err(at)?.into();
                    let term: Box<str> = r.str().map_err(at)?.into();
                    let df = r.u64().map_err(at)? as usize;
                    read.push((word, term, df));
                }
                for (word, term, df) in read {
                    let id = self.term_id(term, df);
                    if self.words.insert(&word).1 {
                        self.word_terms.push(id);
                    }
                }
                self.word_order = self.words.sorted();
            }
            "t" => {
                let mut r = unframe(name, TERMS_MAGIC, bytes)?;
                let mut read = Vec::new();
                for _ in 0..r.count().map_err(at)? {
                    let term: Box<str> = r.str().map_err(at)?.into();
                    let df = r.u64().map_err(at)? as usize;
                    let source = match r.u64().map_err(at)? {
                        0 => {
                            let mut sub = inline(&mut r).map_err(at)?;
                            let p = TermPostings::read(&mut sub, self.manifest.docs).map_err(at)?;
                            if p.docs.len() != df {
                                return Err(damaged(
                                    name,
                                    "a term's postings do not match its count",
                                ));
                            }
                            Source::Loaded(Arc::new(p))
                        }
                        1 => {
                            let n = r.u64().map_err(at)? as usize;
                            let floor = match r.u64().map_err(at)? {
                                0 => None,
                                1 => {
                                    let bits = u32::try_from(r.u64().map_err(at)?)
                                        .map_err(|_| damaged(name, "a floor is out of range"))?;
                                    Some(f32::from_bits(bits)).filter(|f| f.is_finite())
                                }
                                _ => return Err(damaged(name, "a flag is neither 0 nor 1")),
                            };
                            Source::File {
                                n,
                                floor,
                                head: None,
                            }
                        }
                        _ => return Err(damaged(name, "a flag is neither 0 nor 1")),
                    };
                    read.push((term, df, source));
                }
                for (term, df, source) in read {
                    let id = self.term_id(term, df);
                    if let Source::File { n, .. } = source {
                        self.postings_files.insert(n, id);
                    }
                    self.terms[id as usize].postings = source;
                }
            }
            "p" => {
                let mut r = unframe(name, POSTINGS_MAGIC, bytes)?;
                let p = TermPostings::read(&mut r, self.manifest.docs).map_err(at)?;
                let t = self.term_of_file(name, n)?;
                if !matches!(t.postings, Source::File { .. }) {
                    return Err(damaged(name, NO_SHARD));
                }
                if p.docs.len() != t.df {
                    return Err(damaged(
                        name,
                        "the postings do not match their term's count",
                    ));
                }
                t.postings = Source::Loaded(Arc::new(p));
            }
            "h" => {
                let mut r = unframe(name, HEAD_MAGIC, bytes)?;
                let p = TermPostings::read(&mut r, self.manifest.docs).map_err(at)?;
                let t = self.term_of_file(name, n)?;
                let df = t.df;
                match &mut t.postings {
                    Source::File {
                        floor: Some(_),
                        head,
                        ..
                    } => {
                        if p.docs.is_empty() || p.docs.len() >= df {
                            return Err(damaged(name, "the head does not fit its term's count"));
                        }
                        *head = Some(Arc::new(p));
                    }
                    // The whole postings are here already: the head adds nothing.
                    Source::Loaded(_) => {}
                    _ => return Err(damaged(name, "its term has no head")),
                }
            }
            "d" => {
                let mut r = unframe(name, IDS_MAGIC, bytes)?;
                let ids = read_ids(&mut r, self.manifest.docs).map_err(at)?;
                let t = self.term_of_file(name, n)?;
                if ids.len() != t.df {
                    return Err(damaged(name, "the list does not match its term's count"));
                }
                t.ids = Some(Arc::new(ids));
            }
            "e" => {
                let mut r = unframe(name, ENTITIES_MAGIC, bytes)?;
                let mut read = Vec::new();
                for _ in 0..r.count().map_err(at)? {
                    let key: Box<str> = r.str().map_err(at)?.into();
                    let source = match r.u64().map_err(at)? {
                        0 => {
                            let mut sub = inline(&mut r).map_err(at)?;
                            let d = EntityDocs::read(&mut sub, self.manifest.docs).map_err(at)?;
                            EntitySource::Loaded(Arc::new(d))
                        }
                        1 => EntitySource::File(r.u64().map_err(at)? as usize),
                        _ => return Err(damaged(name, "a flag is neither 0 nor 1")),
                    };
                    read.push((key, source));
                }
                for (key, source) in read {
                    if let EntitySource::File(n) = source {
                        self.entity_files.insert(n, key.clone());
                    }
                    self.entities.entry(key).or_insert(source);
                }
            }
            "x" => {
                let mut r = unframe(name, ENTITY_DOCS_MAGIC, bytes)?;
                let d = EntityDocs::read(&mut r, self.manifest.docs).map_err(at)?;
                let entry = (self.entity_files.get(&n)).and_then(|k| self.entities.get_mut(k));
                let Some(e) = entry.filter(|e| matches!(e, EntitySource::File(_))) else {
                    return Err(damaged(name, "no loaded entity shard names this file"));
                };
                *e = EntitySource::Loaded(Arc::new(d));
            }
            "r" => {
                let mut r = unframe(name, RECORDS_MAGIC, bytes)?;
                let count = r.count().map_err(at)?;
                let first = n * self.manifest.chunk;
                if count > self.manifest.chunk || first + count > self.manifest.docs {
                    return Err(damaged(name, "it holds more articles than its chunk"));
                }
                let mut read = Vec::with_capacity(count);
                for _ in 0..count {
                    read.push(Record::read(&mut r).map_err(at)?);
                }
                for (i, rec) in read.into_iter().enumerate() {
                    self.records.insert((first + i) as DocId, Arc::new(rec));
                }
            }
            _ => return Err(damaged(name, "the archive has no such file")),
        }
        self.loaded.insert(name.to_string());
        Ok(())
    }

    /// The term whose `p/N` (and `h/N`, `d/N`) is file number `n`, as a loaded term shard
    /// names it.
    fn term_of_file(&mut self, name: &str, n: usize) -> Result<&mut Term, Error> {
        let id = *(self.postings_files.get(&n)).ok_or_else(|| damaged(name, NO_SHARD))?;
        Ok(&mut self.terms[id as usize])
    }

    fn term_id(&mut self, term: Box<str>, df: usize) -> TermId {
        if let Some(&id) = self.term_ids.get(&term) {
            return id;
        }
        let id = self.terms.len() as TermId;
        self.term_ids.insert(term.clone(), id);
        self.terms.push(Term {
            text: term,
            df,
            postings: Source::Unknown,
            ids: None,
        });
        id
    }

    /// The index of the articles the plan's terms hold (numbered from 0 in archive order),
    /// scored as the whole archive, and the plan renumbered to it.
    fn local(&self, query: &Query, plan: &Plan, within: Option<&[DocId]>) -> Local {
        let mut ids = plan.all_terms();
        ids.sort_unstable();
        ids.dedup();
        // A phrase's words matched by their pairs count for their idf only.
        let mut matched = plan.matched_terms();
        matched.sort_unstable();
        let lists: Vec<Arc<TermPostings>> = match within {
            Some(within) => self.postings_in(within, &ids),
            None => (ids.iter())
                .map(|&t| match &self.terms[t as usize].postings {
                    _ if matched.binary_search(&t).is_err() => Arc::default(),
                    Source::Loaded(p) => p.clone(),
                    Source::File {
                        head: Some(head), ..
                    } => head.clone(),
                    _ => Arc::default(),
                })
                .collect(),
        };
        // The union of ascending lists, merged a list at a time (a query has a few terms, a
        // common term a million articles: no sort of them all).
        let mut docs: Vec<DocId> = Vec::new();
        for p in &lists {
            docs = union(&docs, &p.docs);
        }
        // Articles an excluded clause names need not be here: they are never candidates.
        let mut named: Vec<DocId> = plan.matching_docs().collect();
        named.sort_unstable();
        docs = union(&docs, &named);
        let mut dates = vec![None; docs.len()];
        // Articles an entity filter names carry their dates (a term's postings may not hold
        // them).
        for atom in query.clauses.iter().flat_map(|c| &c.alternatives) {
            if let Atom::Entity { kind, name } = atom {
                if let Some(Ok(e)) = self.entity(name, labels_of(*kind)) {
                    for (&d, &date) in e.docs.iter().zip(&e.dates) {
                        if let Ok(l) = docs.binary_search(&d) {
                            dates[l] = date;
                        }
                    }
                }
            }
        }
        let mut index = Index::default();
        index.docs = vec![DocInfo::default(); docs.len()];
        index.collection = Some(Collection {
            docs: self.manifest.docs,
            total_len: self.manifest.total_len,
        });
        // A head holds part of its term's postings: idf is the archive's.
        index.df = (ids.iter())
            .map(|&t| self.terms[t as usize].df as u32)
            .collect();
        let mut scratch = Vec::new();
        for p in &lists {
            let mut q = Postings::default();
            // Both ascending: a walk, not a search per article.
            let mut local = 0;
            for (i, &d) in p.docs.iter().enumerate() {
                while docs[local] < d {
                    local += 1;
                }
                index.docs[local] = p.norms[i].info();
                // Postings read from records leave the date to the entity list.
                dates[local] = p.norms[i].date.or(dates[local]);
                let positions = p.positions_at(i).iter().copied();
                q.push_doc(local as DocId, positions, &mut scratch);
            }
            index.postings.push(q);
        }
        let mut local_plan = plan.clone();
        local_plan.map_terms(|t| ids.partition_point(|&x| x < t) as TermId);
        local_plan.map_docs(|d| docs.binary_search(&d).ok().map(|l| l as DocId));
        Local {
            index,
            plan: local_plan,
            docs,
            dates,
            terms: ids,
        }
    }

    /// Ranks a planned query: its date filters and order applied as a corpus applies them.
    /// Hits are archive ids.
    fn rank(
        &self,
        query: &Query,
        plan: &Plan,
        limit: usize,
        within: Option<&[DocId]>,
    ) -> (Ranked, Option<Local>) {
        if plan.clauses.is_empty() {
            let empty = Ranked {
                total: 0,
                hits: Vec::new(),
            };
            return (empty, None);
        }
        let local = self.local(query, plan, within);
        let (index, local_plan) = (&local.index, &local.plan);
        let date = |d: DocId| local.dates[d as usize];
        let mut r = if !query.uses_dates() {
            rank(index, local_plan, &self.ranking, &[], limit)
        } else {
            let out: Vec<bool> = local.dates.iter().map(|&d| !query.admits(d)).collect();
            if query.sort == Sort::Relevance {
                rank(index, local_plan, &self.ranking, &out, limit)
            } else {
                let flat = Ranking {
                    proximity: 0.0,
                    ..self.ranking.clone()
                };
                let mut r = rank(index, local_plan, &flat, &out, usize::MAX);
                crate::corpus::sort_by_date(&mut r.hits, query.sort, date);
                r.hits.truncate(limit);
                r
            }
        };
        for h in &mut r.hits {
            h.0 = local.docs[h.0 as usize];
        }
        (r, Some(local))
    }

    /// Searches the archive (the query language of [`Corpus::search`](crate::Corpus::search)).
    /// Fails with [`ErrorKind::Incomplete`](crate::ErrorKind::Incomplete) while
    /// [`Archive::needs`] lists files for it.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResults, Error> {
        self.answer(query, limit, false).map(|(r, _)| r)
    }

    /// The first `limit` hits of `query`, exactly as [`Archive::search`] gives them, once
    /// [`Archive::needs_first`] lists nothing, and whether the total is exact too: when it is
    /// not, it counts only the articles the heads hold (at least that many match), and
    /// [`Archive::needs`] lists the files that make it exact.
    pub fn search_first(&self, query: &str, limit: usize) -> Result<(SearchResults, bool), Error> {
        self.answer(query, limit, true)
    }

    fn answer(
        &self,
        query: &str,
        limit: usize,
        first: bool,
    ) -> Result<(SearchResults, bool), Error> {
        self.attempt(query, limit, first)
            .map_err(|files| Error::incomplete(files.len()))
    }

    /// [`Archive::search`] (or, with `first`, [`Archive::search_first`]) when nothing is
    /// missing, else the files [`Archive::needs`] (or [`Archive::needs_first`]) lists: one
    /// ranking for what a caller would otherwise ask twice.
    pub fn attempt(
        &self,
        query: &str,
        limit: usize,
        first: bool,
    ) -> Result<(SearchResults, bool), Vec<String>> {
        let query = parse_query(query);
        let (ranked, local, exact) = self
            .missing(&query, limit, first)
            .map_err(|files| files.into_iter().collect::<Vec<_>>())?;
        let Some(local) = local else {
            return Ok((SearchResults::default(), true));
        };
        let hits = (ranked.hits.into_iter())
            .filter_map(|(doc, score)| {
                let record = self.records.get(&doc)?;
                let (index, plan) = self.alone(&record.article, &local.plan, &local.terms);
                let snippet = crate::snippet::snippet(&index, &record.article, 0, &plan);
                Some(Hit {
                    doc,
                    score,
                    snippet,
                })
            })
            .collect();
        let results = SearchResults {
            total: ranked.total,
            hits,
        };
        Ok((results, exact))
    }

    /// Article `doc` ready to read, the words `query` matches in it highlighted, when its record
    /// chunk is loaded (it is for every hit [`Archive::search`] gave); `None` otherwise. The
    /// highlights need the query's files (those of its search).
    pub fn article_view(&self, doc: DocId, query: Option<&str>) -> Option<ArticleView<'_>> {
        let record = self.records.get(&doc)?;
        let highlights = query
            .and_then(|q| {
                let query = parse_query(q);
                let local = self.missing(&query, 0, true).ok()?.1?;
                let (index, plan) = self.alone(&record.article, &local.plan, &local.terms);
                Some(crate::snippet::matches(&index, &record.article, 0, &plan))
            })
            .unwrap_or_default();
        let anchor = crate::corpus::date_of(&record.article);
        Some(crate::view::article_view_of(
            doc,
            &record.name,
            &record.article,
            &Mark::all(&record.mentions),
            &highlights,
            anchor,
        ))
    }

    /// `results` (of [`Archive::search`]) as hits ready to render, entities marked as
    /// publishing linked them.
    pub fn results_view<'a>(&'a self, results: &'a SearchResults) -> ResultsView<HitView<'a>> {
        ResultsView {
            total: results.total,
            hits: (results.hits.iter())
                .filter_map(|h| {
                    let r = self.records.get(&h.doc)?;
                    Some(HitView {
                        id: h.doc,
                        name: &r.name,
                        record: r.article.id().map(String::from),
                        title: r.article.title().text().to_string(),
                        date: crate::corpus::date_of(&r.article).map(|c| c.to_string()),
                        score: h.score,
                        snippet: snippet_view(
                            &h.snippet,
                            r.article.source(),
                            &Mark::all(&r.mentions),
                        ),
                    })
                })
                .collect(),
        }
    }
}

/// How a phrase is matched, given which of its adjacent words are indexed as a pair
/// (`indexed[k]`: words `k` and `k + 1`): the parts, each its first word and whether it is
/// that word's pair (else the word alone), by first word. Pairs are taken from the start two
/// words at a time; a word left over joins the pair before or after it where there is one
/// (pairs may overlap), else it is matched alone: then neither of its pairs is indexed, so
/// it is in few articles. The first part starts at the first word.
fn pair_cover(indexed: &[bool]) -> Vec<(usize, bool)> {
    let words = indexed.len() + 1;
    let mut covered = vec![false; words];
    let mut out = Vec::new();
    let mut k = 0;
    while k + 1 < words {
        if indexed[k] {
            out.push((k, true));
            covered[k] = true;
            covered[k + 1] = true;
            k += 2;
        } else {
            k += 1;
        }
    }
    for k in 0..words {
        if covered[k] {
            continue;
        }
        if k > 0 && indexed[k - 1] {
            out.push((k - 1, true));
        } else if indexed.get(k).copied().unwrap_or(false) {
            out.push((k, true));
        } else {
            out.push((k, false));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The union of two ascending lists, ascending, each article once.
fn union(a: &[DocId], b: &[DocId]) -> Vec<DocId> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out.dedup();
    out
}

/// A list a shard holds inline (its length, then its bytes), as a reader of its own.
fn inline<'a>(r: &mut crate::store::Reader<'a>) -> Result<crate::store::Reader<'a>, Error> {
    let len = r.count()?;
    let sub = crate::store::Reader {
        bytes: &r.bytes[r.at..r.at + len],
        at: 0,
    };
    r.at += len;
    Ok(sub)
}

/// A query's terms as an index of the articles holding them (see [`Archive::local`]).
struct Local {
    index: Index,
    plan: Plan,
    /// Archive id of each local id.
    docs: Vec<DocId>,
    /// Date of each local id.
    dates: Vec<Option<CalendarDate>>,
    /// The archive's term id of each local term id.
    terms: Vec<TermId>,
}

impl Archive {
    /// The articles of the entity called `name` among `labels` (the first label whose key an
    /// entity shard holds), once loaded; `Err(())` while its `x/N` file is not.
    fn entity(&self, name: &str, labels: &[Label]) -> Option<Result<&Arc<EntityDocs>, ()>> {
        labels.iter().find_map(|&l| {
            self.entities.get(&*entity_key(l, name)).map(|e| match e {
                EntitySource::Loaded(d) => Ok(d),
                EntitySource::File(_) => Err(()),
            })
        })
    }
}

impl Archive {
    /// `article` indexed alone, and `plan` (its terms numbered as `terms` lists them)
    /// renumbered to that index. Snippets and highlights read an article's positions there:
    /// the postings fetched may lack it for some of the query's terms (a head holds only the
    /// articles its term scores best), and records need not carry where words start.
    fn alone(&self, article: &crate::Article, plan: &Plan, terms: &[TermId]) -> (Index, Plan) {
        let mut index = self.index_alone(article);
        let none = index.postings.len() as TermId;
        index.postings.push(Postings::default());
        let mut plan = plan.clone();
        plan.map_terms(|t| {
            (terms.get(t as usize))
                .and_then(|&g| index.term(&self.terms[g as usize].text))
                .unwrap_or(none)
        });
        // The article's own index has its words, not their pairs.
        plan.match_words();
        (index, plan)
    }
}

impl Entities for Archive {
    fn articles(&self, name: &str, labels: &[Label]) -> Option<Vec<DocId>> {
        // A list still being fetched plans as none: that round's answer is not given.
        self.entity(name, labels)
            .map(|d| d.map_or_else(|()| Vec::new(), |d| d.docs.clone()))
    }
}

impl Lexicon for Archive {
    fn term(&self, term: &str) -> Option<TermId> {
        self.term_ids.get(term).copied()
    }
    fn df(&self, term: TermId) -> usize {
        self.terms[term as usize].df
    }
    fn dictionary(&self) -> Dictionary<'_> {
        Dictionary::new(&self.words, &self.word_terms, &self.word_order)
    }
}

#[cfg(test)]
mod tests {
    use super::{pair_cover, union};

    #[test]
    fn a_phrase_is_covered_by_its_pairs_and_its_rare_words() {
        // Which adjacent words are pairs (`indexed`), and the parts: (first word, a pair?).
        type Parts = &'static [(usize, bool)];
        let cases: &[(&[bool], Parts)] = &[
            (&[false], &[(0, false), (1, false)]),
            (&[true], &[(0, true)]),
            // "said that the": the last word joins the pair before it.
            (&[true, true], &[(0, true), (1, true)]),
            (&[true, true, true], &[(0, true), (2, true)]),
            (&[false, true], &[(0, false), (1, true)]),
            (&[true, false], &[(0, true), (2, false)]),
            (&[false, false, true], &[(0, false), (1, false), (2, true)]),
            (
                &[true, true, true, true],
                &[(0, true), (2, true), (3, true)],
            ),
        ];
        for &(indexed, parts) in cases {
            assert_eq!(pair_cover(indexed), parts, "{indexed:?}");
        }
        assert_eq!(pair_cover(&[]), [(0, false)]);
    }

    #[test]
    fn unions_are_ascending_and_unique() {
        for (a, b, want) in [
            (&[][..], &[][..], &[][..]),
            (&[1, 4, 9], &[], &[1, 4, 9]),
            (&[], &[2, 3], &[2, 3]),
            (&[1, 4, 9], &[2, 4, 10], &[1, 2, 4, 9, 10]),
            (&[5], &[5, 5, 6], &[5, 6]),
        ] {
            assert_eq!(union(a, b), want, "{a:?} ∪ {b:?}");
        }
    }
}
