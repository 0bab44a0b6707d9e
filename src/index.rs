//! The positional inverted index.
//!
//! Each article is indexed field by field, in the order of [`IndexField`](crate::article::IndexField); its tokens get
//! consecutive positions, with a gap of one position between blocks (paragraphs, captions) so
//! that phrases never match across them. A term's postings hold the articles that contain it
//! and, per article, the positions. Each article also keeps the byte offset of every position
//! in its source text, so snippets need no re-analysis of whole articles.

use crate::analyze::Analyzer;
use crate::article::{field_blocks, Article, FIELDS};
use crate::interner::Interner;
use crate::search::Dictionary;
use crate::store::push_leb128;
use std::sync::OnceLock;

/// Article id within a corpus.
pub type DocId = u32;
/// Term id within an index.
pub type TermId = u32;

/// Offsets of a gap position (between blocks).
pub(crate) const GAP: u32 = u32::MAX;

/// Articles between two entries of a postings list's skip table.
const SKIP: u32 = 16;

/// A term's postings: the articles holding it, ascending, each with its positions, packed in
/// one list of bytes where a `u32` per article and per position would take four bytes each.
///
/// An article's entry is the gap from the article before (the first from 0), the byte length
/// of its positions, then the positions as deltas (the first from 0), all LEB128; an article
/// is added whole, with all its positions. Every [`SKIP`]-th entry is also in a skip table,
/// with its article and where it starts, so an article's positions are found by a binary
/// search of the table and a walk of at most [`SKIP`] entries; a list of fewer articles has no
/// table (and no allocation but its bytes).
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    bytes: Vec<u8>,
    skips: Vec<(DocId, u32)>,
    /// Articles in the list.
    len: u32,
    /// The last article.
    last_doc: DocId,
}

impl PartialEq for Postings {
    fn eq(&self, other: &Postings) -> bool {
        self.len == other.len && self.bytes == other.bytes && self.skips == other.skips
    }
}

impl Eq for Postings {}

/// Reads a LEB128 number at `*at` (0 past the end: the lists are written by this module, and
/// a reader never panics).
#[inline]
fn read_leb(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        v |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

/// Writes `v` as LEB128 into `buf`; returns the bytes used (at most 5).
fn leb_into(v: u32, buf: &mut [u8; 10]) -> usize {
    crate::store::leb128(u64::from(v), buf)
}

/// The positions of one article in a term's postings, decoded as they are read.
#[derive(Clone, Debug)]
pub(crate) struct Positions<'a> {
    bytes: &'a [u8],
    at: usize,
    prev: u32,
}

impl Iterator for Positions<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.at >= self.bytes.len() {
            return None;
        }
        self.prev = self.prev.wrapping_add(read_leb(self.bytes, &mut self.at));
        Some(self.prev)
    }
}

/// The articles of a term's postings with their positions, in order.
#[derive(Clone, Debug)]
pub(crate) struct Entries<'a> {
    postings: &'a Postings,
    at: usize,
    doc: DocId,
}

impl<'a> Iterator for Entries<'a> {
    type Item = (DocId, Positions<'a>);

    fn next(&mut self) -> Option<(DocId, Positions<'a>)> {
        let p = self.postings;
        if self.at >= p.bytes.len() {
            return None;
        }
        self.doc = self.doc.wrapping_add(read_leb(&p.bytes, &mut self.at));
        let n = read_leb(&p.bytes, &mut self.at) as usize;
        let end = (self.at + n).min(p.bytes.len());
        let bytes = p.bytes.get(self.at..end).unwrap_or_default();
        self.at = end;
        Some((
            self.doc,
            Positions {
                bytes,
                at: 0,
                prev: 0,
            },
        ))
    }
}

/// Looks up articles in ascending order in a postings list, each from where the last was
/// found (jumping ahead through the skip table when that is further).
#[derive(Clone, Debug)]
pub(crate) struct Cursor<'a> {
    entries: Entries<'a>,
    current: Option<(DocId, Positions<'a>)>,
    /// The first entry of the skip table not yet passed.
    skip: usize,
}

impl<'a> Cursor<'a> {
    /// Positions of article `doc`, if it holds the term; `doc` may not come before an article
    /// asked for earlier.
    pub fn positions_of(&mut self, doc: DocId) -> Option<Positions<'a>> {
        if let Some((d, p)) = &self.current {
            if *d >= doc {
                return (*d == doc).then(|| p.clone());
            }
        }
        let p = self.entries.postings;
        if p.skips.get(self.skip).is_some_and(|&(d, _)| d <= doc) {
            // Past the next skip: jump to the last one at or before `doc`.
            let rest = &p.skips[self.skip..];
            let k = self.skip + rest.partition_point(|&(d, _)| d <= doc);
            self.skip = k;
            if let Some(&(d, at)) = p.skips.get(k - 1) {
                if at as usize > self.entries.at {
                    self.entries = p.iter_near(d);
                }
            }
        }
        for (d, positions) in self.entries.by_ref() {
            if d >= doc {
                self.current = Some((d, positions.clone()));
                return (d == doc).then_some(positions);
            }
        }
        self.current = None;
        None
    }
}

