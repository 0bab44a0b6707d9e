//! Measuring recognition on CoNLL-2003 style data: reading the format, strict exact-span
//! scores as conlleval computes them, documents turned into article text (so the whole pipeline
//! — parser, tagger, span conventions, linking — can be scored), and folds by document.
//!
//! Pure: the caller reads the files.

use super::{spans, Kind, Tag};
use crate::error::{Damaged, Emptiness, Error};
use crate::Span;

pub use super::LabelledSentence;

/// A document: its sentences in order.
pub type LabelledDoc = Vec<LabelledSentence>;

/// Reads CoNLL-2003 text (`word ... tag` per line, IOB1 or IOB2, blank lines between
/// sentences, `-DOCSTART-` between documents) into documents of BIO-tagged sentences.
pub fn read_conll(text: &str) -> Result<Vec<LabelledDoc>, Error> {
    let mut docs: Vec<LabelledDoc> = vec![Vec::new()];
    let mut words = Vec::new();
    let mut tags: Vec<Tag> = Vec::new();
    let flush = |words: &mut Vec<String>, tags: &mut Vec<Tag>, docs: &mut Vec<LabelledDoc>| {
        if !words.is_empty() {
            if let Some(d) = docs.last_mut() {
                d.push((std::mem::take(words), std::mem::take(tags)));
            }
        }
    };
    for (n, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() {
            flush(&mut words, &mut tags, &mut docs);
            continue;
        }
        if cols[0] == "-DOCSTART-" {
            flush(&mut words, &mut tags, &mut docs);
            if docs.last().is_some_and(|d| !d.is_empty()) {
                docs.push(Vec::new());
            }
            continue;
        }
        let (Some(word), Some(tag)) = (cols.first(), cols.last()) else {
            continue;
        };
        let bad = || {
            Error::damaged(
                Damaged::Conll,
                format_args!("line {}: bad tag {tag}", n + 1),
            )
        };
        let t = if *tag == "O" {
            Tag::O
        } else {
            let (bi, kind) = tag.split_once('-').ok_or_else(bad)?;
            let kind = Kind::parse(kind).ok_or_else(bad)?;
            let continues = tags.last().and_then(|t| t.kind()) == Some(kind);
            if bi == "B" || !continues {
                Tag::B(kind)
            } else {
                Tag::I(kind)
            }
        };
        words.push(word.to_string());
        tags.push(t);
    }
    flush(&mut words, &mut tags, &mut docs);
    docs.retain(|d| !d.is_empty());
    if docs.is_empty() {
        return Err(Error::empty(Emptiness::NoSentence));
    }
    Ok(docs)
}

/// Strict exact-span counts per kind: `(correct, predicted, gold)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    per: [(usize, usize, usize); 4],
}

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// Correct spans over predicted spans.
    pub precision: f64,
    /// Correct spans over gold spans.
    pub recall: f64,
    /// Their harmonic mean.
    pub f1: f64,
    /// Gold spans counted.
    pub gold: usize,
}

impl Counts {
    /// Counts one sentence's (or document's) spans: a predicted span is correct when a gold
    /// span has the same ends and kind.
    pub fn add<T: PartialEq + Copy>(&mut self, gold: &[(T, T, Kind)], predicted: &[(T, T, Kind)]) {
        for p in predicted {
            let c = &mut self.per[p.2 as usize];
            c.1 += 1;
            c.0 += usize::from(gold.contains(p));
        }
        for g in gold {
            self.per[g.2 as usize].2 += 1;
        }
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, other: &Counts) {
        for (a, b) in self.per.iter_mut().zip(other.per) {
            *a = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        }
    }

    /// Scores over `kinds` (micro-averaged).
    pub fn scores(&self, kinds: &[Kind]) -> Scores {
        let (c, p, g) = kinds.iter().fold((0, 0, 0), |acc, &k| {
            let x = self.per[k as usize];
            (acc.0 + x.0, acc.1 + x.1, acc.2 + x.2)
        });
        let precision = if p == 0 { 0.0 } else { c as f64 / p as f64 };
        let recall = if g == 0 { 0.0 } else { c as f64 / g as f64 };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Scores {
            precision,
            recall,
            f1,
            gold: g,
        }
    }
}

/// The three types NewsLens reports on: people, places, organisations.
pub const PER_LOC_ORG: [Kind; 3] = [Kind::Per, Kind::Loc, Kind::Org];
/// All four CoNLL types.
pub const ALL_KINDS: [Kind; 4] = [Kind::Per, Kind::Loc, Kind::Org, Kind::Misc];

/// Counts of the tagger alone on documents: each document tagged as one, token spans compared.
pub fn tagger_counts(model: &super::Model, docs: &[LabelledDoc]) -> Counts {
    let mut tagger = super::Tagger::new(model);
    let mut counts = Counts::default();
    for doc in docs {
        let sentences: Vec<Vec<&str>> = doc
            .iter()
            .map(|(w, _)| w.iter().map(String::as_str).collect())
            .collect();
        for ((_, gold), guess) in doc.iter().zip(tagger.tag_document(&sentences)) {
            counts.add(&spans(gold), &spans(&guess));
        }
    }
    counts
}

