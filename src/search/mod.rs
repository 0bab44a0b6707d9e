//! Query evaluation: a [`Query`](crate::query::Query) is planned against the index (words analysed,
//! prefixes and typos expanded to index terms; `plan.rs`), then scored with BM25F, a proximity
//! bonus and a coordination factor that puts articles matching more clauses first (`score.rs`).
//! The term dictionary that prefix and typo expansion walk (`terms.rs`) knows nothing of scoring.

mod plan;
mod score;
mod terms;

pub(crate) use plan::{expansion_prefixes, plan, Entities, Lexicon, Plan, Planned, Role};
pub(crate) use score::{bm25f, rank, Ranked};
pub(crate) use terms::Dictionary;

use crate::article::FIELDS;

/// Ranking parameters. The defaults are the best on the mean nDCG@10 of four test collections
/// (Cranfield, CACM, MED, NPL), searched leave-one-collection-out so that a setting is only
/// kept when it transfers (`make ranking`, `scripts/ranking.py`); coordination is set by its
/// rule (keyword queries of two or three words), not by that search.
///
/// ```
/// let ranking = newslens::Ranking { k1: 1.0, ..Default::default() };
/// let mut corpus = newslens::Corpus::with_ranking(ranking);
/// corpus.add("a.txt", newslens::parse_text("Rice Harvest\n\nFarmers harvest rice.\n").unwrap());
/// assert_eq!(corpus.search("harvest", 5).total, 1);
/// ```
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

/// Queries with this many content words or more are verbose: request words left out, and
/// pseudo-relevance feedback.
pub(crate) const VERBOSE_CLAUSES: usize = 6;
/// Queries with this many positive clauses or more get no coordination factor (it fades out
/// from two clauses on).
pub(crate) const COORD_CLAUSES: usize = 4;
