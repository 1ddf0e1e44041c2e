//! acr under a misbehaving Azure (issue 16): a `generateCredentials` whose answer was lost is
//! re-read and replaced, never repeated blindly; retries that run out end with az's error;
//! long-running operations follow a fresh poll URL on every answer (PUT, PATCH, DELETE, POST;
//! `Azure-AsyncOperation` and `Location`); and the proof, a rotation script of more than 50
//! commands under `--faults 'arm:429=0.2,arm:503=0.1,arm:reset=0.05'` with three seeds that
//! ends exactly in the intended state, old passwords refused.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::support::{Acr, Emu, setup};

/// The scale of every retry and poll wait in these tests (`ACR_TEST_RETRY_SCALE`): an
/// injected `Retry-After: 1` becomes 10 ms.
const SCALE: &str = "0.01";

fn fast(emu: &Emu) -> Acr {
    let mut acr = Acr::new(emu);
    acr.set_env("ACR_TEST_RETRY_SCALE", SCALE);
    acr
}

/// `GET /v2/` with a token's name and password: whether the registry accepts them.
async fn authenticates(emu: &Emu, user: &str, password: &str) -> bool {
    let r = emu
        .http
        .get(format!("https://{}/v2/", emu.login_server()))
        .basic_auth(user, Some(password))
        .send()
        .await
        .expect("registry request");
    match r.status().as_u16() {
        200 => true,
        401 => false,
        s => panic!("GET /v2/ answered {s}"),
    }
}

