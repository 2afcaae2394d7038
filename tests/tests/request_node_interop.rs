//! `request::authenticate` against Clerk's own `authenticateRequest` (`@clerk/backend` pinned in
//! `tests/node/package.json`, run by `tests/node/request.mjs` with a fixed clock): the ported
//! `request.test.ts` cases, and about a thousand generated requests (development and production
//! keys, header and cookies, plain and suffixed cookies, every `__client_uat` relation, valid,
//! expired, not-yet-valid, future-`iat`, badly signed, garbage and template tokens, documents
//! and fetches, dev browser or not, handshake returns, redirect counts) compared on state,
//! reason, redirect target and cookies. Runs when Node and `tests/node/node_modules` are present
//! (`npm ci --prefix tests/node`); says it skipped otherwise.
//!
//! Organization sync (`organizationSyncOptions`): [`clerk_agrees_on_organization_sync`] runs
//! about a thousand generated requests (tokens with and without an active organization, with
//! and without a slug, v1 and v2; paths by slug, by ID, the personal account and none; page
//! loads and fetches; redirect counts 0 to 4) through both, compared on the same terms, the
//! handshake `Location` with its `organization_id` included.
//!
//! One difference is ours on purpose, and mapped explicitly ([`clerk_mapped`]): a handshake
//! return Clerk resolves signed out (`session-token-missing`) is a handshake here, with Clerk's
//! `Set-Cookie` lines and reason, and a redirect to the request URL without the handshake
//! parameters (Clerk's own redirect on development instances).
//!
//! Where ours is stricter than Clerk on purpose (the nonce exchange's bounds, the development
//! primary's redirect, forwarded headers, a junk `__session` beside `__session_<suffix>`),
//! [`clerk_and_ours_side_by_side_where_ours_is_stricter`] shows both answers, each with why.

use crate::common::node;

use clerk_claims::Clock;
use clerk_claims::request::{self, RequestDescription, RequestOptions, RequestState};
use clerk_claims::source::PublishableKey;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::{CATEGORY_SESSION, CATEGORY_TEMPLATE};
use reqwest::Url;
use serde_json::{Value, json};

const NOW: i64 = 1_767_225_600;
const APP: &str = "https://app.example";

/// Clerk's outcomes for `cases` (`tests/node/request.mjs`), or `None` where Node is missing.
fn clerk(cases: &[Value]) -> Option<Vec<Value>> {
    let answer = node::run(
        "request.mjs",
        &["@clerk/backend"],
        &json!({ "cases": cases }),
    )?;
    let answers: Vec<Value> = serde_json::from_value(answer).expect("node answers a list");
    assert_eq!(answers.len(), cases.len(), "one answer per case");
    Some(answers)
}

/// Ours, in the shape `request.mjs` prints.
fn outcome(state: &RequestState) -> Value {
    json!({
        "status": state.status().as_str(),
        "reason": state.reason().map(|r| r.to_string()),
        "location": state.location(),
        "setCookie": state.set_cookies().collect::<Vec<_>>(),
        "userId": state.session().map(|s| s.sub.clone()),
    })
}

/// The query parameters and cookies that make a request a handshake return.
const HANDSHAKE_RETURN: [&str; 2] = ["__clerk_handshake", "__clerk_handshake_nonce"];

/// The URL of a handshake return without the handshake parameters (what Clerk's development
/// instances redirect to), or `None` when `request` is no handshake return.
fn clean_url_of_handshake_return(request: &Value) -> Option<String> {
    let mut url = Url::parse(request["url"].as_str()?).ok()?;
    let in_query = url
        .query_pairs()
        .any(|(k, _)| HANDSHAKE_RETURN.contains(&k.as_ref()));
    let in_cookie = HANDSHAKE_RETURN
        .iter()
        .any(|name| request["cookies"].get(name).is_some());
    if !in_query && !in_cookie {
        return None;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            ![
                "__clerk_handshake",
                "__clerk_help",
                "__clerk_db_jwt",
                "__clerk_handshake_nonce",
            ]
            .contains(&k.as_ref())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.into())
}

/// Clerk's outcome as ours should read, where it differs on purpose: a handshake return
/// Clerk resolves signed out (`session-token-missing`, with the `Set-Cookie` lines that sign
/// the browser out) is a handshake here, with Clerk's reason and cookies, whose `Location` is
/// the request URL without the handshake parameters. Clerk's development instances send that
/// redirect themselves (ours must then equal theirs); on production instances it is
/// [`clean_url_of_handshake_return`]. `None` for every other outcome, compared as it is.
fn clerk_mapped(theirs: &Value, request: &Value) -> Option<Value> {
    if theirs["status"] != "signed-out" || theirs["reason"] != "session-token-missing" {
        return None;
    }
    let clean = clean_url_of_handshake_return(request)?;
    let mut mapped = theirs.clone();
    mapped["status"] = Value::from("handshake");
    if mapped["location"].is_null() {
        mapped["location"] = Value::from(clean);
    }
    Some(mapped)
}

