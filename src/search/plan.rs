//! Planning: a parsed query resolved against one index. Words go through the analyzer, stop
//! words (and, in long questions, request words) are left out, and each word expands to its
//! prefix and typo neighbours in the term dictionary.

use super::terms::Dictionary;
use super::{Ranking, VERBOSE_CLAUSES};
use crate::analyze::{is_request_word, is_stop_word, Analyzer};
use crate::index::{DocId, Index, TermId};
use crate::query::{Atom, EntityKind, FieldFilter, Prefix, Query};

/// At most this many prefix expansions per word (the most frequent are kept).
const MAX_PREFIX_TERMS: usize = 64;
/// At most this many typo expansions per word.
const MAX_FUZZY_TERMS: usize = 32;
/// At most this many typo expansions for a word the index knows as it is.
const MAX_FUZZY_TERMS_KNOWN: usize = 4;

/// A word or phrase resolved to index terms.
#[derive(Clone, Debug)]
pub(crate) enum Planned {
    /// A word: its exact term and expansions, each with a weight.
    Terms {
        terms: Vec<(TermId, f32)>,
        field: Option<usize>,
    },
    /// Words in a row: `terms`, a term for each word (the phrase's idf is theirs), matched
    /// as `parts`, each a term at the phrase's start plus an offset. Planned against an index,
    /// the parts are the words (`terms[i]` at `+i`); a published archive may match two
    /// adjacent words as one term of their own ([`Plan::match_words`] undoes that), and
    /// gives no part to a phrase it knows matches nothing.
    Phrase {
        terms: Vec<TermId>,
        parts: Vec<(TermId, u32)>,
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

    /// Every term the plan can match, with the clause it belongs to and its weight (a
    /// phrase's words, weighing 1).
    pub fn terms(&self) -> impl Iterator<Item = (usize, TermId, f32)> + '_ {
        self.weighted(false)
    }

