//! The articles' texts of an index file, packed: a word-based Huffman code (the method of
//! Moffat's word-based compression, as in *Managing Gigabytes*). Each text is cut into
//! alternating words (runs of letters and digits) and non-words (runs of anything else),
//! starting with a word, which may be empty; the section's distinct words and non-words are
//! its two alphabets, each with a canonical Huffman code from how often its symbols occur.
//! Every article's codes start on a byte, so one article can be unpacked alone once its
//! start is known. The store writes and reads this section and knows nothing of how it is
//! packed; the packer knows nothing of articles but their texts' lengths.
//!
//! Layout: the total text length; the method, 0 (the texts as they are, when packing would
//! not be smaller, as for a few short articles) or 1; for 1, the model, then each article's
//! codes. The model is the two alphabets in byte order, front-coded (each symbol as its
//! prefix shared with the one before, the rest's length and bytes, and its code length), the
//! whole itself coded with a Huffman code over bytes (its 256 code lengths first).
//!
//! Why this and not a general compressor: on the BBC's 5.04 MB of text it stores about 0.8×
//! the text's gzip -9, and it is a few hundred lines of code. Deflate reaches only 1.00× even
//! as one stream at its slowest level (1.03× in blocks of 128 KiB). Brotli at quality 5 in
//! blocks of 1 MiB stores 0.88×, but its encoder added 476 KB gzip to the module, which packs
//! the page's own saved segments. The index's analyzer does not serve as the cut: it lowers
//! case and folds, where the text must come back to the byte.
//!
//! Unpacking trusts nothing: code lengths must form a prefix code, every symbol must be
//! UTF-8, a code that matches no symbol, an article that overruns its length or a section
//! with bytes left over is an [`Error`]; never a panic, a loop without progress (a non-word
//! is never empty) or more memory than the section's own size and the text length the caller
//! agreed to.

use crate::error::Error;
use crate::hash::FxMap;
use crate::store::{corrupt, push_leb128, Reader};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The longest code. A corpus whose code would be longer has its counts flattened until it
/// is not (about 1.6^32 occurrences would be needed to need more).
const MAX_LEN: u8 = 30;
/// Codes this long or shorter are decoded by one table lookup.
const TABLE_BITS: u8 = 13;

/// The start of each token of `text`: alternating words and non-words, a word first (empty
/// if the text starts with a non-word).
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    let mut word = true;
    std::iter::from_fn(move || {
        if at == text.len() {
            return None;
        }
        let rest = &text[at..];
        let end = run_end(rest, word);
        at += end;
        word = !word;
        Some(&rest[..end])
    })
}

/// Where the run of word characters (or of others, if not `word`) that starts `text` ends.
fn run_end(text: &str, word: bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if b.is_ascii_alphanumeric() != word {
                return i;
            }
            i += 1;
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            if c.is_alphanumeric() != word {
                return i;
            }
            i += c.len_utf8();
        }
    }
    bytes.len()
}

