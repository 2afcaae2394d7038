//! What [`authenticate`](super::authenticate) needs to know about the instance: keys, the
//! publishable key, satellite and proxy settings, the sign-in URL, the clock.

use crate::Clock;
use crate::source::{PublishableKey, PublishableKeyError};
use crate::verify::{BuildError, ClerkEnv, EnvError, Verifier};

/// Why [`RequestOptionsBuilder::build`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestOptionsError {
    /// No publishable key: it names the cookies and the Frontend API.
    #[error(
        "no publishable key: the cookie flow needs the instance's pk_test_… or pk_live_… key (CLERK_PUBLISHABLE_KEY; Dashboard → API keys, or the line `clerk-claims dev` prints)"
    )]
    MissingPublishableKey,
    /// The environment could not be read ([`RequestOptions::from_env`]).
    #[error(transparent)]
    Env(#[from] EnvError),
    /// The publishable key does not parse.
    #[error(transparent)]
    PublishableKey(#[from] PublishableKeyError),
    /// The verifier could not be built from the keys given.
    #[error("cannot build the token verifier: {0}")]
    Verifier(#[from] BuildError),
    /// A satellite without a domain or a proxy URL.
    #[error(
        "a satellite application needs a domain or a proxy URL: found neither (set `domain` or `proxy_url`)"
    )]
    SatelliteWithoutDomain,
    /// A development satellite without a sign-in URL on the primary.
    #[error(
        "a satellite of a development instance needs the sign-in URL of its primary: found none (set `sign_in_url`)"
    )]
    SatelliteWithoutSignInUrl,
    /// A sign-in URL that is not absolute.
    #[error(
        "the sign-in URL must be an absolute URL (https://primary.example/sign-in): found {found:?}"
    )]
    SignInUrl {
        /// What was given.
        found: String,
    },
    /// The Backend API client could not be built from the secret key and API URL.
    #[error("cannot build the Backend API client for the handshake nonce: {0}")]
    Api(String),
    /// A proxy URL that is neither `http(s)://…` nor a path (`/__clerk`).
    #[error("the proxy URL must be an http(s):// URL or a path starting with '/': found {found:?}")]
    ProxyUrl {
        /// What was given.
        found: String,
    },
    /// An allowed redirect origin that is not an `http(s)://host[:port]` origin.
    #[error(
        "an allowed redirect origin must be an http(s) origin (https://satellite.example): found {found:?}"
    )]
    RedirectOrigin {
        /// What was given.
        found: String,
    },
    /// A bound on concurrent nonce exchanges of zero.
    #[error("max_nonce_exchanges must be at least 1: found 0")]
    NoNonceExchanges,
    /// An organization or personal account pattern that Clerk refuses (path-to-regexp 6's
    /// error), or whose regular expression does not compile.
    #[error("invalid {list} pattern {pattern:?}: {why}")]
    OrganizationPattern {
        /// `organization` or `personal account`.
        list: &'static str,
        /// The pattern refused.
        pattern: String,
        /// Why.
        why: String,
    },
}

