//! The request path under attack (issue 16), over real HTTP on loopback: an axum app behind
//! `ClerkLayer::cookie_flow` (or the header layer) against FakeClerk, whose Backend API calls
//! are counted and slowed by fault injection.
//!
//! * A handshake nonce costs a Backend API call only when it can be one, has not failed
//!   before, fits the bound on concurrent exchanges, and waits at most `api_timeout`.
//! * A development primary sends the dev browser token only to the app's own origins.
//! * A junk `__session` cannot sign out the session of `__session_<suffix>`.
//! * Forwarded headers are read only behind a proxy, and then only the app's own host and
//!   `http(s)`.
//! * An `Authorization` header that is not ASCII is read as Clerk reads it (Latin-1).

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use clerk_claims::axum::{ClerkLayer, Requirement, require};
use clerk_claims::request::RequestOptions;
use clerk_claims::source::PublishableKey;
use clerk_claims::testing::fake::{FakeClerk, Fault};
use reqwest::header::HeaderValue;

use crate::common::cookie_flow::{USER, dashboard, home, options};

const NONCE_PATH: &str = "/v1/clients/handshake_payload";

/// The app (`/` for anyone, `/me` signed in only) behind `layer`, on a loopback port; returns
/// its URL.
async fn serve_with(layer: ClerkLayer) -> String {
    let app = Router::new()
        .route("/", get(home))
        .route(
            "/me",
            get(dashboard).route_layer(require(Requirement::signed_in())),
        )
        .layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

async fn serve(options: RequestOptions) -> String {
    serve_with(ClerkLayer::cookie_flow(options)).await
}

/// A client that does not follow redirects, and gives up long before an unbounded Backend API
/// call would (30 s).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a client")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A fetch (`Accept: application/json`, no cookies) carrying `nonce` as a handshake return.
async fn nonce_fetch(app: &str, nonce: &str) -> reqwest::Response {
    client()
        .get(format!("{app}/me"))
        .query(&[("__clerk_handshake_nonce", nonce)])
        .header("accept", "application/json")
        .send()
        .await
        .expect("the app answers")
}

/// Asserts the answer of a nonce that gave no cookies: Clerk's signed-out handshake return
/// (`session-token-missing`, a reload of the clean URL), saying why; returns the message.
fn assert_no_cookies_from_nonce(response: &reqwest::Response) -> String {
    assert_eq!(response.status().as_u16(), 307);
    assert_eq!(
        header(response, "x-clerk-auth-reason"),
        "session-token-missing"
    );
    let location = header(response, "location");
    assert!(!location.contains("__clerk_handshake_nonce"), "{location}");
    header(response, "x-clerk-auth-message")
}

#[tokio::test]
async fn a_nonce_that_cannot_be_one_costs_no_backend_api_call() {
    let fake = FakeClerk::start();
    let app = serve(options(&fake).build().expect("valid options")).await;
    for nonce in ["<script>".to_owned(), "a b".to_owned(), "n".repeat(5000)] {
        let response = nonce_fetch(&app, &nonce).await;
        let message = assert_no_cookies_from_nonce(&response);
        assert!(
            message.contains("the handshake nonce was not exchanged"),
            "{message}"
        );
    }
    assert_eq!(fake.request_count("GET", NONCE_PATH), 0);
}

#[tokio::test]
async fn an_unknown_nonce_costs_one_backend_api_call_however_often_it_comes() {
    let fake = FakeClerk::start();
    let app = serve(options(&fake).build().expect("valid options")).await;
    let first = nonce_fetch(&app, "anything").await;
    let message = assert_no_cookies_from_nonce(&first);
    assert!(
        message.starts_with("the handshake nonce exchange failed"),
        "{message}"
    );
    for _ in 0..20 {
        let again = nonce_fetch(&app, "anything").await;
        let message = assert_no_cookies_from_nonce(&again);
        assert!(message.contains("is not asked again"), "{message}");
    }
    assert_eq!(fake.request_count("GET", NONCE_PATH), 1);
}

#[tokio::test]
async fn a_slow_backend_api_holds_a_nonce_request_only_for_the_api_timeout() {
    let fake = FakeClerk::start();
    fake.inject(Fault::delay(Duration::from_secs(3600)).on(NONCE_PATH));
    let options = options(&fake)
        .api_timeout(Duration::from_millis(300))
        .build()
        .expect("valid options");
    let app = serve(options).await;
    let response = nonce_fetch(&app, "hsn_slow").await;
    let message = assert_no_cookies_from_nonce(&response);
    assert!(message.contains("api_timeout"), "{message}");
    assert_eq!(fake.request_count("GET", NONCE_PATH), 1);
}

#[tokio::test]
async fn nonce_exchanges_beyond_the_bound_are_answered_without_a_call() {
    let fake = FakeClerk::start();
    fake.inject(Fault::delay(Duration::from_secs(3600)).on(NONCE_PATH));
    let options = options(&fake)
        .api_timeout(Duration::from_secs(3600))
        .max_nonce_exchanges(2)
        .build()
        .expect("valid options");
    let app = serve(options).await;
    // Two exchanges wait on the slow Backend API...
    let waiting: Vec<_> = ["hsn_wait_1", "hsn_wait_2"]
        .into_iter()
        .map(|nonce| {
            let app = app.clone();
            tokio::spawn(async move { nonce_fetch(&app, nonce).await })
        })
        .collect();
    let mut polls = 0;
    while fake.request_count("GET", NONCE_PATH) < 2 {
        polls += 1;
        assert!(
            polls < 400,
            "the two exchanges never reached the Backend API"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // ...so a third nonce is not exchanged.
    let response = nonce_fetch(&app, "hsn_third").await;
    let message = assert_no_cookies_from_nonce(&response);
    assert!(message.contains("max_nonce_exchanges"), "{message}");
    assert_eq!(fake.request_count("GET", NONCE_PATH), 2);
    for task in waiting {
        task.abort();
    }
}

/// A page load of a development primary asked to send a satellite back to `redirect_url`,
/// with a dev browser.
async fn primary_sync(app: &str, redirect_url: &str) -> reqwest::Response {
    client()
        .get(format!("{app}/me"))
        .query(&[("__clerk_redirect_url", redirect_url)])
        .header("sec-fetch-dest", "document")
        .header("cookie", "__clerk_db_jwt=dvb_secret")
        .send()
        .await
        .expect("the app answers")
}

#[tokio::test]
async fn a_development_primary_sends_the_dev_browser_only_to_the_apps_own_origins() {
    let fake = FakeClerk::start();
    let options = options(&fake)
        .authorized_parties(["https://app.example"])
        .allowed_redirect_origins(["https://satellite.example"])
        .build()
        .expect("valid options");
    assert!(options.is_development());
    let app = serve(options).await;

    let evil = primary_sync(&app, "https://evil.example/").await;
    assert_eq!(evil.status().as_u16(), 401);
    assert_eq!(header(&evil, "location"), "");
    assert_eq!(
        header(&evil, "x-clerk-auth-reason"),
        "primary-responds-to-syncing"
    );
    let body: serde_json::Value = evil.json().await.expect("a JSON body");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("https://evil.example") && message.contains("allowed_redirect_origins"),
        "{message}"
    );

    for own in [
        "https://satellite.example/page",
        "https://app.example/back",
        &format!("{app}/back"),
    ] {
        let back = primary_sync(&app, own).await;
        assert_eq!(back.status().as_u16(), 307, "{own}");
        assert_eq!(
            header(&back, "location"),
            format!("{own}?__clerk_db_jwt=dvb_secret&__clerk_synced=true")
        );
    }
}

/// Options of a production instance of the fake (no dev browser), its app at `azp`.
fn production(fake: &FakeClerk) -> (RequestOptions, PublishableKey) {
    let live = PublishableKey::for_frontend_api(fake.issuer().frontend_api(), true);
    let options = options(fake)
        .publishable_key(live.as_str())
        .build()
        .expect("valid options");
    (options, live)
}

fn valid_session(fake: &FakeClerk, azp: &str) -> String {
    fake.issuer()
        .session()
        .user(USER)
        .azp(azp)
        .issued_at(fake.now() - 5)
        .mint()
}

async fn get_with(app: &str, path: &str, headers: &[(&str, HeaderValue)]) -> reqwest::Response {
    let mut request = client().get(format!("{app}{path}"));
    for (name, value) in headers {
        request = request.header(*name, value.clone());
    }
    request.send().await.expect("the app answers")
}

fn text(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).expect("a header value")
}

#[tokio::test]
async fn a_junk_plain_session_cookie_does_not_sign_out_the_suffixed_session() {
    let fake = FakeClerk::start();
    let (options, live) = production(&fake);
    let app = serve(options).await;
    let suffix = live.cookie_suffix();
    let token = valid_session(&fake, &app);
    let uat = fake.now() - 60;
    let suffixed = format!("__session_{suffix}={token}; __client_uat_{suffix}={uat}");
    let junk = format!("__session=junk; __client_uat={uat}");
    // A token of this instance's issuer, newer than the suffixed one, that does not verify:
    // Clerk prefers it, as the newer.
    let forged = {
        let stranger = clerk_claims::testing::issuer::TestIssuer::with_frontend_api(
            fake.issuer().frontend_api(),
        );
        let newer = stranger
            .session()
            .user("user_2mallory")
            .azp(&app)
            .issued_at(fake.now() - 1)
            .mint();
        format!("__session={newer}; __client_uat={uat}")
    };
    let mut jars = Vec::new();
    for plain in [junk.clone(), "__session=junk".to_owned(), forged] {
        jars.push(format!("{suffixed}; {plain}"));
        jars.push(format!("{plain}; {suffixed}"));
    }
    for cookies in jars {
        for dest in ["document", "empty"] {
            let response = get_with(
                &app,
                "/me",
                &[("cookie", text(&cookies)), ("sec-fetch-dest", text(dest))],
            )
            .await;
            assert_eq!(response.status().as_u16(), 200, "{cookies} {dest}");
            let body = response.text().await.expect("a body");
            assert!(body.starts_with(&format!("hello {USER}")), "{body}");
        }
    }
    // Alone, a junk `__session` is signed out as Clerk says.
    let response = get_with(&app, "/me", &[("cookie", text(&junk))]).await;
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(header(&response, "x-clerk-auth-reason"), "token-invalid");
}

/// The `redirect_url` of the handshake a production page load with `__client_uat` and no
/// session gets, with these extra headers.
async fn handshake_redirect_url(app: &str, headers: &[(&str, &str)]) -> String {
    let mut all = vec![
        ("sec-fetch-dest", text("document")),
        ("cookie", text("__client_uat=12345")),
    ];
    all.extend(headers.iter().map(|(n, v)| (*n, text(v))));
    let response = get_with(app, "/me?tab=1", &all).await;
    assert_eq!(response.status().as_u16(), 307);
    let location = reqwest::Url::parse(&header(&response, "location")).expect("a Location");
    location
        .query_pairs()
        .find(|(k, _)| k == "redirect_url")
        .map(|(_, v)| v.into_owned())
        .expect("a redirect_url")
}

#[tokio::test]
async fn forwarded_headers_are_ignored_unless_the_app_is_behind_a_proxy() {
    let fake = FakeClerk::start();
    let (options, _) = production(&fake);
    let app = serve(options).await;
    let own = format!("{app}/me?tab=1");
    assert_eq!(handshake_redirect_url(&app, &[]).await, own);
    for forwarded in [
        [
            ("x-forwarded-host", "evil.example"),
            ("x-forwarded-proto", "https"),
        ],
        [
            ("x-forwarded-host", "app.example"),
            ("x-forwarded-proto", "javascript"),
        ],
    ] {
        assert_eq!(handshake_redirect_url(&app, &forwarded).await, own);
    }
}

#[tokio::test]
async fn behind_a_proxy_only_the_apps_own_forwarded_host_and_http_schemes_are_read() {
    let fake = FakeClerk::start();
    let live = PublishableKey::for_frontend_api(fake.issuer().frontend_api(), true);
    let options = options(&fake)
        .publishable_key(live.as_str())
        .authorized_parties(["https://app.example"])
        .behind_proxy(true)
        .build()
        .expect("valid options");
    let app = serve(options).await;
    let host = app.trim_start_matches("http://");
    for (forwarded_host, forwarded_proto, expected) in [
        (
            "app.example",
            "https",
            "https://app.example/me?tab=1".to_owned(),
        ),
        (
            "app.example",
            "javascript",
            "http://app.example/me?tab=1".to_owned(),
        ),
        ("evil.example", "https", format!("https://{host}/me?tab=1")),
        (
            "app.example@evil.example",
            "http",
            format!("{app}/me?tab=1"),
        ),
    ] {
        let url = handshake_redirect_url(
            &app,
            &[
                ("x-forwarded-host", forwarded_host),
                ("x-forwarded-proto", forwarded_proto),
            ],
        )
        .await;
        assert_eq!(url, expected, "{forwarded_host} {forwarded_proto}");
    }
}

#[tokio::test]
async fn an_authorization_header_beyond_ascii_is_read_as_latin1_as_clerk_reads_it() {
    let fake = FakeClerk::start();
    let (options, _) = production(&fake);
    let verifier = options.verifier().clone();
    let cookie_flow = serve(options).await;
    let token = valid_session(&fake, &cookie_flow);
    let cookie = text(&format!(
        "__session={token}; __client_uat={}",
        fake.now() - 60
    ));
    let bearer = HeaderValue::from_bytes(b"Bearer \xe9\xff").expect("obs-text is a header value");
    let basic = HeaderValue::from_bytes(b"Basic \xe9").expect("obs-text is a header value");

    // Clerk: `Bearer é…` is a token in the header, which does not verify (the cookie is not
    // read); another scheme is no token, and the cookie is read.
    let response = get_with(
        &cookie_flow,
        "/me",
        &[
            ("authorization", bearer.clone()),
            ("cookie", cookie.clone()),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(header(&response, "x-clerk-auth-reason"), "token-invalid");
    let response = get_with(
        &cookie_flow,
        "/me",
        &[("authorization", basic), ("cookie", cookie.clone())],
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);

    // The header layer reads the header the same way.
    let header_layer = serve_with(ClerkLayer::new(verifier)).await;
    let response = get_with(
        &header_layer,
        "/me",
        &[("authorization", bearer), ("cookie", cookie)],
    )
    .await;
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(header(&response, "x-clerk-auth-reason"), "token-invalid");
}