/// Packs `texts`, in order, into the section's bytes.
pub(crate) fn pack(texts: &[&str]) -> Vec<u8> {
    let total: usize = texts.iter().map(|t| t.len()).sum();
    let mut out = Vec::new();
    push_leb128(&mut out, total as u64);
    let start = out.len();
    out.push(1);
    let mut counts: [FxMap<&str, u32>; 2] = Default::default();
    for text in texts {
        count(text, &mut counts);
    }
    // Each alphabet's map then takes each symbol to its number in `codes`.
    let mut model = Vec::new();
    let mut codes: [Vec<(u32, u8)>; 2] = Default::default();
    for (kind, counts) in counts.iter_mut().enumerate() {
        let mut symbols: Vec<&str> = counts.keys().copied().collect();
        symbols.sort_unstable();
        let freqs: Vec<u32> = symbols.iter().map(|s| counts[s]).collect();
        let lens = code_lengths(&freqs);
        drop(freqs);
        push_leb128(&mut model, symbols.len() as u64);
        let mut prev: &[u8] = &[];
        for (i, (&s, &len)) in symbols.iter().zip(&lens).enumerate() {
            let shared = prev.iter().zip(s.as_bytes()).take_while(|(a, b)| a == b);
            // Shared whole characters only: each part must be UTF-8 on its own.
            let mut shared = shared.count();
            while !s.is_char_boundary(shared) {
                shared -= 1;
            }
            push_leb128(&mut model, shared as u64);
            push_leb128(&mut model, (s.len() - shared) as u64);
            model.extend_from_slice(&s.as_bytes()[shared..]);
            model.push(len);
            prev = s.as_bytes();
            counts.insert(s, i as u32);
        }
        codes[kind] = canonical(&lens);
    }
    // The model, itself coded over bytes.
    let mut freqs = [0u32; 256];
    for &b in &model {
        freqs[b as usize] += 1;
    }
    let byte_lens = code_lengths(&freqs);
    let byte_codes = canonical(&byte_lens);
    out.extend_from_slice(&byte_lens);
    push_leb128(&mut out, model.len() as u64);
    let mut bits = BitWriter {
        out: &mut out,
        acc: 0,
        n: 0,
    };
    for &b in &model {
        bits.put(byte_codes[b as usize]);
    }
    bits.finish();
    for text in texts {
        encode(text, &counts, &codes, &mut out);
    }
    if out.len() - start > total {
        out.truncate(start);
        out.push(0);
        for text in texts {
            out.extend_from_slice(text.as_bytes());
        }
    }
    out
}

// The work per article is in functions of its own, called once per article: a wasm engine
// optimises a function after some calls, never the call under way, so one call over every
// text would run entirely as first compiled (about three times slower in V8).

/// Counts the tokens of `text`: words in `counts[0]`, non-words in `counts[1]`.
#[inline(never)]
fn count<'a>(text: &'a str, counts: &mut [FxMap<&'a str, u32>; 2]) {
    for (i, token) in tokens(text).enumerate() {
        *counts[i % 2].entry(token).or_insert(0) += 1;
    }
}

/// Appends the codes of `text`'s tokens to `out`, padded to a byte.
#[inline(never)]
fn encode(
    text: &str,
    numbers: &[FxMap<&str, u32>; 2],
    codes: &[Vec<(u32, u8)>; 2],
    out: &mut Vec<u8>,
) {
    let mut bits = BitWriter { out, acc: 0, n: 0 };
    for (i, token) in tokens(text).enumerate() {
        bits.put(codes[i % 2][numbers[i % 2][token] as usize]);
    }
    bits.finish();
}

/// Huffman code lengths for `freqs` (0 for a symbol that never occurs), none over
/// [`MAX_LEN`].
fn code_lengths(freqs: &[u32]) -> Vec<u8> {
    let mut freqs: Vec<u64> = freqs.iter().map(|&f| u64::from(f)).collect();
    loop {
        let lens = huffman(&freqs);
        if lens.iter().all(|&l| l <= MAX_LEN) {
            return lens;
        }
        // Flatten the counts (halved, never to 0) and build again.
        for f in freqs.iter_mut().filter(|f| **f > 0) {
            *f = (*f >> 1) | 1;
        }
    }
}

