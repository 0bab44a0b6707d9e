//! Scoring: BM25F per clause, coordination, the proximity bonus, and the best `limit`.

use super::plan::{Plan, Planned, PlannedClause, Role};
use super::{Ranking, COORD_CLAUSES};
use crate::article::FIELDS;
use crate::index::{DocId, Index, Positions, TermId};
use std::collections::HashMap;

/// Ordered window for the proximity bonus: "boundary layer", "layer of the boundary".
const NEAR_ORDERED: u32 = 3;
/// Unordered window for the proximity bonus.
const NEAR_ANY: u32 = 8;
/// Proximity is computed for this many top candidates.
const PROXIMITY_CANDIDATES: usize = 50;

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
                    for (doc, positions) in p.iter() {
                        let s = w * self.bm25f(doc, positions, idf, *field);
                        if s > 0.0 {
                            out.max_in(doc, s);
                        }
                    }
                }
            }
            Planned::Phrase {
                terms,
                parts,
                field,
            } => {
                let idf: f32 = terms.iter().map(|&t| self.index.idf(t)).sum();
                for (doc, starts) in phrase_matches(self.index, parts) {
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

/// Articles where a phrase's `parts` occur, each part's term at the phrase's start plus its
/// offset (the first part's is 0), with the position of each occurrence's start.
pub(crate) fn phrase_matches(index: &Index, parts: &[(TermId, u32)]) -> Vec<(DocId, Vec<u32>)> {
    let Some((rare_i, _)) = parts
        .iter()
        .enumerate()
        .min_by_key(|(_, &(t, _))| index.postings[t as usize].len())
    else {
        return Vec::new();
    };
    let rare = &index.postings[parts[rare_i].0 as usize];
    let mut out = Vec::new();
    // Each part's positions in the article at hand, decoded into lists kept from one article
    // to the next.
    let mut lists: Vec<Vec<u32>> = Vec::new();
    let mut starts = Vec::new();
    // The rare part's articles are ascending: each other part's list is walked once, by a
    // cursor (the rare part's own positions come from the walk over its list).
    let mut cursors: Vec<_> = (parts.iter().enumerate())
        .map(|(i, &(t, _))| (i != rare_i).then(|| index.postings[t as usize].cursor()))
        .collect();
    for (doc, positions) in rare.iter() {
        phrase_starts(
            |i| match &mut cursors[i] {
                Some(cursor) => cursor.positions_of(doc),
                None => Some(positions.clone()),
            },
            parts,
            &mut lists,
            &mut starts,
        );
        if !starts.is_empty() {
            out.push((doc, std::mem::take(&mut starts)));
        }
    }
    out
}

/// Appends to `out` the positions in an article where a phrase of `parts` starts: the first
/// part's positions with every part `i` at its offset from there, `positions(i)` giving part
/// `i`'s positions in the article. `lists` is scratch space for each part's decoded positions,
/// kept by the caller from one article to the next.
fn phrase_starts<'a>(
    mut positions: impl FnMut(usize) -> Option<Positions<'a>>,
    parts: &[(TermId, u32)],
    lists: &mut Vec<Vec<u32>>,
    out: &mut Vec<u32>,
) {
    lists.resize_with(parts.len(), Vec::new);
    for (i, list) in lists.iter_mut().enumerate() {
        let Some(p) = positions(i) else {
            return;
        };
        list.clear();
        list.extend(p);
    }
    let Some((first, rest)) = lists.split_first() else {
        return;
    };
    out.extend(first.iter().copied().filter(|&p0| {
        (rest.iter().zip(&parts[1..]))
            .all(|(l, &(_, offset))| l.binary_search(&(p0 + offset)).is_ok())
    }));
}

/// Positions in `doc` where a clause matched (any of its terms, or its phrases' starts).
fn clause_positions(index: &Index, clause: &PlannedClause, doc: DocId) -> Vec<u32> {
    let mut out = Vec::new();
    let mut lists = Vec::new();
    for a in &clause.alts {
        match a {
            Planned::Terms { terms, .. } => {
                for &(t, _) in terms {
                    if let Some(p) = index.postings[t as usize].positions_of(doc) {
                        out.extend(p);
                    }
                }
            }
            Planned::Phrase { parts, .. } => {
                phrase_starts(
                    |i| index.postings[parts[i].0 as usize].positions_of(doc),
                    parts,
                    &mut lists,
                    &mut out,
                );
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

/// Scores every matching article, leaving out those `removed` marks (indexed by article;
/// shorter than the index when the rest are live); returns the best `limit` and the total.
pub(crate) fn rank(
    index: &Index,
    plan: &Plan,
    ranking: &Ranking,
    removed: &[bool],
    limit: usize,
) -> Ranked {
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
    if removed.iter().any(|&r| r) {
        candidates.retain(|(d, _, _)| !removed.get(*d as usize).copied().unwrap_or(false));
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
