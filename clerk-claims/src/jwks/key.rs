//! One verification key: parsed from a JWK, a PEM, or a shared secret, checked, and pre-parsed
//! for every algorithm it may verify.

use serde::Deserialize;
use serde_json::Value;

use crate::crypto::{self, Algorithm, KeyError, KeyFamily, KeyMaterial, PreparedKey};

/// The longest `kid` accepted, in a JWKS or a token header.
pub const MAX_KID_LEN: usize = 256;

/// A public (or, for `HS*` templates, shared) key ready to verify signatures.
///
/// Building one does every check once (RSA ≥ 2048 bits, odd exponent ≥ 3, no ROCA modulus,
/// point on the curve, HMAC secret ≥ digest length) and pre-parses the key for each algorithm
/// it may be used with, so verifying costs one signature check.
#[derive(Debug, Clone)]
pub struct Key {
    kid: Option<String>,
    alg: Option<Algorithm>,
    material: KeyMaterial,
    prepared: Vec<PreparedKey>,
}

/// Why a key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyRejected {
    /// Not a JWK object, or a member has the wrong JSON type.
    #[error("malformed JWK: {detail}")]
    Malformed {
        /// What was wrong.
        detail: String,
    },
    /// `kty` other than `RSA`, `EC`, `oct`.
    #[error("unsupported key type {found:?}: expected \"RSA\", \"EC\" or \"oct\"")]
    UnsupportedType {
        /// The `kty` found.
        found: String,
    },
    /// A member that must be base64url is not (strict: no padding, URL alphabet).
    #[error("JWK member {member:?} is not strict base64url")]
    Base64 {
        /// The member name.
        member: &'static str,
    },
    /// `alg` is not a known JWS algorithm, or does not fit the key type.
    #[error("JWK alg {found:?} does not fit a {kty} key")]
    Algorithm {
        /// The `alg` found.
        found: String,
        /// The key type.
        kty: String,
    },
    /// `use` other than `sig`.
    #[error("JWK use {found:?}: expected \"sig\"")]
    Use {
        /// The `use` found.
        found: String,
    },
    /// `key_ops` without `verify`.
    #[error("JWK key_ops {found:?} does not include \"verify\"")]
    KeyOps {
        /// The `key_ops` found.
        found: Vec<String>,
    },
    /// Private key members (`d`, `p`, `q`, …) in a key meant to be public.
    #[error("JWK carries private key members; a JWKS must hold public keys only")]
    PrivateMembers,
    /// A symmetric (`oct`) key where only public keys belong.
    #[error(
        "symmetric (oct) key in a public key set: refused, anyone who reads the JWKS could sign tokens"
    )]
    Symmetric,
    /// `kid` longer than [`MAX_KID_LEN`].
    #[error("kid of {len} characters: expected at most {MAX_KID_LEN}")]
    KidTooLong {
        /// Length found.
        len: usize,
    },
    /// A PEM that is not an RSA or EC public key.
    #[error("not an RSA or EC public key PEM: {detail}")]
    Pem {
        /// What went wrong.
        detail: String,
    },
    /// The key material failed a check.
    #[error(transparent)]
    Key(#[from] KeyError),
}

#[derive(Deserialize)]
struct RawJwk {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    key_ops: Option<Vec<String>>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
    #[serde(default)]
    crv: Option<String>,
    #[serde(default)]
    x: Option<String>,
    #[serde(default)]
    y: Option<String>,
    #[serde(default)]
    k: Option<String>,
    #[serde(default)]
    d: Option<Value>,
    #[serde(default)]
    p: Option<Value>,
    #[serde(default)]
    q: Option<Value>,
    #[serde(default)]
    dp: Option<Value>,
    #[serde(default)]
    dq: Option<Value>,
    #[serde(default)]
    qi: Option<Value>,
    #[serde(default)]
    oth: Option<Value>,
}

/// Strict base64url: URL alphabet, no padding, canonical trailing bits.
pub(crate) fn b64url(input: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(input)
        .ok()
}

fn member(value: Option<&String>, name: &'static str) -> Result<Vec<u8>, KeyRejected> {
    let text = value.ok_or_else(|| KeyRejected::Malformed {
        detail: format!("member {name:?} is missing"),
    })?;
    b64url(text).ok_or(KeyRejected::Base64 { member: name })
}

