//! Word clusters learned from unlabelled text, for the tagger's features: words used in like
//! contexts share a path in a binary tree, so a name the labelled data never had ("Kilroy-Silk")
//! can still look like the names it did have, by the words around it wherever it occurs.
//!
//! Learning (pure, deterministic: the same text gives the same clusters byte for byte): each
//! frequent word's left and right neighbours, weighted by positive pointwise mutual information
//! and normalised, then split in two again and again (bisecting spherical 2-means) to
//! [`ClusterOptions::depth`] levels. A word's path is the sequence of sides it fell on; the
//! tagger uses its prefixes as features (coarse to fine), as Brown-cluster paths are used.
//!
//! File (`model/clusters.txt`, `make model`): one line per path, the path then its words, each
//! after a space, sorted by path then word; a path is a string of `0` and `1`. (A line per word
//! repeated each path: 97 KB gzip against 78 KB.)

use super::features::{norm_into, str_hash};
use crate::error::{Damaged, Error};
use crate::hash::FxMap;

/// Settings of [`learn`].
#[derive(Clone, Debug)]
pub struct ClusterOptions {
    /// Words seen fewer times are not clustered.
    pub min_count: usize,
    /// At most this many words (the most frequent).
    pub max_words: usize,
    /// Neighbours counted as contexts: the most frequent words.
    pub contexts: usize,
    /// Levels of the tree (at most 15).
    pub depth: u32,
    /// 2-means iterations per split.
    pub iterations: usize,
}

impl Default for ClusterOptions {
    fn default() -> ClusterOptions {
        // Chosen by 5-fold cross-validation by document on eng.train (`newslens cv-ner`, the
        // tagger's PER/LOC/ORG F1): 5,000 contexts 0.872 (2,000: 0.869, 10,000: 0.863); words
        // seen 3 times or more (2: 0.858, 5: 0.867); 12 levels (the features use prefixes up
        // to 12).
        ClusterOptions {
            min_count: 3,
            max_words: 40_000,
            contexts: 5_000,
            depth: 12,
            iterations: 8,
        }
    }
}

/// Words and their paths: the file form, and a table from the hash of each word (as features
/// hash it) to its path, stored with a leading one bit (`0b1` is the root) so its length is
/// known. The bundled clusters borrow their text from the binary; nothing else is kept per word.
#[derive(Clone, Debug, Default)]
pub struct Clusters {
    text: std::borrow::Cow<'static, str>,
    by_hash: FxMap<u64, u16>,
}

/// Sparse vector: (dimension, value), sorted by dimension.
type Sparse = Vec<(u32, f32)>;

