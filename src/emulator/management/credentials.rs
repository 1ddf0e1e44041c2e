//! `POST …/generateCredentials`: (re)generates password1, password2 or both for a token and
//! returns the values, the only place they ever appear. Synchronous (200) like the service;
//! in the hooks' LRO mode 202 with `Location` returning the result at the end.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::body::{Obj, parse};
use super::models;
use super::path::{Reg, Route};
use super::{Ctx, ok};
use crate::emulator::clock;
use crate::emulator::error::ArmError;

pub async fn generate(ctx: &Ctx, reg: &Reg) -> Result<Response, ArmError> {
    let r = ctx.parent(reg).await?;
    let v = parse(&ctx.body)?;
    let root = Obj::new(&v, "", models::GENERATE_CREDENTIALS.name)?;
    root.allow_model(&models::GENERATE_CREDENTIALS)?;
    let Some(token_id) = root.str("tokenId")? else {
        return Err(ArmError::rule(
            "tokenId is required: the resource ID of the token whose passwords are generated.",
        ));
    };
    let token = ctx.linked_child(
        &r,
        token_id,
        "tokenId",
        |route| match route {
            Route::Token(target, token) => Some((target, token)),
            _ => None,
        },
        |registry| format!("The token '{token_id}' must belong to the registry '{registry}'."),
    )?;
    let which = root.enumeration("name", models::TOKEN_PASSWORD_NAME)?;
    let expiry = root.date_time("expiry")?.map(clock::format_expiry);
    let (t, e) = (token.clone(), expiry.clone());
    let (username, generated) = ctx
        .db(reg, move |db| db.generate_credentials(&r, &t, which, e))
        .await?;
    let passwords: Vec<Value> = generated
        .into_iter()
        .map(|p| {
            let mut v = serde_json::Map::new();
            v.insert("creationTime".into(), json!(p.created_at));
            if let Some(e) = p.expiry {
                v.insert("expiry".into(), json!(e));
            }
            v.insert("name".into(), json!(p.name));
            v.insert("value".into(), json!(p.value));
            Value::Object(v)
        })
        .collect();
    let result = json!({"username": username, "passwords": passwords});
    match ctx.lro_polls() {
        None => Ok(ok(result)),
        Some(polls) => {
            let parent = format!(
                "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}",
                reg.sub, reg.rg, reg.name
            );
            let (status_url, location) =
                ctx.start_operation(&parent, "registries", "InProgress", polls, Some(result));
            Ok(ctx.async_headers(
                StatusCode::ACCEPTED.into_response(),
                &status_url,
                Some(&location),
            ))
        }
    }
}
