//! What one request says, read the way Clerk's `AuthenticateContext` and `ClerkRequest` read
//! it: the URL behind proxies, the token in the header, the cookies (suffixed or not), the dev
//! browser, the handshake return and the redirect count.

use http::request::Parts;
use serde_json::{Map, Value};
use url::Url;

use super::RequestOptions;
use super::names::{cookie as cookie_name, header, query};
use crate::verify::{Unverified, VerifyError, decode_unverified};

/// One request, read once.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub options: &'a RequestOptions,
    pub is_get: bool,
    /// Clerk's `clerkUrl`: the request URL with `X-Forwarded-Host`/`-Proto` applied.
    pub url: Url,
    pub origin: Option<&'a str>,
    pub referrer: Option<&'a str>,
    pub sec_fetch_dest: Option<&'a str>,
    pub accept: Option<&'a str>,
    /// The `Authorization` header's token, the header read as JavaScript reads it (bytes
    /// beyond ASCII are Latin-1 characters: Clerk sees such a header, and so do we).
    pub token_in_header: Option<String>,
    cookies: String,
    suffix: &'a str,
    pub uses_suffixed_cookies: bool,
    pub session_token_in_cookie: Option<String>,
    /// The cookie's token decoded without checks (once: every pre-verification decision reads
    /// it).
    pub session_decoded: Option<Result<Unverified, VerifyError>>,
    pub refresh_token_in_cookie: Option<String>,
    pub client_uat: i64,
    pub dev_browser: Option<String>,
    pub handshake_token: Option<String>,
    pub handshake_nonce: Option<String>,
    pub redirect_count: f64,
    /// The Frontend API as the browser reaches it: the proxy URL, `clerk.<domain>` for a
    /// production satellite, else the publishable key's host.
    pub frontend_api: String,
    /// The publishable key's host (the issuer's).
    pub original_frontend_api: String,
    pub now: i64,
}

impl<'a> Context<'a> {
    pub fn new(parts: &'a Parts, options: &'a RequestOptions) -> Self {
        let get = |name: &str| header_text(parts, name);
        let url = request_url(parts, options);
        let origin_of_url = url.origin().ascii_serialization();
        // Several `Cookie` headers (HTTP/2) are one list.
        let cookies = parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("; ");
        let proxy_url = options.proxy_url.as_ref().map(|p| {
            if p.starts_with('/') {
                format!("{origin_of_url}{p}")
            } else {
                p.clone()
            }
        });
        let pk = &options.publishable_key;
        let original_frontend_api = pk.frontend_api().to_owned();
        let frontend_api = match (&proxy_url, &options.domain) {
            (Some(proxy), _) => proxy.clone(),
            (None, Some(domain)) if pk.is_live() && options.satellite => format!("clerk.{domain}"),
            _ => original_frontend_api.clone(),
        };
        let mut ctx = Context {
            options,
            is_get: parts.method == http::Method::GET,
            url,
            origin: get(header::ORIGIN),
            referrer: get(header::REFERER),
            sec_fetch_dest: get(header::SEC_FETCH_DEST),
            accept: get(header::ACCEPT),
            token_in_header: parts
                .headers
                .get(header::AUTHORIZATION)
                .map(|v| crate::source::header_latin1(v.as_bytes()))
                .and_then(|v| parse_authorization(&v).map(str::to_owned)),
            cookies,
            suffix: &options.cookie_suffix,
            uses_suffixed_cookies: false,
            session_token_in_cookie: None,
            session_decoded: None,
            refresh_token_in_cookie: None,
            client_uat: 0,
            dev_browser: None,
            handshake_token: None,
            handshake_nonce: None,
            redirect_count: 0.0,
            frontend_api,
            original_frontend_api,
            now: options.clock.now(),
        };
        let plain = ctx.cookie(cookie_name::SESSION).map(decode_unverified);
        let suffixed = ctx
            .suffixed_cookie(cookie_name::SESSION)
            .map(decode_unverified);
        ctx.uses_suffixed_cookies =
            ctx.compute_uses_suffixed_cookies(payload(plain.as_ref()), payload(suffixed.as_ref()));
        ctx.read_instance_cookies(if ctx.uses_suffixed_cookies {
            suffixed
        } else {
            plain
        });
        ctx.refresh_token_in_cookie = ctx.suffixed_cookie(cookie_name::REFRESH).map(str::to_owned);
        ctx.handshake_token = ctx
            .query(query::HANDSHAKE)
            .or_else(|| ctx.cookie(cookie_name::HANDSHAKE).map(str::to_owned));
        ctx.redirect_count = ctx
            .cookie(cookie_name::REDIRECT_COUNT)
            .map(js_number)
            .unwrap_or(0.0);
        ctx.handshake_nonce = ctx
            .query(query::HANDSHAKE_NONCE)
            .or_else(|| ctx.cookie(cookie_name::HANDSHAKE_NONCE).map(str::to_owned));
        ctx
    }

