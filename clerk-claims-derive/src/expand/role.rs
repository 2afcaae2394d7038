//! `#[derive(ClerkRole)]`.

use clerk_claims_lang::rules::role_name;
use proc_macro2::TokenStream;
use quote::quote;

use super::key_enum::{self, Keys};
use crate::ast::Enum;

/// Expands `#[derive(ClerkRole)]` for a checked enum.
pub fn expand(e: &Enum) -> TokenStream {
    let ident = e.ident;
    let keys = Keys::new(e);
    let from_key_body = if e.custom {
        keys.exact_match()
    } else {
        // `prefixWithOrg`: compare role names with every leading `org:` removed.
        let variants = &keys.variants;
        let names = keys.keys.iter().map(|k| role_name(k));
        quote! {
            match __p::role_name(__key) {
                #(#names => __p::Some(Self::#variants),)*
                _ => __p::None,
            }
        }
    };
    let needs_key = key_enum::key_bounds(ident);
    let role_field = quote! {
        #[automatically_derived]
        impl __p::RoleFieldType for #ident {}

        #[automatically_derived]
        impl __p::RoleField for #ident #needs_key {
            type Role = Self;

            #[inline]
            fn role(&self) -> __p::Option<Self> {
                __p::Some(*self)
            }
        }
    };
    key_enum::expand(
        e,
        &keys,
        from_key_body,
        quote!(__p::ClerkRole),
        TokenStream::new(),
        role_field,
    )
}
