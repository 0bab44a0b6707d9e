//! Text ready to render: a field of an article, or a snippet, cut into segments that carry the
//! entity they belong to (if any) and whether the query matched there.
//!
//! Byte offsets end here: a segment is a piece of text, so the page (or any caller) never maps
//! byte or UTF-16 offsets. Segments of one field cover its text exactly, in order, and never
//! overlap; a segment lies inside at most one mention, and is highlighted as a whole or not at
//! all.
//!
//! The views of a corpus — a hit, a page of results, an article, an entity, an entity sharing
//! articles with another — are built here once, and serialised as they are by the module (to
//! JavaScript objects) and the CLI (to JSON).

use crate::article::{Article, Part, Span};
use crate::corpus::{Corpus, SearchResults};
use crate::entities::{Label, Mention};
use crate::index::DocId;
use crate::snippet::Snippet;
use serde::Serialize;

/// One search hit, ready to render.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let results = corpus.search("Sokha", 3);
/// let hit = &corpus.results_view(&results).hits[0];
/// assert!(hit.snippet.iter().any(|s| s.highlight));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HitView<'a> {
    /// The article's id in the corpus.
    pub id: DocId,
    /// The name it was added under (its file).
    pub name: &'a str,
    /// The record's own id (a JSON Lines `id`), if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Its headline.
    pub title: String,
    /// Its date ([`Corpus::date`]), ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Its score.
    pub score: f32,
    /// The best passage, as segments.
    pub snippet: Vec<Segment<'a>>,
}

/// A hit without its snippet: for a caller that shows results its own way.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let ranked = corpus.ranked_view("Sokha", 3);
/// assert_eq!(ranked.hits[0].id, corpus.search("Sokha", 3).hits[0].doc);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RankedView {
    /// The article's id in the corpus.
    pub id: DocId,
    /// Its score.
    pub score: f32,
}

/// A page of results: how many articles match, and the hits shown.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let view = corpus.ranked_view("Sokha", 2);
/// assert!(view.total >= view.hits.len());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultsView<H> {
    /// How many articles match.
    pub total: usize,
    /// The best of them, best first.
    pub hits: Vec<H>,
}

/// An article, ready to read: its metadata and every field as segments.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let doc = corpus.get(0).unwrap();
/// let article = corpus.article_view(&doc, Some("Chandaraty"));
/// assert_eq!(article.name, "000_ab660a9d3fc4741e.txt");
/// let marked = article.fields.iter().flat_map(|f| &f.segments).filter(|s| s.highlight);
/// assert!(marked.map(|s| s.text).any(|t| t == "Chandaraty"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArticleView<'a> {
    /// Its id in the corpus.
    pub id: DocId,
    /// The name it was added under.
    pub name: &'a str,
    /// Its headline.
    pub title: &'a str,
    /// When it was published (ISO 8601), if the source says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<&'a str>,
    /// Its date ([`Corpus::date`]: published, else its dateline's), ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The dates it mentions, in order, each with its calendar value where it has one.
    pub dates: Vec<DateView<'a>>,
    /// Its authors, as the source names them.
    pub authors: &'a [String],
    /// Its language, as the source gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'a str>,
    /// Its fields in reading order.
    pub fields: Vec<FieldView<'a>>,
}

/// A date an article mentions, and its calendar value ([`crate::resolve_date`]): `Monday` or
/// `last month` resolved against the article's own date, left without a value when the article
/// has none.
///
/// ```
/// let mut corpus = newslens::Corpus::new();
/// let text = "Vote\n\nPHNOM PENH, Feb. 20, 2022 - The vote was held on Monday, not in June 2017.\n";
/// corpus.add("a.txt", newslens::parse_text(text).unwrap());
/// let doc = corpus.get(0).unwrap();
/// let article = corpus.article_view(&doc, None);
/// let values: Vec<(&str, Option<&str>)> =
///     article.dates.iter().map(|d| (d.text, d.value.as_deref())).collect();
/// assert_eq!(
///     values,
///     [("Feb. 20, 2022", Some("2022-02-20")), ("Monday", Some("2022-02-14")), ("June 2017", Some("2017-06"))]
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DateView<'a> {
    /// The words, as written.
    pub text: &'a str,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// One entity of a corpus.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let top = &corpus.entities_view(Some(newslens::Label::Org), 5)[0];
