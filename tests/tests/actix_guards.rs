//! The actix-web adapter, through actix's test service: `ClerkMiddleware` and `require`
//! guards answer as the axum ones do (200/401/403, 403 before a body extractor, 500 for
//! drift, 401 for another template's token), one verification per request, default-deny
//! with public routes, the rejection hook, and extractors without the middleware.

use std::sync::{Arc, Mutex, OnceLock};

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use actix_web::{App, HttpResponse, web};
use clerk_claims::actix::{Claims, ClerkMiddleware, ClerkSession, Requirement, require};
use clerk_claims::guard::AuthReason;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};
use serde_json::{Value, json};

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

#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300)]
struct ApiClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    permissions: Permissions<Permission>,
}

/// The `api` template before `plan` was added: its tokens drifted from `ApiClaims`.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300)]
struct ApiClaimsBeforePlan {
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
}

/// Another template of the instance with compatible claims (its marker names it).
#[derive(ClerkClaims, Debug)]
#[clerk(template = "reporting", lifetime = 3600)]
struct ReportingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    permissions: Permissions<Permission>,
}

fn issuer() -> &'static TestIssuer {
    static ISSUER: OnceLock<TestIssuer> = OnceLock::new();
    ISSUER.get_or_init(TestIssuer::new)
}

fn member() -> String {
    issuer()
        .session()
        .user("user_member")
        .org("org_1", "acme", "member")
        .mint()
}

fn admin() -> String {
    issuer()
        .session()
        .user("user_admin")
        .org("org_1", "acme", "admin")
        .permissions(["org:invoices:write"])
        .plans(["u:pro"])
        .mint()
}

async fn me(session: ClerkSession) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "user": session.user_id() }))
}

async fn twice(first: ClerkSession, second: ClerkSession) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "same": first.user_id() == second.user_id() }))
}

async fn ok() -> &'static str {
    "ok"
}

async fn create(body: web::Json<Value>) -> HttpResponse {
    HttpResponse::Created().json(body.into_inner())
}

async fn api_me(claims: Claims<ApiClaims>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "plan": claims.plan }))
}

fn session_routes(config: &mut web::ServiceConfig) {
    config
        .route("/me", web::get().to(me))
        .route("/twice", web::get().to(twice))
        .service(web::resource("/admin").wrap(require(Role::Admin)).to(ok))
        .service(
            web::resource("/invoices")
                .wrap(require(Permission::InvoicesWrite))
                .route(web::post().to(create)),
        )
        .service(
            web::resource("/pro")
                .wrap(require(Requirement::plan("pro")))
                .to(ok),
        );
}

fn get(path: &str, token: Option<&str>) -> TestRequest {
    let mut request = TestRequest::get().uri(path);
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    request
}

fn post(path: &str, token: &str, body: &str) -> TestRequest {
    TestRequest::post()
        .uri(path)
        .insert_header(("authorization", format!("Bearer {token}")))
        .insert_header(("content-type", "application/json"))
        .set_payload(body.to_owned())
}

async fn json_of<B: actix_web::body::MessageBody>(response: ServiceResponse<B>) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = read_body(response).await;
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, body)
}

#[actix_web::test]
async fn guards_answer_200_for_the_right_token_403_for_another_and_401_signed_out() {
    let app = init_service(
        App::new()
            .configure(session_routes)
            .wrap(ClerkMiddleware::new(issuer().verifier())),
    )
    .await;
    for path in ["/admin", "/pro"] {
        let allowed = call_service(&app, get(path, Some(&admin())).to_request()).await;
        assert_eq!(allowed.status(), StatusCode::OK, "{path}");
        let (status, body) =
            json_of(call_service(&app, get(path, Some(&member())).to_request()).await).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_eq!(body["reason"], "forbidden");
        let (status, body) = json_of(call_service(&app, get(path, None).to_request()).await).await;
        assert_eq!(status, 401, "{path}: {body}");
        assert_eq!(body["reason"], "session-token-missing");
    }
    let denied = call_service(&app, get("/admin", Some(&member())).to_request()).await;
    assert_eq!(
        denied
            .headers()
            .get("www-authenticate")
            .map(|v| v.as_bytes()),
        Some(&b"Bearer error=\"insufficient_scope\""[..])
    );
    let (_, body) = json_of(denied).await;
    assert_eq!(
        body["message"],
        "requires role `org:admin`; the token has role `org:member`"
    );
}

