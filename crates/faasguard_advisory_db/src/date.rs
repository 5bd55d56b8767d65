//! UTC dates: the database records when each export was fetched
//! (`YYYY-MM-DDTHH:MM:SSZ`) and `age_days` subtracts dates.

use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::BorrowedFormatItem;
use time::macros::{datetime, format_description};
use time::{Date, OffsetDateTime};

/// The shape of [`timestamp`]: seconds precision, always UTC.
const TIMESTAMP: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// The date at the start of a date or timestamp.
const DATE: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");

/// Now, as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn utc_now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    timestamp(secs)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn timestamp(secs: u64) -> String {
    // Past year 9999 `time` has no date (and the text would no longer sort
    // or parse as four-digit years): the last second it has stands in.
    let at = i64::try_from(secs)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(datetime!(9999-12-31 23:59:59 UTC));
    // Cannot fail: every component the description names is in range.
    at.format(TIMESTAMP).unwrap_or_default()
}

/// Days since 1970-01-01 of a string starting with `YYYY-MM-DD` (a date
/// or a timestamp); `None` when it does not start with a real date.
pub(crate) fn days(text: &str) -> Option<i64> {
    // Ten bytes exactly: `[year]` also takes a leading sign, which would
    // need an eleventh byte, so a signed year fails to parse here.
    let date = Date::parse(text.get(..10)?, DATE).ok()?;
    Some((date - OffsetDateTime::UNIX_EPOCH.date()).whole_days())
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
