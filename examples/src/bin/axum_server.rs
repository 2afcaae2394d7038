//! A small API behind Clerk: `cargo run -p clerk-claims-examples --bin axum_server`.
//!
//! - `/api/*` sits behind `ClerkLayer::new(verifier).template::<ApiClaims>()`: each request's
//!   JWT-template token is verified once, and every guard and extractor reads that outcome;
//! - `GET /api/me`: the caller's `ApiClaims` (`Claims<ApiClaims>`);
//! - `GET /api/invoices` / `POST /api/invoices`: guarded by
//!   `require(Permission::InvoicesRead / InvoicesWrite).on::<ApiClaims>()`, so a caller without
//!   the permission gets 403 naming it before the JSON body is even read (a malformed body is
//!   403 for them, 400 for a caller with the permission);
//! - `GET /session`: Clerk's session token (`ClerkSession`), Bearer or `__session` cookie;
//! - `GET /health`;
//! - `GET /metrics`: clerk-claims' metrics (feature `metrics`) in Prometheus' text format,
//!   through `metrics-exporter-prometheus`.
//!
//! With `CLERK_JWT_KEY` (PEM), `CLERK_PUBLISHABLE_KEY` or `CLERK_SECRET_KEY` set, it verifies
//! a real instance's tokens. Without, it starts an embedded FakeClerk, pushes the `api`
//! template and prints ready-to-use `curl` commands. `--self-test` serves on a free port, sends
//! one request per rule above, prints the results and exits (0 when all pass).
//! `--addr HOST:PORT` (default `127.0.0.1:3000`).

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use clerk_claims::axum::{Claims, ClerkLayer, ClerkSession, require};
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::{ClerkClaims, Verifier};
use clerk_claims_examples::offline::{self, Error, check};
use clerk_claims_examples::{ApiClaims, Permission};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use serde_json::{Value, json};

async fn me(claims: Claims<ApiClaims>) -> Json<Value> {
    Json(json!({
        "user_id": claims.sub,
        "email": claims.email,
        "plan": claims.plan,
        "org_id": claims.org_id,
        "role": claims.role.map(|r| r.key()),
        "display_name": claims.display_name,
    }))
}

async fn list_invoices(claims: Claims<ApiClaims>) -> Json<Value> {
    Json(json!({
        "org_id": claims.org_id,
        "invoices": [{"id": "inv_1", "total": 1200}, {"id": "inv_2", "total": 80}],
    }))
}

/// Runs only when the guard let the request through; `Json` then reads the body.
async fn create_invoice(
    claims: Claims<ApiClaims>,
    Json(invoice): Json<Value>,
) -> (StatusCode, Json<Value>) {
    (
        StatusCode::CREATED,
        Json(json!({
            "id": "inv_3",
            "org_id": claims.org_id,
            "created_by": claims.sub,
            "total": invoice["total"],
        })),
    )
}

async fn session(session: ClerkSession) -> Json<Value> {
    let auth = session.auth();
    Json(json!({
        "user_id": session.user_id(),
        "session_id": session.session_id(),
        "org_id": auth.org_id,
        "org_role": auth.org_role,
        "is_admin": session.has_role_key("org:admin"),
    }))
}

fn app(verifier: Verifier, metrics: PrometheusHandle) -> Router {
    let invoices = get(list_invoices)
        .route_layer(require(Permission::InvoicesRead).on::<ApiClaims>())
        .merge(
            post(create_invoice).route_layer(require(Permission::InvoicesWrite).on::<ApiClaims>()),
        );
    let api = Router::new()
        .route("/me", get(me))
        .route("/invoices", invoices)
        .layer(ClerkLayer::new(verifier.clone()).template::<ApiClaims>());
    Router::new()
        .nest("/api", api)
        .route("/session", get(session))
        .route("/health", get(|| async { "ok" }))
        .route("/metrics", get(move || async move { metrics.render() }))
        .with_state(verifier)
}

