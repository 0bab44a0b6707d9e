//! The compact binary form of a corpus: its articles and their index, so a page can load a
//! prebuilt index instead of indexing at start-up. The store owns the format and knows nothing
//! of the corpus type: it writes and reads [`Parts`], which `Corpus` takes apart and puts
//! together (`Corpus::to_bytes`, `Corpus::from_bytes`).
//!
//! Layout: the magic `NLIX`, a format version, a 64-bit FNV-1a checksum of the payload, then
//! the payload: LEB128 integers, length-prefixed UTF-8 strings, doc ids and positions
//! delta-encoded. Version 2 adds each article's recognised entity mentions (spans and labels,
//! before linking), so a loaded corpus only links; version 3 adds each article's metadata
//! (published, authors, language); version 4 drops each position's byte offset (worked out
//! again from the article for the few a snippet shows); version 5 moves the articles' texts
//! out of their records into one section at the end (its length given after the article
//! count), so that the index and the text are apart (and each compresses better beside its
//! own kind), and packs two numbers where one mostly says enough: a posting's doc gap carries
//! in its low bit whether the term is there once (the count follows only otherwise), and a
//! mention's length and label are one number. Version 6 packs the text section
//! ([`crate::textpack`]: a word-based Huffman code), which had been stored as it is, at about
//! 2.7 times the text's gzip. Versions 1 to 5 still load (recognition then
//! happens on first use for version 1; the metadata is absent before version 3). Loading
//! checks everything it reads (bounds, order, spans on character boundaries), so a truncated
//! or corrupted file is an [`Error`], never a panic or an out-of-bounds read.

use crate::article::{Article, Caption, Field, Span, FIELDS};
use crate::entities::Label;
use crate::error::{Damaged, Error};
use crate::index::{DocInfo, Index, Postings};
use crate::textpack::Unpacker;
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"NLIX";
/// How many labels a mention may have: the base its length is multiplied by (version 5).
const LABELS: u64 = Label::ALL.len() as u64;
pub(crate) const VERSION: u32 = 6;

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A signed delta as an unsigned number, small either way (zigzag: 0, -1, 1, -2, … → 0, 1, 2, 3, …).
pub(crate) fn zigzag(d: i64) -> u64 {
    ((d << 1) ^ (d >> 63)) as u64
}

/// The delta [`zigzag`] encoded.
pub(crate) fn unzigzag(z: u64) -> i64 {
    (z >> 1) as i64 ^ -((z & 1) as i64)
}

#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub out: Vec<u8>,
}

/// Writes `v` as LEB128 (seven bits a byte, low first, the high bit set on all but the last)
/// into `buf`; returns the bytes used. The one encoder of the crate's files and postings.
pub(crate) fn leb128(mut v: u64, buf: &mut [u8; 10]) -> usize {
    let mut n = 0;
    while v >= 0x80 {
        buf[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    buf[n] = v as u8;
    n + 1
}

/// Appends `v` as LEB128 to `out`.
pub(crate) fn push_leb128(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0u8; 10];
    let n = leb128(v, &mut buf);
    out.extend_from_slice(&buf[..n]);
}

impl Writer {
    pub fn u64(&mut self, v: u64) {
        push_leb128(&mut self.out, v);
    }
    pub fn usize(&mut self, v: usize) {
        self.u64(v as u64);
    }
    pub fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }
    fn span(&mut self, s: Span) {
        self.usize(s.start);
        self.usize(s.len());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u64(0),
            Some(s) => {
                self.u64(1);
                self.str(s);
            }
        }
    }
    fn opt_span(&mut self, f: Option<&Field>) {
        match f {
            None => self.u64(0),
            Some(f) => {
                self.u64(1);
                self.span(f.span());
            }
        }
    }
}

/// The mentions recognised in an article, before linking.
pub(crate) type Mentions = Vec<(Span, Label)>;

/// What an index file holds: the articles, each with the name of the file it came from; their
/// index; and each article's recognised mentions (`None`: not recognised yet).
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub docs: Vec<(String, Article)>,
    pub index: Index,
    pub recognized: Vec<Option<Mentions>>,
    /// The articles' texts as the file packed them (from version 6), kept as they are so a
    /// corpus need not pack them again; `None` for older files.
    pub texts: Option<crate::textpack::Block>,
}

