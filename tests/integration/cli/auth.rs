//! Every credential source acr can use against the management API, end to end against the
//! emulator's identity endpoints: environment service principal, workload identity, the
//! service principal stored by `acr account login`, App Service managed identity and an Azure
//! CLI login; the token cache; and the failures users see.

use crate::support::keystores::SecretService;
use crate::support::{Acr, Emu, setup};

const SP_VARS: [&str; 3] = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"];

fn without_service_principal(acr: &mut Acr) {
    for var in SP_VARS {
        acr.unset_env(var);
    }
}

/// How many identity token requests the emulator saw.
async fn token_requests(emu: &Emu) -> usize {
    emu.requests()
        .await
        .iter()
        .filter(|r| r.path.contains("/oauth2/v2.0/token") || r.path.starts_with("/msi/token"))
        .count()
}

#[tokio::test]
async fn environment_service_principal_and_the_token_cache() {
    let (emu, acr) = setup().await;
    emu.clear_requests().await;
    acr.ok("token list -r myregistry -g myresourcegroup").await;
    assert_eq!(token_requests(&emu).await, 1);
    acr.ok("token list -r myregistry -g myresourcegroup").await;
    assert_eq!(
        token_requests(&emu).await,
        1,
        "the second command reuses the cached token"
    );
    let cache = std::fs::metadata(acr.config_dir().join("tokens.json")).unwrap();
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&cache.permissions()) & 0o777,
        0o600
    );
}

#[tokio::test]
async fn a_wrong_secret_is_a_clear_error() {
    let (_emu, mut acr) = setup().await;
    acr.set_env("AZURE_CLIENT_SECRET", "not-the-secret");
    let out = acr.run("token list -r myregistry").await;
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .starts_with("ERROR: Authentication with the service principal failed: "),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("not-the-secret"));
}

#[tokio::test]
async fn workload_identity_uses_the_federated_token_file() {
    let (emu, mut acr) = setup().await;
    acr.unset_env("AZURE_CLIENT_SECRET");
    acr.set_env("AZURE_FEDERATED_TOKEN_FILE", &emu.env.federated_token_file);
    acr.ok("token list -r myregistry").await;
    let log = emu.requests().await;
    let token = log
        .iter()
        .find(|r| r.path.contains("/oauth2/v2.0/token"))
        .expect("a token request");
    assert_eq!(token.status, 200);
}

