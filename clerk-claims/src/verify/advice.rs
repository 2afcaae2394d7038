//! The cause of a rejected token and the fix, in words a developer can act on: one copy of
//! each piece of advice, used by `clerk-claims token inspect`, `request inspect` and `doctor`.
//!
//! The cause looks past Clerk's reason code: a token of another instance is named that first,
//! whatever the reason; a token rejected for its time while the Backend API's time (or the time
//! it was minted) says it is fresh is this machine's clock being off.
//!
//! ```
//! use clerk_claims::verify::advice::{TokenContext, diagnose};
//! use clerk_claims::verify::{TokenKind, VerifyError};
//! use serde_json::json;
//!
//! // A token minted at 1000 (the Backend API's time), checked on a machine whose clock says 1180.
//! let claims = json!({"iss": "https://a.clerk.accounts.dev", "iat": 1000, "exp": 1060});
//! let error = VerifyError::Expired { exp: 1060.0, now: 1180, skew_ms: 5000 };
//! let advice = diagnose(
//!     &error,
//!     &TokenContext::new(TokenKind::Session, 1180)
//!         .claims(claims.as_object())
//!         .server_time(Some(1000)),
//! );
//! assert!(advice.cause.contains("this machine's clock is ahead by about 180 s"), "{}", advice.cause);
//! assert!(advice.fix.contains("NTP"));
//! ```

use serde::Serialize;
use serde_json::{Map, Value};

use super::{TokenKind, VerifyError};

/// What is wrong and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// Why it happened, with the values that show it.
    pub cause: String,
    /// What to change.
    pub fix: String,
}

impl Diagnosis {
    fn new(cause: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            cause: cause.into(),
            fix: fix.into(),
        }
    }
}

/// What [`diagnose`] knows besides the error: the expected kind, the configured issuer, the
/// token's claims (decoded without verifying), this machine's time and, when known, a trusted
/// time (the Backend API's `Date` header, or when the caller minted the token).
#[derive(Debug, Clone, Copy)]
pub struct TokenContext<'a> {
    kind: TokenKind,
    now: i64,
    issuer: Option<&'a str>,
    claims: Option<&'a Map<String, Value>>,
    server_time: Option<i64>,
    template: Option<&'a str>,
}

impl<'a> TokenContext<'a> {
    /// A token of `kind` checked at `now` (Unix seconds, this machine's or the verifier's clock).
    pub fn new(kind: TokenKind, now: i64) -> Self {
        Self {
            kind,
            now,
            issuer: None,
            claims: None,
            server_time: None,
            template: None,
        }
    }

    /// The configured instance's issuer (`https://<frontend api>`).
    pub fn issuer(mut self, issuer: Option<&'a str>) -> Self {
        self.issuer = issuer;
        self
    }

    /// The token's claims, decoded without verifying.
    pub fn claims(mut self, claims: Option<&'a Map<String, Value>>) -> Self {
        self.claims = claims;
        self
    }

    /// A trusted time (Unix seconds): the Backend API's `Date` header, or when the token was
    /// minted.
    pub fn server_time(mut self, server_time: Option<i64>) -> Self {
        self.server_time = server_time;
        self
    }

    /// The JWT template the token should come from, for the advice that names it.
    pub fn template(mut self, template: Option<&'a str>) -> Self {
        self.template = template;
        self
    }

    /// A claim of the token, when its claims are known.
    pub fn claim(&self, name: &str) -> Option<&'a Value> {
        self.claims?.get(name)
    }

    fn str_claim(&self, name: &str) -> Option<&'a str> {
        self.claims?.get(name)?.as_str()
    }

    fn time_claim(&self, name: &str) -> Option<i64> {
        seconds(self.claims?.get(name)?)
    }
}

/// A NumericDate as whole seconds (a fractional one truncated, as the verifier reads it).
fn seconds(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
}

