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
const NOT_PRODUCED: &str = ". The claim is not produced by ";
/// The advice of a drift message: the template and the code disagree.
const DRIFT_ADVICE: &str =
    "; the template is older than the code, or was edited: run `clerk-claims template diff`";
/// Where the advice of a user-data message starts: the claim is there, but one user's
/// metadata holds a value the field cannot.
const USER_DATA_ADVICE: &str = "; the value comes from ";
/// The detail of a claim absent from the payload: Clerk renders every claim of a template,
/// so an absent claim is drift even when its expression reads metadata.
pub const MISSING: &str = "the claim is missing from the token";

/// A claim that does not fit its field. Its `Display` is the one message format every
/// generated decoder uses, and [`Drift::parse`] reads it back (serde errors carry only text).
///
/// Two causes, told apart by the claim's expression: a claim that is missing, or whose
/// expression does not read user metadata, means the template and the code drifted (every
/// user's token fails the same way); a claim whose expression reads metadata but whose value
/// does not fit is that one user's data.
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
    /// The token's user (`sub`), when known: named in a user-data message.
    pub user: Option<String>,
}

impl Drift {
    /// The metadata paths the claim's expression reads (`user.public_metadata.company`), when
    /// the misfit is one user's data rather than drift: the claim is present and its
    /// expression reads metadata.
    pub fn user_data(&self) -> Option<String> {
        if self.detail == MISSING {
            return None;
        }
        metadata_paths(self.expression.as_deref()?)
    }
}

/// The metadata paths (`user.public_metadata.company`, `org.public_metadata`, …; not
/// `session.actor`, whose shape is Clerk's) an expression as typed in the dashboard (`{{…}}`) reads, joined by
/// ` or `; `None` when it reads none (a shortcode, a format string, a static value).
pub fn metadata_paths(expression: &str) -> Option<String> {
    let Ok(clerk_claims_lang::ClaimString::Whole(expr)) =
        clerk_claims_lang::parse_claim_string(expression)
    else {
        return None;
    };
    let paths: Vec<String> = expr
        .operands
        .iter()
        // The actor object's shape is Clerk's, not a user's data.
        .filter(|op| {
            matches!(op, clerk_claims_lang::Operand::Path { root, .. }
                if *root != clerk_claims_lang::PathRoot::SessionActor)
        })
        .map(ToString::to_string)
        .collect();
    (!paths.is_empty()).then(|| paths.join(" or "))
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}{DOES_NOT_FIT}{}", self.claim, self.detail)?;
        match &self.expression {
            Some(expr) => write!(f, "{EXPECTS}{expr}{IN}{}", self.place)?,
            None => write!(f, "{NOT_PRODUCED}{}", self.place)?,
        }
        match self.user_data() {
            None => f.write_str(DRIFT_ADVICE),
            Some(paths) => {
                let user = match &self.user {
                    Some(sub) => format!("user `{sub}`"),
                    None => "the token's user".to_owned(),
                };
                write!(
                    f,
                    "{USER_DATA_ADVICE}{user}'s metadata (`{paths}`), which holds a value the field \
                     cannot: fix that user's metadata, or make the field accept any value \
                     (`serde_json::Value`, `Option<serde_json::Value>`); if every user's token \
                     fails here, the template was edited: run `clerk-claims template diff`"
                )
            }
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
    /// The advice comes last, so its last occurrence ends the body even when the detail
    /// quotes token data.
    pub fn parse(text: &str) -> Option<ParsedDrift> {
        let rest = text.strip_prefix(PREFIX)?;
        let (claim, rest) = rest.split_once(DOES_NOT_FIT)?;
        let end = match (rest.rfind(DRIFT_ADVICE), rest.rfind(USER_DATA_ADVICE)) {
            (Some(a), Some(b)) => a.max(b),
            (a, b) => a.or(b)?,
        };
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
                let at = body.rfind(NOT_PRODUCED)?;
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