/// Reads past the byte offsets of an article's positions that versions 1 to 3 kept (gaps 0,
/// token starts zigzag deltas + 1), checking them: there must be `positions` of them, each
/// inside `source` on a character boundary. They are worked out again when a snippet needs
/// them ([`crate::index::token_starts`]).
fn skip_starts(r: &mut Reader<'_>, source: &str, positions: u32) -> Result<(), Error> {
    let source_len = source.len() as u64;
    let count = r.count()?;
    if count as u64 != u64::from(positions) {
        return Err(corrupt("token offsets do not match the positions"));
    }
    let mut prev = 0i64;
    for _ in 0..count {
        let v = r.u64()?;
        if v != 0 {
            let d = unzigzag(v - 1);
            let s = prev
                .checked_add(d)
                .ok_or_else(|| corrupt("a token offset overflows"))?;
            if s < 0 || s as u64 >= source_len.max(1) || !source.is_char_boundary(s as usize) {
                return Err(corrupt("a token offset lies outside its article"));
            }
            prev = s;
        }
    }
    Ok(())
}

/// Writes one article's positions of a term: the count, then ascending deltas.
pub(crate) fn write_positions(w: &mut Writer, positions: &[u32]) {
    w.usize(positions.len());
    write_deltas(w, positions);
}

/// Writes ascending positions as deltas.
fn write_deltas(w: &mut Writer, positions: &[u32]) {
    let mut prev = 0u32;
    for &pos in positions {
        w.u64(u64::from(pos - prev));
        prev = pos;
    }
}

/// Reads what [`write_positions`] wrote onto `out`, each position below `limit` (its article's
/// position count); gives how many it read.
pub(crate) fn read_positions(
    r: &mut Reader<'_>,
    limit: u64,
    out: &mut Vec<u32>,
) -> Result<usize, Error> {
    let count = r.count()?;
    read_deltas(r, count, limit, out)
}

/// Reads `count` positions that [`write_deltas`] wrote onto `out`, each below `limit`.
fn read_deltas(
    r: &mut Reader<'_>,
    count: usize,
    limit: u64,
    out: &mut Vec<u32>,
) -> Result<usize, Error> {
    let mut pos = 0u64;
    for j in 0..count {
        let delta = r.u64()?;
        if j > 0 && delta == 0 {
            return Err(corrupt("positions are out of order"));
        }
        pos = pos.saturating_add(delta);
        if pos >= limit {
            return Err(corrupt("a position lies outside its article"));
        }
        out.push(pos as u32);
    }
    Ok(count)
}

/// Writes an article with its name and text (read back by [`read_article`]).
pub(crate) fn write_article(w: &mut Writer, name: &str, a: &Article) {
    write_article_as(w, name, a, true);
}

/// Writes an article with its name, and its text inline or, if not `inline`, only the text's
/// length (the text then goes in the file's text section).
fn write_article_as(w: &mut Writer, name: &str, a: &Article, inline: bool) {
    w.str(name);
    match a.id() {
        None => w.u64(0),
        Some(id) => {
            w.u64(1);
            w.str(id);
        }
    }
    if inline {
        w.str(a.source());
    } else {
        w.usize(a.source().len());
    }
    w.span(a.title().span());
    w.opt_span(a.publisher());
    w.opt_span(a.subtitle());
    w.opt_span(a.dateline());
    w.usize(a.captions().len());
    for c in a.captions() {
        w.span(c.caption.span());
        w.usize(c.credits.len());
        for cr in &c.credits {
            w.span(cr.span());
        }
    }
    w.usize(a.paragraphs().len());
    for p in a.paragraphs() {
        w.span(p.span());
    }
    w.usize(a.credits().len());
    for c in a.credits() {
        w.span(c.span());
    }
    w.opt_str(a.published());
    w.usize(a.authors().len());
    for name in a.authors() {
        w.str(name);
    }
    w.opt_str(a.language());
}

