//! What the engine substitutes: every shortcode's value and the metadata document that paths
//! are resolved in, computed from Backend API objects as Clerk's Go shortcodes compute them.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::RenderError;
use crate::json_text::describe;

/// The data one template render sees: a user, optionally an active organization with the
/// user's membership in it, and optionally the impersonation actor of the session.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderContext {
    /// Catalogue shortcode name → value. A shortcode without an entry renders as `null`.
    pub(crate) values: HashMap<&'static str, Value>,
    /// Shortcodes (and metadata roots) the context cannot give, with the field they need.
    pub(crate) gaps: HashMap<&'static str, Gap>,
    /// The document metadata and actor paths are resolved in:
    /// `{"user":{"public_metadata","unsafe_metadata"},"org":{"public_metadata"},
    ///   "org_membership":{"public_metadata"},"session":{"actor"?}}`.
    pub(crate) metadata: Value,
}

fn invalid(field: impl Into<String>, expected: &'static str, found: Option<&Value>) -> RenderError {
    RenderError::InvalidContext {
        field: field.into(),
        expected,
        found: found.map_or_else(|| "nothing".to_string(), describe),
    }
}

/// A required string field.
fn string(obj: &Value, object: &str, key: &str) -> Result<String, RenderError> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        other => Err(invalid(format!("{object}.{key}"), "a string", other)),
    }
}

/// An optional string field: missing or `null` is `Value::Null`.
fn opt_string(obj: &Value, object: &str, key: &str) -> Result<Value, RenderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        other => Err(invalid(
            format!("{object}.{key}"),
            "a string or null",
            other,
        )),
    }
}

fn opt_bool(obj: &Value, object: &str, key: &str) -> Result<bool, RenderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        other => Err(invalid(format!("{object}.{key}"), "a boolean", other)),
    }
}

/// A metadata object; missing or `null` is `{}` (Clerk stores `{}` by default).
fn metadata(obj: &Value, object: &str, key: &str) -> Result<Value, RenderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Value::Object(Map::new())),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        other => Err(invalid(format!("{object}.{key}"), "a JSON object", other)),
    }
}

/// BAPI timestamps are Unix milliseconds; the shortcodes are Unix seconds.
fn seconds(obj: &Value, object: &str, key: &str) -> Result<Value, RenderError> {
    match obj.get(key).and_then(Value::as_i64) {
        Some(ms) => Ok(Value::from(ms.div_euclid(1000))),
        None => Err(invalid(
            format!("{object}.{key}"),
            "a Unix timestamp in milliseconds",
            obj.get(key),
        )),
    }
}

/// The identification with id `primary_id` in `list` (`email_addresses`, …): its `field`.
fn primary(user: &Value, id_key: &str, list_key: &str, field: &str) -> Result<Value, RenderError> {
    let Some(Value::String(id)) = user.get(id_key) else {
        return Ok(Value::Null);
    };
    let items = list(user, list_key)?;
    let found = items
        .iter()
        .find(|item| item.get("id").and_then(Value::as_str) == Some(id.as_str()));
    match found {
        Some(item) => string(item, list_key, field).map(Value::String),
        None => Err(invalid(
            format!("user.{id_key}"),
            "the id of an entry of the user's identifications",
            Some(&Value::String(id.clone())),
        )),
    }
}

fn list<'a>(obj: &'a Value, key: &str) -> Result<&'a [Value], RenderError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        other => Err(invalid(format!("user.{key}"), "an array", other)),
    }
}

/// Whether any identification in `list_key` has `verification.status == "verified"`.
fn any_verified(user: &Value, list_key: &str) -> Result<bool, RenderError> {
    Ok(list(user, list_key)?.iter().any(|item| {
        item.pointer("/verification/status").and_then(Value::as_str) == Some("verified")
    }))
}

/// `{org_id: role}` for every membership (the shape of `@clerk/types`'
/// `OrganizationsJWTClaim`; Clerk does not document it). A membership without an embedded
/// `organization.id` is the active one, of `active_org_id`.
fn organizations<'a>(
    memberships: impl IntoIterator<Item = &'a Value>,
    active_org_id: Option<&str>,
) -> Result<Value, RenderError> {
    let mut orgs = Map::new();
    for m in memberships {
        let org_id = m
            .pointer("/organization/id")
            .and_then(Value::as_str)
            .or(active_org_id)
            .ok_or_else(|| {
                invalid(
                    "organization_membership.organization.id",
                    "a string",
                    m.pointer("/organization/id"),
                )
            })?;
        orgs.insert(
            org_id.to_string(),
            Value::String(string(m, "organization_membership", "role")?),
        );
    }
    Ok(Value::Object(orgs))
}