impl Key {
    /// A key from a JWK that must be public (a JWKS member): `oct` keys and private members
    /// are refused.
    pub fn from_public_jwk(jwk: &Value) -> Result<Self, KeyRejected> {
        Self::from_jwk_inner(jwk, false)
    }

    /// A key from any verification JWK, including `oct` secrets (for `HS*` custom-key
    /// templates). Private members of asymmetric keys are still refused.
    pub fn from_jwk(jwk: &Value) -> Result<Self, KeyRejected> {
        Self::from_jwk_inner(jwk, true)
    }

    fn from_jwk_inner(jwk: &Value, allow_secret: bool) -> Result<Self, KeyRejected> {
        let raw = RawJwk::deserialize(jwk).map_err(|e| KeyRejected::Malformed {
            detail: e.to_string(),
        })?;
        if let Some(kid) = &raw.kid {
            let len = kid.chars().count();
            if len > MAX_KID_LEN {
                return Err(KeyRejected::KidTooLong { len });
            }
        }
        if let Some(found) = raw.use_.as_ref().filter(|u| *u != "sig") {
            return Err(KeyRejected::Use {
                found: found.clone(),
            });
        }
        if let Some(ops) = raw
            .key_ops
            .as_ref()
            .filter(|ops| !ops.iter().any(|o| o == "verify"))
        {
            return Err(KeyRejected::KeyOps { found: ops.clone() });
        }
        let private = [&raw.d, &raw.p, &raw.q, &raw.dp, &raw.dq, &raw.qi, &raw.oth]
            .iter()
            .any(|m| m.is_some());
        let material = match raw.kty.as_str() {
            "RSA" => KeyMaterial::Rsa {
                n: crypto::strip_leading_zeros(&member(raw.n.as_ref(), "n")?).to_vec(),
                e: crypto::strip_leading_zeros(&member(raw.e.as_ref(), "e")?).to_vec(),
            },
            "EC" => KeyMaterial::Ec {
                crv: raw.crv.clone().ok_or_else(|| KeyRejected::Malformed {
                    detail: "member \"crv\" is missing".into(),
                })?,
                x: member(raw.x.as_ref(), "x")?,
                y: member(raw.y.as_ref(), "y")?,
            },
            "oct" if allow_secret => KeyMaterial::Hmac {
                secret: member(raw.k.as_ref(), "k")?,
            },
            "oct" => return Err(KeyRejected::Symmetric),
            other => {
                return Err(KeyRejected::UnsupportedType {
                    found: other.to_owned(),
                });
            }
        };
        if private {
            return Err(KeyRejected::PrivateMembers);
        }
        let alg = match &raw.alg {
            None => None,
            Some(name) => Some(
                Algorithm::from_name(name)
                    .filter(|a| a.family() == material.family())
                    .ok_or_else(|| KeyRejected::Algorithm {
                        found: name.clone(),
                        kty: raw.kty.clone(),
                    })?,
            ),
        };
        Self::new(raw.kid, alg, material)
    }

    /// A key from a JWK given as JSON text (see [`Key::from_jwk`]).
    pub fn from_jwk_json(json: &str) -> Result<Self, KeyRejected> {
        let value: Value = serde_json::from_str(json).map_err(|e| KeyRejected::Malformed {
            detail: e.to_string(),
        })?;
        Self::from_jwk(&value)
    }

    /// A key from an RSA or EC public key PEM (`-----BEGIN PUBLIC KEY-----`, or PKCS #1
    /// `RSA PUBLIC KEY`): Clerk's "JWKS Public Key" / `CLERK_JWT_KEY`. Any RSA key of 2048
    /// bits or more is accepted, not only Clerk's 2048-bit layout.
    pub fn from_pem(pem: &str) -> Result<Self, KeyRejected> {
        // Environment variables often carry the PEM with literal `\n`.
        let pem = pem.trim().replace("\\n", "\n");
        let pem_error = |e: &dyn std::fmt::Display| KeyRejected::Pem {
            detail: e.to_string(),
        };
        if let Ok(key) = jsonwebtoken::DecodingKey::from_rsa_pem(pem.as_bytes()) {
            let der = key.try_get_as_bytes().map_err(|e| pem_error(&e))?;
            let (n, e) =
                crypto::rsa_components_from_pkcs1(der).ok_or_else(|| KeyRejected::Pem {
                    detail: "the RSA key is not a DER SEQUENCE of two INTEGERs".into(),
                })?;
            return Self::new(None, None, KeyMaterial::Rsa { n, e });
        }
        let key =
            jsonwebtoken::DecodingKey::from_ec_pem(pem.as_bytes()).map_err(|e| pem_error(&e))?;
        let point = key.try_get_as_bytes().map_err(|e| pem_error(&e))?;
        let (crv, len) = match point.len() {
            65 => ("P-256", 32),
            97 => ("P-384", 48),
            133 => ("P-521", 66),
            n => {
                return Err(KeyRejected::Pem {
                    detail: format!(
                        "EC point of {n} bytes: expected an uncompressed P-256, P-384 or P-521 point"
                    ),
                });
            }
        };
        let x = point.get(1..1 + len).unwrap_or_default().to_vec();
        let y = point.get(1 + len..).unwrap_or_default().to_vec();
        Self::new(
            None,
            None,
            KeyMaterial::Ec {
                crv: crv.to_owned(),
                x,
                y,
            },
        )
    }

