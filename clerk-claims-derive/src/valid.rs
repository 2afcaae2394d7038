//! The rules, and nothing else: what Clerk would reject on save, key formats, and the
//! consistency of the attributes. Errors go to the `Ctxt`, spanned on the offending attribute.

use std::collections::HashMap;

use clerk_claims_lang::rules::{self, role_name};
use syn::spanned::Spanned;

use crate::ast::{Enum, EnumKind, Kind, Marker, Source, Struct};
use crate::ctxt::Ctxt;

/// Default claims of a session token that custom session claims cannot override (facts §3).
const SESSION_DEFAULT_CLAIMS: &[&str] = &["sid", "v", "o", "fea", "pla", "fva", "sts", "act"];

/// The most permissions one enum can declare: `Permissions<P>` is a `u128` bitset.
pub const MAX_PERMISSIONS: usize = 128;

/// Checks a role or permission enum.
pub fn check_enum(cx: &Ctxt, e: &Enum) {
    let kind = e.kind;
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
        let Some(lit) = &v.key else { continue };
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

fn check_role_key(cx: &Ctxt, lit: &syn::LitStr, key: &str) {
    let ok = key
        .strip_prefix("org:")
        .is_some_and(|name| !name.is_empty() && !name.contains(':'));
    if !ok {
        let name = key.rsplit(':').next().unwrap_or(key);
        cx.error_spanned_by(
            lit,
            format!(
                "role key `{key}` is not in Clerk's format `org:<role>`: write `org:{name}`, \
                 or mark the enum #[clerk(custom)] for app-defined roles kept in metadata"
            ),
        );
    }
}

fn check_permission_key(cx: &Ctxt, lit: &syn::LitStr, key: &str) {
    let parts: Vec<&str> = key.split(':').collect();
    let ok = matches!(parts.as_slice(), ["org", feature, action] if !feature.is_empty() && !action.is_empty());
    if !ok {
        cx.error_spanned_by(
            lit,
            format!(
                "permission key `{key}` is not in Clerk's format `org:<feature>:<action>` \
                 (e.g. `org:invoices:read`), or mark the enum #[clerk(custom)] for app-defined permissions"
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

/// Checks a claims struct.
pub fn check_struct(cx: &Ctxt, s: &Struct) {
    check_container(cx, s);
    check_fields(cx, s);
}

fn check_container(cx: &Ctxt, s: &Struct) {
    let a = &s.attrs;
    let settings = [
        ("lifetime", a.lifetime.as_ref().map(Spanned::span)),
        (
            "allowed_clock_skew",
            a.allowed_clock_skew.as_ref().map(Spanned::span),
        ),
        (
            "signing_algorithm",
            a.signing_algorithm.as_ref().map(Spanned::span),
        ),
    ];
    match &s.kind {
        Some(Kind::Object) => {
            for (name, span) in settings {
                if let Some(span) = span {
                    cx.error_at(
                        span,
                        format!("`{name}` is a template setting, but an #[clerk(object)] is only part of a template: set it on the struct that nests this one"),
                    );
                }
            }
        }
        Some(Kind::SessionToken) => {
            for (name, span) in settings {
                if let Some(span) = span {
                    cx.error_at(
                        span,
                        format!("`{name}` is a JWT template setting; the session token has none (its lifetime is set under Sessions in the dashboard): remove it, or use `template = \"name\"`"),
                    );
                }
            }
        }
        Some(Kind::Template(lit)) => {
            if let Err(v) = rules::check_name(&lit.value()) {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "template name {:?} is not allowed by Clerk: {}",
                        lit.value(),
                        v.message
                    ),
                );
            }
        }
        None => {}
    }
    if let Some(lit) = &a.lifetime {
        match lit.base10_parse::<u64>() {
            Ok(n) => {
                if let Err(v) = rules::check_lifetime(n) {
                    cx.error_spanned_by(
                        lit,
                        format!(
                            "{}; Clerk's default is {}",
                            v.message,
                            rules::DEFAULT_LIFETIME
                        ),
                    );
                }
            }
            Err(err) => cx.syn_error(err),
        }
    }
    if let Some(lit) = &a.allowed_clock_skew {
        match lit.base10_parse::<u64>() {
            Ok(n) => {
                if let Err(v) = rules::check_allowed_clock_skew(n) {
                    cx.error_spanned_by(
                        lit,
                        format!(
                            "{}; Clerk's default is {}",
                            v.message,
                            rules::DEFAULT_ALLOWED_CLOCK_SKEW
                        ),
                    );
                }
            }
            Err(err) => cx.syn_error(err),
        }
    }
    if let Some(lit) = &a.signing_algorithm
        && let Err(v) = rules::check_signing_algorithm(&lit.value())
    {
        cx.error_spanned_by(lit, v.message);
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
        }
        match f.marker {
            Marker::Role(span) => {
                check_marker_source(cx, &f.source, span, "role");
                if let Some(first) = role {
                    cx.error_at(span, format!("two role fields (`{first}` and `{}`): `require_role` reads one; keep one `role` marker", f.ident));
                }
                role = Some(f.ident);
            }
            Marker::Permissions(span) => {
                check_marker_source(cx, &f.source, span, "permissions");
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
        Source::Value(crate::attr::ValueLit::Str(lit), _) if is_clerk(&lit.value()) => {
            cx.error_spanned_by(
                lit,
                "Clerk rejects a template whose `aud` is `clerk` (it is reserved for Clerk's own tokens): use your API's identifier, e.g. `https://api.example.com`",
            );
        }
        Source::Json(lit, Some(text))
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

fn check_marker_source(cx: &Ctxt, source: &Source, span: proc_macro2::Span, marker: &str) {
    match source {
        Source::Shortcode { .. } | Source::Invalid | Source::Skip(_) => {}
        _ => cx.error_at(
            span,
            format!("the `{marker}` marker needs a `shortcode` field: the {marker} is read from the token, e.g. `shortcode = \"{}\"`",
                if marker == "role" { "org.role" } else { "org_membership.permissions" }),
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
