//! The `has()` question: the [`Has`] builder, its CLI syntax (`role=org:admin,plan=pro`) and
//! Clerk's JS parameter object in serde.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::evaluate::Query;
use super::reverification::{Reverification, ReverificationParseError};

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

    pub(crate) fn query(&self) -> Query<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authorize::VerificationLevel;

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
