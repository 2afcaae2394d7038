//! The handshake: when a browser is sent to the Frontend API to refresh its cookies, the
//! redirect there, the loop guard, and the way back (`__clerk_handshake` /
//! `__clerk_handshake_nonce` turned into `Set-Cookie` lines).

use http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue};
use serde_json::Value;
use url::Url;

use super::context::Context;
use super::names::{HANDSHAKE_API_VERSION, cookie as cookie_name, query};
use super::{AuthErrorReason, AuthReason, RequestState, SignedIn};
use crate::verify::{
    CATEGORY_IGNORE, CATEGORY_SESSION, Reason, VerifyError, decode_unverified, verify_clerk_jws,
};

/// How many handshakes in a row end the loop (Clerk compares the count with exactly 3).
const LOOP_LIMIT: f64 = 3.0;

/// Why a handshake return could not be used.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// The handshake token failed verification (`token-invalid`, `token-invalid-signature`, …).
    #[error("Clerk: Handshake token verification failed: {0}")]
    Token(VerifyError),
    /// The handshake token is signed by the instance key but is not of the session category:
    /// a JWT-template token must never set cookies (Clerk advisory AISEC-85).
    #[error(
        "Invalid handshake token category: expected the session category (cat {CATEGORY_SESSION}) or none, found cat {found:?}"
    )]
    Category {
        /// The `cat` header found.
        found: String,
    },
    /// The session token the handshake set did not verify.
    #[error("Clerk: the session token set by the handshake did not verify: {0}")]
    Session(VerifyError),
}

impl HandshakeError {
    /// The token reason behind it (Clerk reports a wrong category as `token-invalid`).
    pub fn reason(&self) -> Reason {
        match self {
            Self::Token(e) | Self::Session(e) => e.reason(),
            Self::Category { .. } => Reason::TokenInvalid,
        }
    }
}

/// Clerk's `isRequestEligibleForHandshake`: a GET that is probably a document.
pub(crate) fn eligible(ctx: &Context<'_>) -> bool {
    eligible_request(ctx.is_get, ctx.sec_fetch_dest, ctx.accept)
}

/// The rule itself: `GET`, and `Sec-Fetch-Dest: document` or `iframe`, or no `Sec-Fetch-Dest`
/// and an `Accept` starting with `text/html`.
pub(crate) fn eligible_request(is_get: bool, dest: Option<&str>, accept: Option<&str>) -> bool {
    if !is_get {
        return false;
    }
    match dest {
        Some("document") | Some("iframe") => true,
        Some(_) => false,
        None => accept.is_some_and(|a| a.starts_with("text/html")),
    }
}

/// Clerk's `buildRedirectToHandshake`: `Location: <FAPI>/v1/client/handshake?redirect_url=…`.
pub(crate) fn redirect(ctx: &Context<'_>, reason: AuthReason) -> HeaderMap {
    let mut back = ctx.url.clone();
    remove_query(&mut back, &[query::DEV_BROWSER, query::LEGACY_DEV_BROWSER]);
    let base = if ctx.frontend_api.starts_with("http") {
        ctx.frontend_api.clone()
    } else {
        format!("https://{}", ctx.frontend_api)
    };
    let base = format!("{}/", base.trim_end_matches('/'));
    let mut headers = HeaderMap::new();
    let Ok(mut url) = Url::parse(&base).and_then(|b| b.join("v1/client/handshake")) else {
        return headers;
    };
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("redirect_url", back.as_str());
        q.append_pair(query::API_VERSION, HANDSHAKE_API_VERSION);
        q.append_pair(
            query::SUFFIXED_COOKIES,
            if ctx.uses_suffixed_cookies {
                "true"
            } else {
                "false"
            },
        );
        q.append_pair(query::HANDSHAKE_REASON, reason.as_str());
        q.append_pair(query::HANDSHAKE_FORMAT, "nonce");
        if let Some(token) = ctx.session_token() {
            q.append_pair(query::SESSION, token);
        }
        if ctx.is_development()
            && let Some(db) = &ctx.dev_browser
        {
            q.append_pair(query::DEV_BROWSER, db);
        }
        // Whatever the reason, a path that names an organization (or the personal account).
        if let Some(target) = ctx.options.org_sync.find_target(ctx.url.path()) {
            q.append_pair(query::ORGANIZATION_ID, target.query_value());
        }
    }
    if let Ok(value) = HeaderValue::from_str(url.as_str()) {
        headers.insert(LOCATION, value);
    }
    headers
}

