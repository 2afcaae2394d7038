//! The fake's in-memory instance: users, organizations, sessions, JWT templates, and the
//! Backend API operations on them, free of HTTP.

use axum::http::StatusCode;
use clerk_claims_lang::rules::{self, DEFAULT_ALLOWED_CLOCK_SKEW, DEFAULT_LIFETIME};
use serde_json::{Map, Value, json};

use super::error::Failure;
use super::seed::{Seed, str_at};
use crate::Clock;
use crate::api::{JwtTemplateResource, Session, SessionStatus, UnixMillis};
use crate::json_text::describe;
use crate::template::{TemplateBody, missing, missing_signing_algorithm};

/// A stored JWT template; the custom signing key is kept but never serialized.
#[derive(Debug, Clone)]
pub(crate) struct StoredTemplate {
    pub(crate) resource: JwtTemplateResource,
    pub(crate) signing_key: Option<String>,
}

/// Everything the fake knows.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) seed: Seed,
    pub(crate) sessions: Vec<Session>,
    pub(crate) templates: Vec<StoredTemplate>,
    /// The instance's "Customize session token" claims: Clerk keeps them as a JWT template
    /// with a reserved name, hidden from `GET /jwt_templates`, so the fake keeps
    /// them apart from `templates`.
    pub(crate) session_claims: Option<Value>,
    /// The fake's one clock: the timestamps it writes (Unix milliseconds, as the Backend API's
    /// are) and the tokens it mints read it.
    pub(crate) clock: Clock,
    /// Organization roles and permissions (`super::rbac`).
    pub(crate) rbac: super::rbac::Rbac,
    next_id: u64,
}

impl State {
    pub(crate) fn new(seed: Seed, clock: Clock) -> Result<State, Failure> {
        let sessions = seed.sessions.clone();
        let templates = seed.jwt_templates.clone();
        let mut state = State {
            seed,
            sessions,
            templates: Vec::new(),
            session_claims: None,
            rbac: super::rbac::Rbac::seeded(clock.now_ms()),
            clock,
            next_id: 1,
        };
        for body in &templates {
            state.create_template(body)?;
        }
        Ok(state)
    }

    /// The role keys seeded memberships have: Clerk refuses to delete those roles.
    pub(crate) fn assigned_roles(&self) -> Vec<String> {
        self.seed
            .memberships
            .iter()
            .filter_map(|m| str_at(m, &["role"]))
            .map(str::to_owned)
            .collect()
    }

    fn fresh_id(&mut self, prefix: &str) -> String {
        let id = format!("{prefix}_2fake{:06}", self.next_id);
        self.next_id += 1;
        id
    }

    // ---- users, organizations ----

    pub(crate) fn user(&self, id: &str) -> Option<&Value> {
        self.seed
            .users
            .iter()
            .find(|u| str_at(u, &["id"]) == Some(id))
    }

    fn user_mut(&mut self, id: &str) -> Result<&mut Value, Failure> {
        self.seed
            .users
            .iter_mut()
            .find(|u| str_at(u, &["id"]) == Some(id))
            .ok_or_else(|| no_user(id))
    }

