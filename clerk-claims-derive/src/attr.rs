//! Reads `#[clerk(...)]` attributes into plain structs. Only syntax is checked here; the rules
//! live in `valid.rs`. A repeated attribute is an error spanned on its second use.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::parse::Parse as _;
use syn::{Attribute, LitBool, LitFloat, LitInt, LitStr, Token};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::symbol::{
    ALLOWED_CLOCK_SKEW, CLERK, CRATE, CUSTOM, DESCRIPTION, EXACT_LIFETIME, FORMAT, GRANTS, JSON,
    KEY, LIFETIME, MARKER, NAME, NESTED, OBJECT, PERMISSIONS, RENAME, RENAME_ALL, ROLE,
    SESSION_TOKEN, SHORTCODE, SIGNING_ALGORITHM, SKIP, Symbol, TEMPLATE, VALUE,
};

/// A flag attribute (`nested`, `object` …) and where it was written.
pub type Flag = Option<Span>;

/// Attributes on a struct or enum.
#[derive(Default)]
pub struct Container {
    /// `template = "name"`.
    pub template: Option<LitStr>,
    /// `session_token`.
    pub session_token: Flag,
    /// `object`.
    pub object: Flag,
    /// `lifetime = N`.
    pub lifetime: Option<LitInt>,
    /// `allowed_clock_skew = N`.
    pub allowed_clock_skew: Option<LitInt>,
    /// `signing_algorithm = "RS256"`.
    pub signing_algorithm: Option<LitStr>,
    /// `rename_all = "camelCase"`.
    pub rename_all: Option<(RenameRule, LitStr)>,
    /// `crate = "path"`.
    pub crate_path: Option<syn::Path>,
    /// `marker = false` (or `true`, the default).
    pub marker: Option<LitBool>,
    /// `exact_lifetime`.
    pub exact_lifetime: Flag,
    /// `custom` (enums).
    pub custom: Flag,
    /// `permissions = Permission` (role enums): the enum `grants(..)` names variants of, and
    /// where it was written.
    pub permissions: Option<(syn::Path, Span)>,
}

/// A `value = …` literal.
#[derive(Clone)]
pub enum ValueLit {
    /// `"text"`.
    Str(LitStr),
    /// `42`, `-1`.
    Int(bool, LitInt),
    /// `1.5`, `-0.5`.
    Float(bool, LitFloat),
    /// `true` / `false`.
    Bool(LitBool),
}

impl ValueLit {
    /// Where the literal was written.
    pub fn span(&self) -> Span {
        match self {
            ValueLit::Str(l) => l.span(),
            ValueLit::Int(_, l) => l.span(),
            ValueLit::Float(_, l) => l.span(),
            ValueLit::Bool(l) => l.span,
        }
    }
}

/// Attributes on a claims field.
#[derive(Default)]
pub struct Field {
    /// `shortcode = "expr"`.
    pub shortcode: Option<LitStr>,
    /// `format = "text"`.
    pub format: Option<LitStr>,
    /// `value = literal`.
    pub value: Option<ValueLit>,
    /// `json = "<json>"`.
    pub json: Option<LitStr>,
    /// `nested`.
    pub nested: Flag,
    /// `skip`.
    pub skip: Flag,
    /// `rename = "claim"`.
    pub rename: Option<LitStr>,
    /// `role`.
    pub role: Flag,
    /// `permissions`.
    pub permissions: Flag,
}

/// Attributes on an enum variant.
#[derive(Default)]
pub struct Variant {
    /// `key = "org:admin"`.
    pub key: Option<LitStr>,
    /// `name = "Billing manager"`.
    pub name: Option<LitStr>,
    /// `description = "…"`.
    pub description: Option<LitStr>,
    /// `grants(A, B)`: the permission variants, and where `grants` was written.
    pub grants: Option<(Vec<syn::Ident>, Span)>,
}

/// What is being annotated, for the list of accepted attributes in messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A `ClerkClaims` struct.
    Claims,
    /// A `ClerkRole` / `ClerkPermission` enum.
    Enum,
}