/// A gold entity: byte range and kind.
pub(crate) type GoldSpan = (usize, usize, Kind);

/// A document as article text — its first sentence the headline, then one paragraph per
/// sentence, words joined by spaces — with its gold entities as byte spans of that text.
pub(crate) fn render(doc: &LabelledDoc) -> (String, Vec<GoldSpan>) {
    let mut text = String::new();
    let mut gold = Vec::new();
    for (words, tags) in doc {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let mut offsets = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            offsets.push((text.len(), text.len() + w.len()));
            text.push_str(w);
        }
        for (a, b, k) in spans(tags) {
            gold.push((offsets[a].0, offsets[b - 1].1, k));
        }
    }
    text.push('\n');
    (text, gold)
}

/// Documents as articles (`render`), for a background corpus; a document that does not parse
/// (no letters at all) is left out.
pub fn as_articles(docs: &[LabelledDoc]) -> Vec<crate::Article> {
    (docs.iter())
        .filter_map(|d| crate::parse_text(&render(d).0).ok())
        .collect()
}

/// The CoNLL kind a NewsLens label is scored as (`NORP` and `EVENT` as `MISC`; dates are not
/// entities there).
pub(crate) fn kind_of(label: crate::Label) -> Option<Kind> {
    use crate::Label;
    match label {
        Label::Person => Some(Kind::Per),
        Label::Gpe => Some(Kind::Loc),
        Label::Org => Some(Kind::Org),
        Label::Norp | Label::Event => Some(Kind::Misc),
        Label::Date => None,
    }
}

/// Counts of a pipeline's mentions (byte spans of each document's text) against its gold.
pub(crate) fn mention_counts(
    gold: &[GoldSpan],
    mentions: impl IntoIterator<Item = (Span, crate::Label)>,
) -> Counts {
    let predicted: Vec<(usize, usize, Kind)> = mentions
        .into_iter()
        .filter_map(|(s, l)| kind_of(l).map(|k| (s.start, s.end, k)))
        .collect();
    let mut c = Counts::default();
    c.add(gold, &predicted);
    c
}

/// A document's text as rendered, its gold spans, and the pipeline's mentions of it.
type Rendered = (String, Vec<GoldSpan>, Vec<(Span, crate::Label)>);

/// Each document rendered (`render`) with its gold spans and the whole pipeline's mentions
/// (parse, recognise, link), linked as one corpus together with `background` articles.
fn pipeline_mentions(
    model: &super::Model,
    docs: &[LabelledDoc],
    background: &[crate::Article],
) -> Vec<Rendered> {
    let rendered: Vec<(String, Option<crate::Article>, Vec<GoldSpan>)> = docs
        .iter()
        .map(|d| {
            let (text, gold) = render(d);
            let article = crate::parse_text(&text).ok();
            (text, article, gold)
        })
        .collect();
    let articles: Vec<&crate::Article> = (rendered.iter().filter_map(|(_, a, _)| a.as_ref()))
        .chain(background)
        .collect();
    let index = crate::EntityIndex::build(&articles, model);
    let mut doc = 0u32;
    let mut out = Vec::with_capacity(rendered.len());
    for (text, article, gold) in rendered {
        let mentions: Vec<(Span, crate::Label)> = match article {
            Some(_) => {
                let ms = (index.mentions(doc).iter())
                    .map(|m| (m.span, m.label))
                    .collect();
                doc += 1;
                ms
            }
            None => Vec::new(),
        };
        out.push((text, gold, mentions));
    }
    out
}

/// Counts of the whole pipeline (parse, recognise, link) on `docs` rendered as articles
/// (`render`), linked as one corpus together with `background` articles (none: the documents
/// alone).
pub fn pipeline_counts(
    model: &super::Model,
    docs: &[LabelledDoc],
    background: &[crate::Article],
) -> Counts {
    let mut counts = Counts::default();
    for (_, gold, mentions) in pipeline_mentions(model, docs, background) {
        counts.merge(&mention_counts(&gold, mentions));
    }
    counts
}

/// One error of the whole pipeline against the gold (PER, LOC and ORG only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineError {
    /// True for a gold name the pipeline did not give exactly; false for a name it gave that
    /// overlaps no gold name.
    pub missed: bool,
    /// The gold type (missed) or the type given (spurious).
    pub kind: Kind,
    /// The name.
    pub text: String,
    /// For a missed name: the names the pipeline gave over any of its words.
    pub got: Vec<(String, Kind)>,
    /// The text around the name (up to 30 characters each side), lines joined by ` | `.
    pub context: String,
}

