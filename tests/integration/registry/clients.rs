//! skopeo 1.9.3 and podman 4.3.1 from Debian against the emulator, with ACR token
//! credentials: push, pull, list tags, inspect and delete succeed exactly where the scope map
//! allows them, following the walkthrough of `../shared/seeds/` (push to
//! `samples/hello-world` succeeds and to `samples/nginx` fails; after a scope-map update the
//! reverse). Client state stays in a temporary directory (`REGISTRY_AUTH_FILE`,
//! `XDG_RUNTIME_DIR`, `HOME`, podman's `--root`/`--runroot`; `_CONTAINERS_ROOTLESS_UID` puts
//! the blob-info cache under `XDG_DATA_HOME` instead of `/var/lib/containers`).
//!
//! A missing client skips a test with a `skipped:` note, unless `ACR_REQUIRE_CLIENTS=1` or
//! `ACR_REQUIRE_AZ=1` (CI), which makes it a failure.

use serde_json::{Value, json};

use crate::support::clients::{Run, Tools, client};
use crate::support::registry::*;

#[track_caller]
fn ok(r: &Run, what: &str) {
    assert!(r.ok, "{what} failed:\n{}\n{}", r.stdout, r.stderr);
}

#[track_caller]
fn refused(r: &Run, what: &str, needle: &str) {
    assert!(!r.ok, "{what} should have been refused:\n{}", r.stdout);
    assert!(
        r.stderr.contains(needle),
        "{what}: expected '{needle}' in:\n{}",
        r.stderr
    );
}