/// Options of [`authenticate`](super::authenticate): built once, shared by every request
/// (cheap to clone; the bounds of the nonce exchange are shared by the clones).
///
/// Four settings make the request path stricter than Clerk's
/// ([the differences](super#stricter-than-clerk)): [`behind_proxy`](RequestOptionsBuilder::behind_proxy)
/// (forwarded headers, off by default), [`allowed_redirect_origins`](RequestOptionsBuilder::allowed_redirect_origins)
/// (with the authorized parties: the app's own origins), `api_timeout` and
/// `max_nonce_exchanges` (the nonce exchange, feature `remote`).
///
/// ```
/// use clerk_claims::request::RequestOptions;
/// use clerk_claims::testing::issuer::TestIssuer;
///
/// let issuer = TestIssuer::new();
/// let options = RequestOptions::builder()
///     .publishable_key(issuer.publishable_key())
///     .pem(issuer.public_key_pem())
///     .authorized_parties(["https://app.example"])
///     .allowed_redirect_origins(["https://satellite.example"])
///     .behind_proxy(true)
///     .api_timeout(std::time::Duration::from_secs(2))
///     .max_nonce_exchanges(16)
///     .build();
/// assert!(options.is_ok());
///
/// let wrong = RequestOptions::builder()
///     .publishable_key(issuer.publishable_key())
///     .pem(issuer.public_key_pem())
///     .allowed_redirect_origins(["satellite.example"])
///     .build();
/// assert!(wrong.is_err_and(|e| e.to_string().contains("satellite.example")));
/// ```
#[derive(Debug, Clone)]
pub struct RequestOptions {
    pub(crate) verifier: Verifier,
    pub(crate) publishable_key: PublishableKey,
    /// `publishable_key.cookie_suffix()`, once.
    pub(crate) cookie_suffix: String,
    pub(crate) domain: Option<String>,
    pub(crate) proxy_url: Option<String>,
    pub(crate) satellite: bool,
    pub(crate) satellite_auto_sync: bool,
    pub(crate) sign_in_url: Option<String>,
    pub(crate) clock: Clock,
    /// Whether `X-Forwarded-Host` / `X-Forwarded-Proto` may be read.
    pub(crate) behind_proxy: bool,
    /// The app's own origins (`https://host[:port]`): the verifier's authorized parties and
    /// the allowed redirect origins.
    pub(crate) own_origins: Vec<url::Origin>,
    /// The Backend API client of the nonce exchange (with a secret key).
    #[cfg(feature = "remote")]
    pub(crate) api: Option<crate::api::ClerkApi>,
    /// The bounds of the nonce exchange (one for every clone).
    #[cfg(feature = "remote")]
    pub(crate) nonce_gate: std::sync::Arc<super::nonce::NonceGate>,
    /// The organization and personal account patterns (organization sync).
    pub(crate) org_sync: super::org_sync::OrgMatcher,
}

impl RequestOptions {
    /// A builder.
    pub fn builder() -> RequestOptionsBuilder {
        RequestOptionsBuilder::default()
    }

    /// Options configured by the environment, as [`ClerkEnv`] reads it (the variables
    /// [`Verifier::from_env`] reads): `CLERK_PUBLISHABLE_KEY` (required), keys from
    /// `CLERK_JWT_KEY`, else `CLERK_SECRET_KEY` with `CLERK_API_URL` (which also serve the
    /// handshake nonce exchange), else the publishable key's Frontend API. For more options,
    /// start from [`RequestOptionsBuilder::env`].
    pub fn from_env() -> Result<RequestOptions, RequestOptionsError> {
        RequestOptions::builder()
            .env(&ClerkEnv::from_env()?)
            .build()
    }

    /// The verifier session tokens go through.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// The instance's publishable key.
    pub fn publishable_key(&self) -> &PublishableKey {
        &self.publishable_key
    }

    /// Whether the instance is a development instance (`pk_test_`).
    pub fn is_development(&self) -> bool {
        !self.publishable_key.is_live()
    }

    /// The clock "now" is read from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}

/// Builds [`RequestOptions`]; every input is checked at [`build`](Self::build).
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct RequestOptionsBuilder {
    publishable_key: Option<String>,
    verifier: Option<Verifier>,
    pem: Option<String>,
    jwks_json: Option<String>,
    #[cfg(feature = "remote")]
    secret_key: Option<String>,
    #[cfg(feature = "remote")]
    api_url: Option<String>,
    authorized_parties: Vec<String>,
    domain: Option<String>,
    proxy_url: Option<String>,
    satellite: bool,
    satellite_auto_sync: bool,
    sign_in_url: Option<String>,
    clock: Option<Clock>,
    behind_proxy: bool,
    allowed_redirect_origins: Vec<String>,
    #[cfg(feature = "remote")]
    api_timeout: Option<std::time::Duration>,
    #[cfg(feature = "remote")]
    max_nonce_exchanges: Option<usize>,
    organization_patterns: Option<Vec<String>>,
    personal_account_patterns: Option<Vec<String>>,
}

impl RequestOptionsBuilder {
    /// The instance's publishable key (`CLERK_PUBLISHABLE_KEY`): the Frontend API host, the
    /// cookie suffix, development or production.
    pub fn publishable_key(mut self, key: impl Into<String>) -> Self {
        self.publishable_key = Some(key.into());
        self
    }