    /// `PATCH /v1/users/{user_id}`: the attributes the fake models. As of API version
    /// 2026-05-12 the route takes no metadata (the `…/metadata` route does), and, like Clerk,
    /// refuses a parameter it does not know.
    pub(crate) fn update_user(&mut self, id: &str, body: &Value) -> Result<Value, Failure> {
        self.user(id).ok_or_else(|| no_user(id))?;
        let mut changes: Vec<(&str, Value)> = Vec::new();
        for (param, value) in object_members(body) {
            let param = param.as_str();
            match param {
                "first_name" | "last_name" | "locale" => {
                    changes.push((param, nullable_string(value, param)?));
                }
                // "You can remove a user's username by setting [it] to null or the blank
                // string" (Clerk's API reference).
                "username" | "external_id" => {
                    let value = match nullable_string(value, param)? {
                        Value::String(s) if s.is_empty() && param == "username" => Value::Null,
                        other => other,
                    };
                    self.check_unique(id, param, &value)?;
                    changes.push((param, value));
                }
                "delete_self_enabled" | "create_organization_enabled" => match value {
                    Value::Null => {}
                    Value::Bool(_) => changes.push((param, value.clone())),
                    other => {
                        return Err(Failure::form(
                            "form_param_format_invalid",
                            param,
                            format!(
                                "{param} must be a boolean or null, found {}",
                                describe(other)
                            ),
                        ));
                    }
                },
                "public_metadata" | "private_metadata" | "unsafe_metadata" => {
                    return Err(unknown_param(
                        param,
                        format!(
                            "{param} is not a valid parameter for this request: as of API \
                             version 2026-05-12, update metadata with PATCH \
                             /v1/users/{{user_id}}/metadata (merge) or PUT (replace)"
                        ),
                    ));
                }
                p if USER_PARAMS_NOT_MODELED.contains(&p) => {
                    return Err(Failure::form(
                        "form_param_unsupported",
                        param,
                        format!(
                            "{param} is a parameter of Clerk's PATCH /v1/users/{{user_id}} that \
                             FakeClerk does not model; it changes first_name, last_name, \
                             username, external_id, locale, delete_self_enabled and \
                             create_organization_enabled"
                        ),
                    ));
                }
                _ => {
                    return Err(unknown_param(
                        param,
                        format!("{param} is not a valid parameter for this request."),
                    ));
                }
            }
        }
        let now = self.clock.now_ms();
        let user = self.user_mut(id)?;
        if let Some(obj) = user.as_object_mut() {
            for (param, value) in changes {
                obj.insert(param.to_owned(), value);
            }
        }
        touch(user, now);
        let user = user.clone();
        self.refresh_public_user_data(&user);
        Ok(user)
    }

    /// `PATCH /v1/users/{user_id}/metadata`: Clerk's deep merge of `public_metadata`,
    /// `private_metadata` and `unsafe_metadata` (a key set to `null` is removed, at any depth).
    pub(crate) fn merge_user_metadata(&mut self, id: &str, body: &Value) -> Result<Value, Failure> {
        self.user(id).ok_or_else(|| no_user(id))?;
        let mut patches = Vec::new();
        for (param, value) in object_members(body) {
            let param = param.as_str();
            if !USER_METADATA.contains(&param) {
                return Err(unknown_param(
                    param,
                    format!(
                        "{param} is not a valid parameter for this request; expected one of \
                         public_metadata, private_metadata, unsafe_metadata"
                    ),
                ));
            }
            let Value::Object(patch) = value else {
                return Err(Failure::form(
                    "form_param_format_invalid",
                    param,
                    format!("{param} must be an object, found {}", describe(value)),
                ));
            };
            patches.push((param, patch));
        }
        let now = self.clock.now_ms();
        let user = self.user_mut(id)?;
        if let Some(obj) = user.as_object_mut() {
            for (param, patch) in patches {
                merge_patch(obj.entry(param).or_insert_with(empty_object), patch);
            }
        }
        touch(user, now);
        Ok(user.clone())
    }

    /// Rejects a `username` or `external_id` another user has (both are unique per instance).
    fn check_unique(&self, id: &str, param: &str, value: &Value) -> Result<(), Failure> {
        let Some(wanted) = value.as_str() else {
            return Ok(());
        };
        let taken = self
            .seed
            .users
            .iter()
            .any(|u| str_at(u, &["id"]) != Some(id) && str_at(u, &[param]) == Some(wanted));
        if taken {
            let what = if param == "username" {
                "username"
            } else {
                "external ID"
            };
            return Err(Failure::form(
                "form_identifier_exists",
                param,
                format!("That {what} is taken. Please try another."),
            ));
        }
        Ok(())
    }

    /// Rewrites the `public_user_data` of every membership of `user` after a change.
    fn refresh_public_user_data(&mut self, user: &Value) {
        let Some(user_id) = str_at(user, &["id"]) else {
            return;
        };
        let data = public_user_data(user);
        for m in &mut self.seed.memberships {
            if str_at(m, &["public_user_data", "user_id"]) == Some(user_id)
                && let Some(obj) = m.as_object_mut()
            {
                obj.insert("public_user_data".to_owned(), data.clone());
            }
        }
    }

    pub(crate) fn organization(&self, id: &str) -> Option<&Value> {
        self.seed
            .organizations
            .iter()
            .find(|o| str_at(o, &["id"]) == Some(id))
    }

