//! Text analysis: the one pipeline that turns text into index terms, for articles and queries
//! alike.
//!
//! Unicode word segmentation (UAX #29) → case folding → diacritic folding (`é` → `e`) →
//! apostrophe and quote equivalence (`’` = `'`) → possessive removal (`CNRP’s` → `cnrp`) →
//! English Snowball stemming. Stop words are indexed like any word (so phrase queries see them);
//! the query side leaves them out of ranked word queries ([`is_stop_word`]).
//!
//! Tokens keep their byte offsets in the original text.

use crate::lexicon::Words;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this (bytes) are cut for indexing; offsets still cover the whole word.
pub const MAX_TERM_BYTES: usize = 64;

/// One analysed word.
///
/// ```
/// let tokens = newslens::Analyzer::default().tokens("Parties’ leaders");
/// assert_eq!(tokens[0].term, "parti");
/// assert_eq!((tokens[1].word.as_str(), tokens[1].start), ("leaders", 11)); // ’ is 3 bytes
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The index term: folded and stemmed.
    pub term: String,
    /// The word before stemming (folded), for prefix and typo matching on what was typed.
    pub word: String,
    /// Byte offset of the word's first byte in the analysed text.
    pub start: usize,
    /// Byte offset one past the word's last byte.
    pub end: usize,
}

/// The analyzer. Cheap to create; holds the stemmer.
///
/// ```
/// let terms: Vec<String> = (newslens::Analyzer::default().tokens("CNRP’s stance"))
///     .into_iter()
///     .map(|t| t.term)
///     .collect();
/// assert_eq!(terms, ["cnrp", "stanc"]);
/// ```
pub struct Analyzer {
    stemmer: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzer(english)")
    }
}

impl Clone for Analyzer {
    fn clone(&self) -> Analyzer {
        Analyzer::default()
    }
}

impl Default for Analyzer {
    fn default() -> Analyzer {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Analyzer {
    /// Calls `f(term, word, start, end)` for each word of `text`, in order. `term` is the
    /// stemmed form, `word` the folded form before stemming; offsets are bytes into `text`.
    pub fn for_each(&self, text: &str, mut f: impl FnMut(&str, &str, usize, usize)) {
        self.for_each_word(text, |word, start, end| {
            let term = self.stem(word);
            f(&term, word, start, end);
        });
    }

    /// Calls `f(word, start, end)` for each word of `text`, folded but not stemmed (for callers
    /// that cache stems).
    pub fn for_each_word(&self, text: &str, f: impl FnMut(&str, usize, usize)) {
        words(text, f);
    }

    /// All tokens of `text`.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.for_each(text, |term, word, start, end| {
            out.push(Token {
                term: term.to_string(),
                word: word.to_string(),
                start,
                end,
            })
        });
        out
    }

    /// The index term for an already normalised word.
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        if word.len() > 2 && word.bytes().all(|b| b.is_ascii_lowercase()) {
            self.stemmer.stem(word)
        } else {
            std::borrow::Cow::Borrowed(word)
        }
    }

    /// The folded (not stemmed) form of one word as typed, or `None` when it holds no letter
    /// or digit.
    pub fn normalize(&self, raw: &str) -> Option<String> {
        let mut out = String::new();
        normalize_into(raw, &mut out).then_some(out)
    }
}

/// UAX #29 word boundaries for ASCII text, the common case, without the general machinery:
/// calls `f(start, end)` for each run of letters, digits and `_`, joined across `'`, `.` and
/// `:` between letters and across `,`, `;`, `.` and `'` between digits, as the standard's rules
/// WB5-WB13b join them. Other segments (spaces, punctuation) are not reported.
pub(crate) fn ascii_words(b: &[u8], mut f: impl FnMut(usize, usize)) {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let n = b.len();
    let mut i = 0;
    while i < n {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        loop {
            if i < n && word(b[i]) {
                i += 1;
            } else if i + 1 < n && joins(b[i - 1], b[i], b[i + 1]) {
                i += 2;
            } else {
                break;
            }
        }
        f(start, i);
    }
}

/// Whether `mid` joins `before` and `after` into one word (UAX #29 WB6, WB7, WB11, WB12).
fn joins(before: u8, mid: u8, after: u8) -> bool {
    let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic();
    let digits = before.is_ascii_digit() && after.is_ascii_digit();
    (letters && matches!(mid, b'\'' | b'.' | b':'))
        || (digits && matches!(mid, b'\'' | b'.' | b',' | b';'))
}

/// [`normalize_into`] for an ASCII word, with a fast path for the common case (no apostrophe,
/// not overlong).
fn fold_ascii(raw: &str, out: &mut String) -> bool {
    if raw.contains(['\'', '`']) || raw.len() > MAX_TERM_BYTES {
        return normalize_into(raw, out);
    }
    if !raw.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    out.clear();
    out.push_str(raw);
    out.make_ascii_lowercase();
    true
}

/// Lower-cases, folds diacritics and apostrophes, drops a possessive; writes into `out`.
/// Returns false when nothing is left.
fn normalize_into(raw: &str, out: &mut String) -> bool {
    out.clear();
    if raw.is_ascii() {
        out.extend(raw.bytes().map(|b| match b {
            b'`' => '\'',
            _ => char::from(b.to_ascii_lowercase()),
        }));
    } else {
        for c in raw.chars() {
            for l in c.to_lowercase() {
                fold_char(l, out);
            }
        }
    }
    // Possessives: "cnrp's" → "cnrp", "parties'" → "parties".
    if out.ends_with("'s") && out.len() > 2 {
        out.truncate(out.len() - 2);
    }
    while out.ends_with('\'') {
        out.pop();
    }
    while out.starts_with('\'') {
        out.remove(0);
    }
    if out.contains('\'') {
        out.retain(|c| c != '\'');
    }
    if out.len() > MAX_TERM_BYTES {
        out.truncate(out.floor_char_boundary(MAX_TERM_BYTES));
    }
    !out.is_empty()
}

