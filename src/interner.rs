//! [`Interner`]: a set of strings kept end to end in one buffer, each known by a number given
//! in the order they were added, and found again by its text through a table of those numbers.
//!
//! The index's term and word dictionaries are interners. A map from boxed strings costs every
//! entry an allocation, a pointer and a length beside its table slot; here an entry costs its
//! bytes, a 4-byte end and a 4-byte slot (plus the table's control byte). On the BBC set that
//! is about 1.4 MB less in the module's memory for its 22,000 terms and 31,000 words.

use crate::hash::FxHasher;
use hashbrown::HashTable;
use std::hash::Hasher;

/// Strings numbered from 0 in the order they were added, each stored once.
///
/// Limits: the strings' bytes together stay under 4 GiB and there are fewer than 2^32 of them
/// (the corpus's own text limit keeps dictionaries far below either).
#[derive(Clone, Default)]
pub(crate) struct Interner {
    /// The strings, end to end.
    text: String,
    /// Where each string ends in `text`; string `i` starts where string `i - 1` ends.
    ends: Vec<u32>,
    /// The strings' numbers, placed by the hash of their text.
    table: HashTable<u32>,
}

fn hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    // The table places entries by the low bits and tells them apart by the top seven: mix
    // both from every input bit.
    let x = h.finish();
    (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

/// String `id` of `text` cut at `ends` (the interner's layout, which others keep too).
pub(crate) fn slice<'a>(text: &'a str, ends: &[u32], id: u32) -> &'a str {
    let i = id as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

impl Interner {
    /// How many strings it holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// String `id`.
    ///
    /// # Panics
    /// When `id` was not given by this interner (a caller's bug).
    pub fn get(&self, id: u32) -> &str {
        slice(&self.text, &self.ends, id)
    }

    /// The number of `s`, if it holds it.
    pub fn find(&self, s: &str) -> Option<u32> {
        (self.table)
            .find(hash(s), |&id| slice(&self.text, &self.ends, id) == s)
            .copied()
    }

    /// The number of `s`, added as the next number if it was not held yet, and whether it
    /// was added.
    pub fn insert(&mut self, s: &str) -> (u32, bool) {
        let h = hash(s);
        let Interner { text, ends, table } = self;
        if let Some(&id) = table.find(h, |&id| slice(text, ends, id) == s) {
            return (id, false);
        }
        let id = ends.len() as u32;
        text.push_str(s);
        ends.push(text.len() as u32);
        table.insert_unique(h, id, |&id| hash(slice(text, ends, id)));
        (id, true)
    }

    /// The numbers in the order of their strings (by bytes).
    pub fn sorted(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.ends.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.get(a).cmp(self.get(b)));
        order
    }

    /// The strings end to end and where each ends, without the table that finds them (for a
    /// caller that only reads them by number from now on), each without room to spare.
    pub fn into_strings(self) -> (String, Vec<u32>) {
        let Interner {
            mut text, mut ends, ..
        } = self;
        text.shrink_to_fit();
        ends.shrink_to_fit();
        (text, ends)
    }

    /// The strings with their numbers, in number order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (u32, &str)> + '_ {
        (0..self.ends.len() as u32).map(|id| (id, self.get(id)))
    }
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().map(|(_, s)| s)).finish()
    }
}

/// Equal when they hold the same strings under the same numbers.
impl PartialEq for Interner {
    fn eq(&self, other: &Interner) -> bool {
        self.text == other.text && self.ends == other.ends
    }
}

impl Eq for Interner {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_their_numbers_and_are_found_again() {
        let mut i = Interner::default();
        // (string, number it gets, whether it is new)
        let cases: &[(&str, u32, bool)] = &[
            ("sokha", 0, true),
            ("", 1, true),
            ("rainsy", 2, true),
            ("sokha", 0, false),
            ("phnom penh", 3, true),
            ("", 1, false),
            ("élection", 4, true),
        ];
        for &(s, id, new) in cases {
            assert_eq!(i.insert(s), (id, new), "{s:?}");
        }
        for &(s, id, _) in cases {
            assert_eq!((i.find(s), i.get(id)), (Some(id), s));
        }
        assert_eq!((i.len(), i.find("sokh"), i.find("sokhas")), (5, None, None));
        let listed: Vec<&str> = i.iter().map(|(_, s)| s).collect();
        assert_eq!(listed, ["sokha", "", "rainsy", "phnom penh", "élection"]);
        let sorted: Vec<&str> = i.sorted().into_iter().map(|n| i.get(n)).collect();
        assert_eq!(sorted, ["", "phnom penh", "rainsy", "sokha", "élection"]);
    }

    #[test]
    fn many_strings_survive_the_table_growing() {
        let mut i = Interner::default();
        for n in 0..20_000u32 {
            assert_eq!(i.insert(&format!("w{n}")), (n, true));
        }
        for n in (0..20_000u32).step_by(7) {
            assert_eq!(i.find(&format!("w{n}")), Some(n));
        }
        assert_eq!(i.find("w20000"), None);
    }
}
