//! `acr repository` and `acr login` against the emulator's real data plane: every verb, both
//! credential paths (the signed-in identity through `/oauth2/exchange`, and token credentials
//! with `-u/-p` or `--password-stdin`), `Link` paging over more than 100 tags, each refusal, and
//! `acr login` writing an auth file skopeo then pulls with.

use serde_json::{Value, json};

use crate::support::clients::{Tools, client};
use crate::support::{Acr, Out};
use crate::support::{Auth, Reg};

/// An emulator with `hello-world` (`v1` and `latest` on one manifest, `v2` on another),
/// `other/app:1.0`, and `paged` with 120 tags on one manifest.
async fn registry() -> (Reg, Acr, String, String) {
    let reg = Reg::start().await;
    let (user, password) = reg.sp();
    let auth = Auth::Basic(&user, &password);
    let (d1, manifest) = reg.push_image(auth, "hello-world", "v1", "one").await;
    let latest = reg
        .send(
            "PUT",
            "/v2/hello-world/manifests/latest",
            auth,
            &[("content-type", "application/vnd.oci.image.manifest.v1+json")],
            Some(manifest),
        )
        .await;
    assert_eq!(latest.status, 201);
    let (d2, _) = reg.push_image(auth, "hello-world", "v2", "two").await;
    reg.push_image(auth, "other/app", "1.0", "app").await;
    let (_, paged) = reg.push_image(auth, "paged", "t000", "paged").await;
    for i in 1..120 {
        let r = reg
            .send(
                "PUT",
                &format!("/v2/paged/manifests/t{i:03}"),
                auth,
                &[("content-type", "application/vnd.oci.image.manifest.v1+json")],
                Some(paged.clone()),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let acr = Acr::for_env(&reg.e.env);
    (reg, acr, d1, d2)
}

fn lines(out: &Out) -> Vec<&str> {
    out.stdout.lines().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_verb_with_the_signed_in_identity() {
    let (_reg, acr, d1, d2) = registry().await;
    let list = acr.ok("repository list -n myregistry").await;
    assert_eq!(list.json(), json!(["hello-world", "other/app", "paged"]));
    assert_eq!(
        acr.ok("repository list -n myregistry -o tsv").await.stdout,
        "hello-world\nother/app\npaged\n"
    );
    assert_eq!(
        lines(&acr.ok("repository list -n myregistry -o table").await),
        ["Result", "-----------", "hello-world", "other/app", "paged"]
    );
    assert_eq!(
        acr.ok("repository list -n myregistry --top 2").await.json(),
        json!(["hello-world", "other/app"])
    );

    assert_eq!(
        acr.ok("repository show-tags -n myregistry --repository hello-world")
            .await
            .json(),
        json!(["latest", "v1", "v2"])
    );
    let newest = acr.ok("repository show-tags -n myregistry --repository hello-world --orderby time_desc --top 1").await;
    assert_eq!(newest.json(), json!(["v2"]));
    let detail = acr
        .ok("repository show-tags -n myregistry --repository hello-world --detail -o table")
        .await;
    assert!(
        lines(&detail)[0].starts_with("CreatedTime"),
        "{}",
        detail.stdout
    );
    assert!(detail.stdout.contains(&d2));

    let manifests = acr
        .run("repository show-manifests -n myregistry --repository hello-world")
        .await;
    assert_eq!(manifests.code, 0, "{}", manifests.stderr);
    assert_eq!(
        manifests.stderr,
        "WARNING: This command has been deprecated and will be removed in a future release. Use 'acr manifest list-metadata' instead.\n"
    );
    let listed = manifests.json();
    let entry = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["digest"] == d1.as_str())
        .expect("the v1 manifest");
    assert_eq!(entry["tags"], json!(["latest", "v1"]));
    assert_eq!(
        entry.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["digest", "tags", "timestamp"]
    );

    let repo = acr
        .ok("repository show -n myregistry --repository hello-world")
        .await
        .json();
    assert_eq!(
        (
            repo["imageName"].clone(),
            repo["tagCount"].clone(),
            repo["manifestCount"].clone()
        ),
        (json!("hello-world"), json!(3), json!(2))
    );
    assert_eq!(
        acr.ok("repository show -n myregistry --image hello-world:v1 --query digest -o tsv")
            .await
            .stdout,
        format!("{d1}\n")
    );
    let by_digest = acr
        .ok(&format!(
            "repository show -n myregistry --image hello-world@{d2} --query digest -o tsv"
        ))
        .await;
    assert_eq!(by_digest.stdout, format!("{d2}\n"));
    assert_eq!(
        acr.ok("repository show -n myregistry --image hello-world --query name -o tsv")
            .await
            .stdout,
        "latest\n"
    );

    let locked = acr.ok("repository update -n myregistry --image hello-world:v1 --write-enabled false --query changeableAttributes").await;
    assert_eq!(locked.json()["writeEnabled"], false);
    let current = acr.ok("repository update -n myregistry --repository hello-world --query changeableAttributes.writeEnabled").await;
    assert_eq!(current.stdout, "true\n");

    let untag = acr
        .ok("repository untag -n myregistry --image hello-world:v2")
        .await;
    assert_eq!((untag.stdout.as_str(), untag.stderr.as_str()), ("", ""));
    let again = acr
        .run("repository untag -n myregistry --image hello-world:v2")
        .await;
    assert_eq!(again.code, 1, "untag is not a show command: a 404 exits 1");
    assert!(
        again
            .stderr
            .starts_with("ERROR: Error: the specified tag does not exist. Correlation ID: "),
        "{}",
        again.stderr
    );

    let refused = acr
        .run("repository delete -n myregistry --image hello-world:v1 --yes")
        .await;
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains(
            "ERROR: Error: The operation is disallowed on this registry, repository or image."
        ),
        "{}",
        refused.stderr
    );
    acr.ok("repository update -n myregistry --image hello-world:v1 --write-enabled")
        .await;
    let image = acr
        .ok("repository delete -n myregistry --image hello-world:v1 --yes")
        .await;
    assert_eq!(image.stdout, "");
    assert_eq!(
        image.stderr,
        format!(
            "WARNING: This operation will delete the manifest '{d1}' and all the following images: 'hello-world:latest', 'hello-world:v1'\n"
        )
    );
    let deleted = acr
        .ok("repository delete -n myregistry --repository other/app --yes")
        .await
        .json();
    assert_eq!(deleted["tagsDeleted"], json!(["1.0"]));
    assert_eq!(
        acr.ok("repository list -n myregistry").await.json(),
        json!(["hello-world", "paged"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_a_hundred_tags_follow_the_link_header() {
    let (_reg, acr, _, _) = registry().await;
    let all = acr
        .ok("repository show-tags -n myregistry --repository paged")
        .await
        .json();
    let names: Vec<String> = (0..120).map(|i| format!("t{i:03}")).collect();
    assert_eq!(all, json!(names));
    let top = acr
        .ok("repository show-tags -n myregistry --repository paged --top 105")
        .await
        .json();
    assert_eq!(top.as_array().unwrap().len(), 105);
    assert_eq!(top[104], "t104");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_and_usage_errors() {
    let (reg, mut acr, _, _) = registry().await;
    let both = "Usage error: You need to provide either --image IMAGE | --repository REPOSITORY, but not both";
    acr.run("repository show -n myregistry --image hello-world --repository hello-world")
        .await
        .error(1, both);
    acr.run("repository show -n myregistry")
        .await
        .error(1, both);
    acr.run("repository show -n myregistry --image a:b:c").await.error(1, "The name of the image may include a tag in the format 'name:tag' or digest in the format 'name@digest'.");
    acr.run("repository untag -n myregistry --image hello-world@sha256:0000")
        .await
        .error(
            1,
            "The name of the image may include a tag in the format 'name:tag'.",
        );
    acr.run("repository list -n myregistry -p secret")
        .await
        .error(1, "Please also specify username if password is specified.");
    acr.run("repository list -n myregistry -u mytoken")
        .await
        .error(
            1,
            "Please specify both username and password in non-interactive mode.",
        );
    acr.run("repository delete -n myregistry --repository hello-world")
        .await
        .error(
            1,
            "Unable to prompt for confirmation as no tty available. Use --yes.",
        );
    let no = acr
        .run_with(
            "repository delete -n myregistry --repository hello-world",
            "n\n",
            true,
        )
        .await;
    assert_eq!(no.code, 1);
    assert!(no.stdout.ends_with("Are you sure you want to delete the repository 'hello-world' and all images under it? (y/n): "));
    assert_eq!(no.stderr, "ERROR: Operation cancelled.\n");

    let missing = acr
        .run("repository show -n myregistry --repository nosuch")
        .await;
    assert_eq!(
        missing.code, 3,
        "show commands exit 3 on a data-plane 404: {}",
        missing.stderr
    );
    assert!(
        missing
            .stderr
            .starts_with("ERROR: Error: repository name not known to registry."),
        "{}",
        missing.stderr
    );
    let tags = acr
        .run("repository show-tags -n myregistry --repository nosuch")
        .await;
    assert_eq!(tags.code, 1, "other commands exit 1 on a data-plane 404");

    // A token that may only read metadata of hello-world.
    let password = reg
        .token("readmeta", &["repositories/hello-world/metadata/read"])
        .await;
    let tags = acr
        .ok(&format!(
            "repository show-tags -n myregistry --repository hello-world -u readmeta -p {password}"
        ))
        .await;
    assert_eq!(tags.json(), json!(["latest", "v1", "v2"]));
    let denied = acr
        .run(&format!(
            "repository list -n myregistry -u readmeta -p {password}"
        ))
        .await;
    assert_eq!(denied.code, 1);
    assert!(
        denied.stderr.contains("authentication required"),
        "{}",
        denied.stderr
    );
    assert!(
        denied
            .stderr
            .contains("The credentials used do not grant '*' on registry 'catalog'."),
        "{}",
        denied.stderr
    );
    assert!(!denied.stderr.contains(&password));
    let delete = acr
        .run(&format!(
            "repository untag -n myregistry --image hello-world:v2 -u readmeta -p {password}"
        ))
        .await;
    assert!(
        delete
            .stderr
            .contains("do not grant 'delete' on repository 'hello-world'"),
        "{}",
        delete.stderr
    );

    let wrong = acr
        .run("repository show-tags -n myregistry --repository hello-world -u readmeta -p wrong")
        .await;
    wrong.error(
        1,
        &format!(
            "An error occurred: CONNECTIVITY_ACCESS_TOKEN_ERROR\nAccess to registry '{}' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
            reg.login
        ),
    );

    // --password-stdin keeps the secret out of the process list.
    let piped = acr.run_with("repository show-tags -n myregistry --repository hello-world -u readmeta --password-stdin", &format!("{password}\n"), false).await;
    assert_eq!(piped.code, 0, "{}", piped.stderr);

    // The data plane alone: no identity at all, a token's credentials only, the login server
    // guessed from a cloud whose ACR suffix is `:PORT` (real-clients.md §4.12).
    for var in ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"] {
        acr.unset_env(var);
    }
    let port = reg.login.rsplit(':').next().unwrap().to_owned();
    acr.set_env("ACR_LOGIN_SERVER_SUFFIX", &format!(":{port}"));
    let guessed = acr
        .ok(&format!(
            "repository show-tags -n localhost --repository hello-world -u readmeta -p {password}"
        ))
        .await;
    assert_eq!(guessed.json(), json!(["latest", "v1", "v2"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_exposes_a_token_or_writes_an_auth_file_skopeo_uses() {
    let (reg, mut acr, _, _) = registry().await;
    let exposed = acr.run("login -n myregistry --expose-token").await;
    assert_eq!(exposed.code, 0, "{}", exposed.stderr);
    let token = exposed.json();
    assert_eq!(token["username"], "00000000-0000-0000-0000-000000000000");
    assert_eq!(token["loginServer"], reg.login.as_str());
    assert_eq!(token["accessToken"], token["refreshToken"]);
    assert_eq!(
        exposed
            .stderr
            .lines()
            .filter(|l| l.starts_with("WARNING: "))
            .count(),
        2
    );
    acr.run("login -n myregistry --expose-token -u x -p y")
        .await
        .error(
            1,
            "`--expose-token` cannot be combined with `--username` or `--password`.",
        );

    let Some(skopeo) = client("skopeo") else {
        return;
    };
    let tools = Tools::new(&reg).await;
    let auth_file = tools.path("auth.json");
    acr.set_env("REGISTRY_AUTH_FILE", &auth_file);
    let login = acr.run("login -n myregistry").await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    assert_eq!(login.stdout, "Login Succeeded\n");
    assert_eq!(
        login.stderr,
        format!(
            "Credentials for '{}' written to '{auth_file}'.\n",
            reg.login
        )
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&auth_file).unwrap()).unwrap();
    assert!(written["auths"][reg.login.as_str()]["auth"].is_string());
    #[cfg(unix)]
    {
        let mode = std::fs::metadata(&auth_file).unwrap().permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );
    }
    let certs = format!("--cert-dir={}", tools.path("certdir"));
    let dest = format!("oci:{}:v1", tools.path("pulled/hello"));
    let pulled = tools
        .run(
            &skopeo,
            &[
                "copy",
                "--src-cert-dir",
                &tools.path("certdir"),
                &format!("docker://{}", tools.image("hello-world:v1")),
                &dest,
            ],
        )
        .await;
    assert!(
        pulled.ok,
        "skopeo pull with the identity's refresh token:\n{}",
        pulled.stderr
    );

    // A token's credentials, with the password from standard input.
    let password = reg
        .token(
            "puller",
            &[
                "repositories/hello-world/content/read",
                "repositories/hello-world/metadata/read",
            ],
        )
        .await;
    let login = acr
        .run_with(
            "login -n myregistry -u puller --password-stdin",
            &password,
            false,
        )
        .await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    let tags = tools
        .run(
            &skopeo,
            &[
                "list-tags",
                &certs,
                &format!("docker://{}", tools.image("hello-world")),
            ],
        )
        .await;
    assert!(
        tags.ok,
        "skopeo list-tags with the token from the auth file:\n{}",
        tags.stderr
    );
    assert!(tags.stdout.contains("\"v1\""));
    let other = tools
        .run(
            &skopeo,
            &[
                "inspect",
                "--no-tags",
                &certs,
                &format!("docker://{}", tools.image("other/app:1.0")),
            ],
        )
        .await;
    assert!(!other.ok, "the token may not read other/app");
}

/// One `GET /v2/` per command (D8), the scope az requests for each command, and registry access
/// tokens reused from the cache on the next command; read from `--debug`, which shows every
/// request with its secrets masked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_probe_the_right_scopes_and_cached_access_tokens() {
    let (reg, acr, _, _) = registry().await;
    let password = reg
        .token(
            "scopes",
            &[
                "repositories/*/metadata/read",
                "repositories/*/content/delete",
            ],
        )
        .await;
    let requests = |out: &Out| -> Vec<String> {
        out.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("DEBUG: Request URL: "))
            .map(str::to_owned)
            .collect()
    };
    let bodies = |out: &Out| -> Vec<String> {
        out.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("DEBUG: Request body: "))
            .map(str::to_owned)
            .collect()
    };
    let cases = [
        (
            "repository show-tags -n myregistry --repository hello-world",
            "repository%3Ahello-world%3Ametadata_read",
        ),
        (
            "repository update -n myregistry --repository hello-world --list-enabled",
            "repository%3Ahello-world%3Ametadata_write%2Cmetadata_read",
        ),
        (
            "repository untag -n myregistry --image hello-world:v2",
            "repository%3Ahello-world%3Adelete",
        ),
    ];
    for (line, scope) in cases {
        let out = acr
            .run(&format!("{line} -u scopes -p {password} --debug"))
            .await;
        let urls = requests(&out);
        let probes = urls.iter().filter(|u| u.ends_with("/v2/'")).count();
        assert_eq!(probes, 1, "{line}: {urls:?}");
        let token_bodies: Vec<String> = bodies(&out)
            .into_iter()
            .filter(|b| b.contains("grant_type=password"))
            .collect();
        assert_eq!(token_bodies.len(), 1, "{line}");
        assert!(
            token_bodies[0].contains(&format!("scope={scope}")),
            "{line}: {}",
            token_bodies[0]
        );
        assert!(
            token_bodies[0].contains("password=*****"),
            "the password is masked"
        );
        assert!(
            !out.stderr.contains(&password),
            "{line}: the password leaked into --debug"
        );
    }
    // Same scope as show-tags: the cached access token is reused; the probe still happens.
    let again = acr
        .run(&format!(
            "repository show -n myregistry --repository hello-world -u scopes -p {password} --debug"
        ))
        .await;
    assert_eq!(again.code, 0);
    assert!(
        !requests(&again).iter().any(|u| u.contains("/oauth2/")),
        "no token request: {:?}",
        requests(&again)
    );
    assert_eq!(
        requests(&again)
            .iter()
            .filter(|u| u.ends_with("/v2/'"))
            .count(),
        1
    );
}

/// The data-plane examples of the seed documents, verbatim with `az acr` replaced by `acr`
/// (the Chinese edition's table of actions, and the English edition's show-tags with token
/// credentials); the token is `MyToken` and its password replaces `xxxxxxxxxx`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_examples_with_token_credentials() {
    let (reg, mut acr, _, _) = registry().await;
    let (user, secret) = reg.sp();
    reg.push_image(Auth::Basic(&user, &secret), "myrepo", "v1", "myrepo")
        .await;
    let password = reg
        .token(
            "MyToken",
            &[
                "repositories/myrepo/content/delete",
                "repositories/myrepo/content/read",
                "repositories/hello-world/metadata/read",
            ],
        )
        .await;
    let auth_file = tempfile::NamedTempFile::new().unwrap();
    acr.set_env(
        "REGISTRY_AUTH_FILE",
        &auth_file.path().display().to_string(),
    );

    let login = acr
        .run(&format!(
            "acr login --name myregistry --username MyToken --password {password}"
        ))
        .await;
    assert_eq!(
        (login.code, login.stdout.as_str()),
        (0, "Login Succeeded\n"),
        "{}",
        login.stderr
    );
    let tags = acr.ok(&format!("acr repository show-tags --name myregistry --repository hello-world --username MyToken --password {password}")).await;
    assert_eq!(tags.json(), json!(["latest", "v1", "v2"]));
    // On a terminal the delete asks first (answered y).
    let delete = acr
        .run_with(&format!("acr repository delete --name myregistry --repository myrepo --username MyToken --password {password}"), "y\n", true)
        .await;
    assert_eq!(delete.code, 0, "{}", delete.stderr);
    assert_eq!(delete.json_after_prompt()["tagsDeleted"], json!(["v1"]));
}
