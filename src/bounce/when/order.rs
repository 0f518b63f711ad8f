//! Which number of a slashed date is the month, when both could be (`4/12/2026`): the US
//! writes the month first, most of the English-speaking world the day, both with 12-hour
//! clocks (Outlook in en-AU: `Fri 4/12/2026 4:03 PM`). The date alone cannot say; the
//! paste's other dates can (the bounce's own `Date:`, a log line's ISO stamp, another
//! slashed date whose first number is past 12), since every date of one bounce lies within
//! a day or two of the others.

use std::sync::LazyLock;

use chrono::{Duration, NaiveDate};
use regex::Regex;

use super::super::model::Bounce;
use super::super::time;

/// How far from another date of the paste a reading may lie and still agree with it.
const AGREEING_DAYS: i64 = 2;

/// How much of the paste is searched for other dates.
const SCAN_LINES: usize = 400;

/// A slashed date's reading: its year and its two first numbers, and whether it was read
/// month first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slashed {
    year: i32,
    first: u32,
    second: u32,
    month_first: bool,
}

impl Slashed {
    fn reading(&self, month_first: bool) -> Option<NaiveDate> {
        let (m, d) = if month_first {
            (self.first, self.second)
        } else {
            (self.second, self.first)
        };
        NaiveDate::from_ymd_opt(self.year, m, d)
    }
}

/// The one slashed date of `raw` whose order is open (both numbers 1–12 and different),
/// read as [`super::super::time`] reads it: month first with AM/PM or a two-digit year.
fn open_slashed_date(raw: &str) -> Option<Slashed> {
    let lower = raw.to_ascii_lowercase();
    let twelve_hour = lower
        .split_whitespace()
        .any(|w| matches!(w, "am" | "pm" | "a.m." | "p.m."));
    let mut found = lower.split_whitespace().filter_map(|w| {
        let w = w.trim_end_matches(',');
        let mut parts = w.split('/');
        let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some()
            || ![a, b, y]
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
            || a.len() > 2
            || b.len() > 2
        {
            return None;
        }
        let (first, second): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
        let short_year = y.len() == 2;
        let year: i32 = match y.len() {
            4 => y.parse().ok()?,
            2 => 2000 + y.parse::<i32>().ok()?,
            _ => return None,
        };
        ((1..=12).contains(&first) && (1..=12).contains(&second) && first != second).then_some(
            Slashed {
                year,
                first,
                second,
                month_first: twelve_hour || short_year,
            },
        )
    });
    let one = found.next()?;
    found.next().is_none().then_some(one)
}

/// Dates the paste writes in a way that leaves no doubt: ISO (`2026-12-04`), with the
/// month's name in English (`4 Dec 2026`, `December 4, 2026`), or slashed with a number
/// past 12 (`16/12/2026`, `12/16/2026`).
static PLAIN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    const MONTH: &str = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?";
    Regex::new(&format!(
        r"(?i)\b(?:(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})(?:T|\b)|(?:(?P<nd>\d{{1,2}})\.?\s+{MONTH},?\s+(?P<ny>\d{{4}})|(?P<month2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<md>\d{{1,2}}),?\s+(?P<my>\d{{4}})|(?P<sa>\d{{1,2}})/(?P<sb>\d{{1,2}})/(?P<sy>\d{{4}}))\b)"
    ))
    .expect("a fixed pattern")
});

/// The month an English name in [`PLAIN_DATE`] names (`December`, `Dec.`), as the written
/// dates' reader knows it.
fn month_number(name: &str) -> Option<u32> {
    time::month_number(&name.trim_end_matches('.').to_lowercase())
}

