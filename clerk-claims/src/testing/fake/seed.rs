//! The seed: users, organizations, memberships and sessions in Backend API shapes.
//!
//! Format (every list optional):
//! `{"users": [User], "organizations": [Organization], "memberships": [OrganizationMembership],
//!   "sessions": [Session], "jwt_templates": [CreateJWTTemplate body]}`.
//! A membership's `organization` may be just `{"id": "org_…"}`; the fake fills in the rest
//! from `organizations`. The user of a membership is `public_user_data.user_id`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::FakeError;
use crate::api::{Session, UnixMillis};

/// The default seed shipped with the crate (`src/testing/seed.json`): four users, two
/// organizations, memberships with roles and permissions, sessions with and without an active
/// organization, inactive sessions and an impersonated one.
pub const DEFAULT_SEED_JSON: &str = include_str!("../seed.json");

/// State a [`FakeClerk`](super::FakeClerk) starts with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Backend API `User` objects.
    #[serde(default)]
    pub users: Vec<Value>,
    /// Backend API `Organization` objects.
    #[serde(default)]
    pub organizations: Vec<Value>,
    /// Backend API `OrganizationMembership` objects.
    #[serde(default)]
    pub memberships: Vec<Value>,
    /// Backend API `Session` objects.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// JWT templates to create at start (`POST /v1/jwt_templates` bodies).
    #[serde(default)]
    pub jwt_templates: Vec<Value>,
}

impl Seed {
    /// The default seed ([`DEFAULT_SEED_JSON`]), with the timestamps as written (see
    /// [`default_seed_at`](Self::default_seed_at)).
    pub fn default_seed() -> Result<Seed, FakeError> {
        Seed::from_json(DEFAULT_SEED_JSON)
    }

    /// The default seed as of `now`: every timestamp in it moved by the same amount, so that
    /// its latest activity is `now` (sessions "last active" seconds ago, not on the day the
    /// seed was written). A [`FakeClerk`](super::FakeClerk) started without a seed uses this
    /// with its clock's time.
    ///
    /// ```
    /// use clerk_claims::api::UnixMillis;
    /// use clerk_claims::testing::fake::Seed;
    ///
    /// let now = UnixMillis(1_767_225_600_000);
    /// let seed = Seed::default_seed_at(now)?;
    /// let latest = seed.sessions.iter().map(|s| s.last_active_at).max();
    /// assert_eq!(latest, Some(now));
    /// # Ok::<(), clerk_claims::testing::fake::FakeError>(())
    /// ```
    pub fn default_seed_at(now: UnixMillis) -> Result<Seed, FakeError> {
        let mut seed = Seed::default_seed()?;
        if let Some(latest) = seed.sessions.iter().map(|s| s.last_active_at).max() {
            seed.shift(now.0.saturating_sub(latest.0));
        }
        Ok(seed)
    }

    /// Moves every timestamp (a `…_at` member holding Unix milliseconds) by `by_ms`.
    fn shift(&mut self, by_ms: i64) {
        let lists = [
            &mut self.users,
            &mut self.organizations,
            &mut self.memberships,
        ];
        for value in lists.into_iter().flatten() {
            shift_value(value, by_ms);
        }
        for session in &mut self.sessions {
            for at in [
                &mut session.last_active_at,
                &mut session.expire_at,
                &mut session.abandon_at,
                &mut session.updated_at,
                &mut session.created_at,
            ] {
                at.0 = at.0.saturating_add(by_ms);
            }
        }
    }

    /// An empty seed: no users, no sessions.
    pub fn empty() -> Seed {
        Seed::default()
    }

    /// Parses and checks a seed.
    pub fn from_json(text: &str) -> Result<Seed, FakeError> {
        let seed: Seed = serde_json::from_str(text).map_err(|e| FakeError::Seed {
            what: "the seed document".to_owned(),
            expected: "an object with users, organizations, memberships, sessions, jwt_templates",
            found: e.to_string(),
        })?;
        seed.check()?;
        Ok(seed)
    }