/// Huffman code lengths (unlimited, saturated at 255) of the symbols that occur.
fn huffman(freqs: &[u64]) -> Vec<u8> {
    let mut lens = vec![0u8; freqs.len()];
    let used: Vec<usize> = (0..freqs.len()).filter(|&i| freqs[i] > 0).collect();
    if used.len() == 1 {
        lens[used[0]] = 1;
    }
    if used.len() < 2 {
        return lens;
    }
    // Nodes: the leaves (the used symbols), then one per merge; each merge's parent.
    let mut parent: Vec<usize> = vec![usize::MAX; used.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = used
        .iter()
        .enumerate()
        .map(|(node, &s)| Reverse((freqs[s], node)))
        .collect();
    while let (Some(Reverse((fa, a))), Some(Reverse((fb, b)))) = (heap.pop(), heap.pop()) {
        let node = parent.len();
        parent.push(usize::MAX);
        parent[a] = node;
        parent[b] = node;
        heap.push(Reverse((fa + fb, node)));
        if heap.len() == 1 {
            break;
        }
    }
    // Depths, from the root down: a parent is always made after its children.
    let mut depth = vec![0u32; parent.len()];
    for node in (0..parent.len()).rev() {
        if parent[node] != usize::MAX {
            depth[node] = depth[parent[node]] + 1;
        }
    }
    for (leaf, &s) in used.iter().enumerate() {
        lens[s] = depth[leaf].min(255) as u8;
    }
    lens
}

/// How many codes there are of each length (none of length 0).
fn per_length(lens: &[u8]) -> [u32; MAX_LEN as usize + 1] {
    let mut count = [0u32; MAX_LEN as usize + 1];
    for &l in lens {
        count[l as usize] += 1;
    }
    count[0] = 0;
    count
}

/// Canonical codes for `lens`: (code, length) per symbol, codes of a length consecutive in
/// symbol order, shorter codes first.
fn canonical(lens: &[u8]) -> Vec<(u32, u8)> {
    let count = per_length(lens);
    let mut next = [0u32; MAX_LEN as usize + 1];
    let mut code = 0u32;
    for len in 1..=MAX_LEN as usize {
        code = (code + count[len - 1]) << 1;
        next[len] = code;
    }
    lens.iter()
        .map(|&l| {
            if l == 0 {
                return (0, 0);
            }
            let c = next[l as usize];
            next[l as usize] += 1;
            (c, l)
        })
        .collect()
}

/// Bits, most significant first, appended to `out`, padded to a byte at the end.
struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter<'_> {
    fn put(&mut self, (code, len): (u32, u8)) {
        self.acc = (self.acc << len) | u64::from(code);
        self.n += u32::from(len);
        while self.n >= 8 {
            self.n -= 8;
            self.out.push((self.acc >> self.n) as u8);
        }
    }
    fn finish(self) {
        if self.n > 0 {
            self.out.push((self.acc << (8 - self.n)) as u8);
        }
    }
}

/// Reads bits most significant first from `bytes[at..]`; past the end it reads zeros, and
/// [`BitReader::byte_end`] finds out a code that used them.
struct BitReader<'a> {
    bytes: &'a [u8],
    at: usize,
    acc: u64,
    /// Valid bits at the top of `acc`.
    n: u32,
}

impl<'a> BitReader<'a> {
    fn new(bytes: &'a [u8], at: usize) -> BitReader<'a> {
        BitReader {
            bytes,
            at,
            acc: 0,
            n: 0,
        }
    }
    fn peek(&mut self, len: u8) -> u32 {
        if self.n <= 56 {
            // As many whole bytes as fit, eight read at once where eight are left.
            if let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
                let mut eight = [0u8; 8];
                eight.copy_from_slice(chunk);
                let bits = (64 - self.n) / 8 * 8;
                self.acc |= (u64::from_be_bytes(eight) >> (64 - bits)) << (64 - self.n - bits);
                self.at += (bits / 8) as usize;
                self.n += bits;
            }
        }
        while self.n <= 56 {
            let b = self.bytes.get(self.at).copied().unwrap_or(0);
            self.at += 1;
            self.acc |= u64::from(b) << (56 - self.n);
            self.n += 8;
        }
        (self.acc >> (64 - u32::from(len))) as u32
    }
    fn consume(&mut self, len: u8) {
        self.acc <<= len;
        self.n -= u32::from(len);
    }
    /// Where the next whole byte starts, the bits left in this one skipped; `None` if bits
    /// past the end were used.
    fn byte_end(&self) -> Option<usize> {
        let end = self.at - (self.n / 8) as usize;
        (end <= self.bytes.len()).then_some(end)
    }
}

/// A canonical Huffman code's decoder.
#[derive(Clone, Debug)]
struct Decoder {
    /// Per `bits`-bit prefix: symbol and length (`symbol << 5 | length`), length 0 when the
    /// code is longer.
    table: Vec<u32>,
    /// The table's prefix length: [`TABLE_BITS`], or the longest code when shorter.
    bits: u8,
    /// Symbols by (length, symbol).
    sorted: Vec<u32>,
    /// Per length: the first code, the index of its first symbol in `sorted`, the count.
    first: [u32; MAX_LEN as usize + 1],
    index: [u32; MAX_LEN as usize + 1],
    count: [u32; MAX_LEN as usize + 1],
}

