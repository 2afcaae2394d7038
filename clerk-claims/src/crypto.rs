//! The signature primitives under the verifier: algorithms, pre-parsed public keys, verify.
//!
//! With the `aws-lc-rs` feature keys are parsed once into aws-lc-rs objects (`ParsedPublicKey`,
//! `hmac::Key`) so a verification is one signature check and nothing else. With only
//! `rust-crypto` the same calls go through jsonwebtoken's own verification.
//!
//! jsonwebtoken panics when neither or both of its backends are enabled and no provider was
//! installed. Neither is a compile error in `lib.rs`; both (e.g. `--all-features`) installs
//! aws-lc-rs here, before any key is used.

use std::fmt;
use std::str::FromStr;

/// Makes sure a jsonwebtoken crypto provider is installed; call before any sign or verify.
pub(crate) fn ensure_provider() {
    #[cfg(all(feature = "aws-lc-rs", feature = "rust-crypto"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // Err means another provider was installed first, which is just as good.
            let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        });
    }
}

/// A JWS signature algorithm (RFC 7518 names).
///
/// Clerk signs with `RS256` (its SDK accepts `RS256`, `RS384`, `RS512`); a JWT template with a
/// custom signing key may use `HS*`, `ES*` or `RS*`. `PS*` exist for standard JWS keys.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA P-256 with SHA-256.
    ES256,
    /// ECDSA P-384 with SHA-384.
    ES384,
    /// ECDSA P-521 with SHA-512 (verified only with the `aws-lc-rs` backend).
    ES512,
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
}

/// The key family an [`Algorithm`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// RSA public key (`kty: RSA`).
    Rsa,
    /// Elliptic-curve public key (`kty: EC`).
    Ec,
    /// Shared secret (`kty: oct`).
    Hmac,
}

impl Algorithm {
    /// Every algorithm, in declaration order.
    pub const ALL: [Algorithm; 12] = [
        Self::RS256,
        Self::RS384,
        Self::RS512,
        Self::PS256,
        Self::PS384,
        Self::PS512,
        Self::ES256,
        Self::ES384,
        Self::ES512,
        Self::HS256,
        Self::HS384,
        Self::HS512,
    ];

    /// The algorithms Clerk's SDK accepts for Clerk-issued tokens: `RS256`, `RS384`, `RS512`.
    pub const CLERK: [Algorithm; 3] = [Self::RS256, Self::RS384, Self::RS512];

