//! TestIssuer: fresh keys, Clerk-shaped session and template tokens.
//!
//! ```
//! use clerk_claims::testing::issuer::TestIssuer;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let issuer = TestIssuer::new();
//! let token = issuer.session().user("user_123").org("org_1", "acme", "admin")
//!     .permissions(["org:invoices:read"]).mint();
//! let verified = issuer.verifier().verify_session(&token).await?;
//! assert_eq!(verified.sub, "user_123");
//! # Ok(()) }
//! ```

use std::sync::{Arc, OnceLock};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SecureRandom;
use aws_lc_rs::signature::{self as sig, EcdsaKeyPair, KeyPair, RsaKeyPair};
use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::Clock;
use crate::claims::ClerkClaims;
use crate::crypto::Algorithm;
use crate::jwks::{JwkSet, Key};
use crate::source::PublishableKey;
use crate::verify::{CATEGORY_SESSION, CATEGORY_TEMPLATE, Verifier, VerifierBuilder};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // SystemRandom only fails when the OS has no randomness at all; the testing kit then has
    // nothing sensible to do.
    aws_lc_rs::rand::SystemRandom::new()
        .fill(&mut bytes)
        .expect("the OS random number generator failed");
    bytes
}

fn random_alnum(len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    random_bytes::<64>()
        .iter()
        .take(len)
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[derive(Debug, Clone)]
struct InstanceKey {
    kid: String,
    pair: Arc<RsaKeyPair>,
}

fn generate_rsa() -> Arc<RsaKeyPair> {
    Arc::new(
        RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
            .expect("RSA-2048 key generation failed"),
    )
}

fn generate_ec(alg: &'static sig::EcdsaSigningAlgorithm) -> Arc<EcdsaKeyPair> {
    Arc::new(EcdsaKeyPair::generate(alg).expect("EC key generation failed"))
}

/// A fake Clerk instance for tests: fresh RSA-2048 instance keys (JWKS, PEM), EC keys and an
/// HMAC secret for custom-key templates, and builders that mint tokens shaped like Clerk's.
#[derive(Debug, Clone)]
pub struct TestIssuer {
    frontend_api: String,
    /// The current key first, then retired keys still published until dropped.
    keys: Vec<InstanceKey>,
    custom_rsa: Arc<OnceLock<Arc<RsaKeyPair>>>,
    ec: Arc<[OnceLock<Arc<EcdsaKeyPair>>; 3]>,
    hmac_secret: Arc<[u8; 64]>,
    /// "Now" of every token minted without an explicit `iat`.
    clock: Clock,
}

impl Default for TestIssuer {
    fn default() -> Self {
        Self::new()
    }
}

impl TestIssuer {
    /// A new instance with a random Frontend API host and a fresh RSA-2048 key.
    pub fn new() -> Self {
        let host = format!(
            "test-{}.clerk.accounts.dev",
            random_alnum(10).to_lowercase()
        );
        Self::with_frontend_api(&host)
    }

    /// A new instance with this Frontend API host (`something.clerk.accounts.dev`).
    pub fn with_frontend_api(frontend_api: &str) -> Self {
        Self {
            frontend_api: frontend_api.to_owned(),
            keys: vec![InstanceKey {
                kid: format!("ins_test_{}", random_alnum(27)),
                pair: generate_rsa(),
            }],
            custom_rsa: Arc::new(OnceLock::new()),
            ec: Arc::new([OnceLock::new(), OnceLock::new(), OnceLock::new()]),
            hmac_secret: Arc::new(random_bytes::<64>()),
            clock: Clock::system(),
        }
    }

    /// Mints with this clock: tokens without an explicit `iat` are issued at its "now", and
    /// [`verifier`](Self::verifier) reads the same clock, so moving one moves both.
    ///
    /// ```
    /// use clerk_claims::Clock;
    /// use clerk_claims::testing::issuer::TestIssuer;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let clock = Clock::manual(1_767_225_600);
    /// let issuer = TestIssuer::new().with_clock(clock.clone());
    /// let token = issuer.session().mint();
    /// let verified = issuer.verifier().verify_session(&token).await?;
    /// assert_eq!(verified.iat, Some(1_767_225_600));
    /// clock.advance(std::time::Duration::from_secs(3600));
    /// assert!(issuer.verifier().verify_session(&token).await.is_err());
    /// # Ok(()) }
    /// ```
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The clock tokens are issued by (the system clock unless [`with_clock`](Self::with_clock)).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The Frontend API host.
    pub fn frontend_api(&self) -> &str {
        &self.frontend_api
    }

    /// The issuer (`iss`): `https://<frontend api>`.
    pub fn issuer(&self) -> String {
        format!("https://{}", self.frontend_api)
    }

    /// The matching publishable key (`pk_test_` + base64 of `host$`).
    pub fn publishable_key(&self) -> String {
        PublishableKey::for_frontend_api(&self.frontend_api, false)
            .as_str()
            .to_owned()
    }

    /// The `kid` of the current instance key.
    pub fn kid(&self) -> &str {
        self.current().kid.as_str()
    }

    fn current(&self) -> &InstanceKey {
        // `keys` is never empty: `new` puts one in and `rotate` only adds.
        &self.keys[0]
    }

    /// A new current key; the old ones stay in the JWKS until [`drop_retired`](Self::drop_retired).
    pub fn rotate(&mut self) -> &str {
        let key = InstanceKey {
            kid: format!("ins_test_{}", random_alnum(27)),
            pair: generate_rsa(),
        };
        self.keys.insert(0, key);
        self.kid()
    }

    /// Removes every key but the current one from the JWKS.
    pub fn drop_retired(&mut self) {
        self.keys.truncate(1);
    }

    fn rsa_jwk(kid: &str, pair: &RsaKeyPair) -> Value {
        let public = pair.public_key();
        json!({
            "use": "sig",
            "kty": "RSA",
            "kid": kid,
            "alg": "RS256",
            "n": b64(public.modulus().big_endian_without_leading_zero()),
            "e": b64(public.exponent().big_endian_without_leading_zero()),
        })
    }

    /// The JWKS Clerk would serve (`{"keys": [...]}`), current key first.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|k| Self::rsa_jwk(&k.kid, &k.pair))
            .collect();
        json!({ "keys": keys })
    }

    /// The JWKS as a parsed [`JwkSet`].
    pub fn jwk_set(&self) -> JwkSet {
        JwkSet::from_value(&self.jwks()).expect("the issuer's own JWKS is valid")
    }

    /// The current instance key as a PEM (`-----BEGIN PUBLIC KEY-----`): `CLERK_JWT_KEY`.
    pub fn public_key_pem(&self) -> String {
        let der = self
            .current()
            .pair
            .public_key()
            .as_der()
            .expect("RSA public key encodes");
        pem("PUBLIC KEY", der.as_ref())
    }

    /// A verifier builder for this instance: its JWKS, issuer and [`clock`](Self::clock).
    pub fn verifier_builder(&self) -> VerifierBuilder {
        Verifier::builder()
            .jwks(self.jwk_set())
            .issuer(self.issuer())
            .clock(self.clock.clone())
    }

    /// A verifier for this instance (JWKS + issuer, Clerk's defaults otherwise).
    pub fn verifier(&self) -> Verifier {
        self.verifier_builder()
            .build()
            .expect("the issuer's own verifier builds")
    }

    fn ec_key(&self, alg: Algorithm) -> Option<&Arc<EcdsaKeyPair>> {
        let (slot, signing) = match alg {
            Algorithm::ES256 => (0, &sig::ECDSA_P256_SHA256_FIXED_SIGNING),
            Algorithm::ES384 => (1, &sig::ECDSA_P384_SHA384_FIXED_SIGNING),
            Algorithm::ES512 => (2, &sig::ECDSA_P521_SHA512_FIXED_SIGNING),
            _ => return None,
        };
        self.ec
            .get(slot)
            .map(|cell| cell.get_or_init(|| generate_ec(signing)))
    }

    fn custom_rsa(&self) -> &Arc<RsaKeyPair> {
        self.custom_rsa.get_or_init(generate_rsa)
    }

    /// The key a verifier needs for custom-key template tokens signed with `alg`
    /// (pass it to `VerifierBuilder::template_key`).
    pub fn custom_verification_key(&self, alg: Algorithm) -> Key {
        match alg.family() {
            crate::crypto::KeyFamily::Hmac => Key::hmac(self.hmac_secret.as_slice()),
            crate::crypto::KeyFamily::Rsa => Key::from_pem(&self.custom_public_key_pem(alg)),
            crate::crypto::KeyFamily::Ec => Key::from_pem(&self.custom_public_key_pem(alg)),
        }
        .expect("the issuer's own custom key is valid")
    }

    /// The public PEM of the custom signing key for `alg` (empty for `HS*`).
    pub fn custom_public_key_pem(&self, alg: Algorithm) -> String {
        let der = match alg.family() {
            crate::crypto::KeyFamily::Hmac => return String::new(),
            crate::crypto::KeyFamily::Rsa => self
                .custom_rsa()
                .public_key()
                .as_der()
                .map(|d| d.as_ref().to_vec()),
            crate::crypto::KeyFamily::Ec => match self.ec_key(alg) {
                Some(key) => key.public_key().as_der().map(|d| d.as_ref().to_vec()),
                None => return String::new(),
            },
        };
        der.map(|d| pem("PUBLIC KEY", &d)).unwrap_or_default()
    }

    /// The HMAC secret of `HS*` custom-key templates.
    pub fn hmac_secret(&self) -> &[u8] {
        self.hmac_secret.as_slice()
    }

    /// Signs `header` + `payload` as given (raw JSON values, any content) with the key the
    /// header's `alg` names: the current instance key for `RS*`/`PS*` (or the custom RSA key
    /// when `custom` is set), the EC key for `ES*`, the HMAC secret for `HS*`; any other
    /// `alg` gets an empty signature.
    pub fn sign(&self, header: &Value, payload: &Value) -> String {
        self.sign_bytes(header, payload.to_string().as_bytes(), false)
    }

    /// Like [`sign`](Self::sign) with the payload as raw bytes; `custom` picks the custom RSA key.
    pub fn sign_bytes(&self, header: &Value, payload: &[u8], custom: bool) -> String {
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(Algorithm::from_name);
        compact(header, payload, |input| {
            alg.map(|alg| self.signature(alg, input, custom))
                .unwrap_or_default()
        })
    }

    fn signature(&self, alg: Algorithm, message: &[u8], custom: bool) -> Vec<u8> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let rsa = |pair: &RsaKeyPair, encoding: &'static dyn sig::RsaEncoding| {
            let mut out = vec![0u8; pair.public_modulus_len()];
            pair.sign(encoding, &rng, message, &mut out)
                .map(|()| out)
                .unwrap_or_default()
        };
        let pair = if custom {
            self.custom_rsa().as_ref()
        } else {
            self.current().pair.as_ref()
        };
        match alg {
            Algorithm::RS256 => rsa(pair, &sig::RSA_PKCS1_SHA256),
            Algorithm::RS384 => rsa(pair, &sig::RSA_PKCS1_SHA384),
            Algorithm::RS512 => rsa(pair, &sig::RSA_PKCS1_SHA512),
            Algorithm::PS256 => rsa(pair, &sig::RSA_PSS_SHA256),
            Algorithm::PS384 => rsa(pair, &sig::RSA_PSS_SHA384),
            Algorithm::PS512 => rsa(pair, &sig::RSA_PSS_SHA512),
            Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 => self
                .ec_key(alg)
                .and_then(|key| key.sign(&rng, message).ok())
                .map(|s| s.as_ref().to_vec())
                .unwrap_or_default(),
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
                hmac_signature(alg, self.hmac_secret.as_slice(), message)
            }
        }
    }

    /// The header of an instance-key token of category `cat`.
    pub fn header(&self, cat: &str) -> Value {
        json!({ "alg": "RS256", "cat": cat, "kid": self.kid(), "typ": "JWT" })
    }

    /// A builder for a Clerk session token (v2 by default).
    pub fn session(&self) -> SessionBuilder<'_> {
        SessionBuilder {
            issuer: self,
            user: "user_test".into(),
            session_id: format!("sess_{}", random_alnum(27)),
            org: None,
            permissions: Vec::new(),
            features: Vec::new(),
            plans: Vec::new(),
            fva: None,
            actor: None,
            status: None,
            azp: None,
            lifetime: 60,
            issued_at: None,
            v1: false,
            claims: Map::new(),
        }
    }

    /// A builder for a JWT-template token carrying `claims` (lifetime and skew from
    /// `C::jwt_template()`).
    pub fn template_token<C: ClerkClaims>(&self, claims: &C) -> TemplateBuilder<'_> {
        let template = C::jwt_template();
        let custom = match serde_json::to_value(claims) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        TemplateBuilder {
            issuer: self,
            custom,
            options: TemplateOptions {
                lifetime: template.lifetime,
                allowed_clock_skew: template.allowed_clock_skew,
                ..TemplateOptions::default()
            },
        }
    }

    /// The payload Clerk mints for a template: `custom_claims` with Clerk's default claims
    /// written after them (`sub iat iss exp jti`, `nbf` only when the skew is above 0, `azp`
    /// only when given), as Clerk's template tokens carry them.
    pub fn template_payload(
        &self,
        custom_claims: Map<String, Value>,
        opts: &TemplateOptions,
    ) -> Map<String, Value> {
        let mut payload = custom_claims;
        let iat = opts.issued_at.unwrap_or_else(|| self.clock.now());
        if let Some(azp) = &opts.azp {
            payload.insert("azp".into(), azp.clone().into());
        }
        payload.insert("exp".into(), (iat + i64::from(opts.lifetime)).into());
        payload.insert("iat".into(), iat.into());
        payload.insert("iss".into(), self.issuer().into());
        let jti = opts.jti.clone().unwrap_or_else(|| {
            random_bytes::<10>()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        });
        payload.insert("jti".into(), jti.into());
        if opts.allowed_clock_skew > 0 {
            payload.insert(
                "nbf".into(),
                (iat - i64::from(opts.allowed_clock_skew)).into(),
            );
        } else {
            payload.remove("nbf");
        }
        payload.insert("sub".into(), opts.user_id.clone().into());
        payload
    }

    /// Mints a template token from rendered custom claims: [`template_payload`](Self::template_payload),
    /// signed with the instance key (header `kid`, `cat` template) or, with
    /// `opts.custom_key`, the custom key of that algorithm (no `kid`).
    pub fn mint_template_payload(
        &self,
        custom_claims: Map<String, Value>,
        opts: &TemplateOptions,
    ) -> String {
        let payload = Value::Object(self.template_payload(custom_claims, opts));
        let header = match opts.custom_key {
            None => self.header(CATEGORY_TEMPLATE),
            Some(alg) => json!({ "alg": alg.as_str(), "cat": CATEGORY_TEMPLATE, "typ": "JWT" }),
        };
        self.sign_bytes(
            &header,
            payload.to_string().as_bytes(),
            opts.custom_key.is_some(),
        )
    }

    /// Mints a custom-key `HS*` template token signed with `secret` (the key uploaded with the
    /// template) instead of the issuer's own HMAC secret; no `kid`, as Clerk's custom-key
    /// tokens.
    pub(crate) fn mint_template_with_secret(
        &self,
        alg: Algorithm,
        secret: &[u8],
        custom_claims: Map<String, Value>,
        opts: &TemplateOptions,
    ) -> String {
        let payload = Value::Object(self.template_payload(custom_claims, opts));
        let header = json!({ "alg": alg.as_str(), "cat": CATEGORY_TEMPLATE, "typ": "JWT" });
        compact(&header, payload.to_string().as_bytes(), |input| {
            hmac_signature(alg, secret, input)
        })
    }
}

