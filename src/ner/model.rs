//! The averaged perceptron: training, greedy decoding, and the compact model format.
//!
//! Model file: magic `NLNER`, version, the weight scale (f32), the feature count, then for each
//! feature (sorted by hash) the hash delta (LEB128), a 9-bit mask of the tags it has a weight
//! for, and those weights as signed bytes (quantised by the scale).

use super::features::{norm, shape, static_features, tag_features, DocContext};
use super::{Tag, TAGS};
use crate::error::{Error, ErrorKind};
use crate::index::FxMap;
use std::collections::HashMap;

const MAGIC: &[u8; 5] = b"NLNER";
const VERSION: u8 = 1;

/// A trained tagger.
#[derive(Clone, Debug, Default)]
pub struct Model {
    index: FxMap<u32, u32>,
    weights: Vec<[i8; TAGS]>,
    scale: f32,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Features whose largest averaged weight (in absolute value) is below this are dropped,
    /// to keep the model small.
    pub prune: f32,
    /// Seed of the shuffle between epochs (run `r` uses `seed + r`).
    pub seed: u64,
    /// Independent runs whose weights are averaged.
    pub runs: usize,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            epochs: 8,
            prune: 1.0,
            seed: 1,
            runs: 4,
        }
    }
}

/// A sentence for training: words and their gold tags.
pub type LabelledSentence = (Vec<String>, Vec<Tag>);

#[derive(Clone, Default)]
struct Trained {
    w: [f32; TAGS],
    total: [f32; TAGS],
    stamp: [u32; TAGS],
}

/// Scores of every tag for one token (up to a positive factor: only their order matters).
fn scores(feats: &[u32], lookup: impl Fn(u32) -> Option<[f32; TAGS]>) -> [f32; TAGS] {
    let mut s = [0.0f32; TAGS];
    for &f in feats {
        if let Some(w) = lookup(f) {
            for (acc, v) in s.iter_mut().zip(w) {
                *acc += v;
            }
        }
    }
    s
}

fn best_valid(s: &[f32; TAGS], prev: Tag) -> Tag {
    let mut best = Tag::O;
    let mut best_score = f32::NEG_INFINITY;
    for (i, &v) in s.iter().enumerate() {
        let t = Tag::from_index(i);
        if t.may_follow(prev) && v > best_score {
            best = t;
            best_score = v;
        }
    }
    best
}

/// Kinds given to each capitalised word earlier in a document: counts of O, PER, LOC, ORG, MISC.
pub(crate) type History = HashMap<String, [u16; 5]>;

/// Greedy left-to-right decoding of one sentence; `history` carries over the document.
fn decode(
    words: &[&str],
    doc: &DocContext,
    history: &mut History,
    lookup: impl Fn(u32) -> Option<[f32; TAGS]>,
    mut on_token: impl FnMut(usize, &[u32], Tag),
) -> Vec<Tag> {
    let norms: Vec<String> = words.iter().map(|w| norm(w)).collect();
    let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
    let stat = static_features(words, &norms, &shapes, doc);
    let mut tags = Vec::with_capacity(words.len());
    let mut feats = Vec::new();
    for i in 0..words.len() {
        let base = stat.of(i);
        let prev = if i > 0 { tags[i - 1] } else { Tag::O };
        let prev2 = if i > 1 { tags[i - 2] } else { Tag::O };
        feats.clear();
        feats.extend_from_slice(base);
        let next = norms.get(i + 1).map_or("</s>", String::as_str);
        let capital = words[i].chars().next().is_some_and(char::is_uppercase);
        let seen = if capital {
            history.get(&norms[i])
        } else {
            None
        };
        tag_features(
            prev,
            prev2,
            &norms[i],
            &shape(words[i]),
            next,
            seen,
            &mut feats,
        );
        let t = best_valid(&scores(&feats, &lookup), prev);
        on_token(i, &feats, t);
        tags.push(t);
    }
    for (i, t) in tags.iter().enumerate() {
        if words[i].chars().next().is_some_and(char::is_uppercase) {
            let slot = t.kind().map_or(0, |k| 1 + k as usize);
            match history.get_mut(&norms[i]) {
                Some(e) => e[slot] = e[slot].saturating_add(1),
                None => {
                    let mut e = [0; 5];
                    e[slot] = 1;
                    history.insert(norms[i].clone(), e);
                }
            }
        }
    }
    tags
}

/// One averaged-perceptron run with one shuffle seed: the averaged weights.
fn train_once(
    docs: &[Vec<LabelledSentence>],
    contexts: &[DocContext],
    epochs: usize,
    seed: u64,
) -> FxMap<u32, [f32; TAGS]> {
    let mut weights: FxMap<u32, Trained> = FxMap::default();
    let mut clock: u32 = 0;
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let mut rng = seed.max(1);
    for _ in 0..epochs {
        // Documents are shuffled (Fisher-Yates with xorshift: the same order for the same
        // seed); sentences keep their order, so the document history is as at tagging time.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &d in &order {
            let mut history = History::new();
            for (words, gold) in &docs[d] {
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let mut updates: Vec<(Vec<u32>, Tag, Tag)> = Vec::new();
                decode(
                    &words,
                    &contexts[d],
                    &mut history,
                    |f| weights.get(&f).map(|e| e.w),
                    |i, feats, guess| {
                        if guess != gold[i] {
                            updates.push((feats.to_vec(), gold[i], guess));
                        }
                    },
                );
                for (feats, truth, guess) in updates {
                    clock += 1;
                    for f in feats {
                        let e = weights.entry(f).or_default();
                        for (t, delta) in [(truth.index(), 1.0f32), (guess.index(), -1.0)] {
                            e.total[t] += (clock - e.stamp[t]) as f32 * e.w[t];
                            e.stamp[t] = clock;
                            e.w[t] += delta;
                        }
                    }
                }
            }
        }
    }
    weights
        .into_iter()
        .map(|(f, mut e)| {
            let mut avg = [0.0f32; TAGS];
            for (t, a) in avg.iter_mut().enumerate() {
                e.total[t] += (clock - e.stamp[t]) as f32 * e.w[t];
                *a = e.total[t] / clock.max(1) as f32;
            }
            (f, avg)
        })
        .collect()
}

