//! Clerk's JWT template save rules (name, lifetime, clock skew, signing algorithm, reserved
//! claims, claims size), as pure functions.
//!
//! Each check mirrors one branch of the Backend API's `CreateUpdateParams.validate`
//! (Clerk's Go service) and returns the error code, parameter and message Clerk answers with.

use std::fmt;
use std::ops::RangeInclusive;

use serde_json::Value;

/// One rule Clerk would reject a template for on save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    /// Clerk's error code, e.g. `jwt_template_reserved_claim`, `form_param_value_invalid`,
    /// `form_param_format_invalid`, `form_param_exceeds_allowed_size`, `form_param_missing`.
    pub code: &'static str,
    /// The form parameter Clerk names (`meta.param_name`), e.g. `name`, `claims`, `lifetime`.
    pub param: Option<&'static str>,
    /// Clerk's message where known, e.g. "You can't use the reserved claim: 'sub'".
    pub message: String,
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.param {
            Some(p) => write!(f, "{} [{}] {}", p, self.code, self.message),
            None => write!(f, "[{}] {}", self.code, self.message),
        }
    }
}

impl std::error::Error for RuleViolation {}

impl RuleViolation {
    fn new(code: &'static str, param: &'static str, message: impl Into<String>) -> Self {
        RuleViolation {
            code,
            param: Some(param),
            message: message.into(),
        }
    }
}

/// Top-level claim keys Clerk refuses on save (Go `disallowedClaims`), in Clerk's check order.
pub const RESERVED_CLAIMS: &[&str] = &["iat", "nbf", "exp", "iss", "sub", "azp"];
/// The claims every template token carries and a template cannot override (the docs' list;
/// `jti` is accepted on save but always overwritten at mint).
pub const DEFAULT_CLAIMS: &[&str] = &["azp", "exp", "iat", "iss", "jti", "nbf", "sub"];
/// Allowed token lifetime in seconds.
pub const LIFETIME_RANGE: RangeInclusive<u64> = 30..=315_360_000;
/// Allowed clock skew in seconds.
pub const SKEW_RANGE: RangeInclusive<u64> = 0..=300;
/// Clerk's default lifetime in seconds.
pub const DEFAULT_LIFETIME: u64 = 60;
/// Clerk's default allowed clock skew in seconds.
pub const DEFAULT_ALLOWED_CLOCK_SKEW: u64 = 5;
/// Maximum size of the raw claims JSON, in bytes.
pub const MAX_CLAIMS_BYTES: usize = 2048;
/// The claim a derived JWT template carries to name itself (`"jwt_template": "api"`), which
/// verification compares with the claims type's template: clerk-claims' own, not Clerk's (not
/// reserved, not a default claim).
pub const MARKER_CLAIM: &str = "jwt_template";
/// Algorithms accepted for a custom signing key.
pub const SIGNING_ALGORITHMS: &[&str] = &[
    "RS256", "RS384", "RS512", "HS256", "HS384", "HS512", "ES256", "ES384", "ES512",
];
/// Template names may not start with this prefix (reserved for integrations).
pub const RESERVED_NAME_PREFIX: &str = "integration_";

