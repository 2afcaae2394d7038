//! `ClerkLayer::cookie_flow` over real HTTP on loopback against FakeClerk: an expired
//! `__session` on a page load goes through the fake's handshake and comes back signed in; the
//! same cookie on a fetch gets 401 with Clerk's reason; a valid cookie passes `require` guards
//! with one verification shared by every extractor; a signed-out page load goes to the sign-in
//! URL where one is configured; a handshake that signs out sets the signed-out cookies and
//! reloads the clean URL; a forged handshake token of the template category sets no cookie.

use std::collections::BTreeMap;

use axum::Router;
use axum::routing::get;
use clerk_claims::axum::{ClerkLayer, Requirement, require};
use clerk_claims::request::{self, RequestOptions};
use clerk_claims::source::PublishableKey;
use clerk_claims::testing::fake::FakeClerk;

use crate::common::cookie_flow::{
    SESSION, USER, dashboard, expired_session_cookies, home, options,
};
use clerk_claims::verify::CATEGORY_TEMPLATE;
use serde_json::json;

/// The app behind the cookie-flow layer, on a loopback port; returns its URL.
async fn serve(options: RequestOptions) -> String {
    let app = Router::new().route("/", get(home)).route(
        "/dashboard",
        get(dashboard).route_layer(require(Requirement::signed_in())),
    );
    let app = app.layer(ClerkLayer::cookie_flow(options));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// A browser: a cookie jar for the app, redirects followed one at a time.
struct Browser {
    http: reqwest::Client,
    app: String,
    jar: BTreeMap<String, String>,
}

impl Browser {
    fn new(app: &str) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        Self {
            http,
            app: app.to_owned(),
            jar: BTreeMap::new(),
        }
    }

    /// A browser whose `__session` expired an hour ago, with `__client_uat` and a dev browser.
    fn with_expired_session(fake: &FakeClerk, app: &str) -> (Self, String) {
        let (jar, expired) = expired_session_cookies(fake, app);
        (
            Self {
                jar,
                ..Self::new(app)
            },
            expired,
        )
    }

    /// One request; the app's cookies go to the app only, and its `Set-Cookie` lines are kept.
    async fn get(&mut self, url: &str, dest: &str) -> reqwest::Response {
        let mut request = self.http.get(url).header("sec-fetch-dest", dest);
        let to_app = url.starts_with(&self.app);
        if to_app && !self.jar.is_empty() {
            let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header("cookie", cookies.join("; "));
        }
        let response = request.send().await.expect("the server answers");
        if to_app {
            for line in set_cookies(&response) {
                let name = request::set_cookie_name(&line).to_owned();
                let value = request::set_cookie_value(&line).to_owned();
                if value.is_empty() || line.to_ascii_lowercase().contains("max-age=0") {
                    self.jar.remove(&name);
                } else {
                    self.jar.insert(name, value);
                }
            }
        }
        response
    }
}

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_expired_cookie_on_a_page_load_goes_through_the_handshake_and_comes_back_signed_in() {
    let fake = FakeClerk::start();
    let app = serve(options(&fake).build().expect("valid options")).await;
    let (mut browser, expired) = Browser::with_expired_session(&fake, &app);

    let first = browser.get(&format!("{app}/dashboard"), "document").await;
    assert_eq!(first.status().as_u16(), 307);
    let to_frontend_api = header(&first, "location");
    assert!(
        to_frontend_api.starts_with(&format!("{}/v1/client/handshake?", fake.url())),
        "{to_frontend_api}"
    );
    assert_eq!(header(&first, "cache-control"), "no-store");

    // The fake's Frontend API sends the browser back with a nonce; the app sets the cookies
    // and reloads the clean URL (a development instance); the page is then signed in.
    let mut url = to_frontend_api;
    let mut hops = 1;
    let page = loop {
        let response = browser.get(&url, "document").await;
        match response.status().as_u16() {
            307 if hops < 5 => {
                url = header(&response, "location");
                hops += 1;
            }
            _ => break response,
        }
    };
    assert_eq!(hops, 3, "app -> Frontend API -> app (cookies set) -> page");
    assert_eq!(url, format!("{app}/dashboard"), "the clean URL");
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(
        page.text().await.expect("a body"),
        format!("hello {USER} shared=true")
    );
    let fresh = browser.jar.get("__session").cloned().unwrap_or_default();
    assert!(
        !fresh.is_empty() && fresh != expired,
        "a fresh __session: {fresh}"
    );
    assert_eq!(
        fake.request_count("GET", "/v1/clients/handshake_payload"),
        1
    );

    // The next page load is signed in with no redirect.
    let again = browser.get(&format!("{app}/"), "document").await;
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(
        again.text().await.expect("a body"),
        format!("signed in as {USER}")
    );
}

