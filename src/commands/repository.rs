//! `acr repository`: list, show, show-tags, show-manifests, update, untag and delete against a
//! registry's data plane, with az's scopes, paging, 405 fallback, prompts and output.

use serde_json::{Value, json};

use super::data_plane::{connect, credentials};
use super::shared::confirm_or_cancel;
use crate::api::registry::{Attributes, Page, Registry, Scope};
use crate::cli::parse::given;
use crate::cli::repository::{
    OrderBy, RepositoryCommand, RepositoryDeleteArgs, RepositoryListArgs, RepositoryOrImage,
    RepositoryShowArgs, RepositoryShowTagsArgs, RepositoryUntagArgs, RepositoryUpdateArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output::Output;
use crate::resolve::image::{self, Image};

pub async fn run(ctx: &mut Context, command: RepositoryCommand) -> Result<Output> {
    match command {
        RepositoryCommand::List(args) => list(ctx, args).await,
        RepositoryCommand::ShowTags(args) => show_tags(ctx, args).await,
        RepositoryCommand::ShowManifests(args) => show_manifests(ctx, args).await,
        RepositoryCommand::Show(args) => show(ctx, args).await,
        RepositoryCommand::Update(args) => update(ctx, args).await,
        RepositoryCommand::Untag(args) => untag(ctx, args).await,
        RepositoryCommand::Delete(args) => delete(ctx, args).await,
    }
}

/// `--top` and `--orderby` of `show-tags` and `show-manifests`.
fn page(args: &RepositoryShowTagsArgs) -> Page<'static> {
    Page {
        top: args.top,
        orderby: args.orderby.map(|o| match o {
            OrderBy::TimeAsc => "timeasc",
            OrderBy::TimeDesc => "timedesc",
        }),
    }
}

async fn list(ctx: &mut Context, args: RepositoryListArgs) -> Result<Output> {
    let creds = credentials(ctx, &args.login, true)?;
    let (registry, _) = connect(ctx, &creds.login(), Some(Scope::Catalog)).await?;
    let names = registry.catalog(args.top).await?;
    Ok(Output::value(Value::Array(names)))
}

async fn show_tags(ctx: &mut Context, args: RepositoryShowTagsArgs) -> Result<Output> {
    let creds = credentials(ctx, &args.login, true)?;
    let repository = given(&args.repository);
    let scope = Scope::repository(&repository, "metadata_read");
    let (registry, _) = connect(ctx, &creds.login(), Some(scope)).await?;
    let tags = match registry.tags(&repository, page(&args)).await {
        Ok(tags) => tags,
        Err(Error::Registry {
            status: Some(405), ..
        }) => {
            for (used, flag) in [
                (args.detail, "--detail"),
                (args.top.is_some_and(|t| t != 0), "--top"),
                (args.orderby.is_some(), "--orderby"),
            ] {
                if used {
                    ctx.warn(&format!("The specified {flag} is ignored as it is only supported for managed registries."));
                }
            }
            let names = registry.tag_names(&repository).await?;
            return Ok(Output::value(Value::Array(names)));
        }
        Err(e) => return Err(e),
    };
    if args.detail {
        return Ok(Output::value(Value::Array(tags)));
    }
    Ok(Output::value(Value::Array(
        tags.iter()
            .map(|t| t.get("name").cloned().unwrap_or(Value::Null))
            .collect(),
    )))
}

async fn show_manifests(ctx: &mut Context, args: RepositoryShowTagsArgs) -> Result<Output> {
    ctx.warn("This command has been deprecated and will be removed in a future release. Use 'acr manifest list-metadata' instead.");
    let creds = credentials(ctx, &args.login, true)?;
    let repository = given(&args.repository);
    let scope = Scope::repository(&repository, "metadata_read");
    let (registry, _) = connect(ctx, &creds.login(), Some(scope)).await?;
    let manifests = registry.manifests(&repository, page(&args)).await?;
    if args.detail {
        return Ok(Output::value(Value::Array(manifests)));
    }
    let brief = manifests
        .iter()
        .map(|m| {
            json!({
                "digest": m.get("digest").cloned().unwrap_or(json!("")),
                "tags": m.get("tags").cloned().unwrap_or(json!([])),
                "timestamp": m.get("lastUpdateTime").cloned().unwrap_or(json!("")),
            })
        })
        .collect();
    Ok(Output::value(Value::Array(brief)))
}

/// What `show`/`update` address for `--repository` or `--image`.
fn attributes_target(target: &RepositoryOrImage) -> Result<Attributes> {
    if target.repository.as_deref().is_some_and(|r| !r.is_empty())
        == target.image.as_deref().is_some_and(|i| !i.is_empty())
    {
        return Err(Error::cli(
            "Usage error: You need to provide either --image IMAGE | --repository REPOSITORY, but not both",
        ));
    }
    match &target.image {
        Some(image) if !image.is_empty() => match image::parse(image, true)? {
            Image::Tag { repository, tag } => Ok(Attributes::Tag { repository, tag }),
            Image::Digest { repository, digest } => Ok(Attributes::Manifest { repository, digest }),
        },
        _ => Ok(Attributes::Repository(
            target.repository.clone().unwrap_or_default(),
        )),
    }
}

