//! Linking: each mention's label and canonical entity, across its article and the corpus.

use super::{is_acronym, lists_bits, lower, Label, Mention, CITY, COUNTRY, NATIONALITY};
use crate::article::{field_blocks, Article, Span};
use crate::hash::{FxMap, FxSet};
use crate::interner::Interner;
use std::borrow::Cow;
use std::sync::Arc;

/// Initials of a name's capitalised words: `Cambodian People’s Party` → `CPP`.
fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.starts_with(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Every letter a capital, and some letter.
fn is_capitals(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// A distinct mention text of a corpus and its words.
#[derive(Clone, Copy)]
struct Name<'a> {
    text: &'a str,
    words: &'a [&'a str],
}

fn words_of(s: &str) -> Vec<&str> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect()
}

/// A country, city or province, or a nationality (general-knowledge lists).
fn is_place_word(w: &str) -> bool {
    lists_bits(w) & (COUNTRY | CITY | NATIONALITY) != 0
}

impl Linker<'_> {
    /// The label of every mention. A mention keeps the label recognition gave it, but for
    /// one question its article settles by majority: whether its name (any case) is a person.
    /// A name the article mostly reads as a person is one in every mention; a name it mostly
    /// reads otherwise ("Apple's Newton" beside "the Apple iPod") is no person in any. Places
    /// and organisations stay as read, mention by mention (a city and its football club,
    /// "Leeds", are both right in one article). The rest of the corpus has no say, so an
    /// article's entities are the same alone as inside any archive. (A majority over every
    /// label scored lower by cross-validation on CoNLL-2003 `eng.train`: pipeline F1 0.8827
    /// against 0.8857 with none.)
    fn vote_labels(&self) -> Vec<Vec<Label>> {
        let (mentions, named) = (self.mentions, self.named);
        const N: usize = Label::ALL.len();
        // Names by their lower case.
        let mut lower_ids: FxMap<String, u32> = FxMap::default();
        let lid: Vec<u32> = (0..self.names.len())
            .map(|id| {
                let next = lower_ids.len() as u32;
                *lower_ids.entry(lower(self.names.get(id))).or_insert(next)
            })
            .collect();
        (mentions.iter().zip(named))
            .map(|(ms, ns)| {
                // The article's votes per name.
                let mut votes: FxMap<u32, [u32; N]> = FxMap::default();
                for (&(_, l), &id) in ms.iter().zip(ns) {
                    if l != Label::Date {
                        votes.entry(lid[id as usize]).or_insert([0; N])[l as usize] += 1;
                    }
                }
                (ms.iter().zip(ns))
                    .map(|(&(_, l), &id)| {
                        if l == Label::Date {
                            return l;
                        }
                        let score = votes.get(&lid[id as usize]).copied().unwrap_or([0; N]);
                        let person = score[Label::Person as usize];
                        let others = || {
                            (Label::ALL.into_iter())
                                .filter(|&k| k != Label::Person && k != Label::Date)
                        };
                        let rest: u32 = others().map(|k| score[k as usize]).sum();
                        match l {
                            Label::Person if rest > person => others()
                                .max_by_key(|&k| (score[k as usize], std::cmp::Reverse(k as usize)))
                                .unwrap_or(l),
                            Label::Person => l,
                            _ if person > rest => Label::Person,
                            _ => l,
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// Links the mentions of a corpus's articles to canonical entities.
///
/// People: a short form (`Sokha`, `Mr. Sokha`'s `Sokha`) links to the one full name of its
/// article that contains it as whole words (`Kem Sokha`) — whatever the word order, since Khmer
/// names put the family name first — else to the one such full name in the corpus. Two
/// candidates (two people named Khem) leave the short form as it is. Organisations: an acronym
/// links to the full name it is defined by (`Cambodia National Rescue Party (CNRP)`) or whose
/// initials it spells (`CPP` = `Cambodian People’s Party`).
pub fn link(articles: &[(&Article, Vec<(Span, Label)>)]) -> Vec<Vec<Mention>> {
    let mentions: Vec<&[(Span, Label)]> = articles.iter().map(|(_, ms)| &ms[..]).collect();
    let linked = link_with(&mentions, &|i| {
        articles.get(i).map(|(a, _)| Cow::Borrowed(*a))
    });
    linked.into_mentions(&mentions).collect()
}

/// [`link`] over mentions borrowed from wherever they are kept, with each article's text from
/// `article`.
pub(crate) fn link_with<'t>(mentions: &[&[(Span, Label)]], article: &ArticleAt<'_, 't>) -> Linked {
    let mut linking = Linking::default();
    loop {
        if let Some(out) = linking.step(mentions, article) {
            return out;
        }
    }
}

/// Article `i` of a corpus, borrowed or made for the call (a corpus may keep its texts
/// packed); `None` for an article removed or out of range. Linking reads each article once,
/// in its first pass, one at a time, and keeps what it needs of the texts (each
/// distinct mention text), so a corpus never has to unpack every text at once.
pub(crate) type ArticleAt<'f, 't> = dyn Fn(usize) -> Option<Cow<'t, Article>> + 'f;

/// Articles the first pass takes per call ([`Linking::step`]): a corpus may keep its texts
/// packed, and unpacking them all in one call would be one long task (200 ms for the BBC
/// articles in the module; a chunk takes about 10 ms).
const CHUNK: usize = 256;

/// Articles a corpus may unpack to catch linking's first pass up before reading ahead over an
/// added segment ([`Linking::read_ahead`]): a few, as the bundled ones before a reload's
/// segments, so that the call adding the segment stays short.
pub(crate) const READ_AHEAD_GAP: usize = 64;

/// Articles the second pass, which reads no text, takes per call (about 12 ms in the module).
const CHUNK_UNREAD: usize = 8 * CHUNK;

/// [`link`] a step per call, so that a caller with a frame to keep (the page) can spread the
/// work out: the first two passes take [`CHUNK`] and [`CHUNK_UNREAD`] articles a call, each
/// other phase is one pass over the corpus. What a step leaves for the next is owned here; the recognised mentions are
/// given again, unchanged, to each call (and the articles, which only the first pass reads).
#[derive(Clone, Debug, Default)]
pub(crate) struct Linking {
    /// The first two passes: where the next chunk starts.
    cursor: usize,
    /// The first pass's votes ([`org_acronyms`]), then, once it is done, the acronyms.
    votes: FxMap<String, (bool, bool)>,
    acronyms: Option<FxSet<String>>,
    /// What the first pass read of the texts, for the second.
    read: Read,
    /// The second pass's mention texts, numbered.
    texts: Interner,
    /// Phases done after the first two passes (the second done counts 1).
    done: usize,
    /// How many articles the phases done were given.
    articles: usize,
    /// The recognised mentions with acronyms filled in, for the articles that got one.
    filled: FxMap<usize, Vec<(Span, Label)>>,
    /// What the first two passes kept of the texts.
    names: Names,
    /// Per article, per mention: its label.
    labels: Vec<Vec<Label>>,
    directory: Option<Directory>,
    /// Each mention's entity, once resolved (handed over by the last phase, so that the
    /// caller's work on it falls in a call of its own).
    resolved: Option<Vec<u32>>,
}

/// What linking found: each mention's label and canonical entity. Each article's linked
/// mentions are made as they are asked for ([`Linked::into_numbered`]), one article at a
/// time, rather than the corpus's all at once: a mention takes 4 bytes here until then, 20
/// as a `Mention` in the module (on the 14.8 MB scale corpus, the native peak of live memory
/// went down 5 MB, the module's high-water mark 1 MB).
#[derive(Debug)]
pub(crate) struct Linked {
    /// The recognised mentions with acronyms filled in, for the articles that got one.
    filled: FxMap<usize, Vec<(Span, Label)>>,
    names: Names,
    /// Per article, per mention: its label.
    labels: Vec<Vec<Label>>,
    /// Per mention, in order: its entity's name number.
    entities: Vec<u32>,
}

/// A linked mention by numbers: where it is, its label, and the numbers of its entity's name
/// and of its own text as written (its form) among the texts linking kept.
pub(crate) type Numbered = (Span, Label, u32, u32);

impl Linked {
    /// The texts linking kept (end to end, and where each ends), and each article's linked
    /// mentions by their numbers among them, in article order, given each article's
    /// recognised mentions as linking was. The texts are not read again: linking kept each
    /// mention's form.
    pub(crate) fn into_numbered<'a>(
        self,
        mentions: &'a [&'a [(Span, Label)]],
    ) -> (
        (String, Vec<u32>),
        impl ExactSizeIterator<Item = Vec<Numbered>> + 'a,
    ) {
        let Linked {
            mut filled,
            names,
            mut labels,
            entities,
        } = self;
        let Names {
            text,
            ends,
            mut named,
            ..
        } = names;
        let mut at = 0;
        let articles = (0..mentions.len()).map(move |i| {
            let ms = filled.remove(&i);
            let ms = ms.as_deref().unwrap_or(mentions[i]);
            let labels = (labels.get_mut(i).map(std::mem::take)).unwrap_or_default();
            let named = (named.get_mut(i).map(std::mem::take)).unwrap_or_default();
            let out = (ms.iter().zip(labels).zip(named))
                .zip(entities.get(at..).unwrap_or_default())
                .map(|(((&(span, _), label), form), &id)| (span, label, id, form))
                .collect();
            at += ms.len();
            out
        });
        ((text, ends), articles)
    }

    /// Each article's linked mentions, in article order (as [`Linked::into_numbered`]).
    fn into_mentions<'a>(
        self,
        mentions: &'a [&'a [(Span, Label)]],
    ) -> impl Iterator<Item = Vec<Mention>> + 'a {
        let ((text, ends), articles) = self.into_numbered(mentions);
        // Each name as its mentions share it, made when first asked for.
        let mut shared: Vec<Option<Arc<str>>> = vec![None; ends.len()];
        articles.map(move |ms| {
            (ms.into_iter())
                .map(|(span, label, id, _)| Mention {
                    span,
                    label,
                    entity: (shared[id as usize])
                        .get_or_insert_with(|| crate::interner::slice(&text, &ends, id).into())
                        .clone(),
                })
                .collect()
        })
    }
}

