//! Scope maps of a registry: the five read-only system maps seeded into every registry, and
//! user-defined maps with create-or-replace, patch and delete. Checks that need the database
//! live here (per-SKU count, system maps are read-only, a map in use cannot be deleted); the
//! syntax of names and actions is checked by the management layer before it calls in.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{
    Actor, Audit, Db, Missing, Registry, ScopeMap, StoreError, StoreResult, check_quota, json_list,
    parse_list,
};
use crate::emulator::clock;

/// Name, description (service text) and actions of the system-defined maps (rest-api.md §8.2).
pub const SYSTEM_SCOPE_MAPS: &[(&str, &str, &[&str])] = &[
    (
        "_repositories_admin",
        "Can perform all read, write and delete operations on the registry",
        &[
            "repositories/*/metadata/read",
            "repositories/*/metadata/write",
            "repositories/*/content/read",
            "repositories/*/content/write",
            "repositories/*/content/delete",
        ],
    ),
    (
        "_repositories_pull",
        "Can pull any repository of the registry",
        &["repositories/*/content/read"],
    ),
    (
        "_repositories_pull_metadata_read",
        "Can perform all read operations on the registry",
        &[
            "repositories/*/content/read",
            "repositories/*/metadata/read",
        ],
    ),
    (
        "_repositories_push",
        "Can push to any repository of the registry",
        &[
            "repositories/*/content/read",
            "repositories/*/content/write",
        ],
    ),
    (
        "_repositories_push_metadata_write",
        "Can perform all read and write operations on the registry",
        &[
            "repositories/*/metadata/read",
            "repositories/*/metadata/write",
            "repositories/*/content/read",
            "repositories/*/content/write",
        ],
    ),
];

pub struct ScopeMapPut {
    pub description: Option<String>,
    pub actions: Vec<String>,
}

#[derive(Default)]
pub struct ScopeMapPatch {
    pub description: Option<String>,
    pub actions: Option<Vec<String>>,
}

const SELECT: &str = "SELECT id, name, kind, description, actions, \
     created_at, created_by, created_by_type, modified_at, modified_by, modified_by_type FROM scope_maps";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ScopeMap> {
    let kind: String = row.get(2)?;
    let actions: String = row.get(4)?;
    Ok(ScopeMap {
        id: row.get(0)?,
        name: row.get(1)?,
        system: kind == "SystemDefined",
        description: row.get(3)?,
        actions: parse_list(&actions),
        audit: Audit::from_row(row, 5)?,
    })
}

pub(super) fn seed_system_scope_maps(
    tx: &Transaction<'_>,
    registry_id: i64,
    now: &str,
    actor: &Actor,
) -> StoreResult<()> {
    for (name, description, actions) in SYSTEM_SCOPE_MAPS {
        let actions: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
        tx.execute(
            &format!(
                "INSERT INTO scope_maps (registry_id, name, kind, description, actions, {}) \
                 VALUES (?1, ?2, 'SystemDefined', ?3, ?4, ?5, ?6, ?7, ?5, ?6, ?7)",
                Audit::COLUMNS
            ),
            params![
                registry_id,
                name,
                description,
                json_list(&actions),
                now,
                actor.id,
                actor.kind
            ],
        )?;
    }
    Ok(())
}

fn read_only(name: &str) -> StoreError {
    StoreError::Rule(format!(
        "The scope map '{name}' is a system-defined scope map and cannot be created, updated or deleted."
    ))
}

