//! Publication dates as written in page metadata and datelines, to ISO 8601.
//!
//! Read: ISO 8601 dates and date-times (`2019-11-19`, `2019-11-19T10:30:00.000+02:00`, with a
//! space for the `T`; a month or year alone, `2019-11`, `2019`), compact `20191119`, RFC 2822 (`Tue, 19 Nov 2019 10:30:00 GMT`) and
//! English dates (`November 19, 2019`, `Nov. 19 2019`, `19 November 2019`). Written: the date,
//! and the time with its offset when one was given (`2019-11-19T10:30:00+02:00`).

use crate::calendar::{month_name, MONTHS};

/// Like [`month_name`], and also any other abbreviation of three letters or more (`Septem.`),
/// for dates in metadata.
fn month(word: &str) -> Option<u32> {
    month_name(word).or_else(|| {
        let w = word.trim_end_matches('.').to_ascii_lowercase();
        (w.len() >= 3)
            .then(|| MONTHS[..12].iter().find(|(m, _)| m.starts_with(&w)))
            .flatten()
            .map(|&(_, n)| n)
    })
}

/// A day that exists, in the years a date may name.
fn valid(y: u32, m: u32, d: u32) -> bool {
    crate::calendar::CalendarDate::day(y, m, d).is_some()
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The ISO 8601 form of a written date, if it reads as one.
pub(crate) fn iso(text: &str) -> Option<String> {
    let t = text.trim();
    let b = t.as_bytes();
    // A month or a year alone, as precise as the source is: `2020-03`, `2020`.
    if matches!(b.len(), 4 | 7) {
        return crate::calendar::CalendarDate::parse_iso(t).map(|d| d.to_string());
    }
    // ISO 8601 and its compact form.
    if b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) {
        let (y, m, d, rest) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
            (
                digits(&t[..4])?,
                digits(&t[5..7])?,
                digits(&t[8..10])?,
                &t[10..],
            )
        } else if b[..8].iter().all(u8::is_ascii_digit)
            && b.get(8).is_none_or(|c| !c.is_ascii_digit())
        {
            (
                digits(&t[..4])?,
                digits(&t[4..6])?,
                digits(&t[6..8])?,
                &t[8..],
            )
        } else {
            return None;
        };
        if !valid(y, m, d) {
            return None;
        }
        let date = format!("{y:04}-{m:02}-{d:02}");
        return Some(match time_part(rest) {
            Some(time) => format!("{date}T{time}"),
            None => date,
        });
    }
    english(t)
}

/// `THH:MM[:SS][.fff][Z|±HH[:]MM]` after an ISO date.
fn time_part(rest: &str) -> Option<String> {
    let r = rest.strip_prefix(['T', ' '])?;
    let b = r.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let h = digits(&r[..2])?;
    let mi = digits(&r[3..5])?;
    let mut i = 5;
    let mut s = 0;
    if b.len() >= 8 && b[5] == b':' {
        s = digits(&r[6..8])?;
        i = 8;
    }
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    while i < b.len() && (b[i] == b'.' || b[i].is_ascii_digit()) {
        i += 1;
    }
    let zone = &r[i..];
    let zone = if zone == "Z" || zone == "z" {
        "Z".to_string()
    } else if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
        let z: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        if z.len() != 4 && z.len() != 2 {
            return Some(format!("{h:02}:{mi:02}:{s:02}"));
        }
        let z = if z.len() == 2 { format!("{z}00") } else { z };
        format!("{sign}{}:{}", &z[..2], &z[2..])
    } else {
        String::new()
    };
    Some(format!("{h:02}:{mi:02}:{s:02}{zone}"))
}

/// English dates: `November 19, 2019`, `Nov. 19 2019`, `19 Nov 2019`, with a weekday before.
fn english(t: &str) -> Option<String> {
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(12)
        .collect();
    for i in 0..words.len() {
        let Some(m) = month(words[i]) else { continue };
        let day_of = |w: &str| {
            digits(w.trim_end_matches(|c: char| c.is_ascii_alphabetic()))
                .filter(|&d| (1..=31).contains(&d))
        };
        let year_of = |w: &str| digits(w).filter(|&y| y >= 1800);
        // Month Day Year
        if let (Some(d), Some(y)) = (
            words.get(i + 1).and_then(|w| day_of(w)),
            words.get(i + 2).and_then(|w| year_of(w)),
        ) {
            if valid(y, m, d) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
        // Day Month Year
        if let (Some(d), Some(y)) = (
            i.checked_sub(1).and_then(|j| day_of(words[j])),
            words.get(i + 1).and_then(|w| year_of(w)),
        ) {
            if valid(y, m, d) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::iso;

    #[test]
    fn dates() {
        let cases = [
            ("2019-11-19", Some("2019-11-19")),
            ("2019-11-19T10:30:00Z", Some("2019-11-19T10:30:00Z")),
            (
                "2019-11-19T10:30:00.000+0200",
                Some("2019-11-19T10:30:00+02:00"),
            ),
            ("2019-11-19 10:30", Some("2019-11-19T10:30:00")),
            ("20191119", Some("2019-11-19")),
            ("Tue, 19 Nov 2019 10:30:00 GMT", Some("2019-11-19")),
            ("November 19, 2019", Some("2019-11-19")),
            ("Nov. 19 2019 4:00 PM", Some("2019-11-19")),
            ("19th November 2019", Some("2019-11-19")),
            ("Septem. 3, 2019", Some("2019-09-03")),
            ("Ja 3, 2019", None),
            ("2019-02-30", None),
            ("2019-13-01", None),
            ("March of the penguins", None),
            ("", None),
            ("12345678901234", None),
            ("2019-11-19T99:00", Some("2019-11-19")),
            ("2020-03", Some("2020-03")),
            ("2020", Some("2020")),
            ("2020-13", None),
            ("1234", None),
        ];
        for (text, want) in cases {
            assert_eq!(iso(text).as_deref(), want, "{text}");
        }
    }
}
