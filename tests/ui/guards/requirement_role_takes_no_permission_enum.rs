// `Requirement::role` takes a role enum; a permission enum belongs in `Requirement::permission`.
use clerk_claims::guard::Requirement;
use clerk_claims::{ClerkPermission, SessionClaims};

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
}

fn main() {
    let _readers: Requirement<SessionClaims> = Requirement::role(Permission::InvoicesRead);
}
