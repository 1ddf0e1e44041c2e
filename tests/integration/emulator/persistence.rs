//! State survives `shutdown()` + `start()`, and a `kill -9` of a real `acr-emulator` process in
//! the middle of a burst of writes: every acknowledged write is there after a restart, and
//! nothing is half-written.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Emu, EmulatorProcess, client_for, wait};

#[tokio::test]
async fn state_and_secrets_survive_a_restart() {
    let e = Emu::start_with(vec!["firstreg".parse().unwrap()]).await;
    let reg = e.registry_id_of("firstreg");
    let ca_before = std::fs::read(&e.env.ca_certificate).unwrap();
    let put = e
        .arm("PUT", &format!("{reg}/scopeMaps/keepme"), Some(json!({"properties": {"description": "d", "actions": ["repositories/a/content/read"]}})))
        .await;
    assert_eq!(put.status, 200);
    let t = e
        .arm("PUT", &format!("{reg}/tokens/keeptoken"), Some(json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/keepme"), "status": "disabled"}})))
        .await;
    assert_eq!(t.status, 201);
    let g = e
        .arm("POST", &format!("{reg}/generateCredentials"), Some(json!({"tokenId": format!("{reg}/tokens/keeptoken"), "expiry": "2031-01-01T00:00:00Z"})))
        .await;
    assert_eq!(g.status, 200);
    let old_token = e.token().await.to_owned();
    let env1 = e.env.clone();
    let before = e
        .arm("GET", &format!("{reg}/tokens/keeptoken"), None)
        .await
        .body;

    let dir = e.stop().await;
    // --registry is only honoured on first start.
    let e2 = Emu::start_in(dir, vec!["ignored".parse().unwrap()]).await;
    let env2 = e2.env.clone();
    assert_eq!(
        (
            &env1.tenant_id,
            &env1.subscription_id,
            &env1.client_id,
            &env1.client_secret,
            &env1.identity_header,
            &env1.registries
        ),
        (
            &env2.tenant_id,
            &env2.subscription_id,
            &env2.client_id,
            &env2.client_secret,
            &env2.identity_header,
            &env2.registries
        )
    );
    assert_eq!(std::fs::read(&env2.ca_certificate).unwrap(), ca_before);
    // A token issued before the restart is still valid: the signing key is stable.
    let after = e2
        .arm_as(
            "GET",
            &format!("{reg}/tokens/keeptoken"),
            None,
            Some(&old_token),
        )
        .await;
    assert_eq!(after.status, 200);
    assert_eq!(after.body, before);
    let pw = after.body["properties"]["credentials"]["passwords"]
        .as_array()
        .unwrap();
    assert_eq!(pw.len(), 2);
    assert_eq!(pw[0]["expiry"], "2031-01-01T00:00:00+00:00");
    // The registry's data plane is back on the same port.
    let login = &env2.registries[0].login_server;
    let r = client_for(&env2.ca_certificate)
        .get(format!("https://{login}/v2/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, state) = EmulatorProcess::spawn(dir.path()).await;
    let http = client_for(state["caCertificate"].as_str().unwrap());
    let base = state["resourceManager"]
        .as_str()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let mi: Value = http
        .get(state["identityEndpoint"].as_str().unwrap())
        .query(&[
            ("api-version", "2019-08-01"),
            ("resource", "https://management.azure.com/"),
        ])
        .header(
            "X-IDENTITY-HEADER",
            state["identityHeader"].as_str().unwrap(),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = mi["access_token"].as_str().unwrap().to_string();
    let reg = format!(
        "/subscriptions/{}/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/myregistry",
        state["subscriptionId"].as_str().unwrap()
    );
    let actions: Vec<String> = (0..20)
        .map(|i| format!("repositories/repo{i}/content/read"))
        .collect();
    let acked_maps = Arc::new(Mutex::new(Vec::<String>::new()));
    let acked_tokens = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut workers = Vec::new();
    for w in 0..6 {
        let (http, base, reg, token, actions) = (
            http.clone(),
            base.clone(),
            reg.clone(),
            token.clone(),
            actions.clone(),
        );
        let (maps, tokens) = (acked_maps.clone(), acked_tokens.clone());
        workers.push(tokio::spawn(async move {
            for i in 0.. {
                let name = format!("burst-{w}-{i}");
                let r = http
                    .put(format!(
                        "{base}{reg}/scopeMaps/{name}?api-version=2025-04-01"
                    ))
                    .bearer_auth(&token)
                    .json(&json!({"properties": {"description": name, "actions": actions}}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 200 => maps.lock().unwrap().push(name.clone()),
                    _ => return,
                }
                let body = json!({"properties": {"scopeMapId": format!("{reg}/scopeMaps/{name}")}});
                let r = http
                    .put(format!("{base}{reg}/tokens/{name}?api-version=2025-04-01"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == 201 => tokens.lock().unwrap().push(name),
                    _ => return,
                }
            }
        }));
    }
    // Let the burst run, then kill -9 in the middle of it.
    wait::poll(Duration::from_secs(30), || {
        acked_tokens.lock().unwrap().len() >= 40
    })
    .await;
    child.kill_9();
    for w in workers {
        let _ = tokio::time::timeout(Duration::from_secs(35), w).await;
    }
    let maps = acked_maps.lock().unwrap().clone();
    let tokens = acked_tokens.lock().unwrap().clone();
    assert!(
        tokens.len() >= 40,
        "the burst acknowledged only {} tokens",
        tokens.len()
    );

    let dir = {
        // Integrity of the database file itself.
        let conn = rusqlite::Connection::open(dir.path().join("emulator.db")).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let fk: Vec<i64> = conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(|x| x.unwrap())
            .collect();
        assert!(fk.is_empty(), "foreign key violations: {fk:?}");
        dir
    };
    let e = Emu::start_in(dir, vec![]).await;
    let listed = e.arm("GET", &format!("{reg}/scopeMaps"), None).await.body;
    let present: Vec<&Value> = listed["value"].as_array().unwrap().iter().collect();
    let names: HashSet<&str> = present
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for m in &maps {
        assert!(
            names.contains(m.as_str()),
            "acknowledged scope map {m} lost"
        );
    }
    for m in present
        .iter()
        .filter(|m| m["name"].as_str().unwrap().starts_with("burst-"))
    {
        // Whole or nothing: every stored map has all its actions and its description.
        assert_eq!(
            m["properties"]["actions"].as_array().unwrap().len(),
            20,
            "{m}"
        );
        assert_eq!(m["properties"]["description"], m["name"]);
    }
    let listed = e.arm("GET", &format!("{reg}/tokens"), None).await.body;
    let token_names: HashSet<String> = listed["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    for t in &tokens {
        assert!(token_names.contains(t), "acknowledged token {t} lost");
    }
    for t in listed["value"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        assert_eq!(
            t["properties"]["scopeMapId"],
            format!("{reg}/scopeMaps/{name}")
        );
    }
}
