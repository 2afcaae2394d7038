//! The rules, and nothing else: what Clerk would reject on save, key formats, and the
//! consistency of the attributes. Errors go to the `Ctxt`, spanned on the offending attribute.

use std::collections::HashMap;

use clerk_claims_lang::rules::{self, role_name};
use clerk_claims_lang::{ClaimString, parse_claim_string};
use syn::LitStr;
use syn::spanned::Spanned;

use crate::ast::{Enum, EnumKind, Field, Kind, Marker, ShortcodeError, Source, Struct};
use crate::attr::ValueLit;
use crate::ctxt::Ctxt;
use crate::symbol::{
    ALLOWED_CLOCK_SKEW, EXACT_LIFETIME, FORMAT, JSON, LIFETIME, MARKER, NESTED, OBJECT,
    PERMISSIONS, RENAME, ROLE, SESSION_TOKEN, SHORTCODE, SIGNING_ALGORITHM, SKIP, Symbol, TEMPLATE,
    VALUE,
};

/// Default claims of a session token that custom session claims cannot override
/// (<https://clerk.com/docs/backend-requests/resources/session-tokens>).
const SESSION_DEFAULT_CLAIMS: &[&str] = &["sid", "v", "o", "fea", "pla", "fva", "sts", "act"];

/// The most permissions one enum can declare: `Permissions<P>` is a `u128` bitset.
pub const MAX_PERMISSIONS: usize = 128;

/// Checks a role or permission enum.
pub fn check_enum(cx: &Ctxt, e: &Enum) {
    let kind = e.kind;
    check_grants(cx, e);
    if kind == EnumKind::Permission && e.variants.len() > MAX_PERMISSIONS {
        cx.error_spanned_by(
            e.ident,
            format!(
                "`{}` declares {} permissions, but `Permissions<P>` holds at most {MAX_PERMISSIONS} \
                 (a u128 bitset): split the enum by feature",
                e.ident,
                e.variants.len()
            ),
        );
    }
    let mut seen: HashMap<String, (&syn::Ident, String)> = HashMap::new();
    for v in &e.variants {
        let Some(lit) = &v.key else {
            cx.error_spanned_by(
                v.ident,
                format!(
                    "variant `{}` has no key: add #[clerk(key = \"org:…\")]",
                    v.ident
                ),
            );
            continue;
        };
        let key = lit.value();
        if key.trim().is_empty() {
            cx.error_spanned_by(
                lit,
                "empty key: write the key as Clerk shows it, e.g. `org:admin`",
            );
            continue;
        }
        // Roles compare after `prefixWithOrg`: `admin` and `org:admin` are one role.
        let identity = match (kind, e.custom) {
            (EnumKind::Role, false) => role_name(&key).to_owned(),
            _ => key.clone(),
        };
        if let Some((first, first_key)) = seen.get(&identity) {
            let message = if *first_key == key {
                format!(
                    "duplicate key `{key}`: variant `{first}` already has it; each variant needs its own key"
                )
            } else {
                format!(
                    "`{key}` is the same role as `{first_key}` of variant `{first}`: Clerk's `prefixWithOrg` reads \
                     `admin` and `org:admin` as one role; each variant needs its own role"
                )
            };
            cx.error_spanned_by(lit, message);
            // One error per mistake: the fix (a key of its own) replaces this key, so its
            // format is not worth a second message.
            continue;
        }
        seen.insert(identity, (v.ident, key.clone()));
        if e.custom {
            continue;
        }
        if key.chars().any(char::is_whitespace) {
            cx.error_spanned_by(
                lit,
                format!("key `{key}` contains whitespace: Clerk keys never do"),
            );
            continue;
        }
        match kind {
            EnumKind::Role => check_role_key(cx, lit, &key),
            EnumKind::Permission => check_permission_key(cx, lit, &key),
        }
    }
}

/// One segment of a Clerk key: `[a-z0-9_]+`, as Clerk's dashboard and Backend API accept it.
fn is_key_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A segment written the way Clerk would accept it: lowercase, other characters as `_`.
fn as_key_segment(segment: &str) -> String {
    let fixed: String = segment
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if fixed.is_empty() {
        "name".to_owned()
    } else {
        fixed
    }
}

