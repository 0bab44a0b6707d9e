//! Named-entity recognition: a greedy left-to-right tagger with an averaged perceptron over
//! hashed features, trained on CoNLL-2003 English (`newslens train-ner`).
//!
//! Tags are BIO over four CoNLL types (PER, LOC, ORG, MISC). The tagger works on sentences of
//! tokens; [`tokenize`] cuts article text into such tokens, keeping byte offsets, and splits
//! possessives off names (`Sokha’s` → `Sokha`, `’s`) as CoNLL does.
//!
//! Training is pure: it takes sentences and returns a [`Model`]; the CLI reads the files.

pub mod clusters;
pub mod eval;
mod features;
pub(crate) mod gazetteer;
mod model;
mod tokens;

pub(crate) use model::Tagger;
pub use model::{train, LabelledSentence, Model, TrainOptions};
pub use tokens::{sentences, tokenize, Token};

/// Entity types the tagger knows (CoNLL-2003's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// People.
    Per,
    /// Locations.
    Loc,
    /// Organisations.
    Org,
    /// Other names: nationalities, events, works.
    Misc,
}

impl Kind {
    /// CoNLL's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Per => "PER",
            Kind::Loc => "LOC",
            Kind::Org => "ORG",
            Kind::Misc => "MISC",
        }
    }

    /// Parses CoNLL's name.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "PER" => Some(Kind::Per),
            "LOC" => Some(Kind::Loc),
            "ORG" => Some(Kind::Org),
            "MISC" => Some(Kind::Misc),
            _ => None,
        }
    }
}

/// A BIO tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Outside any entity.
    O,
    /// First token of an entity.
    B(Kind),
    /// A later token of an entity.
    I(Kind),
}

/// Number of tags.
pub(crate) const TAGS: usize = 9;
const KINDS: [Kind; 4] = [Kind::Per, Kind::Loc, Kind::Org, Kind::Misc];

impl Tag {
    /// Dense index in `0..TAGS`.
    pub(crate) fn index(self) -> usize {
        match self {
            Tag::O => 0,
            Tag::B(k) => 1 + k as usize,
            Tag::I(k) => 5 + k as usize,
        }
    }

    /// The tag with dense index `i`.
    pub(crate) fn from_index(i: usize) -> Tag {
        match i {
            1..=4 => Tag::B(KINDS[i - 1]),
            5..=8 => Tag::I(KINDS[i - 5]),
            _ => Tag::O,
        }
    }

    /// The entity kind, if any.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Tag::O => None,
            Tag::B(k) | Tag::I(k) => Some(k),
        }
    }

    /// True when this tag may follow `prev` (an `I` continues an entity of its kind).
    pub(crate) fn may_follow(self, prev: Tag) -> bool {
        match self {
            Tag::I(k) => prev.kind() == Some(k),
            _ => true,
        }
    }
}

/// Entity spans `(first token, end token, kind)` of a BIO tag sequence.
pub(crate) fn spans(tags: &[Tag]) -> Vec<(usize, usize, Kind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for (i, t) in tags.iter().enumerate() {
        match *t {
            Tag::I(k) if open.is_some_and(|(_, o)| o == k) => {}
            Tag::B(k) | Tag::I(k) => {
                if let Some((s, o)) = open.take() {
                    out.push((s, i, o));
                }
                open = Some((i, k));
            }
            Tag::O => {
                if let Some((s, o)) = open.take() {
                    out.push((s, i, o));
                }
            }
        }
    }
    if let Some((s, o)) = open {
        out.push((s, tags.len(), o));
    }
    out
}