/// What linking keeps of the articles' texts: each distinct mention text, each mention's by
/// number, and the acronyms a text defines right after a name ("Full Name (ACRO)").
#[derive(Clone, Debug, Default)]
struct Names {
    /// The texts end to end, and where each ends (kept without the interner's table once
    /// read: nothing is looked up after the first phase).
    text: String,
    ends: Vec<u32>,
    /// Per article, per mention (acronyms filled in): its text's number.
    named: Vec<Vec<u32>>,
    /// (article, mention, the acronym in brackets after it), in text order.
    defined: Vec<(u32, u32, Box<str>)>,
}

impl Names {
    /// How many distinct texts.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Text `id`.
    fn get(&self, id: usize) -> &str {
        crate::interner::slice(&self.text, &self.ends, id as u32)
    }
}

impl Linking {
    /// How many phases linking takes after its first pass (the second pass, resolution and
    /// the hand-over included).
    const PHASES: usize = 6;

    /// Steps left to run over `articles` articles (each call of [`Linking::step`] runs one).
    pub(crate) fn remaining(&self, articles: usize) -> usize {
        let chunks = |from: usize, size: usize| articles.saturating_sub(from).div_ceil(size).max(1);
        if self.done > 0 {
            return Self::PHASES - self.done;
        }
        // The second pass's last chunk counts as the first phase.
        let reading = match self.acronyms {
            None => chunks(self.cursor, CHUNK) + chunks(0, CHUNK_UNREAD),
            Some(_) => chunks(self.cursor, CHUNK_UNREAD),
        };
        reading - 1 + Self::PHASES
    }