fn check_role_key(cx: &Ctxt, lit: &syn::LitStr, key: &str) {
    let name = key.strip_prefix("org:");
    if name.is_some_and(is_key_segment) {
        return;
    }
    let fixed = as_key_segment(key.rsplit(':').next().unwrap_or(key));
    cx.error_spanned_by(
        lit,
        format!(
            "role key `{key}` is not in Clerk's format `org:<role>` (the role: lowercase letters, \
             digits and `_`): write `org:{fixed}`, or mark the enum #[clerk(custom)] for app-defined \
             roles kept in metadata"
        ),
    );
}

fn check_permission_key(cx: &Ctxt, lit: &syn::LitStr, key: &str) {
    let parts: Vec<&str> = key.split(':').collect();
    let ok = matches!(parts.as_slice(), ["org", feature, action] if is_key_segment(feature) && is_key_segment(action));
    if !ok {
        let hint = match parts.as_slice() {
            ["org", feature, action] => format!(
                ": write `org:{}:{}`",
                as_key_segment(feature),
                as_key_segment(action)
            ),
            _ => ", e.g. `org:invoices:read`".to_owned(),
        };
        cx.error_spanned_by(
            lit,
            format!(
                "permission key `{key}` is not in Clerk's format `org:<feature>:<action>` (each part: \
                 lowercase letters, digits and `_`){hint}, or mark the enum #[clerk(custom)] for \
                 app-defined permissions"
            ),
        );
        return;
    }
    if parts
        .get(1)
        .is_some_and(|feature| feature.starts_with("sys_"))
    {
        cx.error_spanned_by(
            lit,
            format!(
                "`{key}` is a system permission: Clerk never puts system permissions in session tokens, \
                 so a check on it can never pass; check a role instead, e.g. `org:admin`"
            ),
        );
    }
}

/// The RBAC attributes of an enum: `permissions = …` and `grants(..)` on roles only, each
/// granted name once, and `grants` only with `permissions = …`.
fn check_grants(cx: &Ctxt, e: &Enum) {
    if e.kind == EnumKind::Permission {
        if let Some((_, span)) = &e.permissions {
            cx.error_at(
                *span,
                "`permissions = …` belongs on a #[derive(ClerkRole)] enum: it names the permission enum \
                 whose variants the roles grant; remove it here",
            );
        }
        for v in &e.variants {
            if let Some((_, span)) = &v.grants {
                cx.error_at(
                    *span,
                    "`grants(..)` belongs on a role variant: a permission grants nothing; remove it here",
                );
            }
        }
        return;
    }
    for v in &e.variants {
        let Some((names, span)) = &v.grants else {
            continue;
        };
        if e.permissions.is_none() {
            cx.error_at(
                *span,
                format!(
                    "`grants(..)` on `{}` needs the permission enum: add #[clerk(permissions = Permission)] \
                     on `{}`, naming your #[derive(ClerkPermission)] enum",
                    v.ident, e.ident
                ),
            );
            continue;
        }
        let mut seen: Vec<&syn::Ident> = Vec::new();
        for name in names {
            if seen.contains(&name) {
                cx.error_spanned_by(
                    name,
                    format!("`{name}` is granted twice by `{}`: list it once", v.ident),
                );
            }
            seen.push(name);
        }
    }
}

/// Checks a claims struct.
pub fn check_struct(cx: &Ctxt, s: &Struct) {
    check_kind(cx, s);
    for f in &s.fields {
        check_source(cx, f);
    }
    check_container(cx, s);
    check_fields(cx, s);
}

/// Exactly one of `template = "…"`, `session_token` and `object`.
fn check_kind(cx: &Ctxt, s: &Struct) {
    let a = &s.attrs;
    let spans: Vec<proc_macro2::Span> = [
        a.template.as_ref().map(Spanned::span),
        a.session_token,
        a.object,
    ]
    .into_iter()
    .flatten()
    .collect();
    match spans.as_slice() {
        [] => cx.error_spanned_by(
            s.ident,
            format!(
                "a ClerkClaims struct needs #[clerk({TEMPLATE} = \"name\")], #[clerk({SESSION_TOKEN})] or #[clerk({OBJECT})]"
            ),
        ),
        [_] => {}
        [_, second, ..] => cx.error_at(
            *second,
            format!(
                "choose one of `{TEMPLATE} = \"…\"`, `{SESSION_TOKEN}` and `{OBJECT}`: they exclude each other"
            ),
        ),
    }
}