    /// The cookies `uses_suffixed_cookies` chooses between: the session token (`decoded` is
    /// its decoding), `__client_uat`, and the dev browser (the query's first).
    fn read_instance_cookies(&mut self, decoded: Option<Result<Unverified, VerifyError>>) {
        self.session_token_in_cookie = self.suffixed_or_plain(cookie_name::SESSION);
        self.session_decoded = decoded;
        self.client_uat = self
            .suffixed_or_plain(cookie_name::CLIENT_UAT)
            .map(|v| js_parse_int(&v))
            .unwrap_or(0);
        self.dev_browser = self
            .query(query::DEV_BROWSER)
            .or_else(|| self.suffixed_or_plain(cookie_name::DEV_BROWSER));
    }

    /// Whether the plain `__session` was chosen while a `__session_<suffix>` is there too.
    pub fn chose_plain_over_suffixed(&self) -> bool {
        !self.uses_suffixed_cookies
            && self.cookie(cookie_name::SESSION).is_some()
            && self.suffixed_cookie(cookie_name::SESSION).is_some()
    }

    /// Reads the suffixed cookies instead of the plain ones.
    pub fn use_suffixed_cookies(&mut self) {
        self.uses_suffixed_cookies = true;
        let decoded = self
            .suffixed_cookie(cookie_name::SESSION)
            .map(decode_unverified);
        self.read_instance_cookies(decoded);
    }

    pub fn is_development(&self) -> bool {
        self.options.is_development()
    }

    /// The first value of a query parameter, when not empty.
    pub fn query(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn has_query(&self, name: &str) -> bool {
        self.url.query_pairs().any(|(k, _)| k == name)
    }

    /// A cookie's value, when present and not empty.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        crate::source::cookie(&self.cookies, name).filter(|v| !v.is_empty())
    }

    fn suffixed_cookie(&self, name: &str) -> Option<&str> {
        self.cookie(&format!("{name}_{}", self.suffix))
    }

    fn suffixed_or_plain(&self, name: &str) -> Option<String> {
        if self.uses_suffixed_cookies {
            self.suffixed_cookie(name).map(str::to_owned)
        } else {
            self.cookie(name).map(str::to_owned)
        }
    }