    /// The next article the first pass would read, while linking is in its first pass.
    pub(crate) fn next_unread(&self) -> Option<usize> {
        (self.done == 0 && self.acronyms.is_none()).then_some(self.cursor)
    }

    /// Runs the first pass ahead over articles `first..` as a corpus adds them, their
    /// mentions `mentions` already recognised and their texts at hand (`None` for a removed
    /// one), so that it need not unpack them again later; `false`, doing nothing, unless
    /// linking is in its first pass and has read every article before `first`.
    pub(crate) fn read_ahead(
        &mut self,
        first: usize,
        mentions: &[&[(Span, Label)]],
        articles: &[Option<&Article>],
    ) -> bool {
        let started = self.done > 0 || self.cursor > 0 || self.acronyms.is_some();
        let at_first = self.cursor == first && (!started || self.articles == first);
        if self.done > 0 || self.acronyms.is_some() || !at_first {
            return false;
        }
        for (j, (ms, a)) in mentions.iter().zip(articles).enumerate() {
            self.read.article(&mut self.votes, first + j, ms, *a);
        }
        self.cursor = first + mentions.len();
        self.articles = self.cursor;
        true
    }

    /// Runs the next phase over `mentions` (each article's, the same at every call), with
    /// the articles' texts from `article`; the linked mentions once the last phase is done.
    pub(crate) fn step<'t>(
        &mut self,
        mentions: &[&[(Span, Label)]],
        article: &ArticleAt<'_, 't>,
    ) -> Option<Linked> {
        let started = self.done > 0 || self.cursor > 0 || self.acronyms.is_some();
        if started && self.articles != mentions.len() {
            *self = Linking::default(); // other articles: start again
        }
        self.articles = mentions.len();
        if let Some(entities) = self.resolved.take() {
            let Linking {
                filled,
                mut names,
                labels,
                ..
            } = std::mem::take(self);
            // Only the texts and each mention's are read from here.
            names.defined = Default::default();
            return Some(Linked {
                filled,
                names,
                labels,
                entities,
            });
        }
        if self.done == 0 {
            let size = if self.acronyms.is_some() {
                CHUNK_UNREAD
            } else {
                CHUNK
            };
            let end = (self.cursor + size).min(mentions.len());
            let chunk = self.cursor..end;
            self.cursor = end;
            let Some(acronyms) = &self.acronyms else {
                for i in chunk {
                    let a = article(i);
                    self.read
                        .article(&mut self.votes, i, mentions[i], a.as_deref());
                }
                if end == mentions.len() {
                    let votes = std::mem::take(&mut self.votes);
                    self.acronyms = Some(org_acronyms(votes));
                    self.cursor = 0;
                }
                return None;
            };
            for i in chunk {
                let ms = mentions[i];
                let filled = self
                    .read
                    .fill(acronyms, i, ms, &mut self.names, &mut self.texts);
                if let Some(filled) = filled {
                    self.filled.insert(i, filled);
                }
            }
            if end == mentions.len() {
                let texts = std::mem::take(&mut self.texts);
                (self.names.text, self.names.ends) = texts.into_strings();
                self.acronyms = None;
                self.read = Read::default();
                self.done = 1;
            }
            return None;
        }
        let entities = {
            let with_filled: Vec<&[(Span, Label)]>;
            let mentions = if self.filled.is_empty() {
                mentions
            } else {
                with_filled = (mentions.iter().enumerate())
                    .map(|(i, &ms)| self.filled.get(&i).map_or(ms, |f| &f[..]))
                    .collect();
                &with_filled[..]
            };
            // The linker (each distinct name split into words) is made again for each phase
            // rather than kept: it borrows the mentions, which only a call holds.
            let linker = Linker::new(&self.names, mentions);
            match self.done {
                1 => {
                    self.labels = linker.vote_labels();
                    None
                }
                2 => {
                    linker.name_people_in_full(&mut self.labels);
                    None
                }
                3 => {
                    self.directory = Some(linker.directory(&self.labels));
                    None
                }
                _ => {
                    let directory = self.directory.take().unwrap_or_default();
                    Some(linker.resolve(&self.labels, &directory))
                }
            }
        };
        self.resolved = entities;
        self.done += 1;
        None
    }
}