impl Decoder {
    fn new(lens: &[u8]) -> Result<Decoder, Error> {
        if lens.iter().any(|&l| l > MAX_LEN) {
            return Err(corrupt("a code is too long"));
        }
        if lens.len() >= 1 << 27 {
            return Err(corrupt("its alphabet is too large"));
        }
        // The lengths must fit a prefix code (Kraft's inequality).
        let kraft: u64 = (lens.iter().filter(|&&l| l > 0))
            .map(|&l| 1u64 << (MAX_LEN - l))
            .sum();
        if kraft > 1u64 << MAX_LEN {
            return Err(corrupt("its code lengths are not a prefix code"));
        }
        let codes = canonical(lens);
        let count = per_length(lens);
        let mut sorted: Vec<u32> = (0..lens.len() as u32)
            .filter(|&s| lens[s as usize] > 0)
            .collect();
        sorted.sort_by_key(|&s| lens[s as usize]);
        let (mut first, mut index) = ([0u32; MAX_LEN as usize + 1], [0u32; MAX_LEN as usize + 1]);
        let mut at = 0;
        for len in 1..=MAX_LEN as usize {
            index[len] = at;
            at += count[len];
        }
        for len in 1..=MAX_LEN as usize {
            if count[len] > 0 {
                first[len] = codes[sorted[index[len] as usize] as usize].0;
            }
        }
        let bits = lens.iter().copied().max().unwrap_or(0).clamp(1, TABLE_BITS);
        let mut table = vec![0u32; 1 << bits];
        for (s, &(code, len)) in codes.iter().enumerate() {
            if len > 0 && len <= bits {
                let from = (code << (bits - len)) as usize;
                table[from..from + (1 << (bits - len))].fill((s as u32) << 5 | u32::from(len));
            }
        }
        Ok(Decoder {
            table,
            bits,
            sorted,
            first,
            index,
            count,
        })
    }

    fn decode(&self, bits: &mut BitReader<'_>) -> Result<u32, Error> {
        let entry = self.table[bits.peek(self.bits) as usize];
        let len = (entry & 31) as u8;
        if len > 0 {
            bits.consume(len);
            return Ok(entry >> 5);
        }
        let top = bits.peek(MAX_LEN);
        for len in self.bits + 1..=MAX_LEN {
            let code = top >> (MAX_LEN - len);
            let offset = code.wrapping_sub(self.first[len as usize]);
            if offset < self.count[len as usize] {
                bits.consume(len);
                return Ok(self.sorted[(self.index[len as usize] + offset) as usize]);
            }
        }
        Err(corrupt("a code in its texts matches no word"))
    }

    /// Bytes this decoder holds.
    #[cfg(test)]
    fn heap_bytes(&self) -> usize {
        4 * (self.table.capacity() + self.sorted.capacity())
    }
}

/// An alphabet: its symbols' texts end to end, and where each ends.
#[derive(Clone, Debug, Default)]
struct Alphabet {
    text: String,
    ends: Vec<u32>,
}

impl Alphabet {
    fn get(&self, s: u32) -> &[u8] {
        let s = s as usize;
        let start = if s == 0 { 0 } else { self.ends[s - 1] as usize };
        &self.text.as_bytes()[start..self.ends[s] as usize]
    }
}

/// Reads a packed section back, one article's text at a time.
#[derive(Debug)]
pub(crate) struct Unpacker<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Where the texts' codes start (after the model).
    codes: usize,
    /// Text not yet unpacked, by the section's own count.
    left: u64,
    /// The two alphabets and their decoders; `None` for a section of texts as they are.
    model: Option<Box<Model>>,
    /// The text last unpacked: symbols, each UTF-8, end to end.
    text: Vec<u8>,
    /// Where each text taken started, from `codes`, and its length.
    starts: Vec<u32>,
    lens: Vec<u32>,
}

/// The two alphabets (words, then non-words) and their decoders.
type Model = [(Alphabet, Decoder); 2];