impl Postings {
    /// Number of articles.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// The articles and their positions, ascending.
    pub fn iter(&self) -> Entries<'_> {
        Entries {
            postings: self,
            at: 0,
            doc: 0,
        }
    }

    /// [`Postings::iter`] from the first article at or after `doc` (and perhaps a few before:
    /// it starts at the skip table's entry before `doc`).
    pub fn iter_near(&self, doc: DocId) -> Entries<'_> {
        let k = self.skips.partition_point(|&(d, _)| d <= doc);
        let Some(&(d, at)) = k.checked_sub(1).and_then(|k| self.skips.get(k)) else {
            return self.iter();
        };
        // The entry's own gap, to start the walk from the article before it.
        let mut peek = at as usize;
        let gap = read_leb(&self.bytes, &mut peek);
        Entries {
            postings: self,
            at: at as usize,
            doc: d.wrapping_sub(gap),
        }
    }

    /// A cursor at the start of the list, for looking up ascending articles.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            entries: self.iter(),
            current: None,
            skip: 0,
        }
    }

    /// Positions of article `doc`, if it holds the term.
    pub fn positions_of(&self, doc: DocId) -> Option<Positions<'_>> {
        for (d, positions) in self.iter_near(doc) {
            if d >= doc {
                return (d == doc).then_some(positions);
            }
        }
        None
    }

    /// Adds an entry for article `doc` (later than any before) whose positions are `packed`;
    /// every [`SKIP`]-th gets a place in the skip table.
    fn push_entry(&mut self, doc: DocId, packed: &[u8]) {
        if self.len > 0 && self.len.is_multiple_of(SKIP) {
            room(&mut self.skips, 1);
            self.skips.push((doc, self.bytes.len() as u32));
        }
        let gap = if self.len == 0 {
            doc
        } else {
            doc - self.last_doc
        };
        let mut head = [0u8; 10];
        let n = leb_into(gap, &mut head);
        let mut len = [0u8; 10];
        let m = leb_into(packed.len() as u32, &mut len);
        room(&mut self.bytes, n + m + packed.len());
        self.bytes.extend_from_slice(&head[..n]);
        self.bytes.extend_from_slice(&len[..m]);
        self.bytes.extend_from_slice(packed);
        self.last_doc = doc;
        self.len += 1;
    }

    /// Adds article `doc` (later than any before) with its positions, ascending; `scratch`
    /// holds them packed meanwhile (kept by the caller from one article to the next).
    pub(crate) fn push_doc(
        &mut self,
        doc: DocId,
        positions: impl IntoIterator<Item = u32>,
        scratch: &mut Vec<u8>,
    ) {
        scratch.clear();
        let mut last = 0u32;
        for p in positions {
            push_leb128(scratch, u64::from(p.wrapping_sub(last)));
            last = p;
        }
        self.push_entry(doc, scratch);
    }

    /// Adds article `doc` (later than any before) with positions read from another list,
    /// copied as they are packed.
    fn push_packed(&mut self, doc: DocId, positions: &Positions<'_>) {
        self.push_entry(doc, positions.bytes);
    }
}

