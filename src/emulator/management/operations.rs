//! Long-running operations as ARM exposes them: an operation id behind an
//! `Azure-AsyncOperation` status URL (`…/operationStatuses/{id}`, whose document is
//! `{"status": …}` only, as recorded from the service: the provisioning verb — `Creating`,
//! `Updating`, `Deleting` — while running, then `Succeeded`) and, for DELETE and POST, a
//! `Location` URL (`…/operationResults/{id}`) that answers 202 while running and the final
//! result after. Writes are applied at once; the
//! countdown only shapes what the URLs report (`InProgress` n times, then `Succeeded`), which
//! is what clients observe. Kept in memory: a restart forgets pending operations. Results held
//! here (generated passwords) never touch disk.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::{Value, json};

const CAPACITY: usize = 1000;

struct Op {
    /// What the status document says while the operation runs.
    running: String,
    remaining: u32,
    result: Option<Value>,
}

#[derive(Default)]
pub struct Operations {
    inner: Mutex<(HashMap<String, Op>, VecDeque<String>)>,
}

/// What the `Location` URL answers.
pub enum Outcome {
    Running,
    Done(Option<Value>),
}

impl Operations {
    /// Registers operation `name` that reports `running` (`Creating`, `Deleting`,
    /// `InProgress`, …) `polls` times before `Succeeded`.
    pub fn start(&self, name: &str, running: &str, polls: u32, result: Option<Value>) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *g;
        if order.len() >= CAPACITY
            && let Some(old) = order.pop_front()
        {
            map.remove(&old);
        }
        map.insert(
            name.to_ascii_lowercase(),
            Op {
                running: running.to_string(),
                remaining: polls,
                result,
            },
        );
        order.push_back(name.to_ascii_lowercase());
    }

    /// The status document; each call is one poll.
    pub fn status(&self, name: &str) -> Option<Value> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let op = g.0.get_mut(&name.to_ascii_lowercase())?;
        Some(if op.remaining > 0 {
            op.remaining = op.remaining.saturating_sub(1);
            json!({"status": op.running})
        } else {
            json!({"status": "Succeeded"})
        })
    }

    /// The `Location` answer; each call is one poll.
    pub fn outcome(&self, name: &str) -> Option<Outcome> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let op = g.0.get_mut(&name.to_ascii_lowercase())?;
        if op.remaining > 0 {
            op.remaining = op.remaining.saturating_sub(1);
            return Some(Outcome::Running);
        }
        Some(Outcome::Done(op.result.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_succeeds() {
        let ops = Operations::default();
        ops.start("token-1", "Creating", 2, Some(json!({"r": 1})));
        assert_eq!(
            ops.status("token-1").unwrap(),
            json!({"status": "Creating"})
        );
        assert!(matches!(ops.outcome("TOKEN-1"), Some(Outcome::Running)));
        assert_eq!(
            ops.status("token-1").unwrap(),
            json!({"status": "Succeeded"})
        );
        assert!(matches!(
            ops.outcome("token-1"),
            Some(Outcome::Done(Some(_)))
        ));
        assert!(ops.status("nope").is_none());
    }
}
