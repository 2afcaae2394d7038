//! The verifier's policy and the builder that validates it at `build()` (reqwest-style).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::crypto::Algorithm;
use crate::jwks::{JwkSet, JwksError, Key, KeyRejected};
use crate::source::{PublishableKey, PublishableKeyError};

use super::cache::TokenCache;
use super::header::HeaderPolicy;
use super::{Inner, KeySource, RevocationCheck, Verifier};

/// Clerk's default clock skew (`DEFAULT_CLOCK_SKEW_IN_MS = 5000`).
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);
/// The longest token accepted by default: session tokens ride in a cookie (< 4 KiB).
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;
/// Clerk's Backend API.
pub const DEFAULT_API_URL: &str = "https://api.clerk.com";

/// Why a [`VerifierBuilder`] could not build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The PEM key (`CLERK_JWT_KEY`) was refused.
    #[error("invalid PEM key (CLERK_JWT_KEY): {0}")]
    Pem(KeyRejected),
    /// The JWKS document was refused.
    #[error("invalid JWKS: {0}")]
    Jwks(JwksError),
    /// The JWKS document holds no usable key.
    #[error("the JWKS holds no usable signing key ({ignored} keys were left out)")]
    EmptyJwks {
        /// How many keys were left out.
        ignored: usize,
    },
    /// The publishable key is not `pk_test_…`/`pk_live_…` with a FAPI host.
    #[error(transparent)]
    PublishableKey(#[from] PublishableKeyError),
    /// A secret key that is not `sk_test_…`/`sk_live_…`.
    #[error("invalid secret key: expected sk_test_… or sk_live_…, found {found:?}")]
    SecretKey {
        /// The first characters of what was given.
        found: String,
    },
    /// A URL that is not `http(s)://…`.
    #[error("invalid URL {url:?}: expected an http:// or https:// URL")]
    Url {
        /// The URL.
        url: String,
    },
    /// A remote key source without the `remote` feature.
    #[error("{what} needs the `remote` feature of clerk-claims")]
    RemoteDisabled {
        /// Which source.
        what: &'static str,
    },
    /// No key source at all.
    #[error(
        "no key source: give a PEM key (CLERK_JWT_KEY), a JWKS, a JWKS URL, a secret key (CLERK_SECRET_KEY) or a publishable key"
    )]
    NoKeySource,
    /// A template key that cannot verify the template's algorithm.
    #[error("the key for template {template:?} cannot verify {alg}")]
    TemplateKey {
        /// Template name.
        template: String,
        /// Its algorithm.
        alg: Algorithm,
    },
    /// An empty algorithm allow-list.
    #[error("the algorithm allow-list is empty: expected at least one of RS256, RS384, RS512")]
    NoAlgorithms,
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(String),
}

/// The policy a [`Verifier`] applies; read-only after `build()`.
#[derive(Debug, Clone)]
pub(crate) struct Policy {
    /// The accepted issuers (empty: none is checked).
    pub issuers: Vec<String>,
    pub authorized_parties: Vec<String>,
    /// A header token without `azp` passes the authorized-parties check.
    pub header_azp_optional: bool,
    pub audience: Vec<String>,
    pub skew_ms: i64,
    /// The JWS header rules (`alg`, `typ`, `cat`, `kid`).
    pub header: HeaderPolicy,
    /// The one clock of the verifier, its JWKS cache and its token cache.
    pub clock: Clock,
    pub max_token_bytes: usize,
    /// The parsed publishable key, for `Verifier::publishable_key()` (the cookie suffix).
    pub publishable_key: Option<PublishableKey>,
}

/// Builds a [`Verifier`]; every input is checked at [`build`](VerifierBuilder::build).
#[derive(Debug, Clone)]
#[must_use]
pub struct VerifierBuilder {
    pem: Option<String>,
    jwks_json: Option<String>,
    jwk_set: Option<JwkSet>,
    jwks_url: Option<String>,
    secret_key: Option<String>,
    api_url: String,
    publishable_key: Option<String>,
    issuers: Vec<String>,
    authorized_parties: Vec<String>,
    header_azp_optional: bool,
    audience: Vec<String>,
    clock_skew: Duration,
    algorithms: Vec<Algorithm>,
    template_keys: Vec<(String, Algorithm, Key)>,
    clock: Clock,
    max_token_bytes: usize,
    token_cache: Option<usize>,
    revocations: Option<Arc<dyn RevocationCheck>>,
    #[cfg(feature = "remote")]
    jwks_cache_ttl: Duration,
    #[cfg(feature = "remote")]
    jwks_cooldown: Duration,
    #[cfg(feature = "remote")]
    http_timeout: Duration,
}

