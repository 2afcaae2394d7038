//! Reading a session payload from JSON bytes in one pass, without `serde_json::Value` for the
//! claims Clerk defines (the hot path of `verify_session`).
//!
//! Strings are borrowed from the bytes until the claims are built. The reader only answers
//! when it is sure: on anything unusual (a claim of the wrong type, a claim given twice, a v1
//! token carrying `o`, a v2 token carrying `org_*`, JSON that does not parse) it returns `None`
//! and [`SessionClaims::from_json`] reads the payload again through `Value` and
//! [`SessionClaims::from_payload`], the reference, which also words the error.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::{
    AuthObject, OrgClaimV2, SessionClaims, SessionVersion, actor, apply_org_v2, factor_ages,
    string_list, string_value,
};

/// Reads `payload` in one pass; `None` when it needs the reference reading.
pub(super) fn one_pass(payload: &[u8]) -> Option<SessionClaims> {
    // UTF-8 checked once for the whole payload rather than string by string by the parser.
    let text = std::str::from_utf8(payload).ok()?;
    serde_json::from_str::<OnePass<'_>>(text).ok()?.finish()
}

/// The claims this module reads; everything else is custom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Sub,
    Sid,
    Iss,
    Azp,
    Jti,
    Exp,
    Iat,
    Nbf,
    V,
    Sts,
    Fva,
    Fea,
    Pla,
    Act,
    O,
    OrgId,
    OrgRole,
    OrgSlug,
    OrgPermissions,
}

impl Claim {
    /// `super::COMMON`, `super::V2_ONLY` and `super::V1_ONLY`, as one match.
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "sub" => Self::Sub,
            "sid" => Self::Sid,
            "iss" => Self::Iss,
            "azp" => Self::Azp,
            "jti" => Self::Jti,
            "exp" => Self::Exp,
            "iat" => Self::Iat,
            "nbf" => Self::Nbf,
            "v" => Self::V,
            "sts" => Self::Sts,
            "fva" => Self::Fva,
            "fea" => Self::Fea,
            "pla" => Self::Pla,
            "act" => Self::Act,
            "o" => Self::O,
            "org_id" => Self::OrgId,
            "org_role" => Self::OrgRole,
            "org_slug" => Self::OrgSlug,
            "org_permissions" => Self::OrgPermissions,
            _ => return None,
        })
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// What one pass found; `finish` turns it into [`SessionClaims`].
#[derive(Default)]
pub(crate) struct OnePass<'a> {
    sub: Option<Cow<'a, str>>,
    sid: Option<Cow<'a, str>>,
    iss: Option<Cow<'a, str>>,
    azp: Option<Cow<'a, str>>,
    jti: Option<Cow<'a, str>>,
    sts: Option<Cow<'a, str>>,
    fea: Option<Cow<'a, str>>,
    pla: Option<Cow<'a, str>>,
    exp: Option<i64>,
    iat: Option<i64>,
    nbf: Option<i64>,
    version: Option<SessionVersion>,
    fva: Option<[i64; 2]>,
    act: Option<super::Actor>,
    o: Option<OrgClaimV2>,
    /// `org_id`, `org_role`, `org_slug`, `org_permissions` as given (v1 claims).
    v1: [Option<Value>; 4],
    /// Which of the claims above were present (`null` included).
    seen: u32,
    custom: Map<String, Value>,
}

impl OnePass<'_> {
    /// The session claims, or `None` when the payload needs the reference reading.
    pub(crate) fn finish(self) -> Option<SessionClaims> {
        let own = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        let version = self.version.unwrap_or(SessionVersion::V1);
        let v1_claims = Claim::OrgId.bit()
            | Claim::OrgRole.bit()
            | Claim::OrgSlug.bit()
            | Claim::OrgPermissions.bit();
        // Version-specific claims of the other version are custom claims, whose place among
        // the other custom claims this pass did not keep: the reference reading keeps it.
        match version {
            SessionVersion::V2 if self.seen & v1_claims != 0 => return None,
            SessionVersion::V1 if self.seen & Claim::O.bit() != 0 => return None,
            _ => {}
        }
        let sub = own(self.sub)?;
        let exp = self.exp?;
        let sid = own(self.sid);
        let mut auth = AuthObject {
            user_id: Some(sub.clone()),
            session_id: sid.clone(),
            session_status: own(self.sts),
            features: own(self.fea),
            plans: own(self.pla),
            factor_verification_age: self.fva,
            actor: self.act,
            ..AuthObject::default()
        };
        let mut org_v2 = None;
        match version {
            SessionVersion::V2 => {
                if let Some(o) = self.o {
                    apply_org_v2(&mut auth, &o).ok()?;
                    org_v2 = Some(o);
                }
            }
            SessionVersion::V1 => {
                let [id, role, slug, permissions] = &self.v1;
                auth.org_id = string_value(id.as_ref(), "org_id").ok()?;
                auth.org_role = string_value(role.as_ref(), "org_role").ok()?;
                auth.org_slug = string_value(slug.as_ref(), "org_slug").ok()?;
                auth.org_permissions = string_list(permissions.as_ref(), "org_permissions").ok()?;
            }
        }
        Some(SessionClaims {
            sub,
            sid,
            iss: own(self.iss),
            azp: own(self.azp),
            jti: own(self.jti),
            exp,
            iat: self.iat,
            nbf: self.nbf,
            version,
            org_v2,
            custom: self.custom,
            auth,
        })
    }
}