    /// The publishable key and the keys of `env` (see [`ClerkEnv`]): what
    /// [`RequestOptions::from_env`] sets before building.
    pub fn env(mut self, env: &ClerkEnv) -> Self {
        if let Some(key) = &env.publishable_key {
            self.publishable_key = Some(key.clone());
        }
        if let Some(pem) = &env.jwt_key {
            self.pem = Some(pem.clone());
        }
        #[cfg(feature = "remote")]
        {
            if let Some(key) = &env.secret_key {
                self.secret_key = Some(key.clone());
            }
            if let Some(url) = &env.api_url {
                self.api_url = Some(url.clone());
            }
        }
        self
    }

    /// Verify session tokens with this verifier (its authorized parties, skew and clock apply)
    /// instead of one built from the keys given here. Give it the same [`Clock`] as
    /// [`clock`](Self::clock), so both read one "now".
    pub fn verifier(mut self, verifier: Verifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Networkless verification with the instance's PEM public key (`CLERK_JWT_KEY`).
    pub fn pem(mut self, pem: impl Into<String>) -> Self {
        self.pem = Some(pem.into());
        self
    }

    /// Networkless verification with the instance's JWKS document.
    pub fn jwks_json(mut self, json: impl Into<String>) -> Self {
        self.jwks_json = Some(json.into());
        self
    }

    /// The secret key (`CLERK_SECRET_KEY`): keys from the Backend API when no PEM or JWKS is
    /// given, and the handshake nonce exchange (feature `remote`).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into());
        self
    }

    /// The Backend API base URL (`CLERK_API_URL`; default Clerk's).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = Some(url.into());
        self
    }

    /// The origins allowed in a token's `azp` (your app's origins).
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// The satellite's domain (`satellite.example`): with a production key the Frontend API
    /// becomes `clerk.<domain>`.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The Frontend API proxy (`https://app.example/__clerk` or `/__clerk`).
    pub fn proxy_url(mut self, url: impl Into<String>) -> Self {
        self.proxy_url = Some(url.into());
        self
    }

    /// This application is a satellite of another (primary) domain.
    pub fn satellite(mut self, satellite: bool) -> Self {
        self.satellite = satellite;
        self
    }

    /// Satellites sync with the primary on a first visit without cookies (Clerk's
    /// `satelliteAutoSync`, default false).
    pub fn satellite_auto_sync(mut self, auto_sync: bool) -> Self {
        self.satellite_auto_sync = auto_sync;
        self
    }

    /// The sign-in URL (absolute for satellites: the primary's sign-in page).
    pub fn sign_in_url(mut self, url: impl Into<String>) -> Self {
        self.sign_in_url = Some(url.into());
        self
    }

    /// The app runs behind a reverse proxy that sets `X-Forwarded-Proto` and `X-Forwarded-Host`
    /// (default false: they are ignored, and the request URL is the URI's, else the `Host`
    /// header over `http`).
    ///
    /// Stricter than Clerk, which always reads them: a client can send them too, and they
    /// become the handshake's `redirect_url`. Even behind a proxy only `http` and `https` are
    /// read from `X-Forwarded-Proto`, and `X-Forwarded-Host` only when it is the host of one
    /// of the app's own origins (the authorized parties and
    /// [`allowed_redirect_origins`](Self::allowed_redirect_origins)); otherwise the header
    /// is ignored.
    pub fn behind_proxy(mut self, behind_proxy: bool) -> Self {
        self.behind_proxy = behind_proxy;
        self
    }