/// Serialises articles (with their names), their index and the mentions recognised in each.
pub(crate) fn to_bytes<'a>(
    docs: &[(&'a str, &'a Article)],
    index: &Index,
    recognized: impl Fn(usize) -> Option<&'a [(Span, Label)]>,
) -> Vec<u8> {
    let sources: Vec<&str> = docs.iter().map(|(_, a)| a.source()).collect();
    let texts = crate::textpack::pack(&sources);
    let mut w = Writer::default();
    w.usize(docs.len());
    w.usize(texts.len());
    for &(name, a) in docs {
        write_article_as(&mut w, name, a, false);
    }
    for info in &index.docs {
        for f in 0..FIELDS {
            w.u64(u64::from(info.field_end[f]));
            w.u64(u64::from(info.len[f]));
        }
    }
    // Terms in id order, each with its postings.
    w.usize(index.terms.len());
    let mut buf: Vec<u32> = Vec::new();
    for (id, term) in index.terms.iter() {
        w.str(term);
        let p = &index.postings[id as usize];
        w.usize(p.len());
        let mut prev_doc = 0u32;
        for (doc, positions) in p.iter() {
            buf.clear();
            buf.extend(positions);
            // The doc gap with, in its low bit, whether the term is there once (as it mostly
            // is): the count follows only otherwise.
            let gap = u64::from(doc - prev_doc);
            prev_doc = doc;
            w.u64((gap << 1) | u64::from(buf.len() == 1));
            if buf.len() != 1 {
                w.usize(buf.len());
            }
            write_deltas(&mut w, &buf);
        }
    }
    let mut words: Vec<(&str, u32)> = index.words().collect();
    words.sort_unstable();
    w.usize(words.len());
    for (word, id) in words {
        w.str(word);
        w.u64(u64::from(id));
    }
    // Recognised mentions: per article 0 (not recognised yet) or 1, the count, and each
    // mention's start (delta from the previous one), length and label.
    for i in 0..docs.len() {
        match recognized(i) {
            None => w.u64(0),
            Some(ms) => {
                w.u64(1);
                w.usize(ms.len());
                let mut prev = 0i64;
                for (span, label) in ms {
                    // Starts as zigzag deltas (mentions are in text order, but need not be);
                    // the length and the label in one number.
                    let d = span.start as i64 - prev;
                    w.u64(zigzag(d));
                    let label = Label::ALL.iter().position(|l| l == label).unwrap_or(0);
                    w.u64(span.len() as u64 * LABELS + label as u64);
                    prev = span.start as i64;
                }
            }
        }
    }
    // The text section: every article's text, in order, packed.
    w.out.extend_from_slice(&texts);
    let payload = w.out;
    let mut out = Vec::with_capacity(payload.len() + 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&fnv1a(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

#[derive(Debug)]
pub(crate) struct Reader<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

pub(crate) fn corrupt(what: impl std::fmt::Display) -> Error {
    Error::damaged(Damaged::Index, what)
}

impl<'a> Reader<'a> {
    pub fn u64(&mut self) -> Result<u64, Error> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(corrupt("it ends early"));
            };
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(corrupt("a number is too long"))
    }
    pub fn u32(&mut self) -> Result<u32, Error> {
        u32::try_from(self.u64()?).map_err(|_| corrupt("a number is out of range"))
    }
    /// A count of items that each take at least one byte: never more than the bytes left.
    pub fn count(&mut self) -> Result<usize, Error> {
        let n = self.u64()?;
        if n > (self.bytes.len() - self.at) as u64 {
            return Err(corrupt("a count is larger than the file"));
        }
        Ok(n as usize)
    }
    /// The next `len` bytes as UTF-8 text.
    pub fn take_str(&mut self, len: usize) -> Result<&'a str, Error> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| corrupt("a text runs past the end"))?;
        let s = std::str::from_utf8(&self.bytes[self.at..end])
            .map_err(|_| corrupt("a text is not UTF-8"))?;
        self.at = end;
        Ok(s)
    }
    /// A length-prefixed UTF-8 text.
    pub fn str(&mut self) -> Result<&'a str, Error> {
        let n = self.count()?;
        self.take_str(n)
    }
    fn span(&mut self, source: &str) -> Result<Span, Error> {
        let start = self.u64()? as usize;
        let len = self.u64()? as usize;
        let end = start
            .checked_add(len)
            .ok_or_else(|| corrupt("a span overflows"))?;
        if end > source.len() || !source.is_char_boundary(start) || !source.is_char_boundary(end) {
            return Err(corrupt("a span lies outside its article"));
        }
        Ok(Span::new(start, end))
    }
    fn field(&mut self, source: &Arc<str>) -> Result<Field, Error> {
        Ok(Field::of(source, self.span(source)?))
    }
    fn opt_str(&mut self) -> Result<Option<String>, Error> {
        match self.u64()? {
            0 => Ok(None),
            1 => Ok(Some(self.str()?.to_string())),
            _ => Err(corrupt("a flag is neither 0 nor 1")),
        }
    }
    fn opt_field(&mut self, source: &Arc<str>) -> Result<Option<Field>, Error> {
        match self.u64()? {
            0 => Ok(None),
            1 => Ok(Some(self.field(source)?)),
            _ => Err(corrupt("a flag is neither 0 nor 1")),
        }
    }
}