/// Makes room for `n` more items, growing by an eighth rather than doubling: postings are most
/// of an index's memory and are kept as built, so a doubled list would hold a third of its
/// room unused on average; an eighth leaves a sixteenth, for a few more copies while building.
fn room<T>(v: &mut Vec<T>, n: usize) {
    if v.capacity() - v.len() < n {
        v.reserve_exact(n + (v.len() + n) / 8 + 4);
    }
}

/// Per-article statistics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DocInfo {
    /// Position where each field ends (exclusive); field `f` spans
    /// `field_end[f - 1]..field_end[f]`.
    pub field_end: [u32; FIELDS],
    /// Tokens per field.
    pub len: [u32; FIELDS],
}

impl DocInfo {
    /// The field a position lies in.
    pub fn field_of(&self, position: u32) -> usize {
        self.field_end
            .iter()
            .position(|&end| position < end)
            .unwrap_or(FIELDS - 1)
    }

    /// Positions the article has, gaps included.
    pub fn positions(&self) -> u32 {
        self.field_end[FIELDS - 1]
    }
}

/// Byte offset in the article's source of the token at each position, numbered as
/// [`Index::add`] numbers them ([`GAP`] for the gap after each block). Snippets and highlights
/// need them for the few articles they show, so they are worked out then rather than kept for
/// every article (they would take four bytes a token).
pub(crate) fn token_starts(article: &Article) -> Vec<u32> {
    token_starts_through(article, u32::MAX)
}

/// [`token_starts`] of the article's blocks up to the one holding position `last` (the rest
/// left out: a snippet needs no more).
pub(crate) fn token_starts_through(article: &Article, last: u32) -> Vec<u32> {
    let mut starts = Vec::new();
    for blocks in field_blocks(article) {
        for (base, text) in blocks {
            if starts.len() as u64 > u64::from(last) {
                return starts;
            }
            crate::analyze::words(text, |_, start, _| starts.push((base + start) as u32));
            starts.push(GAP);
        }
    }
    starts
}

/// The inverted index over a corpus's articles.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// The terms (stemmed words); a term's number is its [`TermId`].
    pub terms: Interner,
    pub postings: Vec<Postings>,
    /// Surface words (folded, unstemmed), and by word number the term each one indexes as.
    pub words: Interner,
    pub word_terms: Vec<TermId>,
    pub docs: Vec<DocInfo>,
    pub total_len: [u64; FIELDS],
    /// The collection this index is a part of, when it is one: idf and average lengths are
    /// then the collection's (a published archive scores the few articles a query fetched as
    /// the whole archive would).
    pub collection: Option<Collection>,
    /// Each term's document frequency in the collection, when the index holds only part of
    /// its postings (a published archive's heads: [`crate::archive`]); empty otherwise.
    pub(crate) df: Vec<u32>,
    /// Word numbers in the order of their words.
    sorted_words: OnceLock<Vec<u32>>,
}

/// The statistics scoring takes from a whole collection: its article count and field lengths.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Collection {
    pub docs: usize,
    pub total_len: [u64; FIELDS],
}

impl Clone for Index {
    fn clone(&self) -> Index {
        Index {
            terms: self.terms.clone(),
            postings: self.postings.clone(),
            words: self.words.clone(),
            word_terms: self.word_terms.clone(),
            docs: self.docs.clone(),
            total_len: self.total_len,
            collection: self.collection,
            df: self.df.clone(),
            sorted_words: OnceLock::new(),
        }
    }
}

