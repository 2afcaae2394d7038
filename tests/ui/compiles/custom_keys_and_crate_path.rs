//! `#[clerk(custom)]` keys skip Clerk's format; `crate = "…"` serves re-exporting crates.
mod reexport {
    pub(super) use clerk_claims as clerk;
}

use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(custom, crate = "reexport::clerk")]
enum AppRole {
    #[clerk(key = "editor")]
    Editor,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(custom)]
enum AppPermission {
    #[clerk(key = "posts.publish")]
    Publish,
}

#[derive(ClerkClaims)]
#[clerk(
    template = "app",
    crate = "reexport::clerk",
    signing_algorithm = "HS256"
)]
struct Claims {
    #[clerk(role, shortcode = "user.public_metadata.role")]
    role: Option<AppRole>,
    #[clerk(permissions, shortcode = "user.public_metadata.permissions")]
    permissions: Option<clerk_claims::Permissions<AppPermission>>,
}

pub fn main() {
    assert_eq!("editor".parse::<AppRole>(), Ok(AppRole::Editor));
    assert_eq!(
        AppRole::from_key("org:editor"),
        None,
        "custom keys are compared verbatim"
    );
    assert_eq!(
        Claims::jwt_template().signing_algorithm.as_deref(),
        Some("HS256")
    );
    let _ = |c: &Claims| c.has_role(AppRole::Editor) && c.has_permission(AppPermission::Publish);
}
