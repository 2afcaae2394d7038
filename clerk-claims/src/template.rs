//! The JWT template model: the JSON a person pastes into the dashboard, and Clerk's save rules.
//!
//! The rules themselves live in `clerk-claims-lang` (shared with the derive, which applies
//! them at compile time); this module applies them to a [`JwtTemplate`] value.

use serde_json::{Map, Value};

use crate::json_text::describe;

pub use clerk_claims_lang::rules::{
    DEFAULT_ALLOWED_CLOCK_SKEW, DEFAULT_CLAIMS, DEFAULT_LIFETIME, LIFETIME_RANGE, MAX_CLAIMS_BYTES,
    RESERVED_CLAIMS, SIGNING_ALGORITHMS, SKEW_RANGE,
};
pub use clerk_claims_lang::{
    CATALOGUE, JsonType, Nullability, PATH_ROOTS, ParseError, PathRoot, RuleViolation, Shortcode,
};

/// A Clerk JWT template: what `ClerkClaims::jwt_template()` returns and the dashboard holds.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtTemplate {
    /// The template name (`getToken({ template: name })`); empty for the session-token claims.
    pub name: String,
    /// The claims JSON exactly as typed into the dashboard, keys in declaration order.
    pub claims: Value,
    /// Token lifetime in seconds (30..=315360000, Clerk's default 60).
    pub lifetime: u32,
    /// Allowed clock skew in seconds (0..=300, Clerk's default 5); sets `nbf = iat - skew`.
    pub allowed_clock_skew: u32,
    /// The algorithm of a custom signing key (`RS256` … `ES512`), `None` for the instance key.
    pub signing_algorithm: Option<String>,
    /// Whether these are the instance's "Customize session token" claims, not a named template.
    pub session_token: bool,
}

impl JwtTemplate {
    /// The claims JSON, pretty-printed: what to paste into the dashboard.
    pub fn to_json_pretty(&self) -> String {
        // A `Value` always serializes; the fallback keeps this infallible without a panic path.
        serde_json::to_string_pretty(&self.claims).unwrap_or_default()
    }

    /// The Backend API body for `POST /v1/jwt_templates` and `PATCH /v1/jwt_templates/{id}`.
    ///
    /// A custom signing key is never part of the model; a template with a
    /// `signing_algorithm` needs the key added by the caller (`signing_key`).
    pub fn to_api_body(&self) -> Value {
        let mut body = serde_json::Map::new();
        body.insert("name".into(), Value::String(self.name.clone()));
        body.insert("claims".into(), self.claims.clone());
        body.insert("lifetime".into(), self.lifetime.into());
        body.insert("allowed_clock_skew".into(), self.allowed_clock_skew.into());
        match &self.signing_algorithm {
            Some(alg) => {
                body.insert("custom_signing_key".into(), true.into());
                body.insert("signing_algorithm".into(), Value::String(alg.clone()));
            }
            None => {
                body.insert("custom_signing_key".into(), false.into());
            }
        }
        Value::Object(body)
    }
}

/// Why a template is not one Clerk would save, or could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A rule Clerk enforces on save, with Clerk's error code, parameter and message.
    #[error("{0}")]
    Rule(RuleViolation),
    /// A template object field has the wrong JSON type.
    #[error("template field `{field}`: expected {expected}, found {found}")]
    WrongType {
        /// The field, e.g. `lifetime`.
        field: &'static str,
        /// What the Backend API accepts there.
        expected: &'static str,
        /// What was found.
        found: String,
    },
}

impl TemplateError {
    /// Clerk's error code (`jwt_template_reserved_claim`, `form_param_value_invalid` …), for a
    /// rule violation.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            TemplateError::Rule(v) => Some(v.code),
            TemplateError::WrongType { .. } => None,
        }
    }

    /// The parameter Clerk names (`name`, `claims`, `lifetime`, `aud` …).
    pub fn param(&self) -> Option<&'static str> {
        match self {
            TemplateError::Rule(v) => v.param,
            TemplateError::WrongType { field, .. } => Some(field),
        }
    }
}

impl From<RuleViolation> for TemplateError {
    fn from(v: RuleViolation) -> Self {
        TemplateError::Rule(v)
    }
}

