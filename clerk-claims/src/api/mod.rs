//! Backend API client (feature `remote`): JWT templates, sessions, users and the JWKS.
//!
//! Beyond the endpoints: [`ClerkApi::user_sessions`] / [`ClerkApi::revoke_other_sessions`] for
//! a user signed in on several devices, and [`TemplateTokens`], a per-(session, template)
//! token cache that refreshes ahead of expiry.
//!
//! Sends `Authorization: Bearer <secret key>` and `Clerk-API-Version: 2026-05-12`, as Clerk's
//! own SDK does, and turns Clerk's error envelope into a typed [`ApiError`].
//! The secret key never appears in `Debug` output or error messages.

mod error;
mod rbac;
mod tokens;
mod types;

use std::time::Duration;

use reqwest::{Method, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use error::{ApiError, ApiFailure, ClerkError, ClerkErrors, TransportError, TransportFailure};
pub use rbac::{OrganizationPermission, OrganizationRole, RoleFields, instance_manifest};
pub use tokens::{DEFAULT_REFRESH_MARGIN, TemplateToken, TemplateTokens, TemplateTokensBuilder};
pub use types::{
    DeletedObject, JwtTemplateResource, Page, RevokeFailure, RevokedOthers, Session,
    SessionActivity, SessionListParams, SessionStatus, Token, UnixMillis, Upserted,
    UserMetadataUpdate,
};

use crate::template::JwtTemplate;

/// The `Clerk-API-Version` this client speaks.
pub const API_VERSION: &str = "2026-05-12";
pub use crate::verify::{API_URL_ENV, SECRET_KEY_ENV};

/// A Clerk secret key (`sk_test_…` / `sk_live_…`), redacted in `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// Checks the `sk_` prefix; the key's validity is Clerk's to decide.
    pub fn new(key: impl Into<String>) -> Result<SecretKey, ApiError> {
        let key = key.into();
        let key = key.trim().to_owned();
        if !key.starts_with("sk_") || key.len() < 8 {
            return Err(ApiError::Config {
                expected: "a secret key starting with `sk_test_` or `sk_live_`",
                found: redact(&key),
            });
        }
        Ok(SecretKey(key))
    }

    /// The key itself, to put in a header. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Shows only the key's environment prefix (`sk_test_…`) and never the secret part.
fn redact(key: &str) -> String {
    let prefix: String = key.split('_').take(2).collect::<Vec<_>>().join("_");
    if prefix.len() < key.len() && prefix.starts_with("sk") {
        format!("{prefix}_… (redacted)")
    } else {
        "(redacted)".to_owned()
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl std::fmt::Display for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

/// A Backend API client bound to one instance's secret key.
#[derive(Clone, Debug)]
pub struct ClerkApi {
    http: reqwest::Client,
    base_url: Url,
    secret_key: SecretKey,
}

/// The list answer in either of Clerk's forms: a bare array or `{data, total_count}`.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ListBody<T> {
    Page(Page<T>),
    Bare(Vec<T>),
}

impl<T> ListBody<T> {
    fn into_page(self) -> Page<T> {
        match self {
            ListBody::Page(p) => p,
            ListBody::Bare(data) => Page {
                total_count: data.len() as u64,
                data,
            },
        }
    }
}

#[derive(Serialize)]
struct ExpiresIn {
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<u32>,
}

impl ClerkApi {
    /// A client for Clerk's Backend API (`https://api.clerk.com`) with this secret key.
    pub fn new(secret_key: impl Into<String>) -> Result<ClerkApi, ApiError> {
        let secret_key = SecretKey::new(secret_key)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("clerk-claims/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Config {
                expected: "an HTTP client with TLS",
                found: e.to_string(),
            })?;
        let base_url = parse_base_url(crate::verify::DEFAULT_API_URL)?;
        Ok(ClerkApi {
            http,
            base_url,
            secret_key,
        })
    }

    /// A client from `CLERK_SECRET_KEY` and (optionally) `CLERK_API_URL`, read as
    /// [`ClerkEnv`](crate::verify::ClerkEnv) reads them (blank counts as unset).
    pub fn from_env() -> Result<ClerkApi, ApiError> {
        let env = crate::verify::ClerkEnv::from_env().map_err(|e| ApiError::Config {
            expected: "readable CLERK_* environment variables",
            found: e.to_string(),
        })?;
        let key = env.secret_key.ok_or_else(|| ApiError::Config {
            expected: "the secret key in CLERK_SECRET_KEY (Dashboard → API keys; for the local \
                       fake, the line `clerk-claims dev` prints)",
            found: "CLERK_SECRET_KEY unset or empty".to_owned(),
        })?;
        let api = ClerkApi::new(key)?;
        match env.api_url {
            Some(url) => api.with_base_url(&url),
            None => Ok(api),
        }
    }

    /// Points the client at another Backend API host, e.g. a local [`FakeClerk`]
    /// (`http://127.0.0.1:PORT`). A trailing `/v1` is accepted and ignored.
    ///
    /// [`FakeClerk`]: crate::testing::fake::FakeClerk
    pub fn with_base_url(mut self, url: &str) -> Result<ClerkApi, ApiError> {
        self.base_url = parse_base_url(url)?;
        Ok(self)
    }

    /// The Backend API host in use (without `/v1`).
    pub fn base_url(&self) -> &str {
        self.base_url.as_str().trim_end_matches('/')
    }

    /// `GET /v1/jwt_templates`: every JWT template of the instance.
    pub async fn list_jwt_templates(&self) -> Result<Vec<JwtTemplateResource>, ApiError> {
        let body: ListBody<JwtTemplateResource> = self
            .call(
                Method::GET,
                &["jwt_templates"],
                Some(&[("paginated", "true")]),
                None,
                "a list of JWTTemplate objects",
            )
            .await?;
        Ok(body.into_page().data)
    }

    /// `GET /v1/jwt_templates/{id}`.
    pub async fn get_jwt_template(&self, id: &str) -> Result<JwtTemplateResource, ApiError> {
        self.call(
            Method::GET,
            &["jwt_templates", id],
            NO_QUERY,
            None,
            "a JWTTemplate",
        )
        .await
    }

    /// `POST /v1/jwt_templates` with the template's Backend API body.
    pub async fn create_jwt_template(
        &self,
        template: &JwtTemplate,
    ) -> Result<JwtTemplateResource, ApiError> {
        let body = template.to_api_body();
        self.call(
            Method::POST,
            &["jwt_templates"],
            NO_QUERY,
            Some(&body),
            "a JWTTemplate",
        )
        .await
    }

    /// `PATCH /v1/jwt_templates/{id}` with the template's Backend API body.
    pub async fn update_jwt_template(
        &self,
        id: &str,
        template: &JwtTemplate,
    ) -> Result<JwtTemplateResource, ApiError> {
        let body = template.to_api_body();
        self.call(
            Method::PATCH,
            &["jwt_templates", id],
            NO_QUERY,
            Some(&body),
            "a JWTTemplate",
        )
        .await
    }

    /// `DELETE /v1/jwt_templates/{id}`.
    pub async fn delete_jwt_template(&self, id: &str) -> Result<DeletedObject, ApiError> {
        self.call(
            Method::DELETE,
            &["jwt_templates", id],
            NO_QUERY,
            None,
            "a DeletedObject",
        )
        .await
    }

    /// The template with this name, if any (Clerk has no get-by-name: this lists).
    pub async fn find_template_by_name(
        &self,
        name: &str,
    ) -> Result<Option<JwtTemplateResource>, ApiError> {
        Ok(self
            .list_jwt_templates()
            .await?
            .into_iter()
            .find(|t| t.name == name))
    }

    /// Push: creates the template, or updates the one with the same name when it differs.
    pub async fn upsert_template(&self, template: &JwtTemplate) -> Result<Upserted, ApiError> {
        match self.find_template_by_name(&template.name).await? {
            None => Ok(Upserted::Created(self.create_jwt_template(template).await?)),
            Some(existing) if existing.matches(template) => Ok(Upserted::Unchanged(existing)),
            Some(existing) => Ok(Upserted::Updated(
                self.update_jwt_template(&existing.id, template).await?,
            )),
        }
    }

    /// Push for a custom-signing-key template (`signing_algorithm` set): creates or updates
    /// the template by name with `signing_key` (the private key PEM, or the secret for `HS*`,
    /// e.g. Supabase's JWT secret). Always writes, since Clerk never returns the key to compare.
    pub async fn upsert_template_with_key(
        &self,
        template: &JwtTemplate,
        signing_key: &str,
    ) -> Result<Upserted, ApiError> {
        if template.signing_algorithm.is_none() {
            return Err(ApiError::Config {
                expected: "a template with a signing_algorithm (custom signing key)",
                found: format!("template {:?} uses the instance key", template.name),
            });
        }
        let mut body = template.to_api_body();
        if let Some(obj) = body.as_object_mut() {
            obj.insert("signing_key".into(), Value::String(signing_key.to_owned()));
        }
        match self.find_template_by_name(&template.name).await? {
            None => Ok(Upserted::Created(
                self.call(
                    Method::POST,
                    &["jwt_templates"],
                    NO_QUERY,
                    Some(&body),
                    "a JWTTemplate",
                )
                .await?,
            )),
            Some(existing) => Ok(Upserted::Updated(
                self.call(
                    Method::PATCH,
                    &["jwt_templates", &existing.id],
                    NO_QUERY,
                    Some(&body),
                    "a JWTTemplate",
                )
                .await?,
            )),
        }
    }

    /// `GET /v1/sessions?paginated=true`: one page of sessions, newest first.
    pub async fn list_sessions(
        &self,
        params: &SessionListParams,
    ) -> Result<Page<Session>, ApiError> {
        #[derive(Serialize)]
        struct Query<'a> {
            #[serde(flatten)]
            params: &'a SessionListParams,
            paginated: bool,
        }
        let body: ListBody<Session> = self
            .call(
                Method::GET,
                &["sessions"],
                Some(&Query {
                    params,
                    paginated: true,
                }),
                None,
                "a list of Session objects",
            )
            .await?;
        Ok(body.into_page())
    }

    /// Every session of a user, across all their clients (devices, browsers), newest first:
    /// [`list_sessions`](Self::list_sessions) page after page (500 a page). `status` narrows
    /// it (e.g. [`SessionStatus::Active`] for "where am I signed in").
    pub async fn user_sessions(
        &self,
        user_id: &str,
        status: Option<SessionStatus>,
    ) -> Result<Vec<Session>, ApiError> {
        const PAGE: u32 = 500;
        // Far beyond any real user (Clerk cleans up old sessions); a server that keeps
        // sending full pages cannot grow this without bound.
        const MAX_PAGES: usize = 100;
        let mut all: Vec<Session> = Vec::new();
        for _ in 0..MAX_PAGES {
            let params = SessionListParams {
                user_id: Some(user_id.to_owned()),
                status,
                limit: Some(PAGE),
                offset: Some(u32::try_from(all.len()).unwrap_or(u32::MAX)),
                ..SessionListParams::default()
            };
            let page = self.list_sessions(&params).await?;
            let got = page.data.len();
            all.extend(page.data);
            // A short page, an empty page or the announced total ends it (a total that does
            // not move forward cannot loop forever).
            if got < PAGE as usize || got == 0 || all.len() as u64 >= page.total_count {
                return Ok(all);
            }
        }
        Err(ApiError::UnexpectedResponse {
            method: "GET",
            path: "/v1/sessions".to_owned(),
            status: 200,
            expected: "at most 50000 sessions of one user",
            found: format!("more than {} sessions, still paging", all.len()),
        })
    }

    /// "Sign out everywhere else": revokes every active session of `user_id` except `keep`.
    ///
    /// Refuses with [`ApiError::KeepSessionNotActive`], revoking nothing, when `keep` is not one
    /// of the user's active sessions (revoking "the others" would then sign the user out on
    /// every device). Otherwise every other active session is tried, and one that fails does
    /// not stop the rest: the [`RevokedOthers`] lists what was revoked and what failed (still
    /// active). Tokens already issued to a revoked session stay valid until their `exp`.
    pub async fn revoke_other_sessions(
        &self,
        user_id: &str,
        keep: &str,
    ) -> Result<RevokedOthers, ApiError> {
        let sessions = self.user_sessions(user_id, None).await?;
        let kept = match sessions.iter().find(|s| s.id == keep) {
            Some(s) if s.is_active() => s.clone(),
            other => {
                return Err(ApiError::KeepSessionNotActive {
                    user_id: user_id.to_owned(),
                    session_id: keep.to_owned(),
                    found: match other {
                        Some(s) => format!("a session with status {}", s.status.as_str()),
                        None => "no such session of this user".to_owned(),
                    },
                });
            }
        };
        let mut done = RevokedOthers {
            kept,
            revoked: Vec::new(),
            failed: Vec::new(),
        };
        for session in sessions
            .into_iter()
            .filter(|s| s.id != keep && s.is_active())
        {
            match self.revoke_session(&session.id).await {
                Ok(revoked) => done.revoked.push(revoked),
                Err(error) => done.failed.push(RevokeFailure { session, error }),
            }
        }
        Ok(done)
    }

    /// `GET /v1/sessions/{id}`.
    pub async fn get_session(&self, id: &str) -> Result<Session, ApiError> {
        self.call(Method::GET, &["sessions", id], NO_QUERY, None, "a Session")
            .await
    }

    /// `POST /v1/sessions/{id}/revoke`: the session, now `revoked`.
    pub async fn revoke_session(&self, id: &str) -> Result<Session, ApiError> {
        self.call(
            Method::POST,
            &["sessions", id, "revoke"],
            NO_QUERY,
            None,
            "a Session",
        )
        .await
    }

    /// `POST /v1/sessions/{id}/tokens`: a session token (the default claims).
    pub async fn create_session_token(
        &self,
        session_id: &str,
        expires_in_seconds: Option<u32>,
    ) -> Result<String, ApiError> {
        self.mint(&["sessions", session_id, "tokens"], expires_in_seconds)
            .await
    }

    /// `POST /v1/sessions/{id}/tokens/{template}`: a token of a JWT template.
    /// Clerk answers 404 when the session is not active or the template does not exist.
    pub async fn create_template_token(
        &self,
        session_id: &str,
        template: &str,
        expires_in_seconds: Option<u32>,
    ) -> Result<String, ApiError> {
        self.mint(
            &["sessions", session_id, "tokens", template],
            expires_in_seconds,
        )
        .await
    }

    /// `POST` to a session's token endpoint (`segments`): the minted JWT.
    async fn mint(
        &self,
        segments: &[&str],
        expires_in_seconds: Option<u32>,
    ) -> Result<String, ApiError> {
        let body = serde_json::to_value(ExpiresIn { expires_in_seconds }).unwrap_or_default();
        let token: Token = self
            .call(Method::POST, segments, NO_QUERY, Some(&body), "a Token")
            .await?;
        Ok(token.jwt)
    }

    /// `GET /v1/users/{id}`: the Backend API `User` object, as JSON.
    pub async fn get_user(&self, id: &str) -> Result<Value, ApiError> {
        self.call(Method::GET, &["users", id], NO_QUERY, None, "a User")
            .await
    }

    /// `PATCH /v1/users/{id}/metadata`: deep-merges `update` into the user's metadata (a
    /// `null` value deletes its key) and returns the updated `User` object, as JSON. Clerk
    /// sends a `user.updated` webhook; template tokens minted from now on carry the new
    /// `user.public_metadata.*` values (tokens already minted keep theirs until `exp`).
    ///
    /// ```
    /// # #[cfg(feature = "testing")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use clerk_claims::api::UserMetadataUpdate;
    /// use serde_json::json;
    /// # let fake = clerk_claims::testing::fake::FakeClerk::start();
    /// # let api = fake.api()?;
    /// // Alice's public metadata is {"plan": "pro", "hasura_role": "editor"}.
    /// let update = UserMetadataUpdate::public(json!({"plan": "team", "hasura_role": null}));
    /// let user = api.update_user_metadata("user_2alice", &update).await?;
    /// assert_eq!(user["public_metadata"], json!({"plan": "team"}));
    /// # Ok(()) }
    /// # #[cfg(not(feature = "testing"))]
    /// # fn main() {}
    /// ```
    pub async fn update_user_metadata(
        &self,
        id: &str,
        update: &UserMetadataUpdate,
    ) -> Result<Value, ApiError> {
        let body = serde_json::to_value(update).unwrap_or_default();
        self.call(
            Method::PATCH,
            &["users", id, "metadata"],
            NO_QUERY,
            Some(&body),
            "a User",
        )
        .await
    }

    /// `GET /v1/jwks`: the instance's JSON Web Key Set.
    pub async fn jwks(&self) -> Result<Value, ApiError> {
        self.call(Method::GET, &["jwks"], NO_QUERY, None, "a JWKS")
            .await
    }

    /// The Backend API's time (Unix seconds), from the `Date` header of `GET /v1/jwks`: the
    /// reference a rejected token's times are compared with to tell this machine's clock off.
    /// `None` when the request fails or the answer has no readable `Date`.
    pub async fn server_time(&self) -> Option<i64> {
        let mut url = self.base_url.clone();
        url.path_segments_mut()
            .ok()?
            .pop_if_empty()
            .extend(["v1", "jwks"]);
        let response = self
            .http
            .get(url)
            .bearer_auth(self.secret_key.expose())
            .header("Clerk-API-Version", API_VERSION)
            .send()
            .await
            .ok()?;
        let date = response
            .headers()
            .get(reqwest::header::DATE)?
            .to_str()
            .ok()?;
        http_date(date)
    }

    /// `GET /v1/clients/handshake_payload?nonce=…`: the `Set-Cookie` lines (`directives`) a
    /// handshake nonce stands for (the request flow's handshake return).
    pub async fn handshake_payload(&self, nonce: &str) -> Result<Vec<String>, ApiError> {
        #[derive(serde::Deserialize)]
        struct HandshakePayload {
            directives: Vec<String>,
        }
        let payload: HandshakePayload = self
            .call(
                Method::GET,
                &["clients", "handshake_payload"],
                Some(&[("nonce", nonce)]),
                None,
                "a handshake payload",
            )
            .await?;
        Ok(payload.directives)
    }

    async fn call<T: DeserializeOwned, Q: Serialize + ?Sized>(
        &self,
        method: Method,
        segments: &[&str],
        query: Option<&Q>,
        body: Option<&Value>,
        expected: &'static str,
    ) -> Result<T, ApiError> {
        self.call_under("v1", method, segments, query, body, expected)
            .await
    }

    /// [`call`](Self::call) under another root than `/v1` (the fake's own `/_fake` routes).
    pub(crate) async fn call_under<T: DeserializeOwned, Q: Serialize + ?Sized>(
        &self,
        root: &str,
        method: Method,
        segments: &[&str],
        query: Option<&Q>,
        body: Option<&Value>,
        expected: &'static str,
    ) -> Result<T, ApiError> {
        let method_name = method_name(&method);
        let mut url = self.base_url.clone();
        {
            let mut path = url.path_segments_mut().map_err(|()| ApiError::Config {
                expected: "an http(s) base URL",
                found: self.base_url.to_string(),
            })?;
            // Pushing segments percent-encodes them: an ID cannot change the path.
            path.pop_if_empty().push(root).extend(segments);
        }
        let path = url.path().to_owned();
        let mut request = self
            .http
            .request(method, url)
            .bearer_auth(self.secret_key.expose())
            .header("Clerk-API-Version", API_VERSION);
        if let Some(query) = query {
            request = request.query(query);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let transport = |source: reqwest::Error| ApiError::Transport {
            method: method_name,
            path: path.clone(),
            source: TransportError::from_reqwest(&source.without_url()),
        };
        let started = crate::metrics::Started::now();
        let sent = request.send().await;
        let status = sent.as_ref().ok().map(|r| r.status().as_u16());
        crate::metrics::backend_api(root, segments, status, started);
        let response = sent.map_err(transport)?;
        let status = response.status().as_u16();
        // Backend API bodies are small; a cap keeps a broken or hostile endpoint from
        // filling memory (the JWKS fetch has its own, smaller cap).
        const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
        let bytes = match crate::http::read_capped(response, MAX_BODY_BYTES).await {
            Ok(bytes) => bytes,
            Err(crate::http::BodyError::Transport(e)) => return Err(transport(e)),
            Err(too_large @ crate::http::BodyError::TooLarge { .. }) => {
                return Err(ApiError::UnexpectedResponse {
                    method: method_name,
                    path,
                    status,
                    expected,
                    found: too_large.to_string(),
                });
            }
        };
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| ApiError::UnexpectedResponse {
                method: method_name,
                path: path.clone(),
                status,
                expected,
                found: format!("{e} in body {}", preview(&bytes)),
            });
        }
        match serde_json::from_slice::<ClerkErrors>(&bytes) {
            Ok(envelope) => Err(failure(method_name, path, status, envelope)),
            Err(_) => Err(ApiError::UnexpectedResponse {
                method: method_name,
                path,
                status,
                expected: "Clerk's error envelope {errors: [...]} with a non-2xx status",
                found: preview(&bytes),
            }),
        }
    }
}

