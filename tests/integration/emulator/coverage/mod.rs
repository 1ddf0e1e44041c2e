//! The coverage map: every path and method of the 2025-04-01 management swagger and of the
//! 2021-07-01 data-plane swagger is probed against an in-process emulator and classified as
//! served or not emulated (ARM `404 InvalidResourceType` / `405 MethodNotAllowed`, OCI `405
//! UNSUPPORTED` / `404 NOT_FOUND`, each in its wire format's error envelope). The result is
//! `docs/emulator-coverage.md`, compared byte for byte (`UPDATE_GENERATED=1` rewrites it).
//! The operations the token, scope-map and repository commands use must be served.

use std::path::Path;

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Emu, Resp};

mod render;

const MGMT: &str = "tests/data/azure-specs/mgmt-2025-04-01/containerregistry.json";
const DATA: &str = "tests/data/azure-specs/dataplane-2021-07-01/containerregistry.json";
const DOC: &str = "docs/emulator-coverage.md";
pub(super) const REG: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}";

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
pub(super) enum Verdict {
    Served,
    NotEmulated(u16, String),
}

impl Verdict {
    pub(super) fn cell(&self) -> String {
        match self {
            Verdict::Served => "served".to_string(),
            Verdict::NotEmulated(s, c) => format!("not emulated ({s} `{c}`)"),
        }
    }
}

pub(super) struct Probe {
    pub operation: String,
    pub method: String,
    pub path: String,
    pub verdict: Verdict,
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

    let out = render::document(&mgmt, &data, &beyond);

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
