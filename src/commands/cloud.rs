//! `acr cloud list|show|register|set`: az's cloud commands over acr's configuration, with
//! endpoint discovery from a Resource Manager's metadata endpoint and a CA bundle per cloud.

use serde_json::{Map, Value, json};

use crate::api::cloud;
use crate::cli::cloud::{CloudCommand, CloudRegisterArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Output;

pub async fn run(ctx: &mut Context, command: CloudCommand) -> Result<Output> {
    match command {
        CloudCommand::List(_) => Ok(Output::value(Value::Array(cloud::all(&ctx.config)))),
        CloudCommand::Show(args) => {
            let name = args.name.unwrap_or_else(|| {
                ctx.cloud()
                    .map(|c| c.name)
                    .unwrap_or_else(|_| cloud::active_name(&ctx.config))
            });
            let found = cloud::all(&ctx.config).into_iter().find(|c| {
                c.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(&name))
            });
            found
                .map(Output::value)
                .ok_or_else(|| Error::cli(format!("The cloud '{name}' is not registered.")))
        }
        CloudCommand::Set(args) => {
            let name = args.name.unwrap_or_default();
            let found = cloud::find(&ctx.config, &name)
                .ok_or_else(|| Error::cli(format!("The cloud '{name}' is not registered.")))?;
            ctx.config.set("cloud", "name", &found.name)?;
            Ok(Output::none())
        }
        CloudCommand::Register(args) => register(ctx, args).await.map(|()| Output::none()),
    }
}

async fn register(ctx: &mut Context, args: CloudRegisterArgs) -> Result<()> {
    let name = args.name.clone().unwrap_or_default();
    if cloud::find(&ctx.config, &name).is_some() {
        return Err(Error::cli(format!(
            "The cloud '{name}' is already registered."
        )));
    }
    let mut endpoints = Map::new();
    let mut acr_suffix = args.suffix_acr_login_server_endpoint.clone();
    if let (Some(arm), false) = (
        &args.endpoint_resource_manager,
        args.skip_endpoint_discovery,
    ) {
        let discovered = discover(arm, args.ca_bundle.as_deref()).await?;
        endpoints = discovered.0;
        acr_suffix = acr_suffix.or(discovered.1);
    }
    for (key, value) in [
        ("resourceManager", &args.endpoint_resource_manager),
        ("activeDirectory", &args.endpoint_active_directory),
        (
            "activeDirectoryResourceId",
            &args.endpoint_active_directory_resource_id,
        ),
    ] {
        if let Some(value) = value {
            endpoints.insert(key.to_owned(), Value::String(value.clone()));
        }
    }
    if !endpoints.contains_key("management")
        && let Some(id) = endpoints.get("activeDirectoryResourceId").cloned()
    {
        endpoints.insert("management".to_owned(), id);
    }
    let missing: Vec<&str> = [
        ("activeDirectory", "--endpoint-active-directory"),
        (
            "activeDirectoryResourceId",
            "--endpoint-active-directory-resource-id",
        ),
        ("resourceManager", "--endpoint-resource-manager"),
    ]
    .iter()
    .filter(|(key, _)| !endpoints.contains_key(*key))
    .map(|(_, flag)| *flag)
    .collect();
    if !missing.is_empty() {
        return Err(Error::cli(format!(
            "The following endpoints are required for the CLI to function and were not specified on the command line, in the cloud config or could not be autodetected.\nSpecify them on the command line or through the cloud config file:\n{}",
            missing.join("\n")
        )));
    }
    let acr_suffix = acr_suffix.map(|s| {
        if s.starts_with('.') || s.starts_with(':') {
            s
        } else {
            format!(".{s}")
        }
    });
    let ca_bundle = match &args.ca_bundle {
        Some(path) => Some(
            std::fs::canonicalize(path)
                .map_err(|e| Error::cli(format!("Cannot read the CA bundle '{path}': {e}")))?
                .display()
                .to_string(),
        ),
        None => None,
    };
    cloud::register(
        &ctx.config,
        cloud::document(
            &name,
            endpoints,
            acr_suffix.as_deref(),
            ca_bundle.as_deref(),
        ),
    )
}

/// `GET {arm}/metadata/endpoints?api-version=2022-09-01`, az's endpoint discovery.
async fn discover(
    arm: &str,
    ca_bundle: Option<&str>,
) -> Result<(Map<String, Value>, Option<String>)> {
    let http = crate::api::http::client(ca_bundle.map(std::path::Path::new))?;
    let url = format!(
        "{}/metadata/endpoints?api-version=2022-09-01",
        arm.trim_end_matches('/')
    );
    let failed = |detail: String| {
        Error::cli(format!(
            "Unable to get endpoints from the cloud.\nPlease ensure you have network connection. Error detail: {detail}"
        ))
    };
    let response = http
        .get(&url)
        .send()
        .await
        .map_err(|e| failed(format!("{e:#}")))?;
    if !response.status().is_success() {
        return Err(failed(format!(
            "HTTP {} from {url}",
            response.status().as_u16()
        )));
    }
    let metadata: Value = response.json().await.map_err(|e| failed(e.to_string()))?;
    let text = |pointer: &str| {
        metadata
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut endpoints = Map::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            endpoints.insert(key.to_owned(), Value::String(v));
        }
    };
    put("resourceManager", text("/resourceManager"));
    put(
        "activeDirectory",
        text("/authentication/loginEndpoint").map(|s| s.trim_end_matches('/').to_owned()),
    );
    put(
        "activeDirectoryResourceId",
        text("/authentication/audiences/0"),
    );
    put("management", text("/authentication/audiences/0"));
    put("gallery", text("/gallery"));
    put("portal", text("/portal"));
    put(
        "microsoftGraphResourceId",
        text("/microsoftGraphResourceId"),
    );
    let suffix = text("/suffixes/acrLoginServer");
    Ok((
        endpoints,
        suffix.map(|s| json!(s).as_str().unwrap_or_default().to_owned()),
    ))
}
