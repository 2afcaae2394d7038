//! The derives compile on types named like any identifier their expansions could introduce
//! (generic parameters `D`, `S`, `A`, `T` …, serde's `Value`, `Visitor`, `Deserializer`, the
//! prelude's `Option`, `Result`, `Some`, `Ok` …, the local check traits): generated code uses
//! `__`-prefixed names (as serde does) and fully qualified paths only. Each name is a claims
//! struct (with a role, a permissions and a nested object field), a role enum, a permission
//! enum and an object struct, and each of those is also a field type written as the bare name.
//! The role and permissions fields are marked explicitly: a role enum named `Value` would
//! otherwise read as `serde_json::Value`, a plain claim.
#![allow(non_camel_case_types)]

macro_rules! named {
    ($module:ident, $name:ident) => {
        pub mod $module {
            use clerk_claims::{ClerkClaims, Permissions};

            pub mod role {
                #[derive(clerk_claims::ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub enum $name {
                    #[clerk(key = "org:admin")]
                    Admin,
                }
            }

            pub mod permission {
                #[derive(clerk_claims::ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub enum $name {
                    #[clerk(key = "org:invoices:read")]
                    Read,
                }
            }

            pub mod object {
                #[derive(clerk_claims::ClerkClaims, Debug)]
                #[clerk(object)]
                pub struct $name {
                    #[clerk(shortcode = "user.public_metadata.company.name || ''")]
                    pub name: String,
                }
            }

            /// The claims struct itself carries the name.
            #[derive(ClerkClaims, Debug)]
            #[clerk(template = "api")]
            pub struct $name {
                #[clerk(role, shortcode = "org.role")]
                pub role: ::core::option::Option<role::$name>,
                #[clerk(permissions, shortcode = "org_membership.permissions")]
                pub permissions: Permissions<permission::$name>,
                #[clerk(nested)]
                pub company: object::$name,
            }

            /// Field types written as the bare name, one struct each.
            pub mod bare {

                pub mod role_field {
                    use super::super::role::$name;

                    #[derive(clerk_claims::ClerkClaims, Debug)]
                    #[clerk(template = "role")]
                    pub struct Claims {
                        #[clerk(role, shortcode = "org.role || 'org:admin'")]
                        pub role: $name,
                    }
                }

                pub mod permission_field {
                    use super::super::permission::$name;

                    #[derive(clerk_claims::ClerkClaims, Debug)]
                    #[clerk(template = "permission")]
                    pub struct Claims {
                        #[clerk(permissions, shortcode = "org_membership.permissions")]
                        pub permissions: clerk_claims::Permissions<$name>,
                    }
                }

                pub mod object_field {
                    use super::super::object::$name;

                    #[derive(clerk_claims::ClerkClaims, Debug)]
                    #[clerk(template = "object")]
                    pub struct Claims {
                        #[clerk(nested)]
                        pub company: $name,
                    }
                }
            }

            pub fn check() {
                let claims: $name = clerk_claims::claims::decode(
                    br#"{"role":"org:admin","permissions":["org:invoices:read"],"company":{"name":"Acme"}}"#,
                )
                .unwrap_or_else(|e| panic!("{}: {e}", stringify!($name)));
                assert!(claims.has_role(role::$name::Admin));
                assert!(claims.has_permission(permission::$name::Read));
                assert_eq!(claims.company.name, "Acme");
                assert_eq!(<$name as ClerkClaims>::jwt_template().claims["company"]["name"], "{{user.public_metadata.company.name || ''}}");
                assert_eq!("org:admin".parse::<role::$name>(), ::core::result::Result::Ok(role::$name::Admin));
                assert_eq!(role::$name::Admin.to_string(), "org:admin");
                let role: bare::role_field::Claims =
                    clerk_claims::claims::decode(br#"{"role":"org:admin"}"#)
                        .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(role.role, role::$name::Admin);
                let permissions: bare::permission_field::Claims =
                    clerk_claims::claims::decode(br#"{"permissions":["org:invoices:read"]}"#)
                        .unwrap_or_else(|e| panic!("{e}"));
                assert!(permissions.has_permission(permission::$name::Read));
                let object: bare::object_field::Claims =
                    clerk_claims::claims::decode(br#"{"company":{"name":"Acme"}}"#)
                        .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(object.company.name, "Acme");
                let json = serde_json::to_value(&claims).unwrap_or_default();
                assert_eq!(json["company"]["name"], "Acme");
            }
        }
    };
}

named!(a, A);
named!(d, D);
named!(e, E);
named!(f, F);
named!(k, K);
named!(m, M);
named!(p, P);
named!(r, R);
named!(s, S);
named!(t, T);
named!(v, V);
named!(w, W);
named!(value, Value);
named!(error, Error);
named!(result, Result);
named!(option, Option);
named!(some, Some);
named!(none, None);
named!(ok, Ok);
named!(err, Err);
named!(default, Default);
named!(deserializer, Deserializer);
named!(deserialize, Deserialize);
named!(serializer, Serializer);
named!(serialize, Serialize);
named!(visitor, Visitor);
named!(map_access, MapAccess);
named!(formatter, Formatter);
named!(claim_fits, ClaimFits);
named!(key_derives, KeyDerives);
named!(role_type, Role);
named!(permission_type, Permission);

pub fn main() {
    a::check();
    d::check();
    e::check();
    f::check();
    k::check();
    m::check();
    p::check();
    r::check();
    s::check();
    t::check();
    v::check();
    w::check();
    value::check();
    error::check();
    result::check();
    option::check();
    some::check();
    none::check();
    ok::check();
    err::check();
    default::check();
    deserializer::check();
    deserialize::check();
    serializer::check();
    serialize::check();
    visitor::check();
    map_access::check();
    formatter::check();
    claim_fits::check();
    key_derives::check();
    role_type::check();
    permission_type::check();
}
