//! Line classifiers: the general news heuristics the article assembler uses.
//!
//! Each function looks at one block of text (a line, a paragraph, an HTML block) and answers a
//! question about it: is this a photo caption with a credit, a dateline, a contributor line,
//! site furniture, an outlet's name? They know nothing of any particular article; all ranges
//! they return are byte ranges relative to the text they were given.

use crate::lexicon::Words;
use std::ops::Range;

/// Whitespace as news text has it: Unicode whitespace plus the byte order mark and zero-width
/// space that copy-pasted text carries.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

/// `text` without surrounding [`is_space`] characters, as a range into `text`.
pub(crate) fn trimmed(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start_matches(is_space).len();
    let end = text.trim_end_matches(is_space).len();
    start..end.max(start)
}

/// Furniture, contributor lines and bylines are never longer than this (bytes).
const MAX_SHORT_LINE: usize = 400;

/// Link-list headings and furniture lines without an address are never longer than this.
const MAX_HEADING: usize = 48;

/// Photo captions are never longer than this (bytes).
const MAX_CAPTION: usize = 2000;

fn words(text: &str) -> usize {
    words_upto(text, usize::MAX)
}

/// The number of words in `text`, counting no further than `cap + 1` (enough to compare with a
/// limit of `cap` without reading a whole paragraph).
fn words_upto(text: &str, cap: usize) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_space(c) {
            in_word = false;
        } else if !in_word {
            in_word = true;
            n += 1;
            if n > cap {
                break;
            }
        }
    }
    n
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']'];

/// True when `text` ends like a sentence: `.`, `!`, `?` or `…`, perhaps inside closing quotes.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(is_space).trim_end_matches(CLOSERS);
    t.ends_with(['.', '!', '?', '…'])
}

/// Lower-cased, whitespace-collapsed form used to compare furniture lines.
fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split(is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out.trim_end_matches([':', '»', '›', '>', '|', '-', '–', '—', ' '])
        .replace('’', "'")
}

/// Headings of link lists that sites append to articles. The heading and the short link lines
/// under it are furniture.
static LIST_HEADINGS: Words = Words::new(include_str!("../../data/list-headings.txt"));

/// Single lines of site chrome.
static FURNITURE_LINES: Words = Words::new(include_str!("../../data/furniture-lines.txt"));

/// A heading that opens a list of links to other stories.
pub(crate) fn is_list_heading(text: &str) -> bool {
    if text.len() > MAX_HEADING {
        return false;
    }
    let n = normalized(text);
    LIST_HEADINGS.contains(n.as_str())
}

/// A line under a list heading that reads like a link, not like a paragraph.
pub(crate) fn is_link_line(text: &str) -> bool {
    text.len() < 160 && !ends_sentence(text)
}

/// Site chrome on a line of its own: share buttons, "Advertisement", obfuscated e-mail
/// addresses (`[email protected]`) and plain address lists.
pub(crate) fn is_furniture(text: &str) -> bool {
    if text.len() > MAX_SHORT_LINE || (text.len() > MAX_HEADING && !text.contains(['@', '['])) {
        return false;
    }
    let n = normalized(text);
    if n.is_empty() || FURNITURE_LINES.contains(n.as_str()) {
        return true;
    }
    let rest = n.replace("[email protected]", " ").replace('\u{a0}', " ");
    let rest: Vec<&str> = rest
        .split(|c: char| is_space(c) || matches!(c, ',' | ';' | '|' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let had_address = n.contains("[email protected]") || n.contains('@');
    had_address && rest.iter().all(|w| is_email(w))
}

fn is_email(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | '.'));
    match w.split_once('@') {
        Some((user, host)) => !user.is_empty() && host.contains('.') && !host.contains('@'),
        None => false,
    }
}

static CONTRIBUTOR_PREFIXES: Words =
    Words::new(include_str!("../../data/contributor-prefixes.txt"));

