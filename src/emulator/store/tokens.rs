//! Tokens of a registry, their passwords (stored as peppered HMAC digests only) and
//! certificates: create-or-replace, patch (credential names listed are the ones to keep),
//! delete and generateCredentials. Each operation is one transaction; the per-SKU token count
//! is checked inside it. The data-plane password check is `login`'s.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::secrets::{digest, generate_password};
use super::{
    Actor, Audit, CertificateInfo, Db, Missing, PasswordInfo, Registry, StoreError, StoreResult,
    Token, check_quota,
};
use crate::emulator::clock;

pub struct CertificateInput {
    pub name: String,
    pub thumbprint: Option<String>,
    pub expiry: Option<String>,
    pub pem: Option<String>,
}

pub struct TokenPut {
    pub scope_map: String,
    pub status: String,
    /// `credentials.passwords` names: the existing passwords to keep (`None`: keep all).
    pub keep_passwords: Option<Vec<String>>,
    pub certificates: Option<Vec<CertificateInput>>,
}

#[derive(Default)]
pub struct TokenPatch {
    pub scope_map: Option<String>,
    pub status: Option<String>,
    pub keep_passwords: Option<Vec<String>>,
    pub certificates: Option<Vec<CertificateInput>>,
}

/// A password made by generateCredentials: the only place its value exists.
pub struct GeneratedPassword {
    pub name: String,
    pub created_at: String,
    pub expiry: Option<String>,
    pub value: String,
}

const SELECT: &str = "SELECT t.id, t.name, s.name, t.status, \
     t.created_at, t.created_by, t.created_by_type, t.modified_at, t.modified_by, t.modified_by_type \
     FROM tokens t JOIN scope_maps s ON s.id = t.scope_map_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Token> {
    Ok(Token {
        id: row.get(0)?,
        name: row.get(1)?,
        scope_map: row.get(2)?,
        status: row.get(3)?,
        passwords: Vec::new(),
        certificates: Vec::new(),
        audit: Audit::from_row(row, 4)?,
    })
}

