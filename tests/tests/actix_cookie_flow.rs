//! `ClerkMiddleware::cookie_flow` through actix's test service against FakeClerk (the browser
//! goes to the fake's Frontend API over loopback HTTP), the behaviours `axum_cookie_flow` pins
//! for `ClerkLayer::cookie_flow`: an expired `__session` on a page load goes through the
//! fake's handshake and comes back signed in; the same cookie on a fetch gets 401 with Clerk's
//! reason; a valid cookie passes `require` guards with one verification shared by every
//! extractor; a signed-out page load goes to the sign-in URL where one is configured; a
//! handshake that signs out sets the signed-out cookies and reloads the clean URL; a forged
//! handshake token of the template category sets no cookie. Then default-deny with public
//! routes and the rejection hook under the cookie flow.

use std::collections::BTreeMap;

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use actix_web::{App, HttpResponse, web};
use clerk_claims::actix::{ClerkMiddleware, Requirement, require};
use clerk_claims::request;
use clerk_claims::source::PublishableKey;
use clerk_claims::testing::fake::FakeClerk;

use crate::common::cookie_flow::{
    SESSION, USER, dashboard, expired_session_cookies, home, options,
};
use clerk_claims::verify::CATEGORY_TEMPLATE;
use serde_json::json;

/// The app's origin: requests to it go to the test service with this `Host`.
const APP: &str = "http://app.test";
const HOST: &str = "app.test";

async fn health() -> &'static str {
    "ok"
}

/// The routes behind the middleware: `/` (optional session), `/dashboard` (guarded),
/// `/health`.
fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(home))
        .service(
            web::resource("/dashboard")
                .wrap(require(Requirement::signed_in()))
                .to(dashboard),
        )
        .route("/health", web::get().to(health));
}

/// A response as the browser keeps it.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    async fn of_app<B: MessageBody>(response: ServiceResponse<B>) -> Self {
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        let body = String::from_utf8_lossy(&read_body(response).await).into_owned();
        Self {
            status,
            headers,
            body,
        }
    }

    async fn of_fake(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        let body = response.text().await.expect("a body");
        Self {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A browser: a cookie jar for the app, redirects followed one at a time. Requests to
/// [`APP`] go to the test service, the others (the fake's Frontend API) over HTTP.
struct Browser {
    http: reqwest::Client,
    jar: BTreeMap<String, String>,
}

impl Browser {
    fn new() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        Self {
            http,
            jar: BTreeMap::new(),
        }
    }

    /// A browser whose `__session` expired an hour ago, with `__client_uat` and a dev browser.
    fn with_expired_session(fake: &FakeClerk) -> (Self, String) {
        let (jar, expired) = expired_session_cookies(fake, APP);
        (Self { jar, ..Self::new() }, expired)
    }

    /// One request; the app's cookies go to the app only, and its `Set-Cookie` lines are kept.
    async fn get(
        &mut self,
        app: &impl AsyncFn(TestRequest) -> Reply,
        url: &str,
        dest: &str,
    ) -> Reply {
        let Some(path) = url.strip_prefix(APP) else {
            let response = self
                .http
                .get(url)
                .header("sec-fetch-dest", dest)
                .send()
                .await
                .expect("the fake answers");
            return Reply::of_fake(response).await;
        };
        let mut request = TestRequest::get()
            .uri(if path.is_empty() { "/" } else { path })
            .insert_header(("host", HOST))
            .insert_header(("sec-fetch-dest", dest));
        if !self.jar.is_empty() {
            let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.insert_header(("cookie", cookies.join("; ")));
        }
        let reply = app(request).await;
        for line in reply.set_cookies() {
            let name = request::set_cookie_name(line).to_owned();
            let value = request::set_cookie_value(line).to_owned();
            if value.is_empty() || line.to_ascii_lowercase().contains("max-age=0") {
                self.jar.remove(&name);
            } else {
                self.jar.insert(name, value);
            }
        }
        reply
    }
}

#[actix_web::test]
async fn an_expired_cookie_on_a_page_load_goes_through_the_handshake_and_comes_back_signed_in() {
    let fake = FakeClerk::start();
    let options = options(&fake).build().expect("valid options");
    let service = init_service(
        App::new()
            .configure(routes)
            .wrap(ClerkMiddleware::cookie_flow(options)),
    )
    .await;
    let app = async |request: TestRequest| {
        Reply::of_app(call_service(&service, request.to_request()).await).await
    };
    let (mut browser, expired) = Browser::with_expired_session(&fake);

    let first = browser
        .get(&app, &format!("{APP}/dashboard"), "document")
        .await;
    assert_eq!(first.status, 307);
    let to_frontend_api = first.header("location").to_owned();
    assert!(
        to_frontend_api.starts_with(&format!("{}/v1/client/handshake?", fake.url())),
        "{to_frontend_api}"
    );
    assert_eq!(first.header("cache-control"), "no-store");

    // The fake's Frontend API sends the browser back with a nonce; the app sets the cookies
    // and reloads the clean URL (a development instance); the page is then signed in.
    let mut url = to_frontend_api;
    let mut hops = 1;
    let page = loop {
        let reply = browser.get(&app, &url, "document").await;
        match reply.status {
            307 if hops < 5 => {
                url = reply.header("location").to_owned();
                hops += 1;
            }
            _ => break reply,
        }
    };
    assert_eq!(hops, 3, "app -> Frontend API -> app (cookies set) -> page");
    assert_eq!(url, format!("{APP}/dashboard"), "the clean URL");
    assert_eq!(page.status, 200);
    assert_eq!(page.body, format!("hello {USER} shared=true"));
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
    let again = browser.get(&app, &format!("{APP}/"), "document").await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body, format!("signed in as {USER}"));
}