/// The template name: required, `^[a-zA-Z0-9-_]+$`, not starting with `integration_`.
/// (Uniqueness per instance is checked by the server: `form_identifier_exists`.)
pub fn check_name(name: &str) -> Result<(), RuleViolation> {
    if name.is_empty() {
        return Err(RuleViolation::new(
            "form_param_missing",
            "name",
            "name must be included.",
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(RuleViolation::new(
            "form_param_value_invalid",
            "name",
            format!(
                "{name} does not match one of the allowed values for parameter name \
                 (expected only letters, digits, `-` and `_`)"
            ),
        ));
    }
    if name.starts_with(RESERVED_NAME_PREFIX) {
        return Err(RuleViolation::new(
            "form_param_format_invalid",
            "name",
            format!(
                "Name is invalid. You can't use the reserved name prefix: '{RESERVED_NAME_PREFIX}'"
            ),
        ));
    }
    Ok(())
}

/// The token lifetime: 30..=315360000 seconds.
pub fn check_lifetime(lifetime: u64) -> Result<(), RuleViolation> {
    range_check("lifetime", lifetime, &LIFETIME_RANGE)
}

/// The allowed clock skew: 0..=300 seconds.
pub fn check_allowed_clock_skew(skew: u64) -> Result<(), RuleViolation> {
    range_check("allowed_clock_skew", skew, &SKEW_RANGE)
}

fn range_check(
    param: &'static str,
    value: u64,
    range: &RangeInclusive<u64>,
) -> Result<(), RuleViolation> {
    if range.contains(&value) {
        return Ok(());
    }
    Err(RuleViolation::new(
        "form_param_value_invalid",
        param,
        format!(
            "{param} is invalid (expected {}..={} seconds, found {value})",
            range.start(),
            range.end()
        ),
    ))
}

/// The algorithm of a custom signing key: one of [`SIGNING_ALGORITHMS`] (case-sensitive).
pub fn check_signing_algorithm(alg: &str) -> Result<(), RuleViolation> {
    if SIGNING_ALGORITHMS.contains(&alg) {
        return Ok(());
    }
    Err(RuleViolation::new(
        "form_param_value_invalid",
        "signing_algorithm",
        format!(
            "{alg} does not match one of the allowed values for parameter signing_algorithm \
             (expected one of {})",
            SIGNING_ALGORITHMS.join(", ")
        ),
    ))
}

/// The claims as a JSON value: an object, no reserved top-level key, `aud` not `clerk`
/// (any case), and at most [`MAX_CLAIMS_BYTES`] bytes as compact JSON (what `JSON.stringify`
/// and `serde_json::to_string` send).
pub fn check_claims(claims: &Value) -> Result<(), RuleViolation> {
    let compact = serde_json::to_string(claims).unwrap_or_default();
    check_size(compact.len())?;
    check_claims_value(claims)
}

/// The claims exactly as typed (the raw text sent to Clerk): the size is measured on the raw
/// text, whitespace included, then the same checks as [`check_claims`].
pub fn check_claims_json_text(text: &str) -> Result<(), RuleViolation> {
    check_size(text.len())?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        RuleViolation::new(
            "form_param_format_invalid",
            "claims",
            format!("Claims is invalid. Claims need to be a valid JSON object (the text is not JSON: {e})."),
        )
    })?;
    check_claims_value(&value)
}

/// Every violation of the claims rules at once (Clerk reports only the first): the size, the
/// object shape, each reserved top-level key, and `aud`.
pub fn claims_violations(claims: &Value) -> Vec<RuleViolation> {
    let mut out = Vec::new();
    let compact = serde_json::to_string(claims).unwrap_or_default();
    if let Err(v) = check_size(compact.len()) {
        out.push(v);
    }
    match claims {
        Value::Object(map) => {
            for key in RESERVED_CLAIMS.iter().filter(|k| map.contains_key(**k)) {
                out.extend(check_claims_value(&serde_json::json!({ *key: null })).err());
            }
            if let Some(aud) = map.get("aud") {
                out.extend(check_claims_value(&serde_json::json!({ "aud": aud })).err());
            }
        }
        other => out.extend(check_claims_value(other).err()),
    }
    out
}

fn check_size(len: usize) -> Result<(), RuleViolation> {
    if len <= MAX_CLAIMS_BYTES {
        return Ok(());
    }
    Err(RuleViolation::new(
        "form_param_exceeds_allowed_size",
        "claims",
        format!(
            "The given claims exceeds the maximum allowed size of {MAX_CLAIMS_BYTES} bytes ({} KB). (found {len} bytes)",
            MAX_CLAIMS_BYTES / 1024
        ),
    ))
}

fn check_claims_value(claims: &Value) -> Result<(), RuleViolation> {
    let Value::Object(map) = claims else {
        return Err(RuleViolation::new(
            "form_param_format_invalid",
            "claims",
            format!(
                "Claims is invalid. Claims need to be a valid JSON object. (found {})",
                json_kind(claims)
            ),
        ));
    };
    if let Some(key) = RESERVED_CLAIMS.iter().find(|k| map.contains_key(**k)) {
        return Err(RuleViolation::new(
            "jwt_template_reserved_claim",
            "claims",
            format!("You can't use the reserved claim: '{key}'"),
        ));
    }
    if let Some(Value::String(aud)) = map.get("aud")
        && aud.to_lowercase() == "clerk"
    {
        return Err(RuleViolation::new(
            "form_param_value_invalid",
            "aud",
            format!(
                "{aud} does not match one of the allowed values for parameter aud \
                 (`clerk` is reserved for session tokens; use your API's URL)"
            ),
        ));
    }
    Ok(())
}