async fn show(ctx: &mut Context, args: RepositoryShowArgs) -> Result<Output> {
    let creds = credentials(ctx, &args.login, true)?;
    let target = attributes_target(&args.target)?;
    let scope = Scope::repository(target.repository(), "metadata_read");
    let (registry, _) = connect(ctx, &creds.login(), Some(scope)).await?;
    Ok(Output {
        value: registry.attributes(&target).await?,
        transformer: None,
        failure: None,
    })
}

async fn update(ctx: &mut Context, args: RepositoryUpdateArgs) -> Result<Output> {
    let creds = credentials(ctx, &args.login, true)?;
    let mut payload = serde_json::Map::new();
    for (key, value) in [
        ("deleteEnabled", args.delete_enabled),
        ("listEnabled", args.list_enabled),
        ("readEnabled", args.read_enabled),
        ("writeEnabled", args.write_enabled),
    ] {
        if let Some(v) = value {
            payload.insert(key.to_owned(), Value::Bool(v));
        }
    }
    let target = attributes_target(&args.target)?;
    let actions = if payload.is_empty() {
        "metadata_read"
    } else {
        "metadata_write,metadata_read"
    };
    let (registry, _) = connect(
        ctx,
        &creds.login(),
        Some(Scope::repository(target.repository(), actions)),
    )
    .await?;
    // az-compat: without attribute flags az GETs the attributes (with an empty JSON body).
    let value = if payload.is_empty() {
        registry.attributes(&target).await?
    } else {
        registry.update_attributes(&target, &payload).await?
    };
    Ok(Output {
        value,
        transformer: None,
        failure: None,
    })
}

async fn untag(ctx: &mut Context, args: RepositoryUntagArgs) -> Result<Output> {
    let creds = credentials(ctx, &args.login, true)?;
    let image = given(&args.image);
    let Image::Tag { repository, tag } = image::parse(&image, false)? else {
        return Err(Error::cli(image::TAG_FORMAT));
    };
    let scope = Scope::repository(&repository, "delete");
    let (registry, _) = connect(ctx, &creds.login(), Some(scope)).await?;
    Ok(Output {
        value: registry.untag(&repository, &tag).await?,
        transformer: None,
        failure: None,
    })
}

async fn delete(ctx: &mut Context, args: RepositoryDeleteArgs) -> Result<Output> {
    let creds = credentials(ctx, &args.login, true)?;
    let target = &args.target;
    if target.repository.as_deref().is_some_and(|r| !r.is_empty())
        == target.image.as_deref().is_some_and(|i| !i.is_empty())
    {
        return Err(Error::cli(
            "Usage error: You need to provide either --image IMAGE | --repository REPOSITORY, but not both",
        ));
    }
    let image = match &target.image {
        Some(image) if !image.is_empty() => Some(image::parse(image, true)?),
        _ => None,
    };
    let repository = match &image {
        Some(Image::Tag { repository, .. } | Image::Digest { repository, .. }) => {
            repository.clone()
        }
        None => target.repository.clone().unwrap_or_default(),
    };
    let scope = Scope::repository(&repository, "delete,metadata_read");
    let (registry, _) = connect(ctx, &creds.login(), Some(scope)).await?;
    let value = match image {
        Some(image) => {
            let digest =
                manifest_confirmation(ctx, &registry, &repository, image, args.yes.yes).await?;
            registry.delete_manifest(&repository, &digest).await?
        }
        None => {
            confirm_or_cancel(
                ctx,
                &format!(
                    "Are you sure you want to delete the repository '{repository}' and all images under it?"
                ),
                args.yes.yes,
            )?;
            registry.delete_repository(&repository).await?
        }
    };
    Ok(Output {
        value,
        transformer: None,
        failure: None,
    })
}

/// The digest an image names, and az's warning or prompt listing every tag that goes with it.
async fn manifest_confirmation(
    ctx: &mut Context,
    registry: &Registry,
    repository: &str,
    image: Image,
    yes: bool,
) -> Result<String> {
    let digest = match image {
        Image::Digest { digest, .. } => digest,
        Image::Tag { tag, .. } => {
            let tag_info = registry.tag(repository, &tag).await?;
            match tag_info
                .get("digest")
                .and_then(Value::as_str)
                .filter(|d| !d.is_empty())
            {
                Some(d) => d.to_owned(),
                None => {
                    return Err(Error::cli(format!(
                        "Could not get the manifest digest for image '{repository}:{tag}'."
                    )));
                }
            }
        }
    };
    let tags = registry.tags(repository, Page::default()).await?;
    let images: Vec<String> = tags
        .iter()
        .filter(|t| t.get("digest").and_then(Value::as_str) == Some(digest.as_str()))
        .filter_map(|t| {
            t.get("name").map(|n| {
                format!(
                    "'{repository}:{}'",
                    n.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| n.to_string())
                )
            })
        })
        .collect();
    let mut message = format!("This operation will delete the manifest '{digest}'");
    if !images.is_empty() {
        message.push_str(&format!(
            " and all the following images: {}",
            images.join(", ")
        ));
    }
    if yes {
        ctx.warn(&message);
    } else {
        confirm_or_cancel(
            ctx,
            &format!("{message}.\nAre you sure you want to continue?"),
            false,
        )?;
    }
    Ok(digest)
}
