//! The HTTP surface: Frontend API JWKS, the Backend API subset, auth and fault middleware.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use serde_json::{Value, json};

use super::error::Failure;
use super::fault::FaultKind;
use super::shared::Shared;
use super::{rbac, state, tokens};
use crate::api::{DeletedObject, Page, SessionStatus, Token};
use crate::json_text::describe;

type Shared_ = Arc<Shared>;
pub(super) type Answer = Result<Response, Failure>;
pub(super) type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

/// Every route of the fake.
pub(crate) fn router(shared: Shared_) -> Router {
    let v1 = Router::new()
        .route("/jwks", get(jwks))
        .route("/jwt_templates", get(list_templates).post(create_template))
        .route(
            "/jwt_templates/{id}",
            get(get_template)
                .patch(update_template)
                .delete(delete_template),
        )
        .route("/users/{id}", get(get_user).patch(update_user))
        .route("/users/{id}/metadata", patch(merge_user_metadata))
        .route(
            "/organizations/{org}/memberships",
            get(list_memberships).post(create_membership),
        )
        .route(
            "/organizations/{org}/memberships/{user}",
            patch(update_membership).delete(delete_membership),
        )
        .route("/sessions", get(list_sessions).post(create_session))
        .route("/sessions/{id}", get(get_session))
        .route("/sessions/{id}/revoke", post(revoke_session))
        .route("/sessions/{id}/tokens", post(session_token))
        .route("/sessions/{id}/tokens/{template}", post(template_token))
        .route(
            "/organization_roles",
            get(rbac::list_roles).post(rbac::create_role),
        )
        .route(
            "/organization_roles/{id}",
            get(rbac::get_role)
                .patch(rbac::update_role)
                .delete(rbac::delete_role),
        )
        .route(
            "/organization_roles/{id}/permissions/{permission}",
            post(rbac::assign_permission).delete(rbac::remove_permission),
        )
        .route(
            "/organization_permissions",
            get(rbac::list_permissions).post(rbac::create_permission),
        )
        .route(
            "/organization_permissions/{id}",
            get(rbac::get_permission)
                .patch(rbac::update_permission)
                .delete(rbac::delete_permission),
        )
        .route(
            "/clients/handshake_payload",
            get(super::handshake::handshake_payload),
        )
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            require_secret_key,
        ));
    // Not Clerk's: what the fake offers beyond Clerk's APIs, with the Backend API's auth.
    let fake_only = Router::new()
        .route("/sessions/{id}/end", post(end_session))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            require_secret_key,
        ));
    Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route(
            "/v1/client/handshake",
            get(super::handshake::client_handshake),
        )
        .nest("/v1", v1)
        .nest("/_fake", fake_only)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), faults))
        .with_state(shared)
}

/// `Authorization: Bearer <secret key>` on every Backend API route.
async fn require_secret_key(State(shared): State<Shared_>, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if given != Some(shared.secret_key()) {
        return Failure::key_invalid().into_response();
    }
    next.run(req).await
}

/// Records the request, then applies injected faults: delays first, then the first status or
/// garbage answer.
async fn faults(State(shared): State<Shared_>, req: Request, next: Next) -> Response {
    shared.record(req.method().as_str(), req.uri().path());
    let kinds = shared.take_faults(req.uri().path());
    for kind in kinds {
        match kind {
            FaultKind::Delay(d) => tokio::time::sleep(d).await,
            FaultKind::Status(code) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                return Failure::new(
                    status,
                    "fake_injected_fault",
                    "injected fault",
                    format!("FakeClerk was told to answer {code}"),
                )
                .into_response();
            }
            FaultKind::Garbage => {
                return (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    "<html>502 Bad Gateway</html>{\"keys\":[",
                )
                    .into_response();
            }
            FaultKind::Body(status, body) => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                return (status, [(header::CONTENT_TYPE, "application/json")], body)
                    .into_response();
            }
        }
    }
    next.run(req).await
}

async fn not_found(req: Request) -> Failure {
    Failure::not_found(format!(
        "FakeClerk does not serve {} {}",
        req.method(),
        req.uri().path()
    ))
}

