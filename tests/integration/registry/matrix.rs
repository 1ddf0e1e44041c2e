//! The allow/deny matrix: every registry action (pull, push, delete, metadata_read,
//! metadata_write) × in-scope / out-of-scope / wildcard repository × enabled / disabled token
//! × valid / expired / wrong password × the three ways clients present credentials (docker's
//! GET token request with Basic auth, az's POST `grant_type=password`, Basic directly on the
//! request). Each token's scope map grants exactly the action under test on the in-scope
//! repository and on `wild/*` (whose repositories are pushed after the map exists), and every
//! *other* action on the out-of-scope repository, so a decision can only be right for the
//! right reason. Zero wrong decisions are allowed.

use serde_json::json;

use crate::support::registry::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pw {
    Valid,
    Expired,
    Wrong,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    InScope,
    OutOfScope,
    Wildcard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Path {
    GetToken,
    PostPassword,
    BasicDirect,
}

const ACTIONS: [(&str, &[&str]); 5] = [
    ("pull", &["content/read"]),
    ("push", &["content/read", "content/write"]),
    ("delete", &["content/delete"]),
    ("metadata_read", &["metadata/read"]),
    ("metadata_write", &["metadata/write"]),
];
const ALL: [&str; 5] = [
    "content/read",
    "content/write",
    "content/delete",
    "metadata/read",
    "metadata/write",
];

fn scope_for(action: &str, repo: &str) -> String {
    match action {
        "push" => format!("repository:{repo}:pull,push"),
        a => format!("repository:{repo}:{a}"),
    }
}

/// The Authorization to use for the operation, or `Err(false)` when the token request
/// itself was refused (a denial).
async fn credentials(
    r: &Reg,
    path: Path,
    user: &str,
    pw: &str,
    scope: &str,
) -> Result<Option<String>, Option<bool>> {
    match path {
        Path::BasicDirect => Ok(None),
        Path::GetToken => match r.access(user, pw, &[scope]).await {
            Ok(t) => Ok(Some(t)),
            Err(s) if s == 401 => Err(Some(false)),
            Err(_) => Err(None),
        },
        Path::PostPassword => {
            let form = [
                ("service", r.login.as_str()),
                ("grant_type", "password"),
                ("username", user),
                ("password", pw),
                ("scope", scope),
            ];
            let resp =
                r.e.http
                    .post(r.url("/oauth2/token"))
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
            match resp.status().as_u16() {
                200 => {
                    let v: serde_json::Value = resp.json().await.unwrap();
                    Ok(Some(v["access_token"].as_str().unwrap().to_string()))
                }
                401 => Err(Some(false)),
                _ => Err(None),
            }
        }
    }
}

/// Success → `Some(true)`, 401 → `Some(false)`, anything else → `None` (a wrong answer).
fn decision(status: u16, success: &[u16]) -> Option<bool> {
    if success.contains(&status) {
        Some(true)
    } else if status == 401 {
        Some(false)
    } else {
        None
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_deny_matrix_has_no_wrong_decision() {
    let r = Reg::start().await;
    let (sp, secret) = r.sp();
    let owner = Auth::Basic(&sp, &secret);

    // Tokens first, so that the wildcard repositories do not exist when the maps are made.
    let mut tokens = Vec::new();
    for (action, grants) in ACTIONS {
        let mut actions: Vec<String> = Vec::new();
        for g in grants {
            actions.push(format!("repositories/mx/in/{g}"));
            actions.push(format!("repositories/wild/*/{g}"));
        }
        for other in ALL.iter().filter(|a| !grants.contains(a)) {
            actions.push(format!("repositories/mx/out/{other}"));
        }
        let refs: Vec<&str> = actions.iter().map(String::as_str).collect();
        for enabled in [true, false] {
            let name = format!(
                "mx-{}-{}",
                action.replace('_', "-"),
                if enabled { "on" } else { "off" }
            );
            let valid = r.token(&name, &refs).await;
            let g =
                r.e.generate(
                    &name,
                    json!({"name": "password2", "expiry": "2020-01-01T00:00:00Z"}),
                )
                .await;
            assert_eq!(g.status, 200);
            let expired = g.body["passwords"][0]["value"]
                .as_str()
                .unwrap()
                .to_string();
            if !enabled {
                let p =
                    r.e.arm(
                        "PATCH",
                        &format!("{}/tokens/{name}", r.e.reg()),
                        Some(json!({"properties": {"status": "disabled"}})),
                    )
                    .await;
                assert_eq!(p.status, 200);
            }
            tokens.push((action, enabled, name, valid, expired));
        }
    }
    for repo in ["mx/in", "mx/out", "wild/pre"] {
        r.push_image(owner, repo, "v1", repo).await;
    }

    let mut cases = 0;
    let mut allowed = 0;
    let mut wrong = Vec::new();
    let mut n = 0;
    for (action, enabled, name, valid, expired) in &tokens {
        for pw in [Pw::Valid, Pw::Expired, Pw::Wrong] {
            let password = match pw {
                Pw::Valid => valid.clone(),
                Pw::Expired => expired.clone(),
                // The valid password with its last character changed.
                Pw::Wrong => {
                    let last = if valid.ends_with('x') { 'y' } else { 'x' };
                    format!("{}{last}", &valid[..valid.len() - 1])
                }
            };
            for kind in [Kind::InScope, Kind::OutOfScope, Kind::Wildcard] {
                for path in [Path::GetToken, Path::PostPassword, Path::BasicDirect] {
                    n += 1;
                    let repo = match (kind, *action) {
                        (Kind::InScope, _) => "mx/in".to_string(),
                        (Kind::OutOfScope, _) => "mx/out".to_string(),
                        // Pushes go to repositories that do not exist yet.
                        (Kind::Wildcard, "push") => format!("wild/new-{n}"),
                        (Kind::Wildcard, "delete") => format!("wild/del-{n}"),
                        (Kind::Wildcard, _) => "wild/pre".to_string(),
                    };
                    // A fresh image to delete in each delete case.
                    let victim = if *action == "delete" {
                        Some(
                            r.push_image(owner, &repo, &format!("d{n}"), &format!("victim {n}"))
                                .await
                                .0,
                        )
                    } else {
                        None
                    };
                    let got =
                        match credentials(&r, path, name, &password, &scope_for(action, &repo))
                            .await
                        {
                            Err(d) => d,
                            Ok(bearer) => {
                                let auth = match &bearer {
                                    Some(t) => Auth::Bearer(t),
                                    None => Auth::Basic(name, &password),
                                };
                                match *action {
                                    "pull" => decision(
                                        r.get(&format!("/v2/{repo}/manifests/v1"), auth)
                                            .await
                                            .status
                                            .as_u16(),
                                        &[200],
                                    ),
                                    "push" => {
                                        let (_, resp) = r
                                            .try_push_image(
                                                auth,
                                                &repo,
                                                &format!("t{n}"),
                                                &format!("push {n}"),
                                            )
                                            .await;
                                        decision(resp.status.as_u16(), &[201])
                                    }
                                    "delete" => {
                                        let d = victim.clone().unwrap();
                                        decision(
                                            r.send(
                                                "DELETE",
                                                &format!("/v2/{repo}/manifests/{d}"),
                                                auth,
                                                &[],
                                                None,
                                            )
                                            .await
                                            .status
                                            .as_u16(),
                                            &[202],
                                        )
                                    }
                                    "metadata_read" => decision(
                                        r.get(&format!("/acr/v1/{repo}/_tags"), auth)
                                            .await
                                            .status
                                            .as_u16(),
                                        &[200],
                                    ),
                                    _ => {
                                        let body = Some(br#"{"listEnabled": true}"#.to_vec());
                                        let resp = r
                                            .send(
                                                "PATCH",
                                                &format!("/acr/v1/{repo}"),
                                                auth,
                                                &[("content-type", "application/json")],
                                                body,
                                            )
                                            .await;
                                        decision(resp.status.as_u16(), &[200])
                                    }
                                }
                            }
                        };
                    let expected = *enabled && pw == Pw::Valid && kind != Kind::OutOfScope;
                    cases += 1;
                    if expected {
                        allowed += 1;
                    }
                    if got != Some(expected) {
                        wrong.push(format!("{action} {kind:?} enabled={enabled} {pw:?} {path:?}: expected {expected}, got {got:?}"));
                    }
                }
            }
        }
    }
    println!(
        "allow/deny matrix: {cases} cases ({allowed} allowed, {} denied), {} wrong decisions",
        cases - allowed,
        wrong.len()
    );
    assert!(
        wrong.is_empty(),
        "{} wrong decisions:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(cases, 5 * 3 * 2 * 3 * 3);
}
