//! Coarse periods (`2026-11`, `2026-W48`): the only "when" a submission
//! carries. Plain civil-calendar arithmetic in UTC, no date crate.

use crate::json::{shape_err, Json, Shape};

/// How coarse the submission period is; set in the school's config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Granularity {
    /// `YYYY-MM`.
    #[default]
    Month,
    /// ISO 8601 week `YYYY-Www`, whose year is the ISO week-year.
    Week,
}

impl Granularity {
    /// Reads `"month"` or `"week"`.
    pub fn from_json(v: &Json, at: &str) -> Shape<Granularity> {
        match v.str(at)?.as_str() {
            "month" => Ok(Granularity::Month),
            "week" => Ok(Granularity::Week),
            other => Err(shape_err(at, format_args!("expected \"month\" or \"week\", found \"{other}\""))),
        }
    }
}

const DAY_MS: f64 = 86_400_000.0;

/// The period containing `unix_ms` (milliseconds since the Unix epoch, UTC),
/// e.g. `"2026-11"` or `"2026-W48"`. Times before 1970 or after 9999, and
/// non-finite ones, are clamped into that range.
pub fn period(g: Granularity, unix_ms: f64) -> String {
    let max = days_from_civil(9999, 12, 28) as f64 * DAY_MS;
    let ms = if unix_ms.is_nan() { 0.0 } else { unix_ms.clamp(0.0, max) };
    let days = (ms / DAY_MS).floor() as i64;
    let mut s = String::with_capacity(8);
    let (y, n) = match g {
        Granularity::Month => {
            let (y, m, _) = civil_from_days(days);
            (y, m)
        }
        Granularity::Week => iso_week(days),
    };
    push_num(&mut s, y as u32, 4);
    s.push_str(if g == Granularity::Week { "-W" } else { "-" });
    push_num(&mut s, n, 2);
    s
}

/// True for `YYYY-MM` or `YYYY-Www` with a year from 2000 to 2100, a month
/// 01-12, and a week 01-52, or 53 in the years that have one.
pub fn is_valid_period(s: &str) -> bool {
    let b = s.as_bytes();
    let n = |r: std::ops::Range<usize>| {
        b.get(r.clone()).filter(|d| d.iter().all(u8::is_ascii_digit)).map(|d| d.iter().fold(0u32, |v, c| v * 10 + u32::from(c - b'0')))
    };
    let Some(y) = n(0..4).filter(|y| (2000..=2100).contains(y)) else { return false };
    match (b.len(), b.get(4..6)) {
        (7, Some([b'-', _])) => n(5..7).is_some_and(|m| (1..=12).contains(&m)),
        (8, Some(b"-W")) => n(6..8).is_some_and(|w| w >= 1 && w <= iso_week(days_from_civil(y.into(), 12, 28)).1),
        _ => false,
    }
}

/// The ISO week-year and week of a day (days since 1970-01-01).
fn iso_week(days: i64) -> (i64, u32) {
    // 1970-01-01 was a Thursday; 0 = Monday. A week belongs to the year its
    // Thursday falls in.
    let thursday = days - (days + 3).rem_euclid(7) + 3;
    let y = civil_from_days(thursday).0;
    (y, ((thursday - days_from_civil(y, 1, 1)) / 7 + 1) as u32)
}

