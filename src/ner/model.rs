//! The averaged perceptron: training (greedy), decoding (a small beam), and the compact model
//! format.
//!
//! Model file: magic `NLNER`, version, the weight scale (f32), the feature count, then for each
//! feature (sorted by hash) the hash delta (LEB128), a 17-bit mask of the labels (BILOU) it has a weight
//! for, and those weights as signed bytes (quantised by the scale).

use super::features::{
    after_features, boundary_features, intrinsic_features, norm_hash, static_features,
    tag_features, token_neighbour_features, transition_features, Affixes, DocContext, History,
    StaticFeatures, TokenInfo, NEIGHBOURS,
};
use super::{Label, Tag, LABELS as TAGS};
use crate::error::{Damaged, Error};
use crate::hash::FxMap;
use crate::store::push_leb128;

const MAGIC: &[u8; 5] = b"NLNER";
/// Version 5: BILOU labels (17 weights a feature); version 4: gazetteer features (`gazetteer.rs`); version 3 added word-cluster features
/// (`clusters.rs`); version 2 hashed feature parts once per token (`features.rs`).
const VERSION: u8 = 5;

/// A trained tagger.
#[derive(Clone, Debug, Default)]
pub struct Model {
    table: Table,
    scale: f32,
}

/// The model's weights: a hash table of 64-byte buckets (one cache line each) of two features
/// and their weights. Features are well-mixed non-zero hashes, so a feature's low bits choose
/// its home bucket; zero marks an empty place. A full bucket passes new features on to the next
/// one and remembers it (`spill`), so a lookup reads one cache line unless its home spilled.
/// Within a bucket the matching place is chosen without branches (whether a feature is known is
/// unpredictable, and most are not).
#[derive(Clone, Debug, Default)]
struct Table {
    buckets: Vec<Bucket>,
    len: usize,
}

/// Features in a bucket.
const KEYS: usize = 2;

#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(64))]
struct Bucket {
    keys: [u32; KEYS],
    /// The weights of `keys[i]` are `weights[i]`; `weights[KEYS]` stays zero (read on a miss).
    weights: [[i8; TAGS]; KEYS + 1],
    /// Some feature whose home is this bucket lives in a later one.
    spill: bool,
}

impl Table {
    fn with_capacity(n: usize) -> Table {
        // At most about 60% full: few buckets spill.
        let size = (n * 5 / (3 * KEYS) + 1).max(4).next_power_of_two();
        Table {
            buckets: vec![Bucket::default(); size],
            len: 0,
        }
    }

    /// Inserts or replaces `key` (not zero); false if the table is full.
    fn insert(&mut self, key: u32, weights: [i8; TAGS]) -> bool {
        let mask = self.buckets.len() - 1;
        let mut b = key as usize & mask;
        for _ in 0..self.buckets.len() {
            let bucket = &mut self.buckets[b];
            if let Some(i) = bucket.keys.iter().position(|&k| k == key || k == 0) {
                self.len += usize::from(bucket.keys[i] == 0);
                bucket.keys[i] = key;
                bucket.weights[i] = weights;
                return true;
            }
            bucket.spill = true;
            b = (b + 1) & mask;
        }
        false
    }

    /// Adds `key`'s weights (if the table has it) to `acc`.
    #[inline]
    fn add_to(&self, key: u32, acc: &mut [i32; TAGS]) {
        let mask = self.buckets.len().wrapping_sub(1);
        let mut b = key as usize & mask;
        while let Some(bucket) = self.buckets.get(b) {
            let mut at = KEYS;
            for (i, &k) in bucket.keys.iter().enumerate() {
                at = if k == key { i } else { at };
            }
            for (a, &w) in acc.iter_mut().zip(&bucket.weights[at]) {
                *a += i32::from(w);
            }
            if at < KEYS || !bucket.spill {
                return;
            }
            b = (b + 1) & mask;
        }
    }