/// Unpacks a text `len` bytes long from `bits` into `out` (cleared first).
fn unpack(
    model: &Model,
    bits: &mut BitReader<'_>,
    len: usize,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    out.clear();
    'text: while out.len() < len {
        for (alphabet, decoder) in model {
            let s = decoder.decode(bits)?;
            out.extend_from_slice(alphabet.get(s));
            if out.len() >= len {
                break 'text;
            }
        }
    }
    if out.len() != len {
        return Err(corrupt("a text runs past its length"));
    }
    Ok(())
}

impl<'a> Unpacker<'a> {
    /// The section in `bytes`, and the total length of its texts (to be agreed to before any
    /// is unpacked).
    pub(crate) fn new(bytes: &'a [u8]) -> Result<(Unpacker<'a>, u64), Error> {
        let mut r = Reader { bytes, at: 0 };
        let total = r.u64()?;
        let method = r.u64()?;
        let model = match method {
            0 => None,
            1 => Some(Box::new(read_model(&mut r)?)),
            _ => return Err(corrupt("its texts are packed by an unknown method")),
        };
        let unpacker = Unpacker {
            bytes,
            at: r.at,
            codes: r.at,
            left: total,
            model,
            text: Vec::new(),
            starts: Vec::new(),
            lens: Vec::new(),
        };
        Ok((unpacker, total))
    }

    /// The next article's text, `len` bytes long.
    pub(crate) fn take(&mut self, len: usize) -> Result<&str, Error> {
        if len as u64 > self.left {
            return Err(corrupt("its texts are longer than the section says"));
        }
        self.left -= len as u64;
        // Below 4 GiB: the section's own length bounds both.
        self.starts.push((self.at - self.codes) as u32);
        self.lens.push(len as u32);
        let Some(model) = &self.model else {
            let mut r = Reader {
                bytes: self.bytes,
                at: self.at,
            };
            let text = r.take_str(len)?;
            self.at = r.at;
            return Ok(text);
        };
        let mut bits = BitReader::new(self.bytes, self.at);
        unpack(model, &mut bits, len, &mut self.text)?;
        self.at = (bits.byte_end()).ok_or_else(|| corrupt("its texts run past its end"))?;
        // Symbols are whole characters, so this never fails; checked all the same.
        std::str::from_utf8(&self.text).map_err(|_| corrupt("a text is not UTF-8"))
    }

    /// Checks that every text was taken and nothing is left.
    pub(crate) fn finish(&self) -> Result<(), Error> {
        if self.left > 0 || self.at != self.bytes.len() {
            return Err(corrupt("its text section holds more than its articles"));
        }
        Ok(())
    }

    /// The texts taken, kept packed as a [`Block`] (every text taken, and checked, first).
    pub(crate) fn into_block(self) -> Result<Block, Error> {
        self.finish()?;
        let mut starts = self.starts;
        starts.push((self.at - self.codes) as u32);
        Ok(Block {
            model: self.model,
            codes: self.bytes[self.codes..].into(),
            starts: starts.into(),
            lens: self.lens.into(),
        })
    }
}

/// Texts kept packed in memory, any one of them unpacked alone: a section's model, decoded
/// once, its texts' codes, and where each text's codes start.
#[derive(Clone, Debug, Default)]
pub(crate) struct Block {
    /// `None` for texts kept as they are.
    model: Option<Box<Model>>,
    /// The texts' codes (or the texts themselves), end to end.
    codes: Box<[u8]>,
    /// Per text, where its codes start in `codes`; then where the last one ends.
    starts: Box<[u32]>,
    /// Per text, its length.
    lens: Box<[u32]>,
}

impl Block {
    /// `texts`, packed (kept as they are when packing would not make them smaller).
    pub(crate) fn pack(texts: &[&str]) -> Block {
        let section = pack(texts);
        let read = || -> Result<Block, Error> {
            let (mut u, _) = Unpacker::new(&section)?;
            for t in texts {
                u.take(t.len())?;
            }
            u.into_block()
        };
        // The section was just written, so reading it back fails only on a bug in this
        // module; the texts are then kept as they are.
        read().unwrap_or_else(|_| Block::plain(texts))
    }

