//! Timestamps as Azure writes them: RFC 3339 in UTC with seven fractional digits and an
//! explicit `+00:00` offset (`2026-11-23T19:08:49.8634840+00:00`), and the lenient parser for
//! the date-times clients send (`…Z`, `…+01:00`, or az's naive `9999-12-31T23:59:59.999999`).
//! Pure functions only; no I/O.

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Seven fractional digits, as .NET's round-trip format and the ARM responses show.
pub fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!("{}.{:07}+00:00", whole_seconds(t), t.nanosecond() / 100)
}

/// `YYYY-MM-DDTHH:MM:SS` of a UTC time: what both formats share before the fraction.
fn whole_seconds(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// An expiry echoed back as the service answers it (.NET's `FFFFFFF`): the fraction without
/// its trailing zeros, none when it is zero (`2100-12-31T12:59:59.000Z` comes back as
/// `2100-12-31T12:59:59+00:00`, `…52.300508Z` as `…52.300508+00:00`; both recorded).
pub fn format_expiry(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let digits = format!("{:07}", t.nanosecond() / 100);
    let fraction = digits.trim_end_matches('0');
    let dot = if fraction.is_empty() { "" } else { "." };
    format!("{}{dot}{fraction}+00:00", whole_seconds(t))
}

/// Parses what clients send as a date-time. A value without offset is UTC (az sends
/// `9999-12-31T23:59:59.999999` when `now + N days` overflows).
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t);
    }
    let fmt = time::macros::format_description!(
        version = 2,
        "[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]"
    );
    PrimitiveDateTime::parse(s, &fmt)
        .ok()
        .map(|p| p.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_seven_digits_and_offset() {
        let t = parse("2026-11-23T19:08:49.863484Z").unwrap();
        assert_eq!(format(t), "2026-11-23T19:08:49.8634840+00:00");
    }

    #[test]
    fn expiry_drops_trailing_zeros_as_recorded() {
        for (sent, echoed) in [
            ("2100-12-31T12:59:59.000Z", "2100-12-31T12:59:59+00:00"),
            (
                "2025-03-20T20:06:52.300508Z",
                "2025-03-20T20:06:52.300508+00:00",
            ),
            (
                "2021-12-31T21:13:20.947132Z",
                "2021-12-31T21:13:20.947132+00:00",
            ),
            (
                "2030-01-01T00:00:00.1234567Z",
                "2030-01-01T00:00:00.1234567+00:00",
            ),
        ] {
            assert_eq!(format_expiry(parse(sent).unwrap()), echoed, "{sent}");
        }
    }

    #[test]
    fn expiry_keeps_whole_seconds_short() {
        assert_eq!(
            format_expiry(parse("2100-12-31T12:59:59Z").unwrap()),
            "2100-12-31T12:59:59+00:00"
        );
        assert_eq!(
            format_expiry(parse("2030-01-01T01:00:00+01:00").unwrap()),
            "2030-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn parses_naive_and_rejects_garbage() {
        let t = parse("9999-12-31T23:59:59.999999").unwrap();
        assert_eq!(t.year(), 9999);
        assert!(parse("2030-01-01").is_none());
        assert!(parse("tomorrow").is_none());
    }
}
