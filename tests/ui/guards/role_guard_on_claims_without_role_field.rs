// A role guard on a template whose claims type has no role field could never pass.
use clerk_claims::guard::require;
use clerk_claims::{ClerkClaims, ClerkRole};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

#[derive(ClerkClaims, Debug)]
#[clerk(template = "profile")]
struct ProfileClaims {
    #[clerk(shortcode = "user.primary_email_address")]
    email: Option<String>,
}

fn main() {
    let _admin_only = require(Role::Admin).on::<ProfileClaims>();
}
