//! Entities in articles: recognition (the tagger plus date rules and span conventions) and
//! linking of mentions to canonical entities across an article and a corpus.
//!
//! Span conventions (OntoNotes): honorifics and titles stay outside names (`Mr.`, `Prime
//! Minister`), so does a possessive `’s`; an organisation named after a place is one span
//! (`Phnom Penh Municipal Court`); capitalised headline words are names only when the body
//! names them too.

use crate::article::{field_blocks, Article, Span};
use crate::hash::{FxMap, FxSet};
use crate::ner::{self, sentences, tokenize, Kind, Model, Tagger};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Entity labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Label {
    /// People.
    #[serde(rename = "PERSON")]
    Person,
    /// Organisations.
    #[serde(rename = "ORG")]
    Org,
    /// Countries, cities, provinces and other places.
    #[serde(rename = "GPE")]
    Gpe,
    /// Dates: calendar dates, months, years, weekdays.
    #[serde(rename = "DATE")]
    Date,
    /// Nationalities and groups.
    #[serde(rename = "NORP")]
    Norp,
    /// Named events.
    #[serde(rename = "EVENT")]
    Event,
}

impl Label {
    /// The label's name: `PERSON`, `ORG`, `GPE`, `DATE`, `NORP`, `EVENT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Org => "ORG",
            Label::Gpe => "GPE",
            Label::Date => "DATE",
            Label::Norp => "NORP",
            Label::Event => "EVENT",
        }
    }

    /// Every label.
    pub const ALL: [Label; 6] = [
        Label::Person,
        Label::Org,
        Label::Gpe,
        Label::Date,
        Label::Norp,
        Label::Event,
    ];

    /// The label named `name` (`PERSON`, `ORG`, `GPE`, `DATE`, `NORP`, `EVENT`, any case).
    pub fn from_name(name: &str) -> Option<Label> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// A mention of an entity in an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// Where it is in [`Article::source`].
    #[serde(flatten)]
    pub span: Span,
    /// Its label.
    pub label: Label,
    /// The canonical name of the entity it refers to.
    pub entity: String,
}

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
/// Titles and honorifics kept outside person names.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "president",
    "minister",
    "premier",
    "prime",
    "king",
    "queen",
    "prince",
    "princess",
    "general",
    "gen",
    "judge",
    "senator",
    "governor",
    "mayor",
    "deputy",
    "vice",
    "ambassador",
    "interior",
    "foreign",
    "finance",
    "defense",
    "defence",
    "chief",
    "secretary",
    "spokesman",
    "spokeswoman",
    "lawmaker",
    "leader",
];
/// Words that make a capitalised run an organisation (the last few name newspapers and news
/// services: "The Cambodia Daily", "Associated Press").
const ORG_HEADS: &[&str] = &[
    "party",
    "ministry",
    "court",
    "university",
    "college",
    "council",
    "committee",
    "commission",
    "association",
    "union",
    "bank",
    "assembly",
    "parliament",
    "agency",
    "department",
    "institute",
    "government",
    "police",
    "army",
    "alliance",
    "front",
    "movement",
    "foundation",
    "daily",
    "post",
    "times",
    "herald",
    "tribune",
    "gazette",
    "journal",
    "press",
];
/// Organisations of general knowledge named by one word, which the tagger (trained on 1990s
/// news) may take for people or places.
const KNOWN_ORGS: &[&str] = &[
    "facebook",
    "twitter",
    "youtube",
    "google",
    "tiktok",
    "telegram",
    "whatsapp",
    "instagram",
    "microsoft",
    "reuters",
    "afp",
    "xinhua",
    "unicef",
    "unesco",
    "nato",
    "asean",
    "interpol",
    // Political parties named by one word.
    "labour",
    "tories",
    "tory",
    "ukip",
    "snp",
    "likud",
    "kuomintang",
    "bjp",
    "anc",
    "fidesz",
    "syriza",
    "podemos",
];
const EVENT_WORDS: &[&str] = &[
    "war",
    "games",
    "olympics",
    "cup",
    "championship",
    "festival",
    "summit",
    "election",
    "elections",
    "conference",
    "revolution",
    "ben",
];

fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.chars().flat_map(char::to_lowercase).collect()
    }
}

/// Whether `w`, in lower case, is in `list` (lower-case words); no allocation for ASCII words.
fn in_list(w: &str, list: &[&str]) -> bool {
    if w.is_ascii() {
        list.iter().any(|x| x.eq_ignore_ascii_case(w))
    } else {
        list.contains(&lower(w).as_str())
    }
}

fn is_month(t: &str) -> bool {
    crate::parse::date::month_name(t).is_some()
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
        // Dates start with a capital (month, weekday) or a digit.
        if !w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        if in_list(w, WEEKDAYS) && w.starts_with(char::is_uppercase) {
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

const HONORIFICS: &[&str] = &[
    "mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "miss", "madam",
];

fn is_honorific(w: &str) -> bool {
    w.len() <= 5 && in_list(w, HONORIFICS)
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
    in_list(w, ORG_HEADS) || in_list(w.trim_end_matches('.'), COMPANY_WORDS)
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

fn looks_national(text: &str) -> bool {
    let l = lower(text);
    ["ian", "ese", "ish", "ean", "an", "i", "ic", "ch"]
        .iter()
        .any(|s| l.ends_with(s))
        && !text.contains(' ')
}

/// Countries written by their initials.
const COUNTRY_CODES: &[&str] = &["US", "USA", "UK", "UAE", "DRC", "PRC", "ROK", "DPRK"];

/// Words that say how a picture was obtained, not who took it.
const CREDIT_WORDS: &[&str] = &[
    "photo",
    "photos",
    "file",
    "handout",
    "supplied",
    "courtesy",
    "staff",
    "stringer",
    "pool",
    "contributed",
    "facebook",
    "via",
];

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
        .filter(|(_, words)| words.len() >= 2 && !words.iter().any(|w| in_list(w, CREDIT_WORDS)));
    (person.map(|(p, _)| (p, Label::Person)).into_iter())
        .chain(outlet.map(|(o, _)| (o, Label::Org)))
        .collect()
}

/// Company forms and organisation words that end or sit inside an organisation's name, never
/// a person's: `Jennings Canadian Ltd.`, `C. Olivetti EC Spa`, `Fed Board`.
const COMPANY_WORDS: &[&str] = &[
    "ab", "ag", "as", "bhd", "bv", "co", "corp", "gmbh", "inc", "kk", "llc", "llp", "lp", "ltd",
    "nv", "oy", "plc", "pty", "sa", "spa", "srl",
];

/// A capitalised function word that starts a sentence ("If", "But", "When"), not a name.
fn is_sentence_word(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(char::is_lowercase)
        && crate::analyze::is_stop_word(&lower(w))
        && lists_bits(w) & GIVEN_NAME == 0
}

/// The general-knowledge lists holding a word (any case, a final period aside).
fn lists_bits(w: &str) -> u8 {
    crate::ner::lists::membership(&lower(w.trim_end_matches('.')))
}

/// Where a name running over tokens `a..b` starts: a sentence's first word joined on by "of"
/// is capitalised as the first word, and is part of the name only when it is an organisation
/// word ("Bank of England"), not in "Shares of Jennings Canadian Ltd.".
fn past_first_word(ws: &[&str], a: usize, b: usize) -> usize {
    let plain = a == 0
        && b > 2
        && matches!(ws[1], "of" | "for")
        && !in_list(ws[0], ORG_HEADS)
        && lists_bits(ws[0]) & ORG_WORD == 0;
    if plain {
        2
    } else {
        a
    }
}

/// Bits of [`crate::ner::lists::membership`].
const COUNTRY: u8 = 1;
const CITY: u8 = 2;
const NATIONALITY: u8 = 4;
const ORG_WORD: u8 = 8;
const GIVEN_NAME: u8 = 32;
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
            let m = crate::ner::lists::membership(&l);
            let company = if in_list(&l, COMPANY_WORDS) {
                ORG_WORD
            } else if in_list(&l, KNOWN_ORGS) {
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
    if bits.iter().any(|b| b & KNOWN_ORG != 0) || bits[1..].iter().any(|b| b & ORG_WORD != 0) {
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
    for (a, b) in dates(&words) {
        let start = base + cut + toks[a].start;
        out.push((Span::new(start, base + cut + toks[b - 1].end), Label::Date));
    }
    out
}

/// Recognises entity mentions in an article (not yet linked).
pub fn recognize(article: &Article, model: &Model) -> Vec<(Span, Label)> {
    recognize_with(article, &mut Tagger::new(model))
}

/// [`recognize`] with a tagger that keeps its word cache from one article to the next.
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
            sents.push((headline, toks[r].to_vec()));
        }
    }
    let words: Vec<Vec<&str>> = sents
        .iter()
        .map(|(_, t)| t.iter().map(|t| t.text).collect())
        .collect();
    let tags = tagger.tag_document(&words);
    let mut found: Vec<(Span, Label, bool)> = Vec::new();
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
        for (mut a, b) in org_runs(ws) {
            a = past_first_word(ws, a, b);
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
        let mut spans = ner::spans(tags);
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
                if e > b && in_list(ws[e - 1], ORG_HEADS) {
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
                while a + 1 < b && (in_list(ws[a], TITLES) || ws[a] == ".") {
                    a += 1;
                }
            }
            a = past_first_word(ws, a, b);
            // Sentence words before a name stay outside it: "If Japan", "But Reagan".
            while a + 1 < b
                && (matches!(lower(ws[a]).as_str(), "dear" | "the") || is_sentence_word(ws[a]))
            {
                a += 1;
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
                && (ws[a].chars().count() < 2 || crate::analyze::is_stop_word(&lower(ws[a])))
            {
                continue;
            }
            // "Interior Minister": a portfolio before a title is part of the title.
            let title_next = b < ws.len()
                && matches!(
                    lower(ws[b]).as_str(),
                    "minister" | "secretary" | "spokesman" | "spokeswoman"
                );
            if b == a + 1 && kind == Kind::Org && title_next {
                continue;
            }
            let mut kind = kind;
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
            // Known places the tagger calls an organisation, before a lower-case word, are
            // places: "the party’s Phnom Penh headquarters", "Germany beat France".
            if kind == Kind::Org
                && b < ws.len()
                && ws[b].starts_with(char::is_lowercase)
                && ws[a..b]
                    .iter()
                    .all(|w| lists_bits(w) & (COUNTRY | CITY) != 0)
            {
                kind = Kind::Loc;
            }
            let text = &source[toks[a].start..toks[b - 1].end];
            let label = match kind {
                Kind::Per => Label::Person,
                Kind::Org => Label::Org,
                Kind::Loc => Label::Gpe,
                Kind::Misc => {
                    let l = lower(text);
                    if l.split_whitespace().any(|w| EVENT_WORDS.contains(&w)) {
                        Label::Event
                    } else if looks_national(text) {
                        Label::Norp
                    } else {
                        continue;
                    }
                }
            };
            // Well-known organisations named by one word ("Facebook") are not people; a
            // country's initials ("US", "UK") are the country.
            let label = if b == a + 1 && in_list(ws[a], KNOWN_ORGS) {
                Label::Org
            } else if b == a + 1 && COUNTRY_CODES.contains(&ws[a]) {
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
    let mut named = Vec::new();
    for ((headline, toks), ws) in sents.iter().zip(&words) {
        for (t, w) in toks.iter().zip(ws) {
            let span = Span::new(t.start, t.end);
            if capital(w) && in_list(w, KNOWN_ORGS) && !covered(&span) {
                named.push((span, Label::Org, *headline));
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
    // Headline words in capitals are names only when the rest of the article names them too.
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

/// Initials of a name's capitalised words: `Cambodian People’s Party` → `CPP`.
fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| w.starts_with(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Every letter a capital, and some letter.
fn is_capitals(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

fn is_acronym(s: &str) -> bool {
    (2..=6).contains(&s.chars().count()) && s.chars().all(|c| c.is_uppercase())
}

/// A distinct mention text of a corpus: its lower case and its words.
struct Name<'a> {
    text: &'a str,
    lower: String,
    words: Vec<&'a str>,
}

fn words_of(s: &str) -> Vec<&str> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect()
}

/// A country, city or province, or a nationality (general-knowledge lists).
fn is_place_word(w: &str) -> bool {
    lists_bits(w) & (COUNTRY | CITY | NATIONALITY) != 0
}

/// How much the rest of a corpus weighs in the label of a name, against one mention of it in
/// the article at hand: the share of the other articles naming it that give it each label,
/// times this. Below one, the corpus only settles what the article leaves even (one mention a
/// place, one an organisation); an article's own evidence always decides, so its entities are
/// the same alone as inside an archive unless it is split. Chosen by 5-fold cross-validation
/// by document on CoNLL-2003 `eng.train` (`newslens cv-ner`): every weight below one scores
/// the same, 1.5 and more score lower (0.836 -> 0.835, 0.830, 0.826 at 1.5, 3, 6).
const CORPUS_WEIGHT: f32 = 0.75;

/// The label of every mention: the labels its name (any case) was given in its own article,
/// plus [`CORPUS_WEIGHT`] times the shares of the labels the other articles naming it give it.
/// A name written in capitals (a dateline, a headline, a results table) takes no advice from
/// the corpus: its case says nothing, and a city's name in capitals is a team as often as a
/// place. A tie keeps the tagger's label, or goes to a place when every word is a known place
/// name.
fn decide_labels(
    articles: &[(&Article, Vec<(Span, Label)>)],
    named: &[Vec<u32>],
    names: &[Name<'_>],
) -> Vec<Vec<Label>> {
    const N: usize = Label::ALL.len();
    // Names by their lower case.
    let mut lower_ids: FxMap<&str, u32> = FxMap::default();
    let lid: Vec<u32> = names
        .iter()
        .map(|n| {
            let next = lower_ids.len() as u32;
            *lower_ids.entry(n.lower.as_str()).or_insert(next)
        })
        .collect();
    let capitals: Vec<bool> = names.iter().map(|n| is_capitals(n.text)).collect();
    // Each article's votes per name, and how many articles give each name each label most.
    let mut local: Vec<FxMap<u32, [f32; N]>> = Vec::with_capacity(articles.len());
    let mut share: FxMap<u32, ([f32; N], f32)> = FxMap::default();
    let top = |v: &[f32; N]| -> Option<usize> {
        let best = v.iter().copied().fold(0.0f32, f32::max);
        let mut at = v.iter().enumerate().filter(|(_, &x)| x == best && x > 0.0);
        match (at.next(), at.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    };
    for ((_, ms), ns) in articles.iter().zip(named) {
        let mut votes: FxMap<u32, [f32; N]> = FxMap::default();
        for (&(_, l), &id) in ms.iter().zip(ns) {
            if l != Label::Date {
                votes.entry(lid[id as usize]).or_insert([0.0; N])[l as usize] += 1.0;
            }
        }
        for (&n, v) in &votes {
            let e = share.entry(n).or_insert(([0.0; N], 0.0));
            e.1 += 1.0;
            if let Some(i) = top(v) {
                e.0[i] += 1.0;
            }
        }
        local.push(votes);
    }
    (articles.iter().zip(named).zip(&local))
        .map(|(((_, ms), ns), votes)| {
            (ms.iter().zip(ns))
                .map(|(&(_, l), &id)| {
                    if l == Label::Date {
                        return l;
                    }
                    let n = lid[id as usize];
                    let mut score = votes.get(&n).copied().unwrap_or([0.0; N]);
                    let corpus = share.get(&n).filter(|_| !capitals[id as usize]);
                    if let Some(&(mut shares, mut count)) = corpus {
                        // The other articles only.
                        count -= 1.0;
                        if let Some(i) = top(&score) {
                            shares[i] -= 1.0;
                        }
                        if count > 0.0 {
                            for (s, x) in score.iter_mut().zip(shares) {
                                *s += CORPUS_WEIGHT * x / count;
                            }
                        }
                    }
                    let best = score.iter().copied().fold(0.0f32, f32::max);
                    let near = |k: Label| (score[k as usize] - best).abs() < 1e-4;
                    let words = &names[id as usize].words;
                    if near(Label::Gpe) && near(l) && l != Label::Gpe {
                        let all_places = !words.is_empty()
                            && words.iter().all(|w| lists_bits(w) & (COUNTRY | CITY) != 0);
                        if all_places {
                            return Label::Gpe;
                        }
                    }
                    if near(l) {
                        return l;
                    }
                    Label::ALL
                        .into_iter()
                        .find(|&k| near(k) && k != Label::Date)
                        .unwrap_or(l)
                })
                .collect()
        })
        .collect()
}

/// Links the mentions of a corpus's articles to canonical entities.
///
/// People: a short form (`Sokha`, `Mr. Sokha`'s `Sokha`) links to the one full name of its
/// article that contains it as whole words (`Kem Sokha`) — whatever the word order, since Khmer
/// names put the family name first — else to the one such full name in the corpus. Two
/// candidates (two people named Khem) leave the short form as it is. Organisations: an acronym
/// links to the full name it is defined by (`Cambodia National Rescue Party (CNRP)`) or whose
/// initials it spells (`CPP` = `Cambodian People’s Party`).
pub fn link(articles: &[(&Article, Vec<(Span, Label)>)]) -> Vec<Vec<Mention>> {
    // Each distinct mention text is looked at once, however often the corpus repeats it: its
    // lower case and its words are computed once, and each mention refers to it by number.
    let mut names: Vec<Name<'_>> = Vec::new();
    let mut ids: FxMap<&str, u32> = FxMap::default();
    let named: Vec<Vec<u32>> = articles
        .iter()
        .map(|(a, ms)| {
            ms.iter()
                .map(|(s, _)| {
                    let text = &a.source()[s.range()];
                    *ids.entry(text).or_insert_with(|| {
                        names.push(Name {
                            text,
                            lower: lower(text),
                            words: words_of(text),
                        });
                        (names.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    drop(ids);
    let name = |id: u32| &names[id as usize];
    let labels = decide_labels(articles, &named, &names);
    // A one-word mention is the person its article names in full ("Sokha" beside "Kem
    // Sokha", whatever the tagger made of it in a headline) when exactly one of that article's
    // person names holds the word, and the word is no place or nationality ("Washington" beside
    // "George Washington" stays as it was).
    let labels: Vec<Vec<Label>> = (named.iter().zip(labels))
        .map(|(ns, mut ls)| {
            // Each word of the article's full person names: the one name holding it, or None
            // when two different names do.
            let mut holders: FxMap<&str, Option<u32>> = FxMap::default();
            for (&id, &l) in ns.iter().zip(&ls) {
                if l == Label::Person && name(id).words.len() >= 2 {
                    for &w in &name(id).words {
                        let e = holders.entry(w).or_insert(Some(id));
                        if *e != Some(id) {
                            *e = None;
                        }
                    }
                }
            }
            for (&id, l) in ns.iter().zip(ls.iter_mut()) {
                let n = name(id);
                if n.words.len() != 1 || matches!(*l, Label::Person | Label::Date) {
                    continue;
                }
                let w = n.words[0];
                if matches!(holders.get(w), Some(Some(_))) && !is_place_word(w) {
                    *l = Label::Person;
                }
            }
            ls
        })
        .collect();
    // Full names (two words or more): people per article, people and organisations corpus-wide.
    let mut article_people: Vec<Vec<u32>> = Vec::with_capacity(articles.len());
    let mut full_people: FxSet<u32> = FxSet::default();
    let mut full_orgs: FxSet<u32> = FxSet::default();
    let mut acronyms: FxMap<&str, &str> = FxMap::default();
    // Per name: the articles naming it, its mentions, and the last article counted.
    let mut support: Vec<(u32, u32, usize)> = vec![(0, 0, usize::MAX); names.len()];
    let mut article_orgs: Vec<Vec<u32>> = Vec::with_capacity(articles.len());
    for (doc, (((a, ms), ns), ls)) in articles.iter().zip(&named).zip(&labels).enumerate() {
        let mut people = Vec::new();
        let mut orgs = Vec::new();
        for ((s, &id), &l) in ms.iter().zip(ns).zip(ls) {
            let n = name(id);
            let e = &mut support[id as usize];
            e.1 += 1;
            if e.2 != doc {
                e.0 += 1;
                e.2 = doc;
            }
            if n.words.len() >= 2 {
                match l {
                    Label::Person => {
                        people.push(id);
                        full_people.insert(id);
                    }
                    Label::Org => {
                        full_orgs.insert(id);
                        orgs.push(id);
                    }
                    _ => {}
                }
            }
            // "Full Name (ACRO)": the acronym is an alias.
            if l == Label::Org {
                let after = a.source()[s.0.end..].trim_start();
                if let Some(rest) = after.strip_prefix('(') {
                    if let Some((acro, _)) = rest.split_once(')') {
                        if is_acronym(acro) && n.words.len() >= 2 {
                            acronyms.insert(acro, n.text);
                        }
                    }
                }
            }
        }
        people.sort_unstable();
        people.dedup();
        article_people.push(people);
        orgs.sort_unstable();
        orgs.dedup();
        article_orgs.push(orgs);
    }
    // Each word of a full person name, with the names it is part of.
    let mut person_names: FxMap<&str, Vec<u32>> = FxMap::default();
    for &id in &full_people {
        for &w in &name(id).words {
            person_names.entry(w).or_default().push(id);
        }
    }
    for v in person_names.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    // Initials as acronyms, when unambiguous.
    let mut by_initials: FxMap<String, Vec<u32>> = FxMap::default();
    for &id in &full_orgs {
        by_initials
            .entry(initials(name(id).text))
            .or_default()
            .push(id);
    }
    let mut out = Vec::with_capacity(articles.len());
    // A longer name another article gives may stand for a short form across the corpus only
    // when it is well supported: named in two articles or more, and not far rarer than the
    // short form (a name seen once does not capture one seen two thousand times).
    let supported = |long: u32, short: u32| {
        let (l, s) = (support[long as usize], support[short as usize]);
        l.0 >= 2 && l.1 * 10 >= s.1
    };
    for (((((_, ms), ns), ls), here_people), here_orgs) in articles
        .iter()
        .zip(&named)
        .zip(&labels)
        .zip(&article_people)
        .zip(&article_orgs)
    {
        let mut linked = Vec::with_capacity(ms.len());
        for ((&(s, _), &id), &l) in ms.iter().zip(ns).zip(ls) {
            let n = name(id);
            let text = n.text;
            let entity = match l {
                Label::Person if n.words.len() == 1 => {
                    // The full names holding this word (as a whole word), corpus-wide and in
                    // this article.
                    let there: &[u32] = person_names.get(n.words[0]).map_or(&[], Vec::as_slice);
                    let mut here = there
                        .iter()
                        .filter(|f| here_people.binary_search(f).is_ok());
                    match (here.next(), here.next(), there) {
                        (Some(&one), None, _) => name(one).text,
                        (None, _, [one]) if supported(*one, id) => name(*one).text,
                        _ => text,
                    }
                }
                Label::Org if is_acronym(text) => match acronyms.get(text) {
                    Some(fullname) => fullname,
                    None => {
                        // Initials (specific enough to cross articles): a name of this
                        // article first, else the corpus's one.
                        let there = by_initials.get(text).map_or(&[][..], Vec::as_slice);
                        let mut here = there.iter().filter(|f| here_orgs.binary_search(f).is_ok());
                        match (here.next(), here.next(), there) {
                            (Some(one), None, _) | (None, _, [one]) => name(*one).text,
                            _ => text,
                        }
                    }
                },
                _ => text,
            };
            linked.push(Mention {
                span: s,
                label: l,
                entity: entity.to_string(),
            });
        }
        out.push(linked);
    }
    // A name written in capitals (a dateline's "PHNOM PENH", a headline's "JAPAN") is the
    // entity the corpus writes in mixed case, when it does, by its most common such form; an
    // acronym more common than any mixed-case form of it stays ("UK", not a stray "Uk").
    let mut forms: FxMap<(Label, String), FxMap<&str, usize>> = FxMap::default();
    for m in out.iter().flatten() {
        *forms
            .entry((m.label, lower(&m.entity)))
            .or_default()
            .entry(m.entity.as_str())
            .or_default() += 1;
    }
    let written: FxMap<(Label, String), String> = forms
        .into_iter()
        .filter_map(|(key, f)| {
            let caps = |t: &str| is_capitals(t);
            let acronym = (f.iter())
                .filter(|(t, _)| caps(t) && is_acronym(t))
                .map(|(_, &n)| n)
                .max()
                .unwrap_or(0);
            let best = (f.into_iter())
                .filter(|(t, _)| !caps(t))
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
            (best.1 > acronym).then(|| (key, best.0.to_string()))
        })
        .collect();
    for m in out.iter_mut().flatten() {
        if is_capitals(&m.entity) {
            if let Some(name) = written.get(&(m.label, lower(&m.entity))) {
                m.entity = name.clone();
            }
        }
    }
    out
}

/// One entity of a corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Its label.
    pub label: Label,
    /// Its canonical name.
    pub name: String,
    /// Every form it was mentioned by (the name included).
    pub aliases: Vec<String>,
    /// Number of mentions.
    pub count: usize,
    /// The articles mentioning it, ascending.
    pub articles: Vec<u32>,
}

/// The entities of a corpus: mentions per article, entities with aliases, counts and articles,
/// and co-occurrence.
#[derive(Clone, Debug, Default)]
pub struct EntityIndex {
    /// Each article's mentions as recognised, before linking (what an index file keeps).
    recognized: Vec<Vec<(Span, Label)>>,
    mentions: Vec<Vec<Mention>>,
    entities: Vec<Entity>,
    by_name: HashMap<(Label, String), usize>,
}

impl EntityIndex {
    /// Recognises and links the entities of `articles` (in article-id order).
    pub fn build(articles: &[&Article], model: &Model) -> EntityIndex {
        let recognized: Vec<(&Article, Vec<(Span, Label)>)> = {
            let mut tagger = Tagger::new(model);
            (articles.iter())
                .map(|a| (*a, recognize_with(a, &mut tagger)))
                .collect()
        };
        EntityIndex::from_owned(recognized)
    }

    /// Links mentions already recognised (in article-id order) into the index.
    pub fn from_recognized(recognized: &[(&Article, Vec<(Span, Label)>)]) -> EntityIndex {
        EntityIndex::from_owned(recognized.to_vec())
    }

    /// [`EntityIndex::from_recognized`], keeping the recognised mentions it is given.
    pub(crate) fn from_owned(recognized: Vec<(&Article, Vec<(Span, Label)>)>) -> EntityIndex {
        let articles: Vec<&Article> = recognized.iter().map(|(a, _)| *a).collect();
        let mentions = link(&recognized);
        let mut idx = EntityIndex::default();
        let mut by_name: FxMap<(Label, &str), usize> = FxMap::default();
        for (doc, ms) in mentions.iter().enumerate() {
            for m in ms {
                let e = *by_name.entry((m.label, &m.entity)).or_insert_with(|| {
                    idx.entities.push(Entity {
                        label: m.label,
                        name: m.entity.clone(),
                        aliases: Vec::new(),
                        count: 0,
                        articles: Vec::new(),
                    });
                    idx.entities.len() - 1
                });
                let entity = &mut idx.entities[e];
                entity.count += 1;
                if entity.articles.last() != Some(&(doc as u32)) {
                    entity.articles.push(doc as u32);
                }
                let text = &articles[doc].source()[m.span.range()];
                if !entity.aliases.iter().any(|a| a == text) {
                    entity.aliases.push(text.to_string());
                }
            }
        }
        drop(by_name);
        // Aliases find their entity too (lower case).
        let mut by_alias = HashMap::new();
        for (i, e) in idx.entities.iter().enumerate() {
            by_alias.insert((e.label, lower(&e.name)), i);
            for a in &e.aliases {
                by_alias.entry((e.label, lower(a))).or_insert(i);
            }
        }
        idx.by_name = by_alias;
        idx.mentions = mentions;
        idx.recognized = recognized.into_iter().map(|(_, ms)| ms).collect();
        idx
    }

    /// Article `doc`'s mentions as recognised, before linking.
    pub(crate) fn recognized(&self, doc: usize) -> Option<&[(Span, Label)]> {
        self.recognized.get(doc).map(Vec::as_slice)
    }

    /// The linked mentions of article `doc`, in text order.
    pub fn mentions(&self, doc: u32) -> &[Mention] {
        self.mentions.get(doc as usize).map_or(&[], Vec::as_slice)
    }

    /// The entities, most mentioned first (ties by name), optionally of one label.
    pub fn entities(&self, label: Option<Label>) -> Vec<&Entity> {
        let mut v: Vec<&Entity> = self
            .entities
            .iter()
            .filter(|e| label.is_none_or(|l| e.label == l))
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        v
    }

    /// The entity a name (canonical or alias, any case) refers to, among `labels`.
    pub fn find(&self, name: &str, labels: &[Label]) -> Option<&Entity> {
        let key = lower(name.trim());
        labels
            .iter()
            .find_map(|l| self.by_name.get(&(*l, key.clone())))
            .map(|&i| &self.entities[i])
    }

    /// Entities sharing articles with `entity`, with how many articles they share, most first.
    pub fn cooccurring(&self, entity: &Entity) -> Vec<(&Entity, usize)> {
        let mut v: Vec<(&Entity, usize)> = self
            .entities
            .iter()
            .filter(|e| {
                !(e.label == entity.label && e.name == entity.name) && e.label != Label::Date
            })
            .filter_map(|e| {
                let shared = e
                    .articles
                    .iter()
                    .filter(|d| entity.articles.binary_search(d).is_ok())
                    .count();
                (shared > 0).then_some((e, shared))
            })
            .collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(b.0.count.cmp(&a.0.count))
                .then(a.0.name.cmp(&b.0.name))
        });
        v
    }
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
                &[("SAN FRANCISCO", Label::Gpe), ("AP", Label::Org)],
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
    fn sentence_words_are_function_words_in_title_case() {
        for (w, want) in [
            ("If", true),
            ("But", true),
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
