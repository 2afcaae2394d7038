//! Token verification in Clerk's order of checks (`verifyToken`, then `verifyJwt`).
//!
//! decode → category (`cat`: a machine token is refused) → key by `kid` → `typ` → algorithm
//! allow-list → the key can verify that algorithm → **signature** → `sub` → `aud` → `azp` →
//! `iss` (when known) → `exp` → `nbf` → `iat` (5 s skew) → the claims type's own checks (a
//! template's marker claim) → the revocation check → the typed claims. Nothing from the payload is
//! trusted before the signature: the registered claims are only parsed (Clerk reports a
//! non-JSON payload as `token-invalid`). Our stricter checks (the token kind by `cat`, `crit`,
//! the `kid` length, keys left out of the JWKS, duplicate members) fail at the step where Clerk
//! would fail on the same token, with Clerk's reason for that step.
//!
//! With [`VerifierBuilder::token_cache`], a token seen before skips everything up to the
//! claims; its `exp`, `nbf`, `iat` and revocation are checked again on every hit. Events go to
//! `tracing` under the target `clerk_claims`: rejections (reason, kid) at debug level, cache
//! hits and misses at trace level, JWKS fetches at info (failures at warn) and refetches held
//! back by the cooldown at debug; never a token or a secret.

pub mod advice;
mod base64url;
mod cache;
mod decode;
mod env;
mod error;
mod header;
mod jws;
mod options;
mod payload;
mod revoked;

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::claims::ClerkClaims;
use crate::clock::Clock;
use crate::crypto::Algorithm;
use crate::jwks::{JwkSet, Key, Lookup};
use crate::session::SessionClaims;
use crate::source::{FoundToken, TokenCarrier};
pub use decode::MAX_JSON_DEPTH;
use decode::Raw;
pub use env::{API_URL_ENV, ClerkEnv, EnvError, JWT_KEY_ENV, PUBLISHABLE_KEY_ENV, SECRET_KEY_ENV};
pub use error::{Reason, UnknownReason, VerifyError};
use header::BeforeKey;
#[cfg(feature = "request")]
pub(crate) use jws::verify_clerk_jws;
pub use jws::{Jws, Unverified, decode_unverified, verify_jws, verify_jws_with_set};
use options::Policy;
pub use options::{
    BuildError, DEFAULT_API_URL, DEFAULT_CLOCK_SKEW, DEFAULT_MAX_TOKEN_BYTES, IntoIssuers,
    VerifierBuilder,
};
pub use revoked::RevocationCheck;

/// The `cat` header of session tokens.
pub const CATEGORY_SESSION: &str = "cl_B7d4PD111AAA";
/// The `cat` header of JWT-template tokens.
pub const CATEGORY_TEMPLATE: &str = "cl_B7d4PD222AAA";
/// The `cat` header of machine-to-machine tokens (never accepted here).
pub const CATEGORY_M2M: &str = "cl_B7d4PD333AAA";
/// The `cat` header of instances with `use_ignore_jwt_cat` (accepted as either kind).
pub const CATEGORY_IGNORE: &str = "cl_I7d4PD111III";

/// Latest NumericDate accepted (9999-12-31T23:59:59Z).
const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

/// Which kind of Clerk token is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A session token (`cat` `cl_B7d4PD111AAA`): `getToken()`, the `__session` cookie.
    Session,
    /// A JWT-template token (`cat` `cl_B7d4PD222AAA`): `getToken({ template })`.
    Template,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Session => "session",
            Self::Template => "JWT-template",
        })
    }
}

/// A verified token: the standard claims, the header's `kid`/`cat`, and the typed claims `C`.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified<C> {
    /// `sub`: the user ID.
    pub sub: String,
    /// `iss`: the Frontend API URL.
    pub iss: Option<String>,
    /// `exp` (Unix seconds, fractions dropped).
    pub exp: i64,
    /// `iat` (Unix seconds).
    pub iat: Option<i64>,
    /// `nbf` (Unix seconds).
    pub nbf: Option<i64>,
    /// `azp`: the origin the token was minted for.
    pub azp: Option<String>,
    /// `jti`.
    pub jti: Option<String>,
    /// `sid`: the session ID (session tokens).
    pub sid: Option<String>,
    /// The header `kid` (absent for custom-key template tokens).
    pub kid: Option<String>,
    /// The header `cat`.
    pub category: Option<String>,
    /// The header `alg`.
    pub algorithm: Algorithm,
    /// The typed claims.
    pub claims: C,
}

impl<C> Verified<C> {
    /// The typed claims, by value.
    pub fn into_claims(self) -> C {
        self.claims
    }