pub(super) fn ok<T: serde::Serialize>(value: T) -> Answer {
    Ok(Json(value).into_response())
}

/// A JSON object body. Every request body of the routes served is optional in Clerk's OpenAPI
/// description, and Clerk reads an absent, empty or `null` body as "no options": `{}` here
/// (clerk-rs sends `null` for a token request without options).
pub(super) fn body_object(bytes: &Bytes) -> Result<Value, Failure> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Failure::malformed(format!("expected a JSON object body: {e}")))?;
    match value {
        Value::Null => Ok(json!({})),
        Value::Object(_) => Ok(value),
        other => Err(Failure::malformed(format!(
            "expected a JSON object body (or none), found {}",
            describe(&other)
        ))),
    }
}

/// A list answer: `{data, total_count}` with `paginated=true`, else the bare array.
fn listed<T: serde::Serialize>(data: Vec<T>, total_count: u64, paginated: bool) -> Answer {
    if paginated {
        ok(Page { data, total_count })
    } else {
        ok(data)
    }
}

pub(super) struct Listing {
    paginated: bool,
    pub(super) limit: usize,
    pub(super) offset: usize,
}

/// `paginated`, `limit` (1..=500, default 10), `offset` (≥ 0) (Clerk's list endpoints).
pub(super) fn listing(params: &HashMap<String, String>) -> Result<Listing, Failure> {
    let paginated = params.get("paginated").is_some_and(|p| p == "true");
    let limit = match params.get("limit") {
        None => 10,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=500).contains(&n) => n,
            _ => {
                return Err(Failure::form(
                    "form_param_value_invalid",
                    "limit",
                    format!("limit must be an integer from 1 to 500, found {l:?}"),
                ));
            }
        },
    };
    let offset = match params.get("offset") {
        None => 0,
        Some(o) => o.parse::<usize>().map_err(|_| {
            Failure::form(
                "form_param_value_invalid",
                "offset",
                format!("offset must be an integer of 0 or more, found {o:?}"),
            )
        })?,
    };
    Ok(Listing {
        paginated,
        limit,
        offset,
    })
}

pub(super) fn query(params: Params) -> Result<HashMap<String, String>, Failure> {
    params
        .map(|Query(q)| q)
        .map_err(|e| Failure::malformed(format!("malformed query string: {e}")))
}

async fn jwks(State(shared): State<Shared_>) -> Answer {
    ok(shared.jwks())
}

async fn list_templates(State(shared): State<Shared_>, params: Params) -> Answer {
    let params = query(params)?;
    let l = listing(&params)?;
    let st = shared.lock();
    let all: Vec<_> = st.templates.iter().map(|t| t.resource.clone()).collect();
    // Clerk's template listing does not paginate: `paginated=true` wraps every template in a
    // page, `limit` and `offset` change nothing.
    let total_count = all.len() as u64;
    listed(all, total_count, l.paginated)
}

async fn create_template(State(shared): State<Shared_>, body: Bytes) -> Answer {
    let body = body_object(&body)?;
    let created = shared.lock().create_template(&body)?;
    ok(created)
}

async fn get_template(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    let st = shared.lock();
    ok(st.template(&id)?.resource.clone())
}

async fn update_template(
    State(shared): State<Shared_>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let body = body_object(&body)?;
    let updated = shared.lock().update_template(&id, &body)?;
    ok(updated)
}

async fn delete_template(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    shared.lock().delete_template(&id)?;
    ok(DeletedObject {
        object: "jwt_template".to_owned(),
        id: Some(id),
        deleted: true,
    })
}

async fn get_user(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    let st = shared.lock();
    match st.user(&id) {
        Some(user) => ok(user.clone()),
        None => Err(state::no_user(&id)),
    }
}

async fn update_user(State(shared): State<Shared_>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = body_object(&body)?;
    let user = shared.lock().update_user(&id, &body)?;
    shared.webhook("user.updated", &user);
    ok(user)
}

async fn merge_user_metadata(
    State(shared): State<Shared_>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let body = body_object(&body)?;
    let user = shared.lock().merge_user_metadata(&id, &body)?;
    shared.webhook("user.updated", &user);
    ok(user)
}

