//! `#[derive(ClerkRole)]`.

use clerk_claims_lang::rules::role_name;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

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
    let mut extra = role_field;
    extra.extend(grants(e));
    key_enum::expand(
        e,
        &keys,
        from_key_body,
        quote!(__p::ClerkRole),
        TokenStream::new(),
        extra,
    )
}

/// `Role::grants()` and `RoleGrants` when the enum names its permissions
/// (`#[clerk(permissions = Permission)]`). Each granted name is written as the path
/// `Permission::Name`, spanned on the name, so a misspelled or foreign one fails to compile
/// there; a system permission fails a const assertion naming the fix.
fn grants(e: &Enum) -> TokenStream {
    let Some((perm, _)) = &e.permissions else {
        return TokenStream::new();
    };
    let ident = e.ident;
    let needs_key = key_enum::key_bounds(ident);
    let mut arms = Vec::new();
    let mut checks = Vec::new();
    for v in &e.variants {
        let variant = v.ident;
        let names: Vec<&syn::Ident> = v.grants.iter().flat_map(|(names, _)| names).collect();
        let texts: Vec<String> = names.iter().map(ToString::to_string).collect();
        arms.push(quote! {
            Self::#variant => {
                const __BITS: u128 = __p::grant_bits::<#perm>(&[#(#texts),*]);
                __p::permissions_from_bits::<#perm>(__BITS)
            }
        });
        for name in names {
            let system = format!(
                "`{name}` is a system permission (`org:sys_*`): Clerk grants system permissions to roles itself, \
                 so code cannot; remove `{name}` from `grants(..)` of `{variant}`"
            );
            let text = name.to_string();
            checks.push(quote_spanned! {name.span()=>
                const _: () = __p::check_grant::<#perm>(#text, #system);
            });
        }
    }
    quote! {
        #(#checks)*

        #[automatically_derived]
        impl #ident {
            /// The permissions this role grants in code (`grants(..)`), for the roles manifest
            /// and the run-time check of tokens.
            #[must_use]
            pub fn grants(self) -> __p::Permissions<#perm> {
                match self {
                    #(#arms,)*
                }
            }
        }

        #[automatically_derived]
        impl __p::RoleGrants for #ident #needs_key {
            type Permission = #perm;

            #[inline]
            fn grants(self) -> __p::Permissions<#perm> {
                #ident::grants(self)
            }
        }
    }
}
