//! Calendar values of dates as news writes them: `Feb. 20, 2022`, `11November 2019`, `June
//! 2017`, `1998`, and — against the article's own date, when it has one — `Feb. 18`, `Monday`,
//! `last month`, `this year`, `yesterday`.
//!
//! A value is as precise as its text: a year, a month or a day ([`CalendarDate`], written as ISO
//! 8601 `YYYY`, `YYYY-MM` or `YYYY-MM-DD`). Words relative to the article's date resolve the way
//! news uses them: a bare weekday is the latest such day on or before the article's date ("said
//! on Monday"), a day and month without a year is the one nearest the article's date. Without an
//! article date they stay unresolved (`None`), never guessed.

/// Month names and the abbreviations news writes, with the month's number (lower case).
pub(crate) const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Weekdays from Monday, lower case.
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Years a date may name: outside them a number is no year.
const YEARS: std::ops::RangeInclusive<u32> = 1800..=2200;

/// The number of the month a word names as news writes it (`November`, `Nov`, `Nov.`, `SEPT`).
pub(crate) fn month_name(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    MONTHS
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(w))
        .map(|&(_, n)| n)
}

/// A date as precise as its text says: a year, a month of a year, or a day.
///
/// ```
/// use newslens::CalendarDate;
/// let d = CalendarDate::day(2022, 2, 20).unwrap();
/// assert_eq!(d.to_string(), "2022-02-20");
/// assert_eq!(CalendarDate::parse_iso("2017-06"), CalendarDate::month(2017, 6));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: u16,
    /// 1-12, or 0 for a year alone.
    month: u8,
    /// 1-31, or 0 for a month or year alone.
    day: u8,
}

