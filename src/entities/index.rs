//! The entities of a corpus: linked mentions per article, entities with their aliases, counts
//! and articles, and co-occurrence.

use super::{link, lower, Label, Mention};
use crate::article::{Article, Span};
use crate::hash::FxMap;
use serde::Serialize;
use std::collections::HashMap;

/// One entity of a corpus.
///
/// ```
/// use newslens::Label;
/// let corpus = newslens::Corpus::seeds();
/// let sokha = corpus.entities().find("sokha", &[Label::Person]).unwrap();
/// assert_eq!(sokha.name, "Kem Sokha");
/// assert!(sokha.articles.len() >= 3);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Its label.
    pub label: Label,
    /// Its canonical name.
    pub name: String,
    /// Every form it was mentioned by (the name included).
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub count: usize,
    /// The articles mentioning it, ascending.
    pub articles: Vec<u32>,
}

/// The entities of a corpus: mentions per article, entities with aliases, counts and articles,
/// and co-occurrence.
///
/// ```
/// use newslens::Label;
/// let corpus = newslens::Corpus::seeds();
/// let index = corpus.entities();
/// let people = index.entities(Some(Label::Person));
/// assert_eq!(people[0].label, Label::Person);
/// assert!(!index.cooccurring(people[0]).is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct EntityIndex {
    /// Each article's mentions as recognised, before linking (what an index file keeps).
    recognized: Vec<Vec<(Span, Label)>>,
    mentions: Vec<Vec<Mention>>,
    entities: Vec<Entity>,
    by_name: HashMap<(Label, String), usize>,
}

impl EntityIndex {
    /// Recognises and links the entities of `articles` (in article-id order).
    #[cfg(feature = "entities")]
    pub fn build(articles: &[&Article], model: &crate::ner::Model) -> EntityIndex {
        let recognized: Vec<(&Article, Vec<(Span, Label)>)> = {
            let mut tagger = crate::ner::Tagger::new(model);
            (articles.iter())
                .map(|a| (*a, super::recognize_with(a, &mut tagger)))
                .collect()
        };
        EntityIndex::from_owned(recognized)
    }

    /// Links mentions already recognised (in article-id order) into the index.
    pub fn from_recognized(recognized: &[(&Article, Vec<(Span, Label)>)]) -> EntityIndex {
        EntityIndex::from_owned(recognized.to_vec())
    }

    /// [`EntityIndex::from_recognized`], keeping the recognised mentions it is given.
    pub(crate) fn from_owned(recognized: Vec<(&Article, Vec<(Span, Label)>)>) -> EntityIndex {
        let mentions = link(&recognized);
        let articles: Vec<&Article> = recognized.iter().map(|(a, _)| *a).collect();
        let mut idx = EntityIndex::from_linked(&articles, mentions);
        idx.recognized = recognized.into_iter().map(|(_, ms)| ms).collect();
        idx
    }

    /// This index with `curation` applied (`articles` in article-id order, as it was built
    /// from), and what the curation did. The curated index keeps no recognised mentions: an
    /// index file stores the machine's mentions, and the curation apart.
    pub(crate) fn curated(
        &self,
        articles: &[&Article],
        curation: &super::Curation,
    ) -> (EntityIndex, super::CurationReport) {
        let mut mentions = self.mentions.clone();
        let report = super::curate::curate(articles, &mut mentions, curation);
        (EntityIndex::from_linked(articles, mentions), report)
    }

    /// Entities, aliases, counts and articles from linked mentions.
    pub(crate) fn from_linked(articles: &[&Article], mentions: Vec<Vec<Mention>>) -> EntityIndex {
        let mut idx = EntityIndex::default();
        let mut by_name: FxMap<(Label, &str), usize> = FxMap::default();
        for (doc, ms) in mentions.iter().enumerate() {
            for m in ms {
                let e = *by_name.entry((m.label, &m.entity)).or_insert_with(|| {
                    idx.entities.push(Entity {
                        label: m.label,
                        name: m.entity.to_string(),
                        aliases: Vec::new(),
                        count: 0,
                        articles: Vec::new(),
                    });
                    idx.entities.len() - 1
                });
                let entity = &mut idx.entities[e];
                entity.count += 1;
                if entity.articles.last() != Some(&(doc as u32)) {
                    entity.articles.push(doc as u32);
                }
                let text = (articles.get(doc))
                    .and_then(|a| a.source().get(m.span.range()))
                    .unwrap_or_default();
                if !entity.aliases.iter().any(|a| a == text) {
                    entity.aliases.push(text.to_string());
                }
            }
        }
        drop(by_name);
        // Aliases find their entity too (lower case).
        let mut by_alias = HashMap::new();
        for (i, e) in idx.entities.iter().enumerate() {
            by_alias.insert((e.label, lower(&e.name)), i);
            for a in &e.aliases {
                by_alias.entry((e.label, lower(a))).or_insert(i);
            }
        }
        idx.by_name = by_alias;
        idx.mentions = mentions;
        idx
    }

    /// Keeps `recognized` as the articles' mentions before linking: an empty list for each
    /// article whose mentions are kept elsewhere (a corpus keeps those it recognised ahead).
    pub(crate) fn keep_recognized(&mut self, recognized: Vec<Vec<(Span, Label)>>) {
        self.recognized = recognized;
    }

    /// Article `doc`'s mentions as recognised, before linking.
    pub(crate) fn recognized(&self, doc: usize) -> Option<&[(Span, Label)]> {
        self.recognized.get(doc).map(Vec::as_slice)
    }

    /// The linked mentions of article `doc`, in text order.
    pub fn mentions(&self, doc: u32) -> &[Mention] {
        self.mentions.get(doc as usize).map_or(&[], Vec::as_slice)
    }

    /// The entities, most mentioned first (ties by name), optionally of one label.
    pub fn entities(&self, label: Option<Label>) -> Vec<&Entity> {
        let mut v: Vec<&Entity> = self
            .entities
            .iter()
            .filter(|e| label.is_none_or(|l| e.label == l))
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        v
    }

    /// The entity a name (canonical or alias, any case) refers to, among `labels`.
    pub fn find(&self, name: &str, labels: &[Label]) -> Option<&Entity> {
        let key = lower(name.trim());
        labels
            .iter()
            .find_map(|l| self.by_name.get(&(*l, key.clone())))
            .map(|&i| &self.entities[i])
    }

    /// Every name [`EntityIndex::find`] knows (label and lower-case form) with the articles of
    /// the entity it finds, in no particular order.
    pub(crate) fn names(&self) -> impl Iterator<Item = (Label, &str, &[u32])> {
        (self.by_name.iter())
            .map(|((l, name), &i)| (*l, name.as_str(), self.entities[i].articles.as_slice()))
    }

    /// Entities sharing articles with `entity`, with how many articles they share, most first.
    pub fn cooccurring(&self, entity: &Entity) -> Vec<(&Entity, usize)> {
        let mut v: Vec<(&Entity, usize)> = self
            .entities
            .iter()
            .filter(|e| {
                !(e.label == entity.label && e.name == entity.name) && e.label != Label::Date
            })
            .filter_map(|e| {
                let shared = e
                    .articles
                    .iter()
                    .filter(|d| entity.articles.binary_search(d).is_ok())
                    .count();
                (shared > 0).then_some((e, shared))
            })
            .collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(b.0.count.cmp(&a.0.count))
                .then(a.0.name.cmp(&b.0.name))
        });
        v
    }
}
