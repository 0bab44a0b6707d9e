//! The term dictionary that prefix and typo expansion walk: the index's surface words, sorted,
//! each with its term. It knows nothing of scoring, so another store (an fst, a shard's word
//! list) can stand behind the same two questions.

use crate::index::TermId;
use crate::interner::Interner;

/// A sorted run of words, each with its term: word numbers of an [`Interner`] in the order of
/// their words, and by word number the term each indexes as.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Dictionary<'a> {
    words: &'a Interner,
    terms: &'a [TermId],
    order: &'a [u32],
}

impl<'a> Dictionary<'a> {
    /// The dictionary of `words` taken in `order` (which must sort them), word `w` indexing
    /// as `terms[w]`.
    pub fn new(words: &'a Interner, terms: &'a [TermId], order: &'a [u32]) -> Dictionary<'a> {
        Dictionary {
            words,
            terms,
            order,
        }
    }

    /// The `i`-th word in order.
    fn word(&self, i: usize) -> &'a str {
        self.words.get(self.order[i])
    }

    /// The words starting with `prefix`, as a dictionary of their own.
    pub fn prefix(&self, prefix: &str) -> Dictionary<'a> {
        let words = self.words;
        let from = (self.order).partition_point(|&w| words.get(w) < prefix);
        let len = self.order[from..].partition_point(|&w| words.get(w).starts_with(prefix));
        Dictionary {
            order: &self.order[from..from + len],
            ..*self
        }
    }

    /// The terms of its words, in word order.
    pub fn terms(&self) -> impl Iterator<Item = TermId> + 'a {
        let terms = self.terms;
        self.order.iter().map(move |&w| terms[w as usize])
    }

    /// Its words within `k` edits of `query`, with their distance.
    pub fn fuzzy(&self, query: &[char], k: u32) -> Vec<(u32, TermId)> {
        fuzzy(self, query, k)
    }
}

