//! The real Azure CLI's `az acr repository list/show/show-tags/show-manifests/update/untag/
//! delete` against the emulator's data plane, on images pushed with skopeo: once with ACR
//! token credentials (`-u/-p`: `POST /oauth2/token grant_type=password`), once logged in
//! with the managed identity (no `-u`: `/oauth2/exchange`, then `grant_type=refresh_token`),
//! as real-clients.md §4.11 describes the requests.
//!
//! Runs when `ACR_TEST_AZ` names `az` (and skopeo is installed); skipped otherwise, unless
//! `ACR_REQUIRE_AZ=1`.

use serde_json::{Value, json};

use crate::support::arm::claims;
use crate::support::az::{Az, Login, az_binary};
use crate::support::clients::{Tools, client};
use crate::support::registry::*;

/// Pushes the OCI layout as `samples/hello-world:v1` and `:latest` and `other/app:1.0`
/// with the owner's credentials; returns the manifest digest.
async fn seed(r: &Reg, t: &Tools, skopeo: &std::path::Path) -> String {
    let (sp, secret) = r.sp();
    let owner = format!("{sp}:{secret}");
    let (certdir, layout) = (t.path("certdir"), format!("oci:{}:v1", t.path("oci/hello")));
    for dest in [
        "samples/hello-world:v1",
        "samples/hello-world:latest",
        "other/app:1.0",
    ] {
        let dest = format!("docker://{}", t.image(dest));
        let run = t
            .run(
                skopeo,
                &[
                    "copy",
                    "--dest-creds",
                    &owner,
                    "--dest-cert-dir",
                    &certdir,
                    &layout,
                    &dest,
                ],
            )
            .await;
        assert!(run.ok, "skopeo copy: {}", run.stderr);
    }
    t.layout_digest.clone()
}