/// A compact JWS: `header.payload.signature`, the signature computed over `header.payload`.
fn compact(header: &Value, payload: &[u8], sign: impl FnOnce(&[u8]) -> Vec<u8>) -> String {
    let signing_input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(payload));
    let signature = sign(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&signature))
}

/// The HMAC of `message` under `secret` for an `HS*` algorithm (HS256 for any other).
fn hmac_signature(alg: Algorithm, secret: &[u8], message: &[u8]) -> Vec<u8> {
    let algorithm = match alg {
        Algorithm::HS384 => aws_lc_rs::hmac::HMAC_SHA384,
        Algorithm::HS512 => aws_lc_rs::hmac::HMAC_SHA512,
        _ => aws_lc_rs::hmac::HMAC_SHA256,
    };
    let key = aws_lc_rs::hmac::Key::new(algorithm, secret);
    aws_lc_rs::hmac::sign(&key, message).as_ref().to_vec()
}

/// Options of a template token (Clerk's defaults: lifetime 60 s, skew 5 s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateOptions {
    /// `sub`.
    pub user_id: String,
    /// `azp` (Clerk sets it from the request `Origin`; absent for Backend API mints).
    pub azp: Option<String>,
    /// Token lifetime in seconds.
    pub lifetime: u32,
    /// Allowed clock skew in seconds: `nbf = iat - skew`, no `nbf` when 0.
    pub allowed_clock_skew: u32,
    /// `jti` (random 20 hex characters by default).
    pub jti: Option<String>,
    /// `iat` (now by default).
    pub issued_at: Option<i64>,
    /// Sign with the custom key of this algorithm instead of the instance key.
    pub custom_key: Option<Algorithm>,
}