/// Words of the sorted dictionary within `k` edits of `query`, with their distance. Edits are
/// Levenshtein's (insert, delete, substitute) plus the swap of two neighbouring letters
/// (optimal string alignment), the commonest typo. Walks the dictionary as a trie: rows of the edit-distance table are shared
/// between words with a common prefix, and a prefix whose row exceeds `k` everywhere skips
/// every word under it.
fn fuzzy(dict: &Dictionary<'_>, query: &[char], k: u32) -> Vec<(u32, TermId)> {
    let words = dict.order;
    let n = query.len();
    let width = n + 1;
    // rows[j * width..(j + 1) * width] is the table row after j letters of the current word.
    let mut rows: Vec<u32> = (0..=n as u32).collect();
    let mut prev: Vec<char> = Vec::new();
    let mut w: Vec<char> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        w.clear();
        w.extend(dict.word(i).chars());
        // Rows for the prefix shared with the previous word are still valid
        // (invariant: rows hold prev.len() + 1 rows).
        let common = prev.iter().zip(&w).take_while(|(a, b)| a == b).count();
        rows.truncate((common + 1) * width);
        let mut dead_at = None;
        for j in common..w.len() {
            let c = w[j];
            let base = j * width;
            // Only cells within k of the diagonal can hold k or less; the rest stay at k + 1.
            let far = k + 1;
            let lo = (j + 1).saturating_sub(k as usize).max(1);
            let hi = (j + 1 + k as usize).min(n);
            rows.push((rows[base] + 1).min(far));
            rows.extend(std::iter::repeat_n(far, n));
            let mut min = rows[base + width];
            for q in lo..=hi {
                let sub = rows[base + q - 1] + u32::from(query[q - 1] != c);
                let mut v = sub
                    .min(rows[base + q] + 1)
                    .min(rows[base + width + q - 1] + 1);
                // A swap of two neighbours counts as one edit ("sokah" → "sokha").
                if j >= 1 && q >= 2 && c == query[q - 2] && w[j - 1] == query[q - 1] {
                    v = v.min(rows[base - width + q - 2] + 1);
                }
                let v = v.min(far);
                rows[base + width + q] = v;
                min = min.min(v);
            }
            if min > k {
                dead_at = Some(j + 1);
                break;
            }
        }
        match dead_at {
            Some(len) => {
                // No word under this prefix can come within k edits: skip them all.
                let bytes: usize = w[..len].iter().map(|c| c.len_utf8()).sum();
                let dead = &dict.word(i)[..bytes];
                // Gallop to the end of the words under the dead prefix (usually a few).
                let under = |&x: &u32| dict.words.get(x).starts_with(dead);
                let mut step = 1;
                while i + step < words.len() && under(&words[i + step]) {
                    step *= 2;
                }
                let from = i + step / 2 + 1;
                let to = (i + step).min(words.len());
                i = from + words[from.min(to)..to].partition_point(under);
                prev.clear();
                prev.extend_from_slice(&w[..len]);
            }
            None => {
                let d = rows[w.len() * width + n];
                if d <= k {
                    out.push((d, dict.terms[words[i] as usize]));
                }
                std::mem::swap(&mut prev, &mut w);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts of a dictionary of `list`, word `i` indexing as term `i`.
    fn parts(list: &[&str]) -> (Interner, Vec<TermId>, Vec<u32>) {
        let mut words = Interner::default();
        for w in list {
            words.insert(w);
        }
        let terms = (0..list.len() as TermId).collect();
        let order = words.sorted();
        (words, terms, order)
    }

    #[test]
    fn prefix_is_the_run_of_words_starting_with_it() {
        let (words, terms, order) = parts(&["soka", "sokha", "sochua", "rainsy", "so", "sp"]);
        let d = Dictionary::new(&words, &terms, &order);
        // (prefix, the terms of the words under it, in word order)
        let cases: &[(&str, &[TermId])] = &[
            ("so", &[4, 2, 0, 1]),
            ("sok", &[0, 1]),
            ("sokha", &[1]),
            ("x", &[]),
            ("", &[3, 4, 2, 0, 1, 5]),
        ];
        for (p, want) in cases {
            let got: Vec<TermId> = d.prefix(p).terms().collect();
            assert_eq!(got, *want, "{p}");
        }
    }

    #[test]
    fn fuzzy_walk_matches_brute_force() {
        let list = [
            "chandaraty",
            "chandarati",
            "chantha",
            "chhay",
            "sokha",
            "sokhan",
            "soka",
            "sochua",
            "rainsy",
            "rainy",
            "rain",
            "a",
            "ab",
            "abc",
            "party",
            "parti",
            "partly",
            "pardy",
        ];
        let (words, terms, order) = parts(&list);
        let d = Dictionary::new(&words, &terms, &order);
        fn lev(a: &[char], b: &[char]) -> u32 {
            // Optimal string alignment distance, the textbook way.
            let (n, m) = (a.len(), b.len());
            let mut d = vec![vec![0u32; m + 1]; n + 1];
            for (i, row) in d.iter_mut().enumerate() {
                row[0] = i as u32;
            }
            for (j, cell) in d[0].iter_mut().enumerate() {
                *cell = j as u32;
            }
            for i in 1..=n {
                for j in 1..=m {
                    let cost = u32::from(a[i - 1] != b[j - 1]);
                    d[i][j] = (d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1)
                        .min(d[i - 1][j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
                    }
                }
            }
            d[n][m]
        }
        for q in [
            "sokah",
            "chandarty",
            "rainsi",
            "party",
            "abd",
            "x",
            "sochau",
        ] {
            let qc: Vec<char> = q.chars().collect();
            for k in 1..=2 {
                let mut got = d.fuzzy(&qc, k);
                got.sort();
                let mut want: Vec<(u32, TermId)> = (list.iter().zip(0..))
                    .filter_map(|(w, t)| {
                        let d = lev(&qc, &w.chars().collect::<Vec<_>>());
                        (d <= k).then_some((d, t))
                    })
                    .collect();
                want.sort();
                assert_eq!(got, want, "{q} k={k}");
            }
        }
    }
}