/// The gap between this machine's clock and a trusted time that counts as "off": more than
/// Clerk's default clock skew.
const CLOCK_TOLERANCE_S: i64 = super::DEFAULT_CLOCK_SKEW.as_secs() as i64;

/// How long before `exp` the template-token cache
/// ([`TemplateTokens`](crate::api::TemplateTokens), feature `remote`) refreshes a token.
const REFRESH_MARGIN_S: i64 = 10;

/// `https://a.example/` and `https://a.example` name one issuer.
fn same_issuer(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// The advice when a token's `iss` is not the configured instance's, `None` when it is.
///
/// ```
/// use clerk_claims::verify::advice::foreign_issuer;
///
/// let advice = foreign_issuer("https://a.clerk.accounts.dev", "https://b.clerk.accounts.dev").unwrap();
/// assert!(advice.cause.starts_with("this token was issued by https://b.clerk.accounts.dev, not your instance https://a.clerk.accounts.dev"));
/// assert!(foreign_issuer("https://a.clerk.accounts.dev", "https://a.clerk.accounts.dev/").is_none());
/// ```
pub fn foreign_issuer(configured: &str, found: &str) -> Option<Diagnosis> {
    foreign_named(
        "this token",
        "so this instance's keys cannot accept it",
        configured,
        found,
    )
}

/// [`foreign_issuer`] for a named carrier (`this __session cookie`) and what follows from it.
pub(crate) fn foreign_named(
    what: &str,
    consequence: &str,
    configured: &str,
    found: &str,
) -> Option<Diagnosis> {
    (!same_issuer(configured, found)).then(|| {
        Diagnosis::new(
            format!(
                "{what} was issued by {found}, not your instance {configured}: another Clerk \
                 instance signed it, {consequence}"
            ),
            format!(
                "sign in again on the app that uses {configured} (a cookie or token of the other \
                 instance stays in the browser until then), or use the keys of one instance: \
                 CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY and CLERK_JWT_KEY all from Dashboard → \
                 API keys of the instance your frontend signs in with"
            ),
        )
    })
}

/// The advice when the Backend API refuses the secret key that is set: a typo, a rotated key
/// or another instance's key. One copy for `token inspect` and `doctor`.
pub fn secret_key_refused(api_url: &str) -> Diagnosis {
    Diagnosis::new(
        format!(
            "{api_url} refused CLERK_SECRET_KEY: it is set, but it is no secret key of that \
             instance (a typo, a rotated key, or another instance's key)"
        ),
        "copy CLERK_SECRET_KEY again from Dashboard → API keys (of the instance you mean), and \
         check CLERK_API_URL points at that instance's Backend API",
    )
}

/// This machine's clock minus a trusted time, when they differ by more than Clerk's 5 s skew.
///
/// ```
/// use clerk_claims::verify::advice::clock_offset;
///
/// assert_eq!(clock_offset(1180, Some(1000)), Some(180));
/// assert_eq!(clock_offset(1002, Some(1000)), None);
/// assert_eq!(clock_offset(1180, None), None);
/// ```
pub fn clock_offset(now: i64, server_time: Option<i64>) -> Option<i64> {
    let offset = now.saturating_sub(server_time?);
    (offset.abs() > CLOCK_TOLERANCE_S).then_some(offset)
}

/// The advice when this machine's clock differs from a trusted time by more than Clerk's 5 s
/// skew: the direction, the offset, and NTP. `None` when it does not (or no time is known).
pub fn clock(now: i64, server_time: Option<i64>) -> Option<Diagnosis> {
    let offset = clock_offset(now, server_time)?;
    Some(Diagnosis::new(
        clock_cause(
            offset,
            &format!(
                "the Backend API's time is {}",
                server_time.unwrap_or_default()
            ),
        ),
        CLOCK_FIX,
    ))
}

fn clock_cause(offset: i64, source: &str) -> String {
    let direction = if offset > 0 { "ahead" } else { "behind" };
    format!(
        "this machine's clock is {direction} by about {} s ({source}), so a token minted moments \
         ago looks {}",
        offset.unsigned_abs(),
        if offset > 0 {
            "expired"
        } else {
            "not valid yet"
        }
    )
}

const CLOCK_FIX: &str = "sync this machine's clock (NTP: `timedatectl set-ntp true`, or \
     `chronyc makestep`); Clerk's tokens live 60 s and are checked with 5 s of skew, so a clock \
     off by more than that rejects fresh tokens";

/// The cause and the fix for a rejected token.
///
/// In this order: a token of another instance (its `iss` is not the configured issuer) is
/// named that first; a time rejection while a trusted time shows this machine's clock off
/// names the clock and its offset; an `nbf`/`iat` in the future names the clock; an expired
/// token names its own lifetime and how to refresh its kind; otherwise the reason's advice.
pub fn diagnose(error: &VerifyError, ctx: &TokenContext<'_>) -> Diagnosis {
    if let (Some(configured), Some(found)) = (ctx.issuer, ctx.str_claim("iss"))
        && let Some(foreign) = foreign_issuer(configured, found)
    {
        return foreign;
    }
    match error {
        VerifyError::Expired { .. }
        | VerifyError::NotActiveYet { .. }
        | VerifyError::IssuedInFuture { .. } => time_advice(error, ctx),
        VerifyError::SecretKeyInvalid { url, .. } => secret_key_refused(url),
        VerifyError::TypeMismatch { expected, .. } => type_mismatch(*expected, ctx),
        VerifyError::Issuer { expected, found } => {
            foreign_issuer(expected, found).unwrap_or_else(|| fallback(error))
        }
        VerifyError::AuthorizedParty { expected, found } => match found {
            Some(azp) => Diagnosis::new(
                format!(
                    "the token was requested from {azp} (its azp), which is not one of the \
                     authorized parties {expected:?}"
                ),
                format!(
                    "add {azp} (scheme, host and port, no path) to the authorized parties if that \
                     origin is yours"
                ),
            ),
            None => Diagnosis::new(
                "the token has no azp: it was minted through the Backend API, or by a native \
                 app whose requests carry no Origin, and authorized parties are configured \
                 (Clerk's verifyToken requires azp then too)",
                "send a token the browser got from your app's origin, or verify tokens of \
                 Origin-less callers with a verifier without authorized parties",
            ),
        },
        VerifyError::Signature | VerifyError::KidMismatch { .. } => Diagnosis::new(
            match ctx.str_claim("iss") {
                Some(iss) => format!(
                    "no key of the configured instance verifies this token of {iss}: it was \
                     signed with a key this instance does not publish, or it was altered"
                ),
                None => "no key of the configured instance verifies this token: it comes from \
                         another instance, or it was altered"
                    .to_owned(),
            },
            "verify with the keys of the instance that issued it (its \
             /.well-known/jwks.json, or CLERK_SECRET_KEY of that instance), and check the \
             token was copied whole",
        ),
        VerifyError::RemoteFailed { url, detail } => Diagnosis::new(
            format!("the keys could not be fetched from {url}: {detail}"),
            if is_loopback_https(url) {
                "a local fake Clerk (clerk-claims dev) serves plain http, while a publishable key \
                 names an https Frontend API: export all the lines `clerk-claims dev` prints \
                 (CLERK_SECRET_KEY and CLERK_API_URL fetch keys from ${CLERK_API_URL}/v1/jwks), \
                 or pass --jwks-url http://…/.well-known/jwks.json"
            } else {
                "check that this machine reaches that URL (network, proxy, DNS) and that the \
                 publishable key or CLERK_API_URL is right; the token itself may be fine: retry"
            },
        ),
        _ => fallback(error),
    }
}

/// An https URL on a loopback host: what a publishable key of `clerk-claims dev` names.
fn is_loopback_https(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .any(|host| rest.starts_with(host))
    })
}