/// assert!(top.count >= top.articles.len() && top.aliases.contains(&top.entity));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityView<'a> {
    /// Its canonical name.
    pub entity: &'a str,
    /// Its label.
    pub label: Label,
    /// How often it is mentioned.
    pub count: usize,
    /// The articles mentioning it, ascending.
    pub articles: &'a [u32],
    /// The earliest date of those articles, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    /// The latest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
    /// Every form it is mentioned by.
    pub aliases: Vec<&'a str>,
}

/// An entity sharing articles with another.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let shared = corpus.cooccurring_view("Kem Sokha", &[], 5);
/// assert!(shared.iter().all(|s| s.articles >= 1 && s.entity != "Kem Sokha"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharedView<'a> {
    /// Its canonical name.
    pub entity: &'a str,
    /// Its label.
    pub label: Label,
    /// How many articles it shares with the other.
    pub articles: usize,
}

/// An entity and those it shares the most articles with, and how many articles each pair of them
/// shares: a small co-occurrence network ([`Corpus::network_view`]).
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let net = corpus.network_view("Kem Sokha", &[], 6).unwrap();
/// assert_eq!(net.nodes[0].entity, "Kem Sokha");
/// assert!(net.nodes.len() <= 7 && net.edges.iter().all(|e| e.a < e.b && e.articles > 0));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkView<'a> {
    /// The entity first (its `articles`: all of its own), then the others, most shared first
    /// (their `articles`: those shared with the first).
    pub nodes: Vec<SharedView<'a>>,
    /// Every pair of nodes sharing an article, by their places in `nodes` (`a < b`).
    pub edges: Vec<EdgeView>,
}

/// Two nodes of a [`NetworkView`] and how many articles they share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EdgeView {
    /// The first node's place in the list.
    pub a: usize,
    /// The second node's place.
    pub b: usize,
    /// Articles naming both.
    pub articles: usize,
}

/// What a page needs to know of the module it runs: the limits it enforces and the names it
/// shows, so that nothing is copied into the page by hand.
///
/// ```
/// let info = newslens::ModuleInfo::of_this_build();
/// assert_eq!(info.max_file_bytes, newslens::MAX_INPUT_BYTES);
/// assert!(info.extensions.contains(&"html"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleInfo {
    /// The largest file one call reads ([`crate::MAX_INPUT_BYTES`]); 0 in a build that reads
    /// no files.
    pub max_file_bytes: usize,
    /// The most article text a corpus holds ([`crate::MAX_CORPUS_BYTES`]).
    pub max_corpus_bytes: usize,
    /// The longest query read in full ([`crate::MAX_QUERY_BYTES`]).
    pub max_query_bytes: usize,
    /// The file extensions this build reads (lower case, no dot).
    pub extensions: Vec<&'static str>,
    /// Every entity label, with what it names and its query prefix.
    pub labels: Vec<LabelInfo>,
}

/// An entity label as a page shows it.
///
/// ```
/// let info = newslens::ModuleInfo::of_this_build();
/// let place = info.labels.iter().find(|l| l.label == newslens::Label::Gpe).unwrap();
/// assert_eq!((place.name, place.filter), ("place", Some("place:")));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelInfo {
    /// `PERSON`, `ORG`, ...
    pub label: Label,
    /// `person`, `organisation`, ...
    pub name: &'static str,
    /// `person:`, `org:`, `place:`, or none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<&'static str>,
}

impl ModuleInfo {
    /// This build's limits, formats and labels.
    pub fn of_this_build() -> ModuleInfo {
        #[cfg(feature = "text")]
        let max_file_bytes = crate::MAX_INPUT_BYTES;
        #[cfg(not(feature = "text"))]
        let max_file_bytes = 0;
        ModuleInfo {
            max_file_bytes,
            max_corpus_bytes: crate::MAX_CORPUS_BYTES,
            max_query_bytes: crate::MAX_QUERY_BYTES,
            extensions: (crate::Format::EXTENSIONS.iter())
                .filter(|(_, f)| f.readable())
                .map(|&(e, _)| e)
                .collect(),
            labels: (Label::ALL.into_iter())
                .map(|label| LabelInfo {
                    label,
                    name: label.noun(),
                    filter: label.filter(),
                })
                .collect(),
        }
    }
}

