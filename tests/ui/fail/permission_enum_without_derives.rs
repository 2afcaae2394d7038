#![allow(unused_imports, dead_code)]
use clerk_claims::ClerkPermission;

// No `Debug, Clone, Copy, PartialEq, Eq, Hash` at all: still one error naming them.
#[derive(ClerkPermission)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
}

fn main() {}
