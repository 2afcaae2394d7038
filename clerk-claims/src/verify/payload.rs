//! What the verifier reads from a payload before the signature (the registered claims, only
//! parsed) and what it makes of the payload once everything checked out: typed claims, the
//! raw JSON object, or Clerk's session claims.
//!
//! Session claims are read in the same pass as the registered claims, so a session token's
//! payload is parsed once. That pass declines anything unusual (a claim of another type than
//! Clerk's, `aud`, a claim given twice, JSON that does not parse); the payload is then read as
//! before, registered claims alone first and [`SessionClaims::from_json`] after the
//! signature, so results and errors are those of the two-pass reading.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::cache::{CachedClaims, Mode};
use super::decode::{self, Numbered, Raw, Registered};
use super::{Verified, VerifyError};
use crate::claims::{ClaimsMismatch, ClerkClaims};
use crate::session::{OnePass, SessionClaims, Text, bail};

/// A way of reading the payload: [`parse`](Self::parse) runs before the signature,
/// [`finish`](Self::finish) after every check passed.
pub(super) trait Payload {
    /// What the parse keeps for `finish`, borrowing the payload.
    type Parsed<'a>;
    /// The claims handed to the caller.
    type Output;
    /// The registered claims, and what `finish` needs.
    fn parse(json: &[u8]) -> Result<(Registered<'_>, Self::Parsed<'_>), VerifyError>;
    /// The claims, from what `parse` kept and the payload bytes.
    fn finish(parsed: Self::Parsed<'_>, json: &[u8]) -> Result<Self::Output, VerifyError>;
    /// Which reading this is, for the token cache's key.
    const MODE: Mode;
    /// What the token cache keeps of a verified token's claims.
    fn to_cache(verified: &Verified<()>, output: &Self::Output, json: &[u8]) -> CachedClaims;
    /// The claims again, from what the token cache kept.
    fn from_cache(cached: &CachedClaims) -> Result<Self::Output, VerifyError>;
    /// Checks of the verified claims that depend on the claims type (a template's marker
    /// claim, and its lifetime when opted in); none by default.
    fn check_registered(
        _claims: &Registered<'_>,
        _exp: f64,
        _iat: Option<f64>,
    ) -> Result<(), VerifyError> {
        Ok(())
    }
}

/// A cache entry of another reading: cannot happen (the mode is part of the cache key).
fn wrong_entry() -> VerifyError {
    VerifyError::Malformed {
        detail: "the token cache holds another reading of this token".into(),
    }
}

/// Typed claims `C`, decoded after the signature.
pub(super) struct Typed<C>(PhantomData<C>);

impl<C: ClerkClaims> Payload for Typed<C> {
    type Parsed<'a> = ();
    type Output = C;

    fn parse(json: &[u8]) -> Result<(Registered<'_>, ()), VerifyError> {
        Ok((decode::registered(json)?, ()))
    }

    fn finish((): (), json: &[u8]) -> Result<C, VerifyError> {
        // The payload was found to be UTF-8 before the signature; as text, the parser need
        // not check each string again.
        let text = decode::json_text(json, "payload")?;
        let claims = crate::claims::decode_str::<C>(text)?;
        claims.__check_grants();
        Ok(claims)
    }

    const MODE: Mode = Mode::Typed;

    fn to_cache(_: &Verified<()>, _: &C, json: &[u8]) -> CachedClaims {
        CachedClaims::Text(String::from_utf8_lossy(json).into())
    }

    fn from_cache(cached: &CachedClaims) -> Result<C, VerifyError> {
        match cached {
            CachedClaims::Text(text) => crate::claims::decode_str::<C>(text).map_err(Into::into),
            _ => Err(wrong_entry()),
        }
    }