    /// The same standard claims with other typed claims.
    pub fn map<D>(self, f: impl FnOnce(C) -> D) -> Verified<D> {
        Verified {
            sub: self.sub,
            iss: self.iss,
            exp: self.exp,
            iat: self.iat,
            nbf: self.nbf,
            azp: self.azp,
            jti: self.jti,
            sid: self.sid,
            kid: self.kid,
            category: self.category,
            algorithm: self.algorithm,
            claims: f(self.claims),
        }
    }
}

impl<C> Deref for Verified<C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.claims
    }
}

/// Verifies Clerk tokens. Cheap to clone (an `Arc` inside); build once, share everywhere.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let jwks = r#"{"keys":[]}"#;
/// let err = clerk_claims::Verifier::from_jwks_json(jwks).err();
/// assert!(err.is_some(), "a JWKS without a usable key is refused at build time");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("keys", &self.inner.keys)
            .field("issuers", &self.inner.policy.issuers)
            .finish_non_exhaustive()
    }
}

struct Inner {
    keys: KeySource,
    template_keys: HashMap<String, (Algorithm, Arc<Key>)>,
    policy: Policy,
    cache: Option<cache::TokenCache>,
    revocations: Option<Arc<dyn RevocationCheck>>,
}

pub(crate) enum KeySource {
    None,
    Pem(Arc<Key>),
    Static(Arc<JwkSet>),
    #[cfg(feature = "remote")]
    Remote(crate::jwks::RemoteJwks),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Pem(_) => f.write_str("Pem"),
            Self::Static(set) => write!(f, "Jwks({:?})", set.kids()),
            #[cfg(feature = "remote")]
            Self::Remote(remote) => write!(f, "Remote({})", remote.url()),
        }
    }
}

/// What the caller asked for: the token kind, and for template types the template name and
/// whether `aud` is one of its claims; the claims type's name tells types apart in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Expect {
    kind: TokenKind,
    template: Option<&'static str>,
    custom_aud: bool,
    carrier: TokenCarrier,
    claims_type: &'static str,
}

impl Expect {
    /// Clerk's session token, read as [`SessionClaims`].
    fn session(carrier: TokenCarrier) -> Self {
        Self {
            kind: TokenKind::Session,
            template: None,
            custom_aud: false,
            carrier,
            claims_type: std::any::type_name::<SessionClaims>(),
        }
    }
}

