//! Splitting a compact JWS and reading its header and registered claims, before any trust.
//!
//! Everything here is attacker-controlled: sizes are capped first, base64url is strict, JSON
//! nesting is bounded, and claim values keep their JSON type so the checks after the
//! signature can say what was expected and what was found.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

use super::base64url;
use super::error::VerifyError;

/// The deepest JSON nesting accepted in a header or payload (Clerk's tokens nest 2 deep).
pub const MAX_JSON_DEPTH: usize = 32;

/// A JSON value of a registered claim or header member, kept with its type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Str(Cow<'a, str>),
    Array(Vec<Raw<'a>>),
    Object,
    /// A member given more than once (JSON.parse keeps the last; we trust neither).
    Duplicate,
}

impl<'a> Raw<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Raw::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The JSON type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Raw::Null => "null",
            Raw::Bool(_) => "a boolean",
            Raw::Number(_) => "a number",
            Raw::Str(_) => "a string",
            Raw::Array(_) => "an array",
            Raw::Object => "an object",
            Raw::Duplicate => "a member given more than once",
        }
    }

    /// A short rendering for messages: never more than 64 characters of token data.
    pub(crate) fn describe(&self) -> String {
        match self {
            Raw::Str(s) => format!("{:?}", crate::json_text::clip(s)),
            Raw::Number(n) => format!("{n}"),
            Raw::Bool(b) => format!("{b}"),
            other => other.type_name().to_owned(),
        }
    }
}

/// Reads any JSON value as a [`Raw`].
struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Raw::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Raw::Number(v as f64))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Raw::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Raw::Number(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Raw::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Raw::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Raw::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Raw<'de>>()? {
            items.push(item);
        }
        Ok(Raw::Array(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Raw::Object)
    }
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

/// A [`Raw`] value and, when it is a JSON integer that fits `i64`, that integer (what
/// `serde_json::Value::as_i64` gives; `1.0` and `1e3` give none).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Numbered<'a> {
    pub raw: Raw<'a>,
    pub int: Option<i64>,
}

impl<'de> Deserialize<'de> for Numbered<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberedVisitor;
        impl<'de> Visitor<'de> for NumberedVisitor {
            type Value = Numbered<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                let raw = RawVisitor.visit_u64(v)?;
                Ok(Numbered {
                    raw,
                    int: i64::try_from(v).ok(),
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                let raw = RawVisitor.visit_i64(v)?;
                Ok(Numbered { raw, int: Some(v) })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Self::plain(RawVisitor.visit_f64(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Self::plain(RawVisitor.visit_unit())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Self::plain(RawVisitor.visit_none())
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Self::plain(RawVisitor.visit_bool(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Self::plain(RawVisitor.visit_borrowed_str(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Self::plain(RawVisitor.visit_str(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Self::plain(RawVisitor.visit_string(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Self::plain(RawVisitor.visit_seq(seq))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Self::plain(RawVisitor.visit_map(map))
            }
        }
        impl NumberedVisitor {
            fn plain<'de, E>(raw: Result<Raw<'de>, E>) -> Result<Numbered<'de>, E> {
                raw.map(|raw| Numbered { raw, int: None })
            }
        }
        deserializer.deserialize_any(NumberedVisitor)
    }
}

/// Reads the members of a JSON object into `slots` by name, each kept with its type; a
/// member given twice becomes [`Raw::Duplicate`] (the check of that member then says so, in
/// its own reason code); `crit` only sets `crit`; other members are skipped.
fn read_members<'de, A: de::MapAccess<'de>>(
    mut map: A,
    slots: &mut [(&str, &mut Option<Raw<'de>>)],
    mut crit: Option<&mut bool>,
) -> Result<(), A::Error> {
    while let Some(name) = map.next_key::<Raw<'de>>()? {
        let name = name.as_str().unwrap_or_default();
        if let Some((_, slot)) = slots.iter_mut().find(|(n, _)| *n == name) {
            // `null` is present, not absent: Clerk rejects `"nbf": null`.
            let value = map.next_value::<Raw<'de>>()?;
            **slot = Some(if slot.is_some() {
                Raw::Duplicate
            } else {
                value
            });
            continue;
        }
        match crit.as_deref_mut() {
            Some(crit) if name == "crit" => *crit = true,
            _ => {}
        }
        map.next_value::<IgnoredAny>()?;
    }
    Ok(())
}

/// The JOSE header members the verifier reads; others are ignored (Clerk adds new ones,
/// e.g. `oiat`).
#[derive(Debug, Default)]
pub(crate) struct Header<'a> {
    pub alg: Option<Raw<'a>>,
    pub kid: Option<Raw<'a>>,
    pub typ: Option<Raw<'a>>,
    pub cat: Option<Raw<'a>>,
    /// Any `crit` is refused: no extension is understood (RFC 7515 §4.1.11).
    pub crit: bool,
}

/// A JSON object read member by member into a struct of [`Raw`] slots.
trait Members<'de>: Default {
    /// Reads `map` into the slots of `self`, by member name (see [`read_members`]).
    fn read<A: de::MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error>;
}

impl<'de> Members<'de> for Header<'de> {
    fn read<A: de::MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        let slots = &mut [
            ("alg", &mut self.alg),
            ("kid", &mut self.kid),
            ("typ", &mut self.typ),
            ("cat", &mut self.cat),
        ];
        read_members(map, slots, Some(&mut self.crit))
    }
}

/// The [`Deserialize`] of any [`Members`] type.
struct Object<T>(T);

impl<'de, T: Members<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Members<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let mut value = T::default();
                value.read(map)?;
                Ok(Object(value))
            }
        }
        deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
    }
}