/// Differences between Clerk's outcome and ours; a Clerk exception must be a refusal here.
/// Returns whether the case is the mapped one ([`clerk_mapped`]).
fn compare(
    name: &str,
    request: &Value,
    theirs: &Value,
    ours: &RequestState,
    diffs: &mut Vec<String>,
) -> bool {
    if let Some(error) = theirs.get("error") {
        // Clerk throws where the handshake token itself is refused on a development
        // instance; we answer signed out with the token's reason and Clerk's message.
        let refused = ours.status().as_str() == "signed-out"
            && ours
                .reason()
                .is_some_and(|r| r.as_str().starts_with("token-"));
        if !refused {
            diffs.push(format!(
                "{name}: Clerk threw {error}, ours {}",
                outcome(ours)
            ));
        }
        return false;
    }
    let mapped = clerk_mapped(theirs, request);
    let theirs = mapped.as_ref().unwrap_or(theirs);
    let ours = outcome(ours);
    for key in ["status", "reason", "location", "setCookie", "userId"] {
        if theirs[key] != ours[key] {
            diffs.push(format!(
                "{name}: {key}: Clerk{} {} / ours {}",
                if mapped.is_some() { " (mapped)" } else { "" },
                theirs[key],
                ours[key]
            ));
        }
    }
    mapped.is_some()
}

/// Clerk's `organizationSyncOptions` from a case's `organization_patterns` and
/// `personal_account_patterns` (absent when neither is given).
fn organization_sync_options(o: &Value) -> Value {
    let (org, personal) = (&o["organization_patterns"], &o["personal_account_patterns"]);
    if org.is_null() && personal.is_null() {
        return Value::Null;
    }
    let mut sync = serde_json::Map::new();
    if !org.is_null() {
        sync.insert("organizationPatterns".into(), org.clone());
    }
    if !personal.is_null() {
        sync.insert("personalAccountPatterns".into(), personal.clone());
    }
    Value::Object(sync)
}

