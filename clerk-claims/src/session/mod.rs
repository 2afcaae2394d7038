//! Clerk's default session token (v1 and v2), normalized to the auth object.
//!
//! [`SessionClaims`] reads a verified payload: the standard claims, the v2 compact claims
//! (`v`, `o`, `fea`, `pla`, `fva`, `sts`, `act`) or the v1 `org_*` claims, and any custom
//! session claims. [`SessionClaims::auth`] is the same auth object Clerk's JS SDK builds from
//! either version, and its `has(...)` methods (`session/has.rs`, evaluated by
//! [`crate::authorize`]) answer Clerk's `has()` questions.

mod auth;
mod has;
mod mask;
mod read;

pub use auth::{Actor, AuthObject, OrgClaimV2};
#[cfg(feature = "verify")]
pub(crate) use read::{OnePass, Text, bail};

use crate::json_text::describe;
use serde::Deserialize as _;
use serde_json::{Map, Value};

/// The session-token format version (`v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SessionVersion {
    /// Version 1 (deprecated 2025-04-14): `org_id`, `org_role`, `org_slug`, `org_permissions`.
    /// Any token whose `v` is not the number 2 is read as v1, as Clerk's JS parser does.
    V1,
    /// Version 2 (API version 2025-04-10+): the compact `o` claim with permission bitmasks.
    V2,
}

/// A session token's payload did not have the shape Clerk's session tokens have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// A required claim is absent (or `null`).
    #[error("the token has no `{claim}` claim; expected {expected}")]
    MissingClaim {
        /// The claim name.
        claim: &'static str,
        /// What the claim should hold.
        expected: &'static str,
    },
    /// A claim has the wrong JSON type or shape.
    #[error("claim `{claim}` should be {expected}, found {found}")]
    InvalidClaim {
        /// The claim name (dotted for members of `o` and `act`, e.g. `o.fpm`).
        claim: &'static str,
        /// What the claim should hold.
        expected: &'static str,
        /// What the token holds, summarized.
        found: String,
    },
    /// An element of `fea` has no `scope:` part, so permissions cannot be aligned with
    /// features (Clerk's JS parser throws on it too).
    #[error(
        "claim `fea` element `{element}` has no scope; expected `scope:feature` such as \
         `o:dashboard` or `u:export`"
    )]
    FeatureWithoutScope {
        /// The offending element.
        element: String,
    },
    /// The payload is not a JSON object.
    #[error("the token payload should be a JSON object, found {found}")]
    NotAnObject {
        /// What the payload is, summarized.
        found: String,
    },
}

/// Clerk's default session-token claims, v1 or v2, with the normalized [`AuthObject`].
///
/// Built from a verified payload with [`from_payload`](Self::from_payload) or serde
/// (`Deserialize`). Claims Clerk does not define for this version (custom session claims from
/// "Customize session token", `aud`, ...) are kept in [`custom_claims`](Self::custom_claims).
///
/// Timestamps are `i64` seconds, so tokens past 2038 read fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionClaims {
    sub: String,
    sid: Option<String>,
    iss: Option<String>,
    azp: Option<String>,
    jti: Option<String>,
    exp: i64,
    iat: Option<i64>,
    nbf: Option<i64>,
    version: SessionVersion,
    org_v2: Option<OrgClaimV2>,
    custom: Map<String, Value>,
    auth: AuthObject,
}

/// Claims this module reads for every version; everything else not version-specific is custom.
const COMMON: &[&str] = &[
    "sub", "sid", "iss", "azp", "jti", "exp", "iat", "nbf", "v", "sts", "fva", "fea", "pla", "act",
];
const V2_ONLY: &[&str] = &["o"];
const V1_ONLY: &[&str] = &["org_id", "org_role", "org_slug", "org_permissions"];