/// The acronyms the corpus knows as organisations: three letters or more, recognised as an
/// organisation and never as anything else, in an article that also names in full an
/// organisation whose initials it spells; from the votes of every article
/// ([`vote_acronyms`]).
fn org_acronyms(votes: FxMap<String, (bool, bool)>) -> FxSet<String> {
    (votes.into_iter())
        .filter(|&(_, (only_org, defined))| only_org && defined)
        .map(|(a, _)| a)
        .collect()
}

/// What the first pass keeps of each article's text, so that the second, which fills in the
/// acronyms the corpus knows ([`Read::fill`]) and numbers the mentions' texts, reads no text
/// again.
#[derive(Clone, Debug, Default)]
struct Read {
    /// Each distinct mention text as recognised, numbered as read.
    texts: Interner,
    /// Per article, per recognised mention: its text's number in `texts`; `None` for an
    /// article there was no text for (removed).
    named: Vec<Option<Vec<u32>>>,
    /// (article, mention) → the acronym in brackets after it ("Full Name (ACRO)").
    after: FxMap<(u32, u32), Box<str>>,
    /// Each word an article writes that could be an acronym filled in (three letters or more,
    /// all capitals, outside its mentions and outside blocks written all in capitals), in
    /// article and text order.
    candidates: Vec<Candidate>,
    /// The second pass: its next candidate.
    next: usize,
}

/// A word an article writes that could be an acronym to fill in ([`Read::fill`]).
#[derive(Clone, Debug)]
struct Candidate {
    article: u32,
    span: Span,
    word: Box<str>,
    /// The acronym in brackets after it.
    after: Option<Box<str>>,
}

