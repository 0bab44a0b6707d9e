//! Recognition: the entity mentions of one article, before linking.

use super::{is_acronym, lists_bits, lower, Label, CITY, COUNTRY, NATIONALITY};
use crate::article::{field_blocks, Article, Span};
use crate::lexicon::{self, Words};
use crate::lexicon::{GIVEN_NAME, ORG_WORD};
use crate::ner::gazetteer::Gazetteer;
use crate::ner::{self, sentences, tokenize, Kind, Tagger};
use std::collections::{BTreeMap, BTreeSet};

static WEEKDAYS: Words = Words::new(include_str!("../../data/weekdays.txt"));
/// Portfolios and offices written before a name (`Interior Minister Sar Kheng`, `lawmaker ...`)
/// that the tagger's list of titles lacks. Those and the titles ([`lexicon::TITLES`]) stay
/// outside person names, but for the titles a peer or a judge is known by (`Lord Browne`,
/// `Justice Eady`), which name someone other than the surname alone would.
static OFFICES: Words = Words::new(include_str!("../../data/offices.txt"));
static NAMING_TITLES: Words = Words::new(include_str!("../../data/peerage-and-bench.txt"));

/// A title or office that stays outside a person's name.
fn is_title(w: &str) -> bool {
    (in_list(w, &lexicon::TITLES) && !in_list(w, &NAMING_TITLES)) || in_list(w, &OFFICES)
}
/// Words that make a capitalised run an organisation (the last few name newspapers and news
/// services: "The Cambodia Daily", "Associated Press").
static ORG_HEADS: Words = Words::new(include_str!("../../data/organisation-heads.txt"));
/// Organisations of general knowledge named by one word, which the tagger (trained on 1990s
/// news) may take for people or places.
static KNOWN_ORGS: Words = Words::new(include_str!("../../data/known-organisations.txt"));
static EVENT_WORDS: Words = Words::new(include_str!("../../data/event-words.txt"));
/// Lower-case words after a name that make it a holiday or festival ("the Songkran festival").
static EVENT_NOUNS: Words = Words::new(include_str!("../../data/event-nouns.txt"));

/// Lower-case words that make the name before them a company ("Yukos shares").
static COMPANY_NOUNS: Words = Words::new(include_str!("../../data/company-nouns.txt"));

/// Lower-case words that make the name after them a company ("oil firm Yukos").
static COMPANY_KINDS: Words = Words::new(include_str!("../../data/company-kinds.txt"));

/// Whether the name at tokens `a..b` is spoken of as a company: before a company noun, directly
/// or after a possessive ("Yukos shares", "Sony's profits"), before its "chief executive",
/// or after a kind of company ("oil firm Yukos").
fn named_as_company(ws: &[&str], a: usize, b: usize) -> bool {
    let possessive = |w: &str| matches!(w, "’s" | "'s" | "’" | "'");
    let noun_at = |i: usize| ws.get(i).is_some_and(|w| COMPANY_NOUNS.contains(w));
    let officer = ws.get(b) == Some(&"chief")
        && ws
            .get(b + 1)
            .is_some_and(|w| matches!(*w, "executive" | "financial" | "operating"));
    noun_at(b)
        || officer
        || (ws.get(b).is_some_and(|w| possessive(w)) && noun_at(b + 1))
        || (a >= 1 && COMPANY_KINDS.contains(ws[a - 1]))
}

/// Whether the name at tokens `a..b` is a side of a fixture or a result: "Leeds v Chelsea",
/// "Leeds 2 Chelsea 1".
fn is_fixture_side(ws: &[&str], a: usize, b: usize) -> bool {
    let versus = |w: &str| matches!(w, "v" | "vs" | "vs.");
    let number = |w: &&str| !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit());
    let score = |i: usize| ws.get(i).is_some_and(|w| number(w) && w.len() <= 3);
    let name = |i: usize| ws.get(i).is_some_and(|w| capital(w));
    ws.get(b).is_some_and(|w| versus(w))
        || (a > 0 && versus(ws[a - 1]))
        || (score(b) && name(b + 1) && !ws[..a].iter().any(number))
        || (a >= 2 && score(a - 1) && name(a - 2) && score(b))
}

/// Whether the name at tokens `a..b` is called a holiday or festival by the words around it:
/// after a determiner and before an event noun, one lower-case word between at most ("the
/// Diwali festival", "the Eid religious holiday").
fn named_as_event(ws: &[&str], a: usize, b: usize) -> bool {
    let determiner = a > 0 && matches!(lower(ws[a - 1]).as_str(), "the" | "this" | "a" | "an");
    let lower_word = |w: &str| w.chars().all(|c| c.is_lowercase());
    determiner
        && (b..ws.len().min(b + 2))
            .take_while(|&i| lower_word(ws[i]))
            .any(|i| EVENT_NOUNS.contains(ws[i]))
}

/// The first token of `a..b` after its leading titles and their periods ("Gen. Sok Sam" → "Sok
/// Sam"); the last token stays whatever it is.
fn past_titles(ws: &[&str], mut a: usize, b: usize) -> usize {
    while a + 1 < b && (is_title(ws[a]) || ws[a] == ".") {
        a += 1;
    }
    a
}

/// Whether `w`, in lower case, is in `list` (lower-case words); no allocation for ASCII words.
fn in_list(w: &str, list: &Words) -> bool {
    if w.is_ascii() {
        list.all()
            .binary_search_by(|e| e.bytes().cmp(w.bytes().map(|b| b.to_ascii_lowercase())))
            .is_ok()
    } else {
        list.contains(&lower(w))
    }
}

fn is_month(t: &str) -> bool {
    crate::calendar::month_name(t).is_some()
}

fn is_year(t: &str) -> bool {
    t.len() == 4
        && t.bytes().all(|b| b.is_ascii_digit())
        && (t.starts_with("19") || t.starts_with("20"))
}

