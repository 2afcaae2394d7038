//! One app on every adapter (axum's `ClerkLayer`, actix-web's `ClerkMiddleware`, tonic's
//! `ClerkLayer`): the same handlers, guards and verifier (FakeClerk's keys), asked the same
//! table of requests, answer with the same status (gRPC's mapped to HTTP's), `x-clerk-auth-reason`
//! and `Location`. The expected answers are written once, in the table; every adapter is held
//! to them.
//!
//! axum runs over loopback HTTP; actix-web through its test service (as its other tests do);
//! tonic's layer and guards as the tower services a tonic server runs (gRPC has no cookie flow:
//! those rows are HTTP's).

use actix_web::test::{TestRequest, call_service, init_service};
use axum::routing::{get, post};
use clerk_claims::ClerkPermission;
use clerk_claims::ClerkRole;
use clerk_claims::guard::ClerkSession;
use clerk_claims::request::RequestOptions;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::testing::issuer::TestIssuer;
use serde_json::Value;

use crate::common::cookie_flow::{SESSION, USER, expired_session_cookies, options};

const APP: &str = "http://app.test";
const HOST: &str = "app.test";
const SIGN_IN: &str = "https://accounts.example/sign-in";

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

/// The layer in front of the routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// `ClerkLayer::new(verifier)`: signed-out requests reach the routes.
    Plain,
    /// `.deny_signed_out().public("/health")`.
    DefaultDeny,
    /// `ClerkLayer::cookie_flow(options)` with a sign-in URL.
    CookieFlow,
}

const SETUPS: [Setup; 3] = [Setup::Plain, Setup::DefaultDeny, Setup::CookieFlow];

/// One request of the table.
struct Probe {
    name: &'static str,
    setup: Setup,
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Option<&'static str>,
    expected: Answer,
}

/// What the parity is about: the status, Clerk's reason, and where a redirect goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    reason: Option<String>,
    location: Option<String>,
}

fn answer(status: u16, reason: Option<&str>) -> Answer {
    Answer {
        status,
        reason: reason.map(str::to_owned),
        location: None,
    }
}

fn redirect(reason: Option<&str>, location: String) -> Answer {
    Answer {
        status: 307,
        reason: reason.map(str::to_owned),
        location: Some(location),
    }
}

// The handlers, written once for both frameworks.
async fn me(session: ClerkSession) -> String {
    session.user_id().to_owned()
}

async fn ok() -> &'static str {
    "ok"
}

mod axum_app {
    use super::*;
    use clerk_claims::axum::{ClerkLayer, require};

    pub async fn create(axum::Json(body): axum::Json<Value>) -> String {
        body.to_string()
    }

    /// The app behind `layer` on a loopback port; returns its URL.
    pub async fn serve(layer: ClerkLayer) -> String {
        let app = axum::Router::new()
            .route("/me", get(me))
            .route("/admin", get(ok).route_layer(require(Role::Admin)))
            .route(
                "/invoices",
                post(create).route_layer(require(Permission::InvoicesWrite)),
            )
            .route("/health", get(ok))
            .layer(layer);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("loopback port");
        let addr = listener.local_addr().expect("bound address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}")
    }

    pub fn layer(setup: Setup, fake: &FakeClerk) -> ClerkLayer {
        match setup {
            Setup::Plain => ClerkLayer::new(fake.issuer().verifier()),
            Setup::DefaultDeny => ClerkLayer::new(fake.issuer().verifier())
                .deny_signed_out()
                .public("/health"),
            Setup::CookieFlow => ClerkLayer::cookie_flow(cookie_options(fake)),
        }
    }

    pub async fn ask(url: &str, probe: &Probe) -> Answer {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        let method = reqwest::Method::from_bytes(probe.method.as_bytes()).expect("a method");
        let mut request = http
            .request(method, format!("{url}{}", probe.path))
            .header("host", HOST);
        for (name, value) in &probe.headers {
            request = request.header(*name, value);
        }
        if let Some(body) = probe.body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("the app answers");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Answer {
            status: response.status().as_u16(),
            reason: header("x-clerk-auth-reason"),
            location: header("location"),
        }
    }
}