/// Learns clusters from sentences of tokens as written (case and quotes are folded as the
/// tagger folds them).
pub fn learn(sentences: &[Vec<&str>], options: &ClusterOptions) -> Clusters {
    let depth = options.depth.min(15);
    // Normal forms and their counts.
    let mut buf = String::new();
    let mut ids: FxMap<String, u32> = FxMap::default();
    let mut counts: Vec<usize> = Vec::new();
    let mut forms: Vec<String> = Vec::new();
    let normed: Vec<Vec<u32>> = sentences
        .iter()
        .map(|s| {
            s.iter()
                .map(|w| {
                    buf.clear();
                    norm_into(w, &mut buf);
                    let id = match ids.get(buf.as_str()) {
                        Some(&id) => id,
                        None => {
                            let id = forms.len() as u32;
                            ids.insert(buf.clone(), id);
                            forms.push(buf.clone());
                            counts.push(0);
                            id
                        }
                    };
                    counts[id as usize] += 1;
                    id
                })
                .collect()
        })
        .collect();
    drop(ids);
    // Vocabulary: most frequent first (ties by the form), as ranks.
    let mut order: Vec<u32> = (0..forms.len() as u32)
        .filter(|&i| counts[i as usize] >= options.min_count && !forms[i as usize].is_empty())
        .collect();
    order.sort_by(|&a, &b| {
        (counts[b as usize].cmp(&counts[a as usize]))
            .then(forms[a as usize].cmp(&forms[b as usize]))
    });
    order.truncate(options.max_words);
    let mut rank = vec![u32::MAX; forms.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    // Context dimensions: left neighbour c in 0..=C (C the sentence start), right neighbour
    // C+1+c (C the end).
    let c = options.contexts.min(order.len()) as u32;
    let ctx = |id: Option<u32>| -> Option<u32> {
        match id {
            None => Some(c),
            Some(i) => {
                let r = rank[i as usize];
                (r < c).then_some(r)
            }
        }
    };
    let mut cooc: Vec<FxMap<u32, f32>> = vec![FxMap::default(); order.len()];
    for s in &normed {
        for (k, &w) in s.iter().enumerate() {
            let r = rank[w as usize];
            if r == u32::MAX {
                continue;
            }
            let left = ctx(k.checked_sub(1).map(|j| s[j]));
            let right = ctx(s.get(k + 1).copied()).map(|d| d + c + 1);
            for d in [left, right].into_iter().flatten() {
                *cooc[r as usize].entry(d).or_default() += 1.0;
            }
        }
    }
    // PPMI, then unit length.
    let dims = 2 * (c as usize + 1);
    let mut column = vec![0.0f64; dims];
    let mut total = 0.0f64;
    for m in &cooc {
        for (&d, &v) in m {
            column[d as usize] += f64::from(v);
            total += f64::from(v);
        }
    }
    let vectors: Vec<Sparse> = cooc
        .into_iter()
        .map(|m| {
            let row: f64 = m.values().map(|&v| f64::from(v)).sum();
            let mut v: Sparse = m
                .into_iter()
                .filter_map(|(d, x)| {
                    let pmi = (f64::from(x) * total / (row * column[d as usize])).ln();
                    (pmi > 0.0).then_some((d, pmi as f32))
                })
                .collect();
            v.sort_unstable_by_key(|&(d, _)| d);
            let norm = v.iter().map(|&(_, x)| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            v
        })
        .collect();
    // Bisecting 2-means, level by level.
    // A word with no telling context (no positive association) is left out.
    let mut paths = vec![0u16; order.len()];
    let clustered: Vec<u32> = (0..order.len() as u32)
        .filter(|&w| !vectors[w as usize].is_empty())
        .collect();
    for &w in &clustered {
        paths[w as usize] = 1;
    }
    let mut groups: Vec<Vec<u32>> = vec![clustered];
    for _ in 0..depth {
        let mut next = Vec::with_capacity(groups.len() * 2);
        for g in groups {
            if g.len() < 2 {
                next.push(g);
                continue;
            }
            match split(&g, &vectors, dims, options.iterations) {
                Some((a, b)) => {
                    for &w in &a {
                        paths[w as usize] <<= 1;
                    }
                    for &w in &b {
                        paths[w as usize] = (paths[w as usize] << 1) | 1;
                    }
                    next.push(a);
                    next.push(b);
                }
                None => next.push(g),
            }
        }
        groups = next;
    }
    let mut words: Vec<(String, u16)> = (order.iter().zip(paths))
        .filter(|&(_, p)| p != 0)
        .map(|(&i, p)| (forms[i as usize].clone(), p))
        .collect();
    words.sort_by(|a, b| path_string(a.1).cmp(&path_string(b.1)).then(a.0.cmp(&b.0)));
    // One line per path: the path, then its words.
    let mut text = String::new();
    for (i, (w, p)) in words.iter().enumerate() {
        if i == 0 || words[i - 1].1 != *p {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&path_string(*p));
        }
        text.push(' ');
        text.push_str(w);
    }
    if !words.is_empty() {
        text.push('\n');
    }
    let by_hash = words.iter().map(|(w, p)| (str_hash(w), *p)).collect();
    Clusters {
        text: text.into(),
        by_hash,
    }
}

fn dot(v: &Sparse, centre: &[f32]) -> f32 {
    v.iter().map(|&(d, x)| x * centre[d as usize]).sum()
}

/// Splits a group (members by their ranks, most frequent first) in two by spherical 2-means:
/// starting from its most frequent member and the member least like it. None if it will not
/// split.
fn split(
    group: &[u32],
    vectors: &[Sparse],
    dims: usize,
    iterations: usize,
) -> Option<(Vec<u32>, Vec<u32>)> {
    let dense = |v: &Sparse| {
        let mut c = vec![0.0f32; dims];
        for &(d, x) in v {
            c[d as usize] = x;
        }
        c
    };
    // Farthest-point start: the member least like the group's mean, then the member least
    // like that one (ties to the more frequent).
    let mut mean = vec![0.0f32; dims];
    for &w in group {
        for &(d, x) in &vectors[w as usize] {
            mean[d as usize] += x;
        }
    }
    let least_like = |centre: &[f32]| {
        group
            .iter()
            .copied()
            .min_by(|&a, &b| {
                let (x, y) = (
                    dot(&vectors[a as usize], centre),
                    dot(&vectors[b as usize], centre),
                );
                x.total_cmp(&y).then(a.cmp(&b))
            })
            .unwrap_or(group[0])
    };
    let one = dense(&vectors[least_like(&mean) as usize]);
    let other = dense(&vectors[least_like(&one) as usize]);
    let mut centres = [other, one];
    let mut side = vec![false; group.len()];
    for round in 0..iterations.max(1) {
        let mut changed = false;
        for (s, &w) in side.iter_mut().zip(group) {
            let v = &vectors[w as usize];
            let right = dot(v, &centres[1]) > dot(v, &centres[0]);
            changed |= right != *s;
            *s = right;
        }
        if !changed && round > 0 {
            break;
        }
        for (k, centre) in centres.iter_mut().enumerate() {
            // A side left empty keeps its centre.
            if !side.iter().any(|&s| usize::from(s) == k) {
                continue;
            }
            centre.iter_mut().for_each(|x| *x = 0.0);
            for (&s, &w) in side.iter().zip(group) {
                if usize::from(s) == k {
                    for &(d, x) in &vectors[w as usize] {
                        centre[d as usize] += x;
                    }
                }
            }
            let norm = centre.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                centre.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (&s, &w) in side.iter().zip(group) {
        if s {
            b.push(w);
        } else {
            a.push(w);
        }
    }
    (!a.is_empty() && !b.is_empty()).then_some((a, b))
}

/// A path as `0`/`1` characters (without its leading one bit).
fn path_string(p: u16) -> String {
    let len = 15 - p.leading_zeros().min(15);
    (0..len)
        .rev()
        .map(|i| if p >> i & 1 == 1 { '1' } else { '0' })
        .collect()
}

/// The bundled clusters (`model/clusters.txt`), loaded once.
static BUNDLED: &str = include_str!("../../model/clusters.txt");

impl Clusters {
    /// The clusters shipped with NewsLens (`make model`).
    pub fn bundled() -> &'static Clusters {
        static CLUSTERS: std::sync::OnceLock<Clusters> = std::sync::OnceLock::new();
        CLUSTERS.get_or_init(|| Clusters::read(BUNDLED.into()).unwrap_or_default())
    }

    /// Number of words clustered.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    /// True when no word is clustered.
    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// The path of the word whose normal form hashes to `hash` (as features hash it), with its
    /// leading one bit; 0 for a word not clustered.
    pub(crate) fn path_of_hash(&self, hash: u64) -> u16 {
        self.by_hash.get(&hash).copied().unwrap_or(0)
    }

    /// The path of a word as `0`/`1` characters, if it is clustered.
    pub fn path(&self, word: &str) -> Option<String> {
        let mut buf = String::new();
        norm_into(word, &mut buf);
        match self.path_of_hash(str_hash(&buf)) {
            0 => None,
            p => Some(path_string(p)),
        }
    }

    /// The file form: `path word word ...` lines.
    pub fn to_text(&self) -> String {
        self.text.to_string()
    }

    /// Reads [`Clusters::to_text`]'s form.
    pub fn from_text(text: &str) -> Result<Clusters, Error> {
        Clusters::read(text.to_string().into())
    }

    fn read(text: std::borrow::Cow<'static, str>) -> Result<Clusters, Error> {
        let mut by_hash = FxMap::default();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let bad = || Error::damaged(Damaged::Clusters, format_args!("line {}", n + 1));
            let mut parts = line.split(' ');
            let path = parts.next().unwrap_or_default();
            if path.len() > 15 || !path.bytes().all(|b| b == b'0' || b == b'1') {
                return Err(bad());
            }
            let p = path
                .bytes()
                .fold(1u16, |acc, b| (acc << 1) | u16::from(b == b'1'));
            let mut words = 0;
            for word in parts {
                if word.is_empty() {
                    return Err(bad());
                }
                by_hash.insert(str_hash(word), p);
                words += 1;
            }
            if words == 0 {
                return Err(bad());
            }
        }
        Ok(Clusters { text, by_hash })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_like_contexts_share_paths_and_the_file_form_round_trips() {
        let mut text: Vec<Vec<&str>> = Vec::new();
        for _ in 0..5 {
            for city in ["Paris", "London", "Berlin"] {
                text.push(vec!["he", "flew", "to", city, "on", "monday"]);
                text.push(vec!["she", "lives", "in", city, "now"]);
            }
            for word in ["Paris", "London", "Berlin", "Smith", "Jones", "Brown"] {
                text.push(vec!["news", "from", word, "today"]);
            }
            for name in ["Smith", "Jones", "Brown"] {
                text.push(vec!["mr", name, "said", "that", "it", "rained"]);
                text.push(vec!["a", "spokesman", "for", "mr", name, "said"]);
            }
        }
        let options = ClusterOptions {
            min_count: 2,
            contexts: 50,
            depth: 15,
            ..ClusterOptions::default()
        };
        let c = learn(&text, &options);
        let path = |w: &str| c.path(w).unwrap();
        assert_eq!(path("paris"), path("London"));
        assert_eq!(path("berlin"), path("paris"));
        assert_eq!(path("smith"), path("Jones"));
        assert_ne!(path("paris"), path("smith"));
        assert_eq!(c.path("unseen"), None);
        let again = Clusters::from_text(&c.to_text()).unwrap();
        assert_eq!(again.to_text(), c.to_text());
        assert_eq!(
            learn(&text, &options).to_text(),
            c.to_text(),
            "deterministic"
        );
        assert!(Clusters::from_text("01x word\n").is_err());
        assert!(Clusters::from_text("01\n").is_err());
        assert!(Clusters::from_text("01 a  b\n").is_err());
        let two = Clusters::from_text("01 a b\n1 c\n").unwrap();
        assert_eq!(
            (two.path("a"), two.path("b")),
            (Some("01".into()), Some("01".into()))
        );
        assert_eq!(two.len(), 3);
    }
}
