//! Long-running operations as ARM exposes them: an operation id behind an
//! `Azure-AsyncOperation` status URL (`…/operationStatuses/{id}`, whose document is
//! `{"status": …}` only, as recorded from the service: the provisioning verb — `Creating`,
//! `Updating`, `Deleting` — while running, then `Succeeded`) and, for DELETE and POST, a
//! `Location` URL (`…/operationResults/{id}`) that answers 202 while running and the final
//! result after. Writes are applied at once; the
//! countdown only shapes what the URLs report (`InProgress` n times, then `Succeeded`), which
//! is what clients observe. With the test hooks' `freshPollUrls`, each in-progress answer hands
//! out a new id for the URL just polled and expires the old one ([`Operations::rotate`]). Kept
//! in memory: a restart forgets pending operations. Results held
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

/// Which URL of an operation an id appears in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Url {
    Status,
    Result,
}

#[derive(Default)]
pub struct Operations {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    ops: HashMap<String, Op>,
    order: VecDeque<String>,
    /// The ids valid in each URL, mapped to the operation's name: at first the name itself;
    /// [`Operations::rotate`] replaces one by a fresh id (a new signed URL, the old expired).
    ids: HashMap<(Url, String), String>,
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
        let key = name.to_ascii_lowercase();
        if g.order.len() >= CAPACITY
            && let Some(old) = g.order.pop_front()
        {
            g.ops.remove(&old);
            g.ids.retain(|_, n| *n != old);
        }
        g.ops.insert(
            key.clone(),
            Op {
                running: running.to_string(),
                remaining: polls,
                result,
            },
        );
        for url in [Url::Status, Url::Result] {
            g.ids.insert((url, key.clone()), key.clone());
        }
        g.order.push_back(key);
    }

    /// The operation behind `id` in `url`, if that id is (still) valid.
    fn op<'a>(g: &'a mut Inner, url: Url, id: &str) -> Option<&'a mut Op> {
        let name = g.ids.get(&(url, id.to_ascii_lowercase()))?.clone();
        g.ops.get_mut(&name)
    }

    /// The status document; each call is one poll.
    pub fn status(&self, id: &str) -> Option<Value> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let op = Self::op(&mut g, Url::Status, id)?;
        Some(if op.remaining > 0 {
            op.remaining = op.remaining.saturating_sub(1);
            json!({"status": op.running})
        } else {
            json!({"status": "Succeeded"})
        })
    }

    /// The `Location` answer; each call is one poll.
    pub fn outcome(&self, id: &str) -> Option<Outcome> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let op = Self::op(&mut g, Url::Result, id)?;
        if op.remaining > 0 {
            op.remaining = op.remaining.saturating_sub(1);
            return Some(Outcome::Running);
        }
        Some(Outcome::Done(op.result.clone()))
    }

    /// Replaces `id` in `url` by a fresh id (returned) and expires `id`, as a service handing
    /// out a new signed poll URL on each answer does.
    pub fn rotate(&self, url: Url, id: &str) -> Option<String> {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let name = g.ids.remove(&(url, id.to_ascii_lowercase()))?;
        let prefix = name.split('-').next().unwrap_or("op");
        let fresh = format!("{prefix}-{}", uuid::Uuid::new_v4());
        g.ids.insert((url, fresh.clone()), name);
        Some(fresh)
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

    #[test]
    fn a_rotated_id_expires_the_old_one_in_its_url_only() {
        let ops = Operations::default();
        ops.start("tokens-1", "Deleting", 3, None);
        let fresh = ops.rotate(Url::Status, "tokens-1").unwrap();
        assert!(fresh.starts_with("tokens-"), "{fresh}");
        assert!(ops.status("tokens-1").is_none());
        assert_eq!(ops.status(&fresh).unwrap(), json!({"status": "Deleting"}));
        // The Location URL keeps its id until it is rotated itself; the countdown is shared.
        assert!(matches!(ops.outcome("tokens-1"), Some(Outcome::Running)));
        assert!(matches!(ops.outcome("tokens-1"), Some(Outcome::Running)));
        assert_eq!(ops.status(&fresh).unwrap(), json!({"status": "Succeeded"}));
        assert!(ops.rotate(Url::Status, "tokens-1").is_none());
    }
}
