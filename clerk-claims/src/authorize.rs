//! `has()` with Clerk's semantics: roles, permissions, features, plans, reverification.
//!
//! This is Clerk's `createCheckAuthorization` (`@clerk/shared` `authorization.ts`, after fix
//! `d52b311f`): without a user every check is false; otherwise three dimensions are evaluated,
//! each passing, failing or skipped when not asked:
//!
//! - **org**: `role` and `permission` (an active organization is required; `admin` and
//!   `org:admin` are the same role, `prefixWithOrg`; permissions match exactly);
//! - **billing**: `feature` and `plan` against the `fea` / `pla` claims, with optional scope
//!   `o:`/`org:`/`organization:` or `u:`/`user:`;
//! - **reverification**: how recently the user verified a first or second factor (`fva`).
//!
//! The result is true iff at least one dimension passes and none fails. Everything asked is
//! ANDed, within and across dimensions; asking nothing is false.

// Clerk's `prefixWithOrg` (`v.replace(/^(org:)*/, 'org:')`), compared without allocating.
use clerk_claims_lang::rules::role_name;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::rbac::{ClerkPermission, ClerkRole, Forbidden};
use crate::session::{AuthObject, SessionClaims, split_by_scope};

/// How strongly a user must have verified recently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationLevel {
    /// The first factor (password, email code, ...).
    FirstFactor,
    /// The second factor if the user has one enrolled, otherwise the first.
    SecondFactor,
    /// Both factors if the user has a second one enrolled, otherwise the first.
    MultiFactor,
}

impl VerificationLevel {
    /// The level's name as Clerk writes it (`first_factor`, `second_factor`, `multi_factor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstFactor => "first_factor",
            Self::SecondFactor => "second_factor",
            Self::MultiFactor => "multi_factor",
        }
    }
}

/// A reverification requirement: one of Clerk's presets or a custom level and age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reverification {
    /// `strict_mfa`: multi-factor within 10 minutes.
    StrictMfa,
    /// `strict`: second factor within 10 minutes.
    Strict,
    /// `moderate`: second factor within 60 minutes.
    Moderate,
    /// `lax`: second factor within 1440 minutes (a day).
    Lax,
    /// A custom requirement: `level` verified less than `after_minutes` ago. Clerk requires
    /// `after_minutes > 0`; with 0 the check fails, as in Clerk.
    Custom {
        /// The verification level.
        level: VerificationLevel,
        /// The factor must have been verified strictly fewer minutes ago than this.
        after_minutes: u32,
    },
}

impl Reverification {
    /// The level this requirement asks for.
    pub fn level(self) -> VerificationLevel {
        match self {
            Self::StrictMfa => VerificationLevel::MultiFactor,
            Self::Strict | Self::Moderate | Self::Lax => VerificationLevel::SecondFactor,
            Self::Custom { level, .. } => level,
        }
    }

    /// The maximum age in minutes (exclusive) this requirement allows.
    pub fn after_minutes(self) -> u32 {
        match self {
            Self::StrictMfa | Self::Strict => 10,
            Self::Moderate => 60,
            Self::Lax => 1440,
            Self::Custom { after_minutes, .. } => after_minutes,
        }
    }

    fn preset(self) -> Option<&'static str> {
        match self {
            Self::StrictMfa => Some("strict_mfa"),
            Self::Strict => Some("strict"),
            Self::Moderate => Some("moderate"),
            Self::Lax => Some("lax"),
            Self::Custom { .. } => None,
        }
    }
}

/// A reverification requirement that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReverificationParseError {
    /// Neither a preset nor `level/minutes`.
    #[error(
        "unknown reverification `{0}`: expected a preset (strict_mfa, strict, moderate, lax) \
         or `level/minutes` such as `second_factor/10`"
    )]
    Unknown(String),
    /// The level of `level/minutes` is not one of Clerk's.
    #[error(
        "unknown verification level `{0}`: expected first_factor, second_factor or multi_factor"
    )]
    Level(String),
    /// The minutes of `level/minutes` are not a whole number above zero.
    #[error("reverification minutes should be a whole number above 0, found `{0}`")]
    Minutes(String),
}

