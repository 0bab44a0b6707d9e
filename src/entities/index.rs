//! The entities of a corpus: linked mentions per article, entities with their aliases, counts
//! and articles, and co-occurrence.

use super::{link, lower, ArticleAt, Label, Mention};
use crate::article::{Article, Span};
use crate::hash::FxMap;
use crate::interner::Interner;
use std::borrow::Cow;
use std::sync::Arc;

/// One entity of a corpus, as its index lends it.
///
/// ```
/// use newslens::Label;
/// let corpus = newslens::Corpus::seeds();
/// let sokha = corpus.entities().find("sokha", &[Label::Person]).unwrap();
/// assert_eq!(sokha.name, "Kem Sokha");
/// assert!(sokha.articles.len() >= 3);
/// assert!(sokha.aliases().any(|a| a == "Sokha"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Entity<'a> {
    /// Its label.
    pub label: Label,
    /// Its canonical name.
    pub name: &'a str,
    /// Number of mentions.
    pub count: usize,
    /// The articles mentioning it, ascending.
    pub articles: &'a [u32],
    /// Its forms' numbers in `forms`.
    aliases: &'a [u32],
    forms: &'a Forms,
}

impl<'a> Entity<'a> {
    /// Every form it was mentioned by (the name among them unless a curation renamed it), in
    /// the order the corpus first used them.
    pub fn aliases(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let forms = self.forms;
        self.aliases.iter().map(move |&id| forms.get(id))
    }
}

impl PartialEq for Entity<'_> {
    fn eq(&self, other: &Self) -> bool {
        (self.label, self.name, self.count, self.articles)
            == (other.label, other.name, other.count, other.articles)
            && self.aliases().eq(other.aliases())
    }
}

impl Eq for Entity<'_> {}

/// The entities' names and forms, end to end (an interner's layout without its table: nothing
/// looks a form up by its text once the index is built).
#[derive(Clone, Debug, Default)]
struct Forms {
    text: String,
    ends: Vec<u32>,
}

impl Forms {
    fn get(&self, id: u32) -> &str {
        crate::interner::slice(&self.text, &self.ends, id)
    }
}

