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

/// A Backend API timestamp: Unix **milliseconds**, as every `*_at` field of the Backend API
/// sends it. A distinct type so it is never mistaken for a token's `exp`/`iat` (Unix seconds).
///
/// ```
/// use clerk_claims::api::UnixMillis;
/// let at = UnixMillis(1_767_225_600_500);
/// assert_eq!(at.as_secs(), 1_767_225_600);
/// assert_eq!(at.elapsed_at(UnixMillis(1_767_225_780_500)).as_secs(), 180);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixMillis(pub i64);

impl UnixMillis {
    /// Now by `clock`.
    pub fn now(clock: &crate::Clock) -> UnixMillis {
        UnixMillis(clock.now_ms())
    }

    /// The same instant in Unix seconds (rounded down), comparable with a token's `exp`.
    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// How long before `now` this was; zero when it lies in the future.
    pub fn elapsed_at(self, now: UnixMillis) -> std::time::Duration {
        let ms = now.0.saturating_sub(self.0).max(0);
        std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0))
    }
}

impl std::fmt::Display for UnixMillis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

/// Where and on what a session was last used (`SessionActivityResponse`): what a "your
/// devices" list shows. Clerk fills it from the request's user agent and IP address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionActivity {
    /// Always `session_activity`.
    pub object: String,
    /// Activity ID (`sess_activity_…`).
    pub id: String,
    /// Whether the device is a phone or tablet.
    pub is_mobile: bool,
    /// The device, e.g. `iPhone`, `Macintosh`, `Windows`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_type: Option<String>,
    /// The browser, e.g. `Safari`, `Chrome`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_name: Option<String>,
    /// The browser's version, e.g. `17.4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_version: Option<String>,
    /// The client's IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// The city the IP address locates to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The country the IP address locates to (ISO 3166 alpha-2, e.g. `DE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl SessionActivity {
    /// `Safari 17.4`, `Chrome`, or `None` when Clerk did not recognise the browser.
    pub fn browser(&self) -> Option<String> {
        match (
            self.browser_name.as_deref(),
            self.browser_version.as_deref(),
        ) {
            (Some(name), Some(version)) if !version.is_empty() => Some(format!("{name} {version}")),
            (Some(name), _) => Some(name.to_owned()),
            (None, _) => None,
        }
    }

    /// `Berlin, DE`, `DE`, or `None` when the IP address did not locate.
    pub fn location(&self) -> Option<String> {
        match (self.city.as_deref(), self.country.as_deref()) {
            (Some(city), Some(country)) => Some(format!("{city}, {country}")),
            (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
            (None, None) => None,
        }
    }
}

/// A session as the Backend API returns it (`Session`).
///
/// One user has one session per client (browser or device) they signed in on; its
/// [`latest_activity`](Self::latest_activity) says which device that is.
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
    /// Who is impersonating the user (`sub` is their user ID), during impersonation.
    #[serde(default)]
    pub actor: Option<crate::session::Actor>,
    /// Status.
    pub status: SessionStatus,
    /// The active organization, if any.
    #[serde(default)]
    pub last_active_organization_id: Option<String>,
    /// Last activity.
    pub last_active_at: UnixMillis,
    /// The device, browser and location the session was last used from, if Clerk sent them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_activity: Option<SessionActivity>,
    /// When the session expires (Clerk's maximum session lifetime).
    pub expire_at: UnixMillis,
    /// When the session is abandoned without activity (Clerk's inactivity timeout).
    pub abandon_at: UnixMillis,
    /// Last update.
    pub updated_at: UnixMillis,
    /// Creation.
    pub created_at: UnixMillis,
    /// Unfinished session tasks.
    #[serde(default)]
    pub tasks: Option<Vec<Value>>,
}