    fn iter(&self) -> impl Iterator<Item = (u32, [i8; TAGS])> + '_ {
        self.buckets.iter().flat_map(|b| {
            (b.keys.iter().zip(&b.weights))
                .filter(|(&k, _)| k != 0)
                .map(|(&k, &w)| (k, w))
        })
    }

    /// A table holding `entries` (non-zero keys).
    fn build(entries: &[(u32, [i8; TAGS])]) -> Table {
        let mut t = Table::with_capacity(entries.len());
        for &(k, w) in entries {
            // Cannot fail: the table has room for every entry.
            let _ = t.insert(k, w);
        }
        t
    }
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
        // Chosen by 5-fold cross-validation by document on eng.train (`newslens cv-ner`):
        // 12 epochs 0.869 (8: 0.866, 16: 0.867); pruning at 1.0 scores the same as at 2.0 with
        // twice the features.
        TrainOptions {
            epochs: 12,
            prune: 2.0,
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

fn best_valid(s: &[f32; TAGS], prev: Label) -> Label {
    let mut best = Label::O;
    let mut best_score = f32::NEG_INFINITY;
    for (i, &v) in s.iter().enumerate() {
        let t = Label::from_index(i);
        if t.may_follow(prev) && v > best_score {
            best = t;
            best_score = v;
        }
    }
    best
}

/// How [`decode`] scores: the weights being trained, or the model's.
trait Scorer {
    /// Every tag's score for features (only their order matters).
    fn score(&self, feats: &[u32]) -> [f32; TAGS];
    /// The weight one unit of score stands for.
    fn unit(&self) -> f32 {
        1.0
    }
}

/// Scores as a word's cache keeps them: exact sums of quantised weights (a word has at most a
/// few dozen features of weight at most 127 in magnitude, so they fit), half the size of `f32`.
type Packed = [i16; TAGS];

fn pack(s: [f32; TAGS]) -> Packed {
    s.map(|v| v.clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16)
}

fn add_packed(acc: &mut [f32; TAGS], p: &Packed) {
    for (a, &v) in acc.iter_mut().zip(p) {
        *a += f32::from(v);
    }
}

/// What a word adds to tag scores wherever it appears: its intrinsic features, and the features
/// it gives its neighbours ([`neighbour_features`]: as the previous word, the one before, the
/// next, the one after).
#[derive(Clone, Copy, Debug)]
struct WordScores {
    own: Packed,
    neighbour: [Packed; 4],
    /// Its [`after_features`] when the previous tag is `O` (as it mostly is).
    after_o: Packed,
}

/// Neighbour scores of the sentence boundaries: before the first word, after the last.
type Boundaries = ([Packed; 4], [Packed; 4]);

/// Scores of a word's (or a sentence boundary's) neighbour features.
fn neighbour_scores(scorer: &impl Scorer, feats: [[u32; 4]; 4]) -> [Packed; 4] {
    feats.map(|f| {
        let n = f.iter().take_while(|&&x| x != 0).count();
        pack(scorer.score(&f[..n]))
    })
}

/// [`Boundaries`] as `scorer` scores them.
fn boundary_scores(scorer: &impl Scorer) -> Boundaries {
    let (before, after) = boundary_features();
    (
        neighbour_scores(scorer, before),
        neighbour_scores(scorer, after),
    )
}

/// What a sentence's tokens need scored besides their context: either every word's cached
/// scores (with the boundaries'), or every word's affixes to compute them from.
enum Known<'a> {
    Cached(&'a [&'a WordScores], &'a Fixed),
    Fresh(&'a [Affixes]),
}

/// Scores that depend on no word, computed once per model: the sentence boundaries' as
/// neighbours, and those of every pair of previous tags ([`transition_features`]).
struct Fixed {
    boundaries: Boundaries,
    transitions: [[[f32; TAGS]; TAGS]; TAGS],
}

impl Fixed {
    fn new(model: &Model) -> Fixed {
        let mut transitions = [[[0.0; TAGS]; TAGS]; TAGS];
        for (p2, row) in transitions.iter_mut().enumerate() {
            for (p, slot) in row.iter_mut().enumerate() {
                *slot = model.score(&transition_features(
                    Label::from_index(p2),
                    Label::from_index(p),
                ));
            }
        }
        Fixed {
            boundaries: boundary_scores(model),
            transitions,
        }
    }
}

/// Buffers the decoding of one sentence reuses from the last.
#[derive(Default)]
struct Scratch {
    stat: StaticFeatures,
    static_scores: Vec<[f32; TAGS]>,
    feats: Vec<u32>,
    /// The labels of the hypotheses decoding keeps: a label and its predecessor's place.
    trail: Vec<(Label, usize)>,
}

/// Hypotheses decoding keeps at each token (see [`decode_tokens`]). Chosen by 5-fold
/// cross-validation by document on eng.train (tagger F1): greedy 0.884, 2 0.888, 4 and 8 the
/// same as 2.
const BEAM: usize = 2;

/// The temperature, in weights, at which a token's scores become log-probabilities for the
/// beam (cross-validated as [`BEAM`]: 1 0.8845, 8 0.8865, 16 0.8878, 24 0.8862, 32 0.8818).
const TEMPERATURE: f32 = 16.0;

/// Hypotheses less likely than the best by this much (a natural log: e^-6, 1 in 400) are
/// dropped, so that most tokens cost what greedy decoding costs.
const PRUNE: f32 = 6.0;

/// A hypothesis of a sentence's labels up to a token.
#[derive(Clone, Copy, Debug)]
struct Hyp {
    score: f32,
    prev: Label,
    prev2: Label,
    /// Its last label's place in [`Scratch::trail`] (`usize::MAX`: none yet).
    at: usize,
}

impl Hyp {
    /// This hypothesis followed by `t`, scored `v`, its label kept at `at`.
    fn then(&self, t: Label, v: f32, at: usize) -> Hyp {
        Hyp {
            score: self.score + v,
            prev: t,
            prev2: self.prev,
            at,
        }
    }
}

/// What training watches during decoding: each token's features and the tag chosen.
type OnToken<'a> = dyn FnMut(usize, &[u32], Label) + 'a;

/// Left-to-right decoding of one sentence; `history` carries over the document. With
/// `on_token` (training), decoding is greedy and `on_token` sees each token's features and the
/// label chosen; without, it keeps the [`BEAM`] best hypotheses.
fn decode(
    words: &[&str],
    doc: &DocContext,
    history: &mut History,
    scorer: &impl Scorer,
    on_token: Option<&mut OnToken<'_>>,
) -> Vec<Label> {
    let mut buf = String::new();
    let (toks, affixes): (Vec<TokenInfo>, Vec<Affixes>) =
        words.iter().map(|w| TokenInfo::new(w, &mut buf)).unzip();
    let mut scratch = Scratch::default();
    let known = Known::Fresh(&affixes);
    decode_tokens(
        words,
        &toks,
        &known,
        doc,
        history,
        scorer,
        &mut scratch,
        on_token,
    )
}

/// [`decode`] with the tokens already looked at.
#[allow(clippy::too_many_arguments)]
fn decode_tokens(
    words: &[&str],
    toks: &[TokenInfo],
    known: &Known<'_>,
    doc: &DocContext,
    history: &mut History,
    scorer: &impl Scorer,
    scratch: &mut Scratch,
    mut on_token: Option<&mut OnToken<'_>>,
) -> Vec<Label> {
    let Scratch {
        stat,
        static_scores,
        feats,
        ..
    } = scratch;
    let affixes = match known {
        Known::Fresh(a) => Some(*a),
        Known::Cached(..) => None,
    };
    static_features(words, toks, affixes, doc, stat);
    // The tag-independent part of every token's scores first, in one pass: its lookups do not
    // wait on the tagging decisions.
    static_scores.clear();
    static_scores.extend((0..toks.len()).map(|i| {
        let (own, context) = stat.parts(i);
        let mut s = scorer.score(context);
        match known {
            Known::Fresh(_) => {
                for (acc, v) in s.iter_mut().zip(scorer.score(own)) {
                    *acc += v;
                }
            }
            Known::Cached(
                c,
                Fixed {
                    boundaries: (before, after),
                    ..
                },
            ) => {
                // Its own, and its neighbours' (neighbour slot k is the word at offset
                // NEIGHBOURS[k] from the one it scores), or the sentence boundary's.
                add_packed(&mut s, &c[i].own);
                for (k, off) in NEIGHBOURS.into_iter().enumerate() {
                    let edge = if off < 0 { before } else { after };
                    let word = i.checked_add_signed(off).and_then(|j| c.get(j));
                    add_packed(&mut s, word.map_or(&edge[k], |w| &w.neighbour[k]));
                }
            }
        }
        s
    }));
    // Hypotheses of the labels so far, best first: their score, their last two labels, and
    // their last label's place in `trail` (each entry a label and its predecessor's place).
    // Training decodes greedily (one hypothesis), as its updates assume.
    let width = if on_token.is_some() { 1 } else { BEAM };
    let trail = &mut scratch.trail;
    trail.clear();
    let mut hyps: Vec<Hyp> = vec![Hyp {
        score: 0.0,
        prev: Label::O,
        prev2: Label::O,
        at: usize::MAX,
    }];
    let mut next: Vec<Hyp> = Vec::with_capacity(width * TAGS);
    let mut kept: Vec<Hyp> = Vec::with_capacity(width);
    for (i, tok) in toks.iter().enumerate() {
        let seen = if tok.capital {
            history.get(&tok.word)
        } else {
            None
        };
        let cached = match known {
            Known::Cached(c, fixed) => Some((c[i], fixed)),
            Known::Fresh(_) => None,
        };
        next.clear();
        for h in &hyps {
            let (prev, prev2) = (h.prev, h.prev2);
            feats.clear();
            tag_features(
                prev,
                prev2,
                tok,
                toks.get(i + 1),
                seen,
                cached.is_some(),
                feats,
            );
            let mut s = scorer.score(feats);
            if let Some((w, fixed)) = cached {
                for (acc, v) in s
                    .iter_mut()
                    .zip(fixed.transitions[prev2.index()][prev.index()])
                {
                    *acc += v;
                }
                if prev == Label::O {
                    add_packed(&mut s, &w.after_o);
                }
            }
            for (acc, v) in s.iter_mut().zip(static_scores[i]) {
                *acc += v;
            }
            if width == 1 {
                let t = best_valid(&s, prev);
                if let Some(f) = on_token.as_mut() {
                    feats.extend_from_slice(stat.of(i));
                    f(i, feats, t);
                }
                next.push(h.then(t, s[t.index()], trail.len()));
                trail.push((t, h.at));
                continue;
            }
            // Scores made log-probabilities over the labels that may follow, so hypotheses
            // compare: the perceptron's raw scores were only ever compared at one token.
            let unit = scorer.unit() / TEMPERATURE;
            let mut max = f32::NEG_INFINITY;
            for (t, &v) in s.iter().enumerate() {
                if Label::from_index(t).may_follow(prev) {
                    max = max.max(v * unit);
                }
            }
            let mut z = 0.0f32;
            for (t, &v) in s.iter().enumerate() {
                if Label::from_index(t).may_follow(prev) {
                    z += (v * unit - max).exp();
                }
            }
            let log_z = max + z.ln();
            for (t, &v) in s.iter().enumerate() {
                let t = Label::from_index(t);
                if t.may_follow(prev) {
                    next.push(h.then(t, v * unit - log_z, h.at));
                }
            }
        }
        if width > 1 {
            // The best of each state (last two labels: all the future depends on), then the
            // best `width` states, picked one at a time (ties to the earlier hypothesis, as a
            // stable sort would order them): cheaper than sorting a dozen for two.
            kept.clear();
            while kept.len() < width {
                let mut pick: Option<&Hyp> = None;
                for h in &next {
                    let new_state = !(kept.iter()).any(|o| (o.prev, o.prev2) == (h.prev, h.prev2));
                    if new_state && pick.is_none_or(|p| h.score.total_cmp(&p.score).is_gt()) {
                        pick = Some(h);
                    }
                }
                let Some(&h) = pick else {
                    break;
                };
                // A hypothesis far less likely than the best is not worth its lookups.
                if kept
                    .first()
                    .is_some_and(|best| h.score < best.score - PRUNE)
                {
                    break;
                }
                kept.push(Hyp {
                    at: trail.len(),
                    ..h
                });
                trail.push((h.prev, h.at));
            }
            next.clear();
            next.extend_from_slice(&kept);
        }
        std::mem::swap(&mut hyps, &mut next);
    }
    let mut tags = vec![Label::O; toks.len()];
    let mut at = hyps.first().map_or(usize::MAX, |h| h.at);
    for slot in tags.iter_mut().rev() {
        let Some(&(t, before)) = trail.get(at) else {
            break;
        };
        *slot = t;
        at = before;
    }
    for (tok, t) in toks.iter().zip(&tags) {
        if tok.capital {
            let slot = t.kind().map_or(0, |k| 1 + k as usize);
            let e = history.entry(tok.word).or_insert([0; 5]);
            e[slot] = e[slot].saturating_add(1);
        }
    }
    tags
}

/// Scoring with the weights being trained.
struct Training<'a>(&'a FxMap<u32, Trained>);