    /// The membership of `user_id` in `org_id`, with its `organization` filled in.
    pub(crate) fn membership(&self, user_id: &str, org_id: &str) -> Option<Value> {
        self.seed
            .membership(user_id, org_id)
            .map(|m| self.filled(m.clone(), org_id))
    }

    /// A stored membership as the Backend API answers it: its `organization` in full.
    fn filled(&self, mut membership: Value, org_id: &str) -> Value {
        if let (Some(org), Some(obj)) = (self.organization(org_id), membership.as_object_mut()) {
            obj.insert("organization".to_owned(), org.clone());
        }
        membership
    }

    fn known_organization(&self, org_id: &str) -> Result<(), Failure> {
        match self.organization(org_id) {
            Some(_) => Ok(()),
            None => Err(Failure::not_found(format!(
                "No organization was found with id {org_id}"
            ))),
        }
    }

    fn membership_index(&self, user_id: &str, org_id: &str) -> Result<usize, Failure> {
        self.seed
            .memberships
            .iter()
            .position(|m| {
                str_at(m, &["public_user_data", "user_id"]) == Some(user_id)
                    && str_at(m, &["organization", "id"]) == Some(org_id)
            })
            .ok_or_else(|| no_membership(user_id, org_id))
    }

    /// `GET /v1/organizations/{organization_id}/memberships`: newest first (Clerk's default
    /// order, `-created_at`).
    pub(crate) fn list_memberships(&self, org_id: &str) -> Result<Vec<Value>, Failure> {
        self.known_organization(org_id)?;
        let mut out: Vec<Value> = self
            .seed
            .memberships
            .iter()
            .filter(|m| str_at(m, &["organization", "id"]) == Some(org_id))
            .map(|m| self.filled(m.clone(), org_id))
            .collect();
        out.sort_by_key(|m| std::cmp::Reverse(m.get("created_at").and_then(Value::as_i64)));
        Ok(out)
    }