/// Any error: the reference reading will say what it is.
pub(crate) fn bail<E: de::Error>() -> E {
    E::custom("not read in one pass")
}

impl<'de> Deserialize<'de> for OnePass<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OnePassVisitor)
    }
}

struct OnePassVisitor;

impl<'de> Visitor<'de> for OnePassVisitor {
    type Value = OnePass<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a session token payload")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut p = OnePass::default();
        while let Some(Text(name)) = map.next_key::<Text<'de>>()? {
            p.read_member(name, &mut map)?;
        }
        Ok(p)
    }
}

impl<'de> OnePass<'de> {
    /// Reads the value of member `name`, next in `map`: a claim of Clerk's session token or a
    /// custom claim. An error means "not for this pass", not a verdict on the payload.
    pub(crate) fn read_member<A: MapAccess<'de>>(
        &mut self,
        name: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let p = self;
        let Some(claim) = Claim::of(&name) else {
            // serde_json's `Map` keeps the first position and the last value of a duplicate
            // key, as `insert` does here.
            let value = map.next_value::<Value>()?;
            p.custom.insert(name.into_owned(), value);
            return Ok(());
        };
        if !p.mark(claim) {
            return Err(bail());
        }
        let mut text = || map.next_value::<OptText<'de>>().map(|t| t.0);
        match claim {
            Claim::Sub => p.sub = text()?,
            Claim::Sid => p.sid = text()?,
            Claim::Iss => p.iss = text()?,
            Claim::Azp => p.azp = text()?,
            Claim::Jti => p.jti = text()?,
            Claim::Sts => p.sts = text()?,
            Claim::Fea => p.fea = text()?,
            Claim::Pla => p.pla = text()?,
            Claim::Exp => p.exp = map.next_value::<OptSeconds>()?.0,
            Claim::Iat => p.iat = map.next_value::<OptSeconds>()?.0,
            Claim::Nbf => p.nbf = map.next_value::<OptSeconds>()?.0,
            Claim::V => {
                let v = map.next_value::<Value>()?;
                p.version = Some(SessionVersion::of(Some(&v)));
            }
            Claim::Fva => {
                let v = map.next_value::<Value>()?;
                p.fva = factor_ages(Some(&v)).map_err(|_| bail())?;
            }
            Claim::Act => {
                let v = map.next_value::<Value>()?;
                p.act = actor(Some(&v)).map_err(|_| bail())?;
            }
            Claim::O => p.o = map.next_value::<OptOrg>()?.0,
            Claim::OrgId => p.v1[0] = Some(map.next_value()?),
            Claim::OrgRole => p.v1[1] = Some(map.next_value()?),
            Claim::OrgSlug => p.v1[2] = Some(map.next_value()?),
            Claim::OrgPermissions => p.v1[3] = Some(map.next_value()?),
        }
        Ok(())
    }

    /// Takes the string claim `name` (`sub`, `sid`, `iss`, `azp`, `jti`) read by someone else:
    /// `None` is absent or `null`. `false` when `name` is not one of them or was already read.
    #[cfg(feature = "verify")]
    pub(crate) fn set_text(&mut self, name: &str, value: Option<Cow<'de, str>>) -> bool {
        let slot = match Claim::of(name) {
            Some(Claim::Sub) => &mut self.sub,
            Some(Claim::Sid) => &mut self.sid,
            Some(Claim::Iss) => &mut self.iss,
            Some(Claim::Azp) => &mut self.azp,
            Some(Claim::Jti) => &mut self.jti,
            _ => return false,
        };
        *slot = value;
        Claim::of(name).is_some_and(|claim| self.mark(claim))
    }

    /// Takes the seconds claim `name` (`exp`, `iat`, `nbf`) read by someone else: `None` is
    /// absent or `null`, `Some` an integer as `Value::as_i64` reads it. `false` when `name` is
    /// not one of them or was already read.
    #[cfg(feature = "verify")]
    pub(crate) fn set_seconds(&mut self, name: &str, value: Option<i64>) -> bool {
        let slot = match Claim::of(name) {
            Some(Claim::Exp) => &mut self.exp,
            Some(Claim::Iat) => &mut self.iat,
            Some(Claim::Nbf) => &mut self.nbf,
            _ => return false,
        };
        *slot = value;
        Claim::of(name).is_some_and(|claim| self.mark(claim))
    }

    /// Records that `claim` was read; `false` when it already was (a duplicate).
    fn mark(&mut self, claim: Claim) -> bool {
        let first = self.seen & claim.bit() == 0;
        self.seen |= claim.bit();
        first
    }
}