/// Custom permission keys only: Clerk leaves system permissions (`org:sys_*`) out.
fn custom_permissions(membership: &Value) -> Result<Value, RenderError> {
    let keys = match membership.get("permissions") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        other => {
            return Err(invalid(
                "organization_membership.permissions",
                "an array of strings",
                other,
            ));
        }
    };
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let Value::String(k) = k else {
            return Err(invalid(
                "organization_membership.permissions[]",
                "a string",
                Some(k),
            ));
        };
        if !crate::rbac::is_system_permission(k) {
            out.push(Value::String(k.clone()));
        }
    }
    Ok(Value::Array(out))
}

/// A context field a shortcode needs and the context does not give as expected.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    field: String,
    expected: &'static str,
    found: String,
}

impl Gap {
    fn of(err: RenderError) -> Gap {
        match err {
            RenderError::InvalidContext {
                field,
                expected,
                found,
            } => Gap {
                field,
                expected,
                found,
            },
            other => Gap {
                field: "context".to_owned(),
                expected: "a Backend API object",
                found: other.to_string(),
            },
        }
    }
}

/// The fields of an Organization the shortcodes read, compared when the organization is given
/// twice.
const ORG_FIELDS: &[&str] = &[
    "id",
    "name",
    "slug",
    "image_url",
    "has_image",
    "public_metadata",
];

/// The active organization: `organization`, completed by (and checked against) the
/// membership's embedded `organization`.
fn active_organization(
    organization: Option<&Value>,
    membership: Option<&Value>,
) -> Result<Option<Value>, RenderError> {
    let nested = membership
        .and_then(|m| m.get("organization"))
        .filter(|o| !o.is_null());
    match (organization, nested) {
        (None, None) => Ok(None),
        (Some(org), None) | (None, Some(org)) => Ok(Some(org.clone())),
        (Some(top), Some(nested)) => {
            let (Value::Object(top_map), Value::Object(nested_map)) = (top, nested) else {
                return Ok(Some(top.clone()));
            };
            for field in ORG_FIELDS {
                if let (Some(a), Some(b)) = (top_map.get(*field), nested_map.get(*field))
                    && a != b
                {
                    return Err(RenderError::ConflictingOrganization {
                        field,
                        top_level: describe(a),
                        membership: describe(b),
                    });
                }
            }
            let mut merged = nested_map.clone();
            merged.extend(top_map.iter().map(|(k, v)| (k.clone(), v.clone())));
            Ok(Some(Value::Object(merged)))
        }
    }
}

/// Values being computed: each shortcode either has its value or the gap that keeps it from
/// having one (reported only when a template reads it).
struct Builder {
    values: HashMap<&'static str, Value>,
    gaps: HashMap<&'static str, Gap>,
}

impl Builder {
    fn set(&mut self, name: &'static str, value: Result<Value, RenderError>) {
        match value {
            Ok(v) => {
                self.values.insert(name, v);
            }
            Err(e) => {
                self.gaps.insert(name, Gap::of(e));
            }
        }
    }

    /// A metadata root's object, `{}` when it cannot be read (the gap is kept for `name`).
    fn metadata(&mut self, name: &'static str, value: Result<Value, RenderError>) -> Value {
        match value {
            Ok(v) => v,
            Err(e) => {
                self.gaps.insert(name, Gap::of(e));
                Value::Object(Map::new())
            }
        }
    }
}

fn full_name(user: &Value) -> Result<Value, RenderError> {
    let first = opt_string(user, "user", "first_name")?;
    let last = opt_string(user, "user", "last_name")?;
    let full = format!(
        "{} {}",
        first.as_str().unwrap_or_default(),
        last.as_str().unwrap_or_default()
    );
    let full = full.trim();
    Ok(if full.is_empty() {
        Value::Null
    } else {
        Value::String(full.to_owned())
    })
}