/// The dates of `text` that leave no doubt (see [`PLAIN_DATE`]).
fn plain_dates(text: &str) -> Vec<NaiveDate> {
    let number = |c: &regex::Captures<'_>, name: &str| -> Option<u32> {
        c.name(name).and_then(|m| m.as_str().parse().ok())
    };
    let mut dates = Vec::new();
    for line in text.lines().take(SCAN_LINES) {
        if !line.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        for c in PLAIN_DATE.captures_iter(line) {
            let ymd = if let Some(y) = number(&c, "iy") {
                Some((y, number(&c, "im"), number(&c, "id")))
            } else if let Some(y) = number(&c, "ny") {
                let month = c.get(0).and_then(|m| {
                    m.as_str()
                        .split(|ch: char| !ch.is_ascii_alphabetic())
                        .find_map(month_number)
                });
                Some((y, month, number(&c, "nd")))
            } else if let Some(y) = number(&c, "my") {
                Some((
                    y,
                    c.name("month2").and_then(|m| month_number(m.as_str())),
                    number(&c, "md"),
                ))
            } else if let (Some(a), Some(b), Some(y)) =
                (number(&c, "sa"), number(&c, "sb"), number(&c, "sy"))
            {
                match (a > 12, b > 12) {
                    (true, false) => Some((y, Some(b), Some(a))),
                    (false, true) => Some((y, Some(a), Some(b))),
                    _ => None,
                }
            } else {
                None
            };
            if let Some((y, Some(m), Some(d))) = ymd
                && let Ok(y) = i32::try_from(y)
                && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
            {
                dates.push(date);
            }
        }
    }
    dates
}

/// Read the bounce's time again in the other order when its date's order is open and the
/// paste's other dates agree only with the other reading; with no such date, a page that
/// declares its region's zone (`(UTC+10:00) Canberra, Melbourne, Sydney`) writes that
/// region's order: month first in the Americas, day first elsewhere.
pub(super) fn settle_day_month_order(
    text: &str,
    region: Option<chrono_tz::Tz>,
    bounce: &mut Bounce,
) {
    let (Some(at), Some(raw)) = (bounce.timestamp, bounce.timestamp_raw.as_deref()) else {
        return;
    };
    let Some(date) = open_slashed_date(raw) else {
        return;
    };
    let (Some(as_read), Some(other)) = (
        date.reading(date.month_first),
        date.reading(!date.month_first),
    ) else {
        return;
    };
    // The time was read from this date: it must lie within a day of the reading (its zone
    // may move it across midnight), or it came from elsewhere.
    if (at.date_naive() - as_read).num_days().abs() > 1 {
        return;
    }
    let dates = plain_dates(text);
    let agrees = |reading: NaiveDate| {
        dates
            .iter()
            .any(|d| (*d - reading).num_days().abs() <= AGREEING_DAYS)
    };
    let by_dates = agrees(other) && !agrees(as_read);
    let by_region = !agrees(as_read)
        && !agrees(other)
        && region.is_some_and(|r| r.name().starts_with("America/") != date.month_first);
    if by_dates || by_region {
        bounce.timestamp = Some(at + Duration::days((other - as_read).num_days()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_slashed_date_and_how_it_was_read() {
        let d = open_slashed_date("Fri 4/12/2026 4:03 PM").expect("open");
        assert!(d.month_first);
        assert_eq!(d.reading(true), NaiveDate::from_ymd_opt(2026, 4, 12));
        assert_eq!(d.reading(false), NaiveDate::from_ymd_opt(2026, 12, 4));
        assert!(
            !open_slashed_date("04/12/2026 16:03")
                .expect("open")
                .month_first
        );
        // Settled by the numbers themselves, or no slashed date.
        assert_eq!(open_slashed_date("12/16/2026 4:03 PM"), None);
        assert_eq!(open_slashed_date("4/4/2026 4:03 PM"), None);
        assert_eq!(open_slashed_date("Fri, 4 Dec 2026 16:03:37 +0800"), None);
    }

    #[test]
    fn dates_that_leave_no_doubt() {
        let text = "Reported at: Fri, 4 Dec 2026 16:03:37 +0800\n2026-12-03T10:00:00Z x\nsent December 5, 2026\nrow 16/12/2026 and 4/12/2026\n";
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        assert_eq!(
            plain_dates(text),
            [
                ymd(2026, 12, 4),
                ymd(2026, 12, 3),
                ymd(2026, 12, 5),
                ymd(2026, 12, 16)
            ]
        );
    }
}