impl Db {
    pub fn list_scope_maps(&self, registry: &Registry) -> StoreResult<Vec<ScopeMap>> {
        // System maps first, then user maps by creation order, like the service's listing.
        let mut st = self.conn.prepare(&format!(
            "{SELECT} WHERE registry_id = ?1 ORDER BY kind = 'UserDefined', id"
        ))?;
        let rows = st.query_map([registry.id], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn get_scope_map(&self, registry: &Registry, name: &str) -> StoreResult<ScopeMap> {
        self.find_scope_map(registry, name)?
            .ok_or_else(|| StoreError::NotFound(Missing::ScopeMap(name.to_string())))
    }

    pub fn find_scope_map(&self, registry: &Registry, name: &str) -> StoreResult<Option<ScopeMap>> {
        Ok(self
            .conn
            .query_row(
                &format!("{SELECT} WHERE registry_id = ?1 AND name = ?2"),
                params![registry.id, name],
                from_row,
            )
            .optional()?)
    }

    /// Creates or replaces a user-defined map; returns it and whether it was created.
    pub fn put_scope_map(
        &mut self,
        registry: &Registry,
        name: &str,
        put: ScopeMapPut,
        actor: &Actor,
    ) -> StoreResult<(ScopeMap, bool)> {
        let now = clock::format(clock::now());
        let limit = self.limits.scope_maps_for(registry.sku);
        let tx = self.conn.transaction()?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, kind FROM scope_maps WHERE registry_id = ?1 AND name = ?2",
                params![registry.id, name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let created = match existing {
            Some((_, kind)) if kind == "SystemDefined" => return Err(read_only(name)),
            Some((id, _)) => {
                tx.execute(
                    "UPDATE scope_maps SET description = ?1, actions = ?2, modified_at = ?3, modified_by = ?4, \
                     modified_by_type = ?5 WHERE id = ?6",
                    params![put.description, json_list(&put.actions), now, actor.id, actor.kind, id],
                )?;
                false
            }
            None => {
                check_quota(
                    &tx,
                    registry,
                    "SELECT COUNT(*) FROM scope_maps WHERE registry_id = ?1 AND kind = 'UserDefined'",
                    limit,
                    "scope maps",
                )?;
                tx.execute(
                    &format!(
                        "INSERT INTO scope_maps (registry_id, name, kind, description, actions, {}) \
                         VALUES (?1, ?2, 'UserDefined', ?3, ?4, ?5, ?6, ?7, ?5, ?6, ?7)",
                        Audit::COLUMNS
                    ),
                    params![registry.id, name, put.description, json_list(&put.actions), now, actor.id, actor.kind],
                )?;
                true
            }
        };
        tx.commit()?;
        Ok((self.get_scope_map(registry, name)?, created))
    }

    pub fn patch_scope_map(
        &mut self,
        registry: &Registry,
        name: &str,
        patch: ScopeMapPatch,
        actor: &Actor,
    ) -> StoreResult<ScopeMap> {
        let now = clock::format(clock::now());
        let tx = self.conn.transaction()?;
        let map = tx
            .query_row(
                &format!("{SELECT} WHERE registry_id = ?1 AND name = ?2"),
                params![registry.id, name],
                from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(Missing::ScopeMap(name.to_string())))?;
        if map.system {
            return Err(read_only(&map.name));
        }
        if let Some(d) = patch.description {
            tx.execute(
                "UPDATE scope_maps SET description = ?1 WHERE id = ?2",
                params![d, map.id],
            )?;
        }
        if let Some(a) = patch.actions {
            tx.execute(
                "UPDATE scope_maps SET actions = ?1 WHERE id = ?2",
                params![json_list(&a), map.id],
            )?;
        }
        tx.execute(
            "UPDATE scope_maps SET modified_at = ?1, modified_by = ?2, modified_by_type = ?3 WHERE id = ?4",
            params![now, actor.id, actor.kind, map.id],
        )?;
        tx.commit()?;
        self.get_scope_map(registry, name)
    }

    /// Deletes a user-defined map; `false` when there was none.
    pub fn delete_scope_map(&mut self, registry: &Registry, name: &str) -> StoreResult<bool> {
        let tx = self.conn.transaction()?;
        let Some(map) = tx
            .query_row(
                &format!("{SELECT} WHERE registry_id = ?1 AND name = ?2"),
                params![registry.id, name],
                from_row,
            )
            .optional()?
        else {
            return Ok(false);
        };
        if map.system {
            return Err(read_only(&map.name));
        }
        let users: Vec<String> = {
            let mut st = tx
                .prepare("SELECT name FROM tokens WHERE scope_map_id = ?1 ORDER BY name LIMIT 5")?;
            st.query_map([map.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        if !users.is_empty() {
            return Err(StoreError::Conflict(format!(
                "The scope map '{}' cannot be deleted because it is associated with tokens: {}. Delete the tokens or associate them with another scope map first.",
                map.name,
                users.join(", ")
            )));
        }
        tx.execute("DELETE FROM scope_maps WHERE id = ?1", [map.id])?;
        tx.commit()?;
        Ok(true)
    }
}