impl Scorer for Training<'_> {
    fn score(&self, feats: &[u32]) -> [f32; TAGS] {
        let mut s = [0.0f32; TAGS];
        for f in feats {
            if let Some(e) = self.0.get(f) {
                for (acc, v) in s.iter_mut().zip(e.w) {
                    *acc += v;
                }
            }
        }
        s
    }
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
            let mut history = History::default();
            for (words, gold) in &docs[d] {
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let gold = Label::of_tags(gold);
                let mut updates: Vec<(Vec<u32>, Label, Label)> = Vec::new();
                decode(
                    &words,
                    &contexts[d],
                    &mut history,
                    &Training(&weights),
                    Some(&mut |i, feats, guess| {
                        if guess != gold[i] {
                            updates.push((feats.to_vec(), gold[i], guess));
                        }
                    }),
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
        .map(|d| {
            let mut buf = String::new();
            let words = d.iter().flat_map(|(w, _)| w.iter().map(String::as_str));
            DocContext::from_words(words.map(|w| (w, norm_hash(w, &mut buf))))
        })
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
    let quantised: Vec<(u32, [i8; TAGS])> = averaged
        .into_iter()
        .map(|(f, w)| (f, w.map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8)))
        .collect();
    Model {
        scale,
        table: Table::build(&quantised),
    }
}