#[actix_web::test]
async fn unauthorized_post_with_a_malformed_body_is_403_and_an_authorized_one_is_400() {
    let app = init_service(
        App::new()
            .configure(session_routes)
            .wrap(ClerkMiddleware::new(issuer().verifier())),
    )
    .await;
    let malformed = r#"{"amount": "#;
    let refused = call_service(&app, post("/invoices", &member(), malformed).to_request()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let bad = call_service(&app, post("/invoices", &admin(), malformed).to_request()).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let (status, body) =
        json_of(call_service(&app, post("/invoices", &admin(), "[1]").to_request()).await).await;
    assert_eq!((status, body), (201, json!([1])));
}

/// Counts the middleware's verifications through its `tracing` events, per thread: one global
/// subscriber for the test binary (thread-local ones miss events when another test thread
/// registers a callsite first).
#[derive(Clone, Default)]
struct CountVerified(Arc<Mutex<Vec<std::thread::ThreadId>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountVerified {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Message(bool);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" && format!("{value:?}") == "request token verified" {
                    self.0 = true;
                }
            }
        }
        let mut message = Message(false);
        event.record(&mut message);
        if event.metadata().target() == "clerk_claims" && message.0 {
            let mut threads = self.0.lock().expect("the counter lock");
            threads.push(std::thread::current().id());
        }
    }
}

impl CountVerified {
    fn on_this_thread(&self) -> usize {
        let me = std::thread::current().id();
        let threads = self.0.lock().expect("the counter lock");
        threads.iter().filter(|t| **t == me).count()
    }
}

#[actix_web::test]
async fn the_middleware_verifies_once_however_many_extractors_read_it() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let counter = CountVerified::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(counter.clone()))
        .expect("the only global subscriber");
    let app = init_service(
        App::new()
            .configure(session_routes)
            .wrap(ClerkMiddleware::new(issuer().verifier())),
    )
    .await;
    let token = member();
    for round in 1..=3 {
        let (status, body) =
            json_of(call_service(&app, get("/twice", Some(&token)).to_request()).await).await;
        assert_eq!((status, body), (200, json!({"same": true})));
        assert_eq!(counter.on_this_thread(), round);
    }
}

