//! The build time and the few calendar sums dates need (days ↔ civil
//! dates after Howard Hinnant's `days_from_civil`/`civil_from_days`).

use crate::config;
use crate::diag::{Diagnostic, Error, Result};
use crate::load::Project;

/// The build time, in seconds since 1970: `SOURCE_DATE_EPOCH` when set
/// (reproducible builds: the same input gives the same bytes), else the
/// book's date at midnight UTC, else the clock. Never 1970 by accident.
pub fn build_time(project: &Project) -> Result<i64> {
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        return s
            .trim()
            .parse::<i64>()
            .ok()
            // Years 0 to 9999: what an ISO 8601 date and PDF's dates hold.
            .filter(|t| (-62_167_219_200..=253_402_300_799).contains(t))
            .ok_or_else(|| {
                Error::config(Diagnostic::error(format!(
                    "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (up to year 9999), not `{}`",
                    config::shown(&s)
                )))
            });
    }
    if let Some(t) = project.book.meta.date.as_deref().and_then(parse_date) {
        return Ok(t);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(i64::try_from(now).unwrap_or(i64::MAX))
}

/// An ISO 8601 date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD` or longer; see
/// [`config::check_date`]) → seconds since 1970 at its first midnight UTC.
pub(super) fn parse_date(s: &str) -> Option<i64> {
    let (y, m, d) = config::date_ymd(s).ok()?;
    Some(days_from_civil(y, m, d) * 86_400)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil` algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date (year, month, day) of a count of days
/// since 1970-01-01 (Howard Hinnant's `civil_from_days`, the inverse of
/// [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Seconds since 1970 → `YYYY-MM-DDThh:mm:ssZ`.
pub fn iso8601(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        let d = parse_date("2024-02-29").unwrap();
        assert_eq!(iso8601(d), "2024-02-29T00:00:00Z");
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date("2024"), parse_date("2024-01-01"));
        assert_eq!(parse_date("2024-05-01T10:00:00Z"), parse_date("2024-05-01"));
    }
}
