//! The decisions of acr's additions over a token's passwords, as pure functions: which slot a
//! rotation replaces (the empty one, else the older one) and why, and whether a token matches
//! the expiry filters (`--expiring-within`, `--expired`).

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One password of a token as the service reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Password {
    pub name: String,
    pub created: Option<OffsetDateTime>,
    /// `None`: never expires.
    pub expiry: Option<OffsetDateTime>,
}

/// The two slots, in the service's naming.
pub const SLOTS: [&str; 2] = ["password1", "password2"];

/// Parses a service date-time (`2026-11-23T19:08:49.8634840+00:00`; a value without an
/// offset, as az writes `9999-12-31T23:59:59.999999`, is UTC).
pub fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .or_else(|| OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339).ok())
}

/// The passwords of a token resource (`properties.credentials.passwords`).
pub fn passwords(token: &Value) -> Vec<Password> {
    let text = |p: &Value, key: &str| p.get(key).and_then(Value::as_str).map(str::to_owned);
    token
        .pointer("/properties/credentials/passwords")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|p| {
                    Some(Password {
                        name: text(p, "name")?,
                        created: text(p, "creationTime").as_deref().and_then(parse_time),
                        expiry: text(p, "expiry").as_deref().and_then(parse_time),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The slot a rotation replaces and the reason, in words for `--dry-run`.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub slot: &'static str,
    pub reason: String,
}

/// `--slot` when given; else the first empty slot; else the slot with the older
/// `creationTime` (password1 when they are equal or unknown), so the other one keeps working.
pub fn choose_slot(passwords: &[Password], forced: Option<&'static str>) -> Choice {
    if let Some(slot) = forced {
        return Choice {
            slot,
            reason: format!("{slot} was chosen with --slot"),
        };
    }
    let find = |slot: &str| passwords.iter().find(|p| p.name == slot);
    if let Some(slot) = SLOTS.into_iter().find(|s| find(s).is_none()) {
        return Choice {
            slot,
            reason: format!("{slot} is empty"),
        };
    }
    let (one, two) = (find(SLOTS[0]), find(SLOTS[1]));
    let created = |p: Option<&Password>| p.and_then(|p| p.created);
    let (c1, c2) = (created(one), created(two));
    let shown = |t: Option<OffsetDateTime>| {
        t.and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_else(|| "at an unknown time".to_owned())
    };
    let slot = match (c1, c2) {
        (Some(a), Some(b)) if b < a => SLOTS[1],
        (None, Some(_)) => SLOTS[0],
        (Some(_), None) => SLOTS[1],
        _ => SLOTS[0],
    };
    let (older, newer) = if slot == SLOTS[0] { (c1, c2) } else { (c2, c1) };
    let other = if slot == SLOTS[0] { SLOTS[1] } else { SLOTS[0] };
    Choice {
        slot,
        reason: format!(
            "{slot} is the older password (created {}; {other} created {})",
            shown(older),
            shown(newer)
        ),
    }
}

/// The expiry filters of `token list` and `rotate --all`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExpiryFilter {
    /// A password expires after `now` and at most this long after it.
    pub within: Option<std::time::Duration>,
    /// A password expired at or before `now` (the moment the registry refuses it).
    pub expired: bool,
}

impl ExpiryFilter {
    pub fn is_active(&self) -> bool {
        self.within.is_some() || self.expired
    }

    /// Whether any of `passwords` matches: with both filters, either one. Passwords without
    /// an expiry never match; an inactive filter matches everything.
    pub fn matches(&self, passwords: &[Password], now: OffsetDateTime) -> bool {
        if !self.is_active() {
            return true;
        }
        passwords.iter().filter_map(|p| p.expiry).any(|expiry| {
            let expired = expiry <= now;
            let within = self.within.is_some_and(|d| !expired && expiry <= now + d);
            (self.expired && expired) || within
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn pw(name: &str, created: Option<OffsetDateTime>) -> Password {
        Password {
            name: name.into(),
            created,
            expiry: None,
        }
    }

    #[test]
    fn the_empty_slot_first_then_the_older_one() {
        let old = Some(datetime!(2026-01-01 0:00 UTC));
        let new = Some(datetime!(2026-06-01 0:00 UTC));
        assert_eq!(choose_slot(&[], None).slot, "password1");
        assert_eq!(choose_slot(&[], None).reason, "password1 is empty");
        assert_eq!(choose_slot(&[pw("password1", old)], None).slot, "password2");
        assert_eq!(choose_slot(&[pw("password2", old)], None).slot, "password1");
        let both = [pw("password1", new), pw("password2", old)];
        let choice = choose_slot(&both, None);
        assert_eq!(choice.slot, "password2");
        assert_eq!(
            choice.reason,
            "password2 is the older password (created 2026-01-01T00:00:00Z; password1 created 2026-06-01T00:00:00Z)"
        );
        let both = [pw("password1", old), pw("password2", new)];
        assert_eq!(choose_slot(&both, None).slot, "password1");
        let same = [pw("password1", old), pw("password2", old)];
        assert_eq!(choose_slot(&same, None).slot, "password1");
        assert_eq!(
            choose_slot(&both, Some("password2")),
            Choice {
                slot: "password2",
                reason: "password2 was chosen with --slot".into()
            }
        );
    }

    #[test]
    fn passwords_of_a_token_resource() {
        let token = json!({"properties": {"credentials": {"passwords": [
            {"name": "password1", "creationTime": "2026-11-23T19:08:49.8634840+00:00", "expiry": "9999-12-31T23:59:59.999999"},
            {"name": "password2", "creationTime": "garbage"}
        ]}}});
        let list = passwords(&token);
        assert_eq!(list.len(), 2);
        assert_eq!(
            list[0].created,
            Some(datetime!(2026-11-23 19:08:49.863484 UTC))
        );
        assert_eq!(list[0].expiry.unwrap().year(), 9999);
        assert_eq!(list[1].created, None);
        assert!(passwords(&json!({"properties": {}})).is_empty());
    }

    #[test]
    fn expiry_windows_at_their_edges() {
        let now = datetime!(2030-01-01 0:00 UTC);
        let expiring = |t: OffsetDateTime| {
            vec![Password {
                name: "password1".into(),
                created: None,
                expiry: Some(t),
            }]
        };
        let week = ExpiryFilter {
            within: Some(std::time::Duration::from_secs(7 * 86_400)),
            expired: false,
        };
        let expired = ExpiryFilter {
            within: None,
            expired: true,
        };
        let edge = now + time::Duration::days(7);
        assert!(week.matches(&expiring(edge), now));
        assert!(!week.matches(&expiring(edge + time::Duration::nanoseconds(1000)), now));
        assert!(!week.matches(&expiring(now), now), "expired, not expiring");
        assert!(week.matches(&expiring(now + time::Duration::seconds(1)), now));
        assert!(expired.matches(&expiring(now), now));
        assert!(!expired.matches(&expiring(now + time::Duration::seconds(1)), now));
        let never = vec![pw("password1", None)];
        assert!(!week.matches(&never, now) && !expired.matches(&never, now));
        assert!(ExpiryFilter::default().matches(&never, now));
        let both = ExpiryFilter {
            expired: true,
            ..week
        };
        assert!(both.matches(&expiring(now), now) && both.matches(&expiring(edge), now));
    }
}