#[tokio::test]
async fn a_production_handshake_that_signs_out_clears_the_cookies_and_reloads_the_clean_url() {
    let fake = FakeClerk::start();
    let live = PublishableKey::for_frontend_api(fake.issuer().frontend_api(), true);
    let options = options(&fake)
        .publishable_key(live.as_str())
        .build()
        .expect("valid options");
    let app = serve(options).await;
    // An expired `__session` of a session the fake does not know: its handshake signs out.
    let now = fake.now();
    let stale = fake
        .issuer()
        .session()
        .user("user_2gone")
        .session_id("sess_2gone")
        .azp(app.clone())
        .issued_at(now - 3600)
        .mint();
    let mut browser = Browser::new(&app);
    browser.jar.insert("__session".into(), stale);
    browser
        .jar
        .insert("__client_uat".into(), (now - 3700).to_string());

    let first = browser.get(&format!("{app}/?tab=1"), "document").await;
    assert_eq!(first.status().as_u16(), 307);
    let back = browser.get(&header(&first, "location"), "document").await;
    assert_eq!(
        back.status().as_u16(),
        307,
        "the Frontend API sends it back"
    );
    let returned = browser.get(&header(&back, "location"), "document").await;
    // The return sets the signed-out cookies and reloads the URL without the nonce.
    assert_eq!(returned.status().as_u16(), 307);
    assert_eq!(header(&returned, "location"), format!("{app}/?tab=1"));
    assert_eq!(header(&returned, "cache-control"), "no-store");
    assert_eq!(
        header(&returned, "x-clerk-auth-reason"),
        "session-token-missing"
    );
    assert!(
        set_cookies(&returned)
            .iter()
            .any(|c| c.starts_with("__session=;")),
        "{:?}",
        set_cookies(&returned)
    );
    assert!(!browser.jar.contains_key("__session"), "{:?}", browser.jar);
    assert_eq!(
        browser.jar.get("__client_uat").map(String::as_str),
        Some("0")
    );

    // The reload is signed out, with no further handshake.
    let page = browser
        .get(&header(&returned, "location"), "document")
        .await;
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.text().await.expect("a body"), "signed out");
    assert_eq!(
        fake.request_count("GET", "/v1/clients/handshake_payload"),
        1
    );
}

#[tokio::test]
async fn the_same_expired_cookie_on_a_fetch_gets_401_with_clerks_reason() {
    let fake = FakeClerk::start();
    let app = serve(options(&fake).build().expect("valid options")).await;
    let (mut browser, _) = Browser::with_expired_session(&fake, &app);

    let response = browser.get(&format!("{app}/dashboard"), "empty").await;
    assert_eq!(response.status().as_u16(), 401);
    let reason = "session-token-expired-refresh-non-eligible-no-refresh-cookie";
    assert_eq!(header(&response, "x-clerk-auth-reason"), reason);
    assert_eq!(
        header(&response, "www-authenticate"),
        "Bearer error=\"invalid_token\""
    );
    assert!(set_cookies(&response).is_empty());
    let body: serde_json::Value = response.json().await.expect("a JSON body");
    assert_eq!(body["reason"], reason);
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains(reason)),
        "{body}"
    );

    // An optional reader sees a signed-out request, not an error.
    let home = browser.get(&format!("{app}/"), "empty").await;
    assert_eq!(home.status().as_u16(), 200);
    assert_eq!(home.text().await.expect("a body"), "signed out");
}