    /// The RFC 7518 name (`RS256`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::RS384 => "RS384",
            Self::RS512 => "RS512",
            Self::PS256 => "PS256",
            Self::PS384 => "PS384",
            Self::PS512 => "PS512",
            Self::ES256 => "ES256",
            Self::ES384 => "ES384",
            Self::ES512 => "ES512",
            Self::HS256 => "HS256",
            Self::HS384 => "HS384",
            Self::HS512 => "HS512",
        }
    }

    /// The algorithm with this exact (case-sensitive) RFC 7518 name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// The key family the algorithm needs.
    pub const fn family(self) -> KeyFamily {
        match self {
            Self::RS256 | Self::RS384 | Self::RS512 | Self::PS256 | Self::PS384 | Self::PS512 => {
                KeyFamily::Rsa
            }
            Self::ES256 | Self::ES384 | Self::ES512 => KeyFamily::Ec,
            Self::HS256 | Self::HS384 | Self::HS512 => KeyFamily::Hmac,
        }
    }

    /// For `ES*`: the curve name (`P-256`) and coordinate length in bytes.
    pub(crate) const fn curve(self) -> Option<(&'static str, usize)> {
        match self {
            Self::ES256 => Some(("P-256", 32)),
            Self::ES384 => Some(("P-384", 48)),
            Self::ES512 => Some(("P-521", 66)),
            _ => None,
        }
    }

    /// For `HS*`: the digest length, the smallest secret RFC 7518 §3.2 allows.
    pub(crate) const fn min_secret_len(self) -> usize {
        match self {
            Self::HS256 => 32,
            Self::HS384 => 48,
            Self::HS512 => 64,
            _ => 0,
        }
    }

    #[cfg(not(feature = "aws-lc-rs"))]
    fn to_jsonwebtoken(self) -> Option<jsonwebtoken::Algorithm> {
        use jsonwebtoken::Algorithm as J;
        Some(match self {
            Self::RS256 => J::RS256,
            Self::RS384 => J::RS384,
            Self::RS512 => J::RS512,
            Self::PS256 => J::PS256,
            Self::PS384 => J::PS384,
            Self::PS512 => J::PS512,
            Self::ES256 => J::ES256,
            Self::ES384 => J::ES384,
            Self::ES512 => return None,
            Self::HS256 => J::HS256,
            Self::HS384 => J::HS384,
            Self::HS512 => J::HS512,
        })
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An algorithm name that is not one of [`Algorithm::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown JWS algorithm {found:?}: expected one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512"
)]
pub struct UnknownAlgorithm {
    /// The name that was given.
    pub found: String,
}

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| UnknownAlgorithm {
            found: s.to_owned(),
        })
    }
}

/// Public key material, decoded but not yet bound to an algorithm.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum KeyMaterial {
    /// RSA modulus and exponent, big-endian without leading zeros.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// EC point coordinates, each exactly the curve's length.
    Ec { crv: String, x: Vec<u8>, y: Vec<u8> },
    /// HMAC secret.
    Hmac { secret: Vec<u8> },
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { n, .. } => write!(f, "Rsa({} bits)", rsa_bits(n)),
            Self::Ec { crv, .. } => write!(f, "Ec({crv})"),
            // Never print a secret.
            Self::Hmac { secret } => write!(f, "Hmac({} bytes)", secret.len()),
        }
    }
}

/// Why key material cannot be used with an algorithm.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The algorithm needs another kind of key.
    #[error("a {alg} key must be {expected:?}, found a {found:?} key")]
    WrongFamily {
        /// The algorithm.
        alg: Algorithm,
        /// The family it needs.
        expected: KeyFamily,
        /// The family given.
        found: KeyFamily,
    },
    /// RSA modulus outside 2048..=8192 bits (4096 with `rust-crypto` only).
    #[error("RSA key of {bits} bits: expected {min} to {max} bits")]
    RsaSize {
        /// Modulus size found.
        bits: usize,
        /// Smallest accepted.
        min: usize,
        /// Largest accepted.
        max: usize,
    },
    /// RSA public exponent not odd, below 3, or over 2^32.
    #[error("RSA public exponent must be odd, at least 3 and at most 2^32 - 1")]
    RsaExponent,
    /// The modulus has the ROCA fingerprint (CVE-2017-15361): its factors are guessable.
    #[error("RSA modulus has the ROCA fingerprint (CVE-2017-15361); generate a new key")]
    RsaRoca,
    /// EC key on another curve than the algorithm's, or coordinates of the wrong length.
    #[error("{alg} needs a {expected} key with {len}-byte coordinates, found curve {found:?}")]
    Curve {
        /// The algorithm.
        alg: Algorithm,
        /// The curve it needs.
        expected: &'static str,
        /// Coordinate length it needs.
        len: usize,
        /// The curve label given.
        found: String,
    },
    /// HMAC secret shorter than the digest (RFC 7518 §3.2).
    #[error("{alg} secret of {found} bytes: expected at least {min} bytes")]
    SecretTooShort {
        /// The algorithm.
        alg: Algorithm,
        /// Minimum length.
        min: usize,
        /// Length given.
        found: usize,
    },
    /// The crypto backend refused the key (e.g. an EC point not on the curve).
    #[error("the {alg} key was rejected by the crypto backend: {detail}")]
    Rejected {
        /// The algorithm.
        alg: Algorithm,
        /// The backend's words.
        detail: String,
    },
    /// The backend compiled in cannot verify this algorithm.
    #[error("{alg} is not supported by the rust-crypto backend; enable the aws-lc-rs feature")]
    Unsupported {
        /// The algorithm.
        alg: Algorithm,
    },
}

/// Bits of a big-endian unsigned integer.
pub(crate) fn rsa_bits(n: &[u8]) -> usize {
    let n = strip_leading_zeros(n);
    match n.first() {
        None => 0,
        Some(first) => n.len() * 8 - first.leading_zeros() as usize,
    }
}

pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Largest RSA modulus accepted.
#[cfg(feature = "aws-lc-rs")]
const RSA_MAX_BITS: usize = 8192;
#[cfg(not(feature = "aws-lc-rs"))]
const RSA_MAX_BITS: usize = 4096;
/// Smallest RSA modulus accepted (RFC 7518 §3.3).
const RSA_MIN_BITS: usize = 2048;

impl KeyMaterial {
    pub(crate) fn family(&self) -> KeyFamily {
        match self {
            Self::Rsa { .. } => KeyFamily::Rsa,
            Self::Ec { .. } => KeyFamily::Ec,
            Self::Hmac { .. } => KeyFamily::Hmac,
        }
    }

    /// The hygiene checks that do not depend on the algorithm (RSA size, exponent, ROCA).
    pub(crate) fn check(&self) -> Result<(), KeyError> {
        if let Self::Rsa { n, e } = self {
            let bits = rsa_bits(n);
            if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
                return Err(KeyError::RsaSize {
                    bits,
                    min: RSA_MIN_BITS,
                    max: RSA_MAX_BITS,
                });
            }
            let e = strip_leading_zeros(e);
            let odd = e.last().is_some_and(|b| b & 1 == 1);
            if !odd || e.len() > 4 || e == [1] {
                return Err(KeyError::RsaExponent);
            }
            if has_roca_fingerprint(n) {
                return Err(KeyError::RsaRoca);
            }
        }
        Ok(())
    }

    /// Parses the key once for `alg`: the object [`PreparedKey::verify`] uses on every call.
    pub(crate) fn prepare(&self, alg: Algorithm) -> Result<PreparedKey, KeyError> {
        if self.family() != alg.family() {
            return Err(KeyError::WrongFamily {
                alg,
                expected: alg.family(),
                found: self.family(),
            });
        }
        self.check()?;
        match self {
            Self::Ec { crv, x, y } => {
                let (expected, len) = alg.curve().unwrap_or(("", 0));
                if crv != expected || x.len() != len || y.len() != len {
                    return Err(KeyError::Curve {
                        alg,
                        expected,
                        len,
                        found: crv.clone(),
                    });
                }
            }
            Self::Hmac { secret } => {
                let min = alg.min_secret_len();
                if secret.len() < min {
                    return Err(KeyError::SecretTooShort {
                        alg,
                        min,
                        found: secret.len(),
                    });
                }
            }
            Self::Rsa { .. } => {}
        }
        PreparedKey::new(self, alg)
    }
}

/// Small primes of the ROCA fingerprint test (Nemec et al., "The Return of Coppersmith's
/// Attack", 2017): a vulnerable modulus is, modulo each of them, a power of 65537.
const ROCA_PRIMES: [u32; 38] = [
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
];

/// Hand-written because no maintained crate offers it; it runs once per key at load time.
fn has_roca_fingerprint(n: &[u8]) -> bool {
    ROCA_PRIMES.iter().all(|&p| {
        let residue = n.iter().fold(0u32, |r, b| (r * 256 + u32::from(*b)) % p);
        // Walk the subgroup generated by 65537 mod p.
        let g = 65537 % p;
        let mut x = 1u32;
        for _ in 0..p {
            if x == residue {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                break;
            }
        }
        false
    })
}

/// Why a signature did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureError {
    /// Well-formed input, wrong signature (`token-invalid-signature`).
    Invalid,
}

/// A public key parsed once for one algorithm.
#[derive(Clone)]
pub(crate) struct PreparedKey {
    alg: Algorithm,
    inner: Prepared,
}

impl fmt::Debug for PreparedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PreparedKey({})", self.alg)
    }
}

#[derive(Clone)]
enum Prepared {
    #[cfg(feature = "aws-lc-rs")]
    Public(std::sync::Arc<aws_lc_rs::signature::ParsedPublicKey>),
    #[cfg(feature = "aws-lc-rs")]
    Hmac(Box<aws_lc_rs::hmac::Key>),
    #[cfg(not(feature = "aws-lc-rs"))]
    Jwt(
        std::sync::Arc<jsonwebtoken::DecodingKey>,
        jsonwebtoken::Algorithm,
    ),
}

impl PreparedKey {
    #[cfg(feature = "aws-lc-rs")]
    fn new(material: &KeyMaterial, alg: Algorithm) -> Result<Self, KeyError> {
        use aws_lc_rs::signature as sig;
        let rejected = |e: &dyn fmt::Display| KeyError::Rejected {
            alg,
            detail: e.to_string(),
        };
        let inner = match material {
            KeyMaterial::Rsa { n, e } => {
                let params: &'static sig::RsaParameters = match alg {
                    Algorithm::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
                    Algorithm::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
                    Algorithm::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
                    Algorithm::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
                    Algorithm::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
                    _ => &sig::RSA_PSS_2048_8192_SHA512,
                };
                let components = sig::RsaPublicKeyComponents {
                    n: strip_leading_zeros(n),
                    e: strip_leading_zeros(e),
                };
                let parsed = components
                    .to_parsed_public_key(params)
                    .map_err(|e| rejected(&e))?;
                Prepared::Public(std::sync::Arc::new(parsed))
            }
            KeyMaterial::Ec { x, y, .. } => {
                let algorithm: &'static sig::EcdsaVerificationAlgorithm = match alg {
                    Algorithm::ES256 => &sig::ECDSA_P256_SHA256_FIXED,
                    Algorithm::ES384 => &sig::ECDSA_P384_SHA384_FIXED,
                    _ => &sig::ECDSA_P521_SHA512_FIXED,
                };
                let mut point = Vec::with_capacity(1 + x.len() + y.len());
                point.push(0x04);
                point.extend_from_slice(x);
                point.extend_from_slice(y);
                let parsed =
                    sig::ParsedPublicKey::new(algorithm, point).map_err(|e| rejected(&e))?;
                Prepared::Public(std::sync::Arc::new(parsed))
            }
            KeyMaterial::Hmac { secret } => {
                let algorithm = match alg {
                    Algorithm::HS256 => aws_lc_rs::hmac::HMAC_SHA256,
                    Algorithm::HS384 => aws_lc_rs::hmac::HMAC_SHA384,
                    _ => aws_lc_rs::hmac::HMAC_SHA512,
                };
                Prepared::Hmac(Box::new(aws_lc_rs::hmac::Key::new(algorithm, secret)))
            }
        };
        Ok(Self { alg, inner })
    }

    #[cfg(not(feature = "aws-lc-rs"))]
    fn new(material: &KeyMaterial, alg: Algorithm) -> Result<Self, KeyError> {
        use jsonwebtoken::DecodingKey;
        let jalg = alg.to_jsonwebtoken().ok_or(KeyError::Unsupported { alg })?;
        let key = match material {
            KeyMaterial::Rsa { n, e } => {
                DecodingKey::from_rsa_raw_components(strip_leading_zeros(n), strip_leading_zeros(e))
            }
            KeyMaterial::Ec { x, y, .. } => {
                let mut point = Vec::with_capacity(1 + x.len() + y.len());
                point.push(0x04);
                point.extend_from_slice(x);
                point.extend_from_slice(y);
                DecodingKey::from_ec_der(&point)
            }
            KeyMaterial::Hmac { secret } => DecodingKey::from_secret(secret),
        };
        Ok(Self {
            alg,
            inner: Prepared::Jwt(std::sync::Arc::new(key), jalg),
        })
    }

    /// The algorithm this key was parsed for.
    pub(crate) fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Checks `signature` (raw bytes; `signature_b64` is the same, as in the token) over
    /// `message` (`header.payload` as in the token).
    pub(crate) fn verify(
        &self,
        message: &[u8],
        signature: &[u8],
        signature_b64: &str,
    ) -> Result<(), SignatureError> {
        let _ = signature_b64;
        match &self.inner {
            #[cfg(feature = "aws-lc-rs")]
            Prepared::Public(key) => key
                .verify_sig(message, signature)
                .map_err(|_| SignatureError::Invalid),
            #[cfg(feature = "aws-lc-rs")]
            Prepared::Hmac(key) => aws_lc_rs::hmac::verify(key, message, signature)
                .map_err(|_| SignatureError::Invalid),
            #[cfg(not(feature = "aws-lc-rs"))]
            Prepared::Jwt(key, jalg) => {
                let _ = signature;
                ensure_provider();
                match jsonwebtoken::crypto::verify(signature_b64, message, key, *jalg) {
                    Ok(true) => Ok(()),
                    _ => Err(SignatureError::Invalid),
                }
            }
        }
    }
}

/// Reads `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (PKCS #1).
///
/// Hand-written: jsonwebtoken's PEM support already strips SPKI down to this structure, and a
/// DER crate for two integers is more code to trust than these lines.
pub(crate) fn rsa_components_from_pkcs1(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    fn read_tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        let (&t, rest) = input.split_first()?;
        if t != tag {
            return None;
        }
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return None;
            }
            let (len_bytes, rest) = rest.split_at_checked(count)?;
            let len = len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, rest)
        };
        rest.split_at_checked(len)
    }
    let (seq, trailing) = read_tlv(der, 0x30)?;
    if !trailing.is_empty() {
        return None;
    }
    let (n, rest) = read_tlv(seq, 0x02)?;
    let (e, rest) = read_tlv(rest, 0x02)?;
    if !rest.is_empty() {
        return None;
    }
    Some((
        strip_leading_zeros(n).to_vec(),
        strip_leading_zeros(e).to_vec(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names_round_trip_and_are_case_sensitive() {
        for alg in Algorithm::ALL {
            assert_eq!(alg.as_str().parse::<Algorithm>(), Ok(alg));
        }
        assert!("rs256".parse::<Algorithm>().is_err());
        assert!("none".parse::<Algorithm>().is_err());
    }

    #[test]
    fn rsa_bits_ignores_leading_zero_bytes() {
        assert_eq!(rsa_bits(&[0, 0, 1]), 1);
        assert_eq!(rsa_bits(&[0x80, 0]), 16);
        assert_eq!(rsa_bits(&[]), 0);
    }

    #[test]
    fn pkcs1_reader_rejects_truncated_and_trailing_input() {
        // SEQUENCE { INTEGER 0x00c5, INTEGER 3 }
        let der = [0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x03];
        assert_eq!(rsa_components_from_pkcs1(&der), Some((vec![0xc5], vec![3])));
        assert_eq!(rsa_components_from_pkcs1(&der[..8]), None);
        let mut long = der.to_vec();
        long.push(0);
        assert_eq!(rsa_components_from_pkcs1(&long), None);
    }
}
