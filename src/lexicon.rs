//! Word lists of general knowledge, kept out of the code in `data/*.txt` (one entry per line,
//! sorted by bytes, unique; `data/README.md` says what each holds and where it comes from) and
//! compiled in with `include_str!`. None is drawn from the articles NewsLens ships with or from
//! evaluation data.
//!
//! The list is the dictionary; the code that walks it (membership bits for the tagger and the
//! linker, a test in a rule) stays in the module that uses it.

use crate::hash::FxMap;
use std::sync::OnceLock;

/// A word list: the file's lines, split once on first use.
#[derive(Debug)]
pub(crate) struct Words {
    text: &'static str,
    lines: OnceLock<Vec<&'static str>>,
}

impl Words {
    /// The list in `text`, one entry per line.
    pub(crate) const fn new(text: &'static str) -> Words {
        Words {
            text,
            lines: OnceLock::new(),
        }
    }

    /// The entries, sorted.
    pub(crate) fn all(&self) -> &[&'static str] {
        self.lines
            .get_or_init(|| self.text.lines().filter(|l| !l.is_empty()).collect())
    }

    /// Whether `word` is an entry, as written.
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.all().binary_search(&word).is_ok()
    }
}

/// Countries, in lower case.
pub(crate) static COUNTRIES: Words = Words::new(include_str!("../data/countries.txt"));
/// Large cities and the provinces of the region.
pub(crate) static CITIES: Words = Words::new(include_str!("../data/cities.txt"));
/// Nationalities and peoples (`cambodian`, `khmer`).
pub(crate) static NATIONALITIES: Words = Words::new(include_str!("../data/nationalities.txt"));
/// Words inside organisations' names (`party`, `ministry`, `court`).
pub(crate) static ORG_WORDS: Words = Words::new(TAGGER_ONLY[0]);
/// Titles and ranks before a name (`minister`, `captain`).
pub(crate) static TITLES: Words = Words::new(TAGGER_ONLY[1]);
/// Common given names.
pub(crate) static GIVEN_NAMES: Words = Words::new(TAGGER_ONLY[2]);

/// The lists only recognition reads: left out (empty) of a build without it, which links with
/// the places and nationalities alone.
#[cfg(feature = "entities")]
const TAGGER_ONLY: [&str; 3] = [
    include_str!("../data/organisation-words.txt"),
    include_str!("../data/titles.txt"),
    include_str!("../data/given-names.txt"),
];
#[cfg(not(feature = "entities"))]
const TAGGER_ONLY: [&str; 3] = ["", "", ""];

/// The lists the tagger sees as features and the linker asks about, in bit order.
pub(crate) static LISTS: [&Words; 6] = [
    &COUNTRIES,
    &CITIES,
    &NATIONALITIES,
    &ORG_WORDS,
    &TITLES,
    &GIVEN_NAMES,
];

/// Bits of [`membership`].
pub(crate) const COUNTRY: u8 = 1;
pub(crate) const CITY: u8 = 2;
pub(crate) const NATIONALITY: u8 = 4;
#[cfg(feature = "entities")]
pub(crate) const ORG_WORD: u8 = 8;
#[cfg(feature = "entities")]
pub(crate) const GIVEN_NAME: u8 = 32;

/// Which of [`LISTS`] hold `word` (lower case), as a bit mask in their order (bit 0 countries,
/// bit 1 cities and provinces, ...).
pub(crate) fn membership(word: &str) -> u8 {
    static MAP: OnceLock<FxMap<&'static str, u8>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = FxMap::default();
        for (g, list) in LISTS.iter().enumerate() {
            for w in list.all() {
                *m.entry(*w).or_insert(0) |= 1 << g;
            }
        }
        m
    });
    map.get(word).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    /// Every file in `data/`: sorted by bytes (binary search), unique, no blank line or padding.
    #[test]
    fn every_word_list_is_sorted_and_unique() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert!(text.ends_with('\n'), "{path:?}: no final newline");
            for l in &lines {
                assert!(!l.is_empty() && l.trim() == *l, "{path:?}: {l:?}");
            }
            for w in lines.windows(2) {
                assert!(w[0] < w[1], "{path:?}: {:?} before {:?}", w[0], w[1]);
            }
            seen += 1;
        }
        assert!(seen >= 6, "{seen} lists");
    }

    #[test]
    fn membership_sets_each_list_bit() {
        assert_eq!(super::membership("cambodia"), super::COUNTRY);
        assert_ne!(super::membership("phnom") & super::CITY, 0);
        assert_eq!(super::membership("no-such-word"), 0);
    }
}