impl Default for VerifierBuilder {
    fn default() -> Self {
        Self {
            pem: None,
            jwks_json: None,
            jwk_set: None,
            jwks_url: None,
            secret_key: None,
            api_url: DEFAULT_API_URL.to_owned(),
            publishable_key: None,
            issuers: Vec::new(),
            authorized_parties: Vec::new(),
            header_azp_optional: false,
            audience: Vec::new(),
            clock_skew: DEFAULT_CLOCK_SKEW,
            algorithms: Algorithm::CLERK.to_vec(),
            template_keys: Vec::new(),
            clock: Clock::system(),
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            token_cache: None,
            revocations: None,
            #[cfg(feature = "remote")]
            jwks_cache_ttl: Duration::from_secs(300),
            #[cfg(feature = "remote")]
            jwks_cooldown: Duration::from_secs(30),
            #[cfg(feature = "remote")]
            http_timeout: Duration::from_secs(10),
        }
    }
}

impl VerifierBuilder {
    /// Networkless verification with a PEM public key (`CLERK_JWT_KEY`); takes priority over
    /// every other key source, as in Clerk's SDK.
    pub fn pem(mut self, pem: impl Into<String>) -> Self {
        self.pem = Some(pem.into());
        self
    }

    /// Networkless verification with a JWKS document (JSON text).
    pub fn jwks_json(mut self, json: impl Into<String>) -> Self {
        self.jwks_json = Some(json.into());
        self
    }

    /// Networkless verification with a parsed JWKS.
    pub fn jwks(mut self, set: JwkSet) -> Self {
        self.jwk_set = Some(set);
        self
    }

