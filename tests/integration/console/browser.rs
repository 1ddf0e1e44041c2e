//! The console in a real browser: `tests/console/driver.mjs` (playwright-core driving
//! Debian's `/usr/bin/chromium`, axe-core injected into every page) performs the portal steps
//! of the documentation's Chinese edition in order; after each step it stops and this test
//! checks the step with `acr` (`token show`, `scope-map show`, …) and skopeo against the
//! emulator's registry (`steps`). At the end every page must have had no axe violation and no
//! sideways scroll at 320 CSS pixels. Screenshots of the main pages go to `docs/console/` with
//! `UPDATE_GENERATED=1`, else to a scratch directory (pixels differ with fonts, so they are
//! never compared; the checked-in files must exist).
//!
//! node, chromium, skopeo and the driver's `node_modules` (`npm ci` in `tests/console`) are
//! required under `ACR_REQUIRE_AZ=1` (CI); elsewhere a missing one skips with `skipped:`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use super::steps::Checker;
use crate::support::clients::{Tools, client};
use crate::support::{Acr, Reg};

/// The main pages' screenshots the driver writes (checked in under `docs/console/`).
const SHOTS: &[&str] = &[
    "registries",
    "tokens",
    "token-create",
    "token",
    "password-generated",
    "scope-maps",
    "scope-map",
    "repository",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The driver's npm packages, or `None` (skipped) when `npm ci` was not run.
fn node_modules() -> Option<PathBuf> {
    let dir = root().join("tests/console/node_modules");
    if dir.join("playwright-core").is_dir() && dir.join("axe-core").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("ACR_REQUIRE_AZ").as_deref() != Ok("1"),
        "ACR_REQUIRE_AZ=1 but tests/console/node_modules is missing (run `npm ci` there)"
    );
    println!("skipped: tests/console/node_modules is missing (run `npm ci` in tests/console)");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chinese_editions_portal_steps_in_chromium() {
    let (Some(node), Some(chromium), Some(skopeo), Some(_)) = (
        client("node"),
        client("chromium"),
        client("skopeo"),
        node_modules(),
    ) else {
        return;
    };
    let r = Reg::start().await;
    let tools = Tools::new(&r).await;
    let acr = Acr::new(&r.e);
    let scratch = tempfile::tempdir().unwrap();
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    let shots = if update {
        root().join("docs/console")
    } else {
        scratch.path().to_path_buf()
    };
    let server_cert = Path::new(&r.e.env.ca_certificate).with_file_name("server.pem");

    let mut child = tokio::process::Command::new(node)
        .arg(root().join("tests/console/driver.mjs"))
        .env("CONSOLE_URL", &r.e.env.console_url)
        .env("SERVER_CERT", &server_cert)
        .env("REGISTRY", "myregistry")
        .env("SHOTS", &shots)
        .env("CHROMIUM", chromium)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node starts");
    let mut stdin = Some(child.stdin.take().unwrap());
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut checker = Checker::new(&r, &acr, &tools, skopeo);
    let mut done = None;
    loop {
        let line = tokio::time::timeout(Duration::from_secs(180), lines.next_line())
            .await
            .expect("the driver went quiet for 3 minutes")
            .expect("the driver's output");
        let Some(line) = line else { break };
        if let Some(json) = line.strip_prefix("STEP ") {
            let step: Value = serde_json::from_str(json).unwrap();
            checker.check(&step).await;
            let pipe = stdin.as_mut().expect("a step after the end");
            pipe.write_all(b"{\"ok\":true}\n").await.unwrap();
            pipe.flush().await.unwrap();
        } else if let Some(json) = line.strip_prefix("DONE ") {
            done = Some(serde_json::from_str::<Value>(json).unwrap());
            stdin = None;
        } else if let Some(json) = line.strip_prefix("FAIL ") {
            panic!("the browser driver failed: {json}");
        } else {
            println!("driver: {line}");
        }
    }
    let status = child.wait().await.unwrap();
    assert!(status.success(), "the driver exited with {status}");
    let done = done.expect("the driver finished");
    assert_eq!(
        checker.steps(),
        super::steps::ORDER,
        "the portal steps, in order"
    );

    // Accessibility, per page.
    let audits = done["audits"].as_object().expect("audits");
    println!("axe-core 4.14.1 and the 320px reflow check, per page:");
    let mut failures = Vec::new();
    for (page, a) in audits {
        let violations = a["violations"].as_array().unwrap();
        println!(
            "  {page:<36} {:<52} axe runs {} violations {} overflow at 320px {}px",
            a["path"].as_str().unwrap(),
            a["runs"],
            violations.len(),
            a["overflow320"]
        );
        if !violations.is_empty() || a["overflow320"].as_i64() != Some(0) {
            failures.push(format!("{page}: {a}"));
        }
    }
    assert!(audits.len() >= 20, "pages audited: {}", audits.len());
    assert!(
        failures.is_empty(),
        "accessibility failures:\n{failures:#?}"
    );

    // Screenshots: written by this run, and checked in.
    for name in SHOTS {
        for dir in [&shots, &root().join("docs/console")] {
            let file = dir.join(format!("{name}.png"));
            let bytes =
                std::fs::read(&file).unwrap_or_else(|_| panic!("{} missing", file.display()));
            assert!(
                bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000,
                "{} is not a screenshot",
                file.display()
            );
        }
    }
}
