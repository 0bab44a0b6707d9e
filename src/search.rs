//! Query evaluation: a [`Query`] is planned against the index (words analysed, prefixes and
//! typos expanded to index terms), then scored with BM25F, a proximity bonus and a
//! coordination factor that puts articles matching more clauses first.

use crate::analyze::{is_request_word, is_stop_word, Analyzer};
use crate::index::{DocId, Index, TermId, FIELDS};
use crate::query::{Atom, EntityKind, FieldFilter, Prefix, Query};
use std::collections::HashMap;

/// Ranking parameters. The defaults are the best on the mean nDCG@10 of four test collections
/// (Cranfield, CACM, MED, NPL), searched leave-one-collection-out so that a setting is only
/// kept when it transfers (`make ranking`, `scripts/ranking.py`); coordination is set by its
/// rule (keyword queries of two or three words), not by that search.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking {
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// BM25 length normalisation.
    pub b: f32,
    /// Field weights: title, subtitle, captions, body, credits.
    pub weights: [f32; FIELDS],
    /// Exponent of the share of clauses matched (0 turns coordination off).
    pub coord: f32,
    /// Weight of the bonus for query words close together (0 turns it off).
    pub proximity: f32,
    /// Weight of prefix expansions relative to the exact word.
    pub prefix_weight: f32,
    /// Weight of one-edit and two-edit typo expansions.
    pub fuzzy_weight: [f32; 2],
    /// Multiplies the typo weights for a word the index holds as typed: it is probably spelled
    /// right, and its neighbours (`expert` → `expect`) are other words.
    pub known_fuzzy: f32,
    /// Share of the pseudo-relevance-feedback score in the final score of verbose queries
    /// (0 turns feedback off).
    pub feedback: f32,
    /// How many of the first results feed the expansion.
    pub feedback_docs: usize,
    /// How many expansion words are kept.
    pub feedback_terms: usize,
}

impl Default for Ranking {
    fn default() -> Ranking {
        Ranking {
            k1: 1.2,
            b: 0.5,
            weights: [2.0, 1.5, 1.0, 1.0, 0.5],
            coord: 1.0,
            proximity: 0.3,
            prefix_weight: 0.6,
            fuzzy_weight: [0.4, 0.25],
            known_fuzzy: 1.0,
            feedback: 0.5,
            feedback_docs: 5,
            feedback_terms: 30,
        }
    }
}

/// At most this many prefix expansions per word (the most frequent are kept).
const MAX_PREFIX_TERMS: usize = 64;
/// At most this many typo expansions per word.
const MAX_FUZZY_TERMS: usize = 32;
/// At most this many typo expansions for a word the index knows as it is.
const MAX_FUZZY_TERMS_KNOWN: usize = 4;
/// Queries with this many content words or more are verbose: request words left out, and
/// pseudo-relevance feedback.
pub(crate) const VERBOSE_CLAUSES: usize = 6;
/// Queries with this many positive clauses or more get no coordination factor (it fades out
/// from two clauses on).
pub(crate) const COORD_CLAUSES: usize = 4;
/// Ordered window for the proximity bonus: "boundary layer", "layer of the boundary".
const NEAR_ORDERED: u32 = 3;
/// Unordered window for the proximity bonus.
const NEAR_ANY: u32 = 8;
/// Proximity is computed for this many top candidates.
const PROXIMITY_CANDIDATES: usize = 50;

/// A word or phrase resolved to index terms.
#[derive(Clone, Debug)]
pub(crate) enum Planned {
    /// A word: its exact term and expansions, each with a weight.
    Terms {
        terms: Vec<(TermId, f32)>,
        field: Option<usize>,
    },
    /// Terms in a row.
    Phrase {
        terms: Vec<TermId>,
        field: Option<usize>,
    },
    /// Matches nothing (a word absent from the index).
    Nothing,
    /// Exactly these articles (an entity filter), ascending.
    Docs(Vec<DocId>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Positive,
    Exclude,
    Required,
}

#[derive(Clone, Debug)]
pub(crate) struct PlannedClause {
    pub role: Role,
    pub alts: Vec<Planned>,
}

/// A query resolved against one index.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    pub clauses: Vec<PlannedClause>,
    /// A long natural-language query ([`VERBOSE_CLAUSES`] content words or more): no
    /// coordination factor, no request words, pseudo-relevance feedback.
    pub verbose: bool,
}

