//! Gazetteers: names of general knowledge, one or several words long, that the tagger sees as
//! features (places: `data/gazetteer-places.txt`, written by `make gazetteers` from GeoNames).
//!
//! A list of given names was tried and left out: drawn from one country's census, it taught the
//! tagger that a name missing from it is less likely a person's, and Khmer names became places.
//!
//! The dictionary ([`Gazetteer`]) maps the hash of a run of words (by their normal forms'
//! hashes, as the tagger's tokens carry them) to the lists holding that run as a whole name, and
//! marks every shorter run that begins a longer name, so the walk ([`Gazetteer::mark`]) stops
//! at the first run that is neither: one lookup for most words.

use super::features::norm_hash;
use super::tokens::tokenize;
use crate::hash::FxMap;
use std::sync::OnceLock;

/// The lists, in bit order.
const LISTS: [&str; 1] = [include_str!("../../data/gazetteer-places.txt")];

/// Number of lists.
pub(crate) const GAZETTEERS: usize = LISTS.len();

/// Longest name, in tokens, that is looked for.
const LONGEST: usize = 6;

/// A run of words that begins a longer name (bit 7 of an entry).
const PREFIX: u8 = 0x80;

/// Where a token stands in a name of one list: not in one, or its single word, first, inside
/// or last word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(u8)]
pub(crate) enum Place {
    #[default]
    None = 0,
    Unit = 1,
    Begin = 2,
    Inside = 3,
    Last = 4,
}

/// The dictionary of names.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    runs: FxMap<u64, u8>,
}

/// The key of a run of words continuing the run `key` with a word of hash `word`.
#[inline]
fn extend(key: u64, word: u64) -> u64 {
    (key.rotate_left(17) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl Gazetteer {
    /// The bundled lists.
    pub(crate) fn bundled() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::from_lists(&LISTS))
    }

    /// A dictionary of `lists` (one name per line each, in bit order).
    fn from_lists(lists: &[&str]) -> Gazetteer {
        let mut g = Gazetteer::default();
        let mut buf = String::new();
        for (bit, list) in lists.iter().enumerate() {
            for line in list.lines() {
                let words = tokenize(line);
                if words.is_empty() || words.len() > LONGEST {
                    continue;
                }
                let mut key = 0;
                for (i, w) in words.iter().enumerate() {
                    key = extend(key, norm_hash(w.text, &mut buf));
                    let e = g.runs.entry(key).or_insert(0);
                    if i + 1 == words.len() {
                        *e |= 1 << bit;
                    } else {
                        *e |= PREFIX;
                    }
                }
            }
        }
        g
    }

    /// Whether `words` are, together, one name of a list.
    pub(crate) fn has(&self, words: &[&str]) -> bool {
        let mut buf = String::new();
        let mut key = 0;
        for w in words {
            key = extend(key, norm_hash(w, &mut buf));
        }
        !words.is_empty() && self.runs.get(&key).is_some_and(|e| e & !PREFIX != 0)
    }

    /// Marks where each token stands in the names of each list: `words` are the tokens' normal
    /// forms' hashes, `starts` says where a name may begin (a capitalised word). Within one
    /// list, the longest name from the leftmost start wins. `out` gets one entry per token.
    pub(crate) fn mark(
        &self,
        words: &[u64],
        starts: impl Fn(usize) -> bool,
        out: &mut Vec<[Place; GAZETTEERS]>,
    ) {
        out.clear();
        out.resize(words.len(), [Place::None; GAZETTEERS]);
        // For each list, the token where its current name ends (names do not overlap).
        let mut covered = [0usize; GAZETTEERS];
        for i in 0..words.len() {
            if !starts(i) {
                continue;
            }
            // The longest name of each list starting here.
            let mut longest = [0usize; GAZETTEERS];
            let mut key = 0;
            for (len, &w) in words[i..].iter().take(LONGEST).enumerate() {
                key = extend(key, w);
                let Some(&e) = self.runs.get(&key) else { break };
                for (l, slot) in longest.iter_mut().enumerate() {
                    if e & (1 << l) != 0 {
                        *slot = len + 1;
                    }
                }
                if e & PREFIX == 0 {
                    break;
                }
            }
            for l in 0..GAZETTEERS {
                let n = longest[l];
                if n == 0 || i < covered[l] {
                    continue;
                }
                covered[l] = i + n;
                for (k, slot) in out[i..i + n].iter_mut().enumerate() {
                    slot[l] = match (n, k) {
                        (1, _) => Place::Unit,
                        (_, 0) => Place::Begin,
                        _ if k + 1 == n => Place::Last,
                        _ => Place::Inside,
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(g: &Gazetteer, text: &str) -> Vec<String> {
        let mut buf = String::new();
        let toks = tokenize(text);
        let words: Vec<u64> = toks.iter().map(|t| norm_hash(t.text, &mut buf)).collect();
        let caps = |i: usize| toks[i].text.starts_with(char::is_uppercase);
        let mut out = Vec::new();
        g.mark(&words, caps, &mut out);
        out.iter()
            .map(|p| p.iter().map(|&x| (b'0' + x as u8) as char).collect())
            .collect()
    }

    /// Each case: a sentence, and each token's place (one digit per list: 0 none, 1 a
    /// single-word name, 2 first, 3 inside, 4 last).
    #[test]
    fn names_are_marked_longest_first_from_capitalised_words() {
        let lists = ["new york\nrio de janeiro\nyork\n"];
        let g = Gazetteer::from_lists(&lists);
        let cases: &[(&str, &[&str])] = &[
            ("John left New York", &["0", "0", "2", "4"]),
            ("in Rio de Janeiro today", &["0", "2", "3", "4", "0"]),
            ("a new york deli", &["0", "0", "0", "0"]),
            ("York and Rio de", &["1", "0", "0", "0"]),
            ("NEW YORK", &["2", "4"]),
        ];
        for (text, want) in cases {
            assert_eq!(marks(&g, text), *want, "{text}");
        }
    }

    #[test]
    fn the_bundled_lists_hold_general_knowledge() {
        let g = Gazetteer::bundled();
        assert_eq!(marks(g, "Buenos Aires"), ["2", "4"]);
        assert_eq!(
            marks(g, "São Paulo and Sao Paulo"),
            ["2", "4", "0", "2", "4"]
        );
        assert_eq!(marks(g, "the Gobi"), ["0", "0"]);
        assert!(g.has(&["Chiang", "Mai"]) && g.has(&["PARIS"]));
        assert!(!g.has(&["Chiang"]) && !g.has(&["West"]) && !g.has(&[]));
    }
}
