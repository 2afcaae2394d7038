//! Clerk's own `request.test.ts` cases for `authenticateRequest`, ported as data
//! (`data/request/clerk_request_cases.json`): each case is Clerk's request, options and frozen
//! clock, and Clerk's expected state and reason (and redirect, where Clerk's test checks it).
//! `tests/tests/request_node_interop.rs` also runs the same cases through Clerk's SDK.

use clerk_claims::Clock;
use clerk_claims::request::{self, RequestDescription, RequestOptions, RequestState};
use serde_json::Value;

const CASES: &str = include_str!("data/request/clerk_request_cases.json");

fn cases() -> Value {
    serde_json::from_str(CASES).expect("the cases file is JSON")
}

/// Replaces `$name` with the token of that name, longest names first.
fn substitute(text: &str, tokens: &serde_json::Map<String, Value>) -> String {
    let mut names: Vec<&String> = tokens.keys().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out = text.to_owned();
    for name in names {
        if let Some(token) = tokens[name].as_str() {
            out = out.replace(&format!("${name}"), token);
        }
    }
    out
}

fn options(case: &Value, jwks: &str) -> RequestOptions {
    let o = &case["options"];
    let text = |k: &str| o[k].as_str().map(str::to_owned);
    let mut b = RequestOptions::builder()
        .publishable_key(text("publishable_key").expect("each case names its key"))
        .jwks_json(jwks)
        .clock(Clock::manual(
            case["now"].as_i64().expect("each case has a clock"),
        ))
        .satellite(o["satellite"].as_bool().unwrap_or(false))
        .satellite_auto_sync(o["satellite_auto_sync"].as_bool().unwrap_or(false));
    if let Some(d) = text("domain") {
        b = b.domain(d);
    }
    if let Some(u) = text("sign_in_url") {
        b = b.sign_in_url(u);
    }
    if let Some(u) = text("proxy_url") {
        b = b.proxy_url(u);
    }
    if let Some(parties) = o["authorized_parties"].as_array() {
        b = b.authorized_parties(parties.iter().filter_map(Value::as_str));
    }
    b.build().expect("the case's options are valid")
}

async fn run(case: &Value, all: &Value) -> RequestState {
    let tokens = all["tokens"].as_object().expect("tokens");
    let jwks = all["jwks"].to_string();
    let request = substitute(&case["request"].to_string(), tokens);
    let description = RequestDescription::from_json(&request).expect("a request description");
    let parts = description.to_parts().expect("a valid request");
    request::authenticate(&parts, &options(case, &jwks)).await
}

/// What failed in one case, or nothing.
fn check(case: &Value, state: &RequestState) -> Vec<String> {
    let e = &case["expect"];
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(what);
    let reason = state.reason().map(|r| r.to_string());
    if let Some(status) = e["status"].as_str()
        && status != state.status().as_str()
    {
        fail(format!(
            "status: expected {status}, found {}",
            state.status()
        ));
    }
    if let Some(expected) = e["reason"].as_str()
        && reason.as_deref() != Some(expected)
    {
        fail(format!("reason: expected {expected}, found {reason:?}"));
    }
    if let Some(not) = e["reason_not"].as_str()
        && reason.as_deref() == Some(not)
    {
        fail(format!("reason: expected anything but {not}"));
    }
    if let Some(message) = e["message"].as_str()
        && state.message() != Some(message)
    {
        fail(format!(
            "message: expected {message:?}, found {:?}",
            state.message()
        ));
    }
    if let Some(part) = e["message_contains"].as_str()
        && !state.message().is_some_and(|m| m.contains(part))
    {
        fail(format!(
            "message: expected it to contain {part:?}, found {:?}",
            state.message()
        ));
    }
    match e.get("location") {
        Some(Value::Null) if state.location().is_some() => {
            fail(format!(
                "location: expected none, found {:?}",
                state.location()
            ));
        }
        Some(Value::String(l)) if state.location() != Some(l.as_str()) => {
            fail(format!(
                "location: expected {l}, found {:?}",
                state.location()
            ));
        }
        _ => {}
    }
    for part in e["location_contains"].as_array().into_iter().flatten() {
        let part = part.as_str().unwrap_or_default();
        if !state.location().is_some_and(|l| l.contains(part)) {
            fail(format!(
                "location: expected {part:?} in {:?}",
                state.location()
            ));
        }
    }
    for part in e["location_excludes"].as_array().into_iter().flatten() {
        let part = part.as_str().unwrap_or_default();
        if state.location().is_some_and(|l| l.contains(part)) {
            fail(format!(
                "location: expected no {part:?} in {:?}",
                state.location()
            ));
        }
    }
    if state.status().as_str() == "handshake" && !state.headers().contains_key("cache-control") {
        fail("a handshake carries Cache-Control (Clerk's toMatchHandshake)".to_owned());
    }
    if let Some(user) = e["user_id"].as_str() {
        let found = state.session().map(|s| s.sub.as_str());
        if found != Some(user) {
            fail(format!("user: expected {user}, found {found:?}"));
        }
    }
    if let Some(sid) = e["session_id"].as_str() {
        let found = state.session().and_then(|s| s.sid.as_deref());
        if found != Some(sid) {
            fail(format!("session: expected {sid}, found {found:?}"));
        }
    }
    failures
}

#[tokio::test]
async fn every_ported_clerk_request_case_gives_clerks_state_and_reason() {
    let all = cases();
    let list = all["cases"].as_array().expect("cases");
    assert!(list.len() >= 60, "the file holds the ported cases");
    let mut report = Vec::new();
    for case in list {
        let state = run(case, &all).await;
        for failure in check(case, &state) {
            report.push(format!(
                "{}: {failure}",
                case["name"].as_str().unwrap_or("?")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} failures:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[tokio::test]
async fn the_checker_notices_a_wrong_expectation() {
    // The sweep above is only as good as `check`: a case with a wrong reason must fail it.
    let all = cases();
    let mut case = all["cases"][0].clone();
    case["expect"]["reason"] = Value::from("session-token-and-uat-missing");
    let state = run(&case, &all).await;
    assert_eq!(check(&case, &state).len(), 1);
}