impl Plan {
    /// Number of clauses that add to the score.
    pub fn positives(&self) -> usize {
        self.clauses
            .iter()
            .filter(|c| c.role == Role::Positive)
            .count()
    }

    /// Every term the plan can match, with the clause it belongs to and its weight.
    pub fn terms(&self) -> impl Iterator<Item = (usize, TermId, f32)> + '_ {
        self.clauses
            .iter()
            .enumerate()
            .filter(|(_, c)| c.role != Role::Exclude)
            .flat_map(|(ci, c)| {
                c.alts.iter().flat_map(move |a| {
                    let v: Vec<(usize, TermId, f32)> = match a {
                        Planned::Terms { terms, .. } => {
                            terms.iter().map(|&(t, w)| (ci, t, w)).collect()
                        }
                        Planned::Phrase { terms, .. } => {
                            terms.iter().map(|&t| (ci, t, 1.0)).collect()
                        }
                        Planned::Nothing | Planned::Docs(_) => Vec::new(),
                    };
                    v
                })
            })
    }
}

fn field_index(f: Option<FieldFilter>) -> Option<usize> {
    f.map(|FieldFilter::Title| crate::index::IndexField::Title as usize)
}

/// Resolves a query against the index.
pub(crate) fn plan(
    index: &Index,
    analyzer: &Analyzer,
    query: &Query,
    ranking: &Ranking,
    entities: Option<&crate::EntityIndex>,
) -> Plan {
    // Stop words are dropped from ranked word clauses unless the query has nothing else.
    let only_stop_words = query.clauses.iter().all(|c| {
        c.alternatives.iter().all(|a| match a {
            Atom::Word { text, .. } => analyzer.normalize(text).is_none_or(|w| is_stop_word(&w)),
            _ => false,
        })
    });
    // Content words: positive clauses that are not a lone stop word.
    let content = query
        .clauses
        .iter()
        .filter(|c| !c.exclude)
        .filter(|c| {
            c.alternatives.iter().any(|a| match a {
                Atom::Word { text, .. } => {
                    analyzer.normalize(text).is_some_and(|w| !is_stop_word(&w))
                }
                _ => true,
            })
        })
        .count();
    let verbose = content >= VERBOSE_CLAUSES;
    let mut clauses = Vec::new();
    for c in &query.clauses {
        let mut role = if c.exclude {
            Role::Exclude
        } else {
            Role::Positive
        };
        let mut alts = Vec::new();
        for atom in &c.alternatives {
            match atom {
                Atom::Word {
                    text,
                    prefix,
                    field,
                } => {
                    let tokens = analyzer.tokens(text);
                    match tokens.as_slice() {
                        [] => {}
                        [t] => {
                            let last_typed = *prefix == Prefix::AsYouType;
                            let dropped =
                                is_stop_word(&t.word) || (verbose && is_request_word(&t.word));
                            if dropped && !only_stop_words && !last_typed && !c.exclude {
                                continue;
                            }
                            alts.push(plan_word(
                                index,
                                &t.term,
                                &t.word,
                                *prefix,
                                field_index(*field),
                                ranking,
                            ));
                        }
                        many => alts.push(plan_phrase(
                            index,
                            many.iter().map(|t| t.term.as_str()),
                            field_index(*field),
                        )),
                    }
                }
                Atom::Phrase { text, field } => {
                    alts.extend(plan_text(index, analyzer, text, field_index(*field)));
                }
                Atom::Entity { kind, name } => {
                    role = Role::Required;
                    let labels: &[crate::Label] = match kind {
                        EntityKind::Person => &[crate::Label::Person],
                        EntityKind::Org => &[crate::Label::Org, crate::Label::Norp],
                        EntityKind::Place => &[crate::Label::Gpe],
                    };
                    match entities.and_then(|e| e.find(name, labels)) {
                        // The articles that name the entity, by any of its names.
                        Some(e) => alts.push(Planned::Docs(e.articles.clone())),
                        // Not a known entity: the name as a phrase anywhere.
                        None => alts.extend(plan_text(index, analyzer, name, None)),
                    }
                }
            }
        }
        if !alts.is_empty() {
            clauses.push(PlannedClause { role, alts });
        }
    }
    Plan { clauses, verbose }
}