    /// Reads, parses and checks a seed file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Seed, FakeError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| FakeError::SeedFile {
            path: path.display().to_string(),
            source,
        })?;
        Seed::from_json(&text)
    }

    /// Checks the references between objects: every session's user exists, every membership
    /// names a known user and organization, every active organization is one of the user's.
    pub fn check(&self) -> Result<(), FakeError> {
        for (i, user) in self.users.iter().enumerate() {
            need_str(user, &["id"], &format!("users[{i}]"))?;
        }
        for (i, org) in self.organizations.iter().enumerate() {
            need_str(org, &["id"], &format!("organizations[{i}]"))?;
        }
        for (i, m) in self.memberships.iter().enumerate() {
            let what = format!("memberships[{i}]");
            let user = need_str(m, &["public_user_data", "user_id"], &what)?;
            let org = need_str(m, &["organization", "id"], &what)?;
            self.require_user(user, &what)?;
            self.require_org(org, &what)?;
        }
        for (i, s) in self.sessions.iter().enumerate() {
            let what = format!("sessions[{i}] ({})", s.id);
            self.require_user(&s.user_id, &what)?;
            if let Some(org) = &s.last_active_organization_id
                && self.membership(&s.user_id, org).is_none()
            {
                return Err(FakeError::Seed {
                    what,
                    expected: "last_active_organization_id naming an organization the user is a member of",
                    found: org.clone(),
                });
            }
        }
        Ok(())
    }

    pub(crate) fn membership(&self, user_id: &str, org_id: &str) -> Option<&Value> {
        self.memberships.iter().find(|m| {
            str_at(m, &["public_user_data", "user_id"]) == Some(user_id)
                && str_at(m, &["organization", "id"]) == Some(org_id)
        })
    }

    fn require_user(&self, id: &str, what: &str) -> Result<(), FakeError> {
        if self.users.iter().any(|u| str_at(u, &["id"]) == Some(id)) {
            return Ok(());
        }
        Err(FakeError::Seed {
            what: what.to_owned(),
            expected: "a user ID listed in users",
            found: id.to_owned(),
        })
    }

    fn require_org(&self, id: &str, what: &str) -> Result<(), FakeError> {
        if self
            .organizations
            .iter()
            .any(|o| str_at(o, &["id"]) == Some(id))
        {
            return Ok(());
        }
        Err(FakeError::Seed {
            what: what.to_owned(),
            expected: "an organization ID listed in organizations",
            found: id.to_owned(),
        })
    }
}

/// [`Seed::shift`] for one JSON value, at any depth.
fn shift_value(value: &mut Value, by_ms: i64) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                match member.as_i64() {
                    Some(ms) if key.ends_with("_at") => {
                        *member = ms.saturating_add(by_ms).into();
                    }
                    _ => shift_value(member, by_ms),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift_value(v, by_ms)),
        _ => {}
    }
}

/// The string at `path` in `value`, if there is one.
pub(crate) fn str_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(value, |v, key| v.get(key))
        .and_then(Value::as_str)
}

fn need_str<'a>(value: &'a Value, path: &[&str], what: &str) -> Result<&'a str, FakeError> {
    str_at(value, path).ok_or_else(|| FakeError::Seed {
        what: what.to_owned(),
        expected: "a string field",
        found: format!("no string at {}", path.join(".")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seed_parses_and_its_references_hold() {
        let seed = Seed::default_seed().expect("the shipped seed is valid");
        assert!(seed.users.len() >= 3);
        assert!(
            seed.sessions
                .iter()
                .any(|s| s.last_active_organization_id.is_some())
        );
    }

    #[test]
    fn session_of_unknown_user_is_rejected() {
        let mut seed = Seed::default_seed().expect("valid");
        if let Some(s) = seed.sessions.first_mut() {
            s.user_id = "user_nobody".into();
        }
        let err = seed.check().expect_err("unknown user");
        assert!(err.to_string().contains("user_nobody"), "{err}");
    }
}