/// A place in the claims where Clerk would not substitute what is written (an unknown
/// shortcode, spaces inside braces, a `{{` Clerk never reaches): what `clerk-claims template
/// check` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeIssue {
    /// JSON pointer of the claim value, e.g. `/hasura/x-hasura-role`.
    pub pointer: String,
    /// The claim string as written.
    pub value: String,
    /// Byte offset of the offending character in `value`, when known.
    pub offset: Option<usize>,
    /// What was expected, what was found, and the fix.
    pub message: String,
    /// The nearest known shortcode.
    pub suggestion: Option<&'static str>,
}

impl std::fmt::Display for ShortcodeIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {:?}: {}", self.pointer, self.value, self.message)
    }
}

/// Keys of the Backend API template shape (request body or `JWTTemplate` response).
const TEMPLATE_KEYS: &[&str] = &[
    "object",
    "id",
    "name",
    "claims",
    "lifetime",
    "allowed_clock_skew",
    "custom_signing_key",
    "signing_algorithm",
    "signing_key",
    "created_at",
    "updated_at",
];

fn seconds_field(
    map: &Map<String, Value>,
    field: &'static str,
    default: u64,
) -> Result<u32, TemplateError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(u32::try_from(default).unwrap_or(u32::MAX)),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| TemplateError::WrongType {
                field,
                expected: "a non-negative integer number of seconds",
                found: describe(v),
            }),
    }
}

