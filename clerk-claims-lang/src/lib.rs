//! Clerk's JWT template language, written once: the shortcode catalogue, the expression
//! grammar (`a.b || c.d || 'literal'`), interpolation, and the rules Clerk applies when a
//! template is saved. The derive uses it at compile time, the runtime renderer at run time.
//!
//! It follows Clerk's JWT template engine and documentation
//! (<https://clerk.com/docs/backend-requests/jwt-templates>): which shortcodes exist and their
//! JSON types, how `||` chains fall back, and what the dashboard rejects on save.
#![forbid(unsafe_code)]

mod catalogue;
mod expr;
pub mod rules;

pub use catalogue::{CATALOGUE, KNOWN_WRONG_NAMES, PATH_ROOTS, lookup, path_root, suggest};
pub use expr::{interpolations, parse_claim_string, parse_expr};
pub use rules::{
    DEFAULT_ALLOWED_CLOCK_SKEW, DEFAULT_CLAIMS, DEFAULT_LIFETIME, LIFETIME_RANGE, MAX_CLAIMS_BYTES,
    RESERVED_CLAIMS, RuleViolation, SIGNING_ALGORITHMS, SKEW_RANGE, check_allowed_clock_skew,
    check_claims, check_claims_json_text, check_lifetime, check_name, check_signing_algorithm,
    claims_violations,
};

/// The JSON type a shortcode (or expression) substitutes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A JSON boolean.
    Bool,
    /// A JSON object.
    Object,
    /// A JSON array of strings.
    StringArray,
    /// Any JSON value (metadata, actor paths).
    Any,
}

/// When a shortcode substitutes to `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nullability {
    /// Never null.
    Never,
    /// Null when the user has not set the value (no last name, no primary email …).
    WhenUnset,
    /// Null when the session has no active organization (`org.*`, `org_membership.*`).
    WithoutActiveOrg,
    /// Null unless the session is an impersonation (`session.actor`).
    WithoutActor,
    /// A metadata path: null whenever the key is missing.
    MissingPath,
}

/// One entry of Clerk's shortcode catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcode {
    /// The shortcode as written inside `{{ }}`, e.g. `user.primary_email_address`.
    pub name: &'static str,
    /// Its JSON type after substitution.
    pub ty: JsonType,
    /// When it is null.
    pub nullability: Nullability,
    /// Deprecated by Clerk (e.g. `user.profile_image_url`).
    pub deprecated: bool,
    /// One line: what it holds.
    pub doc: &'static str,
}

/// Which metadata-like object a path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathRoot {
    /// `user.public_metadata`
    UserPublicMetadata,
    /// `user.unsafe_metadata`
    UserUnsafeMetadata,
    /// `org.public_metadata`
    OrgPublicMetadata,
    /// `org_membership.public_metadata`
    OrgMembershipPublicMetadata,
    /// `session.actor`
    SessionActor,
}

/// A literal operand of a `||` chain: `'text'`, a number, `true`/`false`, `null`.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A literal with a `.` that parses as a float.
    Float(f64),
    /// A single-quoted string, quotes stripped.
    Str(String),
}

/// One operand of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A catalogue shortcode.
    Shortcode(&'static Shortcode),
    /// A metadata or actor path; `path` is empty for the root itself (`user.public_metadata`).
    Path {
        /// The root object.
        root: PathRoot,
        /// The `\w+` segments after the root.
        path: Vec<String>,
    },
    /// A literal.
    Literal(Literal),
}

/// A parsed expression: the text inside `{{ }}`, one operand or a `||` chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// The operands, left to right (at least one; the first is never a literal).
    pub operands: Vec<Operand>,
}

/// A claim string value classified as Clerk's engine classifies it: static text, one whole
/// expression (keeps its JSON type), or text with expressions (always a string).
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimString {
    /// No `{{`: a static string.
    Static(String),
    /// Exactly one `{{expr}}` and nothing else: substitutes to the expression's JSON value.
    Whole(Expr),
    /// Text with one or more `{{expr}}`: always a string.
    Interpolated(Vec<Segment>),
}

/// A piece of an interpolated string.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Literal text.
    Text(String),
    /// An expression, printed JSON-encoded with quotes stripped (null prints `null`).
    Expr(Expr),
}

/// A syntax or catalogue error, pointing at the offending character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the offending character in the parsed text.
    pub offset: usize,
    /// What was expected and what was found.
    pub message: String,
    /// The nearest known shortcode, for an unknown name.
    pub suggestion: Option<&'static str>,
}