/// Days in month `m` of year `y`.
fn days_in(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a valid day (proleptic Gregorian; counting from March, so the leap
/// day ends a year).
fn day_number(y: u32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day with number `n` ([`day_number`]).
fn from_day_number(n: i64) -> (u32, u32, u32) {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as u32, m as u32, d as u32)
}

impl CalendarDate {
    /// A year, if it is one a date may name (1800-2200).
    pub fn year(y: u32) -> Option<CalendarDate> {
        YEARS.contains(&y).then_some(CalendarDate {
            year: y as u16,
            month: 0,
            day: 0,
        })
    }

    /// A month of a year.
    pub fn month(y: u32, m: u32) -> Option<CalendarDate> {
        let mut c = CalendarDate::year(y)?;
        (1..=12).contains(&m).then(|| {
            c.month = m as u8;
            c
        })
    }

    /// A day, if it exists.
    pub fn day(y: u32, m: u32, d: u32) -> Option<CalendarDate> {
        let mut c = CalendarDate::month(y, m)?;
        (1..=days_in(y, m)).contains(&d).then(|| {
            c.day = d as u8;
            c
        })
    }

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with anything after a day's ten characters
    /// (a time) ignored.
    pub fn parse_iso(s: &str) -> Option<CalendarDate> {
        let num = |a: usize, b: usize| -> Option<u32> {
            let part = s.get(a..b)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let sep = |i: usize| s.as_bytes().get(i) == Some(&b'-');
        let y = num(0, 4)?;
        match s.len() {
            4 => CalendarDate::year(y),
            7 if sep(4) => CalendarDate::month(y, num(5, 7)?),
            n if n >= 10 && sep(4) && sep(7) => {
                let after = s.as_bytes().get(10);
                if after.is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                CalendarDate::day(y, num(5, 7)?, num(8, 10)?)
            }
            _ => None,
        }
    }

    /// The year.
    pub fn year_of(self) -> u32 {
        u32::from(self.year)
    }

    /// The month (1-12), if the value names one.
    pub fn month_of(self) -> Option<u32> {
        (self.month > 0).then_some(u32::from(self.month))
    }

    /// The day of the month, if the value names a day.
    pub fn day_of(self) -> Option<u32> {
        (self.day > 0).then_some(u32::from(self.day))
    }

    /// The first day of the period: the date itself for a day, the 1st of a month, the 1st of
    /// January of a year.
    pub fn first_day(self) -> CalendarDate {
        CalendarDate {
            month: self.month.max(1),
            day: self.day.max(1),
            ..self
        }
    }

    /// Days from `earlier`'s first day to this date's first day (negative if it is later).
    pub fn days_since(self, earlier: CalendarDate) -> i64 {
        let n = |c: CalendarDate| {
            let c = c.first_day();
            day_number(c.year_of(), u32::from(c.month), u32::from(c.day))
        };
        n(self) - n(earlier)
    }

    /// The next period of the same length: the next day, month or year; `None` past the years
    /// a date may name.
    pub fn next_period(self) -> Option<CalendarDate> {
        match (self.month_of(), self.day_of()) {
            (Some(_), Some(_)) => self.add_days(1),
            (Some(12), None) => CalendarDate::month(self.year_of() + 1, 1),
            (Some(m), None) => CalendarDate::month(self.year_of(), m + 1),
            _ => CalendarDate::year(self.year_of() + 1),
        }
    }

    /// The day `days` after this one (before, if negative); `None` for a month or year, or
    /// outside the years a date may name.
    fn add_days(self, days: i64) -> Option<CalendarDate> {
        let (y, m, d) = (self.year_of(), self.month_of()?, self.day_of()?);
        let (y, m, d) = from_day_number(day_number(y, m, d) + days);
        CalendarDate::day(y, m, d)
    }

    /// Monday 0 ... Sunday 6, for a day.
    fn weekday(self) -> Option<u32> {
        let n = day_number(self.year_of(), self.month_of()?, self.day_of()?);
        // 1970-01-01 was a Thursday.
        Some((n + 3).rem_euclid(7) as u32)
    }
}

impl std::fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month > 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day > 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

/// A day of the month as written: `20`, `20th`, `1st`.
fn day_word(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    let ok_suffix = suffix.is_empty() || ["st", "nd", "rd", "th"].contains(&suffix);
    (ok_suffix && (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

/// A year as written: four digits.
fn year_word(w: &str) -> Option<u32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| YEARS.contains(y))
}

/// Splits the words of a date: spaces and commas part them, and a day glued to its month
/// (`11November`) is two words.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in text.split(|c: char| c.is_whitespace() || c == ',') {
        if w.is_empty() {
            continue;
        }
        let digits = w.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &w[digits..];
        if (1..=2).contains(&digits) && month_name(rest).is_some() {
            out.push(w[..digits].to_string());
            out.push(rest.to_string());
        } else {
            out.push(w.to_string());
        }
    }
    out
}

/// The calendar value of a date mention, resolved against `anchor` (the article's date, a
/// day) where the text is relative to it; `None` when the text names no date this can read,
/// or needs an anchor it does not have.
///
/// ```
/// use newslens::{resolve_date, CalendarDate};
/// let published = CalendarDate::day(2022, 2, 23);
/// let value = |t| resolve_date(t, published).map(|d| d.to_string());
/// assert_eq!(value("Feb. 20, 2022").as_deref(), Some("2022-02-20"));
/// assert_eq!(value("Monday").as_deref(), Some("2022-02-21"));
/// assert_eq!(value("last month").as_deref(), Some("2022-01"));
/// assert_eq!(resolve_date("Monday", None), None);
/// ```
pub fn resolve_date(text: &str, anchor: Option<CalendarDate>) -> Option<CalendarDate> {
    let ws = words(text);
    let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
    let l: Vec<&str> = lower.iter().map(String::as_str).collect();
    let anchor = anchor.filter(|a| a.day > 0);
    // Relative words.
    match l.as_slice() {
        ["today"] | ["this", "day"] => return anchor,
        ["yesterday"] => return anchor?.add_days(-1),
        ["tomorrow"] => return anchor?.add_days(1),
        ["this", "year"] => return CalendarDate::year(anchor?.year_of()),
        ["last", "year"] => return CalendarDate::year(anchor?.year_of() - 1),
        ["next", "year"] => return CalendarDate::year(anchor?.year_of() + 1),
        ["this", "month"] => {
            let a = anchor?;
            return CalendarDate::month(a.year_of(), a.month_of()?);
        }
        ["last", "month"] | ["next", "month"] => {
            let a = anchor?;
            let step: i64 = if l[0] == "last" { -1 } else { 1 };
            let months = i64::from(a.year_of()) * 12 + i64::from(a.month_of()?) - 1 + step;
            return CalendarDate::month(
                u32::try_from(months.div_euclid(12)).ok()?,
                months.rem_euclid(12) as u32 + 1,
            );
        }
        _ => {}
    }
    // A weekday ("Monday", "last Monday"): the latest such day on or before the anchor; "next
    // Monday" the first after it.
    let (rel, day_words) = match l.as_slice() {
        ["last", rest @ ..] => (-1, rest),
        ["next", rest @ ..] => (1, rest),
        rest => (0, rest),
    };
    if let [w] = day_words {
        if let Some(k) = WEEKDAYS.iter().position(|d| d == w) {
            let a = anchor?;
            let today = i64::from(a.weekday()?);
            let k = k as i64;
            let back = match rel {
                1 => -(k - today - 1).rem_euclid(7) - 1,
                -1 => (today - k - 1).rem_euclid(7) + 1,
                _ => (today - k).rem_euclid(7),
            };
            return a.add_days(-back);
        }
    }
    // Absolute dates, with a weekday before them ignored ("Tuesday, Feb. 20, 2022").
    let start = usize::from(l.first().is_some_and(|w| WEEKDAYS.contains(w)));
    let ws = &ws[start..];
    let month_at = ws.iter().position(|w| month_name(w).is_some());
    match (month_at, ws.len()) {
        (None, 1) => CalendarDate::year(year_word(&ws[0])?),
        (Some(i), _) => {
            let m = month_name(&ws[i])?;
            let before = i.checked_sub(1).and_then(|j| day_word(&ws[j]));
            let after = ws.get(i + 1).and_then(|w| day_word(w));
            let year = ws[i + 1..].iter().find_map(|w| year_word(w));
            let day = before.or(after);
            match (day, year) {
                (Some(d), Some(y)) => CalendarDate::day(y, m, d),
                (None, Some(y)) => CalendarDate::month(y, m),
                // A day and month without a year: the one nearest the article's date.
                (Some(d), None) => {
                    let a = anchor?;
                    let mut best: Option<(i64, CalendarDate)> = None;
                    for y in [a.year_of() - 1, a.year_of(), a.year_of() + 1] {
                        if let Some(c) = CalendarDate::day(y, m, d) {
                            let gap = (day_number(y, m, d)
                                - day_number(a.year_of(), a.month_of()?, a.day_of()?))
                            .abs();
                            if best.is_none_or(|(g, _)| gap < g) {
                                best = Some((gap, c));
                            }
                        }
                    }
                    best.map(|(_, c)| c)
                }
                // A month alone: the nearest one on or before the article's date.
                (None, None) if ws.len() == 1 => {
                    let a = anchor?;
                    let y = if m <= a.month_of()? {
                        a.year_of()
                    } else {
                        a.year_of() - 1
                    };
                    CalendarDate::month(y, m)
                }
                (None, None) => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_and_know_weekdays() {
        assert_eq!(day_number(1970, 1, 1), 0);
        for n in [-60_000, -1, 0, 1, 59, 60, 11_016, 19_000, 200_000] {
            let (y, m, d) = from_day_number(n);
            assert_eq!(day_number(y, m, d), n, "{n}");
        }
        // 2022-02-20 was a Sunday; 2000-02-29 a Tuesday.
        assert_eq!(CalendarDate::day(2022, 2, 20).unwrap().weekday(), Some(6));
        assert_eq!(CalendarDate::day(2000, 2, 29).unwrap().weekday(), Some(1));
        assert_eq!(CalendarDate::day(1900, 2, 29), None);
    }

    /// Each case: text, the article's date (ISO) if any, and the value expected.
    #[test]
    fn dates_as_news_writes_them() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            ("Feb. 20, 2022", None, Some("2022-02-20")),
            ("January 19, 2022", None, Some("2022-01-19")),
            ("11November 2019", None, Some("2019-11-11")),
            ("19th November 2019", None, Some("2019-11-19")),
            ("Tuesday, Feb. 20, 2018", None, Some("2018-02-20")),
            ("June 2017", None, Some("2017-06")),
            ("1998", None, Some("1998")),
            ("Feb. 30, 2022", None, None),
            ("12345", None, None),
            ("Monday", None, None),
            ("Feb. 18", None, None),
            // 2022-02-23 was a Wednesday.
            ("Monday", Some("2022-02-23"), Some("2022-02-21")),
            ("Wednesday", Some("2022-02-23"), Some("2022-02-23")),
            ("Thursday", Some("2022-02-23"), Some("2022-02-17")),
            ("last Wednesday", Some("2022-02-23"), Some("2022-02-16")),
            ("next Monday", Some("2022-02-23"), Some("2022-02-28")),
            ("yesterday", Some("2022-03-01"), Some("2022-02-28")),
            ("today", Some("2022-03-01"), Some("2022-03-01")),
            ("last month", Some("2022-01-15"), Some("2021-12")),
            ("next month", Some("2022-12-15"), Some("2023-01")),
            ("this month", Some("2022-12-15"), Some("2022-12")),
            ("this year", Some("2022-12-15"), Some("2022")),
            ("last year", Some("2022-12-15"), Some("2021")),
            ("Feb. 18", Some("2022-02-23"), Some("2022-02-18")),
            // The nearest: late December seen from January is last year's.
            ("Dec. 30", Some("2022-01-03"), Some("2021-12-30")),
            ("May", Some("2022-02-23"), Some("2021-05")),
            ("February", Some("2022-02-23"), Some("2022-02")),
            // A month or a year is no anchor for a weekday.
            ("Monday", Some("2022-02"), None),
            ("", None, None),
            ("the spring", Some("2022-02-23"), None),
        ];
        for &(text, anchor, want) in cases {
            let a = anchor.map(|a| CalendarDate::parse_iso(a).unwrap());
            let got = resolve_date(text, a).map(|d| d.to_string());
            assert_eq!(got.as_deref(), want, "{text} at {anchor:?}");
        }
    }

    #[test]
    fn iso_forms_read_back() {
        for s in ["1998", "2017-06", "2022-02-20"] {
            assert_eq!(CalendarDate::parse_iso(s).unwrap().to_string(), s);
        }
        assert_eq!(
            CalendarDate::parse_iso("2019-11-19T10:30:00Z").map(|d| d.to_string()),
            Some("2019-11-19".to_string())
        );
        for bad in [
            "",
            "98",
            "2017-6",
            "2017-13",
            "2022-02-30",
            "20220220",
            "abcd",
            "2022-02-200",
        ] {
            assert_eq!(CalendarDate::parse_iso(bad), None, "{bad}");
        }
    }
}