mod tonic_app {
    use super::*;
    use std::convert::Infallible;

    use clerk_claims::SessionClaims;
    use clerk_claims::tonic::{ClerkLayer, claims, require};
    use tonic::body::Body;
    use tonic::{Code, Status};
    use tower::util::BoxCloneService;
    use tower::{Layer, ServiceExt, service_fn};

    type Svc = BoxCloneService<http::Request<String>, http::Response<Body>, Infallible>;

    /// A handler: what it answers for a request (`Ok` is gRPC's OK).
    fn handler(answer: fn(tonic::Request<String>) -> Result<(), Status>) -> Svc {
        BoxCloneService::new(service_fn(
            move |request: http::Request<String>| async move {
                let status = match answer(tonic::Request::from_http(request)) {
                    Ok(()) => Status::new(Code::Ok, ""),
                    Err(status) => status,
                };
                Ok::<_, Infallible>(status.into_http())
            },
        ))
    }

    /// The same routes as the other adapters, by request path.
    pub fn app(layer: ClerkLayer) -> Svc {
        let me = handler(|request| claims::<SessionClaims>(&request).map(drop));
        let ok = handler(|_| Ok(()));
        let create = handler(|request| {
            serde_json::from_str::<Value>(request.get_ref())
                .map(drop)
                .map_err(|e| Status::invalid_argument(e.to_string()))
        });
        let admin = BoxCloneService::new(require(Role::Admin).layer(ok.clone()));
        let invoices = BoxCloneService::new(require(Permission::InvoicesWrite).layer(create));
        let router = service_fn(move |request: http::Request<String>| {
            let route = match request.uri().path() {
                "/me" => me.clone(),
                "/admin" => admin.clone(),
                "/invoices" => invoices.clone(),
                _ => ok.clone(),
            };
            route.oneshot(request)
        });
        BoxCloneService::new(layer.layer(router))
    }

    pub fn layer(setup: Setup, fake: &FakeClerk) -> ClerkLayer {
        match setup {
            Setup::DefaultDeny => ClerkLayer::new(fake.issuer().verifier())
                .deny_signed_out()
                .public("/health"),
            _ => ClerkLayer::new(fake.issuer().verifier()),
        }
    }

    /// The HTTP status a gRPC status code stands for.
    fn http_status(code: &str) -> u16 {
        match code {
            "0" => 200,
            "3" => 400,
            "7" => 403,
            "13" => 500,
            "14" => 503,
            "16" => 401,
            _ => 0,
        }
    }

    pub async fn ask(app: &Svc, probe: &Probe) -> Answer {
        let mut request = http::Request::builder()
            .method("POST")
            .uri(format!("{APP}{}", probe.path))
            .header("content-type", "application/grpc");
        for (name, value) in &probe.headers {
            request = request.header(*name, value);
        }
        let request = request
            .body(probe.body.unwrap_or_default().to_owned())
            .expect("a request");
        let response = app.clone().oneshot(request).await.expect("an answer");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Answer {
            status: http_status(&header("grpc-status").unwrap_or_default()),
            reason: header("x-clerk-auth-reason"),
            location: header("location"),
        }
    }
}

mod actix_app {
    use super::*;
    use actix_web::{App, web};
    use clerk_claims::actix::{ClerkMiddleware, require};

    pub async fn create(body: web::Json<Value>) -> String {
        body.into_inner().to_string()
    }

    pub fn routes(config: &mut web::ServiceConfig) {
        config
            .route("/me", web::get().to(me))
            .service(web::resource("/admin").wrap(require(Role::Admin)).to(ok))
            .service(
                web::resource("/invoices")
                    .wrap(require(Permission::InvoicesWrite))
                    .route(web::post().to(create)),
            )
            .route("/health", web::get().to(ok));
    }

