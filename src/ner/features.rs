//! Feature extraction for the tagger. Each feature is a template number and a string, hashed
//! to 32 bits; the model keeps weights for the hashes it saw in training.

use super::Tag;
use std::collections::HashSet;

fn hash(template: u32, parts: &[&str]) -> u32 {
    // FNV-1a over the template and the parts, with a separator byte.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(template);
    for p in parts {
        for &b in p.as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

/// The word's shape: `Xx` for `Sokha`, `X` for `CNRP`, `d` for `2017`, `X.X.` for `U.S.`;
/// runs of one class collapse to one letter.
pub(crate) fn shape(word: &str) -> String {
    let mut out = String::new();
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
        if !out.ends_with(s) {
            out.push(s);
        }
    }
    out
}

/// The form features use: lower case, curly apostrophes and quotes straightened.
pub(crate) fn norm(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '’' | '‘' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            _ => c,
        })
        .collect()
}

/// What the tagger knows of a document beyond the sentence: words it has seen in lower case
/// (a capitalised word that also appears in lower case is less likely a name).
#[derive(Debug, Default)]
pub(crate) struct DocContext {
    pub lower_seen: HashSet<String>,
    /// Words seen in title case (`Sokha`, not `SOKHA`) after a lower-case word: names.
    pub title_seen: HashSet<String>,
}

impl DocContext {
    pub fn from_words<'a>(words: impl Iterator<Item = &'a str>) -> DocContext {
        let mut c = DocContext::default();
        let mut prev_lower = false;
        for w in words {
            let mut chars = w.chars();
            let first = chars.next();
            if first.is_some_and(char::is_lowercase) {
                c.lower_seen.insert(norm(w));
                prev_lower = true;
                continue;
            }
            if prev_lower && first.is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
            {
                c.title_seen.insert(norm(w));
            }
            prev_lower = false;
        }
        c
    }
}