/// The process's metrics recorder: Prometheus' text format, with histogram buckets for the
/// `…_seconds` metrics (from 50 µs, a cached verification, to 5 s, a slow Backend API call).
fn metrics_recorder() -> Result<PrometheusHandle, Error> {
    let buckets = [
        0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5, 1.0, 2.5, 5.0,
    ];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &buckets)
        .map_err(|e| e.to_string())?
        .install_recorder()
        .map_err(|e| e.to_string())?;
    clerk_claims::metrics::describe();
    Ok(handle)
}

/// A verifier from the environment, if any Clerk key is configured there.
fn verifier_from_env() -> Option<Result<Verifier, Error>> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (pem, publishable, secret) = (
        var("CLERK_JWT_KEY"),
        var("CLERK_PUBLISHABLE_KEY"),
        var("CLERK_SECRET_KEY"),
    );
    if pem.is_none() && publishable.is_none() && secret.is_none() {
        return None;
    }
    let mut builder = Verifier::builder();
    if let Some(pem) = pem {
        builder = builder.pem(pem);
    } else if let Some(secret) = secret {
        builder = builder.secret_key(secret);
        if let Some(url) = var("CLERK_API_URL") {
            builder = builder.api_url(url);
        }
    }
    if let Some(pk) = publishable {
        builder = builder.publishable_key(pk);
    }
    Some(builder.build().map_err(Error::from))
}

struct Args {
    self_test: bool,
    addr: SocketAddr,
}

fn args() -> Result<Args, Error> {
    let mut out = Args {
        self_test: false,
        addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--self-test" => out.self_test = true,
            "--addr" => {
                let value = args.next().ok_or("--addr needs HOST:PORT")?;
                out.addr = value
                    .parse()
                    .map_err(|e| format!("--addr: expected HOST:PORT, found {value:?} ({e})"))?;
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?}: expected --self-test or --addr HOST:PORT"
                )
                .into());
            }
        }
    }
    Ok(out)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    offline::exit_code("axum_server", run().await)
}

async fn run() -> Result<bool, Error> {
    let args = args()?;
    let metrics = metrics_recorder()?;
    if let Some(verifier) = verifier_from_env() {
        if args.self_test {
            return Err(
                "--self-test runs against the embedded FakeClerk: unset CLERK_JWT_KEY, \
                        CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY"
                    .into(),
            );
        }
        println!("verifying tokens of the Clerk instance configured in the environment");
        serve(app(verifier?, metrics), args.addr).await?;
        return Ok(true);
    }

    let fake = FakeClerk::builder().start()?;
    let api = fake.api()?;
    api.upsert_template(&ApiClaims::jwt_template()).await?;
    let verifier = offline::verifier(&fake)?;
    println!("embedded FakeClerk at {} (no CLERK_* keys set)", fake.url());

    if args.self_test {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let server =
            tokio::spawn(async move { axum::serve(listener, app(verifier, metrics)).await });
        let passed = self_test(&fake, &base).await;
        server.abort();
        return passed;
    }

    let alice = api
        .create_template_token("sess_2alice_acme", "api", None)
        .await?;
    let bob = api
        .create_template_token("sess_2bob_acme", "api", None)
        .await?;
    let addr = args.addr;
    println!(
        "try (tokens live 300 s; mint more with `clerk-claims sessions token ID --template api`):"
    );
    println!("  curl -H 'Authorization: Bearer {alice}' http://{addr}/api/me");
    println!(
        "  curl -X POST -H 'Authorization: Bearer {alice}' http://{addr}/api/invoices   # 201"
    );
    println!("  curl -X POST -H 'Authorization: Bearer {bob}' http://{addr}/api/invoices   # 403");
    println!("  curl http://{addr}/metrics");
    serve(app(verifier, metrics), addr).await?;
    Ok(true)
}

async fn serve(app: Router, addr: SocketAddr) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!(
        "listening on http://{}; Ctrl-C to stop",
        listener.local_addr()?
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// One request: status and JSON body (or the text as a JSON string).
async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<&str>,
) -> Result<(u16, Value), Error> {
    let mut request = http.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    Ok((
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    ))
}