#[actix_web::test]
async fn a_production_handshake_that_signs_out_clears_the_cookies_and_reloads_the_clean_url() {
    let fake = FakeClerk::start();
    let live = PublishableKey::for_frontend_api(fake.issuer().frontend_api(), true);
    let options = options(&fake)
        .publishable_key(live.as_str())
        .build()
        .expect("valid options");
    let service = init_service(
        App::new()
            .configure(routes)
            .wrap(ClerkMiddleware::cookie_flow(options)),
    )
    .await;
    let app = async |request: TestRequest| {
        Reply::of_app(call_service(&service, request.to_request()).await).await
    };
    // An expired `__session` of a session the fake does not know: its handshake signs out.
    let now = fake.now();
    let stale = fake
        .issuer()
        .session()
        .user("user_2gone")
        .session_id("sess_2gone")
        .azp(APP)
        .issued_at(now - 3600)
        .mint();
    let mut browser = Browser::new();
    browser.jar.insert("__session".into(), stale);
    browser
        .jar
        .insert("__client_uat".into(), (now - 3700).to_string());

    let first = browser
        .get(&app, &format!("{APP}/?tab=1"), "document")
        .await;
    assert_eq!(first.status, 307);
    let back = browser
        .get(&app, first.header("location"), "document")
        .await;
    assert_eq!(back.status, 307, "the Frontend API sends it back");
    let returned = browser.get(&app, back.header("location"), "document").await;
    // The return sets the signed-out cookies and reloads the URL without the nonce.
    assert_eq!(returned.status, 307);
    assert_eq!(returned.header("location"), format!("{APP}/?tab=1"));
    assert_eq!(returned.header("cache-control"), "no-store");
    assert_eq!(
        returned.header("x-clerk-auth-reason"),
        "session-token-missing"
    );
    assert!(
        returned
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("__session=;")),
        "{:?}",
        returned.set_cookies()
    );
    assert!(!browser.jar.contains_key("__session"), "{:?}", browser.jar);
    assert_eq!(
        browser.jar.get("__client_uat").map(String::as_str),
        Some("0")
    );

    // The reload is signed out, with no further handshake.
    let page = browser
        .get(&app, returned.header("location"), "document")
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body, "signed out");
    assert_eq!(
        fake.request_count("GET", "/v1/clients/handshake_payload"),
        1
    );
}

