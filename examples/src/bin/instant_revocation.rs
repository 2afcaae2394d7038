//! "Sign out other devices" that takes effect at once on every app instance:
//! `cargo run -p clerk-claims-examples --bin instant_revocation`, fully offline.
//!
//! Two instances of one app (A and B, each with its own in-memory revocation list) verify
//! Clerk session tokens and `api` JWT-template tokens networklessly, and an embedded FakeClerk
//! plays Clerk, sending its Svix-signed webhooks to B. Alice is signed in on her laptop and her
//! phone. From the laptop she signs out her other devices through A, which calls the Backend
//! API (`revoke_other_sessions`) and lists what it revoked; Clerk's `session.revoked` webhook
//! tells B. The phone's tokens are still inside their lifetime, yet its next requests are
//! refused on both instances with `session-revoked`: the session token by its `sid`, the
//! template token (which has no `sid`) because it was issued to Alice before the revocation.
//! The laptop's session token goes on. With more instances, the `redis` feature's `RedisSync`
//! shares one list instead.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use clerk_claims::api::ClerkApi;
use clerk_claims::axum::{Claims, ClerkSession};
use clerk_claims::revocation::RevocationList;
use clerk_claims::testing::fake::{FakeClerk, WebhookConfig};
use clerk_claims::webhooks::Webhook;
use clerk_claims::webhooks::axum::VerifiedWebhook;
use clerk_claims::{ClerkClaims, Verifier};
use clerk_claims_examples::ApiClaims;
use clerk_claims_examples::offline::{self, Error, check};
use serde_json::{Value, json};

/// The endpoint's signing secret (Clerk Dashboard → Webhooks; `CLERK_WEBHOOK_SIGNING_SECRET`).
const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const LAPTOP: &str = "sess_2alice_acme";
const PHONE: &str = "sess_2alice_personal";

/// One app instance's state.
#[derive(Clone)]
struct App {
    verifier: Verifier,
    webhook: Webhook,
    revocations: RevocationList,
    api: ClerkApi,
}

impl FromRef<App> for Verifier {
    fn from_ref(app: &App) -> Verifier {
        app.verifier.clone()
    }
}

impl FromRef<App> for Webhook {
    fn from_ref(app: &App) -> Webhook {
        app.webhook.clone()
    }
}

async fn me(session: ClerkSession) -> Json<Value> {
    Json(json!({ "user_id": session.user_id(), "session_id": session.session_id() }))
}

/// A route for `api` template tokens.
async fn plan(claims: Claims<ApiClaims>) -> Json<Value> {
    Json(json!({ "user_id": claims.sub, "plan": claims.plan }))
}

/// Signs out every other session of the caller, and refuses their tokens here at once.
async fn sign_out_others(
    State(app): State<App>,
    session: ClerkSession,
) -> Result<Json<Value>, (StatusCode, String)> {
    let user = session.user_id();
    let Some(keep) = session.session_id() else {
        return Err((
            StatusCode::BAD_REQUEST,
            "a token without a session".to_owned(),
        ));
    };
    let done = app
        .api
        .revoke_other_sessions(user, keep)
        .await
        .map_err(|e| (StatusCode::BAD_GATEWAY, e.to_string()))?;
    let ids: Vec<&str> = done.revoked.iter().map(|s| s.id.as_str()).collect();
    // With the user: their template tokens carry no `sid`, and are refused by user and `iat`.
    app.revocations.revoke_sessions(user, &ids);
    Ok(Json(json!({ "revoked": ids })))
}

/// Clerk's webhooks: the ending-session events (with their user) go into the revocation list.
async fn clerk_webhook(
    State(app): State<App>,
    VerifiedWebhook(message): VerifiedWebhook,
) -> &'static str {
    if let Some(session) = app.revocations.apply(&message.event) {
        println!(
            "   B: webhook {} revokes {session}",
            message.event.event_type()
        );
    }
    "ok"
}

