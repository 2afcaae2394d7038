//! `#[derive(ClerkRole)]`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{private, wrap};
use crate::ast::Enum;

/// The shared part of both enum derives: inherent `ALL`/`key`/`from_key`, `Display`,
/// `FromStr`, serde as the key string, `AcceptsString` and the JSON Schema.
pub fn enum_common(e: &Enum, kind: &str, from_key_body: TokenStream) -> TokenStream {
    let ident = e.ident;
    let name = ident.to_string();
    let variants: Vec<_> = e.variants.iter().map(|v| v.ident).collect();
    let keys: Vec<String> = e
        .variants
        .iter()
        .map(|v| v.key.as_ref().map(syn::LitStr::value).unwrap_or_default())
        .collect();
    let all_doc = format!("Every declared {kind}, in declaration order.");
    let key_doc = format!(
        "The {kind} key as Clerk writes it, e.g. `{}`.",
        keys.first().map_or("org:…", String::as_str)
    );
    let from_doc = if kind == "role" && !e.custom {
        "The role for a key read from a token, or `None` if undeclared. Applies Clerk's `prefixWithOrg`: `admin` and `org:admin` are one role."
    } else {
        "The value for a key read from a token, or `None` if the enum does not declare it."
    };
    let schema_doc = format!("A Clerk {kind} key declared by `{name}`");
    quote! {
        const __KEYS: &[&str] = &[#(#keys),*];

        #[automatically_derived]
        impl #ident {
            #[doc = #all_doc]
            pub const ALL: &'static [Self] = &[#(Self::#variants),*];

            #[doc = #key_doc]
            pub const fn key(self) -> &'static str {
                match self {
                    #(Self::#variants => #keys,)*
                }
            }

            #[doc = #from_doc]
            pub fn from_key(key: &str) -> __p::Option<Self> {
                #from_key_body
            }
        }

        #[automatically_derived]
        impl __p::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut __p::core::fmt::Formatter<'_>) -> __p::core::fmt::Result {
                f.write_str(Self::key(*self))
            }
        }

        #[automatically_derived]
        impl __p::core::str::FromStr for #ident {
            type Err = __p::UnknownKey;

            fn from_str(s: &str) -> __p::Result<Self, __p::UnknownKey> {
                __p::parse_key(s, #kind, #name, __KEYS, Self::from_key)
            }
        }

        #[automatically_derived]
        impl __p::serde::Serialize for #ident {
            fn serialize<S: __p::serde::Serializer>(&self, serializer: S) -> __p::Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::key(*self))
            }
        }

        #[automatically_derived]
        impl<'de> __p::serde::Deserialize<'de> for #ident {
            fn deserialize<D: __p::serde::Deserializer<'de>>(deserializer: D) -> __p::Result<Self, D::Error> {
                __p::deserialize_key(deserializer, #kind, #name, __KEYS, Self::from_key)
            }
        }

        #[automatically_derived]
        impl __p::AcceptsString for #ident {}

        __p::if_schemars! {
            #[automatically_derived]
            impl __p::schemars::JsonSchema for #ident {
                fn inline_schema() -> bool {
                    true
                }

                fn schema_name() -> __p::std::borrow::Cow<'static, str> {
                    __p::std::borrow::Cow::Borrowed(#name)
                }

                fn json_schema(_: &mut __p::schemars::SchemaGenerator) -> __p::schemars::Schema {
                    __p::key_schema(__KEYS, #schema_doc)
                }
            }
        }
    }
}

/// Expands `#[derive(ClerkRole)]` for a checked enum.
pub fn expand(e: &Enum) -> TokenStream {
    let ident = e.ident;
    let krate = private(&e.krate);
    let variants: Vec<_> = e.variants.iter().map(|v| v.ident).collect();
    let keys: Vec<String> = e
        .variants
        .iter()
        .map(|v| v.key.as_ref().map(syn::LitStr::value).unwrap_or_default())
        .collect();
    let from_key_body = if e.custom {
        quote! {
            match key {
                #(#keys => __p::Some(Self::#variants),)*
                _ => __p::None,
            }
        }
    } else {
        // `prefixWithOrg`: compare role names with every leading `org:` removed.
        let names: Vec<String> = keys.iter().map(|k| role_name(k).to_owned()).collect();
        quote! {
            match __p::role_name(key) {
                #(#names => __p::Some(Self::#variants),)*
                _ => __p::None,
            }
        }
    };
    let common = enum_common(e, "role", from_key_body);
    wrap(quote! {
        #krate
        #common

        #[automatically_derived]
        impl __p::ClerkRole for #ident {
            const ALL: &'static [Self] = #ident::ALL;

            #[inline]
            fn key(self) -> &'static str {
                #ident::key(self)
            }

            #[inline]
            fn from_key(key: &str) -> __p::Option<Self> {
                #ident::from_key(key)
            }
        }

        #[automatically_derived]
        impl __p::RoleField for #ident {
            type Role = Self;

            #[inline]
            fn role(&self) -> __p::Option<Self> {
                __p::Some(*self)
            }
        }
    })
}

fn role_name(key: &str) -> &str {
    let mut name = key;
    while let Some(rest) = name.strip_prefix("org:") {
        name = rest;
    }
    name
}