/// A contributor line such as `(Additional reporting by Ouch Sony)`: returns the range of the
/// credit without its parentheses.
pub(crate) fn contributor(text: &str) -> Option<Range<usize>> {
    if text.len() > MAX_SHORT_LINE {
        return None;
    }
    let mut r = trimmed(text);
    let t = &text[r.clone()];
    if t.starts_with('(') && t.ends_with(')') && t.len() >= 2 {
        r = r.start + 1..r.end - 1;
        let inner = &text[r.clone()];
        let inner_trim = trimmed(inner);
        r = r.start + inner_trim.start..r.start + inner_trim.end;
    }
    let inner = &text[r.clone()];
    let matches = CONTRIBUTOR_PREFIXES.all().iter().any(|p| {
        inner
            .as_bytes()
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p.as_bytes()))
    });
    (matches && words(inner) <= 30 && inner.len() > 3).then_some(r)
}

/// A byline such as `By Jane Doe` or `By Jane Doe and John Roe`.
pub(crate) fn is_byline(text: &str) -> bool {
    if text.len() > MAX_SHORT_LINE {
        return false;
    }
    let t = &text[trimmed(text)];
    let Some(rest) = t.strip_prefix("By ").or_else(|| t.strip_prefix("BY ")) else {
        return false;
    };
    let n = words(rest);
    (1..=8).contains(&n) && !ends_sentence(t) && rest.chars().next().is_some_and(char::is_uppercase)
}

/// Words that mark a picture credit.
static CREDIT_WORDS: Words = Words::new(include_str!("../../data/credit-marks.txt"));

/// Small words allowed inside a name-like credit.
static CONNECTORS: Words = Words::new(include_str!("../../data/name-connectors.txt"));

fn credit_word(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .to_lowercase();
    CREDIT_WORDS.contains(w.as_str())
}

/// A word that could stand in a name: capitalised, all capitals, a number or a connector.
fn name_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '&' && c != '-');
    if w.is_empty() {
        return true;
    }
    let first = w.chars().next().unwrap_or(' ');
    first.is_uppercase() || first.is_numeric() || CONNECTORS.contains(w.to_lowercase().as_str())
}

fn credit_parts(credit: &str) -> impl Iterator<Item = &str> {
    credit
        .split(|c: char| is_space(c) || c == '/')
        .filter(|w| !w.is_empty())
}

/// True when `credit` reads as a picture credit: a name, an agency or a credit phrase.
fn credit_like(credit: &str, parenthesised: bool) -> bool {
    let n = words(credit);
    if n == 0 || n > 8 || credit.contains(['(', ')', '"', '“', '”']) {
        return false;
    }
    if ends_sentence(credit) && !credit.ends_with(|c: char| c.is_uppercase()) {
        // "Photo by X." is fine; a full sentence is not. Initials end with '.' and capitals.
        let last = credit.trim_end_matches('.');
        if last
            .split(is_space)
            .next_back()
            .is_some_and(|w| w.len() > 2)
        {
            return false;
        }
    }
    let has_credit_word = credit_parts(credit).any(credit_word);
    let first = credit_parts(credit).next().unwrap_or("");
    let phrase = credit_word(first)
        && credit_parts(credit)
            .skip(1)
            .all(|w| name_word(w) || credit_word(w));
    let all_names = credit_parts(credit).all(name_word);
    if parenthesised {
        // (Siv Channa/The Cambodia Daily), (Ma Chettra), (AP Photo/Heng Sinith), (Reuters)
        all_names && (credit.contains('/') || has_credit_word || (1..=4).contains(&n)) || phrase
    } else {
        // ... 2022. Photo from AFP / ... 2019. Stringer / ... Getty Images
        phrase || (all_names && has_credit_word && n <= 4)
    }
}