impl SessionClaims {
    /// Reads a (verified) session-token payload.
    ///
    /// Requires `sub` (string) and `exp` (seconds, a number); every other claim is optional,
    /// and `null` counts as absent. `exp`, `iat` and `nbf` may have a fraction (RFC 7519
    /// NumericDate) and are kept in whole seconds, rounded down, as the verifier reports them. Claims of the wrong type are errors, except that a malformed
    /// `o.fpm` mask grants no permissions (fail closed, as Clerk's JS parser does).
    pub fn from_payload(payload: &Map<String, Value>) -> Result<Self, SessionError> {
        let sub = string(payload, "sub")?.ok_or(SessionError::MissingClaim {
            claim: "sub",
            expected: "the user ID as a string",
        })?;
        let exp = seconds(payload, "exp")?.ok_or(SessionError::MissingClaim {
            claim: "exp",
            expected: "the expiry time in seconds since the Unix epoch",
        })?;
        let version = SessionVersion::of(payload.get("v"));
        let fea = string(payload, "fea")?;
        let pla = string(payload, "pla")?;
        let act = actor(payload.get("act"))?;
        let fva = factor_ages(payload.get("fva"))?;
        let sts = string(payload, "sts")?;
        let sid = string(payload, "sid")?;

        let mut auth = AuthObject {
            user_id: Some(sub.clone()),
            session_id: sid.clone(),
            session_status: sts,
            features: fea,
            plans: pla,
            factor_verification_age: fva,
            actor: act,
            ..AuthObject::default()
        };
        let mut org_v2 = None;
        match version {
            SessionVersion::V2 => {
                if let Some(o) = org_claim(payload)? {
                    apply_org_v2(&mut auth, &o)?;
                    org_v2 = Some(o);
                }
            }
            SessionVersion::V1 => {
                auth.org_id = string(payload, "org_id")?;
                auth.org_role = string(payload, "org_role")?;
                auth.org_slug = string(payload, "org_slug")?;
                auth.org_permissions =
                    string_list(payload.get("org_permissions"), "org_permissions")?;
            }
        }

        let version_specific = match version {
            SessionVersion::V2 => V2_ONLY,
            SessionVersion::V1 => V1_ONLY,
        };
        let custom = payload
            .iter()
            .filter(|(k, _)| {
                !COMMON.contains(&k.as_str()) && !version_specific.contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();

        Ok(Self {
            sub,
            sid,
            iss: string(payload, "iss")?,
            azp: string(payload, "azp")?,
            jti: string(payload, "jti")?,
            exp,
            iat: seconds(payload, "iat")?,
            nbf: seconds(payload, "nbf")?,
            version,
            org_v2,
            custom,
            auth,
        })
    }

    /// Reads a payload given as JSON bytes.
    ///
    /// The payloads Clerk issues are read in one pass, straight from the bytes. Anything
    /// unusual (a claim of the wrong type, a claim given twice, a v1 token carrying `o`, JSON
    /// that does not parse) is read again through [`from_payload`](Self::from_payload), so the
    /// claims and the errors are exactly those of `from_payload` on the same JSON.
    pub fn from_json(payload: &[u8]) -> Result<Self, SessionError> {
        match read::one_pass(payload) {
            Some(claims) => Ok(claims),
            None => Self::from_json_via_value(payload),
        }
    }

    /// [`from_json`](Self::from_json) through `serde_json::Value`: the reference reading.
    fn from_json_via_value(payload: &[u8]) -> Result<Self, SessionError> {
        match serde_json::from_slice::<Value>(payload) {
            Ok(Value::Object(map)) => Self::from_payload(&map),
            Ok(other) => Err(SessionError::NotAnObject {
                found: describe(&other),
            }),
            Err(e) => Err(SessionError::NotAnObject {
                found: format!("invalid JSON ({e})"),
            }),
        }
    }

    /// The normalized auth object, identical for v1 and v2 tokens.
    pub fn auth(&self) -> &AuthObject {
        &self.auth
    }

    /// The user ID (`sub`).
    pub fn user_id(&self) -> &str {
        &self.sub
    }

    /// The session ID (`sid`); absent only in tokens that are not session tokens.
    pub fn session_id(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// The issuer (`iss`): the instance's Frontend API URL.
    pub fn issuer(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// The authorized party (`azp`): the origin the token was requested from.
    pub fn authorized_party(&self) -> Option<&str> {
        self.azp.as_deref()
    }

    /// The token ID (`jti`).
    pub fn token_id(&self) -> Option<&str> {
        self.jti.as_deref()
    }

    /// Expiry (`exp`), seconds since the Unix epoch.
    pub fn expires_at(&self) -> i64 {
        self.exp
    }

    /// Issue time (`iat`), seconds since the Unix epoch.
    pub fn issued_at(&self) -> Option<i64> {
        self.iat
    }

    /// Not-before time (`nbf`), seconds since the Unix epoch.
    pub fn not_before(&self) -> Option<i64> {
        self.nbf
    }

    /// Seconds from `now` (Unix seconds) until expiry; negative once expired.
    pub fn expires_in(&self, now: i64) -> i64 {
        self.exp.saturating_sub(now)
    }

    /// The token format version (`v`).
    pub fn version(&self) -> SessionVersion {
        self.version
    }

    /// The raw v2 organization claim (`o`), when the token is v2 and an organization is active.
    pub fn org_claim(&self) -> Option<&OrgClaimV2> {
        self.org_v2.as_ref()
    }

    /// The session status (`sts`), when the instance sends it.
    pub fn session_status(&self) -> Option<&str> {
        self.auth.session_status.as_deref()
    }

    /// Whether the session is `pending`; Clerk's SDKs treat it as signed out by default.
    pub fn is_pending(&self) -> bool {
        self.auth.is_pending()
    }

    /// The impersonator (`act`), during impersonation.
    pub fn actor(&self) -> Option<&Actor> {
        self.auth.actor.as_ref()
    }

    /// Claims beyond Clerk's default ones for this version (custom session claims, `aud`, ...).
    pub fn custom_claims(&self) -> &Map<String, Value> {
        &self.custom
    }
}

impl<'de> serde::Deserialize<'de> for SessionClaims {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        Self::from_payload(&map).map_err(serde::de::Error::custom)
    }
}

impl SessionVersion {
    /// The version of a token whose `v` claim is `v`: 2 when it is the number 2 (`2.0` too,
    /// as JS compares numbers), 1 otherwise.
    fn of(v: Option<&Value>) -> Self {
        match v {
            Some(v) if v.as_f64() == Some(2.0) => SessionVersion::V2,
            _ => SessionVersion::V1,
        }
    }
}

/// The v2 organization claim normalized into `auth`, as Clerk's JS parser does; needs
/// `auth.features` set first (the permission masks are aligned with `fea`).
fn apply_org_v2(auth: &mut AuthObject, o: &OrgClaimV2) -> Result<(), SessionError> {
    auth.org_id = o.id.clone();
    auth.org_slug = o.slg.clone();
    // JS: `if (o.rol) orgRole = `org:${o.rol}`` — an empty role is no role.
    auth.org_role = o
        .rol
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| auth::org_key(&[r]));
    let permissions =
        auth::decode_permissions(auth.features.as_deref(), o.per.as_deref(), o.fpm.as_deref())
            .map_err(|e| SessionError::FeatureWithoutScope { element: e.0 })?;
    auth.org_permissions = Some(permissions);
    Ok(())
}

/// A claim's value unless it is absent or `null` (both mean "absent" in a session token).
fn non_null(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

fn present<'a>(payload: &'a Map<String, Value>, claim: &str) -> Option<&'a Value> {
    non_null(payload.get(claim))
}

fn string(
    payload: &Map<String, Value>,
    claim: &'static str,
) -> Result<Option<String>, SessionError> {
    string_value(payload.get(claim), claim)
}

/// An optional string claim: absent or `null` is `None`, a string is kept, anything else is
/// an error naming `claim`.
fn string_value(
    value: Option<&Value>,
    claim: &'static str,
) -> Result<Option<String>, SessionError> {
    match non_null(value) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(SessionError::InvalidClaim {
            claim,
            expected: "a string",
            found: describe(other),
        }),
    }
}