    /// `texts` as they are.
    fn plain(texts: &[&str]) -> Block {
        let mut starts = vec![0u32];
        let mut codes = Vec::new();
        for t in texts {
            codes.extend_from_slice(t.as_bytes());
            starts.push(codes.len() as u32);
        }
        Block {
            model: None,
            codes: codes.into(),
            starts: starts.into(),
            lens: texts.iter().map(|t| t.len() as u32).collect(),
        }
    }

    /// How many texts the block holds.
    pub(crate) fn len(&self) -> usize {
        self.lens.len()
    }

    /// The length of text `i` (0 past the end).
    pub(crate) fn text_len(&self, i: usize) -> usize {
        self.lens.get(i).map_or(0, |&l| l as usize)
    }

    /// Text `i`, unpacked; `None` past the end.
    pub(crate) fn get(&self, i: usize) -> Option<String> {
        let len = *self.lens.get(i)? as usize;
        let (start, end) = (self.starts[i] as usize, *self.starts.get(i + 1)? as usize);
        let codes = self.codes.get(..end)?;
        let bytes = match &self.model {
            None => codes.get(start..)?.to_vec(),
            Some(model) => {
                let mut out = Vec::with_capacity(len);
                unpack(model, &mut BitReader::new(codes, start), len, &mut out).ok()?;
                out
            }
        };
        String::from_utf8(bytes).ok()
    }

    /// The bytes the block holds in memory (its allocations, not their allocator's overhead).
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        let model = self.model.as_deref().map_or(0, |m| {
            m.iter()
                .map(|(a, d)| a.text.capacity() + 4 * a.ends.capacity() + d.heap_bytes())
                .sum()
        });
        model + self.codes.len() + 4 * (self.starts.len() + self.lens.len())
    }
}

/// The model: the byte code's lengths, the model's length, its codes; decoded, the two
/// alphabets.
fn read_model(r: &mut Reader<'_>) -> Result<[(Alphabet, Decoder); 2], Error> {
    let byte_lens = r
        .bytes
        .get(r.at..r.at + 256)
        .ok_or_else(|| corrupt("it ends early"))?;
    r.at += 256;
    let bytes = Decoder::new(byte_lens)?;
    let len = r.u64()?;
    // Each byte of the model takes at least one bit.
    if len > 8 * (r.bytes.len() - r.at) as u64 {
        return Err(corrupt("its model is larger than the file"));
    }
    let mut model = Vec::with_capacity(len as usize);
    let mut bits = BitReader::new(r.bytes, r.at);
    for _ in 0..len {
        model.push(bytes.decode(&mut bits)? as u8);
    }
    r.at = bits
        .byte_end()
        .ok_or_else(|| corrupt("its model runs past its end"))?;
    let mut m = Reader {
        bytes: &model,
        at: 0,
    };
    let words = read_alphabet(&mut m, true)?;
    let others = read_alphabet(&mut m, false)?;
    if m.at != model.len() {
        return Err(corrupt("its model holds more than its alphabets"));
    }
    Ok([words, others])
}

