//! Unit tests of the SPEC grammar, the seeded draw, the token buckets and the reset service.

use std::time::Duration;

use super::*;

#[test]
fn parses_the_grammar() {
    let s: FaultSpec = "arm:429=0.2,arm:503=0.1,arm:reset=0.05,arm:latency=100ms,registry:503=0.05"
        .parse()
        .unwrap();
    assert_eq!(s.plane(Plane::Arm).probabilities, [0.2, 0.1, 0.0, 0.05]);
    assert_eq!(
        s.plane(Plane::Arm).latency,
        Some(Duration::from_millis(100))
    );
    assert_eq!(s.plane(Plane::Registry).probabilities[1], 0.05);
    assert!(s.plane(Plane::Identity) == &PlaneFaults::default());
    let r: FaultSpec = "arm:ratelimit=20,identity:latency=1.5s".parse().unwrap();
    assert_eq!(r.plane(Plane::Arm).ratelimit, Some(20.0));
    assert_eq!(
        r.plane(Plane::Identity).latency,
        Some(Duration::from_millis(1500))
    );
    assert!("".parse::<FaultSpec>().unwrap().is_empty());
}

#[test]
fn rejects_bad_specs_with_a_reason() {
    for (bad, why) in [
        ("arm", "no ':'"),
        ("arm:429", "no '='"),
        ("dns:429=0.1", "PLANE is"),
        ("arm:404=0.1", "KIND is"),
        ("arm:429=1.5", "[0, 1]"),
        ("arm:429=x", "[0, 1]"),
        ("arm:latency=10", "duration"),
        ("arm:latency=5h", "duration"),
        ("registry:ratelimit=5", "arm plane only"),
        ("arm:ratelimit=0", "positive"),
        ("arm:429=0.6,arm:503=0.6", "more than 1"),
    ] {
        let e = bad.parse::<FaultSpec>().unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn the_same_seed_gives_the_same_sequence() {
    let spec: FaultSpec = "arm:429=0.3,arm:reset=0.2,registry:500=0.5"
        .parse()
        .unwrap();
    let run = |seed| {
        let f = Faults::new(spec.clone(), seed);
        (0..200)
            .map(|i| {
                f.decide(if i % 3 == 0 {
                    Plane::Registry
                } else {
                    Plane::Arm
                })
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
    let seq = run(7);
    let share = |f: Fault| seq.iter().filter(|d| **d == Some(f)).count();
    // 133 arm draws at 0.3 and 0.2, 67 registry draws at 0.5: loose bounds.
    assert!((20..=60).contains(&share(Fault::Status(429))));
    assert!((10..=45).contains(&share(Fault::Reset)));
    assert!((15..=50).contains(&share(Fault::Status(500))));
    // A plane without faults draws nothing.
    assert!(Faults::new(spec, 1).decide(Plane::Identity).is_none());
}

#[test]
fn the_bucket_throttles_above_the_rate() {
    let f = Faults::new("arm:ratelimit=5".parse().unwrap(), 0);
    let taken: Vec<_> = (0..7).map(|_| f.take_token("sub", true)).collect();
    assert_eq!(&taken[..5], &[Ok(4), Ok(3), Ok(2), Ok(1), Ok(0)]);
    assert_eq!(taken[5], Err(1));
    // Reads have their own bucket.
    assert_eq!(f.take_token("SUB", false), Ok(4));
    // Without a ratelimit the default buckets are reported, never enforced.
    let d = Faults::new(FaultSpec::default(), 0);
    for _ in 0..300 {
        assert!(d.take_token("s", true).is_ok());
    }
    assert_eq!(d.peek("s", false), 250);
}

#[test]
fn planes_of_main_port_paths() {
    assert_eq!(main_port_plane("/subscriptions/x"), Some(Plane::Arm));
    assert_eq!(
        main_port_plane("/aad/t/oauth2/v2.0/token"),
        Some(Plane::Identity)
    );
    assert_eq!(main_port_plane("/metadata/endpoints"), Some(Plane::Arm));
    assert_eq!(
        main_port_plane("/metadata/identity/oauth2/token"),
        Some(Plane::Identity)
    );
    assert_eq!(main_port_plane("/portal/"), None);
    assert_eq!(main_port_plane("/_emulator/requests"), None);
    assert_eq!(subscription_of("/subscriptions/abc/resourceGroups"), "abc");
    assert_eq!(subscription_of("/tenants"), "");
}
