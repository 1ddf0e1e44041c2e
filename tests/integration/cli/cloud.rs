//! Clouds and configuration: `acr cloud register` with endpoint discovery from the emulator's
//! metadata endpoint and a per-cloud CA bundle, `acr cloud set` selecting it (no environment
//! overrides), the sovereign clouds' login-server suffixes, and `acr configure`.

use serde_json::json;

use crate::support::setup;

#[tokio::test]
async fn a_registered_cloud_with_its_ca_bundle_replaces_the_environment() {
    let (emu, mut acr) = setup().await;
    for var in [
        "ACR_RESOURCE_MANAGER",
        "ACR_CA_BUNDLE",
        "ACR_LOGIN_SERVER_SUFFIX",
        "ACR_CLOUD_NAME",
        "AZURE_AUTHORITY_HOST",
    ] {
        acr.unset_env(var);
    }
    let arm = &emu.env.resource_manager;
    // Without the CA bundle the emulator's certificate is not trusted.
    let untrusted = acr
        .run(&format!(
            "cloud register -n Local --endpoint-resource-manager {arm}"
        ))
        .await;
    assert_eq!(untrusted.code, 1);
    assert!(untrusted.stderr.starts_with("ERROR: Unable to get endpoints from the cloud.\nPlease ensure you have network connection. Error detail: "), "{}", untrusted.stderr);
    acr.ok(&format!(
        "cloud register -n Local --endpoint-resource-manager {arm} --ca-bundle {}",
        emu.env.ca_certificate
    ))
    .await;
    acr.run(&format!(
        "cloud register -n local --endpoint-resource-manager {arm}"
    ))
    .await
    .error(1, "The cloud 'local' is already registered.");
    let shown = acr.ok("cloud show -n Local").await.json();
    assert_eq!(
        shown["endpoints"]["activeDirectory"],
        emu.env.authority.as_str()
    );
    assert_eq!(
        shown["suffixes"]["acrLoginServerEndpoint"],
        ".azurecr.local"
    );
    assert_eq!(shown["isActive"], false);
    acr.ok("cloud set -n Local").await;
    assert_eq!(
        acr.ok("cloud show --query name -o tsv").await.stdout,
        "Local\n"
    );
    let listed = acr
        .ok("cloud list --query [].{n:name,a:isActive} -o tsv")
        .await;
    assert!(
        listed.stdout.contains("AzureCloud\tFalse\n") && listed.stdout.contains("Local\tTrue\n"),
        "{}",
        listed.stdout
    );
    // Discovered endpoints, the cloud's CA and its suffix now drive every command.
    acr.ok("token create -n cloudtok -r myregistry.azurecr.local --scope-map _repositories_pull --no-passwords").await;
    acr.run("cloud set -n Nowhere")
        .await
        .error(1, "The cloud 'Nowhere' is not registered.");
}

#[tokio::test]
async fn sovereign_clouds_validate_their_own_suffix() {
    let (_emu, mut acr) = setup().await;
    acr.unset_env("ACR_RESOURCE_MANAGER");
    acr.ok("cloud set -n AzureChinaCloud").await;
    let china = acr.ok("cloud show").await.json();
    assert_eq!(china["suffixes"]["acrLoginServerEndpoint"], ".azurecr.cn");
    assert_eq!(
        china["endpoints"]["resourceManager"],
        "https://management.chinacloudapi.cn"
    );
    acr.run("token list -r myregistry.azurecr.io")
        .await
        .error(1, "The login server suffix is not valid for the current cloud. Please try again using '.azurecr.cn'.");
    acr.ok("cloud set -n AzureUSGovernment").await;
    acr.run("token list -r myregistry.azurecr.cn")
        .await
        .error(1, "The login server suffix is not valid for the current cloud. Please try again using '.azurecr.us'.");
}

#[tokio::test]
async fn configure_defaults_and_list_them() {
    let (_emu, acr) = setup().await;
    acr.ok("configure --defaults acr=myregistry group=myresourcegroup")
        .await;
    let listed = acr.ok("configure --list-defaults").await.json();
    let source = acr.config_dir().join("config").display().to_string();
    assert_eq!(
        listed,
        json!([{"name": "acr", "source": source, "value": "myregistry"}, {"name": "group", "source": source, "value": "myresourcegroup"}])
    );
    acr.ok("token list").await;
    acr.run("configure --defaults acr")
        .await
        .error(1, "usage error: --defaults STRING=STRING STRING=STRING ...");
    acr.ok("configure --defaults acr=").await;
    acr.run("token list").await.fails(2, "ERROR: the following arguments are required: --registry/-r\n\nExamples from command's help:\nacr token list -r myregistry\nList tokens under the registry 'myregistry'.\n\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n");
}
