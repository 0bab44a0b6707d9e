//! Tokens for the tagger: words and punctuation with byte offsets, possessives split off, and
//! sentences.

use crate::lexicon::Words;
use unicode_segmentation::UnicodeSegmentation;

/// A token of article text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// The text as written.
    pub text: &'a str,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
}

/// Cuts `text` into tokens: UAX #29 words and punctuation marks (spaces dropped), with a final
/// `'s` / `’s` split off a word (`Sokha’s` → `Sokha`, `’s`) and a final `'` or `’` too.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    for (start, piece) in segments(text) {
        if piece.chars().all(char::is_whitespace) {
            continue;
        }
        let end = start + piece.len();
        let split = ["’s", "'s", "’S", "'S"]
            .iter()
            .find(|s| piece.len() > s.len() && piece.ends_with(*s))
            .map(|s| s.len())
            .or_else(|| {
                (piece.len() > 3 && piece.ends_with(['\'', '’']))
                    .then(|| piece.chars().next_back().map_or(1, char::len_utf8))
            });
        match split {
            Some(n) => {
                out.push(Token {
                    text: &piece[..piece.len() - n],
                    start,
                    end: end - n,
                });
                out.push(Token {
                    text: &piece[piece.len() - n..],
                    start: end - n,
                    end,
                });
            }
            None => out.push(Token {
                text: piece,
                start,
                end,
            }),
        }
    }
    // An abbreviation keeps its period, as in the training data: "Mr.", "U.S.", "Feb.".
    let mut joined: Vec<Token<'_>> = Vec::with_capacity(out.len());
    for t in out {
        if t.text == "." {
            if let Some(prev) = joined.last_mut() {
                let abbreviation = ABBREVIATIONS.contains(prev.text)
                    || (prev.text.chars().count() == 1
                        && prev.text.chars().all(char::is_uppercase))
                    || dotted_initials(prev.text);
                if abbreviation && prev.end == t.start {
                    prev.text = &text[prev.start..t.end];
                    prev.end = t.end;
                    continue;
                }
            }
        }
        joined.push(t);
    }
    join_hyphens(text, joined)
}

/// Capitals or letters joined by periods, as one word segment reads them before the last
/// period: `N.J`, `F.C`, `H.K`.
fn dotted_initials(w: &str) -> bool {
    w.contains('.')
        && w.split('.')
            .all(|p| (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic))
}

/// Words joined by hyphens with no space between are one token, as in the training data:
/// `Nagorno-Karabakh`, `Ata-ur-Rehman`, `al-Aqsa`, `1996-08-30`.
fn join_hyphens<'a>(text: &'a str, tokens: Vec<Token<'a>>) -> Vec<Token<'a>> {
    let wordy = |t: &Token<'_>| {
        t.text
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    };
    let mut out: Vec<Token<'a>> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let joins = t.text == "-"
            && i + 1 < tokens.len()
            && out.last().is_some_and(|p| p.end == t.start && wordy(p))
            && tokens[i + 1].start == t.end
            && tokens[i + 1].text.starts_with(char::is_alphanumeric);
        match out.last_mut() {
            Some(prev) if joins => {
                prev.end = tokens[i + 1].end;
                prev.text = &text[prev.start..prev.end];
                i += 2;
            }
            _ => {
                out.push(t.clone());
                i += 1;
            }
        }
    }
    out
}

/// UAX #29 segments; for ASCII text a fast path with the same result: word runs (as the
/// analyzer's tested fast path finds them) and every other character on its own.
fn segments(text: &str) -> Vec<(usize, &str)> {
    if !text.is_ascii() {
        return text.split_word_bound_indices().collect();
    }
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    crate::analyze::ascii_words(b, |s, e| {
        for i in at..s {
            if !b[i].is_ascii_whitespace() {
                out.push((i, &text[i..i + 1]));
            }
        }
        out.push((s, &text[s..e]));
        at = e;
    });
    for i in at..b.len() {
        if !b[i].is_ascii_whitespace() {
            out.push((i, &text[i..i + 1]));
        }
    }
    out
}

