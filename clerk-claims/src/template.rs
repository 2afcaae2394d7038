//! The JWT template model: the JSON a person pastes into the dashboard, and Clerk's save rules.

use serde_json::Value;

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
