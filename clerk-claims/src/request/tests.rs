//! `authenticate` on requests built here, with the test issuer's keys.

use std::time::Duration;

use super::*;
use crate::Clock;
use crate::testing::issuer::TestIssuer;

const NOW: i64 = 1_767_225_600;

fn parts(url: &str, headers: &[(&str, &str)]) -> Parts {
    let mut builder = http::Request::get(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(()).expect("a valid request").into_parts().0
}

fn options(issuer: &TestIssuer, clock: &Clock) -> RequestOptions {
    let live = crate::source::PublishableKey::for_frontend_api(issuer.frontend_api(), true);
    RequestOptions::builder()
        .publishable_key(live.as_str())
        .pem(issuer.public_key_pem())
        .clock(clock.clone())
        .build()
        .expect("valid options")
}

#[tokio::test]
async fn moving_the_clock_after_build_expires_the_cookie_into_a_handshake() {
    let issuer = TestIssuer::new();
    let clock = Clock::manual(NOW);
    let options = options(&issuer, &clock);
    let token = issuer
        .session()
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let cookie = format!("__session={token}; __client_uat={}", NOW - 60);
    let request = parts(
        "https://app.example/",
        &[("cookie", &cookie), ("sec-fetch-dest", "document")],
    );
    assert_eq!(
        authenticate(&request, &options).await.status(),
        Status::SignedIn
    );
    clock.advance(Duration::from_secs(120));
    let state = authenticate(&request, &options).await;
    assert_eq!(state.status(), Status::Handshake);
    assert_eq!(
        state.reason(),
        Some(AuthReason::SessionTokenExpired(
            RefreshError::NonEligibleNoCookie
        ))
    );
    assert!(
        state
            .message()
            .is_some_and(|m| m.contains("token-carrier=cookie"))
    );
    assert_eq!(state.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn the_suffixed_cookies_win_when_the_plain_ones_belong_to_another_instance() {
    let issuer = TestIssuer::new();
    let other = TestIssuer::new();
    let clock = Clock::manual(NOW);
    let options = options(&issuer, &clock);
    let suffix = options.publishable_key().cookie_suffix();
    let ours = issuer
        .session()
        .session_id("sess_ours")
        .issued_at(NOW - 5)
        .mint();
    let theirs = other
        .session()
        .session_id("sess_theirs")
        .issued_at(NOW - 5)
        .mint();
    let cookie = format!(
        "__session={theirs}; __client_uat={}; __session_{suffix}={ours}; __client_uat_{suffix}={}",
        NOW - 60,
        NOW - 60
    );
    let state = authenticate(
        &parts("https://app.example/", &[("cookie", &cookie)]),
        &options,
    )
    .await;
    assert_eq!(
        state.session().and_then(|s| s.sid.as_deref()),
        Some("sess_ours"),
        "{state:?}"
    );
}

#[tokio::test]
async fn a_fetch_that_would_need_a_handshake_is_signed_out_with_the_same_reason() {
    let issuer = TestIssuer::new();
    let options = options(&issuer, &Clock::manual(NOW));
    let request = parts(
        "https://app.example/api",
        &[
            ("cookie", "__client_uat=12345"),
            ("sec-fetch-dest", "empty"),
        ],
    );
    let state = authenticate(&request, &options).await;
    assert_eq!(state.status(), Status::SignedOut);
    assert_eq!(
        state.reason(),
        Some(AuthReason::Auth(
            AuthErrorReason::ClientUatWithoutSessionToken
        ))
    );
    assert!(state.redirect_now().is_none());
    assert_eq!(state.headers()["x-clerk-auth-status"], "signed-out");
    assert!(!is_handshake_eligible(&request));
}

#[tokio::test]
async fn a_frontend_api_that_cannot_form_a_url_is_an_unexpected_error_not_a_bare_redirect() {
    let issuer = TestIssuer::new();
    let key = crate::source::PublishableKey::for_frontend_api("bad^host.example", true);
    let options = RequestOptions::builder()
        .publishable_key(key.as_str())
        .pem(issuer.public_key_pem())
        .build()
        .expect("valid options");
    let request = parts(
        "https://app.example/",
        &[
            ("cookie", "__client_uat=12345"),
            ("sec-fetch-dest", "document"),
        ],
    );
    let state = authenticate(&request, &options).await;
    assert_eq!(
        state.reason(),
        Some(AuthReason::Auth(AuthErrorReason::UnexpectedError))
    );
    assert!(
        state
            .message()
            .is_some_and(|m| m.contains("bad^host.example")),
        "{state:?}"
    );
    assert!(state.redirect_now().is_none());
}

#[tokio::test]
async fn a_signed_out_state_sends_only_the_debug_headers_of_its_reason_and_message() {
    let issuer = TestIssuer::new();
    let stranger = TestIssuer::new();
    let options = options(&issuer, &Clock::manual(NOW));
    let token = stranger
        .session()
        .azp("https://app.example")
        .issued_at(NOW - 5)
        .mint();
    let bearer = format!("Bearer {token}");
    let request = parts(
        "https://app.example/api",
        &[("authorization", &bearer), ("sec-fetch-dest", "document")],
    );
    let state = authenticate(&request, &options).await;
    let RequestState::SignedOut { reason, message } = &state else {
        panic!("a token of another key is signed out, found {state:?}");
    };
    let headers = state.headers();
    assert_eq!(headers["x-clerk-auth-status"], "signed-out");
    assert_eq!(headers["x-clerk-auth-reason"], reason.as_str());
    assert_eq!(headers["x-clerk-auth-message"], message.as_str());
    assert_eq!(headers.len(), 3, "{headers:?}");
    assert_eq!(state.location(), None);
    assert_eq!(state.set_cookies().count(), 0);
    assert!(state.redirect_now().is_none());
}

#[tokio::test]
async fn a_handshake_token_is_checked_key_first_then_typ_and_alg_as_in_clerks_sdk() {
    use serde_json::json;
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier();
    let payload = json!({ "handshake": ["__session=abc; Path=/"] });
    let signed = |header: serde_json::Value| issuer.sign(&header, &payload);
    let reason = |outcome: Result<Vec<String>, HandshakeError>| match outcome {
        Err(HandshakeError::Token(e)) => Some(e.reason()),
        _ => None,
    };

    let genuine = signed(json!({ "alg": "RS256", "kid": issuer.kid(), "typ": "JWT" }));
    assert_eq!(
        verify_handshake_token(&genuine, &verifier).await.ok(),
        Some(vec!["__session=abc; Path=/".to_owned()])
    );
    let bad_typ = signed(json!({ "alg": "RS256", "kid": issuer.kid(), "typ": "jws" }));
    assert_eq!(
        reason(verify_handshake_token(&bad_typ, &verifier).await),
        Some(Reason::TokenInvalid)
    );
    let bad_alg = signed(json!({ "alg": "HS256", "kid": issuer.kid(), "typ": "JWT" }));
    assert_eq!(
        reason(verify_handshake_token(&bad_alg, &verifier).await),
        Some(Reason::TokenInvalidAlgorithm)
    );
    // An unknown kid is found out before the header's other members, as Clerk loads the key first.
    let unknown_kid = signed(json!({ "alg": "HS256", "kid": "ins_other", "typ": "jws" }));
    assert_eq!(
        reason(verify_handshake_token(&unknown_kid, &verifier).await),
        Some(Reason::JwkKidMismatch)
    );
}
