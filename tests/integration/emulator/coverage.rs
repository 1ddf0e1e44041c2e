//! The coverage map: every path and method of the 2025-04-01 management swagger and of the
//! 2021-07-01 data-plane swagger is probed against an in-process emulator and classified as
//! served or not emulated (ARM `404 InvalidResourceType` / `405 MethodNotAllowed`, OCI `405
//! UNSUPPORTED` / `404 NOT_FOUND`, each in its wire format's error envelope). The result is
//! `docs/emulator-coverage.md`, compared byte for byte (`UPDATE_GENERATED=1` rewrites it).
//! The operations the token, scope-map and repository commands use must be served.

use std::fmt::Write as _;
use std::path::Path;

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Emu, Resp};

const MGMT: &str = "tests/data/azure-specs/mgmt-2025-04-01/containerregistry.json";
const DATA: &str = "tests/data/azure-specs/dataplane-2021-07-01/containerregistry.json";
const DOC: &str = "docs/emulator-coverage.md";
const REG: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}";

/// What `acr token|scope-map|repository` (and az's) use: each must be served.
const USED_BY_COMMANDS: &[&str] = &[
    "Registries_Get",
    "Registries_GenerateCredentials",
    "Tokens_List",
    "Tokens_Get",
    "Tokens_Create",
    "Tokens_Update",
    "Tokens_Delete",
    "ScopeMaps_List",
    "ScopeMaps_Get",
    "ScopeMaps_Create",
    "ScopeMaps_Update",
    "ScopeMaps_Delete",
    "ContainerRegistry_CheckDockerV2Support",
    "ContainerRegistry_GetManifest",
    "ContainerRegistry_DeleteManifest",
    "ContainerRegistry_GetRepositories",
    "ContainerRegistry_GetProperties",
    "ContainerRegistry_DeleteRepository",
    "ContainerRegistry_UpdateProperties",
    "ContainerRegistry_GetTags",
    "ContainerRegistry_GetTagProperties",
    "ContainerRegistry_UpdateTagAttributes",
    "ContainerRegistry_DeleteTag",
    "ContainerRegistry_GetManifests",
    "ContainerRegistry_GetManifestProperties",
    "ContainerRegistry_UpdateManifestProperties",
    "Authentication_ExchangeAadAccessTokenForAcrRefreshToken",
    "Authentication_ExchangeAcrRefreshTokenForAcrAccessToken",
    "Authentication_GetAcrAccessTokenFromLogin",
];

/// Routes the emulator serves that no swagger operation describes, probed like the others.
const BEYOND: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/subscriptions",
        "Microsoft.Resources: subscriptions (az account, acr discovery)",
    ),
    (
        "GET",
        "/subscriptions/{subscriptionId}",
        "Microsoft.Resources: one subscription",
    ),
    (
        "GET",
        "/subscriptions/{subscriptionId}/resources",
        "Microsoft.Resources: generic resources `$filter` (az's registry lookup)",
    ),
    (
        "GET",
        "/subscriptions/{subscriptionId}/resourcegroups",
        "Microsoft.Resources: resource groups",
    ),
    (
        "GET",
        "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}",
        "Microsoft.Resources: one resource group",
    ),
    (
        "GET",
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources",
        "Microsoft.Resources: resources of a group",
    ),
    (
        "GET",
        "REG/operationStatuses/{operationId}",
        "`Azure-AsyncOperation` of registry operations",
    ),
    (
        "GET",
        "REG/tokens/{tokenName}/operationStatuses/{operationId}",
        "`Azure-AsyncOperation` of token operations",
    ),
    (
        "GET",
        "REG/scopeMaps/{scopeMapName}/operationStatuses/{operationId}",
        "`Azure-AsyncOperation` of scope-map operations",
    ),
    (
        "GET",
        "REG/operationResults/{operationId}",
        "`Location` of asynchronous DELETE and POST answers",
    ),
];

#[derive(Clone, Debug, PartialEq, Eq)]
enum Verdict {
    Served,
    NotEmulated(u16, String),
}

impl Verdict {
    fn cell(&self) -> String {
        match self {
            Verdict::Served => "served".to_string(),
            Verdict::NotEmulated(s, c) => format!("not emulated ({s} `{c}`)"),
        }
    }
}

struct Probe {
    operation: String,
    method: String,
    path: String,
    verdict: Verdict,
}

fn load(rel: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(root.join(rel)).unwrap()).unwrap()
}