impl Verifier {
    /// A builder; every input is checked at `build()`.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// Networkless verification with a PEM public key (`CLERK_JWT_KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, BuildError> {
        Self::builder().pem(pem).build()
    }

    /// Networkless verification with a JWKS document (JSON text).
    pub fn from_jwks_json(json: &str) -> Result<Self, BuildError> {
        Self::builder().jwks_json(json).build()
    }

    /// Keys from a JWKS URL, cached (feature `remote`).
    #[cfg(feature = "remote")]
    pub fn from_jwks_url(url: &str) -> Result<Self, BuildError> {
        Self::builder().jwks_url(url).build()
    }

    /// Keys from the Backend API `/v1/jwks` with a secret key (feature `remote`).
    #[cfg(feature = "remote")]
    pub fn from_secret_key(secret_key: &str) -> Result<Self, BuildError> {
        Self::builder().secret_key(secret_key).build()
    }

    /// Issuer from the publishable key, keys from its Frontend API `/.well-known/jwks.json`
    /// (feature `remote`).
    #[cfg(feature = "remote")]
    pub fn from_publishable_key(publishable_key: &str) -> Result<Self, BuildError> {
        Self::builder().publishable_key(publishable_key).build()
    }

    /// The clock the verifier reads "now" from (also the JWKS cache's and the token cache's).
    pub fn clock(&self) -> &Clock {
        &self.inner.policy.clock
    }

    /// How many verified tokens the token cache holds (0 without a cache).
    pub fn cached_tokens(&self) -> usize {
        self.inner.cache.as_ref().map_or(0, cache::TokenCache::len)
    }

    /// The issuer the verifier requires, when known (the first of [`issuers`](Self::issuers)).
    pub fn issuer(&self) -> Option<&str> {
        self.inner.policy.issuers.first().map(String::as_str)
    }

    /// The issuers a token's `iss` must be one of (empty: any).
    pub fn issuers(&self) -> &[String] {
        &self.inner.policy.issuers
    }

    /// The origins a token's `azp` must be one of (empty: any).
    pub fn authorized_parties(&self) -> &[String] {
        &self.inner.policy.authorized_parties
    }

    /// The instance's publishable key, when the verifier was built with one: it names Clerk's
    /// suffixed session cookie (`__session_<suffix>`), which the axum extractors look for.
    pub fn publishable_key(&self) -> Option<&crate::source::PublishableKey> {
        self.inner.policy.publishable_key.as_ref()
    }

    /// Verifies a token and decodes its claims as `C`: a JWT-template token when
    /// `C::TEMPLATE_NAME` is `Some`, a session token when it is `None`.
    ///
    /// A template token must also be a token of `C`'s template: a derived template carries a
    /// marker claim naming it ([`MARKER_CLAIM`](crate::template::MARKER_CLAIM), unless
    /// `#[clerk(marker = false)]`), so a token of another template of the same instance whose
    /// claims happen to fit is rejected with `token-type-mismatch`
    /// ([`VerifyError::TemplateMarker`]), and one without the marker (a dashboard template
    /// older than the code) with `claims-mismatch`. A lifetime override
    /// (`getToken({ template, expiresInSeconds })`) is no reason to refuse a token; with
    /// `#[clerk(exact_lifetime)]`, `exp - iat` must also equal the template's lifetime
    /// ([`VerifyError::TemplateLifetime`]).
    ///
    /// ```
    /// # #[cfg(all(feature = "derive", feature = "testing"))]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let issuer = clerk_claims::testing::issuer::TestIssuer::new();
    /// # let verifier = issuer.verifier();
    /// use clerk_claims::verify::Reason;
    ///
    /// #[derive(clerk_claims::ClerkClaims, Debug)]
    /// #[clerk(template = "api", lifetime = 300)]
    /// pub struct ApiClaims {
    ///     #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    ///     pub plan: String,
    /// }
    ///
    /// #[derive(clerk_claims::ClerkClaims, Debug)]
    /// #[clerk(template = "reporting", lifetime = 300)]
    /// pub struct ReportingClaims {
    ///     #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    ///     pub plan: String,
    /// }
    ///
    /// let claims = ReportingClaims { plan: "pro".into() };
    /// let reporting = issuer.template_token(&claims).mint();
    /// let err = verifier.verify::<ApiClaims>(&reporting).await.unwrap_err();
    /// assert_eq!(err.reason(), Reason::TokenTypeMismatch);
    /// // A genuine token with a lifetime override passes.
    /// let claims = ApiClaims { plan: "pro".into() };
    /// let api = issuer.template_token(&claims).lifetime(600).mint();
    /// assert_eq!(verifier.verify::<ApiClaims>(&api).await?.plan, "pro");
    /// # Ok(()) }
    /// # #[cfg(not(all(feature = "derive", feature = "testing")))]
    /// # fn main() {}
    /// ```
    pub async fn verify<C: ClerkClaims>(&self, token: &str) -> Result<Verified<C>, VerifyError> {
        self.verify_as::<C>(token, TokenCarrier::Header).await
    }

    /// Like [`verify`](Self::verify) for a token found in a request: a cookie token must carry
    /// `azp` (Clerk's CSRF rule).
    pub async fn verify_found<C: ClerkClaims>(
        &self,
        found: FoundToken<'_>,
    ) -> Result<Verified<C>, VerifyError> {
        self.verify_as::<C>(found.token, found.carrier).await
    }

    async fn verify_as<C: ClerkClaims>(
        &self,
        token: &str,
        carrier: TokenCarrier,
    ) -> Result<Verified<C>, VerifyError> {
        let expect = Expect {
            kind: if C::TEMPLATE_NAME.is_some() {
                TokenKind::Template
            } else {
                TokenKind::Session
            },
            template: C::TEMPLATE_NAME,
            custom_aud: C::claim_info().iter().any(|c| c.claim == "aud"),
            carrier,
            claims_type: std::any::type_name::<C>(),
        };
        self.check::<payload::Typed<C>>(token, expect).await
    }

    /// Verifies a session token and decodes Clerk's default session claims.
    pub async fn verify_session(
        &self,
        token: &str,
    ) -> Result<Verified<SessionClaims>, VerifyError> {
        self.verify_session_as(token, TokenCarrier::Header).await
    }

    /// [`verify_session`](Self::verify_session), shared: with the
    /// [token cache](VerifierBuilder::token_cache) on, a hit hands out the cached claims
    /// without copying them (the clock and revocation checks still run), which is what a
    /// request layer keeping the outcome in the request extensions wants.
    pub async fn verify_session_shared(
        &self,
        token: &str,
    ) -> Result<Arc<Verified<SessionClaims>>, VerifyError> {
        let expect = Expect::session(TokenCarrier::Header);
        if let Some(cache) = &self.inner.cache {
            let started = crate::metrics::Started::now();
            let key = cache::KeyRef::new(token, cache::Mode::Session, expect);
            match self.cached(cache, &key) {
                Some(Ok(entry)) => {
                    if let cache::CachedClaims::Session(shared) = &entry.claims {
                        let outcome = Ok(Arc::clone(shared));
                        crate::metrics::verification(expect.kind, &outcome, started);
                        return outcome;
                    }
                }
                Some(Err(e)) => {
                    let outcome = Err(e);
                    crate::metrics::verification(expect.kind, &outcome, started);
                    return outcome;
                }
                None => {}
            }
        }
        self.check::<payload::Session>(token, expect)
            .await
            .map(Arc::new)
    }

    /// [`verify_session`](Self::verify_session) for a token found in a request.
    pub async fn verify_session_found(
        &self,
        found: FoundToken<'_>,
    ) -> Result<Verified<SessionClaims>, VerifyError> {
        self.verify_session_as(found.token, found.carrier).await
    }

    async fn verify_session_as(
        &self,
        token: &str,
        carrier: TokenCarrier,
    ) -> Result<Verified<SessionClaims>, VerifyError> {
        self.check::<payload::Session>(token, Expect::session(carrier))
            .await
    }

    /// Verifies a token of `kind` and returns its raw payload (for tools such as the CLI).
    pub async fn verify_payload(
        &self,
        token: &str,
        kind: TokenKind,
    ) -> Result<Verified<Map<String, Value>>, VerifyError> {
        let expect = Expect {
            kind,
            template: None,
            custom_aud: kind == TokenKind::Template,
            carrier: TokenCarrier::Header,
            claims_type: std::any::type_name::<Map<String, Value>>(),
        };
        self.check::<payload::Object>(token, expect).await
    }

    /// Every check of a token of the expected kind, then the payload read as `P` says; from
    /// the token cache when it holds the token (the clock and revocation checks again).
    ///
    /// Only a remote JWKS makes this wait; every other key source is checked without waiting,
    /// so the future is ready on its first poll.
    #[cfg(feature = "metrics")]
    async fn check<P: payload::Payload>(
        &self,
        token: &str,
        expect: Expect,
    ) -> Result<Verified<P::Output>, VerifyError> {
        let started = crate::metrics::Started::now();
        let outcome = self.check_untimed::<P>(token, expect).await;
        crate::metrics::verification(expect.kind, &outcome, started);
        outcome
    }

    /// Without the feature `metrics`, [`check_untimed`](Self::check_untimed) itself: no
    /// wrapping future on the hot path.
    #[cfg(not(feature = "metrics"))]
    fn check<P: payload::Payload>(
        &self,
        token: &str,
        expect: Expect,
    ) -> impl Future<Output = Result<Verified<P::Output>, VerifyError>> {
        self.check_untimed::<P>(token, expect)
    }

    async fn check_untimed<P: payload::Payload>(
        &self,
        token: &str,
        expect: Expect,
    ) -> Result<Verified<P::Output>, VerifyError> {
        let cache = match self.lookup_cache::<P>(token, expect) {
            Cached::Hit(outcome) => return outcome,
            Cached::Miss(cache) => cache,
        };
        // 1. Decode: three strict base64url parts, the JSON header.
        let max = self.inner.policy.max_token_bytes;
        let parts = decode::split(token, max).map_err(|e| rejected(e, None))?;
        let header = decode::header(parts.header_json()).map_err(|e| rejected(e, None))?;
        let kid = header.kid.as_ref().and_then(Raw::as_str);
        let outcome = async {
            let front = self.front::<P>(&parts, &header, expect)?;
            let key = self.key(front.before_key.kid, expect).await?;
            self.back::<P>(&parts, &header, expect, front, key, cache)
        };
        outcome.await.map_err(|e| rejected(e, kid))
    }

    /// The token cache's answer for `token`, or where to keep it once verified.
    fn lookup_cache<'c, P: payload::Payload>(
        &'c self,
        token: &'c str,
        expect: Expect,
    ) -> Cached<'c, Verified<P::Output>> {
        let Some(cache) = &self.inner.cache else {
            return Cached::Miss(None);
        };
        let key = cache::KeyRef::new(token, P::MODE, expect);
        match self.cached(cache, &key) {
            None => {
                // Counted here, not in `cached`: a shared verification that missed looks again.
                crate::metrics::token_cache(false);
                Cached::Miss(Some((cache, key)))
            }
            Some(Err(e)) => Cached::Hit(Err(e)),
            Some(Ok(entry)) => Cached::Hit(match P::from_cache(&entry.claims) {
                Ok(output) => Ok(entry.verified.clone().map(|()| output)),
                Err(e) => Err(rejected(e, entry.verified.kid.as_deref())),
            }),
        }
    }

    /// The cache entry of `key` once its clock and revocation checks pass again; `None` on a
    /// miss. An entry that fails is dropped: it would fail the same way next time.
    fn cached(
        &self,
        cache: &cache::TokenCache,
        key: &cache::KeyRef<'_>,
    ) -> Option<Result<Arc<cache::Entry>, VerifyError>> {
        let Some(entry) = cache.get(key) else {
            tracing::trace!(target: "clerk_claims", "token cache miss");
            return None;
        };
        tracing::trace!(target: "clerk_claims", "token cache hit");
        crate::metrics::token_cache(true);
        let policy = &self.inner.policy;
        let rechecked = check_times(
            entry.exp,
            entry.nbf,
            entry.iat,
            policy,
            policy.clock.now_ms(),
        )
        .and_then(|()| self.check_revoked(&entry.verified));
        Some(match rechecked {
            Ok(()) => Ok(entry),
            Err(e) => {
                cache.remove(key);
                Err(rejected(e, entry.verified.kid.as_deref()))
            }
        })
    }

    /// Step 2: the payload parsed (registered claims only trusted after the signature), and
    /// the header checks that select the key: `cat`, `kid`.
    fn front<'p, P: payload::Payload>(
        &self,
        parts: &'p decode::Parts<'_>,
        header: &'p decode::Header<'_>,
        expect: Expect,
    ) -> Result<Front<'p, P>, VerifyError> {
        let (claims, parsed) = P::parse(parts.payload())?;
        let before_key = self.inner.policy.header.before_key(header, expect.kind)?;
        Ok(Front {
            claims,
            parsed,
            before_key,
        })
    }

    /// Step 3: what the key source holds for `kid` (a template key pins its algorithm); no key
    /// at all is `jwk-kid-mismatch` here, a key that is there but unusable or ambiguous is one
    /// for the algorithm step (Clerk's order). Only a remote JWKS waits.
    async fn key(
        &self,
        kid: Option<&str>,
        expect: Expect,
    ) -> Result<(Lookup, Option<&[Algorithm]>), VerifyError> {
        if let Some((alg, key)) = self.template_key(expect) {
            return Ok((Lookup::Found(key), Some(std::slice::from_ref(alg))));
        }
        let lookup = match (&self.inner.keys, kid) {
            (KeySource::None, _) => return Err(no_key_source()),
            (KeySource::Pem(key), _) => Lookup::Found(Arc::clone(key)),
            (_, None) => Lookup::Missing,
            (KeySource::Static(set), Some(kid)) => set.lookup(kid),
            // Boxed: its state would make the future of every local verification large.
            #[cfg(feature = "remote")]
            (KeySource::Remote(remote), Some(kid)) => Box::pin(remote.key(kid)).await?,
        };
        Ok((found(lookup, kid)?, None))
    }

    /// Steps 4 to 13: `typ`, `crit`, `alg` and the key, the signature, the claims, what the claims
    /// type adds, the revocation check; then the claims read, and kept in `cache`.
    fn back<P: payload::Payload>(
        &self,
        parts: &decode::Parts<'_>,
        header: &decode::Header<'_>,
        expect: Expect,
        front: Front<'_, P>,
        (lookup, allowed): (Lookup, Option<&[Algorithm]>),
        cache: Option<(&cache::TokenCache, cache::KeyRef<'_>)>,
    ) -> Result<Verified<P::Output>, VerifyError> {
        let policy = &self.inner.policy;
        let Front {
            claims,
            parsed,
            before_key: BeforeKey { kid, category },
        } = front;
        let (key, alg) = policy.header.algorithm(header, lookup, kid, allowed)?;
        // Signature, before any claim.
        parts.check_signature(&key, alg)?;
        let checked = check_claims(&claims, policy, expect, policy.clock.now_ms())?;
        P::check_registered(&claims, checked.exp, checked.iat)?;
        self.check_revoked(&checked.verified)?;
        let verified = Verified {
            kid: kid.map(str::to_owned),
            category: category.map(str::to_owned),
            algorithm: alg,
            ..checked.verified
        };
        drop(claims);
        let output = P::finish(parsed, parts.payload()).map_err(|e| match e {
            // A metadata value that does not fit is one user's data: the message names them.
            VerifyError::ClaimsMismatch(m) => {
                VerifyError::ClaimsMismatch(m.for_user(&verified.sub))
            }
            e => e,
        })?;
        if let Some((cache, key)) = cache {
            cache.insert(
                key,
                cache::Entry {
                    verified: verified.clone(),
                    exp: checked.exp,
                    nbf: checked.nbf,
                    iat: checked.iat,
                    claims: P::to_cache(&verified, &output, parts.payload()),
                },
            );
        }
        Ok(verified.map(|()| output))
    }

    /// Rejects a token the revocation check reports revoked: by its `sid`, or, without one
    /// (a template token), by its user and `iat`.
    fn check_revoked(&self, verified: &Verified<()>) -> Result<(), VerifyError> {
        let Some(check) = &self.inner.revocations else {
            return Ok(());
        };
        match &verified.sid {
            Some(sid) if check.is_revoked(sid) => Err(VerifyError::SessionRevoked {
                session_id: crate::json_text::clip(sid).into_owned(),
            }),
            None if check.is_user_token_revoked(&verified.sub, verified.iat) => {
                Err(VerifyError::UserTokenRevoked {
                    user_id: crate::json_text::clip(&verified.sub).into_owned(),
                    issued_at: verified.iat,
                })
            }
            _ => Ok(()),
        }
    }

    fn template_key(&self, expect: Expect) -> Option<(&Algorithm, Arc<Key>)> {
        if expect.kind != TokenKind::Template {
            return None;
        }
        let (alg, key) = self.inner.template_keys.get(expect.template?)?;
        Some((alg, Arc::clone(key)))
    }

    /// The usable key for `kid` of a session-kind token, by the same lookup and the same
    /// rules as [`check`](Self::check) (for the handshake token).
    #[cfg(feature = "request")]
    pub(crate) async fn key_for(&self, kid: Option<&str>) -> Result<Arc<Key>, VerifyError> {
        let (lookup, _) = self.key(kid, Expect::session(TokenCarrier::Header)).await?;
        header::usable(lookup, kid)
    }
}