    /// A shared secret for `HS256`/`HS384`/`HS512` custom-key templates (the raw bytes of the
    /// template's signing key).
    pub fn hmac(secret: impl AsRef<[u8]>) -> Result<Self, KeyRejected> {
        Self::new(
            None,
            None,
            KeyMaterial::Hmac {
                secret: secret.as_ref().to_vec(),
            },
        )
    }

    pub(crate) fn new(
        kid: Option<String>,
        alg: Option<Algorithm>,
        material: KeyMaterial,
    ) -> Result<Self, KeyRejected> {
        material.check()?;
        let candidates: Vec<Algorithm> = match alg {
            Some(alg) => vec![alg],
            None => Algorithm::ALL
                .into_iter()
                .filter(|a| a.family() == material.family())
                .collect(),
        };
        let mut prepared = Vec::with_capacity(candidates.len());
        let mut first_error = None;
        for candidate in candidates {
            match material.prepare(candidate) {
                Ok(key) => prepared.push(key),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if prepared.is_empty() {
            return Err(KeyRejected::Key(first_error.unwrap_or(
                KeyError::Unsupported {
                    alg: alg.unwrap_or(Algorithm::RS256),
                },
            )));
        }
        Ok(Self {
            kid,
            alg,
            material,
            prepared,
        })
    }

    /// The key id (`kid`), if the key has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The same key under another key id.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The algorithm the key is bound to (its JWK `alg`), if any.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The algorithms this key can verify.
    pub fn algorithms(&self) -> impl Iterator<Item = Algorithm> + '_ {
        self.prepared.iter().map(PreparedKey::algorithm)
    }

    /// The key family.
    pub fn family(&self) -> KeyFamily {
        self.material.family()
    }

    /// The RSA modulus size in bits (`None` for other keys).
    pub fn rsa_bits(&self) -> Option<usize> {
        match &self.material {
            KeyMaterial::Rsa { n, .. } => Some(crypto::rsa_bits(n)),
            _ => None,
        }
    }

    pub(crate) fn prepared(&self, alg: Algorithm) -> Option<&PreparedKey> {
        self.prepared.iter().find(|k| k.algorithm() == alg)
    }

    /// The public JWK of this key (`kty`, `n`/`e` or `crv`/`x`/`y`, `kid`, `alg`,
    /// `use: sig`); `None` for a shared secret, which is never exported.
    pub fn to_public_jwk(&self) -> Option<Value> {
        use base64::Engine as _;
        let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let mut jwk = serde_json::Map::new();
        match &self.material {
            KeyMaterial::Rsa { n, e } => {
                jwk.insert("kty".into(), "RSA".into());
                jwk.insert("n".into(), b64(n).into());
                jwk.insert("e".into(), b64(e).into());
            }
            KeyMaterial::Ec { crv, x, y } => {
                jwk.insert("kty".into(), "EC".into());
                jwk.insert("crv".into(), crv.clone().into());
                jwk.insert("x".into(), b64(x).into());
                jwk.insert("y".into(), b64(y).into());
            }
            KeyMaterial::Hmac { .. } => return None,
        }
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), kid.clone().into());
        }
        if let Some(alg) = self.alg {
            jwk.insert("alg".into(), alg.as_str().into());
        }
        jwk.insert("use".into(), "sig".into());
        Some(Value::Object(jwk))
    }
}
