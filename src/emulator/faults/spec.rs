//! The `--faults` SPEC grammar: comma-separated `PLANE:KIND=VALUE` (`arm:429=0.1`,
//! `registry:latency=150ms`, `arm:ratelimit=5`), parsed into per-plane probabilities, latency
//! and rate limits; durations accept fractions (`0.5s`) up to 600 s.

#![allow(
    clippy::indexing_slicing,
    reason = "fixed arrays indexed by Plane::index() (0..3, their length) and KINDS positions; the SPEC is the operator's command line, not request data"
)]

use std::str::FromStr;
use std::time::Duration;

/// The three planes a SPEC names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plane {
    Arm,
    Identity,
    Registry,
}

impl Plane {
    pub(super) const ALL: [Plane; 3] = [Plane::Arm, Plane::Identity, Plane::Registry];

    pub(super) fn index(self) -> usize {
        self as usize
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Plane::Arm => "arm",
            Plane::Identity => "identity",
            Plane::Registry => "registry",
        }
    }
}

/// What one plane is told to do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaneFaults {
    /// Probabilities of `429`, `503`, `500` and `reset`, in that order.
    pub probabilities: [f64; 4],
    /// Added to every response of the plane (before the handler runs).
    pub latency: Option<Duration>,
    /// ARM only: requests per second per subscription (reads and writes each have a bucket).
    pub ratelimit: Option<f64>,
}

/// A parsed `--faults` SPEC: comma-separated `PLANE:KIND=VALUE`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultSpec {
    planes: [PlaneFaults; 3],
    text: String,
}

pub(super) const KINDS: [&str; 4] = ["429", "503", "500", "reset"];

impl FaultSpec {
    pub fn plane(&self, plane: Plane) -> &PlaneFaults {
        &self.planes[plane.index()]
    }

    /// True when the SPEC asks for nothing at all.
    pub fn is_empty(&self) -> bool {
        self.planes.iter().all(|p| *p == PlaneFaults::default())
    }
}

impl std::fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<FaultSpec, String> {
        let mut spec = FaultSpec {
            text: s.to_string(),
            ..FaultSpec::default()
        };
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let err = |why: &str| format!("'{item}': {why} (expected PLANE:KIND=VALUE)");
            let (plane, rest) = item.split_once(':').ok_or_else(|| err("no ':'"))?;
            let (kind, value) = rest.split_once('=').ok_or_else(|| err("no '='"))?;
            let plane = Plane::ALL
                .into_iter()
                .find(|p| p.name() == plane.trim())
                .ok_or_else(|| err("PLANE is arm, identity or registry"))?;
            let p = &mut spec.planes[plane.index()];
            let (kind, value) = (kind.trim(), value.trim());
            if let Some(i) = KINDS.iter().position(|k| *k == kind) {
                let v: f64 = value
                    .parse()
                    .ok()
                    .filter(|v: &f64| (0.0..=1.0).contains(v))
                    .ok_or_else(|| err("a probability is a number in [0, 1]"))?;
                p.probabilities[i] = v;
            } else if kind == "latency" {
                p.latency = Some(
                    parse_duration(value)
                        .ok_or_else(|| err("a latency is a duration such as 150ms, 2s or 0.5s"))?,
                );
            } else if kind == "ratelimit" {
                if plane != Plane::Arm {
                    return Err(err("ratelimit applies to the arm plane only"));
                }
                let v: f64 = value
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v > 0.0)
                    .ok_or_else(|| {
                        err("a ratelimit is a positive number of requests per second")
                    })?;
                p.ratelimit = Some(v);
            } else {
                return Err(err("KIND is 429, 503, 500, reset, latency or ratelimit"));
            }
        }
        for plane in Plane::ALL {
            let sum: f64 = spec.planes[plane.index()].probabilities.iter().sum();
            if sum > 1.0 + 1e-9 {
                return Err(format!(
                    "the fault probabilities of plane {} add up to {sum}, more than 1",
                    plane.name()
                ));
            }
        }
        Ok(spec)
    }
}

/// `150ms`, `2s`, `0.5s`, `1m`.
pub(super) fn parse_duration(s: &str) -> Option<Duration> {
    let (number, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => s.split_at(i),
        None => return None,
    };
    let n: f64 = number.trim().parse().ok().filter(|n: &f64| *n >= 0.0)?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| *d <= Duration::from_secs(600))
}
