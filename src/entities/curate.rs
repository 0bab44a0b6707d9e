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

/// One correction. As JSON, an object whose `op` names the change (`"merge"`, `"split"`,
/// `"rename"`, `"relabel"`, `"hide"`), with the fields of that change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ChangeRecord", into = "ChangeRecord")]
pub enum Change {
    /// `entity` and `into` become one entity, named `name` (else `into`'s name), with
    /// `into`'s label.
    Merge {
        /// The entity merged away.
        entity: EntityRef,
        /// The entity it joins.
        into: EntityRef,
        /// The canonical name of the result.
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

/// A change as written: one flat record (read without buffering the object, which an
/// internally tagged enum would need: a smaller module).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct ChangeRecord {
    op: String,
    entity: Option<EntityRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    into: Option<EntityRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<Label>,
}

impl TryFrom<ChangeRecord> for Change {
    type Error = String;

    fn try_from(r: ChangeRecord) -> Result<Change, String> {
        let need = |what: &str| format!("a {} change needs {what}", r.op);
        let entity = r.entity.clone().ok_or_else(|| need("an entity"))?;
        Ok(match r.op.as_str() {
            "merge" => Change::Merge {
                entity,
                into: r.into.ok_or_else(|| need("into"))?,
                name: r.name,
            },
            "split" => Change::Split {
                entity,
                alias: r.alias.ok_or_else(|| need("an alias"))?,
            },
            "rename" => Change::Rename {
                entity,
                name: r.name.ok_or_else(|| need("a name"))?,
            },
            "relabel" => Change::Relabel {
                entity,
                label: r.label.ok_or_else(|| need("a label"))?,
            },
            "hide" => Change::Hide { entity },
            other => {
                return Err(format!(
                    "unknown change \"{other}\": use merge, split, rename, relabel or hide"
                ))
            }
        })
    }
}

impl From<Change> for ChangeRecord {
    fn from(c: Change) -> ChangeRecord {
        let record = |op: &str, entity: EntityRef| ChangeRecord {
            op: op.to_string(),
            entity: Some(entity),
            ..ChangeRecord::default()
        };
        match c {
            Change::Merge { entity, into, name } => ChangeRecord {
                into: Some(into),
                name,
                ..record("merge", entity)
            },
            Change::Split { entity, alias } => ChangeRecord {
                alias: Some(alias),
                ..record("split", entity)
            },
            Change::Rename { entity, name } => ChangeRecord {
                name: Some(name),
                ..record("rename", entity)
            },
            Change::Relabel { entity, label } => ChangeRecord {
                label: Some(label),
                ..record("relabel", entity)
            },
            Change::Hide { entity } => record("hide", entity),
        }
    }
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
/// assert_eq!((renamed.name, renamed.count), ("KEM Sokha", before));
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

/// Applies `curation` to linked `mentions` (per article), with the articles from `article`.
pub(crate) fn curate<'t>(
    article: &super::ArticleAt<'_, 't>,
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
        let is = |m: &Mention, r: &EntityRef| m.label == r.label && *m.entity == *r.name;
        // The name the change gives, made once and shared by the mentions it reaches.
        let given: Option<std::sync::Arc<str>> = match change {
            Change::Merge { into, name, .. } => Some(name.as_deref().unwrap_or(&into.name).into()),
            Change::Split { alias, .. } => Some(alias.as_str().into()),
            Change::Rename { name, .. } => Some(name.as_str().into()),
            Change::Relabel { .. } | Change::Hide { .. } => None,
        };
        let give = |m: &mut Mention| {
            if let Some(g) = &given {
                m.entity = g.clone();
            }
        };
        let mut found = false;
        for (doc, ms) in mentions.iter_mut().enumerate() {
            // The text is read only for a split, the one change that looks at it.
            let mut text: Option<Option<std::borrow::Cow<'t, Article>>> = None;
            for m in ms.iter_mut() {
                if let Change::Merge { into, name, .. } = change {
                    if is(m, into) {
                        if name.is_some() {
                            give(m);
                        }
                        continue;
                    }
                }
                if !is(m, target) {
                    continue;
                }
                found = true;
                match change {
                    Change::Merge { into, .. } => {
                        m.label = into.label;
                        give(m);
                    }
                    Change::Split { alias, .. } => {
                        let a = text.get_or_insert_with(|| article(doc));
                        let source = a.as_deref().map_or("", Article::source);
                        if lower(source.get(m.span.range()).unwrap_or("")) == lower(alias) {
                            give(m);
                        }
                    }
                    Change::Rename { .. } => give(m),
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
