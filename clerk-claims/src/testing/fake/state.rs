//! The fake's in-memory instance: users, organizations, sessions, JWT templates, and the
//! Backend API operations on them, free of HTTP.

use clerk_claims_lang::rules::{self, DEFAULT_ALLOWED_CLOCK_SKEW, DEFAULT_LIFETIME};
use serde_json::Value;

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
            clock,
            next_id: 1,
        };
        for body in &templates {
            state.create_template(body)?;
        }
        Ok(state)
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

    pub(crate) fn organization(&self, id: &str) -> Option<&Value> {
        self.seed
            .organizations
            .iter()
            .find(|o| str_at(o, &["id"]) == Some(id))
    }

    /// The membership of `user_id` in `org_id`, with its `organization` filled in.
    pub(crate) fn membership(&self, user_id: &str, org_id: &str) -> Option<Value> {
        let mut m = self.seed.membership(user_id, org_id)?.clone();
        if let (Some(org), Some(obj)) = (self.organization(org_id), m.as_object_mut()) {
            obj.insert("organization".to_owned(), org.clone());
        }
        Some(m)
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
            .ok_or_else(|| Failure::not_found(format!("No session was found with id {id}")))
    }

    /// A session tokens can be minted for: it exists and is active (else 404 "Session not
    /// found", as Clerk answers).
    pub(crate) fn active_session(&self, id: &str) -> Result<&Session, Failure> {
        match self.session(id) {
            Ok(s) if s.status == SessionStatus::Active => Ok(s),
            _ => Err(Failure::not_found("Session not found".to_owned())),
        }
    }

    pub(crate) fn revoke_session(&mut self, id: &str) -> Result<Session, Failure> {
        let session = self
            .sessions
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| Failure::not_found(format!("No session was found with id {id}")))?;
        session.status = SessionStatus::Revoked;
        session.updated_at = UnixMillis(self.clock.now_ms()).max(session.created_at);
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
        let user_id = body
            .get("user_id")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                Failure::form(
                    "form_param_missing",
                    "user_id",
                    "user_id must be included.".to_owned(),
                )
            })?
            .to_owned();
        if self.user(&user_id).is_none() {
            return Err(Failure::not_found(format!(
                "No user was found with id {user_id}"
            )));
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
