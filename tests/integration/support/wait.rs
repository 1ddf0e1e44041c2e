//! Deadline polling instead of fixed sleeps: a condition is checked every 10 ms until it
//! holds or the deadline passes, so a test waits exactly as long as the system needs and fails
//! with a message (not a hang) when it never happens.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often a condition is checked.
const EVERY: Duration = Duration::from_millis(10);

/// Polls `check` until it returns `Some`, and returns that value; panics with `what` once
/// `timeout` has passed.
#[track_caller]
pub fn until<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> impl Future<Output = T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let caller = std::panic::Location::caller();
    let what = what.to_owned();
    async move {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            assert!(Instant::now() < deadline, "{what} (waited at {caller})");
            tokio::time::sleep(EVERY).await;
        }
    }
}

/// Polls `check` until it holds or `timeout` passes; returns whether it held. For callers
/// that act either way and assert afterwards.
pub async fn poll(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(EVERY).await;
    }
}
