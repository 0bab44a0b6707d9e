//! Pseudo-relevance feedback for verbose queries.
//!
//! A long natural-language query ("what similarity laws must be obeyed when constructing
//! aeroelastic models of heated high speed aircraft") names its topic loosely. Its best first
//! results usually share vocabulary the query lacks, so the words most typical of the top
//! [`Ranking::feedback_docs`] articles (a relevance model: term frequency in each article
//! weighted by the article's score) form an expansion query, and the first [`FEEDBACK_POOL`]
//! results are re-ranked by a mix of their first score and their BM25F score for the expansion.
//!
//! Short queries (fewer than six content words) are left alone: their words are deliberate.

use crate::analyze::{is_stop_word, Analyzer};
use crate::article::{field_blocks, Article};
use crate::index::{DocId, Index, TermId};
use crate::search::{bm25f, Ranking};
use std::collections::HashMap;

/// Results re-ranked.
pub(crate) const FEEDBACK_POOL: usize = 100;
/// How strongly the best of the feedback articles dominate the relevance model: an article
/// weighs `exp(SHARPNESS * score / best score)`.
const SHARPNESS: f32 = 8.0;
/// At most this many articles feed the expansion, and this many expansion words are kept,
/// whatever [`Ranking::feedback_docs`] and [`Ranking::feedback_terms`] ask for.
const MAX_FEEDBACK_DOCS: usize = 50;
const MAX_FEEDBACK_TERMS: usize = 1000;

/// Re-ranks `hits` (best first, at least the pool) in place.
pub(crate) fn rerank(
    index: &Index,
    analyzer: &Analyzer,
    ranking: &Ranking,
    article: impl Fn(DocId) -> Option<Article>,
    hits: &mut [(DocId, f32)],
) {
    let top = hits.len().min(ranking.feedback_docs.min(MAX_FEEDBACK_DOCS));
    if top < 2 || ranking.feedback <= 0.0 {
        return;
    }
    let best = hits[0].1.max(f32::MIN_POSITIVE);
    // The relevance model: sum over feedback articles of tf/len, weighted by their score.
    let mut weight: HashMap<TermId, f32> = HashMap::new();
    for &(doc, score) in &hits[..top] {
        let Some(a) = article(doc) else { continue };
        let mut counts: HashMap<TermId, u32> = HashMap::new();
        let mut len = 0u32;
        for blocks in field_blocks(&a) {
            for (_, text) in blocks {
                analyzer.for_each_word(text, |word, _, _| {
                    len += 1;
                    if word.len() > 2
                        && !is_stop_word(word)
                        && !word.bytes().all(|b| b.is_ascii_digit())
                    {
                        if let Some(t) = index.word(word) {
                            *counts.entry(t).or_insert(0) += 1;
                        }
                    }
                });
            }
        }
        let w = (SHARPNESS * score / best).exp() / len.max(1) as f32;
        for (t, c) in counts {
            *weight.entry(t).or_insert(0.0) += w * c as f32;
        }
    }
    let mut terms: Vec<(TermId, f32)> = weight.into_iter().collect();
    terms.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms.truncate(ranking.feedback_terms.clamp(1, MAX_FEEDBACK_TERMS));
    let total: f32 = terms.iter().map(|t| t.1).sum();
    if total <= 0.0 {
        return;
    }
    let avg = index.avg_len();
    let pool = hits.len().min(FEEDBACK_POOL);
    let expansion: Vec<f32> = hits[..pool]
        .iter()
        .map(|&(doc, _)| {
            terms
                .iter()
                .map(|&(t, w)| {
                    let positions = index.postings[t as usize].positions_of(doc);
                    let idf = index.idf(t);
                    w / total
                        * bm25f(
                            index,
                            ranking,
                            &avg,
                            doc,
                            positions.into_iter().flatten(),
                            idf,
                            None,
                        )
                })
                .sum()
        })
        .collect();
    let max_e = expansion.iter().copied().fold(0.0, f32::max);
    if max_e <= 0.0 {
        return;
    }
    let mix = ranking.feedback.clamp(0.0, 1.0);
    for (h, e) in hits[..pool].iter_mut().zip(expansion) {
        h.1 = (1.0 - mix) * h.1 / best + mix * e / max_e;
    }
    hits[..pool].sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
}