impl Header<'_> {
    /// Refuses a header with `crit`: no JWS extension is understood (RFC 7515 §4.1.11).
    pub(crate) fn refuse_crit(&self) -> Result<(), VerifyError> {
        if self.crit {
            return Err(VerifyError::Header {
                member: "crit",
                expected: "no crit (no JWS extension is understood)",
                found: "a crit member".into(),
            });
        }
        Ok(())
    }
}

/// The registered claims, each kept with its JSON type.
#[derive(Debug, Default)]
pub(crate) struct Registered<'a> {
    pub sub: Option<Raw<'a>>,
    pub iss: Option<Raw<'a>>,
    pub aud: Option<Raw<'a>>,
    pub azp: Option<Raw<'a>>,
    pub exp: Option<Raw<'a>>,
    pub nbf: Option<Raw<'a>>,
    pub iat: Option<Raw<'a>>,
    pub jti: Option<Raw<'a>>,
    pub sid: Option<Raw<'a>>,
    /// The marker claim of derived templates ([`MARKER_CLAIM`](crate::template::MARKER_CLAIM)).
    pub marker: Option<Raw<'a>>,
}

impl<'de> Members<'de> for Registered<'de> {
    fn read<A: de::MapAccess<'de>>(&mut self, map: A) -> Result<(), A::Error> {
        let slots = &mut [
            ("sub", &mut self.sub),
            ("iss", &mut self.iss),
            ("aud", &mut self.aud),
            ("azp", &mut self.azp),
            ("exp", &mut self.exp),
            ("nbf", &mut self.nbf),
            ("iat", &mut self.iat),
            ("jti", &mut self.jti),
            ("sid", &mut self.sid),
            (crate::template::MARKER_CLAIM, &mut self.marker),
        ];
        read_members(map, slots, None)
    }
}

/// A compact JWS split and base64url-decoded; the header and payload JSON still to parse.
///
/// The three decoded segments share one buffer (one allocation per token).
#[derive(Debug)]
pub(crate) struct Parts<'t> {
    /// `header.payload` exactly as in the token: what the signature covers.
    pub signing_input: &'t str,
    pub signature_b64: &'t str,
    /// Header, payload and signature bytes, one after the other.
    bytes: Vec<u8>,
    payload_at: usize,
    signature_at: usize,
}

impl Parts<'_> {
    /// The header JSON bytes.
    pub(crate) fn header_json(&self) -> &[u8] {
        self.bytes.get(..self.payload_at).unwrap_or_default()
    }

    /// The payload bytes.
    pub(crate) fn payload(&self) -> &[u8] {
        self.bytes
            .get(self.payload_at..self.signature_at)
            .unwrap_or_default()
    }

    /// The signature bytes.
    pub(crate) fn signature(&self) -> &[u8] {
        self.bytes.get(self.signature_at..).unwrap_or_default()
    }

    /// Checks the signature with `key` for `alg` (one the key was prepared for).
    pub(crate) fn check_signature(
        &self,
        key: &crate::jwks::Key,
        alg: crate::crypto::Algorithm,
    ) -> Result<(), VerifyError> {
        key.prepared(alg)
            .ok_or(VerifyError::Signature)?
            .verify(
                self.signing_input.as_bytes(),
                self.signature(),
                self.signature_b64,
            )
            .map_err(|_| VerifyError::Signature)
    }

    /// The payload bytes, owned.
    pub(crate) fn into_payload(mut self) -> Vec<u8> {
        self.bytes.truncate(self.signature_at);
        self.bytes.drain(..self.payload_at.min(self.bytes.len()));
        self.bytes
    }
}