impl JwtTemplate {
    /// Reads a template from JSON: either the claims exactly as typed in the dashboard (then
    /// the name is empty and lifetime/skew are Clerk's defaults), or a Backend API template
    /// object (`name`, `claims`, `lifetime`, `allowed_clock_skew`, `custom_signing_key`,
    /// `signing_algorithm`; a `JWTTemplate` response works too).
    ///
    /// An object is taken as the template shape when its `claims` is an object and all its
    /// keys are template fields; anything else is taken as bare claims.
    pub fn from_json(json: &Value) -> Result<JwtTemplate, TemplateError> {
        let template_shape = match json {
            Value::Object(map) => {
                map.get("claims").is_some_and(Value::is_object)
                    && map.keys().all(|k| TEMPLATE_KEYS.contains(&k.as_str()))
            }
            _ => false,
        };
        let Value::Object(map) = json else {
            return Err(clerk_claims_lang::check_claims(json)
                .err()
                .map(TemplateError::Rule)
                .unwrap_or_else(|| TemplateError::WrongType {
                    field: "claims",
                    expected: "a JSON object",
                    found: describe(json),
                }));
        };
        if !template_shape {
            return Ok(JwtTemplate {
                name: String::new(),
                claims: json.clone(),
                lifetime: seconds_field(&Map::new(), "lifetime", DEFAULT_LIFETIME)?,
                allowed_clock_skew: seconds_field(
                    &Map::new(),
                    "allowed_clock_skew",
                    DEFAULT_ALLOWED_CLOCK_SKEW,
                )?,
                signing_algorithm: None,
                session_token: false,
            });
        }
        let name = match map.get("name") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            None | Some(Value::Null) | Some(Value::String(_)) => {
                return Err(TemplateError::Rule(RuleViolation {
                    code: "form_param_missing",
                    param: Some("name"),
                    message: "name must be included.".into(),
                }));
            }
            Some(other) => {
                return Err(TemplateError::WrongType {
                    field: "name",
                    expected: "a string",
                    found: describe(other),
                });
            }
        };
        let custom = match map.get("custom_signing_key") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                return Err(TemplateError::WrongType {
                    field: "custom_signing_key",
                    expected: "a boolean",
                    found: describe(other),
                });
            }
        };
        let algorithm = match map.get("signing_algorithm") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(TemplateError::WrongType {
                    field: "signing_algorithm",
                    expected: "a string such as \"RS256\"",
                    found: describe(other),
                });
            }
        };
        // A `JWTTemplate` response always carries the instance's algorithm; it only belongs
        // to the template when `custom_signing_key` is true.
        let signing_algorithm = match (custom, algorithm) {
            (Some(false), _) => None,
            (Some(true), None) => {
                return Err(TemplateError::Rule(RuleViolation {
                    code: "form_param_missing",
                    param: Some("signing_algorithm"),
                    message: "signing_algorithm must be included. (`signing_algorithm` is required when `custom_signing_key` is `true`)".into(),
                }));
            }
            (_, alg) => alg,
        };
        Ok(JwtTemplate {
            name,
            claims: map.get("claims").cloned().unwrap_or_default(),
            lifetime: seconds_field(map, "lifetime", DEFAULT_LIFETIME)?,
            allowed_clock_skew: seconds_field(
                map,
                "allowed_clock_skew",
                DEFAULT_ALLOWED_CLOCK_SKEW,
            )?,
            signing_algorithm,
            session_token: false,
        })
    }

    /// Every rule Clerk enforces when this template is saved, each with Clerk's error code,
    /// parameter and message (Clerk itself stops at the first).
    ///
    /// An empty `name` is not checked: it means "no name here" (the session-token claims, or
    /// claims read without their template object), and the dashboard asks for it separately.
    pub fn validate(&self) -> Result<(), Vec<TemplateError>> {
        let mut errors = Vec::new();
        if !self.name.is_empty() {
            errors.extend(clerk_claims_lang::check_name(&self.name).err());
        }
        errors.extend(clerk_claims_lang::claims_violations(&self.claims));
        errors.extend(clerk_claims_lang::check_lifetime(u64::from(self.lifetime)).err());
        errors.extend(
            clerk_claims_lang::check_allowed_clock_skew(u64::from(self.allowed_clock_skew)).err(),
        );
        if let Some(alg) = &self.signing_algorithm {
            errors.extend(clerk_claims_lang::check_signing_algorithm(alg).err());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.into_iter().map(TemplateError::Rule).collect())
        }
    }

    /// Every claim string Clerk would not substitute as written: unknown shortcodes (with the
    /// nearest known one), spaces inside braces, unclosed braces, `{{…}}` nested in arrays.
    /// Clerk saves such templates without complaint and sends the literal text in tokens.
    pub fn check_shortcodes(&self) -> Vec<ShortcodeIssue> {
        let Value::Object(map) = &self.claims else {
            return Vec::new();
        };
        crate::render::strict_issues(map)
            .into_iter()
            .filter_map(|issue| match issue {
                crate::render::RenderError::Template { pointer, source } => Some(ShortcodeIssue {
                    value: string_at(&self.claims, &pointer),
                    pointer,
                    offset: Some(source.offset),
                    message: source.message,
                    suggestion: source.suggestion,
                }),
                crate::render::RenderError::NotSubstituted { pointer, text } => Some(ShortcodeIssue {
                    message: "expected shortcodes only in object values and direct string elements of arrays, found one nested inside an array: Clerk does not walk into it and sends the text unchanged; move it to an object field".into(),
                    pointer,
                    value: text,
                    offset: None,
                    suggestion: None,
                }),
                _ => None,
            })
            .collect()
    }

    /// Deprecated shortcodes used anywhere in the claims (e.g. `user.profile_image_url`).
    pub fn deprecated_shortcodes(&self) -> Vec<&'static Shortcode> {
        let mut found = Vec::new();
        collect_deprecated(&self.claims, &mut found);
        found
    }
}

fn collect_deprecated(v: &Value, found: &mut Vec<&'static Shortcode>) {
    match v {
        Value::String(s) => {
            let exprs: Vec<clerk_claims_lang::Expr> = match clerk_claims_lang::parse_claim_string(s)
            {
                Ok(clerk_claims_lang::ClaimString::Whole(e)) => vec![e],
                Ok(clerk_claims_lang::ClaimString::Interpolated(segs)) => segs
                    .into_iter()
                    .filter_map(|seg| match seg {
                        clerk_claims_lang::Segment::Expr(e) => Some(e),
                        clerk_claims_lang::Segment::Text(_) => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for e in &exprs {
                for sc in e.shortcodes().filter(|sc| sc.deprecated) {
                    if !found.contains(&sc) {
                        found.push(sc);
                    }
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_deprecated(i, found)),
        Value::Object(map) => map.values().for_each(|i| collect_deprecated(i, found)),
        _ => {}
    }
}

fn string_at(claims: &Value, pointer: &str) -> String {
    claims
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}