/// The acronym in brackets right after `end` in `source` ("Full Name (ACRO)").
fn defined_after(source: &str, end: usize) -> Option<Box<str>> {
    let after = source.get(end..).unwrap_or_default().trim_start();
    let (acro, _) = after.strip_prefix('(')?.split_once(')')?;
    is_acronym(acro).then(|| acro.into())
}

impl Read {
    /// The first pass over article `i` (mentions `ms`): its votes on the acronyms it names
    /// (for [`org_acronyms`]), its mentions' texts, the acronyms defined after them, and the
    /// words that could be acronyms to fill in.
    fn article(
        &mut self,
        votes: &mut FxMap<String, (bool, bool)>,
        i: usize,
        ms: &[(Span, Label)],
        a: Option<&Article>,
    ) {
        let Some(a) = a else {
            self.named.push(None);
            return;
        };
        let source = a.source();
        vote_acronyms(votes, source, ms);
        let mut named = Vec::with_capacity(ms.len());
        for (k, (s, _)) in ms.iter().enumerate() {
            named.push(
                self.texts
                    .insert(source.get(s.range()).unwrap_or_default())
                    .0,
            );
            if let Some(acro) = defined_after(source, s.end) {
                self.after.insert((i as u32, k as u32), acro);
            }
        }
        self.named.push(Some(named));
        // The words the second pass may fill in: an acronym the corpus knows has three letters
        // or more, all capitals.
        let mut sorted: Vec<Span> = ms.iter().map(|(s, _)| *s).collect();
        sorted.sort_unstable();
        for &(base, text) in field_blocks(a).iter().flatten() {
            if is_capitals(text) {
                continue;
            }
            let mut start = 0;
            for piece in text.split(|c: char| !c.is_alphanumeric()) {
                let span = Span::new(base + start, base + start + piece.len());
                start += piece.len()
                    + text[start + piece.len()..]
                        .chars()
                        .next()
                        .map_or(0, char::len_utf8);
                // Most words fail on their length or first letter, before is_acronym counts
                // characters (at most six, four bytes each).
                let short_capital =
                    (3..=24).contains(&piece.len()) && piece.starts_with(char::is_uppercase);
                if !short_capital || !is_acronym(piece) {
                    continue;
                }
                let at = sorted.partition_point(|m| m.end <= span.start);
                if sorted.get(at).is_none_or(|m| m.start >= span.end) {
                    self.candidates.push(Candidate {
                        article: i as u32,
                        span,
                        word: piece.into(),
                        after: defined_after(source, span.end),
                    });
                }
            }
        }
    }

    /// The second pass over article `i` (mentions `ms`, read by [`Read::article`]): the
    /// acronyms the corpus knows filled in, then each mention's text numbered in `texts` and
    /// the acronyms defined after them, as [`Names`] keeps them. Returns the article's
    /// mentions with those it got, if it got any.
    ///
    /// An acronym the corpus knows as an organisation ([`org_acronyms`]) is one wherever an
    /// article writes it as a word outside its recognised mentions: "CPP spokesman Sok Eysan"
    /// at a sentence's start, where the tagger reads capitals least reliably, beside
    /// "Cambodian People’s Party (CPP)" elsewhere. Two letters spell too many things (`NY`,
    /// `LA`, `DC`). A block written all in capitals (a headline, a results table) is left as
    /// it is.
    fn fill(
        &mut self,
        acronyms: &FxSet<String>,
        i: usize,
        ms: &[(Span, Label)],
        names: &mut Names,
        texts: &mut Interner,
    ) -> Option<Vec<(Span, Label)>> {
        let first = self.next;
        while self
            .candidates
            .get(self.next)
            .is_some_and(|c| c.article as usize == i)
        {
            self.next += 1;
        }
        let Some(Some(read)) = self.named.get(i) else {
            names.named.push(Vec::new());
            return None;
        };
        let found: Vec<&Candidate> = self.candidates[first..self.next]
            .iter()
            .filter(|c| acronyms.contains(&*c.word))
            .collect();
        let mut named = Vec::with_capacity(ms.len() + found.len());
        if found.is_empty() {
            for (k, &id) in read.iter().enumerate() {
                named.push(texts.insert(self.texts.get(id)).0);
                if let Some(acro) = self.after.get(&(i as u32, k as u32)) {
                    names.defined.push((i as u32, k as u32, acro.clone()));
                }
            }
            names.named.push(named);
            return None;
        }
        // Mentions and acronyms found, in text order.
        let mut all: Vec<(Span, Label, &str, Option<&str>)> = (ms.iter().zip(read).enumerate())
            .map(|(k, (&(span, label), &id))| {
                let after = self.after.get(&(i as u32, k as u32)).map(|a| &**a);
                (span, label, self.texts.get(id), after)
            })
            .collect();
        all.extend((found.iter()).map(|c| (c.span, Label::Org, &*c.word, c.after.as_deref())));
        all.sort_by_key(|m| m.0);
        for (k, &(_, _, text, after)) in all.iter().enumerate() {
            named.push(texts.insert(text).0);
            if let Some(acro) = after {
                names.defined.push((i as u32, k as u32, acro.into()));
            }
        }
        names.named.push(named);
        Some(all.into_iter().map(|(s, l, _, _)| (s, l)).collect())
    }
}

