//! Resource groups and registries: creation (with the five system scope maps and the admin
//! user's two passwords), lookup by group and name (case-insensitive, as ARM), update,
//! deletion, and the admin credentials. The data-plane port is chosen by the caller (which
//! holds the bound socket) and stored once; it never changes afterwards.

use rusqlite::{OptionalExtension, Row, params};

use super::scope_maps::seed_system_scope_maps;
use super::secrets::generate_password;
use super::{Actor, Audit, Db, Missing, Registry, StoreError, StoreResult};
use crate::emulator::{Sku, clock};

pub struct NewRegistry {
    pub name: String,
    pub resource_group: String,
    pub location: String,
    pub sku: Sku,
    pub admin_user_enabled: bool,
    pub tags: serde_json::Map<String, serde_json::Value>,
    pub port: u16,
}

#[derive(Default)]
pub struct RegistryPatch {
    pub sku: Option<Sku>,
    pub admin_user_enabled: Option<bool>,
    pub tags: Option<serde_json::Map<String, serde_json::Value>>,
}

const SELECT: &str = "SELECT id, name, resource_group, location, sku, admin_user_enabled, port, tags, \
     created_at, created_by, created_by_type, modified_at, modified_by, modified_by_type FROM registries";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Registry> {
    let sku: String = row.get(4)?;
    let tags: String = row.get(7)?;
    Ok(Registry {
        id: row.get(0)?,
        name: row.get(1)?,
        resource_group: row.get(2)?,
        location: row.get(3)?,
        sku: sku.parse().unwrap_or(Sku::Premium),
        admin_user_enabled: row.get::<_, i64>(5)? != 0,
        port: row.get::<_, i64>(6)? as u16,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        audit: Audit::from_row(row, 8)?,
    })
}

impl Db {
    /// The stored spelling of a resource group, if it exists.
    pub fn resource_group(&self, name: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name FROM resource_groups WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn resource_groups(&self) -> StoreResult<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT name, location FROM resource_groups ORDER BY name")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn list_registries(&self, resource_group: Option<&str>) -> StoreResult<Vec<Registry>> {
        let mut out = Vec::new();
        match resource_group {
            Some(rg) => {
                if self.resource_group(rg)?.is_none() {
                    return Err(StoreError::NotFound(Missing::ResourceGroup));
                }
                let mut st = self.conn.prepare(&format!(
                    "{SELECT} WHERE resource_group = ?1 ORDER BY name COLLATE NOCASE"
                ))?;
                for r in st.query_map([rg], from_row)? {
                    out.push(r?);
                }
            }
            None => {
                let mut st = self
                    .conn
                    .prepare(&format!("{SELECT} ORDER BY name COLLATE NOCASE"))?;
                for r in st.query_map([], from_row)? {
                    out.push(r?);
                }
            }
        }
        Ok(out)
    }

    /// A registry by group and name; a missing group is reported before a missing registry.
    pub fn get_registry(&self, resource_group: &str, name: &str) -> StoreResult<Registry> {
        if self.resource_group(resource_group)?.is_none() {
            return Err(StoreError::NotFound(Missing::ResourceGroup));
        }
        self.conn
            .query_row(
                &format!("{SELECT} WHERE resource_group = ?1 AND name = ?2"),
                [resource_group, name],
                from_row,
            )
            .optional()?
            .ok_or(StoreError::NotFound(Missing::Registry))
    }

    /// A registry by name alone (registry names are globally unique); for the data plane.
    /// The resource group and the per-creation random id of registry `name` (which the
    /// registry's tokens are bound to), if it exists.
    pub fn registry_instance(&self, name: &str) -> StoreResult<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT resource_group, instance_id FROM registries WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    pub fn find_registry(&self, name: &str) -> StoreResult<Option<Registry>> {
        Ok(self
            .conn
            .query_row(&format!("{SELECT} WHERE name = ?1"), [name], from_row)
            .optional()?)
    }