    /// Keys fetched from a JWKS URL and cached (feature `remote`).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn jwks_url(mut self, url: impl Into<String>) -> Self {
        self.jwks_url = Some(url.into());
        self
    }

    /// Keys fetched from the Backend API `GET {api_url}/v1/jwks` with this secret key
    /// (`CLERK_SECRET_KEY`; feature `remote`).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn secret_key(mut self, secret_key: impl Into<String>) -> Self {
        self.secret_key = Some(secret_key.into());
        self
    }

    /// The Backend API base URL (default `https://api.clerk.com`; `CLERK_API_URL`).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = url.into();
        self
    }

    /// The instance's publishable key: sets the issuer to its Frontend API URL and, when no
    /// other key source is given, fetches keys from `<FAPI>/.well-known/jwks.json` (feature
    /// `remote`; without it, give a local key too, [`pem`](Self::pem) or
    /// [`jwks_json`](Self::jwks_json), or `build()` refuses with [`BuildError::RemoteDisabled`]).
    pub fn publishable_key(mut self, publishable_key: impl Into<String>) -> Self {
        self.publishable_key = Some(publishable_key.into());
        self
    }

    /// The expected `iss` (the Frontend API URL), one value or a list, as Clerk's `issuer`
    /// option (3.25): `iss` is then required and must equal one of them, else
    /// `token-invalid-issuer`. Empty values are dropped, as Clerk drops them; no value left
    /// leaves the issuer of the publishable key, if any.
    ///
    /// ```
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// # let issuer = clerk_claims::testing::issuer::TestIssuer::new();
    /// # let token = issuer.session().user("user_1").mint();
    /// use clerk_claims::verify::{Reason, Verifier};
    ///
    /// let both = Verifier::builder()
    ///     .pem(issuer.public_key_pem())
    ///     .issuer(["https://clerk.old.example", issuer.issuer().as_str()])
    ///     .build()?;
    /// assert!(both.verify_session(&token).await.is_ok());
    ///
    /// let other = Verifier::builder()
    ///     .pem(issuer.public_key_pem())
    ///     .issuer("https://clerk.old.example")
    ///     .build()?;
    /// let refused = other.verify_session(&token).await.err().map(|e| e.reason());
    /// assert_eq!(refused, Some(Reason::TokenInvalidIssuer));
    /// # Ok(()) }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    pub fn issuer(mut self, issuer: impl IntoIssuers) -> Self {
        self.issuers = issuer.into_issuers();
        self
    }

    /// Allowed `azp` values (your app's origins). When non-empty, `azp` is required.
    pub fn authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// Lets a token from the `Authorization` header without `azp` pass the
    /// [`authorized_parties`](Self::authorized_parties) check (a listed `azp` is still
    /// required when one is there). Tokens the Backend API mints, and those of native apps
    /// whose requests carry no `Origin`, have no `azp`. Off by default, as `@clerk/backend`
    /// (3.25.0) requires `azp` once authorized parties are set; cookie tokens always need it
    /// (Clerk's CSRF rule).
    pub fn accept_header_tokens_without_azp(mut self, accept: bool) -> Self {
        self.header_azp_optional = accept;
        self
    }

    /// Accepted `aud` values. Without one, a session token carrying `aud` is rejected.
    pub fn audience<I, S>(mut self, audience: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.audience = audience.into_iter().map(Into::into).collect();
        self
    }

    /// Clock skew tolerated on `exp`, `nbf`, `iat` (default 5 s, as Clerk's SDK).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// Algorithms accepted for Clerk keys (default `RS256`, `RS384`, `RS512`).
    pub fn algorithms(mut self, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        self.algorithms = algorithms.into_iter().collect();
        self
    }

    /// The custom signing key of a JWT template (`HS*`, `ES*` or `RS*`): tokens of that
    /// template are verified with this key and only this algorithm, whatever their `kid`.
    pub fn template_key(
        mut self,
        template_name: impl Into<String>,
        alg: Algorithm,
        key: Key,
    ) -> Self {
        self.template_keys.push((template_name.into(), alg, key));
        self
    }

    /// Verify as if the time were `unix_seconds` (tests, `clerk-claims token inspect --now`):
    /// shorthand for `.clock(Clock::manual(unix_seconds))`.
    pub fn now(self, unix_seconds: i64) -> Self {
        self.clock(Clock::manual(unix_seconds))
    }

    /// The clock every "now" of the verifier comes from: `exp`/`nbf`/`iat`, the JWKS cache's
    /// TTL and refetch cooldown, the token cache's re-checks (default: the system clock).
    /// Clones of a [`Clock`] share its time, so a test can move it after `build()`.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Keeps up to `capacity` verified tokens, keyed on their exact text, so a token seen
    /// again skips decoding and the signature check (off by default).
    ///
    /// A hit still checks `exp`, `nbf` and `iat` against the verifier's clock (with the skew)
    /// and asks the [revocation check](Self::revocations) again, so a cached token is rejected
    /// the second it expires or is revoked (template tokens too). A token whose payload was swapped
    /// under a reused signature is other text: it never hits, it is verified and fails.
    /// Only tokens that passed every check are kept; one token takes about its own length
    /// (session tokens: about 1 KiB) plus its decoded claims.
    ///
    /// Off by default: a hit trusts the verifier's earlier answer, which is right for one
    /// verifier's own keys but is a choice the application makes, and the memory it takes
    /// depends on how many distinct tokens the application sees within their lifetime
    /// (60 s for session tokens). A few thousand entries cover a busy instance.
    ///
    /// ```
    /// # #[cfg(feature = "testing")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let issuer = clerk_claims::testing::issuer::TestIssuer::new();
    /// # let token = issuer.session().user("user_1").mint();
    /// let verifier = issuer.verifier_builder().token_cache(10_000).build()?;
    /// verifier.verify_session(&token).await?; // verified, then kept
    /// verifier.verify_session(&token).await?; // a hit: clock and revocation checks only
    /// assert_eq!(verifier.cached_tokens(), 1);
    /// # Ok(()) }
    /// # #[cfg(not(feature = "testing"))]
    /// # fn main() {}
    /// ```
    pub fn token_cache(mut self, capacity: usize) -> Self {
        self.token_cache = Some(capacity);
        self
    }

    /// Rejects verified tokens `check` reports revoked (`session-revoked`): by `sid`, and a
    /// token without one (a JWT-template token) by its user and `iat` (see
    /// [`RevocationCheck`]). Asked after the signature and claims checks and on every
    /// token-cache hit.
    pub fn revocations(mut self, check: impl RevocationCheck) -> Self {
        self.revocations = Some(Arc::new(check));
        self
    }

    /// The longest token accepted (default 16 KiB).
    pub fn max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }

    /// How long fetched keys are fresh (default 5 minutes, as Clerk's SDK).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn jwks_cache_ttl(mut self, ttl: Duration) -> Self {
        self.jwks_cache_ttl = ttl;
        self
    }

    /// The least time between two refetches caused by unknown `kid`s (default 30 s).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn jwks_cooldown(mut self, cooldown: Duration) -> Self {
        self.jwks_cooldown = cooldown;
        self
    }

    /// Timeout of one JWKS request (default 10 s).
    #[cfg(feature = "remote")]
    #[cfg_attr(docsrs, doc(cfg(feature = "remote")))]
    pub fn http_timeout(mut self, timeout: Duration) -> Self {
        self.http_timeout = timeout;
        self
    }

    /// Checks everything and builds the verifier.
    pub fn build(self) -> Result<Verifier, BuildError> {
        crate::crypto::ensure_provider();
        if self.algorithms.is_empty() {
            return Err(BuildError::NoAlgorithms);
        }
        let publishable = self
            .publishable_key
            .as_deref()
            .map(PublishableKey::parse)
            .transpose()?;
        let mut issuers: Vec<String> = self
            .issuers
            .iter()
            .filter(|i| !i.is_empty())
            .cloned()
            .collect();
        if issuers.is_empty()
            && let Some(pk) = &publishable
        {
            issuers.push(pk.issuer());
        }
        let mut template_keys = HashMap::new();
        for (template, alg, key) in self.template_keys.iter().cloned() {
            if key.prepared(alg).is_none() {
                return Err(BuildError::TemplateKey { template, alg });
            }
            template_keys.insert(template, (alg, Arc::new(key)));
        }
        let keys = self.key_source(publishable.as_ref())?;
        if matches!(keys, KeySource::None) && template_keys.is_empty() {
            return Err(BuildError::NoKeySource);
        }
        let policy = Policy {
            issuers,
            authorized_parties: self.authorized_parties,
            header_azp_optional: self.header_azp_optional,
            audience: self.audience,
            skew_ms: i64::try_from(self.clock_skew.as_millis()).unwrap_or(i64::MAX),
            header: HeaderPolicy {
                algorithms: self.algorithms,
                jwt_typ: true,
                category: true,
                max_kid_chars: crate::jwks::MAX_KID_LEN,
            },
            clock: self.clock,
            max_token_bytes: self.max_token_bytes,
            publishable_key: publishable,
        };
        Ok(Verifier {
            inner: Arc::new(Inner {
                keys,
                template_keys,
                policy,
                cache: self.token_cache.filter(|c| *c > 0).map(TokenCache::new),
                revocations: self.revocations,
            }),
        })
    }

    fn key_source(&self, publishable: Option<&PublishableKey>) -> Result<KeySource, BuildError> {
        if let Some(pem) = &self.pem {
            return Ok(KeySource::Pem(Arc::new(
                Key::from_pem(pem).map_err(BuildError::Pem)?,
            )));
        }
        if let Some(json) = &self.jwks_json {
            let set = JwkSet::from_json(json).map_err(BuildError::Jwks)?;
            return static_set(set);
        }
        if let Some(set) = &self.jwk_set {
            return static_set(set.clone());
        }
        let remote = if let Some(url) = &self.jwks_url {
            Some((check_url(url)?, None, "a JWKS URL"))
        } else if let Some(sk) = &self.secret_key {
            if !(sk.starts_with("sk_test_") || sk.starts_with("sk_live_")) {
                return Err(BuildError::SecretKey {
                    found: sk.chars().take(8).collect(),
                });
            }
            let base = check_url(&self.api_url)?;
            Some((
                format!("{}/v1/jwks", base.trim_end_matches('/')),
                Some(sk.clone()),
                "a secret key",
            ))
        } else {
            publishable.map(|pk| {
                (
                    format!("{}/.well-known/jwks.json", pk.issuer()),
                    None,
                    "a publishable key",
                )
            })
        };
        match remote {
            None => Ok(KeySource::None),
            #[cfg(feature = "remote")]
            Some((url, secret, _)) => {
                let config = crate::jwks::RemoteJwksConfig {
                    ttl: self.jwks_cache_ttl,
                    cooldown: self.jwks_cooldown,
                    timeout: self.http_timeout,
                    clock: self.clock.clone(),
                    ..crate::jwks::RemoteJwksConfig::default()
                };
                let remote = crate::jwks::RemoteJwks::new(url, secret, config)
                    .map_err(|e| BuildError::Http(e.to_string()))?;
                Ok(KeySource::Remote(remote))
            }
            #[cfg(not(feature = "remote"))]
            Some((_, _, what)) => Err(BuildError::RemoteDisabled { what }),
        }
    }
}