impl FromStr for Reverification {
    type Err = ReverificationParseError;

    /// Reads a preset (`strict_mfa`, `strict`, `moderate`, `lax`) or `level/minutes`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "strict_mfa" => return Ok(Self::StrictMfa),
            "strict" => return Ok(Self::Strict),
            "moderate" => return Ok(Self::Moderate),
            "lax" => return Ok(Self::Lax),
            _ => {}
        }
        let Some((level, minutes)) = s.split_once('/') else {
            return Err(ReverificationParseError::Unknown(s.to_owned()));
        };
        let level = match level {
            "first_factor" => VerificationLevel::FirstFactor,
            "second_factor" => VerificationLevel::SecondFactor,
            "multi_factor" => VerificationLevel::MultiFactor,
            other => return Err(ReverificationParseError::Level(other.to_owned())),
        };
        match minutes.parse::<u32>() {
            Ok(after_minutes) if after_minutes > 0 => Ok(Self::Custom {
                level,
                after_minutes,
            }),
            _ => Err(ReverificationParseError::Minutes(minutes.to_owned())),
        }
    }
}

impl fmt::Display for Reverification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.preset() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}/{}", self.level().as_str(), self.after_minutes()),
        }
    }
}

impl Serialize for Reverification {
    /// Clerk's JS shape: a preset name, or `{"level": ..., "afterMinutes": ...}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if let Some(name) = self.preset() {
            return serializer.serialize_str(name);
        }
        let mut s = serializer.serialize_struct("Reverification", 2)?;
        s.serialize_field("level", &self.level())?;
        s.serialize_field("afterMinutes", &self.after_minutes())?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for Reverification {
    /// Accepts Clerk's JS shape: `"strict"` or `{"level": "second_factor", "afterMinutes": 10}`
    /// (and `"second_factor/10"`).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Reverification;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a preset (strict_mfa, strict, moderate, lax) or \
                     {\"level\": first_factor|second_factor|multi_factor, \"afterMinutes\": minutes}",
                )
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                use serde::de::Error;
                let (mut level, mut after_minutes) = (None, None);
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "level" => level = Some(map.next_value::<VerificationLevel>()?),
                        "afterMinutes" => {
                            let minutes = map.next_value::<i64>()?;
                            after_minutes = Some(u32::try_from(minutes).map_err(|_| {
                                A::Error::custom(format!(
                                    "afterMinutes should be a whole number above 0, found {minutes}"
                                ))
                            })?);
                        }
                        other => {
                            return Err(A::Error::unknown_field(other, &["level", "afterMinutes"]));
                        }
                    }
                }
                let level = level.ok_or_else(|| A::Error::missing_field("level"))?;
                let after_minutes =
                    after_minutes.ok_or_else(|| A::Error::missing_field("afterMinutes"))?;
                Ok(Reverification::Custom {
                    level,
                    after_minutes,
                })
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// One `has()` question: every part given must hold (AND).
///
/// Build it with the methods (`Has::new().role("org:admin").reverification(Reverification::Strict)`),
/// parse the CLI syntax (`"role=org:admin,plan=pro".parse()`), or deserialize Clerk's JS
/// parameter object (`{"role": "org:admin", "reverification": {"level": ..., "afterMinutes": ...}}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Has {
    /// A role key; `admin` and `org:admin` are the same role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// A permission key, e.g. `org:invoices:read` (`invoices:read` gets the `org:` prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// A feature, optionally scoped: `o:dashboard`, `user:export`, `dashboard`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// A plan, optionally scoped: `u:pro`, `org:team`, `pro`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// A reverification requirement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverification: Option<Reverification>,
}

impl Has {
    /// An empty question (which Clerk answers with false: add at least one part).
    pub fn new() -> Self {
        Self::default()
    }

    /// Requires this role key.
    pub fn role(mut self, key: impl Into<String>) -> Self {
        self.role = Some(key.into());
        self
    }

    /// Requires this permission key.
    pub fn permission(mut self, key: impl Into<String>) -> Self {
        self.permission = Some(key.into());
        self
    }