#[actix_web::test]
async fn the_same_expired_cookie_on_a_fetch_gets_401_with_clerks_reason() {
    let fake = FakeClerk::start();
    let options = options(&fake).build().expect("valid options");
    let service = init_service(
        App::new()
            .configure(routes)
            .wrap(ClerkMiddleware::cookie_flow(options)),
    )
    .await;
    let app = async |request: TestRequest| {
        Reply::of_app(call_service(&service, request.to_request()).await).await
    };
    let (mut browser, _) = Browser::with_expired_session(&fake);

    let response = browser
        .get(&app, &format!("{APP}/dashboard"), "empty")
        .await;
    assert_eq!(response.status, 401);
    let reason = "session-token-expired-refresh-non-eligible-no-refresh-cookie";
    assert_eq!(response.header("x-clerk-auth-reason"), reason);
    assert_eq!(
        response.header("www-authenticate"),
        "Bearer error=\"invalid_token\""
    );
    assert!(response.set_cookies().is_empty());
    let body: serde_json::Value = serde_json::from_str(&response.body).expect("a JSON body");
    assert_eq!(body["reason"], reason);
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains(reason)),
        "{body}"
    );

    // An optional reader sees a signed-out request, not an error.
    let home = browser.get(&app, &format!("{APP}/"), "empty").await;
    assert_eq!(home.status, 200);
    assert_eq!(home.body, "signed out");
}

#[actix_web::test]
async fn a_valid_cookie_passes_require_guards_with_one_verification() {
    let fake = FakeClerk::start();
    let options = options(&fake).build().expect("valid options");
    let service = init_service(
        App::new()
            .configure(routes)
            .wrap(ClerkMiddleware::cookie_flow(options)),
    )
    .await;
    let app = async |request: TestRequest| {
        Reply::of_app(call_service(&service, request.to_request()).await).await
    };
    let now = fake.now();
    let session = fake
        .issuer()
        .session()
        .user(USER)
        .session_id(SESSION)
        .azp(APP)
        .issued_at(now - 5)
        .mint();
    let mut browser = Browser::new();
    browser.jar.insert("__session".into(), session);
    browser
        .jar
        .insert("__client_uat".into(), (now - 60).to_string());
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_cookie_flow".into());

    for dest in ["document", "empty"] {
        let response = browser.get(&app, &format!("{APP}/dashboard"), dest).await;
        assert_eq!(response.status, 200, "{dest}");
        assert!(response.set_cookies().is_empty(), "{dest}");
        // The guard and both extractors read the one session the middleware verified.
        assert_eq!(response.body, format!("hello {USER} shared=true"), "{dest}");
    }
}

#[actix_web::test]
async fn a_signed_out_page_load_is_redirected_to_the_sign_in_url_where_configured() {
    let fake = FakeClerk::start();
    let sign_in = "https://accounts.example/sign-in";
    let options = options(&fake)
        .sign_in_url(sign_in)
        .build()
        .expect("valid options");
    let service = init_service(
        App::new()
            .configure(routes)
            .wrap(ClerkMiddleware::cookie_flow(options)),
    )
    .await;
    let app = async |request: TestRequest| {
        Reply::of_app(call_service(&service, request.to_request()).await).await
    };
    let mut browser = Browser::new();
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_cookie_flow".into());

    let page = browser
        .get(&app, &format!("{APP}/dashboard?tab=1"), "document")
        .await;
    assert_eq!(page.status, 307);
    assert_eq!(
        page.header("x-clerk-auth-reason"),
        "session-token-and-uat-missing"
    );
    let location = reqwest::Url::parse(page.header("location")).expect("a Location URL");
    assert_eq!(
        location.as_str().split('?').next(),
        Some(sign_in),
        "{location}"
    );
    let back: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    assert_eq!(
        back,
        [("redirect_url".to_owned(), format!("{APP}/dashboard?tab=1"))]
    );

    // A fetch is not redirected: 401 with a bare challenge (no credentials at all).
    let fetch = browser
        .get(&app, &format!("{APP}/dashboard"), "empty")
        .await;
    assert_eq!(fetch.status, 401);
    assert_eq!(fetch.header("www-authenticate"), "Bearer");
    assert_eq!(
        fetch.header("x-clerk-auth-reason"),
        "session-token-and-uat-missing"
    );
}

