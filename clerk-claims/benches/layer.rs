//! The cost of the request layer over loopback HTTP, side by side in one run:
//! - `no_auth`: `GET /plain`, a handler returning a short text, no Clerk at all (the request
//!   carries the same `Authorization` header, unread);
//! - `layer_cached_token`: `GET /guarded`, the same handler behind `ClerkLayer` and a
//!   `require(Role::Admin)` guard, the handler also extracting `ClerkSession`, with a verifier
//!   whose token cache already holds the request's token.
//!
//! Each iteration is one keep-alive request from a reqwest client to an axum server on
//! 127.0.0.1 (a fixed number of requests per sample, chosen by criterion). The ratio of the
//! two times is the layer's cost in requests per second; the goal is at most 10 % fewer.
//!
//! The `in_process` pair calls the same router through `tower::ServiceExt::oneshot`, without
//! sockets: the layer's own CPU cost, steadier than loopback timings on a busy machine.

use std::hint::black_box;

use axum::Router;
use axum::routing::get;
use clerk_claims::ClerkRole;
use clerk_claims::axum::{ClerkLayer, ClerkSession, require};
use clerk_claims::testing::issuer::TestIssuer;
use criterion::{Criterion, criterion_group, criterion_main};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

async fn plain() -> &'static str {
    "ok"
}

async fn guarded(session: ClerkSession) -> &'static str {
    black_box(session.user_id());
    "ok"
}

fn bench_layer(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let issuer = TestIssuer::new();
    let verifier = issuer
        .verifier_builder()
        .token_cache(1024)
        .build()
        .expect("a verifier");
    let token = issuer
        .session()
        .user("user_bench")
        .org("org_1", "acme", "admin")
        .lifetime(3600)
        .mint();

    let guarded_routes = Router::new()
        .route("/guarded", get(guarded))
        .route_layer(require(Role::Admin))
        .layer(ClerkLayer::new(verifier));
    let app = Router::new()
        .route("/plain", get(plain))
        .merge(guarded_routes);
    let in_process = app.clone();
    let base = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}")
    });
    let client = reqwest::Client::new();
    let get = |path: &str, token: Option<&str>| {
        let mut request = client.get(format!("{base}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        runtime.block_on(async {
            let response = request.send().await.expect("the server answers");
            assert!(response.status().is_success(), "{}", response.status());
            response.bytes().await.expect("a body")
        })
    };
    // Warm the token cache and the connection.
    get("/guarded", Some(&token));
    get("/plain", None);

    let mut group = c.benchmark_group("layer");
    // Both send the token, so the client's work is the same; only the server's differs.
    group.bench_function("no_auth", |b| b.iter(|| get("/plain", Some(&token))));
    group.bench_function("layer_cached_token", |b| {
        b.iter(|| get("/guarded", Some(&token)))
    });
    group.finish();

    let oneshot = |path: &str, token: Option<&str>| {
        let mut request = axum::http::Request::get(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = request.body(axum::body::Body::empty()).expect("a request");
        let app = in_process.clone();
        runtime.block_on(async move {
            let response = tower::ServiceExt::oneshot(app, request)
                .await
                .expect("infallible");
            assert!(response.status().is_success(), "{}", response.status());
            response
        })
    };
    let mut group = c.benchmark_group("in_process");
    group.bench_function("no_auth", |b| b.iter(|| oneshot("/plain", Some(&token))));
    group.bench_function("layer_cached_token", |b| {
        b.iter(|| oneshot("/guarded", Some(&token)))
    });
    group.finish();
}

criterion_group!(benches, bench_layer);
criterion_main!(benches);
