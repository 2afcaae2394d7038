//! `#[derive(ClerkPermission)]`.

use proc_macro2::TokenStream;
use quote::quote;

use super::role::enum_common;
use super::{private, wrap};
use crate::ast::Enum;

/// Expands `#[derive(ClerkPermission)]` for a checked enum.
pub fn expand(e: &Enum) -> TokenStream {
    let ident = e.ident;
    let krate = private(&e.krate);
    let variants: Vec<_> = e.variants.iter().map(|v| v.ident).collect();
    let keys: Vec<String> = e
        .variants
        .iter()
        .map(|v| v.key.as_ref().map(syn::LitStr::value).unwrap_or_default())
        .collect();
    // Bit indexes past 127 only occur with the too-many-variants error already reported.
    let indexes: Vec<u32> = (0..variants.len())
        .map(|i| u32::try_from(i.min(127)).unwrap_or(127))
        .collect();
    let from_key_body = quote! {
        match key {
            #(#keys => __p::Some(Self::#variants),)*
            _ => __p::None,
        }
    };
    let common = enum_common(e, "permission", from_key_body);
    wrap(quote! {
        #krate
        #common

        #[automatically_derived]
        impl __p::ClerkPermission for #ident {
            const ALL: &'static [Self] = #ident::ALL;

            #[inline]
            fn key(self) -> &'static str {
                #ident::key(self)
            }

            #[inline]
            fn from_key(key: &str) -> __p::Option<Self> {
                #ident::from_key(key)
            }

            #[inline]
            fn index(self) -> u32 {
                match self {
                    #(Self::#variants => #indexes,)*
                }
            }
        }
    })
}
