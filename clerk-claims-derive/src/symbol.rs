//! Attribute names, as constants instead of string compares scattered around (serde_derive).

use std::fmt;

use syn::{Ident, Path};

/// One attribute name.
#[derive(Copy, Clone, PartialEq, Eq)]
pub struct Symbol(pub &'static str);

/// The attribute every derive reads: `#[clerk(...)]`.
pub const CLERK: Symbol = Symbol("clerk");

// Enum attributes.
/// `#[clerk(key = "org:admin")]` on a variant.
pub const KEY: Symbol = Symbol("key");
/// `#[clerk(custom)]` on an enum: no Clerk key format checks.
pub const CUSTOM: Symbol = Symbol("custom");
/// `#[clerk(name = "Billing manager")]` on a variant: the name shown in Clerk's dashboard.
pub const NAME: Symbol = Symbol("name");
/// `#[clerk(description = "…")]` on a variant.
pub const DESCRIPTION: Symbol = Symbol("description");
/// `#[clerk(grants(InvoicesRead, …))]` on a role variant: the permissions it grants.
pub const GRANTS: Symbol = Symbol("grants");
/// `#[clerk(crate = "path")]`.
pub const CRATE: Symbol = Symbol("crate");

// Container attributes.
/// `template = "name"`.
pub const TEMPLATE: Symbol = Symbol("template");
/// `session_token`.
pub const SESSION_TOKEN: Symbol = Symbol("session_token");
/// `object`.
pub const OBJECT: Symbol = Symbol("object");
/// `lifetime = 300`.
pub const LIFETIME: Symbol = Symbol("lifetime");
/// `allowed_clock_skew = 5`.
pub const ALLOWED_CLOCK_SKEW: Symbol = Symbol("allowed_clock_skew");
/// `signing_algorithm = "RS256"`.
pub const SIGNING_ALGORITHM: Symbol = Symbol("signing_algorithm");
/// `rename_all = "camelCase"`.
pub const RENAME_ALL: Symbol = Symbol("rename_all");
/// `marker = false`: no marker claim naming the template.
pub const MARKER: Symbol = Symbol("marker");
/// `exact_lifetime`: verification compares `exp - iat` with the lifetime.
pub const EXACT_LIFETIME: Symbol = Symbol("exact_lifetime");

// Field attributes.
/// `shortcode = "expr"`.
pub const SHORTCODE: Symbol = Symbol("shortcode");
/// `format = "text {{expr}}"`.
pub const FORMAT: Symbol = Symbol("format");
/// `value = literal`.
pub const VALUE: Symbol = Symbol("value");
/// `json = "<json>"`.
pub const JSON: Symbol = Symbol("json");
/// `nested`.
pub const NESTED: Symbol = Symbol("nested");
/// `skip`.
pub const SKIP: Symbol = Symbol("skip");
/// `rename = "claim"`.
pub const RENAME: Symbol = Symbol("rename");
/// `role` marker.
pub const ROLE: Symbol = Symbol("role");
/// `permissions` marker.
pub const PERMISSIONS: Symbol = Symbol("permissions");

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
