//! JSON Web Key Sets: parsing with key hygiene, lookup by `kid`, and (feature `remote`) the
//! HTTP cache with TTL, rotation, cooldown and single-flight refetch.
//!
//! A JWKS from Clerk holds the instance's RSA key (`kid` = instance id). Keys that could only
//! weaken verification are left out when the set is read, each with the reason
//! ([`JwkSet::ignored`]): symmetric (`oct`) keys, private members, `use` other than `sig`,
//! `key_ops` without `verify`, an `alg` that does not fit the key, RSA under 2048 bits,
//! exponent 1 or even, ROCA moduli, EC points off the curve. A `kid` that appears twice is
//! ambiguous and matches nothing.

mod key;
#[cfg(feature = "remote")]
mod remote;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

pub use crate::crypto::{Algorithm, KeyError, KeyFamily, UnknownAlgorithm};
pub use key::{Key, KeyRejected, MAX_KID_LEN};
#[cfg(feature = "remote")]
pub use remote::{RemoteError, RemoteJwks, RemoteJwksConfig};

/// The most keys a JWKS may hold (Clerk's holds one or two).
pub const MAX_KEYS: usize = 100;

/// A parsed JWKS: usable keys by `kid`, and what was left out and why.
#[derive(Debug, Clone, Default)]
pub struct JwkSet {
    keys: HashMap<String, Slot>,
    ignored: Vec<IgnoredKey>,
}

#[derive(Debug, Clone)]
enum Slot {
    Key(Arc<Key>),
    /// The `kid` appears more than once: which key is meant is unknowable.
    Ambiguous,
}

/// A JWKS member that was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredKey {
    /// Its `kid`, when it had a string one.
    pub kid: Option<String>,
    /// Why it was left out.
    pub reason: KeyRejected,
}

/// A JWKS document that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwksError {
    /// Not JSON, or not `{"keys": [...]}`.
    #[error("malformed JWKS: expected a JSON object with a \"keys\" array, {detail}")]
    Malformed {
        /// What was found instead.
        detail: String,
    },
    /// A member carries private key material: the document is a private key set, published
    /// by mistake or forged; none of it is trusted.
    #[error("the JWKS holds private key material (key {kid:?}): expected public keys only")]
    PrivateKeys {
        /// The `kid` of the offending key.
        kid: Option<String>,
    },
    /// Shared secrets and public keys in one set.
    #[error("the key set mixes shared secrets (oct) with public keys: expected one kind")]
    MixedSymmetry,
    /// More than [`MAX_KEYS`] keys.
    #[error("JWKS with {found} keys: expected at most {MAX_KEYS}")]
    TooManyKeys {
        /// How many there were.
        found: usize,
    },
}

/// The outcome of looking a `kid` up.
#[derive(Debug, Clone)]
pub(crate) enum Lookup {
    Found(Arc<Key>),
    Ambiguous,
    /// The `kid` names a member that was left out as unusable, and why.
    Unusable(KeyRejected),
    Missing,
}

impl JwkSet {
    /// Reads a JWKS document (`{"keys": [...]}`) from JSON text.
    pub fn from_json(json: &str) -> Result<Self, JwksError> {
        let value: Value = serde_json::from_str(json).map_err(|e| JwksError::Malformed {
            detail: format!("not JSON ({e})"),
        })?;
        Self::from_value(&value)
    }

    /// Reads a JWKS document from a JSON value.
    pub fn from_value(value: &Value) -> Result<Self, JwksError> {
        Self::parse(value, false)
    }

    /// Reads a key set that may hold shared secrets (`oct` keys): for secrets configured by
    /// the application (custom-key templates), never for a JWKS fetched from a server.
    pub fn from_value_with_secrets(value: &Value) -> Result<Self, JwksError> {
        Self::parse(value, true)
    }