/// The model shipped with NewsLens, trained by `make model` (see `model/README.md`).
static BUNDLED: &[u8] = include_bytes!("../../model/ner.bin");

impl Model {
    /// The bundled model: loaded when first asked for, shared by every caller holding it, and
    /// let go (1 MB) once none does, to be loaded again (a few milliseconds) when next asked
    /// for. A corpus holds it while it has articles to recognise, so that recognition spread
    /// over many calls loads it once, and linking, which comes after, has its room.
    pub fn bundled() -> std::sync::Arc<Model> {
        use std::sync::{Arc, Mutex, PoisonError, Weak};
        static MODEL: Mutex<Weak<Model>> = Mutex::new(Weak::new());
        let mut slot = MODEL.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(model) = slot.upgrade() {
            return model;
        }
        let model = Arc::new(Model::from_bytes(BUNDLED).unwrap_or_default());
        *slot = Arc::downgrade(&model);
        model
    }

    /// Number of features kept.
    pub fn len(&self) -> usize {
        self.table.len
    }

    /// True for an empty model (tags everything `O`).
    pub fn is_empty(&self) -> bool {
        self.table.len == 0
    }

    /// Every tag's score for a token's features: the sum of their quantised weights.
    fn score(&self, feats: &[u32]) -> [f32; TAGS] {
        let mut s = [0i32; TAGS];
        for &f in feats {
            self.table.add_to(f, &mut s);
        }
        s.map(|v| v as f32)
    }