fn seconds(payload: &Map<String, Value>, claim: &'static str) -> Result<Option<i64>, SessionError> {
    match present(payload, claim) {
        None => Ok(None),
        Some(v) => whole_seconds(v)
            .map(Some)
            .ok_or_else(|| SessionError::InvalidClaim {
                claim,
                expected: "seconds since the Unix epoch (a number)",
                found: describe(v),
            }),
    }
}

/// A NumericDate in whole seconds: an integer as it is, any other finite number in `i64`'s
/// range rounded down.
fn whole_seconds(v: &Value) -> Option<i64> {
    const RANGE: std::ops::RangeInclusive<f64> = i64::MIN as f64..=i64::MAX as f64;
    v.as_i64().or_else(|| {
        v.as_f64()
            .filter(|f| RANGE.contains(f))
            .map(|f| f.floor() as i64)
    })
}

fn string_list(
    value: Option<&Value>,
    claim: &'static str,
) -> Result<Option<Vec<String>>, SessionError> {
    let invalid = |v: &Value| SessionError::InvalidClaim {
        claim,
        expected: "an array of strings",
        found: describe(v),
    };
    match non_null(value) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(item))
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(other) => Err(invalid(other)),
    }
}

fn factor_ages(value: Option<&Value>) -> Result<Option<[i64; 2]>, SessionError> {
    let Some(value) = non_null(value) else {
        return Ok(None);
    };
    let invalid = || SessionError::InvalidClaim {
        claim: "fva",
        expected: "[first factor age, second factor age] in whole minutes",
        found: describe(value),
    };
    match value.as_array().map(Vec::as_slice) {
        Some([first, second]) => match (first.as_i64(), second.as_i64()) {
            (Some(first), Some(second)) => Ok(Some([first, second])),
            _ => Err(invalid()),
        },
        _ => Err(invalid()),
    }
}

fn actor(value: Option<&Value>) -> Result<Option<Actor>, SessionError> {
    let Some(value) = non_null(value) else {
        return Ok(None);
    };
    Actor::deserialize(value)
        .map(Some)
        .map_err(|_| SessionError::InvalidClaim {
            claim: "act",
            expected: "an object with a string `sub` (and optional string `iss`, `sid`, `type`)",
            found: describe(value),
        })
}

fn org_claim(payload: &Map<String, Value>) -> Result<Option<OrgClaimV2>, SessionError> {
    let Some(value) = present(payload, "o") else {
        return Ok(None);
    };
    let Value::Object(o) = value else {
        return Err(SessionError::InvalidClaim {
            claim: "o",
            expected: "an object with `id`, `slg`, `rol`, `per`, `fpm`",
            found: describe(value),
        });
    };
    let member =
        |name: &'static str, claim: &'static str| match o.get(name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(SessionError::InvalidClaim {
                claim,
                expected: "a string",
                found: describe(other),
            }),
        };
    Ok(Some(OrgClaimV2 {
        id: member("id", "o.id")?,
        slg: member("slg", "o.slg")?,
        rol: member("rol", "o.rol")?,
        per: member("per", "o.per")?,
        fpm: member("fpm", "o.fpm")?,
    }))
}
