//! `Microsoft.Resources` calls clients make before touching registries: the subscription list
//! (az's login), one subscription, resource groups, and the generic resources listing with its
//! OData `$filter` (az 2.91.0 finds a registry's resource group this way).

use axum::response::Response;
use serde_json::Value;

use super::{Ctx, ok, render};
use crate::emulator::error::ArmError;

pub async fn list(ctx: &Ctx) -> Result<Response, ArmError> {
    let body = serde_json::json!({
        "value": [render::subscription(&ctx.state.settings)],
        "count": {"type": "Total", "value": 1}
    });
    Ok(ok(body))
}

pub async fn get(ctx: &Ctx) -> Result<Response, ArmError> {
    Ok(ok(render::subscription(&ctx.state.settings)))
}

/// Every resource group, with its location.
async fn groups(ctx: &Ctx) -> Result<Vec<(String, String)>, ArmError> {
    ctx.state
        .store
        .run(|db| db.resource_groups())
        .await
        .map_err(ArmError::internal)
}

pub async fn resource_groups(ctx: &Ctx) -> Result<Response, ArmError> {
    let groups = groups(ctx).await?;
    let sub = ctx.state.settings.subscription_id.clone();
    ctx.page(
        groups
            .iter()
            .map(|(n, l)| render::resource_group(&sub, n, l))
            .collect(),
    )
}

pub async fn resource_group(ctx: &Ctx, rg: &str) -> Result<Response, ArmError> {
    let groups = groups(ctx).await?;
    let sub = &ctx.state.settings.subscription_id;
    groups
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(rg))
        .map(|(n, l)| ok(render::resource_group(sub, n, l)))
        .ok_or_else(|| {
            ArmError::not_found(
                "ResourceGroupNotFound",
                format!("Resource group '{rg}' could not be found."),
            )
        })
}

/// One `field eq 'value'` clause of an OData filter.
#[derive(Debug, PartialEq, Eq)]
pub struct Clause {
    pub field: String,
    pub value: String,
}

/// Parses `a eq 'x' and b eq 'y'` (the subset ARM clients send). Works on the remaining
/// text only (no offsets into the original string), so no input can slice inside a character.
pub fn parse_filter(filter: &str) -> Result<Vec<Clause>, String> {
    let mut out = Vec::new();
    let mut rest = filter.trim();
    while !rest.is_empty() {
        let (field, after) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("Invalid $filter '{filter}'."))?;
        let after = strip_keyword(after.trim_start(), "eq ")
            .ok_or_else(|| {
                format!("Invalid $filter '{filter}': only 'eq' comparisons are supported.")
            })?
            .trim_start();
        let after = after
            .strip_prefix('\'')
            .ok_or_else(|| format!("Invalid $filter '{filter}': values must be quoted."))?;
        let (value, after) = after
            .split_once('\'')
            .ok_or_else(|| format!("Invalid $filter '{filter}': unterminated string."))?;
        out.push(Clause {
            field: field.to_string(),
            value: value.to_string(),
        });
        rest = after.trim_start();
        if rest.is_empty() {
            break;
        }
        rest = strip_keyword(rest, "and ")
            .ok_or_else(|| {
                format!("Invalid $filter '{filter}': clauses must be joined with 'and'.")
            })?
            .trim_start();
    }
    Ok(out)
}

/// `s` after `keyword` (ASCII, compared case-insensitively), if it starts with it.
fn strip_keyword<'a>(s: &'a str, keyword: &str) -> Option<&'a str> {
    let head = s.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword)
        .then(|| s.get(keyword.len()..))
        .flatten()
}

pub async fn resources(ctx: &Ctx, rg: Option<String>) -> Result<Response, ArmError> {
    let clauses = match ctx.query("$filter") {
        Some(f) => {
            parse_filter(f).map_err(|m| ArmError::bad_request("InvalidFilterInQueryString", m))?
        }
        None => Vec::new(),
    };
    for c in &clauses {
        if !["resourcetype", "name", "resourcegroup", "location"]
            .contains(&c.field.to_ascii_lowercase().as_str())
        {
            return Err(ArmError::bad_request(
                "InvalidFilterInQueryString",
                format!(
                    "The $filter field '{}' is not supported; use resourceType, name, resourceGroup or location.",
                    c.field
                ),
            ));
        }
    }
    let regs = super::registries::in_group(ctx, rg.clone()).await?;
    let sub = ctx.state.settings.subscription_id.clone();
    let items: Vec<Value> = regs
        .iter()
        .filter(|r| {
            clauses.iter().all(|c| {
                let have = match c.field.to_ascii_lowercase().as_str() {
                    "resourcetype" => render::REGISTRY_TYPE,
                    "name" => r.name.as_str(),
                    "resourcegroup" => r.resource_group.as_str(),
                    _ => r.location.as_str(),
                };
                have.eq_ignore_ascii_case(&c.value)
            })
        })
        .map(|r| render::generic_resource(&sub, r))
        .collect();
    ctx.page(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        assert_eq!(
            parse_filter("resourceType eq 'Microsoft.ContainerRegistry/registries'").unwrap(),
            vec![Clause {
                field: "resourceType".into(),
                value: "Microsoft.ContainerRegistry/registries".into()
            }]
        );
        let two = parse_filter("resourceType eq 'a' and name eq 'b c'").unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].value, "b c");
        assert!(parse_filter("resourceType ne 'a'").is_err());
        assert!(parse_filter("resourceType eq a").is_err());
        assert!(parse_filter("resourceType eq 'a' or name eq 'b'").is_err());
        assert!(parse_filter("resourceType eq 'a").is_err());
        assert_eq!(
            parse_filter("name EQ 'a' AND location eq 'b'")
                .unwrap()
                .len(),
            2
        );
    }

    /// Finding 5: offsets computed on the untrimmed string sliced inside `ñ`.
    #[test]
    fn filters_with_multibyte_text_are_errors_not_panics() {
        for f in [
            "name eq 'a' ñ ",
            " name eq 'a' ñ",
            "ñ eq 'a'",
            "name eq 'a' añd name eq 'b'",
            "name eq 'a' é",
            "  ",
            "name  eq  'é'  and  name eq 'ü'",
        ] {
            let _ = parse_filter(f);
        }
        assert!(parse_filter("name eq 'a' ñ ").is_err());
        assert_eq!(
            parse_filter("name  eq  'é'  and  name eq 'ü'").unwrap()[1].value,
            "ü"
        );
    }
}