/// A text as a phrase (or a word), `None` when it holds no word.
fn plan_text(
    index: &Index,
    analyzer: &Analyzer,
    text: &str,
    field: Option<usize>,
) -> Option<Planned> {
    let tokens = analyzer.tokens(text);
    (!tokens.is_empty()).then(|| plan_phrase(index, tokens.iter().map(|t| t.term.as_str()), field))
}

fn plan_phrase<'a>(
    index: &Index,
    terms: impl Iterator<Item = &'a str>,
    field: Option<usize>,
) -> Planned {
    let mut ids = Vec::new();
    for t in terms {
        match index.terms.get(t) {
            Some(&id) => ids.push(id),
            None => return Planned::Nothing,
        }
    }
    if ids.len() == 1 {
        return Planned::Terms {
            terms: vec![(ids[0], 1.0)],
            field,
        };
    }
    Planned::Phrase { terms: ids, field }
}

fn plan_word(
    index: &Index,
    term: &str,
    word: &str,
    prefix: Prefix,
    field: Option<usize>,
    ranking: &Ranking,
) -> Planned {
    let mut terms: Vec<(TermId, f32)> = Vec::new();
    let exact = index.terms.get(term).copied();
    if let Some(id) = exact {
        terms.push((id, 1.0));
    }
    let chars = word.chars().count();
    let words = index.sorted_words();
    let df = |t: TermId| index.postings[t as usize].docs.len();
    let min_prefix = if prefix == Prefix::Explicit { 1 } else { 2 };
    if prefix != Prefix::No && chars >= min_prefix {
        let from = words.partition_point(|(w, _)| w.as_ref() < word);
        let mut found: Vec<TermId> = words[from..]
            .iter()
            .take_while(|(w, _)| w.starts_with(word))
            .map(|&(_, t)| t)
            .filter(|&t| Some(t) != exact)
            .collect();
        found.sort_unstable();
        found.dedup();
        found.sort_by_key(|&t| (std::cmp::Reverse(df(t)), t));
        found.truncate(MAX_PREFIX_TERMS);
        terms.extend(found.into_iter().map(|t| (t, ranking.prefix_weight)));
    }
    let max_edits = match chars {
        _ if prefix == Prefix::Explicit => 0, // `word*` asks for a prefix, not a guess
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    // A word the index knows is probably not a typo: only its few closest neighbours are added.
    let max_fuzzy = if exact.is_some() {
        MAX_FUZZY_TERMS_KNOWN
    } else {
        MAX_FUZZY_TERMS
    };
    let known = if exact.is_some() {
        ranking.known_fuzzy
    } else {
        1.0
    };
    if max_edits > 0 && known > 0.0 {
        let query: Vec<char> = word.chars().collect();
        // Typos are looked for after the first letter, which people rarely get wrong: the walk
        // covers only the words sharing it.
        let first = &word[..query[0].len_utf8()];
        let from = words.partition_point(|(w, _)| w.as_ref() < first);
        let to = from + words[from..].partition_point(|(w, _)| w.starts_with(first));
        let mut found: Vec<(u32, TermId)> = fuzzy(&words[from..to], &query, max_edits)
            .into_iter()
            .filter(|&(_, t)| !terms.iter().any(|&(e, _)| e == t))
            .collect();
        found.sort_by_key(|&(d, t)| (d, std::cmp::Reverse(df(t)), t));
        found.dedup_by_key(|&mut (_, t)| t);
        found.truncate(max_fuzzy);
        terms.extend(found.into_iter().map(|(d, t)| {
            (
                t,
                known * ranking.fuzzy_weight[(d as usize).clamp(1, 2) - 1],
            )
        }));
    }
    if terms.is_empty() {
        Planned::Nothing
    } else {
        Planned::Terms { terms, field }
    }
}

/// Words of the sorted dictionary within `k` edits of `query`, with their distance. Edits are
/// Levenshtein's (insert, delete, substitute) plus the swap of two neighbouring letters
/// (optimal string alignment), the commonest typo. Walks the dictionary as a trie: rows of the edit-distance table are shared
/// between words with a common prefix, and a prefix whose row exceeds `k` everywhere skips
/// every word under it.
pub(crate) fn fuzzy(words: &[(Box<str>, TermId)], query: &[char], k: u32) -> Vec<(u32, TermId)> {
    let n = query.len();
    let width = n + 1;
    // rows[j * width..(j + 1) * width] is the table row after j letters of the current word.
    let mut rows: Vec<u32> = (0..=n as u32).collect();
    let mut prev: Vec<char> = Vec::new();
    let mut w: Vec<char> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        w.clear();
        w.extend(words[i].0.chars());
        // Rows for the prefix shared with the previous word are still valid
        // (invariant: rows hold prev.len() + 1 rows).
        let common = prev.iter().zip(&w).take_while(|(a, b)| a == b).count();
        rows.truncate((common + 1) * width);
        let mut dead_at = None;
        for j in common..w.len() {
            let c = w[j];
            let base = j * width;
            // Only cells within k of the diagonal can hold k or less; the rest stay at k + 1.
            let far = k + 1;
            let lo = (j + 1).saturating_sub(k as usize).max(1);
            let hi = (j + 1 + k as usize).min(n);
            rows.push((rows[base] + 1).min(far));
            rows.extend(std::iter::repeat_n(far, n));
            let mut min = rows[base + width];
            for q in lo..=hi {
                let sub = rows[base + q - 1] + u32::from(query[q - 1] != c);
                let mut v = sub
                    .min(rows[base + q] + 1)
                    .min(rows[base + width + q - 1] + 1);
                // A swap of two neighbours counts as one edit ("sokah" → "sokha").
                if j >= 1 && q >= 2 && c == query[q - 2] && w[j - 1] == query[q - 1] {
                    v = v.min(rows[base - width + q - 2] + 1);
                }
                let v = v.min(far);
                rows[base + width + q] = v;
                min = min.min(v);
            }
            if min > k {
                dead_at = Some(j + 1);
                break;
            }
        }
        match dead_at {
            Some(len) => {
                // No word under this prefix can come within k edits: skip them all.
                let bytes: usize = w[..len].iter().map(|c| c.len_utf8()).sum();
                let dead = &words[i].0[..bytes];
                // Gallop to the end of the words under the dead prefix (usually a few).
                let under = |x: &(Box<str>, TermId)| x.0.starts_with(dead);
                let mut step = 1;
                while i + step < words.len() && under(&words[i + step]) {
                    step *= 2;
                }
                let from = i + step / 2 + 1;
                let to = (i + step).min(words.len());
                i = from + words[from.min(to)..to].partition_point(under);
                prev.clear();
                prev.extend_from_slice(&w[..len]);
            }
            None => {
                let d = rows[w.len() * width + n];
                if d <= k {
                    out.push((d, words[i].1));
                }
                std::mem::swap(&mut prev, &mut w);
                i += 1;
            }
        }
    }
    out
}