fn push_num(s: &mut String, n: u32, width: u32) {
    for k in (0..width).rev() {
        s.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let (era, yoe) = (y.div_euclid(400), y.rem_euclid(400));
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// (year, month, day) of a day since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

const MONTHS: [&str; 12] =
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/// 1-12 for an English month name or its three-letter (or "Sept")
/// abbreviation, in any case.
pub(crate) fn month_number(w: &[u8]) -> Option<u32> {
    let full = |m: &&str| w.eq_ignore_ascii_case(m.as_bytes()) || w.len() == 3 && w.eq_ignore_ascii_case(&m.as_bytes()[..3]);
    let p = MONTHS.iter().position(full).or_else(|| w.eq_ignore_ascii_case(b"sept").then_some(8))?;
    Some(p as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i64, m: u32, d: u32) -> f64 {
        days_from_civil(y, m, d) as f64 * DAY_MS
    }

    #[test]
    fn months() {
        assert_eq!(period(Granularity::Month, 0.0), "1970-01");
        assert_eq!(period(Granularity::Month, ms(2026, 11, 30) + DAY_MS - 1.0), "2026-11");
        assert_eq!(period(Granularity::Month, ms(2026, 12, 1)), "2026-12");
        assert_eq!(period(Granularity::Month, ms(2024, 2, 29)), "2024-02");
        assert_eq!(period(Granularity::Month, f64::NAN), "1970-01");
        assert_eq!(period(Granularity::Month, -1.0e20), "1970-01");
        assert_eq!(period(Granularity::Month, f64::INFINITY), "9999-12");
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        let w = |y, m, d| period(Granularity::Week, ms(y, m, d));
        // 2026 starts on a Thursday, so it has 53 weeks.
        assert_eq!(w(2026, 1, 1), "2026-W01");
        assert_eq!(w(2026, 11, 26), "2026-W48");
        assert_eq!(w(2026, 12, 31), "2026-W53");
        assert_eq!(w(2027, 1, 1), "2026-W53");
        assert_eq!(w(2027, 1, 3), "2026-W53");
        assert_eq!(w(2027, 1, 4), "2027-W01");
        // 2024-12-30 (Monday) is already in 2025's first week.
        assert_eq!(w(2024, 12, 29), "2024-W52");
        assert_eq!(w(2024, 12, 30), "2025-W01");
        // 2021-01-03 (Sunday) still belongs to 2020-W53.
        assert_eq!(w(2021, 1, 3), "2020-W53");
        assert_eq!(w(2021, 1, 4), "2021-W01");
        // Epoch day was a Thursday in 1970-W01.
        assert_eq!(period(Granularity::Week, 0.0), "1970-W01");
        assert_eq!(period(Granularity::Week, 1_790_000_000_000.0), "2026-W39");
    }

    #[test]
    fn civil_round_trip() {
        for z in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn validity() {
        for ok in ["2026-11", "2000-01", "2100-12", "2026-W01", "2026-W53", "2020-W53", "2032-W53"] {
            assert!(is_valid_period(ok), "{ok}");
        }
        for bad in [
            "2026-13",
            "2026-00",
            "1999-12",
            "2101-01",
            "2025-W53",
            "2027-W53",
            "2026-W00",
            "2026-W54",
            "2026-w12",
            "2026-11-01",
            "2026-1",
            "26-11",
            "",
            "2026_11",
            "２０26-11",
            "2026-W5",
            "+026-11",
            "2026-W+1",
        ] {
            assert!(!is_valid_period(bad), "{bad}");
        }
    }

    #[test]
    fn week_53_years_match_the_calendar() {
        // Years 2000-2100 whose 28 December falls in week 53 (from Python's
        // `date.isocalendar`).
        let long = [2004, 2009, 2015, 2020, 2026, 2032, 2037, 2043, 2048, 2054, 2060, 2065, 2071, 2076, 2082, 2088, 2093, 2099];
        for y in 2000..=2100u32 {
            let mut s = String::new();
            push_num(&mut s, y, 4);
            assert_eq!(is_valid_period(&(s.clone() + "-W53")), long.contains(&y), "{y}");
            assert!(is_valid_period(&(s + "-W52")));
        }
    }

    #[test]
    fn month_names() {
        assert_eq!(month_number(b"Oct"), Some(10));
        assert_eq!(month_number(b"SEPT"), Some(9));
        assert_eq!(month_number(b"may"), Some(5));
        assert_eq!(month_number(b"December"), Some(12));
        assert_eq!(month_number(b"Ma"), None);
        assert_eq!(month_number(b"Marc"), None);
        assert_eq!(month_number(b"Wed"), None);
    }
}