/// Splits a compact JWS into exactly three strict base64url segments.
pub(crate) fn split(token: &str, max_len: usize) -> Result<Parts<'_>, VerifyError> {
    if token.len() > max_len {
        return Err(VerifyError::TooLarge {
            len: token.len(),
            max: max_len,
        });
    }
    // Dots are ASCII, so every index memchr finds is a char boundary.
    let mut dots = memchr::memchr_iter(b'.', token.as_bytes());
    let segments = match (dots.next(), dots.next(), dots.next()) {
        (Some(first), Some(second), None) => token
            .get(..first)
            .zip(token.get(first + 1..second).zip(token.get(second + 1..))),
        _ => None,
    };
    let Some((header_b64, (payload_b64, signature_b64))) = segments else {
        return Err(VerifyError::Malformed {
            detail: format!(
                "a JWT consists of three parts separated by dots, found {}",
                token.split('.').count().min(1000)
            ),
        });
    };
    if header_b64.is_empty() {
        return Err(VerifyError::Malformed {
            detail: "the header part is empty".into(),
        });
    }
    let capacity = [header_b64, payload_b64, signature_b64]
        .iter()
        .filter_map(|part| base64url::decoded_len(part.len()))
        .sum();
    let mut bytes = Vec::with_capacity(capacity);
    let mut decode = |part: &str, what: &str| {
        if base64url::decode_into(part.as_bytes(), &mut bytes) {
            Ok(bytes.len())
        } else {
            Err(VerifyError::Malformed {
                detail: format!(
                    "the {what} is not strict base64url (no padding, URL-safe alphabet)"
                ),
            })
        }
    };
    let payload_at = decode(header_b64, "header")?;
    let signature_at = decode(payload_b64, "payload")?;
    decode(signature_b64, "signature")?;
    let signing_input = token
        .get(..header_b64.len() + 1 + payload_b64.len())
        .unwrap_or_default();
    Ok(Parts {
        signing_input,
        signature_b64,
        bytes,
        payload_at,
        signature_at,
    })
}

/// Parses the header JSON (object, bounded depth, no duplicate members the verifier reads).
pub(crate) fn header(json: &[u8]) -> Result<Header<'_>, VerifyError> {
    object(json, "header")
}

/// Parses the registered claims of the payload JSON.
pub(crate) fn registered(json: &[u8]) -> Result<Registered<'_>, VerifyError> {
    object(json, "payload")
}

/// Parses an object; JSON that is not an object reads as one without members, as Clerk's
/// `JSON.parse` then finds none of them (a header without `kid`, a payload without `sub`):
/// the check of the first missing member rejects it, in Clerk's words.
fn object<'a, T: Members<'a>>(json: &'a [u8], what: &str) -> Result<T, VerifyError> {
    let text = match json_text(json, what) {
        Ok(text) => text,
        Err(_) if is_json_but_not_an_object(json) => return Ok(T::default()),
        Err(e) => return Err(e),
    };
    serde_json::from_str::<Object<T>>(text)
        .map(|Object(value)| value)
        .map_err(|e| VerifyError::Malformed {
            detail: format!("the {what} could not be decoded: {e}"),
        })
}

/// Whether `json` is a JSON value other than an object, within the depth limit.
pub(crate) fn is_json_but_not_an_object(json: &[u8]) -> bool {
    json.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{')
        && !depth_exceeds(json, MAX_JSON_DEPTH)
        && serde_json::from_slice::<IgnoredAny>(json).is_ok()
}

/// `json` as text once it looks like a JSON object: `{` first, nesting within
/// [`MAX_JSON_DEPTH`], UTF-8 (checked once as a whole, so the parser need not check string by
/// string).
pub(crate) fn json_text<'a>(json: &'a [u8], what: &str) -> Result<&'a str, VerifyError> {
    // Leading whitespace is legal JSON (RFC 7515 A.1 has CRLFs inside the header).
    if json.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(VerifyError::Malformed {
            detail: format!("the {what} is not a JSON object"),
        });
    }
    if depth_exceeds(json, MAX_JSON_DEPTH) {
        return Err(VerifyError::Malformed {
            detail: format!("the {what} nests JSON deeper than {MAX_JSON_DEPTH} levels"),
        });
    }
    std::str::from_utf8(json).map_err(|e| VerifyError::Malformed {
        detail: format!(
            "the {what} is not UTF-8 JSON (invalid byte at offset {})",
            e.valid_up_to()
        ),
    })
}

