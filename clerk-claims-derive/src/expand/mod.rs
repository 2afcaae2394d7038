//! Code generation only: one file per derive. Generated code names the runtime only through
//! `#krate::__private` and wraps its impls in `const _: () = { … };`.

pub mod claims;
mod key_enum;
pub mod permission;
pub mod rbac;
pub mod role;

use proc_macro2::TokenStream;
use quote::quote;

/// The `use … as __p;` line every expansion starts with.
pub fn private(krate: &syn::Path) -> TokenStream {
    quote!(use #krate::__private as __p;)
}

/// Wraps generated items so their helper names do not leak into the user's module.
pub fn wrap(body: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all, clippy::pedantic)]
        const _: () = {
            #body
        };
    }
}
