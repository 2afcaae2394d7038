//! The signature layer alone: a compact JWS checked against one key or a key set, with no
//! claim checks (for non-JWT payloads, standard test vectors and tools).

use std::sync::Arc;

use serde_json::{Map, Value};

use super::VerifyError;
use super::decode::{self, Raw};
use crate::crypto::Algorithm;
use crate::jwks::{JwkSet, Key};

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
/// own `alg` when it has one). Strict base64url, `crit` refused, at most
/// [`DEFAULT_MAX_TOKEN_BYTES`](super::DEFAULT_MAX_TOKEN_BYTES) × 4.
pub fn verify_jws(token: &str, key: &Key, allowed: &[Algorithm]) -> Result<Jws, VerifyError> {
    // Not a hot path: the Verifier shares pre-parsed keys; this clones one `Arc`-backed key.
    verify_with(token, allowed, |_| Ok(Arc::new(key.clone())))
}

/// Verifies a compact JWS with the key of its `kid` in `set`.
pub fn verify_jws_with_set(
    token: &str,
    set: &JwkSet,
    allowed: &[Algorithm],
) -> Result<Jws, VerifyError> {
    verify_with(token, allowed, |kid| match kid {
        Some(kid) => super::resolve(set.lookup(kid), Some(kid)),
        None => Err(VerifyError::kid_mismatch(None, false)),
    })
}

fn verify_with(
    token: &str,
    allowed: &[Algorithm],
    key_for: impl FnOnce(Option<&str>) -> Result<Arc<Key>, VerifyError>,
) -> Result<Jws, VerifyError> {
    crate::crypto::ensure_provider();
    let parts = decode::split(token, super::DEFAULT_MAX_TOKEN_BYTES * 4)?;
    let header = decode::header(parts.header_json())?;
    header.refuse_crit()?;
    let kid = match &header.kid {
        None => None,
        Some(Raw::Str(kid)) => Some(kid.as_ref()),
        Some(other) => {
            return Err(VerifyError::Header {
                member: "kid",
                expected: "a string",
                found: other.describe(),
            });
        }
    };
    let key = key_for(kid)?;
    let alg = header
        .alg
        .as_ref()
        .and_then(Raw::as_str)
        .and_then(Algorithm::from_name)
        .filter(|a| allowed.contains(a))
        .and_then(|a| key.prepared(a));
    let Some(prepared) = alg else {
        return Err(VerifyError::Algorithm {
            found: header
                .alg
                .as_ref()
                .map(Raw::describe)
                .unwrap_or_else(|| "(none)".into()),
            allowed: key.algorithms().filter(|a| allowed.contains(a)).collect(),
        });
    };
    prepared
        .verify(
            parts.signing_input.as_bytes(),
            parts.signature(),
            parts.signature_b64,
        )
        .map_err(|_| VerifyError::Signature)?;
    let algorithm = prepared.algorithm();
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