const NO_QUERY: Option<&[(&str, &str)]> = None;

/// An IMF-fixdate (`Tue, 08 Dec 2026 00:17:55 GMT`, RFC 9110 §5.6.7) as Unix seconds.
fn http_date(text: &str) -> Option<i64> {
    let mut parts = text.split_whitespace().skip(1);
    let day: i64 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month)? as i64
        + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

fn failure(method: &'static str, path: String, status: u16, envelope: ClerkErrors) -> ApiError {
    let first = envelope.errors.first().cloned();
    let (code, message, long_message) = match first {
        Some(e) => (e.code, e.message, e.long_message),
        None => (
            "unknown".to_owned(),
            "no error given".to_owned(),
            "Clerk sent an empty error list".to_owned(),
        ),
    };
    if status == 401 && code == "clerk_key_invalid" {
        return ApiError::SecretKeyInvalid {
            message,
            trace_id: envelope.clerk_trace_id,
        };
    }
    let long_message = if long_message.is_empty() {
        message.clone()
    } else {
        long_message
    };
    ApiError::Clerk {
        method,
        path,
        failure: Box::new(ApiFailure {
            status,
            code,
            message,
            long_message,
            envelope,
        }),
    }
}

fn parse_base_url(url: &str) -> Result<Url, ApiError> {
    let trimmed = url.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_suffix("/v1").unwrap_or(trimmed);
    let parsed = Url::parse(trimmed).map_err(|e| ApiError::Config {
        expected: "an http(s) URL such as https://api.clerk.com",
        found: format!("{trimmed:?} ({e})"),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(ApiError::Config {
            expected: "an http(s) URL such as https://api.clerk.com",
            found: format!("{trimmed:?}"),
        });
    }
    Ok(parsed)
}

fn method_name(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::PUT => "PUT",
        _ => "request",
    }
}