    /// `POST /v1/organizations/{organization_id}/memberships`: `user_id` and `role` required,
    /// optional `public_metadata` and `private_metadata`.
    pub(crate) fn create_membership(
        &mut self,
        org_id: &str,
        body: &Value,
    ) -> Result<Value, Failure> {
        self.known_organization(org_id)?;
        let user_id = required_str(body, "user_id")?;
        let role = required_str(body, "role")?;
        let public_metadata = nullable_object(body.get("public_metadata"), "public_metadata")?;
        let private_metadata = nullable_object(body.get("private_metadata"), "private_metadata")?;
        let user = self
            .user(&user_id)
            .ok_or_else(|| no_user(&user_id))?
            .clone();
        if self.seed.membership(&user_id, org_id).is_some() {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "already_a_member_in_organization",
                "already a member",
                format!("{user_id} is already a member of organization {org_id}"),
            ));
        }
        let (role_name, permissions) = self.role_grants(&role)?;
        let org = self.organization(org_id).cloned().unwrap_or_default();
        let count = org
            .get("members_count")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let max = org
            .get("max_allowed_memberships")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if max > 0 && count >= max {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                "organization_membership_quota_exceeded",
                "membership quota exceeded",
                format!("Organization {org_id} has reached its limit of {max} memberships"),
            ));
        }
        let now = self.clock.now_ms();
        let membership = json!({
            "object": "organization_membership",
            "id": self.fresh_id("orgmem"),
            "role": role,
            "role_name": role_name,
            "permissions": permissions,
            "public_metadata": public_metadata,
            "private_metadata": private_metadata,
            "organization": {"id": org_id},
            "public_user_data": public_user_data(&user),
            "created_at": now,
            "updated_at": now,
        });
        self.seed.memberships.push(membership.clone());
        self.count_members(org_id, 1);
        Ok(self.filled(membership, org_id))
    }

    /// `PATCH /v1/organizations/{organization_id}/memberships/{user_id}`: a new `role`.
    pub(crate) fn update_membership(
        &mut self,
        org_id: &str,
        user_id: &str,
        body: &Value,
    ) -> Result<Value, Failure> {
        self.known_organization(org_id)?;
        let role = required_str(body, "role")?;
        let index = self.membership_index(user_id, org_id)?;
        let (role_name, permissions) = self.role_grants(&role)?;
        let now = self.clock.now_ms();
        let m = self
            .seed
            .memberships
            .get_mut(index)
            .ok_or_else(|| no_membership(user_id, org_id))?;
        if let Some(obj) = m.as_object_mut() {
            obj.insert("role".to_owned(), Value::String(role));
            obj.insert("role_name".to_owned(), Value::String(role_name));
            obj.insert("permissions".to_owned(), json!(permissions));
        }
        touch(m, now);
        let m = m.clone();
        Ok(self.filled(m, org_id))
    }

    /// `DELETE /v1/organizations/{organization_id}/memberships/{user_id}`: answers the removed
    /// membership. The user's sessions with that organization active no longer have one (their
    /// tokens carry no organization, as Clerk mints none for an organization the user left).
    pub(crate) fn delete_membership(
        &mut self,
        org_id: &str,
        user_id: &str,
    ) -> Result<Value, Failure> {
        self.known_organization(org_id)?;
        let index = self.membership_index(user_id, org_id)?;
        let removed = self.seed.memberships.remove(index);
        self.count_members(org_id, -1);
        for s in &mut self.sessions {
            if s.user_id == user_id && s.last_active_organization_id.as_deref() == Some(org_id) {
                s.last_active_organization_id = None;
            }
        }
        Ok(self.filled(removed, org_id))
    }

    /// The `role_name` and `permissions` a role grants: as on a membership that has it, else
    /// Clerk's default `org:admin` / `org:member` roles; any other role is refused (422).
    fn role_grants(&self, role: &str) -> Result<(String, Vec<Value>), Failure> {
        let existing = self
            .seed
            .memberships
            .iter()
            .find(|m| str_at(m, &["role"]) == Some(role));
        if let Some(m) = existing {
            let name = str_at(m, &["role_name"]).unwrap_or(role).to_owned();
            let permissions = m
                .get("permissions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            return Ok((name, permissions));
        }
        let (name, permissions): (&str, &[&str]) = match role {
            "org:admin" => ("Admin", DEFAULT_ADMIN_PERMISSIONS),
            "org:member" => ("Member", DEFAULT_MEMBER_PERMISSIONS),
            _ => {
                let mut known: Vec<&str> = self
                    .seed
                    .memberships
                    .iter()
                    .filter_map(|m| str_at(m, &["role"]))
                    .chain(["org:admin", "org:member"])
                    .collect();
                known.sort_unstable();
                known.dedup();
                return Err(Failure::form(
                    "form_param_value_invalid",
                    "role",
                    format!(
                        "role must be a role of the instance ({}), found {role:?}",
                        known.join(", ")
                    ),
                ));
            }
        };
        Ok((
            name.to_owned(),
            permissions.iter().map(|p| json!(p)).collect(),
        ))
    }

    /// Moves an organization's `members_count` by `by`.
    fn count_members(&mut self, org_id: &str, by: i64) {
        let org = self
            .seed
            .organizations
            .iter_mut()
            .find(|o| str_at(o, &["id"]) == Some(org_id));
        if let Some(obj) = org.and_then(Value::as_object_mut)
            && let Some(count) = obj.get("members_count").and_then(Value::as_i64)
        {
            obj.insert("members_count".to_owned(), json!((count + by).max(0)));
        }
    }

    // ---- JWT templates ----

    pub(crate) fn template(&self, id: &str) -> Result<&StoredTemplate, Failure> {
        self.templates
            .iter()
            .find(|t| t.resource.id == id)
            .ok_or_else(|| Failure::not_found(format!("No JWT template exists with id: {id}")))
    }

    pub(crate) fn template_by_name(&self, name: &str) -> Option<&StoredTemplate> {
        self.templates.iter().find(|t| t.resource.name == name)
    }

    pub(crate) fn create_template(&mut self, body: &Value) -> Result<JwtTemplateResource, Failure> {
        let f = self.check_template_body(body, None)?;
        let now = self.clock.now_ms();
        let custom = f.custom_signing_key.unwrap_or(false);
        let resource = JwtTemplateResource {
            object: "jwt_template".to_owned(),
            id: self.fresh_id("jtmpl"),
            name: f.name,
            claims: f.claims,
            lifetime: seconds(f.lifetime, DEFAULT_LIFETIME),
            allowed_clock_skew: seconds(f.allowed_clock_skew, DEFAULT_ALLOWED_CLOCK_SKEW),
            custom_signing_key: custom,
            signing_algorithm: match (custom, f.signing_algorithm) {
                (true, Some(alg)) => alg,
                _ => "RS256".to_owned(),
            },
            created_at: now,
            updated_at: now,
        };
        self.templates.push(StoredTemplate {
            resource: resource.clone(),
            signing_key: if custom { f.signing_key } else { None },
        });
        Ok(resource)
    }

    /// PATCH: `name` and `claims` required; lifetime and skew change only when sent;
    /// `custom_signing_key: false` reverts to the instance key, as Clerk's update does.
    pub(crate) fn update_template(
        &mut self,
        id: &str,
        body: &Value,
    ) -> Result<JwtTemplateResource, Failure> {
        let index = self
            .templates
            .iter()
            .position(|t| t.resource.id == id)
            .ok_or_else(|| Failure::not_found(format!("No JWT template exists with id: {id}")))?;
        let existing = self.templates.get(index).cloned();
        let f = self.check_template_body(body, existing.as_ref())?;
        let Some(stored) = self.templates.get_mut(index) else {
            return Err(Failure::not_found(format!(
                "No JWT template exists with id: {id}"
            )));
        };
        let r = &mut stored.resource;
        r.name = f.name;
        r.claims = f.claims;
        if let Some(l) = f.lifetime {
            r.lifetime = seconds(Some(l), DEFAULT_LIFETIME);
        }
        if let Some(s) = f.allowed_clock_skew {
            r.allowed_clock_skew = seconds(Some(s), DEFAULT_ALLOWED_CLOCK_SKEW);
        }
        match f.custom_signing_key {
            Some(false) => {
                r.custom_signing_key = false;
                r.signing_algorithm = "RS256".to_owned();
                stored.signing_key = None;
            }
            Some(true) => {
                r.custom_signing_key = true;
                if let Some(alg) = f.signing_algorithm {
                    r.signing_algorithm = alg;
                }
                if f.signing_key.is_some() {
                    stored.signing_key = f.signing_key;
                }
            }
            None => {}
        }
        r.updated_at = self.clock.now_ms().max(r.created_at);
        Ok(r.clone())
    }

    pub(crate) fn delete_template(&mut self, id: &str) -> Result<(), Failure> {
        let before = self.templates.len();
        self.templates.retain(|t| t.resource.id != id);
        if self.templates.len() == before {
            return Err(Failure::not_found(format!(
                "No JWT template exists with id: {id}"
            )));
        }
        Ok(())
    }

    /// Clerk's save checks, in Clerk's order: the body's field types
    /// ([`TemplateBody::parse`], shared with [`JwtTemplate::from_json`](crate::JwtTemplate::from_json)),
    /// the name rules, the name's uniqueness, the claims rules, the ranges, the custom key.
    fn check_template_body(
        &self,
        body: &Value,
        existing: Option<&StoredTemplate>,
    ) -> Result<TemplateBody, Failure> {
        let obj = body.as_object().ok_or_else(|| {
            Failure::malformed(format!(
                "expected a JSON object body, found {}",
                describe(body)
            ))
        })?;
        let f = TemplateBody::parse(obj)?;
        rules::check_name(&f.name)?;
        let duplicate = self.templates.iter().any(|t| {
            t.resource.name == f.name && existing.is_none_or(|e| e.resource.id != t.resource.id)
        });
        if duplicate {
            return Err(Failure::form(
                "form_identifier_exists",
                "name",
                "That JWT template name is taken. Please try another.".to_owned(),
            ));
        }
        rules::check_claims(&f.claims)?;
        if let Some(l) = f.lifetime {
            rules::check_lifetime(l)?;
        }
        if let Some(s) = f.allowed_clock_skew {
            rules::check_allowed_clock_skew(s)?;
        }
        if f.custom_signing_key == Some(true) {
            let alg = f.signing_algorithm.clone().or_else(|| {
                existing
                    .filter(|e| e.resource.custom_signing_key)
                    .map(|e| e.resource.signing_algorithm.clone())
            });
            match alg {
                Some(alg) => rules::check_signing_algorithm(&alg)?,
                None => return Err(missing_signing_algorithm().into()),
            }
            let has_key =
                f.signing_key.is_some() || existing.is_some_and(|e| e.signing_key.is_some());
            if !has_key {
                return Err(missing(
                    "signing_key",
                    " (`signing_key` is required when `custom_signing_key` is `true`)",
                )
                .into());
            }
        }
        Ok(f)
    }

    // ---- sessions ----

    pub(crate) fn session(&self, id: &str) -> Result<&Session, Failure> {
        self.sessions
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| no_session(id))
    }

    /// A session tokens can be minted for: it exists and is active (else 404 "Session not
    /// found", as Clerk answers).
    pub(crate) fn active_session(&self, id: &str) -> Result<&Session, Failure> {
        match self.session(id) {
            Ok(s) if s.status == SessionStatus::Active => Ok(s),
            _ => Err(Failure::not_found("Session not found".to_owned())),
        }
    }

    /// The Frontend API's handshake with `organization_id` (Clerk's organization sync): the
    /// organization with that ID or slug becomes the active session's active organization when
    /// its user is a member, an empty value activates the personal account, and anything else
    /// leaves the session as it is.
    pub(crate) fn activate_organization(&mut self, session_id: &str, id_or_slug: &str) {
        let Ok(session) = self.active_session(session_id) else {
            return;
        };
        let user_id = session.user_id.clone();
        let org = if id_or_slug.is_empty() {
            None
        } else {
            let found = self
                .seed
                .organizations
                .iter()
                .find(|o| {
                    str_at(o, &["id"]) == Some(id_or_slug)
                        || str_at(o, &["slug"]) == Some(id_or_slug)
                })
                .and_then(|o| str_at(o, &["id"]))
                .map(str::to_owned);
            match found {
                Some(id) if self.seed.membership(&user_id, &id).is_some() => Some(id),
                _ => return,
            }
        };
        if let Some(session) = self.sessions.iter_mut().find(|s| s.id == session_id) {
            session.last_active_organization_id = org;
        }
    }

    pub(crate) fn revoke_session(&mut self, id: &str) -> Result<Session, Failure> {
        self.set_status(id, SessionStatus::Revoked)
    }

    /// A sign-out on the session's device: an active session becomes `ended` (404 "Session
    /// not found" for any other, as for minting).
    pub(crate) fn end_session(&mut self, id: &str) -> Result<Session, Failure> {
        self.active_session(id)?;
        self.set_status(id, SessionStatus::Ended)
    }

    fn set_status(&mut self, id: &str, status: SessionStatus) -> Result<Session, Failure> {
        let now = UnixMillis(self.clock.now_ms());
        let session = self
            .sessions
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| no_session(id))?;
        session.status = status;
        session.updated_at = now.max(session.created_at);
        Ok(session.clone())
    }

    /// Sessions matching the filters, newest first, as Clerk lists them.
    pub(crate) fn list_sessions(
        &self,
        user_id: Option<&str>,
        client_id: Option<&str>,
        status: Option<SessionStatus>,
    ) -> Vec<Session> {
        let mut out: Vec<Session> = self
            .sessions
            .iter()
            .filter(|s| user_id.is_none_or(|u| s.user_id == u))
            .filter(|s| client_id.is_none_or(|c| s.client_id == c))
            .filter(|s| status.is_none_or(|st| s.status == st))
            .cloned()
            .collect();
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        out
    }

    /// `POST /v1/sessions` (testing instances only): a new active session.
    pub(crate) fn create_session(&mut self, body: &Value) -> Result<Session, Failure> {
        let user_id = required_str(body, "user_id")?;
        if self.user(&user_id).is_none() {
            return Err(no_user(&user_id));
        }
        let org = body
            .get("active_organization_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(org) = &org
            && self.seed.membership(&user_id, org).is_none()
        {
            return Err(Failure::form(
                "form_param_value_invalid",
                "active_organization_id",
                format!("{user_id} is not a member of organization {org}"),
            ));
        }
        let now = self.clock.now_ms();
        let session = Session {
            object: "session".to_owned(),
            id: self.fresh_id("sess"),
            user_id,
            client_id: self.fresh_id("client"),
            actor: None,
            status: SessionStatus::Active,
            last_active_organization_id: org,
            last_active_at: UnixMillis(now),
            latest_activity: None,
            expire_at: UnixMillis(now + 7 * 24 * 3600 * 1000),
            abandon_at: UnixMillis(now + 30 * 24 * 3600 * 1000),
            updated_at: UnixMillis(now),
            created_at: UnixMillis(now),
            tasks: None,
        };
        self.sessions.push(session.clone());
        Ok(session)
    }
}

