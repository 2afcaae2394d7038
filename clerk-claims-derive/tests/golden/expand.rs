//! Expansion golden tests: the derives' output, pretty-printed with prettyplease and compared
//! with the blessed files beside this one (`UPDATE_EXPECT=1 cargo test -p clerk-claims-derive`
//! re-blesses). They pin the generated code itself, independent of rustc's wording.

use expect_test::{ExpectFile, expect_file};
use proc_macro2::TokenStream;

fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(err) => format!("// does not parse as a file: {err}\n{tokens}"),
    }
}

fn check(derive: fn(&syn::DeriveInput) -> TokenStream, input: TokenStream, expected: ExpectFile) {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => panic!("test input does not parse: {err}"),
    };
    expected.assert_eq(&pretty(derive(&input)));
}

#[test]
fn role_enum_expansion() {
    check(
        crate::derive::role,
        quote::quote! {
            enum Role {
                #[clerk(key = "org:admin")]
                Admin,
                #[clerk(key = "org:member")]
                Member,
            }
        },
        expect_file!["role.expanded.rs"],
    );
}

#[test]
fn role_enum_with_grants_expansion() {
    check(
        crate::derive::role,
        quote::quote! {
            #[clerk(permissions = Permission)]
            enum Role {
                #[clerk(key = "org:admin", grants(InvoicesRead, InvoicesWrite))]
                Admin,
                #[clerk(key = "org:billing_manager", description = "Pays the bills")]
                BillingManager,
            }
        },
        expect_file!["role_grants.expanded.rs"],
    );
}

#[test]
fn custom_role_enum_compares_keys_verbatim() {
    check(
        crate::derive::role,
        quote::quote! {
            #[clerk(custom, crate = "my_reexport::clerk")]
            enum AppRole {
                #[clerk(key = "editor")]
                Editor,
            }
        },
        expect_file!["custom_role.expanded.rs"],
    );
}

#[test]
fn permission_enum_expansion() {
    check(
        crate::derive::permission,
        quote::quote! {
            enum Permission {
                #[clerk(key = "org:invoices:read")]
                InvoicesRead,
                #[clerk(key = "org:invoices:write")]
                InvoicesWrite,
            }
        },
        expect_file!["permission.expanded.rs"],
    );
}

#[test]
fn claims_struct_expansion() {
    check(
        crate::derive::claims,
        quote::quote! {
            #[clerk(template = "api", lifetime = 300)]
            struct ApiClaims {
                #[clerk(shortcode = "user.primary_email_address")]
                email: Option<String>,
                #[clerk(shortcode = "org.role")]
                role: Option<Role>,
                #[clerk(shortcode = "org_membership.permissions")]
                permissions: Permissions<Permission>,
                #[clerk(format = "{{user.first_name}} {{user.last_name}}")]
                display_name: String,
                #[clerk(value = 1)]
                version: u32,
                #[clerk(skip)]
                local: u8,
            }
        },
        expect_file!["claims.expanded.rs"],
    );
}

#[test]
fn object_with_nested_expansion() {
    check(
        crate::derive::claims,
        quote::quote! {
            #[clerk(object, rename_all = "camelCase")]
            struct Outer {
                #[clerk(shortcode = "user.id")]
                user_id: String,
                #[clerk(nested)]
                inner_object: Inner,
            }
        },
        expect_file!["object.expanded.rs"],
    );
}

#[test]
fn template_with_nested_object_checks_its_size_through_the_object_len_probe() {
    check(
        crate::derive::claims,
        quote::quote! {
            #[clerk(template = "hasura")]
            struct HasuraToken {
                #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
                hasura: HasuraClaims,
            }
        },
        expect_file!["nested_template.expanded.rs"],
    );
}

#[test]
fn an_error_expands_to_the_error_plus_an_expansion_without_type_checks() {
    check(
        crate::derive::claims,
        quote::quote! {
            #[clerk(template = "api")]
            struct Broken {
                #[clerk(shortcode = "user.emial")]
                email: Option<String>,
            }
        },
        expect_file!["error.expanded.rs"],
    );
}

#[test]
fn an_unreadable_struct_expands_to_stubs() {
    check(
        crate::derive::claims,
        quote::quote! {
            #[clerk(template = "api")]
            struct Tuple(String);
        },
        expect_file!["stub.expanded.rs"],
    );
}
