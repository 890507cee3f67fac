//! Front-matter dates: `2022-08-02` (midnight in the site's zone), `2022-08-02 09:30`, or
//! RFC 3339 with an offset (`2022-08-02T09:30:00+08:00`).
//!
//! Read by splitting into numbers and checking each, not by reading a parser's English
//! error text, so every mistake gets its own message. What is unambiguous is accepted as
//! written with a Chinese keyboard in a hurry: `2026-2-3` and `2026-11-20 9:30`. What
//! needs the editor's eye (`2026年11月20日`, `09：30`) is an error whose hint is the date
//! rewritten.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime as Zoned};

use crate::diag::Message;

/// Why a date was refused, and how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub message: Message,
    pub hint: Message,
}

pub fn parse_date(text: &str, tz: &TimeZone) -> Result<Zoned, DateError> {
    let text = text.trim();
    if text.contains(CHINESE_MARKS) {
        // `8月3日` has no year: then there is nothing certain to suggest.
        let hint = if text.contains('年') {
            msg!("date.chinese.hint", fixed = chinese_form(text))
        } else {
            msg!("date.hint")
        };
        return Err(DateError {
            message: msg!("date.chinese", date = text),
            hint,
        });
    }
    if text.contains(['+', 'Z', 'z']) || text.matches('-').count() > 2 {
        // An instant with its offset: the whole string is RFC 3339 or it is wrong.
        return text
            .parse::<Timestamp>()
            .map(|ts| ts.to_zoned_datetime(tz.clone()))
            .map_err(|_| format_error(text));
    }
    let (date_part, time_part) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    let date = civil_date(date_part).ok_or_else(|| format_error(text))??;
    let time = match time_part {
        None => Time::midnight(),
        Some(t) => civil_time(t).ok_or_else(|| format_error(text))?,
    };
    DateTime::from_parts(date, time)
        .to_zoned_datetime(tz.clone())
        .map_err(|_| format_error(text))
}

/// `YYYY-M-D` with one- or two-digit month and day; `None` when it is not that shape,
/// `Some(Err)` when it is but the month or day does not exist.
fn civil_date(text: &str) -> Option<Result<Date, DateError>> {
    let mut parts = text.split('-');
    let year = number(parts.next()?, 4, 4)?;
    let month = number(parts.next()?, 1, 2)?;
    let day = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    if !(1..=12).contains(&month) {
        return Some(Err(DateError {
            message: msg!("date.month", date = text),
            hint: msg!("date.hint"),
        }));
    }
    let first = Date::new(year as i16, month as i8, 1).ok()?;
    if day == 0 || day > first.days_in_month() as u32 {
        return Some(Err(DateError {
            message: msg!("date.day", date = text),
            hint: msg!("date.hint"),
        }));
    }
    Some(Date::new(year as i16, month as i8, day as i8).map_err(|_| format_error(text)))
}

/// `H:MM` or `HH:MM`, optionally `:SS`.
fn civil_time(text: &str) -> Option<Time> {
    let mut parts = text.split(':');
    let hour = number(parts.next()?, 1, 2)?;
    let minute = number(parts.next()?, 2, 2)?;
    let second = match parts.next() {
        Some(s) => number(s, 2, 2)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    // Out-of-range parts (24:00, 9:60) are refused here.
    Time::new(hour as i8, minute as i8, second as i8, 0).ok()
}

/// Digits only, between `min` and `max` of them.
fn number(text: &str, min: usize, max: usize) -> Option<u32> {
    let ok = (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

const CHINESE_MARKS: [char; 5] = ['年', '月', '日', '号', '：'];

/// The date typed with 年月日 or a full-width colon, rewritten.
fn chinese_form(text: &str) -> String {
    let ascii: String = text
        .replace(['年', '月'], "-")
        .replace(['日', '号'], " ")
        .replace('：', ":");
    let ascii = ascii.split_whitespace().collect::<Vec<_>>().join(" ");
    let (date, time) = match ascii.split_once(' ') {
        Some((d, t)) => (d.to_string(), Some(t.to_string())),
        None => (ascii.clone(), None),
    };
    let padded: Vec<String> = date.split('-').map(|p| format!("{p:0>2}")).collect();
    let mut fixed = padded.join("-");
    if let Some(t) = time {
        let (h, m) = t.split_once(':').unwrap_or((&t, "00"));
        fixed.push_str(&format!(" {h:0>2}:{m:0>2}"));
    }
    fixed
}

fn format_error(text: &str) -> DateError {
    DateError {
        message: msg!("date.format", date = text),
        hint: msg!("date.hint"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    #[test]
    fn plain_dates_are_midnight_in_the_site_zone() {
        let z = parse_date("2022-08-02", &shanghai()).unwrap();
        assert_eq!(z.to_string(), "2022-08-02T00:00:00+08:00[Asia/Shanghai]");
    }

    #[test]
    fn rfc3339_keeps_the_instant() {
        let z = parse_date("2022-08-02T01:00:00Z", &shanghai()).unwrap();
        assert_eq!((z.day(), z.hour()), (2, 9));
        let z = parse_date("2022-08-02 09:30", &shanghai()).unwrap();
        assert_eq!(z.minute(), 30);
        // A correspondent abroad: a negative offset has no `+` or `Z` to give it away.
        let z = parse_date("2022-08-01T21:00:00-04:00", &shanghai()).unwrap();
        assert_eq!((z.day(), z.hour()), (2, 9));
    }

    #[test]
    fn unambiguous_short_forms_are_accepted() {
        let z = parse_date("2026-2-3", &shanghai()).unwrap();
        assert_eq!((z.month(), z.day()), (2, 3));
        let z = parse_date("2026-11-20 9:30", &shanghai()).unwrap();
        assert_eq!((z.hour(), z.minute()), (9, 30));
    }

    #[test]
    fn impossible_dates_are_explained() {
        let id = |s: &str| parse_date(s, &shanghai()).unwrap_err().message.id;
        assert_eq!(id("2022-02-30"), "date.day");
        assert_eq!(id("2022-13-01"), "date.month");
        assert_eq!(id("昨天"), "date.format");
        assert_eq!(id("2026-11-20 9:3"), "date.format");
        assert_eq!(id("2023-02-29"), "date.day");
        assert_eq!(id("2022-04-31"), "date.day");
        assert_eq!(id("2022-04-00"), "date.day");
        for time in ["24:00", "9:60", "9:30:60", "9:30:00:00"] {
            assert_eq!(id(&format!("2022-08-02 {time}")), "date.format", "{time}");
        }
    }

    #[test]
    fn the_last_day_and_the_last_second_are_dates() {
        let at = |s: &str| parse_date(s, &shanghai()).expect(s);
        assert_eq!(at("2024-02-29").day(), 29);
        assert_eq!(at("2022-01-31").day(), 31);
        let z = at("2022-12-31 23:59:59");
        assert_eq!((z.hour(), z.minute(), z.second()), (23, 59, 59));
    }

    #[test]
    fn chinese_dates_get_the_fixed_form_as_hint() {
        let e = parse_date("2026年11月20日 9：30", &shanghai()).unwrap_err();
        assert_eq!(e.message.id, "date.chinese");
        assert_eq!(
            e.hint,
            msg!("date.chinese.hint", fixed = "2026-11-20 09:30")
        );
    }
}