impl Corpus {
    /// `results` (of this corpus's [`Corpus::search`]) as hits with their snippets cut into
    /// segments.
    ///
    /// ```
    /// let corpus = newslens::Corpus::seeds();
    /// let results = corpus.search("Chandaraty", 5);
    /// let view = corpus.results_view(&results);
    /// assert_eq!(view.total, 1);
    /// assert!(view.hits[0].snippet.iter().any(|s| s.highlight && s.text == "Chandaraty"));
    /// ```
    pub fn results_view<'a>(&'a self, results: &'a SearchResults) -> ResultsView<HitView<'a>> {
        let entities = self.entities();
        ResultsView {
            total: results.total,
            hits: (results.hits.iter())
                .filter_map(|h| {
                    let d = self.get(h.doc)?;
                    Some(HitView {
                        id: h.doc,
                        name: self.name(h.doc)?,
                        record: d.article.id().map(String::from),
                        title: d.article.title().text().to_string(),
                        date: self.date(h.doc).map(|c| c.to_string()),
                        score: h.score,
                        snippet: snippet_view(
                            &h.snippet,
                            d.article.source(),
                            &entities.marks(h.doc),
                        ),
                    })
                })
                .collect(),
        }
    }

    /// The best `limit` articles for `query` without snippets (see [`Corpus::rank`]).
    pub fn ranked_view(&self, query: &str, limit: usize) -> ResultsView<RankedView> {
        let (total, hits) = self.rank(query, limit);
        ResultsView {
            total,
            hits: (hits.into_iter())
                .map(|(id, score)| RankedView { id, score })
                .collect(),
        }
    }

    /// Article `d` (of [`Corpus::get`]) as segments, the words `query` matches in it
    /// highlighted. The view borrows the article's text from `d`: the corpus keeps its texts
    /// packed.
    pub fn article_view<'a>(
        &'a self,
        d: &'a crate::Document,
        query: Option<&str>,
    ) -> ArticleView<'a> {
        let doc = d.id;
        let highlights = query.map(|q| self.matches(doc, q)).unwrap_or_default();
        let marks = self.entities().marks(doc);
        article_view_of(
            doc,
            &d.name,
            &d.article,
            &marks,
            &highlights,
            self.date(doc),
        )
    }

    /// The corpus's entities, most mentioned first, of one label or all, at most `limit`.
    pub fn entities_view(&self, label: Option<Label>, limit: usize) -> Vec<EntityView<'_>> {
        let index = self.entities();
        (index.ranked(label).take(limit))
            .map(|e| self.entity_view(index.entity(e)))
            .collect()
    }

    /// The entity named `name` (canonical name or alias, any case) among `labels` (every label
    /// when empty, a date only if the name is nothing else); `None` when no entity has that name.
    pub fn entity(&self, name: &str, labels: &[Label]) -> Option<EntityView<'_>> {
        let e = self.entities().find(name, &labels_or_all(labels))?;
        Some(self.entity_view(e))
    }

    fn entity_view<'a>(&'a self, e: crate::Entity<'a>) -> EntityView<'a> {
        let dates = || e.articles.iter().filter_map(|&d| self.date(d));
        EntityView {
            entity: e.name,
            label: e.label,
            count: e.count,
            articles: e.articles,
            aliases: e.aliases().collect(),
            first: dates().min().map(|c| c.to_string()),
            last: dates().max().map(|c| c.to_string()),
        }
    }

    /// The timeline of the articles mentioning the entity named `name` (as for
    /// [`Corpus::cooccurring_view`]); `None` when no entity has that name.
    pub fn entity_timeline(&self, name: &str, labels: &[Label]) -> Option<crate::Timeline> {
        let e = self.entities().find(name, &labels_or_all(labels))?;
        Some(crate::timeline(e.articles.iter().map(|&d| self.date(d))))
    }

    /// The entities sharing articles with the one named `name` (canonical name or alias, any
    /// case) among `labels` — every label when empty, a date only if the name is nothing else —
    /// most shared first, at most `limit`. Empty when no entity has that name.
    pub fn cooccurring_view(
        &self,
        name: &str,
        labels: &[Label],
        limit: usize,
    ) -> Vec<SharedView<'_>> {
        let all = labels_or_all(labels);
        let index = self.entities();
        match index.find(name, &all) {
            Some(e) => (index.cooccurring(&e).into_iter())
                .take(limit)
                .map(|(o, n)| SharedView {
                    entity: o.name,
                    label: o.label,
                    articles: n,
                })
                .collect(),
            None => Vec::new(),
        }
    }

    /// The network of the entity named `name` (as for [`Corpus::cooccurring_view`]) with the
    /// `limit` entities it shares the most articles with; `None` when no entity has that name.
    pub fn network_view(
        &self,
        name: &str,
        labels: &[Label],
        limit: usize,
    ) -> Option<NetworkView<'_>> {
        let index = self.entities();
        let e = index.find(name, &labels_or_all(labels))?;
        let mut members = vec![e];
        let mut nodes = vec![SharedView {
            entity: e.name,
            label: e.label,
            articles: e.articles.len(),
        }];
        for (o, n) in index.cooccurring(&e).into_iter().take(limit) {
            members.push(o);
            nodes.push(SharedView {
                entity: o.name,
                label: o.label,
                articles: n,
            });
        }
        let mut edges = Vec::new();
        for (a, x) in members.iter().enumerate() {
            for (b, y) in members.iter().enumerate().skip(a + 1) {
                let articles = shared(x.articles, y.articles);
                if articles > 0 {
                    edges.push(EdgeView { a, b, articles });
                }
            }
        }
        Some(NetworkView { nodes, edges })
    }
}