/// `expires_in_seconds` of a token request: absent/null, or 30..=315360000.
pub(crate) fn expires_in(body: &Value) -> Result<Option<u32>, Failure> {
    let value = opt_u64(body.get("expires_in_seconds"), "expires_in_seconds")?;
    match value {
        None => Ok(None),
        Some(v) => {
            rules::check_lifetime(v).map_err(|mut violation| {
                violation.param = Some("expires_in_seconds");
                if let Some(rest) = violation.message.strip_prefix("lifetime") {
                    violation.message = format!("expires_in_seconds{rest}");
                }
                Failure::from(violation)
            })?;
            Ok(u32::try_from(v).ok())
        }
    }
}

/// A checked number of seconds as the resource's `u32` (the ranges Clerk allows fit it).
fn seconds(value: Option<u64>, default: u64) -> u32 {
    u32::try_from(value.unwrap_or(default)).unwrap_or(u32::MAX)
}

fn opt_u64(value: Option<&Value>, param: &str) -> Result<Option<u64>, Failure> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            Failure::form(
                "form_param_format_invalid",
                param,
                format!(
                    "{param} must be a non-negative integer, found {}",
                    describe(v)
                ),
            )
        }),
    }
}

/// The metadata fields of a user (`PATCH /v1/users/{user_id}/metadata`).
const USER_METADATA: [&str; 3] = ["public_metadata", "private_metadata", "unsafe_metadata"];

