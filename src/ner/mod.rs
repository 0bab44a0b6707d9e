//! Named-entity recognition: a left-to-right tagger with an averaged perceptron over hashed
//! features, trained greedily on CoNLL-2003 English (`newslens train-ner`) and decoding with a
//! beam of two hypotheses.
//!
//! The tagger's labels are BILOU ([`Label`]) over four CoNLL types (PER, LOC, ORG, MISC); what
//! leaves it is BIO ([`Tag`]). The tagger works on sentences of
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

const KINDS: [Kind; 4] = [Kind::Per, Kind::Loc, Kind::Org, Kind::Misc];

impl Tag {
    /// The entity kind, if any.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Tag::O => None,
            Tag::B(k) | Tag::I(k) => Some(k),
        }
    }
}

/// The tagger's own labels (BILOU): a name of one word is `U`, a longer one `B`, `I`… `L`. The
/// last word of a name and a name of one word learn their own weights, which BIO's `I` and `B`
/// share with others; [`Tag`]s are what leaves the tagger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Label {
    O,
    B(Kind),
    I(Kind),
    L(Kind),
    U(Kind),
}

/// Number of labels.
pub(crate) const LABELS: usize = 17;

impl Label {
    /// Dense index in `0..LABELS`.
    pub(crate) fn index(self) -> usize {
        match self {
            Label::O => 0,
            Label::B(k) => 1 + k as usize,
            Label::I(k) => 5 + k as usize,
            Label::L(k) => 9 + k as usize,
            Label::U(k) => 13 + k as usize,
        }
    }

    /// The label with dense index `i`.
    pub(crate) fn from_index(i: usize) -> Label {
        match i {
            1..=4 => Label::B(KINDS[i - 1]),
            5..=8 => Label::I(KINDS[i - 5]),
            9..=12 => Label::L(KINDS[i - 9]),
            13..=16 => Label::U(KINDS[i - 13]),
            _ => Label::O,
        }
    }

    /// The entity kind, if any.
    pub(crate) fn kind(self) -> Option<Kind> {
        match self {
            Label::O => None,
            Label::B(k) | Label::I(k) | Label::L(k) | Label::U(k) => Some(k),
        }
    }

    /// True when this label may follow `prev`: inside a name (after `B` or `I`) only its `I`
    /// or `L`; elsewhere `O`, `B` or `U`.
    pub(crate) fn may_follow(self, prev: Label) -> bool {
        match prev {
            Label::B(k) | Label::I(k) => matches!(self, Label::I(j) | Label::L(j) if j == k),
            _ => matches!(self, Label::O | Label::B(_) | Label::U(_)),
        }
    }

    /// The labels of a BIO sequence.
    pub(crate) fn of_tags(tags: &[Tag]) -> Vec<Label> {
        let mut out = vec![Label::O; tags.len()];
        for (a, b, k) in spans(tags) {
            if b - a == 1 {
                out[a] = Label::U(k);
            } else {
                out[a] = Label::B(k);
                out[a + 1..b - 1].fill(Label::I(k));
                out[b - 1] = Label::L(k);
            }
        }
        out
    }

    /// The BIO tag (a name cut short at a sentence's end still ends there).
    pub(crate) fn tag(self) -> Tag {
        match self {
            Label::O => Tag::O,
            Label::B(k) | Label::U(k) => Tag::B(k),
            Label::I(k) | Label::L(k) => Tag::I(k),
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