impl Session {
    /// Whether the session can still mint tokens ([`SessionStatus::Active`]).
    pub fn is_active(&self) -> bool {
        self.status == SessionStatus::Active
    }
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

/// The body of [`ClerkApi::update_user_metadata`](super::ClerkApi::update_user_metadata)
/// (`PATCH /v1/users/{id}/metadata`): each given field is deep-merged into the user's, a `null`
/// value deletes its key; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserMetadataUpdate {
    /// Merged into `public_metadata` (readable by the frontend; the shortcodes
    /// `user.public_metadata.*` read it). A JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<serde_json::Value>,
    /// Merged into `private_metadata` (Backend API only). A JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_metadata: Option<serde_json::Value>,
    /// Merged into `unsafe_metadata` (writable by the frontend). A JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsafe_metadata: Option<serde_json::Value>,
}

impl UserMetadataUpdate {
    /// A merge into `public_metadata` only.
    pub fn public(metadata: serde_json::Value) -> Self {
        UserMetadataUpdate {
            public_metadata: Some(metadata),
            ..UserMetadataUpdate::default()
        }
    }
}

/// What [`ClerkApi::revoke_other_sessions`](super::ClerkApi::revoke_other_sessions) did:
/// every other active session is tried, one request each, and a failure does not stop the
/// rest. Check [`is_complete`](Self::is_complete) (or [`failed`](Self::failed)): a session
/// listed there is still active and can still mint tokens.
#[derive(Debug)]
pub struct RevokedOthers {
    /// The session that was kept, as listed before revoking.
    pub kept: Session,
    /// The sessions now revoked, as the Backend API returned them.
    pub revoked: Vec<Session>,
    /// The sessions that could not be revoked, with why; still active.
    pub failed: Vec<RevokeFailure>,
}

impl RevokedOthers {
    /// Whether every other active session was revoked.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }
}

/// One session [`ClerkApi::revoke_other_sessions`](super::ClerkApi::revoke_other_sessions)
/// could not revoke.
#[derive(Debug)]
pub struct RevokeFailure {
    /// The session, as listed before revoking (still active).
    pub session: Session,
    /// Why the revoke request failed.
    pub error: super::ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(json: Value) -> SessionActivity {
        serde_json::from_value(json).expect("a SessionActivity")
    }

    #[test]
    fn millisecond_timestamps_convert_to_token_seconds_rounding_down() {
        assert_eq!(UnixMillis(1_767_225_600_999).as_secs(), 1_767_225_600);
        assert_eq!(UnixMillis(-1).as_secs(), -1, "before 1970 rounds down too");
        let at = UnixMillis(10_000);
        assert_eq!(at.elapsed_at(UnixMillis(70_500)).as_millis(), 60_500);
        assert_eq!(at.elapsed_at(UnixMillis(0)).as_millis(), 0, "future: zero");
    }

    #[test]
    fn activity_needs_only_id_object_and_is_mobile() {
        let a = activity(serde_json::json!({
            "object": "session_activity", "id": "sess_activity_1", "is_mobile": false
        }));
        assert_eq!((a.browser(), a.location()), (None, None));
        let err = serde_json::from_value::<SessionActivity>(serde_json::json!({
            "object": "session_activity", "id": "sess_activity_1"
        }))
        .expect_err("is_mobile is required");
        assert!(err.to_string().contains("is_mobile"), "{err}");
    }

    #[test]
    fn browser_and_location_read_as_a_device_list_shows_them() {
        let a = activity(serde_json::json!({
            "object": "session_activity", "id": "sess_activity_1", "is_mobile": true,
            "device_type": "iPhone", "browser_name": "Safari", "browser_version": "18.1",
            "city": "Hamburg", "country": "DE"
        }));
        assert_eq!(a.browser().as_deref(), Some("Safari 18.1"));
        assert_eq!(a.location().as_deref(), Some("Hamburg, DE"));
        let b = activity(serde_json::json!({
            "object": "session_activity", "id": "sess_activity_2", "is_mobile": false,
            "browser_name": "Chrome", "country": "FR"
        }));
        assert_eq!(b.browser().as_deref(), Some("Chrome"));
        assert_eq!(b.location().as_deref(), Some("FR"));
    }
}