fn fallback(error: &VerifyError) -> Diagnosis {
    Diagnosis::new(error.to_string(), error.action())
}

fn time_advice(error: &VerifyError, ctx: &TokenContext<'_>) -> Diagnosis {
    if let Some(offset) = clock_offset(ctx.now, ctx.server_time) {
        let source = format!(
            "a trusted time, the Backend API's or the minting's, says {}",
            ctx.server_time.unwrap_or_default()
        );
        // A fresh token: issued close to the trusted time.
        let fresh = match (ctx.time_claim("iat"), ctx.server_time) {
            (Some(iat), Some(server)) => (server - iat).abs() <= 60,
            _ => true,
        };
        if fresh {
            return Diagnosis::new(clock_cause(offset, &source), CLOCK_FIX);
        }
    }
    match error {
        VerifyError::NotActiveYet { nbf, now } | VerifyError::IssuedInFuture { iat: nbf, now } => {
            let ahead = (*nbf as i64).saturating_sub(*now);
            Diagnosis::new(
                format!(
                    "the token is valid only {ahead} s from now by this machine's clock: Clerk \
                     never issues tokens for later, so this machine's clock is behind by at \
                     least {ahead} s"
                ),
                CLOCK_FIX,
            )
        }
        _ => expired_advice(ctx),
    }
}