    /// The session token the handshake carries: the cookie's, else the header's.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token_in_cookie
            .as_deref()
            .or(self.token_in_header.as_deref())
    }

    /// Clerk's `usesSuffixedCookies`: which of `__session` / `__session_<suffix>` (and the other
    /// cookies) belong to this instance when both may be set on one domain.
    fn compute_uses_suffixed_cookies(
        &self,
        session_payload: Option<&Map<String, Value>>,
        suffixed_payload: Option<&Map<String, Value>>,
    ) -> bool {
        let suffixed_client_uat = self.suffixed_cookie(cookie_name::CLIENT_UAT);
        let client_uat = self.cookie(cookie_name::CLIENT_UAT);
        let suffixed_session = self.suffixed_cookie(cookie_name::SESSION).unwrap_or("");
        let session = self.cookie(cookie_name::SESSION).unwrap_or("");
        // Clerk: a malformed `__session` (no `iss`) picks the plain cookies, so that it signs
        // out rather than starting a handshake. Stricter here: when `__session_<suffix>` is
        // there too, a malformed `__session` is no token of this instance (as one of another
        // instance is, just below), so that a cookie set on a parent domain cannot sign out
        // the session of the suffixed cookie.
        if !session.is_empty()
            && suffixed_session.is_empty()
            && !session_payload.is_some_and(|p| truthy(p.get("iss")))
        {
            return false;
        }
        if !session.is_empty() && !self.belongs_to_instance(session_payload) {
            return true;
        }
        if suffixed_client_uat.is_none() && suffixed_session.is_empty() {
            return false;
        }
        let iat = |p: Option<&Map<String, Value>>| {
            p.and_then(|p| p.get("iat"))
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
        };
        let zero = Some("0");
        if suffixed_client_uat != zero
            && client_uat != zero
            && iat(session_payload) > iat(suffixed_payload)
        {
            return false;
        }
        if suffixed_client_uat == zero && client_uat != zero {
            return false;
        }
        if self.is_development() {
            let expired = suffixed_payload.is_some_and(|p| {
                p.get("exp")
                    .and_then(Value::as_f64)
                    .is_some_and(|exp| exp <= self.now as f64)
            });
            if suffixed_client_uat != zero && client_uat == zero && expired {
                return false;
            }
        }
        if suffixed_client_uat.is_none() && !suffixed_session.is_empty() {
            return false;
        }
        true
    }

    /// Whether a token's `iss` (scheme removed) is this instance's Frontend API.
    fn belongs_to_instance(&self, payload: Option<&Map<String, Value>>) -> bool {
        let Some(iss) = payload.and_then(|p| p.get("iss")).and_then(Value::as_str) else {
            return false;
        };
        strip_schemes(iss) == self.original_frontend_api
    }

    /// Whether `origin` is this request's or one of the app's own
    /// ([`RequestOptions`]' authorized parties and allowed redirect origins).
    pub fn is_own_origin(&self, origin: &url::Origin) -> bool {
        origin.is_tuple()
            && (*origin == self.url.origin() || self.options.own_origins.contains(origin))
    }

    /// The referrer is from another origin than the request URL.
    pub fn is_cross_origin_referrer(&self) -> bool {
        let Some(referrer) = self.referrer else {
            return false;
        };
        match Url::parse(referrer) {
            Ok(r) => r.origin().ascii_serialization() != self.url.origin().ascii_serialization(),
            Err(_) => false,
        }
    }

    /// The referrer is Clerk's: the Frontend API, the instance's Account Portal, or (for
    /// development instances) a development Account Portal.
    pub fn is_known_clerk_referrer(&self) -> bool {
        let Some(referrer) = self.referrer.and_then(|r| Url::parse(r).ok()) else {
            return false;
        };
        let host = referrer.host_str().unwrap_or_default();
        let fapi_host = if self.frontend_api.starts_with("http") {
            Url::parse(&self.frontend_api)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
        } else {
            Some(self.frontend_api.clone())
        };
        if fapi_host.as_deref() == Some(host) {
            return true;
        }
        if self.is_development() && (is_legacy_dev_portal(host) || is_current_dev_portal(host)) {
            return true;
        }
        let accounts = accounts_base_url(&self.frontend_api);
        Url::parse(&accounts).is_ok_and(|a| {
            a.origin().ascii_serialization() == referrer.origin().ascii_serialization()
        })
    }
}

/// The payload of a token decoded without any check (Clerk's `decodeJwt`), for the decisions
/// Clerk takes before verifying.
fn payload(decoded: Option<&Result<Unverified, VerifyError>>) -> Option<&Map<String, Value>> {
    decoded.and_then(|d| d.as_ref().ok()).map(|u| &u.payload)
}