/// How many ids two sorted lists share.
fn shared(x: &[u32], y: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// `labels`, or every label when empty (a date last: a name is a date only if nothing else).
fn labels_or_all(labels: &[Label]) -> Vec<Label> {
    if labels.is_empty() {
        let mut all = Label::ALL.to_vec();
        all.sort_by_key(|l| *l == Label::Date);
        all
    } else {
        labels.to_vec()
    }
}

/// A piece of text with what it is.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let doc = corpus.get(0).unwrap();
/// let article = corpus.article_view(&doc, Some("Sokha"));
/// let title: String = article.fields[0].segments.iter().map(|s| s.text).collect();
/// assert_eq!(title, article.title);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment<'a> {
    /// The text.
    pub text: &'a str,
    /// The label of the entity mention it is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// The canonical name of that entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<&'a str>,
    /// The query matched this text.
    pub highlight: bool,
}

/// One field of an article as segments.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let doc = corpus.get(0).unwrap();
/// let article = corpus.article_view(&doc, None);
/// assert_eq!(article.fields[0].part, newslens::Part::Title);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldView<'a> {
    /// The part the field plays.
    pub part: Part,
    /// Its text, cut.
    pub segments: Vec<Segment<'a>>,
}

/// A mention as a view cuts text at it: where it is, its label, and its entity's name.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark<'a> {
    pub span: Span,
    pub label: Label,
    pub entity: &'a str,
}

impl Mark<'_> {
    /// The marks of `mentions`.
    pub(crate) fn all(mentions: &[Mention]) -> Vec<Mark<'_>> {
        (mentions.iter())
            .map(|m| Mark {
                span: m.span,
                label: m.label,
                entity: &m.entity,
            })
            .collect()
    }
}

/// Cuts `source[range]` at mention and highlight boundaries. `mentions` and `highlights` are
/// byte spans of `source`, each list sorted and without overlaps; only their parts inside
/// `range` count.
pub fn segments<'a>(
    source: &'a str,
    range: Span,
    mentions: &[Mark<'a>],
    highlights: &[Span],
) -> Vec<Segment<'a>> {
    segments_at(source, 0, range, mentions, highlights)
}