/// The refresh advice for `kind`: how that kind of token is fetched again.
fn refresh_fix(kind: TokenKind, template: Option<&str>) -> String {
    match kind {
        TokenKind::Session => "get a fresh session token right before each request (`await \
             getToken()`; Clerk's frontend refreshes it about every 50 s, and a page load gets \
             a fresh cookie through the handshake); never store one"
            .to_owned(),
        TokenKind::Template => format!(
            "fetch a new one with `getToken({{ template: \"{}\" }})` before it expires; on a \
             server, clerk_claims::api::TemplateTokens caches template tokens and refreshes \
             them {REFRESH_MARGIN_S} s before exp",
            template.unwrap_or("<name>")
        ),
    }
}

fn lifetime_words(ctx: &TokenContext<'_>) -> String {
    match (ctx.time_claim("iat"), ctx.time_claim("exp")) {
        (Some(iat), Some(exp)) => format!(" lives {} s (exp - iat) and", exp.saturating_sub(iat)),
        _ => String::new(),
    }
}

fn expired_advice(ctx: &TokenContext<'_>) -> Diagnosis {
    let ago = ctx
        .time_claim("exp")
        .map(|exp| format!(" {} s ago", ctx.now.saturating_sub(exp)))
        .unwrap_or_default();
    let mut fix = refresh_fix(ctx.kind, ctx.template);
    match (ctx.server_time, ctx.time_claim("iat")) {
        // The clock agrees with the trusted time (time_advice found no offset): the token is
        // old.
        (Some(_), _) => fix.push_str(
            ". This machine's clock agrees with the Backend API's: the token itself is old",
        ),
        (None, Some(iat)) => fix.push_str(&format!(
            ". If you got it moments ago, this machine's clock is ahead by about {} s: sync it \
             (NTP)",
            ctx.now.saturating_sub(iat)
        )),
        (None, None) => {}
    }
    Diagnosis::new(
        format!(
            "this {} token{} expired{ago}",
            ctx.kind,
            lifetime_words(ctx)
        ),
        fix,
    )
}

fn type_mismatch(expected: TokenKind, ctx: &TokenContext<'_>) -> Diagnosis {
    match expected {
        TokenKind::Template => Diagnosis::new(
            "this is a session token (`getToken()`, the __session cookie), checked as a \
             JWT-template token: it carries Clerk's session claims and those of \"Customize \
             session token\", never a JWT template's claims, so the template's custom claims \
             are undefined",
            format!(
                "template claims come only with `getToken({{ template: \"{}\" }})`; claims every \
                 request needs belong in Dashboard → Sessions → Customize session token (then \
                 check the session token, without --template)",
                ctx.template.unwrap_or("<name>")
            ),
        ),
        TokenKind::Session => Diagnosis::new(
            "this is a JWT-template token (`getToken({ template })`), checked as a session token",
            "send the session token (`getToken()` without a template) where a session token \
             belongs, or verify template tokens as template tokens (--template)",
        ),
    }
}