/// A field's claim source: exactly one, and well formed.
fn check_source(cx: &Ctxt, f: &Field) {
    let ident = f.ident;
    match &f.source {
        Source::Missing => cx.error_at(
            f.ty.span(),
            format!(
                "field `{ident}` has no claim source: add one of #[clerk({SHORTCODE} = \"user.id\")], \
                 #[clerk({FORMAT} = \"…{{{{user.first_name}}}}…\")], #[clerk({VALUE} = …)], #[clerk({JSON} = \"…\")], \
                 #[clerk({NESTED})] or #[clerk({SKIP})]"
            ),
        ),
        Source::Several(given) => {
            let names: Vec<String> = given.iter().map(|(n, _)| format!("`{n}`")).collect();
            if let Some((_, span)) = given.get(1) {
                cx.error_at(
                    *span,
                    format!(
                        "field `{ident}` has several claim sources ({}): keep exactly one",
                        names.join(", ")
                    ),
                );
            }
        }
        Source::Shortcode {
            lit,
            expr: Err(ShortcodeError::Braces(inner)),
        } => cx.error_spanned_by(
            lit,
            format!("write the expression without braces: `{SHORTCODE} = \"{inner}\"`"),
        ),
        Source::Shortcode {
            lit,
            expr: Err(ShortcodeError::Parse(err)),
        } => cx.error_spanned_by(
            lit,
            format!(
                "invalid shortcode: {}\n{}",
                err.message,
                caret(&lit.value(), err.offset)
            ),
        ),
        Source::Format { lit, parsed } => match parsed {
            Ok(ClaimString::Interpolated(_)) => {}
            Ok(ClaimString::Static(text)) => cx.error_spanned_by(
                lit,
                format!(
                    "`{FORMAT}` without any `{{{{…}}}}` is a static string: write `{VALUE} = {text:?}`"
                ),
            ),
            Ok(ClaimString::Whole(expr)) => cx.error_spanned_by(
                lit,
                format!(
                    "a `{FORMAT}` that is exactly one `{{{{…}}}}` is not interpolation: Clerk substitutes the \
                     expression's own JSON type; write `{SHORTCODE} = \"{expr}\"`"
                ),
            ),
            Err(err) => cx.error_spanned_by(
                lit,
                format!(
                    "invalid format string: {}\n{}",
                    err.message,
                    caret(&lit.value(), err.offset)
                ),
            ),
        },
        Source::Value(ValueLit::Str(l), _) if l.value().contains("{{") => cx.error_spanned_by(
            l,
            format!(
                "a `{VALUE}` is a static claim, but this one contains `{{{{`, which Clerk would substitute: \
                 use `{SHORTCODE} = \"…\"` or `{FORMAT} = \"…\"`"
            ),
        ),
        Source::Json(lit, Err(err)) => {
            cx.error_spanned_by(lit, format!("invalid JSON in `{JSON}`: {err}"));
        }
        Source::Json(lit, Ok(text)) => {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
                check_json_strings(cx, lit, &value);
            }
        }
        _ => {}
    }
}

/// Strings inside a `json` literal are substituted by Clerk too: each must parse.
fn check_json_strings(cx: &Ctxt, lit: &LitStr, value: &serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let Err(err) = parse_claim_string(s) {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "invalid template string {s:?} inside `{JSON}`: {}",
                        err.message
                    ),
                );
            }
        }
        serde_json::Value::Object(map) => map.values().for_each(|v| check_json_strings(cx, lit, v)),
        // Clerk substitutes the strings directly inside an array, not inside objects in it.
        serde_json::Value::Array(items) => items
            .iter()
            .filter(|v| v.is_string())
            .for_each(|v| check_json_strings(cx, lit, v)),
        _ => {}
    }
}

/// The expression with a `^` under the offending character: a literal's span cannot point inside
/// the string on stable Rust (`Literal::subspan` is nightly-only), so the message does.
fn caret(text: &str, offset: usize) -> String {
    let column = text.char_indices().take_while(|(i, _)| *i < offset).count();
    format!("  {text}\n  {}^", " ".repeat(column))
}