/// Trains a model on documents of labelled sentences: [`TrainOptions::runs`] perceptron runs
/// with different shuffles, their weights averaged (which steadies the greedy tagger), then
/// pruned and quantised to signed bytes.
pub fn train(docs: &[Vec<LabelledSentence>], options: &TrainOptions) -> Model {
    let contexts: Vec<DocContext> = docs
        .iter()
        .map(|d| DocContext::from_words(d.iter().flat_map(|(w, _)| w.iter().map(String::as_str))))
        .collect();
    let runs = options.runs.max(1);
    let mut sum: FxMap<u32, [f32; TAGS]> = FxMap::default();
    for r in 0..runs {
        for (f, w) in train_once(docs, &contexts, options.epochs, options.seed + r as u64) {
            let e = sum.entry(f).or_insert([0.0; TAGS]);
            for (acc, v) in e.iter_mut().zip(w) {
                *acc += v / runs as f32;
            }
        }
    }
    let mut averaged: Vec<(u32, [f32; TAGS])> = sum
        .into_iter()
        .filter(|(_, w)| w.iter().any(|v| v.abs() >= options.prune))
        .collect();
    averaged.sort_unstable_by_key(|(f, _)| *f);
    let max = averaged
        .iter()
        .flat_map(|(_, w)| w.iter().map(|v| v.abs()))
        .fold(0.0f32, f32::max)
        .max(f32::MIN_POSITIVE);
    let scale = max / 127.0;
    let mut model = Model {
        scale,
        ..Model::default()
    };
    for (f, w) in averaged {
        let q = w.map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8);
        model.index.insert(f, model.weights.len() as u32);
        model.weights.push(q);
    }
    model
}

/// The model shipped with NewsLens, trained by `make model` (see `model/README.md`).
static BUNDLED: &[u8] = include_bytes!("../../model/ner.bin");

impl Model {
    /// The bundled model, loaded once.
    pub fn bundled() -> &'static Model {
        static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| Model::from_bytes(BUNDLED).unwrap_or_default())
    }

    /// Number of features kept.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True for an empty model (tags everything `O`).
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    fn lookup(&self, f: u32) -> Option<[f32; TAGS]> {
        let i = *self.index.get(&f)?;
        let q = self.weights.get(i as usize)?;
        Some(q.map(f32::from))
    }

    /// Tags the sentences of one document (each a list of tokens as written).
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Tag>> {
        let doc = DocContext::from_words(sentences.iter().flat_map(|s| s.iter().copied()));
        let mut history = History::new();
        sentences
            .iter()
            .map(|s| decode(s, &doc, &mut history, |f| self.lookup(f), |_, _, _| {}))
            .collect()
    }

    /// The model in its file form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut feats: Vec<(u32, u32)> = self.index.iter().map(|(&f, &i)| (f, i)).collect();
        feats.sort_unstable();
        leb(&mut out, feats.len() as u64);
        let mut prev = 0u32;
        for (f, i) in feats {
            leb(&mut out, u64::from(f - prev));
            prev = f;
            let w = self.weights[i as usize];
            let mask: u16 = (0..TAGS).filter(|&t| w[t] != 0).map(|t| 1 << t).sum();
            leb(&mut out, u64::from(mask));
            out.extend(w.iter().filter(|&&v| v != 0).map(|&v| v as u8));
        }
        out
    }

    /// Loads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, Error> {
        let bad = |what: &str| {
            Error::new(
                ErrorKind::Malformed,
                format!("the entity model is damaged: {what}"),
            )
        };
        if bytes.len() < 10 || &bytes[..5] != MAGIC {
            return Err(bad("it does not start with NLNER"));
        }
        if bytes[5] != VERSION {
            return Err(bad("unknown version"));
        }
        let scale = f32::from_le_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]);
        if !scale.is_finite() || scale <= 0.0 {
            return Err(bad("bad scale"));
        }
        let mut at = 10;
        let read = |at: &mut usize| -> Result<u64, Error> {
            let mut v = 0u64;
            for shift in (0..64).step_by(7) {
                let b = *bytes.get(*at).ok_or_else(|| bad("it ends early"))?;
                *at += 1;
                v |= u64::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    return Ok(v);
                }
            }
            Err(bad("a number is too long"))
        };
        let n = read(&mut at)?;
        if n > bytes.len() as u64 {
            return Err(bad("the feature count is larger than the file"));
        }
        let mut model = Model {
            scale,
            ..Model::default()
        };
        let mut f: u64 = 0;
        for _ in 0..n {
            f += read(&mut at)?;
            let mask = read(&mut at)?;
            if f > u64::from(u32::MAX) || mask >= 1 << TAGS {
                return Err(bad("a feature is out of range"));
            }
            let mut w = [0i8; TAGS];
            for (t, slot) in w.iter_mut().enumerate() {
                if mask & (1 << t) != 0 {
                    *slot = *bytes.get(at).ok_or_else(|| bad("it ends early"))? as i8;
                    at += 1;
                }
            }
            model.index.insert(f as u32, model.weights.len() as u32);
            model.weights.push(w);
        }
        if at != bytes.len() {
            return Err(bad("there are bytes after the end"));
        }
        Ok(model)
    }
}

fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}
