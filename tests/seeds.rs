//! Every field of every bundled seed article, pinned.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use newslens::{parse, Article, Format, SEEDS};

struct Seed {
    file: &'static str,
    title: &'static str,
    publisher: Option<&'static str>,
    subtitle: Option<&'static str>,
    dateline: Option<&'static str>,
    /// Caption text and its credits.
    captions: &'static [(&'static str, &'static [&'static str])],
    /// The first (up to) six words of each body paragraph, in order.
    paragraph_starts: &'static [&'static str],
    credits: &'static [&'static str],
}

const TABLE: &[Seed] = &[
    Seed {
        file: "000_ab660a9d3fc4741e.txt",
        title: "Rainsy Wants to Defend Kem Sokha’s ‘Mistress’ From Attacks",
        publisher: None,
        subtitle: None,
        dateline: None,
        captions: &[
            ("Khem Chandaraty, an alleged mistress of deputy opposition leader Kem Sokha, leaves the Interior Ministry in Phnom Penh last month after being questioned by anti-terrorism police.", &["Siv Channa/The Cambodia Daily"]),
        ],
        paragraph_starts: &[
            "In a break from the CNRP’s",
            "Mr. Rainsy, who is living in",
            "“Dear Sochua, I think you and",
            "Mr. Sokha has refused to respond",
            "Ms. Chandaraty, who has publicly denied",
            "Asked what he wanted Ms. Sochua",
            "Ms. Sochua, who served as minister",
            "“Our people are not blind to",
            "CPP spokesman Sok Eysan denied the",
            "“It is nothing related to the",
            "“The matter occurred due to the",
            "Ms. Sovantha filed a complaint over",
        ],
        credits: &["Additional reporting by Ouch Sony"],
    },
    Seed {
        file: "001_9e555bc4dc5744ed.txt",
        title: "Kem Sokha: Not Running Away from the People is the Best Option",
        publisher: None,
        subtitle: Some("The former opposition leader appears to have doubled down on his decision to publicly distance himself from his former CNRP allies, seemingly calling out Sam Rainsy for fleeing Cambodia"),
        dateline: Some("PHNOM PENH"),
        captions: &[
            ("Kem Sokha (C), former leader of the now-dissolved Cambodia National Rescue Party (CNRP), speaks to the media at his home before going to Phnom Penh Municipal Court for the resumption of his trial on treason charges in Phnom Penh on January 19, 2022.", &["Photo from AFP"]),
        ],
        paragraph_starts: &[
            "Kem Sokha, the former president of",
            "“With the spirit of love and",
            "This comes months after Sokha publicly",
            "But while a number of CNRP",
            "He appeared to be critical of",
            "“By taking action without a clear",
            "Sokha then went on to say",
            "From Feb. 18 to Feb. 20,",
            "After being accused of conspiring with",
            "Sokha’s legal team have repeatedly called",
        ],
        credits: &[],
    },
    Seed {
        file: "002_2f6a7b956e41b23b.txt",
        title: "CPP video questions Kem Sokha’s parade of ambassadors",
        publisher: Some("Cambodian Journalists Alliance Association"),
        subtitle: None,
        dateline: None,
        captions: &[
            ("Leader of CNRP Kem Sokha meets French Ambassador to Cambodia Eva Nguyen Binhin at his home 11November 2019.", &["Stringer"]),
        ],
        paragraph_starts: &[
            "As foreign ambassadors line up to",
            "Sokha, arrested in September 2017 for",
            "“Ambassador friends, you might remember that",
            "“Please, foreign friends, cooperate transparently with",
            "Sokha’s Cambodia National Rescue Party won",
            "The EU in February began a",
            "“If you love democracy, freedom, human",
            "Muth Chantha, Sokha’s personal spokesperson, said",
            "“Mr. Sokha’s relationships are for the",
            "Despite the long line of ambassadors",
            "“Until now, we have not yet been contacted",
        ],
        credits: &[],
    },
    Seed {
        file: "003_cee1d3df3da35a1a.txt",
        title: "Sokha Seeks ‘Impossible’ Clemency for Jailed Rights Activists",
        publisher: None,
        subtitle: None,
        dateline: None,
        captions: &[
            ("CNRP Vice President Kem Sokha prays for family members of jailed activists during a ceremony at the party’s Phnom Penh headquarters on Tuesday.", &["Ma Chettra", "Chhorn Veasna"]),
            ("CNRP Vice President Kem Sokha consoles family members of jailed activists during a ceremony at the party’s Phnom Penh headquarters on Tuesday.", &["Ma Chettra", "Chhorn Veasna"]),
        ],
        paragraph_starts: &[
            "Cambodia’s leader should channel the virtuous",
            "Mr. Sokha’s remarks to the families",
            "Mr. Sokha was sentenced to five",
            "But on Tuesday, Mr. Sokha took",
            "“On this day of Pchum Ben",
            "The acting opposition leader inveighed on",
            "CPP spokesman Sok Eysan said the",
            "“So he wants a few prisoners",
            "Although Mr. Hun Sen has a",
            "“How can a political party solve",
            "Paul Chambers, a professor of international",
            "“The only leverage that CNRP might",
            "But CNRP lawmaker Ou Chanrath held",
            "“The government might consider that we’ve",
        ],
        credits: &[],
    },
    Seed {
        file: "004_ab0d8695525b1b3e.txt",
        title: "CNRP Reaches Out to Sar Kheng for Talks Amid Turmoil",
        publisher: None,
        subtitle: None,
        dateline: None,
        captions: &[
            ("Interior Minister Sar Kheng speaks to reporters as he leaves a ceremony marking the 71st anniversary of the national police in Phnom Penh in May.", &["Siv Channa/The Cambodia Daily"]),
        ],
        paragraph_starts: &[
            "Deputy opposition leader Kem Sokha, whom",
            "Mr. Sokha has been hiding in",
            "CNRP chief whip Son Chhay said",
            "“There was a request for the",
            "“I believe it must have been",
            "Mr. Chhay referred further questions to",
            "“We still demand negotiations between the",
            "Mr. Sokha’s daughter has said the",
            "CPP spokesman Sok Eysan said on",
            "“But if they want to talk,",
            "“Their ‘political issues’ are only personal",
            "Separately, the Appeal Court on Monday",
            "The court rejected the lawyer’s claims",
            "“We will consider appealing to the",
        ],
        credits: &[],
    },
];

