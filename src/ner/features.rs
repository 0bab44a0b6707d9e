//! Feature extraction for the tagger.
//!
//! Every string a feature looks at (a word's normal form, its shape, its prefixes and suffixes)
//! is hashed once per token to 64 bits; a feature is then its template number mixed with one to
//! three of those hashes (or small numbers) and folded to 32 bits. No feature string is ever
//! built, so a token costs a few dozen multiplications and no allocation.

use super::gazetteer::{Gazetteer, Place, GAZETTEERS};
use super::Label;
use crate::hash::{FxMap, FxSet};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;
const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The 64-bit hash of a string, as feature parts use it.
#[inline]
pub(crate) fn str_hash(s: &str) -> u64 {
    fnv(FNV_OFFSET, s.as_bytes())
}

#[inline]
fn mix(h: u64, part: u64) -> u64 {
    (h.rotate_left(23) ^ part).wrapping_mul(MIX)
}

/// A feature: template `t` and its parts, folded to a non-zero 32-bit number (zero marks an
/// empty slot in the model's table).
#[inline]
fn feat(t: u32, parts: &[u64]) -> u32 {
    let mut h = mix(FNV_OFFSET, u64::from(t));
    for &p in parts {
        h = mix(h, p);
    }
    // MurmurHash3's 64-bit finaliser: every input bit reaches the low 32 bits.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    (h as u32).max(1)
}

/// The word's shape: `Xx` for `Sokha`, `X` for `CNRP`, `d` for `2017`, `X.X.` for `U.S.`;
/// runs of one class collapse to one letter. Returned as its hash.
fn shape_hash(word: &str) -> u64 {
    let mut h = FNV_OFFSET;
    let mut last = '\0';
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s != last {
            let mut buf = [0u8; 4];
            h = fnv(h, s.encode_utf8(&mut buf).as_bytes());
            last = s;
        }
    }
    h
}

/// Writes the form features use into `out`: lower case, curly apostrophes and quotes
/// straightened.
pub(crate) fn norm_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    out.extend(word.chars().flat_map(char::to_lowercase).map(|c| match c {
        '’' | '‘' => '\'',
        '“' | '”' => '"',
        '–' | '—' => '-',
        _ => c,
    }));
}

/// What the tagger knows of a document beyond the sentence: words (by the hash of their normal
/// form) it has seen in lower case (a capitalised word that also appears in lower case is less
/// likely a name).
#[derive(Debug, Default)]
pub(crate) struct DocContext {
    pub lower_seen: FxSet<u64>,
    /// Words seen in title case (`Sokha`, not `SOKHA`) after a lower-case word: names.
    pub title_seen: FxSet<u64>,
}

impl DocContext {
    /// The context of a document's words, each given with the hash of its normal form.
    pub fn from_words<'a>(words: impl Iterator<Item = (&'a str, u64)>) -> DocContext {
        let mut c = DocContext::default();
        let mut prev_lower = false;
        for (w, norm) in words {
            let mut chars = w.chars();
            let first = chars.next();
            if first.is_some_and(char::is_lowercase) {
                c.lower_seen.insert(norm);
                prev_lower = true;
                continue;
            }
            if prev_lower && first.is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
            {
                c.title_seen.insert(norm);
            }
            prev_lower = false;
        }
        c
    }
}

/// The hash of a word's normal form (as [`TokenInfo::word`]); `buf` is scratch space.
pub(crate) fn norm_hash(word: &str, buf: &mut String) -> u64 {
    buf.clear();
    norm_into(word, buf);
    str_hash(buf)
}

/// Kinds given to each capitalised word earlier in a document (by the hash of its normal form):
/// counts of O, PER, LOC, ORG, MISC.
pub(crate) type History = FxMap<u64, [u16; 5]>;

/// One token of a sentence as features see it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TokenInfo {
    /// Hash of the normal form.
    pub word: u64,
    /// Hash of the shape.
    pub shape: u64,
    /// The lists ([`crate::lexicon::LISTS`]) that hold the normal form.
    mask: u8,
    /// The word's path in the word clusters ([`super::clusters`]), 0 if it has none.
    cluster: u16,
    /// Starts with a capital letter.
    pub capital: bool,
    /// Longer than one byte and every letter a capital.
    all_caps: bool,
    hyphen: bool,
}