/// The token cache's answer, or where a verified token goes.
enum Cached<'c, T> {
    /// The cache held the token: the outcome of its re-checks.
    Hit(Result<T, VerifyError>),
    /// Not cached (or no cache): the cache and key to keep it under once verified.
    Miss(Option<(&'c cache::TokenCache, cache::KeyRef<'c>)>),
}

/// What the checks before the key found, for the checks after it.
struct Front<'p, P: payload::Payload> {
    claims: decode::Registered<'p>,
    parsed: P::Parsed<'p>,
    before_key: BeforeKey<'p>,
}

/// A lookup that found something (maybe unusable); none at all is `jwk-kid-mismatch`.
fn found(lookup: Lookup, kid: Option<&str>) -> Result<Lookup, VerifyError> {
    match lookup {
        Lookup::Missing => Err(VerifyError::kid_mismatch(kid, false)),
        found => Ok(found),
    }
}

fn no_key_source() -> VerifyError {
    VerifyError::NoKey {
        detail: "no key source is configured for this kind of token (only template keys are)"
            .into(),
    }
}

/// Logs a rejection (reason and kid; never the token) and hands it on.
fn rejected(e: VerifyError, kid: Option<&str>) -> VerifyError {
    tracing::debug!(target: "clerk_claims", reason = %e.reason(), kid = kid.map(crate::json_text::clip).as_deref(), "token rejected: {e}");
    e
}

