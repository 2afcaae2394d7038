//! The JWS header policy applied in one place, in Clerk's order of checks: `cat`, then the
//! key by `kid`, then `typ` and `alg`, then whether the key found can verify that `alg`.
//!
//! Clerk's `verifyToken` refuses a machine token by its `cat`, loads the key by `kid`, then
//! `verifyJwt` asserts `typ` and `alg` before the signature. Our stricter rules (the token
//! kind by `cat`, `crit`, the `kid` type and length, keys left out of the JWKS) sit at the step
//! where Clerk would fail on the same token, and report Clerk's reason for that step.

use std::sync::Arc;

use super::decode::{Header, Raw};
use super::{
    CATEGORY_IGNORE, CATEGORY_M2M, CATEGORY_SESSION, CATEGORY_TEMPLATE, TokenKind, VerifyError,
};
use crate::crypto::Algorithm;
use crate::jwks::{Key, Lookup};

/// The header rules of a verifier, beside its claims [`Policy`](super::options::Policy)
/// (jsonwebtoken's `Validation` plays both roles).
#[derive(Debug, Clone)]
pub(crate) struct HeaderPolicy {
    /// Accepted `alg` values for the key source's keys (a template key pins its own).
    pub algorithms: Vec<Algorithm>,
    /// `typ` must be absent or `"JWT"` (Clerk's `assertHeaderType`).
    pub jwt_typ: bool,
    /// `cat` must fit the expected token kind (Clerk's tokens); off for a bare JWS.
    pub category: bool,
    /// The longest `kid`, in characters.
    pub max_kid_chars: usize,
}

/// What the checks before the key lookup found.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BeforeKey<'h> {
    /// The `kid`, a string within the limit.
    pub kid: Option<&'h str>,
    /// The `cat`.
    pub category: Option<&'h str>,
}

impl HeaderPolicy {
    /// The policy of the bare JWS layer: no `typ` or `cat` rule.
    pub(crate) fn jws(algorithms: &[Algorithm]) -> Self {
        Self {
            algorithms: algorithms.to_vec(),
            jwt_typ: false,
            category: false,
            max_kid_chars: crate::jwks::MAX_KID_LEN,
        }
    }

    /// `cat` (a machine token is refused, then the kind), then `kid`: what selects the key.
    pub(crate) fn before_key<'h>(
        &self,
        header: &'h Header<'_>,
        kind: TokenKind,
    ) -> Result<BeforeKey<'h>, VerifyError> {
        let category = if self.category {
            check_category(header.cat.as_ref(), kind)?
        } else {
            header.cat.as_ref().and_then(Raw::as_str)
        };
        let kid = match &header.kid {
            None => None,
            // No more bytes than the limit means no more characters either.
            Some(Raw::Str(kid))
                if kid.len() <= self.max_kid_chars || kid.chars().count() <= self.max_kid_chars =>
            {
                Some(kid.as_ref())
            }
            // Clerk looks such a kid up and finds no key.
            Some(other) => {
                return Err(VerifyError::InvalidKid {
                    max: self.max_kid_chars,
                    found: other.describe(),
                });
            }
        };
        Ok(BeforeKey { kid, category })
    }

    /// `typ`, `crit`, `alg` (one of `allowed`, or those of the policy), then whether the key
    /// the `kid` selected can verify it: the key and the algorithm to verify with.
    pub(crate) fn algorithm(
        &self,
        header: &Header<'_>,
        lookup: Lookup,
        kid: Option<&str>,
        allowed: Option<&[Algorithm]>,
    ) -> Result<(Arc<Key>, Algorithm), VerifyError> {
        match &header.typ {
            Some(Raw::Str(typ)) if typ == "JWT" => {}
            None => {}
            Some(other) if self.jwt_typ => {
                return Err(VerifyError::Header {
                    member: "typ",
                    expected: "\"JWT\"",
                    found: other.describe(),
                });
            }
            Some(_) => {}
        }
        header.refuse_crit()?;
        let allowed = allowed.unwrap_or(&self.algorithms);
        let alg = header
            .alg
            .as_ref()
            .and_then(Raw::as_str)
            .and_then(Algorithm::from_name)
            .filter(|a| allowed.contains(a))
            .ok_or_else(|| VerifyError::Algorithm {
                found: header
                    .alg
                    .as_ref()
                    .map(Raw::describe)
                    .unwrap_or_else(|| "(none)".into()),
                allowed: allowed.to_vec(),
            })?;
        let key = usable(lookup, kid)?;
        if key.prepared(alg).is_none() {
            return Err(VerifyError::KeyAlgorithm {
                alg,
                kid: kid.map(|k| crate::json_text::clip(k).into_owned()),
                supported: key.algorithms().collect(),
            });
        }
        Ok((key, alg))
    }
}

fn check_category<'a>(
    cat: Option<&'a Raw<'_>>,
    kind: TokenKind,
) -> Result<Option<&'a str>, VerifyError> {
    let cat = match cat {
        None => return Ok(None),
        Some(Raw::Str(cat)) => cat.as_ref(),
        Some(other) => {
            return Err(VerifyError::Header {
                member: "cat",
                expected: "a string",
                found: other.describe(),
            });
        }
    };
    let found = match cat {
        CATEGORY_IGNORE => return Ok(Some(cat)),
        CATEGORY_M2M => return Err(VerifyError::MachineToken),
        CATEGORY_SESSION if kind == TokenKind::Session => return Ok(Some(cat)),
        CATEGORY_TEMPLATE if kind == TokenKind::Template => return Ok(Some(cat)),
        CATEGORY_SESSION => "session",
        CATEGORY_TEMPLATE => "JWT-template",
        _ => "unknown-category",
    };
    Err(VerifyError::TypeMismatch {
        expected: kind,
        found,
        cat: crate::json_text::clip(cat).into_owned(),
    })
}

/// The key a lookup found, or why there is none to verify with: a key Clerk's WebCrypto import
/// would refuse (the signature check fails to start), two keys under one kid, or none.
pub(super) fn usable(lookup: Lookup, kid: Option<&str>) -> Result<Arc<Key>, VerifyError> {
    match lookup {
        Lookup::Found(key) => Ok(key),
        Lookup::Unusable(why) => Err(VerifyError::KeyUnusable {
            kid: kid.map(|k| crate::json_text::clip(k).into_owned()),
            why: why.to_string(),
        }),
        Lookup::Ambiguous => Err(VerifyError::kid_mismatch(kid, true)),
        Lookup::Missing => Err(VerifyError::kid_mismatch(kid, false)),
    }
}