/// [`segments`] of a piece of the source: `text` is the source's bytes from `at`, and holds
/// `range`.
fn segments_at<'a>(
    text: &'a str,
    at: usize,
    range: Span,
    mentions: &[Mark<'a>],
    highlights: &[Span],
) -> Vec<Segment<'a>> {
    let clip = |s: Span| Span::new(s.start.max(range.start), s.end.min(range.end));
    let inside = |s: &Span| s.start < range.end && s.end > range.start;
    let ms: Vec<(Span, Mark<'a>)> = mentions
        .iter()
        .filter(|m| inside(&m.span))
        .map(|m| (clip(m.span), *m))
        .collect();
    let hs: Vec<Span> = highlights
        .iter()
        .filter(|s| inside(s))
        .map(|s| clip(*s))
        .collect();
    let mut cuts: Vec<usize> = vec![range.start, range.end];
    for (s, _) in &ms {
        cuts.extend([s.start, s.end]);
    }
    for s in &hs {
        cuts.extend([s.start, s.end]);
    }
    cuts.retain(|&c| c >= at && text.is_char_boundary(c - at));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len());
    let (mut mi, mut hi) = (0, 0);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while mi < ms.len() && ms[mi].0.end <= a {
            mi += 1;
        }
        while hi < hs.len() && hs[hi].end <= a {
            hi += 1;
        }
        let mention = ms.get(mi).filter(|(s, _)| s.start <= a).map(|(_, m)| *m);
        let highlight = hs.get(hi).is_some_and(|s| s.start <= a);
        out.push(Segment {
            text: text.get(a - at..b - at).unwrap_or_default(),
            label: mention.map(|m| m.label),
            entity: mention.map(|m| m.entity),
            highlight,
        });
    }
    out
}

/// Article `id` (named `name`, dated `anchor`) ready to read: its metadata, the dates it
/// mentions with their values, its fields as segments cut at `mentions` and `highlights`.
pub(crate) fn article_view_of<'a>(
    id: DocId,
    name: &'a str,
    article: &'a Article,
    mentions: &[Mark<'a>],
    highlights: &[Span],
    anchor: Option<crate::CalendarDate>,
) -> ArticleView<'a> {
    let source = article.source();
    let dates = (mentions.iter())
        .filter(|m| m.label == Label::Date)
        .map(|m| {
            let text = &source[m.span.range()];
            let value = crate::resolve_date(text, anchor).map(|c| c.to_string());
            DateView { text, value }
        })
        .collect();
    ArticleView {
        id,
        name,
        title: article.title().text(),
        published: article.published(),
        date: anchor.map(|c| c.to_string()),
        dates,
        authors: article.authors(),
        language: article.language(),
        fields: self::article_view(article, mentions, highlights),
    }
}

/// Every field of `article`, in source order, as segments.
pub fn article_view<'a>(
    article: &'a Article,
    mentions: &[Mark<'a>],
    highlights: &[Span],
) -> Vec<FieldView<'a>> {
    article
        .fields()
        .into_iter()
        .map(|(part, f)| FieldView {
            part,
            segments: segments(article.source(), f.span(), mentions, highlights),
        })
        .collect()
}