impl Index {
    /// Number of articles.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Adds an article as the next [`DocId`].
    pub fn add(&mut self, analyzer: &Analyzer, article: &Article) -> DocId {
        let doc = self.docs.len() as DocId;
        let mut info = DocInfo::default();
        let mut position: u32 = 0;
        // Each word's term and position; then each term's positions go in at once.
        let mut occurrences: Vec<(TermId, u32)> = Vec::new();
        for (f, blocks) in field_blocks(article).iter().enumerate() {
            for (_, text) in blocks {
                analyzer.for_each_word(text, |word, _start, _end| {
                    // Each surface word is stemmed once per corpus.
                    let id = match self.word(word) {
                        Some(id) => id,
                        None => {
                            let id = self.term_id(&analyzer.stem(word));
                            self.add_word(word, id);
                            id
                        }
                    };
                    occurrences.push((id, position));
                    info.len[f] += 1;
                    position += 1;
                });
                // A gap between blocks keeps phrases inside one block.
                position += 1;
            }
            info.field_end[f] = position;
            self.total_len[f] += u64::from(info.len[f]);
        }
        // Positions are ascending already: terms in order keep them so.
        occurrences.sort_by_key(|&(t, _)| t);
        let mut scratch = Vec::new();
        for run in occurrences.chunk_by(|a, b| a.0 == b.0) {
            let positions = run.iter().map(|&(_, p)| p);
            self.postings[run[0].0 as usize].push_doc(doc, positions, &mut scratch);
        }
        self.docs.push(info);
        self.sorted_words = OnceLock::new();
        doc
    }

    /// The index of articles `keep` alone (ascending ids), numbered from 0 in that order: a
    /// segment. Its terms are those the articles hold, in this index's id order; its surface
    /// words those of its terms. Costs a look at every term, plus the segment's postings.
    pub fn subset(&self, keep: &[DocId]) -> Index {
        let mut out = Index::default();
        let Some(&first) = keep.first() else {
            return out;
        };
        let mut local: Vec<Option<DocId>> = vec![None; self.docs.len()];
        for (n, &d) in keep.iter().enumerate() {
            if let Some(slot) = local.get_mut(d as usize) {
                *slot = Some(n as DocId);
            }
        }
        let mut new_term: Vec<Option<TermId>> = vec![None; self.postings.len()];
        for (t, p) in self.postings.iter().enumerate() {
            let mut q = Postings::default();
            for (d, positions) in p.iter_near(first) {
                if let Some(&Some(n)) = local.get(d as usize) {
                    q.push_packed(n, &positions);
                }
            }
            if q.len > 0 {
                new_term[t] = Some(out.postings.len() as TermId);
                out.postings.push(q);
            }
        }
        // Terms in id order: each gets the number its postings got.
        for (t, term) in self.terms.iter() {
            if new_term[t as usize].is_some() {
                out.terms.insert(term);
            }
        }
        for (word, t) in self.words() {
            if let Some(n) = new_term[t as usize] {
                out.add_word(word, n);
            }
        }
        for &d in keep {
            let info = self.docs[d as usize].clone();
            for (total, &len) in out.total_len.iter_mut().zip(&info.len) {
                *total += u64::from(len);
            }
            out.docs.push(info);
        }
        out
    }

    /// Appends a segment's articles after this index's own, their ids shifted by
    /// [`Index::len`]: postings of terms both know are joined, the segment's other terms added
    /// in its id order. The result is the index that adding the same articles one by one
    /// would have built (same term ids, same postings).
    pub fn append(&mut self, other: Index) {
        self.sorted_words = OnceLock::new();
        if self.docs.is_empty() && self.postings.is_empty() {
            *self = other;
            return;
        }
        let base = self.docs.len() as DocId;
        let mut global: Vec<TermId> = vec![0; other.postings.len()];
        for (id, term) in other.terms.iter() {
            global[id as usize] = self.term_id(term);
        }
        for (word, t) in other.words() {
            self.add_word(word, global[t as usize]);
        }
        for (t, p) in other.postings.into_iter().enumerate() {
            let into = &mut self.postings[global[t] as usize];
            room(&mut into.bytes, p.bytes.len() + p.len());
            for (d, positions) in p.iter() {
                into.push_packed(d + base, &positions);
            }
        }
        for (total, add) in self.total_len.iter_mut().zip(other.total_len) {
            *total += add;
        }
        self.docs.extend(other.docs);
    }

    fn term_id(&mut self, term: &str) -> TermId {
        let (id, new) = self.terms.insert(term);
        if new {
            self.postings.push(Postings::default());
        }
        id
    }

    /// The id of `term`, if the index holds it.
    pub fn term(&self, term: &str) -> Option<TermId> {
        self.terms.find(term)
    }

    /// The term surface word `word` indexes as, if the index holds the word.
    pub fn word(&self, word: &str) -> Option<TermId> {
        Some(self.word_terms[self.words.find(word)? as usize])
    }

