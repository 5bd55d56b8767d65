//! UTC dates without a date crate: the database records when each export
//! was fetched (`YYYY-MM-DDTHH:MM:SSZ`) and `age_days` subtracts dates.
//!
//! Howard Hinnant's `days_from_civil` / `civil_from_days`: exact for the
//! proleptic Gregorian calendar, a few lines, no leap-second tables.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn utc_now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    timestamp(secs)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Days since 1970-01-01 of a string starting with `YYYY-MM-DD` (a date
/// or a timestamp); `None` when it does not start with a real date.
pub(crate) fn days(text: &str) -> Option<i64> {
    let date = text.get(..10)?;
    let bytes = date.as_bytes();
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |s: &str| -> Option<i64> {
        if s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
    };
    let y = number(&date[..4])?;
    let m = number(&date[5..7])?;
    let d = number(&date[8..10])?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_timestamps() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(timestamp(4_102_444_800), "2100-01-01T00:00:00Z");
    }

    #[test]
    fn days_round_trip() {
        for day in [0u64, 1, 59, 60, 365, 10_957, 11_016, 19_782, 47_482] {
            let text = timestamp(day * 86_400 + 3_599);
            assert_eq!(days(&text), i64::try_from(day).ok(), "{text}");
        }
        assert_eq!(days("2024-03-01"), days("2024-02-29").map(|d| d + 1));
        assert_eq!(days("1969-12-31"), Some(-1));
    }

    #[test]
    fn rejects_non_dates() {
        for bad in
            ["", "2024-1-01", "2024-13-01", "2023-02-29", "2024/01/01", "2024-01-00", "２０２４"]
        {
            assert_eq!(days(bad), None, "{bad}");
        }
        assert_eq!(days("2024-02-29T10:00:00Z"), days("2024-02-29"));
    }
}