fn check_container(cx: &Ctxt, s: &Struct) {
    let a = &s.attrs;
    let settings: [(Symbol, _); 5] = [
        (LIFETIME, a.lifetime.as_ref().map(Spanned::span)),
        (MARKER, a.marker.as_ref().map(Spanned::span)),
        (EXACT_LIFETIME, a.exact_lifetime),
        (
            ALLOWED_CLOCK_SKEW,
            a.allowed_clock_skew.as_ref().map(Spanned::span),
        ),
        (
            SIGNING_ALGORITHM,
            a.signing_algorithm.as_ref().map(Spanned::span),
        ),
    ];
    // Template settings on a struct that is not a template: where they belong instead.
    let misplaced: Option<fn(Symbol) -> String> = match &s.kind {
        Some(Kind::Object) => Some(|name| {
            format!(
                "`{name}` is a template setting, but an #[clerk(object)] is only part of a template: set it on the struct that nests this one"
            )
        }),
        Some(Kind::SessionToken) => Some(|name| {
            format!(
                "`{name}` is a JWT template setting; the session token has none (its lifetime is set under Sessions in the dashboard): remove it, or use `template = \"name\"`"
            )
        }),
        _ => None,
    };
    if let Some(message) = misplaced {
        for (name, span) in settings {
            if let Some(span) = span {
                cx.error_at(span, message(name));
            }
        }
    }
    if let Some(Kind::Template(lit)) = &s.kind
        && let Err(v) = rules::check_name(&lit.value())
    {
        cx.error_spanned_by(
            lit,
            format!(
                "template name {:?} is not allowed by Clerk: {}",
                lit.value(),
                v.message
            ),
        );
    }
    check_seconds(
        cx,
        a.lifetime.as_ref(),
        rules::check_lifetime,
        rules::DEFAULT_LIFETIME,
    );
    check_seconds(
        cx,
        a.allowed_clock_skew.as_ref(),
        rules::check_allowed_clock_skew,
        rules::DEFAULT_ALLOWED_CLOCK_SKEW,
    );
    if let Some(lit) = &a.signing_algorithm
        && let Err(v) = rules::check_signing_algorithm(&lit.value())
    {
        cx.error_spanned_by(lit, v.message);
    }
}

/// A template setting in seconds (`lifetime`, `allowed_clock_skew`) within Clerk's range.
fn check_seconds(
    cx: &Ctxt,
    lit: Option<&syn::LitInt>,
    check: fn(u64) -> Result<(), rules::RuleViolation>,
    default: u64,
) {
    let Some(lit) = lit else { return };
    match lit.base10_parse::<u64>() {
        Ok(n) => {
            if let Err(v) = check(n) {
                cx.error_spanned_by(lit, format!("{}; Clerk's default is {default}", v.message));
            }
        }
        Err(err) => cx.syn_error(err),
    }
}