/// Whether `json` nests arrays/objects deeper than `max` (strings skipped).
///
/// Hand-written: a linear byte scan is cheaper than any parser and runs before one. Strings,
/// most of a token's bytes, are skipped with `memchr` to the next quote or backslash.
pub(crate) fn depth_exceeds(json: &[u8], max: usize) -> bool {
    // The depth never exceeds the number of opening brackets, in strings or not: counting them
    // (memchr, a few SIMD steps) settles every token Clerk issues, which hold a handful.
    if memchr::memchr2_iter(b'{', b'[', json).nth(max).is_none() {
        return false;
    }
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = json.get(i) {
        i += 1;
        match b {
            b'"' => loop {
                let rest = json.get(i..).unwrap_or_default();
                let Some(at) = memchr::memchr2(b'"', b'\\', rest) else {
                    // An unterminated string: the parser rejects it.
                    return false;
                };
                let escape = rest.get(at) == Some(&b'\\');
                // After a backslash the next byte is escaped, whatever it is.
                i += at + if escape { 2 } else { 1 };
                if !escape {
                    break;
                }
            },
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_skips_brackets_inside_strings() {
        assert!(!depth_exceeds(br#"{"a":"[[[[[[["}"#, 2));
        assert!(depth_exceeds(br#"{"a":[[[1]]]}"#, 3));
        assert!(!depth_exceeds(br#"{"a":[[1]]}"#, 3));
        assert!(!depth_exceeds(br#"{"a":"\"[[[["}"#, 1));
        assert!(!depth_exceeds(br#"{"a":"\\\\"}"#, 1));
        assert!(depth_exceeds(br#"{"a":"\\\\","b":[[1]]}"#, 2));
        assert!(!depth_exceeds(br#"{"a":"[[[[\"#, 1));
    }

    /// The byte-at-a-time scan the memchr version replaced, kept as the reference.
    fn depth_exceeds_reference(json: &[u8], max: usize) -> bool {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for &b in json {
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    depth += 1;
                    if depth > max {
                        return true;
                    }
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        false
    }

    proptest::proptest! {
        #[test]
        fn depth_scan_agrees_with_the_byte_at_a_time_scan(
            json in proptest::collection::vec(
                proptest::sample::select(b"{}[]\"\\ax:,".to_vec()), 0..64),
            max in 0usize..6,
        ) {
            proptest::prop_assert_eq!(
                depth_exceeds(&json, max),
                depth_exceeds_reference(&json, max)
            );
        }
    }

    #[test]
    fn null_claim_is_present_not_absent() {
        let claims = registered(br#"{"nbf":null}"#).map_err(|e| e.to_string());
        assert_eq!(claims.map(|c| c.nbf), Ok(Some(Raw::Null)));
    }

    #[test]
    fn duplicate_registered_claim_is_kept_as_a_duplicate() {
        // The sub check then rejects it (token-verification-failed, as Clerk's sub check).
        let claims = registered(br#"{"sub":"a","sub":"b","iss":"x"}"#).map_err(|e| e.to_string());
        assert_eq!(
            claims.map(|c| (c.sub, c.iss)),
            Ok((Some(Raw::Duplicate), Some(Raw::Str("x".into()))))
        );
    }

    #[test]
    fn json_that_is_not_an_object_reads_as_no_members() {
        let claims = registered(b"[1,2]").map_err(|e| e.to_string());
        assert!(claims.is_ok_and(|c| c.sub.is_none()));
        assert!(registered(b"[1,").is_err(), "invalid JSON stays malformed");
    }

    #[test]
    fn invalid_utf8_anywhere_in_the_payload_is_malformed() {
        // Inside a claim the verifier does not read, where a lazy parser would skip it.
        let err = registered(b"{\"x\":\"\xc3\x28\"}").err();
        assert_eq!(
            err.as_ref().map(VerifyError::reason),
            Some(super::super::Reason::TokenInvalid)
        );
        assert!(err.is_some_and(|e| e.to_string().contains("not UTF-8")));
    }

    #[test]
    fn split_rejects_four_segments_and_padding() {
        assert!(split("a.b.c.d", 100).is_err());
        assert!(split("eyJ9.e30=.", 100).is_err());
        assert!(split("e30.e30.", 100).is_ok());
    }

    #[test]
    fn split_keeps_each_segment_apart() {
        let parts = split("eyJhIjoxfQ.e30.AQID", 100).map_err(|e| e.to_string());
        let parts = parts
            .as_ref()
            .map(|p| (p.header_json(), p.payload(), p.signature()));
        assert_eq!(
            parts,
            Ok((&br#"{"a":1}"#[..], &b"{}"[..], &[1u8, 2, 3][..]))
        );
        let payload = split("eyJhIjoxfQ.e30.AQID", 100).map(Parts::into_payload);
        assert_eq!(payload.ok(), Some(b"{}".to_vec()));
    }
}