fn claim_error(
    claim: &'static str,
    expected: &'static str,
    found: Option<&Raw<'_>>,
) -> VerifyError {
    VerifyError::Claim {
        claim,
        expected,
        found: found
            .map(Raw::describe)
            .unwrap_or_else(|| "no such claim".into()),
    }
}

/// An optional string claim: absent is fine, any other type is not.
fn optional_string(
    claim: &'static str,
    value: Option<&Raw<'_>>,
) -> Result<Option<String>, VerifyError> {
    match value {
        None => Ok(None),
        Some(Raw::Str(s)) => Ok(Some(s.as_ref().to_owned())),
        other => Err(claim_error(claim, "a string", other)),
    }
}

/// A NumericDate (RFC 7519 §2): any finite JSON number, `1767225660`, `1767225660.5` or
/// `1.76722566e9`, up to 9999-12-31. Below 0 only for `exp`, which is then long past and
/// fails as expired, as in Clerk's SDK; a negative `nbf` or `iat` is refused (Clerk would let
/// it pass), as is anything past year 9999 (where Clerk's `Date` turns invalid and every
/// comparison passes).
fn numeric_date(claim: &'static str, value: Option<&Raw<'_>>) -> Result<Option<f64>, VerifyError> {
    let lowest = if claim == "exp" { f64::MIN } else { 0.0 };
    match value {
        None => Ok(None),
        Some(Raw::Number(n)) if n.is_finite() && (lowest..=MAX_NUMERIC_DATE).contains(n) => {
            Ok(Some(*n))
        }
        Some(Raw::Number(_)) => Err(claim_error(
            claim,
            "a date between 1970 and 9999 (Unix seconds)",
            value,
        )),
        other => Err(claim_error(claim, "a number (Unix seconds)", other)),
    }
}