fn read_alphabet(m: &mut Reader<'_>, words: bool) -> Result<(Alphabet, Decoder), Error> {
    let n = m.count()?;
    let mut alphabet = Alphabet::default();
    let mut lens = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        let shared = m.u64()?;
        if shared > prev as u64 {
            return Err(corrupt("a word shares more than the word before it"));
        }
        let start = alphabet.text.len() - prev;
        let shared_text = alphabet.text.get(start..start + shared as usize);
        let shared_text = shared_text
            .ok_or_else(|| corrupt("a word is not UTF-8"))?
            .to_owned();
        let rest = m.str()?;
        if !words && shared_text.is_empty() && rest.is_empty() {
            return Err(corrupt("a non-word is empty"));
        }
        alphabet.text.push_str(&shared_text);
        alphabet.text.push_str(rest);
        prev = shared_text.len() + rest.len();
        let end =
            u32::try_from(alphabet.text.len()).map_err(|_| corrupt("its words are too long"))?;
        alphabet.ends.push(end);
        lens.push(*m.bytes.get(m.at).ok_or_else(|| corrupt("it ends early"))?);
        m.at += 1;
        if lens[lens.len() - 1] == 0 {
            return Err(corrupt("a word has no code"));
        }
    }
    let decoder = Decoder::new(&lens)?;
    Ok((alphabet, decoder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(texts: &[&str]) -> Vec<u8> {
        let packed = pack(texts);
        let (mut u, total) = Unpacker::new(&packed).unwrap();
        assert_eq!(total as usize, texts.iter().map(|t| t.len()).sum::<usize>());
        for t in texts {
            assert_eq!(u.take(t.len()).unwrap(), *t);
        }
        u.finish().unwrap();
        packed
    }

    #[test]
    fn texts_come_back_as_they_went_in() {
        let long = "The talks stalled on Monday, and both sides left. ".repeat(2000);
        let table: &[&[&str]] = &[
            &[],
            &[""],
            &["", "a", ""],
            &["...", "  ", "x", "x."],
            &["Phnom Penh", "Kem Sokha — «ភ្នំពេញ» 2017", "x"],
            // Words that share bytes inside a character.
            &["ភា ភី ភូ", "é è ê"],
            &[&long, "after a long one", &long],
        ];
        for texts in table {
            round_trip(texts);
        }
    }

    #[test]
    fn tokens_alternate_from_a_word() {
        let table: &[(&str, &[&str])] = &[
            ("", &[]),
            ("a", &["a"]),
            (" a", &["", " ", "a"]),
            (
                "Kem Sokha, 2017.",
                &["Kem", " ", "Sokha", ", ", "2017", "."],
            ),
            ("Café-Noël", &["Café", "-", "Noël"]),
        ];
        for (text, want) in table {
            assert_eq!(tokens(text).collect::<Vec<_>>(), *want, "{text}");
        }
    }

    #[test]
    fn repetitive_text_packs_small_and_a_few_words_stay_as_they_are() {
        let long = "The talks stalled on Monday, and both sides left. ".repeat(2000);
        let packed = round_trip(&[&long]);
        assert!(packed.len() < long.len() / 8, "{}", packed.len());
        let packed = round_trip(&["one short text"]);
        assert_eq!(packed[1], 0);
    }

    #[test]
    fn code_lengths_are_a_prefix_code_within_the_limit() {
        // Fibonacci counts give the deepest Huffman tree: flattened to fit.
        let mut fib = vec![1u32, 1];
        while fib.len() < 45 {
            fib.push(fib[fib.len() - 1] + fib[fib.len() - 2]);
        }
        for freqs in [vec![5], vec![0, 3, 0], vec![1, 1, 1, 1, 1], fib] {
            let lens = code_lengths(&freqs);
            assert!(lens.iter().all(|&l| l <= MAX_LEN));
            Decoder::new(&lens).unwrap();
            for (f, l) in freqs.iter().zip(&lens) {
                assert_eq!(*f == 0, *l == 0);
            }
        }
    }

    #[test]
    fn taking_more_or_less_than_was_packed_is_an_error() {
        let words = "the cat sat on the mat ".repeat(50);
        let packed = pack(&[&words, "second"]);
        assert_eq!(packed[2], 1);
        let (mut u, _) = Unpacker::new(&packed).unwrap();
        assert!(u.take(words.len() + "second".len() + 1).is_err());
        let (mut u, _) = Unpacker::new(&packed).unwrap();
        u.take(words.len()).unwrap();
        assert!(u.finish().is_err());
    }

    /// Every byte of a packed section changed in turn: an error or texts of the promised
    /// lengths, never a panic.
    #[test]
    fn altered_sections_never_panic() {
        let first = "the cat sat on the mat, the dog sat on the log. ".repeat(8);
        let texts = [first.as_str(), "Both sides left."];
        let packed = pack(&texts);
        assert_eq!(packed[2], 1);
        for i in 0..packed.len() {
            for x in [0x01, 0x5a, 0xff] {
                let mut b = packed.clone();
                b[i] ^= x;
                let Ok((mut u, _)) = Unpacker::new(&b) else {
                    continue;
                };
                for t in texts {
                    match u.take(t.len()) {
                        Ok(text) => assert_eq!(text.len(), t.len()),
                        Err(_) => break,
                    }
                }
                let _ = u.finish();
            }
        }
    }
}
