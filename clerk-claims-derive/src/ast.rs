//! A typed picture of the derive input, borrowing from syn. Building it reads the attributes
//! and parses each template expression with `clerk-claims-lang`; only input that has no picture
//! (not a struct, a generic type) is reported here: the rules are in `valid.rs`.

use clerk_claims_lang::{ClaimString, Expr, ParseError, parse_claim_string, parse_expr};
use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

use crate::attr::{self, ValueLit};
use crate::ctxt::Ctxt;
use crate::symbol::{CLERK, FORMAT, JSON, NESTED, SHORTCODE, SKIP, Symbol, VALUE};

/// Which kind of claims type a struct is.
pub enum Kind {
    /// `#[clerk(template = "name")]`.
    Template(LitStr),
    /// `#[clerk(session_token)]`.
    SessionToken,
    /// `#[clerk(object)]`.
    Object,
}

/// A `#[derive(ClerkClaims)]` struct.
pub struct Struct<'a> {
    /// The struct's name.
    pub ident: &'a Ident,
    /// Its container attributes.
    pub attrs: attr::Container,
    /// Template, session token or object; `None` when the attributes do not say (an error).
    pub kind: Option<Kind>,
    /// The runtime crate path (`::clerk_claims` unless `crate = "…"`).
    pub krate: syn::Path,
    /// The named fields, in declaration order.
    pub fields: Vec<Field<'a>>,
}

/// Where a claim's template value comes from, as written; `valid.rs` reports what is wrong
/// with it.
pub enum Source {
    /// `shortcode = "expr"` and the parsed expression.
    Shortcode {
        /// The attribute literal.
        lit: LitStr,
        /// The parsed expression, or why it is not one.
        expr: Result<Expr, ShortcodeError>,
    },
    /// `format = "text {{expr}}"` and how Clerk classifies it.
    Format {
        /// The attribute literal.
        lit: LitStr,
        /// The parsed claim string.
        parsed: Result<ClaimString, ParseError>,
    },
    /// `value = literal`: the literal and its JSON text.
    Value(ValueLit, String),
    /// `json = "…"`: the literal and its compact JSON text, or serde_json's error.
    Json(LitStr, Result<String, String>),
    /// `nested`.
    Nested(Span),
    /// `skip`.
    Skip(Span),
    /// No source attribute.
    Missing,
    /// Several source attributes, in the order written.
    Several(Vec<(Symbol, Span)>),
    /// The field's `#[clerk(...)]` could not be read (already reported).
    Unreadable,
}

/// Why a `shortcode` is not an expression.
pub enum ShortcodeError {
    /// Written with its braces (`"{{user.id}}"`): the text inside them.
    Braces(String),
    /// It does not parse.
    Parse(ParseError),
}

/// Which RBAC method family reads a field.
#[derive(Clone, Copy)]
pub enum Marker {
    /// A plain claim.
    None,
    /// `require_role` reads it; the span of the marker (or the inferring shortcode).
    Role(Span),
    /// `require_permission` reads it.
    Permissions(Span),
}

/// One field of a claims struct.
pub struct Field<'a> {
    /// The field's name.
    pub ident: &'a Ident,
    /// The field's type, as written.
    pub ty: &'a Type,
    /// Its attributes.
    pub attrs: attr::Field,
    /// The claim name in the token (after `rename` / `rename_all`).
    pub claim: String,
    /// Where the claim's value comes from.
    pub source: Source,
    /// Role / permissions marker, explicit or inferred.
    pub marker: Marker,
}

/// One variant of a role/permission enum.
pub struct Variant<'a> {
    /// The variant's name.
    pub ident: &'a Ident,
    /// The key (`None` when missing: already reported).
    pub key: Option<LitStr>,
    /// `name = "…"`, as written.
    pub name: Option<LitStr>,
    /// `description = "…"`.
    pub description: Option<LitStr>,
    /// `grants(..)`: permission variant names, and where `grants` was written.
    pub grants: Option<(Vec<syn::Ident>, Span)>,
}

impl Variant<'_> {
    /// The display name: `name = "…"`, else the variant name in words
    /// (`BillingManager` → "Billing manager").
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(lit) => lit.value(),
            None => crate::case::words(&self.ident.to_string()),
        }
    }
}

/// Whether an enum is roles or permissions.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EnumKind {
    /// `#[derive(ClerkRole)]`.
    Role,
    /// `#[derive(ClerkPermission)]`.
    Permission,
}