/// The registered claims once checked, with the NumericDates as written (the token cache
/// checks them again on every hit).
struct Checked {
    verified: Verified<()>,
    exp: f64,
    nbf: Option<f64>,
    iat: Option<f64>,
}

/// `exp`, `nbf` and `iat` against the clock (in milliseconds, as Clerk compares them).
fn check_times(
    exp: f64,
    nbf: Option<f64>,
    iat: Option<f64>,
    policy: &Policy,
    now_ms: i64,
) -> Result<(), VerifyError> {
    check_exp(exp, policy, now_ms)?;
    check_nbf(nbf, policy, now_ms)?;
    check_iat(iat, policy, now_ms)
}

/// A NumericDate in milliseconds as Clerk's SDK reads it: `Date#setUTCSeconds` drops the
/// fraction of a second (towards zero), so `1767225660.9` is `1767225660000`.
fn clerk_ms(date: f64) -> f64 {
    date.trunc() * 1000.0
}

fn check_exp(exp: f64, policy: &Policy, now_ms: i64) -> Result<(), VerifyError> {
    if clerk_ms(exp) <= now_ms as f64 - policy.skew_ms as f64 {
        return Err(VerifyError::Expired {
            exp,
            now: now_ms.div_euclid(1000),
            skew_ms: policy.skew_ms.unsigned_abs(),
        });
    }
    Ok(())
}