/// JavaScript truthiness of a JSON value.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// `iss.replace(/https?:\/\//gi, "")`.
fn strip_schemes(iss: &str) -> String {
    let mut out = String::with_capacity(iss.len());
    let mut rest = iss;
    while !rest.is_empty() {
        let lower = rest.get(..8).map(str::to_ascii_lowercase);
        let skip = match lower.as_deref() {
            Some("https://") => 8,
            _ if rest
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("http://")) =>
            {
                7
            }
            _ => 0,
        };
        if skip > 0 {
            rest = &rest[skip..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// Clerk's `buildAccountsBaseUrl`: `clerk.` (or `clerk.accounts.`) becomes `accounts.`.
fn accounts_base_url(frontend_api: &str) -> String {
    if frontend_api.is_empty() {
        return String::new();
    }
    let staged = frontend_api.replacen("clerk.accountsstage.", "accountsstage.", 1);
    // `/clerk\.accounts\.|clerk\./`: the first match of either, leftmost first.
    let replaced = match (staged.find("clerk.accounts."), staged.find("clerk.")) {
        (Some(a), Some(c)) if a <= c => {
            format!(
                "{}accounts.{}",
                &staged[..a],
                &staged[a + "clerk.accounts.".len()..]
            )
        }
        (_, Some(c)) => format!("{}accounts.{}", &staged[..c], &staged[c + "clerk.".len()..]),
        _ => staged,
    };
    format!("https://{replaced}")
}

fn is_legacy_dev_portal(host: &str) -> bool {
    [".lcl.dev", ".lclstage.dev", ".lclclerk.com"]
        .iter()
        .any(|s| host.starts_with("accounts.") && host.ends_with(s))
}

fn is_current_dev_portal(host: &str) -> bool {
    [
        ".accounts.dev",
        ".accountsstage.dev",
        ".accounts.lclclerk.com",
    ]
    .iter()
    .any(|s| host.ends_with(s) && !host.ends_with(&format!(".clerk{s}")))
}

/// Clerk's `parseAuthorizationHeader`: `Bearer <t>` (case-sensitive) gives `t`, a value without
/// a space is the token itself, any other scheme gives none.
///
/// Hand-written rather than [`crate::source::from_authorization`], which accepts any case of
/// `bearer` and trims: the request flow must fall through to the cookies exactly when Clerk's
/// does (`bearer x` and `Basic x` both mean "no token in the header" to Clerk).
fn parse_authorization(value: &str) -> Option<&str> {
    // `const [scheme, token] = header.split(" ", 2)`.
    let mut split = value.split(' ');
    let scheme = split.next().unwrap_or_default();
    let token = split.next().unwrap_or_default();
    if token.is_empty() {
        return Some(scheme).filter(|s| !s.is_empty());
    }
    (scheme == "Bearer").then_some(token)
}

/// The text of the request's header `name`, when it is there, visible ASCII and not empty
/// (the one reading of a request header here).
pub(crate) fn header_text<'p>(parts: &'p Parts, name: &str) -> Option<&'p str> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
}

/// The request URL: the URI, else the `Host` header over `http`; behind a proxy
/// ([`RequestOptionsBuilder::behind_proxy`](super::RequestOptionsBuilder::behind_proxy)),
/// `X-Forwarded-Proto` when it is `http` or `https` and `X-Forwarded-Host` when it is the host
/// of one of the app's own origins (the one reading of a request's URL, also for the layer's
/// sign-in redirect).
pub(crate) fn request_url(parts: &Parts, options: &RequestOptions) -> Url {
    let get = |name: &str| header_text(parts, name);
    let first = |v: &str| v.split(',').next().unwrap_or_default().trim().to_owned();
    let (forwarded_host, forwarded_proto) = if options.behind_proxy {
        let proto = get(header::FORWARDED_PROTO)
            .map(first)
            .filter(|p| matches!(p.as_str(), "http" | "https"));
        let host = get(header::FORWARDED_HOST)
            .map(first)
            .filter(|h| is_own_host(h, options));
        (host, proto)
    } else {
        (None, None)
    };
    clerk_url(
        parts,
        get(header::HOST),
        forwarded_host.as_deref(),
        forwarded_proto.as_deref(),
    )
}

/// Whether `host` (`name[:port]`) is the host of one of the app's own origins.
fn is_own_host(host: &str, options: &RequestOptions) -> bool {
    // A host and a port, nothing else (no user, path or query riding along).
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'[' | b']'))
    {
        return false;
    }
    let Ok(url) = Url::parse(&format!("http://{host}/")) else {
        return false;
    };
    let port = url.port();
    options.own_origins.iter().any(|origin| match origin {
        url::Origin::Tuple(scheme, own_host, own_port) => {
            url.host().is_some_and(|h| h.to_owned() == *own_host)
                && (port == Some(*own_port)
                    || (port.is_none() && default_port(scheme) == Some(*own_port)))
        }
        url::Origin::Opaque(_) => false,
    })
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// The request URL as Clerk's `ClerkRequest.deriveUrlFromHeaders` sees it, from the
/// forwarded headers already accepted.
fn clerk_url(
    parts: &Parts,
    host: Option<&str>,
    forwarded_host: Option<&str>,
    forwarded_proto: Option<&str>,
) -> Url {
    let uri = &parts.uri;
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let initial = match (uri.scheme_str(), uri.authority()) {
        (Some(scheme), Some(authority)) => format!("{scheme}://{authority}{path}"),
        _ => format!("http://{}{path}", host.unwrap_or("localhost")),
    };
    let Ok(initial) = Url::parse(&initial) else {
        return localhost();
    };
    let resolved_host = forwarded_host.or(host);
    let resolved_proto = forwarded_proto.unwrap_or_else(|| initial.scheme());
    let origin = match resolved_host {
        Some(h) if !h.is_empty() && !resolved_proto.is_empty() => format!("{resolved_proto}://{h}"),
        _ => return initial,
    };
    if origin == initial.origin().ascii_serialization() {
        return initial;
    }
    let relative = match initial.query() {
        Some(q) => format!("{}?{q}", initial.path()),
        None => initial.path().to_owned(),
    };
    Url::parse(&origin)
        .and_then(|base| base.join(&relative))
        .unwrap_or(initial)
}