    pub fn middleware(setup: Setup, fake: &FakeClerk) -> ClerkMiddleware {
        match setup {
            Setup::Plain => ClerkMiddleware::new(fake.issuer().verifier()),
            Setup::DefaultDeny => ClerkMiddleware::new(fake.issuer().verifier())
                .deny_signed_out()
                .public("/health"),
            Setup::CookieFlow => ClerkMiddleware::cookie_flow(cookie_options(fake)),
        }
    }

    pub async fn answers(setup: Setup, fake: &FakeClerk, probes: &[Probe]) -> Vec<Answer> {
        let app = init_service(App::new().configure(routes).wrap(middleware(setup, fake))).await;
        let mut answers = Vec::new();
        for probe in probes.iter().filter(|p| p.setup == setup) {
            let method =
                actix_web::http::Method::from_bytes(probe.method.as_bytes()).expect("a method");
            let mut request = TestRequest::default()
                .method(method)
                .uri(&format!("{APP}{}", probe.path))
                .insert_header(("host", HOST));
            for (name, value) in &probe.headers {
                request = request.append_header((*name, value.as_str()));
            }
            if let Some(body) = probe.body {
                request = request
                    .insert_header(("content-type", "application/json"))
                    .set_payload(body);
            }
            let response = call_service(&app, request.to_request()).await;
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            answers.push(Answer {
                status: response.status().as_u16(),
                reason: header("x-clerk-auth-reason"),
                location: header("location"),
            });
        }
        answers
    }
}

fn cookie_options(fake: &FakeClerk) -> RequestOptions {
    options(fake)
        .sign_in_url(SIGN_IN)
        .build()
        .expect("valid options")
}

fn bearer(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}

