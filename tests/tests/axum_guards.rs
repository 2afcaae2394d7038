//! `ClerkLayer` and `require` guards over real HTTP on loopback: each guard's 200/401/403, the
//! 403 before a body extractor runs, one verification per request, template layers (drift is
//! 500, a token of another template 401), default-deny routers, the rejection hook, state
//! through `FromRef`, and the `tracing` events of rejections.

use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use clerk_claims::authorize::{Has, Reverification};
use clerk_claims::axum::{Claims, ClerkLayer, ClerkRejection, ClerkSession, Requirement, require};
use clerk_claims::guard::AuthReason;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions, Reason, Verifier};
use serde_json::{Value, json};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
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

/// The same claims from an older version of the `api` template, before `plan` was added.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300)]
struct ApiClaimsBeforePlan {
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    permissions: Permissions<Permission>,
}

/// Another template of the same instance with compatible claims (its marker names it).
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

/// One instance for the file: RSA key generation dominates a test's cost otherwise.
fn issuer() -> &'static TestIssuer {
    static ISSUER: OnceLock<TestIssuer> = OnceLock::new();
    ISSUER.get_or_init(TestIssuer::new)
}

async fn me(session: ClerkSession) -> Json<Value> {
    Json(json!({ "user": session.user_id() }))
}

async fn ok() -> &'static str {
    "ok"
}

async fn create_invoice(Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(body))
}

/// Every extractor of one request reads the same verification.
async fn many_readers(
    first: ClerkSession,
    second: ClerkSession,
    maybe: Option<ClerkSession>,
) -> Json<Value> {
    Json(json!({
        "same": first.user_id() == second.user_id()
            && maybe.is_some_and(|m| m.user_id() == first.user_id()),
    }))
}

/// A role key known only at run time (read from configuration in a real app).
fn configured_role() -> String {
    ["org", "admin"].join(":")
}

