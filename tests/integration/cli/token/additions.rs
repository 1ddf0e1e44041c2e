//! acr's additions to `token create`, `token list` and `token credential generate|rotate`:
//! the expiry filters exactly at their window's edges in every output format,
//! `--output-secret-file` (0600, refused when present unless `--force`, no secret on stdout or
//! stderr), and `--if-not-exists` (idempotent over three runs, refusing other permissions).

use std::path::Path;

use serde_json::Value;

use crate::support::{Acr, Emu, Reg, setup};

const NOW: &str = "2030-01-01T00:00:00Z";

/// The names in a token list, sorted.
fn names(list: &Value) -> Vec<String> {
    let mut names: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_filters_return_exactly_the_tokens_at_the_window_edges() {
    let (_emu, mut acr) = setup().await;
    acr.ok("scope-map create -n pullmap -r myregistry --repository hello content/read")
        .await;
    for (token, expiration) in [
        ("at-the-edge", Some("2030-01-08T00:00:00Z")),
        ("past-the-edge", Some("2030-01-08T00:00:01Z")),
        ("expires-now", Some(NOW)),
        ("expired-before", Some("2029-12-31T23:59:59Z")),
        ("never-expires", None),
    ] {
        let flag = expiration
            .map(|e| format!(" --expiration {e}"))
            .unwrap_or_default();
        acr.ok(&format!(
            "token create -n {token} -r myregistry --scope-map pullmap{flag}"
        ))
        .await;
    }
    acr.ok("token create -n no-passwords -r myregistry --scope-map pullmap --no-passwords")
        .await;
    // One password that never expires and one inside the window: the token matches.
    acr.ok("token create -n one-of-two -r myregistry --scope-map pullmap --no-passwords")
        .await;
    acr.ok("token credential generate -n one-of-two -r myregistry --password1")
        .await;
    acr.ok("token credential generate -n one-of-two -r myregistry --password2 --expiration 2030-01-05T00:00:00Z")
        .await;
    acr.set_env("ACR_TEST_NOW", NOW);

    let all = acr.ok("token list -r myregistry").await.json();
    assert_eq!(all.as_array().unwrap().len(), 7);
    let list = |flags: &str| format!("token list -r myregistry {flags}");
    let week = ["at-the-edge", "one-of-two"];
    let expired = ["expired-before", "expires-now"];
    for (flags, expected) in [
        ("--expiring-within 7d", week.to_vec()),
        ("--expiring-within 168h", week.to_vec()),
        ("--expiring-within 10080m", week.to_vec()),
        (
            "--expiring-within 604801s",
            vec!["at-the-edge", "one-of-two", "past-the-edge"],
        ),
        ("--expiring-within 1s", vec![]),
        ("--expired", expired.to_vec()),
        (
            "--expired --expiring-within 7d",
            vec!["at-the-edge", "expired-before", "expires-now", "one-of-two"],
        ),
    ] {
        let out = acr.ok(&list(flags)).await;
        let filtered = out.json();
        assert_eq!(names(&filtered), expected, "{flags}");
        // The same objects as the unfiltered list, in its order.
        let same: Vec<&Value> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| expected.contains(&t["name"].as_str().unwrap()))
            .collect();
        assert_eq!(
            filtered.as_array().unwrap().iter().collect::<Vec<_>>(),
            same
        );
    }
    // Every output format and --query see the filtered list.
    let tsv = acr
        .ok(&list("--expired --query '[].name' -o tsv"))
        .await
        .stdout;
    let mut tsv: Vec<&str> = tsv.lines().collect();
    tsv.sort();
    assert_eq!(tsv, expired);
    let table = acr.ok(&list("--expired -o table")).await.stdout;
    assert_eq!(table.lines().count(), 4, "{table}");
    assert!(table.starts_with("NAME "), "{table}");
    assert!(table.contains("\nexpires-now ") && table.contains("\nexpired-before "));
    let yaml = acr.ok(&list("--expiring-within 7d -o yaml")).await.stdout;
    assert!(yaml.contains("name: at-the-edge") && !yaml.contains("name: never-expires"));
    let rows = acr.ok(&list("--expired -o tsv")).await.stdout;
    assert_eq!(rows.lines().count(), 2);
    assert_eq!(
        acr.ok(&list("--expiring-within 1s -o tsv")).await.stdout,
        ""
    );
    let bad = acr.run(&list("--expiring-within 7w")).await;
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.starts_with(
            "ERROR: argument --expiring-within: invalid duration value: '7w' (for example 7d, 12h, 30m, 45s)\n"
        ),
        "{}",
        bad.stderr
    );
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Whether the registry accepts `user` with `password`.
async fn accepted(reg: &Reg, user: &str, password: &str) -> bool {
    reg.access(user, password, &[]).await.is_ok()
}

