//! `az acr repository …` and `acr repository …` on the same emulator state, images pushed with
//! skopeo: identical stdout and exit codes after normalising timestamps, secrets and the login
//! server, and identical stderr once az's data-plane timestamps are removed (D9). Read-only
//! lines run on one registry for both; each mutating line runs on its own copy of a repository
//! (`mutaz/app` for az, `mutacr/app` for acr, pushed identically), whose names are normalised.

use regex::Regex;

use super::parity::compare::Normaliser;
use crate::support::Acr;
use crate::support::az::{Az, Login, az_binary};
use crate::support::clients::{Tools, client};
use crate::support::{Auth, Reg};

const READ_ONLY: &[&str] = &[
    "repository list -n myregistry",
    "repository list -n myregistry -o table",
    "repository list -n myregistry -o tsv",
    "repository list -n myregistry --top 1",
    "repository show-tags -n myregistry --repository samples/hello-world",
    "repository show-tags -n myregistry --repository samples/hello-world --detail",
    "repository show-tags -n myregistry --repository samples/hello-world --detail -o table",
    "repository show-tags -n myregistry --repository samples/hello-world --orderby time_desc --top 1",
    "repository show-tags -n myregistry --repository samples/hello-world -o tsv",
    "repository show-tags -n myregistry --repository samples/hello-world --query [0]",
    "repository show-manifests -n myregistry --repository samples/hello-world",
    "repository show-manifests -n myregistry --repository samples/hello-world -o table",
    "repository show-manifests -n myregistry --repository samples/hello-world --detail --query [].tags",
    "repository show -n myregistry --repository samples/hello-world",
    "repository show -n myregistry --repository samples/hello-world -o table",
    "repository show -n myregistry --repository samples/hello-world -o tsv",
    "repository show -n myregistry --repository samples/hello-world --query changeableAttributes -o tsv",
    "repository show -n myregistry --image samples/hello-world:v1",
    "repository show -n myregistry --image samples/hello-world",
    "repository show -n myregistry --image samples/hello-world:v1 -o yaml",
    "repository show -n myregistry --repository nosuch",
    "repository show -n myregistry --image samples/hello-world:nosuch",
    "repository show -n myregistry --image samples/hello-world --repository samples/hello-world",
    "repository show -n myregistry --image a:b:c",
    "repository update -n myregistry --repository samples/hello-world",
    "repository untag -n myregistry --image samples/hello-world@sha256:abc",
    "repository show-tags -n myregistry --repository nosuch",
    "repository list -n myregistry -p secret",
    "repository list -n myregistry -u reader -p {PASSWORD}",
    "repository show-tags -n myregistry --repository samples/hello-world -u reader -p {PASSWORD}",
    "repository show -n myregistry --image samples/hello-world:v1 -u reader -p {PASSWORD} --query tag.name",
    "repository show-tags -n myregistry --repository other/app -u reader -p {PASSWORD}",
    "repository show-tags -n myregistry --repository samples/hello-world -u reader -p wrong",
    "repository delete -n myregistry --repository samples/hello-world",
];