    /// Requires this feature.
    pub fn feature(mut self, feature: impl Into<String>) -> Self {
        self.feature = Some(feature.into());
        self
    }

    /// Requires this plan.
    pub fn plan(mut self, plan: impl Into<String>) -> Self {
        self.plan = Some(plan.into());
        self
    }

    /// Requires this reverification.
    pub fn reverification(mut self, reverification: Reverification) -> Self {
        self.reverification = Some(reverification);
        self
    }

    fn query(&self) -> Query<'_> {
        Query {
            role: self.role.as_deref(),
            permission: self.permission.as_deref(),
            feature: self.feature.as_deref(),
            plan: self.plan.as_deref(),
            reverification: self.reverification,
        }
    }
}

/// A `--has` argument that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HasParseError {
    /// Nothing to check.
    #[error("empty check: expected key=value pairs such as `role=org:admin,plan=pro`")]
    Empty,
    /// A part without `=`.
    #[error("`{0}` is not key=value: expected e.g. `role=org:admin` or `feature=o:dashboard`")]
    NotAPair(String),
    /// A key other than role, permission, feature, plan, reverification.
    #[error("unknown check `{0}`: expected role, permission, feature, plan or reverification")]
    UnknownKey(String),
    /// The same key twice in one check.
    #[error("`{0}` is given twice in one check; use a second --has to check another value")]
    Duplicate(String),
    /// A key with nothing after `=`.
    #[error("`{0}=` has no value")]
    EmptyValue(String),
    /// The reverification value could not be read.
    #[error(transparent)]
    Reverification(#[from] ReverificationParseError),
}

impl FromStr for Has {
    type Err = HasParseError;

    /// Reads the CLI syntax: `key=value` pairs joined by commas, keys `role`, `permission`,
    /// `feature`, `plan`, `reverification` (a preset or `level/minutes`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut has = Has::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| HasParseError::NotAPair(part.to_owned()))?;
            let (key, value) = (key.trim(), value.trim());
            if value.is_empty() {
                return Err(HasParseError::EmptyValue(key.to_owned()));
            }
            let duplicate = match key {
                "role" => has.role.replace(value.to_owned()).is_some(),
                "permission" => has.permission.replace(value.to_owned()).is_some(),
                "feature" => has.feature.replace(value.to_owned()).is_some(),
                "plan" => has.plan.replace(value.to_owned()).is_some(),
                "reverification" => has.reverification.replace(value.parse()?).is_some(),
                other => return Err(HasParseError::UnknownKey(other.to_owned())),
            };
            if duplicate {
                return Err(HasParseError::Duplicate(key.to_owned()));
            }
        }
        if has == Has::default() {
            return Err(HasParseError::Empty);
        }
        Ok(has)
    }
}

impl fmt::Display for Has {
    /// The CLI syntax, e.g. `role=org:admin,reverification=strict`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        let mut part = |f: &mut fmt::Formatter<'_>, key: &str, value: &dyn fmt::Display| {
            let r = write!(f, "{sep}{key}={value}");
            sep = ",";
            r
        };
        if let Some(v) = &self.role {
            part(f, "role", v)?;
        }
        if let Some(v) = &self.permission {
            part(f, "permission", v)?;
        }
        if let Some(v) = &self.feature {
            part(f, "feature", v)?;
        }
        if let Some(v) = &self.plan {
            part(f, "plan", v)?;
        }
        if let Some(v) = &self.reverification {
            part(f, "reverification", v)?;
        }
        Ok(())
    }
}

/// A borrowed `has()` question, so the single-part entry points do not allocate.
#[derive(Clone, Copy, Default)]
struct Query<'a> {
    role: Option<&'a str>,
    permission: Option<&'a str>,
    feature: Option<&'a str>,
    plan: Option<&'a str>,
    reverification: Option<Reverification>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Pass,
    Fail,
    Skip,
}

impl Outcome {
    fn from_bool(pass: bool) -> Self {
        if pass { Self::Pass } else { Self::Fail }
    }
}