fn reg_of(emu: &Emu) -> Reg {
    Reg {
        e: emu.view(),
        login: emu.login_server().to_owned(),
    }
}

/// No secret of `secrets` in either stream.
#[track_caller]
fn no_secret(out: &crate::support::Out, secrets: &[&str]) {
    for s in secrets {
        assert!(!out.stdout.contains(s), "a secret on stdout");
        assert!(!out.stderr.contains(s), "a secret on stderr");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_files_are_new_0600_and_keep_secrets_off_both_streams() {
    let (emu, acr) = setup().await;
    let reg = reg_of(&emu);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tok.pwd");
    let shown = format!("<written to {}>", file.display());

    // token create: both passwords, as name=value lines.
    let env_file = dir.path().join("tok.env");
    let out = acr
        .ok(&format!(
            "token create -n tok-sec -r myregistry --repository hello content/read --output-secret-file {}",
            env_file.display()
        ))
        .await;
    let text = std::fs::read_to_string(&env_file).unwrap();
    assert_eq!(mode(&env_file), 0o600);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let p1 = lines[0].strip_prefix("password1=").unwrap();
    let p2 = lines[1].strip_prefix("password2=").unwrap();
    assert!(accepted(&reg, "tok-sec", p1).await && accepted(&reg, "tok-sec", p2).await);
    no_secret(&out, &[p1, p2]);
    let token = out.json();
    let env_shown = format!("<written to {}>", env_file.display());
    for p in token["credentials"]["passwords"].as_array().unwrap() {
        assert_eq!(p["value"], env_shown.as_str());
    }
    assert!(out.stderr.contains("--password-stdin"), "the usual hint");

    // credential generate with one slot: the value alone, no newline.
    emu.clear_requests().await;
    let out = acr
        .ok(&format!(
            "token credential generate -n tok-sec -r myregistry --password1 --output-secret-file {}",
            file.display()
        ))
        .await;
    let first = std::fs::read_to_string(&file).unwrap();
    assert_eq!(mode(&file), 0o600);
    assert_eq!(first.len(), 52, "the value alone: {first:?}");
    assert!(accepted(&reg, "tok-sec", &first).await);
    no_secret(&out, &[&first]);
    assert_eq!(out.json()["passwords"][0]["value"], shown.as_str());

    // Present: refused before any request, the file untouched.
    emu.clear_requests().await;
    let again = acr
        .run(&format!(
            "token credential generate -n tok-sec -r myregistry --password1 --output-secret-file {}",
            file.display()
        ))
        .await;
    again.error(
        1,
        &format!(
            "The file '{}' already exists; pass --force to replace it.",
            file.display()
        ),
    );
    assert_eq!(emu.sequence().await, Vec::<String>::new());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    assert!(accepted(&reg, "tok-sec", &first).await);
    let rotate_refused = acr
        .run(&format!(
            "token credential rotate -n tok-sec -r myregistry --output-secret-file {}",
            file.display()
        ))
        .await;
    assert_eq!(rotate_refused.code, 1);
    assert_eq!(emu.sequence().await, Vec::<String>::new());

    // --force replaces it, still 0600; a table shows the placeholder.
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let out = acr
        .ok(&format!(
            "token credential rotate -n tok-sec -r myregistry --slot password1 --output-secret-file {} --force -o table",
            file.display()
        ))
        .await;
    let second = std::fs::read_to_string(&file).unwrap();
    assert_ne!(second, first);
    assert_eq!(mode(&file), 0o600);
    assert!(out.stdout.contains(&shown), "{}", out.stdout);
    no_secret(&out, &[&first, &second]);
    assert!(!accepted(&reg, "tok-sec", &first).await);
    assert!(accepted(&reg, "tok-sec", &second).await);
    assert!(accepted(&reg, "tok-sec", p2).await, "the other slot kept");

    // --debug logs requests and responses, never the secret.
    let debug_file = dir.path().join("debug.pwd");
    let out = acr
        .ok(&format!(
            "token credential rotate -n tok-sec -r myregistry --output-secret-file {} --debug",
            debug_file.display()
        ))
        .await;
    let third = std::fs::read_to_string(&debug_file).unwrap();
    assert!(out.stderr.contains("generateCredentials"));
    no_secret(&out, &[&third]);

    acr.run(&format!(
        "token create -n tok-sec2 -r myregistry --scope-map x-scope-map --no-passwords --output-secret-file {}",
        dir.path().join("none").display()
    ))
    .await
    .error(
        1,
        "usage error: --output-secret-file and --no-passwords are mutually exclusive.",
    );
    assert!(!dir.path().join("none").exists());
}

/// The passwords' creation times of a token (unchanged means untouched).
async fn creation_times(acr: &Acr, token: &str) -> Vec<String> {
    let shown = acr
        .ok(&format!("token show -n {token} -r myregistry"))
        .await
        .json();
    shown["credentials"]["passwords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["creationTime"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_not_exists_is_idempotent_over_three_runs_and_refuses_other_permissions() {
    let (emu, acr) = setup().await;
    let line = "token create -n tok-idem -r myregistry --repository hello content/read metadata/read --if-not-exists";
    let first = acr.ok(line).await.json();
    assert_eq!(
        first["credentials"]["passwords"].as_array().unwrap().len(),
        2
    );
    let created = creation_times(&acr, "tok-idem").await;
    for _ in 0..2 {
        emu.clear_requests().await;
        let out = acr.ok(line).await;
        assert_eq!(out.stderr, "", "no password hint: nothing was generated");
        assert_eq!(
            emu.sequence().await,
            [
                "GET REG/tokens/tok-idem 200",
                "GET REG/scopeMaps/tok-idem-scope-map 200"
            ]
        );
        let show = acr.ok("token show -n tok-idem -r myregistry").await;
        assert_eq!(out.stdout, show.stdout, "printed as token show prints it");
        assert_eq!(creation_times(&acr, "tok-idem").await, created);
    }
    // Other actions: refused, nothing written.
    emu.clear_requests().await;
    acr.run("token create -n tok-idem -r myregistry --repository hello content/write --if-not-exists")
        .await
        .error(1, "The token 'tok-idem' already exists and its scope map 'tok-idem-scope-map' grants other actions; nothing was changed (--if-not-exists). Use `acr token update` to change it.");
    let writes: Vec<String> = emu
        .sequence()
        .await
        .into_iter()
        .filter(|r| !r.starts_with("GET "))
        .collect();
    assert_eq!(writes, Vec::<String>::new());
    assert_eq!(creation_times(&acr, "tok-idem").await, created);

    // By scope map: the same map is fine three times, another one is refused.
    acr.ok("scope-map create -n map-one -r myregistry --repository hello content/read")
        .await;
    acr.ok("scope-map create -n map-two -r myregistry --repository hello content/read")
        .await;
    let by_map = "token create -n tok-map -r myregistry --scope-map map-one --if-not-exists";
    acr.ok(by_map).await;
    let created = creation_times(&acr, "tok-map").await;
    for _ in 0..2 {
        emu.clear_requests().await;
        acr.ok(by_map).await;
        assert_eq!(emu.sequence().await, ["GET REG/tokens/tok-map 200"]);
    }
    assert_eq!(creation_times(&acr, "tok-map").await, created);
    emu.clear_requests().await;
    acr.run("token create -n tok-map -r myregistry --scope-map map-two --if-not-exists")
        .await
        .error(1, "The token 'tok-map' already exists with scope map 'map-one', not 'map-two'; nothing was changed (--if-not-exists). Use `acr token update` to change it.");
    assert_eq!(emu.sequence().await, ["GET REG/tokens/tok-map 200"]);
    acr.run("token create -n tok-map -r myregistry --repository hello content/read --if-not-exists")
        .await
        .error(1, "The token 'tok-map' already exists with scope map 'map-one', not 'tok-map-scope-map'; nothing was changed (--if-not-exists). Use `acr token update` to change it.");
    // Without --if-not-exists, az's behaviour: the passwords are replaced.
    acr.ok("token create -n tok-map -r myregistry --scope-map map-one")
        .await;
    assert_ne!(creation_times(&acr, "tok-map").await, created);
}
