//! Decoding support for generated `Deserialize` impls: claim-name lookup, per-claim seeds that
//! turn a serde error into a drift message, and the missing-claim rule. The message format
//! itself is [`crate::claims`]'s (`Drift`); this module only calls into it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

use crate::claims::ClaimInfo;
pub use crate::claims::drift::Place;
use crate::claims::drift::{Drift, MISSING, strip_position};

/// Wraps the error of one claim's value into the drift message naming the claim.
fn wrap<E: de::Error>(info: &ClaimInfo, place: Place, inner: impl fmt::Display) -> E {
    let text = inner.to_string();
    let drift = match Drift::parse(&text) {
        // An error from inside a nested object: prefix its claim with ours.
        Some(nested) => Drift {
            claim: format!("{}.{}", info.claim, nested.claim),
            expression: nested.expression,
            place,
            detail: nested.detail,
            user: None,
        },
        None => Drift {
            claim: info.claim.to_owned(),
            expression: Some(info.expression.to_owned()),
            place,
            detail: strip_position(&text).to_owned(),
            user: None,
        },
    };
    E::custom(drift)
}

/// Reads a claim name and returns its index (`None`: a claim the type ignores). The derive
/// passes a generated `match` on the names, which compiles to the same code as serde's own
/// field identifiers.
#[derive(Clone, Copy)]
pub struct ClaimKeys<F>(pub F);

impl<'de, F: Fn(&str) -> Option<usize>> DeserializeSeed<'de> for ClaimKeys<F> {
    type Value = Option<usize>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, F: Fn(&str) -> Option<usize>> Visitor<'de> for ClaimKeys<F> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a claim name")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((self.0)(v))
    }

    #[inline]
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(v).ok().and_then(|s| (self.0)(s)))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Decodes one claim's value into `T`, naming the claim, expression and template on error.
pub struct ClaimSeed<T> {
    info: &'static ClaimInfo,
    place: Place,
    _marker: PhantomData<fn() -> T>,
}

impl<T> ClaimSeed<T> {
    /// A seed for the claim described by `info`.
    #[inline]
    pub const fn new(info: &'static ClaimInfo, place: Place) -> Self {
        Self {
            info,
            place,
            _marker: PhantomData,
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> DeserializeSeed<'de> for ClaimSeed<T> {
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer).map_err(|e| wrap(self.info, self.place, e))
    }
}

/// The error for a claim that appears twice in one payload.
pub fn duplicate_claim<E: de::Error>(info: &'static ClaimInfo, place: Place) -> E {
    wrap(info, place, "the claim appears twice in the token")
}

/// The value of a claim absent from the payload: `None` / the empty set for types that accept
/// a missing value through `deserialize_option`, an error naming the claim otherwise.
pub fn missing_claim<'de, T: serde::Deserialize<'de>, E: de::Error>(
    info: &'static ClaimInfo,
    place: Place,
) -> Result<T, E> {
    T::deserialize(MissingClaim::<E>(PhantomData)).map_err(|_: E| wrap(info, place, MISSING))
}

/// A deserializer for an absent claim: `None` to an `Option`, an error to anything else.
struct MissingClaim<E>(PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for MissingClaim<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::custom("missing"))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Skips a claim the type does not declare (`sub`, `iat`, … are in every token).
#[inline]
pub fn skip_claim<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// The `expecting` text of a generated claims visitor.
pub fn expecting_claims(f: &mut fmt::Formatter<'_>, ty: &str) -> fmt::Result {
    write!(f, "a JSON object of the claims of `{ty}`")
}

/// Reads the value of a declared claim into its slot; a second occurrence is an error.
#[inline]
pub fn next_claim<'de, T: serde::Deserialize<'de>, A: de::MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    info: &'static ClaimInfo,
    place: Place,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(duplicate_claim(info, place));
    }
    *slot = Some(map.next_value_seed(ClaimSeed::new(info, place))?);
    Ok(())
}

/// The value read for a claim, or the missing-claim rule when the payload had none.
#[inline]
pub fn take_claim<'de, T: serde::Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    info: &'static ClaimInfo,
    place: Place,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => missing_claim(info, place),
    }
}
