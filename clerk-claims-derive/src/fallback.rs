//! After an error: the error **and** stub impls, so code that uses the type does not add a
//! second error for the same mistake. Stub bodies never run: the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::EnumKind;
use crate::expand::rbac::{self, Family};
use crate::expand::{private, wrap};

/// The input's impl generics with `param` added in front.
fn with_param(input: &DeriveInput, param: syn::GenericParam) -> TokenStream {
    let mut generics = input.generics.clone();
    generics.params.insert(0, param);
    let (impl_generics, _, _) = generics.split_for_impl();
    quote!(#impl_generics)
}

/// `Deserialize` and `Serialize` impls whose bodies never run: what every full expansion gives,
/// so code that (de)serializes the type stays quiet.
fn serde_stubs(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let de_impl_generics = with_param(input, syn::parse_quote!('__de));
    quote! {
        #[automatically_derived]
        impl #de_impl_generics __p::serde::Deserialize<'__de> for #ident #ty_generics #where_clause {
            fn deserialize<__D: __p::serde::Deserializer<'__de>>(_: __D) -> __p::Result<Self, __D::Error> {
                __p::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl #impl_generics __p::serde::Serialize for #ident #ty_generics #where_clause {
            fn serialize<__S: __p::serde::Serializer>(&self, _: __S) -> __p::Result<__S::Ok, __S::Error> {
                __p::core::unreachable!()
            }
        }
    }
}

/// Stubs for a `ClerkClaims` type whose attributes could not be read.
pub fn claims(input: &DeriveInput, krate: &syn::Path) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = private(krate);
    let serde = serde_stubs(input);
    let rbac = [
        rbac::via_trait(Family::Role),
        rbac::via_trait(Family::Permission),
    ];
    let role_generics = with_param(input, syn::parse_quote!(__R: __p::ClerkRole));
    let permission_generics = with_param(input, syn::parse_quote!(__P: __p::ClerkPermission));
    wrap(quote! {
        #krate

        #[automatically_derived]
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

        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #(#rbac)*
        }

        #[automatically_derived]
        impl #role_generics __p::HasRole<__R> for #ident #ty_generics #where_clause {
            fn has_role(&self, _: __R) -> bool { __p::core::unreachable!() }
            fn role_key(&self) -> __p::Option<&str> { __p::core::unreachable!() }
        }

        #[automatically_derived]
        impl #permission_generics __p::HasPermission<__P> for #ident #ty_generics #where_clause {
            fn has_permission(&self, _: __P) -> bool { __p::core::unreachable!() }
            fn permission_keys(&self) -> __p::std::vec::Vec<&str> { __p::core::unreachable!() }
        }
    })
}

/// Stubs for a role or permission enum that could not be read (not an enum of unit variants).
pub fn enum_stub(input: &DeriveInput, krate: &syn::Path, kind: EnumKind) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = private(krate);
    // As in the full expansion: without the key derives these stubs do not apply, quietly.
    let mut key_generics = input.generics.clone();
    key_generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote! {
            for<'__a> #ident #ty_generics: __p::core::marker::Copy
                + __p::core::cmp::Eq
                + __p::core::hash::Hash
                + __p::core::fmt::Debug
        });
    let (_, _, key_where) = key_generics.split_for_impl();
    let trait_impl = if kind == EnumKind::Role {
        quote! {
            #[automatically_derived]
            impl #impl_generics __p::ClerkRole for #ident #ty_generics #key_where {
                const ALL: &'static [Self] = &[];
                fn key(self) -> &'static str { __p::core::unreachable!() }
                fn from_key(_: &str) -> __p::Option<Self> { __p::core::unreachable!() }
            }

            #[automatically_derived]
            impl #impl_generics __p::RoleFieldType for #ident #ty_generics #where_clause {}

            #[automatically_derived]
            impl #impl_generics __p::RoleField for #ident #ty_generics #key_where {
                type Role = Self;
                fn role(&self) -> __p::Option<Self> { __p::core::unreachable!() }
            }
        }
    } else {
        quote! {
            #[automatically_derived]
            impl #impl_generics __p::DerivedPermission for #ident #ty_generics #where_clause {}

            #[automatically_derived]
            impl #impl_generics __p::ClerkPermission for #ident #ty_generics #key_where {
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

        #[automatically_derived]
        impl #impl_generics __p::AcceptsString for #ident #ty_generics #where_clause {}

        #serde
    })
}
