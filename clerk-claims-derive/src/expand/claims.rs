//! `#[derive(ClerkClaims)]`: the `ClerkClaims` / `ClerkObject` impl, serde impls with drift
//! diagnostics, the JSON Schema, the compile-time type checks and the RBAC methods.

use clerk_claims_lang::rules::MARKER_CLAIM;
use clerk_claims_lang::{ClaimString, Expr, JsonType, Literal, Nullability, Operand};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::rbac::{self, Family};
use super::{private, wrap};
use crate::ast::{Field, Kind, Marker, Source, Struct};
use crate::attr::ValueLit;

/// What one claim contributes to the expansion.
struct Claim<'s, 'a> {
    field: &'s Field<'a>,
    /// The template value as typed in the dashboard (`{{org.role}}`, a format string, JSON).
    expression: String,
    /// The claim's template value as JSON text; `None` for `nested`.
    json: Option<String>,
    nullable: bool,
}

fn claim<'s, 'a>(field: &'s Field<'a>) -> Claim<'s, 'a> {
    let (expression, json, nullable) = match &field.source {
        Source::Shortcode { expr: Ok(expr), .. } => {
            let text = format!("{{{{{expr}}}}}");
            (text.clone(), Some(json_string(&text)), expr.can_be_null())
        }
        Source::Shortcode { lit, expr: Err(_) } => {
            let text = format!("{{{{{}}}}}", lit.value());
            (text.clone(), Some(json_string(&text)), true)
        }
        Source::Format { lit, .. } => (lit.value(), Some(json_string(&lit.value())), false),
        Source::Value(_, json) => (json.clone(), Some(json.clone()), false),
        Source::Json(_, Ok(json)) => (json.clone(), Some(json.clone()), json == "null"),
        Source::Json(_, Err(_))
        | Source::Missing
        | Source::Several(_)
        | Source::Unreadable
        | Source::Skip(_) => ("null".into(), Some("null".into()), true),
        Source::Nested(_) => {
            let ty = &field.ty;
            (
                format!(
                    "{{…}} (the object `{}`)",
                    quote!(#ty).to_string().replace(' ', "")
                ),
                None,
                false,
            )
        }
    };
    Claim {
        field,
        expression,
        json,
        nullable,
    }
}

fn nested_span(field: &Field) -> proc_macro2::Span {
    match field.source {
        Source::Nested(span) => span,
        _ => field.ident.span(),
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// The byte length of the type's own claims JSON, nested objects counted as `{}`.
pub fn own_claims_len(s: &Struct) -> usize {
    let mut map = serde_json::Map::new();
    for f in s.claims() {
        let c = claim(f);
        let value = match &c.json {
            Some(json) => serde_json::from_str(json).unwrap_or(serde_json::Value::Null),
            None => serde_json::Value::Object(serde_json::Map::new()),
        };
        map.insert(f.claim.clone(), value);
    }
    if let Some(name) = s.marker_name() {
        map.insert(MARKER_CLAIM.to_owned(), serde_json::Value::String(name));
    }
    serde_json::Value::Object(map).to_string().len()
}

/// Expands `#[derive(ClerkClaims)]`. With `checks == false` (after an error), the type checks
/// are left out so the error already reported stays the only one.
pub fn expand(s: &Struct, checks: bool) -> TokenStream {
    let ident = s.ident;
    let krate = private(&s.krate);
    let claims: Vec<Claim> = s.claims().map(claim).collect();
    // The marker claim (`"jwt_template": "api"`) comes after the fields: in the template, the
    // claim list and the serialized claims, not in decoding (the verifier checks it).
    let marker = s.marker_name().map(|name| {
        let json = json_string(&name);
        (name, json)
    });
    let n = proc_macro2::Literal::usize_unsuffixed(claims.len() + usize::from(marker.is_some()));
    let marker_idx = proc_macro2::Literal::usize_unsuffixed(claims.len());
    let claim_names: Vec<&str> = claims.iter().map(|c| c.field.claim.as_str()).collect();
    let claim_idx: Vec<proc_macro2::Literal> = (0..claims.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let place = match &s.kind {
        Some(Kind::Template(lit)) => {
            let t = lit.value();
            quote!(__p::Place::Template(#t))
        }
        Some(Kind::SessionToken) => quote!(__p::Place::SessionToken),
        _ => quote!(__p::Place::Object),
    };

    let mut infos: Vec<TokenStream> = claims
        .iter()
        .map(|c| {
            let claim = &c.field.claim;
            let expression = &c.expression;
            let nullable = c.nullable;
            quote!(__p::ClaimInfo { claim: #claim, expression: #expression, nullable: #nullable })
        })
        .collect();
    if let Some((_, json)) = &marker {
        infos.push(
            quote!(__p::ClaimInfo { claim: #MARKER_CLAIM, expression: #json, nullable: false }),
        );
    }
    let has_nested = claims.iter().any(|c| c.json.is_none());
    let claim_info_body = if has_nested {
        let entries = claims.iter().enumerate().map(|(i, c)| {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            let ty = c.field.ty;
            if c.json.is_none() {
                let span = nested_span(c.field);
                quote_spanned!(span=> __p::InfoEntry::Nested(&__CLAIMS[#i], __p::nested_info::<#ty>))
            } else {
                quote!(__p::InfoEntry::Own(&__CLAIMS[#i]))
            }
        });
        let marker_entry = marker
            .as_ref()
            .map(|_| quote!(__p::InfoEntry::Own(&__CLAIMS[#marker_idx])));
        let entries = entries.chain(marker_entry);
        quote! {
            static __INFO: __p::std::sync::OnceLock<__p::std::vec::Vec<__p::ClaimInfo>> = __p::std::sync::OnceLock::new();
            __p::claim_info(&__INFO, &[#(#entries),*])
        }
    } else {
        quote!(&__CLAIMS)
    };
    let template_entries = claims.iter().map(|c| {
        let claim = &c.field.claim;
        let ty = c.field.ty;
        match &c.json {
            Some(json) => quote!((#claim, __p::TemplateValue::Json(#json))),
            None => {
                let span = nested_span(c.field);
                quote_spanned!(span=> (#claim, __p::TemplateValue::Nested(__p::nested_claims::<#ty>)))
            }
        }
    });
    let marker_entry = marker
        .as_ref()
        .map(|(_, json)| quote!((#MARKER_CLAIM, __p::TemplateValue::Json(#json))));
    let template_entries = template_entries.chain(marker_entry);
    let claims_object = quote!(__p::claims_object(&[#(#template_entries),*]));

    let own_len = proc_macro2::Literal::usize_unsuffixed(own_claims_len(s));
    let nested_tys: Vec<&syn::Type> = claims
        .iter()
        .filter(|c| c.json.is_none())
        .map(|c| c.field.ty)
        .collect();
    let nested_count = proc_macro2::Literal::usize_unsuffixed(nested_tys.len());
    let claims_len =
        quote!(#own_len - 2 * #nested_count #(+ <#nested_tys as __p::ClerkObject>::CLAIMS_LEN)*);
    // The free-standing size check has no where clause to lean on: it reads the nested lengths
    // through a probe that stays quiet when a type is not an object (its own assertion says so).
    let probed_claims_len =
        quote!(#own_len - 2 * #nested_count #(+ <__p::ObjectLen<#nested_tys>>::CLAIMS_LEN)*);
    // `Self: Serialize + DeserializeOwned` (the supertraits) and every nested type's
    // `ClerkObject`, as where clauses: a field type that is wrong makes these impls conditional
    // instead of failing in every generated body, and its explicit assertion below is the one
    // error. A bound that names no generic parameter would be checked right here (a "trivial
    // bound", rust-lang/rust#48214); the `for<'__a>` binder is what defers it.
    let main_bounds = quote! {
        where
            for<'__de> #ident: __p::serde::Deserialize<'__de>,
            for<'__a> #ident: __p::serde::Serialize,
            #(for<'__a> #nested_tys: __p::ClerkObject,)*
    };

    let main_impl = match &s.kind {
        Some(Kind::Object) => quote! {
            #[automatically_derived]
            impl __p::ClerkObject for #ident #main_bounds {
                const CLAIMS_LEN: usize = #claims_len;

                fn template_claims() -> __p::serde_json::Value {
                    #claims_object
                }

                fn claim_info() -> &'static [__p::ClaimInfo] {
                    #claim_info_body
                }
            }
        },
        kind => {
            let (template_name, session) = match kind {
                Some(Kind::Template(lit)) => (lit.value(), false),
                _ => (String::new(), true),
            };
            let template_const = if session {
                quote!(__p::None)
            } else {
                quote!(__p::Some(#template_name))
            };
            let lifetime = int_or(&s.attrs.lifetime, 60);
            let has_marker = marker.is_some();
            let exact_lifetime = if s.attrs.exact_lifetime.is_some() && !session {
                quote!(__p::Some(#lifetime))
            } else {
                quote!(__p::None)
            };
            let skew = int_or(&s.attrs.allowed_clock_skew, 5);
            let alg = match &s.attrs.signing_algorithm {
                Some(lit) => {
                    let v = lit.value();
                    quote!(__p::Some(#v))
                }
                None => quote!(__p::None),
            };
            let size_check = if has_nested && checks && !session {
                quote! {
                    const _: () = {
                        #[allow(unused_imports)]
                        use __p::ObjectLenFallback as _;
                        __p::check_claims_len(#probed_claims_len)
                    };
                }
            } else {
                quote!()
            };
            let grants_method = grants_method(s);
            quote! {
                #size_check

                #[automatically_derived]
                impl __p::ClerkClaims for #ident #main_bounds {
                    const TEMPLATE_NAME: __p::Option<&'static str> = #template_const;
                    const TEMPLATE_MARKER: bool = #has_marker;
                    const EXACT_LIFETIME: __p::Option<u32> = #exact_lifetime;

                    fn jwt_template() -> __p::JwtTemplate {
                        __p::jwt_template(#template_name, #session, #lifetime, #skew, #alg, #claims_object)
                    }

                    fn claim_info() -> &'static [__p::ClaimInfo] {
                        #claim_info_body
                    }

                    #grants_method
                }
            }
        }
    };

    let de = deserialize(s, &claims);
    let ser = serialize(s, &claims);
    let schema = schema(s, &claims);
    let type_checks = if checks {
        claims
            .iter()
            .flat_map(|c| [type_check(c), field_assertion(c), declared_keys_check(c)])
            .collect()
    } else {
        TokenStream::new()
    };
    let rbac = rbac(s);

    wrap(quote! {
        #krate

        static __CLAIMS: [__p::ClaimInfo; #n] = [#(#infos),*];
        #[inline]
        fn __key(__name: &str) -> __p::Option<usize> {
            match __name {
                #(#claim_names => __p::Some(#claim_idx),)*
                _ => __p::None,
            }
        }
        const __PLACE: __p::Place = #place;

        #main_impl
        #de
        #ser
        #schema
        #type_checks
        #rbac
    })
}

fn int_or(lit: &Option<syn::LitInt>, default: u32) -> u32 {
    lit.as_ref()
        .and_then(|l| l.base10_parse::<u32>().ok())
        .unwrap_or(default)
}

fn deserialize(s: &Struct, claims: &[Claim]) -> TokenStream {
    let ident = s.ident;
    let name = ident.to_string();
    let vars: Vec<_> = (0..claims.len())
        .map(|i| format_ident!("__f{}", i))
        .collect();
    let tys: Vec<&syn::Type> = claims.iter().map(|c| c.field.ty).collect();
    let idx: Vec<proc_macro2::Literal> = (0..claims.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let claim_fields: Vec<&syn::Ident> = claims.iter().map(|c| c.field.ident).collect();
    let skipped = s
        .fields
        .iter()
        .filter(|f| matches!(f.source, Source::Skip(_)))
        .map(|f| {
            let ident = f.ident;
            let span = match f.source {
                Source::Skip(span) => span,
                _ => f.ident.span(),
            };
            quote_spanned!(span=> #ident: __p::Default::default())
        });
    // serde_derive's layout: the field types' bounds in the where clauses (the visitor's too: a
    // nested impl does not inherit them), so a wrong field type fails once, at its assertion.
    let bound_tys = unique_types(claims);
    let bounds = quote!(where #(#bound_tys: __p::serde::Deserialize<'__de>,)*);
    quote! {
        #[automatically_derived]
        impl<'__de> __p::serde::Deserialize<'__de> for #ident #bounds {
            fn deserialize<__D: __p::serde::Deserializer<'__de>>(__deserializer: __D) -> __p::Result<Self, __D::Error> {
                struct __Visitor;

                impl<'__de> __p::serde::de::Visitor<'__de> for __Visitor #bounds {
                    type Value = #ident;

                    fn expecting(&self, __formatter: &mut __p::core::fmt::Formatter<'_>) -> __p::core::fmt::Result {
                        __p::expecting_claims(__formatter, #name)
                    }

                    #[inline]
                    fn visit_map<__A: __p::serde::de::MapAccess<'__de>>(self, mut __map: __A) -> __p::Result<#ident, __A::Error> {
                        #(let mut #vars: __p::Option<#tys> = __p::None;)*
                        while let __p::Some(__claim) = __map.next_key_seed(__p::ClaimKeys(__key))? {
                            match __claim {
                                #(__p::Some(#idx) => __p::next_claim(&mut __map, &mut #vars, &__CLAIMS[#idx], __PLACE)?,)*
                                _ => __p::skip_claim(&mut __map)?,
                            }
                        }
                        __p::Ok(#ident {
                            #(#claim_fields: __p::take_claim(#vars, &__CLAIMS[#idx], __PLACE)?,)*
                            #(#skipped,)*
                        })
                    }
                }

                __deserializer.deserialize_map(__Visitor)
            }
        }
    }
}

/// The claims' field types, each once, for where clauses.
fn unique_types<'a>(claims: &[Claim<'_, 'a>]) -> Vec<&'a syn::Type> {
    let mut seen = std::collections::HashSet::new();
    claims
        .iter()
        .map(|c| c.field.ty)
        .filter(|ty| seen.insert(quote!(#ty).to_string()))
        .collect()
}

fn serialize(s: &Struct, claims: &[Claim]) -> TokenStream {
    let ident = s.ident;
    let marker = s
        .marker_name()
        .map(|name| quote!(__map.serialize_entry(#MARKER_CLAIM, #name)?;));
    let n = proc_macro2::Literal::usize_unsuffixed(claims.len() + usize::from(marker.is_some()));
    let names = claims.iter().map(|c| c.field.claim.as_str());
    let fields = claims.iter().map(|c| c.field.ident);
    // As in `deserialize`; `for<'__a>` keeps a bound without generic parameters from being
    // checked at the impl (see `main_bounds` in `expand`).
    let bound_tys = unique_types(claims);
    quote! {
        #[automatically_derived]
        impl __p::serde::Serialize for #ident where #(for<'__a> #bound_tys: __p::serde::Serialize,)* {
            fn serialize<__S: __p::serde::Serializer>(&self, __serializer: __S) -> __p::Result<__S::Ok, __S::Error> {
                use __p::serde::ser::SerializeMap as _;
                let mut __map = __serializer.serialize_map(__p::Some(#n))?;
                #(__map.serialize_entry(#names, &self.#fields)?;)*
                #marker
                __map.end()
            }
        }
    }
}

fn schema(s: &Struct, claims: &[Claim]) -> TokenStream {
    let ident = s.ident;
    let name = ident.to_string();
    let description = match &s.kind {
        Some(Kind::Template(lit)) => format!(
            "The custom claims of the Clerk JWT template `{}`.",
            lit.value()
        ),
        Some(Kind::SessionToken) => "The custom claims of the Clerk session token.".to_owned(),
        _ => format!("A claims object nested in a Clerk JWT template (`{name}`)."),
    };
    let names: Vec<&str> = claims.iter().map(|c| c.field.claim.as_str()).collect();
    let tys = claims.iter().map(|c| c.field.ty);
    let (marker_property, marker_name) = match s.marker_name() {
        Some(name) => (
            quote!((#MARKER_CLAIM, __p::marker_schema(#name)),),
            quote!(#MARKER_CLAIM,),
        ),
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote! {
        __p::if_schemars! {
            #[automatically_derived]
            impl __p::schemars::JsonSchema for #ident {
                fn schema_name() -> __p::std::borrow::Cow<'static, str> {
                    __p::std::borrow::Cow::Borrowed(#name)
                }

                fn json_schema(__generator: &mut __p::schemars::SchemaGenerator) -> __p::schemars::Schema {
                    use __p::{SchemaViaAny as _, SchemaViaJsonSchema as _};
                    __p::object_schema(
                        #name,
                        __p::Some(#description),
                        __p::std::vec![#((#names, (&__p::SchemaProbe::<#tys>(__p::core::marker::PhantomData)).claim_schema(__generator)),)* #marker_property],
                        &[#(#names,)* #marker_name],
                    )
                }
            }
        }
    }
}

/// One compile-time check of a field's type, through a local trait whose
/// `on_unimplemented` message names the claim's expression.
fn type_check(c: &Claim) -> TokenStream {
    let f = c.field;
    let ty = f.ty;
    let (span, bounds, message, label, note) = match &f.source {
        Source::Shortcode {
            lit,
            expr: Ok(expr),
        } => {
            let (bounds, message, label, note) = shortcode_check(c, expr);
            if bounds.is_empty() {
                return TokenStream::new();
            }
            (lit.span(), bounds, message, label, note)
        }
        Source::Format {
            lit,
            parsed: Ok(ClaimString::Interpolated(_)),
        } => (
            lit.span(),
            vec![quote!(__p::AcceptsString)],
            format!(
                "`{{Self}}` cannot hold the `format` claim `{}`, which is always a JSON string",
                c.expression
            ),
            "expected a string type, e.g. `String`".to_owned(),
            "Clerk interpolates every `{{…}}` into text (null prints as `null`)".to_owned(),
        ),
        Source::Value(lit, _) => {
            let (bound, what, example) = match lit {
                ValueLit::Str(_) => (quote!(__p::AcceptsString), "a JSON string", "String"),
                ValueLit::Int(..) | ValueLit::Float(..) => {
                    (quote!(__p::AcceptsNumber), "a JSON number", "i64")
                }
                ValueLit::Bool(_) => (quote!(__p::AcceptsBool), "a JSON boolean", "bool"),
            };
            (
                lit.span(),
                vec![bound],
                format!(
                    "`{{Self}}` cannot hold the static claim `{}`, which is {what}",
                    c.expression
                ),
                format!("expected a type that holds {what}, e.g. `{example}`"),
                "a `value` claim is copied into every token as written".to_owned(),
            )
        }
        _ => return TokenStream::new(),
    };
    let message = escape(&message);
    let label = escape(&label);
    let note = escape(&note);
    quote_spanned! {span=>
        const _: fn() = || {
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            trait __ClaimFits {}
            impl<__T: ?Sized #(+ #bounds)*> __ClaimFits for __T {}
            fn __assert_claim_fits<__T: ?Sized + __ClaimFits>() {}
            __assert_claim_fits::<#ty>();
        };
    }
}

/// The bounds and wording of a shortcode claim's type check. Every alternative of a `||` chain
/// that can become the value (literals included) must fit the field: one bound per JSON type
/// among them, plus `AcceptsNull` when the result can be null. All go into one check, so a
/// misfit is one error whose message names the alternatives and their types.
fn shortcode_check(c: &Claim, expr: &Expr) -> (Vec<TokenStream>, String, String, String) {
    let f = c.field;
    let null = expr.can_be_null();
    // The JSON types among the alternatives, each with the alternatives of that type. A marked
    // field's own type is checked by its `RoleFieldType` / `PermissionFieldType` assertion:
    // here only literals of another JSON type than its keys count (`org.role || 5`).
    let own_type = match f.marker {
        Marker::Role(_) => Some(JsonType::String),
        Marker::Permissions(_) => Some(JsonType::StringArray),
        Marker::None => None,
    };
    let mut groups: Vec<(JsonType, Vec<String>)> = Vec::new();
    for op in expr.alternatives() {
        let Some(ty) = op.json_type().filter(|t| type_bound(*t, false).is_some()) else {
            continue;
        };
        if own_type.is_some() && (Some(ty) == own_type || !matches!(op, Operand::Literal(_))) {
            continue;
        }
        let text = format!("`{op}`");
        match groups.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, texts)) => texts.push(text),
            None => groups.push((ty, vec![text])),
        }
    }
    // Always one bound, so a misfit is one error: the JSON type (or its nullable form) of the
    // alternatives, `AcceptsAny` for several types (every such type holds null too), or only
    // `AcceptsNull`.
    let bounds: Vec<TokenStream> = match (groups.as_slice(), null) {
        ([], false) => Vec::new(),
        ([], true) => vec![quote!(__p::AcceptsNull)],
        ([(t, _)], false) => type_bound(*t, false).into_iter().collect(),
        ([(t, _)], true) => type_bound(*t, true).into_iter().collect(),
        _ => vec![quote!(__p::AcceptsAny)],
    };
    let json_type = expr.json_type();
    let null_reason = null_reason(expr).filter(|_| null);
    // The fallback's type: that of the one typed alternative (the type the label suggests),
    // else the expression's.
    let fallback_type = match groups.as_slice() {
        [(t, _)] => *t,
        _ => json_type,
    };
    let null_note = || {
        format!(
            "or end the expression with a literal fallback so it is never null: `shortcode = \"{expr} || {}\"`",
            if matches!(f.marker, Marker::Role(_)) {
                "'org:member'"
            } else {
                fallback(fallback_type, f.ty)
            }
        )
    };
    let or_null = if null { " or null" } else { "" };
    if groups.is_empty() || type_bound(json_type, false).is_some() {
        // One JSON type for the whole expression: the message names the expression.
        let what = describe(json_type, f.marker);
        let message = match null_reason {
            Some(reason) => format!(
                "`{{Self}}` cannot hold `{}`, which is {what}, or null {reason}",
                c.expression
            ),
            None => format!("`{{Self}}` cannot hold `{}`, which is {what}", c.expression),
        };
        let example = example_type(json_type, f.marker, f.ty, null);
        let label = if json_type == JsonType::Any && null && scalar_literal(f.ty).is_some() {
            // The field's own scalar type is what the metadata key is meant to hold.
            format!("expected a type that also holds null, e.g. `{example}`")
        } else {
            format!("expected a type that holds {what}{or_null}, e.g. `{example}`")
        };
        let note = if null {
            null_note()
        } else {
            "type aliases are fine: the check goes through trait bounds".to_owned()
        };
        return (bounds, message, label, note);
    }
    // Alternatives of different types (or of known types beside metadata, which can be
    // anything): the message names each typed alternative.
    let mut parts: Vec<String> = groups
        .iter()
        .map(|(t, texts)| format!("{} ({})", texts.join(", "), describe(*t, Marker::None)))
        .collect();
    if let Some(reason) = null_reason {
        parts.push(format!("null ({reason})"));
    }
    let message = format!(
        "`{{Self}}` cannot hold {}: every alternative of `{}` can be the claim's value",
        parts.join(" and "),
        c.expression
    );
    let whats: Vec<&str> = groups
        .iter()
        .map(|(t, _)| describe(*t, Marker::None))
        .collect();
    let example = match groups.as_slice() {
        [(t, _)] => example_type(*t, Marker::None, f.ty, null),
        _ => "serde_json::Value".to_owned(),
    };
    let label = match f.marker {
        Marker::Role(_) => {
            "the role field holds role keys: fall back to a declared role, e.g. `|| 'org:member'`"
                .to_owned()
        }
        Marker::Permissions(_) => "the permissions field holds an array of permission keys: \
             no literal fits; leave the fallback out (null is the empty set)"
            .to_owned(),
        Marker::None => format!(
            "expected a type that holds {}{or_null}, e.g. `{example}`",
            whats.join(" and ")
        ),
    };
    let note = match f.marker {
        _ if null => null_note(),
        Marker::Role(_) | Marker::Permissions(_) => {
            "a `||` chain gives the first alternative that is set, so each one must fit the field"
                .to_owned()
        }
        Marker::None => {
            "a `||` chain gives the first alternative that is set, so the field's type must hold each one: \
             write a fallback of the field's type (`|| ''`, `|| 0`, `|| false`), or use `serde_json::Value`"
                .to_owned()
        }
    };
    (bounds, message, label, note)
}

/// A role field's string literal fallbacks must be roles its enum declares: a token without
/// the role (no active organization, say) would otherwise fail to decode. One const check per
/// literal, quiet when the field's type is not a derived enum (its own assertion says so).
fn declared_keys_check(c: &Claim) -> TokenStream {
    let f = c.field;
    let (Marker::Role(_), Source::Shortcode { expr: Ok(expr), .. }) = (f.marker, &f.source) else {
        return TokenStream::new();
    };
    let ty = f.ty;
    let ty_text = quote!(#ty).to_string().replace(' ', "");
    expr.alternatives()
        .filter_map(|op| match op {
            Operand::Literal(Literal::Str(key)) => Some((op, key)),
            _ => None,
        })
        .map(|(op, key)| {
            let message = format!(
                "`{op}` in `{}` is not a role `{ty_text}` declares, so a token that falls back to it \
                 would not decode: declare it, or fall back to a declared role",
                c.expression
            );
            let span = match &f.source {
                Source::Shortcode { lit, .. } => lit.span(),
                _ => f.ident.span(),
            };
            quote_spanned! {span=>
                const _: () = {
                    #[allow(unused_imports)]
                    use __p::DeclaredFallback as _;
                    if !__p::key_declared(<__p::Declared<#ty>>::KEYS, #key) {
                        __p::core::panic!("{}", #message);
                    }
                };
            }
        })
        .collect()
}

/// The one assertion that stands for every trait the generated code needs of a field's type
/// (the impls only carry those bounds in where clauses): `RoleFieldType` / `PermissionFieldType`
/// for a marked field (a derived enum, whose derive gives `RoleField` / `PermissionField` and
/// serde, or reports its own missing derives), `ClerkObject` for a `nested` one (which implies
/// serde through its supertraits), serde itself for any other field. A trait's own
/// `on_unimplemented` words it.
fn field_assertion(c: &Claim) -> TokenStream {
    let f = c.field;
    let ty = f.ty;
    // A bound on a function, not a path to a trait item: `<T as Trait>::item` would also check
    // the item's own predicates (the supertraits), a second error for the same type.
    let (span, bound) = match (f.marker, &f.source) {
        (Marker::Role(span), _) => (span, quote_spanned!(span=> __p::RoleFieldType)),
        (Marker::Permissions(span), _) => (span, quote_spanned!(span=> __p::PermissionFieldType)),
        (Marker::None, Source::Nested(_)) => {
            let span = syn::spanned::Spanned::span(ty);
            (span, quote_spanned!(span=> __p::ClerkObject))
        }
        (Marker::None, _) => {
            // `Deserialize` here, `Serialize` only once that holds: one error for a type with
            // neither (`ClaimDeserialize`'s message names both). The `use` keeps the macro's
            // own span: spanned on the user's type, the fallback import, unused in the usual
            // case, would be linted there.
            let span = syn::spanned::Spanned::span(ty);
            let checks = quote_spanned! {span=>
                fn __assert_field_type<__T: __p::ClaimDeserialize>() {}
                __assert_field_type::<#ty>();
                __p::check_serialize((&__p::SerializeProbe::<#ty>(__p::core::marker::PhantomData)).serialize_check());
            };
            return quote! {
                const _: fn() = || {
                    #[allow(unused_imports)]
                    use __p::SerializeProbeFallback as _;
                    #checks
                };
            };
        }
    };
    quote_spanned! {span=>
        const _: fn() = || {
            fn __assert_field_type<__T: #bound>() {}
            __assert_field_type::<#ty>();
        };
    }
}

/// Escapes `{`/`}` for `on_unimplemented`, keeping the `{Self}` placeholder.
fn escape(text: &str) -> String {
    text.replace('{', "{{")
        .replace('}', "}}")
        .replace("{{Self}}", "{Self}")
}

/// The `__private` trait a claim of JSON type `ty` needs of its field's type
/// (`AcceptsString` …), or its nullable form (`AcceptsNullableString` …) for an expression that
/// can also be null; `None` for objects and any-typed values, which only serde checks.
fn type_bound(ty: JsonType, nullable: bool) -> Option<TokenStream> {
    let name = match ty {
        JsonType::String => "String",
        JsonType::Number => "Number",
        JsonType::Bool => "Bool",
        JsonType::StringArray => "StringArray",
        JsonType::Object | JsonType::Any => return None,
    };
    let nullable = if nullable { "Nullable" } else { "" };
    let name = format_ident!("Accepts{nullable}{name}");
    Some(quote!(__p::#name))
}

fn describe(ty: JsonType, marker: Marker) -> &'static str {
    match (marker, ty) {
        (Marker::Role(_), _) => "a role key",
        (Marker::Permissions(_), _) => "an array of permission keys",
        (_, JsonType::String) => "a JSON string",
        (_, JsonType::Number) => "a JSON number",
        (_, JsonType::Bool) => "a JSON boolean",
        (_, JsonType::StringArray) => "an array of strings",
        (_, JsonType::Object) => "a JSON object",
        (_, JsonType::Any) => "any JSON value",
    }
}

fn example_type(ty: JsonType, marker: Marker, field_ty: &syn::Type, null: bool) -> String {
    let base = match (marker, ty) {
        // Any value (a metadata path): the field's own type when it is a scalar, which holds
        // the values the user means to keep there.
        (Marker::None, JsonType::Any) if scalar_literal(field_ty).is_some() => {
            quote!(#field_ty).to_string().replace(' ', "")
        }
        (Marker::Role(_), _) => quote!(#field_ty).to_string().replace(' ', ""),
        (Marker::Permissions(_), _) => "Permissions<Permission>".to_owned(),
        (_, JsonType::String) => "String".to_owned(),
        (_, JsonType::Number) => "i64".to_owned(),
        (_, JsonType::Bool) => "bool".to_owned(),
        (_, JsonType::StringArray) => "Vec<String>".to_owned(),
        (_, JsonType::Object | JsonType::Any) => "serde_json::Value".to_owned(),
    };
    if null && !matches!(marker, Marker::Permissions(_)) {
        format!("Option<{base}>")
    } else {
        base
    }
}

/// A literal fallback of the expression's JSON type; for an expression of any type (a
/// metadata path), one of the field's own type when it is a known scalar (`|| 0` for `u32`).
fn fallback(ty: JsonType, field_ty: &syn::Type) -> &'static str {
    if ty == JsonType::Any
        && let Some(literal) = scalar_literal(field_ty)
    {
        return literal;
    }
    match ty {
        JsonType::Number => "0",
        JsonType::Bool => "false",
        _ => "''",
    }
}

/// A Clerk literal of the field's type, when the type is (syntactically) a number, `bool` or
/// a string: `0`, `false`, `''`.
fn scalar_literal(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if !last.arguments.is_none() {
        return None;
    }
    match last.ident.to_string().as_str() {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "f32" | "f64" => Some("0"),
        "bool" => Some("false"),
        "String" => Some("''"),
        _ => None,
    }
}

fn null_reason(expr: &Expr) -> Option<&'static str> {
    let reason = |n: Nullability| match n {
        Nullability::Never => None,
        Nullability::WhenUnset => Some("when the user has not set it"),
        Nullability::WithoutActiveOrg => Some("when no organization is active"),
        Nullability::WithoutActor => Some("unless the session is an impersonation"),
        Nullability::MissingPath => Some("when the metadata key is missing"),
    };
    match expr.operands.last()? {
        Operand::Shortcode(s) => reason(s.nullability),
        Operand::Path { path, .. } if !path.is_empty() => Some("when the metadata key is missing"),
        Operand::Path { root, .. } => reason(root.nullability()),
        Operand::Literal(Literal::Null) => Some("(the expression ends in the literal `null`)"),
        Operand::Literal(_) => None,
    }
}

/// The inherent RBAC methods and the `HasRole` / `HasPermission` impls route guards use.
///
/// With a role (permissions) field, the methods are generic in the enum and bound in a where
/// clause on the field's type: with a wrong field type they compile quietly (its assertion is
/// the one error), and a call with another enum is a type mismatch at the call. Without one,
/// they are bound by the trait, whose message names the field to add.
/// `ClerkClaims::__check_grants` for a type with a role field and a permissions field: when
/// the role enum names what it grants (`RoleGrants` of the same permission enum), a verified
/// token's permissions the role does not grant in code are logged once per pair; otherwise
/// the probe falls back to doing nothing (autoref specialization, on concrete types).
fn grants_method(s: &Struct) -> TokenStream {
    let role = s.claims().find(|f| matches!(f.marker, Marker::Role(_)));
    let permissions = s
        .claims()
        .find(|f| matches!(f.marker, Marker::Permissions(_)));
    let (Some(role), Some(permissions)) = (role, permissions) else {
        return TokenStream::new();
    };
    let (role, permissions) = (role.ident, permissions.ident);
    quote! {
        fn __check_grants(&self) {
            #[allow(unused_imports)]
            use __p::{GrantsCheck as _, GrantsFallback as _};
            (&__p::GrantsProbe(&self.#role, &self.#permissions)).__check_grants();
        }
    }
}

fn rbac(s: &Struct) -> TokenStream {
    let ident = s.ident;
    let role = s.claims().find(|f| matches!(f.marker, Marker::Role(_)));
    let permissions = s
        .claims()
        .find(|f| matches!(f.marker, Marker::Permissions(_)));
    let mut methods = TokenStream::new();
    let mut impls = TokenStream::new();
    for (family, field) in [(Family::Role, role), (Family::Permission, permissions)] {
        let Some(f) = field else {
            methods.extend(rbac::via_trait(family));
            continue;
        };
        let (Marker::Role(span) | Marker::Permissions(span)) = f.marker else {
            continue;
        };
        let (field, ty, param) = (f.ident, f.ty, family.param());
        // `for<'__a>`: see `main_bounds` in `expand`.
        let field_bound = match family {
            Family::Role => quote_spanned!(span=> for<'__a> #ty: __p::RoleField<Role = #param>),
            Family::Permission => {
                quote_spanned!(span=> for<'__a> #ty: __p::PermissionField<Permission = #param>)
            }
        };
        let enum_trait = match family {
            Family::Role => quote!(__p::ClerkRole),
            Family::Permission => quote!(__p::ClerkPermission),
        };
        methods.extend(rbac::methods(
            family,
            &quote!(where #param: #enum_trait, #field_bound),
        ));
        impls.extend(match family {
            Family::Role => quote! {
                #[automatically_derived]
                impl<#param: __p::ClerkRole> __p::HasRole<#param> for #ident where #field_bound {
                    #[inline]
                    fn has_role(&self, __role: #param) -> bool {
                        __p::field_has_role(&self.#field, __role)
                    }

                    #[inline]
                    fn role_key(&self) -> __p::Option<&str> {
                        __p::field_role_key(&self.#field)
                    }
                }
            },
            Family::Permission => quote! {
                #[automatically_derived]
                impl<#param: __p::ClerkPermission> __p::HasPermission<#param> for #ident where #field_bound {
                    #[inline]
                    fn has_permission(&self, __permission: #param) -> bool {
                        __p::field_has_permission(&self.#field, __permission)
                    }

                    fn permission_keys(&self) -> __p::std::vec::Vec<&str> {
                        __p::field_permission_keys(&self.#field)
                    }
                }
            },
        });
    }
    quote! {
        #[automatically_derived]
        impl #ident {
            #methods
        }

        #impls
    }
}