/// If `text` is a photo caption ending in a credit, returns the caption's range (without the
/// credit) and the credit's range.
///
/// Two shapes are recognised, both after a caption that ends like a sentence and has at least
/// four words: a parenthesised credit (`… police. (Siv Channa/The Cambodia Daily)`) and a
/// trailing credit phrase (`… 2022. Photo from AFP`, `… 2019. Stringer`).
pub(crate) fn split_caption(text: &str) -> Option<(Range<usize>, Range<usize>)> {
    if text.len() > MAX_CAPTION {
        return None;
    }
    let whole = trimmed(text);
    let t = &text[whole.clone()];
    if t.ends_with(')') {
        let open = matching_open_paren(t)?;
        let before = &t[..open];
        let inner_range = trimmed(&t[open + 1..t.len() - 1]);
        let inner = &t[open + 1 + inner_range.start..open + 1 + inner_range.end];
        if words_upto(before, 4) >= 4 && ends_sentence(before) && credit_like(inner, true) {
            let cap = trimmed(before);
            let base = whole.start;
            let credit_start = base + open + 1 + inner_range.start;
            return Some((
                base + cap.start..base + cap.end,
                credit_start..credit_start + inner.len(),
            ));
        }
        return None;
    }
    // The tail after the last sentence end.
    let boundary = last_sentence_boundary(t)?;
    let before = &t[..boundary];
    let tail_range = trimmed(&t[boundary..]);
    let tail = &t[boundary + tail_range.start..boundary + tail_range.end];
    if words_upto(before, 4) >= 4 && credit_like(tail, false) {
        let cap = trimmed(before);
        let base = whole.start;
        let credit_start = base + boundary + tail_range.start;
        return Some((
            base + cap.start..base + cap.end,
            credit_start..credit_start + tail.len(),
        ));
    }
    None
}