/// The first pass's votes on the acronyms an article names: for each, whether it only ever
/// had the organisation label, and whether an article naming it also names its full form.
fn vote_acronyms(acronyms: &mut FxMap<String, (bool, bool)>, source: &str, ms: &[(Span, Label)]) {
    if ms.is_empty() {
        return;
    }
    let text = |s: &Span| source.get(s.range()).unwrap_or_default();
    let mut initialled: FxSet<String> = FxSet::default();
    for (s, l) in ms.iter() {
        if *l == Label::Org && text(s).split_whitespace().nth(1).is_some() {
            initialled.insert(initials(text(s)));
        }
    }
    for (s, l) in ms.iter() {
        let t = text(s);
        if is_acronym(t) && t.len() > 2 {
            let e = match acronyms.get_mut(t) {
                Some(e) => e,
                None => acronyms.entry(t.to_string()).or_insert((true, false)),
            };
            e.0 &= *l == Label::Org;
            e.1 |= initialled.contains(t);
        }
    }
}

/// Linking a corpus's recognised mentions, phase by phase ([`link`] runs them in order): the
/// labels the article's evidence settles ([`Linker::vote_labels`]), short forms as the people their article names in
/// full, a directory of full names and acronyms, and each mention's canonical entity.
pub(crate) struct Linker<'a> {
    /// Per article: its mentions as recognised (acronyms filled in).
    mentions: &'a [&'a [(Span, Label)]],
    /// Each distinct mention text, looked at once however often the corpus repeats it.
    names: &'a Names,
    /// Each distinct mention text's words, end to end, and where each text's end.
    words: Vec<&'a str>,
    word_ends: Vec<u32>,
    /// Per article, per mention: its name's number in `names`.
    named: &'a [Vec<u32>],
    /// The acronyms defined in brackets after a mention: (article, mention, acronym).
    defined: &'a [(u32, u32, Box<str>)],
}

/// The full names (two words or more) and acronyms of a corpus, as the mentions' labels give
/// them.
#[derive(Clone, Debug, Default)]
struct Directory {
    /// Per article: its full person names, sorted.
    article_people: Vec<Vec<u32>>,
    /// Per article: its full organisation names, sorted.
    article_orgs: Vec<Vec<u32>>,
    /// An acronym defined in the text ("Full Name (ACRO)") and that full name's text.
    acronyms: FxMap<String, u32>,
    /// Each word of a full person name, with the names it is part of, sorted.
    person_names: FxMap<String, Vec<u32>>,
    /// Full organisation names by their initials.
    by_initials: FxMap<String, Vec<u32>>,
    /// Per name: the articles naming it and its mentions.
    support: Vec<(u32, u32)>,
}

impl<'a> Linker<'a> {
    fn new(names: &'a Names, mentions: &'a [&'a [(Span, Label)]]) -> Self {
        // Each distinct mention text's words are split once per phase.
        let mut words = Vec::new();
        let word_ends = (0..names.ends.len())
            .map(|id| {
                words.extend(words_of(names.get(id)));
                words.len() as u32
            })
            .collect();
        Linker {
            mentions,
            names,
            words,
            word_ends,
            named: &names.named,
            defined: &names.defined,
        }
    }

    fn name(&self, id: u32) -> Name<'_> {
        let id = id as usize;
        let start = if id == 0 {
            0
        } else {
            self.word_ends[id - 1] as usize
        };
        Name {
            text: self.names.get(id),
            words: &self.words[start..self.word_ends[id] as usize],
        }
    }