/// Lines with `{REPO}`, run with `mutaz/app` by az and `mutacr/app` by acr.
const MUTATING: &[&str] = &[
    "repository update -n myregistry --repository {REPO} --write-enabled false --list-enabled true",
    "repository update -n myregistry --image {REPO}:v1 --delete-enabled false -o table",
    "repository delete -n myregistry --image {REPO}:v1 --yes",
    "repository update -n myregistry --image {REPO}:v1 --delete-enabled true --write-enabled true --query changeableAttributes",
    "repository update -n myregistry --repository {REPO} --write-enabled true -o tsv",
    "repository untag -n myregistry --image {REPO}:v2",
    "repository untag -n myregistry --image {REPO}:v2",
    "repository delete -n myregistry --image {REPO}:v1 --yes",
    "repository show-tags -n myregistry --repository {REPO}",
    "repository delete -n myregistry --repository {REPO} --yes",
    "repository show -n myregistry --repository {REPO}",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn az_and_acr_repository_commands_agree() {
    let Some(bin) = az_binary() else { return };
    let Some(skopeo) = client("skopeo") else {
        return;
    };
    let reg = Reg::start().await;
    let tools = Tools::new(&reg).await;
    let (user, secret) = reg.sp();
    let creds = format!("{user}:{secret}");
    let certs = tools.path("certdir");
    for target in [
        "samples/hello-world:v1",
        "samples/hello-world:latest",
        "other/app:1.0",
        "mutaz/app:v1",
        "mutacr/app:v1",
    ] {
        let run = tools
            .run(
                &skopeo,
                &[
                    "copy",
                    "--dest-creds",
                    &creds,
                    "--dest-cert-dir",
                    &certs,
                    &format!("oci:{}:v1", tools.path("oci/hello")),
                    &format!("docker://{}", tools.image(target)),
                ],
            )
            .await;
        assert!(run.ok, "skopeo push {target}: {}", run.stderr);
    }
    let auth = Auth::Basic(&user, &secret);
    for repo in ["samples/hello-world", "mutaz/app", "mutacr/app"] {
        reg.push_image(auth, repo, "v2", "second").await;
    }
    let password = reg
        .token(
            "reader",
            &[
                "repositories/samples/hello-world/metadata/read",
                "repositories/samples/hello-world/content/read",
            ],
        )
        .await;

    let az = Az::login(bin, &reg.e.env, Login::ServicePrincipal).await;
    let acr = Acr::for_env(&reg.e.env);
    let norm = Normaliser::new();
    let timestamp = Regex::new(r"(?m)^ERROR: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ").unwrap();
    let correlation = Regex::new(r"Correlation ID: [0-9a-f-]+\.").unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    let lines = READ_ONLY
        .iter()
        .map(|l| (l.replace("{PASSWORD}", &password), None))
        .chain(MUTATING.iter().map(|l| (l.to_string(), Some(()))));
    for (line, mutating) in lines {
        count += 1;
        let (az_line, acr_line) = match mutating {
            Some(()) => (
                line.replace("{REPO}", "mutaz/app"),
                line.replace("{REPO}", "mutacr/app"),
            ),
            None => (line.clone(), line.clone()),
        };
        let az_args: Vec<String> = std::iter::once("acr".to_owned())
            .chain(crate::support::split(&az_line))
            .collect();
        let a = az.run(az_args).await;
        let b = acr.run(&acr_line).await;
        let clean = |text: &str, repo: &str| {
            let text = norm.apply(text, &reg.e.env);
            let text = if mutating.is_some() {
                text.replace(repo, "<REPO>")
            } else {
                text
            };
            let text = timestamp.replace_all(&text, "ERROR: ").into_owned();
            correlation
                .replace_all(&text, "Correlation ID: <ID>.")
                .into_owned()
        };
        let (a_out, b_out) = (
            clean(&a.stdout, "mutaz/app"),
            clean(&b.stdout, "mutacr/app"),
        );
        let (a_err, mut b_err) = (
            clean(&a.stderr, "mutaz/app"),
            clean(&b.stderr, "mutacr/app"),
        );
        // The one deliberate stderr difference: acr names the permission a refusal lacks.
        b_err = b_err
            .lines()
            .filter(|l| !l.starts_with("The credentials used do not grant "))
            .map(|l| format!("{l}\n"))
            .collect();
        // Argument errors end with randomly chosen examples in az: compare the first line.
        let first = |t: &str| t.lines().next().unwrap_or_default().to_owned();
        let stderr_same = if a.code == 2 {
            first(&a_err) == first(&b_err)
        } else {
            a_err == b_err
        };
        if a.code != b.code || a_out != b_out || !stderr_same {
            failures.push(format!(
                "{line}\n  az  exit {}:\n{a_out}{a_err}\n  acr exit {}:\n{b_out}{b_err}",
                a.code, b.code
            ));
        }
    }
    assert!(count >= 40, "{count} lines");
    assert!(
        failures.is_empty(),
        "{} of {count} lines differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
