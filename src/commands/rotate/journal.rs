//! The journal of a fleet rotation (`rotate --all`), `.acr-rotate-journal` in the
//! `--output-secret-dir`: one JSON line per event, so that a run that was interrupted (even by
//! SIGKILL) can be finished without rotating a token twice.
//!
//! * `{"event":"start","token":T,"slot":S,"before":C}` is written (and synced) before the
//!   rotation's request is sent; `C` is the slot's `creationTime` before it (null if empty).
//! * `{"event":"done","token":T,"slot":S,"expiry":E}` follows once the new password is in
//!   `DIR/T`.
//!
//! On the next run a `done` token is not touched; a `start` without `done` is rotated again
//! only if its slot still has creation time `C` (the request never took effect); otherwise the
//! interrupted run replaced the password and lost it, which is reported, never repeated. A run
//! in which every token succeeded removes the journal: the next run is a new rotation.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The journal's file name inside the directory (token names cannot start with a dot).
pub const FILE: &str = ".acr-rotate-journal";

/// What an earlier, unfinished run recorded for one token.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Started {
        slot: String,
        before: Option<String>,
    },
    Done {
        slot: String,
        expiry: Option<String>,
    },
}

impl Entry {
    /// The journal line of this event for `token`, as [`Journal::load`] reads it back.
    fn line(&self, token: &str) -> Value {
        match self {
            Entry::Started { slot, before } => {
                json!({"event": "start", "token": token, "slot": slot, "before": before})
            }
            Entry::Done { slot, expiry } => {
                json!({"event": "done", "token": token, "slot": slot, "expiry": expiry})
            }
        }
    }
}

pub struct Journal {
    path: PathBuf,
    file: Option<std::fs::File>,
    /// By lower-cased token name (token names are case-insensitive).
    entries: HashMap<String, Entry>,
}

impl Journal {
    /// Reads the journal of `dir`, if any; nothing is created until [`Journal::record`].
    pub fn load(dir: &Path) -> std::io::Result<Journal> {
        let path = dir.join(FILE);
        let mut entries = HashMap::new();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                // A line cut short by a crash is ignored: its event did not complete.
                for event in text
                    .lines()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                {
                    let field = |k: &str| event.get(k).and_then(Value::as_str).map(str::to_owned);
                    let (Some(token), Some(slot)) = (field("token"), field("slot")) else {
                        continue;
                    };
                    let entry = match field("event").as_deref() {
                        Some("start") => Entry::Started {
                            slot,
                            before: field("before"),
                        },
                        Some("done") => Entry::Done {
                            slot,
                            expiry: field("expiry"),
                        },
                        _ => continue,
                    };
                    entries.insert(token.to_ascii_lowercase(), entry);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        Ok(Journal {
            path,
            file: None,
            entries,
        })
    }

    /// No earlier run (`--dry-run` without a directory).
    pub fn empty() -> Journal {
        Journal {
            path: PathBuf::new(),
            file: None,
            entries: HashMap::new(),
        }
    }

    pub fn get(&self, token: &str) -> Option<&Entry> {
        self.entries.get(&token.to_ascii_lowercase())
    }

    /// Whether an earlier run recorded anything for `token`.
    pub fn knows(&self, token: &str) -> bool {
        self.get(token).is_some()
    }

    /// Appends the start of a rotation and syncs it to disk before the request goes out.
    pub fn started(
        &mut self,
        token: &str,
        slot: &str,
        before: Option<&str>,
    ) -> std::io::Result<()> {
        let entry = Entry::Started {
            slot: slot.to_owned(),
            before: before.map(str::to_owned),
        };
        self.record(token, entry, true)
    }

    /// Appends the end of a rotation (its password is saved). Not synced: losing it to a
    /// power cut only makes the next run report the token instead of skipping it.
    pub fn done(&mut self, token: &str, slot: &str, expiry: Option<&str>) -> std::io::Result<()> {
        let entry = Entry::Done {
            slot: slot.to_owned(),
            expiry: expiry.map(str::to_owned),
        };
        self.record(token, entry, false)
    }

    /// Writes `entry`'s line and makes it the token's latest event.
    fn record(&mut self, token: &str, entry: Entry, sync: bool) -> std::io::Result<()> {
        self.append(&entry.line(token), sync)?;
        self.entries.insert(token.to_ascii_lowercase(), entry);
        Ok(())
    }

    fn append(&mut self, line: &Value, sync: bool) -> std::io::Result<()> {
        if self.file.is_none() {
            let mut options = std::fs::OpenOptions::new();
            options.create(true).append(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            self.file = Some(options.open(&self.path)?);
        }
        let file = self.file.as_mut().expect("opened above");
        // One write per line: O_APPEND keeps lines whole.
        file.write_all(format!("{line}\n").as_bytes())?;
        if sync {
            file.sync_data()?;
        }
        Ok(())
    }

    /// The run is complete: the next one starts afresh.
    pub fn finish(self) -> std::io::Result<()> {
        drop(self.file);
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_a_reload_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::load(dir.path()).unwrap();
        j.started("Alpha-1", "password2", Some("2026-01-01T00:00:00+00:00"))
            .unwrap();
        j.started("beta-22", "password1", None).unwrap();
        j.done("beta-22", "password1", None).unwrap();
        drop(j);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE))
            .unwrap();
        f.write_all(br#"{"event":"done","token":"Alpha-1","sl"#)
            .unwrap();
        let j = Journal::load(dir.path()).unwrap();
        assert_eq!(
            j.get("alpha-1"),
            Some(&Entry::Started {
                slot: "password2".into(),
                before: Some("2026-01-01T00:00:00+00:00".into())
            })
        );
        assert_eq!(
            j.get("BETA-22"),
            Some(&Entry::Done {
                slot: "password1".into(),
                expiry: None
            })
        );
        assert!(!j.knows("gamma"));
        j.finish().unwrap();
        assert!(!dir.path().join(FILE).exists());
    }
}
