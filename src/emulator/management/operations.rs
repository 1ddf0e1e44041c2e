//! Long-running operations as ARM exposes them: an operation id behind an
//! `Azure-AsyncOperation` status URL (`…/operationStatuses/{id}`, an `OperationStatusResult`
//! document) and, for DELETE and POST, a `Location` URL (`…/operationResults/{id}`) that
//! answers 202 while running and the final result after. Writes are applied at once; the
//! countdown only shapes what the URLs report (`InProgress` n times, then `Succeeded`), which
//! is what clients observe. Kept in memory: a restart forgets pending operations. Results held
//! here (generated passwords) never touch disk.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::emulator::clock;

const CAPACITY: usize = 1000;

struct Op {
    /// ARM id of the operation (the status URL's path).
    id: String,
    start: String,
    end: Option<String>,
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
    /// Registers operation `name` (status doc id `id`) that reports `InProgress` `polls` times.
    pub fn start(&self, name: &str, id: String, polls: u32, result: Option<Value>) {
        let now = clock::format(clock::now());
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, order) = &mut *g;
        if order.len() >= CAPACITY
            && let Some(old) = order.pop_front()
        {
            map.remove(&old);
        }
        let end = (polls == 0).then(|| now.clone());
        map.insert(
            name.to_ascii_lowercase(),
            Op {
                id,
                start: now,
                end,
                remaining: polls,
                result,
            },
        );
        order.push_back(name.to_ascii_lowercase());
    }

    fn step(op: &mut Op) {
        if op.remaining > 0 {
            op.remaining -= 1;
        } else if op.end.is_none() {
            op.end = Some(clock::format(clock::now()));
        }
    }

    /// The status document; each call is one poll.
    pub fn status(&self, name: &str) -> Option<Value> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let op = g.0.get_mut(&name.to_ascii_lowercase())?;
        let running = op.remaining > 0;
        Self::step(op);
        Some(if running {
            json!({"id": op.id, "name": name, "status": "InProgress", "startTime": op.start})
        } else {
            json!({"id": op.id, "name": name, "status": "Succeeded", "startTime": op.start, "endTime": op.end})
        })
    }

    /// The `Location` answer; each call is one poll.
    pub fn outcome(&self, name: &str) -> Option<Outcome> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let op = g.0.get_mut(&name.to_ascii_lowercase())?;
        if op.remaining > 0 {
            Self::step(op);
            return Some(Outcome::Running);
        }
        Self::step(op);
        Some(Outcome::Done(op.result.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_succeeds() {
        let ops = Operations::default();
        ops.start(
            "tokens-1",
            "/x/operationStatuses/tokens-1".into(),
            2,
            Some(json!({"r": 1})),
        );
        assert_eq!(ops.status("tokens-1").unwrap()["status"], "InProgress");
        assert!(matches!(ops.outcome("TOKENS-1"), Some(Outcome::Running)));
        let done = ops.status("tokens-1").unwrap();
        assert_eq!(done["status"], "Succeeded");
        assert!(done["endTime"].is_string());
        assert!(matches!(
            ops.outcome("tokens-1"),
            Some(Outcome::Done(Some(_)))
        ));
        assert!(ops.status("nope").is_none());
    }
}