/// Always `{data, total_count}` (Clerk's `OrganizationMemberships`), `limit` and `offset`
/// applied.
async fn list_memberships(
    State(shared): State<Shared_>,
    Path(org): Path<String>,
    params: Params,
) -> Answer {
    let params = query(params)?;
    let l = listing(&params)?;
    let all = shared.lock().list_memberships(&org)?;
    let total_count = all.len() as u64;
    let page: Vec<_> = all.into_iter().skip(l.offset).take(l.limit).collect();
    listed(page, total_count, true)
}

async fn create_membership(
    State(shared): State<Shared_>,
    Path(org): Path<String>,
    body: Bytes,
) -> Answer {
    let body = body_object(&body)?;
    let membership = shared.lock().create_membership(&org, &body)?;
    shared.webhook("organizationMembership.created", &membership);
    ok(membership)
}

async fn update_membership(
    State(shared): State<Shared_>,
    Path((org, user)): Path<(String, String)>,
    body: Bytes,
) -> Answer {
    let body = body_object(&body)?;
    let membership = shared.lock().update_membership(&org, &user, &body)?;
    shared.webhook("organizationMembership.updated", &membership);
    ok(membership)
}

async fn delete_membership(
    State(shared): State<Shared_>,
    Path((org, user)): Path<(String, String)>,
) -> Answer {
    let membership = shared.lock().delete_membership(&org, &user)?;
    shared.webhook("organizationMembership.deleted", &membership);
    ok(membership)
}

async fn list_sessions(State(shared): State<Shared_>, params: Params) -> Answer {
    let params = query(params)?;
    let l = listing(&params)?;
    let user_id = params.get("user_id").map(String::as_str);
    let client_id = params.get("client_id").map(String::as_str);
    if user_id.is_none() && client_id.is_none() {
        // Clerk deprecated listing sessions without either filter; the fake enforces it.
        return Err(Failure::form(
            "form_param_missing",
            "user_id",
            "Either user_id or client_id must be provided.".to_owned(),
        ));
    }
    let status = match params.get("status") {
        None => None,
        Some(s) => match SessionStatus::from_wire(s).filter(|st| *st != SessionStatus::Pending) {
            Some(st) => Some(st),
            None => {
                return Err(Failure::form(
                    "form_param_value_invalid",
                    "status",
                    format!(
                        "status must be one of abandoned, active, ended, expired, removed, \
                         replaced, revoked; found {s:?}"
                    ),
                ));
            }
        },
    };
    let all = shared.lock().list_sessions(user_id, client_id, status);
    let total_count = all.len() as u64;
    let page: Vec<_> = all.into_iter().skip(l.offset).take(l.limit).collect();
    listed(page, total_count, l.paginated)
}

async fn create_session(State(shared): State<Shared_>, body: Bytes) -> Answer {
    let body = body_object(&body)?;
    let session = shared.lock().create_session(&body)?;
    shared.webhook("session.created", &session);
    ok(session)
}

async fn get_session(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    let st = shared.lock();
    ok(st.session(&id)?.clone())
}

async fn revoke_session(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    let session = shared.lock().revoke_session(&id)?;
    shared.webhook("session.revoked", &session);
    ok(session)
}

/// `POST /_fake/sessions/{id}/end`: a sign-out on the session's device (Clerk ends sessions
/// through its Frontend API; the Backend API only revokes).
async fn end_session(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    ok(shared.end_session(&id)?)
}

async fn session_token(
    State(shared): State<Shared_>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let body = body_object(&body)?;
    let expires = state::expires_in(&body)?;
    let jwt = tokens::session_token(&shared, &id, expires)?;
    ok(Token {
        object: "token".to_owned(),
        jwt,
    })
}

async fn template_token(
    State(shared): State<Shared_>,
    Path((id, template)): Path<(String, String)>,
    body: Bytes,
) -> Answer {
    let body = body_object(&body)?;
    let expires = state::expires_in(&body)?;
    let jwt = tokens::template_token(&shared, &id, &template, expires)?;
    ok(Token {
        object: "token".to_owned(),
        jwt,
    })
}