fn session_routes() -> Router {
    Router::new()
        .route("/me", get(me))
        .route("/admin", get(ok).route_layer(require(Role::Admin)))
        .route(
            "/invoices",
            get(ok)
                .route_layer(require(Permission::InvoicesRead))
                .merge(post(create_invoice).route_layer(require(Permission::InvoicesWrite))),
        )
        .route(
            "/pro",
            get(ok).route_layer(require(Requirement::plan("pro"))),
        )
        .route(
            "/dashboard",
            get(ok).route_layer(require(Requirement::feature("o:dashboard"))),
        )
        .route(
            "/danger",
            get(ok).route_layer(require(Requirement::reverification(Reverification::Strict))),
        )
        .route(
            "/billing",
            get(ok).route_layer(require(Requirement::any([
                Requirement::role(Role::Admin),
                Requirement::permission(Permission::InvoicesWrite),
            ]))),
        )
        .route(
            "/configured",
            get(ok).route_layer(require(Requirement::unchecked(
                Has::new().role(configured_role()),
            ))),
        )
        .route(
            "/signed-in",
            get(ok).route_layer(require(Requirement::signed_in())),
        )
        .route(
            "/many",
            get(many_readers).route_layer(require(Role::Member)),
        )
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn send(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> Reply {
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
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        headers,
        body,
    }
}

async fn get_status(base: &str, path: &str, token: Option<&str>) -> u16 {
    send("GET", &format!("{base}{path}"), token, None)
        .await
        .status
}

fn member() -> String {
    issuer()
        .session()
        .user("user_member")
        .org("org_1", "acme", "member")
        .permissions(["org:invoices:read"])
        .mint()
}

fn admin() -> String {
    issuer()
        .session()
        .user("user_admin")
        .org("org_1", "acme", "admin")
        .permissions(["org:invoices:read", "org:invoices:write"])
        .mint()
}

/// The token with its signature's first character changed: still well-formed, no longer
/// signed by the instance.
fn forge(token: &str) -> String {
    let (signed, signature) = token.rsplit_once('.').expect("three parts");
    let first = if signature.starts_with('A') { 'B' } else { 'A' };
    format!("{signed}.{first}{}", &signature[1..])
}

fn signed_in_without_org() -> String {
    issuer().session().user("user_personal").mint()
}

#[tokio::test]
async fn role_guard_is_200_for_the_role_403_for_another_and_401_signed_out() {
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    assert_eq!(get_status(&base, "/admin", Some(&admin())).await, 200);
    assert_eq!(get_status(&base, "/admin", Some(&member())).await, 403);
    assert_eq!(get_status(&base, "/admin", None).await, 401);
}

#[tokio::test]
async fn session_cookie_token_is_read_by_the_layer_with_clerks_cookie_rules() {
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    let client = reqwest::Client::new();
    let cookie_get = |token: String| {
        client
            .get(format!("{base}/admin"))
            .header("cookie", format!("theme=dark; __session={token}"))
            .send()
    };
    // Browsers' tokens carry `azp`; a cookie token without it is refused (Clerk's CSRF rule).
    let with_azp = issuer()
        .session()
        .user("user_cookie")
        .org("org_1", "acme", "admin")
        .azp("https://app.example")
        .mint();
    let response = cookie_get(with_azp).await.expect("the server answers");
    assert_eq!(response.status().as_u16(), 200);
    let without_azp = issuer()
        .session()
        .user("user_cookie")
        .org("org_1", "acme", "admin")
        .mint();
    let response = cookie_get(without_azp).await.expect("the server answers");
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn permission_guards_are_200_when_granted_403_otherwise_and_401_signed_out() {
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    assert_eq!(get_status(&base, "/invoices", Some(&member())).await, 200);
    assert_eq!(
        get_status(&base, "/invoices", Some(&signed_in_without_org())).await,
        403
    );
    assert_eq!(get_status(&base, "/invoices", None).await, 401);
    let url = format!("{base}/invoices");
    let created = send("POST", &url, Some(&admin()), Some(r#"{"amount": 10}"#)).await;
    assert_eq!((created.status, created.body), (201, json!({"amount": 10})));
    let refused = send("POST", &url, Some(&member()), Some(r#"{"amount": 10}"#)).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
}

#[tokio::test]
async fn plan_feature_and_reverification_guards_follow_the_token() {
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    let pro = issuer()
        .session()
        .user("user_pro")
        .org("org_1", "acme", "member")
        .features(["o:dashboard"])
        .plans(["u:pro"])
        .fva(3, 5)
        .mint();
    let free = issuer()
        .session()
        .user("user_free")
        .plans(["u:free"])
        .fva(3, 30)
        .mint();
    for path in ["/pro", "/dashboard", "/danger"] {
        assert_eq!(get_status(&base, path, Some(&pro)).await, 200, "{path}");
        assert_eq!(get_status(&base, path, Some(&free)).await, 403, "{path}");
        assert_eq!(get_status(&base, path, None).await, 401, "{path}");
    }
}

#[tokio::test]
async fn any_of_passes_with_one_alternative_and_signed_in_passes_any_session() {
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    let writer = issuer()
        .session()
        .user("user_writer")
        .org("org_1", "acme", "member")
        .permissions(["org:invoices:write"])
        .mint();
    assert_eq!(get_status(&base, "/billing", Some(&admin())).await, 200);
    assert_eq!(get_status(&base, "/billing", Some(&writer)).await, 200);
    let denied = send("GET", &format!("{base}/billing"), Some(&member()), None).await;
    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.body["required"],
        "one of [role `org:admin`, permission `org:invoices:write`]"
    );
    assert_eq!(
        denied.body["found"],
        "role `org:member`; permissions [`org:invoices:read`]"
    );
    assert_eq!(
        get_status(&base, "/signed-in", Some(&signed_in_without_org())).await,
        200
    );
    assert_eq!(get_status(&base, "/configured", Some(&admin())).await, 200);
    let configured = send("GET", &format!("{base}/configured"), Some(&member()), None).await;
    assert_eq!(configured.status, 403);
    assert_eq!(configured.body["required"], "`role=org:admin`");
    assert_eq!(get_status(&base, "/signed-in", None).await, 401);
}

#[tokio::test]
async fn unauthorized_post_with_a_malformed_body_is_403_and_an_authorized_one_is_400() {
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    let url = format!("{base}/invoices");
    let malformed = r#"{"amount": "#;
    let refused = send("POST", &url, Some(&member()), Some(malformed)).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.body["reason"], "forbidden");
    let signed_out = send("POST", &url, None, Some(malformed)).await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.body);
    let bad_request = send("POST", &url, Some(&admin()), Some(malformed)).await;
    assert_eq!(bad_request.status, 400, "{}", bad_request.body);
    let wrong_shape = send("POST", &url, Some(&admin()), Some("[1")).await;
    assert!(
        [400, 422].contains(&wrong_shape.status),
        "{}",
        wrong_shape.status
    );
}

#[tokio::test]
async fn forbidden_names_the_requirement_and_an_undeclared_role_by_its_key() {
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    let billing = issuer()
        .session()
        .user("user_billing")
        .org("org_1", "acme", "billing_manager")
        .mint();
    let reply = send("GET", &format!("{base}/admin"), Some(&billing), None).await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body["message"],
        "requires role `org:admin`; the token has role `org:billing_manager`"
    );
    assert_eq!(reply.headers["x-clerk-auth-reason"], "forbidden");
    assert_eq!(
        reply.headers["www-authenticate"],
        "Bearer error=\"insufficient_scope\""
    );

    let personal = send(
        "GET",
        &format!("{base}/admin"),
        Some(&signed_in_without_org()),
        None,
    )
    .await;
    assert_eq!(
        personal.body["found"], "no role (no active organization)",
        "{}",
        personal.body
    );
}

#[tokio::test]
async fn rejected_token_is_401_with_clerks_reason_in_body_and_headers() {
    let token = issuer()
        .session()
        .user("user_1")
        .issued_at(1_700_000_000)
        .lifetime(60)
        .mint();
    let verifier = issuer()
        .verifier_builder()
        .now(1_700_000_600)
        .build()
        .expect("a verifier");
    let base = serve(session_routes().layer(ClerkLayer::new(verifier))).await;
    let reply = send("GET", &format!("{base}/admin"), Some(&token), None).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body["reason"], "token-expired");
    assert_eq!(reply.headers["x-clerk-auth-reason"], "token-expired");
    assert_eq!(
        reply.headers["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
}

#[tokio::test]
async fn keys_that_cannot_be_loaded_are_503() {
    // A port nothing listens on: the JWKS fetch fails, the token may well be fine.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback port");
    let url = format!(
        "http://{}/.well-known/jwks.json",
        closed.local_addr().expect("addr")
    );
    drop(closed);
    let verifier = Verifier::builder()
        .jwks_url(url)
        .build()
        .expect("a verifier");
    let base = serve(session_routes().layer(ClerkLayer::new(verifier))).await;
    let reply = send("GET", &format!("{base}/admin"), Some(&admin()), None).await;
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.body["reason"], "jwk-remote-failed-to-load");
}

fn message(reply: &Reply) -> &str {
    reply.body["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn guard_without_a_layer_is_a_500_naming_the_missing_layer_and_axums_fix() {
    let base = serve(session_routes()).await;
    let reply = send("GET", &format!("{base}/admin"), Some(&admin()), None).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.body["reason"], "clerk-layer-missing");
    assert!(
        message(&reply).contains("found no ClerkLayer: add `.layer(ClerkLayer::new(verifier))`"),
        "{}",
        reply.body
    );
    assert!(!message(&reply).contains("wrap"), "{}", reply.body);

    // A template guard: the fix names the template layer of its type.
    let base = serve(template_app_without_layer()).await;
    let reply = send("GET", &format!("{base}/admin"), Some(&admin()), None).await;
    assert_eq!(reply.body["reason"], "clerk-layer-missing");
    let layer = format!(
        "`.layer(ClerkLayer::new(verifier).template::<{}>())`",
        std::any::type_name::<ApiClaims>()
    );
    assert!(message(&reply).contains(&layer), "{}", reply.body);
}

fn template_app_without_layer() -> Router {
    Router::new().route(
        "/admin",
        get(ok).route_layer(require(Role::Admin).on::<ApiClaims>()),
    )
}

#[tokio::test]
async fn guard_of_another_claims_type_than_the_layer_is_a_500_naming_both_types() {
    // `require(x)` without `.on::<ApiClaims>()` under a template layer.
    let app = Router::new()
        .route("/admin", get(ok).route_layer(require(Role::Admin)))
        .layer(ClerkLayer::new(issuer().verifier()).template::<ApiClaims>());
    let base = serve(app).await;
    let token = api_token("org:admin", &["org:invoices:write"]);
    let reply = send("GET", &format!("{base}/admin"), Some(&token), None).await;
    assert_eq!(reply.status, 500, "{}", reply.body);
    assert_eq!(reply.body["reason"], "clerk-layer-mismatch");
    assert_eq!(reply.headers["x-clerk-auth-reason"], "clerk-layer-mismatch");
    let api = std::any::type_name::<ApiClaims>();
    let session = std::any::type_name::<clerk_claims::SessionClaims>();
    assert_eq!(
        message(&reply),
        format!(
            "the ClerkLayer verified the token as `{api}` claims, but the route reads \
             `{session}`: read `{api}` with `require(..).on::<{api}>()` and `Claims<{api}>`, or \
             verify `{session}` instead: add `.layer(ClerkLayer::new(verifier))` to the router, \
             outside the guarded routes"
        )
    );
}

#[tokio::test]
async fn extractor_of_another_claims_type_than_the_layer_is_a_500_naming_both_types() {
    // A session layer; the handler takes the template's claims.
    let app = Router::new()
        .route("/me", get(api_me))
        .layer(ClerkLayer::new(issuer().verifier()));
    let base = serve(app).await;
    let reply = send("GET", &format!("{base}/me"), Some(&admin()), None).await;
    assert_eq!(reply.status, 500, "{}", reply.body);
    assert_eq!(reply.body["reason"], "clerk-layer-mismatch");
    let api = std::any::type_name::<ApiClaims>();
    assert!(
        message(&reply).contains("`require(..)` and `ClerkSession`"),
        "{}",
        reply.body
    );
    assert!(
        message(&reply).contains(&format!(
            "`.layer(ClerkLayer::new(verifier).template::<{api}>())`"
        )),
        "{}",
        reply.body
    );
    // Signed out, the extractor answers as it does everywhere: no token.
    let reply = send("GET", &format!("{base}/me"), None, None).await;
    assert_eq!(
        reply.body["reason"], "session-token-missing",
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn extractor_without_a_layer_or_verifier_names_axums_fix() {
    let base = serve(Router::new().route("/me", get(api_me))).await;
    let reply = send("GET", &format!("{base}/me"), Some(&admin()), None).await;
    assert_eq!(reply.status, 500, "{}", reply.body);
    assert_eq!(reply.body["reason"], "verifier-missing");
    assert!(
        message(&reply).contains("`.layer(ClerkLayer::new(verifier))`"),
        "{}",
        reply.body
    );
}

/// Keeps the text of every `clerk_claims` event with the thread that emitted it. One global
/// subscriber for the test binary (thread-local ones miss events when another test thread
/// registers a callsite first); each test reads its own thread's events.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<(std::thread::ThreadId, String)>>>,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "clerk_claims" {
            return;
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let text = format!("{} {}", event.metadata().level(), fields.0);
        self.events
            .lock()
            .expect("the recorder lock")
            .push((std::thread::current().id(), text));
    }
}

impl Recorder {
    /// This thread's events so far.
    fn events(&self) -> Vec<String> {
        let me = std::thread::current().id();
        let events = self.events.lock().expect("the recorder lock");
        events
            .iter()
            .filter(|(thread, _)| *thread == me)
            .map(|(_, text)| text.clone())
            .collect()
    }

    /// How many verifications this thread's requests made.
    fn verified(&self) -> usize {
        self.events()
            .iter()
            .filter(|e| e.contains("message=request token verified"))
            .count()
    }
}

fn recorder() -> &'static Recorder {
    static RECORDER: OnceLock<Recorder> = OnceLock::new();
    RECORDER.get_or_init(|| {
        use tracing_subscriber::layer::SubscriberExt as _;
        let recorder = Recorder::default();
        let subscriber = tracing_subscriber::registry().with(recorder.clone());
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        recorder
    })
}

// One thread runs the server and the client, so the thread's default subscriber sees both.
#[tokio::test(flavor = "current_thread")]
async fn the_layer_verifies_once_however_many_extractors_and_guards_read_it() {
    let recorder = recorder();
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    let token = member();
    for round in 1..=3 {
        let reply = send("GET", &format!("{base}/many"), Some(&token), None).await;
        assert_eq!((reply.status, &reply.body), (200, &json!({"same": true})));
        assert_eq!(recorder.verified(), round);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn without_the_layer_each_extractor_verifies_for_itself() {
    let recorder = recorder();
    let app = Router::new()
        .route("/many", get(many_readers))
        .with_state(issuer().verifier());
    let base = serve(app).await;
    let reply = send("GET", &format!("{base}/many"), Some(&member()), None).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(recorder.verified(), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn rejections_are_traced_with_their_reason_and_never_the_token() {
    let recorder = recorder();
    let base = serve(session_routes().layer(ClerkLayer::new(issuer().verifier()))).await;
    let token = member();
    assert_eq!(get_status(&base, "/admin", Some(&token)).await, 403);
    let forged = forge(&token);
    assert_eq!(get_status(&base, "/admin", Some(&forged)).await, 401);
    let events = recorder.events();
    let rejected: Vec<&String> = events
        .iter()
        .filter(|e| e.contains("request rejected"))
        .collect();
    assert_eq!(rejected.len(), 2, "{events:#?}");
    assert!(rejected[0].contains("reason=forbidden"), "{events:#?}");
    assert!(
        rejected[1].contains("reason=token-invalid-signature"),
        "{events:#?}"
    );
    let signature = token.rsplit('.').next().expect("a signature part");
    assert!(events.iter().all(|e| !e.contains(signature)), "{events:#?}");
}

fn api_token(role: &str, permissions: &[&str]) -> String {
    let claims: ApiClaims = clerk_claims::claims::decode(
        json!({ "plan": "pro", "role": role, "permissions": permissions })
            .to_string()
            .as_bytes(),
    )
    .expect("api claims");
    issuer().template_token(&claims).user("user_api").mint()
}

async fn api_me(claims: Claims<ApiClaims>) -> Json<Value> {
    Json(json!({ "plan": claims.plan, "user": claims.sub }))
}

fn template_app() -> Router {
    Router::new()
        .route("/me", get(api_me))
        .route(
            "/admin",
            get(ok).route_layer(require(Role::Admin).on::<ApiClaims>()),
        )
        .route(
            "/invoices",
            post(create_invoice).route_layer(require(Permission::InvoicesWrite).on::<ApiClaims>()),
        )
        .route(
            "/either",
            get(ok).route_layer(
                require(Requirement::any([
                    Requirement::role(Role::Admin),
                    Requirement::permission(Permission::InvoicesWrite),
                ]))
                .on::<ApiClaims>(),
            ),
        )
        .layer(ClerkLayer::new(issuer().verifier()).template::<ApiClaims>())
}

#[tokio::test]
async fn template_layer_guards_read_the_fields_the_derive_marked() {
    let base = serve(template_app()).await;
    let admin = api_token("org:admin", &["org:invoices:write"]);
    let member = api_token("org:member", &["org:invoices:read"]);
    assert_eq!(get_status(&base, "/admin", Some(&admin)).await, 200);
    assert_eq!(get_status(&base, "/either", Some(&admin)).await, 200);
    let denied = send("GET", &format!("{base}/admin"), Some(&member), None).await;
    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.body["message"],
        "requires role `org:admin`; the token has role `org:member`"
    );
    assert_eq!(get_status(&base, "/either", Some(&member)).await, 403);
    assert_eq!(get_status(&base, "/admin", None).await, 401);
    let url = format!("{base}/invoices");
    let refused = send("POST", &url, Some(&member), Some("{not json")).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let me = send("GET", &format!("{base}/me"), Some(&member), None).await;
    assert_eq!(
        (me.status, me.body),
        (200, json!({"plan": "pro", "user": "user_api"}))
    );
}

#[tokio::test]
async fn template_drift_is_500_claims_mismatch() {
    let base = serve(template_app()).await;
    let old: ApiClaimsBeforePlan = clerk_claims::claims::decode(
        br#"{"role": "org:admin", "permissions": ["org:invoices:write"]}"#,
    )
    .expect("old claims");
    let token = issuer().template_token(&old).mint();
    let reply = send("GET", &format!("{base}/admin"), Some(&token), None).await;
    assert_eq!(reply.status, 500, "{}", reply.body);
    assert_eq!(reply.body["reason"], "claims-mismatch");
    assert!(
        reply.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("plan")),
        "{}",
        reply.body
    );
    assert!(reply.headers.get("www-authenticate").is_none());
}

#[tokio::test]
async fn token_of_another_template_is_rejected_on_a_template_route() {
    let base = serve(template_app()).await;
    let reporting: ReportingClaims = clerk_claims::claims::decode(
        br#"{"plan": "pro", "role": "org:admin", "permissions": ["org:invoices:write"]}"#,
    )
    .expect("reporting claims");
    let token = issuer().template_token(&reporting).mint();
    let reply = send("GET", &format!("{base}/admin"), Some(&token), None).await;
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert_eq!(reply.body["reason"], "token-type-mismatch");
    assert!(
        reply.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("\"reporting\"") && m.contains("\"api\"")),
        "{}",
        reply.body
    );
    // A session token on the template layer is the other category.
    let session = send("GET", &format!("{base}/admin"), Some(&admin()), None).await;
    assert_eq!(session.body["reason"], "token-type-mismatch");
}

#[tokio::test]
async fn default_deny_router_lets_only_its_public_routes_through_signed_out() {
    let app = session_routes().route("/health", get(ok)).layer(
        ClerkLayer::new(issuer().verifier())
            .deny_signed_out()
            .public("/health"),
    );
    let base = serve(app).await;
    assert_eq!(get_status(&base, "/health", None).await, 200);
    assert_eq!(get_status(&base, "/me", None).await, 401);
    assert_eq!(get_status(&base, "/no-such-route", None).await, 401);
    assert_eq!(get_status(&base, "/me", Some(&member())).await, 200);
    assert_eq!(
        get_status(&base, "/no-such-route", Some(&member())).await,
        404
    );
    let forged = forge(&member());
    let reply = send("GET", &format!("{base}/me"), Some(&forged), None).await;
    assert_eq!(reply.body["reason"], "token-invalid-signature");
}

#[tokio::test]
async fn rejection_hook_replaces_guard_layer_and_extractor_responses() {
    let layer = ClerkLayer::new(issuer().verifier()).on_rejection(|rejection| {
        let code = match rejection.reason() {
            AuthReason::Forbidden => "no-entry",
            AuthReason::SessionTokenMissing => "sign-in-first",
            AuthReason::Token(Reason::TokenInvalidSignature) => "forged",
            _ => "other",
        };
        (
            StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::UNAUTHORIZED),
            Json(json!({ "code": code })),
        )
            .into_response()
    });
    let base = serve(session_routes().layer(layer)).await;
    let guard = send("GET", &format!("{base}/admin"), Some(&member()), None).await;
    assert_eq!(
        (guard.status, guard.body),
        (403, json!({"code": "no-entry"}))
    );
    let extractor = send("GET", &format!("{base}/me"), None, None).await;
    assert_eq!(
        (extractor.status, extractor.body),
        (401, json!({"code": "sign-in-first"}))
    );
    let forged = forge(&member());
    let rejected = send("GET", &format!("{base}/me"), Some(&forged), None).await;
    assert_eq!(rejected.body, json!({"code": "forged"}));
}

#[derive(Clone)]
struct AppState {
    verifier: Verifier,
    greeting: &'static str,
}

impl FromRef<AppState> for Verifier {
    fn from_ref(state: &AppState) -> Verifier {
        state.verifier.clone()
    }
}

async fn greet(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: ClerkSession,
) -> String {
    format!("{} {}", state.greeting, session.user_id())
}

#[tokio::test]
async fn verifier_comes_from_router_state_through_from_ref() {
    let state = AppState {
        verifier: issuer().verifier(),
        greeting: "hello",
    };
    // Without a layer: the extractor takes the verifier from the state.
    let plain = Router::new()
        .route("/greet", get(greet))
        .with_state(state.clone());
    let base = serve(plain).await;
    let reply = send("GET", &format!("{base}/greet"), Some(&member()), None).await;
    assert_eq!(reply.body, json!("hello user_member"));
    // With a layer built from the same state.
    let layered = Router::new()
        .route("/greet", get(greet))
        .route("/admin", get(ok).route_layer(require(Role::Admin)))
        .layer(ClerkLayer::from_state(&state))
        .with_state(state);
    let base = serve(layered).await;
    let reply = send("GET", &format!("{base}/greet"), Some(&member()), None).await;
    assert_eq!(reply.body, json!("hello user_member"));
    assert_eq!(get_status(&base, "/admin", Some(&member())).await, 403);
}

async fn greet_shared(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    session: ClerkSession,
) -> String {
    format!("{} {}", state.greeting, session.user_id())
}

#[tokio::test]
async fn shared_arc_state_provides_the_verifier_of_its_inner_state() {
    let state = Arc::new(AppState {
        verifier: issuer().verifier(),
        greeting: "hi",
    });
    let app = Router::new()
        .route("/greet", get(greet_shared))
        .with_state(state);
    let base = serve(app).await;
    let reply = send("GET", &format!("{base}/greet"), Some(&member()), None).await;
    assert_eq!(reply.body, json!("hi user_member"));
}

#[test]
fn rejection_reasons_are_typed() {
    let missing = ClerkRejection::NoToken;
    assert_eq!(missing.reason(), AuthReason::SessionTokenMissing);
    assert_eq!(missing.reason().as_str(), "session-token-missing");
    assert_eq!(missing.status(), 401);
    assert_eq!(ClerkRejection::Pending.reason(), AuthReason::SessionPending);
}

/// A delivery of `session.revoked` signed now by `webhook`: its headers and body.
fn webhook_delivery(webhook: &clerk_claims::webhooks::Webhook) -> (Vec<(String, String)>, Vec<u8>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/webhooks/session.revoked.json"
    );
    let body = std::fs::read(path).expect("the session.revoked fixture");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let now = i64::try_from(now).expect("a timestamp");
    let signature = webhook.sign("msg_deny", now, &body);
    let headers = vec![
        ("svix-id".to_owned(), "msg_deny".to_owned()),
        ("svix-timestamp".to_owned(), now.to_string()),
        ("svix-signature".to_owned(), signature),
    ];
    (headers, body)
}

async fn deliver(url: &str, webhook: &clerk_claims::webhooks::Webhook) -> u16 {
    let (headers, body) = webhook_delivery(webhook);
    let mut request = reqwest::Client::new().post(url).body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request
        .send()
        .await
        .expect("the server answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn webhook_route_under_deny_signed_out_gets_401_unless_named_public() {
    use clerk_claims::webhooks::{Webhook, axum::VerifiedWebhook};
    async fn receive(VerifiedWebhook(_): VerifiedWebhook) -> &'static str {
        "ok"
    }
    let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("a secret");
    let app = |layer: ClerkLayer| {
        Router::new()
            .route("/webhooks/clerk", post(receive))
            .with_state(webhook.clone())
            .layer(layer)
    };
    let layer = || ClerkLayer::new(issuer().verifier()).deny_signed_out();
    let dropped = serve(app(layer())).await;
    assert_eq!(
        deliver(&format!("{dropped}/webhooks/clerk"), &webhook).await,
        401
    );
    let delivered = serve(app(layer().public("/webhooks/clerk"))).await;
    assert_eq!(
        deliver(&format!("{delivered}/webhooks/clerk"), &webhook).await,
        200
    );
}
