//! Where acr's additions put generated passwords instead of stdout: a new file created 0600
//! (`--output-secret-file`, refused when it exists unless `--force`) or, for a fleet, one file
//! per token in a 0700 directory. The printed result keeps its shape, each secret replaced by
//! `<written to PATH>`. Files are whole or absent: a replaced file is written beside its
//! target and renamed over it.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cli::token::SecretFileArgs;
use crate::error::{Error, Result};

/// A validated `--output-secret-file PATH [--force]`.
pub struct SecretFile {
    pub path: PathBuf,
    force: bool,
}

impl SecretFile {
    /// `None` without `--output-secret-file`; `--force` alone is a usage error.
    pub fn from_args(args: &SecretFileArgs) -> Result<Option<SecretFile>> {
        match &args.output_secret_file {
            Some(path) => Ok(Some(SecretFile {
                path: path.clone(),
                force: args.force,
            })),
            None if args.force => Err(Error::cli(
                "usage error: --force only applies to --output-secret-file.",
            )),
            None => Ok(None),
        }
    }

    /// Before any request: an existing file is refused unless `--force`, so that no password
    /// is generated that could not be saved.
    pub fn check(&self) -> Result<()> {
        if !self.force && std::fs::symlink_metadata(&self.path).is_ok() {
            return Err(exists(&self.path));
        }
        Ok(())
    }

    /// Writes the values of `passwords` (a JSON list of `{name, value, …}`) to the file and
    /// replaces each value with `<written to PATH>`.
    pub fn write_and_mask(&self, passwords: &mut Value) -> Result<()> {
        let contents = contents(passwords);
        write_private(&self.path, contents.as_bytes(), self.force).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                exists(&self.path)
            } else {
                Error::cli(format!(
                    "The new password was generated but could not be written to '{}': {e}. Generate it again.",
                    self.path.display()
                ))
            }
        })?;
        mask(passwords, &self.path);
        Ok(())
    }
}

fn exists(path: &Path) -> Error {
    Error::cli(format!(
        "The file '{}' already exists; pass --force to replace it.",
        path.display()
    ))
}

/// The file's format: the value alone (no newline) for one password, `name=value` lines for
/// several.
fn contents(passwords: &Value) -> String {
    let list: Vec<(&str, &str)> = passwords
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|p| {
                    Some((
                        p.get("name").and_then(Value::as_str).unwrap_or_default(),
                        p.get("value").and_then(Value::as_str)?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    match list.as_slice() {
        [(_, value)] => (*value).to_owned(),
        many => many
            .iter()
            .map(|(name, value)| format!("{name}={value}\n"))
            .collect(),
    }
}

/// Replaces every password value with `<written to PATH>`.
pub fn mask(passwords: &mut Value, path: &Path) {
    if let Some(items) = passwords.as_array_mut() {
        for p in items {
            if p.get("value").is_some_and(Value::is_string) {
                p["value"] = Value::String(format!("<written to {}>", path.display()));
            }
        }
    }
}

/// Writes `contents` to a file only its owner can read. Without `replace` the file must be
/// new (`O_EXCL`); with it, the contents go to a private temporary file beside `path` that is
/// then renamed over it, so `path` is never partly written nor readable by others.
pub fn write_private(path: &Path, contents: &[u8], replace: bool) -> std::io::Result<()> {
    if replace {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // tempfile creates its files 0600.
        let mut file = tempfile::Builder::new()
            .prefix(".acr-secret-")
            .tempfile_in(dir)?;
        file.write_all(contents)?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// A fleet's `--output-secret-dir`: created 0700 when missing; an existing one must be a
/// directory that neither group nor others can enter.
pub fn private_dir(path: &Path) -> Result<()> {
    let refuse =
        |why: String| Error::cli(format!("--output-secret-dir '{}' {why}", path.display()));
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_dir() => Err(refuse("is not a directory.".into())),
        Ok(meta) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = meta.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    return Err(refuse(format!(
                        "is open to other users (mode {mode:o}); run chmod 700 on it."
                    )));
                }
            }
            let _ = meta;
            Ok(())
        }
        Err(_) => {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            builder
                .create(path)
                .map_err(|e| refuse(format!("cannot be created: {e}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_value_alone_several_as_lines() {
        assert_eq!(
            contents(&json!([{"name": "password2", "value": "abc"}])),
            "abc"
        );
        assert_eq!(
            contents(
                &json!([{"name": "password1", "value": "a"}, {"name": "password2", "value": "b"}])
            ),
            "password1=a\npassword2=b\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_new_or_replaced_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        write_private(&path, b"one", false).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        let again = write_private(&path, b"two", false).unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let fleet = dir.path().join("fleet");
        private_dir(&fleet).unwrap();
        assert_eq!(mode(&fleet), 0o700);
        private_dir(&fleet).unwrap();
        std::fs::set_permissions(&fleet, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(private_dir(&fleet).is_err());
        assert!(private_dir(&path).is_err());
    }
}
