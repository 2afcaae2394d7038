//! What `#[derive(ClerkRole)]` and `#[derive(ClerkPermission)]` share: both make an enum of
//! unit variants stand for Clerk keys. Each derive's own file adds its trait impl.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;

use super::{private, wrap};
use crate::ast::{Enum, EnumKind};

/// The variants of an enum and their keys, in declaration order.
pub struct Keys<'a> {
    /// The variants' names.
    pub variants: Vec<&'a Ident>,
    /// Their keys (empty where missing: already reported).
    pub keys: Vec<String>,
}

impl<'a> Keys<'a> {
    /// Reads the variants and keys of a checked enum.
    pub fn new(e: &Enum<'a>) -> Self {
        Keys {
            variants: e.variants.iter().map(|v| v.ident).collect(),
            keys: e
                .variants
                .iter()
                .map(|v| v.key.as_ref().map(syn::LitStr::value).unwrap_or_default())
                .collect(),
        }
    }

    /// A `from_key` body that compares keys verbatim.
    pub fn exact_match(&self) -> TokenStream {
        let Keys { variants, keys } = self;
        quote! {
            match __key {
                #(#keys => __p::Some(Self::#variants),)*
                _ => __p::None,
            }
        }
    }
}

/// The where clause of every impl that needs the enum to be a `Copy + Eq + Hash + Debug` key
/// (the supertraits of `ClerkRole` / `ClerkPermission`, and `*self`). Without those derives the
/// impls do not apply instead of failing one by one, and [`derives_assertion`] is the one error.
/// `for<'__a>` keeps the bound, which names no generic parameter, from being checked at the
/// impl (a "trivial bound", rust-lang/rust#48214).
pub fn key_bounds(ident: &Ident) -> TokenStream {
    quote! {
        where for<'__a> #ident: __p::core::marker::Copy
            + __p::core::cmp::Eq
            + __p::core::hash::Hash
            + __p::core::fmt::Debug
    }
}

/// The one error for an enum without `Debug, Clone, Copy, PartialEq, Eq, Hash`, naming the
/// derives to add; spanned on the enum's name. The probe answers once for all of them, so
/// several missing derives are still one error.
pub fn derives_assertion(ident: &Ident, derive: &str) -> TokenStream {
    let message = format!(
        "`{ident}` needs #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)] beside #[derive({derive})]"
    );
    let label = format!("a {derive} enum is a `Copy + Eq + Hash + Debug` key");
    let note = "add the missing derives: #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]";
    let check = quote_spanned! {ident.span()=>
        fn __assert_key_derives<__T: __KeyDerives>(_: __T) {}
        __assert_key_derives((&__p::KeyProbe::<#ident>(__p::core::marker::PhantomData)).derives());
    };
    quote! {
        const _: fn() = || {
            #[allow(unused_imports)]
            use __p::KeyProbeFallback as _;
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            trait __KeyDerives {}
            impl __KeyDerives for __p::KeyDerived {}
            #check
        };
    }
}

/// The shared part of both enum derives: inherent `ALL`/`key`/`from_key`, `Display`,
/// `FromStr`, serde as the key string, `AcceptsString` and the JSON Schema.
fn common(e: &Enum, keys: &Keys, from_key_body: TokenStream) -> TokenStream {
    let ident = e.ident;
    let name = ident.to_string();
    let kind = e.kind.noun();
    let Keys { variants, keys } = keys;
    let all_doc = format!("Every declared {kind}, in declaration order.");
    let key_doc = format!(
        "The {kind} key as Clerk writes it, e.g. `{}`.",
        keys.first().map_or("org:…", String::as_str)
    );
    let from_doc = if e.kind == EnumKind::Role && !e.custom {
        "The role for a key read from a token, or `None` if undeclared. Applies Clerk's `prefixWithOrg`: `admin` and `org:admin` are one role."
    } else {
        "The value for a key read from a token, or `None` if the enum does not declare it."
    };
    let schema_doc = format!("A Clerk {kind} key declared by `{name}`");
    let needs_key = key_bounds(ident);
    let assertion = derives_assertion(ident, e.kind.derive_name());
    let prefix_with_org = e.kind == EnumKind::Role && !e.custom;
    quote! {
        #assertion

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
            pub fn from_key(__key: &str) -> __p::Option<Self> {
                #from_key_body
            }
        }

        #[automatically_derived]
        impl __p::core::fmt::Display for #ident #needs_key {
            fn fmt(&self, __formatter: &mut __p::core::fmt::Formatter<'_>) -> __p::core::fmt::Result {
                __formatter.write_str(Self::key(*self))
            }
        }

        #[automatically_derived]
        impl __p::core::str::FromStr for #ident {
            type Err = __p::UnknownKey;

            fn from_str(__s: &str) -> __p::Result<Self, __p::UnknownKey> {
                __p::parse_key(__s, #kind, #name, __KEYS, Self::from_key)
            }
        }

        #[automatically_derived]
        impl __p::serde::Serialize for #ident #needs_key {
            fn serialize<__S: __p::serde::Serializer>(&self, __serializer: __S) -> __p::Result<__S::Ok, __S::Error> {
                __serializer.serialize_str(Self::key(*self))
            }
        }

        #[automatically_derived]
        impl<'__de> __p::serde::Deserialize<'__de> for #ident {
            fn deserialize<__D: __p::serde::Deserializer<'__de>>(__deserializer: __D) -> __p::Result<Self, __D::Error> {
                __p::deserialize_key(__deserializer, #kind, #name, __KEYS, Self::from_key)
            }
        }

        #[automatically_derived]
        impl __p::AcceptsString for #ident {}

        #[automatically_derived]
        impl __p::DeclaredKeys for #ident {
            const KEYS: &'static [&'static str] = __KEYS;
            const PREFIX_WITH_ORG: bool = #prefix_with_org;
        }

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

