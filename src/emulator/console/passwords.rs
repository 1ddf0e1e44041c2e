//! A token's passwords: generate password1 or password2 (with an optional expiry date, like
//! `acr token credential generate`) and delete one (like `acr token credential delete`).
//! The generated value is rendered only in the answer to the POST that made it
//! (`Cache-Control: no-store` on every console answer, and a single-use form nonce so that a
//! reload re-sending the POST neither shows nor regenerates it), never again.

use axum::http::StatusCode;
use axum::response::Response;
use time::{Date, OffsetDateTime, Time};

use super::html::{Section, esc};
use super::request::Change;
use super::token::{PASSWORDS, refused};
use super::tokens::{token_href, tokens_href};
use super::{PageError, actor, db, html_response, page, see_other, table_date};
use crate::emulator::clock;
use crate::emulator::store::TokenPatch;

fn check_which(which: &str) -> Result<&'static str, PageError> {
    PASSWORDS
        .into_iter()
        .find(|p| *p == which)
        .ok_or_else(|| PageError::NotFound(format!("A token has no password '{which}'.")))
}

/// An expiry date from the form: valid through that day (UTC), so today is the earliest.
fn parse_expiry(value: &str, now: OffsetDateTime) -> Result<Option<OffsetDateTime>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let date =
        Date::parse(value, &fmt).map_err(|_| format!("'{value}' is not a date (YYYY-MM-DD)."))?;
    let end = date.with_time(Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT));
    let end = end.assume_utc();
    if end <= now {
        return Err(format!(
            "The expiry date {value} is in the past; choose today or a later day."
        ));
    }
    Ok(Some(end))
}

/// `POST …/passwords/{which}/generate`: the new value, in this answer only.
pub async fn generate(change: Change<(String, String, String)>) -> Result<Response, PageError> {
    let (at, (_, tok, which)) = (&change.at, &change.at.path);
    let which = check_which(which)?;
    let r = at.registry().await?;
    let expiry = match parse_expiry(change.form.text("expiry"), clock::now()) {
        Ok(e) => e.map(clock::format_expiry),
        Err(m) => return refused(at, tok, m).await,
    };
    // Checked after the form itself, so a refused date leaves the nonce for a corrected try.
    if !at
        .state
        .console
        .take_nonce(&at.session, change.form.text("nonce"))
    {
        return Err(PageError::Conflict(
            "This form was already sent, so nothing was generated: a password is shown only once. Generate a new one from the token's page.".into(),
        ));
    }
    let (r2, t) = (r.clone(), tok.clone());
    let (username, generated) = db(&at.state, move |db| {
        db.generate_credentials(&r2, &t, Some(which), expiry)
    })
    .await?;
    let Some(p) = generated.into_iter().next() else {
        return Err(PageError::Internal("No password was generated.".into()));
    };
    let expiry_text = p
        .expiry
        .as_deref()
        .map(table_date)
        .unwrap_or_else(|| "Never".into());
    let body = format!(
        concat!(
            "<div class=\"notice warning\" role=\"status\"><p>Copy the password now. It is shown only on this page, once: reloading the page or coming back to it will not show it again.</p></div>\n",
            "<dl class=\"facts\"><dt>User name</dt><dd><code>{user}</code></dd><dt>Password name</dt><dd>{which}</dd><dt>Expiry</dt><dd>{expiry}</dd></dl>\n",
            "<h2>Password value</h2>\n",
            "<p class=\"secret\"><code id=\"password-value\" data-once>{value}</code></p>\n",
            "<p><button type=\"button\" data-copy=\"password-value\">Copy password</button> <span id=\"copy-status\" role=\"status\"></span></p>\n",
            "<p>Sign in with it: <code>podman login --username {user} --password-stdin 127.0.0.1:{port}</code></p>\n",
            "<p><a class=\"button\" href=\"{back}\">Done</a></p>\n"
        ),
        user = esc(&username),
        which = which,
        expiry = esc(&expiry_text),
        value = esc(&p.value),
        port = r.port,
        back = esc(&token_href(&r, &username)),
    );
    let title = format!("New {which} for {username}");
    let under = [
        ("Tokens", tokens_href(&r)),
        (username.as_str(), token_href(&r, &username)),
    ];
    let page = page(title, &r, Section::Tokens, &at.session.csrf, &under);
    Ok(html_response(StatusCode::OK, page.render(&body)))
}

/// `POST …/passwords/{which}/delete`: keeps only the other password.
pub async fn delete_password(
    change: Change<(String, String, String)>,
) -> Result<Response, PageError> {
    let (_, tok, which) = &change.at.path;
    let which = check_which(which)?;
    let t = tok.clone();
    let (r, token) = change
        .at
        .run(move |db, r| {
            let token = db.get_token(r, &t)?;
            let keep = token
                .passwords
                .iter()
                .map(|p| p.name.clone())
                .filter(|n| n != which)
                .collect();
            let patch = TokenPatch {
                keep_passwords: Some(keep),
                ..Default::default()
            };
            db.patch_token(r, &t, patch, &actor())
        })
        .await?;
    Ok(see_other(&format!(
        "{}?done=deleted-{which}",
        token_href(&r, &token.name)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_dates_run_through_the_end_of_the_day() {
        let now = clock::parse("2030-05-01T12:00:00Z").unwrap();
        assert_eq!(parse_expiry("", now), Ok(None));
        let e = parse_expiry("2030-05-01", now).unwrap().unwrap();
        assert_eq!(clock::format_expiry(e), "2030-05-01T23:59:59+00:00");
        assert!(
            parse_expiry("2030-04-30", now)
                .unwrap_err()
                .contains("past")
        );
        assert!(
            parse_expiry("tomorrow", now)
                .unwrap_err()
                .contains("not a date")
        );
        assert!(parse_expiry("2030-02-30", now).is_err());
    }
}