async fn self_test(fake: &FakeClerk, base: &str) -> Result<bool, Error> {
    use reqwest::Method;
    let api = fake.api()?;
    let http = reqwest::Client::new();
    let alice = api
        .create_template_token("sess_2alice_acme", "api", None)
        .await?;
    let bob = api
        .create_template_token("sess_2bob_acme", "api", None)
        .await?;
    let alice_session = api.create_session_token("sess_2alice_acme", None).await?;
    let url = |path: &str| format!("{base}{path}");
    let mut all = true;
    println!("self-test against {base}:");

    let (status, _) = call(&http, Method::GET, url("/health"), None, None).await?;
    all &= check(status == 200, format!("GET /health -> {status}"));

    let (status, body) = call(&http, Method::GET, url("/api/me"), None, None).await?;
    all &= check(
        status == 401 && body["reason"] == "session-token-missing",
        format!("GET /api/me without a token -> {status} {}", body["reason"]),
    );

    let (status, body) = call(&http, Method::GET, url("/api/me"), Some(&alice), None).await?;
    all &= check(
        status == 200 && body["email"] == "alice@acme.test" && body["role"] == "org:admin",
        format!("GET /api/me as Alice -> {status} {body}"),
    );

    let (status, _) = call(
        &http,
        Method::POST,
        url("/api/invoices"),
        Some(&alice),
        Some(r#"{"total": 300}"#),
    )
    .await?;
    all &= check(
        status == 201,
        format!("POST /api/invoices as Alice (org:invoices:write) -> {status}"),
    );

    let (status, _) = call(&http, Method::GET, url("/api/invoices"), Some(&bob), None).await?;
    all &= check(
        status == 200,
        format!("GET /api/invoices as Bob (org:invoices:read) -> {status}"),
    );

    // The guard answers before the body is read: a malformed body is 403 for Bob (no
    // `org:invoices:write`), 400 for Alice.
    let malformed = Some(r#"{"total": "#);
    let (status, body) = call(
        &http,
        Method::POST,
        url("/api/invoices"),
        Some(&bob),
        malformed,
    )
    .await?;
    let (alice_status, _) = call(
        &http,
        Method::POST,
        url("/api/invoices"),
        Some(&alice),
        malformed,
    )
    .await?;
    all &= check(
        status == 403
            && body["message"].to_string().contains("org:invoices:write")
            && alice_status == 400,
        format!(
            "POST /api/invoices with a malformed body: Bob -> {status} {} (before the body is read), Alice -> {alice_status}",
            body["message"]
        ),
    );

    let (status, body) = call(
        &http,
        Method::GET,
        url("/session"),
        Some(&alice_session),
        None,
    )
    .await?;
    all &= check(
        status == 200 && body["session_id"] == "sess_2alice_acme" && body["is_admin"] == true,
        format!("GET /session with Alice's session token -> {status} {body}"),
    );

    let (status, body) = call(&http, Method::GET, url("/session"), Some(&alice), None).await?;
    all &= check(
        status == 401 && body["reason"] == "token-type-mismatch",
        format!(
            "GET /session with a template token -> {status} {}",
            body["reason"]
        ),
    );

    let (status, body) = call(
        &http,
        Method::GET,
        url("/api/me"),
        Some(&alice_session),
        None,
    )
    .await?;
    all &= check(
        status == 401 && body["reason"] == "token-type-mismatch",
        format!(
            "GET /api/me with a session token -> {status} {}",
            body["reason"]
        ),
    );

    let (status, body) = call(&http, Method::GET, url("/metrics"), None, None).await?;
    let text = body.as_str().unwrap_or_default();
    let verified = text.lines().any(|l| {
        l.starts_with("clerk_claims_verifications_total{") && l.contains("outcome=\"verified\"")
    });
    all &= check(
        status == 200
            && verified
            && text.contains("# HELP clerk_claims_verifications_total")
            && text.contains("clerk_claims_verify_duration_seconds_bucket"),
        format!("GET /metrics -> {status}, serving clerk_claims_verifications_total"),
    );

    println!(
        "{}",
        if all {
            "all checks passed"
        } else {
            "SOME CHECKS FAILED"
        }
    );
    Ok(all)
}
