//! `--expiration` and `--expiration-in-days`: az's strict input format, acr's positive-days
//! rule (D4), and the RFC 3339 form the generate-credentials request carries.

use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use crate::error::{Error, Result};

/// Parses `--expiration`: exactly `%Y-%m-%dT%H:%M:%SZ`, as az's validator demands.
pub fn parse_expiration(value: &str) -> Result<PrimitiveDateTime> {
    let invalid = || {
        Error::cli(format!(
            "Input '{value}' is not valid datetime. Valid example: 2025-12-31T12:59:59Z"
        ))
    };
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    // strptime accepts single-digit fields too; the canonical form is what users type.
    PrimitiveDateTime::parse(value, &format).map_err(|_| invalid())
}

/// D4: `--expiration-in-days` must be positive (az ignores 0 and fails on negatives only after
/// creating the token).
pub fn check_days(days: Option<i64>) -> Result<()> {
    match days {
        Some(d) if d <= 0 => Err(Error::cli("Days must be positive.")),
        _ => Ok(()),
    }
}

/// `now + days` (UTC), saturating at `datetime.max` like az.
pub fn days_from_now(now: OffsetDateTime, days: i64) -> PrimitiveDateTime {
    let now = PrimitiveDateTime::new(now.date(), now.time());
    days.checked_mul(86_400)
        .map(Duration::seconds)
        .and_then(|d| now.checked_add(d))
        .filter(|t| t.year() <= 9999)
        .unwrap_or_else(|| {
            PrimitiveDateTime::new(
                time::Date::from_calendar_date(9999, time::Month::December, 31)
                    .expect("valid date"),
                time::Time::from_hms_micro(23, 59, 59, 999_999).expect("valid time"),
            )
        })
}

/// The request expiry of `--expiration-in-days` or `--expiration`: the days win when both are
/// given (az's order; the commands that forbid both check first), none without either.
pub fn request_expiry(
    now: OffsetDateTime,
    days: Option<i64>,
    at: Option<PrimitiveDateTime>,
) -> Option<String> {
    match (days, at) {
        (Some(days), _) => Some(to_request(days_from_now(now, days))),
        (None, at) => at.map(to_request),
    }
}

/// The request form of an expiry: naive UTC with `Z`, microseconds only when non-zero
/// (`2026-12-23T19:09:31.440711Z`, `2030-06-30T12:00:00Z`).
pub fn to_request(t: PrimitiveDateTime) -> String {
    let seconds =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    // Formatting a full date and time with a literal description cannot fail.
    let base = t.format(&seconds).unwrap_or_default();
    match t.microsecond() {
        0 => format!("{base}Z"),
        us => format!("{base}.{us:06}Z"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn strict_expiration_format() {
        assert_eq!(
            to_request(parse_expiration("2030-06-30T12:00:00Z").unwrap()),
            "2030-06-30T12:00:00Z"
        );
        for bad in [
            "2030-01-01",
            "2030-01-01T00:00:00",
            "2030-01-01T00:00:00.5Z",
            "2030-01-01T00:00:00+00:00",
            "x",
        ] {
            assert_eq!(
                parse_expiration(bad).unwrap_err().to_string(),
                format!("Input '{bad}' is not valid datetime. Valid example: 2025-12-31T12:59:59Z")
            );
        }
    }

    #[test]
    fn days() {
        assert!(check_days(None).is_ok());
        assert!(check_days(Some(1)).is_ok());
        assert_eq!(
            check_days(Some(0)).unwrap_err().to_string(),
            "Days must be positive."
        );
        assert!(check_days(Some(-5)).is_err());
        let now = datetime!(2026-11-23 19:09:31.440711 UTC);
        assert_eq!(
            to_request(days_from_now(now, 30)),
            "2026-12-23T19:09:31.440711Z"
        );
        assert_eq!(
            to_request(days_from_now(now, i64::MAX)),
            "9999-12-31T23:59:59.999999Z"
        );
    }
}
