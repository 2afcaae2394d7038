//! `#[derive(ClerkPermission)]`.

use proc_macro2::TokenStream;
use quote::quote;

use super::key_enum::{self, Keys};
use super::{private, wrap};
use crate::ast::Enum;

/// Expands `#[derive(ClerkPermission)]` for a checked enum.
pub fn expand(e: &Enum) -> TokenStream {
    let ident = e.ident;
    let krate = private(&e.krate);
    let keys = Keys::new(e);
    let variants = &keys.variants;
    // Bit indexes past 127 only occur with the too-many-variants error already reported.
    let indexes: Vec<u32> = (0..variants.len())
        .map(|i| u32::try_from(i.min(127)).unwrap_or(127))
        .collect();
    let common = key_enum::common(e, &keys, keys.exact_match());
    let forward = key_enum::forward_inherent(e);
    let needs_key = key_enum::key_bounds(ident);
    wrap(quote! {
        #krate
        #common

        #[automatically_derived]
        impl __p::ClerkPermission for #ident #needs_key {
            #forward

            #[inline]
            fn index(self) -> u32 {
                match self {
                    #(Self::#variants => #indexes,)*
                }
            }
        }
    })
}