/// Appends the folded form of a lower-case char: diacritics dropped, apostrophes unified.
fn fold_char(c: char, out: &mut String) {
    let folded: &str = match c {
        '\'' | '’' | '‘' | '`' | '´' | 'ʼ' | '′' => "'",
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
        | 'ễ' | 'ệ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ỉ' | 'ị' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' | 'ǒ' | 'ọ' | 'ỏ' | 'ố' | 'ồ'
        | 'ổ' | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' | 'ǔ' | 'ụ' | 'ủ' | 'ứ'
        | 'ừ' | 'ử' | 'ữ' | 'ự' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        // Combining marks (decomposed accents) and invisible joiners vanish.
        '\u{0300}'..='\u{036f}' | '\u{200b}'..='\u{200f}' | '\u{feff}' | '\u{ad}' => "",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(folded);
}

/// English function words left out of ranked word queries (they still match in phrases).
static STOP_WORDS: Words = Words::new(include_str!("../data/stop-words.txt"));

/// True for English function words (given in normalised, unstemmed form).
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(word)
}

/// Words that phrase a request rather than name its topic ("I am interested in papers
/// describing the use of …", "please supply information on …"), sorted. A long
/// natural-language query leaves them out; a short keyword query keeps every word it has.
static REQUEST_WORDS: Words = Words::new(include_str!("../data/request-words.txt"));

/// True for words that only phrase a request (given normalised and unstemmed); long queries
/// leave them out.
pub fn is_request_word(word: &str) -> bool {
    REQUEST_WORDS.contains(word)
}

/// Calls `f(word, start, end)` for each word of `text`, folded but not stemmed: the tokenizer
/// every analyzer shares (no stemming, so no analyzer is needed).
pub(crate) fn words(text: &str, mut f: impl FnMut(&str, usize, usize)) {
    let mut word = String::new();
    if text.is_ascii() {
        ascii_words(text.as_bytes(), |s, e| {
            if fold_ascii(&text[s..e], &mut word) {
                f(&word, s, e);
            }
        });
    } else {
        for (start, raw) in text.split_word_bound_indices() {
            if raw.chars().any(char::is_alphanumeric) && normalize_into(raw, &mut word) {
                f(&word, start, start + raw.len());
            }
        }
    }
}

/// 20,000 short pseudo-random strings over `alphabet` (at most `max_len` bytes), the same for
/// the same `seed`: inputs for checking fast paths against the general UAX #29 segmenter.
#[cfg(test)]
pub(crate) fn ascii_samples(alphabet: &[u8], seed: u32, max_len: u32) -> Vec<String> {
    let mut x = seed;
    let mut out = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        let len = 1 + (x % max_len) as usize;
        let mut s = String::with_capacity(len);
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            s.push(char::from(alphabet[(x % alphabet.len() as u32) as usize]));
        }
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_words_are_no_stop_words() {
        assert!(REQUEST_WORDS.all().iter().all(|w| !is_stop_word(w)));
        assert!(is_stop_word("the") && is_stop_word("yet") && !is_stop_word("party"));
    }

    #[test]
    fn analysis_table() {
        let a = Analyzer::default();
        let cases: &[(&str, &[&str])] = &[
            ("CNRP’s stance", &["cnrp", "stanc"]),
            ("CNRP's", &["cnrp"]),
            ("parties’ leaders", &["parti", "leader"]),
            ("Café Résumé NGUYỄN", &["cafe", "resum", "nguyen"]),
            ("self-imposed exile", &["self", "impos", "exil"]),
            ("don’t", &["dont"]),
            ("$1.13bn (£600m)", &["1.13bn", "600m"]),
            ("Mr. Sokha, Sokha’s", &["mr", "sokha", "sokha"]),
            ("running runs ran", &["run", "run", "ran"]),
            ("“quoted” — dashes…", &["quot", "dash"]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = a.tokens(text).into_iter().map(|t| t.term).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn tokens_keep_original_offsets() {
        let a = Analyzer::default();
        let text = "Kem Sokha’s “Mistress” in Phnom Penh";
        for t in a.tokens(text) {
            let original = &text[t.start..t.end];
            assert_eq!(a.normalize(original).as_deref(), Some(t.word.as_str()));
        }
        let t = a.tokens(text);
        assert_eq!(&text[t[1].start..t[1].end], "Sokha’s");
    }

    /// The ASCII fast path finds exactly the words the general UAX #29 segmenter finds.
    #[test]
    fn ascii_fast_path_matches_uax29() {
        for text in ascii_samples(b"ab1_ '.:,;-\n\"(Z9", 1, 12) {
            let text = text.as_str();
            let mut fast = Vec::new();
            ascii_words(text.as_bytes(), |a, b| fast.push(&text[a..b]));
            let slow: Vec<&str> = text
                .split_word_bounds()
                .filter(|w| w.bytes().any(|b| b.is_ascii_alphanumeric() || b == b'_'))
                .collect();
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn very_long_words_are_cut() {
        let a = Analyzer::default();
        let long = "x".repeat(10_000);
        let t = a.tokens(&long);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].term.len(), MAX_TERM_BYTES);
        assert_eq!((t[0].start, t[0].end), (0, 10_000));
    }
}
