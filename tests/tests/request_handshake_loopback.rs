//! The handshake round trip on loopback against FakeClerk: an expired cookie on a page load is
//! redirected to the fake's Frontend API, comes back with a nonce (or a token), and the next
//! request sets fresh cookies and is signed in. A forged handshake token of the template
//! category (signed by the same instance key) is refused and sets no cookie (Clerk advisory
//! AISEC-85).

use clerk_claims::request::{
    self, AuthErrorReason, AuthReason, HandshakeError, RequestDescription, RequestOptions,
    RequestState,
};
use clerk_claims::source::PublishableKey;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::verify::{CATEGORY_SESSION, CATEGORY_TEMPLATE, Reason};
use serde_json::{Value, json};

const APP: &str = "https://app.example";

fn options(fake: &FakeClerk, publishable_key: &str) -> RequestOptions {
    RequestOptions::builder()
        .publishable_key(publishable_key)
        .jwks_json(fake.jwks().to_string())
        .secret_key(fake.secret_key())
        .api_url(fake.url())
        .proxy_url(fake.url())
        .build()
        .expect("valid options")
}

async fn authenticate(url: &str, cookies: Value, options: &RequestOptions) -> RequestState {
    let description =
        json!({ "url": url, "headers": { "sec-fetch-dest": "document" }, "cookies": cookies });
    let parts = RequestDescription::from_json(&description.to_string())
        .and_then(|d| d.to_parts())
        .expect("a valid request");
    request::authenticate(&parts, options).await
}

/// Follows the handshake redirect to the fake; returns where it sends the browser back.
async fn frontend_api(location: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let response = client.get(location).send().await.expect("the fake answers");
    assert_eq!(
        response.status().as_u16(),
        307,
        "the Frontend API redirects back"
    );
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a Location back")
        .to_owned()
}

/// An expired session cookie of the fake's seeded session, with `__client_uat` and a dev
/// browser.
fn expired_cookies(fake: &FakeClerk) -> Value {
    let now = fake.now();
    let expired = fake
        .issuer()
        .session()
        .user("user_2alice")
        .session_id("sess_2alice_acme")
        .azp(APP)
        .issued_at(now - 3600)
        .mint();
    json!({ "__session": expired, "__client_uat": (now - 3700).to_string(), "__clerk_db_jwt": "dvb_loopback" })
}

#[tokio::test]
async fn an_expired_cookie_comes_back_signed_in_after_one_handshake_with_a_nonce() {
    let fake = FakeClerk::start();
    let options = options(&fake, &fake.publishable_key());
    let state = authenticate(
        &format!("{APP}/dashboard?tab=1"),
        expired_cookies(&fake),
        &options,
    )
    .await;
    assert_eq!(
        state.reason(),
        Some(AuthReason::SessionTokenExpired(
            request::RefreshError::NonEligibleNoCookie
        ))
    );
    let location = state
        .redirect_now()
        .and(state.location())
        .expect("a handshake redirect");
    assert!(
        location.starts_with(&format!("{}/v1/client/handshake?", fake.url())),
        "{location}"
    );

    let back = frontend_api(location).await;
    assert!(
        back.starts_with(&format!("{APP}/dashboard?tab=1&__clerk_handshake_nonce=")),
        "{back}"
    );
    let returned = authenticate(&back, json!({ "__clerk_db_jwt": "dvb_loopback" }), &options).await;
    let RequestState::SignedIn(signed_in) = &returned else {
        panic!("signed in after the handshake, found {returned:?}");
    };
    assert_eq!(signed_in.session.sub, "user_2alice");
    assert_eq!(signed_in.session.sid.as_deref(), Some("sess_2alice_acme"));
    let cookies: Vec<&str> = returned.set_cookies().collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with(&format!("__session={}", signed_in.token))),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("__client_uat=") && !c.starts_with("__client_uat=0")),
        "{cookies:?}"
    );
    // A development instance reloads the clean URL once the cookies are set.
    assert_eq!(
        returned.location(),
        Some(format!("{APP}/dashboard?tab=1").as_str())
    );
    assert_eq!(
        fake.request_count("GET", "/v1/clients/handshake_payload"),
        1
    );

    // A nonce the fake did not hand out sets no session.
    let forged = format!("{APP}/dashboard?__clerk_handshake_nonce=hsn_forged");
    let state = authenticate(
        &forged,
        json!({ "__clerk_db_jwt": "dvb_loopback" }),
        &options,
    )
    .await;
    assert_eq!(
        state.reason(),
        Some(AuthReason::Auth(AuthErrorReason::SessionTokenMissing))
    );
    // Clerk says signed out and reloads the clean URL; ours is that redirect as a handshake.
    let RequestState::Handshake { headers, .. } = &state else {
        panic!("a handshake back to the clean URL, found {state:?}");
    };
    assert_eq!(headers["location"], format!("{APP}/dashboard").as_str());
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn a_production_handshake_that_signs_out_sets_the_signed_out_cookies_and_reloads_the_clean_url()
 {
    let fake = FakeClerk::start();
    let live = PublishableKey::for_frontend_api(fake.issuer().frontend_api(), true);
    let options = options(&fake, live.as_str());
    let now = fake.now();
    // An expired token of a session the fake does not know: its handshake signs out.
    let stale = fake
        .issuer()
        .session()
        .user("user_2gone")
        .session_id("sess_2gone")
        .azp(APP)
        .issued_at(now - 3600)
        .mint();
    let cookies = json!({ "__session": stale, "__client_uat": (now - 3700).to_string() });
    let state = authenticate(&format!("{APP}/dashboard?tab=1"), cookies, &options).await;
    let location = state
        .redirect_now()
        .and(state.location())
        .expect("a handshake redirect");
    let back = frontend_api(location).await;
    assert!(back.contains("__clerk_handshake_nonce="), "{back}");

    let returned = authenticate(&back, json!({}), &options).await;
    assert_eq!(
        returned.reason(),
        Some(AuthReason::Auth(AuthErrorReason::SessionTokenMissing))
    );
    let redirect = returned
        .redirect_now()
        .expect("a signed-out handshake return is answered with a redirect");
    assert_eq!(
        redirect["location"],
        format!("{APP}/dashboard?tab=1").as_str()
    );
    assert_eq!(redirect["cache-control"], "no-store");
    assert_eq!(redirect["x-clerk-auth-status"], "handshake");
    let cookies: Vec<&str> = returned.set_cookies().collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("__session=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("__client_uat=0;")),
        "{cookies:?}"
    );
    assert_eq!(
        fake.request_count("GET", "/v1/clients/handshake_payload"),
        1
    );
}