/// Scored articles, best first, and how many matched in all.
#[derive(Debug)]
pub(crate) struct Ranked {
    pub total: usize,
    pub hits: Vec<(DocId, f32)>,
}

/// Per-article scores for one pass, dense, with the list of articles touched (so resetting
/// costs only what was written).
struct Dense {
    vals: Vec<f32>,
    touched: Vec<DocId>,
}

impl Dense {
    fn new(n: usize) -> Dense {
        Dense {
            vals: vec![0.0; n],
            touched: Vec::new(),
        }
    }

    /// Keeps the larger of the stored score and `s`.
    fn max_in(&mut self, doc: DocId, s: f32) {
        let v = &mut self.vals[doc as usize];
        if *v == 0.0 {
            self.touched.push(doc);
        }
        if s > *v {
            *v = s;
        }
    }

    fn clear(&mut self) {
        for &d in &self.touched {
            self.vals[d as usize] = 0.0;
        }
        self.touched.clear();
    }
}

struct Scorer<'a> {
    index: &'a Index,
    ranking: &'a Ranking,
    avg: [f32; FIELDS],
}

impl Scorer<'_> {
    fn bm25f(
        &self,
        doc: DocId,
        positions: impl Iterator<Item = u32>,
        idf: f32,
        field: Option<usize>,
    ) -> f32 {
        bm25f(
            self.index,
            self.ranking,
            &self.avg,
            doc,
            positions,
            idf,
            field,
        )
    }

    /// Per-article score of one planned atom, written into `out` (max with what is there).
    fn score_atom(&self, atom: &Planned, out: &mut Dense) {
        match atom {
            Planned::Docs(docs) => {
                for &d in docs {
                    if (d as usize) < self.index.len() {
                        out.max_in(d, 1.0);
                    }
                }
            }
            Planned::Nothing => {}
            Planned::Terms { terms, field } => {
                for &(t, w) in terms {
                    let idf = self.index.idf(t);
                    let p = &self.index.postings[t as usize];
                    for (i, &doc) in p.docs.iter().enumerate() {
                        let s = w * self.bm25f(doc, p.positions_at(i).iter().copied(), idf, *field);
                        if s > 0.0 {
                            out.max_in(doc, s);
                        }
                    }
                }
            }
            Planned::Phrase { terms, field } => {
                let idf: f32 = terms.iter().map(|&t| self.index.idf(t)).sum();
                for (doc, starts) in phrase_matches(self.index, terms) {
                    let s = self.bm25f(doc, starts.into_iter(), idf, *field);
                    if s > 0.0 {
                        out.max_in(doc, s);
                    }
                }
            }
        }
    }
}