/// The whole expansion of an enum derive: the shared items, then the derive's own trait impl
/// (`trait_path`), whose `ALL` / `key` / `from_key` forward to the inherent ones, with
/// `trait_items` added, then `extra` items.
pub fn expand(
    e: &Enum,
    keys: &Keys,
    from_key_body: TokenStream,
    trait_path: TokenStream,
    trait_items: TokenStream,
    extra: TokenStream,
) -> TokenStream {
    let ident = e.ident;
    let krate = private(&e.krate);
    let common = common(e, keys, from_key_body);
    let forward = forward_inherent(e);
    let needs_key = key_bounds(ident);
    wrap(quote! {
        #krate
        #common

        #[automatically_derived]
        impl #trait_path for #ident #needs_key {
            #forward
            #trait_items
        }

        #extra
    })
}

/// The items of the derive's trait impl that forward to the inherent ones (`ALL`, `key`,
/// `from_key`): the same in `ClerkRole` and `ClerkPermission`.
fn forward_inherent(e: &Enum) -> TokenStream {
    let ident = e.ident;
    let variants: Vec<&Ident> = e.variants.iter().map(|v| v.ident).collect();
    let names: Vec<String> = e
        .variants
        .iter()
        .map(crate::ast::Variant::display_name)
        .collect();
    let descriptions: Vec<TokenStream> = e
        .variants
        .iter()
        .map(|v| match &v.description {
            Some(lit) => quote!(__p::Some(#lit)),
            None => quote!(__p::None),
        })
        .collect();
    quote! {
        #[inline]
        fn name(self) -> &'static str {
            match self {
                #(Self::#variants => #names,)*
            }
        }

        #[inline]
        fn description(self) -> __p::Option<&'static str> {
            match self {
                #(Self::#variants => #descriptions,)*
            }
        }

        const ALL: &'static [Self] = #ident::ALL;

        #[inline]
        fn key(self) -> &'static str {
            #ident::key(self)
        }

        #[inline]
        fn from_key(__key: &str) -> __p::Option<Self> {
            #ident::from_key(__key)
        }
    }
}
