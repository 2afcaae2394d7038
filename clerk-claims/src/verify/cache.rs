//! The verified-token cache ([`VerifierBuilder::token_cache`](super::VerifierBuilder::token_cache)):
//! tokens that passed every check, keyed on their exact text and on what the caller asked
//! for, so a hit skips the base64url decoding, the JSON parsing and the signature.
//!
//! What a hit does not skip: `exp`, `nbf` and `iat` are compared with the verifier's clock
//! again (with the skew), and the revocation check runs again, so a cached token is rejected
//! the moment it expires or is revoked (by `sid`, or a template token by its user and `iat`).
//! A token whose payload was swapped has
//! other text, so it never hits: it is verified, and its signature fails.
//!
//! The map is `quick_cache` (sharded, lock-free reads, CLOCK-Pro eviction): bounded by entry
//! count and safe under concurrent requests.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{Expect, Verified};
use crate::session::SessionClaims;

/// How a payload is handed back: which [`Payload`](super::payload::Payload) reading it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Mode {
    /// Typed claims of a [`ClerkClaims`](crate::ClerkClaims) type.
    Typed,
    /// Clerk's session claims.
    Session,
    /// The raw JSON object.
    Object,
}

/// What the caller asked for, as far as it changes the outcome of the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Asked {
    mode: Mode,
    expect: Expect,
}

/// The key of an entry: the token text and what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Key {
    token: Box<str>,
    asked: Asked,
}

/// The same key, borrowed: looking a token up allocates nothing.
#[derive(Debug, Clone, Copy)]
pub(super) struct KeyRef<'a> {
    token: &'a str,
    asked: Asked,
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        KeyRef {
            token: &self.token,
            asked: self.asked,
        }
        .hash(state);
    }
}

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.token.hash(state);
        self.asked.hash(state);
    }
}

impl quick_cache::Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        *key.token == *self.token && key.asked == self.asked
    }
}

impl<'a> KeyRef<'a> {
    /// The key of `token` asked for as `expect` says.
    pub(super) fn new(token: &'a str, mode: Mode, expect: Expect) -> Self {
        Self {
            token,
            asked: Asked { mode, expect },
        }
    }

    fn to_owned_key(self) -> Key {
        Key {
            token: self.token.into(),
            asked: self.asked,
        }
    }
}

/// The claims of a cached token, as the reading that verified it needs them back.
#[derive(Debug, Clone)]
pub(super) enum CachedClaims {
    /// The payload JSON text, decoded again on a hit (a `ClerkClaims` type need not be
    /// `Clone`; decoding skips base64url, the registered claims and the signature).
    Text(Box<str>),
    /// Clerk's session claims with the standard claims, shared as they are handed out by
    /// [`Verifier::verify_session_shared`](super::Verifier::verify_session_shared).
    Session(Arc<Verified<SessionClaims>>),
    /// The raw payload.
    Object(Map<String, Value>),
}

/// A verified token: its standard claims, its NumericDates as written (for the re-checks),
/// and its claims.
#[derive(Debug)]
pub(super) struct Entry {
    pub verified: Verified<()>,
    pub exp: f64,
    pub nbf: Option<f64>,
    pub iat: Option<f64>,
    pub claims: CachedClaims,
}

/// The bounded map of verified tokens.
pub(super) struct TokenCache {
    map: quick_cache::sync::Cache<Key, Arc<Entry>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("capacity", &self.map.capacity())
            .field("len", &self.map.len())
            .finish()
    }
}

impl TokenCache {
    /// A cache of at most `capacity` tokens.
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            map: quick_cache::sync::Cache::new(capacity),
        }
    }

    pub(super) fn get(&self, key: &KeyRef<'_>) -> Option<Arc<Entry>> {
        self.map.get(key)
    }

    pub(super) fn insert(&self, key: KeyRef<'_>, entry: Entry) {
        self.map.insert(key.to_owned_key(), Arc::new(entry));
    }

    /// Drops `key` (a hit that failed a re-check: it will fail again).
    pub(super) fn remove(&self, key: &KeyRef<'_>) {
        self.map.remove(key);
    }

    /// How many tokens the cache holds.
    pub(super) fn len(&self) -> usize {
        self.map.len()
    }
}