    /// Creates a registry (and its resource group when missing), its system scope maps and
    /// its admin passwords, in one transaction.
    pub fn create_registry(&mut self, new: NewRegistry, actor: &Actor) -> StoreResult<Registry> {
        let now = clock::format(clock::now());
        let tx = self.conn.transaction()?;
        let taken: Option<String> = tx
            .query_row(
                "SELECT resource_group FROM registries WHERE name = ?1",
                [&new.name],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "The registry DNS name {} is already in use. You can check if the name is already claimed using following API: https://docs.microsoft.com/en-us/rest/api/containerregistry/registries/checknameavailability",
                new.name.to_lowercase()
            )));
        }
        tx.execute(
            "INSERT OR IGNORE INTO resource_groups (name, location, created_at) VALUES (?1, ?2, ?3)",
            params![new.resource_group, new.location, now],
        )?;
        let rg: String = tx.query_row(
            "SELECT name FROM resource_groups WHERE name = ?1",
            [&new.resource_group],
            |r| r.get(0),
        )?;
        tx.execute(
            &format!(
                "INSERT INTO registries (name, resource_group, location, sku, admin_user_enabled, admin_password1, \
                 admin_password2, port, tags, {}, instance_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?10, ?11, ?12, ?13)",
                Audit::COLUMNS
            ),
            params![
                new.name,
                rg,
                new.location,
                new.sku.as_str(),
                new.admin_user_enabled as i64,
                generate_password(),
                generate_password(),
                new.port as i64,
                serde_json::to_string(&new.tags).unwrap_or_else(|_| "{}".into()),
                now,
                actor.id,
                actor.kind,
                super::secrets::random_uuid()
            ],
        )?;
        let id = tx.last_insert_rowid();
        seed_system_scope_maps(&tx, id, &now, actor)?;
        tx.commit()?;
        self.get_registry(&rg, &new.name)
    }

    pub fn update_registry(
        &mut self,
        resource_group: &str,
        name: &str,
        patch: RegistryPatch,
        actor: &Actor,
    ) -> StoreResult<Registry> {
        let reg = self.get_registry(resource_group, name)?;
        let now = clock::format(clock::now());
        let tx = self.conn.transaction()?;
        if let Some(sku) = patch.sku {
            tx.execute(
                "UPDATE registries SET sku = ?1 WHERE id = ?2",
                params![sku.as_str(), reg.id],
            )?;
        }
        if let Some(admin) = patch.admin_user_enabled {
            tx.execute(
                "UPDATE registries SET admin_user_enabled = ?1 WHERE id = ?2",
                params![admin as i64, reg.id],
            )?;
        }
        if let Some(tags) = patch.tags {
            let tags = serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into());
            tx.execute(
                "UPDATE registries SET tags = ?1 WHERE id = ?2",
                params![tags, reg.id],
            )?;
        }
        tx.execute(
            "UPDATE registries SET modified_at = ?1, modified_by = ?2, modified_by_type = ?3 WHERE id = ?4",
            params![now, actor.id, actor.kind, reg.id],
        )?;
        tx.commit()?;
        self.get_registry(resource_group, name)
    }

    /// Deletes a registry with its tokens and scope maps; `None` when there was none.
    pub fn delete_registry(
        &mut self,
        resource_group: &str,
        name: &str,
    ) -> StoreResult<Option<Registry>> {
        let reg = match self.get_registry(resource_group, name) {
            Ok(r) => r,
            Err(StoreError::NotFound(Missing::Registry)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let tx = self.conn.transaction()?;
        // Tokens first: they reference scope maps with ON DELETE RESTRICT.
        tx.execute("DELETE FROM tokens WHERE registry_id = ?1", [reg.id])?;
        tx.execute("DELETE FROM registries WHERE id = ?1", [reg.id])?;
        tx.commit()?;
        Ok(Some(reg))
    }

    /// The admin user's name and passwords; `Rule` when the admin user is disabled.
    pub fn admin_credentials(
        &self,
        resource_group: &str,
        name: &str,
    ) -> StoreResult<(String, String, String)> {
        let reg = self.get_registry(resource_group, name)?;
        if !reg.admin_user_enabled {
            return Err(StoreError::Rule(format!(
                "Admin user is disabled for registry '{}'. Enable it with adminUserEnabled=true to list credentials.",
                reg.name
            )));
        }
        let (p1, p2) = self.conn.query_row(
            "SELECT admin_password1, admin_password2 FROM registries WHERE id = ?1",
            [reg.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((reg.name, p1, p2))
    }

    /// Replaces admin password `password` or `password2`.
    pub fn regenerate_admin_password(
        &mut self,
        resource_group: &str,
        name: &str,
        which: &str,
    ) -> StoreResult<()> {
        let reg = self.get_registry(resource_group, name)?;
        if !reg.admin_user_enabled {
            return Err(StoreError::Rule(format!(
                "Admin user is disabled for registry '{}'.",
                reg.name
            )));
        }
        let column = if which == "password2" {
            "admin_password2"
        } else {
            "admin_password1"
        };
        self.conn.execute(
            &format!("UPDATE registries SET {column} = ?1 WHERE id = ?2"),
            params![generate_password(), reg.id],
        )?;
        Ok(())
    }

    /// Checks an admin-user login (data plane), in constant time.
    pub fn verify_admin_password(
        &self,
        registry: &str,
        username: &str,
        password: &str,
    ) -> StoreResult<bool> {
        use subtle::ConstantTimeEq;
        let Some(reg) = self.find_registry(registry)? else {
            return Ok(false);
        };
        if !reg.admin_user_enabled || !reg.name.eq_ignore_ascii_case(username) {
            return Ok(false);
        }
        let (p1, p2): (String, String) = self.conn.query_row(
            "SELECT admin_password1, admin_password2 FROM registries WHERE id = ?1",
            [reg.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let a: bool = p1.as_bytes().ct_eq(password.as_bytes()).into();
        let b: bool = p2.as_bytes().ct_eq(password.as_bytes()).into();
        Ok(a | b)
    }
}
