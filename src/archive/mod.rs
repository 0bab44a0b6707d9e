//! A published archive: an index cut into files that a static host serves, of which a reader
//! fetches only what a query needs ([`Publisher`] writes them, [`Archive`] reads them).
//!
//! # Files
//!
//! Every file is framed like an index file (a magic, the format version, an FNV-1a checksum
//! of the payload) and holds LEB128 integers and length-prefixed strings. Names are relative to
//! the archive's directory:
//!
//! - `manifest` — the article count, the collection's field lengths (scoring is global), the
//!   articles per record chunk and their files' mean size, the document frequency that makes
//!   a word common enough for pairs, and the first word of each word shard and first term of each
//!   term shard (shards are contiguous ranges, so a range names the shards it overlaps).
//! - `w/N` — word shard: surface words, sorted, each with its index term and that term's
//!   document frequency. Prefix and typo expansion walk these (a typo keeps its first letter,
//!   so a word's expansions lie under its first letter's range).
//! - `t/N` — term shard: index terms, sorted, each with its postings inline when they are
//!   small, or the number of the `p/N` file holding them. After every term come the pairs:
//!   two terms adjacent in some article, one of them in at least the manifest's `pair_df`
//!   articles, as a term of their own whose positions are where the pair starts. A phrase is
//!   matched by its pairs where the archive has them ([`PublishOptions::pair_df`]), so a
//!   phrase of common words (`"in the"`) fetches the postings of where they meet, never the
//!   whole postings of each.
//! - `p/N` — one term's postings.
//! - `h/N` — the head of `p/N`: the articles its term scores best, with their postings (the
//!   term's shard gives the best score of those left out). A query of one clause of words
//!   (a word and its typo or prefix expansions) is answered from its terms' heads when they
//!   provably hold its first results ([`Archive::needs_first`]).
//! - `d/N` — the articles of `p/N`, nothing else: what an excluded word (`-word`) needs of
//!   its term, at a tenth of the bytes.
//! - `e/N` — entity shard: entity keys (a label and a name the entity is known by, lower
//!   case: what an entity filter such as `person:"Sam Rainsy"` looks up), sorted, each with
//!   its articles and their dates inline when few, or the number of the `x/N` file holding
//!   them.
//! - `x/N` — one entity key's articles.
//! - `r/N` — record chunk: articles `N * chunk` to `(N + 1) * chunk`, each with its name, the
//!   parsed article and its linked mentions. Snippets and highlights index the article alone
//!   (which gives where each word starts, and every query term's positions in it).
//!
//! Postings carry, with each article, what scoring needs of it (field ends and lengths, its
//! date), so a query is scored from its terms' files alone, exactly as the whole index scores
//! it: the reader builds a small index of the articles the query's terms hold, with the
//! archive's statistics ([`crate::index::Collection`]). A query within an entity of a few
//! articles (its list in its shard) may read those articles' records instead, each indexed
//! alone, when they cost less than its terms' postings.
//!
//! A query is answered in rounds ([`Archive::needs`]): the shards of its words, terms and
//! entity filters; then the shards and postings files of the terms its words expanded to, and
//! the entity files too large for their shards; then the record chunks of its best articles. The caller fetches each round's files (the page: `fetch`, the HTTP cache
//! keeping them) and gives them to [`Archive::add_file`]; the archive itself does no IO.

mod open;
mod publish;

pub use open::Archive;
pub use publish::{Batch, PublishOptions, Publisher};

use crate::article::{Span, FIELDS};
use crate::calendar::CalendarDate;
use crate::entities::{Label, Mention};
use crate::error::{Damaged, Error};
use crate::index::{DocId, DocInfo};
use crate::store::{
    corrupt, fnv1a, read_positions, unzigzag, write_positions, zigzag, Reader, Writer,
};

/// The format version of every archive file (2: entity shards; 3: an article's norms name its
/// fields; 4: pairs of adjacent words).
const VERSION: u32 = 4;

/// The archive's manifest, the one file a reader fetches first.
pub const MANIFEST: &str = "manifest";

