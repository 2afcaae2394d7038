//! The RBAC methods of a claims type, listed once: the full expansion gives them bodies that
//! read the role or permissions field, the fallback gives stubs with the same signatures.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Which field a method reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The role field (`ClerkRole` enum).
    Role,
    /// The permissions field (`Permissions<P>`).
    Permission,
}

impl Family {
    /// The generic parameter of the methods: `__R` / `__P`, so a user's enum named `R` or `P`
    /// is not shadowed.
    pub fn param(self) -> syn::Ident {
        match self {
            Family::Role => format_ident!("__R"),
            Family::Permission => format_ident!("__P"),
        }
    }
}

/// One inherent RBAC method.
pub struct Method {
    /// Its name, also the name of the `__private` function that implements it.
    pub name: &'static str,
    /// Which field it reads.
    pub family: Family,
    /// Whether it takes a slice of keys (`&[R]`) instead of one.
    pub slice: bool,
    /// Whether it returns `Result<(), Forbidden>` instead of `bool`.
    pub require: bool,
    /// Its doc comment.
    pub doc: &'static str,
}

const fn method(
    name: &'static str,
    family: Family,
    slice: bool,
    require: bool,
    doc: &'static str,
) -> Method {
    Method {
        name,
        family,
        slice,
        require,
        doc,
    }
}

/// Every RBAC method a claims type gets, in the order they are generated.
pub const METHODS: &[Method] = &[
    method(
        "has_role",
        Family::Role,
        false,
        false,
        "Whether the token's role is the given one (`false` without an active organization).",
    ),
    method(
        "has_any_role",
        Family::Role,
        true,
        false,
        "Whether the token's role is one of the given ones.",
    ),
    method(
        "require_role",
        Family::Role,
        false,
        true,
        "`Ok` when the token's role is the given one, else [`Forbidden`](__p::Forbidden).",
    ),
    method(
        "require_any_role",
        Family::Role,
        true,
        true,
        "`Ok` when the token's role is one of the given ones, else [`Forbidden`](__p::Forbidden).",
    ),
    method(
        "has_permission",
        Family::Permission,
        false,
        false,
        "Whether the given permission is granted.",
    ),
    method(
        "has_any_permission",
        Family::Permission,
        true,
        false,
        "Whether at least one of the given permissions is granted.",
    ),
    method(
        "has_all_permissions",
        Family::Permission,
        true,
        false,
        "Whether every one of the given permissions is granted.",
    ),
    method(
        "require_permission",
        Family::Permission,
        false,
        true,
        "`Ok` when the given permission is granted, else [`Forbidden`](__p::Forbidden).",
    ),
    method(
        "require_any_permission",
        Family::Permission,
        true,
        true,
        "`Ok` when one of the given permissions is granted, else [`Forbidden`](__p::Forbidden).",
    ),
    method(
        "require_all_permissions",
        Family::Permission,
        true,
        true,
        "`Ok` when all of the given permissions are granted, else [`Forbidden`](__p::Forbidden).",
    ),
];

impl Method {
    fn arg(&self) -> syn::Ident {
        match (self.family, self.slice) {
            (Family::Role, false) => format_ident!("__role"),
            (Family::Role, true) => format_ident!("__roles"),
            (Family::Permission, false) => format_ident!("__permission"),
            (Family::Permission, true) => format_ident!("__permissions"),
        }
    }

    /// The method, bound by `bound` (which must give `Self: HasRole<__R>` or
    /// `Self: HasPermission<__P>`): a call of the `__private` function of the same name, written
    /// once over those traits.
    fn generate(&self, bound: &TokenStream) -> TokenStream {
        let name = format_ident!("{}", self.name);
        // A leading space, as `///` comments have.
        let doc = format!(" {}", self.doc);
        let param = self.family.param();
        let arg = self.arg();
        let arg_ty = if self.slice {
            quote!(&[#param])
        } else {
            quote!(#param)
        };
        let (inline, ret) = if self.require {
            (quote!(), quote!(__p::Result<(), __p::Forbidden>))
        } else {
            (quote!(#[inline]), quote!(bool))
        };
        quote! {
            #[doc = #doc]
            #inline
            pub fn #name<#param>(&self, #arg: #arg_ty) -> #ret #bound {
                __p::#name(self, #arg)
            }
        }
    }
}

/// The methods of one family, bound by `bound`.
pub fn methods(family: Family, bound: &TokenStream) -> TokenStream {
    METHODS
        .iter()
        .filter(|m| m.family == family)
        .map(|m| m.generate(bound))
        .collect()
}

/// The methods of one family on a type without that field (or whose derive failed): bound by
/// the trait itself, so a call fails with the trait's message, which names the field to add
/// (and a hand-written `HasRole` / `HasPermission` impl makes them work).
pub fn via_trait(family: Family) -> TokenStream {
    let param = family.param();
    let bound = match family {
        Family::Role => quote!(where #param: __p::ClerkRole, Self: __p::HasRole<#param>),
        Family::Permission => {
            quote!(where #param: __p::ClerkPermission, Self: __p::HasPermission<#param>)
        }
    };
    methods(family, &bound)
}
