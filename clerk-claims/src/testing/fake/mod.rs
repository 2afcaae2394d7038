//! FakeClerk: a local fake of the Clerk endpoints clerk-claims talks to (feature `testing`).
//!
//! A server on loopback serving the Frontend API `/.well-known/jwks.json` and
//! `/v1/client/handshake`, and a Backend API subset under `/v1`: `jwks`, `jwt_templates`
//! (list/create/get/update/delete with Clerk's save checks and error envelope), `users/{id}`
//! (get, update) and `users/{id}/metadata` (Clerk's deep merge),
//! `organizations/{id}/memberships[/{user_id}]` (list, create, update the role, delete),
//! `sessions` (list with filters and pagination, create, get, revoke) and
//! `sessions/{id}/tokens[/{template}]`, `clients/handshake_payload`. Beyond Clerk's APIs, a
//! sign-out on a device: [`FakeClerk::end_session`] in process, [`end_session_over_http`]
//! (`POST /_fake/sessions/{id}/end`, e.g. `clerk-claims sessions end`) for a fake in another
//! process. What changes shows in what the fake serves next, the tokens it mints included, and
//! goes out as a signed webhook when an endpoint is configured
//! ([`FakeClerkBuilder::webhooks`]). Session tokens carry the instance's customized session
//! claims when set ([`FakeClerk::set_session_claims`], e.g. from a `#[clerk(session_token)]`
//! type). State lives in memory, seeded from Backend-API-shaped JSON ([`Seed`]). Response
//! bodies follow Clerk's OpenAPI schemas (the workspace's tests validate every one).
//!
//! Like Clerk, the fake reads an absent, empty or `null` request body as "no options", saves
//! templates with shortcodes its engine does not substitute, and mints their text as written.
//! Time comes from one [`Clock`] ([`FakeClerkBuilder::clock`], [`FakeClerk::clock`]): the
//! timestamps it writes and the tokens it mints both follow it, and
//! [`advance_clock`](FakeClerk::advance_clock) moves it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use clerk_claims::testing::fake::FakeClerk;
//! let fake = FakeClerk::start();
//! let api = fake.api()?;
//! let sessions = api.list_sessions(&clerk_claims::api::SessionListParams::for_user("user_2alice")).await?;
//! let jwt = api.create_session_token(&sessions.data[0].id, None).await?;
//! # let _ = jwt; Ok(()) }
//! ```

// Routes are registered in one place, `routes::router`, one `.route(…)` line each; handlers
// reach the instance through `shared::Shared`. `tests/tests/fake_openapi.rs` validates every
// response body against Clerk's OpenAPI schemas.

mod error;
mod fault;
mod handshake;
mod rbac;
mod routes;
mod seed;
mod shared;
mod state;
mod tokens;
mod webhooks;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

pub use error::FakeError;
pub use fault::{Fault, FaultKind};
pub use seed::{DEFAULT_SEED_JSON, Seed};
pub use webhooks::{WebhookConfig, WebhookDelivery};

use crate::Clock;
use crate::api::{ApiError, ClerkApi};
use crate::template::JwtTemplate;
use crate::testing::issuer::TestIssuer;
use crate::verify::{API_URL_ENV, ClerkEnv, PUBLISHABLE_KEY_ENV, SECRET_KEY_ENV};
use shared::{RequestLog, Shared};
use state::State;

/// Builds a [`FakeClerk`]: listen address and seed.
#[derive(Debug, Clone)]
pub struct FakeClerkBuilder {
    addr: SocketAddr,
    seed: Option<Seed>,
    secret_key: Option<String>,
    session_claims: Option<JwtTemplate>,
    clock: Option<Clock>,
    webhooks: Option<WebhookConfig>,
}

impl FakeClerkBuilder {
    /// Listen here instead of `127.0.0.1:0` (a free port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Start from this seed, as given (its timestamps are not moved), instead of the default
    /// seed as of the clock's time ([`Seed::default_seed_at`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Use this secret key instead of a random `sk_test_…`.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// Start with these "Customize session token" claims (see
    /// [`FakeClerk::set_session_claims`]).
    pub fn session_claims(mut self, template: JwtTemplate) -> Self {
        self.session_claims = Some(template);
        self
    }