#[tokio::test]
async fn the_token_form_of_the_handshake_return_signs_in_too() {
    let fake = FakeClerk::start();
    let options = options(&fake, &fake.publishable_key());
    let state = authenticate(&format!("{APP}/"), expired_cookies(&fake), &options).await;
    let location = state
        .location()
        .expect("a handshake redirect")
        .replace("format=nonce", "format=token");
    let back = frontend_api(&location).await;
    assert!(back.contains("__clerk_handshake="), "{back}");
    let returned = authenticate(&back, json!({ "__clerk_db_jwt": "dvb_loopback" }), &options).await;
    assert!(
        matches!(returned, RequestState::SignedIn(_)),
        "{returned:?}"
    );
    assert!(
        returned
            .set_cookies()
            .any(|c| c.starts_with("__session=ey"))
    );
}

#[tokio::test]
async fn a_forged_template_category_handshake_token_is_refused_and_sets_no_cookie() {
    let fake = FakeClerk::start();
    let issuer = fake.issuer();
    let now = fake.now();
    let session = issuer
        .session()
        .user("user_2mallory")
        .azp(APP)
        .issued_at(now - 5)
        .mint();
    let lines = json!([
        format!("__session={session}; Path=/"),
        format!("__client_uat={now}; Path=/"),
    ]);
    // Same instance key, template category: what a JWT-template token minted with a
    // `handshake` claim would look like.
    let forged = issuer.sign(
        &issuer.header(CATEGORY_TEMPLATE),
        &json!({ "handshake": lines }),
    );
    let genuine = issuer.sign(
        &issuer.header(CATEGORY_SESSION),
        &json!({ "handshake": lines }),
    );

    let development = options(&fake, &fake.publishable_key());
    match request::verify_handshake_token(&forged, development.verifier()).await {
        Err(HandshakeError::Category { found }) => assert_eq!(found, CATEGORY_TEMPLATE),
        other => panic!("the template category is refused, found {other:?}"),
    }
    let lines_of_genuine = request::verify_handshake_token(&genuine, development.verifier())
        .await
        .expect("the session category is accepted");
    assert_eq!(lines_of_genuine.len(), 2);

    let url = format!("{APP}/?__clerk_handshake={forged}");
    let state = authenticate(
        &url,
        json!({ "__clerk_db_jwt": "dvb_loopback" }),
        &development,
    )
    .await;
    assert!(matches!(state, RequestState::SignedOut { .. }), "{state:?}");
    assert_eq!(
        state.reason(),
        Some(AuthReason::Token(Reason::TokenInvalid))
    );
    assert!(
        state.message().is_some_and(|m| m.contains("category")),
        "{state:?}"
    );
    assert_eq!(
        state.set_cookies().count(),
        0,
        "no cookie from a forged handshake"
    );

    // A production instance goes on with the normal flow (the handshake cookie may be another
    // app's on the same site) and still sets none of the forged cookies.
    let live = PublishableKey::for_frontend_api(issuer.frontend_api(), true);
    let production = options(&fake, live.as_str());
    let state = authenticate(&url, json!({}), &production).await;
    assert!(state.session().is_none(), "{state:?}");
    assert!(
        !state.set_cookies().any(|c| c.starts_with("__session")),
        "{state:?}"
    );
}