/// BM25F of a term (or phrase) occurring at `positions` in `doc`, optionally counting one
/// field only. `avg` is the index's average field lengths.
pub(crate) fn bm25f(
    index: &Index,
    r: &Ranking,
    avg: &[f32; FIELDS],
    doc: DocId,
    positions: impl Iterator<Item = u32>,
    idf: f32,
    field: Option<usize>,
) -> f32 {
    let info = &index.docs[doc as usize];
    let mut tf = [0u32; FIELDS];
    for p in positions {
        tf[info.field_of(p)] += 1;
    }
    let mut t = 0.0;
    for (f, &n) in tf.iter().enumerate() {
        if n == 0 || field.is_some_and(|only| only != f) {
            continue;
        }
        let norm = 1.0 - r.b + r.b * info.len[f] as f32 / avg[f];
        t += r.weights[f] * n as f32 / norm;
    }
    if t == 0.0 {
        return 0.0;
    }
    idf * t * (r.k1 + 1.0) / (r.k1 + t)
}

/// Articles where `terms` occur in a row, with the position of each occurrence's first term.
pub(crate) fn phrase_matches(index: &Index, terms: &[TermId]) -> Vec<(DocId, Vec<u32>)> {
    let Some((rare_i, _)) = terms
        .iter()
        .enumerate()
        .min_by_key(|(_, &t)| index.postings[t as usize].docs.len())
    else {
        return Vec::new();
    };
    let rare = &index.postings[terms[rare_i] as usize];
    let mut out = Vec::new();
    'docs: for &doc in &rare.docs {
        let mut lists = Vec::with_capacity(terms.len());
        for &t in terms {
            match index.postings[t as usize].positions_of(doc) {
                Some(p) => lists.push(p),
                None => continue 'docs,
            }
        }
        let starts: Vec<u32> = lists[0]
            .iter()
            .copied()
            .filter(|&p0| {
                lists
                    .iter()
                    .enumerate()
                    .skip(1)
                    .all(|(i, l)| l.binary_search(&(p0 + i as u32)).is_ok())
            })
            .collect();
        if !starts.is_empty() {
            out.push((doc, starts));
        }
    }
    out
}

/// Positions in `doc` where a clause matched (any of its terms, or its phrases' starts).
fn clause_positions(index: &Index, clause: &PlannedClause, doc: DocId) -> Vec<u32> {
    let mut out = Vec::new();
    for a in &clause.alts {
        match a {
            Planned::Terms { terms, .. } => {
                for &(t, _) in terms {
                    if let Some(p) = index.postings[t as usize].positions_of(doc) {
                        out.extend_from_slice(p);
                    }
                }
            }
            Planned::Phrase { terms, .. } => {
                if let Some(first) = index.postings[terms[0] as usize].positions_of(doc) {
                    out.extend(first.iter().copied().filter(|&p0| {
                        terms.iter().enumerate().skip(1).all(|(i, &t)| {
                            index.postings[t as usize]
                                .positions_of(doc)
                                .is_some_and(|l| l.binary_search(&(p0 + i as u32)).is_ok())
                        })
                    }));
                }
            }
            Planned::Nothing | Planned::Docs(_) => {}
        }
    }
    out.sort_unstable();
    out
}