#[tokio::test]
async fn a_valid_cookie_passes_require_guards_with_one_verification() {
    let fake = FakeClerk::start();
    let app = serve(options(&fake).build().expect("valid options")).await;
    let now = fake.now();
    let session = fake
        .issuer()
        .session()
        .user(USER)
        .session_id(SESSION)
        .azp(app.clone())
        .issued_at(now - 5)
        .mint();
    let mut browser = Browser::new(&app);
    browser.jar.insert("__session".into(), session);
    browser
        .jar
        .insert("__client_uat".into(), (now - 60).to_string());
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_cookie_flow".into());

    for dest in ["document", "empty"] {
        let response = browser.get(&format!("{app}/dashboard"), dest).await;
        assert_eq!(response.status().as_u16(), 200, "{dest}");
        assert!(set_cookies(&response).is_empty(), "{dest}");
        // The guard and both extractors read the one session the layer verified.
        assert_eq!(
            response.text().await.expect("a body"),
            format!("hello {USER} shared=true"),
            "{dest}"
        );
    }
}

#[tokio::test]
async fn a_signed_out_page_load_is_redirected_to_the_sign_in_url_where_configured() {
    let fake = FakeClerk::start();
    let sign_in = "https://accounts.example/sign-in";
    let options = options(&fake).sign_in_url(sign_in);
    let app = serve(options.build().expect("valid options")).await;
    let mut browser = Browser::new(&app);
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_cookie_flow".into());

    let page = browser
        .get(&format!("{app}/dashboard?tab=1"), "document")
        .await;
    assert_eq!(page.status().as_u16(), 307);
    assert_eq!(
        header(&page, "x-clerk-auth-reason"),
        "session-token-and-uat-missing"
    );
    let location = reqwest::Url::parse(&header(&page, "location")).expect("a Location URL");
    assert_eq!(
        location.as_str().split('?').next(),
        Some(sign_in),
        "{location}"
    );
    let back: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    assert_eq!(
        back,
        [("redirect_url".to_owned(), format!("{app}/dashboard?tab=1"))]
    );

    // A fetch is not redirected: 401 with a bare challenge (no credentials at all).
    let fetch = browser.get(&format!("{app}/dashboard"), "empty").await;
    assert_eq!(fetch.status().as_u16(), 401);
    assert_eq!(header(&fetch, "www-authenticate"), "Bearer");
    assert_eq!(
        header(&fetch, "x-clerk-auth-reason"),
        "session-token-and-uat-missing"
    );
}

#[tokio::test]
async fn a_forged_template_category_handshake_token_sets_no_cookies() {
    let fake = FakeClerk::start();
    let app = serve(options(&fake).build().expect("valid options")).await;
    let issuer = fake.issuer();
    let now = fake.now();
    let session = issuer
        .session()
        .user("user_2mallory")
        .azp(app.clone())
        .issued_at(now - 5)
        .mint();
    let lines = json!([
        format!("__session={session}; Path=/"),
        format!("__client_uat={now}; Path=/"),
    ]);
    // Same instance key, template category: a JWT-template token with a `handshake` claim.
    let forged = issuer.sign(
        &issuer.header(CATEGORY_TEMPLATE),
        &json!({ "handshake": lines }),
    );
    let mut browser = Browser::new(&app);
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_cookie_flow".into());

    for path in ["/", "/dashboard"] {
        let url = format!("{app}{path}?__clerk_handshake={forged}");
        let response = browser.get(&url, "document").await;
        assert!(set_cookies(&response).is_empty(), "{path}: no cookie set");
        assert!(
            header(&response, "location").is_empty(),
            "{path}: no redirect"
        );
        let status = response.status().as_u16();
        let reason = header(&response, "x-clerk-auth-reason");
        let body = response.text().await.expect("a body");
        match path {
            "/" => {
                assert_eq!(status, 200);
                assert_eq!(body, "signed out");
            }
            _ => {
                assert_eq!(status, 401);
                assert_eq!(reason, "token-invalid");
                assert!(body.contains("category"), "{body}");
            }
        }
    }
    assert!(!browser.jar.contains_key("__session"));
}