const DENIED: &str = "denied: requested access to the resource is denied";
const BAD_CREDENTIALS: &str = "unable to retrieve auth token: invalid username/password: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skopeo_walks_through_the_seed_scenario() {
    let Some(skopeo) = client("skopeo") else {
        return;
    };
    let r = Reg::start().await;
    let t = Tools::new(&r).await;
    let (certdir, layout) = (t.path("certdir"), format!("oci:{}:v1", t.path("oci/hello")));
    // az acr scope-map create --name MyScopeMap --repository samples/hello-world content/write
    // content/read --repository samples/nginx content/read; az acr token create --name MyToken.
    let map = [
        "repositories/samples/hello-world/content/write",
        "repositories/samples/hello-world/content/read",
        "repositories/samples/nginx/content/read",
    ];
    let pw = r.token("MyToken", &map).await;
    let creds = format!("MyToken:{pw}");
    let push = |dest: String| {
        let (skopeo, creds, certdir, layout) = (&skopeo, &creds, &certdir, &layout);
        let t = &t;
        async move {
            let dest = format!("docker://{}", t.image(&dest));
            t.run(
                skopeo,
                &[
                    "copy",
                    "--dest-creds",
                    creds,
                    "--dest-cert-dir",
                    certdir,
                    layout,
                    &dest,
                ],
            )
            .await
        }
    };
    // The token may push to hello-world...
    ok(
        &push("samples/hello-world:v1".into()).await,
        "push hello-world",
    );
    // ...but not to nginx.
    refused(&push("samples/nginx:v1".into()).await, "push nginx", DENIED);

    // Update the scope map: write on nginx, no more write on hello-world; the reverse holds.
    r.set_actions(
        "MyToken",
        &[
            "repositories/samples/hello-world/content/read",
            "repositories/samples/nginx/content/write",
            "repositories/samples/nginx/content/read",
        ],
    )
    .await;
    ok(
        &push("samples/nginx:v1".into()).await,
        "push nginx after the update",
    );
    refused(
        &push("samples/hello-world:v2".into()).await,
        "push hello-world after the update",
        DENIED,
    );

    // Both pull, and the bytes are the ones pushed.
    for repo in ["samples/nginx", "samples/hello-world"] {
        let dest = format!(
            "oci:{}:v1",
            t.path(&format!("pulled/{}", repo.replace('/', "-")))
        );
        let src = format!("docker://{}", t.image(&format!("{repo}:v1")));
        ok(
            &t.run(
                &skopeo,
                &[
                    "copy",
                    "--src-creds",
                    &creds,
                    "--src-cert-dir",
                    &certdir,
                    &src,
                    &dest,
                ],
            )
            .await,
            "pull",
        );
        let index: Value = serde_json::from_slice(
            &std::fs::read(
                t.work
                    .path()
                    .join(format!("pulled/{}/index.json", repo.replace('/', "-"))),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(index["manifests"][0]["digest"], t.layout_digest.as_str());
    }

    // Tags are metadata on ACR: content/read is not enough to list them.
    let hello = format!("docker://{}", t.image("samples/hello-world"));
    let tags = t
        .run(
            &skopeo,
            &[
                "list-tags",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &hello,
            ],
        )
        .await;
    refused(
        &tags,
        "list-tags without metadata/read",
        "unauthorized: authentication required",
    );
    // Inspect without the tag list works with content/read alone.
    let hello_v1 = format!("docker://{}", t.image("samples/hello-world:v1"));
    let inspect = t
        .run(
            &skopeo,
            &[
                "inspect",
                "--no-tags",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &hello_v1,
            ],
        )
        .await;
    ok(&inspect, "inspect --no-tags");
    let v: Value = serde_json::from_str(&inspect.stdout).unwrap();
    assert_eq!(v["Digest"], t.layout_digest.as_str());
    assert_eq!(
        (v["Architecture"].as_str(), v["Os"].as_str()),
        (Some("amd64"), Some("linux"))
    );
    // Add metadata/read on hello-world (seed: "az acr scope-map update --add-repository
    // samples/hello-world metadata/read"): list-tags and a full inspect work.
    r.set_actions(
        "MyToken",
        &[
            "repositories/samples/hello-world/content/read",
            "repositories/samples/hello-world/metadata/read",
            "repositories/samples/nginx/content/write",
            "repositories/samples/nginx/content/read",
        ],
    )
    .await;
    let tags = t
        .run(
            &skopeo,
            &[
                "list-tags",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &hello,
            ],
        )
        .await;
    ok(&tags, "list-tags");
    let v: Value = serde_json::from_str(&tags.stdout).unwrap();
    assert_eq!(v["Tags"], json!(["v1"]));
    assert_eq!(v["Repository"], t.image("samples/hello-world"));
    let inspect = t
        .run(
            &skopeo,
            &[
                "inspect",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &hello_v1,
            ],
        )
        .await;
    ok(&inspect, "inspect");
    assert_eq!(
        serde_json::from_str::<Value>(&inspect.stdout).unwrap()["RepoTags"],
        json!(["v1"])
    );

    // Delete needs content/delete.
    let nginx_v1 = format!("docker://{}", t.image("samples/nginx:v1"));
    let del = t
        .run(
            &skopeo,
            &[
                "delete",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &nginx_v1,
            ],
        )
        .await;
    refused(
        &del,
        "delete without content/delete",
        r#"\"Action\":\"delete\""#,
    );
    r.set_actions(
        "MyToken",
        &[
            "repositories/samples/hello-world/content/read",
            "repositories/samples/hello-world/metadata/read",
            "repositories/samples/nginx/content/write",
            "repositories/samples/nginx/content/read",
            "repositories/samples/nginx/content/delete",
        ],
    )
    .await;
    ok(
        &t.run(
            &skopeo,
            &[
                "delete",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &nginx_v1,
            ],
        )
        .await,
        "delete",
    );
    let gone = t
        .run(
            &skopeo,
            &[
                "inspect",
                "--no-tags",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &nginx_v1,
            ],
        )
        .await;
    refused(
        &gone,
        "inspect after delete",
        "name unknown: repository name not known to registry",
    );

    // Wrong password, disabled token: no auth token at all.
    let wrong = t
        .run(
            &skopeo,
            &[
                "inspect",
                "--no-tags",
                "--creds",
                "MyToken:wrong",
                "--cert-dir",
                &certdir,
                &hello_v1,
            ],
        )
        .await;
    refused(&wrong, "wrong password", BAD_CREDENTIALS);
    let p =
        r.e.arm(
            "PATCH",
            &format!("{}/tokens/MyToken", r.e.reg()),
            Some(json!({"properties": {"status": "disabled"}})),
        )
        .await;
    assert_eq!(p.status, 200);
    let disabled = t
        .run(
            &skopeo,
            &[
                "inspect",
                "--no-tags",
                "--creds",
                &creds,
                "--cert-dir",
                &certdir,
                &hello_v1,
            ],
        )
        .await;
    refused(&disabled, "disabled token", BAD_CREDENTIALS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn podman_pulls_pushes_logs_in_and_is_refused_where_the_map_says() {
    let (Some(podman), Some(skopeo)) = (client("podman"), client("skopeo")) else {
        return;
    };
    let r = Reg::start().await;
    let t = Tools::new(&r).await;
    let certdir = t.path("certdir");
    let (sp, secret) = r.sp();
    let owner = format!("{sp}:{secret}");
    let layout = format!("oci:{}:v1", t.path("oci/hello"));
    for repo in ["pod/hello", "pod/other"] {
        let dest = format!("docker://{}", t.image(&format!("{repo}:v1")));
        ok(
            &t.run(
                &skopeo,
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
            .await,
            "seed",
        );
    }
    let pw = r
        .token(
            "PodToken",
            &[
                "repositories/pod/hello/content/read",
                "repositories/pod/hello/content/write",
                "repositories/pod/other/content/read",
            ],
        )
        .await;
    let creds = format!("PodToken:{pw}");
    let root = [t.path("podman/root"), t.path("podman/run")];
    let hello_v1 = t.image("pod/hello:v1");
    let pull = t
        .run(
            &podman,
            &t.podman_args(
                &root,
                &["pull", "--creds", &creds, "--cert-dir", &certdir, &hello_v1],
            ),
        )
        .await;
    ok(&pull, "podman pull");
    let hello_podman = t.image("pod/hello:podman");
    let other_podman = t.image("pod/other:podman");
    for target in [&hello_podman, &other_podman] {
        ok(
            &t.run(&podman, &t.podman_args(&root, &["tag", &hello_v1, target]))
                .await,
            "podman tag",
        );
    }
    ok(
        &t.run(
            &podman,
            &t.podman_args(
                &root,
                &[
                    "push",
                    "--creds",
                    &creds,
                    "--cert-dir",
                    &certdir,
                    &hello_podman,
                ],
            ),
        )
        .await,
        "podman push",
    );
    let tags = r
        .get("/v2/pod/hello/tags/list", Auth::Basic(&sp, &secret))
        .await
        .json();
    assert_eq!(tags["tags"], json!(["podman", "v1"]));
    let refused_push = t
        .run(
            &podman,
            &t.podman_args(
                &root,
                &[
                    "push",
                    "--creds",
                    &creds,
                    "--cert-dir",
                    &certdir,
                    &other_podman,
                ],
            ),
        )
        .await;
    refused(&refused_push, "podman push without content/write", "denied");
    let other_pull = t
        .run(
            &podman,
            &t.podman_args(
                &root,
                &[
                    "pull",
                    "--creds",
                    &creds,
                    "--cert-dir",
                    &certdir,
                    &t.image("pod/other:v1"),
                ],
            ),
        )
        .await;
    ok(&other_pull, "podman pull with content/read");

    // podman login checks the credentials against the token endpoint.
    let login = t
        .run(
            &podman,
            &t.podman_args(
                &root,
                &[
                    "login",
                    "--cert-dir",
                    &certdir,
                    "-u",
                    "PodToken",
                    "-p",
                    &pw,
                    &t.login,
                ],
            ),
        )
        .await;
    ok(&login, "podman login");
    assert!(login.stdout.contains("Login Succeeded"), "{}", login.stdout);
    let bad = t
        .run(
            &podman,
            &t.podman_args(
                &root,
                &[
                    "login",
                    "--cert-dir",
                    &certdir,
                    "-u",
                    "PodToken",
                    "-p",
                    "wrong",
                    &t.login,
                ],
            ),
        )
        .await;
    refused(
        &bad,
        "podman login with a wrong password",
        "invalid username/password",
    );

    // podman search lists the catalog (after podman login): registry-wide rights only.
    let wide = r
        .token(
            "WideToken",
            &[
                "repositories/*/metadata/read",
                "repositories/*/content/read",
            ],
        )
        .await;
    let search = |user: &'static str, password: String| {
        let (podman, root, certdir, t) = (&podman, &root, &certdir, &t);
        async move {
            let login = t
                .run(
                    podman,
                    &t.podman_args(
                        root,
                        &[
                            "login",
                            "--cert-dir",
                            certdir,
                            "-u",
                            user,
                            "-p",
                            &password,
                            &t.login,
                        ],
                    ),
                )
                .await;
            ok(&login, "podman login");
            let query = format!("{}/", t.login);
            t.run(podman, &t.podman_args(root, &["search", &query]))
                .await
        }
    };
    let found = search("WideToken", wide).await;
    ok(&found, "podman search");
    assert!(
        found.stdout.contains(&t.image("pod/hello"))
            && found.stdout.contains(&t.image("pod/other")),
        "{}",
        found.stdout
    );
    let scoped = search("PodToken", pw.clone()).await;
    assert!(
        !scoped.stdout.contains("pod/hello"),
        "a scoped token must not see the catalog: {}",
        scoped.stdout
    );

    // podman search --list-tags (logged in as PodToken): tags are metadata on ACR.
    let hello = t.image("pod/hello");
    let list_args = t.podman_args(&root, &["search", "--list-tags", &hello]);
    let list_tags = || t.run(&podman, &list_args);
    let denied = list_tags().await;
    refused(
        &denied,
        "podman search --list-tags without metadata/read",
        DENIED,
    );
    r.set_actions(
        "PodToken",
        &[
            "repositories/pod/hello/content/read",
            "repositories/pod/hello/content/write",
            "repositories/pod/hello/metadata/read",
            "repositories/pod/other/content/read",
        ],
    )
    .await;
    let listed = list_tags().await;
    ok(&listed, "podman search --list-tags");
    assert!(
        listed.stdout.contains("podman") && listed.stdout.contains("v1"),
        "{}",
        listed.stdout
    );
    // The pulled image, inspected locally, has the pushed digest.
    let inspect = t
        .run(
            &podman,
            &t.podman_args(&root, &["image", "inspect", &hello_v1]),
        )
        .await;
    ok(&inspect, "podman image inspect");
    let v: Value = serde_json::from_str(&inspect.stdout).unwrap();
    assert_eq!(v[0]["Digest"], t.layout_digest.as_str());
}
