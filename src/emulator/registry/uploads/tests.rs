//! Unit tests of uploads: Content-Range parsing and the session caps.

use std::time::Duration;

use super::*;

#[test]
fn content_ranges() {
    let mut h = HeaderMap::new();
    assert_eq!(range_start(&h).unwrap(), None);
    h.insert(header::CONTENT_RANGE, HeaderValue::from_static("0-99"));
    assert_eq!(range_start(&h).unwrap(), Some((0, 100)));
    h.insert(
        header::CONTENT_RANGE,
        HeaderValue::from_static("bytes 100-199/*"),
    );
    assert_eq!(range_start(&h).unwrap(), Some((100, 100)));
    h.insert(header::CONTENT_RANGE, HeaderValue::from_static("bytes=5-9"));
    assert_eq!(range_start(&h).unwrap(), Some((5, 5)));
    h.insert(header::CONTENT_RANGE, HeaderValue::from_static("9-5"));
    assert!(range_start(&h).is_err());
    // Finding 5: the length of this range overflowed a u64.
    h.insert(
        header::CONTENT_RANGE,
        HeaderValue::from_static("0-18446744073709551615"),
    );
    assert!(range_start(&h).is_err());
    h.insert(
        header::CONTENT_RANGE,
        HeaderValue::from_static("1-18446744073709551615"),
    );
    assert_eq!(range_start(&h).unwrap(), Some((1, u64::MAX)));
    assert_eq!(range_value(0), "0-0");
    assert_eq!(range_value(10), "0-9");
}

fn session(repo: &str) -> Session {
    Session {
        repo: repo.to_string(),
        upload: Some(Upload::default()),
        touched: Instant::now(),
    }
}

/// Finding 3: sessions are capped per repository and per registry, and expire.
#[test]
fn sessions_are_capped_and_expire() {
    let s = Sessions::with_caps(2, 3, Arc::default());
    s.insert(Uuid::new_v4(), session("a")).unwrap();
    s.insert(Uuid::new_v4(), session("a")).unwrap();
    let e = s.insert(Uuid::new_v4(), session("a")).unwrap_err();
    assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(e.code, "TOOMANYREQUESTS");
    s.insert(Uuid::new_v4(), session("b")).unwrap();
    // The registry's total is reached: another repository is refused too.
    assert!(s.insert(Uuid::new_v4(), session("c")).is_err());
    assert!(s.expire(Duration::from_secs(60)).is_empty());
    assert_eq!(s.expire(Duration::ZERO).len(), 3);
    s.insert(Uuid::new_v4(), session("c")).unwrap();
}

/// Finding 3: the emulator-wide cap spans registries, and every way a session ends gives
/// its share back.
#[test]
fn the_total_cap_spans_registries() {
    let budget = Arc::new(Budget::with_cap(3));
    let a = Sessions::with_caps(10, 10, budget.clone());
    let b = Sessions::with_caps(10, 10, budget.clone());
    let (a1, a2) = (Uuid::new_v4(), Uuid::new_v4());
    a.insert(a1, session("x")).unwrap();
    a.insert(a2, session("y")).unwrap();
    b.insert(Uuid::new_v4(), session("x")).unwrap();
    let e = b.insert(Uuid::new_v4(), session("z")).unwrap_err();
    assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(budget.open(), 3);
    a.remove(&a1);
    b.insert(Uuid::new_v4(), session("z")).unwrap();
    assert_eq!(b.expire(Duration::ZERO).len(), 2);
    assert_eq!(budget.open(), 1);
    drop(a); // a deleted registry
    assert_eq!(budget.open(), 0);
}