/// Abbreviations after which a period does not end a sentence.
static ABBREVIATIONS: Words = Words::new(include_str!("../../data/abbreviations.txt"));

/// Splits tokens into sentences: after `.`, `!` or `?` (and closing quotes), unless the period
/// follows an abbreviation or a single capital letter. Returns index ranges.
pub fn sentences(tokens: &[Token<'_>]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].text;
        let ends = match t {
            "!" | "?" => true,
            "." => {
                !(i > 0 && {
                    let prev = tokens[i - 1].text;
                    tokens[i - 1].end == tokens[i].start
                        && (ABBREVIATIONS.contains(prev)
                            || (prev.chars().count() == 1 && prev.chars().all(char::is_uppercase)))
                })
            }
            _ => false,
        };
        i += 1;
        if ends {
            while i < tokens.len() && matches!(tokens[i].text, "”" | "\"" | "’" | "'" | ")") {
                i += 1;
            }
            out.push(start..i);
            start = i;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possessives_split_and_offsets_kept() {
        let text = "Mr. Sokha’s party, the CNRP’s leaders.";
        let toks: Vec<&str> = tokenize(text).iter().map(|t| t.text).collect();
        assert_eq!(
            toks,
            ["Mr.", "Sokha", "’s", "party", ",", "the", "CNRP", "’s", "leaders", "."]
        );
        for t in tokenize(text) {
            assert_eq!(&text[t.start..t.end], t.text);
        }
    }

    /// The ASCII fast path cuts text as UAX #29 does (spaces aside).
    #[test]
    fn ascii_segments_match_uax29() {
        for text in crate::analyze::ascii_samples(b"ab1_ '.:,;-\n\"(Z9$%", 3, 14) {
            let text = text.as_str();
            let fast: Vec<(usize, &str)> = segments(text);
            let slow: Vec<(usize, &str)> = text
                .split_word_bound_indices()
                .filter(|(_, p)| !p.chars().all(char::is_whitespace))
                .collect();
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn hyphenated_words_are_one_token() {
        let text = "Nagorno-Karabakh and al-Aqsa on 1996-08-30 - a dash, Ata-ur-Rehman -x";
        let toks: Vec<&str> = tokenize(text).iter().map(|t| t.text).collect();
        assert_eq!(
            toks,
            [
                "Nagorno-Karabakh",
                "and",
                "al-Aqsa",
                "on",
                "1996-08-30",
                "-",
                "a",
                "dash",
                ",",
                "Ata-ur-Rehman",
                "-",
                "x"
            ]
        );
    }

    #[test]
    fn dotted_initials_and_state_abbreviations_keep_their_period() {
        // (text, its tokens)
        let cases: &[(&str, &[&str])] = &[
            ("F.C. Brasov won.", &["F.C.", "Brasov", "won", "."]),
            ("ELIZABETH, N.J. 1996", &["ELIZABETH", ",", "N.J.", "1996"]),
            (
                "in Fresno, Calif. on",
                &["in", "Fresno", ",", "Calif.", "on"],
            ),
            ("H.K. cents", &["H.K.", "cents"]),
            ("the end. Then", &["the", "end", ".", "Then"]),
            ("at 3.5 per", &["at", "3.5", "per"]),
        ];
        for (text, want) in cases {
            let got: Vec<&str> = tokenize(text).iter().map(|t| t.text).collect();
            assert_eq!(&got, want, "{text}");
            assert_eq!(
                sentences(&tokenize(text)).len(),
                1 + usize::from(text.ends_with("Then"))
            );
        }
    }

    #[test]
    fn sentence_ends() {
        let text = "Mr. Sokha met Sam Rainsy. They talked. “It went well.” He left";
        let toks = tokenize(text);
        let s: Vec<String> = sentences(&toks)
            .into_iter()
            .map(|r| toks[r].iter().map(|t| t.text).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            s,
            [
                "Mr. Sokha met Sam Rainsy .",
                "They talked .",
                "“ It went well . ”",
                "He left"
            ]
        );
    }
}