/// A JSON string, borrowed from the input when it has no escapes.
pub(crate) struct Text<'a>(pub(crate) Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor).map(Text)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A string claim: `null` is absent, any other type is not for this pass.
struct OptText<'a>(Option<Cow<'a, str>>);

impl<'de> Deserialize<'de> for OptText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Cow<'de, str>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Some(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Some(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_any(V).map(OptText)
    }
}

/// Integer seconds: `null` is absent; an integer that `Value::as_i64` reads is kept (so a
/// float such as `1.0` or `1e3` is not, as in the reference reading).
struct OptSeconds(Option<i64>);

impl<'de> Deserialize<'de> for OptSeconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("integer seconds or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v).map(Some).map_err(|_| bail())
            }
        }
        deserializer.deserialize_any(V).map(OptSeconds)
    }
}

/// The v2 `o` claim: `null` is absent; an object whose `id`, `slg`, `rol`, `per`, `fpm` are
/// strings or `null` (other members ignored, as [`super::org_claim`] does).
struct OptOrg(Option<OrgClaimV2>);

impl<'de> Deserialize<'de> for OptOrg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<OrgClaimV2>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an organization object or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut o = OrgClaimV2::default();
                let mut seen = 0u8;
                while let Some(Text(name)) = map.next_key::<Text<'de>>()? {
                    let (slot, bit) = match name.as_ref() {
                        "id" => (&mut o.id, 1),
                        "slg" => (&mut o.slg, 2),
                        "rol" => (&mut o.rol, 4),
                        "per" => (&mut o.per, 8),
                        "fpm" => (&mut o.fpm, 16),
                        _ => {
                            // Parsed (and so checked) like the reference reading, then dropped.
                            map.next_value::<Value>()?;
                            continue;
                        }
                    };
                    if seen & bit != 0 {
                        return Err(bail());
                    }
                    seen |= bit;
                    *slot = map.next_value::<OptText<'de>>()?.0.map(Cow::into_owned);
                }
                Ok(Some(o))
            }
        }
        deserializer.deserialize_any(V).map(OptOrg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Both readings of `json`, compared: the one-pass reader either declines or agrees with
    /// the reference, and `from_json` always equals the reference.
    fn agree(json: &str) -> Result<Option<SessionClaims>, TestCaseError> {
        check(json)
    }

    /// [`agree`] outside proptest: a disagreement fails the test.
    fn agreed(json: &str) -> Option<SessionClaims> {
        check(json).unwrap_or_else(|e| panic!("{e}"))
    }

    fn check(json: &str) -> Result<Option<SessionClaims>, TestCaseError> {
        let reference = SessionClaims::from_json_via_value(json.as_bytes());
        let fast = one_pass(json.as_bytes());
        if let Some(fast) = &fast {
            prop_assert_eq!(Ok(fast), reference.as_ref(), "{}", json);
            // `Map` equality ignores order; custom claims keep the payload's.
            let keys = |c: &SessionClaims| c.custom_claims().keys().cloned().collect::<Vec<_>>();
            prop_assert_eq!(Ok(keys(fast)), reference.as_ref().map(keys), "{}", json);
        }
        prop_assert_eq!(
            SessionClaims::from_json(json.as_bytes()),
            reference,
            "{}",
            json
        );
        Ok(fast)
    }

    fn value() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "null",
            "true",
            "0",
            "2",
            "2.0",
            "-1",
            "1.5",
            "1e3",
            "-0",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551616",
            "\"\"",
            "\"user_1\"",
            "\"o:a,u:b\"",
            "\"o:a,nope\"",
            "\"esc\\\"aped\\u00e9\"",
            "\"\\ud800\"",
            "[]",
            "[1,2]",
            "[3,-1]",
            "[1,\"2\"]",
            "[\"org:a:read\"]",
            "{}",
            "{\"sub\":\"user_admin\",\"iss\":\"x\"}",
            "{\"iss\":\"x\"}",
            "{\"id\":\"org_1\",\"rol\":\"admin\",\"per\":\"read,write\",\"fpm\":\"3\"}",
            "{\"id\":\"org_1\",\"rol\":\"\",\"slg\":null,\"x\":[1]}",
            "{\"id\":\"org_1\",\"id\":\"org_2\"}",
            "{\"fpm\":3}",
        ])
    }

    fn name() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "sub",
            "sid",
            "iss",
            "azp",
            "jti",
            "exp",
            "iat",
            "nbf",
            "v",
            "sts",
            "fva",
            "fea",
            "pla",
            "act",
            "o",
            "org_id",
            "org_role",
            "org_slug",
            "org_permissions",
            "aud",
            "custom",
            "s\\u0075b",
            "sub\\u0062",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn one_pass_reading_agrees_with_the_value_reading(
            members in prop::collection::vec((name(), value()), 0..12),
            base in prop::sample::select(vec![
                "",
                r#""sub":"user_1","exp":1700000000,"#,
                r#""sub":"user_1","exp":1700000000,"v":2,"fea":"o:a,o:b,u:c","#,
            ]),
        ) {
            let body: Vec<String> =
                members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let json = format!("{{{base}{}}}", body.join(","));
            let json = json.replace(",}", "}");
            agree(&json)?;
        }
    }

    proptest! {
        #[test]
        fn custom_claims_keep_payload_order_and_values(
            members in prop::collection::vec(
                (prop::sample::select(vec!["zeta", "aud", "m", "alpha", "b\\u0061"]), value()),
                0..8,
            ),
            v2 in any::<bool>(),
        ) {
            let mut json = String::from(r#"{"sub":"user_1","exp":1700000000"#);
            if v2 {
                json.push_str(r#","v":2,"o":{"id":"org_1","rol":"admin","per":"read","fpm":"1"},"fea":"o:a""#);
            }
            for (k, v) in &members {
                json.push_str(&format!(",\"{k}\":{v}"));
            }
            json.push('}');
            let valid = !json.contains("ud800");
            prop_assert_eq!(agree(&json)?.is_some(), valid, "{}", json);
        }
    }

    #[test]
    fn clerk_shaped_v2_token_is_read_in_one_pass() {
        let json = r#"{"azp":"https://app.example.com","exp":1700000060,"fea":"o:invoices",
            "fva":[0,-1],"iat":1700000000,"iss":"https://clerk.example.com","jti":"abc",
            "nbf":1699999990,"o":{"fpm":"3","id":"org_1","per":"read,write","rol":"admin",
            "slg":"acme"},"sid":"sess_1","sts":"active","sub":"user_1","v":2}"#;
        let claims = agreed(json);
        let auth = claims.as_ref().map(SessionClaims::auth);
        assert_eq!(
            auth.and_then(|a| a.org_permissions.clone()),
            Some(vec![
                "org:invoices:read".to_owned(),
                "org:invoices:write".to_owned()
            ])
        );
    }

    #[test]
    fn v1_token_with_org_claims_is_read_in_one_pass() {
        let json = r#"{"sub":"user_1","exp":1,"org_id":"org_1","org_role":"org:admin",
            "org_permissions":["org:a:read"],"extra":{"k":[1]}}"#;
        let claims = agreed(json);
        assert_eq!(
            claims.map(|c| (c.auth().org_id.clone(), c.custom_claims().len())),
            Some((Some("org_1".to_owned()), 1))
        );
    }

    #[test]
    fn unusual_payloads_are_left_to_the_reference_reading() {
        for json in [
            r#"{"sub":"u","exp":1,"sub":"v"}"#,
            r#"{"sub":"u","exp":1,"o":{"id":"org_1"}}"#,
            r#"{"sub":"u","exp":1,"v":2,"org_id":"org_1"}"#,
            r#"{"sub":"u","exp":1.5}"#,
            r#"{"exp":1}"#,
            r#"[1]"#,
            r#"{"sub":"u","exp":1"#,
        ] {
            assert_eq!(agreed(json), None, "{json}");
        }
    }
}