/// Every `az acr repository` verb, with `extra` (credentials or nothing) after each command.
async fn repository_verbs(
    az: &Az,
    r: &Reg,
    t: &Tools,
    skopeo: &std::path::Path,
    digest: &str,
    extra: &[&str],
) {
    let run = |args: Vec<&str>| {
        let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        all.extend(["-n", "myregistry"].iter().map(|s| s.to_string()));
        all.extend(extra.iter().map(|s| s.to_string()));
        async move {
            let refs: Vec<&str> = all.iter().map(String::as_str).collect();
            az.ok(&refs).await
        }
    };
    let list = run(vec!["acr", "repository", "list"]).await;
    assert_eq!(list.json(), json!(["other/app", "samples/hello-world"]));
    assert!(
        !list.stderr.contains("Unable to get"),
        "no fallback: {}",
        list.stderr
    );

    let show = run(vec![
        "acr",
        "repository",
        "show",
        "--repository",
        "samples/hello-world",
    ])
    .await
    .json();
    assert_eq!(show["imageName"], "samples/hello-world");
    assert_eq!(show["registry"], r.login.as_str());
    assert_eq!(
        (show["manifestCount"].as_i64(), show["tagCount"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        show["changeableAttributes"],
        json!({"deleteEnabled": true, "listEnabled": true, "readEnabled": true, "writeEnabled": true})
    );
    let tag = run(vec![
        "acr",
        "repository",
        "show",
        "--image",
        "samples/hello-world:v1",
    ])
    .await
    .json();
    assert_eq!(
        (tag["name"].as_str(), tag["digest"].as_str()),
        (Some("v1"), Some(digest))
    );
    let by_digest = format!("samples/hello-world@{digest}");
    let manifest = run(vec!["acr", "repository", "show", "--image", &by_digest])
        .await
        .json();
    assert_eq!(manifest["tags"], json!(["latest", "v1"]));
    assert_eq!(
        (manifest["architecture"].as_str(), manifest["os"].as_str()),
        (Some("amd64"), Some("linux"))
    );

    let tags = run(vec![
        "acr",
        "repository",
        "show-tags",
        "--repository",
        "samples/hello-world",
    ])
    .await;
    assert_eq!(tags.json(), json!(["latest", "v1"]));
    let newest = run(vec![
        "acr",
        "repository",
        "show-tags",
        "--repository",
        "samples/hello-world",
        "--detail",
        "--orderby",
        "time_desc",
        "--top",
        "1",
    ])
    .await
    .json();
    assert_eq!(newest.as_array().unwrap().len(), 1);
    assert_eq!(newest[0]["name"], "latest");
    assert_eq!(newest[0]["digest"], digest);
    let manifests = run(vec![
        "acr",
        "repository",
        "show-manifests",
        "--repository",
        "samples/hello-world",
    ])
    .await;
    assert!(
        manifests
            .stderr
            .contains("This command has been deprecated"),
        "{}",
        manifests.stderr
    );
    let m = manifests.json();
    assert_eq!(
        (m[0]["digest"].as_str(), m[0]["tags"].clone()),
        (Some(digest), json!(["latest", "v1"]))
    );
    assert!(m[0]["timestamp"].as_str().unwrap().ends_with('Z'));

    // Lock the repository: skopeo cannot push any more; unlock.
    let locked = run(vec![
        "acr",
        "repository",
        "update",
        "--repository",
        "samples/hello-world",
        "--write-enabled",
        "false",
    ])
    .await
    .json();
    assert_eq!(locked["changeableAttributes"]["writeEnabled"], false);
    let (sp, secret) = r.sp();
    let dest = format!("docker://{}", t.image("samples/hello-world:v2"));
    let layout = format!("oci:{}:v1", t.path("oci/hello"));
    let push = t
        .run(
            skopeo,
            &[
                "copy",
                "--dest-creds",
                &format!("{sp}:{secret}"),
                "--dest-cert-dir",
                &t.path("certdir"),
                &layout,
                &dest,
            ],
        )
        .await;
    assert!(
        !push.ok
            && push
                .stderr
                .contains("The operation is disallowed on this registry"),
        "{}",
        push.stderr
    );
    let tag_locked = run(vec![
        "acr",
        "repository",
        "update",
        "--image",
        "samples/hello-world:v1",
        "--delete-enabled",
        "false",
    ])
    .await
    .json();
    assert_eq!(tag_locked["changeableAttributes"]["deleteEnabled"], false);
    run(vec![
        "acr",
        "repository",
        "update",
        "--image",
        "samples/hello-world:v1",
        "--delete-enabled",
        "true",
    ])
    .await;
    let unlocked = run(vec![
        "acr",
        "repository",
        "update",
        "--repository",
        "samples/hello-world",
        "--write-enabled",
        "true",
    ])
    .await
    .json();
    assert_eq!(unlocked["changeableAttributes"]["writeEnabled"], true);

    // Untag, then delete an image and a repository.
    let untag = run(vec![
        "acr",
        "repository",
        "untag",
        "--image",
        "samples/hello-world:latest",
    ])
    .await;
    assert!(untag.stdout.is_empty(), "{}", untag.stdout);
    assert_eq!(
        run(vec![
            "acr",
            "repository",
            "show-tags",
            "--repository",
            "samples/hello-world"
        ])
        .await
        .json(),
        json!(["v1"])
    );
    let del = run(vec![
        "acr",
        "repository",
        "delete",
        "--image",
        "other/app:1.0",
        "--yes",
    ])
    .await;
    assert!(
        del.stderr.contains(&format!("This operation will delete the manifest '{digest}' and all the following images: 'other/app:1.0'")),
        "{}",
        del.stderr
    );
    let gone = run(vec![
        "acr",
        "repository",
        "delete",
        "--repository",
        "samples/hello-world",
        "--yes",
    ])
    .await;
    assert_eq!(
        gone.json(),
        json!({"manifestsDeleted": [digest], "tagsDeleted": ["v1"]})
    );
    assert_eq!(
        run(vec!["acr", "repository", "list"]).await.json(),
        json!([])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_acr_repository_with_token_credentials() {
    let Some(bin) = az_binary() else { return };
    let Some(skopeo) = client("skopeo") else {
        return;
    };
    let r = Reg::start().await;
    let t = Tools::new(&r).await;
    let digest = seed(&r, &t, &skopeo).await;
    let az = Az::login(bin, &r.e.env, Login::ManagedIdentity).await;

    // Registry-wide metadata (the catalog) plus what each verb needs on the two repositories.
    let mut actions = vec!["repositories/*/metadata/read".to_string()];
    for repo in ["samples/hello-world", "other/app"] {
        for a in ["content/delete", "metadata/read", "metadata/write"] {
            actions.push(format!("repositories/{repo}/{a}"));
        }
    }
    let refs: Vec<&str> = actions.iter().map(String::as_str).collect();
    let pw = r.token("RepoToken", &refs).await;
    repository_verbs(
        &az,
        &r,
        &t,
        &skopeo,
        &digest,
        &["-u", "RepoToken", "-p", &pw],
    )
    .await;

    // Refused exactly where the scope map says: no metadata/read, no catalog, bad password.
    seed(&r, &t, &skopeo).await;
    let pull_pw = r
        .token(
            "PullToken",
            &["repositories/samples/hello-world/content/read"],
        )
        .await;
    let creds = ["-u", "PullToken", "-p", pull_pw.as_str()];
    let mut args = vec![
        "acr",
        "repository",
        "show-tags",
        "-n",
        "myregistry",
        "--repository",
        "samples/hello-world",
    ];
    args.extend(creds);
    az.fails(&args, 1, "Error: authentication required, visit https://aka.ms/acr/authorization for more information.").await;
    let mut args = vec!["acr", "repository", "list", "-n", "myregistry"];
    args.extend(creds);
    az.fails(&args, 1, "authentication required").await;
    let mut args = vec![
        "acr",
        "repository",
        "untag",
        "-n",
        "myregistry",
        "--image",
        "samples/hello-world:v1",
    ];
    args.extend(creds);
    az.fails(&args, 1, "authentication required").await;
    az.fails(
        &[
            "acr",
            "repository",
            "list",
            "-n",
            "myregistry",
            "-u",
            "PullToken",
            "-p",
            "wrong",
        ],
        1,
        "Access to registry '",
    )
    .await;
    // A repository that does not exist: 404 NAME_UNKNOWN, exit code 3 for show.
    let mut args = vec![
        "acr",
        "repository",
        "show",
        "-n",
        "myregistry",
        "--repository",
        "nosuch",
    ];
    args.extend(["-u", "RepoToken", "-p", pw.as_str()]);
    let missing = az.run(&args).await;
    assert_eq!(missing.code, 3, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .contains("Error: repository name not known to registry."),
        "{}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("Correlation ID:"),
        "{}",
        missing.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_acr_repository_logged_in_through_the_identity_endpoint() {
    let Some(bin) = az_binary() else { return };
    let Some(skopeo) = client("skopeo") else {
        return;
    };
    let r = Reg::start().await;
    let t = Tools::new(&r).await;
    let digest = seed(&r, &t, &skopeo).await;
    let az = Az::login(bin, &r.e.env, Login::ManagedIdentity).await;
    // No -u/-p and no admin user: only the /oauth2/exchange path can succeed.
    repository_verbs(&az, &r, &t, &skopeo, &digest, &[]).await;
    let token = az
        .ok(&[
            "acr",
            "login",
            "-n",
            "myregistry",
            "--expose-token",
            "-o",
            "json",
        ])
        .await;
    let v: Value = token.json();
    assert_eq!(v["username"], "00000000-0000-0000-0000-000000000000");
    assert_eq!(v["loginServer"], r.login.as_str());
    // The refresh token az hands to docker works as a password.
    let refresh = v["refreshToken"].as_str().unwrap();
    let access = r
        .access(
            "00000000-0000-0000-0000-000000000000",
            refresh,
            &["registry:catalog:*"],
        )
        .await
        .unwrap();
    assert_eq!(claims(&access)["access"][0]["actions"], json!(["*"]));
}
