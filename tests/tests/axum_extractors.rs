//! The axum extractors over real HTTP on loopback: tokens from `TestIssuer`, the verifier from
//! state or from an `Extension` layer, 401/403/500 responses with reason codes.

use axum::extract::Extension;
use axum::routing::get;
use axum::{Json, Router};
use clerk_claims::axum::ClerkSession;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::{ClerkRole, Forbidden, Verifier};
use serde_json::{Value, json};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

async fn me(session: ClerkSession) -> Json<Value> {
    Json(json!({
        "user": session.user_id(),
        "org": session.auth().org_id,
        "role": session.auth().org_role,
    }))
}

async fn admin_only(session: ClerkSession) -> Result<&'static str, Forbidden> {
    session.require_role(Role::Admin)?;
    Ok("welcome, admin")
}

async fn maybe(session: Option<ClerkSession>) -> String {
    session.map_or_else(|| "anonymous".to_owned(), |s| s.user_id().to_owned())
}

/// One instance for the file: RSA key generation dominates a test's cost otherwise.
fn shared_issuer() -> &'static TestIssuer {
    static ISSUER: std::sync::OnceLock<TestIssuer> = std::sync::OnceLock::new();
    ISSUER.get_or_init(TestIssuer::new)
}

fn routes() -> Router<Verifier> {
    Router::new()
        .route("/me", get(me))
        .route("/admin", get(admin_only))
        .route("/maybe", get(maybe))
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

async fn get_with(
    url: &str,
    header: Option<(&str, String)>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().get(url);
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, body)
}

fn bearer(token: &str) -> Option<(&'static str, String)> {
    Some(("authorization", format!("Bearer {token}")))
}

#[tokio::test]
async fn valid_bearer_token_reaches_the_handler_with_normalized_claims() {
    let issuer = shared_issuer();
    let base = serve(routes().with_state(issuer.verifier())).await;
    let token = issuer
        .session()
        .user("user_1")
        .org("org_1", "acme", "admin")
        .mint();
    let (status, _, body) = get_with(&format!("{base}/me"), bearer(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"user": "user_1", "org": "org_1", "role": "org:admin"})
    );
}

#[tokio::test]
async fn session_cookie_is_read_when_there_is_no_authorization_header() {
    let issuer = shared_issuer();
    let base = serve(routes().with_state(issuer.verifier())).await;
    // A cookie token must carry `azp` (Clerk's CSRF rule); browsers' tokens always do.
    let token = issuer
        .session()
        .user("user_cookie")
        .azp("https://app.example")
        .mint();
    let cookie = Some(("cookie", format!("theme=dark; __session={token}")));
    let (status, _, body) = get_with(&format!("{base}/me"), cookie).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"], "user_cookie");
}

#[tokio::test]
async fn missing_token_is_401_session_token_missing() {
    let issuer = shared_issuer();
    let base = serve(routes().with_state(issuer.verifier())).await;
    let (status, headers, body) = get_with(&format!("{base}/me"), None).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "session-token-missing");
    assert_eq!(headers["x-clerk-auth-reason"], "session-token-missing");
    assert_eq!(headers["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn expired_token_is_401_with_token_expired() {
    let issuer = shared_issuer();
    let token = issuer
        .session()
        .user("user_1")
        .issued_at(1_700_000_000)
        .lifetime(60)
        .mint();
    let verifier = issuer
        .verifier_builder()
        .now(1_700_000_600)
        .build()
        .unwrap();
    let base = serve(routes().with_state(verifier)).await;
    let (status, headers, body) = get_with(&format!("{base}/me"), bearer(&token)).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "token-expired");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
    assert_eq!(
        headers["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
}

#[tokio::test]
async fn token_from_another_instance_is_rejected() {
    let ours = shared_issuer();
    let theirs = TestIssuer::new();
    let base = serve(routes().with_state(ours.verifier())).await;
    let token = theirs.session().user("user_1").mint();
    let (status, _, body) = get_with(&format!("{base}/me"), bearer(&token)).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "jwk-kid-mismatch", "{body}");
}

#[tokio::test]
async fn require_role_turns_into_403_naming_the_role() {
    let issuer = shared_issuer();
    let base = serve(routes().with_state(issuer.verifier())).await;
    let member = issuer
        .session()
        .user("user_1")
        .org("org_1", "acme", "member")
        .mint();
    let (status, _, body) = get_with(&format!("{base}/admin"), bearer(&member)).await;
    assert_eq!(status, 403);
    assert_eq!(body["reason"], "forbidden");
    assert!(
        body["message"].as_str().unwrap().contains("org:admin"),
        "{body}"
    );

    let admin = issuer
        .session()
        .user("user_2")
        .org("org_1", "acme", "admin")
        .mint();
    let (status, _, body) = get_with(&format!("{base}/admin"), bearer(&admin)).await;
    assert_eq!((status, body), (200, json!("welcome, admin")));
}

#[tokio::test]
async fn pending_session_is_treated_as_signed_out() {
    let issuer = shared_issuer();
    let base = serve(routes().with_state(issuer.verifier())).await;
    let token = issuer.session().user("user_1").status("pending").mint();
    let (status, _, body) = get_with(&format!("{base}/me"), bearer(&token)).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "session-pending");
}