/// The table: every kind of request the issue names, on the setup it needs.
fn probes(fake: &FakeClerk) -> Vec<Probe> {
    let issuer = fake.issuer();
    let now = fake.now();
    let member = issuer
        .session()
        .user(USER)
        .session_id(SESSION)
        .org("org_1", "acme", "member")
        .mint();
    let writer = issuer
        .session()
        .user(USER)
        .session_id(SESSION)
        .org("org_1", "acme", "member")
        .permissions(["org:invoices:write"])
        .mint();
    let expired = issuer
        .session()
        .user(USER)
        .session_id(SESSION)
        .issued_at(now - 3600)
        .mint();
    let other = TestIssuer::new().session().user(USER).mint();
    let (jar, _) = expired_session_cookies(fake, APP);
    let expired_cookies: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let expired_cookies = ("cookie", expired_cookies.join("; "));
    let valid_cookie = issuer
        .session()
        .user(USER)
        .session_id(SESSION)
        .azp(APP)
        .mint();
    let valid_cookies = (
        "cookie",
        format!(
            "__session={valid_cookie}; __client_uat={}; __clerk_db_jwt=dvb_parity",
            now - 60
        ),
    );
    let document = ("sec-fetch-dest", "document".to_owned());
    let fetch = ("sec-fetch-dest", "empty".to_owned());
    let sign_in_me = format!("{SIGN_IN}?redirect_url=http%3A%2F%2F{HOST}%2Fme");
    let probe = |name, setup, method, path, headers: Vec<(&'static str, String)>, expected| Probe {
        name,
        setup,
        method,
        path,
        headers,
        body: None,
        expected,
    };
    let mut table = vec![
        probe(
            "signed out",
            Setup::Plain,
            "GET",
            "/me",
            vec![],
            answer(401, Some("session-token-missing")),
        ),
        probe(
            "signed in",
            Setup::Plain,
            "GET",
            "/me",
            vec![bearer(&member)],
            answer(200, None),
        ),
        probe(
            "expired bearer",
            Setup::Plain,
            "GET",
            "/me",
            vec![bearer(&expired)],
            answer(401, Some("token-expired")),
        ),
        probe(
            "another instance",
            Setup::Plain,
            "GET",
            "/me",
            vec![bearer(&other)],
            answer(401, Some("jwk-kid-mismatch")),
        ),
        probe(
            "wrong role",
            Setup::Plain,
            "GET",
            "/admin",
            vec![bearer(&member)],
            answer(403, Some("forbidden")),
        ),
        probe(
            "guard signed out",
            Setup::Plain,
            "GET",
            "/admin",
            vec![],
            answer(401, Some("session-token-missing")),
        ),
        Probe {
            body: Some("{"),
            ..probe(
                "wrong permission, malformed body",
                Setup::Plain,
                "POST",
                "/invoices",
                vec![bearer(&member)],
                answer(403, Some("forbidden")),
            )
        },
        Probe {
            body: Some("{"),
            ..probe(
                "malformed body behind a met guard",
                Setup::Plain,
                "POST",
                "/invoices",
                vec![bearer(&writer)],
                answer(400, None),
            )
        },
        Probe {
            body: Some("{"),
            ..probe(
                "malformed body signed out",
                Setup::Plain,
                "POST",
                "/invoices",
                vec![],
                answer(401, Some("session-token-missing")),
            )
        },
        probe(
            "default-deny signed out",
            Setup::DefaultDeny,
            "GET",
            "/me",
            vec![],
            answer(401, Some("session-token-missing")),
        ),
        probe(
            "default-deny expired",
            Setup::DefaultDeny,
            "GET",
            "/me",
            vec![bearer(&expired)],
            answer(401, Some("token-expired")),
        ),
        probe(
            "public route signed out",
            Setup::DefaultDeny,
            "GET",
            "/health",
            vec![],
            answer(200, None),
        ),
        probe(
            "public route expired",
            Setup::DefaultDeny,
            "GET",
            "/health",
            vec![bearer(&expired)],
            answer(200, None),
        ),
        probe(
            "default-deny signed in",
            Setup::DefaultDeny,
            "GET",
            "/admin",
            vec![bearer(&member)],
            answer(403, Some("forbidden")),
        ),
        probe(
            "cookie flow: expired bearer, bare ClerkSession",
            Setup::CookieFlow,
            "GET",
            "/me",
            vec![bearer(&expired)],
            answer(
                401,
                Some("session-token-expired-refresh-non-eligible-no-refresh-cookie"),
            ),
        ),
        probe(
            "cookie flow: fetch without cookies",
            Setup::CookieFlow,
            "GET",
            "/me",
            vec![fetch.clone()],
            answer(401, Some("dev-browser-missing")),
        ),
        probe(
            "cookie flow: fetch with an expired session",
            Setup::CookieFlow,
            "GET",
            "/me",
            vec![fetch.clone(), expired_cookies.clone()],
            answer(
                401,
                Some("session-token-expired-refresh-non-eligible-no-refresh-cookie"),
            ),
        ),
        probe(
            "cookie flow: fetch signed in",
            Setup::CookieFlow,
            "GET",
            "/me",
            vec![fetch.clone(), valid_cookies.clone()],
            answer(200, None),
        ),
        probe(
            "cookie flow: fetch signed in, wrong role",
            Setup::CookieFlow,
            "GET",
            "/admin",
            vec![fetch, valid_cookies],
            answer(403, Some("forbidden")),
        ),
        probe(
            "cookie flow: document, handshake",
            Setup::CookieFlow,
            "GET",
            "/me",
            vec![document.clone(), expired_cookies],
            redirect(
                Some("session-token-expired-refresh-non-eligible-no-refresh-cookie"),
                String::new(),
            ),
        ),
        probe(
            "cookie flow: signed-out document goes to sign-in",
            Setup::CookieFlow,
            "GET",
            "/me",
            vec![document, ("cookie", "__clerk_db_jwt=dvb_parity".to_owned())],
            redirect(Some("session-token-and-uat-missing"), sign_in_me),
        ),
    ];
    // The handshake's `Location` is the fake's Frontend API: pinned by its prefix below.
    let handshake = table
        .iter_mut()
        .find(|p| p.name == "cookie flow: document, handshake")
        .expect("the handshake probe");
    handshake.expected.location = Some(format!("{}/v1/client/handshake", fake.url()));
    table
}

