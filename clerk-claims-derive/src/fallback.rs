//! After an error: the error **and** stub impls, so code that uses the type does not add a
//! second error for the same mistake. Stub bodies never run: the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::EnumKind;
use crate::expand::{private, wrap};
use crate::symbol::{CLERK, CRATE};

fn krate(input: &DeriveInput) -> syn::Path {
    let mut path: syn::Path = syn::parse_quote!(::clerk_claims);
    for attr in input.attrs.iter().filter(|a| a.path() == CLERK) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path == CRATE {
                let lit: syn::LitStr = meta.value()?.parse()?;
                path = lit.parse()?;
            } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                // Skip `= value` of other attributes.
                let _ = meta.value()?.parse::<proc_macro2::TokenTree>()?;
            }
            Ok(())
        });
    }
    path
}

/// `Deserialize` and `Serialize` impls whose bodies never run: what every full expansion gives,
/// so code that (de)serializes the type stays quiet.
fn serde_stubs(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut de_generics = input.generics.clone();
    de_generics.params.insert(0, syn::parse_quote!('de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    quote! {
        impl #de_impl_generics __p::serde::Deserialize<'de> for #ident #ty_generics #where_clause {
            fn deserialize<D: __p::serde::Deserializer<'de>>(_: D) -> __p::Result<Self, D::Error> {
                __p::core::unreachable!()
            }
        }

        impl #impl_generics __p::serde::Serialize for #ident #ty_generics #where_clause {
            fn serialize<S: __p::serde::Serializer>(&self, _: S) -> __p::Result<S::Ok, S::Error> {
                __p::core::unreachable!()
            }
        }
    }
}

/// Stubs for a `ClerkClaims` type whose attributes could not be read.
pub fn claims(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = private(&krate(input));
    let serde = serde_stubs(input);
    wrap(quote! {
        #krate

        impl #impl_generics __p::ClerkClaims for #ident #ty_generics #where_clause {
            const TEMPLATE_NAME: __p::Option<&'static str> = __p::None;

            fn jwt_template() -> __p::JwtTemplate {
                __p::core::unreachable!()
            }

            fn claim_info() -> &'static [__p::ClaimInfo] {
                &[]
            }
        }

        #serde

        #[allow(missing_docs)]
        impl #impl_generics #ident #ty_generics #where_clause {
            pub fn has_role<R>(&self, _: R) -> bool { __p::core::unreachable!() }
            pub fn has_any_role<R>(&self, _: &[R]) -> bool { __p::core::unreachable!() }
            pub fn require_role<R>(&self, _: R) -> __p::Result<(), __p::Forbidden> { __p::core::unreachable!() }
            pub fn require_any_role<R>(&self, _: &[R]) -> __p::Result<(), __p::Forbidden> { __p::core::unreachable!() }
            pub fn has_permission<P>(&self, _: P) -> bool { __p::core::unreachable!() }
            pub fn has_any_permission<P>(&self, _: &[P]) -> bool { __p::core::unreachable!() }
            pub fn has_all_permissions<P>(&self, _: &[P]) -> bool { __p::core::unreachable!() }
            pub fn require_permission<P>(&self, _: P) -> __p::Result<(), __p::Forbidden> { __p::core::unreachable!() }
            pub fn require_any_permission<P>(&self, _: &[P]) -> __p::Result<(), __p::Forbidden> { __p::core::unreachable!() }
            pub fn require_all_permissions<P>(&self, _: &[P]) -> __p::Result<(), __p::Forbidden> { __p::core::unreachable!() }
        }
    })
}

/// Stubs for a role or permission enum that could not be read (not an enum of unit variants).
pub fn enum_stub(input: &DeriveInput, kind: EnumKind) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = private(&krate(input));
    let trait_impl = if kind == EnumKind::Role {
        quote! {
            impl #impl_generics __p::ClerkRole for #ident #ty_generics #where_clause {
                const ALL: &'static [Self] = &[];
                fn key(self) -> &'static str { __p::core::unreachable!() }
                fn from_key(_: &str) -> __p::Option<Self> { __p::core::unreachable!() }
            }

            impl #impl_generics __p::RoleField for #ident #ty_generics #where_clause {
                type Role = Self;
                fn role(&self) -> __p::Option<Self> { __p::core::unreachable!() }
            }
        }
    } else {
        quote! {
            impl #impl_generics __p::ClerkPermission for #ident #ty_generics #where_clause {
                const ALL: &'static [Self] = &[];
                fn key(self) -> &'static str { __p::core::unreachable!() }
                fn from_key(_: &str) -> __p::Option<Self> { __p::core::unreachable!() }
                fn index(self) -> u32 { __p::core::unreachable!() }
            }
        }
    };
    // What the full expansion also gives, so a claims struct using the type stays quiet.
    let serde = serde_stubs(input);
    wrap(quote! {
        #krate
        #trait_impl

        impl #impl_generics __p::AcceptsString for #ident #ty_generics #where_clause {}

        #serde
    })
}
