//! Every alternative of a `||` chain fits the field.
//!
//! Metadata with a fallback of the field's own type, a mixed chain into `serde_json::Value`,
//! and a role fallback the enum declares (unprefixed, as Clerk's `prefixWithOrg` reads it).
use clerk_claims::{ClerkClaims, ClerkRole};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
    #[clerk(shortcode = "user.public_metadata.beta || false")]
    beta: bool,
    #[clerk(shortcode = "user.public_metadata.seats || 1")]
    seats: u32,
    #[clerk(shortcode = "user.public_metadata.nickname || user.first_name")]
    nickname: Option<String>,
    #[clerk(shortcode = "user.first_name || 0")]
    name_or_zero: serde_json::Value,
    #[clerk(shortcode = "org.role || 'member'")]
    role: Role,
}

pub fn main() {
    let claims: Claims = clerk_claims::claims::decode(
        br#"{"plan":"free","beta":false,"seats":1,"nickname":null,"name_or_zero":0,"role":"member"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(claims.plan, "free");
    assert!(!claims.beta);
    assert_eq!(claims.seats, 1);
    assert!(claims.nickname.is_none());
    assert_eq!(claims.name_or_zero, 0);
    assert!(claims.has_role(Role::Member));
    assert_eq!(
        Claims::jwt_template().claims["plan"],
        "{{user.public_metadata.plan || 'free'}}"
    );
}