/// Clerk's `checkAndTrackRedirectLoop`: `true` when this is the third handshake in a row;
/// otherwise counts this one in a short-lived cookie.
pub(crate) fn track_loop(ctx: &Context<'_>, headers: &mut HeaderMap) -> bool {
    if ctx.redirect_count == LOOP_LIMIT {
        return true;
    }
    let next = js_number_text(ctx.redirect_count + 1.0);
    let line = format!(
        "{}={next}; SameSite=Lax; HttpOnly; Max-Age=2",
        cookie_name::REDIRECT_COUNT
    );
    if let Ok(value) = HeaderValue::from_str(&line) {
        headers.append(SET_COOKIE, value);
    }
    false
}

/// A number as JavaScript prints it (integers without a fraction).
fn js_number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Rewrites the query the way `URLSearchParams` does: every change reserializes the whole
/// query (`a=b%20c` becomes `a=b+c`), and an empty query leaves no `?`.
pub(crate) fn rewrite_query(url: &mut Url, change: impl FnOnce(&mut Vec<(String, String)>)) {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    change(&mut pairs);
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
}

/// Removes every pair named in `names` (`URLSearchParams.delete`).
pub(crate) fn remove_query(url: &mut Url, names: &[&str]) {
    rewrite_query(url, |pairs| {
        pairs.retain(|(k, _)| !names.contains(&k.as_str()))
    });
}

/// `URLSearchParams.set`: the first pair named `name` takes `value`, the others go; appended
/// when there is none.
pub(crate) fn set_query(pairs: &mut Vec<(String, String)>, name: &str, value: &str) {
    match pairs.iter().position(|(k, _)| k == name) {
        Some(first) => {
            pairs[first].1 = value.to_owned();
            let mut index = 0;
            pairs.retain(|(k, _)| {
                let keep = index <= first || k != name;
                index += 1;
                keep
            });
        }
        None => pairs.push((name.to_owned(), value.to_owned())),
    }
}

/// The cookie name of a `Set-Cookie` line (Clerk's `getCookieName`).
pub fn set_cookie_name(line: &str) -> &str {
    let first = line.split(';').next().unwrap_or_default();
    first.split('=').next().unwrap_or_default()
}

/// The cookie value of a `Set-Cookie` line (Clerk's `getCookieValue`: up to the next `=`).
pub fn set_cookie_value(line: &str) -> &str {
    let first = line.split(';').next().unwrap_or_default();
    first.split('=').nth(1).unwrap_or_default()
}

