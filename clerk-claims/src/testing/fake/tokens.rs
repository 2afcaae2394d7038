//! Tokens the fake mints: v2 session tokens from the session's user and active organization
//! (plus the instance's customized session claims, when set), and template tokens, both
//! rendered by [`crate::render`] and minted by [`TestIssuer`].

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::error::Failure;
use super::seed::str_at;
use super::shared::Shared;
use super::state::State;
use crate::api::Session;
use crate::crypto::{Algorithm, KeyFamily};
use crate::render::{self, RenderContext, RenderOptions};
use crate::testing::issuer::{TemplateOptions, TestIssuer};

/// Clerk's default session-token lifetime (60 s).
const SESSION_LIFETIME: u32 = 60;

/// `POST /v1/sessions/{id}/tokens`: Clerk's v2 session token for an active session.
pub(crate) fn session_token(
    shared: &Shared,
    session_id: &str,
    expires: Option<u32>,
) -> Result<String, Failure> {
    let st = shared.lock();
    let session = st.active_session(session_id)?;
    let mut builder_org = None;
    if let Some(org_id) = &session.last_active_organization_id {
        let membership = st.membership(&session.user_id, org_id);
        let org = st.organization(org_id);
        if let (Some(m), Some(o)) = (membership, org) {
            let role = str_at(&m, &["role"]).unwrap_or("org:member").to_owned();
            let slug = str_at(o, &["slug"]).unwrap_or_default().to_owned();
            // System permissions (`org:sys_*`) never appear in Clerk's tokens.
            let permissions: Vec<String> = m
                .get("permissions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|p| !p.starts_with("org:sys_"))
                .map(str::to_owned)
                .collect();
            builder_org = Some((org_id.clone(), slug, role, permissions));
        }
    }
    // "Customize session token" claims, rendered like a template; the default claims are
    // written after them and win, as in Clerk's session tokens.
    let custom = match &st.session_claims {
        Some(claims) => render_claims(&st, session, claims, "session token")?,
        None => Map::new(),
    };
    let user_id = session.user_id.clone();
    let actor = session
        .actor
        .as_ref()
        .and_then(|a| serde_json::to_value(a).ok());
    drop(st);
    let issuer = shared.keys();
    let mut b = issuer
        .session()
        .user(user_id)
        .session_id(session_id)
        .status("active")
        .issued_at(shared.now())
        .lifetime(i64::from(expires.unwrap_or(SESSION_LIFETIME)));
    if let Some((id, slug, role, permissions)) = builder_org {
        b = b.org(id, slug, role).permissions(permissions);
    }
    if let Some(actor) = actor {
        b = b.actor(actor);
    }
    for (name, value) in custom {
        b = b.claim(name, value);
    }
    Ok(b.mint())
}

/// `POST /v1/sessions/{id}/tokens/{template}`: the template rendered for the session's user,
/// active organization and actor, with Clerk's default claims (`sub iat iss exp jti`, `nbf`). 404 when the
/// session is not active or the template does not exist, as Clerk answers.
pub(crate) fn template_token(
    shared: &Shared,
    session_id: &str,
    template: &str,
    expires: Option<u32>,
) -> Result<String, Failure> {
    let st = shared.lock();
    let session = st.active_session(session_id)?;
    let stored = st.template_by_name(template).ok_or_else(|| {
        Failure::not_found(format!("No JWT template exists with name: {template}"))
    })?;
    let custom = render_claims(&st, session, &stored.resource.claims, template)?;
    let custom_key = if stored.resource.custom_signing_key {
        // The fake signs `RS*`/`ES*` custom-key templates with the TestIssuer's own key of that
        // algorithm (`issuer().custom_verification_key(alg)` verifies them), not the uploaded
        // key; `HS*` ones with the uploaded secret, as Clerk does (what Supabase verifies).
        Some(
            Algorithm::from_name(&stored.resource.signing_algorithm)
                .ok_or_else(|| render_failure(template, "unsupported signing_algorithm"))?,
        )
    } else {
        None
    };
    let opts = TemplateOptions {
        user_id: session.user_id.clone(),
        azp: None, // Backend API mints carry no `Origin`, so Clerk writes no `azp`.
        lifetime: expires.unwrap_or(stored.resource.lifetime),
        allowed_clock_skew: stored.resource.allowed_clock_skew,
        custom_key,
        issued_at: Some(shared.now()),
        ..TemplateOptions::default()
    };
    let hmac_secret = match custom_key {
        Some(alg) if alg.family() == KeyFamily::Hmac => stored.signing_key.clone(),
        _ => None,
    };
    drop(st);
    let issuer: std::sync::MutexGuard<'_, TestIssuer> = shared.keys();
    match (custom_key, hmac_secret) {
        (Some(alg), Some(secret)) => {
            Ok(issuer.mint_template_with_secret(alg, secret.as_bytes(), custom, &opts))
        }
        _ => Ok(issuer.mint_template_payload(custom, &opts)),
    }
}

/// `claims` rendered for the session's user, active organization (and membership) and actor.
fn render_claims(
    st: &State,
    session: &Session,
    claims: &Value,
    template: &str,
) -> Result<Map<String, Value>, Failure> {
    let user = st.user(&session.user_id).ok_or_else(|| {
        Failure::not_found(format!("No user was found with id {}", session.user_id))
    })?;
    let (org, membership) = match &session.last_active_organization_id {
        Some(org_id) => (
            st.organization(org_id).cloned(),
            st.membership(&session.user_id, org_id),
        ),
        None => (None, None),
    };
    let actor = session
        .actor
        .as_ref()
        .and_then(|a| serde_json::to_value(a).ok());
    let ctx = RenderContext::from_api(user, org.as_ref(), membership.as_ref(), actor.as_ref())
        .map_err(|e| render_failure(template, &e.to_string()))?;
    let rendered = render::render(claims, &ctx, RenderOptions::clerk())
        .map_err(|e| render_failure(template, &e.to_string()))?;
    match rendered {
        Value::Object(custom) => Ok(custom),
        _ => Err(render_failure(
            template,
            "the rendered claims are not an object",
        )),
    }
}

fn render_failure(template: &str, why: &str) -> Failure {
    Failure::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "jwt_template_render_failed",
        "template could not be rendered",
        format!("JWT template {template:?} could not be rendered: {why}"),
    )
}