fn frame(magic: &[u8; 4], payload: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 16);
    out.extend_from_slice(magic);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&fnv1a(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

fn damaged(name: &str, what: &str) -> Error {
    Error::damaged(Damaged::Archive, format!("`{name}`: {what}"))
}

/// The payload of a framed file, checked.
fn unframe<'a>(name: &str, magic: &[u8; 4], bytes: &'a [u8]) -> Result<Reader<'a>, Error> {
    if bytes.len() < 16 || &bytes[..4] != magic {
        return Err(damaged(name, "it is not a file of this archive's format"));
    }
    let version = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if version != VERSION {
        return Err(damaged(
            name,
            &format!("format version {version}; this build reads {VERSION}: publish it again"),
        ));
    }
    let mut sum = [0u8; 8];
    sum.copy_from_slice(&bytes[8..16]);
    if fnv1a(&bytes[16..]) != u64::from_le_bytes(sum) {
        return Err(damaged(
            name,
            "its checksum does not match (truncated or altered)",
        ));
    }
    Ok(Reader {
        bytes: &bytes[16..],
        at: 0,
    })
}

/// What the archive keeps of each article alongside its postings: what scoring needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Norms {
    field_end: [u32; FIELDS],
    len: [u32; FIELDS],
    date: Option<CalendarDate>,
}

impl Norms {
    fn of(info: &DocInfo, date: Option<CalendarDate>) -> Norms {
        Norms {
            field_end: info.field_end,
            len: info.len,
            date,
        }
    }

    fn info(&self) -> DocInfo {
        DocInfo {
            field_end: self.field_end,
            len: self.len,
        }
    }
}

/// A date as one number: 0 for none, else year, month and day packed (month and day 0 when
/// absent).
fn date_code(d: Option<CalendarDate>) -> u64 {
    d.map_or(0, |d| {
        (u64::from(d.year_of()) << 9)
            | (u64::from(d.month_of().unwrap_or(0)) << 5)
            | u64::from(d.day_of().unwrap_or(0))
    })
}

fn date_of_code(c: u64) -> Option<CalendarDate> {
    if c == 0 {
        return None;
    }
    let (y, m, d) = ((c >> 9) as u32, ((c >> 5) & 15) as u32, (c & 31) as u32);
    match (m, d) {
        (0, _) => CalendarDate::year(y),
        (m, 0) => CalendarDate::month(y, m),
        (m, d) => CalendarDate::day(y, m, d),
    }
}

/// One term's postings in an archive: articles ascending (archive ids), each with its norms
/// and positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct TermPostings {
    docs: Vec<DocId>,
    norms: Vec<Norms>,
    /// `positions[offsets[i]..offsets[i + 1]]` are article `docs[i]`'s.
    offsets: Vec<u32>,
    positions: Vec<u32>,
}

impl TermPostings {
    fn positions_at(&self, i: usize) -> &[u32] {
        let start = self.offsets[i] as usize;
        let end = (self.offsets.get(i + 1)).map_or(self.positions.len(), |&e| e as usize);
        &self.positions[start..end]
    }

    fn push(&mut self, doc: DocId, norms: Norms, positions: &[u32]) {
        self.docs.push(doc);
        self.norms.push(norms);
        self.offsets.push(self.positions.len() as u32);
        self.positions.extend_from_slice(positions);
    }

    fn write(&self, w: &mut Writer) {
        w.usize(self.docs.len());
        let mut prev_doc = 0;
        for (i, &doc) in self.docs.iter().enumerate() {
            w.u64(u64::from(doc - prev_doc));
            prev_doc = doc;
            let n = &self.norms[i];
            // The fields an article has (most have a title and a body only), then for each its
            // token count and its span's excess over that (the gaps between its blocks).
            let mut prev = 0;
            let spans: [u32; FIELDS] = std::array::from_fn(|f| {
                let span = n.field_end[f] - prev;
                prev = n.field_end[f];
                span
            });
            let mask = (0..FIELDS)
                .filter(|&f| spans[f] > 0 || n.len[f] > 0)
                .fold(0u64, |m, f| m | 1 << f);
            w.u64(mask);
            for f in (0..FIELDS).filter(|f| mask & 1 << f != 0) {
                w.u64(u64::from(n.len[f]));
                w.u64(zigzag(i64::from(spans[f]) - i64::from(n.len[f])));
            }
            w.u64(date_code(n.date));
            write_positions(w, self.positions_at(i));
        }
    }