#[tokio::test]
async fn optional_session_is_none_without_a_token_but_a_bad_token_is_still_rejected() {
    let issuer = shared_issuer();
    let base = serve(routes().with_state(issuer.verifier())).await;
    let (status, _, body) = get_with(&format!("{base}/maybe"), None).await;
    assert_eq!((status, body), (200, json!("anonymous")));
    let token = issuer.session().user("user_9").mint();
    let (status, _, body) = get_with(&format!("{base}/maybe"), bearer(&token)).await;
    assert_eq!((status, body), (200, json!("user_9")));
    let (status, _, body) = get_with(&format!("{base}/maybe"), bearer("garbage")).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "token-invalid");
}

#[tokio::test]
async fn verifier_can_come_from_an_extension_layer() {
    let issuer = shared_issuer();
    let app = Router::new()
        .route("/me", get(me))
        .layer(Extension(issuer.verifier()));
    let base = serve(app).await;
    let token = issuer.session().user("user_ext").mint();
    let (status, _, body) = get_with(&format!("{base}/me"), bearer(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"], "user_ext");
}

#[tokio::test]
async fn no_verifier_anywhere_is_a_500_naming_the_fix() {
    let base = serve(Router::new().route("/me", get(me))).await;
    let (status, _, body) = get_with(&format!("{base}/me"), bearer("x.y.z")).await;
    assert_eq!(status, 500);
    assert_eq!(body["reason"], "verifier-missing");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Extension(verifier)"),
        "{body}"
    );
}

/// A verifier that knows the instance's publishable key, as `authenticateRequest` does.
fn verifier_with_publishable_key(issuer: &TestIssuer) -> Verifier {
    issuer
        .verifier_builder()
        .publishable_key(issuer.publishable_key())
        .build()
        .expect("verifier with a publishable key")
}

fn suffixed_cookie_name(issuer: &TestIssuer) -> String {
    clerk_claims::source::PublishableKey::parse(&issuer.publishable_key())
        .expect("the issuer's publishable key parses")
        .session_cookie_name()
}

fn cookie_token(issuer: &TestIssuer, user: &str) -> String {
    issuer
        .session()
        .user(user)
        .azp("https://app.example")
        .mint()
}

#[tokio::test]
async fn suffixed_session_cookie_is_read_first_when_the_verifier_has_the_publishable_key() {
    let issuer = shared_issuer();
    let verifier = verifier_with_publishable_key(issuer);
    assert_eq!(
        verifier.publishable_key().map(|pk| pk.as_str().to_owned()),
        Some(issuer.publishable_key())
    );
    let base = serve(routes().with_state(verifier)).await;
    let name = suffixed_cookie_name(issuer);
    assert!(name.starts_with("__session_") && name.len() == "__session_".len() + 8);

    // Both cookies present: Clerk's suffixed one wins over the plain one.
    let cookie = format!(
        "__session={}; {name}={}",
        cookie_token(issuer, "user_plain"),
        cookie_token(issuer, "user_suffixed")
    );
    let (status, _, body) = get_with(&format!("{base}/me"), Some(("cookie", cookie))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"], "user_suffixed");

    // Only the suffixed one.
    let cookie = format!("{name}={}", cookie_token(issuer, "user_suffixed"));
    let (status, _, body) = get_with(&format!("{base}/me"), Some(("cookie", cookie))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"], "user_suffixed");

    // The plain cookie still works alone.
    let cookie = format!("__session={}", cookie_token(issuer, "user_plain"));
    let (status, _, body) = get_with(&format!("{base}/me"), Some(("cookie", cookie))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"], "user_plain");
}

#[tokio::test]
async fn suffixed_cookie_is_not_found_without_the_publishable_key_or_with_another_suffix() {
    let issuer = shared_issuer();
    let name = suffixed_cookie_name(issuer);
    let cookie = format!("{name}={}", cookie_token(issuer, "user_suffixed"));

    // A verifier without the publishable key cannot know the suffix.
    let base = serve(routes().with_state(issuer.verifier())).await;
    assert!(issuer.verifier().publishable_key().is_none());
    let (status, headers, _) =
        get_with(&format!("{base}/me"), Some(("cookie", cookie.clone()))).await;
    assert_eq!(status, 401);
    assert_eq!(
        headers.get("x-clerk-auth-reason").map(|v| v.as_bytes()),
        Some(&b"session-token-missing"[..])
    );

    // Another instance's suffix is not ours.
    let other =
        clerk_claims::source::PublishableKey::for_frontend_api("other.clerk.accounts.dev", false);
    let foreign = format!(
        "{}={}",
        other.session_cookie_name(),
        cookie_token(issuer, "user_x")
    );
    let base = serve(routes().with_state(verifier_with_publishable_key(issuer))).await;
    let (status, _, body) = get_with(&format!("{base}/me"), Some(("cookie", foreign))).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["reason"], "session-token-missing");
}
