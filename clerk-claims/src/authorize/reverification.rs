//! Reverification requirements: Clerk's presets (`strict_mfa`, `strict`, `moderate`, `lax`) and
//! custom `level/minutes` ones, with Clerk's JS parameter shape in serde.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
