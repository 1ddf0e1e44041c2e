//! Behaviour shared by the groups (§3): registry-name validation and suffix stripping,
//! `defaults.acr`/`defaults.group` from `acr configure` and from `AZURE_DEFAULTS_*`,
//! `--only-show-errors`, and secrets kept off stderr even with `--debug` (D12).

use crate::support::{passwords_of, setup};

const BAD_NAME: &str = "Registry names may contain only alpha numeric characters and must be between 5 and 50 characters";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_names_are_validated_before_any_request() {
    let (emu, acr) = setup().await;
    for (registry, message) in [
        ("my_reg", BAD_NAME.to_owned()),
        ("my-reg", BAD_NAME.to_owned()),
        ("abc", BAD_NAME.to_owned()),
        (&"a".repeat(51), BAD_NAME.to_owned()),
        (
            "myregistry.example.com",
            "The login server suffix is not valid for the current cloud. Please try again using '.azurecr.local'.".to_owned(),
        ),
        (
            "myregistry.azurecr.io",
            "The login server suffix is not valid for the current cloud. Please try again using '.azurecr.local'.".to_owned(),
        ),
    ] {
        for command in [
            "token list",
            "scope-map list",
            "token show -n token1",
            "scope-map create -n mymap1",
        ] {
            acr.run(&format!("acr {command} -r {registry}"))
                .await
                .error(1, &message);
        }
    }
    // Stripping the suffix may leave a name that is too short: az warns, then refuses it.
    acr.run("acr token list -r abc.azurecr.local").await.fails(
        1,
        &format!(
            "WARNING: Registry name is 'abc'. The following suffix '.azurecr.local' is automatically omitted.\nERROR: {BAD_NAME}\n"
        ),
    );
    assert!(emu.requests().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_server_suffix_is_stripped_with_a_warning() {
    let (emu, acr) = setup().await;
    let out = acr.ok("acr token list -r myregistry.AzureCR.local").await;
    assert_eq!(out.stdout, "[]\n");
    assert_eq!(
        out.stderr,
        "WARNING: Registry name is 'myregistry'. The following suffix '.AzureCR.local' is automatically omitted.\n"
    );
    // A domain-name-label hash goes too; the warning shows what was removed, as typed.
    let out = acr
        .ok("acr scope-map show -r myregistry-dnlHash123.azurecr.local -n _repositories_pull --query name")
        .await;
    assert_eq!(out.stdout, "\"_repositories_pull\"\n");
    assert_eq!(
        out.stderr,
        "WARNING: Registry name is 'myregistry'. The following suffix '-dnlHash123.azurecr.local' is automatically omitted.\n"
    );
    let out = acr
        .ok("acr token list -r myregistry.azurecr.local --only-show-errors")
        .await;
    assert_eq!(out.stderr, "");
    // The name keeps the user's casing in URLs; a discovered group is lower-cased (az-compat).
    emu.clear_requests().await;
    let fresh = crate::support::Acr::new(&emu);
    fresh.ok("acr token list -r MyRegistry").await;
    let paths: Vec<String> = emu
        .arm_requests()
        .await
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(
        paths[1].ends_with("/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/MyRegistry/tokens"),
        "{paths:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_registry_is_reported_like_az() {
    let (emu, acr) = setup().await;
    let message = format!(
        "The resource with name 'nosuchreg' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Emulator Subscription ({})'.",
        emu.sub()
    );
    for line in [
        "acr token list -r nosuchreg",
        "acr token create -r nosuchreg -n token1 --repository r content/read",
        "acr scope-map show -r nosuchreg -n mymap1",
        "acr token credential generate -r nosuchreg -n token1",
    ] {
        // Not a 404 of the service: exit 1, even for show commands.
        acr.run(line).await.error(1, &message);
    }
    // With a group, the registry URL itself answers 404 (exit 3).
    let text = format!(
        "Failed to perform 'read' on resource(s) of type 'registries', because the parent resource '/subscriptions/{}/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/nosuchreg' could not be found.",
        emu.sub()
    );
    acr.run("acr token list -r nosuchreg -g myresourcegroup")
        .await
        .error(
            3,
            &format!(
                "(ParentResourceNotFound) {text}\nCode: ParentResourceNotFound\nMessage: {text}"
            ),
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defaults_from_acr_configure() {
    let (emu, acr) = setup().await;
    let out = acr
        .ok("acr configure --defaults acr=myregistry group=myresourcegroup")
        .await;
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    emu.clear_requests().await;
    // No --registry needed, and a known group means no resources listing (D6).
    acr.ok("acr token create -n token1 --repository repo1 content/read --no-passwords")
        .await;
    assert_eq!(
        acr.ok("acr token list --query [].name -o tsv").await.stdout,
        "token1\n"
    );
    acr.ok("acr scope-map show -n token1-scope-map").await;
    assert!(
        !emu.sequence()
            .await
            .iter()
            .any(|r| r.starts_with("GET RES")),
        "{:?}",
        emu.sequence().await
    );
    // An argument wins over the default.
    let out = acr.run("acr token list -r nosuchreg").await;
    assert_eq!(out.code, 3, "{}", out.stderr);

    // A wrong default group is used silently (az-compat): the service's 404, exit 3.
    acr.ok("acr configure --defaults group=wronggroup").await;
    acr.run("acr token list").await.error(
        3,
        "(ResourceGroupNotFound) Resource group 'wronggroup' could not be found.\n\
         Code: ResourceGroupNotFound\n\
         Message: Resource group 'wronggroup' could not be found.",
    );
    // An empty value removes the default: discovery is back.
    acr.ok("acr configure --defaults group=").await;
    emu.clear_requests().await;
    acr.ok("acr token list").await;
    assert_eq!(emu.sequence().await, ["GET RES 200", "GET REG/tokens 200"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn defaults_from_the_environment() {
    let (emu, mut acr) = setup().await;
    acr.set_env("AZURE_DEFAULTS_ACR", "myregistry");
    acr.set_env("AZURE_DEFAULTS_GROUP", "myresourcegroup");
    acr.ok("acr scope-map create -n mymap1 --repository repo1 content/read")
        .await;
    assert_eq!(
        acr.ok("acr scope-map show -n mymap1 --query name -o tsv")
            .await
            .stdout,
        "mymap1\n"
    );
    assert_eq!(
        emu.sequence().await,
        [
            "PUT REG/scopeMaps/mymap1 200",
            "GET REG/scopeMaps/mymap1 200"
        ]
    );
    // The environment wins over the configuration file.
    acr.ok("acr configure --defaults acr=otherregistry").await;
    acr.ok("acr scope-map show -n mymap1").await;
    acr.set_env("AZURE_DEFAULTS_GROUP", "wronggroup");
    assert_eq!(acr.run("acr scope-map show -n mymap1").await.code, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_show_errors_silences_warnings_not_errors() {
    let (_emu, acr) = setup().await;
    let out = acr
        .ok("acr token create -r myregistry -n token1 --repository repo1 content/read --only-show-errors")
        .await;
    assert_eq!(out.stderr, "");
    assert_eq!(passwords_of(&out.json()).len(), 2);
    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --days 3 --only-show-errors")
        .await;
    assert_eq!(out.stderr, "");
    let out = acr
        .ok("acr scope-map update -r myregistry -n token1-scope-map --add foo content/read --only-show-errors")
        .await;
    assert_eq!(out.stderr, "");
    acr.run("acr token show -r myregistry -n nosuch --only-show-errors")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource nosuch could not be found.\n\
             Code: ResourceNotFound\n\
             Message: The resource nosuch could not be found.",
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_logs_requests_without_secrets_d12() {
    let (emu, acr) = setup().await;
    for line in [
        "acr token create -r myregistry -n token1 --repository repo1 content/read --debug",
        "acr token credential generate -r myregistry -n token1 --password2 --debug",
        "acr token create -r myregistry -n token2 --scope-map token1-scope-map --verbose",
    ] {
        let out = acr.ok(line).await;
        let secrets = passwords_of(&out.json());
        assert!(!secrets.is_empty(), "{line}");
        for secret in &secrets {
            assert!(
                !out.stderr.contains(secret.as_str()),
                "{line}: a password on stderr"
            );
        }
        assert!(
            !out.stderr.contains(&emu.env.client_secret),
            "{line}: the client secret on stderr"
        );
        // No bearer token (a JWT starts with eyJ) in any header or body.
        assert!(!out.stderr.contains("eyJ"), "{line}: a token on stderr");
        if line.ends_with("--debug") {
            assert!(
                out.stderr.contains("DEBUG: Request URL: '"),
                "{line}: {}",
                out.stderr
            );
            assert!(
                out.stderr.contains("'authorization': '*****'"),
                "{line}: {}",
                out.stderr
            );
            assert!(
                out.stderr.contains("\"value\":\"*****\""),
                "{line}: the generated passwords are masked\n{}",
                out.stderr
            );
            assert!(out.stderr.contains("generateCredentials"));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscription_by_id_or_name() {
    let (emu, acr) = setup().await;
    for value in [
        emu.sub().to_uppercase(),
        "Emulator Subscription".to_owned(),
        "emulator subscription".to_owned(),
    ] {
        let out = acr
            .ok(&format!(
                "acr scope-map list -r myregistry --subscription '{value}' --query \"length(@)\""
            ))
            .await;
        assert_eq!(out.stdout, "5\n");
    }
    // Unknown names and ids alike: az's warning, then its error.
    for value in ["nosuchsub", "00000000-0000-0000-0000-000000000000"] {
        acr.run(&format!("acr token list -r myregistry --subscription {value}"))
            .await
            .fails(
                1,
                &format!(
                    "WARNING: Subscription '{value}' not recognized.\n\
                     ERROR: Subscription '{value}' not found. Check the spelling and casing and try again.\n"
                ),
            );
    }
}