    fn parse(value: &Value, allow_secrets: bool) -> Result<Self, JwksError> {
        let keys =
            value
                .get("keys")
                .and_then(Value::as_array)
                .ok_or_else(|| JwksError::Malformed {
                    detail: format!("found {}", kind(value)),
                })?;
        if keys.len() > MAX_KEYS {
            return Err(JwksError::TooManyKeys { found: keys.len() });
        }
        let mut set = JwkSet::default();
        for jwk in keys {
            let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
            let parsed = if allow_secrets {
                Key::from_jwk(jwk)
            } else {
                Key::from_public_jwk(jwk)
            };
            if let Err(KeyRejected::PrivateMembers) = parsed {
                return Err(JwksError::PrivateKeys { kid });
            }
            match parsed {
                Ok(key) => match key.kid().map(str::to_owned) {
                    Some(kid) => set.insert(kid, key),
                    None => set.ignored.push(IgnoredKey {
                        kid: None,
                        reason: KeyRejected::Malformed {
                            detail: "no \"kid\": a token could never select this key".into(),
                        },
                    }),
                },
                Err(reason) => set.ignored.push(IgnoredKey { kid, reason }),
            }
        }
        // Secrets and public keys in one set: a token could pick which kind verifies it.
        let families: Vec<KeyFamily> = set
            .keys
            .values()
            .filter_map(|slot| match slot {
                Slot::Key(key) => Some(key.family()),
                Slot::Ambiguous => None,
            })
            .collect();
        let secrets = families.iter().filter(|f| **f == KeyFamily::Hmac).count();
        if secrets > 0 && secrets < families.len() {
            return Err(JwksError::MixedSymmetry);
        }
        // A kid shared by a refused key and a usable one is ambiguous: which was meant?
        for ignored in &set.ignored {
            if let Some(kid) = &ignored.kid
                && set.keys.contains_key(kid)
            {
                set.keys.insert(kid.clone(), Slot::Ambiguous);
            }
        }
        Ok(set)
    }

    /// A set of the given keys (each must have a `kid`; keys without one are skipped).
    pub fn from_keys(keys: impl IntoIterator<Item = Key>) -> Self {
        let mut set = JwkSet::default();
        for key in keys {
            if let Some(kid) = key.kid().map(str::to_owned) {
                set.insert(kid, key);
            }
        }
        set
    }

    fn insert(&mut self, kid: String, key: Key) {
        let slot = if self.keys.contains_key(&kid) {
            Slot::Ambiguous
        } else {
            Slot::Key(Arc::new(key))
        };
        self.keys.insert(kid, slot);
    }

    /// The key with this `kid`, unless the `kid` is unknown or ambiguous.
    pub fn get(&self, kid: &str) -> Option<&Key> {
        match self.keys.get(kid) {
            Some(Slot::Key(key)) => Some(key),
            _ => None,
        }
    }

    pub(crate) fn lookup(&self, kid: &str) -> Lookup {
        match self.keys.get(kid) {
            Some(Slot::Key(key)) => Lookup::Found(Arc::clone(key)),
            Some(Slot::Ambiguous) => Lookup::Ambiguous,
            None => match self.ignored.iter().find(|i| i.kid.as_deref() == Some(kid)) {
                Some(ignored) => Lookup::Unusable(ignored.reason.clone()),
                None => Lookup::Missing,
            },
        }
    }

    /// Usable key ids, sorted.
    pub fn kids(&self) -> Vec<&str> {
        let mut kids: Vec<&str> = self
            .keys
            .iter()
            .filter(|(_, slot)| matches!(slot, Slot::Key(_)))
            .map(|(kid, _)| kid.as_str())
            .collect();
        kids.sort_unstable();
        kids
    }

    /// How many usable keys the set holds.
    pub fn len(&self) -> usize {
        self.keys
            .values()
            .filter(|slot| matches!(slot, Slot::Key(_)))
            .count()
    }

    /// Whether the set holds no usable key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The members that were left out, with the reason for each.
    pub fn ignored(&self) -> &[IgnoredKey] {
        &self.ignored
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object without a \"keys\" array",
    }
}