    /// A template token must carry its template's marker claim (unless the type opted out),
    /// and, with `#[clerk(exact_lifetime)]`, live exactly the template's lifetime (Clerk mints
    /// `exp = iat + lifetime` unless the client asked for another one).
    fn check_registered(
        claims: &Registered<'_>,
        exp: f64,
        iat: Option<f64>,
    ) -> Result<(), VerifyError> {
        let Some(template) = C::TEMPLATE_NAME else {
            return Ok(());
        };
        if C::TEMPLATE_MARKER {
            match &claims.marker {
                Some(Raw::Str(found)) if found == template => {}
                Some(Raw::Str(found)) => {
                    return Err(VerifyError::TemplateMarker {
                        expected: template,
                        found: crate::json_text::clip(found).into_owned(),
                    });
                }
                other => {
                    let found = other.as_ref().map(Raw::describe);
                    return Err(crate::claims::marker_drift::<C>(found.as_deref()).into());
                }
            }
        }
        let Some(expected) = C::EXACT_LIFETIME else {
            return Ok(());
        };
        let found = iat.map(|iat| exp - iat);
        if found == Some(f64::from(expected)) {
            return Ok(());
        }
        Err(VerifyError::TemplateLifetime {
            template,
            expected,
            found,
        })
    }
}

/// The payload as a JSON object, for tools.
pub(super) struct Object;

impl Payload for Object {
    type Parsed<'a> = ();
    type Output = Map<String, Value>;

    fn parse(json: &[u8]) -> Result<(Registered<'_>, ()), VerifyError> {
        Ok((decode::registered(json)?, ()))
    }

    fn finish((): (), json: &[u8]) -> Result<Self::Output, VerifyError> {
        serde_json::from_slice(json).map_err(|e| VerifyError::Malformed {
            detail: format!("the payload could not be decoded: {e}"),
        })
    }

    const MODE: Mode = Mode::Object;

    fn to_cache(_: &Verified<()>, output: &Self::Output, _: &[u8]) -> CachedClaims {
        CachedClaims::Object(output.clone())
    }

    fn from_cache(cached: &CachedClaims) -> Result<Self::Output, VerifyError> {
        match cached {
            CachedClaims::Object(object) => Ok(object.clone()),
            _ => Err(wrong_entry()),
        }
    }
}

/// Clerk's default session claims.
pub(super) struct Session;

impl Payload for Session {
    /// The session claims read in the registered claims' pass, unless that pass declined.
    type Parsed<'a> = Option<OnePass<'a>>;
    type Output = SessionClaims;

    fn parse(json: &[u8]) -> Result<(Registered<'_>, Option<OnePass<'_>>), VerifyError> {
        let Ok(text) = decode::json_text(json, "payload") else {
            return Ok((decode::registered(json)?, None));
        };
        match serde_json::from_str::<SessionPass<'_>>(text) {
            Ok(pass) => Ok((pass.registered, Some(pass.session))),
            // The registered claims alone, as for any token: their error, if there is one.
            Err(_) => Ok((decode::registered(json)?, None)),
        }
    }

    fn finish(parsed: Option<OnePass<'_>>, json: &[u8]) -> Result<SessionClaims, VerifyError> {
        if let Some(claims) = parsed.and_then(OnePass::finish) {
            return Ok(claims);
        }
        SessionClaims::from_json(json).map_err(|e| {
            VerifyError::ClaimsMismatch(ClaimsMismatch::other(
                format!("the payload does not fit Clerk's session token: {e}"),
                None,
            ))
        })
    }

    const MODE: Mode = Mode::Session;

    fn to_cache(verified: &Verified<()>, output: &SessionClaims, _: &[u8]) -> CachedClaims {
        CachedClaims::Session(Arc::new(verified.clone().map(|()| output.clone())))
    }

    fn from_cache(cached: &CachedClaims) -> Result<SessionClaims, VerifyError> {
        match cached {
            CachedClaims::Session(shared) => Ok(shared.claims.clone()),
            _ => Err(wrong_entry()),
        }
    }
}

/// The registered claims and the session claims of one payload, from one parse.
struct SessionPass<'a> {
    registered: Registered<'a>,
    session: OnePass<'a>,
}

impl<'de> Deserialize<'de> for SessionPass<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SessionPassVisitor)
    }
}

struct SessionPassVisitor;