/// Parameters of Clerk's `PATCH /v1/users/{user_id}` the fake does not model: refused with a
/// message saying so rather than silently ignored.
const USER_PARAMS_NOT_MODELED: &[&str] = &[
    "primary_email_address_id",
    "notify_primary_email_address_changed",
    "primary_phone_number_id",
    "primary_web3_wallet_id",
    "profile_image_id",
    "password",
    "password_digest",
    "password_hasher",
    "skip_password_checks",
    "sign_out_of_other_sessions",
    "totp_secret",
    "backup_codes",
    "legal_accepted_at",
    "skip_legal_checks",
    "create_organizations_limit",
    "created_at",
    "bypass_client_trust",
];

/// The system permissions of Clerk's default `org:admin` role.
pub(crate) const DEFAULT_ADMIN_PERMISSIONS: &[&str] = &[
    "org:sys_domains:manage",
    "org:sys_domains:read",
    "org:sys_memberships:manage",
    "org:sys_memberships:read",
    "org:sys_profile:delete",
    "org:sys_profile:manage",
];

/// The system permissions of Clerk's default `org:member` role.
pub(crate) const DEFAULT_MEMBER_PERMISSIONS: &[&str] = &["org:sys_memberships:read"];

/// 404 for an unknown user, as Clerk words it.
pub(crate) fn no_user(id: &str) -> Failure {
    Failure::not_found(format!("No user was found with id {id}"))
}