fn set<T>(cx: &Ctxt, slot: &mut Option<T>, value: T, name: Symbol, span: Span) {
    if slot.is_some() {
        cx.error_at(span, format!("duplicate `{name}` attribute: write it once"));
    } else {
        *slot = Some(value);
    }
}

fn lit_str(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    meta.value()?.parse::<LitStr>()
}

fn lit_int(meta: &ParseNestedMeta) -> syn::Result<LitInt> {
    meta.value()?.parse::<LitInt>()
}

fn for_each_clerk(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs {
        if attr.path() != CLERK {
            continue;
        }
        if let Err(err) = attr.parse_nested_meta(|meta| f(&meta)) {
            cx.syn_error(err);
        }
    }
}

impl Container {
    /// The runtime crate path: `crate = "…"`, else `::clerk_claims`.
    pub fn krate(&self) -> syn::Path {
        self.crate_path
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::clerk_claims))
    }

    /// Reads the container attributes.
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute], target: Target) -> Self {
        let mut out = Container::default();
        for_each_clerk(cx, attrs, |meta| {
            let path = &meta.path;
            let span = path_span(path);
            if path == CRATE {
                let path = lit_str(meta)?.parse::<syn::Path>()?;
                set(cx, &mut out.crate_path, path, CRATE, span);
            } else if target == Target::Enum {
                if path == CUSTOM {
                    set(cx, &mut out.custom, span, CUSTOM, span);
                } else if path == PERMISSIONS {
                    let ty = meta.value()?.parse::<syn::Path>()?;
                    set(cx, &mut out.permissions, (ty, span), PERMISSIONS, span);
                } else {
                    return Err(meta.error(format!(
                        "unknown attribute `{}` on a role/permission enum: expected `{CUSTOM}`, \
                         `{PERMISSIONS} = Permission` or `{CRATE} = \"path\"`",
                        path_text(path)
                    )));
                }
            } else if path == TEMPLATE {
                set(cx, &mut out.template, lit_str(meta)?, TEMPLATE, span);
            } else if path == SESSION_TOKEN {
                set(cx, &mut out.session_token, span, SESSION_TOKEN, span);
            } else if path == OBJECT {
                set(cx, &mut out.object, span, OBJECT, span);
            } else if path == LIFETIME {
                set(cx, &mut out.lifetime, lit_int(meta)?, LIFETIME, span);
            } else if path == ALLOWED_CLOCK_SKEW {
                let lit = lit_int(meta)?;
                set(
                    cx,
                    &mut out.allowed_clock_skew,
                    lit,
                    ALLOWED_CLOCK_SKEW,
                    span,
                );
            } else if path == SIGNING_ALGORITHM {
                let lit = lit_str(meta)?;
                set(cx, &mut out.signing_algorithm, lit, SIGNING_ALGORITHM, span);
            } else if path == MARKER {
                let lit = meta.value()?.parse::<LitBool>()?;
                set(cx, &mut out.marker, lit, MARKER, span);
            } else if path == EXACT_LIFETIME {
                set(cx, &mut out.exact_lifetime, span, EXACT_LIFETIME, span);
            } else if path == RENAME_ALL {
                let lit = lit_str(meta)?;
                match RenameRule::from_str(&lit.value()) {
                    Some(rule) => set(cx, &mut out.rename_all, (rule, lit), RENAME_ALL, span),
                    None => cx.error_spanned_by(
                        &lit,
                        format!(
                            "unknown rename rule `{}`: expected one of {}",
                            lit.value(),
                            RenameRule::NAMES
                                .iter()
                                .map(|n| format!("\"{n}\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                }
            } else {
                return Err(meta.error(format!(
                    "unknown container attribute `{}`: expected one of `{TEMPLATE} = \"name\"`, `{SESSION_TOKEN}`, \
                     `{OBJECT}`, `{LIFETIME}`, `{ALLOWED_CLOCK_SKEW}`, `{SIGNING_ALGORITHM}`, `{MARKER} = false`, \
                     `{EXACT_LIFETIME}`, `{RENAME_ALL}`, `{CRATE}`",
                    path_text(path)
                )));
            }
            Ok(())
        });
        out
    }
}

impl Field {
    /// Reads a field's attributes.
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = Field::default();
        for_each_clerk(cx, attrs, |meta| {
            let path = &meta.path;
            let span = path_span(path);
            if path == SHORTCODE {
                set(cx, &mut out.shortcode, lit_str(meta)?, SHORTCODE, span);
            } else if path == FORMAT {
                set(cx, &mut out.format, lit_str(meta)?, FORMAT, span);
            } else if path == VALUE {
                let input = meta.value()?;
                let neg = input.parse::<Option<Token![-]>>()?.is_some();
                let value = if input.peek(LitStr) && !neg {
                    ValueLit::Str(input.parse()?)
                } else if input.peek(LitInt) {
                    ValueLit::Int(neg, input.parse()?)
                } else if input.peek(LitFloat) {
                    ValueLit::Float(neg, input.parse()?)
                } else if input.peek(LitBool) && !neg {
                    ValueLit::Bool(input.parse()?)
                } else {
                    return Err(input.error(
                        format!("expected a string, number or bool literal after `{VALUE} =`; for an object, array or null write `{JSON} = \"…\"`"),
                    ));
                };
                set(cx, &mut out.value, value, VALUE, span);
            } else if path == JSON {
                set(cx, &mut out.json, lit_str(meta)?, JSON, span);
            } else if path == NESTED {
                set(cx, &mut out.nested, span, NESTED, span);
            } else if path == SKIP {
                set(cx, &mut out.skip, span, SKIP, span);
            } else if path == RENAME {
                set(cx, &mut out.rename, lit_str(meta)?, RENAME, span);
            } else if path == ROLE {
                set(cx, &mut out.role, span, ROLE, span);
            } else if path == PERMISSIONS {
                set(cx, &mut out.permissions, span, PERMISSIONS, span);
            } else {
                return Err(meta.error(format!(
                    "unknown field attribute `{}`: expected one of `{SHORTCODE} = \"expr\"`, `{FORMAT} = \"text\"`, \
                     `{VALUE} = literal`, `{JSON} = \"<json>\"`, `{NESTED}`, `{SKIP}`, `{RENAME} = \"claim\"`, `{ROLE}`, `{PERMISSIONS}`",
                    path_text(path)
                )));
            }
            Ok(())
        });
        out
    }

    /// Whether no attribute was read (all were missing or unreadable).
    pub fn is_empty(&self) -> bool {
        self.shortcode.is_none()
            && self.format.is_none()
            && self.value.is_none()
            && self.json.is_none()
            && self.nested.is_none()
            && self.skip.is_none()
            && self.rename.is_none()
            && self.role.is_none()
            && self.permissions.is_none()
    }
}

impl Variant {
    /// Reads a variant's attributes.
    pub fn from_ast(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = Variant::default();
        for_each_clerk(cx, attrs, |meta| {
            let span = path_span(&meta.path);
            if meta.path == KEY {
                set(cx, &mut out.key, lit_str(meta)?, KEY, span);
            } else if meta.path == NAME {
                set(cx, &mut out.name, lit_str(meta)?, NAME, span);
            } else if meta.path == DESCRIPTION {
                set(cx, &mut out.description, lit_str(meta)?, DESCRIPTION, span);
            } else if meta.path == GRANTS {
                let content;
                syn::parenthesized!(content in meta.input);
                let list = content.parse_terminated(syn::Ident::parse, Token![,])?;
                set(
                    cx,
                    &mut out.grants,
                    (list.into_iter().collect(), span),
                    GRANTS,
                    span,
                );
            } else {
                return Err(meta.error(format!(
                    "unknown variant attribute `{}`: expected `{KEY} = \"org:…\"`, `{NAME} = \"…\"`, \
                     `{DESCRIPTION} = \"…\"` or `{GRANTS}(Permission, …)`",
                    path_text(&meta.path)
                )));
            }
            Ok(())
        });
        out
    }
}

fn path_span(path: &syn::Path) -> Span {
    path.segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
