//! Where a request carries its token: `Authorization: Bearer`, `__session` cookies.
//!
//! Clerk's precedence (`authenticateRequest`): when an `Authorization` header is present it is
//! the only source; `Bearer <t>` gives `t`, a value with no scheme is the token itself, any
//! other scheme gives nothing. Otherwise the `__session` cookie, or `__session_<suffix>` where
//! the suffix comes from the publishable key. A cookie token must carry `azp` (CSRF).

use base64::Engine as _;

/// Clerk's session cookie.
pub const SESSION_COOKIE: &str = "__session";

/// Which part of the request carried the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenCarrier {
    /// The `Authorization` header.
    Header,
    /// A `__session` cookie.
    Cookie,
}

impl TokenCarrier {
    /// Clerk's name for it (`header` / `cookie`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// A token found in a request, with where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundToken<'a> {
    /// The token text.
    pub token: &'a str,
    /// Where it was.
    pub carrier: TokenCarrier,
}

/// The token of an `Authorization` header value: `Bearer <t>` (scheme case-insensitive), or
/// the whole value when it has no scheme; `None` for other schemes or an empty value.
pub fn from_authorization(value: &str) -> Option<&str> {
    let value = value.trim();
    match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => {
            Some(rest.trim()).filter(|t| !t.is_empty())
        }
        Some(_) => None,
        // A bare scheme is not a token (Clerk would try to verify the word "Bearer").
        None => Some(value).filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("bearer")),
    }
}

/// A header value as JavaScript's fetch `Headers` reads it, a ByteString: each byte one
/// character (U+0000 to U+00FF), so a value that is not ASCII is still there, as Latin-1 text.
///
/// ```
/// use clerk_claims::source::header_latin1;
///
/// assert_eq!(header_latin1(b"Bearer abc"), "Bearer abc");
/// assert_eq!(header_latin1(b"Bearer \xe9\xff"), "Bearer \u{e9}\u{ff}");
/// ```
pub fn header_latin1(value: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(value) {
        Ok(text) if value.is_ascii() => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(value.iter().map(|&b| char::from(b)).collect()),
    }
}

/// The value of cookie `name` in a `Cookie` header (`a=1; b=2`), quotes stripped.
pub fn cookie<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| {
            let value = value.trim();
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value)
        })
    })
}

/// Finds the session token with Clerk's precedence: the `Authorization` header when present
/// (exclusively), else `__session_<suffix>` (when a publishable key is given), else `__session`.
pub fn find_token<'a>(
    authorization: Option<&'a str>,
    cookie_header: Option<&'a str>,
    publishable_key: Option<&PublishableKey>,
) -> Option<FoundToken<'a>> {
    if let Some(header) = authorization {
        return from_authorization(header).map(|token| FoundToken {
            token,
            carrier: TokenCarrier::Header,
        });
    }
    let cookies = cookie_header?;
    let suffixed = publishable_key.and_then(|pk| cookie(cookies, &pk.session_cookie_name()));
    suffixed
        .or_else(|| cookie(cookies, SESSION_COOKIE))
        .filter(|t| !t.is_empty())
        .map(|token| FoundToken {
            token,
            carrier: TokenCarrier::Cookie,
        })
}

/// A publishable key (`pk_test_…` / `pk_live_…`): the instance's Frontend API host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishableKey {
    key: String,
    frontend_api: String,
    live: bool,
}

/// A publishable key that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishableKeyError {
    /// Not `pk_test_` / `pk_live_` followed by base64.
    #[error(
        "invalid publishable key: expected pk_test_<base64> or pk_live_<base64>, found {found:?}"
    )]
    Format {
        /// The first characters of what was given.
        found: String,
    },
    /// The decoded host does not end with exactly one `$`.
    #[error(
        "invalid publishable key: the decoded value must be the Frontend API host followed by one \"$\""
    )]
    Host,
}

impl PublishableKey {
    /// Parses a publishable key as Clerk's `parsePublishableKey` does.
    pub fn parse(key: &str) -> Result<Self, PublishableKeyError> {
        let key = key.trim();
        let format_error = || PublishableKeyError::Format {
            found: key.chars().take(12).collect(),
        };
        let (live, encoded) = if let Some(rest) = key.strip_prefix("pk_live_") {
            (true, rest)
        } else if let Some(rest) = key.strip_prefix("pk_test_") {
            (false, rest)
        } else {
            return Err(format_error());
        };
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        let decoded = engine.decode(encoded).map_err(|_| format_error())?;
        let decoded = String::from_utf8(decoded).map_err(|_| format_error())?;
        let host = decoded.strip_suffix('$').ok_or(PublishableKeyError::Host)?;
        if host.is_empty()
            || host.contains('$')
            || host.contains('/')
            || host.chars().any(char::is_whitespace)
        {
            return Err(PublishableKeyError::Host);
        }
        Ok(Self {
            key: key.to_owned(),
            frontend_api: host.to_owned(),
            live,
        })
    }

    /// The key for a Frontend API host (`pk_test_` + base64 of `host$`).
    pub fn for_frontend_api(frontend_api: &str, live: bool) -> Self {
        let prefix = if live { "pk_live_" } else { "pk_test_" };
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{frontend_api}$"));
        Self {
            key: format!("{prefix}{encoded}"),
            frontend_api: frontend_api.to_owned(),
            live,
        }
    }

    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// The Frontend API host (`clean-mayfly-62.clerk.accounts.dev`).
    pub fn frontend_api(&self) -> &str {
        &self.frontend_api
    }

    /// The token issuer: `https://<frontend api>`.
    pub fn issuer(&self) -> String {
        format!("https://{}", self.frontend_api)
    }

    /// Whether it is a production (`pk_live_`) key.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// Clerk's cookie suffix: the first 8 characters of base64url(SHA-1(key)).
    pub fn cookie_suffix(&self) -> String {
        use sha1::Digest as _;
        let digest = sha1::Sha1::digest(self.key.as_bytes());
        let mut suffix = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
        suffix.truncate(8);
        suffix
    }

    /// `__session_<suffix>`.
    pub fn session_cookie_name(&self) -> String {
        format!("{SESSION_COOKIE}_{}", self.cookie_suffix())
    }
}