/// At most 200 characters of a body, for error messages.
fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("an empty body");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_http_date_reads_as_unix_seconds() {
        assert_eq!(
            http_date("Tue, 08 Dec 2026 00:17:55 GMT"),
            Some(1_796_689_075)
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Sun, 29 Feb 2004 12:00:00 GMT"),
            Some(1_078_056_000)
        );
        for bad in [
            "",
            "Tue, 08 Foo 2026 00:17:55 GMT",
            "Tue, 08 Dec 2026 25:00:00 GMT",
            "x y",
        ] {
            assert_eq!(http_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_secret_key() {
        let api = ClerkApi::new("sk_test_supersecretvalue123").expect("valid key format");
        let debug = format!("{api:?}");
        assert!(!debug.contains("supersecretvalue123"), "{debug}");
        assert!(debug.contains("sk_test_"), "{debug}");
    }

    #[test]
    fn key_without_sk_prefix_is_a_config_error() {
        let err = ClerkApi::new("pk_test_abc").expect_err("pk is not a secret key");
        assert!(matches!(err, ApiError::Config { .. }), "{err}");
    }

    #[test]
    fn base_url_accepts_a_trailing_v1() {
        let api = ClerkApi::new("sk_test_abcdefgh")
            .and_then(|a| a.with_base_url("http://127.0.0.1:9/v1/"))
            .expect("valid url");
        assert_eq!(api.base_url(), "http://127.0.0.1:9");
    }

    #[test]
    fn unauthorized_clerk_key_invalid_maps_to_secret_key_invalid() {
        let envelope: ClerkErrors = serde_json::from_value(serde_json::json!({
            "errors": [{"message": "Secret key is invalid", "long_message": "…", "code": "clerk_key_invalid"}]
        }))
        .expect("envelope");
        let err = failure("GET", "/v1/jwks".into(), 401, envelope);
        assert!(matches!(err, ApiError::SecretKeyInvalid { .. }), "{err}");
        assert_eq!(err.code(), Some("clerk_key_invalid"));
    }
}