/// `name -> value` of the passwords in an acr output (a token, or a generate result).
fn passwords(v: &Value) -> BTreeMap<String, String> {
    let list = v
        .pointer("/credentials/passwords")
        .or_else(|| v.get("passwords"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter_map(|p| {
            Some((
                p["name"].as_str()?.to_owned(),
                p["value"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_generate_answer_is_re_read_and_replaced_not_repeated_blindly() {
    let (emu, acr) = setup().await;
    acr.ok(
        "acr token create -r myregistry -n token --repository repo1 content/read --no-passwords",
    )
    .await;
    // The POST is handled (a password is created), then the connection closes unanswered.
    emu.fault(
        json!({"method": "POST", "pathContains": "generateCredentials", "reset": true, "count": 1}),
    )
    .await;
    emu.clear_requests().await;
    let out = acr
        .ok("acr token credential generate -r myregistry -n token --password1")
        .await;
    let generated = passwords(&out.json());
    assert_eq!(generated.len(), 1);
    assert_eq!(
        emu.sequence().await,
        [
            "POST REG/generateCredentials 200",
            "GET REG/tokens/token 200",
            "POST REG/generateCredentials 200",
            "GET REG/tokens/token 200",
        ],
        "the token is read before the POST is sent again, and after, to check the result"
    );
    let log = emu.request_log().await;
    assert_eq!(log[0]["fault"], "reset");
    // The password printed is the one in effect.
    assert!(authenticates(&emu, "token", &generated["password1"]).await);

    // A 500 is an unknown outcome too; a token deleted meanwhile ends it with the 404.
    emu.fault(
        json!({"method": "POST", "pathContains": "generateCredentials", "status": 500, "count": 1}),
    )
    .await;
    emu.fault(json!({"method": "GET", "pathContains": "/tokens/token", "status": 404, "count": 1,
        "body": {"error": {"code": "ResourceNotFound", "message": "The resource token could not be found."}}}))
        .await;
    emu.clear_requests().await;
    acr.run("acr token credential generate -r myregistry -n token --password2")
        .await
        .error(
            3,
            "(ResourceNotFound) The resource token could not be found.\n\
             Code: ResourceNotFound\n\
             Message: The resource token could not be found.",
        );
    // (The 404 makes acr check the registry's group, D6, as after any 404.)
    assert_eq!(
        emu.sequence().await,
        [
            "POST REG/generateCredentials 500",
            "GET REG/tokens/token 404",
            "GET RES 200"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_that_run_out_end_with_the_last_answer_after_ten_attempts() {
    let emu = Emu::start().await;
    let acr = fast(&emu);
    emu.fault(json!({"method": "GET", "pathContains": "/scopeMaps", "status": 503, "retryAfter": 1, "count": 50}))
        .await;
    emu.clear_requests().await;
    acr.run("acr scope-map list -r myregistry").await.error(
        1,
        "(ServiceUnavailable) Fault injected by acr-emulator test hooks.\n\
         Code: ServiceUnavailable\n\
         Message: Fault injected by acr-emulator test hooks.",
    );
    let sequence = emu.sequence().await;
    let attempts = sequence
        .iter()
        .filter(|r| *r == "GET REG/scopeMaps 503")
        .count();
    assert_eq!(attempts, 10, "{sequence:?}");
}

/// The operation URLs a command polled: every one answered (none expired), and each poll went
/// to a URL not polled before.
async fn fresh_polls(emu: &Emu, marker: &str) -> usize {
    let log = emu.requests().await;
    let polls: Vec<_> = log.iter().filter(|r| r.path.contains(marker)).collect();
    for p in &polls {
        assert_ne!(p.status, 404, "an expired poll URL was polled: {}", p.path);
    }
    let distinct: std::collections::HashSet<_> = polls.iter().map(|p| &p.path).collect();
    assert_eq!(distinct.len(), polls.len(), "a poll URL was reused");
    polls.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_follow_a_fresh_poll_url_on_every_answer() {
    let emu = Emu::start().await;
    let acr = fast(&emu);
    emu.lro_with(json!({"inProgressPolls": 3, "freshPollUrls": true}))
        .await;
    for line in [
        // PUT (scope map, token), POST (generateCredentials), PATCH, DELETE.
        "acr token create -r myregistry -n lrotok --repository repo1 content/read",
        "acr token credential generate -r myregistry -n lrotok --password2",
        "acr scope-map update -r myregistry -n lrotok-scope-map --add-repository repo2 content/read",
        "acr token delete -r myregistry -n lrotok -y",
    ] {
        emu.clear_requests().await;
        acr.ok(line).await;
        assert!(
            fresh_polls(&emu, "/operationStatuses/").await >= 4,
            "{line}: {:?}",
            emu.sequence().await
        );
    }
    // Location only: DELETE and POST are polled through their Location, which moves too.
    emu.lro_with(json!({"inProgressPolls": 3, "freshPollUrls": true, "locationOnly": true}))
        .await;
    acr.ok(
        "acr token create -r myregistry -n loctok --repository repo1 content/read --no-passwords",
    )
    .await;
    for line in [
        "acr token credential generate -r myregistry -n loctok",
        "acr token delete -r myregistry -n loctok -y",
    ] {
        emu.clear_requests().await;
        let out = acr.ok(line).await;
        assert_eq!(
            fresh_polls(&emu, "/operationResults/").await,
            4,
            "{line}: {:?}",
            emu.sequence().await
        );
        if line.contains("generate") {
            assert_eq!(passwords(&out.json()).len(), 2);
        }
    }
    assert_eq!(
        acr.run("acr token show -r myregistry -n loctok").await.code,
        3
    );
}

/// What the rotation script intends: per token, the current value of each password slot, and
/// every value it replaced or deleted.
#[derive(Default)]
struct Intended {
    tokens: BTreeMap<String, BTreeMap<String, String>>,
    retired: Vec<(String, String)>,
    commands: usize,
}

impl Intended {
    fn set(&mut self, token: &str, new: BTreeMap<String, String>) {
        let slots = self.tokens.entry(token.to_owned()).or_default();
        for (slot, value) in new {
            if let Some(old) = slots.insert(slot, value) {
                self.retired.push((token.to_owned(), old));
            }
        }
    }

    fn drop_slot(&mut self, token: &str, slot: &str) {
        if let Some(old) = self.tokens.get_mut(token).and_then(|s| s.remove(slot)) {
            self.retired.push((token.to_owned(), old));
        }
    }

    fn drop_token(&mut self, token: &str) {
        for (_, old) in self.tokens.remove(token).unwrap_or_default() {
            self.retired.push((token.to_owned(), old));
        }
    }
}

async fn run(acr: &Acr, intended: &mut Intended, line: &str) -> Value {
    intended.commands += 1;
    let out = acr.run(line).await;
    assert_eq!(
        out.code, 0,
        "{line}\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    if out.stdout.trim().is_empty() {
        Value::Null
    } else {
        out.json()
    }
}

/// The rotation script: scope maps created and updated, four tokens created, three rounds of
/// rotation (one slot, the other, both), status changes, a password slot deleted, a token
/// deleted. Returns what it intends.
async fn rotation_script(acr: &Acr) -> Intended {
    let mut i = Intended::default();
    let r = "-r myregistry";
    run(
        acr,
        &mut i,
        &format!("acr scope-map create {r} -n map-a --repository app content/read content/write"),
    )
    .await;
    run(
        acr,
        &mut i,
        &format!("acr scope-map create {r} -n map-b --repository lib content/read"),
    )
    .await;
    run(
        acr,
        &mut i,
        &format!("acr scope-map update {r} -n map-a --add-repository app2 content/read"),
    )
    .await;
    run(
        acr,
        &mut i,
        &format!("acr scope-map update {r} -n map-b --add-repository lib2 metadata/read"),
    )
    .await;
    run(
        acr,
        &mut i,
        &format!("acr scope-map update {r} -n map-a --remove-repository app2 content/read"),
    )
    .await;
    for n in 1..=4 {
        let map = if n % 2 == 1 { "map-a" } else { "map-b" };
        let t = run(
            acr,
            &mut i,
            &format!("acr token create {r} -n rotor{n} --scope-map {map}"),
        )
        .await;
        i.set(&format!("rotor{n}"), passwords(&t));
    }
    for round in 1..=3 {
        for n in 1..=4 {
            let tok = format!("rotor{n}");
            let g = run(
                acr,
                &mut i,
                &format!("acr token credential generate {r} -n {tok} --password1"),
            )
            .await;
            i.set(&tok, passwords(&g));
            let which = if round == 2 { " --password2" } else { "" };
            let g = run(
                acr,
                &mut i,
                &format!("acr token credential generate {r} -n {tok}{which}"),
            )
            .await;
            i.set(&tok, passwords(&g));
            let status = if round == 2 { "disabled" } else { "enabled" };
            run(
                acr,
                &mut i,
                &format!("acr token update {r} -n {tok} --status {status}"),
            )
            .await;
        }
    }
    for tok in ["rotor1", "rotor2"] {
        run(
            acr,
            &mut i,
            &format!("acr token credential delete {r} -n {tok} --password2"),
        )
        .await;
        i.drop_slot(tok, "password2");
    }
    run(
        acr,
        &mut i,
        &format!("acr token update {r} -n rotor3 --scope-map map-b"),
    )
    .await;
    run(acr, &mut i, &format!("acr token delete {r} -n rotor4 -y")).await;
    i.drop_token("rotor4");
    run(
        acr,
        &mut i,
        &format!("acr scope-map update {r} -n map-b --add-repository lib3 content/read"),
    )
    .await;
    i
}

/// The state the script must end in, read without faults.
async fn assert_final_state(emu: &Emu, acr: &Acr, intended: &Intended) {
    let tokens = acr.ok("acr token list -r myregistry").await.json();
    let mut names: Vec<String> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["rotor1", "rotor2", "rotor3"]);
    for t in tokens.as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        assert_eq!(t["status"], "enabled", "{name}");
        let mut slots: Vec<&str> = t["credentials"]["passwords"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        slots.sort();
        let want: Vec<&str> = intended.tokens[name].keys().map(String::as_str).collect();
        assert_eq!(slots, want, "{name}'s password slots");
        let map = if name == "rotor2" || name == "rotor3" {
            "map-b"
        } else {
            "map-a"
        };
        assert!(
            t["scopeMapId"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/scopeMaps/{map}")),
            "{t}"
        );
    }
    let maps = acr.ok("acr scope-map list -r myregistry").await.json();
    let actions = |name: &str| -> Vec<String> {
        let m = maps
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap_or_else(|| panic!("no scope map {name}"));
        let mut a: Vec<String> = m["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        a.sort();
        a
    };
    assert_eq!(
        actions("map-a"),
        [
            "repositories/app/content/read",
            "repositories/app/content/write"
        ]
    );
    assert_eq!(
        actions("map-b"),
        [
            "repositories/lib/content/read",
            "repositories/lib2/metadata/read",
            "repositories/lib3/content/read"
        ]
    );
    for (token, slots) in &intended.tokens {
        for (slot, value) in slots {
            assert!(
                authenticates(emu, token, value).await,
                "{token} {slot}: the newest password is refused"
            );
        }
    }
    for (token, old) in &intended.retired {
        assert!(
            !authenticates(emu, token, old).await,
            "{token}: a replaced or deleted password still authenticates"
        );
    }
}

async fn rotate_under_faults(seed: u64) {
    let spec = "arm:429=0.2,arm:503=0.1,arm:reset=0.05";
    let emu = Emu::builder().faults(spec).fault_seed(seed).start().await;
    let acr = fast(&emu);
    let intended = rotation_script(&acr).await;
    assert!(intended.commands >= 50, "{} commands", intended.commands);
    assert!(intended.retired.len() >= 30);
    let log = emu.request_log().await;
    let faulted = |kind: &str| log.iter().filter(|r| r["fault"] == kind).count();
    // The script met every kind of fault, several times.
    for kind in ["429", "503", "reset"] {
        assert!(
            faulted(kind) >= 3,
            "seed {seed}: {kind} only {} times",
            faulted(kind)
        );
    }
    // Read the end state without faults (a restart on the same data dir).
    let dir = emu.stop().await;
    let emu = Emu::start_in(dir, vec![]).await;
    let acr = Acr::new(&emu);
    assert_final_state(&emu, &acr, &intended).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_script_ends_as_intended_under_faults_seed_1() {
    rotate_under_faults(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_script_ends_as_intended_under_faults_seed_2() {
    rotate_under_faults(2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_script_ends_as_intended_under_faults_seed_3() {
    rotate_under_faults(3).await;
}
