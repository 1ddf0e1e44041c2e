//! The secrets audit: the documentation's walkthrough (`cli::seeds::ENGLISH`), then data-plane
//! commands (`repository list`, `login`), each with `--debug` or `--verbose`, by `acr` against
//! the real `acr-emulator` binary. Every secret that went by (the service principal's secret,
//! the identity header, every token password printed, every access and refresh token cached)
//! must appear nowhere but on stdout and in the credential stores: not in acr's stderr, not in
//! the emulator's log, not in any other file of acr's HOME and config dir or the emulator's
//! data dir; and every file that holds one is 0600 in a 0700 directory.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use acr::emulator::EnvInfo;
use regex::Regex;

use crate::cli::seeds::ENGLISH;
use crate::support::{Acr, EmulatorProcess, split};

/// Files allowed to hold secrets: acr's token caches, credential file and the registry auth
/// file; the emulator's database and secret files.
const CREDENTIAL_STORES: &[&str] = &[
    "tokens.json",
    "registry-tokens.json",
    "credentials.json",
    "account.json",
    "auth.json",
    "emulator.db",
    "emulator.db-wal",
    "emulator.db-shm",
    "state.json",
    "pepper",
    "signing-key.pem",
    "key.pem",
    "federated-token",
];

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn secrets_appear_only_on_stdout_and_in_credential_stores() {
    let data = tempfile::tempdir().unwrap();
    let (_emulator, state) = EmulatorProcess::spawn(data.path()).await;
    let env: EnvInfo = serde_json::from_value(state).unwrap();
    let mut acr = Acr::for_env(&env);
    let home = acr.config_dir().to_path_buf();
    acr.set_env(
        "REGISTRY_AUTH_FILE",
        home.join("auth.json").to_str().unwrap(),
    );

    let mut secrets: Vec<String> = vec![env.client_secret.clone(), env.identity_header.clone()];
    let mut stderr = String::new();
    let mut stdout = String::new();
    let run = |line: String, flag: &'static str| {
        let acr = &acr;
        async move {
            let mut args = split(&line);
            args.remove(0); // `acr`
            args.push(flag.to_string());
            acr.run_args(args, "", false).await
        }
    };
    let mut lines: Vec<String> = ENGLISH
        .iter()
        .map(|l| {
            let l = l.strip_prefix("TOKEN_PWD=$(").unwrap_or(l);
            l.strip_suffix(')').unwrap_or(l).to_string()
        })
        .collect();
    lines.extend(
        [
            "acr token credential generate --name MyToken --registry myregistry --password2 --output json",
            "acr repository list --name myregistry",
            "acr login --name myregistry",
            "acr token list --registry myregistry",
        ]
        .map(String::from),
    );
    for (i, line) in lines.into_iter().enumerate() {
        let flag = if i % 2 == 0 { "--debug" } else { "--verbose" };
        let out = run(line.clone(), flag).await;
        stdout.push_str(&out.stdout);
        stderr.push_str(&out.stderr);
    }
    // A second login with a token's password (the Basic and token-server paths).
    let password = Regex::new(r#""value": "([^"]+)""#).unwrap();
    let passwords: Vec<String> = password
        .captures_iter(&stdout)
        .map(|c| c[1].to_string())
        .collect();
    assert!(passwords.len() >= 3, "passwords printed: {stdout}");
    let out = acr
        .run_with(
            "login --name myregistry --username MyToken --password-stdin --debug",
            &format!("{}\n", passwords.last().unwrap()),
            false,
        )
        .await;
    stderr.push_str(&out.stderr);
    secrets.extend(passwords);

    // Access and refresh tokens: every JWT acr cached or printed.
    let jwt = Regex::new(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}").unwrap();
    let mut files = Vec::new();
    files_under(&home, &mut files);
    files_under(data.path(), &mut files);
    let tokens_before = secrets.len();
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        secrets.extend(jwt.find_iter(&text).map(|m| m.as_str().to_string()));
    }
    assert!(
        secrets.len() > tokens_before,
        "some access or refresh token was cached"
    );
    secrets.sort();
    secrets.dedup();

    let log = std::fs::read_to_string(data.path().join("child.log")).unwrap();
    for s in &secrets {
        assert!(!stderr.contains(s.as_str()), "acr's stderr holds a secret");
        assert!(
            !log.contains(s.as_str()),
            "the emulator's log holds a secret"
        );
    }
    assert!(
        stderr.contains("Request URL") || stderr.contains("DEBUG"),
        "--debug was on"
    );

    let mut holders = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if !secrets.iter().any(|s| text.contains(s.as_str())) {
            continue;
        }
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            CREDENTIAL_STORES.contains(&name.as_str()),
            "{} holds a secret and is not a credential store",
            f.display()
        );
        assert_eq!(mode(f), 0o600, "{}", f.display());
        assert_eq!(mode(f.parent().unwrap()), 0o700, "{}", f.display());
        holders.push(name);
    }
    // The database's secrets may still be in its WAL; auth.json holds them base64-encoded.
    for expected in [
        "emulator.db",
        "state.json",
        "registry-tokens.json",
        "tokens.json",
    ] {
        assert!(
            holders.iter().any(|h| h.starts_with(expected)),
            "{expected} should hold a secret (the audit would be vacuous): {holders:?}"
        );
    }
}