impl<'de> Visitor<'de> for SessionPassVisitor {
    type Value = SessionPass<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a session token payload")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut registered = Registered::default();
        let mut session = OnePass::default();
        while let Some(Text(name)) = map.next_key::<Text<'de>>()? {
            let slot = match name.as_ref() {
                "sub" => &mut registered.sub,
                "iss" => &mut registered.iss,
                "azp" => &mut registered.azp,
                "jti" => &mut registered.jti,
                "sid" => &mut registered.sid,
                "exp" => &mut registered.exp,
                "nbf" => &mut registered.nbf,
                "iat" => &mut registered.iat,
                // A custom claim for a session token, whose value `Raw` does not keep whole.
                "aud" => return Err(bail()),
                _ => {
                    session.read_member(name, &mut map)?;
                    continue;
                }
            };
            if slot.is_some() {
                return Err(bail());
            }
            let Numbered { raw, int } = map.next_value::<Numbered<'de>>()?;
            let taken = match (&raw, int) {
                (Raw::Null, _) => session.set_text(&name, None) || session.set_seconds(&name, None),
                (Raw::Str(text), _) => session.set_text(&name, Some(text.clone())),
                (Raw::Number(_), Some(seconds)) => session.set_seconds(&name, Some(seconds)),
                _ => false,
            };
            if !taken {
                return Err(bail());
            }
            *slot = Some(raw);
        }
        Ok(SessionPass {
            registered,
            session,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The one-pass reading of `json` against the two-pass one: same registered claims (or
    /// error) before the signature, same session claims (or error) after.
    fn agree(json: &str) -> Result<bool, TestCaseError> {
        let bytes = json.as_bytes();
        let describe = |r: &Registered<'_>| format!("{r:?}");
        let one = Session::parse(bytes);
        let two = decode::registered(bytes);
        prop_assert_eq!(
            one.as_ref()
                .map(|(r, _)| describe(r))
                .map_err(|e| e.to_string()),
            two.as_ref().map(describe).map_err(|e| e.to_string()),
            "{}",
            json
        );
        let Ok((_, parsed)) = one else {
            return Ok(false);
        };
        let in_one_pass = parsed.is_some();
        let finished = Session::finish(parsed, bytes).map_err(|e| e.to_string());
        // The two-pass reading: the session parser on its own.
        let reference = SessionClaims::from_json(bytes).map_err(|e| e.to_string());
        prop_assert_eq!(finished.is_ok(), reference.is_ok(), "{}", json);
        if let (Ok(a), Ok(b)) = (&finished, &reference) {
            prop_assert_eq!(a, b, "{}", json);
        }
        Ok(in_one_pass)
    }

    fn value() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "null",
            "true",
            "2",
            "2.0",
            "-1",
            "1e3",
            "9223372036854775808",
            "\"\"",
            "\"user_1\"",
            "\"o:a,u:b\"",
            "\"esc\\\"aped\"",
            "[]",
            "[3,-1]",
            "[\"x\"]",
            "{}",
            "{\"id\":\"org_1\",\"rol\":\"admin\",\"per\":\"read\",\"fpm\":\"1\"}",
        ])
    }

    fn name() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "sub", "sid", "iss", "azp", "jti", "exp", "iat", "nbf", "aud", "v", "fea", "fva", "o",
            "org_id", "custom",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn one_pass_session_reading_agrees_with_two_passes(
            members in prop::collection::vec((name(), value()), 0..8),
            base in prop::sample::select(vec![
                "",
                r#""sub":"user_1","exp":1700000000,"#,
                r#""sub":"user_1","exp":1700000000,"v":2,"fea":"o:a","#,
            ]),
        ) {
            let body: Vec<String> =
                members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let json = format!("{{{base}{}}}", body.join(",")).replace(",}", "}");
            agree(&json)?;
        }
    }

    #[test]
    fn a_clerk_session_payload_is_parsed_once() {
        let json = r#"{"azp":"https://app.example.com","exp":1700000060,"fea":"o:invoices",
            "iat":1700000000,"iss":"https://clerk.example.com","jti":"abc","nbf":1699999990,
            "o":{"fpm":"1","id":"org_1","per":"read","rol":"admin","slg":"acme"},
            "sid":"sess_1","sub":"user_1","v":2}"#;
        assert_eq!(agree(json).map_err(|e| e.to_string()), Ok(true));
    }

    #[test]
    fn unusual_payloads_are_read_in_two_passes() {
        for json in [
            r#"{"sub":"u","exp":1,"aud":"api"}"#,
            r#"{"sub":"u","exp":1.5}"#,
            r#"{"sub":"u","exp":1,"sub":"v"}"#,
            r#"{"sub":7,"exp":1}"#,
        ] {
            assert_eq!(agree(json).map_err(|e| e.to_string()), Ok(false), "{json}");
        }
    }
}
