//! The articles' texts a corpus holds, kept packed in memory: a run of texts as they came
//! (the open part, at the end), and blocks of packed texts ([`Block`], the index file's own
//! packing), each unpacked a text at a time when an article is asked for (a snippet, the
//! reader, recognition, linking's first pass, writing an index file).
//!
//! Texts come in two ways. Added one by one ([`Texts::push`]), they wait in the open part
//! until it holds [`SEAL_BYTES`], and are then packed as one block; [`Texts::seal`] packs
//! the open part sooner (a corpus does when recognition is done). Read from an index file
//! ([`Texts::push_block`]), the file's packed section is kept as it is, as a block of its own.

use crate::textpack::Block;
use std::sync::Arc;

/// The open part is packed once it holds this much text: 1 MiB. Packing runs at about
/// 50 MB/s natively (about 20 ms for a block). On the BBC articles a block this size keeps
/// its texts in about half their size, model included; smaller blocks each pay for a model
/// of their own.
pub(crate) const SEAL_BYTES: usize = 1 << 20;

/// Texts of at most this many bytes in all are not worth a model of their own: the open
/// part is sealed only from here (about the size of a block's model and decoding tables).
const MIN_SEAL_BYTES: usize = 64 << 10;

#[derive(Clone, Debug)]
enum Part {
    /// Texts as they came.
    Open(Vec<Arc<str>>),
    Packed(Block),
}

/// The texts, numbered in the order they came.
#[derive(Clone, Debug, Default)]
pub(crate) struct Texts {
    parts: Vec<Part>,
    /// The number of each part's first text.
    firsts: Vec<usize>,
    len: usize,
    /// Bytes in the last part, when it is open.
    open_bytes: usize,
}

impl Texts {
    /// How many texts there are.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Adds a text at the end; packs the open part once it holds [`SEAL_BYTES`].
    pub(crate) fn push(&mut self, text: Arc<str>) {
        self.open_bytes += text.len();
        match self.parts.last_mut() {
            Some(Part::Open(texts)) => texts.push(text),
            _ => {
                self.firsts.push(self.len);
                self.parts.push(Part::Open(vec![text]));
            }
        }
        self.len += 1;
        if self.open_bytes >= SEAL_BYTES {
            self.seal();
        }
    }

    /// Adds a block of texts at the end, after sealing the open part ([`Texts::seal`]: a
    /// little text stays as it is before the block).
    pub(crate) fn push_block(&mut self, block: Block) {
        if block.len() == 0 {
            return;
        }
        self.seal();
        self.firsts.push(self.len);
        self.len += block.len();
        self.parts.push(Part::Packed(block));
        self.open_bytes = 0;
    }

    /// Packs the open part, if it holds enough text to be worth a model ([`MIN_SEAL_BYTES`]).
    pub(crate) fn seal(&mut self) {
        if self.open_bytes < MIN_SEAL_BYTES {
            return;
        }
        let Some(last) = self.parts.last_mut() else {
            return;
        };
        if let Part::Open(texts) = last {
            let refs: Vec<&str> = texts.iter().map(|t| &**t).collect();
            *last = Part::Packed(Block::pack(&refs));
            self.open_bytes = 0;
        }
    }

    /// The part text `i` is in, and its number there.
    fn find(&self, i: usize) -> Option<(&Part, usize)> {
        if i >= self.len {
            return None;
        }
        let p = self.firsts.partition_point(|&f| f <= i).checked_sub(1)?;
        Some((&self.parts[p], i - self.firsts[p]))
    }

    /// Text `i`; `None` past the end.
    pub(crate) fn get(&self, i: usize) -> Option<Arc<str>> {
        match self.find(i)? {
            (Part::Open(texts), j) => texts.get(j).cloned(),
            (Part::Packed(block), j) => block.get(j).map(Arc::from),
        }
    }

    /// The length of text `i` (0 past the end).
    pub(crate) fn text_len(&self, i: usize) -> usize {
        match self.find(i) {
            Some((Part::Open(texts), j)) => texts.get(j).map_or(0, |t| t.len()),
            Some((Part::Packed(block), j)) => block.text_len(j),
            None => 0,
        }
    }

    /// Lets go of the room the lists kept for more.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.parts.shrink_to_fit();
        self.firsts.shrink_to_fit();
        if let Some(Part::Open(texts)) = self.parts.last_mut() {
            texts.shrink_to_fit();
        }
    }

    /// The bytes the texts take in memory (their allocations, not the allocator's overhead):
    /// packed blocks, and the open part's texts.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.parts.iter())
            .map(|p| match p {
                Part::Open(texts) => texts.iter().map(|t| t.len() + 16).sum(),
                Part::Packed(block) => block.heap_bytes(),
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts pushed one by one, some sealed into blocks on the way, some blocks pushed whole:
    /// each comes back as it went in, by its number.
    #[test]
    fn every_text_comes_back_by_its_number() {
        let para = "The talks stalled on Monday in Phnom Penh, and both sides left. ";
        let mut texts = Texts::default();
        let mut want: Vec<String> = Vec::new();
        for i in 0..400 {
            let t = format!("{i}: {}", para.repeat(i % 97));
            texts.push(t.as_str().into());
            want.push(t);
            if i == 150 {
                texts.seal();
            }
            if i % 120 == 7 {
                let block: Vec<String> = (0..3).map(|j| format!("block {i} {j} ភ្នំពេញ")).collect();
                let refs: Vec<&str> = block.iter().map(String::as_str).collect();
                texts.push_block(Block::pack(&refs));
                want.extend(block);
            }
        }
        texts.seal();
        assert!(texts.parts.len() > 4, "{}", texts.parts.len());
        assert_eq!(texts.len(), want.len());
        for (i, w) in want.iter().enumerate() {
            assert_eq!(texts.get(i).as_deref(), Some(w.as_str()), "text {i}");
            assert_eq!(texts.text_len(i), w.len());
        }
        assert_eq!(texts.get(want.len()), None);
        assert_eq!(texts.text_len(want.len()), 0);
        let raw: usize = want.iter().map(String::len).sum();
        assert!(
            texts.heap_bytes() < raw / 2,
            "{} of {raw}",
            texts.heap_bytes()
        );
    }

    #[test]
    fn a_little_text_is_not_sealed() {
        let mut texts = Texts::default();
        texts.push("short".into());
        texts.seal();
        assert!(matches!(texts.parts[..], [Part::Open(_)]));
        assert_eq!(texts.get(0).as_deref(), Some("short"));
    }
}