/// Verifies a handshake token the way Clerk's `verifyHandshakeToken` does (the instance key for
/// its `kid`, then `typ`, `alg` and the signature; no time checks), and ours: the session
/// category or none. Returns its `Set-Cookie` lines.
pub async fn verify_handshake_token(
    token: &str,
    verifier: &crate::Verifier,
) -> Result<Vec<String>, HandshakeError> {
    let decoded = decode_unverified(token).map_err(HandshakeError::Token)?;
    let header = &decoded.header;
    match header.get("cat") {
        None => {}
        Some(Value::String(c)) if c == CATEGORY_SESSION || c == CATEGORY_IGNORE => {}
        Some(other) => {
            let found = other
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| other.to_string());
            return Err(HandshakeError::Category { found });
        }
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let key = verifier.key_for(kid).await.map_err(HandshakeError::Token)?;
    // `typ`, `alg` and the signature, after the key as in Clerk's `verifyHandshakeJwt`, by the
    // one header policy.
    let jws = verify_clerk_jws(token, &key).map_err(HandshakeError::Token)?;
    // Like Clerk: a payload without a `handshake` array sets no cookies.
    let payload: Value = serde_json::from_slice(&jws.payload).unwrap_or(Value::Null);
    Ok(payload
        .get("handshake")
        .and_then(Value::as_array)
        .map(|lines| {
            lines
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

/// Clerk's `resolveHandshake`: the cookies of the handshake return, then signed in with the
/// session token they set, or, when they set none (Clerk's signed out with
/// `session-token-missing`), a [`RequestState::Handshake`] that sets them and reloads.
///
/// Development instances reload the URL without the handshake parameters in either case, as
/// Clerk does. A return that signs out reloads it on production instances too: its
/// `Set-Cookie` lines must reach the browser, and a redirect is the one answer every adapter
/// sends as it is.
pub(crate) async fn resolve(ctx: &Context<'_>) -> Result<RequestState, HandshakeError> {
    let mut headers = HeaderMap::new();
    headers.insert(
        "access-control-allow-origin",
        HeaderValue::from_static("null"),
    );
    headers.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    // Why a nonce gave no cookies, for `x-clerk-auth-message`.
    let mut why = String::new();
    let lines = if let Some(nonce) = &ctx.handshake_nonce {
        nonce_payload(ctx, nonce).await.unwrap_or_else(|e| {
            why = e;
            Vec::new()
        })
    } else if let Some(token) = &ctx.handshake_token {
        verify_handshake_token(token, &ctx.options.verifier).await?
    } else {
        Vec::new()
    };
    let mut session_token = String::new();
    for line in &lines {
        let Ok(value) = HeaderValue::from_str(line) else {
            continue;
        };
        headers.append(SET_COOKIE, value);
        if set_cookie_name(line).starts_with(cookie_name::SESSION) {
            set_cookie_value(line).clone_into(&mut session_token);
        }
    }
    let signed_out = session_token.is_empty();
    if ctx.is_development() || signed_out {
        let mut clean = ctx.url.clone();
        remove_query(
            &mut clean,
            &[
                query::HANDSHAKE,
                query::HANDSHAKE_HELP,
                query::DEV_BROWSER,
                query::HANDSHAKE_NONCE,
            ],
        );
        if let Ok(value) = HeaderValue::from_str(clean.as_str()) {
            headers.append(LOCATION, value);
        }
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if signed_out {
        return Ok(RequestState::handshake(
            AuthErrorReason::SessionTokenMissing.into(),
            &why,
            headers,
        ));
    }
    match ctx.options.verifier.verify_session(&session_token).await {
        Ok(session) => Ok(RequestState::SignedIn(Box::new(SignedIn {
            session,
            token: session_token,
            headers,
        }))),
        Err(e) => Err(HandshakeError::Session(e)),
    }
}

/// The `Set-Cookie` lines behind a nonce, from the Backend API
/// (`GET /v1/clients/handshake_payload`), within the bounds of [`super::nonce`]. Like Clerk, no
/// Backend API client gives no cookies; a refused or failed exchange gives none either, and
/// says why.
async fn nonce_payload(ctx: &Context<'_>, nonce: &str) -> Result<Vec<String>, String> {
    #[cfg(feature = "remote")]
    {
        match &ctx.options.api {
            Some(api) => {
                ctx.options
                    .nonce_gate
                    .exchange(api, nonce, &ctx.options.clock)
                    .await
            }
            None => Ok(Vec::new()),
        }
    }
    #[cfg(not(feature = "remote"))]
    {
        let _ = (ctx, nonce);
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_change_reserializes_the_query_as_url_search_params_does() {
        let mut url = Url::parse("https://a.example/p?x=a%20b&__clerk_db_jwt=d").expect("URL");
        remove_query(&mut url, &[query::DEV_BROWSER]);
        assert_eq!(url.as_str(), "https://a.example/p?x=a+b");
        remove_query(&mut url, &["x"]);
        assert_eq!(url.as_str(), "https://a.example/p");
    }

    #[test]
    fn set_keeps_the_first_pair_and_drops_the_others() {
        let mut pairs = vec![
            ("s".to_owned(), "false".to_owned()),
            ("a".to_owned(), "1".to_owned()),
            ("s".to_owned(), "x".to_owned()),
        ];
        set_query(&mut pairs, "s", "true");
        assert_eq!(
            pairs,
            vec![
                ("s".to_owned(), "true".to_owned()),
                ("a".to_owned(), "1".to_owned())
            ]
        );
        set_query(&mut pairs, "n", "1");
        assert_eq!(pairs.last(), Some(&("n".to_owned(), "1".to_owned())));
    }

    #[test]
    fn set_cookie_lines_are_read_as_clerk_reads_them() {
        let line = "__session_Ab=ey.J.x; Path=/; SameSite=Lax";
        assert_eq!(set_cookie_name(line), "__session_Ab");
        assert_eq!(set_cookie_value(line), "ey.J.x");
        assert_eq!(set_cookie_value("__client_uat=0"), "0");
        assert_eq!(set_cookie_value("broken"), "");
    }

    #[test]
    fn the_redirect_count_is_printed_as_javascript_prints_numbers() {
        assert_eq!(js_number_text(1.0), "1");
        assert_eq!(js_number_text(3.5), "3.5");
    }
}
