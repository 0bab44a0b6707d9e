//! Curation: merge, split, rename, relabel and hide, each applied everywhere at once (marks,
//! counts, co-occurrence, entity filters, dates), undone by dropping it, and stale when the
//! corpus no longer holds its entity. On articles written here.

#![allow(clippy::unwrap_used)]

use newslens::{parse_text, Change, Corpus, Curation, EntityRef, Label};

fn corpus() -> Corpus {
    let texts = [
        "Port deal signed\n\nKAMPOT, June 3, 2017 - Governor Mao Sokhan signed the port deal with \
         Apsara Shipping Ltd on Monday. Mao Sokhan said the port would open in 2019.\n",
        "Port opens\n\nKAMPOT, Nov. 19, 2019 - The port opened. Governor Sokhan thanked Apsara \
         Shipping Ltd and the Ministry of Commerce.\n",
        "Fishermen protest\n\nKEP, Dec. 2, 2019 - Fishermen protested against Apsara Shipping Ltd \
         in Kep. Sok Dara, a fisherman, said the port had cut their catch.\n",
    ];
    let mut c = Corpus::new();
    for (i, t) in texts.iter().enumerate() {
        c.add(format!("{i}.txt"), parse_text(t).unwrap());
    }
    c
}

fn r(name: &str, label: Label) -> EntityRef {
    EntityRef {
        name: name.into(),
        label,
    }
}