fn is_day(t: &str) -> bool {
    t.len() <= 2
        && t.bytes().all(|b| b.is_ascii_digit())
        && t.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

/// `11November`: a day glued to a month.
fn is_glued_date(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && is_month(&t[digits..])
}

/// Date mentions over a sentence's tokens: `Feb. 20, 2022`, `June 2017`, `January 19, 2022`,
/// `11November 2019`, `Tuesday`, `2017`, `May`. Returns token ranges.
fn dates(words: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        // Days and periods named from the article's own date: "yesterday", "last month", "this
        // year", "next Tuesday" (the weekday alone is found below).
        let l = lower(w);
        if matches!(l.as_str(), "yesterday" | "today" | "tomorrow") {
            out.push((i, i + 1));
            i += 1;
            continue;
        }
        // Not "the last year of the plan".
        let after_the = i > 0 && lower(words[i - 1]) == "the";
        if matches!(l.as_str(), "last" | "this" | "next") && i + 1 < words.len() && !after_the {
            let n = lower(words[i + 1]);
            let period = matches!(n.as_str(), "week" | "month" | "year");
            let weekday = in_list(words[i + 1], &WEEKDAYS) && capital(words[i + 1]);
            if period || weekday {
                out.push((i, i + 2));
                i += 2;
                continue;
            }
        }
        // Dates start with a capital (month, weekday) or a digit.
        if !w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        if in_list(w, &WEEKDAYS) && w.starts_with(char::is_uppercase) {
            end = i + 1;
        } else if (is_month(w) && w.starts_with(char::is_uppercase) && w.len() > 2)
            || is_glued_date(w)
        {
            end = i + 1;
            if end < words.len() && is_day(words[end]) {
                end += 1;
            }
            if end + 1 < words.len() && words[end] == "," && is_year(words[end + 1]) {
                end += 2;
            } else if end < words.len() && is_year(words[end]) {
                end += 1;
            }
            // "May" alone is too often a verb: keep it with a day or a year, or after a
            // preposition ("in May").
            let bare = end == i + 1;
            let after_preposition = i > 0
                && matches!(
                    lower(words[i - 1]).as_str(),
                    "in" | "since"
                        | "last"
                        | "of"
                        | "until"
                        | "by"
                        | "early"
                        | "late"
                        | "mid"
                        | "next"
                        | "this"
                );
            if bare && w.eq_ignore_ascii_case("may") && !after_preposition {
                end = start;
            }
            // A month's name before a capitalised word is a given name: "Jan Kroslak",
            // "June Carter" (but "in June Congress voted").
            let name_next = words.get(end).is_some_and(|n| {
                capital(n) && !is_month(n) && !in_list(n, &WEEKDAYS) && n.chars().count() > 1
            });
            if bare && name_next && !after_preposition {
                end = start;
            }
        } else if is_day(w) && i + 1 < words.len() && is_month(words[i + 1]) {
            end = i + 2;
            if end < words.len() && is_year(words[end]) {
                end += 1;
            }
        } else if is_year(w) {
            end = i + 1;
        }
        if end > start {
            out.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

static HONORIFICS: Words = Words::new(include_str!("../../data/honorifics.txt"));

fn is_honorific(w: &str) -> bool {
    w.len() <= 5 && in_list(w, &HONORIFICS)
}

fn capital(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Token-level conventions on the tagger's output: an honorific is never part of a name and
/// the capitalised words after it are a person (`Mr. Sokha`); a name does not run on into
/// lower-case words (but for joiners such as `of` inside `Ministry of Interior`).
fn conventions(ws: &[&str], tags: &[ner::Tag]) -> Vec<ner::Tag> {
    use ner::Tag;
    let mut t = tags.to_vec();
    for i in 0..ws.len() {
        if is_honorific(ws[i]) {
            t[i] = Tag::O;
            if i + 1 < ws.len() && capital(ws[i + 1]) {
                t[i + 1] = Tag::B(Kind::Per);
                let mut j = i + 2;
                while j < ws.len() && j < i + 4 && capital(ws[j]) && !is_honorific(ws[j]) {
                    t[j] = Tag::I(Kind::Per);
                    j += 1;
                }
                if j < ws.len() {
                    if let Tag::I(_) = t[j] {
                        t[j] = Tag::O;
                    }
                }
            }
        }
    }
    let joiner = |w: &str| {
        matches!(
            w,
            "of" | "de"
                | "in"
                | "on"
                | "at"
                | "and"
                | "the"
                | "for"
                | "&"
                | "du"
                | "van"
                | "von"
                | "der"
                | "den"
                | "la"
                | "le"
                | "da"
                | "di"
                | "del"
                | "dos"
                | "bin"
                | "ibn"
        )
    };
    // "al-Aqsa", "el-Sisi": a particle glued to a capitalised name.
    let particle_name = |w: &str| {
        w.split_once('-').is_some_and(|(p, rest)| {
            (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()) && capital(rest)
        })
    };
    for i in 0..ws.len() {
        let continues = matches!(t[i], Tag::I(_));
        let lower_word =
            ws[i].chars().next().is_some_and(char::is_lowercase) && !particle_name(ws[i]);
        if continues && lower_word {
            // Joiners may come in a row: "Joost van der Westhuizen".
            let mut j = i + 1;
            while j < ws.len() && joiner(ws[j]) && matches!(t[j], Tag::I(_)) {
                j += 1;
            }
            let next_capital = j < ws.len() && capital(ws[j]) && matches!(t[j], Tag::I(_));
            if !(joiner(ws[i]) && next_capital) {
                t[i] = Tag::O;
            }
        }
        if let Tag::B(_) = t[i] {
            if lower_word {
                t[i] = Tag::O;
            }
        }
        // An I after O (after a cut) starts nothing: drop it.
        if let Tag::I(k) = t[i] {
            if i == 0 || t[i - 1].kind() != Some(k) {
                t[i] = if capital(ws[i]) { Tag::B(k) } else { Tag::O };
            }
        }
    }
    t
}

/// An organisation word, or a company form (`Ltd.`, `Inc`), that can end an organisation's name.
fn is_org_head(w: &str) -> bool {
    in_list(w, &ORG_HEADS) || in_list(w.trim_end_matches('.'), &COMPANY_WORDS)
}

/// Lower-case words after a name that make it a place: "Tbong Khmum province", and every name
/// of a list before a plural ("Kratie, Prey Veng and Stung Treng provinces").
fn is_place_noun(w: &str) -> bool {
    matches!(
        w,
        "province"
            | "provinces"
            | "district"
            | "districts"
            | "county"
            | "counties"
            | "prefecture"
            | "prefectures"
    )
}

/// Tokens named as places by the word after them ([`is_place_noun`]): for each such word, the
/// capitalised run just before it, and when the word is a plural, the runs before that one
/// separated by commas or `and`/`or`.
fn place_list(ws: &[&str]) -> Vec<bool> {
    let mut out = vec![false; ws.len()];
    for (k, w) in ws.iter().enumerate() {
        if !is_place_noun(w) {
            continue;
        }
        let plural = w.ends_with('s');
        let mut j = k;
        loop {
            let end = j;
            while j > 0 && capital(ws[j - 1]) {
                j -= 1;
            }
            if j == end {
                break;
            }
            out[j..end].iter_mut().for_each(|t| *t = true);
            if !plural || j == 0 || !matches!(ws[j - 1], "," | "and" | "or") {
                break;
            }
            j -= 1;
            if j > 0 && ws[j - 1] == "," {
                j -= 1;
            }
        }
    }
    out
}

/// Capitalised runs of two words or more (joined by `of`, `and`, `for`, `the`, `&` or a
/// possessive `’s`) whose last word is an organisation word.
fn org_runs(ws: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        if !capital(ws[i]) || is_honorific(ws[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        let mut last_head = None;
        if is_org_head(ws[i]) {
            last_head = Some(i + 1);
        }
        while j < ws.len() {
            let w = ws[j];
            let link = matches!(w, "of" | "and" | "for" | "the" | "&" | "’s" | "'s");
            if capital(w) {
                if is_org_head(w) {
                    last_head = Some(j + 1);
                }
                j += 1;
            } else if matches!(w, "and" | "&")
                && in_list(ws[j - 1].trim_end_matches('.'), &COMPANY_WORDS)
            {
                // Two companies: "Chevron Corp and Texaco Inc".
                break;
            } else if link && j + 1 < ws.len() && capital(ws[j + 1]) {
                j += 1;
            } else {
                break;
            }
        }
        if let Some(end) = last_head {
            // "Sokha’s Cambodia National Rescue Party": a possessor before a name of its own
            // stays outside; "Cambodian People’s Party" keeps its inner possessive.
            let mut start = start;
            if let Some(p) = (start..end).rev().find(|&k| matches!(ws[k], "’s" | "'s")) {
                if ws[p + 1..end].iter().filter(|w| capital(w)).count() >= 2 {
                    start = p + 1;
                }
            }
            // "The Cambodia Daily", "A European Union": articles and other sentence words
            // stay outside the name.
            while start + 1 < end
                && (ws[start].eq_ignore_ascii_case("the") || is_sentence_word(ws[start]))
            {
                start += 1;
            }
            let words = ws[start..end].iter().filter(|w| capital(w)).count();
            if words >= 2 {
                out.push((start, end));
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// The acronyms found in an article (outside headlines in capitals or title case)
/// with the one label they have there: an acronym found with two labels gets none.
fn acronym_labels<'s>(source: &'s str, found: &[(Span, Label, bool)]) -> BTreeMap<&'s str, Label> {
    let mut labels: BTreeMap<&str, Option<Label>> = BTreeMap::new();
    for (s, l, headline) in found {
        let text = &source[s.range()];
        if *headline || *l == Label::Date || !is_acronym(text) {
            continue;
        }
        labels
            .entry(text)
            .and_modify(|seen| {
                if *seen != Some(*l) {
                    *seen = None;
                }
            })
            .or_insert(Some(*l));
    }
    labels
        .into_iter()
        .filter_map(|(t, l)| Some((t, l?)))
        .collect()
}

fn looks_national(text: &str) -> bool {
    let l = lower(text);
    ["ian", "ese", "ish", "ean", "an", "i", "ic", "ch"]
        .iter()
        .any(|s| l.ends_with(s))
        && !text.contains(' ')
}

/// Countries written by their initials.
static COUNTRY_CODES: Words = Words::new(include_str!("../../data/country-codes.txt"));

/// Words that say how a picture was obtained, not who took it.
static CREDIT_MEANS: Words = Words::new(include_str!("../../data/credit-means.txt"));

/// The photographer and the outlet a photo credit names: "Siv Channa/The Cambodia Daily"
/// (photographer first), "AP Photo/Heng Sinith" (outlet first, marked by "Photo"). Offsets are
/// the source's; nothing when the credit has no such shape ("Photo from AFP", "Reuters").
fn credit_names(credit: &crate::Field) -> Vec<(Span, Label)> {
    let text = credit.text();
    let base = credit.span().start;
    let Some(slash) = text.find('/') else {
        return Vec::new();
    };
    // A side of the slash, trimmed, as a span with its words, if they are all capitalised.
    let side = |from: usize, to: usize, max_words: usize| -> Option<(Span, Vec<&str>)> {
        let raw = &text[from..to];
        let lead = raw.len() - raw.trim_start().len();
        let mut t = raw.trim();
        let mut start = from + lead;
        if let Some(rest) = t.strip_prefix("The ") {
            start += t.len() - rest.len();
            t = rest;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let named = (1..=max_words).contains(&words.len())
            && words.iter().all(|w| {
                w.starts_with(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '’' | '\''))
            });
        named.then(|| (Span::new(base + start, base + start + t.len()), words))
    };
    let (left, right) = (0..slash, slash + 1..text.len());
    let left_text = text[left.clone()].trim_end();
    let (person, outlet) = match left_text
        .strip_suffix(" Photo")
        .or_else(|| left_text.strip_suffix(" Photos"))
    {
        Some(outlet) => (
            side(right.start, right.end, 4),
            side(left.start, left.start + outlet.len(), 5),
        ),
        None => (
            side(left.start, left.end, 4),
            side(right.start, right.end, 5),
        ),
    };
    let person = person
        .filter(|(_, words)| words.len() >= 2 && !words.iter().any(|w| in_list(w, &CREDIT_MEANS)));
    (person.map(|(p, _)| (p, Label::Person)).into_iter())
        .chain(outlet.map(|(o, _)| (o, Label::Org)))
        .collect()
}

/// Company forms and organisation words that end or sit inside an organisation's name, never
/// a person's: `Jennings Canadian Ltd.`, `C. Olivetti EC Spa`, `Fed Board`.
static COMPANY_WORDS: Words = Words::new(include_str!("../../data/company-forms.txt"));

/// Adverbs that open a sentence ("Meanwhile, ...", "However").
static SENTENCE_ADVERBS: Words = Words::new(include_str!("../../data/sentence-adverbs.txt"));

/// A capitalised function word or sentence adverb that starts a sentence ("If", "But",
/// "Meanwhile"), not a name.
fn is_sentence_word(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(char::is_lowercase)
        && {
            let l = lower(w);
            crate::analyze::is_stop_word(&l) || SENTENCE_ADVERBS.contains(&l)
        }
        && lists_bits(w) & GIVEN_NAME == 0
}

/// Where a name running over tokens `a..b` starts: a sentence's first word joined on by "of"
/// is capitalised as the first word, and is part of the name only when it is an organisation
/// word ("Bank of England"), not in "Shares of Jennings Canadian Ltd.".
fn past_first_word(ws: &[&str], a: usize, b: usize) -> usize {
    let plain = a == 0
        && b > 2
        && matches!(ws[1], "of" | "for")
        && !in_list(ws[0], &ORG_HEADS)
        && lists_bits(ws[0]) & ORG_WORD == 0;
    if plain {
        2
    } else {
        a
    }
}

/// Not a list's bit: a word of [`KNOWN_ORGS`] ("Labour MPs" is no person).
const KNOWN_ORG: u8 = 64;

/// What a span the tagger reads as a person can be, given the words in it.
#[derive(Debug, PartialEq, Eq)]
enum PersonReading {
    /// A person.
    Person,
    /// A person followed by a place that is no part of the name: "George Shultz China".
    PlaceAfter,
    /// An organisation: a company form or organisation word after the first word.
    Org,
    /// A country or city alone.
    Place,
    /// A nationality alone.
    Nationality,
    /// No name of a type NewsLens knows: a country inside ("Japan Lupinus", a ship).
    None,
}

/// Organisation and place words block a person reading (general-knowledge lists; a word that
/// is also a common given name, "Jordan", does not).
fn person_reading(words: &[&str]) -> PersonReading {
    let bits: Vec<u8> = words
        .iter()
        .map(|w| {
            let l = lower(w.trim_end_matches('.'));
            let m = crate::lexicon::membership(&l);
            let company = if in_list(&l, &COMPANY_WORDS) {
                ORG_WORD
            } else if in_list(&l, &KNOWN_ORGS) {
                KNOWN_ORG
            } else {
                0
            };
            if m & GIVEN_NAME != 0 {
                (m | company) & !(COUNTRY | CITY | NATIONALITY)
            } else {
                m | company
            }
        })
        .collect();
    let n = bits.len();
    if n == 1 {
        return match bits[0] {
            b if b & (COUNTRY | CITY) != 0 => PersonReading::Place,
            b if b & NATIONALITY != 0 => PersonReading::Nationality,
            b if b & (ORG_WORD | KNOWN_ORG) != 0 => PersonReading::Org,
            _ => PersonReading::Person,
        };
    }
    // A known organisation opens a name ("Sony Pictures"); a person's given name may be one
    // ("Ouch Sony").
    if bits[0] & KNOWN_ORG != 0 || bits[1..].iter().any(|b| b & ORG_WORD != 0) {
        return PersonReading::Org;
    }
    let last = bits[n - 1];
    let inner = &bits[..n - 1];
    // A country anywhere but last, or a city inside ("Dollar London Interbank Offered Rates";
    // a first name may be a city's, "Paris Hilton").
    if inner.iter().any(|b| b & COUNTRY != 0) || inner[1..].iter().any(|b| b & CITY != 0) {
        return PersonReading::None;
    }
    if last & COUNTRY != 0 || (n >= 3 && last & CITY != 0) {
        return PersonReading::PlaceAfter;
    }
    PersonReading::Person
}

/// Some word after the first, not a stop word, starts in lower case: the writer capitalised
/// names only, so the tagger may read the case as in body text.
fn cased_like_a_sentence(toks: &[ner::Token<'_>]) -> bool {
    toks.iter().skip(1).any(|t| {
        t.text.chars().next().is_some_and(char::is_lowercase)
            && !crate::analyze::is_stop_word(t.text)
    })
}

/// What a dateline names: the place before a comma or parenthesis ("SAN FRANCISCO, Calif.
/// (AP)"), an outlet in parentheses ("(Reuters)"), a date after the comma ("LONDON, March 3").
fn dateline_names(dateline: &crate::Field) -> Vec<(Span, Label)> {
    let text = dateline.text();
    let base = dateline.span().start;
    let mut out = Vec::new();
    let cut = text.find([',', '(']).unwrap_or(text.len());
    let place = text[..cut].trim_end();
    if place.chars().any(char::is_alphabetic) {
        out.push((Span::new(base, base + place.len()), Label::Gpe));
    }
    if let Some(open) = text.find('(') {
        if let Some(close) = text[open..].find(')') {
            let inner = &text[open + 1..open + close];
            let lead = inner.len() - inner.trim_start().len();
            let outlet = inner.trim();
            if outlet.starts_with(char::is_uppercase) {
                let start = base + open + 1 + lead;
                out.push((Span::new(start, start + outlet.len()), Label::Org));
            }
        }
    }
    let toks = tokenize(&text[cut..]);
    let words: Vec<&str> = toks.iter().map(|t| t.text).collect();
    let dates = dates(&words);
    // The state or country after the comma: "ELIZABETH, N.J.", "FRESNO, Calif. (AP)".
    if words.first() == Some(&",") {
        let end = (1..words.len())
            .find(|&i| !capital(words[i]) || dates.iter().any(|&(a, _)| a == i))
            .unwrap_or(words.len());
        if (2..=4).contains(&end) && !is_month(words[1]) && !WEEKDAYS.contains(&lower(words[1])) {
            let (s, e) = (base + cut + toks[1].start, base + cut + toks[end - 1].end);
            out.push((Span::new(s, e), Label::Gpe));
        }
    }
    for (a, b) in dates {
        let start = base + cut + toks[a].start;
        out.push((Span::new(start, base + cut + toks[b - 1].end), Label::Date));
    }
    out
}

/// Recognises the entity mentions of an article (not yet linked), with a tagger that keeps its
/// word cache from one article to the next.
pub(crate) fn recognize_with(article: &Article, tagger: &mut Tagger<'_>) -> Vec<(Span, Label)> {
    let source = article.source();
    // One document for the tagger: every block's sentences, title first. A dateline names the
    // place a story was filed from ("PHNOM PENH--"), whatever the tagger would make of it
    // (`dateline_names`): it is kept out of the tagger's document, so a wrong guess on its
    // capitals cannot steer the article's later mentions.
    let dateline = article.dateline().map(|d| d.span().start);
    let mut blocks: Vec<(bool, usize, &str)> = Vec::new(); // (is headline, base, text)
    for (f, list) in field_blocks(article).iter().enumerate() {
        for &(base, text) in list {
            if Some(base) != dateline {
                blocks.push((f == 0, base, text));
            }
        }
    }
    let mut sents: Vec<(bool, Vec<ner::Token<'_>>)> = Vec::new();
    for &(headline, base, text) in &blocks {
        let toks: Vec<ner::Token<'_>> = tokenize(text)
            .into_iter()
            .map(|t| ner::Token {
                text: t.text,
                start: t.start + base,
                end: t.end + base,
            })
            .collect();
        for r in sentences(&toks) {
            // A headline cased like a sentence ("Egypt blames Istanbul control tower") tells
            // names apart as body text does; one in capitals or title case does not.
            let shouted = headline && !cased_like_a_sentence(&toks[r.clone()]);
            sents.push((shouted, toks[r].to_vec()));
        }
    }
    let words: Vec<Vec<&str>> = sents
        .iter()
        .map(|(_, t)| t.iter().map(|t| t.text).collect())
        .collect();
    let tags = tagger.tag_document(&words);
    let mut found: Vec<(Span, Label, bool)> = Vec::new();
    // Names the tagger called MISC that are neither a nationality nor an event.
    let mut unread: Vec<(Span, bool)> = Vec::new();
    // Names the article calls a holiday or festival somewhere: events wherever they stand.
    let mut events: BTreeSet<&str> = BTreeSet::new();
    // Names the article speaks of as a company somewhere: never a person there.
    let mut firms: BTreeSet<&str> = BTreeSet::new();
    for (((headline, toks), ws), tags) in sents.iter().zip(&words).zip(&tags) {
        let tags = &conventions(ws, tags);
        let mut taken = vec![false; toks.len()];
        for (a, b) in dates(ws) {
            taken[a..b].iter_mut().for_each(|t| *t = true);
            found.push((
                Span::new(toks[a].start, toks[b - 1].end),
                Label::Date,
                *headline,
            ));
        }
        // A capitalised run ending in an organisation word is one organisation, whatever the
        // tagger made of its parts: "Cambodian People’s Party", "Phnom Penh Municipal Court".
        let mut spans = ner::spans(tags);
        for (mut a, mut b) in org_runs(ws) {
            a = past_first_word(ws, a, b);
            // The tagger's organisation running on past the organisation word keeps its tail:
            // "Patriotic Union of Kurdistan", "Cooperative Bank of Taiwan".
            if let Some(&(_, e, _)) =
                (spans.iter()).find(|s| s.2 == Kind::Org && s.0 <= a && s.1 > b)
            {
                b = e;
            }
            // The tagger's reading of exactly these words as a place or person stands ("West
            // Bank", "Soviet Union") unless a known place comes before the organisation word
            // ("Chiang Mai University").
            let place_first = b - a >= 2 && Gazetteer::bundled().has(&ws[a..b - 1]);
            let tagged_other = (spans.iter())
                .any(|s| (s.0, s.1) == (a, b) && matches!(s.2, Kind::Loc | Kind::Per));
            if tagged_other && !place_first {
                continue;
            }
            if taken[a..b].iter().any(|&t| t) {
                continue;
            }
            taken[a..b].iter_mut().for_each(|t| *t = true);
            found.push((
                Span::new(toks[a].start, toks[b - 1].end),
                Label::Org,
                *headline,
            ));
        }
        let places = place_list(ws);
        // A place followed by an organisation, or by an organisation word, is one organisation:
        // "Phnom Penh Municipal Court". Two places with nothing between them are one place
        // ("Stung Treng" tagged as two).
        let mut merged: Vec<(usize, usize, Kind)> = Vec::new();
        for s in spans.drain(..) {
            if let Some(last) = merged.last_mut() {
                if last.1 == s.0 && last.2 == Kind::Loc && matches!(s.2, Kind::Org | Kind::Loc) {
                    *last = (last.0, s.1, s.2);
                    continue;
                }
            }
            merged.push(s);
        }
        for (mut a, mut b, kind) in merged {
            if kind == Kind::Loc {
                let mut e = b;
                while e < ws.len() && ws[e].starts_with(char::is_uppercase) && !taken[e] {
                    e += 1;
                }
                if e > b && in_list(ws[e - 1], &ORG_HEADS) {
                    b = e;
                    found.push((
                        Span::new(toks[a].start, toks[b - 1].end),
                        Label::Org,
                        *headline,
                    ));
                    continue;
                }
            }
            if taken[a..b].iter().any(|&t| t) {
                continue;
            }
            // Titles and honorifics stay outside the name; so does trailing punctuation.
            if kind == Kind::Per {
                a = past_titles(ws, a, b);
            }
            a = past_first_word(ws, a, b);
            // Sentence words before a name stay outside it: "If Japan", "But Reagan".
            while a + 1 < b
                && (matches!(lower(ws[a]).as_str(), "dear" | "the") || is_sentence_word(ws[a]))
            {
                a += 1;
            }
            // A capitalised word the tagger left out between another name and a person's is
            // the person's first name ("Ambassador to Cambodia Eva Nguyen Binhin"), unless it
            // is a title, a sentence word or a word of the lists (places, nationalities).
            if kind == Kind::Per
                && a > 1
                && tags[a - 1] == ner::Tag::O
                && tags[a - 2] != ner::Tag::O
                && !taken[a - 1]
                && capital(ws[a - 1])
                && ws[a - 1].chars().any(char::is_lowercase)
                && !is_title(ws[a - 1])
                && !is_sentence_word(ws[a - 1])
                && !crate::analyze::is_stop_word(&lower(ws[a - 1]))
                && lists_bits(ws[a - 1]) == 0
            {
                a -= 1;
            }
            let possessive = |w: &str| matches!(w, "’s" | "'s" | "’S" | "'S" | "’" | "'");
            while b > a + 1
                && (!ws[b - 1].chars().any(char::is_alphanumeric) || possessive(ws[b - 1]))
            {
                b -= 1;
            }
            if !ws[a].chars().any(char::is_alphanumeric) {
                continue;
            }
            // A lone stop word or letter ("Their", "C") is no name.
            if b == a + 1
                && (ws[a].chars().count() < 2
                    || crate::analyze::is_stop_word(&lower(ws[a]))
                    || is_sentence_word(ws[a]))
            {
                continue;
            }
            // A title ends no name but a person's: "French Ambassador" is a nationality and a
            // title.
            let mut titled = false;
            while kind != Kind::Per && b > a + 1 && is_title(ws[b - 1]) {
                b -= 1;
                titled = true;
            }
            let mut kind = kind;
            if titled && ws[a..b].iter().all(|w| lists_bits(w) & NATIONALITY != 0) {
                kind = Kind::Misc;
            }
            // A word after a title that is no nationality is a person ("Governor Sokhan").
            if kind == Kind::Misc
                && b == a + 1
                && a > 0
                && is_title(ws[a - 1])
                && lists_bits(ws[a]) & NATIONALITY == 0
            {
                kind = Kind::Per;
            }
            // A title inside a name parts it: what follows is a person ("Excise Commissioner
            // K.R.M. Wijesinghe"); what comes before stays a name of its own when it is a
            // nationality or a country, or more than a word of an organisation.
            if let Some(k) = (a + 1..b.saturating_sub(1))
                .rev()
                .find(|&k| is_title(ws[k]))
            {
                if ws[k + 1..b].iter().all(|w| capital(w))
                    && lists_bits(ws[k + 1]) & (COUNTRY | NATIONALITY) == 0
                {
                    let before = &ws[a..k];
                    let label = if before.iter().all(|w| lists_bits(w) & NATIONALITY != 0) {
                        Some(Label::Norp)
                    } else if before.iter().all(|w| lists_bits(w) & COUNTRY != 0) {
                        Some(Label::Gpe)
                    } else if kind == Kind::Org && k - a >= 2 {
                        Some(Label::Org)
                    } else {
                        None
                    };
                    if let Some(l) = label {
                        let span = Span::new(toks[a].start, toks[k - 1].end);
                        found.push((span, l, *headline));
                    }
                    a = k + 1;
                    kind = Kind::Per;
                }
            }
            // "Interior Minister": a portfolio before a title is part of the title.
            let title_next =
                b < ws.len() && matches!(lower(ws[b]).as_str(), "minister" | "secretary");
            if b == a + 1 && kind == Kind::Org && title_next {
                continue;
            }
            // A name the next words call a province or district is a place, whatever the
            // tagger made of it.
            if places[a..b].iter().all(|&p| p) {
                kind = Kind::Loc;
            }
            if kind == Kind::Per {
                match person_reading(&ws[a..b]) {
                    PersonReading::Person => {}
                    PersonReading::PlaceAfter => {
                        found.push((
                            Span::new(toks[b - 1].start, toks[b - 1].end),
                            Label::Gpe,
                            *headline,
                        ));
                        b -= 1;
                    }
                    PersonReading::Org => kind = Kind::Org,
                    PersonReading::Place => kind = Kind::Loc,
                    PersonReading::Nationality => kind = Kind::Misc,
                    PersonReading::None => continue,
                }
            }
            // Countries the tagger calls an organisation, before a lower-case word, are places:
            // "Germany beat France". A town may be its club ("Leeds manager").
            let country = ws[a..b].iter().all(|w| lists_bits(w) & COUNTRY != 0);
            if kind == Kind::Org && b < ws.len() && ws[b].starts_with(char::is_lowercase) && country
            {
                kind = Kind::Loc;
            }
            // A town on a fixture or result line is its club ("Leeds v Chelsea"); a country
            // there stays a place, as national sides are named.
            if kind == Kind::Loc && is_fixture_side(ws, a, b) && !country {
                kind = Kind::Org;
            }
            let text = &source[toks[a].start..toks[b - 1].end];
            if named_as_event(ws, a, b) {
                events.insert(text);
            }
            if matches!(kind, Kind::Per | Kind::Org) && named_as_company(ws, a, b) {
                firms.insert(text);
            }
            let label = match kind {
                Kind::Per => Label::Person,
                Kind::Org => Label::Org,
                Kind::Loc => Label::Gpe,
                Kind::Misc => {
                    let l = lower(text);
                    if l.split_whitespace().any(|w| EVENT_WORDS.contains(w)) {
                        Label::Event
                    } else if looks_national(text) {
                        Label::Norp
                    } else {
                        // Neither: perhaps a person the article names elsewhere.
                        let a = past_titles(ws, a, b);
                        unread.push((Span::new(toks[a].start, toks[b - 1].end), *headline));
                        continue;
                    }
                }
            };
            // Well-known organisations named by one word ("Facebook") are not people; a
            // country's initials ("US", "UK") are the country.
            let label = if b == a + 1 && in_list(ws[a], &KNOWN_ORGS) {
                Label::Org
            } else if b == a + 1 && COUNTRY_CODES.contains(ws[a]) {
                Label::Gpe
            } else {
                label
            };
            found.push((Span::new(toks[a].start, toks[b - 1].end), label, *headline));
        }
    }
    if let Some(d) = article.dateline() {
        found.extend(dateline_names(d).into_iter().map(|(s, l)| (s, l, false)));
    }
    // What the article says of a name anywhere holds at each of its mentions: a holiday is an
    // event, a company no person.
    for (s, l, _) in found.iter_mut() {
        if events.contains(&source[s.range()]) {
            *l = Label::Event;
        } else if *l == Label::Person && firms.contains(&source[s.range()]) {
            *l = Label::Org;
        }
    }
    // A name the tagger called neither a nationality nor an event is a person when its last
    // word is a person the article names ("CNRP chief whip Son Chhay" beside "Mr. Chhay").
    let person_words: BTreeSet<&str> = (found.iter())
        .filter(|(_, l, h)| !h && *l == Label::Person)
        .filter_map(|(s, _, _)| source[s.range()].split_whitespace().last())
        .collect();
    for (s, h) in unread {
        let text = &source[s.range()];
        if events.contains(text) {
            found.push((s, Label::Event, h));
        } else if (text.split_whitespace().last()).is_some_and(|w| person_words.contains(w)) {
            found.push((s, Label::Person, h));
        }
    }
    // An organisation run into a name the article gives a person elsewhere is that person,
    // after an acronym the article names alone ("CNRP Kem Sokha": the two) or after a title
    // ("Interior Minister Sar Kheng": the title stays outside).
    let acronyms = acronym_labels(source, &found);
    let people: BTreeSet<&str> = (found.iter())
        .filter(|(_, l, h)| !h && *l == Label::Person)
        .map(|(s, _, _)| &source[s.range()])
        .collect();
    let mut split = Vec::new();
    for (s, l, h) in found.iter_mut() {
        if *l != Label::Org {
            continue;
        }
        let text = &source[s.range()];
        let Some(cut) = (text.match_indices(' ').map(|(i, _)| i))
            .find(|&i| people.contains(text[i..].trim_start()))
        else {
            continue;
        };
        let (before, rest) = (text[..cut].trim_end(), text[cut..].trim_start());
        let person = Span::new(s.end - rest.len(), s.end);
        if !before.contains(' ') && acronyms.get(before) == Some(&Label::Org) {
            split.push((person, Label::Person, *h));
            *s = Span::new(s.start, s.start + before.len());
        } else if before.rsplit(' ').next().is_some_and(is_title) {
            (*s, *l) = (person, Label::Person);
        }
    }
    found.append(&mut split);
    // A well-known organisation's one-word name is one wherever it is capitalised, even where
    // the tagger passed it by ("Labour said"). Overlap with what was found is looked up in the
    // spans sorted by start, with the furthest end so far (so a long article costs n log n).
    let mut spans: Vec<Span> = found.iter().map(|(s, _, _)| *s).collect();
    spans.sort_unstable();
    let reach: Vec<usize> = (spans.iter())
        .scan(0, |end, s| {
            *end = s.end.max(*end);
            Some(*end)
        })
        .collect();
    let covered = |s: &Span| {
        let before = spans.partition_point(|f| f.start < s.end);
        before > 0 && reach[before - 1] > s.start
    };
    // So is an acronym the article itself names with one label wherever else it has it
    // ("CNRP Vice President Kem Sokha", "CPP spokesman Sok Eysan" at a sentence's start, where
    // the tagger reads capitals least reliably).
    let mut named = Vec::new();
    for ((headline, toks), ws) in sents.iter().zip(&words) {
        for (t, w) in toks.iter().zip(ws) {
            let span = Span::new(t.start, t.end);
            if covered(&span) {
                continue;
            }
            if capital(w) && in_list(w, &KNOWN_ORGS) {
                named.push((span, Label::Org, *headline));
            } else if let Some(&label) = acronyms.get(*w) {
                named.push((span, label, *headline));
            }
        }
    }
    found.append(&mut named);
    // Photo credits name a photographer and an outlet, whatever the tagger made of them.
    for credit in article.captions().iter().flat_map(|c| &c.credits) {
        for (name, label) in credit_names(credit) {
            found.retain(|(s, _, _)| s.end <= name.start || s.start >= name.end);
            found.push((name, label, false));
        }
    }
    // Words of a headline in capitals or title case are names only when the rest of the
    // article names them too.
    let body_words: BTreeSet<String> = found
        .iter()
        .filter(|(_, l, h)| !h && *l != Label::Date)
        .flat_map(|(s, _, _)| {
            source[s.range()]
                .split_whitespace()
                .map(lower)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut out: Vec<(Span, Label)> = found
        .into_iter()
        .filter(|(s, l, headline)| {
            !headline
                || *l == Label::Date
                || source[s.range()]
                    .split_whitespace()
                    .all(|w| body_words.contains(&lower(w)))
        })
        .map(|(s, l, _)| (s, l))
        .collect();
    out.sort_by_key(|(s, _)| *s);
    out.dedup_by_key(|(s, _)| *s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_and_place_words_block_a_person_reading() {
        use PersonReading::*;
        let cases: &[(&str, PersonReading)] = &[
            ("Kem Sokha", Person),
            ("Jordan Henderson", Person),
            ("Japan Lupinus", None),
            ("Dollar London Interbank Offered Rates", None),
            ("Jennings Canadian Ltd.", Org),
            ("C. Olivetti EC Spa", Org),
            ("Fed Board", Org),
            ("Labour MPs", Org),
            ("George Shultz China", PlaceAfter),
            ("Shultz China", PlaceAfter),
            ("George Shultz Paris", PlaceAfter),
            ("Japan", Place),
            ("Canadian", Nationality),
            ("Sydney", Place),
            ("Paris Hilton", Person),
        ];
        for (text, want) in cases {
            let words: Vec<&str> = text.split(' ').collect();
            assert_eq!(person_reading(&words), *want, "{text}");
        }
    }

    #[test]
    fn a_dateline_names_its_place_outlet_and_date() {
        let cases: &[(&str, &[(&str, Label)])] = &[
            (
                "PHNOM PENH--The talks stalled.",
                &[("PHNOM PENH", Label::Gpe)],
            ),
            (
                "WASHINGTON (Reuters) - Officials met.",
                &[("WASHINGTON", Label::Gpe), ("Reuters", Label::Org)],
            ),
            (
                "LONDON, March 3 - Ministers met.",
                &[("LONDON", Label::Gpe), ("March 3", Label::Date)],
            ),
            (
                "SAN FRANCISCO, Calif. (AP) — It rained.",
                &[
                    ("SAN FRANCISCO", Label::Gpe),
                    ("AP", Label::Org),
                    ("Calif.", Label::Gpe),
                ],
            ),
            (
                "ELIZABETH, N.J. - Police said.",
                &[("ELIZABETH", Label::Gpe), ("N.J.", Label::Gpe)],
            ),
        ];
        for (line, want) in cases {
            let a = crate::parse_text(&format!("Talks\n\n{line}\n")).unwrap();
            let d = a.dateline().unwrap();
            let got: Vec<(&str, Label)> = dateline_names(d)
                .into_iter()
                .map(|(s, l)| (&a.source()[s.range()], l))
                .collect();
            assert_eq!(got, *want, "{line}");
        }
    }

    #[test]
    fn date_mentions() {
        // (sentence, the dates found)
        let cases: &[(&str, &[&str])] = &[
            (
                "He left on Feb. 20 , 2022 and came back in June 2017 .",
                &["Feb. 20 , 2022", "June 2017"],
            ),
            (
                "Works began last month and end next year .",
                &["last month", "next year"],
            ),
            (
                "She said yesterday that this week was hard .",
                &["yesterday", "this week"],
            ),
            (
                "They met last Wednesday , not Monday .",
                &["last Wednesday", "Monday"],
            ),
            ("Talks ended in May .", &["May"]),
            ("May I ask ?", &[]),
            ("Jan Kowalski won in 1998 .", &["1998"]),
            ("The last year of the plan", &[]),
            ("This is the last straw .", &[]),
        ];
        for (sentence, want) in cases {
            let ws: Vec<&str> = sentence.split(' ').collect();
            let got: Vec<String> = (dates(&ws).into_iter())
                .map(|(a, b)| ws[a..b].join(" "))
                .collect();
            assert_eq!(got, *want, "{sentence}");
        }
    }

    #[test]
    fn names_before_province_or_district_are_places() {
        // (sentence, the words named as places)
        let cases: &[(&str, &[&str])] = &[
            (
                "across Kratie , Prey Veng , Stung Treng and Tbong Khmum provinces .",
                &["Kratie", "Prey", "Veng", "Stung", "Treng", "Tbong", "Khmum"],
            ),
            ("in Tbong Khmum province , he said", &["Tbong", "Khmum"]),
            // A singular names only the run just before it.
            ("Sokha and Kandal province", &["Kandal"]),
            ("the province of Kampot", &[]),
            ("Kem Sokha said provinces", &[]),
        ];
        for (text, want) in cases {
            let ws: Vec<&str> = text.split(' ').collect();
            let got: Vec<&str> = (ws.iter().zip(place_list(&ws)))
                .filter(|(_, p)| *p)
                .map(|(w, _)| *w)
                .collect();
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn sentence_words_are_function_words_in_title_case() {
        for (w, want) in [
            ("If", true),
            ("But", true),
            ("Meanwhile", true),
            ("However", true),
            ("A", true),
            ("US", false),
            ("Kem", false),
        ] {
            assert_eq!(is_sentence_word(w), want, "{w}");
        }
    }

    #[test]
    fn photo_credits_name_a_photographer_and_an_outlet() {
        // (credit, the names it gives)
        let cases: &[(&str, &[(&str, Label)])] = &[
            (
                "Siv Channa/The Cambodia Daily",
                &[
                    ("Siv Channa", Label::Person),
                    ("Cambodia Daily", Label::Org),
                ],
            ),
            (
                "AP Photo/Heng Sinith",
                &[("Heng Sinith", Label::Person), ("AP", Label::Org)],
            ),
            (
                "Reuters Photos / Samrang Pring",
                &[("Samrang Pring", Label::Person), ("Reuters", Label::Org)],
            ),
            ("Supplied/Khmer Times", &[("Khmer Times", Label::Org)]),
            ("Facebook Photo/Staff", &[("Facebook", Label::Org)]),
            ("Photo from AFP", &[]),
            ("Ma Chettra", &[]),
            ("Handout/AFP", &[("AFP", Label::Org)]),
        ];
        for (credit, want) in cases {
            let text = format!(
                "Headline\n\nBody text.\n\nPolice guard the court in Phnom Penh on Monday. ({credit})\n"
            );
            let a = crate::parse_text(&text).unwrap();
            let field = &a.captions()[0].credits[0];
            assert_eq!(field.text(), *credit);
            let got: Vec<(&str, Label)> = credit_names(field)
                .into_iter()
                .map(|(s, l)| (&a.source()[s.range()], l))
                .collect();
            assert_eq!(got, *want, "{credit}");
        }
    }
}