/// Hashes of the first and last characters of a token's normal form, for its intrinsic
/// features.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Affixes {
    /// Hashes of the first 1–4 characters.
    prefix: [u64; 4],
    /// Hashes of the last 1–5 characters.
    suffix: [u64; 5],
    /// Characters in the normal form, at most 5.
    chars: u8,
}

const BOS: u64 = 0x5b3c_0001;
const EOS: u64 = 0x5b3c_0002;

impl TokenInfo {
    /// The token `word` as features see it; `buf` is scratch space.
    pub fn new(word: &str, buf: &mut String) -> (TokenInfo, Affixes) {
        buf.clear();
        norm_into(word, buf);
        let w = buf.as_str();
        let word_hash = str_hash(w);
        let info = TokenInfo {
            word: word_hash,
            cluster: super::clusters::Clusters::bundled().path_of_hash(word_hash),
            shape: shape_hash(word),
            mask: crate::lexicon::membership(w),
            capital: word.chars().next().is_some_and(char::is_uppercase),
            all_caps: word.len() > 1
                && word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()),
            hyphen: word.contains('-'),
        };
        let mut affixes = Affixes::default();
        let mut h = FNV_OFFSET;
        for (n, (i, c)) in w.char_indices().take(4).enumerate() {
            h = fnv(h, &w.as_bytes()[i..i + c.len_utf8()]);
            affixes.prefix[n] = h;
        }
        let mut h = FNV_OFFSET ^ 0xff;
        for (n, (i, c)) in w.char_indices().rev().take(5).enumerate() {
            h = fnv(h, &w.as_bytes()[i..i + c.len_utf8()]);
            affixes.suffix[n] = h;
            affixes.chars = n as u8 + 1;
        }
        (info, affixes)
    }
}

/// Features of the token alone, whatever its context: the same for every occurrence of a word
/// written the same way (so their scores can be cached per word).
pub(crate) fn intrinsic_features(t: &TokenInfo, a: &Affixes, f: &mut Vec<u32>) {
    f.push(feat(0, &[]));
    f.push(feat(1, &[t.word]));
    f.push(feat(2, &[t.shape]));
    for k in 0..4.min(a.chars as usize) {
        f.push(feat(4 + k as u32, &[a.prefix[k]]));
    }
    for k in 0..a.chars as usize {
        f.push(feat(11 + k as u32, &[a.suffix[k]]));
    }
    if t.all_caps {
        f.push(feat(42, &[]));
    }
    if t.hyphen {
        f.push(feat(43, &[]));
    }
    for g in 0..crate::lexicon::LISTS.len() as u32 {
        if t.mask & (1 << g) != 0 {
            f.push(feat(60 + g, &[]));
            f.push(feat(70 + g, &[t.shape]));
        }
    }
    if t.cluster == 0 {
        f.push(feat(119, &[]));
    } else {
        for (k, &len) in OWN_PREFIXES.iter().enumerate() {
            f.push(feat(120 + k as u32, &[prefix(t.cluster, len)]));
        }
    }
}

/// Lengths of the cluster-path prefixes a word's own features use (coarse to fine), and those
/// it gives its neighbours.
const OWN_PREFIXES: [u32; 4] = [3, 6, 9, 12];
const NEIGHBOUR_PREFIXES: [u32; 2] = [4, 8];

/// The first `len` steps of a cluster path (with its leading one bit), or the whole path if
/// shorter.
fn prefix(path: u16, len: u32) -> u64 {
    let have = 15 - path.leading_zeros().min(15);
    u64::from(if have > len {
        path >> (have - len)
    } else {
        path
    })
}

