//! Snippets: the best passage of a hit, as text plus highlight ranges (never HTML).
//!
//! The passage is chosen from the positions where the query matched (outside the title, which
//! is shown on its own): the window of [`WINDOW`] positions covering the most distinct query
//! clauses wins, earliest first on ties. The text is cut from the article's block around it, at
//! word boundaries, and the matched words inside are highlighted — stems, prefix and typo
//! expansions included, since highlighting uses the same planned terms as the search.

use crate::article::{Article, IndexField, Span};
use crate::index::{token_starts, token_starts_through, DocId, Index, GAP};
use crate::search::Plan;
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

/// Window of positions scored when choosing the passage.
const WINDOW: u32 = 24;
/// Longest snippet text, in bytes (before the ellipses).
pub const MAX_SNIPPET_BYTES: usize = 240;
/// Bytes of context kept before the first match, at most.
const LEAD: usize = 60;

/// A passage of an article with the matched words marked.
///
/// ```
/// let corpus = newslens::Corpus::seeds();
/// let snippet = &corpus.search("Chandaraty", 1).hits[0].snippet;
/// let (start, end) = snippet.highlights[0];
/// assert_eq!(&snippet.text[start..end], "Chandaraty");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The passage, with `…` where it was cut.
    pub text: String,
    /// Byte ranges `[start, end)` of the highlighted words in `text`, ascending, on `char`
    /// boundaries.
    pub highlights: Vec<(usize, usize)>,
    /// The bytes of the article's source the passage shows: `text` is they, between the
    /// ellipses (if any).
    pub source: Span,
}

impl Snippet {
    /// The text cut into `(piece, highlighted)` segments, in order, covering all of it.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(s, e) in &self.highlights {
            if s > at {
                out.push((&self.text[at..s], false));
            }
            out.push((&self.text[s..e], true));
            at = e;
        }
        if at < self.text.len() {
            out.push((&self.text[at..], false));
        }
        out
    }
}

/// Builds the snippet of `doc` for `plan`.
pub(crate) fn snippet(index: &Index, article: &Article, doc: DocId, plan: &Plan) -> Snippet {
    let info = &index.docs[doc as usize];
    let title_end = info.field_end[IndexField::Title as usize];
    // Matched positions outside the title, with their clause.
    let mut hits: Vec<(u32, usize)> = Vec::new();
    for (clause, term, _) in plan.terms() {
        if let Some(ps) = index.postings[term as usize].positions_of(doc) {
            hits.extend(ps.filter(|&p| p >= title_end).map(|p| (p, clause)));
        }
    }
    hits.sort_unstable();
    let source = article.source();
    // The best window: most distinct clauses, then most matches, then earliest.
    let mut best: Option<(usize, usize, u32)> = None; // (distinct, count, start position)
    for (i, &(p, _)) in hits.iter().enumerate() {
        let mut clauses: Vec<usize> = hits[i..]
            .iter()
            .take_while(|(q, _)| *q < p + WINDOW)
            .map(|&(_, c)| c)
            .collect();
        let count = clauses.len();
        clauses.sort_unstable();
        clauses.dedup();
        let key = (clauses.len(), count);
        if best.is_none_or(|(d, c, _)| key > (d, c)) {
            best = Some((key.0, key.1, p));
        }
    }
    // Where the passage starts in the source, and the block (field) holding it.
    let last = hits.last().map_or(0, |&(p, _)| p);
    let starts = token_starts_through(article, last);
    let anchor = best.and_then(|(_, _, p)| start_of(&starts, p));
    let blocks = article.fields();
    let block = match anchor {
        Some(a) => blocks
            .iter()
            .map(|(_, f)| f.span())
            .find(|s| s.start <= a && a < s.end),
        None => article
            .paragraphs()
            .first()
            .or(article.subtitle())
            .map(|f| f.span()),
    };
    let Some(block) = block else {
        return Snippet::default();
    };
    let text = &source[block.range()];
    let anchor = text.floor_char_boundary(anchor.map_or(0, |a| a.saturating_sub(block.start)));
    // Start: the sentence start if it is close, else a word boundary up to LEAD bytes back.
    let mut start = 0;
    if anchor > LEAD {
        let window_start = text.floor_char_boundary(anchor - LEAD);
        let lead = &text[window_start..anchor];
        start = match lead.rfind(". ") {
            Some(i) => window_start + i + 2,
            // After the first space (which may be wider than a byte: a no-break space).
            None => match lead.char_indices().find(|(_, c)| c.is_whitespace()) {
                Some((i, c)) => window_start + i + c.len_utf8(),
                None => anchor,
            },
        };
    }
    let mut end = text.len();
    if end - start > MAX_SNIPPET_BYTES {
        let limit = text.floor_char_boundary(start + MAX_SNIPPET_BYTES);
        end = text[start..limit]
            .rfind(char::is_whitespace)
            .map_or(limit, |i| start + i);
    }
    let piece = text[start..end].trim_end_matches([',', ';', ':', ' ']);
    let mut out = Snippet::default();
    if start > 0 {
        out.text.push('…');
    }
    let base = out.text.len();
    out.text.push_str(piece);
    // Highlight the matched positions inside the piece: each one's word runs from its start
    // to the next word boundary.
    let (lo, hi) = (block.start + start, block.start + start + piece.len());
    out.source = Span::new(lo, hi);
    out.highlights = matched_words(source, &starts, hits.iter().map(|&(p, _)| p), out.source)
        .into_iter()
        .map(|w| (base + w.start - lo, base + w.end - lo))
        .collect();
    if start + piece.len() < text.len() {
        out.text.push('…');
    }
    out
}

/// Byte offset of the token at `position` ([`token_starts`]), if it is a token.
fn start_of(starts: &[u32], position: u32) -> Option<usize> {
    match starts.get(position as usize) {
        Some(&s) if s != GAP => Some(s as usize),
        _ => None,
    }
}

/// The words at index `positions` that lie in `within` (source bytes), as source spans, sorted
/// and distinct: each runs from its position's start to the next word boundary.
fn matched_words(
    source: &str,
    starts: &[u32],
    positions: impl Iterator<Item = u32>,
    within: Span,
) -> Vec<Span> {
    let mut marks: Vec<Span> = positions
        .filter_map(|p| start_of(starts, p))
        .filter(|&s| s >= within.start && s < within.end)
        .filter_map(|s| {
            let word = source[s..within.end].split_word_bounds().next()?;
            Some(Span::new(s, s + word.len()))
        })
        .collect();
    marks.sort_unstable();
    marks.dedup();
    marks
}

/// Every word of `doc` the plan matched, anywhere in the article, as source spans.
pub(crate) fn matches(index: &Index, article: &Article, doc: DocId, plan: &Plan) -> Vec<Span> {
    let mut positions = Vec::new();
    for (_, term, _) in plan.terms() {
        if let Some(ps) = index.postings[term as usize].positions_of(doc) {
            positions.extend(ps);
        }
    }
    let source = article.source();
    matched_words(
        source,
        &token_starts(article),
        positions.into_iter(),
        Span::new(0, source.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cover_the_text() {
        let s = Snippet {
            text: "Kem Sokha said".into(),
            highlights: vec![(4, 9)],
            source: Span::new(0, 14),
        };
        assert_eq!(
            s.segments(),
            [("Kem ", false), ("Sokha", true), (" said", false)]
        );
    }
}
