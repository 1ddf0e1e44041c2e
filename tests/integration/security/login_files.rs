//! Finding 4: `acr login` made the parent of `REGISTRY_AUTH_FILE` / `$DOCKER_CONFIG/config.json`
//! 0700, whatever directory that was (`/tmp` included: as root it turned 1777 into 0700). Only
//! the file gets 0600 now, a directory acr creates gets 0700, nothing else is touched, and a
//! symlinked `config.json` is written through the link, as docker does.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::Value;

use crate::support::{Acr, Emu};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

async fn login(acr: &Acr) {
    let out = acr.run("login -n myregistry").await;
    assert_eq!(out.code, 0, "{}", out.stderr);
}

fn has_auth(file: &Path, login_server: &str) -> bool {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    v["auths"][login_server]["auth"].is_string()
}

#[tokio::test]
async fn finding_4_login_touches_only_its_file() {
    let emu = Emu::start().await;
    let login_server = emu.login_server().to_owned();
    let mut acr = Acr::new(&emu);
    let scratch = tempfile::tempdir().unwrap();

    // A shared, sticky directory like /tmp: it keeps its mode.
    let shared = scratch.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let auth_file = shared.join("auth.json");
    acr.set_env("REGISTRY_AUTH_FILE", auth_file.to_str().unwrap());
    login(&acr).await;
    assert_eq!(mode(&shared), 0o1777, "the shared directory's mode");
    assert_eq!(mode(&auth_file), 0o600);
    assert!(has_auth(&auth_file, &login_server));

    // Directories acr creates are 0700; their existing parent stays as it was.
    let parent = scratch.path().join("home");
    std::fs::create_dir(&parent).unwrap();
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    let created = parent.join("new").join("docker");
    acr.unset_env("REGISTRY_AUTH_FILE");
    acr.set_env("DOCKER_CONFIG", created.to_str().unwrap());
    login(&acr).await;
    assert_eq!(mode(&parent), 0o755);
    assert_eq!(mode(&parent.join("new")), 0o700);
    assert_eq!(mode(&created), 0o700);
    assert_eq!(mode(&created.join("config.json")), 0o600);

    // A symlinked config.json (dotfiles managers do this) stays a symlink.
    let dotfiles = scratch.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let target = dotfiles.join("docker-config.json");
    std::fs::write(&target, r#"{"auths": {}, "credsStore": ""}"#).unwrap();
    let docker = scratch.path().join("docker");
    std::fs::create_dir(&docker).unwrap();
    std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let link = docker.join("config.json");
    std::os::unix::fs::symlink("../dotfiles/docker-config.json", &link).unwrap();
    acr.set_env("DOCKER_CONFIG", docker.to_str().unwrap());
    login(&acr).await;
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "config.json is still a symlink"
    );
    assert!(has_auth(&target, &login_server), "written through the link");
    assert_eq!(mode(&target), 0o600);
    assert_eq!(mode(&docker), 0o755);
}