fn check_fields(cx: &Ctxt, s: &Struct) {
    let top_level = !matches!(s.kind, Some(Kind::Object));
    let session = matches!(s.kind, Some(Kind::SessionToken));
    let mut names: HashMap<&str, &syn::Ident> = HashMap::new();
    let mut role: Option<&syn::Ident> = None;
    let mut permissions: Option<&syn::Ident> = None;
    for f in s.claims() {
        let claim_span = f
            .attrs
            .rename
            .as_ref()
            .map_or_else(|| f.ident.span(), Spanned::span);
        if let Some(first) = names.get(f.claim.as_str()) {
            cx.error_at(
                claim_span,
                format!(
                    "fields `{first}` and `{}` both map to the claim `{}`: rename one (#[clerk(rename = \"…\")])",
                    f.ident, f.claim
                ),
            );
        } else {
            names.insert(&f.claim, f.ident);
        }
        if f.claim.is_empty() {
            cx.error_at(
                claim_span,
                "the claim name is empty: give it a name with #[clerk(rename = \"…\")]",
            );
        }
        if top_level {
            let default_claim =
                rules::RESERVED_CLAIMS.contains(&f.claim.as_str()) || f.claim == "jti";
            if default_claim {
                cx.error_at(
                    claim_span,
                    format!(
                        "`{}` is a reserved claim: Clerk sets iat, nbf, exp, iss, sub, azp and jti itself \
                         (read them from `Verified<C>`); rename the claim",
                        f.claim
                    ),
                );
            } else if session && SESSION_DEFAULT_CLAIMS.contains(&f.claim.as_str()) {
                cx.error_at(
                    claim_span,
                    format!(
                        "`{}` is a default session token claim, which custom session claims cannot override \
                         (read it from `SessionClaims`); rename the claim",
                        f.claim
                    ),
                );
            }
            if f.claim == "aud" {
                check_aud(cx, &f.source);
            }
            if f.claim == rules::MARKER_CLAIM && s.has_marker() {
                cx.error_at(
                    claim_span,
                    format!(
                        "`{}` is the marker claim that names this template in its tokens (verification \
                         checks it): rename the claim (#[clerk({RENAME} = \"…\")]), or opt out of the marker \
                         with #[clerk({MARKER} = false)]",
                        f.claim
                    ),
                );
            }
        }
        match f.marker {
            Marker::Role(span) => {
                check_marker_source(cx, &f.source, span, ROLE);
                if let Some(first) = role {
                    cx.error_at(span, format!("two role fields (`{first}` and `{}`): `require_role` reads one; keep one `role` marker", f.ident));
                }
                role = Some(f.ident);
            }
            Marker::Permissions(span) => {
                check_marker_source(cx, &f.source, span, PERMISSIONS);
                if let Some(first) = permissions {
                    cx.error_at(span, format!("two permissions fields (`{first}` and `{}`): `require_permission` reads one; keep one `permissions` marker", f.ident));
                }
                permissions = Some(f.ident);
            }
            Marker::None => {}
        }
    }
    for f in &s.fields {
        if let (Source::Skip(_), Some(span)) = (&f.source, f.attrs.role.or(f.attrs.permissions)) {
            cx.error_at(
                span,
                "a `skip` field is not in the token, so it cannot be the role or permissions field",
            );
        }
    }
}

fn check_aud(cx: &Ctxt, source: &Source) {
    let is_clerk = |text: &str| text.trim().eq_ignore_ascii_case("clerk");
    match source {
        Source::Value(ValueLit::Str(lit), _) if is_clerk(&lit.value()) => {
            cx.error_spanned_by(
                lit,
                "Clerk rejects a template whose `aud` is `clerk` (it is reserved for Clerk's own tokens): use your API's identifier, e.g. `https://api.example.com`",
            );
        }
        Source::Json(lit, Ok(text))
            if serde_json::from_str::<String>(text).is_ok_and(|s| is_clerk(&s)) =>
        {
            cx.error_spanned_by(
                lit,
                "Clerk rejects a template whose `aud` is `clerk`: use your API's identifier",
            );
        }
        _ => {}
    }
}

fn check_marker_source(cx: &Ctxt, source: &Source, span: proc_macro2::Span, marker: Symbol) {
    match source {
        Source::Shortcode { .. }
        | Source::Missing
        | Source::Several(_)
        | Source::Unreadable
        | Source::Skip(_) => {}
        _ => cx.error_at(
            span,
            format!("the `{marker}` marker needs a `{SHORTCODE}` field: the {marker} is read from the token, e.g. `{SHORTCODE} = \"{}\"`",
                if marker == ROLE { "org.role" } else { "org_membership.permissions" }),
        ),
    }
}

/// Checks the size of the template's own claims JSON (nested objects are added by a const
/// assertion in the expansion, since their claims are only known to their own derive).
pub fn check_size(cx: &Ctxt, s: &Struct, own_len: usize) {
    if let Some(Kind::Template(lit)) = &s.kind
        && own_len > rules::MAX_CLAIMS_BYTES
    {
        cx.error_spanned_by(
            lit,
            format!(
                "the claims JSON of template `{}` is {own_len} bytes, but Clerk accepts at most {} bytes: \
                 move large values out (e.g. into metadata), or shorten claim names",
                lit.value(),
                rules::MAX_CLAIMS_BYTES
            ),
        );
    }
}