/// Tag-independent features of every token of a sentence.
pub(crate) fn static_features(
    words: &[&str],
    norms: &[String],
    shapes: &[String],
    doc: &DocContext,
) -> StaticFeatures {
    let masks: Vec<u8> = norms.iter().map(|w| super::lists::membership(w)).collect();
    let at = |i: isize| -> (&str, &str) {
        if i < 0 {
            ("<s>", "<s>")
        } else if i as usize >= words.len() {
            ("</s>", "</s>")
        } else {
            (norms[i as usize].as_str(), shapes[i as usize].as_str())
        }
    };
    // Runs of capitalised words (joined by "of", "and", "for", "the", "&"): their first and
    // last words and each token's place in its run.
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let joiner = |w: &str| matches!(w, "of" | "and" | "for" | "the" | "&" | "de");
    let mut run_of: Vec<Option<(usize, usize)>> = vec![None; words.len()];
    let mut i = 0;
    while i < words.len() {
        if !capital(words[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < words.len()
            && (capital(words[end])
                || (joiner(words[end]) && end + 1 < words.len() && capital(words[end + 1])))
        {
            end += 1;
        }
        for slot in run_of.iter_mut().take(end).skip(start) {
            *slot = Some((start, end));
        }
        i = end;
    }
    // A headline in capitals says little through case.
    let letters: Vec<char> = words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| c.is_alphabetic())
        .collect();
    let caps_sentence = letters.len() > 8
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 > letters.len() * 8;
    let mut out = StaticFeatures {
        features: Vec::with_capacity(words.len() * 64),
        ends: Vec::with_capacity(words.len()),
    };
    for i in 0..words.len() {
        let w = &norms[i];
        let s = &shapes[i];
        let ii = i as isize;
        let f = &mut out.features;
        f.push(hash(0, &[]));
        f.push(hash(1, &[w]));
        f.push(hash(2, &[s]));
        // Prefixes and suffixes of 1 to 4 (suffix also 5) characters, as slices.
        let bounds: Vec<usize> = w.char_indices().map(|(b, _)| b).chain([w.len()]).collect();
        let count = bounds.len() - 1;
        for n in 1..=4 {
            if count >= n {
                f.push(hash(3 + n as u32, &[&w[..bounds[n]]]));
                f.push(hash(10 + n as u32, &[&w[bounds[count - n]..]]));
            }
        }
        let (w1, s1) = at(ii - 1);
        let (w2, s2) = at(ii - 2);
        let (n1, t1) = at(ii + 1);
        let (n2, t2) = at(ii + 2);
        f.push(hash(20, &[w1]));
        f.push(hash(21, &[w2]));
        f.push(hash(22, &[n1]));
        f.push(hash(23, &[n2]));
        f.push(hash(24, &[s1]));
        f.push(hash(25, &[t1]));
        f.push(hash(26, &[s1, s]));
        f.push(hash(27, &[s, t1]));
        f.push(hash(28, &[w1, w]));
        f.push(hash(29, &[w, n1]));
        f.push(hash(30, &[s2, s1, s]));
        f.push(hash(31, &[s, t1, t2]));
        f.push(hash(32, &[w1, s]));
        f.push(hash(33, &[s, n1]));
        if i == 0 {
            f.push(hash(40, &[s]));
        }
        let first = words[i].chars().next().unwrap_or(' ');
        if first.is_uppercase() && doc.lower_seen.contains(w.as_str()) {
            f.push(hash(41, &[if i == 0 { "first" } else { "mid" }]));
        }
        if words[i].len() > 1
            && words[i]
                .chars()
                .all(|c| c.is_uppercase() || !c.is_alphabetic())
        {
            f.push(hash(42, &[]));
        }
        if words[i].contains('-') {
            f.push(hash(43, &[]));
        }
        if caps_sentence {
            f.push(hash(44, &[w]));
            f.push(hash(45, &[w1, w]));
        }
        if first.is_uppercase() && doc.title_seen.contains(w.as_str()) {
            f.push(hash(46, &[if caps_sentence { "caps" } else { "case" }]));
        }
        let here = masks[i];
        let before = if i > 0 { masks[i - 1] } else { 0 };
        let after = masks.get(i + 1).copied().unwrap_or(0);
        for g in 0..super::lists::LISTS.len() {
            let bit = 1u8 << g;
            if here & bit != 0 {
                f.push(hash(60 + g as u32, &[]));
                f.push(hash(70 + g as u32, &[s]));
            }
            if before & bit != 0 {
                f.push(hash(80 + g as u32, &[]));
            }
            if after & bit != 0 {
                f.push(hash(90 + g as u32, &[]));
            }
        }
        if count >= 5 {
            f.push(hash(15, &[&w[bounds[count - 5]..]]));
        }
        if let Some((a, b)) = run_of[i] {
            let len = (b - a).min(5).to_string();
            let place = if b - a == 1 {
                "S"
            } else if i == a {
                "B"
            } else if i + 1 == b {
                "E"
            } else {
                "I"
            };
            f.push(hash(100, &[place, &len]));
            f.push(hash(101, &[place, &norms[b - 1]]));
            f.push(hash(102, &[place, &norms[a]]));
            if a > 0 {
                f.push(hash(103, &[place, &norms[a - 1]]));
            }
            for g in 0..super::lists::LISTS.len() {
                if masks[b - 1] & (1 << g) != 0 {
                    f.push(hash(110 + g as u32, &[place]));
                }
            }
        }
        out.ends.push(out.features.len());
    }
    out
}

/// Every token's tag-independent features, in one buffer.
pub(crate) struct StaticFeatures {
    features: Vec<u32>,
    /// `features[ends[i - 1]..ends[i]]` are token `i`'s.
    ends: Vec<usize>,
}

impl StaticFeatures {
    /// Token `i`'s features.
    pub fn of(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.features[start..self.ends[i]]
    }
}

/// Features that depend on the tags already chosen: the two previous tokens' tags, and the
/// kinds this word was given earlier in the document (`history`).
pub(crate) fn tag_features(
    prev: Tag,
    prev2: Tag,
    word: &str,
    shape: &str,
    next: &str,
    history: Option<&[u16; 5]>,
    out: &mut Vec<u32>,
) {
    let p = tag_name(prev);
    let p2 = tag_name(prev2);
    out.push(hash(50, &[p]));
    out.push(hash(51, &[p2, p]));
    out.push(hash(52, &[p, word]));
    out.push(hash(53, &[p, shape]));
    out.push(hash(54, &[p, next]));
    if let Some(h) = history {
        // The kind most often given to this word before in the document.
        let (best, n) = h
            .iter()
            .enumerate()
            .max_by_key(|(_, &n)| n)
            .map_or((0, 0), |(i, &n)| (i, n));
        if n > 0 {
            const NAMES: [&str; 5] = ["O", "PER", "LOC", "ORG", "MISC"];
            out.push(hash(55, &[NAMES[best]]));
            out.push(hash(56, &[NAMES[best], shape]));
        }
    }
}

fn tag_name(t: Tag) -> &'static str {
    match t {
        Tag::O => "O",
        Tag::B(k) => match k {
            super::Kind::Per => "B-PER",
            super::Kind::Loc => "B-LOC",
            super::Kind::Org => "B-ORG",
            super::Kind::Misc => "B-MISC",
        },
        Tag::I(k) => match k {
            super::Kind::Per => "I-PER",
            super::Kind::Loc => "I-LOC",
            super::Kind::Org => "I-ORG",
            super::Kind::Misc => "I-MISC",
        },
    }
}
