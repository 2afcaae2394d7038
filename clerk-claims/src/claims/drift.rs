//! The drift message: what a claim that does not fit its field says, in one format that
//! every generated decoder writes and [`Drift::parse`] reads back (serde errors carry only
//! text). Crate-internal: users see it as [`ClaimsMismatch`](super::ClaimsMismatch).

use std::fmt;

/// Where the claims of a type are configured in Clerk: the words a drift message uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A named JWT template.
    Template(&'static str),
    /// The instance's "Customize session token" claims.
    SessionToken,
    /// A `#[clerk(object)]` struct: the template of whichever type nests it.
    Object,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Template(name) => write!(f, "the dashboard template `{name}`"),
            Place::SessionToken => {
                f.write_str("the session token claims (Customize session token)")
            }
            Place::Object => f.write_str("the template that nests this object"),
        }
    }
}

/// The place for a `ClerkClaims` type with this template name (`None`: session token).
pub fn place_of(template: Option<&'static str>, session_token: bool) -> Place {
    match template {
        Some(name) if !session_token => Place::Template(name),
        _ => Place::SessionToken,
    }
}

const PREFIX: &str = "claim `";
const DOES_NOT_FIT: &str = "` does not fit: ";
const EXPECTS: &str = ". The code expects `";
const IN: &str = "` in ";
const SUFFIX: &str =
    "; the template is older than the code, or was edited: run `clerk-claims template diff`";

/// A claim that does not fit its field. Its `Display` is the one message format every
/// generated decoder uses, and [`Drift::parse`] reads it back (serde errors carry only text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The claim name (dotted inside nested objects).
    pub claim: String,
    /// The template expression the code expects.
    pub expression: Option<String>,
    /// Where the template lives.
    pub place: Place,
    /// What was wrong, without serde_json's position suffix.
    pub detail: String,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}{DOES_NOT_FIT}{}", self.claim, self.detail)?;
        match &self.expression {
            Some(expr) => write!(f, "{EXPECTS}{expr}{IN}{}{SUFFIX}", self.place),
            None => write!(f, ". The claim is not produced by {}{SUFFIX}", self.place),
        }
    }
}

/// The parts of a drift message read back from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDrift {
    /// The claim name.
    pub claim: String,
    /// The expression, when the message names one.
    pub expression: Option<String>,
    /// What was wrong.
    pub detail: String,
}

impl Drift {
    /// Reads a drift message back from an error's text (which may carry a position suffix).
    pub fn parse(text: &str) -> Option<ParsedDrift> {
        let rest = text.strip_prefix(PREFIX)?;
        let (claim, rest) = rest.split_once(DOES_NOT_FIT)?;
        let end = rest.rfind(SUFFIX)?;
        let body = rest.get(..end)?;
        match body.rfind(EXPECTS) {
            Some(at) => {
                let detail = body.get(..at)?;
                let tail = body.get(at + EXPECTS.len()..)?;
                let (expression, _place) = tail.rsplit_once(IN)?;
                Some(ParsedDrift {
                    claim: claim.to_owned(),
                    expression: Some(expression.to_owned()),
                    detail: detail.to_owned(),
                })
            }
            None => {
                let at = body.rfind(". The claim is not produced by ")?;
                Some(ParsedDrift {
                    claim: claim.to_owned(),
                    expression: None,
                    detail: body.get(..at)?.to_owned(),
                })
            }
        }
    }
}

/// Removes serde_json's ` at line N column M` suffix from an error text.
pub fn strip_position(text: &str) -> &str {
    let Some(at) = text.rfind(" at line ") else {
        return text;
    };
    let tail = text.get(at + " at line ".len()..).unwrap_or("");
    let mut parts = tail.splitn(3, ' ');
    let well_formed = matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(line), Some("column"), Some(col))
            if line.bytes().all(|b| b.is_ascii_digit()) && col.bytes().all(|b| b.is_ascii_digit())
    );
    if well_formed {
        text.get(..at).unwrap_or(text)
    } else {
        text
    }
}