    /// A one-word mention is the person its article names in full ("Sokha" beside "Kem
    /// Sokha", whatever the tagger made of it in a headline) when exactly one of that article's
    /// person names holds the word, and the word is no place or nationality ("Washington"
    /// beside "George Washington" stays as it was).
    fn name_people_in_full(&self, labels: &mut [Vec<Label>]) {
        for (ns, ls) in self.named.iter().zip(labels) {
            // Each word of the article's full person names: the one name holding it, or None
            // when two different names do.
            let mut holders: FxMap<&str, Option<u32>> = FxMap::default();
            for (&id, &l) in ns.iter().zip(ls.iter()) {
                if l == Label::Person && self.name(id).words.len() >= 2 {
                    for &w in self.name(id).words {
                        let e = holders.entry(w).or_insert(Some(id));
                        if *e != Some(id) {
                            *e = None;
                        }
                    }
                }
            }
            for (&id, l) in ns.iter().zip(ls.iter_mut()) {
                let n = self.name(id);
                if n.words.len() != 1 || matches!(*l, Label::Person | Label::Date) {
                    continue;
                }
                let w = n.words[0];
                if matches!(holders.get(w), Some(Some(_))) && !is_place_word(w) {
                    *l = Label::Person;
                }
            }
        }
    }

    /// Full names (two words or more): people per article, people and organisations
    /// corpus-wide; acronyms defined in the text; how well each name is supported.
    fn directory(&self, labels: &[Vec<Label>]) -> Directory {
        let mut d = Directory {
            article_people: Vec::with_capacity(self.mentions.len()),
            article_orgs: Vec::with_capacity(self.mentions.len()),
            acronyms: FxMap::default(),
            person_names: FxMap::default(),
            by_initials: FxMap::default(),
            support: vec![(0, 0); self.names.len()],
        };
        let mut full_people: FxSet<u32> = FxSet::default();
        let mut full_orgs: FxSet<u32> = FxSet::default();
        // The last article counted for each name.
        let mut last_doc = vec![usize::MAX; self.names.len()];
        let docs = self.mentions.iter().zip(self.named).zip(labels);
        let mut defined = self.defined.iter().peekable();
        for (doc, ((ms, ns), ls)) in docs.enumerate() {
            let mut people = Vec::new();
            let mut orgs = Vec::new();
            for (k, ((_, &id), &l)) in ms.iter().zip(ns).zip(ls).enumerate() {
                let n = self.name(id);
                let e = &mut d.support[id as usize];
                e.1 += 1;
                if last_doc[id as usize] != doc {
                    e.0 += 1;
                    last_doc[id as usize] = doc;
                }
                if n.words.len() >= 2 {
                    match l {
                        Label::Person => {
                            people.push(id);
                            full_people.insert(id);
                        }
                        Label::Org => {
                            full_orgs.insert(id);
                            orgs.push(id);
                        }
                        _ => {}
                    }
                }
                // "Full Name (ACRO)": the acronym is an alias.
                let here = (doc as u32, k as u32);
                while let Some((_, _, acro)) = defined.next_if(|&&(a, m, _)| (a, m) <= here) {
                    if l == Label::Org && n.words.len() >= 2 {
                        d.acronyms.insert(acro.to_string(), id);
                    }
                }
            }
            people.sort_unstable();
            people.dedup();
            d.article_people.push(people);
            orgs.sort_unstable();
            orgs.dedup();
            d.article_orgs.push(orgs);
        }
        for &id in &full_people {
            for &w in self.name(id).words {
                d.person_names.entry(w.to_string()).or_default().push(id);
            }
        }
        for v in d.person_names.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        // Initials as acronyms, when unambiguous.
        for &id in &full_orgs {
            d.by_initials
                .entry(initials(self.name(id).text))
                .or_default()
                .push(id);
        }
        d
    }

