//! The Frontend API's part of the handshake, so a server-rendered app runs offline end to end:
//! `GET /v1/client/handshake` answers the redirect of
//! [`request::authenticate`](crate::request::authenticate) with a redirect back carrying fresh
//! cookies, and `GET /v1/clients/handshake_payload` (Backend API) exchanges the nonce form.
//!
//! Both handlers are registered in `routes::router`: the Frontend API route beside the JWKS,
//! the payload route under `/v1` (secret key required).
//!
//! The fake knows the browser's session from the `__session` the handshake URL carries (its
//! `sid`): an active session gets a fresh `__session` and `__client_uat`; anything else gets
//! the signed-out cookies. A development instance also gets a dev browser (`__clerk_db_jwt`)
//! when the browser has none. An `organization_id` (organization sync) first activates that
//! organization, by ID or slug, when the session's user is a member of it (empty: the
//! personal account).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::error::Failure;
use super::shared::Shared;
use super::tokens;
use crate::request::names::{cookie, query};
use crate::request::verify_handshake_token;
use crate::source::PublishableKey;
use crate::verify::{CATEGORY_SESSION, decode_unverified};

/// The `Set-Cookie` lines the fake's Frontend API sets for a handshake.
fn directives(shared: &Shared, params: &HashMap<String, String>) -> Vec<String> {
    let now = shared.now();
    let publishable_key = shared.keys().publishable_key();
    let suffix = PublishableKey::parse(&publishable_key)
        .map(|pk| pk.cookie_suffix())
        .unwrap_or_default();
    let suffixed = params
        .get(query::SUFFIXED_COOKIES)
        .is_some_and(|v| v == "true");
    let session_id = params
        .get(query::SESSION)
        .and_then(|token| decode_unverified(token).ok())
        .and_then(|t| {
            t.payload
                .get("sid")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    // Organization sync: the organization (or the personal account) the app asks for.
    if let (Some(sid), Some(org)) = (&session_id, params.get(query::ORGANIZATION_ID)) {
        shared.lock().activate_organization(sid, org);
    }
    let fresh = session_id.and_then(|sid| tokens::session_token(shared, &sid, None).ok());
    let (session, client_uat) = match &fresh {
        Some(token) => (
            format!("{token}; Path=/; SameSite=Lax"),
            format!("{now}; Path=/; SameSite=Lax; Max-Age=315360000"),
        ),
        None => (
            "; Path=/; SameSite=Lax; Max-Age=0".to_owned(),
            "0; Path=/; SameSite=Lax; Max-Age=315360000".to_owned(),
        ),
    };
    let mut lines = Vec::new();
    for name in [cookie::SESSION, cookie::CLIENT_UAT] {
        let value = if name == cookie::SESSION {
            &session
        } else {
            &client_uat
        };
        lines.push(format!("{name}={value}"));
        if suffixed {
            lines.push(format!("{name}_{suffix}={value}"));
        }
    }
    let development = publishable_key.starts_with("pk_test_");
    if development && !params.contains_key(query::DEV_BROWSER) {
        lines.push(format!(
            "{}=dvb_{}; Path=/; SameSite=Lax; Max-Age=315360000",
            cookie::DEV_BROWSER,
            random_hex()
        ));
    }
    lines
}

/// A handshake token: the cookie lines, signed by the instance key with the session category.
fn handshake_token(shared: &Shared, lines: &[String]) -> String {
    let keys = shared.keys();
    keys.sign(
        &keys.header(CATEGORY_SESSION),
        &json!({ "handshake": lines }),
    )
}

/// `GET /v1/client/handshake?redirect_url=…&format=nonce|token&__session=…` (Frontend API): a
/// `307` back to `redirect_url` with `__clerk_handshake_nonce` (or, with `format=token`,
/// `__clerk_handshake`) carrying the cookies. The fake keeps no state: its nonce is the
/// handshake token itself, which `/v1/clients/handshake_payload` verifies and unpacks.
pub(crate) async fn client_handshake(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(mut back) = params
        .get("redirect_url")
        .and_then(|u| url::Url::parse(u).ok())
    else {
        return Failure::form(
            "form_param_missing",
            "redirect_url",
            "redirect_url must be an absolute URL".to_owned(),
        )
        .into_response();
    };
    let token = handshake_token(&shared, &directives(&shared, &params));
    let name = match params.get(query::HANDSHAKE_FORMAT).map(String::as_str) {
        Some("token") => query::HANDSHAKE,
        _ => query::HANDSHAKE_NONCE,
    };
    back.query_pairs_mut().append_pair(name, &token);
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(back.as_str()) {
        headers.insert(header::LOCATION, location);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (StatusCode::TEMPORARY_REDIRECT, headers).into_response()
}

/// `GET /v1/clients/handshake_payload?nonce=…` (Backend API): the `Set-Cookie` lines
/// (`directives`) of a nonce this fake handed out; 404 for any other.
pub(crate) async fn handshake_payload(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let nonce = params.get("nonce").map(String::as_str).unwrap_or_default();
    let verifier = shared.keys().verifier();
    match verify_handshake_token(nonce, &verifier).await {
        Ok(lines) => {
            Json(json!({ "object": "handshake_payload", "directives": lines })).into_response()
        }
        Err(e) => {
            Failure::not_found(format!("no handshake payload for this nonce: {e}")).into_response()
        }
    }
}

fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    // The system RNG does not fail on supported platforms; the clock keeps dev browsers apart
    // if it ever did.
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