    /// Tags the sentences of one document (each a list of tokens as written).
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Tag>> {
        Tagger::new(self).tag_document(sentences)
    }

    /// The model in its file form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut feats: Vec<(u32, [i8; TAGS])> = self.table.iter().collect();
        feats.sort_unstable_by_key(|(f, _)| *f);
        push_leb128(&mut out, feats.len() as u64);
        let mut prev = 0u32;
        for (f, w) in feats {
            push_leb128(&mut out, u64::from(f - prev));
            prev = f;
            let mask: u32 = (0..TAGS).filter(|&t| w[t] != 0).map(|t| 1 << t).sum();
            push_leb128(&mut out, u64::from(mask));
            out.extend(w.iter().filter(|&&v| v != 0).map(|&v| v as u8));
        }
        out
    }

    /// Loads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, Error> {
        let bad = |what: &str| Error::damaged(Damaged::Model, what);
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
        let mut entries = Vec::with_capacity((n as usize).min(bytes.len() / 2));
        let mut f: u64 = 0;
        for _ in 0..n {
            f += read(&mut at)?;
            let mask = read(&mut at)?;
            if f == 0 || f > u64::from(u32::MAX) || mask >= 1 << TAGS {
                return Err(bad("a feature is out of range"));
            }
            let mut w = [0i8; TAGS];
            for (t, slot) in w.iter_mut().enumerate() {
                if mask & (1 << t) != 0 {
                    *slot = *bytes.get(at).ok_or_else(|| bad("it ends early"))? as i8;
                    at += 1;
                }
            }
            entries.push((f as u32, w));
        }
        if at != bytes.len() {
            return Err(bad("there are bytes after the end"));
        }
        let table = Table::build(&entries);
        Ok(Model { table, scale })
    }
}