impl RenderContext {
    /// Builds the context from Backend API objects: a `User`, the active `Organization` and the
    /// user's `OrganizationMembership` in it (the membership's embedded `organization` fills in
    /// what `organization` does not give; the two must not disagree), and the session's
    /// `actor`.
    ///
    /// Only what the template's shortcodes read is required: a field that is missing or of the
    /// wrong type fails the render of a template that reads it
    /// ([`RenderError::MissingContext`], naming the shortcode), and nothing else.
    ///
    /// `user.organizations` lists `user.organization_memberships` when the User object carries
    /// it, otherwise the active membership only.
    pub fn from_api(
        user: &Value,
        organization: Option<&Value>,
        membership: Option<&Value>,
        actor: Option<&Value>,
    ) -> Result<Self, RenderError> {
        if !user.is_object() {
            return Err(invalid("user", "a Backend API User object", Some(user)));
        }
        let organization = organization.filter(|o| !o.is_null());
        let membership = membership.filter(|m| !m.is_null());
        let org = active_organization(organization, membership)?;
        let mut b = Builder {
            values: HashMap::new(),
            gaps: HashMap::new(),
        };

        b.set("user.id", string(user, "user", "id").map(Value::String));
        b.set("user.external_id", opt_string(user, "user", "external_id"));
        b.set("user.first_name", opt_string(user, "user", "first_name"));
        b.set("user.last_name", opt_string(user, "user", "last_name"));
        b.set("user.full_name", full_name(user));
        b.set("user.username", opt_string(user, "user", "username"));
        b.set("user.created_at", seconds(user, "user", "created_at"));
        b.set("user.updated_at", seconds(user, "user", "updated_at"));
        b.set(
            "user.primary_email_address",
            primary(
                user,
                "primary_email_address_id",
                "email_addresses",
                "email_address",
            ),
        );
        b.set(
            "user.primary_phone_number",
            primary(
                user,
                "primary_phone_number_id",
                "phone_numbers",
                "phone_number",
            ),
        );
        b.set(
            "user.primary_web3_wallet",
            primary(
                user,
                "primary_web3_wallet_id",
                "web3_wallets",
                "web3_wallet",
            ),
        );
        b.set(
            "user.email_verified",
            any_verified(user, "email_addresses").map(Value::Bool),
        );
        b.set(
            "user.phone_number_verified",
            any_verified(user, "phone_numbers").map(Value::Bool),
        );
        let image = opt_string(user, "user", "image_url");
        b.set(
            "user.profile_image_url",
            opt_string(user, "user", "profile_image_url").and_then(|v| match v {
                Value::Null => image.clone(),
                v => Ok(v),
            }),
        );
        b.set("user.image_url", image);
        b.set(
            "user.has_image",
            opt_bool(user, "user", "has_image").map(Value::Bool),
        );
        b.set(
            "user.two_factor_enabled",
            opt_bool(user, "user", "two_factor_enabled").map(Value::Bool),
        );
        let active_org_id = org
            .as_ref()
            .and_then(|o| o.get("id"))
            .and_then(Value::as_str);
        b.set(
            "user.organizations",
            match user.get("organization_memberships") {
                Some(Value::Array(all)) => organizations(all, None),
                _ => organizations(membership, active_org_id),
            },
        );

        let no_membership = || {
            Err(invalid(
                "organization_membership",
                "the user's OrganizationMembership in the active organization (Clerk reads \
                 org.role and org_membership.* from it)",
                None,
            ))
        };
        let no_org = || {
            Err(invalid(
                "organization",
                "the active Organization (or `organization_membership.organization`)",
                None,
            ))
        };
        let (org_meta, membership_meta) = if org.is_none() && membership.is_none() {
            // No active organization: every `org.*` is null and the metadata roots are `{}`.
            (Value::Object(Map::new()), Value::Object(Map::new()))
        } else {
            match &org {
                Some(o) => {
                    b.set("org.id", string(o, "organization", "id").map(Value::String));
                    b.set("org.name", opt_string(o, "organization", "name"));
                    b.set("org.slug", opt_string(o, "organization", "slug"));
                    b.set("org.image_url", opt_string(o, "organization", "image_url"));
                    b.set(
                        "org.has_image",
                        opt_bool(o, "organization", "has_image").map(Value::Bool),
                    );
                }
                None => {
                    for name in [
                        "org.id",
                        "org.name",
                        "org.slug",
                        "org.image_url",
                        "org.has_image",
                    ] {
                        b.set(name, no_org());
                    }
                }
            }
            match membership {
                Some(m) => {
                    b.set(
                        "org.role",
                        string(m, "organization_membership", "role").map(Value::String),
                    );
                    b.set("org_membership.permissions", custom_permissions(m));
                }
                None => {
                    b.set("org.role", no_membership());
                    b.set("org_membership.permissions", no_membership());
                }
            }
            let org_meta = match &org {
                Some(o) => metadata(o, "organization", "public_metadata"),
                None => no_org(),
            };
            let membership_meta = match membership {
                Some(m) => metadata(m, "organization_membership", "public_metadata"),
                None => no_membership(),
            };
            (
                b.metadata("org.public_metadata", org_meta),
                b.metadata("org_membership.public_metadata", membership_meta),
            )
        };

        let mut session = Map::new();
        if let Some(actor) = actor.filter(|a| !a.is_null()) {
            session.insert("actor".into(), actor.clone());
        }
        let user_public = b.metadata(
            "user.public_metadata",
            metadata(user, "user", "public_metadata"),
        );
        let user_unsafe = b.metadata(
            "user.unsafe_metadata",
            metadata(user, "user", "unsafe_metadata"),
        );
        let metadata = serde_json::json!({
            "user": { "public_metadata": user_public, "unsafe_metadata": user_unsafe },
            "org": { "public_metadata": org_meta },
            "org_membership": { "public_metadata": membership_meta },
            "session": session,
        });
        Ok(RenderContext {
            values: b.values,
            gaps: b.gaps,
            metadata,
        })
    }