impl Default for TemplateOptions {
    fn default() -> Self {
        Self {
            user_id: "user_test".into(),
            azp: None,
            lifetime: 60,
            allowed_clock_skew: 5,
            jti: None,
            issued_at: None,
            custom_key: None,
        }
    }
}

/// Builds a JWT-template token; see [`TestIssuer::template_token`].
#[derive(Debug, Clone)]
#[must_use]
pub struct TemplateBuilder<'a> {
    issuer: &'a TestIssuer,
    custom: Map<String, Value>,
    options: TemplateOptions,
}

impl TemplateBuilder<'_> {
    /// `sub`.
    pub fn user(mut self, user_id: impl Into<String>) -> Self {
        self.options.user_id = user_id.into();
        self
    }
    /// `azp`.
    pub fn azp(mut self, azp: impl Into<String>) -> Self {
        self.options.azp = Some(azp.into());
        self
    }
    /// Lifetime in seconds.
    pub fn lifetime(mut self, seconds: u32) -> Self {
        self.options.lifetime = seconds;
        self
    }
    /// `jti`.
    pub fn jti(mut self, jti: impl Into<String>) -> Self {
        self.options.jti = Some(jti.into());
        self
    }
    /// `iat`.
    pub fn issued_at(mut self, unix_seconds: i64) -> Self {
        self.options.issued_at = Some(unix_seconds);
        self
    }
    /// Sign with the template's custom key of `alg` (no `kid` in the header).
    pub fn custom_key(mut self, alg: Algorithm) -> Self {
        self.options.custom_key = Some(alg);
        self
    }
    /// Adds or replaces a custom claim.
    pub fn claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.custom.insert(name.into(), value.into());
        self
    }
    /// The signed token.
    pub fn mint(self) -> String {
        self.issuer
            .mint_template_payload(self.custom, &self.options)
    }
}