impl EnumKind {
    /// The derive's name, for messages: `ClerkRole` / `ClerkPermission`.
    pub fn derive_name(self) -> &'static str {
        match self {
            EnumKind::Role => "ClerkRole",
            EnumKind::Permission => "ClerkPermission",
        }
    }

    /// What one key names, for docs and runtime messages: `role` / `permission`.
    pub fn noun(self) -> &'static str {
        match self {
            EnumKind::Role => "role",
            EnumKind::Permission => "permission",
        }
    }
}

/// A `#[derive(ClerkRole)]` or `#[derive(ClerkPermission)]` enum.
pub struct Enum<'a> {
    /// The enum's name.
    pub ident: &'a Ident,
    /// Roles or permissions: which derive reads it.
    pub kind: EnumKind,
    /// `#[clerk(custom)]`.
    pub custom: bool,
    /// The runtime crate path.
    pub krate: syn::Path,
    /// The variants, in declaration order.
    pub variants: Vec<Variant<'a>>,
    /// `permissions = Permission` and where it was written.
    pub permissions: Option<(syn::Path, Span)>,
}

impl<'a> Enum<'a> {
    /// Reads an enum; `None` when the input is not an enum of unit variants (reported).
    pub fn from_ast(
        cx: &Ctxt,
        input: &'a DeriveInput,
        kind: EnumKind,
        attrs: attr::Container,
    ) -> Option<Self> {
        let derive = kind.derive_name();
        let Data::Enum(data) = &input.data else {
            cx.error_spanned_by(
                &input.ident,
                format!("#[derive({derive})] works on enums of unit variants only"),
            );
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                format!("#[derive({derive})] enums cannot be generic"),
            );
            return None;
        }
        let mut variants = Vec::new();
        let mut unit_only = true;
        for v in &data.variants {
            if !matches!(v.fields, Fields::Unit) {
                cx.error_spanned_by(
                    &v.ident,
                    format!(
                        "#[derive({derive})] variants carry no data: remove the fields of `{}`",
                        v.ident
                    ),
                );
                unit_only = false;
            }
            let vattrs = attr::Variant::from_ast(cx, &v.attrs);
            variants.push(Variant {
                ident: &v.ident,
                key: vattrs.key,
                name: vattrs.name,
                description: vattrs.description,
                grants: vattrs.grants,
            });
        }
        if !unit_only {
            return None;
        }
        Some(Enum {
            ident: &input.ident,
            kind,
            custom: attrs.custom.is_some(),
            krate: attrs.krate(),
            variants,
            permissions: attrs.permissions,
        })
    }
}

impl<'a> Struct<'a> {
    /// Reads a claims struct; `None` when it is not a struct with named fields (reported).
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput, attrs: attr::Container) -> Option<Self> {
        let Data::Struct(data) = &input.data else {
            cx.error_spanned_by(
                &input.ident,
                "#[derive(ClerkClaims)] works on structs with named fields only",
            );
            return None;
        };
        let Fields::Named(named) = &data.fields else {
            cx.error_spanned_by(&input.ident, "#[derive(ClerkClaims)] works on structs with named fields only: each field is one claim");
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "#[derive(ClerkClaims)] structs cannot be generic: a template is one fixed JSON object",
            );
            return None;
        }
        let kind = kind(&attrs);
        let mut fields = Vec::new();
        for f in &named.named {
            let Some(ident) = f.ident.as_ref() else {
                continue;
            };
            let fattrs = attr::Field::from_ast(cx, &f.attrs);
            let name = ident.to_string();
            let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
            let claim = match (&fattrs.rename, &attrs.rename_all) {
                (Some(lit), _) => lit.value(),
                (None, Some((rule, _))) => rule.apply_to_field(&name),
                (None, None) => name,
            };
            // An unreadable #[clerk(...)] was already reported: do not add "no claim source".
            let has_clerk_attr = f.attrs.iter().any(|a| a.path() == CLERK);
            let source = if has_clerk_attr && fattrs.is_empty() {
                Source::Unreadable
            } else {
                source(&fattrs)
            };
            let marker = marker(&fattrs, &source, &f.ty);
            fields.push(Field {
                ident,
                ty: &f.ty,
                attrs: fattrs,
                claim,
                source,
                marker,
            });
        }
        let krate = attrs.krate();
        Some(Struct {
            ident: &input.ident,
            attrs,
            kind,
            krate,
            fields,
        })
    }

    /// Whether the template carries the marker claim naming it: a named template without
    /// `marker = false`.
    pub fn has_marker(&self) -> bool {
        matches!(self.kind, Some(Kind::Template(_)))
            && self.attrs.marker.as_ref().is_none_or(|lit| lit.value)
    }

    /// The template name the marker claim carries, when the template has one.
    pub fn marker_name(&self) -> Option<String> {
        match &self.kind {
            Some(Kind::Template(lit)) if self.has_marker() => Some(lit.value()),
            _ => None,
        }
    }

    /// The fields that are claims (not `skip`).
    pub fn claims(&self) -> impl Iterator<Item = &Field<'a>> {
        self.fields
            .iter()
            .filter(|f| !matches!(f.source, Source::Skip(_)))
    }
}

