//! `acr token credential generate|delete` (§7): the `name` and `expiry` each flag combination
//! sends, the `--days` alias, both expiration flags, outputs and every error.

use serde_json::{Value, json};

use super::token::assert_days_from_now;
use crate::support::{Acr, Emu, bodies, setup, table, table_date};

/// A token `token1` without passwords, and an empty request log.
async fn with_token() -> (Emu, Acr) {
    let (emu, acr) = setup().await;
    acr.ok(
        "acr token create -r myregistry -n token1 --repository repo1 content/read --no-passwords",
    )
    .await;
    emu.clear_requests().await;
    (emu, acr)
}

async fn generate_body(emu: &Emu) -> Value {
    let log = emu.arm_requests().await;
    let sent = bodies(emu, &log, "POST", "REG/generateCredentials");
    assert_eq!(sent.len(), 1, "{log:?}");
    sent[0].clone()
}

fn names(result: &Value) -> Vec<String> {
    result["passwords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_names_the_password_only_when_one_flag_is_given() {
    let (emu, acr) = with_token().await;
    let token_id = format!("{}/tokens/token1", emu.reg());
    for (flags, name, printed) in [
        ("", None, vec!["password1", "password2"]),
        ("--password1", Some("password1"), vec!["password1"]),
        ("--password2", Some("password2"), vec!["password2"]),
        (
            "--password1 --password2",
            None,
            vec!["password1", "password2"],
        ),
    ] {
        emu.clear_requests().await;
        let out = acr
            .ok(&format!(
                "acr token credential generate -r myregistry -g myresourcegroup -n token1 {flags}"
            ))
            .await;
        assert_eq!(out.stderr, "", "{flags}: no warning");
        let result = out.json();
        assert_eq!(
            result.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["passwords", "username"]
        );
        assert_eq!(result["username"], "token1");
        assert_eq!(names(&result), printed, "{flags}");
        for p in result["passwords"].as_array().unwrap() {
            assert_eq!(
                p.as_object().unwrap().keys().collect::<Vec<_>>(),
                ["creationTime", "expiry", "name", "value"]
            );
            assert_eq!(p["expiry"], Value::Null);
            assert_eq!(p["value"].as_str().unwrap().len(), 52);
        }
        let mut expected = json!({"tokenId": token_id});
        if let Some(name) = name {
            expected["name"] = json!(name);
        }
        assert_eq!(generate_body(&emu).await, expected, "{flags}");
        // Without a group lookup (D6) the command is one POST (az lists the registries twice).
        assert_eq!(emu.sequence().await, ["POST REG/generateCredentials 200"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_expiry_from_each_flag() {
    let (emu, acr) = with_token().await;

    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password2 --expiration 2030-06-30T12:00:00Z")
        .await;
    assert_eq!(
        out.json()["passwords"][0]["expiry"],
        "2030-06-30T12:00:00+00:00"
    );
    assert_eq!(generate_body(&emu).await["expiry"], "2030-06-30T12:00:00Z");

    emu.clear_requests().await;
    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password1 --expiration-in-days 30")
        .await;
    assert_eq!(out.stderr, "");
    let sent = generate_body(&emu).await;
    assert_eq!(sent["name"], "password1");
    assert_days_from_now(sent["expiry"].as_str().unwrap(), 30);

    // The deprecated alias warns and means the same.
    emu.clear_requests().await;
    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password1 --days 2 --query passwords[0].expiry")
        .await;
    assert_eq!(
        out.stderr,
        "WARNING: Option '--days' has been deprecated and will be removed in a future release. Use '--expiration-in-days' instead.\n"
    );
    let sent = generate_body(&emu).await;
    assert_days_from_now(sent["expiry"].as_str().unwrap(), 2);
    assert_eq!(
        out.json(),
        json!(sent["expiry"].as_str().unwrap().replace('Z', "+00:00"))
    );

    // az-compat: no mutual-exclusion check here; --expiration-in-days wins.
    emu.clear_requests().await;
    acr.ok("acr token credential generate -r myregistry -n token1 --expiration-in-days 5 --expiration 2030-06-30T12:00:00Z")
        .await;
    let sent = generate_body(&emu).await;
    assert!(sent.get("name").is_none());
    assert_days_from_now(sent["expiry"].as_str().unwrap(), 5);

    acr.run("acr token credential generate -r myregistry -n token1 --expiration 2030-06-30")
        .await
        .error(
            1,
            "Input '2030-06-30' is not valid datetime. Valid example: 2025-12-31T12:59:59Z",
        );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_output_formats() {
    let (_emu, acr) = with_token().await;
    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 -o table")
        .await;
    let shown = acr
        .ok("acr token show -r myregistry -n token1 --query credentials.passwords")
        .await
        .json();
    let expiry_of = |name: &str| {
        shown
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["expiry"].clone())
            .unwrap()
    };
    assert_eq!(expiry_of("password1"), Value::Null);
    // The table holds the secrets (stdout is where az prints them); read them back from it.
    let secrets: Vec<String> = out
        .stdout
        .lines()
        .nth(2)
        .unwrap()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert_eq!(secrets.len(), 5, "{}", out.stdout);
    assert_eq!(
        out.stdout,
        table(
            &[
                "USERNAME",
                "PASSWORD1",
                "PASSWORD1 EXPIRY",
                "PASSWORD2",
                "PASSWORD2 EXPIRY"
            ],
            &[vec![
                "token1".into(),
                secrets[1].clone(),
                "Never".into(),
                secrets[3].clone(),
                "Never".into()
            ]]
        )
    );

    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password2 --expiration 2031-01-02T03:04:05Z -o table")
        .await;
    let secret = out
        .stdout
        .lines()
        .nth(2)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_owned();
    assert_eq!(
        out.stdout,
        table(
            &["USERNAME", "PASSWORD2", "PASSWORD2 EXPIRY"],
            &[vec![
                "token1".into(),
                secret,
                table_date("2031-01-02T03:04:05+00:00")
            ]]
        )
    );

    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password1 --password2 -o tsv")
        .await;
    assert_eq!(out.stdout, "2\ttoken1\n");
    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password1 -o none")
        .await;
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password1 -o jsonc")
        .await;
    let result = out.json();
    assert_eq!(
        out.stdout,
        serde_json::to_string_pretty(&result).unwrap() + "\n",
        "jsonc is plain JSON off a terminal"
    );
    let out = acr
        .ok("acr token credential generate -r myregistry -n token1 --password1 -o yaml")
        .await;
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "passwords:");
    assert!(lines[1].starts_with("- creationTime: '"), "{}", out.stdout);
    assert_eq!(lines[2], "  expiry: null");
    assert_eq!(lines[3], "  name: password1");
    assert!(lines[4].starts_with("  value: "));
    assert_eq!(lines[5], "username: token1");
    assert_eq!(lines.len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_for_a_missing_token_passes_the_404_through() {
    let (emu, acr) = setup().await;
    acr.run("acr token credential generate -r myregistry -n nosuch --password1")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource nosuch could not be found.\n\
             Code: ResourceNotFound\n\
             Message: The resource nosuch could not be found.",
        );
    // The existence of the token is not checked first.
    assert_eq!(
        emu.sequence().await,
        ["GET RES 200", "POST REG/generateCredentials 404"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_credentials() {
    let (emu, acr) = with_token().await;
    let reg = emu.reg();
    acr.run("acr token credential delete -r myregistry -n token1")
        .await
        .error(1, "No credentials to delete.");
    assert!(emu.requests().await.is_empty());

    // Neither password exists yet.
    for (flag, label) in [("--password1", "Password1"), ("--password2", "Password2")] {
        emu.clear_requests().await;
        acr.run(&format!(
            "acr token credential delete -r myregistry -g myresourcegroup -n token1 {flag}"
        ))
        .await
        .error(
            1,
            &format!("Unable to perform operation. {label} credential doesn't exist."),
        );
        assert_eq!(emu.sequence().await, ["GET REG/tokens/token1 200"]);
    }

    // password2 first, then password1: the service lists them in that order.
    acr.ok("acr token credential generate -r myregistry -n token1 --password2")
        .await;
    acr.ok("acr token credential generate -r myregistry -n token1 --password1")
        .await;
    let stored = acr
        .ok("acr token show -r myregistry -n token1 --query credentials.passwords[].name")
        .await
        .json();
    emu.clear_requests().await;
    let out = acr
        .ok("acr token credential delete -r myregistry -g myresourcegroup -n token1 --password1 -o table")
        .await;
    let token = acr
        .ok("acr token show -r myregistry -n token1")
        .await
        .json();
    assert_eq!(
        out.stdout,
        table(
            &[
                "NAME",
                "SCOPE MAP",
                "PASSWORD1 EXPIRY",
                "PASSWORD2 EXPIRY",
                "STATUS",
                "PROVISIONING STATE",
                "CREATION DATE"
            ],
            &[vec![
                "token1".into(),
                "token1-scope-map".into(),
                "".into(),
                "Never".into(),
                "Enabled".into(),
                "Succeeded".into(),
                table_date(token["creationDate"].as_str().unwrap()),
            ]]
        ),
        "the token table (credential delete is registered in the token group)"
    );
    let log = emu.arm_requests().await;
    assert_eq!(
        emu.sequence().await[..2],
        ["GET REG/tokens/token1 200", "PATCH REG/tokens/token1 200"]
    );
    // The passwords to keep, in the order the service listed them.
    let kept: Vec<Value> = stored
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| *n != "password1")
        .map(|n| json!({"name": n}))
        .collect();
    assert_eq!(
        bodies(&emu, &log, "PATCH", "REG/tokens/token1"),
        [json!({"properties": {"credentials": {"passwords": kept}}})]
    );

    acr.ok("acr token credential generate -r myregistry -n token1 --password1")
        .await;
    emu.clear_requests().await;
    let out = acr
        .ok("acr token credential delete -r myregistry -n token1 --password1 --password2 --query credentials")
        .await;
    assert_eq!(out.json(), json!({"certificates": null, "passwords": []}));
    let log = emu.arm_requests().await;
    assert_eq!(
        bodies(&emu, &log, "PATCH", "REG/tokens/token1"),
        [json!({"properties": {"credentials": {"passwords": []}}})]
    );
    assert_eq!(
        token["scopeMapId"],
        format!("{reg}/scopeMaps/token1-scope-map")
    );

    acr.run("acr token credential delete -r myregistry -n nosuch --password2")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource nosuch could not be found.\n\
             Code: ResourceNotFound\n\
             Message: The resource nosuch could not be found.",
        );
}