/// A handshake's `Location` carries the request's URL and a nonce-free query: compared up to
/// the query, which other tests pin.
fn comparable(mut answer: Answer) -> Answer {
    if let Some(location) = &answer.location
        && location.contains("/v1/client/handshake")
    {
        answer.location = location.split('?').next().map(str::to_owned);
    }
    answer
}

#[actix_web::test]
async fn every_adapter_answers_the_table_alike() {
    let fake = FakeClerk::start();
    let table = probes(&fake);
    let mut mismatches = Vec::new();
    for setup in SETUPS {
        let url = axum_app::serve(axum_app::layer(setup, &fake)).await;
        let actix = actix_app::answers(setup, &fake, &table).await;
        let probes = table.iter().filter(|p| p.setup == setup);
        for (probe, actix) in probes.zip(actix) {
            let axum = comparable(axum_app::ask(&url, probe).await);
            let actix = comparable(actix);
            let mut answers = vec![("axum", axum), ("actix-web", actix)];
            // gRPC has no cookie flow: a browser's page loads and fetches are HTTP's.
            if setup != Setup::CookieFlow {
                let grpc = tonic_app::app(tonic_app::layer(setup, &fake));
                answers.push(("tonic", tonic_app::ask(&grpc, probe).await));
            }
            for (adapter, got) in answers {
                if got != probe.expected {
                    mismatches.push(format!(
                        "{adapter}, {:?}, {}: expected {:?}, got {got:?}",
                        probe.setup, probe.name, probe.expected
                    ));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[tokio::test]
async fn a_grpc_rejection_carries_clerks_reason_in_grpc_message_and_metadata() {
    use tower::ServiceExt;
    let fake = FakeClerk::start();
    let issuer = fake.issuer();
    let expired = issuer
        .session()
        .user(USER)
        .issued_at(fake.now() - 3600)
        .mint();
    let app = tonic_app::app(tonic_app::layer(Setup::Plain, &fake));
    let request = http::Request::builder()
        .uri("/me")
        .header("authorization", format!("Bearer {expired}"))
        .body(String::new())
        .expect("a request");
    let response = app.oneshot(request).await.expect("an answer");
    let status = tonic::Status::from_header_map(response.headers()).expect("a gRPC status");
    assert_eq!(status.code(), tonic::Code::Unauthenticated);
    assert_eq!(status.message(), "token-expired");
    let reason = status.metadata().get("x-clerk-auth-reason");
    assert_eq!(reason.and_then(|v| v.to_str().ok()), Some("token-expired"));
}

#[test]
fn grpc_claims_without_a_layer_are_internal_naming_the_layer_to_add() {
    let request = tonic::Request::new(());
    let status = clerk_claims::tonic::claims::<clerk_claims::SessionClaims>(&request)
        .expect_err("no layer ran");
    assert_eq!(status.code(), tonic::Code::Internal);
    assert_eq!(status.message(), "clerk-layer-missing");
    let reason = status.metadata().get("x-clerk-auth-reason");
    assert_eq!(
        reason.and_then(|v| v.to_str().ok()),
        Some("clerk-layer-missing")
    );
}

#[test]
fn a_guarded_grpc_service_keeps_its_service_name_for_add_service() {
    use clerk_claims::tonic::{ClerkLayer, require};
    use tonic::server::NamedService;
    use tower::Layer;

    #[derive(Clone)]
    struct Greeter;
    impl NamedService for Greeter {
        const NAME: &'static str = "hello.Greeter";
    }
    fn name<S: NamedService>(_: &S) -> &'static str {
        S::NAME
    }

    let guarded = require(Role::Admin).layer(Greeter);
    assert_eq!(name(&guarded), "hello.Greeter");
    let layered = ClerkLayer::new(TestIssuer::new().verifier()).layer(guarded);
    assert_eq!(name(&layered), "hello.Greeter");
}