/// Advice for a token that verifies but expires within the template-token cache's refresh
/// margin (10 s): its lifetime and how to refresh its kind. `None` with more time left (or
/// already expired).
///
/// ```
/// use clerk_claims::verify::TokenKind;
/// use clerk_claims::verify::advice::expiring_soon;
/// use serde_json::json;
///
/// let claims = json!({"iat": 1000, "exp": 1060});
/// let soon = expiring_soon(TokenKind::Session, claims.as_object().unwrap(), 1055, None).unwrap();
/// assert!(soon.cause.contains("expires in 5 s"), "{}", soon.cause);
/// assert!(expiring_soon(TokenKind::Session, claims.as_object().unwrap(), 1000, None).is_none());
/// ```
pub fn expiring_soon(
    kind: TokenKind,
    claims: &Map<String, Value>,
    now: i64,
    template: Option<&str>,
) -> Option<Diagnosis> {
    let ctx = TokenContext::new(kind, now).claims(Some(claims));
    let left = ctx.time_claim("exp")?.saturating_sub(now);
    (left > 0 && left <= REFRESH_MARGIN_S).then(|| {
        Diagnosis::new(
            format!(
                "this {kind} token{} expires in {left} s: a request made with it now may arrive \
                 after exp",
                lifetime_words(&ctx)
            ),
            refresh_fix(kind, template),
        )
    })
}

/// Advice for a token that verifies but was issued before its JWT template was last changed:
/// it carries the template's old claims. `None` when it was issued after.
///
/// ```
/// use clerk_claims::verify::advice::issued_before_template_update;
///
/// let advice = issued_before_template_update("api", 1000, 1030).unwrap();
/// assert!(advice.cause.contains("before template `api` was updated at 1030"));
/// assert!(issued_before_template_update("api", 1030, 1000).is_none());
/// ```
pub fn issued_before_template_update(
    template: &str,
    iat: i64,
    updated_at: i64,
) -> Option<Diagnosis> {
    (iat < updated_at).then(|| {
        Diagnosis::new(
            format!(
                "this token was issued at {iat}, before template `{template}` was updated at \
                 {updated_at} (Unix seconds): it carries the template's old claims, so a claim \
                 added since is undefined"
            ),
            format!(
                "fetch a new token (`getToken({{ template: \"{template}\" }})`; a cache of \
                 template tokens keeps serving old ones until they expire)"
            ),
        )
    })
}

/// Advice for a token whose session is no longer active by the Backend API (`revoked`,
/// `ended`, …) although the token says it was when issued: the token verifies until `exp`.
///
/// ```
/// use clerk_claims::verify::advice::session_not_active;
///
/// let advice = session_not_active("sess_1", "revoked");
/// assert!(advice.cause.starts_with("session sess_1 is revoked now"));
/// ```
pub fn session_not_active(session_id: &str, status: &str) -> Diagnosis {
    Diagnosis::new(
        format!(
            "session {session_id} is {status} now (Backend API), though the token says it was \
             active when issued: its tokens keep verifying until exp unless the verifier checks \
             revocations"
        ),
        "sign in again (or switch to an active session) for a token of an active session; to \
         refuse tokens of ended sessions before exp, give the verifier a RevocationCheck \
         (clerk_claims::revocation)",
    )
}