fn check_org(auth: &AuthObject, q: &Query<'_>) -> Outcome {
    if q.role.is_none() && q.permission.is_none() {
        return Outcome::Skip;
    }
    if auth.org_id.as_deref().is_none_or(str::is_empty) {
        return Outcome::Fail;
    }
    if let Some(role) = q.role {
        let held = auth.org_role.as_deref().filter(|r| !r.is_empty());
        if held.is_none_or(|held| role_name(held) != role_name(role)) {
            return Outcome::Fail;
        }
    }
    if let Some(permission) = q.permission {
        // `orgPermissions.includes(prefixWithOrg(permission))`: an exact match of `org:<rest>`.
        let wanted = role_name(permission);
        let granted = auth.org_permissions.as_deref().unwrap_or_default();
        if auth.org_permissions.is_none()
            || !granted
                .iter()
                .any(|g| g.strip_prefix("org:") == Some(wanted))
        {
            return Outcome::Fail;
        }
    }
    Outcome::Pass
}

/// Clerk's `checkForFeatureOrPlan`; `None` where JS throws (which counts as a failure).
fn has_scoped(claim: &str, query: &str) -> Option<bool> {
    let lists = split_by_scope(claim).ok()?;
    // JS: `const [rawScope, rawId] = query.split(':')` — only the first two parts count.
    let mut parts = query.split(':');
    let raw_scope = parts.next().unwrap_or_default();
    let Some(raw_id) = parts.next() else {
        return Some(lists.org.contains(&query) || lists.user.contains(&query));
    };
    // JS: `id = rawId || rawScope` — an empty id falls back to the scope text.
    let id = if raw_id.is_empty() { raw_scope } else { raw_id };
    match raw_scope {
        "o" | "org" | "organization" => Some(lists.org.contains(&id)),
        "u" | "user" => Some(lists.user.contains(&id)),
        _ => None,
    }
}

fn check_billing(auth: &AuthObject, q: &Query<'_>) -> Outcome {
    if q.feature.is_none() && q.plan.is_none() {
        return Outcome::Skip;
    }
    for (asked, claim) in [(q.feature, &auth.features), (q.plan, &auth.plans)] {
        let Some(asked) = asked else { continue };
        let Some(claim) = claim.as_deref().filter(|c| !c.is_empty()) else {
            return Outcome::Fail;
        };
        if has_scoped(claim, asked) != Some(true) {
            return Outcome::Fail;
        }
    }
    Outcome::Pass
}

fn check_reverification(auth: &AuthObject, q: &Query<'_>) -> Outcome {
    let Some(requirement) = q.reverification else {
        return Outcome::Skip;
    };
    let Some([first, second]) = auth.factor_verification_age else {
        return Outcome::Fail;
    };
    let valid_age = |age: i64| age == -1 || age >= 0;
    if !valid_age(first) || !valid_age(second) || (first == -1 && second == -1) {
        return Outcome::Fail;
    }
    let after = i64::from(requirement.after_minutes());
    if after <= 0 {
        return Outcome::Fail;
    }
    let fresh = |age: i64| age != -1 && after > age;
    Outcome::from_bool(match requirement.level() {
        VerificationLevel::FirstFactor => fresh(first),
        VerificationLevel::SecondFactor if second == -1 => fresh(first),
        VerificationLevel::SecondFactor => fresh(second),
        VerificationLevel::MultiFactor if second == -1 => fresh(first),
        VerificationLevel::MultiFactor if first == -1 => false,
        VerificationLevel::MultiFactor => fresh(first) && fresh(second),
    })
}

fn evaluate(auth: &AuthObject, q: Query<'_>) -> bool {
    if auth.user_id.as_deref().is_none_or(str::is_empty) {
        return false;
    }
    let outcomes = [
        check_org(auth, &q),
        check_billing(auth, &q),
        check_reverification(auth, &q),
    ];
    outcomes.contains(&Outcome::Pass) && !outcomes.contains(&Outcome::Fail)
}