    /// Adds surface word `word` as indexing to `term`, unless the index holds it already.
    pub(crate) fn add_word(&mut self, word: &str, term: TermId) {
        if self.words.insert(word).1 {
            self.word_terms.push(term);
        }
    }

    /// The surface words with their terms, in the order they were added.
    pub fn words(&self) -> impl Iterator<Item = (&str, TermId)> + '_ {
        (self.words.iter()).map(|(w, s)| (s, self.word_terms[w as usize]))
    }

    /// Article count and field lengths that scoring uses: this index's own, or its
    /// collection's.
    fn stats(&self) -> (usize, [u64; FIELDS]) {
        match self.collection {
            Some(c) => (c.docs, c.total_len),
            None => (self.docs.len(), self.total_len),
        }
    }

    /// Average field lengths.
    pub fn avg_len(&self) -> [f32; FIELDS] {
        let (n, total) = self.stats();
        let n = n.max(1) as f32;
        let mut avg = [1.0; FIELDS];
        for (f, a) in avg.iter_mut().enumerate() {
            *a = (total[f] as f32 / n).max(1.0);
        }
        avg
    }

    /// The surface words, sorted, each with its term: the dictionary that prefix and typo
    /// matching walk. Its order is built on first use after a change.
    pub fn dictionary(&self) -> Dictionary<'_> {
        let order = self.sorted_words.get_or_init(|| self.words.sorted());
        Dictionary::new(&self.words, &self.word_terms, order)
    }

    /// Whether [`Index::dictionary`]'s order is built (the first search after a change builds it).
    pub fn has_sorted_words(&self) -> bool {
        self.sorted_words.get().is_some()
    }

    /// Inverse document frequency of a term (BM25's, always positive).
    pub fn idf(&self, term: TermId) -> f32 {
        let n = self.stats().0 as f32;
        let df = match self.df.get(term as usize) {
            Some(&df) => df as f32,
            None => self.postings[term as usize].len() as f32,
        };
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::IndexField;
    use crate::parse_text;

    #[test]
    fn positions_fields_and_offsets() {
        let a = parse_text("Sokha speaks\n\nSokha said the party would win.\n\nRainsy agreed.")
            .unwrap();
        let analyzer = Analyzer::default();
        let mut index = Index::default();
        index.add(&analyzer, &a);
        let sokha = index.term("sokha").unwrap();
        let p = &index.postings[sokha as usize];
        assert_eq!(p.iter().map(|(d, _)| d).collect::<Vec<_>>(), [0]);
        let positions: Vec<u32> = p.positions_of(0).unwrap().collect();
        assert_eq!(positions.len(), 2);
        let info = &index.docs[0];
        assert_eq!(info.field_of(positions[0]), IndexField::Title as usize);
        assert_eq!(info.field_of(positions[1]), IndexField::Body as usize);
        assert_eq!(token_starts(&a)[positions[1] as usize], 14);
        // The paragraphs are separated by a gap: "win" and "rainsy" are not adjacent.
        let first = |t: &str| {
            (index.postings[index.term(t).unwrap() as usize].positions_of(0))
                .and_then(|mut p| p.next())
        };
        let (win, rainsy) = (first("win").unwrap(), first("rainsi").unwrap());
        assert_eq!(rainsy, win + 2);
        assert_eq!(info.len[IndexField::Body as usize], 8);
    }

    /// Token starts are worked out again for snippets: they must number the positions as the
    /// index did, in every field, for ASCII and other text alike.
    #[test]
    fn token_starts_number_positions_as_the_index_does() {
        let pages: [&[u8]; 3] = [
            b"Sokha speaks\n\nPHNOM PENH--Sokha said the party would win.\n\nRainsy agreed.",
            "Caf\u{e9} talks \u{2014} \u{201c}na\u{ef}ve\u{201d}\n\nThe \u{c9}lys\u{e9}e said: \u{4e2d}\u{6587} and Gr\u{fc}\u{df}e.\n\nBy Jane Roe".as_bytes(),
            b"<article><h1>Talks Stall</h1><figure><img src=a.jpg><figcaption>Hun Sen speaks. Photo: AFP</figcaption></figure>\
              <p>The talks stalled on Monday, officials in the capital said after a long meeting.</p></article>",
        ];
        let analyzer = Analyzer::default();
        for page in pages {
            let format = if page.starts_with(b"<") {
                crate::Format::Html
            } else {
                crate::Format::Text
            };
            let a = crate::parse(page, format).unwrap().articles.remove(0);
            let mut index = Index::default();
            index.add(&analyzer, &a);
            let starts = token_starts(&a);
            assert_eq!(starts.len() as u32, index.docs[0].positions());
            let mut seen = 0;
            for (t, term) in index.terms.iter() {
                for p in index.postings[t as usize].positions_of(0).unwrap() {
                    let start = starts[p as usize];
                    assert_ne!(start, GAP, "{term} at a gap");
                    let tokens = analyzer.tokens(&a.source()[start as usize..]);
                    assert_eq!(&*tokens[0].term, term, "position {p}");
                    seen += 1;
                }
            }
            assert_eq!(seen, index.docs[0].len.iter().sum::<u32>());
        }
    }

    /// Positions are packed as deltas: every size of gap reads back as written, article by
    /// article, however the postings were made (added whole, copied packed, appended),
    /// in lists short enough to have no skip table and long enough to have one.
    #[test]
    fn packed_positions_read_back_as_written() {
        let lists: [Vec<u32>; 8] = [
            vec![0],
            vec![0, 1, 2, 127, 128, 16_383, 16_384],
            vec![5, 2_097_151, 2_097_152, 268_435_455, 268_435_456],
            vec![u32::MAX - 1, u32::MAX],
            vec![300, 301],
            // Entries whose length takes two bytes and three.
            (0..100).map(|i| i * 200).collect(),
            (0..9_000).map(|i| i * 200).collect(),
            vec![1 << 31],
        ];
        for articles in [
            1,
            6,
            SKIP as usize,
            SKIP as usize + 1,
            5 * SKIP as usize + 3,
        ] {
            // Article k is 3k + k²/8 (gaps of every size) with list k mod 8.
            let doc = |k: usize| (3 * k + k * k / 8) as DocId;
            let list = |k: usize| lists[k % lists.len()].as_slice();
            let mut whole = Postings::default();
            let mut scratch = Vec::new();
            for k in 0..articles {
                whole.push_doc(doc(k), list(k).iter().copied(), &mut scratch);
            }
            assert_eq!(whole.len(), articles);
            assert_eq!(whole.skips.len(), (articles - 1) / SKIP as usize);
            let mut copied = Postings::default();
            for (d, positions) in whole.iter() {
                copied.push_packed(d, &positions);
            }
            assert_eq!(copied, whole);
            let read: Vec<(DocId, Vec<u32>)> =
                whole.iter().map(|(d, p)| (d, p.collect())).collect();
            let written: Vec<(DocId, Vec<u32>)> =
                (0..articles).map(|k| (doc(k), list(k).to_vec())).collect();
            assert_eq!(read, written, "{articles} articles");
            for k in 0..articles {
                let found = whole.positions_of(doc(k)).map(Iterator::collect::<Vec<_>>);
                assert_eq!(found.as_deref(), Some(list(k)), "article {k} of {articles}");
                assert!(whole.positions_of(doc(k) + 1).is_none() || doc(k + 1) == doc(k) + 1);
                let near: Vec<DocId> = whole.iter_near(doc(k)).map(|(d, _)| d).collect();
                assert!(near.contains(&doc(k)) && near.len() >= articles - k);
            }
            assert!(whole.positions_of(doc(articles)).is_none());
            // A cursor finds the same, asked for every article in turn or for every third.
            for step in [1, 3] {
                let mut cursor = whole.cursor();
                for d in (0..=doc(articles)).step_by(step) {
                    let by_cursor = cursor.positions_of(d).map(Iterator::collect::<Vec<_>>);
                    let by_search = whole.positions_of(d).map(Iterator::collect::<Vec<_>>);
                    assert_eq!(
                        by_cursor, by_search,
                        "article {d} of {articles}, step {step}"
                    );
                }
            }
        }
    }
}
