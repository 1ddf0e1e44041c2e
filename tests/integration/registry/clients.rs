//! skopeo 1.9.3 and podman 4.3.1 from Debian against the emulator, with ACR token
//! credentials: push, pull, list tags, inspect and delete succeed exactly where the scope map
//! allows them, following the walkthrough of `../shared/seeds/` (push to
//! `samples/hello-world` succeeds and to `samples/nginx` fails; after a scope-map update the
//! reverse). Client state stays in a temporary directory (`REGISTRY_AUTH_FILE`,
//! `XDG_RUNTIME_DIR`, `HOME`, podman's `--root`/`--runroot`; `_CONTAINERS_ROOTLESS_UID` puts
//! the blob-info cache under `XDG_DATA_HOME` instead of `/var/lib/containers`).
//!
//! A missing client skips a test with a `skipped:` note, unless `ACR_REQUIRE_AZ=1` (CI), which
//! makes it a failure.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::support::*;

/// Builds a tiny one-layer OCI image layout with tag `v1` (real-clients.md §7).
const MAKE_LAYOUT: &str = r#"
import gzip, hashlib, io, json, os, sys, tarfile
root = sys.argv[1]
blobs = os.path.join(root, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)
tar_buf = io.BytesIO()
with tarfile.open(fileobj=tar_buf, mode="w") as tf:
    payload = b"hello from an OCI layout\n"
    info = tarfile.TarInfo("hello.txt")
    info.size, info.mtime, info.mode = len(payload), 0, 0o644
    tf.addfile(info, io.BytesIO(payload))
layer_tar = tar_buf.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_tar).hexdigest()
layer_digest, layer_size = put(gzip.compress(layer_tar, mtime=0))
config = {"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/hello"]},
          "rootfs": {"type": "layers", "diff_ids": [diff_id]}, "created": "2024-01-01T00:00:00Z"}
config_digest, config_size = put(json.dumps(config, separators=(",", ":")).encode())
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": config_digest, "size": config_size},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": layer_digest, "size": layer_size}]}
manifest_digest, manifest_size = put(json.dumps(manifest, separators=(",", ":")).encode())
index = {"schemaVersion": 2,
         "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "digest": manifest_digest, "size": manifest_size,
                        "annotations": {"org.opencontainers.image.ref.name": "v1"}}]}
with open(os.path.join(root, "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(root, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
print(manifest_digest)
"#;

/// The executable `name` on `PATH`, or `None` after printing why the test is skipped.
pub fn client(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("ACR_REQUIRE_AZ").as_deref() != Ok("1"),
            "ACR_REQUIRE_AZ=1 but {name} is not installed"
        );
        println!("skipped: {name} is not installed");
    }
    found
}

pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// A scratch directory with everything the container tools need, and a runner.
pub struct Tools {
    pub work: tempfile::TempDir,
    pub login: String,
    /// The digest of the OCI layout's `v1` manifest.
    pub layout_digest: String,
}

impl Tools {
    pub async fn new(r: &Reg) -> Tools {
        let work = tempfile::tempdir().unwrap();
        let w = work.path();
        for d in ["certdir", "xdg", "home", "podman", "pulled"] {
            std::fs::create_dir_all(w.join(d)).unwrap();
        }
        std::fs::copy(&r.e.env.ca_certificate, w.join("certdir/ca.crt")).unwrap();
        // The per-user certs.d, for commands without --cert-dir (podman search).
        let certs_d = w.join("home/.config/containers/certs.d").join(&r.login);
        std::fs::create_dir_all(&certs_d).unwrap();
        std::fs::copy(&r.e.env.ca_certificate, certs_d.join("ca.crt")).unwrap();
        std::fs::write(w.join("auth.json"), "{}").unwrap();
        std::fs::write(w.join("make-oci-layout.py"), MAKE_LAYOUT).unwrap();
        let python = std::env::var("ACR_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let out = tokio::process::Command::new(python)
            .arg(w.join("make-oci-layout.py"))
            .arg(w.join("oci/hello"))
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let layout_digest = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Tools {
            work,
            login: r.login.clone(),
            layout_digest,
        }
    }

    pub fn path(&self, p: &str) -> String {
        self.work.path().join(p).display().to_string()
    }

    pub fn image(&self, repo_tag: &str) -> String {
        format!("{}/{repo_tag}", self.login)
    }

    pub async fn run(&self, program: &Path, args: &[&str]) -> Run {
        let w = self.work.path();
        let out = tokio::process::Command::new(program)
            .args(args)
            .env("REGISTRY_AUTH_FILE", w.join("auth.json"))
            .env("XDG_RUNTIME_DIR", w.join("xdg"))
            .env("HOME", w.join("home"))
            .env("XDG_DATA_HOME", w.join("home/data"))
            .env("XDG_CONFIG_HOME", w.join("home/config"))
            .env("_CONTAINERS_ROOTLESS_UID", "1000")
            .output()
            .await
            .unwrap();
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `podman` with its storage in the scratch directory.
    pub fn podman_args<'a>(&'a self, root: &'a [String; 2], args: &[&'a str]) -> Vec<&'a str> {
        let mut v = vec![
            "--root",
            root[0].as_str(),
            "--runroot",
            root[1].as_str(),
            "--storage-driver",
            "vfs",
            "--cgroup-manager",
            "cgroupfs",
            "--events-backend",
            "none",
        ];
        v.extend_from_slice(args);
        v
    }
}

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