/// The kind of a JSON value, for messages: `null`, `a boolean`, `a number`, `a string`, `an array`,
/// `an object`.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Clerk's `prefixWithOrg` read backwards: the role name with every leading `org:` removed,
/// so `admin`, `org:admin` and `org:org:admin` all read as `admin` (one role to Clerk).
/// A `const fn`, so the derive can check a role field's literal fallback at compile time.
#[inline]
pub const fn role_name(key: &str) -> &str {
    let mut name = key;
    while let [b'o', b'r', b'g', b':', ..] = name.as_bytes() {
        // After the ASCII `org:`: a character boundary.
        name = name.split_at(4).1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(r: Result<(), RuleViolation>) -> Option<(&'static str, Option<&'static str>)> {
        r.err().map(|v| (v.code, v.param))
    }

    #[test]
    fn role_name_strips_every_leading_org_prefix() {
        assert_eq!(role_name("admin"), "admin");
        assert_eq!(role_name("org:admin"), "admin");
        assert_eq!(role_name("org:org:admin"), "admin");
        assert_eq!(role_name("org:billing:admin"), "billing:admin");
        assert_eq!(role_name("organization:admin"), "organization:admin");
    }

    #[test]
    fn name_accepts_letters_digits_dash_underscore() {
        assert_eq!(check_name("api-v2_Hasura9"), Ok(()));
    }

    #[test]
    fn empty_name_is_missing() {
        assert_eq!(
            code(check_name("")),
            Some(("form_param_missing", Some("name")))
        );
    }

    #[test]
    fn name_with_space_or_dot_is_value_invalid() {
        for bad in ["my template", "a.b", "ünï"] {
            assert_eq!(
                code(check_name(bad)),
                Some(("form_param_value_invalid", Some("name"))),
                "{bad}"
            );
        }
    }

    #[test]
    fn integration_prefix_is_format_invalid_with_clerks_message() {
        let v = check_name("integration_hasura").err();
        assert_eq!(
            v.as_ref().map(|v| v.code),
            Some("form_param_format_invalid")
        );
        assert!(v.is_some_and(|v| {
            v.message
                .contains("You can't use the reserved name prefix: 'integration_'")
        }));
        assert_eq!(check_name("my_integration_x"), Ok(()));
    }

    #[test]
    fn lifetime_bounds_are_inclusive() {
        assert_eq!(check_lifetime(30), Ok(()));
        assert_eq!(check_lifetime(315_360_000), Ok(()));
        assert_eq!(
            code(check_lifetime(29)),
            Some(("form_param_value_invalid", Some("lifetime")))
        );
        assert_eq!(
            code(check_lifetime(315_360_001)),
            Some(("form_param_value_invalid", Some("lifetime")))
        );
    }

    #[test]
    fn skew_bounds_are_inclusive() {
        assert_eq!(check_allowed_clock_skew(0), Ok(()));
        assert_eq!(check_allowed_clock_skew(300), Ok(()));
        assert_eq!(
            code(check_allowed_clock_skew(301)),
            Some(("form_param_value_invalid", Some("allowed_clock_skew")))
        );
    }

    #[test]
    fn defaults_are_inside_their_ranges() {
        assert!(LIFETIME_RANGE.contains(&DEFAULT_LIFETIME));
        assert!(SKEW_RANGE.contains(&DEFAULT_ALLOWED_CLOCK_SKEW));
    }

    #[test]
    fn signing_algorithm_is_case_sensitive_and_listed() {
        for alg in SIGNING_ALGORITHMS {
            assert_eq!(check_signing_algorithm(alg), Ok(()));
        }
        for bad in ["rs256", "EdDSA", "PS256", "none", ""] {
            assert_eq!(
                code(check_signing_algorithm(bad)),
                Some(("form_param_value_invalid", Some("signing_algorithm"))),
                "{bad}"
            );
        }
    }

    #[test]
    fn each_reserved_claim_is_rejected_with_clerks_message() {
        for key in RESERVED_CLAIMS {
            let v = check_claims(&json!({ *key: "x" })).err();
            assert_eq!(
                v.as_ref().map(|v| v.code),
                Some("jwt_template_reserved_claim")
            );
            assert_eq!(
                v.map(|v| v.message),
                Some(format!("You can't use the reserved claim: '{key}'"))
            );
        }
    }

    #[test]
    fn jti_is_accepted_on_save() {
        assert!(DEFAULT_CLAIMS.contains(&"jti"));
        assert_eq!(check_claims(&json!({"jti": "mine"})), Ok(()));
    }

    #[test]
    fn reserved_claims_are_only_checked_at_top_level() {
        assert_eq!(check_claims(&json!({"nested": {"sub": "x"}})), Ok(()));
    }

    #[test]
    fn aud_clerk_is_rejected_in_any_case() {
        for aud in ["clerk", "Clerk", "CLERK"] {
            assert_eq!(
                code(check_claims(&json!({"aud": aud}))),
                Some(("form_param_value_invalid", Some("aud")))
            );
        }
        assert_eq!(check_claims(&json!({"aud": "https://example.com"})), Ok(()));
        assert_eq!(check_claims(&json!({"aud": ["clerk"]})), Ok(()));
    }

    #[test]
    fn claims_must_be_an_object() {
        for v in [json!([]), json!("x"), json!(null), json!(1)] {
            assert_eq!(
                code(check_claims(&v)),
                Some(("form_param_format_invalid", Some("claims")))
            );
        }
    }

    fn claims_of_compact_len(len: usize) -> Value {
        // {"k":"…"} is 8 bytes of overhead.
        json!({ "k": "a".repeat(len - 8) })
    }

    #[test]
    fn claims_of_exactly_2048_bytes_pass_and_2049_fail() {
        let ok = claims_of_compact_len(2048);
        assert_eq!(serde_json::to_string(&ok).map(|s| s.len()).ok(), Some(2048));
        assert_eq!(check_claims(&ok), Ok(()));
        let v = check_claims(&claims_of_compact_len(2049)).err();
        assert_eq!(
            v.as_ref().map(|v| v.code),
            Some("form_param_exceeds_allowed_size")
        );
        assert!(v.is_some_and(|v| v.message.starts_with(
            "The given claims exceeds the maximum allowed size of 2048 bytes (2 KB)."
        )));
    }

    #[test]
    fn raw_text_size_counts_whitespace() {
        let compact = serde_json::to_string(&claims_of_compact_len(2040)).unwrap_or_default();
        assert_eq!(check_claims_json_text(&compact), Ok(()));
        let padded = format!("{compact}{}", " ".repeat(9));
        assert_eq!(
            code(check_claims_json_text(&padded)),
            Some(("form_param_exceeds_allowed_size", Some("claims")))
        );
    }

    #[test]
    fn raw_text_that_is_not_json_is_format_invalid() {
        assert_eq!(
            code(check_claims_json_text("{\"a\": ")),
            Some(("form_param_format_invalid", Some("claims")))
        );
    }

    #[test]
    fn claims_violations_lists_every_reserved_key_and_aud() {
        let all = claims_violations(&json!({"sub": 1, "iss": 2, "aud": "CLERK", "ok": 3}));
        let codes: Vec<_> = all.iter().map(|v| (v.code, v.message.as_str())).collect();
        assert_eq!(codes.len(), 3, "{codes:?}");
        assert_eq!(
            codes[0],
            (
                "jwt_template_reserved_claim",
                "You can't use the reserved claim: 'iss'"
            )
        );
        assert_eq!(
            codes[1],
            (
                "jwt_template_reserved_claim",
                "You can't use the reserved claim: 'sub'"
            )
        );
        assert_eq!(codes[2].0, "form_param_value_invalid");
        assert!(claims_violations(&json!({"a": "{{user.id}}"})).is_empty());
    }

    #[test]
    fn raw_text_checks_reserved_claims() {
        assert_eq!(
            code(check_claims_json_text(r#"{ "sub": "{{user.id}}" }"#)),
            Some(("jwt_template_reserved_claim", Some("claims")))
        );
    }
}