/// The features a word gives its neighbours (templates 20–25, 130–137): as the previous word
/// (its word, shape and cluster), as the one before that (word), as the next word (word, shape
/// and cluster), as the one after (word). Zero marks no feature. A word's scores for these can
/// be cached like its intrinsic ones.
pub(crate) fn neighbour_features(word: u64, shape: u64, cluster: u16) -> [[u32; 4]; 4] {
    let cl = |k: u32, j: usize| {
        if cluster == 0 {
            0
        } else {
            feat(
                130 + 2 * k + j as u32,
                &[prefix(cluster, NEIGHBOUR_PREFIXES[j])],
            )
        }
    };
    [
        [feat(20, &[word]), feat(24, &[shape]), cl(0, 0), cl(0, 1)],
        [feat(21, &[word]), 0, 0, 0],
        [feat(22, &[word]), feat(25, &[shape]), cl(2, 0), cl(2, 1)],
        [feat(23, &[word]), 0, 0, 0],
    ]
}

/// [`neighbour_features`] of a token.
pub(crate) fn token_neighbour_features(t: &TokenInfo) -> [[u32; 4]; 4] {
    neighbour_features(t.word, t.shape, t.cluster)
}

/// [`neighbour_features`] of the sentence boundaries: before the first word, after the last.
pub(crate) fn boundary_features() -> ([[u32; 4]; 4], [[u32; 4]; 4]) {
    (
        neighbour_features(BOS, BOS, 0),
        neighbour_features(EOS, EOS, 0),
    )
}

/// Where the word giving neighbour features slot `k` stands, from the word scored: the
/// previous word, the one before, the next, the one after (as [`neighbour_features`] orders
/// them).
pub(crate) const NEIGHBOURS: [isize; 4] = [-1, -2, 1, 2];