pub(crate) fn read_article(r: &mut Reader<'_>, version: u32) -> Result<(String, Article), Error> {
    read_article_from(r, version, &mut Texts::Inline)
}

/// Where an article's text is read from: its own record (an archive's records, and index
/// files before version 5), the file's text section as it is (version 5), or packed (from
/// version 6).
enum Texts<'a> {
    Inline,
    Plain(Reader<'a>),
    Packed(Box<Unpacker<'a>>),
}

/// [`read_article`], with the text taken from `text`.
fn read_article_from(
    r: &mut Reader<'_>,
    version: u32,
    text: &mut Texts<'_>,
) -> Result<(String, Article), Error> {
    let name = r.str()?.to_string();
    let id = match r.u64()? {
        0 => None,
        1 => Some(r.str()?.to_string()),
        _ => return Err(corrupt("a flag is neither 0 nor 1")),
    };
    let source: Arc<str> = match text {
        Texts::Inline => r.str()?.into(),
        Texts::Plain(t) => {
            let len = usize::try_from(r.u64()?).unwrap_or(usize::MAX);
            t.take_str(len)?.into()
        }
        Texts::Packed(t) => {
            let len = usize::try_from(r.u64()?).unwrap_or(usize::MAX);
            t.take(len)?.into()
        }
    };
    let title = r.field(&source)?;
    let publisher = r.opt_field(&source)?;
    let subtitle = r.opt_field(&source)?;
    let dateline = r.opt_field(&source)?;
    let mut captions = Vec::new();
    for _ in 0..r.count()? {
        let caption = r.field(&source)?;
        let mut credits = Vec::new();
        for _ in 0..r.count()? {
            credits.push(r.field(&source)?);
        }
        captions.push(Caption { caption, credits });
    }
    let mut paragraphs = Vec::new();
    for _ in 0..r.count()? {
        paragraphs.push(r.field(&source)?);
    }
    let mut credits = Vec::new();
    for _ in 0..r.count()? {
        credits.push(r.field(&source)?);
    }
    let (mut published, mut authors, mut language) = (None, Vec::new(), None);
    if version >= 3 {
        published = r.opt_str()?;
        for _ in 0..r.count()? {
            authors.push(r.str()?.to_string());
        }
        language = r.opt_str()?;
    }
    Ok((
        name,
        Article {
            id,
            source,
            title,
            publisher,
            subtitle,
            dateline,
            captions,
            paragraphs,
            credits,
            published,
            authors,
            language,
        },
    ))
}

/// Reads what [`to_bytes`] wrote. `room` is asked for the length of the texts before they are
/// kept (article by article, or from version 6 once for the whole section before any of it is
/// unpacked), and may refuse it (a corpus limit): the file is then not read further.
pub(crate) fn from_bytes(
    bytes: &[u8],
    mut room: impl FnMut(usize) -> Result<(), Error>,
) -> Result<Parts, Error> {
    if bytes.len() < 16 || &bytes[..4] != MAGIC {
        return Err(Error::not_an_index());
    }
    let version = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if !(1..=VERSION).contains(&version) {
        return Err(Error::index_version(version, VERSION));
    }
    let mut sum = [0u8; 8];
    sum.copy_from_slice(&bytes[8..16]);
    let payload = &bytes[16..];
    if fnv1a(payload) != u64::from_le_bytes(sum) {
        return Err(corrupt(
            "its checksum does not match (truncated or altered)",
        ));
    }
    let mut r = Reader {
        bytes: payload,
        at: 0,
    };
    let n = r.count()?;
    // From version 5 the texts follow everything else, in one section of a length given here;
    // from version 6 packed, its total text length agreed to before any of it is unpacked.
    let mut text = Texts::Inline;
    if version >= 5 {
        let len = r.u64()?;
        let left = (payload.len() - r.at) as u64;
        if len > left {
            return Err(corrupt("its text section overflows"));
        }
        let (head, section) = payload.split_at(payload.len() - len as usize);
        r.bytes = head;
        text = if version >= 6 {
            let (unpacker, total) = Unpacker::new(section)?;
            room(usize::try_from(total).unwrap_or(usize::MAX))?;
            Texts::Packed(Box::new(unpacker))
        } else {
            Texts::Plain(Reader {
                bytes: section,
                at: 0,
            })
        };
    }
    let mut docs: Vec<(String, Article)> = Vec::new();
    for _ in 0..n {
        let (name, article) = read_article_from(&mut r, version, &mut text)?;
        if !matches!(text, Texts::Packed(_)) {
            room(article.source().len())?;
        }
        docs.push((name, article));
    }
    match &text {
        Texts::Inline => {}
        Texts::Plain(t) if t.at == t.bytes.len() => {}
        Texts::Plain(_) => return Err(corrupt("its text section holds more than its articles")),
        Texts::Packed(t) => t.finish()?,
    }
    let texts = match text {
        Texts::Packed(t) => Some(t.into_block()?),
        _ => None,
    };
    let mut index = Index::default();
    for (_, doc) in &docs {
        let mut info = DocInfo::default();
        let mut prev_end = 0;
        for f in 0..FIELDS {
            info.field_end[f] = r.u32()?;
            info.len[f] = r.u32()?;
            if info.field_end[f] < prev_end {
                return Err(corrupt("field ends are out of order"));
            }
            prev_end = info.field_end[f];
            index.total_len[f] += u64::from(info.len[f]);
        }
        if version < 4 {
            skip_starts(&mut r, doc.source(), prev_end)?;
        }
        index.docs.push(info);
    }
    let terms = r.count()?;
    let mut buf: Vec<u32> = Vec::new();
    let mut scratch: Vec<u8> = Vec::new();
    for _ in 0..terms {
        let term = r.str()?;
        let mut p = Postings::default();
        let mut doc = 0u32;
        for i in 0..r.count()? {
            // From version 5 the doc gap carries, in its low bit, a count of one.
            let (delta, once) = if version >= 5 {
                let v = r.u64()?;
                (
                    u32::try_from(v >> 1).map_err(|_| corrupt("a number is out of range"))?,
                    v & 1 == 1,
                )
            } else {
                (r.u32()?, false)
            };
            if i > 0 && delta == 0 {
                return Err(corrupt("postings are out of order"));
            }
            doc = doc
                .checked_add(delta)
                .ok_or_else(|| corrupt("a doc id overflows"))?;
            let Some(info) = index.docs.get(doc as usize) else {
                return Err(corrupt("a posting names a missing article"));
            };
            let limit = u64::from(info.positions());
            buf.clear();
            if version < 5 {
                read_positions(&mut r, limit, &mut buf)?;
            } else {
                let count = if once { 1 } else { r.count()? };
                read_deltas(&mut r, count, limit, &mut buf)?;
            }
            p.push_doc(doc, buf.iter().copied(), &mut scratch);
        }
        if !index.terms.insert(term).1 {
            return Err(corrupt("a term appears twice"));
        }
        index.postings.push(p);
    }
    for _ in 0..r.count()? {
        let word = r.str()?;
        let id = r.u32()?;
        if id as usize >= terms {
            return Err(corrupt("a word names a missing term"));
        }
        index.add_word(word, id);
    }
    let mut recognized = Vec::new();
    if version >= 2 {
        for (_, doc) in &docs {
            let mentions = match r.u64()? {
                0 => None,
                1 => {
                    let source = doc.source();
                    let mut ms = Vec::new();
                    let mut prev = 0i64;
                    for _ in 0..r.count()? {
                        let d = unzigzag(r.u64()?);
                        let start = prev
                            .checked_add(d)
                            .filter(|&s| s >= 0)
                            .ok_or_else(|| corrupt("a mention lies outside its article"))?
                            as usize;
                        // From version 5 the length and the label are one number.
                        let (len, label) = if version >= 5 {
                            let v = r.u64()?;
                            (v / LABELS, v % LABELS)
                        } else {
                            (r.u64()?, r.u64()?)
                        };
                        let end = start
                            .checked_add(usize::try_from(len).unwrap_or(usize::MAX))
                            .ok_or_else(|| corrupt("a mention overflows"))?;
                        if end > source.len()
                            || !source.is_char_boundary(start)
                            || !source.is_char_boundary(end)
                        {
                            return Err(corrupt("a mention lies outside its article"));
                        }
                        let label = *Label::ALL
                            .get(usize::try_from(label).unwrap_or(usize::MAX))
                            .ok_or_else(|| corrupt("a mention has an unknown label"))?;
                        ms.push((Span::new(start, end), label));
                        prev = start as i64;
                    }
                    Some(ms)
                }
                _ => return Err(corrupt("a flag is neither 0 nor 1")),
            };
            recognized.push(mentions);
        }
    }
    if r.at != r.bytes.len() {
        return Err(corrupt("there are bytes after the end"));
    }
    Ok(Parts {
        docs,
        index,
        recognized,
        texts,
    })
}