    fn read(r: &mut Reader<'_>, docs: usize) -> Result<TermPostings, Error> {
        let mut out = TermPostings::default();
        let n = r.count()?;
        let mut doc: u64 = 0;
        for i in 0..n {
            let errors = (
                "postings are out of order",
                "postings name an article the archive does not have",
            );
            let at = next_doc(r, i, &mut doc, docs, errors)?;
            let mut norms = Norms::default();
            let mask = r.u64()?;
            if mask >> FIELDS != 0 {
                return Err(corrupt("postings name a field that does not exist"));
            }
            let mut end: u32 = 0;
            for f in 0..FIELDS {
                if mask & 1 << f != 0 {
                    norms.len[f] = r.u32()?;
                    let excess = unzigzag(r.u64()?);
                    end = i64::from(norms.len[f])
                        .checked_add(excess)
                        .and_then(|span| u32::try_from(span).ok())
                        .and_then(|span| end.checked_add(span))
                        .ok_or_else(|| corrupt("a field end overflows"))?;
                }
                norms.field_end[f] = end;
            }
            norms.date = date_of_code(r.u64()?);
            out.docs.push(at);
            out.norms.push(norms);
            out.offsets.push(out.positions.len() as u32);
            if read_positions(r, u64::from(end), &mut out.positions)? == 0 {
                return Err(corrupt("an article holds a term at no position"));
            }
        }
        Ok(out)
    }
}

/// The `i`-th article of an ascending list, read as a delta from `doc` (which it updates) and
/// checked: after the first, a delta of 0 repeats an article, and none may lie past the
/// archive's `docs`. `errors` says so for the list read: (out of order, not in the archive).
fn next_doc(
    r: &mut Reader<'_>,
    i: usize,
    doc: &mut u64,
    docs: usize,
    errors: (&str, &str),
) -> Result<DocId, Error> {
    let delta = r.u64()?;
    if i > 0 && delta == 0 {
        return Err(corrupt(errors.0));
    }
    *doc = doc.saturating_add(delta);
    if *doc >= docs as u64 {
        return Err(corrupt(errors.1));
    }
    Ok(*doc as DocId)
}

/// Writes articles (ascending) as `d/N` holds them.
fn write_ids(w: &mut Writer, docs: &[DocId]) {
    w.usize(docs.len());
    let mut prev = 0;
    for &d in docs {
        w.u64(u64::from(d - prev));
        prev = d;
    }
}

/// Reads what [`write_ids`] wrote: ascending articles, each below `docs`.
fn read_ids(r: &mut Reader<'_>, docs: usize) -> Result<Vec<DocId>, Error> {
    let n = r.count()?;
    let mut out = Vec::with_capacity(n);
    let mut doc: u64 = 0;
    for i in 0..n {
        let errors = (
            "articles are out of order",
            "a list names an article the archive does not have",
        );
        out.push(next_doc(r, i, &mut doc, docs, errors)?);
    }
    Ok(out)
}

/// An article as a record chunk holds it.
#[derive(Clone, Debug)]
struct Record {
    name: String,
    article: crate::Article,
    mentions: Vec<Mention>,
}

impl Record {
    fn write(&self, w: &mut Writer) {
        crate::store::write_article(w, &self.name, &self.article);
        w.usize(self.mentions.len());
        let mut prev = 0;
        for m in &self.mentions {
            // Mentions are in text order.
            w.usize(m.span.start - prev);
            prev = m.span.start;
            w.usize(m.span.len());
            w.usize(Label::ALL.iter().position(|l| *l == m.label).unwrap_or(0));
            w.str(&m.entity);
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Record, Error> {
        let (name, article) = crate::store::read_article(r, crate::store::VERSION)?;
        let mut mentions = Vec::new();
        let mut start = 0usize;
        let source = article.source();
        for _ in 0..r.count()? {
            start = start
                .checked_add(r.u64()? as usize)
                .ok_or_else(|| corrupt("a mention overflows"))?;
            let end = start
                .checked_add(r.u64()? as usize)
                .ok_or_else(|| corrupt("a mention overflows"))?;
            let label = *Label::ALL
                .get(r.u64()? as usize)
                .ok_or_else(|| corrupt("a mention has an unknown label"))?;
            let entity = r.str()?.to_string();
            if end > source.len()
                || !source.is_char_boundary(start)
                || !source.is_char_boundary(end)
            {
                return Err(corrupt("a mention lies outside its article"));
            }
            mentions.push(Mention {
                span: Span::new(start, end),
                label,
                entity: entity.into(),
            });
        }
        Ok(Record {
            name,
            article,
            mentions,
        })
    }
}

/// The manifest's content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Manifest {
    docs: usize,
    total_len: [u64; FIELDS],
    chunk: usize,
    /// The mean bytes of a record chunk's file (what reading an article costs a query).
    chunk_bytes: usize,
    /// Two adjacent terms are a pair of their own when one of them is in at least this many
    /// articles (0: no pairs).
    pair_df: usize,
    word_firsts: Vec<Box<str>>,
    term_firsts: Vec<Box<str>>,
    entity_firsts: Vec<Box<str>>,
}

const MANIFEST_MAGIC: &[u8; 4] = b"NLAM";
const WORDS_MAGIC: &[u8; 4] = b"NLAW";
const TERMS_MAGIC: &[u8; 4] = b"NLAT";
const POSTINGS_MAGIC: &[u8; 4] = b"NLAP";
const RECORDS_MAGIC: &[u8; 4] = b"NLAR";
const ENTITIES_MAGIC: &[u8; 4] = b"NLAE";
const HEAD_MAGIC: &[u8; 4] = b"NLAH";
const ENTITY_DOCS_MAGIC: &[u8; 4] = b"NLAX";
const IDS_MAGIC: &[u8; 4] = b"NLAD";

impl Manifest {
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.usize(self.docs);
        for &t in &self.total_len {
            w.u64(t);
        }
        w.usize(self.chunk);
        w.usize(self.chunk_bytes);
        w.usize(self.pair_df);
        for list in [&self.word_firsts, &self.term_firsts, &self.entity_firsts] {
            w.usize(list.len());
            for s in list.iter() {
                w.str(s);
            }
        }
        frame(MANIFEST_MAGIC, w.out)
    }