fn no_session(id: &str) -> Failure {
    Failure::not_found(format!("No session was found with id {id}"))
}

fn no_membership(user_id: &str, org_id: &str) -> Failure {
    Failure::not_found(format!(
        "No organization membership was found for user {user_id} in organization {org_id}"
    ))
}

/// 422 `form_param_unknown`: a parameter the operation does not take.
fn unknown_param(param: &str, long_message: String) -> Failure {
    Failure::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "form_param_unknown",
        "is unknown",
        long_message,
    )
    .with_param(param)
}

/// The members of an object body (the routes hand only objects on).
fn object_members(body: &Value) -> impl Iterator<Item = (&String, &Value)> {
    body.as_object().into_iter().flatten()
}

/// A required string parameter: 422 `form_param_missing` when absent, `null` or not a string.
fn required_str(body: &Value, param: &str) -> Result<String, Failure> {
    match body.get(param) {
        Some(Value::String(s)) => Ok(s.clone()),
        None | Some(Value::Null) => Err(Failure::form(
            "form_param_missing",
            param,
            format!("{param} must be included."),
        )),
        Some(other) => Err(Failure::form(
            "form_param_format_invalid",
            param,
            format!("{param} must be a string, found {}", describe(other)),
        )),
    }
}

/// A string-or-null parameter, as sent.
fn nullable_string(value: &Value, param: &str) -> Result<Value, Failure> {
    match value {
        Value::Null | Value::String(_) => Ok(value.clone()),
        other => Err(Failure::form(
            "form_param_format_invalid",
            param,
            format!(
                "{param} must be a string or null, found {}",
                describe(other)
            ),
        )),
    }
}

