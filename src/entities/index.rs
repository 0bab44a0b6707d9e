//! The entities of a corpus: linked mentions per article, entities with their aliases, counts
//! and articles, and co-occurrence.

use super::{link, lower, ArticleAt, Label, Mention};
use crate::article::{Article, Span};
use crate::hash::FxMap;
use crate::interner::Interner;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

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
    /// Each article's linked mentions. A list per article, not one for the corpus: each is
    /// made as the linker's list for the article is let go, where one list would be a block
    /// as large as the corpus's mentions made while all the linker's lists are still held
    /// (at 100 MB of text, 17 MB more at the module's high-water mark).
    mentions: Vec<Box<[Stored]>>,
    entities: Vec<Entity>,
    /// By entity number, its name as its mentions share it.
    shared_names: Vec<Arc<str>>,
    /// Every name [`EntityIndex::find`] knows: the label's place in [`Label::ALL`] as a
    /// character, then the name in lower case; and by that key's number, the entity's.
    names: Interner,
    name_entities: Vec<u32>,
}

/// A linked mention as the index keeps it (12 bytes): where it is and its entity's number (its
/// label is the entity's).
#[derive(Clone, Copy, Debug)]
struct Stored {
    start: u32,
    end: u32,
    entity: u32,
}

/// Each article's mentions with their forms, each article's text from `article` (read one at
/// a time).
fn with_forms<'a, 't: 'a>(
    mentions: Vec<Vec<Mention>>,
    article: &'a ArticleAt<'a, 't>,
) -> impl ExactSizeIterator<Item = Vec<(Mention, String)>> + use<'a, 't> {
    mentions.into_iter().enumerate().map(move |(doc, ms)| {
        let a = if ms.is_empty() { None } else { article(doc) };
        let source = a.as_deref().map_or("", Article::source);
        (ms.into_iter())
            .map(|m| {
                let form = source.get(m.span.range()).unwrap_or_default().to_string();
                (m, form)
            })
            .collect()
    })
}

/// The key [`EntityIndex::find`] looks `name` (lower case) up by under `label`.
fn name_key(label: Label, name: &str, out: &mut String) {
    out.clear();
    let at = Label::ALL.iter().position(|&l| l == label).unwrap_or(0);
    out.push(char::from(b'0' + at as u8));
    out.push_str(name);
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
        let article = |i: usize| recognized.get(i).map(|(a, _)| Cow::Borrowed(*a));
        let mut idx = EntityIndex::from_linked(with_forms(mentions, &article));
        idx.recognized = recognized.into_iter().map(|(_, ms)| ms).collect();
        idx
    }

    /// This index with `curation` applied (`articles` in article-id order, as it was built
    /// from), and what the curation did. The curated index keeps no recognised mentions: an
    /// index file stores the machine's mentions, and the curation apart.
    pub(crate) fn curated<'t>(
        &self,
        article: &ArticleAt<'_, 't>,
        curation: &super::Curation,
    ) -> (EntityIndex, super::CurationReport) {
        let mut mentions: Vec<Vec<Mention>> = (0..self.mentions.len() as u32)
            .map(|d| self.mentions(d))
            .collect();
        let report = super::curate::curate(article, &mut mentions, curation);
        (
            EntityIndex::from_linked(with_forms(mentions, article)),
            report,
        )
    }

    /// Entities, aliases, counts and articles from each article's linked mentions, each with
    /// its text as written (its form, an alias of its entity).
    pub(crate) fn from_linked<F: AsRef<str>>(
        mentions: impl IntoIterator<Item = Vec<(Mention, F)>>,
    ) -> EntityIndex {
        let mentions = mentions.into_iter();
        let mut idx = EntityIndex::default();
        let mut by_name: FxMap<(Label, Arc<str>), u32> = FxMap::default();
        idx.mentions.reserve_exact(mentions.size_hint().0);
        // Each article's linked mentions are let go once kept in the index's own form.
        for (doc, ms) in mentions.into_iter().enumerate() {
            let mut kept = Vec::with_capacity(ms.len());
            for (m, form) in ms {
                let key = (m.label, m.entity.clone());
                let e = *by_name.entry(key).or_insert_with(|| {
                    idx.entities.push(Entity {
                        label: m.label,
                        name: m.entity.to_string(),
                        aliases: Vec::new(),
                        count: 0,
                        articles: Vec::new(),
                    });
                    idx.shared_names.push(m.entity.clone());
                    idx.entities.len() as u32 - 1
                });
                let entity = &mut idx.entities[e as usize];
                entity.count += 1;
                if entity.articles.last() != Some(&(doc as u32)) {
                    entity.articles.push(doc as u32);
                }
                let text = form.as_ref();
                if !entity.aliases.iter().any(|a| a == text) {
                    entity.aliases.push(text.to_string());
                }
                kept.push(Stored {
                    start: m.span.start as u32,
                    end: m.span.end as u32,
                    entity: e,
                });
            }
            idx.mentions.push(kept.into_boxed_slice());
        }
        drop(by_name);
        // Names find their entity in any case (the last entity of a name wins), and aliases
        // too, unless the name is taken.
        let mut key = String::new();
        for (i, e) in idx.entities.iter().enumerate() {
            name_key(e.label, &lower(&e.name), &mut key);
            match idx.names.insert(&key) {
                (_, true) => idx.name_entities.push(i as u32),
                (n, false) => idx.name_entities[n as usize] = i as u32,
            }
        }
        for (i, e) in idx.entities.iter().enumerate() {
            for alias in &e.aliases {
                name_key(e.label, &lower(alias), &mut key);
                if idx.names.insert(&key).1 {
                    idx.name_entities.push(i as u32);
                }
            }
        }
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
    pub fn mentions(&self, doc: u32) -> Vec<Mention> {
        (self.stored(doc).iter())
            .map(|m| Mention {
                span: Span::new(m.start as usize, m.end as usize),
                label: self.entities[m.entity as usize].label,
                entity: self.shared_names[m.entity as usize].clone(),
            })
            .collect()
    }

    /// The linked mentions of article `doc` as views mark them, in text order.
    pub(crate) fn marks(&self, doc: u32) -> Vec<crate::view::Mark<'_>> {
        (self.stored(doc).iter())
            .map(|m| crate::view::Mark {
                span: Span::new(m.start as usize, m.end as usize),
                label: self.entities[m.entity as usize].label,
                entity: &self.entities[m.entity as usize].name,
            })
            .collect()
    }

    /// Article `doc`'s mentions as kept.
    fn stored(&self, doc: u32) -> &[Stored] {
        self.mentions.get(doc as usize).map_or(&[], |m| &m[..])
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
        let name = lower(name.trim());
        let mut key = String::new();
        labels.iter().find_map(|&l| {
            name_key(l, &name, &mut key);
            let n = self.names.find(&key)?;
            Some(&self.entities[self.name_entities[n as usize] as usize])
        })
    }

    /// Every name [`EntityIndex::find`] knows (label and lower-case form) with the articles of
    /// the entity it finds, in no particular order.
    pub(crate) fn names(&self) -> impl Iterator<Item = (Label, &str, &[u32])> {
        (self.names.iter()).map(|(n, key)| {
            let e = &self.entities[self.name_entities[n as usize] as usize];
            // The key's first character is the label's (one byte), the name follows.
            (e.label, &key[1..], e.articles.as_slice())
        })
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
