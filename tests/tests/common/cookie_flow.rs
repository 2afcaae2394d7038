//! What the axum and actix cookie-flow tests share: the session they sign in with, the request
//! options against the fake, the two handlers, and the cookies of a browser whose session
//! expired.

use std::collections::BTreeMap;
use std::sync::Arc;

use clerk_claims::guard::ClerkSession;
use clerk_claims::request::{RequestOptions, RequestOptionsBuilder};
use clerk_claims::testing::fake::FakeClerk;

pub const USER: &str = "user_2alice";
pub const SESSION: &str = "sess_2alice_acme";

/// `/`: who is signed in, if anyone.
pub async fn home(session: Option<ClerkSession>) -> String {
    match session {
        Some(session) => format!("signed in as {}", session.user_id()),
        None => "signed out".to_owned(),
    }
}

/// `/dashboard`: two readers of the session, the same `Arc` when both read the one
/// verification of the layer or middleware.
pub async fn dashboard(first: ClerkSession, second: ClerkSession) -> String {
    let shared = Arc::ptr_eq(&first.clone().into_arc(), &second.into_arc());
    format!("hello {} shared={shared}", first.user_id())
}

/// The request options of an app of the fake's instance (its keys, its Backend API, its
/// Frontend API as the proxy).
pub fn options(fake: &FakeClerk) -> RequestOptionsBuilder {
    RequestOptions::builder()
        .publishable_key(fake.publishable_key())
        .jwks_json(fake.jwks().to_string())
        .secret_key(fake.secret_key())
        .api_url(fake.url())
        .proxy_url(fake.url())
}

/// The cookies of a browser of the app at `app` whose `__session` expired an hour ago, with
/// `__client_uat` and a dev browser; and the expired token.
pub fn expired_session_cookies(fake: &FakeClerk, app: &str) -> (BTreeMap<String, String>, String) {
    let now = fake.now();
    let expired = fake
        .issuer()
        .session()
        .user(USER)
        .session_id(SESSION)
        .azp(app)
        .issued_at(now - 3600)
        .mint();
    let jar = BTreeMap::from([
        ("__session".to_owned(), expired.clone()),
        ("__client_uat".to_owned(), (now - 3700).to_string()),
        ("__clerk_db_jwt".to_owned(), "dvb_cookie_flow".to_owned()),
    ]);
    (jar, expired)
}