    fn from_bytes(bytes: &[u8]) -> Result<Manifest, Error> {
        let mut r = unframe(MANIFEST, MANIFEST_MAGIC, bytes)?;
        let at = |e: Error| damaged(MANIFEST, &e.to_string());
        let mut m = Manifest {
            docs: r.u64().map_err(at)? as usize,
            ..Manifest::default()
        };
        for t in m.total_len.iter_mut() {
            *t = r.u64().map_err(at)?;
        }
        m.chunk = r.u64().map_err(at)? as usize;
        if m.chunk == 0 {
            return Err(damaged(MANIFEST, "record chunks of no article"));
        }
        m.chunk_bytes = r.u64().map_err(at)? as usize;
        m.pair_df = r.u64().map_err(at)? as usize;
        for list in [&mut m.word_firsts, &mut m.term_firsts, &mut m.entity_firsts] {
            for _ in 0..r.count().map_err(at)? {
                list.push(r.str().map_err(at)?.into());
            }
            if list.windows(2).any(|w| w[0] >= w[1]) {
                return Err(damaged(MANIFEST, "shards are out of order"));
            }
        }
        Ok(m)
    }
}

/// The shard of a sorted range starting at each of `firsts` that holds `key`.
fn shard_of(firsts: &[Box<str>], key: &str) -> usize {
    firsts
        .partition_point(|f| f.as_ref() <= key)
        .saturating_sub(1)
}

/// The shards holding keys that start with `prefix`.
fn shards_under(firsts: &[Box<str>], prefix: &str) -> std::ops::Range<usize> {
    let start = shard_of(firsts, prefix);
    let mut end = start + 1;
    while firsts.get(end).is_some_and(|f| f.starts_with(prefix)) {
        end += 1;
    }
    start..end.min(firsts.len().max(start + 1))
}

fn word_file(n: usize) -> String {
    format!("w/{n}")
}
fn term_file(n: usize) -> String {
    format!("t/{n}")
}
fn postings_file(n: usize) -> String {
    format!("p/{n}")
}
fn record_file(n: usize) -> String {
    format!("r/{n}")
}
fn head_file(n: usize) -> String {
    format!("h/{n}")
}
fn ids_file(n: usize) -> String {
    format!("d/{n}")
}
fn entity_file(n: usize) -> String {
    format!("e/{n}")
}
fn entity_docs_file(n: usize) -> String {
    format!("x/{n}")
}

/// What starts an entity key, in a batch's run as in the entity shards: no index term starts
/// with it, so the keys sort before every term and never meet one.
pub(crate) const ENTITY_KEY: char = '\u{1}';

/// What starts a pair's key (in a batch's run and in the term shards): the last character
/// there is, so pairs sort after every term (no index term starts with it), and
/// [`Publisher::add_term`] has every term's document frequency when they come.
const PAIR_KEY: char = '\u{10FFFF}';

/// The key of the pair of terms `a` then `b`. The separator sorts before any character a term
/// holds, so keys sort as the pairs `(a, b)` do.
fn pair_key(a: &str, b: &str) -> String {
    format!("{PAIR_KEY}{a}{ENTITY_KEY}{b}")
}