fn static_set(set: JwkSet) -> Result<KeySource, BuildError> {
    if set.is_empty() {
        return Err(BuildError::EmptyJwks {
            ignored: set.ignored().len(),
        });
    }
    Ok(KeySource::Static(Arc::new(set)))
}

fn check_url(url: &str) -> Result<String, BuildError> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(url.to_owned())
    } else {
        Err(BuildError::Url {
            url: url.to_owned(),
        })
    }
}

/// One issuer or a list of them, for [`VerifierBuilder::issuer`]: `&str`, `String`, arrays,
/// slices and `Vec`s of either.
pub trait IntoIssuers {
    /// The issuers, in order.
    fn into_issuers(self) -> Vec<String>;
}

impl IntoIssuers for &str {
    fn into_issuers(self) -> Vec<String> {
        vec![self.to_owned()]
    }
}

impl IntoIssuers for String {
    fn into_issuers(self) -> Vec<String> {
        vec![self]
    }
}

impl IntoIssuers for &String {
    fn into_issuers(self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl<S: Into<String>> IntoIssuers for Vec<S> {
    fn into_issuers(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String>, const N: usize> IntoIssuers for [S; N] {
    fn into_issuers(self) -> Vec<String> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<S: Into<String> + Clone> IntoIssuers for &[S] {
    fn into_issuers(self) -> Vec<String> {
        self.iter().cloned().map(Into::into).collect()
    }
}