    /// Use this clock instead of a fresh system clock: the timestamps the fake writes
    /// (`created_at`, `updated_at`, `last_active_at`, `expire_at` …) and the tokens it mints
    /// follow it. Hand a clone to the verifier under test and one move moves both.
    ///
    /// ```
    /// use clerk_claims::Clock;
    /// use clerk_claims::testing::fake::FakeClerk;
    ///
    /// let clock = Clock::manual(1_767_225_600);
    /// let fake = FakeClerk::builder().clock(clock.clone()).start()?;
    /// fake.advance_clock(60);
    /// assert_eq!(clock.now(), 1_767_225_660);
    /// assert_eq!(fake.issuer().clock().now(), 1_767_225_660);
    /// # Ok::<(), clerk_claims::testing::fake::FakeError>(())
    /// ```
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Binds the socket and starts serving on a background thread.
    pub fn start(self) -> Result<FakeClerk, FakeError> {
        let clock = self.clock.unwrap_or_default();
        let seed = match self.seed {
            Some(seed) => seed,
            None => Seed::default_seed_at(crate::api::UnixMillis::now(&clock))?,
        };
        seed.check()?;
        let session_claims = self
            .session_claims
            .as_ref()
            .map(checked_session_claims)
            .transpose()?;
        let mut state = State::new(seed, clock.clone()).map_err(|f| FakeError::Seed {
            what: "jwt_templates".to_owned(),
            expected: "templates Clerk would accept",
            found: f
                .errors
                .first()
                .map(|e| e.long_message.clone())
                .unwrap_or_default(),
        })?;
        state.session_claims = session_claims;
        let start_err = |source| FakeError::Start {
            addr: self.addr.to_string(),
            source,
        };
        let listener = std::net::TcpListener::bind(self.addr).map_err(start_err)?;
        listener.set_nonblocking(true).map_err(start_err)?;
        let addr = listener.local_addr().map_err(start_err)?;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            keys: Mutex::new(
                TestIssuer::with_frontend_api(&addr.to_string()).with_clock(clock.clone()),
            ),
            faults: Mutex::new(Vec::new()),
            requests: Mutex::new(RequestLog::default()),
            webhooks: self
                .webhooks
                .map(|config| webhooks::WebhookSender::start(config, clock.clone()))
                .transpose()?,
            clock,
            secret_key: self.secret_key.unwrap_or_else(random_secret_key),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(start_err)?;
        let app = routes::router(shared.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(format!("fake-clerk-{addr}"))
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    tokio::select! {
                        _ = axum::serve(listener, app) => {}
                        _ = stopped => {}
                    }
                });
            })
            .map_err(start_err)?;
        Ok(FakeClerk {
            shared,
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// A fake Clerk instance on loopback; stops when dropped.
#[derive(Debug)]
pub struct FakeClerk {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeClerk {
    /// A builder (address, seed, secret key).
    pub fn builder() -> FakeClerkBuilder {
        FakeClerkBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: None,
            secret_key: None,
            session_claims: None,
            clock: None,
            webhooks: None,
        }
    }

    /// Starts a fake with the default seed on a free loopback port.
    ///
    /// # Panics
    /// When no loopback socket can be bound (a broken test machine); use
    /// [`FakeClerk::builder`] to handle that as an error.
    pub fn start() -> FakeClerk {
        match FakeClerk::builder().start() {
            Ok(fake) => fake,
            Err(e) => panic!("FakeClerk::start: {e}"),
        }
    }

    /// Starts a fake with this seed on a free loopback port.
    ///
    /// # Panics
    /// When no loopback socket can be bound.
    pub fn start_with(seed: Seed) -> FakeClerk {
        match FakeClerk::builder().seed(seed).start() {
            Ok(fake) => fake,
            Err(e) => panic!("FakeClerk::start_with: {e}"),
        }
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL (`http://127.0.0.1:PORT`): the Backend API host for `CLERK_API_URL`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The Frontend API URL of the fake instance: the `iss` of every token it mints,
    /// `https://127.0.0.1:PORT` (Clerk issuers are https; the fake itself serves plain http on
    /// that address, so point verifiers at [`jwks_url`](Self::jwks_url) for keys).
    pub fn frontend_api_url(&self) -> String {
        self.shared.keys().issuer()
    }

    /// The publishable key of the fake instance: `pk_test_` + base64(`127.0.0.1:PORT$`).
    pub fn publishable_key(&self) -> String {
        self.shared.keys().publishable_key()
    }

    /// The [`TestIssuer`] holding the instance keys: mint tokens directly, get a verifier or
    /// the PEM. A snapshot: after [`rotate_keys`](Self::rotate_keys), call it again. Its tokens
    /// carry only the claims given to it, not the seed's: for a seeded session's token (its
    /// active organization, role and permissions), use
    /// `fake.api()?.create_session_token(session_id, None)`.
    pub fn issuer(&self) -> TestIssuer {
        self.shared.keys().clone()
    }

    /// The Frontend API JWKS URL (`<url>/.well-known/jwks.json`).
    pub fn jwks_url(&self) -> String {
        format!("{}/.well-known/jwks.json", self.url())
    }

    /// The Backend API JWKS URL (`<url>/v1/jwks`, needs the secret key).
    pub fn api_jwks_url(&self) -> String {
        format!("{}/v1/jwks", self.url())
    }

    /// The instance secret key (`sk_test_…`) the Backend API routes require.
    pub fn secret_key(&self) -> &str {
        self.shared.secret_key()
    }

    /// The environment `clerk-claims dev` prints for this fake, in its order:
    /// `CLERK_API_URL`, `CLERK_SECRET_KEY`, `CLERK_PUBLISHABLE_KEY`.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (API_URL_ENV, self.url()),
            (SECRET_KEY_ENV, self.secret_key().to_owned()),
            (PUBLISHABLE_KEY_ENV, self.publishable_key()),
        ]
    }

    /// [`env`](Self::env) as a [`ClerkEnv`], without touching the process environment: what
    /// `Verifier::from_env()` and `RequestOptions::from_env()` read in an app given those lines.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let fake = clerk_claims::testing::fake::FakeClerk::start();
    /// let verifier = fake.clerk_env().verifier().unwrap(); // keys from ${CLERK_API_URL}/v1/jwks
    /// let token = fake.api().unwrap().create_session_token("sess_2alice_acme", None).await.unwrap();
    /// assert_eq!(verifier.verify_session(&token).await.unwrap().sub, "user_2alice");
    /// # }
    /// ```
    pub fn clerk_env(&self) -> ClerkEnv {
        let env = self.env();
        ClerkEnv::from_lookup(|name| {
            env.iter()
                .find(|(variable, _)| *variable == name)
                .map(|(_, value)| value.clone())
        })
    }

    /// A Backend API client for this fake.
    pub fn api(&self) -> Result<ClerkApi, ApiError> {
        ClerkApi::new(self.secret_key())?.with_base_url(&self.url())
    }

    /// Rotates the instance signing key: new tokens use a new `kid`; the JWKS keeps the old
    /// key as well, as Clerk does during a rotation.
    pub fn rotate_keys(&self) {
        self.shared.keys().rotate();
    }

    /// Retires the keys replaced by [`rotate_keys`](Self::rotate_keys): they leave the JWKS.
    pub fn drop_retired_keys(&self) {
        self.shared.keys().drop_retired();
    }

    /// Sets the instance's "Customize session token" claims: from now on every session token
    /// (`POST /v1/sessions/{id}/tokens`) carries them, rendered for the session's user,
    /// organization and actor, under the default claims, which win on a clash (as in Clerk's
    /// [session token customization](https://clerk.com/docs/guides/sessions/customize-session-tokens)).
    ///
    /// Takes the claims of any template, typically `SessionExtras::jwt_template()` of a
    /// `#[clerk(session_token)]` type; only its `claims` matter. Like Clerk, the fake keeps
    /// them as a hidden template: `GET /v1/jwt_templates` does not list them. Claims Clerk
    /// would not save (reserved names, `aud: clerk`, over 2048 bytes) are refused.
    pub fn set_session_claims(&self, template: &JwtTemplate) -> Result<(), FakeError> {
        let claims = checked_session_claims(template)?;
        self.shared.lock().session_claims = Some(claims);
        Ok(())
    }

    /// Back to Clerk's default session token, without custom claims.
    pub fn clear_session_claims(&self) {
        self.shared.lock().session_claims = None;
    }

    /// Ends a session as a sign-out on its device does (Clerk's Frontend API, not the Backend
    /// API): an active session becomes `ended`, no more tokens are minted for it, and a
    /// `session.ended` webhook goes out when an endpoint is configured. Returns the session as
    /// the Backend API now serves it, or `None` when there is no active session `id`.
    ///
    /// ```
    /// use clerk_claims::api::SessionStatus;
    /// use clerk_claims::testing::fake::FakeClerk;
    ///
    /// let fake = FakeClerk::start();
    /// let ended = fake.end_session("sess_2alice_personal").map(|s| s.status);
    /// assert_eq!(ended, Some(SessionStatus::Ended));
    /// assert!(fake.end_session("sess_2alice_personal").is_none(), "already ended");
    /// ```
    pub fn end_session(&self, id: &str) -> Option<crate::api::Session> {
        self.shared.end_session(id).ok()
    }

    /// Adds a fault; faults apply in the order added.
    pub fn inject(&self, fault: Fault) {
        self.shared.faults().push(fault);
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        self.shared.faults().clear();
    }

    /// The latest requests served (up to 1000), oldest first, as `METHOD /path` (e.g.
    /// `POST /v1/sessions/sess_1/tokens/api`).
    pub fn requests(&self) -> Vec<String> {
        self.shared.requests().recent.iter().cloned().collect()
    }

    /// How many requests so far were `METHOD /path` exactly: lets a test count Backend API
    /// calls.
    pub fn request_count(&self, method: &str, path: &str) -> usize {
        self.shared
            .requests()
            .counts
            .get(&format!("{method} {path}"))
            .copied()
            .unwrap_or(0)
    }

    /// Moves the fake's clock forward (or back, with a negative number): its timestamps and
    /// the tokens it mints from now on follow. With a clock shared with the client
    /// ([`FakeClerkBuilder::clock`]) the client moves too; otherwise move the client's clock by
    /// the same amount to test expiry without waiting.
    pub fn advance_clock(&self, seconds: i64) {
        let by = Duration::from_secs(seconds.unsigned_abs());
        if seconds >= 0 {
            self.shared.clock.advance(by);
        } else {
            self.shared.clock.rewind(by);
        }
    }

    /// The fake's clock (shared by its state, its issuer and the tokens it mints): hand a clone
    /// to a verifier so both read one time.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// The fake's current time in Unix seconds (see [`clock`](Self::clock)).
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// The JWKS the fake serves now.
    pub fn jwks(&self) -> Value {
        self.shared.jwks()
    }
}

/// Ends a session of a fake reached over HTTP (a `clerk-claims dev` in another process), as
/// [`FakeClerk::end_session`] does in process: `POST /_fake/sessions/{id}/end` with `api`'s
/// secret key, answered with the session as the Backend API now serves it (`ended`), and a
/// `session.ended` webhook when an endpoint is configured.
///
/// A route of the fake only: Clerk ends a session when the user signs out on its device
/// (Frontend API); its Backend API can only revoke one ([`ClerkApi::revoke_session`]), so
/// against Clerk this answers 404. A session that is not active is 404 too.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use clerk_claims::api::SessionStatus;
/// use clerk_claims::testing::fake::{FakeClerk, end_session_over_http};
///
/// let fake = FakeClerk::start();
/// let ended = end_session_over_http(&fake.api()?, "sess_2bob_acme").await?;
/// assert_eq!(ended.status, SessionStatus::Ended);
/// # Ok(()) }
/// ```
pub async fn end_session_over_http(
    api: &ClerkApi,
    id: &str,
) -> Result<crate::api::Session, ApiError> {
    api.call_under(
        "_fake",
        reqwest::Method::POST,
        &["sessions", id, "end"],
        None::<&[(&str, &str)]>,
        None,
        "a Session",
    )
    .await
}

/// The claims of `template` if Clerk would save them as the session-token template.
fn checked_session_claims(template: &JwtTemplate) -> Result<Value, FakeError> {
    clerk_claims_lang::rules::check_claims(&template.claims)
        .map_err(|violation| FakeError::SessionClaims { violation })?;
    Ok(template.claims.clone())
}

fn random_secret_key() -> String {
    let mut bytes = [0u8; 16];
    // aws-lc-rs's system RNG; on the unthinkable failure a fixed key still works locally.
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        return "sk_test_fakeclerk0000000000000000".to_owned();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sk_test_fake{hex}")
}

impl Drop for FakeClerk {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
