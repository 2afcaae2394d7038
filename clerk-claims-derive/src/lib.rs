//! Derives for clerk-claims. Use them through the `clerk-claims` crate.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;

/// Derives `ClerkClaims`.
#[proc_macro_derive(ClerkClaims, attributes(clerk))]
pub fn derive_clerk_claims(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Derives `ClerkRole`.
#[proc_macro_derive(ClerkRole, attributes(clerk))]
pub fn derive_clerk_role(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}

/// Derives `ClerkPermission`.
#[proc_macro_derive(ClerkPermission, attributes(clerk))]
pub fn derive_clerk_permission(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