/// The two terms of a pair's key.
fn pair_of(key: &str) -> Option<(&str, &str)> {
    key.strip_prefix(PAIR_KEY)?.split_once(ENTITY_KEY)
}

/// The key an entity filter looks up: the label and the name, trimmed and lower case (as
/// [`EntityIndex::find`](crate::EntityIndex::find) takes it).
fn entity_key(label: Label, name: &str) -> String {
    format!(
        "{ENTITY_KEY}{}{ENTITY_KEY}{}",
        label.as_str(),
        crate::entities::lower(name.trim())
    )
}

/// The articles (archive ids, ascending) an entity key names, each with its date (a date
/// filter or order applies to articles no query term holds).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct EntityDocs {
    docs: Vec<DocId>,
    dates: Vec<Option<CalendarDate>>,
}

impl EntityDocs {
    fn write(&self, w: &mut Writer) {
        w.usize(self.docs.len());
        let mut prev = 0;
        for (&d, &date) in self.docs.iter().zip(&self.dates) {
            w.u64(u64::from(d - prev));
            prev = d;
            w.u64(date_code(date));
        }
    }

    fn read(r: &mut Reader<'_>, docs: usize) -> Result<EntityDocs, Error> {
        let mut out = EntityDocs::default();
        let mut doc: u64 = 0;
        for i in 0..r.count()? {
            let errors = (
                "an entity's articles are out of order",
                "an entity names an article the archive does not have",
            );
            out.docs.push(next_doc(r, i, &mut doc, docs, errors)?);
            out.dates.push(date_of_code(r.u64()?));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_pack_and_unpack() {
        for d in [
            None,
            CalendarDate::year(1987),
            CalendarDate::month(2005, 12),
            CalendarDate::day(2017, 9, 3),
        ] {
            assert_eq!(date_of_code(date_code(d)), d);
        }
    }

    #[test]
    fn postings_keep_every_shape_of_norms() {
        // (field ends, tokens per field): a title and a body; every field; a title alone; a
        // field with positions but no token counted; no gap between blocks.
        let shapes: [([u32; FIELDS], [u32; FIELDS]); 5] = [
            ([9, 9, 9, 420, 420], [8, 0, 0, 396, 0]),
            ([5, 12, 30, 900, 903], [4, 6, 15, 850, 2]),
            ([7, 7, 7, 7, 7], [6, 0, 0, 0, 0]),
            ([3, 3, 10, 10, 10], [2, 0, 0, 0, 0]),
            ([4, 4, 4, 50, 50], [4, 0, 0, 46, 0]),
        ];
        let mut postings = TermPostings::default();
        for (i, (field_end, len)) in shapes.into_iter().enumerate() {
            let norms = Norms {
                field_end,
                len,
                date: CalendarDate::day(2005, 3, 1 + i as u32),
            };
            postings.push(10 * i as DocId, norms, &[0, field_end[FIELDS - 1] - 1]);
        }
        let mut w = Writer::default();
        postings.write(&mut w);
        let mut r = Reader {
            bytes: &w.out,
            at: 0,
        };
        assert_eq!(TermPostings::read(&mut r, 100).ok(), Some(postings));
    }

    #[test]
    fn pair_keys_sort_as_their_pairs_and_after_every_term() {
        let pairs = [("in", "the"), ("in", "thee"), ("inn", "a"), ("zz", "a")];
        let keys: Vec<String> = pairs.iter().map(|(a, b)| pair_key(a, b)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert!(keys.iter().all(|k| k.as_str() > "\u{10FFFE}zzz"));
        for (k, p) in keys.iter().zip(pairs) {
            assert_eq!(pair_of(k), Some(p));
        }
        assert_eq!(pair_of("in"), None);
    }

    #[test]
    fn shard_ranges_cover_a_prefix() {
        let firsts: Vec<Box<str>> = ["", "bar", "bat", "bus", "cat"]
            .into_iter()
            .map(Into::into)
            .collect();
        assert_eq!(shard_of(&firsts, "apple"), 0);
        assert_eq!(shard_of(&firsts, "bat"), 2);
        assert_eq!(shards_under(&firsts, "ba"), 0..3);
        assert_eq!(shards_under(&firsts, "bu"), 2..4);
        assert_eq!(shards_under(&firsts, "c"), 3..5);
        assert_eq!(shards_under(&firsts, "d"), 4..5);
    }
}
