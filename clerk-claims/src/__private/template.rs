//! Template-side helpers for generated `ClerkClaims` impls: the claims JSON, the claim list
//! with nested objects expanded, and the JSON Schema of the token.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::checks::ClerkObject;
use crate::claims::ClaimInfo;
use crate::template::JwtTemplate;

/// The value of one claim in the template.
#[derive(Clone, Copy)]
pub enum TemplateValue {
    /// JSON text checked by the derive at compile time (`"{{user.id}}"`, `42`, `{"a":1}`).
    Json(&'static str),
    /// A `nested` object: its own claims JSON.
    Nested(fn() -> Value),
}

/// The claims JSON object, keys in declaration order.
pub fn claims_object(entries: &[(&'static str, TemplateValue)]) -> Value {
    let mut map = Map::with_capacity(entries.len());
    for (name, value) in entries {
        let value = match value {
            // The derive only emits JSON it produced itself; `Null` keeps this panic-free.
            TemplateValue::Json(text) => serde_json::from_str(text).unwrap_or(Value::Null),
            TemplateValue::Nested(claims) => claims(),
        };
        map.insert((*name).to_owned(), value);
    }
    Value::Object(map)
}

/// The template a derived type describes.
pub fn jwt_template(
    name: &str,
    session_token: bool,
    lifetime: u32,
    allowed_clock_skew: u32,
    signing_algorithm: Option<&str>,
    claims: Value,
) -> JwtTemplate {
    JwtTemplate {
        name: name.to_owned(),
        claims,
        lifetime,
        allowed_clock_skew,
        signing_algorithm: signing_algorithm.map(str::to_owned),
        session_token,
    }
}

/// One entry of a generated claim list.
#[derive(Clone, Copy)]
pub enum InfoEntry {
    /// A claim of the type itself.
    Own(&'static ClaimInfo),
    /// A `nested` object: the claim holding it and the object's own claims.
    Nested(&'static ClaimInfo, fn() -> &'static [ClaimInfo]),
}

/// The claim list of a type with `nested` fields: each nested claim under a dotted name.
///
/// Built once per type; the dotted names are leaked once (bounded by the number of claims)
/// because `ClaimInfo` holds `&'static str`.
pub fn claim_info(
    cell: &'static OnceLock<Vec<ClaimInfo>>,
    entries: &[InfoEntry],
) -> &'static [ClaimInfo] {
    cell.get_or_init(|| {
        let mut out = Vec::new();
        for entry in entries {
            match entry {
                InfoEntry::Own(info) => out.push(**info),
                InfoEntry::Nested(info, nested) => {
                    out.push(**info);
                    for inner in nested() {
                        let claim: &'static str =
                            Box::leak(format!("{}.{}", info.claim, inner.claim).into_boxed_str());
                        out.push(ClaimInfo { claim, ..*inner });
                    }
                }
            }
        }
        out
    })
}

/// `ClerkObject::template_claims` for a nested field, as a `fn` pointer.
pub fn nested_claims<T: ClerkObject>() -> Value {
    T::template_claims()
}

/// `ClerkObject::claim_info` for a nested field, as a `fn` pointer.
pub fn nested_info<T: ClerkObject>() -> &'static [ClaimInfo] {
    T::claim_info()
}

/// The JSON Schema of a claims object: every declared claim is required (a template always
/// renders every claim; nullable claims admit `null` in their own schema).
#[cfg(feature = "schemars")]
pub fn object_schema(
    title: &str,
    description: Option<&str>,
    properties: Vec<(&'static str, schemars::Schema)>,
    required: &[&str],
) -> schemars::Schema {
    let mut props = Map::new();
    for (name, schema) in properties {
        props.insert(name.to_owned(), schema.to_value());
    }
    let mut map = Map::new();
    map.insert("title".into(), title.into());
    if let Some(description) = description {
        map.insert("description".into(), description.into());
    }
    map.insert("type".into(), "object".into());
    map.insert("properties".into(), Value::Object(props));
    map.insert(
        "required".into(),
        required.iter().map(|r| Value::from(*r)).collect(),
    );
    schemars::Schema::from(map)
}

/// The JSON Schema of the marker claim of template `name`: that string and no other.
#[cfg(feature = "schemars")]
pub fn marker_schema(name: &str) -> schemars::Schema {
    schemars::json_schema!({
        "description": "The JWT template that issued the token (clerk-claims' marker claim).",
        "const": name,
    })
}

/// Picks a claim's JSON Schema: its `JsonSchema` impl when it has one, else "any value", so a
/// field type without `JsonSchema` (a user's metadata struct) still compiles when some other
/// crate in the build turns the `schemars` feature on. Autoref specialization: the derive calls
/// `(&SchemaProbe::<T>(PhantomData)).claim_schema(g)` with both traits in scope.
#[cfg(feature = "schemars")]
pub struct SchemaProbe<T: ?Sized>(pub core::marker::PhantomData<T>);

/// The preferred branch of [`SchemaProbe`]: the type's own schema.
#[cfg(feature = "schemars")]
pub trait SchemaViaJsonSchema {
    /// The claim's schema.
    fn claim_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema;
}

#[cfg(feature = "schemars")]
impl<T: ?Sized + schemars::JsonSchema> SchemaViaJsonSchema for SchemaProbe<T> {
    fn claim_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<T>()
    }
}

/// The fallback branch of [`SchemaProbe`]: any JSON value.
#[cfg(feature = "schemars")]
pub trait SchemaViaAny {
    /// The claim's schema.
    fn claim_schema(&self, generator: &mut schemars::SchemaGenerator) -> schemars::Schema;
}

#[cfg(feature = "schemars")]
impl<T: ?Sized> SchemaViaAny for &SchemaProbe<T> {
    fn claim_schema(&self, _: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::Schema::from(true)
    }
}