#[actix_web::test]
async fn a_forged_template_category_handshake_token_sets_no_cookies() {
    let fake = FakeClerk::start();
    let options = options(&fake).build().expect("valid options");
    let service = init_service(
        App::new()
            .configure(routes)
            .wrap(ClerkMiddleware::cookie_flow(options)),
    )
    .await;
    let app = async |request: TestRequest| {
        Reply::of_app(call_service(&service, request.to_request()).await).await
    };
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
    // Same instance key, template category: a JWT-template token with a `handshake` claim.
    let forged = issuer.sign(
        &issuer.header(CATEGORY_TEMPLATE),
        &json!({ "handshake": lines }),
    );
    let mut browser = Browser::new();
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_cookie_flow".into());

    for path in ["/", "/dashboard"] {
        let url = format!("{APP}{path}?__clerk_handshake={forged}");
        let response = browser.get(&app, &url, "document").await;
        assert!(response.set_cookies().is_empty(), "{path}: no cookie set");
        assert!(
            response.header("location").is_empty(),
            "{path}: no redirect"
        );
        match path {
            "/" => {
                assert_eq!(response.status, 200);
                assert_eq!(response.body, "signed out");
            }
            _ => {
                assert_eq!(response.status, 401);
                assert_eq!(response.header("x-clerk-auth-reason"), "token-invalid");
                assert!(response.body.contains("category"), "{}", response.body);
            }
        }
    }
    assert!(!browser.jar.contains_key("__session"));
}

#[actix_web::test]
async fn default_deny_under_the_cookie_flow_lets_only_public_routes_through_and_the_hook_answers() {
    let fake = FakeClerk::start();
    let sign_in = "https://accounts.example/sign-in";
    let options = options(&fake)
        .sign_in_url(sign_in)
        .build()
        .expect("valid options");
    let middleware = ClerkMiddleware::cookie_flow(options)
        .deny_signed_out()
        .public("/health")
        .on_rejection(|rejection| {
            HttpResponse::Forbidden()
                .insert_header(("x-hook-status", rejection.status().to_string()))
                .body(format!("hook: {}", rejection.reason()))
        });
    let service = init_service(App::new().configure(routes).wrap(middleware)).await;
    let app = async |request: TestRequest| {
        Reply::of_app(call_service(&service, request.to_request()).await).await
    };
    let mut browser = Browser::new();
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_cookie_flow".into());

    // Signed out: the middleware answers before routing, with the hook's response; the
    // rejection the hook sees is the one the default response would have been (a 307 to the
    // sign-in URL on a page load, a 401 on a fetch).
    for (path, dest, status) in [
        ("/", "document", "307"),
        ("/dashboard", "document", "307"),
        ("/", "empty", "401"),
    ] {
        let response = browser.get(&app, &format!("{APP}{path}"), dest).await;
        assert_eq!(response.status, 403, "{path} {dest}");
        assert_eq!(response.header("x-hook-status"), status, "{path} {dest}");
        assert_eq!(
            response.body, "hook: session-token-and-uat-missing",
            "{path} {dest}"
        );
    }
    let public = browser
        .get(&app, &format!("{APP}/health"), "document")
        .await;
    assert_eq!(public.status, 200);
    assert_eq!(public.body, "ok");

    // Signed in: every route runs.
    let now = fake.now();
    let session = fake
        .issuer()
        .session()
        .user(USER)
        .session_id(SESSION)
        .azp(APP)
        .issued_at(now - 5)
        .mint();
    browser.jar.insert("__session".into(), session);
    browser
        .jar
        .insert("__client_uat".into(), (now - 60).to_string());
    let home = browser.get(&app, &format!("{APP}/"), "empty").await;
    assert_eq!(home.status, 200);
    assert_eq!(home.body, format!("signed in as {USER}"));
}
