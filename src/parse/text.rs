//! Plain text: lines and blank-line separated blocks become units.
//!
//! A block whose lines each hold a paragraph (news sites' copy-paste, one paragraph a line) gives
//! one unit a line; a hard-wrapped block (lines of similar width, continuing mid-sentence) gives
//! one unit for the whole block.

use super::assemble::{Hint, Unit};
use super::rules::{is_space, trimmed};
use crate::article::Span;

/// Wrapped lines are at most this long (bytes); longer lines are paragraphs of their own.
const MAX_WRAPPED_LINE: usize = 100;

/// Splits `source` into units.
pub(crate) fn units(source: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut block: Vec<Span> = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let r = trimmed(line);
        if r.is_empty() {
            flush(source, &mut block, &mut units);
        } else {
            block.push(Span::new(offset + r.start, offset + r.end));
        }
        offset += line.len();
    }
    flush(source, &mut block, &mut units);
    units
}

fn flush(source: &str, block: &mut Vec<Span>, units: &mut Vec<Unit>) {
    if block.is_empty() {
        return;
    }
    if is_wrapped(source, block) {
        let span = Span::new(block[0].start, block[block.len() - 1].end);
        units.push(Unit {
            span,
            hint: Hint::Plain,
        });
    } else {
        units.extend(block.iter().map(|&span| Unit {
            span,
            hint: Hint::Plain,
        }));
    }
    block.clear();
}

/// True when the block's lines are one paragraph wrapped at a fixed width.
fn is_wrapped(source: &str, block: &[Span]) -> bool {
    if block.len() < 2 {
        return false;
    }
    let lines: Vec<&str> = block.iter().map(|s| &source[s.range()]).collect();
    let body = &lines[..lines.len() - 1];
    let width_ok = body
        .iter()
        .all(|l| (30..=MAX_WRAPPED_LINE).contains(&l.len()));
    let no_repeats = lines.windows(2).all(|w| w[0] != w[1]);
    // List items ("- item", "* item", "• item", "1. item") stay one unit each.
    let bullet = |l: &&str| {
        l.starts_with(['-', '*', '•', '–', '—', '·'])
            || l.split_once(['.', ')']).is_some_and(|(n, _)| {
                !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
            })
    };
    if lines[1..].iter().any(bullet) {
        return false;
    }
    // A continuation line starts in lower case or the line before it stops mid-sentence.
    let continues = lines.windows(2).any(|w| {
        w[1].starts_with(|c: char| c.is_lowercase())
            || !w[0]
                .trim_end_matches(is_space)
                .ends_with(['.', '!', '?', ':', '”', '"', ')'])
    });
    width_ok && no_repeats && (lines.len() >= 3 || continues)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<&str> {
        units(source)
            .iter()
            .map(|u| &source[u.span.range()])
            .collect()
    }

    #[test]
    fn one_paragraph_a_line() {
        let s = "Title here\n\nA first paragraph that is long enough to stand alone as a paragraph of news text, and longer than a wrapped line.\nSecond line that is also a paragraph of its own and is much longer than any wrapped line would be in a text file.\n";
        assert_eq!(texts(s).len(), 3);
    }

    #[test]
    fn hard_wrapped_paragraph_is_one_unit() {
        let s = "Title\n\nThe committee met on Monday to discuss the budget and\nagreed that the spending plans for next year would be\ncut by ten percent across all departments.\n\nNext.";
        let t = texts(s);
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t[1].starts_with("The committee") && t[1].ends_with("departments."));
    }

    #[test]
    fn list_items_are_not_joined() {
        let s = "Title\n\n- the first item of the list, which is short enough\n- the second item of the list, also short enough\n- the third and last item\n";
        assert_eq!(texts(s).len(), 4);
    }

    #[test]
    fn crlf_and_repeated_lines() {
        let s = "Title\r\n\r\nA caption line. (Name Here)\r\nA caption line. (Name Here)\r\n";
        assert_eq!(
            texts(s),
            [
                "Title",
                "A caption line. (Name Here)",
                "A caption line. (Name Here)"
            ]
        );
    }
}
