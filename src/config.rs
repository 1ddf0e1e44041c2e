//! acr's configuration: the process environment (injected, so tests never mutate the real one)
//! and the az-style INI file `config` in the configuration directory (`ACR_CONFIG_DIR`, else
//! `dirs::config_dir()/acr`). Precedence is az's: command-line argument, then `AZURE_<SECTION>_<KEY>`
//! environment variable, then the file. Secrets never live here (see `api::auth`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Environment variables, captured once at start-up.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars().collect(),
        }
    }

    pub fn from_pairs<I: IntoIterator<Item = (K, V)>, K: Into<String>, V: Into<String>>(
        pairs: I,
    ) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// An environment whose one variable points acr's configuration directory at `dir`, so
    /// that a test never reads or writes the user's.
    #[cfg(test)]
    pub fn with_config_dir(dir: &Path) -> Env {
        Env::from_pairs([("ACR_CONFIG_DIR", dir.to_str().expect("a UTF-8 directory"))])
    }

    /// The variable's value; empty values count as unset, as in az.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Every variable, for a child process that must see the same environment.
    pub fn vars(&self) -> impl Iterator<Item = (&String, &String)> {
        self.vars.iter()
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_owned(), value.to_owned());
    }
}

/// The configuration directory and the parsed `config` file.
#[derive(Debug, Clone)]
pub struct Config {
    dir: PathBuf,
    sections: BTreeMap<String, BTreeMap<String, String>>,
    env: Env,
}

impl Config {
    /// Reads `config` from the configuration directory; a missing or unreadable file is empty.
    pub fn load(env: &Env) -> Config {
        let dir = match env.get("ACR_CONFIG_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => dirs::config_dir()
                .unwrap_or_else(std::env::temp_dir)
                .join("acr"),
        };
        let text = std::fs::read_to_string(dir.join("config")).unwrap_or_default();
        Config {
            dir,
            sections: parse_ini(&text),
            env: env.clone(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    /// `section.key`: the `AZURE_SECTION_KEY` environment variable, else the file.
    pub fn get(&self, section: &str, key: &str) -> Option<String> {
        let var = format!("AZURE_{}_{}", section.to_uppercase(), key.to_uppercase());
        if let Some(value) = self.env.get(&var) {
            return Some(value.to_owned());
        }
        self.get_file(section, key)
    }

    /// `section.key` from the file only.
    pub fn get_file(&self, section: &str, key: &str) -> Option<String> {
        self.sections
            .get(section)?
            .get(key)
            .filter(|v| !v.is_empty())
            .cloned()
    }

    /// Every key of a section in the file.
    pub fn section(&self, section: &str) -> Vec<(String, String)> {
        self.sections
            .get(section)
            .map(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// Sets (or, with an empty value, removes) `section.key` and rewrites the file atomically.
    pub fn set(&mut self, section: &str, key: &str, value: &str) -> std::io::Result<()> {
        let entries = self.sections.entry(section.to_owned()).or_default();
        if value.is_empty() {
            entries.remove(key);
        } else {
            entries.insert(key.to_owned(), value.to_owned());
        }
        write_atomic(
            &self.dir.join("config"),
            render_ini(&self.sections).as_bytes(),
            false,
        )
    }
}

/// Reads one of acr's JSON files in the configuration directory (the token caches, the
/// discovery cache, the credential file): one that is missing, unreadable or not the expected
/// JSON reads as empty, as if nothing had been saved yet.
pub fn read_json<T: serde::de::DeserializeOwned + Default>(path: &Path) -> T {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename, so a
/// crash never leaves a half-written file. `private` makes the file 0600 before any byte is
/// written, and the directories this call creates 0700; a directory that already exists is
/// never touched (`REGISTRY_AUTH_FILE=/tmp/auth.json` must not turn `/tmp` into 0700). A
/// symlinked `path` is written through the link, as docker does, not replaced by a file.
pub fn write_atomic(path: &Path, contents: &[u8], private: bool) -> std::io::Result<()> {
    let path = &through_symlinks(path);
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    create_missing_dirs(dir, private)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if private { 0o600 } else { 0o644 };
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    std::io::Write::write_all(&mut file, contents)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a secret into acr's own configuration directory (token caches, the credential
/// file): like [`write_atomic`] with `private`, and the directory, which belongs to acr, is
/// made 0700 if it is looser, so every secret is 0600 in a 0700 directory.
pub fn write_secret(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent()
        && let Ok(meta) = std::fs::metadata(dir)
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    write_atomic(path, contents, true)
}

/// The file a chain of symlinks at `path` ends at (relative links resolved against the link's
/// directory); `path` itself when it is not a symlink. At most 40 links, as the kernel allows.
fn through_symlinks(path: &Path) -> std::path::PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&current) {
            Ok(target) => {
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            Err(_) => break,
        }
    }
    current
}

/// Creates `dir` and its missing parents (0700 each when `private`); existing ones stay as
/// they are.
fn create_missing_dirs(dir: &Path, private: bool) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    #[cfg(not(unix))]
    let _ = private;
    builder.create(dir)
}

fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_owned();
            continue;
        }
        if let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(':')) {
            sections
                .entry(current.clone())
                .or_default()
                .insert(key.trim().to_lowercase(), value.trim().to_owned());
        }
    }
    sections
}

fn render_ini(sections: &BTreeMap<String, BTreeMap<String, String>>) -> String {
    let mut out = String::new();
    for (name, entries) in sections.iter().filter(|(_, e)| !e.is_empty()) {
        out.push_str(&format!("[{name}]\n"));
        for (key, value) in entries {
            out.push_str(&format!("{key} = {value}\n"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_and_set_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::with_config_dir(dir.path());
        let mut config = Config::load(&env);
        config.set("defaults", "acr", "myregistry").unwrap();
        config.set("defaults", "group", "rg").unwrap();
        let reloaded = Config::load(&env);
        assert_eq!(
            reloaded.get("defaults", "acr").as_deref(),
            Some("myregistry")
        );
        let mut env2 = env.clone();
        env2.set("AZURE_DEFAULTS_ACR", "other");
        assert_eq!(
            Config::load(&env2).get("defaults", "acr").as_deref(),
            Some("other")
        );
        config.set("defaults", "acr", "").unwrap();
        assert_eq!(Config::load(&env).get("defaults", "acr"), None);
        assert_eq!(
            Config::load(&env).get("defaults", "group").as_deref(),
            Some("rg")
        );
    }

    #[test]
    fn ini_parsing_is_lenient() {
        let s = parse_ini("# c\n[core]\noutput=table\n[defaults]\n ACR : reg \n");
        assert_eq!(s["core"]["output"], "table");
        assert_eq!(s["defaults"]["acr"], "reg");
    }
}