/// The date (`nbf`, `iat`) when it is later than now plus the skew, Clerk's comparison.
fn in_the_future(date: Option<f64>, policy: &Policy, now_ms: i64) -> Option<f64> {
    date.filter(|d| clerk_ms(*d) > now_ms as f64 + policy.skew_ms as f64)
}

fn check_nbf(nbf: Option<f64>, policy: &Policy, now_ms: i64) -> Result<(), VerifyError> {
    let now = now_ms.div_euclid(1000);
    in_the_future(nbf, policy, now_ms)
        .map_or(Ok(()), |nbf| Err(VerifyError::NotActiveYet { nbf, now }))
}

fn check_iat(iat: Option<f64>, policy: &Policy, now_ms: i64) -> Result<(), VerifyError> {
    let now = now_ms.div_euclid(1000);
    in_the_future(iat, policy, now_ms)
        .map_or(Ok(()), |iat| Err(VerifyError::IssuedInFuture { iat, now }))
}

/// The registered claims in Clerk's order: `sub`, `aud`, `azp`, `iss`, `exp`, `nbf`, `iat`
/// (then ours: `jti` and `sid` are strings).
fn check_claims(
    c: &decode::Registered<'_>,
    policy: &Policy,
    expect: Expect,
    now_ms: i64,
) -> Result<Checked, VerifyError> {
    // sub: a non-empty string.
    let sub = match &c.sub {
        Some(Raw::Str(s)) if !s.is_empty() => s.as_ref().to_owned(),
        other => {
            return Err(claim_error(
                "sub",
                "a non-empty string (the user ID)",
                other.as_ref(),
            ));
        }
    };
    // aud: checked against the audience when one is configured; without one, a session token
    // must not carry aud (a template's aud is its own claim).
    if let Some(aud) = &c.aud {
        let values: Option<Vec<&str>> = match aud {
            Raw::Str(s) => Some(vec![s.as_ref()]),
            Raw::Array(items) => items.iter().map(Raw::as_str).collect(),
            _ => None,
        };
        if !policy.audience.is_empty() {
            let ok = values
                .as_ref()
                .is_some_and(|v| v.iter().any(|a| policy.audience.iter().any(|x| x == a)));
            if !ok {
                return Err(VerifyError::Audience {
                    expected: policy.audience.clone(),
                    found: aud.describe(),
                });
            }
        } else if !expect.custom_aud {
            return Err(VerifyError::Audience {
                expected: Vec::new(),
                found: aud.describe(),
            });
        }
    }
    // azp: required and listed when authorized parties are configured; required for cookies.
    let azp = optional_string("azp", c.azp.as_ref()).map_err(|_| VerifyError::AuthorizedParty {
        expected: policy.authorized_parties.clone(),
        found: c.azp.as_ref().map(Raw::describe),
    })?;
    let listed = azp
        .as_ref()
        .is_some_and(|a| policy.authorized_parties.iter().any(|p| p == a));
    let cookie = expect.carrier == TokenCarrier::Cookie;
    let required = !policy.authorized_parties.is_empty() || cookie;
    // A header token without azp, when the verifier accepts those: nothing to list.
    let exempt = azp.is_none() && !cookie && policy.header_azp_optional;
    if required && !exempt && (azp.is_none() || (!policy.authorized_parties.is_empty() && !listed))
    {
        return Err(VerifyError::AuthorizedParty {
            expected: policy.authorized_parties.clone(),
            found: azp
                .as_deref()
                .map(|a| crate::json_text::clip(a).into_owned()),
        });
    }
    // iss: a string equal to the configured issuer, when one is known.
    let iss = match (policy.issuers.is_empty(), &c.iss) {
        (false, Some(Raw::Str(found))) if policy.issuers.iter().any(|i| i == found.as_ref()) => {
            Some(found.as_ref().to_owned())
        }
        (false, found) => {
            return Err(VerifyError::Issuer {
                // Clerk's message lists them joined by ",".
                expected: policy.issuers.join(","),
                found: found
                    .as_ref()
                    .map(Raw::describe)
                    .unwrap_or_else(|| "no iss claim".into()),
            });
        }
        (true, found) => optional_string("iss", found.as_ref())?,
    };
    // exp, nbf, iat: each one's type, then its time.
    let exp = numeric_date("exp", c.exp.as_ref())?
        .ok_or_else(|| claim_error("exp", "a number (Unix seconds)", None))?;
    check_exp(exp, policy, now_ms)?;
    let nbf = numeric_date("nbf", c.nbf.as_ref())?;
    check_nbf(nbf, policy, now_ms)?;
    let iat = numeric_date("iat", c.iat.as_ref())?;
    check_iat(iat, policy, now_ms)?;
    let jti = optional_string("jti", c.jti.as_ref())?;
    let sid = optional_string("sid", c.sid.as_ref())?;
    let verified = Verified {
        sub,
        iss,
        exp: exp.floor() as i64,
        iat: iat.map(|t| t.floor() as i64),
        nbf: nbf.map(|t| t.floor() as i64),
        azp,
        jti,
        sid,
        kid: None,
        category: None,
        algorithm: Algorithm::RS256,
        claims: (),
    };
    Ok(Checked {
        verified,
        exp,
        nbf,
        iat,
    })
}

