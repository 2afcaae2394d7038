//! Backend API objects (OpenAPI `bapi/2026-05-12`), as the client reads and the fake writes them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::template::JwtTemplate;

/// A JWT template as the Backend API returns it (`JWTTemplate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JwtTemplateResource {
    /// Always `jwt_template`.
    pub object: String,
    /// Template ID.
    pub id: String,
    /// Template name.
    pub name: String,
    /// The claims JSON as stored.
    pub claims: Value,
    /// Token lifetime in seconds.
    pub lifetime: u32,
    /// Allowed clock skew in seconds.
    pub allowed_clock_skew: u32,
    /// Whether a custom signing key is set (the key itself is never returned).
    pub custom_signing_key: bool,
    /// The signing algorithm (the instance's, `RS256`, without a custom key).
    pub signing_algorithm: String,
    /// Creation time, Unix milliseconds.
    pub created_at: i64,
    /// Last update, Unix milliseconds.
    pub updated_at: i64,
}

impl JwtTemplateResource {
    /// The template model, for diffing against code.
    pub fn to_template(&self) -> JwtTemplate {
        JwtTemplate {
            name: self.name.clone(),
            claims: self.claims.clone(),
            lifetime: self.lifetime,
            allowed_clock_skew: self.allowed_clock_skew,
            signing_algorithm: self
                .custom_signing_key
                .then(|| self.signing_algorithm.clone()),
            session_token: false,
        }
    }

    /// Whether saving `template` would change nothing (claims, lifetime, skew, signing).
    pub fn matches(&self, template: &JwtTemplate) -> bool {
        self.name == template.name
            && self.claims == template.claims
            && self.lifetime == template.lifetime
            && self.allowed_clock_skew == template.allowed_clock_skew
            && self.custom_signing_key == template.signing_algorithm.is_some()
            && template
                .signing_algorithm
                .as_ref()
                .is_none_or(|alg| *alg == self.signing_algorithm)
    }
}

/// What [`ClerkApi::upsert_template`](super::ClerkApi::upsert_template) did.
#[derive(Debug, Clone, PartialEq)]
pub enum Upserted {
    /// No template had that name: created.
    Created(JwtTemplateResource),
    /// A template had that name and differed: updated.
    Updated(JwtTemplateResource),
    /// A template had that name and was already identical: left alone.
    Unchanged(JwtTemplateResource),
}

impl Upserted {
    /// The template as stored now.
    pub fn resource(&self) -> &JwtTemplateResource {
        match self {
            Upserted::Created(r) | Upserted::Updated(r) | Upserted::Unchanged(r) => r,
        }
    }
}

/// A session's status (`Session.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Valid.
    Active,
    /// Signed in, with unfinished session tasks.
    Pending,
    /// Ended by the application.
    Revoked,
    /// Signed out, still in the client.
    Ended,
    /// The allowed activity period passed.
    Expired,
    /// Signed out and removed from the client.
    Removed,
    /// Abandoned client-side.
    Abandoned,
    /// Replaced by another session.
    Replaced,
}

impl SessionStatus {
    /// Every status, in the spec's order.
    pub const ALL: [SessionStatus; 8] = [
        SessionStatus::Active,
        SessionStatus::Revoked,
        SessionStatus::Ended,
        SessionStatus::Expired,
        SessionStatus::Removed,
        SessionStatus::Abandoned,
        SessionStatus::Replaced,
        SessionStatus::Pending,
    ];

    /// The wire name (`active`, `revoked`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Pending => "pending",
            SessionStatus::Revoked => "revoked",
            SessionStatus::Ended => "ended",
            SessionStatus::Expired => "expired",
            SessionStatus::Removed => "removed",
            SessionStatus::Abandoned => "abandoned",
            SessionStatus::Replaced => "replaced",
        }
    }

    /// Parses a wire name.
    pub fn from_wire(s: &str) -> Option<SessionStatus> {
        SessionStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A session as the Backend API returns it (`Session`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Always `session`.
    pub object: String,
    /// Session ID (`sess_…`).
    pub id: String,
    /// The signed-in user.
    pub user_id: String,
    /// The client (browser/device) holding the session.
    pub client_id: String,
    /// The impersonator (`{sub, …}`) during impersonation.
    #[serde(default)]
    pub actor: Option<Value>,
    /// Status.
    pub status: SessionStatus,
    /// The active organization, if any.
    #[serde(default)]
    pub last_active_organization_id: Option<String>,
    /// Last activity, Unix milliseconds.
    pub last_active_at: i64,
    /// Latest activity details (device, location), if Clerk sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_activity: Option<Value>,
    /// Expiry, Unix milliseconds.
    pub expire_at: i64,
    /// Abandonment time, Unix milliseconds.
    pub abandon_at: i64,
    /// Last update, Unix milliseconds.
    pub updated_at: i64,
    /// Creation, Unix milliseconds.
    pub created_at: i64,
    /// Unfinished session tasks.
    #[serde(default)]
    pub tasks: Option<Vec<Value>>,
}

/// A minted token (`Token`): `{object: "token", jwt}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Always `token`.
    pub object: String,
    /// The compact JWT.
    pub jwt: String,
}

/// The answer to a delete (`DeletedObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletedObject {
    /// The deleted object's type, e.g. `jwt_template`.
    pub object: String,
    /// The deleted object's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always true.
    pub deleted: bool,
}

/// One page of a paginated list (`?paginated=true`): `{data, total_count}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// How many items match in total, across pages.
    pub total_count: u64,
}

/// Filters and paging for [`ClerkApi::list_sessions`](super::ClerkApi::list_sessions).
///
/// Clerk wants at least one of `user_id` / `client_id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionListParams {
    /// Only sessions of this user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Only sessions of this client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Only sessions with this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<SessionStatus>,
    /// Page size (1..=500, Clerk's default 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Items to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
}

impl SessionListParams {
    /// Sessions of one user.
    pub fn for_user(user_id: impl Into<String>) -> Self {
        SessionListParams {
            user_id: Some(user_id.into()),
            ..SessionListParams::default()
        }
    }
}