/// An entity as the index keeps it (20 bytes): its name's number in `forms`, and where its
/// aliases and articles end in the index's lists of them (each starts where the entity
/// before's ends). Each entity used to be an `Entity` struct with its own strings and lists:
/// on the BBC set the module's live memory after linking went from 14.66 to 13.23 MB.
#[derive(Clone, Copy, Debug)]
struct Record {
    label: Label,
    name: u32,
    count: u32,
    aliases: u32,
    articles: u32,
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
/// assert!(!index.cooccurring(&people[0]).is_empty());
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
    /// By entity number.
    records: Vec<Record>,
    forms: Forms,
    /// The entities' aliases (numbers in `forms`) and articles, entity after entity.
    aliases: Vec<u32>,
    articles: Vec<u32>,
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

/// An entity index being built, article after article.
///
/// Built with lists rather than hash maps where it can: the hand-over from linking was the
/// module's high-water mark on the BBC set, and a map's table doubles in one block.
#[derive(Default)]
struct Build {
    idx: EntityIndex,
    /// By name number: the first entity of that name, and the others (another label).
    by_name: Vec<u32>,
    others: FxMap<(Label, u32), u32>,
    /// Each entity's forms, (entity, form, the entity's form before in this list), the first
    /// time the entity is mentioned so, in mention order; and by entity, its last form here.
    firsts: Vec<(u32, u32, u32)>,
    last_form: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Build {
    /// The entity of `name` (a name number) under `label`, made if need be.
    fn entity(&mut self, label: Label, name: u32) -> u32 {
        let n = name as usize;
        if n >= self.by_name.len() {
            self.by_name.resize(n + 1, NONE);
        }
        let first = self.by_name[n];
        if first == NONE {
            let e = self.new_entity(label, name);
            self.by_name[n] = e;
            e
        } else if self.idx.records[first as usize].label == label {
            first
        } else if let Some(&e) = self.others.get(&(label, name)) {
            e
        } else {
            let e = self.new_entity(label, name);
            self.others.insert((label, name), e);
            e
        }
    }

    fn new_entity(&mut self, label: Label, name: u32) -> u32 {
        self.idx.records.push(Record {
            label,
            name,
            count: 0,
            aliases: 0,
            articles: 0,
        });
        self.last_form.push(NONE);
        self.idx.records.len() as u32 - 1
    }

    /// Adds the next article's mentions: (span, label, name, form), names and forms by number.
    fn article(&mut self, ms: impl Iterator<Item = link::Numbered>) {
        let mut kept = Vec::with_capacity(ms.size_hint().0);
        for (span, label, name, form) in ms {
            let e = self.entity(label, name);
            self.idx.records[e as usize].count += 1;
            // An entity has few forms: they are looked through.
            let mut at = self.last_form[e as usize];
            while at != NONE && self.firsts[at as usize].1 != form {
                at = self.firsts[at as usize].2;
            }
            if at == NONE {
                let before = self.last_form[e as usize];
                self.last_form[e as usize] = self.firsts.len() as u32;
                self.firsts.push((e, form, before));
            }
            kept.push(Stored {
                start: span.start as u32,
                end: span.end as u32,
                entity: e,
            });
        }
        self.idx.mentions.push(kept.into_boxed_slice());
    }

    /// The index, its names and forms the texts `forms` (end to end, and where each ends).
    fn finish(self, (text, ends): (String, Vec<u32>)) -> EntityIndex {
        let Build {
            mut idx,
            by_name,
            others,
            mut firsts,
            last_form,
        } = self;
        drop((by_name, others, last_form));
        let n = idx.records.len();
        // The aliases, grouped by entity (a stable sort keeps each one's first-use order).
        firsts.sort_by_key(|&(e, _, _)| e);
        let mut counts = vec![0u32; n];
        for &(e, _, _) in &firsts {
            counts[e as usize] += 1;
        }
        idx.aliases = firsts.into_iter().map(|(_, form, _)| form).collect();
        let mut sum = 0;
        for (r, k) in idx.records.iter_mut().zip(&counts) {
            sum += k;
            r.aliases = sum;
        }
        // The articles, grouped by entity: counted, then placed (ascending, as articles come).
        let mut last = vec![u32::MAX; n];
        counts.fill(0);
        for (doc, ms) in idx.mentions.iter().enumerate() {
            for m in ms.iter() {
                let e = m.entity as usize;
                if last[e] != doc as u32 {
                    last[e] = doc as u32;
                    counts[e] += 1;
                }
            }
        }
        let mut sum = 0;
        let mut at = counts; // each entity's next place
        for (r, k) in idx.records.iter_mut().zip(at.iter_mut()) {
            let start = sum;
            sum += *k;
            r.articles = sum;
            *k = start;
        }
        idx.articles = vec![0; sum as usize];
        last.fill(u32::MAX);
        for (doc, ms) in idx.mentions.iter().enumerate() {
            for m in ms.iter() {
                let e = m.entity as usize;
                if last[e] != doc as u32 {
                    last[e] = doc as u32;
                    idx.articles[at[e] as usize] = doc as u32;
                    at[e] += 1;
                }
            }
        }
        drop((last, at));
        idx.forms = Forms { text, ends };
        // Names find their entity in any case (the last entity of a name wins), and aliases
        // too, unless the name is taken.
        let (mut names, mut name_entities) = (Interner::default(), Vec::new());
        let mut key = String::new();
        for i in 0..n {
            let e = idx.entity(i as u32);
            name_key(e.label, &lower(e.name), &mut key);
            match names.insert(&key) {
                (_, true) => name_entities.push(i as u32),
                (k, false) => name_entities[k as usize] = i as u32,
            }
        }
        for i in 0..n {
            let e = idx.entity(i as u32);
            for alias in e.aliases() {
                name_key(e.label, &lower(alias), &mut key);
                if names.insert(&key).1 {
                    name_entities.push(i as u32);
                }
            }
        }
        (idx.names, idx.name_entities) = (names, name_entities);
        idx
    }
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
        let mut forms = Interner::default();
        let mut build = Build::default();
        build.idx.mentions.reserve_exact(mentions.size_hint().0);
        for ms in mentions {
            build.article(ms.into_iter().map(|(m, form)| {
                let name = forms.insert(&m.entity).0;
                (m.span, m.label, name, forms.insert(form.as_ref()).0)
            }));
        }
        build.finish(forms.into_strings())
    }