/// Occurrences of `b` shortly after `a` (within [`NEAR_ORDERED`] positions, as in a phrase
/// with a small word between) and of the two near each other in either order (within
/// [`NEAR_ANY`]).
fn near_counts(a: &[u32], b: &[u32]) -> (u32, u32) {
    let (mut ordered, mut any) = (0, 0);
    let mut lo = 0;
    for &p in a {
        while lo < b.len() && b[lo] + NEAR_ANY < p {
            lo += 1;
        }
        for &q in b[lo..].iter().take_while(|&&q| q <= p + NEAR_ANY) {
            if q > p && q - p <= NEAR_ORDERED {
                ordered += 1;
            } else if q != p {
                any += 1;
            }
        }
    }
    (ordered, any)
}

fn clause_idf(index: &Index, clause: &PlannedClause) -> f32 {
    clause
        .alts
        .iter()
        .map(|a| match a {
            Planned::Terms { terms, .. } => terms.first().map_or(0.0, |&(t, _)| index.idf(t)),
            Planned::Phrase { terms, .. } => terms.iter().map(|&t| index.idf(t)).sum(),
            Planned::Nothing | Planned::Docs(_) => 0.0,
        })
        .fold(0.0, f32::max)
}

/// Scores every matching article; returns the best `limit` and the total.
pub(crate) fn rank(index: &Index, plan: &Plan, ranking: &Ranking, limit: usize) -> Ranked {
    let scorer = Scorer {
        index,
        ranking,
        avg: index.avg_len(),
    };
    let positives = plan.positives();
    let n = index.len();
    let mut score = vec![0.0f32; n];
    let mut matched = vec![0u32; n];
    let mut hit: Vec<DocId> = Vec::new();
    let mut per_clause = Dense::new(n);
    let mut required: Option<Vec<(DocId, f32)>> = None;
    let mut excluded: Vec<DocId> = Vec::new();
    for clause in &plan.clauses {
        per_clause.clear();
        for a in &clause.alts {
            scorer.score_atom(a, &mut per_clause);
        }
        match clause.role {
            Role::Positive => {
                for &doc in &per_clause.touched {
                    let d = doc as usize;
                    if matched[d] == 0 {
                        hit.push(doc);
                    }
                    score[d] += per_clause.vals[d];
                    matched[d] += 1;
                }
            }
            Role::Exclude => excluded.extend_from_slice(&per_clause.touched),
            Role::Required => {
                // Articles must satisfy every required clause.
                let next: Vec<(DocId, f32)> = match &required {
                    None => per_clause
                        .touched
                        .iter()
                        .map(|&d| (d, per_clause.vals[d as usize]))
                        .collect(),
                    Some(prev) => prev
                        .iter()
                        .filter(|(d, _)| per_clause.vals[*d as usize] > 0.0)
                        .map(|&(d, s)| (d, s + per_clause.vals[d as usize]))
                        .collect(),
                };
                required = Some(next);
            }
        }
    }
    let required: Option<HashMap<DocId, f32>> = required.map(|v| v.into_iter().collect());
    let score: Vec<(DocId, (f32, u32))> = hit
        .iter()
        .map(|&d| (d, (score[d as usize], matched[d as usize])))
        .collect();
    // Which articles are in the result at all.
    let mut candidates: Vec<(DocId, f32, u32)> = if positives > 0 {
        score.into_iter().map(|(d, (s, m))| (d, s, m)).collect()
    } else if let Some(req) = &required {
        req.iter().map(|(&d, &s)| (d, s * 0.1, 0)).collect()
    } else if !excluded.is_empty() {
        (0..index.len() as DocId).map(|d| (d, 0.0, 0)).collect()
    } else {
        Vec::new()
    };
    if let Some(req) = &required {
        candidates.retain(|(d, _, _)| req.contains_key(d));
        if positives > 0 {
            for c in candidates.iter_mut() {
                c.1 += 0.1 * req.get(&c.0).copied().unwrap_or(0.0);
            }
        }
    }
    if !excluded.is_empty() {
        excluded.sort_unstable();
        candidates.retain(|(d, _, _)| excluded.binary_search(d).is_err());
    }
    let total = candidates.len();
    // Coordination: articles matching more of the query's clauses come first. A keyword
    // query of two or three words names what it wants in each word; from COORD_CLAUSES words
    // on a query describes its topic, and BM25's sum ranks it better alone.
    let full = COORD_CLAUSES as f32;
    let fade = if plan.verbose {
        0.0
    } else {
        ((full - positives as f32) / (full - 2.0)).clamp(0.0, 1.0)
    };
    let power = ranking.coord * fade;
    if positives > 1 && power > 0.0 {
        for c in candidates.iter_mut() {
            c.1 *= (c.2 as f32 / positives as f32).powf(power);
        }
    }
    let order =
        |a: &(DocId, f32, u32), b: &(DocId, f32, u32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    // Only the best `keep` need an order: select them, then sort just those.
    let keep = limit.max(PROXIMITY_CANDIDATES).min(candidates.len());
    if keep > 0 && keep < candidates.len() {
        candidates.select_nth_unstable_by(keep - 1, order);
        candidates.truncate(keep);
    }
    candidates.sort_unstable_by(order);
    // Proximity: a bonus for positive clauses matched close together, on the top candidates.
    let positive: Vec<&PlannedClause> = plan
        .clauses
        .iter()
        .filter(|c| c.role == Role::Positive)
        .collect();
    if positive.len() > 1 && ranking.proximity > 0.0 {
        let idfs: Vec<f32> = positive.iter().map(|c| clause_idf(index, c)).collect();
        let top = candidates.len().min(PROXIMITY_CANDIDATES.max(limit));
        for c in candidates[..top].iter_mut() {
            let lists: Vec<Vec<u32>> = positive
                .iter()
                .map(|cl| clause_positions(index, cl, c.0))
                .collect();
            let mut bonus = 0.0;
            let k1 = ranking.k1;
            let sat = |x: u32| x as f32 * (k1 + 1.0) / (x as f32 + k1);
            for i in 0..lists.len() - 1 {
                let (ordered, any) = near_counts(&lists[i], &lists[i + 1]);
                bonus += idfs[i].min(idfs[i + 1]) * (sat(ordered) + 0.5 * sat(any));
            }
            c.1 += ranking.proximity * bonus;
        }
        candidates[..top].sort_unstable_by(order);
    }
    candidates.truncate(limit);
    Ranked {
        total,
        hits: candidates.into_iter().map(|(d, s, _)| (d, s)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_walk_matches_brute_force() {
        let mut words: Vec<(Box<str>, TermId)> = [
            "chandaraty",
            "chandarati",
            "chantha",
            "chhay",
            "sokha",
            "sokhan",
            "soka",
            "sochua",
            "rainsy",
            "rainy",
            "rain",
            "a",
            "ab",
            "abc",
            "party",
            "parti",
            "partly",
            "pardy",
        ]
        .iter()
        .enumerate()
        .map(|(i, w)| (Box::<str>::from(*w), i as TermId))
        .collect();
        words.sort();
        fn lev(a: &[char], b: &[char]) -> u32 {
            // Optimal string alignment distance, the textbook way.
            let (n, m) = (a.len(), b.len());
            let mut d = vec![vec![0u32; m + 1]; n + 1];
            for (i, row) in d.iter_mut().enumerate() {
                row[0] = i as u32;
            }
            for (j, cell) in d[0].iter_mut().enumerate() {
                *cell = j as u32;
            }
            for i in 1..=n {
                for j in 1..=m {
                    let cost = u32::from(a[i - 1] != b[j - 1]);
                    d[i][j] = (d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1)
                        .min(d[i - 1][j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                    }
                }
            }
            d[n][m]
        }
        for q in [
            "sokah",
            "chandarty",
            "rainsi",
            "party",
            "abd",
            "x",
            "sochau",
        ] {
            let qc: Vec<char> = q.chars().collect();
            for k in 1..=2 {
                let mut got = fuzzy(&words, &qc, k);
                got.sort();
                let mut want: Vec<(u32, TermId)> = words
                    .iter()
                    .filter_map(|(w, t)| {
                        let d = lev(&qc, &w.chars().collect::<Vec<_>>());
                        (d <= k).then_some((d, *t))
                    })
                    .collect();
                want.sort();
                assert_eq!(got, want, "{q} k={k}");
            }
        }
    }
}
