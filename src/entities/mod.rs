//! Entities in articles, in three steps: `recognize` finds mentions in one article (the tagger
//! plus date rules and span conventions), `link` settles each mention's label and canonical
//! entity across an article and a corpus (a `Linker` whose phases are its methods), and
//! `index` ([`EntityIndex`]) keeps the linked mentions, entities, aliases and co-occurrence.
//!
//! Span conventions (OntoNotes): honorifics and titles stay outside names (`Mr.`, `Prime
//! Minister`), so does a possessive `’s`; an organisation named after a place is one span
//! (`Phnom Penh Municipal Court`); capitalised headline words are names only when the body
//! names them too.

mod curate;
mod index;
mod link;
#[cfg(feature = "entities")]
mod recognize;

pub use curate::{Change, Curation, CurationReport, EntityRef};
pub use index::{Entity, EntityIndex};
pub use link::link;
pub(crate) use link::{link_with, ArticleAt, Linking, READ_AHEAD_GAP};
#[cfg(feature = "entities")]
pub(crate) use recognize::recognize_with;

use crate::article::Span;
use serde::{Deserialize, Serialize};

/// Entity labels.
///
/// ```
/// use newslens::Label;
/// assert_eq!(Label::from_name("gpe"), Some(Label::Gpe));
/// assert_eq!((Label::Gpe.as_str(), Label::Gpe.noun()), ("GPE", "place"));
/// assert_eq!(Label::Person.filter(), Some("person:"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Label {
    /// People.
    #[serde(rename = "PERSON")]
    Person,
    /// Organisations.
    #[serde(rename = "ORG")]
    Org,
    /// Countries, cities, provinces and other places.
    #[serde(rename = "GPE")]
    Gpe,
    /// Dates: calendar dates, months, years, weekdays.
    #[serde(rename = "DATE")]
    Date,
    /// Nationalities and groups.
    #[serde(rename = "NORP")]
    Norp,
    /// Named events.
    #[serde(rename = "EVENT")]
    Event,
}

impl Label {
    /// The label's name: `PERSON`, `ORG`, `GPE`, `DATE`, `NORP`, `EVENT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Org => "ORG",
            Label::Gpe => "GPE",
            Label::Date => "DATE",
            Label::Norp => "NORP",
            Label::Event => "EVENT",
        }
    }

    /// What the label names, as a reader calls it: `person`, `organisation`, `place`, `date`,
    /// `group`, `event`.
    pub fn noun(self) -> &'static str {
        match self {
            Label::Person => "person",
            Label::Org => "organisation",
            Label::Gpe => "place",
            Label::Date => "date",
            Label::Norp => "group",
            Label::Event => "event",
        }
    }

    /// The query prefix that finds articles naming an entity of this label (`person:`,
    /// `org:`, `place:`; see [`Corpus::search`](crate::Corpus::search)), if the query language has one.
    pub fn filter(self) -> Option<&'static str> {
        match self {
            Label::Person => Some("person:"),
            Label::Org => Some("org:"),
            Label::Gpe => Some("place:"),
            _ => None,
        }
    }

    /// Every label.
    pub const ALL: [Label; 6] = [
        Label::Person,
        Label::Org,
        Label::Gpe,
        Label::Date,
        Label::Norp,
        Label::Event,
    ];

    /// The label named `name` (`PERSON`, `ORG`, `GPE`, `DATE`, `NORP`, `EVENT`, any case).
    pub fn from_name(name: &str) -> Option<Label> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// A mention of an entity in an article.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let doc = corpus.get(0).unwrap();
/// let source = doc.article.source();
/// for m in corpus.entities().mentions(0) {
///     // The text as written, and the entity it names ("CNRP" -> its full name).
///     assert!(!source[m.span.range()].is_empty() && !m.entity.is_empty());
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// Where it is in [`Article::source`](crate::Article::source).
    #[serde(flatten)]
    pub span: Span,
    /// Its label.
    pub label: Label,
    /// The canonical name of the entity it refers to (shared by its mentions).
    pub entity: std::sync::Arc<str>,
}

pub(crate) fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.chars().flat_map(char::to_lowercase).collect()
    }
}

/// An acronym: two to six capital letters and nothing else (`CNRP`, `NATO`; not `U.S.`, not
/// `I`).
fn is_acronym(s: &str) -> bool {
    (2..=6).contains(&s.chars().count()) && s.chars().all(char::is_uppercase)
}

/// The general-knowledge lists holding a word (any case, a final period aside).
fn lists_bits(w: &str) -> u8 {
    crate::lexicon::membership(&lower(w.trim_end_matches('.')))
}

use crate::lexicon::{CITY, COUNTRY, NATIONALITY};