fn matching_open_paren(t: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in t.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The byte index just after the last sentence end (`.`, `!`, `?` and closing quotes) that is
/// followed by a space and more text.
fn last_sentence_boundary(t: &str) -> Option<usize> {
    // Scan backwards: the last boundary is usually near the end.
    let mut after_space = false; // a space follows the current position
    let mut end = None; // end of the closers run that a space follows
    for (i, c) in t.char_indices().rev() {
        if is_space(c) {
            after_space = true;
            end = None;
            continue;
        }
        if CLOSERS.contains(&c) {
            if after_space {
                end = Some(i + c.len_utf8());
            }
            after_space = false;
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            let e = if after_space {
                Some(i + c.len_utf8())
            } else {
                end
            };
            if let Some(e) = e {
                if e < t.len() {
                    return Some(e);
                }
            }
        }
        after_space = false;
        end = None;
    }
    None
}

/// A dateline opening a paragraph: `PHNOM PENH--`, `WASHINGTON (Reuters) -`, `PARIS, Jan. 5 —`.
///
/// Returns the range of the dateline itself (`PHNOM PENH`) and the byte where the paragraph's
/// own text starts, after the dash and spaces.
pub(crate) fn dateline(text: &str) -> Option<(Range<usize>, usize)> {
    let start = trimmed(text).start;
    let t = &text[start..];
    let window = &t[..t.floor_char_boundary(80)];
    let (sep_at, sep_len) = ["--", "—", "–", " - "]
        .iter()
        .filter_map(|s| window.find(s).map(|i| (i, s.len())))
        .min()?;
    let head = t[..sep_at].trim_end_matches(is_space);
    // The place: one to four words in capitals, before any comma or parenthesis.
    let place_end = head.find([',', '(']).unwrap_or(head.len());
    let place = head[..place_end].trim_end_matches(is_space);
    let place_words: Vec<&str> = place.split(is_space).filter(|w| !w.is_empty()).collect();
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    if place_words.is_empty()
        || place_words.len() > 4
        || letters < 2
        || place.chars().any(|c| c.is_lowercase())
        || !place
            .chars()
            .all(|c| c.is_alphabetic() || is_space(c) || matches!(c, '.' | '\'' | '’' | '-' | '&'))
    {
        return None;
    }
    let extra = &head[place_end..];
    if words(extra) > 6 || extra.contains(['!', '?', '"', '“']) {
        return None;
    }
    let rest_start = sep_at + sep_len;
    let rest = &t[rest_start..];
    let body_offset = rest.len() - rest.trim_start_matches(is_space).len();
    let first = rest[body_offset..].chars().next()?;
    if !(first.is_uppercase() || first.is_numeric() || matches!(first, '"' | '“' | '‘' | '\''))
    {
        return None;
    }
    Some((start..start + head.len(), start + rest_start + body_offset))
}

/// Last words of outlet names.
static OUTLET_WORDS: Words = Words::new(include_str!("../../data/outlet-words.txt"));

/// True when `text` reads as an outlet's name (`Cambodian Journalists Alliance Association`,
/// `The Phnom Penh Post`, `example.com`) rather than a headline: a few capitalised words ending
/// in a word outlets use, or a web address.
pub(crate) fn is_outlet_name(text: &str) -> bool {
    if text.len() > MAX_SHORT_LINE {
        return false;
    }
    let t = &text[trimmed(text)];
    let n = words(t);
    if n == 0 || n > 6 || t.len() > 60 || ends_sentence(t) || t.contains([':', '“', '"']) {
        return false;
    }
    let ws: Vec<&str> = t.split(is_space).filter(|w| !w.is_empty()).collect();
    let last = ws[ws.len() - 1].to_lowercase();
    let web = n == 1
        && [".com", ".org", ".net", ".kh", ".co.uk", ".info", ".news"]
            .iter()
            .any(|d| last.ends_with(d));
    if web {
        return true;
    }
    if !ws.iter().all(|w| name_word(w))
        || !name_word(ws[0])
        || ws[0].starts_with(char::is_lowercase)
    {
        return false;
    }
    OUTLET_WORDS.contains(last.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// True when `text` reads as a headline: short, not a full sentence ending in a period.
pub(crate) fn is_headline_like(text: &str) -> bool {
    if text.len() > MAX_CAPTION {
        return false;
    }
    let t = &text[trimmed(text)];
    let n = words_upto(t, 30);
    (2..=30).contains(&n) && !t.trim_end_matches(CLOSERS).ends_with('.')
}

/// True when `text` could be a standfirst under the headline: a sentence-length line that does
/// not end like a sentence (decks drop the final period), starting with a capital.
pub(crate) fn is_standfirst_like(text: &str) -> bool {
    if text.len() > MAX_CAPTION {
        return false;
    }
    let t = &text[trimmed(text)];
    let n = words_upto(t, 60);
    let labelled = t
        .split(is_space)
        .filter(|w| !w.is_empty())
        .take(3)
        .any(|w| w.ends_with(':'));
    (5..=60).contains(&n)
        && !labelled
        && !ends_sentence(t)
        && !t.ends_with([':', ',', ';'])
        && t.chars().next().is_some_and(char::is_uppercase)
        && t.chars().any(char::is_lowercase)
        && dateline(t).is_none()
}

/// A headline cut from the start of a long block, for texts with no headline line: the first
/// sentence when it is short, else about 100 bytes ending at a word boundary.
pub(crate) fn derived_title(text: &str) -> Range<usize> {
    let r = trimmed(text);
    let t = &text[r.clone()];
    if let Some(b) = last_sentence_boundary(&t[..t.floor_char_boundary(160)]) {
        let first = first_sentence_boundary(t).unwrap_or(b);
        if first <= 160 {
            return r.start..r.start + t[..first].trim_end_matches(is_space).len();
        }
    }
    let cut = t.floor_char_boundary(100);
    let end = t[..cut].rfind(is_space).filter(|&i| i > 20).unwrap_or(cut);
    r.start..r.start + t[..end].trim_end_matches(is_space).len()
}

fn first_sentence_boundary(t: &str) -> Option<usize> {
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') {
            if let Some(&(_, d)) = chars.peek() {
                if is_space(d) {
                    return Some(i + 1);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut<'a>(text: &'a str, r: &Range<usize>) -> &'a str {
        &text[r.clone()]
    }

    #[test]
    fn captions_and_their_credits() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            (
                "Mr. Kheng speaks to reporters in Phnom Penh in May. (Siv Channa/The Cambodia Daily)",
                Some(("Mr. Kheng speaks to reporters in Phnom Penh in May.", "Siv Channa/The Cambodia Daily")),
            ),
            (
                "A ceremony at the party’s headquarters on Tuesday. (Ma Chettra)",
                Some(("A ceremony at the party’s headquarters on Tuesday.", "Ma Chettra")),
            ),
            (
                "Kem Sokha speaks to the media on January 19, 2022. Photo from AFP",
                Some(("Kem Sokha speaks to the media on January 19, 2022.", "Photo from AFP")),
            ),
            (
                "Kem Sokha meets the ambassador at his home 11November 2019. Stringer",
                Some(("Kem Sokha meets the ambassador at his home 11November 2019.", "Stringer")),
            ),
            (
                "Protesters gather outside the court in Phnom Penh. (AP Photo/Heng Sinith)",
                Some(("Protesters gather outside the court in Phnom Penh.", "AP Photo/Heng Sinith")),
            ),
            // Not captions: a body sentence with a parenthesis, a quote, a plain sentence.
            ("The party was dissolved by the Supreme Court (in 2017)", None),
            ("He said the vote was fair and the count was accurate. (laughs)", None),
            ("The Cambodia National Rescue Party (CNRP) won 44 percent of the vote.", None),
            ("He said so on Monday. But the matter was closed by the court.", None),
            ("(Additional reporting by Ouch Sony)", None),
        ];
        for (text, want) in cases {
            let got = split_caption(text).map(|(c, credit)| (cut(text, &c), cut(text, &credit)));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn datelines() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            (
                "PHNOM PENH--Kem Sokha said",
                Some(("PHNOM PENH", "Kem Sokha said")),
            ),
            (
                "WASHINGTON (Reuters) - The US said",
                Some(("WASHINGTON (Reuters)", "The US said")),
            ),
            (
                "PARIS, Jan. 5 — “We will go,” he said",
                Some(("PARIS, Jan. 5", "“We will go,” he said")),
            ),
            ("LONDON – Shares fell", Some(("LONDON", "Shares fell"))),
            ("CPP spokesman Sok Eysan said - nothing", None),
            ("US media giant TimeWarner jumped 76%", None),
            ("The vote -- held on Sunday -- was close", None),
            ("I - think", None),
        ];
        for (text, want) in cases {
            let got = dateline(text).map(|(d, body)| (cut(text, &d), &text[body..]));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn contributor_lines() {
        let t = "(Additional reporting by Ouch Sony)";
        assert_eq!(
            contributor(t).map(|r| cut(t, &r)),
            Some("Additional reporting by Ouch Sony")
        );
        let t = "Reporting by Prak Chan Thul; Editing by Ed Davies";
        assert_eq!(contributor(t).map(|r| cut(t, &r)), Some(t));
        assert_eq!(contributor("Reports say the party will win."), None);
    }

    #[test]
    fn furniture_lines() {
        for yes in [
            "Related Stories",
            "Latest News",
            "Related Articles",
            "[email\u{a0}protected]",
            "[email\u{a0}protected], [email\u{a0}protected]",
            "Advertisement",
            "news@example.com",
        ] {
            assert!(is_furniture(yes) || is_list_heading(yes), "{yes}");
        }
        for no in [
            "The email was sent last week.",
            "Latest news from the court came on Monday, when the judge ruled.",
            "Mu Sochua wrote to him at the party's address.",
        ] {
            assert!(!is_furniture(no) && !is_list_heading(no), "{no}");
        }
    }

    #[test]
    fn outlets_and_headlines() {
        for yes in [
            "Cambodian Journalists Alliance Association",
            "The Phnom Penh Post",
            "Khmer Times",
            "example.com",
        ] {
            assert!(is_outlet_name(yes), "{yes}");
        }
        for no in [
            "CPP video questions Kem Sokha’s parade of ambassadors",
            "Ad sales boost Time Warner profit",
            "Kem Sokha: Not Running Away from the People is the Best Option",
            "Rainsy Wants to Defend Kem Sokha’s ‘Mistress’ From Attacks",
            "Blair attacks Tory tax plans",
        ] {
            assert!(!is_outlet_name(no), "{no}");
        }
    }

    #[test]
    fn derived_titles() {
        let t = "This is one sentence that opens a long text. And this is another one after it.";
        assert_eq!(
            cut(t, &derived_title(t)),
            "This is one sentence that opens a long text."
        );
        let t = "word ".repeat(100);
        let d = derived_title(&t);
        assert!(d.len() <= 100 && t[d].ends_with("word"));
    }
}
