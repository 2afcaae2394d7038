//! A literal fallback makes a nullable expression non-null; `org.role` into a `String` stays a
//! plain string claim; metadata can go into any type that holds null.
use clerk_claims::{ClerkClaims, ClerkRole};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:member")]
    Member,
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Prefs {
    theme: String,
}

#[derive(ClerkClaims)]
#[clerk(session_token, rename_all = "camelCase")]
struct Claims {
    #[clerk(shortcode = "user.first_name || 'friend'")]
    first_name: String,
    #[clerk(shortcode = "org.role || 'org:member'")]
    role: Role,
    #[clerk(shortcode = "org.role")]
    raw_role: Option<String>,
    #[clerk(shortcode = "user.public_metadata.prefs")]
    prefs: Option<Prefs>,
    #[clerk(shortcode = "user.public_metadata")]
    metadata: serde_json::Value,
    #[clerk(value = -1)]
    offset: i32,
    #[clerk(json = r#"{"a": [1, 2]}"#)]
    fixed: serde_json::Value,
    #[clerk(skip)]
    local: u8,
}

pub fn main() {
    let template = Claims::jwt_template();
    assert!(template.session_token);
    assert_eq!(
        template.claims["firstName"],
        "{{user.first_name || 'friend'}}"
    );
    assert_eq!(template.claims["offset"], -1);
    assert!(
        template.claims.get("local").is_none(),
        "skip fields are not claims"
    );
    let _ = |c: &Claims| c.require_role(Role::Member);
}