/// Where a request whose Host cannot form a URL is taken to be.
fn localhost() -> Url {
    Url::parse("http://localhost/").expect("a constant URL parses")
}

/// JavaScript's `Number.parseInt(value) || 0`: leading spaces, a sign, digits (or `0x` hex).
fn js_parse_int(value: &str) -> i64 {
    let s = value.trim_start();
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = match s.get(..2) {
        Some("0x") | Some("0X") => (16, &s[2..]),
        _ => (10, s),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let parsed = i64::from_str_radix(&digits[..end], radix).unwrap_or(0);
    if negative { -parsed } else { parsed }
}

/// JavaScript's `Number(value) || 0` for a cookie value.
fn js_number(value: &str) -> f64 {
    let s = value.trim();
    if s.is_empty() {
        return 0.0;
    }
    let parsed = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok().map(|n| n as f64)
    } else if s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
    {
        s.parse::<f64>().ok()
    } else {
        None
    };
    parsed.filter(|f| f.is_finite()).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_header_is_read_as_clerk_reads_it() {
        assert_eq!(parse_authorization("Bearer abc"), Some("abc"));
        assert_eq!(parse_authorization("abc"), Some("abc"));
        assert_eq!(parse_authorization("Bearer"), Some("Bearer"));
        assert_eq!(parse_authorization("Bearer "), Some("Bearer"));
        assert_eq!(parse_authorization("bearer abc"), None);
        assert_eq!(parse_authorization("Basic dXNlcg=="), None);
        assert_eq!(parse_authorization("Bearer a b"), Some("a"));
    }

    #[test]
    fn numbers_are_read_as_javascript_reads_them() {
        assert_eq!(js_parse_int("12345"), 12345);
        assert_eq!(js_parse_int("12abc"), 12);
        assert_eq!(js_parse_int("abc"), 0);
        assert_eq!(js_parse_int("0x10"), 16);
        assert_eq!(js_number("3"), 3.0);
        assert_eq!(js_number("3abc"), 0.0);
        assert_eq!(js_number(""), 0.0);
    }

    #[test]
    fn accounts_portal_comes_from_the_frontend_api() {
        assert_eq!(
            accounts_base_url("clerk.example.com"),
            "https://accounts.example.com"
        );
        assert_eq!(
            accounts_base_url("foo-bar-13.clerk.accounts.dev"),
            "https://foo-bar-13.accounts.dev"
        );
        assert_eq!(strip_schemes("https://clerk.a.dev"), "clerk.a.dev");
    }
}
