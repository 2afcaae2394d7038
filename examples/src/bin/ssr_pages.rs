//! Server-rendered pages behind Clerk's cookie flow: `cargo run -p clerk-claims-examples --bin
//! ssr_pages`, fully offline.
//!
//! An axum app serves HTML pages behind `ClerkLayer::cookie_flow`, which asks
//! [`request::authenticate`] what each request is, answers handshakes with a `307`, forwards
//! the cookies a handshake return sets, and hands the session to the pages' extractors and
//! guards. The embedded FakeClerk plays the Frontend API (its
//! `/v1/client/handshake`, reached through the proxy URL) and the Backend API (the nonce
//! exchange). A scripted browser then shows the case that signs users out on a page reload
//! elsewhere: its `__session` cookie expired a minute ago. Here the page load goes through one
//! handshake and comes back signed in; a `fetch` with the same cookie gets a 401 instead.
//!
//! The organization pages (`/orgs/{slug}/invoices`) stay in step with the URL through
//! organization sync (`organization_patterns`): a page load of another organization's page goes
//! through one handshake that activates it (`organization_id` in the handshake URL), and the page
//! renders with that organization active.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::ExitCode;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use clerk_claims::axum::{ClerkLayer, ClerkRejection, ClerkSession, Requirement, require};
use clerk_claims::guard::AuthReason;
use clerk_claims::request::{self, RequestOptions, advice};
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims_examples::offline::{self, Error, check};

const USER: &str = "user_2alice";
const SESSION: &str = "sess_2alice_acme";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    offline::exit_code("ssr_pages", run().await)
}

async fn home(session: Option<ClerkSession>) -> Html<String> {
    let who = match session {
        Some(session) => format!("Signed in as {}", session.user_id()),
        None => "Signed out".to_owned(),
    };
    Html(format!(
        "<h1>Home</h1><p>{who}</p><a href=\"/dashboard\">Dashboard</a>"
    ))
}

async fn dashboard(session: ClerkSession) -> Html<String> {
    Html(format!(
        "<h1>Dashboard</h1><p>Hello {} (session {})</p>",
        session.user_id(),
        session.sid.as_deref().unwrap_or("-")
    ))
}

/// An organization's page: rendered for the session's active organization, which organization
/// sync keeps in step with the slug in the URL.
async fn invoices(Path(slug): Path<String>, session: ClerkSession) -> Html<String> {
    let active = session.auth().org_slug.clone().unwrap_or_default();
    Html(format!(
        "<h1>Invoices of {slug}</h1><p>active organization: {active}</p>"
    ))
}

/// A signed-out page says why in HTML, keeping Clerk's reason in `x-clerk-auth-reason`.
fn please_sign_in(rejection: &ClerkRejection) -> Response {
    let reason = rejection.reason();
    let why = match reason {
        AuthReason::Request(reason) => advice(reason).why,
        _ => "",
    };
    let mut response = (
        StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::UNAUTHORIZED),
        Html(format!("<h1>Please sign in</h1><p>{why}</p>")),
    )
        .into_response();
    if let Ok(value) = reason.as_str().parse() {
        response.headers_mut().insert("x-clerk-auth-reason", value);
    }
    response
}

/// A browser with a cookie jar for the app, following redirects one at a time.
struct Browser {
    http: reqwest::Client,
    jar: BTreeMap<String, String>,
}

impl Browser {
    fn new() -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            http,
            jar: BTreeMap::new(),
        })
    }

    /// Keeps the cookies a response sets (and drops the ones it expires).
    fn store(&mut self, headers: &HeaderMap) {
        for line in headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let name = request::set_cookie_name(line).to_owned();
            let value = request::set_cookie_value(line).to_owned();
            if line.to_ascii_lowercase().contains("max-age=0") || value.is_empty() {
                self.jar.remove(&name);
            } else {
                self.jar.insert(name, value);
            }
        }
    }

    /// One request: the app's cookies go to the app only.
    async fn get(&mut self, url: &str, app: &str, dest: &str) -> Result<reqwest::Response, Error> {
        let mut request = self.http.get(url).header("sec-fetch-dest", dest);
        if url.starts_with(app) && !self.jar.is_empty() {
            let cookies: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, cookies.join("; "));
        }
        let response = request.send().await?;
        if url.starts_with(app) {
            self.store(response.headers());
        }
        Ok(response)
    }

    /// A page load: follows up to five redirects, printing each hop.
    async fn navigate(&mut self, url: &str, app: &str) -> Result<(u16, String, usize), Error> {
        let mut url = url.to_owned();
        for hops in 0..=5 {
            let response = self.get(&url, app, "document").await?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(str::to_owned);
            match location {
                Some(next) if status == 307 => {
                    println!("   {status} {} -> {}", short(&url), short(&next));
                    url = next;
                }
                _ => {
                    println!("   {status} {}", short(&url));
                    return Ok((status, response.text().await?, hops));
                }
            }
        }
        Err("more than five redirects".into())
    }
}

