//! The signature layer alone: a compact JWS checked against one key or a key set, with no
//! claim checks (for non-JWT payloads, standard test vectors and tools).

use std::sync::Arc;

use serde_json::{Map, Value};

use super::decode;
use super::header::HeaderPolicy;
use super::{TokenKind, VerifyError};
use crate::crypto::Algorithm;
use crate::jwks::{JwkSet, Key, Lookup};

/// A compact JWS whose signature verified.
#[derive(Debug, Clone, PartialEq)]
pub struct Jws {
    /// The header `alg`.
    pub algorithm: Algorithm,
    /// The header `kid`.
    pub kid: Option<String>,
    /// The whole protected header.
    pub header: Map<String, Value>,
    /// The payload bytes (any content, not necessarily JSON).
    pub payload: Vec<u8>,
}

/// Verifies a compact JWS with `key`, accepting only `allowed` algorithms (and only the key's
/// own `alg` when it has one). Strict base64url, `crit` refused, a `kid` of at most 256
/// characters, at most [`DEFAULT_MAX_TOKEN_BYTES`](super::DEFAULT_MAX_TOKEN_BYTES) × 4.
pub fn verify_jws(token: &str, key: &Key, allowed: &[Algorithm]) -> Result<Jws, VerifyError> {
    // Not a hot path: the Verifier shares pre-parsed keys; this clones one `Arc`-backed key.
    verify_with(token, HeaderPolicy::jws(allowed), |_| {
        Lookup::Found(Arc::new(key.clone()))
    })
}

/// [`verify_jws`] of a token Clerk signs with the instance key (the handshake token): `typ`
/// must be absent or `"JWT"` as well, Clerk's `assertHeaderType`.
#[cfg(feature = "request")]
pub(crate) fn verify_clerk_jws(token: &str, key: &Key) -> Result<Jws, VerifyError> {
    let policy = HeaderPolicy {
        jwt_typ: true,
        ..HeaderPolicy::jws(&Algorithm::CLERK)
    };
    verify_with(token, policy, |_| Lookup::Found(Arc::new(key.clone())))
}

/// Verifies a compact JWS with the key of its `kid` in `set`.
pub fn verify_jws_with_set(
    token: &str,
    set: &JwkSet,
    allowed: &[Algorithm],
) -> Result<Jws, VerifyError> {
    verify_with(token, HeaderPolicy::jws(allowed), |kid| {
        kid.map_or(Lookup::Missing, |kid| set.lookup(kid))
    })
}

fn verify_with(
    token: &str,
    policy: HeaderPolicy,
    lookup: impl FnOnce(Option<&str>) -> Lookup,
) -> Result<Jws, VerifyError> {
    crate::crypto::ensure_provider();
    let parts = decode::split(token, super::DEFAULT_MAX_TOKEN_BYTES * 4)?;
    let header = decode::header(parts.header_json())?;
    let kid = policy.before_key(&header, TokenKind::Session)?.kid;
    let found = match lookup(kid) {
        Lookup::Missing => return Err(VerifyError::kid_mismatch(kid, false)),
        found => found,
    };
    let (key, algorithm) = policy.algorithm(&header, found, kid, None)?;
    parts.check_signature(&key, algorithm)?;
    let kid = kid.map(str::to_owned);
    drop(header);
    let header: Map<String, Value> =
        serde_json::from_slice(parts.header_json()).map_err(|e| VerifyError::Malformed {
            detail: format!("the header could not be decoded: {e}"),
        })?;
    Ok(Jws {
        algorithm,
        kid,
        header,
        payload: parts.into_payload(),
    })
}

/// A token decoded **without** any check of its signature or claims.
#[derive(Debug, Clone, PartialEq)]
pub struct Unverified {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The payload (claims).
    pub payload: Map<String, Value>,
}

/// Decodes a compact JWT without verifying anything (for `token inspect --no-verify`):
/// the same strict splitting, base64url, size and depth limits as verification. Never use
/// its output for a decision.
pub fn decode_unverified(token: &str) -> Result<Unverified, VerifyError> {
    let parts = decode::split(token, super::DEFAULT_MAX_TOKEN_BYTES * 4)?;
    // The typed parse first: it applies the depth limit and duplicate-member rules.
    decode::header(parts.header_json())?;
    decode::registered(parts.payload())?;
    let object = |bytes: &[u8], what: &str| {
        serde_json::from_slice::<Map<String, Value>>(bytes).map_err(|e| VerifyError::Malformed {
            detail: format!("the {what} could not be decoded: {e}"),
        })
    };
    Ok(Unverified {
        header: object(parts.header_json(), "header")?,
        payload: object(parts.payload(), "payload")?,
    })
}
