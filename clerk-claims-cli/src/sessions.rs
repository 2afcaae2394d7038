//! `clerk-claims sessions list --user ID | revoke ID | token ID [--template NAME]`, and `jwks`.

use clerk_claims::api::{SessionListParams, SessionStatus};

use crate::config::ApiArgs;
use crate::error::CliError;

/// `sessions list --user ID`: one line per session, newest first (or JSON).
pub async fn list(
    user: &str,
    status: Option<&str>,
    limit: Option<u32>,
    offset: Option<u32>,
    json: bool,
    api: &ApiArgs,
) -> Result<String, CliError> {
    let status = match status {
        None => None,
        Some(s) => Some(SessionStatus::from_wire(s).ok_or_else(|| {
            CliError::Usage(format!(
                "--status: expected one of active, revoked, ended, expired, removed, \
                 abandoned, replaced; found {s:?}"
            ))
        })?),
    };
    let params = SessionListParams {
        user_id: Some(user.to_owned()),
        status,
        limit,
        offset,
        ..SessionListParams::default()
    };
    let page = api.client()?.list_sessions(&params).await?;
    if json {
        return serde_json::to_string_pretty(&page).map_err(|e| CliError::Rejected(e.to_string()));
    }
    let mut out = format!(
        "{} of {} session(s) of {user}\n",
        page.data.len(),
        page.total_count
    );
    for s in &page.data {
        out.push_str(&format!(
            "{}  {:<9}  org={}  client={}{}\n",
            s.id,
            s.status.as_str(),
            s.last_active_organization_id.as_deref().unwrap_or("-"),
            s.client_id,
            if s.actor.is_some() {
                "  (impersonated)"
            } else {
                ""
            }
        ));
    }
    Ok(out.trim_end().to_owned())
}

/// `sessions revoke ID`.
pub async fn revoke(id: &str, api: &ApiArgs) -> Result<String, CliError> {
    let s = api.client()?.revoke_session(id).await?;
    Ok(format!("session {} is now {}", s.id, s.status))
}

/// `sessions token ID [--template NAME] [--expires-in SECS]`: prints the JWT.
pub async fn token(
    id: &str,
    template: Option<&str>,
    expires_in: Option<u32>,
    api: &ApiArgs,
) -> Result<String, CliError> {
    let api = api.client()?;
    let jwt = match template {
        Some(t) => api.create_template_token(id, t, expires_in).await?,
        None => api.create_session_token(id, expires_in).await?,
    };
    Ok(jwt)
}

/// `jwks`: the instance's JWKS from the Backend API.
pub async fn jwks(api: &ApiArgs) -> Result<String, CliError> {
    let jwks = api.client()?.jwks().await?;
    serde_json::to_string_pretty(&jwks).map_err(|e| CliError::Rejected(e.to_string()))
}