/// Builds a Clerk session token; see [`TestIssuer::session`].
#[derive(Debug, Clone)]
#[must_use]
pub struct SessionBuilder<'a> {
    issuer: &'a TestIssuer,
    user: String,
    session_id: String,
    org: Option<(String, String, String)>,
    permissions: Vec<String>,
    features: Vec<String>,
    plans: Vec<String>,
    fva: Option<(i64, i64)>,
    actor: Option<Value>,
    status: Option<String>,
    azp: Option<String>,
    lifetime: i64,
    issued_at: Option<i64>,
    v1: bool,
    claims: Map<String, Value>,
}

impl SessionBuilder<'_> {
    /// `sub`.
    pub fn user(mut self, user_id: impl Into<String>) -> Self {
        self.user = user_id.into();
        self
    }
    /// `sid`.
    pub fn session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = session_id.into();
        self
    }
    /// The active organization: id, slug and role (`admin` or `org:admin`).
    pub fn org(
        mut self,
        id: impl Into<String>,
        slug: impl Into<String>,
        role: impl Into<String>,
    ) -> Self {
        self.org = Some((id.into(), slug.into(), role.into()));
        self
    }
    /// Organization permissions (`org:<feature>:<action>`), encoded as v2 `o.per`/`o.fpm`.
    pub fn permissions<I, S>(mut self, permissions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.permissions = permissions.into_iter().map(Into::into).collect();
        self
    }
    /// Features (`o:dashboard`, `u:beta`), the v2 `fea` claim.
    pub fn features<I, S>(mut self, features: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.features = features.into_iter().map(Into::into).collect();
        self
    }
    /// Plans (`u:free`, `o:pro`), the v2 `pla` claim.
    pub fn plans<I, S>(mut self, plans: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.plans = plans.into_iter().map(Into::into).collect();
        self
    }
    /// `fva`: minutes since the first and second factor were verified (-1: never).
    pub fn fva(mut self, first_factor_minutes: i64, second_factor_minutes: i64) -> Self {
        self.fva = Some((first_factor_minutes, second_factor_minutes));
        self
    }
    /// `act`: the impersonator (`{"sub": ..., "iss": ..., "sid": ...}`).
    pub fn actor(mut self, actor: Value) -> Self {
        self.actor = Some(actor);
        self
    }
    /// `sts`: `active` or `pending`.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }
    /// `azp`.
    pub fn azp(mut self, azp: impl Into<String>) -> Self {
        self.azp = Some(azp.into());
        self
    }
    /// Lifetime in seconds (default 60, Clerk's).
    pub fn lifetime(mut self, seconds: i64) -> Self {
        self.lifetime = seconds;
        self
    }
    /// `iat` (now by default); `nbf` is `iat - 10` as in Clerk's tokens.
    pub fn issued_at(mut self, unix_seconds: i64) -> Self {
        self.issued_at = Some(unix_seconds);
        self
    }
    /// A deprecated v1 token (`org_id`, `org_role`, `org_permissions`; no `v`).
    pub fn v1(mut self) -> Self {
        self.v1 = true;
        self
    }
    /// A custom session claim ("Customize session token").
    pub fn claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.claims.insert(name.into(), value.into());
        self
    }

    /// The payload this builder mints.
    pub fn payload(&self) -> Map<String, Value> {
        let iat = self.issued_at.unwrap_or_else(|| self.issuer.clock.now());
        let mut p = self.claims.clone();
        if let Some(azp) = &self.azp {
            p.insert("azp".into(), azp.clone().into());
        }
        p.insert("exp".into(), (iat + self.lifetime).into());
        if let Some((first, second)) = self.fva {
            p.insert("fva".into(), json!([first, second]));
        }
        p.insert("iat".into(), iat.into());
        p.insert("iss".into(), self.issuer.issuer().into());
        p.insert("nbf".into(), (iat - 10).into());
        p.insert("sid".into(), self.session_id.clone().into());
        p.insert("sub".into(), self.user.clone().into());
        if let Some(actor) = &self.actor {
            p.insert("act".into(), actor.clone());
        }
        if self.v1 {
            if let Some((id, slug, role)) = &self.org {
                let role = if role.starts_with("org:") {
                    role.clone()
                } else {
                    format!("org:{role}")
                };
                p.insert("org_id".into(), id.clone().into());
                p.insert("org_slug".into(), slug.clone().into());
                p.insert("org_role".into(), role.into());
                p.insert("org_permissions".into(), json!(self.permissions));
            }
            return p;
        }
        p.insert("jti".into(), random_alnum(20).into());
        p.insert("v".into(), 2.into());
        let (features, org) = self.encode_org();
        if !features.is_empty() {
            p.insert("fea".into(), features.join(",").into());
        }
        if !self.plans.is_empty() {
            p.insert("pla".into(), self.plans.join(",").into());
        }
        if let Some(status) = &self.status {
            p.insert("sts".into(), status.clone().into());
        }
        if let Some(org) = org {
            p.insert("o".into(), org);
        }
        p
    }

    /// `fea` and `o` the way Clerk encodes them: `per` lists each action once, and `fpm[i]`
    /// is the bitmask (first action = lowest bit) of the i-th organization-scoped feature of
    /// `fea` (scopes `o`, `ou`, `uo`: how `@clerk/backend`'s `fea`/`o.fpm` parser aligns them).
    fn encode_org(&self) -> (Vec<String>, Option<Value>) {
        let mut features = self.features.clone();
        let Some((id, slug, role)) = &self.org else {
            return (features, None);
        };
        let org_scoped = |f: &str| {
            f.split_once(':')
                .is_some_and(|(scope, _)| scope.contains('o'))
        };
        let mut actions: Vec<&str> = Vec::new();
        let mut grants: Vec<(&str, &str)> = Vec::new();
        for permission in &self.permissions {
            let Some((feature, action)) = permission
                .strip_prefix("org:")
                .and_then(|p| p.split_once(':'))
            else {
                continue;
            };
            if !actions.contains(&action) {
                actions.push(action);
            }
            grants.push((feature, action));
            let listed = features
                .iter()
                .any(|f| org_scoped(f) && f.split_once(':').map(|(_, n)| n) == Some(feature));
            if !listed {
                features.push(format!("o:{feature}"));
            }
        }
        let masks: Vec<String> = features
            .iter()
            .filter(|f| org_scoped(f))
            .map(|f| {
                let name = f.split_once(':').map(|(_, n)| n).unwrap_or_default();
                let mask = actions
                    .iter()
                    .enumerate()
                    .fold(0u128, |mask, (bit, action)| {
                        if grants.contains(&(name, action)) && bit < 128 {
                            mask | (1u128 << bit)
                        } else {
                            mask
                        }
                    });
                mask.to_string()
            })
            .collect();
        let role = role.strip_prefix("org:").unwrap_or(role);
        let mut org = json!({ "id": id, "slg": slug, "rol": role });
        if !actions.is_empty() {
            org["per"] = actions.join(",").into();
            org["fpm"] = masks.join(",").into();
        }
        (features, Some(org))
    }

    /// The signed token (header `alg RS256`, `kid`, `typ JWT`, `cat cl_B7d4PD111AAA`).
    pub fn mint(self) -> String {
        let payload = Value::Object(self.payload());
        self.issuer
            .sign(&self.issuer.header(CATEGORY_SESSION), &payload)
    }
}
