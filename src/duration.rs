//! Durations as users type them on both command lines (`7d`, `12h`, `30m`, `45s`, `500ms`):
//! a whole number and one unit. Shared by `acr` (`--expiring-within`, `--verify-timeout`) and
//! `acr-emulator` (`--password-propagation`); pure, no I/O.

use std::time::Duration;

/// Parses `<digits><unit>` with unit `d`, `h`, `m`, `s` or `ms`. The error names the value and
/// the accepted forms (clap shows it as `argument --x: <error>`).
pub fn parse(text: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid duration value: '{text}' (for example 7d, 12h, 30m, 45s)");
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(invalid)?;
    let (digits, unit) = trimmed.split_at(split);
    if digits.is_empty() {
        return Err(invalid());
    }
    let n: u64 = digits.parse().map_err(|_| invalid())?;
    let seconds = |factor: u64| n.checked_mul(factor).map(Duration::from_secs);
    let duration = match unit {
        "d" => seconds(86_400),
        "h" => seconds(3_600),
        "m" => seconds(60),
        "s" => seconds(1),
        "ms" => Some(Duration::from_millis(n)),
        _ => None,
    };
    // Durations beyond a hundred thousand years overflow date arithmetic; nobody means them.
    duration
        .filter(|d| d.as_secs() <= 100_000 * 366 * 86_400)
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse("12h"), Ok(Duration::from_secs(12 * 3_600)));
        assert_eq!(parse("30m"), Ok(Duration::from_secs(1_800)));
        assert_eq!(parse("45s"), Ok(Duration::from_secs(45)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refuses_what_is_not_one_number_and_one_unit() {
        for bad in [
            "",
            "7",
            "d",
            "7w",
            "1.5h",
            "-1d",
            "7 d",
            "1h30m",
            "99999999999999999999d",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("invalid duration value"), "{bad}: {e}");
        }
    }
}
