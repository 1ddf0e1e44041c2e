//! Subscriptions, the resources listing, registries (create with a data-plane port, admin
//! credentials, delete), api-version handling, not-found cases, and the placeholder data plane.

use serde_json::{Value, json};

use crate::support::swagger::assert_valid;
use crate::support::{Emu, client_for, wait};

#[tokio::test]
async fn subscriptions_and_resource_discovery() {
    let e = Emu::start_with(vec![
        "myregistry".parse().unwrap(),
        "other:Basic".parse().unwrap(),
    ])
    .await;
    let s = e
        .arm("GET", "/subscriptions?api-version=2022-12-01", None)
        .await;
    assert_eq!(s.status, 200);
    let sub = &s.body["value"][0];
    assert_eq!(sub["subscriptionId"], e.sub());
    assert_eq!(sub["tenantId"], e.env.tenant_id);
    assert_eq!(sub["displayName"], "Emulator Subscription");
    assert_eq!(sub["state"], "Enabled");
    let one = e
        .arm(
            "GET",
            &format!("/subscriptions/{}?api-version=2022-12-01", e.sub()),
            None,
        )
        .await;
    assert_eq!(one.body["id"], format!("/subscriptions/{}", e.sub()));

    // az's resource-group discovery, with its exact encoding of the filter.
    let q = "$filter=resourceType%20eq%20%27Microsoft.ContainerRegistry%2Fregistries%27&api-version=2024-11-01";
    let r = e
        .arm(
            "GET",
            &format!("/subscriptions/{}/resources?{q}", e.sub()),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.body["value"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], e.reg());
    assert_eq!(items[0]["type"], "Microsoft.ContainerRegistry/registries");
    assert_eq!(
        items[0]["sku"],
        json!({"name": "Premium", "tier": "Premium"})
    );
    assert_eq!(items[1]["name"], "other");
    let r = e
        .arm("GET", &format!("/subscriptions/{}/resources?$filter=resourceType eq 'Microsoft.Storage/storageAccounts'&api-version=2021-04-01", e.sub()), None)
        .await;
    assert_eq!(r.body["value"], json!([]));
    let r = e
        .arm("GET", &format!("/subscriptions/{}/resources?$filter=name eq 'OTHER' and resourceType eq 'Microsoft.ContainerRegistry/registries'&api-version=2024-11-01", e.sub()), None)
        .await;
    assert_eq!(r.body["value"].as_array().unwrap().len(), 1);
    let r = e
        .arm(
            "GET",
            &format!(
                "/subscriptions/{}/resources?$filter=tagName eq 'x'&api-version=2024-11-01",
                e.sub()
            ),
            None,
        )
        .await;
    r.arm_error(400, "InvalidFilterInQueryString");
    // Paging of the resources listing.
    assert_eq!(
        e.hook("POST", "/_emulator/paging", json!({"pageSize": 1}))
            .await,
        204
    );
    let r = e
        .arm(
            "GET",
            &format!("/subscriptions/{}/resources?{q}", e.sub()),
            None,
        )
        .await;
    assert_eq!(r.body["value"].as_array().unwrap().len(), 1);
    let next = r.body["nextLink"].as_str().unwrap().to_string();
    let r2 = e.arm("GET", &next, None).await;
    assert_eq!(r2.body["value"][0]["name"], "other");
    assert!(r2.body.get("nextLink").is_none());
    assert_eq!(
        e.hook("POST", "/_emulator/paging", json!({"pageSize": 0}))
            .await,
        204
    );

    let rgs = e
        .arm(
            "GET",
            &format!(
                "/subscriptions/{}/resourcegroups?api-version=2021-04-01",
                e.sub()
            ),
            None,
        )
        .await;
    assert_eq!(rgs.body["value"][0]["name"], "myresourcegroup");
    let rg = e
        .arm(
            "GET",
            &format!(
                "/subscriptions/{}/resourceGroups/MyResourceGroup?api-version=2021-04-01",
                e.sub()
            ),
            None,
        )
        .await;
    assert_eq!(rg.status, 200);
    let rg = e
        .arm(
            "GET",
            &format!(
                "/subscriptions/{}/resourceGroups/nope?api-version=2021-04-01",
                e.sub()
            ),
            None,
        )
        .await;
    rg.arm_error(404, "ResourceGroupNotFound");

    let l = e
        .arm(
            "GET",
            &format!(
                "/subscriptions/{}/providers/Microsoft.ContainerRegistry/registries",
                e.sub()
            ),
            None,
        )
        .await;
    assert_valid("RegistryListResult", &l.body);
    assert_eq!(l.body["value"].as_array().unwrap().len(), 2);
    let l = e.arm("GET", &format!("/subscriptions/{}/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries", e.sub()), None).await;
    assert_eq!(l.body["value"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn registry_lifecycle_with_data_plane_port_and_admin_user() {
    let e = Emu::start().await;
    let g = e.arm("GET", &e.reg(), None).await;
    assert_eq!(g.status, 200);
    assert_valid("Registry", &g.body);
    assert_eq!(g.body["sku"]["name"], "Premium");
    assert_eq!(
        g.body["properties"]["loginServer"],
        e.env.registries[0].login_server
    );
    assert_eq!(g.body["properties"]["adminUserEnabled"], false);

    let path = e.registry_id_of("NewRegistry");
    let r = e
        .arm(
            "PUT",
            &path,
            Some(json!({"location": "eastus", "sku": {"name": "Standard"}, "tags": {"team": "a"}})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_valid("Registry", &r.body);
    assert_eq!(r.body["name"], "NewRegistry");
    let login = r.body["properties"]["loginServer"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(login.starts_with("127.0.0.1:"));
    // Its data-plane listener answers at once, with ACR's challenge.
    let v2 = client_for(&e.env.ca_certificate)
        .get(format!("https://{login}/v2/"))
        .send()
        .await
        .unwrap();
    assert_eq!(v2.status(), 401);
    assert_eq!(
        v2.headers()["www-authenticate"].to_str().unwrap(),
        format!("Bearer realm=\"https://{login}/oauth2/token\",service=\"{login}\"")
    );
    let body: Value = v2.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "UNAUTHORIZED");
    let other = client_for(&e.env.ca_certificate)
        .get(format!("https://{login}/v2/hello/tags/list"))
        .send()
        .await
        .unwrap();
    // The data plane itself is tested in `registry::`; here: it asks for the right scope.
    assert_eq!(other.status(), 401);
    assert!(
        other.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .ends_with(",scope=\"repository:hello:metadata_read\"")
    );
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "UNAUTHORIZED");
    // The new registry has the system scope maps and shows in env.
    let maps = e.arm("GET", &format!("{path}/scopeMaps"), None).await;
    assert_eq!(maps.body["value"].as_array().unwrap().len(), 5);
    let env = e.running().current_env().await;
    assert!(
        env.registries
            .iter()
            .any(|r| r.name == "NewRegistry" && r.login_server == login && r.sku == "Standard")
    );

    // Admin user: disabled → 400; enabled by PATCH → credentials.
    let c = e
        .arm("POST", &format!("{path}/listCredentials"), None)
        .await;
    assert_valid("ErrorResponse", &c.body);
    c.arm_error(400, "AdminUserDisabled");
    let p = e
        .arm(
            "PATCH",
            &path,
            Some(json!({"properties": {"adminUserEnabled": true}})),
        )
        .await;
    assert_eq!(p.status, 200);
    assert_eq!(p.body["properties"]["adminUserEnabled"], true);
    assert_eq!(p.body["tags"], json!({"team": "a"}));
    let c = e
        .arm("POST", &format!("{path}/listCredentials"), None)
        .await;
    assert_eq!(c.status, 200);
    assert_valid("RegistryListCredentialsResult", &c.body);
    assert_eq!(c.body["username"], "NewRegistry");
    let first = c.body["passwords"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(first.len(), 52);
    let c2 = e
        .arm(
            "POST",
            &format!("{path}/regenerateCredential"),
            Some(json!({"name": "password"})),
        )
        .await;
    assert_eq!(c2.status, 200);
    assert_ne!(c2.body["passwords"][0]["value"], first);
    assert_eq!(
        c2.body["passwords"][1]["value"],
        c.body["passwords"][1]["value"]
    );

    // PUT again updates (200); a name taken in another group conflicts; bad bodies fail.
    let u = e
        .arm(
            "PUT",
            &path,
            Some(json!({"location": "eastus", "sku": {"name": "Premium"}})),
        )
        .await;
    assert_eq!(u.status, 200);
    assert_eq!(u.body["sku"]["name"], "Premium");
    let clash = format!(
        "/subscriptions/{}/resourceGroups/othergroup/providers/Microsoft.ContainerRegistry/registries/newregistry",
        e.sub()
    );
    e.arm(
        "PUT",
        &clash,
        Some(json!({"location": "eastus", "sku": {"name": "Basic"}})),
    )
    .await
    .arm_error(409, "AlreadyInUse");
    let bad = e.registry_id_of("bad-name");
    e.arm(
        "PUT",
        &bad,
        Some(json!({"location": "eastus", "sku": {"name": "Basic"}})),
    )
    .await
    .arm_error(400, "InvalidResourceName");
    let fresh = e.registry_id_of("freshregistry");
    let m = e
        .arm("PUT", &fresh, Some(json!({"location": "eastus"})))
        .await
        .arm_error(400, "InvalidRequestContent");
    assert!(m.contains("'sku'"), "{m}");
    let m = e
        .arm(
            "PUT",
            &fresh,
            Some(json!({"location": "eastus", "sku": {"name": "Gold"}})),
        )
        .await
        .arm_error(400, "InvalidRequestContent");
    assert!(m.contains("Allowed values"), "{m}");
    e.arm("PUT", &fresh, Some(json!({"location": "eastus", "sku": {"name": "Basic"}, "properties": {"adminUserEnabled": "yes"}})))
        .await
        .arm_error(400, "InvalidRequestContent");

    // DELETE stops the listener; a second DELETE is 204.
    assert_eq!(e.arm("DELETE", &path, None).await.status, 200);
    assert_eq!(e.arm("DELETE", &path, None).await.status, 204);
    e.arm("GET", &path, None)
        .await
        .arm_error(404, "ResourceNotFound");
    // The listener stops shortly after the answer: poll until its port refuses.
    let http = client_for(&e.env.ca_certificate);
    wait::until(
        "the deleted registry's port still answers",
        std::time::Duration::from_secs(10),
        || async {
            let answer = http.get(format!("https://{login}/v2/")).send().await;
            answer.is_err().then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn api_versions_paths_and_not_found() {
    let e = Emu::start().await;
    let reg = e.reg();
    for v in [
        "2022-12-01",
        "2023-07-01",
        "2025-04-01",
        "2026-09-01-preview",
    ] {
        assert_eq!(
            e.arm("GET", &format!("{reg}/tokens?api-version={v}"), None)
                .await
                .status,
            200,
            "{v}"
        );
    }
    let m = e
        .arm("GET", &format!("{reg}/tokens?x=1"), None)
        .await
        .arm_error(400, "MissingApiVersionParameter");
    assert_eq!(
        m,
        "The api-version query parameter (?api-version=) is required for all requests."
    );
    let m = e
        .arm(
            "GET",
            &format!("{reg}/tokens?api-version=2020-11-01-preview"),
            None,
        )
        .await
        .arm_error(400, "NoRegisteredProviderFound");
    assert!(
        m.contains("2025-04-01") && m.contains("'2020-11-01-preview'"),
        "{m}"
    );
    e.arm("GET", &format!("{reg}/tokens?api-version=latest"), None)
        .await
        .arm_error(400, "InvalidApiVersionParameter");
    e.arm("GET", "/subscriptions?x=1", None)
        .await
        .arm_error(400, "MissingApiVersionParameter");

    // Literal segments are case-insensitive; names keep their stored casing.
    let odd = format!(
        "/SUBSCRIPTIONS/{}/RESOURCEGROUPS/MyResourceGroup/PROVIDERS/microsoft.containerregistry/REGISTRIES/MyRegistry",
        e.sub()
    );
    let r = e.arm("GET", &odd, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["name"], "myregistry");
    assert_eq!(r.body["id"], reg);
    assert_eq!(
        e.arm("GET", &format!("{odd}/SCOPEMAPS/_REPOSITORIES_PULL"), None)
            .await
            .body["name"],
        "_repositories_pull"
    );

    let wrong_sub = reg.replace(e.sub(), "00000000-0000-0000-0000-000000000000");
    let m = e
        .arm("GET", &wrong_sub, None)
        .await
        .arm_error(404, "SubscriptionNotFound");
    assert_eq!(
        m,
        "The subscription '00000000-0000-0000-0000-000000000000' could not be found."
    );
    let wrong_rg = reg.replace("myresourcegroup", "nogroup");
    let m = e
        .arm("GET", &format!("{wrong_rg}/tokens"), None)
        .await
        .arm_error(404, "ResourceGroupNotFound");
    assert_eq!(m, "Resource group 'nogroup' could not be found.");
    e.arm("GET", &e.registry_id_of("nosuchreg"), None)
        .await
        .arm_error(404, "ResourceNotFound");
    e.arm(
        "GET",
        &format!("{}/scopeMaps", e.registry_id_of("nosuchreg")),
        None,
    )
    .await
    .arm_error(404, "ParentResourceNotFound");
    e.arm("GET", &format!("{reg}/webhooks"), None)
        .await
        .arm_error(404, "InvalidResourceType");
    e.arm(
        "GET",
        &format!(
            "/subscriptions/{}/providers/Microsoft.Storage/storageAccounts?api-version=2023-01-01",
            e.sub()
        ),
        None,
    )
    .await
    .arm_error(404, "NoRegisteredProviderFound");
    e.arm("GET", "/tenants?api-version=2022-12-01", None)
        .await
        .arm_error(404, "NotFound");
    e.arm("POST", &format!("{reg}/tokens"), Some(json!({})))
        .await
        .arm_error(405, "MethodNotAllowed");
    e.arm("GET", &format!("{reg}/generateCredentials"), None)
        .await
        .arm_error(405, "MethodNotAllowed");
}