fn load_credentials(conn: &rusqlite::Connection, token: &mut Token) -> rusqlite::Result<()> {
    let mut st = conn.prepare_cached(
        "SELECT name, created_at, expiry FROM token_passwords WHERE token_id = ?1 ORDER BY name",
    )?;
    token.passwords = st
        .query_map([token.id], |r| {
            Ok(PasswordInfo {
                name: r.get(0)?,
                created_at: r.get(1)?,
                expiry: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut st = conn.prepare_cached(
        "SELECT name, thumbprint, expiry FROM token_certificates WHERE token_id = ?1 ORDER BY name",
    )?;
    token.certificates = st
        .query_map([token.id], |r| {
            Ok(CertificateInfo {
                name: r.get(0)?,
                thumbprint: r.get(1)?,
                expiry: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(())
}

fn scope_map_id(tx: &Transaction<'_>, registry: &Registry, name: &str) -> StoreResult<i64> {
    tx.query_row("SELECT id FROM scope_maps WHERE registry_id = ?1 AND name = ?2", params![registry.id, name], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| {
        StoreError::Rule(format!(
            "The scope map '{name}' referenced by properties.scopeMapId does not exist in registry '{}'.",
            registry.name
        ))
    })
}

fn apply_credentials(
    tx: &Transaction<'_>,
    token_id: i64,
    keep_passwords: Option<&[String]>,
    certificates: Option<Vec<CertificateInput>>,
) -> StoreResult<()> {
    if let Some(keep) = keep_passwords {
        let existing: Vec<String> = {
            let mut st = tx.prepare("SELECT name FROM token_passwords WHERE token_id = ?1")?;
            st.query_map([token_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for name in existing {
            if !keep.iter().any(|k| k.eq_ignore_ascii_case(&name)) {
                tx.execute(
                    "DELETE FROM token_passwords WHERE token_id = ?1 AND name = ?2",
                    params![token_id, name],
                )?;
            }
        }
    }
    if let Some(certs) = certificates {
        let mut keep = Vec::new();
        for c in certs {
            let name = c.name.to_ascii_lowercase();
            if c.pem.is_some() || c.thumbprint.is_some() || c.expiry.is_some() {
                tx.execute(
                    "INSERT INTO token_certificates (token_id, name, thumbprint, expiry, pem) VALUES (?1, ?2, ?3, ?4, ?5) \
                     ON CONFLICT(token_id, name) DO UPDATE SET thumbprint = excluded.thumbprint, \
                     expiry = excluded.expiry, pem = excluded.pem",
                    params![token_id, name, c.thumbprint, c.expiry, c.pem],
                )?;
            }
            keep.push(name);
        }
        let existing: Vec<String> = {
            let mut st = tx.prepare("SELECT name FROM token_certificates WHERE token_id = ?1")?;
            st.query_map([token_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        for name in existing {
            if !keep.contains(&name) {
                tx.execute(
                    "DELETE FROM token_certificates WHERE token_id = ?1 AND name = ?2",
                    params![token_id, name],
                )?;
            }
        }
    }
    Ok(())
}

impl Db {
    pub fn list_tokens(&self, registry: &Registry) -> StoreResult<Vec<Token>> {
        self.read_tokens("", [registry.id])
    }

    /// The tokens `skip..skip + size` of `list_tokens`'s order, and how many there are.
    pub fn list_tokens_window(
        &self,
        registry: &Registry,
        skip: usize,
        size: usize,
    ) -> StoreResult<(Vec<Token>, usize)> {
        let total: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM tokens WHERE registry_id = ?1",
            [registry.id],
            |row| row.get(0),
        )?;
        let clamp = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let tokens = self.read_tokens(
            " LIMIT ?2 OFFSET ?3",
            params![registry.id, clamp(size), clamp(skip)],
        )?;
        Ok((tokens, usize::try_from(total).unwrap_or(0)))
    }

    /// A registry's tokens (`?1`) in id order, `tail` appended to the query, with their
    /// passwords.
    fn read_tokens(&self, tail: &str, args: impl rusqlite::Params) -> StoreResult<Vec<Token>> {
        let mut st = self.conn.prepare(&format!(
            "{SELECT} WHERE t.registry_id = ?1 ORDER BY t.id{tail}"
        ))?;
        let mut tokens: Vec<Token> = st.query_map(args, from_row)?.collect::<Result<_, _>>()?;
        for t in &mut tokens {
            load_credentials(&self.conn, t)?;
        }
        Ok(tokens)
    }

    pub fn find_token(&self, registry: &Registry, name: &str) -> StoreResult<Option<Token>> {
        let token = self
            .conn
            .query_row(
                &format!("{SELECT} WHERE t.registry_id = ?1 AND t.name = ?2"),
                params![registry.id, name],
                from_row,
            )
            .optional()?;
        match token {
            Some(mut t) => {
                load_credentials(&self.conn, &mut t)?;
                Ok(Some(t))
            }
            None => Ok(None),
        }
    }

    pub fn get_token(&self, registry: &Registry, name: &str) -> StoreResult<Token> {
        self.find_token(registry, name)?
            .ok_or_else(|| StoreError::NotFound(Missing::Token(name.to_string())))
    }

    /// Creates or replaces a token; returns it and whether it was created. Replacing keeps
    /// the passwords unless `credentials.passwords` says otherwise.
    pub fn put_token(
        &mut self,
        registry: &Registry,
        name: &str,
        put: TokenPut,
        actor: &Actor,
    ) -> StoreResult<(Token, bool)> {
        let now = clock::format(clock::now());
        let limit = self.limits.tokens_for(registry.sku);
        let tx = self.conn.transaction()?;
        let map_id = scope_map_id(&tx, registry, &put.scope_map)?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM tokens WHERE registry_id = ?1 AND name = ?2",
                params![registry.id, name],
                |r| r.get(0),
            )
            .optional()?;
        let (id, created) = match existing {
            Some(id) => {
                tx.execute(
                    "UPDATE tokens SET scope_map_id = ?1, status = ?2, modified_at = ?3, modified_by = ?4, \
                     modified_by_type = ?5 WHERE id = ?6",
                    params![map_id, put.status, now, actor.id, actor.kind, id],
                )?;
                (id, false)
            }
            None => {
                check_quota(
                    &tx,
                    registry,
                    "SELECT COUNT(*) FROM tokens WHERE registry_id = ?1",
                    limit,
                    "tokens",
                )?;
                tx.execute(
                    &format!(
                        "INSERT INTO tokens (registry_id, name, scope_map_id, status, {}) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?5, ?6, ?7)",
                        Audit::COLUMNS
                    ),
                    params![
                        registry.id,
                        name,
                        map_id,
                        put.status,
                        now,
                        actor.id,
                        actor.kind
                    ],
                )?;
                (tx.last_insert_rowid(), true)
            }
        };
        apply_credentials(&tx, id, put.keep_passwords.as_deref(), put.certificates)?;
        tx.commit()?;
        Ok((self.get_token(registry, name)?, created))
    }

    pub fn patch_token(
        &mut self,
        registry: &Registry,
        name: &str,
        patch: TokenPatch,
        actor: &Actor,
    ) -> StoreResult<Token> {
        let now = clock::format(clock::now());
        let tx = self.conn.transaction()?;
        let id: i64 = tx
            .query_row(
                "SELECT id FROM tokens WHERE registry_id = ?1 AND name = ?2",
                params![registry.id, name],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(Missing::Token(name.to_string())))?;
        if let Some(map) = &patch.scope_map {
            let map_id = scope_map_id(&tx, registry, map)?;
            tx.execute(
                "UPDATE tokens SET scope_map_id = ?1 WHERE id = ?2",
                params![map_id, id],
            )?;
        }
        if let Some(status) = &patch.status {
            tx.execute(
                "UPDATE tokens SET status = ?1 WHERE id = ?2",
                params![status, id],
            )?;
        }
        apply_credentials(&tx, id, patch.keep_passwords.as_deref(), patch.certificates)?;
        tx.execute(
            "UPDATE tokens SET modified_at = ?1, modified_by = ?2, modified_by_type = ?3 WHERE id = ?4",
            params![now, actor.id, actor.kind, id],
        )?;
        tx.commit()?;
        self.get_token(registry, name)
    }

    /// Deletes a token; `false` when there was none.
    pub fn delete_token(&mut self, registry: &Registry, name: &str) -> StoreResult<bool> {
        let n = self.conn.execute(
            "DELETE FROM tokens WHERE registry_id = ?1 AND name = ?2",
            params![registry.id, name],
        )?;
        Ok(n > 0)
    }

    /// (Re)generates `which` (or both passwords) of a token. Values leave the store only here.
    pub fn generate_credentials(
        &mut self,
        registry: &Registry,
        token: &str,
        which: Option<&str>,
        expiry: Option<String>,
    ) -> StoreResult<(String, Vec<GeneratedPassword>)> {
        let now = clock::format(clock::now());
        let tx = self.conn.transaction()?;
        let (id, token_name): (i64, String) = tx
            .query_row(
                "SELECT id, name FROM tokens WHERE registry_id = ?1 AND name = ?2",
                params![registry.id, token],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(Missing::Token(token.to_string())))?;
        let names: Vec<&str> = match which {
            Some(n) => vec![n],
            None => vec!["password1", "password2"],
        };
        let mut out = Vec::new();
        for name in names {
            let value = generate_password();
            tx.execute(
                "INSERT INTO token_passwords (token_id, name, hash, created_at, expiry) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT(token_id, name) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at, \
                 expiry = excluded.expiry",
                params![id, name, digest(&self.pepper, &value), now, expiry],
            )?;
            out.push(GeneratedPassword {
                name: name.to_string(),
                created_at: now.clone(),
                expiry: expiry.clone(),
                value,
            });
        }
        tx.commit()?;
        Ok((token_name, out))
    }
}