#[tokio::test]
async fn clerk_agrees_with_the_ported_request_cases() {
    let all: Value = serde_json::from_str(include_str!("data/request/clerk_request_cases.json"))
        .expect("the cases file is JSON");
    let tokens = all["tokens"].as_object().expect("tokens");
    let substitute = |text: String| {
        let mut names: Vec<&String> = tokens.keys().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.into_iter().fold(text, |t, n| {
            t.replace(&format!("${n}"), tokens[n].as_str().unwrap_or_default())
        })
    };
    let mut node_cases = Vec::new();
    let mut ours = Vec::new();
    for case in all["cases"].as_array().expect("cases") {
        let o = &case["options"];
        let request: Value =
            serde_json::from_str(&substitute(case["request"].to_string())).expect("JSON");
        node_cases.push(json!({
            "now": case["now"],
            "options": {
                "publishableKey": o["publishable_key"], "jwks": all["jwks"],
                "isSatellite": o["satellite"].as_bool().unwrap_or(false),
                "domain": o["domain"].as_str().unwrap_or(""),
                "signInUrl": o["sign_in_url"].as_str().unwrap_or(""),
                "satelliteAutoSync": o["satellite_auto_sync"],
                "authorizedParties": o["authorized_parties"],
                "organizationSyncOptions": organization_sync_options(o),
            },
            "request": request,
        }));
        let mut b = RequestOptions::builder()
            .publishable_key(o["publishable_key"].as_str().unwrap_or_default())
            .jwks_json(all["jwks"].to_string())
            .clock(Clock::manual(case["now"].as_i64().unwrap_or_default()))
            .satellite(o["satellite"].as_bool().unwrap_or(false))
            .satellite_auto_sync(o["satellite_auto_sync"].as_bool().unwrap_or(false));
        if let Some(d) = o["domain"].as_str() {
            b = b.domain(d);
        }
        if let Some(u) = o["sign_in_url"].as_str() {
            b = b.sign_in_url(u);
        }
        if let Some(p) = o["authorized_parties"].as_array() {
            b = b.authorized_parties(p.iter().filter_map(Value::as_str));
        }
        if let Some(p) = o["organization_patterns"].as_array() {
            b = b.organization_patterns(p.iter().filter_map(Value::as_str));
        }
        if let Some(p) = o["personal_account_patterns"].as_array() {
            b = b.personal_account_patterns(p.iter().filter_map(Value::as_str));
        }
        // Clerk has no such option (it redirects anywhere); the cases that sync name the
        // satellite's origin, which ours requires.
        if let Some(p) = o["allowed_redirect_origins"].as_array() {
            b = b.allowed_redirect_origins(p.iter().filter_map(Value::as_str));
        }
        let options = b.build().expect("valid options");
        let parts = RequestDescription::from_json(&request.to_string())
            .and_then(|d| d.to_parts())
            .expect("a valid request");
        ours.push((
            case["name"].as_str().unwrap_or("?").to_owned(),
            request::authenticate(&parts, &options).await,
            request,
        ));
    }
    let Some(theirs) = clerk(&node_cases) else {
        return;
    };
    let mut diffs = Vec::new();
    let mut mapped = 0;
    for ((name, state, request), answer) in ours.iter().zip(&theirs) {
        mapped += usize::from(compare(name, request, answer, state, &mut diffs));
    }
    println!(
        "{} ported cases, {mapped} signed-out handshake returns mapped",
        ours.len()
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

/// One generated request: its description, and our options for it.
struct Generated {
    name: String,
    node: Value,
    request: Value,
    options: RequestOptions,
}

fn generate(issuer: &TestIssuer, stranger: &TestIssuer) -> Vec<Generated> {
    let pem = issuer.public_key_pem();
    let session = |iat: i64| {
        issuer
            .session()
            .user("user_interop")
            .azp(APP)
            .issued_at(iat)
            .lifetime(60)
            .mint()
    };
    let valid_iat = NOW - 10;
    let template = issuer.sign(
        &issuer.header(CATEGORY_TEMPLATE),
        &json!({ "sub": "user_interop", "iat": valid_iat, "exp": valid_iat + 60, "iss": issuer.issuer(), "azp": APP }),
    );
    let tokens: Vec<(&str, String, i64)> = vec![
        ("valid", session(valid_iat), valid_iat),
        ("expired", session(NOW - 120), NOW - 120),
        ("nbf-future", session(NOW + 60), NOW + 60),
        ("iat-future", session(NOW + 12), NOW + 12),
        (
            "bad-signature",
            stranger
                .session()
                .user("user_interop")
                .azp(APP)
                .issued_at(valid_iat)
                .mint(),
            valid_iat,
        ),
        ("garbage", "garbage.token".to_owned(), valid_iat),
        ("template", template, valid_iat),
    ];
    let dests: Vec<(&str, &str, Value)> = vec![
        ("document", "GET", json!({ "sec-fetch-dest": "document" })),
        ("fetch", "GET", json!({ "sec-fetch-dest": "empty" })),
        (
            "html-accept",
            "GET",
            json!({ "accept": "text/html,application/xhtml+xml" }),
        ),
        (
            "post-document",
            "POST",
            json!({ "sec-fetch-dest": "document" }),
        ),
    ];
    let mut out = Vec::new();
    for live in [false, true] {
        let pk = PublishableKey::for_frontend_api(issuer.frontend_api(), live);
        let suffix = pk.cookie_suffix();
        let options = RequestOptions::builder()
            .publishable_key(pk.as_str())
            .pem(pem.clone())
            .clock(Clock::manual(NOW))
            .build()
            .expect("valid options");
        let kind = if live { "production" } else { "development" };
        let mut push = |name: String, method: &str, url: String, headers: Value, cookies: Value| {
            let request =
                json!({ "method": method, "url": url, "headers": headers, "cookies": cookies });
            out.push(Generated {
                name,
                node: json!({ "now": NOW, "options": { "publishableKey": pk.as_str(), "jwtKey": pem }, "request": request }),
                request,
                options: options.clone(),
            });
        };
        for (dest, method, dest_headers) in &dests {
            // The header path.
            for (token_name, token, _) in &tokens {
                let mut headers = dest_headers.clone();
                headers["authorization"] = Value::from(format!("Bearer {token}"));
                push(
                    format!("{kind} header {token_name} {dest}"),
                    method,
                    format!("{APP}/dashboard"),
                    headers,
                    json!({}),
                );
            }
            // The cookie path: plain or suffixed cookies, every client_uat relation, the dev
            // browser absent, in a cookie, or in the query.
            for (token_name, token, iat) in tokens
                .iter()
                .map(|(n, t, i)| (*n, Some(t), *i))
                .chain([("none", None, valid_iat)])
            {
                let uats: [(&str, Option<String>); 5] = [
                    ("no-uat", None),
                    ("uat-0", Some("0".to_owned())),
                    ("uat-older", Some((iat - 30).to_string())),
                    ("uat-equal", Some(iat.to_string())),
                    ("uat-newer", Some((iat + 30).to_string())),
                ];
                for (uat_name, uat) in uats {
                    for db in ["no-db", "db-cookie", "db-query"] {
                        for suffixed in [false, true] {
                            if suffixed && (token.is_none() || db != "db-cookie") {
                                continue;
                            }
                            let name = |n: &str| {
                                if suffixed {
                                    format!("{n}_{suffix}")
                                } else {
                                    n.to_owned()
                                }
                            };
                            let mut cookies = serde_json::Map::new();
                            if let Some(token) = token {
                                cookies.insert(name("__session"), Value::from(token.clone()));
                            }
                            if let Some(uat) = &uat {
                                cookies.insert(name("__client_uat"), Value::from(uat.clone()));
                            }
                            let mut url = format!("{APP}/dashboard?tab=1");
                            match db {
                                "db-cookie" => {
                                    cookies.insert(
                                        "__clerk_db_jwt".into(),
                                        Value::from("dvb_interop"),
                                    );
                                }
                                "db-query" => url.push_str("&__clerk_db_jwt=dvb_interop"),
                                _ => {}
                            }
                            push(
                                format!(
                                    "{kind} cookie{} {token_name} {uat_name} {db} {dest}",
                                    if suffixed { "-suffixed" } else { "" }
                                ),
                                method,
                                url,
                                dest_headers.clone(),
                                Value::Object(cookies),
                            );
                        }
                    }
                }
            }
        }
        // Redirect counting: the third handshake in a row is signed out.
        for count in ["1", "2", "3", "4"] {
            push(
                format!("{kind} redirect-count {count}"),
                "GET",
                format!("{APP}/dashboard"),
                json!({ "sec-fetch-dest": "document" }),
                json!({ "__client_uat": "12345", "__clerk_db_jwt": "dvb_interop", "__clerk_redirect_count": count }),
            );
        }
        // Handshake returns: a session-category token carrying fresh cookies, one carrying
        // none, and a forged template-category one (AISEC-85).
        let fresh = session(valid_iat);
        let lines = json!([
            format!("__session={fresh}; Path=/; SameSite=Lax"),
            format!("__client_uat={valid_iat}; Path=/; SameSite=Lax"),
        ]);
        let good = issuer.sign(
            &issuer.header(CATEGORY_SESSION),
            &json!({ "handshake": lines }),
        );
        let empty = issuer.sign(
            &issuer.header(CATEGORY_SESSION),
            &json!({ "handshake": [] }),
        );
        let forged = issuer.sign(
            &issuer.header(CATEGORY_TEMPLATE),
            &json!({ "handshake": lines }),
        );
        for (name, token) in [("good", &good), ("empty", &empty), ("forged", &forged)] {
            push(
                format!("{kind} handshake-return {name} query"),
                "GET",
                format!(
                    "{APP}/dashboard?__clerk_handshake={token}&__clerk_db_jwt=dvb_interop&tab=1"
                ),
                json!({ "sec-fetch-dest": "document" }),
                json!({}),
            );
            push(
                format!("{kind} handshake-return {name} cookie"),
                "GET",
                format!("{APP}/dashboard"),
                json!({ "sec-fetch-dest": "document" }),
                json!({ "__clerk_handshake": token, "__clerk_db_jwt": "dvb_interop" }),
            );
        }
    }
    out
}

#[tokio::test]
async fn clerk_agrees_on_a_thousand_generated_requests() {
    let issuer = TestIssuer::with_frontend_api("interop-fox-12.clerk.accounts.dev");
    let stranger = TestIssuer::with_frontend_api("interop-fox-12.clerk.accounts.dev");
    let generated = generate(&issuer, &stranger);
    assert!(generated.len() > 500, "{} generated", generated.len());
    let mut ours = Vec::new();
    for g in &generated {
        let parts = RequestDescription::from_json(&g.request.to_string())
            .and_then(|d| d.to_parts())
            .expect("a valid request");
        ours.push(request::authenticate(&parts, &g.options).await);
    }
    let nodes: Vec<Value> = generated.iter().map(|g| g.node.clone()).collect();
    let Some(theirs) = clerk(&nodes) else {
        return;
    };
    let mut diffs = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut mapped = 0;
    for ((g, state), answer) in generated.iter().zip(&ours).zip(&theirs) {
        mapped += usize::from(compare(&g.name, &g.request, answer, state, &mut diffs));
        seen.insert(format!(
            "{} {}",
            state.status(),
            state.reason().map(|r| r.to_string()).unwrap_or_default()
        ));
    }
    let thrown = theirs.iter().filter(|t| t.get("error").is_some()).count();
    println!(
        "{} generated requests, {} where Clerk throws, {mapped} signed-out handshake returns mapped, {} distinct outcomes: {seen:?}",
        generated.len(),
        thrown,
        seen.len()
    );
    assert!(
        diffs.is_empty(),
        "{} differences of {}:\n{}",
        diffs.len(),
        generated.len(),
        diffs
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The sweep reaches every outcome the generator aims at.
    for expected in [
        "signed-in ",
        "signed-out session-token-and-uat-missing",
        "handshake session-token-but-no-client-uat",
        "handshake client-uat-but-no-session-token",
        "handshake session-token-iat-before-client-uat",
        "handshake dev-browser-missing",
        "handshake dev-browser-sync",
        "handshake session-token-expired-refresh-non-eligible-no-refresh-cookie",
        "signed-out session-token-expired-refresh-non-eligible-non-get",
        "handshake session-token-nbf",
        "handshake session-token-iat-in-the-future",
        "signed-out token-invalid-signature",
        "signed-out token-invalid",
        "signed-out token-type-mismatch",
        "signed-out client-uat-but-no-session-token",
        "handshake session-token-missing",
    ] {
        assert!(
            seen.contains(expected),
            "no case reached {expected:?}; reached {seen:?}"
        );
    }
}

/// `GET /v1/clients/handshake_payload?nonce=…` of a Backend API stub: the directives of a
/// known nonce, else 500 (Clerk then sets no cookie).
async fn backend_stub(directives: Value) -> String {
    use axum::extract::Query;
    use axum::response::IntoResponse;
    let app = axum::Router::new().route(
        "/v1/clients/handshake_payload",
        axum::routing::get(
            move |Query(q): Query<std::collections::HashMap<String, String>>| async move {
                match q.get("nonce").and_then(|n| directives.get(n)) {
                    Some(lines) => axum::Json(json!({ "directives": lines })).into_response(),
                    None => axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test]
async fn clerk_agrees_on_nonce_handshake_returns() {
    let issuer = TestIssuer::with_frontend_api("interop-owl-3.clerk.accounts.dev");
    let fresh = issuer
        .session()
        .user("user_nonce")
        .azp(APP)
        .issued_at(NOW - 10)
        .mint();
    let payloads = json!({
        "hsn_good": [format!("__session={fresh}; Path=/; SameSite=Lax"), format!("__client_uat={}; Path=/", NOW - 10)],
        "hsn_signed_out": ["__session=; Path=/; Max-Age=0", "__client_uat=0; Path=/"],
    });
    let api_url = backend_stub(payloads.clone()).await;
    let pem = issuer.public_key_pem();
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for live in [false, true] {
        let pk = PublishableKey::for_frontend_api(issuer.frontend_api(), live);
        let options = RequestOptions::builder()
            .publishable_key(pk.as_str())
            .pem(pem.clone())
            .secret_key("sk_test_stub")
            .api_url(&api_url)
            .clock(Clock::manual(NOW))
            .build()
            .expect("valid options");
        for nonce in ["hsn_good", "hsn_signed_out", "hsn_unknown"] {
            for (carrier, url, cookies) in [
                (
                    "query",
                    format!("{APP}/page?__clerk_handshake_nonce={nonce}&x=1"),
                    json!({}),
                ),
                (
                    "cookie",
                    format!("{APP}/page"),
                    json!({ "__clerk_handshake_nonce": nonce }),
                ),
            ] {
                let request = json!({ "method": "GET", "url": url, "headers": { "sec-fetch-dest": "document" }, "cookies": cookies });
                cases.push(json!({ "now": NOW, "options": { "publishableKey": pk.as_str(), "jwtKey": pem, "handshakePayloads": payloads }, "request": request }));
                let parts = RequestDescription::from_json(&request.to_string())
                    .and_then(|d| d.to_parts())
                    .expect("a valid request");
                let name = format!(
                    "{} {nonce} {carrier}",
                    if live { "production" } else { "development" }
                );
                ours.push((name, request::authenticate(&parts, &options).await, request));
            }
        }
    }
    let Some(theirs) = clerk(&cases) else {
        return;
    };
    let mut diffs = Vec::new();
    let (mut mapped, mut mapped_with_cookies) = (0, 0);
    for ((name, state, request), answer) in ours.iter().zip(&theirs) {
        if compare(name, request, answer, state, &mut diffs) {
            mapped += 1;
            mapped_with_cookies += usize::from(state.set_cookies().count() > 0);
        }
    }
    println!(
        "{} nonce returns, {mapped} signed-out handshake returns mapped ({mapped_with_cookies} with Set-Cookie lines)",
        ours.len()
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert!(
        ours.iter()
            .any(|(_, s, _)| s.session().is_some_and(|v| v.sub == "user_nonce"))
    );
    // The signed-out nonce's cookies reach the browser through the redirect.
    assert!(
        mapped_with_cookies > 0,
        "no signed-out handshake return carried Clerk's Set-Cookie lines"
    );
}

/// A request as `request.mjs` takes it, as `http` parts; header values are Latin-1 text, as
/// JavaScript's `Headers` carries them (each character one byte).
fn latin1_parts(request: &Value) -> axum::http::request::Parts {
    let mut builder = axum::http::Request::builder()
        .method(request["method"].as_str().unwrap_or("GET"))
        .uri(request["url"].as_str().expect("a URL"));
    for (name, value) in request["headers"].as_object().into_iter().flatten() {
        let bytes: Vec<u8> = value
            .as_str()
            .unwrap_or_default()
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
            .collect();
        builder = builder.header(
            name.as_str(),
            axum::http::HeaderValue::from_bytes(&bytes).expect("a header value"),
        );
    }
    let cookies: Vec<String> = request["cookies"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect();
    if !cookies.is_empty() {
        builder = builder.header("cookie", cookies.join("; "));
    }
    builder.body(()).expect("a valid request").into_parts().0
}

/// The `redirect_url` of a handshake `Location`.
fn redirect_url_of(location: Option<&str>) -> Option<String> {
    let url = Url::parse(location?).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "redirect_url")
        .map(|(_, v)| v.into_owned())
}

/// Requests where ours differs from Clerk on purpose (stricter), each with why, and Clerk's
/// answer beside ours: if Clerk changes its answer, the entry must be looked at again.
#[tokio::test]
async fn clerk_and_ours_side_by_side_where_ours_is_stricter() {
    use clerk_claims::testing::fake::FakeClerk;

    let issuer = TestIssuer::with_frontend_api("interop-fox-12.clerk.accounts.dev");
    let pem = issuer.public_key_pem();
    let dev = PublishableKey::for_frontend_api(issuer.frontend_api(), false);
    let live = PublishableKey::for_frontend_api(issuer.frontend_api(), true);
    let suffix = live.cookie_suffix();
    let valid = issuer
        .session()
        .user("user_interop")
        .azp(APP)
        .issued_at(NOW - 10)
        .lifetime(60)
        .mint();
    let forged = TestIssuer::with_frontend_api(issuer.frontend_api())
        .session()
        .user("user_mallory")
        .azp(APP)
        .issued_at(NOW - 5)
        .lifetime(60)
        .mint();
    // Our Backend API for the nonce cases, its calls counted.
    let fake = FakeClerk::start();
    let build = |pk: &PublishableKey| {
        RequestOptions::builder()
            .publishable_key(pk.as_str())
            .pem(pem.clone())
            .secret_key(fake.secret_key())
            .api_url(fake.url())
            .clock(Clock::manual(NOW))
            .build()
            .expect("valid options")
    };
    let (dev_options, live_options) = (build(&dev), build(&live));
    let document = json!({ "sec-fetch-dest": "document" });
    let fetch = json!({ "sec-fetch-dest": "empty" });
    // (name, why, publishable key, request)
    let cases: Vec<(&str, &str, &PublishableKey, Value)> = vec![
        (
            "dev-redirect-foreign-origin",
            "a development primary sends the dev browser token only to the app's own origins \
             (the request's, authorized parties, allowed_redirect_origins): Clerk redirects to \
             any __clerk_redirect_url",
            &dev,
            json!({ "method": "GET", "url": format!("{APP}/me?__clerk_redirect_url=https%3A%2F%2Fevil.example%2F"),
                    "headers": document, "cookies": { "__clerk_db_jwt": "dvb_secret" } }),
        ),
        (
            "forwarded-host-foreign",
            "X-Forwarded-Host is read only behind_proxy, and then only the app's own host: \
             Clerk puts any host in the handshake's redirect_url",
            &live,
            json!({ "method": "GET", "url": format!("{APP}/me"),
                    "headers": { "sec-fetch-dest": "document", "x-forwarded-host": "evil.example" },
                    "cookies": { "__client_uat": "12345" } }),
        ),
        (
            "forwarded-proto-javascript",
            "X-Forwarded-Proto is read only behind_proxy, and then only http or https: Clerk \
             puts any scheme in the handshake's redirect_url",
            &live,
            json!({ "method": "GET", "url": format!("{APP}/me"),
                    "headers": { "sec-fetch-dest": "document", "host": "app.example", "x-forwarded-proto": "javascript" },
                    "cookies": { "__client_uat": "12345" } }),
        ),
        (
            "nonce-not-a-nonce",
            "a nonce that cannot be one (not 1 to 4096 URL-safe characters) costs no Backend \
             API call: Clerk asks for any",
            &live,
            json!({ "method": "GET", "url": format!("{APP}/me?__clerk_handshake_nonce=%3Cscript%3E"),
                    "headers": fetch, "cookies": {} }),
        ),
        (
            "nonce-unknown-again-1",
            "a nonce whose exchange failed is not asked again for 10 minutes: Clerk asks \
             every time",
            &live,
            json!({ "method": "GET", "url": format!("{APP}/me?__clerk_handshake_nonce=hsn_unknown"),
                    "headers": fetch, "cookies": {} }),
        ),
        (
            "nonce-unknown-again-2",
            "the same nonce again: no call here, one more at Clerk",
            &live,
            json!({ "method": "GET", "url": format!("{APP}/me?__clerk_handshake_nonce=hsn_unknown"),
                    "headers": fetch, "cookies": {} }),
        ),
        (
            "junk-plain-session-beside-suffixed",
            "a __session that is no JWT with an issuer, beside __session_<suffix>, is no token \
             of this instance (as Clerk treats one of another instance): Clerk reads the junk \
             and signs the suffixed session out",
            &live,
            json!({ "method": "GET", "url": format!("{APP}/me"), "headers": fetch,
                    "cookies": { format!("__session_{suffix}"): valid, format!("__client_uat_{suffix}"): (NOW - 20).to_string(),
                                 "__session": "junk", "__client_uat": (NOW - 20).to_string() } }),
        ),
        (
            "forged-newer-plain-session-beside-suffixed",
            "a __session of this instance's issuer, newer than __session_<suffix>, that is \
             refused as a token (a forged one) does not sign out the suffixed session, which is \
             read instead: Clerk prefers the newer and signs the user out",
            &live,
            json!({ "method": "GET", "url": format!("{APP}/me"), "headers": fetch,
                    "cookies": { format!("__session_{suffix}"): valid, format!("__client_uat_{suffix}"): (NOW - 20).to_string(),
                                 "__session": forged, "__client_uat": (NOW - 20).to_string() } }),
        ),
    ];
    let mut node_cases = Vec::new();
    let mut ours = Vec::new();
    for (name, _, pk, request) in &cases {
        node_cases.push(json!({ "now": NOW, "options": { "publishableKey": pk.as_str(), "jwtKey": pem, "handshakePayloads": {} }, "request": request }));
        let options = if pk.is_live() {
            &live_options
        } else {
            &dev_options
        };
        let before = fake.request_count("GET", "/v1/clients/handshake_payload");
        let state = request::authenticate(&latin1_parts(request), options).await;
        let calls = fake.request_count("GET", "/v1/clients/handshake_payload") - before;
        ours.push((*name, state, calls));
    }
    let Some(theirs) = clerk(&node_cases) else {
        return;
    };
    let mut table = Vec::new();
    for (((name, why, _, _), (_, state, calls)), answer) in cases.iter().zip(&ours).zip(&theirs) {
        table.push(format!(
            "{name}: {why}\n  Clerk: {} {} location={} apiCalls={}\n  ours:  {} {} location={} apiCalls={calls}",
            answer["status"],
            answer["reason"],
            answer["location"],
            answer["apiCalls"],
            state.status(),
            state.reason().map(|r| r.to_string()).unwrap_or_default(),
            state.location().unwrap_or("null"),
        ));
        let clerk_location = answer["location"].as_str();
        match *name {
            "dev-redirect-foreign-origin" => {
                assert_eq!(answer["status"], "handshake");
                assert_eq!(
                    clerk_location,
                    Some("https://evil.example/?__clerk_db_jwt=dvb_secret&__clerk_synced=true")
                );
                assert_eq!(state.status().as_str(), "signed-out");
                assert_eq!(
                    state.reason().map(|r| r.to_string()).as_deref(),
                    Some("primary-responds-to-syncing")
                );
                assert_eq!(state.location(), None);
            }
            "forwarded-host-foreign" | "forwarded-proto-javascript" => {
                let theirs = redirect_url_of(clerk_location).expect("Clerk's handshake");
                let expected = if *name == "forwarded-host-foreign" {
                    "https://evil.example/me"
                } else {
                    "javascript://app.example/me"
                };
                assert_eq!(theirs, expected);
                assert_eq!(
                    redirect_url_of(state.location()).as_deref(),
                    Some("https://app.example/me")
                );
            }
            "nonce-not-a-nonce" | "nonce-unknown-again-1" | "nonce-unknown-again-2" => {
                // Both: no cookies from the nonce, `session-token-missing` (ours reloads
                // the clean URL, the mapped difference of `clerk_mapped`).
                assert_eq!(answer["reason"], "session-token-missing");
                assert_eq!(answer["apiCalls"], 1);
                assert_eq!(
                    state.reason().map(|r| r.to_string()).as_deref(),
                    Some("session-token-missing")
                );
                let expected = usize::from(*name == "nonce-unknown-again-1");
                assert_eq!(*calls, expected, "{name}");
            }
            "junk-plain-session-beside-suffixed" | "forged-newer-plain-session-beside-suffixed" => {
                assert_eq!(answer["status"], "signed-out");
                let expected = if name.starts_with("junk") {
                    "token-invalid"
                } else {
                    "token-invalid-signature"
                };
                assert_eq!(answer["reason"], expected);
                assert_eq!(
                    state.session().map(|s| s.sub.as_str()),
                    Some("user_interop")
                );
            }
            other => panic!("{other}: no expectation"),
        }
    }
    println!("{}", table.join("\n"));
}

/// An `Authorization` header beyond ASCII: Clerk's `Headers` carries it as Latin-1 text, and
/// so do we (`Bearer é…` is a token that does not verify, and the cookie is not read;
/// another scheme is no token, and the cookie is read).
#[tokio::test]
async fn clerk_agrees_on_authorization_headers_beyond_ascii() {
    let issuer = TestIssuer::with_frontend_api("interop-fox-12.clerk.accounts.dev");
    let pem = issuer.public_key_pem();
    let live = PublishableKey::for_frontend_api(issuer.frontend_api(), true);
    let options = RequestOptions::builder()
        .publishable_key(live.as_str())
        .pem(pem.clone())
        .clock(Clock::manual(NOW))
        .build()
        .expect("valid options");
    let valid = issuer
        .session()
        .user("user_interop")
        .azp(APP)
        .issued_at(NOW - 10)
        .lifetime(60)
        .mint();
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for authorization in [
        "Bearer \u{e9}\u{ff}".to_owned(),
        "\u{e9}\u{ff}".to_owned(),
        "Basic \u{e9}".to_owned(),
        format!("Bearer {valid}\u{e9}"),
        format!("\u{e9} {valid}"),
    ] {
        for dest in ["document", "empty"] {
            let request = json!({ "method": "GET", "url": format!("{APP}/me"),
                "headers": { "sec-fetch-dest": dest, "authorization": authorization },
                "cookies": { "__session": valid, "__client_uat": (NOW - 20).to_string() } });
            cases.push(json!({ "now": NOW, "options": { "publishableKey": live.as_str(), "jwtKey": pem }, "request": request }));
            let state = request::authenticate(&latin1_parts(&request), &options).await;
            ours.push((format!("{authorization:?} {dest}"), state, request));
        }
    }
    let Some(theirs) = clerk(&cases) else {
        return;
    };
    let mut diffs = Vec::new();
    for ((name, state, request), answer) in ours.iter().zip(&theirs) {
        compare(name, request, answer, state, &mut diffs);
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    let signed_in = ours
        .iter()
        .filter(|(_, s, _)| s.session().is_some())
        .count();
    assert_eq!(
        signed_in, 4,
        "the two headers without a Bearer token read the cookie"
    );
}

/// Organization sync (`organizationSyncOptions`) on generated requests: tokens without an
/// active organization, with one (ID and slug), and with one without a slug; paths naming an
/// organization by slug or ID, the personal account, or nothing (mixed case, trailing slash,
/// percent-encoded); page loads and fetches; redirect-loop counts 0 to 4; production and
/// development. Compared on status, reason, the handshake `Location` (with its
/// `organization_id`), `Set-Cookie` and the user.
#[tokio::test]
async fn clerk_agrees_on_organization_sync() {
    let issuer = TestIssuer::with_frontend_api("interop-org-7.clerk.accounts.dev");
    let pem = issuer.public_key_pem();
    let iat = NOW - 10;
    let base = || {
        issuer
            .session()
            .user("user_interop")
            .azp(APP)
            .issued_at(iat)
    };
    let tokens: Vec<(&str, String)> = vec![
        ("no-org", base().mint()),
        ("org-acme", base().org("org_acme", "acme", "admin").mint()),
        (
            "org-without-slug",
            base()
                .claim("o", json!({ "id": "org_noslug", "rol": "admin" }))
                .mint(),
        ),
        (
            "v1-org",
            base()
                .v1()
                .claim("org_id", "org_acme")
                .claim("org_slug", "acme")
                .mint(),
        ),
    ];
    let sync = json!({
        "organizationPatterns": ["/orgs/:slug", "/orgs/:slug/(.*)", "/by-id/:id", "/by-id/:id/(.*)"],
        "personalAccountPatterns": ["/me", "/me/(.*)"],
    });
    let paths = [
        "/orgs/acme",
        "/orgs/ACME/invoices",
        "/orgs/globex/",
        "/orgs/ac%20me",
        "/orgs/org_noslug",
        "/by-id/org_acme",
        "/by-id/org_globex/settings",
        "/by-id/org_noslug",
        "/me",
        "/ME/settings/",
        "/other",
        "/orgs",
    ];
    let dests: Vec<(&str, Value)> = vec![
        ("document", json!({ "sec-fetch-dest": "document" })),
        ("fetch", json!({ "sec-fetch-dest": "empty" })),
        ("html-accept", json!({ "accept": "text/html" })),
    ];
    let mut generated = Vec::new();
    for live in [true, false] {
        let pk = PublishableKey::for_frontend_api(issuer.frontend_api(), live);
        let options = RequestOptions::builder()
            .publishable_key(pk.as_str())
            .pem(pem.clone())
            .clock(Clock::manual(NOW))
            .organization_patterns([
                "/orgs/:slug",
                "/orgs/:slug/(.*)",
                "/by-id/:id",
                "/by-id/:id/(.*)",
            ])
            .personal_account_patterns(["/me", "/me/(.*)"])
            .build()
            .expect("valid options");
        for (token_name, token) in &tokens {
            for path in paths {
                for (dest, headers) in &dests {
                    for count in [0, 2, 3, 4] {
                        // A development instance needs the dev browser to reach the token.
                        let mut cookies =
                            json!({ "__session": token, "__client_uat": (NOW - 60).to_string() });
                        if !live {
                            cookies["__clerk_db_jwt"] = json!("dvb_interop");
                        }
                        if count > 0 {
                            cookies["__clerk_redirect_count"] = json!(count.to_string());
                        }
                        let request = json!({
                            "method": "GET",
                            "url": format!("{APP}{path}"),
                            "headers": headers,
                            "cookies": cookies,
                        });
                        generated.push(Generated {
                            name: format!("{} {token_name} {path} {dest} count={count}", if live { "production" } else { "development" }),
                            node: json!({ "now": NOW, "options": { "publishableKey": pk.as_str(), "jwtKey": pem, "organizationSyncOptions": sync }, "request": request }),
                            request,
                            options: options.clone(),
                        });
                    }
                }
            }
        }
    }
    let mut ours = Vec::new();
    for g in &generated {
        let parts = RequestDescription::from_json(&g.request.to_string())
            .and_then(|d| d.to_parts())
            .expect("a valid request");
        ours.push(request::authenticate(&parts, &g.options).await);
    }
    let nodes: Vec<Value> = generated.iter().map(|g| g.node.clone()).collect();
    let Some(theirs) = clerk(&nodes) else {
        return;
    };
    let mut diffs = Vec::new();
    let mut mismatches = 0;
    for ((g, state), answer) in generated.iter().zip(&ours).zip(&theirs) {
        compare(&g.name, &g.request, answer, state, &mut diffs);
        mismatches += usize::from(
            state.reason().map(|r| r.to_string()).as_deref()
                == Some("active-organization-mismatch"),
        );
    }
    println!(
        "{} organization sync requests, {mismatches} organization activation handshakes",
        generated.len()
    );
    assert!(mismatches > 20, "only {mismatches} activation handshakes");
    assert!(
        diffs.is_empty(),
        "{} differences of {}:\n{}",
        diffs.len(),
        generated.len(),
        diffs
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