/// (name, label, count, articles) of every entity but dates, sorted.
fn table(c: &Corpus) -> Vec<(String, Label, usize, usize)> {
    let mut v: Vec<_> = (c.entities().entities(None).into_iter())
        .filter(|e| e.label != Label::Date)
        .map(|e| (e.name.to_string(), e.label, e.count, e.articles.len()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    v
}

fn find(c: &Corpus, name: &str) -> Option<(String, Label, usize)> {
    table(c)
        .into_iter()
        .find(|e| e.0 == name)
        .map(|(n, l, k, _)| (n, l, k))
}

/// Every entity name a mark in article `doc` carries.
fn marks(c: &Corpus, doc: u32) -> Vec<String> {
    let d = c.get(doc).unwrap();
    let view = c.article_view(&d, None);
    let mut v: Vec<String> = (view.fields.iter())
        .flat_map(|f| &f.segments)
        .filter_map(|s| s.entity.map(str::to_string))
        .collect();
    v.dedup();
    v
}

#[test]
fn the_machine_entities_this_test_starts_from() {
    let c = corpus();
    assert_eq!(
        find(&c, "Mao Sokhan"),
        Some(("Mao Sokhan".into(), Label::Person, 2))
    );
    assert_eq!(
        find(&c, "Sokhan"),
        Some(("Sokhan".into(), Label::Person, 1))
    );
    assert_eq!(find(&c, "Apsara Shipping Ltd").map(|e| e.2), Some(3));
    assert!(find(&c, "Sok Dara").is_some());
}

#[test]
fn each_change_applies_everywhere_and_undoes() {
    let base = corpus();
    let sokhan = || r("Mao Sokhan", Label::Person);
    let merge = || Change::Merge {
        entity: r("Sokhan", Label::Person),
        into: sokhan(),
        name: None,
    };
    // (changes, what must hold after them)
    type Check = fn(&Corpus);
    let cases: Vec<(Vec<Change>, Check)> = vec![
        (
            vec![Change::Rename {
                entity: sokhan(),
                name: "H.E. Mao Sokhan".into(),
            }],
            |c| {
                assert_eq!(find(c, "Mao Sokhan"), None);
                assert_eq!(find(c, "H.E. Mao Sokhan").unwrap().2, 2);
                assert!(marks(c, 0).contains(&"H.E. Mao Sokhan".to_string()));
                assert_eq!(c.search("person:\"H.E. Mao Sokhan\"", 10).total, 1);
            },
        ),
        (
            vec![Change::Relabel {
                entity: r("Apsara Shipping Ltd", Label::Org),
                label: Label::Person,
            }],
            |c| {
                assert_eq!(find(c, "Apsara Shipping Ltd").unwrap().1, Label::Person);
                assert_eq!(c.search("person:\"Apsara Shipping Ltd\"", 10).total, 3);
                // (An org: filter naming no organisation searches the words instead.)
                assert!(c
                    .entities()
                    .find("Apsara Shipping Ltd", &[Label::Org])
                    .is_none());
            },
        ),
        (
            vec![Change::Hide {
                entity: r("Apsara Shipping Ltd", Label::Org),
            }],
            |c| {
                assert_eq!(find(c, "Apsara Shipping Ltd"), None);
                assert!(!marks(c, 0).contains(&"Apsara Shipping Ltd".to_string()));
                let shared = c.cooccurring_view("Mao Sokhan", &[Label::Person], 50);
                assert!(!shared.is_empty());
                assert!(shared.iter().all(|s| s.entity != "Apsara Shipping Ltd"));
            },
        ),
        (vec![merge()], |c| {
            assert_eq!(find(c, "Sokhan"), None);
            assert_eq!(find(c, "Mao Sokhan").unwrap().2, 3);
            let e = c.entities().find("sokhan", &[Label::Person]).unwrap();
            assert_eq!((e.name, e.articles), ("Mao Sokhan", &[0, 1][..]));
            assert!(marks(c, 1).contains(&"Mao Sokhan".to_string()));
            assert_eq!(c.search("person:\"Mao Sokhan\"", 10).total, 2);
            let view = c.entities_view(Some(Label::Person), 50);
            let merged = view.iter().find(|e| e.entity == "Mao Sokhan").unwrap();
            assert_eq!(merged.last.as_deref(), Some("2019-11-19"));
        }),
        (
            vec![
                Change::Merge {
                    entity: r("Sok Dara", Label::Person),
                    into: sokhan(),
                    name: Some("Governor".into()),
                },
                Change::Split {
                    entity: r("Governor", Label::Person),
                    alias: "sok dara".into(),
                },
            ],
            |c| {
                assert_eq!(find(c, "Governor").unwrap().2, 2);
                assert_eq!(find(c, "sok dara").unwrap().2, 1);
                assert!(marks(c, 2).contains(&"sok dara".to_string()));
            },
        ),
    ];
    for (changes, check) in cases {
        let mut c = corpus();
        let report = c.set_curation(Curation {
            changes: changes.clone(),
        });
        assert_eq!(
            (report.applied, report.stale),
            (changes.len(), 0),
            "{changes:?}"
        );
        check(&c);
        // Undo: the changes dropped, the machine's entities are back.
        assert_eq!(c.set_curation(Curation::default()).applied, 0);
        assert_eq!(table(&c), table(&base), "{changes:?} undone");
    }
}

#[test]
fn changes_apply_in_order_and_a_stale_one_does_nothing() {
    let mut c = corpus();
    let report = c.set_curation(Curation {
        changes: vec![
            Change::Rename {
                entity: r("Mao Sokhan", Label::Person),
                name: "Sokhan Mao".into(),
            },
            // Names the entity by its name after the rename.
            Change::Relabel {
                entity: r("Sokhan Mao", Label::Person),
                label: Label::Org,
            },
            // No such entity (any more).
            Change::Hide {
                entity: r("Mao Sokhan", Label::Person),
            },
        ],
    });
    assert_eq!((report.applied, report.stale), (2, 1));
    assert_eq!(find(&c, "Sokhan Mao").unwrap().1, Label::Org);
    // The corpus changes under the curation: it is applied again, nothing is lost.
    c.remove_file(2);
    assert_eq!(find(&c, "Sokhan Mao").unwrap().1, Label::Org);
    assert!(find(&c, "Sok Dara").is_none());
    assert_eq!(c.curation().changes.len(), 3);
}

#[test]
fn the_file_form_is_small_json() {
    let curation = Curation {
        changes: vec![
            Change::Merge {
                entity: r("Doe", Label::Person),
                into: r("John Doe", Label::Person),
                name: None,
            },
            Change::Hide {
                entity: r("Reuters", Label::Org),
            },
        ],
    };
    let json = serde_json::to_string(&curation).unwrap();
    assert_eq!(
        json,
        r#"{"changes":[{"op":"merge","entity":{"name":"Doe","label":"PERSON"},"into":{"name":"John Doe","label":"PERSON"}},{"op":"hide","entity":{"name":"Reuters","label":"ORG"}}]}"#
    );
    let back: Curation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, curation);
    assert!(serde_json::from_str::<Curation>(r#"{"changes":[{"op":"explode"}]}"#).is_err());
}