/// (operationId, METHOD, path) of every operation in a swagger's `paths` (and `x-ms-paths`).
fn operations(swagger: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for section in ["paths", "x-ms-paths"] {
        for (path, ops) in swagger[section].as_object().into_iter().flatten() {
            for (method, op) in ops.as_object().into_iter().flatten() {
                if method == "parameters" {
                    continue;
                }
                let id = op["operationId"].as_str().unwrap_or("?").to_string();
                out.push((id, method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// A concrete path for a management template: the emulator's subscription and group, and a
/// registry that does not exist, so that no probe changes anything.
fn mgmt_path(e: &Emu, template: &str) -> String {
    let mut p = template.replace("REG/", &format!("{REG}/"));
    if p == "REG" {
        p = REG.to_string();
    }
    p.replace("{subscriptionId}", e.sub())
        .replace("{resourceGroupName}", "myresourcegroup")
        .replace("{registryName}", "coverageprobe")
        .replace(
            "{operationId}",
            "tokens-00000000-0000-0000-0000-000000000000",
        )
        .replace(['{', '}'], "")
}

async fn probe_mgmt(e: &Emu, method: &str, template: &str) -> Verdict {
    let path = mgmt_path(e, template);
    let body = matches!(method, "PUT" | "PATCH" | "POST").then(|| json!({}));
    let sep = if path.contains('?') { '&' } else { '?' };
    let r = e
        .arm(method, &format!("{path}{sep}api-version=2025-04-01"), body)
        .await;
    let code = r.body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    match (r.status.as_u16(), code.as_str()) {
        (404, "InvalidResourceType") | (405, "MethodNotAllowed") => {
            r.arm_error(r.status.as_u16(), &code);
            Verdict::NotEmulated(r.status.as_u16(), code)
        }
        (404, "NotFound") => panic!(
            "{method} {path}: a bare not-found for a swagger path: {}",
            r.body
        ),
        (s, _) => {
            assert!(s < 500, "{method} {path}: {s} {}", r.body);
            if s >= 400 {
                // Served, and refused in ARM's envelope (the probe sends no real input).
                r.arm_error(s, &code);
            }
            Verdict::Served
        }
    }
}

fn data_path(template: &str) -> (String, Option<String>) {
    let (path, query) = match template.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (template.to_string(), None),
    };
    let digest = format!("sha256:{}", "0".repeat(64));
    // A manifest reference is a digest: by tag, DELETE is refused (405 UNSUPPORTED, as ACR
    // does), which would read as "not emulated".
    let reference = if path.contains("/manifests/") {
        digest.as_str()
    } else {
        "latest"
    };
    let path = path
        .replace(
            "{nextBlobUuidLink}",
            "v2/coverage/probe/blobs/uploads/00000000-0000-0000-0000-000000000000",
        )
        .replace("{name}", "coverage/probe")
        .replace("{reference}", reference)
        .replace("{digest}", &digest);
    (path, query)
}

async fn probe_data(e: &Emu, method: &str, template: &str) -> Verdict {
    let login = &e.env.registries[0].login_server;
    let (path, query) = data_path(template);
    let mut url = format!("https://{login}{path}");
    if let Some(q) = query {
        url = format!("{url}?{q}");
    }
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", e.env.client_id, e.env.client_secret));
    let mut req = e
        .http
        .request(Method::from_bytes(method.as_bytes()).unwrap(), &url);
    if !path.starts_with("/oauth2/") {
        req = req.header("Authorization", format!("Basic {basic}"));
    }
    if method == "PATCH" && path.starts_with("/acr/v1/") {
        req = req.json(&json!({}));
    }
    let r = Resp::read(req.send().await.unwrap()).await;
    let code = r.body["errors"][0]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let status = r.status.as_u16();
    assert!(status < 500, "{method} {url}: {status} {}", r.body);
    if status >= 400 && method != "HEAD" && !path.starts_with("/oauth2/") {
        assert!(
            !code.is_empty(),
            "{method} {url}: {status} without the OCI envelope: {}",
            r.body
        );
    }
    match (status, code.as_str()) {
        (405, "UNSUPPORTED") | (404, "NOT_FOUND") => Verdict::NotEmulated(status, code),
        _ => Verdict::Served,
    }
}

fn table(out: &mut String, probes: &[Probe]) {
    out.push_str("| operation | method | path | emulator |\n|---|---|---|---|\n");
    for p in probes {
        let path = p.path.replace(REG, "REG");
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} |",
            p.operation,
            p.method,
            path,
            p.verdict.cell()
        );
    }
}

fn summary(probes: &[Probe]) -> (usize, usize) {
    let served = probes
        .iter()
        .filter(|p| p.verdict == Verdict::Served)
        .count();
    (served, probes.len() - served)
}

fn models_section(out: &mut String) {
    use acr::emulator::request_models as m;
    out.push_str("## Request models\n\nWhat the emulator accepts in request bodies, per swagger definition and api-version \
        (`src/emulator/management/models.rs`, checked against the definitions of every version in \
        `tests/data/azure-specs/definitions/`). *Accepted* members are the swagger's writable ones; \
        *ignored* ones are read-only members a client may echo from a GET; *extras* are tolerated beyond the \
        definition, each for the reason given. Any other member is refused with `400 InvalidRequestContent`.\n\n");
    out.push_str("| model | api-versions | accepted | ignored (read-only) | extras |\n|---|---|---|---|---|\n");
    let all = m::all();
    // Group identical models (the same constant) across versions, keeping the order of first use.
    let mut rows: Vec<(&m::Model, Vec<&str>)> = Vec::new();
    for (version, model) in &all {
        match rows.iter_mut().find(|(r, _)| std::ptr::eq(*r, *model)) {
            Some((_, vs)) => vs.push(version),
            None => rows.push((model, vec![version])),
        }
    }
    // Extras share a few reasons: each reason is a numbered note below the table.
    let mut reasons: Vec<&str> = Vec::new();
    for (model, versions) in rows {
        let list = |xs: &[&str]| {
            if xs.is_empty() {
                "–".to_string()
            } else {
                xs.iter()
                    .map(|x| format!("`{x}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let mut extras: Vec<(usize, Vec<&str>)> = Vec::new();
        for e in model.extra {
            let n = match reasons.iter().position(|r| *r == e.reason) {
                Some(i) => i + 1,
                None => {
                    reasons.push(e.reason);
                    reasons.len()
                }
            };
            match extras.iter_mut().find(|(k, _)| *k == n) {
                Some((_, ms)) => ms.push(e.member),
                None => extras.push((n, vec![e.member])),
            }
        }
        let extras = if extras.is_empty() {
            "–".to_string()
        } else {
            extras
                .iter()
                .map(|(n, ms)| format!("{} ({n})", list(ms)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let versions = if versions.len() == m::API_VERSIONS.len() {
            "all".to_string()
        } else {
            versions.join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            model.name,
            versions,
            list(model.writable),
            list(model.read_only),
            extras
        );
    }
    out.push('\n');
    for (i, r) in reasons.iter().enumerate() {
        let _ = writeln!(out, "({}) {}.  ", i + 1, r[..1].to_uppercase() + &r[1..]);
    }
    let _ = writeln!(
        out,
        "\nEnums checked (`400 InvalidRequestContent` outside them):\n"
    );
    for (model, member, values) in m::ENUMS {
        let _ = writeln!(out, "* `{model}.{member}`: {}", values.join(", "));
    }
}

#[tokio::test]
async fn coverage_map_is_current() {
    let e = Emu::start().await;
    let mut mgmt = Vec::new();
    for (operation, method, path) in operations(&load(MGMT)) {
        let verdict = probe_mgmt(&e, &method, &path).await;
        mgmt.push(Probe {
            operation,
            method,
            path,
            verdict,
        });
    }
    let mut data = Vec::new();
    for (operation, method, path) in operations(&load(DATA)) {
        let verdict = probe_data(&e, &method, &path).await;
        data.push(Probe {
            operation,
            method,
            path,
            verdict,
        });
    }
    let mut beyond = Vec::new();
    for (method, path, what) in BEYOND {
        let verdict = probe_mgmt(&e, method, path).await;
        assert_eq!(verdict, Verdict::Served, "{method} {path}");
        beyond.push(Probe {
            operation: what.to_string(),
            method: method.to_string(),
            path: path.replace("REG/", &format!("{REG}/")),
            verdict,
        });
    }
    for id in USED_BY_COMMANDS {
        let p = mgmt
            .iter()
            .chain(&data)
            .find(|p| p.operation == *id)
            .unwrap_or_else(|| panic!("{id} is not in the swaggers"));
        assert_eq!(
            p.verdict,
            Verdict::Served,
            "{id} ({} {}) must be served",
            p.method,
            p.path
        );
    }

    let (ms, mn) = summary(&mgmt);
    let (ds, dn) = summary(&data);
    let mut out = String::new();
    out.push_str("# Emulator coverage\n\n<!-- Generated by tests/integration/emulator/coverage.rs from the swaggers in tests/data/azure-specs/; \
        UPDATE_GENERATED=1 cargo nextest run coverage_map rewrites it. Do not edit. -->\n\n");
    out.push_str("Every path and method of the service's own API descriptions, probed against an in-process emulator \
        (a registry that does not exist, empty JSON bodies: nothing is changed). *Served* means the emulator routes the \
        operation to a handler (whose answer to the probe may well be a 400 or 404 in ARM's envelope); *not emulated* \
        means the emulator answers ARM's `404 InvalidResourceType` or `405 MethodNotAllowed` (data plane: OCI \
        `405 UNSUPPORTED`, `404 NOT_FOUND`) in the wire format's error envelope. `REG` is \
        `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}`.\n\n");
    let _ = writeln!(
        out,
        "## Management API (`Microsoft.ContainerRegistry` 2025-04-01): {ms} served, {mn} not emulated\n"
    );
    table(&mut out, &mgmt);
    let _ = writeln!(
        out,
        "\n## Data plane (2021-07-01: `/v2`, `/acr/v1`, `/oauth2`): {ds} served, {dn} not emulated\n"
    );
    table(&mut out, &data);
    out.push_str("\n## Served beyond the swaggers\n\n");
    table(&mut out, &beyond);
    out.push('\n');
    models_section(&mut out);

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join(DOC);
    let current = std::fs::read_to_string(&file).unwrap_or_default();
    if current != out {
        if std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1") {
            std::fs::write(&file, &out).unwrap();
        } else {
            panic!("{DOC} is stale (run with UPDATE_GENERATED=1)");
        }
    }
}