/// Tag-independent features of every token of a sentence, written into `out`: intrinsic and
/// neighbour features (see [`neighbour_features`]) only if `affixes` are given (when a word's
/// scores for those are not cached).
pub(crate) fn static_features(
    words: &[&str],
    toks: &[TokenInfo],
    affixes: Option<&[Affixes]>,
    doc: &DocContext,
    out: &mut StaticFeatures,
) {
    let n = toks.len();
    let at = |i: isize| -> (u64, u64) {
        if i < 0 {
            (BOS, BOS)
        } else if i as usize >= n {
            (EOS, EOS)
        } else {
            (toks[i as usize].word, toks[i as usize].shape)
        }
    };
    // Runs of capitalised words (joined by "of", "and", "for", "the", "&"): their first and
    // last words and each token's place in its run.
    let joiner = |w: &str| matches!(w, "of" | "and" | "for" | "the" | "&" | "de");
    let run_of = &mut out.runs;
    run_of.clear();
    run_of.resize(n, None);
    let mut i = 0;
    while i < n {
        if !toks[i].capital {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < n
            && (toks[end].capital || (joiner(words[end]) && end + 1 < n && toks[end + 1].capital))
        {
            end += 1;
        }
        for slot in run_of.iter_mut().take(end).skip(start) {
            *slot = Some((start, end));
        }
        i = end;
    }
    // A headline in capitals says little through case.
    let (mut letters, mut capitals) = (0usize, 0usize);
    for w in words {
        if w.is_ascii() {
            for b in w.bytes() {
                letters += usize::from(b.is_ascii_alphabetic());
                capitals += usize::from(b.is_ascii_uppercase());
            }
        } else {
            for c in w.chars().filter(|c| c.is_alphabetic()) {
                letters += 1;
                capitals += usize::from(c.is_uppercase());
            }
        }
    }
    let caps_sentence = letters > 8 && capitals * 10 > letters * 8;
    out.words.clear();
    out.words.extend(toks.iter().map(|t| t.word));
    Gazetteer::bundled().mark(&out.words, |i| toks[i].capital, &mut out.gazetteers);
    let boundary = boundary_features();
    out.features.clear();
    out.splits.clear();
    out.ends.clear();
    for (i, t) in toks.iter().enumerate() {
        let (w, s) = (t.word, t.shape);
        let ii = i as isize;
        let f = &mut out.features;
        if let Some(a) = affixes {
            intrinsic_features(t, &a[i], f);
        }
        out.splits.push(f.len());
        let (w1, s1) = at(ii - 1);
        let (_, s2) = at(ii - 2);
        let (n1, t1) = at(ii + 1);
        let (_, t2) = at(ii + 2);
        if affixes.is_some() {
            // What the neighbours give this word, as the cache would have it.
            for (k, off) in NEIGHBOURS.into_iter().enumerate() {
                let given = match i.checked_add_signed(off).and_then(|j| toks.get(j)) {
                    Some(nb) => token_neighbour_features(nb)[k],
                    None if off < 0 => boundary.0[k],
                    None => boundary.1[k],
                };
                f.extend(given.into_iter().filter(|&x| x != 0));
            }
        }
        f.extend_from_slice(&[
            feat(26, &[s1, s]),
            feat(27, &[s, t1]),
            feat(28, &[w1, w]),
            feat(29, &[w, n1]),
            feat(30, &[s2, s1, s]),
            feat(31, &[s, t1, t2]),
            feat(32, &[w1, s]),
            feat(33, &[s, n1]),
        ]);
        if i == 0 {
            f.push(feat(40, &[s]));
        }
        if t.capital && doc.lower_seen.contains(&w) {
            f.push(feat(41, &[u64::from(i == 0)]));
        }
        if caps_sentence {
            f.push(feat(44, &[w]));
            f.push(feat(45, &[w1, w]));
        }
        if t.capital && doc.title_seen.contains(&w) {
            f.push(feat(46, &[u64::from(caps_sentence)]));
        }
        let before = if i > 0 { toks[i - 1].mask } else { 0 };
        let after = toks.get(i + 1).map_or(0, |t| t.mask);
        for g in 0..crate::lexicon::LISTS.len() as u32 {
            let bit = 1u8 << g;
            if before & bit != 0 {
                f.push(feat(80 + g, &[]));
            }
            if after & bit != 0 {
                f.push(feat(90 + g, &[]));
            }
        }
        let gaz = &out.gazetteers;
        for l in 0..GAZETTEERS {
            let own = gaz[i][l];
            let before = if i > 0 { gaz[i - 1][l] } else { Place::None };
            let after = gaz.get(i + 1).map_or(Place::None, |g| g[l]);
            let l = l as u32;
            if own != Place::None {
                f.push(feat(140 + l, &[own as u64]));
                f.push(feat(150 + l, &[own as u64, s]));
            }
            if before != Place::None {
                f.push(feat(160 + l, &[before as u64]));
            }
            if after != Place::None {
                f.push(feat(170 + l, &[after as u64]));
            }
        }
        if let Some((a, b)) = out.runs[i] {
            let len = (b - a).min(5) as u64;
            // Single, begin, end, inside.
            let place: u64 = if b - a == 1 {
                0
            } else if i == a {
                1
            } else if i + 1 == b {
                2
            } else {
                3
            };
            f.push(feat(100, &[place, len]));
            f.push(feat(101, &[place, toks[b - 1].word]));
            f.push(feat(102, &[place, toks[a].word]));
            if a > 0 {
                f.push(feat(103, &[place, toks[a - 1].word]));
            }
            for g in 0..crate::lexicon::LISTS.len() as u32 {
                if toks[b - 1].mask & (1 << g) != 0 {
                    f.push(feat(110 + g, &[place]));
                }
            }
        }
        out.ends.push(out.features.len());
    }
}

/// Every token's tag-independent features, in one buffer: token `i`'s intrinsic features, then
/// its features of context. Reused from sentence to sentence.
#[derive(Debug, Default)]
pub(crate) struct StaticFeatures {
    features: Vec<u32>,
    /// Each token's run of capitalised words (start, end), if in one.
    runs: Vec<Option<(usize, usize)>>,
    /// The tokens' normal forms' hashes, and where each stands in the gazetteers' names.
    words: Vec<u64>,
    gazetteers: Vec<[Place; GAZETTEERS]>,
    /// Where token `i`'s features of context start.
    splits: Vec<usize>,
    /// `features[ends[i - 1]..ends[i]]` are token `i`'s.
    ends: Vec<usize>,
}

impl StaticFeatures {
    /// Token `i`'s features.
    pub fn of(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.features[start..self.ends[i]]
    }

    /// Token `i`'s features as two parts: intrinsic (see [`intrinsic_features`]) and of
    /// context.
    pub fn parts(&self, i: usize) -> (&[u32], &[u32]) {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        (
            &self.features[start..self.splits[i]],
            &self.features[self.splits[i]..self.ends[i]],
        )
    }
}

/// Features that depend on the tags already chosen: the two previous tokens' tags, and the
/// kinds this word was given earlier in the document (`history`). Those of the previous tags
/// alone ([`transition_features`]) and of the word after an `O` ([`after_o_features`]) are
/// left out when `cached`, for their scores are known.
pub(crate) fn tag_features(
    prev: Label,
    prev2: Label,
    tok: &TokenInfo,
    next: Option<&TokenInfo>,
    history: Option<&[u16; 5]>,
    cached: bool,
    out: &mut Vec<u32>,
) {
    let p = prev.index() as u64;
    let next = next.map_or(EOS, |t| t.word);
    if !cached {
        out.extend_from_slice(&transition_features(prev2, prev));
    }
    if !cached || prev != Label::O {
        out.extend_from_slice(&after_features(prev, tok));
    }
    out.push(feat(54, &[p, next]));
    if let Some(h) = history {
        // The kind most often given to this word before in the document.
        let (best, n) = h
            .iter()
            .enumerate()
            .max_by_key(|(_, &n)| n)
            .map_or((0, 0), |(i, &n)| (i, n));
        if n > 0 {
            out.push(feat(55, &[best as u64]));
            out.push(feat(56, &[best as u64, tok.shape]));
        }
    }
}

/// The [`tag_features`] of the two previous tags alone.
pub(crate) fn transition_features(prev2: Label, prev: Label) -> [u32; 2] {
    let (p2, p) = (prev2.index() as u64, prev.index() as u64);
    [feat(50, &[p]), feat(51, &[p2, p])]
}

/// The [`tag_features`] of a word with the previous tag.
pub(crate) fn after_features(prev: Label, tok: &TokenInfo) -> [u32; 2] {
    let p = prev.index() as u64;
    [feat(52, &[p, tok.word]), feat(53, &[p, tok.shape])]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_suffixes_are_hashed_by_characters() {
        let mut buf = String::new();
        let (_, t) = TokenInfo::new("Phnôm", &mut buf);
        assert_eq!(t.chars, 5);
        assert_eq!(t.prefix[0], str_hash("p"));
        assert_eq!(t.prefix[2], str_hash("phn"));
        assert_eq!(t.prefix[3], str_hash("phnô"));
        let (_, short) = TokenInfo::new("A", &mut buf);
        assert_eq!(short.chars, 1);
        assert_eq!(short.prefix[1], 0);
    }

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape_hash("Sokha"), str_hash("Xx"));
        assert_eq!(shape_hash("CNRP"), str_hash("X"));
        assert_eq!(shape_hash("2017"), str_hash("d"));
        assert_eq!(shape_hash("U.S."), str_hash("X.X."));
        assert_eq!(shape_hash("Phnôm-Penh"), str_hash("Xx-Xx"));
        assert_ne!(shape_hash("Sokha"), shape_hash("sokha"));
    }

    #[test]
    fn features_are_never_zero_and_depend_on_every_part() {
        assert_ne!(feat(1, &[1]), feat(1, &[2]));
        assert_ne!(feat(1, &[1]), feat(2, &[1]));
        assert_ne!(feat(26, &[1, 2]), feat(26, &[2, 1]));
        assert!((0..10_000).all(|i| feat(i, &[u64::from(i)]) != 0));
    }

    #[test]
    fn norms_fold_case_and_curly_quotes() {
        let mut s = String::new();
        norm_into("People’s", &mut s);
        assert_eq!(s, "people's");
    }
}
