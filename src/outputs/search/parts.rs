//! Which part of the search index an article lives in.
//!
//! The index is cut into parts by publication date so that a part is small enough to
//! re-index in about a second when one of its stories changes (the one part a new or
//! edited story lives in), and large enough that the parts a reader's first query merges
//! stay few. A part is a year; a year with more than `PART_SIZE` stories is cut into
//! halves, a half that is still too big into quarters, and such a quarter into months.
//! The rule looks only at dates, so the same articles always make the same parts, and a
//! new story changes no other part than its own.

use std::collections::HashMap;

use jiff::civil::Date;

/// Most stories in a part before it is cut into smaller periods. At 600, a daily
/// bulletin's parts were quarters of about 560 stories, and a warm rebuild after one edit
/// at 10,000 articles waited 2.4 s for its part; at 300 they are months of about 170.
pub const PART_SIZE: usize = 300;

/// The periods a part can span, longest first; each names a date's period in it.
const PERIODS: [fn(&Date) -> String; 4] = [
    |d| format!("{}", d.year()),
    |d| format!("{}-h{}", d.year(), (d.month() - 1) / 6 + 1),
    |d| format!("{}-q{}", d.year(), (d.month() - 1) / 3 + 1),
    |d| format!("{}-{:02}", d.year(), d.month()),
];

/// The part names of articles with these dates, in the same order: `2024`, `2024-h2`,
/// `2024-q3` or `2024-08`, the longest period that holds at most `PART_SIZE` of them (a
/// month, however many).
pub fn part_names(dates: &[Date]) -> Vec<String> {
    let counted: Vec<(Vec<String>, HashMap<String, usize>)> = PERIODS
        .iter()
        .map(|period| {
            let names: Vec<String> = dates.iter().map(period).collect();
            let mut counts = HashMap::new();
            for name in &names {
                *counts.entry(name.clone()).or_insert(0) += 1;
            }
            (names, counts)
        })
        .collect();
    (0..dates.len())
        .map(|i| {
            let fits = counted
                .iter()
                .find(|(names, counts)| counts[&names[i]] <= PART_SIZE);
            let (names, _) = fits.unwrap_or(&counted[PERIODS.len() - 1]);
            names[i].clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_small_site_is_one_part_a_year_and_a_busy_year_is_cut_finer() {
        let mut dates = vec![date(2023, 5, 1), date(2023, 12, 31)];
        dates.extend((0..PART_SIZE + 1).map(|i| date(2024, 1 + (i % 12) as i8, 1)));
        dates.extend((0..PART_SIZE + 1).map(|i| date(2025, 3, 1 + (i % 28) as i8)));
        dates.extend((0..PART_SIZE).map(|i| date(2026, 1 + (i % 6) as i8, 1)));
        dates.extend((0..PART_SIZE + 1).map(|i| date(2026, 7 + (i % 6) as i8, 1)));
        let names = part_names(&dates);
        assert_eq!(names[..2], ["2023", "2023"]);
        assert!(names[2..PART_SIZE + 3]
            .iter()
            .all(|n| n == "2024-h1" || n == "2024-h2"));
        assert!(names[PART_SIZE + 3..2 * PART_SIZE + 4]
            .iter()
            .all(|n| n == "2025-03"));
        let y2026 = &names[2 * PART_SIZE + 4..];
        assert!(y2026[..PART_SIZE].iter().all(|n| n == "2026-h1"));
        assert!(y2026[PART_SIZE..]
            .iter()
            .all(|n| n == "2026-q3" || n == "2026-q4"));
    }
}