    /// The error for a template claim at `pointer` reading `name` (a shortcode or metadata
    /// root), when the context cannot give it.
    pub(crate) fn gap(&self, name: &'static str, pointer: &str) -> Option<RenderError> {
        self.gaps.get(name).map(|g| RenderError::MissingContext {
            shortcode: name,
            pointer: pointer.to_owned(),
            field: g.field.clone(),
            expected: g.expected,
            found: g.found.clone(),
        })
    }

    /// Builds the context from the `template render --context` document:
    /// `{"user": User, "organization": Organization|null, "organization_membership":
    /// OrganizationMembership|null, "session": {"actor": …}|null}`.
    pub fn from_json(ctx: &Value) -> Result<Self, RenderError> {
        let Value::Object(map) = ctx else {
            return Err(invalid(
                "context",
                "an object with `user`, `organization`, `organization_membership`, `session`",
                Some(ctx),
            ));
        };
        if let Some(unknown) = map.keys().find(|k| {
            !matches!(
                k.as_str(),
                "user" | "organization" | "organization_membership" | "session"
            )
        }) {
            return Err(invalid(
                format!("context.{unknown}"),
                "only `user`, `organization`, `organization_membership`, `session`",
                Some(&Value::String(unknown.clone())),
            ));
        }
        let user = map
            .get("user")
            .ok_or_else(|| invalid("context.user", "a Backend API User object", None))?;
        let actor = match map.get("session") {
            None | Some(Value::Null) => None,
            Some(s @ Value::Object(_)) => s.get("actor"),
            other => {
                return Err(invalid(
                    "context.session",
                    "an object like {\"actor\": …} or null",
                    other,
                ));
            }
        };
        Self::from_api(
            user,
            map.get("organization"),
            map.get("organization_membership"),
            actor,
        )
    }

    /// Builds the context from already computed values: a flat `shortcode → value` map (as in
    /// the fixtures' `shortcode_values`; shortcodes not listed render as `null`) and the
    /// metadata document paths are resolved in
    /// (`{"user":{"public_metadata":…,"unsafe_metadata":…},"org":{…},"org_membership":{…},"session":{…}}`).
    pub fn from_shortcode_values(
        values: &Map<String, Value>,
        metadata: &Value,
    ) -> Result<Self, RenderError> {
        let mut out = HashMap::with_capacity(values.len());
        for (name, value) in values {
            let Some(sc) = clerk_claims_lang::lookup(name) else {
                return Err(RenderError::UnknownShortcodeValue {
                    name: name.clone(),
                    suggestion: clerk_claims_lang::suggest(name),
                });
            };
            out.insert(sc.name, value.clone());
        }
        if !metadata.is_object() {
            return Err(invalid(
                "metadata",
                "an object with `user`, `org`, `org_membership`, `session`",
                Some(metadata),
            ));
        }
        Ok(RenderContext {
            values: out,
            gaps: HashMap::new(),
            metadata: metadata.clone(),
        })
    }

    /// The value a catalogue shortcode substitutes to (`null` when unset).
    pub fn shortcode(&self, name: &str) -> &Value {
        self.values.get(name).unwrap_or(&Value::Null)
    }

    /// The metadata document paths are resolved in.
    pub fn metadata(&self) -> &Value {
        &self.metadata
    }

    /// Resolves a dotted path (`user.public_metadata.a.0.b`) in the metadata document the way
    /// gjson does: numeric segments index arrays, anything missing is `null`, numbers are
    /// float64.
    pub fn resolve_path(&self, path: &str) -> Value {
        let mut cur = &self.metadata;
        for seg in path.split('.') {
            let next = match cur {
                Value::Object(map) => map.get(seg),
                Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(v) => cur = v,
                None => return Value::Null,
            }
        }
        super::go_json::gjson_value(cur)
    }
}
