//! Upload sessions in memory: each registry's [`Sessions`] (capped per repository and per
//! registry, expired after 15 idle minutes) and the emulator-wide [`Budget`] all registries'
//! sessions count against. What a session holds is the hash so far; its bytes are in the
//! blob store's temporary file.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use uuid::Uuid;

use super::super::error::OciError;
use crate::emulator::store::blobs::{BlobStore, Upload};

/// Sessions untouched for this long are dropped (by [`Sessions::expire_every`]'s timer and
/// whenever a new session starts).
pub(super) const SESSION_TTL: Duration = Duration::from_secs(15 * 60);
/// How often the timer looks for idle sessions.
const EXPIRY_TICK: Duration = Duration::from_secs(60);
/// Open sessions per repository, per registry and for all registries together: beyond them a
/// POST gets 429 (finding 3). A session costs no file descriptor, only a temporary file and a
/// little memory; the caps keep a flood of POSTs from filling the disk or the memory. The
/// per-registry cap alone would let a client that creates registries multiply it; the total
/// (two full registries) bounds the emulator whatever the number of registries.
pub const MAX_SESSIONS_PER_REPOSITORY: usize = 100;
pub const MAX_SESSIONS: usize = 1000;
pub const MAX_SESSIONS_TOTAL: usize = 2000;
/// What a 429 asks the client to wait, in seconds.
const RETRY_AFTER_SECONDS: u64 = 30;

/// One upload in progress: its repository, the hash and size so far, and when it was last
/// used.
pub(super) struct Session {
    pub(super) repo: String,
    /// `None` while a request is appending to it.
    pub(super) upload: Option<Upload>,
    pub(super) touched: Instant,
}

/// One entry of the map: the repository (for the per-repository cap, readable without the
/// session's lock), the session, and its share of the emulator's [`Budget`], given back when
/// the entry is dropped (finished, cancelled, expired, or its registry deleted).
struct Entry {
    repo: String,
    session: Arc<tokio::sync::Mutex<Session>>,
    _permit: Permit,
}

/// The count of upload sessions open in all registries of one emulator, against
/// [`MAX_SESSIONS_TOTAL`]; every registry's [`Sessions`] shares it.
pub struct Budget {
    open: AtomicUsize,
    cap: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::with_cap(MAX_SESSIONS_TOTAL)
    }
}

impl Budget {
    pub fn with_cap(cap: usize) -> Budget {
        Budget {
            open: AtomicUsize::new(0),
            cap,
        }
    }

    /// One more open session, unless the emulator is at its cap.
    fn take(self: &Arc<Budget>) -> Option<Permit> {
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                n.checked_add(1).filter(|_| n < self.cap)
            })
            .ok()
            .map(|_| Permit(self.clone()))
    }

    /// How many sessions are open in all registries (for tests).
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }
}

/// One session's share of a [`Budget`].
struct Permit(Arc<Budget>);

impl Drop for Permit {
    fn drop(&mut self) {
        // Every permit was counted by `take`, so this never goes below zero.
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The upload sessions of one registry.
pub struct Sessions {
    map: Mutex<HashMap<Uuid, Entry>>,
    per_repository: usize,
    total: usize,
    budget: Arc<Budget>,
}

impl Sessions {
    /// A registry's sessions with the default caps, counted against the emulator's `budget`.
    pub fn new(budget: Arc<Budget>) -> Sessions {
        Sessions::with_caps(MAX_SESSIONS_PER_REPOSITORY, MAX_SESSIONS, budget)
    }

    pub fn with_caps(per_repository: usize, total: usize, budget: Arc<Budget>) -> Sessions {
        Sessions {
            map: Mutex::new(HashMap::new()),
            per_repository,
            total,
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Entry>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a session unless its repository, the registry or the emulator is at its cap.
    pub(super) fn insert(&self, id: Uuid, s: Session) -> Result<(), OciError> {
        let mut map = self.lock();
        let in_repo = map.values().filter(|e| e.repo == s.repo).count();
        if map.len() >= self.total || in_repo >= self.per_repository {
            return Err(too_many_sessions());
        }
        let permit = self.budget.take().ok_or_else(too_many_sessions)?;
        map.insert(
            id,
            Entry {
                repo: s.repo.clone(),
                session: Arc::new(tokio::sync::Mutex::new(s)),
                _permit: permit,
            },
        );
        Ok(())
    }

    pub(super) fn get(&self, id: &Uuid) -> Option<Arc<tokio::sync::Mutex<Session>>> {
        self.lock().get(id).map(|e| e.session.clone())
    }

    pub(super) fn remove(&self, id: &Uuid) {
        self.lock().remove(id);
    }

    /// Drops sessions idle for longer than `ttl` (and not in use); returns their ids.
    pub(super) fn expire(&self, ttl: Duration) -> Vec<Uuid> {
        let mut map = self.lock();
        let stale: Vec<Uuid> = map
            .iter()
            .filter(|(_, e)| {
                e.session
                    .try_lock()
                    .is_ok_and(|s| s.touched.elapsed() > ttl)
            })
            .map(|(id, _)| *id)
            .collect();
        for id in &stale {
            map.remove(id);
        }
        stale
    }

    /// Starts the timer that expires idle sessions of `sessions` and deletes their files. It
    /// holds only a weak reference: it ends once the registry's router (and so the sessions)
    /// is gone.
    pub fn expire_every(sessions: &Arc<Sessions>, blobs: BlobStore) {
        let weak = Arc::downgrade(sessions);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(EXPIRY_TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(sessions) = weak.upgrade() else {
                    return;
                };
                for stale in sessions.expire(SESSION_TTL) {
                    blobs.discard_upload(&stale);
                }
            }
        });
    }
}

pub(super) fn too_many_sessions() -> OciError {
    OciError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TOOMANYREQUESTS",
        "too many upload sessions are open; finish or cancel some, or retry later",
    )
    .with_header("Retry-After", RETRY_AFTER_SECONDS.to_string())
}
