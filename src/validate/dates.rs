//! Front-matter dates: `2022-08-02` (midnight in the site's zone), `2022-08-02 09:30`, or
//! RFC 3339 with an offset (`2022-08-02T09:30:00+08:00`).

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime as Zoned};

pub const HINT: &str =
    "write dates as `2022-08-02`, `2022-08-02 09:30` or `2022-08-02T09:30:00+08:00`";

pub fn parse_date(text: &str, tz: &TimeZone) -> Result<Zoned, String> {
    let text = text.trim();
    if text.len() == 10 {
        let date: Date = text.parse().map_err(|e: jiff::Error| plain(&e))?;
        return date.to_zoned_datetime(tz.clone()).map_err(|e| plain(&e));
    }
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.to_zoned_datetime(tz.clone()));
    }
    let dt: DateTime = text
        .replacen(' ', "T", 1)
        .parse()
        .map_err(|e: jiff::Error| plain(&e))?;
    dt.to_zoned_datetime(tz.clone()).map_err(|e| plain(&e))
}

fn plain(e: &jiff::Error) -> String {
    let s = e.to_string();
    if s.contains("day")
        && (s.contains("invalid") || s.contains("out of range") || s.contains("must be in range"))
    {
        return "that day does not exist in that month".into();
    }
    if s.contains("month") && (s.contains("out of range") || s.contains("must be in range")) {
        return "months run from 01 to 12".into();
    }
    "it is not in a date format Gazette reads".into()
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
    }

    #[test]
    fn impossible_dates_are_explained() {
        assert_eq!(
            parse_date("2022-02-30", &shanghai()).unwrap_err(),
            "that day does not exist in that month"
        );
        assert!(parse_date("昨天", &shanghai()).is_err());
        assert!(parse_date("2022-13-01", &shanghai()).is_err());
    }
}