fn parsed(file: &str) -> Article {
    let (_, text) = SEEDS.iter().find(|(n, _)| *n == file).unwrap();
    let mut p = parse(text.as_bytes(), Format::detect(file, text.as_bytes())).unwrap();
    assert!(p.warnings.is_empty(), "{file}: {:?}", p.warnings);
    assert_eq!(p.articles.len(), 1);
    p.articles.remove(0)
}

#[test]
fn every_seed_field_is_pinned() {
    assert_eq!(TABLE.len(), SEEDS.len());
    for seed in TABLE {
        let a = parsed(seed.file);
        let f = seed.file;
        assert_eq!(a.title().text(), seed.title, "{f}: title");
        assert_eq!(
            a.publisher().map(|x| x.text()),
            seed.publisher,
            "{f}: publisher"
        );
        assert_eq!(
            a.subtitle().map(|x| x.text()),
            seed.subtitle,
            "{f}: subtitle"
        );
        assert_eq!(
            a.dateline().map(|x| x.text()),
            seed.dateline,
            "{f}: dateline"
        );
        let captions: Vec<(&str, Vec<&str>)> = a
            .captions()
            .iter()
            .map(|c| {
                (
                    c.caption.text(),
                    c.credits.iter().map(|x| x.text()).collect(),
                )
            })
            .collect();
        let want: Vec<(&str, Vec<&str>)> = seed
            .captions
            .iter()
            .map(|(t, c)| (*t, c.to_vec()))
            .collect();
        assert_eq!(captions, want, "{f}: captions");
        let starts: Vec<String> = a
            .paragraphs()
            .iter()
            .map(|p| p.text().split(' ').take(6).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(starts, seed.paragraph_starts, "{f}: paragraphs");
        let credits: Vec<&str> = a.credits().iter().map(|x| x.text()).collect();
        assert_eq!(credits, seed.credits, "{f}: credits");
    }
}

#[test]
fn every_field_is_a_slice_of_the_original_text() {
    for (file, text) in SEEDS {
        let a = parsed(file);
        assert_eq!(a.source(), *text, "{file}: source is the file itself");
        for (part, field) in a.fields() {
            assert_eq!(
                &text[field.span().range()],
                field.text(),
                "{file}: {part:?}"
            );
        }
    }
}

#[test]
fn no_furniture_or_caption_text_in_paragraphs() {
    for (file, _) in SEEDS {
        let a = parsed(file);
        for p in a.paragraphs() {
            let t = p.text();
            for bad in [
                "Related Stories",
                "Latest News",
                "Related Articles",
                "[email",
                "(Siv Channa",
                "Additional reporting",
                "PHNOM PENH--",
            ] {
                assert!(!t.contains(bad), "{file}: paragraph holds {bad:?}: {t}");
            }
        }
        for c in a.captions() {
            assert!(
                !a.paragraphs()
                    .iter()
                    .any(|p| p.text().contains(c.caption.text())),
                "{file}: caption repeated as a paragraph"
            );
        }
    }
}

/// The bundled copies are the seed files byte for byte.
#[test]
fn bundled_corpus_matches_shared_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    for (file, text) in SEEDS {
        let original = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(
            original,
            text.as_bytes(),
            "{file} differs from ../shared/seeds"
        );
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), SEEDS.len());
}