    /// The index of what linking found (`mentions`: each article's recognised mentions, as
    /// linking was given them). The mentions' names and forms come as numbers of the texts
    /// linking kept, which the index keeps as they are.
    pub(crate) fn from_linking(linked: link::Linked, mentions: &[&[(Span, Label)]]) -> EntityIndex {
        let (forms, articles) = linked.into_numbered(mentions);
        let mut build = Build::default();
        build.idx.mentions.reserve_exact(articles.len());
        for ms in articles {
            build.article(ms.into_iter());
        }
        build.finish(forms)
    }

    /// Entity `e` (a number the index gave, as [`EntityIndex::ranked`] does).
    pub(crate) fn entity(&self, e: u32) -> Entity<'_> {
        let i = e as usize;
        let r = self.records[i];
        let (aliases, articles) = match i.checked_sub(1) {
            Some(p) => (self.records[p].aliases, self.records[p].articles),
            None => (0, 0),
        };
        Entity {
            label: r.label,
            name: self.forms.get(r.name),
            count: r.count as usize,
            articles: &self.articles[articles as usize..r.articles as usize],
            aliases: &self.aliases[aliases as usize..r.aliases as usize],
            forms: &self.forms,
        }
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
        // An entity's mentions share its name.
        let mut shared: FxMap<u32, Arc<str>> = FxMap::default();
        (self.stored(doc).iter())
            .map(|m| {
                let r = self.records[m.entity as usize];
                let entity = shared
                    .entry(r.name)
                    .or_insert_with(|| self.forms.get(r.name).into());
                Mention {
                    span: Span::new(m.start as usize, m.end as usize),
                    label: r.label,
                    entity: entity.clone(),
                }
            })
            .collect()
    }

    /// The linked mentions of article `doc` as views mark them, in text order.
    pub(crate) fn marks(&self, doc: u32) -> Vec<crate::view::Mark<'_>> {
        (self.stored(doc).iter())
            .map(|m| {
                let r = self.records[m.entity as usize];
                crate::view::Mark {
                    span: Span::new(m.start as usize, m.end as usize),
                    label: r.label,
                    entity: self.forms.get(r.name),
                }
            })
            .collect()
    }

    /// Article `doc`'s mentions as kept.
    fn stored(&self, doc: u32) -> &[Stored] {
        self.mentions.get(doc as usize).map_or(&[], |m| &m[..])
    }

    /// The entities, most mentioned first (ties by name), optionally of one label.
    pub fn entities(&self, label: Option<Label>) -> Vec<Entity<'_>> {
        self.ranked(label).map(|e| self.entity(e)).collect()
    }

    /// [`EntityIndex::entities`] as numbers (sorted as 4-byte numbers rather than as
    /// entities, and made into entities only as far as a caller reads).
    pub(crate) fn ranked(
        &self,
        label: Option<Label>,
    ) -> impl ExactSizeIterator<Item = u32> + use<'_> {
        let mut v: Vec<u32> = (0..self.records.len() as u32)
            .filter(|&e| label.is_none_or(|l| self.records[e as usize].label == l))
            .collect();
        let name = |e: u32| self.forms.get(self.records[e as usize].name);
        v.sort_by(|&a, &b| {
            let (x, y) = (self.records[a as usize], self.records[b as usize]);
            y.count.cmp(&x.count).then(name(a).cmp(name(b)))
        });
        v.into_iter()
    }

    /// The entity a name (canonical or alias, any case) refers to, among `labels`.
    pub fn find(&self, name: &str, labels: &[Label]) -> Option<Entity<'_>> {
        let name = lower(name.trim());
        let mut key = String::new();
        labels.iter().find_map(|&l| {
            name_key(l, &name, &mut key);
            let n = self.names.find(&key)?;
            Some(self.entity(self.name_entities[n as usize]))
        })
    }

    /// Every name [`EntityIndex::find`] knows (label and lower-case form) with the articles of
    /// the entity it finds, in no particular order.
    pub(crate) fn names(&self) -> impl Iterator<Item = (Label, &str, &[u32])> {
        (self.names.iter()).map(|(n, key)| {
            let e = self.entity(self.name_entities[n as usize]);
            // The key's first character is the label's (one byte), the name follows.
            (e.label, &key[1..], e.articles)
        })
    }

    /// Entities sharing articles with `entity`, with how many articles they share, most first.
    pub fn cooccurring(&self, entity: &Entity<'_>) -> Vec<(Entity<'_>, usize)> {
        let mut v: Vec<(Entity<'_>, usize)> = (0..self.records.len() as u32)
            .map(|e| self.entity(e))
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
                .then(a.0.name.cmp(b.0.name))
        });
        v
    }
}