fn router(app: App) -> Router {
    Router::new()
        .route("/me", get(me))
        .route("/plan", get(plan))
        .route("/sign-out-others", post(sign_out_others))
        .route("/webhooks/clerk", post(clerk_webhook))
        .with_state(app)
}

async fn serve(listener: tokio::net::TcpListener, app: App) {
    tokio::spawn(async move {
        let _ = axum::serve(listener, router(app)).await;
    });
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    offline::exit_code("instant_revocation", run().await)
}

async fn run() -> Result<bool, Error> {
    // B's address first: the fake needs its webhook URL.
    let listener_a = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let listener_b = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let (a, b): (SocketAddr, SocketAddr) = (listener_a.local_addr()?, listener_b.local_addr()?);
    let fake = FakeClerk::builder()
        .webhooks(WebhookConfig::new(
            format!("http://{b}/webhooks/clerk"),
            WEBHOOK_SECRET,
        )?)
        .start()?;
    let api = fake.api()?;
    let instance = || -> Result<App, Error> {
        let revocations = RevocationList::new();
        let verifier = Verifier::builder()
            .jwks_url(fake.jwks_url())
            .issuer(fake.frontend_api_url())
            .revocations(revocations.clone())
            .build()?;
        Ok(App {
            verifier,
            webhook: Webhook::new(WEBHOOK_SECRET)?,
            revocations,
            api: api.clone(),
        })
    };
    serve(listener_a, instance()?).await;
    serve(listener_b, instance()?).await;

    let http = reqwest::Client::new();
    let get = |at: SocketAddr, path: &'static str, token: &str| {
        http.get(format!("http://{at}{path}"))
            .bearer_auth(token)
            .send()
    };
    let get_me = |at: SocketAddr, token: &str| get(at, "/me", token);
    api.upsert_template(&ApiClaims::jwt_template()).await?;
    let laptop = api.create_session_token(LAPTOP, None).await?;
    let phone = api.create_session_token(PHONE, None).await?;
    // The phone's `getToken({ template: "api" })`: no `sid` in it.
    let phone_api = api.create_template_token(PHONE, "api", None).await?;

    println!("1. Alice's laptop and phone, on both instances:");
    let mut all = true;
    for (name, at) in [("A", a), ("B", b)] {
        for (device, token) in [("laptop", &laptop), ("phone", &phone)] {
            let status = get_me(at, token).await?.status();
            all &= check(status == 200, format!("{device} on {name}: {status}"));
        }
        let status = get(at, "/plan", &phone_api).await?.status();
        all &= check(
            status == 200,
            format!("phone's api template token on {name}: {status}"),
        );
    }

    println!("2. from the laptop, through A: sign out other devices");
    let started = Instant::now();
    let answer: Value = http
        .post(format!("http://{a}/sign-out-others"))
        .bearer_auth(&laptop)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("   A: revoked {}", answer["revoked"]);
    all &= check(
        answer["revoked"] == json!([PHONE]),
        "A revoked the phone's session",
    );
    all &= check(
        fake.wait_webhooks(Duration::from_secs(5)),
        "Clerk's webhook reached B",
    );
    println!(
        "   the webhook reached B {:?} after the sign-out request was sent",
        started.elapsed()
    );

    println!("3. the phone's next requests (its tokens still have 60 s and 300 s to live):");
    for (name, at) in [("A", a), ("B", b)] {
        for (what, path, token) in [
            ("phone", "/me", &phone),
            ("phone's api template token", "/plan", &phone_api),
        ] {
            let response = get(at, path, token).await?;
            let status = response.status();
            let reason = response
                .headers()
                .get("x-clerk-auth-reason")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_owned();
            all &= check(
                status == 401 && reason == "session-revoked",
                format!("{what} on {name}: {status} {reason}"),
            );
        }
    }
    println!("4. the laptop goes on:");
    for (name, at) in [("A", a), ("B", b)] {
        let status = get_me(at, &laptop).await?.status();
        all &= check(status == 200, format!("laptop on {name}: {status}"));
    }
    Ok(all)
}