    /// Origins of the app besides its authorized parties (`https://satellite.example`): where a
    /// development primary may send a satellite back after syncing (`__clerk_redirect_url`),
    /// and the hosts `X-Forwarded-Host` may name behind a proxy.
    ///
    /// Stricter than Clerk, which redirects to any `__clerk_redirect_url`, with the dev
    /// browser token in the query: here only to the request's own origin, an authorized party
    /// or one of these; any other is signed out with `primary-responds-to-syncing` and a
    /// message saying why.
    pub fn allowed_redirect_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed_redirect_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// How long a Backend API call on the request path (the handshake nonce exchange) may take
    /// (default [`DEFAULT_API_TIMEOUT`](super::nonce::DEFAULT_API_TIMEOUT), 5 s); a call that
    /// takes longer counts as failed.
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn api_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.api_timeout = Some(timeout);
        self
    }

    /// How many handshake nonce exchanges may wait for the Backend API at once (default
    /// [`DEFAULT_MAX_NONCE_EXCHANGES`](super::nonce::DEFAULT_MAX_NONCE_EXCHANGES), 8); a nonce
    /// beyond them is not exchanged, as if the exchange had failed.
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn max_nonce_exchanges(mut self, max: usize) -> Self {
        self.max_nonce_exchanges = Some(max);
        self
    }

    /// Organization sync (Clerk's `organizationSyncOptions.organizationPatterns`): paths that
    /// name an organization by `:id` or `:slug` (`/orgs/:slug`, `/orgs/:slug/(.*)`). A page
    /// load (a handshake-eligible request) whose token has another active organization is
    /// sent through a handshake with reason `active-organization-mismatch` that activates it;
    /// a fetch stays signed in; from the third redirect in a row the mismatch is ignored.
    /// Every handshake URL of a matching path carries `organization_id=<id or slug>`.
    ///
    /// Patterns are path-to-regexp 6's, matched as Clerk matches them: case-insensitive, an
    /// optional trailing `/`, no percent-decoding; `:id` wins over `:slug`; a matching pattern
    /// with neither falls through to the [personal account
    /// patterns](Self::personal_account_patterns). A pattern Clerk refuses is refused at
    /// [`build`](Self::build) ([`RequestOptionsError::OrganizationPattern`]).
    ///
    /// ```
    /// use clerk_claims::request::{RequestOptions, RequestOptionsError};
    /// use clerk_claims::testing::issuer::TestIssuer;
    ///
    /// let issuer = TestIssuer::new();
    /// let builder = || {
    ///     RequestOptions::builder()
    ///         .publishable_key(issuer.publishable_key())
    ///         .pem(issuer.public_key_pem())
    /// };
    /// assert!(builder()
    ///     .organization_patterns(["/orgs/:slug", "/orgs/:slug/(.*)"])
    ///     .personal_account_patterns(["/me", "/me/(.*)"])
    ///     .build()
    ///     .is_ok());
    /// let refused = builder().organization_patterns(["/orgs/:id/***"]).build();
    /// assert!(matches!(
    ///     refused,
    ///     Err(RequestOptionsError::OrganizationPattern { pattern, .. }) if pattern == "/orgs/:id/***"
    /// ));
    /// ```
    pub fn organization_patterns<I, S>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.organization_patterns = Some(patterns.into_iter().map(Into::into).collect());
        self
    }

    /// Organization sync (Clerk's `organizationSyncOptions.personalAccountPatterns`): paths of
    /// the personal account (`/me`, `/me/(.*)`). A page load whose token has an active
    /// organization is sent through a handshake that activates the personal account
    /// (`organization_id=` empty); otherwise as
    /// [`organization_patterns`](Self::organization_patterns).
    ///
    /// As in Clerk, an empty list is one pattern matching every path.
    pub fn personal_account_patterns<I, S>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.personal_account_patterns = Some(patterns.into_iter().map(Into::into).collect());
        self
    }

    /// Read "now" from this clock (default the system clock); the verifier built here reads the
    /// same clock, so a test can move both after `build()`.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Checks everything and builds the options.
    pub fn build(self) -> Result<RequestOptions, RequestOptionsError> {
        let given = self
            .publishable_key
            .as_deref()
            .filter(|k| !k.trim().is_empty())
            .ok_or(RequestOptionsError::MissingPublishableKey)?;
        let publishable_key = PublishableKey::parse(given)?;
        let non_empty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let domain = non_empty(self.domain);
        let proxy_url = non_empty(self.proxy_url);
        let sign_in_url = non_empty(self.sign_in_url);
        if let Some(proxy) = &proxy_url
            && !(proxy.starts_with("http://")
                || proxy.starts_with("https://")
                || proxy.starts_with('/'))
        {
            return Err(RequestOptionsError::ProxyUrl {
                found: proxy.clone(),
            });
        }
        if self.satellite {
            if !publishable_key.is_live() && sign_in_url.is_none() {
                return Err(RequestOptionsError::SatelliteWithoutSignInUrl);
            }
            if let Some(url) = &sign_in_url
                && url::Url::parse(url).is_err()
            {
                return Err(RequestOptionsError::SignInUrl { found: url.clone() });
            }
            if domain.is_none() && proxy_url.is_none() {
                return Err(RequestOptionsError::SatelliteWithoutDomain);
            }
        }
        let clock = self.clock.unwrap_or_default();
        let verifier = match self.verifier {
            Some(verifier) => verifier,
            None => {
                let mut builder = Verifier::builder()
                    .publishable_key(publishable_key.as_str())
                    .authorized_parties(self.authorized_parties);
                if let Some(pem) = self.pem {
                    builder = builder.pem(pem);
                }
                if let Some(json) = self.jwks_json {
                    builder = builder.jwks_json(json);
                }
                #[cfg(feature = "remote")]
                if let Some(key) = &self.secret_key {
                    builder = builder.secret_key(key.clone());
                }
                #[cfg(feature = "remote")]
                if let Some(url) = &self.api_url {
                    builder = builder.api_url(url.clone());
                }
                builder.clock(clock.clone()).build()?
            }
        };
        #[cfg(feature = "remote")]
        let api = match &self.secret_key {
            None => None,
            Some(key) => {
                let api = crate::api::ClerkApi::new(key.clone())
                    .map_err(|e| RequestOptionsError::Api(e.to_string()))?;
                Some(match &self.api_url {
                    Some(url) => api
                        .with_base_url(url)
                        .map_err(|e| RequestOptionsError::Api(e.to_string()))?,
                    None => api,
                })
            }
        };
        let org_sync = super::org_sync::OrgMatcher::new(
            self.organization_patterns.as_deref(),
            self.personal_account_patterns.as_deref(),
        )
        .map_err(
            |(pattern, why, list)| RequestOptionsError::OrganizationPattern {
                list,
                pattern,
                why: why.0,
            },
        )?;
        let mut own_origins = Vec::new();
        for found in &self.allowed_redirect_origins {
            match url::Url::parse(found) {
                Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                    own_origins.push(url.origin());
                }
                _ => {
                    return Err(RequestOptionsError::RedirectOrigin {
                        found: found.clone(),
                    });
                }
            }
        }
        // The verifier's authorized parties are the app's origins too (one that does not
        // parse as a URL names no origin).
        own_origins.extend(
            verifier
                .authorized_parties()
                .iter()
                .filter_map(|p| url::Url::parse(p).ok())
                .map(|u| u.origin())
                .filter(url::Origin::is_tuple),
        );
        #[cfg(feature = "remote")]
        let nonce_gate = {
            let max = self
                .max_nonce_exchanges
                .unwrap_or(super::nonce::DEFAULT_MAX_NONCE_EXCHANGES);
            if max == 0 {
                return Err(RequestOptionsError::NoNonceExchanges);
            }
            std::sync::Arc::new(super::nonce::NonceGate::new(
                max,
                self.api_timeout
                    .unwrap_or(super::nonce::DEFAULT_API_TIMEOUT),
            ))
        };
        Ok(RequestOptions {
            cookie_suffix: publishable_key.cookie_suffix(),
            #[cfg(feature = "remote")]
            api,
            #[cfg(feature = "remote")]
            nonce_gate,
            behind_proxy: self.behind_proxy,
            org_sync,
            own_origins,
            verifier,
            publishable_key,
            domain,
            proxy_url,
            satellite: self.satellite,
            satellite_auto_sync: self.satellite_auto_sync,
            sign_in_url,
            clock,
        })
    }
}
