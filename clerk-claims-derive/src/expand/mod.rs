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
        // Generated paths are fully qualified on purpose (`__p::Option`, `Role::ALL`), so a
        // user's item of the same name never shadows them; the `for<'__a>` binders that defer
        // trivial where clauses (see `expand::claims`) name no lifetime. Nothing else is
        // allowed: the expansions are clean under clippy::pedantic and clippy::nursery
        // (`tests/ui/tests/expansion_lints.rs`).
        #[allow(unused_qualifications, unused_lifetimes)]
        const _: () = {
            #body
        };
    }
}