/// A snippet as segments: its ellipses, and the passage cut at mentions (spans of `source`, the
/// snippet's article) and at the snippet's highlights.
pub fn snippet_view<'a>(
    snippet: &'a Snippet,
    source: &str,
    mentions: &[Mark<'a>],
) -> Vec<Segment<'a>> {
    let passage = snippet.source;
    let plain = |text: &'a str| Segment {
        text,
        label: None,
        entity: None,
        highlight: false,
    };
    // The passage sits in the snippet's text after the leading ellipsis, if there is one.
    let Some(base) = source
        .get(passage.range())
        .filter(|p| !p.is_empty())
        .and_then(|p| {
            ['…'.len_utf8(), 0]
                .into_iter()
                .find(|&b| snippet.text.get(b..).is_some_and(|t| t.starts_with(p)))
        })
    else {
        // No passage to map (an empty snippet): the text as it is, highlights included.
        return snippet
            .segments()
            .into_iter()
            .map(|(text, highlight)| Segment {
                highlight,
                ..plain(text)
            })
            .collect();
    };
    let highlights: Vec<Span> = snippet
        .highlights
        .iter()
        .map(|&(s, e)| Span::new(s - base + passage.start, e - base + passage.start))
        .collect();
    let mut out = Vec::new();
    if base > 0 {
        out.push(plain(&snippet.text[..base]));
    }
    let end = base + passage.len();
    let shown = &snippet.text[base..end];
    out.extend(segments_at(
        shown,
        passage.start,
        passage,
        mentions,
        &highlights,
    ));
    if end < snippet.text.len() {
        out.push(plain(&snippet.text[end..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page reads its labels, prefixes, extensions and limits from here: each prefix is
    /// one the query language reads as an entity filter, and each extension one `Format` knows.
    #[test]
    fn module_info_matches_the_query_language_and_the_readers() {
        let info = ModuleInfo::of_this_build();
        assert_eq!(info.labels.len(), Label::ALL.len());
        let filters: Vec<&str> = info.labels.iter().filter_map(|l| l.filter).collect();
        assert_eq!(filters, ["person:", "org:", "place:"]);
        for f in filters {
            let q = crate::query::parse_query(&format!("{f}\"Kem Sokha\""));
            assert!(
                matches!(
                    q.clauses[0].alternatives[0],
                    crate::query::Atom::Entity { .. }
                ),
                "{f}"
            );
        }
        for e in &info.extensions {
            assert!(crate::Format::from_extension(e).is_some(), "{e}");
        }
        assert!(info.extensions.contains(&"html") && info.extensions.contains(&"txt"));
        assert_eq!(info.max_file_bytes, crate::MAX_INPUT_BYTES);
        assert_eq!(
            serde_json::to_value(&info).unwrap()["labels"][1],
            serde_json::json!({"label": "ORG", "name": "organisation", "filter": "org:"})
        );
    }

    fn mention(start: usize, end: usize, label: Label, entity: &str) -> Mention {
        Mention {
            span: Span::new(start, end),
            label,
            entity: entity.into(),
        }
    }

    #[test]
    fn cuts_at_mentions_and_highlights() {
        let source = "Mr. Sokha met Hun Sen in Phnom Penh.";
        let ms = [
            mention(4, 9, Label::Person, "Kem Sokha"),
            mention(14, 21, Label::Person, "Hun Sen"),
            mention(25, 35, Label::Gpe, "Phnom Penh"),
        ];
        // "Sen" and "Phnom" highlighted.
        let hs = [Span::new(18, 21), Span::new(25, 30)];
        let segs = segments(source, Span::new(0, source.len()), &Mark::all(&ms), &hs);
        let got: Vec<(&str, Option<&str>, bool)> = segs
            .iter()
            .map(|s| (s.text, s.entity, s.highlight))
            .collect();
        assert_eq!(
            got,
            [
                ("Mr. ", None, false),
                ("Sokha", Some("Kem Sokha"), false),
                (" met ", None, false),
                ("Hun ", Some("Hun Sen"), false),
                ("Sen", Some("Hun Sen"), true),
                (" in ", None, false),
                ("Phnom", Some("Phnom Penh"), true),
                (" Penh", Some("Phnom Penh"), false),
                (".", None, false),
            ]
        );
        let joined: String = segs.iter().map(|s| s.text).collect();
        assert_eq!(joined, source);
    }

    #[test]
    fn only_the_field_is_cut_and_spans_are_clipped() {
        let source = "Title\nKem Sokha spoke.";
        let ms = [mention(6, 15, Label::Person, "Kem Sokha")];
        let segs = segments(
            source,
            Span::new(6, 12),
            &Mark::all(&ms),
            &[Span::new(0, 8)],
        );
        let got: Vec<(&str, bool, bool)> = segs
            .iter()
            .map(|s| (s.text, s.entity.is_some(), s.highlight))
            .collect();
        assert_eq!(got, [("Ke", true, true), ("m So", true, false)]);
    }

    #[test]
    fn snippets_keep_their_ellipses_and_take_the_mentions() {
        let source = "Intro. Then Kem Sokha said no to the court today.";
        let ms = [mention(12, 21, Label::Person, "Kem Sokha")];
        let snippet = Snippet {
            text: "…Kem Sokha said no…".into(),
            highlights: vec![(7, 12)],
            source: Span::new(12, 29),
        };
        let segs = snippet_view(&snippet, source, &Mark::all(&ms));
        let got: Vec<(&str, Option<Label>, bool)> = segs
            .iter()
            .map(|s| (s.text, s.label, s.highlight))
            .collect();
        assert_eq!(
            got,
            [
                ("…", None, false),
                ("Kem ", Some(Label::Person), false),
                ("Sokha", Some(Label::Person), true),
                (" said no", None, false),
                ("…", None, false),
            ]
        );
    }

    #[test]
    fn an_empty_field_has_no_segments() {
        assert!(segments("abc", Span::new(1, 1), &[], &[]).is_empty());
    }
}