#[actix_web::test]
async fn template_middleware_checks_the_derived_fields_and_rejects_drift_and_other_templates() {
    let app = init_service(
        App::new()
            .route("/me", web::get().to(api_me))
            .service(
                web::resource("/admin")
                    .wrap(require(Role::Admin).on::<ApiClaims>())
                    .to(ok),
            )
            .wrap(ClerkMiddleware::new(issuer().verifier()).template::<ApiClaims>()),
    )
    .await;
    let claims: ApiClaims =
        clerk_claims::claims::decode(br#"{"plan": "pro", "role": "org:admin", "permissions": []}"#)
            .expect("api claims");
    let token = issuer().template_token(&claims).mint();
    assert_eq!(
        call_service(&app, get("/admin", Some(&token)).to_request())
            .await
            .status(),
        StatusCode::OK
    );
    let (status, body) =
        json_of(call_service(&app, get("/me", Some(&token)).to_request()).await).await;
    assert_eq!((status, body), (200, json!({"plan": "pro"})));

    let old: ApiClaimsBeforePlan =
        clerk_claims::claims::decode(br#"{"role": "org:admin"}"#).expect("old claims");
    let drifted = issuer().template_token(&old).mint();
    let (status, body) =
        json_of(call_service(&app, get("/admin", Some(&drifted)).to_request()).await).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["reason"], "claims-mismatch");

    let reporting: ReportingClaims =
        clerk_claims::claims::decode(br#"{"plan": "pro", "role": "org:admin", "permissions": []}"#)
            .expect("reporting claims");
    let other = issuer().template_token(&reporting).mint();
    let (status, body) =
        json_of(call_service(&app, get("/admin", Some(&other)).to_request()).await).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["reason"], "token-type-mismatch");
}

#[actix_web::test]
async fn default_deny_lets_only_public_routes_through_and_the_hook_replaces_rejections() {
    let app = init_service(
        App::new()
            .configure(session_routes)
            .route("/health", web::get().to(ok))
            .wrap(
                ClerkMiddleware::new(issuer().verifier())
                    .deny_signed_out()
                    .public("/health")
                    .on_rejection(|rejection| {
                        let code = match rejection.reason() {
                            AuthReason::Forbidden => "no-entry",
                            AuthReason::SessionTokenMissing => "sign-in-first",
                            _ => "other",
                        };
                        HttpResponse::build(
                            StatusCode::from_u16(rejection.status())
                                .unwrap_or(StatusCode::UNAUTHORIZED),
                        )
                        .json(json!({ "code": code }))
                    }),
            ),
    )
    .await;
    assert_eq!(
        call_service(&app, get("/health", None).to_request())
            .await
            .status(),
        StatusCode::OK
    );
    let (status, body) = json_of(call_service(&app, get("/me", None).to_request()).await).await;
    assert_eq!((status, body), (401, json!({"code": "sign-in-first"})));
    let (status, body) =
        json_of(call_service(&app, get("/admin", Some(&member())).to_request()).await).await;
    assert_eq!((status, body), (403, json!({"code": "no-entry"})));
    let (status, body) =
        json_of(call_service(&app, get("/me", Some(&member())).to_request()).await).await;
    assert_eq!((status, body), (200, json!({"user": "user_member"})));
}

#[actix_web::test]
async fn extractors_without_the_middleware_verify_with_the_app_data_verifier() {
    let app = init_service(
        App::new()
            .app_data(web::Data::new(issuer().verifier()))
            .route("/me", web::get().to(me)),
    )
    .await;
    let (status, body) =
        json_of(call_service(&app, get("/me", Some(&member())).to_request()).await).await;
    assert_eq!((status, body), (200, json!({"user": "user_member"})));
    let (status, body) = json_of(call_service(&app, get("/me", None).to_request()).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "session-token-missing");
    // A guard without the middleware is the server's mistake, said so.
    let guarded =
        init_service(App::new().service(web::resource("/admin").wrap(require(Role::Admin)).to(ok)))
            .await;
    let response = guarded
        .call(get("/admin", Some(&admin())).to_request())
        .await;
    let (status, body) = json_of(response.expect("a response")).await;
    assert_eq!(status, 500);
    assert_eq!(body["reason"], "clerk-layer-missing");
}

/// Serves `routes` on a loopback port with actix's own server: the address to send to.
fn serve(routes: impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static) -> String {
    let server = actix_web::HttpServer::new(move || App::new().configure(routes.clone()))
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("a loopback port");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    format!("http://{addr}")
}

/// `GET base + path` (with `method` POST, a JSON body) over HTTP: status and JSON body.
async fn send(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut request = match method {
        "POST" => client.post(url),
        _ => client.get(url),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn api_admin() -> String {
    let claims: ApiClaims = clerk_claims::claims::decode(
        br#"{"plan": "pro", "role": "org:admin", "permissions": ["org:invoices:write"]}"#,
    )
    .expect("api claims");
    issuer().template_token(&claims).mint()
}

fn message(body: &Value) -> &str {
    body["message"].as_str().unwrap_or_default()
}

#[actix_web::test]
async fn guard_without_the_middleware_is_a_500_naming_actixs_fix() {
    let base = serve(|config| {
        config.service(web::resource("/admin").wrap(require(Role::Admin)).to(ok));
    });
    let (status, body) = send("GET", &format!("{base}/admin"), Some(&admin()), None).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["reason"], "clerk-layer-missing");
    assert!(
        message(&body).contains(
            "found no ClerkMiddleware: add `.wrap(ClerkMiddleware::new(verifier))` to the App"
        ),
        "{body}"
    );
    assert!(!message(&body).contains(".layer("), "{body}");
}

#[actix_web::test]
async fn guard_of_another_claims_type_than_the_middleware_is_a_500_naming_both_types() {
    // `require(x)` without `.on::<ApiClaims>()` under a template middleware.
    let base = serve(|config| {
        config.service(
            web::scope("")
                .wrap(ClerkMiddleware::new(issuer().verifier()).template::<ApiClaims>())
                .service(web::resource("/admin").wrap(require(Role::Admin)).to(ok)),
        );
    });
    let (status, body) = send("GET", &format!("{base}/admin"), Some(&api_admin()), None).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["reason"], "clerk-layer-mismatch");
    let api = std::any::type_name::<ApiClaims>();
    let session = std::any::type_name::<clerk_claims::SessionClaims>();
    assert_eq!(
        message(&body),
        format!(
            "the ClerkMiddleware verified the token as `{api}` claims, but the route reads \
             `{session}`: read `{api}` with `require(..).on::<{api}>()` and `Claims<{api}>`, or \
             verify `{session}` instead: add `.wrap(ClerkMiddleware::new(verifier))` to the App \
             (or the scope), outside the guarded resources"
        )
    );
}

#[actix_web::test]
async fn extractor_of_another_claims_type_than_the_middleware_is_a_500_naming_both_types() {
    let base = serve(|config| {
        config.service(
            web::scope("")
                .wrap(ClerkMiddleware::new(issuer().verifier()))
                .route("/me", web::get().to(api_me)),
        );
    });
    let (status, body) = send("GET", &format!("{base}/me"), Some(&admin()), None).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["reason"], "clerk-layer-mismatch");
    let api = std::any::type_name::<ApiClaims>();
    assert!(
        message(&body).contains("`require(..)` and `ClerkSession`"),
        "{body}"
    );
    assert!(
        message(&body).contains(&format!(
            "`.wrap(ClerkMiddleware::new(verifier).template::<{api}>())`"
        )),
        "{body}"
    );
}