#[tokio::test]
async fn app_service_managed_identity() {
    let (emu, mut acr) = setup().await;
    without_service_principal(&mut acr);
    acr.set_env("IDENTITY_ENDPOINT", &emu.env.identity_endpoint);
    acr.set_env("IDENTITY_HEADER", &emu.env.identity_header);
    emu.clear_requests().await;
    let out = acr.ok("account show --query user").await;
    assert_eq!(out.json()["name"], "systemAssignedIdentity");
    acr.ok("token list -r myregistry").await;
    assert!(
        emu.requests()
            .await
            .iter()
            .any(|r| r.path.starts_with("/msi/token"))
    );
    acr.set_env("IDENTITY_HEADER", "wrong");
    std::fs::remove_file(acr.config_dir().join("tokens.json")).unwrap();
    let out = acr.run("token list -r myregistry").await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("ERROR: Authentication with the managed identity failed"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn account_login_stores_the_secret_privately_and_logout_forgets_it() {
    let (emu, mut acr) = setup().await;
    without_service_principal(&mut acr);
    let login = format!(
        "account login --service-principal -u {} --tenant {} --password-stdin",
        emu.env.client_id, emu.env.tenant_id
    );
    let out = acr
        .run_with(&login, &format!("{}\n", emu.env.client_secret), false)
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let listed = out.json();
    assert_eq!(listed[0]["name"], "Emulator Subscription");
    assert_eq!(listed[0]["user"]["type"], "servicePrincipal");
    assert!(
        !out.stdout.contains(&emu.env.client_secret)
            && !out.stderr.contains(&emu.env.client_secret)
    );
    let stored = std::fs::read_to_string(acr.config_dir().join("account.json")).unwrap();
    assert!(
        !stored.contains(&emu.env.client_secret),
        "the secret is not in account.json"
    );
    #[cfg(unix)]
    {
        let mode = std::fs::metadata(acr.config_dir().join("credentials.json"))
            .unwrap()
            .permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );
    }
    acr.ok("token list -r myregistry").await;
    assert_eq!(
        acr.ok("account show --query id -o tsv").await.stdout.trim(),
        emu.env.subscription_id
    );
    acr.ok("account logout").await;
    acr.run("token list -r myregistry")
        .await
        .error(1, "Please run 'acr account login' to setup account.");
    acr.run("account logout")
        .await
        .error(1, "There are no active accounts.");
}

#[tokio::test]
async fn account_login_without_a_keyring_says_how_to_fall_back() {
    let (emu, mut acr) = setup().await;
    without_service_principal(&mut acr);
    acr.unset_env("ACR_CREDENTIAL_STORE");
    // A bus that does not exist: the keyring is unavailable. The real binary runs in a child
    // process with only acr's environment, because the keyring client reads the bus address
    // from the process environment (a desktop session of the test runner must not leak in).
    acr.set_env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    let login = format!(
        "account login --service-principal -u {} --tenant {} --password-stdin",
        emu.env.client_id, emu.env.tenant_id
    );
    let out = acr.process(&login, &emu.env.client_secret).await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!acr.config_dir().join("credentials.json").exists());
    assert!(
        out.stderr.contains("Set ACR_CREDENTIAL_STORE=file"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(&emu.env.client_secret));
}

/// The OS keyring for real: a private Secret Service (D-Bus and gnome-keyring, unlocked with a
/// test password). The real `acr` binary runs in a child process, because the keyring client
/// reads `DBUS_SESSION_BUS_ADDRESS` from the process environment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_login_keeps_the_secret_in_a_real_secret_service() {
    let Some(keyring) = SecretService::start().await else {
        return;
    };
    let (emu, mut acr) = setup().await;
    without_service_principal(&mut acr);
    acr.unset_env("ACR_CREDENTIAL_STORE");
    for (name, value) in keyring.env() {
        acr.set_env(&name, &value);
    }
    let secret = emu.env.client_secret.clone();
    let lookup = ["search", "--all", "service", "acr"];
    assert!(
        !keyring.secret_tool(&lookup).await.stdout.contains(&secret),
        "the keyring starts empty"
    );
    let login = format!(
        "account login --service-principal -u {} --tenant {} --password-stdin",
        emu.env.client_id, emu.env.tenant_id
    );
    let out = acr.process(&login, &format!("{secret}\n")).await.ok();
    assert_eq!(out.json()[0]["user"]["type"], "servicePrincipal");
    assert!(!out.stdout.contains(&secret) && !out.stderr.contains(&secret));
    // The secret is in the keyring, under the account's entry, and nowhere in acr's files.
    let found = keyring.secret_tool(&lookup).await;
    assert!(found.ok, "{}", found.stderr);
    assert!(
        found.stdout.contains(&format!("secret = {secret}")),
        "{}",
        found.stdout
    );
    assert!(
        found.stdout.contains(&emu.env.client_id),
        "{}",
        found.stdout
    );
    assert!(!acr.config_dir().join("credentials.json").exists());
    let account = std::fs::read_to_string(acr.config_dir().join("account.json")).unwrap();
    assert!(
        account.contains("\"secretStore\": \"keyring\""),
        "{account}"
    );
    for entry in std::fs::read_dir(acr.config_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(
                !text.contains(&secret),
                "{} holds the secret",
                path.display()
            );
        }
    }

    // Later commands authenticate with the secret read back from the keyring (with the
    // access-token cache gone, so that they must ask the identity endpoint again).
    let _ = std::fs::remove_file(acr.config_dir().join("tokens.json"));
    emu.clear_requests().await;
    let listed = acr
        .process("token list -r myregistry --query length(@)", "")
        .await;
    assert_eq!(listed.ok().stdout, "0\n");
    assert_eq!(
        token_requests(&emu).await,
        1,
        "one client-credentials request"
    );

    // Logout removes the keyring entry.
    acr.process("account logout", "").await.ok();
    let after = keyring.secret_tool(&lookup).await;
    assert!(!after.stdout.contains(&secret), "{}", after.stdout);
    acr.process("token list -r myregistry", "")
        .await
        .error(1, "Please run 'acr account login' to setup account.");
}

#[tokio::test]
async fn an_azure_cli_login_is_used_when_nothing_else_is_configured() {
    let Some(bin) = crate::support::az::az_binary() else {
        return;
    };
    let (emu, mut acr) = setup().await;
    let az =
        crate::support::az::Az::login(bin, &emu.env, crate::support::az::Login::ServicePrincipal)
            .await;
    without_service_principal(&mut acr);
    acr.unset_env("AZURE_SUBSCRIPTION_ID");
    for (name, value) in az.env() {
        if name != "PATH" {
            acr.set_env(name, value);
        }
    }
    acr.set_env("ACR_AZ_PATH", &az.bin().display().to_string());
    let out = acr.ok("token list -r myregistry --query length(@)").await;
    assert_eq!(out.stdout, "0\n");
    let out = acr.ok("account show --query id -o tsv").await;
    assert_eq!(out.stdout.trim(), emu.env.subscription_id);
}

#[tokio::test]
async fn vm_managed_identity_through_the_metadata_endpoint() {
    let emu = Emu::start_with_imds().await;
    let mut acr = Acr::new(&emu);
    without_service_principal(&mut acr);
    // The emulator serves the VM metadata endpoint too; the Azure SDKs' override points at it.
    acr.set_env(
        "AZURE_POD_IDENTITY_AUTHORITY_HOST",
        emu.env.resource_manager.trim_end_matches('/'),
    );
    emu.clear_requests().await;
    acr.ok("token list -r myregistry").await;
    let log = emu.requests().await;
    assert!(
        log.iter()
            .any(|r| r.path == "/metadata/identity/oauth2/token" && r.status == 200),
        "{log:?}"
    );
}