/// A model with a cache of each word's token information and scores, for tagging many
/// documents.
pub(crate) struct Tagger<'m> {
    model: &'m Model,
    /// Words looked at lately: by the word as written (which determines its intrinsic
    /// features), the place of its entry in `entries`.
    ids: FxMap<Box<str>, u32>,
    entries: Vec<(TokenInfo, WordScores)>,
    /// The generation before: a word found here moves to the current one. So the cache keeps
    /// the words in use without growing past two generations.
    old_ids: FxMap<Box<str>, u32>,
    old_entries: Vec<(TokenInfo, WordScores)>,
    fixed: Fixed,
    scratch: Scratch,
    buf: String,
}

impl<'m> Tagger<'m> {
    /// Words in a generation of the cache (a new one starts between documents, when the next
    /// document could fill the current one). An entry takes 232 bytes, so the two generations
    /// hold about 2 MB (with their maps). Four times as many words were no faster on the BBC
    /// articles (best of three runs within 3%) and raised the module's peak memory while
    /// recognising them by 10 MB.
    const CACHE_WORDS: usize = 1 << 12;

    pub fn new(model: &'m Model) -> Tagger<'m> {
        Tagger {
            model,
            ids: FxMap::default(),
            entries: Vec::new(),
            old_ids: FxMap::default(),
            old_entries: Vec::new(),
            fixed: Fixed::new(model),
            scratch: Scratch::default(),
            buf: String::new(),
        }
    }

    /// The place of `word`'s entry in the current generation, made if need be.
    fn entry(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let entry = match self.old_ids.get(word) {
            Some(&old) => self.old_entries[old as usize],
            None => {
                let (t, a) = TokenInfo::new(word, &mut self.buf);
                let feats = &mut self.scratch.feats;
                feats.clear();
                intrinsic_features(&t, &a, feats);
                let scores = WordScores {
                    own: pack(self.model.score(feats)),
                    neighbour: neighbour_scores(self.model, token_neighbour_features(&t)),
                    after_o: pack(self.model.score(&after_features(Label::O, &t))),
                };
                (t, scores)
            }
        };
        let id = self.entries.len() as u32;
        self.entries.push(entry);
        self.ids.insert(word.into(), id);
        id
    }

    /// Tags the sentences of one document (each a list of tokens as written).
    pub fn tag_document(&mut self, sentences: &[Vec<&str>]) -> Vec<Vec<Tag>> {
        // A new generation starts before this document could take the current one past its
        // size; it reuses the room of the generation before (so a generation never grows past
        // the size it reached, nor copies itself to grow: once two documents overfilled it,
        // doubling it each time, and the two generations took 17 MB where 8 were planned).
        let words: usize = sentences.iter().map(Vec::len).sum();
        if !self.entries.is_empty() && self.entries.len() + words > Self::CACHE_WORDS {
            std::mem::swap(&mut self.ids, &mut self.old_ids);
            std::mem::swap(&mut self.entries, &mut self.old_entries);
            self.ids.clear();
            self.entries.clear();
        }
        // Entries are only added while the document is read: their places stay valid.
        let ids: Vec<Vec<u32>> = (sentences.iter())
            .map(|s| s.iter().map(|w| self.entry(w)).collect())
            .collect();
        let entries = &self.entries;
        let doc = DocContext::from_words((sentences.iter().zip(&ids)).flat_map(|(s, ids)| {
            (s.iter().zip(ids)).map(|(w, &id)| (*w, entries[id as usize].0.word))
        }));
        let mut history = History::default();
        let mut toks = Vec::new();
        let mut scores = Vec::new();
        (sentences.iter().zip(&ids))
            .map(|(s, ids)| {
                toks.clear();
                scores.clear();
                for &id in ids {
                    let (t, w) = &entries[id as usize];
                    toks.push(*t);
                    scores.push(w);
                }
                let known = Known::Cached(&scores, &self.fixed);
                decode_tokens(
                    s,
                    &toks,
                    &known,
                    &doc,
                    &mut history,
                    self.model,
                    &mut self.scratch,
                    None,
                )
                .into_iter()
                .map(Label::tag)
                .collect()
            })
            .collect()
    }
}

impl Scorer for Model {
    fn score(&self, feats: &[u32]) -> [f32; TAGS] {
        Model::score(self, feats)
    }
    fn unit(&self) -> f32 {
        self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a generation of the word cache grew past its size whenever a document
    /// overfilled it (doubling its room), so the two generations took twice the memory planned.
    #[test]
    fn the_word_cache_never_grows_past_its_generations() {
        let model = Model::bundled();
        let mut tagger = Tagger::new(&model);
        // Documents of 1,000 words never seen before: 40 of them fill several generations.
        for d in 0..40 {
            let words: Vec<String> = (0..1000).map(|i| format!("w{d}x{i}")).collect();
            let sentence: Vec<&str> = words.iter().map(String::as_str).collect();
            let tags = tagger.tag_document(&[sentence]);
            assert_eq!(tags[0].len(), 1000);
            for gen in [&tagger.entries, &tagger.old_entries] {
                assert!(gen.capacity() <= Tagger::CACHE_WORDS, "{}", gen.capacity());
            }
        }
        assert!(tagger.entries.len() + tagger.old_entries.len() > Tagger::CACHE_WORDS);
    }
}