    /// Every term scoring reads the postings of, with the clause it belongs to and its weight:
    /// as [`Plan::terms`], but a phrase's parts in place of its words.
    pub fn matched(&self) -> impl Iterator<Item = (usize, TermId, f32)> + '_ {
        self.weighted(true)
    }

    fn weighted(&self, parts: bool) -> impl Iterator<Item = (usize, TermId, f32)> + '_ {
        self.clauses
            .iter()
            .enumerate()
            .filter(|(_, c)| c.role != Role::Exclude)
            .flat_map(move |(ci, c)| {
                c.alts.iter().flat_map(move |a| {
                    let v: Vec<(usize, TermId, f32)> = match a {
                        Planned::Terms { terms, .. } => {
                            terms.iter().map(|&(t, w)| (ci, t, w)).collect()
                        }
                        Planned::Phrase { parts: p, .. } if parts => {
                            p.iter().map(|&(t, _)| (ci, t, 1.0)).collect()
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

    /// Every term the plan names (a phrase's words and its parts), excluded ones too, in
    /// clause order (repeats kept).
    pub fn all_terms(&self) -> Vec<TermId> {
        let mut out = Vec::new();
        for a in self.clauses.iter().flat_map(|c| &c.alts) {
            match a {
                Planned::Terms { terms, .. } => out.extend(terms.iter().map(|&(t, _)| t)),
                Planned::Phrase { terms, parts, .. } => {
                    out.extend_from_slice(terms);
                    out.extend(parts.iter().map(|&(t, _)| t));
                }
                Planned::Nothing | Planned::Docs(_) => {}
            }
        }
        out
    }

    /// Every term whose postings scoring reads, excluded ones too, in clause order (repeats
    /// kept): [`Plan::all_terms`] but a phrase's words when it is matched by other parts.
    pub fn matched_terms(&self) -> Vec<TermId> {
        let mut out = Vec::new();
        for a in self.clauses.iter().flat_map(|c| &c.alts) {
            match a {
                Planned::Terms { terms, .. } => out.extend(terms.iter().map(|&(t, _)| t)),
                Planned::Phrase { parts, .. } => out.extend(parts.iter().map(|&(t, _)| t)),
                Planned::Nothing | Planned::Docs(_) => {}
            }
        }
        out
    }

    /// Each phrase matched by its words again (`terms[i]` at `+i`).
    pub fn match_words(&mut self) {
        for a in self.clauses.iter_mut().flat_map(|c| &mut c.alts) {
            if let Planned::Phrase { terms, parts, .. } = a {
                *parts = words_in_a_row(terms);
            }
        }
    }

    /// Whether the plan is one positive clause of words (each alternative a word or its
    /// expansions, in any field, or a phrase matched as one term), besides clauses that
    /// exclude given articles, or words whose terms are all `pending` (their articles are on
    /// the way): its score is then the best of its terms' weighted scores.
    pub fn is_one_clause_of_words(&self, pending: impl Fn(TermId) -> bool) -> bool {
        let mut positive = self.clauses.iter().filter(|c| c.role != Role::Exclude);
        let one = positive.next().filter(|_| positive.next().is_none());
        one.is_some_and(|c| {
            c.role == Role::Positive
                && (c.alts.iter()).all(|a| match a {
                    Planned::Terms { field, .. } => field.is_none(),
                    Planned::Phrase { parts, field, .. } => field.is_none() && parts.len() == 1,
                    Planned::Nothing | Planned::Docs(_) => false,
                })
        }) && (self.clauses.iter())
            .filter(|c| c.role == Role::Exclude)
            .all(|c| {
                c.alts.iter().all(|a| match a {
                    Planned::Docs(_) => true,
                    Planned::Terms { terms, field: None } => terms.iter().all(|&(t, _)| pending(t)),
                    _ => false,
                })
            })
    }

    /// The plan with each article `d` of an entity filter replaced by `f(d)`, `None` dropping
    /// it (as [`Plan::map_terms`] renumbers terms).
    pub fn map_docs(&mut self, mut f: impl FnMut(DocId) -> Option<DocId>) {
        for a in self.clauses.iter_mut().flat_map(|c| &mut c.alts) {
            if let Planned::Docs(docs) = a {
                *docs = docs.iter().filter_map(|&d| f(d)).collect();
            }
        }
    }

    /// The articles the plan's clauses that can match name (entity filters; not those of
    /// excluding clauses), repeats kept.
    pub fn matching_docs(&self) -> impl Iterator<Item = DocId> + '_ {
        (self.clauses.iter())
            .filter(|c| c.role != Role::Exclude)
            .flat_map(|c| &c.alts)
            .flat_map(|a| match a {
                Planned::Docs(docs) => docs.as_slice(),
                _ => &[],
            })
            .copied()
    }

    /// The plan with each term id `t` replaced by `f(t)` (a plan made against one lexicon, run
    /// on an index that numbers the same terms its own way).
    pub fn map_terms(&mut self, mut f: impl FnMut(TermId) -> TermId) {
        for a in self.clauses.iter_mut().flat_map(|c| &mut c.alts) {
            match a {
                Planned::Terms { terms, .. } => terms.iter_mut().for_each(|(t, _)| *t = f(*t)),
                Planned::Phrase { terms, parts, .. } => {
                    terms.iter_mut().for_each(|t| *t = f(*t));
                    parts.iter_mut().for_each(|(t, _)| *t = f(*t));
                }
                Planned::Nothing | Planned::Docs(_) => {}
            }
        }
    }
}

/// A phrase's words as its parts: word `i` at `+i`.
fn words_in_a_row(terms: &[TermId]) -> Vec<(TermId, u32)> {
    (terms.iter()).zip(0..).map(|(&t, i)| (t, i)).collect()
}

fn field_index(f: Option<FieldFilter>) -> Option<usize> {
    f.map(|FieldFilter::Title| crate::article::IndexField::Title as usize)
}

/// What planning asks of the entities an entity filter (`person:"…"`) names: the articles
/// naming the entity called `name` (any of its names, any case) among `labels`, tried in order;
/// `None` when none is known (the filter is then the name's phrase). A corpus answers from its
/// [`EntityIndex`](crate::EntityIndex); a published archive from its entity shards.
pub(crate) trait Entities {
    fn articles(&self, name: &str, labels: &[crate::Label]) -> Option<Vec<DocId>>;
}

impl Entities for crate::EntityIndex {
    fn articles(&self, name: &str, labels: &[crate::Label]) -> Option<Vec<DocId>> {
        self.find(name, labels).map(|e| e.articles.to_vec())
    }
}

/// What planning asks of an index: its terms, their document frequencies, and the sorted
/// surface words that prefix and typo expansion walk. An [`Index`] answers for all its words; a
/// published archive (`crate::archive`) for the dictionary shards it has fetched, which cover
/// every range a query's expansions walk ([`expansion_prefixes`]).
pub(crate) trait Lexicon {
    /// The id of an index term, if the index holds it.
    fn term(&self, term: &str) -> Option<TermId>;
    /// How many articles hold the term.
    fn df(&self, term: TermId) -> usize;
    /// Surface words, sorted, each with its term.
    fn dictionary(&self) -> Dictionary<'_>;
}

impl Lexicon for Index {
    fn term(&self, term: &str) -> Option<TermId> {
        Index::term(self, term)
    }
    fn df(&self, term: TermId) -> usize {
        self.postings[term as usize].len()
    }
    fn dictionary(&self) -> Dictionary<'_> {
        Index::dictionary(self)
    }
}

/// The word prefixes whose dictionary entries planning a typed word (`word`, folded, as the
/// analyzer gives it) walks: the word itself when it expands as a prefix, its first letter when
/// it expands to typos. Prefix rules and typo rules live here alone.
pub(crate) fn expansion_prefixes(word: &str, prefix: Prefix) -> Vec<&str> {
    let mut out = Vec::new();
    let chars = word.chars().count();
    if prefix != Prefix::No && chars >= min_prefix(prefix) {
        out.push(word);
    }
    if max_edits(chars, prefix) > 0 {
        if let Some(c) = word.chars().next() {
            out.push(&word[..c.len_utf8()]);
        }
    }
    out
}

fn min_prefix(prefix: Prefix) -> usize {
    if prefix == Prefix::Explicit {
        1
    } else {
        2
    }
}

/// Typos allowed in a word of `chars` letters.
fn max_edits(chars: usize, prefix: Prefix) -> u32 {
    match chars {
        _ if prefix == Prefix::Explicit => 0, // `word*` asks for a prefix, not a guess
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Resolves a query against the index.
pub(crate) fn plan<L: Lexicon>(
    index: &L,
    analyzer: &Analyzer,
    query: &Query,
    ranking: &Ranking,
    entities: Option<&dyn Entities>,
) -> Plan {
    // Which clauses are a lone stop word (or hold no word at all).
    let stop_only: Vec<bool> = (query.clauses.iter())
        .map(|c| {
            c.alternatives.iter().all(|a| match a {
                Atom::Word { text, .. } => {
                    analyzer.normalize(text).is_none_or(|w| is_stop_word(&w))
                }
                _ => false,
            })
        })
        .collect();
    // Stop words are dropped from ranked word clauses unless the query has nothing else.
    let only_stop_words = stop_only.iter().all(|&s| s);
    // Content words: positive clauses that are not a lone stop word.
    let content = (query.clauses.iter().zip(&stop_only))
        .filter(|(c, &s)| !c.exclude && !s)
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
                    match entities.and_then(|e| e.articles(name, labels)) {
                        // The articles that name the entity, by any of its names.
                        Some(docs) => alts.push(Planned::Docs(docs)),
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
fn plan_text<L: Lexicon>(
    index: &L,
    analyzer: &Analyzer,
    text: &str,
    field: Option<usize>,
) -> Option<Planned> {
    let tokens = analyzer.tokens(text);
    (!tokens.is_empty()).then(|| plan_phrase(index, tokens.iter().map(|t| t.term.as_str()), field))
}

fn plan_phrase<'a, L: Lexicon>(
    index: &L,
    terms: impl Iterator<Item = &'a str>,
    field: Option<usize>,
) -> Planned {
    let mut ids = Vec::new();
    for t in terms {
        match index.term(t) {
            Some(id) => ids.push(id),
            None => return Planned::Nothing,
        }
    }
    if ids.len() == 1 {
        return Planned::Terms {
            terms: vec![(ids[0], 1.0)],
            field,
        };
    }
    Planned::Phrase {
        parts: words_in_a_row(&ids),
        terms: ids,
        field,
    }
}

fn plan_word<L: Lexicon>(
    index: &L,
    term: &str,
    word: &str,
    prefix: Prefix,
    field: Option<usize>,
    ranking: &Ranking,
) -> Planned {
    let mut terms: Vec<(TermId, f32)> = Vec::new();
    let exact = index.term(term);
    if let Some(id) = exact {
        terms.push((id, 1.0));
    }
    let chars = word.chars().count();
    let words = index.dictionary();
    let df = |t: TermId| index.df(t);
    if prefix != Prefix::No && chars >= min_prefix(prefix) {
        let mut found: Vec<TermId> = words
            .prefix(word)
            .terms()
            .filter(|&t| Some(t) != exact)
            .collect();
        found.sort_unstable();
        found.dedup();
        found.sort_by_key(|&t| (std::cmp::Reverse(df(t)), t));
        found.truncate(MAX_PREFIX_TERMS);
        terms.extend(found.into_iter().map(|t| (t, ranking.prefix_weight)));
    }
    let max_edits = max_edits(chars, prefix);
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
        let mut found: Vec<(u32, TermId)> = words
            .prefix(first)
            .fuzzy(&query, max_edits)
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