#[actix_web::test]
async fn extractor_without_the_middleware_or_a_verifier_names_actixs_fix() {
    let base = serve(|config| {
        config.route("/me", web::get().to(me));
    });
    let (status, body) = send("GET", &format!("{base}/me"), Some(&admin()), None).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["reason"], "verifier-missing");
    assert!(
        message(&body).contains(
            "`.wrap(ClerkMiddleware::new(verifier))` to the App, or `.app_data(verifier)`"
        ),
        "{body}"
    );
}

async fn list() -> &'static str {
    "[]"
}

#[actix_web::test]
async fn one_resource_guards_each_method_with_route_wrap() {
    // The README's per-method guards: anyone signed in lists, only a writer creates.
    let base = serve(|config| {
        config.service(
            web::scope("")
                .wrap(ClerkMiddleware::new(issuer().verifier()))
                .service(
                    web::resource("/invoices").route(web::get().to(list)).route(
                        web::post()
                            .to(create)
                            .wrap(require(Permission::InvoicesWrite)),
                    ),
                ),
        );
    });
    let url = format!("{base}/invoices");
    assert_eq!(send("GET", &url, Some(&member()), None).await.0, 200);
    let (status, body) = send("POST", &url, Some(&member()), Some("{not json")).await;
    assert_eq!(
        status, 403,
        "the guard answers before the body is read: {body}"
    );
    let (status, body) = send("POST", &url, Some(&admin()), Some(r#"{"n": 1}"#)).await;
    assert_eq!((status, body), (201, json!({"n": 1})));
    assert_eq!(send("POST", &url, None, Some("{}")).await.0, 401);
}

#[actix_web::test]
async fn webhook_route_under_deny_signed_out_gets_401_unless_named_public() {
    use clerk_claims::webhooks::{Webhook, actix::VerifiedWebhook};
    async fn receive(VerifiedWebhook(_): VerifiedWebhook) -> &'static str {
        "ok"
    }
    fn routes(public: bool) -> impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static {
        move |config: &mut web::ServiceConfig| {
            let mut layer = ClerkMiddleware::new(issuer().verifier()).deny_signed_out();
            if public {
                layer = layer.public("/webhooks/clerk");
            }
            config.service(
                web::scope("")
                    .app_data(web::Data::new(webhook()))
                    .wrap(layer)
                    .route("/webhooks/clerk", web::post().to(receive)),
            );
        }
    }
    fn webhook() -> Webhook {
        Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("a secret")
    }
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/webhooks/session.revoked.json"
    ))
    .expect("the session.revoked fixture");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        .to_string();
    let signature = webhook().sign("msg_deny", now.parse().expect("seconds"), &body);
    let deliver = async |base: &str| {
        reqwest::Client::new()
            .post(format!("{base}/webhooks/clerk"))
            .header("svix-id", "msg_deny")
            .header("svix-timestamp", &now)
            .header("svix-signature", &signature)
            .body(body.clone())
            .send()
            .await
            .expect("the server answers")
            .status()
            .as_u16()
    };
    assert_eq!(deliver(&serve(routes(false))).await, 401);
    assert_eq!(deliver(&serve(routes(true))).await, 200);
}