    /// Each mention's canonical entity, by its name's number, in mention order: a short form
    /// the full name holding it, an acronym the name defining it or spelt by its initials, a
    /// name in capitals the corpus's mixed-case form.
    fn resolve(&self, labels: &[Vec<Label>], d: &Directory) -> Vec<u32> {
        // A longer name another article gives may stand for a short form across the corpus
        // only when it is well supported: named in two articles or more, and not far rarer than
        // the short form (a name seen once does not capture one seen two thousand times).
        let supported = |long: u32, short: u32| {
            let (l, s) = (d.support[long as usize], d.support[short as usize]);
            l.0 >= 2 && l.1 * 10 >= s.1
        };
        // Each mention's entity, as the number of its name, in mention order.
        let mut chosen: Vec<u32> = Vec::new();
        let docs =
            (self.named.iter().zip(labels)).zip(d.article_people.iter().zip(&d.article_orgs));
        for ((ns, ls), (here_people, here_orgs)) in docs {
            for (&id, &l) in ns.iter().zip(ls) {
                let n = self.name(id);
                let text = n.text;
                let entity = match l {
                    Label::Person if n.words.len() == 1 => {
                        // The full names holding this word (as a whole word), corpus-wide and
                        // in this article.
                        let there: &[u32] =
                            d.person_names.get(n.words[0]).map_or(&[], Vec::as_slice);
                        let mut here = there
                            .iter()
                            .filter(|f| here_people.binary_search(f).is_ok());
                        match (here.next(), here.next(), there) {
                            (Some(&one), None, _) => one,
                            (None, _, [one]) if supported(*one, id) => *one,
                            _ => id,
                        }
                    }
                    Label::Org if is_acronym(text) => match d.acronyms.get(text) {
                        Some(&full) => full,
                        None => {
                            // Initials (specific enough to cross articles): a name of this
                            // article first, else the corpus's one.
                            let there = d.by_initials.get(text).map_or(&[][..], Vec::as_slice);
                            let mut here =
                                there.iter().filter(|f| here_orgs.binary_search(f).is_ok());
                            match (here.next(), here.next(), there) {
                                (Some(one), None, _) | (None, _, [one]) => *one,
                                _ => id,
                            }
                        }
                    },
                    _ => id,
                };
                chosen.push(entity);
            }
        }
        let rewrite = self.capitals_as_the_corpus_writes_them(labels, &chosen);
        if !rewrite.is_empty() {
            for (&l, id) in labels.iter().flatten().zip(&mut chosen) {
                if let Some(&to) = rewrite.get(&(l, *id)) {
                    *id = to;
                }
            }
        }
        chosen
    }

    /// A name written in capitals (a dateline's "PHNOM PENH", a headline's "JAPAN") is the
    /// entity the corpus writes in mixed case, when it does, by its most common such form; an
    /// acronym more common than any mixed-case form of it stays ("UK", not a stray "Uk").
    /// Given each mention's label and entity (`chosen`, in mention order), the entities to
    /// replace, by label and name number. It works on name numbers and keeps only the groups
    /// a name in capitals starts, so it adds little to linking's memory at its highest.
    fn capitals_as_the_corpus_writes_them(
        &self,
        labels: &[Vec<Label>],
        chosen: &[u32],
    ) -> FxMap<(Label, u32), u32> {
        let mut counts: FxMap<(Label, u32), u32> = FxMap::default();
        for (&l, &id) in labels.iter().flatten().zip(chosen) {
            *counts.entry((l, id)).or_default() += 1;
        }
        // The key of a name under its label: the label's place, then the name in lower case.
        let key = |l: Label, text: &str, out: &mut String| {
            out.clear();
            let at = Label::ALL.iter().position(|&x| x == l).unwrap_or(0);
            out.push(char::from(b'0' + at as u8));
            out.push_str(&lower(text));
        };
        // Per key: the forms in capitals (name, count) and the most common other form.
        #[derive(Default)]
        struct Forms {
            capitals: Vec<(u32, u32)>,
            best: Option<(u32, u32)>,
        }
        let mut groups: FxMap<String, (Label, Forms)> = FxMap::default();
        let mut buf = String::new();
        for (&(l, id), &n) in &counts {
            let text = self.name(id).text;
            if is_capitals(text) {
                key(l, text, &mut buf);
                let g = groups
                    .entry(buf.clone())
                    .or_insert_with(|| (l, Forms::default()));
                g.1.capitals.push((id, n));
            }
        }
        let mut rewrite = FxMap::default();
        if groups.is_empty() {
            return rewrite;
        }
        for (&(l, id), &n) in &counts {
            let text = self.name(id).text;
            if is_capitals(text) {
                continue;
            }
            key(l, text, &mut buf);
            if let Some((_, g)) = groups.get_mut(buf.as_str()) {
                // The most common; of two as common, the first in text order.
                let better = g.best.is_none_or(|(b, m)| {
                    n.cmp(&m).then(self.name(b).text.cmp(text)) == std::cmp::Ordering::Greater
                });
                if better {
                    g.best = Some((id, n));
                }
            }
        }
        for (l, g) in groups.into_values() {
            let Some((best, n)) = g.best else { continue };
            let acronym = (g.capitals.iter())
                .filter(|&&(c, _)| is_acronym(self.name(c).text))
                .map(|&(_, m)| m)
                .max()
                .unwrap_or(0);
            if n > acronym {
                for (c, _) in g.capitals {
                    rewrite.insert((l, c), best);
                }
            }
        }
        rewrite
    }
}