/// A URL without its long query values, for printing.
fn short(url: &str) -> String {
    match url.split_once('?') {
        Some((path, query)) => {
            let names: Vec<&str> = query
                .split('&')
                .filter_map(|p| p.split('=').next())
                .collect();
            format!("{path}?{}", names.join("&"))
        }
        None => url.to_owned(),
    }
}

async fn run() -> Result<bool, Error> {
    let fake = FakeClerk::builder().start()?;
    // The Frontend API is reached through the proxy URL (the fake serves plain http); the
    // secret key and API URL serve the handshake nonce exchange.
    let options = RequestOptions::builder()
        .publishable_key(fake.publishable_key())
        .jwks_json(fake.jwks().to_string())
        .secret_key(fake.secret_key())
        .api_url(fake.url())
        .proxy_url(fake.url())
        // Organization sync: these paths name the organization to activate.
        .organization_patterns(["/orgs/:slug", "/orgs/:slug/(.*)"])
        .build()?;
    let app = Router::new()
        .route("/", get(home))
        .route(
            "/dashboard",
            get(dashboard).route_layer(require(Requirement::signed_in())),
        )
        .route("/orgs/{slug}/invoices", get(invoices))
        .layer(ClerkLayer::cookie_flow(options).on_rejection(please_sign_in));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let app_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!(
        "1. the app at {app_url}, Clerk's Frontend and Backend API faked at {}",
        fake.url()
    );

    // The browser signed in an hour ago: its __session cookie expired long since.
    let issuer = fake.issuer();
    let now = fake.now();
    let expired = issuer
        .session()
        .user(USER)
        .session_id(SESSION)
        .azp(app_url.clone())
        .issued_at(now - 3600)
        .mint();
    let mut browser = Browser::new()?;
    browser.jar.insert("__session".into(), expired.clone());
    browser
        .jar
        .insert("__client_uat".into(), (now - 3700).to_string());
    browser
        .jar
        .insert("__clerk_db_jwt".into(), "dvb_ssr_example".into());

    println!("2. a fetch with the expired cookie is signed out (no redirect for fetches):");
    let response = browser
        .get(&format!("{app_url}/dashboard"), &app_url, "empty")
        .await?;
    let reason = response
        .headers()
        .get("x-clerk-auth-reason")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    println!("   {} reason={reason}", response.status().as_u16());
    let mut all = check(response.status().as_u16() == 401, "the fetch gets 401");
    all &= check(
        reason == "session-token-expired-refresh-non-eligible-no-refresh-cookie",
        "with Clerk's reason for an expired token",
    );

    println!("3. a page load with the same cookie goes through the handshake:");
    let (status, body, hops) = browser
        .navigate(&format!("{app_url}/dashboard"), &app_url)
        .await?;
    all &= check(status == 200, "the page renders");
    all &= check(
        body.contains(&format!("Hello {USER}")),
        format!("signed in as {USER}"),
    );
    all &= check(
        hops == 3,
        "after one handshake: app -> Frontend API -> app (cookies set) -> page",
    );
    let fresh = browser.jar.get("__session").cloned().unwrap_or_default();
    all &= check(
        !fresh.is_empty() && fresh != expired,
        "the browser holds a fresh __session",
    );

    println!("4. the next page load is signed in without any redirect:");
    let (status, body, hops) = browser.navigate(&format!("{app_url}/"), &app_url).await?;
    all &= check(status == 200 && hops == 0, "no redirect");
    all &= check(
        body.contains(&format!("Signed in as {USER}")),
        "the home page knows the user",
    );

    println!("5. another organization's page goes through one handshake that activates it:");
    let (status, body, hops) = browser
        .navigate(&format!("{app_url}/orgs/globex/invoices"), &app_url)
        .await?;
    all &= check(
        status == 200 && hops == 3,
        "after one handshake with organization_id=globex",
    );
    all &= check(
        body.contains("active organization: globex"),
        "the page renders with globex active",
    );
    let (status, _, hops) = browser
        .navigate(&format!("{app_url}/orgs/globex/invoices"), &app_url)
        .await?;
    all &= check(
        status == 200 && hops == 0,
        "in step: no redirect on the next load",
    );
    if all {
        println!("all checks passed");
    }
    Ok(all)
}