/// An optional object parameter: absent or `null` is `{}`.
fn nullable_object(value: Option<&Value>, param: &str) -> Result<Value, Failure> {
    match value {
        None | Some(Value::Null) => Ok(empty_object()),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        Some(other) => Err(Failure::form(
            "form_param_format_invalid",
            param,
            format!(
                "{param} must be an object or null, found {}",
                describe(other)
            ),
        )),
    }
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}

/// Sets `updated_at` (Unix milliseconds) to `now`, never before `created_at`.
fn touch(object: &mut Value, now: i64) {
    let created = object
        .get("created_at")
        .and_then(Value::as_i64)
        .unwrap_or(now);
    if let Some(obj) = object.as_object_mut() {
        obj.insert("updated_at".to_owned(), json!(now.max(created)));
    }
}

/// Clerk's metadata merge, which is JSON Merge Patch (RFC 7396) applied to an object: nested
/// objects merge, `null` removes the key, anything else replaces. Hand-written: ten lines, and
/// the `json-patch` crate would be a new dependency for the fake alone.
fn merge_patch(target: &mut Value, patch: &Map<String, Value>) {
    if !target.is_object() {
        *target = empty_object();
    }
    let Some(obj) = target.as_object_mut() else {
        return;
    };
    for (key, value) in patch {
        match value {
            Value::Null => {
                obj.remove(key);
            }
            Value::Object(inner) => merge_patch(obj.entry(key).or_insert(Value::Null), inner),
            other => {
                obj.insert(key.clone(), other.clone());
            }
        }
    }
}

/// The `public_user_data` of a membership, from the user: name, image, username and the
/// identifier (the primary email address, else the primary phone number, else the username).
fn public_user_data(user: &Value) -> Value {
    let primary = |list: &str, id_field: &str, value_field: &str| {
        let id = str_at(user, &[id_field])?;
        user.get(list)?
            .as_array()?
            .iter()
            .find(|e| str_at(e, &["id"]) == Some(id))
            .and_then(|e| str_at(e, &[value_field]))
    };
    let identifier = primary(
        "email_addresses",
        "primary_email_address_id",
        "email_address",
    )
    .or_else(|| primary("phone_numbers", "primary_phone_number_id", "phone_number"))
    .or_else(|| str_at(user, &["username"]));
    let field = |name: &str| user.get(name).cloned().unwrap_or(Value::Null);
    json!({
        "user_id": field("id"),
        "first_name": field("first_name"),
        "last_name": field("last_name"),
        "profile_image_url": field("profile_image_url"),
        "image_url": str_at(user, &["image_url"]).unwrap_or_default(),
        "has_image": user.get("has_image").and_then(Value::as_bool).unwrap_or(false),
        "identifier": identifier,
        "username": field("username"),
        "banned": user.get("banned").and_then(Value::as_bool).unwrap_or(false),
        "deprovisioned": user.get("deprovisioned").and_then(Value::as_bool).unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_merge_merges_nested_objects_and_removes_null_keys_at_any_depth() {
        let mut target = json!({"plan": "pro", "limits": {"seats": 5, "projects": 2}, "keep": 1});
        let patch = json!({"plan": "team", "limits": {"projects": null, "storage": {"gb": 10}},
                           "gone": null, "tags": ["a"]});
        let Value::Object(patch) = patch else {
            panic!("an object")
        };
        merge_patch(&mut target, &patch);
        assert_eq!(
            target,
            json!({"plan": "team", "limits": {"seats": 5, "storage": {"gb": 10}}, "keep": 1,
                   "tags": ["a"]})
        );
    }

    #[test]
    fn a_nested_patch_replaces_a_value_that_is_not_an_object() {
        let mut target = json!({"limits": 3});
        let Value::Object(patch) = json!({"limits": {"seats": 1, "none": null}}) else {
            panic!("an object")
        };
        merge_patch(&mut target, &patch);
        assert_eq!(target, json!({"limits": {"seats": 1}}));
    }
}
