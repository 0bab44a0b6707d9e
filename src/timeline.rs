//! Timelines: how many articles (or an entity's articles) fall in each year, month or day.
//!
//! The unit is the finest that keeps the bars few: days across up to [`MAX_DAYS`] days, months
//! across up to [`MAX_MONTHS`] months, years beyond. Every period between the first and the last
//! is listed, empty ones included, so bars can be drawn evenly. Dates less precise than the unit
//! (a year alone on a timeline of months) are counted apart, as are undated articles.

use crate::calendar::CalendarDate;
use serde::Serialize;

/// A timeline of days spans at most this many days.
pub const MAX_DAYS: i64 = 62;
/// A timeline of months spans at most this many months.
pub const MAX_MONTHS: u32 = 48;

/// The length of a timeline's periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// `YYYY`.
    Year,
    /// `YYYY-MM`.
    Month,
    /// `YYYY-MM-DD`.
    Day,
}

/// One period of a timeline and how many articles it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The period, ISO 8601 (`2017`, `2017-06`, `2017-06-03`).
    pub period: String,
    /// Articles dated in it.
    pub count: usize,
}

/// Articles per period.
///
/// ```
/// use newslens::{timeline, CalendarDate, Unit};
/// let dates = ["2017-06-03", "2017-08-20", "2017"].map(CalendarDate::parse_iso);
/// let t = timeline(dates.into_iter().chain([None]));
/// assert_eq!(t.unit, Unit::Month);
/// let bars: Vec<(&str, usize)> = t.periods.iter().map(|p| (p.period.as_str(), p.count)).collect();
/// assert_eq!(bars, [("2017-06", 1), ("2017-07", 0), ("2017-08", 1)]);
/// assert_eq!((t.coarse, t.undated), (1, 1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The periods' length.
    pub unit: Unit,
    /// Every period from the first dated article's to the last's, in order.
    pub periods: Vec<Period>,
    /// Articles dated less precisely than the unit.
    pub coarse: usize,
    /// Articles without a date.
    pub undated: usize,
}

/// The timeline of articles with these dates.
pub fn timeline(dates: impl IntoIterator<Item = Option<CalendarDate>>) -> Timeline {
    let mut undated = 0;
    let mut known = Vec::new();
    for d in dates {
        match d {
            Some(d) => known.push(d),
            None => undated += 1,
        }
    }
    known.sort_unstable();
    let (Some(&first), Some(&last)) = (known.first(), known.last()) else {
        return Timeline {
            unit: Unit::Year,
            periods: Vec::new(),
            coarse: 0,
            undated,
        };
    };
    let months = |d: CalendarDate| d.year_of() * 12 + d.month_of().unwrap_or(1) - 1;
    let month_span = months(last) - months(first);
    let day_span = last.first_day().days_since(first.first_day());
    let unit = if day_span < MAX_DAYS && known.iter().any(|d| d.day_of().is_some()) {
        Unit::Day
    } else if month_span < MAX_MONTHS && known.iter().any(|d| d.month_of().is_some()) {
        Unit::Month
    } else {
        Unit::Year
    };
    let key = |d: CalendarDate| -> Option<CalendarDate> {
        match unit {
            Unit::Year => CalendarDate::year(d.year_of()),
            Unit::Month => CalendarDate::month(d.year_of(), d.month_of()?),
            Unit::Day => Some(d).filter(|d| d.day_of().is_some()),
        }
    };
    let mut coarse = 0;
    let mut keyed: Vec<CalendarDate> = Vec::with_capacity(known.len());
    for &d in &known {
        match key(d) {
            Some(k) => keyed.push(k),
            None => coarse += 1,
        }
    }
    let mut periods = Vec::new();
    if let (Some(&lo), Some(&hi)) = (keyed.first(), keyed.last()) {
        let mut at = lo;
        let mut i = 0;
        loop {
            let mut count = 0;
            while i < keyed.len() && keyed[i] == at {
                count += 1;
                i += 1;
            }
            periods.push(Period {
                period: at.to_string(),
                count,
            });
            if at >= hi {
                break;
            }
            match at.next_period() {
                Some(n) => at = n,
                None => break,
            }
        }
    }
    Timeline {
        unit,
        periods,
        coarse,
        undated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(t: &Timeline) -> Vec<(&str, usize)> {
        t.periods
            .iter()
            .map(|p| (p.period.as_str(), p.count))
            .collect()
    }

    #[test]
    fn the_unit_follows_the_span() {
        let d = |s: &str| CalendarDate::parse_iso(s);
        // (dates, unit, first bar, last bar, bars)
        let cases: &[(&[&str], Unit, &str, &str, usize)] = &[
            (
                &["2019-11-19", "2019-11-21"],
                Unit::Day,
                "2019-11-19",
                "2019-11-21",
                3,
            ),
            (
                &["2019-12-30", "2020-01-02"],
                Unit::Day,
                "2019-12-30",
                "2020-01-02",
                4,
            ),
            (
                &["2019-01-05", "2019-06-01"],
                Unit::Month,
                "2019-01",
                "2019-06",
                6,
            ),
            (
                &["2004-03-01", "2005-12-31"],
                Unit::Month,
                "2004-03",
                "2005-12",
                22,
            ),
            (
                &["1998", "2004-03-01", "2005-12-31"],
                Unit::Year,
                "1998",
                "2005",
                8,
            ),
            (&["2017"], Unit::Year, "2017", "2017", 1),
        ];
        for &(dates, unit, first, last, n) in cases {
            let t = timeline(dates.iter().map(|s| d(s)));
            assert_eq!(t.unit, unit, "{dates:?}");
            assert_eq!(t.periods.first().map(|p| p.period.as_str()), Some(first));
            assert_eq!(t.periods.last().map(|p| p.period.as_str()), Some(last));
            assert_eq!(t.periods.len(), n, "{dates:?}");
            let total: usize = t.periods.iter().map(|p| p.count).sum();
            assert_eq!(total + t.coarse, dates.len());
        }
    }

    #[test]
    fn empty_and_undated() {
        let t = timeline([None, None]);
        assert!(t.periods.is_empty());
        assert_eq!(t.undated, 2);
        let t = timeline(["2017-06-03", "2017-06-03"].map(CalendarDate::parse_iso));
        assert_eq!(bars(&t), [("2017-06-03", 2)]);
    }
}