#[cfg(all(test, feature = "testing"))]
mod tracing_tests {
    //! The `tracing` events of the verifier: target `clerk_claims`, the reason and kid of a
    //! rejection, never the token.

    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    use crate::testing::issuer::TestIssuer;

    /// Every event as `target level field=value…`.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<String>>>);

    struct Fields(String);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let meta = event.metadata();
            let mut fields = Fields(format!("{} {}", meta.target(), meta.level()));
            event.record(&mut fields);
            if let Ok(mut events) = self.0.lock() {
                events.push(fields.0);
            }
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    fn ready<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("local-key verification suspended"),
        }
    }

    #[test]
    fn rejection_event_names_reason_and_kid_but_not_the_token() {
        let issuer = TestIssuer::new();
        let verifier = issuer
            .verifier_builder()
            .now(1_000)
            .token_cache(4)
            .build()
            .expect("builds");
        let token = issuer.session().issued_at(100).mint();
        let recorder = Recorder::default();
        tracing::subscriber::with_default(recorder.clone(), || {
            assert!(ready(verifier.verify_session(&token)).is_err());
        });
        let events = recorder.0.lock().map(|e| e.clone()).unwrap_or_default();
        let rejection = events
            .iter()
            .find(|e| e.contains("token rejected"))
            .unwrap_or_else(|| panic!("a rejection event: {events:?}"));
        assert!(rejection.starts_with("clerk_claims DEBUG"), "{rejection}");
        assert!(rejection.contains("reason=token-expired"), "{rejection}");
        assert!(rejection.contains(issuer.kid()), "{rejection}");
        let signature = token.rsplit('.').next().unwrap_or_default();
        for event in &events {
            assert!(
                !event.contains(&token) && !event.contains(signature),
                "{event}"
            );
        }
        assert!(
            events.iter().any(|e| e.contains("token cache miss")),
            "cache misses are traced: {events:?}"
        );
    }
}
