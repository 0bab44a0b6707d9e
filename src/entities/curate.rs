//! Curation: a person's corrections to the machine's entities — merge two into one, split an
//! alias off, rename, relabel, hide — kept as a list of changes and applied in order to the
//! linked mentions, so marks, counts, co-occurrence, filters and exports all follow at once.
//!
//! A change names its entity by label and canonical name as they are when it applies (after
//! the changes before it). A change whose entity no longer exists (the corpus changed) does
//! nothing and is counted as stale; nothing fails. Undo is dropping the last change.

use super::{lower, Label, Mention};
use crate::article::Article;
use serde::{Deserialize, Serialize};

/// An entity as a change names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRef {
    /// Its canonical name.
    pub name: String,
    /// Its label.
    pub label: Label,
}

/// One correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Change {
    /// `entity` and `into` become one entity, named `name` (else `into`'s name), with
    /// `into`'s label.
    Merge {
        /// The entity merged away.
        entity: EntityRef,
        /// The entity it joins.
        into: EntityRef,
        /// The canonical name of the result.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The mentions of `entity` written as `alias` (any case) become an entity of their own,
    /// named `alias`.
    Split {
        /// The entity.
        entity: EntityRef,
        /// The alias taken out.
        alias: String,
    },
    /// The entity's canonical name becomes `name`.
    Rename {
        /// The entity.
        entity: EntityRef,
        /// Its new name.
        name: String,
    },
    /// The entity's label becomes `label`.
    Relabel {
        /// The entity.
        entity: EntityRef,
        /// Its new label.
        label: Label,
    },
    /// The entity is no entity: its mentions are dropped.
    Hide {
        /// The entity.
        entity: EntityRef,
    },
}

/// A list of corrections, applied in order; the file form is this as JSON:
/// `{"changes": [{"op": "merge", "entity": {"name": "Doe", "label": "PERSON"}, "into": {...},
/// "name": "John Doe"}, ...]}`.
///
/// ```
/// use newslens::{Change, Curation, EntityRef, Label};
/// let mut corpus = newslens::Corpus::seeds();
/// let before = corpus.entities().find("Kem Sokha", &[Label::Person]).unwrap().count;
/// let sokha = EntityRef { name: "Kem Sokha".into(), label: Label::Person };
/// let curation = Curation {
///     changes: vec![Change::Rename { entity: sokha, name: "KEM Sokha".into() }],
/// };
/// assert_eq!(corpus.set_curation(curation).stale, 0);
/// let renamed = corpus.entities().find("kem sokha", &[Label::Person]).unwrap();
/// assert_eq!((renamed.name.as_str(), renamed.count), ("KEM Sokha", before));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Curation {
    /// The changes, oldest first.
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// What applying a curation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CurationReport {
    /// Changes that found their entity.
    pub applied: usize,
    /// Changes whose entity was not there (it changed, or the articles naming it went).
    pub stale: usize,
}

/// Applies `curation` to linked `mentions` (per article, `articles` in the same order).
pub(crate) fn curate(
    articles: &[&Article],
    mentions: &mut [Vec<Mention>],
    curation: &Curation,
) -> CurationReport {
    let mut report = CurationReport::default();
    for change in &curation.changes {
        let target = match change {
            Change::Merge { entity, .. }
            | Change::Split { entity, .. }
            | Change::Rename { entity, .. }
            | Change::Relabel { entity, .. }
            | Change::Hide { entity } => entity,
        };
        let is = |m: &Mention, r: &EntityRef| m.label == r.label && m.entity == r.name;
        let mut found = false;
        for (doc, ms) in mentions.iter_mut().enumerate() {
            let source = articles.get(doc).map_or("", |a| a.source());
            for m in ms.iter_mut() {
                if let Change::Merge { into, name, .. } = change {
                    if is(m, into) {
                        if let Some(n) = name {
                            m.entity.clone_from(n);
                        }
                        continue;
                    }
                }
                if !is(m, target) {
                    continue;
                }
                found = true;
                match change {
                    Change::Merge { into, name, .. } => {
                        m.label = into.label;
                        m.entity.clone_from(name.as_ref().unwrap_or(&into.name));
                    }
                    Change::Split { alias, .. } => {
                        let text = source.get(m.span.range()).unwrap_or("");
                        if lower(text) == lower(alias) {
                            m.entity.clone_from(alias);
                        }
                    }
                    Change::Rename { name, .. } => m.entity.clone_from(name),
                    Change::Relabel { label, .. } => m.label = *label,
                    Change::Hide { .. } => {}
                }
            }
            if let Change::Hide { entity } = change {
                ms.retain(|m| !is(m, entity));
            }
        }
        if found {
            report.applied += 1;
        } else {
            report.stale += 1;
        }
    }
    report
}
