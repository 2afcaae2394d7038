//! Derives for clerk-claims. Use them through the `clerk-claims` crate, whose documentation
//! describes every attribute (`#[derive(ClerkClaims)]`, `#[derive(ClerkRole)]`,
//! `#[derive(ClerkPermission)]`).
#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

mod ast;
mod attr;
mod case;
mod ctxt;
mod derive;
mod expand;
mod fallback;
mod symbol;
mod valid;

#[cfg(test)]
#[path = "../tests/golden/expand.rs"]
mod golden;

/// Derives `ClerkClaims`: the JWT template, serde impls with drift diagnostics, the JSON
/// Schema and RBAC methods of a claims struct.
#[proc_macro_derive(ClerkClaims, attributes(clerk))]
pub fn derive_clerk_claims(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::claims(&input).into()
}

/// Derives `ClerkRole` for an enum of organization roles (`#[clerk(key = "org:admin")]`).
#[proc_macro_derive(ClerkRole, attributes(clerk))]
pub fn derive_clerk_role(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::role(&input).into()
}

/// Derives `ClerkPermission` for an enum of permissions (`#[clerk(key = "org:invoices:read")]`).
#[proc_macro_derive(ClerkPermission, attributes(clerk))]
pub fn derive_clerk_permission(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::permission(&input).into()
}
