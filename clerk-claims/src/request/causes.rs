//! The cause and fix behind a request's state, from the request itself: a `__session` (or
//! bearer token) of another instance, this machine's clock off, cookies that a cross-site
//! request does not carry. The token side is [`verify::advice`](crate::verify::advice).

use http::request::Parts;

use super::{AuthErrorReason, AuthReason, RequestOptions, RequestState, Status, names};
use crate::verify::Reason;
use crate::verify::advice::{self, Diagnosis};

/// The causes [`causes`] finds in a request, first the one to act on first; empty when the
/// request itself shows none (the reason's [`advice`](super::advice) then says it).
///
/// `server_time` is a trusted time (the Backend API's `Date`), compared with the options'
/// clock when the state is a time rejection or a carried token is outside its time window.
pub fn causes(
    state: &RequestState,
    parts: &Parts,
    options: &RequestOptions,
    server_time: Option<i64>,
) -> Vec<Diagnosis> {
    let mut found = Vec::new();
    let configured = options.publishable_key().issuer();
    for (what, token) in tokens(parts) {
        let iss = crate::verify::decode_unverified(token).ok().and_then(|d| {
            d.payload
                .get("iss")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        });
        let consequence = if what == "bearer token" {
            "so this instance's keys reject it"
        } else {
            "so it is ignored (Clerk then looks for the suffixed __session_<suffix> cookie of \
             your instance)"
        };
        let what = format!("this {what}");
        if let Some(foreign) =
            iss.and_then(|iss| advice::foreign_named(&what, consequence, &configured, &iss))
        {
            found.push(foreign);
        }
    }
    let now = options.clock().now();
    // A time rejection, or one hidden behind another reason (a development instance without
    // its dev browser): a carried token outside its time window.
    let timed = state.reason().is_some_and(is_time_reason)
        || tokens(parts).iter().any(|(_, t)| out_of_time(t, now));
    if timed && let Some(clock) = advice::clock(now, server_time) {
        found.push(clock);
    }
    if state.status() != Status::SignedIn
        && let Some(cross) = cross_site(parts)
    {
        found.push(cross);
    }
    found
}

/// Whether a reason is a token's time (`exp`, `nbf`, `iat`): a clock off shows there.
fn is_time_reason(reason: AuthReason) -> bool {
    matches!(
        reason,
        AuthReason::SessionTokenExpired(_)
            | AuthReason::Auth(
                AuthErrorReason::SessionTokenExpired
                    | AuthErrorReason::SessionTokenNbf
                    | AuthErrorReason::SessionTokenIatInTheFuture
            )
            | AuthReason::Token(
                Reason::TokenExpired | Reason::TokenNotActiveYet | Reason::TokenIatInTheFuture
            )
    )
}

/// Whether a token (decoded without verifying) is expired or not valid yet at `now`, with
/// Clerk's 5 s of skew.
fn out_of_time(token: &str, now: i64) -> bool {
    let Ok(decoded) = crate::verify::decode_unverified(token) else {
        return false;
    };
    let at = |name: &str| {
        decoded
            .payload
            .get(name)
            .and_then(serde_json::Value::as_f64)
    };
    let skew = crate::verify::DEFAULT_CLOCK_SKEW.as_secs_f64();
    let now = now as f64;
    at("exp").is_some_and(|exp| exp <= now - skew)
        || at("nbf").is_some_and(|nbf| nbf > now + skew)
        || at("iat").is_some_and(|iat| iat > now + skew)
}

/// The session tokens a request carries, named: the `__session` cookie and the bearer token.
fn tokens(parts: &Parts) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    for header in parts.headers.get_all(http::header::COOKIE) {
        if let Some(token) = header
            .to_str()
            .ok()
            .and_then(|c| crate::source::cookie(c, names::cookie::SESSION))
        {
            out.push(("__session cookie", token));
        }
    }
    if let Some(token) = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::source::from_authorization)
    {
        out.push(("bearer token", token));
    }
    out
}

/// The host of an origin or URL (`https://app.example:3000/x` → `app.example:3000`).
fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// A request from another site (`Sec-Fetch-Site: cross-site`, or an `Origin`/`Referer` of
/// another host): the browser does not send this host's cookies on it.
fn cross_site(parts: &Parts) -> Option<Diagnosis> {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let here = parts
        .uri
        .authority()
        .map(|a| a.to_string())
        .or_else(|| header("host"))?;
    let from = header("origin")
        .filter(|o| o != "null")
        .or_else(|| header("referer"))
        .and_then(|u| host(&u));
    let flagged = header("sec-fetch-site").is_some_and(|s| s.eq_ignore_ascii_case("cross-site"));
    let other = from.as_deref().is_some_and(|f| f != here);
    if !flagged && !other {
        return None;
    }
    let from = from.unwrap_or_else(|| "another site".to_owned());
    Some(Diagnosis {
        cause: format!(
            "this request came from {from} to {here} (cross-site): the browser does not send \
             {here}'s cookies (__session, __client_uat) on it, so Clerk sees no session"
        ),
        fix: format!(
            "for cross-origin API calls send the session token in a header: `fetch(url, {{ \
             headers: {{ Authorization: `Bearer ${{await getToken()}}` }} }})` from {from}, and \
             allow that origin (CORS, and the authorized parties); or serve the API from the \
             app's own host"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut builder = http::Request::builder().uri("https://api.example.com/x");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn a_request_from_another_origin_is_cross_site_naming_both_hosts() {
        let found = cross_site(&parts(&[("origin", "https://app.example.com")])).unwrap();
        assert!(
            found
                .cause
                .contains("from app.example.com to api.example.com")
        );
        assert!(found.fix.contains("Authorization: `Bearer"));
        let flagged = cross_site(&parts(&[("sec-fetch-site", "cross-site")])).unwrap();
        assert!(flagged.cause.contains("another site"), "{}", flagged.cause);
        assert!(cross_site(&parts(&[("origin", "https://api.example.com")])).is_none());
        assert!(cross_site(&parts(&[])).is_none());
    }
}