/// The whole pipeline's errors on `docs` (each document alone), for reading where it fails.
pub fn pipeline_errors(model: &super::Model, docs: &[LabelledDoc]) -> Vec<PipelineError> {
    let mut out = Vec::new();
    for (text, gold, mentions) in pipeline_mentions(model, docs, &[]) {
        let keep = |k: &Kind| PER_LOC_ORG.contains(k);
        let pred: Vec<(usize, usize, Kind)> = (mentions.into_iter())
            .filter_map(|(s, l)| kind_of(l).map(|k| (s.start, s.end, k)))
            .filter(|p| keep(&p.2))
            .collect();
        let gold: Vec<GoldSpan> = gold.into_iter().filter(|g| keep(&g.2)).collect();
        let context = |a: usize, b: usize| {
            let s = text[..a].char_indices().rev().nth(29).map_or(0, |x| x.0);
            let e = text[b..]
                .char_indices()
                .nth(30)
                .map_or(text.len(), |x| b + x.0);
            text[s..e].replace('\n', " | ")
        };
        let overlaps = |x: &(usize, usize, Kind), y: &(usize, usize, Kind)| x.0 < y.1 && y.0 < x.1;
        for g in gold.iter().filter(|g| !pred.contains(g)) {
            out.push(PipelineError {
                missed: true,
                kind: g.2,
                text: text[g.0..g.1].to_string(),
                got: (pred.iter().filter(|p| overlaps(p, g)))
                    .map(|p| (text[p.0..p.1].to_string(), p.2))
                    .collect(),
                context: context(g.0, g.1),
            });
        }
        for p in pred.iter().filter(|p| !gold.iter().any(|g| overlaps(p, g))) {
            out.push(PipelineError {
                missed: false,
                kind: p.2,
                text: text[p.0..p.1].to_string(),
                got: Vec::new(),
                context: context(p.0, p.1),
            });
        }
    }
    out
}

/// Fold `fold` of `folds` (documents `i` with `i % folds == fold`) and the rest: test and
/// training documents for cross-validation by document.
pub fn split_fold(
    docs: &[LabelledDoc],
    folds: usize,
    fold: usize,
) -> (Vec<LabelledDoc>, Vec<LabelledDoc>) {
    let folds = folds.max(1);
    let (mut test, mut train) = (Vec::new(), Vec::new());
    for (i, d) in docs.iter().enumerate() {
        if i % folds == fold {
            test.push(d.clone());
        } else {
            train.push(d.clone());
        }
    }
    (test, train)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob1_documents_and_renders_them_with_gold_spans() {
        let text = "-DOCSTART- -X- O O\n\nKEM NNP I-NP I-PER\nSOKHA NNP I-NP I-PER\n\n\
                    Sam NNP I-NP I-PER\nRainsy NNP I-NP I-PER\nvisited VBD I-VP O\n\
                    Paris NNP I-NP I-LOC\n. . O O\n\n-DOCSTART- -X- O O\n\nA DT O I-ORG\n";
        let docs = read_conll(text).unwrap();
        assert_eq!(docs.len(), 2);
        let (t, gold) = render(&docs[0]);
        assert_eq!(t, "KEM SOKHA\n\nSam Rainsy visited Paris .\n");
        let got: Vec<(&str, Kind)> = gold.iter().map(|&(a, b, k)| (&t[a..b], k)).collect();
        assert_eq!(
            got,
            [
                ("KEM SOKHA", Kind::Per),
                ("Sam Rainsy", Kind::Per),
                ("Paris", Kind::Loc)
            ]
        );
        assert!(read_conll("word NNP I-NP X-FOO\n").is_err());
        assert!(read_conll("\n\n").is_err());
    }

    #[test]
    fn strict_counts_need_both_ends_and_the_kind() {
        let mut c = Counts::default();
        let gold = [(0, 2, Kind::Per), (3, 4, Kind::Loc)];
        c.add(
            &gold,
            &[(0, 2, Kind::Per), (3, 5, Kind::Loc), (6, 7, Kind::Org)],
        );
        let s = c.scores(&PER_LOC_ORG);
        assert!((s.precision - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.recall - 0.5).abs() < 1e-9);
        assert_eq!(s.gold, 2);
        let (test, train) = split_fold(&[vec![], vec![], vec![]], 2, 1);
        assert_eq!((test.len(), train.len()), (1, 2));
    }

    #[test]
    fn pipeline_errors_name_what_was_missed_and_what_was_made_up() {
        // Gold that no reader would give: "visited" an organisation, the person unmarked.
        let text = "-DOCSTART- -X- O O\n\nSam NNP I-NP O\nRainsy NNP I-NP O\n\
                    visited VBD I-VP I-ORG\nParis NNP I-NP I-LOC\n. . O O\n";
        let docs = read_conll(text).unwrap();
        let errors = pipeline_errors(&crate::ner::Model::bundled(), &docs);
        let missed: Vec<_> = errors.iter().filter(|e| e.missed).collect();
        assert_eq!(missed.len(), 1, "{errors:?}");
        assert_eq!(
            (missed[0].text.as_str(), missed[0].kind),
            ("visited", Kind::Org)
        );
        assert!(
            missed[0].context.contains("Rainsy visited Paris"),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| !e.missed && e.text == "Sam Rainsy" && e.kind == Kind::Per),
            "{errors:?}"
        );
        assert!(!errors.iter().any(|e| e.text == "Paris"), "{errors:?}");
    }
}
