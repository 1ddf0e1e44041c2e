//! Request bodies against the models of each api-version, over HTTPS: members a version's
//! swagger does not define are refused with `400 InvalidRequestContent` naming the member,
//! members it does define are accepted (the unit test in `models/tests.rs` checks the lists
//! themselves against the swagger definitions).

use serde_json::json;

use crate::support::Emu;

fn with_version(path: &str, v: &str) -> String {
    format!("{path}?api-version={v}")
}

#[tokio::test]
async fn token_object_id_is_refused_in_every_version() {
    let e = Emu::start().await;
    let map = format!("{}/scopeMaps/_repositories_pull", e.reg());
    for v in [
        "2022-12-01",
        "2023-07-01",
        "2025-04-01",
        "2026-09-01-preview",
    ] {
        let url = with_version(&format!("{}/tokens/tokenobj", e.reg()), v);
        let r = e
            .arm(
                "PUT",
                &url,
                Some(json!({"properties": {"scopeMapId": map, "objectId": null}})),
            )
            .await;
        // Older previews had it; an unknown member is refused even when null, as JSON.NET does.
        let m = r.arm_error(400, "InvalidRequestContent");
        assert!(
            m.contains("'objectId' on object of type 'TokenProperties'"),
            "{v}: {m}"
        );
        let r = e
            .arm(
                "PUT",
                &url,
                Some(json!({"properties": {"scopeMapId": map}})),
            )
            .await;
        assert!(r.status.is_success(), "{v}: {}", r.body);
        let r = e
            .arm(
                "PATCH",
                &with_version(&format!("{}/tokens/tokenobj", e.reg()), v),
                Some(json!({"properties": {"objectId": "00000000-0000-0000-0000-000000000001"}})),
            )
            .await;
        let m = r.arm_error(400, "InvalidRequestContent");
        assert!(
            m.contains("'objectId' on object of type 'TokenUpdateProperties'"),
            "{v}: {m}"
        );
    }
}

#[tokio::test]
async fn registry_members_follow_the_api_version() {
    let e = Emu::start().await;
    let reg = e.reg();
    // roleAssignmentMode exists only in the preview az 2.91.0 uses.
    let body = json!({"properties": {"roleAssignmentMode": "AbacRepositoryPermissions"}});
    for v in ["2022-12-01", "2023-07-01", "2025-04-01"] {
        let r = e
            .arm("PATCH", &with_version(&reg, v), Some(body.clone()))
            .await;
        let m = r.arm_error(400, "InvalidRequestContent");
        assert!(m.contains("'roleAssignmentMode'"), "{v}: {m}");
    }
    let r = e
        .arm(
            "PATCH",
            &with_version(&reg, "2026-09-01-preview"),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // anonymousPullEnabled arrived in 2025-04-01.
    let body = json!({"properties": {"anonymousPullEnabled": false}});
    let r = e
        .arm(
            "PATCH",
            &with_version(&reg, "2023-07-01"),
            Some(body.clone()),
        )
        .await;
    r.arm_error(400, "InvalidRequestContent");
    let r = e
        .arm("PATCH", &with_version(&reg, "2025-04-01"), Some(body))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // zoneRedundancy is set at creation only: no version's update model has it.
    for v in ["2022-12-01", "2025-04-01", "2026-09-01-preview"] {
        let r = e
            .arm(
                "PATCH",
                &with_version(&reg, v),
                Some(json!({"properties": {"zoneRedundancy": "Disabled"}})),
            )
            .await;
        let m = r.arm_error(400, "InvalidRequestContent");
        assert!(
            m.contains("'zoneRedundancy' on object of type 'RegistryPropertiesUpdateParameters'"),
            "{v}: {m}"
        );
    }
    let r = e
        .arm(
            "PUT",
            &with_version(&reg, "2025-04-01"),
            Some(json!({"location": "eastus", "sku": {"name": "Premium"}, "properties": {"zoneRedundancy": "Disabled"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // A PATCH that echoes a GET body (read-only members included) is accepted.
    let got = e.arm("GET", &with_version(&reg, "2025-04-01"), None).await;
    let mut echo = got.body.clone();
    echo.as_object_mut().unwrap().remove("location");
    echo["properties"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| k != "zoneRedundancy");
    let r = e
        .arm("PATCH", &with_version(&reg, "2025-04-01"), Some(echo))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