/// The kind the container attributes give, `template` before `session_token` before `object`
/// when there are several (`valid.rs` reports a missing kind and a second one).
fn kind(attrs: &attr::Container) -> Option<Kind> {
    if let Some(lit) = &attrs.template {
        return Some(Kind::Template(lit.clone()));
    }
    if attrs.session_token.is_some() {
        return Some(Kind::SessionToken);
    }
    attrs.object.map(|_| Kind::Object)
}

fn source(a: &attr::Field) -> Source {
    let mut given: Vec<(Symbol, Span)> = Vec::new();
    if let Some(l) = &a.shortcode {
        given.push((SHORTCODE, l.span()));
    }
    if let Some(l) = &a.format {
        given.push((FORMAT, l.span()));
    }
    if let Some(l) = &a.value {
        given.push((VALUE, l.span()));
    }
    if let Some(l) = &a.json {
        given.push((JSON, l.span()));
    }
    if let Some(s) = a.nested {
        given.push((NESTED, s));
    }
    if let Some(s) = a.skip {
        given.push((SKIP, s));
    }
    if given.is_empty() {
        return Source::Missing;
    }
    if given.len() > 1 {
        return Source::Several(given);
    }
    if let Some(lit) = &a.shortcode {
        let text = lit.value();
        let trimmed = text.trim();
        let expr = match trimmed
            .strip_prefix("{{")
            .and_then(|t| t.strip_suffix("}}"))
        {
            Some(inner) => Err(ShortcodeError::Braces(inner.trim().to_owned())),
            None => parse_expr(&text).map_err(ShortcodeError::Parse),
        };
        return Source::Shortcode {
            lit: lit.clone(),
            expr,
        };
    }
    if let Some(lit) = &a.format {
        return Source::Format {
            lit: lit.clone(),
            parsed: parse_claim_string(&lit.value()),
        };
    }
    if let Some(v) = &a.value {
        let json = match v {
            ValueLit::Str(l) => serde_json::Value::String(l.value()).to_string(),
            ValueLit::Int(neg, l) => signed(*neg, l.base10_digits()),
            ValueLit::Float(neg, l) => signed(*neg, l.base10_digits()),
            ValueLit::Bool(l) => l.value.to_string(),
        };
        return Source::Value(v.clone(), json);
    }
    if let Some(lit) = &a.json {
        let parsed = serde_json::from_str::<serde_json::Value>(&lit.value())
            .map(|value| value.to_string())
            .map_err(|err| err.to_string());
        return Source::Json(lit.clone(), parsed);
    }
    if let Some(span) = a.nested {
        return Source::Nested(span);
    }
    match a.skip {
        Some(span) => Source::Skip(span),
        None => Source::Missing,
    }
}

/// A number's JSON text: its digits, after a `-` when the literal was negated.
fn signed(neg: bool, digits: &str) -> String {
    if neg {
        format!("-{digits}")
    } else {
        digits.to_owned()
    }
}

/// `role` / `permissions`, explicit or inferred from `org.role` / `org_membership.permissions`.
fn marker(a: &attr::Field, source: &Source, ty: &Type) -> Marker {
    if let Some(span) = a.role {
        return Marker::Role(span);
    }
    if let Some(span) = a.permissions {
        return Marker::Permissions(span);
    }
    let Source::Shortcode {
        lit,
        expr: Ok(expr),
    } = source
    else {
        return Marker::None;
    };
    let first = match expr.operands.first() {
        Some(clerk_claims_lang::Operand::Shortcode(s)) => s.name,
        _ => return Marker::None,
    };
    match first {
        "org.role" if !is_plain(ty, &["String", "Value", "str"]) => Marker::Role(lit.span()),
        "org_membership.permissions" if !is_plain(ty, &["Vec", "HashSet", "BTreeSet", "Value"]) => {
            Marker::Permissions(lit.span())
        }
        _ => Marker::None,
    }
}

/// Whether `ty` is syntactically one of `names` or `Option` of one (the plain-claim exception).
fn is_plain(ty: &Type, names: &[&str]) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident == "Option"
        && let syn::PathArguments::AngleBracketed(args) = &last.arguments
        && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
    {
        return is_plain(inner, names);
    }
    names.iter().any(|n| last.ident == n)
}