/// `has()` and its single-part forms, on anything that carries an [`AuthObject`].
macro_rules! has_methods {
    ($ty:ty, $auth:ident => $get:expr) => {
        impl $ty {
            /// Clerk's `has()`: whether every part of `check` holds (false without a user, and
            /// false for an empty check).
            pub fn has(&self, check: &Has) -> bool {
                let $auth = self;
                evaluate($get, check.query())
            }

            /// Whether the active organization role is `role` (a declared [`ClerkRole`]).
            pub fn has_role<R: ClerkRole>(&self, role: R) -> bool {
                self.has_role_key(role.key())
            }

            /// Whether `permission` (a declared [`ClerkPermission`]) is granted.
            pub fn has_permission<P: ClerkPermission>(&self, permission: P) -> bool {
                self.has_permission_key(permission.key())
            }

            /// [`has_role`](Self::has_role) as a `Result`, for `?` in handlers.
            pub fn require_role<R: ClerkRole>(&self, role: R) -> Result<(), Forbidden> {
                if self.has_role(role) {
                    return Ok(());
                }
                let $auth = self;
                let held = $get.org_role.as_deref().and_then(R::from_key).map(R::key);
                Err(Forbidden::Role {
                    required: vec![role.key()],
                    found: held,
                })
            }

            /// [`has_permission`](Self::has_permission) as a `Result`, for `?` in handlers.
            pub fn require_permission<P: ClerkPermission>(
                &self,
                permission: P,
            ) -> Result<(), Forbidden> {
                if self.has_permission(permission) {
                    return Ok(());
                }
                Err(Forbidden::Permission {
                    required: vec![permission.key()],
                    all: true,
                })
            }

            /// Whether the active organization role is `key` (`admin` equals `org:admin`).
            pub fn has_role_key(&self, key: &str) -> bool {
                let $auth = self;
                evaluate(
                    $get,
                    Query {
                        role: Some(key),
                        ..Query::default()
                    },
                )
            }

            /// Whether the permission `key` is granted (exact match after the `org:` prefix).
            pub fn has_permission_key(&self, key: &str) -> bool {
                let $auth = self;
                evaluate(
                    $get,
                    Query {
                        permission: Some(key),
                        ..Query::default()
                    },
                )
            }

            /// Whether `feature` (optionally scoped: `o:`, `org:`, `u:`, `user:`) is in `fea`.
            pub fn has_feature(&self, feature: &str) -> bool {
                let $auth = self;
                evaluate(
                    $get,
                    Query {
                        feature: Some(feature),
                        ..Query::default()
                    },
                )
            }

            /// Whether `plan` (optionally scoped) is in `pla`.
            pub fn has_plan(&self, plan: &str) -> bool {
                let $auth = self;
                evaluate(
                    $get,
                    Query {
                        plan: Some(plan),
                        ..Query::default()
                    },
                )
            }

            /// Whether the user verified recently enough for `requirement`.
            pub fn has_reverification(&self, requirement: Reverification) -> bool {
                let $auth = self;
                evaluate(
                    $get,
                    Query {
                        reverification: Some(requirement),
                        ..Query::default()
                    },
                )
            }
        }
    };
}

has_methods!(AuthObject, auth => auth);
has_methods!(SessionClaims, claims => claims.auth());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_prefix_is_stripped_repeatedly() {
        assert_eq!(role_name("org:org:admin"), "admin");
        assert_eq!(role_name("admin"), "admin");
        assert_eq!(role_name("organization"), "organization");
    }

    #[test]
    fn scoped_query_uses_only_the_first_two_parts() {
        assert_eq!(has_scoped("o:a", "org:a:extra"), Some(true));
        assert_eq!(has_scoped("o:org", "org:"), Some(true));
        assert_eq!(has_scoped("o:a", "lol:a"), None);
        assert_eq!(has_scoped("a", "a"), None);
    }

    #[test]
    fn has_displays_in_cli_syntax_and_parses_back() {
        let has = Has::new()
            .role("org:admin")
            .plan("pro")
            .reverification(Reverification::Custom {
                level: VerificationLevel::SecondFactor,
                after_minutes: 10,
            });
        let text = has.to_string();
        assert_eq!(
            text,
            "role=org:admin,plan=pro,reverification=second_factor/10"
        );
        assert_eq!(text.parse::<Has>(), Ok(has));
    }
}