/// One warning per claim a template renders as `null` for this user: the shortcode reads a
/// field the user has not set (`user.public_metadata.plan`), so the claim is `null` in the
/// token and `undefined`-like in the app. `template` is the template's claims, `rendered`
/// their value for the user (or a minted token's claims); pointers are JSON pointers.
///
/// ```
/// use clerk_claims::verify::advice::null_claims;
/// use serde_json::json;
///
/// let template = json!({"plan": "{{user.public_metadata.plan}}", "tier": "{{user.public_metadata.plan || 'free'}}"});
/// let rendered = json!({"plan": null, "tier": "free"});
/// let warnings = null_claims(&template, &rendered);
/// assert_eq!(warnings.len(), 1);
/// assert_eq!(warnings[0].0, "/plan");
/// assert!(warnings[0].1.cause.contains("null for this user"));
/// ```
pub fn null_claims(template: &Value, rendered: &Value) -> Vec<(String, Diagnosis)> {
    let mut out = Vec::new();
    walk_nulls(template, rendered, "", &mut out);
    out
}

fn walk_nulls(
    template: &Value,
    rendered: &Value,
    pointer: &str,
    out: &mut Vec<(String, Diagnosis)>,
) {
    match (template, rendered) {
        (Value::Object(t), Value::Object(r)) => {
            for (key, tv) in t {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let path = format!("{pointer}/{escaped}");
                match r.get(key) {
                    Some(rv) => walk_nulls(tv, rv, &path, out),
                    None => walk_nulls(tv, &Value::Null, &path, out),
                }
            }
        }
        (Value::String(shortcode), Value::Null) if shortcode.contains("{{") => {
            out.push((
                pointer.to_owned(),
                Diagnosis::new(
                    format!(
                        "claim `{pointer}` is null for this user: `{shortcode}` reads a field this \
                         user has not set, so the app sees null (or undefined)"
                    ),
                    "set the field for the user (Dashboard → Users → metadata, or the Backend \
                     API), or give the shortcode a fallback: `{{user.public_metadata.plan || \
                     'free'}}`",
                ),
            ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_unreachable_over_https_on_loopback_point_at_the_printed_environment() {
        let claims = serde_json::json!({"iat": 1000, "exp": 1060});
        let ctx = TokenContext::new(TokenKind::Session, 1010).claims(claims.as_object());
        let local = VerifyError::RemoteFailed {
            url: "https://127.0.0.1:3210/.well-known/jwks.json".to_owned(),
            detail: "invalid peer certificate".to_owned(),
        };
        let d = diagnose(&local, &ctx);
        assert!(d.cause.contains("https://127.0.0.1:3210"), "{}", d.cause);
        assert!(
            d.fix.contains("CLERK_API_URL") && d.fix.contains("--jwks-url"),
            "{}",
            d.fix
        );
        assert!(!d.fix.contains("support@clerk.com"), "{}", d.fix);
        let remote = VerifyError::RemoteFailed {
            url: "https://clean-mayfly-62.clerk.accounts.dev/.well-known/jwks.json".to_owned(),
            detail: "timed out".to_owned(),
        };
        let d = diagnose(&remote, &ctx);
        assert!(d.fix.contains("reaches that URL"), "{}", d.fix);
    }

    #[test]
    fn an_old_token_on_a_clock_that_agrees_with_the_backend_api_is_old_not_the_clock() {
        let claims = serde_json::json!({"iat": 1000, "exp": 1060});
        let error = VerifyError::Expired {
            exp: 1060.0,
            now: 5000,
            skew_ms: 5000,
        };
        let ctx = TokenContext::new(TokenKind::Session, 5000)
            .claims(claims.as_object())
            .server_time(Some(5001));
        let advice = diagnose(&error, &ctx);
        assert!(
            advice
                .cause
                .contains("lives 60 s (exp - iat) and expired 3940 s ago"),
            "{advice:?}"
        );
        assert!(advice.fix.contains("the token itself is old"), "{advice:?}");
        assert!(!advice.cause.contains("clock"), "{advice:?}");
    }

    #[cfg(feature = "remote")]
    #[test]
    fn the_refresh_margin_named_is_the_template_token_caches() {
        let cache = crate::api::DEFAULT_REFRESH_MARGIN.as_secs();
        assert_eq!(u64::try_from(super::REFRESH_MARGIN_S).ok(), Some(cache));
    }
}
