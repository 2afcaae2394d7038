//! `#[derive(ClerkPermission)]`.

use proc_macro2::TokenStream;
use quote::quote;

use super::key_enum::{self, Keys};
use crate::ast::Enum;

/// Expands `#[derive(ClerkPermission)]` for a checked enum.
pub fn expand(e: &Enum) -> TokenStream {
    let ident = e.ident;
    let keys = Keys::new(e);
    let variants = &keys.variants;
    // Bit indexes past 127 only occur with the too-many-variants error already reported.
    let indexes: Vec<u32> = (0..variants.len())
        .map(|i| u32::try_from(i.min(127)).unwrap_or(127))
        .collect();
    let index = quote! {
        #[inline]
        fn index(self) -> u32 {
            match self {
                #(Self::#variants => #indexes,)*
            }
        }
    };
    let names: Vec<String> = variants.iter().map(ToString::to_string).collect();
    let undeclared = format!(
        "`grants(..)` names a variant `{ident}` does not declare; `{ident}` declares {}: \
         fix the name, or declare the permission in `{ident}` (a permission of another enum cannot be granted)",
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let needs_key = key_enum::key_bounds(ident);
    key_enum::expand(
        e,
        &keys,
        keys.exact_match(),
        quote!(__p::ClerkPermission),
        index,
        quote! {
            #[automatically_derived]
            impl __p::DerivedPermission for #ident {}

            #[automatically_derived]
            impl __p::PermissionVariants for #ident #needs_key {
                const VARIANTS: &'static [&'static str] = &[#(#names),*];
                const KEYS: &'static [&'static str] = __KEYS;
                const UNDECLARED: &'static str = #undeclared;
            }
        },
    )
}
